"""End-to-end: real headless Chromium against uvicorn on loopback with the small ingested store.

Each page loads without console errors or requests to other hosts, a filter click changes the events
listed, the seed article's view highlights its six gold quotes with Peskov and Trump as speakers, and a
screenshot of each page is saved under test-artifacts/screenshots/.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import shared_path
from tests.web.conftest import LiveServer, Watched, ready, screenshot

# A page is ready when its script has filled this element (or reported an error in #status).
PAGES = [
    ("search", "/", "#articles li a"),
    ("search-results", "/?q=Peskov", "#quotes li blockquote"),
    ("events", "/events", "#events tbody tr[data-quad]"),
    ("timeline", "/timeline", "#chart svg .bar rect"),
    ("network", "/network", "#chart svg .node circle"),
    ("map", "/map", "#chart svg .dot"),
    ("docs", "/docs", "#endpoints section"),
    ("dyad-empty", "/dyad", "#status"),
    ("quotes", "/quotes", "#quotes tbody tr.quote-row"),
    ("actor-summary", "/actors/RUSGOV", "#partners tbody tr[data-key]"),
    ("person-summary", "/people/Dmitry%20Peskov", "#top-quotes li blockquote"),
]


@pytest.mark.parametrize("name,path,selector", PAGES, ids=[p[0] for p in PAGES])
def test_page_loads_without_errors(watched: Watched, live_server: LiveServer, name: str, path: str, selector: str) -> None:
    page = watched.page
    response = page.goto(live_server.url + path)
    assert response is not None and response.status == 200
    ready(page, selector)
    assert page.locator("nav a").count() >= 6
    screenshot(page, name)
    watched.assert_clean()


def test_map_draws_country_outlines_and_places(watched: Watched, live_server: LiveServer) -> None:
    page = watched.page
    page.goto(live_server.url + "/map")
    ready(page, "#chart svg .dot")
    assert page.locator("#chart svg path.country").count() > 150  # Natural Earth 1:110m has 177 countries
    # a city is a dot, a place that is a whole country (Saudi Arabia, in the seed) shades its country instead
    assert page.locator("#chart svg .dot").count() == page.locator("#places tbody tr[data-level=point]").count() >= 3
    assert page.locator("#chart svg path.country.shaded").count() == page.locator("#places tbody tr[data-level=country]").count() >= 1
    watched.assert_clean()


def test_network_edges_are_coloured_by_cooperation_and_conflict(watched: Watched, live_server: LiveServer) -> None:
    page = watched.page
    page.goto(live_server.url + "/network")
    ready(page, "#chart svg .node circle")
    # the seed: Trump and the Kremlin (USAGOV <-> RUSGOV) cooperate; the Chinese coast guard's water cannon on the
    # Philippines (CHNMIL -> PHL) is conflict
    assert page.locator('path.edge.coop[data-source="USAGOV"][data-target="RUSGOV"]').count() == 1
    assert page.locator('path.edge.conflict[data-source="CHNMIL"][data-target="PHL"]').count() == 1
    watched.assert_clean()


def _event_rows(page: Any) -> list[tuple[str, str]]:
    return [(r.get_attribute("data-event-id") or "", r.get_attribute("data-quad") or "")
            for r in page.locator("#events tbody tr[data-quad]").all()]


def test_filter_click_changes_the_events(watched: Watched, live_server: LiveServer) -> None:
    page = watched.page
    page.goto(live_server.url + "/events")
    ready(page, "#events tbody tr[data-quad]")
    before = _event_rows(page)
    assert {q for _, q in before} >= {"1", "4"}, before

    page.select_option("#filters select[name=quad]", "4")
    page.click("#filters button[type=submit]")
    page.wait_for_selector("#events[data-query='quad=4']")
    after = _event_rows(page)
    assert after and after != before
    assert all(q == "4" for _, q in after)
    assert "quad=4" in page.url  # the filter is in the URL, so the view can be bookmarked

    page.fill("#filters input[name=actor]", "RUS")
    page.click("#filters button[type=submit]")
    page.wait_for_selector("#events[data-query='actor=RUS&quad=4']")
    codes = page.locator("#events tbody tr[data-quad] td:nth-child(2) .code").all_inner_texts()
    assert codes and all(c.startswith("RUS") for c in codes), codes
    screenshot(page, "events-filtered")

    page.click("#filters button[type=reset]")
    page.wait_for_selector("#events[data-query='']")
    assert _event_rows(page) == before

    page.select_option("#filters select[name=min_confidence]", "0.7")  # only the surer events
    page.click("#filters button[type=submit]")
    page.wait_for_selector("#events[data-query='min_confidence=0.7']")
    surer = _event_rows(page)
    assert surer and len(surer) < len(before) and "min_confidence=0.7" in page.url
    watched.assert_clean()


def test_seed_article_highlights_the_gold_quotes_with_their_speakers(
        watched: Watched, live_server: LiveServer, seed_article_id: str) -> None:
    gold = json.loads(Path(shared_path("gold", "seed.gold.json")).read_text(encoding="utf-8"))
    required = [q for q in gold["quotes"] if q.get("required")]
    assert len(required) == 6
    page = watched.page
    page.goto(f"{live_server.url}/articles/{seed_article_id}")
    ready(page, "#text .quote[data-speaker]")
    quotes = page.locator("#text [data-speaker]")
    found = [(q.get_attribute("data-speaker") or "", q.get_attribute("title") or "", q.inner_text()) for q in quotes.all()]

    def norm(s: str) -> str:
        return " ".join(s.replace("’", "'").replace("“", '"').replace("”", '"').lower().split())

    for g in required:
        hits = [f for f in found if norm(g["text_contains"]) in norm(f[2])]
        assert hits, f"gold quote {g['id']} ({g['text_contains']!r}) is not highlighted; highlighted: {found}"
        surname = g["speaker"].split()[-1]
        assert any(surname in speaker and surname in title for speaker, title, _ in hits), (g, hits)
    speakers = {speaker for speaker, _, _ in found}
    assert {"Dmitry Peskov", "Donald Trump"} <= speakers
    # every quote is one highlighted element (a quote cut by an overlapping highlight keeps one data-speaker)
    stored = [q for q in page.evaluate(f"fetch('/api/articles/{seed_article_id}').then(r => r.json())")["quotes"]
              if q["field"] == "text"]
    assert quotes.count() == len(stored)
    # the visible label over each quote comes from data-speaker-label through CSS
    label = page.evaluate("getComputedStyle(document.querySelector('#text .quote[data-speaker-label]'), '::before').content")
    assert label.strip('"') in {"Dmitry Peskov", "Donald Trump", "Kremlin"}
    # a label is the speaker's whole name: never the second word of a two-word name ("Korea", "Jong-il")
    labels = page.locator("#text .quote[data-speaker-label]").evaluate_all(
        "ns => ns.map(n => [n.dataset.speaker, n.dataset.speakerLabel])")
    assert labels and all(label == speaker for speaker, label in labels if len(speaker) <= 22), labels
    # events: their evidence sentences are highlighted and link to the event and actor pages
    assert page.locator("#text .evidence[id^=ev-]").count() >= 3
    assert page.locator("#events a[href^='/events/']").count() >= 3
    assert page.locator("#events a[href='/actors/RUSGOV']").count() >= 1
    assert page.locator("#text .mention").count() >= 20
    screenshot(page, "article-seed")
    watched.assert_clean()


def test_event_and_actor_pages(watched: Watched, live_server: LiveServer, seed_article_id: str) -> None:
    page = watched.page
    page.goto(f"{live_server.url}/articles/{seed_article_id}")
    ready(page, "#events a[href^='/events/']")
    page.locator("#events a[href^='/events/']").first.click()
    page.wait_for_url("**/events/*")
    ready(page, "#mentions li")
    assert page.locator("#details dd").count() >= 6
    assert page.locator(f"#mentions a[href^='/articles/{seed_article_id}']").count() >= 1
    screenshot(page, "event")
    page.goto(f"{live_server.url}/actors/RUSGOV")
    ready(page, "#as-source tbody tr[data-quad]")
    assert page.locator("#as-target tbody tr[data-quad]").count() >= 1
    assert page.locator("#quotes li").count() >= 1
    assert page.locator("#heading").inner_text().startswith("Russia (government)")  # the code's one name
    screenshot(page, "actor")
    # the government's page lists its people; a person's page has only their own quotes
    page.locator("#people a[href='/people/Dmitry%20Peskov']").click()
    page.wait_for_url("**/people/*")
    ready(page, "#quotes li blockquote")
    assert page.locator("#heading").inner_text().startswith("Dmitry Peskov")
    assert page.locator("#meta a[href='/actors/RUSGOV']").count() == 1
    assert set(page.locator("#quotes li blockquote").evaluate_all("ns => ns.map(n => n.dataset.speaker)")) == {"Dmitry Peskov"}
    screenshot(page, "person")
    watched.assert_clean()


def test_unknown_article_shows_a_clear_message(watched: Watched, live_server: LiveServer) -> None:
    page = watched.page
    page.goto(f"{live_server.url}/articles/ffffffffffff")
    page.wait_for_selector("#status.error")
    assert "no article with id" in page.locator("#status").inner_text()
    # the failed API call is a 404 the browser logs as a failed resource; nothing else may go wrong
    assert all("404" in e for e in watched.errors), watched.errors
