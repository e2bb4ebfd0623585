from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from newsevents.errors import StoreError, StoreLockedError
from newsevents.readers._common import make_article
from newsevents.records import Analysis, Rejection
from newsevents.store import TABLES, Store, open_store


def _analysis(text: str) -> Analysis:
    return Analysis(article=make_article(text=text, input="mem", format="text", key=text, published="2025-02-13"))


def test_new_store_has_every_table_empty(db: Path) -> None:
    store = Store(db).create()
    con = store.connect()
    for table in TABLES:
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
    assert db.exists(), "the DuckDB catalog file is created"


def test_writes_are_visible_after_commit_and_deduplicated(db: Path) -> None:
    store = Store(db)
    with store.writer(("x@1",)) as w:
        assert w.add(_analysis("First article."))
        assert w.add(_analysis("Second article."))
        assert not w.add(_analysis("First article."))
        assert w.reject(Rejection(input="bad.txt", reason="empty file", kind="empty"))
    with store.writer() as w:
        assert not w.add(_analysis("Second article."))
        assert not w.reject(Rejection(input="bad.txt", reason="empty file", kind="empty"))
    con = store.connect()
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    assert con.execute("SELECT count(*) FROM rejected").fetchone()[0] == 1
    assert con.execute("SELECT pipeline FROM runs").fetchone()[0] == ["x@1"]
    assert str(con.execute("SELECT published FROM articles LIMIT 1").fetchone()[0]) == "2025-02-13"


def test_catalog_file_has_views_for_other_tools(db: Path) -> None:
    store = Store(db)
    with store.writer() as w:
        w.add(_analysis("Visible through the catalog."))
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT text FROM articles").fetchone()[0] == "Visible through the catalog."
    finally:
        con.close()


def test_half_written_batch_is_invisible_and_cleared(db: Path) -> None:
    store = Store(db).create()
    stale = store.tmp / "crashed-batch"
    stale.mkdir()
    (stale / "articles.parquet").write_bytes(b"not parquet")
    assert store.connect().execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    with store.writer():
        pass
    assert not stale.exists()


def test_a_store_whose_creator_was_killed_mid_schema_opens_for_the_next_writer(db: Path) -> None:
    from newsevents.store import SCHEMA_BATCH

    store = Store(db)  # not created: the killed creator left only its half-written schema batch in tmp/
    (store.tmp / SCHEMA_BATCH).mkdir(parents=True)
    (store.tmp / SCHEMA_BATCH / "articles.parquet").write_bytes(b"half")
    with store.writer():
        pass
    assert store.connect().execute("SELECT count(*) FROM articles").fetchone()[0] == 0


def test_one_writer_at_a_time(db: Path) -> None:
    store = Store(db)
    with store.writer():
        with pytest.raises(StoreLockedError):
            with Store(db).writer(wait=False):
                pass


def test_readers_in_another_process_work_while_a_writer_holds_the_store(db: Path) -> None:
    store = Store(db)
    with store.writer() as w:
        w.add(_analysis("Committed before the reader."))
        w.commit()
        code = textwrap.dedent(f"""
            from newsevents.store import Store
            print(Store({str(db)!r}).connect().execute("SELECT count(*) FROM articles").fetchone()[0])
        """)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip() == "1"


def test_open_store_names_missing_database(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no newsevents database"):
        open_store(tmp_path / "nothing.duckdb")
