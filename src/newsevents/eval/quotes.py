"""``newsevents eval quotes``: quote attribution on PolNeAR, against textacy's ``direct_quotations``.

Gold: PolNeAR brat files (``data/quotes/polnear/data/<split>/attributions``) — Source, Cue and Content spans
(discontinuous spans are joined from their first to their last character). One annotation file per
article: where several annotators annotated an article, the first file in name order is used.

- **Direct quotes**: gold attributions whose Content starts with a quotation mark. One is *found* when our
  quoted quotes (kind direct or partial) cover at least half of its content (an interrupted quote is one
  gold span and two of ours).
- **Speaker accuracy** (over the found ones): right when our speaker mention overlaps the gold Source span,
  or when our speaker is the entity one of whose mentions overlaps the gold Source span (so "he" resolved
  to the person the gold Source names counts, as does a name when the gold Source is "he").
- **Indirect speech**: gold attributions whose Content has no quotation mark and whose Cue contains a speech
  verb (said, told, added, …); found when one of our indirect quotes covers at least half of the content.
- textacy's ``direct_quotations`` runs on the same spaCy docs and is scored by the same rules (its speaker
  tokens must overlap the gold Source span: textacy does not resolve pronouns). Speaker accuracy over the
  quotes a system found favours a system that finds only the easy ones, so the comparison is also made on the
  quotes both systems found, and as the share of all gold direct quotes found with the right speaker.

The split is ``dev`` by default (84 articles); PolNeAR asks that dev not be used for development: we tune
on ``train`` only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from ..pipeline import Pipeline
from ..readers._common import make_article
from ..stages.actors import Actors
from ..stages.language import Language
from ..stages.quotes import Quotes
from . import EvalResult

ROOT = Path("data/quotes/polnear/data")
QUOTE_MARKS = ("“", '"', "‘", "'", "«")
MIN_COVER = 0.5
# Which gold attributions count as indirect speech: a cue with one of these words. Fixed here, not taken
# from our own verb list, so that growing the extractor's knowledge does not move the measure.
GOLD_SPEECH_CUES = frozenset("""say says said tell tells told add adds added state states stated claim claims
claimed announce announces announced warn warns warned report reports reported explain explains explained
insist insists insisted note notes noted argue argues argued suggest suggests suggested acknowledge
acknowledges acknowledged admit admits admitted deny denies denied confirm confirms confirmed write writes
wrote predict predicts predicted promise promises promised""".split())


@dataclass
class Gold:
    source: Optional[tuple[int, int]]
    cue: str
    content: tuple[int, int]
    content_text: str

    @property
    def direct(self) -> bool:
        return self.content_text.lstrip()[:1] in QUOTE_MARKS


def _span(offsets: str) -> tuple[int, int]:
    parts = [tuple(int(x) for x in frag.split()) for frag in offsets.split(";")]
    return min(p[0] for p in parts), max(p[1] for p in parts)


def read_ann(path: Path) -> list[Gold]:
    spans: dict[str, tuple[str, tuple[int, int], str]] = {}
    relations: list[dict[str, str]] = []
    for line in path.read_text("utf-8").splitlines():
        cols = line.split("\t")
        if line.startswith("T") and len(cols) >= 3:
            label, offsets = cols[1].split(" ", 1)
            spans[cols[0]] = (label, _span(offsets), cols[2])
        elif line.startswith("E") and len(cols) >= 2:
            relations.append(dict(p.split(":", 1) for p in cols[1].split() if ":" in p))
    out = []
    for rel in relations:
        content = spans.get(rel.get("Content", ""))
        if content is None:
            continue
        source = spans.get(rel.get("Source", ""))
        cue = spans.get(rel.get("Cue", ""))
        out.append(Gold(source=source[1] if source else None, cue=cue[2] if cue else "",
                        content=content[1], content_text=content[2]))
    return out


def _cover(gold: tuple[int, int], start: int, end: int) -> float:
    g0, g1 = gold
    return max(0, min(g1, end) - max(g0, start)) / max(1, g1 - g0)


def _overlaps(a: Optional[tuple[int, int]], start: Optional[int], end: Optional[int]) -> bool:
    return a is not None and start is not None and end is not None and min(a[1], end) > max(a[0], start)


def evaluate(shared: Path, split: str = "dev", limit: Optional[int] = None) -> EvalResult:
    base = shared / ROOT / split
    anns: dict[str, Path] = {}
    for ann in sorted((base / "attributions").glob("*.ann")):
        stem = ann.stem.rsplit("_", 1)[0]
        anns.setdefault(stem, ann)
    names = sorted(anns)[:limit] if limit else sorted(anns)
    articles, golds = [], []
    for name in names:
        text = (base / "text" / f"{name}.txt").read_text("utf-8")
        date = name.split("_")[1] if len(name.split("_")) > 1 else None
        articles.append(make_article(text=text, input=name, format="gold", key=name, published=date))
        golds.append(read_ann(anns[name]))
    # The text must stay byte-for-byte as annotated: build articles without cleaning (make_article keeps text).
    pipeline = Pipeline([Language(), Actors(), Quotes()])
    analyses = pipeline.run(articles, keep_doc=True)
    from textacy.extract.triples import direct_quotations

    c: Counter[str] = Counter()
    failures: list[dict[str, Any]] = []
    for a, gold in zip(analyses, golds):
        ours = [q for q in a.quotes if q.field == "text"]
        quoted = [q for q in ours if q.kind in ("direct", "partial")]
        indirect = [q for q in ours if q.kind == "indirect"]
        try:
            tx = list(direct_quotations(a.doc))
        except Exception:  # noqa: BLE001 - textacy fails on some docs; count it as finding nothing there
            tx, c["textacy_errors"] = [], c["textacy_errors"] + 1
        for g in gold:
            if g.direct:
                c["direct"] += 1
                hit = max(quoted, key=lambda q: _cover(g.content, q.start, q.end), default=None)
                # An interrupted quote (“A,” he said, “B.”) is one gold span and two of ours: count their union.
                ours_found = ours_right = False
                if hit is not None and sum(_cover(g.content, q.start, q.end) for q in quoted) >= MIN_COVER:
                    c["direct_found"] += 1
                    ours_found = True
                    ours_right = _speaker_right(a, hit, g)
                    if ours_right:
                        c["speaker_right"] += 1
                    else:
                        failures.append({"kind": "wrong speaker" if hit.speaker else "no speaker",
                                         "quote": hit.text[:60], "got": hit.speaker_canonical or hit.speaker,
                                         "gold": _gold_source(a, g), "article": a.article.input})
                else:
                    failures.append({"kind": "direct quote missed", "quote": g.content_text[:60], "article": a.article.input})
                t_hit = max(tx, key=lambda t: _cover(g.content, t.content.start_char, t.content.end_char), default=None)
                t_cover = sum(_cover(g.content, t.content.start_char, t.content.end_char) for t in tx)
                if t_hit is not None and t_cover >= MIN_COVER:
                    c["textacy_found"] += 1
                    t_right = any(_overlaps(g.source, tok.idx, tok.idx + len(tok.text)) for tok in t_hit.speaker)
                    c["textacy_speaker_right"] += t_right
                    if ours_found:  # head to head: the quotes both found
                        c["both_found"] += 1
                        c["both_ours_right"] += ours_right
                        c["both_textacy_right"] += t_right
            elif any(w.lower().strip(".,") in GOLD_SPEECH_CUES for w in g.cue.split()):
                c["indirect"] += 1
                if any(_cover(g.content, q.start, q.end) >= MIN_COVER for q in indirect):
                    c["indirect_found"] += 1
                else:
                    failures.append({"kind": "indirect missed", "cue": g.cue, "content": g.content_text[:60],
                                     "article": a.article.input})
    r = EvalResult(stage="quotes", dataset=f"{ROOT}/{split} ({len(names)} articles)")
    r.figures["direct_recall"] = c["direct_found"] / c["direct"] if c["direct"] else 0.0
    r.figures["speaker_accuracy"] = c["speaker_right"] / c["direct_found"] if c["direct_found"] else 0.0
    r.figures["indirect_recall"] = c["indirect_found"] / c["indirect"] if c["indirect"] else 0.0
    r.figures["textacy_direct_recall"] = c["textacy_found"] / c["direct"] if c["direct"] else 0.0
    r.figures["textacy_speaker_accuracy"] = c["textacy_speaker_right"] / c["textacy_found"] if c["textacy_found"] else 0.0
    both = c["both_found"]
    r.figures["speaker_accuracy_where_both_found"] = c["both_ours_right"] / both if both else 0.0
    r.figures["textacy_speaker_accuracy_where_both_found"] = c["both_textacy_right"] / both if both else 0.0
    r.figures["attributed_share"] = c["speaker_right"] / c["direct"] if c["direct"] else 0.0
    r.figures["textacy_attributed_share"] = c["textacy_speaker_right"] / c["direct"] if c["direct"] else 0.0
    r.counts.update({"gold_direct": c["direct"], "gold_indirect": c["indirect"],
                     "textacy_errors": c["textacy_errors"]})
    r.failures = failures
    return r


def _speaker_right(a: Any, q: Any, g: Gold) -> bool:
    if g.source is None:
        return q.speaker is None
    if _overlaps(g.source, q.speaker_start, q.speaker_end):
        return True
    if q.speaker_entity:
        ent = next((e for e in a.entities if e.id == q.speaker_entity), None)
        if ent is not None and any(_overlaps(g.source, m.start, m.end) for m in ent.mentions):
            return True
    return False


def _gold_source(a: Any, g: Gold) -> Optional[str]:
    return a.article.text[g.source[0] : g.source[1]] if g.source else None
