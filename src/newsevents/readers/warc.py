"""The WARC format: web archives (.warc, .warc.gz, and the older .arc), one article per HTML page.

Each ``response`` record with HTTP status 200 and an HTML content type (``text/html``,
``application/xhtml+xml``; a response that names no type is sniffed) goes through the HTML reader's
``article_from_html``, with the record's ``WARC-Target-URI`` as its URL. Its date is the page's own, else one
in the URL, else the day it was captured (``WARC-Date``). Every other record (warcinfo, request, metadata,
revisit, a redirect, an image) is passed over without a word: an archive is mostly such records.

Where each article came from (``Article.input``): ``path#OFFSET``, the byte offset of its record in the file
(of its gzip member in a .warc.gz), which ``warcio extract`` or ``seek`` take straight to the record.

A record that cannot become an article (binary, empty, oversized, no text) becomes a Rejection and the next
record is read. An archive that breaks part way (cut short, a corrupt gzip member, a garbled header) gives
the articles before the break and then one Rejection naming the byte offset where it broke: past a break
there is no telling where the next record starts.
"""

from __future__ import annotations

import io
import zlib
from typing import BinaryIO, Iterator, Optional, Union

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeadersParserException

from ..config import Config
from ..errors import EmptyInput, InputError, MalformedRecord, OversizedInput
from ..records import Article, Rejection
from ._common import iso_date, path_key
from .html import article_from_html, decode_html

FORMAT = "warc"

HTML_TYPES = ("text/html", "application/xhtml+xml")
# What reading a damaged archive raises: warcio's own errors, gzip's (EOFError, zlib.error, OSError for a bad
# gzip header) and ValueError for a header field that is not a number (Content-Length: abc).
_ARCHIVE_ERRORS = (ArchiveLoadFailed, StatusAndHeadersParserException, EOFError, zlib.error, OSError, ValueError)
# warcio's record parser does not check a header cut short before use: a response record with no
# WARC-Target-URI fails on ``None.startswith`` (AttributeError). Parsing the next record, these mean the same.
_HEADER_ERRORS = _ARCHIVE_ERRORS + (AttributeError, TypeError, IndexError, KeyError)
# The WARC record types (ARC records are read as WARC: arc2warc); anything else is a header cut short.
_RECORD_TYPES = ("warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion", "continuation")
_HTML_START = (b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")


class _Broken(Exception):
    """The archive cannot be read past ``offset``; internal to this module."""

    def __init__(self, offset: int, detail: str) -> None:
        self.offset = offset
        self.detail = detail
        super().__init__(f"at byte {offset}: {detail}")


def read(source, config: Config) -> Iterator[Union[Article, Rejection]]:  # source: readers.Source (circular)
    label = source.label
    base_key = path_key(source.path) if source.path is not None else label
    records = 0
    produced = 0
    with source.open() as fh:
        cut = _unfinished_member(fh)
        fh.seek(0)
        iterator = ArchiveIterator(fh, arc2warc=True)
        try:
            for record, offset in _records(iterator):
                if cut is not None and offset >= cut:
                    raise _Broken(offset, "the file ends inside this record's gzip member (its last compressed "
                                          "bytes and checksum are missing): the record may be incomplete")
                item = _item(record, offset, label=label, base_key=base_key, config=config)
                _finish(iterator, record, offset)
                records += 1
                if item is not None:
                    produced += 1
                    yield item
            end = iterator.offset
            size = fh.seek(0, io.SEEK_END)
            if end < size:
                raise _Broken(end, f"the last {size - end:,} bytes are not a complete record (cut short or corrupt)")
        except _Broken as exc:
            if records == 0 and exc.offset == 0:
                raise MalformedRecord(label, f"not a readable WARC/ARC archive: {exc.detail}") from exc
            yield Rejection(
                input=f"{label}#{exc.offset}",
                reason=f"archive broken at byte {exc.offset:,}, after {_count(records, 'complete record')}: {exc.detail}",
                kind=MalformedRecord.kind,
            )
            return
    if produced == 0:
        raise EmptyInput(label, "empty file" if records == 0 else f"no HTML pages among its {_count(records, 'record')}")


# Bytes read at a time when checking a .warc.gz's gzip members, and the most output one step may produce
# (a highly compressible record must not balloon memory).
_CHUNK = 1 << 16


def _unfinished_member(fh: BinaryIO) -> Optional[int]:
    """The offset of a gzip member the file ends inside, if it does; None for a complete (or plain) file.

    warcio reads a member cut inside its last bytes (the end of its compressed data and the CRC-32/length
    trailer) without complaint, and the record comes out complete-looking or not at all. zlib says whether a
    member reached its end: the file is read once more, decompressing into nothing. A corrupt member (a
    zlib error) is left to warcio, which reports it where it breaks.
    """
    if fh.read(2) != b"\x1f\x8b":
        return None
    fh.seek(0)
    start = pos = 0
    d = zlib.decompressobj(31)
    data = b""
    try:
        while True:
            if not data:
                data = fh.read(_CHUNK)
                if not data:
                    break
                pos += len(data)
            d.decompress(data, _CHUNK)
            while d.unconsumed_tail and not d.eof:
                d.decompress(d.unconsumed_tail, _CHUNK)
            if d.eof:
                data = d.unused_data
                start = pos - len(data)
                d = zlib.decompressobj(31)
                if data and not data.startswith(b"\x1f\x8b"):
                    return None  # trailing bytes that are not gzip: warcio reports them
            else:
                data = b""
    except zlib.error:
        return None
    return None if start == pos else start


def _records(iterator: ArchiveIterator) -> Iterator[tuple[ArcWarcRecord, int]]:
    """(record, byte offset) for each record; a damaged archive raises _Broken where it breaks."""
    records = iter(iterator)
    while True:
        offset = iterator.offset  # where the next record starts: the previous one has been read to its end
        try:
            record = next(records)
        except StopIteration:
            return
        except _HEADER_ERRORS as exc:
            raise _Broken(offset, _describe(exc)) from exc
        if record.rec_type not in _RECORD_TYPES or record.length is None:
            raise _Broken(offset, "a record header that is cut short or garbled")
        yield record, offset


def _finish(iterator: ArchiveIterator, record: ArcWarcRecord, offset: int) -> None:
    """Read the record to its end; raise _Broken if the archive ends or fails inside it."""
    try:
        iterator.read_to_end()
    except _ARCHIVE_ERRORS as exc:
        raise _Broken(offset, _describe(exc)) from exc
    missing = getattr(record.raw_stream, "limit", 0) or 0
    if missing > 0:
        raise _Broken(offset, f"the record is cut short: {missing:,} of its {record.length:,} bytes are missing")


def _item(record: ArcWarcRecord, offset: int, *, label: str, base_key: str, config: Config) -> Optional[Union[Article, Rejection]]:
    """The Article (or Rejection) for one record, or None for a record that is not an HTML page."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    if record.http_headers.get_statuscode() != "200":
        return None
    content_type = record.http_headers.get_header("Content-Type") or ""
    mime = content_type.split(";", 1)[0].strip().lower()
    where = f"{label}#{offset}"
    try:
        payload = record.content_stream().read(config.max_input_bytes + 1)
    except _ARCHIVE_ERRORS as exc:
        # The payload's own Content-Encoding (gzip, deflate, brotli) failing to decode; a break in the archive
        # itself shows again, and is reported, when the record is read to its end.
        return Rejection(input=where, reason=f"cannot decode the page: {_describe(exc)}", kind=MalformedRecord.kind)
    if mime not in HTML_TYPES and not (not mime and payload[:512].lstrip().lower().startswith(_HTML_START)):
        return None
    try:
        if len(payload) > config.max_input_bytes:
            raise OversizedInput(where, f"page over the limit of {config.max_input_bytes:,} bytes")
        if not payload.strip():
            raise EmptyInput(where, "empty page")
        page = decode_html(payload, where, charset=_charset(content_type))
        url = (record.rec_headers.get_header("WARC-Target-URI") or "").strip("<> ") or None
        return article_from_html(
            page,
            label=where,
            key=url or f"{base_key}#{offset}",
            url=url,
            published=iso_date(record.rec_headers.get_header("WARC-Date")),
            config=config,
            format=FORMAT,
        )
    except InputError as exc:
        return Rejection(input=where, reason=exc.reason, kind=exc.kind)


def _charset(content_type: str) -> Optional[str]:
    for part in content_type.split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _describe(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    name = type(exc).__name__
    if len(text) > 200:
        text = text[:200] + "..."
    return f"{name}: {text}" if text else name
