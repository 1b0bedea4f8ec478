"""Tesseract's words on a scanned page, with their places and confidences.

The page is cut into the form's boxes and cells (``scan.cut``) and every piece goes to one
Tesseract process as a page of a multi-page TIFF: each piece is read on its own, as a block
of text (page segmentation mode 6), with none of the chaos a whole ruled page brings, and
the engine's model is loaded once for the page.  Tesseract's TSV gives each word's box and
confidence; a word's place on the sheet plus its piece's place is its place on the page.
"""

from __future__ import annotations

import bisect
import io
import os
import re
import statistics
import subprocess
from dataclasses import dataclass

from PIL import Image

from form4.compare import leaves
from form4.errors import ReadError
from form4.model import Filing
from form4.model import Warning as FieldWarning
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
    words: list[Word] = []
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
        word = Word(umlauts(text), piece.left + left, piece.top + top, piece.left + left + width,
                    piece.top + top + height, confidence, (page, block, paragraph, line))
        if words and _split_number(words[-1], word):
            words[-1] = _joined(words[-1], word)
        else:
            words.append(word)
    return words


_GROUP_END = re.compile(r"\d[,.]$")  # "2,248," before "637": digits grouped in thousands
_GROUP = re.compile(r"^\d{3}(?!\d)")


def _split_number(left: Word, right: Word) -> bool:
    """Whether Tesseract cut one amount in two at a thousands separator: the left word ends
    in a separator, the right begins with a group of three digits, close by on one line (a
    neighbouring cell's amount is a rule and the cells' padding away)."""
    return (left.line == right.line and bool(_GROUP_END.search(left.text)) and bool(_GROUP.match(right.text))
            and right.left - left.right < (right.bottom - right.top) / 2)


def _joined(left: Word, right: Word) -> Word:
    return Word(left.text + right.text, left.left, min(left.top, right.top), right.right,
                max(left.bottom, right.bottom), min(left.confidence, right.confidence), left.line)


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


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
UNSURE = 60  # a word Tesseract gives less than this is one a person should look at


def doubt_unsure(filing: Filing, words: list[Word]) -> None:
    """Lower the confidence of each field whose value was read from words Tesseract was
    unsure of (to the word's own confidence, 0 to 1), and say so.  A value is matched to
    the words that print it by its letters and digits ("2,420(1)" prints 2420, "04/05/2022"
    the date 2022-04-05); a word printed more than once counts as sure if any printing of
    it was read surely."""
    sure: dict[str, float] = {}
    for word in words:
        key = _letters(word.text)
        if key:
            sure[key] = max(sure.get(key, 0.0), word.confidence)
    keys = sorted(sure)
    for path, value in leaves(filing.to_dict()):
        if path.startswith(("warnings", "confidence")) or ".footnotes." in path:
            continue
        least = min((_confidence(token, sure, keys) for token in _tokens(value)), default=100.0)
        if least < UNSURE:
            filing.confidence[path] = min(filing.confidence.get(path, 1.0), least / 100)
            filing.warnings.append(FieldWarning(field=path, message=f"OCR was unsure of the words read here "
                                                                    f"(confidence {least:.0f} of 100)"))


def _letters(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def _tokens(value: object) -> list[str]:
    """The runs of letters and digits a field's value is printed with."""
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, float | int):
        return [_letters(f"{value:f}".rstrip("0").rstrip("."))]
    text = str(value)
    if _ISO_DATE.fullmatch(text):
        return [text[5:7] + text[8:10] + text[:4]]  # printed month/day/year
    return [t for t in (_letters(w) for w in text.split()) if t]


def _confidence(token: str, sure: dict[str, float], keys: list[str]) -> float:
    """How sure Tesseract was of the word printing ``token``: the word itself, or one that
    begins with it (a value and its footnote mark, "2420" in "2,420(1)"); unknown words
    (a value the reader mended or built from several words) give no doubt."""
    if token in sure:
        return sure[token]
    at = bisect.bisect_left(keys, token)
    found = [sure[k] for k in keys[at:at + 8] if k.startswith(token)]
    return max(found, default=100.0)
