"""A store kept in the folder it ingests: ``form4 ingest . --db ./store.duckdb`` reads the
filings and passes over the store's own files, and any other DuckDB database there with the
files DuckDB keeps beside it, instead of quarantining them as documents that are no filing."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from form4.inputs import input_bytes, iter_documents
from form4.pipeline import units
from tests.store.test_cli import EXAMPLES, Run, count

FILINGS = sorted(p.relative_to(EXAMPLES) for p in Path(EXAMPLES).rglob("*") if p.is_file())


def _folder_of_filings(tmp_path: Path) -> Path:
    folder = tmp_path / "filings"
    shutil.copytree(EXAMPLES, folder)
    return folder


def _foreign_database(folder: Path) -> list[Path]:
    """Another DuckDB database in the folder, named as no store would be, its write-ahead log
    left behind and a file in its spill folder: every file DuckDB keeps for it."""
    db = folder / "legacy" / "archive.bin"
    con = duckdb.connect(str(db))
    con.execute("PRAGMA disable_checkpoint_on_shutdown")  # so that its .wal stays
    con.execute("CREATE TABLE t AS SELECT 1 AS a")
    con.close()
    spill = folder / "legacy" / "archive.bin.tmp" / "duckdb_temp_storage-0.tmp"
    spill.parent.mkdir()
    spill.write_bytes(b"\0" * 4096)
    files = [db, db.with_name("archive.bin.wal"), spill]
    assert all(f.is_file() for f in files)
    return files


def _ingested_cleanly(run: Run, new: int) -> None:
    assert run.code == 0, (run.out, run.err)
    assert f"{len(FILINGS)} documents: {new} new filings" in run.out and "0 quarantined" in run.out
    assert "quarantined" not in run.err and "failed" not in run.err


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_store_inside_the_folder_it_ingests(workers: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(units, "UNIT_FILES", 1)  # with 2 workers, each file a unit of its own
    folder = _folder_of_filings(tmp_path)
    db = str(folder / "store.duckdb")
    _ingested_cleanly(Run("ingest", str(folder), "--db", db, "--workers", workers), new=len(FILINGS))
    _ingested_cleanly(Run("ingest", str(folder), "--db", db, "--workers", workers), new=0)  # the store there now
    assert (count(db), count(db, "quarantine")) == (len(FILINGS), 0)


def test_another_database_in_the_folder_is_passed_over(store_url: str, tmp_path: Path) -> None:
    folder = _folder_of_filings(tmp_path)
    foreign = _foreign_database(folder)
    _ingested_cleanly(Run("ingest", str(folder), "--db", store_url), new=len(FILINGS))
    assert count(store_url, "quarantine") == 0
    names = {doc.name for doc in iter_documents(folder)}
    assert names == {str(folder / name) for name in FILINGS}
    assert input_bytes(folder) == sum((folder / name).stat().st_size for name in FILINGS)  # what progress counts
    assert all(f.is_file() for f in foreign)  # left as they were


def test_a_database_named_as_an_input_is_not_a_filing(store_url: str, tmp_path: Path) -> None:
    db, _, _ = _foreign_database(_folder_of_filings(tmp_path))
    run = Run("ingest", str(db), "--db", store_url)
    assert run.code == 1 and "1 quarantined" in run.out
    assert f"{db}: a DuckDB database (a form4 store?), not a filing" in run.err
