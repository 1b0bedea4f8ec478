"""When a filing is due and how late it is (L5xx), in SEC business days.

Form 4: before the end of the second business day after the transaction (after the deemed
execution date when there is one), row by row: a filing is late for each row whose own due
date it missed. Form 3: within 10 calendar days of its period of report (becoming an
insider). Form 5: within 45 calendar days after the fiscal year end (its period of report).
A calendar-day deadline on a weekend or holiday moves to the next business day (Rule 0-3).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import NamedTuple

from form4.model import Filing
from form4.validation.business_days import add_business_days, business_days_between, roll_forward
from form4.validation.context import Context, transactions
from form4.validation.diagnostics import Diagnostic, diagnostic

FORM4_BUSINESS_DAYS = 2
# Before the Sarbanes-Oxley Act's rules took effect on 2002-08-29 a Form 4 was due within
# 10 days after the end of the month of the transaction (and its period of report was the month)
TWO_DAY_RULE_FROM = dt.date(2002, 8, 29)
MONTHLY_FORM4_DAYS = 10
FORM3_CALENDAR_DAYS = 10
FORM5_CALENDAR_DAYS = 45


class Deadline(NamedTuple):
    field: str           # what sets the deadline: a row's date, or the period of report
    due: dt.date
    why: str             # "the second business day after the transaction on 2024-11-27"
    disclosed: bool      # the filer says it is late (timeliness L, a Form 4 row on a Form 5)
    flag_field: str | None = None  # where the filer said so


def form4_due(traded: dt.date) -> dt.date:
    if traded < TWO_DAY_RULE_FROM:
        next_month = (traded.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        return calendar_due(next_month - dt.timedelta(days=1), MONTHLY_FORM4_DAYS)
    return add_business_days(traded, FORM4_BUSINESS_DAYS)


def _form4_why(what: str, day: dt.date) -> str:
    if day < TWO_DAY_RULE_FROM:
        return f"{MONTHLY_FORM4_DAYS} days after the end of the month of the {what} on {day}"
    return f"the second business day after the {what} on {day}"


def calendar_due(period: dt.date, days: int) -> dt.date:
    return roll_forward(period + dt.timedelta(days=days))


def deadlines(filing: Filing) -> list[Deadline]:
    """Every deadline the filing answers to. None for an amendment: it corrects a filing made
    earlier, whose own filing date (not the amendment's) says whether the original was on
    time, and amendments have no deadline of their own."""
    form = filing.form_type
    if form is None or filing.is_amendment:
        return []
    period = filing.period_of_report
    if form == "3" and period is not None:
        return [Deadline("period_of_report", calendar_due(period, FORM3_CALENDAR_DAYS),
                         f"{FORM3_CALENDAR_DAYS} days after the period of report {period}", False)]
    if form == "4":
        rows = list(_row_deadlines(filing, on_form5=False))
        if rows or period is None or any(r.transaction_date for _, r in transactions(filing)):
            return rows
        # no transaction at all (a change the remarks explain): the event is its period of report
        return [Deadline("period_of_report", form4_due(period), _form4_why("period of report", period), False)]
    if form == "5" and period is not None:
        marked = any(r.transaction_timeliness == "L" for _, r in transactions(filing))
        return [Deadline("period_of_report", calendar_due(period, FORM5_CALENDAR_DAYS),
                         f"{FORM5_CALENDAR_DAYS} days after the fiscal year end {period}", marked),
                *_row_deadlines(filing, on_form5=True)]
    return []


def _row_deadlines(filing: Filing, *, on_form5: bool) -> Iterator[Deadline]:
    """A Form 4's rows, or a Form 5's rows of form type 4: transactions that were due on a
    Form 4 and are reported late on the Form 5 (which is how the rules say to disclose them)."""
    for path, row in transactions(filing):
        if on_form5 and row.transaction_form_type != "4":
            continue  # a Form 5 item: the Form 5's own deadline covers it
        if not on_form5 and (row.transaction_timeliness == "E" or row.transaction_form_type == "5"):
            continue  # reported early, voluntarily: a Form 5 item, not due on a Form 4 yet
        deemed = row.deemed_execution_date
        field, what, date = (("deemed_execution_date", "deemed execution date", deemed) if deemed
                             else ("transaction_date", "transaction", row.transaction_date))
        if date is None:
            continue
        marked = row.transaction_timeliness == "L"
        yield Deadline(f"{path}.{field}", form4_due(date), _form4_why(what, date), on_form5 or marked,
                       f"{path}.transaction_timeliness" if marked else None)


def check_deadlines(ctx: Context) -> Iterator[Diagnostic]:
    found = deadlines(ctx.filing)
    if not found:
        return
    if ctx.filed is None:
        first = min(found, key=lambda d: d.due)
        yield diagnostic("L503", "filed_at", f"not known when filed: due by {first.due} ({first.why}); give "
                         "--as-of to judge it", due=first.due)
        return
    for deadline in found:
        yield from _judge(deadline, ctx.filed, ctx.filed_is_as_of)


def _judge(deadline: Deadline, filed: dt.date, as_of: bool) -> Iterator[Diagnostic]:
    late = business_days_between(deadline.due, filed)
    when = f"not filed by the --as-of date {filed}" if as_of else f"filed {filed}"
    if late and deadline.disclosed:
        yield diagnostic("L502", deadline.flag_field or deadline.field,
                         f"reported late, as the filer says: {when}, {late} business day(s) after it was due on "
                         f"{deadline.due} ({deadline.why})", due=deadline.due, business_days_late=late)
    elif late:
        yield diagnostic("L501", deadline.field,
                         f"late and not marked late: {when}, {late} business day(s) after it was due on "
                         f"{deadline.due} ({deadline.why})", due=deadline.due, business_days_late=late)
    elif deadline.disclosed and deadline.flag_field:
        yield diagnostic("L504", deadline.flag_field,
                         f"marked late but on time: {when}, due on {deadline.due} ({deadline.why})",
                         due=deadline.due, business_days_late=0)
