"""PDF reader: the text layer when the PDF has one, Tesseract OCR of the page images when
it has none.  Either way the words keep their positions, so the text reader can rebuild the
form's columns (``Page.positioned``)."""

from __future__ import annotations

import ctypes
import os
from concurrent.futures import ThreadPoolExecutor

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from form4.errors import MalformedInputError, NoOwnershipDocumentError
from form4.extras import require
from form4.model import Filing
from form4.readers.ocr import Reading, boxes, doubt_unsure, read_words
from form4.readers.progress import ProgressHook
from form4.readers.text import read_page
from form4.readers.text.glyphs import Box, Rule, lines_of
from form4.readers.text.lines import Line, Page

OCR_DPI = 300

__all__ = ["OCR_DPI", "ocr_page", "read_pdf"]


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
    x, y = ctypes.c_double(), ctypes.c_double()
    loose = pdfium_c.FS_RECTF()
    loose_of = ctypes.byref(loose)
    matrix = pdfium_c.FS_MATRIX()
    matrix_of = ctypes.byref(matrix)
    origin = (ctypes.byref(x), ctypes.byref(y))
    boxes = []
    last: Box | None = None  # the last glyph that is no space
    raised: tuple[float, float] | None = None
    for i, ch in enumerate(text[:count]):
        # PDFium's generated spaces only guess at words (the gaps between glyphs tell them
        # apart); a space the page prints parts words however narrow ("155 5TH STREET")
        printed_space = ch == " " and not pdfium_c.FPDFText_IsGenerated(raw, i)
        if (ch.isspace() or ch == "\x02") and not printed_space:
            continue
        # the loose box spans the glyph's advance, not its ink: letters of one word touch
        # whatever their shapes and the font's letter-spacing, so gaps between them are words'
        pdfium_c.FPDFText_GetLooseCharBox(raw, i, loose_of)
        pdfium_c.FPDFText_GetCharOrigin(raw, i, *origin)
        pdfium_c.FPDFText_GetMatrix(raw, i, matrix_of)
        # the size as printed: the font's size scaled by the glyph's matrix (a page printed at
        # 60 % sets 16-point type at 7 points)
        scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5 or 1.0
        size = (pdfium_c.FPDFText_GetFontSize(raw, i) or 8.0) * scale
        box = Box(ch, loose.left, loose.right, height - y.value, size)
        if ch != " ":
            raised = _raised(box, last, raised)
            last = box
        boxes.append(box)
    return boxes


def _raised(box: Box, last: Box | None, run: tuple[float, float] | None) -> tuple[float, float] | None:
    """A superscript (a footnote mark: smaller type, raised, right after the text it marks)
    set on the baseline of that text, so that it stays with its value whatever the line
    spacing; ``run`` is the raised run going on (its own baseline, and the one it is set on),
    and the run after ``box`` is returned."""
    if last is None:
        return None
    if run is not None and abs(box.base - run[0]) < 0.01 and box.x0 - last.x1 < box.size:
        box.base, box.raised = run[1], True  # the mark's next glyph: "(", "2", ")"
        return run
    rise = last.base - box.base
    if (box.size < last.size * 0.9 and 0.15 * last.size < rise < 0.8 * last.size
            and -0.1 * last.size < box.x0 - last.x1 < 0.5 * last.size):
        run = (box.base, last.base)
        box.base, box.raised = last.base, True
        return run
    return None


def _rules(page: pdfium.PdfPage) -> list[Rule]:
    """The page's horizontal rules (a table's row borders): path objects far wider than high."""
    height = page.get_height()
    rules = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        if top - bottom < 2 and right - left > 4 * (top - bottom) + 4:
            rules.append(Rule(left, right, height - (top + bottom) / 2))
    return rules


def ocr_page(image: object) -> Reading:
    """The words Tesseract reads on a page image rendered at ``OCR_DPI``, and the page's
    horizontal rules (see ``readers.ocr``: the page is cut into the form's boxes and cells
    first)."""
    pytesseract = require("pytesseract", "ocr", "reading scanned PDFs")
    return read_words(image, OCR_DPI, pytesseract.pytesseract.tesseract_cmd)  # type: ignore[arg-type]


def _ocr_pages(pdf: pdfium.PdfDocument, progress: ProgressHook | None) -> list[Reading]:
    require("pytesseract", "ocr", "reading scanned PDFs")  # before the pages are rendered
    images = [page.render(scale=OCR_DPI / 72, grayscale=True).to_pil() for page in pdf]
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one Tesseract thread per page; pages run side by side
    done = 0
    results: list[Reading] = []
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # tesseract runs as its own process
        for page in pool.map(ocr_page, images):
            results.append(page)
            done += 1
            if progress is not None:
                progress(done, len(images))
    return results


def read_pdf(data: bytes, source: str | None = None, progress: ProgressHook | None = None) -> Filing:
    """``progress(done, total)`` is called as the pages of a scan are OCR'd."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise MalformedInputError(f"not a readable PDF: {exc}", source=source) from exc
    try:
        pages = [_text_layer(page) for page in pdf]
        origin, words = "pdf", False
        read: list[Reading] = []
        if sum(len(p) for p in pages) < 100:  # no text layer: a scan
            read = _ocr_pages(pdf, progress)
            pages, rules = [boxes(p.words, OCR_DPI) for p in read], [p.rules for p in read]
            origin, words = "ocr", True
        else:
            rules = [_rules(page) for page in pdf]
    finally:
        pdf.close()
    lines: list[Line] = []
    for placed, ruled in zip(pages, rules, strict=True):
        lines.extend(lines_of(placed, len(lines), words=words, rules=ruled))
        lines.append(Line(len(lines)))  # a blank line between pages
    if not lines:
        raise NoOwnershipDocumentError("the PDF holds no text", source=source)
    page = Page(lines, positioned=True, torn=False, scanned=origin == "ocr")
    filing = read_page(page, source, origin, ocr=page.ocr)
    if read:
        doubt_unsure(filing, [w for p in read for w in p.words])
    return filing
