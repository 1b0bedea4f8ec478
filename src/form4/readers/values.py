"""Converters from the text of a filing's value to typed values.

Each raises ``ValueError`` on text it cannot read; readers turn that into a warning on
the field, so one bad value never costs the rest of the filing.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

_DATE_LOOSE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_from_iso: Final = dt.date.fromisoformat  # looked up once: most values are ISO dates


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
    if result - result != 0.0:  # inf or nan: math.isfinite, without a call into the math module
        raise ValueError(f"not a finite number: {value!r}")
    return result


def date(raw: str) -> dt.date | None:
    """ISO date; a time-zone suffix (``2005-03-01-05:00``) or a time part is dropped."""
    value = raw.strip()
    if not value:
        return None
    try:
        return _from_iso(value[:10])
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
    if value == "1" or value == "true":  # what nearly every filing writes, told without hashing
        return True
    if value == "0" or value == "false":
        return False
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
