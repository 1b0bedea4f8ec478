"""A scanned page made fit for Tesseract: straightened, binarised, table rules removed.

Form pages are full of ruled lines; Tesseract reads the rules as ``|`` and ``_`` and loses
the small type between them.  Turning the page level first lets the rules be found as long
runs of dark pixels and erased.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter

_DARK = 150  # grey level below which a pixel is ink


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
    """Pixels in horizontal runs of ink at least ``length`` long."""
    padded = np.zeros((ink.shape[0], ink.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = ink
    edges = np.diff(padded, axis=1)
    out = np.zeros(ink.shape, dtype=bool)
    for row, col in zip(*np.nonzero(edges == 1), strict=True):
        end = col + int(np.argmax(edges[row, col:] == -1))
        if end - col >= length:
            out[row, col:end] = True
    return out


def prepare(image: Image.Image, dpi: int) -> Image.Image:
    grey = image.convert("L").filter(ImageFilter.MedianFilter(3))
    ink = np.asarray(grey) < _DARK
    angle = skew(ink)
    if abs(angle) >= 0.05:
        grey = grey.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
        ink = np.asarray(grey) < _DARK
    length = int(dpi * 0.4)  # table rules are far longer than any letter
    rules = _long_runs(ink, length) | _long_runs(ink.T, length).T
    return Image.fromarray(np.where(ink & ~rules, 0, 255).astype(np.uint8))
