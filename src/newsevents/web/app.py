"""The ASGI app: the JSON API, the pages, the static files, and how errors become answers.

``create_app(db)`` builds a FastAPI app over a store; ``serve(db)`` runs it with uvicorn. The app only reads:
it opens the store's Parquet partitions afresh for each query (no lock), so it keeps answering while an
ingest commits batches, and a query sees every batch committed before it started.

Errors are answered as JSON ``{"error": "..."}``: a bad parameter 400 (whether FastAPI's type check or the
query layer finds it), an unknown article or event 404, a store that cannot be read 503, a query past the
time limit 503.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator, Optional, Sequence, Union

import duckdb
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from .. import __version__
from ..errors import NotFoundError, QueryError, StoreError
from ..store import open_store
from . import api, pages
from .encoding import ApiJSON
from .security import LOOPBACK_HOSTS, SecurityHeaders, is_loopback

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"

# Seconds a request may spend on its query before it answers 503. Over the sample store a listing answers in
# about 30 ms (most of it opening the Parquet views); 30 s leaves a large store three orders of magnitude of
# room while keeping a pathological query from holding the browser, and a query thread, indefinitely.
REQUEST_TIMEOUT = 30.0
# Queries running at once. DuckDB already spreads each query over the cores, so more concurrent queries than
# a few only compete for them; requests beyond this wait (and time out rather than pile up).
QUERY_THREADS = 8
# uvicorn: seconds an idle keep-alive connection stays open, and the most connections served at once (more
# are answered 503 by uvicorn itself). One analyst's browser opens a handful.
KEEP_ALIVE = 5
MAX_CONNECTIONS = 64

DESCRIPTION = """Read-only JSON API over a newsevents store: articles with their extractions, deduplicated events,
coded reports, quotes, actors, and aggregates for a timeline, an actor network and a map.

Listings answer `{"items": [...], "limit": 50, "offset": 0, "more": true}`; errors answer `{"error": "..."}`
(400 bad parameter, 404 unknown id, 503 store unreadable or query past the time limit). Event ids are strings
(64-bit integers do not survive JavaScript numbers)."""


def _error(status: int, message: str) -> ApiJSON:
    return ApiJSON({"error": message}, status_code=status)


def _validation_message(errors: Sequence[Any]) -> str:
    """FastAPI's validation errors as one line naming each parameter, what is wrong, and the value given."""
    parts = []
    for err in errors:
        name = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body")) or "request"
        msg = str(err.get("msg", "is not valid"))
        msg = msg[:1].lower() + msg[1:]
        if err.get("type") != "missing" and "input" in err:
            given = repr(err["input"])
            parts.append(f"{name}: {msg}, got {given if len(given) <= 80 else given[:77] + '...'}")
        else:
            parts.append(f"{name}: {msg}")
    return "; ".join(parts) or "the request is not valid"


def _cameo_table() -> list[dict[str, Any]]:
    """The event coder's CAMEO codebook for /api/cameo: code, name, root, quad class, Goldstein, PLOVER type."""
    from ..stages.events import default_codebook

    return [{"code": c.code, "name": c.name, "root": c.root, "quad_class": c.quad_class, "goldstein": c.goldstein,
             "plover": c.plover or None} for c in default_codebook().codes.values()]


def create_app(db: Union[str, Path], *, request_timeout: float = REQUEST_TIMEOUT, query_threads: int = QUERY_THREADS,
               allowed_hosts: Optional[Sequence[str]] = None) -> FastAPI:
    """The web app over the store at ``db``: pages at /, /events, /timeline, /network, /map, /articles/{id},
    /actors/{code}, /people/{name}, /events/{id}, /docs; the JSON API under /api; its OpenAPI schema at
    /openapi.json.

    ``allowed_hosts`` limits the Host headers answered (``serve`` passes the loopback names when it listens
    on loopback); None answers any.
    """
    pool = ThreadPoolExecutor(max_workers=query_threads, thread_name_prefix="newsevents-query")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        pool.shutdown(wait=False, cancel_futures=True)

    app = FastAPI(title="newsevents", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None)  # FastAPI's docs pages load from a CDN; /docs is our own page
    app.include_router(api.router(api.Runner(Path(db), request_timeout, pool), _cameo_table()))
    app.include_router(pages.router())
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.exception_handler(RequestValidationError)
    async def bad_parameter(request: Request, exc: RequestValidationError) -> ApiJSON:
        return _error(400, _validation_message(exc.errors()))

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> ApiJSON:
        return _error(404, str(exc))

    @app.exception_handler(QueryError)
    async def bad_query(request: Request, exc: QueryError) -> ApiJSON:
        return _error(400, str(exc))

    @app.exception_handler(StoreError)
    async def store_unreadable(request: Request, exc: StoreError) -> ApiJSON:
        return _error(503, str(exc))

    @app.exception_handler(duckdb.Error)
    async def database_error(request: Request, exc: duckdb.Error) -> ApiJSON:
        log.error("query failed on %s: %s", request.url.path, exc)
        return _error(500, f"reading the store failed: {exc}")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> ApiJSON:
        if exc.status_code == 404:
            return _error(404, f"no page or endpoint at {request.url.path}")
        if exc.status_code == 405:
            return _error(405, f"{request.method} is not allowed here: the API and the pages only answer GET")
        return _error(exc.status_code, str(exc.detail))

    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.add_middleware(SecurityHeaders)  # added last, so outermost: its headers go on every answer
    return app


def serve(db: Union[str, Path], host: str = "127.0.0.1", port: int = 8000, *,
          request_timeout: float = REQUEST_TIMEOUT) -> None:
    """Serve the web UI and API over ``db`` with uvicorn until interrupted. Loopback by default; on a
    loopback address only requests naming a loopback host are answered (no DNS rebinding)."""
    import uvicorn

    open_store(db)  # a wrong --db fails here with a StoreError, not on the first page load
    if not is_loopback(host):
        log.warning("listening on %s: anyone who can reach this address can read the data", host)
    app = create_app(db, request_timeout=request_timeout,
                     allowed_hosts=LOOPBACK_HOSTS if is_loopback(host) else None)
    uvicorn.run(app, host=host, port=port, timeout_keep_alive=KEEP_ALIVE, limit_concurrency=MAX_CONNECTIONS,
                server_header=False, log_level="info")
