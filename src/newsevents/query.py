"""Queries over a store: the library functions behind the CLI's listing commands and the web API.

Every filter is a bound parameter; nothing a user types is pasted into SQL (``sql`` runs the user's own
read-only statement, for the CLI only). Results are lists of plain dicts.

``events`` lists deduplicated events (one row per real-world event, with its counts of mentions, sources and
articles); ``reports`` lists every coded report as extracted from one sentence of one article.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import Any, Optional, Union

from .config import DEFAULT_DB
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


def _rows(db: Db, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    import duckdb

    con = open_store(db).connect()
    try:
        cur = con.execute(sql, params)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row)) for row in cur.fetchall()]
    except duckdb.Error as exc:
        raise StoreError(f"{db}: the query could not be answered: {exc}") from exc
    finally:
        con.close()


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
        r = _root(self.root)
        if r:
            w.add("root = ?", r)
        q = _quad(self.quad)
        if q:
            w.add("quad_class = ?", q)
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
    con = open_store(db).connect()
    try:
        def rows(sql: str, *params: Any) -> list[dict[str, Any]]:
            cur = con.execute(sql, list(params))
            cols = [d[0] for d in cur.description]
            return [dict(zip(cols, r)) for r in cur.fetchall()]

        found = rows("SELECT * EXCLUDE (run_id) FROM articles WHERE id = ?", article_id)
        if not found:
            found = rows("SELECT * EXCLUDE (run_id) FROM articles WHERE id LIKE ? LIMIT 2", f"{article_id}%")
            if not found:
                raise NotFoundError(f"no article with id {article_id!r}")
            if len(found) > 1:
                raise QueryError(f"article id {article_id!r} is ambiguous: give more of it")
        out = found[0]
        aid = out["id"]
        out["entities"] = rows("SELECT entity_id, text, type, canonical, country, code, start, \"end\" FROM entities "
                               "WHERE article_id = ? ORDER BY start", aid)
        out["mentions"] = rows("SELECT entity_id, text, kind, start, \"end\" FROM mentions WHERE article_id = ? "
                               "ORDER BY start", aid)
        out["quotes"] = rows("SELECT * EXCLUDE (article_id, run_id) FROM quotes WHERE article_id = ? ORDER BY quote_idx", aid)
        out["events"] = rows(
            "SELECT e.* EXCLUDE (article_id, run_id), m.event_id FROM events e LEFT JOIN event_mentions m "
            "ON m.article_id = e.article_id AND m.event_idx = e.event_idx WHERE e.article_id = ? ORDER BY e.event_idx", aid)
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
    finally:
        con.close()


# --- events ------------------------------------------------------------------------------------------------
EVENT_COLUMNS = ("event_id, date, date_precision, source_name, source_code, cameo, target_name, target_code, "
                 "quad_class, goldstein, plover, location_name, location_country, num_mentions, num_sources, "
                 "num_articles, avg_tone, confidence, evidence, article_id, start, \"end\"")


def events(db: Db = DEFAULT_DB, *, article: Optional[str] = None, limit: int = 50, offset: int = 0,
           **filters: Any) -> list[dict[str, Any]]:
    """Deduplicated events, newest first. ``actor``/``target`` match a CAMEO code prefix (RUS matches RUSGOV),
    a country code or a name; ``place`` an ISO country code (SA), a place name or a GeoNames id (``EventFilter``)."""
    w = EventFilter.of(filters).where()
    if article:
        w.add("event_id IN (SELECT event_id FROM event_mentions WHERE article_id LIKE ?)", f"{article}%")
    sql = (f"SELECT {EVENT_COLUMNS} FROM canonical_events WHERE {w.sql()} "
           "ORDER BY date DESC NULLS LAST, num_mentions DESC, event_id LIMIT ? OFFSET ?")
    return _rows(db, sql, w.params + [_limit(limit), _offset(offset)])


def event(db: Db, event_id: Any) -> dict[str, Any]:
    """One deduplicated event with all its mentions."""
    try:
        eid = int(event_id)
    except (TypeError, ValueError):
        raise QueryError(f"event id must be a whole number, got {event_id!r}") from None
    found = _rows(db, "SELECT * FROM canonical_events WHERE event_id = ?", [eid])
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
    return _rows(db, sql, w.params + [_limit(limit), _offset(offset)])


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


def network(db: Db = DEFAULT_DB, *, min_events: int = 1, limit: int = 200, **filters: Any) -> list[dict[str, Any]]:
    """Actor pairs (source → target) weighted by events and the Goldstein score, the strongest first."""
    if isinstance(min_events, bool) or not isinstance(min_events, int) or min_events < 1:
        raise QueryError(f"min_events must be a whole number ≥ 1, got {min_events!r}")
    w = EventFilter.of(filters).where()
    w.add("target_code IS NOT NULL AND source_code IS NOT NULL")
    sql = ("SELECT source_code, mode(source_name) AS source_name, target_code, mode(target_name) AS target_name, "
           "count(*) AS events, sum(num_mentions) AS mentions, round(sum(goldstein), 2) AS goldstein_sum, "
           "round(avg(goldstein), 3) AS avg_goldstein, count(*) FILTER (WHERE quad_class IN (1, 2)) AS cooperation, "
           f"count(*) FILTER (WHERE quad_class IN (3, 4)) AS conflict FROM canonical_events WHERE {w.sql()} "
           "GROUP BY source_code, target_code HAVING count(*) >= ? ORDER BY events DESC, mentions DESC, 1, 3 LIMIT ?")
    return _rows(db, sql, w.params + [min_events, _limit(limit)])


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
    """Resolved actors (entities with an actor code), by how many articles mention them."""
    w = _Where()
    w.add("code IS NOT NULL")
    if contains:
        w.add("(canonical ILIKE ? OR code LIKE ? OR text ILIKE ?)", f"%{contains}%", f"{contains.upper()}%", f"%{contains}%")
    sql = ("SELECT code, mode(canonical) AS name, mode(country) AS country, count(DISTINCT article_id) AS articles "
           f"FROM entities WHERE {w.sql()} GROUP BY code ORDER BY articles DESC, code LIMIT ? OFFSET ?")
    return _rows(db, sql, w.params + [_limit(limit), _offset(offset)])


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
           kind: Optional[str] = None, article: Optional[str] = None, limit: int = 50,
           offset: int = 0) -> list[dict[str, Any]]:
    """Attributed quotes. ``contains`` is a full-text search (every word, stemmed: 'meeting' finds 'meet');
    quotes stored since the last cross-article rebuild are searched by substring."""
    w = _Where()
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
    return _rows(db, sql, w.params + [_limit(limit), _offset(offset)])


# --- other -------------------------------------------------------------------------------------------------
def rejected(db: Db = DEFAULT_DB, *, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    return _rows(db, "SELECT rejected_at, kind, input, reason FROM rejected ORDER BY rejected_at DESC, input LIMIT ? OFFSET ?",
                 [_limit(limit), _offset(offset)])


def sql(db: Db, statement: str, *, limit: int = 1000) -> list[dict[str, Any]]:
    """Run one read-only SELECT over the store's views (for the CLI; never exposed over HTTP)."""
    import duckdb

    con = open_store(db).connect()
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
        except duckdb.Error as exc:
            raise QueryError(f"the query failed: {exc}") from exc
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
