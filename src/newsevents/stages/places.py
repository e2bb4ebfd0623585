"""Places: toponyms resolved offline to GeoNames, and the place attached to a clause.

1. **Toponyms** are spaCy's GPE, LOC and FAC entities, the actors stage's place entities (which correct the
   small model: "Kyiv" tagged PERSON, "Saudia Arabia" known as Saudi Arabia) and the names of our region
   table ("Donbas", "the Baltic states", extending "Baltic" when the model stops short). Demonyms ("Russian")
   and institutions named after a building ("the White House", "the Kremlin") are not places here.
2. **Candidates** come from the gazetteer (``newsevents.gazetteer``): GeoNames names and alternate names, a
   name less a generic word ("Oaxaca State"), misspellings of large places ("Khatmandu").
3. **Disambiguation**, for all of an article's toponyms together: a prior from the kind of place and its
   population (a country before a town of the same name, Paris, France before Paris, Texas); a qualifier
   after a comma settles it ("Paris, Texas", "Prague, Okla."); then the article's other places and countries
   (their countries and states, and places near them; names whose candidates lie near each other), the
   countries of its actors, the dateline, and the home region of the article's source when one is given. A
   name keeps one sense within an article.

``place_for_span`` is the event stage's hook: the place attached, by a locative preposition, to the clause
that contains a span ("meet with Putin in Saudi Arabia" -> SA), else None — never the article's first toponym.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

from ..errors import ConfigError
from ..gazetteer import GENERIC_NAMES, Candidate, GeoPlace, Gazetteer, default_gazetteer, place_key
from ..knowledge import ActorKnowledge, DATA, default_knowledge, norm, read_table, split_list
from ..records import Analysis, Place
from .dates import clause_verb
from .language import span_of

TOPONYM_LABELS = {"GPE", "LOC", "FAC"}
# Words the small model tags as places that name no place in news ("the West", "the Olympic Games").
NOT_TOPONYMS = {"west", "east", "north", "south", "western", "eastern", "northern", "southern", "olympic",
                "olympics", "games", "internet", "web", "earth", "world", "globe", "heaven", "hell"}

# --- disambiguation weights --------------------------------------------------------------------------------
# A candidate's score is a prior (the kind of place, or log10 of a populated place's population) plus
# context bonuses; the best-scoring candidate wins. The numbers were set by hand on fictional examples and
# checked on the GeoWebNews/LGL development figures (``newsevents eval places``); they are on the scale of
# log10(population): a city of 1M scores 6, of 10k scores 4.
FEATURE_PRIOR = {
    "PCLI": 8.5, "PCLD": 8.0, "PCLS": 8.0, "PCLF": 8.0, "PCL": 8.0, "TERR": 7.5,  # countries and territories
    "CONT": 8.5, "ZN": 8.0, "OCN": 7.5, "SEA": 7.0, "GULF": 7.0, "STRT": 7.0, "RGN": 7.5, "PEN": 7.0,
    "ISL": 6.5, "LK": 6.5, "MTS": 6.5,
    "ADM1": 6.5,  # below a city of 3M ("New York" the city), above a town ("Georgia" the state over Georgia, VT)
    "ADM2": 4.0,  # US counties: their names say "County", so they rarely compete
}
# A state or county whose towns hold few people scores by their number (log10) plus this, up to its kind's prior.
SMALL_DIVISION_OFFSET = {"ADM1": 1.5}
CAPITAL_BONUS = 1.5  # "Washington" is the capital before the state (6.5) and before Washington, England
MATCH_PENALTY = {"name": 0.0, "alternate": -1.0, "demonym": -1.0, "fuzzy": -1.0, "contained": -1.0}
# An alternate name counts for less again when some place bears the name as its own: alternates include
# former names ("Rogersville" was Rogers Park, Chicago) and other languages' forms.
ALTERNATE_BESIDE_NAME = -1.5
QUALIFIER_BONUS = 10.0  # "Paris, Texas": decisive
DIVISION_BONUS = 3.0  # "Homs Governorate" written as "Homs and Aleppo governorates": the division, not the city
COUNTRY_CONTEXT_BONUS = 2.5  # the article's other places below country level (cities, states) are in this country
# ... or it names the country itself, or its actors are from it: weaker, as international news names the US
# everywhere, and that must not pull "Mecca" to Mecca, California.
COUNTRY_MENTION_BONUS = 1.0
ADMIN1_CONTEXT_BONUS = 1.5  # ... in this state or province
NEARBY_BONUS = 1.0  # within NEARBY_KM of another of the article's places (a city, not a country)
NEARBY_KM = 150.0
# Each other name of the article with a candidate beside this one (``_mutual_support``), up to SUPPORT_CAP.
SUPPORT_BONUS = 1.0
SUPPORT_CAP = 2
SUPPORT_CANDIDATES = 40
WIDE_FEATURES = {"PCLI", "PCLD", "PCLS", "PCLF", "PCL", "TERR", "CONT", "RGN", "ZN"}
DATELINE_COUNTRY_BONUS = 1.5
DATELINE_PLACE_BONUS = 5.0  # the toponym names the dateline's own city ("Paris" under "PARIS, Texas")
# Below this a candidate is not taken: an alternate name of a village (log10(500) - 1 = 1.7) for a name that
# is most likely a street or a building the gazetteer does not hold.
MIN_SCORE = 2.5
# A first-pass resolution this far ahead of the runner-up is context for the others.
CONFIDENT_MARGIN = 1.5
LOCAL_FEATURES = {"PPL", "PPLC", "ADM2"}
MISLABELLED_MIN_POPULATION = 100_000
CONTAINED_MIN_POPULATION = 1_000_000  # a city or state named inside a longer name ("Dubai World Cup")
# Words that name no place inside a longer name ("West Wing", "South Kilburn Estate", "Nile Delta").
GENERIC_WORDS = NOT_TOPONYMS | GENERIC_NAMES | {"new", "old", "great", "little", "saint", "st", "mount", "lake",
                                                "county", "city", "town", "village", "district", "region",
                                                "province", "state", "township", "estate", "port", "fort", "wing"}

# Prepositions that attach a place to a clause ("met in Riyadh", "clashes near Bakhmut"); "to" only after a
# verb of travel ("flew to Beijing").
LOCATIVE_PREPS = {"in", "at", "near", "outside", "inside", "across", "throughout", "within", "around", "on"}
TRAVEL_VERBS = {"travel", "fly", "go", "come", "head", "return", "move", "sail", "drive", "deploy", "send",
                "arrive", "visit", "trip", "journey"}
CLAUSE_LINKS = {"xcomp", "conj"}  # a clause that shares its place with the clause it hangs from
ARGUMENTS = {"dobj", "nsubj", "nsubjpass", "attr", "dative", "oprd", "appos"}

# After a name, a word for a division, directly or after a list of names: "Aleppo Governorate", "Homs and
# Aleppo governorates", "Kiev and Lviv oblasts".
_DIVISION_AFTER = re.compile(r"(?:(?:\s*,\s*|\s+(?:and|or|&)\s+)[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)*\s+"
                             r"(?i:governorates?|provinces?|counties|county|districts?|parish(?:es)?|oblasts?|"
                             r"prefectures?|regions?|departments?|states)\b")
_QUALIFIER = re.compile(r",\s*([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2})")
_DATELINE_SPLIT = re.compile(r"\s*,\s*")
# A name in a list of places is not qualified by the next one: "in Boston, Washington, New York and Miami".
_LIST_BEFORE = re.compile(r"[A-Z][\w.'’-]*,\s*$")
_LIST_AFTER = re.compile(r"\s*,?\s*(?:and|or|&)\s")


@dataclass
class Toponym:
    """A stretch of text that names a place, before resolution."""

    start: int
    end: int
    text: str
    alias: Optional[str] = None  # another name for it that the actors stage knows ("Saudi Arabia")
    qualifier: Optional[GeoPlace] = None
    candidates: tuple[Candidate, ...] = ()
    division: bool = False  # followed by a word for an administrative division ("Homs and Aleppo Governorates")


class Places:
    name = "places"
    version = "1"
    requires: tuple[str, ...] = ("doc", "entities")
    assigns: tuple[str, ...] = ("locations",)

    def __init__(self, gazetteer: Optional[Gazetteer] = None, knowledge: Optional[ActorKnowledge] = None,
                 source_focus: Optional[Mapping[str, tuple[str, str]]] = None) -> None:
        self._gazetteer = gazetteer
        self.source_focus = dict(source_focus or {})
        if self.source_focus:  # the provenance says the results depend on a focus file, and which
            digest = hashlib.sha256(repr(sorted(self.source_focus.items())).encode()).hexdigest()[:8]
            self.version = f"{Places.version}+focus-{digest}"
        self.kn = knowledge or default_knowledge()
        self._matcher: Any = None
        self._vocab: Any = None
        self._not_places = {place_key(n) for n, es in self.kn.names.items()
                            if es and all(e.type in ("NORP", "ORG") or e.kind == "organisation" for e in es)}

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = default_gazetteer()
        return self._gazetteer

    def __call__(self, batch: Sequence[Analysis]) -> list[Analysis]:
        return [replace(a, locations=self.locate(a)) for a in batch]

    def locate(self, analysis: Analysis) -> tuple[Place, ...]:
        art = analysis.article
        toponyms = self.toponyms(analysis)
        countries = [self.kn.countries[e.country].iso2 for e in analysis.entities if e.country in self.kn.countries]
        dateline = dateline_place(self.gazetteer, art.dateline)
        focus = self.source_focus.get(art.source) if art.source else None
        return tuple(p for p in resolve_toponyms(self.gazetteer, art.text, toponyms, dateline, countries, focus) if p)

    # --- 1. toponyms ----------------------------------------------------------------------------------
    def toponyms(self, analysis: Analysis) -> list[Toponym]:
        doc, text = analysis.doc, analysis.article.text
        spans: dict[tuple[int, int], Optional[str]] = {}
        for ent in doc.ents:
            if ent.label_ in TOPONYM_LABELS or (ent.label_ in ("ORG", "PERSON") and self._mislabelled(ent)):
                s, e = _trim(doc, ent.start, ent.end)
                if s < e:
                    spans.setdefault(self._extend(doc, s, e), None)
        for ent in analysis.entities:
            if ent.type != "GPE":
                continue
            for m in ent.mentions:
                if m.kind in ("name", "alias", "metonym"):
                    span = doc.char_span(m.start, m.end, alignment_mode="expand")
                    if span is not None:
                        s, e = _trim(doc, span.start, span.end)
                        if s >= e:
                            continue
                        key = self._extend(doc, s, e)
                        spans[key] = ent.canonical if ent.canonical and ent.canonical != m.text else spans.get(key)
        for _, s, e in self._matcher_for(doc)(doc):
            spans.setdefault((s, e), None)
        out: list[Toponym] = []
        taken: set[int] = set()
        for (s, e), alias in sorted(spans.items(), key=lambda kv: (-(kv[0][1] - kv[0][0]), kv[0][0])):
            if any(i in taken for i in range(s, e)):
                continue
            taken.update(range(s, e))
            for start, end in _comma_parts(doc, s, e):
                piece = text[start:end]
                if place_key(piece) in self._not_places or place_key(piece) in NOT_TOPONYMS:
                    continue
                out.append(Toponym(start, end, piece, alias if (start, end) == _chars(doc, s, e) else None))
        out.sort(key=lambda t: t.start)
        return out

    def _mislabelled(self, ent: Any) -> bool:
        """A place the small model calls an organisation or a person ("arrived in Khatmandu" tagged ORG): the
        object of a locative preposition, unknown to the actor knowledge, naming a country, a region or a city
        of MISLABELLED_MIN_POPULATION or more ("in Congress" names a town of 1,900 in Arizona: not taken)."""
        head = ent.root.head
        if ent.root.dep_ != "pobj" or head.lower_ not in LOCATIVE_PREPS | {"to", "from"}:
            return False
        if self.kn.names.get(norm(ent.text)):
            return False
        return any(c.match != "demonym" and (c.place.feature not in LOCAL_FEATURES
                                              or c.place.population >= MISLABELLED_MIN_POPULATION)
                   for c in self.gazetteer.candidates(ent.text))

    def _extend(self, doc: Any, start: int, end: int) -> tuple[int, int]:
        """The span grown by a word or two when that makes a region or country name ("Baltic" + "states",
        "West" + "Bank"), as the small model often stops short."""
        base = place_key(doc[start:end].text)
        for s, e in ((start, end + 2), (start, end + 1), (start - 1, end)):
            if s < 0 or e > len(doc) or (s, e) == (start, end):
                continue
            words = doc[s:e]
            if not words.text[:1].isupper() or any(t.is_punct or t.is_space or t.lower_ in ("'s", "’s", "the")
                                                   for t in words):
                continue
            key = place_key(words.text)
            if key != base and any(c.match == "name" and c.place.feature not in LOCAL_FEATURES
                                   for c in self.gazetteer.lookup(key)):
                return (s, e)
        return (start, end)

    def _matcher_for(self, doc: Any) -> Any:
        if self._matcher is None or self._vocab is not doc.vocab:
            import spacy
            from spacy.matcher import PhraseMatcher

            matcher = PhraseMatcher(doc.vocab, attr="ORTH")
            blank = spacy.blank("en", vocab=doc.vocab)
            matcher.add("REGION", [blank.make_doc(n) for n in sorted(region_names())])
            self._matcher, self._vocab = matcher, doc.vocab
        return self._matcher


def region_names() -> set[str]:
    """The names and aliases of our region table, as written (for the phrase matcher)."""
    out: set[str] = set()
    for r in read_table(DATA / "regions.tsv"):
        if r.get("feature") == "ADM1" and r.get("countries") == "US":
            continue  # US states are in every model's vocabulary; their rows add abbreviations
        for n in (r["name"], *split_list(r.get("aliases", ""))):
            if n[:1].isupper():
                out.add(n)
    return out


def _trim(doc: Any, start: int, end: int) -> tuple[int, int]:
    while start < end and doc[start].lower_ in ("the", "a", "an"):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].lower_ in ("'s", "’s")):
        end -= 1
    return start, end


def _chars(doc: Any, s: int, e: int) -> tuple[int, int]:
    return doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)


def _comma_parts(doc: Any, s: int, e: int) -> list[tuple[int, int]]:
    """Character spans of the comma-separated parts of one entity ("Paris, Texas" -> "Paris", "Texas")."""
    parts, cur = [], s
    for i in range(s, e):
        if doc[i].text == ",":
            if cur < i:
                parts.append(_chars(doc, cur, i))
            cur = i + 1
    if cur < e:
        parts.append(_chars(doc, cur, e))
    return parts


# --- 2 and 3. candidates and disambiguation --------------------------------------------------------------
def dateline_place(gazetteer: Gazetteer, dateline: Optional[str]) -> Optional[GeoPlace]:
    """The place a dateline names: "SRINAGAR, India, April 7 (AFP)" -> Srinagar, India; "PARIS, Texas (AP)"
    -> Paris, Texas."""
    if not dateline:
        return None
    head = re.split(r"\(|—|–| - |\d", dateline, maxsplit=1)[0]
    parts = [p for p in _DATELINE_SPLIT.split(head.strip()) if p]
    if not parts:
        return None
    qualifier = gazetteer.qualifier(parts[1]) if len(parts) > 1 else None
    best, best_score = None, -math.inf
    for c in gazetteer.candidates(parts[0]):
        score = prior(c) + (QUALIFIER_BONUS if qualifier is not None and _inside(c.place, qualifier) else 0.0)
        if score > best_score:
            best, best_score = c.place, score
    return best if best_score >= MIN_SCORE else None


def contained_place(gazetteer: Gazetteer, name: str) -> tuple[Candidate, ...]:
    """For a name the gazetteer does not hold, the place named by a run of its capitalised words, longest
    first: "Colorado State University" -> Colorado, "Dubai World Cup" -> Dubai, "the US Federal Reserve" ->
    the US. Only a country, a region, a state or province, or a city of CONTAINED_MIN_POPULATION or more
    counts, by its name or demonym ("Camp David" is not David, Panama; "Russian Embassy" is Russia)."""
    words = name.split()
    if len(words) < 2:
        return ()
    for n in range(len(words) - 1, 0, -1):
        for i in range(len(words) - n + 1):
            run = words[i:i + n]
            if not all(w[:1].isupper() for w in run) or all(place_key(w) in GENERIC_WORDS for w in run):
                continue
            found = tuple(Candidate(c.place, "contained") for c in gazetteer.candidates(" ".join(run), fuzzy=False)
                          if c.match in ("name", "demonym")
                          and (c.place.feature in WIDE_FEATURES or c.place.population >= CONTAINED_MIN_POPULATION))
            if found:
                return found
    return ()


def prior(c: Candidate) -> float:
    p = c.place
    if p.feature in FEATURE_PRIOR:
        base = FEATURE_PRIOR[p.feature]
        if p.feature in SMALL_DIVISION_OFFSET and p.population > 0:  # a parish of 20,000 is no Texas
            base = min(base, math.log10(p.population + 10) + SMALL_DIVISION_OFFSET[p.feature])
    else:
        base = math.log10(p.population + 10) + (CAPITAL_BONUS if p.feature == "PPLC" else 0.0)
    return base + MATCH_PENALTY.get(c.match, -1.0)


def _inside(p: GeoPlace, q: GeoPlace) -> bool:
    """True if place ``p`` lies in ``q`` (a country, or a state or province)."""
    if p.id == q.id:
        return False
    if q.feature.startswith("PCL"):
        return p.country == q.country
    if q.feature == "ADM1" and q.admin1:
        return p.country == q.country and p.admin1 == q.admin1
    return False


def _km(a: GeoPlace, b: GeoPlace) -> float:
    if a.lat is None or b.lat is None or a.lon is None or b.lon is None:
        return math.inf
    return distance_km(a.lat, a.lon, b.lat, b.lon)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius 6371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def resolve_toponyms(gazetteer: Gazetteer, text: str, toponyms: Iterable[Toponym | tuple[int, int]],
                     dateline: Optional[GeoPlace] = None, countries: Iterable[str] = (),
                     focus: Optional[tuple[str, str]] = None) -> list[Optional[Place]]:
    """Each toponym of one article resolved to a Place (or None), all together: each one's context is the
    others. ``toponyms`` are Toponym records or (start, end) offsets into ``text``; ``countries`` are ISO
    alpha-2 codes the article is otherwise about (its actors'); ``dateline`` the place it was filed from;
    ``focus`` the (country, admin1) home of the article's source, if it has one (``SourceProfiles``)."""
    tops = [t if isinstance(t, Toponym) else Toponym(t[0], t[1], text[t[0]:t[1]]) for t in toponyms]
    for t in tops:
        head, _, rest = t.text.partition(",")  # one span for "Washington, D.C.": the head, qualified
        t.candidates = gazetteer.candidates(t.text) if not rest else ()
        if not t.candidates and rest:
            t.candidates = gazetteer.candidates(head)
        if not t.candidates and t.alias:
            t.candidates = gazetteer.candidates(t.alias)
        if not t.candidates:
            t.candidates = contained_place(gazetteer, t.text)
        after = ("," + rest) if rest.strip() else text[t.end:min(len(text), t.end + 60)]
        m = _QUALIFIER.match(after)
        if m and not _LIST_BEFORE.search(text, max(0, t.start - 40), t.start):
            words = m.group(1).split()
            for n in range(len(words), 0, -1):
                q = gazetteer.qualifier(" ".join(words[:n]))
                if q is not None and any(_inside(c.place, q) for c in t.candidates):
                    qualified = m.group(0)[: m.start(1) - m.start(0)] + " ".join(words[:n])
                    tail = after[after.find(qualified) + len(qualified):] if qualified in after else ""
                    if not _LIST_AFTER.match(tail):  # "Washington, New York and Boston" is a list
                        t.qualifier = q
                    break
        t.division = bool(_DIVISION_AFTER.match(text, t.end))
    keys = [place_key(t.text) for t in tops]
    actor_countries = set(countries)
    support = _mutual_support({k: t.candidates for t, k in zip(tops, keys)})
    # First pass: priors and qualifiers only. Second and third: with the others' resolutions as context.
    # A resolution is context when it is confident (CONFIDENT_MARGIN ahead of the runner-up); when it is not,
    # but every candidate near the top lies in one country (or one state), that country (or state) is context:
    # "Franklin County" is one of many, all in the US.
    chosen: dict[str, GeoPlace] = {}
    confident: dict[str, GeoPlace] = {}
    regional: dict[str, tuple[str, str]] = {}  # key -> (country, admin1 or '') its close candidates share
    for _ in range(3):
        new: dict[str, GeoPlace] = {}
        new_confident: dict[str, GeoPlace] = {}
        new_regional: dict[str, tuple[str, str]] = {}
        for key in dict.fromkeys(keys):
            group = [t for t, k in zip(tops, keys) if k == key]
            others = [p for k, p in confident.items() if k != key]
            inside = {p.country for p in others if p.country and not p.feature.startswith("PCL")}
            inside.update(c for k, (c, _) in regional.items() if k != key and k not in confident)
            named = {p.country for p in others if p.country and p.feature.startswith("PCL")} | actor_countries
            ctx_admin1 = {(p.country, p.admin1) for p in others if p.admin1 and p.feature not in ("PCLI",)}
            ctx_admin1.update(r for k, r in regional.items() if k != key and k not in confident and r[1])
            local = [p for p in others if p.feature in LOCAL_FEATURES or p.feature == "ADM1"]
            # One sense per key; surface forms of a key can differ in what they find ("N.J." by its full stops,
            # "NJ" nothing): the group takes the first form's candidates that finds any.
            cands = next((t.candidates for t in group if t.candidates), ())
            has_name = any(c.match == "name" for c in cands)
            q = next((t.qualifier for t in group if t.qualifier is not None), None)
            division = any(t.division for t in group)
            scored: list[tuple[float, Candidate]] = []
            for c in cands:
                p = c.place
                score = prior(c) + (ALTERNATE_BESIDE_NAME if has_name and c.match == "alternate" else 0.0)
                if q is not None and _inside(p, q):
                    score += QUALIFIER_BONUS
                if division and p.feature in ("ADM1", "ADM2"):
                    score += DIVISION_BONUS
                if focus is not None and p.feature in LOCAL_FEATURES and p.country == focus[0]:
                    # the source's home, as if named in the article, for its towns and counties only
                    # ("Dublin"): a national paper's focus must not pull a state or country ("Jerusalem")
                    if p.country not in inside:
                        score += COUNTRY_CONTEXT_BONUS
                    if p.admin1 == focus[1] and (p.country, p.admin1) not in ctx_admin1:
                        score += ADMIN1_CONTEXT_BONUS
                if p.country in inside:
                    score += COUNTRY_CONTEXT_BONUS
                elif p.country in named:
                    score += COUNTRY_MENTION_BONUS
                if p.admin1 and p.feature != "ADM1" and (p.country, p.admin1) in ctx_admin1:
                    score += ADMIN1_CONTEXT_BONUS
                if p.feature in LOCAL_FEATURES and any(_km(p, o) <= NEARBY_KM for o in local if o.id != p.id):
                    score += NEARBY_BONUS
                score += SUPPORT_BONUS * min(support.get((key, p.id), 0), SUPPORT_CAP)
                if dateline is not None:
                    if p.id == dateline.id:
                        score += DATELINE_PLACE_BONUS
                    elif p.country and p.country == dateline.country:
                        score += DATELINE_COUNTRY_BONUS
                scored.append((score, c))
            if not scored:
                continue
            best_score, best = max(scored, key=lambda sc: sc[0])  # the first of equals: candidates come ranked
            if best_score < MIN_SCORE:
                continue
            new[key] = best.place
            close = [c.place for sc, c in scored if c is not best and best_score - sc < CONFIDENT_MARGIN]
            if not close:
                new_confident[key] = best.place
            elif best.place.country and not best.place.feature.startswith("PCL") \
                    and all(p.country == best.place.country for p in close):
                same_state = best.place.admin1 and all(p.admin1 == best.place.admin1 for p in close)
                new_regional[key] = (best.place.country, best.place.admin1 if same_state else "")
        if new == chosen and new_confident == confident and new_regional == regional:
            break
        chosen, confident, regional = new, new_confident, new_regional
    out: list[Optional[Place]] = []
    for t, key in zip(tops, keys):
        p = chosen.get(key)
        out.append(None if p is None else Place(text=t.text, name=p.name, country=p.country, lat=p.lat, lon=p.lon,
                                                 geonameid=p.geonameid, feature=p.feature, start=t.start, end=t.end))
    return out


def _mutual_support(candidates: dict[str, tuple[Candidate, ...]]) -> dict[tuple[str, int], int]:
    """For each local candidate (a town, a county, a state) of each name: how many of the article's other
    names have a local candidate beside it (within NEARBY_KM, or a state that contains it, or a town in it).
    "Paris and Henry County": Paris, Tennessee has Henry County, Tennessee beside it; Paris, France has none.
    A name that is a country's or a region's own name (or demonym) neither gives nor takes support, and only
    places that bear the name as their own count: former names and other languages' forms (alternates) would
    let two obscure towns vouch for each other.
    Only the SUPPORT_CANDIDATES likeliest candidates of a name count (by prior), which bounds the work."""
    local: dict[str, list[GeoPlace]] = {}
    for key, cands in candidates.items():
        if any(c.match in ("name", "demonym") and c.place.feature in WIDE_FEATURES for c in cands):
            continue  # "China" beside Houston and Texas is still the country, not China, Texas
        top = sorted((c for c in cands if c.match == "name" and c.place.feature in LOCAL_FEATURES | {"ADM1"}),
                     key=prior, reverse=True)[:SUPPORT_CANDIDATES]
        if top:
            local[key] = [c.place for c in top]
    if len(local) < 2:
        return {}
    cells: dict[tuple[int, int], list[tuple[str, GeoPlace]]] = {}
    states: dict[tuple[str, str], set[str]] = {}  # a state -> the names with that state as a candidate
    towns: dict[tuple[str, str], set[str]] = {}  # a state -> the names with a town or county in it
    for key, ps in local.items():
        for p in ps:
            if p.feature == "ADM1":
                if p.country and p.admin1:
                    states.setdefault((p.country, p.admin1), set()).add(key)
                continue
            if p.country and p.admin1:
                towns.setdefault((p.country, p.admin1), set()).add(key)
            if p.lat is not None and p.lon is not None:
                cells.setdefault(_cell(p.lat, p.lon), []).append((key, p))
    out: dict[tuple[str, int], int] = {}
    for key, ps in local.items():
        for p in ps:
            near: set[str] = set()
            if p.feature == "ADM1":
                near = set(towns.get((p.country or "", p.admin1), ()))
            else:
                if p.country and p.admin1:
                    near |= states.get((p.country, p.admin1), set())
                if p.lat is not None and p.lon is not None:
                    ci, cj = _cell(p.lat, p.lon)
                    near |= {k for di in (-1, 0, 1) for dj in (-1, 0, 1) for k, q in cells.get((ci + di, cj + dj), ())
                             if k != key and q.id != p.id and _km(p, q) <= NEARBY_KM}
            near.discard(key)
            if near:
                out[(key, p.id)] = len(near)
    return out


def _cell(lat: float, lon: float) -> tuple[int, int]:
    """A grid cell about NEARBY_KM tall (1.5 degrees of latitude is ~167 km); columns narrow towards the poles,
    so a cell is at least as tall as NEARBY_KM and the 3x3 block around a point covers its neighbourhood
    up to ~60 degrees of latitude."""
    return (math.floor(lat / 1.5), math.floor(lon / 3.0))


# --- sources' home regions ------------------------------------------------------------------------------------
# A local paper's "Dublin" is the Dublin near it. A source's focus is the state or province (GeoNames admin1)
# that at least FOCUS_MIN_SHARE of its articles name a town, county or the state itself in, once it has
# FOCUS_MIN_ARTICLES articles; it then counts as context for the towns and counties named in every article of
# that source, as a place named in the article would (its country and its state); not for states and
# countries ("Jerusalem" in a paper whose articles dwell on Gaza is still the city). Capitals do not count
# towards a focus: a local paper's "Dublin" resolved to Ireland's capital must not make Ireland its home.
# Profiles are computed from resolved places (``newsevents sources --out FILE`` on a store) and given back
# explicitly (``--source-focus FILE``), so a run's result depends only on its inputs and that file.
FOCUS_MIN_ARTICLES = 3
FOCUS_MIN_SHARE = 0.3
FOCUS_FEATURES = {"PPL", "ADM2", "ADM1"}  # not capitals: a local paper's Dublin is not evidence for Ireland


@dataclass(frozen=True)
class SourceFocus:
    source: str
    country: str
    admin1: str
    articles: int  # the source's articles
    naming: int  # of them, those that name a place in that state


class SourceProfiles:
    """Counts, per source, the articles that name a place in each state; ``focus`` reads a source's focus."""

    def __init__(self, gazetteer: Gazetteer, min_articles: int = FOCUS_MIN_ARTICLES,
                 min_share: float = FOCUS_MIN_SHARE) -> None:
        self.gazetteer = gazetteer
        self.min_articles, self.min_share = min_articles, min_share
        self.articles: Counter[str] = Counter()
        self.states: dict[str, Counter[tuple[str, str]]] = {}

    def states_of(self, geonameids: Iterable[Optional[int]]) -> set[tuple[str, str]]:
        """The (country, admin1) states of the local places among ``geonameids``."""
        out = set()
        for gid in geonameids:
            p = self.gazetteer.get(gid) if gid else None
            if p is not None and p.country and p.admin1 and p.feature in FOCUS_FEATURES:
                out.add((p.country, p.admin1))
        return out

    def add(self, source: Optional[str], geonameids: Iterable[Optional[int]]) -> set[tuple[str, str]]:
        """Count one article of ``source``; its states (what ``focus(leave_out=...)`` takes back)."""
        states = self.states_of(geonameids)
        if source:
            self.articles[source] += 1
            self.states.setdefault(source, Counter()).update(states)
        return states

    def focus(self, source: Optional[str], leave_out: Optional[set[tuple[str, str]]] = None) -> Optional[SourceFocus]:
        """The source's focus, or None; ``leave_out``: one (added) article's states, to read the focus its
        source's other articles give (an evaluation without the article's own say)."""
        if not source or source not in self.states:
            return None
        left = leave_out or set()
        n = self.articles[source] - (0 if leave_out is None else 1)
        counts = Counter({k: v - (k in left) for k, v in self.states[source].items()})
        if n < self.min_articles or not counts:
            return None
        (country, admin1), naming = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if naming < max(1, self.min_share * n):
            return None
        return SourceFocus(source, country, admin1, n, naming)


FOCUS_COLUMNS = ("source", "country", "admin1", "articles", "naming")


def write_source_focus(path: Union[str, Path], foci: Iterable[SourceFocus]) -> int:
    """Write sources' foci as a TSV file (``FOCUS_COLUMNS``); the number of rows written."""
    rows = ["\t".join(FOCUS_COLUMNS)]
    rows += [f"{f.source}\t{f.country}\t{f.admin1}\t{f.articles}\t{f.naming}" for f in foci]
    Path(path).write_text("\n".join(rows) + "\n", encoding="utf-8")
    return len(rows) - 1


def read_source_focus(path: Union[str, Path]) -> dict[str, tuple[str, str]]:
    """A file written by ``write_source_focus``: source -> (country, admin1)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the source focus file ({exc})") from exc
    if not lines or tuple(lines[0].split("\t")) != FOCUS_COLUMNS:
        raise ConfigError(f"{path}: not a source focus file (its first line must be the header "
                          f"{' '.join(FOCUS_COLUMNS)!r}, tab-separated)")
    out = {}
    for n, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if not line.strip():
            continue
        if len(cells) != len(FOCUS_COLUMNS) or not cells[0] or len(cells[1]) != 2 or not cells[2]:
            raise ConfigError(f"{path}, line {n}: expected source, ISO country code, admin1 code, articles, naming")
        out[cells[0]] = (cells[1], cells[2])
    return out


# --- the event stage's hook ---------------------------------------------------------------------------------
def place_for_span(analysis: Analysis, start: int, end: int) -> Optional[Place]:
    """The place attached to the clause that contains ``text[start:end]``: a toponym governed by a locative
    preposition ("in", "at", "near"...; "to" after a verb of travel) whose phrase hangs from that clause's
    verb or its arguments, or from a clause joined to it by xcomp/conj ("expects to meet with Putin in Saudi
    Arabia"). None when the clause has none: the article's first toponym is not the event's place."""
    span = span_of(analysis, start, end) if analysis.locations else None
    if span is None:
        return None
    doc = analysis.doc
    verb = clause_verb(span.root)
    family = _clause_family(verb)
    best, best_dist = None, math.inf
    for place in analysis.locations:
        pspan = doc.char_span(place.start, place.end, alignment_mode="expand")
        if pspan is None:
            continue
        prep = _locative_prep(pspan.root)
        if prep is None:
            continue
        # The phrase hangs from the verb ("met in Riyadh"), from one of its arguments ("held talks in
        # Geneva", "protesters in Tbilisi clashed") or from the object of a preposition of the verb, where the
        # small model often attaches it ("meet with Putin in Riyadh"); not from deeper inside ("negotiations
        # for the war in Ukraine" places the war, not the negotiations).
        head = prep.head
        if not (head in family or (head.dep_ in ARGUMENTS and head.head in family)
                or (head.dep_ == "pobj" and head.head.head in family)):  # "meet [with Putin] in Riyadh"
            continue
        dist = abs(pspan.root.i - verb.i)
        if dist < best_dist:
            best, best_dist = place, dist
    return best


def _clause_family(verb: Any) -> set[Any]:
    """A clause's verb and the verbs joined to it by xcomp/conj, up and down ("expects to meet")."""
    family = {verb}
    top = verb
    while top.dep_ in CLAUSE_LINKS and top.head is not top:
        top = top.head
        family.add(top)
    stack = [top]
    while stack:
        v = stack.pop()
        for child in v.children:
            if child.dep_ in CLAUSE_LINKS and child.pos_ in ("VERB", "AUX") and child not in family:
                family.add(child)
                stack.append(child)
    return family


def _locative_prep(tok: Any) -> Any:
    """The locative preposition whose object phrase holds ``tok`` ("in [the Saudi capital] Riyadh"), or, for
    the object of "visit" ("visited Warsaw"), the object itself: the token whose head the place hangs from."""
    cur = tok
    for _ in range(6):
        head = cur.head
        if head is cur:
            return None
        if cur.dep_ == "pobj" and head.dep_ == "prep":
            word = head.lower_
            if word in LOCATIVE_PREPS:
                return head
            if word == "to" and clause_verb(head).lemma_ in TRAVEL_VERBS:
                return head
            return None
        if cur.dep_ == "dobj" and head.lemma_ == "visit":
            return cur
        if cur.dep_ not in ("compound", "appos", "conj", "nmod", "amod", "cc", "poss"):
            return None
        cur = head
    return None
