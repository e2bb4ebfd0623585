"""Crash safety: an ingest killed with SIGKILL at random points, and restarted each time, ends with exactly the
data of an uninterrupted run — same articles, entities, quotes, events, rejections; nothing twice.

The corpus is 1,000 short generated articles (so that the whole test takes about a minute) plus a few bad
inputs; batches are small so that kills land during writes as well as between them.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsevents.store import Store

ARTICLES = 1000
KILLS = 12
# Partition size for this test: many commits, so a good share of the kills land during a write.
BATCH = "25"
TEMPLATES = [
    "Officials in {a} said on Monday that troops from {b} had attacked a border post near the river.",
    "The president of {a} met the foreign minister of {b} in the capital to discuss trade.",
    "“We will not accept this,” a spokesman for the government of {a} told reporters about {b}.",
    "Police in {a} arrested {n} protesters outside the embassy of {b}, witnesses said.",
    "{a} and {b} signed an agreement on water sharing after talks that lasted {n} days.",
]
COUNTRIES = ["Norway", "Chile", "Kenya", "Vietnam", "Poland", "Peru", "Ghana", "Nepal", "Austria", "Oman"]


def _corpus(path: Path) -> Path:
    rng = random.Random(7)
    lines = []
    for i in range(ARTICLES):
        a, b = rng.sample(COUNTRIES, 2)
        text = " ".join(rng.choice(TEMPLATES).format(a=a, b=b, n=rng.randint(2, 90)) for _ in range(2))
        lines.append(json.dumps({"id": f"CRASH-{i:04d}", "published": "2024-06-0" + str(1 + i % 9), "text": text}))
        if i % 250 == 100:
            lines.append('{"id": "broken", "text": ')  # a malformed line: rejected, and listed once
    path.write_text("\n".join(lines) + "\n")
    return path


def _ingest(corpus: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "newsevents.cli", "ingest", "-q", "--batch-size", BATCH, "--db", str(db), str(corpus)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def _snapshot(db: Path) -> dict[str, list[tuple]]:
    con = Store(db).connect()
    queries = {
        "articles": "SELECT id, text FROM articles",
        "entities": "SELECT article_id, entity_id, text, code, start FROM entities",
        "mentions": "SELECT article_id, entity_id, start, \"end\" FROM mentions",
        "quotes": "SELECT article_id, quote_idx, text, speaker_canonical FROM quotes",
        "events": "SELECT article_id, event_idx, source_code, cameo, target_code FROM events",
        "rejected": "SELECT input, reason FROM rejected",
    }
    try:
        return {name: sorted(con.execute(sql).fetchall()) for name, sql in queries.items()}
    finally:
        con.close()


@pytest.mark.slow
def test_sigkill_at_random_points_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus.jsonl")
    reference_db = tmp_path / "reference.duckdb"
    started = time.monotonic()
    assert _ingest(corpus, reference_db).wait(timeout=900) == 3  # its malformed lines are rejected: exit status 3
    full_run = time.monotonic() - started
    reference = _snapshot(reference_db)
    assert len(reference["articles"]) == ARTICLES and len(reference["rejected"]) == 4
    assert reference["events"], "the corpus must produce events for this test to mean anything"

    db = tmp_path / "killed.duckdb"
    rng = random.Random(11)
    kills = 0
    for _ in range(KILLS * 4):  # each restart resumes; stop once the run completes after enough kills
        proc = _ingest(corpus, db)
        # Kill somewhere in the first part of what is left: startup, reading, analysis or a commit.
        # Short enough that a dozen kills land before the work runs out (a killed run keeps what it committed).
        time.sleep(rng.uniform(1.5, max(2.5, full_run * 0.3)))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            kills += 1
            # Nothing half-written is ever visible to a reader.
            store = Store(db)
            if store.exists:
                con = store.connect()
                ids = [r[0] for r in con.execute("SELECT id FROM articles").fetchall()]
                con.close()
                assert len(ids) == len(set(ids)), "an article stored twice after a kill"
        if kills >= KILLS:
            break
    assert kills >= 10, f"only {kills} kill points landed before the ingest finished"
    assert _ingest(corpus, db).wait(timeout=900) == 3  # the final, uninterrupted resume (3: the malformed lines)
    assert _snapshot(db) == reference
