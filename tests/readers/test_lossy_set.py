"""The readers on the lossy test set (tests/lossy-set/test: renderings of filings they were never
tuned on; see benchmarks/lossy_set.py), and the set's integrity.

Each class is scored on a fixed stratified sample of the test set: the text renderings as
committed, HTML drawn again from the manifest (no browser needed), PDF and scans drawn again
with chromium (a few: a browser print each, and Tesseract on the scans' pages). The floors sit
just under the sample's score measured on the date beside them, with the full test set's score
(benchmarks/bench_accuracy.py --set test) beside it: a reader may only get better.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from benchmarks import lossy_set
from benchmarks.bench_accuracy import Score, judge

from form4.writers.pdf import CHROMIUM

# class: (renderings scored, None for all of the test set's; floor of fields exact), set just
# under the score measured on 2026-12-08 for OCR, 2026-12-07 for the others (in the comment: that
# score, and the whole test set's where only a sample is scored).
FLOORS: dict[str, tuple[int | None, float]] = {
    "html": (200, 1.0),  # 100.00 % (the whole test set 100.00 %)
    "layout": (None, 0.9935),  # 99.36 %
    "raw": (None, 0.996),  # 99.62 %
    "typed": (None, 0.999),  # 99.97 %
    "ocr300": (None, 0.859),  # 85.99 % (legible prints, Tesseract told the resolution)
    "ocr200": (None, 0.849),  # 84.99 %
    "cells": (None, 0.853),  # 85.36 %
    "pdf": (40, 0.999),  # 99.94 % (the whole test set 99.84 %)
    "scan": (2, 0.935),  # 93.67 % (8 of the test set's scans, legible prints: 85.66 %)
}
# class: (share of its wrong fields flagged at least, share of its right fields flagged at most),
# measured on 2026-12-08 (issue 26 §3 asks 90 % and 2 %, 15 % on OCR): flags may only get better
# (a reading that mends fields the flags had caught lowers the share of wrong fields flagged: on
# 2026-12-08 ocr200's fell 72 -> 70 % while its wrong fields left unflagged fell from about 1,150 to 1,062)
FLAGS: dict[str, tuple[float, float]] = {
    "layout": (0.80, 0.020),  # 80.9 %, 1.93 %
    "raw": (0.84, 0.011),  # 85.2 %, 1.05 %
    "typed": (0.99, 0.002),  # 100 %, 0.16 %
    "ocr300": (0.69, 0.153),  # 69.8 %, 15.3 %
    "ocr200": (0.69, 0.143),  # 69.8 %, 14.2 %
    "cells": (0.77, 0.171),  # 77.5 %, 17.0 %
}
DRAWN = {"html": False, "pdf": True, "scan": True}  # drawn again for the test; True: needs chromium


def _sample(kind: str) -> list[dict[str, Any]]:
    lines = [e for e in lossy_set.entries("test") if e["class"] == kind]
    sample = FLOORS[kind][0]
    return lines if sample is None else lossy_set.stratified(lines, sample)


def _score(kind: str, folder: Path) -> Score:
    chosen = _sample(kind)
    if kind in DRAWN:  # into a scratch folder: the set's own folder is the user's
        (folder / "truth").mkdir(parents=True, exist_ok=True)
        lossy_set.render_all(list(lossy_set.jobs_for("test", chosen, folder)), workers=1)
    else:
        folder = lossy_set.folder("test")
    return judge((folder / e["file"], folder / "truth" / f"{e['name']}.json") for e in chosen)


def _needs(kind: str) -> list[Any]:
    marks: list[Any] = []
    if DRAWN.get(kind) and not Path(CHROMIUM).exists():
        marks.append(pytest.mark.skip(reason="needs chromium"))
    if kind == "scan":  # drawn with pdftoppm, read with Tesseract
        missing = shutil.which("tesseract") is None or shutil.which("pdftoppm") is None
        marks += [pytest.mark.ocr, pytest.mark.skipif(missing, reason="needs tesseract and poppler-utils")]
    return marks


@pytest.mark.parametrize("kind", [pytest.param(k, marks=_needs(k)) for k in FLOORS])
def test_each_class_reads_the_test_set_at_least_as_well_as_measured(kind: str, tmp_path: Path) -> None:
    sample, floor = FLOORS[kind]
    score = _score(kind, tmp_path)
    present = sum(e["class"] == kind for e in lossy_set.entries("test"))
    assert score.files == (present if sample is None else min(sample, present))
    assert score.accuracy >= floor, f"{kind}: {score.exact}/{score.fields} fields exact, floor {floor:.2%}"
    if kind in FLAGS:
        least, most = FLAGS[kind]
        wrong, right = score.fields - score.exact, score.exact
        assert score.wrong_flagged >= least * wrong, f"{kind}: {score.wrong_flagged} of {wrong} wrong fields flagged"
        assert score.right_flagged <= most * right, f"{kind}: {score.right_flagged} of {right} right fields flagged"


def test_every_rendering_has_its_truth_its_source_and_its_committed_text() -> None:
    for which in lossy_set.SETS:
        folder, records = lossy_set.folder(which), lossy_set.sources(which)
        lines = lossy_set.entries(which)
        assert lines, f"{which}: an empty manifest"
        for line in lines:
            assert (folder / "truth" / f"{line['name']}.json").is_file(), f"{which}/{line['name']}: no truth"
            assert line["source"] in records, f"{which}/{line['name']}: its source record is missing"
            if line["class"] in lossy_set.TEXT:
                assert (folder / line["file"]).is_file(), f"{which}/{line['file']}: not committed"


def test_dev_and_test_share_no_source_and_follow_the_split_rule() -> None:
    families = {which: {e["family"] for e in lossy_set.entries(which)} for which in lossy_set.SETS}
    names = {which: {e["name"] for e in lossy_set.entries(which)} for which in lossy_set.SETS}
    records = {which: set(lossy_set.sources(which)) for which in lossy_set.SETS}
    assert not families["dev"] & families["test"]
    assert not names["dev"] & names["test"] and not records["dev"] & records["test"]
    for which, named in families.items():
        assert {lossy_set.split_of(f) for f in named} == {which}


def test_each_class_has_its_size_and_the_test_set_at_least_two_fifths() -> None:
    least = {"html": 1000, "pdf": 1000, "layout": 1000, "raw": 1000, "typed": 300,
             "ocr300": 300, "ocr200": 300, "scan": 300, "cells": 300}
    for kind, count in least.items():
        dev, test = (sum(e["class"] == kind for e in lossy_set.entries(w)) for w in lossy_set.SETS)
        assert dev + test >= count and test >= 0.4 * (dev + test), f"{kind}: dev {dev}, test {test}"


def test_the_typed_renderings_and_truth_are_drawn_again_byte_for_byte() -> None:
    # typed forms need no browser or OCR: their bytes depend on form4 and the manifest alone
    assert lossy_set.check(["test"], ["typed"], sample=5, workers=1) == []
