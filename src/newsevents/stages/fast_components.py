"""Faster drop-in replacements for two of spaCy's rule-based components, with identical output.

In ``en_core_web_sm`` the attribute ruler (179 token patterns mapping tags to POS, morphology and lemma
exceptions) and the rule lemmatizer together take about a fifth of the pipeline's time: the ruler runs its
patterns through spaCy's general ``Matcher`` (which, with ``allow_missing``, checks every pattern at every
token), and the lemmatizer pays Python attribute access per token. Here

- the ruler's patterns (exact values, ``IN``, ``NOT_IN``, ``REGEX``; no quantifiers, which the model's
  patterns do not use — a ruler that does is left as it is) are indexed by the first token's exact ``TAG`` or
  ``LOWER`` so each token is checked against the few patterns that can start there, and the matches are applied
  by the ruler's own ``set_annotations`` in the ruler's order (later patterns take precedence);
- the lemmatizer reads each token's (orth, POS, morphology) from one array, looks it up in a table filled by
  the original lemmatizer's own ``lemmatize`` (spaCy caches on the same key), and writes the lemmas back as one
  array.

``tests/stages/test_fast_components.py`` checks tags, POS, morphology, lemmas, dependencies and entities are the same
as spaCy's own pipeline on real articles; ``bench/throughput.py`` measures the gain.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Optional

_KEYS = ("TAG", "LOWER", "DEP", "IS_SPACE", "ORTH", "POS")  # the token attributes patterns may test
Predicate = Callable[[tuple], bool]  # on one token's values: a tuple of ints in the order of _KEYS


def _predicate(key: str, spec: Any, strings: Any) -> Optional[Predicate]:
    """A test of one token attribute, on hashes (exact values and sets) or on the string (REGEX)."""
    if key not in _KEYS:
        return None
    k = _KEYS.index(key)

    def h(value: Any) -> int:
        return int(value) if isinstance(value, bool) else strings.add(value)

    if isinstance(spec, (str, bool)):
        want = h(spec)
        return lambda v: v[k] == want
    if isinstance(spec, dict) and len(spec) == 1:
        (op, arg), = spec.items()
        if op == "IN":
            values = frozenset(h(a) for a in arg)
            return lambda v: v[k] in values
        if op == "NOT_IN":
            values = frozenset(h(a) for a in arg)
            return lambda v: v[k] not in values
        if op == "REGEX" and key != "IS_SPACE":
            rx = re.compile(arg)
            return lambda v: bool(rx.search(strings[v[k]])) if v[k] else bool(rx.search(""))
    return None


def _all(preds: list[Predicate]) -> Predicate:
    if len(preds) == 1:
        return preds[0]
    return lambda v: all(p(v) for p in preds)


class FastAttributeRuler:
    """The same matches as ``ruler.match(doc)``, found by indexed lookups; annotated by the ruler itself."""

    def __init__(self, ruler: Any) -> None:
        self.ruler = ruler
        strings = ruler.vocab.strings
        self.by_tag: dict[int, list[tuple[int, list[Predicate]]]] = {}
        self.by_lower: dict[int, list[tuple[int, list[Predicate]]]] = {}
        self.general: list[tuple[int, list[Predicate]]] = []
        # the ruler's patterns in its own order: one matcher key per add(), several alternatives per key
        for attr_id, entry in enumerate(ruler.patterns):
            for pattern in entry["patterns"]:
                tokens: list[Predicate] = []
                for spec in pattern:
                    preds = [_predicate(k, v, strings) for k, v in spec.items()]
                    if not preds or None in preds:
                        raise ValueError(f"pattern not supported by the fast ruler: {pattern!r}")
                    tokens.append(_all(preds))  # type: ignore[arg-type]
                first = pattern[0]
                compiled = (attr_id, tokens)
                if isinstance(first.get("TAG"), str):
                    self.by_tag.setdefault(strings.add(first["TAG"]), []).append(compiled)
                elif isinstance(first.get("LOWER"), str):
                    self.by_lower.setdefault(strings.add(first["LOWER"]), []).append(compiled)
                else:
                    self.general.append(compiled)
        self.match_ids = [strings.add(str(i)) for i in range(len(ruler.patterns))]
        self.multi = [c for group in (*self.by_tag.values(), *self.by_lower.values(), self.general)
                      for c in group if len(c[1]) > 1]
        self.multi.sort(key=lambda c: c[0])  # the ruler's order; alternatives of one rule keep theirs
        self._memo: dict[tuple, tuple[int, ...]] = {}

    def _single(self, v: tuple) -> tuple[int, ...]:
        """The one-token patterns a token's values match (memoised: the same values match the same)."""
        got = self._memo.get(v)
        if got is None:
            got = tuple(attr_id for group in (self.by_tag.get(v[0], ()), self.by_lower.get(v[1], ()), self.general)
                        for attr_id, tokens in group if len(tokens) == 1 and tokens[0](v))
            if len(self._memo) < 500_000:
                self._memo[v] = got
        return got

    def match(self, doc: Any) -> list[tuple[int, int, int, int]]:
        from spacy.attrs import DEP, IS_SPACE, LOWER, ORTH, POS, TAG

        if not len(doc):
            return []
        values = [tuple(row) for row in doc.to_array([TAG, LOWER, DEP, IS_SPACE, ORTH, POS]).tolist()]
        n = len(values)
        ids = self.match_ids
        found: set[tuple[int, int, int, int]] = set()
        for i, v in enumerate(values):
            for attr_id in self._single(v):
                found.add((attr_id, ids[attr_id], i, i + 1))
            for attr_id, tokens in self.multi:
                if tokens[0](v):
                    end = i + len(tokens)
                    if end <= n and all(pred(values[i + j]) for j, pred in enumerate(tokens)):
                        found.add((attr_id, ids[attr_id], i, end))
        return sorted(found)

    def __call__(self, doc: Any) -> Any:
        self.ruler.set_annotations(doc, self.match(doc))
        return doc


class FastLemmatizer:
    """The rule lemmatizer's lemmas, looked up per (orth, POS, morphology) and written as one array."""

    def __init__(self, lemmatizer: Any) -> None:
        self.lemmatizer = lemmatizer
        self.table: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Any) -> Any:
        import numpy as np
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        if not len(doc):
            return doc
        arr = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = arr[:, 3].copy()
        strings = doc.vocab.strings
        overwrite = self.lemmatizer.overwrite
        for i, (orth, pos, morph, lemma) in enumerate(arr.tolist()):
            if lemma and not overwrite:
                continue
            key = (orth, pos, morph)
            value = self.table.get(key)
            if value is None:
                value = strings.add(self.lemmatizer.lemmatize(doc[i])[0])
                self.table[key] = value
            lemmas[i] = value
        doc.from_array([LEMMA], lemmas.reshape(-1, 1).astype(np.uint64))
        return doc


def speed_up(nlp: Any) -> list[str]:
    """Replace the attribute ruler and the rule lemmatizer of ``nlp`` with the fast equivalents (in place);
    returns the names replaced. A component whose configuration these do not cover is left as it is."""
    replaced = []
    for i, (name, comp) in enumerate(list(nlp._components)):  # every component, disabled ones included
        if name in nlp.disabled:
            continue
        fast: Any = None
        kind = type(comp).__name__
        try:
            if kind == "AttributeRuler":
                fast = FastAttributeRuler(comp)
            elif kind.endswith("Lemmatizer") and getattr(comp, "mode", "") == "rule":
                fast = FastLemmatizer(comp)
        except ValueError:
            fast = None
        if fast is not None:
            nlp._components[i] = (name, fast)  # same name, same place in the pipeline
            replaced.append(name)
    return replaced


__all__ = ["FastAttributeRuler", "FastLemmatizer", "speed_up"]
