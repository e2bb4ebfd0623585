"""Rows (lists of dicts) to text: an aligned table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from typing import Any, Sequence

FORMATS = ("table", "csv", "json")
# Widest a table cell may be before it is cut with an ellipsis: wide enough for a headline or evidence
# snippet, narrow enough that a row fits a terminal of ~200 columns.
MAX_CELL = 60


def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def to_json(data: Any, indent: int | None = 2) -> str:
    return json.dumps(data, indent=indent, ensure_ascii=False, default=_json_default)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    s = " ".join(str(value).split())
    return s if len(s) <= MAX_CELL else s[: MAX_CELL - 1] + "…"


def render(rows: Sequence[dict[str, Any]], fmt: str = "table") -> str:
    if fmt == "json":
        return to_json(list(rows))
    if not rows:
        return "" if fmt == "csv" else "(no rows)"
    cols = list(rows[0].keys())
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow({k: (v.isoformat() if isinstance(v, (date, datetime)) else v) for k, v in r.items()})
        return buf.getvalue().rstrip("\n")
    cells = [[_cell(r.get(c)) for c in cols] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(cols)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines)


def render_mapping(data: dict[str, Any], fmt: str = "table") -> str:
    """A flat or one-level-nested mapping (``stats``) as key/value lines, CSV or JSON."""
    if fmt == "json":
        return to_json(data)
    flat: list[tuple[str, Any]] = []
    for k, v in data.items():
        if isinstance(v, dict):
            flat += [(f"{k}.{kk}", vv) for kk, vv in v.items()] or [(k, "")]
        else:
            flat.append((k, v))
    if fmt == "csv":
        return render([{"key": k, "value": v} for k, v in flat], "csv")
    width = max(len(k) for k, _ in flat)
    return "\n".join(f"{k.ljust(width)}  {f'{v:,}' if isinstance(v, int) else _cell(v)}" for k, v in flat)
