"""Actors: one actor per real-world referent of the article, resolved to a canonical name, a country or an
organisation's CAMEO code, a sector, and how that was decided (``Entity.basis``: knowledge, context, inferred).

From the parse (``Analysis.doc``), the article's dateline and the project's knowledge (``newsevents.knowledge``):

1. **Mentions.** spaCy's named entities, corrected and completed by a phrase matcher over the knowledge's
   names. Each name resolves at the article's date: listed people by their dates of office (also under a title
   or a near spelling), countries, demonyms, organisations, seats of power ("the Kremlin" -> RUSGOV), places the
   knowledge lacks (a town is its country). A name the article itself gave in full decides who a surname or
   part of it is, over any listed person. A name many countries' institutions share ("Congress") takes the
   country the text gives it.
2. **Context** for everyone the knowledge lacks: titles, appositions, possessives, "of" phrases and the
   organisation a person is introduced with ("IMF chief economist Paula Grant" -> the IMF's code).
3. **Clusters**: mentions of one referent joined into one entity (surnames and name parts to the full name).
4. **Role phrases and groups** ("the prime minister", "the head of the IMF", "Russian troops", "police"): the
   person the article gave that role, an office holder at that date, or a group of the country the phrase,
   its sentence or the article's dateline gives (the last two marked inferred).
5. **Coreference by salience** (Lappin and Leass's ordering: subjects and speakers over objects, recent
   sentences over older ones, quotations not counted as distance): he/she, it/its, they/their and pairs,
   descriptions ("the 67-year-old"), documents as speakers ("the statement said" -> its issuer), "the two
   countries".
6. **What is left**: people with a title and organisations whose name holds a country take the country of
   their sentence or the article (inferred).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Optional, Sequence

from ..knowledge import ActorEntry, ActorKnowledge, default_knowledge, norm, surname_keys
from ..records import Actor, Analysis, Entity, Mention

NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}
# How many sentences back a pronoun looks for the actor it refers to (sentences wholly inside quotation
# marks do not count: a long quote between "Peskov said" and "he added" does not break the chain).
PRONOUN_WINDOW = 4
# Salience of an antecedent mention by its grammatical role (Lappin and Leass's ordering: subjects over
# objects over the rest), halved for every sentence back. A speaker (subject of a reporting verb) is the
# likeliest referent of the next "he said".
SALIENCE_SUBJECT, SALIENCE_SPEAKER, SALIENCE_OBJECT, SALIENCE_OTHER = 1.0, 1.3, 0.6, 0.4
# Kept per sentence back. Chosen on hand-written cases: at 0.5 a speaker two sentences back outweighed the
# subject of the pronoun's own sentence ("X said … Y toned down his remarks": his = Y); 0.35 does not.
SALIENCE_DECAY = 0.35
# How far back a sentence that is mostly quotation counts: a long quote between "Peskov said" and "he added"
# must not break the chain, but the sentences of the quote are not nothing either.
QUOTED_SENTENCE = 0.3
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
# A dateline at the start of a text: a place in capitals, an optional ", Country" and "(Agency)", then a
# colon or a dash.
DATELINE_OPENING = re.compile(r"\s*[A-Z][A-Z .'-]{1,30}[A-Z](?:,\s*[A-Z][\w .'-]{1,30})?(?:\s*\([^)]{1,30}\))?\s*(?::|--|—|–|-)\s")
OBJECT_DEPS = {"dobj", "dative", "appos", "attr"}
# difflib ratio above which an unknown place name is taken as a misspelling of a known one ("Saudia Arabia").
FUZZY_RATIO = 0.9
# difflib ratio for a misspelt surname after a head-of-state or government title ("President Bouteflicka",
# "Mitterand", "Gbago"): 0.8 lets one dropped or doubled letter in a name of five letters or more through.
SURNAME_RATIO = 0.8
# Words before a name that are titles, not part of it (besides the role nouns of roles.tsv).
# Adjectives that take an actor as subject: "it is willing to withdraw" (an institution), unlike "it is likely".
DISPOSED = {"willing", "ready", "prepared", "determined", "eager", "keen", "committed", "unwilling", "reluctant",
            "able", "unable", "open", "opposed", "happy"}
# Prepositions of where something happened ("in Nairobi"): not whom it was done to. The event coder uses them too.
LOCATIVE_PREPS = frozenset({"in", "at", "near", "inside", "outside", "across", "around", "throughout"})
# A town abroad is checked against the countries an article names only in an article of this many sentences:
# a lone sentence gives no context.
MIN_SENTENCES_TO_CHECK_PLACES = 3
LESSER_TITLES = {"vice", "vice-president", "deputy", "assistant", "under", "junior", "vice-chairman", "deputy-chairman"}
TITLE_WORDS = {"president", "vice-president", "vice", "prime", "deputy", "acting", "former", "mr", "mrs", "ms",
               "dr", "judge", "justice", "archbishop", "bishop", "cardinal", "pope", "maulana", "sheikh", "imam",
               "ayatollah", "lt", "gen", "general", "col", "colonel", "maj", "major", "capt", "captain", "sgt",
               "adm", "admiral", "marshal", "king", "queen", "prince", "princess", "emir", "sultan", "sir", "lord",
               "senator", "sen", "rep", "governor", "gov", "mayor", "chancellor", "premier", "federal", "interior",
               "foreign", "defence", "defense", "finance", "minister", "secretary", "for", "of", "the"}

# Which role nouns name which office, to find "the U.S. president" among the office holders.
OFFICE_OF_ROLE = {
    "president": ("head_of_state",),
    "prime minister": ("head_of_government",),
    "premier": ("head_of_government",),
    "chancellor": ("head_of_government",),
    "foreign minister": ("foreign_minister",),
    "foreign secretary": ("foreign_minister",),
    "secretary of state": ("foreign_minister",),
    "defence minister": ("defence_minister",),
    "defense minister": ("defence_minister",),
    "defense secretary": ("defence_minister",),
    "defence secretary": ("defence_minister",),
    "spokesman": ("spokesperson",),
    "spokeswoman": ("spokesperson",),
    "spokesperson": ("spokesperson",),
    "king": ("head_of_state",),
    "queen": ("head_of_state",),
    "emir": ("head_of_state",),
}
FEMALE_WORDS = {"ms", "ms.", "mrs", "mrs.", "miss", "madam", "spokeswoman", "chairwoman", "congresswoman",
                "queen", "princess", "businesswoman", "policewoman", "she", "her", "lady", "dame"}
MALE_WORDS = {"mr", "mr.", "spokesman", "chairman", "congressman", "king", "prince", "businessman",
              "policeman", "he", "him", "his", "sir", "lord"}
# Role nouns that name a person: a name they modify is a PERSON whatever label the small model gave it
# ("Kremlin spokesman [Pavel Orlov]" tagged ORG).
PERSON_ROLE = re.compile(r"(?:^|\s)(?:\w+man|\w+woman|\w*person|president|minister|secretary|premier|chancellor|"
                         r"official|ambassador|envoy|diplomat|leader|chief|commander|general|admiral|colonel|"
                         r"governor|mayor|senator|lawmaker|king|queen|prince|emir|sultan|adviser|advisor|aide|"
                         r"judge|prosecutor|negotiator)$")
# When mentions of one actor carry different labels, the entity takes the first of these.
LABEL_RANK = {"PERSON": 0, "GPE": 1, "ORG": 2, "FAC": 3, "LOC": 4, "NORP": 5}
# Modifiers that say a group is not one country's: such a group takes no country from its sentence or dateline.
NOT_NATIONAL = {"western", "foreign", "international", "world", "global", "regional", "arab", "european", "african",
                "asian", "allied", "multinational", "other", "neighbouring", "neighboring", "donor", "member"}
# Sectors whose singular role nouns are people ("the militant", "a man"), never "it".
PERSON_SECTORS = {"CVL", "REB", "CRM", "UAF", "REF"}
PAIR_PERSON_NOUNS = {"leaders", "men", "women", "presidents", "ministers", "sides", "officials"}
PAIR_STATE_NOUNS = {"countries", "nations", "states", "governments", "sides", "neighbours", "neighbors", "powers"}
# Roles of the knowledge's office holders as the words news uses for them ("the prime minister" is the
# head_of_government the article named).
ROLE_WORDS_OF_OFFICE: dict[str, set[str]] = {}
for _word, _offices in OFFICE_OF_ROLE.items():
    for _office in _offices:
        ROLE_WORDS_OF_OFFICE.setdefault(_office, set()).add(_word)
# Nouns for what an actor issues: as the subject of a reporting verb ("the statement said") they stand for
# whoever issued them.
DOCUMENT_NOUNS = {"statement", "report", "resolution", "communique", "communiqué", "declaration", "announcement",
                  "release", "letter", "message", "notice", "bulletin", "decree", "memo", "memorandum", "note"}
# A definite description of a person without a role: "the 67-year-old", "the veteran".
AGE_DESCRIPTION = re.compile(r"^\d+-year-old$")
PERSON_DESCRIPTIONS = {"veteran", "latter"}
# Nouns that, as "the X said", stand for no one the article named: sources, studies, polls.
ANONYMOUS_NOUNS = {"source", "study", "survey", "poll", "count", "tally", "agency", "paper", "newspaper", "daily",
                   "channel", "website", "radio", "television", "broadcaster", "network", "spokesman", "spokeswoman",
                   "spokesperson", "group", "organisation", "organization", "company", "firm", "court", "committee",
                   "council", "panel", "commission", "body", "office", "embassy", "team", "club", "ministry", "side",
                   "statement", "report", "letter", "document", "minute", "text", "book", "article", "film",
                   "agreement", "accord", "deal", "treaty", "plan", "law", "bill", "ruling", "verdict", "decision",
                   "proposal", "constitution", "charter", "draft", "index", "market", "figure", "data", "result",
                   "government", "administration", "military", "army", "police", "opposition", "regime"}


@dataclass(eq=False)
class _Mention:
    start: int  # token indices
    end: int
    label: str
    kind: str  # name, alias, title, pronoun, metonym, group
    entry: Optional[ActorEntry] = None
    country: Optional[str] = None
    sector: str = ""
    role: str = ""
    gender: str = ""
    entity: Optional["_Entity"] = None
    title: str = ""  # the role phrase the article gives the name ("prime minister", "director general")
    org: Optional[ActorEntry] = None  # the organisation a person is introduced with ("IMF chief Camdessus")


@dataclass(eq=False)
class _Entity:
    key: tuple
    label: str
    canonical: Optional[str]
    country: Optional[str]
    code: Optional[str]
    role: str = ""
    gender: str = ""
    mentions: list[_Mention] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)  # the words a person may be called by alone
    roles: set[str] = field(default_factory=set)  # role phrases the article (or the knowledge) gives them
    sector: str = ""
    basis: str = ""  # knowledge, context (titles, appositions, modifiers), inferred (dateline, main country)
    plural: bool = False


class Actors:
    name = "actors"
    version = "1"
    requires: tuple[str, ...] = ("doc",)
    assigns: tuple[str, ...] = ("entities",)

    def __init__(self, knowledge: Optional[ActorKnowledge] = None) -> None:
        self.kn = knowledge or default_knowledge()
        self._matcher: Any = None
        self._vocab: Any = None
        self._place_names = sorted({n for n, es in self.kn.names.items() if any(e.type == "GPE" for e in es)})
        self._fuzzy_seen: dict[str, Optional[str]] = {}
        self._surnames = sorted(self.kn.surnames)
        self._surname_seen: dict[str, list[str]] = {}
        self._speech = _speech_verbs()

    # --- the stage ------------------------------------------------------------------------------------
    def __call__(self, batch: Sequence[Analysis]) -> list[Analysis]:
        return [replace(a, entities=self.resolve(a.doc, a.article.published, a.article.dateline)) for a in batch]

    def resolve(self, doc: Any, day: Optional[str], dateline: Optional[str] = None) -> tuple[Entity, ...]:
        mentions = self._name_mentions(doc, day)
        home, from_dateline = self._home_country(doc, mentions, dateline)
        _drop_stray_places(doc, mentions, home if from_dateline else None)
        self._rehome(doc, mentions, home)
        entities = self._cluster(doc, mentions, day)
        self._repeats(doc, mentions, entities)
        sal = _Salience(doc, self._speech)
        here = self._sentence_countries(doc, mentions)
        self._nominals(doc, mentions, entities, day, home, here, sal)
        self._pronouns(doc, entities, sal)
        self._documents(doc, entities)
        self._pairs(doc, mentions, entities, sal)
        self._infer_countries(doc, entities, home if from_dateline else None, here, day)
        return self._records(doc, entities)

    # --- 1. mentions ----------------------------------------------------------------------------------
    def _matcher_for(self, doc: Any) -> Any:
        if self._matcher is None or self._vocab is not doc.vocab:
            from spacy.matcher import PhraseMatcher

            import spacy

            matcher = PhraseMatcher(doc.vocab, attr="ORTH")
            blank = spacy.blank("en", vocab=doc.vocab)  # tokenises the names as the model tokenises text
            matcher.add("KNOWN", [blank.make_doc(n) for n in sorted(self.kn.forms)])
            # Surnames of listed people, kept only where they resolve (see _name_mentions).
            matcher.add("SURNAME", [blank.make_doc(n) for n in sorted(self.kn.surname_forms - self.kn.forms)])
            self._matcher, self._vocab = matcher, doc.vocab
        return self._matcher

    def _name_mentions(self, doc: Any, day: Optional[str]) -> list[_Mention]:
        spans: dict[tuple[int, int], _Mention] = {}
        for ent in doc.ents:
            if ent.label_ not in NAME_LABELS:
                continue
            start, end = self._trim(doc, ent.start, ent.end, ent.label_)
            if start >= end:
                continue
            spans[(start, end)] = _Mention(start, end, ent.label_, "name")
        matcher = self._matcher_for(doc)
        surname_label = doc.vocab.strings["SURNAME"]
        in_ent = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        for match_id, start, end in matcher(doc):
            if match_id == surname_label:
                # A bare surname the model did not tag ("Trump spoke..."): a proper noun outside any entity.
                if end - start == 1 and doc[start].pos_ == "PROPN" and start not in in_ent:
                    spans.setdefault((start, end), _Mention(start, end, "PERSON", "surname"))
            else:
                spans.setdefault((start, end), _Mention(start, end, "", "name"))
        # Resolve each candidate; a known name fixes the label. A surname alone first looks back in the
        # article (an earlier "Hussein Ali" decides who "Hussein" is), then at who held office on the day.
        resolved: list[_Mention] = []
        earlier: dict[str, Optional[ActorEntry]] = {}
        for (start, end), m in sorted(spans.items()):
            text = doc[start:end].text
            entry = self.kn.lookup(text, day)
            if entry is None and m.label == "PERSON" and end - start > 1:
                entry = self._person_by_parts(doc, start, end, day)
            elif entry is None and m.label == "PERSON" and start > 0 and doc[start - 1].lower_.rstrip(".") in TITLE_WORDS:
                entry = self._person_by_parts(doc, start - 1, end, day)  # "President Bouteflicka"
            if end - start > 1 and m.label == "PERSON" or (entry is not None and entry.kind == "person"):
                bare = text if entry is not None else self._bare(doc, start, end)
                for key in person_keys(bare, entry.country if entry else None, listed=entry is not None):
                    earlier.setdefault(key, entry)
            key = norm(text)
            if (end - start == 1 and key in earlier and text[:1].isupper()
                    and (entry is None or entry.kind == "person")
                    and (m.label in ("PERSON", "ORG", "", "NORP") or m.label in ("GPE", "LOC") and entry is None)):
                # A name the article itself gave in full decides who a surname or part of it is ("Kim"
                # after "Kim Kye-gwan" is not Kim Jong-il), over any listed person of that name.
                entry = earlier[key]
                m.label, m.kind = "PERSON", "name"
            elif entry is None and m.label in ("PERSON", "ORG") and end - start == 1 and text[:1].isupper():
                entry = self.kn.lookup_surname(text, day)
                # A bare proper noun the model did not call a name must be someone in office that day
                # ("Trump" in 2025); one the model tagged may be a former office holder ("Reagan").
                if entry is not None and m.kind == "surname" and entry.sector in ("ELI", ""):
                    entry = None
            if entry is None and m.label in ("GPE", "LOC") and not _conjoined_with_person(doc[start:end]):
                entry = self._fuzzy_place(text) or place_actor(text, self.kn)
            if entry is None and (not m.label or m.kind == "surname") and not (m.label == "PERSON" and key in earlier):
                continue  # a matcher hit the knowledge does not resolve here (a surname out of office)
            if m.kind == "surname":
                m.kind = "name"
            m.entry = entry
            if entry is not None:
                m.label = entry.type if entry.type != "ACTOR" else (m.label or "ORG")
                m.kind = "metonym" if entry.kind == "metonym" else "name"
                m.country, m.sector, m.role = entry.country, entry.sector, entry.role
            resolved.append(m)
        # Overlaps: keep the longest span; between equals, the one the knowledge resolves.
        resolved.sort(key=lambda m: (-(m.end - m.start), m.entry is None, m.start))
        taken: set[int] = set()
        kept: list[_Mention] = []
        for m in resolved:
            if any(i in taken for i in range(m.start, m.end)):
                continue
            taken.update(range(m.start, m.end))
            kept.append(m)
        kept.sort(key=lambda m: m.start)
        _acronyms_of_names(doc, kept)
        at = {i: m for m in kept if m.entry is not None for i in range(m.start, m.end)}
        for m in kept:
            if m.label in ("PERSON", "ORG") or (m.entry is None):
                self._context(doc, m, day, at)
        return kept

    def _bare(self, doc: Any, start: int, end: int) -> str:
        """A name without the titles the model left in it: "Spokeswoman Lin Yaqing" -> "Lin Yaqing"."""
        while end - start > 2 and (doc[start].lower_.rstrip(".") in TITLE_WORDS or self.kn.role(doc[start].text)):
            start += 1
        return doc[start:end].text

    def _person_by_parts(self, doc: Any, start: int, end: int, day: Optional[str]) -> Optional[ActorEntry]:
        """A listed person named with a title or another spelling: "President Omar El Bashir", "President
        Bush", "President Francois Mitterand". The surname must match a listed person's (or nearly, after a
        head-of-state or government title) and the first name or the title must fit them, so that an
        unlisted "Judge Alejandro Rivera" is not some listed Rivera."""
        toks = list(doc[start:end])
        title: list[str] = []
        while len(toks) > 1 and (toks[0].lower_.rstrip(".") in TITLE_WORDS or self.kn.role(toks[0].text)):
            title.append(toks.pop(0).lower_.rstrip("."))
        words = norm(" ".join(t.text for t in toks)).split(" ")
        if title:
            entry = self.kn.lookup(" ".join(t.text for t in toks), day)
            if entry is not None:
                return entry if entry.kind == "person" else None
        offices = {o for n in (1, 2) for j in range(len(title) - n + 1)
                   for o in OFFICE_OF_ROLE.get(" ".join(title[j : j + n]), ())}
        cands = self.kn.surnames.get(words[-1], [])
        if not cands and offices and len(words[-1]) >= 5:
            cands = [c for k in self._close_surnames(words[-1]) for c in self.kn.surnames[k]]
        fits = [c for c in cands
                if (len(words) > 1 and _close(words[0], norm(c.canonical).split(" ")[0])) or c.role in offices]
        if not fits:
            return None
        dated = [c for c in fits if c.valid_on(day)] if day else []
        pool = dated or fits
        best = max(pool, key=lambda c: c.start)
        return best.on(day)

    def _close_surnames(self, key: str) -> list[str]:
        if key not in self._surname_seen:  # difflib is slow: once per name
            self._surname_seen[key] = [k for k in difflib.get_close_matches(key, self._surnames, n=3, cutoff=SURNAME_RATIO)
                                       if k[:1] == key[:1]]
        return self._surname_seen[key]

    def _trim(self, doc: Any, start: int, end: int, label: str) -> tuple[int, int]:
        while start < end and doc[start].lower_ in ("the", "a", "an"):
            start += 1
        while end > start and (doc[end - 1].is_punct or doc[end - 1].lower_ in ("'s", "’s")):
            end -= 1
        opening = next((i for i in range(start + 1, end) if doc[i].text == "("), None)
        if opening is not None and not any(doc[i].text == ")" for i in range(opening, end)):
            end = opening  # "Group of Eight (G8" when the parse cuts the bracket: the name, then its acronym
        if label in ("PERSON", "ORG"):
            # A headline's title-case reporting verb swallowed into a name: "Hegseth Says".
            while end - start > 1 and doc[end - 1].text[:1].isupper() and doc[end - 1].lower_ in self._speech:
                end -= 1
        return start, end

    def _fuzzy_place(self, text: str) -> Optional[ActorEntry]:
        key = norm(text)
        if len(key) < 5:
            return None
        if key not in self._fuzzy_seen:  # the closest known name, once per name (difflib is slow)
            close = difflib.get_close_matches(key, self._place_names, n=1, cutoff=FUZZY_RATIO)
            self._fuzzy_seen[key] = close[0] if close and close[0][:1] == key[:1] else None
        found = self._fuzzy_seen[key]
        return self.kn.lookup(found) if found and self.kn.names.get(found) else None

    # --- context: the words around a name -------------------------------------------------------------
    def _context_tokens(self, doc: Any, m: _Mention) -> list[Any]:
        span = doc[m.start : m.end]
        root = span.root
        toks: list[Any] = []
        # Modifiers to the left inside the same noun phrase: "Kremlin spokesman [Dmitry Peskov]".
        i = m.start - 1
        inside = set(range(m.start, m.end))
        while i >= 0 and m.start - i <= 8:
            t = doc[i]
            # ...and the "of" phrases inside them ("US House of Representatives Speaker [Newt Gingrich]").
            of_phrase = t.dep_ in ("prep", "pobj") and root in t.ancestors
            if of_phrase or t.dep_ in ("compound", "amod", "nmod", "poss", "case", "det", "punct") and (t.head.i in inside or t.head.i > i):
                if t.dep_ != "punct":
                    toks.append(t)
                inside.add(i)
                i -= 1
                continue
            break
        if not toks:
            # A title phrase run into the name, which the parse splits off: "the exiled leader of the Islamic
            # Resistance Movement (Hamas) [Khaled Meshaal]": a role noun, then its "of" phrase, no verb or comma.
            for j in range(m.start - 1, max(m.start - 12, -1), -1):
                t = doc[j]
                if t.pos_ in ("VERB", "AUX") or t.text in (",", ";", ":", '"') or t.is_sent_start and j < m.start - 1:
                    break
                if t.pos_ == "NOUN" and self.kn.role(t.text) and any(c.dep_ == "prep" and c.lower_ == "of"
                                                                   for c in t.children):
                    toks.extend(x for x in doc[j : m.start] if not x.is_punct)
                    break
        # Appositions: "[Dmitry Peskov], the Kremlin spokesman," and "the Kremlin's spokesman, [Dmitry Peskov]".
        for child in root.children:
            if child.dep_ == "appos":
                toks.extend(t for t in child.subtree if t.i not in range(m.start, m.end))
        if root.dep_ == "appos" and root.head.i not in range(m.start, m.end):
            dateline = DATELINE_OPENING.match(doc.text[:120])
            if not (dateline and root.head.idx < dateline.end()):  # not "NAIROBI (AFP) - [Sam Kutesa]"
                toks.extend(t for t in root.head.subtree if t.i < m.start and t.i not in range(m.start, m.end))
        return toks

    def _context(self, doc: Any, m: _Mention, day: Optional[str], at: dict[int, _Mention]) -> None:
        toks = self._context_tokens(doc, m)
        if m.label == "PERSON":
            # A title the model kept inside the name: "President Prosper Avril", "Archbishop Desmond Tutu".
            i = m.start
            while i < m.end - 1 and (doc[i].lower_.rstrip(".") in TITLE_WORDS or self.kn.role(doc[i].text)):
                toks.append(doc[i])
                i += 1
        if not toks:
            return
        country, sector, role, gender = None, "", "", ""
        org: Optional[ActorEntry] = None
        words = [t.text for t in toks]
        # Role: the longest role phrase among the context tokens (in text order).
        ordered = sorted(toks, key=lambda t: t.i)
        texts = [t.text for t in ordered]
        for n in (3, 2, 1):
            for j in range(len(texts) - n + 1):
                phrase = " ".join(texts[j : j + n])
                sec = self.kn.role(phrase)
                if sec and not role:
                    role, sector = norm(phrase), sec
        for t in ordered:
            if _stance(t):
                continue  # "the pro-Iranian Shiite groups" are not Iran's
            named = at.get(t.i)
            entry = named.entry if named is not None else None
            if entry is None and t.text[:1].isupper():
                entry = self.kn.lookup(t.text, day)
                if entry is None and t.i + 1 < len(doc):
                    entry = self.kn.lookup(doc[t.i : t.i + 2].text, day)
            if entry is not None and entry.kind == "organisation" and org is None and m.label != "ORG":
                org = entry
            if entry is not None and entry.country and entry.kind in ("country", "demonym", "metonym"):
                country = entry.country
                break
        if org is None and m.label == "PERSON":
            # the organisation named after the country: "leader of the Palestinian ... Movement (Hamas)"
            named_orgs = [at[t.i].entry for t in ordered if t.i in at and at[t.i].entry is not None
                          and at[t.i].entry.kind == "organisation"]
            org = next((e for e in named_orgs if e.country in (None, country)), None)
        for w in words:
            if w.lower() in FEMALE_WORDS:
                gender = "f"
            elif w.lower() in MALE_WORDS:
                gender = "m"
        if m.entry is not None and m.entry.kind == "person" and m.entry.sector == "ELI" and org is not None \
                and _igo(org.code):
            m.org = org  # "OSCE envoy Franz Vranitzky": a former office holder acts for the body that sent him
        if m.entry is None:
            m.country = country or (org.country if org is not None else None)
            m.sector = sector
            m.org = org
            if m.label in ("ORG", "GPE", "LOC", "NORP", "") and role and PERSON_ROLE.search(role):
                m.label = "PERSON"  # "Marta Salgado, Chile's foreign minister": a person, whatever the model said
        m.role = m.role or role
        m.title = role
        m.gender = m.gender or gender

    # --- 2. clustering names into entities --------------------------------------------------------------
    def _cluster(self, doc: Any, mentions: list[_Mention], day: Optional[str]) -> list[_Entity]:
        entities: list[_Entity] = []
        by_key: dict[tuple, _Entity] = {}
        persons: list[_Entity] = []
        for m in mentions:
            text = doc[m.start : m.end].text
            if m.entry is not None:
                key = ("known", m.entry.canonical, m.entry.code)
            elif m.label == "PERSON":
                text = self._bare(doc, m.start, m.end)
                # A surname or part of a name repeats the earlier full name: "Peskov" -> Dmitry Peskov.
                prior = next((e for e in reversed(persons) if _same_person(norm(text), e)), None)
                key = prior.key if prior else ("person", norm(text))
            else:
                key = (m.label, norm(text))
            ent = by_key.get(key)
            if ent is None:
                code, country, canonical = self._code(m, text)
                ent = _Entity(key=key, label=m.label, canonical=canonical, country=country, code=code,
                              sector=m.entry.sector if m.entry else m.sector,
                              basis="knowledge" if m.entry is not None else ("context" if country or code else ""))
                if m.label == "PERSON":
                    ent.gender = self.kn.gender(ent.canonical or text)
                    persons.append(ent)
                by_key[key] = ent
                entities.append(ent)
            else:
                m.kind = "alias" if m.kind == "name" and doc[m.start : m.end].text != self._text(doc, ent.mentions[0]) else m.kind
            if ent.label == "PERSON" or m.label == "PERSON":
                ent.keys.update(person_keys(text, ent.country, listed=m.entry is not None))
                ent.keys.add(norm(text))
            if LABEL_RANK.get(m.label, 9) < LABEL_RANK.get(ent.label, 9):
                ent.label = m.label  # "Russian" then "Russia": the entity is the GPE
            if m.role and not ent.role:
                ent.role = m.role
            for r in (m.role, m.title):
                if r:
                    ent.roles.add(r)
                    ent.roles.update(ROLE_WORDS_OF_OFFICE.get(r, ()))
            if m.gender:  # "Mrs", "spokeswoman": the text's word beats the name's usual sex
                ent.gender = m.gender
            if ent.country is None and ent.code is None and m.org is not None and m.entry is None:
                # "IMF director general Michel Camdessus": a person the knowledge lacks speaks for the
                # organisation they are introduced with (CAMEO codes them with its code).
                ent.code, ent.country, ent.basis = m.org.code, m.org.country, "context"
            if ent.country is None and m.country and not (m.entry is not None and _igo(ent.code)):
                ent.country = m.country
                ent.sector = ent.sector or m.sector or ("GOV" if m.label == "PERSON" and m.role else "")
                ent.code = self._make_code(m.country, ent.sector)
                ent.basis = ent.basis or "context"
            m.entity = ent
            ent.mentions.append(m)
        return entities

    def _code(self, m: _Mention, text: str) -> tuple[Optional[str], Optional[str], Optional[str]]:
        if m.entry is not None:
            if m.org is not None and m.entry.sector == "ELI":
                return m.org.code, m.org.country, m.entry.canonical
            return m.entry.code, m.entry.country, m.entry.canonical
        if m.org is not None and m.label == "PERSON":
            return m.org.code, m.org.country, text
        if m.country:
            # An organisation named by its kind takes that sector: "U.S. State Department" -> USAGOV.
            sector = m.sector or (self.kn.role(text.split()[-1]) or "" if m.label == "ORG" else "")
            return self._make_code(m.country, sector), m.country, text
        return None, None, text

    def _make_code(self, country: Optional[str], sector: str) -> Optional[str]:
        if not country:
            return sector or None
        c = self.kn.countries.get(country)
        return (c.cameo if c else country) + (sector or "")

    @staticmethod
    def _text(doc: Any, m: _Mention) -> str:
        return doc[m.start : m.end].text

    # --- home: the article's own country ------------------------------------------------------------------
    def _home_country(self, doc: Any, mentions: list[_Mention], dateline: Optional[str]) -> tuple[Optional[str], bool]:
        """The country the article is set in, and whether its dateline said so: the dateline's ("KANDAHAR,
        Afghanistan", "MOSCOW"), else the country its names point to most often. What bare "police" or "the
        government" belong to when the sentence does not say."""
        if dateline:
            for part in re.split(r",|\(", dateline)[:3]:
                part = part.strip()
                if not part or part[:1].isdigit():
                    continue
                entry = self.kn.lookup(part.title() if part.isupper() else part)
                if entry is not None and entry.country and entry.kind in ("country", "metonym"):
                    return entry.country, True
            place = _dateline_place(dateline)
            if place and self.kn.by_iso2.get(place):
                return self.kn.by_iso2[place], True
        counts: dict[str, int] = {}
        for m in mentions:
            if m.entry is not None and m.entry.country and m.entry.kind in ("country", "demonym", "metonym"):
                counts[m.entry.country] = counts.get(m.entry.country, 0) + 1
        if not counts:
            return None, False
        best = max(counts.values())
        return (min(c for c, n in counts.items() if n == best) if best >= 2 else None), False

    def _rehome(self, doc: Any, mentions: list[_Mention], home: Optional[str]) -> None:
        """A name that many countries' institutions share ("Congress", marked ambiguous in metonyms.tsv) is
        the institution of the country the text gives it ("India's Congress party", "the Peruvian
        Congress"), else of the article's own country when the default country is not in the article."""
        mentioned = {m.entry.country for m in mentions if m.entry is not None and m.entry.kind in ("country", "demonym")}
        for m in mentions:
            e = m.entry
            if e is None or not e.ambiguous or not e.country or e.type != "ORG":
                continue
            country = None
            for t in doc[max(0, m.start - 3) : m.start]:
                other = next((x for x in mentions if x.start <= t.i < x.end and x is not m), None)
                if other is not None and other.entry is not None and other.entry.kind in ("country", "demonym"):
                    country = other.entry.country
            if country is None and home and home != e.country and e.country not in mentioned:
                country = home
            if country is None or country == e.country:
                continue
            sector = "PTY" if m.end < len(doc) and doc[m.end].lower_ == "party" else e.sector
            c = self.kn.countries.get(country)
            name = f"{c.name if c else country} {doc[m.start:m.end].text}" + (" party" if sector == "PTY" else "")
            m.entry = dataclasses.replace(e, canonical=name, country=country, code=self._make_code(country, sector),
                                          sector=sector, ambiguous=False)
            m.country, m.sector = country, sector

    # --- names the model did not tag ------------------------------------------------------------------------
    def _repeats(self, doc: Any, mentions: list[_Mention], entities: list[_Entity]) -> None:
        """A surname of a person the article named in full, where the small model tagged nothing
        ("…,” Camdessus told students): the same person."""
        by_key: dict[str, _Entity] = {}
        for e in entities:
            if e.label == "PERSON":
                for k in e.keys:
                    if " " not in k:
                        by_key.setdefault(k, e)
        if not by_key:
            return
        taken = {i for m in mentions for i in range(m.start, m.end)}
        for tok in doc:
            if tok.i in taken or not tok.text[:1].isupper() or tok.pos_ != "PROPN":
                continue
            ent = by_key.get(norm(tok.text))
            if ent is None or min(m.start for m in ent.mentions) > tok.i:
                continue
            if tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "PROPN" and doc[tok.i + 1].text[:1].isupper():
                continue  # part of another name
            m = _Mention(tok.i, tok.i + 1, "PERSON", "alias", entity=ent)
            ent.mentions.append(m)
            mentions.append(m)
        mentions.sort(key=lambda m: m.start)

    # --- 3. role phrases: "the Kremlin spokesman", "the U.S. president", "Russian troops" ---------------
    def _nominals(self, doc: Any, mentions: list[_Mention], entities: list[_Entity], day: Optional[str],
                  home: Optional[str], sent_countries: dict[int, list[tuple[int, str]]], sal: "_Salience") -> None:
        taken = {i for m in mentions for i in range(m.start, m.end)}
        mention_at = {i: m for m in mentions for i in range(m.start, m.end)}
        groups: dict[tuple, _Entity] = {}
        heads: dict[int, _Entity] = {}  # the head noun of each role phrase taken, and its entity
        ws = [t.text_with_ws for t in doc]
        for tok in doc:
            if tok.i in taken or tok.pos_ not in ("NOUN", "PROPN"):
                continue
            if tok.dep_ == "compound" and (tok.head.i in mention_at or self.kn.role(tok.head.text)):
                continue  # "spokesman" in "Kremlin spokesman Dmitry Peskov": context of the name
            # The role: the head noun, or a two/three-word role ending at it ("foreign minister").
            role, sector, start = "", "", tok.i
            for n in (3, 2, 1):
                if tok.i - n + 1 < 0 or not doc[tok.i - n + 1].is_alpha:
                    continue
                phrase = "".join(ws[tok.i - n + 1 : tok.i + 1]).rstrip()
                sec = self.kn.role(phrase)
                if sec:
                    role, sector, start = norm(phrase), sec, tok.i - n + 1
                    break
            of = self._of_actor(tok, mention_at)
            if not role and tok.lower_ in HEAD_NOUNS and of is not None:
                role, sector = tok.lower_, "GOV"
            if not role:
                continue
            left = [t for t in tok.lefts if (t.i not in taken or t.i in mention_at) and not (t.is_punct or t.is_space)]
            det = next((t for t in left if t.dep_ == "det"), None)
            if det is not None and det.lower_ in ("no", "any", "every", "each", "another"):
                continue  # "No embassy will write our laws": no actor
            country, basis = None, "context"
            owner = next((mention_at[t.i] for t in left if t.dep_ == "poss" and t.i in mention_at), None)
            if tok.dep_ == "compound":
                # "a Chinese coast guard vessel": the modifiers of the noun the role word modifies.
                left += [t for t in tok.head.lefts if t.i < tok.i and t.dep_ in ("amod", "compound", "poss", "nmod")
                         and not (t.is_punct or t.is_space)]
            # Modifiers and the names inside them ("US" in "US-led coalition").
            # (not a clause the parse hangs there: "allegations that Peruvian police tortured prisoners")
            inner = [x for t in left if t.dep_ in ("amod", "compound")
                     and not any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)
                     for x in t.subtree if x.i < t.i]
            body = None  # an international body the phrase names: "a UN prosecutor", "EU negotiators"
            for t in sorted(inner + left, key=lambda t: t.i):
                if _stance(t):
                    continue  # "the anti-Syrian government" is not Syria's
                m = mention_at.get(t.i)
                if m is not None and m.entity is not None and _igo(m.entity.code) \
                        and not m.entity.country:
                    body = m.entity
                    start = min(start, m.start)
                elif m is not None and (m.country or (m.entity and m.entity.country)):
                    country = m.country or m.entity.country
                    start = min(start, m.start)
                elif t.dep_ in ("amod", "compound", "poss") and t.text[:1].isupper():
                    e = self.kn.lookup(t.text, day)
                    if e is not None and e.country:
                        country = e.country
                        start = min(start, t.i)
            org = None
            if of is not None and of.entity is not None and (body is None or country is not None):
                country = country or of.entity.country  # (not "the NATO commander in Kabul": NATO's)
                if of.entity.label == "ORG":
                    org = of.entity
            # The phrase's own modifiers belong to the mention ("Moslem fundamentalist demonstrators").
            j = start - 1
            while j >= 0 and doc[j].head.i == tok.i and doc[j].dep_ in ("amod", "compound", "nummod", "nmod") \
                    and (j not in taken or j in mention_at):
                start = min(start, mention_at[j].start) if j in mention_at else j
                j = start - 1
            if det is not None:
                start = min(start, det.i)
            plural = tok.tag_ in ("NNS", "NNPS")
            span_end = tok.i + 1
            person_role = bool(PERSON_ROLE.search(role)) or tok.lower_ in HEAD_NOUNS
            mention = _Mention(start, span_end, "PERSON", "title", country=country, sector=sector, role=role)
            target = (_apposed_person(tok, mention_at) or _titled_person(doc, tok, mention_at)) \
                if not plural and person_role else None
            if target is None and not plural and person_role and (det is None or det.lower_ in ("the", "this", "that")) and owner is None:
                # "the prime minister", "the head of the IMF": the person the article gave that role.
                target = self._role_antecedent(entities, mention, org, sal, definite=det is not None)
            if target is not None:
                mention.entity = target
                target.mentions.append(mention)
                taken.update(range(start, span_end))
                target.roles.add(role)
                if org is not None and target.sector == "ELI" and _igo(org.code):
                    # "the head of the OSCE mission, Franz Vranitzky": a former office holder acts for the body
                    target.code, target.country, target.sector = org.code, org.country, org.sector
                if target.country is None and target.code is None and country:
                    # "Iraqi government spokesman Karim al-Nouri": the title's country is the person's.
                    target.country, target.sector, target.basis = country, sector, "context"
                    target.code = self._make_code(country, sector)
                continue
            if body is not None and country is None:
                # CAMEO codes an international body's staff with the body's code: "the NATO commander" is
                # IGOWSTNAT, not the country the sentence names.
                key = ("body", body.code, plural, role)
                ent = groups.get(key)
                if ent is None:
                    ent = _Entity(key=key, label="GROUP" if plural else "ROLE", canonical=None, country=None,
                                  code=body.code, role=role, sector=sector, basis="context", plural=plural)
                    groups[key] = ent
                    entities.append(ent)
                ent.canonical = ent.canonical or doc[start + (1 if det is not None and det.i == start else 0) : span_end].text
                mention.kind, mention.label, mention.entity = ("group" if plural else "title"), ent.label, ent
                ent.mentions.append(mention)
                taken.update(range(start, span_end))
                heads[tok.i] = ent
                continue
            if country is None and owner is not None and owner.entity is not None:
                country = owner.entity.country  # "his party": the party of the person's country
            if country is None and tok.dep_ == "conj" and tok.head.i in heads and heads[tok.head.i].country:
                country = heads[tok.head.i].country  # "the South Korean government, political parties and…"
            if country is None and tok.dep_ == "compound":
                continue  # a role word inside another noun phrase names no actor of its own
            if country is None and not sector.startswith("IGO") and any(t.lower_ in NOT_NATIONAL for t in left):
                continue  # "Western governments", "foreign ministers": not the article's own country
            if country is None and (sector in ARMED_GROUPS or sector == "CVL"):
                # "strikes against militants in Gaza", "killed 175 people in south Lebanon": where they are
                country = _located(tok, mention_at)
            if country is None and plural and det is not None and det.lower_ == "the" and sector in ARMED_GROUPS:
                # "the militants" after "three Palestinian militants": the group the article named before
                earlier = [e for e in entities if e.plural and e.role == role and e.country
                           and any(m.start < tok.i for m in e.mentions)]
                if earlier:
                    country = max(earlier, key=lambda e: max(m.start for m in e.mentions)).country
            if country is None and of is None and owner is None and not sector.startswith("IGO"):
                # The country the sentence names, else the article's; the media are the article's own
                # ("state television" under a Beijing dateline, whoever the sentence is about).
                here = _one_country(sent_countries.get(tok.sent.start, ()), _acted_on(tok, armed=sector in ARMED_GROUPS)) \
                    if sector != "MED" or plural else None
                country, basis = (here, "context") if here else (home, "inferred")
            if country is None and not sector.startswith("IGO"):
                continue  # peacekeepers are an international force whoever's troops they are
            # An office holder on that date: "the U.S. president" in 2025 -> Donald Trump.
            offices = OFFICE_OF_ROLE.get(role)
            if not plural and offices and det is not None:
                holder = self.kn.holder(country, offices, day)
                if holder is not None:
                    key = ("known", holder.canonical, holder.code)
                    ent = next((e for e in entities if e.key == key), None)
                    if ent is None:
                        ent = _Entity(key=key, label="PERSON", canonical=holder.canonical, country=holder.country,
                                      code=holder.code, role=role,
                                      sector=holder.sector, basis="knowledge")
                        ent.roles.add(role)
                        entities.append(ent)
                    mention.entity = ent
                    ent.mentions.append(mention)
                    taken.update(range(start, span_end))
                    continue
            key = ("group", country, sector, plural, role)
            ent = groups.get(key)
            if ent is None:
                ent = _Entity(key=key, label="GROUP" if plural else "ROLE", canonical=None,
                              country=country, code=self._make_code(country, sector), role=role, sector=sector,
                              basis=basis, plural=plural)
                groups[key] = ent
                entities.append(ent)
            elif basis == "context":
                ent.basis = "context"
            if basis == "context":
                # Its name: the fullest form the article gives it ("US-led coalition", "Russian troops").
                words = "".join(t.text_with_ws for t in doc[start + (1 if det is not None and det.i == start else 0) : span_end]
                                if not (t.is_punct and t.text not in "-'’")).strip()
                if len(words) > len(ent.canonical or ""):
                    ent.canonical = words
            mention.kind = "group" if plural else "title"
            mention.label = ent.label
            mention.entity = ent
            ent.mentions.append(mention)
            taken.update(range(start, span_end))
            heads[tok.i] = ent

    def _sentence_countries(self, doc: Any, mentions: list[_Mention]) -> dict[int, list[tuple[int, str]]]:
        """The countries each sentence names (by name, demonym or seat of power), with where: what a bare
        "police" or "the army" in it belongs to when there is one."""
        found: dict[int, list[tuple[int, str]]] = {}
        for m in mentions:
            if m.entry is not None and m.entry.country and m.entry.kind in ("country", "demonym", "metonym"):
                found.setdefault(doc[m.start].sent.start, []).append((m.start, m.entry.country))
        return found

    @staticmethod
    def _of_actor(tok: Any, mention_at: dict[int, _Mention]) -> Optional[_Mention]:
        """The named actor of "the head of the IMF", "the president of Guinea-Bissau", "police in Kenya"."""
        for c in tok.rights:
            if c.dep_ == "prep" and c.lower_ in ("of", "in", "for", "from"):
                for g in c.children:
                    if g.dep_ != "pobj":
                        continue
                    # "the head of the Organization for ... (OSCE)": a name the knowledge lacks, then its acronym
                    short = [mention_at[a.i] for a in g.children if a.dep_ == "appos" and a.i in mention_at
                             and (mention_at[a.i].entry is not None or mention_at[a.i].country)]
                    if g.i in mention_at and (short == [] or mention_at[g.i].entry is not None):
                        return mention_at[g.i]
                    if short:
                        return short[0]
        return None

    def _role_antecedent(self, entities: list[_Entity], mention: _Mention, org: Optional[_Entity],
                         sal: "_Salience", definite: bool = True) -> Optional[_Entity]:
        """The person earlier in the article introduced with this role (and country or organisation, if the
        phrase names one); among several, the most salient."""
        head = mention.role.split(" ")[-1]
        cands = []
        for e in entities:
            if e.label != "PERSON":
                continue
            if org is not None:
                if not (e.code and org.code and e.code == org.code) and not any(m.org and m.org.code == org.code for m in e.mentions):
                    continue
            else:
                if not any(r == mention.role or (r.endswith(" " + mention.role) or r.split(" ")[-1] == head
                                                 and head not in ("official", "leader")) and not _lesser(r, mention.role)
                           or mention.role.endswith(" " + r) for r in e.roles) \
                        and not (mention.sector == "REL" and e.sector == "REL"):
                    continue  # "the spiritual leader" is the article's religious leader
                if mention.country and e.country and mention.country != e.country:
                    continue
            cands.append(e)
        if not cands:
            return None
        return sal.best(cands, mention.start, window=PRONOUN_WINDOW * 3 if definite else PRONOUN_WINDOW)

    # --- 4. pronouns and descriptions -------------------------------------------------------------------
    def _pronouns(self, doc: Any, entities: list[_Entity], sal: "_Salience") -> None:
        persons = [e for e in entities if e.label == "PERSON"]
        things = [e for e in entities if (e.code or e.country) and (e.label in ("ORG", "GPE") or (
            e.label == "ROLE" and not PERSON_ROLE.search(e.role) and e.sector not in PERSON_SECTORS))]
        # a group, or a name whose head is a plural noun ("Houthi rebels", "the Maoists"), or that modifies one
        # ("Syrian opposition members", "Hamas fighters")
        plurals = [e for e in entities if e.plural or any(
            m.kind == "name" and doc[m.start : m.end].root.tag_ in ("NNS", "NNPS") or _modifies_plural(doc, m)
            for m in e.mentions)]
        taken = {i for e in entities for m in e.mentions for i in range(m.start, m.end)}
        root_at = {doc[m.start : m.end].root.i: e for e in entities for m in e.mentions}
        for tok in doc:
            low = tok.lower_
            kind, start = PRONOUNS.get(low), tok.i
            if kind is None and tok.pos_ in ("NOUN", "ADJ", "PROPN") and tok.i not in taken:
                described = self._description(doc, tok)
                if described is not None:
                    kind, start = "description", described
            if kind is None:
                continue
            if kind in ("it", "they") and tok.i in sal.in_quote:
                continue  # "they can arrest me": inside a speaker's words, not resolved
            if _said_of_unnamed(tok, taken):
                continue  # "Organisers said they would…": the pronoun is the unnamed speaker's
            if kind in ("m", "f", "person", "description"):
                gender = kind if kind in ("m", "f") else ""
                cands = [e for e in persons if not (gender and e.gender and e.gender != gender)]
                cands = [e for e in cands if not _bound(tok, e, doc)]
            elif kind == "it":
                if low == "it" and (tok.dep_ != "nsubj" or tok.head.lemma_ == "be" and not any(
                        c.dep_ == "acomp" and c.lemma_.lower() in DISPOSED for c in tok.head.children)):
                    continue  # "it was reported that", "it is time": no referent
                cands = things
            else:  # they / their
                if low in ("they", "them") and tok.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj"):
                    continue
                pair = sal.recent_pair(tok.i, root_at)
                best = sal.best(plurals, tok.i, PRONOUN_WINDOW) if plurals else None
                if pair and (best is None or sal.last_seen(best, tok.i) <= pair[0]):
                    for ent in pair[1]:
                        ent.mentions.append(_Mention(tok.i, tok.i + 1, ent.label, "pronoun", entity=ent))
                    continue
                cands = [best] if best is not None and not _bound(tok, best, doc) else []
            if not cands:
                continue
            best = _local_antecedent(doc, tok, cands, root_at) if tok.dep_ == "poss" else None
            if best is None:
                best = sal.best(cands, tok.i, PRONOUN_WINDOW)
            if best is None:
                continue
            root_at[tok.i] = best
            if kind in ("m", "f") and not best.gender:
                best.gender = kind
            pm = _Mention(start, tok.i + 1, best.label, "pronoun" if kind != "description" else "title", entity=best)
            best.mentions.append(pm)

    def _description(self, doc: Any, tok: Any) -> Optional[int]:
        """ "the 67-year-old", "the veteran", and as the one who speaks ("said the eight-time champion", "the
        former tennis player said"), any definite singular description that is no role, document or
        source: a person the article has named. Its first token, or None."""
        if tok.dep_ not in ("nsubj", "nsubjpass", "pobj", "dobj"):
            return None
        start = tok.i
        if tok.lower_ == "old" and tok.i >= 4 and AGE_DESCRIPTION.match(doc[tok.i - 4 : tok.i + 1].text.replace(" ", "")):
            start = tok.i - 4
        elif not AGE_DESCRIPTION.match(tok.lower_) and tok.lower_ not in PERSON_DESCRIPTIONS:
            speaker = (tok.dep_ == "nsubj" and tok.head.lower_ in self._speech and tok.tag_ == "NN"
                       and tok.lemma_.lower() not in DOCUMENT_NOUNS | ANONYMOUS_NOUNS and not self.kn.role(tok.text))
            if not speaker:
                return None
            start = min([tok.i] + [c.i for c in tok.lefts if c.dep_ in ("det", "amod", "compound", "nummod", "npadvmod")])
            return start if doc[start].lower_ == "the" else None
        return start - 1 if start >= 1 and doc[start - 1].lower_ == "the" else None

    # --- "the statement said": the issuer -----------------------------------------------------------------
    def _documents(self, doc: Any, entities: list[_Entity]) -> None:
        """A document as the subject of a reporting verb ("the statement said", "the resolution says") stands
        for whoever issued it: its modifier ("a foreign ministry statement", "the UN's report"), its "by" or
        "from", or the actor an earlier sentence has issue it ("Peretz made the warning in a statement",
        "Japan's lower house adopted a resolution")."""
        at: dict[int, _Entity] = {}
        for e in entities:
            for m in e.mentions:
                for i in range(m.start, m.end):
                    at.setdefault(i, e)
        for tok in doc:
            if tok.lemma_.lower() not in DOCUMENT_NOUNS or tok.i in at:
                continue
            if tok.dep_ not in ("nsubj", "nsubjpass") or tok.head.lemma_.lower() not in self._speech:
                continue
            issuer = _issuer_of(tok, at)
            if issuer is None:
                for prev in reversed(doc[: tok.i]):
                    if prev.lemma_.lower() in DOCUMENT_NOUNS and prev.i not in at:
                        issuer = _issuer_of(prev, at)
                        if issuer is not None:
                            break
            if issuer is None:
                continue
            start = min([tok.i] + [c.i for c in tok.lefts if c.dep_ in ("det", "amod", "compound", "poss")])
            m = _Mention(start, tok.i + 1, issuer.label, "document", entity=issuer)
            issuer.mentions.append(m)
            for i in range(start, tok.i + 1):
                at[i] = issuer

    # --- what is still missing: a country for people with a government title ---------------------------------
    def _infer_countries(self, doc: Any, entities: list[_Entity], home: Optional[str],
                         sent_countries: dict[int, list[tuple[int, str]]], day: Optional[str]) -> None:
        """An organisation whose name holds a country ("Nigerian Railway Corporation") is that country's; a
        person with a title and no country takes the one country of their sentence (not one they act on: in
        "Foreign Minister Anna Berg met Russian officials", Russia is the other side), else of the sentence
        before in the paragraph, else the dateline's ("Vice Commerce Minister Wei Jianguo" under a Beijing
        dateline), marked inferred. ``home`` is the dateline's country only: how often an article names a
        country says nothing of a person's. A person titled by an organisation ("Foreign Ministry spokesman
        Cui Tiankai") takes the organisation's country, once that is known: organisations come first."""
        ends = {m.end: ent for ent in entities if ent.label == "ORG" for m in ent.mentions}
        for e in sorted(entities, key=lambda x: x.label != "ORG"):
            if e.country or e.code:
                continue
            if e.label in ("ORG", "NORP"):
                words = e.canonical.split() if e.canonical else []
                for i, w in enumerate(words):
                    # the longest name starting here: "United States Treasury", "South Korean Navy"
                    n, entry = next(((k, x) for k in (3, 2, 1) if i + k <= len(words) and w[:1].isupper()
                                     for x in [self.kn.lookup(" ".join(words[i : i + k]))] if x is not None), (1, None))
                    if entry is None and w[:1].isupper() and i + 1 < len(words) and self.kn.role(words[i + 1]):
                        entry = self.kn.lookup_surname(w, day)  # "Bush administration", "Putin government"
                    if entry is not None and entry.country and entry.kind in ("country", "demonym", "person"):
                        sector = next((s for s in (self.kn.role(x) for x in words[i + n :]) if s), "")
                        e.country, e.sector, e.basis = entry.country, sector, "context"
                        e.code = self._make_code(entry.country, sector)
                        break
                if e.country or not words:
                    continue
                # An organisation or group the knowledge does not list, named by its kind ("the Jatiya Party",
                # "supreme court", "the election commission", "the Maoists"): that sector, in the one country of
                # its sentence, else the dateline's (inferred).
                sector = self.kn.role(" ".join(words[-2:]).lower()) or self.kn.role(words[-1].lower())
                if sector:
                    first = min(e.mentions, key=lambda m: m.start)
                    country = _near_country(doc, first.start, first.end, sent_countries) or home
                    if country is not None:
                        e.country, e.sector, e.basis = country, sector, "inferred"
                        e.code = self._make_code(country, sector)
            elif e.label == "PERSON" and any((self.kn.role(r) or "CVL") not in ("CVL", "BUS") for r in e.roles):
                first = min(e.mentions, key=lambda m: m.start)
                titled_by = _title_org(doc, first.start, ends, self.kn)
                country = (titled_by.country if titled_by is not None else None) or _near_country(
                    doc, first.start, first.end, sent_countries) or home
                if country is None:
                    continue
                sector = next(s for s in (self.kn.role(r) for r in sorted(e.roles)) if s)
                e.country, e.sector, e.basis = country, sector, "inferred"
                e.code = self._make_code(country, sector)

    # --- 5. "the two leaders", "both sides" -----------------------------------------------------------------
    def _pairs(self, doc: Any, mentions: list[_Mention], entities: list[_Entity], sal: "_Salience") -> None:
        root_at = {doc[m.start : m.end].root.i: e for e in entities for m in e.mentions}
        for tok in doc:
            if tok.lower_ not in PAIR_PERSON_NOUNS | PAIR_STATE_NOUNS and not (tok.lower_ == "two" and tok.dep_ in ("nsubj", "nsubjpass")):
                continue
            lefts = [t.lower_ for t in tok.lefts]
            if tok.lower_ == "two":
                if not any(t.lower_ == "the" for t in tok.lefts):
                    continue
                wanted = ("PERSON", "GPE", "ORG")
                start = tok.i - 1
            elif "both" in lefts or "two" in lefts and any(w in lefts for w in ("the", "these", "those")):
                # ("two Arab countries, Egypt and Jordan" is indefinite: not the pair named before)
                wanted = (("PERSON",) if tok.lower_ in PAIR_PERSON_NOUNS - {"sides"}
                          else ("GPE", "ORG", "PERSON") if tok.lower_ == "sides" else ("GPE",))
                start = min(t.i for t in tok.lefts if t.lower_ in ("the", "two", "both"))
            else:
                continue
            if wanted == ("GPE",):
                # "the two countries": the two states the article has named most up to here, not merely the
                # last two places named ("Japan and Australia also expressed concern").
                states = [e for e in entities if e.label == "GPE" and e.basis == "knowledge"
                          and e.code and e.code == (e.country and self._make_code(e.country, ""))]
                scores = {id(e): sum(1 for m in e.mentions if m.start < start and m.kind in ("name", "alias"))
                          for e in states}
                ranked = [e for e in sorted(states, key=lambda e: -scores[id(e)]) if scores[id(e)] > 0][:2]
                if len(ranked) == 2:
                    for ent in ranked:
                        ent.mentions.append(_Mention(start, tok.i + 1, ent.label, "group", entity=ent))
                continue
            # "Abbas and Shalom met ... the two held talks": the latest pair of conjoined subjects first, not
            # merely the last two names ("quoted Israeli officials" in between).
            pair = sal.recent_pair(start, root_at, wanted)
            seen = pair[1][:2] if pair else []
            for m in sorted((m for e in entities for m in e.mentions), key=lambda m: -m.start):
                if len(seen) == 2:
                    break
                if m.start >= start or m.entity is None or m.entity.label not in wanted:
                    continue
                if m.entity not in seen:
                    seen.append(m.entity)
                if len(seen) == 2:
                    break
            if len(seen) < 2:
                continue
            for ent in seen:
                ent.mentions.append(_Mention(start, tok.i + 1, ent.label, "group", entity=ent))

    # --- records -------------------------------------------------------------------------------------------
    def _records(self, doc: Any, entities: list[_Entity]) -> tuple[Entity, ...]:
        out: list[Entity] = []
        ordered = sorted(entities, key=lambda e: min(m.start for m in e.mentions))
        for n, e in enumerate(ordered, start=1):
            eid = f"E{n}"
            ms = sorted(e.mentions, key=lambda m: (m.start, m.end))
            mentions = tuple(
                Mention(entity_id=eid, text=doc[m.start : m.end].text, start=doc[m.start].idx,
                        end=doc[m.end - 1].idx + len(doc[m.end - 1].text), kind=m.kind)
                for m in ms
            )
            names = ([mm for mm, m in zip(mentions, ms) if m.kind in ("name", "alias", "metonym") and m.label == e.label]
                     or [mm for mm, m in zip(mentions, ms) if m.kind in ("name", "alias", "metonym")] or list(mentions))
            head = max(names, key=lambda mm: (len(mm.text), -mm.start))
            if not e.canonical and e.country:  # a group named only by its role: "police", "the government"
                e.canonical = self.kn.code_name(e.code)
            out.append(Entity(id=eid, text=head.text, type=e.label, start=head.start, end=head.end,
                              canonical=e.canonical or head.text, country=e.country, code=e.code, mentions=mentions,
                              sector=e.sector or None, basis=e.basis or None))
        return tuple(out)


def _speech_verbs() -> frozenset[str]:
    from ..knowledge import DATA

    lines = (DATA / "speech_verbs.txt").read_text("utf-8").splitlines()
    return frozenset(w.lower() for line in lines if not line.startswith("#") for w in line.split())


def resolve_span(analysis: Analysis, start: int, end: int, knowledge: Optional[ActorKnowledge] = None) -> Optional[Actor]:
    """The actor a stretch of the article's text refers to: the entity of the mention that covers it best,
    else what the knowledge makes of the words themselves. Used by the event coder and the actor eval."""
    best, best_score = None, 0.0
    for ent in analysis.entities:
        for m in ent.mentions:
            overlap = min(end, m.end) - max(start, m.start)
            if overlap <= 0:
                continue
            inside = m.start >= start and m.end <= end
            # Prefer mentions inside the span, then names over pronouns, then longer overlaps.
            # An entity with neither code nor country ("Moslem" in "Moslem fundamentalist demonstrators") only
            # as a last resort: the phrase it modifies may be a coded group.
            score = overlap + (1000 if inside else 0) + (0 if m.kind == "pronoun" else 500) + (200 if ent.country else 0) \
                - (0 if ent.country or ent.code else 1500)
            if score > best_score:
                best, best_score = ent, score
    if best is not None and (best.country or best.code):
        return Actor(name=best.canonical or best.text, code=best.code, country=best.country, entity_id=best.id)
    kn = knowledge or default_knowledge()
    text = analysis.article.text[start:end]
    day = analysis.article.published
    entry = kn.lookup(text, day)
    if entry is None:
        words = re.findall(r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)?", text)
        for w in words:
            entry = kn.lookup(w, day) or kn.lookup(w.split()[0], day)
            if entry is not None:
                break
    if (entry is None and text[:1].isupper() and all(w[:1].isupper() for w in text.split() if w.isalpha() and len(w) > 3)
            and not kn.role(text.strip())):  # not "Farmers" opening a sentence (a town in GeoNames)
        entry = place_actor(text, kn)  # a proper name the knowledge lacks may be a place: "Samarra"
        named = {e.country for e in analysis.entities if e.country and e.basis == "knowledge" and e.type != "PERSON"}
        if entry is not None and named and entry.country not in named and _sentences(analysis) >= MIN_SENTENCES_TO_CHECK_PLACES:
            entry = None  # as _drop_stray_places: not "Balata" in Saint Lucia in an article on the West Bank
    if entry is not None:
        return Actor(name=entry.canonical, code=entry.code, country=entry.country)
    if best is not None:
        return Actor(name=best.canonical or best.text, code=best.code, country=best.country, entity_id=best.id)
    return None


# Pronouns and what they can refer to: a man, a woman, an institution or country, a plural or pair.
PRONOUNS = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "it": "it", "its": "it",
            "they": "they", "them": "they", "their": "they"}
ARMED_GROUPS = frozenset({"REB", "UAF", "INS"})  # armed non-state sectors
# Role nouns that name a person only with "of X": "the head of the IMF", "the chief of the army".
HEAD_NOUNS = {"head", "chief", "director", "boss", "chairman", "chairwoman", "leader", "president"}


class _Salience:
    """How prominent each entity is at a point of the article: its mentions in the sentences before,
    weighted by grammatical role and halved for each sentence back. Sentences that are mostly quotation
    share the number of the sentence before them, and names inside quotation marks are not antecedents of a
    pronoun outside them ("…since Reagan,” he says)."""

    def __init__(self, doc: Any, speech: frozenset[str]) -> None:
        from .quotes import find_quoted

        self.doc, self.speech = doc, speech
        quoted: set[int] = set()
        for s in find_quoted(doc.text):
            span = doc.char_span(s.start, s.end, alignment_mode="expand")
            if span is not None:
                quoted.update(range(span.start, span.end))
        self.in_quote = quoted
        self.sent_no = [0.0] * len(doc)
        n = 0.0
        for sent in doc.sents:
            n += 1.0 if sum(1 for t in sent if t.i in quoted) < 0.5 * len(sent) else QUOTED_SENTENCE
            for t in sent:
                self.sent_no[t.i] = n
        self._weights: dict[tuple[int, int], float] = {}

    def weight(self, m: _Mention) -> float:
        key = (m.start, m.end)
        if key not in self._weights:
            node = self.doc[m.start : m.end].root
            for _ in range(3):  # a conjunct or apposition of a subject is a subject
                if node.dep_ in ("conj", "appos") and node.head.i != node.i:
                    node = node.head
            if node.dep_ in SUBJECT_DEPS:
                w = SALIENCE_SPEAKER if node.head.lower_ in self.speech else SALIENCE_SUBJECT
            elif node.dep_ in OBJECT_DEPS:
                w = SALIENCE_OBJECT
            else:
                w = SALIENCE_OTHER
            self._weights[key] = w
        return self._weights[key]

    def score(self, ent: _Entity, pos: int, window: int) -> float:
        here, inside = self.sent_no[pos], pos in self.in_quote
        total = 0.0
        for m in ent.mentions:
            if m.start >= pos or (m.start in self.in_quote and not inside):
                continue
            d = here - self.sent_no[m.start]
            if d <= window:
                total += self.weight(m) * SALIENCE_DECAY ** d
        return total

    def best(self, cands: Sequence[_Entity], pos: int, window: int) -> Optional[_Entity]:
        scored = [(self.score(e, pos, window), i, e) for i, e in enumerate(cands)]
        scored = [x for x in scored if x[0] > 0]
        return max(scored, key=lambda x: (x[0], x[1]))[2] if scored else None

    def last_seen(self, ent: _Entity, pos: int) -> float:
        return max((self.sent_no[m.start] for m in ent.mentions if m.start < pos), default=-1.0)

    def recent_pair(self, pos: int, at: dict[int, _Entity],
                    labels: Optional[tuple[str, ...]] = None) -> Optional[tuple[float, list[_Entity]]]:
        """The latest subject made of two or more conjoined actors before ``pos`` ("Jiang and Li thanked…"),
        within the window: what "they" most often refers to. ``at``: the entity of each mention's head token."""
        here = self.sent_no[pos]
        for i in range(pos - 1, -1, -1):
            if here - self.sent_no[i] > PRONOUN_WINDOW:
                break
            t = self.doc[i]
            if t.dep_ not in SUBJECT_DEPS or i not in at:
                continue
            # Its conjuncts, and the other subjects of its verb (the parse often gives "X and Y met" two).
            subjects = [c for c in t.head.children if c.dep_ in SUBJECT_DEPS] or [t]
            ents: list[_Entity] = []
            for subj in subjects:
                for x in [subj] + [c for c in subj.children if c.dep_ == "conj"]:
                    if x.i in at and not any(at[x.i] is e for e in ents) and (labels is None or at[x.i].label in labels):
                        ents.append(at[x.i])
            if len(ents) >= 2:
                return self.sent_no[i], ents
        return None


def person_keys(name: str, country: Optional[str], listed: bool = True) -> list[str]:
    """What a person may be called alone: their surname keys; for a person the knowledge lacks, named in two
    words, the first word too, as the article may write them family name first ("Kim" for Kim Kye-gwan, "Lin"
    for Lin Yaqing) and its own full name beats any listed person of that surname."""
    keys = surname_keys(name, country)
    words = norm(name).split(" ")
    if len(words) >= 2 and words[0] not in keys and ("-" in words[-1] or (not listed and len(words) == 2)):
        keys.append(words[0])
    return keys


def _one_country(found: Sequence[tuple[int, str]], avoid: frozenset[int] = frozenset()) -> Optional[str]:
    countries = {c for i, c in found if i not in avoid}
    return next(iter(countries)) if len(countries) == 1 else None


def _near_country(doc: Any, start: int, end: int, sent_countries: dict[int, list[tuple[int, str]]]) -> Optional[str]:
    """For a person named at ``start:end``: the one country named in their sentence outside what they act on
    (the objects of their verb), else in the sentence before it in the same paragraph ("China's foreign
    ministry gave a different account. Spokeswoman Lin Yaqing said…")."""
    sent = doc[start].sent
    root = doc[start:end].root
    avoid: set[int] = set()
    if root.dep_ in SUBJECT_DEPS:
        for c in root.head.children:
            if c.dep_ in ("dobj", "dative", "prep", "agent") and c.i > root.i:
                avoid.update(t.i for t in c.subtree)
    here = _one_country(sent_countries.get(sent.start, ()), frozenset(avoid))
    if here or any(i not in avoid for i, _ in sent_countries.get(sent.start, ())):
        return here  # a sentence naming several countries is not the one before's to settle
    if sent.start > 0:
        prev = doc[sent.start - 1].sent
        if "\n\n" not in doc[prev.end - 1 : sent.start + 1].text_with_ws:
            return _one_country(sent_countries.get(prev.start, ()))
    return None


def _igo(code: Optional[str]) -> bool:
    """An international body's CAMEO code (IGOUNO, IGOWSTNAT)."""
    return (code or "").startswith("IGO")


def _sentences(analysis: Analysis) -> int:
    """How many sentences the article has: a lone sentence gives no context to check a place against."""
    doc = analysis.doc
    return sum(1 for _ in doc.sents) if doc is not None else len(re.findall(r"[.!?](?:\s|$)", analysis.article.text))


def _acronyms_of_names(doc: Any, mentions: list[_Mention]) -> None:
    """An acronym the article defines stands for the name before it, all through the article: after "the
    South Lebanon Army (SLA)", "SLA" is not the Sudan Liberation Army the knowledge also calls SLA."""
    defined: dict[str, _Mention] = {}
    for prev, m in zip(mentions, mentions[1:]):
        text = doc[m.start : m.end].text
        if (prev.entry is not None and text.isupper() and m.end - m.start == 1 and m.start >= 1
                and doc[m.start - 1].text == "(" and prev.end == m.start - 1):
            defined[text] = prev
    for m in mentions:
        name = defined.get(doc[m.start : m.end].text) if m.end - m.start == 1 else None
        if name is not None and m is not name:
            m.entry, m.label, m.country, m.sector = name.entry, name.label, name.country, name.sector


def _drop_stray_places(doc: Any, mentions: list[_Mention], dateline_country: Optional[str]) -> None:
    """A town the knowledge lacks is an actor of its country (place_actor) only when the article is about
    that country: in an article on Lebanon and Israel, "South Lebanon" is not the town in Ohio, nor a camp
    called "Balata" the one in Saint Lucia. An article that names no country, or a lone sentence (no context
    to check against), keeps the gazetteer's guess."""
    if sum(1 for _ in doc.sents) < MIN_SENTENCES_TO_CHECK_PLACES:
        return
    named = {m.entry.country for m in mentions if m.entry is not None and m.entry.country and m.entry.kind != "place"}
    if dateline_country:
        named.add(dateline_country)
    if not named:
        return
    for m in mentions:
        if m.entry is not None and m.entry.kind == "place" and m.entry.country not in named:
            m.entry, m.country, m.sector = None, None, ""


def _conjoined_with_person(span: Any) -> bool:
    """A "place" coordinated with a person ("Ban and Taro agreed to meet"): a given name the model took for a
    town, not a place acting."""
    root = span.root
    near = [root.head] if root.dep_ == "conj" else []
    near += [c for c in root.children if c.dep_ == "conj"]
    return any(t.ent_type_ == "PERSON" for t in near)


def _stance(tok: Any) -> bool:
    """A country word that says which side one takes, not whose one is: "pro-Iranian", "anti-Syrian"."""
    doc = tok.doc
    if tok.lower_.startswith(("pro-", "anti-")):
        return True
    return tok.i >= 2 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].lower_ in ("pro", "anti")


def _modifies_plural(doc: Any, m: Any) -> bool:
    """Whether a mention modifies a plural noun, right before it ("Syrian opposition members", "Hamas fighters")
    or as its "of" object ("leaders of the teachers' union"): the group "they" may refer back to."""
    if m.kind == "pronoun":
        return False
    root = doc[m.start : m.end].root
    if root.dep_ == "pobj" and root.head.lower_ == "of":
        return root.head.head.tag_ in ("NNS", "NNPS") and root.head.head.i < m.start
    return root.dep_ in ("compound", "amod", "nmod") and root.head.i == m.end and root.head.tag_ in ("NNS", "NNPS")


def _located(tok: Any, mention_at: dict[int, _Mention]) -> Optional[str]:
    """The country of the place a phrase or the clauses above it are located in ("militants in Gaza", "ordered
    strikes against militants in Gaza"): the nearest locative phrase up the tree that names a placed name."""
    node = tok
    for _ in range(8):  # up to the first verb
        for c in node.children:
            if c.dep_ == "prep" and c.lower_ in LOCATIVE_PREPS:
                for g in c.children:
                    m = mention_at.get(g.i)
                    if g.dep_ == "pobj" and m is not None and m.label in ("GPE", "LOC") and m.country:
                        return m.country
        if node.head.i == node.i or node.dep_ in SUBJECT_DEPS or node.pos_ == "VERB":
            break
        node = node.head
    return None


def _acted_on(tok: Any, armed: bool = False) -> frozenset[int]:
    """What the clause of a subject or agent acts on: in "the army arrested 15 Palestinians" and "15
    Palestinians were arrested by the army", the Palestinians are not the army's country."""
    verb = tok.head if tok.dep_ in SUBJECT_DEPS else tok.head.head if tok.dep_ == "pobj" and tok.head.dep_ == "agent" else None
    if armed and verb is None and tok.dep_ in ("dobj", "pobj") and tok.head.pos_ in ("VERB", "ADP"):
        # ...and for an armed group, the other way: in "Ethiopian troops ousted Islamist fighters", the fighters
        # are not the troops' country (but in "Kenya ordered its troops", the troops are Kenya's)
        acting = tok.head if tok.dep_ == "dobj" else tok.head.head
        if acting.pos_ == "VERB" and tok.head.lower_ not in LOCATIVE_PREPS:
            return frozenset(t.i for c in acting.children if c.dep_ == "nsubj" for t in c.subtree)
    if verb is None or tok.dep_ == "nsubjpass":
        return frozenset()
    out: set[int] = set()
    for c in verb.children:
        if c.dep_ in ("dobj", "dative", "nsubjpass") or c.dep_ == "prep" and c.i > tok.i and c.lower_ not in LOCATIVE_PREPS:
            # ...not where it happened, even inside the phrase: "clashed with police in Nairobi"
            out.update(t.i for t in c.subtree
                       if not any(a.dep_ == "prep" and a.lower_ in LOCATIVE_PREPS and a.i >= c.i for a in t.ancestors))
    out.difference_update(t.i for t in tok.subtree)
    return frozenset(out)


def _title_org(doc: Any, start: int, org_ends: dict[int, "_Entity"], kn: ActorKnowledge) -> Optional["_Entity"]:
    """The organisation whose name ends just before the role words in front of a name: "[Foreign Ministry]
    spokesman Cui Tiankai", "[Defence Ministry] deputy spokesman ..."."""
    j = start
    while j > 0 and j not in org_ends and (kn.role(doc[j - 1].text) or doc[j - 1].lower_.rstrip(".") in TITLE_WORDS
                     or doc[j - 1].lower_ in ("deputy", "chief", "senior", "top", "acting", "'s")):
        j -= 1
    return org_ends.get(j) if j < start else None


def _lesser(role: str, asked: str) -> bool:
    """A deputy's role is not the office it names: "the president" is not the "vice president"."""
    return any(w in LESSER_TITLES for w in role.split(" ")[: -len(asked.split(" "))])


def _close(a: str, b: str) -> bool:
    """Two first names that are the same name, perhaps spelt differently ("Francois", "François")."""
    return a == b or difflib.SequenceMatcher(None, a, b).ratio() >= SURNAME_RATIO


def _same_person(key: str, ent: _Entity) -> bool:
    """A name (normalised) is a shorter form of this person's: a surname, or part of the full name."""
    if key in ent.keys:
        return True
    words = key.split(" ")
    if len(words) > 1 and ent.canonical:
        full = norm(ent.canonical).split(" ")
        return words[-1] == full[-1] and set(words) <= set(full)
    return False


def _apposed_person(tok: Any, mention_at: dict[int, _Mention]) -> Optional[_Entity]:
    """The person a role noun stands in apposition with ("the head of the mission, Franz Vranitzky,")."""
    near = [c for c in tok.children if c.dep_ == "appos"] + ([tok.head] if tok.dep_ == "appos" else [])
    for t in near:
        m = mention_at.get(t.i)
        if m is not None and m.entity is not None and m.entity.label == "PERSON":
            return m.entity
    return None


def _titled_person(doc: Any, tok: Any, mention_at: dict[int, _Mention]) -> Optional[_Entity]:
    """The person a role phrase introduces: the name right after it, over more title words ("Deputy Prime
    Minister and Foreign Minister Pham Gia Khiem"), or a subject's name set off by commas after its phrase
    ("the head of the OSCE mission to Albania, Franz Vranitzky, said"), which the parse often hangs elsewhere."""
    for j in range(tok.i + 1, min(len(doc), tok.i + 8)):
        m = mention_at.get(j)
        if m is not None and m.entity is not None and m.entity.label == "PERSON":
            return m.entity
        if doc[j].pos_ not in ("PROPN", "NOUN", "CCONJ", "ADJ") and doc[j].text != "-":
            break
    # "the exiled leader of the Palestinian Islamic Resistance Movement (Hamas) Khaled Meshaal arrived"
    end = max(t.i for t in tok.subtree) + 1
    while end < len(doc) and doc[end].is_punct and doc[end].text in ")]":
        end += 1
    m = mention_at.get(end)
    if m is not None and m.start == end and m.entity is not None and m.entity.label == "PERSON" and end > tok.i + 1:
        return m.entity
    if tok.dep_ not in SUBJECT_DEPS:
        return None
    for j in range(tok.i + 1, min(len(doc) - 1, tok.i + 25)):
        if doc[j].pos_ in ("VERB", "AUX"):
            break
        m = mention_at.get(j + 1)
        if doc[j].text == "," and m is not None and m.start == j + 1 and m.entity is not None \
                and m.entity.label == "PERSON" and m.end < len(doc) and doc[m.end].text == ",":
            return m.entity
    return None


def _local_antecedent(doc: Any, tok: Any, cands: Sequence[_Entity], root_at: dict[int, _Entity]) -> Optional[_Entity]:
    """A possessive pronoun's nearest possessor or subject up its own clause chain, when it is a fitting
    candidate: "China's determination to defend its sovereignty", "Gingrich toned down his remarks"."""
    node = tok.head
    for _ in range(6):
        for c in node.children:
            if c.i != tok.i and c.i < tok.i and c.dep_ in ("poss", "nsubj", "nsubjpass"):
                ent = root_at.get(c.i)
                if ent is not None and any(ent is x for x in cands):
                    return ent
        if node.head.i == node.i or node.dep_ in ("ccomp", "parataxis") or node.is_sent_start:
            break
        node = node.head
    return None


def _said_of_unnamed(tok: Any, taken: set[int]) -> bool:
    """A subject pronoun of what a noun phrase that names no actor said ("Organisers said they would not
    negotiate"): it refers to that phrase, which no entity covers, so it is left unresolved."""
    if tok.dep_ not in SUBJECT_DEPS or tok.head.dep_ != "ccomp":
        return False
    verb = tok.head.head
    for _ in range(3):  # "Organisers called rallies and said they…": the subject of the first conjunct
        subj = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
        if subj is not None or verb.dep_ != "conj":
            break
        verb = verb.head
    # (a noun a name modifies is named: "Syrian opposition members said they ...", "leaders of the union")
    return subj is not None and subj.pos_ == "NOUN" and subj.i not in taken and not any(
        c.i in taken for c in subj.lefts if c.dep_ in ("compound", "amod", "nmod")) and not any(
        g.i in taken for c in subj.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children)


def _bound(tok: Any, ent: _Entity, doc: Any) -> bool:
    """An object pronoun does not refer to the subject of its own verb ("Li told him": not Li), nor the subject
    of a relative clause to the noun the clause describes ("the soldiers they captured": not the soldiers)."""
    if tok.dep_ in SUBJECT_DEPS and tok.head.dep_ == "relcl":
        described = tok.head.head.i
        return any(doc[m.start : m.end].root.i == described for m in ent.mentions)
    if tok.dep_ not in ("dobj", "dative", "pobj"):
        return False
    verb = tok.head.head if tok.dep_ == "pobj" else tok.head
    for m in ent.mentions:
        root = doc[m.start : m.end].root
        if root.dep_ in SUBJECT_DEPS and root.head.i == verb.i:
            return True
    return False


def _issuer_of(tok: Any, at: dict[int, _Entity]) -> Optional[_Entity]:
    """Who issued a document noun: its modifier ("a foreign ministry statement"), "by/from X", or the subject
    of the verb it is issued with ("X said in a statement", "X adopted a resolution")."""
    for c in tok.lefts:
        if c.dep_ in ("poss", "compound", "amod", "nmod") and c.i in at:
            return at[c.i]
    for c in tok.rights:
        if c.dep_ == "prep" and c.lower_ in ("by", "from"):
            for g in c.children:
                if g.dep_ == "pobj" and g.i in at:
                    return at[g.i]
    verb = None
    if tok.dep_ == "pobj" and tok.head.dep_ == "prep":
        verb = tok.head.head
    elif tok.dep_ == "dobj":
        verb = tok.head
    if verb is not None and verb.pos_ in ("VERB", "AUX"):
        for c in verb.children:
            if c.dep_ == "nsubj" and c.i in at:
                return at[c.i]
    return None


@lru_cache(maxsize=4096)
def _dateline_place(dateline: str) -> Optional[str]:
    """The ISO alpha-2 country of the place a dateline names, from the gazetteer."""
    from ..gazetteer import default_gazetteer
    from .places import dateline_place

    try:
        place = dateline_place(default_gazetteer(), dateline)
    except Exception:  # noqa: BLE001 - no gazetteer index: the dateline gives no country, nothing else changes
        return None
    return place.country if place is not None else None


@lru_cache(maxsize=65536)
def _place_country(text: str) -> Optional[tuple[str, str]]:
    """The GeoNames place a name most likely is, as (its name, ISO alpha-2 country), when it is a clear
    choice (the places stage's prior, over its floor): "Samarra" -> Iraq, "West Darfur State" -> Sudan."""
    from ..gazetteer import default_gazetteer
    from .places import MIN_SCORE, prior

    try:
        cands = default_gazetteer().candidates(text, fuzzy=False)
    except Exception:  # noqa: BLE001 - no gazetteer index: names resolve from the knowledge alone
        return None
    best = max(cands, key=prior, default=None)
    if best is None or prior(best) < MIN_SCORE or not best.place.country:
        return None
    return best.place.name, best.place.country


# Words that name towns somewhere (North, South Carolina) but in news stand for a side or region.
COMPASS_WORDS = frozenset({"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"})


def place_actor(text: str, kn: ActorKnowledge) -> Optional[ActorEntry]:
    """A place the actor knowledge lacks, as an actor of its country (CAMEO codes a town by its country, as
    GDELT does): "Samarra" -> IRQ, "Cizre" -> TUR."""
    if text.strip().lower() in COMPASS_WORDS:
        return None  # "aggression from the North": a region or side, not a town called North
    found = _place_country(text.strip())
    if found is None:
        return None
    country = kn.country(found[1])
    if country is None:
        return None
    return ActorEntry(canonical=found[0], code=country.cameo, country=country.iso3, type="GPE", kind="place")
