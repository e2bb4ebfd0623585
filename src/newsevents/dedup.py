"""Event deduplication: reports of one real-world event merged into one canonical event with its mentions.

GDELT's model: an event is counted once, however many articles and sentences report it; each report is a
mention. Two reports (``events`` rows) are of the same event when

- the source and the target actors are the same (their CAMEO codes, else their names),
- the codes are compatible: the same root, and equal, or one the other's parent (``0871`` and ``087``), or one
  the root's generic code (``040`` and ``042``),
- their dates can be the same day: an explicit date is a day (or the month or year it names); a date that fell
  back to the article's publication date only bounds the event — it happened on or up to ``FALLBACK_DAYS``
  before publication (before the story's first copy was published, for a syndicated copy),
- their places are compatible: either unknown, the same place, or one a country and the other in it.

Negated and hypothetical reports are not events ("did not attack", "would meet") and are left out.
Clustering depends only on the reports, never on ingest order: reports are taken in a content order and each
joins the first compatible group; so ingesting the same articles again or in another order gives the same
events with the same ids.
"""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Iterable, Optional

FALLBACK_DAYS = 2
COUNTRY_FEATURES = frozenset({"PCLI", "PCL", "PCLD", "PCLF", "PCLS", "PCLIX", "TERR"})


@dataclass
class Report:
    """One coded event as stored (an ``events`` row), with what dedup needs of its article."""

    article_id: str
    event_idx: int
    source_key: str
    target_key: str
    cameo: str
    root: str
    lo: date  # the days the event can be on
    hi: date
    geonameid: Optional[int]
    country: Optional[str]
    feature: Optional[str]
    row: dict[str, Any] = field(repr=False, default_factory=dict)


def actor_key(code: Optional[str], name: Optional[str]) -> str:
    """Who an actor is for deduplication: its CAMEO code, else its name (folded)."""
    return (code or "").upper() or ("~" + " ".join((name or "").lower().split()))


def _parse(day: Any) -> Optional[date]:
    if day is None:
        return None
    if isinstance(day, date):
        return day
    try:
        return date.fromisoformat(str(day)[:10])
    except ValueError:
        return None


def interval(value: Optional[str], date_from: Optional[str], published: Optional[date],
             story_published: Optional[date]) -> Optional[tuple[date, date]]:
    """The days an event reported with this date can be on (None when nothing dates it)."""
    if value and date_from != "article":
        try:
            if len(value) >= 10:
                d = date.fromisoformat(value[:10])
                return d, d
            if len(value) == 7:
                y, m = int(value[:4]), int(value[5:7])
                return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
            if len(value) == 4:
                y = int(value)
                return date(y, 1, 1), date(y, 12, 31)
        except ValueError:
            pass
    upper = _parse(value) or published
    if upper is None:
        return None
    lower_base = min(story_published or upper, upper)
    return lower_base - timedelta(days=FALLBACK_DAYS), upper


def codes_compatible(a: str, b: str) -> bool:
    if a == b or a.startswith(b) or b.startswith(a):
        return True
    return a[:2] == b[:2] and (a[2:] in ("0", "") or b[2:] in ("0", ""))


def places_compatible(a: "Report | _Group", b: "Report | _Group") -> bool:
    if a.geonameid is None or b.geonameid is None:
        return True
    if a.geonameid == b.geonameid:
        return True
    if a.country and a.country == b.country:
        return a.feature in COUNTRY_FEATURES or b.feature in COUNTRY_FEATURES
    return False


@dataclass
class _Group:
    lo: date
    hi: date
    geonameid: Optional[int]
    country: Optional[str]
    feature: Optional[str]
    codes: list[str]
    reports: list[Report]

    def accepts(self, r: Report) -> bool:
        return (r.lo <= self.hi and self.lo <= r.hi and places_compatible(self, r)
                and all(codes_compatible(c, r.cameo) for c in set(self.codes)))

    def add(self, r: Report) -> None:
        self.lo, self.hi = max(self.lo, r.lo), min(self.hi, r.hi)
        if r.geonameid is not None and (self.geonameid is None or self.feature in COUNTRY_FEATURES):
            self.geonameid, self.country, self.feature = r.geonameid, r.country, r.feature
        self.codes.append(r.cameo)
        self.reports.append(r)


def event_id(report: Report) -> int:
    """A 63-bit id from the group's first report (in content order), stable for the same reports."""
    h = hashlib.sha1(f"{report.article_id}:{report.event_idx}".encode()).digest()
    return int.from_bytes(h[:8], "big") >> 1


def cluster(reports: Iterable[Report]) -> list[list[Report]]:
    """Groups of reports of the same event, in a deterministic order."""
    by_key: dict[tuple[str, str, str], list[Report]] = {}
    for r in reports:
        by_key.setdefault((r.source_key, r.target_key, r.root), []).append(r)
    out: list[list[Report]] = []
    for key in sorted(by_key):
        groups: list[_Group] = []
        active: list[_Group] = []
        for r in sorted(by_key[key], key=lambda r: (r.lo, r.hi, r.article_id, r.event_idx)):
            # reports come by their first possible day: a group whose days end before it can take no more
            active = [g for g in active if g.hi >= r.lo]
            for g in active:
                if g.accepts(r):
                    g.add(r)
                    break
            else:
                g = _Group(r.lo, r.hi, r.geonameid, r.country, r.feature, [r.cameo], [r])
                groups.append(g)
                active.append(g)
        out.extend(g.reports for g in groups)
    return out


def canonical_code(codes: list[str]) -> str:
    """The most specific code, the most reported among equally specific ones, then the smallest."""
    best = max(len(c) for c in codes)
    cands = [c for c in codes if len(c) == best]
    return min(set(cands), key=lambda c: (-cands.count(c), c))


__all__ = ["Report", "actor_key", "cluster", "interval", "codes_compatible", "places_compatible", "event_id", "canonical_code",
           "FALLBACK_DAYS"]
