"""What a store holds, comparable across stores: every table's rows, sorted, without the
times rows were written."""

from __future__ import annotations

from typing import Any

from form4.store import TABLE_NAMES, Store

_WRITTEN_AT = {"recorded_at", "quarantined_at", "synced_at"}


def snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    tables: dict[str, list[tuple[Any, ...]]] = {}
    for name in TABLE_NAMES:
        rows = store.arrow(f"SELECT * FROM {name}").to_pylist()
        tables[name] = sorted((tuple((k, v) for k, v in row.items() if k not in _WRITTEN_AT) for row in rows),
                              key=repr)
    return tables
