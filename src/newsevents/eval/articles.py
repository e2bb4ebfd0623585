"""``newsevents eval articles``: the whole pipeline on the article-level dev set, scored by the shared scorer.

Gold: ``gold/dev/*.gold.json``, 48 AFP/Xinhua articles (1997-2006) annotated by hand (format in
``gold/README.md``); their texts are the records of ``data/news/afp_xinhua_1997_2006.jsonl`` with the same id.
The records are extracted in process exactly as ``newsevents extract`` does (default configuration), each
analysis is turned into the output contract, and the contracts are scored by ``eval/score.py`` of the shared
folder (loaded from there at run time), so the figures are those ``python3 ../shared/eval/dev.py`` prints:

- ``event_precision``, ``event_recall``, ``event_f1``, ``quote_recall``, ``speaker_accuracy``,
  ``date_recall``, ``location_recall``: ``score.corpus``, micro-averaged over the articles;
- ``events_with_country``: the share of coded (not negated) events whose source and target both have a
  country (alpha-3 in ``country`` or leading the code) or are an international organisation (``IGO...``).

Failures: each required gold quote found with the wrong speaker, each coded event with an actor without
a country, and each article the pipeline rejected (it scores as empty, as it does for dev.py). The dev set is for measuring and finding what fails, never for writing rules from its
sentences.
"""

from __future__ import annotations

import importlib.util
import json
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any, Iterable, Optional

from ..config import Config
from ..errors import ConfigError
from ..formatting import to_json
from ..ingest import extract
from ..records import Analysis, Rejection
from . import EvalResult, reliability

GOLD = Path("gold/dev")
CORPUS = Path("data/news/afp_xinhua_1997_2006.jsonl")
SCORER = Path("eval/score.py")
SUFFIX = ".gold.json"
EVIDENCE_CHARS = 80


def load_scorer(shared: Path) -> ModuleType:
    """The shared scorer, imported from its file (it is not part of this package)."""
    path = shared / SCORER
    spec = importlib.util.spec_from_file_location("newsevents_shared_score", path)
    if spec is None or spec.loader is None or not path.is_file():
        raise ConfigError(f"cannot load the shared scorer {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def placed(scorer: ModuleType, actor: Optional[dict[str, Any]]) -> bool:
    """Whether a contract actor has a country (its ``country``, or the first three letters of its code) or is an
    international organisation (a code starting ``IGO``)."""
    if not actor:
        return False
    code = str(actor.get("code") or "").upper()
    return code.startswith("IGO") or any(scorer.country3(c) for c in (actor.get("country"), code[:3]))


def _actor(actor: Optional[dict[str, Any]]) -> str:
    if not actor:
        return "-"
    return f"{actor.get('name') or '?'}[{actor.get('code') or actor.get('country') or ''}]"


def _records(shared: Path, wanted: set[str]) -> dict[str, dict[str, Any]]:
    records: dict[str, dict[str, Any]] = {}
    with (shared / CORPUS).open(encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if rec["id"] in wanted:
                records[rec["id"]] = rec
    missing = wanted - set(records)
    if missing:
        raise ConfigError(f"dev articles not found in {shared / CORPUS}: {sorted(missing)}")
    return records


def _contracts(records: dict[str, dict[str, Any]], scorer: ModuleType,
               tmp: Path) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """Extract the records as ``newsevents extract`` would: each one's contract (as the command prints it,
    through JSON) by document id, matched to its record by the start of its text as dev.py matches them; and a
    failure for each record the pipeline rejected (it scores as empty)."""
    docs = sorted(records)
    inp = tmp / "dev.jsonl"
    with inp.open("w", encoding="utf-8") as f:
        for doc in docs:
            f.write(json.dumps(records[doc], ensure_ascii=False) + "\n")
    by_text = {scorer.norm_text(rec["text"])[:120]: doc for doc, rec in records.items()}
    contracts: dict[str, dict[str, Any]] = {}
    rejected: list[dict[str, Any]] = []
    for item in extract([str(inp)], config=Config()):
        if isinstance(item, Rejection):  # its input is "FILE:LINE", the line of the record in dev.jsonl
            line = item.input.rsplit(":", 1)[-1]
            doc = docs[int(line) - 1] if line.isdigit() and 0 < int(line) <= len(docs) else item.input
            rejected.append({"kind": "not extracted", "doc": doc, "reason": item.reason})
        elif isinstance(item, Analysis):
            contract = json.loads(to_json(item.to_contract(), indent=None))
            doc = by_text.get(scorer.norm_text((contract.get("article") or {}).get("text"))[:120])
            if doc:
                contracts[doc] = contract
    return contracts, rejected


def gold_files(shared: Path, only: Optional[Iterable[str]] = None) -> list[Path]:
    """The dev set's gold files (or only those of the documents whose ids are in ``only``)."""
    golds = sorted((shared / GOLD).glob(f"*{SUFFIX}"))
    if only is not None:
        keep = set(only)
        unknown = keep - {g.name[: -len(SUFFIX)] for g in golds}
        if unknown:
            raise ConfigError(f"no gold file in {shared / GOLD} for {sorted(unknown)}")
        golds = [g for g in golds if g.name[: -len(SUFFIX)] in keep]
    return golds


def predictions(shared: Path, golds: list[Path], scorer: ModuleType
                ) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """The gold of each document, our contract for it (as ``extract`` prints it) and the records not extracted."""
    gold = {g.name[: -len(SUFFIX)]: json.loads(g.read_text(encoding="utf-8")) for g in golds}
    with tempfile.TemporaryDirectory(prefix="newsevents-eval-articles-") as d:
        preds, failures = _contracts(_records(shared, set(gold)), scorer, Path(d))
    return gold, preds, failures


def judge(scorer: ModuleType, gold: dict[str, dict[str, Any]],
          preds: dict[str, dict[str, Any]]) -> list[tuple[str, dict[str, Any], bool]]:
    """(document, event, right) for each non-negated event we coded; right = it matches a gold event, as the
    scorer counts precision."""
    return [(doc, e, any(scorer.event_hits(ge, e) for ge in g.get("events", [])))
            for doc, g in gold.items() for e in preds.get(doc, {}).get("events", []) if not e.get("negated")]


def evaluate(shared: Path, only: Optional[Iterable[str]] = None) -> EvalResult:
    """Extract and score the dev set (or only the documents whose ids are in ``only``)."""
    scorer = load_scorer(shared)
    golds = gold_files(shared, only)
    gold, preds, failures = predictions(shared, golds, scorer)
    with tempfile.TemporaryDirectory(prefix="newsevents-eval-articles-") as d:
        # score.corpus pairs X.gold.json in one folder with X.json in another.
        gold_dir, pred_dir = Path(d) / "gold", Path(d) / "pred"
        gold_dir.mkdir()
        pred_dir.mkdir()
        for g in golds:
            (gold_dir / g.name).write_text(g.read_text(encoding="utf-8"), encoding="utf-8")
        for doc, contract in preds.items():
            (pred_dir / f"{doc}.json").write_text(json.dumps(contract), encoding="utf-8")
        totals = scorer.corpus(gold_dir, pred_dir)

    judged = judge(scorer, gold, preds)
    coded, countryless = len(judged), 0
    for doc, e, _ in judged:
        if not (placed(scorer, e.get("source")) and placed(scorer, e.get("target"))):
            countryless += 1
            failures.append({"kind": "actor without a country", "doc": doc, "source": _actor(e.get("source")),
                             "target": _actor(e.get("target")),
                             "evidence": (e.get("evidence") or "")[:EVIDENCE_CHARS]})
    for doc, g in gold.items():
        quotes = preds.get(doc, {}).get("quotes", [])
        for gq in g.get("quotes", []):
            if not gq.get("required"):
                continue
            hits = [q for q in quotes if scorer.norm_text(gq["text_contains"]) in scorer.norm_text(q.get("text"))]
            if hits and not any(scorer.speaker_ok(gq["speaker"], q) for q in hits):
                failures.append({"kind": "wrong speaker", "doc": doc, "gold": gq["speaker"],
                                 "got": ", ".join(str(q.get("speaker")) for q in hits)})

    result = EvalResult(stage="articles", dataset=f"AFP/Xinhua dev set ({len(golds)} articles, ../shared/gold/dev)")
    for name in ("event_precision", "event_recall", "event_f1", "quote_recall", "speaker_accuracy", "date_recall",
                 "location_recall"):
        result.figures[name] = totals[name]
    result.figures["events_with_country"] = round(1 - countryless / coded, 3) if coded else 0.0
    table, ece = reliability([(float(e.get("confidence") or 0.0), right) for _, e, right in judged])
    result.figures["confidence_ece"] = round(ece, 3)
    result.tables["event confidence reliability (right = matches a gold event)"] = table
    result.counts.update({
        "articles": totals["articles"], "articles extracted": len(preds), "events coded": coded,
        "countryless events": countryless,
        "required events found": f"{totals['ev_req_found']}/{totals['ev_req']}",
        "must_not violations": totals["must_not"], "quotes required": totals["q_req"],
        "quotes found": totals["q_found"], "wrong speakers": totals["q_found"] - totals["q_speaker"],
    })
    result.failures = failures
    return result
