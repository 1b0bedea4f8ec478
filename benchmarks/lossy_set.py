"""The lossy test set: renderings of filings the readers were never tuned on, split once into a
development set (look at it) and a test set (only score it).

    python benchmarks/lossy_set.py make [--staging DIR] [--jobs J]     # once: render and split
    python benchmarks/lossy_set.py split [--staging DIR]               # split what make has made so far
    python benchmarks/lossy_set.py build [--set dev|test|both] [--classes html,pdf,scan] [--jobs J]
    python benchmarks/lossy_set.py check [--set ...] [--sample N] [--classes ...]
    python benchmarks/lossy_set.py redraw [--set ...] [--classes ...] [--jobs J]
    python benchmarks/lossy_set.py stats

Source records are the corpus' real filings (``xml/real-*``) and one generated record per corpus
filing (``bench_reports.generated``: the filing moved in time to a new issuer and new owners'
CIKs). A record's *family* is the corpus filing it comes from (a real filing is its own, a
generated one its base), and the split is by family: ``test`` when the first 8 hex digits of
SHA-256("split:" + family) are below half their range, else ``dev``. A hash of the name, not a random
state, so the rule never changes with the set's size; by family, not by record, so a generated
copy of a real filing (same rows, titles, names and footnotes) never sits on the other side of
that filing. Half and half: the test set must resolve the targets of 99.5 % (many fields per
class), and half a set is plenty to find out what the readers get wrong.

Each set lives in tests/lossy-set/{dev,test}/: ``manifest.jsonl`` (generate_lossy's lines),
``sources.jsonl`` (the records the renderings start from, so a rebuild needs neither the corpus
nor today's XML reader), ``truth/NAME.json`` and the text renderings (layout, raw, ocr300,
ocr200, cells, typed). HTML, PDF and scans are not committed: ``build`` draws them again from
the manifest with generate_lossy's ``render`` (the same bytes for the same chromium, poppler,
Tesseract and Pillow); ``check`` draws a sample of the committed text renderings again and
compares the bytes; ``redraw`` draws again the renderings whose manifest says they were printed
otherwise than generate_lossy prints them now (the OCR classes and scans start from
``Variant.legible``, the print a person would OCR: the same page with its smallest data text at
a legible size) and replaces their files and manifest lines, one rendering at a time, so that an
interrupted redraw leaves a consistent set.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # generate_lossy and bench_reports, beside this file

import generate_lossy as gen  # noqa: E402
from form4.model import Filing  # noqa: E402
from form4.writers.variants import Variant  # noqa: E402

SET = HERE.parent / "tests" / "lossy-set"
SETS = ("dev", "test")
SEED = 26
FAST = ("html", "pdf", "layout", "raw", "typed")
SLOW = ("ocr300", "ocr200", "cells", "scan")
TEXT = ("layout", "raw", "ocr300", "ocr200", "cells", "typed")  # committed
BUILT = ("html", "pdf", "scan")  # drawn again from the manifest
RENDERINGS = 1020  # html, pdf, layout, raw and typed of each
OCR_RENDERINGS = 330  # also ocr300, ocr200, cells and scan: the first ones
TYPED_RENDERINGS = 700  # typed kept of the first ones only: the set stays under 60 MB of text


def split_of(family: str) -> str:
    """``test`` or ``dev``: decided by the family's name alone. Salted, so that it owes nothing
    to the order renderings take records in (by the unsalted hash of their names)."""
    return "test" if int(hashlib.sha256(f"split:{family}".encode()).hexdigest()[:8], 16) < 0x80000000 else "dev"


# --- making the set, once ------------------------------------------------------------------

def source_records() -> list[tuple[str, str, Filing]]:
    """(name, family, record) of every source record, in the order renderings take them: by
    the hash of the name, so the first renderings (those with OCR classes) mix real and
    generated records."""
    bases = sorted(p.name for p in (gen.CORPUS / "xml").glob("*.xml"))
    real = [(name, name, record) for name, record in gen.source_records(None, 0, SEED)]
    made = gen.source_records(None, 2000, SEED)[: len(bases)]
    # bench_reports.generated moves the corpus' filings in their sorted order, one a record
    generated = [(name, bases[index % len(bases)], record) for index, (name, record) in enumerate(made)]
    return sorted(real + generated, key=lambda r: hashlib.sha256(r[0].encode()).hexdigest())


def make(staging: Path, workers: int) -> None:
    """Renders the set into ``staging`` (kept: a second run only adds what is missing), then
    splits it into tests/lossy-set/{dev,test}."""
    records = source_records()
    pairs = [(name, record) for name, _, record in records]
    for count, classes in ((RENDERINGS, FAST), (OCR_RENDERINGS, SLOW)):
        started = time.perf_counter()
        made = gen.build(staging, pairs, count, SEED, classes, workers)
        print(f"{','.join(classes)}: made {made} outputs in {time.perf_counter() - started:.0f} s", flush=True)
    split(staging, {name: (family, record) for name, family, record in records})


def split(staging: Path, records: dict[str, tuple[str, Filing]] | None = None) -> None:
    """Copies the staging folder's renderings, truth and records into the two sets."""
    if records is None:
        records = {name: (family, record) for name, family, record in source_records()}
    text = (staging / "manifest.jsonl").read_text()
    if not text.endswith("\n"):  # a make still writing: its last line is not whole yet
        text = text[: text.rfind("\n") + 1]
    lines = [json.loads(line) for line in text.splitlines()]
    by_set: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in sorted(lines, key=lambda m: (m["name"], gen.CLASSES.index(m["class"]))):
        if line["class"] == "typed" and int(line["name"].rsplit("-", 1)[1]) >= TYPED_RENDERINGS:
            continue
        line["family"] = records[line["source"]][0]
        by_set[split_of(line["family"])].append(line)
    for which in SETS:  # the split is the set's only author: nothing of an earlier one stays
        shutil.rmtree(SET / which, ignore_errors=True)
    for which, chosen in by_set.items():
        into = SET / which
        (into / "truth").mkdir(parents=True)
        for line in chosen:
            shutil.copyfile(staging / line["file"], into / line["file"])
            shutil.copyfile(staging / "truth" / f"{line['name']}.json", into / "truth" / f"{line['name']}.json")
        (into / "manifest.jsonl").write_text("".join(json.dumps(m, default=str) + "\n" for m in chosen))
        used = sorted({m["source"] for m in chosen})
        (into / "sources.jsonl").write_text("".join(
            json.dumps({"source": s, "family": records[s][0], "record": records[s][1].to_dict()}, default=str) + "\n"
            for s in used))
        print(f"{which}: {dict(Counter(m['class'] for m in chosen))}")


# --- the set as committed ------------------------------------------------------------------

def folder(which: str) -> Path:
    return SET / which


def entries(which: str) -> list[dict[str, Any]]:
    """The manifest lines of the set ``which`` (one a rendering of one class)."""
    path = folder(which) / "manifest.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def sources(which: str) -> dict[str, dict[str, Any]]:
    """The set's source records by name, as dictionaries (Filing.from_dict reads them)."""
    path = folder(which) / "sources.jsonl"
    return {line["source"]: line["record"] for line in map(json.loads, path.read_text().splitlines())}


def jobs_for(which: str, chosen: Iterable[dict[str, Any]], out: Path) -> Iterator[gen.Job]:
    """generate_lossy's jobs that draw the ``chosen`` manifest lines again into ``out``: one per
    rendering, with the classes asked of it (the PDF is printed once for all of them)."""
    records = sources(which)
    classes: dict[str, list[str]] = defaultdict(list)
    first: dict[str, dict[str, Any]] = {}
    for line in chosen:
        classes[line["name"]].append(line["class"])
        first.setdefault(line["name"], line)
    for name, kinds in classes.items():
        line = first[name]
        yield gen.Job(name, line["source"], records[line["source"]], line["seed"], tuple(kinds), str(out))


def render_all(todo: list[gen.Job], workers: int) -> None:
    if workers <= 1 or len(todo) <= 1:
        for job in todo:
            gen.render(job)
        gen.close_printer()
        return
    with ProcessPoolExecutor(workers) as pool:
        for _ in pool.map(gen.render, todo):
            pass


def build(sets: Iterable[str], classes: Iterable[str], workers: int) -> int:
    """Draws the set's renderings of ``classes`` that are missing from its folder; how many."""
    wanted = set(classes)
    count = 0
    for which in sets:
        missing = [e for e in entries(which) if e["class"] in wanted and not (folder(which) / e["file"]).exists()]
        render_all(list(jobs_for(which, missing, folder(which))), workers)
        count += len(missing)
    return count


def stale(line: dict[str, Any]) -> bool:
    """Whether the manifest line's rendering was made otherwise than render makes it now: an OCR
    class or scan drawn from a print whose data text is too small to be what people OCR, or
    text read by another Tesseract call."""
    if line["class"] not in gen.OCR_CLASSES:
        return False
    printed = Variant(**line["variant"])
    read_otherwise = line["class"] in gen.OCR_DPI and line.get("ocr") != gen.ocr_call(line["class"])
    return printed.legible() != printed or read_otherwise


def _replace_lines(which: str, made: list[dict[str, Any]]) -> None:
    """Puts ``made`` (render's lines) in place of the set's lines of the same rendering and class."""
    new = {(m["name"], m["class"]): m for m in made}
    lines = []
    for line in entries(which):
        again = new.get((line["name"], line["class"]))
        lines.append(line if again is None else {**again, "family": line["family"]})
    path = folder(which) / "manifest.jsonl"
    path.with_suffix(".tmp").write_text("".join(json.dumps(m, default=str) + "\n" for m in lines))
    path.with_suffix(".tmp").replace(path)


def redraw(sets: Iterable[str], classes: Iterable[str], workers: int, staging: Path) -> int:
    """Draws the stale renderings of ``classes`` again (into ``staging``, then into the set's
    folder with their manifest lines, rendering by rendering); how many renderings."""
    wanted = set(classes)
    todo: list[tuple[str, gen.Job]] = []
    for which in sets:
        chosen = [e for e in entries(which) if e["class"] in wanted and stale(e)]
        out = staging / which
        shutil.rmtree(out, ignore_errors=True)  # render keeps what exists: nothing of an interrupted run
        (out / "truth").mkdir(parents=True)
        todo += [(which, job) for job in jobs_for(which, chosen, out)]
    todo.sort(key=lambda pair: (pair[0] != "test", pair[1].name))  # the test set first: its scores set the floors
    done = 0
    with ProcessPoolExecutor(max(1, workers)) as pool:
        futures = {pool.submit(gen.render, job): (which, job) for which, job in todo}
        for future in as_completed(futures):
            which, job = futures[future]
            made = future.result()
            for line in made:
                drawn = Path(job.out) / line["file"]
                if line["class"] in TEXT:
                    shutil.copyfile(drawn, folder(which) / line["file"])
                else:  # built, not committed: an older build of it is stale
                    (folder(which) / line["file"]).unlink(missing_ok=True)
                drawn.unlink()
            _replace_lines(which, made)
            done += 1
            print(f"{done}/{len(todo)} {which}/{job.name}", flush=True)
    return done


def stratified(lines: list[dict[str, Any]], per_class: int, seed: int = 0) -> list[dict[str, Any]]:
    """Up to ``per_class`` lines of each class, drawn the same way every time."""
    by_class: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in lines:
        by_class[line["class"]].append(line)
    chosen = []
    for kind in sorted(by_class):
        group = by_class[kind]
        chosen += random.Random(f"{seed}:{kind}").sample(group, min(per_class, len(group)))
    return chosen


def check(sets: Iterable[str], classes: Iterable[str], sample: int, workers: int) -> list[str]:
    """Draws a sample of each class again in a scratch folder (of the built classes, renderings
    that are built); one line per file whose bytes differ from the set's."""
    import tempfile

    differ = []
    for which in sets:
        present = [e for e in entries(which) if e["class"] in set(classes) and (folder(which) / e["file"]).exists()]
        chosen = stratified(present, sample)
        with tempfile.TemporaryDirectory() as scratch:
            (Path(scratch) / "truth").mkdir()
            render_all(list(jobs_for(which, chosen, Path(scratch))), workers)
            for line in chosen:
                again = Path(scratch) / line["file"]
                if again.read_bytes() != (folder(which) / line["file"]).read_bytes():
                    differ.append(f"{which}/{line['file']}: drawn again, the bytes differ")
            for name in {line["name"] for line in chosen}:
                truth = f"truth/{name}.json"
                if (Path(scratch) / truth).read_bytes() != (folder(which) / truth).read_bytes():
                    differ.append(f"{which}/{truth}: drawn again, the truth differs")
    return differ


def stats() -> list[str]:
    """The set's renderings per class and set, and its size on disk (committed files only)."""
    counts = {which: Counter(e["class"] for e in entries(which)) for which in SETS}
    lines = ["| class | dev | test | test share |", "| --- | ---: | ---: | ---: |"]
    for kind in gen.CLASSES:
        dev, test = counts["dev"][kind], counts["test"][kind]
        if dev + test:
            lines.append(f"| {kind} | {dev} | {test} | {test / (dev + test):.0%} |")
    committed = [p for p in SET.rglob("*") if p.is_file() and not p.name.endswith((".html", ".pdf"))]
    families = {which: {e["family"] for e in entries(which)} for which in SETS}
    lines.append(f"\n{len(committed)} committed files, {sum(p.stat().st_size for p in committed) / 1e6:.1f} MB; "
                 f"source families: dev {len(families['dev'])}, test {len(families['test'])}, "
                 f"shared {len(families['dev'] & families['test'])}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    making = commands.add_parser("make", help="render the set and split it (once)")
    splitting = commands.add_parser("split", help="split the staging folder as it is (after an interrupted make)")
    for command in (making, splitting):
        command.add_argument("--staging", type=Path, default=Path("/tmp/lossy-staging"))
    for name, helps in (("build", "draw the renderings that are not committed (html, pdf, scan)"),
                        ("check", "draw a sample of the committed text renderings again and compare"),
                        ("redraw", "draw again the renderings printed otherwise than the generator prints now")):
        command = commands.add_parser(name, help=helps)
        command.add_argument("--set", choices=("dev", "test", "both"), default="both")
        command.add_argument("--classes", default=",".join(
            BUILT if name == "build" else SLOW if name == "redraw" else gen.CLASSES))
        if name == "redraw":
            command.add_argument("--staging", type=Path, default=Path("/tmp/lossy-redraw"))
        if name == "check":
            command.add_argument("--sample", type=int, default=5, help="renderings of each class and set")
    for command in commands.choices.values():
        command.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    commands.add_parser("stats", help="renderings per class and set, and the size committed")
    args = parser.parse_args(argv)
    sets = SETS if getattr(args, "set", "both") == "both" else (args.set,)
    classes = [c.strip() for c in getattr(args, "classes", "").split(",") if c.strip()]
    started = time.perf_counter()
    if args.command == "make":
        make(args.staging, args.jobs)
    elif args.command == "split":
        split(args.staging)
    elif args.command == "build":
        made = build(sets, classes, args.jobs)
        print(f"drew {made} renderings in {time.perf_counter() - started:.0f} s")
    elif args.command == "redraw":
        made = redraw(sets, classes, args.jobs, args.staging)
        print(f"drew {made} renderings again in {time.perf_counter() - started:.0f} s")
    elif args.command == "check":
        differ = check(sets, classes, args.sample, args.jobs)
        print("\n".join(differ) or f"the sample is the same drawn again ({time.perf_counter() - started:.0f} s)")
        return 1 if differ else 0
    else:
        print("\n".join(stats()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
