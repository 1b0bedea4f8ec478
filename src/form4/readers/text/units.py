"""Finding the form's printed labels and the text that follows them.

A *unit* is a piece of text in reading order: a chunk of a positioned page limited to one
box's columns, or a whole chunk of a stream of text.  Labels are matched loosely, because
OCR bends them ("Reporting Person”", "lf Amendment").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from form4.readers.text.lines import Page
from form4.readers.text.memo import Memo

# or its first words alone, where OCR lost the rest of the label ("1. Name and" | "of Reporting Person")
# (the label may wrap before "Reporting Person*" or "Person*", which then opens the next line)
OWNER = re.compile(r"Name\s*and\s*Address\s*of\s*Reporting\s*Person\W*|^1\.\s*Name\s+and\s*$"
                   r"|Name\s*and\s*Address\s*of(?:\s*Reporting)?\s*$", re.I)
OWNER_TAIL = re.compile(r"^(?:Reporting\s+)?Person\*?$")
ISSUER = re.compile(r"Issuer\s*Name\s*and\s*Ticker\s*or\s*Trading\s*Symbol", re.I)
RELATIONSHIP = re.compile(r"Relationship\s*of\s*Reporting", re.I)
EARLIEST = re.compile(r"Date\s*of\s*Earliest\s*Transaction|Date\s*of\s*Event|Statement\s*for\s*(?:Issuer|Month)"
                      r"|Fiscal\s*Year\s*Ended", re.I)
AMENDMENT = re.compile(r"[Il1]f\s*Amendment", re.I)
JOINT = re.compile(r"Individual\s*or\s*Joint", re.I)
# "(Last) (First) (Middle)", or as OCR may leave it: "Last First) Middle"
LAST_FIRST = re.compile(r"\(Last\)(?:\s*\(First\))?(?:\s*\(Middle\))?|^\(?Last\)?(?:\s+\(?First\)?|$)", re.I)
STREET = re.compile(r"\(S[tr]{0,2}e{1,2}t?\)", re.I)  # OCR's "(Sree)"
CITY = re.compile(r"\(City\)(?:\s*\(State\))?(?:\s*\(Zip\))?", re.I)
TABLE_ONE = re.compile(r"Tab\s?le\s*[I1l|\]]?\s*[-~—]*\s*No", re.I)
TABLE_TWO = re.compile(r"Tab\s?le\s*[Il1|i!]{0,2}\s*[-~—]*\s*De", re.I)  # "Table I - De": OCR lost an I
# column headings only each table prints: where a table begins when OCR lost its caption
TABLE_ONE_HEADING = re.compile(r"\bTitle\s+of\s+Security\b|\bNon-?\s?Derivative\s+Secur"
                               r"|\bAmount\s+of\s+Securities\s+Beneficially\s+Owned", re.I)
TABLE_TWO_HEADING = re.compile(r"\bputs,\s*calls\b|\bTitle\s+of\s+Derivative\b|\bConversion\s+or\s+Exercise\b", re.I)
FORM_TITLE = re.compile(r"BENEFICIAL\s*OWNERSHIP|\bFORM\s*[345]\b", re.I)
EXPLANATION = re.compile(r"Explanation\s*of\s*Responses", re.I)
REMARKS = re.compile(r"^\s*Remarks\s*:", re.I)
# OCR may lose the "**"; the caption may wrap before "Reporting Person"
SIGNATURE = re.compile(r"(?:\*\*\s*)?Signature\s*of\s*Reporting|\*\*\s*Signature\s*of\s*$", re.I)
# labels that end the value of the box before them
MAJOR = re.compile("|".join(p.pattern for p in (OWNER, ISSUER, RELATIONSHIP, EARLIEST, AMENDMENT, JOINT))
                   + r"|\b[1-7]\.\s+(?:Name|Issuer|Date|Relationship|[Il1]f|Individual|Statement|I\.?R\.?S)"
                   + r"|Table\s*[I1l|]|\(Check\s+all|Filed\s+\(Month|\(Month/Day/Year\)|Requiring\s+Statement",
                   re.I)
MINOR: re.Pattern[str] = re.compile(
    rf"{LAST_FIRST.pattern}|{STREET.pattern}|{CITY.pattern}|\(Middle\)|\(First\)|\(State\)|\(Zip\)", re.I)


def _major_at(text: str) -> int:
    m = MAJOR.search(text)
    return m.start() if m else -1


# where a major label starts in a text, or -1: asked of the same lines by several boxes, and
# slow to search (a long case-blind alternation), so answers are kept
major_at = Memo(_major_at)


class Unit:
    """Text of a box and where it is (a plain class so mypyc compiles ``__init__``)."""

    __slots__ = ("line", "text", "x")

    def __init__(self, text: str, line: int, x: int) -> None:
        self.text = text
        self.line = line
        self.x = x

    def __repr__(self) -> str:
        return f"Unit({self.text!r}, {self.line}, {self.x})"


def stream_units(page: Page, start: int = 0, stop: int | None = None) -> list[Unit]:
    return [Unit(c.text, ln.number, c.x) for ln in page.lines[start:stop] for c in ln.chunks]


def box_units(page: Page, line: int, left: int, right: int, stop: int) -> list[Unit]:
    """Chunks of one box of a positioned page: columns [left, right), lines [line, stop)."""
    return [Unit(c.text, ln.number, c.x) for ln in page.lines[line:stop] for c in ln.chunks
            if left <= c.x + 1 and c.x < right]


# a word every match of a label holds, in lower case: a plain search for it skips the many
# lines where the label's pattern would fail slowly
_NEEDLES: dict[re.Pattern[str], tuple[str, ...]] = {
    OWNER: ("ddress", "name and"), ISSUER: ("ssuer",), RELATIONSHIP: ("elationship",), AMENDMENT: ("mendment",),
    EARLIEST: ("date", "statement", "fiscal"), EXPLANATION: ("xplanation",), REMARKS: ("emarks",),
    SIGNATURE: ("ignature",), FORM_TITLE: ("beneficial", "form"), LAST_FIRST: ("last",), STREET: ("(s",),
    CITY: ("city",), JOINT: ("ndividual",), TABLE_ONE: ("tab",), TABLE_TWO: ("tab",),
    TABLE_ONE_HEADING: ("title of", "derivative", "amount of"), TABLE_TWO_HEADING: ("puts", "title of", "conversion"),
}


def _may_hold(needles: tuple[str, ...] | None, lower: str) -> bool:
    return needles is None or any(n in lower for n in needles)


def find_line(page: Page, pattern: re.Pattern[str], start: int = 0, stop: int | None = None) -> int | None:
    needles = _NEEDLES.get(pattern)
    for ln in page.lines[start:stop]:
        if _may_hold(needles, ln.lower) and pattern.search(ln.text):
            return ln.number
    return None


def locate(page: Page, pattern: re.Pattern[str], start: int = 0, stop: int | None = None) -> tuple[int, int] | None:
    """(line, column) of the first chunk holding the label."""
    needles = _NEEDLES.get(pattern)
    for ln in page.lines[start:stop]:
        if not _may_hold(needles, ln.lower):
            continue
        for c in ln.chunks:
            m = pattern.search(c.text)
            if m:
                return ln.number, c.x + (m.start() if page.positioned and m.start() > 8 else 0)
    return None


def after(units: list[Unit], anchor: re.Pattern[str], *, limit: int = 12,
          not_value: Callable[[str], bool] | None = None) -> list[Unit]:
    """The units after the first unit holding ``anchor`` (its own remainder first), each cut
    where a major label starts inside it, up to and not past that label.  Given ``not_value``
    (a test for captions and marks), reads on past units that are only another box's label
    while nothing but captions was read (OCR read the boxes across)."""
    for i, unit in enumerate(units):
        m = anchor.search(unit.text)
        if not m:
            continue
        out: list[Unit] = []
        rest = Unit(unit.text[m.end():], unit.line, unit.x + m.end())
        for j, u in enumerate([rest, *units[i + 1:i + 1 + limit]]):
            stop = major_at(u.text)
            text = (u.text[:stop] if stop >= 0 else u.text).strip()
            if text:
                out.append(Unit(text, u.line, u.x))
            # labels beside the anchor do not end it, nor a label read before any value
            if stop >= 0 and j and not (not_value and stop == 0 and all(not_value(o.text) for o in out)):
                break
        return out
    return []


def tables_at(page: Page) -> tuple[int, int, int]:
    """Where Table I, Table II and the explanation of responses begin (``len(page.lines)`` for
    one not printed). Each table is found by its caption or, when OCR lost or garbled that, by
    the column headings only it prints; a table not found ends where the next part begins, so
    Table I never runs on into the notes when Table II's caption is lost."""
    end = len(page.lines)
    t2 = find_line(page, TABLE_TWO)
    t1 = find_line(page, TABLE_ONE, 0, t2)
    if t1 is None:
        t1 = find_line(page, TABLE_ONE_HEADING, 0, t2)
    if t2 is None:
        t2 = find_line(page, TABLE_TWO_HEADING, (t1 or 0) + 1)
    explanation = find_line(page, EXPLANATION, t2 if t2 is not None else (t1 or 0))
    if explanation is None:
        explanation = end
    if t2 is None or t2 > explanation:
        t2 = explanation
    return (end if t1 is None else t1), t2, explanation
