"""The tables of the store, as Arrow schemas, and how an ``Analysis`` becomes rows of them.

Every row carries ``run_id`` (which ``runs`` row, and so which stage versions, produced it) and, below the
article level, the ``article_id`` and character offsets into ``Article.text`` it came from.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional

import pyarrow as pa

from ..records import Analysis, Rejection

# Bump when a table changes shape; the catalog's views are rewritten when it differs from the store's.
SCHEMA_VERSION = 5

_str, _int, _f, _b = pa.string(), pa.int64(), pa.float64(), pa.bool_()
_ts = pa.timestamp("us", tz="UTC")

TABLES: dict[str, pa.Schema] = {
    "articles": pa.schema([
        ("id", _str), ("content_hash", _str), ("url", _str), ("source", _str), ("source_id", _str),
        ("published", pa.date32()), ("title", _str), ("raw_title", _str), ("dateline", _str), ("text", _str),
        ("related", pa.list_(pa.struct([("title", _str), ("url", _str)]))), ("credit", _str),
        ("input", _str), ("format", _str), ("tone", _f), ("positive", _f), ("negative", _f), ("polarity", _f),
        ("activity", _f), ("self_group", _f), ("words", _int), ("run_id", _str), ("ingested_at", _ts),
    ]),
    "entities": pa.schema([
        ("article_id", _str), ("entity_id", _str), ("text", _str), ("type", _str), ("canonical", _str),
        ("country", _str), ("code", _str), ("start", _int), ("end", _int), ("sector", _str), ("basis", _str),
        ("run_id", _str),
    ]),
    "mentions": pa.schema([
        ("article_id", _str), ("entity_id", _str), ("text", _str), ("kind", _str),
        ("start", _int), ("end", _int), ("run_id", _str),
    ]),
    "quotes": pa.schema([
        ("article_id", _str), ("quote_idx", _int), ("text", _str), ("kind", _str), ("speaker", _str),
        ("speaker_canonical", _str), ("speaker_code", _str), ("speaker_entity", _str), ("speaker_start", _int),
        ("speaker_end", _int), ("cue", _str), ("date", _str), ("date_from", _str), ("in_headline", _b),
        ("field", _str), ("start", _int), ("end", _int), ("run_id", _str),
    ]),
    "events": pa.schema([
        ("article_id", _str), ("event_idx", _int),
        ("source_name", _str), ("source_code", _str), ("source_country", _str),
        ("target_name", _str), ("target_code", _str), ("target_country", _str),
        ("cameo", _str), ("root", _str), ("quad_class", _int), ("goldstein", _f), ("plover", _str),
        ("date", _str), ("date_from", _str), ("location_name", _str), ("location_country", _str),
        ("lat", _f), ("lon", _f), ("geonameid", _int), ("evidence", _str), ("start", _int), ("end", _int),
        ("negated", _b), ("hypothetical", _b), ("confidence", _f), ("rule", _str), ("run_id", _str),
    ]),
    "places": pa.schema([
        ("article_id", _str), ("text", _str), ("name", _str), ("country", _str), ("lat", _f), ("lon", _f),
        ("geonameid", _int), ("feature", _str), ("start", _int), ("end", _int), ("run_id", _str),
    ]),
    "dates": pa.schema([
        ("article_id", _str), ("text", _str), ("value", _str), ("precision", _str),
        ("start", _int), ("end", _int), ("run_id", _str),
    ]),
    "themes": pa.schema([
        ("article_id", _str), ("theme", _str), ("text", _str), ("signal", _str), ("start", _int), ("end", _int),
        ("run_id", _str),
    ]),
    "amounts": pa.schema([
        ("article_id", _str), ("value", _f), ("object", _str), ("text", _str), ("start", _int), ("end", _int),
        ("run_id", _str),
    ]),
    "fingerprints": pa.schema([("article_id", _str), ("minhash", pa.list_(_int)), ("run_id", _str)]),
    "runs": pa.schema([
        ("run_id", _str), ("batch_id", _str), ("pipeline", pa.list_(_str)), ("newsevents_version", _str),
        ("started_at", _ts), ("committed_at", _ts), ("articles", _int), ("rejected", _int),
    ]),
    "rejected": pa.schema([
        ("input", _str), ("reason", _str), ("kind", _str), ("run_id", _str), ("rejected_at", _ts),
    ]),
}


def _date(value: Optional[str]) -> Optional[date]:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


_TONE = ("tone", "positive", "negative", "polarity", "activity", "self_group", "words")


def _tone(a: Analysis) -> dict[str, Any]:
    return a.tone.to_dict() if a.tone else dict.fromkeys(_TONE)


def analysis_rows(a: Analysis, run_id: str, now: datetime) -> dict[str, list[dict[str, Any]]]:
    """The rows one analysed article adds to each table."""
    art = a.article
    aid = art.id
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    rows["articles"].append({
        "id": aid, "content_hash": art.content_hash, "url": art.url, "source": art.source,
        "source_id": art.source_id, "published": _date(art.published), "title": art.title,
        "raw_title": art.raw_title, "dateline": art.dateline, "text": art.text,
        "related": [{"title": r.title, "url": r.url} for r in art.related], "credit": art.credit,
        "input": art.input, "format": art.format, **_tone(a), "run_id": run_id, "ingested_at": now,
    })
    for t in a.themes:
        rows["themes"].append({"article_id": aid, **t.to_dict(), "run_id": run_id})
    for m in a.amounts:
        rows["amounts"].append({"article_id": aid, **m.to_dict(), "run_id": run_id})
    if a.fingerprint:
        rows["fingerprints"].append({"article_id": aid, "minhash": list(a.fingerprint), "run_id": run_id})
    for e in a.entities:
        rows["entities"].append({
            "article_id": aid, "entity_id": e.id, "text": e.text, "type": e.type, "canonical": e.canonical,
            "country": e.country, "code": e.code, "start": e.start, "end": e.end, "sector": e.sector,
            "basis": e.basis, "run_id": run_id,
        })
        for m in e.mentions:
            rows["mentions"].append({
                "article_id": aid, "entity_id": e.id, "text": m.text, "kind": m.kind,
                "start": m.start, "end": m.end, "run_id": run_id,
            })
    for i, q in enumerate(a.quotes):
        rows["quotes"].append({"article_id": aid, "quote_idx": i, **q.to_dict(), "run_id": run_id})
    for i, ev in enumerate(a.events):
        tgt, loc = ev.target, ev.location
        rows["events"].append({
            "article_id": aid, "event_idx": i,
            "source_name": ev.source.name, "source_code": ev.source.code, "source_country": ev.source.country,
            "target_name": tgt.name if tgt else None, "target_code": tgt.code if tgt else None,
            "target_country": tgt.country if tgt else None,
            "cameo": ev.cameo, "root": ev.root, "quad_class": ev.quad_class, "goldstein": ev.goldstein,
            "plover": ev.plover, "date": ev.date, "date_from": ev.date_from,
            "location_name": loc.name if loc else None, "location_country": loc.country if loc else None,
            "lat": loc.lat if loc else None, "lon": loc.lon if loc else None,
            "geonameid": loc.geonameid if loc else None, "evidence": ev.evidence, "start": ev.start,
            "end": ev.end, "negated": ev.negated, "hypothetical": ev.hypothetical,
            "confidence": ev.confidence, "rule": ev.rule, "run_id": run_id,
        })
    for p in a.locations:
        rows["places"].append({
            "article_id": aid, "text": p.text, "name": p.name, "country": p.country, "lat": p.lat,
            "lon": p.lon, "geonameid": p.geonameid, "feature": p.feature, "start": p.start, "end": p.end,
            "run_id": run_id,
        })
    for d in a.dates:
        rows["dates"].append({
            "article_id": aid, "text": d.text, "value": d.value, "precision": d.precision,
            "start": d.start, "end": d.end, "run_id": run_id,
        })
    return rows


def rejection_row(r: Rejection, run_id: str, now: datetime) -> dict[str, Any]:
    return {"input": r.input, "reason": r.reason, "kind": r.kind, "run_id": run_id, "rejected_at": now}


# Tables computed across articles (stories, deduplicated events) by ``newsevents.consolidate`` after each
# ingest. They are rebuilt as a whole from the batches, so they never need migrating: a newer version rebuilds.
DERIVED: dict[str, pa.Schema] = {
    "stories": pa.schema([
        ("article_id", _str), ("story_id", _str), ("is_primary", _b), ("similarity", _f), ("story_size", _int),
    ]),
    "canonical_events": pa.schema([
        ("event_id", _int), ("date", _str), ("date_precision", _str),
        ("source_name", _str), ("source_code", _str), ("source_country", _str),
        ("target_name", _str), ("target_code", _str), ("target_country", _str),
        ("cameo", _str), ("base", _str), ("root", _str), ("quad_class", _int), ("goldstein", _f), ("plover", _str),
        ("location_name", _str), ("location_country", _str), ("lat", _f), ("lon", _f), ("geonameid", _int),
        ("location_feature", _str), ("is_root", _b), ("num_mentions", _int), ("num_sources", _int),
        ("num_articles", _int), ("num_stories", _int), ("avg_tone", _f), ("confidence", _f),
        ("article_id", _str), ("event_idx", _int), ("evidence", _str), ("start", _int), ("end", _int),
        ("source_url", _str), ("date_added", _ts),
    ]),
    "event_mentions": pa.schema([
        ("event_id", _int), ("article_id", _str), ("event_idx", _int), ("story_id", _str), ("is_copy", _b),
        ("published", pa.date32()), ("source", _str), ("url", _str), ("date", _str), ("date_from", _str),
        ("cameo", _str), ("evidence", _str), ("start", _int), ("end", _int), ("in_lead", _b), ("confidence", _f),
        ("tone", _f), ("doc_len", _int), ("ingested_at", _ts),
    ]),
}
