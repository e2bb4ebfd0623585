"""The ASGI app: the JSON API, the pages, the static files, and how errors become answers.

``create_app(db)`` builds a FastAPI app over a store; ``serve(db)`` runs it with uvicorn. The app only reads:
it opens the store's Parquet partitions afresh for each query (no lock), so it keeps answering while an
ingest commits batches, and a query sees every batch committed before it started.

Errors are answered as JSON ``{"error": "..."}``: a bad parameter 400 (whether FastAPI's type check or the
query layer finds it), an unknown article or event 404, a method other than GET 405 (with ``Allow``), a store
that cannot be read 503 (a damaged one names ``newsevents verify``), a query past the time limit 503, and a
request that waited too long for a turn in a burst 503 with ``Retry-After``. Messages name the store by its
file name, never by the server's absolute paths.
"""

from __future__ import annotations

import asyncio
import logging
import re
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

from .. import __version__, query
from ..errors import NotFoundError, QueryError, StoreError
from ..store import Store, open_store
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
# uvicorn: seconds an idle keep-alive connection stays open.
KEEP_ALIVE = 5
# Requests handled at once (``ConcurrencyLimit``); more wait their turn, up to QUEUE_WAIT seconds, and then
# answer 503 JSON with Retry-After. A browser opens a handful of connections; 32 keeps the event loop and the
# query threads busy without letting a burst pile work on them. A burst of 200 at once on loopback answers
# every request within a few seconds (tests/test_reliability_server.py).
MAX_ACTIVE_REQUESTS = 32
QUEUE_WAIT = 10.0
RETRY_AFTER = 2  # seconds, in Retry-After on a busy 503
# uvicorn's own limit on connections, a backstop far above MAX_ACTIVE_REQUESTS: uvicorn answers past it with a
# plain-text 503 for every new request, which is what a burst of 64 used to get when this limit was 64.
MAX_CONNECTIONS = 1000

DESCRIPTION = """Read-only JSON API over a newsevents store: articles with their extractions, deduplicated events,
coded reports, quotes, actors, and aggregates for a timeline, an actor network and a map.

Listings answer `{"items": [...], "total": 1234, "limit": 50, "offset": 0, "more": true, "sort": null, "matched": {}}`:
`total` is the number of matching rows, `sort` a column of the rows (`-` in front for descending), `matched` what the
actor and place filters were taken to mean. With `format=csv` or `format=json` (or `Accept: text/csv`) a listing
answers every matching row as a streamed file (CSV: RFC 4180, UTF-8, a header row). An actor filter takes a code in
any case (`usa`), a name (`United States`: the same rows as its code), a person's name or a network node's key.
Errors answer `{"error": "..."}` (400 bad parameter, 404 unknown id, 503 store unreadable or query past the time
limit). Event ids are strings (64-bit integers do not survive JavaScript numbers)."""


def _error(status: int, message: str, headers: Optional[dict[str, str]] = None) -> ApiJSON:
    return ApiJSON({"error": message}, status_code=status, headers=headers)


# An absolute path in a message: the server's file system is none of the client's business.
_ABSOLUTE_PATH = re.compile(r"""(?<![\w.~:/])/(?:[^\s'"/]+/)+(?=[^\s'"/]*)""")


def public_message(message: str) -> str:
    """``message`` with absolute paths cut to their last component (``/srv/data/news.duckdb`` → ``news.duckdb``)."""
    return _ABSOLUTE_PATH.sub("", message)


class ConcurrencyLimit:
    """ASGI middleware: at most ``limit`` requests handled at once; the others wait for a turn up to ``wait``
    seconds and then answer 503 JSON with Retry-After (the security headers are added outside it). Without
    it, a burst past uvicorn's connection limit turned every request away with uvicorn's plain-text 503."""

    def __init__(self, app: Any, limit: int = MAX_ACTIVE_REQUESTS, wait: float = QUEUE_WAIT) -> None:
        self.app = app
        self.limit = limit
        self.wait = wait
        self._turns: Optional[asyncio.Semaphore] = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._turns is None:
            self._turns = asyncio.Semaphore(self.limit)
        try:
            await asyncio.wait_for(self._turns.acquire(), self.wait)
        except TimeoutError:
            busy = _error(503, f"the server is busy (more than {self.limit} requests at once for {self.wait:g} s): "
                               f"try again in {RETRY_AFTER} s", headers={"Retry-After": str(RETRY_AFTER)})
            await busy(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self._turns.release()


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
               allowed_hosts: Optional[Sequence[str]] = None, max_active: int = MAX_ACTIVE_REQUESTS,
               queue_wait: float = QUEUE_WAIT) -> FastAPI:
    """The web app over the store at ``db``: pages at /, /events, /dyad, /timeline, /network, /map, /quotes,
    /articles/{id}, /actors/{code}, /people/{name}, /events/{id}, /docs; the JSON API under /api; its OpenAPI
    schema at /openapi.json.

    ``allowed_hosts`` limits the Host headers answered (``serve`` passes the loopback names when it listens
    on loopback); None answers any.
    """
    pool = ThreadPoolExecutor(max_workers=query_threads, thread_name_prefix="newsevents-query")
    # connections kept open while the store is unchanged, one per query thread (and a download or two)
    reader = query.Reader(db, keep=query_threads + 2)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        pool.shutdown(wait=False, cancel_futures=True)
        reader.close()

    app = FastAPI(title="newsevents", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None)  # FastAPI's docs pages load from a CDN; /docs is our own page
    app.include_router(api.router(api.Runner(reader, request_timeout, pool), _cameo_table()))
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
        log.error("store unreadable on %s: %s", request.url.path, exc)
        return _error(503, public_message(str(exc)))

    @app.exception_handler(duckdb.Error)
    async def database_error(request: Request, exc: duckdb.Error) -> ApiJSON:
        log.error("query failed on %s: %s", request.url.path, exc)
        damaged = Store(db).damage(exc)
        message = str(damaged) if damaged else f"reading the store failed: {str(exc).splitlines()[0]}"
        return _error(503, public_message(message))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> ApiJSON:
        if exc.status_code == 404:
            return _error(404, f"no page or endpoint at {request.url.path}")
        if exc.status_code == 405:
            return _error(405, f"{request.method} is not allowed here: the API and the pages only answer GET",
                          headers={"Allow": (exc.headers or {}).get("Allow", "GET, HEAD")})
        return _error(exc.status_code, str(exc.detail), headers=exc.headers)

    app.add_middleware(ConcurrencyLimit, limit=max_active, wait=queue_wait)
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
