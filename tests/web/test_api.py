"""The JSON API: every endpoint answers 200 with its shape; bad parameters answer 4xx with a clear message;
the OpenAPI schema lists the endpoints; every answer carries the security headers; no SQL over HTTP."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest

from newsevents import query
from newsevents.errors import StoreError
from newsevents.web import serve
from newsevents.web.api import MAX_PAGE
from newsevents.web.security import CONTENT_SECURITY_POLICY, is_loopback
from tests.web.conftest import serving

EVENT_FILTERS = ("actor", "target", "root", "quad", "since", "until", "place", "actor_person", "target_person",
                 "min_confidence", "theme", "source", "min_tone", "max_tone", "date_precision")


def get(client: Any, url: str, status: int = 200) -> Any:
    r = client.get(url)
    assert r.status_code == status, f"{url}: {r.status_code} {r.text[:300]}"
    assert r.headers["content-type"].startswith("application/json")
    return r.json()


def assert_page(body: dict[str, Any], limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    assert set(body) == {"items", "total", "limit", "offset", "more", "sort", "matched"}
    assert body["limit"] == limit and body["offset"] == offset and isinstance(body["more"], bool)
    assert isinstance(body["items"], list)
    assert body["total"] >= offset + len(body["items"]) and body["more"] == (offset + len(body["items"]) < body["total"])
    return body["items"]


# --- every endpoint ----------------------------------------------------------------------------------------
def test_stats(client: Any, web_db: Path) -> None:
    s = get(client, "/api/stats")
    assert s["articles"] == 11 and s["events"] > 20 and s["quotes"] > 100
    assert s["cross_article_up_to_date"] is True


def test_articles_and_paging(client: Any) -> None:
    items = assert_page(get(client, "/api/articles"))
    assert len(items) == 11
    assert {"id", "published", "source", "title", "chars"} <= set(items[0])
    assert "text" not in items[0]
    first = assert_page(get(client, "/api/articles?limit=4"), limit=4)
    second = get(client, "/api/articles?limit=4&offset=4")
    assert second["more"] is True and get(client, "/api/articles?limit=4&offset=8")["more"] is False
    assert not {a["id"] for a in first} & {a["id"] for a in second["items"]}
    assert [a["source"] for a in assert_page(get(client, "/api/articles?source=themoscowtimes.com"))] == ["themoscowtimes.com"]
    assert len(assert_page(get(client, "/api/articles?contains=Kremlin&since=2025-02-01&until=2025-02-28"))) == 1


def test_article_detail(client: Any, seed_article_id: str) -> None:
    a = get(client, f"/api/articles/{seed_article_id}")
    assert a["id"] == seed_article_id and a["text"].startswith("The Kremlin said Thursday")
    for key in ("entities", "mentions", "quotes", "events", "places", "dates", "themes", "amounts", "copies"):
        assert isinstance(a[key], list), key
    speakers = {q["speaker_canonical"] for q in a["quotes"]}
    assert {"Dmitry Peskov", "Donald Trump"} <= speakers
    peskov = next(e for e in a["entities"] if e["canonical"] == "Dmitry Peskov")
    assert peskov["basis"] == "knowledge" and peskov["sector"] == "GOV"  # how the actor's country was decided
    assert {"pronoun", "title"} & {m["kind"] for m in a["mentions"] if m["entity_id"] == peskov["entity_id"]}
    ev = next(e for e in a["events"] if e["event_id"])
    assert isinstance(ev["event_id"], str)
    assert a["text"][ev["start"]:ev["end"]].strip() == ev["evidence"]  # (the offsets may take in a paragraph break)
    assert get(client, f"/api/articles/{seed_article_id[:10]}")["id"] == seed_article_id  # a prefix will do


def test_events_and_event_detail(client: Any) -> None:
    items = assert_page(get(client, "/api/events"))
    assert len(items) > 20
    for ev in items:
        # 64-bit ids travel as strings: as JSON numbers JavaScript would round them to another id
        assert isinstance(ev["event_id"], str) and ev["event_id"].lstrip("-").isdigit()
    ev = get(client, f"/api/events/{items[0]['event_id']}")
    assert ev["event_id"] == items[0]["event_id"] and ev["mentions"]
    assert all(m["event_id"] == ev["event_id"] for m in ev["mentions"])


@pytest.mark.parametrize("params,check", [
    ("actor=RUS", lambda e: e["source_code"].startswith("RUS") or "rus" in (e["source_name"] or "").lower()),
    ("target=UKR", lambda e: (e["target_code"] or "").startswith("UKR") or "ukr" in (e["target_name"] or "").lower()),
    ("root=04", lambda e: e["cameo"].startswith("04")),
    ("root=4", lambda e: e["cameo"].startswith("04")),
    ("quad=4", lambda e: e["quad_class"] == 4),
    ("since=2025-06-01", lambda e: e["date"] >= "2025-06-01"),
    ("until=2025-03-04", lambda e: e["date"] <= "2025-03-04~"),
    ("place=JP", lambda e: e["location_country"] == "JP"),
    ("place=Saudi", lambda e: "Saudi" in e["location_name"]),
    ("min_confidence=0.7", lambda e: e["confidence"] >= 0.7),
])
def test_event_filters(client: Any, params: str, check: Any) -> None:
    items = assert_page(get(client, f"/api/events?{params}"))
    assert items, params
    assert all(check(e) for e in items), (params, items)
    assert len(items) < len(assert_page(get(client, "/api/events")))


def test_events_of_an_article(client: Any, seed_article_id: str) -> None:
    items = assert_page(get(client, f"/api/events?article={seed_article_id}"))
    assert items and all(e["article_id"] == seed_article_id for e in items)


def test_reports(client: Any, seed_article_id: str) -> None:
    items = assert_page(get(client, f"/api/reports?article={seed_article_id}"))
    assert items and all(not r["negated"] for r in items)
    negated = [r for r in assert_page(get(client, "/api/reports?include_negated=true&limit=500"), limit=500)
               if r["negated"]]
    assert negated, "the fixture store should hold a negated report"
    article = negated[0]["article_id"]
    plain = assert_page(get(client, f"/api/reports?article={article}"))
    with_negated = assert_page(get(client, f"/api/reports?article={article}&include_negated=true"))
    assert len(with_negated) == len(plain) + sum(r["article_id"] == article for r in negated)
    assert all(not r["negated"] for r in plain) and any(r["negated"] for r in with_negated)


@pytest.mark.parametrize("by,width", [("day", 10), ("month", 7), ("year", 4)])
def test_timeline(client: Any, by: str, width: int) -> None:
    body = get(client, f"/api/timeline?by={by}")
    assert body["by"] == by and body["items"]
    for row in body["items"]:
        assert len(row["period"]) == width
        assert row["events"] == row["verbal_coop"] + row["material_coop"] + row["verbal_conflict"] + row["material_conflict"]
    assert get(client, "/api/timeline?quad=1")["items"][0]["material_conflict"] == 0


def test_network(client: Any) -> None:
    items = get(client, "/api/network")["items"]
    pair = next(p for p in items if (p["source_code"], p["target_code"]) == ("USAGOV", "RUSGOV"))
    assert pair["cooperation"] == pair["events"] >= 3 and pair["conflict"] == 0
    assert len(get(client, "/api/network?limit=2")["items"]) == 2
    assert all(p["events"] >= 2 for p in get(client, "/api/network?min_events=2")["items"])


def test_places(client: Any) -> None:
    items = get(client, "/api/places")["items"]
    assert items and all(-90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180 for p in items)
    assert {p["country"] for p in items} >= {"JP", "SA"}


def test_quotes(client: Any, seed_article_id: str) -> None:
    items = assert_page(get(client, "/api/quotes?speaker=Peskov"))
    assert len(items) >= 5 and all("Peskov" in q["speaker_canonical"] for q in items)
    hits = assert_page(get(client, "/api/quotes?contains=meeting"))
    assert hits and all(q["text"] for q in hits)
    assert all(q["kind"] == "direct" for q in assert_page(get(client, "/api/quotes?kind=direct")))
    assert all(q["article_id"] == seed_article_id
               for q in assert_page(get(client, f"/api/quotes?article={seed_article_id[:8]}")))


def test_actors(client: Any) -> None:
    items = assert_page(get(client, "/api/actors"))
    assert {"kind", "code", "name", "country", "articles"} <= set(items[0])
    assert any(a["code"] == "RUSGOV" for a in assert_page(get(client, "/api/actors?contains=RUS")))


def test_search(client: Any, seed_article_id: str) -> None:
    r = get(client, "/api/search?q=Peskov")
    assert r["q"] == "Peskov"
    assert [a["id"] for a in r["articles"]] == [seed_article_id]
    assert r["quotes"] and all(q["speaker_canonical"] == "Dmitry Peskov" for q in r["quotes"])  # by speaker
    assert any(a["name"] == "Dmitry Peskov" for a in r["actors"]) or r["actors"] == []
    words = get(client, "/api/search?q=prisoner exchange")
    assert words["articles"] and words["quotes"]
    assert len(get(client, "/api/search?q=the&limit=3")["articles"]) == 3


def test_rejected_and_cameo(client: Any) -> None:
    assert assert_page(get(client, "/api/rejected")) == []
    codes = {c["code"]: c for c in get(client, "/api/cameo")["items"]}
    assert codes["036"]["root"] == "03" and codes["190"]["quad_class"] == 4 and len(codes) > 300


# --- bad parameters ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("url,status,message", [
    ("/api/events?since=yesterday", 400, "since must be a date as YYYY-MM-DD, got 'yesterday'"),
    ("/api/events?until=2025-13-45", 400, "until must be a date"),
    ("/api/articles?since=last week", 400, "since must be a date"),
    ("/api/events?root=21", 400, "root must be a CAMEO root code from 01 to 20"),
    ("/api/events?root=abc", 400, "root must be a CAMEO root code"),
    ("/api/events?quad=5", 400, "quad must be a quad class 1-4"),
    ("/api/timeline?quad=x", 400, "quad must be a quad class 1-4"),
    ("/api/events?limit=501", 400, f"limit: input should be less than or equal to {MAX_PAGE}, got '501'"),
    ("/api/events?limit=100000", 400, "limit: input should be less than or equal to 500"),
    ("/api/events?limit=0", 400, "limit: input should be greater than or equal to 1"),
    ("/api/events?limit=-5", 400, "limit: input should be greater than or equal to 1"),
    ("/api/events?limit=ten", 400, "limit: input should be a valid integer"),
    ("/api/quotes?offset=-1", 400, "offset: input should be greater than or equal to 0"),
    ("/api/network?limit=501", 400, "limit: input should be less than or equal to 500"),
    ("/api/network?min_events=0", 400, "min_events: input should be greater than or equal to 1"),
    ("/api/places?limit=1000", 400, "limit: input should be less than or equal to 500"),
    ("/api/timeline?by=week", 400, "by: input should be 'day', 'month' or 'year', got 'week'"),
    ("/api/quotes?kind=shouted", 400, "kind: input should be 'direct', 'partial' or 'indirect'"),
    ("/api/reports?include_negated=perhaps", 400, "include_negated: input should be a valid boolean"),
    ("/api/search", 400, "q: field required"),
    ("/api/search?q=", 400, "q: string should have at least 1 character"),
    ("/api/search?q=%20%20", 400, "q must contain something to search for"),
    ("/api/search?q=x&limit=101", 400, "limit: input should be less than or equal to 100"),
    ("/api/events?actor=" + "x" * 201, 400, "actor: string should have at most 200 characters"),
    ("/api/articles/ffffffffffffffffffffffff", 404, "no article with id 'ffffffffffffffffffffffff'"),
    ("/api/articles/not-an-id!", 400, "article id must be letters and digits"),
    ("/api/articles/" + "a" * 65, 400, "article_id: string should have at most 64 characters"),
    ("/api/events/12345", 404, "no event with id 12345"),
    ("/api/events/99999999999999999999", 404, "no event with id 99999999999999999999"),
    ("/api/events/abc", 400, "event id must be a whole number, got 'abc'"),
    ("/api/nothing-here", 404, "no page or endpoint at /api/nothing-here"),
])
def test_bad_parameters_answer_4xx_with_a_clear_message(client: Any, url: str, status: int, message: str) -> None:
    body = get(client, url, status)
    assert set(body) == {"error"}
    assert message in body["error"], body["error"]


def test_the_api_is_read_only(client: Any) -> None:
    for method in ("post", "put", "delete", "patch"):
        r = client.request(method.upper(), "/api/events")
        assert r.status_code == 405 and "only answer GET" in r.json()["error"]


def test_no_sql_over_http(client: Any) -> None:
    for path in ("/api/sql", "/api/query", "/sql"):
        assert client.get(path, params={"q": "SELECT 1"}).status_code == 404
        assert client.post(path, content="SELECT 1").status_code in (404, 405)
    assert not any("sql" in p.lower() for p in client.get("/openapi.json").json()["paths"])


# --- schema, headers, pages, static ------------------------------------------------------------------------
API_PATHS = {"/api/stats", "/api/articles", "/api/articles/{article_id}", "/api/events", "/api/events/{event_id}",
             "/api/reports", "/api/quotes", "/api/actors", "/api/actors/{code}", "/api/people/{name}", "/api/timeline",
             "/api/network", "/api/places", "/api/search", "/api/rejected", "/api/cameo", "/api/dyad", "/api/suggest",
             "/api/actors/{code}/summary", "/api/people/{name}/summary", "/api/themes"}


def test_openapi_lists_every_endpoint_with_its_filters(client: Any) -> None:
    spec = get(client, "/openapi.json")
    assert spec["info"]["title"] == "newsevents"
    assert set(spec["paths"]) == API_PATHS  # the pages are not part of the API
    for path in ("/api/events", "/api/reports", "/api/timeline", "/api/network", "/api/places"):
        params = {p["name"] for p in spec["paths"][path]["get"]["parameters"]}
        assert set(EVENT_FILTERS) <= params, path
    assert {"400", "404", "503"} <= set(spec["paths"]["/api/events"]["get"]["responses"])


def test_docs_page_is_served_without_a_cdn(client: Any) -> None:
    r = client.get("/docs")
    assert r.status_code == 200 and "/static/js/docs.js" in r.text
    assert "cdn" not in r.text.lower() and client.get("/redoc").status_code == 404


@pytest.mark.parametrize("url", ["/", "/events", "/timeline", "/network", "/map", "/docs", "/articles/abc",
                                 "/events/123", "/actors/RUS", "/api/stats", "/api/events?quad=9", "/nowhere",
                                 "/static/css/style.css", "/static/js/common.js", "/openapi.json"])
def test_security_headers_on_every_answer(client: Any, url: str) -> None:
    h = client.get(url).headers
    assert h["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in h["content-security-policy"] and "unsafe-inline" not in h["content-security-policy"]
    assert h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "no-referrer"
    assert h["x-frame-options"] == "DENY"


@pytest.mark.parametrize("path", ["/", "/events", "/events/1", "/timeline", "/network", "/map", "/articles/x",
                                  "/actors/RUS", "/people/Someone", "/docs"])
def test_pages_have_no_inline_script_or_style(client: Any, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.DOTALL)
    assert scripts and all(re.search(r'src="/static/[\w/.-]+\.js"', attrs) for attrs, _ in scripts)
    assert all(not body.strip() for _, body in scripts)  # no inline script
    assert "<style" not in html and " style=" not in html and "javascript:" not in html
    assert not re.search(r"\son\w+=", html)  # no inline event handlers
    assert '<nav>' in html and 'href="/events"' in html


def test_pages_do_not_echo_the_request(client: Any) -> None:
    r = client.get("/articles/%3Cscript%3Ealert(1)%3Cscript%3E?x=%3Cimg%20src=x%3E")
    assert r.status_code == 200 and "<script>alert" not in r.text and "<img src=x" not in r.text
    assert r.text == client.get("/articles/abc").text


@pytest.mark.parametrize("path", ["/static/css/style.css", "/static/js/common.js", "/static/js/map.js",
                                  "/static/vendor/countries-110m.json", "/static/vendor/topojson-client.min.js",
                                  "/static/favicon.svg"])
def test_static_files(client: Any, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200 and len(r.content) > 100


def test_scripts_never_write_html() -> None:
    js = Path(__file__).resolve().parents[2] / "src" / "newsevents" / "web" / "static" / "js"
    for path in js.glob("*.js"):
        text = path.read_text(encoding="utf-8")
        sink = re.search(r"\.(innerHTML|outerHTML)\b|insertAdjacentHTML|document\.write|\beval\(|new Function|"
                         r"setAttribute\(\s*[\"']on|\.on\w+\s*=", text)
        assert sink is None, f"{path.name} uses {sink.group(0) if sink else ''}"


# --- failures: store, time limit, hosts --------------------------------------------------------------------
def test_a_missing_store_answers_503(tmp_path: Path) -> None:
    with serving(tmp_path / "none.duckdb") as c:
        r = c.get("/api/events")
    assert r.status_code == 503 and "no newsevents database here" in r.json()["error"]


def test_serve_refuses_a_missing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no newsevents database here"):
        serve(tmp_path / "none.duckdb", port=1)


def test_a_slow_query_answers_503_at_the_time_limit(web_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def slow_stats(db: Any) -> dict[str, Any]:
        time.sleep(3)
        return {}

    monkeypatch.setattr(query, "stats", slow_stats)
    with serving(web_db, request_timeout=0.3) as c:
        started = time.monotonic()
        r = c.get("/api/stats")
        elapsed = time.monotonic() - started
        assert r.status_code == 503 and "took longer than 0.3 s" in r.json()["error"]
        assert elapsed < 2, elapsed
        assert c.get("/api/cameo").status_code == 200  # the server goes on answering


def test_loopback_server_refuses_other_host_names(client: Any) -> None:
    # the live server is built as serve() builds it on loopback
    assert client.get("/api/cameo").status_code == 200
    assert client.get("/api/cameo", headers={"host": "localhost:8000"}).status_code == 200
    assert client.get("/api/cameo", headers={"host": "[::1]:8000"}).status_code == 200
    r = client.get("/api/cameo", headers={"host": "attacker.example"})  # DNS rebinding
    assert r.status_code == 400 and r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("host,expected", [("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True),
                                           ("127.0.0.2", True), ("0.0.0.0", False), ("192.168.1.4", False),
                                           ("example.org", False)])
def test_is_loopback(host: str, expected: bool) -> None:
    assert is_loopback(host) is expected
