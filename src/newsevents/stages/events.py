"""Events: who did what to whom — CAMEO and PLOVER events with actors, modality, date, place and evidence.

A dependency-pattern coder, explainable row by row and extensible with data:

- ``knowledge/event_patterns.tsv``: a predicate (a verb lemma, or ``n:`` and a noun lemma), the words that
  must hang from it ("hold talk", "impose sanction"), the CAMEO code, and where the target is (the object,
  a preposition's object, the subject of the clause it governs, ...).
- ``knowledge/cameo.tsv``: every CAMEO code with its Goldstein score, root, quad class and PLOVER type/mode.
- ``knowledge/event_modality.tsv``: negation, hypothetical and intention words.

For each predicate that matches a pattern (the most specific pattern first) the coder finds the source
(the subject; the subject of the verb it depends on for "to negotiate", "agreed to meet"; the agent of a
passive; for a noun its possessor, its "by" phrase or the subject of its light verb, "launched an
invasion"), the target (the pattern's slot), both through the actors stage's entities and coreference
("he", "the two leaders", "its"); then the modality: negated ("did not attack", "neither confirmed nor
denied"), hypothetical ("could", "if"), or an intention ("plans to attack", "expects to meet": recoded
with CAMEO's intent codes). Compound actors give one event per actor ("Trump and Putin met" is symmetric).
A reported plan ("the Kremlin said a meeting between Trump and Putin should be arranged") is the speaker's
intention towards the other party. Each event carries its evidence sentence, the date and place attached to
its clause (through the dates and places stages when they ran), a confidence and the rule that made it.
"""

from __future__ import annotations

import bisect
import time
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

from ..errors import ConfigError
from ..knowledge import DATA, ActorKnowledge, default_knowledge, norm, read_table
from ..records import Actor, Analysis, Entity, Event
from .actors import DATELINE_OPENING, LOCATIVE_PREPS, place_actor, resolve_span
from .event_model import MODEL_FILE, NONE, clause_features, default_model, default_vectors, is_event_noun
from .places import dateline_parts

# Confidence: a pattern match starts here; each required extra word it matched adds a little, and each
# inference the coder had to make (a borrowed subject, an actor from the words alone, a hypothetical)
# takes some away. Set by hand so that a plain "X attacked Y" is 0.8; they order events, they are not
# calibrated probabilities.
BASE_CONFIDENCE = 0.8
EXTRA_WORD_BONUS = 0.05
BORROWED_SOURCE_PENALTY = 0.1
WORDS_ONLY_ACTOR_PENALTY = 0.1
HYPOTHETICAL_PENALTY = 0.2
PHRASE_TARGET_PENALTY = 0.1
UNTARGETED_PENALTY = 0.1  # a pattern's target slots named no actor (kept in monadic coding only)
# How many heads up the parse a predicate may look for its subject ("started forming a delegation to
# negotiate" reaches "officials").
MAX_CLIMB = 5
CLIMB_DEPS = frozenset({"xcomp", "advcl", "conj", "acl", "pcomp", "prep", "ccomp", "dobj", "relcl", "acomp", "pobj"})
LIGHT_VERBS = frozenset({"hold", "launch", "begin", "start", "stage", "conduct", "carry", "make", "pay", "have",
                         "open", "resume", "continue", "announce", "order", "mount", "wage", "impose", "lead",
                         "renew", "restart", "reopen", "play", "commence", "initiate", "undertake", "step", "intensify",
                         "escalate", "unleash", "perform"})
SPEECH_LEMMAS = frozenset({"say", "tell", "add", "state", "announce", "declare", "claim", "insist", "stress", "note"})
POSSESSIVE_PRONOUNS = frozenset({"its", "their", "his", "her"})
# What two parties conclude together: "an agreement was signed between X and Y" names both as its parties.
ACCORD_NOUNS = frozenset({"agreement", "accord", "deal", "treaty", "pact", "truce", "ceasefire", "memorandum",
                          "protocol", "contract", "document", "declaration", "communique", "arrangement"})
# Nouns of meeting: "in talks with X" on a verb gives the verb's partner.
MEETING_NOUNS = frozenset({"talk", "talks", "meeting", "call", "conversation", "discussion", "negotiation",
                           "consultation", "summit", "session"})
# Acts only a state's authorities do, whose passive may leave them unnamed ("was arrested", "was charged",
# "was questioned", "was sentenced"): CAMEO 173 arrest/detain/charge, 090 investigate, 116 convict/sentence.
AUTHORITY_ACTS = frozenset({"173", "090", "116"})
# What talks do when they end without agreement: "the talks collapsed", "negotiations broke down".
FAILING_VERBS = frozenset({"collapse", "fail", "stall", "founder", "break"})
# Verbs whose "of" or "with" act is alleged, not reported as done: "accused X of backing the rebels".
ALLEGING_VERBS = frozenset({"accuse", "suspect", "charge", "convict", "allege", "indict"})
# What one receives from another that is the other's aid, and its CAMEO code: economic (071), military (072),
# humanitarian (073), other (070). "Peru received 5,000 doses of vaccine from Chile" is Chile's aid to Peru;
# support received is the giver's endorsement (051): "the motion received support from Norway".
RECEIVED_AID = {"aid": "070", "assistance": "070", "help": "070", "donation": "070", "shipment": "070",
                "loan": "071", "grant": "071", "credit": "071", "fund": "071", "funding": "071", "money": "071",
                "weapon": "072", "arm": "072", "arms": "072", "equipment": "072", "missile": "072", "jet": "072",
                "dose": "073", "vaccine": "073", "food": "073", "medicine": "073", "supply": "073", "relief": "073",
                "tent": "073", "blanket": "073", "support": "051", "backing": "051", "endorsement": "051"}
# Verbs of wanting others' talks: "wished a dialogue between X and Y" is an appeal to them to negotiate (026).
WISHING_VERBS = frozenset({"want", "wish", "hope", "seek", "encourage", "favour", "favor", "urge"})
# Nouns that count or carry acts: "launched a wave of attacks", "held a new round of talks", "ordered the
# resumption of strikes".
QUANTITY_NOUNS = frozenset({"wave", "series", "spate", "round", "string", "barrage", "volley", "flurry", "salvo",
                            "number", "dozen", "hundred", "campaign", "cycle", "set", "resumption", "continuation",
                            "escalation", "intensification", "expansion"})
FIRST_PERSON = frozenset({"we", "i", "us", "me", "our", "my"})  # inside a direct quote: its speaker
SUBJECT_DEPS = ("nsubj", "nsubjpass")
# Where the learned model looks for a clause's target, in order.
MODEL_TARGET_SLOTS = ("dobj", "prep:with", "prep:against", "prep:on", "prep:to", "prep:over", "prep:at", "prep:into",
                      "prep:from", "prep:for", "prep:in", "dative", "comp-subj")
MODEL_NOUN_TARGET_SLOTS = ("prep:with", "prep:between", "prep:against", "prep:on", "prep:to", "prep:of", "prep:over",
                           "prep:into", "prep:from")
# The model's probability under which it abstains. Swept for the model trained on 9,182 exemplars (session 9;
# dev precision / recall and PLV coverage; clause-target and no-target thresholds in brackets): 0.45 (0.6, 0.5)
# 0.808 / 0.607, 0.627; 0.4 (0.6, 0.5) 0.799 / 0.607, 0.631; 0.4 (0.5, 0.45) 0.795 / 0.612, 0.634; 0.35 (0.5,
# 0.45) 0.792 / 0.617, 0.638. The first keeps dev precision over 0.80; lower thresholds buy little coverage.
MODEL_THRESHOLD = 0.45
DENIAL_VERBS = frozenset({"deny", "dismiss", "reject", "refute", "dispute"})
# Prepositions that frame a nominal event in the clause of a verb whose subject took part in it: "arrived
# for talks with", "spoke after a meeting with", "said during a visit to".
FRAME_PREPS = frozenset({"for", "during", "after", "at", "following", "before", "ahead"})
# Reporting verbs whose reported clause, with "must" or "should", is a demand or an appeal of the speaker to
# the clause's subject ("said India must cut tariffs"), and the code each modal gives.
DEMAND_MODALS = {"must": "100", "should": "020"}
DEMAND_SPEECH = frozenset({"say", "tell", "insist", "stress", "add", "declare", "state", "reiterate", "warn"})
# Sectors of actors who act on their own government when an act names no other party: a protest, a boycott,
# a rebel ceasefire is aimed at the government.
NONSTATE_SECTORS = frozenset({"OPP", "PTY", "REB", "CVL", "LAB", "EDU", "MED", "BUS", "REF", "NGO", "REL", "INS",
                              "SEP", "AGR", "HLH", "UAF", "ELI"})
IMPLICIT_TARGET_ROOTS = ("14", "12", "087", "11")
# The roots of violence (assault, fight, mass violence). Violence whose doer the clause does not name ("three
# soldiers were killed", "a car bomb killed two"): in monadic coding, coded with an unidentified attacker
# (CAMEO's UAF, unidentified armed forces), as GDELT codes such reports with an empty or unidentified Actor1.
VIOLENCE_ROOTS = ("18", "19", "20")
UNIDENTIFIED_ATTACKER = Actor(name="unidentified attackers", code="UAF")
# Harm a verdict of responsibility may be about besides acts of force: "said X was responsible for the deaths".
HARM_NOUNS = frozenset({"death", "killing", "blast", "explosion", "violence", "massacre", "abduction", "kidnapping"})
# Roots whose act two coordinated subjects do with each other ("X and Y met", "signed", "clashed"), unless the
# text says "each other": for the others, each subject acts on its own ("X and Y refused", "condemned").
JOINT_ROOTS = ("03", "04", "05", "06", "08", "19", "20")
# Military exercises: two parties holding them together cooperate (062) rather than show force (150).
EXERCISE_NOUNS = frozenset({"exercise", "drill", "game", "maneuver", "manoeuvre"})
# Roots of force, whose use on a condition is a threat (138): posture, coercion, violence.
FORCE_ROOTS = ("15", "17", "18", "19", "20")
# Verbs of a purpose clause that name whom aid is for ("donated vaccines to help X").
AID_PURPOSES = frozenset({"help", "assist", "support", "aid", "benefit", "feed", "rebuild", "fund", "finance"})
# Named entities that are actors by name alone when the knowledge cannot code them (monadic coding only).
UNCODED_TYPES = frozenset({"PERSON", "ORG"})
# Named-entity types that are never actors, whatever the knowledge makes of their words: "on May 3" is no
# Theresa May.
NOT_ACTOR_ENTS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
# A pattern's act whose slots name no one takes another actor its clause names as its target when the model
# reads the clause as the pattern's root with at least this probability (swept on dev and PLV, session 9: 0.35,
# 0.5 and 0.65 all gave PLV coverage 0.656-0.658 and dev precision 0.804-0.811; without the model's agreement,
# dev precision fell from 0.819 to 0.761).
CLAUSE_TARGET_AGREEMENT = 0.5
# Dependents that open a clause of their own: an adverbial or relative clause's actors are not the act's
# ("occupied the zone to protect its border from attacks by X").
CLAUSE_DEPS = frozenset({"advcl", "relcl", "parataxis", "csubj"})
# Codes whose act is done somewhere as much as to someone (aid, posture, coercion, force, ceasefires and other
# de-escalation, eased restrictions), and the prepositions of where: the place's country is the target when the
# text names no one (_where).
WHERE_ROOTS = ("07", "15", "17", "18", "19", "20", "081", "087", "166")
WHERE_PREPS = frozenset({"in", "into", "to", "across", "inside", "throughout", "within"})
# ...and for a withdrawal or surrender, where it is from ("surrendered from the group's holdout in Syria").
RETREAT_CODES = ("087", "166")
# Aid given or stopped, whose recipient the place it goes to stands for when the text names none (_aid_place).
AID_PLACE_CODES = ("07", "162")
AID_PLACE_NOTE = "target: the country where the aid goes (the text names no placed recipient)"
# The dependents through which aid's phrase is searched for the place it goes to (_aid_place), with purpose
# infinitives: its object, prepositions and their objects, participles ("those affected in X").
AID_PHRASE_DEPS = frozenset({"dobj", "dative", "prep", "pobj", "acl"})
# Criticism naming no one ("the opposition denounced massive fraud") is aimed at the government only when
# the critic is the political opposition.
OPPOSITION_SECTORS = frozenset({"OPP", "PTY"})
# Verbs whose negation over an act makes it a refusal: "did not want to meet", "would not agree to lift".
REFUSING_HEADS = frozenset({"want", "agree", "intend", "plan", "wish", "accept"})
# Dependents through which a negation word negates the predicate it hangs on.
NEGATING_DEPS = frozenset({"neg", "advmod", "det", "aux", "auxpass", "preconj", "cc", "npadvmod", "prep", "dobj"})
# ...and when the target is only another actor the clause names, not one in a slot of the predicate.
MODEL_THRESHOLD_CLAUSE_TARGET = 0.6
# ...and for an act with no target at all, coded only when monadic events are asked for (Config.monadic_events).
MODEL_THRESHOLD_NO_TARGET = 0.5
# Roots the model does not code: plain statements (01: "expressed hope", "said it believed") are what most
# clauses with two actors are, have no PLOVER type, and were right 1 time in 6 on the dev set when the model
# coded them; the patterns still code the specific ones ("condolences", "denied").
MODEL_SKIP_ROOTS = ("01",)


@dataclass(frozen=True)
class Pattern:
    predicate: str
    noun: bool
    extras: tuple[str, ...]
    cameo: str
    targets: tuple[str, ...]
    note: str
    text: str


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    goldstein: float
    root: str
    quad_class: int
    plover: Optional[str]
    plover_mode: Optional[str]


@dataclass
class Codebook:
    codes: dict[str, Code]
    patterns: dict[str, list[Pattern]]  # by predicate key ('attack', 'n:invasion')
    intent_verbs: frozenset[str]
    hypothetical: frozenset[str]
    negation: frozenset[str]
    intent_code: dict[str, str]
    groups: frozenset[str] = frozenset()  # "dozens of X": the noun's "of" object is the actor
    appeal_verbs: frozenset[str] = frozenset()  # "asked X to ...": the governed event is asked for, not done
    pledge_verbs: frozenset[str] = frozenset()  # "agreed to ...": an intention to cooperate when the act is uncoded
    refusal_code: dict[str, str] = field(default_factory=dict)  # CAMEO code (prefix) -> its refusal (12x)
    proposals: frozenset[str] = frozenset()  # "a call from X": the noun's "from"/"by" object is the other party
    reason_verbs: frozenset[str] = frozenset()  # "blamed X for the attacks": the "for" noun is not the subject's act
    refusing_verbs: frozenset[str] = frozenset()  # "refused to send troops": the act governed is refused (12x)
    instruments: frozenset[str] = frozenset()  # "a roadside bomb killed": a subject that is a weapon, not an actor
    disapproving: frozenset[str] = frozenset()  # "said the pact was short-sighted": criticism of whose it is
    parts: frozenset[str] = frozenset()  # "withdrew half of its troops": with the groups, a part of what "of" names
    verdict_code: dict[str, str] = field(default_factory=dict)  # "said X was responsible": a verdict's own code
    figurative: frozenset[str] = frozenset()  # "fight the epidemic": force against no one is a figure of speech

    @classmethod
    def load(cls, directory: Optional[Path] = None, extra_patterns: Iterable[Path] = ()) -> "Codebook":
        d = Path(directory) if directory else DATA
        codes = {}
        for r in read_table(d / "cameo.tsv"):
            try:
                codes[r["code"]] = Code(code=r["code"], name=r["name"], goldstein=float(r["goldstein"]),
                                        root=r["root"], quad_class=int(r["quad_class"]),
                                        plover=r.get("plover_event") or None, plover_mode=r.get("plover_mode") or None)
            except (KeyError, ValueError) as exc:
                raise ConfigError(f"{d / 'cameo.tsv'}: bad row {r}: {exc}") from exc
        patterns: dict[str, list[Pattern]] = {}
        for path in (d / "event_patterns.tsv", *extra_patterns):
            for r in read_table(path):
                words = r["pattern"].lower().split()
                if not words or r["cameo"] not in codes:
                    raise ConfigError(f"{path}: pattern {r['pattern']!r} has an unknown CAMEO code {r['cameo']!r}")
                head = words[0]
                p = Pattern(predicate=head.removeprefix("n:"), noun=head.startswith("n:"), extras=tuple(words[1:]),
                            cameo=r["cameo"], targets=tuple(t.strip() for t in (r.get("target") or "dobj").split("|")),
                            note=r.get("note", ""), text=r["pattern"])
                patterns.setdefault(head, []).append(p)
        for plist in patterns.values():
            plist.sort(key=lambda p: -len(p.extras))  # most specific first
        # event_modality.tsv: word lists by kind, and the "*_code" kinds' maps of word -> code.
        words: dict[str, set[str]] = {}
        maps: dict[str, dict[str, str]] = {}
        for r in read_table(d / "event_modality.tsv"):
            if r["kind"].endswith("_code"):
                maps.setdefault(r["kind"], {})[r["word"]] = r["value"]
            else:
                words.setdefault(r["kind"], set()).add(r["word"])

        def of(kind: str) -> frozenset[str]:
            return frozenset(words.get(kind, ()))

        return cls(codes=codes, patterns=patterns, intent_verbs=of("intent"), hypothetical=of("hypothetical"),
                   negation=of("negation"), intent_code=maps.get("intent_code", {}), groups=of("group"),
                   proposals=of("proposal"), appeal_verbs=of("appeal"), pledge_verbs=of("pledge"),
                   refusal_code=maps.get("refusal_code", {}), reason_verbs=of("reason"), refusing_verbs=of("refuse"),
                   instruments=of("instrument"), disapproving=of("disapproving"), parts=of("part"),
                   verdict_code=maps.get("verdict_code", {}), figurative=of("figurative"))


@lru_cache(maxsize=2)
def default_codebook() -> Codebook:
    return Codebook.load()


CALIBRATION_FILE = DATA / "event_confidence.tsv"


@dataclass(frozen=True)
class Calibration:
    """From a coder's raw score to a calibrated confidence: for each way of deciding (``pattern``, ``model``),
    bins of raw score and the share of such events found right when measured
    (``scripts/calibrate_confidence.py``). An event at 0.8 is right about 80% of the time."""

    bins: dict[str, list[tuple[float, float]]]  # kind -> [(raw score up to, confidence)] ascending

    @classmethod
    def load(cls, path: Path = CALIBRATION_FILE) -> "Calibration":
        bins: dict[str, list[tuple[float, float]]] = {}
        for r in read_table(path):
            try:
                bins.setdefault(r["kind"], []).append((float(r["raw_to"]), float(r["confidence"])))
            except (KeyError, ValueError) as exc:
                raise ConfigError(f"{path}: bad row {r}: {exc}") from exc
        return cls({k: sorted(v) for k, v in bins.items()})

    def __call__(self, kind: str, raw: float) -> float:
        table = self.bins.get(kind)
        if not table:
            return raw
        return next((conf for upto, conf in table if raw <= upto), table[-1][1])


@lru_cache(maxsize=2)
def default_calibration() -> Optional[Calibration]:
    return Calibration.load() if CALIBRATION_FILE.exists() else None


@dataclass
class _Found:
    """A pattern match in a sentence, before it becomes events."""

    pattern: Pattern
    predicate: Any  # the token
    matched: list[Any]  # tokens of the extra words
    sources: list[Actor]
    targets: list[Actor]
    borrowed_source: bool = False
    words_only: bool = False
    phrase_target: bool = False  # the target came from inside the object's phrase ("a depot of the army")
    conditional: bool = False  # under "if", "unless", "whether"
    refusal: bool = False  # "will not lift": recoded as the refusal (12x) of the act
    requested: bool = False  # governed by a verb of asking ("asked X to consult with Y")
    cameo: str = ""
    negated: bool = False
    hypothetical: bool = False
    intent: bool = False
    score: Optional[float] = None  # the model's probability, for a clause the model coded
    untargeted: bool = False  # a monadic pattern match whose target slots named no actor
    condition: Any = None  # the "if" clause the act depends on ("would intervene if China invaded")
    until: Any = None  # the "until" clause a refusal lasts for ("will not end the strike until the government ...")
    notes: list[str] = field(default_factory=list)  # conventions applied, said in the event's rule


class Events:
    name = "events"
    version = "1"
    requires: tuple[str, ...] = ("doc", "entities")
    assigns: tuple[str, ...] = ("events",)

    def __init__(self, knowledge: Optional[ActorKnowledge] = None, codebook: Optional[Codebook] = None,
                 monadic: bool = False, model: Any = "default", calibration: Any = "default") -> None:
        self.kn = knowledge or default_knowledge()
        self.cb = codebook or default_codebook()
        # The learned model for clauses the patterns leave uncoded (stages.event_model); None: patterns only.
        if model == "default":
            model = default_model() if MODEL_FILE.exists() else None
        self.model = model
        self.vectors = default_vectors() if getattr(model, "dense_coef", None) is not None else None
        self.model_seconds, self.model_clauses = 0.0, 0  # time in the learned model, clauses it classified
        # Raw scores to calibrated confidences (knowledge/event_confidence.tsv); None: raw scores.
        self.calibration = default_calibration() if calibration == "default" else calibration
        # Verbs whose xcomp act is coded at its own verb, as an intention ("agreed to release"): not the model's.
        self._governing = self.cb.intent_verbs | self.cb.pledge_verbs
        # Event data is dyadic: who did what to whom. A pattern's target-less fallback ("Hungary ruled out
        # sending troops") names no "whom"; such events are coded only when asked (Config.monadic_events).
        self.monadic = monadic

    def __call__(self, batch: Sequence[Analysis]) -> list[Analysis]:
        return [replace(a, events=self.code(a)) for a in batch]

    # --- one article ------------------------------------------------------------------------------------
    def code(self, a: Analysis) -> tuple[Event, ...]:
        ctx = _Ctx(a, self.kn, self.cb.groups, uncoded=self.monadic)
        events: list[Event] = []
        seen: set[tuple] = set()
        for sent in a.doc.sents:
            coded: set[int] = set()  # predicates that made an event
            pledges, untargeted = [], []
            for tok in sent:
                matches = self._received(ctx, tok) or self._match(ctx, tok)
                pattern_found = bool(matches)
                if matches and matches[0].untargeted:
                    # a monadic pattern match with no target: the last resort, after the model, a demand and
                    # the act's pledge ("agreed to provide X with ...") have had their chance to name one
                    untargeted.extend(matches)
                    matches = []
                if not matches and self.model is not None:
                    matches = self._classify(ctx, tok, coded)
                    if pattern_found and matches and not matches[0].targets:
                        matches = []  # with no target either, the pattern's own code is the surer one
                    elif pattern_found and matches and any(
                            x in ctx.actors(m) for f in untargeted[-1:] for m in f.matched for x in matches[0].targets):
                        matches = []  # "withdrew peacekeepers from ...": the pattern's own word is what is withdrawn
                if not matches:
                    matches = self._demand(ctx, tok) or self._judgement(ctx, tok)
                if not matches and tok.pos_ == "VERB" and tok.lemma_.lower() in self.cb.pledge_verbs:
                    pledges.append(tok)
                for found in matches:
                    if _add_new(events, seen, self._events(ctx, found, sent)):
                        coded.add(found.predicate.i)
            for tok in pledges:
                # "Jordan and Britain agreed to hold joint exercises": the act agreed has no code of its own
                for found in self._pledge(ctx, tok, coded):
                    if _add_new(events, seen, self._events(ctx, found, sent)):
                        coded.add(tok.i)
            for found in untargeted:
                if found.predicate.i not in coded and found.predicate.head.i not in coded:
                    _add_new(events, seen, self._events(ctx, found, sent))
        return tuple(events)

    def _pledge(self, ctx: "_Ctx", tok: Any, coded: set[int]) -> list[_Found]:
        """"X agreed to / promised to / pledged to do Y", when nothing Y names was coded: X's intention to
        cooperate (030), towards whom Y's act is aimed, or the co-subject ("X and Y agreed to ..."); with no
        one named ("X agreed to resign"), only in monadic coding."""
        xcomps = [c for c in tok.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")]
        if not xcomps or any(t.i in coded for x in xcomps for t in x.subtree):
            return []
        sources, borrowed = self._verb_source(ctx, tok)
        if not sources:
            return []
        targets = self._slot(ctx, [tok], "prep:with") or self._complement_target(ctx, tok)
        targets = _others(targets, sources)
        agreed = None
        if not targets and len(sources) < 2 and self.model is not None:
            # "agreed to stage a joint exercise near the border with X": the other actor its clause names, where
            # the model reads the clause as an intention to cooperate too (as for a pattern's act)
            others = self._clause_actor(ctx, tok, sources, own=True)
            agreed = self._agreement(ctx, tok, "03") if others else None
            if agreed:
                targets = others
        if not targets and len(sources) < 2 and not self.monadic:
            return []
        pattern = Pattern(predicate=tok.lemma_.lower(), noun=False, extras=(), cameo="030",
                          targets=("dobj",) if targets or len(sources) >= 2 else ("none",),
                          note="pledge", text=f"{tok.lemma_.lower()} to {xcomps[0].lemma_.lower()} (uncoded act)")
        found = _Found(pattern=pattern, predicate=tok, matched=[], sources=sources, targets=targets, cameo="030",
                       borrowed_source=borrowed)
        found.words_only = any(x.entity_id is None for x in sources + targets)
        if agreed:
            found.notes.append(agreed)
        self._modality(ctx, found)
        return [found]

    # --- matching -----------------------------------------------------------------------------------------
    def _match(self, ctx: "_Ctx", tok: Any) -> list[_Found]:
        if tok.pos_ in ("VERB", "AUX"):
            plist = self.cb.patterns.get(tok.lemma_.lower(), [])
        elif tok.pos_ in ("NOUN", "PROPN"):
            plist = self.cb.patterns.get("n:" + tok.lemma_.lower(), [])
            if _purpose(tok):
                # "mobilized troops for a war against Iraq": violence a verb is for has not happened
                plist = [p for p in plist if p.cameo[:2] not in VIOLENCE_ROOTS]
        else:
            return []
        untargeted = None
        for p in plist:  # most specific first; the first that finds its actors wins
            matched = self._extras(tok, p.extras)
            if matched is None:
                continue
            found = self._actors(ctx, tok, p, matched)
            if found is None:
                continue
            if not found.targets and len(found.sources) < 2:
                self._fallback_target(ctx, tok, p, found)
            if not found.targets and "none" not in p.targets and len(found.sources) < 2:
                untargeted = untargeted or found
                continue  # no target where the pattern needs one: a less specific pattern may still fit
            self._modality(ctx, found)
            return [found]
        if untargeted is not None and self.monadic:
            # Monadic coding keeps the act whose target the text does not name as an actor ("imposed a
            # blockade on the ports"): the most specific pattern that found its source.
            untargeted.pattern = replace(untargeted.pattern, targets=untargeted.pattern.targets + ("none",))
            untargeted.untargeted = True
            self._modality(ctx, untargeted)
            return [untargeted]
        return []

    def _classify(self, ctx: "_Ctx", tok: Any, coded: frozenset[int] | set[int] = frozenset()) -> list[_Found]:
        """A clause no pattern codes: the learned model's root for it, when the clause links a source and a
        target and the model is sure enough (MODEL_THRESHOLD)."""
        if tok.pos_ == "NOUN" and is_event_noun(tok, ctx.actor_tokens):
            # A nominal event: "talks with Italy", "Russia's invasion of Ukraine".
            sources, borrowed = self._noun_source(ctx, tok)
            anchors, slots = [tok], MODEL_NOUN_TARGET_SLOTS
        elif tok.pos_ == "VERB" and tok.dep_ not in ("amod", "aux", "auxpass") and tok.lemma_.lower() not in SPEECH_LEMMAS:
            if (tok.lemma_.lower() in self._governing
                    and any(c.dep_ == "xcomp" and c.pos_ == "VERB" for c in tok.children)):
                return []  # "agreed to release": the act is coded, as an intention, at its own verb
            if any(c.dep_ == "nsubj" and c.i in coded for c in tok.children) and not any(
                    c.dep_ == "dobj" for c in tok.children):
                return []  # "talks resumed", "clashes erupted": the noun is the act, coded on its own
            sources, borrowed = self._verb_source(ctx, tok)
            if borrowed and tok.dep_ not in ("xcomp", "conj", "advcl") and not _intended(tok, self.cb.intent_verbs):
                return []  # "agreed to sign", "met X and signed": the governing verb's subject acts
            anchors = [tok] + [c for c in tok.children if c.dep_ in ("dobj", "xcomp") and not ctx.actors(c)]
            slots = MODEL_TARGET_SLOTS
        else:
            return []
        if not sources:
            return []
        targets = self._slots(ctx, anchors, slots, towns=False)  # (the model's "in" is whom, not where)
        if not targets and tok.pos_ == "VERB":
            targets = self._proposer(ctx, tok)
        phrase = False
        if not targets and tok.pos_ == "VERB":
            targets = self._object_phrase(ctx, tok, None)
            phrase = bool(targets)
        targets = _others(targets, sources)
        purposed = False
        if not targets and tok.pos_ == "VERB":
            targets = self._beneficiary(ctx, tok, sources)
            purposed = bool(targets)
        unplaced = bool(targets) and not any(_placed(x) for x in targets)  # "provided food to 1.5 million people"
        placed = self._aid_place(ctx, tok, sources) if (not targets or unplaced) and tok.pos_ == "VERB" else []
        from_clause = not targets
        if from_clause:
            targets = self._clause_actor(ctx, tok, sources)
        # A domestic non-state actor's act that names no one may be aimed at its own government ("supporters
        # held rallies"): kept for the roots that allow it (IMPLICIT_TARGET_ROOTS), at the no-target threshold.
        domestic = not targets and tok.pos_ == "VERB" and len(sources) == 1 and _nonstate(sources[0])
        if not targets and not placed and not (self.monadic and tok.pos_ == "VERB") and not domestic:
            return []  # (monadic coding takes a verb's act with no target, at the stricter threshold)
        pred = self._predict(ctx, tok)
        notes = []
        if (not targets or unplaced) and placed and pred.label == "07":
            # aid naming no recipient: the country of the place it goes to, as a slot of the predicate
            targets, from_clause, domestic, notes = placed, False, False, [AID_PLACE_NOTE]
        threshold = (MODEL_THRESHOLD if not from_clause else MODEL_THRESHOLD_CLAUSE_TARGET if targets
                     else MODEL_THRESHOLD_NO_TARGET)
        if pred.label in (NONE, *MODEL_SKIP_ROOTS) or pred.probability < threshold:
            return []
        if domestic and not self.monadic and not (pred.label + "0").startswith(IMPLICIT_TARGET_ROOTS):
            return []
        if purposed and pred.label != "07":
            return []  # whom an act is meant to help is the target of aid only
        if ctx.after_article(ctx.date_of(tok)[0]):
            return []  # a clause dated after the article is a plan, which the model does not code
        code = pred.label + "0" if pred.label + "0" in self.cb.codes else pred.label
        pattern = Pattern(predicate=tok.lemma_.lower(), noun=False, extras=(), cameo=code,
                          targets=MODEL_TARGET_SLOTS if targets or len(sources) >= 2 else ("none",),
                          note="classifier", text=f"model {pred.probability:.2f}")
        found = _Found(pattern=pattern, predicate=tok, matched=[], sources=sources, targets=targets, cameo=code,
                       score=pred.probability, borrowed_source=borrowed, phrase_target=phrase, notes=notes)
        found.words_only = any(x.entity_id is None for x in sources + targets)
        self._modality(ctx, found)
        if self._threat(ctx, found):
            return [found]
        if found.hypothetical or (tok.dep_ in ("ccomp", "advcl") and tok.head.lemma_.lower() in DENIAL_VERBS):
            # "if China invaded Taiwan", "denied that he ordered a probe": the model codes what happened or
            # was said, not conditions or what someone denies
            return []
        nearest = self.model.nearest(pred.features, pred.label, k=1)  # why, for the events it keeps
        if nearest:
            found.pattern = replace(pattern, text=f"{pattern.text} ~ “{nearest[0]}”")
        return [found]

    def _predict(self, ctx: "_Ctx", tok: Any) -> Any:
        """The learned model's reading of the clause a token heads, its time counted (model_seconds)."""
        t0 = time.perf_counter()
        vector = self.vectors.clause(tok, ctx.actor_tokens) if self.vectors is not None else None
        pred = self.model.predict(clause_features(tok, ctx.actor_tokens), vector)
        self.model_seconds += time.perf_counter() - t0
        self.model_clauses += 1
        return pred

    def _agreement(self, ctx: "_Ctx", tok: Any, root: str) -> Optional[str]:
        """Where the model reads a clause as ``root`` too (CLAUSE_TARGET_AGREEMENT), the note that lets the act
        take the other actor its clause names as its target; else None."""
        pred = self._predict(ctx, tok)
        if pred.label != root or pred.probability < CLAUSE_TARGET_AGREEMENT:
            return None
        return (f"target: another actor its clause names (the model reads the clause as this root too,"
                f" {pred.probability:.2f})")

    @staticmethod
    def _clause_actor(ctx: "_Ctx", tok: Any, sources: list[Actor], own: bool = False) -> list[Actor]:
        """The other actor the clause names, in no slot of the predicate ("X arrived in Ankara for talks with
        Turkish leaders"): not the subject, a possessor or modifier, nor a place where it happened. ``own``:
        only in the clause itself, not in a clause of its own that hangs from it ("occupied the zone to protect
        its border from attacks by X")."""
        subject = {x.i for c in tok.children if c.dep_ in SUBJECT_DEPS for x in c.subtree}
        home = {x.country for x in sources}
        if own:
            subject |= {x.i for c in tok.children if c.dep_ in CLAUSE_DEPS for x in c.subtree}
        for t in tok.subtree:
            if t.i in subject or t.i not in ctx.actor_tokens or t.i == tok.i or t.dep_ in ("poss", "amod"):
                continue
            if own and _in_place(t):
                # "staged a protest in Dar es Salaam": where, not whom; but a foreign country the act is done in
                # ("troops took part in exercises in South Sudan") is whom it concerns
                targets = [x for x in _others(ctx.actors(t, conjuncts=False), sources)
                           if x.code and x.code == x.country and x.country not in home]
                if targets:
                    return targets
                continue
            if t.dep_ == "pobj" and t.head.lower_ in LOCATIVE_PREPS:
                continue  # "in Nairobi", "near Taiwan": where, not whom
            targets = _others(ctx.actors(t, conjuncts=False), sources)
            if targets:
                return targets
        return []

    def _extras(self, tok: Any, extras: tuple[str, ...]) -> Optional[list[Any]]:
        """Tokens for each extra word: among the predicate's dependents, or theirs (prep → object)."""
        if not extras:
            return []
        # not the subject: "police clashed with residents" is no "clash (with) police"; not a preposition of
        # time: "On Nov. 2, Tillerson called Lavrov" is no "call on"
        near = [c for c in tok.children if c.dep_ in ("nsubjpass",) or c.dep_ not in SUBJECT_DEPS and not _of_time(c)]
        near += [g for c in tok.children if c.dep_ in ("prep", "dobj", "xcomp", "prt", "pcomp", "attr", "ccomp")
                 and not (c.dep_ == "prep" and c.lower_ in LOCATIVE_PREPS)  # "take place in the city": where
                 for g in c.children
                 if not (c.dep_ in ("xcomp", "ccomp") and g.dep_ == "prep")  # "called X to apologise for": not "call for"
                 and not (c.dep_ == "ccomp" and g.dep_ == "aux")]  # "welcomed X to mediate": no "welcome to (a place)"
        # "withdrew some of its troops", "a third of its forces": the quantity's "of" object
        near += [g for c in tok.children if c.dep_ in ("dobj", "nsubjpass")
                 and (c.lower_ in self.cb.groups or c.lower_ in self.cb.parts or c.like_num) for g in _of_objects(c)]
        if tok.lemma_.lower() in LIGHT_VERBS and any(c.dep_ == "dobj" for c in tok.children):
            # a light verb's act is its object: "made strong reactions to the visit" is no "made a visit"
            near = [t for t in near if not (t.dep_ == "pobj" and t.head.head.i == tok.i)]
        near = [t for t in near if t.lower_ != "according"]  # "according to officials" is no "accord"
        out = []
        for word in extras:
            hit = next((t for t in near if t.lemma_.lower() == word or t.lower_ == word), None)
            if hit is None:
                return None
            out.append(hit)
        return out

    def _actors(self, ctx: "_Ctx", tok: Any, p: Pattern, matched: list[Any]) -> Optional[_Found]:
        found = _Found(pattern=p, predicate=tok, matched=matched, sources=[], targets=[], cameo=p.cameo)
        if p.noun:
            sources, borrowed = self._noun_source(ctx, tok)
        else:
            sources, borrowed = self._verb_source(ctx, tok)
        if not sources and self.monadic and p.cameo[:2] in VIOLENCE_ROOTS and self._agentless(ctx, tok):
            sources = [UNIDENTIFIED_ATTACKER]  # "three soldiers were killed", "a roadside bomb killed ..."
        if not sources and p.cameo[:3] in AUTHORITY_ACTS and self._agentless(ctx, tok):
            sources = self._authorities(ctx, tok)  # "50 suspects were arrested", "he was charged"
            found.notes += ["source: the authorities where it happened (the text names no one)"] if sources else []
        if not sources and p.noun and p.cameo[:2] in VIOLENCE_ROOTS:
            sources = self._casualties(ctx, tok)  # "a soldier and three militants were wounded in clashes"
            found.notes += ["sides: the clash's casualties"] if sources else []
        if p.noun and any(x in ctx.actors(m) for m in matched for x in sources):
            sources = []  # "a prisoner exchange": the extra word is what the act is about, not who acts
        found.sources, found.borrowed_source = sources, borrowed
        if not sources or self._figurative(ctx, tok):
            return None
        anchors = [tok] + matched
        found.targets = self._slots(ctx, anchors, p.targets)
        if p.cameo[:2] == "15":
            # "sent 200 troops to Syria", "placed its brigade on alert": one's own forces are what is deployed,
            # not whom the posture is aimed at
            home = {x.country for x in sources if x.country}
            found.targets = [x for x in found.targets if x.country not in home]
            if found.targets and all(_peacekeeping(x) for x in found.targets):
                # "sending troops to the UN peacekeeping force in South Sudan": peacekeeping for the country the
                # mission is in (074), where the text names it
                host = self._where(ctx, tok, sources)
                if host:
                    found.targets, found.cameo = host, "074"
                    found.notes.append("peacekeeping: troops sent to a mission in the target's country")
        if not found.targets:
            found.targets = self._proposer(ctx, tok)
        if not found.targets and ("dobj" in p.targets and not p.noun
                                  or p.noun and p.cameo[:2] in VIOLENCE_ROOTS or p.cameo[:2] == "07"):
            found.targets = self._object_phrase(ctx, tok, p.cameo)
            found.phrase_target = bool(found.targets)
        if not found.targets and not p.noun and p.cameo[:2] in ("12", "13"):
            found.targets = self._complement_target(ctx, tok)
        if not found.targets and not p.noun and p.cameo[:2] == "07":
            found.targets = self._beneficiary(ctx, tok, found.sources)
        if p.cameo.startswith(AID_PLACE_CODES) and not any(_placed(x) for x in found.targets):
            # (a recipient with no country, "people in northern Bolivia", gives way to where it is)
            placed = self._aid_place(ctx, tok, found.sources)
            if placed:
                found.targets, found.notes = placed, found.notes + [AID_PLACE_NOTE]
        if not found.targets and not p.noun and p.cameo[:2] == "15" and self._beneficiary(ctx, tok, found.sources):
            # "sending 500 troops to help Peru fight the rebels": a force sent to help X is military aid to X
            found.targets, found.cameo = self._beneficiary(ctx, tok, found.sources), "074"
            found.notes.append("military aid: a force sent to help the target")
        if not found.targets and not p.noun and p.cameo[:2] == "15":
            # "mobilized troops for an offensive against X": whom the force is readied against
            purposes = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "for" for g in c.children
                        if g.dep_ == "pobj"]
            found.targets = _others(self._slots(ctx, purposes, ("prep:against", "prep:on")), found.sources)
        if (not found.targets and p.cameo == "042" and ctx.dateline_actor is not None
                and any(c.dep_ == "poss" and _named(c) for c in tok.children)
                and all(x.country and x.country != ctx.dateline_actor.country for x in found.sources)):
            # "Millon's five-day visit, which started Sunday" under a Beijing dateline: a named foreigner's
            # visit with no destination named is to where the report is filed (as "arrived here" is)
            found.targets = [ctx.dateline_actor]
            found.notes.append("target: the dateline's country")
        if p.noun and not found.targets:
            # "EU-Iran talks", "Israeli-Palestinian clashes": the two parties the noun's modifiers name
            pair: list[Actor] = []
            for c in tok.lefts:
                for t in c.subtree if c.dep_ in ("compound", "amod", "nmod") else ():
                    if t.dep_ in ("compound", "amod", "nmod"):
                        pair += [x for x in ctx.actors(t, conjuncts=False) if x.code not in {y.code for y in pair}]
            if len(pair) >= 2:
                found.sources, found.targets, found.borrowed_source = pair[:1], pair[1:2], False
        if (p.noun and tok.lemma_.lower() in MEETING_NOUNS and tok.dep_ == "nsubj"
                and tok.head.lemma_.lower() in FAILING_VERBS
                and (tok.head.lemma_.lower() != "break" or any(c.lower_ == "down" for c in tok.head.children))):
            found.cameo = "164"  # "the talks collapsed", "negotiations broke down": the talks ended, unresolved
        if ("prep:between" in p.targets and len(found.targets) >= 2 and borrowed and p.cameo[:3] != "045"
                and any(c.lower_ == "between" for h in _between_heads(tok) for c in h.children)):
            # "talks between X and Y": the two are the parties; whoever held them is not (a mediator is).
            found.sources, found.targets = found.targets[:1], found.targets[1:2]
        found.words_only = any(a.entity_id is None for a in found.sources + found.targets)
        return found

    def _figurative(self, ctx: "_Ctx", tok: Any) -> bool:
        """"fight the cholera epidemic in X", "combat corruption": a verb of force (kind figurative) whose object
        names no actor, inside its phrase either (the places it is in apart), is no act of force."""
        if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in self.cb.figurative:
            return False
        objects = [c for c in tok.children if c.dep_ == "dobj"]
        objects += [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "against"
                    for g in c.children if g.dep_ == "pobj"]

        def names_actor(n: Any) -> bool:
            if ctx.actors(n):
                return True
            return any(names_actor(c) for c in n.children if not (c.dep_ == "prep" and c.lower_ in LOCATIVE_PREPS))

        return bool(objects) and not any(names_actor(o) for o in objects)

    @staticmethod
    def _aid_place(ctx: "_Ctx", tok: Any, sources: list[Actor]) -> list[Actor]:
        """Where aid that names no recipient goes stands for whom it is for: "provided $40 million for assistance
        in northern Bolivia", "assistance to help people in Bolivia", "for those affected in Bolivia" (Bolivia).
        The first foreign country a place in the act's own phrase stands for: its object, its prepositions, a
        participle ("affected in") or a purpose infinitive ("to help"), not its subject or another clause."""
        home = {x.country for x in sources}

        def purpose(c: Any) -> bool:
            return any(x.dep_ == "aux" and x.lower_ == "to" for x in c.children)

        def inner(n: Any) -> list[Any]:
            return [c for c in n.children if c.dep_ in AID_PHRASE_DEPS
                    or c.dep_ in ("xcomp", "advcl", "relcl") and purpose(c)]

        frontier = inner(tok)
        if tok.pos_ == "NOUN" and tok.dep_ == "dobj":  # "announced assistance ... to help people in X"
            frontier += [c for c in tok.head.children if c.dep_ in ("xcomp", "advcl") and purpose(c)
                         or c.dep_ == "prep" and c.lower_ in WHERE_PREPS]
        for _ in range(6):
            nxt = []
            for n in frontier:
                if n.dep_ == "pobj" and n.head.lower_ in WHERE_PREPS:
                    found = [x for x in _as_countries(ctx.actors(n), ctx.kn.region_codes) if x.country not in home]
                    if found:
                        return found[:1]
                nxt += inner(n)
            frontier = nxt
        return []

    def _beneficiary(self, ctx: "_Ctx", tok: Any, sources: list[Actor]) -> list[Actor]:
        """Whom aid is given to help, named in its purpose: "donated ventilators to assist Ethiopia", "gave
        money to help Jordan cope", "provided grants to support Kenya's clinics"."""
        purposes = [c for c in tok.children if c.dep_ in ("advcl", "xcomp") and c.lemma_.lower() in AID_PURPOSES]
        return _others(self._slots(ctx, purposes, ("dobj", "dative", "comp-subj")), sources) if purposes else []

    def _threat(self, ctx: "_Ctx", f: _Found) -> bool:
        """Force one will use if another acts is a threat against that other (CAMEO 138): "the US would
        intervene if China invaded Taiwan", "will retaliate if the rebels attack". Recodes the act; whether it
        now has a target."""
        if (f.condition is None or f.conditional or f.negated or f.refusal
                or self.cb.codes[f.cameo].root not in FORCE_ROOTS or "138" not in self.cb.codes):
            return False
        f.cameo, f.hypothetical, f.intent = "138", False, False
        f.notes.append("a threat: force on a condition")
        if not f.targets:
            subjects = [c for c in f.condition.children if c.dep_ in SUBJECT_DEPS]
            f.targets = _others(ctx.actors(subjects[0]), f.sources) if subjects else []
        return bool(f.targets)

    @staticmethod
    def _casualties(ctx: "_Ctx", tok: Any) -> list[Actor]:
        """The two sides of a fight that its casualties name: "an Israeli officer and three Palestinian
        militants were wounded in clashes" is a clash between them; the parties, when of two countries."""
        verb = tok.head.head if tok.dep_ == "pobj" and tok.head.lower_ in ("in", "during") else None
        if verb is None or verb.pos_ != "VERB":
            return []
        hurt = [x for c in verb.children if c.dep_ == "nsubjpass" for x in ctx.actors(c)]
        sides = list({x.country: x for x in hurt if x.country}.values())
        return sides[:2] if len(sides) >= 2 else []

    def _town(self, actor: Actor) -> bool:
        """A place below a country, standing as its country or government ("Geneva" coded CHE, "Santiago"
        CHLGOV): where, not whom, after "in"."""
        bare = actor.code and actor.country and actor.code in (actor.country, actor.country + "GOV")
        country = self.kn.country(actor.country) if bare else None  # (a capital stands for its government)
        return country is not None and norm(actor.name) != norm(country.name)

    def _authorities(self, ctx: "_Ctx", tok: Any) -> list[Actor]:
        """Who arrests, charges, questions or sentences when a passive does not say: the authorities of the
        country where it happened, else of the one it happened to ("a Briton was arrested in Tehran": Iran's;
        "the former minister was charged": his country's)."""
        place = ctx.place_of(tok)
        country = self.kn.country(place.country) if place is not None and place.country else None
        iso3 = country.iso3 if country is not None else None
        if iso3 is None:
            patients = [x for c in tok.children if c.dep_ == "nsubjpass" for x in ctx.actors(c) if x.country]
            iso3 = patients[0].country if patients else None
        if iso3 is None:
            return []
        return [self._government(iso3)]

    def _agentless(self, ctx: "_Ctx", tok: Any) -> bool:
        """Does the clause hide who did it? A passive with no "by" agent ("were killed in a bombing"), or an
        instrument for a subject ("a roadside bomb killed", "an explosion wounded") that names no actor."""
        if tok.pos_ != "VERB":
            return False
        subj = [c for c in tok.children if c.dep_ in SUBJECT_DEPS]
        if not subj:
            return False
        if subj[0].dep_ == "nsubjpass":
            return not any(c.dep_ == "agent" for c in tok.children)
        return subj[0].lemma_.lower() in self.cb.instruments and not any(
            t.i in ctx.actor_tokens for t in subj[0].subtree)

    def _demand(self, ctx: "_Ctx", tok: Any) -> list[_Found]:
        """"Kibaki said Uganda must withdraw", "Beijing told Tokyo to stop": the speaker demands (must; "tell X
        to") or appeals (should) of another actor what the reported clause says."""
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in DEMAND_SPEECH:
            return []
        cameo, targets, clause, party = None, [], None, None
        for c in tok.children:
            if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX"):
                modal = [DEMAND_MODALS[a.lower_] for a in c.children if a.dep_ == "aux" and a.lower_ in DEMAND_MODALS]
                subj = [g for g in c.children if g.dep_ == "nsubj"]
                told = [g for g in tok.children if g.dep_ in ("dobj", "dative") and ctx.actors(g)
                        and not any((x.code or "").endswith("MED") for x in ctx.actors(g))]  # not "told reporters"
                own = subj and subj[0].lower_ in ("we", "i", "you")  # "we must do it": the speaker's resolve
                if modal and told and tok.lemma_.lower() == "tell" and not own:
                    # "told police that they should look into it": the one told is the one asked, and told
                    # what to do it is a demand
                    cameo, targets, clause, party = "100", ctx.actors(told[0]), c, None
                elif modal and subj and not own:
                    cameo, targets, clause, party = modal[0], ctx.actors(subj[0]), c, subj[0]
            elif (c.dep_ == "xcomp" and tok.lemma_.lower() == "tell" and c.pos_ == "VERB"
                  and any(a.lower_ == "to" for a in c.children if a.dep_ == "aux")):
                obj = [g for g in tok.children if g.dep_ in ("dobj", "dative")]
                if obj:
                    cameo, targets, clause, party = "100", ctx.actors(obj[0]), c, obj[0]
            if cameo:
                break
        if not cameo or not targets or cameo not in self.cb.codes:
            return []
        sources, borrowed = self._verb_source(ctx, tok)
        if not sources:
            return []
        own = {(x.code, x.name) for x in sources} | {(x.country, None) for x in sources}
        targets = [t for t in targets if (t.code, t.name) not in own and (t.code, None) not in own]
        if party is not None and not _named(party):
            # "the soldiers should be on the ground": an unnamed group is a party only from another country
            targets = [t for t in targets if t.country and t.country not in {x.country for x in sources}]
        if not targets:
            return []  # "China said it must ...", "Kibaki said Kenya must ...": its own resolve, not a demand
        pattern = Pattern(predicate=tok.lemma_.lower(), noun=False, extras=(), cameo=cameo, targets=("comp-subj",),
                          note="reported demand", text=f"{tok.lemma_.lower()} ... {clause.lemma_.lower()}"
                          f" ({'told to' if clause.dep_ == 'xcomp' else 'must/should'})")
        found = _Found(pattern=pattern, predicate=tok, matched=[], sources=sources, targets=targets,
                       cameo=cameo, borrowed_source=borrowed)
        found.words_only = any(x.entity_id is None for x in sources + targets)
        self._modality(ctx, found)
        if found.hypothetical or found.negated:
            return []
        return [found]

    def _judgement(self, ctx: "_Ctx", tok: Any) -> list[_Found]:
        """"Rajapakse said the ceasefire agreement between the government and the LTTE was short-sighted": a
        speaker's disapproving verdict on something is criticism (111) of the actors it belongs to; a verdict
        with a code of its own is that act: "said Taliban militants were responsible" (for harm) accuses (112)."""
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in DEMAND_SPEECH:
            return []
        verdict = next((a for c in tok.children if c.dep_ == "ccomp" and c.lemma_ == "be" for a in c.children
                        if a.dep_ == "acomp" and (_adjective(a) in self.cb.disapproving
                                                  or _adjective(a) in self.cb.verdict_code and self._for_harm(a))), None)
        subj = [c for c in verdict.head.children if c.dep_ in SUBJECT_DEPS] if verdict is not None else []
        code = self.cb.verdict_code.get(_adjective(verdict), "111") if verdict is not None else "111"
        if not subj or code not in self.cb.codes:
            return []
        sources, borrowed = self._verb_source(ctx, tok)
        # the verdict is on an actor, or on something that belongs to one: its owner, author or parties
        targets = ctx.actors(subj[0]) or next((x for x in (ctx.actors(o) for o in _owners(subj[0])) if x), [])
        targets = _others(targets, sources)
        if not sources or not targets:
            return []
        pattern = Pattern(predicate=tok.lemma_.lower(), noun=False, extras=(), cameo=code, targets=("comp-subj",),
                          note="verdict", text=f"{tok.lemma_.lower()} ... was {_adjective(verdict)}")
        found = _Found(pattern=pattern, predicate=tok, matched=[], sources=sources, targets=targets, cameo=code,
                       borrowed_source=borrowed)
        found.words_only = any(x.entity_id is None for x in sources + targets)
        self._modality(ctx, found)
        return [] if found.hypothetical or found.negated else [found]

    def _for_harm(self, adjective: Any) -> bool:
        """Whether a verdict is about harm: no "for" phrase ("said the rebels were responsible"), or one whose
        object is an act of force ("responsible for the attack", "for the bombing") or a death."""
        objects = [g for c in adjective.children if c.dep_ == "prep" and c.lower_ == "for" for g in c.children
                   if g.dep_ in ("pobj", "pcomp")]
        lemmas = [o.lemma_.lower() for o in objects]
        return not lemmas or any(
            w in HARM_NOUNS or any(p.cameo[:2] in FORCE_ROOTS for key in ("n:" + w, w) for p in self.cb.patterns.get(key, ()))
            for w in lemmas)

    def _received(self, ctx: "_Ctx", tok: Any) -> list[_Found]:
        """"Peru received 5,000 doses of vaccine from Chile": aid received from X is X's aid to the receiver, the
        code by what was received (RECEIVED_AID)."""
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in ("receive", "obtain", "get", "accept"):
            return []
        goods = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
        goods += [g for c in goods for g in _of_objects(c)]  # "5,000 doses of vaccine", "a shipment of weapons"
        code = next((RECEIVED_AID[g.lemma_.lower()] for g in reversed(goods) if g.lemma_.lower() in RECEIVED_AID), None)
        givers = [x for h in [tok, *goods] for c in h.children if c.dep_ == "prep" and c.lower_ == "from"
                  for g in c.children if g.dep_ == "pobj" for x in ctx.actors(g)]  # (the parse may hang it on the goods)
        if code is None or code not in self.cb.codes or not givers:
            return []
        receivers = _others(self._verb_source(ctx, tok)[0], givers)
        if not receivers:
            return []
        pattern = Pattern(predicate=tok.lemma_.lower(), noun=False, extras=(), cameo=code, targets=("dobj",),
                          note="aid received", text=f"{tok.lemma_.lower()} ... from (aid received)")
        found = _Found(pattern=pattern, predicate=tok, matched=[], sources=givers, targets=receivers, cameo=code)
        found.words_only = any(x.entity_id is None for x in givers + receivers)
        self._modality(ctx, found)
        return [found]

    def _fallback_target(self, ctx: "_Ctx", tok: Any, p: Pattern, found: _Found) -> None:
        """A target for a pattern's act whose slots name no one, when it is asserted (not what would only be
        done): another actor its clause names, where the model reads the clause as the pattern's root too
        (CLAUSE_TARGET_AGREEMENT); else, for aid, posture, coercion and force, the country of the place it is
        done in (_where)."""
        others = self._clause_actor(ctx, tok, found.sources, own=True) if self.model is not None else []
        # (not the pattern's own word: in "sent 200 troops", the troops are what is sent)
        others = [x for x in others if not any(x in ctx.actors(m) for m in found.matched)]
        where = self._where(ctx, tok, found.sources, origin=p.cameo.startswith(RETREAT_CODES)) \
            if p.cameo.startswith(WHERE_ROOTS) else []
        if not others and not where:
            return
        probe = replace(found, notes=list(found.notes))
        self._modality(ctx, probe)
        if probe.hypothetical or probe.conditional:
            return
        agreed = self._agreement(ctx, tok, p.cameo[:2]) if others else None
        if agreed:
            found.targets = others
            found.notes.append(agreed)
            return
        if where:
            found.targets = where
            found.notes += ["target: the country where it happened (the text names no one it is aimed at)"]

    @staticmethod
    def _where(ctx: "_Ctx", tok: Any, sources: list[Actor], origin: bool = False) -> list[Actor]:
        """The country of the place an act of aid, posture, coercion, force or de-escalation is done in, to or into
        (``origin``: or, for a withdrawal, from), as its target when the text names no one: "declared a state of
        siege in Pando" (Bolivia), "deployed 230 troops to Liberia", "ceased operations in several areas near
        Damascus" (the place a part of it is in)."""
        heads = [tok] + [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")] + _of_objects(tok)
        # "announced the deployment of 230 troops ... to Liberia": the parse may hang where it goes on the verb
        verb = tok.head if tok.pos_ == "NOUN" and tok.dep_ == "dobj" else None
        for h in heads + ([verb] if verb is not None else []):
            for c in h.children:
                if c.dep_ != "prep" or c.lower_ not in WHERE_PREPS and not (origin and c.lower_ == "from") or (
                        verb is not None and h.i == verb.i and c.lower_ not in ("to", "into")):
                    continue
                for g in c.children:
                    if g.dep_ != "pobj":
                        continue
                    # the place, or the place a part of it is in: "in several areas near Damascus", "from the
                    # group's last holdout in Syria"
                    for n in [g] + [x for p in g.children if p.dep_ == "prep" and p.lower_ in LOCATIVE_PREPS
                                    for x in p.children if x.dep_ == "pobj"]:
                        found = _as_countries(ctx.actors(n), ctx.kn.region_codes)
                        found = [x for x in found if not any(x.code == y.code for y in sources)]
                        if found:
                            return found[:1]
        return []

    def _object_phrase(self, ctx: "_Ctx", tok: Any, cameo: Optional[str]) -> list[Actor]:
        """The actor inside an object that names none itself: "struck an arms depot of the Syrian army",
        "shared evidence with ..." no; "stormed a police headquarters in eastern Afghanistan" (where the act
        happened stands for whom only for force: roots 17-20, the place's country)."""
        # where force is used, or aid and peacekeepers go ("troops to the mission in Somalia"), stands for whom
        force = bool(cameo) and cameo[:2] in ("17", "18", "19", "20", "07")
        fallback: list[Actor] = []  # a group with no country ("the refugee camp"), if nothing better is named
        if tok.pos_ == "NOUN":  # "airstrikes on militant targets in Gaza": the objects of its prepositions
            objects = [g for c in tok.children if c.dep_ == "prep" and c.lower_ in ("on", "against", "at", "into")
                       for g in c.children if g.dep_ == "pobj"]
        else:
            objects = [c for c in tok.children if c.dep_ == "dobj"]
            if cameo and cameo[:2] == "07":  # "contributed troops to the force in Liberia"
                objects += [g for c in tok.children if c.dep_ in ("prep", "dative") and c.lower_ == "to"
                            for g in c.children if g.dep_ == "pobj"]
        for obj in objects:
            frontier = [obj]
            for _ in range(3):
                nxt = []
                for n in frontier:
                    for c in n.children:
                        if c.dep_ == "prep":
                            if c.lower_ in LOCATIVE_PREPS and not force:
                                continue
                            nxt += [g for g in c.children if g.dep_ == "pobj"]
                        elif c.dep_ in ("compound", "amod", "poss", "nmod"):
                            nxt.append(c)
                for n in nxt:
                    actors = ctx.actors(n)
                    if n.head.lower_ in LOCATIVE_PREPS:
                        actors = _as_countries(actors, ctx.kn.region_codes)
                    if actors and any(x.country for x in actors):
                        return actors
                    fallback = fallback or actors
                frontier = nxt
        return fallback

    def _complement_target(self, ctx: "_Ctx", tok: Any) -> list[Actor]:
        """"refused to lift the ban on Cypriot ships", "threatened to attack the rebels": a refusal or a
        threat is aimed at whom the act it governs would be aimed at."""
        for x in (c for c in tok.children if c.dep_ == "xcomp" and c.pos_ == "VERB"):
            for slot in ("dobj", "prep:with", "prep:to", "prep:on", "prep:against", "dative"):
                found = self._slot(ctx, [x], slot)
                if found:
                    return found
            found = self._object_phrase(ctx, x, None)
            if found:
                return found
        return []

    def _proposer(self, ctx: "_Ctx", tok: Any) -> list[Actor]:
        """"rejected a call from Mandela", "refused a request by the president": who put the proposal."""
        passive = any(c.dep_ == "auxpass" for c in tok.children)
        for c in tok.children:
            if c.dep_ == "dobj" and c.lemma_.lower() in self.cb.proposals:
                # the phrase hangs on the object, or (a misparse of an active verb) on the verb
                heads = [c] if passive else [c, tok]
                for p in (p for h in heads for p in h.children):
                    proposers = _object_actors(ctx, p) if p.dep_ in ("prep", "agent") and p.lower_ in ("from", "by") else []
                    if proposers:
                        return proposers
        return []

    def _verb_source(self, ctx: "_Ctx", tok: Any) -> tuple[list[Actor], bool]:
        node, borrowed, below = tok, False, None
        for _ in range(MAX_CLIMB):
            subj = [c for c in node.children if c.dep_ in SUBJECT_DEPS]
            if not subj and node.i == tok.i:
                # "Israel's offensive, launched to stamp out attacks, killed 175 people": the parse may give the
                # subject to the participle set off before the verb
                subj = [g for c in node.children if c.dep_ == "advcl" and c.i < node.i
                        and not any(m.dep_ == "mark" for m in c.children)
                        for g in c.children if g.dep_ == "nsubj"]
                if not subj and node.pos_ == "VERB" and node.dep_ == "ROOT":
                    # a headline's subject parsed as the verb's compound: "Turkey lifts travel ban on Iraq"; an
                    # acronym parsed as an adverb: "USAID provided shelter materials to ..."
                    subj = [c for c in node.lefts if c.dep_ in ("compound", "npadvmod", "advmod")
                            and (c.pos_ == "PROPN" or c.is_upper and len(c.text) > 1) and ctx.actors(c)][-1:]
            if below is not None and below.dep_ == "xcomp" and subj and subj[0].dep_ == "nsubjpass":
                # "Russia is expected to sign", "Iran was urged to release": who is said to act is the doer
                return ctx.actors(subj[0]), borrowed
            if node.tag_ == "VBN" or any(c.dep_ == "auxpass" for c in node.children):
                agent = [g for c in node.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
                agent = agent or [g for o in node.children if o.dep_ == "oprd" for c in o.children  # "held hostage by"
                                  if c.dep_ == "prep" and c.lower_ == "by" for g in c.children if g.dep_ == "pobj"]
                if agent:
                    return ctx.actors(agent[0]), borrowed
                if subj and subj[0].dep_ == "nsubjpass":
                    # "an agreement was signed between X and Y": the two parties (coded as a pair, symmetric)
                    pair = self._slot(ctx, [node, subj[0]], "prep:between") \
                        if subj[0].lemma_.lower() in ACCORD_NOUNS else []
                    if len(pair) >= 2:
                        return pair, borrowed
                    return [], borrowed  # "X was attacked": X is the target, the source is unknown
            if subj and subj[0].lower_ in ("which", "who", "that") and node.dep_ == "relcl":
                return ctx.actors(node.head), True  # "Chile, which has long accused Peru of ..."
            if subj:
                found = list(ctx.actors(subj[0]))
                for other in subj[1:]:  # "X and Y met": the parse may hang both on the verb as subjects
                    # (joined by "and" or a comma; else a misparse, "Israeli shelling in response to Hezbollah
                    # attacks killed", unless the first names no one: "KABUL (Pajhwok): President Ghani held")
                    between = ctx.doc[min(subj[0].i, other.i) + 1 : max(subj[0].i, other.i)]
                    if other.dep_ == subj[0].dep_ and (not found or any(t.dep_ == "cc" or t.text == ","
                                                                        for t in between)):
                        found += [x for x in ctx.actors(other) if x not in found]
                if not found and subj[0].dep_ == "nsubj":
                    found = _by_agent(ctx, subj[0])
                return found, borrowed
            if node.dep_ in ("relcl", "acl") and any(x.country or x.entity_id for x in ctx.actors(node.head)):
                return ctx.actors(node.head), True  # "Russia, which attacked ..."
            owner = [c for c in node.head.children if c.dep_ == "poss"] if node.dep_ == "acl" else []
            if owner and ctx.actors(owner[0]):
                return ctx.actors(owner[0]), True  # "Olmert's decision to order strikes"
            if node.dep_ not in CLIMB_DEPS or node.head.i == node.i:
                break
            # Object control: in "urged Iran to release ...", "accused Iran of attacking ..." the one who
            # releases or attacks is the governing verb's object, not its subject.
            governor = node.head.head if node.dep_ == "pcomp" and node.head.dep_ == "prep" else node.head
            if node.dep_ in ("xcomp", "pcomp") and governor.pos_ in ("VERB", "AUX"):
                obj = [c for c in governor.children if c.dep_ == "dobj"]
                if obj and ctx.actors(obj[0]):
                    return ctx.actors(obj[0]), True
            node, borrowed, below = node.head, True, node
        return [], borrowed

    def _noun_source(self, ctx: "_Ctx", tok: Any) -> tuple[list[Actor], bool]:
        for c in tok.children:
            if c.dep_ == "poss":
                if c.lower_ in POSSESSIVE_PRONOUNS:
                    found = list(self._verb_source(ctx, tok.head)[0] or ctx.actors(c))
                    if c.lower_ == "their" and len(found) == 1:
                        # "Li told Millon at the start of their meeting": their = the verb's subject and object
                        verb = tok
                        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
                            verb = verb.head
                        found += [x for o in verb.children if o.dep_ in ("dobj", "dative") for x in ctx.actors(o)
                                  if x not in found]
                    return found, True
                return ctx.actors(c), False
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "by":
                objs = [g for g in c.children if g.dep_ == "pobj"]
                if objs:
                    return ctx.actors(objs[0]), False
        for c in tok.lefts:
            # (a placed actor: in "a prisoner exchange" the prisoners are not who acts)
            if c.dep_ in ("amod", "compound", "nmod") and any(x.country or x.entity_id for x in ctx.actors(c)):
                return ctx.actors(c), False
        # "a wave of attacks", "a round of talks": the act is the quantity's
        carrier = tok
        if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in QUANTITY_NOUNS:
            carrier = tok.head.head
        # "launched an invasion", "held talks": the light verb's subject.
        if carrier.dep_ in ("dobj", "nsubjpass") and carrier.head.lemma_.lower() in LIGHT_VERBS:
            return self._verb_source(ctx, carrier.head)[0], True
        # "arrived in Ankara for talks with", "said after a meeting with": who did the governing verb
        prep = carrier.head
        if (carrier.dep_ == "pobj" and prep.lower_ in FRAME_PREPS and prep.head.i != prep.i
                and prep.head.pos_ in ("VERB", "AUX")
                and not (prep.lower_ == "for" and prep.head.lemma_.lower() in self.cb.reason_verbs)):
            found = self._verb_source(ctx, prep.head)[0]
            if found:
                return found, True  # (else "the vote comes before the summit between X and Y": below)
        # "talks between X and Y": no source of its own; the slots give both parties.
        if any(c.dep_ in ("prep", "agent") and c.lower_ == "between" for h in _between_heads(tok) for c in h.children):
            pair = self._slot(ctx, [tok], "prep:between")
            if len(pair) >= 2:
                return pair[:1], True
        return [], False

    def _slots(self, ctx: "_Ctx", anchors: list[Any], slots: Sequence[str], towns: bool = True) -> list[Actor]:
        """The first slot that names an actor; failing all, the first whose phrase holds one (its owner or
        "of" object: "rejected Trump's comments"), so a later slot naming an actor outright comes first
        ("handed the chair of SAARC to Zia": Zia)."""
        for inner in (False, True):
            for slot in slots:
                targets = self._slot(ctx, anchors, slot, inner)
                if slot == "prep:in" and not towns:
                    targets = [x for x in targets if not self._town(x)]  # "intervened in Syria", not "talks in Geneva"
                if targets:
                    return targets
        return []

    def _slot(self, ctx: "_Ctx", anchors: list[Any], slot: str, inner: bool = False) -> list[Actor]:
        if slot == "none":
            return []
        for anchor in anchors:
            if slot in ("dobj", "dative"):
                hits = [c for c in anchor.children if c.dep_ == slot]
                if slot == "dobj" and not hits and anchor is anchors[0]:
                    hits = _patients(anchor) or _relative_object(anchor)  # "X was attacked by Y", "the men it held"
            elif slot == "here":
                # wire copy's "here" is the dateline's place
                here = any(c.lower_ == "here" for c in anchor.children)
                return [ctx.dateline_actor] if here and ctx.dateline_actor is not None else []
            elif slot == "compound":
                hits = [c for c in anchor.lefts if c.dep_ in ("compound", "amod", "nmod")]
            elif slot == "comp-subj":
                hits = [g for c in anchor.children if c.dep_ in ("ccomp", "xcomp") for g in c.children
                        if g.dep_ in SUBJECT_DEPS]
                hits += [c for c in anchor.children if c.dep_ == "dobj" and any(x.dep_ == "xcomp" for x in anchor.children)]
            elif slot.startswith("prep:"):
                word = slot.split(":", 1)[1]
                heads = _between_heads(anchor) if word == "between" and anchor is anchors[0] else [anchor]
                if anchor is anchors[0] and anchor.pos_ in ("VERB", "AUX") and word not in ("of", "between"):
                    # "donated a shipment of ventilators to Ethiopia": the parse hangs the phrase on the object
                    for d in (c for c in anchor.children if c.dep_ == "dobj"):
                        heads += [d] + _of_objects(d)
                if word == "with" and anchor is anchors[0] and anchor.pos_ in ("VERB", "AUX"):
                    # "discussed the crisis in talks with X", "raised it during a phone call with X"
                    heads += [g for c in anchor.children if c.dep_ == "prep" for g in c.children
                              if g.dep_ == "pobj" and g.lemma_.lower() in MEETING_NOUNS]
                hits = [g for h in heads for c in h.children if c.dep_ in ("prep", "agent", "dative") and c.lower_ == word
                        for g in c.children if g.dep_ == "pobj"]
            else:
                hits = []
            if slot == "prep:between":
                # "between U.S. President Donald Trump and Russian President Vladimir Putin": the parse
                # scatters the conjuncts, so take every actor named in the phrase.
                pair: list[Actor] = []
                for h in hits:
                    for t in h.subtree:
                        if t.dep_ in ("compound", "amod", "poss", "det"):
                            continue  # "U.S." in "U.S. President Donald Trump" modifies; it is not a party
                        pair += [x for x in ctx.actors(t, conjuncts=False) if x not in pair]
                if pair:
                    return pair
                continue
            for h in hits if not inner else []:
                actors = ctx.actors(h)
                if actors:
                    return actors
            if inner and (slot.startswith("prep:") or slot == "dobj"):
                # "concern over the participation of Hamas", "rejected Trump's comments", "condemned the
                # decision of the court": a nominalised act or a thing in the slot; its doer or owner is whom
                # the act is aimed at.
                for h in hits:
                    for x in _owners(h) if h.pos_ == "NOUN" and not _named(h) else []:
                        actors = ctx.actors(x)
                        if actors:
                            return actors
        return []

    # --- modality -----------------------------------------------------------------------------------------
    def _modality(self, ctx: "_Ctx", f: _Found) -> None:
        tok = f.predicate
        chain = [tok]
        node = tok
        # The verbs that govern the predicate within its clause chain ("agreed to [begin] [negotiations]").
        for _ in range(3):
            if (node.dep_ in ("xcomp", "dobj", "pobj", "pcomp", "prep", "nsubjpass", "acl")
                    or (node.i == tok.i and node.pos_ == "NOUN" and node.dep_ == "nsubj")) and node.head.i != node.i:
                # an event noun as subject takes its verb's modality: "a summit could follow"
                node = node.head
                chain.append(node)
            else:
                break
        # words that negate where they hang: "never met", "no talks", "did not"; not a clause of its own that
        # hangs on the predicate ("vetoed it, while a rival draft failed")
        near = [c for n in chain for c in n.children if c.dep_ in NEGATING_DEPS]
        words = {c.lower_ for c in near} | {c.lemma_.lower() for c in near}
        if words & self.cb.negation or any(n.lemma_.lower() in self.cb.negation for n in chain[1:]):
            f.negated = True
        has_neg = any(c.dep_ == "neg" for n in chain for c in n.children)
        if has_neg:
            f.negated = True
        if _neither_nor(tok):
            f.negated = True
        aux = {c.lower_ for n in chain for c in n.children if c.dep_ in ("aux", "auxpass")}
        # a condition on the predicate's chain or on a clause hanging from it ("will attack if", "warned it would
        # strike if"), not one deeper in a clause of its own ("said X must cut tariffs, admitting that unless...")
        marks = {m.lower_ for n in chain for c in [n, *n.children] if c is n or c.dep_ == "advcl"
                 for m in c.children if m.dep_ == "mark"} & {"if", "unless", "whether"}
        if aux & self.cb.hypothetical or marks:
            f.hypothetical = True
        if any(c.dep_ == "mark" and c.lower_ == "for" for c in tok.children) and "to" in aux:
            # "a pretext for militants to violate the truce", "time for Iran to negotiate": a for-to infinitive
            # says what would be, not what was
            f.hypothetical = True
        # "if China invaded", "unclear whether they will meet": a condition or a question, not an event
        f.conditional = any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for n in chain for c in n.children)
        f.condition = next((c for n in chain for c in n.children if c.dep_ == "advcl" and any(
            m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children)), None)
        f.until = next((c for n in chain for c in n.children if c.dep_ == "advcl" and any(
            m.dep_ == "mark" and m.lower_ in ("until", "till") for m in c.children)), None)
        # "asked the government to consult with X", "urged them to meet": what one party asks of another is
        # the appeal's content (coded as the appeal, 02 or 10), not an event of its own
        f.requested = any(n.lemma_.lower() in self.cb.appeal_verbs and n.pos_ == "VERB"
                          and (below.dep_ == "xcomp" or below.dep_ == "prep" and below.lower_ == "for")
                          for below, n in zip(chain, chain[1:]))  # ... or "called for an investigation into X"
        # "accused Peru of backing the rebels", "suspected of spying": what one is accused of is alleged, coded
        # as the accusation, not as an act
        f.requested = f.requested or any(n.lemma_.lower() in ALLEGING_VERBS and below.dep_ == "prep"
                                         and below.lower_ in ("of", "with") for below, n in zip(chain, chain[1:]))
        # ...and what someone says another must or should do ("said New Delhi must cut tariffs"): the demand
        f.requested = f.requested or bool(aux & set(DEMAND_MODALS)) and tok.dep_ == "ccomp" \
            and tok.head.lemma_.lower() in DEMAND_SPEECH
        # "will not lift the ban", "did not want to meet", "refused to send troops", "ruled out sending troops":
        # a refusal, coded as CAMEO's 12x for the act refused
        governors = list(chain[1:])
        if tok.dep_ == "advcl" and not any(c.dep_ in ("mark", *SUBJECT_DEPS) for c in tok.children):
            # "ruled out sending troops" (parsed as an adverbial clause); not a clause of its own: "ruled out a
            # return, as the commission barred him"
            governors.append(tok.head)
        if tok.dep_ in ("relcl", "acl") and tok.head.dep_ == "dobj":
            governors.append(tok.head.head)  # "rejected calls to attack X"
        refused = not has_neg and any(
            n.pos_ in ("VERB", "NOUN") and n.lemma_.lower() in self.cb.refusing_verbs  # (noun: "its refusal to")
            and (n.lemma_.lower() != "rule" or any(c.dep_ in ("prt", "prep") and c.lower_ == "out" for c in n.children))
            for n in governors)
        if refused or (f.negated and has_neg
                       and (aux & {"will", "would", "shall", "can", "could"} or any(
                           n.lemma_.lower() in REFUSING_HEADS for n in chain[1:]))):
            new = next((self.cb.refusal_code[f.cameo[:k]] for k in (4, 3, 2) if f.cameo[:k] in self.cb.refusal_code), "")
            if new in self.cb.codes:
                f.cameo, f.negated, f.refusal = new, False, True
                return
            if refused:
                f.negated = True  # "rejected calls to attack X": an act refused, with no refusal code, did not happen
        for n in chain[1:]:
            if n.lemma_.lower() in self.cb.intent_verbs and n.pos_ in ("VERB", "ADJ"):
                f.intent = True  # "plans to attack", "is willing to withdraw"
        if any(n.lemma_.lower() == "have" and below.dep_ == "xcomp" for below, n in zip(chain, chain[1:])):
            f.intent = True  # "still has to sign protocols with X": not done yet
        if any(_intended(n, self.cb.intent_verbs) for n in chain):
            f.intent = True  # "expressed the hope to conclude an agreement", "its readiness to resume talks"
        code = self.cb.codes[f.cameo]
        if f.intent or (aux & {"will", "shall"} and code.root in ("04", "05", "06", "07", "08")):
            new = self.cb.intent_code.get(code.root, "")
            if new and new in self.cb.codes:
                f.cameo, f.intent = new, True

    # --- events -------------------------------------------------------------------------------------------
    def _events(self, ctx: "_Ctx", f: _Found, sent: Any) -> list[Event]:
        self._threat(ctx, f)
        if f.conditional or (f.requested and self.cb.codes[f.cameo].root not in ("02", "10")):
            return []
        reported = self._reported_intent(ctx, f) or self._wished(ctx, f)
        if reported is not None:
            f = reported
        sources, targets = f.sources, f.targets
        mutual = False
        if (f.cameo == "150" and len(sources) >= 2 and not targets
                and {t.lemma_.lower() for t in [f.predicate, *f.matched]} & EXERCISE_NOUNS):
            # "Chilean and Peruvian troops staged war games": exercises two parties hold together are military
            # cooperation between them, not a show of force
            f.cameo, sources, targets = "062", sources[:1], sources[1:2]
            f.notes.append("military cooperation: exercises held together")
        if len(sources) >= 2 and targets and all(t in sources for t in targets):
            targets = []  # "an agreement was signed between X and Y": the pair is both sides; one row, below
        if not targets and len(sources) >= 2 and f.pattern.targets != ("none",) and (
                f.cameo.startswith(JOINT_ROOTS) or _reciprocal(f.predicate)):
            # "the two leaders held a call": symmetric, one row; "X and Y blamed each other": one each way; but
            # "Italy and Spain refused to allow the plane in" is each one's refusal, not of each other
            mutual = _reciprocal(f.predicate)
            sources, targets = sources[:2] if mutual else sources[:1], sources[1:2]
        if not targets and f.refusal and f.until is not None:
            # "will not end the strike until the government lowers fuel prices": a refusal that lasts until
            # another party acts is aimed at that party
            targets = _others(self._verb_source(ctx, f.until)[0], sources)
            f.notes += ["target: whom the refusal waits on (its 'until' clause)"] if targets else []
        implicit = False
        if (not targets and len(sources) == 1 and f.cameo.startswith(IMPLICIT_TARGET_ROOTS)
                and not (f.intent or f.hypothetical)):
            gov = self._own_government(sources[0], f.cameo)
            if gov is not None:
                targets, implicit = [gov], True
        if not targets and ("none" not in f.pattern.targets or not self.monadic):
            return []
        code = self.cb.codes[f.cameo]
        conf = (f.score if f.score is not None else BASE_CONFIDENCE) + EXTRA_WORD_BONUS * len(f.matched)
        conf -= BORROWED_SOURCE_PENALTY * f.borrowed_source + WORDS_ONLY_ACTOR_PENALTY * f.words_only
        conf -= HYPOTHETICAL_PENALTY * f.hypothetical + PHRASE_TARGET_PENALTY * f.phrase_target
        conf -= UNTARGETED_PENALTY * f.untargeted
        conf = round(min(0.99, max(0.05, conf)), 2)  # as events carry it, and as the calibration was fitted on
        if self.calibration is not None:
            conf = self.calibration("model" if f.score is not None else "pattern", conf)
        conf = round(conf, 2)
        date, date_from = ctx.date_of(f.predicate)
        if ctx.after_article(date) and not f.intent:
            # A meeting or visit dated after the article is a plan: coded as the intention its root has
            # (042 -> 036), dated when planned; a root with no intention code is dated by the report.
            new = self.cb.intent_code.get(code.root, "")
            if new in self.cb.codes:
                f.cameo, f.intent = new, True
                code = self.cb.codes[new]
            else:
                date, date_from = ctx.a.article.published, "article"
        place = ctx.place_of(f.predicate)
        lead = len(sent.text) - len(sent.text.lstrip())
        evidence, ev_start = sent.text.strip(), sent.start_char + lead  # offsets of the sentence, not its spaces
        out = []
        for s in sources:
            for t in (targets or [None]):
                if mutual and t is s:
                    t = sources[0]
                if t is not None and (s.code, s.name) == (t.code, t.name):
                    continue
                if not self.monadic and not all(_placed(x) for x in (s, t) if x is not None):
                    # "a 23-member delegation", "insurgents": whose, the article does not say. Dyadic event
                    # data wants both sides placed (on dev, 6 of 6 such events were wrong); monadic coding
                    # (Config.monadic_events) keeps acts whose parties are known only by type.
                    continue
                out.append(Event(
                    source=s, target=t, cameo=code.code, root=code.root, quad_class=code.quad_class,
                    goldstein=code.goldstein, plover=code.plover, evidence=evidence,
                    start=ev_start, end=ev_start + len(evidence), date=date, date_from=date_from, location=place,
                    negated=f.negated, hypothetical=f.hypothetical, confidence=conf,
                    rule=(f"{'intent ' if f.intent else ''}{'refusal ' if f.refusal else ''}"
                          + (f"{f.pattern.text} -> {f.pattern.cameo}" if f.score is not None
                             else f"pattern '{f.pattern.text}' -> {f.pattern.cameo}")
                          + f" at '{f.predicate.text}'"
                          + ("; target: the source's own government (a domestic act naming no one else)"
                             if implicit else "")
                          + ("; target: named inside the object's phrase" if f.phrase_target else "")
                          + "".join(f"; {n}" for n in f.notes)),
                ))
        return out

    def _own_government(self, source: Actor, cameo: str) -> Optional[Actor]:
        """The government a domestic non-state actor's protest, boycott or ceasefire is aimed at."""
        if not _nonstate(source) or cameo.startswith("11") and (source.code or "")[3:6] not in OPPOSITION_SECTORS:
            return None
        return self._government(source.country)

    def _government(self, iso3: str) -> Actor:
        """A country's government as an actor: "Kenya (government)", KENGOV."""
        return Actor(name=self.kn.code_name(iso3 + "GOV") or f"{iso3} government", code=iso3 + "GOV", country=iso3)

    def _reported_intent(self, ctx: "_Ctx", f: _Found) -> Optional[_Found]:
        """"The Kremlin said a meeting between Trump and Putin should be arranged": the speaker's intention
        towards the other party, when the speaker is on one side of a planned (modal) cooperative event."""
        code = self.cb.codes[f.cameo]
        if code.root not in ("03", "04", "05") or not f.pattern.noun:
            return None
        head = f.predicate.head
        modal = {c.lower_ for c in head.children if c.dep_ in ("aux", "auxpass")}
        if not (modal & {"should", "would", "will", "must", "could"}):
            return None
        speech = head.head if head.dep_ == "ccomp" else None
        if speech is None or speech.lemma_.lower() not in SPEECH_LEMMAS:
            return None
        subj = [c for c in speech.children if c.dep_ in SUBJECT_DEPS]
        speakers = ctx.actors(subj[0]) if subj else []
        parties = f.sources + f.targets
        if not speakers or not parties:
            return None
        speaker = speakers[0]
        if speaker.country not in {p.country for p in parties}:
            return None
        others = [p for p in parties if p.country != speaker.country]
        if not others:
            return None
        intent = self.cb.intent_code.get(code.root) or f.cameo
        return replace(f, sources=[speaker], targets=others[:1], cameo=intent if intent in self.cb.codes else f.cameo,
                       intent=True, hypothetical=False)


    def _wished(self, ctx: "_Ctx", f: _Found) -> Optional[_Found]:
        """"Washington wished a dialogue between Beijing and the Dalai Lama": talks between others that a third
        party wants are its appeal to them to negotiate (026), not talks held."""
        verb = f.predicate.head
        if f.predicate.dep_ == "nsubj" and verb.dep_ in ("ccomp", "xcomp"):
            verb = verb.head  # "wants talks between X and Y to resume"
        elif f.predicate.dep_ != "dobj":
            return None
        if not f.pattern.noun or f.pattern.cameo[:2] != "04" or verb.lemma_.lower() not in WISHING_VERBS \
                or "026" not in self.cb.codes:
            return None
        subj = [c for c in verb.children if c.dep_ == "nsubj"]
        wishers = ctx.actors(subj[0]) if subj else []
        parties = f.sources + f.targets
        if not wishers or not parties or wishers[0].country in {p.country for p in parties}:
            return None
        return replace(f, sources=wishers[:1], targets=parties[:1], cameo="026", intent=False, hypothetical=False,
                       notes=f.notes + ["an appeal to negotiate: talks a third party wants"])


def _add_new(events: list[Event], seen: set[tuple], made: list[Event]) -> bool:
    """Append the events not coded already (same actors, code and sentence); whether ``made`` had any."""
    for ev in made:
        key = (ev.source.code, ev.source.name, ev.target.code if ev.target else None, ev.cameo, ev.start)
        if key not in seen:
            seen.add(key)
            events.append(ev)
    return bool(made)


def _others(actors: list[Actor], sources: list[Actor]) -> list[Actor]:
    """The actors that are not one of the sources (by code and name)."""
    return [a for a in actors if all((a.code, a.name) != (s.code, s.name) for s in sources)]


def _reciprocal(predicate: Any) -> bool:
    """Whether the act is mutual: "blamed each other", "accused one another", "fought among themselves"."""
    near = list(predicate.children) + [g for c in predicate.children if c.dep_ == "prep" for g in c.children]
    return any(t.lower_ == "other" and any(c.lower_ == "each" for c in t.children)
               or t.lower_ == "another" and any(c.lower_ == "one" for c in t.children)
               or t.lower_ in ("themselves", "each") and t.dep_ in ("pobj", "dobj") for t in near)


def _nonstate(actor: Actor) -> bool:
    """A domestic non-state actor (KENOPP, BGDCVL): one whose act naming no one may be aimed at its government."""
    code = actor.code or ""
    return bool(actor.country) and len(code) >= 6 and code[:3] == actor.country and code[3:6] in NONSTATE_SECTORS


def _peacekeeping(actor: Actor) -> bool:
    """A peacekeeping force or mission (IGOPKO, "the UN peacekeeping force", "the AU mission"); not a country's
    own forces ("the US Air Force")."""
    name, code = actor.name.lower(), actor.code or ""
    return "PKO" in code or "peacekeep" in name or code.startswith("IGO") and ("mission" in name or "force" in name)


def _placed(actor: Actor) -> bool:
    """An actor an analyst can place: a country, or an international body (IGO..., a listed organisation's
    code); a bare type ("GOV", "REB", "CVL") names no one."""
    return bool(actor.country) or len(actor.code or "") > 3


def _dateline_actor(dateline: str, kn: ActorKnowledge, day: Optional[str]) -> Optional[Actor]:
    """The actor of a dateline's place: "MOSCOW, April 2 (AFP) -" -> Moscow (the Russian government)."""
    parts = dateline_parts(dateline)
    name = parts[0].rstrip(":-").strip() if parts else ""  # a text's dateline may end "BANGKOK:"
    if not name[:1].isupper():
        return None
    name = name.title() if name.isupper() else name
    entry = kn.lookup(name, day) or place_actor(name, kn)
    return Actor(name=entry.canonical, code=entry.code, country=entry.country) if entry is not None else None


def _patients(verb: Any) -> list[Any]:
    """The passive subject of a verb: its own, or its first conjunct's ("was kidnapped and has been held
    hostage by X"); a relative pronoun stands for the noun it modifies ("Shalit, who was kidnapped")."""
    node = verb
    while True:
        found = [c for c in node.children if c.dep_ == "nsubjpass"]
        if found or node.dep_ != "conj" or node.head.i == node.i or any(c.dep_ == "nsubj" for c in node.children):
            break
        node = node.head
    if found and found[0].lower_ in ("who", "which", "that") and node.dep_ == "relcl":
        return [node.head]
    return found


def _as_countries(actors: list[Actor], regions: Iterable[str] = ()) -> list[Actor]:
    """Actors as the countries they belong to: a place where something is done stands for its country, a world
    region (``regions``, its codes: "in West Africa" in monadic coding) for itself."""
    return [Actor(name=x.name, code=x.country, country=x.country) if x.country else x for x in actors
            if x.country or x.entity_id is None and x.code in regions]


def _in_place(tok: Any) -> bool:
    """Whether a token is (part of) the object of a locative preposition: "in [Dar es Salaam]", "near Taiwan"."""
    head = tok
    while head.dep_ in ("compound", "flat", "nmod", "amod") and head.head.i != head.i:
        head = head.head
    return head.dep_ == "pobj" and head.head.lower_ in LOCATIVE_PREPS


def _relative_object(verb: Any) -> list[Any]:
    """The noun an object relative clause describes, its verb's object: "the soldiers they captured", "the
    towns the army shelled"; not "the city where they fought" nor "the group they belong to"."""
    if verb.dep_ != "relcl" or verb.head.pos_ not in ("NOUN", "PROPN"):
        return []
    kids = list(verb.children)
    if not any(c.dep_ == "nsubj" for c in kids) or any(c.dep_ in ("dobj", "nsubjpass", "ccomp", "xcomp") for c in kids):
        return []
    if any(c.lower_ in ("where", "when", "why", "how") or (c.dep_ == "prep" and not any(g.dep_ == "pobj" for g in c.children))
           for c in kids):
        return []
    return [verb.head]


def _intended(tok: Any, intents: frozenset[str]) -> bool:
    """An act that completes a noun of intention: "expressed the hope to conclude", "its readiness to talks"."""
    return tok.dep_ in ("acl", "xcomp") and tok.head.pos_ == "NOUN" and tok.head.lemma_.lower() in intents \
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def _of_objects(tok: Any) -> list[Any]:
    """The objects of a word's "of": "two of the suspects", "a shipment of weapons"."""
    return [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]


def _owners(noun: Any) -> list[Any]:
    """Whose a thing or an act is, nearest first: its possessor ("Trump's comments"), its "of", "by" or "between"
    object ("the decision of the court", "a meeting between X and Y", "an agreement signed between X and Y"), its
    modifier ("the EU stance")."""
    owners = [c for c in noun.children if c.dep_ == "poss"]
    owners += [g for h in _between_heads(noun) for c in h.children
               if c.dep_ in ("prep", "agent") and c.lower_ in ("of", "by", "between")
               for g in c.children if g.dep_ == "pobj"]
    return owners + [c for c in noun.lefts if c.dep_ in ("compound", "amod", "nmod")]


def _adjective(tok: Any) -> str:
    """An adjective as written, with the words hyphenated to it: "short-sighted"."""
    return tok.doc[tok.left_edge.i : tok.i + 1].text.lower().replace(" ", "")


def _between_heads(tok: Any) -> list[Any]:
    """Where a nominal act's "between X and Y" may hang: on the noun, on the verb that says it was concluded
    ("an agreement reached on Tuesday between X and Y"), or on the verb it is the subject of ("a truce took
    effect between X and Y", "talks began in Abuja between X and Y")."""
    if tok.pos_ not in ("NOUN", "PROPN"):
        return [tok]
    heads = [tok] + [c for c in tok.children if c.dep_ == "acl" and c.pos_ == "VERB"]
    if tok.dep_ in SUBJECT_DEPS and tok.head.pos_ == "VERB":
        heads.append(tok.head)
    return heads


def _purpose(noun: Any) -> bool:
    """Is an event noun what a verb's act is for ("mobilized troops for a war", "prepared for an assault")?"""
    prep = noun.head
    return (noun.dep_ == "pobj" and prep.lower_ == "for" and prep.i != noun.i and prep.head.pos_ in ("VERB", "AUX")
            and prep.head.i != prep.i)


def _of_time(prep: Any) -> bool:
    """A preposition whose object is a date or time ("on Nov. 2", "in March")."""
    return prep.dep_ == "prep" and any(g.dep_ == "pobj" and g.ent_type_ in ("DATE", "TIME") for g in prep.children)


def _by_agent(ctx: "_Ctx", noun: Any) -> list[Actor]:
    """Who is behind a subject that is an act or a weapon: "a car bombing by the Islamic State group killed
    ...", "missiles fired by the Israeli military struck ...", "an attack claimed by X", "Israel's offensive"."""
    for c in noun.children:
        if c.dep_ in ("prep", "agent") and c.lower_ == "by" and _object_actors(ctx, c):
            return _object_actors(ctx, c)
        if c.dep_ in ("acl", "relcl") and c.tag_ == "VBN":
            for a in c.children:
                if a.dep_ == "agent" and _object_actors(ctx, a):
                    return _object_actors(ctx, a)
    if is_event_noun(noun, ctx.actor_tokens):
        # "Israel's 17-day offensive ... killed 175 people": whose act it is
        owners = [c for c in noun.children if c.dep_ == "poss" and c.lower_ not in POSSESSIVE_PRONOUNS]
        if owners:
            return ctx.actors(owners[0])
    return []


def _object_actors(ctx: "_Ctx", prep: Any) -> list[Actor]:
    """The actors of a preposition's object ("by the army", "from Mandela"); ``_Ctx.actors`` caches them."""
    return next((ctx.actors(g) for g in prep.children if g.dep_ == "pobj" and ctx.actors(g)), [])


def _named(tok: Any) -> bool:
    """A noun that names a party a demand can be made of: a proper name or a governing body, not "the
    soldiers" or "we"."""
    return tok.pos_ == "PROPN" or tok.ent_type_ in ("GPE", "ORG", "NORP", "PERSON") or tok.lemma_.lower() in (
        "government", "authority", "administration", "regime", "leadership", "parliament", "cabinet")


def _neither_nor(tok: Any) -> bool:
    """'neither confirmed nor denied': the verbs of a neither/nor pair are no events."""
    node = tok.head if tok.dep_ == "conj" else tok
    return any(c.lower_ == "neither" for c in node.children) or any(
        c.lower_ == "nor" for c in tok.children) or (tok.dep_ == "conj" and any(c.lower_ == "nor" for c in node.children))


class _Ctx:
    """Per-article look-ups: token → actors, dates and places of clauses."""

    def __init__(self, a: Analysis, kn: ActorKnowledge, groups: frozenset[str] = frozenset(),
                 uncoded: bool = False) -> None:
        self.a, self.kn, self.doc, self.groups = a, kn, a.doc, groups
        # Monadic coding: a named person or organisation the knowledge cannot code ("the Bank of Nova Scotia")
        # is still an actor, by name only.
        self.uncoded = uncoded
        self._by_token: dict[int, list[Entity]] = {}
        starts = [t.idx for t in self.doc]
        # A dateline opening the text ("BERLIN --", "ALGIERS, Algeria -", "BANGKOK:") says where it was
        # filed, not who acted: nothing before its end is an actor, nor an entity named only there (and by
        # pronouns that the coreference gave it).
        m = DATELINE_OPENING.match(self.doc.text[:120])
        self.dateline_end = m.end() if m else 0
        # ...and one opening a later sentence (a second story, a digest): its place is not an actor there.
        self.datelines: list[tuple[int, int]] = []
        for sent in self.doc.sents:
            m = DATELINE_OPENING.match(sent.text[:120]) if sent.start_char > self.dateline_end else None
            if m:
                self.datelines.append((sent.start_char, sent.start_char + m.end()))
        for e in a.entities:
            if self.dateline_end and all(x.end <= self.dateline_end or x.kind == "pronoun" for x in e.mentions):
                continue
            for m in e.mentions:
                i = bisect.bisect_left(starts, m.start)
                while i < len(self.doc) and self.doc[i].idx < m.end:
                    bucket = self._by_token.setdefault(i, [])
                    if e not in bucket:
                        bucket.append(e)
                    i += 1
        self._cache: dict[tuple[int, bool], list[Actor]] = {}
        self._named_at = {i: e for e in self.doc.ents for i in range(e.start, e.end)}  # token -> its NER span
        self.actor_tokens = frozenset(i for i in self._by_token if self.doc[i].idx >= self.dateline_end)

    @cached_property
    def dateline_actor(self) -> Optional[Actor]:
        """The dateline's place (the record's, else the text's), as an actor: "arrived here" is a visit to it."""
        return _dateline_actor(self.a.article.dateline or self.doc.text[: self.dateline_end], self.kn,
                               self.a.article.published)

    def actors(self, tok: Any, conjuncts: bool = True) -> list[Actor]:
        """The actors a token stands for: its entity (two for "the two leaders"), its conjuncts ("Trump and
        Putin"), else what the knowledge makes of its noun phrase."""
        key = (tok.i, conjuncts)
        if key in self._cache:
            return self._cache[key]
        out: list[Actor] = []
        # not an actor itself; its conjuncts may be ("LIMA - Police")
        in_dateline = tok.idx < self.dateline_end or any(s <= tok.idx < e for s, e in self.datelines)
        for e in [] if in_dateline else self._by_token.get(tok.i, []):
            if e.code or e.country or (self.uncoded and e.type in UNCODED_TYPES):
                said = next((m.text for m in e.mentions if m.start <= tok.idx < m.end), None)
                out.append(Actor(name=e.canonical or e.text, code=e.code, country=e.country, entity_id=e.id,
                                 text=said))
        if not out and not in_dateline and tok.pos_ in ("NOUN", "PROPN") and tok.ent_type_ not in NOT_ACTOR_ENTS:
            left = min([tok.i] + [c.i for c in tok.lefts if c.dep_ in ("compound", "amod", "nmod", "poss")
                                  and c.idx >= self.dateline_end])
            span = self.doc[left : tok.i + 1]
            named = self._named_at.get(tok.i)
            # (not a word of a longer name: "Line" in "the Line of Control" is no town called Line)
            part = named is not None and (named.start < left or named.end > tok.i + 1) \
                and named.label_ not in ("PERSON", "ORG", "GPE", "NORP")
            actor = resolve_span(self.a, span.start_char, span.end_char, self.kn) if not part else None
            sector = self.kn.role(tok.lemma_) or self.kn.role(tok.text)
            if actor is not None and (actor.code or actor.country):
                out.append(replace(actor, text=span.text))
            elif sector and tok.pos_ == "NOUN" and not self._members(tok):
                # A generic actor with no country: "police detained 18 people" (COP -> CVL); not "supporters of
                # the party", who are the party's (below).
                out.append(Actor(name=span.text, code=sector, country=None))
        if not out and (tok.lemma_.lower() in self.groups or tok.lower_ in self.groups or tok.like_num
                        or tok.pos_ == "NOUN" and self.kn.role(tok.lemma_)):
            # "dozens of political activists", "two of the suspects": the group is its members
            out += [x for x in self._members(tok) if x not in out]
        if len(out) == 1 and tok.tag_ == "NNS" and (
                out[0].country and out[0].code and len(out[0].code) > 3
                or self.uncoded and not out[0].country and out[0].entity_id is None):
            out = self._split_group(tok, out[0])
        if not out and self.uncoded and not in_dateline:
            out += self._world_group(tok)  # "Some European countries", "the West", "19 Christians"
        if not out and tok.lower_ in FIRST_PERSON:
            out += self._speaker(tok)  # '"We are investigating," the police commander said'
        if not out and (in_dateline or tok.pos_ == "NOUN"):
            # "two Arab countries, Egypt and Jordan,": an apposition names who the noun stands for; the parse
            # may hang the first sentence's subject on the dateline as its apposition ("MOSCOW - X arrived")
            for c in tok.children:
                if c.dep_ == "appos":
                    out += [x for x in self.actors(c) if x not in out]
        if conjuncts:
            for c in tok.children:
                if c.dep_ == "conj":
                    out += [x for x in self.actors(c) if x not in out]
        self._cache[key] = out
        return out

    def _split_group(self, tok: Any, group: Actor) -> list[Actor]:
        """A plural group whose modifiers or "of" objects are coordinated: one group for each country ("the
        leaders of South Africa and Niger", "Chilean and Peruvian negotiators"), or for an organisation ("Bolivian
        and EU negotiators": the EU's own; in monadic coding, named ones the knowledge cannot code, "House and
        Senate negotiators"), each named by its words ("Chile and Peru's foreign ministers": "Peru's foreign
        ministers")."""
        others = [(p, g, f"{tok.text} of {g.text}", f"{tok.text} of {p.text}") for p in _of_objects(tok)
                  for g in p.conjuncts]
        mods = [c for c in tok.children if c.dep_ in ("amod", "poss", "compound", "nmod") and c.i < tok.i]
        # (the parse may hang both on the noun, the first with the "and": "UK and EU negotiators")
        pairs = [(c, g) for c in mods for g in c.conjuncts] + [
            (c, g) for c, g in zip(mods, mods[1:]) if any(x.dep_ == "cc" for x in c.children)]
        others += [(c, g, self.doc[g.left_edge.i : tok.i + 1].text,
                    c.text + ("'s " if c.dep_ == "poss" else " ") + self.doc[g.right_edge.i + 1 : tok.i + 1].text)
                   for c, g in pairs]

        def uncoded(t: Any) -> list[Actor]:
            return [x for x in self.actors(t, conjuncts=False) if x.entity_id and not x.code and not x.country]

        out = [group]
        for c, g, name, first in others:
            n = len(out)
            own = uncoded(c) if not group.country else []
            theirs = uncoded(g) if own else []
            for x in self.actors(g, conjuncts=False):
                if group.country and x.country and x.country != group.country and x.code == x.country:
                    out.append(Actor(name=name, code=x.country + group.code[3:], country=x.country,
                                     entity_id=x.entity_id, text=tok.text))
                elif not x.country and x.code and x.code.startswith("IGO"):
                    out.append(replace(x, name=name, text=tok.text))
                elif x in theirs:
                    out.append(Actor(name=name, code=group.code, country=None, entity_id=x.entity_id, text=tok.text))
            if len(out) > n and n == 1:  # the first group is the first country's (or organisation's) alone
                out[0] = replace(out[0], name=first, entity_id=own[0].entity_id if own else out[0].entity_id)
        return out

    def _world_group(self, tok: Any) -> list[Actor]:
        """Monadic coding: a world region or religious community (world_groups.tsv) as an actor with its CAMEO
        code and no country: by name ("the West", "West Africa"), as a noun ("19 Christians"), or as the
        adjective of a plural noun ("Some European countries", "Southeast Asian nations", "Gulf states")."""
        if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ == "compound":
            return []  # (not "the Europe Bridge")
        mods = [c for c in tok.lefts if c.dep_ in ("compound", "amod", "nmod")]
        left = min([tok.i] + [c.left_edge.i for c in mods])
        while left < tok.i and (self.doc[left].pos_ in ("DET", "NUM") or self.doc[left].like_num):
            left += 1  # "Some European countries", "21 countries"
        named = self.doc[left : tok.i + 1].text
        by_name = self.kn.world_group("name", named)
        found = by_name or self.kn.world_group("noun", tok.text)
        if found is None and tok.tag_ in ("NNS", "NNPS") and left < tok.i:
            adjective = self.doc[left : max(c.i for c in mods) + 1].text if mods else ""
            found = self.kn.world_group("adjective", adjective)
        if found is None:
            return []
        return [Actor(name=found.name if by_name else named, code=found.code, country=None, text=named)]

    def _members(self, tok: Any) -> list[Actor]:
        """The actors a noun's "of" phrase names: "two of the suspects", "supporters of the party"."""
        return [x for g in _of_objects(tok) for x in self.actors(g)]

    def _speaker(self, tok: Any) -> list[Actor]:
        """Who "we" or "I" is inside a direct quote: its speaker, as the quotes stage resolved them."""
        for q in self.a.quotes:
            if q.field == "text" and q.kind == "direct" and q.start <= tok.idx < q.end and q.speaker_entity:
                for e in self.a.entities:
                    if e.id == q.speaker_entity and (e.code or e.country):
                        return [Actor(name=e.canonical or e.text, code=e.code, country=e.country, entity_id=e.id,
                                      text=tok.text)]
        return []

    def after_article(self, date: Optional[str]) -> bool:
        """Whether a date falls after the article's publication (a plan, not an event yet)."""
        published = self.a.article.published
        return bool(date and published and date[:10] > published[:10])

    def date_of(self, tok: Any) -> tuple[Optional[str], str]:
        try:
            from .dates import date_for_span
        except ImportError:  # the dates stage is not installed in this build
            return self.a.article.published, "article"
        if not self.a.dates:
            return self.a.article.published, "article"
        return date_for_span(self.a, tok.idx, tok.idx + len(tok.text))

    def place_of(self, tok: Any) -> Any:
        try:
            from .places import place_for_span
        except ImportError:
            return None
        if not self.a.locations:
            return None
        return place_for_span(self.a, tok.idx, tok.idx + len(tok.text))


__all__ = ["Events", "Codebook", "Calibration", "default_codebook", "default_calibration", "Pattern"]
