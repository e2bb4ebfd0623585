"""Readers: inputs as they come (files, directories, globs, stdin, http(s) URLs) to ``Article`` records.

One module per format; each exposes ``FORMAT`` (its name) and ``read(source, config)``, which yields
``Article`` for each article and ``Rejection`` for each record it cannot use, and raises ``InputError``
when the whole input is unusable. ``read_inputs`` walks the paths, picks a reader per input, and turns
every ``InputError`` into a ``Rejection`` so a batch always goes on.
"""

from __future__ import annotations

import errno
import glob
import io
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator, Optional, Union

from ..config import Config
from ..errors import EmptyInput, InputError, OversizedInput, UnreadableInput, UnsupportedFormat
from ..records import Article, Rejection, Skipped, printable
from . import html, jsonl, plain, scraped_text, warc, web
from ._common import read_bytes

Item = Union[Article, Rejection, Skipped]


@dataclass(frozen=True)
class Source:
    """One input: a file, or bytes from standard input (``path`` is None)."""

    label: str
    path: Optional[Path] = None
    data: Optional[bytes] = None

    def read_bytes(self, config: Config) -> bytes:
        if self.path is None:
            data = self.data or b""
            if len(data) > config.max_input_bytes:
                raise OversizedInput(self.label, f"{len(data):,} bytes, over the limit of {config.max_input_bytes:,}")
            if not data.strip():
                raise EmptyInput(self.label, "empty input")
            return data
        return read_bytes(self.path, config, self.label)

    def open(self) -> BinaryIO:
        if self.path is None:
            return io.BytesIO(self.data or b"")
        try:
            return open(self.path, "rb")
        except OSError as exc:
            raise UnreadableInput(self.label, f"cannot read: {exc.strerror or exc}") from exc

    def head(self, n: int = 4096) -> bytes:
        if self.path is None:
            return (self.data or b"")[:n]
        try:
            with open(self.path, "rb") as fh:
                return fh.read(n)
        except OSError as exc:
            raise UnreadableInput(self.label, f"cannot read: {exc.strerror or exc}") from exc


READERS: dict[str, Callable[[Source, Config], Iterator[Union[Article, Rejection]]]] = {
    scraped_text.FORMAT: scraped_text.read,
    plain.FORMAT: plain.read,
    jsonl.FORMAT: jsonl.read,
    html.FORMAT: html.read,
    warc.FORMAT: warc.read,
}


def detect_format(source: Source) -> str:
    """The reader for an input: by extension first, then by its first bytes."""
    name = source.path.name.lower() if source.path is not None else ""
    if name.endswith((".jsonl", ".ndjson", ".json")):
        return jsonl.FORMAT
    if name.endswith((".warc", ".warc.gz", ".arc", ".arc.gz")):
        return warc.FORMAT
    if name.endswith((".html", ".htm", ".xhtml")):
        return html.FORMAT
    head = source.head()
    if head.startswith(b"\x1f\x8b") or head.lstrip().startswith((b"WARC/", b"filedesc://")):
        return warc.FORMAT
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"["):
        return jsonl.FORMAT
    lowered = stripped[:512].lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in lowered or b"<head" in lowered:
        return html.FORMAT
    if source.path is not None and name.endswith(".gz"):
        raise UnsupportedFormat(source.label, "a gzip file that is not WARC")
    return scraped_text.FORMAT if scraped_text.looks_scraped(source) else plain.FORMAT


def read_source(source: Source, config: Config) -> Iterator[Union[Article, Rejection]]:
    """Everything one input holds; an unusable input becomes one Rejection."""
    try:
        reader = READERS[detect_format(source)]
        yield from reader(source, config)
    except InputError as exc:
        yield Rejection(input=exc.input, reason=exc.reason, kind=exc.kind)


def _is_glob(p: str) -> bool:
    return any(ch in p for ch in "*?[")


def _unreadable(label: str, reason: str) -> Rejection:
    return Rejection(input=label, reason=reason, kind=UnreadableInput.kind)


def _missing(path: Path, label: str, exc: OSError) -> Rejection:
    """Why a path named on the command line cannot be read: missing, a symlink that loops or dangles, or
    a directory on the way that this user may not enter."""
    if exc.errno == errno.ELOOP:
        return _unreadable(label, "a symbolic link that loops (it leads back to itself)")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return _unreadable(label, "permission denied (a directory on its path cannot be entered)")
    try:
        if os.path.islink(path):
            return _unreadable(label, f"a dangling symbolic link: its target {printable(os.readlink(path))} does not exist")
    except OSError:
        pass
    if exc.errno == errno.ENOENT:
        return _unreadable(label, "no such file or directory")
    return _unreadable(label, f"cannot read: {exc.strerror or exc}")


def expand(paths: Iterable[Union[str, Path]], config: Config, stdin: Optional[BinaryIO] = None) -> Iterator[Union[Source, Rejection, Skipped]]:
    """Paths, directories (recursive, sorted), globs and '-' (stdin) to Sources, in a stable order.

    Every path that cannot be read becomes a Rejection naming why (missing, permission denied, a looping or
    dangling link, a directory that cannot be listed), so nothing named or met in a walk is dropped silently.
    Names that are not valid UTF-8 are shown and stored escaped (``records.printable``)."""
    for raw in paths:
        p = os.fsdecode(raw) if isinstance(raw, bytes) else str(raw)
        label = printable(p)
        if p == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield Source(label="-", data=stream.read())
            continue
        path = Path(p)
        try:
            st = os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ENOENT and _is_glob(p) and not os.path.islink(path):
                yield from _glob(p, config)
            else:
                yield _missing(path, label, exc)
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk(path, config)
        else:
            yield Source(label=label, path=path)


def _glob(pattern: str, config: Config) -> Iterator[Union[Source, Rejection, Skipped]]:
    matches = sorted(glob.glob(pattern, recursive=True))
    if not matches:
        yield _unreadable(printable(pattern), "glob matches no file")
    for m in matches:
        mp = Path(m)
        try:
            is_dir = stat.S_ISDIR(os.stat(mp).st_mode)
        except OSError as exc:
            yield _missing(mp, printable(m), exc)
            continue
        yield from (_walk(mp, config) if is_dir else [Source(label=printable(m), path=mp)])


def _walk(root: Path, config: Config) -> Iterator[Union[Source, Rejection, Skipped]]:
    """Files under ``root``, sorted, depth first; hidden entries passed over. A directory that cannot be
    listed is a Rejection (its files are neither read nor silently lost); links to directories are not
    followed (a link loop cannot trap the walk)."""
    try:
        with os.scandir(root) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield _unreadable(printable(str(root)), f"cannot list this directory: {exc.strerror or exc}; its files were not read")
        return
    files, dirs = [], []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        (dirs if is_dir else files).append(entry)
    for entry in files:
        fpath = Path(entry.path)
        label = printable(entry.path)
        lower = entry.name.lower()
        stem = lower.split(".", 1)[0]
        if stem in config.skip_names:
            yield Skipped(input=label, reason="documentation file beside the corpus, not an article")
        elif entry.is_symlink() and os.path.isdir(entry.path):
            yield Skipped(input=label, reason="a link to a directory, not followed in a walk (name it to read it)")
        elif entry.is_symlink() and not os.path.exists(entry.path):
            try:
                os.stat(entry.path)
            except OSError as exc:
                yield _missing(fpath, label, exc)
        elif not lower.endswith(config.walk_extensions):
            yield Skipped(input=label, reason="extension not read in a directory walk (name the file to read it)")
        else:
            yield Source(label=label, path=fpath)
    for entry in dirs:
        yield from _walk(Path(entry.path), config)


def read_inputs(paths: Iterable[Union[str, Path]], config: Optional[Config] = None, stdin: Optional[BinaryIO] = None) -> Iterator[Item]:
    """Every Article, Rejection and Skipped from the given paths and http(s) URLs (``web``), in input order."""
    config = config or Config()
    fetcher: Optional[web.Fetcher] = None  # one per run: robots.txt and per-host pacing shared by its URLs
    for p in paths:
        if web.is_url(p):
            fetcher = fetcher or web.Fetcher(config)
            yield from web.read_url(str(p), config, fetcher)
            continue
        for item in expand([p], config, stdin=stdin):
            if isinstance(item, Source):
                yield from read_source(item, config)
            else:
                yield item


__all__ = ["Source", "READERS", "detect_format", "read_source", "read_inputs", "expand", "Item"]
