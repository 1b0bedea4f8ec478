"""The columnar import of an SEC data set (form4.store.sec_batches) stores exactly what storing the
Filings of ``sec_dataset.iter_filings`` stores, table by table, on both engines: on the corpus's
own data set, on one with every file shuffled, and on data sets Hypothesis makes of the values
and line layouts that are hard to read (quotes, line breaks, blank lines, NUL, bad values, rows
without their submission or without an accession number). Each reading's hash is that of the
filing's rows; memory is bounded by the chunk."""

from __future__ import annotations

import hashlib
import random
import sys
import tempfile
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from form4.pipeline import ingest
from form4.store import Store, sec_batches, sec_dataset
from form4.store.schema import TABLES
from tests.conftest import CORPUS
from tests.store.test_sec_dataset_streaming import _generated, _shuffled

COMPARED = (*TABLES, "filing_sources", "current_rows")
UNCOMPARED = {"source_sha256", "recorded_at"}  # the reading's hash is defined otherwise; a clock


def _by_filings(url: str, path: Path, forms: set[str] | None = None) -> None:
    """The data set's Filings stored in one write: what an import stores, whatever its chunks."""
    wanted = (f for f in sec_dataset.iter_filings(path)
              if forms is None or (f.form_type or "").removesuffix("/A") in forms)
    with Store(url) as store:
        store.ingest_filings(wanted, batch=sys.maxsize)


def _by_columns(url: str, path: Path, forms: set[str] | None = None, chunk: int = 7) -> None:
    """The columnar batches, a few filings each, stored as one write (as Store.import_sec_dataset does)."""
    with Store(url) as store:
        store.write_all(sec_batches.iter_batches(path, chunk=chunk, forms=forms))


def _contents(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, sorted, without the columns compared apart."""
    with Store(url) as store:
        out = {}
        for table in COMPARED:
            rows = store.arrow(f"SELECT * FROM {table}")
            names = [n for n in rows.column_names if n not in UNCOMPARED]
            out[table] = sorted((tuple(r[n] for n in names) for r in rows.to_pylist()), key=repr)
        return out


def _same_stores(new_store: Callable[[], str], path: Path, forms: set[str] | None = None,
                 before: Callable[[str], None] | None = None) -> None:
    by_filings, by_columns = new_store(), new_store()
    if before is not None:  # filings stored before the data set: each store holds them
        before(by_filings)
        before(by_columns)
    _by_filings(by_filings, path, forms)
    _by_columns(by_columns, path, forms)
    expected, got = _contents(by_filings), _contents(by_columns)
    assert expected["filings"], "a data set of no filings proves nothing"
    for table in COMPARED:
        assert got[table] == expected[table], table


def test_the_corpus_data_set_stores_the_same(store_url: str, new_store: Callable[[], str], tmp_path: Path) -> None:
    dataset = tmp_path / "2024q1_form345.zip"
    with Store(store_url) as store:
        ingest(store, [CORPUS / "xml", CORPUS / "txt"])
        store.export_sec_dataset(dataset)
    _same_stores(new_store, dataset)
    _same_stores(new_store, dataset, forms={"4"})


def test_a_data_set_over_stored_filings_stores_the_same(new_store: Callable[[], str], tmp_path: Path) -> None:
    """Stored XMLs (exact readings, kept over the data set's), then the data set: the same readings
    recorded, the same rows kept, amendments linked across the import's chunks, the same current rows."""
    dataset = tmp_path / "2024q1_form345.zip"
    with Store(new_store()) as store:
        ingest(store, [CORPUS / "xml", CORPUS / "txt"])
        store.export_sec_dataset(dataset)
    xmls = sorted((CORPUS / "xml").iterdir())

    def some_xmls(url: str) -> None:
        with Store(url) as store:
            ingest(store, xmls[::3])

    _same_stores(new_store, dataset, before=some_xmls)


def test_a_shuffled_data_set_stores_the_same(new_store: Callable[[], str], tmp_path: Path) -> None:
    dataset = _shuffled(_generated(tmp_path / "sorted.zip", 300), tmp_path / "shuffled.zip")
    _same_stores(new_store, dataset)


# ---- data sets made to be hard to read ---------------------------------------------------------

ACCESSIONS = ["0000000001-24-000001", "0000000001-24-000002", " 0000000001-24-000003 ", ""]
HARD = ["", " ", "1", "0", "true", "maybe", "12.5", " 1,000 ", "$5", "1e5", "inf", "nan", "١٢", "1_000", "-0",
        ".5", "7.", "31-FEB-2014", "30-dec-2014", "2014-12-30", "2014-12-30-05:00", "12345", "00012345678",
        "Director, TenPercentOwner", "officer,other", "F1", "F1, F2", " ,F3,,", 'F"4', "F\\5", "Fé", "4/A", "S",
        'say "hi"', "tab\there", "two\nlines", "\u2003spaced\u3000", "nul\0l"]
cells = st.one_of(st.sampled_from(HARD), st.text(max_size=6))


def _cell(text: str) -> str:
    """A cell as a TSV writer would quote it, or left bare (a quote inside a bare cell is a quote)."""
    if any(c in text for c in '\t\r\n') or text.startswith('"'):
        return '"' + text.replace('"', '""') + '"'
    return text


@st.composite
def data_sets(draw: st.DrawFn) -> dict[str, str]:
    files = {}
    for table in sec_dataset.TABLES:
        header = list(table.header)
        lines = ["\t".join(header)]
        for _ in range(draw(st.integers(0, 4))):
            row = [draw(st.sampled_from(ACCESSIONS))]
            if table.lead == 2:
                row.append(draw(st.sampled_from(["1", "2", " 3", "x", "", "10"])))
            row += [_cell(draw(cells)) for _ in header[len(row):]]
            lines.append("\t".join(row[:draw(st.sampled_from([len(row), len(row), len(row) - 1]))]))
            if draw(st.integers(0, 9)) == 0:
                lines.append(draw(st.sampled_from(["", "\t\t"])))
        ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
        files[table.member] = ending.join(lines) + ending
    return files


@pytest.mark.parametrize("engine", ["duckdb"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=data_sets())
def test_a_data_set_made_to_be_hard_stores_the_same(new_store: Callable[[], str], files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        dataset = Path(tmp) / "d.zip"
        with zipfile.ZipFile(dataset, "w") as zf:
            for member, text in files.items():
                zf.writestr(f"{member}.tsv", text)
        if not sec_dataset.read(dataset):
            return
        _same_stores(new_store, dataset)


# ---- the reading's hash, memory --------------------------------------------------------------


def test_a_readings_hash_is_that_of_its_rows(store_url: str, tmp_path: Path) -> None:
    dataset = _generated(tmp_path / "d.zip", 5)
    with zipfile.ZipFile(dataset) as zf:
        files = {t.member: zf.read(f"{t.member}.tsv").decode().splitlines() for t in sec_dataset.TABLES}
    expected = {}
    for acc in {line.split("\t")[0] for line in files["SUBMISSION"][1:]}:
        digest = hashlib.sha256()
        for table in sec_dataset.TABLES:
            rows = [line.split("\t") for line in files[table.member][1:] if line.split("\t")[0] == acc]
            if table.lead == 2:  # a filing's rows in the order of their surrogate keys
                rows.sort(key=lambda cells: int(cells[1]))
            for cells in rows:
                digest.update(("\t".join([table.member, *cells]) + "\n").encode())
        expected[acc] = digest.hexdigest()
    with Store(store_url) as store:
        assert store.import_sec_dataset(dataset) == 5
        assert store.import_sec_dataset(dataset) == 0  # the same readings: recorded once
        stored = store.arrow("SELECT accession_number, source_sha256 FROM filing_sources").to_pylist()
    assert {r["accession_number"]: r["source_sha256"] for r in stored} == expected and len(stored) == 5


def _held(dataset: Path, chunk: int) -> tuple[int, int]:
    """Filings read, and the most memory (Arrow's and Python's) held while a batch is given."""
    count, held = 0, 0
    tracemalloc.start()
    try:
        for pending in sec_batches.iter_batches(dataset, chunk=chunk):
            count += len(pending.kept)
            held = max(held, pa.total_allocated_bytes() + tracemalloc.get_traced_memory()[0])
    finally:
        tracemalloc.stop()
    return count, held


def test_memory_is_bounded_by_the_chunk_not_the_zip(tmp_path: Path) -> None:
    dataset = _generated(tmp_path / "big.zip", 1500)
    list(sec_batches.iter_batches(_generated(tmp_path / "small.zip", 10)))  # imports, caches: made before
    (count, streaming), (_, whole) = _held(dataset, 20), _held(dataset, 1500)
    assert count == 1500
    assert streaming < whole / 5  # the zip's filings held at once: many times more


def test_whitespace_is_what_python_strips() -> None:
    stripped_by_python = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
    assert stripped_by_python == sec_batches.WHITESPACE


def test_rows_shuffled_by_chance_store_the_same(new_store: Callable[[], str], tmp_path: Path) -> None:
    """Surrogate keys out of order and interleaved filings: each filing's rows keep the order of their keys."""
    source = _generated(tmp_path / "d.zip", 40)
    out = tmp_path / "mixed.zip"
    rng = random.Random(3)
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w") as zout:
        for name in zin.namelist():
            header, *rows = zin.read(name).decode().splitlines(keepends=True)
            rng.shuffle(rows)
            zout.writestr(name, header + "".join(rows))
    _same_stores(new_store, out)


def test_a_quarter_into_an_empty_store_is_in_the_tables_order(tmp_path: Path) -> None:
    """On DuckDB, a quarter imported into an empty store leaves current_rows (and its page copies) in
    the order Store.cluster puts them in: nothing is left to put in order."""
    from form4.store.schema import CLUSTER_ORDER, PAGE_COPIES

    dataset = _generated(tmp_path / "d.zip", 60)
    with Store(str(tmp_path / "s.duckdb")) as store:
        assert store.import_sec_dataset(dataset) == 60
        counts = store.arrow("SELECT (SELECT max(rows) FROM clustering) AS ordered, "
                             "(SELECT count(*) FROM current_rows) AS stored").to_pylist()[0]
        assert counts["ordered"] == counts["stored"] > 100  # Store.cluster finds every row in order already
        for table, order in {"current_rows": CLUSTER_ORDER, **PAGE_COPIES}.items():
            stored = store.arrow(f"SELECT filing_id, line, kind FROM {table} ORDER BY rowid").to_pylist()
            ordered = store.arrow(f"SELECT filing_id, line, kind FROM {table} ORDER BY {order}, rowid").to_pylist()
            assert len(stored) > 100 and stored == ordered, table
