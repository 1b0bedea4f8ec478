"""Filings made to order: an insider history small enough to check every answer by hand."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from form4.model import Filing, Footnote, Issuer, NonDerivativeHolding, NonDerivativeTransaction, ReportingOwner

ACME = Issuer(cik="0000000101", name="ACME CORP", trading_symbol="ACME")
GLOBEX = Issuer(cik="0000000202", name="GLOBEX INC", trading_symbol="GBX")
_accessions = itertools.count(1)


def owner(cik: int, name: str, *, title: str | None = None, director: bool = False,
          ten_percent: bool = False) -> ReportingOwner:
    return ReportingOwner(cik=f"{cik:010d}", name=name, is_officer=title is not None, officer_title=title,
                          is_director=director, is_ten_percent_owner=ten_percent)


def trade(day: str, code: str, shares: float, price: float | None = None, *, after: float | None = None,
          notes: dict[str, list[str]] | None = None, title: str = "Common Stock",
          ownership: str = "D") -> NonDerivativeTransaction:
    acquired = "A" if code in ("P", "A", "M", "X", "C") else "D"
    return NonDerivativeTransaction(security_title=title, transaction_date=dt.date.fromisoformat(day),
                                    transaction_code=code, transaction_form_type="4", shares=shares,
                                    price_per_share=price, acquired_disposed=acquired, shares_owned_following=after,
                                    direct_or_indirect=ownership, footnotes=notes or {})


def form4(owners: list[ReportingOwner], rows: list[NonDerivativeTransaction], *, issuer: Issuer = ACME,
          form_type: str = "4", filed: str | None = None, footnotes: dict[str, str] | None = None,
          checkbox: bool | None = None, remarks: str | None = None,
          holdings: list[NonDerivativeHolding] | None = None, **fields: Any) -> Filing:
    dates = [r.transaction_date for r in rows if r.transaction_date]
    period = min(dates) if dates else dt.date(2024, 1, 2)
    filed_at = dt.date.fromisoformat(filed) if filed else period + dt.timedelta(days=2)
    return Filing(accession_number=f"0000999999-24-{next(_accessions):06d}", form_type=form_type,
                  schema_version="X0508", period_of_report=period, filed_at=filed_at, issuer=issuer,
                  reporting_owners=owners, non_derivative_transactions=rows, non_derivative_holdings=holdings or [],
                  footnotes=[Footnote(id=k, text=v) for k, v in (footnotes or {}).items()], aff10b5_one=checkbox,
                  remarks=remarks, **fields)


ALICE = owner(1, "Smith Alice", title="President & CEO", director=True)
BOB = owner(2, "Jones Bob", title="EVP, Chief Financial Officer")
CAROL = owner(3, "Lee Carol", director=True)
FUND = owner(4, "Big Fund LP", ten_percent=True)
FUND_GP = owner(5, "Big Fund GP LLC", ten_percent=True)
DAVE = owner(6, "Diaz Dave", director=True)
EVE = owner(7, "Evans Eve", director=True)
FRANK = owner(8, "Fay Frank", director=True)
GINA = owner(9, "Gold Gina", director=True)
PLAN = "These shares were sold pursuant to a Rule 10b5-1 trading plan adopted by the reporting person on May 1, 2023."


def history() -> list[Filing]:
    """Alice trades as in spec §7 example 1 (profit 6,400); four insiders, one of them a fund
    filing jointly with its general partner, buy within eleven days of May; Eve's purchase is
    amended; Frank sells under the checkbox, Gina says her sale was not under a plan."""
    return [
        form4([ALICE], [trade("2024-01-10", "P", 1000, 10.0, after=6000)]),
        form4([ALICE], [trade("2024-02-15", "S", 800, 15.0, after=5200, notes={"transaction_code": ["F1"]}),
                        trade("2024-02-15", "A", 2000, 0.0, after=7200)], footnotes={"F1": PLAN}),
        form4([ALICE], [trade("2024-03-01", "P", 500, 8.0, after=7700),
                        trade("2024-03-01", "F", 300, 8.0, after=7400)]),
        form4([ALICE], [trade("2024-03-20", "G", 100, None, after=7300)]),
        form4([ALICE], [trade("2024-04-20", "S", 1000, 12.0, after=6300, notes={"price_per_share": ["F1"]})],
              footnotes={"F1": "The price is a weighted average. Shares held by the Smith Family Trust."}),
        form4([BOB], [trade("2024-05-02", "P", 1000, 11.0, after=1000)]),
        form4([CAROL], [trade("2024-05-06", "P", 500, 11.5, after=500)]),
        form4([FUND, FUND_GP], [trade("2024-05-10", "P", 10000, 12.0, after=90000, ownership="I")]),
        form4([DAVE], [trade("2024-05-13", "P", 200, 12.0, after=200)]),
        form4([EVE], [trade("2024-06-03", "P", 100, 20.0, after=100)], filed="2024-06-05"),
        form4([EVE], [trade("2024-06-03", "P", 150, 20.0, after=150)], form_type="4/A", filed="2024-06-10",
              date_of_original_submission=dt.date(2024, 6, 5)),
        form4([FRANK], [trade("2024-08-01", "S", 100, 20.0, after=900)], checkbox=True),
        form4([GINA], [trade("2024-08-02", "S", 100, 20.0, after=900, notes={"shares": ["F1"]})],
              footnotes={"F1": "The sale was not made pursuant to a Rule 10b5-1 plan."}),
        form4([owner(1, "Smith Alice", director=True)], [trade("2024-07-01", "P", 50, 30.0, after=50)], issuer=GLOBEX),
    ]
