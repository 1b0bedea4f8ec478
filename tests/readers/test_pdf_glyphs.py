"""Words and lines rebuilt from a PDF's glyphs, whatever the font, the print's zoom and the
line spacing: each test prints a small record (``form4.writers``: the EDGAR page printed by
Chromium) in a way the glyphs' geometry must see through, and reads it back."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import form4
from form4.model import (
    DerivativeTransaction,
    Filing,
    Footnote,
    Issuer,
    NonDerivativeTransaction,
    ReportingOwner,
)
from form4.writers.html import render_html
from form4.writers.pdf import PageSetup
from form4.writers.variants import Variant, styled_html

OWNER = ReportingOwner(name="Whitfield Theodora", street1="C/O ACME CORP", street2="1200 17TH STREET, FLOOR 15",
                       city="SAN FRANCISCO", state="CA", zip="94103", is_director=True)
NOTE = Footnote(id="F1", text="The price reported is a weighted average price of shares sold in several trades.")


def _sale(**fields: Any) -> NonDerivativeTransaction:
    row: dict[str, Any] = dict(security_title="Class A Common Stock", transaction_date=dt.date(2024, 3, 1),
                               transaction_code="S", shares=1500.0, acquired_disposed="D", price_per_share=41.18,
                               shares_owned_following=98500.0, direct_or_indirect="D",
                               footnotes={"price_per_share": ["F1"]})
    return NonDerivativeTransaction(**(row | fields))


def _filing(**fields: Any) -> Filing:
    return Filing(form_type="4", period_of_report=dt.date(2024, 3, 1), reporting_owners=[OWNER],
                  issuer=Issuer(name="Acme Corp", trading_symbol="ACME"), footnotes=[NOTE], **fields)


def _printed(printer: Any, filing: Filing, setup: PageSetup) -> Filing:
    return form4.read(printer.print(render_html(filing), setup))


@pytest.mark.parametrize(("font", "scale", "spacing"), [
    ("'DejaVu Sans', sans-serif", 1.0, 0.0),  # glyphs whose ink sits far inside their advance
    ("'Liberation Sans Narrow', sans-serif", 0.6, 0.0),  # 16-point type printed at 7 points
    ("'DejaVu Serif', serif", 0.8, 0.06),  # letters set apart by the page's letter-spacing
])
def test_words_are_read_whole_in_any_font_and_zoom(printer: Any, font: str, scale: float, spacing: float) -> None:
    # a space is a gap between glyphs' advances (their ink varies by letter) at the size printed
    css = f"* {{font-family: {font} !important; letter-spacing: {spacing}em;}}"
    back = _printed(printer, _filing(non_derivative_transactions=[_sale()]), PageSetup(scale=scale, css=css))
    owner = back.reporting_owners[0]
    assert (owner.name, owner.street2, owner.city) == (OWNER.name, OWNER.street2, OWNER.city)
    assert back.non_derivative_transactions[0].security_title == "Class A Common Stock"
    assert [n.text for n in back.footnotes] == [NOTE.text]


def test_lines_of_one_cell_in_a_tall_line_spacing_are_one_row(printer: Any) -> None:
    # the table's rules part its rows; the white space between a wrapped title's lines does not
    css = "td {line-height: 1.9; vertical-align: top !important;} body > table:nth-of-type(n+3) td {width: 3em;}"
    rows = [_sale(), _sale(shares=2500.0, shares_owned_following=96000.0)]
    back = _printed(printer, _filing(non_derivative_transactions=rows), PageSetup(css=css))
    assert [r.security_title for r in back.non_derivative_transactions] == ["Class A Common Stock"] * 2
    assert [r.shares for r in back.non_derivative_transactions] == [1500.0, 2500.0]


def test_headings_printed_again_after_a_page_break_are_no_row(printer: Any) -> None:
    variant = Variant(break_table="I", break_row=2, repeat_header=True)
    rows = [_sale(), _sale(shares=2500.0, shares_owned_following=96000.0), _sale(shares=100.0,
                                                                                shares_owned_following=95900.0)]
    page = styled_html(render_html(_filing(non_derivative_transactions=rows)), variant)
    back = form4.read(printer.print(page, variant.setup()))
    assert [(r.security_title, r.shares) for r in back.non_derivative_transactions] == [
        ("Class A Common Stock", 1500.0), ("Class A Common Stock", 2500.0), ("Class A Common Stock", 100.0)]


@pytest.mark.parametrize("font", ["'Courier New', monospace", "'DejaVu Serif', serif"])
def test_footnote_marks_stay_with_their_values(printer: Any, font: str) -> None:
    # a mark is a superscript: smaller type raised above its value's baseline, as high as the
    # next line's words are low in a wide font; it belongs to the value it follows
    option = DerivativeTransaction(security_title="Stock Option (Right to Buy)", conversion_or_exercise_price=6.13,
                                   transaction_date=dt.date(2024, 3, 1), transaction_code="M", shares=2000.0,
                                   acquired_disposed="D", exercise_date=dt.date(2024, 3, 1),
                                   expiration_date=dt.date(2029, 8, 26), underlying_security_title="Common Stock",
                                   underlying_shares=2000.0, price_per_share=0.0, shares_owned_following=0.0,
                                   direct_or_indirect="D", footnotes={"transaction_code": ["F1"],
                                                                      "exercise_date": ["F1"]})
    css = f".FormData, .SmallFormData, td {{font-family: {font} !important;}}"
    back = _printed(printer, _filing(derivative_transactions=[option]), PageSetup(scale=1.0, css=css))
    row = back.derivative_transactions[0]
    assert (row.transaction_code, row.exercise_date, row.shares) == ("M", dt.date(2024, 3, 1), 2000.0)
    assert row.footnotes == option.footnotes


def test_issuer_named_with_a_label_word_keeps_it(printer: Any) -> None:
    # the label's tail left on the name's line is printed as the label is ("Issuer"), not in capitals
    filing = _filing(non_derivative_transactions=[_sale()])
    filing.issuer = Issuer(name="ISSUER DIRECT CORP", trading_symbol="ISDR")
    back = _printed(printer, filing, PageSetup())
    assert (back.issuer.name, back.issuer.trading_symbol) == ("ISSUER DIRECT CORP", "ISDR")
