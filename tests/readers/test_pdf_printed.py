"""The form as form4 prints it (``form4.writers``: the EDGAR page printed by Chromium), read
back from the PDF's text layer: each test prints a small record that holds one thing the
printed form sets in its own way, and reads it back."""

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
    NonDerivativeHolding,
    NonDerivativeTransaction,
    ReportingOwner,
    Signature,
)
from form4.writers.html import render_html


def _filing(**fields: Any) -> Filing:
    owner = fields.pop("owner", ReportingOwner(name="Doe Jane", street1="1 Main St", city="Austin", state="TX",
                                               zip="78701", is_director=True))
    return Filing(form_type="4", period_of_report=dt.date(2024, 3, 1), reporting_owners=[owner],
                  issuer=Issuer(name="Acme Corp", trading_symbol="ACME"), **fields)


def _printed(printer: Any, filing: Filing) -> Filing:
    return form4.read(printer.print(render_html(filing)))


def _option(**fields: Any) -> DerivativeTransaction:
    row: dict[str, Any] = dict(security_title="Stock Option (Right to Buy)", conversion_or_exercise_price=8.88,
                               transaction_date=dt.date(2024, 3, 1), transaction_code="M", shares=2000.0,
                               acquired_disposed="A", expiration_date=dt.date(2029, 8, 26),
                               underlying_security_title="Class A Common Stock", underlying_shares=2000.0,
                               price_per_share=0.0, shares_owned_following=2000.0, direct_or_indirect="D")
    return DerivativeTransaction(**(row | fields))


@pytest.mark.parametrize("underlying", ["Class A Common Stock", "Series B Convertible Preferred Stock, par value"])
def test_underlying_title_wrapped_in_its_narrow_column_is_read_line_by_line(printer: Any, underlying: str) -> None:
    # the underlying's title wraps a word or two a line, its lines centred on the row's line
    back = _printed(printer, _filing(derivative_transactions=[_option(underlying_security_title=underlying)]))
    row = back.derivative_transactions[0]
    assert row.underlying_security_title == underlying
    assert (row.underlying_shares, row.expiration_date) == (2000.0, dt.date(2029, 8, 26))


def test_dollar_amounts_in_amount_columns_are_the_value_fields(printer: Any) -> None:
    # securities counted in dollars: the page prints "$" before the amount in an amount column
    bought = NonDerivativeTransaction(security_title="Units", transaction_date=dt.date(2024, 3, 1),
                                      transaction_code="P", total_value=25000.0, acquired_disposed="A",
                                      price_per_share=10.5, value_owned_following=125000.0, direct_or_indirect="D",
                                      footnotes={"price_per_share": ["F1"], "value_owned_following": ["F2"]})
    held = NonDerivativeHolding(security_title="Notes", value_owned_following=72818.0, direct_or_indirect="D")
    note = _option(security_title="Convertible Note", shares=None, total_value=4330.0, underlying_shares=None,
                   underlying_value=49483.0, shares_owned_following=None, value_owned_following=60350.0)
    notes = [Footnote(id="F1", text="A weighted average price."), Footnote(id="F2", text="Units at cost.")]
    back = _printed(printer, _filing(non_derivative_transactions=[bought], non_derivative_holdings=[held],
                                     derivative_transactions=[note], footnotes=notes))
    row = back.non_derivative_transactions[0]
    assert (row.shares, row.total_value, row.price_per_share) == (None, 25000.0, 10.5)
    assert (row.shares_owned_following, row.value_owned_following) == (None, 125000.0)
    assert row.footnotes == bought.footnotes
    assert (back.non_derivative_holdings[0].shares_owned_following,
            back.non_derivative_holdings[0].value_owned_following) == (None, 72818.0)
    two = back.derivative_transactions[0]
    assert (two.shares, two.total_value, two.underlying_shares, two.underlying_value) == (None, 4330.0, None, 49483.0)
    assert (two.price_per_share, two.shares_owned_following, two.value_owned_following) == (0.0, None, 60350.0)


@pytest.mark.parametrize("street", ["155 5TH STREET, 7TH FLOOR", "1200 17TH STREET, FLOOR 15", "50 33RD ST"])
def test_street_number_before_a_numbered_street_keeps_its_space(printer: Any, street: str) -> None:
    # digits are set apart by narrow gaps that are no spaces; the space the page prints is one
    owner = ReportingOwner(name="Doe Jane", street1="C/O ACME CORP", street2=street, city="SAN FRANCISCO",
                           state="CA", zip="94103", is_director=True)
    assert _printed(printer, _filing(owner=owner)).reporting_owners[0].street2 == street


def test_title_word_wrapped_with_its_bracket_is_read_as_printed(printer: Any) -> None:
    # "A)" alone on the title's last line: off a text layer a word, not OCR's letter with a lost mark
    title = "Restricted Stock Units (RSU) (Class A)"
    back = _printed(printer, _filing(derivative_transactions=[_option(security_title=title)]))
    assert back.derivative_transactions[0].security_title == title


def test_note_wrapped_at_a_words_hyphen_goes_on_without_a_space(printer: Any) -> None:
    # one word of many hyphened parts cannot fit a line: the browser breaks it at its hyphens
    word = "-".join(f"FF{i}" for i in range(90))
    notes = [Footnote(id="F1", text=f"Held by {word} and its partners.")]
    back = _printed(printer, _filing(footnotes=notes))
    assert [n.text for n in back.footnotes] == [notes[0].text]


@pytest.mark.parametrize("name", ["/s/ Samantha Harnett, attorney-in-fact of the Reporting Person",
                                  "/s/ Sharda Caro del Castillo as attorney-in-fact"])
def test_signature_wrapped_in_its_column_is_read_whole(printer: Any, name: str) -> None:
    # its last line may be "Reporting Person" (no caption of a signature above) or a short "fact"
    signed = [Signature(name=name, date=dt.date(2024, 3, 4))]
    assert _printed(printer, _filing(signatures=signed)).signatures == signed


def test_punctuation_set_apart_in_a_note_is_kept_as_printed(printer: Any) -> None:
    # a "," after a space is printed so: only on OCR'd pages is a lone mark a speck of a rule
    notes = [Footnote(id="F1", text="Sold at prices ranging from $1,073.140 to $1,074.120 , inclusive."),
             Footnote(id="F2", text="The Founders Fund II , LP holds these shares; see Notes .")]
    assert [n.text for n in _printed(printer, _filing(footnotes=notes)).footnotes] == [n.text for n in notes]


def test_note_naming_a_table_goes_on_to_the_next_notes(printer: Any) -> None:
    # "Table II" inside a note's sentence is no label of a joint filer's boxes
    notes = [Footnote(id="F1", text='Shares acquired on settlement of the units ("RSUs") listed in Table II.'),
             Footnote(id="F2", text="Each RSU is a right to receive one share.")]
    assert [n.text for n in _printed(printer, _filing(footnotes=notes)).footnotes] == [n.text for n in notes]


def test_balance_that_does_not_add_up_is_read_as_printed_and_not_doubted(printer: Any) -> None:
    # 2,000,000 then 17,130,000 more, owned following 17,130,000: the filer's numbers, one digit
    # off the sum; off a text layer no digit is misread, so none is mended, and the reading is
    # not doubted for it (the filer's error is validation's to report, not the reader's)
    def row(shares: float, owned: float) -> NonDerivativeTransaction:
        return NonDerivativeTransaction(security_title="Common Stock", transaction_date=dt.date(2024, 3, 1),
                                        transaction_code="P", shares=shares, acquired_disposed="A",
                                        price_per_share=10.0, shares_owned_following=owned, direct_or_indirect="D")

    back = _printed(printer, _filing(non_derivative_transactions=[row(2e6, 2e6), row(17.13e6, 17.13e6)]))
    assert [r.shares_owned_following for r in back.non_derivative_transactions] == [2e6, 17.13e6]
    assert back.confidence.get("non_derivative_transactions[1]", 1.0) >= 0.9
    assert not [w for w in back.warnings if w.field.startswith("non_derivative_transactions[1]")]
