"""Converters from the text of a filing's value to typed values.

Each raises ``ValueError`` on text it cannot read; readers turn that into a warning on
the field, so one bad value never costs the rest of the filing.
"""

from __future__ import annotations

import datetime as dt
import math
import re

_DATE_LOOSE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def text(raw: str) -> str | None:
    value = raw.strip()
    return value or None


def code(raw: str) -> str | None:
    value = raw.strip().upper()
    return value or None


def number(raw: str) -> float | None:
    value = raw.strip()
    if not value:
        return None
    try:
        result = float(value)
    except ValueError:
        result = float(value.replace(",", "").replace("$", ""))
    if not math.isfinite(result):
        raise ValueError(f"not a finite number: {value!r}")
    return result


def date(raw: str) -> dt.date | None:
    """ISO date; a time-zone suffix (``2005-03-01-05:00``) or a time part is dropped."""
    value = raw.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        match = _DATE_LOOSE.match(value)
        if match is None:
            raise ValueError(f"not a date: {value!r}") from None
        year, month, day = (int(g) for g in match.groups())
        return dt.date(year, month, day)


_TRUE = frozenset({"1", "true", "yes", "y"})
_FALSE = frozenset({"0", "false", "no", "n"})


def boolean(raw: str) -> bool | None:
    value = raw.strip().lower()
    if not value:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"not a boolean: {raw.strip()!r}")


def cik(raw: str) -> str | None:
    """A CIK as 10 digits with leading zeros."""
    value = raw.strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 10:
        raise ValueError(f"not a CIK: {value!r}")
    return value.zfill(10)
