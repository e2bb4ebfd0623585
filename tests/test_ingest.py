from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from newsevents import Config, Pipeline, ingest, query
from tests.conftest import SAMPLES, shared_path


@pytest.fixture
def bad_inputs(tmp_path: Path) -> dict[str, Path]:
    """One file for each kind of bad input, beside a good one."""
    d = tmp_path / "inputs"
    d.mkdir()
    (d / "good.txt").write_text("Good title\n\nThe ministers met in Oslo on Monday and agreed to talk again.\n")
    (d / "empty.txt").write_bytes(b"")
    (d / "blank.txt").write_bytes(b"   \n\n  \n")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (d / "oversized.txt").write_text("Title\n\n" + "word " * 5000)
    (d / "undecodable.txt").write_bytes(b"\x81\x8d\x8f\x90\x9d" * 40 + b" some text")
    (d / "records.jsonl").write_text(
        json.dumps({"id": "R1", "text": "First record text about a meeting."}) + "\n"
        + '{"id": "R2", "text": "broken\n'
        + json.dumps({"id": "R3", "title": "no text here"}) + "\n"
        + json.dumps({"id": "R4", "text": "Fourth record, still read after the broken ones."}) + "\n"
    )
    return {p.name: p for p in d.iterdir()} | {"dir": d}


def test_every_kind_of_bad_input_is_rejected_with_a_reason_and_the_batch_goes_on(bad_inputs, db: Path) -> None:
    config = replace(Config(), max_input_bytes=20_000)
    missing = bad_inputs["dir"] / "missing.txt"
    report = ingest([bad_inputs["dir"], missing], db, config=config)
    reasons = {Path(r.input.split(":")[0]).name: (r.kind, r.reason) for r in report.rejections}
    assert reasons["empty.txt"][0] == "empty"
    assert reasons["blank.txt"][0] == "empty"
    assert reasons["binary.txt"][0] == "binary"
    assert reasons["oversized.txt"][0] == "oversized"
    assert reasons["undecodable.txt"][0] in ("undecodable", "binary")
    assert reasons["missing.txt"][0] == "unreadable"
    jsonl_rejects = sorted(r.input.rsplit(":", 1)[1] for r in report.rejections if "records.jsonl" in r.input)
    assert jsonl_rejects == ["2", "3"]
    assert report.stored == 3  # good.txt, R1, R4
    rows = query.rejected(db, limit=100)
    assert len(rows) == report.rejected == 8
    assert all(r["reason"] for r in rows)


def test_ingesting_again_changes_nothing(db: Path) -> None:
    first = ingest([SAMPLES], db)
    assert first.stored >= 9 and first.rejected == 0
    second = ingest([SAMPLES], db)
    assert second.stored == 0 and second.rejected == 0 and second.already_stored == first.stored
    assert query.stats(db)["articles"] == first.stored


def test_stdin_is_read(db: Path) -> None:
    import io

    data = json.dumps({"id": "S1", "text": "Read from standard input."}).encode() + b"\n"
    report = ingest(["-"], db, stdin=io.BytesIO(data))
    assert report.stored == 1


def test_glob_is_expanded(db: Path) -> None:
    report = ingest([str(SAMPLES / "*.txt")], db)
    assert report.stored == len(list(SAMPLES.glob("*.txt")))


@pytest.mark.slow
def test_acceptance_afp_and_bbc_store_4637_and_rerun_adds_nothing(db: Path) -> None:
    afp = shared_path("data", "news", "afp_xinhua_1997_2006.jsonl")
    bbc = shared_path("data", "news", "bbc")
    # Readers and store only: this checks what is read and stored, not the NLP (which has its own tests and
    # would make this a many-minute test).
    readers_only = Pipeline([])
    first = ingest([afp, bbc], db, pipeline=readers_only)
    assert (first.stored, first.rejected) == (4637, 0)
    assert query.stats(db)["articles"] == 4637
    again = ingest([afp, bbc], db, pipeline=readers_only)
    assert (again.stored, again.rejected, again.already_stored) == (0, 0, 4637)


class _SlowOnMarker:
    """A test stage that hangs on articles containing a marker, as a pathological input might."""

    name, version = "slow", "t1"
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ("events",)

    def __call__(self, batch):
        import time

        for a in batch:
            if "HANG" in a.article.text:
                time.sleep(30)
        return list(batch)


def test_article_over_its_time_budget_is_rejected_and_the_run_goes_on(tmp_path: Path, db: Path) -> None:
    p = tmp_path / "in.jsonl"
    p.write_text("\n".join(json.dumps({"id": f"T{i}", "text": t}) for i, t in
                           enumerate(["A normal article.", "This one will HANG the pipeline.", "Another normal one."])))
    config = replace(Config(), article_time_budget=0.5)
    report = ingest([p], db, config=config, pipeline=Pipeline([_SlowOnMarker()]))
    assert report.stored == 2
    [r] = report.rejections
    assert r.kind == "timeout" and r.input.endswith(":2") and "article_time_budget" in r.reason
