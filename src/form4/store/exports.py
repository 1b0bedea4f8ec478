"""A flat view of the store written as CSV, JSON lines or Parquet."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

FORMATS = ("csv", "jsonl", "parquet")


def write(table: pa.Table, format: str, out: str | os.PathLike[str] | None) -> int:
    """Write ``table``; standard output when ``out`` is None (not for Parquet). The rows written."""
    if format == "parquet":
        if out is None:
            raise ValueError("Parquet is binary: give --out")
        pq.write_table(table, str(out))
    elif format == "csv":
        if out is None:
            sink = pa.BufferOutputStream()
            pa_csv.write_csv(table, sink)
            sys.stdout.write(sink.getvalue().to_pybytes().decode())
        else:
            pa_csv.write_csv(table, str(out))
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
