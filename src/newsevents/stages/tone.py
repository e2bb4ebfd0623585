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
from typing import Sequence

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
    lex = vader_lexicon()
    n = len(words)
    if n == 0:
        return Tone(tone=0.0, positive=0.0, negative=0.0, polarity=0.0, activity=0.0, self_group=0.0, words=0)
    pos = sum(1 for w in words if lex.get(w, 0.0) > 0)
    neg = sum(1 for w in words if lex.get(w, 0.0) < 0)
    me = sum(1 for w in words if w in FIRST_PERSON)

    def pct(k: int) -> float:
        return round(100.0 * k / n, 4)

    return Tone(tone=round(pct(pos) - pct(neg), 4), positive=pct(pos), negative=pct(neg),
                polarity=round(pct(pos) + pct(neg), 4), activity=pct(verbs), self_group=pct(me), words=n)


class ToneStage:
    name = "tone"
    version = "1"
    requires: tuple[str, ...] = ("doc",)
    assigns: tuple[str, ...] = ("tone",)

    def __call__(self, batch: Sequence[Analysis]) -> list[Analysis]:
        out = []
        for a in batch:
            words = [t.lower_ for t in a.doc if t.is_alpha]
            verbs = sum(1 for t in a.doc if t.is_alpha and t.pos_ in ("VERB", "AUX"))
            out.append(replace(a, tone=tone_of(words, verbs)))
        return out


__all__ = ["ToneStage", "tone_of", "vader_lexicon"]
