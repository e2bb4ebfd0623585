"""The web layer under attack (issue #10, part 3 and 4).

- A hostile article (a ``<script>`` title, a quote that breaks out of an attribute into an ``<img onerror>``,
  markup in an evidence sentence, a ``javascript:`` URL) is shown as text: in the real browser no dialog opens,
  no script runs, no element is injected, and the CSP reports no violation.
- Every filter of every endpoint is probed with SQL-injection strings: each answers 400 or an empty result,
  and the store is unchanged afterwards.
- While an ingest commits a batch into the same store, the server answers every request with 200 and whole
  JSON.
"""

from __future__ import annotations

import json
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from newsevents import query
from newsevents.ingest import ingest
from tests.conftest import SAMPLES
from tests.web.conftest import (
    HOSTILE_QUOTE,
    HOSTILE_TITLE,
    LiveServer,
    Watched,
    copy_store,
    screenshot,
    start_server,
    stop_server,
)

# --- escaping, in the browser ------------------------------------------------------------------------------
INJECTED = "img[src='x'], svg[onload], [onerror], [onload], a[href^='javascript:'], b"


def _settle(page: Any, selector: str) -> None:
    page.wait_for_selector(f"{selector}, #status.error", timeout=15_000)
    page.wait_for_load_state("networkidle")
    assert page.locator("#status.error").count() == 0, page.locator("#status").inner_text()


def _assert_no_script_ran(w: Watched) -> None:
    page = w.page
    assert page.locator(INJECTED).count() == 0, page.locator(INJECTED).evaluate_all("ns => ns.map(n => n.outerHTML)")
    # the only scripts are the page's own files
    srcs = page.locator("script").evaluate_all("ns => ns.map(n => n.getAttribute('src'))")
    assert srcs and all(s and s.startswith("/static/") for s in srcs), srcs
    w.assert_clean()  # no dialog, no console error (a CSP violation is one), no request elsewhere


def test_the_hostile_article_is_stored_with_its_quote(web_db: Path, hostile_article_id: str) -> None:
    a = query.article(web_db, hostile_article_id)
    assert a["title"] == HOSTILE_TITLE
    assert any(HOSTILE_QUOTE in q["text"] and q["speaker_canonical"] == "Anna Berg" for q in a["quotes"]), a["quotes"]
    assert any("<svg onload=alert(1)>" in e["evidence"] for e in a["events"]), a["events"]
    assert a["url"].startswith("javascript:")


def test_hostile_article_view_runs_no_script(watched: Watched, live_server: LiveServer, hostile_article_id: str) -> None:
    page = watched.page
    response = page.goto(f"{live_server.url}/articles/{hostile_article_id}")
    assert response is not None and "script-src 'self'" in response.headers["content-security-policy"]
    _settle(page, "#text .quote[data-speaker]")
    assert page.locator("#title").inner_text() == HOSTILE_TITLE  # shown as text, literally
    quotes = page.locator("#text .quote[data-speaker='Anna Berg']")
    assert any(HOSTILE_QUOTE in t for t in quotes.all_inner_texts())
    assert any(HOSTILE_QUOTE in t for t in page.locator("#quotes blockquote").all_inner_texts())
    assert "<svg onload=alert(1)>" in page.locator("#text .evidence").first.inner_text() or \
        any("<svg onload=alert(1)>" in t for t in page.locator("#text .evidence").all_inner_texts())
    assert page.locator("#meta a", has_text="original").count() == 0  # the javascript: url is not a link
    assert page.title().startswith(HOSTILE_TITLE)
    screenshot(page, "hostile-article")
    _assert_no_script_ran(watched)


@pytest.mark.parametrize("path,selector", [
    ("/", "#articles li a"),
    ("/?q=" + quote(HOSTILE_TITLE), "#articles li a"),
    ("/?q=give up", "#quotes li blockquote"),
    ("/?q=Berg", "#quotes li blockquote"),
    ("/events?actor=SWE", "#events tbody tr[data-quad]"),
    ("/actors/SWE", "#as-source tbody tr[data-quad]"),
    ("/dyad?a=SWE&b=RUS", "#events tbody tr[data-direction]"),
    ("/quotes?contains=give up", "#quotes tbody tr.quote-row"),
    ("/quotes?actor=Anna Berg", "#quotes tbody tr.quote-row"),
    ("/people/Anna%20Berg", "#top-quotes li blockquote"),
], ids=["search-latest", "search-title", "search-quote", "search-speaker", "events", "actor", "dyad", "quotes",
        "quotes-actor", "person-summary"])
def test_hostile_strings_in_lists_run_no_script(watched: Watched, live_server: LiveServer, path: str, selector: str) -> None:
    page = watched.page
    page.goto(live_server.url + path)
    _settle(page, selector)
    text = page.locator("main").inner_text()
    assert HOSTILE_TITLE in text or HOSTILE_QUOTE in text or "<svg onload=alert(1)>" in text, text[:500]
    _assert_no_script_ran(watched)


def test_hostile_url_parameters_run_no_script(watched: Watched, live_server: LiveServer) -> None:
    page = watched.page
    evil = quote('"><img src=x onerror=alert(1)><svg onload=alert(2)>', safe="")
    page.goto(f"{live_server.url}/events?actor={evil}&place={evil}")
    _settle(page, "#events tbody tr")
    assert page.locator("#filters input[name=actor]").input_value().startswith('"><img')
    page.goto(f"{live_server.url}/articles/{evil}")
    page.wait_for_selector("#status.error")
    page.goto(f"{live_server.url}/actors/{evil}")
    _settle(page, "#as-source tbody tr")
    assert page.locator(INJECTED).count() == 0
    page.goto(f"{live_server.url}/dyad?a={evil}&b={evil}&theme={evil}")
    _settle(page, "#events tbody tr")
    assert '"><img' in page.locator("#heading").inner_text()  # the names asked for, shown as text
    page.goto(f"{live_server.url}/quotes?contains={evil}&actor={evil}")
    _settle(page, "#quotes tbody tr")
    page.goto(f"{live_server.url}/network?find={evil}&actor={evil}")
    _settle(page, "#chart p, #chart svg")
    page.goto(f"{live_server.url}/timeline?actor={evil}&by=month")
    _settle(page, "#chart p, #chart svg")
    assert page.locator(INJECTED).count() == 0
    assert not watched.dialogs and not [e for e in watched.errors if "404" not in e and "400" not in e], watched.errors


# --- SQL injection ---------------------------------------------------------------------------------------
INJECTIONS = [
    "' OR 1=1 --",
    "1; DROP TABLE articles",
    "%' UNION SELECT id, text, title, url FROM articles --",
    "'; DROP VIEW events; --",
    "') OR ('1'='1",
    "\" OR \"\"=\"",
    "RUS' OR source_code LIKE '%",
    "1) UNION SELECT NULL, NULL --",
    "'||(SELECT count(*) FROM articles)||'",
    "\\'; COPY articles TO '/tmp/pwned.csv'; --",
]

# Every endpoint with every parameter it takes (path parameters as {}).
FILTERS = ("actor", "target", "root", "quad", "since", "until", "place", "actor_person", "target_person",
           "min_confidence", "theme", "source", "min_tone", "max_tone", "date_precision")
LISTING = ("sort", "format")
ENDPOINTS: dict[str, tuple[str, ...]] = {
    "/api/articles": ("source", "since", "until", "contains", "id", "theme", "min_tone", "max_tone", "min_confidence",
                      "date_precision", "limit", "offset", *LISTING),
    "/api/events": (*FILTERS, "article", "limit", "offset", *LISTING),
    "/api/reports": (*FILTERS, "article", "include_negated", "limit", "offset", *LISTING),
    "/api/dyad": ("a", "b", *FILTERS[2:7], *FILTERS[9:], "by", "limit", "offset", *LISTING),
    "/api/timeline": (*FILTERS, "by", "format"),
    "/api/network": (*FILTERS, "min_events", "limit", "format"),
    "/api/places": (*FILTERS, "limit", "format"),
    "/api/quotes": ("speaker", "contains", "kind", "article", "person", "actor", "since", "until", "limit", "offset",
                    *LISTING),
    "/api/actors": ("contains", "limit", "offset", *LISTING),
    "/api/suggest": ("q", "limit"),
    "/api/actors/{}": (),
    "/api/actors/{}/summary": (),
    "/api/people/{}": (),
    "/api/people/{}/summary": (),
    "/api/search": ("q", "limit"),
    "/api/themes": (),
    "/api/rejected": ("limit", "offset", *LISTING),
    "/api/stats": (),
    "/api/cameo": (),
    "/api/articles/{}": (),
    "/api/events/{}": (),
}
# The parameters an endpoint cannot do without, given harmless values when another one is probed.
REQUIRED = {"/api/search": {"q": "x"}, "/api/suggest": {"q": "x"}, "/api/dyad": {"a": "ZZZ", "b": "QQQ"}}


def _rows(body: dict[str, Any]) -> list[Any]:
    if "items" in body:
        return list(body["items"])
    if "months" in body:  # an actor's summary: what it found
        return [*body["months"], *body["quads"], *body["partners"], *body["quotes"]]
    if "kind" in body:  # one actor (/api/actors/{code}): an unknown code is answered, with nothing found for it
        return [*body.get("people", []), *([body] if body["articles"] else [])]
    return [*body.get("articles", []), *body.get("quotes", []), *body.get("actors", [])]


# Full-text filters search the words of their value (punctuation dropped), so an attack string finds the
# quotes that contain its words ("OR", "1"): the same answer as those words alone.
FULL_TEXT = {("/api/quotes", "contains"), ("/api/search", "q")}


def _words(text: str) -> str:
    return " ".join(w for w in ("".join(ch for ch in word if ch.isalnum()) for word in text.split()) if w)


def _probe(client: Any, path: str, name: str | None, attack: str, url: str) -> str | None:
    """What is wrong with the answer to one probe (None: a 4xx with a message, or a normal, empty result)."""
    r = client.get(url)
    if not r.headers["content-type"].startswith("application/json"):
        return f"{url}: not JSON"
    body = r.json()
    if r.status_code != 200:
        return None if r.status_code in (400, 404) and body.get("error") else f"{url}: {r.status_code} {body}"
    if (path, name) in FULL_TEXT and _words(attack):
        by_words = client.get("/api/quotes", params={"contains": _words(attack), "limit": 500}).json()["items"]
        found = body["items"] if "items" in body else body["quotes"]
        ok = all(q in by_words for q in found) and not body.get("articles") and not body.get("actors")
        return None if ok else f"{url}: {body}"
    # a filter that matched text literally: nothing stores these strings, so nothing may come back
    return None if _rows(body) == [] else f"{url}: {body}"


def test_every_filter_resists_sql_injection(client: Any, web_db: Path) -> None:
    before = query.stats(web_db)
    spec = client.get("/openapi.json").json()["paths"]
    probes: list[tuple[str, str | None, str, str]] = []
    templated = {re.sub(r"\{\w+\}", "{}", p): p for p in spec}
    assert set(templated) == set(ENDPOINTS)  # every endpoint is probed
    for path, params in ENDPOINTS.items():
        if "{}" in path:
            assert len(spec[templated[path]]["get"]["parameters"]) == 1
        else:
            assert {p["name"] for p in spec[path]["get"].get("parameters", [])} == set(params), path  # none left out
        for attack in INJECTIONS:
            if "{}" in path:
                probes.append((path, None, attack, path.replace("{}", quote(attack, safe=""))))
            else:
                probes += [(path, name, attack, f"{path}?{name}={quote(attack, safe='')}" +
                            "".join(f"&{k}={v}" for k, v in REQUIRED.get(path, {}).items() if k != name))
                           for name in params]
    assert len(probes) >= 600
    with ThreadPoolExecutor(max_workers=8) as pool:  # as many as the server's query threads
        problems = [p for p in pool.map(lambda probe: _probe(client, *probe), probes) if p]
    assert not problems, problems[:10]
    after = query.stats(web_db)
    assert after == before  # nothing dropped, altered or written
    assert len(query.articles(web_db, limit=100)) == before["articles"]
    assert not Path("/tmp/pwned.csv").exists()


def test_full_text_operators_in_a_quote_search_are_inert(client: Any) -> None:
    for q in ('" OR * NEAR(', "meeting OR 1=1", "text : x", "-- ;", "AND", "* * *"):
        r = client.get("/api/quotes", params={"contains": q})
        assert r.status_code == 200, (q, r.text)


# --- concurrency -----------------------------------------------------------------------------------------
def _new_articles(directory: Path, count: int = 5) -> Path:
    """``count`` new wire articles (sample records with a sentence added, so their ids are new)."""
    records = [json.loads(line) for line in (SAMPLES / "wire.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    path = directory / "more.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for i in range(count):
            r = dict(records[i % len(records)])
            r["id"] = f"CONCURRENT_{i}"
            r["text"] = r["text"] + f"\n\nOfficials said talks would resume in round {i + 2} next month."
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


ENDPOINTS_UNDER_LOAD = ["/api/stats", "/api/articles?limit=100", "/api/events?limit=100", "/api/timeline",
                        "/api/network", "/api/places", "/api/quotes?contains=talks", "/api/search?q=talks"]
NEW_ARTICLES = 8
CLIENTS = 4  # browser-like clients hammering the API at once


def test_server_keeps_answering_while_an_ingest_commits(web_db: Path, tmp_path: Path) -> None:
    db = copy_store(web_db, tmp_path / "store")
    old = query.stats(db)["articles"]
    new = old + NEW_ARTICLES
    more = _new_articles(tmp_path, NEW_ARTICLES)
    live = start_server(db)
    failures: list[str] = []
    done = threading.Event()
    result: dict[str, Any] = {}
    answered: list[tuple[bool, str]] = []  # (during the ingest, url)
    counts: dict[int, list[int]] = {}  # client -> article counts seen by /api/stats, in order

    def writer() -> None:
        try:
            result["report"] = ingest([more], db)
        except Exception as exc:  # noqa: BLE001 - handed to the test's thread, which asserts there was none
            result["error"] = exc
        finally:
            done.set()

    def client(n: int) -> None:
        seen = counts.setdefault(n, [])
        with httpx.Client(base_url=live.url, timeout=30) as http:
            rounds_after = 0
            while rounds_after < 2:  # go on for two full rounds after the ingest has finished
                if done.is_set():
                    rounds_after += 1
                for url in ENDPOINTS_UNDER_LOAD[n % 2:] + ENDPOINTS_UNDER_LOAD[: n % 2]:
                    during = not done.is_set()
                    r = http.get(url)
                    answered.append((during, url))
                    try:
                        body = r.json()
                    except ValueError:
                        failures.append(f"{url}: not JSON: {r.text[:200]!r}")
                        continue
                    if r.status_code != 200:
                        failures.append(f"{url}: {r.status_code} {body}")
                    elif url == "/api/stats":
                        seen.append(body["articles"])
                    elif url.startswith("/api/articles") and len(body["items"]) not in (old, new):
                        # whole batches only: the old articles, or the old and all the new
                        failures.append(f"{url}: {len(body['items'])} articles")

    try:
        clients = [threading.Thread(target=client, args=(n,), name=f"client-{n}") for n in range(CLIENTS)]
        for t in clients:
            t.start()
        ingesting = threading.Thread(target=writer, name="ingest")
        ingesting.start()
        ingesting.join(timeout=120)
        for t in clients:
            t.join(timeout=120)
    finally:
        stop_server(live)
    assert "error" not in result, result.get("error")
    assert result["report"].stored == NEW_ARTICLES
    assert not failures, failures[:10]
    during = sum(d for d, _ in answered)
    assert during >= 3 * len(ENDPOINTS_UNDER_LOAD), (during, len(answered))  # the requests overlapped the ingest
    for seen in counts.values():
        assert seen == sorted(seen) and set(seen) <= {old, new}, seen  # never back, never half a batch
        assert seen[-1] == new
    assert any(seen[0] == old for seen in counts.values())  # the clients saw the store before and after
    print(f"{len(answered)} requests, {during} while the ingest ran: all 200 with whole JSON")


def test_requests_beyond_the_query_threads_wait_rather_than_fail(web_db: Path) -> None:
    live = start_server(web_db, query_threads=2)
    try:
        results: list[int] = []

        def hit() -> None:
            with httpx.Client(base_url=live.url, timeout=30) as http:
                for _ in range(5):
                    results.append(http.get("/api/events?limit=200").status_code)

        threads = [threading.Thread(target=hit) for _ in range(8)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results == [200] * 40, results
        assert time.monotonic() - started < 60
    finally:
        stop_server(live)
