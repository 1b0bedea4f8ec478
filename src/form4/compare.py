"""Field-by-field comparison of records, as the corpus truth files are judged.

Every leaf of the expected record must be equal in the actual one: numbers numerically,
text with runs of whitespace collapsed, lists of rows position by position.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any


def leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every leaf of a record with its path (``reporting_owners[0].name``)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list) and value and all(isinstance(v, (dict, list)) for v in value):
        for index, item in enumerate(value):
            yield from leaves(item, f"{path}[{index}]")
    else:
        yield path, value


def lookup(record: Any, path: str) -> tuple[bool, Any]:
    """The value at ``path``, and whether the path exists."""
    for part in path.replace("[", ".[").split("."):
        if part.startswith("["):
            index = int(part[1:-1])
            if not isinstance(record, list) or index >= len(record):
                return False, None
            record = record[index]
        elif part:
            if not isinstance(record, dict) or part not in record:
                return False, None
            record = record[part]
    return True, record


def same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return math.isclose(expected, actual, rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(expected, str) and isinstance(actual, str):
        return " ".join(expected.split()) == " ".join(actual.split())
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(same(e, a) for e, a in zip(expected, actual, strict=True))
    return bool(expected == actual)


def mismatches(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """One line per expected field the actual record does not reproduce."""
    out = []
    for path, value in leaves(expected):
        found, got = lookup(actual, path)
        if not found:
            out.append(f"{path}: expected {value!r}, missing")
        elif not same(value, got):
            out.append(f"{path}: expected {value!r}, got {got!r}")
    return out


def flagged(record: dict[str, Any], path: str) -> bool:
    """Whether the record warns about ``path`` or gives it a confidence below 0.9."""
    def covers(field: str) -> bool:
        return path == field or path.startswith((field + ".", field + "["))

    if any(covers(str(w.get("field"))) for w in record.get("warnings") or []):
        return True
    return any(covers(k) and v < 0.9 for k, v in (record.get("confidence") or {}).items())
