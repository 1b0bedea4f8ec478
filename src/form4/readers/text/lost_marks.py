"""Raised footnote marks OCR garbled past reading ("400(?)", "s@)"), decided by the rows
around them: rows of one security mark a column with the same footnote ("(2)" on every
amount sold under one plan), or with footnotes numbered one after another ("(3)", "(4)"...,
one weighted-average price each).  A mark nothing decides is left out, not invented.  A price
whose mark lost its "(" ends at the places the form's other prices are printed to."""

from __future__ import annotations

import re
from collections import Counter

from form4.model import ROW_TABLES, Filing
from form4.readers.text.evidence import Evidence
from form4.readers.text.tokens import PRICE_UNBRACKETED

_KEY = re.compile(r"^(\w+)\[(\d+)\]\.footnotes\.(\w+)$")
_NUMBER = re.compile(r"^F(\d+)$")


def decide(filing: Filing, ev: Evidence) -> None:
    _prices(filing, ev)
    defined = {note.id for note in filing.footnotes}
    if not defined:
        return  # no footnote read: no number a mark may take
    cited = {m for table in ROW_TABLES for row in getattr(filing, table) for refs in row.footnotes.values()
             for m in refs}
    lost: dict[tuple[str, str], set[int]] = {}
    for key in ev.garbled:
        if m := _KEY.match(key):
            lost.setdefault((m.group(1), m.group(3)), set()).add(int(m.group(2)))
    for (table, name), where in lost.items():
        rows = getattr(filing, table)
        where = {i for i in where if i < len(rows) and not rows[i].footnotes.get(name)}
        for title in {rows[i].security_title for i in where}:
            same = [i for i, row in enumerate(rows) if row.security_title == title]
            _between(filing, ev, table, name, same, where, defined, cited)


def _between(filing: Filing, ev: Evidence, table: str, name: str, same: list[int], where: set[int],
             defined: set[str], cited: set[str]) -> None:
    """Each run of a security's rows whose marks on ``name`` were lost, between the nearest
    rows above and below that read theirs."""
    rows = getattr(filing, table)
    k = 0
    while k < len(same):
        if same[k] not in where:
            k += 1
            continue
        end = k
        while end < len(same) and same[end] in where:
            end += 1
        marks: list[list[str]] = []
        if k > 0 and end < len(same):
            above, below = rows[same[k - 1]].footnotes.get(name), rows[same[end]].footnotes.get(name)
            marks = _filled(above, below, end - k, defined, cited)
        elif end + 1 < len(same) and same[end + 1] not in where:  # the security's first rows: the two below
            marks = _same(rows[same[end]].footnotes.get(name), rows[same[end + 1]].footnotes.get(name), end - k,
                          defined)
        elif k >= 2 and end == len(same):  # its last rows: the two above
            marks = _same(rows[same[k - 2]].footnotes.get(name), rows[same[k - 1]].footnotes.get(name), end - k,
                          defined)
        if marks:
            for i, got in zip(same[k:end], marks, strict=True):
                rows[i].footnotes[name] = got
                ev.doubt(f"{table}[{i}].footnotes.{name}", 0.6,
                         f"mark {got} garbled: taken from the marks of the rows around it")
        k = end


def _same(one: list[str] | None, other: list[str] | None, count: int, defined: set[str]) -> list[list[str]]:
    """At a security's first or last rows: the marks the two nearest rows that read theirs
    both print."""
    if not one or one != other or not all(m in defined for m in one):
        return []
    return [list(one) for _ in range(count)]


def _filled(above: list[str] | None, below: list[str] | None, count: int, defined: set[str],
            cited: set[str]) -> list[list[str]]:
    """The marks of ``count`` rows between two that read theirs: the marks both print, or the
    numbers between theirs when they count up one a row and no other row cites those."""
    if not above or not below:
        return []
    if above == below and all(m in defined for m in above):
        return [list(above) for _ in range(count)]
    a = _NUMBER.match(above[0]) if len(above) == 1 else None
    b = _NUMBER.match(below[0]) if len(below) == 1 else None
    if a is None or b is None or int(b.group(1)) - int(a.group(1)) != count + 1:
        return []
    numbers = [f"F{n}" for n in range(int(a.group(1)) + 1, int(b.group(1)))]
    if all(m in defined and m not in cited for m in numbers):
        return [[m] for m in numbers]
    return []


def _places(price: float) -> int:
    text = repr(price)
    return 0 if text.endswith(".0") or "." not in text else len(text.split(".")[1])


def _prices(filing: Filing, ev: Evidence) -> None:
    """"$1,045.3878)": a price whose mark lost its "(", so that the mark's digits may run on
    after the price's own.  The places the form's other prices of Table I are printed to
    (weighted averages alike, most to three) tell where the price ends."""
    rows = filing.non_derivative_transactions
    garbled = {i: text for i, row in enumerate(rows)
               if (text := ev.garbled.get(f"non_derivative_transactions[{i}].footnotes.price_per_share"))
               and PRICE_UNBRACKETED.match(text)}
    places = Counter(n for i, row in enumerate(rows) if i not in garbled and row.price_per_share is not None
                     and (n := _places(row.price_per_share)) >= 2)
    typical, seen = places.most_common(1)[0] if places else (0, 0)
    if seen < 2:
        return
    _pointed(filing, ev, typical, set(garbled))
    for i, text in garbled.items():
        m = PRICE_UNBRACKETED.match(text)
        digits = m.group(1) if m else ""
        if 0 < len(digits) - typical <= 2:
            kept = text[1:-1 - (len(digits) - typical)].replace(",", "")
            rows[i].price_per_share = float(kept)
            ev.doubt(f"non_derivative_transactions[{i}].price_per_share", 0.6,
                     f"OCR read {text!r}: the digits past {typical} places, as the form's other prices"
                     " are printed, taken as its footnote mark's")


def _pointed(filing: Filing, ev: Evidence, places: int, garbled: set[int]) -> None:
    """"$1,054,421": a price OCR read with a comma for its point, a thousand times the form's
    other prices; read with its point it is one of them (a doubted reading only)."""
    rows = filing.non_derivative_transactions
    clean = sorted(p for i, row in enumerate(rows) if i not in garbled and (p := row.price_per_share))
    if len(clean) < 2:
        return
    middle = clean[len(clean) // 2]
    for i, row in enumerate(rows):
        path = f"non_derivative_transactions[{i}].price_per_share"
        price = row.price_per_share
        if not price or ev.confidence.get(path, 1.0) >= 1.0 or price < 100 * middle or price != int(price):
            continue
        pointed = price / 1000
        for _ in range(2):  # "$834,232)": the mark's digit after the three that follow the comma
            if middle / 2 <= pointed <= middle * 2:
                break
            pointed /= 10
        if middle / 2 <= pointed <= middle * 2:
            row.price_per_share = int(round(pointed * 10 ** places, 6)) / 10 ** places
            ev.doubt(path, 0.5, f"{price} read, a thousand times the form's other prices: its comma taken"
                                " as its point")
