"""The two engines behind a Store: an embedded DuckDB file and a PostgreSQL server.

Both load a batch of filings the same way, inside one transaction, so a crash leaves each
filing either wholly stored or not at all: the batch's rows go to staging tables (DuckDB:
Arrow tables it scans in place; PostgreSQL: COPY), filings are inserted unless their key is
already there, and the other tables take only the rows of the filings that were new.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from form4.errors import QueryError, StoreConnectionError
from form4.store.schema import KEYS, LINK_AMENDMENTS, QUARANTINE, TABLES, Columns, ddl
from form4.store.sql import pyformat

Rows = dict[str, list[tuple[Any, ...]]]
Params = Sequence[Any] | Mapping[str, Any]  # positional (? on DuckDB, %s on PostgreSQL) or named ($name)
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

    def query(self, sql: str, params: Params = ()) -> pa.Table:
        """One statement's result; a QueryError (one line) when the database refuses it."""
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

    def __init__(self, path: str, *, read_only: bool = False) -> None:
        import duckdb

        self.path = path
        if read_only:
            self.con = _open_duckdb_to_read(path)
            return
        if path != ":memory:":
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(path)
        except duckdb.Error as exc:
            raise StoreConnectionError(f"cannot open the store {path}: {one_line(exc)}") from None
        for statement in ddl(self.dialect):
            self.con.execute(statement)

    def query(self, sql: str, params: Params = ()) -> pa.Table:
        import duckdb

        try:
            relation = self.con.sql(sql, params=_duck_params(params)) if params else self.con.sql(sql)
            if relation is None:  # a statement, not a query
                return pa.table({})
            result: pa.Table = relation.to_arrow_table()
        except duckdb.Error as exc:
            raise QueryError(one_line(exc)) from None
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

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        import psycopg

        self.url = url
        self.conn = _connect_postgres(url)
        schema = _schema(self.conn, url, create=not read_only)
        if read_only:
            # Every statement runs in a transaction begun READ ONLY (psycopg's BEGIN takes this flag).
            self.conn.read_only = True
            if self.conn.execute("SELECT to_regclass('filings')").fetchone() == (None,):
                raise StoreConnectionError(f"no form4 store in schema {schema} at {masked(url)}: "
                                           "`form4 ingest PATH --db URL` makes one")
            return
        try:
            with self.conn.transaction():
                # one ingest at a time may create the schema
                self.conn.execute("SELECT pg_advisory_xact_lock(4444)")
                for statement in ddl(self.dialect):
                    self.conn.execute(statement)
        except psycopg.Error as exc:
            raise StoreConnectionError(f"cannot create the store's tables in schema {schema} at {masked(url)}: "
                                       f"{one_line(exc)}") from None

    def query(self, sql: str, params: Params = ()) -> pa.Table:
        import psycopg

        named = isinstance(params, Mapping)
        try:
            with self.conn.transaction(), self.conn.cursor() as cur:
                if named:  # prepared on the server: one statement per call, never several
                    cur.execute(pyformat(sql), dict(params), prepare=True)
                else:
                    cur.execute(sql, list(params) or None)
                if cur.description is None:
                    return pa.table({})
                names = [d.name for d in cur.description]
                rows = cur.fetchall()
        except psycopg.Error as exc:
            raise QueryError(one_line(exc)) from None
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


def _duck_params(params: Params) -> Any:
    return dict(params) if isinstance(params, Mapping) else list(params)


def _plain(value: Any) -> Any:
    """Values Arrow takes as they are (PostgreSQL hands back Decimal for numerics)."""
    if isinstance(value, (int, float, str, bytes, bool, dt.date, dt.datetime)) or value is None:
        return value
    return float(value) if hasattr(value, "__float__") else str(value)


def connect(url: str, *, read_only: bool = False) -> Engine:
    """``postgresql://…`` for PostgreSQL; anything else is a DuckDB file (``duckdb:///path`` too).
    ``read_only`` opens an existing store for reading only, and refuses one that is not there."""
    if url.startswith(("postgresql://", "postgres://")):
        return Postgres(url, read_only=read_only)
    return DuckDB(url[len("duckdb://"):] if url.startswith("duckdb://") else url, read_only=read_only)


def one_line(exc: BaseException) -> str:
    """A database's error as one line: its message and hint, without the caret drawings."""
    diag = getattr(exc, "diag", None)
    if diag is not None and diag.message_primary:
        parts = [diag.message_primary, diag.message_detail, diag.message_hint]
    else:
        parts = [line for line in str(exc).splitlines() if not line.lstrip().startswith(("LINE ", "^"))]
    return " ".join(" ".join(p.split()) for p in parts if p and p.strip())


def masked(url: str) -> str:
    """The URL without its password, fit to print."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def _open_duckdb_to_read(path: str) -> Any:
    import duckdb

    if path == ":memory:" or not Path(path).expanduser().is_file():
        raise StoreConnectionError(f"no store at {path}: `form4 ingest PATH --db {path}` makes one")
    try:
        # No file outside the store may be read or written (COPY … TO, read_csv, ATTACH).
        con = duckdb.connect(str(Path(path).expanduser()), read_only=True,
                             config={"enable_external_access": False})
    except duckdb.Error as exc:
        raise StoreConnectionError(f"cannot open the store {path}: {one_line(exc)}") from None
    if con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'filings'").fetchall() == [(0,)]:
        con.close()
        raise StoreConnectionError(f"{path} is a DuckDB file but holds no form4 store")
    return con


def _connect_postgres(url: str) -> Any:
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    try:
        options = conninfo_to_dict(url)
    except psycopg.Error as exc:
        raise StoreConnectionError(f"not a PostgreSQL URL ({masked(url)}): {one_line(exc)}; "
                                   "expected postgresql://user:password@host:port/database") from None
    options.setdefault("connect_timeout", 10)  # a host that never answers is an error, not a hang
    try:
        return psycopg.connect(**options, autocommit=True)  # type: ignore[arg-type]
    except psycopg.Error as exc:
        message = one_line(exc).removeprefix("connection failed: ")
        raise StoreConnectionError(f"cannot connect to {masked(url)}: {message}") from None


def _schema(conn: Any, url: str, *, create: bool) -> str:
    """The schema the store lives in; the first of a ``search_path`` that names none that exist
    is created when the store is to be written (and the role may), or reported."""
    current, path = conn.execute("SELECT current_schema(), current_setting('search_path')").fetchone()
    if current is not None:
        return str(current)
    wanted = next((name.strip().strip('"') for name in path.split(",") if name.strip() != '"$user"'), "")
    if not wanted:
        raise StoreConnectionError(f"search_path of {masked(url)} is empty: add ?options=-csearch_path%3Dform4")
    if not create:
        raise StoreConnectionError(f"schema {wanted} does not exist at {masked(url)}: "
                                   "`form4 ingest PATH --db URL` creates it with the store")
    import psycopg

    try:
        conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{wanted}"')
    except psycopg.Error as exc:
        raise StoreConnectionError(
            f"schema {wanted} does not exist at {masked(url)} and this role cannot create it ({one_line(exc)}): "
            f'have its owner run CREATE SCHEMA "{wanted}" AUTHORIZATION <role>') from None
    return wanted
