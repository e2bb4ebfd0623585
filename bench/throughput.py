#!/usr/bin/env python3
"""Throughput of newsevents against spaCy, in one process, on AFP/Xinhua articles.

Prints, for N articles of ../shared/data/news/afp_xinhua_1997_2006.jsonl:
  (a) spaCy's tokenizer alone, (b) spaCy's full nlp.pipe with our model, (l) the language layer
  (newsevents' language + actors stages), (c) newsevents' whole extraction (the default pipeline);
articles/s, words/s, seconds per stage, peak RSS, and the ratios l/b, c/b and c/a (throughput ratios: above 1
means faster than the reference). Usage: python bench/throughput.py [-n 600] [--batch-size 64]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from newsevents.pipeline import Pipeline, default_pipeline  # noqa: E402
from newsevents.readers import read_inputs  # noqa: E402
from newsevents.records import Article  # noqa: E402
from newsevents.stages.actors import Actors  # noqa: E402
from newsevents.stages.language import Language, load_model  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str, fn, n_articles: int, n_words: int, results: dict) -> float:
    t0 = time.perf_counter()
    fn()
    dt = time.perf_counter() - t0
    results[label] = {"seconds": round(dt, 3), "articles_per_s": round(n_articles / dt, 2),
                      "words_per_s": round(n_words / dt, 1)}
    print(f"{label:<34} {dt:8.2f}s  {n_articles / dt:8.2f} articles/s  {n_words / dt:10.0f} words/s", flush=True)
    return n_articles / dt


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=600, help="articles (default 600)")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--corpus", default=str(REPO / ".." / "shared" / "data" / "news" / "afp_xinhua_1997_2006.jsonl"))
    ap.add_argument("--json", help="also write the figures to this JSON file")
    args = ap.parse_args()
    if not Path(args.corpus).exists():
        print(f"corpus not found: {args.corpus} (../shared is needed for this benchmark)", file=sys.stderr)
        return 2
    articles = [a for a in read_inputs([args.corpus]) if isinstance(a, Article)][: args.n]
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    print(f"{len(articles)} articles, {words:,} words; load average {os.getloadavg()[0]:.2f} "
          f"on {os.cpu_count()} CPUs", flush=True)

    t0 = time.perf_counter()
    nlp = load_model()
    load_s = time.perf_counter() - t0
    from newsevents.gazetteer import default_gazetteer

    t0 = time.perf_counter()
    default_gazetteer()
    gazetteer_s = time.perf_counter() - t0
    language = Pipeline([Language(batch_size=args.batch_size), Actors()])
    full = default_pipeline()
    t0 = time.perf_counter()
    language.run(articles[:8])  # warm-up: builds the phrase matcher and knowledge once
    full.run(articles[:8])
    warm_s = time.perf_counter() - t0
    print(f"model load {load_s:.2f}s, gazetteer load {gazetteer_s:.3f}s, knowledge and matcher warm-up {warm_s:.2f}s "
          "(not in the figures below)")
    for p in (language, full):
        p.timings = {k: 0.0 for k in p.timings}

    results: dict = {"articles": len(articles), "words": words}
    a = timed("(a) spaCy tokenizer", lambda: [nlp.make_doc(t) for t in texts], len(texts), words, results)
    b = timed("(b) spaCy nlp.pipe", lambda: list(nlp.pipe(texts, batch_size=args.batch_size)), len(texts), words, results)
    lang = timed("(l) language layer", lambda: language.run(articles), len(texts), words, results)
    c = timed("(c) newsevents extraction", lambda: full.run(articles), len(texts), words, results)
    print("seconds per stage of (c): " + ", ".join(f"{k} {v:.2f}" for k, v in full.timings.items()))
    t = full.timings
    layer = t.get("language", 0.0) + t.get("actors", 0.0)
    if layer:
        print(f"added to the language layer's time: dates+places {100 * (t.get('dates', 0) + t.get('places', 0)) / layer:.1f}%, "
              f"events {100 * t.get('events', 0) / layer:.1f}%, quotes {100 * t.get('quotes', 0) / layer:.1f}%")
    ratios = {"l/b": lang / b, "c/b": c / b, "c/a": c / a}
    results["ratios"] = {k: round(v, 3) for k, v in ratios.items()}
    results["stage_seconds"] = {k: round(v, 3) for k, v in full.timings.items()}
    results["peak_rss_mb"] = round(peak_rss_mb(), 1)
    print("throughput ratios: " + ", ".join(f"{k} = {v:.2f}" for k, v in ratios.items()))
    print(f"peak RSS {peak_rss_mb():.0f} MB")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
