#!/usr/bin/env python3
"""Throughput of newsevents against spaCy, in one process, on AFP/Xinhua articles.

Prints, for N articles of ../shared/data/news/afp_xinhua_1997_2006.jsonl:
  (a) spaCy's tokenizer alone, (b) spaCy's full nlp.pipe with our model (spaCy's own pipeline, as
  ``spacy.load`` gives it), (l) the language layer (newsevents' language + actors stages), (c) newsevents'
  whole extraction (the default pipeline); articles/s, words/s, seconds per stage, peak RSS of newsevents alone
  (before the reference pipeline is loaded), and the ratios l/b, c/b and c/a (throughput ratios: above 1 means
  faster than the reference). (b) and (c) run twice, alternating, and the ratios use the sums, so that drift in
  the machine's speed falls on both. ``--workers N`` also times ``ingest --workers N`` on the same articles.
Usage: python bench/throughput.py [-n 600] [--batch-size 64] [--workers 2]
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
from newsevents.stages.language import DEFAULT_MODEL, Language, load_model  # noqa: E402


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
    ap.add_argument("--workers", type=int, default=0, help="also time ingest with this many worker processes")
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
    load_model()
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
    lang = timed("(l) language layer", lambda: language.run(articles), len(texts), words, results)
    c1 = timed("(c) newsevents extraction", lambda: full.run(articles), len(texts), words, results)
    rss_alone = peak_rss_mb()
    import spacy

    reference = spacy.load(DEFAULT_MODEL)  # spaCy's own pipeline: the same weights, spaCy's components
    reference("warm up")
    a = timed("(a) spaCy tokenizer", lambda: [reference.make_doc(t) for t in texts], len(texts), words, results)
    b1 = timed("(b) spaCy nlp.pipe", lambda: list(reference.pipe(texts, batch_size=args.batch_size)), len(texts),
               words, results)
    for p in (full,):
        p.timings = {k: 0.0 for k in p.timings}
    c2 = timed("(c) newsevents extraction, again", lambda: full.run(articles), len(texts), words, results)
    b2 = timed("(b) spaCy nlp.pipe, again", lambda: list(reference.pipe(texts, batch_size=args.batch_size)),
               len(texts), words, results)
    b = 2 / (1 / b1 + 1 / b2)  # articles/s over both runs
    c = 2 / (1 / c1 + 1 / c2)
    print("seconds per stage of (c), second run: " + ", ".join(f"{k} {v:.2f}" for k, v in full.timings.items()))
    t = full.timings
    layer = t.get("language", 0.0) + t.get("actors", 0.0)
    if layer:
        print(f"added to the language layer's time: dates+places {100 * (t.get('dates', 0) + t.get('places', 0)) / layer:.1f}%, "
              f"events {100 * t.get('events', 0) / layer:.1f}%, quotes {100 * t.get('quotes', 0) / layer:.1f}%, "
              f"themes+tone+amounts+fingerprint {100 * sum(t.get(k, 0) for k in ('themes', 'tone', 'amounts', 'fingerprint')) / layer:.1f}%")
    coder = next((s for s in full.stages if s.name == "events"), None)
    if coder is not None and getattr(coder, "model_clauses", 0):
        # both runs of (c): the learned event model (word vectors + linear classifier) on candidate clauses
        total = sum(t.values())
        print(f"learned event model: {coder.model_clauses} clauses in {coder.model_seconds:.2f}s over both runs of (c), "
              f"{100 * coder.model_seconds / 2 / total:.1f}% of the pipeline's time")
        results["event_model_share"] = round(coder.model_seconds / 2 / total, 4)
    ratios = {"l/b": lang / b, "c/b": c / b, "c/a": c / a}
    results["ratios"] = {k: round(v, 3) for k, v in ratios.items()}
    results["stage_seconds"] = {k: round(v, 3) for k, v in full.timings.items()}
    results["peak_rss_mb_newsevents"] = round(rss_alone, 1)
    results["peak_rss_mb"] = round(peak_rss_mb(), 1)
    print("throughput ratios: " + ", ".join(f"{k} = {v:.2f}" for k, v in ratios.items()))
    print(f"peak RSS of newsevents alone {rss_alone:.0f} MB; with spaCy's reference pipeline loaded too "
          f"{peak_rss_mb():.0f} MB")
    if args.workers:
        import tempfile

        from newsevents.ingest import ingest

        tmp = Path(tempfile.mkdtemp(prefix="ne-bench-"))
        sample = tmp / "sample.jsonl"  # the same first N records
        with open(args.corpus, encoding="utf-8") as src, open(sample, "w", encoding="utf-8") as out:
            for _, line in zip(range(args.n), src):
                out.write(line)
        report = ingest([sample], tmp / "bench.duckdb", workers=args.workers, consolidate_after=False)
        results["workers"] = {"workers": args.workers, "articles": report.stored, "seconds": round(report.seconds, 2)}
        print(f"ingest --workers {args.workers}: {report.stored} articles in {report.seconds:.1f}s = "
              f"{report.stored / report.seconds:.2f} articles/s (reading, pipeline in workers, writing the store)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
