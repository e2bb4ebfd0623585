"""The store: append-only Parquet partitions, queried through DuckDB views.

Why not write into the DuckDB file directly? DuckDB lets one process hold a database file for writing, and
while it does no other process may open that file at all, not even read-only. Users want to query and browse
(``newsevents events``, the web UI) while an ingest adds a batch, and several workers produce results at once.
So the data live in Parquet, and DuckDB reads them:

    newsevents.duckdb                   the catalog: views over the partitions, for ``duckdb newsevents.duckdb``
    newsevents.duckdb.parts/
        batches/<batch_id>/<table>.parquet   one committed batch: every table's rows for its articles
        tmp/                            batches being written
        derived/<generation>/<table>.parquet   tables computed across articles (stories, deduplicated
                                        events), rebuilt after each ingest; derived/current links to the newest
        writer.lock                     held (flock) by the one process that writes

- A batch is written into ``tmp/`` and committed by renaming its directory into ``batches/``: a rename is
  atomic, so a reader sees a whole batch or none of it, and a crash leaves at most a stale ``tmp/`` entry
  (cleared by the next writer), never a half-written batch.
- Readers (``Store.connect``) open an in-memory DuckDB with the same views: they take no lock, so any number
  of them run while a writer commits batches; a query sees every batch committed before it started.
- One writer at a time (an exclusive ``flock`` on ``writer.lock``); worker processes hand their results to it.
  The writer loads the ids already stored, so an article already stored is skipped, not stored twice.
- Derived tables are written as a new generation directory and published by replacing the ``current``
  symlink (atomic); the previous generations stay a while for readers that are still on them.
- ``newsevents.duckdb`` holds the same views for users of the DuckDB CLI or other tools. It is written only
  when the store is created or its schema version changes, and is never needed by newsevents itself.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Optional, Union

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from .. import __version__
from ..errors import StoreError, StoreLockedError
from ..records import Analysis, Rejection
from .schema import DERIVED, SCHEMA_VERSION, TABLES, analysis_rows, rejection_row

SCHEMA_BATCH = "00000000000000000000-schema"


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def new_id() -> str:
    """Time-ordered unique id for runs and batches."""
    return f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"


class Store:
    """A newsevents database at ``db_path`` (the catalog file) with its partitions beside it."""

    def __init__(self, db_path: Union[str, Path]) -> None:
        self.db_path = Path(db_path)
        self.root = Path(str(self.db_path) + ".parts")
        self.batches = self.root / "batches"
        self.tmp = self.root / "tmp"
        self.derived = self.root / "derived"
        self.catalog_warning: Optional[str] = None

    # --- creation -------------------------------------------------------------------------------------
    def create(self) -> "Store":
        """Create the store if it does not exist (idempotent)."""
        try:
            self.batches.mkdir(parents=True, exist_ok=True)
            self.tmp.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{self.root}: cannot create the store: {exc.strerror or exc}") from exc
        if not (self.batches / SCHEMA_BATCH).exists():
            # An empty partition of every table, so that every view has a file to read from the start.
            self._commit(SCHEMA_BATCH, {name: [] for name in TABLES})
        if not (self.derived / "current").exists():
            self.write_derived({name: [] for name in DERIVED}, {"batches": []})
        try:
            self._write_catalog()
        except StoreError as exc:
            # The catalog is a convenience for other tools; the partitions are the data. Go on without it.
            self.catalog_warning = str(exc)
        return self

    @property
    def exists(self) -> bool:
        return (self.batches / SCHEMA_BATCH).exists()

    def _write_catalog(self) -> None:
        marker = self.root / "catalog.version"
        want = f"{SCHEMA_VERSION} {self.batches.resolve()}"
        if self.db_path.exists() and marker.exists() and marker.read_text().strip() == want:
            return
        try:
            con = duckdb.connect(str(self.db_path))
        except duckdb.Error as exc:
            # Someone has the catalog open (the DuckDB CLI, say).
            raise StoreError(f"{self.db_path}: cannot write the catalog views: {exc}") from exc
        try:
            for stmt in self._view_sql():
                con.execute(stmt)
        finally:
            con.close()
        marker.write_text(want + "\n")

    def _view_sql(self, pinned: bool = False) -> list[str]:
        """The views over the tables. ``pinned``: over the batches committed and the derived generation
        published when the connection opens, listed file by file, so that a connection reads one snapshot
        throughout. Without it a reader running several statements while an ingest commits could see a
        batch appear between binding a view and scanning it, which DuckDB reads as a corrupt file. The
        catalog file's views (for other tools) follow the store as it grows."""
        base = self.batches.resolve()
        current = (self.derived / "current").resolve() if pinned else self.derived.resolve() / "current"

        def files(name: str) -> str:
            if pinned:
                found = sorted(str(p) for p in base.glob(f"*/{name}.parquet"))
                if found:
                    return "[" + ", ".join(_sql_str(f) for f in found) + "]"
            return _sql_str(str(base / "*" / (name + ".parquet")))

        return [
            f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet({files(name)}, union_by_name=true)"
            for name in TABLES
        ] + [
            f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet({_sql_str(str(current / (name + '.parquet')))})"
            for name in DERIVED
        ]

    # --- reading --------------------------------------------------------------------------------------
    def connect(self) -> duckdb.DuckDBPyConnection:
        """A fresh in-memory DuckDB connection with a view per table. Takes no lock on anything."""
        if not self.exists:
            raise StoreError(f"{self.db_path}: no newsevents database here (run 'newsevents ingest' first)")
        con = duckdb.connect(":memory:")
        if not (self.derived / "current").exists():
            # a store from before derived tables: empty ones until the next ingest (or 'newsevents dedup')
            for name, schema in DERIVED.items():
                con.register(f"_empty_{name}", pa.Table.from_pylist([], schema=schema))
                con.execute(f"CREATE VIEW {name} AS SELECT * FROM _empty_{name}")
            for stmt in self._view_sql(pinned=True)[: len(TABLES)]:
                con.execute(stmt)
            return con
        for stmt in self._view_sql(pinned=True):
            con.execute(stmt)
        return con

    def batch_ids(self) -> list[str]:
        """Committed batches, oldest first."""
        return sorted(p.name for p in self.batches.iterdir() if p.is_dir())

    def derived_manifest(self) -> dict[str, Any]:
        """What the current derived tables were computed from ({} when there are none)."""
        path = self.derived / "current" / "manifest.json"
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError):
            return {}

    def derived_file(self, name: str) -> Path:
        """A file of the current derived generation (such as the quotes' full-text index)."""
        return self.derived / "current" / name

    def write_derived(self, tables: dict[str, Any], manifest: dict[str, Any],
                      files: Optional[dict[str, Path]] = None, keep: int = 3) -> Path:
        """Publish a new generation of the derived tables (rows or Arrow tables) and files, atomically.
        Call with the writer lock held (``Store.writer``) or when creating the store."""
        gen = new_id()
        self.derived.mkdir(parents=True, exist_ok=True)
        work = self.tmp / f"derived-{gen}"
        work.mkdir(parents=True)
        for name, schema in DERIVED.items():
            data = tables.get(name, [])
            table = data if isinstance(data, pa.Table) else pa.Table.from_pylist(data, schema=schema)
            pq.write_table(table, work / f"{name}.parquet", compression="zstd")
        for name, src in (files or {}).items():
            shutil.move(str(src), work / name)
        (work / "manifest.json").write_text(json.dumps(manifest, default=str))
        for path in work.iterdir():
            with open(path, "rb") as f:
                os.fsync(f.fileno())
        _fsync_dir(work)
        os.rename(work, self.derived / gen)
        link = self.derived / f"current.{gen}"
        os.symlink(gen, link)
        os.replace(link, self.derived / "current")  # atomic: readers see the old generation or the new
        _fsync_dir(self.derived)
        gens = sorted(p.name for p in self.derived.iterdir() if p.is_dir() and not p.is_symlink())
        for stale in self.derived.glob("current.*"):  # links a crash left before they replaced 'current'
            stale.unlink(missing_ok=True)
        for old in gens[:-keep]:
            shutil.rmtree(self.derived / old, ignore_errors=True)
        return self.derived / gen

    def article_ids(self) -> set[str]:
        con = self.connect()
        try:
            return {row[0] for row in con.execute("SELECT id FROM articles").fetchall()}
        finally:
            con.close()

    def rejected_keys(self) -> set[tuple[str, str]]:
        con = self.connect()
        try:
            return {(r[0], r[1]) for r in con.execute("SELECT input, reason FROM rejected").fetchall()}
        finally:
            con.close()

    # --- writing --------------------------------------------------------------------------------------
    @contextmanager
    def writer(self, pipeline: tuple[str, ...] = (), wait: bool = True) -> Iterator["Writer"]:
        """The store's single writer. Blocks while another process writes (or raises, with wait=False)."""
        self.create()
        lock_path = self.root / "writer.lock"
        fh = open(lock_path, "a+")
        try:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError as exc:
                raise StoreLockedError(f"{self.db_path}: another process is writing to this store") from exc
            self._clear_tmp()
            w = Writer(self, pipeline)
            try:
                yield w
                w.commit()
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
        finally:
            fh.close()

    def _clear_tmp(self) -> None:
        """Remove batches a crashed writer left half-written. Called with the writer lock held."""
        for entry in self.tmp.iterdir():
            shutil.rmtree(entry, ignore_errors=True)

    def _commit(self, batch_id: str, rows: dict[str, list[dict[str, Any]]]) -> Path:
        """Write one batch's tables into tmp/ and rename it into batches/ (atomic)."""
        work = self.tmp / batch_id
        work.mkdir(parents=True)
        for name, schema in TABLES.items():
            table = pa.Table.from_pylist(rows.get(name, []), schema=schema)
            path = work / f"{name}.parquet"
            pq.write_table(table, path, compression="zstd")
            with open(path, "rb") as f:
                os.fsync(f.fileno())
        _fsync_dir(work)
        final = self.batches / batch_id
        os.rename(work, final)
        _fsync_dir(self.batches)
        return final


@dataclass
class Writer:
    """Buffers rows and commits them as batches. Obtain it from ``Store.writer()``."""

    store: Store
    pipeline: tuple[str, ...]
    run_id: str = field(default_factory=new_id)
    started_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    committed_batches: int = 0

    def __post_init__(self) -> None:
        self._ids = self.store.article_ids()
        self._rejected = self.store.rejected_keys()
        self._rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
        self._articles = 0
        self._rejections = 0

    def has(self, article_id: str) -> bool:
        return article_id in self._ids

    def add(self, analysis: Analysis) -> bool:
        """Buffer one analysed article; False if it is already stored."""
        if analysis.article.id in self._ids:
            return False
        now = datetime.now(timezone.utc)
        for name, rows in analysis_rows(analysis, self.run_id, now).items():
            self._rows[name].extend(rows)
        self._ids.add(analysis.article.id)
        self._articles += 1
        return True

    def reject(self, rejection: Rejection) -> bool:
        """List a rejected input; False if the same input was already listed for the same reason."""
        key = (rejection.input, rejection.reason)
        if key in self._rejected:
            return False
        self._rows["rejected"].append(rejection_row(rejection, self.run_id, datetime.now(timezone.utc)))
        self._rejected.add(key)
        self._rejections += 1
        return True

    @property
    def pending(self) -> int:
        return self._articles + self._rejections

    def commit(self) -> Optional[str]:
        """Commit what is buffered as one batch; returns its id (None if nothing was buffered)."""
        if not self.pending:
            return None
        batch_id = new_id()
        self._rows["runs"] = [{
            "run_id": self.run_id, "batch_id": batch_id, "pipeline": list(self.pipeline),
            "newsevents_version": __version__, "started_at": self.started_at,
            "committed_at": datetime.now(timezone.utc), "articles": self._articles,
            "rejected": self._rejections,
        }]
        self.store._commit(batch_id, self._rows)
        self._rows = {name: [] for name in TABLES}
        self._articles = self._rejections = 0
        self.committed_batches += 1
        return batch_id


def open_store(db_path: Union[str, Path], create: bool = False) -> Store:
    """The store at ``db_path``; ``create=True`` creates it if missing."""
    store = Store(db_path)
    if create:
        store.create()
    elif not store.exists:
        raise StoreError(f"{db_path}: no newsevents database here (run 'newsevents ingest' first, or check --db)")
    return store


__all__ = ["Store", "Writer", "open_store", "TABLES", "DERIVED"]
