"""Validation throughput: form4.validation.validate over parsed filings, on one core.

    python benchmarks/bench_validate.py [--corpus ../shared/corpus] [--filings 5000]

The corpus XMLs are parsed once and repeated to at least --filings filings held in memory, so
only validation is measured; beside it the floor of merely visiting every row of every
filing, and validate_many over the whole batch (which adds the cross-filing price check).
Prints a Markdown table for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

import form4
from form4.model import ROW_TABLES, Filing
from form4.validation import validate, validate_many
from timing import best_rate

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus"


def visit_rows(filing: Filing) -> int:
    """The floor: touch every row's fields a rule reads, and nothing else."""
    count = 0
    for table in ROW_TABLES:
        for row in getattr(filing, table):
            count += row.shares_owned_following is not None
    return count


def batch_rate(filings: list[Filing], rounds: int = 3) -> float:
    best = 0.0
    for _ in range(rounds):
        start = time.perf_counter()
        validate_many(filings)
        best = max(best, len(filings) / (time.perf_counter() - start))
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--filings", type=int, default=5_000)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target says

    docs = [p.read_bytes() for p in sorted((args.corpus / "xml").glob("*.xml"))]
    parsed = [form4.read_bytes(doc) for doc in docs]
    filings = list(itertools.islice(itertools.cycle(parsed), max(args.filings, len(parsed))))
    run: Any = validate
    results = [("visit every row (floor)", best_rate(visit_rows, filings)),  # type: ignore[arg-type]
               ("validate(filing)", best_rate(run, filings)),  # type: ignore[arg-type]
               ("validate_many(all filings)", batch_rate(filings)),
               ("form4.read_bytes (parse, for scale)", best_rate(form4.read_bytes, docs * 5))]
    ours = results[1][1]
    print(f"Python {platform.python_version()} on {platform.machine()}, one core, best of 3 rounds, "
          f"{len(filings):,} filings ({len(parsed)} distinct)\n")
    print("| step | filings/s | µs a filing |")
    print("| --- | ---: | ---: |")
    for name, rate in results:
        print(f"| {name} | {rate:,.0f} | {1e6 / rate:,.0f} |")
    print(f"\n- validate: {ours:,.0f} filings/s (target ≥ 5,000)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
