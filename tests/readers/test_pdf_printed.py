"""The form as form4 prints it (``form4.writers``: the EDGAR page printed by Chromium), read
back from the PDF's text layer: each test prints a small record that holds one thing the
printed form sets in its own way, and reads it back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import form4
from form4.model import DerivativeTransaction, Filing, Issuer, ReportingOwner
from form4.writers.html import render_html
from form4.writers.pdf import CHROMIUM


@pytest.fixture(scope="module")  # one browser for the module's pages
def printer() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no chromium at {CHROMIUM}")
    from form4.writers.pdf import Printer

    with Printer() as made:
        yield made


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
