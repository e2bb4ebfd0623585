"""Across articles: stories (near-duplicates), deduplicated events with their mentions, the quotes' full-text
index. Rebuilt from all committed batches after each ingest (``ingest`` calls it) or by ``newsevents dedup``.

Everything here is a function of the stored articles alone, so it is the same whatever order or how many runs
they were ingested in. It is skipped when the batches have not changed since the current derived tables.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, NamedTuple, Optional, Union

from . import __version__
from .dedup import FALLBACK_DAYS, Report, actor_key, canonical_code, cluster, event_id, interval
from .store import Store, open_store
from .stories import THRESHOLD, group

VERSION = "1"


class _Meta(NamedTuple):
    """What the cross-article step needs of an article."""

    published: Optional[date]
    source: str  # the publisher, else the URL's domain
    url: Optional[str]
    tone: Optional[float]
    doc_len: int
    ingested_at: Optional[datetime]
    lead_end: int  # end of the first paragraph


_NO_META = _Meta(None, "", None, None, 0, None, None)  # type: ignore[arg-type]  # bump when what is computed here changes, so that existing stores are rebuilt


@dataclass
class ConsolidateReport:
    articles: int = 0
    stories: int = 0
    duplicates: int = 0  # articles that are a copy of another (not a story's primary)
    reports: int = 0  # asserted event reports considered
    events: int = 0  # canonical events
    quotes_indexed: int = 0
    seconds: float = 0.0
    skipped: bool = False
    timings: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        if self.skipped:
            return "cross-article tables up to date"
        return (f"{self.stories:,} stories ({self.duplicates:,} near-duplicate articles), {self.events:,} events "
                f"from {self.reports:,} reports, {self.quotes_indexed:,} quotes indexed in {self.seconds:.1f}s")


def _fts_available() -> bool:
    con = sqlite3.connect(":memory:")
    try:
        con.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        con.close()


def build_quote_index(rows: list[tuple[str, int, str, Optional[str]]], path: Path) -> int:
    """A SQLite FTS5 index of quote text and speaker (``article_id``, ``quote_idx`` kept as unindexed columns)."""
    con = sqlite3.connect(path)
    try:
        con.execute("CREATE VIRTUAL TABLE quotes USING fts5(text, speaker, article_id UNINDEXED, quote_idx UNINDEXED,"
                    " tokenize='porter unicode61')")
        con.executemany("INSERT INTO quotes(text, speaker, article_id, quote_idx) VALUES (?, ?, ?, ?)",
                        [(t or "", s or "", a, i) for a, i, t, s in rows])
        con.commit()
    finally:
        con.close()
    return len(rows)


def consolidate(db: Union[str, Path, Store], force: bool = False,
                progress: Optional[Callable[[str], None]] = None) -> ConsolidateReport:
    """Rebuild the cross-article tables. The caller holds the store's writer lock (``ingest`` does;
    ``newsevents dedup`` takes it)."""
    t0 = time.perf_counter()
    store = db if isinstance(db, Store) else open_store(db)
    batches = store.batch_ids()
    manifest = {"version": VERSION, "newsevents": __version__, "batches": batches, "threshold": THRESHOLD}
    current = store.derived_manifest()
    report = ConsolidateReport()
    if not force and current.get("batches") == batches and current.get("version") == VERSION:
        report.skipped = True
        return report
    say = progress or (lambda _m: None)
    con = store.connect()
    try:
        tick = time.perf_counter()
        say("stories")
        # one read of the articles: what stories need (minhash) and what events and mentions need
        rows = con.execute(
            "SELECT a.id, a.published, coalesce(a.source, regexp_extract(a.url, '^[a-z]+://(?:www\\.)?([^/]+)', 1),"
            " '(unknown)'), a.url, a.tone, length(a.text), a.ingested_at,"
            " coalesce(nullif(strpos(a.text, chr(10) || chr(10)), 0), length(a.text) + 1) - 1, f.minhash"
            " FROM articles a LEFT JOIN fingerprints f ON f.article_id = a.id").fetchall()
        meta = {r[0]: _Meta(*r[1:8]) for r in rows}
        links = group((r[0], r[1].isoformat() if r[1] else None, r[8] or ()) for r in rows)
        del rows
        story_of = {s.article_id: s for s in links}
        report.articles = len(meta)
        report.stories = sum(1 for s in links if s.is_primary)
        report.duplicates = report.articles - report.stories
        report.timings["stories"] = time.perf_counter() - tick

        tick = time.perf_counter()
        say("events")
        published = {aid: m.published for aid, m in meta.items()}
        story_pub = {}
        for s in links:
            p = published.get(s.article_id)
            if p is not None:
                cur = story_pub.get(s.story_id)
                story_pub[s.story_id] = p if cur is None else min(cur, p)
        cur = con.execute(
            "SELECT e.*, p.feature AS location_feature FROM events e LEFT JOIN ("
            "  SELECT article_id, geonameid, any_value(feature) AS feature FROM places GROUP BY 1, 2"
            ") p ON p.article_id = e.article_id AND p.geonameid = e.geonameid "
            "WHERE NOT e.negated AND NOT e.hypothetical")
        cols = [d[0] for d in cur.description]
        reports: list[Report] = []
        for values in cur.fetchall():
            row = dict(zip(cols, values))
            aid = row["article_id"]
            story = story_of.get(aid)
            span = interval(row["date"], row["date_from"], published.get(aid),
                            story_pub.get(story.story_id) if story else None)
            if span is None:
                continue
            reports.append(Report(
                article_id=aid, event_idx=row["event_idx"],
                source_key=actor_key(row["source_code"], row["source_name"]),
                target_key=actor_key(row["target_code"], row["target_name"]) if (row["target_code"] or row["target_name"]) else "",
                cameo=row["cameo"], root=row["root"], lo=span[0], hi=span[1], geonameid=row["geonameid"],
                country=row["location_country"], feature=row["location_feature"], row=row))
        report.reports = len(reports)
        groups = cluster(reports)
        events, mentions = _rows(groups, meta, story_of)
        report.events = len(events)
        report.timings["events"] = time.perf_counter() - tick

        tick = time.perf_counter()
        say("quote index")
        files = {}
        tmpdir = Path(tempfile.mkdtemp(prefix="fts-", dir=store.tmp))
        if _fts_available():
            qrows = con.execute("SELECT article_id, quote_idx, text, coalesce(speaker_canonical, speaker) FROM quotes"
                                " ORDER BY article_id, quote_idx").fetchall()
            report.quotes_indexed = build_quote_index(qrows, tmpdir / "quotes_fts.sqlite")
            files["quotes_fts.sqlite"] = tmpdir / "quotes_fts.sqlite"
        report.timings["quote_index"] = time.perf_counter() - tick
    finally:
        con.close()
    tick = time.perf_counter()
    manifest.update(articles=report.articles, stories=report.stories, duplicates=report.duplicates,
                    events=report.events, reports=report.reports, computed_at=datetime.now().isoformat())
    store.write_derived({"stories": [vars(s) for s in links], "canonical_events": events, "event_mentions": mentions},
                        manifest, files)
    shutil.rmtree(tmpdir, ignore_errors=True)
    report.timings["write"] = time.perf_counter() - tick
    report.seconds = time.perf_counter() - t0
    return report


def _rows(groups: list[list[Report]], meta: dict[str, "_Meta"], story_of: dict[str, Any]
          ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    events: list[dict[str, Any]] = []
    mentions: list[dict[str, Any]] = []
    for reports in groups:
        first = reports[0]
        eid = event_id(first)
        lo = max(r.lo for r in reports)
        hi = min(r.hi for r in reports)
        explicit = [r for r in reports if r.row["date_from"] != "article" and r.row["date"]]
        if lo == hi:
            day, precision = lo.isoformat(), "day"
        elif explicit and (hi - lo).days > FALLBACK_DAYS:  # only months or years named: the most reported one
            counts = Counter(r.row["date"] for r in explicit)
            day = min(counts, key=lambda d: (-len(d), -counts[d], d))
            precision = {10: "day", 7: "month", 4: "year"}.get(len(day), "day")
        else:
            day, precision = hi.isoformat(), "reported"  # bounded by the earliest report's publication
        code = canonical_code([r.cameo for r in reports])
        lead = next((r for r in reports if r.cameo == code), first)
        placed = [r for r in reports if r.row["geonameid"] is not None]
        place = min(placed, key=lambda r: (r.feature in ("PCLI", "PCL"), r.article_id, r.event_idx)) if placed else None
        articles = {r.article_id for r in reports}
        tones = [meta[r.article_id].tone for r in reports if r.article_id in meta and meta[r.article_id].tone is not None]
        in_lead = [r.row["start"] < meta[r.article_id].lead_end for r in reports if r.article_id in meta]
        lrow = lead.row
        pl = place.row if place else {}
        events.append({
            "event_id": eid, "date": day, "date_precision": precision,
            "source_name": lrow["source_name"], "source_code": lrow["source_code"], "source_country": lrow["source_country"],
            "target_name": lrow["target_name"], "target_code": lrow["target_code"], "target_country": lrow["target_country"],
            "cameo": code, "base": code[:3], "root": code[:2], "quad_class": lrow["quad_class"],
            "goldstein": lrow["goldstein"], "plover": lrow["plover"],
            "location_name": pl.get("location_name"), "location_country": pl.get("location_country"),
            "lat": pl.get("lat"), "lon": pl.get("lon"), "geonameid": pl.get("geonameid"),
            "location_feature": place.feature if place else None, "is_root": any(in_lead),
            "num_mentions": len(reports), "num_sources": len({meta[a].source for a in articles if a in meta}),
            "num_articles": len(articles), "num_stories": len({story_of[a].story_id for a in articles if a in story_of}),
            "avg_tone": round(sum(tones) / len(tones), 4) if tones else None,
            "confidence": max(r.row["confidence"] or 0.0 for r in reports),
            "article_id": first.article_id, "event_idx": first.event_idx, "evidence": first.row["evidence"],
            "start": first.row["start"], "end": first.row["end"],
            "source_url": meta[first.article_id].url if first.article_id in meta else None,
            "date_added": min((meta[a].ingested_at for a in articles if a in meta and meta[a].ingested_at is not None),
                              default=None),
        })
        for r in reports:
            m = meta.get(r.article_id, _NO_META)
            story = story_of.get(r.article_id)
            mentions.append({
                "event_id": eid, "article_id": r.article_id, "event_idx": r.event_idx,
                "story_id": story.story_id if story else None, "is_copy": bool(story and not story.is_primary),
                "published": m.published, "source": m.source, "url": m.url, "date": r.row["date"], "date_from": r.row["date_from"],
                "cameo": r.cameo, "evidence": r.row["evidence"], "start": r.row["start"], "end": r.row["end"],
                "in_lead": r.row["start"] < m.lead_end if m.lead_end is not None else False,
                "confidence": r.row["confidence"], "tone": m.tone, "doc_len": m.doc_len, "ingested_at": m.ingested_at,
            })
    return events, mentions


__all__ = ["consolidate", "ConsolidateReport", "build_quote_index"]
