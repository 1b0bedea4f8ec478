"""Scanned forms (page images, no text layer) read by Tesseract: the form as form4 prints it
(``form4.writers``, printed by Chromium), its pages turned into images at a scanner's
resolution and saved as a PDF of images only, then read back through ``form4.read``."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from typing import Any

import pypdfium2 as pdfium
import pytest
from PIL import Image

import form4
from form4.model import Filing, Issuer, NonDerivativeHolding, NonDerivativeTransaction, ReportingOwner
from form4.writers.html import render_html

pytestmark = [pytest.mark.ocr,
              pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract")]


def _filing() -> Filing:
    owner = ReportingOwner(name="Doe Jane", street1="1 Main St", city="Austin", state="TX", zip="78701",
                           is_director=True)
    bought = NonDerivativeTransaction(security_title="Common Stock", transaction_date=dt.date(2024, 3, 1),
                                      transaction_code="P", shares=1500.0, acquired_disposed="A",
                                      price_per_share=12.5, shares_owned_following=8691.0, direct_or_indirect="D")
    held = NonDerivativeHolding(security_title="Common Stock", shares_owned_following=20000.0,
                                direct_or_indirect="D")
    return Filing(form_type="4", period_of_report=dt.date(2024, 3, 1), reporting_owners=[owner],
                  issuer=Issuer(name="Acme Corp", trading_symbol="ACME"),
                  non_derivative_transactions=[bought], non_derivative_holdings=[held])


def _scanned(pdf: bytes, dpi: int, angle: float = 0.0) -> bytes:
    """The PDF's pages as a scanner returns them: grey images at ``dpi``, maybe turned."""
    pages = []
    for page in pdfium.PdfDocument(pdf):
        image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        if angle:
            image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
        pages.append(image)
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=float(dpi))
    return out.getvalue()


@pytest.fixture(scope="module")
def printed(printer: Any) -> bytes:
    return bytes(printer.print(render_html(_filing())))


@pytest.mark.parametrize(("dpi", "angle"), [(300, 0.0), (200, 0.0), (200, 0.8)])
def test_a_scanned_form_reads_its_boxes_and_ruled_rows(printed: bytes, dpi: int, angle: float) -> None:
    # the boxes and rows are found from the page's own rules, whatever the resolution or a
    # slight turn of the page on the scanner's glass
    back = form4.read(_scanned(printed, dpi, angle))
    assert back.source == "ocr"
    assert back.period_of_report == dt.date(2024, 3, 1)
    owner = back.reporting_owners[0]
    assert (owner.name, owner.city, owner.state, owner.zip, owner.is_director) == ("Doe Jane", "Austin", "TX",
                                                                                   "78701", True)
    assert (back.issuer.name, back.issuer.trading_symbol) == ("Acme Corp", "ACME")
    row = back.non_derivative_transactions[0]
    assert (row.security_title, row.transaction_date, row.transaction_code) == ("Common Stock", dt.date(2024, 3, 1),
                                                                                 "P")
    assert (row.shares, row.price_per_share, row.acquired_disposed) == (1500.0, 12.5, "A")
    assert (row.shares_owned_following, row.direct_or_indirect) == (8691.0, "D")
    held = back.non_derivative_holdings
    assert [(h.security_title, h.shares_owned_following) for h in held] == [("Common Stock", 20000.0)]


def test_words_ocr_was_sure_of_raise_no_doubt_and_unsure_ones_do(printed: bytes) -> None:
    # Tesseract's own word confidences reach the fields: a clean scan leaves none in doubt;
    # a coarse scan (120 dpi) leaves the fields read from words it was unsure of doubted
    clean = form4.read(_scanned(printed, 300))
    assert not [w for w in clean.warnings if "OCR was unsure" in w.message]
    coarse = form4.read(_scanned(printed, 120))
    unsure = [w.field for w in coarse.warnings if "OCR was unsure" in w.message]
    assert unsure
    assert all(coarse.confidence[field] < 0.6 for field in unsure)


def test_ocr_progress_goes_to_the_read_that_asked_for_it(printed: bytes) -> None:
    # progress is a function given to the read, not a hook kept by the module: a read given
    # none reports nowhere, and one given a function hears of every page, the last one included
    scan = _scanned(printed, 200)
    pages = len(pdfium.PdfDocument(scan))
    heard: list[tuple[int, int]] = []
    form4.read_bytes(scan, "scan.pdf", ocr_progress=lambda done, total: heard.append((done, total)))
    assert heard == [(n, pages) for n in range(1, pages + 1)]
    form4.read_bytes(scan, "scan.pdf")
    assert len(heard) == pages
