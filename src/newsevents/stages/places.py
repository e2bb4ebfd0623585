"""Places: toponyms resolved offline to GeoNames, and the place attached to a clause.

1. **Toponyms** are spaCy's GPE, LOC and FAC entities, the actors stage's place entities (which correct the
   small model: "Kyiv" tagged PERSON, "Saudia Arabia" known as Saudi Arabia) and the names of our region
   table ("Donbas", "the Baltic states", extending "Baltic" when the model stops short). Demonyms ("Russian")
   and institutions named after a building ("the White House", "the Kremlin") are not places here.
   Beside the model, the gazetteer finds the names of countries, states, capitals and cities of
   SCAN_MIN_POPULATION it missed (not a person's name, not one word opening a sentence; inside a longer name
   only a capital or a city of a million that an agreement or meeting is named after: "the Hanoi Action
   Plan"), the all-caps place opening a bulletin's line ("BAGHDAD: ...", "CRAWFORD, Texas: ..."), and the
   place a descriptor introduces ("the village of Kherbet Marka", "Kibera slums") at any size.
2. **Candidates** come from the gazetteer (``newsevents.gazetteer``): GeoNames names and alternate names, a
   name less a generic word ("Oaxaca State"), misspellings of large places ("Khatmandu").
3. **Disambiguation**, for all of an article's toponyms together: a prior from the kind of place and its
   population (a country before a town of the same name, Paris, France before Paris, Texas); a qualifier
   after a comma settles it ("Paris, Texas", "Prague, Okla."); then the article's other places and countries
   (their countries and states, and places near them; names whose candidates lie near each other), the
   countries of its actors, the dateline, and the home region of the article's source when one is given. A
   name keeps one sense within an article. In international copy (several countries named, no source
   focus) a capital or a large city is read before a small namesake with no local evidence ("Geneva",
   "Mecca" are not towns in the US because the article also names the US).
4. **Places the gazetteer lacks** ("MINA, Saudi Arabia", "the village of Kherbet Marka") take the country
   the text gives them, with no GeoNames id. Every place's ``basis`` says how it was found and why it won.

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
# International copy names this many countries (``resolve_toponyms``). There a town, or a county, is a small
# namesake when a place of the same name has NAMESAKE_RATIO times its people and NAMESAKE_MIN_POPULATION or
# more ("Geneva", New York: 13,000 beside Switzerland's 200,000); without local evidence it gains nothing from
# its country being named.
WORLD_MIN_COUNTRIES = 2
NAMESAKE_RATIO = 5.0
NAMESAKE_MIN_POPULATION = 100_000
LOCAL_FEATURES = {"PPL", "PPLC", "ADM2"}
MISLABELLED_MIN_POPULATION = 100_000
CONTAINED_MIN_POPULATION = 1_000_000  # a city or state named inside a longer name ("Dubai World Cup")
# Words that name no place inside a longer name ("West Wing", "South Kilburn Estate", "Nile Delta").
GENERIC_WORDS = NOT_TOPONYMS | GENERIC_NAMES | {"new", "old", "great", "little", "saint", "st", "mount", "lake",
                                                "county", "city", "town", "village", "district", "region",
                                                "province", "state", "township", "estate", "port", "fort", "wing"}

# --- recognition beside the model -------------------------------------------------------------------------
# The small model misses many world cities ("Abidjan", "Mogadishu", every all-caps bulletin dateline); the
# gazetteer looks for the names of countries, states and provinces, capitals, regions, and cities of
# SCAN_MIN_POPULATION or more (alternate names, such as "Mecca" for Makkah, of cities of
# SCAN_ALTERNATE_MIN_POPULATION). Measured on the AFP/Xinhua articles of ../shared: on the 48 annotated ones
# 15,000, 50,000 and 100,000 find the same listed places and 300,000 loses one; on 150 others, 15,000 adds 13
# places to 100,000's 14, nearly all people, words and football clubs ("Best", "Campbell", "March",
# "Chelsea"), 50,000 adds 4 of those. (``Gazetteer.prominent_names``)
SCAN_MIN_POPULATION = 100_000
SCAN_ALTERNATE_MIN_POPULATION = 500_000
SCAN_MAX_TOKENS = 6  # "Mazar - i - Sharif", "Bosnia and Herzegovina"
# A capital or a city this large is taken inside a longer name ("Hanoi Action Plan", "Busan roadmap"), and as
# one word opening a sentence; smaller names there are more often words ("Nice weather") or people.
MAJOR_POPULATION = 1_000_000
NAMED_AFTER_PLACE = {"plan", "protocol", "declaration", "accord", "accords", "agreement", "agreements", "roadmap",
                     "summit", "process", "round", "consensus", "conference", "charter", "convention", "treaty",
                     "talks", "goals", "framework", "initiative", "communique", "statement", "resolution",
                     "understanding", "pact", "agenda", "platform", "memorandum", "principles", "document"}
PERSON_TITLES = {"mr", "mrs", "ms", "miss", "dr", "prof", "president", "minister", "premier", "king", "queen",
                 "prince", "princess", "sheikh", "gen", "general", "col", "colonel", "sen", "senator", "rep", "gov",
                 "governor", "judge", "pope", "father", "sister", "brother", "lord", "lady", "sir", "dame",
                 "captain", "capt", "lt", "sgt", "coach", "chancellor", "ayatollah", "imam", "rabbi", "bishop"}
# The all-caps place that opens a line of a bulletin, with its state or country: "BAGHDAD: ...",
# "KUWAIT CITY: ...", "+ CRAWFORD, Texas: ...", "AMMAN (AFP) - ...".
_DATELINE_LINE = re.compile(r"(?m)^[ \t]*(?:[+*\u2022-][ \t]*)?([A-Z][A-Z'.-]+(?: [A-Z][A-Z'.-]*){0,3})"
                            r"(?:,[ \t]*([A-Z][\w.'’]*(?: [A-Z][\w.'’]*){0,2}))?[ \t]*(?::|\(|—|–| - )")
_WORD = r"[A-Z][\w-]*(?:['’][A-Z][\w-]*)?"
_NAME = (r"(?P<name>(?!(?:In|At|On|The|From|To|Of|And|But|For|By|With|As|An?|Near|Outside|Inside)\b)" + _WORD
         + r"(?:\s+(?:(?:de|del|des|da|do|dos|di|du|la|le|el|al|es|bin|ibn|i|of)\s+)?" + _WORD + r"){0,3})")
# A word for a place introducing its name: "the southern Albanian town of Gjirokaster", "the refugee camp of
# Balata", "Vietnam's capital Hanoi", "the port city of Busan".
_DESCRIPTOR = re.compile(r"\b(?:(?:town|city|village|camp|district|province|region|suburb|enclave|settlement|"
                         r"island|neighbou?rhood|slum|township|hamlet|resort|governorate|prefecture|county|"
                         r"municipality|outskirts|islands|state) of|capital(?: city)?(?: of)?|port(?: city)?"
                         r"(?: of)?)\s+" + _NAME)
# A lowercase word for a kind of place after a name: "Kibera slums", "Sumatra island", "Cronulla beach".
_PLACE_WORD_AFTER = re.compile(_NAME + r"\s+(?:slums?|(?:refugee )?camp|beach|(?:border )?crossing|islands?|"
                               r"district|province|region|valley|township|suburb|neighbou?rhood|village|"
                               r"town|governorate|prefecture|oblast)\b")
# A last word that makes a model's toponym a place ("Tiananmen Square"), and a locative preposition before one.
_PLACE_HEAD = re.compile(r"\b(?:Square|Island|Islands|Valley|Province|Region|District|Camp|Bay|Peninsula|Strait|"
                         r"Desert|Mountains|Hills|Beach|Crossing|Plateau|Coast|Oasis|Heights|Delta)$")
_NOT_NAMES = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
              "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
              "i", "we", "he", "she", "they", "it"}

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
    within: Optional[GeoPlace] = None  # a state or country after a comma that none of its candidates lies in
    found: str = ""  # how the name was found, for the place's basis ("all-caps dateline", "inside 'Hanoi Action Plan'")


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
        self._prominent: Optional[tuple[dict[str, tuple[str, int, bool]], set[str]]] = None
        self._vocab: Any = None
        not_places = {place_key(n): all(e.kind == "metonym" for e in es) for n, es in self.kn.names.items()
                      if es and all(e.type in ("NORP", "ORG") or e.kind == "organisation" for e in es)}
        self._not_places = {k for k, metonym in not_places.items() if not metonym}
        # A city the actor knowledge reads as its government ("The Hague", "Abidjan": NLDGOV, CIVGOV) is still
        # a place, where the gazetteer knows a capital or a large city by that name ("the Kremlin" is not).
        self._metonyms = {k for k, metonym in not_places.items() if metonym}

    def _not_place(self, key: str) -> bool:
        if key in self._not_places:
            return True
        if key in self._metonyms:
            if not any(c.match == "name" and (c.place.feature == "PPLC" or c.place.population >= MISLABELLED_MIN_POPULATION)
                       for c in self.gazetteer.lookup(key)):
                self._not_places.add(key)
                return True
            self._metonyms.discard(key)
        return False

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
        parties = [self.kn.countries[e.country].iso2 for e in analysis.entities
                   if e.country in self.kn.countries and e.type not in ("GPE", "LOC", "FAC")]
        resolved = resolve_toponyms(self.gazetteer, art.text, toponyms, dateline, countries, focus, parties)
        return tuple(p for p in self._unlisted(analysis, toponyms, resolved, dateline) if p)

    def _unlisted(self, analysis: Analysis, toponyms: list[Toponym], resolved: list[Optional[Place]],
                  dateline: Optional[GeoPlace]) -> list[Optional[Place]]:
        """Places the gazetteer does not hold, or holds only elsewhere ("MINA, Saudi Arabia", where the
        gazetteer's Minas are in Mexico and Nigeria), placed in a country when the text says they are places
        (a descriptor: "the village of Kherbet Marka"; a place word: "Kibera slums", "Tiananmen Square"; a
        locative preposition: "near Sperwan Ghar"; a state or country after a comma) and says where: the
        country or state after the comma; else a country, or its people, named just before ("the southern
        Israeli city of", "Vietnam's capital"); else the nearest place resolved in the same sentence; else the
        dateline's country. The place has the text's name, the country, and no GeoNames id or point."""
        text = analysis.article.text
        out = list(resolved)
        by_key: dict[str, Place] = {}
        for i, (t, p) in enumerate(zip(toponyms, resolved)):
            if t.within is not None and (p is None or not (p.country == t.within.country and (
                    t.within.feature.startswith("PCL") or p.geonameid is None
                    or getattr(self.gazetteer.get(p.geonameid), "admin1", None) == t.within.admin1))):
                country, why = t.within.country, f"in {t.within.name}, after a comma"
            elif p is None and self._says_place(t):
                country, why = self._country_near(analysis, t, resolved, dateline)
            else:
                continue
            if not country:
                continue
            out[i] = Place(text=t.text, name=t.text, country=country, lat=None, lon=None, geonameid=None, feature=None,
                           start=t.start, end=t.end, basis="; ".join(x for x in (t.found, "not in the gazetteer", why) if x))
            by_key[place_key(t.text)] = out[i]  # type: ignore[assignment]
        for i, t in enumerate(toponyms):  # one sense per name: the other mentions follow
            q = by_key.get(place_key(t.text))
            if q is not None and (out[i] is None or out[i].geonameid is not None) and (t.start, t.end) != (q.start, q.end):
                out[i] = replace(q, text=t.text, start=t.start, end=t.end)
        return out

    @staticmethod
    def _says_place(t: Toponym) -> bool:
        if any(w in t.found for w in ("descriptor", "place word", "all-caps dateline")):
            return True
        return t.found.startswith("model") and bool(_PLACE_HEAD.search(t.text))

    def _country_near(self, analysis: Analysis, t: Toponym, resolved: list[Optional[Place]],
                      dateline: Optional[GeoPlace]) -> tuple[Optional[str], str]:
        text = analysis.article.text
        sent_start = max(text.rfind(". ", 0, t.start), text.rfind("\n", 0, t.start)) + 1
        sent_end = min((x for x in (text.find(". ", t.end), text.find("\n", t.end)) if x >= 0), default=len(text))
        for w in _descriptor_words(analysis.doc, t):
            for c in self.gazetteer.candidates(w, fuzzy=False):
                if c.place.feature.startswith("PCL") and c.match in ("name", "demonym"):
                    return c.place.country, f"the country its descriptor names ({w})"
        near = [(p.feature is None or p.feature in WIDE_FEATURES, abs(p.start - t.start), p) for p in resolved
                if p is not None and p.country and sent_start <= p.start < sent_end and p.start != t.start]
        if near:  # the nearest town or state before the nearest country
            p = min(near, key=lambda wdp: wdp[:2])[2]
            return p.country, f"beside {p.text} in the same sentence"
        if dateline is not None and dateline.country:
            return dateline.country, f"the dateline's country ({dateline.name})"
        return None, ""

    # --- 1. toponyms ----------------------------------------------------------------------------------
    def toponyms(self, analysis: Analysis) -> list[Toponym]:
        doc, text = analysis.doc, analysis.article.text
        spans: dict[tuple[int, int], Optional[str]] = {}
        found: dict[tuple[int, int], str] = {}
        for ent in doc.ents:
            if ent.label_ in TOPONYM_LABELS or (ent.label_ in ("ORG", "PERSON") and self._mislabelled(ent)):
                s, e = _trim(doc, ent.start, ent.end)
                if s < e:
                    key = self._extend(doc, s, e)
                    spans.setdefault(key, None)
                    found.setdefault(key, f"model {ent.label_}")
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
                        found.setdefault(key, "actor knowledge")
        for _, s, e in self._matcher_for(doc)(doc):
            spans.setdefault((s, e), None)
            found.setdefault((s, e), "region table")
        for key, how in self._gazetteer_spans(doc, text).items():
            spans.setdefault(key, None)
            if key not in found:
                found[key] = how
            elif how != "gazetteer":  # what says the model's toponym is a place: "model GPE, place word ..."
                found[key] = f"{found[key]}, {how}"
        out: list[Toponym] = []
        taken: set[int] = set()
        for (s, e), alias in sorted(spans.items(), key=lambda kv: (-(kv[0][1] - kv[0][0]), kv[0][0])):
            if any(i in taken for i in range(s, e)):
                continue
            taken.update(range(s, e))
            for start, end in _comma_parts(doc, s, e):
                piece = text[start:end]
                if self._not_place(place_key(piece)) or place_key(piece) in NOT_TOPONYMS:
                    continue
                out.append(Toponym(start, end, piece, alias if (start, end) == _chars(doc, s, e) else None,
                                   found=found.get((s, e), "")))
        out.sort(key=lambda t: t.start)
        return out

    def _prominent_table(self) -> tuple[dict[str, tuple[str, int, bool]], set[str]]:
        if self._prominent is None:
            table = {k: v for k, v in self.gazetteer.prominent_names(SCAN_MIN_POPULATION,
                                                                      SCAN_ALTERNATE_MIN_POPULATION).items()
                     if not self._not_place(k) and k not in GENERIC_WORDS and len(k) > 2}
            self._prominent = (table, {k.split(" ", 1)[0] for k in table})
        return self._prominent

    def _gazetteer_spans(self, doc: Any, text: str) -> dict[tuple[int, int], str]:
        """Names the model missed, found by the gazetteer: (token start, end) -> how.

        - a name of ``Gazetteer.prominent_names`` (a country, a state or province, a capital, a city of
          SCAN_MIN_POPULATION or more) written as a proper noun, unless it is part of a person's name, a
          single word opening a sentence or a title-case headline ("Nice weather", "Reading the report"), or
          part of a longer name ("Paris Hilton"; "Hanoi Action Plan" is taken for a capital or a city of
          MAJOR_POPULATION, as a name inside a name);
        - the all-caps place that opens a line of a bulletin ("BAGHDAD: ...", "CRAWFORD, Texas: ..."): any
          place the gazetteer holds when a state or country follows it, else a prominent name;
        - the place a descriptor introduces ("the southern Albanian town of Gjirokaster", "Vietnam's capital
          Hanoi") or a lowercase place word follows ("Kibera slums", "Sumatra island"), at any population."""
        table, first_words = self._prominent_table()
        n = len(doc)
        ent_of: dict[int, Any] = {}
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                ent_of[i] = ent
        out: dict[tuple[int, int], str] = {}
        i = 0
        while i < n:
            tok = doc[i]
            if not tok.text[:1].isupper() or place_key(tok.text) not in first_words:
                i += 1
                continue
            for e in range(min(n, i + SCAN_MAX_TOKENS), i, -1):
                if not doc[e - 1].text[:1].isupper():
                    continue
                hit = table.get(place_key(doc[i:e].text))
                if hit is None:
                    continue
                how = self._plausible(doc, text, i, e, hit, ent_of)
                if how:
                    out[(i, e)] = how
                    i = e - 1
                break
            i += 1
        for m in _DATELINE_LINE.finditer(text):  # "KUWAIT CITY: ...", "CRAWFORD, Texas: ..."
            span = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
            if span is None or (span.start, span.end) in out:
                continue
            qualified = m.group(2) and self.gazetteer.qualifier(m.group(2).strip()) is not None
            if qualified or place_key(m.group(1)) in table:
                out[(span.start, span.end)] = "all-caps dateline"
        for pattern, how in ((_DESCRIPTOR, "descriptor"), (_PLACE_WORD_AFTER, "place word")):
            for m in pattern.finditer(text):
                span = doc.char_span(m.start("name"), m.end("name"), alignment_mode="expand")
                while span is not None and len(span) > 1 and span[-1].lower_ in _NOT_NAMES:
                    span = span[:-1]  # "the city of Mazar-i-Sharif Wednesday"
                if span is None:
                    continue
                if any(ent_of.get(j) is not None and ent_of[j].label_ in ("DATE", "TIME")
                       for j in range(span.start, span.end)):
                    continue
                key = place_key(span.text)
                if re.search(r"-[a-z]{4,}", span.text):  # "UN-administered province", "Hamas-run town"
                    continue
                if self._not_place(key) or key in GENERIC_WORDS or key.split(" ", 1)[0] in _NOT_NAMES:
                    continue
                out.setdefault((span.start, span.end), f"{how} {m.group(0).strip()!r}")
        return out

    def _plausible(self, doc: Any, text: str, s: int, e: int, hit: tuple[str, int, bool],
                   ent_of: dict[int, Any]) -> str:
        """How a prominent name found in the text is taken ('' if it is not: see ``_gazetteer_spans``)."""
        feature, population, alternate = hit
        major = feature in ("PCLI", "PPLC") or population >= MAJOR_POPULATION
        words = doc[s:e]
        if alternate and not (s > 0 and doc[s - 1].lower_ in LOCATIVE_PREPS | {"to", "from", "into"}):
            return ""  # other names collide with people's and words ("Soul" for Seoul): only "near Mecca"
        if words.text.isupper() and len(words.text) > 3:
            return ""  # all caps outside a dateline line: a slug ("US-IRAQ-BUSH") or a shouted headline
        if not any(t.pos_ == "PROPN" for t in words):
            return ""
        ents = {ent_of[j] for j in range(s, e) if j in ent_of}
        if any(x.label_ in ("PERSON", "NORP") for x in ents):
            # the small model calls some capitals people ("the Busan roadmap"); a name that is also a given
            # name ("Jordan", "Florence") is left to it
            x = next(iter(ents))
            if not (len(ents) == 1 and (x.start, x.end) == (s, e) and x.label_ == "PERSON" and major
                    and place_key(x.text) not in self.kn.first_names and not self.kn.names.get(norm(x.text))):
                return ""
            ents = set()
        if s > 0 and doc[s - 1].lower_.rstrip(".") in PERSON_TITLES:
            return ""
        if e - s == 1 and not major and (doc[s].is_sent_start or _title_case_line(text, doc[s].idx)):
            return ""
        outer = next((x for x in ents if (x.start, x.end) != (s, e)), None)
        if outer is None:  # a longer run of proper nouns around it is a longer name the model did not tag
            a, b = s, e
            while a > 0 and doc[a - 1].pos_ == "PROPN" and doc[a - 1].text[:1].isupper():
                a -= 1
            while b < len(doc) and doc[b].pos_ == "PROPN" and doc[b].text[:1].isupper():
                b += 1
            if (a, b) != (s, e):
                outer = doc[a:b]
        if outer is not None and getattr(outer, "label_", "") not in TOPONYM_LABELS:
            # a name inside a name: the place an agreement or a meeting is named after ("the Hanoi Action
            # Plan", "the Kyoto Protocol"), not a company, a team or a newspaper ("Kenya Airways")
            if alternate or not major or doc[outer.end - 1].lower_ not in NAMED_AFTER_PLACE:
                return ""
            return f"inside {outer.text!r}"
        return "gazetteer"

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


def _descriptor_words(doc: Any, t: Toponym) -> list[str]:
    """The modifiers of the word that introduces a toponym: "Albanian" in "the southern Albanian town of
    Gjirokaster", "Vietnam" in "Vietnam's capital Haoni"."""
    span = doc.char_span(t.start, t.end, alignment_mode="expand")
    if span is None:
        return []
    root = span.root
    noun = root.head.head if root.dep_ == "pobj" and root.head.lower_ == "of" else root.head
    if noun is root or noun.pos_ not in ("NOUN", "PROPN") or noun.i >= span.start and noun.i < span.end:
        return []
    return [c.text for c in noun.lefts if c.dep_ in ("amod", "compound", "poss", "nmod") and c.text[:1].isupper()]


def _title_case_line(text: str, at: int) -> bool:
    """True if the line holding ``text[at]`` is a title-case headline ("Nice Weather Greets Reading Fans")."""
    a, b = text.rfind("\n", 0, at) + 1, text.find("\n", at)
    words = [w for w in text[a:b if b >= 0 else len(text)].split() if len(w) > 3 and w[:1].isalpha()]
    return len(words) >= 3 and sum(w[:1].isupper() for w in words) >= 0.8 * len(words)


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
def dateline_parts(dateline: Optional[str]) -> list[str]:
    """A dateline's place and its qualifiers, before the date and agency: "SRINAGAR, India, April 7 (AFP)" ->
    ["SRINAGAR", "India"]."""
    head = re.split(r"\(|—|–| - |\d", dateline or "", maxsplit=1)[0]
    return [p for p in _DATELINE_SPLIT.split(head.strip()) if p]


def dateline_place(gazetteer: Gazetteer, dateline: Optional[str]) -> Optional[GeoPlace]:
    """The place a dateline names: "SRINAGAR, India, April 7 (AFP)" -> Srinagar, India; "PARIS, Texas (AP)"
    -> Paris, Texas."""
    parts = dateline_parts(dateline)
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
                     focus: Optional[tuple[str, str]] = None,
                     party_countries: Optional[Iterable[str]] = None) -> list[Optional[Place]]:
    """Each toponym of one article resolved to a Place (or None), all together: each one's context is the
    others. ``toponyms`` are Toponym records or (start, end) offsets into ``text``; ``countries`` are ISO
    alpha-2 codes the article is otherwise about (its actors'); ``dateline`` the place it was filed from;
    ``focus`` the (country, admin1) home of the article's source, if it has one (``SourceProfiles``);
    ``party_countries`` the countries of its people and organisations only (not of its place names, which
    the actors stage also gives countries: "Geneva" CHE), for telling international copy; ``countries`` when
    not given."""
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
                if q is not None and t.found == "all-caps dateline" and m.end() < len(after) \
                        and after[m.end():m.end() + 1] in ":(" and not any(_inside(c.place, q) for c in t.candidates):
                    t.within = q  # "MINA, Saudi Arabia:": the bulletin's place, which the gazetteer lacks
                    break
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
    # International copy: no source focus, and several countries named (by their names, or as the actors'
    # countries). There a capital or a large city is read before a small namesake that has no local evidence
    # of its own (its state, a town near it, a qualifier, the dateline): that the article also names the
    # namesake's country ("the US", "New York") is no such evidence.
    named_countries = {t.candidates[0].place.country for t in tops
                       if t.candidates and t.candidates[0].place.feature.startswith("PCL")
                       and t.candidates[0].match in ("name", "demonym")}
    parties = actor_countries if party_countries is None else set(party_countries)
    world = focus is None and len((named_countries | parties) - {None}) >= WORLD_MIN_COUNTRIES
    # First pass: priors and qualifiers only. Second and third: with the others' resolutions as context.
    # A resolution is context when it is confident (CONFIDENT_MARGIN ahead of the runner-up); when it is not,
    # but every candidate near the top lies in one country (or one state), that country (or state) is context:
    # "Franklin County" is one of many, all in the US.
    chosen: dict[str, GeoPlace] = {}
    confident: dict[str, GeoPlace] = {}
    regional: dict[str, tuple[str, str]] = {}  # key -> (country, admin1 or '') its close candidates share
    why: dict[str, list[str]] = {}
    for _ in range(3):
        new: dict[str, GeoPlace] = {}
        new_confident: dict[str, GeoPlace] = {}
        new_regional: dict[str, tuple[str, str]] = {}
        new_why: dict[str, list[str]] = {}
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
            # A name only small places bear as their own: in international copy a large city's other name
            # ("Mecca" for Makkah beside Mecca, California) is not discounted.
            small_names = all(c.place.feature in LOCAL_FEATURES and c.place.feature != "PPLC"
                              and c.place.population < NAMESAKE_MIN_POPULATION for c in cands if c.match == "name")
            q = next((t.qualifier for t in group if t.qualifier is not None), None)
            division = any(t.division for t in group)
            # the largest town of the name: by its own name, or a large city's other name ("Mecca")
            largest = max((c.place.population for c in cands if c.place.feature in LOCAL_FEATURES and (
                c.match == "name" or (c.match == "alternate" and small_names and _major(c.place)))), default=0)
            context_countries = inside | named | ({dateline.country} if dateline is not None else set())
            scored: list[tuple[float, Candidate, list[str]]] = []
            for c in cands:
                p = c.place
                if c.match == "fuzzy" and p.country not in context_countries and not _major(p):
                    continue  # "Kibera" is not Kibara, Tanzania in a story about Kenya
                reasons = [_kind_of(c)]
                score = prior(c)
                if has_name and c.match == "alternate" and not (world and small_names and _major(p)):
                    score += ALTERNATE_BESIDE_NAME
                local_evidence = False
                if q is not None and _inside(p, q):
                    score += QUALIFIER_BONUS
                    reasons.append(f"qualified by {q.name}")
                    local_evidence = True
                if division and p.feature in ("ADM1", "ADM2"):
                    score += DIVISION_BONUS
                    reasons.append("followed by a word for a division")
                if focus is not None and p.feature in LOCAL_FEATURES and p.country == focus[0]:
                    # the source's home, as if named in the article, for its towns and counties only
                    # ("Dublin"): a national paper's focus must not pull a state or country ("Jerusalem")
                    if p.country not in inside:
                        score += COUNTRY_CONTEXT_BONUS
                    if p.admin1 == focus[1] and (p.country, p.admin1) not in ctx_admin1:
                        score += ADMIN1_CONTEXT_BONUS
                    reasons.append("the source's home region")
                    local_evidence = True
                if p.admin1 and p.feature != "ADM1" and (p.country, p.admin1) in ctx_admin1:
                    score += ADMIN1_CONTEXT_BONUS
                    reasons.append("its state or province is named")
                    local_evidence = True
                if p.feature in LOCAL_FEATURES and any(_km(p, o) <= NEARBY_KM for o in local if o.id != p.id):
                    score += NEARBY_BONUS
                    reasons.append("near other places named")
                    local_evidence = True
                # In international copy two namesakes vouch for each other too easily (Geneva and Washington,
                # both in Washington state): mutual support is for local news.
                near = 0 if world else min(support.get((key, p.id), 0), SUPPORT_CAP)
                if near:
                    score += SUPPORT_BONUS * near
                    local_evidence = True
                if dateline is not None:
                    if p.id == dateline.id:
                        score += DATELINE_PLACE_BONUS
                        reasons.append("the dateline")
                        local_evidence = True
                    elif p.country and p.country == dateline.country:
                        score += DATELINE_COUNTRY_BONUS
                        reasons.append("the dateline's country")
                        local_evidence = True
                namesake = (world and p.feature in ("PPL", "ADM2") and not local_evidence
                            and p.population < NAMESAKE_MIN_POPULATION <= largest
                            and largest >= NAMESAKE_RATIO * max(p.population, 1))
                if namesake:
                    reasons.append("international copy: a small namesake")
                elif p.country in inside:
                    score += COUNTRY_CONTEXT_BONUS
                    reasons.append("other places in its country are named")
                elif p.country in named:
                    score += COUNTRY_MENTION_BONUS
                    reasons.append("its country is named")
                scored.append((score, c, reasons))
            if not scored:
                continue
            best_score, best, best_reasons = max(scored, key=lambda sc: sc[0])  # the first of equals: ranked
            if best_score < MIN_SCORE:
                continue
            new[key] = best.place
            new_why[key] = best_reasons
            close = [c.place for sc, c, _ in scored if c is not best and best_score - sc < CONFIDENT_MARGIN]
            if not close:
                new_confident[key] = best.place
            elif best.place.country and not best.place.feature.startswith("PCL") \
                    and all(p.country == best.place.country for p in close):
                same_state = best.place.admin1 and all(p.admin1 == best.place.admin1 for p in close)
                new_regional[key] = (best.place.country, best.place.admin1 if same_state else "")
        why = new_why
        if new == chosen and new_confident == confident and new_regional == regional:
            break
        chosen, confident, regional = new, new_confident, new_regional
    out: list[Optional[Place]] = []
    for t, key in zip(tops, keys):
        p = chosen.get(key)
        if p is None:
            out.append(None)
            continue
        basis = "; ".join(([t.found] if t.found else []) + why.get(key, []))
        out.append(Place(text=t.text, name=p.name, country=p.country, lat=p.lat, lon=p.lon, geonameid=p.geonameid,
                         feature=p.feature, start=t.start, end=t.end, basis=basis))
    return out


def _major(p: GeoPlace) -> bool:
    """A country, a region, a capital or a city of MAJOR_POPULATION or more."""
    return p.feature in WIDE_FEATURES or p.feature == "PPLC" or p.population >= MAJOR_POPULATION


def _kind_of(c: Candidate) -> str:
    """What the candidate is, for its basis: "capital, population 2,587,183", "country", "misspelling of..."."""
    p = c.place
    kind = {"PPLC": "capital", "PPL": "city", "ADM1": "state or province", "ADM2": "county or district",
            "CONT": "continent"}.get(p.feature) or ("country" if p.feature.startswith("PCL") else "region")
    text = f"{kind}, population {p.population:,}" if p.population and p.feature in LOCAL_FEATURES else kind
    if c.match != "name":
        text += f" ({'misspelling' if c.match == 'fuzzy' else c.match} of {p.name})"
    return text


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
    while top.dep_ in CLAUSE_LINKS and top.head.i != top.i:
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
        if head.i == cur.i:
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
