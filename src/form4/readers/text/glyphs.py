"""Glyphs and words placed on a page (a PDF's text layer, or Tesseract's words on a scan),
grouped into printed lines and cut into chunks where wide gaps fall, as ``pdftotext
-layout`` would lay them out."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Sequence

from form4.readers.text.lines import Chunk, Line, clean, tidy

COLUMN = 2.66  # points per text column, about what ``pdftotext -layout`` uses at these font sizes
# a gap between glyphs' advance boxes, in font sizes, that makes a space: letters and digits of
# one word touch (kerning may overlap them); the narrowest space of a text font is a fifth of
# its size, and a page that prints its spaces parts words with them anyway
SPACE = 0.15


class Box:
    """A glyph or a word: its left and right edge and baseline, in points from the page's top
    left, and its size (a plain class so mypyc compiles ``__init__``)."""

    __slots__ = ("base", "raised", "size", "text", "x0", "x1")

    def __init__(self, text: str, x0: float, x1: float, base: float, size: float) -> None:
        self.text = text
        self.x0 = x0
        self.x1 = x1
        self.base = base
        self.size = size
        self.raised = False  # a superscript set on the baseline of the text it marks

    def __repr__(self) -> str:
        return f"Box({self.text!r}, {self.x0}, {self.x1}, {self.base}, {self.size})"


class Rule:
    """A horizontal rule printed on the page (a table's border): its left and right edge and
    its height, in points from the page's top left."""

    __slots__ = ("x0", "x1", "y")

    def __init__(self, x0: float, x1: float, y: float) -> None:
        self.x0 = x0
        self.x1 = x1
        self.y = y


def _rows(boxes: list[Box]) -> list[list[Box]]:
    """Glyphs of one baseline together; smaller glyphs (superscript footnote marks) join the
    line whose body they sit in."""
    full = statistics.median(b.size for b in boxes)
    big = sorted((b for b in boxes if b.size >= full * 0.8), key=lambda b: (b.base, b.x0))
    rows: list[list[Box]] = []
    for box in big:
        if rows and abs(box.base - rows[-1][0].base) <= box.size * 0.4:
            rows[-1].append(box)
        else:
            rows.append([box])
    for box in (b for b in boxes if b.size < full * 0.8):
        # a raised mark sits on the line whose baseline is just below its own
        below = [r for r in rows if -0.2 * r[0].size <= r[0].base - box.base <= 0.8 * r[0].size]
        if below:
            min(below, key=lambda r: r[0].base - box.base).append(box)
        else:
            rows.append([box])
    return sorted(rows, key=lambda r: r[0].base)


def _parted(above: list[Box], below: list[Box], rules: Sequence[Rule]) -> bool:
    """Two printed lines parted: a rule runs between them (a table's rows), or white space
    does, wider than a line's own spacing, where no rule above and below holds both in one
    cell (the lines of a cell wrapped in a tall font's spacing)."""
    top, bottom = above[0].base, below[0].base
    size = above[0].size
    left = min(b.x0 for b in (*above, *below))
    right = max(b.x1 for b in (*above, *below))
    over = [r.y for r in rules if r.x0 < right and r.x1 > left]
    if any(top < y < bottom - below[0].size * 0.7 for y in over):
        return True
    if bottom - top <= size * 1.6:
        return False
    ceiling = [y for y in over if top - size * 10 < y < top - size * 0.7]
    floor = [y for y in over if bottom < y < bottom + size * 10]
    return not (ceiling and floor)


def _left_to_right(row: list[Box], full: float) -> Callable[[Box], float]:
    """The order a line's glyphs are read in: left to right, each superscript mark whole
    where it begins (a raised "(22)" that runs over the next cell's "170,065,029" stays
    "(22)" before it, not "(22" + "1" + ")")."""
    marks = sorted((b for b in row if b.raised or b.size < full * 0.8), key=lambda b: b.x0)
    key: dict[int, float] = {}
    run_start, last = 0.0, None
    for box in marks:
        if last is None or not -0.1 * box.size < box.x0 - last.x1 < 0.5 * box.size:
            run_start = box.x0
        key[id(box)] = run_start + (box.x0 - run_start) * 1e-6
        last = box
    return lambda b: key.get(id(b), b.x0)


def _add(line: Line, text: str, start: float, ocr: bool) -> None:
    # a text layer's "," set apart after an amount is printed so: only OCR reads rules as specks
    words = tidy(clean(text)) if ocr else " ".join(clean(text).split())
    if words:
        line.chunks.append(Chunk(words, int(start / COLUMN)))


def lines_of(boxes: Iterable[Box], first: int = 0, *, words: bool = False,
             rules: Sequence[Rule] = ()) -> list[Line]:
    """Boxes grouped into printed lines, and each line into chunks where a wide gap falls; a
    blank line between printed lines that white space or a rule (``rules``) parts."""
    kept = [b for b in boxes if b.text]
    if not any(b.text.strip() for b in kept):
        return []
    out: list[Line] = []
    previous: list[Box] | None = None
    full = statistics.median(b.size for b in kept)
    for row in _rows(kept):
        if previous is not None and _parted(previous, row, rules):
            out.append(Line(first + len(out)))  # white space between printed rows, as pdftotext shows it
        previous = row
        row.sort(key=_left_to_right(row, full))
        line = Line(first + len(out))
        text, start, end = "", row[0].x0, row[0].x0
        for box in row:
            gap, wide = box.x0 - end, box.size * (1.0 if words else 0.6)
            end = max(end, box.x1)
            if text.strip() and gap > wide:
                _add(line, text, start, words)
                text = ""
            if box.text == " ":  # a space the page prints: part of the words' run, however wide
                text += " " if text else ""
                continue
            if not text.strip():
                text, start = "", box.x0
            elif words or gap > box.size * SPACE:
                text += " "
            text += box.text.strip() if words else box.text
        _add(line, text, start, words)
        if line.chunks:
            out.append(line)
    return out
