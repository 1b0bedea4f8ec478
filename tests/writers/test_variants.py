"""form4.writers.variants: the print a person would OCR (``Variant.legible``) keeps the variant's
look and prints its smallest data text at a legible size, measured on the printed PDF."""

from __future__ import annotations

import ctypes
import datetime as dt
import itertools
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from form4.model import DerivativeHolding, DerivativeTransaction, Filing
from form4.writers.html import render_html
from form4.writers.pdf import CHROMIUM, Printer
from form4.writers.variants import FONTS, LEGIBLE_POINTS, Variant, styled_html, visible

SMALL = Variant(font=FONTS[1], data_font=FONTS[2], font_scale=0.85, fixed_columns=True, padding=1, valign="top",
                break_table="II", break_row=2, repeat_header=True, paper="Legal", landscape=True, scale=0.6)


def test_every_variant_drawn_gets_a_legible_print_of_the_same_look() -> None:
    for font_scale, scale in itertools.product([0.85, 0.9, 1.0, 1.1, 1.25], [0.6, 0.7, 0.8, 0.9, 1.0]):
        variant = replace(SMALL, font_scale=font_scale, scale=scale)
        legible = variant.legible()
        assert legible.smallest_data_points() >= LEGIBLE_POINTS
        assert legible.scale <= 1.0 and legible.scale >= variant.scale and legible.font_scale >= font_scale
        assert replace(legible, scale=scale, font_scale=font_scale) == variant  # fonts, columns, breaks, paper kept


def test_the_zoom_grows_first_then_the_font() -> None:
    assert Variant(font_scale=1.0, scale=0.6).legible() == Variant(font_scale=1.0, scale=0.9)
    grown = Variant(font_scale=0.85, scale=0.6).legible()
    assert grown.scale == 1.0 and grown.font_scale == 0.9


def test_a_legible_variant_is_its_own_print() -> None:
    legible = Variant(font_scale=1.25, scale=0.8)
    assert legible.legible() is legible
    assert SMALL.legible().legible() == SMALL.legible()


def test_a_stricter_size_asks_for_a_larger_print() -> None:
    assert Variant().legible(9.0).smallest_data_points() >= 9.0 > Variant().smallest_data_points()


def _printed_points(pdf: bytes, word: str) -> float:
    """The smallest printed size, in points, of ``word`` wherever the PDF prints it (the font
    size times the text matrix's scale, as a ruler on the paper would find it)."""
    sizes = []
    for page in pdfium.PdfDocument(pdf):
        text = page.get_textpage()
        chars = "".join(chr(pdfium_c.FPDFText_GetUnicode(text, i)) for i in range(text.count_chars()))
        start = chars.find(word)
        while start >= 0:
            for index in range(start, start + len(word)):
                matrix = pdfium_c.FS_MATRIX()
                pdfium_c.FPDFText_GetMatrix(text, index, ctypes.byref(matrix))
                scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
                sizes.append(pdfium_c.FPDFText_GetFontSize(text, index) * scale)
            start = chars.find(word, start + 1)
    return min(sizes)


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs chromium")
def test_the_legible_print_sets_table_two_values_at_the_legible_size_on_paper() -> None:
    row = DerivativeTransaction(security_title="Stock Option", conversion_or_exercise_price=7.25,
                                transaction_date=dt.date(2024, 3, 5), transaction_code="M", shares=987.0,
                                acquired_disposed="D", underlying_security_title="Common Stock",
                                underlying_shares=987.0, shares_owned_following=0.0, direct_or_indirect="D")
    page = render_html(Filing(form_type="4", derivative_transactions=[row]))
    with Printer() as printer:
        small, legible = (printer.print(styled_html(page, v), v.setup()) for v in (SMALL, SMALL.legible()))
    # 987 prints only in Table II, the page's smallest data text
    assert _printed_points(small, "987") == pytest.approx(SMALL.smallest_data_points(), abs=0.05)
    assert _printed_points(legible, "987") >= LEGIBLE_POINTS - 0.05


def test_a_form_3_prints_no_marks_of_the_amount_owned_it_does_not_print() -> None:
    """A Form 3's Table II has no column for the amount owned: its marks are nowhere to read."""
    held = DerivativeHolding(security_title="Stock Option", underlying_security_title="Common Stock",
                             underlying_shares=100.0, shares_owned_following=100.0, direct_or_indirect="D",
                             footnotes={"shares_owned_following": ["F1"], "expiration_date": ["F2"]})
    for form, printed in (("3", {"expiration_date": ["F2"]}),
                          ("4", {"shares_owned_following": ["F1"], "expiration_date": ["F2"]})):
        row = visible(Filing(form_type=form, derivative_holdings=[held]))["derivative_holdings"][0]
        assert row["footnotes"] == printed
