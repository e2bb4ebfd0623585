"""Queries over a store: the library functions behind ``newsevents articles|events|quotes|stats``.

Every filter is a bound parameter; nothing a user types is pasted into SQL. Results are lists of plain dicts.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Optional, Union

from .config import DEFAULT_DB
from .errors import QueryError
from .store import open_store

MAX_LIMIT = 100_000


def _limit(limit: int) -> int:
    if not isinstance(limit, int) or limit < 1 or limit > MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT:,}, got {limit!r}")
    return limit


def _day(value: Optional[str], name: str) -> Optional[date]:
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise QueryError(f"{name} must be a date as YYYY-MM-DD, got {value!r}") from None


def _rows(db: Union[str, Path], sql: str, params: list[Any]) -> list[dict[str, Any]]:
    con = open_store(db).connect()
    try:
        cur = con.execute(sql, params)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row)) for row in cur.fetchall()]
    finally:
        con.close()


def articles(
    db: Union[str, Path] = DEFAULT_DB,
    *,
    source: Optional[str] = None,
    since: Optional[str] = None,
    until: Optional[str] = None,
    contains: Optional[str] = None,
    id: Optional[str] = None,
    limit: int = 50,
    with_text: bool = False,
) -> list[dict[str, Any]]:
    """Stored articles, newest first."""
    where, params = ["1=1"], []
    if source:
        where.append("lower(source) = lower(?)")
        params.append(source)
    if since:
        where.append("published >= ?")
        params.append(_day(since, "since"))
    if until:
        where.append("published <= ?")
        params.append(_day(until, "until"))
    if contains:
        where.append("(title ILIKE ? OR text ILIKE ?)")
        params += [f"%{contains}%"] * 2
    if id:
        where.append("id LIKE ?")
        params.append(f"{id}%")
    cols = "id, published, source, title, url, input, format, length(text) AS chars, credit"
    if with_text:
        cols += ", text"
    sql = f"SELECT {cols} FROM articles WHERE {' AND '.join(where)} ORDER BY published DESC NULLS LAST, id LIMIT ?"
    return _rows(db, sql, params + [_limit(limit)])


def events(
    db: Union[str, Path] = DEFAULT_DB,
    *,
    actor: Optional[str] = None,
    target: Optional[str] = None,
    root: Optional[str] = None,
    since: Optional[str] = None,
    until: Optional[str] = None,
    article: Optional[str] = None,
    include_negated: bool = False,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """Coded events. ``actor``/``target`` match a CAMEO code prefix (RUS matches RUSGOV) or a name."""
    where, params = ["1=1"], []
    for col, value in (("source", actor), ("target", target)):
        if value:
            where.append(f"({col}_code LIKE ? OR {col}_country = ? OR {col}_name ILIKE ?)")
            params += [f"{value.upper()}%", value.upper(), f"%{value}%"]
    if root:
        if not str(root).isdigit():
            raise QueryError(f"root must be a CAMEO root code such as 03 or 19, got {root!r}")
        where.append("root = ?")
        params.append(str(root).zfill(2))
    if since:
        where.append("date >= ?")
        params.append(str(_day(since, "since")))
    if until:
        where.append("date <= ?")
        params.append(str(_day(until, "until")) + "~")
    if article:
        where.append("article_id LIKE ?")
        params.append(f"{article}%")
    if not include_negated:
        where.append("NOT negated")
    sql = (
        "SELECT date, source_name, source_code, cameo, target_name, target_code, quad_class, goldstein, "
        "plover, location_name, location_country, confidence, negated, evidence, article_id, start, \"end\" "
        f"FROM events WHERE {' AND '.join(where)} ORDER BY date DESC NULLS LAST, article_id, event_idx LIMIT ?"
    )
    return _rows(db, sql, params + [_limit(limit)])


def quotes(
    db: Union[str, Path] = DEFAULT_DB,
    *,
    speaker: Optional[str] = None,
    contains: Optional[str] = None,
    kind: Optional[str] = None,
    article: Optional[str] = None,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """Attributed quotes."""
    where, params = ["1=1"], []
    if speaker:
        where.append("(speaker ILIKE ? OR speaker_canonical ILIKE ? OR speaker_code LIKE ?)")
        params += [f"%{speaker}%", f"%{speaker}%", f"{speaker.upper()}%"]
    if contains:
        where.append("text ILIKE ?")
        params.append(f"%{contains}%")
    if kind:
        if kind not in ("direct", "partial", "indirect"):
            raise QueryError(f"kind must be direct, partial or indirect, got {kind!r}")
        where.append("kind = ?")
        params.append(kind)
    if article:
        where.append("article_id LIKE ?")
        params.append(f"{article}%")
    sql = (
        "SELECT date, speaker_canonical, speaker, speaker_code, kind, cue, text, article_id, start, \"end\" "
        f"FROM quotes WHERE {' AND '.join(where)} ORDER BY date DESC NULLS LAST, article_id, quote_idx LIMIT ?"
    )
    return _rows(db, sql, params + [_limit(limit)])


def rejected(db: Union[str, Path] = DEFAULT_DB, *, limit: int = 50) -> list[dict[str, Any]]:
    return _rows(db, "SELECT rejected_at, kind, input, reason FROM rejected ORDER BY rejected_at DESC LIMIT ?", [_limit(limit)])


def stats(db: Union[str, Path] = DEFAULT_DB) -> dict[str, Any]:
    """Counts per table, sources, date range, runs and rejections."""
    con = open_store(db).connect()
    try:
        out: dict[str, Any] = {"db": str(db)}
        for table in ("articles", "entities", "mentions", "quotes", "events", "places", "dates", "rejected"):
            out[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        lo, hi = con.execute("SELECT min(published), max(published) FROM articles").fetchone()
        out["published_from"] = lo.isoformat() if lo else None
        out["published_to"] = hi.isoformat() if hi else None
        out["sources"] = dict(con.execute(
            "SELECT coalesce(source, '(none)'), count(*) FROM articles GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20").fetchall())
        out["formats"] = dict(con.execute("SELECT format, count(*) FROM articles GROUP BY 1 ORDER BY 2 DESC").fetchall())
        out["rejected_by_kind"] = dict(con.execute("SELECT kind, count(*) FROM rejected GROUP BY 1 ORDER BY 2 DESC").fetchall())
        out["runs"] = con.execute("SELECT count(DISTINCT run_id) FROM runs").fetchone()[0]
        out["batches"] = con.execute("SELECT count(*) FROM runs").fetchone()[0]
        return out
    finally:
        con.close()

