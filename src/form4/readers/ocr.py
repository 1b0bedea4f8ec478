"""Tesseract's words on a scanned page, with their places and confidences.

The page is cut into the form's boxes and cells (``scan.cut``) and every piece goes to one
Tesseract process as a page of a multi-page TIFF: each piece is read on its own, as a block
of text (page segmentation mode 6), with none of the chaos a whole ruled page brings, and
the engine's model is loaded once for the page.  Tesseract's TSV gives each word's box and
confidence; a word's place on the sheet plus its piece's place is its place on the page.
"""

from __future__ import annotations

import io
import os
import statistics
import subprocess
from dataclasses import dataclass

from PIL import Image

from form4.errors import ReadError
from form4.readers.scan import Piece, cut
from form4.readers.text.glyphs import Box, Rule
from form4.readers.text.lines import umlauts

# the height of a line of text (cap to descender, pixels) Tesseract reads best: a page whose
# type is smaller (a form printed small, a scan at low resolution) is read enlarged
TEXT_HEIGHT = 30
LARGEST = 3.0  # but never enlarged more: what a scan did not resolve, no enlargement brings back

# Tesseract reads specks of a scan as short words it is unsure of; a word with a letter or a
# digit stays however unsure (a value with a footnote mark set close reads at 0 and right)
SPECK_CONFIDENCE = 30


@dataclass
class Word:
    """A word Tesseract read: its text, box in pixels on the level page, confidence (0 to
    100), and the line it belongs to (piece, block, paragraph, line)."""

    text: str
    left: float
    top: float
    right: float
    bottom: float
    confidence: float
    line: tuple[int, int, int, int]


@dataclass
class Reading:
    """What OCR found on a page: its words and its horizontal rules (in points)."""

    words: list[Word]
    rules: list[Rule]


def read_words(image: Image.Image, dpi: int, command: str = "tesseract") -> Reading:
    """The words and rules of a page image rendered at ``dpi``."""
    page = cut(image, dpi)
    scale = 72 / dpi
    rules = [Rule(x0 * scale, x1 * scale, y * scale) for x0, x1, y in page.lines]
    if not page.pieces:
        return Reading([], rules)
    zoom = min(LARGEST, max(1.0, TEXT_HEIGHT / page.text_height)) if page.text_height else 1.0
    pieces = page.pieces if zoom == 1.0 else [_enlarged(p, zoom) for p in page.pieces]
    return Reading(_words(_tesseract(pieces, round(dpi * zoom), command), page.pieces, zoom), rules)


def _enlarged(piece: Piece, zoom: float) -> Piece:
    size = (round(piece.image.width * zoom), round(piece.image.height * zoom))
    return Piece(piece.left, piece.top, piece.image.resize(size, Image.Resampling.BICUBIC))


def _tesseract(pieces: list[Piece], dpi: int, command: str) -> str:
    """Tesseract's TSV of the pieces, read as the pages of one TIFF by one process."""
    sheets = io.BytesIO()
    first, *rest = (p.image for p in pieces)
    first.save(sheets, format="TIFF", save_all=True, append_images=rest, dpi=(dpi, dpi))
    env = {**os.environ, "OMP_THREAD_LIMIT": os.environ.get("OMP_THREAD_LIMIT", "1")}
    try:
        done = subprocess.run([command, "-", "-", "--psm", "6", "--dpi", str(dpi), "tsv"], input=sheets.getvalue(),
                              capture_output=True, check=True, env=env)
    except FileNotFoundError as exc:
        raise ReadError(f"reading scanned PDFs needs the tesseract program ({command!r} not found)") from exc
    except subprocess.CalledProcessError as exc:
        raise ReadError(f"tesseract failed: {exc.stderr.decode(errors='replace').strip()[:200]}") from exc
    return done.stdout.decode("utf-8", errors="replace")


def _words(tsv: str, pieces: list[Piece], zoom: float = 1.0) -> list[Word]:
    """The words of Tesseract's TSV, placed on the page (``zoom``: how much the pieces were
    enlarged for reading)."""
    words = []
    for record in tsv.splitlines()[1:]:
        cols = record.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        text, confidence = cols[11].strip(), float(cols[10])
        if confidence < SPECK_CONFIDENCE and not any(c.isalnum() for c in text):
            continue
        page, block, paragraph, line = (int(c) for c in cols[1:5])
        left, top, width, height = (int(c) / zoom for c in cols[6:10])
        piece = pieces[page - 1]
        words.append(Word(umlauts(text), piece.left + left, piece.top + top, piece.left + left + width,
                          piece.top + top + height, confidence, (page, block, paragraph, line)))
    return words


def boxes(words: list[Word], dpi: int) -> list[Box]:
    """The words as boxes in points for the text reader's lines (``glyphs.lines_of``): all
    words of one Tesseract line share its baseline and size."""
    scale = 72 / dpi
    lines: dict[tuple[int, int, int, int], list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    out = []
    for line in lines.values():
        base = statistics.median(w.bottom for w in line)
        size = statistics.median(w.bottom - w.top for w in line) * 0.8
        out += [Box(w.text, w.left * scale, w.right * scale, base * scale, size * scale) for w in line]
    return out
