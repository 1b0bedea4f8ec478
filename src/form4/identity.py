"""Which readings are one filing, and which of them to keep. Pure: no I/O.

A filing can come in several times: as its ownership XML, inside its EDGAR submission, as
the SEC's HTML page, printed to PDF, scanned. ``order`` ranks readings, most exact first;
``fingerprint`` takes what every rendering of a filing shows alike, and ``content_key`` makes
of it the key of a filing read without accession number; ``similarity`` and ``same_filing``
tell two readings of one filing from two filings, despite what lossy readers get wrong (a
misread digit, a dropped accent, a missed code or row, no CIKs on a printed form).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

from form4.model import ROW_TABLES, Filing, Row

# Most exact first. The filer's own XML is the filing itself, whether read from the .xml or
# from the submission that wraps it ("sgml", which also carries pre-2003 forms typed in ASCII:
# the filing as filed). The SEC data set is the SEC's extraction of that XML: values exact,
# but some fields gone. The printed renderings follow in the order their readers err more:
# EDGAR's HTML page holds every printed value as text; a PDF's text layer the same characters,
# placed only by position; a text file is pdftotext's or Tesseract's output; a scan is OCR alone.
RANK = {"xml": 0, "sgml": 0, "sec-dataset": 1, "html": 2, "pdf": 3, "text": 4, "ocr": 5}
EXACT = frozenset(source for source, rank in RANK.items() if rank <= RANK["sec-dataset"])  # nothing misread

# A lossy reading is another reading of a filing when at most this share of the values both
# give disagree (and one value always may: a digit misread on a small form). The corpus's
# lossy readers get 97-100 % of fields right; two filings of one owner, issuer and period
# differ in most of their rows.
MAX_DISAGREEMENT = 0.1
# Names as alike as this (rapidfuzz's 0-100 token sort ratio) are one name misread: "Patel
# Sean" for "Patel Seán", a dropped initial; below it, another person or company.
OWNER_LIKENESS = 88
ISSUER_LIKENESS = 90
# Values that must agree at the least: form, period, issuer and an owner, or rows. A reading
# that gives less (a page OCR could hardly read) is no one's other reading.
MIN_AGREEING = 4

# what a filing shows of each row, in every rendering: dates, codes, amounts (each amount in
# shares, or in dollars where the filing gives a value instead, which is another row)
ROW_VALUES = ("transaction_date", "transaction_code", "direct_or_indirect", "expiration_date")
AMOUNTS = (("shares", "total_value"), ("shares_owned_following", "value_owned_following"),
           ("underlying_shares", "underlying_value"))
# A dollar amount where the other reading has shares is not a misread digit: the "$" is
# printed, so the amount means another thing, whatever its digits.
_OTHER_MEANING = 2
_COMPANY_WORDS = frozenset({"THE", "INC", "INCORPORATED", "CORP", "CORPORATION", "CO", "COMPANY", "LTD", "LIMITED",
                            "LLC", "PLC", "NV", "SA", "AG"})

Value = dt.date | float | str | None
Values = tuple[Value, ...]
RowPrint = tuple[int, Values]  # the row's table (its index in ROW_TABLES), its values


def order(source: str | None, doubts: int = 0) -> tuple[int, int]:
    """Sorts readings most exact first: by source, then by how many fields the reader doubted."""
    return RANK.get(source or "", len(RANK)), doubts


def doubts(filing: Filing) -> int:
    """Fields the reader flagged: its warnings and the fields it is not sure of."""
    return len(filing.warnings) + len(filing.confidence)


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What identifies a filing, normalized so that every rendering of it gives the same."""

    accession: str | None
    exact: bool  # read from a source that misreads nothing (EXACT)
    form_type: str | None
    period: dt.date | None
    issuer_cik: str | None
    ticker: str | None
    issuer: str | None
    owner_ciks: frozenset[str]
    owners: tuple[str, ...]
    rows: tuple[RowPrint, ...]


def fingerprint(filing: Filing) -> Fingerprint:
    rows = tuple((t, _row(row)) for t, table in enumerate(ROW_TABLES) for row in getattr(filing, table))
    owners = filing.reporting_owners
    return Fingerprint(
        accession=filing.accession_number, exact=filing.source in EXACT, form_type=filing.form_type,
        period=filing.period_of_report, issuer_cik=filing.issuer.cik, ticker=normal(filing.issuer.trading_symbol),
        issuer=normal(filing.issuer.name, drop=_COMPANY_WORDS), owner_ciks=frozenset(o.cik for o in owners if o.cik),
        owners=tuple(n for o in owners if (n := normal(o.name))), rows=rows)


def content_key(print_: Fingerprint) -> str:
    """A SHA-256 of what every rendering shows (no CIKs, no accession number): two exact
    readings of one filing, from whichever form, have the same."""
    return hashlib.sha256(json.dumps(_shown(print_), default=str).encode()).hexdigest()


def _shown(p: Fingerprint) -> list[object]:
    return [p.form_type, p.period, p.ticker, p.issuer, sorted(p.owners), p.rows]


def normal(text: str | None, drop: frozenset[str] = frozenset()) -> str | None:
    """Upper-case letters and digits without accents, one space between words."""
    if not text:
        return None
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    words = "".join(c if c.isalnum() else " " for c in plain.upper()).split()
    return " ".join(w for w in words if w not in drop) or None


def _row(row: Row) -> Values:
    values = [_value(getattr(row, name, None)) for name in ROW_VALUES]
    return (*values, *(_amount(getattr(row, shares, None), getattr(row, dollars, None)) for shares, dollars in AMOUNTS))


def _amount(shares: float | None, dollars: float | None) -> Value:
    if shares is not None:
        return round(shares, 4)
    return None if dollars is None else f"${dollars:.4f}"


def _value(value: object) -> Value:
    if isinstance(value, str):
        return value.strip().upper() or None
    return value if isinstance(value, dt.date) else None


def same_filing(a: Fingerprint, b: Fingerprint) -> bool:
    return similarity(a, b) > 0


@dataclass(slots=True)
class _Tally:
    agree: int = 0
    differ: int = 0

    def add(self, same: bool, weight: int = 1) -> None:
        if same:
            self.agree += weight
        else:
            self.differ += weight


def similarity(a: Fingerprint, b: Fingerprint) -> float:
    """The share of the values both readings give that agree, when they can be one filing;
    0 when they cannot. Two accession numbers decide alone: EDGAR holds duplicate filings
    under different numbers, and those stay two. Two exact readings are one filing only when
    they show the same: what differs between them is no misreading."""
    if a.accession and b.accession:
        return 1.0 if a.accession == b.accession else 0.0
    if not _ciks_agree(a, b):
        return 0.0
    if a.exact and b.exact:
        return 1.0 if _shown(a) == _shown(b) else 0.0
    tally = _Tally()
    if not (_same_form(a, b, tally) and _period(a, b, tally) and _issuer(a, b, tally) and _owners(a, b, tally)):
        return 0.0
    for table in range(len(ROW_TABLES)):
        _rows([r for t, r in a.rows if t == table], [r for t, r in b.rows if t == table], tally)
    compared = tally.agree + tally.differ
    if tally.agree < MIN_AGREEING or tally.differ > max(1, MAX_DISAGREEMENT * compared):
        return 0.0
    return tally.agree / compared


def _ciks_agree(a: Fingerprint, b: Fingerprint) -> bool:
    """CIKs, where both readings give them (a printed form shows none), name the same issuer
    and owners."""
    issuer = not (a.issuer_cik and b.issuer_cik) or a.issuer_cik == b.issuer_cik
    return issuer and (not (a.owner_ciks and b.owner_ciks) or a.owner_ciks == b.owner_ciks)


def _same_form(a: Fingerprint, b: Fingerprint, tally: _Tally) -> bool:
    """An amendment is another filing than its original, though it may repeat every row."""
    if a.form_type is None or b.form_type is None:
        return True
    tally.add(True)
    return a.form_type == b.form_type


def _period(a: Fingerprint, b: Fingerprint, tally: _Tally) -> bool:
    if a.period is None or b.period is None:
        return True
    misread = sum(x != y for x, y in zip(a.period.isoformat(), b.period.isoformat(), strict=True))
    tally.add(misread == 0)
    return misread <= 1  # one digit misread; further apart, another period


def _issuer(a: Fingerprint, b: Fingerprint, tally: _Tally) -> bool:
    """The same ticker or a like name: one issuer (OCR may run the owner's name into the
    issuer's); neither, another issuer."""
    if a.issuer_cik and b.issuer_cik:  # equal: _ciks_agree
        tally.add(True)
        return True
    tickers, names = bool(a.ticker and b.ticker), bool(a.issuer and b.issuer)
    if not (tickers or names):
        return True
    tally.add(True)  # one issuer counts once, by ticker or by name
    return (tickers and a.ticker == b.ticker) or (names and _likeness(a.issuer, b.issuer) >= ISSUER_LIKENESS)


def _likeness(a: str | None, b: str | None) -> float:
    return fuzz.token_sort_ratio(a or "", b or "")


def _owners(a: Fingerprint, b: Fingerprint, tally: _Tally) -> bool:
    """Every owner one reading names is one the other names; a joint filer may be missed."""
    if a.owner_ciks and b.owner_ciks:  # equal: _ciks_agree
        tally.add(True)
        return True
    fewer, more = sorted((a.owners, b.owners), key=len)
    if not fewer:
        return True
    if len(more) - len(fewer) > 1:
        return False
    left = list(more)
    for name in fewer:
        best = max(left, key=lambda other: _likeness(name, other))
        if _likeness(name, best) < OWNER_LIKENESS:
            return False
        left.remove(best)
        tally.add(True)
    tally.add(False, len(left))
    return True


def _rows(a: list[Values], b: list[Values], tally: _Tally) -> None:
    """One table's rows, paired in order; when one reading has rows the other lacks, the
    pairing that leaves the fewest values disagreeing."""
    pairs = zip(a, b, strict=True) if len(a) == len(b) else _aligned(a, b)
    for x, y in pairs:
        for u, v in zip(x, y, strict=True):
            if u is not None and v is not None:
                tally.add(u == v, _OTHER_MEANING if isinstance(u, str) != isinstance(v, str) else 1)
    tally.add(False, abs(len(a) - len(b)))  # a row one reading lacks


def _aligned(a: list[Values], b: list[Values]) -> list[tuple[Values, Values]]:
    """Pairs of rows in order, skipping rows of the longer list where that costs least."""
    if len(a) > len(b):
        return [(x, y) for y, x in _aligned(b, a)]
    # cost[i][j]: the least disagreement pairing a[:i] with j rows among b[:j]'s, in order
    inf = float("inf")
    cost = [[0.0] * (len(b) + 1)] + [[inf] * (len(b) + 1) for _ in a]
    for i, x in enumerate(a, 1):
        for j in range(i, len(b) + 1):
            cost[i][j] = min(cost[i][j - 1], cost[i - 1][j - 1] + _differing(x, b[j - 1]))
    pairs: list[tuple[Values, Values]] = []
    j = len(b)
    for i in range(len(a), 0, -1):
        while cost[i][j] == cost[i][j - 1]:
            j -= 1
        pairs.append((a[i - 1], b[j - 1]))
        j -= 1
    return pairs[::-1]


def _differing(x: Values, y: Values) -> int:
    return sum(u != v for u, v in zip(x, y, strict=True) if u is not None and v is not None)
