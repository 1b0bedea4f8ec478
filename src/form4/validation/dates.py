"""Rules on the filing's dates (D2xx): period of report, deemed execution, exercise and
expiration, and nothing dated after the filing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from form4.codes import TABLE_II
from form4.model import DerivativeHolding, DerivativeTransaction, is_form
from form4.validation.context import Context
from form4.validation.deadlines import TWO_DAY_RULE_FROM
from form4.validation.diagnostics import Diagnostic, diagnostic


def check_dates(ctx: Context) -> Iterator[Diagnostic]:
    yield from _period_of_report(ctx)
    yield from _deemed_execution(ctx)
    yield from _exercise_before_expiration(ctx)
    if ctx.filed is not None:
        yield from _not_after_filing(ctx, ctx.filed)


def _period_of_report(ctx: Context) -> Iterator[Diagnostic]:
    """On a Form 4 the period of report is the date of the earliest transaction it reports."""
    filing = ctx.filing
    if filing.form_type is None or not is_form(filing.form_type, ("4",)) or filing.period_of_report is None:
        return
    dated = [(row.transaction_date, path) for path, row in ctx.rows if row.transaction_date]
    if not dated:
        return
    earliest, path = min(dated)
    if earliest < TWO_DAY_RULE_FROM:
        return  # the Form 4 of then was a statement for a month: its period of report the month's end
    if earliest != filing.period_of_report:
        yield diagnostic("D201", "period_of_report",
                         f"period of report {filing.period_of_report} is not the earliest transaction date "
                         f"{earliest} ({path}.transaction_date)")


def _deemed_execution(ctx: Context) -> Iterator[Diagnostic]:
    for path, row in ctx.rows:
        deemed, traded = row.deemed_execution_date, row.transaction_date
        if deemed is not None and traded is not None and deemed < traded:
            yield diagnostic("D202", f"{path}.deemed_execution_date",
                             f"deemed execution date {deemed} is before the transaction date {traded}")


def _exercise_before_expiration(ctx: Context) -> Iterator[Diagnostic]:
    filing = ctx.filing
    rows: list[DerivativeTransaction | DerivativeHolding] = [*filing.derivative_transactions,
                                                             *filing.derivative_holdings]
    for position, row in enumerate(rows):
        index = position if position < len(filing.derivative_transactions) else (
            position - len(filing.derivative_transactions))
        table = TABLE_II if isinstance(row, DerivativeTransaction) else "derivative_holdings"
        if row.exercise_date and row.expiration_date and row.exercise_date > row.expiration_date:
            yield diagnostic("D203", f"{table}[{index}].exercise_date",
                             f"date exercisable {row.exercise_date} is after the expiration date {row.expiration_date}")


def _not_after_filing(ctx: Context, filed: dt.date) -> Iterator[Diagnostic]:
    filing = ctx.filing
    when = f"the --as-of date {filed}" if ctx.filed_is_as_of else f"the filing date {filed}"
    dates: list[tuple[str, dt.date | None]] = [("period_of_report", filing.period_of_report)]
    for path, row in ctx.rows:
        dates += ((f"{path}.transaction_date", row.transaction_date),
                  (f"{path}.deemed_execution_date", row.deemed_execution_date))
    dates += ((f"signatures[{i}].date", s.date) for i, s in enumerate(filing.signatures))
    for field, day in dates:
        if day is not None and day > filed:
            yield diagnostic("D204", field, f"{day} is after {when}")
