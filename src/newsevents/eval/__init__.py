"""Per-stage measurements on the gold sets in ``../shared/data``: ``newsevents eval STAGE``.

Each module reads one kind of gold, runs the stage, and returns an ``EvalResult`` with named figures; floors
for those figures are pinned in ``tests/eval_floors.json`` and checked by the tests.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from ..errors import ConfigError


def shared_dir(explicit: Optional[str] = None) -> Path:
    """Where the shared gold sets are: --shared, $NEWSEVENTS_SHARED, or ../shared beside the repository."""
    candidates = [explicit, os.environ.get("NEWSEVENTS_SHARED"),
                  str(Path(__file__).resolve().parents[3] / ".." / "shared"), "../shared"]
    for c in candidates:
        if c and Path(c).is_dir():
            return Path(c).resolve()
    raise ConfigError("cannot find the shared gold sets: pass --shared DIR or set NEWSEVENTS_SHARED")


@dataclass
class EvalResult:
    stage: str
    dataset: str
    figures: dict[str, float] = field(default_factory=dict)
    counts: dict[str, Any] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)
    tables: dict[str, str] = field(default_factory=dict)  # preformatted tables (confusion matrices), by title

    def report(self, examples: int = 5) -> str:
        lines = [f"{self.stage} on {self.dataset}"]
        lines += [f"  {k:<28} {v:.3f}" for k, v in self.figures.items()]
        lines += [f"  {k:<28} {v}" for k, v in self.counts.items()]
        for title, table in self.tables.items():
            lines.append(f"  {title}:")
            lines += ["    " + row for row in table.splitlines()]
        if self.failures:
            by_kind: dict[str, list[dict[str, Any]]] = {}
            for f in self.failures:
                by_kind.setdefault(f["kind"], []).append(f)
            lines.append("  failures by kind:")
            for kind, items in sorted(by_kind.items(), key=lambda kv: -len(kv[1])):
                lines.append(f"    {kind}: {len(items)}")
                for f in items[:examples]:
                    lines.append("      " + ", ".join(f"{k}={v!r}" for k, v in f.items() if k != "kind"))
        return "\n".join(lines)


# Confidence bins of a reliability table: [lower, upper) each, the last closed.
RELIABILITY_BINS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def reliability(items: list[tuple[float, bool]], bins: tuple[float, ...] = RELIABILITY_BINS) -> tuple[str, float]:
    """A reliability table of (confidence, right) pairs and its expected calibration error (ECE): per bin of
    confidence, how many, their mean confidence and how many were right. A calibrated coder's rows read
    "mean confidence ≈ share right"; ECE is the gap, weighted by the bins' sizes."""
    rows = ["confidence     n   mean   right"]
    gap = 0.0
    for lo, hi in zip(bins, bins[1:]):
        last = hi == bins[-1]
        inside = [(c, ok) for c, ok in items if lo <= c < hi or (last and c == hi)]
        if not inside:
            rows.append(f"{lo:.1f}-{hi:.1f}  {0:>6}      -       -")
            continue
        mean = sum(c for c, _ in inside) / len(inside)
        right = sum(ok for _, ok in inside) / len(inside)
        gap += len(inside) * abs(mean - right)
        rows.append(f"{lo:.1f}-{hi:.1f}  {len(inside):>6}  {mean:.3f}  {right:.3f}")
    return "\n".join(rows), (gap / len(items) if items else 0.0)
