"""``newsevents eval articles`` on two dev articles: its figures, counts and failures, and that they equal what
the shared ``eval/dev.py`` reports for the same articles."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsevents.errors import ConfigError
from newsevents.eval.articles import evaluate, load_scorer, placed
from tests.conftest import shared_path

DOCS = ["AFP_ENG_19970401.0541", "AFP_ENG_19970402.0207"]
FIGURES = {"event_precision", "event_recall", "event_f1", "quote_recall", "speaker_accuracy", "date_recall",
           "location_recall", "events_with_country", "confidence_ece"}


@pytest.fixture(scope="module")
def shared() -> Path:
    return shared_path("eval", "score.py").parents[1]


@pytest.fixture(scope="module")
def subset(shared: Path):
    return evaluate(shared, only=DOCS)


def test_figures_counts_and_failures(subset) -> None:
    assert subset.stage == "articles"
    assert subset.dataset == "AFP/Xinhua dev set (2 articles, ../shared/gold/dev)"
    assert set(subset.figures) == FIGURES
    assert all(0.0 <= v <= 1.0 for v in subset.figures.values())
    c = subset.counts
    assert c["articles"] == c["articles extracted"] == 2, [f for f in subset.failures if f["kind"] == "not extracted"]
    found, total = (int(n) for n in c["required events found"].split("/"))
    assert 0 <= found <= total
    kinds = {f["kind"] for f in subset.failures}
    assert kinds <= {"wrong speaker", "actor without a country"}
    wrong = [f for f in subset.failures if f["kind"] == "wrong speaker"]
    assert len(wrong) == c["wrong speakers"]
    assert all(set(f) == {"kind", "doc", "gold", "got"} and f["doc"] in DOCS for f in wrong)
    countryless = [f for f in subset.failures if f["kind"] == "actor without a country"]
    assert len(countryless) == c["countryless events"] <= c["events coded"]
    assert all(set(f) == {"kind", "doc", "source", "target", "evidence"} for f in countryless)
    assert "failures by kind" in subset.report() or not subset.failures


def test_figures_equal_the_shared_dev_script(shared: Path, subset) -> None:
    cli = Path(sys.executable).parent / "newsevents"
    if not cli.exists():
        pytest.skip(f"no newsevents command beside {sys.executable} for dev.py to run")
    proc = subprocess.run([sys.executable, str(shared / "eval" / "dev.py"), "--cli", str(cli), "--json", "--only", *DOCS],
                          capture_output=True, text=True, timeout=600, check=True)
    dev = json.loads(proc.stdout)
    for name in FIGURES - {"events_with_country", "confidence_ece"}:
        assert subset.figures[name] == dev["totals"][name], name
    assert subset.counts["events coded"] == dev["events_coded"]
    assert subset.counts["countryless events"] == dev["events_actor_without_country"]
    assert subset.figures["events_with_country"] == round(1 - dev["events_actor_without_country"] / dev["events_coded"], 3)
    assert subset.counts["wrong speakers"] == dev["quote_misses"].get("wrong speaker", 0)


def test_placed_actors(shared: Path) -> None:
    scorer = load_scorer(shared)
    assert placed(scorer, {"name": "Hungary", "code": "HUN"})
    assert placed(scorer, {"name": "x", "country": "FR"})
    assert placed(scorer, {"name": "NATO", "code": "IGOWSTNAT"})
    assert not placed(scorer, {"name": "member delegation", "code": "GOV"})
    assert not placed(scorer, None)


def test_unknown_document_is_a_config_error(shared: Path) -> None:
    with pytest.raises(ConfigError, match="no gold file"):
        evaluate(shared, only=["NOT_A_DOC"])
