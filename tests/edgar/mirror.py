"""The corpus as mirror filings (the mirror itself is ``form4.mirror``).

``corpus_filings()`` turns the shared corpus into filings: its real submissions, and its XML documents in a
submission envelope. ``generated_filings(n, seed)`` clones them with fresh accession numbers and dates (byte
templates, no XML parsing per clone) for benchmarks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path

from form4.mirror import (
    Accessions,
    Mirror,
    MirrorFiling,
    build_mirror,
    documents_of,
    nc_form,
    next_business_day,
    other_filing,
    other_forms,
    submission_filing,
    txt_form,
    xml_filing,
)
from tests.conftest import CORPUS

__all__ = ["Mirror", "MirrorFiling", "build_mirror", "corpus_filings", "generated_filings", "nc_form",
           "other_filing", "other_forms", "submission_filing", "txt_form"]


@cache
def _corpus(corpus: Path) -> tuple[MirrorFiling, ...]:
    filings: list[MirrorFiling] = []
    accessions = Accessions()
    for path in sorted((corpus / "txt").iterdir()):
        if path.suffix in (".txt", ".nc"):
            filing = submission_filing(path)
            if filing.accession_number in accessions.seen:  # a corpus variant of a filing already taken
                continue
            accessions.seen.add(filing.accession_number)
            filings.append(filing)
    for path in sorted((corpus / "xml").glob("*.xml")):
        try:
            filings.append(xml_filing(path.read_bytes(), path.name, accessions.for_document(path.name)))
        except ValueError:
            continue  # no issuer CIK: nothing EDGAR could list it under
    return tuple(filings)


def corpus_filings(corpus: Path = CORPUS) -> Iterator[MirrorFiling]:
    """The corpus as filings: its real submissions, and its XML documents in a submission envelope."""
    yield from _corpus(corpus)


def generated_filings(n: int, seed: int = 0, per_day: int = 250, start: dt.date = dt.date(2024, 1, 2),
                      corpus: Path = CORPUS) -> Iterator[MirrorFiling]:
    """``n`` distinct filings cloned from the corpus, ``per_day`` to a business day from ``start``.

    Only the header is rendered anew (accession number, date); the documents are reused as bytes.
    """
    templates = [(f, documents_of(f.submission)) for f in _corpus(corpus) if f.xml is not None]
    filer = 9_000_000_000 + seed % 999_999_999
    day, on_day = start, 0
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    for i in range(n):
        if on_day == per_day:
            day, on_day = next_business_day(day), 0
        on_day += 1
        template, documents = templates[(i * 7919 + seed) % len(templates)]
        clone = replace(template, accession_number=f"{filer:010d}-{day:%y}-{i % 1_000_000:06d}", filed=day, nc=None)
        yield replace(clone, submission=txt_form(clone, documents))
