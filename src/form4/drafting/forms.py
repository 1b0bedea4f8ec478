"""Drafts of a Form 4 or a Form 5 from a list of trades, checked before anything is written.

The owner's and issuer's details come from the store (form4.drafting.history), shares owned
following from the owner's last reported holdings (form4.drafting.balances). A draft is checked
as EDGAR would check it (the SEC's schema, form4.validation.schema) and by form4's own rules
(form4.validation): an error of either, or of the trades, is an error of the draft, named by the
trade's line and column where it comes from one; a draft with errors has no document. Deadlines
are not errors: each trade's due date and how late it is, if filed on the day given, are reported
(the deadline rules of form4.validation.deadlines, business days by ``holidays``).

Form 5 (Rule 16a-3(f)): within 45 days after the issuer's fiscal year end, the year's transactions
not reported on a Form 4: those that may wait for the Form 5 (transaction form type 5: small
acquisitions L under Rule 16a-6; acquisitions and dispositions by will or the laws of descent, W;
bona fide gifts, G, made before 2023-02-27, when the SEC's amendments brought gifts onto Form 4),
and every other trade that should have been on a Form 4 and was not (form type 4: late by
definition, marked L).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from form4.codes import CODES
from form4.drafting.balances import shares_following
from form4.drafting.history import Reported, holding_lines, owner_and_issuer, reported_trades
from form4.drafting.trades import COLUMN_OF, FIELDS, Trade
from form4.errors import MalformedInputError, ReadError
from form4.model import (
    DerivativeTransaction,
    Filing,
    Footnote,
    Footnotes,
    Issuer,
    NonDerivativeTransaction,
    ReportingOwner,
    Signature,
)
from form4.store import Store
from form4.validation import Severity, validate
from form4.validation.business_days import business_days_between
from form4.validation.deadlines import deadlines
from form4.validation.schema import schema_errors
from form4.writers.xml import ROW_LAYOUTS, Group, UnwritableRecordError, to_xml

GIFTS_ON_FORM4_FROM = dt.date(2023, 2, 27)  # SEC Release 33-11138: gifts due on Form 4 from this day
FORM5_CODES = frozenset({"L", "W"})  # and G before GIFTS_ON_FORM4_FROM


@dataclass(frozen=True)
class TradeDue:
    """A trade of the draft, where it went and when it was due: ``row`` is its record path
    (``non_derivative_transactions[0]``), ``form_type`` the form it belongs to (4, or 5 for a
    Form 5 item), ``business_days_late`` 0 when filing on the draft's date is on time."""

    trade: Trade
    row: str
    form_type: str
    due: dt.date
    why: str
    business_days_late: int

    @property
    def late(self) -> bool:
        return self.business_days_late > 0


@dataclass
class Draft:
    """A drafted filing. ``document`` is its ownership XML, None when the draft has ``errors``;
    ``filed`` the day it is judged as filed on; ``due`` a Form 5's own due date; ``reported`` (Form 5)
    the trades a stored filing already reported, left out."""

    filing: Filing
    filed: dt.date
    trades: list[TradeDue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[ReadError] = field(default_factory=list)
    document: bytes | None = None
    due: dt.date | None = None
    reported: list[tuple[Trade, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def draft_form4(store: Store, owner: str, issuer: str, trades: Sequence[Trade], *, filed: dt.date | None = None,
                signature: str | None = None, aff10b5_one: bool = False) -> Draft:
    """A Form 4 of ``trades`` by the owner (a CIK) at the issuer (a CIK), as if filed on ``filed``
    (today when None). ``signature``: the name signed (the owner's when None); ``aff10b5_one``: the
    Rule 10b5-1(c) box. Raises NotStoredError when the store holds no filing of the owner at the issuer."""
    filed = filed or dt.date.today()
    reporter, company = owner_and_issuer(store, owner, issuer)
    draft = _drafted(store, "4", reporter, company, list(trades), filed=filed, signature=signature,
                     form_types=["4"] * len(trades))
    draft.filing.aff10b5_one = aff10b5_one
    return _checked(draft, list(trades))


def draft_form5(store: Store, owner: str, issuer: str, trades: Sequence[Trade], *, year: int,
                fiscal_year_end: tuple[int, int] = (12, 31), filed: dt.date | None = None,
                signature: str | None = None) -> Draft:
    """A Form 5 for the issuer's fiscal year ending in ``year`` (on ``fiscal_year_end``, month and
    day): the trades of that year that no current Form 4 or 5 of the owner at the issuer reported.
    Trades of other years, and those already reported, are left out (with a warning, and in
    ``reported``). A draft with no trade left has no document and no error: no Form 5 is due."""
    filed = filed or dt.date.today()
    since, until = fiscal_year(year, fiscal_year_end)
    reporter, company = owner_and_issuer(store, owner, issuer)
    stored = [r for r in reported_trades(store, owner, issuer, since, until) if r.form_type.removesuffix("/A") in "45"]
    kept: list[Trade] = []
    reported: list[tuple[Trade, str]] = []
    warnings: list[str] = []
    for trade in trades:
        if not since <= trade.date <= until:
            warnings.append(f"{trade.source}: date: {trade.date} is outside the fiscal year {since} to {until}: "
                            "left out")
            continue
        match = _reported(trade, stored)
        if match is None:
            kept.append(trade)
        else:
            stored.remove(match)  # each stored row answers for one trade
            reported.append((trade, match.accession_number))
    draft = _drafted(store, "5", reporter, company, kept, filed=filed, signature=signature,
                     form_types=["5" if form5_item(t) else "4" for t in kept], period=until)
    draft.warnings[:0] = warnings
    draft.reported = reported
    if not kept:
        return draft
    return _checked(draft, kept)


def form5_item(trade: Trade) -> bool:
    """Whether the rules let the trade wait for the year's Form 5 (transaction form type 5)."""
    return trade.code in FORM5_CODES or (trade.code == "G" and trade.date < GIFTS_ON_FORM4_FROM)


def fiscal_year(year: int, end: tuple[int, int]) -> tuple[dt.date, dt.date]:
    """The first and last days of the fiscal year that ends in ``year`` on ``end`` (month, day;
    February 29 is the 28th in a year without it)."""
    def ending(y: int) -> dt.date:
        month, day = end
        try:
            return dt.date(y, month, day)
        except ValueError:
            if (month, day) != (2, 29):
                raise
            return dt.date(y, 2, 28)
    return ending(year - 1) + dt.timedelta(days=1), ending(year)


def _reported(trade: Trade, stored: list[Reported]) -> Reported | None:
    for row in stored:
        if (row.table, row.date, row.code, row.acquired_disposed) == (
                trade.table, trade.date, trade.code, trade.acquired_disposed) and row.shares == trade.shares:
            return row
    return None


# --- the record -------------------------------------------------------------------------------

def _drafted(store: Store, form: str, owner: ReportingOwner, issuer: Issuer, trades: list[Trade], *,
             filed: dt.date, signature: str | None, form_types: list[str], period: dt.date | None = None) -> Draft:
    balances = shares_following(trades, holding_lines(store, owner.cik or "", issuer.cik or ""))
    notes: dict[str, str] = {}  # footnote text -> its id, one id per text
    filing = Filing(form_type=form, period_of_report=period or min((t.date for t in trades), default=None),
                    issuer=issuer, reporting_owners=[owner],
                    signatures=[Signature(name=signature or owner.name, date=filed)])
    rows: dict[str, int] = {}
    for index in sorted(range(len(trades)), key=lambda i: trades[i].date):
        trade = trades[index]
        listed = getattr(filing, trade.table)
        rows[f"{trade.table}[{len(listed)}]"] = index
        listed.append(_row(trade, form, form_types[index], balances.following.get(index), notes))
    filing.footnotes = [Footnote(id=note_id, text=text) for text, note_id in notes.items()]
    draft = Draft(filing, filed, warnings=balances.warnings, errors=balances.errors)
    found = deadlines(filing)
    own = next((d for d in found if d.field == "period_of_report"), None)
    draft.due = own.due if own and form == "5" else None
    by_row = {d.field.rpartition(".")[0]: d for d in found if d.field != "period_of_report"}
    for path, index in rows.items():
        deadline = by_row.get(path) or own  # a Form 5 item: the Form 5's own deadline
        if deadline is not None:
            draft.trades.append(TradeDue(trades[index], path, form_types[index], deadline.due, deadline.why,
                                         business_days_between(deadline.due, filed)))
    return draft


def _row(trade: Trade, form: str, form_type: str, following: Decimal | None,
         notes: dict[str, str]) -> NonDerivativeTransaction | DerivativeTransaction:
    footnotes: Footnotes = {}
    for text, column in ((trade.ownership_footnote, "nature_of_ownership"), (trade.footnote, trade.footnote_on)):
        if text:
            note_id = notes.setdefault(" ".join(text.split()), f"F{len(notes) + 1}")
            footnotes.setdefault(FIELDS[column], []).append(note_id)
    fields = dict(security_title=trade.security_title, transaction_date=trade.date,
                  deemed_execution_date=trade.deemed_execution_date, transaction_form_type=form_type,
                  transaction_code=trade.code, equity_swap_involved=False,
                  # a Form 4 item on a Form 5 is late by definition: said so
                  transaction_timeliness="L" if form == "5" and form_type == "4" else None,
                  shares=float(trade.shares), price_per_share=_float(_price(trade)),
                  acquired_disposed=trade.acquired_disposed, shares_owned_following=_float(following),
                  direct_or_indirect=trade.direct_or_indirect, nature_of_ownership=trade.nature_of_ownership,
                  footnotes=footnotes)
    if not trade.derivative:
        return NonDerivativeTransaction(**fields)  # type: ignore[arg-type]  # the fields of a transaction
    return DerivativeTransaction(**fields, conversion_or_exercise_price=_float(trade.exercise_price),  # type: ignore[arg-type]
                                 exercise_date=trade.exercise_date, expiration_date=trade.expiration_date,
                                 underlying_security_title=trade.underlying_title,
                                 underlying_shares=_float(trade.underlying_shares))


def _price(trade: Trade) -> Decimal | None:
    """The price given; else $0 for a code that has none (a gift, a grant), as filers write it: the form
    needs one. A purchase or sale without a price or a footnote for it is left without (an error, C104)."""
    if trade.price is not None or trade.code not in CODES or CODES[trade.code].needs_price:
        return trade.price
    return None if trade.footnote_on == "price" else Decimal(0)


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# --- the checks ----------------------------------------------------------------------------------

def _checked(draft: Draft, trades: list[Trade]) -> Draft:
    """The draft with its document, or with every error of its schema and validation, each named
    by the trade's line and column where it comes from a trade (the rest by its record path)."""
    by_row = {due.row: due.trade for due in draft.trades}
    failed = {error.source for error in draft.errors}  # a trade already in error: its row is not complete
    found: list[ReadError] = []
    try:
        document = to_xml(draft.filing, check=False)  # checked below, each problem named by its trade
    except UnwritableRecordError as exc:
        found.append(_at(exc.field, exc.message, by_row))
        document = None
    for diagnostic in validate(draft.filing, as_of=draft.filed):
        if diagnostic.code.startswith("L"):
            continue  # deadlines: reported with each trade, a late draft is still to be filed
        if diagnostic.severity is Severity.error:
            found.append(_at(diagnostic.field, f"{diagnostic.message} ({diagnostic.code})", by_row))
        elif diagnostic.severity is Severity.warning:
            draft.warnings.append(str(_at(diagnostic.field, f"{diagnostic.message} ({diagnostic.code})", by_row)))
    if document is not None:
        found += [_at(_record_path(e.path, e.message), e.message, by_row, e.path)
                  for e in schema_errors(document, source="draft")]
    # one error a trade's value: a price neither given nor footnoted is form4's C104 and the schema's missing element
    named: set[tuple[str | None, str | None]] = set()
    for error in found:
        if error.source not in failed and (error.source, error.field) not in named:
            named.add((error.source, error.field))
            draft.errors.append(error)
    draft.document = document if not draft.errors else None
    return draft


def _at(path: str, message: str, by_row: dict[str, Trade], schema_path: str = "") -> ReadError:
    """An error at a record path, as one at the trade's line and column when the path is in a trade's row."""
    row, _, field_name = path.partition(".")
    trade = by_row.get(row)
    if trade is None:
        # not from a trade: the owner's or issuer's details as the store gives them, or the filing's own
        return MalformedInputError(message, source="draft", field=schema_path or path)
    return MalformedInputError(message, source=trade.source, field=COLUMN_OF.get(field_name, field_name) or None)


# the schema's element names of each row's fields (form4.writers.xml lays them out)
_ROW_TAGS = {tag: name for name, (tag, _) in ROW_LAYOUTS.items()}
_FIELD_TAGS: dict[str, str] = {}
for _tag, _parts in ROW_LAYOUTS.values():
    for _part in _parts:
        if isinstance(_part, Group):
            _FIELD_TAGS.update({leaf.tag: leaf.field for leaf in _part.parts})
            if _part.notes:
                _FIELD_TAGS[_part.tag] = _part.notes
        else:
            _FIELD_TAGS[_part.tag] = _part.field
_STEP = re.compile(r"([A-Za-z]+)(?:\[(\d+)\])?")


_EXPECTED = re.compile(r"expected <(\w+)>$")


def _record_path(schema_path: str, message: str) -> str:
    """The record path of an element path (``/ownershipDocument/nonDerivativeTable/nonDerivativeTransaction[2]/
    transactionAmounts/transactionShares/value`` -> ``non_derivative_transactions[1].shares``); "" when it is
    not in a row. An element missing before the one named is the field at fault: the message names it."""
    steps = [_STEP.fullmatch(step) for step in schema_path.strip("/").split("/")]
    missing = _EXPECTED.search(message)
    for place, step in enumerate(steps):
        if step and step[1] in _ROW_TAGS:
            row = f"{_ROW_TAGS[step[1]]}[{int(step[2] or 1) - 1}]"
            inner = [s[1] for s in steps[place + 1:] if s and s[1] in _FIELD_TAGS]
            if missing and missing[1] in _FIELD_TAGS:
                inner.append(missing[1])
            return f"{row}.{_FIELD_TAGS[inner[-1]]}" if inner else row
    return ""
