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
- Each batch holds a ``manifest.json``: the size and sha256 of each of its files, its rows, and the inputs
  its articles and rejections came from. ``newsevents verify`` (``store.verify``) checks every file against
  it, so a damaged batch is found, moved aside (``DB.parts/damaged/``, never deleted) and its inputs named
  for ingesting again. A read that meets a damaged file fails with a ``DamagedStoreError`` naming the file
  and ``verify``, never with DuckDB's own error.
- Creating the store happens under the writer lock (two ingests creating one store at once do not race);
  a write that fails (a full disk, a read-only store) leaves the committed batches as they were and ends in
  a ``StoreError`` saying what failed and that the store is intact.
- DuckDB connections never install or load extensions (nothing is downloaded, no ``~/.duckdb`` appears);
  ``connect(confined=True)`` (for ``newsevents sql``) also turns off access to any file outside the store
  and locks the configuration.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Union

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from .. import __version__
from ..errors import DamagedStoreError, InputError, MalformedRecord, StoreError, StoreLockedError
from ..records import Analysis, Rejection, printable
from .schema import DERIVED, SCHEMA_VERSION, TABLES, analysis_rows, rejection_row

SCHEMA_BATCH = "00000000000000000000-schema"
MANIFEST = "manifest.json"
DAMAGED = "damaged"

# Every DuckDB connection: no extension is installed or loaded behind our back (that would reach the network
# and create ~/.duckdb/extensions); Parquet, the only format the store reads, is built in.
DUCKDB_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _write_failed(store: "Store", what: str, exc: OSError) -> StoreError:
    """A write that failed, as one line: what was being written, why, and that the committed data is intact."""
    why = exc.strerror or str(exc)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        hint = "the store is read-only here: it can be queried, but ingest, dedup and verify --repair need to write"
    elif exc.errno in (errno.ENOSPC, errno.EDQUOT):
        hint = "free some space and run the same command again"
    else:
        hint = "run the same command again once that is fixed"
    return StoreError(f"{store.db_path}: cannot write {what}: {why}; what was committed before is intact ({hint})")


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
        """Create the store if it does not exist (idempotent; safe when several processes do it at once)."""
        with self.locked():
            pass
        return self

    def _make_dirs(self) -> None:
        try:
            self.batches.mkdir(parents=True, exist_ok=True)
            self.tmp.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{self.root}: cannot create the store: {exc.strerror or exc}") from exc

    def _lock_file(self) -> Any:
        self._make_dirs()
        try:
            return open(self.root / "writer.lock", "a+")
        except OSError as exc:
            raise _write_failed(self, "the writer lock", exc) from exc

    def _init_locked(self) -> None:
        """What a new store needs, written under the writer lock (another creator may have just done it)."""
        try:
            if not (self.batches / SCHEMA_BATCH).exists():
                # An empty partition of every table, so that other tools' views have a file to read from the start.
                self._commit(SCHEMA_BATCH, {name: [] for name in TABLES})
            if not (self.derived / "current").exists():
                self.write_derived({name: [] for name in DERIVED}, {"batches": []})
        except OSError as exc:
            raise _write_failed(self, "the new store's empty tables", exc) from exc
        try:
            self._write_catalog()
        except (StoreError, OSError, duckdb.Error) as exc:
            # The catalog is a convenience for other tools; the partitions are the data. Go on without it.
            self.catalog_warning = str(exc)

    @property
    def exists(self) -> bool:
        """Whether a store is here: its schema batch, or any committed batch (a store whose schema batch was
        lost still holds its articles)."""
        if (self.batches / SCHEMA_BATCH).exists():
            return True
        try:
            return any(p.is_dir() for p in self.batches.iterdir())
        except OSError:
            return False

    def _write_catalog(self) -> None:
        marker = self.root / "catalog.version"
        want = f"{SCHEMA_VERSION} {self.batches.resolve()}"
        if self.db_path.exists() and marker.exists() and marker.read_text().strip() == want:
            return
        try:
            con = duckdb.connect(str(self.db_path), config=dict(DUCKDB_CONFIG))
        except duckdb.Error as exc:
            # Someone has the catalog open (the DuckDB CLI, say).
            raise StoreError(f"{self.db_path}: cannot write the catalog views: {exc}") from exc
        try:
            for stmt in self._view_sql():
                con.execute(stmt)
        finally:
            con.close()
        marker.write_text(want + "\n")

    def _view_sql(self, pinned: bool = False, derived: bool = True) -> list[str]:
        """The views over the tables. ``pinned``: over the batches committed and the derived generation
        published when the connection opens, listed file by file, so that a connection reads one snapshot
        throughout. Without it a reader running several statements while an ingest commits could see a
        batch appear between binding a view and scanning it, which DuckDB reads as a corrupt file. The
        catalog file's views (for other tools) follow the store as it grows. A pinned table no batch holds a
        file of reads the empty ``_empty_<table>`` the connection registered."""
        base = self.batches.resolve()
        current = (self.derived / "current").resolve() if pinned else self.derived.resolve() / "current"
        out = []
        for name in TABLES:
            if pinned:
                found = sorted(str(p) for p in base.glob(f"*/{name}.parquet"))
                if not found:
                    out.append(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM _empty_{name}")
                    continue
                files = "[" + ", ".join(_sql_str(f) for f in found) + "]"
            else:
                files = _sql_str(str(base / "*" / (name + ".parquet")))
            out.append(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet({files}, union_by_name=true)")
        for name in DERIVED:
            source = (f"read_parquet({_sql_str(str(current / (name + '.parquet')))})" if derived
                      else f"_empty_{name}")
            out.append(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM {source}")
        return out

    # --- reading --------------------------------------------------------------------------------------
    def connect(self, confined: bool = False) -> "Connection":
        """A fresh in-memory DuckDB connection with a view per table. Takes no lock on anything.

        ``confined`` (``newsevents sql``): the connection may read the store's own files and nothing else —
        no other file, no URL, no extension — and its configuration is locked so a query cannot undo that.
        A file of the store that does not read raises ``DamagedStoreError`` (see ``Connection``)."""
        if not self.exists:
            raise StoreError(f"{self.db_path}: no newsevents database here (run 'newsevents ingest' first)")
        con = duckdb.connect(":memory:", config=dict(DUCKDB_CONFIG))
        wrapped = Connection(con, self)
        has_derived = (self.derived / "current").exists()
        try:
            for name, schema in {**TABLES, **({} if has_derived else DERIVED)}.items():
                # a table no batch has a file of (the schema batch lost), or a store from before derived tables:
                # empty until the next ingest (or 'newsevents dedup')
                con.register(f"_empty_{name}", pa.Table.from_pylist([], schema=schema))
            wrapped.run(self._view_sql(pinned=True, derived=has_derived))
            if confined:
                con.execute(f"SET allowed_directories = [{_sql_str(str(self.root.resolve()) + os.sep)}]")
                con.execute("SET enable_external_access = false")
                con.execute("SET lock_configuration = true")
        except BaseException:
            con.close()
            raise
        return wrapped

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
        Call with the writer lock held (``Store.writer``) or when creating the store. Its manifest records
        each file's size and sha256 for ``verify``. A failed write leaves the current generation in place."""
        gen = new_id()
        work = self.tmp / f"derived-{gen}"
        try:
            self.derived.mkdir(parents=True, exist_ok=True)
            work.mkdir(parents=True)
            for name, schema in DERIVED.items():
                data = tables.get(name, [])
                table = data if isinstance(data, pa.Table) else pa.Table.from_pylist(data, schema=schema)
                pq.write_table(table, work / f"{name}.parquet", compression="zstd")
            for name, src in (files or {}).items():
                shutil.move(str(src), work / name)
            manifest = {**manifest, "files": _file_sums(work)}
            (work / MANIFEST).write_text(json.dumps(manifest, default=str))
            for path in work.iterdir():
                with open(path, "rb") as f:
                    os.fsync(f.fileno())
            _fsync_dir(work)
            os.rename(work, self.derived / gen)
        except OSError as exc:
            shutil.rmtree(work, ignore_errors=True)
            raise _write_failed(self, "the cross-article tables", exc) from exc
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

    def damage(self, exc: BaseException, reading_views: bool = False) -> Optional[DamagedStoreError]:
        """``exc`` (an error DuckDB raised reading this store) as a DamagedStoreError naming the file and what
        to do, or None when it is not about a file of the store (a mistake in a query, say). ``reading_views``:
        it came from opening the views, which read nothing but the store's files."""
        if not isinstance(exc, duckdb.Error):
            return None
        message = str(exc)
        root = str(self.root.resolve())
        path = next((m for m in _QUOTED_PATH.findall(message) if m.startswith(root) and "*" not in m), None)
        if path is None and not reading_views and not isinstance(exc, _READ_ERRORS):
            return None
        if path is None and not reading_views and not _DAMAGE_WORDS.search(message):
            return None
        if path is None:
            path = self._first_unreadable()  # DuckDB did not say which file (a garbled footer: "Invalid data")
        first = message.split("\n", 1)[0]
        if path is not None:
            first = re.sub(r"""\s*['"]""" + re.escape(path) + r"""['"]""", "", first)
        first = re.sub(r"^[A-Za-z ]+Error: ", "", first).strip(" :")
        what = os.path.relpath(path, self.root.resolve().parent) if path else "a file of it"
        return DamagedStoreError(
            f"{self.db_path}: the store is damaged: {what} does not read ({first}); run 'newsevents verify "
            f"--db {self.db_path}' to list what is damaged, and with --repair to move it aside", path=path)

    def _first_unreadable(self) -> Optional[str]:
        """The first Parquet file of the store whose footer does not read (only called after an error)."""
        current = (self.derived / "current").resolve()
        for path in sorted(self.batches.resolve().glob("*/*.parquet")) + sorted(current.glob("*.parquet")):
            try:
                pq.ParquetFile(path).metadata
            except Exception:  # noqa: BLE001 - whatever pyarrow raises for a damaged file is the finding
                return str(path)
        return None

    # --- writing --------------------------------------------------------------------------------------
    @contextmanager
    def locked(self, wait: bool = True, on_wait: Optional[Callable[[str], None]] = None) -> Iterator[None]:
        """Hold the writer lock (creating the store if it is new). Blocks while another process writes
        (telling ``on_wait`` first), or raises StoreLockedError with ``wait=False``."""
        fh = self._lock_file()
        try:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                holder = _lock_holder(fh)
                if not wait:
                    raise StoreLockedError(f"{self.db_path}: another process{holder} is writing to this store") from exc
                if on_wait is not None:
                    on_wait(f"{self.db_path}: another process{holder} is writing to this store; "
                            "waiting for it to finish")
                fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                _note_holder(fh)
                self._clear_tmp()  # first: a writer killed while creating the store left its schema batch there
                self._init_locked()
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
        finally:
            fh.close()

    @contextmanager
    def writer(self, pipeline: tuple[str, ...] = (), wait: bool = True,
               on_wait: Optional[Callable[[str], None]] = None) -> Iterator["Writer"]:
        """The store's single writer (``locked``), committing what is buffered when the block ends."""
        with self.locked(wait=wait, on_wait=on_wait):
            w = Writer(self, pipeline)
            yield w
            w.commit()

    def _clear_tmp(self) -> None:
        """Remove batches a crashed writer left half-written. Called with the writer lock held."""
        for entry in self.tmp.iterdir():
            shutil.rmtree(entry, ignore_errors=True)

    def _commit(self, batch_id: str, rows: dict[str, Any]) -> Path:
        """Write one batch's tables (row lists or Arrow tables) and its manifest into tmp/ and rename it into
        batches/ (atomic). A write that fails removes what it wrote and raises StoreError."""
        work = self.tmp / batch_id
        try:
            work.mkdir(parents=True)
            counts = {}
            for name, schema in TABLES.items():
                data = rows.get(name, [])
                table = data if isinstance(data, pa.Table) else pa.Table.from_pylist(data, schema=schema)
                counts[name] = table.num_rows
                path = work / f"{name}.parquet"
                pq.write_table(table, path, compression="zstd")
                with open(path, "rb") as f:
                    os.fsync(f.fileno())
            manifest = {"batch_id": batch_id, "rows": counts, "files": _file_sums(work),
                        "articles": _column(rows.get("articles"), "input"),
                        "rejected": _column(rows.get("rejected"), "input")}
            with open(work / MANIFEST, "w") as f:
                json.dump(manifest, f)
                f.flush()
                os.fsync(f.fileno())
            _fsync_dir(work)
            final = self.batches / batch_id
            os.rename(work, final)
            _fsync_dir(self.batches)
        except OSError as exc:
            shutil.rmtree(work, ignore_errors=True)
            raise _write_failed(self, "a batch", exc) from exc
        return final


# What DuckDB raises for a file it cannot read (a user's mistake in 'sql' is a Parser/Binder/Catalog error).
_READ_ERRORS = (duckdb.InvalidInputException, duckdb.IOException, duckdb.InternalException,
                duckdb.SerializationException)
_DAMAGE_WORDS = re.compile(r"parquet|magic bytes|corrupt|decompress|protocol|thrift|invalid data", re.I)
# A quoted absolute path in a DuckDB error message ('...' or "...").
_QUOTED_PATH = re.compile(r"""['"](/[^'"\n]+)['"]""")


def _file_sums(directory: Path) -> dict[str, dict[str, Any]]:
    return {p.name: {"bytes": p.stat().st_size, "sha256": sha256_file(p)}
            for p in sorted(directory.iterdir()) if p.is_file() and p.name != MANIFEST}


def _column(data: Any, name: str) -> list[Any]:
    if data is None:
        return []
    if isinstance(data, pa.Table):
        return data.column(name).to_pylist()
    return [row[name] for row in data]


def _lock_holder(fh: Any) -> str:
    """' (pid N)' from the lock file, where the writer holding it noted its process id."""
    try:
        fh.seek(0)
        pid = fh.read().strip()
    except OSError:
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""


def _note_holder(fh: Any) -> None:
    try:
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
    except OSError:
        pass  # only a courtesy for the message another writer shows


class Connection:
    """A DuckDB connection to a store whose errors about the store's files come out as DamagedStoreError.

    Everything else is DuckDB's connection as it is (``execute`` returns this wrapper, so ``fetchall`` and
    the rest on its result are covered too)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, store: Store) -> None:
        self._con = con
        self._store = store

    def _call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except duckdb.Error as exc:
            damaged = self._store.damage(exc)
            if damaged is not None:
                raise damaged from exc
            raise

    def run(self, statements: list[str]) -> None:
        """Statements that create the store's views: any error they meet is a damaged file."""
        for stmt in statements:
            try:
                self._con.execute(stmt)
            except duckdb.Error as exc:
                raise self._store.damage(exc, reading_views=True) or exc from exc

    def execute(self, *args: Any, **kwargs: Any) -> "Connection":
        self._call(self._con.execute, *args, **kwargs)
        return self

    def executemany(self, *args: Any, **kwargs: Any) -> "Connection":
        self._call(self._con.executemany, *args, **kwargs)
        return self

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._call(self._con.fetchall)

    def fetchone(self) -> Optional[tuple[Any, ...]]:
        return self._call(self._con.fetchone)

    def fetchmany(self, size: int = 1) -> list[tuple[Any, ...]]:
        return self._call(self._con.fetchmany, size)

    def fetch_arrow_table(self, *args: Any) -> pa.Table:
        # DuckDB 2 renamed fetch_arrow_table to to_arrow_table; either works here.
        fetch = getattr(self._con, "to_arrow_table", None) or getattr(self._con, "fetch_arrow_table")
        return self._call(fetch, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)

    def __enter__(self) -> "Connection":
        return self

    def __exit__(self, *exc: Any) -> None:
        self._con.close()


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
        self._tables: dict[str, list[pa.Table]] = {name: [] for name in TABLES}
        self._articles = 0
        self._rejections = 0

    def has(self, article_id: str) -> bool:
        return article_id in self._ids

    def add(self, analysis: Analysis) -> bool:
        """Buffer one analysed article; False if it is already stored. An article whose rows the store's
        tables cannot hold raises InputError (MalformedRecord), so the caller lists it as rejected and the
        rest of the batch is stored, rather than the batch failing when it is committed."""
        if analysis.article.id in self._ids:
            return False
        now = datetime.now(timezone.utc)
        tables = {}
        try:
            for name, rows in analysis_rows(analysis, self.run_id, now).items():
                if rows:
                    tables[name] = pa.Table.from_pylist(rows, schema=TABLES[name])
        except (pa.ArrowException, UnicodeError, ValueError, TypeError, OverflowError) as exc:
            raise MalformedRecord(printable(analysis.article.input),
                                  f"cannot be stored: {printable(str(exc))[:200]}") from exc
        for name, table in tables.items():
            self._tables[name].append(table)
        self._ids.add(analysis.article.id)
        self._articles += 1
        return True

    def reject(self, rejection: Rejection) -> bool:
        """List a rejected input; False if the same input was already listed for the same reason."""
        rejection = Rejection(input=printable(rejection.input), reason=printable(rejection.reason), kind=rejection.kind)
        key = (rejection.input, rejection.reason)
        if key in self._rejected:
            return False
        row = rejection_row(rejection, self.run_id, datetime.now(timezone.utc))
        self._tables["rejected"].append(pa.Table.from_pylist([row], schema=TABLES["rejected"]))
        self._rejected.add(key)
        self._rejections += 1
        return True

    @property
    def pending(self) -> int:
        return self._articles + self._rejections

    def commit(self) -> Optional[str]:
        """Commit what is buffered as one batch; returns its id (None if nothing was buffered). If the write
        fails (StoreError) the buffer is kept, and nothing of it is in the store."""
        if not self.pending:
            return None
        batch_id = new_id()
        runs = [{
            "run_id": self.run_id, "batch_id": batch_id, "pipeline": list(self.pipeline),
            "newsevents_version": __version__, "started_at": self.started_at,
            "committed_at": datetime.now(timezone.utc), "articles": self._articles,
            "rejected": self._rejections,
        }]
        tables: dict[str, Any] = {name: (pa.concat_tables(parts) if parts else []) for name, parts in self._tables.items()}
        tables["runs"] = runs
        self.store._commit(batch_id, tables)
        self._tables = {name: [] for name in TABLES}
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


__all__ = ["Store", "Writer", "Connection", "open_store", "TABLES", "DERIVED", "DUCKDB_CONFIG"]
