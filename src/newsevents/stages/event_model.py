"""The learned event-type model beside the patterns: a linear classifier over a clause's words.

The patterns of ``event_patterns.tsv`` are precise but fire on a quarter of real phrasings. For a clause they
leave uncoded that links two actors, this model gives a CAMEO root (or ``none``) with a probability. It is
trained by ``scripts/train_event_model.py`` on the exemplar sentences of ``knowledge/event_exemplars/*.tsv``,
written for the project (never on the gold sets, which measure it), and shipped as
``knowledge/event_model.npz``: the labels, the feature vocabulary, the weights, and each exemplar's sentence
and features, so that an event can show the exemplars nearest to its clause. Prediction needs numpy only.

A clause's features are words in their grammatical places (``clause_features``): the predicate's lemma, its
particle and prepositions, the lemmas of its objects and complements ("hold" + "talk", "launch" +
"offensive"), the verb it depends on ("agree" for "agreed to sign"), whether it is passive, and the content
words of the clause; actors are masked (``ACTOR``) so that the model learns acts, not names.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

from ..errors import ConfigError
from ..knowledge import DATA

MODEL_FILE = DATA / "event_model.npz"
# Static word vectors distilled from MiniLM-L6 (scripts/distill_word_vectors.py): words, vectors (float16).
WORD_VECTORS_FILE = DATA / "word_vectors.npz"
EXEMPLARS_DIR = DATA / "event_exemplars"
NONE = "none"
# Dependencies of the predicate whose words say what the act is (objects, complements, predicates of
# copulas); the subject is an actor slot and says little.
ARGUMENT_DEPS = frozenset({"dobj", "attr", "oprd", "xcomp", "acomp", "dative", "nsubj", "nsubjpass", "ccomp", "advcl"})
CONTENT_POS = frozenset({"NOUN", "VERB", "ADJ", "ADV", "PROPN"})
# How far (in tokens) the clause's bag of words reaches from the predicate: a clause, not the sentence.
CLAUSE_REACH = 12


def _lemma(t: Any) -> str:
    return t.lemma_.lower()


def clause_features(pred: Any, actors: frozenset[int] = frozenset()) -> list[str]:
    """The features of the clause headed by ``pred`` (a spaCy token); ``actors`` are token indices of actor
    mentions, masked as ACTOR."""
    p = _lemma(pred)
    feats = [f"p={p}", f"pos={pred.pos_}"]
    if pred.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in pred.children):
        feats.append("passive")
    if pred.dep_ in ("xcomp", "pcomp", "ccomp") and pred.head.i != pred.i:
        feats.append(f"head={_lemma(pred.head)}")
        feats.append(f"head+p={_lemma(pred.head)}_{p}")
    for c in pred.children:
        d = c.dep_
        if d == "prt":
            feats.append(f"p+prt={p}_{_lemma(c)}")
        elif d in ("prep", "agent"):
            prep = _lemma(c)
            feats += [f"prep={prep}", f"p+prep={p}_{prep}"]
            for g in c.children:
                if g.dep_ in ("pobj", "pcomp"):
                    word = "ACTOR" if g.i in actors else _lemma(g)
                    feats.append(f"pobj={prep}_{word}")
        elif d in ARGUMENT_DEPS:
            word = "ACTOR" if c.i in actors else _lemma(c)
            feats += [f"{d}={word}", f"p+{d}={p}_{word}"]
            if c.i not in actors and d in ("dobj", "xcomp", "attr", "nsubjpass"):
                for g in c.children:
                    if g.dep_ in ("prep", "amod", "compound", "dobj", "prt"):
                        feats.append(f"{d}.{g.dep_}={word}_{'ACTOR' if g.i in actors else _lemma(g)}")
    for t in pred.subtree:
        if abs(t.i - pred.i) > CLAUSE_REACH or t.i == pred.i or t.i in actors:
            continue
        if t.pos_ in CONTENT_POS and t.is_alpha and not t.is_stop:
            feats.append(f"w={_lemma(t)}")
    return feats


# The slots of a clause's dense part, each a word vector: the predicate, its main argument (object,
# complement or first prepositional object), the verb it depends on, and the mean of the clause's words.
VECTOR_SLOTS = ("predicate", "argument", "governor", "clause")
ARGUMENT_SLOT_DEPS = ("dobj", "xcomp", "attr", "acomp", "oprd", "nsubjpass")


class WordVectors:
    """Static word vectors (``scripts/distill_word_vectors.py``): MiniLM-L6's output for each word alone,
    reduced by PCA; a look-up, no encoder at run time."""

    def __init__(self, words: Sequence[str], vectors: Any) -> None:
        import numpy as np

        self.index = {w: i for i, w in enumerate(words)}
        self.vectors = np.asarray(vectors, dtype=np.float32)
        self.dims = int(self.vectors.shape[1])

    @classmethod
    def load(cls, path: Path = WORD_VECTORS_FILE) -> "WordVectors":
        import numpy as np

        try:
            with np.load(path, allow_pickle=False) as z:
                return cls(z["words"].tolist(), z["vectors"])
        except (OSError, KeyError, ValueError) as exc:
            raise ConfigError(f"{path}: cannot read the word vectors ({exc}); run scripts/distill_word_vectors.py") from exc

    def word(self, t: Any) -> Any:
        """The vector of a token's lemma, else of its lower-case form, else None."""
        i = self.index.get(_lemma(t))
        if i is None:
            i = self.index.get(t.lower_)
        return None if i is None else self.vectors[i]

    def clause(self, pred: Any, actors: frozenset[int] = frozenset()) -> Any:
        """The dense part of a clause: one vector per ``VECTOR_SLOTS`` slot (zeros where the slot is empty),
        concatenated."""
        import numpy as np

        out = np.zeros(len(VECTOR_SLOTS) * self.dims, dtype=np.float32)

        def put(slot: int, vec: Any) -> None:
            if vec is not None:
                out[slot * self.dims : (slot + 1) * self.dims] = vec

        put(0, self.word(pred))
        arg = next((c for c in pred.children if c.dep_ in ARGUMENT_SLOT_DEPS and c.i not in actors), None)
        if arg is None:
            arg = next((g for c in pred.children if c.dep_ == "prep" for g in c.children
                        if g.dep_ == "pobj" and g.i not in actors), None)
        if arg is not None:
            put(1, self.word(arg))
        if pred.dep_ in ("xcomp", "pcomp", "ccomp", "dobj", "pobj") and pred.head.i != pred.i:
            put(2, self.word(pred.head))
        words = [v for t in pred.subtree if abs(t.i - pred.i) <= CLAUSE_REACH and t.i != pred.i and t.i not in actors
                 and t.pos_ in CONTENT_POS and t.is_alpha and not t.is_stop for v in [self.word(t)] if v is not None]
        if words:
            put(3, np.mean(words, axis=0))
        return out


@lru_cache(maxsize=2)
def default_vectors(path: Optional[str] = None) -> Optional[WordVectors]:
    """The shipped word vectors, loaded once per process; None where the build has none."""
    p = Path(path) if path else WORD_VECTORS_FILE
    return WordVectors.load(p) if p.exists() else None


# Prepositions through which an event noun names its parties: "talks with", "an attack on", "a visit to".
LINKING_PREPS = frozenset({"with", "between", "to", "against", "on", "by", "over", "from", "into", "of"})


def is_event_noun(tok: Any, actors: frozenset[int]) -> bool:
    """A common noun outside the actor names that links to an actor through a preposition or a possessor:
    a candidate nominal event ("talks with Italy", "Russia's invasion of Ukraine")."""
    if tok.pos_ != "NOUN" or tok.i in actors or not tok.is_alpha:
        return False
    for c in tok.children:
        if c.dep_ == "poss" and c.i in actors:
            return True
        if c.dep_ == "prep" and c.lower_ in LINKING_PREPS and any(g.i in actors for g in c.children if g.dep_ == "pobj"):
            return True
    return False


@dataclass(frozen=True)
class Prediction:
    label: str  # a CAMEO root ("19") or NONE
    probability: float
    features: tuple[str, ...]


class EventModel:
    """Labels, vocabulary and weights of a trained model (``load``), and its exemplars."""

    def __init__(self, labels: Sequence[str], vocab: Sequence[str], coef: Any, intercept: Any,
                 exemplar_labels: Sequence[str] = (), exemplar_texts: Sequence[str] = (),
                 exemplar_features: Sequence[str] = (), dense_coef: Any = None) -> None:
        import numpy as np

        self.labels = list(labels)
        self.index = {f: i for i, f in enumerate(vocab)}
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        # Weights of the clause's word-vector part (labels x slots*dims); None: words as symbols only.
        self.dense_coef = None if dense_coef is None or np.size(dense_coef) == 0 else np.asarray(dense_coef, dtype=np.float32)
        self.exemplars = [(lab, text, frozenset(feats.split("\x1f")))
                          for lab, text, feats in zip(exemplar_labels, exemplar_texts, exemplar_features)]
        self._by_label: dict[str, list[tuple[str, frozenset[str]]]] = {}  # label -> its exemplars (for nearest)
        for lab, text, feats in self.exemplars:
            self._by_label.setdefault(lab, []).append((text, feats))

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> "EventModel":
        import numpy as np

        try:
            with np.load(path, allow_pickle=False) as z:
                return cls(z["labels"].tolist(), z["vocab"].tolist(), z["coef"], z["intercept"],
                           z["exemplar_labels"].tolist(), z["exemplar_texts"].tolist(), z["exemplar_features"].tolist(),
                           z["dense_coef"] if "dense_coef" in z.files else None)
        except (OSError, KeyError, ValueError) as exc:
            raise ConfigError(f"{path}: cannot read the event model ({exc}); run scripts/train_event_model.py") from exc

    def save(self, path: Path) -> None:
        import numpy as np

        vocab = [""] * len(self.index)
        for f, i in self.index.items():
            vocab[i] = f
        np.savez_compressed(
            path, labels=np.array(self.labels), vocab=np.array(vocab), coef=self.coef, intercept=self.intercept,
            exemplar_labels=np.array([e[0] for e in self.exemplars]), exemplar_texts=np.array([e[1] for e in self.exemplars]),
            exemplar_features=np.array(["\x1f".join(sorted(e[2])) for e in self.exemplars]),
            dense_coef=self.dense_coef if self.dense_coef is not None else np.zeros((0,), dtype=np.float32))

    def predict(self, features: Iterable[str], vector: Any = None) -> Prediction:
        """The label of a clause from its symbolic features and, when the model has a dense part, its word
        vectors (``WordVectors.clause``)."""
        import numpy as np

        feats = tuple(dict.fromkeys(features))
        idx = [self.index[f] for f in feats if f in self.index]
        scores = self.intercept + (self.coef[:, idx].sum(axis=1) if idx else 0.0)
        if self.dense_coef is not None and vector is not None:
            scores = scores + self.dense_coef @ vector
        scores = scores - scores.max()
        probs = np.exp(scores)
        probs /= probs.sum()
        best = int(probs.argmax())
        return Prediction(self.labels[best], float(probs[best]), feats)

    def nearest(self, features: Iterable[str], label: str, k: int = 2) -> list[str]:
        """The exemplars of ``label`` sharing most features with a clause (Jaccard): why it was coded so."""
        mine = frozenset(features)
        scored = [(len(mine & f) / (len(mine | f) or 1), text) for text, f in self._by_label.get(label, ())]
        return [text for _, text in sorted(scored, key=lambda x: -x[0])[:k]]


@lru_cache(maxsize=2)
def default_model(path: Optional[str] = None) -> EventModel:
    """The shipped model, loaded once per process."""
    return EventModel.load(Path(path) if path else MODEL_FILE)


def read_exemplars(directory: Path = EXEMPLARS_DIR) -> list[tuple[str, str]]:
    """(label, sentence) pairs from every ``*.tsv`` of the exemplar directory; the label is the CAMEO root of
    the row's code, or NONE."""
    from ..knowledge import read_table

    out = []
    for path in sorted(directory.glob("*.tsv")):
        for row in read_table(path):
            code, sentence = row.get("code", ""), row.get("sentence", "")
            if not sentence:
                continue
            out.append((NONE if code == NONE else code[:2], sentence))
    if not out:
        raise ConfigError(f"{directory}: no exemplars")
    return out


__all__ = ["EventModel", "Prediction", "WordVectors", "clause_features", "default_model", "default_vectors",
           "is_event_noun", "read_exemplars", "NONE"]
