#!/usr/bin/env python3
"""Calibrate the event coder's confidence on measurement: write ``knowledge/event_confidence.tsv``.

An analyst filters events by confidence ("at least 0.8") and should be able to read the number as a rate: of
the events coded at 0.8, about 80% are right. The coder's raw score (a pattern's base score with its bonuses
and penalties, or the learned model's probability) is not that. This script extracts the AFP/Xinhua dev set
(``../shared/gold/dev``) with calibration off, judges each event as ``newsevents eval articles`` does (right =
it matches a gold event: evidence, root and both actors), and for each way of deciding (``pattern``, ``model``)
writes, per bin of raw score, the share found right: smoothed towards that kind's overall rate (a prior worth
SMOOTHING events) and made non-decreasing (pool-adjacent-violators). A table of a dozen numbers, not a model
of the articles; ``newsevents eval articles`` prints the reliability table it gives.

It also prints the two-fold cross-validated expected calibration error (fitted on half of the articles,
measured on the other half, both ways), to show what the table does on articles it was not fitted on.

Usage: python scripts/calibrate_confidence.py [--shared DIR] [--check]
  --check   measure and print only; write nothing
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

import newsevents.stages.events as events_stage  # noqa: E402
from newsevents.eval import reliability, shared_dir  # noqa: E402
from newsevents.eval import articles as dev  # noqa: E402

EDGES = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0)  # upper bounds of the raw-score bins
SMOOTHING = 4.0
KINDS = ("pattern", "model")


def judged(shared: Path) -> list[tuple[str, str, float, bool]]:
    """(article, kind, raw score, right) for every non-negated event the pipeline codes on the dev set."""
    events_stage.default_calibration = lambda: None  # raw scores: the pipelines built below calibrate nothing
    scorer = dev.load_scorer(shared)
    gold, preds, _ = dev.predictions(shared, dev.gold_files(shared), scorer)
    return [(doc, "model" if "model" in (e.get("rule") or "").split("->")[0] else "pattern", float(e["confidence"]),
             right) for doc, e, right in dev.judge(scorer, gold, preds)]


def _pav(values: list[float], weights: list[float]) -> list[float]:
    """Pool adjacent violators: the closest non-decreasing sequence (weighted least squares)."""
    blocks = [[v, w, 1] for v, w in zip(values, weights)]
    i = 0
    while i < len(blocks) - 1:
        if blocks[i][0] > blocks[i + 1][0]:
            v1, w1, n1 = blocks[i]
            v2, w2, n2 = blocks[i + 1]
            blocks[i] = [(v1 * w1 + v2 * w2) / (w1 + w2), w1 + w2, n1 + n2]
            del blocks[i + 1]
            i = max(i - 1, 0)
        else:
            i += 1
    return [v for v, _, n in blocks for _ in range(n)]


def fit(items: list[tuple[str, str, float, bool]]) -> dict[str, list[tuple[float, float, int]]]:
    """kind -> [(raw score up to, confidence, events measured)] per bin."""
    table = {}
    for kind in KINDS:
        mine = [(raw, right) for _, k, raw, right in items if k == kind]
        if not mine:
            continue
        prior = sum(r for _, r in mine) / len(mine)
        counts, rates = [], []
        lo = -1.0
        for hi in EDGES:
            inside = [r for raw, r in mine if lo < raw <= hi]
            counts.append(len(inside))
            rates.append((sum(inside) + SMOOTHING * prior) / (len(inside) + SMOOTHING))
            lo = hi
        table[kind] = [(hi, round(c, 2), n) for hi, c, n in zip(EDGES, _pav(rates, [n + SMOOTHING for n in counts]), counts)]
    return table


def apply(table: dict[str, list[tuple[float, float, int]]], kind: str, raw: float) -> float:
    rows = table.get(kind) or []
    return next((c for hi, c, _ in rows if raw <= hi), rows[-1][1] if rows else raw)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", help="the shared gold sets (default: ../shared beside the repo)")
    ap.add_argument("--check", action="store_true", help="measure and print only; write nothing")
    args = ap.parse_args()
    items = judged(shared_dir(args.shared))
    raw_table, raw_ece = reliability([(raw, right) for _, _, raw, right in items])
    print(f"{len(items)} events judged; raw scores, ECE {raw_ece:.3f}:\n{raw_table}")
    docs = sorted({d for d, *_ in items})
    halves = [set(docs[0::2]), set(docs[1::2])]
    held_out = []
    for i in (0, 1):
        table = fit([x for x in items if x[0] in halves[i]])
        held_out += [(apply(table, k, raw), right) for d, k, raw, right in items if d in halves[1 - i]]
    cv_table, cv_ece = reliability(held_out)
    print(f"two-fold cross-validated (fitted on half the articles, measured on the other), ECE {cv_ece:.3f}:\n{cv_table}")
    table = fit(items)
    fitted, ece = reliability([(apply(table, k, raw), right) for _, k, raw, right in items])
    print(f"fitted on all, ECE {ece:.3f}:\n{fitted}")
    if args.check:
        return 0
    lines = [
        "# event_confidence.tsv - from the event coder's raw score to a calibrated confidence, per way of deciding",
        "# (pattern: the pattern dictionary; model: the learned model). Written by scripts/calibrate_confidence.py",
        "# from the measured share of events found right on the AFP/Xinhua dev set (right = matches a gold event),",
        f"# smoothed towards each kind's overall rate and made non-decreasing. {len(items)} events; ECE raw {raw_ece:.3f},",
        f"# cross-validated {cv_ece:.3f}, fitted {ece:.3f}. Columns: kind, raw_to (the bin's upper bound),",
        "# confidence, measured (events in the bin).",
        "kind\traw_to\tconfidence\tmeasured",
    ]
    for kind, rows in table.items():
        lines += [f"{kind}\t{hi}\t{c}\t{n}" for hi, c, n in rows]
    events_stage.CALIBRATION_FILE.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {events_stage.CALIBRATION_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
