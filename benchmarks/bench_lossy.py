"""Speed of the lossy readers, in one run: text extractions, PDF text layers, scanned PDFs.

    python benchmarks/bench_lossy.py [--corpus ../shared/corpus] [--scans 6]

Text and PDF run on one pinned core and are read from memory, so only reading is measured;
beside them the floors no reader can beat: pypdfium2's bare text extraction of the same
pages, and cutting the text into lines. Scanned pages are OCR'd with Tesseract one at a time
and then with one Tesseract per core, to show the parallel speed-up. Prints Markdown for
BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pypdfium2 as pdfium

import form4
from form4.readers import pdf as pdf_reader
from form4.readers.text.lines import page_of
from timing import best_rate

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus"


def pages(data: bytes) -> int:
    doc = pdfium.PdfDocument(data)
    try:
        return len(doc)
    finally:
        doc.close()


def bare_text(data: bytes) -> None:
    doc = pdfium.PdfDocument(data)
    for page in doc:
        textpage = page.get_textpage()
        textpage.get_text_range(0, textpage.count_chars())
    doc.close()


def ocr_rate(scans: list[bytes], workers: int) -> float:
    """Pages/s of straightening and OCR'ing scanned pages with ``workers`` Tesseracts at once."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    images = []
    for data in scans:
        doc = pdfium.PdfDocument(data)
        images += [page.render(scale=pdf_reader.OCR_DPI / 72, grayscale=True).to_pil() for page in doc]
        doc.close()
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(pdf_reader.ocr_page, images))
    return len(images) / (time.perf_counter() - start)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--scans", type=int, default=6, help="scanned PDFs to OCR (0 to skip)")
    args = ap.parse_args()
    cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else [0]
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {cores[0]})

    texts = [p.read_bytes() for p in sorted((args.corpus / "text").glob("*.txt"))]
    pdfs = [p.read_bytes() for p in sorted((args.corpus / "pdf").glob("*.pdf"))]
    per_pdf = sum(pages(d) for d in pdfs) / len(pdfs)
    rows = [
        ("text extraction -> Filing (form4.read_bytes)", "documents", len(texts), best_rate(form4.read_bytes, texts)),
        ("text cut into lines only (floor)", "documents", len(texts),
         best_rate(lambda d: page_of(d.decode("utf-8", "replace")), texts)),
        ("PDF text layer -> Filing (form4.read_bytes)", "pages", len(pdfs),
         best_rate(form4.read_bytes, pdfs) * per_pdf),
        ("pypdfium2 bare text extraction (floor)", "pages", len(pdfs), best_rate(bare_text, pdfs) * per_pdf),
    ]
    print(f"Python {platform.python_version()} on {platform.machine()}, one core, best of 3 rounds\n")
    print("| reader | unit | inputs | per second |")
    print("| --- | --- | ---: | ---: |")
    for name, unit, n, r in rows:
        print(f"| {name} | {unit} | {n} | {r:,.0f} |")
    if args.scans and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, set(cores))
        scans = [p.read_bytes() for p in sorted((args.corpus / "pdfimg").glob("*.pdf"))[: args.scans]]
        one, many = ocr_rate(scans, 1), ocr_rate(scans, len(cores))
        print(f"| scanned PDF -> OCR words, 1 Tesseract | pages | {len(scans)} | {one:.2f} |")
        print(f"| scanned PDF -> OCR words, {len(cores)} Tesseracts | pages | {len(scans)} | {many:.2f} |")
    print("\nTargets: text ≥ 1,000 documents/s; PDF text layer ≥ 50 pages/s; OCR in parallel across cores.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
