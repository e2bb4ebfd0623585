"""Quotes: who said what — direct, partial and indirect quotes with their speakers resolved.

1. **Quoted spans** are found in the text with their marks: typographic (“ ” « » „) and straight ("), single
   quotes (‘ ’) at the top level, nested single quotes left inside; a paragraph that opens a quote without
   closing it continues into the next one when that one reopens it (the newspaper convention).
2. **Direct or partial.** A quoted span that reads as a clause of its own (it starts like a sentence, or
   carries its own final punctuation, or runs over several words) is direct; a fragment inside reported
   speech ("he held a “lengthy and highly productive phone call”") is partial.
3. **Attribution.** The reporting word nearest the quote in its sentence(s) — a speech verb (said, told,
   added, warned, …) or "according to" — and its subject give the speaker, resolved through the actors
   stage's entities and coreference ("he added", "the Kremlin spokesman said" → Dmitry Peskov). A direct
   quote with no attribution of its own continues the speaker of the quote just before it, in the same or
   the previous paragraph. A partial quote takes the speaker of the reporting verb it depends on; with none
   it is a scare quote and keeps ``speaker: None`` — never a guess.
4. **Indirect speech**: a speech verb's content clause outside quotation marks ("Peskov said Thursday that
   Kremlin officials have already started…") is a quote of kind ``indirect``.
5. **Date said**: the time expression of the reporting clause ("said Thursday"), else the article's date.
6. Quotes in the headline or a related article's title are kept with ``in_headline`` and their ``field``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from typing import Any, Optional, Sequence

from ..knowledge import ActorKnowledge, DATA, default_knowledge
from ..records import Analysis, Entity, Quote

OPENERS = {"“": "”", "«": "»", "„": "“", "‘": "’"}
DOUBLE_CLOSERS = {"”", "»"}
# A quoted span with at least this many words reads as a statement of its own even without a capital or
# final punctuation; shorter lower-case fragments are partial quotes. Chosen on PolNeAR train: 6 separates
# "a “lengthy and highly productive phone call”" (partial) from clause-length quotes.
DIRECT_MIN_WORDS = 6
# How far (in characters) after a closing mark an attribution may start ("…,” he said").
ATTRIBUTION_GAP = 3
OBJECT_DEPS = frozenset({"dobj", "dative", "pobj", "npadvmod", "attr", "oprd"})
# Dependencies through which a subjectless reporting verb borrows the subject of the verb it hangs from.
CLIMB_DEPS = frozenset({"conj", "advcl", "xcomp", "acomp", "pcomp", "prep"})
# How many tokens before a subjectless cue a speaker's name may stand (past an apposition).
MAX_SUBJECT_DISTANCE = 12
HEADLINE_SPEAKER = re.compile(
    r"(?:^|[,:;]\s*|\s)([A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})\s+(?:Says|Said|Warns|Tells|Claims|Insists|Vows|Urges)\b")


def _speech_lemmas() -> frozenset[str]:
    lines = (DATA / "speech_verbs.txt").read_text("utf-8").splitlines()
    return frozenset(line.split()[0].lower() for line in lines if line.strip() and not line.startswith("#"))


@dataclass
class _Span:
    start: int  # content, without the marks
    end: int
    paragraph_start: bool  # the opening mark begins its paragraph
    continued: bool = False  # reopened in a following paragraph


def _mark(text: str, i: int) -> tuple[str, int]:
    """The quotation mark at ``i`` and its width: archives write '' and `` for double quotes."""
    two = text[i : i + 2]
    if two == "''":
        return '"', 2
    if two == "``":
        return "“", 2
    return text[i], 1


def find_quoted(text: str) -> list[_Span]:
    """Quoted stretches of ``text``: content offsets without the marks."""
    spans: list[_Span] = []
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    pending: Optional[_Span] = None  # a quote left open at the end of the previous paragraph
    for p_start, p_end in paragraphs:
        i = p_start
        closer: Optional[str] = None
        open_at, open_width = -1, 1
        para = text[p_start:p_end]
        lead = len(para) - len(para.lstrip())
        if pending is not None:
            first, width = _mark(text, p_start + lead)
            if first in OPENERS or first == '"':
                # The quote goes on: this paragraph reopens it.
                closer = OPENERS.get(first, '"')
                open_at, open_width = p_start + lead, width
                i = open_at + width
            else:
                spans.append(pending)
                pending = None
        while i < p_end:
            ch, width = _mark(text, i)
            if closer is None:
                if ch in ('“', '«', '„') or (ch in ('"', "‘") and _opens(text, i)):
                    closer = OPENERS.get(ch, '"')
                    open_at, open_width = i, width
            elif ch == closer or (closer == "”" and ch == '"') or (closer == '"' and ch in DOUBLE_CLOSERS) \
                    or (closer == "”" and ch == "“" and _closes(text, i)):  # a typo'd closer: “It's unusual,“ said
                if closer == "’" and i + 1 < len(text) and text[i + 1].isalpha():
                    i += 1  # an apostrophe inside a single-quoted span: "‘We don’t agree’"
                    continue
                span = _Span(open_at + open_width, i, paragraph_start=(open_at - p_start) <= lead)
                if pending is not None:
                    pending.end = i
                    pending.continued = True
                    spans.append(pending)
                    pending = None
                elif span.end > span.start:
                    spans.append(span)
                closer = None
            i += width
        if closer is not None and closer != "’":
            # Unclosed at the end of the paragraph: continues if the next paragraph reopens it.
            if pending is None:
                pending = _Span(open_at + open_width, p_end, paragraph_start=(open_at - p_start) <= lead)
            else:
                pending.end = p_end
    if pending is not None:
        spans.append(pending)
    return [s for s in spans if text[s.start : s.end].strip()]


def _closes(text: str, i: int) -> bool:
    """A mark closes when it follows a word or punctuation and precedes a space, punctuation or the end."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and (after.isspace() or after in ".,;:!?)")


def _opens(text: str, i: int) -> bool:
    """A straight or single mark opens a quote when it follows a space or the start and precedes a word."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([—–-:") and not after.isspace()


class Quotes:
    name = "quotes"
    version = "1"
    requires: tuple[str, ...] = ("doc", "entities")
    assigns: tuple[str, ...] = ("quotes",)

    def __init__(self, knowledge: Optional[ActorKnowledge] = None) -> None:
        self.kn = knowledge or default_knowledge()
        self.lemmas = _speech_lemmas()

    def __call__(self, batch: Sequence[Analysis]) -> list[Analysis]:
        return [replace(a, quotes=self.extract(a)) for a in batch]

    # --- the whole article ------------------------------------------------------------------------------
    def extract(self, a: Analysis) -> tuple[Quote, ...]:
        doc, text = a.doc, a.article.text
        starts = [t.idx for t in doc]
        ctx = _Context(a, doc, starts, self._mention_index(a.entities))
        quotes: list[Quote] = []
        previous: Optional[Quote] = None
        spans = find_quoted(text)
        covered = [(s.start, s.end) for s in spans]
        for s in spans:
            q = self._quoted(ctx, s, previous)
            quotes.append(q)
            if q.kind == "direct":
                previous = q
        quotes += self._indirect(ctx, covered)
        quotes += self._headlines(a)
        return tuple(sorted(quotes, key=lambda q: (q.field != "text", q.start)))

    @staticmethod
    def _mention_index(entities: Sequence[Entity]) -> list[tuple[int, int, Entity, str]]:
        out = [(m.start, m.end, e, m.kind) for e in entities for m in e.mentions]
        out.sort(key=lambda x: (x[0], -(x[1] - x[0])))
        return out

    # --- quoted spans -------------------------------------------------------------------------------------
    def _quoted(self, ctx: "_Context", s: _Span, previous: Optional[Quote]) -> Quote:
        text = ctx.a.article.text
        content = text[s.start : s.end]
        stripped = content.strip()
        words = len(stripped.split())
        starts_like_sentence = stripped[:1].isupper() or stripped[:1].isdigit() or stripped[:1] in "…."
        final = stripped[-1:] in ".?!,…—–-"
        direct = s.continued or s.paragraph_start or (starts_like_sentence and (final or words >= DIRECT_MIN_WORDS)) \
            or words >= DIRECT_MIN_WORDS * 2
        kind = "direct" if direct else "partial"
        if kind == "direct":
            cue = self._cue_near(ctx, s.start - 1, s.end + 1)
        else:
            cue = self._cue_governing(ctx, s.start, s.end)
        q = Quote(text=content, kind=kind, start=s.start, end=s.end)
        if cue is not None:
            q = self._attribute(ctx, q, cue, exclude=(s.start - 1, s.end + 1))
            if q.speaker_canonical is None or (q.speaker_code or "").endswith("MED"):
                # "Li told Millon that “…”, state television reported": a relay (the media, or no actor)
                # yields to a reporting verb before the quote in its sentence whose subject is an actor.
                inner = self._resolved_cue_before(ctx, s.start, cue)
                if inner is not None:
                    q = self._attribute(ctx, replace(q, speaker=None, speaker_start=None, speaker_end=None),
                                        inner, exclude=(s.start - 1, s.end + 1))
            return q
        if kind == "direct" and previous is not None and previous.speaker_canonical:
            # No attribution of its own: the speaker of the quote just before goes on, if it is close.
            gap = text[previous.end : s.start]
            if gap.count("\n") <= 2 and len(gap) < 400:
                return replace(q, speaker=previous.speaker, speaker_canonical=previous.speaker_canonical,
                               speaker_code=previous.speaker_code, speaker_entity=previous.speaker_entity,
                               date=previous.date, date_from=previous.date_from)
        return replace(q, date=ctx.a.article.published, date_from="article")

    def _cue_near(self, ctx: "_Context", q_start: int, q_end: int) -> Optional[Any]:
        """The reporting word of a direct quote: the speech verb the quote depends on in the parse; else the
        nearest one in the quote's sentences and the attribution sentences right beside it in the same
        paragraph ("“…,” Peskov said. “…”"); else, after a colon, the verb that introduces it ("Cruz
        continued:")."""
        governing = self._cue_governing(ctx, q_start + 1, q_end - 1)
        if governing is not None:
            return governing
        text = ctx.a.article.text
        sents = [s for s in ctx.doc.sents if s.end_char > q_start and s.start_char < q_end]
        nxt = ctx.sentence_after(q_end)
        if nxt is not None and nxt not in sents and _beside(text, q_end, nxt.start_char):
            sents.append(nxt)
        prev = ctx.sentence_before(q_start)
        if prev is not None and prev not in sents and _beside(text, prev.end_char, q_start):
            sents.append(prev)
        best, best_key = None, (10**9, 0)
        for sent in sents:
            for t in sent:
                if q_start <= t.idx < q_end or not self._is_cue(t):
                    continue
                after = t.idx >= q_end
                dist = t.idx - q_end if after else q_start - t.idx
                key = (dist, 0 if after else 1)  # on a tie, the attribution after the quote is its own
                if key < best_key:
                    best, best_key = t, key
        if best is not None:
            return best
        colon = ctx.tokens_in(max(0, q_start - 3), q_start)
        if colon and colon[-1].text == ":" and colon[-1].i > 0 and ctx.mention_at(ctx.doc[colon[-1].i - 1]):
            return colon[-1]  # "Trump: ‘I’m the worst thing…’" (a headline's attribution)
        if prev is not None and text[prev.start_char : q_start].rstrip().endswith(":"):
            return prev.root if any(c.dep_ in ("nsubj", "nsubjpass") for c in prev.root.children) else None
        return None

    def _resolved_cue_before(self, ctx: "_Context", start: int, cue: Any) -> Optional[Any]:
        for t in reversed(ctx.tokens_in(cue.sent.start_char, start)):
            if t.i != cue.i and self._is_cue(t):
                subj = self._speaker_token(t)
                if subj is not None and ctx.mention_at(subj) is not None:
                    return t
        return None

    def _cue_governing(self, ctx: "_Context", start: int, end: int) -> Optional[Any]:
        """The reporting verb a partial quote depends on: an ancestor of the quote's words."""
        tokens = ctx.tokens_in(start, end)
        if not tokens:
            return None
        for anc in tokens[0].ancestors:
            if start - 1 <= anc.idx < end + 1:
                continue  # a verb inside the quote is what the quote says, not who says it
            if self._is_cue(anc):
                return anc
        return None

    def _is_cue(self, t: Any) -> bool:
        if t.lower_ == "according" and any(c.lower_ == "to" for c in t.children):
            return True
        if t.i >= 2 and t.doc[t.i - 2].lower_ == "so" and t.doc[t.i - 1].text == "-":
            return False  # "so-called"
        return t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in self.lemmas

    def _attribute(self, ctx: "_Context", q: Quote, cue: Any, exclude: tuple[int, int]) -> Quote:
        speaker_tok = self._speaker_token(cue, exclude)
        if speaker_tok is None:
            speaker_tok = self._adjacent_name(ctx, cue, exclude)
        date, date_from = ctx.date_of(cue, exclude)
        cue_text = "according to" if cue.lower_ == "according" else cue.text
        q = replace(q, cue=cue_text, date=date, date_from=date_from)
        if speaker_tok is None:
            return q
        m = ctx.mention_at(speaker_tok)
        if m is not None:
            m_start, m_end, ent, _kind = m
            return replace(q, speaker=ctx.a.article.text[m_start:m_end], speaker_canonical=ent.canonical,
                           speaker_code=ent.code, speaker_entity=ent.id, speaker_start=m_start, speaker_end=m_end)
        # A speaker the actors stage did not resolve ("a senior official"): the noun phrase, unresolved.
        left = min([speaker_tok.i] + [c.i for c in speaker_tok.lefts if c.dep_ in ("compound", "amod", "det", "poss", "nmod")])
        span = ctx.doc[left : speaker_tok.i + 1]
        return replace(q, speaker=span.text, speaker_start=span.start_char, speaker_end=span.end_char)

    @staticmethod
    def _adjacent_name(ctx: "_Context", cue: Any, exclude: tuple[int, int]) -> Optional[Any]:
        """When the parse gives the cue no subject: a name just after it ("said Peskov"), or the nearest name
        before it in the same clause, over appositions ("her adviser, Jake Sullivan, said"); never the cue's
        object ("told AFP")."""
        doc = ctx.doc
        if cue.i + 1 < len(doc):
            t = doc[cue.i + 1]
            if not exclude[0] <= t.idx < exclude[1] and t.dep_ not in OBJECT_DEPS and ctx.mention_at(t):
                return t
            if cue.i > 0 and doc[cue.i - 1].text in ("”", '"', ",") and cue.idx >= exclude[1] - 1:
                # Inverted attribution after a quote: "“…,” added a South Carolina Democrat."
                for j in range(cue.i + 1, min(len(doc), cue.i + MAX_SUBJECT_DISTANCE)):
                    if doc[j].is_punct or doc[j].pos_ in ("VERB", "AUX", "ADP"):
                        break
                    if doc[j].pos_ in ("NOUN", "PROPN") and (j + 1 == len(doc) or doc[j + 1].pos_ not in ("NOUN", "PROPN")):
                        return doc[j]
        for i in range(cue.i - 1, max(-1, cue.i - MAX_SUBJECT_DISTANCE), -1):
            t = doc[i]
            if exclude[0] <= t.idx < exclude[1] or t.is_sent_start and i != cue.i - 1 and ctx.mention_at(t) is None:
                break
            if t.pos_ in ("VERB", "AUX") or t.text in ("“", "”", '"'):
                break
            if t.dep_ not in OBJECT_DEPS and ctx.mention_at(t) is not None:
                return t
        return None

    @staticmethod
    def _speaker_token(cue: Any, exclude: tuple[int, int] = (0, 0)) -> Optional[Any]:
        def subject(verb: Any) -> Optional[Any]:
            # A word of the quote taken for the subject (“Very good reporter,” Trump said) does not count.
            return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")
                         and not exclude[0] <= c.idx < exclude[1]), None)

        if cue.text == ":":
            return cue.doc[cue.i - 1]
        if cue.lower_ == "according":
            for to in cue.children:
                if to.lower_ == "to":
                    for obj in to.children:
                        if obj.dep_ == "pobj":
                            return obj
            return None
        # "lauded by Rice as a “big step forward”", "accused by Maliki of “inciting sedition”": the agent
        # of a passive reporting verb is the speaker, its subject what was spoken of.
        agent = next((g for c in cue.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
        if agent is not None and not exclude[0] <= agent.idx < exclude[1]:
            return agent
        subj = subject(cue)
        if subj is not None:
            return subj
        # "he added, and said …" (conj), "Trump said …, adding that …" (advcl/xcomp), "began by saying"
        # (pcomp): the verb shares the subject of the verb it hangs from.
        node = cue
        for _ in range(4):
            if node.dep_ not in CLIMB_DEPS or node.head.i == node.i:
                break
            node = node.head
            subj = subject(node)
            if subj is not None:
                return subj
        return None

    # --- indirect speech ------------------------------------------------------------------------------------
    def _indirect(self, ctx: "_Context", covered: list[tuple[int, int]]) -> list[Quote]:
        out: list[Quote] = []
        text = ctx.a.article.text
        for t in ctx.doc:
            if not self._is_cue(t) or _inside(t.idx, covered):
                continue
            if t.lower_ == "according":
                # "According to the UN, the convoy reached the city": the clause the phrase hangs from.
                if t.head.i == t.i:
                    continue
                skip = {x.i for x in t.subtree}
                toks = sorted((x for x in t.head.subtree if x.i not in skip), key=lambda x: x.i)
            else:
                clause = next((c for c in t.children if c.dep_ == "ccomp"), None)
                if clause is None:
                    continue
                toks = sorted(clause.subtree, key=lambda x: x.i)
            while toks and (toks[0].dep_ == "mark" or toks[0].is_punct):
                toks = toks[1:]
            while toks and toks[-1].is_punct:
                toks = toks[:-1]
            if len(toks) < 3:
                continue
            start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
            quoted = sum(max(0, min(end, e) - max(start, s)) for s, e in covered)
            if quoted > 0.5 * (end - start):
                continue  # the clause is a direct quote: already attributed
            q = Quote(text=text[start:end], kind="indirect", start=start, end=end)
            out.append(self._attribute(ctx, q, t, exclude=(start, end)))
        return out

    # --- headlines ------------------------------------------------------------------------------------------
    def _headlines(self, a: Analysis) -> list[Quote]:
        out: list[Quote] = []
        fields = [("title", a.article.title)] + [("related", r.title) for r in a.article.related]
        for field_name, title in fields:
            if not title:
                continue
            m = HEADLINE_SPEAKER.search(title)
            speaker = m.group(1) if m else None
            entry = None
            if speaker:
                entry = self.kn.lookup(speaker, a.article.published) or self.kn.lookup_surname(speaker, a.article.published)
            for s in find_quoted(title):
                out.append(Quote(text=title[s.start : s.end], kind="partial", start=s.start, end=s.end,
                                 speaker=speaker, speaker_canonical=entry.canonical if entry else speaker,
                                 speaker_code=entry.code if entry else None, in_headline=True, field=field_name))
        return out


def _beside(text: str, left: int, right: int) -> bool:
    """Two stretches of text are beside each other: a few characters apart, in the same paragraph."""
    gap = text[left:right] if left <= right else ""
    return left <= right and len(gap) <= ATTRIBUTION_GAP + 1 and "\n" not in gap


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


class _Context:
    """Per-article look-ups shared by the quote finders."""

    def __init__(self, a: Analysis, doc: Any, starts: list[int], mentions: list[tuple[int, int, Entity, str]]) -> None:
        self.a, self.doc, self.starts, self.mentions = a, doc, starts, mentions
        self._sents = list(doc.sents)
        self._sent_starts = [s.start_char for s in self._sents]

    def tokens_in(self, start: int, end: int) -> list[Any]:
        i = bisect.bisect_left(self.starts, start)
        out = []
        while i < len(self.doc) and self.doc[i].idx < end:
            out.append(self.doc[i])
            i += 1
        return out

    def sentence_after(self, pos: int) -> Optional[Any]:
        i = bisect.bisect_left(self._sent_starts, pos)
        return self._sents[i] if i < len(self._sents) else None

    def sentence_before(self, pos: int) -> Optional[Any]:
        """The last sentence that ends at or before ``pos``."""
        i = bisect.bisect_right(self._sent_starts, pos) - 1
        while i >= 0 and self._sents[i].end_char > pos:
            i -= 1
        return self._sents[i] if i >= 0 else None

    def mention_at(self, tok: Any) -> Optional[tuple[int, int, Entity, str]]:
        """The entity mention covering a token; prefer the longest (the name over its pronoun)."""
        found = [m for m in self.mentions if m[0] <= tok.idx < m[1]]
        if not found:
            return None
        return max(found, key=lambda m: (m[3] != "group", m[1] - m[0]))

    def date_of(self, cue: Any, exclude: tuple[int, int]) -> tuple[Optional[str], str]:
        """The time expression of the reporting clause ("said Thursday"), else the article's date."""
        for d in self.a.dates:
            if exclude[0] <= d.start < exclude[1]:
                continue
            toks = self.tokens_in(d.start, d.end)
            if toks and any(_governed_by(t, cue, exclude) for t in toks):
                return d.value, "text"
        return self.a.article.published, "article"


def _governed_by(tok: Any, verb: Any, exclude: tuple[int, int]) -> bool:
    """True if the verb is the token's nearest clausal head, not reached through a quoted clause."""
    node = tok
    for _ in range(6):
        if node.i == verb.i:
            return True
        if node.head.i == node.i or exclude[0] <= node.idx < exclude[1]:
            return False
        if node.dep_ in ("ccomp", "xcomp", "advcl", "relcl", "conj") and node.i != tok.i:
            return False
        node = node.head
    return False


__all__ = ["Quotes", "find_quoted"]
