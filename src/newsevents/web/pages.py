"""The HTML pages: fixed shells (templates/) with a nav bar, filled in the browser by static/js from the API.

The server puts nothing from the store or the request into a page: every shell is assembled from the
package's own files when the app is built, so there is nothing to escape here. The scripts put article text
into the page with ``textContent``/``createElement`` only.
"""

from __future__ import annotations

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

    @property
    def files(self) -> str:
        return self.shell or self.name


PAGES = (
    Page("search", "/", "Search", nav="search"),
    Page("events", "/events", "Events", nav="events"),
    Page("event", "/events/{event_id}", "Event", nav="events"),
    Page("timeline", "/timeline", "Timeline", nav="timeline"),
    Page("network", "/network", "Network", nav="network"),
    Page("map", "/map", "Map", nav="map", vendor=("topojson-client.min.js",)),
    Page("article", "/articles/{article_id}", "Article"),
    Page("actor", "/actors/{code}", "Actor"),
    Page("person", "/people/{name}", "Person", shell="actor"),
    Page("docs", "/docs", "API", nav="docs"),
)

NAV = (("search", "/", "Search"), ("events", "/events", "Events"), ("timeline", "/timeline", "Timeline"),
       ("network", "/network", "Network"), ("map", "/map", "Map"), ("docs", "/docs", "API"))


def _read(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def render(page: Page) -> str:
    """The page's HTML: base.html around templates/<name>.html, with the shared filter form where it asks."""
    current = ' aria-current="page"'
    nav = "\n".join(f'      <a href="{href}"{current if key == page.nav else ""}>{label}</a>' for key, href, label in NAV)
    scripts = [f"/static/vendor/{v}" for v in page.vendor] + ["/static/js/common.js", f"/static/js/{page.files}.js"]
    body = _read(f"{page.files}.html").replace("{{filters}}", _read("_filters.html"))
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
