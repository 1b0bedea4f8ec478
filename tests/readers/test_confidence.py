"""Confidence a person can use (issue 26 §3): a lossy reading flags (a warning, or a confidence
below 0.9: ``form4.compare.flagged``) the fields it may have read wrong, and leaves alone the
ones the form's rules and the way they were read vouch for.  Each test prints a small filing
(``form4.writers``: the EDGAR page printed by Chromium), reads the PDF's text layer back
through ``form4.read`` and states one rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import form4
from form4.cli import app
from form4.compare import flagged, leaves
from form4.model import (
    DerivativeTransaction,
    Filing,
    Issuer,
    NonDerivativeHolding,
    NonDerivativeTransaction,
    ReportingOwner,
    Signature,
)
from form4.writers.html import render_html


def _filing(**fields: Any) -> Filing:
    owner = ReportingOwner(name="Doe Jane", street1="1 Main St", city="Austin", state="TX", zip="78701",
                           is_director=True)
    return Filing(form_type="4", period_of_report=dt.date(2024, 3, 1), reporting_owners=[owner],
                  issuer=Issuer(name="Acme Corp", trading_symbol="ACME"),
                  signatures=[Signature(name="/s/ Doe Jane", date=dt.date(2024, 3, 4))], **fields)


def _trade(shares: float, owned: float, **fields: Any) -> NonDerivativeTransaction:
    row: dict[str, Any] = dict(security_title="Common Stock", transaction_date=dt.date(2024, 3, 1),
                               transaction_code="S", shares=shares, acquired_disposed="D", price_per_share=12.5,
                               shares_owned_following=owned, direct_or_indirect="D")
    return NonDerivativeTransaction(**(row | fields))


def _holding(**fields: Any) -> NonDerivativeHolding:
    row: dict[str, Any] = dict(security_title="Common Stock", shares_owned_following=5000.0,
                               direct_or_indirect="I", nature_of_ownership="By Family Trust")
    return NonDerivativeHolding(**(row | fields))


def _printed(printer: Any, filing: Filing) -> tuple[Filing, dict[str, Any]]:
    back = form4.read(printer.print(render_html(filing)))
    return back, back.to_dict()


def _flagged_paths(record: dict[str, Any]) -> list[str]:
    return [path for path, _ in leaves(record) if not path.startswith(("warnings", "confidence"))
            and flagged(record, path)]


def test_clean_consistent_filing_has_no_flags(printer: Any) -> None:
    # balances that add up, a code that fits its side, a nature on the indirect holding only
    filing = _filing(non_derivative_transactions=[_trade(1000, 9000), _trade(500, 8500)],
                     non_derivative_holdings=[_holding()])
    back, record = _printed(printer, filing)
    assert back.non_derivative_transactions[1].shares_owned_following == 8500
    assert back.warnings == []
    assert _flagged_paths(record) == []


def test_unbalanced_row_off_a_text_layer_is_the_filers_and_not_flagged(printer: Any) -> None:
    # 9,000 - 500 is not 8,000: every digit of a text layer is as printed, so the filer erred
    # (validation reports it) and the reading itself is sure
    back, record = _printed(printer, _filing(non_derivative_transactions=[_trade(1000, 9000), _trade(500, 8000)]))
    assert back.non_derivative_transactions[1].shares_owned_following == 8000
    assert not flagged(record, "non_derivative_transactions[1].shares_owned_following")


@pytest.mark.parametrize("title", ["Series A Preferred Stock, par value of", "Class B", "Common Stock by Trust",
                                   "Class A Common Stock Class A"])
def test_title_that_cannot_be_one_whole_title_is_flagged(printer: Any, title: str) -> None:
    # cut after "of", naming no security, a nature read into it, or two titles run together
    filing = _filing(non_derivative_transactions=[_trade(1000, 9000)],
                     non_derivative_holdings=[_holding(security_title=title)])
    back, record = _printed(printer, filing)
    assert back.non_derivative_holdings[0].security_title == title
    assert flagged(record, "non_derivative_holdings[0].security_title")
    assert not flagged(record, "non_derivative_transactions[0].security_title")


@pytest.mark.parametrize("nature", ["By the Family Trust dated June 1,", "By Trust (the", "See Footnote By LLC"])
def test_nature_cut_short_or_run_into_another_is_flagged(printer: Any, nature: str) -> None:
    _, record = _printed(printer, _filing(non_derivative_holdings=[_holding(nature_of_ownership=nature),
                                                                      _holding(security_title="Preferred Stock")]))
    assert flagged(record, "non_derivative_holdings[0].nature_of_ownership")
    assert not flagged(record, "non_derivative_holdings[1].nature_of_ownership")


def test_indirect_holding_without_its_nature_is_flagged(printer: Any) -> None:
    # column 7 names how an indirect holding is held: one read without it lost it
    _, record = _printed(printer, _filing(non_derivative_holdings=[_holding(nature_of_ownership=None),
                                                                      _holding(direct_or_indirect="D",
                                                                               nature_of_ownership=None)]))
    assert flagged(record, "non_derivative_holdings[0].nature_of_ownership")
    assert not flagged(record, "non_derivative_holdings[1]")


def test_side_that_follows_from_the_code_read_is_sure(printer: Any) -> None:
    # (A)/(D) left blank on a sale (S): the code read fixes it as D
    back, record = _printed(printer, _filing(non_derivative_transactions=[_trade(1000, 9000, acquired_disposed=None)]))
    assert back.non_derivative_transactions[0].acquired_disposed == "D"
    assert not flagged(record, "non_derivative_transactions[0].acquired_disposed")


def test_side_against_its_code_is_flagged(printer: Any) -> None:
    # an option exercised (M) disposes of the derivative: an A read beside it is doubted
    option = DerivativeTransaction(security_title="Stock Option (Right to Buy)", conversion_or_exercise_price=8.88,
                                   transaction_date=dt.date(2024, 3, 1), transaction_code="M", shares=2000.0,
                                   acquired_disposed="A", expiration_date=dt.date(2029, 8, 26),
                                   underlying_security_title="Common Stock", underlying_shares=2000.0,
                                   price_per_share=0.0, shares_owned_following=0.0, direct_or_indirect="D")
    _, record = _printed(printer, _filing(derivative_transactions=[option]))
    assert flagged(record, "derivative_transactions[0].acquired_disposed")
    assert not flagged(record, "derivative_transactions[0].shares")


def test_parse_table_marks_flagged_values(printer: Any, tmp_path: Path) -> None:
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(printer.print(render_html(_filing(non_derivative_holdings=[_holding(security_title="Class B")]))))
    result = CliRunner().invoke(app, ["parse", str(pdf), "--format", "table"])
    assert result.exit_code == 0, result.output
    assert "Class B ?" in result.stdout
    assert "By Family Trust ?" not in result.stdout
