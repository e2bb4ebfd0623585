"""The web UI and JSON API over a store: ``newsevents serve`` runs it, ``create_app`` builds it for tests or
another ASGI server.

    from newsevents.web import create_app, serve
    app = create_app("news.duckdb")          # a FastAPI app; read-only on the data
    serve("news.duckdb", port=8000)          # uvicorn on 127.0.0.1:8000 until interrupted

Modules: ``app`` (the factory: middleware, error mapping, static files), ``api`` (one endpoint per query
function under /api), ``pages`` (the HTML pages: fixed shells whose scripts call the API), ``security`` (the
security headers, the host check), ``encoding`` (rows to JSON) and ``downloads`` (every matching row of a
listing as a streamed CSV or JSON file). The browser code is in ``static/js``; it
puts every string from an article into the page as text, never as HTML.
"""

from __future__ import annotations

from .app import create_app, serve

__all__ = ["create_app", "serve"]
