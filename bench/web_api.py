#!/usr/bin/env python3
"""The web API on a store of 10,000 articles: the median time of the events, dyad, timeline and network
endpoints (the target is 300 ms each), through the whole app (middleware, worker threads, JSON).

The store: --real articles of the AFP/Xinhua corpus (../shared/data/news/) through the whole pipeline, then
generated articles up to --articles, made by recombining the stored rows in DuckDB, because the pipeline on
10,000 articles takes hours on a laptop and the API's cost depends on the rows, not on how they were made.
Copy k of an article gets a new id, its dates (published, events, quotes, dates) moved on by k x 11 days, the
three-letter country part of its actor codes rotated by k among the 40 commonest countries (so the copies add
new pairs of actors rather than 25 times the same ones), and its fingerprint changed (so the copies are not
near-duplicates of one another); each copy is one committed batch. The cross-article tables (stories,
deduplicated events, the quotes' full-text index) are then rebuilt as after an ingest. The store is kept in
--work and reused when it is already there.

Usage: python bench/web_api.py [--articles 10000] [--real 400] [--repeat 15] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

import pyarrow as pa  # noqa: E402

from newsevents import ingest, query  # noqa: E402
from newsevents.consolidate import consolidate  # noqa: E402
from newsevents.store import TABLES, new_id, open_store  # noqa: E402

CORPUS = REPO / ".." / "shared" / "data" / "news" / "afp_xinhua_1997_2006.jsonl"
TARGET_MS = 300
SHIFT_DAYS = 11  # copy k moves its dates on by k x 11 days: the copies spread over the months, not one day
COUNTRIES = 40  # the commonest countries' codes rotate among themselves in the copies
SEED = 19


def real_store(db: Path, n: int) -> None:
    """--real articles of the corpus (a fixed random sample) through the whole pipeline."""
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    sample = random.Random(SEED).sample(lines, min(n, len(lines)))
    corpus = db.parent / "real.jsonl"
    corpus.write_text("\n".join(sample) + "\n", encoding="utf-8")
    t = time.perf_counter()
    report = ingest([corpus], db)
    print(f"ingested {report.stored} real articles in {time.perf_counter() - t:.0f} s")


def _copy_sql(table: str, columns: list[str], k: int, run_id: str) -> str:
    """SQL: copy k of every row of ``table`` (see the module's docstring)."""
    article = "id" if table == "articles" else "article_id"
    shifted = {("articles", "published"), ("events", "date"), ("quotes", "date"), ("dates", "value")}
    codes = {("events", c) for c in ("source_code", "target_code", "source_country", "target_country")} | {
        ("entities", "code"), ("entities", "country"), ("quotes", "speaker_code")}
    out = []
    for c in columns:
        q = f'"{c}"'
        if c == article:
            out.append(f"substr(md5({q} || ':{k}'), 1, 24) AS {q}")
        elif c == "run_id":
            out.append(f"'{run_id}' AS run_id")
        elif (table, c) in shifted:
            out.append(f"shift({q}, {k}) AS {q}" if c != "published" else f"{q} + INTERVAL ({k * SHIFT_DAYS}) DAY AS {q}")
        elif (table, c) in codes:
            out.append(f"rot({q}, {k}) AS {q}")
        elif table == "fingerprints" and c == "minhash":
            out.append(f"list_transform({q}, lambda x: xor(x, {(k * 2654435761) & 0xFFFFFFFF})) AS {q}")
        else:
            out.append(q)
    return f"SELECT {', '.join(out)} FROM {table}"


def generated_store(db: Path, total: int) -> None:
    """Copies of the stored articles until the store holds ``total`` (see the module's docstring)."""
    store = open_store(db)
    con = store.connect()
    try:
        real = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        pool = [c for (c,) in con.execute(
            "SELECT substr(code, 1, 3) AS c FROM entities WHERE length(code) >= 3 AND regexp_full_match(substr(code, 1, 3), "
            "'[A-Z]{3}') AND substr(code, 1, 3) NOT IN ('IGO', 'NGO', 'MNC', 'GOV', 'MIL', 'CVL', 'BUS', 'MED', 'JUD', "
            "'LEG', 'OPP', 'REB', 'COP', 'EDU', 'ELI', 'LAB', 'REF', 'SPY', 'HLH', 'CRM', 'AGR', 'ENV', 'REL', 'UAF') "
            f"GROUP BY 1 ORDER BY count(*) DESC LIMIT {COUNTRIES}").fetchall()]
        con.execute(f"CREATE MACRO rot(c, k) AS CASE WHEN list_position({pool}, substr(c, 1, 3)) > 0 THEN "
                    f"{pool}[((list_position({pool}, substr(c, 1, 3)) - 1 + k) % {len(pool)}) + 1] || substr(c, 4) "
                    "ELSE c END")
        con.execute(f"CREATE MACRO shift(d, k) AS CASE WHEN length(d) = 10 AND try_cast(d AS DATE) IS NOT NULL THEN "
                    f"strftime(CAST(d AS DATE) + INTERVAL (k * {SHIFT_DAYS}) DAY, '%Y-%m-%d') ELSE d END")
        copies = -(-(total - real) // real)  # ceiling
        t = time.perf_counter()
        with store.locked():
            for k in range(1, copies + 1):
                keep = min(real, total - real * k)  # the last copy may be partial
                if keep <= 0:
                    break
                run_id, batch_id = new_id(), new_id()
                chosen = f"(SELECT id FROM articles ORDER BY id LIMIT {keep})"
                tables: dict[str, Any] = {}
                for name, schema in TABLES.items():
                    if name in ("runs", "rejected"):
                        continue
                    article = "id" if name == "articles" else "article_id"
                    sql = _copy_sql(name, schema.names, k, run_id) + f" WHERE {article} IN {chosen}"
                    tables[name] = con.sql(sql).to_arrow_table().select(schema.names).cast(schema)
                tables["runs"] = pa.Table.from_pylist([{
                    "run_id": run_id, "batch_id": batch_id, "pipeline": ["bench/web_api.py copy"],
                    "newsevents_version": "bench", "started_at": None, "committed_at": None,
                    "articles": keep, "rejected": 0}], schema=TABLES["runs"])
                store._commit(batch_id, tables)  # the Writer's own commit, with rows it did not analyse
        print(f"generated {min(total - real, copies * real)} articles in {copies} batches in {time.perf_counter() - t:.0f} s")
    finally:
        con.close()
    t = time.perf_counter()
    with store.locked():
        report = consolidate(store, force=True)
    print(f"rebuilt the cross-article tables in {time.perf_counter() - t:.0f} s: {report.summary()}")


def build(work: Path, total: int, real: int) -> Path:
    db = work / "web_api.duckdb"
    if db.with_name(db.name + ".parts").exists() and query.stats(db)["articles"] >= total:
        print(f"reusing {db}")
        return db
    work.mkdir(parents=True, exist_ok=True)
    real_store(db, real)
    generated_store(db, total)
    return db


def bench(db: Path, repeat: int) -> dict[str, float]:
    from fastapi.testclient import TestClient

    from newsevents.web import create_app

    client = TestClient(create_app(db))
    top = client.get("/api/network?limit=50").json()["items"]
    pair = next(p for p in top if p["source_kind"] == "code" and p["target_kind"] == "code")
    a, b = pair["source_code"], pair["target_code"]
    name = quote(pair["source_name"])  # the code's one name: read back to the code (resolve_actor)
    urls = {
        "events": ["/api/events", f"/api/events?actor={a}&target={b}", "/api/events?quad=4&sort=-goldstein",
                   f"/api/events?actor={a[:3].lower()}&min_confidence=0.6&offset=100", f"/api/events?actor={name}"],
        "dyad": [f"/api/dyad?a={a}&b={b}", f"/api/dyad?a={quote(pair['source_key'])}&b={quote(pair['target_key'])}",
                 f"/api/dyad?a={a[:3]}&b={b[:3]}&by=day", f"/api/dyad?a={name}&b={b}"],
        "timeline": ["/api/timeline", "/api/timeline?by=month", f"/api/timeline?actor={a}"],
        "network": ["/api/network", "/api/network?limit=150&quad=4", f"/api/network?actor={a[:3]}"],
    }
    stats = query.stats(db)
    print(f"store: {stats['articles']:,} articles, {stats['events']:,} events from {stats['event_reports']:,} reports, "
          f"{stats['quotes']:,} quotes, {stats['entities']:,} entities, {stats['batches']} batches")
    medians: dict[str, float] = {}
    for endpoint, group in urls.items():
        times: list[float] = []
        for url in group:
            r = client.get(url)  # warm: the first call also imports and caches
            assert r.status_code == 200, (url, r.status_code, r.text[:300])
            each = []
            for _ in range(repeat):
                t = time.perf_counter()
                r = client.get(url)
                each.append((time.perf_counter() - t) * 1000)
                assert r.status_code == 200
            times += each
            print(f"  {statistics.median(each):7.0f} ms  {url}")
        medians[endpoint] = statistics.median(times)
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="articles in the store (default 10,000)")
    parser.add_argument("--real", type=int, default=400, help="of them, real articles through the pipeline")
    parser.add_argument("--repeat", type=int, default=15, help="timed requests per URL")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "newsevents-bench-web",
                        help="where the store is built (and reused)")
    args = parser.parse_args()
    if not CORPUS.exists():
        sys.exit(f"{CORPUS} is missing: the bench needs ../shared beside the repo")
    db = build(args.work, args.articles, args.real)
    medians = bench(db, args.repeat)
    print(json.dumps({k: round(v) for k, v in medians.items()}))
    for endpoint, ms in medians.items():
        print(f"{endpoint:9s} median {ms:6.0f} ms  {'ok' if ms <= TARGET_MS else f'over {TARGET_MS} ms'}")


if __name__ == "__main__":
    main()
