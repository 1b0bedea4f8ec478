"""Validation of filings: diagnostics with stable codes, like a linter's (docs/validation.md).

    from form4.validation import validate, validate_many
    for d in validate(filing, as_of=None):
        print(d.code, d.severity, d.field, d.message)

Pure: nothing depends on today's date unless ``as_of`` is given (then a filing without a
filing date is judged as if filed on it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator

from form4.model import Filing
from form4.validation.balances import check_balances
from form4.validation.coding import check_coding
from form4.validation.context import Context, transactions
from form4.validation.dates import check_dates
from form4.validation.deadlines import check_deadlines
from form4.validation.diagnostics import RULES, Diagnostic, Rule, Severity
from form4.validation.owners import check_owners
from form4.validation.values import check_ads_prices, price_outliers

__all__ = ["RULES", "Diagnostic", "Rule", "Severity", "validate", "validate_many"]

# the rules that need one filing only; the price comparison across filings runs in validate_many
_FILING_RULES: tuple[Callable[[Context], Iterator[Diagnostic]], ...] = (
    check_coding, check_balances, check_ads_prices, check_dates, check_owners, check_deadlines)


def validate(filing: Filing, *, as_of: dt.date | None = None) -> list[Diagnostic]:
    """The diagnostics of one filing (its prices compared only with its own trades)."""
    return validate_many([filing], as_of=as_of)[0]


def validate_many(filings: Iterable[Filing], *, as_of: dt.date | None = None) -> list[list[Diagnostic]]:
    """The diagnostics of each filing, in order; prices are compared with the same issuer's
    trades that day across all of them."""
    batch = list(filings)
    results = [_filing_diagnostics(filing, as_of) for filing in batch]
    for index, found in price_outliers(batch):
        results[index].append(found)
    return results


def _filing_diagnostics(filing: Filing, as_of: dt.date | None) -> list[Diagnostic]:
    filed = filing.filed_at or as_of
    ctx = Context(filing, filed, filing.filed_at is None and as_of is not None, list(transactions(filing)))
    return [d for rule in _FILING_RULES for d in rule(ctx)]
