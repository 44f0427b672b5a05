"""The workbench application, assembled: the REST API (api/) under /api, the web pages (web/), the static
assets shipped in the package, the middleware and the error handlers of both.

It sits above `api` and `web` and is the only module that imports both whole (docs/decisions.md "The
house": the layers), so neither of the two has to know the other to be put together."""
from __future__ import annotations

import gc
import math
from functools import lru_cache
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware

from undercurrent.api.deps import CsrfFailed, Forbidden, NotSignedIn
from undercurrent.api.routers import admin, clusters, records, reference, reports, stats
from undercurrent.auth.sessions import SESSION_SECONDS
from undercurrent.errors import NotFound, UndercurrentError
from undercurrent.kb import load_kb
from undercurrent.settings import Settings
from undercurrent.store.cache import ResultCache
from undercurrent.store.db import Store, open_store
from undercurrent.store.records import extractor_version
from undercurrent.store.shared_answers import SharedAnswers, answers_path
from undercurrent.validate import printable
from undercurrent.web import cluster_pages, forms, pages
from undercurrent.web.render import render_error

SESSION_COOKIE = "undercurrent_session"


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api") or path.endswith(".json")


class SecurityHeaders:
    """Pure ASGI middleware (BaseHTTPMiddleware costs a task group per request): CSP and friends."""

    def __init__(self, app, settings: Settings) -> None:
        self.app = app
        img = "'self' data:" + (" " + _origin(settings.map_tiles) if settings.map_tiles else "")
        # The docs page runs Swagger UI's inline start-up script; every other page runs only our files.
        self.headers = {script: [
            (b"content-security-policy", (f"default-src 'self'; script-src {script}; style-src 'self' 'unsafe-inline'; "
                                          f"img-src {img}; connect-src 'self'; frame-ancestors 'none'; "
                                          "form-action 'self'").encode()),
            (b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"), (b"referrer-policy", b"no-referrer"),
        ] for script in ("'self'", "'self' 'unsafe-inline'")}
        # Pages and API answers hold what only a signed-in user may see (a new API token, say): no cache,
        # shared or private, keeps them. The packaged static files may be cached.
        self.no_store = [(b"cache-control", b"no-store")]

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        extra = self.headers["'self' 'unsafe-inline'" if scope["path"] == "/api/docs" else "'self'"]
        if not scope["path"].startswith("/static/"):
            extra = extra + self.no_store

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _origin(url: str) -> str:
    scheme, rest = url.split("://", 1)
    host = rest.split("/", 1)[0].replace("{s}", "*")
    return f"{scheme}://{host}"


def json_safe_errors(errors) -> list[dict]:
    """Validation errors as plain JSON. Pydantic puts the offending input in each error, and that input
    can be bytes (a form body sent to a JSON route) or an exception object, which made the 422 handler
    itself fail with a 500. The input is shown as short text; loc, msg and type are kept."""
    out = []
    for error in errors:
        item = {"type": str(error.get("type", "")), "loc": [p if isinstance(p, int) else printable(str(p))
                                                            for p in error.get("loc", ())],
                "msg": printable(str(error.get("msg", "")))}
        if "input" in error:
            value = error["input"]
            if isinstance(value, (bytes, bytearray)):
                value = bytes(value[:200]).decode("utf-8", "replace")
            plain = isinstance(value, (int, bool, type(None))) or (isinstance(value, float) and math.isfinite(value))
            item["input"] = value if plain else printable(str(value)[:200])
        out.append(item)
    return out


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, exc: NotSignedIn):
        if wants_json(request):
            return JSONResponse({"detail": "sign in, or send an API token as 'Authorization: Bearer <token>'"},
                                status_code=401, headers={"WWW-Authenticate": "Bearer"})
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden):
        if wants_json(request):
            return JSONResponse({"detail": exc.message}, status_code=403)
        return render_error(request, 403, exc.message)

    @app.exception_handler(CsrfFailed)
    async def csrf_failed(request: Request, exc: CsrfFailed):
        message = "missing or wrong CSRF token: reload the page and try again"
        if wants_json(request):
            return JSONResponse({"detail": message}, status_code=403)
        return render_error(request, 403, message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        """FastAPI's JSON error for the API and JSON twins; an HTML page for a browser (a 404 above all)."""
        if wants_json(request) or "text/html" not in request.headers.get("accept", ""):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        message = exc.detail if exc.status_code != 404 or exc.detail != "Not Found" else "no such page"
        return render_error(request, exc.status_code, str(message))

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound):
        """An id that is not stored: 404, as the HTTPException 404s above (JSON unless a browser asks).
        Only NotFound is a 404: a KeyError from a bug stays a 500."""
        if wants_json(request) or "text/html" not in request.headers.get("accept", ""):
            return JSONResponse({"detail": str(exc)}, status_code=404)
        return render_error(request, 404, str(exc))

    @app.exception_handler(UndercurrentError)
    async def bad_request(request: Request, exc: UndercurrentError):
        """A bad filter, edit or user change: 400 with the library's message and its code, which
        docs/cli.md explains (JSON or the error page)."""
        if wants_json(request):
            return JSONResponse({"detail": str(exc)}, status_code=400)
        return render_error(request, 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        errors = json_safe_errors(exc.errors())
        if wants_json(request):
            return JSONResponse({"detail": errors}, status_code=422)
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in errors)
        return render_error(request, 422, problems)


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> FastAPI:
    """Build the app. Refuses (E021) without a secret key: sessions would be forgeable."""
    settings = settings or Settings.from_env()
    secret = settings.require_secret_key()
    app = FastAPI(title="Undercurrent workbench", version=_version(), docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json",
                  description="Sourced records of events from field reports on North Korea. "
                              "Authenticate with a session (web) or the header `Authorization: Bearer TOKEN` "
                              "(make a token with `undercurrent users token NAME` or POST /api/tokens).")
    app.state.settings = settings
    app.state.store = store or open_store(settings)
    if app.state.store.cache is None:  # searches and totals, renewed by every data change
        shared = answers_path(settings.database_url, settings.answer_cache)
        app.state.store.cache = ResultCache(shared=SharedAnswers(shared) if shared else None)
    app.add_middleware(SecurityHeaders, settings=settings)
    app.add_middleware(SessionMiddleware, secret_key=secret, session_cookie=SESSION_COOKIE,
                       max_age=SESSION_SECONDS, same_site="lax", https_only=settings.cookie_secure)
    # Outermost: pages and JSON lists shrink 5-10x; level 5 costs a fraction of level 9's CPU.
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=5)
    app.mount("/static", StaticFiles(packages=[("undercurrent.web", "static")]), name="static")
    for router in (reports.router, records.router, reference.router, stats.router, admin.router, clusters.router):
        app.include_router(router, prefix="/api")

    @app.get("/api/health", tags=["meta"], include_in_schema=True)
    def health() -> dict:
        return {"ok": True, "version": _version()}

    @app.get("/api/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/api/openapi.json", title="Undercurrent API",
                                   swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
                                   swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
                                   swagger_favicon_url="/static/favicon.svg",
                                   # Swagger UI would otherwise ask validator.swagger.io about the schema.
                                   swagger_ui_parameters={"validatorUrl": None})

    app.include_router(forms.router)
    app.include_router(cluster_pages.router)
    app.include_router(pages.router)
    _install_error_handlers(app)
    return app


@lru_cache(maxsize=1)
def _version() -> str:
    return extractor_version()


def app_from_env() -> FastAPI:
    """For `uvicorn --factory undercurrent.server:app_from_env` (several worker processes)."""
    app = create_app(Settings.from_env())
    settle_heap()
    return app


def settle_heap() -> None:
    """In a server process, once the app is built and before the first request: the knowledge base that
    filters are checked against is loaded (lazily, the first filtered search of each worker took 1-2 s
    and every request queued behind it), then the objects that live as long as the process (modules,
    routes, the knowledge base) are moved out of the collector's sight: a full collection walked all of
    them and stalled every request of the process for 100-350 ms under 50 clients (bench/api_load.py)."""
    load_kb()
    gc.collect()
    gc.freeze()
