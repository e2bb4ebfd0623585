"""Readers: inputs as they come (files, directories, globs, stdin) to ``Article`` records.

One module per format; each exposes ``FORMAT`` (its name) and ``read(source, config)``, which yields
``Article`` for each article and ``Rejection`` for each record it cannot use, and raises ``InputError``
when the whole input is unusable. ``read_inputs`` walks the paths, picks a reader per input, and turns
every ``InputError`` into a ``Rejection`` so a batch always goes on.
"""

from __future__ import annotations

import glob
import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator, Optional, Union

from ..config import Config
from ..errors import EmptyInput, InputError, OversizedInput, UnreadableInput, UnsupportedFormat
from ..records import Article, Rejection, Skipped
from . import html, jsonl, plain, scraped_text, warc
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


def expand(paths: Iterable[Union[str, Path]], config: Config, stdin: Optional[BinaryIO] = None) -> Iterator[Union[Source, Rejection, Skipped]]:
    """Paths, directories (recursive, sorted), globs and '-' (stdin) to Sources, in a stable order."""
    for raw in paths:
        p = str(raw)
        if p == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield Source(label="-", data=stream.read())
            continue
        path = Path(p)
        if not path.exists() and _is_glob(p):
            matches = sorted(glob.glob(p, recursive=True))
            if not matches:
                yield Rejection(input=p, reason="glob matches no file", kind=UnreadableInput.kind)
            for m in matches:
                mp = Path(m)
                yield from (_walk(mp, config) if mp.is_dir() else [Source(label=m, path=mp)])
            continue
        if path.is_dir():
            yield from _walk(path, config)
        elif path.exists():
            yield Source(label=p, path=path)
        else:
            yield Rejection(input=p, reason="no such file or directory", kind=UnreadableInput.kind)


def _walk(root: Path, config: Config) -> Iterator[Union[Source, Skipped]]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for fname in sorted(filenames):
            if fname.startswith("."):
                continue
            fpath = Path(dirpath) / fname
            lower = fname.lower()
            stem = lower.split(".", 1)[0]
            if stem in config.skip_names:
                yield Skipped(input=str(fpath), reason="documentation file beside the corpus, not an article")
            elif not lower.endswith(config.walk_extensions):
                yield Skipped(input=str(fpath), reason="extension not read in a directory walk (name the file to read it)")
            else:
                yield Source(label=str(fpath), path=fpath)


def read_inputs(paths: Iterable[Union[str, Path]], config: Optional[Config] = None, stdin: Optional[BinaryIO] = None) -> Iterator[Item]:
    """Every Article, Rejection and Skipped from the given paths, in input order."""
    config = config or Config()
    for item in expand(paths, config, stdin=stdin):
        if isinstance(item, Source):
            yield from read_source(item, config)
        else:
            yield item


__all__ = ["Source", "READERS", "detect_format", "read_source", "read_inputs", "expand", "Item"]
