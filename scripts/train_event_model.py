#!/usr/bin/env python3
"""Train the event-type model from the exemplars written for the project, reproducibly.

Reads ``src/newsevents/knowledge/event_exemplars/*.tsv`` (a CAMEO code, or ``none``, and a sentence a row),
parses each sentence with the project's language and actors stages, takes its event clause (the main
verb; under a reporting verb, the clause reported: "officials said X had signed ..."), turns it into
features (``newsevents.stages.event_model.clause_features``) and fits a multinomial logistic regression
(scikit-learn, ``pip install -e '.[train]'``) over the 20 CAMEO roots and ``none``. Prints the 5-fold
cross-validated accuracy and macro-F1 on the exemplars, then writes ``knowledge/event_model.npz``.
The gold sets in ../shared are never read: they measure the model (``newsevents eval events``,
``newsevents eval articles``).

Usage: python scripts/train_event_model.py [--out PATH] [--c 2.0] [--check]
  --check   train and cross-validate only; write nothing (the test suite runs this)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from newsevents.stages.event_model import (  # noqa: E402
    EXEMPLARS_DIR, MODEL_FILE, NONE, EventModel, WordVectors, clause_features, default_vectors, is_event_noun,
    read_exemplars)

# Reporting verbs whose clause is the event reported, not an event of their own.
REPORTING = frozenset({"say", "tell", "add", "report", "state", "claim", "note", "quote", "confirm"})
# Regularisation of the logistic regression: chosen by the cross-validation this script prints
# (swept 0.5-8; 2.0 was best on macro-F1, flat from 1 to 4).
C = 2.0
# Exemplars kept out of training: long sentences in wire-service style (datelines aside), written for the project
# to measure the model on sentences like real news. Training on them was measured (session 7): cross-validated
# accuracy 0.847, but dev precision 0.783 -> 0.760 at equal recall and PLV macro-F1 within 0.01, so they
# measure rather than train.
HELD_OUT = EXEMPLARS_DIR / "held_out"
SEED = 13


def event_clause(sent) -> object:
    """The token heading a sentence's event clause."""
    root = sent.root
    if root.lemma_.lower() in REPORTING:
        comp = [c for c in root.children if c.dep_ == "ccomp"]
        if comp:
            return comp[0]
    return root


def featurize(sentences: list[str], labels: list[str],
              vectors: "WordVectors | None" = None) -> list[list[tuple[list[str], object]]]:
    from newsevents.pipeline import Pipeline
    from newsevents.records import Article
    from newsevents.stages.actors import Actors
    from newsevents.stages.language import Language

    pipeline = Pipeline([Language(), Actors()])
    articles = [Article(id=f"x{i}", text=s) for i, s in enumerate(sentences)]
    out = []
    for a, label in zip(pipeline.run(articles, keep_doc=True), labels):
        doc = a.doc
        actors = set()
        for e in a.entities:
            for m in e.mentions:
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is not None:
                    actors.update(range(span.start, span.end))
        sent = next(iter(doc.sents))
        actors = frozenset(actors)
        head = event_clause(sent)
        # In a sentence with no event, its actor-linking nouns too ("the talks' venue"): negatives of the
        # nominal events the model codes. (A positive sentence's own event noun, "held talks with X", was
        # measured as a second positive (session 9): cross-validated accuracy 0.839 -> 0.800, dev precision
        # 0.823 -> 0.815, PLV coverage flat; left out.)
        nouns = [t for t in sent if label == NONE and is_event_noun(t, actors)]
        out.append([(clause_features(t, actors), vectors.clause(t, actors) if vectors is not None else None)
                    for t in [head] + nouns])
    return out


def matrix(vec, features: list[list[str]], dense: list[object] | None):
    """The design matrix: the symbolic features one-hot, then the word-vector part (if any)."""
    import numpy as np
    from scipy.sparse import csr_matrix, hstack

    x = vec.transform([{f: 1.0 for f in fs} for fs in features])
    if dense is None:
        return x
    return hstack([x, csr_matrix(np.vstack(dense).astype(np.float32))]).tocsr()


def train(features: list[list[str]], labels: list[str], c: float = C, dense: list[object] | None = None):
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer(dtype=np.float32)
    vec.fit([{f: 1.0 for f in fs} for fs in features])
    clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced", random_state=SEED)
    clf.fit(matrix(vec, features, dense), labels)
    return vec, clf


def cross_validate(features: list[list[str]], labels: list[str], groups: list[int], c: float = C,
                   dense: list[object] | None = None) -> tuple[float, float]:
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedGroupKFold

    pred = [""] * len(labels)
    folds = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=SEED)
    for train_idx, test_idx in folds.split(features, labels, groups):
        part = (lambda idx: [dense[i] for i in idx]) if dense is not None else (lambda idx: None)
        vec, clf = train([features[i] for i in train_idx], [labels[i] for i in train_idx], c, part(train_idx))
        got = clf.predict(matrix(vec, [features[i] for i in test_idx], part(test_idx)))
        for i, g in zip(test_idx, got):
            pred[i] = g
    accuracy = sum(p == y for p, y in zip(pred, labels)) / len(labels)
    return accuracy, f1_score(labels, pred, average="macro")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=MODEL_FILE, help=f"where to write the model (default {MODEL_FILE})")
    ap.add_argument("--c", type=float, default=C, help=f"inverse regularisation strength (default {C})")
    ap.add_argument("--check", action="store_true", help="train and cross-validate only; write nothing")
    ap.add_argument("--no-vectors", action="store_true",
                    help="words as symbols only: leave out the word vectors (knowledge/word_vectors.npz)")
    args = ap.parse_args()
    vectors = None if args.no_vectors else default_vectors()

    t0 = time.perf_counter()
    rows = read_exemplars()
    labels = [lab for lab, _ in rows]
    sentences = [s for _, s in rows]
    print(f"{len(rows)} exemplars, {len(set(labels))} labels; parsing...", file=sys.stderr)
    per_sentence = featurize(sentences, labels, vectors)
    # Each sentence's event clause, and the nouns in it that link actors ("talks with X", "an attack on Y")
    # with the sentence's label: the model codes nominal events too. Cross-validation folds by sentence.
    features = [fs for group in per_sentence for fs, _ in group]
    dense = [v for group in per_sentence for _, v in group] if vectors is not None else None
    groups = [i for i, group in enumerate(per_sentence) for _ in group]
    labels_all = [labels[i] for i in groups]
    sentences_all = [sentences[i] for i in groups]
    accuracy, macro_f1 = cross_validate(features, labels_all, groups, args.c, dense)
    print(f"5-fold cross-validation on the exemplars: accuracy {accuracy:.3f}, macro-F1 {macro_f1:.3f}"
          f" ({'with' if dense is not None else 'without'} word vectors)")
    vec, clf = train(features, labels_all, args.c, dense)
    n_sym = len(vec.feature_names_)
    model = EventModel(list(clf.classes_), list(vec.feature_names_), clf.coef_[:, :n_sym], clf.intercept_,
                       labels_all, sentences_all, ["\x1f".join(sorted(set(f))) for f in features],
                       dense_coef=clf.coef_[:, n_sym:] if dense is not None else None)
    print(f"{len(model.index)} features; {time.perf_counter() - t0:.1f} s")
    held = read_exemplars(HELD_OUT) if HELD_OUT.is_dir() and any(HELD_OUT.glob("*.tsv")) else []
    if held:
        # Long wire-style sentences written for the project and kept out of training: how the model does on
        # sentences like real news, clause by clause (the event clause only).
        from sklearn.metrics import f1_score

        held_labels = [lab for lab, _ in held]
        clauses = featurize([s for _, s in held], held_labels, vectors)
        got = clf.predict(matrix(vec, [g[0][0] for g in clauses], [g[0][1] for g in clauses] if dense else None))
        right = sum(p == y for p, y in zip(got, held_labels)) / len(held)
        print(f"held-out long sentences ({len(held)}, {HELD_OUT.name}/): accuracy {right:.3f}, "
              f"macro-F1 {f1_score(held_labels, got, average='macro'):.3f}")
    if not args.check:
        model.save(args.out)
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
