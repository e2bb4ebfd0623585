"""Exports: GDELT 2.0 Events (61 columns), Mentions (16) and GKG 2.1 (27), tab-separated without a header as
GDELT publishes them; and every table as Parquet or JSON Lines.

Value formats follow GDELT's codebooks: dates as YYYYMMDD / YYYYMMDDHHMMSS integers, FIPS 10-4 country codes in
the geography fields (CAMEO/ISO3 codes in the actor fields), GeoNames ids as feature ids, confidence as a
percentage. Where newsevents has no value for a field it is left empty (GKG's GCAM holds only the word count,
its image and translation fields are empty). Decisions where the codebook and our data differ:

- ``ADM1Code`` is the FIPS country code followed by the GeoNames admin1 code of the place (GDELT writes FIPS
  admin1 codes, which GeoNames uses for most countries; for the US it writes the state abbreviation, as here).
- ``Actor1Geo``/``Actor2Geo`` are empty (type 0): the coder attaches a place to the action, not to each actor.
- ``Goldstein`` values are the ICEWS CAMEO table's (``knowledge/cameo.tsv``), which differs from GDELT's
  published list on four codes (016, 022, 164, 165).
- Mentions' ``SentenceID`` is the sentence's ordinal in the article counted from its offsets, and the actor
  offsets are where the actor's name occurs in the evidence sentence (-1 when it does not, as GDELT does).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, Optional, Union

from .dedup import interval
from .errors import ConfigError, StoreError
from .store import DERIVED, TABLES, open_store

EXPORT_FORMATS = ("gdelt-events", "gdelt-mentions", "gdelt-gkg", "parquet", "jsonl")

EVENT_COLUMNS = (
    "GlobalEventID", "Day", "MonthYear", "Year", "FractionDate",
    *[f"Actor{n}{f}" for n in (1, 2) for f in ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode",
                                                 "Religion1Code", "Religion2Code", "Type1Code", "Type2Code", "Type3Code")],
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale", "NumMentions",
    "NumSources", "NumArticles", "AvgTone",
    *[f"{g}_{f}" for g in ("Actor1Geo", "Actor2Geo", "ActionGeo")
      for f in ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")],
    "DATEADDED", "SOURCEURL",
)
MENTION_COLUMNS = (
    "GlobalEventID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName", "MentionIdentifier",
    "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset", "InSentence", "Confidence",
    "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo", "Extras",
)
GKG_COLUMNS = (
    "GKGRECORDID", "V2.1DATE", "V2SOURCECOLLECTIONIDENTIFIER", "V2SOURCECOMMONNAME", "V2DOCUMENTIDENTIFIER",
    "V1COUNTS", "V2.1COUNTS", "V1THEMES", "V2ENHANCEDTHEMES", "V1LOCATIONS", "V2ENHANCEDLOCATIONS", "V1PERSONS",
    "V2ENHANCEDPERSONS", "V1ORGANIZATIONS", "V2ENHANCEDORGANIZATIONS", "V1.5TONE", "V2.1ENHANCEDDATES", "V2GCAM",
    "V2.1SHARINGIMAGE", "V2.1RELATEDIMAGES", "V2.1SOCIALIMAGEEMBEDS", "V2.1SOCIALVIDEOEMBEDS", "V2.1QUOTATIONS",
    "V2.1ALLNAMES", "V2.1AMOUNTS", "V2.1TRANSLATIONINFO", "V2EXTRASXML",
)
assert len(EVENT_COLUMNS) == 61 and len(MENTION_COLUMNS) == 16 and len(GKG_COLUMNS) == 27

# CAMEO actor type codes (the 3-letter roles that follow a country code) and religion codes.
TYPE_CODES = frozenset("""GOV MIL REB OPP PTY COP JUD SPY MED EDU BUS CRM CVL HLH HRI LAB LEG NGO IGO REF REL MOD RAD
AGR ELI UAF SET IMG INS ENV DEV NGM MNC UIS SEP AMN""".split())
RELIGION_CODES = frozenset("""CHR CTH ORT PRO MOS SUN SHI JEW HIN BUD SIK ATH BAH CON DOX ITH JAN KRC SHN TAO ZRO ADR
MRM NRM""".split())
# CAMEO's regional codes, which sit between IGO and an organisation's code (IGOWSTNAT: NATO, of the West)
REGION_CODES = frozenset("""WST AFR ASA EUR MEA LAM NAF SAF WAF EAF CAF SAM NMR CAS SEA SAS EAS BLK BLT CRB PGS SCN
MDT""".split())
SOURCE_COLLECTION_WEB = 1
_CLEAN = re.compile(r"[\t\r\n]+")
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])|\n\s*\n")


@dataclass
class ExportResult:
    fmt: str
    out: Path
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self) -> str:
        counts = ", ".join(f"{n:,} {t}" for t, n in self.rows.items())
        return f"wrote {counts} as {self.fmt} to {self.out} in {self.seconds:.1f}s"


def _s(value: Any) -> str:
    """A field as GDELT writes it: empty for none, no tabs or newlines inside."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:.6g}" if abs(value) < 1e6 else f"{value:.1f}"
    return _CLEAN.sub(" ", str(value))


def _stamp(value: Any) -> str:
    """YYYYMMDDHHMMSS."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y%m%d%H%M%S")
    if isinstance(value, date):
        return value.strftime("%Y%m%d") + "000000"
    return ""


class _Countries:
    """ISO2 / ISO3 / CAMEO country codes to FIPS, from ``knowledge/countries.tsv``."""

    def __init__(self) -> None:
        from .knowledge import default_knowledge

        k = default_knowledge()
        self.fips_by_iso2 = {c.iso2: c.fips for c in k.countries.values() if c.iso2}
        self.names = {c.iso2: c.name for c in k.countries.values() if c.iso2}
        self.codes = {c.iso3 for c in k.countries.values()} | {c.cameo for c in k.countries.values()}

    def name(self, iso2: Optional[str]) -> str:
        return self.names.get((iso2 or "").upper(), "")

    def fips(self, iso2: Optional[str]) -> str:
        return self.fips_by_iso2.get((iso2 or "").upper(), "") if iso2 else ""


def actor_fields(code: Optional[str], name: Optional[str], countries: _Countries) -> list[str]:
    """Code, Name, CountryCode, KnownGroupCode, EthnicCode, Religion1Code, Religion2Code, Type1-3Code."""
    code = (code or "").upper()
    chunks = [code[i:i + 3] for i in range(0, len(code), 3)] if code else []
    country = chunks.pop(0) if chunks and chunks[0] in countries.codes else ""
    types = [c for c in chunks if c in TYPE_CODES]
    religions = [c for c in chunks if c in RELIGION_CODES]
    known = next((c for c in chunks if c not in TYPE_CODES and c not in RELIGION_CODES and len(c) == 3
                  and c not in REGION_CODES), "")  # an organisation's own code: NAT in IGOWSTNAT
    return [code, name or "", country, known, "", *(religions + ["", ""])[:2], *(types + ["", "", ""])[:3]]


def _geo(name: Optional[str], iso2: Optional[str], lat: Any, lon: Any, geonameid: Any, feature: Optional[str],
         countries: _Countries, gazetteer: Any) -> list[str]:
    """Type, FullName, CountryCode, ADM1Code, ADM2Code, Lat, Long, FeatureID."""
    if not name or lat is None:
        return ["0", "", "", "", "", "", "", ""]
    fips = countries.fips(iso2)
    admin1 = ""
    if geonameid and gazetteer is not None:
        place = gazetteer.get(int(geonameid))
        admin1 = place.admin1 if place and place.admin1 and place.admin1 != "00" else ""
    feature = feature or ""
    if feature.startswith("PCL"):
        gtype = 1
    elif feature.startswith("ADM1"):
        gtype = 2 if iso2 == "US" else 5
    elif iso2:
        gtype = 3 if iso2 == "US" else 4
    else:
        gtype = 4
    adm1 = (fips + admin1) if (fips and admin1 and gtype != 1) else (fips if gtype == 1 else "")
    country_name = countries.name(iso2)
    fullname = f"{name}, {country_name}" if gtype != 1 and country_name and country_name != name else name
    return [str(gtype), fullname, fips, adm1, "", f"{lat:.4f}", f"{lon:.4f}", str(geonameid or "")]


def _write(path: Path, rows: Iterable[list[str]], width: int) -> int:
    n = 0
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            if len(row) != width:  # a programming error, not bad input
                raise AssertionError(f"export row has {len(row)} fields, not {width}")
            fh.write("\t".join(_s(v) for v in row) + "\n")
            n += 1
    return n


def _fetch(con: Any, sql: str, params: Optional[list[Any]] = None) -> list[dict[str, Any]]:
    cur = con.execute(sql, params or [])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def gdelt_events(con: Any, path: Path) -> int:
    from .gazetteer import default_gazetteer

    countries, gaz = _Countries(), default_gazetteer()
    rows = _fetch(con, "SELECT e.*, a.url, a.input FROM canonical_events e LEFT JOIN articles a ON a.id = e.article_id "
                       "ORDER BY e.date, e.event_id")

    def gen() -> Iterable[list[str]]:
        for e in rows:
            day = e["date"]
            span = interval(day, "text", None, None)  # a day, or the first day of the month or year named
            d = span[0] if span else None
            frac = f"{d.year + (d.timetuple().tm_yday / 365.0):.4f}" if d else ""
            yield [
                str(e["event_id"]), d.strftime("%Y%m%d") if d else "", d.strftime("%Y%m") if d else "",
                str(d.year) if d else "", frac,
                *actor_fields(e["source_code"], e["source_name"], countries),
                *actor_fields(e["target_code"], e["target_name"], countries),
                "1" if e["is_root"] else "0", e["cameo"], e["base"], e["root"], str(e["quad_class"]),
                f"{e['goldstein']:.1f}", str(e["num_mentions"]), str(e["num_sources"]), str(e["num_articles"]),
                f"{e['avg_tone']:.4f}" if e["avg_tone"] is not None else "",
                *_geo(None, None, None, None, None, None, countries, gaz),
                *_geo(None, None, None, None, None, None, countries, gaz),
                *_geo(e["location_name"], e["location_country"], e["lat"], e["lon"], e["geonameid"],
                      e["location_feature"], countries, gaz),
                _stamp(e["date_added"]), e["source_url"] or e["url"] or e["input"] or "",
            ]
    return _write(path, gen(), 61)


def _sentence_id(text: str, start: int) -> int:
    return 1 + sum(1 for m in _SENTENCE_END.finditer(text, 0, max(0, start)) if m.end() <= start)


def gdelt_mentions(con: Any, path: Path) -> int:
    rows = _fetch(con, "SELECT m.*, e.date_added AS event_added, ev.source_name, ev.target_name, a.text, a.input "
                       "FROM event_mentions m JOIN canonical_events e USING (event_id) "
                       "JOIN events ev ON ev.article_id = m.article_id AND ev.event_idx = m.event_idx "
                       "JOIN articles a ON a.id = m.article_id ORDER BY m.event_id, m.article_id, m.event_idx")

    def offset(name: Optional[str], evidence: str, start: int) -> str:
        i = evidence.find(name) if name else -1
        return str(start + i) if i >= 0 else "-1"

    def gen() -> Iterable[list[str]]:
        for m in rows:
            evidence = m["evidence"] or ""
            yield [
                str(m["event_id"]), _stamp(m["event_added"]), _stamp(m["published"] or m["ingested_at"]),
                "1" if m["url"] else "6",  # 1 WEB; 6 a document with no web address (a local file)
                m["source"] or "", m["url"] or m["input"] or "", str(_sentence_id(m["text"] or "", m["start"])),
                offset(m["source_name"], evidence, m["start"]), offset(m["target_name"], evidence, m["start"]),
                str(m["start"]), "1", str(int(round(100 * (m["confidence"] or 0.0)))), str(m["doc_len"] or 0),
                f"{m['tone']:.4f}" if m["tone"] is not None else "", "", "",
            ]
    return _write(path, gen(), 16)


def gdelt_gkg(con: Any, path: Path) -> int:
    from .gazetteer import default_gazetteer

    countries, gaz = _Countries(), default_gazetteer()
    arts = _fetch(con, "SELECT id, url, source, published, ingested_at, title, input, tone, positive, negative, "
                       "polarity, activity, self_group, words FROM articles ORDER BY published NULLS LAST, id")

    def grouped(sql: str) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for r in _fetch(con, sql):
            out.setdefault(r["article_id"], []).append(r)
        return out

    themes = grouped("SELECT article_id, theme, start FROM themes WHERE signal = 'term' ORDER BY article_id, start")
    places = grouped("SELECT article_id, name, country, lat, lon, geonameid, feature, start FROM places "
                     "WHERE lat IS NOT NULL ORDER BY article_id, start")
    ents = grouped("SELECT e.article_id, e.type, coalesce(e.canonical, e.text) AS name, m.start FROM entities e "
                   "JOIN mentions m ON m.article_id = e.article_id AND m.entity_id = e.entity_id "
                   "WHERE e.type IN ('PERSON', 'ORG', 'NORP', 'GPE', 'FAC', 'LOC', 'EVENT') AND m.kind = 'name' "
                   "ORDER BY e.article_id, m.start")
    dates = grouped("SELECT article_id, value, precision, start FROM dates ORDER BY article_id, start")
    quotes = grouped("SELECT article_id, start, \"end\", cue, text FROM quotes WHERE field = 'text' AND kind <> 'indirect' "
                     "ORDER BY article_id, start")
    amounts = grouped("SELECT article_id, value, object, start FROM amounts ORDER BY article_id, start")

    def names(rows: list[dict[str, Any]], types: tuple[str, ...]) -> tuple[str, str]:
        sel = [r for r in rows if r["type"] in types]
        v1 = ";".join(dict.fromkeys(_field(r["name"]) for r in sel))
        v2 = ";".join(f"{_field(r['name'])},{r['start']}" for r in sel)
        return v1, v2

    def gen() -> Iterable[list[str]]:
        for n, a in enumerate(arts, 1):
            aid = a["id"]
            stamp = _stamp(a["published"] or a["ingested_at"])
            th = themes.get(aid, [])
            pl = places.get(aid, [])
            v1loc, v2loc = [], []
            for p in pl:
                g = _geo(p["name"], p["country"], p["lat"], p["lon"], p["geonameid"], p["feature"], countries, gaz)
                v1 = "#".join([g[0], _field(g[1], "#;"), g[2], g[3], g[5], g[6], g[7]])
                if v1 not in v1loc:
                    v1loc.append(v1)
                v2loc.append("#".join([g[0], _field(g[1], "#;"), g[2], g[3], g[4], g[5], g[6], g[7], str(p["start"])]))
            en = ents.get(aid, [])
            persons = names(en, ("PERSON",))
            orgs = names(en, ("ORG",))
            allnames = ";".join(f"{_field(r['name'])},{r['start']}" for r in en)
            dt = []
            for d in dates.get(aid, []):
                v = d["value"] or ""
                res = {"day": 4, "month": 2, "year": 1}.get(d["precision"] or "", 0)
                if res and len(v) >= 4 and v[:4].isdigit():
                    month = v[5:7] if len(v) >= 7 else "0"
                    day = v[8:10] if len(v) >= 10 else "0"
                    dt.append(f"{res}#{int(month)}#{int(day)}#{v[:4]}#{d['start']}")
            qs = "#".join(f"{q['start']}|{q['end'] - q['start']}|{_field(q['cue'] or '')}|{_field(q['text'])}"
                          for q in quotes.get(aid, []))
            am = ";".join(f"{r['value']:g},{_field(r['object'])},{r['start']}" for r in amounts.get(aid, []))
            tone = ",".join(f"{a[k]:.4f}" if a[k] is not None else "0" for k in
                            ("tone", "positive", "negative", "polarity", "activity", "self_group")) + \
                f",{a['words'] or 0}" if a["tone"] is not None else ""
            yield [
                f"{stamp}-{n}", stamp, str(SOURCE_COLLECTION_WEB if a["url"] else 6), a["source"] or "",
                a["url"] or a["input"] or "", "", "",
                ";".join(dict.fromkeys(t["theme"] for t in th)), ";".join(f"{t['theme']},{t['start']}" for t in th),
                ";".join(v1loc), ";".join(v2loc), persons[0], persons[1], orgs[0], orgs[1], tone, ";".join(dt),
                f"wc:{a['words'] or 0}", "", "", "", "", qs, allnames, am, "",
                f"<PAGE_TITLE>{_xml(a['title'] or '')}</PAGE_TITLE>" if a["title"] else "",
            ]
    return _write(path, gen(), 27)


def _field(text: Any, delimiters: str = ";#|,") -> str:
    """A value inside a GKG list, with the list's own delimiters (and tabs, newlines) replaced by spaces."""
    return re.sub(f"[{re.escape(delimiters)}\t\r\n]+", " ", str(text or "")).strip()


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def export(db: Union[str, Path], fmt: str, out: Union[str, Path]) -> ExportResult:
    """Write the database at ``db`` in format ``fmt`` (one of ``EXPORT_FORMATS``) to ``out``."""
    if fmt not in EXPORT_FORMATS:
        raise ConfigError(f"unknown export format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")
    t0 = time.perf_counter()
    out = Path(out)
    store = open_store(db)
    con = store.connect()
    result = ExportResult(fmt, out)
    try:
        if fmt in ("parquet", "jsonl"):
            try:
                out.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{out}: cannot create the export directory: {exc.strerror or exc}") from exc
            for table in (*TABLES, *DERIVED):
                target = out / f"{table}.{'parquet' if fmt == 'parquet' else 'jsonl'}"
                option = "(FORMAT parquet, COMPRESSION zstd)" if fmt == "parquet" else "(FORMAT json)"
                con.execute(f"COPY (SELECT * FROM {table}) TO '{_sql_path(target)}' {option}")
                result.rows[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        else:
            if out.is_dir():
                raise ConfigError(f"{out} is a directory: give a file name for {fmt}")
            try:
                out.parent.mkdir(parents=True, exist_ok=True)
                writer = {"gdelt-events": gdelt_events, "gdelt-mentions": gdelt_mentions, "gdelt-gkg": gdelt_gkg}[fmt]
                result.rows[fmt.split("-")[1]] = writer(con, out)
            except OSError as exc:
                raise StoreError(f"{out}: cannot write the export: {exc.strerror or exc}") from exc
    finally:
        con.close()
    result.seconds = time.perf_counter() - t0
    return result


def _sql_path(path: Path) -> str:
    return str(path.resolve()).replace("'", "''")


__all__ = ["export", "EXPORT_FORMATS", "EVENT_COLUMNS", "MENTION_COLUMNS", "GKG_COLUMNS", "ExportResult"]
