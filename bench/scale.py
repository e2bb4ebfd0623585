#!/usr/bin/env python3
"""Scale on this machine: ingest N articles (the AFP/Xinhua corpus repeated with changed ids) with one and
with several workers; prints articles/s, the speed-up, and the resident memory of the writer and of the largest
worker as the corpus grows (at 1k, 5k and 10k articles).

Usage: python bench/scale.py [-n 10000] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from newsevents import ingest  # noqa: E402

CORPUS = REPO / ".." / "shared" / "data" / "news" / "afp_xinhua_1997_2006.jsonl"


def rss_mb() -> float:
    """Current resident memory of this process (the reader and writer), in MB."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker_rss_mb() -> float:
    """The largest resident memory among this process's child processes (the pipeline workers), in MB."""
    me, worst = os.getpid(), 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) != me:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    worst = max(worst, int(line.split()[1]) / 1024)
        except (OSError, IndexError, ValueError):
            continue
    return worst


def make_corpus(n: int, path: Path) -> None:
    records = [json.loads(line) for line in CORPUS.read_text("utf-8").splitlines() if line.strip()]
    with path.open("w") as out:
        for i in range(n):
            r = dict(records[i % len(records)])
            r["id"] = f"{r['id']}-copy{i // len(records)}"
            out.write(json.dumps(r) + "\n")


def run(corpus: Path, workers: int, marks: list[int]) -> tuple[float, dict[int, str]]:
    seen: dict[int, str] = {}

    def progress(kind: str, item: object, report: object) -> None:
        done = getattr(report, "stored", 0)
        if done in marks and done not in seen:
            w = worker_rss_mb()
            seen[done] = f"writer {rss_mb():.0f} MB" + (f", largest worker {w:.0f} MB" if w else "")

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        report = ingest([corpus], Path(tmp) / "scale.duckdb", workers=workers, progress=progress)
        dt = time.perf_counter() - t0
    print(f"workers={workers}: {report.stored:,} articles in {dt:.1f}s = {report.stored / dt:.2f} articles/s; "
          "RSS at " + "; ".join(f"{k:,}: {v}" for k, v in sorted(seen.items())), flush=True)
    return report.stored / dt, seen


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=10_000)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    if not CORPUS.exists():
        print(f"corpus not found: {CORPUS}", file=sys.stderr)
        return 2
    marks = sorted({m for m in (1_000, 5_000, 10_000, args.n) if m <= args.n})
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        make_corpus(args.n, corpus)
        print(f"{args.n:,} articles; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs", flush=True)
        one, _ = run(corpus, 1, marks)
        many, _ = run(corpus, args.workers, marks)
    print(f"speed-up with {args.workers} workers: {many / one:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
