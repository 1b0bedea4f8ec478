"""Read every example filing and show its trades as one pandas table.

    .venv/bin/python examples/insider_rows.py [PATH ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

import form4


def main(paths: list[str]) -> None:
    failures: list[form4.ReadError] = []
    filings = list(form4.iter_filings(paths or [str(Path(__file__).parent / "filings")], on_error=failures.append))
    frame = form4.to_pandas(filings)
    trades = frame[frame["kind"] == "transaction"]
    print(trades[["trading_symbol", "owner_name", "transaction_date", "transaction_code",
                  "shares", "price_per_share", "acquired_disposed"]].to_string(index=False))
    for failure in failures:
        print(f"skipped {failure}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
