"""Across articles: near-duplicate stories and event deduplication, on fictional reports written for the tests."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from newsevents import query
from newsevents.consolidate import consolidate
from newsevents.dedup import Report, cluster, codes_compatible, interval
from newsevents.ingest import ingest
from newsevents.store import open_store

BODY = (
    "Russian Foreign Minister Sergei Lavrov met U.S. Secretary of State Marco Rubio in Riyadh on Tuesday, the first "
    "meeting of the two countries' top diplomats in three years.\n\nThe talks lasted more than four hours, officials "
    "from both delegations told reporters. They agreed to restore staff at their embassies and to set up working "
    "groups on the war in Ukraine.\n\nEuropean governments, which were not invited, said any settlement must "
    "include Kyiv. A summit between the two presidents could follow within weeks, although no date has been set."
)
ORIGINAL = {"id": "wire-1", "url": "https://wire.example/2025/03/04/lavrov-rubio", "published": "2025-03-04",
            "title": "Lavrov and Rubio meet in Riyadh", "text": BODY}
COPY = {"id": "paper-1", "url": "https://paper.example/world/lavrov-rubio-talks", "published": "2025-03-04",
        "title": "Top diplomats of Russia and the US hold talks", "text": BODY + "\n\nThis story was distributed by a wire service."}
REWORDED = {"id": "daily-1", "url": "https://daily.example/2025/03/05/riyadh", "published": "2025-03-05",
            "title": "Riyadh talks", "text": (
                "In the Saudi capital on Tuesday, Sergei Lavrov held talks with Marco Rubio as Moscow and Washington "
                "sought to mend ties.\n\nAnalysts said the meeting was a sign that relations were thawing.")}
WEEK_LATER = {"id": "daily-2", "url": "https://daily.example/2025/03/12/riyadh-again", "published": "2025-03-12",
              "title": "Second round", "text": (
                  "Russian Foreign Minister Sergei Lavrov met U.S. Secretary of State Marco Rubio in Riyadh on Tuesday "
                  "for a second round of talks.\n\nNeither side gave details of what was discussed.")}


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _meetings(db: Path) -> list[dict]:
    return query.events(db, actor="RUS", target="USA", root="04", limit=100)


def test_near_copy_is_one_story_and_one_event_with_two_mentions(tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    ingest([_write(tmp_path / "in.jsonl", [ORIGINAL, COPY])], db)
    links = query.sql(db, "SELECT article_id, story_id, is_primary, similarity FROM stories ORDER BY is_primary DESC")
    assert len({r["story_id"] for r in links}) == 1, links
    assert [r["is_primary"] for r in links] == [True, False]
    assert links[1]["similarity"] >= 0.6
    meetings = _meetings(db)
    assert len(meetings) == 1, meetings
    assert meetings[0]["num_mentions"] == 2 and meetings[0]["num_articles"] == 2
    assert meetings[0]["date"] == "2025-03-04"
    s = query.stats(db)
    assert s["duplicate_articles"] == 1 and s["stories"] == 1


def test_two_differently_worded_reports_of_one_meeting_are_one_event(tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    ingest([_write(tmp_path / "in.jsonl", [ORIGINAL, REWORDED])], db)
    assert query.sql(db, "SELECT count(*) AS n FROM stories WHERE NOT is_primary")[0]["n"] == 0  # not copies
    meetings = _meetings(db)
    assert len(meetings) == 1, meetings
    assert meetings[0]["num_articles"] == 2 and meetings[0]["num_sources"] == 2
    assert meetings[0]["location_name"] == "Riyadh"


def test_two_meetings_of_the_same_pair_a_week_apart_are_two_events(tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    ingest([_write(tmp_path / "in.jsonl", [ORIGINAL, WEEK_LATER])], db)
    meetings = _meetings(db)
    assert sorted(m["date"] for m in meetings) == ["2025-03-04", "2025-03-11"], meetings


def test_same_events_whatever_the_order_and_again(tmp_path: Path) -> None:
    records = [ORIGINAL, COPY, REWORDED, WEEK_LATER]
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    for r in records:  # one ingest per article, in order
        ingest([_write(tmp_path / f"{r['id']}.jsonl", [r])], a)
    ingest([_write(tmp_path / "rev.jsonl", records[::-1])], b)  # all at once, reversed

    def canon(db: Path) -> list[tuple]:
        return [tuple(r.values()) for r in query.sql(
            db, "SELECT event_id, date, source_code, target_code, cameo, num_mentions, num_articles "
                "FROM canonical_events ORDER BY event_id")]

    first = canon(a)
    assert first == canon(b)
    assert len(first) >= 2
    ingest([_write(tmp_path / "all.jsonl", records)], a)  # again: nothing new
    report = consolidate(a, force=True)
    assert not report.skipped
    assert canon(a) == first


def test_consolidate_skips_when_nothing_changed(tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    ingest([_write(tmp_path / "in.jsonl", [ORIGINAL])], db)
    store = open_store(db)
    with store.writer(("test",)):
        assert consolidate(store).skipped


# --- the rules, without the pipeline -------------------------------------------------------------------------
def _r(aid: str, day: tuple[date, date], code: str = "040", geo: int | None = None, country: str | None = None,
       feature: str | None = None) -> Report:
    return Report(aid, 0, "RUSGOV", "USAGOV", code, code[:2], day[0], day[1], geo, country, feature)


def test_interval_rules() -> None:
    d = date(2025, 3, 4)
    assert interval("2025-03-04", "text", d, d) == (d, d)
    assert interval("2025-03", "text", d, d) == (date(2025, 3, 1), date(2025, 3, 31))
    assert interval("2025-03-04", "article", d, date(2025, 3, 3)) == (date(2025, 3, 1), d)
    assert interval(None, "article", None, None) is None


def test_codes_compatible() -> None:
    assert codes_compatible("040", "042") and codes_compatible("0871", "087") and codes_compatible("042", "042")
    assert not codes_compatible("042", "043") and not codes_compatible("190", "043")


def test_places_keep_different_cities_apart_and_countries_together() -> None:
    d = (date(2025, 3, 4), date(2025, 3, 4))
    riyadh = _r("a", d, geo=108410, country="SA", feature="PPLC")
    jeddah = _r("b", d, geo=105343, country="SA", feature="PPL")
    saudi = _r("c", d, geo=102358, country="SA", feature="PCLI")
    assert len(cluster([riyadh, jeddah])) == 2
    assert len(cluster([riyadh, saudi])) == 1
    assert len(cluster([riyadh, _r("d", d)])) == 1  # no place: compatible


def test_clusters_do_not_chain_day_after_day() -> None:
    days = [(date(2025, 3, i), date(2025, 3, i)) for i in range(1, 8)]
    assert len(cluster([_r(f"a{i}", d, code="190") for i, d in enumerate(days)])) == 7


@pytest.mark.parametrize("order", [1, -1])
def test_cluster_is_order_independent(order: int) -> None:
    d = date(2025, 3, 4)
    reports = [_r("x", (d, d)), _r("y", (date(2025, 3, 2), d)), _r("z", (date(2025, 3, 3), date(2025, 3, 3)))]
    groups = cluster(reports[::order])
    assert [[r.article_id for r in g] for g in groups] == [["y", "x"], ["z"]] or \
        sorted(sorted(r.article_id for r in g) for g in groups) == sorted(
            sorted(r.article_id for r in g) for g in cluster(reports))
