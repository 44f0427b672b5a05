"""Rendering: one Jinja environment from the package, the context every page shares, JSON twins."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from undercurrent.api.deps import csrf_token
from undercurrent.api.serialize import json_response


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("undercurrent.web", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    env.filters["bars"] = lambda value: [v for v in (value or "").split("|") if v]
    return env


def is_json(request: Request) -> bool:
    return request.url.path.endswith(".json")


def render(request: Request, template: str, context: dict[str, Any], *, status: int = 200,
           user=None) -> HTMLResponse:
    settings = request.app.state.settings
    page = {"request": request, "user": user, "csrf": csrf_token(request), "map_tiles": settings.map_tiles,
            "path": request.url.path, **context}
    html = environment().get_template(template).render(**page)
    return HTMLResponse(html, status_code=status)


def twin(request: Request, template: str, data: dict[str, Any], *, user, extra: dict[str, Any] | None = None):
    """The page as HTML, or at `<path>.json` the same data as JSON (keys in `extra` are for HTML only)."""
    if is_json(request):
        return json_response(data)
    return render(request, template, {**data, **(extra or {})}, user=user)


def render_error(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", {"status": status, "message": message}, status=status)
