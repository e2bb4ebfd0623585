"""Actors: entities resolved to canonical actors with CAMEO codes, and in-document coreference.

From the parse (``Analysis.doc``) and the project's knowledge (``newsevents.knowledge``):

1. **Mentions.** spaCy's named entities, corrected and completed by a phrase matcher over the knowledge's
   names: a known name overrides the small model's label (Kyiv is a GPE, not a PERSON), title-case
   reporting verbs are trimmed from names ("Hegseth Says"), names the model missed are added.
2. **Resolution.** Each name to an actor at the article's date: people by their dates of office ("Clinton"
   in 1997, "Trump" in 2025 -> USAGOV); countries, demonyms, organisations; seats of power as metonyms
   ("the Kremlin", "Moscow" -> RUSGOV). A person the knowledge does not list becomes an actor from the
   words around the name ("Kremlin spokesman Dmitry Peskov" -> Russia, GOV).
3. **Coreference**, without a trained model: a surname repeats the earlier full name ("Peskov"); a
   definite role phrase ("the Kremlin spokesman", "the U.S. president") refers to the person introduced with
   that role, or to the office holder on that date; "he"/"she" as a subject refers to the most recent
   compatible person; "the two leaders", "both sides" to the pair just named.
4. **Groups**: role nouns with a country ("Russian troops", "Ukrainian officials") become group actors
   (RUSMIL, UKRGOV), so that later stages can code them.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from typing import Any, Optional, Sequence

from ..knowledge import ActorEntry, ActorKnowledge, default_knowledge, norm, surname_keys
from ..records import Actor, Analysis, Entity, Mention

NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}
# How many sentences back a pronoun looks for the person it refers to.
PRONOUN_WINDOW = 3
# difflib ratio above which an unknown place name is taken as a misspelling of a known one ("Saudia Arabia").
FUZZY_RATIO = 0.9

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
# A person's "opposition" or "party" is not a group actor; a person's government or forces are.
PERSON_POSSESSED_SECTORS = {"GOV", "MIL", "COP", "SPY"}
PAIR_PERSON_NOUNS = {"leaders", "men", "women", "presidents", "ministers", "sides", "officials"}
PAIR_STATE_NOUNS = {"countries", "nations", "states", "governments", "sides", "neighbours", "neighbors", "powers"}


@dataclass
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


@dataclass
class _Entity:
    key: tuple
    label: str
    canonical: Optional[str]
    country: Optional[str]
    code: Optional[str]
    role: str = ""
    gender: str = ""
    mentions: list[_Mention] = field(default_factory=list)
    surname: str = ""


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
        self._speech = _speech_verbs()

    # --- the stage ------------------------------------------------------------------------------------
    def __call__(self, batch: Sequence[Analysis]) -> list[Analysis]:
        return [replace(a, entities=self.resolve(a.doc, a.article.published)) for a in batch]

    def resolve(self, doc: Any, day: Optional[str]) -> tuple[Entity, ...]:
        mentions = self._name_mentions(doc, day)
        entities = self._cluster(doc, mentions, day)
        self._nominals(doc, mentions, entities, day)
        self._pronouns(doc, mentions, entities)
        self._pairs(doc, mentions, entities)
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
            if end - start > 1 and m.label == "PERSON" or (entry is not None and entry.kind == "person"):
                for key in surname_keys(text, entry.country if entry else None):
                    earlier.setdefault(key, entry)
            if entry is None and m.label in ("PERSON", "ORG") and end - start == 1 and text[:1].isupper():
                key = norm(text)
                if key in earlier:
                    entry = earlier[key]
                    m.label = "PERSON"
                else:
                    entry = self.kn.lookup_surname(text, day)
                    # A bare proper noun the model did not call a name must be someone in office that day
                    # ("Trump" in 2025); one the model tagged may be a former office holder ("Reagan").
                    if entry is not None and m.kind == "surname" and entry.sector in ("ELI", ""):
                        entry = None
            if entry is None and m.label in ("GPE", "LOC"):
                entry = self._fuzzy_place(text)
            if entry is None and (not m.label or m.kind == "surname"):
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
        for m in kept:
            if m.label in ("PERSON", "ORG") or (m.entry is None):
                self._context(doc, m, day)
        return kept

    def _trim(self, doc: Any, start: int, end: int, label: str) -> tuple[int, int]:
        while start < end and doc[start].lower_ in ("the", "a", "an"):
            start += 1
        while end > start and (doc[end - 1].is_punct or doc[end - 1].lower_ in ("'s", "’s")):
            end -= 1
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
        while i >= 0 and m.start - i <= 5:
            t = doc[i]
            if t.dep_ in ("compound", "amod", "nmod", "poss", "case", "det", "punct") and (t.head.i in inside or t.head.i > i):
                if t.dep_ != "punct":
                    toks.append(t)
                inside.add(i)
                i -= 1
                continue
            break
        # Appositions: "[Dmitry Peskov], the Kremlin spokesman," and "the Kremlin's spokesman, [Dmitry Peskov]".
        for child in root.children:
            if child.dep_ == "appos":
                toks.extend(t for t in child.subtree if t.i not in range(m.start, m.end))
        if root.dep_ == "appos" and root.head.i not in range(m.start, m.end):
            toks.extend(t for t in root.head.subtree if t.i < m.start and t.i not in range(m.start, m.end))
        return toks

    def _context(self, doc: Any, m: _Mention, day: Optional[str]) -> None:
        toks = self._context_tokens(doc, m)
        if not toks:
            return
        country, sector, role, gender = None, "", "", ""
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
            entry = self.kn.lookup(t.text, day) if t.text[:1].isupper() else None
            if entry is None and t.text[:1].isupper() and t.i + 1 < len(doc):
                entry = self.kn.lookup(doc[t.i : t.i + 2].text, day)
            if entry is not None and entry.country and entry.kind in ("country", "demonym", "metonym"):
                country = entry.country
                break
        for w in words:
            if w.lower() in FEMALE_WORDS:
                gender = "f"
            elif w.lower() in MALE_WORDS:
                gender = "m"
        if m.entry is None:
            m.country = country
            m.sector = sector
            if m.label in ("ORG", "") and role and PERSON_ROLE.search(role):
                m.label = "PERSON"
        m.role = m.role or role
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
                surname = norm(text).split(" ")[-1]
                # A surname alone repeats the earlier full name: "Peskov" -> Dmitry Peskov.
                prior = next((e for e in reversed(persons) if e.surname == surname), None)
                key = prior.key if prior else ("person", norm(text))
            else:
                key = (m.label, norm(text))
            ent = by_key.get(key)
            if ent is None:
                code, country, canonical = self._code(m, text)
                ent = _Entity(key=key, label=m.label, canonical=canonical, country=country, code=code)
                if m.label == "PERSON":
                    ent.surname = norm(text).split(" ")[-1]
                    persons.append(ent)
                by_key[key] = ent
                entities.append(ent)
            else:
                m.kind = "alias" if m.kind == "name" and doc[m.start : m.end].text != self._text(doc, ent.mentions[0]) else m.kind
            if LABEL_RANK.get(m.label, 9) < LABEL_RANK.get(ent.label, 9):
                ent.label = m.label  # "Russian" then "Russia": the entity is the GPE
            if m.role and not ent.role:
                ent.role = m.role
            if m.gender and not ent.gender:
                ent.gender = m.gender
            if ent.country is None and m.country:
                ent.country = m.country
                ent.code = self._make_code(m.country, m.sector or ("GOV" if m.label == "PERSON" and m.role else ""))
            m.entity = ent
            ent.mentions.append(m)
        return entities

    def _code(self, m: _Mention, text: str) -> tuple[Optional[str], Optional[str], Optional[str]]:
        if m.entry is not None:
            return m.entry.code, m.entry.country, m.entry.canonical
        if m.country:
            return self._make_code(m.country, m.sector), m.country, text
        return None, None, text

    def _make_code(self, country: Optional[str], sector: str) -> Optional[str]:
        if not country:
            return sector or None
        c = self.kn.countries.get(country)
        return (c.cameo if c else country) + (sector or "")

    @staticmethod
    def _text(doc: Any, m: _Mention) -> str:
        return doc[m.start : m.end].text

    # --- 3. role phrases: "the Kremlin spokesman", "the U.S. president", "Russian troops" ---------------
    def _nominals(self, doc: Any, mentions: list[_Mention], entities: list[_Entity], day: Optional[str]) -> None:
        taken = {i for m in mentions for i in range(m.start, m.end)}
        mention_at = {i: m for m in mentions for i in range(m.start, m.end)}
        groups: dict[tuple, _Entity] = {}
        ws = [t.text_with_ws for t in doc]
        for tok in doc:
            if tok.i in taken or tok.pos_ not in ("NOUN", "PROPN"):
                continue
            if tok.dep_ == "compound" and tok.head.i in mention_at:
                continue  # "spokesman" in "Kremlin spokesman Dmitry Peskov": context of the name
            # The role: the head noun, or a two/three-word role ending at it ("foreign minister").
            role, sector, start = "", "", tok.i
            for n in (3, 2, 1):
                if tok.i - n + 1 < 0:
                    continue
                phrase = "".join(ws[tok.i - n + 1 : tok.i + 1]).rstrip()
                sec = self.kn.role(phrase)
                if sec:
                    role, sector, start = norm(phrase), sec, tok.i - n + 1
                    break
            if not role:
                continue
            left = [t for t in tok.lefts if t.i not in taken or t.i in mention_at]
            det = next((t for t in left if t.dep_ == "det"), None)
            country = None
            owner = next((mention_at[t.i] for t in left if t.dep_ == "poss" and t.i in mention_at), None)
            if owner is not None and owner.label == "PERSON" and sector not in PERSON_POSSESSED_SECTORS:
                continue
            for t in sorted(left, key=lambda t: t.i):
                m = mention_at.get(t.i)
                if m is not None and (m.country or (m.entity and m.entity.country)):
                    country = m.country or m.entity.country
                    start = min(start, m.start)
                elif t.dep_ in ("amod", "compound", "poss") and t.text[:1].isupper():
                    e = self.kn.lookup(t.text, day)
                    if e is not None and e.country:
                        country = e.country
                        start = min(start, t.i)
            if det is not None:
                start = min(start, det.i)
            plural = tok.tag_ in ("NNS", "NNPS")
            span_end = tok.i + 1
            mention = _Mention(start, span_end, "PERSON", "title", country=country, sector=sector, role=role)
            target = None
            if not plural and det is not None and det.lower_ in ("the", "this", "that"):
                target = self._role_antecedent(entities, mention, day)
            if target is not None:
                mention.entity = target
                target.mentions.append(mention)
                for i in range(start, span_end):
                    taken.add(i)
                continue
            if country is None:
                continue
            # An office holder on that date: "the U.S. president" in 2025 -> Donald Trump.
            offices = OFFICE_OF_ROLE.get(role)
            if not plural and offices:
                holder = self.kn.holder(country, offices, day)
                if holder is not None:
                    key = ("known", holder.canonical, holder.code)
                    ent = next((e for e in entities if e.key == key), None)
                    if ent is None:
                        ent = _Entity(key=key, label="PERSON", canonical=holder.canonical, country=holder.country,
                                      code=holder.code, role=role, surname=norm(holder.canonical).split(" ")[-1])
                        entities.append(ent)
                    mention.entity = ent
                    ent.mentions.append(mention)
                    taken.update(range(start, span_end))
                    continue
            key = ("group", country, sector, plural)
            ent = groups.get(key)
            if ent is None:
                c = self.kn.countries.get(country)
                cname = c.name if c else country
                ent = _Entity(key=key, label="GROUP" if plural else "ROLE",
                              canonical=f"{cname} ({SECTOR_NAMES.get(sector, sector)})",
                              country=country, code=self._make_code(country, sector), role=role)
                groups[key] = ent
                entities.append(ent)
            mention.kind = "group" if plural else "title"
            mention.label = ent.label
            mention.entity = ent
            ent.mentions.append(mention)
            taken.update(range(start, span_end))

    def _role_antecedent(self, entities: list[_Entity], mention: _Mention, day: Optional[str]) -> Optional[_Entity]:
        """The person earlier in the article introduced with this role (and country, if the phrase has one)."""
        best, best_pos = None, -1
        for e in entities:
            if e.label != "PERSON" or not e.role:
                continue
            if e.role != mention.role and not (e.role.endswith(mention.role) or mention.role.endswith(e.role)):
                continue
            if mention.country and e.country and mention.country != e.country:
                continue
            first = min(m.start for m in e.mentions)
            if first < mention.start and first > best_pos:
                best, best_pos = e, first
        return best

    # --- 4. pronouns --------------------------------------------------------------------------------------
    def _pronouns(self, doc: Any, mentions: list[_Mention], entities: list[_Entity]) -> None:
        # A person named inside a quotation is rarely who the pronoun after it refers to ("…since Reagan,”
        # he says"): outside quotes, only mentions outside quotes are candidates.
        from .quotes import find_quoted

        spans = (doc.char_span(s.start, s.end, alignment_mode="expand") for s in find_quoted(doc.text))
        in_quote = {t.i for span in spans if span is not None for t in span}
        person_mentions = sorted(
            (m for e in entities if e.label == "PERSON" for m in e.mentions), key=lambda m: m.start)
        sents = list(doc.sents)
        sent_index = {t.i: n for n, s in enumerate(sents) for t in s}
        for tok in doc:
            low = tok.lower_
            if low not in ("he", "she") or tok.dep_ not in ("nsubj", "nsubjpass"):
                continue
            gender = "f" if low == "she" else "m"
            here = sent_index[tok.i]
            best = None
            for m in reversed(person_mentions):
                if m.start >= tok.i or (m.start in in_quote and tok.i not in in_quote):
                    continue
                if here - sent_index[m.start] > PRONOUN_WINDOW:
                    break
                ent = m.entity
                if ent is None or (ent.gender and ent.gender != gender):
                    continue
                best = ent
                break
            if best is None:
                continue
            if not best.gender:
                best.gender = gender
            pm = _Mention(tok.i, tok.i + 1, "PERSON", "pronoun", entity=best)
            best.mentions.append(pm)
            person_mentions.append(pm)
            person_mentions.sort(key=lambda m: m.start)

    # --- 5. "the two leaders", "both sides" -----------------------------------------------------------------
    def _pairs(self, doc: Any, mentions: list[_Mention], entities: list[_Entity]) -> None:
        for tok in doc:
            if tok.lower_ not in PAIR_PERSON_NOUNS | PAIR_STATE_NOUNS and not (tok.lower_ == "two" and tok.dep_ in ("nsubj", "nsubjpass")):
                continue
            lefts = [t.lower_ for t in tok.lefts]
            if tok.lower_ == "two":
                if not any(t.lower_ == "the" for t in tok.lefts):
                    continue
                wanted = ("PERSON", "GPE", "ORG")
                start = tok.i - 1
            elif "two" in lefts or "both" in lefts:
                wanted = ("PERSON",) if tok.lower_ in PAIR_PERSON_NOUNS - {"sides"} else ("GPE", "ORG", "PERSON")
                start = min(t.i for t in tok.lefts if t.lower_ in ("the", "two", "both"))
            else:
                continue
            seen: list[_Entity] = []
            for m in sorted((m for e in entities for m in e.mentions), key=lambda m: -m.start):
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
            out.append(Entity(id=eid, text=head.text, type=e.label, start=head.start, end=head.end,
                              canonical=e.canonical or head.text, country=e.country, code=e.code, mentions=mentions))
        return tuple(out)


SECTOR_NAMES = {
    "GOV": "government", "MIL": "military", "COP": "police", "REB": "rebels", "OPP": "opposition",
    "CVL": "civilians", "JUD": "judiciary", "LEG": "legislature", "BUS": "business", "MED": "media",
    "REF": "refugees", "PTY": "party", "LAB": "labour", "EDU": "education", "HLH": "health", "SPY": "intelligence",
    "UAF": "armed group", "CRM": "criminals", "HRI": "human rights", "ENV": "environment", "AGR": "agriculture",
    "ELI": "elites", "REL": "religious", "NGO": "NGO", "IGO": "IGO",
}


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
            score = overlap + (1000 if inside else 0) + (0 if m.kind == "pronoun" else 500) + (200 if ent.country else 0)
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
    if entry is not None:
        return Actor(name=entry.canonical, code=entry.code, country=entry.country)
    if best is not None:
        return Actor(name=best.canonical or best.text, code=best.code, country=best.country, entity_id=best.id)
    return None
