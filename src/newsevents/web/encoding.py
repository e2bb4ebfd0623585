"""Rows from the query layer to JSON the browser can use without loss.

- Dates and times become ISO strings.
- ``event_id`` (a 64-bit content hash) becomes a string: JavaScript numbers hold integers exactly only up to
  2**53, so 5205285722893003552 would arrive as 5205285722893003500 and name another event.
- NaN and infinities (an average over no rows) become null: they are not JSON.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from fastapi.responses import JSONResponse

# Keys whose integer values are ids too wide for a JavaScript number; sent as strings.
STRING_ID_KEYS = frozenset({"event_id"})


def plain(value: Any) -> Any:
    """``value`` as JSON-ready Python data (dicts, lists, str, int, float, bool, None)."""
    if isinstance(value, dict):
        return {str(k): (str(v) if k in STRING_ID_KEYS and isinstance(v, int) else plain(v)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return plain(float(value))
    return str(value)


class ApiJSON(JSONResponse):
    """A JSON response rendered through ``plain`` (UTF-8, compact)."""

    def render(self, content: Any) -> bytes:
        return json.dumps(plain(content), ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
