"""The project's knowledge, as data files beside this module, and the code that loads it.

Files (tab-separated, a header line, ``#`` comments, list cells separated by ``|``):

- ``countries.tsv``      iso3, iso2, fips, cameo, name, aliases, demonyms, capital
- ``metonyms.tsv``       text, iso3, sector, note: seats of power that stand for a country's actor (the Kremlin)
- ``organisations.tsv``  code, name, aliases, kind, country: IGOs, NGOs and armed groups with CAMEO codes
- ``roles.tsv``          term, sector, note: role nouns to CAMEO sector codes (spokesman -> GOV)
- ``people.tsv``         name, aliases, country, sector, role, start, end: office holders with dates of office
- ``first_names.tsv``    name, gender: given names news uses for one sex, for pronoun agreement
- ``world_groups.tsv``   code, kind, name, names, adjectives, nouns: world regions and religious communities as
  actors with no country (EUR "European countries", CHR "Christians"), for monadic event coding
- ``title_furniture.tsv`` kind, pattern, note: agency flags, editors' notes and passive participles that
  ``readers.titles`` takes out of (or leaves in) titles

Users add their own dictionaries (``ActorKnowledge.load(extra=[...])``), including PETRARCH-format ones
(``knowledge.petrarch``). Nothing is loaded at import time: call ``ActorKnowledge.load()`` once and pass it on.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Optional, Sequence, Union

from ..errors import ConfigError

DATA = Path(__file__).resolve().parent


def read_table(path: Union[str, Path]) -> Iterator[dict[str, str]]:
    """Rows of one of our TSV files as dicts; comment lines skipped."""
    path = Path(path)
    try:
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read knowledge file: {exc.strerror or exc}") from exc
    if not lines:
        return
    header = lines[0].split("\t")
    for n, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) < len(header):
            cells += [""] * (len(header) - len(cells))
        yield {h: c.strip() for h, c in zip(header, cells)}


def split_list(cell: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in cell.split("|") if x.strip())


_APOS = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u2010": "-", "\u2011": "-", "\u2013": "-"})


@lru_cache(maxsize=1 << 16)
def norm(text: str) -> str:
    """The key names are looked up by: accents folded, lower case, no leading 'the', no possessive.
    (Cached: the same names come back in every article.)"""
    text = unicodedata.normalize("NFKD", text.translate(_APOS))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"\s+", " ", text).strip(" ,;:\"'()")
    text = re.sub(r"^the ", "", text)
    text = re.sub(r"'s?$", "", text)
    return text.strip()


@dataclass(frozen=True)
class Country:
    iso3: str
    iso2: str
    fips: str
    cameo: str
    name: str
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capital: str = ""


@dataclass(frozen=True)
class ActorEntry:
    """What a name can refer to: a canonical actor with its CAMEO code, and when that holds."""

    canonical: str
    code: str
    country: Optional[str]  # ISO alpha-3 (None for international organisations)
    type: str  # PERSON, ORG, GPE, NORP
    kind: str  # country, demonym, metonym, organisation, person, user
    sector: str = ""
    role: str = ""
    start: str = ""  # ISO date prefix; '' = open
    end: str = ""
    ambiguous: bool = False  # a name many countries' institutions share ("Congress"): context decides

    def valid_on(self, day: Optional[str]) -> bool:
        """True if this entry holds on ``day`` (ISO date); dates of office may be YYYY, YYYY-MM or YYYY-MM-DD."""
        if not day:
            return True
        d = day[:10]
        if self.start and d[: len(self.start)] < self.start:
            return False
        if self.end and d[: len(self.end)] > self.end:
            return False
        return True

    def on(self, day: Optional[str]) -> "ActorEntry":
        """This entry as it stands on ``day``: a person out of office is no longer GOV. After the office,
        CAMEO codes former office holders as elites (USAELI); before it, only the country is known."""
        if self.kind != "person" or not day or self.valid_on(day) or not self.country:
            return self
        base = self.code[: -len(self.sector)] if self.sector and self.code.endswith(self.sector) else self.code[:3]
        if self.end and day[:10][: len(self.end)] > self.end:
            return dataclasses.replace(self, code=base + "ELI", sector="ELI", start="", end="")
        return dataclasses.replace(self, code=base, sector="", start="", end="")


# CAMEO role codes in the words a name uses for them ("MIL" -> "military").
SECTOR_NAMES = {
    "GOV": "government", "MIL": "military", "COP": "police", "REB": "rebels", "OPP": "opposition",
    "CVL": "civilians", "JUD": "judiciary", "LEG": "legislature", "BUS": "business", "MED": "media",
    "REF": "refugees", "PTY": "party", "LAB": "labour", "EDU": "education", "HLH": "health", "SPY": "intelligence",
    "UAF": "armed group", "CRM": "criminals", "HRI": "human rights", "ENV": "environment", "AGR": "agriculture",
    "ELI": "elites", "REL": "religious", "NGO": "NGO", "IGO": "IGO", "RAD": "radicals", "MOD": "moderates",
    "NGM": "non-governmental movement",
}
# CAMEO codes for a kind of actor written before a country (MNCUSA: a US multinational), with their words.
TRANSNATIONAL = {"MNC": "multinational corporations"}


@dataclass(frozen=True)
class WorldGroup:
    """A world region or religious community that can act as one (world_groups.tsv): a CAMEO code, no country."""

    code: str
    kind: str  # region, religion
    name: str


@dataclass
class ActorKnowledge:
    """Names to actors, roles to sectors, countries by code. Build with ``ActorKnowledge.load()``."""

    countries: dict[str, Country] = field(default_factory=dict)  # by iso3
    names: dict[str, list[ActorEntry]] = field(default_factory=dict)  # norm(name) -> entries
    surnames: dict[str, list[ActorEntry]] = field(default_factory=dict)  # norm(last name) -> people
    roles: dict[str, str] = field(default_factory=dict)  # norm(role term) -> sector
    by_iso2: dict[str, str] = field(default_factory=dict)
    people: list[ActorEntry] = field(default_factory=list)
    forms: set[str] = field(default_factory=set)  # every name as written, for phrase matching
    surname_forms: set[str] = field(default_factory=set)  # people's surnames as written ("Trump", "Sisi")
    first_names: dict[str, str] = field(default_factory=dict)  # given name (lower case) -> "m" or "f"
    # world regions and religions, by the form as written ("name", "adjective" or "noun") and its text
    world_groups: dict[tuple[str, str], "WorldGroup"] = field(default_factory=dict)
    region_codes: set[str] = field(default_factory=set)  # the world regions' codes (EUR, WST...)
    _role_seen: dict[str, Optional[str]] = field(default_factory=dict, repr=False, compare=False)
    _by_cameo: dict[str, str] = field(default_factory=dict, repr=False, compare=False)  # country code -> name

    # --- building ------------------------------------------------------------------------------------
    @classmethod
    def load(cls, directory: Union[str, Path, None] = None, extra: Iterable[Union[str, Path]] = ()) -> "ActorKnowledge":
        d = Path(directory) if directory else DATA
        k = cls()
        k._load_countries(d / "countries.tsv")
        k._load_metonyms(d / "metonyms.tsv")
        k._load_organisations(d / "organisations.tsv")
        k._load_roles(d / "roles.tsv")
        k._load_people(d / "people.tsv")
        if (d / "first_names.tsv").exists():  # optional in a user's own knowledge directory
            k.first_names = {r["name"].lower(): r["gender"] for r in read_table(d / "first_names.tsv")}
        if (d / "world_groups.tsv").exists():  # optional in a user's own knowledge directory
            k._load_world_groups(d / "world_groups.tsv")
        for path in extra:
            k.add_dictionary(path)
        return k

    def add(self, name: str, entry: ActorEntry) -> None:
        key = norm(name)
        if not key:
            return
        self.forms.add(name.strip())
        bucket = self.names.setdefault(key, [])
        if entry not in bucket:
            bucket.append(entry)

    def _load_countries(self, path: Path) -> None:
        for r in read_table(path):
            c = Country(iso3=r["iso3"], iso2=r["iso2"], fips=r.get("fips", ""), cameo=r.get("cameo") or r["iso3"],
                        name=r["name"], aliases=split_list(r.get("aliases", "")),
                        demonyms=split_list(r.get("demonyms", "")), capital=r.get("capital", ""))
            self.countries[c.iso3] = c
            if c.iso2:
                self.by_iso2[c.iso2] = c.iso3
            entry = ActorEntry(canonical=c.name, code=c.cameo, country=c.iso3, type="GPE", kind="country")
            for n in (c.name, *c.aliases):
                self.add(n, entry)
            norp = ActorEntry(canonical=c.name, code=c.cameo, country=c.iso3, type="NORP", kind="demonym")
            for n in c.demonyms:
                self.add(n, norp)

    def _load_metonyms(self, path: Path) -> None:
        for r in read_table(path):
            c = self.countries.get(r["iso3"])
            if c is None:
                continue
            sector = r.get("sector", "") or "GOV"
            self.add(r["text"], ActorEntry(canonical=r["text"].removeprefix("the ").strip(), code=c.cameo + sector,
                                           country=c.iso3, type="GPE" if sector == "GOV" and r["text"] == c.capital else "ORG",
                                           kind="metonym", sector=sector,
                                           ambiguous=r.get("note", "").startswith("ambiguous")))

    def _load_organisations(self, path: Path) -> None:
        for r in read_table(path):
            country = r.get("country") or None
            entry = ActorEntry(canonical=r["name"], code=r["code"], country=country, type="ORG", kind="organisation",
                               sector=r.get("kind", ""))
            for n in (r["name"], *split_list(r.get("aliases", ""))):
                self.add(n, entry)

    def _load_world_groups(self, path: Path) -> None:
        for r in read_table(path):
            if r.get("kind") not in ("region", "religion") or not r.get("code"):
                raise ConfigError(f"{path}: bad row {r}: kind must be region or religion, with a code")
            group = WorldGroup(code=r["code"], kind=r["kind"], name=r["name"])
            if group.kind == "region":
                self.region_codes.add(group.code)
            for form in ("names", "adjectives", "nouns"):
                for text in split_list(r.get(form, "")):
                    self.world_groups[(form[:-1], text)] = group

    def world_group(self, form: str, text: str) -> Optional["WorldGroup"]:
        """The region or religion ``text`` names as a ``form`` ("name", "adjective", "noun"), as written."""
        return self.world_groups.get((form, text.strip()))

    def _load_roles(self, path: Path) -> None:
        for r in read_table(path):
            self.roles[norm(r["term"])] = r["sector"]

    def _load_people(self, path: Path) -> None:
        for r in read_table(path):
            country = r.get("country") or None
            sector = r.get("sector") or "GOV"
            if country:
                c = self.countries.get(country)
                code = (c.cameo if c else country) + sector
            else:
                code = sector  # international officials: the sector column holds the IGO code
            entry = ActorEntry(canonical=r["name"], code=code, country=country, type="PERSON", kind="person",
                               sector=sector, role=r.get("role", ""), start=r.get("start", ""), end=r.get("end", ""))
            self.people.append(entry)
            for n in (r["name"], *split_list(r.get("aliases", ""))):
                self.add(n, entry)
                for key in surname_keys(n, country):
                    bucket = self.surnames.setdefault(key, [])
                    if entry not in bucket:
                        bucket.append(entry)
                self.surname_forms.update(surname_keys(n, country, as_written=True))

    def add_dictionary(self, path: Union[str, Path]) -> None:
        """A user dictionary: our TSV people/organisation format, or a PETRARCH actors/agents file."""
        from .petrarch import load_into

        load_into(self, Path(path))

    # --- lookups -------------------------------------------------------------------------------------
    def lookup(self, text: str, day: Optional[str] = None, types: Optional[Sequence[str]] = None) -> Optional[ActorEntry]:
        """The actor a name refers to on a day (people by their dates of office), or None."""
        cands = self.names.get(norm(text), [])
        if types:
            cands = [c for c in cands if c.type in types] or []
        entry = _pick(cands, day)
        return entry.on(day) if entry is not None else None

    def lookup_surname(self, text: str, day: Optional[str] = None) -> Optional[ActorEntry]:
        """A person known by surname alone, preferring whoever held office on ``day``."""
        cands = self.surnames.get(norm(text), [])
        if not cands:
            return None
        if day:
            current = [c for c in cands if c.valid_on(day)]
            if current:
                return _pick(current, day)
        canon = {c.canonical for c in cands}
        if len(canon) == 1:
            return _pick(cands, day).on(day)
        countries = {c.country for c in cands}
        if len(countries) == 1 and None not in countries:
            # Several people of one country by that name, none in office that day ("Kabila" in April 1997,
            # father or son): who is not known, but whose country is.
            first = cands[0]
            base = first.code[: -len(first.sector)] if first.sector and first.code.endswith(first.sector) else first.code[:3]
            return dataclasses.replace(first, canonical=text.strip(), code=base, sector="", role="", start="", end="")
        return None

    def role(self, term: str) -> Optional[str]:
        if term in self._role_seen:
            return self._role_seen[term]
        key = norm(term)
        sector = None
        if key in self.roles:
            sector = self.roles[key]
        elif key.endswith("s") and key[:-1] in self.roles:  # plurals: ministers, officials
            sector = self.roles[key[:-1]]
        elif key.endswith("es") and key[:-2] in self.roles:
            sector = self.roles[key[:-2]]
        elif key.endswith("ies") and key[:-3] + "y" in self.roles:  # parties, embassies
            sector = self.roles[key[:-3] + "y"]
        if len(self._role_seen) < 200_000:
            self._role_seen[term] = sector
        return sector

    def code_name(self, code: Optional[str]) -> Optional[str]:
        """The name a CAMEO actor code's parts spell, where they all have one: USAGOV -> "United States
        (government)", RUS -> "Russia", MNCUSA -> "United States (multinational corporations)", MIL ->
        "military (no country)". None for codes with a part of their own (IGOUNO, SDNREBRSF)."""
        if not code:
            return None
        if not self._by_cameo:
            self._by_cameo.update({c.cameo: c.name for c in self.countries.values()})
        countries = self._by_cameo
        parts = [code[i : i + 3] for i in range(0, len(code), 3)]
        if len(parts) == 2 and parts[0] in TRANSNATIONAL and parts[1] in countries:
            return f"{countries[parts[1]]} ({TRANSNATIONAL[parts[0]]})"
        if parts[0] in countries and all(p in SECTOR_NAMES for p in parts[1:]):
            words = ", ".join(SECTOR_NAMES[p] for p in parts[1:])
            return f"{countries[parts[0]]} ({words})" if words else countries[parts[0]]
        if all(p in SECTOR_NAMES for p in parts):
            return f"{', '.join(SECTOR_NAMES[p] for p in parts)} (no country)"
        return None

    def gender(self, name: str) -> str:
        """"m" or "f" for a person's name whose first given name news uses for one sex, else ""."""
        words = [w for w in name.lower().replace(".", " ").split() if w]
        return self.first_names.get(words[0], "") if words else ""

    def country(self, code: Optional[str]) -> Optional[Country]:
        if not code:
            return None
        code = code.upper()
        if len(code) == 2:
            code = self.by_iso2.get(code, "")
        return self.countries.get(code[:3])

    def holder(self, country: str, roles: Sequence[str], day: Optional[str]) -> Optional[ActorEntry]:
        """Who held one of ``roles`` in ``country`` on ``day`` ("the U.S. president" in 2025 -> Donald Trump).
        Nobody when the day is not known: an undated text's "Chilean president" is not whoever held it first."""
        if not day:
            return None
        found = [e for e in self.people if e.country == country and e.role in roles and e.valid_on(day)]
        return found[0] if found else None


# Countries whose names news writes family name first ("Xi Jinping" is President Xi).
# Japan: English copy writes Japanese names in both orders ("Taro Aso", "Aso Taro"; Tokyo asked for family name
# first in 2019), so either word may stand alone.
FAMILY_NAME_FIRST = {"CHN", "TWN", "KOR", "PRK", "HKG", "MAC", "JPN"}
_ARABIC_ARTICLE = re.compile(r"^(?:al|el|ad|ash|as|at|az|an|ar)-", re.I)


def surname_keys(name: str, country: Optional[str] = None, as_written: bool = False) -> list[str]:
    """The keys a person may be called by alone: the last word ("Peskov"), without an Arabic article
    ("al-Sisi" -> also "sisi"), and for East Asian names the first word too ("Xi"). Normalised keys, or the
    words as the name writes them (``as_written``, for phrase matching)."""
    words = name.split() if as_written else norm(name).split(" ")
    if len(words) < 2:
        return []
    keys = [words[-1]]
    stripped = _ARABIC_ARTICLE.sub("", words[-1])
    if stripped and stripped != words[-1]:
        keys.append(stripped[:1].upper() + stripped[1:] if as_written else stripped)
    if country in FAMILY_NAME_FIRST:
        keys.append(words[0])
    return keys


def _pick(cands: Sequence[ActorEntry], day: Optional[str]) -> Optional[ActorEntry]:
    if not cands:
        return None
    if len(cands) == 1:
        return cands[0]
    dated = [c for c in cands if c.valid_on(day)] if day else list(cands)
    pool = dated or list(cands)
    # Prefer the most specific kind of entry (a person over a country of the same name), then the latest office.
    rank = {"user": 0, "person": 1, "organisation": 2, "metonym": 3, "country": 4, "demonym": 5}
    return sorted(pool, key=lambda c: (rank.get(c.kind, 9), -int(c.start[:4]) if c.start[:4].isdigit() else 0))[0]


@lru_cache(maxsize=4)
def default_knowledge() -> ActorKnowledge:
    """The bundled knowledge, loaded once per process."""
    return ActorKnowledge.load()
