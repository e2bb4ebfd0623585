"""Accuracy floors: each stage's measurement on gold must not fall below the floor pinned in eval_floors.json."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from tests.conftest import shared_path

FLOORS = json.loads((Path(__file__).resolve().parents[1] / "eval_floors.json").read_text())
CASES = [(stage, name, floor) for stage, figures in FLOORS.items() if not stage.startswith("_")
         for name, floor in figures.items() if not name.startswith("_")]
_results: dict = {}


def _result(stage: str):
    if stage not in _results:
        shared = shared_path()
        _results[stage] = importlib.import_module(f"newsevents.eval.{stage}").evaluate(shared)
    return _results[stage]


@pytest.mark.parametrize("stage,figure,floor", CASES, ids=[f"{s}.{f}" for s, f, _ in CASES])
def test_stage_meets_its_floor(stage: str, figure: str, floor: float) -> None:
    result = _result(stage)
    assert result.figures[figure] >= floor, (
        f"{stage} {figure} = {result.figures[figure]:.3f}, below its floor {floor} "
        f"(run `newsevents eval {stage}` to see what fails)"
    )


BEATS = [(stage, a, b) for stage, pairs in FLOORS.get("_beats", {}).items() if not stage.startswith("_")
         for a, b in pairs]


@pytest.mark.parametrize("stage,ours,reference", BEATS, ids=[f"{s}.{a}>{b}" for s, a, b in BEATS])
def test_stage_beats_its_reference(stage: str, ours: str, reference: str) -> None:
    result = _result(stage)
    assert result.figures[ours] > result.figures[reference], (
        f"{stage}: {ours} = {result.figures[ours]:.3f} does not beat {reference} = {result.figures[reference]:.3f}")


CEILINGS = [(stage, name, ceiling) for stage, figures in FLOORS.get("_ceilings", {}).items()
            if not stage.startswith("_") for name, ceiling in figures.items()]


@pytest.mark.parametrize("stage,figure,ceiling", CEILINGS, ids=[f"{s}.{f}" for s, f, _ in CEILINGS])
def test_stage_stays_under_its_ceiling(stage: str, figure: str, ceiling: float) -> None:
    """Figures where lower is better (a calibration error)."""
    result = _result(stage)
    assert result.figures[figure] <= ceiling, (
        f"{stage} {figure} = {result.figures[figure]:.3f}, above its ceiling {ceiling} "
        f"(run `newsevents eval {stage}`)"
    )
