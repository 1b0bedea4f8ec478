"""PDF reader: the text layer when the PDF has one, Tesseract OCR of the page images when
it has none.  Either way the words keep their positions, so the text reader can rebuild the
form's columns (``Page.positioned``)."""

from __future__ import annotations

import ctypes
import itertools
import os
import re
import statistics
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from form4.errors import MalformedInputError, NoOwnershipDocumentError
from form4.model import Filing
from form4.readers.scan import prepare
from form4.readers.text import read_page
from form4.readers.text.glyphs import Box, lines_of
from form4.readers.text.lines import Line, Page, umlauts

OCR_DPI = 300
REREAD_CONFIDENCE = 60  # a region read again on its own keeps only the words Tesseract is sure of
MIN_WORD_CONFIDENCE = 30  # Tesseract reads specks of a scan as short low-confidence words
# but not as dollars and cents: a price with a mark after it ("$181.93⁵") reads unsurely
_PRICE = re.compile(r"^\$\d+\.\d")

ProgressHook = Callable[[int, int], None]
_progress: ProgressHook | None = None


def on_ocr_progress(hook: ProgressHook | None) -> None:
    """Call ``hook(done, total)`` as scanned pages are OCR'd (the CLI shows a progress bar)."""
    global _progress
    _progress = hook


def _text_layer(page: pdfium.PdfPage) -> list[Box]:
    """Each glyph, placed by its baseline and font size, so that commas and superscript
    footnote marks stay on the line they belong to."""
    textpage = page.get_textpage()
    height = page.get_height()
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count) if count else ""
    # PDFium's own calls with reused out-parameters: the helper's per-glyph wrapping cost as
    # much as the whole text reader
    raw = textpage.raw
    left, right, bottom, top, x, y = (ctypes.c_double() for _ in range(6))
    box_of = (ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top))
    origin = (ctypes.byref(x), ctypes.byref(y))
    boxes = []
    for i, ch in enumerate(text[:count]):
        if ch.isspace() or ch == "\x02":  # PDFium places generated spaces badly: gaps tell words apart
            continue
        pdfium_c.FPDFText_GetCharBox(raw, i, *box_of)
        pdfium_c.FPDFText_GetCharOrigin(raw, i, *origin)
        size = pdfium_c.FPDFText_GetFontSize(raw, i) or 8.0
        boxes.append(Box(ch, left.value, right.value, height - y.value, size * 0.7))
    return boxes


def ocr_page(image: object) -> list[Box]:
    """Words Tesseract finds, straightened: a scan is often slightly turned, so each word is
    moved by the page's skew (the median slope of Tesseract's own lines), and all words of
    one Tesseract line share one baseline."""
    import pytesseract

    page = prepare(image, OCR_DPI)  # type: ignore[arg-type]
    data = pytesseract.image_to_data(page, config="--psm 6", output_type=pytesseract.Output.DICT)
    words = _words(data)
    # small print a whole-page reading drops lines of: found before the rereads change the words
    titles, values = _table_column_regions(words, page.width, page.height)
    small = titles + _relationship_regions(words, page.width) + _address_regions(words)
    for n, region in enumerate(_large_type_regions(words), 1):
        _reread(page, data, region, n)
    for n, region in enumerate(small, 100):
        _reread(page, data, region, n, merge=True)
    for n, region in enumerate(values, 200):  # only where the page's reading is in doubt
        _reread(page, data, region, n, merge=True, doubted=True)
    scale = 72 / OCR_DPI
    groups: dict[tuple[int, int, int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        if word.strip() and (float(data["conf"][i]) >= MIN_WORD_CONFIDENCE or _PRICE.match(word)):
            key = (data["page_num"][i], data["block_num"][i], data["par_num"][i], data["line_num"][i])
            groups.setdefault(key, []).append(i)
    slopes = []
    for ids in groups.values():
        if len(ids) >= 3:
            xs = [data["left"][i] + data["width"][i] / 2 for i in ids]
            ys = [data["top"][i] + data["height"][i] for i in ids]
            if max(xs) - min(xs) > 200:
                slopes.append(statistics.linear_regression(xs, ys).slope)
    slope = statistics.median(slopes) if slopes else 0.0
    boxes = []
    for ids in groups.values():
        base = statistics.median(data["top"][i] + data["height"][i] - slope * data["left"][i] for i in ids)
        size = statistics.median(data["height"][i] for i in ids) * 0.8
        for i in ids:
            left, right = data["left"][i] * scale, (data["left"][i] + data["width"][i]) * scale
            boxes.append(Box(umlauts(data["text"][i]), left, right, base * scale, size * scale))
    return boxes


Region = tuple[int, int, int, int]  # left, top, right, bottom in pixels


Word = tuple[str, int, int, int, int]  # text, left, top, width, height in pixels


def _words(data: dict[str, list]) -> list[Word]:  # type: ignore[type-arg]
    return [(str(w), data["left"][i], data["top"][i], data["width"][i], data["height"][i])
            for i, w in enumerate(data["text"]) if str(w).strip()]


def _large_type_regions(words: list[Word]) -> list[Region]:
    """Where the page prints values larger than the rest, which a whole-page reading often
    garbles: the reporting persons' names and the officer titles."""
    return _name_regions(words) + _title_regions(words)


def _table_column_regions(words: list[Word], width: int, height: int) -> tuple[list[Region], list[Region]]:
    """Each table's columns, read one at a time under their numbered headings: a whole-page
    reading drops lines of a title cell that wraps over three or four ("Series B" /
    "Convertible" / "Preferred" / "Stock"), and runs the date and amounts of a row into the
    lines of its wrapped title.  The title columns, and the columns of values."""
    titles: list[Region] = []
    values: list[Region] = []
    ends = sorted([w[2] for w in words if w[0] in ("Table", "Explanation") and w[1] < 1200] + [height])
    for word, left, top, _, size in words:
        if word != "Table" or not 300 < left < 1200:
            continue
        end = next(e for e in ends if e > top + size) - 4
        items = sorted((w for w in words if _ITEM.match(w[0]) and top < w[2] < top + 8 * size), key=lambda w: w[1])
        second = next((w for w in items if w[0] == "2."), None)
        if second is None:
            continue
        margin = min((w[1] for w in words if top < w[2] < end and w[1] < second[1]), default=second[1])
        titles.append((margin - 20, second[2] + 2 * second[4], second[1] - 10, end))
        codes = [w for w in words if w[0] == "Code" and top < w[2] < end]  # the headings' last line
        if codes:
            last = max(codes, key=lambda w: w[2])
            rows = last[2] + last[4] + 4
            # numbered columns, split where the last line of headings splits them ("Title", "Shares")
            starts = sorted({w[1] for w in items if w[1] >= second[1]}
                            | {w[1] for w in words if abs(w[2] - last[2]) < last[4] and w[1] >= last[1]
                               and w[0] in _SUBHEADINGS})
            edges = [_clear(x - 10, words, rows, end) for k, x in enumerate(starts)
                     if k == 0 or x - starts[k - 1] > 60] + [width - 60]
            values += [(a, rows, b, end) for a, b in itertools.pairwise(edges) if b - a > 50]
    return titles, values


_SUBHEADINGS = frozenset(("Code", "Amount", "Price", "Exercisable", "Date", "Title", "Shares", "(A)", "(D)"))


def _clear(edge: int, words: list[Word], top: int, bottom: int) -> int:
    """A column's edge moved left of any value read across it (amounts stand out of their
    cells to the left)."""
    across = [w[1] for w in words if top < w[2] < bottom and w[1] < edge < w[1] + w[3]]
    return min(across, default=edge + 5) - 5


_ITEM = re.compile(r"^\d{1,2}[A-Z]?\.$")  # a column's number: "2.", "2A.", "10."


def _name_regions(words: list[Word]) -> list[Region]:
    """Where each reporting person's name is printed: under the "Name and Address of
    Reporting Person" label, above its "(Last)" caption, left of the next box's label."""
    return [name for name, _ in _owner_boxes(words)]


def _address_regions(words: list[Word]) -> list[Region]:
    """Where each reporting person's street is printed: under the "(Last)" caption, above
    the "(City)" one (a whole-page reading drops words of it, "C/O [SNOWFLAKE] INC.")."""
    return [street for _, street in _owner_boxes(words) if street is not None]


def _owner_boxes(words: list[Word]) -> list[tuple[Region, Region | None]]:
    boxes = []
    for k, (word, left, top, _, height) in enumerate(words):
        if word != "Address" or not any(w.startswith("Report") for w, *_ in words[k + 1:k + 4]):
            continue
        line = [w for w in words if abs(w[2] - top) < height]
        start = min(w[1] for w in line if w[1] <= left)
        right = min((w[1] for w in line if w[1] > left and w[0][:1].isdigit()), default=start + 1000)
        below = [w for w in words if "Last" in w[0] and w[2] > top and start - 50 < w[1] < right]
        if below:
            last = min(below, key=lambda w: w[2])
            cities = [w for w in words if "City" in w[0] and w[2] > last[2] and start - 50 < w[1] < right]
            street = (start - 20, last[2] + last[4] + 4, right - 20, min(w[2] for w in cities) - 4) if cities else None
            boxes.append(((start - 20, top + height + 12, right - 20, last[2] - 4), street))
    return boxes


def _title_regions(words: list[Word]) -> list[Region]:
    """Where an officer's title is printed, in the same large type: under "Officer (give
    title below)", down to the next box's numbered label."""
    regions = []
    for k, (word, left, top, _, height) in enumerate(words):
        if word != "Officer" or not any(w.startswith("(give") for w, *_ in words[k + 1:k + 3]):
            continue
        numbered = [w for w in words if w[0][:1].isdigit() and w[0].endswith(".") and w[2] > top + 4 * height
                    and w[1] > left - 300]
        if numbered:  # below the label's second line ("below)"), which OCR may not have read
            regions.append((left - 20, top + 3 * height, left + 700, min(w[2] for w in numbered) - 8))
    return regions


def _relationship_regions(words: list[Word], width: int) -> list[Region]:
    """Each owner's relationship boxes, from under the "Relationship of Reporting Person(s)"
    label to the "Officer (give title below)" row: a whole-page reading often drops the row
    of "X Director  10% Owner" between them."""
    regions = []
    for word, left, top, _, height in words:
        if not word.startswith("Relationship"):
            continue
        below = [w for w in words if w[0] == "Officer" and top < w[2] < top + 8 * height
                 and left - 300 < w[1] < left + 300]
        # down to the "Officer" row, or where it would be if the page's reading lost it too
        end = min(w[2] + 3 * w[4] for w in below) if below else top + 6 * height
        regions.append((left - 40, top + height + 4, width - 60, end))  # clear of the issuer's box
    return regions


def _reread(page: object, data: dict[str, list], region: Region, n: int,  # type: ignore[type-arg]
            merge: bool = False, doubted: bool = False) -> None:
    """OCR one region on its own and put its words in place of the whole page's reading (as
    blocks of their own, numbered from ``n`` * 10,000); with ``merge``, only where the page
    read nothing or read words less surely; with ``doubted``, only if the page read a word
    there unsurely."""
    import pytesseract

    left, top, right, bottom = region
    if right - left < 50 or bottom - top < 20:
        return
    inside = [i for i, w in enumerate(data["text"]) if str(w).strip()
              and left <= data["left"][i] + data["width"][i] / 2 <= right
              and top <= data["top"][i] + data["height"][i] / 2 <= bottom]
    if doubted and all(float(data["conf"][i]) >= REREAD_CONFIDENCE for i in inside):
        return
    crop = page.crop(region)  # type: ignore[attr-defined]
    found = pytesseract.image_to_data(crop, config="--psm 6", output_type=pytesseract.Output.DICT)
    floor = MIN_WORD_CONFIDENCE if merge else REREAD_CONFIDENCE
    sure = [i for i, w in enumerate(found["text"]) if str(w).strip()
            and (float(found["conf"][i]) >= floor or (merge and _PRICE.match(str(w))))]
    if not sure:
        return  # nothing read clearly on its own either: keep the page's reading
    if merge:
        sure = _surer_lines(data, inside, found, sure, top)
    else:
        for i in inside:
            data["text"][i] = ""
    for i in sure:
        for key in ("conf", "page_num", "par_num", "line_num", "width", "height"):
            data[key].append(found[key][i])
        data["text"].append(found["text"][i])
        data["block_num"].append(10_000 * n + found["block_num"][i])
        data["left"].append(found["left"][i] + left)
        data["top"].append(found["top"][i] + top)


def _surer_lines(data: dict[str, list], inside: list[int], found: dict[str, list],  # type: ignore[type-arg]
                 sure: list[int], top: int) -> list[int]:
    """The words of the lines read again that go in, each line whole (so its words share a
    baseline): where the page read nothing at its height, or read it less surely on average,
    whose words there then go."""
    lines: dict[tuple[int, int, int], list[int]] = {}
    for i in sure:
        lines.setdefault((found["block_num"][i], found["par_num"][i], found["line_num"][i]), []).append(i)
    kept = []
    for ids in lines.values():
        upper = min(found["top"][i] for i in ids) + top
        lower = max(found["top"][i] + found["height"][i] for i in ids) + top
        under = [j for j in inside if data["text"][j] and upper <= data["top"][j] + data["height"][j] / 2 <= lower]
        if under and statistics.mean(float(data["conf"][j]) for j in under) > statistics.mean(
                float(found["conf"][i]) for i in ids):
            continue
        for j in under:
            data["text"][j] = ""
        kept += ids
    return kept


def _ocr_pages(pdf: pdfium.PdfDocument) -> list[list[Box]]:
    images = [page.render(scale=OCR_DPI / 72, grayscale=True).to_pil() for page in pdf]
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one Tesseract thread per page; pages run side by side
    done = 0
    results: list[list[Box]] = []
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # tesseract runs as its own process
        for boxes in pool.map(ocr_page, images):
            results.append(boxes)
            done += 1
            if _progress is not None:
                _progress(done, len(images))
    return results


def read_pdf(data: bytes, source: str | None = None) -> Filing:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise MalformedInputError(f"not a readable PDF: {exc}", source=source) from exc
    try:
        pages = [_text_layer(page) for page in pdf]
        origin, words = "pdf", False
        if sum(len(p) for p in pages) < 100:  # no text layer: a scan
            pages, origin, words = _ocr_pages(pdf), "ocr", True
    finally:
        pdf.close()
    lines: list[Line] = []
    for boxes in pages:
        lines.extend(lines_of(boxes, len(lines), words=words))
        lines.append(Line(len(lines)))  # a blank line between pages
    if not lines:
        raise NoOwnershipDocumentError("the PDF holds no text", source=source)
    page = Page(lines, positioned=True, torn=False, scanned=origin == "ocr")
    return read_page(page, source, origin, ocr=page.ocr)
