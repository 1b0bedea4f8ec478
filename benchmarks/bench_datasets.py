"""Import of an SEC Insider Transactions Data Set (one quarter's zip), end to end, beside its
floors: the zip's TSV files read by pyarrow.csv (C++, every column as text) and by Python's csv
module; then form4's columnar reader alone (``sec_batches.iter_batches``: the store's tables as
Arrow) beside the Filing reader (``sec_dataset.iter_filings``); then the import into a fresh store
(``Store.import_sec_dataset``, the columnar path) on DuckDB and on PostgreSQL (``--postgres URL``),
and the Filing path's import into DuckDB for comparison; each in a process of its own so that its
peak RSS is its own.

    python benchmarks/bench_datasets.py [--filings 40000] [--zip existing.zip] [--postgres URL]
        [--before CHECKOUT --rounds 3 --only-imports]

The zip holds corpus filings cloned under fresh accession numbers (form4.store.sec_dataset.write,
the SEC's layout). Prints Markdown for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STEP = """
import csv, io, json, resource, sys, time, zipfile
from pathlib import Path
kind, path, store = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
started = time.perf_counter()


def tsvs(zf):
    return [name for name in zf.namelist() if name.upper().endswith(".TSV")]


if kind == "pyarrow":
    import pyarrow as pa
    import pyarrow.csv as pc
    rows = 0
    with zipfile.ZipFile(path) as zf:
        for name in tsvs(zf):
            with zf.open(name) as member:
                names = zf.open(name).readline().decode("utf-8-sig").rstrip("\\r\\n").split("\\t")
                reader = pc.open_csv(member, parse_options=pc.ParseOptions(delimiter="\\t"),
                                     convert_options=pc.ConvertOptions(
                                         column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False),
                                     read_options=pc.ReadOptions(block_size=1 << 22))
                rows += sum(batch.num_rows for batch in reader)
    count = rows
elif kind == "csv":
    count = 0
    with zipfile.ZipFile(path) as zf:
        for name in tsvs(zf):
            with zf.open(name) as member:
                count += sum(1 for _ in csv.reader(io.TextIOWrapper(member, encoding="utf-8"), delimiter="\\t"))
elif kind == "reader":
    from form4.store import sec_dataset
    count = sum(1 for _ in sec_dataset.iter_filings(path))
elif kind == "columns":
    from form4.store import sec_batches
    count = sum(len(pending.kept) for pending in sec_batches.iter_batches(path))
elif kind == "filings-import":
    from form4.store import Store, sec_dataset
    with Store(store) as s:
        count = s.ingest_filings(sec_dataset.iter_filings(path), batch=sec_dataset.CHUNK)
else:
    from form4.store import Store
    with Store(store) as s:
        count = s.import_sec_dataset(path)
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"count": count, "seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime,
                  "rss_mb": usage.ru_maxrss / 1024}))
"""


def generate(out: Path, n: int) -> Path:
    import msgspec
    from tests.conftest import CORPUS

    import form4
    from form4.store import sec_dataset

    templates = [f for f in form4.iter_filings(CORPUS / "xml") if f.reporting_owners]
    clones = (msgspec.structs.replace(templates[i % len(templates)], accession_number=f"9900000001-24-{i:06d}")
              for i in range(n))
    sec_dataset.write(clones, out)
    return out


def step(kind: str, path: Path, store: Path | str, source: Path = ROOT) -> dict[str, float]:
    """One step in a process of its own, form4 imported from ``source`` (a checkout: another version's)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(source / "src"), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", STEP, kind, str(path), str(store)], check=True,
                          capture_output=True, text=True, cwd=ROOT, env=env)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filings", type=int, default=40_000)
    parser.add_argument("--zip", type=Path, help="an existing data set zip (the SEC's, say) instead of a generated one")
    parser.add_argument("--postgres", help="a PostgreSQL URL whose database the import may fill (an empty schema)")
    parser.add_argument("--before", type=Path, help="a checkout of another version (the one before): its import "
                        "into DuckDB runs beside this one's, in turn, so that both meet the same load")
    parser.add_argument("--rounds", type=int, default=1, help="the imports this many times each, in turn")
    parser.add_argument("--only-imports", action="store_true", help="leave out the floors and the readers alone")
    args = parser.parse_args()
    import zipfile

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        started = time.perf_counter()
        dataset = args.zip or generate(tmp / "generated_form345.zip", args.filings)
        made = time.perf_counter() - started
        with zipfile.ZipFile(dataset) as zf:
            raw = sum(i.file_size for i in zf.infolist())
        size = dataset.stat().st_size
        kinds = ["pyarrow"] if args.only_imports else ["pyarrow", "csv", "columns", "reader", "filings-import"]
        results = {kind: step(kind, dataset, tmp / f"{kind}.duckdb") for kind in kinds}
        for _ in range(args.rounds):  # in turn: each version's best under the same load
            if args.before:
                _best(results, "before", step("import", dataset, tmp / "before.duckdb", args.before))
            _best(results, "import", step("import", dataset, tmp / "again.duckdb"))
            (tmp / "again.duckdb").unlink()
            (tmp / "before.duckdb").unlink(missing_ok=True)
        if args.postgres:
            results["postgres"] = step("import", dataset, args.postgres)
    filings = results["import"]["count"]
    print(f"Data set: {filings:,.0f} filings, zip {size / 1e6:,.1f} MB ({raw / 1e6:,.1f} MB of TSV)"
          + ("" if args.zip else f", generated in {made:,.1f} s") + "\n")
    print("| step | seconds | filings/s | CPU seconds | peak RSS (MB) |\n|---|---:|---:|---:|---:|")
    names = {"pyarrow": "floor: pyarrow.csv reads every TSV (rows, as text)",
             "csv": "floor: Python's csv module reads every TSV",
             "columns": "form4 columnar reader alone (iter_batches: the store's tables as Arrow)",
             "reader": "form4 Filing reader alone (iter_filings: Filings, streaming)",
             "before": f"the same import by the version at {args.before}",
             "import": "import into a fresh DuckDB store (Store.import_sec_dataset: a quarter as one write)",
             "filings-import": "the Filing path into a fresh DuckDB store (ingest_filings(iter_filings))",
             "postgres": "import into a fresh PostgreSQL schema (Store.import_sec_dataset: columnar)"}
    for kind, result in results.items():
        print(f"| {names[kind]} | {result['seconds']:,.2f} | {filings / result['seconds']:,.0f} | "
              f"{result['cpu']:,.1f} | {result['rss_mb']:,.0f} |")
    print(f"\nLoad average while it ran: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores)")


def _best(results: dict[str, dict[str, float]], kind: str, result: dict[str, float]) -> None:
    """Keep the fastest of a step's rounds (the one the other processes slowed least)."""
    if kind not in results or result["seconds"] < results[kind]["seconds"]:
        results[kind] = result


if __name__ == "__main__":
    main()
