"""GDELT exports read back with GDELT's documented column names; Parquet and JSONL of every table."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pytest

from newsevents.exports import EVENT_COLUMNS, GKG_COLUMNS, MENTION_COLUMNS, export
from newsevents.ingest import ingest
from newsevents.store import DERIVED, TABLES
from tests.conftest import SAMPLES, shared_path

FIPS = re.compile(r"^[A-Z]{2}$")


def _read(path: Path, columns: tuple[str, ...]) -> list[dict]:
    con = duckdb.connect()
    cols = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in columns) + "}"
    rel = con.execute(f"SELECT * FROM read_csv('{path}', delim='\\t', header=false, quote='', escape='', "
                      f"columns={cols}, null_padding=false, strict_mode=true)")
    names = [d[0] for d in rel.description]
    assert tuple(names) == columns
    return [{k: ("" if v is None else v) for k, v in zip(names, r)} for r in rel.fetchall()]  # empty field: ""


def check_events(rows: list[dict]) -> None:
    assert rows
    for r in rows:
        assert int(r["GlobalEventID"]) > 0
        assert re.fullmatch(r"\d{8}", r["Day"]) and r["MonthYear"] == r["Day"][:6] and r["Year"] == r["Day"][:4]
        assert abs(float(r["FractionDate"]) - int(r["Year"])) <= 1.0
        assert r["Actor1Code"], r
        assert r["IsRootEvent"] in ("0", "1")
        assert re.fullmatch(r"\d{3,4}", r["EventCode"]) and r["EventBaseCode"] == r["EventCode"][:3]
        assert r["EventRootCode"] == r["EventCode"][:2]
        assert r["QuadClass"] in ("1", "2", "3", "4")
        assert -10 <= float(r["GoldsteinScale"]) <= 10
        assert int(r["NumMentions"]) >= int(r["NumArticles"]) >= 1 and int(r["NumSources"]) >= 1
        if r["AvgTone"]:
            assert -100 <= float(r["AvgTone"]) <= 100
        for geo in ("Actor1Geo", "Actor2Geo", "ActionGeo"):
            assert r[f"{geo}_Type"] in ("0", "1", "2", "3", "4", "5")
            if r[f"{geo}_Type"] != "0":
                assert -90 <= float(r[f"{geo}_Lat"]) <= 90 and -180 <= float(r[f"{geo}_Long"]) <= 180
                assert r[f"{geo}_CountryCode"] == "" or FIPS.match(r[f"{geo}_CountryCode"])
                assert r[f"{geo}_FeatureID"].lstrip("-").isdigit()
        assert re.fullmatch(r"\d{14}", r["DATEADDED"])
        assert r["SOURCEURL"]


def check_mentions(rows: list[dict], event_ids: set[str]) -> None:
    assert rows
    for r in rows:
        assert r["GlobalEventID"] in event_ids
        assert re.fullmatch(r"\d{14}", r["EventTimeDate"]) and re.fullmatch(r"\d{14}", r["MentionTimeDate"])
        assert r["MentionType"] in ("1", "6")
        assert int(r["SentenceID"]) >= 1
        assert int(r["ActionCharOffset"]) >= 0 and int(r["Actor1CharOffset"]) >= -1
        assert r["InSentence"] == "1" and 0 <= int(r["Confidence"]) <= 100
        assert int(r["MentionDocLen"]) > 0


def check_gkg(rows: list[dict], articles: int) -> None:
    assert len(rows) == articles
    assert len({r["GKGRECORDID"] for r in rows}) == articles
    for r in rows:
        assert re.fullmatch(r"\d{14}", r["V2.1DATE"])
        if r["V1.5TONE"]:
            assert len(r["V1.5TONE"].split(",")) == 7
        for item in filter(None, r["V2ENHANCEDTHEMES"].split(";")):
            theme, offset = item.split(",")
            assert theme.isupper() and offset.isdigit()
        for item in filter(None, r["V2ENHANCEDLOCATIONS"].split(";")):
            parts = item.split("#")
            assert len(parts) == 9 and parts[0] in "12345" and parts[8].isdigit()
        for item in filter(None, r["V2.1AMOUNTS"].split(";")):
            value, obj, offset = item.split(",")
            float(value), offset.isdigit()
    assert any(r["V1THEMES"] for r in rows) and any(r["V2ENHANCEDLOCATIONS"] for r in rows)


def _validate_all(db: Path, tmp: Path) -> dict[str, int]:
    export(db, "gdelt-events", tmp / "events.tsv")
    export(db, "gdelt-mentions", tmp / "mentions.tsv")
    export(db, "gdelt-gkg", tmp / "gkg.tsv")
    events = _read(tmp / "events.tsv", EVENT_COLUMNS)
    check_events(events)
    mentions = _read(tmp / "mentions.tsv", MENTION_COLUMNS)
    check_mentions(mentions, {r["GlobalEventID"] for r in events})
    n_articles = duckdb.connect().execute(
        f"SELECT count(*) FROM read_parquet('{db}.parts/batches/*/articles.parquet')").fetchone()[0]
    check_gkg(_read(tmp / "gkg.tsv", GKG_COLUMNS), n_articles)
    assert sum(int(r["NumMentions"]) for r in events) == len(mentions)
    return {"events": len(events), "mentions": len(mentions)}


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("exp") / "samples.duckdb"
    ingest([SAMPLES], db)
    return db


def test_gdelt_exports_of_the_samples_validate(sample_db: Path, tmp_path: Path) -> None:
    _validate_all(sample_db, tmp_path)


def test_fips_codes_in_geography_and_cameo_codes_for_actors(sample_db: Path, tmp_path: Path) -> None:
    export(sample_db, "gdelt-events", tmp_path / "e.tsv")
    rows = _read(tmp_path / "e.tsv", EVENT_COLUMNS)
    placed = [r for r in rows if r["ActionGeo_Type"] != "0"]
    assert placed
    # FIPS, not ISO: Japan is JA (ISO JP), Georgia GG (ISO GE), Serbia RI (ISO RS), Philippines RP (ISO PH)
    codes = {r["ActionGeo_CountryCode"] for r in placed}
    assert codes & {"JA", "GG", "RI", "RP", "KS", "CH", "UP", "BE"}, codes
    assert not codes & {"JP", "GE", "RS", "PH"}
    assert {r["Actor1CountryCode"] for r in rows} - {""} <= {r["Actor1Code"][:3] for r in rows}


def test_parquet_and_jsonl_of_every_table(sample_db: Path, tmp_path: Path) -> None:
    for fmt in ("parquet", "jsonl"):
        result = export(sample_db, fmt, tmp_path / fmt)
        assert set(result.rows) == set(TABLES) | set(DERIVED)
        for table, n in result.rows.items():
            path = tmp_path / fmt / f"{table}.{fmt}"
            assert path.exists()
            if fmt == "jsonl":
                lines = path.read_text().splitlines()
                assert len(lines) == n and all(json.loads(line) for line in lines)
            else:
                assert duckdb.connect().execute(f"SELECT count(*) FROM '{path}'").fetchone()[0] == n


def test_export_errors_are_clear(sample_db: Path, tmp_path: Path) -> None:
    from newsevents.errors import NewsEventsError

    with pytest.raises(NewsEventsError, match="unknown export format"):
        export(sample_db, "csv", tmp_path / "x")
    with pytest.raises(NewsEventsError, match="is a directory"):
        export(sample_db, "gdelt-events", tmp_path)


@pytest.mark.slow
def test_gdelt_exports_of_the_afp_xinhua_corpus_validate(tmp_path: Path) -> None:
    corpus = shared_path("data", "news", "afp_xinhua_1997_2006.jsonl")
    db = tmp_path / "afp.duckdb"
    report = ingest([corpus], db, workers=2)
    assert report.stored > 2000 and report.rejected == 0
    counts = _validate_all(db, tmp_path)
    assert counts["events"] > 500 and counts["mentions"] >= counts["events"]
    from newsevents.query import stats

    s = stats(db)
    assert s["events"] == counts["events"] and s["event_mentions"] == counts["mentions"]
    assert s["duplicate_articles"] >= 0 and s["stories"] + s["duplicate_articles"] == s["articles"]
