"""Reports and screens over a store of a million transactions, on DuckDB and PostgreSQL, side by
side with the same computation in pandas on the flat export.

    python benchmarks/bench_reports.py [--transactions 1000000] [--pg postgresql://…] [--keep DIR]

The store is made from the corpus' XML filings, each copied many times under a new accession
number, moved in time, and given to one of --issuers issuers (a few large, many small: the
largest takes ~3 % of the rows, as a large company's twenty years would in a store of every
issuer) and to insiders drawn per issuer. --keep reuses stores made before.
Every answer is timed --rounds times in this process after one warm-up; the table gives the
median. pandas reads the exported ``current_transactions`` (Parquet) once, not timed per answer.
Prints Markdown for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import msgspec

import form4
from form4.analytics import reports, scope, screens
from form4.analytics.scope import Filters
from form4.analytics.short_swing import Trade, short_swing_profit
from form4.model import Filing, Issuer
from form4.store import Store

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpus"
PG = "postgresql://form4:form4@127.0.0.1:5432/form4_test"


def corpus_filings() -> list[Filing]:
    return [form4.read(p) for p in sorted((CORPUS / "xml").glob("*.xml"))]


def generated(transactions: int, issuers: int, seed: int = 16) -> Iterator[Filing]:
    """Copies of the corpus' filings until ``transactions`` transaction rows."""
    rng = random.Random(seed)
    base = corpus_filings()
    # Zipf-like: the largest issuer has ~3 % of the rows
    weights = list(itertools.accumulate(1 / (rank + 10) for rank in range(issuers)))
    made = 0
    copy = 0
    while made < transactions:
        filing = base[copy % len(base)]
        issuer = rng.choices(range(issuers), cum_weights=weights)[0]
        shift = dt.timedelta(days=rng.randrange(-4000, 400))
        yield _moved(filing, copy, issuer, shift, rng)
        made += len(filing.non_derivative_transactions) + len(filing.derivative_transactions)
        copy += 1


def _moved(filing: Filing, copy: int, issuer: int, shift: dt.timedelta, rng: random.Random) -> Filing:
    def day(value: dt.date | None) -> dt.date | None:
        return value + shift if value else None

    # most insiders report at one issuer; one in ten is one of 200 who sit on several boards
    owners = [msgspec.structs.replace(o, cik=f"{7_000_000 + rng.randrange(200):010d}" if rng.random() < 0.1
                                      else f"{8_000_000 + issuer * 40 + rng.randrange(40):010d}")
              for o in filing.reporting_owners]
    tables = {name: [msgspec.structs.replace(row, **{k: day(getattr(row, k)) for k in ("transaction_date",
                                                                                        "deemed_execution_date")})
                     for row in getattr(filing, name)]
              for name in ("non_derivative_transactions", "derivative_transactions")}
    return msgspec.structs.replace(
        filing, accession_number=f"{9_000_000_000 + copy // 900_000:010d}-24-{copy % 900_000:06d}",
        issuer=Issuer(cik=f"{1_000_000 + issuer:010d}", name=f"ISSUER {issuer} INC", trading_symbol=f"T{issuer}"),
        reporting_owners=owners, period_of_report=day(filing.period_of_report),
        filed_at=day(filing.period_of_report) + dt.timedelta(days=2) if filing.period_of_report else None, **tables)


def build(url: str, transactions: int, issuers: int) -> float:
    with Store(url) as store:
        have = store.arrow("SELECT count(*) AS n FROM security_rows WHERE kind = 'transaction'").column(0)[0].as_py()
        if have >= transactions:
            return 0.0
        start = time.perf_counter()
        store.ingest_filings(generated(transactions, issuers), batch=20_000)
        return time.perf_counter() - start


def fresh_pg(url: str, schema: str, keep: bool) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        if not keep:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    return f"{url}?options=-csearch_path%3D{schema}"


# --- the answers, through form4.analytics --------------------------------------------------------

def answers(subjects: dict[str, str]) -> dict[str, Callable[[Store], Any]]:
    issuer, owner, pair_owner, pair_issuer = (subjects[k] for k in ("issuer", "owner", "pair_owner", "pair_issuer"))
    return {
        "report issuer": lambda s: reports.issuer_report(s, issuer).to_dict(),
        "report owner": lambda s: reports.owner_report(s, owner).to_dict(),
        "report short-swing": lambda s: reports.short_swing_report(s, pair_owner, pair_issuer).to_dict(),
        "screen purchases --min-value 1e6": lambda s: screens.trades(s, Filters(min_value=1e6), code="P"),
        "screen sales --min-value 1e6": lambda s: screens.trades(s, Filters(min_value=1e6), code="S"),
        "screen officer-buys": lambda s: screens.officer_purchases(s, Filters()),
        "screen cluster-buys": lambda s: screens.cluster_buys(s, Filters()),
    }


def subjects_of(store: Store) -> dict[str, str]:
    """The busiest issuer and owner, and the owner-issuer pair with the most purchases and sales."""
    def top(sql: str) -> dict[str, Any]:
        row: dict[str, Any] = store.arrow(sql).to_pylist()[0]
        return row

    issuer = top("SELECT trading_symbol FROM current_transactions GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
    owner = top("SELECT owner_cik FROM current_transactions GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
    pair = top("SELECT owner_cik, issuer_cik FROM current_transactions WHERE transaction_code IN ('P', 'S') "
               "GROUP BY 1, 2 ORDER BY count(DISTINCT transaction_code) DESC, count(*) DESC LIMIT 1")
    return {"issuer": issuer["trading_symbol"], "owner": owner["owner_cik"], "pair_owner": pair["owner_cik"],
            "pair_issuer": pair["issuer_cik"]}


# --- the same in pandas, on the flat export --------------------------------------------------------

_CATEGORIES = {"P": "purchase", "S": "sale", "A": "grant", "F": "tax_withholding", "M": "exercise", "X": "exercise",
               "O": "exercise", "C": "conversion", "G": "gift"}


def pandas_answers(subjects: dict[str, str], issuer_cik: str) -> dict[str, Callable[[Any], Any]]:
    import pandas as pd

    def table_one(df: Any) -> Any:
        return df[(df["table"] == "non_derivative") & df["transaction_date"].notna()]

    def activity(rows: Any) -> Any:
        rows = rows.assign(category=rows["transaction_code"].map(_CATEGORIES).fillna("other"),
                           period=rows["transaction_date"].dt.to_period("Q"),
                           value=rows["total_value"].fillna(rows["shares"] * rows["price_per_share"]))
        acquired, disposed = rows["acquired_disposed"] == "A", rows["acquired_disposed"] == "D"
        rows = rows.assign(shares_acquired=rows["shares"].where(acquired, 0),
                           shares_disposed=rows["shares"].where(disposed, 0),
                           value_acquired=rows["value"].where(acquired, 0),
                           value_disposed=rows["value"].where(disposed, 0))
        return rows.groupby(["owner_cik", "period", "category"]).agg(
            transactions=("shares", "size"), shares_acquired=("shares_acquired", "sum"),
            shares_disposed=("shares_disposed", "sum"), value_acquired=("value_acquired", "sum"),
            value_disposed=("value_disposed", "sum")).reset_index()

    def holdings(rows: Any) -> Any:
        rows = rows[rows["shares_owned_following"].notna()].assign(
            date=rows["transaction_date"].fillna(rows["period_of_report"]))
        return rows.sort_values(["date", "filed_at", "accession_number"]).drop_duplicates(
            ["owner_cik", "issuer_cik", "table", "security_title", "direct_or_indirect", "nature_of_ownership", "date"],
            keep="last")

    def report(df: Any, column: str, key: str) -> Any:
        mine = df[df[column] == key]
        people = mine.groupby("owner_cik").agg(name=("owner_name", "last"), filings=("accession_number", "nunique"))
        return people, activity(table_one(mine)), holdings(mine)

    def trades(df: Any, code: str, min_value: float | None = None, titles: bool = False) -> Any:
        rows = table_one(df)
        rows = rows[rows["transaction_code"] == code].assign(
            value=rows["total_value"].fillna(rows["shares"] * rows["price_per_share"]))
        if min_value is not None:
            rows = rows[rows["value"] >= min_value]
        if titles:
            rows = rows[rows["officer_title"].str.contains(r"(?i)\bc[ef]o\b|chief (?:executive|financial)", na=False)]
        return rows.drop_duplicates(["accession_number", "row_index"]).sort_values(
            ["transaction_date", "value"], ascending=False).head(100)

    def clusters(df: Any) -> Any:
        rows = table_one(df)
        rows = rows[rows["transaction_code"] == "P"].drop_duplicates(["accession_number", "row_index"]).sort_values(
            ["issuer_cik", "transaction_date"])
        found = []
        for _, group in rows.groupby("issuer_cik"):
            days, owners = list(group["transaction_date"]), list(group["owner_cik"])
            start = 0
            while start < len(days):
                end = start
                while end + 1 < len(days) and days[end + 1] <= days[start] + pd.Timedelta(days=10):
                    end += 1
                if len(set(owners[start:end + 1])) >= 3:
                    found.append((group["issuer_cik"].iloc[0], days[start], days[end]))
                    start = end + 1
                else:
                    start += 1
        return found

    def short_swing(df: Any) -> Any:
        rows = table_one(df)
        rows = rows[(rows["owner_cik"] == subjects["pair_owner"]) & (rows["issuer_cik"] == subjects["pair_issuer"])
                    & rows["transaction_code"].isin(["P", "S"]) & rows["price_per_share"].notna()
                    & (rows["shares"] > 0)]
        trades_of = {code: [Trade(d.date(), s, p) for d, s, p in zip(
            g["transaction_date"], g["shares"], g["price_per_share"], strict=True)]
            for code, g in rows.groupby("transaction_code")}
        return short_swing_profit(trades_of.get("P", []), trades_of.get("S", []))

    return {
        "report issuer": lambda df: report(df, "issuer_cik", issuer_cik),
        "report owner": lambda df: report(df, "owner_cik", subjects["owner"]),
        "report short-swing": short_swing,
        "screen purchases --min-value 1e6": lambda df: trades(df, "P", 1e6),
        "screen sales --min-value 1e6": lambda df: trades(df, "S", 1e6),
        "screen officer-buys": lambda df: trades(df, "P", titles=True),
        "screen cluster-buys": clusters,
    }


def median_time(fn: Callable[[Any], Any], arg: Any, rounds: int) -> float:
    fn(arg)  # warm-up: caches, prepared statements, the first page of each table
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn(arg)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--transactions", type=int, default=1_000_000)
    parser.add_argument("--issuers", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pg", default=PG, help="PostgreSQL to test; 'none' to skip it")
    parser.add_argument("--keep", type=Path, help="a folder to keep the stores in and reuse")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-reports-"))
    work.mkdir(parents=True, exist_ok=True)
    name = f"reports_{args.transactions}_{args.issuers}"  # a kept store is reused for the same arguments only
    stores = {"DuckDB": str(work / f"{name}.duckdb")}
    if args.pg != "none":
        stores["PostgreSQL"] = fresh_pg(args.pg, f"bench_{name}", keep=args.keep is not None)
    for name, url in stores.items():
        took = build(url, args.transactions, args.issuers)
        print(f"{name}: store {f'made in {took:.0f} s' if took else 'reused'}", file=sys.stderr)

    import pandas as pd

    with Store(stores["DuckDB"], read_only=True) as store:
        size = store.arrow("SELECT count(*) FROM transactions").column(0)[0].as_py()
        rows = store.arrow("SELECT count(*) FROM security_rows WHERE kind = 'transaction'").column(0)[0].as_py()
        subjects = subjects_of(store)
        issuer_cik = scope.issuer(store, subjects["issuer"]).cik
        parquet = work / "current_transactions.parquet"
        start = time.perf_counter()
        store.export(parquet, view="current_transactions", format="parquet")
        frame = pd.read_parquet(parquet)
        frame["transaction_date"] = pd.to_datetime(frame["transaction_date"])
        frame["period_of_report"] = pd.to_datetime(frame["period_of_report"])
        load = time.perf_counter() - start

    results: dict[str, dict[str, float]] = {}
    for name, url in stores.items():
        with Store(url, read_only=True) as store:
            for answer, fn in answers(subjects).items():
                results.setdefault(answer, {})[name] = median_time(fn, store, args.rounds)
    for answer, fn in pandas_answers(subjects, issuer_cik).items():
        results[answer]["pandas"] = median_time(fn, frame, args.rounds)

    print(f"{rows:,} transaction rows ({size:,} rows of the transactions view, one per owner), "
          f"{args.issuers} issuers; {platform.processor() or platform.machine()}, Python "
          f"{platform.python_version()}; median of {args.rounds} after a warm-up; pandas loads the export "
          f"in {load:.1f} s (not counted)\n")
    engines = [*stores, "pandas"]
    print("| answer | " + " | ".join(f"{e} (s)" for e in engines) + " |")
    print("| --- |" + " --- |" * len(engines))
    for answer, times in results.items():
        print(f"| `{answer}` | " + " | ".join(f"{times[e]:.3f}" for e in engines) + " |")
    slowest = {e: max(t[e] for t in results.values()) for e in stores}
    print("\nslowest: " + ", ".join(f"{e} {s:.2f} s" for e, s in slowest.items()))


if __name__ == "__main__":
    main()
