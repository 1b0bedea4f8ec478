"""The two engines behind a Store: an embedded DuckDB file and a PostgreSQL server.

Both load a batch of filings the same way, inside one transaction, so a crash leaves each
filing either wholly stored or not at all: the batch's rows go to staging tables (DuckDB:
Arrow tables it scans in place; PostgreSQL: COPY), and form4.store.placing moves them from
there into the tables: new filings, more exact readings of stored ones, every reading recorded.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from form4.errors import QueryError, StoreConnectionError
from form4.extras import require
from form4.store.schema import (
    ALL_FILINGS,
    CLUSTER_ORDER,
    COPIES_UNFILLED,
    UNFILLED,
    Columns,
    column_defs,
    current_rows_indexes,
    current_rows_of,
    ddl,
    fill_page_copies,
    page_copies,
)
from form4.store.sql import pyformat

if TYPE_CHECKING:  # pyarrow and the write's modules load when used: a report on DuckDB reads without them
    import pyarrow as pa

    from form4.store.placing import Outcome
    from form4.store.records import Pending

Params = Sequence[Any] | Mapping[str, Any]  # positional (? on DuckDB, %s on PostgreSQL) or named ($name)
Staged: TypeAlias = "pa.Table | Sequence[tuple[Any, ...]]"
# DuckDB's memory while it stores many batches as one write (Engine.write_all): beyond it, what the
# transaction holds goes to disk; the Arrow tables the batches come in are the reader's, besides
WRITE_ALL_MEMORY = 256 << 20


class Engine:
    """What the Store needs from a database."""

    dialect = ""
    mark = ""  # the positional parameter: ? on DuckDB, %s on PostgreSQL
    # the copies of current_rows in page order the store holds (form4.store.schema.PAGE_COPIES): a
    # DuckDB file made by an earlier version and opened read-only has none, and its pages read current_rows
    copies: frozenset[str] = frozenset()

    def query(self, sql: str, params: Params = ()) -> pa.Table:
        """One statement's result; a QueryError (one line) when the database refuses it."""
        raise NotImplementedError

    def dicts(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        """One query's (small) result as a dict a row: a page an API request sends."""
        rows: list[dict[str, Any]] = self.query(sql, params).to_pylist()
        return rows

    def batches(self, sql: str, params: Params = (), rows: int = 100_000) -> Iterator[pa.Table]:
        """One query's result ``rows`` at a time, for results too big to hold at once."""
        raise NotImplementedError

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        raise NotImplementedError

    def interrupt(self) -> None:
        """Stop the query running now (from another thread); it fails with a QueryError."""

    def cluster(self) -> None:
        """Put ``current_rows`` in the order its answers read it by (form4.store.Store.cluster)."""

    def write(self, pending: Pending, quarantine: list[tuple[Any, ...]]) -> Outcome:
        """Store a batch in one transaction (form4.store.placing says where each reading goes)."""
        raise NotImplementedError

    def write_all(self, batches: Iterable[Pending], done: Callable[[int], None] | None = None) -> Outcome:
        """Store many batches as one write, in one transaction (form4.store.placing.write_all)."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class DuckDB(Engine):
    dialect = "duckdb"
    mark = "?"

    def __init__(self, path: str, *, read_only: bool = False) -> None:
        import duckdb

        if read_only:
            self.con = _open_duckdb_to_read(path)
            self.copies = self._copies()
            return
        if path != ":memory:":
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(path)
            for setting in _SETTINGS:
                self.con.execute(setting)
        except duckdb.Error as exc:
            raise StoreConnectionError(held(path, exc, reading=False) or
                                       f"cannot open the store {path}: {one_line(exc)}") from None
        for statement in ddl(self.dialect):
            self.con.execute(statement)
        if self.con.execute(UNFILLED).fetchall() == [(True,)]:
            self.con.execute(current_rows_of(self.dialect, ALL_FILINGS))
        if self.con.execute(COPIES_UNFILLED).fetchall() == [(True,)]:
            for statement in fill_page_copies(self.dialect):
                self.con.execute(statement)
        self.copies = self._copies()

    def _copies(self) -> frozenset[str]:
        found = self.con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = current_schema()"
                                 ).fetchall()
        return frozenset(name for (name,) in found) & set(page_copies(self.dialect))

    def dicts(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        # Python's values straight from the result: through Arrow and back costs as much as a page's query
        import duckdb

        try:
            cursor = self.con.execute(sql, _duck_params(params)) if params else self.con.execute(sql)
            names = [column[0] for column in cursor.description or ()]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        except duckdb.Error as exc:
            raise QueryError(one_line(exc)) from None

    def query(self, sql: str, params: Params = ()) -> pa.Table:
        import duckdb
        import pyarrow as pa

        try:
            relation = self.con.sql(sql, params=_duck_params(params)) if params else self.con.sql(sql)
            if relation is None:  # a statement, not a query
                return pa.table({})
            result: pa.Table = relation.to_arrow_table()
        except duckdb.Error as exc:
            raise QueryError(one_line(exc)) from None
        return result

    def batches(self, sql: str, params: Params = (), rows: int = 100_000) -> Iterator[pa.Table]:
        import duckdb
        import pyarrow as pa

        try:
            reader = self.con.sql(sql, params=_duck_params(params)).to_arrow_reader(rows)
            for batch in reader:
                yield pa.Table.from_batches([batch])
        except duckdb.Error as exc:
            raise QueryError(one_line(exc)) from None

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.con.execute(sql, list(params))

    def interrupt(self) -> None:
        self.con.interrupt()

    def cluster(self) -> None:
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:  # the table written anew in order, its indexes with it; what is read meanwhile is the old one
            con.execute(f"CREATE OR REPLACE TABLE current_rows AS SELECT * FROM current_rows ORDER BY {CLUSTER_ORDER}")
            for statement in current_rows_indexes(self.dialect):
                con.execute(statement)
            for statement in fill_page_copies(self.dialect):
                con.execute(statement)
            con.execute("DELETE FROM clustering")
            con.execute("INSERT INTO clustering SELECT count(*), now() FROM current_rows")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def write(self, pending: Pending, quarantine: list[tuple[Any, ...]]) -> Outcome:
        from form4.store import placing

        return self._in_transaction(lambda: placing.write(self, pending, quarantine))

    def write_all(self, batches: Iterable[Pending], done: Callable[[int], None] | None = None) -> Outcome:
        from form4.store import placing

        con = self.con
        (limit, used), = con.execute("SELECT current_setting('memory_limit'), "
                                     "(SELECT sum(memory_usage_bytes) FROM duckdb_memory())").fetchall()
        # what the transaction writes beyond this goes to the file (and to temporary files) before it
        # commits, rather than staying in memory: a quarter's import stays flat. Beyond what the
        # store holds already (its indexes, which stay in memory), not in place of it
        con.execute(f"SET memory_limit = '{int(used or 0) + WRITE_ALL_MEMORY}B'")
        try:
            return self._in_transaction(lambda: placing.write_all(self, batches, done))
        finally:
            con.execute(f"SET memory_limit = '{limit}'")

    def _in_transaction(self, work: Callable[[], Outcome]) -> Outcome:
        con = self.con
        self._staged: list[str] = []
        con.execute("BEGIN TRANSACTION")
        try:
            outcome = work()
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            self.unstage()
        return outcome

    def stage(self, name: str, columns: Columns, rows: Staged) -> None:
        import pyarrow as pa

        from form4.store.records import arrow_table

        table = rows if isinstance(rows, pa.Table) else arrow_table(columns, rows)
        self.con.register(f"stage_{name}", table)  # scanned in place, not copied
        self._staged.append(name)

    def unstage(self) -> None:
        for name in self._staged:
            with contextlib.suppress(Exception):
                self.con.unregister(f"stage_{name}")
        self._staged = []

    def fetch(self, sql: str) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = self.con.execute(sql).fetchall()
        return rows

    def run(self, sql: str) -> None:
        self.con.execute(sql)

    def close(self) -> None:
        self.con.close()


class Postgres(Engine):
    dialect = "postgres"
    mark = "%s"
    _many = False  # inside write_all

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        require("psycopg", "postgres", "a PostgreSQL store")  # the way in to psycopg: every other use comes after
        import psycopg

        self.conn = _connect_postgres(url)
        schema = _schema(self.conn, url, create=not read_only)
        if read_only:
            # Every statement runs READ ONLY, in a transaction of its own or in one begun explicitly
            self.conn.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
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
                if self.conn.execute(UNFILLED).fetchone() == (True,):
                    self.conn.execute(current_rows_of(self.dialect, ALL_FILINGS))
        except psycopg.Error as exc:
            raise StoreConnectionError(f"cannot create the store's tables in schema {schema} at {masked(url)}: "
                                       f"{one_line(exc)}") from None

    def query(self, sql: str, params: Params = ()) -> pa.Table:
        import pyarrow as pa

        names, rows = self._fetch(sql, params)
        return _arrow(names, rows) if names is not None else pa.table({})

    def cluster(self) -> None:
        tables = self.conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()").fetchall()
        for (table,) in tables:
            self.conn.execute(f'ANALYZE "{table}"')

    def dicts(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        # straight from the rows (through Arrow and back costs a page more than its query), the
        # names read once from the result (psycopg's column descriptions cost as much as the rows)
        from psycopg.rows import dict_row

        return self._fetch(sql, params, dict_row)[1]

    def _fetch(self, sql: str, params: Params, rows: Any = None) -> tuple[list[str] | None, list[Any]]:
        import psycopg

        try:  # one statement: autocommit makes it its own transaction (a BEGIN and COMMIT cost two round trips)
            with self.conn.cursor(row_factory=rows) if rows else self.conn.cursor() as cur:
                if isinstance(params, Mapping):  # prepared on the server: one statement per call, never several
                    cur.execute(pyformat(sql), dict(params), prepare=True)
                else:
                    cur.execute(sql, list(params) or None)
                if cur.pgresult is None or cur.pgresult.status != psycopg.pq.ExecStatus.TUPLES_OK:
                    return None, []
                names = [d.name for d in cur.description or ()] if rows is None else []
                return names, cur.fetchall()
        except psycopg.Error as exc:
            raise QueryError(one_line(exc)) from None

    def batches(self, sql: str, params: Params = (), rows: int = 100_000) -> Iterator[pa.Table]:
        import psycopg

        try:  # a cursor on the server: the result comes ``rows`` at a time, never whole
            with self.conn.transaction(), self.conn.cursor(name="form4_batches") as cur:
                cur.execute(pyformat(sql) if isinstance(params, Mapping) else sql,
                            dict(params) if isinstance(params, Mapping) else list(params) or None)
                names = [d.name for d in cur.description or ()]
                while chunk := cur.fetchmany(rows):
                    yield _arrow(names, chunk)
        except psycopg.Error as exc:
            raise QueryError(one_line(exc)) from None

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.conn.execute(sql, list(params) or None)

    def interrupt(self) -> None:
        self.conn.cancel_safe()

    def write(self, pending: Pending, quarantine: list[tuple[Any, ...]]) -> Outcome:
        from form4.store import placing

        return self._in_transaction(lambda: placing.write(self, pending, quarantine))

    def write_all(self, batches: Iterable[Pending], done: Callable[[int], None] | None = None) -> Outcome:
        # each batch's staged tables analyzed: without statistics the planner guessed a chunk's
        # footnotes few and walked a join of them row by row (its current rows: 17 s, not 0.5 s)
        from form4.store import placing

        self._many = True
        try:
            return self._in_transaction(lambda: placing.write_all(self, batches, done))
        finally:
            self._many = False

    def _in_transaction(self, work: Callable[[], Outcome]) -> Outcome:
        with self.conn.transaction(), self.conn.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(4445)")  # writers take turns; readers do not wait
            self._cur = cur
            self._staged: set[str] = set()
            return work()

    def unstage(self) -> None:
        if self._staged:  # the temporary tables stay (their rows go at commit): emptied for the next batch
            self._cur.execute(f"TRUNCATE {', '.join(f'stage_{name}' for name in sorted(self._staged))}")
        self._staged = set()

    def stage(self, name: str, columns: Columns, rows: Staged) -> None:
        import pyarrow as pa

        cur = self._cur
        self._staged.add(name)
        cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS stage_{name} ({', '.join(column_defs(self.dialect, columns))}) "
                    "ON COMMIT DELETE ROWS")
        names = ", ".join(n for n, _ in columns)
        if isinstance(rows, pa.Table) and not any(pa.types.is_binary(t) for t in rows.schema.types):
            # Arrow writes the CSV in C, a batch at a time: every value but NULL quoted, so that
            # an empty text stays one ("") and NULL is the unquoted nothing PostgreSQL reads as NULL
            if rows.num_rows:
                with cur.copy(f"COPY stage_{name} ({names}) FROM STDIN WITH (FORMAT csv)") as copy:
                    copy.write(_csv(rows))
                if self._many:  # the planner told how many rows a batch of a long write holds
                    cur.execute(f"ANALYZE stage_{name}")
            return
        if isinstance(rows, pa.Table):
            rows = list(zip(*(column.to_pylist() for column in rows.columns), strict=True))
        if rows:
            with cur.copy(f"COPY stage_{name} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)

    def fetch(self, sql: str) -> list[tuple[Any, ...]]:
        self._cur.execute(sql)
        rows: list[tuple[Any, ...]] = self._cur.fetchall()
        return rows

    def run(self, sql: str) -> None:
        self._cur.execute(sql)

    def close(self) -> None:
        self.conn.close()


def _csv(table: pa.Table) -> bytes:
    import pyarrow as pa
    import pyarrow.csv

    # without its empty batches: pyarrow (26) writes NUL bytes in place of the rows that follow one
    table = pa.Table.from_batches([b for b in table.to_batches() if b.num_rows], table.schema)
    sink = pa.BufferOutputStream()
    pyarrow.csv.write_csv(table, sink, pyarrow.csv.WriteOptions(include_header=False, quoting_style="all_valid"))
    return bytes(sink.getvalue())


def _duck_params(params: Params) -> Any:
    return dict(params) if isinstance(params, Mapping) else list(params)


def _arrow(names: list[str], rows: Sequence[tuple[Any, ...]]) -> pa.Table:
    import pyarrow as pa

    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    return pa.table({name: pa.array([_plain(v) for v in col]) for name, col in zip(names, columns, strict=True)})


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


# a long query draws no bar on a server's or a CLI's terminal; times are stored in UTC, not in the
# machine's zone (a reading recorded as the clocks go back would seem older than one before it)
_SETTINGS = ("SET enable_progress_bar = false", "SET TimeZone = 'UTC'")


def _open_duckdb_to_read(path: str) -> Any:
    import duckdb

    if path == ":memory:" or not Path(path).expanduser().is_file():
        raise StoreConnectionError(f"no store at {path}: `form4 ingest PATH --db {path}` makes one")
    try:
        # No file outside the store may be read or written (COPY … TO, read_csv, ATTACH).
        con = duckdb.connect(str(Path(path).expanduser()), read_only=True,
                             config={"enable_external_access": False})
    except duckdb.Error as exc:
        raise StoreConnectionError(held(path, exc, reading=True) or
                                   f"cannot open the store {path}: {one_line(exc)}") from None
    if con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'filings'").fetchall() == [(0,)]:
        con.close()
        raise StoreConnectionError(f"{path} is a DuckDB file but holds no form4 store")
    for setting in _SETTINGS:
        con.execute(setting)
    return con


# DuckDB's message when another process holds the file: "Could not set lock on file "…":
# Conflicting lock is held in /usr/bin/python3 (PID 1234) [by user x]. [However, you would be
# able to open this database in read-only mode…]"
_LOCK_HELD = re.compile(r"Conflicting lock is held in (?P<program>.*?) \(PID (?P<pid>\d+)\)")
_PG_ADVICE = "or keep the store in PostgreSQL, which allows many writers"


def held(path: str, exc: BaseException, *, reading: bool) -> str | None:
    """One line saying which process holds the DuckDB file ``path`` and what to do, when ``exc``
    is DuckDB refusing it for that reason (None otherwise). DuckDB lets one process write a file,
    or any number read it, never both: a process that only reads (``reading``) meets a writer."""
    found = _LOCK_HELD.search(str(exc))
    if found is None:
        return None
    pid = int(found["pid"])
    command = _command_of(pid, found["program"])
    holder = f"{path} is in use by another process (PID {pid}, {command})"
    serving = command == "`form4 serve`"
    if reading:
        return (f"{holder}, which writes to it: DuckDB lets no other process open it meanwhile, not even to read; "
                f"{'stop it, use its API' if serving else 'wait for it to end or stop it'}, {_PG_ADVICE}")
    if "read-only mode" in str(exc):  # the holder only reads: so may others, but none may write
        return (f"{holder}, which reads it: commands that only read (query, report, export) may use it meanwhile, "
                f"none may write; stop it{' (form4 serve --watch stores while it serves)' if serving else ''}, "
                f"{_PG_ADVICE}")
    return f"{holder}: {'stop it, use its API' if serving else 'wait for it to end or stop it'}, {_PG_ADVICE}"


def _command_of(pid: int, program: str) -> str:
    """The form4 command a process runs (``form4 serve``), from its command line where the
    system shows it (Linux's /proc); else the program DuckDB named. Never its options: a
    token may be among them."""
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return Path(program).name or program
    for at, word in enumerate(words):
        if Path(word).name == "form4":  # the console script, or python -m form4
            command = next((w for w in words[at + 1:] if w and not w.startswith("-")), "")
            return f"`form4 {command}`" if command else "`form4`"
    return Path(words[0]).name if words and words[0] else Path(program).name


def _connect_postgres(url: str) -> Any:
    import psycopg
    from psycopg.conninfo import conninfo_to_dict
    from psycopg.types.numeric import FloatLoader

    try:
        options = conninfo_to_dict(url)
    except psycopg.Error as exc:
        raise StoreConnectionError(f"not a PostgreSQL URL ({masked(url)}): {one_line(exc)}; "
                                   "expected postgresql://user:password@host:port/database") from None
    options.setdefault("connect_timeout", 10)  # a host that never answers is an error, not a hang
    try:
        conn = psycopg.connect(**options, autocommit=True)  # type: ignore[arg-type]
    except psycopg.Error as exc:
        message = one_line(exc).removeprefix("connection failed: ")
        raise StoreConnectionError(f"cannot connect to {masked(url)}: {message}") from None
    # NUMERIC as a float, as DuckDB's DOUBLE and Arrow give it: a row is sent as it comes
    conn.adapters.register_loader("numeric", FloatLoader)
    return conn


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
