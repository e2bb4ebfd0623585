"""``newsevents eval dates``: normalisation of time expressions on TimeBank and AQUAINT (TempEval-3).

Each document of ``data/temporal/TBAQ-cleaned`` has a creation time (DCT) and TIMEX3 annotations with
normalised values. We take every TIMEX3 of type DATE, parse the document with the language layer (for the
tense of each expression's clause), and normalise the gold expression's text against the DCT with
``stages.dates.normalise``; a value is right when it equals the gold value. In the same run, ``dateparser.parse``
alone (default settings plus ``RELATIVE_BASE`` = the DCT) is given the same expressions; its datetime is cut to
the gold value's precision (year, month, week or day), which gives it the benefit of every doubt.

Scored: gold values our value space can express: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` (a time of day is cut
off: "Wednesday night", ``2000-01-05TEV``, is a day) and ISO weeks ``YYYY-Www`` (a weekend ``-WE`` is its
week; ours are written as the week of their first day). Left out, and counted by kind: quarters, halves,
seasons, decades, centuries, ``PRESENT_REF``/``PAST_REF``/``FUTURE_REF``, durations, and values with unknown
parts (``1998-XX-XX``). Expressions we leave unresolved count as wrong.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any, Optional

from ..pipeline import Pipeline
from ..readers._common import make_article
from ..stages.dates import normalise, tense_at
from ..stages.language import Language
from . import EvalResult

DATASET = Path("data/temporal/TBAQ-cleaned")
_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def read_tml(path: Path) -> tuple[str, str, list[dict[str, Any]]]:
    """(DCT as YYYY-MM-DD, plain text of the TEXT element, DATE timexes with character offsets into it)."""
    raw = path.read_text("utf-8")
    dct_m = re.search(r'<DCT>\s*<TIMEX3[^>]*value="(\d{4}-\d{2}-\d{2})', raw)
    if not dct_m:
        raise ValueError(f"{path}: no document creation time")
    body = raw[raw.index("<TEXT>") + len("<TEXT>"): raw.index("</TEXT>")]
    parts: list[str] = []
    pos = length = 0
    open_timex: Optional[dict[str, Any]] = None
    timexes: list[dict[str, Any]] = []
    for m in _TAG.finditer(body):
        chunk = html.unescape(body[pos:m.start()])
        parts.append(chunk)
        length += len(chunk)
        pos = m.end()
        if m.group(2) != "TIMEX3":
            continue
        if m.group(1):
            if open_timex is not None:
                open_timex["end"] = length
                timexes.append(open_timex)
                open_timex = None
        else:
            attrs = dict(_ATTR.findall(m.group(3)))
            open_timex = {"start": length, "type": attrs.get("type"), "value": attrs.get("value", ""), "tid": attrs.get("tid")}
    parts.append(html.unescape(body[pos:]))
    text = "".join(parts)
    dates = [t for t in timexes if t["type"] == "DATE"]
    for t in dates:
        t["text"] = text[t["start"]:t["end"]]
    return dct_m.group(1), text, dates


def gold_value(value: str) -> tuple[Optional[str], str]:
    """(the gold value in our value space, or None; its kind)."""
    v = value.split("T")[0] if re.match(r"\d{4}-\d{2}-\d{2}T", value) else value
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        return v, "day"
    if re.fullmatch(r"\d{4}-\d{2}", v):
        return v, "month"
    if re.fullmatch(r"\d{4}", v):
        return v, "year"
    m = re.fullmatch(r"(\d{4})-W(\d{1,2})(?:-WE)?", v)
    if m:
        return f"{m.group(1)}-W{int(m.group(2)):02d}", "week"
    kind = ("reference" if v.endswith("_REF") else "duration" if v.startswith("P") else
            "unknown parts" if "X" in v else "quarter or half" if re.search(r"-[QH]\d", v) else
            "season" if re.search(r"-(SU|SP|FA|WI)$", v) else "decade or century" if re.fullmatch(r"\d{2,3}", v) else
            "other")
    return None, kind


def render(value: str, precision: str) -> str:
    """Our (value, precision) as a TIMEX3 value."""
    if precision == "week":
        y, w, _ = date.fromisoformat(value).isocalendar()
        return f"{y}-W{w:02d}"
    return value


def cut(d: datetime, kind: str) -> str:
    """A datetime cut to a gold value's precision."""
    if kind == "year":
        return f"{d.year:04d}"
    if kind == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if kind == "week":
        y, w, _ = d.isocalendar()
        return f"{y}-W{w:02d}"
    return d.date().isoformat()


def evaluate(shared: Path, limit: Optional[int] = None) -> EvalResult:
    import dateparser

    files = sorted((shared / DATASET).glob("*/*.tml"))
    if limit:
        files = files[:limit]
    docs = [(f, *read_tml(f)) for f in files]
    articles = [make_article(text=text, input=str(f), format="gold", key=str(f), published=dct)
                for f, dct, text, _ in docs]
    analyses = Pipeline([Language()]).run(articles, keep_doc=True)
    scored = ours_right = dp_right = emitted = 0
    left_out: Counter[str] = Counter()
    by_kind: Counter[str] = Counter()
    right_by_kind: Counter[str] = Counter()
    failures: list[dict[str, Any]] = []
    for (f, dct, text, timexes), a in zip(docs, analyses):
        anchor = date.fromisoformat(dct)
        base = datetime(anchor.year, anchor.month, anchor.day)
        for t in timexes:
            gold, kind = gold_value(t["value"])
            if gold is None:
                left_out[kind] += 1
                continue
            scored += 1
            by_kind[kind] += 1
            tense = tense_at(a.doc, t["start"], t["end"])
            got = normalise(t["text"], anchor, tense)
            mine = render(*got) if got else None
            emitted += got is not None
            ok = mine == gold
            ours_right += ok
            right_by_kind[kind] += ok
            dp = dateparser.parse(t["text"], settings={"RELATIVE_BASE": base})
            dp_right += dp is not None and cut(dp, kind) == gold
            if not ok:
                failures.append({"kind": "no value" if got is None else "wrong value", "text": t["text"],
                                 "gold": t["value"], "got": mine, "dct": dct, "tense": tense, "doc": f.name})
    result = EvalResult(stage="dates", dataset=str(DATASET))
    result.figures["value_accuracy"] = ours_right / scored if scored else 0.0
    result.figures["dateparser_accuracy"] = dp_right / scored if scored else 0.0
    result.figures["precision_when_resolved"] = ours_right / emitted if emitted else 0.0
    for kind in ("day", "week", "month", "year"):
        if by_kind[kind]:
            result.figures[f"accuracy_{kind}"] = right_by_kind[kind] / by_kind[kind]
    result.counts.update({"documents": len(docs), "expressions_scored": scored,
                          **{f"scored ({k})": v for k, v in sorted(by_kind.items())},
                          **{f"left out ({k})": v for k, v in sorted(left_out.items())}})
    result.failures = failures
    return result
