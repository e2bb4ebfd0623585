"""Watch: follow the news. Poll feeds and folders, ingest what is new, publish GDELT-style update files.

    poll(db, feeds=[...], dirs=[...], export_dir=...)    one poll (``newsevents watch --once``)
    watch(db, feeds_file=..., every=900, ...)            a poll every ``every`` seconds until stopped

One poll:

1. reads each feed, conditionally (the ETag/Last-Modified of its last read: an unchanged feed costs a 304),
   and keeps the entries not handled yet: a link stored as an article (as its ``input``, or its normalised
   address as ``url``), rejected for good, or met in the feed's last read is not fetched again. A link
   rejected for a reason that may pass (a timeout, HTTP 5xx or 429, a refused connection) is tried again at
   the next polls, ``MAX_POLL_TRIES`` polls in all, even when the feed has not changed;
2. walks each folder and keeps the files not read yet, or changed since (size, modification time), passing
   over files modified in the last ``settle`` seconds (still being written);
3. ingests them (``ingest``: robots.txt, pacing, retries, rejections with reasons);
4. under the store's writer lock: lists the feeds and walk entries that failed as ``rejected``, rebuilds the
   cross-article tables, remembers what was read in ``DB.parts/watch.json`` and, with ``export_dir``,
   publishes the update files of what the store gained since the last update.

What a watch has read is remembered in the store (``DB.parts/watch.json``, replaced atomically), written
after the data it describes are committed; what it has published, in the update folder
(``.newsevents-updates.json``), which names an update's batches before its files are written and marks it
done after. So a watch killed at any point (``kill -9``) redoes at most the unfinished part when it starts
again: an input read again is not stored twice (article ids are content hashes, rejections are listed once
per input and reason), and an update cut short is completed, its files written to a temporary name and
renamed, ``masterfilelist.txt`` appended to only once they exist.

Update files (``UpdateFolder``), per update ``YYYYMMDDHHMMSS`` (UTC): ``.export.CSV`` (GDELT 2.0 events first
seen in it: every report of the event is in it), ``.mentions.CSV`` (every mention in its articles, of new
and older events), ``.gkg.csv`` (GKG 2.1, one row per article), tab-separated without a header as GDELT
publishes them (``exports``), not zipped. ``lastupdate.txt`` names the newest update's three files and
``masterfilelist.txt`` every update's, a line each: size in bytes, MD5, file name (relative to the folder).
An update covers the batches committed since the last one, so a poll killed after committing is published
by the next. A poll that stores no article publishes nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Sequence, Union

import pyarrow as pa
import pyarrow.parquet as pq

from .config import Config
from .consolidate import consolidate
from .errors import ConfigError, InputError, StoreError
from .exports import gdelt_events, gdelt_gkg, gdelt_mentions
from .ingest import IngestReport, ingest, stored_links
from .pipeline import Pipeline
from .readers import Source, expand
from .readers.web import Fetcher, read_feed, transient, urls_from_file
from .records import Rejection
from .store import TABLES, Store
from .store import _fsync_dir  # a rename is durable once its folder is synced, as for the store's batches

# Polls a link rejected for a reason that may pass is tried at (the first included): a host down for
# three polls in a row (45 minutes at the default interval) is down, and its entries are given up on.
MAX_POLL_TRIES = 3
# Files modified this recently (seconds) are left for the next poll: they may still be being written.
DIR_SETTLE = 2.0
DEFAULT_EVERY = 15 * 60.0  # GDELT's cadence
STATE_FILE = "watch.json"  # in DB.parts/
UPDATES_STATE = ".newsevents-updates.json"
LASTUPDATE = "lastupdate.txt"
MASTERFILELIST = "masterfilelist.txt"
_STATE_VERSION = 1
_INTERVAL = re.compile(r"(\d+(?:\.\d+)?)([hms]?)", re.I)
_UNIT = {"h": 3600.0, "m": 60.0, "s": 1.0, "": 1.0}

# kind, message: 'poll' (a poll starts), 'stored', 'rejected', 'warning', 'waiting' (from ingest),
# 'consolidate' (the cross-article step), 'update' (update files published), 'done' (a poll's summary),
# 'sleep' (until the next poll), 'stopping'.
Progress = Callable[[str, str], None]


def parse_interval(text: Union[str, float, int]) -> float:
    """Seconds in an interval written as ``90s``, ``15m``, ``1h``, ``1h30m`` or a plain number of seconds."""
    if isinstance(text, (int, float)):
        seconds = float(text)
    else:
        spec = text.strip().replace(" ", "")
        parts = _INTERVAL.findall(spec)
        if not spec or "".join(n + u for n, u in parts).lower() != spec.lower():
            raise ConfigError(f"interval {text!r}: write it as 90s, 15m, 1h or 1h30m")
        seconds = sum(float(n) * _UNIT[u.lower()] for n, u in parts)
    if seconds <= 0:
        raise ConfigError(f"interval {text!r}: it must be longer than zero")
    return seconds


# --- what a watch has read, kept in the store --------------------------------------------------------------
def _write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step: a reader (or a restart after a crash) sees the old file or
    the new one, never a part."""
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _load_json(path: Path, what: str) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise StoreError(f"{path}: cannot read {what}: {getattr(exc, 'strerror', None) or exc}") from exc


@dataclass
class FeedState:
    """What the last read of one feed left: its validators, the links handled, the links to try again."""

    etag: Optional[str] = None
    last_modified: Optional[str] = None
    seen: list[str] = field(default_factory=list)  # links of the last read that are stored or given up on
    pending: dict[str, int] = field(default_factory=dict)  # link -> polls it failed at (transiently)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "FeedState":
        return cls(d.get("etag"), d.get("last_modified"), list(d.get("seen", [])), dict(d.get("pending", {})))


@dataclass
class _Read:
    """What one poll read, to be remembered once it is stored."""

    feeds: dict[str, FeedState] = field(default_factory=dict)
    dirs: dict[str, dict[str, Any]] = field(default_factory=dict)


def _state_path(store: Store) -> Path:
    return store.root / STATE_FILE


def _load_state(store: Store) -> dict[str, Any]:
    state = _load_json(_state_path(store), "what the watch has read")
    return state if state.get("version") == _STATE_VERSION else {"version": _STATE_VERSION, "feeds": {}, "dirs": {}}


def _save_state(store: Store, read: _Read) -> None:
    """Merge what this poll read into the store's watch state. Call with the writer lock held: another watch
    on the same store (other feeds, other folders) keeps its entries."""
    state = _load_state(store)
    for url, fs in read.feeds.items():
        state["feeds"][url] = asdict(fs)
    state["dirs"].update(read.dirs)
    _write_atomic(_state_path(store), json.dumps(state, indent=1, sort_keys=True).encode())


# --- one poll -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Update:
    """One published update: its stamp, its three files, the articles it covers."""

    stamp: str
    files: tuple[Path, ...]
    articles: int

    def summary(self) -> str:
        plural = "s" if self.articles != 1 else ""
        return f"update {self.stamp}: {self.articles:,} article{plural} in {len(self.files)} files"


@dataclass
class PollReport:
    """What one poll did."""

    number: int
    db: str
    feeds: int = 0
    feeds_unchanged: int = 0  # answered 304
    links: int = 0  # entry links handed to ingest (new, or tried again after a transient failure)
    files: int = 0  # files handed to ingest
    rejections: list[Rejection] = field(default_factory=list)  # feeds and folder entries that failed
    ingest: Optional[IngestReport] = None
    updates: list[Update] = field(default_factory=list)
    stopped: bool = False  # a stop request ended the poll before all it found was read
    seconds: float = 0.0

    @property
    def stored(self) -> int:
        return self.ingest.stored if self.ingest else 0

    @property
    def rejected(self) -> int:
        """Inputs this poll rejected (feeds, folder entries, links, files), including ones listed before."""
        return len(self.rejections) + (len(self.ingest.rejections) if self.ingest else 0)

    def summary(self) -> str:
        unchanged = f" ({self.feeds_unchanged:,} unchanged)" if self.feeds_unchanged else ""
        line = (f"poll {self.number}: {self.feeds:,} feed{'s' if self.feeds != 1 else ''}{unchanged}; read "
                f"{self.links:,} link{'s' if self.links != 1 else ''}, {self.files:,} file"
                f"{'s' if self.files != 1 else ''}: stored {self.stored:,}, rejected {self.rejected:,}")
        if self.updates:
            line += "; " + "; ".join(u.summary() for u in self.updates)
        line += f" in {self.seconds:.1f}s -> {self.db}"
        return line + (" (stopped early: the rest is read at the next start)" if self.stopped else "")


def poll(
    db: Union[str, Path],
    *,
    feeds: Sequence[str] = (),
    dirs: Sequence[Union[str, Path]] = (),
    export_dir: Optional[Union[str, Path]] = None,
    config: Optional[Config] = None,
    pipeline: Optional[Pipeline] = None,
    settle: float = DIR_SETTLE,
    progress: Optional[Progress] = None,
    stop: Optional[threading.Event] = None,
    number: int = 1,
) -> PollReport:
    """Read what is new in ``feeds`` (RSS/Atom URLs) and ``dirs`` (folders), ingest it into ``db``, and with
    ``export_dir`` publish the update files of what the store gained. ``stop`` (set from a signal handler,
    say) ends the poll after the input being read: what was read is stored, the rest is read next time."""
    config = config or Config()
    stop = stop or threading.Event()
    say = progress or (lambda kind, message: None)
    started = time.perf_counter()
    store = Store(db)
    report = PollReport(number=number, db=str(db))
    say("poll", f"poll {number}: {len(feeds):,} feed{'s' if len(feeds) != 1 else ''}, "
                f"{len(dirs):,} folder{'s' if len(dirs) != 1 else ''}")
    updates = UpdateFolder(Path(export_dir), store) if export_dir is not None else None
    if updates is not None:
        updates.open()
    state = _load_state(store)
    read = _Read()
    fetcher = Fetcher(config)
    links, link_feeds = _feed_links(feeds, state, read, fetcher, store, report, stop)
    files = _new_files(dirs, state, read, config, settle, report, stop)
    for r in report.rejections:
        say("rejected", f"rejected {r.input}: {r.reason}")
    outcomes: dict[str, str] = {}  # link -> 'done' or 'transient'
    consumed: list[Any] = []

    def inputs() -> Iterator[Any]:
        for item in [*links, *(path for path, _, _ in files)]:
            if stop.is_set():
                report.stopped = True
                return
            consumed.append(item)
            yield item

    def note(kind: str, item: Any, _report: IngestReport) -> None:
        if kind in ("stored", "duplicate"):
            outcomes[item.input] = "done"
            if kind == "stored":
                say("stored", f"stored {item.title or item.url or item.input}")
        elif kind == "rejected":
            outcomes[item.input] = "transient" if transient(item.reason) else "done"
            say("rejected", f"rejected {item.input}: {item.reason}")
        elif kind in ("warning", "waiting"):
            say(kind, str(item))

    report.links, report.files = len(links), len(files)
    if (links or files) and not stop.is_set():
        # the ingest's fetcher starts afresh: keep the pause after this poll's feed requests
        stop.wait(max(0.0, fetcher.ready_at() - fetcher.clock()))
        report.ingest = ingest(inputs(), db, config=config, pipeline=pipeline, progress=note, consolidate_after=False)
    elif links or files:
        report.stopped = True
    _remember(read, link_feeds, files, set(consumed), outcomes)

    def on_wait(message: str) -> None:
        say("waiting", message)

    if report.rejections:  # feeds and folder entries that failed; listed once per input and reason
        with store.writer((), on_wait=on_wait) as writer:
            for r in report.rejections:
                writer.reject(r)
    with store.locked(on_wait=on_wait):
        consolidate(store, progress=lambda step: say("consolidate", f"across articles: {step}"))
        _save_state(store, read)
        if updates is not None:
            report.updates = updates.publish(datetime.now(timezone.utc))
    for u in report.updates:
        say("update", u.summary())
    report.seconds = time.perf_counter() - started
    say("done", report.summary())
    return report


def _remember(read: _Read, link_feeds: dict[str, list[str]], files: list[tuple[Path, tuple[str, str], Any]],
              done: set[Any], outcomes: dict[str, str]) -> None:
    """Note in ``read`` what became of the links and files handed to ingest (``done``: those it read)."""
    for url, fs in read.feeds.items():
        for link in link_feeds.get(url, ()):
            if link not in done:  # not read (a stop): pending, whatever the feed answers next time
                fs.pending.setdefault(link, 0)
                continue
            tries = fs.pending.pop(link, 0) + 1
            if outcomes.get(link) == "transient" and tries < MAX_POLL_TRIES:
                fs.pending[link] = tries
            else:  # stored, rejected for good, met twice in this run, or out of tries
                fs.seen.append(link)
    for path, (folder, key), signature in files:
        if path in done:
            read.dirs.setdefault(folder, {})[key] = signature


def _feed_links(feeds: Sequence[str], state: dict[str, Any], read: _Read, fetcher: Fetcher, store: Store,
                report: PollReport, stop: threading.Event) -> tuple[list[str], dict[str, list[str]]]:
    """The entry links to read in this poll, in feed order, once each; and each feed's share of them."""
    candidates: dict[str, list[str]] = {}
    for url in dict.fromkeys(feeds):
        if stop.is_set():
            report.stopped = True
            break
        report.feeds += 1
        before = FeedState.from_dict(state["feeds"].get(url, {}))
        try:
            feed = read_feed(url, fetcher, before.etag, before.last_modified)
        except InputError as exc:
            report.rejections.append(Rejection(input=exc.input, reason=exc.reason, kind=exc.kind))
            candidates[url] = list(before.pending)
            read.feeds[url] = before
            continue
        if feed.not_modified:
            report.feeds_unchanged += 1
            candidates[url] = list(before.pending)
            read.feeds[url] = before
            continue
        # seen: only the links the feed still lists (an entry that left the feed will not come back)
        listed = set(feed.links)
        seen = [link for link in before.seen if link in listed]
        new = [link for link in feed.links if link not in seen and link not in before.pending]
        candidates[url] = list(before.pending) + new
        read.feeds[url] = FeedState(feed.etag, feed.last_modified, seen, dict(before.pending))
    known = _handled(store, [link for links in candidates.values() for link in links])
    links: list[str] = []
    link_feeds: dict[str, list[str]] = {}
    taken: set[str] = set()
    for url, cands in candidates.items():
        fs = read.feeds[url]
        for link in cands:
            if link in known:  # handled before, though this feed's record does not say so (a crash)
                fs.pending.pop(link, None)
                fs.seen.append(link)
                continue
            link_feeds.setdefault(url, []).append(link)
            if link not in taken:
                taken.add(link)
                links.append(link)
    return links, link_feeds


def _handled(store: Store, links: list[str]) -> set[str]:
    """The links the store already holds as an article (by ``input`` or normalised ``url``) or lists as
    rejected for a reason that will not pass (a crash may have kept the watch state from saying so)."""
    if not links or not store.exists:
        return set()
    con = store.connect()
    try:
        con.register("_links", pa.table({"link": links}))
        rejected = con.execute("SELECT r.input, r.reason FROM rejected r JOIN _links l ON r.input = l.link").fetchall()
    finally:
        con.close()
    return stored_links(store, links) | {link for link, reason in rejected if not transient(reason)}


def _new_files(dirs: Sequence[Union[str, Path]], state: dict[str, Any], read: _Read, config: Config, settle: float,
               report: PollReport, stop: threading.Event) -> list[tuple[Path, tuple[str, str], Any]]:
    """The files of the folders not read yet or changed since: (path, (folder, file) key, signature)."""
    out: list[tuple[Path, tuple[str, str], Any]] = []
    now = time.time()
    for d in dict.fromkeys(str(d) for d in dirs):
        folder = os.path.abspath(d)
        before: dict[str, Any] = state["dirs"].get(folder, {})
        after: dict[str, Any] = {}
        for item in expand([d], config):
            if stop.is_set():
                report.stopped = True
                break
            if isinstance(item, Source) and item.path is not None:
                key = os.path.abspath(item.path)
                try:
                    st = os.stat(item.path)
                except OSError:
                    continue  # gone since the walk listed it
                signature = [st.st_size, st.st_mtime_ns]
                if before.get(key) == signature:
                    after[key] = signature
                elif now - st.st_mtime >= settle:
                    out.append((item.path, (folder, key), signature))
                elif key in before:
                    after[key] = before[key]  # changing: the next poll reads it
            else:  # a Rejection (cannot be read) or a Skipped (not an article): listed or noted once
                key = os.path.abspath(item.input)
                mark = [type(item).__name__.lower(), item.reason]
                if before.get(key) != mark and isinstance(item, Rejection):
                    report.rejections.append(item)
                after[key] = mark
        # a walk a stop cut short keeps the rest of what it knew (the files it did not reach are not gone)
        read.dirs[folder] = {**before, **after} if report.stopped else after
    return out


# --- update files ---------------------------------------------------------------------------------------------
# File suffix, the exports writer, and the views it reads, narrowed to the update ({view: SQL condition}).
_IN_UPDATE = "article_id IN (SELECT id FROM _update)"
UPDATE_FILES: tuple[tuple[str, Callable[[Any, Path], int], dict[str, str]], ...] = (
    # events first seen in the update: every mention of the event is in it
    ("export.CSV", gdelt_events, {"canonical_events": "event_id NOT IN (SELECT event_id FROM event_mentions "
                                                      "WHERE article_id NOT IN (SELECT id FROM _update))"}),
    ("mentions.CSV", gdelt_mentions, {"event_mentions": _IN_UPDATE}),
    ("gkg.csv", gdelt_gkg, {"articles": "id IN (SELECT id FROM _update)",
                            **{name: _IN_UPDATE for name, schema in TABLES.items() if "article_id" in schema.names}}),
)


class UpdateFolder:
    """A folder of GDELT-style update files for one store, and its record of which batches it has published.

    Every method but ``open`` expects the store's writer lock held, so no batch is committed meanwhile."""

    def __init__(self, out: Path, store: Store) -> None:
        self.out = out
        self.store = store
        self.state_path = out / UPDATES_STATE

    def _load(self) -> dict[str, Any]:
        return _load_json(self.state_path, "the update folder's record")

    def _save(self, state: dict[str, Any]) -> None:
        _write_atomic(self.state_path, json.dumps(state, indent=1).encode())

    def open(self) -> None:
        """Check the folder belongs to this store; a new folder starts from what the store holds now (the
        first update holds only what comes after)."""
        db = str(self.store.db_path.resolve())
        try:
            self.out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{self.out}: cannot create the update folder: {exc.strerror or exc}") from exc
        state = self._load()
        if state:
            if state.get("db") != db:
                raise ConfigError(f"{self.out} holds the updates of {state.get('db')}, not of {db}: "
                                  "give each database its own update folder")
            return
        with self.store.locked():
            self._save({"db": db, "published": self.store.batch_ids(), "pending": None, "last": None})

    def publish(self, now: datetime) -> list[Update]:
        """Complete an update a crash interrupted, then publish the batches committed since the last one."""
        state = self._load()
        out: list[Update] = []
        for tmp in self.out.glob(".*.tmp"):  # a file a crash cut short; its update is written again below
            tmp.unlink(missing_ok=True)
        if state.get("pending"):
            pending = state["pending"]
            out.append(self._write(pending["stamp"], pending["batches"]))
            state.update(published=[*state["published"], *pending["batches"]], pending=None)
        done = set(state["published"])
        batches = self.store.batch_ids()
        new = [b for b in batches if b not in done]
        ids = self._article_ids(new)
        if ids:
            stamp = _next_stamp(now, state.get("last"))
            state.update(pending={"stamp": stamp, "batches": new}, last=stamp)
            self._save(state)  # first: a crash from here on completes this update at the next start
            out.append(self._write(stamp, new, ids))
        # what a 'verify --repair' moved aside is no longer listed
        state.update(published=[b for b in batches if b in done or b in new], pending=None)
        self._save(state)
        return out

    def _article_ids(self, batches: list[str]) -> list[str]:
        ids: list[str] = []
        for b in batches:
            path = self.store.batches / b / "articles.parquet"
            if path.exists():  # a batch 'verify --repair' moved aside is not published
                ids += pq.read_table(path, columns=["id"]).column("id").to_pylist()
        return ids

    def _write(self, stamp: str, batches: list[str], ids: Optional[list[str]] = None) -> Update:
        """The three files of one update (those a crash left whole are kept: their MD5 may be listed), then
        masterfilelist.txt (appended) and lastupdate.txt (replaced)."""
        ids = self._article_ids(batches) if ids is None else ids
        files = []
        for suffix, writer, scope in UPDATE_FILES:
            final = self.out / f"{stamp}.{suffix}"
            files.append(final)
            if final.exists():
                continue
            con = self.store.connect()
            try:
                con.register("_update", pa.table({"id": pa.array(ids, pa.string())}))
                for view, condition in scope.items():
                    con.execute(f"ALTER VIEW {view} RENAME TO _all_{view}")
                    con.execute(f"CREATE VIEW {view} AS SELECT * FROM _all_{view} WHERE {condition}")
                tmp = final.with_name(f".{final.name}.tmp")
                writer(con, tmp)
            finally:
                con.close()
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, final)
        _fsync_dir(self.out)
        lines = [f"{f.stat().st_size} {_md5(f)} {f.name}" for f in files]
        _append_lines(self.out / MASTERFILELIST, lines)
        _write_atomic(self.out / LASTUPDATE, "".join(line + "\n" for line in lines).encode())
        return Update(stamp=stamp, files=tuple(files), articles=len(ids))


def _next_stamp(now: datetime, last: Optional[str]) -> str:
    """The update's stamp: the time (UTC) to the second, always after the last one."""
    fmt = "%Y%m%d%H%M%S"
    stamp = now.astimezone(timezone.utc).strftime(fmt)
    if last and stamp <= last:
        stamp = (datetime.strptime(last, fmt) + timedelta(seconds=1)).strftime(fmt)
    return stamp


def _md5(path: Path) -> str:
    h = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# How far back from its end masterfilelist.txt is read for the lines of the update being published: they
# are its last lines (three of under 100 bytes), and a line a crash cut short is shorter still.
_TAIL_BYTES = 4096


def _append_lines(path: Path, lines: list[str]) -> None:
    """Append the lines ``path`` does not end with yet; a last line a crash cut short is cut off first."""
    with open(path, "a+b") as fh:
        end = fh.seek(0, os.SEEK_END)
        start = max(0, end - _TAIL_BYTES)
        fh.seek(start)
        tail = fh.read()
        if tail and not tail.endswith(b"\n"):
            keep = tail.rfind(b"\n") + 1
            fh.truncate(start + keep)
            tail = tail[:keep]
        have = set(tail.decode("utf-8", errors="replace").splitlines())
        fh.write("".join(line + "\n" for line in lines if line not in have).encode())
        fh.flush()
        os.fsync(fh.fileno())


# --- polling ----------------------------------------------------------------------------------------------------
@dataclass
class WatchReport:
    polls: int = 0
    stored: int = 0
    rejected: int = 0
    updates: int = 0
    last: Optional[PollReport] = None


def watch(
    db: Union[str, Path],
    *,
    feeds_file: Optional[Union[str, Path]] = None,
    feeds: Sequence[str] = (),
    dirs: Sequence[Union[str, Path]] = (),
    every: float = DEFAULT_EVERY,
    export_dir: Optional[Union[str, Path]] = None,
    polls: Optional[int] = None,
    config: Optional[Config] = None,
    pipeline: Optional[Pipeline] = None,
    settle: float = DIR_SETTLE,
    progress: Optional[Progress] = None,
    stop: Optional[threading.Event] = None,
) -> WatchReport:
    """Poll every ``every`` seconds (from the start of one poll to the start of the next) until ``stop`` is
    set or ``polls`` polls are done. ``feeds_file`` (one URL a line) is read again at every poll, so feeds can
    be added while the watch runs; ``feeds`` are polled as well."""
    if feeds_file is None and not feeds and not dirs:
        raise ConfigError("nothing to watch: give feeds (a file of feed URLs) or folders")
    if polls is not None and polls < 1:
        raise ConfigError(f"polls must be at least 1, got {polls}")
    stop = stop or threading.Event()
    say = progress or (lambda kind, message: None)
    report = WatchReport()
    while not stop.is_set():
        started = time.monotonic()
        urls = [*feeds, *(urls_from_file(feeds_file) if feeds_file is not None else [])]
        last = poll(db, feeds=urls, dirs=dirs, export_dir=export_dir, config=config, pipeline=pipeline,
                    settle=settle, progress=progress, stop=stop, number=report.polls + 1)
        report.polls += 1
        report.stored += last.stored
        report.rejected += last.rejected
        report.updates += len(last.updates)
        report.last = last
        if polls is not None and report.polls >= polls:
            break
        wait = max(0.0, started + every - time.monotonic())
        if not stop.is_set():
            say("sleep", f"next poll in {wait:.0f}s")
        stop.wait(wait)
    if stop.is_set():
        say("stopping", "stopped")
    return report


__all__ = ["watch", "poll", "parse_interval", "PollReport", "WatchReport", "Update", "UpdateFolder", "FeedState"]
