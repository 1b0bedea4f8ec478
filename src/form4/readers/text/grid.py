"""Tables typed before 2003 as columns aligned by spaces, without ``|`` between cells.

Such a table is its numbered column headings, a rule of dashes under them, and rows below,
every cell padded to its column's width.  A single space may be all that parts two cells
("Class A Common Stock 04/17/2021"), so gaps between words cannot tell the columns apart;
the headings can.  A column starts where a heading's text starts just after a character
position blank on every line of the table (a cell never crosses its column's
edge).  Each line of the table is then cut at those edges into one chunk per cell, as the
cells of a table typed with ``|`` are.
"""

from __future__ import annotations

import itertools
import re

_RULE = re.compile(r"^\s*[-=_]{20,}\s*$")
_ITEM = re.compile(r"(?<!\S)\d{1,2}A?\.")  # "1.", "2A.": a numbered column heading
_VALUE = re.compile(r"\d/\d|\d,\d{3}|\$\s?\d")  # a date or an amount: no heading holds one
_HEADINGS = 3  # numbered headings on a table's first heading line (a form's tables have 8 to 11)


def aligned_tables(lines: list[str]) -> dict[int, list[int]]:
    """Each line of an aligned table (by number), with the character positions where its
    table's columns start."""
    found: dict[int, list[int]] = {}
    for rule, text in enumerate(lines):
        if not _RULE.match(text):
            continue
        head = _headings_above(lines, rule)
        if head is None:
            continue
        rows = _rows_below(lines, rule)
        table = [*range(head, rule), *rows]
        starts = _column_starts(lines[head:rule], [lines[i] for i in table])
        if len(starts) >= _HEADINGS:
            found.update(dict.fromkeys(table, starts))
    return found


def _headings_above(lines: list[str], rule: int) -> int | None:
    """The first line of the headings just above a rule: the block of lines up to a blank
    one, holding several numbered headings and no value (above a table's closing rule are
    its rows)."""
    top = rule
    while top > 0 and lines[top - 1].strip() and not _RULE.match(lines[top - 1]):
        top -= 1
    block = lines[top:rule]
    if len(_ITEM.findall(" ".join(block))) < _HEADINGS or any(_VALUE.search(s) for s in block):
        return None
    return top


def _rows_below(lines: list[str], rule: int) -> list[int]:
    """The lines of the rows under the headings' rule: up to a blank line or the next rule."""
    rows = []
    for i in range(rule + 1, len(lines)):
        if not lines[i].strip() or _RULE.match(lines[i]):
            break
        rows.append(i)
    return rows


def _column_starts(headings: list[str], table: list[str]) -> list[int]:
    """Where the columns start: each position where a heading's text begins just after a
    position blank on every line of the table."""
    width = max(len(s) for s in table)
    blank = [all(x >= len(s) or s[x] == " " for s in table) for x in range(width)]
    return [x for x in range(width) if (x == 0 or blank[x - 1]) and any(x < len(s) and s[x] != " " for s in headings)]


def cells(text: str, starts: list[int]) -> list[tuple[int, str]]:
    """A line of an aligned table cut at its columns' starts: each cell's text (words apart
    by single spaces) and where it starts."""
    edges = [0, *starts[1:], max(len(text), starts[-1]) + 1]
    out = []
    for left, right in itertools.pairwise(edges):
        cell = text[left:right]
        words = " ".join(cell.split())
        if words:
            out.append((left + len(cell) - len(cell.lstrip()), words))
    return out
