"""Field accuracy of form4.read per input class, on the corpus (issue 5's table) or on the lossy
test set (issue 26: renderings the readers were never tuned on).

    python benchmarks/bench_accuracy.py [--corpus ../shared/corpus] [--seed ../shared/seeds/...]
    python benchmarks/bench_accuracy.py --set dev|test|both [--classes html,pdf,...] [--sample scan=40] [--jobs J]
    python benchmarks/bench_accuracy.py --set dev --classes raw --misses 15   # where the flags miss

On the corpus, for each class (xml, txt against expected/; html, pdf, pdfimg and the text
extractions against expected-visible/); on the set (tests/lossy-set, see
benchmarks/lossy_set.py: html, pdf and scan must be built first with ``lossy_set.py build``),
for each class of rendering. Prints, as a Markdown table: files, files that failed to read,
fields, fields exact, the share of the wrong fields that the record flagged and the share of
the right ones it flagged too (flagged: a warning on the field or a confidence below 0.9,
form4.compare.flagged), and files/s (one process's: the time spent in form4.read). ``--misses N``
adds, under each class, the N commonest fields (paths with row numbers dropped) that were wrong
and not flagged, and right and flagged: where confidence has to improve (on the dev set only).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import form4
from form4.compare import flagged, leaves, lookup, same
from form4.parse import read  # form4.read, typed (the package's names are lazy)

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"
CLASSES = {
    "xml": ("xml/*.xml", "expected"), "txt": ("txt/*", "expected"),
    "html": ("html/*.html", "expected-visible"), "pdf": ("pdf/*.pdf", "expected-visible"),
    "pdfimg": ("pdfimg/*.pdf", "expected-visible"),
    **{c: (f"text/*.{c}.txt", "expected-visible") for c in ("layout", "raw", "ocr300", "ocr200", "cells")},
}


@dataclasses.dataclass
class Score:
    """What form4.read made of some files, against their truth."""

    files: int = 0
    failed: int = 0
    fields: int = 0
    exact: int = 0
    wrong_flagged: int = 0
    right_flagged: int = 0
    seconds: float = 0.0
    missed: Counter[str] = dataclasses.field(default_factory=Counter)  # wrong and not flagged, by field
    needless: Counter[str] = dataclasses.field(default_factory=Counter)  # right and flagged, by field

    def __iadd__(self, other: Score) -> Score:
        for field in dataclasses.fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))
        return self

    @property
    def accuracy(self) -> float:
        return self.exact / self.fields if self.fields else 0.0

    def row(self, name: str) -> str:
        wrong, right = self.fields - self.exact, self.exact
        return (f"| {name} | {self.files} | {self.failed} | {self.fields} | {self.accuracy:.2%} | "
                f"{_share(self.wrong_flagged, wrong)} | {_share(self.right_flagged, right)} | "
                f"{_rate(self.files / self.seconds if self.seconds else 0.0)} |")

    def misses(self, top: int) -> list[str]:
        return [f"  {what}: " + ", ".join(f"{path} {count}" for path, count in counter.most_common(top))
                for what, counter in (("wrong, not flagged", self.missed), ("right, flagged", self.needless))]


HEADER = ("| class | files | failed | fields | exact | wrong flagged | right flagged | files/s |\n"
          "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")


def _rate(per_second: float) -> str:
    return f"{per_second:,.0f}" if per_second >= 10 else f"{per_second:.2f}"


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%} ({part}/{whole})" if whole else "-"


def judge_file(source: Path, truth: Path) -> Score:
    """One file read and judged field by field; a file that cannot be read has every field wrong
    and unflagged (a reader that crashes counts as failed too, named on standard error)."""
    score = Score(files=1)
    start = time.perf_counter()
    got: dict[str, Any] | None
    try:
        got = read(source).to_dict()
    except form4.ReadError:
        got, score.failed = None, 1
    except Exception as error:  # a crash on an unseen input is a finding, not the end of the run
        print(f"{source}: {type(error).__name__}: {error}", file=sys.stderr)
        got, score.failed = None, 1
    score.seconds = time.perf_counter() - start
    for path, value in leaves(json.loads(truth.read_text())):
        score.fields += 1
        found, actual = lookup(got, path) if got is not None else (False, None)
        right = found and same(value, actual)
        score.exact += right
        marked = got is not None and flagged(got, path)
        score.right_flagged += right and marked
        score.wrong_flagged += not right and marked
        if right == marked:
            (score.needless if right else score.missed)[_ROW.sub("[]", path)] += 1
    return score


_ROW = re.compile(r"\[\d+\]")


def _judge_pair(pair: tuple[Path, Path]) -> Score:
    return judge_file(*pair)


def judge(files: Iterable[tuple[Path, Path]], jobs: int = 1) -> Score:
    """The files (source, truth) read and judged, on ``jobs`` processes."""
    total = Score()
    if jobs <= 1:
        for pair in files:
            total += judge_file(*pair)
        return total
    with ProcessPoolExecutor(jobs) as pool:
        for score in pool.map(_judge_pair, list(files), chunksize=4):
            total += score
    return total


def corpus_table(corpus: Path, seed: Path) -> list[str]:
    runs = {name: [(p, corpus / truth / f"{p.name.split('.')[0]}.json") for p in sorted(corpus.glob(pattern))]
            for name, (pattern, truth) in CLASSES.items()}
    runs["seed"] = [(seed, seed.with_name(seed.stem + ".expected.json"))]
    lines = [HEADER]
    for name, files in runs.items():
        present = [(p, t) for p, t in files if t.exists()]
        if present:
            lines.append(judge(present).row(name))
    return lines


def set_table(which: str, classes: Iterable[str], jobs: int, sample: dict[str, int], misses: int = 0) -> list[str]:
    """One row per class of the lossy set ``which`` (``sample``: the classes scored on a
    stratified sample of that many renderings); a class not built says so."""
    from lossy_set import entries, folder, stratified

    lines = [HEADER]
    for kind in classes:
        chosen = [e for e in entries(which) if e["class"] == kind]
        if kind in sample:
            chosen = stratified(chosen, sample[kind])
        files = [(folder(which) / e["file"], folder(which) / "truth" / f"{e['name']}.json") for e in chosen]
        present = [(p, t) for p, t in files if p.exists()]
        if len(present) < len(files):
            print(f"{which} {kind}: {len(files) - len(present)} of {len(files)} not built "
                  "(python benchmarks/lossy_set.py build)", file=sys.stderr)
        if present:
            score = judge(present, jobs)
            lines.append(score.row(kind))
            if misses:
                print(f"{which} {kind}:", *score.misses(misses), sep="\n", file=sys.stderr)
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    ap.add_argument("--seed", type=Path, default=SHARED / "seeds" / "000_47b33eeacef7bd42.txt")
    ap.add_argument("--set", choices=("dev", "test", "both"), help="the lossy set instead of the corpus")
    ap.add_argument("--classes", default="html,pdf,layout,raw,ocr300,ocr200,scan,cells,typed",
                    help="the set's classes to score")
    ap.add_argument("--jobs", type=int, default=1, help="processes reading the set")
    ap.add_argument("--sample", default="", metavar="CLASS=N,...",
                    help="score these classes on N renderings each (e.g. scan=40: Tesseract costs seconds a page)")
    ap.add_argument("--misses", type=int, default=0, metavar="N",
                    help="print (to standard error) each class's N commonest unflagged wrong and flagged right fields")
    args = ap.parse_args()
    if args.set is None:
        print("\n".join(corpus_table(args.corpus, args.seed)))
        return 0
    sys.path.insert(0, str(HERE))  # lossy_set, beside this file
    classes = [c.strip() for c in args.classes.split(",") if c.strip()]
    sample = {kind: int(count) for kind, _, count in (p.partition("=") for p in args.sample.split(",") if p)}
    for which in ("dev", "test") if args.set == "both" else (args.set,):
        print(f"\n**{which} set**\n")
        print("\n".join(set_table(which, classes, args.jobs, sample, args.misses)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
