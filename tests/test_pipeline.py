from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

import pytest

from newsevents.errors import PipelineError, StageOrderError
from newsevents.pipeline import Pipeline, default_pipeline
from newsevents.readers._common import make_article
from newsevents.records import Analysis, Sentence


@dataclass
class Sentences:
    name: str = "sentences"
    version: str = "t1"
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ("sentences",)

    def __call__(self, batch: Sequence[Analysis]) -> list[Analysis]:
        out = []
        for a in batch:
            spans, start = [], 0
            for part in a.article.text.split(". "):
                spans.append(Sentence(start, start + len(part)))
                start += len(part) + 2
            out.append(replace(a, sentences=tuple(spans)))
        return out


@dataclass
class NeedsEntities:
    name: str = "quotes"
    version: str = "t1"
    requires: tuple[str, ...] = ("sentences", "entities")
    assigns: tuple[str, ...] = ("quotes",)

    def __call__(self, batch: Sequence[Analysis]) -> list[Analysis]:
        return list(batch)


@dataclass
class DropsOne:
    name: str = "broken"
    version: str = "t1"
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ("events",)

    def __call__(self, batch: Sequence[Analysis]) -> list[Analysis]:
        return list(batch)[1:]


def _art(text: str):
    return make_article(text=text, input="t", format="text", key=text)


def test_stages_run_and_record_provenance() -> None:
    pipe = Pipeline([Sentences()])
    [a] = pipe.run([_art("One. Two. Three")])
    assert len(a.sentences) == 3
    assert a.article.text[a.sentences[1].start : a.sentences[1].end] == "Two"
    assert a.stages == ("sentences@t1",)


def test_missing_requirement_is_refused_at_build_time() -> None:
    with pytest.raises(StageOrderError, match="requires entities"):
        Pipeline([Sentences(), NeedsEntities()])


def test_wrong_order_is_refused() -> None:
    with pytest.raises(StageOrderError, match="requires sentences"):
        Pipeline([NeedsEntities(requires=("sentences",)), Sentences()])


def test_two_stages_assigning_one_field_are_refused() -> None:
    with pytest.raises(StageOrderError, match="both assign"):
        Pipeline([Sentences(), Sentences(name="other")])


def test_unknown_field_is_refused() -> None:
    with pytest.raises(StageOrderError, match="not a field"):
        Pipeline([Sentences(assigns=("sentiment",))])


def test_stage_that_loses_records_is_caught() -> None:
    with pytest.raises(PipelineError, match="broken"):
        Pipeline([DropsOne()]).run([_art("a"), _art("b")])


def test_default_pipeline_builds() -> None:
    pipe = default_pipeline()
    [a] = pipe.run([_art("Nothing happened.")])
    assert a.article.text == "Nothing happened."
    contract = a.to_contract()
    for key in ("article", "entities", "quotes", "events", "dates", "locations"):
        assert key in contract
