"""A scanned page made fit for Tesseract: straightened, table rules removed.

Form pages are full of ruled lines; Tesseract reads the rules as ``|`` and ``_`` and loses
the small type between them.  Turning the page level first lets the rules be found as long
runs of dark pixels and erased.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

_DARK = 150  # grey level below which a pixel is ink
_RULE_GREY = 190  # a scan's blur spreads a rule into light grey: all of it goes, or Tesseract reads the rest


def skew(ink: np.ndarray, limit: float = 2.0, step: float = 0.1) -> float:
    """The angle (degrees) that makes text rows horizontal: where the row profile is sharpest."""
    small = Image.fromarray((ink * 255).astype(np.uint8)).reduce(4)
    best, best_score = 0.0, -1.0
    for angle in np.arange(-limit, limit + step / 2, step):
        rows = np.asarray(small.rotate(float(angle), resample=Image.Resampling.BILINEAR)).sum(axis=1, dtype=np.float64)
        score = float(np.square(np.diff(rows)).sum())
        if score > best_score:
            best, best_score = float(angle), score
    return best


def _long_runs(ink: np.ndarray, length: int) -> np.ndarray:
    """Pixels in horizontal runs of ink at least ``length`` long (a morphological opening
    with a ``length``-wide line, done with running sums)."""
    counts = np.cumsum(np.pad(ink.astype(np.int16), ((0, 0), (1, 0))), axis=1, dtype=np.int16)
    starts = (counts[:, length:] - counts[:, :-length]) == length  # a full run begins here
    cover = np.cumsum(np.pad(starts.astype(np.int16), ((0, 0), (length, length - 1))), axis=1, dtype=np.int16)
    return (cover[:, length:] - cover[:, :-length]) > 0


def prepare(image: Image.Image, dpi: int) -> Image.Image:
    """The page straightened and its table rules painted white, left in grey: Tesseract's
    own thresholding keeps the thin strokes of small blurred type that a fixed cut loses."""
    grey = image.convert("L")
    angle = skew(np.asarray(grey) < _DARK)
    if abs(angle) >= 0.05:
        grey = grey.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    faint = np.asarray(grey) < _RULE_GREY
    length = int(dpi * 0.4)  # table rules are far longer than any letter
    rules = _long_runs(faint, length) | _long_runs(faint.T, length).T
    # and a pixel around them, so the blurred edges of a rule do not read as marks
    rules = rules | np.roll(rules, 1, 0) | np.roll(rules, -1, 0) | np.roll(rules, 1, 1) | np.roll(rules, -1, 1)
    return Image.fromarray(np.where(rules, 255, np.asarray(grey)).astype(np.uint8))
