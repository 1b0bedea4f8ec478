"""The two engines behind a Store: an embedded DuckDB file and a PostgreSQL server.

Both load a batch of filings the same way, inside one transaction, so a crash leaves each
filing either wholly stored or not at all: the batch's rows go to staging tables (DuckDB:
Arrow tables it scans in place; PostgreSQL: COPY), filings are inserted unless their key is
already there, and the other tables take only the rows of the filings that were new.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from form4.store.schema import KEYS, LINK_AMENDMENTS, QUARANTINE, TABLES, Columns, ddl

Rows = dict[str, list[tuple[Any, ...]]]
_ARROW = {"text": pa.string(), "int": pa.int32(), "float": pa.float64(), "bool": pa.bool_(), "date": pa.date32(),
          "timestamp": pa.timestamp("us", tz="UTC"), "bytes": pa.binary()}
_CHILDREN = [t for t in TABLES if t != "filings"]


def arrow_table(columns: Columns, rows: Sequence[tuple[Any, ...]]) -> pa.Table:
    names = [name for name, _ in columns]
    data = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    return pa.Table.from_arrays([pa.array(list(col), type=_ARROW[kind]) for col, (_, kind) in zip(data, columns,
                                                                                              strict=True)],
                                names=names)


class Engine:
    """What the Store needs from a database."""

    dialect = ""

    def query(self, sql: str, params: Sequence[Any] = ()) -> pa.Table:
        raise NotImplementedError

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        raise NotImplementedError

    def write(self, rows: Rows, quarantine: list[tuple[Any, ...]]) -> int:
        """Store a batch in one transaction; the number of filings that were new."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class DuckDB(Engine):
    dialect = "duckdb"

    def __init__(self, path: str) -> None:
        import duckdb

        if path != ":memory:":
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        self.con = duckdb.connect(path)
        for statement in ddl(self.dialect):
            self.con.execute(statement)

    def query(self, sql: str, params: Sequence[Any] = ()) -> pa.Table:
        relation = self.con.sql(sql, params=list(params)) if params else self.con.sql(sql)
        if relation is None:  # a statement, not a query
            return pa.table({})
        result: pa.Table = relation.to_arrow_table()
        return result

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.con.execute(sql, list(params))

    def write(self, rows: Rows, quarantine: list[tuple[Any, ...]]) -> int:
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            for table, columns in TABLES.items():
                con.register(f"stage_{table}", arrow_table(columns, rows[table]))
            new = con.execute("INSERT INTO filings SELECT * FROM stage_filings ON CONFLICT DO NOTHING "
                              "RETURNING accession_number").fetchall()
            con.register("new_keys", pa.table({"accession_number": pa.array([k for (k,) in new], pa.string())}))
            for table in _CHILDREN:
                con.execute(f"INSERT INTO {table} SELECT * FROM stage_{table} "
                            "WHERE accession_number IN (SELECT accession_number FROM new_keys)")
            if quarantine:
                con.register("stage_quarantine", arrow_table(QUARANTINE, quarantine))
                con.execute("INSERT INTO quarantine SELECT * FROM stage_quarantine ON CONFLICT DO NOTHING")
            con.execute(LINK_AMENDMENTS)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            for name in (*(f"stage_{t}" for t in TABLES), "new_keys", "stage_quarantine"):
                with contextlib.suppress(Exception):  # a view that was never registered
                    con.unregister(name)
        return len(new)

    def close(self) -> None:
        self.con.close()


class Postgres(Engine):
    dialect = "postgres"

    def __init__(self, url: str) -> None:
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True)
        with self.conn.transaction():
            # one ingest at a time may create the schema
            self.conn.execute("SELECT pg_advisory_xact_lock(4444)")
            for statement in ddl(self.dialect):
                self.conn.execute(statement)

    def query(self, sql: str, params: Sequence[Any] = ()) -> pa.Table:
        with self.conn.cursor() as cur:
            cur.execute(sql, list(params) or None)
            if cur.description is None:
                return pa.table({})
            names = [d.name for d in cur.description]
            rows = cur.fetchall()
        columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
        return pa.table({name: pa.array([_plain(v) for v in col]) for name, col in zip(names, columns, strict=True)})

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.conn.execute(sql, list(params) or None)

    def write(self, rows: Rows, quarantine: list[tuple[Any, ...]]) -> int:
        with self.conn.transaction(), self.conn.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(4445)")  # writers take turns; readers do not wait
            for table, columns in (*TABLES.items(), ("quarantine", QUARANTINE)):
                cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS stage_{table} (LIKE {table}) ON COMMIT DELETE ROWS")
                data = quarantine if table == "quarantine" else rows[table]
                if not data:
                    continue
                names = ", ".join(name for name, _ in columns)
                with cur.copy(f"COPY stage_{table} ({names}) FROM STDIN") as copy:
                    for row in data:
                        copy.write_row(row)
            cur.execute("INSERT INTO filings SELECT * FROM stage_filings ON CONFLICT DO NOTHING "
                        "RETURNING accession_number")
            new = [key for (key,) in cur.fetchall()]
            for table in _CHILDREN:
                cur.execute(f"INSERT INTO {table} SELECT s.* FROM stage_{table} s "
                            "WHERE s.accession_number = ANY(%s)", [new])
            cur.execute(f"INSERT INTO quarantine SELECT * FROM stage_quarantine ON CONFLICT ({KEYS['quarantine']}) "
                        "DO NOTHING")
            cur.execute(LINK_AMENDMENTS)
        return len(new)

    def close(self) -> None:
        self.conn.close()


def _plain(value: Any) -> Any:
    """Values Arrow takes as they are (PostgreSQL hands back Decimal for numerics)."""
    if isinstance(value, (int, float, str, bytes, bool, dt.date, dt.datetime)) or value is None:
        return value
    return float(value) if hasattr(value, "__float__") else str(value)


def connect(url: str) -> Engine:
    """``postgresql://…`` for PostgreSQL; anything else is a DuckDB file (``duckdb:///path`` too)."""
    if url.startswith(("postgresql://", "postgres://")):
        return Postgres(url)
    return DuckDB(url[len("duckdb://"):] if url.startswith("duckdb://") else url)
