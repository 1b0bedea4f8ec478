"""kill -9 a real ingest at random moments, run it again: every filing is stored exactly once."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

import form4
from form4.store import Store
from tests.conftest import CORPUS

COPIES = 150  # 64 corpus XMLs x 150 = 9,600 filings, each with its own accession number


def _inputs(folder: Path) -> dict[str, int]:
    """The corpus written under distinct accession numbers; rows expected per accession."""
    folder.mkdir()
    sources = sorted((CORPUS / "xml").glob("*.xml"))
    rows = {}
    for i in range(COPIES):
        for j, source in enumerate(sources):
            accession = f"{i:010d}-24-{j:06d}"
            (folder / f"{accession}.xml").write_bytes(source.read_bytes())
    for j, source in enumerate(sources):
        filing = form4.read(source)
        n = (len(filing.non_derivative_transactions) + len(filing.non_derivative_holdings)
             + len(filing.derivative_transactions) + len(filing.derivative_holdings))
        rows.update({f"{i:010d}-24-{j:06d}": n for i in range(COPIES)})
    return rows


def _ingest(url: str, folder: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "form4", "ingest", str(folder), "--db", url, "--batch", "64"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_kill_nine_then_run_again(store_url: str, tmp_path: Path) -> None:
    expected = _inputs(tmp_path / "in")
    rng = random.Random(1234)
    kills = 0
    for _ in range(5):
        proc = _ingest(store_url, tmp_path / "in")
        time.sleep(rng.uniform(0.5, 1.8))  # from start-up to well inside the batches
        if proc.poll() is None:
            proc.kill()  # SIGKILL: no cleanup, no rollback by the process itself
            kills += 1
        proc.wait()
    assert kills >= 3, "the ingest finished before it could be killed: make the input larger"
    assert _ingest(store_url, tmp_path / "in").wait(timeout=600) == 0
    with Store(store_url) as store:
        per_filing = store.query("SELECT f.accession_number, count(r.row_index) AS n FROM filings f "
                                 "LEFT JOIN security_rows r ON r.accession_number = f.accession_number "
                                 "GROUP BY f.accession_number", format="arrow").to_pylist()
        owners = store.query("SELECT count(*) AS n, count(DISTINCT accession_number) AS d FROM reporting_owners",
                             format="arrow").to_pylist()[0]
    assert {r["accession_number"]: r["n"] for r in per_filing} == expected
    assert owners["d"] == len(expected)
