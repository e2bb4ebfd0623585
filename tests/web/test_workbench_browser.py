"""End-to-end, as a conflict analyst works (issue #19): real headless Chromium against uvicorn on loopback.

Each workflow of the acceptance: the events between two countries in both directions downloaded as CSV (the
file's rows are the API's count); a sort by Goldstein; a network edge followed to a dyad view whose counts are
the edge's; a theme and confidence filter carried to the other tabs; a quote search with paging; the timeline
of a store with outlying dates showing where the data is. A screenshot of each is saved under
test-artifacts/screenshots/ (workbench-*.png; test_browser.py takes one of every page).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from tests.web.conftest import LiveServer, Watched, ready, screenshot, start_server, stop_server, watching


def _open(w: Watched, live_server: LiveServer, path: str, selector: str) -> Any:
    """The page at ``path``, once its script has filled ``selector``."""
    page = w.page
    page.goto(live_server.url + path)
    ready(page, selector)
    return page


def _api(live_server: LiveServer, path: str) -> Any:
    return httpx.get(live_server.url + path, timeout=30).json()


def _query(page: Any) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def test_both_directions_between_two_countries_downloaded_as_csv(watched: Watched, live_server: LiveServer,
                                                                  tmp_path: Path) -> None:
    page = _open(watched, live_server, "/events", "#events tbody tr[data-quad]")
    page.fill("#filters input[name=actor]", "usa")  # any case, a code ...
    page.fill("#filters input[name=target]", "Russia")  # ... or a name
    page.click("#filters button[type=submit]")
    page.wait_for_selector("#events[data-query='actor=usa&target=Russia']")
    one_way = _api(live_server, "/api/events?actor=USA&target=RUS")["total"]
    assert page.locator("#events").get_attribute("data-total") == str(one_way)
    assert "United States (USA)" in page.locator("#matched").inner_text()
    screenshot(page, "workbench-events-pair")

    page.click("#to-dyad")  # both directions
    page.wait_for_url("**/dyad?*")
    ready(page, "#events tbody tr[data-direction]")
    dyad = _api(live_server, "/api/dyad?a=USA&b=RUS")
    assert dyad["directions"]["b_to_a"]["events"] > 0
    assert page.locator("#total-both strong").inner_text() == str(dyad["total"])
    assert page.locator("#total-ab strong").inner_text() == str(one_way)
    assert set(page.locator("#events tbody tr").evaluate_all("rs => rs.map(r => r.dataset.direction)")) == {"a_to_b", "b_to_a"}
    assert page.locator("#chart svg .bar").count() >= 1 and page.locator("#types tbody tr").count() >= 1
    screenshot(page, "workbench-dyad")

    with page.expect_download() as info:
        page.click("#downloads a.download-csv")
    saved = tmp_path / "dyad.csv"
    info.value.save_as(saved)
    rows = list(csv.reader(io.StringIO(saved.read_bytes().decode("utf-8"), newline="")))
    assert rows[0][0] == "event_id" and "direction" in rows[0]
    assert len(rows) - 1 == dyad["total"]  # the file's rows are the API's count
    watched.assert_clean()


def test_sort_by_goldstein_on_the_server(watched: Watched, live_server: LiveServer) -> None:
    page = _open(watched, live_server, "/events?limit=25", "#events tbody tr[data-quad]")
    assert page.locator("#page-size").input_value() == "25"
    page.click("#events th button[data-sort=goldstein]")
    page.wait_for_selector("#events[data-query*='sort=goldstein']")
    assert _query(page)["sort"] == "goldstein"

    def scores() -> list[float]:
        return [float(t) for t in page.locator("#events tbody tr td:nth-child(6)").all_inner_texts() if t]

    ascending = scores()
    api_ascending = [e["goldstein"] for e in _api(live_server, "/api/events?sort=goldstein&limit=25")["items"]]
    assert ascending == sorted(ascending) == [round(g, 1) for g in api_ascending]
    assert ascending[0] == min(e["goldstein"] for e in _api(live_server, "/api/events?format=json"))  # the whole store's
    page.click("#events th button[data-sort=goldstein]")  # again: descending
    page.wait_for_selector("#events[data-query*='sort=-goldstein']")
    assert scores() == sorted(scores(), reverse=True)
    assert page.locator("#events th[aria-sort=descending]").count() == 1
    # the evidence is one line until asked for
    line = page.locator("#events .evidence-line").first
    collapsed = line.bounding_box()["height"]
    line.locator("button.expand").click()
    assert "open" in (line.get_attribute("class") or "") and line.bounding_box()["height"] >= collapsed
    screenshot(page, "workbench-events-sorted")
    watched.assert_clean()


def test_a_network_edge_leads_to_a_dyad_whose_counts_match(watched: Watched, live_server: LiveServer) -> None:
    page = _open(watched, live_server, "/network?limit=3", "#chart svg .node circle")
    total = _api(live_server, "/api/network?limit=3")["total"]
    assert page.locator("#cut").is_visible() and f"of {total} pairs" in page.locator("#cut").inner_text()
    page.locator("#top").select_option("500")
    page.wait_for_selector("#cut[hidden]", state="attached")
    page.fill("#find", "Putin")
    page.wait_for_selector("#chart svg .node.match")
    assert page.locator("#chart svg.searching .node.match").count() == 1
    page.locator("#zoom-in").click()
    assert float(page.locator("#chart svg").get_attribute("data-zoom")) > 1
    screenshot(page, "workbench-network")
    edge = page.locator("#chart svg path.edge[data-source-key='person:Donald Trump'][data-target-key='person:Vladimir Putin']")
    events = int(edge.get_attribute("data-events"))
    href = edge.locator("xpath=..").get_attribute("href")
    assert href.startswith("/dyad?")
    page.goto(live_server.url + href)
    ready(page, "#events tbody tr[data-direction]")
    assert page.locator("#total-ab strong").inner_text() == str(events)
    assert page.locator("#events tbody tr[data-direction=a_to_b]").count() == events
    watched.assert_clean()


def test_filter_by_theme_and_confidence_and_carry_it_across_tabs(watched: Watched, live_server: LiveServer) -> None:
    page = _open(watched, live_server, "/events", "#events tbody tr[data-quad]")
    page.wait_for_selector("#filters select[name=theme] option[value=DIPLOMACY]", state="attached")
    page.select_option("#filters select[name=theme]", "DIPLOMACY")
    page.select_option("#filters select[name=min_confidence]", "0.7")
    page.click("#filters button[type=submit]")
    page.wait_for_selector("#events[data-query='min_confidence=0.7&theme=DIPLOMACY']")
    expected = _api(live_server, "/api/events?theme=DIPLOMACY&min_confidence=0.7")["total"]
    assert 0 < expected < _api(live_server, "/api/events")["total"]
    assert page.locator("#events").get_attribute("data-total") == str(expected)
    confidences = [float(t) for t in page.locator("#events tbody tr td:nth-child(9)").all_inner_texts()]
    assert confidences and min(confidences) >= 0.7
    screenshot(page, "workbench-events-theme")
    page.click("nav a[data-nav=timeline]")  # the filters come along
    page.wait_for_url("**/timeline?*")
    ready(page, "#chart svg .bar")
    assert page.locator("#filters select[name=theme]").input_value() == "DIPLOMACY"
    assert page.locator("#filters select[name=min_confidence]").input_value() == "0.7"
    timeline = _api(live_server, "/api/timeline?theme=DIPLOMACY&min_confidence=0.7")
    assert sum(int(b) for b in page.locator("#chart svg .bar").evaluate_all("bs => bs.map(b => b.dataset.events)")) == (
        timeline["total"] - timeline["outliers"])
    for tab in ("network", "map"):
        assert "theme=DIPLOMACY" in page.locator(f"nav a[data-nav={tab}]").get_attribute("href")
    watched.assert_clean()


def test_a_quote_search_with_paging(watched: Watched, live_server: LiveServer) -> None:
    page = _open(watched, live_server, "/quotes?limit=3", "#quotes tbody tr.quote-row")
    page.fill("#filters input[name=contains]", "talks")
    page.click("#filters button[type=submit]")
    page.wait_for_selector("#quotes[data-query='contains=talks&limit=3']")
    total = _api(live_server, "/api/quotes?contains=talks")["total"]
    assert total > 3 and page.locator("#quotes").get_attribute("data-total") == str(total)
    first = page.locator("#quotes tbody blockquote").all_inner_texts()
    assert len(first) == 3 and all("talk" in t.lower() for t in first)
    page.click("#pager button:has-text('Next')")
    page.wait_for_selector("#quotes[data-query='contains=talks&limit=3&offset=3']")
    second = page.locator("#quotes tbody blockquote").all_inner_texts()
    assert second and not set(second) & set(first)
    assert f"of {total}" in page.locator("#pager").inner_text()
    screenshot(page, "workbench-quotes")
    page.fill("#filters input[name=actor]", "kremlin")  # the speaker as an actor, any case
    page.fill("#filters input[name=contains]", "")
    page.click("#filters button[type=submit]")
    page.wait_for_selector("#quotes[data-query='actor=kremlin&limit=3']")
    assert "Russia (government) (RUSGOV)" in page.locator("#matched").inner_text()
    watched.assert_clean()


@pytest.fixture(scope="module")
def outlier_server(outlier_db: Path) -> Iterator[LiveServer]:
    live = start_server(outlier_db)
    yield live
    stop_server(live)


@pytest.fixture
def watched_outliers(browser: Any, outlier_server: LiveServer) -> Iterator[Watched]:
    with watching(browser, outlier_server.url) as w:
        yield w


def test_the_timeline_of_a_store_with_outlying_dates_shows_the_dense_range(
        watched_outliers: Watched, outlier_server: LiveServer) -> None:
    page = _open(watched_outliers, outlier_server, "/timeline", "#chart svg .bar rect")
    chart = page.locator("#chart")
    assert chart.get_attribute("data-from") >= "2025-03-01" and chart.get_attribute("data-to") <= "2025-03-31"
    assert page.locator("#chart svg .axis-label", has_text="2025-03").count() >= 2  # days of March, not decades
    assert page.locator("#outliers li").all_inner_texts() == ["1947-08-15: 1 event", "2013-06-01: 1 event"]
    assert page.locator("#outliers-box").is_visible()
    screenshot(page, "workbench-timeline-dense")
    link = page.locator("#outliers a").first.get_attribute("href")
    assert "since=1947-08-15" in link and "until=1947-08-15" in link
    page.check("#all-dates")  # every date: the axis reaches back to 1947
    page.wait_for_selector("#chart[data-from='1947-08-15']")
    assert "span=all" in page.url
    screenshot(page, "workbench-timeline-all")
    watched_outliers.assert_clean()


def test_the_map_says_what_it_shows(watched: Watched, live_server: LiveServer) -> None:
    page = _open(watched, live_server, "/map", "#chart svg .dot")
    coverage = _api(live_server, "/api/places")["coverage"]
    assert page.locator("#unplaced").inner_text() == str(coverage["unplaced"])
    assert "not on the map" in page.locator("#coverage").inner_text()
    assert page.locator("#legend svg.size-legend circle").count() >= 1
    dot = page.locator("#chart svg .dot").first
    listed = _api(live_server, f"/api/events?place={dot.get_attribute('data-geonameid')}")["total"]
    assert int(dot.get_attribute("data-events")) == listed
    page.locator("#zoom-in").click()
    assert float(page.locator("#chart svg").get_attribute("data-zoom")) > 1
    watched.assert_clean()


def test_the_event_page_says_who_did_what_to_whom_and_an_unknown_id_says_so(
        watched: Watched, live_server: LiveServer) -> None:
    page = watched.page
    ev = _api(live_server, "/api/events?actor=code:RUSGOV&target=code:USAGOV&limit=1")["items"][0]  # not its people
    page.goto(f"{live_server.url}/events/{ev['event_id']}")
    ready(page, "#mentions li")
    heading = page.locator("#heading").inner_text()
    assert heading.startswith("Russia (government) → ") and heading.endswith("→ United States (government)")
    assert ev["cameo"] in heading
    screenshot(page, "workbench-event")
    page.goto(f"{live_server.url}/events/4242")
    page.wait_for_selector("#status.error")
    assert page.locator("#heading").inner_text() == "No such event"
    assert "no event with id 4242" in page.locator("#details").inner_text()
    assert page.locator("#mentions-box").is_hidden()
    screenshot(page, "workbench-event-unknown")
    assert all("404" in e for e in watched.errors), watched.errors  # the API's answer, logged by the browser


def test_actor_autocomplete_suggests_the_store_s_actors(watched: Watched, live_server: LiveServer) -> None:
    page = _open(watched, live_server, "/events", "#events tbody tr[data-quad]")
    page.type("#filters input[name=actor]", "rus", delay=30)
    page.wait_for_selector("#actor-options option[value=RUS]", state="attached")
    labels = page.locator("#actor-options option").evaluate_all("os => os.map(o => o.value)")
    assert labels[0].startswith("RUS")
    watched.assert_clean()


def test_dyad_page_is_reachable_from_an_actor_page(watched: Watched, live_server: LiveServer) -> None:
    page = _open(watched, live_server, "/actors/RUSGOV", "#partners tbody tr[data-key]")
    row = page.locator("#partners tbody tr[data-key]").first
    events = int(row.locator("td:nth-child(2)").inner_text())
    row.locator("a.dyad-link").click()
    page.wait_for_url("**/dyad?*")
    ready(page, "#summary .figure")
    assert page.locator("#total-both strong").inner_text() == str(events)
    watched.assert_clean()


def test_a_bad_date_is_refused_in_the_form(watched: Watched, live_server: LiveServer) -> None:
    page = _open(watched, live_server, "/events", "#events tbody tr[data-quad]")
    since = page.locator("#filters input[name=since]")
    assert since.get_attribute("placeholder") == "YYYY-MM-DD" and since.get_attribute("type") is None
    since.fill("03/04/2025")
    assert page.evaluate("document.querySelector('#filters input[name=since]').checkValidity()") is False
    since.fill("2025-03-04")
    page.click("#filters button[type=submit]")
    page.wait_for_selector("#events[data-query='since=2025-03-04']")
    marks = page.locator("#events .date-mark")
    reported = _api(live_server, "/api/events?since=2025-03-04&date_precision=reported")["total"]
    assert marks.count() == reported  # the dates that are only the publication date say so
    watched.assert_clean()
