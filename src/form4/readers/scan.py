"""A scanned page cut into the pieces Tesseract reads best: straightened, its printed rules
found and erased, and its text cut along them into the form's boxes and cells.

Form pages are full of ruled lines.  Tesseract reads the rules as ``|`` and ``_``, and a
whole wide page read at once garbles the small type of a ruled row ("08/11/2022" read
"oamtuaa22") where the same cell read on its own reads perfectly.  So the page is cut where
the form itself is cut: every region the rules close (a box of the header, a cell of a
table) is a piece, and the text outside the boxes (titles, footnotes, signatures) is cut at
wide white gaps.  All sizes are lengths on paper (inches times the rendering's dpi), so the
cutting holds at any resolution and page size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

_DARK = 150  # grey level below which a pixel is ink
_RULE_GREY = 190  # a scan's blur spreads a rule into light grey: all of it goes, or Tesseract reads the rest
_INK = 160  # grey level below which a pixel left after the rules are gone is text

# lengths on paper, in inches
_RULE = 0.4  # a horizontal rule is far longer than any letter or word's underline-free stroke
_COLUMN_RULE = 0.2  # a cell's side: a heading row is a fifth of an inch, taller than any letter
_ROW = 0.3  # a table's row of one line (or two): taller cells are boxes of their own
_ROW_GAP = 0.15  # white space between printed blocks (the footnotes from the signature)
_COLUMN_GAP = 0.3  # white space between blocks side by side (a signature and its date)
_MARGIN = 0.07  # white left around each piece, as Tesseract wants around text
_GRID = 50  # dots per inch the rules are reduced to when cells are found: a rule stays a line


Region = tuple[int, int, int, int]  # left, top, right, bottom in pixels


@dataclass
class Piece:
    """A block of text to read on its own: where it sits on the level page, and its image
    (grey, rules erased, white all round)."""

    left: int
    top: int
    image: Image.Image


@dataclass
class Cut:
    """A page ready for Tesseract: its straightened grey image with the rules erased, and
    the pieces to read one at a time."""

    image: Image.Image
    pieces: list[Piece]
    lines: list[tuple[int, int, int]]  # the horizontal rules: left, right, height in pixels
    text_height: float  # the usual height of a line of text, in pixels




def skew(ink: np.ndarray, limit: float = 2.0, step: float = 0.1) -> float:
    """The angle (degrees) that makes text rows horizontal: where the row profile is
    sharpest, found coarsely on a small copy, then finely around the best coarse angle."""
    small = Image.fromarray((ink * 255).astype(np.uint8)).reduce(4)
    coarse = _sharpest(small.reduce(2), np.arange(-limit, limit + 0.25, 0.5))
    return _sharpest(small, np.arange(coarse - 0.5, coarse + 0.5 + step / 2, step))


def _sharpest(image: Image.Image, angles: np.ndarray) -> float:
    best, best_score = 0.0, -1.0
    for angle in angles:
        # nearest pixels: a tenth of a degree moves a row's end by more than a pixel here
        rows = np.asarray(image.rotate(float(angle), resample=Image.Resampling.NEAREST)).sum(axis=1, dtype=np.float64)
        score = float(np.square(np.diff(rows)).sum())
        if score > best_score:
            best, best_score = float(angle), score
    return best


def _long_runs(ink: np.ndarray, length: int) -> np.ndarray:
    """Pixels in horizontal runs of ink at least ``length`` long (a morphological opening
    with a ``length``-wide line, done with running sums)."""
    # 16 bits count a row of up to 32,767 pixels: a page of 100 inches at 300 dpi
    counts = np.cumsum(np.pad(ink.astype(np.int16), ((0, 0), (1, 0))), axis=1, dtype=np.int16)
    starts = (counts[:, length:] - counts[:, :-length]) == length  # a full run begins here
    cover = np.cumsum(np.pad(starts.astype(np.int16), ((0, 0), (length, length - 1))), axis=1, dtype=np.int16)
    return (cover[:, length:] - cover[:, :-length]) > 0


def straighten(image: Image.Image) -> Image.Image:
    """The page in grey, turned so that its text rows are level."""
    grey = image.convert("L")
    angle = skew(np.asarray(grey) < _DARK)
    if abs(angle) >= 0.05:
        grey = grey.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    return grey


def rules(grey: np.ndarray, dpi: int) -> tuple[np.ndarray, np.ndarray]:
    """The printed rules of a level page: long horizontal and vertical runs of ink, and a
    pixel around them, so that the blurred edges of a rule do not read as marks; and the
    horizontal ones alone."""
    faint = grey < _RULE_GREY
    across = _long_runs(faint, int(dpi * _RULE))
    found = across | _long_runs(faint.T, int(dpi * _COLUMN_RULE)).T
    return found | np.roll(found, 1, 0) | np.roll(found, -1, 0) | np.roll(found, 1, 1) | np.roll(found, -1, 1), across


def _lines(across: np.ndarray) -> list[tuple[int, int, int]]:
    """Each horizontal rule once (left, right, middle row): runs of neighbouring rows that
    overlap are one rule a few pixels thick."""
    edges = np.diff(np.pad(across.astype(np.int8), ((0, 0), (1, 1))), axis=1)
    open_: list[list[int]] = []  # left, right, first row, last row
    done: list[list[int]] = []
    for y in np.flatnonzero(across.any(axis=1)).tolist():
        runs = zip(np.flatnonzero(edges[y] == 1).tolist(), np.flatnonzero(edges[y] == -1).tolist(), strict=True)
        still = [r for r in open_ if r[3] == y - 1]
        done += [r for r in open_ if r[3] != y - 1]
        for x0, x1 in runs:
            rule = next((r for r in still if r[0] < x1 and x0 < r[1] and r[3] == y - 1), None)
            if rule is None:
                still.append([x0, x1, y, y])
            else:
                rule[0], rule[1], rule[3] = min(rule[0], x0), max(rule[1], x1), y
        open_ = still
    return [(r[0], r[1], (r[2] + r[3]) // 2) for r in done + open_]


def cut(image: Image.Image, dpi: int) -> Cut:
    """The page straightened, its rules erased, and the pieces to read: each box or cell the
    rules close, and the text outside them in blocks parted by white space."""
    grey = np.asarray(straighten(image))
    ruled, across = rules(grey, dpi)
    clean = np.where(ruled, 255, grey).astype(np.uint8)
    ink = clean < _INK
    # paper made white at the page's own threshold, ink left in grey for Tesseract's own
    # thresholding (which keeps thin strokes): a piece alone shows too little paper for its
    # threshold to see the scan's speckled grey as paper, and a blurred comma reads as a point
    clean = np.where(clean < _otsu(clean), clean, 255).astype(np.uint8)
    pieces: list[Piece] = []
    outside = clean.copy()
    for left, top, right, bottom in _cells(ruled, dpi):
        outside[top:bottom, left:right] = 255
    for left, top, right, bottom in _rows(_cells(ruled, dpi), int(dpi * _COLUMN_RULE / 4), int(dpi * _ROW)):
        pieces += _pieces(clean, _blocks(ink, (left, top, right, bottom), dpi, split=False), dpi)
    pieces += _pieces(outside, _blocks(outside < _INK, (0, 0, ink.shape[1], ink.shape[0]), dpi), dpi)
    heights = [b - t for p in pieces for t, b in _spans(np.asarray((np.asarray(p.image) < _INK).any(axis=1)), 1)]
    return Cut(Image.fromarray(clean), pieces, _lines(across), float(np.median(heights)) if heights else 0.0)


def _pieces(grey: np.ndarray, blocks: list[Region], dpi: int) -> list[Piece]:
    """Each block's pixels on a white sheet with a margin all round (placed by the sheet's
    corner, so a word's position on the sheet plus the piece's is its place on the page)."""
    margin = int(dpi * _MARGIN)
    pieces = []
    for left, top, right, bottom in blocks:
        sheet = np.full((bottom - top + 2 * margin, right - left + 2 * margin), 255, dtype=np.uint8)
        sheet[margin:-margin, margin:-margin] = grey[top:bottom, left:right]
        pieces.append(Piece(left - margin, top - margin, Image.fromarray(sheet)))
    return pieces


def _otsu(grey: np.ndarray) -> int:
    """The grey level that best parts ink from paper (Otsu's: the widest variance between)."""
    counts = np.bincount(grey.ravel(), minlength=256).astype(np.float64)
    below, mass = np.cumsum(counts), np.cumsum(counts * np.arange(256))
    total, whole = below[-1], mass[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (whole * below / total - mass) ** 2 / (below * (total - below))
    return int(np.nanargmax(between[:-1]))


def _cells(ruled: np.ndarray, dpi: int) -> list[Region]:
    """The regions the rules close: connected white areas of the rules' map drawn small,
    without the one that reaches the page's edge (the page around the form)."""
    k = max(1, dpi // _GRID)
    height, width = ruled.shape[0] // k * k, ruled.shape[1] // k * k
    small = ruled[:height, :width].reshape(height // k, k, width // k, k).any(axis=(1, 3))
    regions = []
    for left, top, right, bottom in _components(np.asarray(~small)):
        if left > 0 and top > 0 and right < small.shape[1] and bottom < small.shape[0]:
            regions.append((left * k, top * k, right * k, bottom * k))
    return regions


def _components(free: np.ndarray) -> list[Region]:
    """The bounding boxes of the 4-connected areas of ``free``: its runs row by row, joined
    where runs of neighbouring rows overlap (union-find)."""
    parent: list[int] = []

    def root(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    runs: list[tuple[int, int, int, int]] = []  # row, start, end, id
    above: list[tuple[int, int, int]] = []
    edges = np.diff(np.pad(free.astype(np.int8), ((0, 0), (1, 1))), axis=1)
    for y in range(free.shape[0]):
        row = []
        starts, ends = np.flatnonzero(edges[y] == 1).tolist(), np.flatnonzero(edges[y] == -1).tolist()
        j = 0
        for x0, x1 in zip(starts, ends, strict=True):
            rid = len(parent)
            parent.append(rid)
            while j < len(above) and above[j][1] <= x0:
                j += 1
            k = j
            while k < len(above) and above[k][0] < x1:
                a, b = root(above[k][2]), root(rid)
                if a != b:
                    parent[max(a, b)] = min(a, b)
                k += 1
            row.append((x0, x1, rid))
            runs.append((y, x0, x1, rid))
        above = row
    boxes: dict[int, list[int]] = {}
    for y, x0, x1, rid in runs:
        box = boxes.setdefault(root(rid), [x0, y, x1, y + 1])
        box[0], box[2], box[3] = min(box[0], x0), max(box[2], x1), y + 1
    return [(b[0], b[1], b[2], b[3]) for b in boxes.values()]


def _rows(cells: list[Region], touching: int, low: int) -> list[Region]:
    """Cells no taller than ``low`` side by side with the same top and bottom, only a rule
    apart (a run of a table's row), as one region: the row read as a line, its cells erased
    rules apart.  Taller cells (the header's boxes, whose lines do not line up) stay apart."""
    rows: list[Region] = []
    for cell in sorted(cells, key=lambda c: (c[1], c[3], c[0])):
        last = rows[-1] if rows else None
        if (last is not None and (last[1], last[3]) == (cell[1], cell[3]) and 0 <= cell[0] - last[2] <= touching
                and cell[3] - cell[1] <= low):
            rows[-1] = (last[0], last[1], cell[2], last[3])
        else:
            rows.append(cell)
    return rows


def _blocks(ink: np.ndarray, region: Region, dpi: int, split: bool = True) -> list[Region]:
    """The text of ``region`` cut into blocks: at wide white rows, then each band at wide
    white columns; each block trimmed to its ink."""
    left, top, right, bottom = region
    area = ink[top:bottom, left:right]
    blocks = []
    for y0, y1 in _spans(np.asarray(area.any(axis=1)), int(dpi * _ROW_GAP)):
        for x0, x1 in _spans(np.asarray(area[y0:y1].any(axis=0)), int(dpi * _COLUMN_GAP) if split else area.shape[1]):
            block = area[y0:y1, x0:x1]
            if block.sum() < (dpi / 100) ** 2 * 4:
                continue  # a speck, not a letter
            rows = np.flatnonzero(block.any(axis=1))
            blocks.append((left + x0, top + y0 + int(rows[0]), left + x1, top + y0 + int(rows[-1]) + 1))
    return blocks


def _spans(marked: np.ndarray, gap: int) -> list[tuple[int, int]]:
    """Runs of marked positions, joined across gaps narrower than ``gap``."""
    at = np.flatnonzero(marked)
    if not at.size:
        return []
    breaks = np.flatnonzero(np.diff(at) > gap)
    starts = [int(at[0]), *(int(at[b + 1]) for b in breaks)]
    ends = [*(int(at[b]) + 1 for b in breaks), int(at[-1]) + 1]
    return list(zip(starts, ends, strict=True))
