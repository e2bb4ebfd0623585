"""The API as an analyst's workbench (issue #19): every listing downloads whole as CSV (RFC 4180, UTF-8, a header
row) or JSON, sorts on the server and says how many rows match; a name and its code, in any case, give the same
rows; two actors both ways (the dyad) add up to what the events and the network say; every chart count equals
the rows its link lists; the timeline's range leaves out outlying dates."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlencode

import httpx
import pytest

from newsevents import query
from newsevents.web.downloads import cell
from tests.web.conftest import serving


def get(client: Any, url: str, status: int = 200) -> Any:
    r = client.get(url)
    assert r.status_code == status, f"{url}: {r.status_code} {r.text[:300]}"
    return r.json()


def csv_rows(client: Any, url: str, **headers: str) -> tuple[list[str], list[list[str]], httpx.Response]:
    r = client.get(url, headers=headers)
    assert r.status_code == 200, f"{url}: {r.status_code} {r.text[:300]}"
    assert r.headers["content-type"].startswith("text/csv") and "charset=utf-8" in r.headers["content-type"]
    assert r.headers["content-disposition"].startswith("attachment; filename=")
    text = r.content.decode("utf-8")  # UTF-8, strictly
    assert not text.startswith("\ufeff")
    assert text.endswith("\r\n") and "\r\n" in text  # CRLF line ends (RFC 4180)
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    return rows[0], rows[1:], r


# Every listing endpoint with a filter that keeps a few rows, and what its JSON total is.
LISTINGS = ["/api/articles?source=themoscowtimes.com", "/api/articles", "/api/events", "/api/events?actor=RUS",
            "/api/reports?include_negated=true", "/api/dyad?a=USA&b=RUS", "/api/quotes", "/api/quotes?speaker=Peskov",
            "/api/actors", "/api/rejected"]
AGGREGATES = ["/api/timeline", "/api/timeline?by=month", "/api/network", "/api/places"]


def _sep(url: str) -> str:
    return "&" if "?" in url else "?"


@pytest.mark.parametrize("url", LISTINGS)
def test_csv_download_has_every_matching_row(client: Any, url: str) -> None:
    page = get(client, f"{url}{_sep(url)}limit=2")
    header, rows, r = csv_rows(client, f"{url}{_sep(url)}format=csv")
    assert len(rows) == page["total"] == int(r.headers["x-total-count"])  # every row, not the page
    if page["items"]:
        assert header == list(page["items"][0])  # the JSON's columns, in order
        assert all(len(row) == len(header) for row in rows)
    else:
        assert header  # a header row even when nothing matches
    everything = get(client, f"{url}{_sep(url)}format=json")
    assert isinstance(everything, list) and len(everything) == page["total"]
    if everything:
        assert everything[:2] == page["items"]  # the same rows in the same order


@pytest.mark.parametrize("url", AGGREGATES)
def test_aggregates_download_as_csv(client: Any, url: str) -> None:
    body = get(client, url)
    header, rows, _ = csv_rows(client, f"{url}{_sep(url)}format=csv")
    assert len(rows) == len(body["items"]) and header == list(body["items"][0])


def test_accept_text_csv_asks_for_csv(client: Any) -> None:
    header, rows, _ = csv_rows(client, "/api/events", Accept="text/csv")
    assert "event_id" in header and len(rows) == get(client, "/api/events")["total"]
    assert get(client, "/api/events", status=200)["items"]  # the browser's Accept (JSON) still gets a page


def test_csv_quotes_fields_as_rfc_4180_says(client: Any, hostile_article_id: str) -> None:
    """The hostile article's quote holds quotation marks and its evidence markup: they come back exactly."""
    header, rows, r = csv_rows(client, f"/api/quotes?article={hostile_article_id}&format=csv")
    text = r.content.decode("utf-8")
    stored = get(client, f"/api/quotes?article={hostile_article_id}")["items"]
    by_idx = {int(row[header.index("quote_idx")]): row for row in rows}
    for q in stored:
        assert by_idx[q["quote_idx"]][header.index("text")] == q["text"]
    hostile = next(q["text"] for q in stored if '"' in q["text"])
    assert '"' + hostile.replace('"', '""') + '"' in text  # a field with quotes is quoted, its quotes doubled
    # a field with a line break or a comma is quoted too
    lines = "\r\n".join(["a,b", '"x, y","line one', 'line two"', ""])  # (what a reader of RFC 4180 expects)
    assert list(csv.reader(io.StringIO(lines, newline=""))) == [["a", "b"], ["x, y", "line one\r\nline two"]]


def test_csv_keeps_non_ascii_text(client: Any) -> None:
    header, rows, _ = csv_rows(client, "/api/quotes?format=csv")
    words = " ".join(row[header.index("text")] + row[header.index("speaker")] for row in rows)
    assert any(ord(ch) > 127 for ch in words)  # curly quotes, dashes, names with diacritics come back as written
    json_words = " ".join(q["text"] + (q["speaker"] or "") for q in get(client, "/api/quotes?format=json"))
    assert words == json_words


def test_csv_cells_a_spreadsheet_would_run_are_text() -> None:
    assert cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert cell("+1") == "'+1" and cell("@SUM(A1)") == "'@SUM(A1)"
    assert cell(-5.0) == "-5.0" and cell("-5205285722893003552", guard=False) == "-5205285722893003552"
    assert cell(None) == "" and cell(True) == "true" and cell(["a", "b"]) == '["a","b"]'


def test_event_ids_in_csv_are_text_and_intact(client: Any) -> None:
    header, rows, _ = csv_rows(client, "/api/events?format=csv")
    ids = [row[header.index("event_id")] for row in rows]
    assert ids == [e["event_id"] for e in get(client, "/api/events?format=json")]
    assert all(i.lstrip("-").isdigit() for i in ids)  # no apostrophe before a negative id


# --- sort and total ----------------------------------------------------------------------------------------
SORTS = [("/api/events", "goldstein"), ("/api/events", "confidence"), ("/api/events", "date"),
         ("/api/events", "num_mentions"), ("/api/reports", "goldstein"), ("/api/quotes", "date"),
         ("/api/quotes", "kind"), ("/api/articles", "published"), ("/api/articles", "tone"), ("/api/actors", "articles"),
         ("/api/actors", "code"), ("/api/dyad?a=USA&b=RUS", "goldstein"), ("/api/dyad?a=USA&b=RUS", "direction"),
         ("/api/rejected", "rejected_at")]


@pytest.mark.parametrize("url,key", SORTS)
def test_sort_orders_every_matching_row_on_the_server(client: Any, url: str, key: str) -> None:
    asc = get(client, f"{url}{_sep(url)}sort={key}&limit=500")
    desc = get(client, f"{url}{_sep(url)}sort=-{key}&limit=500")
    assert asc["sort"] == key and desc["sort"] == f"-{key}"
    values = [r[key] for r in asc["items"] if r[key] is not None]
    assert values == sorted(values)
    values = [r[key] for r in desc["items"] if r[key] is not None]
    assert values == sorted(values, reverse=True)
    # nulls last both ways; the first page of a sort is the start of the whole sorted listing
    assert all(r[key] is None for r in asc["items"][len([x for x in asc["items"] if x[key] is not None]):])
    first = get(client, f"{url}{_sep(url)}sort=-{key}&limit=2")
    assert first["items"] == desc["items"][:2] and first["total"] == desc["total"]


@pytest.mark.parametrize("url", ["/api/events", "/api/reports", "/api/quotes", "/api/articles", "/api/actors",
                                 "/api/rejected", "/api/dyad?a=USA&b=RUS"])
def test_a_sort_is_one_of_the_listing_columns(client: Any, url: str) -> None:
    body = get(client, f"{url}{_sep(url)}sort=text; DROP TABLE events", 400)
    assert body["error"].startswith("sort must be one of ")


def test_total_counts_every_matching_row(client: Any) -> None:
    for url in ("/api/events", "/api/events?quad=1", "/api/quotes?contains=talks", "/api/actors?contains=rus"):
        seen, offset = [], 0
        while True:
            page = get(client, f"{url}{_sep(url)}limit=7&offset={offset}")
            seen += page["items"]
            if not page["more"]:
                break
            offset += 7
        assert page["total"] == len(seen), url


# --- actors: names and codes, any case ---------------------------------------------------------------------
def _ids(client: Any, **params: str) -> list[str]:
    return [e["event_id"] for e in get(client, f"/api/events?{urlencode(params)}&format=json")]


@pytest.mark.parametrize("actor,target", [("usa", "rus"), ("United States", "Russia"), ("united states", "RUSSIA"),
                                          ("America", "Russian Federation"), ("Usa", "Rus")])
def test_a_name_and_its_code_in_any_case_give_the_same_rows(client: Any, actor: str, target: str) -> None:
    codes = _ids(client, actor="USA", target="RUS")
    assert codes
    if actor == "America" and not _ids(client, actor="America", target="RUS"):
        pytest.skip("no alias 'America' in this version of the dictionaries")
    assert _ids(client, actor=actor, target=target) == codes


def test_a_code_s_one_name_and_a_metonym_give_the_code_s_rows(client: Any) -> None:
    rusgov = _ids(client, actor="RUSGOV")
    assert rusgov
    assert _ids(client, actor="Russia (government)") == rusgov == _ids(client, actor="rusgov")
    assert _ids(client, actor="Kremlin") == rusgov  # the dictionaries give "the Kremlin" RUSGOV
    matched = get(client, "/api/events?actor=usa&target=Kremlin")["matched"]
    assert matched["actor"]["label"] == "United States (USA)" and matched["target"]["code"] == "RUSGOV"


def test_a_person_s_name_finds_that_person_in_any_case(client: Any) -> None:
    putin = _ids(client, target="Vladimir Putin")
    assert putin and _ids(client, target="vladimir putin") == putin == _ids(client, target_person="Vladimir Putin")
    assert get(client, "/api/events?target=vladimir putin")["matched"]["target"]["how"] == "person"


def test_quotes_filter_by_actor_and_date(client: Any) -> None:
    kremlin = get(client, "/api/quotes?actor=kremlin&limit=500")
    assert kremlin["total"] and all(q["speaker_code"].startswith("RUSGOV") for q in kremlin["items"])
    assert get(client, "/api/quotes?actor=RUSGOV")["total"] == kremlin["total"]
    dated = get(client, "/api/quotes?since=2025-03-01&until=2025-03-31&limit=500")
    assert dated["items"] and all("2025-03-01" <= q["date"][:10] <= "2025-03-31" for q in dated["items"])
    person = get(client, "/api/quotes?actor=dmitry peskov&limit=500")
    assert person["total"] and {q["speaker_canonical"] for q in person["items"]} == {"Dmitry Peskov"}


def test_suggestions_come_from_the_store_s_actors(client: Any) -> None:
    found = get(client, "/api/suggest?q=rus")["items"]
    assert found and found[0]["value"].startswith("RUS")  # those starting with the words first
    assert {"value", "label", "kind", "code", "articles"} <= set(found[0])
    assert any(s["kind"] == "person" for s in get(client, "/api/suggest?q=peskov")["items"])


# --- two actors, both ways ---------------------------------------------------------------------------------
def test_dyad_adds_up_both_ways(client: Any) -> None:
    d = get(client, "/api/dyad?a=usa&b=Russia&limit=500")
    ab, ba = d["directions"]["a_to_b"], d["directions"]["b_to_a"]
    assert ab["events"] and ba["events"] and d["total"] == ab["events"] + ba["events"] == len(d["items"])
    assert ab["events"] == get(client, "/api/events?actor=USA&target=RUS")["total"]
    assert ba["events"] == get(client, "/api/events?actor=RUS&target=USA")["total"]
    assert {e["direction"] for e in d["items"]} == {"a_to_b", "b_to_a"}
    assert sum(t["a_to_b"] + t["b_to_a"] for t in d["types"]) == d["total"]
    assert sum(p["events"] for p in d["timeline"]) + d["coarser"] == d["total"]  # every event dated here
    for p in d["timeline"]:
        assert p["events"] == p["a_to_b"] + p["b_to_a"] == sum(p[k] for k in ("verbal_coop", "material_coop",
                                                                                 "verbal_conflict", "material_conflict"))
    assert get(client, "/api/dyad?a=RUS&b=USA")["total"] == d["total"]
    assert get(client, "/api/dyad?a=USA", 400)["error"].startswith("b: field required")


def test_a_dyad_names_its_actors_apart(web_db: Path) -> None:
    with pytest.raises(query.QueryError, match="a dyad's actors are a and b"):
        query.dyad(web_db, a="USA", b="RUS", actor="UKR")
    with pytest.raises(query.QueryError, match="a dyad needs two actors"):
        query.dyad_events(web_db, a="USA", b=" ")


def test_a_network_edge_and_its_dyad_count_the_same_events(client: Any) -> None:
    edges = get(client, "/api/network?limit=500")["items"]
    assert edges
    for e in edges:
        d = get(client, f"/api/dyad?{urlencode({'a': e['source_key'], 'b': e['target_key']})}")
        assert d["directions"]["a_to_b"]["events"] == e["events"], e
        back = next((x for x in edges if (x["source_key"], x["target_key"]) == (e["target_key"], e["source_key"])), None)
        if e["source_key"] != e["target_key"]:  # (an actor's events with itself go one way)
            assert d["directions"]["b_to_a"]["events"] == (back["events"] if back else 0), e
        listed = get(client, f"/api/events?{urlencode({'actor': e['source_key'], 'target': e['target_key']})}")
        assert listed["total"] == e["events"]


def test_the_network_says_when_it_cuts(client: Any) -> None:
    whole = get(client, "/api/network?limit=500")
    assert whole["cut"] is False and whole["total"] == len(whole["items"])
    top = get(client, "/api/network?limit=3")
    assert top["cut"] is True and top["total"] == whole["total"] and top["items"] == whole["items"][:3]


# --- chart counts equal the rows they link to ----------------------------------------------------------------
@pytest.mark.parametrize("by", ["day", "month", "year"])
def test_a_timeline_bar_holds_the_events_its_link_lists(client: Any, by: str) -> None:
    t = get(client, f"/api/timeline?by={by}")
    for row in t["items"]:
        first, last = query._period_days(row["period"])
        listed = get(client, f"/api/events?since={first}&until={last}&limit=1")
        assert listed["total"] == row["events"], (by, row)


def test_one_counting_rule_across_groupings(client: Any) -> None:
    seen = set()
    for by in ("day", "month", "year"):
        t = get(client, f"/api/timeline?by={by}")
        assert t["total"] == sum(r["events"] for r in t["items"])
        seen.add(t["total"] + t["coarser"] + t["undated"])
        assert t["rule"].startswith("A period counts the events whose date lies in it")
    assert seen == {get(client, "/api/events")["total"]}


def test_a_map_place_holds_the_events_its_link_lists(client: Any) -> None:
    body = get(client, "/api/places")
    c = body["coverage"]
    assert c["events"] == get(client, "/api/events")["total"] == c["point"] + c["country"] + c["unplaced"]
    assert sum(p["events"] for p in body["items"] if p["level"] == "point") == c["point"]
    assert sum(p["events"] for p in body["items"] if p["level"] == "country") == c["country"]
    for p in body["items"]:
        assert get(client, f"/api/events?place={p['geonameid']}")["total"] == p["events"], p
        if p["level"] == "country":
            assert p["iso_numeric"] and len(p["iso_numeric"]) == 3
    assert get(client, f"/api/events?place={body['items'][0]['geonameid']}")["matched"]["place"]["label"] == (
        f"{body['items'][0]['name']} ({body['items'][0]['country']})")


def test_an_actor_summary_adds_up(client: Any) -> None:
    s = get(client, "/api/actors/RUSGOV/summary")
    as_source = get(client, "/api/events?actor=RUSGOV")["total"]
    as_target = get(client, "/api/events?target=RUSGOV")["total"]
    assert sum(q["as_source"] for q in s["quads"]) == as_source and sum(q["as_target"] for q in s["quads"]) == as_target
    assert sum(m["as_source"] + m["as_target"] for m in s["months"]) <= as_source + as_target
    assert s["partners"] and s["quotes"]
    for p in s["partners"]:
        assert get(client, f"/api/dyad?{urlencode({'a': 'RUSGOV', 'b': p['key']})}")["total"] == p["events"], p
    person = get(client, "/api/people/Dmitry%20Peskov/summary")
    assert person["kind"] == "person" and {q["speaker"] for q in person["quotes"]} == {"Dmitry Peskov"}


# --- filters: themes, tone, publisher, confidence, date precision --------------------------------------------
def test_theme_filter(client: Any, web_db: Path) -> None:
    themes = get(client, "/api/themes")["items"]
    assert themes and themes[0]["articles"] >= themes[-1]["articles"]
    everything = get(client, "/api/events")["total"]
    narrower = 0
    for t in themes:
        arts = get(client, f"/api/articles?theme={t['theme'].lower()}&limit=500")  # any case
        assert arts["total"] == t["articles"]
        ids = {a["id"] for a in arts["items"]}
        events = get(client, f"/api/events?theme={t['theme']}&limit=500")
        narrower += events["total"] < everything
        for e in events["items"]:  # reported by an article with the theme
            assert any(m["article_id"] in ids for m in get(client, f"/api/events/{e['event_id']}")["mentions"])
        reports = get(client, f"/api/reports?theme={t['theme']}&limit=500")["items"]
        assert all(r["article_id"] in ids for r in reports)
    assert narrower


def test_tone_publisher_confidence_and_precision_filters(client: Any) -> None:
    toned = get(client, "/api/events?min_tone=-1&max_tone=5&limit=500")
    assert toned["items"] and all(-1 <= e["avg_tone"] <= 5 for e in toned["items"])
    arts = get(client, "/api/articles?max_tone=0&limit=500")
    assert arts["items"] and all(a["tone"] <= 0 for a in arts["items"])
    moscow = get(client, "/api/events?source=THEMOSCOWTIMES.COM&limit=500")
    assert moscow["total"] == len(get(client, "/api/events?article=" + get(
        client, "/api/articles?source=themoscowtimes.com")["items"][0]["id"] + "&limit=500")["items"])
    sure = get(client, "/api/articles?min_confidence=0.8")
    assert 0 < sure["total"] <= get(client, "/api/articles")["total"]
    totals = {p: get(client, f"/api/events?date_precision={p}")["total"] for p in query.PRECISIONS}
    assert sum(totals.values()) == get(client, "/api/events")["total"] and totals["reported"] > 0
    reported = get(client, "/api/events?date_precision=reported&limit=500")["items"]
    assert all(e["date_precision"] == "reported" for e in reported)
    assert get(client, "/api/reports?date_precision=reported")["total"] > 0
    assert get(client, "/api/events?date_precision=week", 400)["error"].startswith("date_precision: input should be")
    assert get(client, "/api/events?min_tone=x", 400)["error"].startswith("min_tone: input should be a valid number")


def test_since_and_until_keep_events_whose_whole_date_lies_in_the_range(client: Any) -> None:
    months = [e for e in get(client, "/api/events?date_precision=month&limit=500")["items"]]
    assert months
    m = months[0]["date"]  # YYYY-MM
    first, last = query._period_days(m)
    inside = {e["event_id"] for e in get(client, f"/api/events?since={first}&until={last}&limit=500")["items"]}
    assert months[0]["event_id"] in inside
    half = {e["event_id"] for e in get(client, f"/api/events?since={first}&until={first}&limit=500")["items"]}
    assert months[0]["event_id"] not in half


# --- the timeline's range ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def outliers(outlier_db: Path) -> Iterator[httpx.Client]:
    with serving(outlier_db) as c:
        yield c


@pytest.mark.parametrize("by", ["day", "month", "year"])
def test_the_timeline_s_range_is_where_the_data_is(outliers: Any, by: str) -> None:
    t = get(outliers, f"/api/timeline?by={by}")
    assert t["range"] == {"from": "2025-03-02", "to": "2025-03-29"}
    far = [r["period"][:4] for r in t["items"] if r["outlier"]]
    assert far == ["1947", "2013"] and t["outliers"] == 2
    assert all(r["period"].startswith("2025-03") or r["period"] == "2025" for r in t["items"] if not r["outlier"])


def test_dense_range_keeps_a_spread_out_store_and_a_sizeable_cluster() -> None:
    from datetime import date, timedelta

    even = [(date(2000, 1, 1) + timedelta(days=i), 1) for i in range(3650)]
    assert query.dense_range(even) == (even[0][0], even[-1][0])
    cluster = ([(date(1997, 4, 1) + timedelta(days=i), 5) for i in range(60)] +
               [(date(2005, 1, 1) + timedelta(days=i), 3) for i in range(700)] + [(date(1947, 1, 1), 1)])
    assert query.dense_range(cluster) == (date(1997, 4, 1), date(2006, 12, 1))
    assert query.dense_range([]) is None
