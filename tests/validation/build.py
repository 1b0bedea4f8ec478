"""Small filings built in code for the validation tests: clean unless a test says otherwise."""

from __future__ import annotations

import datetime as dt
from typing import Any

from form4.model import (
    DerivativeTransaction,
    Filing,
    Footnote,
    Issuer,
    NonDerivativeTransaction,
    ReportingOwner,
    Signature,
)

DAY = dt.date(2024, 3, 4)  # a Monday: due Wednesday 2024-03-06


def owner(**fields: Any) -> ReportingOwner:
    base: dict[str, Any] = {"cik": "0001234567", "name": "Doe Jane", "is_director": True}
    return ReportingOwner(**{**base, **fields})


def row(**fields: Any) -> NonDerivativeTransaction:
    base: dict[str, Any] = {
        "security_title": "Common Stock", "transaction_date": DAY, "transaction_code": "P",
        "transaction_form_type": "4", "shares": 100.0, "price_per_share": 10.0, "acquired_disposed": "A",
        "shares_owned_following": 1100.0, "direct_or_indirect": "D"}
    return NonDerivativeTransaction(**{**base, **fields})


def option(**fields: Any) -> DerivativeTransaction:
    base: dict[str, Any] = {
        "security_title": "Stock Option (right to buy)", "transaction_date": DAY, "transaction_code": "M",
        "transaction_form_type": "4", "shares": 100.0, "price_per_share": 0.0, "acquired_disposed": "D",
        "shares_owned_following": 900.0, "direct_or_indirect": "D", "conversion_or_exercise_price": 5.0,
        "exercise_date": dt.date(2023, 1, 1), "expiration_date": dt.date(2030, 1, 1)}
    return DerivativeTransaction(**{**base, **fields})


def filing(*rows: NonDerivativeTransaction, derivatives: tuple[DerivativeTransaction, ...] = (),
           notes: dict[str, str] | None = None, **fields: Any) -> Filing:
    """A Form 4 of ``rows`` (one clean purchase when none), period of report its earliest date."""
    rows = rows or (row(),)
    dates = [r.transaction_date for r in (*rows, *derivatives) if r.transaction_date]
    base: dict[str, Any] = {
        "form_type": "4", "period_of_report": min(dates, default=DAY),
        "issuer": Issuer(cik="0000320193", name="Example Corp", trading_symbol="EXM"),
        "reporting_owners": [owner()], "signatures": [Signature(name="Jane Doe", date=max(dates, default=DAY))],
        "non_derivative_transactions": list(rows), "derivative_transactions": list(derivatives),
        "footnotes": [Footnote(id=k, text=v) for k, v in (notes or {}).items()]}
    return Filing(**{**base, **fields})


def codes(found: Filing | list[Any], **options: Any) -> list[str]:
    """The codes a filing's validation gives (or of a list of diagnostics), in order."""
    diagnostics = found.validate(**options) if isinstance(found, Filing) else found
    return [d.code for d in diagnostics]


def only(found: Filing, code: str, **options: Any) -> Any:
    """The one diagnostic of ``code``."""
    matching = [d for d in found.validate(**options) if d.code == code]
    assert len(matching) == 1, matching
    return matching[0]
