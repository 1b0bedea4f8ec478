"""benchmarks/generate_lossy.py: renderings with their visible truth, the same for a seed, varied
as asked, and read by form4's readers. The OCR classes cost seconds a page: one small set of
them (one rendering), marked ``ocr``."""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from benchmarks import generate_lossy as gen

import form4
from form4.compare import leaves, mismatches
from form4.model import Filing, NonDerivativeTransaction
from form4.writers.html import render_html
from form4.writers.pdf import CHROMIUM, Printer
from form4.writers.variants import Variant, styled_html, typed_form, visible
from tests.conftest import CORPUS

FAST = ("html", "pdf", "layout", "raw", "typed")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists() or shutil.which("pdftotext") is None,
                                reason="needs chromium and poppler-utils")


def _records(count: int) -> list[tuple[str, Filing]]:
    paths = sorted((CORPUS / "xml").glob("real-*.xml"))[:count]
    return [(p.name, form4.read(p)) for p in paths]


def _build(out: Path, classes: tuple[str, ...], count: int = 6, seed: int = 7) -> list[dict[str, Any]]:
    gen.build(out, _records(count), count, seed, classes, workers=1)
    return [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]


def test_same_seed_same_bytes_and_outputs_kept(tmp_path: Path) -> None:
    first, second = _build(tmp_path / "a", FAST), _build(tmp_path / "b", FAST)
    assert [m["file"] for m in first] == [m["file"] for m in second] and len(first) == 6 * len(FAST)
    for line in first:
        assert (tmp_path / "a" / line["file"]).read_bytes() == (tmp_path / "b" / line["file"]).read_bytes()
    assert _build(tmp_path / "a", FAST) == first  # a second run makes nothing new: the manifest is unchanged


def test_each_class_comes_with_its_truth_and_manifest_line(tmp_path: Path) -> None:
    lines = _build(tmp_path, FAST, count=3)
    for line in lines:
        truth = json.loads((tmp_path / "truth" / f"{line['name']}.json").read_text())
        assert truth["reporting_owners"] and "cik" not in truth["issuer"]
        assert {"name", "class", "seed", "variant", "source", "changes"} <= set(line)
    assert {m["class"] for m in lines} == set(FAST)


def test_other_seeds_give_other_variants() -> None:
    rows = {"I": 4, "II": 3}
    variants = {Variant.random(random.Random(seed), rows) for seed in range(40)}
    assert len(variants) > 30
    assert {v.font for v in variants} > {variants.pop().font} and any(v.break_table for v in variants)


def test_page_break_inside_a_table_makes_two_pages() -> None:
    rows = [NonDerivativeTransaction(security_title="Common Stock", transaction_date=dt.date(2024, 1, 2 + i),
                                     transaction_code="S", shares=100.0 + i, acquired_disposed="D",
                                     shares_owned_following=1000.0 - i, direct_or_indirect="D") for i in range(3)]
    filing = Filing(form_type="4", non_derivative_transactions=rows)
    page = render_html(filing)
    with Printer() as printer:
        whole = printer.print(styled_html(page, Variant()), Variant().setup())
        broken = Variant(break_table="I", break_row=2)
        cut = printer.print(styled_html(page, broken), broken.setup())
    assert len(pdfium.PdfDocument(whole)) == 1 and len(pdfium.PdfDocument(cut)) == 2


def test_varied_records_change_what_the_truth_says() -> None:
    filing = _records(1)[0][1]
    changed = [gen.varied(filing, random.Random(seed)) for seed in range(60)]
    kinds = {k for _, changes in changed for k in changes}
    assert {"long_title", "long_nature", "owners", "form", "amendment"} <= kinds
    form3 = next(f for f, c in changed if c.get("form") == "3")
    assert form3.form_type == "3" and not form3.non_derivative_transactions
    assert "shares_owned_following" not in json.dumps(visible(form3)["derivative_holdings"])


def test_typed_forms_draw_tables_with_pipes_or_aligned_columns() -> None:
    filing = form4.read(CORPUS / "xml" / "374WaterForm4.xml")
    pipes, aligned = typed_form(filing, "pipes"), typed_form(filing, "aligned")
    assert "|___" in pipes and "|Common Stock" in pipes and "|" not in aligned.split("Table I")[1].split("Explan")[0]
    assert "757,756(1)" in pipes and "$0.33" in aligned


def _accuracy(out: Path, lines: list[dict[str, Any]], kind: str) -> tuple[int, int]:
    total = wrong = 0
    for line in (m for m in lines if m["class"] == kind):
        truth = json.loads((out / "truth" / f"{line['name']}.json").read_text())
        total += sum(1 for _ in leaves(truth))
        wrong += len(mismatches(truth, form4.read(out / line["file"]).to_dict()))
    return total, wrong


def test_readers_read_a_small_generated_set(tmp_path: Path) -> None:
    lines = _build(tmp_path, FAST, count=6)
    html_total, html_wrong = _accuracy(tmp_path, lines, "html")
    assert html_total > 500 and html_wrong == 0  # the HTML reader reads its own pages, however styled
    for kind in ("pdf", "layout", "typed"):  # the lossy readers: something is read (the next issue measures how much)
        total, wrong = _accuracy(tmp_path, lines, kind)
        assert wrong < total * 0.7, kind


@pytest.mark.ocr
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract")
def test_ocr_classes_are_made_with_their_truth(tmp_path: Path) -> None:
    lines = _build(tmp_path, ("ocr200", "scan", "cells"), count=1)
    made = {m["class"]: tmp_path / m["file"] for m in lines}
    assert set(made) == {"ocr200", "scan", "cells"}
    assert "Table I" in made["ocr200"].read_text() and "\t" in made["cells"].read_text()
    scan = pdfium.PdfDocument(made["scan"])
    assert scan[0].get_textpage().count_chars() == 0  # no text layer: OCR needed
    assert next(m for m in lines if m["class"] == "scan")["jpeg_quality"] >= 35
