"""The JSON format: JSON Lines (one article object a line), or a JSON document holding one object or an
array of objects.

A record (``shared/data/news/afp_xinhua_1997_2006.jsonl``)::

    {"id": "AFP_ENG_19970401.0006", "source": "AFP", "published": "1997-04-01",
     "title": "Malaysian share market falls 1.1 percent at midday",
     "dateline": "KUALA LUMPUR, April 1 , 1997 (AFP)", "text": "Malaysian share prices dipped ..."}

Only ``text`` is required (``body`` and ``content`` are accepted for it); ``link`` is accepted for ``url``,
``date`` and ``pubdate`` for ``published``. The date is ``published`` as an ISO date, else one written in the
URL, else the dateline's "Month D, YYYY". ``source`` is the record's own (AFP), else the URL's domain.

JSON Lines are streamed a line at a time, so a file of any size reads in constant memory; a line over
``Config.max_input_bytes`` is rejected without being held whole. A JSON document (a ``.json`` file, or any
input that starts with ``[``) has to be parsed whole and is bound by ``max_input_bytes``. A ``.json`` file
that turns out to hold JSON Lines is read as such.

Where each article came from (``Article.input``): ``path:LINE`` (1-based) for JSON Lines, ``path[INDEX]``
(0-based) for an element of an array, ``path`` for a file holding one object. A bad record becomes a
Rejection with that locator and the batch goes on.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from datetime import date
from typing import Any, BinaryIO, Iterator, Optional, Union

from ..config import Config
from ..errors import BinaryInput, EmptyInput, InputError, MalformedRecord, OversizedInput
from ..records import Article, Rejection
from ._common import check_body, clean_text, date_from_url, decode_bytes, iso_date, make_article, path_key

FORMAT = "jsonl"

_TEXT_KEYS = ("text", "body", "content")
_URL_KEYS = ("url", "link")
_DATE_KEYS = ("published", "date", "pubdate")
_UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff")  # also the start of the UTF-32 little/big-endian BOMs
# How much of the input to look at for NUL bytes before calling it binary rather than JSON.
SNIFF_BYTES = 65536

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_YEAR = r"((?:19|20)\d\d)"
# "April 1 , 1997", "Nov. 8, 2005", "Dec 19 2006" (wire datelines) and "1 April 1997" (British style).
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s*{_YEAR}\b", re.I)
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\s*,?\s*{_YEAR}\b", re.I)


def read(source, config: Config) -> Iterator[Union[Article, Rejection]]:  # source: readers.Source (circular)
    head = source.head(SNIFF_BYTES)
    if head.startswith(_UTF16_32_BOMS):
        # UTF-16/32 cannot be split into lines as bytes: decode it whole (bound by max_input_bytes).
        text = decode_bytes(source.read_bytes(config), source.label)
        yield from _read_text(text, source, config)
        return
    if b"\x00" in head:
        raise BinaryInput(source.label, "binary data (NUL bytes), not JSON")
    first = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    is_json_name = source.path is not None and source.path.name.lower().endswith(".json")
    if first == b"[" or (is_json_name and first == b"{"):
        data = source.read_bytes(config)
        yield from _read_document(decode_bytes(data, source.label), source, config, data=data)
        return
    if source.path is None and first == b"{" and _is_one_document(source.read_bytes(config)):
        # Standard input is in memory already: a pretty-printed object there is one document, not lines.
        data = source.read_bytes(config)
        yield from _read_document(decode_bytes(data, source.label), source, config, data=data)
        return
    with source.open() as fh:
        yield from _read_lines(fh, source, config)


def _is_one_document(data: bytes) -> bool:
    try:
        json.loads(data)
    except (ValueError, RecursionError):  # JSONDecodeError, bytes that are not UTF-8/16/32, absurd nesting
        return False
    return True


def _read_text(text: str, source, config: Config) -> Iterator[Union[Article, Rejection]]:
    if text.lstrip()[:1] == "[" or (source.path is not None and source.path.name.lower().endswith(".json")):
        yield from _read_document(text, source, config, data=None)
    else:
        yield from _read_lines(io.BytesIO(text.encode("utf-8")), source, config)


def _read_document(text: str, source, config: Config, data: Optional[bytes]) -> Iterator[Union[Article, Rejection]]:
    """A whole JSON document: one object, or an array of objects."""
    label = source.label
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and text.lstrip().startswith("{"):
            # Several objects one after another: JSON Lines in a file named .json.
            stream = io.BytesIO(data if data is not None else text.encode("utf-8"))
            yield from _read_lines(stream, source, config)
            return
        raise MalformedRecord(label, f"not valid JSON: {_json_msg(exc)} at line {exc.lineno}, column {exc.colno}") from exc
    except RecursionError as exc:
        raise MalformedRecord(label, "JSON nested too deeply to read") from exc
    if isinstance(value, dict):
        yield _article(value, label=label, key=_file_key(source, ""), config=config)
        return
    if not isinstance(value, list):
        raise MalformedRecord(label, f"a JSON {_json_type(value)}, not an object or an array of objects")
    if not value:
        raise EmptyInput(label, "an empty JSON array")
    for index, item in enumerate(value):
        where = f"{label}[{index}]"
        try:
            if not isinstance(item, dict):
                raise MalformedRecord(where, f"a JSON {_json_type(item)}, not an object")
            yield _article(item, label=where, key=_file_key(source, f"[{index}]"), config=config)
        except InputError as exc:
            yield Rejection(input=where, reason=f"item {index}: {exc.reason}", kind=exc.kind)


def _read_lines(fh: BinaryIO, source, config: Config) -> Iterator[Union[Article, Rejection]]:
    """JSON Lines, streamed; blank lines are skipped."""
    label = source.label
    seen = 0
    for lineno, raw in _lines(fh, config.max_input_bytes):
        if raw is not None and not raw.strip():
            continue
        seen += 1
        where = f"{label}:{lineno}"
        try:
            if raw is None:
                raise OversizedInput(where, f"line over the limit of {config.max_input_bytes:,} bytes")
            record = _parse_line(raw, where, first=lineno == 1)
            yield _article(record, label=where, key=_file_key(source, f":{lineno}"), config=config)
        except InputError as exc:
            yield Rejection(input=where, reason=f"line {lineno}: {exc.reason}", kind=exc.kind)
    if not seen:
        empty = source.path is not None and _size(source) == 0
        raise EmptyInput(label, "empty file" if empty else "no JSON lines (only white space)")


def _lines(fh: BinaryIO, limit: int) -> Iterator[tuple[int, Optional[bytes]]]:
    """(line number, bytes) for each line; bytes is None for a line longer than ``limit`` (not kept)."""
    lineno = 0
    while True:
        raw = fh.readline(limit + 1)
        if not raw:
            return
        lineno += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            while True:  # skip the rest of the oversized line without holding it
                rest = fh.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield lineno, None
            continue
        yield lineno, raw


def _parse_line(raw: bytes, where: str, first: bool) -> dict[str, Any]:
    try:
        line = raw.decode("utf-8-sig" if first else "utf-8")
    except UnicodeDecodeError:
        line = decode_bytes(raw, where)  # a legacy-encoded line: cp1252/Latin-1, or BinaryInput
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        raise MalformedRecord(where, f"not valid JSON: {_json_msg(exc)} at column {exc.colno}") from exc
    except RecursionError as exc:
        raise MalformedRecord(where, "JSON nested too deeply to read") from exc
    if not isinstance(value, dict):
        raise MalformedRecord(where, f"a JSON {_json_type(value)}, not an object")
    return value


def _json_msg(exc: json.JSONDecodeError) -> str:
    """json's message without its own trailing 'at' ("Invalid control character at"): we say where."""
    return exc.msg[:-3] if exc.msg.endswith(" at") else exc.msg


def _article(record: dict[str, Any], *, label: str, key: str, config: Config) -> Article:
    """One JSON object to an Article; ``key`` is the natural key when the record has no URL or id."""
    text_key = next((k for k in _TEXT_KEYS if k in record and record[k] is not None), None)
    if text_key is None:
        null = next((k for k in _TEXT_KEYS if k in record), None)
        raise MalformedRecord(label, f"'{null}' is null, not a string" if null else "no 'text' field")
    raw_text = record[text_key]
    if not isinstance(raw_text, str):
        raise MalformedRecord(label, f"'{text_key}' is a JSON {_json_type(raw_text)}, not a string")
    text = clean_text(raw_text)
    check_body(text, label, config)
    url = _string(record, _URL_KEYS)
    source_id = _record_id(record.get("id"))
    dateline = _string(record, ("dateline",))
    published_raw = _string(record, _DATE_KEYS)
    given = iso_date(published_raw) or date_from_dateline(published_raw)  # "April 1, 1997" written out
    published = given or date_from_url(url) or date_from_dateline(dateline)
    warnings: tuple[str, ...] = ()
    if published_raw and not given:
        date_key = next(k for k in _DATE_KEYS if _string(record, (k,)) == published_raw)
        fallback = (f"the date {published} from its {'URL' if published == date_from_url(url) else 'dateline'} is used"
                    if published else "it is stored without a date")
        warnings = (f"{label}: '{date_key}' is {published_raw[:40]!r}, not a valid date (YYYY-MM-DD): {fallback}",)
    article = make_article(
        text=text,
        input=label,
        format=FORMAT,
        key=url or source_id or key,
        url=url,
        source=_string(record, ("source",)),  # None: make_article falls back to the URL's domain
        published=published,
        title=_string(record, ("title",)),
        dateline=dateline,
        source_id=source_id,
    )
    return replace(article, warnings=warnings) if warnings else article


def date_from_dateline(dateline: Optional[str]) -> Optional[str]:
    """The date in a wire dateline ("KUALA LUMPUR, April 1 , 1997 (AFP)") as an ISO date, else None."""
    if not dateline:
        return None
    m = _MONTH_DAY_YEAR.search(dateline)
    if m:
        month, day, year = m.group(1), m.group(2), m.group(3)
    else:
        m = _DAY_MONTH_YEAR.search(dateline)
        if not m:
            return None
        day, month, year = m.group(1), m.group(2), m.group(3)
    try:
        return date(int(year), _MONTHS[month[:3].lower()], int(day)).isoformat()
    except ValueError:  # "Feb 30, 1997"
        return None


def _record_id(value: Any) -> Optional[str]:
    """A record's own id: a string or an integer (``"id": 17``); anything else is not an id."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    return str(value).strip() or None


def _string(record: dict[str, Any], keys: tuple[str, ...]) -> Optional[str]:
    """The first of ``keys`` holding a non-empty string; other JSON types are ignored."""
    for k in keys:
        v = record.get(k)
        if isinstance(v, str) and v.strip():
            return v.strip()
    return None


def _file_key(source, locator: str) -> str:
    """Natural key of a record with no URL or id: the file's resolved path (the label for stdin) plus where
    in it the record sits, so two records with the same text in one file stay two articles."""
    base = path_key(source.path) if source.path is not None else source.label
    return base + locator


def _size(source) -> int:
    try:
        return source.path.stat().st_size
    except OSError:
        return -1


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if value is None:
        return "null"
    return {dict: "object", list: "array", str: "string", int: "number", float: "number"}.get(type(value), "value")
