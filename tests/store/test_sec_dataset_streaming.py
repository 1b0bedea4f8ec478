"""An SEC data set read streaming: memory bounded by a chunk of filings, not by the zip; the
same filings whatever the chunk and whatever the order of each file's rows; and a damaged file
found before any filing is given."""

from __future__ import annotations

import random
import tracemalloc
import zipfile
from functools import cache
from pathlib import Path

import msgspec
import pytest

import form4
from form4.errors import DatasetError
from form4.model import Filing
from form4.store import Store, sec_dataset
from tests.conftest import CORPUS


@cache
def _templates() -> tuple[Filing, ...]:
    return tuple(f for f in form4.iter_filings(CORPUS / "xml") if f.reporting_owners)


def _generated(out: Path, n: int) -> Path:
    """``n`` filings cloned from the corpus under fresh accession numbers, as a data set zip."""
    templates = _templates()
    clones = (msgspec.structs.replace(templates[i % len(templates)], accession_number=f"9900000001-24-{i:06d}")
              for i in range(n))
    sec_dataset.write(clones, out)
    return out


def _shuffled(source: Path, out: Path) -> Path:
    """The same data set with every file's filings in another order and interleaved, neither
    sorted nor grouped (each filing's own rows keep their order, which is theirs)."""
    rng = random.Random(7)
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            header, *rows = zin.read(name).decode().splitlines(keepends=True)
            slots = [row.split("\t", 1)[0] for row in rows]
            rng.shuffle(slots)  # which accession number each line now holds a row of
            by_accession: dict[str, list[str]] = {}
            for row in rows:
                by_accession.setdefault(row.split("\t", 1)[0], []).append(row)
            queues = {acc: iter(own) for acc, own in by_accession.items()}
            zout.writestr(name, header + "".join(next(queues[acc]) for acc in slots))
    return out


def _by_accession(filings: list[Filing]) -> dict[str | None, Filing]:
    return {f.accession_number: f for f in filings}


def test_memory_is_bounded_by_the_chunk_not_the_zip(tmp_path: Path) -> None:
    dataset = _generated(tmp_path / "big.zip", 1500)
    with zipfile.ZipFile(dataset) as zf:
        uncompressed = sum(i.file_size for i in zf.infolist())
    sec_dataset.read(_generated(tmp_path / "small.zip", 10))  # what is made once (imports, caches) made before
    tracemalloc.start()
    try:
        count = sum(1 for _ in sec_dataset.iter_filings(dataset, chunk=20))
        _, streaming = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        held = sec_dataset.read(dataset)
        _, whole = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == len(held) == 1500
    assert streaming < uncompressed and streaming < whole / 5  # the zip's filings held at once: many times more


def test_the_same_filings_whatever_the_chunk_and_the_order_of_rows(tmp_path: Path) -> None:
    dataset = _generated(tmp_path / "sorted.zip", 300)
    whole = list(sec_dataset.iter_filings(dataset, chunk=10_000))
    chunked = list(sec_dataset.iter_filings(dataset, chunk=7))
    assert [f.to_dict() for f in chunked] == [f.to_dict() for f in whole]  # in SUBMISSION.tsv's order too
    shuffled = _by_accession(list(sec_dataset.iter_filings(_shuffled(dataset, tmp_path / "shuffled.zip"), chunk=7)))
    assert set(shuffled) == set(_by_accession(whole))
    for acc, filing in _by_accession(whole).items():
        other = shuffled[acc].to_dict()
        assert {k: v for k, v in other.items() if k != "source_name"} == \
            {k: v for k, v in filing.to_dict().items() if k != "source_name"}


def test_a_damaged_file_late_in_the_zip_stores_nothing(tmp_path: Path) -> None:
    dataset = _generated(tmp_path / "good.zip", 50)
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(dataset) as zin, zipfile.ZipFile(bad, "w") as zout:
        for name in zin.namelist():
            body = zin.read(name).decode()
            if name == "OWNER_SIGNATURE.tsv":  # the last file read lacks a column
                body = body.replace("OWNERSIGNATURENAME", "SIGNATURE", 1)
            zout.writestr(name, body)
    with Store(str(tmp_path / "s.duckdb")) as store:
        with pytest.raises(DatasetError) as raised:
            store.import_sec_dataset(bad)
        assert str(raised.value) == f"{bad}: OWNER_SIGNATURE.tsv: no column OWNERSIGNATURENAME"
        assert store.arrow("SELECT count(*) FROM filings").column(0)[0].as_py() == 0
