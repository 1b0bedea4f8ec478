"""A flat view of the store written as CSV (``form4.writers.csv``, as every CSV of form4), JSON lines or
Parquet."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from form4.writers.csv import write_csv

FORMATS = ("csv", "jsonl", "parquet")


def write(table: pa.Table, format: str, out: str | os.PathLike[str] | None) -> int:
    """Write ``table``; standard output when ``out`` is None (not for Parquet). The rows written."""
    if format == "parquet":
        if out is None:
            raise ValueError("Parquet is binary: give --out")
        pq.write_table(table, str(out))
    elif format == "csv":  # the project's one CSV (form4.writers.csv), a batch of rows at a time
        records = (row for batch in table.to_batches() for row in batch.to_pylist())
        if out is None:
            write_csv(records, sys.stdout, table.column_names)
        else:
            with Path(out).open("w", encoding="utf-8", newline="") as stream:
                write_csv(records, stream, table.column_names)
    elif format == "jsonl":
        lines = (json.dumps(row, default=_json) + "\n" for row in table.to_pylist())
        if out is None:
            sys.stdout.writelines(lines)
        else:
            with Path(out).open("w", encoding="utf-8") as stream:
                stream.writelines(lines)
    else:
        raise ValueError(f"no export format {format!r}: one of {', '.join(FORMATS)} or sec-dataset")
    rows: int = table.num_rows
    return rows


def _json(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
