"""Footnotes whose marks OCR lost, placed by their wording.

Superscript marks are the smallest print on the form and OCR drops them often, leaving a
footnote that nothing refers to.  Most footnotes say what they annotate in set phrases (a
weighted average price and its range, shares withheld for tax, a gift, a trust holding the
shares, a vesting schedule), so an orphan is put on the field and rows those phrases belong
to, with a warning that says it was placed, not read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from form4.model import ROW_TABLES, Filing
from form4.readers.text.evidence import Evidence

_RANGE = re.compile(r"ranging\s+from\s+\$\s?([\d,]+(?:\.\d+)?)\s+to\s+\$\s?([\d,]+(?:\.\d+)?)", re.I)

Rule = tuple[re.Pattern[str], tuple[str, ...], str, Callable[[Any], bool]]

# wording -> (tables, field, which rows)
_RULES: tuple[Rule, ...] = (
    (re.compile(r"weighted\s+average\s+price|prices\s+ranging", re.I),
     ("non_derivative_transactions",), "price_per_share", lambda r: r.transaction_code in ("S", "P")),
    (re.compile(r"withh\w*\s.{0,60}tax|tax\s+withh|satisf\w*\s.{0,40}tax", re.I | re.S),
     ("non_derivative_transactions",), "shares", lambda r: r.transaction_code == "F"),
    (re.compile(r"restricted\s+stock\s+units?\s+granted|\bgranted\s+under", re.I),
     ("non_derivative_transactions",), "shares", lambda r: r.transaction_code == "A"),
    (re.compile(r"\bgift|\bdonat|for\s+no\s+consideration", re.I),
     ("non_derivative_transactions",), "transaction_code", lambda r: r.transaction_code == "G"),
    (re.compile(r"10b5-1", re.I),
     ("non_derivative_transactions",), "transaction_code", lambda r: r.transaction_code in ("S", "P")),
    (re.compile(r"\bvests?\b|\bvesting\b|\bexercisable\b", re.I),
     ("derivative_transactions", "derivative_holdings"), "exercise_date", lambda r: True),
    (re.compile(r"\bheld\s+(?:by|in|through)\b|\btrust\b|\bspouse\b", re.I),
     ROW_TABLES, "nature_of_ownership", lambda r: r.direct_or_indirect == "I"),
)


def place(filing: Filing, ev: Evidence) -> None:
    """Give each footnote the rows its wording points at, where their marks were not read."""
    # which rules each note's wording fits, worked out once (the wordings are slow to search)
    fits = {note.id: [k for k, rule in enumerate(_RULES) if rule[0].search(note.text)] for note in filing.footnotes}
    _misread(filing, ev, fits)
    uses: dict[str, set[str]] = {}  # footnote -> the fields that refer to it
    for table in ROW_TABLES:
        for row in getattr(filing, table):
            for name, ids in row.footnotes.items():
                for i in ids:
                    uses.setdefault(i, set()).add(name)
    for note in filing.footnotes:
        for k in fits[note.id]:
            _, tables, field, wanted = _RULES[k]
            # an orphan, or a note some rows refer to from this very field: rows like them lost theirs
            if uses.get(note.id, {field}) != {field}:
                continue
            rows = [(t, i, r) for t in tables for i, r in enumerate(getattr(filing, t))
                    if wanted(r) and field not in r.footnotes and _in_range(note.text, r, field)]
            for table, i, row in rows:
                row.footnotes[field] = [note.id]
                ev.doubt(f"{table}[{i}].footnotes.{field}", 0.5,
                         f"footnote {note.id} placed here by its wording: its mark was not read")
            if rows:
                break


def _in_range(text: str, row: Any, field: str) -> bool:
    """A note giving a price range fits only the rows whose price lies in it."""
    m = _RANGE.search(text) if field == "price_per_share" else None
    if m is None:
        return True
    low, high = (float(g.replace(",", "")) for g in m.groups())
    return row.price_per_share is not None and low <= row.price_per_share <= high


def _misread(filing: Filing, ev: Evidence, rules: dict[str, list[int]]) -> None:
    """A mark whose footnote's wording belongs to another field ("held by a trust" on an
    exercise date), where exactly one footnote is worded for this field: OCR misread the
    mark's number ("(6)" for "(5)"), so it is taken as that footnote."""
    fits = {note: {_RULES[k][2] for k in ks} for note, ks in rules.items()}
    for table in ROW_TABLES:
        for i, row in enumerate(getattr(filing, table)):
            for field, ids in row.footnotes.items():
                worded = [n for n, fields in fits.items() if field in fields]
                for k, ref in enumerate(ids):
                    if len(worded) == 1 and fits.get(ref) and field not in fits[ref] and worded[0] not in ids:
                        ids[k] = worded[0]
                        ev.doubt(f"{table}[{i}].footnotes.{field}", 0.5,
                                 f"mark {ref} is worded for another field: taken as {worded[0]}, worded for this one")
