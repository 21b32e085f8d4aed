"""The explorer's web application: one factory that wires a knowledge base to the routes.

>>> from factiongraph.kb import KnowledgeBase
>>> app = create_app(KnowledgeBase.open(":memory:"))
>>> app.title
'factiongraph explorer'
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jinja2
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from factiongraph import __version__
from factiongraph.errors import AmbiguousEntity, FactiongraphError, InvalidQuery, NotFound
from factiongraph.web.graphindex import GraphCache
from factiongraph.web.queries import NETWORK_PREDICATES

HERE = Path(__file__).parent
TOKEN_HEADER = "X-Factiongraph-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
log = logging.getLogger("factiongraph.web")

# Scripts only from this server (never inline); styles may be set by the scripts; no framing.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)


# the library's errors and the HTTP status each stands for (any other library error: 400)
_LIBRARY_STATUS: dict[type[Exception], int] = {
    NotFound: 404,
    AmbiguousEntity: 409,
    InvalidQuery: 400,
}


def host_name(header: str) -> str:
    """The host of a Host header, without its port.

    >>> host_name("127.0.0.1:8765"), host_name("[::1]:80"), host_name("localhost")
    ('127.0.0.1', '::1', 'localhost')
    """
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def new_token() -> str:
    return secrets.token_urlsafe(24)


def wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api/") or path.endswith(".json") or path.startswith("/static/"):
        return False
    return "text/html" in request.headers.get("accept", "")


def error_response(request: Request, status: int, message: str) -> Response:
    if wants_html(request):
        templates: Jinja2Templates = request.app.state.templates
        return templates.TemplateResponse(
            request,
            "error.html",
            {"status": status, "message": message, "page": "error"},
            status_code=status,
        )
    return JSONResponse({"error": message}, status_code=status)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(x) for x in err.get("loc", ()) if x not in ("body", "query", "path"))
        msg = str(err.get("msg", "invalid value"))
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts) or "invalid request"


class GuardMiddleware(BaseHTTPMiddleware):
    """Security headers on every response; a token and a JSON body on every write."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        allowed: frozenset[str] | None = request.app.state.allowed_hosts
        if allowed is not None and host_name(request.headers.get("host", "")) not in allowed:
            # a page elsewhere that resolves its own name to this machine gets nothing
            return JSONResponse(
                {"error": "this server answers only to its own address"}, status_code=400
            )
        if request.method not in SAFE_METHODS:
            token: str | None = request.app.state.token
            if token is not None:
                given = request.headers.get(TOKEN_HEADER, "")
                if not secrets.compare_digest(given.encode(), token.encode()):
                    return JSONResponse(
                        {"error": f"writes need the token printed at start, in {TOKEN_HEADER}"},
                        status_code=403,
                    )
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype != "application/json":
                return JSONResponse(
                    {"error": "send the request body as JSON (Content-Type: application/json)"},
                    status_code=415,
                )
            origin = request.headers.get("origin")
            host = request.headers.get("host", "")
            if origin and origin not in ("null",) and origin.split("://", 1)[-1] != host:
                return JSONResponse(
                    {"error": "cross-site requests may not change the knowledge base"},
                    status_code=403,
                )
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response


def prepare_to_serve(app: FastAPI) -> None:
    """Warm the network index and tune the garbage collector for a long-running server.

    A graph answer allocates thousands of small objects; with the default thresholds the
    collector runs many times a request and walks every live object. Objects alive at start
    are moved out of its way (``gc.freeze``) and young collections wait for 50,000
    allocations. ``serve`` calls this once, before it starts listening.
    """
    import gc

    app.state.graph_cache.get()
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def create_app(
    kb: Any, *, token: str | None = None, allowed_hosts: Iterable[str] | None = None
) -> FastAPI:
    """The explorer for one knowledge base.

    ``token``: when given, every request that changes data must carry it in the
    ``X-Factiongraph-Token`` header (``serve`` sets one whenever it listens beyond loopback).
    ``allowed_hosts``: when given, requests naming another host are refused (``serve`` limits
    a loopback server to the loopback names).
    """
    app = FastAPI(
        title="factiongraph explorer",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.kb = kb
    app.state.graph_cache = GraphCache(kb, NETWORK_PREDICATES)
    app.state.token = token
    app.state.allowed_hosts = (
        frozenset(h.lower().strip("[]") for h in allowed_hosts) if allowed_hosts else None
    )
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True
    )
    templates = Jinja2Templates(env=env)
    templates.env.globals["version"] = __version__
    app.state.templates = templates
    app.state.has_analysis = False

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}"
        if exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        return error_response(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request, 422, _validation_message(exc))

    async def _library(request: Request, exc: Exception) -> Response:
        status = next((_LIBRARY_STATUS[t] for t in type(exc).__mro__ if t in _LIBRARY_STATUS), 400)
        return error_response(request, status, str(exc))

    for error in (*_LIBRARY_STATUS, FactiongraphError):
        app.add_exception_handler(error, _library)

    @app.exception_handler(ValueError)
    async def _value(request: Request, exc: ValueError) -> Response:
        return error_response(request, 400, str(exc).splitlines()[0] if str(exc) else "bad value")

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(
            {"error": "internal error; the server log has the details"}, status_code=500
        )

    app.add_middleware(GuardMiddleware)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    from factiongraph.web.routes import api, pages

    app.include_router(api)
    if importlib.util.find_spec("factiongraph.web.routes_analysis") is not None:
        module = importlib.import_module("factiongraph.web.routes_analysis")
        app.include_router(module.router)
        app.state.has_analysis = True
    templates.env.globals["has_analysis"] = app.state.has_analysis
    app.include_router(pages)

    @app.get("/favicon.ico", include_in_schema=False)
    def _favicon() -> Response:
        return Response(status_code=204)

    @app.get("/healthz", include_in_schema=False)
    def _health() -> HTMLResponse:
        return HTMLResponse("ok")

    return app
