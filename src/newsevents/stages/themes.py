"""Themes: which subjects of the taxonomy (``knowledge/themes.tsv``) an article is about, and where.

A theme is signalled by a word or phrase of the taxonomy (matched on lowercase tokens) or by a coded event whose
CAMEO code the taxonomy lists under it (an assault coded 19x is ARMED_CONFLICT whatever words were used).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional, Sequence, Union

from ..errors import ConfigError
from ..knowledge import DATA, read_table
from ..records import Analysis, Theme


@dataclass(frozen=True)
class Taxonomy:
    terms: dict[str, tuple[str, ...]]  # lowercase term -> themes
    cameo: dict[str, tuple[str, ...]]  # CAMEO code prefix -> themes

    @classmethod
    def load(cls, path: Union[str, Path, None] = None) -> "Taxonomy":
        path = Path(path) if path else DATA / "themes.tsv"
        terms: dict[str, list[str]] = {}
        cameo: dict[str, list[str]] = {}
        for row in read_table(path):
            theme, kind, value = row.get("theme", ""), row.get("kind", ""), row.get("value", "")
            if not theme or not value or kind not in ("term", "cameo"):
                raise ConfigError(f"{path}: bad row {row!r} (want theme, kind term|cameo, value)")
            target = terms if kind == "term" else cameo
            themes = target.setdefault(value.lower() if kind == "term" else value, [])
            if theme not in themes:
                themes.append(theme)
        return cls({k: tuple(v) for k, v in terms.items()}, {k: tuple(v) for k, v in cameo.items()})

    @property
    def themes(self) -> list[str]:
        return sorted({t for ts in (*self.terms.values(), *self.cameo.values()) for t in ts})

    def for_code(self, code: str) -> tuple[str, ...]:
        out: list[str] = []
        for n in range(2, len(code) + 1):
            for t in self.cameo.get(code[:n], ()):
                if t not in out:
                    out.append(t)
        return tuple(out)


@lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    return Taxonomy.load()


_MATCHERS: dict[tuple[int, int], Any] = {}


def _matcher(vocab: Any, tokenizer: Any, taxonomy: Taxonomy) -> Any:
    """A PhraseMatcher over the taxonomy's terms for this vocabulary (built once per process)."""
    key = (id(vocab), id(taxonomy))
    if key not in _MATCHERS:
        from spacy.matcher import PhraseMatcher

        matcher = PhraseMatcher(vocab, attr="LOWER")
        for term, doc in zip(taxonomy.terms, tokenizer.pipe(taxonomy.terms)):
            matcher.add(term, [doc])
        _MATCHERS[key] = matcher
    return _MATCHERS[key]


class Themes:
    name = "themes"
    version = "1"
    requires: tuple[str, ...] = ("doc", "events")
    assigns: tuple[str, ...] = ("themes",)

    def __init__(self, taxonomy: Optional[Taxonomy] = None) -> None:
        self.taxonomy = taxonomy or default_taxonomy()

    def __call__(self, batch: Sequence[Analysis]) -> list[Analysis]:
        return [replace(a, themes=self.find(a)) for a in batch]

    def find(self, analysis: Analysis) -> tuple[Theme, ...]:
        doc = analysis.doc
        matcher = _matcher(doc.vocab, _tokenizer(doc), self.taxonomy)
        out: list[Theme] = []
        for match_id, start, end in matcher(doc):
            span = doc[start:end]
            for theme in self.taxonomy.terms[doc.vocab.strings[match_id]]:
                out.append(Theme(theme=theme, text=span.text, start=span.start_char, end=span.end_char, signal="term"))
        for ev in analysis.events:
            if ev.negated or ev.hypothetical:
                continue
            for theme in self.taxonomy.for_code(ev.cameo):
                out.append(Theme(theme=theme, text=ev.cameo, start=ev.start, end=ev.end, signal="event"))
        out.sort(key=lambda t: (t.start, t.theme))
        return tuple(out)


def _tokenizer(doc: Any) -> Any:
    from .language import load_model

    nlp = load_model()
    if nlp.vocab is doc.vocab:
        return nlp.tokenizer
    from spacy.tokenizer import Tokenizer  # a doc from another pipeline: a plain whitespace-and-punct tokenizer

    return Tokenizer(doc.vocab)


__all__ = ["Themes", "Taxonomy", "default_taxonomy"]
