"""Ingest speed into DuckDB and PostgreSQL, side by side with row-by-row INSERTs, and memory.

    python benchmarks/bench_ingest.py [--filings 20000] [--big 100000] [--pg postgresql://…]

The corpus XMLs are repeated under distinct accession numbers into one .tar (as an EDGAR
feed archive would bring them) and ingested from it, parsing included: through the API, and
end to end through the CLI (`form4 ingest ARCHIVE --db X.duckdb`, process start included, one
reader per core). Where the CPU goes is measured in one process: reading (a slice of the tar ->
XML -> record -> rows -> Arrow) and the writer's (the store's write, with and without keeping
``current_rows``), each per filing. The naive baseline
parses the same way and then INSERTs every row with its own statement. Peak memory (RSS) is
measured in a fresh process for --filings and --big filings. Prints Markdown for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import form4
from form4.pipeline import ingest
from form4.store import Store, records
from form4.store.engines import Engine, connect
from form4.store.schema import TABLES

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpus"
PG = "postgresql://form4:form4@127.0.0.1:5432/form4_test"


def archive(n: int, out: Path) -> Path:
    docs = [p.read_bytes() for p in sorted((CORPUS / "xml").glob("*.xml"))]
    with tarfile.open(out, "w") as tar:
        for i in range(n):
            data = docs[i % len(docs)]
            info = tarfile.TarInfo(f"{i // 1_000_000:010d}-24-{i % 1_000_000:06d}.xml")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out


def fresh_pg(url: str, schema: str) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.execute(f"CREATE SCHEMA {schema}")
    return f"{url}?options=-csearch_path%3D{schema}"


def timed_ingest(url: str, tar: Path) -> tuple[int, float]:
    with Store(url) as store:
        start = time.perf_counter()
        report = ingest(store, [tar])
        return report.new, time.perf_counter() - start


def naive(engine: Engine, tar: Path, limit: int) -> float:
    """Parse, then one INSERT per row, committed per filing: what a first attempt looks like."""
    start = time.perf_counter()
    for i, filing in enumerate(form4.iter_filings(tar)):
        if i >= limit:
            break
        rows = records.empty()
        records.add(rows, filing, records.key_of(filing), None, None)
        engine.execute("BEGIN")
        for table, columns in TABLES.items():
            sql = f"INSERT INTO {table} VALUES ({', '.join(engine.mark for _ in columns)})"
            for row in rows[table]:
                engine.execute(sql, row)
        engine.execute("COMMIT")
    return limit / (time.perf_counter() - start)


def cli_ingest(tar: Path, db: Path) -> tuple[int, float, float]:
    """``form4 ingest ARCHIVE --db DB`` in a fresh process: filings stored, seconds end to end, and
    the CPU seconds of the writing process and its readers together."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "form4", "--quiet", "ingest", str(tar), "--db", str(db)], check=True,
                   stdout=subprocess.DEVNULL)
    secs = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    with Store(str(db)) as store:
        n = store.engine.query("SELECT count(*) FROM filings").column(0)[0].as_py()
    return n, secs, cpu


def split(tar: Path, db: Path, *, current_rows: bool = True) -> dict[str, float]:
    """CPU microseconds per filing, in one process: the readers' work (a slice of the archive
    read into a sealed part, form4.pipeline.units), the writer's (parts merged, the store's
    write). ``current_rows=False``: the write without keeping the current rows, to tell their cost."""
    from form4.pipeline.parts import Part
    from form4.pipeline.units import input_units, read_unit
    from form4.store import placing

    spent = {"read": 0.0, "write": 0.0}
    n = 0
    keep_current = placing._Placing.keep_current
    if not current_rows:
        placing._Placing.keep_current = lambda self, amended: None  # type: ignore[method-assign]
    try:
        with Store(str(db)) as store:
            pending = Part()
            for files, _ in input_units([tar]):
                start = time.process_time()
                part = read_unit(files, None)
                spent["read"] += time.process_time() - start
                start = time.process_time()
                pending.merge(part)
                if pending.size >= 5000:
                    n += store.write(pending.filings, pending.quarantine).new
                    pending = Part()
                spent["write"] += time.process_time() - start
            if pending.size:
                start = time.process_time()
                n += store.write(pending.filings, pending.quarantine).new
                spent["write"] += time.process_time() - start
    finally:
        placing._Placing.keep_current = keep_current  # type: ignore[method-assign]
    return {k: v / max(n, 1) * 1e6 for k, v in spent.items()}


def peak_rss(n: int, tmp: Path) -> float:
    tar = archive(n, tmp / f"rss-{n}.tar")
    db = tmp / f"rss-{n}.duckdb"
    code = f"import form4; form4.ingest(form4.Store({str(db)!r}), [{str(tar)!r}])"
    subprocess.run([sys.executable, "-c", code], check=True)
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # MiB, the largest child so far


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--filings", type=int, default=20_000)
    ap.add_argument("--big", type=int, default=100_000)
    ap.add_argument("--naive", type=int, default=2_000, help="filings for the row-by-row baseline")
    ap.add_argument("--pg", default=PG)
    args = ap.parse_args()
    rows: list[tuple[str, int, float]] = []
    cli_rate = cli_cpu = 0.0
    spent: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        tar = archive(args.filings, tmp / "in.tar")
        n, secs = timed_ingest(str(tmp / "bench.duckdb"), tar)
        rows.append(("form4 ingest -> DuckDB (Arrow batches)", n, n / secs))
        n, secs, cpu = cli_ingest(tar, tmp / "cli.duckdb")
        rows.append(("`form4 ingest ARCHIVE --db X.duckdb` (CLI, end to end)", n, n / secs))
        cli_rate, cli_cpu = n / secs, cpu / max(n, 1) * 1e6
        spent = split(tar, tmp / "split.duckdb")
        spent["write without current_rows"] = split(tar, tmp / "split-bare.duckdb", current_rows=False)["write"]
        duck_naive = connect(str(tmp / "naive.duckdb"))
        rows.append(("row-by-row INSERT -> DuckDB", args.naive, naive(duck_naive, tar, args.naive)))
        duck_naive.close()
        pg_ok = True
        try:
            n, secs = timed_ingest(fresh_pg(args.pg, "bench_copy"), tar)
            rows.append(("form4 ingest -> PostgreSQL (COPY)", n, n / secs))
            pg_naive = connect(fresh_pg(args.pg, "bench_naive"))
            rows.append(("row-by-row INSERT -> PostgreSQL", args.naive, naive(pg_naive, tar, args.naive)))
            pg_naive.close()
        except Exception as exc:  # report a missing server, do not hide it
            pg_ok = False
            print(f"PostgreSQL skipped: {exc}", file=sys.stderr)
        rss = [(n, peak_rss(n, tmp)) for n in (args.filings, args.big)]
    print(f"Python {platform.python_version()} on {platform.machine()}; parsing included\n")
    print("| path | filings | filings/s |")
    print("| --- | ---: | ---: |")
    for name, n, rate in rows:
        print(f"| {name} | {n:,} | {rate:,.0f} |")
    print()
    print(f"- DuckDB: {rows[0][2] / rows[2][2]:.0f}x the row-by-row baseline; through the CLI {cli_rate:,.0f} "
          f"filings/s on {os.cpu_count()} cores (target ≥ 5,000 filings/s), {cli_cpu:.0f} µs of CPU a filing "
          "(every process, start included)")
    print(f"- CPU per filing, one process: reading {spent['read']:.0f} µs (tar -> XML -> record -> Arrow rows; the "
          f"reader processes' share), the writer's {spent['write']:.0f} µs (parts merged, the store's write), "
          f"{spent['write'] - spent['write without current_rows']:.0f} µs of it keeping `current_rows`")
    if pg_ok:
        print(f"- PostgreSQL: {rows[3][2] / rows[4][2]:.0f}x the row-by-row baseline (target ≥ 2,000 filings/s)")
    print("- peak RSS of a DuckDB ingest: " + ", ".join(f"{n:,} filings {mib:.0f} MiB" for n, mib in rss))
    return 0


if __name__ == "__main__":
    sys.exit(main())
