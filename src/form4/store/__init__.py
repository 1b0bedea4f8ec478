"""The store: filings in DuckDB (embedded, the default) or PostgreSQL, loaded idempotently.

    store = form4.Store("form4.duckdb")          # or "postgresql://user:pw@host/db"
    form4.ingest(store, ["filings/"])            # files, directories, archives (form4.pipeline)
    store.query("SELECT transaction_code, count(*) FROM transactions GROUP BY 1")
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from form4.errors import QueryError
from form4.extras import require
from form4.model import Filing
from form4.store import sql as sql_text
from form4.store.engines import Engine, connect
from form4.store.schema import CONTENT, TABLES

if TYPE_CHECKING:  # the data set's and the exports' modules (Parquet among them) load when used; so do
    # pyarrow and the write's modules: a report on DuckDB reads without them
    import pyarrow as pa

    from form4.store import records, sec_dataset
    from form4.store.placing import Outcome

DEFAULT_URL = "form4.duckdb"
TABLE_NAMES = (*TABLES, "filing_sources", "quarantine", "sync_days", "dataset_quarters")
VIEWS = ("transactions", "holdings", "filings", "current_transactions", "current_holdings", "current_filings")
BATCH = 5000
PathLike = str | os.PathLike[str]


def default_url() -> str:
    return os.environ.get("FORM4_DB") or DEFAULT_URL


class Store:
    """A store of filings. ``read_only`` opens an existing store for reading only (DuckDB opened
    read-only, PostgreSQL in read-only transactions) and refuses one that does not exist."""

    def __init__(self, url: str | None = None, *, read_only: bool = False) -> None:
        self.url = url or default_url()
        self.engine: Engine = connect(self.url, read_only=read_only)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.close()

    def write(self, pending: records.Pending, quarantine: Sequence[tuple[Any, ...]] = ()) -> Outcome:
        """Store readings already made into rows (``form4.pipeline`` makes them) and quarantine
        rows, in one transaction; what is stored already changes nothing."""
        return self.engine.write(pending, list(quarantine))

    def write_all(self, batches: Iterable[records.Pending], done: Callable[[int], None] | None = None) -> Outcome:
        """Store batches as one write, in one transaction: an SEC data set's quarter, read a chunk of
        filings at a time (form4.store.placing.write_all); ``done`` is told how many each batch held."""
        return self.engine.write_all(batches, done)

    def stored_accessions(self, accessions: Iterable[str]) -> set[str]:
        """Those of ``accessions`` the store holds, stored or quarantined: what a sync need not fetch."""
        wanted = sorted(set(accessions))
        found: set[str] = set()
        for start in range(0, len(wanted), 1000):
            chunk = wanted[start:start + 1000]
            marks = ", ".join(self.engine.mark for _ in chunk)
            # both by their indexes: the filings' key, and the accession number a quarantined path names
            table = self.engine.query(f"SELECT accession_number FROM filings WHERE accession_number IN ({marks}) "
                                      f"UNION SELECT accession_number FROM quarantine WHERE accession_number IN "
                                      f"({marks})", chunk + chunk)
            found.update(table.column(0).to_pylist())
        return found

    def sizes(self, tables: Sequence[str]) -> dict[str, int]:
        """About how many rows each of ``tables`` holds, from the database's own statistics (DuckDB's
        row counts, PostgreSQL's planner estimate; counted only for a table never analyzed): what a
        page may show on every load without reading the tables."""
        if self.engine.dialect == "duckdb":
            found = self.engine.query("SELECT table_name, estimated_size FROM duckdb_tables() "
                                      "WHERE schema_name = current_schema()").to_pylist()
            known = {row["table_name"]: int(row["estimated_size"]) for row in found}
        else:
            found = self.engine.query("SELECT relname, reltuples FROM pg_class WHERE relkind = 'r' "
                                      "AND relnamespace = current_schema()::regnamespace").to_pylist()
            known = {row["relname"]: int(row["reltuples"]) for row in found if row["reltuples"] >= 0}
        for table in tables:
            if table not in known:
                if table not in TABLE_NAMES and table != "current_rows":
                    raise ValueError(f"no table {table!r}")
                known[table] = int(self.engine.query(f"SELECT count(*) FROM {table}").column(0)[0].as_py())
        return {table: known[table] for table in tables}

    def cluster(self, *, force: bool = False) -> bool:
        """Bring the store's access paths up to date once the rows stored since they last were
        are many: a million, or a tenth of the table if that is fewer (but at least 100,000). On
        DuckDB, ``current_rows`` is put in its order (an issuer's rows together, by day: the zone
        maps then find them without an index); on PostgreSQL, the planner's statistics are taken
        anew (ANALYZE: a plan made for an empty table walks every row of a full one). The commands
        that store many filings (ingest, sync, import-sec-dataset) call it when they end; ``force``
        does it now. Whether it was done."""
        size = self.sizes(["current_rows"])["current_rows"]
        if self.engine.dialect == "duckdb":
            (ordered,) = self.engine.query("SELECT coalesce(max(rows), 0) FROM clustering").column(0).to_pylist()
            changed = size - ordered
        else:
            found = self.engine.query("SELECT n_mod_since_analyze FROM pg_stat_user_tables WHERE relname = "
                                      "'current_rows' AND schemaname = current_schema()").column(0).to_pylist()
            changed = int(found[0]) if found else size
        if not force and changed < min(1_000_000, max(100_000, size // 10)):
            return False
        self.engine.cluster()
        return True

    def synced_days(self, forms: str) -> set[dt.date]:
        """The days a sync of the form types ``forms`` (e.g. "3,4,5") stored in full."""
        table = self.engine.query(f"SELECT day FROM sync_days WHERE forms = {self.engine.mark}", [forms])
        return set(table.column(0).to_pylist())

    def newest_filed(self) -> dt.date | None:
        """The filing date of the newest filing stored under an EDGAR accession number (what
        ``watch`` catches up from), or None when the store holds none."""
        table = self.engine.query(f"SELECT max(filed_at) FROM filings WHERE accession_number NOT LIKE "
                                  f"{self.engine.mark}", [CONTENT + "%"])
        value = table.column(0)[0].as_py()
        return value if isinstance(value, dt.date) else None

    def mark_synced(self, day: dt.date, forms: str, via: str, filings: int) -> None:
        """Record that every filing of ``day`` of the form types ``forms`` is in the store."""
        marks = ", ".join([self.engine.mark] * 5)
        self.engine.execute(f"INSERT INTO sync_days VALUES ({marks}) ON CONFLICT DO NOTHING",
                            [day, forms, via, filings, dt.datetime.now(dt.UTC)])

    def ingest_filings(self, filings: Iterable[Filing], *, batch: int = BATCH) -> int:
        """Store filings already read (an SEC data set, say); the number that were new."""
        from form4.store import records

        new = 0
        pending = records.Pending()
        for filing in filings:
            pending.add(filing, filing.source_name, None)
            if len(pending.kept) >= batch:
                new += self.write(pending).new
                pending = records.Pending()
        if pending.kept:
            new += self.write(pending).new
        return new

    def import_sec_dataset(self, path: PathLike) -> int:
        """Load one quarterly SEC Insider Transactions Data Set zip; the number of new filings.
        A file that is not one raises ``DatasetError`` and stores nothing; a value that cannot
        be read is stored empty, with a warning on its filing. The files go straight into the
        store's tables, read a chunk of filings at a time (form4.store.sec_batches) and stored as
        one write, in one transaction (``write_all``): the rows stored are those of storing
        ``sec_dataset.iter_filings(path)``'s Filings in one write, whatever the chunk."""
        from form4.store import sec_batches

        batches = sec_batches.read_ahead(sec_batches.iter_batches(Path(path)))
        new = self.write_all(batches).new
        self.cluster()  # many rows stored: in order again, for the answers (on DuckDB)
        return new

    def export_sec_dataset(self, out: PathLike) -> sec_dataset.SecDatasetReport:
        """Write the store as an SEC data set zip. A filing without an EDGAR accession number
        (its key is ``sha256:…``) cannot be keyed there: it is left out, and the report lists it."""
        from form4.store import sec_dataset

        return sec_dataset.write(self.filings(), Path(out))

    def filings(self, where: str = "", params: Iterable[Any] = ()) -> Iterator[Filing]:
        """The stored filings, rebuilt as records (``where`` filters the ``filings`` table)."""
        from form4.store import records

        yield from records.rebuild(self.engine, where, list(params))

    def export(self, out: PathLike | None, *, view: str = "transactions", format: str = "csv") -> int:
        """Write a flat view (csv, jsonl, parquet) or the whole store as an SEC data set zip."""
        if format == "sec-dataset":
            if out is None:
                raise ValueError("an SEC data set is a zip: give --out")
            return self.export_sec_dataset(out).written
        if view not in VIEWS:
            raise ValueError(f"no view {view!r}: one of {', '.join(VIEWS)}")
        from form4.store import exports

        table = self.engine.query(f"SELECT * FROM {view} ORDER BY 1, 2, 3")
        return exports.write(table, format, out)

    def query(self, sql: str, params: Iterable[Any] | Mapping[str, Any] = (), *, format: str = "pandas") -> Any:
        """Run one SQL statement with its parameters (positional, or named as ``$name`` from a
        mapping; never pasted in); a pandas DataFrame (the pandas extra) or an Arrow table."""
        if format != "arrow":
            require("pandas", "pandas", "a query's result as a DataFrame (or format=\"arrow\")")
        table = self.engine.query(sql, params if isinstance(params, Mapping) else list(params))
        return table if format == "arrow" else table.to_pandas()

    def read(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[str, pa.Table]]:
        """Every statement of ``sql`` with its result, each one read-only: a statement that
        could write (DROP, DELETE, COPY, SET…) is refused before any of them runs."""
        statements = sql_text.read_only(sql)
        given = dict(params or {})
        try:
            return [(s.text, self.engine.query(s.text, sql_text.bind(s, given))) for s in statements]
        except QueryError as exc:
            if "does not exist" in str(exc):  # a misspelt name: say what there is
                views = [v for v in VIEWS if v not in TABLE_NAMES]
                raise QueryError(f"{exc} (the store has the views {', '.join(views)} and the tables "
                                 f"{', '.join(TABLE_NAMES)})") from None
            raise

    def arrow(self, sql: str, params: Iterable[Any] | Mapping[str, Any] = ()) -> pa.Table:
        """One statement's result as an Arrow table (parameters as for ``query``)."""
        return self.engine.query(sql, params if isinstance(params, Mapping) else list(params))

    def dicts(self, sql: str, params: Iterable[Any] | Mapping[str, Any] = ()) -> list[dict[str, Any]]:
        """One statement's (small) result as a dict a row (parameters as for ``query``)."""
        return self.engine.dicts(sql, params if isinstance(params, Mapping) else list(params))

    def batches(self, sql: str, params: Iterable[Any] | Mapping[str, Any] = (), *,
                rows: int = 100_000) -> Iterator[pa.Table]:
        """One query's result as Arrow tables of at most ``rows`` rows each, read as they are
        needed: for results larger than memory would comfortably hold."""
        return self.engine.batches(sql, params if isinstance(params, Mapping) else list(params), rows)
