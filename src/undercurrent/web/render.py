"""Rendering: one Jinja environment from the package, the context every page shares, JSON twins."""
from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from undercurrent.api.deps import csrf_token
from undercurrent.api.serialize import json_response
from undercurrent.web.choices import choices, institution_name, place_name


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("undercurrent.web", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    # What every page may need from the knowledge base, once, instead of per-page context.
    env.globals.update(choices=choices(), place_name=place_name, institution_name=institution_name)
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


def twin(request: Request, template: str, data: dict[str, Any], *, user,
         extra: Callable[[], dict[str, Any]] | None = None):
    """The page as HTML, or at `<path>.json` the same data as JSON. `extra` makes what only the HTML needs
    (highlight segments, say), so the JSON twin does not compute it. A page's `filters` are also given to
    the template as the `query` string that links keep."""
    if is_json(request):
        return json_response(data)
    context = {**data, **(extra() if extra else {})}
    if "filters" in data:
        context.setdefault("query", urlencode(data["filters"]))
    return render(request, template, context, user=user)


def render_error(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", {"status": status, "message": message}, status=status)
