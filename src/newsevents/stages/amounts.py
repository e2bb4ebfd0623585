"""Amounts: numbers and what they count ("2,000 troops", "three soldiers", "1.5 million refugees").

GDELT's GKG "V2.1AMOUNTS" field. A number is a run of numeric tokens modifying a noun (spaCy's ``nummod``);
its object is that noun with its compound modifiers. Years, dates, times, percentages and ordinals are not
amounts; money is ("$5 billion" → 5e9, "dollars" when the parse gives no noun).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Optional, Sequence

from ..records import Amount, Analysis

_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12, "dozens": 24, "hundreds": 200, "thousands": 2000,
}
_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
           "mln": 1e6, "bln": 1e9, "m": 1e6, "bn": 1e9, "k": 1e3}
_NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_CURRENCY = {"$": "dollars", "€": "euros", "£": "pounds", "¥": "yen"}
_NOT_AMOUNTS = {"DATE", "TIME", "PERCENT", "ORDINAL"}


def number_value(tokens: Sequence[str]) -> Optional[float]:
    """The value of a run of number words and digits ("2,000", "2.5 million", "three hundred"), or None."""
    value: Optional[float] = None
    for raw in tokens:
        t = raw.lower().strip()
        if _NUMBER.match(t):
            v = float(t.replace(",", ""))
            value = v if value is None else value + v
        elif t in _WORDS:
            value = (value or 0) + _WORDS[t]
        elif t in _SCALES:
            value = (value if value is not None else 1) * _SCALES[t]
        elif t in ("-", "and"):
            continue
        else:
            return None
    return value


def _object(noun: Any) -> str:
    parts = [c for c in noun.lefts if c.dep_ == "compound" and c.i == noun.i - 1] + [noun]
    return " ".join(p.text for p in parts)


class Amounts:
    name = "amounts"
    version = "1"
    requires: tuple[str, ...] = ("doc",)
    assigns: tuple[str, ...] = ("amounts",)

    def __call__(self, batch: Sequence[Analysis]) -> list[Analysis]:
        return [replace(a, amounts=self.find(a.doc)) for a in batch]

    def find(self, doc: Any) -> tuple[Amount, ...]:
        from spacy.attrs import LIKE_NUM

        out: list[Amount] = []
        seen: set[int] = set()
        numeric = doc.to_array(LIKE_NUM).nonzero()[0].tolist() if len(doc) else []
        for i in numeric:  # only numbers can start an amount: the rest of the text is skipped at C speed
            tok = doc[i]
            if tok.i in seen or tok.ent_type_ in _NOT_AMOUNTS:
                continue
            # the run of numeric tokens this one belongs to ("2.5 million", "three hundred")
            lo = hi = tok.i
            while lo > 0 and (doc[lo - 1].like_num or doc[lo - 1].text in _CURRENCY) and doc[lo - 1].ent_type_ not in _NOT_AMOUNTS:
                lo -= 1
            while hi + 1 < len(doc) and doc[hi + 1].like_num and doc[hi + 1].ent_type_ not in _NOT_AMOUNTS:
                hi += 1
            seen.update(range(lo, hi + 1))
            run = doc[lo:hi + 1]
            currency = _CURRENCY.get(run[0].text)
            words = [t.text for t in run if t.text not in _CURRENCY]
            value = number_value(words)
            if value is None:
                continue
            head = run.root.head if run.root.dep_ in ("nummod", "quantmod", "compound") else None
            if head is not None and head.pos_ in ("NOUN", "PROPN") and head.i > hi:
                obj = _object(head)
                end = head.idx + len(head.text)
            elif currency:
                obj, end = currency, run.end_char
            else:
                continue
            if obj.lower() in _SCALES or obj.lower() in _WORDS:
                continue
            out.append(Amount(value=float(value), object=obj, text=doc.text[run.start_char:end], start=run.start_char, end=end))
        return tuple(out)


__all__ = ["Amounts", "number_value"]
