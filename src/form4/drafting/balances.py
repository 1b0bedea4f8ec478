"""Shares owned following each trade of a draft, continued from the owner's last reported holdings.

Each trade belongs to a holding line (form4.analytics.holdings): the store's line of the same
table, security title, direct or indirect ownership and nature (compared without case or runs of
spaces), and, in Table II, the derivative terms the trade gives. Where several lines agree on all
of that, the trade's ``ownership_footnote`` (the text that says which trust or fund) picks the one
whose ownership footnote it is; without one, the line with no ownership footnote. A line the store
has never seen starts from 0, with a warning.

The balance before a trade is the line's last balance reported on or before its date, plus the
draft's earlier trades of the line dated on or after that report; the trades are applied in
date order (one day's trades in the order given): acquisitions add, dispositions subtract.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from form4.drafting.history import Line, folded
from form4.drafting.trades import Trade, trade_lines
from form4.errors import MalformedInputError, ReadError


@dataclass
class Balances:
    """The shares owned following each trade (by its place in the list), and what to tell about them."""

    following: dict[int, Decimal] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    errors: list[ReadError] = field(default_factory=list)


def shares_following(trades: Sequence[Trade], lines: Sequence[Line]) -> Balances:
    """Each trade's balance after it, by its line's last report and the draft's trades before it."""
    out = Balances()
    applied: dict[str, list[tuple[dt.date, Decimal]]] = {}
    warned: set[str] = set()
    for index, trade in trade_lines(list(trades)):
        line = _line_of(trade, lines)
        if isinstance(line, ReadError):
            out.errors.append(line)
            continue
        key = line.id if line else _new_line(trade)
        start = line.as_of(trade.date) if line else None
        if start is None and key not in warned:
            warned.add(key)
            out.warnings.append(f"{trade.source}: security_title: the store reports no holding of {_described(trade)} "
                                f"on or before {trade.date}: its shares owned following start from 0")
        before = (start.shares if start else Decimal(0)) + sum(
            (change for day, change in applied.get(key, []) if start is None or day >= start.date), Decimal(0))
        after = before + trade.signed_shares
        if after < 0:
            since = f"as reported on {start.date}" if start else "the store reporting none"
            out.errors.append(MalformedInputError(
                f"disposes of {trade.shares:,f} but the holding line of {_described(trade)} holds {before:,f} before "
                f"it ({since})", source=trade.source, field="shares"))
            continue
        applied.setdefault(key, []).append((trade.date, trade.signed_shares))
        out.following[index] = after
    return out


def _line_of(trade: Trade, lines: Sequence[Line]) -> Line | ReadError | None:
    """The store's holding line of the trade (None: a line the store has never seen)."""
    alike = [line for line in lines if _same_holding(trade, line)]
    note = folded(trade.ownership_footnote)
    if note:
        chosen = [line for line in alike if line.ownership_footnote == note]
    else:
        chosen = [line for line in alike if not line.ownership_footnote] or (alike if len(alike) == 1 else [])
        if not chosen and alike:
            return MalformedInputError(
                f"{len(alike)} holding lines of {_described(trade)} in the store, told apart by the footnotes on their "
                "ownership: give the footnote text of the one this trade is in (ownership_footnote)",
                source=trade.source, field="ownership_footnote")
    # lines alike in all of it (one filing's holding rows of one security): the last reported one
    return max(chosen, key=lambda line: line.points[-1].date if line.points else dt.date.min, default=None)


def _same_holding(trade: Trade, line: Line) -> bool:
    if (line.table, line.security_title, line.direct_or_indirect, line.nature_of_ownership) != (
            trade.table, folded(trade.security_title), trade.direct_or_indirect, folded(trade.nature_of_ownership)):
        return False
    if not trade.derivative:
        return True
    price, exercisable, expires, underlying = line.terms
    given = ((trade.exercise_price, price), (trade.exercise_date, exercisable), (trade.expiration_date, expires))
    # a term the trade leaves out does not tell lines apart; one it gives must agree
    if any(mine is not None and (theirs is None or _differs(mine, theirs)) for mine, theirs in given):
        return False
    return not trade.underlying_title or folded(trade.underlying_title) == underlying


def _differs(mine: object, theirs: object) -> bool:
    if isinstance(mine, Decimal) and isinstance(theirs, float):
        return mine != Decimal(repr(theirs))
    return mine != theirs


def _new_line(trade: Trade) -> str:
    return "|".join(("new", trade.table, folded(trade.security_title), trade.direct_or_indirect,
                     folded(trade.nature_of_ownership), folded(trade.ownership_footnote), str(trade.exercise_price),
                     str(trade.exercise_date), str(trade.expiration_date), folded(trade.underlying_title)))


def _described(trade: Trade) -> str:
    nature = trade.nature_of_ownership or "no nature given"
    ownership = "direct" if trade.direct_or_indirect == "D" else f"indirect ({nature})"
    return f"{trade.security_title!r}, {ownership}"
