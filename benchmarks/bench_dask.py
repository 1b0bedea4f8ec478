"""Ingest of daily feed archives: the local engine against Dask with 1 and 2 workers, and the
local engine end to end through the CLI (process start included).

    python benchmarks/bench_dask.py [--filings 50000] [--per-day 2000]

The filings are cloned from the corpus under fresh accession numbers (tests/edgar/mirror.py),
written as one EDGAR feed archive (``YYYYMMDD.nc.tar.gz``, one ``ACCESSION.nc`` per filing)
per day. Each run ingests every archive into a fresh DuckDB store, parsing included. Prints
Markdown for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.edgar.mirror import generated_filings  # noqa: E402

from form4.pipeline import ingest  # noqa: E402
from form4.store import Store  # noqa: E402


def feed_archives(n: int, per_day: int, out: Path) -> list[Path]:
    """``n`` filings as daily feed archives under ``out``."""
    days: dict[str, list[tuple[str, bytes]]] = defaultdict(list)
    for filing in generated_filings(n, per_day=per_day):
        days[f"{filing.filed:%Y%m%d}"].append((filing.accession_number, filing.submission))
    out.mkdir(parents=True, exist_ok=True)
    archives = []
    for day, members in sorted(days.items()):
        path = out / f"{day}.nc.tar.gz"
        with tarfile.open(path, "w:gz", compresslevel=6) as tar:
            for accession, data in members:
                info = tarfile.TarInfo(f"{accession}.nc")
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        archives.append(path)
    return archives


def library(db: Path, inputs: list[Path], engine: str, workers: int | None) -> tuple[int, float]:
    with Store(str(db)) as store:
        start = time.perf_counter()
        report = ingest(store, inputs, engine=engine, workers=workers)  # type: ignore[arg-type]
        return report.new, time.perf_counter() - start


def cli(db: Path, folder: Path) -> float:
    start = time.perf_counter()
    form4 = Path(sys.executable).with_name("form4")
    subprocess.run([str(form4), "-q", "ingest", str(folder), "--db", str(db)], check=True)
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--filings", type=int, default=50_000)
    ap.add_argument("--per-day", type=int, default=2_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        started = time.perf_counter()
        archives = feed_archives(args.filings, args.per_day, tmp / "feed")
        size = sum(p.stat().st_size for p in archives)
        print(f"{args.filings:,} filings in {len(archives)} feed archives, {size / 1e6:.0f} MB, "
              f"made in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        runs = []
        for name, engine, workers in (("local engine (library)", "local", None),
                                      ("Dask, 1 worker (local cluster)", "dask", 1),
                                      ("Dask, 2 workers (local cluster)", "dask", 2)):
            n, secs = library(tmp / f"{engine}-{workers}.duckdb", archives, engine, workers)
            runs.append((name, n, secs))
            print(f"{name}: {n / secs:,.0f} filings/s", file=sys.stderr)
        secs = cli(tmp / "cli.duckdb", tmp / "feed")
        runs.append(("`form4 ingest FEED_DIR` (CLI, local engine, process start included)", args.filings, secs))
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores; parsing included\n")
    print("| run | filings | seconds | filings/s | vs local |")
    print("| --- | ---: | ---: | ---: | ---: |")
    local = runs[0][1] / runs[0][2]
    for name, n, secs in runs:
        print(f"| {name} | {n:,} | {secs:.1f} | {n / secs:,.0f} | {n / secs / local:.2f}x |")
    print("\nTarget: the CLI ingests feed archives at ≥ 5,000 filings/s on 2 cores.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
