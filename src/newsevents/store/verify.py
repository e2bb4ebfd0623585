"""Checking a store, and moving what is damaged aside: ``newsevents verify [--repair]``.

Every committed batch is checked file by file: against its ``manifest.json`` (each file's size and sha256,
written when the batch was committed) where it has one, else by reading the file whole. The derived tables
(stories, deduplicated events, the quotes' full-text index) are checked the same way against their manifest.

A damaged batch is reported with what it held (its rows, and the inputs its articles and rejections came
from: the manifest keeps them even when ``articles.parquet`` is the damaged file) and the inputs to ingest
again. ``repair`` moves damaged batches into ``DB.parts/damaged/`` (never deletes them), then rebuilds the
derived tables from the batches that remain, so reads and the next ingest work; ingesting the listed inputs
again stores their articles as they were (ids are content hashes).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Union

import pyarrow.parquet as pq

from ..errors import StoreError
from . import DAMAGED, MANIFEST, SCHEMA_BATCH, TABLES, Store, open_store, sha256_file
from .schema import DERIVED


@dataclass
class Damage:
    """One damaged batch (or derived generation): its problems, and what it held."""

    where: str  # the batch id, or 'derived/<generation>'
    problems: list[str]
    rows: dict[str, int] = field(default_factory=dict)
    inputs: list[str] = field(default_factory=list)  # the inputs its articles and rejections came from
    moved_to: Optional[str] = None

    @property
    def derived(self) -> bool:
        return self.where.startswith("derived/")


@dataclass
class VerifyReport:
    db: str
    batches: int = 0
    files: int = 0
    damaged: list[Damage] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    repaired: bool = False
    schema_missing: bool = False
    rebuilt: Optional[str] = None  # the cross-article step's summary after a repair

    @property
    def ok(self) -> bool:
        return not self.damaged

    def reingest(self) -> list[str]:
        """The files to ingest again to restore what the damaged batches held."""
        return sorted({_input_file(i) for d in self.damaged for i in d.inputs if i != "-"})

    def summary(self) -> str:
        lines = [f"checked {self.batches:,} batch{'es' if self.batches != 1 else ''} ({self.files:,} files) "
                 f"and the cross-article tables of {self.db}"]
        lines += [f"note: {n}" for n in self.notes]
        if self.ok:
            lines.append("the store is intact")
            return "\n".join(lines)
        for d in self.damaged:
            lines.append(f"damaged: {d.where}: " + "; ".join(d.problems))
            if d.derived:
                lines.append("  it is rebuilt from the batches by 'newsevents verify --repair' (or 'newsevents dedup')")
                continue
            held = ", ".join(f"{n:,} {'article' if t == 'articles' else 'rejected input'}{'s' if n != 1 else ''}"
                             for t, n in d.rows.items() if n and t in ("articles", "rejected"))
            lines.append(f"  it held {held or 'rows of unknown inputs (no manifest, and its articles do not read)'}")
            if d.moved_to:
                lines.append(f"  moved aside to {d.moved_to}")
        files = self.reingest()
        if files:
            lines.append(("to restore what the damaged batches held, ingest these again"
                          if self.repaired else "after 'newsevents verify --repair', ingest these again") + ":")
            lines += [f"  {f}" for f in files]
        if any(i == "-" for d in self.damaged for i in d.inputs):
            lines.append("  and what was read from standard input")
        if self.repaired:
            lines.append(f"repaired: damaged batches moved aside; {self.rebuilt or 'cross-article tables rebuilt'}")
        else:
            lines.append(f"run 'newsevents verify --db {self.db} --repair' to move the damaged files aside")
        return "\n".join(lines)


_LOCATOR = re.compile(r"(?::\d+|#\d+|\[\d+\])$")


def _input_file(label: str) -> str:
    """The file an input label names: 'x.jsonl:12' (a line), 'x.warc.gz#4096' (a record), 'x.json[3]'."""
    if os.path.exists(label):
        return label
    bare = _LOCATOR.sub("", label)
    return bare if bare != label and os.path.exists(bare) else (bare or label)


def _check_file(path: Path, expected: Optional[dict[str, Any]]) -> Optional[str]:
    """What is wrong with one file, or None."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        return f"{path.name}: {exc.strerror or exc}"
    if expected is not None:
        if size != expected.get("bytes"):
            return f"{path.name}: {size:,} bytes, written as {expected.get('bytes', 0):,} (cut short or overwritten)"
        try:
            if sha256_file(path) != expected.get("sha256"):
                return f"{path.name}: its bytes differ from those written (sha256 mismatch: corrupted)"
        except OSError as exc:
            return f"{path.name}: cannot read: {exc.strerror or exc}"
        return None
    if path.suffix != ".parquet":
        return None
    try:
        pq.read_table(path)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several kinds for a damaged file; each is the finding
        return f"{path.name}: does not read ({' '.join(str(exc).split())[:160]})"
    return None


def _manifest(directory: Path) -> tuple[Optional[dict[str, Any]], Optional[str]]:
    path = directory / MANIFEST
    if not path.exists():
        return None, None
    try:
        data = json.loads(path.read_text())
        if not isinstance(data, dict):
            raise ValueError("not an object")
        return data, None
    except (OSError, ValueError) as exc:
        return None, f"{MANIFEST}: does not read ({exc})"


def _check_batch(directory: Path, report: VerifyReport) -> Optional[Damage]:
    manifest, problem = _manifest(directory)
    problems = [problem] if problem else []
    files = (manifest or {}).get("files", {})
    for name in TABLES:
        path = directory / f"{name}.parquet"
        expected = files.get(path.name)
        if not path.exists():
            if expected is not None:
                problems.append(f"{path.name}: missing")
            continue
        report.files += 1
        found = _check_file(path, expected)
        if found:
            problems.append(found)
    if not problems:
        return None
    damage = Damage(where=directory.name, problems=problems)
    if manifest is not None:
        damage.rows = {k: int(v) for k, v in manifest.get("rows", {}).items()}
        damage.inputs = list(manifest.get("articles", [])) + list(manifest.get("rejected", []))
    else:  # a batch from before manifests: what its readable files say
        for table in ("articles", "rejected"):
            try:
                inputs = pq.read_table(directory / f"{table}.parquet", columns=["input"]).column("input").to_pylist()
            except Exception:  # noqa: BLE001 - the damaged file itself
                continue
            damage.rows[table] = len(inputs)
            damage.inputs += [i for i in inputs if i]
    damage.inputs = sorted(set(damage.inputs))
    return damage


def _check_derived(store: Store, report: VerifyReport) -> Optional[Damage]:
    current = store.derived / "current"
    if not current.exists():
        if os.path.islink(current):
            return Damage(where="derived/current", problems=["the link to the current generation dangles"])
        return None
    gen = current.resolve()
    manifest, problem = _manifest(gen)
    problems = [problem] if problem else []
    files = (manifest or {}).get("files", {})
    for name in [f"{t}.parquet" for t in DERIVED] + sorted(n for n in files if not n.endswith(".parquet")):
        path = gen / name
        if not path.exists():
            problems.append(f"{name}: missing")
            continue
        report.files += 1
        found = _check_file(path, files.get(name))
        if found:
            problems.append(found)
    return Damage(where=f"derived/{gen.name}", problems=problems) if problems else None


def verify(db: Union[str, Path, Store], repair: bool = False) -> VerifyReport:
    """Check every batch and the derived tables of the store at ``db``; with ``repair``, move damaged
    batches (and a damaged derived generation) into ``DB.parts/damaged/`` and rebuild the derived tables."""
    store = db if isinstance(db, Store) else open_store(db)
    report = VerifyReport(db=str(store.db_path))
    try:
        batch_dirs = sorted(p for p in store.batches.iterdir() if p.is_dir())
    except OSError as exc:
        raise StoreError(f"{store.batches}: cannot list the batches: {exc.strerror or exc}") from exc
    if not any(p.name == SCHEMA_BATCH for p in batch_dirs):
        report.schema_missing = True
        report.notes.append("the schema batch (empty tables) is missing; --repair writes it again")
    for directory in batch_dirs:
        report.batches += 1
        damage = _check_batch(directory, report)
        if damage:
            report.damaged.append(damage)
    derived = _check_derived(store, report)
    if derived:
        report.damaged.append(derived)
    set_aside = store.root / DAMAGED
    if set_aside.is_dir():
        earlier = [p.name for p in set_aside.iterdir()]
        if earlier:
            report.notes.append(f"{len(earlier)} damaged batch(es) moved aside earlier are in {set_aside}")
    if repair and (report.damaged or report.schema_missing):
        _repair(store, report)
    return report


def _repair(store: Store, report: VerifyReport) -> None:
    from ..consolidate import consolidate  # the cross-article step (imports the dedup machinery)

    set_aside = store.root / DAMAGED
    with store.locked():  # also writes the schema batch again if it was lost
        try:
            set_aside.mkdir(exist_ok=True)
            for damage in report.damaged:
                if damage.derived:
                    current = store.derived / "current"
                    target = set_aside / f"derived-{damage.where.split('/', 1)[1]}"
                    gen = current.resolve()
                    current.unlink(missing_ok=True)
                    if gen.is_dir() and gen.parent == store.derived.resolve():
                        os.rename(gen, target)
                        damage.moved_to = str(target)
                    continue
                target = set_aside / damage.where
                os.rename(store.batches / damage.where, target)
                (target / "verify.json").write_text(json.dumps(
                    {"problems": damage.problems, "rows": damage.rows, "inputs": damage.inputs}, indent=1))
                damage.moved_to = str(target)
        except OSError as exc:
            raise StoreError(f"{store.db_path}: cannot move the damaged files aside: {exc.strerror or exc}") from exc
        report.rebuilt = consolidate(store, force=True).summary()
    report.repaired = True


__all__ = ["verify", "VerifyReport", "Damage"]
