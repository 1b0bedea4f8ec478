"""What the form lets a reader check or infer: codes from footnotes, A/D from codes,
running balances, plausible dates, marks that point at real footnotes."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator, Sequence

from form4.codes import TABLE_I, TABLE_II, fixed_side, usual_side
from form4.model import ROW_TABLES, DerivativeTransaction, Filing, NonDerivativeTransaction
from form4.readers.text.evidence import Evidence

# Wording of the footnotes that define a code (Form 4 General Instructions, 8).
_CODE_WORDS = (
    ("F", re.compile(r"tax\s+(?:liabilit|withh|obligation)|withh\w*\s.{0,60}tax|satisf\w*\s.{0,40}tax", re.I | re.S)),
    ("M", re.compile(r"exercise\s+of\s+(?:a\s+|an\s+)?(?:stock\s+)?option|option\s+exercise|exercised", re.I)),
    ("G", re.compile(r"\bgift|\bgifted|\bdonat|for\s+no\s+consideration", re.I)),
    ("S", re.compile(r"\bsold\b|\bsale\s+of\b|open\s+market\s+sale|weighted\s+average\s+sale", re.I)),
    ("P", re.compile(r"\bpurchased\b|open\s+market\s+purchase|weighted\s+average\s+purchase", re.I)),
    ("A", re.compile(r"\bgrant(?:ed)?\b|\baward(?:ed)?\b", re.I)),
    ("C", re.compile(r"\bconver(?:ted|sion)\b", re.I)),
)


def _table(derivative: bool) -> str:
    return TABLE_II if derivative else TABLE_I


def _infer_code(row: NonDerivativeTransaction | DerivativeTransaction, notes: dict[str, str]) -> str | None:
    ids = [i for ids in row.footnotes.values() for i in ids]
    for code, words in _CODE_WORDS:
        if any(words.search(notes.get(i, "")) for i in ids):
            return code
    return None


def _code_from_price(path: str, row: NonDerivativeTransaction | DerivativeTransaction, derivative: bool,
                     ev: Evidence) -> bool:
    """A Table I code OCR could not read, or read from a garbled word ("fen" for "G(1)"), on a
    trade at $0 whose side was read: a gift when disposed of, a grant when acquired."""
    if derivative or row.price_per_share != 0 or row.acquired_disposed not in ("A", "D"):
        return False
    code = "A" if row.acquired_disposed == "A" else "G"
    if code != row.transaction_code:
        read = f"read as {row.transaction_code}" if row.transaction_code else "not read"
        ev.doubt(f"{path}.transaction_code", 0.5,
                 f"code {read}; {code} from a price of $0 and side {row.acquired_disposed}")
        row.transaction_code = code
    return True


def _side_from_code(path: str, code: str | None, side: str, ev: Evidence) -> None:
    """(A)/(D) left blank follows from a code that fixes it (Form 4 instructions: P and S, M
    and F...) as surely as the code itself was read; a code that was a guess leaves a guess."""
    sure = ev.sure(f"{path}.transaction_code")
    if sure >= 0.9:
        ev.doubt(f"{path}.acquired_disposed", 0.95)
    else:
        ev.doubt(f"{path}.acquired_disposed", sure,
                 f"(A)/(D) not printed or not read; {side} inferred from code {code}")


def check(filing: Filing, ev: Evidence, *, ocr: bool = True) -> None:
    """Fields mended or doubted by what the form's rules make them; ``ocr`` says digits may be
    misread.  Off a text layer each digit and date is as printed: a balance that does not add
    up, or a trade dated after its signature, is the filer's (validation's business, not a
    misreading), kept and not doubted."""
    notes = {f.id: f.text for f in filing.footnotes}
    rows: list[tuple[str, NonDerivativeTransaction | DerivativeTransaction, bool]] = [
        *((f"non_derivative_transactions[{i}]", r, False) for i, r in enumerate(filing.non_derivative_transactions)),
        *((f"derivative_transactions[{i}]", r, True) for i, r in enumerate(filing.derivative_transactions))]
    for path, row, derivative in rows:
        if row.transaction_code is None:
            code = _infer_code(row, notes)
            if code:
                row.transaction_code = code
                ev.doubt(f"{path}.transaction_code", 0.6,
                         f"code column empty; {code} inferred from the wording of the row's footnote")
            elif not _code_from_price(path, row, derivative, ev):
                ev.missing(f"{path}.transaction_code", "the transaction code")
        elif f"{path}.transaction_code" in ev.garbled:
            _code_from_price(path, row, derivative, ev)
        code = row.transaction_code
        side = usual_side(code, _table(derivative)) if code else None
        if row.acquired_disposed is None:
            if side and fixed_side(code or "", _table(derivative)):
                row.acquired_disposed = side
                _side_from_code(path, row.transaction_code, side, ev)
            elif side:  # the side the code usually has (a gift given), not one it fixes
                row.acquired_disposed = side
                ev.doubt(f"{path}.acquired_disposed", 0.7,
                         f"(A)/(D) not printed or not read; {side}, as code {code} usually is, taken")
            elif derivative and row.transaction_code:
                # Text keeps no columns, and a code such as J fixes no side: most derivative
                # rows that neither exercise nor dispose record an acquisition.
                row.acquired_disposed = "A"
                ev.doubt(f"{path}.acquired_disposed", 0.4,
                         f"(A)/(D) not printed or not read, and code {row.transaction_code} does not fix it;"
                         " taken as A")
            else:
                ev.missing(f"{path}.acquired_disposed", "whether the securities were acquired or disposed of")
        elif code and fixed_side(code, _table(derivative)) not in (None, row.acquired_disposed):
            # only a side the code fixes is doubted: a gift received (G, A) is as filed
            ev.doubt(f"{path}.acquired_disposed", 0.5,
                     f"{row.acquired_disposed} does not fit code {row.transaction_code}")
            ev.doubt(f"{path}.transaction_code", 0.5)
    _empty_rows(filing, ev)
    _ownership_from_nature(filing, ev)
    _balances(filing, ev, ocr)
    _garbled_dates(filing, ev)
    _dates(filing, ev, ocr)
    _lost_points(filing, ev)


def _lost_points(filing: Filing, ev: Evidence) -> None:
    """A Table I price over ten times every other ("$6799" among prices of $13 to $396) lost its
    decimal point to OCR: the others show where it goes."""
    prices = [(i, row.price_per_share) for i, row in enumerate(filing.non_derivative_transactions)
              if row.price_per_share]
    for i, price in prices:
        others = [p for j, p in prices if j != i]
        if len(others) >= 2 and price > 10 * max(others) and 0.8 * min(others) <= price / 100 <= 1.25 * max(others):
            filing.non_derivative_transactions[i].price_per_share = price / 100
            ev.doubt(f"non_derivative_transactions[{i}].price_per_share", 0.6,
                     f"{price:g} read without its decimal point: the row's other prices put it at {price / 100:g}")


def running_balances(filing: Filing) -> Iterator[tuple[int, NonDerivativeTransaction, float]]:
    """Each Table I transaction that follows one of the same security and ownership form,
    with that one's balance (owned following), for checking ``before ± shares = after``."""
    before: dict[tuple[str | None, str | None], float] = {}
    for i, row in enumerate(filing.non_derivative_transactions):
        key = (row.security_title, row.direct_or_indirect)
        if key in before and row.shares is not None and row.shares_owned_following is not None:
            yield i, row, before[key]
        if row.shares_owned_following is not None:
            before[key] = row.shares_owned_following


def adds_up(before: float | None, row: NonDerivativeTransaction) -> bool:
    if before is None or row.shares is None or row.shares_owned_following is None:
        return False
    sign = 1 if row.acquired_disposed == "A" else -1
    return abs(before + sign * row.shares - row.shares_owned_following) <= 0.5


# a row's amounts and dates: one of them makes it a row of the form
_ROW_VALUES = ("shares", "price_per_share", "shares_owned_following", "conversion_or_exercise_price",
               "underlying_shares", "value_owned_following", "total_value", "transaction_date", "exercise_date",
               "expiration_date")


def valued(row: object) -> bool:
    """Whether a row prints any amount or date of its own (what makes it a row of the form)."""
    return any(getattr(row, k, None) is not None for k in _ROW_VALUES)


def _empty_rows(filing: Filing, ev: Evidence) -> None:
    """A row with no amount and no date is not a row of the form: header text read as one."""
    for table in ROW_TABLES:
        for i, row in enumerate(getattr(filing, table)):
            if not valued(row):
                ev.doubt(f"{table}[{i}]", 0.3, "a row with no amount and no date: perhaps not a row at all")


def _ownership_from_nature(filing: Filing, ev: Evidence) -> None:
    """A row whose D/I was lost is held indirectly when it names the nature of that holding,
    and directly when it names none: an indirect holding must say through whom.  (A running
    balance is not asked: one carried on from another row does not show it is the same holding.)"""
    for table in ROW_TABLES:
        for i, row in enumerate(getattr(filing, table)):
            if row.direct_or_indirect is None:
                path = f"{table}[{i}].direct_or_indirect"
                if row.nature_of_ownership:  # the form asks a nature of indirect holdings alone
                    row.direct_or_indirect = "I"
                    ev.resolve(path, 0.9)
                else:  # a blank nature may be one lost
                    row.direct_or_indirect = "D"
                    ev.resolve(path, 0.6, "ownership form not read; D, as no nature of indirect ownership is given")


def _digits(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".").replace(".", "")


def _mend_by_balance(row: NonDerivativeTransaction, before: float) -> tuple[str, str] | None:
    """OCR runs a footnote mark into an amount or drops its separators ("3925599" for
    392,559 and a mark): when the balance before, the amount and the balance after agree but
    for such extra digits, the balance decides."""
    assert row.shares is not None and row.shares_owned_following is not None
    for sign in ((1,) if row.acquired_disposed == "A" else (-1,) if row.acquired_disposed == "D" else (1, -1)):
        after = before + sign * row.shares
        if _extra_digits(row.shares_owned_following, after):
            read, row.shares_owned_following = row.shares_owned_following, after
            return "shares_owned_following", f"read as {read:g}; {after:g} by the balance before and the amount"
        amount = abs(row.shares_owned_following - before)
        if _extra_digits(row.shares, amount):
            read, row.shares = row.shares, amount
            return "shares", f"read as {read:g}; {amount:g} by the balances before and after"
    return None


def _extra_digits(read: float, true: float) -> bool:
    """``read`` is ``true`` with one or two digits more at its end (a mark, a lost separator),
    or with one digit misread."""
    got, want = _digits(read), _digits(true)
    if true <= 0 or got == want:
        return False
    misread = len(got) == len(want) >= 4 and sum(a != b for a, b in zip(got, want, strict=True)) == 1
    return misread or (got.startswith(want) and len(got) - len(want) <= 2)


def _balances(filing: Filing, ev: Evidence, ocr: bool) -> None:
    """Owned-following of one row = the previous row's ± this row's amount, for consecutive
    rows of the same security and ownership form; and, as some filers carry one balance on
    from row to row whatever the holding, for the row just above (only to mend, not to doubt)."""
    rows = filing.non_derivative_transactions
    keyed = {i: before for i, _, before in running_balances(filing)}
    for i, row in enumerate(rows):
        above = rows[i - 1].shares_owned_following if i else None
        befores = [b for b in (keyed.get(i), above) if b is not None]
        if row.shares is None or row.shares_owned_following is None or any(adds_up(b, row) for b in befores):
            continue
        mended = next((m for b in befores if (m := _mend_by_balance(row, b))), None) if ocr else None
        if mended:
            ev.doubt(f"non_derivative_transactions[{i}].{mended[0]}", 0.6, mended[1])
        elif i in keyed and ocr:
            # one of the three terms of the sum is misread (or the side that signs it)
            sign = "+" if row.acquired_disposed == "A" else "-"
            why = f"{keyed[i]:g} {sign} {row.shares:g} is not the {row.shares_owned_following:g} owned following"
            for name in ("shares", "shares_owned_following", "acquired_disposed"):
                ev.doubt(f"non_derivative_transactions[{i}].{name}", 0.8, why if name == "shares" else None)
    for i, row in enumerate(rows if ocr else ()):  # a text layer's blank is printed blank
        for name in ("shares", "shares_owned_following"):
            if getattr(row, name) is None and name not in row.footnotes:
                what = name.replace("_", " ")
                ev.doubt(f"non_derivative_transactions[{i}].{name}", 0.0, f"{what} is blank or unreadable")


_PATH = re.compile(r"^(\w+)\[(\d+)\]\.(\w+)$")


def _garbled_dates(filing: Filing, ev: Evidence) -> None:
    """A transaction date OCR mangled ("94/9995") is one of the dates the form prints
    elsewhere, the trades of one form falling on few days: the one it resembles most."""
    known = {r.transaction_date for table in ("non_derivative_transactions", "derivative_transactions")
             for r in getattr(filing, table) if r.transaction_date}
    if filing.period_of_report:
        known.add(filing.period_of_report)
    for path, text in ev.garbled.items():
        m = _PATH.match(path)
        if not m or m.group(3) != "transaction_date" or not known:
            continue
        rows, i = getattr(filing, m.group(1)), int(m.group(2))
        row = rows[i]
        near = _between_neighbours(rows, i, known)
        # the closest likeness; between two as like it, the earlier (ties are a coin toss otherwise)
        score, _, best = max((difflib.SequenceMatcher(None, text, d.strftime("%m/%d/%Y")).ratio(), -d.toordinal(), d)
                             for d in near)
        if (score >= 0.3 or len(near) == 1) and row.transaction_date is None:  # or the order leaves one
            row.transaction_date = best
            ev.doubt(path, 0.5, f"OCR read {text!r}: taken as {best}, the form's date it most resembles"
                                " in the rows' order")


def _between_neighbours(rows: Sequence[NonDerivativeTransaction | DerivativeTransaction], i: int,
                        known: set[dt.date]) -> set[dt.date]:
    """The form's dates a row's lost date can be: when the table's dates run in order, those
    between the dates of the rows before and after it."""
    dates = [r.transaction_date for r in rows if r.transaction_date]
    if dates != sorted(dates):
        return known
    before = max((r.transaction_date for r in rows[:i] if r.transaction_date), default=dt.date.min)
    after = min((r.transaction_date for r in rows[i + 1:] if r.transaction_date), default=dt.date.max)
    return {d for d in known if before <= d <= after} or known


def _dates(filing: Filing, ev: Evidence, ocr: bool) -> None:
    """Trades after 1991 (the form's first EDGAR year); on OCR'd text, not after the
    signature, and a Form 4's period the earliest trade (else a digit may be misread)."""
    signed = max((s.date for s in filing.signatures if s.date), default=None)
    latest = signed + dt.timedelta(days=1) if signed and ocr else dt.date.max
    tables = (("non_derivative_transactions", filing.non_derivative_transactions),
              ("derivative_transactions", filing.derivative_transactions))
    earliest = None
    for table, rows in tables:
        for i, row in enumerate(rows):
            date = row.transaction_date
            if date is None:
                ev.missing(f"{table}[{i}].transaction_date", "the transaction date")
                continue
            earliest = min(earliest or date, date)
            if not dt.date(1991, 1, 1) <= date <= latest:
                ev.doubt(f"{table}[{i}].transaction_date", 0.4, f"{date} is not between 1991 and the signature date")
    period = filing.period_of_report
    month = any(w.field == "period_of_report" for w in ev.warnings)  # a typed form's month, not a day
    if ocr and filing.form_type in ("4", "4/A") and earliest and period and earliest != period and not month:
        ev.doubt("period_of_report", 0.7, f"not the earliest transaction date ({earliest})")


def lost_amounts(filing: Filing, ev: Evidence) -> None:
    """A Table I amount OCR lost, between two balances read: the row above's owned-following
    and this row's differ by it (and say which way it went)."""
    rows = filing.non_derivative_transactions
    for i in range(1, len(rows)):
        row, before = rows[i], rows[i - 1].shares_owned_following
        if row.shares is not None or before is None or row.shares_owned_following in (None, before):
            continue
        after = row.shares_owned_following
        side = "A" if after > before else "D"
        if row.acquired_disposed not in (None, side):
            continue
        row.shares, row.acquired_disposed = abs(after - before), side
        ev.doubt(f"non_derivative_transactions[{i}].shares", 0.5,
                 f"not read: {row.shares:g}, the change from the row above's balance to this row's")
        ev.doubt(f"non_derivative_transactions[{i}].acquired_disposed", 0.5)


def earliest_trade(filing: Filing) -> dt.date | None:
    """The date of the filing's earliest transaction, when its tables give one."""
    return min((row.transaction_date for table in (filing.non_derivative_transactions, filing.derivative_transactions)
                for row in table if row.transaction_date is not None), default=None)


def misread_period(filing: Filing, ev: Evidence) -> None:
    """A Form 4's period one digit off its earliest transaction's date ("2033-08-05" for
    2023-08-05) is that date, which it must be, with a digit OCR misread."""
    period, earliest = filing.period_of_report, earliest_trade(filing)
    if filing.form_type not in ("4", "4/A") or earliest is None or period is None:
        return
    if sum(x != y for x, y in zip(period.isoformat(), earliest.isoformat(), strict=True)) == 1:
        filing.period_of_report = earliest
        ev.doubt("period_of_report", 0.6, f"read as {period}: taken as the earliest transaction's date")


def marks(filing: Filing, ev: Evidence) -> None:
    """Marks that point at no footnote; when one footnote is pointed at by nothing, such a
    mark is taken as a misread of its number (OCR's "(0)" for "(1)").  Asked after orphaned
    footnotes found their rows by their wording, which leaves fewer unplaced."""
    ids = {note.id for note in filing.footnotes}
    rows = [(f"{table}[{i}]", row) for table in ROW_TABLES for i, row in enumerate(getattr(filing, table))]
    used = {r for _, row in rows for refs in row.footnotes.values() for r in refs}
    unused = sorted(ids - used)
    for path, row in rows:
        for name, refs in row.footnotes.items():
            unknown = [r for r in refs if r not in ids]
            if unknown and len(unused) == 1 and len(unknown) == 1:
                row.footnotes[name] = [unused[0] if r in unknown else r for r in refs]
                ev.doubt(f"{path}.footnotes.{name}", 0.5,
                         f"mark {unknown[0]} has no footnote: taken as {unused[0]}, the one nothing else points at")
                unused = []
            elif unknown:
                ev.doubt(f"{path}.{name}", 0.5, f"footnote mark {unknown} has no footnote")
