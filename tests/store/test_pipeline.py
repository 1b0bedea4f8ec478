"""The ingest pipeline's engines: the Dask engine on a local cluster of 2 workers stores
exactly what the local engine stores, on both databases."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from form4.model import is_form
from form4.pipeline import ingest, parts, units
from form4.pipeline.parts import Part, submission_type
from form4.store import Store
from tests.conftest import CORPUS, ROOT
from tests.store.snapshot import snapshot

FEED = ROOT / "examples" / "feed" / "20250307.tar.gz"


def _inputs(tmp_path: Path) -> list[Path]:
    """Filings in every form a user brings them: XML, submissions, a feed archive, a lossy
    rendering of a filing also given as XML, and documents that cannot be read."""
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "truncated.xml").write_bytes(b"<ownershipDocument><issuer>")
    (bad / "notes.txt").write_bytes(b"nothing to see here")
    return [CORPUS / "xml", CORPUS / "txt", FEED, ROOT / "examples" / "lossy", ROOT / "examples" / "filings", bad]


def test_dask_engine_stores_what_the_local_engine_stores(new_store: Callable[[], str], tmp_path: Path) -> None:
    inputs = _inputs(tmp_path)
    with Store(new_store()) as local, Store(new_store()) as dask:
        by_local = ingest(local, inputs, batch=100)
        by_dask = ingest(dask, inputs, engine="dask", workers=2, batch=100)
        assert (by_dask.documents, by_dask.new, by_dask.duplicates, by_dask.quarantined) == \
            (by_local.documents, by_local.new, by_local.duplicates, by_local.quarantined)
        assert by_local.new > 350 and by_local.duplicates > 0 and by_local.quarantined == 2
        assert snapshot(dask) == snapshot(local)


def test_dask_engine_refuses_standard_input(tmp_path: Path) -> None:
    with Store(str(tmp_path / "s.duckdb")) as store, pytest.raises(ValueError, match="standard input"):
        ingest(store, ["-"], engine="dask", workers=1)


def test_forms_skip_other_submissions_unread(tmp_path: Path) -> None:
    other = tmp_path / "10k.txt"
    other.write_bytes(b"<SEC-DOCUMENT>x.txt : 20250307\n<SEC-HEADER>x\nACCESSION NUMBER:\t\t0000000000-25-000001\n"
                      b"CONFORMED SUBMISSION TYPE:\t10-K\n</SEC-HEADER>\n<DOCUMENT>\n<TYPE>10-K\n</DOCUMENT>\n")
    with Store(str(tmp_path / "s.duckdb")) as store:
        report = ingest(store, [other, FEED], forms={"4"}, workers=1)
    assert (report.skipped, report.quarantined, report.new) == (1, 0, 2)


def test_submission_types_and_amendments() -> None:
    assert submission_type((CORPUS / "txt" / "0001031563-05-000019.txt").read_bytes()) == "4"
    assert submission_type(b"<ownershipDocument/>") is None
    assert is_form("4/A", {"4"}) and is_form("4", {"3", "4"}) and not is_form("4", {"3"})
    assert not is_form("10-K", {"4"})


def test_the_cli_ingests_on_a_running_dask_scheduler(tmp_path: Path) -> None:
    from distributed import LocalCluster
    from typer.testing import CliRunner

    from form4.cli import app

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        result = CliRunner().invoke(app, ["ingest", str(FEED), str(ROOT / "examples" / "filings"), "--engine", "dask",
                                          "--scheduler", cluster.scheduler_address,
                                          "--db", str(tmp_path / "s.duckdb")])
    assert result.exit_code == 0, result.output
    documents = [p for p in (ROOT / "examples" / "filings").rglob("*") if p.is_file()]
    assert f"{len(documents) + 2} new filings" in result.output  # the feed's two and every example


def test_a_reader_pauses_the_cycle_collector_only_while_it_reads(tmp_path: Path) -> None:
    """Readers pause Python's cycle collector for a part (its passes find nothing there) and
    leave it as they found it, when a document cannot be read too."""
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<ownershipDocument><issuer>")
    docs = [(p.name, p.read_bytes(), None) for p in sorted((CORPUS / "xml").glob("*.xml"))[:3]]
    seen: list[bool] = []
    real = parts.read_chunk

    def spying(*args: Any, **kwargs: Any) -> Part:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    assert gc.isenabled()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parts, "read_chunk", spying)
        patch.setattr(units, "read_chunk", spying)
        part = parts.read_sealed([*docs, (bad.name, bad.read_bytes(), None)])
        whole = units.read_unit([str(bad), *(str(CORPUS / "xml" / name) for name, _, _ in docs)], None)
    assert seen == [False, False] and gc.isenabled()
    assert (part.documents, len(part.errors), whole.documents, len(whole.errors)) == (4, 1, 4, 1)
    gc.disable()
    try:
        parts.read_sealed(docs)
        assert not gc.isenabled()  # paused by someone else: left paused
    finally:
        gc.enable()
