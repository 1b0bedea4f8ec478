"""Field accuracy of form4.read per input class on the corpus (issue 5's table).

    python benchmarks/bench_accuracy.py [--corpus ../shared/corpus] [--seed ../shared/seeds/...]

For each class (xml, txt against expected/; html, pdf, pdfimg and the text extractions
against expected-visible/) prints files, files that failed to read, fields exact, the share
of wrong fields that the record flagged, and files/s, as a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import form4
from form4.compare import flagged, leaves, lookup, same

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"
CLASSES = {
    "xml": ("xml/*.xml", "expected"), "txt": ("txt/*", "expected"),
    "html": ("html/*.html", "expected-visible"), "pdf": ("pdf/*.pdf", "expected-visible"),
    "pdfimg": ("pdfimg/*.pdf", "expected-visible"),
    **{c: (f"text/*.{c}.txt", "expected-visible") for c in ("layout", "raw", "ocr300", "ocr200", "cells")},
}


def judge(files: list[tuple[Path, Path]]) -> tuple[int, int, int, int, float]:
    checked = exact = wrong_flagged = failed = 0
    start = time.perf_counter()
    for source, truth in files:
        try:
            got = form4.read(source).to_dict()
        except form4.ReadError:
            got, failed = None, failed + 1
        for path, value in leaves(json.loads(truth.read_text())):
            checked += 1
            found, actual = lookup(got, path) if got is not None else (False, None)
            if found and same(value, actual):
                exact += 1
            elif got is not None and flagged(got, path):
                wrong_flagged += 1
    return checked, exact, wrong_flagged, failed, time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    ap.add_argument("--seed", type=Path, default=SHARED / "seeds" / "000_47b33eeacef7bd42.txt")
    args = ap.parse_args()
    print("| class | files | failed | fields exact | wrong flagged | files/s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    runs = {name: [(p, args.corpus / truth / f"{p.name.split('.')[0]}.json")
                   for p in sorted(args.corpus.glob(pattern))] for name, (pattern, truth) in CLASSES.items()}
    runs["seed"] = [(args.seed, args.seed.with_name(args.seed.stem + ".expected.json"))]
    for name, files in runs.items():
        files = [(p, t) for p, t in files if t.exists()]
        if not files:
            continue
        checked, exact, wrong_flagged, failed, secs = judge(files)
        wrong = checked - exact
        print(f"| {name} | {len(files)} | {failed} | {exact}/{checked} = {exact / checked:.4f} | "
              f"{wrong_flagged / wrong if wrong else 1:.2f} | {len(files) / secs:,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
