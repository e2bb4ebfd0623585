"""The HTML pages: fixed shells (templates/) with a nav bar, filled in the browser by static/js from the API.

The server puts nothing from the store or the request into a page: every shell is assembled from the
package's own files when the app is built, so there is nothing to escape here. The scripts put article text
into the page with ``textContent``/``createElement`` only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Awaitable, Callable

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Page:
    name: str  # template templates/<name>.html and script static/js/<name>.js (unless ``shell`` says)
    path: str
    title: str
    nav: str = ""  # the nav bar entry this page lights up ("" for none)
    vendor: tuple[str, ...] = ()  # scripts under static/vendor/ loaded before the page's own
    shell: str = ""  # the template and script, when not the page's name (a person's page is an actor page)
    libs: tuple[str, ...] = ()  # shared scripts under static/js/ loaded after common.js (charts.js)

    @property
    def files(self) -> str:
        return self.shell or self.name


PAGES = (
    Page("search", "/", "Search", nav="search"),
    Page("events", "/events", "Events", nav="events"),
    Page("event", "/events/{event_id}", "Event", nav="events"),
    Page("dyad", "/dyad", "Two actors", nav="dyad", libs=("charts.js",)),
    Page("timeline", "/timeline", "Timeline", nav="timeline", libs=("charts.js",)),
    Page("network", "/network", "Network", nav="network", libs=("zoom.js",)),
    Page("map", "/map", "Map", nav="map", vendor=("topojson-client.min.js",), libs=("zoom.js",)),
    Page("quotes", "/quotes", "Quotes", nav="quotes"),
    Page("article", "/articles/{article_id}", "Article"),
    Page("actor", "/actors/{code}", "Actor", libs=("charts.js",)),
    Page("person", "/people/{name}", "Person", shell="actor", libs=("charts.js",)),
    Page("docs", "/docs", "API", nav="docs"),
)

NAV = (("search", "/", "Search"), ("events", "/events", "Events"), ("dyad", "/dyad", "Two actors"),
       ("timeline", "/timeline", "Timeline"), ("network", "/network", "Network"), ("map", "/map", "Map"),
       ("quotes", "/quotes", "Quotes"), ("docs", "/docs", "API"))


def _read(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def _parts(body: str) -> str:
    """``body`` with the shared parts it asks for: {{filters}} (the actors and the other event filters),
    {{common_filters}} (the others, for a page that names its actors itself), {{dates}} (since and until) and
    {{listing ID}} (a sortable table with id ID, its count, page size, downloads and pager)."""
    body = body.replace("{{filters}}", _read("_filters.html")).replace("{{common_filters}}", _read("_common_filters.html"))
    body = body.replace("{{dates}}", _read("_dates.html").rstrip("\n"))
    return re.sub(r"\{\{listing (\w+)\}\}", lambda m: _read("_listing.html").rstrip("\n").replace("{{id}}", m.group(1)), body)


def render(page: Page) -> str:
    """The page's HTML: base.html around templates/<name>.html with its shared parts (``_parts``)."""
    current = ' aria-current="page"'
    nav = "\n".join(f'      <a href="{href}" data-nav="{key}"{current if key == page.nav else ""}>{label}</a>'
                    for key, href, label in NAV)
    scripts = ([f"/static/vendor/{v}" for v in page.vendor] + ["/static/js/common.js"] +
               [f"/static/js/{lib}" for lib in page.libs] + [f"/static/js/{page.files}.js"])
    body = _parts(_read(f"{page.files}.html"))
    return (_read("base.html")
            .replace("{{title}}", page.title)
            .replace("{{nav}}", nav)
            .replace("{{scripts}}", "\n".join(f'  <script src="{s}" defer></script>' for s in scripts))
            .replace("{{main}}", body))


def router() -> APIRouter:
    """A GET route per page, each answering its shell (rendered once, here)."""
    pages = APIRouter(include_in_schema=False)
    for page in PAGES:
        pages.add_api_route(page.path, _endpoint(render(page)), methods=["GET"], response_class=HTMLResponse,
                            name=f"page_{page.name}")
    return pages


def _endpoint(html: str) -> Callable[[], Awaitable[HTMLResponse]]:
    """An endpoint answering ``html``. It takes no parameters: nothing from the request reaches the page."""

    async def endpoint() -> HTMLResponse:
        return HTMLResponse(html)

    return endpoint
