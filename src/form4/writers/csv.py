"""CSV, one way for the whole project: ``parse -f csv``, ``query``/``report``/``screen -f csv``,
``export`` and the API's CSV answers all write through here, so one set of rows reads the same
from each.

- a header always, even when there are no rows (the columns the rows would have);
- empty for a missing value (None, NaN);
- booleans as ``true`` and ``false`` (as JSON, DuckDB and Arrow write them);
- numbers exactly, in the fewest digits that read back as the same number: whole numbers without
  ``.0`` (``2584``), others as Python's shortest repr (``0.1``, ``11371931.298``), decimals as
  given, never in exponent notation and never rounded;
- dates and times in ISO 8601 (``2024-03-01``, ``2024-03-01T16:05:00+00:00``);
- lists and mappings (footnotes, buyers, roles) as JSON in one cell;
- RFC 4180 quoting, lines ending in ``\\n``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TextIO

_EXACT_INTEGERS = 2 ** 53  # beyond this a float's whole value is not the number it was read from


def cell(value: Any) -> str:
    """One value as its CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, Decimal):
        return _decimal(value)
    if isinstance(value, dt.date):  # datetimes too
        return value.isoformat()
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple | Mapping):
        return json.dumps(value, default=_json, ensure_ascii=False)
    return str(value)


def _float(value: float) -> str:
    if math.isnan(value):
        return ""
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if value.is_integer() and abs(value) < _EXACT_INTEGERS:
        return str(int(value))
    text = repr(value)  # the shortest that reads back the same
    if "e" in text:  # 1e-07, 1.5e+16: written out
        text = format(Decimal(text), "f")
    return text


def _decimal(value: Decimal) -> str:
    if value.is_nan():
        return ""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value, "f")


def _json(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


def write_csv(rows: Iterable[Mapping[str, Any]], out: TextIO, columns: Sequence[str] | None = None, *,
              if_empty: Sequence[str] = ()) -> int:
    """Write ``rows`` as CSV with a header; the rows written. The header is ``columns`` when given
    (a row's other keys are left out, its missing ones empty), else the first row's keys, else
    (no rows) ``if_empty``: the columns the rows would have had."""
    writer = csv.writer(out, lineterminator="\n")
    iterator = iter(rows)
    first = next(iterator, None)
    header = list(columns if columns is not None else first if first is not None else if_empty)
    writer.writerow(header)
    if first is None:
        return 0
    count = 0
    for row in itertools.chain([first], iterator):
        writer.writerow([cell(row.get(name)) for name in header])
        count += 1
    return count


def csv_text(rows: Iterable[Mapping[str, Any]], columns: Sequence[str] | None = None, *,
             if_empty: Sequence[str] = ()) -> str:
    """``write_csv`` into a string (an API answer)."""
    out = io.StringIO()
    write_csv(rows, out, columns, if_empty=if_empty)
    return out.getvalue()


__all__ = ["cell", "csv_text", "write_csv"]
