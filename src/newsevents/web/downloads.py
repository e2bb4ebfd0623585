"""Downloads: every matching row of a listing as CSV or JSON, streamed as the store is read.

- CSV follows RFC 4180: a header row, fields separated by commas, CRLF line ends, a field quoted when it
  holds a comma, a quote or a line break, and quotes inside doubled. It is UTF-8 without a byte-order mark.
  Dates are ISO, ``event_id`` is text (as in the JSON), an empty cell is null, true/false are booleans, and a
  list is its JSON.
- A text cell (not an id: event ids are negative as often as not) that starts with ``=``, ``+``, ``-``, ``@`` or a tab (an article's words, which anyone can
  write) gets a leading apostrophe, so that a spreadsheet shows it as text rather than running it as a
  formula (OWASP's advice on CSV injection). Numbers are never changed; the JSON download keeps every
  string as stored.
- JSON is one array of row objects, encoded as the API encodes rows (``encoding.plain``).

``X-Total-Count`` says how many rows the file will hold.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Iterable, Iterator, Optional, Sequence

from fastapi import Request
from fastapi.responses import StreamingResponse

from .encoding import STRING_ID_KEYS, plain

CSV_TYPE = "text/csv; charset=utf-8; header=present"
JSON_TYPE = "application/json"
# Rows encoded per piece sent: small enough that the first bytes leave at once, large enough that a big
# download is not thousands of tiny writes.
ROWS_PER_PIECE = 500
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def wanted(fmt: Optional[str], request: Request) -> Optional[str]:
    """The download a request asks for: ``csv`` or ``json`` from ``format``, else ``csv`` when its Accept
    header names text/csv; None for a page of JSON."""
    if fmt:
        return fmt
    accept = request.headers.get("accept", "")
    return "csv" if any(part.split(";")[0].strip() == "text/csv" for part in accept.split(",")) else None


def cell(value: Any, guard: bool = True) -> str:
    """One value as a CSV field's text (before quoting); ``guard``: a text that a spreadsheet would run as a
    formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, str):
        return "'" + value if guard and value.startswith(_FORMULA_STARTS) else value
    return str(value)


def _pieces(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    piece: list[dict[str, Any]] = []
    for row in rows:
        piece.append(row)
        if len(piece) >= ROWS_PER_PIECE:
            yield piece
            piece = []
    if piece:
        yield piece


def csv_bytes(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> Iterator[bytes]:
    """The header row, then the rows, as RFC 4180 CSV in UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    yield buffer.getvalue().encode("utf-8")
    for piece in _pieces(rows):
        buffer.seek(0)
        buffer.truncate()
        for row in piece:
            p = plain(row)
            writer.writerow([cell(p.get(c), c not in STRING_ID_KEYS) for c in columns])
        yield buffer.getvalue().encode("utf-8")


def json_bytes(rows: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """The rows as one JSON array, a piece at a time."""
    yield b"["
    first = True
    for piece in _pieces(rows):
        text = ",".join(json.dumps(plain(r), ensure_ascii=False, allow_nan=False, separators=(",", ":")) for r in piece)
        yield (text if first else "," + text).encode("utf-8")
        first = False
    yield b"]"


def download(rows: Iterable[dict[str, Any]], columns: Sequence[str], kind: str, name: str,
             total: int) -> StreamingResponse:
    """A streamed download of ``rows`` (``kind`` csv or json) named newsevents-<name>.<kind>."""
    body = csv_bytes(rows, columns) if kind == "csv" else json_bytes(rows)
    return StreamingResponse(body, media_type=CSV_TYPE if kind == "csv" else JSON_TYPE, headers={
        "Content-Disposition": f'attachment; filename="newsevents-{name}.{kind}"', "X-Total-Count": str(total)})
