"""Glyphs and words placed on a page (a PDF's text layer, or Tesseract's words on a scan),
grouped into printed lines and cut into chunks where wide gaps fall, as ``pdftotext
-layout`` would lay them out."""

from __future__ import annotations

import statistics
from collections.abc import Iterable

from form4.readers.text.lines import Chunk, Line, clean, tidy

COLUMN = 2.66  # points per text column, about what ``pdftotext -layout`` uses at these font sizes


class Box:
    """A glyph or a word: its left and right edge and baseline, in points from the page's top
    left, and its size (a plain class so mypyc compiles ``__init__``)."""

    __slots__ = ("base", "size", "text", "x0", "x1")

    def __init__(self, text: str, x0: float, x1: float, base: float, size: float) -> None:
        self.text = text
        self.x0 = x0
        self.x1 = x1
        self.base = base
        self.size = size

    def __repr__(self) -> str:
        return f"Box({self.text!r}, {self.x0}, {self.x1}, {self.base}, {self.size})"


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


def _add(line: Line, text: str, start: float, ocr: bool) -> None:
    # a text layer's "," set apart after an amount is printed so: only OCR reads rules as specks
    words = tidy(clean(text)) if ocr else " ".join(clean(text).split())
    if words:
        line.chunks.append(Chunk(words, int(start / COLUMN)))


def lines_of(boxes: Iterable[Box], first: int = 0, *, words: bool = False) -> list[Line]:
    """Boxes grouped into printed lines, and each line into chunks where a wide gap falls."""
    kept = [b for b in boxes if b.text]
    if not any(b.text.strip() for b in kept):
        return []
    out: list[Line] = []
    previous: list[Box] | None = None
    for row in _rows(kept):
        if previous is not None and row[0].base - previous[0].base > previous[0].size * 1.6:
            out.append(Line(first + len(out)))  # white space between printed rows, as pdftotext shows it
        previous = row
        row.sort(key=lambda b: b.x0)
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
            elif words or gap > box.size * _space(text[-1], box.text):
                text += " "
            text += box.text.strip() if words else box.text
        _add(line, text, start, words)
        if line.chunks:
            out.append(line)
    return out


def _space(left: str, right: str) -> float:
    """The gap (in font sizes) that makes a space: digits are set in fixed widths, so a
    narrow "1" leaves gaps that are not spaces."""
    if (left.isdigit() or left in "/$") and (right.isdigit() or right in "/,."):
        return 0.45
    return 0.25 if left in ",." and right.isdigit() else 0.15
