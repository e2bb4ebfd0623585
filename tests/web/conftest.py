"""Fixtures for the web tests: one small ingested store per session (the samples, the seed and one hostile
article), an API client, a real uvicorn server on loopback, and headless Chromium driven by Playwright."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest

from newsevents.ingest import ingest
from tests.conftest import REPO, SAMPLES, shared_path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"

# An article built to attack the pages: markup in the title, and a quote that closes an attribute and opens
# an <img> whose onerror would run script. The quote has a named speaker so that the quote extractor keeps it.
HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE_QUOTE = '"><img src=x onerror=alert(1)>'
HOSTILE_RECORD = {
    "id": "HOSTILE_0001",
    "source": "Hostilewire",
    "url": "javascript:alert(1)//https://example.org/",
    "published": "2025-05-05",
    "title": HOSTILE_TITLE,
    "text": (
        "Foreign Minister Anna Berg met Russian officials in Moscow on Monday to discuss a prisoner exchange. "
        f"“We will not give up {HOSTILE_QUOTE},” Berg told reporters in Stockholm after the meeting.\n\n"
        "Sweden accused Russia of <svg onload=alert(1)> delaying the exchange. "
        "Russia did not threaten Sweden, officials in Moscow said. "  # a negated report for the filters
        "The talks ended without an agreement, officials in Moscow said. javascript:alert(1)"
    ),
}


def write_hostile(directory: Path) -> Path:
    path = directory / "hostile.jsonl"
    path.write_text(json.dumps(HOSTILE_RECORD, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples, the seed article and the hostile article, ingested once per session."""
    seed = shared_path("gold", "seed.txt")
    root = tmp_path_factory.mktemp("webdb")
    db = root / "web.duckdb"
    report = ingest([SAMPLES, seed, write_hostile(root)], db)
    assert report.rejected == 0, report.rejections
    return db


@pytest.fixture(scope="session")
def seed_article_id(web_db: Path) -> str:
    from newsevents import query

    rows = query.articles(web_db, source="themoscowtimes.com")
    assert len(rows) == 1, rows
    return str(rows[0]["id"])


@pytest.fixture(scope="session")
def hostile_article_id(web_db: Path) -> str:
    from newsevents import query

    rows = query.articles(web_db, source="Hostilewire")
    assert len(rows) == 1, rows
    return str(rows[0]["id"])


# A fictional store for the timeline's outliers: three events a day through March 2025 (Norway and Chile
# talking), and two dated far from the rest, as an article recalling history would date them.
OUTLIER_DATES = ("1947-08-15", "2013-06-01")
DENSE_DAYS = tuple(f"2025-03-{d:02d}" for d in range(2, 30))


def _outlier_articles() -> list[Any]:
    from newsevents.records import Actor, Analysis, Article, Event

    norway, chile = Actor("Norway", "NOR", "NOR"), Actor("Chile", "CHL", "CHL")
    out = []
    for i, day in enumerate(DENSE_DAYS + OUTLIER_DATES):
        text = f"Norway and Chile held talks (report {i})."
        codes = ("040", "036", "042") if day in DENSE_DAYS else ("040",)
        events = tuple(Event(source=norway if i % 2 else chile, target=chile if i % 2 else norway, cameo=code,
                             root=code[:2], quad_class=1, goldstein=1.0, plover="CONSULT", evidence=text, start=0,
                             end=len(text), date=day, date_from="text", confidence=0.9, rule="test") for code in codes)
        out.append(Analysis(article=Article(id=f"outlier{i:04d}", text=text, source="testwire.example",
                                            published="2025-03-30", title=f"Talks {i}", input=f"o{i}.json",
                                            format="jsonl"), events=events))
    return out


def write_store(db: Path, analyses: list[Any]) -> Path:
    """A store at ``db`` holding ``analyses`` (records written directly, no model), consolidated."""
    from newsevents.consolidate import consolidate
    from newsevents.store import open_store

    store = open_store(db, create=True)
    with store.writer(("test",)) as w:
        for a in analyses:
            w.add(a)
        w.commit()
        consolidate(store)
    return db


@pytest.fixture(scope="session")
def outlier_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store whose events are dated through March 2025, and two far from there (1947, 2013)."""
    return write_store(tmp_path_factory.mktemp("outliers") / "outliers.duckdb", _outlier_articles())


def copy_store(db: Path, directory: Path) -> Path:
    """A copy of the store at ``db`` (catalog and partitions) in ``directory``, for tests that write to it."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / db.name
    shutil.copytree(str(db) + ".parts", str(target) + ".parts", symlinks=True)
    if db.exists():
        shutil.copy2(db, target)
    return target


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    server: Any
    thread: threading.Thread


def start_server(db: Path, **kwargs: Any) -> LiveServer:
    """uvicorn serving ``create_app(db)`` on 127.0.0.1 at a free port, in a background thread."""
    import uvicorn

    from newsevents.web import create_app
    from newsevents.web.security import LOOPBACK_HOSTS

    port = free_port()
    app = create_app(db, allowed_hosts=LOOPBACK_HOSTS, **kwargs)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", timeout_keep_alive=5))
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"uvicorn did not start on port {port}")
        time.sleep(0.05)
    return LiveServer(f"http://127.0.0.1:{port}", server, thread)


def stop_server(live: LiveServer) -> None:
    live.server.should_exit = True
    live.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(web_db: Path) -> Iterator[LiveServer]:
    live = start_server(web_db)
    yield live
    stop_server(live)


@pytest.fixture(scope="session")
def client(live_server: LiveServer) -> Iterator[httpx.Client]:
    """An HTTP client of the session's live server (the real stack: uvicorn, middleware, threads)."""
    with httpx.Client(base_url=live_server.url, timeout=30) as c:
        yield c


@contextmanager
def serving(db: Path, **kwargs: Any) -> Iterator[httpx.Client]:
    """A live server over ``db`` built with ``create_app(db, **kwargs)``, and a client of it, for one test."""
    live = start_server(db, **kwargs)
    try:
        with httpx.Client(base_url=live.url, timeout=30) as c:
            yield c
    finally:
        stop_server(live)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (make browser) to run the browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed: pip install -e '.[test]' to run the browser tests")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@dataclass
class Watched:
    """A browser page with everything it reported: console errors, uncaught exceptions, dialogs, requests
    that left the server under test."""

    page: Any
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert not self.errors, f"console errors: {self.errors}"
        assert not self.dialogs, f"dialogs opened: {self.dialogs}"
        assert not self.foreign_requests, f"requests to other hosts: {self.foreign_requests}"


@contextmanager
def watching(browser: Any, url: str) -> Iterator[Watched]:
    """A new browser page that records what it reports (``Watched``) for a server at ``url``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    w = Watched(page)
    page.on("console", lambda m: w.errors.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda exc: w.errors.append(f"uncaught: {exc}"))

    def on_dialog(dialog: Any) -> None:
        w.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("request", lambda r: None if r.url.startswith((url, "data:")) else w.foreign_requests.append(r.url))
    try:
        yield w
    finally:
        context.close()


@pytest.fixture
def watched(browser: Any, live_server: LiveServer) -> Iterator[Watched]:
    with watching(browser, live_server.url) as w:
        yield w


def ready(page: Any, selector: str) -> None:
    """Wait until the page's script has filled ``selector`` (or reported an error in #status: a failure)."""
    page.wait_for_selector(f"{selector}, #status.error", timeout=15_000)
    assert page.locator("#status.error").count() == 0, page.locator("#status").inner_text()
    page.wait_for_load_state("networkidle")


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
