"""One filing read from several forms is stored once: the identity test on small filings made
here, and the store on both engines fed the corpus's renderings of one filing."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import pytest
from typer.testing import CliRunner

import form4
from form4 import identity
from form4.cli import app
from form4.model import Filing, Issuer, NonDerivativeHolding, NonDerivativeTransaction, ReportingOwner
from form4.pipeline import ingest
from form4.store import Store
from tests.conftest import CORPUS

NAME = "dev11-00000"
XML = CORPUS / "xml" / f"{NAME}.xml"
LOSSY = [CORPUS / "html" / f"{NAME}.html", CORPUS / "pdf" / f"{NAME}.pdf",
         *(CORPUS / "text" / f"{NAME}.{kind}.txt" for kind in ("layout", "raw", "ocr300", "ocr200", "cells"))]
SCAN = CORPUS / "pdfimg" / f"{NAME}.pdf"
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed")


# --- the identity test, on filings made here -----------------------------------------------

def filing(**changes: object) -> Filing:
    """A Form 4 as its XML gives it: two Table I rows, one holding, CIKs."""
    base = Filing(
        form_type="4", period_of_report=dt.date(2024, 3, 1), source="xml",
        issuer=Issuer(cik="0000320193", name="Acme Widgets, Inc.", trading_symbol="ACME"),
        reporting_owners=[ReportingOwner(cik="0001214156", name="Núñez José A", street1="1 Main St", is_officer=True)],
        non_derivative_transactions=[
            NonDerivativeTransaction(security_title="Common Stock", transaction_date=dt.date(2024, 3, 1),
                                     transaction_code="S", shares=1200.0, price_per_share=10.5,
                                     acquired_disposed="D", shares_owned_following=48800.0, direct_or_indirect="D",
                                     footnotes={"price_per_share": ["F1"]}),
            NonDerivativeTransaction(security_title="Common Stock", transaction_date=dt.date(2024, 3, 2),
                                     transaction_code="M", shares=500.0, acquired_disposed="A",
                                     shares_owned_following=49300.0, direct_or_indirect="D")],
        non_derivative_holdings=[NonDerivativeHolding(security_title="Common Stock", shares_owned_following=1000.0,
                                                      direct_or_indirect="I", nature_of_ownership="By trust")])
    return msgspec.structs.replace(base, **changes)


def printed(f: Filing) -> Filing:
    """What a printed form gives of it: no CIKs, no accession number."""
    out = msgspec.json.decode(msgspec.json.encode(f), type=Filing)
    out.accession_number, out.issuer.cik, out.source = None, None, "ocr"
    for owner in out.reporting_owners:
        owner.cik = None
    return out


def same(a: Filing, b: Filing) -> bool:
    return identity.same_filing(identity.fingerprint(a), identity.fingerprint(b))


def test_the_rank_puts_the_filers_xml_first_and_ocr_last() -> None:
    ranked = sorted(identity.RANK, key=identity.order)
    assert ranked[:2] == ["xml", "sgml"] and ranked[2:] == ["sec-dataset", "html", "pdf", "text", "ocr"]
    assert identity.order("xml") == identity.order("sgml")
    assert identity.order("text", 2) < identity.order("text", 5) < identity.order("ocr", 0)
    assert identity.order("something new") > identity.order("ocr", 99)


def test_every_exact_rendering_has_the_same_content_key() -> None:
    xml = identity.fingerprint(filing())
    assert identity.content_key(identity.fingerprint(printed(filing()))) == identity.content_key(xml)
    renamed = filing(issuer=Issuer(name="ACME WIDGETS INC", trading_symbol="acme"))
    assert identity.content_key(identity.fingerprint(renamed)) == identity.content_key(xml)
    other = filing(period_of_report=dt.date(2024, 3, 2))
    assert identity.content_key(identity.fingerprint(other)) != identity.content_key(xml)


def test_a_lossy_reading_matches_despite_what_ocr_gets_wrong() -> None:
    ocr = printed(filing())
    ocr.reporting_owners[0].name = "Nunez Jose A"  # accents lost
    ocr.reporting_owners[0].street1 = "l Maln St"  # a garbled street
    ocr.non_derivative_transactions[0].shares = 1280.0  # one wrong digit
    ocr.non_derivative_transactions[1].transaction_code = None  # a code not read
    ocr.non_derivative_transactions[0].footnotes = {}  # a missed footnote
    ocr.issuer.name = "ACME WIDGETS INC al' Nunez"  # the name run into the owner's
    assert same(ocr, filing()) and same(filing(), ocr)


def test_a_reading_that_misses_or_adds_a_row_still_matches() -> None:
    extra = printed(filing())
    extra.non_derivative_transactions.insert(1, NonDerivativeTransaction(transaction_code="J", shares=3.0))
    assert same(extra, filing())
    many = filing(non_derivative_transactions=filing().non_derivative_transactions * 6)
    fewer = printed(many)
    del fewer.non_derivative_transactions[4]
    assert same(fewer, many)


@pytest.mark.parametrize("change", [
    {"reporting_owners": [ReportingOwner(name="Smith Karen B")]},
    {"period_of_report": dt.date(2024, 4, 12)},
    {"form_type": "4/A"},
    {"issuer": Issuer(name="Other Holdings Corp", trading_symbol="OTH")},
])
def test_another_owner_period_form_or_issuer_is_another_filing(change: dict[str, object]) -> None:
    assert not same(printed(filing(**change)), filing())


def test_other_rows_make_another_filing() -> None:
    other = printed(filing())
    for row in other.non_derivative_transactions:
        row.shares, row.shares_owned_following = 777.0, 12345.0
    assert not same(other, filing())
    dollars = printed(filing())  # the same digits given as a dollar value: another row
    for row in dollars.non_derivative_transactions:
        row.shares_owned_following, row.value_owned_following = None, row.shares_owned_following
    assert not same(dollars, filing())


def test_accession_numbers_decide_alone_and_ciks_must_agree() -> None:
    assert not same(filing(accession_number="0000000001-24-000001"), filing(accession_number="0000000001-24-000002"))
    assert same(filing(accession_number="0000000001-24-000001"), printed(filing()))
    assert not same(filing(issuer=Issuer(cik="0000000002", name="Acme Widgets, Inc.", trading_symbol="ACME")),
                    filing())


def test_a_reading_with_almost_nothing_is_no_ones() -> None:
    bare = Filing(form_type="4", period_of_report=dt.date(2024, 3, 1), issuer=Issuer(trading_symbol="ACME"))
    assert not same(bare, filing())


# --- the store, on both engines --------------------------------------------------------------

def table(store: Store, sql: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = store.query(sql, format="arrow").to_pylist()
    return rows


def stored(store: Store) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    filings = table(store, "SELECT accession_number, source, source_path FROM filings")
    sources = table(store, "SELECT accession_number, source, source_path, kept FROM filing_sources")
    return filings, sources


def rows_of(path: Path) -> int:
    f = form4.read(path)
    return sum(len(getattr(f, t)) for t in form4.model.ROW_TABLES)


def numbered(folder: Path, number: str = "0000000001-24-000001") -> Path:
    """dev11-00000's XML under a name that gives it an accession number (form4.parse)."""
    path = folder / f"{number}.xml"
    path.write_bytes(XML.read_bytes())
    return path


def assert_one_filing_from_xml(store: Store, readings: list[Path]) -> None:
    filings, sources = stored(store)
    assert [(f["source"], f["source_path"]) for f in filings] == [("xml", str(XML))]
    assert sorted(s["source_path"] for s in sources) == sorted(map(str, readings))
    assert {s["accession_number"] for s in sources} == {filings[0]["accession_number"]}
    assert [s["source_path"] for s in sources if s["kept"]] == [str(XML)]
    assert table(store, "SELECT count(*) AS n FROM security_rows") == [{"n": rows_of(XML)}]
    assert table(store, "SELECT count(*) AS n FROM reporting_owners") == [{"n": 1}]


@needs_tesseract
def test_one_filing_read_from_every_form_is_stored_once(store_url: str) -> None:
    readings = [XML, *LOSSY, SCAN]
    with Store(store_url) as store:
        report = ingest(store, readings)
        assert (report.documents, report.new, report.duplicates, report.quarantined) == (len(readings), 1,
                                                                                         len(readings) - 1, 0)
        assert_one_filing_from_xml(store, readings)
        again = ingest(store, readings)
        assert (again.new, again.duplicates, again.already_stored) == (0, 0, len(readings))
        assert_one_filing_from_xml(store, readings)


@needs_tesseract
def test_lossy_readings_first_the_xml_last_keeps_the_xml(store_url: str) -> None:
    readings = [SCAN, *LOSSY[::-1], XML]
    with Store(store_url) as store:
        reports = [ingest(store, [path], workers=1) for path in readings]  # each in a batch of its own
        assert [r.new for r in reports] == [1] + [0] * (len(readings) - 1)
        assert sum(r.upgraded for r in reports) >= 4 and reports[-1].upgraded == 1  # scan, text, PDF, HTML, XML
        assert_one_filing_from_xml(store, readings)


def test_an_xml_with_accession_number_takes_the_place_of_its_renderings(store_url: str, tmp_path: Path) -> None:
    with Store(store_url) as store:
        ingest(store, LOSSY[:3], batch=1)
        report = ingest(store, [numbered(tmp_path)])
        assert (report.new, report.duplicates, report.upgraded) == (0, 1, 1)
        filings, sources = stored(store)
        assert [(f["accession_number"], f["source"]) for f in filings] == [("0000000001-24-000001", "xml")]
        assert {s["accession_number"] for s in sources} == {"0000000001-24-000001"} and len(sources) == 4
        assert table(store, "SELECT count(*) AS n FROM security_rows") == [{"n": rows_of(XML)}]


def test_edgar_duplicates_under_two_accession_numbers_stay_two(store_url: str, tmp_path: Path) -> None:
    for number in ("0000000001-24-000001", "0000000001-24-000002"):
        numbered(tmp_path, number)
    with Store(store_url) as store:
        report = ingest(store, [tmp_path, *LOSSY[:2]])
        assert (report.new, report.duplicates) == (2, 2)
        filings, sources = stored(store)
        assert sorted(f["accession_number"] for f in filings) == ["0000000001-24-000001", "0000000001-24-000002"]
        lossy_homes = {s["accession_number"] for s in sources if s["source"] != "xml"}
        assert len(lossy_homes) == 1  # both renderings went to one of them, not to both


def other_filing(folder: Path, name: str, change: Callable[[str], str]) -> Path:
    """dev11-00000's XML changed by ``change``: another filing of its issuer and period."""
    path = folder / name
    changed = change(XML.read_text())
    assert changed != XML.read_text()
    path.write_text(changed)
    return path


def other_holdings(text: str) -> str:
    """Every amount owned after a transaction other: another filing's rows."""
    for row in form4.read(XML).non_derivative_transactions:
        text = text.replace(f"<value>{row.shares_owned_following:g}</value>", "<value>1</value>")
    return text


def test_two_filings_of_one_issuer_and_period_stay_two(store_url: str, tmp_path: Path) -> None:
    owner = form4.read(XML).reporting_owners[0].name or ""
    other_owner = other_filing(tmp_path, "other-owner.xml", lambda text: text.replace(owner, "Okafor Chidi"))
    other_rows = other_filing(tmp_path, "other-rows.xml", other_holdings)
    amendment = other_filing(tmp_path, "amendment.xml", lambda text: text.replace(
        "<documentType>4</documentType>", "<documentType>4/A</documentType>"))
    with Store(store_url) as store:
        report = ingest(store, [XML, other_owner, other_rows, amendment, *LOSSY[:2]])
        assert (report.new, report.duplicates) == (4, 2)
        homes = table(store, "SELECT f.source_path FROM filing_sources s JOIN filings f "
                             "ON f.accession_number = s.accession_number WHERE s.source <> 'xml'")
        assert {h["source_path"] for h in homes} == {str(XML)}


def test_a_lossy_reading_alike_to_two_filings_joins_one(store_url: str, tmp_path: Path) -> None:
    """Alike to both within what OCR gets wrong, it may not make the two filings one."""
    first = form4.read(XML).non_derivative_transactions[0]
    near = other_filing(tmp_path, "near.xml", lambda text: text.replace(
        f"<value>{first.shares_owned_following:g}</value>", "<value>1</value>"))
    scan = printed(form4.read(XML))
    scan.source_name, scan.non_derivative_transactions[1].transaction_code = "scan.pdf", None
    with Store(store_url) as store:
        ingest(store, [XML, near], batch=1)
        assert store.ingest_filings([scan]) == 0
        homes = table(store, "SELECT f.source_path AS home, s.source FROM filing_sources s JOIN filings f "
                             "ON f.accession_number = s.accession_number")
        assert sorted((str(h["home"]), h["source"]) for h in homes) == sorted(
            [(str(XML), "ocr"), (str(XML), "xml"), (str(near), "xml")])


def test_identical_xmls_without_accession_numbers_are_one_filing(store_url: str) -> None:
    # quirk-00000 and quirk-00008 are dev11-00009 re-saved the way some filing agents write it
    copies = [CORPUS / "xml" / name for name in ("dev11-00009.xml", "quirk-00000.xml", "quirk-00008.xml")]
    with Store(store_url) as store:
        report = ingest(store, copies)
        assert (report.new, report.duplicates) == (1, 2)


def test_an_sec_data_set_reading_gives_way_to_the_xml(store_url: str, new_store: Callable[[], str],
                                                      tmp_path: Path) -> None:
    xml = numbered(tmp_path)
    dataset = form4.read(xml)
    dataset.source, dataset.non_derivative_holdings = "sec-dataset", []
    with Store(store_url) as store:
        assert store.ingest_filings([dataset]) == 1
        report = ingest(store, [xml])
        assert (report.new, report.duplicates, report.upgraded) == (0, 1, 1)
        assert stored(store)[0][0]["source"] == "xml"
    with Store(new_store()) as store:  # the other way round: the XML stays
        ingest(store, [xml])
        assert store.ingest_filings([dataset]) == 0
        filings, sources = stored(store)
        assert filings[0]["source"] == "xml" and {(s["source"], s["kept"]) for s in sources} == {
            ("xml", True), ("sec-dataset", False)}


def test_sums_through_the_cli_count_each_filing_once(store_url: str) -> None:
    names = [f"dev11-{i:05d}" for i in range(3)]
    inputs = [str(p) for n in names for p in (CORPUS / "xml" / f"{n}.xml", CORPUS / "html" / f"{n}.html",
                                              CORPUS / "pdf" / f"{n}.pdf", *sorted(CORPUS.glob(f"text/{n}.*.txt")))]
    result = CliRunner().invoke(app, ["ingest", *inputs, "--db", store_url])
    assert result.exit_code == 0, result.output
    sql = "SELECT count(*) AS n, sum(shares) AS shares FROM transactions"
    result = CliRunner().invoke(app, ["query", sql, "--db", store_url, "--format", "json"])
    assert result.exit_code == 0, result.output
    [got] = json.loads(result.stdout)
    xmls = [form4.read(CORPUS / "xml" / f"{n}.xml") for n in names]
    rows = [r for f in xmls for r in (*f.non_derivative_transactions, *f.derivative_transactions)
            for _ in f.reporting_owners]
    assert got["n"] == len(rows) and got["shares"] == pytest.approx(sum(r.shares or 0 for r in rows))


def one_filing(record: dict[str, Any]) -> str:
    """What makes two corpus records one filing: all but the accession number and filing date
    (and footnote texts and signers, which one corpus copy of a real filing cuts short)."""
    shown = {k: v for k, v in record.items() if k not in ("accession_number", "filed_at", "signatures")}
    shown["footnotes"] = [note["id"] for note in record.get("footnotes") or []]
    return json.dumps(shown, sort_keys=True)


def test_each_corpus_filing_is_stored_once_with_its_kept_readings_rows(store_url: str) -> None:
    inputs = sorted((CORPUS / "xml").glob("*.xml")) + sorted((CORPUS / "txt").glob("*"))
    numbers: dict[str, set[str | None]] = {}
    for path in inputs:
        record = json.loads((CORPUS / "expected" / f"{path.stem}.json").read_text())
        numbers.setdefault(one_filing(record), set()).add(form4.read(path).accession_number)
    # quirk-* re-save dev11-*, txt/ wraps some of them in submissions, EDGAR duplicates keep two numbers
    expected = sum(max(1, len(accessions - {None})) for accessions in numbers.values())
    with Store(store_url) as store:
        report = ingest(store, inputs)
        assert (report.documents, report.new, report.duplicates) == (len(inputs), expected, len(inputs) - expected)
        kept = table(store, "SELECT s.accession_number, s.source_path, count(r.row_index) AS n FROM filing_sources s "
                            "LEFT JOIN security_rows r ON r.accession_number = s.accession_number "
                            "WHERE s.kept GROUP BY 1, 2")
        assert len(kept) == expected == table(store, "SELECT count(*) AS n FROM filings")[0]["n"]
        assert all(k["n"] == rows_of(Path(str(k["source_path"]))) for k in kept)
        assert table(store, "SELECT count(*) AS n FROM filing_sources")[0]["n"] == len(inputs)


def test_a_store_made_before_filing_sources_lists_each_filings_reading(store_url: str) -> None:
    with Store(store_url) as store:
        ingest(store, [XML, *LOSSY[:1]])
        store.engine.execute("DELETE FROM filing_sources")  # as a store made before the table
    with Store(store_url) as store:
        assert [(s["source_path"], s["kept"]) for s in stored(store)[1]] == [(str(XML), True)]
        assert ingest(store, [XML]).already_stored == 1
