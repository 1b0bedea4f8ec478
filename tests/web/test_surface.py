"""The dashboard's filing, upload and issuer pages in a browser: a filing reads as the form (boxes,
tables with the form's column titles, footnote marks, flagged fields explained) with its JSON a
click away; a joint filing's transaction is listed once with its owners; long keys are cut short
in view; a refused upload still shows its reading and says why nothing was stored."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

import form4
from form4.model import Filing
from form4.writers.html import TABLE_ONE, TABLE_TWO, header_leaves
from tests.conftest import ROOT
from tests.web.conftest import TOKEN
from tests.web.test_browser import page

__all__ = ["page"]

FILINGS = ROOT / "examples" / "filings"


def _upload(page: Any, path: Path, token: str = "") -> None:
    page.goto("/upload")
    page.set_input_files("input[name=file]", str(path))
    if token:
        page.fill("input[name=token]", token)
    page.click("button[type=submit]")
    page.wait_for_selector(".form")


def _rows(page: Any, table: int) -> list[list[str]]:
    return page.eval_on_selector_all(f".form-table >> nth={table} >> tbody tr",
                                     "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))")


def _marks(filing_notes: dict[str, list[str]]) -> set[str]:
    return {f"({n.removeprefix('F')})" for ids in filing_notes.values() for n in ids}


def test_a_form4_reads_as_the_form(page: Any) -> None:
    path = FILINGS / "form4-snow.xml"
    filing = form4.read(path)
    _upload(page, path)
    form = page.locator(".form")
    boxes = form.locator(".box").all_inner_texts()
    assert any("Issuer Name and Ticker" in b and "Snowflake Inc. [SNOW]" in b for b in boxes)
    owner = filing.reporting_owners[0]
    assert any(owner.name in b and (owner.city or "?") in b for b in boxes)
    relationship = form.locator(".relationship .relation").all_inner_texts()
    assert f"☒ Officer (give title below): {owner.officer_title}" in relationship
    assert "☐ Director" in relationship
    # Table I: the form's column titles, one line per row of the filing, marks beside the values
    titles = form.locator(".form-table >> nth=0 >> thead").inner_text()
    for label, _ in TABLE_ONE["4"]:
        assert label in titles
    rows = _rows(page, 0)
    filed = [*filing.non_derivative_transactions, *filing.non_derivative_holdings]
    assert len(rows) == len(filed)
    amount = [label for label, _ in header_leaves(TABLE_ONE["4"])].index("Amount")
    for cells, row in zip(rows, filed, strict=True):
        text = " ".join(cells)
        assert all(mark in text for mark in _marks(row.footnotes))
        if getattr(row, "shares", None) is not None:
            assert cells[amount].startswith(f"{row.shares:,.0f}")
    # footnotes listed below, each a mark's target
    for note in filing.footnotes:
        assert " ".join(note.text.split()) in page.locator(f"#fn-{note.id}").inner_text()
    page.locator("sup.mark a").first.click()
    assert page.evaluate("location.hash").startswith("#fn-F")
    # the JSON a click away
    assert not page.locator("#record").is_visible()
    page.click("text=The record as JSON")
    assert page.locator("#record").is_visible() and '"accession_number"' in page.locator("#record").inner_text()
    page.shot("form4")


def test_a_form3_of_derivatives_shows_table_two_with_its_numbers(page: Any) -> None:
    path = FILINGS / "form3-snow.xml"
    filing = form4.read(path)
    _upload(page, path)
    captions = page.locator(".form-table caption").all_inner_texts()
    assert captions == ["Table II - Derivative Securities Beneficially Owned"]  # no Table I rows in this one
    titles = page.locator(".form-table thead").inner_text()
    assert all(label in titles for label, _ in TABLE_TWO["3"])
    leaves = [label for label, _ in header_leaves(TABLE_TWO["3"])]
    rows = _rows(page, 0)
    assert len(rows) == len(filing.derivative_holdings)
    for cells, holding in zip(rows, filing.derivative_holdings, strict=True):
        assert holding.underlying_shares is not None
        assert cells[leaves.index("Amount or Number of Shares")].startswith(f"{holding.underlying_shares:,.0f}")
        assert cells[leaves.index("Title")].startswith(holding.underlying_security_title or "?")
    assert "☐ No securities beneficially owned" in page.locator(".form-head").inner_text()
    page.shot("form3")


def test_flagged_fields_are_marked_and_explained(page: Any, tmp_path: Path) -> None:
    # a date the reader cannot read: left empty, with a warning naming the field
    xml = (FILINGS / "form4-snow.xml").read_text()
    first = re.search(r"<transactionDate>\s*<value>([^<]+)</value>", xml)
    assert first is not None
    broken = tmp_path / "broken-date.xml"
    broken.write_text(xml[:first.start(1)] + "2022-13-45" + xml[first.end(1):])
    filing = form4.read(broken)
    assert [w.field for w in filing.warnings] == ["non_derivative_transactions[0].transaction_date"]
    _upload(page, broken)
    flagged = page.locator(".form-table .v.flagged, .boxes .v.flagged")
    assert flagged.count() == 1
    assert flagged.get_attribute("title") == filing.warnings[0].message
    date_column = [label for label, _ in header_leaves(TABLE_ONE["4"])].index("Transaction Date (Month/Day/Year)")
    cell = page.locator(".form-table >> nth=0 >> tbody tr >> nth=0 >> td").nth(date_column)
    assert cell.locator(".v.flagged").count() == 1
    explained = page.locator(".flags tr").all_inner_texts()
    assert len(explained) == 2 and "Table I, row 1, Transaction Date" in explained[1]
    assert filing.warnings[0].field in explained[1] and filing.warnings[0].message in explained[1]
    page.shot("flagged")


def test_a_lossy_reading_flags_its_low_confidence_fields(page: Any) -> None:
    # a printed PDF whose text layer runs two words of the owner's street together, which the
    # reader parts and says so (a reading with nothing doubtful has nothing to list)
    pdf = ROOT.parent / "shared" / "corpus" / "pdf" / "dev11-00017.pdf"
    path = pdf if pdf.exists() else Path("/work/shared/corpus/pdf/dev11-00017.pdf")
    filing: Filing = form4.read(path)
    flagged_paths = {w.field for w in filing.warnings} | {f for f, c in filing.confidence.items() if c < 0.9}
    assert flagged_paths
    _upload(page, path)
    listed = page.eval_on_selector_all(".flags td code", "cs => cs.map(c => c.innerText)")
    assert set(listed) == flagged_paths
    assert page.locator(".form-table .v.flagged, .boxes .v.flagged").count() >= 1
    page.shot("lossy")


def test_a_joint_filing_transaction_is_listed_once_with_its_owners(page: Any, server: str) -> None:
    page.goto("/issuers/ACME")
    rows = page.eval_on_selector_all("table.transactions tr", "rows => rows.slice(1).map(r => [r.cells[1].innerText, "
                                     "r.cells[8].querySelector('a').getAttribute('href')])")
    per_owner = httpx.get(f"{server}/api/transactions", params={"issuer": "ACME", "limit": 500}).json()["items"]
    owners: dict[tuple[str, str, int], list[str]] = {}
    for row in per_owner:
        owners.setdefault((row["accession_number"], row["table"], row["row_index"]), []).append(row["owner_name"])
    assert len(rows) == len(owners) < len(per_owner)  # the joint filing's row was listed twice before
    joint = [names for names in owners.values() if len(names) > 1]
    assert joint and all("; ".join(names) in [r[0] for r in rows] for names in joint)
    page.shot("joint")


def test_content_keys_are_short_in_view_and_whole_in_links(page: Any) -> None:
    path = FILINGS / "374WaterForm4.xml"
    assert form4.read(path).accession_number is None  # stored under a sha256: key
    _upload(page, path, TOKEN)
    stored = page.locator(".notice.stored a")
    key = stored.get_attribute("title")
    assert key.startswith("sha256:") and len(key) == len("sha256:") + 64
    assert stored.inner_text() == f"{key[:19]}…"
    stored.click()
    page.wait_for_url(f"**/filings/{key}")
    assert key not in page.locator("h1").inner_text() and f"{key[:19]}…" in page.locator("h1").inner_text()
    assert page.locator("code.key-full").first.inner_text() == key  # whole where it is asked for
    page.goto("/issuers/SCWO")
    link = page.locator("table.transactions a.key").first
    assert link.get_attribute("title") == key and link.inner_text() == f"{key[:19]}…"
    for path_ in ("/issuers/SCWO", f"/filings/{key}"):
        page.goto(path_)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path_
    page.set_viewport_size({"width": 800, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.shot("narrow-filing")


def test_a_wrong_token_shows_the_reading_and_says_nothing_was_stored(page: Any) -> None:
    _upload(page, FILINGS / "form4-snow.xml", "wrong")
    assert page.locator(".error").inner_text() == \
        "Not stored: the API token is not the one this server was given. The reading is below."
    assert "Snowflake Inc." in page.locator(".form").inner_text()
    assert page.locator(".notice.stored").count() == 0
    page.shot("wrong-token")
    page.problems.clear()  # the 403 itself is a console error in chromium: expected here


def test_a_server_without_a_token_says_it_stores_nothing(api: TestClient) -> None:
    xml = (FILINGS / "form4-snow.xml").read_bytes()
    answer = api.post("/upload", files={"file": ("form4-snow.xml", xml)}, data={"token": "anything"})
    assert answer.status_code == 403
    assert "Not stored: this server was started without an API token" in answer.text
    assert "Snowflake Inc." in answer.text and 'class="form"' in answer.text
    read_only = api.post("/upload", files={"file": ("form4-snow.xml", xml)})
    assert read_only.status_code == 200 and "Not stored: no API token was given" in read_only.text
