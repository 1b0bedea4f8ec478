"""The store on both engines: idempotent ingest, quarantine, views, amendments, exports
(the SEC data set: test_sec_dataset.py)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import form4
from form4.pipeline import ingest
from form4.store import Store
from tests.conftest import CORPUS, ROOT

XML = CORPUS / "xml"
SUBMISSIONS = CORPUS / "txt"


def counts(store: Store) -> dict[str, int]:
    return {t: store.query(f"SELECT count(*) AS n FROM {t}", format="arrow").to_pylist()[0]["n"]
            for t in ("filings", "reporting_owners", "security_rows", "footnotes", "signatures", "quarantine")}


def test_ingest_stores_every_filing_once(store_url: str) -> None:
    documents = sum(1 for _ in form4.iter_filings([XML, SUBMISSIONS]))
    with Store(store_url) as store:
        report = ingest(store, [XML, SUBMISSIONS], batch=40)
        # some are other readings of one filing (tests/store/test_identity.py): each is stored once
        assert report.documents == report.new + report.duplicates == documents and report.quarantined == 0
        first = counts(store)
        assert first["filings"] == report.new
        again = ingest(store, [XML, SUBMISSIONS])
        assert again.new == again.duplicates == 0 and again.already_stored == documents
        assert counts(store) == first
    with Store(store_url) as store:  # every filing traces back to its document
        traced = store.query("SELECT source_path, source_sha256 FROM filings", format="arrow").to_pylist()
    assert all(r["source_path"] and len(r["source_sha256"]) == 64 for r in traced)
    expected_rows = sum(len(f.non_derivative_transactions) + len(f.non_derivative_holdings)
                        + len(f.derivative_transactions) + len(f.derivative_holdings)
                        for f in form4.iter_filings([r["source_path"] for r in traced]))
    assert first["security_rows"] == expected_rows


def test_transactions_view_gives_a_row_per_owner(store_url: str) -> None:
    with Store(store_url) as store:
        ingest(store, [XML])
        rows = store.query("SELECT * FROM transactions", format="arrow").to_pylist()
        expected = sum(len(f.reporting_owners) * (len(f.non_derivative_transactions) + len(f.derivative_transactions))
                       for f in store.filings())
    assert len(rows) == expected
    row = rows[0]
    for name in ("accession_number", "table", "issuer_cik", "issuer_name", "trading_symbol", "owner_cik",
                 "owner_name", "is_director", "is_officer", "transaction_code", "shares", "footnotes"):
        assert name in row
    assert {r["table"] for r in rows} == {"non_derivative", "derivative"}


def test_broken_documents_are_quarantined_and_the_batch_goes_on(store_url: str, tmp_path: Path) -> None:
    tmp_path = tmp_path / "in"
    tmp_path.mkdir()
    good = tmp_path / "0000000001-24-000001.xml"
    good.write_bytes((XML / "374WaterForm4.xml").read_bytes())
    (tmp_path / "broken.xml").write_bytes(b"<?xml version='1.0'?><ownershipDocument><issuer>")
    (tmp_path / "evil.xml").write_bytes(b'<!DOCTYPE x [<!ENTITY a "b">]><ownershipDocument/>')
    with Store(store_url) as store:
        report = ingest(store, [tmp_path])
        assert (report.new, report.quarantined) == (1, 2)
        held = store.query("SELECT source_path, error, raw FROM quarantine ORDER BY source_path", format="arrow")
        rows = held.to_pylist()
        assert [Path(r["source_path"]).name for r in rows] == ["broken.xml", "evil.xml"]
        assert rows[0]["error"] == "MalformedInputError" and rows[0]["raw"].startswith(b"<?xml")
        assert ingest(store, [tmp_path]).quarantined == 2 and counts(store)["quarantine"] == 2


def test_stored_accessions_are_found_among_filings_and_quarantined_paths(store_url: str, tmp_path: Path) -> None:
    (tmp_path / "0000000001-24-000001.xml").write_bytes((XML / "374WaterForm4.xml").read_bytes())
    (tmp_path / "0000000002-24-000002.txt").write_bytes(b"<SEC-DOCUMENT>nothing of an ownership document")
    with Store(store_url) as store:
        assert ingest(store, [tmp_path]).quarantined == 1
        asked = ["0000000001-24-000001", "0000000002-24-000002", "0000000003-24-000003"]
        assert store.stored_accessions(asked) == set(asked[:2])
        assert store.stored_accessions([]) == set()
        # the quarantine is asked by its own column, kept as each document is quarantined
        assert store.query("SELECT accession_number FROM quarantine", format="arrow").column(0).to_pylist() == [
            "0000000002-24-000002"]


def test_sizes_come_from_the_databases_statistics(store_url: str, tmp_path: Path) -> None:
    (tmp_path / "0000000001-24-000001.xml").write_bytes((XML / "374WaterForm4.xml").read_bytes())
    with Store(store_url) as store:
        ingest(store, [tmp_path])
        if store.engine.dialect == "postgres":  # the planner's estimate, once the tables are analyzed
            store.engine.execute("ANALYZE")
        exact = counts(store)
        sizes = store.sizes(["filings", "current_rows", "quarantine"])
        assert sizes["filings"] == exact["filings"] == 1 and sizes["quarantine"] == 0
        rows = store.query("SELECT count(*) FROM current_rows", format="arrow").column(0)[0].as_py()
        assert sizes["current_rows"] == rows > 0
        with pytest.raises(ValueError, match="no table"):
            store.sizes(["nothing"])


def test_amendment_replaces_its_original_in_the_current_views(store_url: str, tmp_path: Path) -> None:
    tmp_path = tmp_path / "in"
    tmp_path.mkdir()
    original = (XML / "374WaterForm4.xml").read_text()
    (tmp_path / "0000000001-25-000001.xml").write_text(original)
    amended = original.replace("<documentType>4</documentType>", "<documentType>4/A</documentType>")
    assert "4/A" in amended
    (tmp_path / "0000000001-25-000002.xml").write_text(amended)
    with Store(store_url) as store:
        ingest(store, [tmp_path])
        links = store.query("SELECT accession_number, amends FROM filings ORDER BY 1", format="arrow").to_pylist()
        assert links[1] == {"accession_number": "0000000001-25-000002", "amends": "0000000001-25-000001"}
        current = store.query("SELECT DISTINCT accession_number FROM current_transactions", format="arrow")
        assert current.to_pylist() == [{"accession_number": "0000000001-25-000002"}]
        assert len(store.query("SELECT DISTINCT accession_number FROM transactions", format="arrow")) == 2


def test_exports(store_url: str, tmp_path: Path) -> None:
    with Store(store_url) as store:
        ingest(store, [XML])
        n = store.export(tmp_path / "t.parquet", view="transactions", format="parquet")
        assert pq.read_table(tmp_path / "t.parquet").num_rows == n > 0
        store.export(tmp_path / "h.jsonl", view="holdings", format="jsonl")
        lines = (tmp_path / "h.jsonl").read_text().splitlines()
        assert lines and "security_title" in json.loads(lines[0])
        store.export(tmp_path / "f.csv", view="filings", format="csv")
        with (tmp_path / "f.csv").open(newline="") as f:
            assert len(list(csv.DictReader(f))) == counts(store)["filings"]


def test_examples_ingest(tmp_path: Path) -> None:
    with Store(str(tmp_path / "e.duckdb")) as store:
        report = ingest(store, [ROOT / "examples" / "filings"])
        documents = [p for p in (ROOT / "examples" / "filings").rglob("*") if p.is_file()]
        assert report.new == report.documents == len(documents) and report.quarantined == 0


def test_filings_rebuilt_from_the_store_keep_their_warnings_and_confidence(store_url: str) -> None:
    path = next(p for p in sorted((CORPUS / "text").glob("*.ocr200.txt")) if form4.read(p).warnings)
    read = form4.read(path)
    with Store(store_url) as store:
        ingest(store, [path])
        [rebuilt] = store.filings()
    assert rebuilt.warnings == read.warnings and rebuilt.confidence == pytest.approx(read.confidence)
