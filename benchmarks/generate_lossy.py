"""A generator of lossy test data: filings rendered with controlled variation and spoilt the
way people receive them, each with its visible truth.

    python benchmarks/generate_lossy.py OUT [--from DIR | --generate N] [--count N] [--seed S]
        [--classes html,pdf,layout,raw,ocr300,ocr200,scan,cells,typed] [--jobs J] [--measure]

Records come from ``--from`` (XML filings, by default the corpus' real-* ones) or are generated
(``--generate N``: corpus filings moved in time to new issuers, as benchmarks/bench_reports.py
makes its stores). Each of ``--count`` renderings takes a record, varies it (long titles,
natures and footnotes; several owners; drawn as Form 3 or 5; an amendment) and draws it with
a ``form4.writers.variants.Variant`` (fonts, sizes, column widths, page breaks inside tables,
paper), then writes OUT/NAME.CLASS.{html,pdf,txt}:

    html     the page (EDGAR's, with the variant's style)        pdf     chromium's print of it
    layout   pdftotext -layout of the PDF                        raw     pdftotext -raw
    ocr300   Tesseract on 300 dpi page images                    ocr200  the same at 200 dpi
    scan     the pages as a scanner returns them: grey, turned, blurred, noisy, JPEG, no text
    cells    OCR cut into table cells (tabs where grid lines fall, words torn at them)
    typed    the form typed as before 2003 (| and _ tables or aligned columns; alone or inside
             an EDGAR submission .txt)

The OCR classes and scans start from the print a person would OCR (``Variant.legible``: the
same page, fonts, columns and page breaks, zoomed so that the smallest data text is at least
6.75 pt on paper, as the corpus prints it), not from the variant's own print, where a form shrunk
to 60 % sets Table II's values in 4 pt; Tesseract reads whole pages (--psm 4) and is told their
resolution (--dpi), as a scanner's file tells it.

with OUT/truth/NAME.json (what the printed form shows, as the corpus' expected-visible files)
and OUT/manifest.jsonl (one line per output: name, class, seed, variant, source record).
The same seed gives the same bytes (Tesseract and Pillow permitting: one thread each).
Outputs that exist are kept: OCR costs seconds a page, so a folder is built once and grown.
``--measure`` reads every output back with form4's readers and prints each class's share of
the truth's fields read right (form4.compare.mismatches).

Generator-only code (record variation, the spoiling, the process pool) lives here, not in
form4: it needs poppler-utils and tesseract, which form4 does not, and it is no reader's or
writer's business. How a record is drawn (``form4.writers.variants``) is in the library.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

import msgspec

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # bench_reports, beside this file, when run as a script
CORPUS = HERE.parent.parent / "shared" / "corpus"
CLASSES = ("html", "pdf", "layout", "raw", "ocr300", "ocr200", "scan", "cells", "typed")
OCR_CLASSES = frozenset({"ocr300", "ocr200", "scan", "cells"})
SUFFIX = {"html": "html", "pdf": "pdf", "scan": "pdf"}
# Tesseract as the corpus' OCR text was made: whole pages, "a single column of text of variable
# sizes" (--psm 4 keeps a table row on one line; 3 and 6 read the corpus' pages less like its text)
TESSERACT = ("--psm", "4")
OCR_DPI = {"ocr300": 300, "ocr200": 200, "cells": 300}  # the resolution each OCR class reads pages at


def ocr_call(kind: str) -> str:
    """How an OCR class's text was read (kept in its manifest line: a set read otherwise is stale)."""
    return " ".join(("tesseract", *TESSERACT, "--dpi", str(OCR_DPI[kind])))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # Tesseract: one thread a process, the same words each run

import form4  # noqa: E402
from form4.compare import leaves, mismatches  # noqa: E402
from form4.model import (  # noqa: E402
    DerivativeHolding,
    Filing,
    NonDerivativeHolding,
    Signature,
)
from form4.writers.html import render_html  # noqa: E402
from form4.writers.variants import Variant, in_submission, styled_html, typed_form, visible  # noqa: E402

# --- records and how they vary -------------------------------------------------------------

_LONG_TITLES = ("Series A-1 Convertible Participating Preferred Stock, par value $0.0001 per share",
                "Class A Common Stock underlying Restricted Stock Units granted under the 2019 Equity Incentive Plan")
_LONG_NATURES = ("By the Reporting Person's spouse as trustee of the Family Irrevocable Trust dated June 1, 2009",
                 "By limited partnership of which the Reporting Person is the managing member of the general partner")
_LONG_NOTE = ("The price reported is a weighted average price. These shares were sold in multiple transactions at "
              "prices ranging from $12.01 to $12.99, inclusive. The reporting person undertakes to provide to the "
              "issuer, any security holder of the issuer, or the staff of the Securities and Exchange Commission, "
              "upon request, full information regarding the number of shares sold at each separate price. ")
_NAMES = ("Partners Fund III, L.P.", "Capital Management LLC", "Holdings GP, LLC", "Family Trust")


def source_records(source: Path | None, generate: int, seed: int) -> list[tuple[str, Filing]]:
    """(name of the source, record) for every record a rendering may start from."""
    if generate:
        from bench_reports import generated  # corpus filings moved in time, to new issuers

        made = generated(generate * 3, max(10, generate // 20), seed)
        return [(f"generated-{i:05d}", f) for i, f in zip(range(generate), made, strict=False)]
    folder = source or CORPUS / "xml"
    pattern = "real-*.xml" if source is None else "*.xml"
    return [(p.name, form4.read(p)) for p in sorted(folder.glob(pattern))]


def varied(filing: Filing, rng: random.Random) -> tuple[Filing, dict[str, Any]]:
    """A copy of ``filing`` changed in the ways printed forms differ, and what was changed."""
    record = Filing.from_dict(filing.to_dict())
    changes: dict[str, Any] = {}
    rows = [r for t in ("non_derivative_transactions", "non_derivative_holdings", "derivative_transactions",
                        "derivative_holdings") for r in getattr(record, t)]
    if rows and rng.random() < 0.3:
        rng.choice(rows).security_title = rng.choice(_LONG_TITLES)
        changes["long_title"] = True
    if rows and rng.random() < 0.25:
        row = rng.choice(rows)
        row.direct_or_indirect, row.nature_of_ownership = "I", rng.choice(_LONG_NATURES)
        changes["long_nature"] = True
    if record.footnotes and rng.random() < 0.25:
        note = rng.choice(record.footnotes)
        note.text = (note.text + " " + _LONG_NOTE * rng.randint(1, 3)).strip()
        changes["long_footnote"] = True
    if record.reporting_owners and len(record.reporting_owners) == 1 and rng.random() < 0.2:
        first = record.reporting_owners[0]
        extra = [msgspec.structs.replace(first, name=f"{(first.name or 'Owner').split()[0]} {name}", is_director=False,
                                     is_officer=False, officer_title=None, is_ten_percent_owner=True)
                 for name in rng.sample(_NAMES, rng.randint(1, 3))]
        record.reporting_owners += extra
        record.signatures += [Signature(name=o.name, date=(record.signatures or [Signature()])[0].date)
                              for o in extra]
        changes["owners"] = len(record.reporting_owners)
    form = rng.choices(["keep", "3", "5"], weights=[8, 1, 1])[0]
    if form != "keep" and (record.form_type or "").startswith("4"):
        _as_form(record, form)
        changes["form"] = form
    if rng.random() < 0.12 and not (record.form_type or "").endswith("/A"):
        record.form_type = f"{record.form_type or '4'}/A"
        record.date_of_original_submission = record.period_of_report
        changes["amendment"] = True
    return record, changes


def _as_form(record: Filing, form: str) -> None:
    """A Form 4 redrawn as a Form 3 (its rows become holdings) or a Form 5 (its rows stay)."""
    record.form_type = form
    if form != "3":
        return
    record.non_derivative_holdings += [NonDerivativeHolding(
        security_title=t.security_title, shares_owned_following=t.shares_owned_following,
        value_owned_following=t.value_owned_following, direct_or_indirect=t.direct_or_indirect,
        nature_of_ownership=t.nature_of_ownership) for t in record.non_derivative_transactions]
    record.derivative_holdings += [DerivativeHolding(
        security_title=t.security_title, conversion_or_exercise_price=t.conversion_or_exercise_price,
        exercise_date=t.exercise_date, expiration_date=t.expiration_date,
        underlying_security_title=t.underlying_security_title, underlying_shares=t.underlying_shares,
        underlying_value=t.underlying_value, direct_or_indirect=t.direct_or_indirect,
        nature_of_ownership=t.nature_of_ownership) for t in record.derivative_transactions]
    record.non_derivative_transactions, record.derivative_transactions = [], []
    used = {i for r in (*record.non_derivative_holdings, *record.derivative_holdings) for ids in r.footnotes.values()
            for i in ids}
    record.footnotes = [n for n in record.footnotes if n.id in used or not used]


# --- one rendering --------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Job:
    name: str
    source: str
    record: dict[str, Any]
    seed: int
    classes: tuple[str, ...]
    out: str


_printer: Any = None


def _pdf(html: str, variant: Variant) -> bytes:
    global _printer
    if _printer is None:
        from form4.writers.pdf import Printer

        _printer = Printer()
    pdf: bytes = _printer.print(html, variant.setup())
    return pdf


def close_printer() -> None:
    """Closes this process's browser (one sync Playwright a thread: another may start after)."""
    global _printer
    if _printer is not None:
        _printer.close()
        _printer = None


def _run(args: list[str], data: bytes | None = None) -> bytes:
    return subprocess.run(args, input=data, capture_output=True, check=True).stdout


def _pdftotext(pdf: bytes, mode: str) -> bytes:
    return _run(["pdftotext", f"-{mode}", "-enc", "UTF-8", "-", "-"], pdf)


def _pages(pdf: bytes, dpi: int) -> list[Any]:
    """The PDF's pages as grey images (pdftoppm)."""
    from PIL import Image

    out = _run(["pdftoppm", "-r", str(dpi), "-gray", "-", ], pdf)
    images, view = [], memoryview(out)
    while view:  # pdftoppm writes one PGM after another to standard output
        image = Image.open(io.BytesIO(bytes(view)))
        image.load()
        images.append(image)
        header = 0
        for _ in range(4):  # P5, width, height, maxval: four tokens then one whitespace byte
            while bytes(view[header:header + 1]).isspace():
                header += 1
            while not bytes(view[header:header + 1]).isspace():
                header += 1
        view = view[header + 1 + image.width * image.height:]
    return images


def _tesseract_both(image: Any, dpi: int) -> tuple[bytes, bytes]:
    """A page's text and its words with boxes (TSV) from one Tesseract run (half the cost of
    asking for each apart). Tesseract is told the
    image's resolution, as a scanner's file tells it: left to guess it from the text, it
    guesses low on a form's small print and then drops or garbles most of its values."""
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "page"
        image.save(page.with_suffix(".png"))
        _run(["tesseract", str(page.with_suffix(".png")), str(page), *TESSERACT, "--dpi", str(dpi), "txt", "tsv"])
        return page.with_suffix(".txt").read_bytes(), page.with_suffix(".tsv").read_bytes()


class _Reading:
    """One PDF's page images and Tesseract's reading of them, made once for the classes that
    share them (ocr300 and cells read the same 300 dpi pages)."""

    def __init__(self, pdf: bytes) -> None:
        self.pdf = pdf
        self._pages: dict[int, list[Any]] = {}
        self._read: dict[int, list[tuple[bytes, bytes]]] = {}

    def pages(self, dpi: int) -> list[Any]:
        if dpi not in self._pages:
            self._pages[dpi] = _pages(self.pdf, dpi)
        return self._pages[dpi]

    def _read_all(self, dpi: int) -> list[tuple[bytes, bytes]]:
        if dpi not in self._read:
            self._read[dpi] = [_tesseract_both(page, dpi) for page in self.pages(dpi)]
        return self._read[dpi]

    def text(self, dpi: int) -> bytes:
        """The pages' text, a form feed between pages."""
        return b"\f".join(text for text, _ in self._read_all(dpi))

    def words(self, dpi: int) -> list[tuple[Any, bytes]]:
        """Each page's image and Tesseract's TSV of it."""
        return [(page, tsv) for page, (_, tsv) in zip(self.pages(dpi), self._read_all(dpi), strict=True)]


def _scan(reading: _Reading, rng: random.Random) -> tuple[bytes, dict[str, Any]]:
    """The pages as a scanner returns them: 200 dpi grey, turned, blurred, noisy, JPEG."""
    import numpy as np
    from PIL import Image, ImageFilter

    angle, blur, noise, quality = rng.uniform(-1.2, 1.2), rng.uniform(0.3, 1.0), rng.uniform(4, 14), rng.randint(35, 75)
    noisy = np.random.default_rng(rng.randrange(2**32))
    pages = []
    for page in reading.pages(200):
        turned = page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255, expand=False)
        pixels = np.asarray(turned.filter(ImageFilter.GaussianBlur(blur)), dtype=np.float32)
        pixels += noisy.normal(0, noise, pixels.shape)
        grey = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
        buffer = io.BytesIO()
        grey.save(buffer, format="JPEG", quality=quality)
        pages.append(Image.open(io.BytesIO(buffer.getvalue())))
    out = io.BytesIO()
    fixed = {"creationDate": _EPOCH, "modDate": _EPOCH}  # the same bytes for the same seed
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=200.0, **fixed)
    return out.getvalue(), {"angle": round(angle, 3), "blur": round(blur, 3), "noise": round(noise, 2),
                            "jpeg_quality": quality}


def _cells(reading: _Reading, rng: random.Random) -> bytes:
    """OCR cut into table cells as the seed is: each visual row one line, a tab wherever a
    grid line falls between words, a word crossing a grid line torn there, and some
    footnote marks broken ("⁽ 1)")."""
    lines_out: list[str] = []
    for page, tsv in reading.words(OCR_DPI["cells"]):
        rules = _vertical_rules(page)
        rows: dict[tuple[int, int, int], list[tuple[int, int, int, str]]] = {}
        for record in tsv.decode().splitlines()[1:]:
            cols = record.split("\t")
            if len(cols) < 12 or not cols[11].strip():
                continue
            key = (int(cols[2]), int(cols[3]), int(cols[4]))  # block, paragraph, line
            middle = int(cols[7]) + int(cols[9]) // 2
            rows.setdefault(key, []).append((int(cols[6]), int(cols[8]), middle, cols[11]))
        for words in sorted(rows.values(), key=lambda w: (min(x[2] for x in w), w[0][0])):
            middle = sorted(x[2] for x in words)[len(words) // 2]
            lines_out.append(_cut(sorted(words), _rules_at(rules, middle), rng))
        lines_out.append("")
    return "\n".join(lines_out).encode()


def _vertical_rules(page: Any, length: int = 45) -> Any:
    """Where the page has a vertical grid line: a boolean image, true on every pixel of a dark
    vertical run at least ``length`` pixels long (text strokes are shorter)."""
    import numpy as np

    ink = (np.asarray(page) < 140).astype(np.int32)
    total = np.vstack([np.zeros((1, ink.shape[1]), np.int32), np.cumsum(ink, axis=0)])
    starts = (total[length:] - total[:-length]) == length  # a full run begins here
    covered = np.vstack([np.zeros((1, starts.shape[1]), np.int32), np.cumsum(starts, axis=0, dtype=np.int32)])
    height = ink.shape[0]
    upto = np.minimum(np.arange(height) + 1, starts.shape[0])
    back = np.maximum(np.arange(height) - length + 1, 0)
    return (covered[upto] - covered[np.minimum(back, starts.shape[0])]) > 0


def _rules_at(rules: Any, y: int) -> list[int]:
    """The x of each grid line crossing row ``y`` (a line a few pixels thick counts once)."""
    xs = [int(x) for x in rules[min(max(y, 0), rules.shape[0] - 1)].nonzero()[0]]
    return [x for i, x in enumerate(xs) if i == 0 or x - xs[i - 1] > 3]


def _cut(words: list[tuple[int, int, int, str]], grid: list[int], rng: random.Random) -> str:
    out = ""
    last = -1
    for left, width, _, text in words:
        crossing = [g for g in grid if left + 3 < g < left + width - 3]
        if crossing and len(text) > 2:  # torn where the grid line crosses it
            at = max(1, min(len(text) - 1, round(len(text) * (crossing[0] - left) / width)))
            text = text[:at] + "\t" + text[at:]
        between = sum(1 for g in grid if last < g <= left)
        out += ("\t" * between if between and out else (" " if out else "")) + text
        last = left + width
    if rng.random() < 0.3:
        out = out.replace("(1)", "\u207d 1)").replace("(2)", "(2")
    return out


_EPOCH = time.gmtime(946_684_800)  # 2000-01-01, the date every scan is stamped with


def render(job: Job) -> list[dict[str, Any]]:
    """Every class of ``job`` that is not yet in its folder; the manifest lines of those made."""
    out = Path(job.out)
    rng = random.Random(f"{job.seed}:{job.name}")
    filing, changes = varied(Filing.from_dict(job.record), rng)
    counts = {"I": len(filing.non_derivative_transactions) + len(filing.non_derivative_holdings),
              "II": len(filing.derivative_transactions) + len(filing.derivative_holdings)}
    variant = Variant.random(rng, counts)
    spoil_seed = rng.randrange(2**32)
    typed_style = rng.choice(["pipes", "aligned"]), rng.random() < 0.5
    truth = out / "truth" / f"{job.name}.json"
    if not truth.exists():
        truth.write_text(json.dumps(visible(filing), indent=1, default=str))
    page = render_html(filing)
    html = styled_html(page, variant)
    # the OCR classes and scans start from the print a person would OCR: the same page, its
    # smallest data text printed at a legible size (the other classes keep the variant's print)
    ocr_variant = variant.legible()
    pdf: bytes | None = None
    reading: _Reading | None = None
    made = []
    for kind in job.classes:
        target = out / f"{job.name}.{kind}.{SUFFIX.get(kind, 'txt')}"
        if target.exists():
            continue
        extra: dict[str, Any] = {}
        if kind in OCR_CLASSES and reading is None:
            if ocr_variant == variant:  # the variant's own print is legible: one print for every class
                pdf = pdf or _pdf(html, variant)
                reading = _Reading(pdf)
            else:
                reading = _Reading(_pdf(styled_html(page, ocr_variant), ocr_variant))
        elif kind not in OCR_CLASSES and kind not in ("html", "typed") and pdf is None:
            pdf = _pdf(html, variant)
        spoil = random.Random(f"{spoil_seed}:{kind}")
        if kind == "html":
            data = html.encode()
        elif kind == "pdf":
            data = pdf or b""
        elif kind in ("layout", "raw"):
            data = _pdftotext(pdf or b"", kind)
        elif kind in ("ocr300", "ocr200"):
            data, extra = reading.text(OCR_DPI[kind]) if reading else b"", {"ocr": ocr_call(kind)}
        elif kind == "scan":
            data, extra = _scan(reading, spoil) if reading else (b"", {})
        elif kind == "cells":
            data, extra = _cells(reading, spoil) if reading else b"", {"ocr": ocr_call(kind)}
        else:
            style, wrapped = typed_style
            text = typed_form(filing, style)
            number = zlib.crc32(job.name.encode()) % 10**6  # not hash(): it differs between processes
            data = (in_submission(text, filing, f"0000950{job.seed % 1000:03d}-02-{number:06d}")
                    if wrapped else text).encode()
            extra = {"typed_style": style, "in_submission": wrapped}
        target.write_bytes(data)
        made.append({"name": job.name, "class": kind, "file": target.name, "seed": job.seed, "source": job.source,
                     "changes": changes, "variant": (ocr_variant if kind in OCR_CLASSES else variant).parameters(),
                     **extra})
    return made


# --- the set ------------------------------------------------------------------------------

def jobs(records: list[tuple[str, Filing]], count: int, seed: int, classes: tuple[str, ...],
         out: Path) -> Iterator[Job]:
    rng = random.Random(seed)
    for index in range(count):
        source, filing = records[rng.randrange(len(records))] if index >= len(records) else records[index]
        yield Job(f"lossy-{seed}-{index:05d}", source, filing.to_dict(), seed, classes, str(out))


def build(out: Path, records: list[tuple[str, Filing]], count: int, seed: int, classes: tuple[str, ...],
          workers: int) -> int:
    """Renders the set into ``out`` and appends what was made to its manifest."""
    from rich.progress import Progress

    (out / "truth").mkdir(parents=True, exist_ok=True)
    todo = list(jobs(records, count, seed, classes, out))
    made = 0
    with Progress() as progress, (out / "manifest.jsonl").open("a") as manifest:
        task = progress.add_task(f"rendering {len(todo)} x {','.join(classes)}", total=len(todo))
        if workers <= 1:
            results: Iterator[list[dict[str, Any]]] = (render(job) for job in todo)
        else:
            pool = ProcessPoolExecutor(workers)
            results = (f.result() for f in as_completed([pool.submit(render, job) for job in todo]))
        for lines in results:
            for line in lines:
                manifest.write(json.dumps(line, default=str) + "\n")
            made += len(lines)
            progress.advance(task)
        if workers > 1:
            pool.shutdown()
        else:
            close_printer()
    return made


def measure(out: Path, classes: tuple[str, ...], limit: dict[str, int]) -> dict[str, tuple[int, int, int]]:
    """Each class's (renderings, fields, fields read wrong): form4's readers on its outputs."""
    from rich.progress import Progress

    result: dict[str, tuple[int, int, int]] = {}
    with Progress() as progress:
        for kind in classes:
            files = sorted(out.glob(f"*.{kind}.{SUFFIX.get(kind, 'txt')}"))[: limit.get(kind, 100)]
            task = progress.add_task(f"reading {kind}", total=len(files))
            total = wrong = 0
            for path in files:
                truth = json.loads((out / "truth" / f"{path.name.split('.')[0]}.json").read_text())
                try:
                    record = form4.read(path).to_dict()
                except form4.errors.Form4Error:
                    record = {}
                total += sum(1 for _ in leaves(truth))
                wrong += len(mismatches(truth, record))
                progress.advance(task)
            result[kind] = (len(files), total, wrong)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--from", dest="source", type=Path, help="a folder of XML filings (default: the corpus' "
                        "real-* filings)")
    parser.add_argument("--generate", type=int, default=0, help="generate N records instead")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--classes", default="html,pdf,layout,raw,typed")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--measure", action="store_true", help="read the outputs back and print accuracy by class")
    args = parser.parse_args(argv)
    classes = tuple(c.strip() for c in args.classes.split(",") if c.strip())
    unknown = set(classes) - set(CLASSES)
    if unknown:
        parser.error(f"unknown classes {', '.join(sorted(unknown))}: choose from {','.join(CLASSES)}")
    tools = {"layout": "pdftotext", "raw": "pdftotext", "ocr300": "tesseract", "ocr200": "tesseract",
             "cells": "tesseract", "scan": "pdftoppm"}
    missing = sorted({tools[c] for c in classes if c in tools and shutil.which(tools[c]) is None})
    if missing:
        parser.error(f"{', '.join(missing)} not found: install poppler-utils and tesseract-ocr")
    started = time.perf_counter()
    records = source_records(args.source, args.generate, args.seed)
    made = build(args.out, records, args.count, args.seed, classes, args.jobs)
    print(f"made {made} outputs in {time.perf_counter() - started:.1f} s ({args.out})")
    if args.measure:
        limits = {c: 10 if c in OCR_CLASSES else 100 for c in classes}
        for kind, (files, total, wrong) in measure(args.out, classes, limits).items():
            share = 1 - wrong / total if total else 0.0
            print(f"{kind:8} {files:4} renderings  {total:6} fields  {wrong:5} wrong  {share:7.2%} right")
    counted = Counter(json.loads(line)["class"] for line in (args.out / "manifest.jsonl").open())
    print("manifest:", dict(counted))


if __name__ == "__main__":
    main()
