"""Shares owned following each row agree with the row before of the same holding (V401)."""

from __future__ import annotations

from collections.abc import Iterator

from form4.model import DerivativeTransaction
from form4.validation.context import Context, Transaction, number
from form4.validation.deadlines import form4_due
from form4.validation.diagnostics import Diagnostic, diagnostic

# Fractional shares are often rounded on one row and not the next; a whole share of slack
# (plus a millionth, for float noise on large positions) keeps rounding from reading as an error.
_SLACK_SHARES = 1.0
_SLACK_RELATIVE = 1e-6

_Key = tuple[object, ...]


def _words(text: str | None) -> str:
    return " ".join(text.casefold().split()) if text else ""


def holding_key(path: str, row: Transaction) -> _Key:
    """Which holding a row moves: its table, security, direct/indirect and through whom; for
    a derivative also its exercise price and expiration (each series is its own security).
    Through whom is often only a footnote ("See footnote 3", one per fund): then its ids
    count (but not next to a name, where a filer may leave the footnote off one row)."""
    notes = row.footnotes
    nature = _words(row.nature_of_ownership)
    through = tuple(notes.get("nature_of_ownership", ())) if not nature or "footnote" in nature else ()
    key: _Key = (path.partition("[")[0], _words(row.security_title), row.direct_or_indirect, nature, through)
    if isinstance(row, DerivativeTransaction):  # tranches vesting on other dates are other series
        key += (row.conversion_or_exercise_price, row.exercise_date, row.expiration_date,
                tuple(notes.get("exercise_date", ())), tuple(notes.get("expiration_date", ())))
    return key


def check_balances(ctx: Context) -> Iterator[Diagnostic]:
    previous: dict[_Key, tuple[str, Transaction]] = {}
    for path, row in ctx.rows:
        following = row.shares_owned_following
        key = holding_key(path, row)
        before = previous.pop(key, None)
        if following is None:
            continue  # a value-only row (dollars, not shares) breaks the chain
        previous[key] = (path, row)
        if before is None or not _comparable(before[1], row):
            continue
        before_path, balance = before[0], before[1].shares_owned_following or 0.0
        assert row.shares is not None
        expected = balance + row.shares if row.acquired_disposed == "A" else balance - row.shares
        if abs(expected - following) > _SLACK_SHARES + _SLACK_RELATIVE * abs(expected):
            sign = "+" if row.acquired_disposed == "A" else "-"
            yield diagnostic("V401", f"{path}.shares_owned_following",
                             f"{before_path} leaves {number(balance)} and this row's {sign}{number(row.shares)} gives "
                             f"{number(expected)}, but it says {number(following)} owned following")


def _comparable(before: Transaction, row: Transaction) -> bool:
    """Whether ``row``'s balance must follow from ``before``'s. Not when the filer explains the
    balance in a footnote (a distribution, a transfer between accounts), nor when the rows are
    further apart than a Form 4's window: trades in between may be on another filing."""
    if row.shares is None or row.acquired_disposed not in ("A", "D") or row.footnotes.get("shares_owned_following"):
        return False
    if isinstance(row, DerivativeTransaction) and row.shares_owned_following in (
            row.shares if row.acquired_disposed == "A" else 0.0, None):
        return False  # Table II is often kept per grant: a row holding just its own grant, or none left
    if before.transaction_date and row.transaction_date:
        return row.transaction_date <= form4_due(before.transaction_date)
    return True
