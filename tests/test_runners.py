"""Worker processes and a real Dask LocalCluster give the same database as one process."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from newsevents import Config, ingest
from newsevents.store import Store
from tests.conftest import SAMPLES

# Small batches, so that the nine sample articles are spread over both workers.
SMALL_BATCHES = replace(Config(), stage_batch_size=2, batch_size=4)
COMPARED = {
    "articles": "id, url, title, text, published",
    "entities": "article_id, entity_id, text, type, canonical, country, code, start, \"end\"",
    "quotes": "article_id, quote_idx, text, kind, speaker_canonical, cue, start, \"end\"",
    "events": "article_id, event_idx, source_code, target_code, cameo, negated, start, \"end\"",
}


def snapshot(db: Path) -> dict[str, list[tuple]]:
    con = Store(db).connect()
    try:
        return {t: con.execute(f"SELECT {cols} FROM {t} ORDER BY ALL").fetchall() for t, cols in COMPARED.items()}
    finally:
        con.close()


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple]]:
    db = tmp_path_factory.mktemp("single") / "one.duckdb"
    report = ingest([SAMPLES], db, config=SMALL_BATCHES)
    assert report.stored == 9
    return snapshot(db)


def test_worker_processes_equal_one_process(tmp_path: Path, single: dict) -> None:
    db = tmp_path / "workers.duckdb"
    report = ingest([SAMPLES], db, config=SMALL_BATCHES, workers=2)
    assert report.stored == 9
    assert len(report.workers) == 2 and os.getpid() not in report.workers
    assert snapshot(db) == single


def test_dask_local_cluster_equals_one_process(tmp_path: Path, single: dict) -> None:
    from newsevents.runners import DaskRunner

    db = tmp_path / "dask.duckdb"
    runs: list[DaskRunner] = []
    original_close = DaskRunner.close

    def keep(self: DaskRunner) -> None:  # look at the runner before it shuts the cluster down
        runs.append(self)
        original_close(self)

    DaskRunner.close = keep  # type: ignore[method-assign]
    try:
        report = ingest([SAMPLES], db, config=SMALL_BATCHES, dask="local", workers=2)
    finally:
        DaskRunner.close = original_close  # type: ignore[method-assign]
    assert report.stored == 9
    [runner] = runs
    assert len(runner.pids) == 2 and os.getpid() not in runner.pids, "the work ran in two other processes"
    assert set(runner.model_loads.values()) == {1}, f"one model load per worker, got {runner.model_loads}"
    assert snapshot(db) == single
