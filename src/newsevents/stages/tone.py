"""Tone: GDELT's V1.5TONE fields for an article, from the VADER sentiment lexicon (``vaderSentiment``).

Every word (alphabetic token) is looked up in the lexicon; the positive and negative scores are the
percentages of all words with positive or negative valence, tone is their difference and polarity their sum,
as GDELT defines them. Activity is the percentage of verbs, self/group reference the percentage of first-person
pronouns. Words are counted over the body; the headline is not part of ``Article.text``.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

from ..errors import ConfigError
from ..records import Analysis, Tone

FIRST_PERSON = frozenset("i me my mine myself we us our ours ourselves".split())


@lru_cache(maxsize=1)
def vader_lexicon() -> dict[str, float]:
    """Word → mean valence (-4 … +4), read from the lexicon file that ships inside vaderSentiment."""
    try:
        import vaderSentiment
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ConfigError("the tone stage needs the vaderSentiment package (pip install vaderSentiment)") from exc
    path = Path(vaderSentiment.__file__).parent / "vader_lexicon.txt"
    out: dict[str, float] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2:
                try:
                    out[parts[0].lower()] = float(parts[1])
                except ValueError:
                    continue
    return out


def tone_of(words: Sequence[str], verbs: int = 0) -> Tone:
    """The tone of a list of words (lower case), ``verbs`` of which are verbs."""
    lex = vader_lexicon()
    return _tone(len(words), sum(1 for w in words if lex.get(w, 0.0) > 0), sum(1 for w in words if lex.get(w, 0.0) < 0),
                 verbs, sum(1 for w in words if w in FIRST_PERSON))


def _tone(n: int, pos: int, neg: int, verbs: int, me: int) -> Tone:
    if n == 0:
        return Tone(tone=0.0, positive=0.0, negative=0.0, polarity=0.0, activity=0.0, self_group=0.0, words=0)

    def pct(k: int) -> float:
        return round(100.0 * k / n, 4)

    return Tone(tone=round(pct(pos) - pct(neg), 4), positive=pct(pos), negative=pct(neg),
                polarity=round(pct(pos) + pct(neg), 4), activity=pct(verbs), self_group=pct(me), words=n)


class ToneStage:
    name = "tone"
    version = "1"
    requires: tuple[str, ...] = ("doc",)
    assigns: tuple[str, ...] = ("tone",)

    def __init__(self) -> None:
        # per vocabulary: word hash -> +1 / -1, first-person pronoun hashes, the hashes of VERB and AUX
        self._hashes: dict[int, tuple[dict[int, int], frozenset[int], frozenset[int]]] = {}

    def _hashes_for(self, vocab: Any) -> tuple[dict[int, int], frozenset[int], frozenset[int]]:
        key = id(vocab)
        if key not in self._hashes:
            strings = vocab.strings
            self._hashes[key] = ({strings.add(w): (1 if v > 0 else -1) for w, v in vader_lexicon().items() if v},
                                 frozenset(strings.add(w) for w in FIRST_PERSON),
                                 frozenset((strings.add("VERB"), strings.add("AUX"))))
        return self._hashes[key]

    def __call__(self, batch: Sequence[Analysis]) -> list[Analysis]:
        from spacy.attrs import IS_ALPHA, LOWER, POS

        out = []
        for a in batch:
            doc = a.doc
            signs, first_person, verb_pos = self._hashes_for(doc.vocab)
            pos = neg = me = verbs = n = 0
            for lower, alpha, p in (doc.to_array([LOWER, IS_ALPHA, POS]).tolist() if len(doc) else ()):
                if not alpha:
                    continue
                n += 1
                sign = signs.get(lower, 0)
                pos += sign > 0
                neg += sign < 0
                me += lower in first_person
                verbs += p in verb_pos
            out.append(replace(a, tone=_tone(n, pos, neg, verbs, me)))
        return out


__all__ = ["ToneStage", "tone_of", "vader_lexicon"]
