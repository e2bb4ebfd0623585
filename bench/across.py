#!/usr/bin/env python3
"""Cost of the cross-article step and the exports against extraction, on the whole AFP/Xinhua corpus.

Ingests the corpus (extraction: readers + pipeline + store, without the cross-article step), then times the
cross-article step (stories, event deduplication, quotes' full-text index) and the five exports, and prints each
as a share of the extraction time. Target (issue #7): dedup and exports together ≤ 10% of extraction.

Usage: python bench/across.py [--db PATH] [--workers N] [--reuse]
  --reuse  measure on an existing --db (its extraction time is then read from its runs table).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from newsevents.consolidate import consolidate  # noqa: E402
from newsevents.exports import EXPORT_FORMATS, export  # noqa: E402
from newsevents.ingest import ingest  # noqa: E402
from newsevents.query import sql, stats  # noqa: E402
from newsevents.store import open_store  # noqa: E402

CORPUS = REPO / ".." / "shared" / "data" / "news" / "afp_xinhua_1997_2006.jsonl"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, help="database to build (default: a temporary one)")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--reuse", action="store_true", help="use an existing --db instead of ingesting")
    args = ap.parse_args()
    if not CORPUS.exists():
        print(f"{CORPUS} not found: this benchmark needs ../shared beside the repo", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="ne-across-"))
    db = args.db or tmp / "afp.duckdb"
    print(f"load at start: {os.getloadavg()[0]:.2f} (2-core machine: above ~0.5 the figures are noisier)")
    if args.reuse:
        row = sql(db, "SELECT sum(epoch(committed_at) - epoch(started_at)) AS s FROM (SELECT run_id, min(started_at) "
                      "AS started_at, max(committed_at) AS committed_at FROM runs WHERE articles > 0 GROUP BY run_id)")
        extraction = float(row[0]["s"] or 0)
    else:
        t = time.perf_counter()
        report = ingest([CORPUS], db, workers=args.workers, consolidate_after=False)
        extraction = time.perf_counter() - t
        print(f"extraction: {report.stored:,} articles in {extraction:.1f}s ({report.stored / extraction:.2f} articles/s,"
              f" {args.workers} worker(s))")
    store = open_store(db)
    with store.writer(("bench",)):
        c = consolidate(store, force=True)
    print(f"cross-article step: {c.seconds:.2f}s = {100 * c.seconds / extraction:.2f}% of extraction "
          f"({', '.join(f'{k} {v:.2f}s' for k, v in c.timings.items())})")
    print(f"  {c.summary()}")
    total = c.seconds
    out = tmp / "export"
    for fmt in EXPORT_FORMATS:
        target = out / fmt if fmt in ("parquet", "jsonl") else out / f"{fmt}.tsv"
        r = export(db, fmt, target)
        total += r.seconds
        print(f"export {fmt:15s} {r.seconds:6.2f}s = {100 * r.seconds / extraction:5.2f}% of extraction "
              f"({', '.join(f'{n:,} {t}' for t, n in list(r.rows.items())[:3])}{' ...' if len(r.rows) > 3 else ''})")
    print(f"dedup + exports: {total:.2f}s = {100 * total / extraction:.2f}% of extraction (target <= 10%)")
    s = stats(db)
    print(f"stats: {s['articles']:,} articles, {s['stories']:,} stories, {s['duplicate_articles']:,} near-duplicates, "
          f"{s['event_reports']:,} event reports -> {s['events']:,} events, {s['event_mentions']:,} mentions, "
          f"{s['events_with_several_mentions']:,} events with several mentions")
    print(f"database: {db}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
