"""The fast attribute ruler and lemmatizer give exactly what spaCy's own components give."""

from __future__ import annotations

import json

import pytest

from newsevents.stages.fast_components import FastAttributeRuler, speed_up
from newsevents.stages.language import DEFAULT_MODEL, load_model
from tests.conftest import SAMPLES, shared_path


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    texts += ["It's what they'd got: there are gets and got, I and you, it is. Do you have it? Did he?",
              "The U.N. envoy said 'we will see' -- and didn't.\n\nNo one's there; it was theirs."]
    return texts


def _annotations(docs) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_, t.is_sent_start)
            for d in docs for t in d]


@pytest.fixture(scope="module")
def reference():
    import spacy

    return spacy.load(DEFAULT_MODEL)


def test_the_loaded_model_uses_the_fast_components() -> None:
    kinds = {name: type(comp).__name__ for name, comp in load_model().pipeline}
    assert kinds["attribute_ruler"] == "FastAttributeRuler" and kinds["lemmatizer"] == "FastLemmatizer"


def test_same_annotations_as_spacy_on_the_samples(reference) -> None:
    import spacy

    fast = spacy.load(DEFAULT_MODEL)
    assert speed_up(fast) == ["attribute_ruler", "lemmatizer"]
    texts = _texts()
    assert _annotations(fast.pipe(texts)) == _annotations(reference.pipe(texts))


def test_same_annotations_as_spacy_on_real_articles(reference) -> None:
    import spacy

    corpus = shared_path("data", "news", "afp_xinhua_1997_2006.jsonl")
    with open(corpus, encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for _, line in zip(range(120), fh)]
    fast = spacy.load(DEFAULT_MODEL)
    speed_up(fast)
    assert _annotations(fast.pipe(texts)) == _annotations(reference.pipe(texts))


def test_patterns_the_fast_ruler_cannot_run_are_refused(reference) -> None:
    from spacy.pipeline import AttributeRuler

    ruler = AttributeRuler(reference.vocab)
    ruler.add([[{"LOWER": "a", "OP": "+"}]], {"POS": "DET"})
    with pytest.raises(ValueError, match="not supported"):
        FastAttributeRuler(ruler)
