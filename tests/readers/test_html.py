"""The SEC's HTML rendering reads to what the printed form shows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import form4
from tests.conftest import CORPUS, mismatches

PAGES = sorted((CORPUS / "html").glob("*.html"))


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_page_reads_to_what_the_form_shows(path: Path) -> None:
    filing = form4.read(path)
    visible = json.loads((CORPUS / "expected-visible" / f"{path.stem}.json").read_text())
    assert filing.source == "html"
    assert mismatches(visible, filing.to_dict()) == []


def test_page_gives_the_ciks_its_links_carry() -> None:
    filing = form4.read(CORPUS / "html" / "374WaterForm4.html")
    assert filing.issuer.cik == "0000933972"
    assert filing.reporting_owners[0].cik == "0002064133"


def test_joint_filing_page_lists_every_owner() -> None:
    expected = json.loads((CORPUS / "expected" / "dev11-00006.json").read_text())
    filing = form4.read(CORPUS / "html" / "dev11-00006.html")
    assert [o.name for o in filing.reporting_owners] == [o["name"] for o in expected["reporting_owners"]]
    assert len(filing.signatures) == len(expected["signatures"])


def test_an_html_page_that_is_not_a_filing() -> None:
    with pytest.raises(form4.MalformedInputError, match="FORM 3/4/5"):
        form4.read(b"<!DOCTYPE html><html><body><p>Hello</p></body></html>")


def test_unreadable_cell_is_null_with_a_warning() -> None:
    page = (CORPUS / "html" / "dev11-00003.html").read_bytes().replace(b">18,109<", b">18,1O9 shares<")
    filing = form4.read(page)
    assert filing.non_derivative_transactions[0].shares is None
    assert [w.field for w in filing.warnings] == ["non_derivative_transactions[0].shares"]
