"""``newsevents eval actors``: actor country resolution on the PLOVER gold-standard records.

Each record of ``data/events/plover__PLOVER_GSR_CAMEO.txt`` has a sentence and its source and target actors,
each with the text that names it and a gold CAMEO code. We run the language layer on the sentence, resolve the
actor text through ``stages.actors.resolve_span``, and count an actor right when our country (ISO alpha-3)
equals the gold code's country, or, for a gold ``IGO...`` code, when we resolve an international
organisation. Gold codes written in CAMEO's own country codes (JAP, ROM...) are mapped through the knowledge.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, Optional

from ..knowledge import ActorKnowledge, default_knowledge
from ..pipeline import Pipeline
from ..readers._common import make_article
from ..stages.actors import Actors, resolve_span
from ..stages.language import Language
from . import EvalResult

DATASET = Path("data/events/plover__PLOVER_GSR_CAMEO.txt")
# CAMEO country codes that are neither ISO alpha-3 nor in countries.tsv's cameo column.
OLD_CAMEO = {"JAP": "JPN", "ROU": "ROU", "ROM": "ROU", "UAR": "EGY", "ZAI": "COD", "BUL": "BGR"}


def gold_country(code: str, kn: ActorKnowledge) -> Optional[str]:
    code = (code or "").upper()[:3]
    if code in kn.countries:
        return code
    for c in kn.countries.values():
        if c.cameo == code:
            return c.iso3
    return OLD_CAMEO.get(code)


def evaluate(shared: Path, knowledge: Optional[ActorKnowledge] = None, limit: Optional[int] = None) -> EvalResult:
    kn = knowledge or default_knowledge()
    records = [r for r in json.loads((shared / DATASET).read_text("utf-8")) if isinstance(r, dict) and r.get("text")]
    if limit:
        records = records[:limit]
    articles = [make_article(text=r["text"], input=r["id"], format="gold", key=r["id"], published=r.get("date"))
                for r in records]
    pipeline = Pipeline([Language(), Actors(kn)])
    analyses = pipeline.run(articles)
    total = right = igo_total = igo_right = 0
    failures: list[dict[str, Any]] = []
    kinds: Counter[str] = Counter()
    for r, a in zip(records, analyses):
        for role in ("source", "target"):
            actors = r.get(role)
            if not isinstance(actors, list):
                continue
            for g in actors:
                if not isinstance(g, dict) or not g.get("actorText") or not g.get("code"):
                    continue
                text, code = g["actorText"], g["code"].upper()
                is_igo = code.startswith("IGO")
                want = None if is_igo else gold_country(code, kn)
                if not is_igo and want is None:
                    kinds["gold code not a country"] += 1
                    continue
                start = a.article.text.find(text)
                if start < 0:
                    kinds["actor text not in sentence"] += 1
                    continue
                got = resolve_span(a, start, start + len(text), kn)
                total += 1
                if is_igo:
                    igo_total += 1
                    ok = got is not None and (got.code or "").startswith("IGO")
                    igo_right += ok
                else:
                    ok = got is not None and (got.country == want or (got.code or "")[:3] == want)
                right += ok
                if not ok:
                    kind = ("not resolved" if got is None else
                            "no country" if not got.country and not is_igo else "wrong country")
                    failures.append({"kind": kind, "text": text, "gold": code,
                                     "got": None if got is None else (got.code or got.country), "id": r["id"]})
    result = EvalResult(stage="actors", dataset=str(DATASET))
    result.figures["country_accuracy"] = right / total if total else 0.0
    result.figures["igo_accuracy"] = igo_right / igo_total if igo_total else 0.0
    result.counts.update({"actors_scored": total, "records": len(records), **{f"skipped ({k})": v for k, v in kinds.items()}})
    result.failures = failures
    return result
