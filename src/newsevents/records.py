"""Typed records that flow through the pipeline.

All records are frozen dataclasses. Character offsets (``start``/``end``) always index ``Article.text``.
Records serialise with ``to_dict``/``from_dict``; that is also how they cross process boundaries.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Optional, TypeVar

T = TypeVar("T", bound="Record")


class Record:
    """Mixin: ``to_dict`` (plain JSON-able data) and ``from_dict`` (nested records rebuilt)."""

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name))
                for f in dataclasses.fields(self) if not f.metadata.get("transient")}  # type: ignore[arg-type]

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any]) -> T:
        kwargs = {}
        for name, hint in _field_hints(cls):
            if name in data:
                kwargs[name] = _rebuild(hint, data[name])
        return cls(**kwargs)


@functools.lru_cache(maxsize=None)
def _field_hints(cls: type) -> tuple[tuple[str, Any], ...]:
    """A record class's fields with their resolved types (resolving them is slow: once per class)."""
    hints = typing.get_type_hints(cls)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))


def _plain(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _rebuild(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return _rebuild(inner[0], value) if len(inner) == 1 else value
    if origin is tuple:
        item = args[0] if args else Any
        return tuple(_rebuild(item, v) for v in value)
    if isinstance(hint, type) and issubclass(hint, Record) and isinstance(value, dict):
        return hint.from_dict(value)
    return value


def content_hash(text: str) -> str:
    """sha256 of the clean body: equal for byte-identical copies of one text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def printable(text: str) -> str:
    """``text`` with what UTF-8 cannot hold escaped, for names shown and stored.

    A file name that is not valid UTF-8 reaches Python with its bad bytes as lone surrogates (PEP 383:
    ``b"z\\xff.txt"`` is ``"z\\udcff.txt"``); no UTF-8 file, terminal or Parquet column takes those. Such a
    byte is written ``\\xff`` (Python's ``backslashreplace``); any other lone surrogate
    (from a JSON ``"\\ud800"``) as ``\\ud800``. Valid text comes back unchanged.
    """
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def article_id(key: str, text_hash: str) -> str:
    """The article id: a hash of the article's natural key and its content hash.

    The key is the article's URL, else the id its record carries, else the resolved path of its file. Two
    identical texts from different documents (the BBC corpus holds 98 such pairs) stay two articles; the same
    document read twice gets the same id, so ingesting it again changes nothing.
    """
    # surrogateescape: a path key holding a non-UTF-8 file name hashes as the name's own bytes (valid keys are
    # unaffected, so no stored id changes).
    return hashlib.sha256(f"{key}\x00{text_hash}".encode("utf-8", "surrogateescape")).hexdigest()[:24]


@dataclass(frozen=True)
class RelatedLink(Record):
    title: Optional[str]
    url: Optional[str]


@dataclass(frozen=True)
class Article(Record):
    """One news article, clean. Every offset later stages produce refers to ``text``."""

    id: str
    text: str
    url: Optional[str] = None
    source: Optional[str] = None  # the publisher: URL domain (themoscowtimes.com) or the record's source (AFP)
    published: Optional[str] = None  # ISO date, YYYY-MM-DD
    title: Optional[str] = None  # the headline, cleaned of agency flags and bylines (readers/titles.py)
    related: tuple[RelatedLink, ...] = ()
    credit: Optional[str] = None
    dateline: Optional[str] = None
    input: str = ""  # where it came from: a path, path:line for JSONL, path#offset for WARC, '-' for stdin
    format: str = ""  # the reader that produced it: scraped_text, jsonl, html, warc, plain
    content_hash: str = ""
    source_id: Optional[str] = None  # the id the input record carried, if any
    raw_title: Optional[str] = None  # the title as the input gave it, when cleaning ``title`` changed it
    # What the reader had to say about the input that did not stop it becoming an article ("'published' is
    # 'yesterday', not a date"). Transient: shown when the input is read, never stored or serialised.
    warnings: tuple[str, ...] = field(default=(), compare=False, repr=False, metadata={"transient": True})


@dataclass(frozen=True)
class Rejection(Record):
    """An input that did not become an Article, and why."""

    input: str
    reason: str
    kind: str  # InputError.kind: unreadable, empty, binary, oversized, undecodable, malformed, unsupported


@dataclass(frozen=True)
class Skipped(Record):
    """A file a directory walk passed over on purpose (a README, an unknown extension): not an article."""

    input: str
    reason: str


@dataclass(frozen=True)
class Sentence(Record):
    start: int
    end: int


@dataclass(frozen=True)
class Actor(Record):
    """A resolved actor: canonical name, ISO alpha-3 country and CAMEO actor code (RUSGOV, IGOWSTNAT)."""

    name: str
    code: Optional[str] = None
    country: Optional[str] = None
    entity_id: Optional[str] = None
    # The words of the evidence that name the actor ("the IMF", "Moscow", "he"): provenance, not identity.
    text: Optional[str] = field(default=None, compare=False)


@dataclass(frozen=True)
class Mention(Record):
    """One place in the text that refers to an entity."""

    entity_id: str
    text: str
    start: int
    end: int
    kind: str = "name"  # name, alias, title, pronoun, metonym, group


@dataclass(frozen=True)
class Entity(Record):
    """An entity resolved within one article, with all its mentions."""

    id: str
    text: str  # the first or fullest mention
    type: str  # PERSON, ORG, GPE, LOC, NORP, FAC, ...
    start: int
    end: int
    canonical: Optional[str] = None
    country: Optional[str] = None  # ISO alpha-3
    code: Optional[str] = None  # CAMEO actor code
    mentions: tuple[Mention, ...] = ()
    sector: Optional[str] = None  # CAMEO sector (GOV, MIL, COP, REB, ...) or the organisation's kind
    # How its country or code was decided: "knowledge" (a listed name), "context" (a title, apposition,
    # modifier or organisation in the text), "inferred" (the sentence's or dateline's country); how each
    # mention joined it is the mention's kind (pronoun, title, document: coreference).
    basis: Optional[str] = None


@dataclass(frozen=True)
class TimeExpr(Record):
    text: str
    value: str  # ISO: YYYY-MM-DD, YYYY-MM or YYYY
    precision: str  # day, month, year
    start: int
    end: int


@dataclass(frozen=True)
class Place(Record):
    text: str
    name: str
    country: Optional[str]  # ISO alpha-2, as GeoNames writes it
    lat: Optional[float]
    lon: Optional[float]
    geonameid: Optional[int]
    feature: Optional[str]
    start: int
    end: int
    # Why this place: how the name was found and what chose it ("capital; population 2,587,183; all-caps
    # dateline"), written by the places stage.
    basis: Optional[str] = None


@dataclass(frozen=True)
class Quote(Record):
    """Something said, and who said it. Offsets index ``Article.text``, except for quotes found in the
    headline or a related article's title (``field`` 'title' or 'related'), whose offsets index that string."""

    text: str
    kind: str  # direct, partial, indirect
    start: int
    end: int
    speaker: Optional[str] = None  # the speaker as the text names it here ('he', 'the Kremlin spokesman')
    speaker_canonical: Optional[str] = None  # who that is ('Dmitry Peskov')
    speaker_code: Optional[str] = None  # CAMEO actor code
    speaker_entity: Optional[str] = None  # Entity.id
    speaker_start: Optional[int] = None
    speaker_end: Optional[int] = None
    cue: Optional[str] = None  # the reporting word: said, told, added, according to
    date: Optional[str] = None  # when it was said
    date_from: str = "article"  # 'text' when a time expression of the reporting clause gave the date
    in_headline: bool = False
    field: str = "text"  # text, title or related


@dataclass(frozen=True)
class Event(Record):
    source: Actor
    target: Optional[Actor]
    cameo: str
    root: str
    quad_class: int
    goldstein: float
    plover: Optional[str]
    evidence: str
    start: int  # the evidence sentence
    end: int
    date: Optional[str] = None
    date_from: str = "article"  # 'text' when a time expression attached to the clause gave it
    location: Optional[Place] = None
    negated: bool = False
    hypothetical: bool = False
    confidence: float = 0.0
    rule: str = ""  # which pattern or model produced it


@dataclass(frozen=True)
class Theme(Record):
    """A theme of the taxonomy (``knowledge/themes.tsv``) and the words (or event) that signal it."""

    theme: str
    text: str
    start: int
    end: int
    signal: str = "term"  # what signals it: "term" (a word of the taxonomy) or "event" (a coded event's CAMEO code)


@dataclass(frozen=True)
class Tone(Record):
    """The article's tone, as GDELT's V1.5TONE: percentages of all words, from the VADER lexicon."""

    tone: float  # positive - negative
    positive: float  # % of words with positive valence
    negative: float  # % of words with negative valence
    polarity: float  # positive + negative
    activity: float  # % of words that are verbs (GDELT: "activity reference density")
    self_group: float  # % of words that are first-person pronouns
    words: int


@dataclass(frozen=True)
class Amount(Record):
    """A number and what it counts: "2,000 troops" → 2000.0, "troops"."""

    value: float
    object: str
    text: str
    start: int
    end: int


FIELDS = ("doc", "sentences", "entities", "quotes", "dates", "locations", "events", "themes", "tone", "amounts",
          "fingerprint")
"""What pipeline stages may assign on an ``Analysis``; ``article`` is always there."""


@dataclass(frozen=True)
class Analysis(Record):
    """An article and everything the pipeline extracted from it."""

    article: Article
    sentences: tuple[Sentence, ...] = ()
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    dates: tuple[TimeExpr, ...] = ()
    locations: tuple[Place, ...] = ()
    events: tuple[Event, ...] = ()
    themes: tuple[Theme, ...] = ()
    tone: Optional[Tone] = None
    amounts: tuple[Amount, ...] = ()
    # MinHash of the body's word shingles (near-duplicate detection across articles); not in the contract.
    fingerprint: tuple[int, ...] = ()
    stages: tuple[str, ...] = field(default=())  # name@version of each stage that ran, in order
    # The language layer's parse (a spaCy Doc). Transient: it lives within one process and is never
    # serialised, stored or compared; every stage's output is in the typed fields above.
    doc: Any = field(default=None, compare=False, repr=False, metadata={"transient": True})

    def to_contract(self) -> dict[str, Any]:
        """The JSON output contract (``shared/gold/README.md``), plus provenance."""
        art = self.article.to_dict()
        return {
            "article": art,
            "entities": [e.to_dict() for e in self.entities],
            "quotes": [q.to_dict() for q in self.quotes],
            "events": [e.to_dict() for e in self.events],
            "dates": [d.to_dict() for d in self.dates],
            "locations": [p.to_dict() for p in self.locations],
            "sentences": [s.to_dict() for s in self.sentences],
            "themes": [t.to_dict() for t in self.themes],
            "tone": self.tone.to_dict() if self.tone else None,
            "amounts": [m.to_dict() for m in self.amounts],
            "pipeline": list(self.stages),
        }
