"""Themes measured on Reuters-21578 (``../shared/data/news/reuters21578``): the ModApte test split's articles
with a body, whose editors' TOPICS labels map onto three of our themes:

- TRADE    ← ``trade``
- ENERGY   ← ``crude``, ``nat-gas``, ``fuel``, ``gas``, ``heat``, ``propane``, ``jet``, ``naphtha``, ``pet-chem``
- MARITIME ← ``ship``

An article has a theme when the stage finds at least one of its terms (event codes are not used here: the
articles are run through the tokenizer only, which is all the term matcher needs). Per theme: precision,
recall and F1 over articles; and their macro average. The other themes have no gold here.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from ..records import Analysis, Article
from ..stages.language import load_model
from ..stages.themes import Themes
from . import EvalResult

GOLD_TOPICS = {
    "TRADE": {"trade"},
    "ENERGY": {"crude", "nat-gas", "fuel", "gas", "heat", "propane", "jet", "naphtha", "pet-chem"},
    "MARITIME": {"ship"},
}
_DOC = re.compile(r"<REUTERS ([^>]*)>(.*?)</REUTERS>", re.S)
_TOPICS = re.compile(r"<TOPICS>(.*?)</TOPICS>", re.S)
_D = re.compile(r"<D>(.*?)</D>")
_BODY = re.compile(r"<BODY>(.*?)</BODY>", re.S)


def read_reuters(directory: Path) -> list[tuple[str, str, set[str]]]:
    """(id, body, topics) of the ModApte test articles that have topics and a body."""
    out = []
    for path in sorted(directory.glob("reut2-*.sgm")):
        raw = path.read_bytes().decode("latin-1")
        for attrs, body in _DOC.findall(raw):
            if 'LEWISSPLIT="TEST"' not in attrs or 'TOPICS="YES"' not in attrs:
                continue
            t, b = _TOPICS.search(body), _BODY.search(body)
            if not t or not b:
                continue
            topics = set(_D.findall(t.group(1)))
            if topics:
                newid = re.search(r'NEWID="(\d+)"', attrs)
                out.append((newid.group(1) if newid else "", html.unescape(b.group(1)).strip(), topics))
    return out


def evaluate(shared: Path) -> EvalResult:
    docs = read_reuters(shared / "data" / "news" / "reuters21578")
    nlp = load_model()
    stage = Themes()
    counts = {theme: {"tp": 0, "fp": 0, "fn": 0} for theme in GOLD_TOPICS}
    result = EvalResult(stage="themes", dataset="Reuters-21578 ModApte test split (TOPICS labels)")
    for (doc_id, body, topics), doc in zip(docs, nlp.tokenizer.pipe(d[1] for d in docs)):
        art = Article(id=doc_id, text=body, input=f"reuters:{doc_id}", format="sgml")
        themes = stage.find(Analysis(article=art, doc=doc))
        found = {t.theme for t in themes}
        for theme, labels in GOLD_TOPICS.items():
            gold, got = bool(topics & labels), theme in found
            key = "tp" if gold and got else "fp" if got else "fn" if gold else None
            if key:
                counts[theme][key] += 1
            if key in ("fp", "fn") and len([f for f in result.failures if f["kind"] == f"{theme} {key}"]) < 20:
                terms = sorted({t.text.lower() for t in themes if t.theme == theme})
                result.failures.append({"kind": f"{theme} {key}", "id": doc_id, "topics": sorted(topics),
                                        "terms": terms, "start": body[:80]})
    f1s = []
    for theme, c in counts.items():
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        f1s.append(f1)
        key = theme.lower()
        result.figures[f"{key}_precision"] = p
        result.figures[f"{key}_recall"] = r
        result.figures[f"{key}_f1"] = f1
        result.counts[f"{theme} gold articles"] = c["tp"] + c["fn"]
    result.figures["macro_f1"] = sum(f1s) / len(f1s)
    result.counts["articles"] = len(docs)
    return result
