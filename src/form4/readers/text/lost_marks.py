"""Raised footnote marks OCR garbled past reading ("400(?)", "s@)"), decided by the rows
around them: rows of one security mark a column with the same footnote ("(2)" on every
amount sold under one plan), or with footnotes numbered one after another ("(3)", "(4)"...,
one weighted-average price each), or by what the footnotes say: the one note whose range of
prices holds a price, the one note that names a nature's words.  A mark nothing decides is left
out, not invented.  A price whose mark lost its "(" ends at the places the form's other prices
are printed to."""

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
    for (table, name), garbled in lost.items():
        rows = getattr(filing, table)
        where = {i for i in garbled if i < len(rows) and not rows[i].footnotes.get(name)}
        for title in {_title(rows[i].security_title) for i in garbled if i < len(rows)}:
            same = [i for i, row in enumerate(rows) if _title(row.security_title) == title]
            _between(filing, ev, table, name, same, where, defined, cited)
            _recounted(filing, ev, table, name, same, garbled - where, defined, cited)
        _explained(filing, ev, table, name, garbled)


def _title(title: str | None) -> str:
    """A security's title as rows of it print it, whatever case OCR read ("Common stock")."""
    return " ".join((title or "").casefold().split())


def _recounted(filing: Filing, ev: Evidence, table: str, name: str, same: list[int], misread: set[int],
               defined: set[str], cited: set[str]) -> None:
    """A mark read through garbled brackets ("°19)") that breaks a count the rows around it
    keep (12, 19, 14): the number the count gives, when no row cites it."""
    rows = getattr(filing, table)
    for k in range(1, len(same) - 1):
        i = same[k]
        if i not in misread:
            continue
        low = _number(rows[same[k - 1]].footnotes.get(name))
        high = _number(rows[same[k + 1]].footnotes.get(name))
        read = rows[i].footnotes.get(name)
        if low is None or high != low + 2 or read == [f"F{low + 1}"]:
            continue
        if f"F{low + 1}" in defined and f"F{low + 1}" not in cited and _number(read) is not None:
            rows[i].footnotes[name] = [f"F{low + 1}"]
            cited.add(f"F{low + 1}")
            ev.doubt(f"{table}[{i}].footnotes.{name}", 0.5,
                     f"mark {read} read through garbled brackets breaks the count of the rows around it:"
                     f" taken as F{low + 1}")


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
        above = rows[same[k - 1]].footnotes.get(name) if k > 0 else None
        below = rows[same[end]].footnotes.get(name) if end < len(same) else None
        if k > 0 and end < len(same):
            marks = _filled(above, below, end - k, defined, cited)
        elif end + 1 < len(same) and same[end + 1] not in where:  # the security's first rows: the two below
            marks = (_same(below, rows[same[end + 1]].footnotes.get(name), end - k, defined)
                     or _counted(0, _number(below), end - k, defined, cited))
        elif k >= 2 and end == len(same):  # its last rows: the two above
            last = max((n for m in defined if (n := _number([m])) is not None), default=0)
            marks = (_same(rows[same[k - 2]].footnotes.get(name), above, end - k, defined)
                     or _counted(_number(above), last + 1, end - k, defined, cited))
        if marks:
            for i, got in zip(same[k:end], marks, strict=True):
                rows[i].footnotes[name] = got
                cited.update(got)
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
    numbers between theirs that no other row cites, one a row."""
    if not above or not below:
        return []
    if above == below and all(m in defined for m in above):
        return [list(above) for _ in range(count)]
    return _counted(_number(above), _number(below), count, defined, cited)


def _number(marks: list[str] | None) -> int | None:
    m = _NUMBER.match(marks[0]) if marks and len(marks) == 1 else None
    return int(m.group(1)) if m else None


def _counted(low: int | None, high: int | None, count: int, defined: set[str], cited: set[str]) -> list[list[str]]:
    """Footnotes numbered between two rows' marks that no row cites, one a row, when there
    are as many as rows between (filers number footnotes in the order rows cite them)."""
    if low is None or high is None:
        return []
    numbers = [f"F{n}" for n in range(low + 1, high) if f"F{n}" in defined and f"F{n}" not in cited]
    return [[m] for m in numbers] if len(numbers) == count else []


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
    other prices; read with its point it is one of them (only a doubted reading, or one beside a
    garbled mark)."""
    rows = filing.non_derivative_transactions
    clean = sorted(p for i, row in enumerate(rows) if i not in garbled and (p := row.price_per_share))
    if len(clean) < 2:
        return
    middle = clean[len(clean) // 2]
    for i, row in enumerate(rows):
        path = f"non_derivative_transactions[{i}].price_per_share"
        price = row.price_per_share
        garbled_beside = f"non_derivative_transactions[{i}].footnotes.price_per_share" in ev.garbled
        if not price or (ev.sure(path) >= 1.0 and not garbled_beside) or price < 100 * middle or price != int(price):
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


# "prices ranging from $1,116.00 to $1,116.99": the prices a weighted average was made of
_RANGE = re.compile(r"\$\s?(\d[\d,]*(?:\.\d+)?)\s*(?:to|and|-|\u2013)\s*\$\s?(\d[\d,]*(?:\.\d+)?)")
# words any nature or note may hold: they tell no note from another
_COMMON_WORDS = frozenset(("by", "see", "footnote", "footnotes", "the", "for", "and", "held", "through", "its",
                           "his", "her", "their", "reporting", "person", "persons", "of", "as", "a", "an"))


def _explained(filing: Filing, ev: Evidence, table: str, name: str, garbled: set[int]) -> None:
    """Rows whose mark on a price or a nature is still lost: the one footnote that explains the
    value, if exactly one does (its range of prices holds the price; it names every word of the
    nature that tells one note from another)."""
    rows = getattr(filing, table)
    for i in sorted(garbled):
        if i >= len(rows) or rows[i].footnotes.get(name):
            continue
        value = getattr(rows[i], name, None)
        if name == "price_per_share" and isinstance(value, float):
            ids = [n.id for n in filing.footnotes if _priced_within(value, n.text)]
        elif name == "nature_of_ownership" and isinstance(value, str):
            ids = _naming(value, filing)
        else:
            continue
        if len(ids) == 1:
            rows[i].footnotes[name] = ids
            ev.doubt(f"{table}[{i}].footnotes.{name}", 0.6,
                     f"mark garbled: taken as {ids[0]}, the one footnote that explains the {name}")


def _priced_within(price: float, text: str) -> bool:
    for low, high in _RANGE.findall(text):
        if float(low.replace(",", "")) <= price <= float(high.replace(",", "")):
            return True
    return False


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.casefold()) if w not in _COMMON_WORDS and len(w) > 1}


def _naming(nature: str, filing: Filing) -> list[str]:
    wanted = _words(nature)
    return [n.id for n in filing.footnotes if wanted and wanted <= _words(n.text)] if wanted else []
