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
