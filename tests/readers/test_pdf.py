"""The PDF reader: text layers rebuilt into columns, and scans read by Tesseract."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import form4
from form4.compare import flagged, leaves, lookup, same
from tests.conftest import CORPUS

PDFS = sorted((CORPUS / "pdf").glob("*.pdf"))
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None,
                                     reason="Tesseract is not installed (.ci/run installs it)")


def _exact(path: Path) -> tuple[int, int]:
    truth = json.loads((CORPUS / "expected-visible" / f"{path.stem}.json").read_text())
    got = form4.read(path).to_dict()
    checks = [same(v, lookup(got, f)[1]) for f, v in leaves(truth)]
    return sum(checks), len(checks)


def test_text_layer_accuracy() -> None:
    exact = total = 0
    for path in PDFS:
        e, t = _exact(path)
        exact, total = exact + e, total + t
    assert total > 1800 and exact / total >= 0.995


@needs_tesseract
def test_scan_accuracy() -> None:
    # a little under today's 95.6 % (97.1 % when scans were read whole and re-read at fixed 300 dpi
    # regions fitted to these pages; read piece by piece, scans never tuned on gained 6 points and
    # the corpus lost 1.5: tests/readers/test_lossy_set.py holds the floor that counts)
    counts = [_exact(path) for path in sorted((CORPUS / "pdfimg").glob("*.pdf"))]
    exact, total = sum(e for e, _ in counts), sum(t for _, t in counts)
    assert total > 1800 and exact / total >= 0.95


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_every_pdf_reads(path: Path) -> None:
    filing = form4.read(path)
    assert filing.source == "pdf" and filing.issuer.name and filing.reporting_owners


def test_broken_pdf_is_a_read_error() -> None:
    data = PDFS[0].read_bytes()
    with pytest.raises(form4.ReadError) as err:
        form4.read_bytes(data[: len(data) // 3], "cut.pdf")
    assert "cut.pdf" in str(err.value)


@needs_tesseract
def test_scan_is_read_by_ocr_and_doubted_where_wrong() -> None:
    path = CORPUS / "pdfimg" / "dev11-00016.pdf"
    filing = form4.read(path)
    assert filing.source == "ocr" and filing.form_type == "3"
    got = filing.to_dict()
    truth = json.loads((CORPUS / "expected-visible" / f"{path.stem}.json").read_text())
    wrong = [f for f, v in leaves(truth) if not same(v, lookup(got, f)[1])]
    assert len(wrong) < len(list(leaves(truth)))  # it reads something ...
    assert all(flagged(got, f) for f in wrong)  # ... and doubts everything it got wrong


@needs_tesseract
def test_owner_name_in_large_type_is_read_on_its_own() -> None:
    # the whole page read at once turns this name into "tend"; read on its own it is clear
    filing = form4.read(CORPUS / "pdfimg" / "dev11-00011.pdf")
    assert filing.reporting_owners[0].name == "Silva James"


@needs_tesseract
def test_officer_title_in_large_type_is_read_on_its_own() -> None:
    filing = form4.read(CORPUS / "pdfimg" / "dev11-00011.pdf")
    assert filing.reporting_owners[0].officer_title == "Chief Executive Officer"


@needs_tesseract
def test_title_cells_over_several_lines_are_read_on_their_own() -> None:
    # the whole page loses "Convertible" and "Preferred" between "Series B" and "Stock"
    filing = form4.read(CORPUS / "pdfimg" / "dev11-00012.pdf")
    assert filing.derivative_transactions[0].security_title == "Series B Convertible Preferred Stock"


@needs_tesseract
def test_relationship_ticks_are_read_on_their_own() -> None:
    # the whole page loses the row "X Director  10% Owner" under the relationship label
    owner = form4.read(CORPUS / "pdfimg" / "dev11-00009.pdf").reporting_owners[0]
    assert (owner.is_director, owner.is_ten_percent_owner) == (True, False)


@needs_tesseract
def test_dates_beside_wrapped_titles_are_read_in_their_own_column() -> None:
    # the whole page runs "Common Stock, par value $0.01 per" into the date beside it ("1926/0005")
    path = CORPUS / "pdfimg" / "dev11-00019.pdf"
    truth = json.loads((CORPUS / "expected-visible" / f"{path.stem}.json").read_text())
    rows = form4.read(path).non_derivative_transactions
    expected = [r["transaction_date"] for r in truth["non_derivative_transactions"]]
    assert [str(r.transaction_date) for r in rows] == expected


@needs_tesseract
def test_street_read_in_pieces_on_one_line_is_one_line() -> None:
    owner = form4.read(CORPUS / "pdfimg" / "dev11-00001.pdf").reporting_owners[0]  # "1" and "MARKET PLAZA"
    assert (owner.street1, owner.street2) == ("1 MARKET PLAZA", None)


@needs_tesseract
@pytest.mark.parametrize(("name", "street", "city"), [
    ("dev11-00013.pdf", "1 MARKET PLAZA", "SAN MATEO"),  # "(Street)" read as "creat)"
    ("dev11-00016.pdf", "1 MARKET PLAZA", "CHICAGO"),  # "Last First) Middle", and "(Street)" lost
])
def test_address_read_where_ocr_garbled_its_captions(name: str, street: str, city: str) -> None:
    owner = form4.read(CORPUS / "pdfimg" / name).reporting_owners[0]
    assert (owner.street1, owner.city) == (street, city)


@needs_tesseract
def test_scanned_signature_read_over_the_lines_ocr_left_between() -> None:
    # "/s/ Granite Peak Holdings", its date, then "LLG", each a few lines apart on the scan
    signature = form4.read(CORPUS / "pdfimg" / "dev11-00018.pdf").signatures[0]
    assert (signature.name, str(signature.date)) == ("/s/ Granite Peak Holdings LLC", "2008-04-21")


@needs_tesseract
def test_joint_filers_box_found_by_what_ocr_kept_of_its_label() -> None:
    # page 2 reads the label as "1. Name and" | "of Reporting Person": "Address" was lost
    owners = form4.read(CORPUS / "pdfimg" / "dev11-00006.pdf").reporting_owners
    assert [o.name for o in owners] == ["Redwood Capital GP, LLC", "Harbor Point Master Fund Ltd"]
    assert (owners[1].city, owners[1].is_ten_percent_owner) == ("SAN MATEO", True)


@needs_tesseract
def test_scanned_issuer_with_a_letter_set_apart_and_brackets_read_twice() -> None:
    issuer = form4.read(CORPUS / "pdfimg" / "dev11-00014.pdf").issuer  # "Q UANTUM DYNAMICS PLC [ [Q QUAN ]"
    assert (issuer.name, issuer.trading_symbol) == ("QUANTUM DYNAMICS PLC", "QUAN")


@needs_tesseract
def test_street_read_again_where_the_page_dropped_a_word() -> None:
    owner = form4.read(CORPUS / "pdfimg" / "form5-snow.pdf").reporting_owners[0]  # the page read "C/O | INC."
    assert owner.street1 == "C/O SNOWFLAKE INC."


