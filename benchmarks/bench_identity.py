"""How well form4.identity tells readings of one filing from other filings, on the corpus.

    python benchmarks/bench_identity.py [--no-scans] [--split dev|holdout|all]

1. every lossy rendering of the corpus (html/, pdf/, text/, pdfimg/) read and matched against
   every XML and submission: does it match its own filing's, and any other?
2. what the printed form of each real filing shows (expected-visible/), damaged as OCR damages
   it (a digit, a street, a footnote, a code, an accent), matched the same way;
3. every pair of different filings, one read as a printed form (no CIKs, not exact).

"One filing" is truth: records equal but for accession number, filing date, footnote texts
and signers (the corpus holds test data that cut those short). The split is by name: the
holdout (names whose character codes add up to an odd number) is scored, never tuned on.
Prints Markdown.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import msgspec

import form4
from form4 import identity
from form4.model import ROW_TABLES, Filing

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def in_split(name: str, split: str) -> bool:
    return split == "all" or (sum(map(ord, name)) % 2 == 1) == (split == "holdout")


def truth(record: dict[str, object]) -> str:
    """What makes two records one filing."""
    shown = {k: v for k, v in record.items() if k not in ("accession_number", "filed_at", "signatures")}
    shown["footnotes"] = [note["id"] for note in record.get("footnotes") or []]  # type: ignore[attr-defined]
    return json.dumps(shown, sort_keys=True)


def printed(p: identity.Fingerprint) -> identity.Fingerprint:
    return dataclasses.replace(p, accession=None, issuer_cik=None, owner_ciks=frozenset(), exact=False)


def damaged(f: Filing, rng: random.Random) -> Filing:
    rows = [r for t in ROW_TABLES for r in getattr(f, t)]
    for kind in rng.sample(["digit", "street", "footnote", "code", "accent"], 2):
        if kind == "digit" and rows and (row := rng.choice(rows)).shares_owned_following:
            digits = str(int(row.shares_owned_following))
            i = rng.randrange(len(digits))
            row.shares_owned_following = float(digits[:i] + str((int(digits[i]) + 1) % 10) + digits[i + 1:])
        elif kind == "street" and f.reporting_owners:
            f.reporting_owners[0].street1 = "1OO MAlN ST"
        elif kind == "footnote" and f.footnotes:
            f.footnotes.pop()
        elif kind == "code" and rows and hasattr(rows[0], "transaction_code"):
            rows[0].transaction_code = None
        elif kind == "accent" and f.reporting_owners and f.reporting_owners[0].name:
            f.reporting_owners[0].name = f.reporting_owners[0].name.replace("e", "é")
    return f


def read(path: Path) -> tuple[str, str, identity.Fingerprint | None]:
    try:
        return path.parent.name, path.name, identity.fingerprint(form4.read(path))
    except form4.ReadError:
        return path.parent.name, path.name, None


def score(reading: identity.Fingerprint, name: str, exact: dict[str, identity.Fingerprint],
          truths: dict[str, str]) -> tuple[bool, int]:
    """Whether the reading matches its own filing's XML, and how many other filings it matches."""
    hits = {s for s, x in exact.items() if identity.same_filing(reading, x)}
    own = {s for s in exact if truths[s] == truths[name]}
    return bool(hits & own), len(hits - own)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-scans", action="store_true", help="leave out pdfimg/ (OCR takes seconds a page)")
    ap.add_argument("--split", default="all", choices=["dev", "holdout", "all"])
    args = ap.parse_args()
    truths = {p.stem: truth(json.loads(p.read_text())) for p in (CORPUS / "expected").glob("*.json")}
    sources = sorted((CORPUS / "xml").glob("*.xml")) + sorted((CORPUS / "txt").glob("*"))
    exact = {p.stem: printed(identity.fingerprint(form4.read(p))) for p in sources if p.stem in truths}
    exact = {s: dataclasses.replace(x, exact=True) for s, x in exact.items()}  # no accession numbers, no CIKs
    folders = ["html", "pdf", "text"] + ([] if args.no_scans else ["pdfimg"])
    lossy = [p for folder in folders for p in sorted((CORPUS / folder).glob("*"))
             if in_split(p.name.split(".")[0], args.split)]
    matched, total, false = Counter[str](), Counter[str](), 0
    with ProcessPoolExecutor() as pool:
        for folder, file, reading in pool.map(read, lossy):
            kind = folder if folder != "text" else f"text .{file.split('.')[1]}"
            total[kind] += 1
            if reading is not None:
                ok, others = score(reading, file.split(".")[0], exact, truths)
                matched[kind] += ok
                false += others
    print(f"Split: {args.split}\n\n| renderings | match their XML | share |\n| --- | ---: | ---: |")
    for kind in total:
        print(f"| {kind} | {matched[kind]} / {total[kind]} | {matched[kind] / total[kind]:.0%} |")
    print(f"| **all** | {sum(matched.values())} / {sum(total.values())} | "
          f"{sum(matched.values()) / sum(total.values()):.1%} |\n")
    print(f"- false matches of those renderings with other filings: {false}")
    rng = random.Random(7)
    simulated, hits, wrong = 0, 0, 0
    for p in sorted((CORPUS / "expected-visible").glob("real-*.json")):
        if p.stem in exact and in_split(p.stem, args.split):
            seen = msgspec.convert(json.loads(p.read_text()), type=Filing, strict=False)
            seen.source = "ocr"
            ok, others = score(identity.fingerprint(damaged(seen, rng)), p.stem, exact, truths)
            simulated, hits, wrong = simulated + 1, hits + ok, wrong + others
    print(f"- real filings' printed forms, damaged twice each: {hits} / {simulated} match their XML, "
          f"{wrong} false matches")
    names = [s for s in exact if in_split(s, args.split)]
    pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1:] if truths[a] != truths[b]]
    false_pairs = sum(identity.same_filing(printed(exact[a]), exact[b]) or identity.same_filing(exact[a],
                                                                                                printed(exact[b]))
                      for a, b in pairs)
    print(f"- pairs of different filings, one read as printed: {false_pairs} false matches in {len(pairs):,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
