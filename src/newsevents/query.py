"""Queries over a store: the library functions behind the CLI's listing commands and the web API.

Every filter is a bound parameter; nothing a user types is pasted into SQL (``sql`` runs the user's own
read-only statement, for the CLI only). Results are lists of plain dicts.

``events`` lists deduplicated events (one row per real-world event, with its counts of mentions, sources and
articles); ``reports`` lists every coded report as extracted from one sentence of one article.

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
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import Any, Iterator, Optional, Sequence, Union

from .config import DEFAULT_DB
from .knowledge import SECTOR_NAMES, default_knowledge
from .errors import NotFoundError, QueryError, StoreError
from .store import open_store

MAX_LIMIT = 100_000
_CODE = re.compile(r"[A-Z]{3}(?:[A-Z]{3}){0,4}")  # an actor code is upper-case letters in threes
MAX_OFFSET = 10_000_000
Db = Union[str, Path]


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


def _confidence(value: Any) -> Optional[float]:
    if value is None or value == "":
        return None
    try:
        c = float(value)
    except (TypeError, ValueError):
        c = -1.0
    if not 0.0 <= c <= 1.0:
        raise QueryError(f"min_confidence must be a number from 0 to 1 (the share of events at that confidence "
                         f"that are right), got {value!r}")
    return c


@contextmanager
def _reading(db: Db) -> Iterator[Any]:
    """A connection to the store; a query DuckDB cannot answer becomes a StoreError naming the store."""
    import duckdb

    con = open_store(db).connect()
    try:
        yield con
    except duckdb.Error as exc:
        raise StoreError(f"{db}: the query could not be answered: {exc}") from exc
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
    """WHERE clauses with their bound parameters."""

    def __init__(self) -> None:
        self.clauses: list[str] = ["1=1"]
        self.params: list[Any] = []

    def add(self, clause: str, *params: Any) -> None:
        self.clauses.append(clause)
        self.params.extend(params)

    def sql(self) -> str:
        return " AND ".join(self.clauses)


@dataclass(frozen=True)
class EventFilter:
    """The filters every event query takes (``events``, ``reports``, ``timeline``, ``network``, ``places``)."""

    actor: Optional[str] = None  # source: CAMEO code prefix (RUS matches RUSGOV), country code or name
    target: Optional[str] = None
    root: Optional[str] = None  # CAMEO root code, 01-20
    quad: Any = None  # quad class 1-4
    since: Optional[str] = None  # event date, YYYY-MM-DD
    until: Optional[str] = None
    place: Optional[str] = None  # ISO country code (SA), place name or GeoNames id
    actor_person: Optional[str] = None  # source is this person: their canonical name, exactly (any case)
    target_person: Optional[str] = None
    min_confidence: Any = None  # only events coded with at least this confidence (0-1, calibrated)

    @classmethod
    def of(cls, filters: dict[str, Any]) -> "EventFilter":
        unknown = sorted(set(filters) - {f.name for f in fields(cls)})
        if unknown:
            raise QueryError(f"unknown filter {', '.join(unknown)}: use {', '.join(f.name for f in fields(cls))}")
        return cls(**filters)

    def where(self) -> _Where:
        w = _Where()
        for col, value in (("source", self.actor), ("target", self.target)):
            if value:
                v = str(value).strip()
                if _CODE.fullmatch(v):  # a CAMEO code (prefix): RUS, RUSGOV, IGOWSTNAT
                    w.add(f"({col}_code LIKE ? OR {col}_country = ?)", f"{v}%", v)
                else:  # a name, or part of one: Putin, Kremlin
                    w.add(f"{col}_name ILIKE ?", f"%{v}%")
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
        if self.since:
            w.add("date >= ?", str(_day(self.since, "since")))
        if self.until:
            w.add("date <= ?", str(_day(self.until, "until")) + "~")
        if self.place:
            p = str(self.place).strip()
            if p.isdigit():
                w.add("geonameid = ?", int(p))
            else:
                w.add("(location_country = ? OR location_name ILIKE ?)", p.upper(), f"%{p}%")
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


# --- articles ----------------------------------------------------------------------------------------------
def articles(db: Db = DEFAULT_DB, *, source: Optional[str] = None, since: Optional[str] = None,
             until: Optional[str] = None, contains: Optional[str] = None, id: Optional[str] = None,
             limit: int = 50, offset: int = 0, with_text: bool = False) -> list[dict[str, Any]]:
    """Stored articles, newest first."""
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
    cols = "id, published, source, title, url, input, format, length(text) AS chars, tone, credit"
    if with_text:
        cols += ", text"
    sql = f"SELECT {cols} FROM articles WHERE {w.sql()} ORDER BY published DESC NULLS LAST, id LIMIT ? OFFSET ?"
    return _rows(db, sql, w.params + [_limit(limit), _offset(offset)])


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


def events(db: Db = DEFAULT_DB, *, article: Optional[str] = None, limit: int = 50, offset: int = 0,
           **filters: Any) -> list[dict[str, Any]]:
    """Deduplicated events, newest first. ``actor``/``target`` match a CAMEO code prefix (RUS matches RUSGOV),
    a country code or a name; ``actor_person``/``target_person`` one person's name exactly; ``place`` an ISO
    country code (SA), a place name or a GeoNames id (``EventFilter``)."""
    w = EventFilter.of(filters).where()
    if article:
        w.add("event_id IN (SELECT event_id FROM event_mentions WHERE article_id LIKE ?)", f"{article}%")
    sql = (f"SELECT {EVENT_COLUMNS} FROM canonical_events WHERE {w.sql()} "
           "ORDER BY date DESC NULLS LAST, num_mentions DESC, event_id LIMIT ? OFFSET ?")
    return _rows(db, sql, w.params + [_limit(limit), _offset(offset)], EVENT_SIDES)


def event(db: Db, event_id: Any) -> dict[str, Any]:
    """One deduplicated event with all its mentions."""
    try:
        eid = int(event_id)
    except (TypeError, ValueError):
        raise QueryError(f"event id must be a whole number, got {event_id!r}") from None
    found = _rows(db, "SELECT * FROM canonical_events WHERE event_id = ?", [eid], EVENT_SIDES)
    if not found:
        raise NotFoundError(f"no event with id {eid}")
    out = found[0]
    out["mentions"] = _rows(db, "SELECT m.*, a.title FROM event_mentions m JOIN articles a ON a.id = m.article_id "
                                "WHERE m.event_id = ? ORDER BY m.published, m.article_id, m.event_idx", [eid])
    return out


def reports(db: Db = DEFAULT_DB, *, article: Optional[str] = None, include_negated: bool = False,
            limit: int = 50, offset: int = 0, **filters: Any) -> list[dict[str, Any]]:
    """Every coded report (one sentence of one article), before deduplication."""
    w = EventFilter.of(filters).where()
    if article:
        w.add("article_id LIKE ?", f"{article}%")
    if not include_negated:
        w.add("NOT negated")
    sql = (
        "SELECT date, source_name, source_code, cameo, target_name, target_code, quad_class, goldstein, "
        "plover, location_name, location_country, confidence, negated, hypothetical, evidence, article_id, "
        f"event_idx, start, \"end\" FROM events WHERE {w.sql()} "
        "ORDER BY date DESC NULLS LAST, article_id, event_idx LIMIT ? OFFSET ?"
    )
    return _rows(db, sql, w.params + [_limit(limit), _offset(offset)], EVENT_SIDES)


def timeline(db: Db = DEFAULT_DB, *, by: str = "day", **filters: Any) -> list[dict[str, Any]]:
    """Events per day (or month, year) by quad class, with mentions and the average Goldstein score."""
    if by not in ("day", "month", "year"):
        raise QueryError(f"by must be day, month or year, got {by!r}")
    width = {"day": 10, "month": 7, "year": 4}[by]
    w = EventFilter.of(filters).where()
    w.add("date IS NOT NULL AND length(date) >= ?", width)
    sql = (f"SELECT substr(date, 1, {width}) AS period, count(*) AS events, sum(num_mentions) AS mentions, "
           "count(*) FILTER (WHERE quad_class = 1) AS verbal_coop, count(*) FILTER (WHERE quad_class = 2) AS material_coop, "
           "count(*) FILTER (WHERE quad_class = 3) AS verbal_conflict, count(*) FILTER (WHERE quad_class = 4) AS material_conflict, "
           f"round(avg(goldstein), 3) AS avg_goldstein FROM canonical_events WHERE {w.sql()} GROUP BY 1 ORDER BY 1")
    return _rows(db, sql, w.params)


PAIR_FIGURES = ("events", "mentions", "goldstein_sum", "avg_goldstein", "cooperation", "conflict")


def _kind_sql(name: str, code: str) -> str:
    """SQL: the kind of actor a name and code are (``_identify``), given a ``persons`` table; one parameter,
    the generic-code pattern."""
    return (f"CASE WHEN {name} IN (SELECT canonical FROM persons) THEN 'person' "
            f"WHEN regexp_full_match({code}, ?) THEN 'generic' ELSE 'code' END")


def network(db: Db = DEFAULT_DB, *, min_events: int = 1, limit: int = 200, **filters: Any) -> list[dict[str, Any]]:
    """Actor pairs (source → target) weighted by events and the Goldstein score, the strongest first.

    The nodes are actors (see the module's docstring), each under one name: a person; a code, with the events
    of its actors that are not people ("the Kremlin", "Moscow"; Vladimir Putin's meetings are his node's, not
    RUSGOV's as well); a generic group ("soldiers", MIL), keyed by its code, words and article, so that the
    soldiers of different countries are not one node. ``<side>_key`` identifies a node (``person:Name``, ``code:RUSGOV``,
    ``generic:MIL:soldiers:<article>``), ``<side>_name`` is its one name, ``<side>_article`` a generic
    group's article."""
    if isinstance(min_events, bool) or not isinstance(min_events, int) or min_events < 1:
        raise QueryError(f"min_events must be a whole number ≥ 1, got {min_events!r}")
    w = EventFilter.of(filters).where()
    w.add("target_code IS NOT NULL AND source_code IS NOT NULL")
    key = {p: (f"CASE {p}_kind WHEN 'person' THEN 'person:' || {p}_name "
               f"WHEN 'generic' THEN 'generic:' || {p}_code || ':' || lower(coalesce({p}_name, '')) || ':' || article_id "
               f"ELSE 'code:' || {p}_code END") for p in ("source", "target")}
    sides = ", ".join(f"{p}_kind, {key[p]} AS {p}_key" for p in ("source", "target"))
    node = ", ".join(f"{p}_kind, {p}_key, mode({p}_code) AS {p}_code, mode({p}_country) AS {p}_country, "
                     f"mode({p}_name) AS {p}_written" for p in ("source", "target"))
    sql = (f"WITH ev AS (SELECT * FROM canonical_events WHERE {w.sql()}), "
           f"persons AS ({_persons_sql('SELECT source_name FROM ev UNION SELECT target_name FROM ev')}), "
           f"kinds AS (SELECT *, {_kind_sql('source_name', 'source_code')} AS source_kind, "
           f"{_kind_sql('target_name', 'target_code')} AS target_kind FROM ev), "
           f"keyed AS (SELECT *, {sides} FROM kinds) "
           f"SELECT {node}, any_value(article_id) AS article_id, "
           "count(*) AS events, sum(num_mentions) AS mentions, round(sum(goldstein), 2) AS goldstein_sum, "
           "round(avg(goldstein), 3) AS avg_goldstein, count(*) FILTER (WHERE quad_class IN (1, 2)) AS cooperation, "
           "count(*) FILTER (WHERE quad_class IN (3, 4)) AS conflict FROM keyed "
           "GROUP BY source_kind, source_key, target_kind, target_key HAVING count(*) >= ? "
           "ORDER BY events DESC, mentions DESC, source_key, target_key LIMIT ?")
    generic = _GENERIC_RE
    with _reading(db) as con:
        rows = _fetch(con, sql, w.params + [generic, generic, min_events, _limit(limit)])
        names = _code_names(con, {r[f"{p}_code"] for r in rows for p in ("source", "target") if r[f"{p}_kind"] == "code"})
    out = []
    for r in rows:
        pair: dict[str, Any] = {}
        for p in ("source", "target"):
            kind = r[f"{p}_kind"]
            pair.update({
                f"{p}_key": r[f"{p}_key"], f"{p}_kind": kind,
                f"{p}_name": {"person": r[f"{p}_key"].partition(":")[2], "code": names.get(r[f"{p}_code"])}.get(
                    kind, r[f"{p}_written"]),
                f"{p}_code": r[f"{p}_code"], f"{p}_country": r[f"{p}_country"],
                f"{p}_article": r["article_id"] if kind == "generic" else None})
        out.append(pair | {k: r[k] for k in PAIR_FIGURES})
    return out


def places(db: Db = DEFAULT_DB, *, limit: int = 1000, **filters: Any) -> list[dict[str, Any]]:
    """Places where events happened (for a map): coordinates, events, mentions, average Goldstein score."""
    w = EventFilter.of(filters).where()
    w.add("lat IS NOT NULL AND lon IS NOT NULL")
    sql = ("SELECT geonameid, mode(location_name) AS name, mode(location_country) AS country, "
           "any_value(lat) AS lat, any_value(lon) AS lon, count(*) AS events, sum(num_mentions) AS mentions, "
           "round(avg(goldstein), 3) AS avg_goldstein, count(*) FILTER (WHERE quad_class IN (3, 4)) AS conflict "
           f"FROM canonical_events WHERE {w.sql()} GROUP BY geonameid ORDER BY events DESC, geonameid LIMIT ?")
    return _rows(db, sql, w.params + [_limit(limit)])


def actors(db: Db = DEFAULT_DB, *, contains: Optional[str] = None, limit: int = 50,
           offset: int = 0) -> list[dict[str, Any]]:
    """Resolved actors (entities with an actor code), by how many articles mention them: one row per person
    (their name, commonest code and country), per code (its one name: "United States (government)", not
    "Washington" or a person's), and per generic group's words and code ("soldiers", MIL). A code's articles
    are those naming it in any form, its people included. ``contains`` matches part of a name or of the words
    of a mention (of a code, its non-person mentions: "Kremlin" finds RUSGOV, "Putin" only Vladimir Putin), the
    start of a code, and a country's name (a code's)."""
    pattern, prefix = (f"%{contains}%", f"{contains.upper()}%") if contains else ("%", "%")
    countries = sorted(c.cameo for c in default_knowledge().countries.values()
                       if contains and contains.lower() in c.name.lower())
    generic = _GENERIC_RE
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
        "SELECT kind, name, code, country, articles FROM grouped WHERE hit "
        "ORDER BY articles DESC, coalesce(name, code), code, kind LIMIT ? OFFSET ?")
    with _reading(db) as con:
        rows = _fetch(con, sql, [generic, pattern, pattern, prefix, countries, _limit(limit), _offset(offset)])
        names = _code_names(con, {r["code"] for r in rows if r["kind"] == "code"})
    for r in rows:
        if r["kind"] == "code":
            r["name"] = names[r["code"]]
    return rows


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
    store = open_store(db)
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


def quotes(db: Db = DEFAULT_DB, *, speaker: Optional[str] = None, contains: Optional[str] = None,
           kind: Optional[str] = None, article: Optional[str] = None, person: Optional[str] = None,
           limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Attributed quotes. ``speaker`` matches part of the speaker's name or a code prefix; ``person`` one
    person's quotes, by their canonical name exactly. ``contains`` is a full-text search (every word, stemmed:
    'meeting' finds 'meet'); quotes stored since the last cross-article rebuild are searched by substring."""
    w = _Where()
    if person:
        w.add("lower(speaker_canonical) = lower(?)", str(person).strip())
    if speaker:
        w.add("(speaker ILIKE ? OR speaker_canonical ILIKE ? OR speaker_code LIKE ?)",
              f"%{speaker}%", f"%{speaker}%", f"{speaker.upper()}%")
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
    sql = (
        "SELECT date, speaker_canonical, speaker, speaker_code, kind, cue, text, article_id, quote_idx, start, \"end\" "
        f"FROM quotes WHERE {w.sql()} ORDER BY date DESC NULLS LAST, article_id, quote_idx LIMIT ? OFFSET ?"
    )
    return _rows(db, sql, w.params + [_limit(limit), _offset(offset)], SPEAKER)


# --- other -------------------------------------------------------------------------------------------------
def rejected(db: Db = DEFAULT_DB, *, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    return _rows(db, "SELECT rejected_at, kind, input, reason FROM rejected ORDER BY rejected_at DESC, input LIMIT ? OFFSET ?",
                 [_limit(limit), _offset(offset)])


def sql(db: Db, statement: str, *, limit: int = 1000) -> list[dict[str, Any]]:
    """Run one read-only SELECT over the store's views (for the CLI; never exposed over HTTP). The connection
    is confined to the store's own files: no other file, URL or extension can be reached (``Store.connect``)."""
    import duckdb

    con = open_store(db).connect(confined=True)
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
    store = open_store(db)
    con = store.connect()
    try:
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
    finally:
        con.close()
