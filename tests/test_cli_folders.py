"""One rule for a folder a command writes into and that does not exist (``report --out``,
``download --out``, ``export --out``, ``mirror serve --root``, the folder of a new store): it is
made, parents and all, and the command says so on standard error (not with -q). And a failed
``import-sec-dataset`` into a new store leaves nothing behind."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

import form4
from form4.cli import app
from tests.conftest import ROOT

EXAMPLES = str(ROOT / "examples" / "filings")
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(form4.__file__).parents[1]), str(ROOT),
                                                    os.environ.get("PYTHONPATH", "")])}
AGENT = "form4 tests tests@example.com"


def made(result_stderr: str, folder: Path) -> bool:
    return f"made the folder {folder}\n" in result_stderr


def test_a_new_store_in_a_missing_folder_then_export_and_charts_into_missing_folders(tmp_path: Path) -> None:
    db = tmp_path / "stores" / "2024" / "s.duckdb"
    ingested = CliRunner().invoke(app, ["ingest", EXAMPLES, "--db", str(db)])
    assert ingested.exit_code == 0 and made(ingested.stderr, db.parent) and db.is_file()
    quiet = CliRunner().invoke(app, ["-q", "ingest", EXAMPLES, "--db", str(tmp_path / "q" / "s.duckdb")])
    assert quiet.exit_code == 0 and quiet.stderr == "" and (tmp_path / "q" / "s.duckdb").is_file()

    out = tmp_path / "exports" / "deep" / "t.csv"
    exported = CliRunner().invoke(app, ["export", "--db", str(db), "--out", str(out)])
    assert exported.exit_code == 0 and made(exported.stderr, out.parent) and out.read_text().startswith("accession")
    again = CliRunner().invoke(app, ["export", "--db", str(db), "--out", str(out)])
    assert again.exit_code == 0 and "made the folder" not in again.stderr  # said once: when it was made

    charts = tmp_path / "charts" / "snow"
    reported = CliRunner().invoke(app, ["report", "issuer", "SNOW", "--db", str(db), "--out", str(charts),
                                        "-f", "json"])
    assert reported.exit_code == 0 and made(reported.stderr, charts)
    assert (charts / "trading.png").is_file()


def test_a_missing_store_makes_no_folder_for_a_command_that_only_reads(tmp_path: Path) -> None:
    run = CliRunner().invoke(app, ["export", "--db", str(tmp_path / "none.duckdb"), "--out",
                                   str(tmp_path / "out" / "t.csv")])
    assert run.exit_code == 1 and "no store" in run.stderr and not (tmp_path / "out").exists()


def test_a_failed_import_into_a_new_store_leaves_no_store_and_no_folder(tmp_path: Path) -> None:
    bad = tmp_path / "2024q1_form345.zip"
    bad.write_bytes(b"PK not a zip")
    db = tmp_path / "new" / "deeper" / "s.duckdb"
    run = CliRunner().invoke(app, ["import-sec-dataset", str(bad), "--db", str(db)])
    assert run.exit_code == 1 and "not a zip file" in run.stderr
    assert not (tmp_path / "new").exists()
    flat = tmp_path / "flat.duckdb"
    assert CliRunner().invoke(app, ["import-sec-dataset", str(bad), "--db", str(flat)]).exit_code == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [bad.name]  # no store, no .wal
    # a store that was there before is kept, filings and all
    kept = tmp_path / "kept.duckdb"
    assert CliRunner().invoke(app, ["-q", "ingest", EXAMPLES, "--db", str(kept)]).exit_code == 0
    assert CliRunner().invoke(app, ["import-sec-dataset", str(bad), "--db", str(kept)]).exit_code == 1
    count = CliRunner().invoke(app, ["query", "SELECT count(*) AS n FROM filings", "--db", str(kept), "-f", "csv"])
    assert count.stdout == f"n\n{sum(1 for _ in form4.iter_filings(EXAMPLES))}\n"


def test_mirror_root_and_download_out_are_made_and_said(tmp_path: Path) -> None:
    root = tmp_path / "mirrors" / "here"
    server = subprocess.Popen([sys.executable, "-m", "form4", "mirror", "serve", "--port", "0", "--root", str(root)],
                              env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        found = re.search(r"export FORM4_SEC_BASE_URL=(http://127\.0\.0\.1:\d+)$", server.stdout.readline().strip())
        assert found
        out = tmp_path / "downloads" / "snow"
        downloaded = subprocess.run(
            [sys.executable, "-m", "form4", "download", "--cik", "1640147", "--out", str(out)], capture_output=True,
            text=True, timeout=300, env={**ENV, "FORM4_SEC_BASE_URL": found.group(1), "FORM4_USER_AGENT": AGENT,
                                         "FORM4_CACHE": str(tmp_path / "cache"), "FORM4_CONFIG": str(tmp_path / "c")})
        assert downloaded.returncode == 0, downloaded.stderr
        assert made(downloaded.stderr, out) and len(list(out.glob("*.txt"))) == 3
    finally:
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=30)
    assert made(err, root) and (root / "files").is_dir()
