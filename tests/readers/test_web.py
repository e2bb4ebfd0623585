"""URLs as inputs (readers/web.py), against a local HTTP server the tests start on 127.0.0.1.

The server binds to an ephemeral port, answers from a fixed table of fictional pages, logs every request,
and is shut down when the module's tests finish; its slow page sleeps in short steps and stops when the
server does. Nothing here reaches beyond 127.0.0.1.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner

from newsevents import Config, Pipeline, ingest, open_store
from newsevents.cli import main
from newsevents.readers import read_inputs
from newsevents.errors import UnsupportedFormat
from newsevents.readers.web import (FETCH_RETRIES, USER_AGENT, Fetcher, _retry_after, feed_links, normalise_url,
                                     read_feed, read_url, transient, urls_from_file)
from newsevents.records import Article, Rejection

STOP = threading.Event()
SLOW_SECONDS = 5.0  # the slow page's delay: well over the tests' fetch timeout, and bounded


def _page(title: str, sentence: str) -> bytes:
    body = " ".join([sentence] * 4)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<nav>Home | World</nav><article><h1>{title}</h1><p>{body}</p><p>{sentence}</p></article>"
            "</body></html>").encode()


PAGES = {
    "/news/a1.html": _page("URGENT: Ostland ratifies water treaty", "Ostland's parliament ratified the water treaty with Velmora on Tuesday, officials said."),
    "/news/a2.html": _page("Velmora opens new airport (PICTURES)", "Velmora opened a new international airport near Dunmore on Wednesday, its transport ministry said."),
    "/news/a3.html": _page("Dunmore mayor wins second term by Ida Sorn", "The mayor of Dunmore was re-elected on Thursday with 61 percent of the vote, the election board said."),
    "/private/secret.html": _page("Closed", "This page is closed to crawlers by the site's robots file, and must not be read."),
    "/news/empty.html": b"<!DOCTYPE html><html><head><title>Menu</title></head><body><nav>Home</nav></body></html>",
}
RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Ostland Wire</title>
<item><title>One</title><link>/news/a1.html?utm_source=rss</link></item>
<item><title>Two</title><link>http://HOST/news/a2.html#top</link></item>
<item><title>Three</title><guid isPermaLink="true">http://HOST/news/a3.html</guid></item>
</channel></rss>"""
ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Velmora</title>
<entry><title>A</title><link rel="alternate" href="/news/a2.html"/></entry>
<entry><title>B</title><link rel="enclosure" href="/x.mp3"/><link href="/news/a3.html"/></entry>
</feed>"""
ROBOTS = b"User-agent: *\nDisallow: /private/\n"


class _Handler(BaseHTTPRequestHandler):
    log: list[tuple[str, str]] = []

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _send(self, status: int, ctype: str, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self.log.append((self.path, self.headers.get("User-Agent", "")))
        host = self.headers.get("Host", "")
        path = self.path.split("?")[0]
        if path == "/robots.txt":
            self._send(200, "text/plain", ROBOTS)
        elif path in PAGES:
            self._send(200, "text/html; charset=utf-8", PAGES[path])
        elif path == "/feed.xml":
            self._send(200, "application/rss+xml", RSS.replace(b"HOST", host.encode()))
        elif path == "/atom.xml":
            self._send(200, "application/atom+xml", ATOM)
        elif path == "/moved":
            self._send(301, "text/html", b"", {"Location": "/news/a1.html?fbclid=abc"})
        elif path in ("/loop-a", "/loop-b"):
            self._send(302, "text/html", b"", {"Location": "/loop-b" if path == "/loop-a" else "/loop-a"})
        elif path == "/error":
            self._send(500, "text/html", b"<html>oops</html>")
        elif path == "/flaky.html":  # 503 twice (a restart), then the page
            if _fetched(path) <= 2:
                self._send(503, "text/html", b"<html>restarting</html>")
            else:
                self._send(200, "text/html; charset=utf-8", PAGES["/news/a2.html"])
        elif path == "/busy.html":  # 429 asking for a second's wait, then the page
            if _fetched(path) == 1:
                self._send(429, "text/html", b"<html>slow down</html>", {"Retry-After": "1"})
            else:
                self._send(200, "text/html; charset=utf-8", PAGES["/news/a3.html"])
        elif path == "/closed.html":  # asks for an hour's wait
            self._send(429, "text/html", b"<html>come back later</html>", {"Retry-After": "3600"})
        elif path == "/etag.xml":  # a feed with an ETag, answering 304 to it
            if self.headers.get("If-None-Match") == '"v1"':
                self.send_response(304)
                self.send_header("ETag", '"v1"')
                self.end_headers()
            else:
                self._send(200, "application/rss+xml", RSS.replace(b"HOST", host.encode()),
                           {"ETag": '"v1"', "Last-Modified": "Tue, 17 Jun 2025 08:00:00 GMT"})
        elif path == "/doc.pdf":
            self._send(200, "application/pdf", b"%PDF-1.4 fictional")
        elif path == "/huge.html":  # says 50 MB: refused on the header, before a byte of the body is read
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(50 * 1024 * 1024))
            self.end_headers()
        elif path == "/endless.html":  # no length given: refused once the body passes the limit
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(64):
                    self.wfile.write(b"<p>" + b"x" * 16_000 + b"</p>")
            except OSError:
                pass
            self.close_connection = True
        elif path == "/slow":
            deadline = time.monotonic() + SLOW_SECONDS
            while time.monotonic() < deadline and not STOP.is_set():
                time.sleep(0.05)
            try:
                self._send(200, "text/html", PAGES["/news/a1.html"])
            except OSError:
                pass
        else:
            self._send(404, "text/html", b"<html>not found</html>")


@contextmanager
def local_server(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 (an ephemeral port) answering with ``handler``, stopped on leaving; its
    address. ``STOP`` is set on leaving, so a slow page still sleeping ends."""
    STOP.clear()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        STOP.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with local_server(_Handler) as url:
        yield url


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    _Handler.log.clear()


FAST = Config(fetch_timeout=1.0, fetch_delay=0.0, max_page_bytes=200_000)


def _fetched(path: str) -> int:
    return sum(1 for p, _ in _Handler.log if p.split("?")[0] == path)


def test_a_page_url_becomes_an_article_with_a_clean_title(server: str) -> None:
    [art] = list(read_url(server + "/news/a1.html", FAST))
    assert isinstance(art, Article)
    assert (art.format, art.url, art.input) == ("web", server + "/news/a1.html", server + "/news/a1.html")
    assert (art.title, art.raw_title) == ("Ostland ratifies water treaty", "URGENT: Ostland ratifies water treaty")
    assert "ratified the water treaty" in art.text
    assert all(ua == USER_AGENT for _, ua in _Handler.log) and USER_AGENT.startswith("newsevents/")


def test_a_feed_of_three_articles_is_read_from_its_url(server: str, tmp_path: Path) -> None:
    db = tmp_path / "web.duckdb"
    report = ingest([server + "/feed.xml"], db, config=FAST, pipeline=Pipeline([]))
    assert (report.stored, report.rejected) == (3, 0)
    with open_store(db).connect() as con:
        rows = sorted(con.execute("SELECT url, title FROM articles").fetchall())
    assert rows == [(server + "/news/a1.html", "Ostland ratifies water treaty"),
                    (server + "/news/a2.html", "Velmora opens new airport"),
                    (server + "/news/a3.html", "Dunmore mayor wins second term")]
    assert _fetched("/robots.txt") == 1  # once per host and run
    assert all(_fetched(f"/news/a{i}.html") == 1 for i in (1, 2, 3))


def test_a_page_already_stored_is_not_fetched_again_by_ingest(server: str, tmp_path: Path) -> None:
    db = tmp_path / "web.duckdb"
    page = server + "/news/a1.html"
    assert ingest([page], db, config=FAST, pipeline=Pipeline([])).stored == 1
    again = ingest([page + "#comments", server + "/news/a2.html"], db, config=FAST, pipeline=Pipeline([]))
    assert (again.stored, again.already_stored) == (1, 1)  # the fragment normalises away: the same page
    assert _fetched("/news/a1.html") == 1 and _fetched("/news/a2.html") == 1


def test_atom_feed_links_are_read() -> None:
    base = "http://127.0.0.1:1/atom.xml"
    assert feed_links(ATOM, base, base) == ["http://127.0.0.1:1/news/a2.html", "http://127.0.0.1:1/news/a3.html"]


def test_every_url_that_is_not_an_article_is_rejected_with_its_reason(server: str, tmp_path: Path) -> None:
    bad = {
        "/slow": ("fetch", "timed out after 1 s"),
        "/error": ("fetch", "HTTP 500"),
        "/loop-a": ("fetch", "redirect loop"),
        "/private/secret.html": ("robots", "robots.txt"),
        "/huge.html": ("oversized", "52,428,800 bytes"),
        "/endless.html": ("oversized", "over the limit"),
        "/doc.pdf": ("unsupported", "application/pdf"),
        "/news/empty.html": ("empty", "no article text"),
        "/missing.html": ("fetch", "HTTP 404"),
    }
    urls = [server + p for p in bad] + [server + "/moved"]
    db = tmp_path / "web.duckdb"
    started = time.monotonic()
    report = ingest(urls, db, config=FAST, pipeline=Pipeline([]))
    assert time.monotonic() - started < SLOW_SECONDS  # the slow host did not hold the run
    assert report.stored == 1  # /moved -> /news/a1.html
    by_input = {r.input: r for r in report.rejections}
    for path, (kind, words) in bad.items():
        r = by_input[server + path]
        assert r.kind == kind and words in r.reason, (path, r)
    assert _fetched("/private/secret.html") == 0
    with open_store(db).connect() as con:
        assert con.execute("SELECT url FROM articles").fetchall() == [(server + "/news/a1.html",)]
        assert con.execute("SELECT count(*) FROM rejected").fetchone() == (len(bad),)


def test_redirects_are_bounded(server: str) -> None:
    [r] = list(read_url(server + "/moved", replace(FAST, max_redirects=0)))
    assert isinstance(r, Rejection) and "more than 0 redirects" in r.reason


def test_a_url_met_twice_in_a_run_is_fetched_once(server: str) -> None:
    items = list(read_inputs([server + "/news/a2.html", server + "/atom.xml", server + "/news/a2.html#again"], FAST))
    assert sorted(a.url for a in items if isinstance(a, Article)) == [server + "/news/a2.html", server + "/news/a3.html"]
    assert _fetched("/news/a2.html") == 1


def test_robots_can_be_turned_off_and_a_site_without_it_is_open(server: str) -> None:
    [art] = list(read_url(server + "/private/secret.html", replace(FAST, respect_robots=False)))
    assert isinstance(art, Article) and _fetched("/robots.txt") == 0


def test_requests_to_one_host_are_paced() -> None:
    waits: list[float] = []
    now = [100.0]
    fetcher = Fetcher(replace(FAST, fetch_delay=2.0), sleep=waits.append, clock=lambda: now[0])
    fetcher._wait_turn("http://example.test/a")
    now[0] += 0.5
    fetcher._wait_turn("http://example.test/b")
    fetcher._wait_turn("http://other.test/a")
    assert waits == [1.5]


def test_normalise_url() -> None:
    assert (normalise_url("HTTPS://News.Example:443/a?utm_source=x&id=3&fbclid=y#top")
            == "https://news.example/a?id=3")
    assert normalise_url("http://news.example:8080") == "http://news.example:8080/"


def test_urls_file(tmp_path: Path) -> None:
    f = tmp_path / "urls.txt"
    f.write_text("# feeds\nhttp://127.0.0.1:1/feed.xml\n\n  http://127.0.0.1:1/a.html  \n")
    assert urls_from_file(f) == ["http://127.0.0.1:1/feed.xml", "http://127.0.0.1:1/a.html"]


def test_cli_ingest_reads_urls_file(server: str, tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{server}/news/a3.html\n{server}/doc.pdf\n")
    db = tmp_path / "cli.duckdb"
    result = CliRunner().invoke(main, ["ingest", "-q", "--db", str(db), "--urls", str(urls)])
    assert result.exit_code == 3, result.output  # one stored, one rejected
    assert "application/pdf" in result.output
    with open_store(db).connect() as con:
        assert con.execute("SELECT title FROM articles").fetchall() == [("Dunmore mayor wins second term",)]


def test_cli_needs_an_input() -> None:
    result = CliRunner().invoke(main, ["extract"])
    assert result.exit_code == 2 and "--urls" in result.output


def test_transient_failures_are_tried_again_with_backoff(server: str) -> None:
    waits: list[float] = []
    fetcher = Fetcher(replace(FAST, fetch_delay=0.25), sleep=lambda s: (waits.append(s), time.sleep(s)))
    [art] = list(read_url(server + "/flaky.html", FAST, fetcher))
    assert isinstance(art, Article) and _fetched("/flaky.html") == 3  # 503, 503, 200
    assert waits == pytest.approx([0.25, 0.5, 1.0], abs=0.05)  # the pause after robots.txt; then twice it, doubled
    waits.clear()
    [art] = list(read_url(server + "/busy.html", FAST, fetcher))
    assert isinstance(art, Article) and _fetched("/busy.html") == 2
    assert waits[-1] == pytest.approx(1.0, abs=0.05)  # the server's Retry-After, longer than the back-off
    [r] = list(read_url(server + "/closed.html", FAST, fetcher))
    assert isinstance(r, Rejection) and _fetched("/closed.html") == 1
    assert r.reason == "HTTP 429 Too Many Requests (Retry-After: 3600, more than the 60 s a fetch waits)"
    [r] = list(read_url(server + "/error", FAST, fetcher))
    assert r.reason == "HTTP 500 Internal Server Error" and _fetched("/error") == 1 + FETCH_RETRIES
    [r] = list(read_url(server + "/missing.html", FAST, fetcher))
    assert _fetched("/missing.html") == 1  # a 404 is not tried again


def test_retry_after_in_seconds_or_as_a_date() -> None:
    from email.utils import parsedate_to_datetime

    now = parsedate_to_datetime("Tue, 17 Jun 2025 08:00:00 GMT").timestamp()
    assert [_retry_after(v, now) for v in ("120", " 5 ", "Tue, 17 Jun 2025 08:01:30 GMT", "Tue, 17 Jun 2025 07:00:00 GMT",
                                           "soon", None)] == [120.0, 5.0, 90.0, 0.0, None, None]


def test_a_host_that_hangs_costs_its_retries_once_per_run(server: str) -> None:
    fetcher = Fetcher(replace(FAST, fetch_timeout=0.3))
    items = list(read_url(server + "/slow", FAST, fetcher)) + list(read_url(server + "/slow?again", FAST, fetcher))
    assert [r.reason for r in items] == ["timed out after 0.3 s"] * 2  # type: ignore[union-attr]
    assert _fetched("/slow") == (1 + FETCH_RETRIES) + 1


def test_which_failures_are_worth_another_try() -> None:
    closed = "robots.txt of http://x could not be read ({}): the site is treated as closed"
    assert all(transient(r) for r in (
        "timed out after 20 s", "HTTP 503 Service Unavailable", "HTTP 429 Too Many Requests",
        "cannot connect: [Errno 111] Connection refused", "the connection broke: reset",
        closed.format("HTTP 502 Bad Gateway")))
    assert not any(transient(r) for r in (
        "HTTP 404 Not Found", "HTTP 403 Forbidden", "a redirect loop (a -> b -> a)", "52 bytes, over the limit",
        "robots.txt of http://x disallows /a for newsevents", closed.format("HTTP 403 Forbidden")))


def test_a_feed_read_again_is_a_conditional_get(server: str) -> None:
    fetcher = Fetcher(FAST)
    feed = read_feed(server + "/etag.xml", fetcher)
    assert (len(feed.links), feed.etag, feed.not_modified) == (3, '"v1"', False)
    assert feed.last_modified == "Tue, 17 Jun 2025 08:00:00 GMT"
    again = read_feed(server + "/etag.xml", fetcher, feed.etag, feed.last_modified)
    assert again.not_modified and again.links == () and again.etag == '"v1"'
    with pytest.raises(UnsupportedFormat, match="a web page, not an RSS or Atom feed"):
        read_feed(server + "/news/a1.html", fetcher)


def test_a_host_that_cannot_be_reached_is_rejected_naming_why() -> None:
    # Port 1 on 127.0.0.1 has no server: robots.txt cannot be read, so (RFC 9309) the site counts as closed.
    [r] = list(read_url("http://127.0.0.1:1/news/a1.html", FAST))
    assert isinstance(r, Rejection) and r.kind == "robots" and "cannot connect" in r.reason
    [r] = list(read_url("http://127.0.0.1:1/news/a1.html", replace(FAST, respect_robots=False)))
    assert r.kind == "fetch" and r.reason.startswith("cannot connect")
