"""An SEC data set read straight into the store's staged tables, as Arrow, a chunk of accession
numbers at a time, with no Filing built per accession number (form4.store.sec_dataset reads the
same files as Filings, for whoever wants records).

A batch stores exactly the rows that storing ``sec_dataset.iter_filings``' Filings stores: the
columns of ``sec_dataset.TABLES`` read by the same converters (form4.readers.values) — common
well-formed values (plain text, decimal numbers, CIKs of digits) by Arrow kernels that give what
those converters give, every other value by the converter itself, once per distinct text — the
same rows in the same order within a filing, the same footnote references, and the same warnings,
word for word, for what cannot be read. One thing differs by design: a filing's ``source_sha256``
is the SHA-256 of its rows as read from the zip (each row its file's name and its cells joined by
tabs, and a line break; the files in the data set's order, each file's rows in the filing's order),
not of the record's JSON, which is never made.

Each file is split into rows by pyarrow.csv when it is plain (one row a line, no blank line, no NUL,
UTF-8, every row as wide as its header); any other file is read by Python's csv module exactly as
sec_dataset reads it, so that every row, cell and line number is the same either way. A filing whose
rows have no accession number is keyed by its content (form4.identity), which needs its record: it
alone is read as a Filing.
"""

from __future__ import annotations

import hashlib
import json
import queue
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from form4.errors import DatasetError
from form4.model import Filing
from form4.readers import values as v
from form4.store import sec_dataset as sd
from form4.store.records import Pending, Reading, arrow_table
from form4.store.schema import TABLES as STORE

SOURCE = "sec-dataset"
# Accession numbers per batch: Arrow holds a chunk's rows in a few tens of MB. A quarter's batches
# are stored as one write (Store.write_all), so that a batch's size is the reader's memory only: at
# 4,000 the reader alone holds 360-390 MB at its peak (290 MB at 2,000), for the same CPU.
CHUNK = 2000
# What Python's str.strip() strips: every character str.isspace() holds true, so that Arrow's
# trim gives what the converters' strip gives.
WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
              "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_BLOCK = 1 << 22  # bytes pyarrow.csv parses at once
_PYTHON_ROWS = 20_000  # rows per batch when Python's csv module reads a file
_DECIMAL = r"^-?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]{1,3})?$"  # what float() and Arrow read alike
_SAFE_ID = r"^[ !#-\[\]-~]*$"  # printable ASCII but the quote and the backslash: JSON as it is
_TYPES: dict[Callable[[str], Any], pa.DataType] = {
    sd._date: pa.date32(), v.boolean: pa.bool_(), v.number: pa.float64(), v.cik: pa.string(), v.text: pa.string()}
_SECTIONS = {"non_derivative_transactions": ("non_derivative", "transaction"),
             "non_derivative_holdings": ("non_derivative", "holding"),
             "derivative_transactions": ("derivative", "transaction"),
             "derivative_holdings": ("derivative", "holding")}
_ISSUER = {"issuer.cik": "issuer_cik", "issuer.name": "issuer_name", "issuer.trading_symbol": "trading_symbol"}
_FLAGS = ("is_director", "is_officer", "is_ten_percent_owner", "is_other")
_READ_ERRORS = (pa.ArrowException, ValueError, OSError, EOFError, RuntimeError, NotImplementedError,
                zipfile.BadZipFile, zlib.error)


def iter_batches(path: Path, chunk: int = CHUNK, forms: Collection[str] | None = None) -> Iterator[Pending]:
    """The data set's filings as batches for ``Store.write``, ``chunk`` accession numbers each, in
    the order SUBMISSION.tsv lists them; only those of ``forms`` (and their amendments) when given.
    Memory stays flat: a first pass splits each file into its chunks on disk, the second builds
    one chunk at a time. Every file is read, and checked, before the first batch is given: a zip
    that is not a data set raises ``DatasetError`` (as ``sec_dataset.read`` does) having given none."""
    with sd._open(path) as zf, tempfile.TemporaryDirectory(prefix="form4-dataset-") as folder:
        members = sd._members(zf, path)
        spill = _Spill(Path(folder), chunk)
        positions = [_split_file(zf, members[t.member], t, path, i, spill) for i, t in enumerate(sd.TABLES)]
        wanted = set(forms) if forms is not None else None
        pool = pa.default_memory_pool()
        for number in range(spill.count):
            parts = [_Part.of(t, i, spill.load(i, number), positions[i]) for i, t in enumerate(sd.TABLES)]
            pending = _Batch(parts, str(path), wanted).pending()
            del parts
            pool.release_unused()  # what building the batch took, back to the system: memory stays flat
            if pending.kept:
                yield pending


def read_ahead(batches: Iterator[Pending]) -> Iterator[Pending]:
    """The batches, the next one read in a thread of its own while the caller stores this one:
    reading (zlib, Arrow) and storing (DuckDB, PostgreSQL) both let go of the GIL, so that with two
    cores an import takes about the longer of the two rather than their sum. One batch waits at
    most; an error of the reading is raised to the caller."""
    handoff: queue.Queue[tuple[Pending | None, BaseException | None]] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def give(item: Pending | None, error: BaseException | None = None) -> bool:
        while not stop.is_set():
            try:
                handoff.put((item, error), timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            for pending in batches:
                if not give(pending):
                    return
            give(None)
        except BaseException as exc:  # to the caller, whatever it is
            give(None, exc)
        finally:
            close = getattr(batches, "close", None)
            if close is not None:
                close()  # its spill folder gone, in the thread that made it

    reader = threading.Thread(target=read, name="form4-dataset-reader", daemon=True)
    reader.start()
    try:
        while True:
            pending, error = handoff.get()
            if error is not None:
                raise error
            if pending is None:
                return
            yield pending
    finally:
        stop.set()
        reader.join()


# ---- pass 1: each file's rows to disk, by chunk of accession numbers --------------------------


class _Spill:
    """Rows on disk by file and chunk: the first ``size`` accession numbers met (SUBMISSION.tsv's,
    in its order, then any other file's it lacks) are chunk 0, and so on, as sec_dataset numbers them."""

    def __init__(self, folder: Path, size: int) -> None:
        self.folder = folder
        self.size = max(1, size)
        self.chunk_of: dict[str, int] = {}
        self.writers: dict[int, Any] = {}  # chunk -> the open stream of the file being read

    @property
    def count(self) -> int:
        return (len(self.chunk_of) + self.size - 1) // self.size

    def _path(self, index: int, chunk: int) -> Path:
        return self.folder / f"{index}-{chunk}.arrows"

    def write(self, index: int, batch: pa.RecordBatch) -> None:
        if not batch.num_rows:
            return
        accs = batch.column("_acc")
        met = pc.unique(accs)
        chunk_of, size, chunks = self.chunk_of, self.size, []
        for acc in met.to_pylist():
            chunk = chunk_of.get(acc)
            if chunk is None:
                chunk = chunk_of[acc] = len(chunk_of) // size
            chunks.append(chunk)
        if len(set(chunks)) == 1:  # a data set grouped by filing: the common case
            self._writer(index, chunks[0], batch.schema).write_batch(batch)
            return
        ids = pc.take(pa.array(chunks, pa.int32()), pc.index_in(accs, value_set=met))
        for chunk in sorted(set(chunks)):
            self._writer(index, chunk, batch.schema).write_batch(batch.filter(pc.equal(ids, chunk)))

    def _writer(self, index: int, chunk: int, schema: pa.Schema) -> Any:
        writer = self.writers.get(chunk)
        if writer is None:
            writer = self.writers[chunk] = pa.ipc.new_stream(str(self._path(index, chunk)), schema)
        return writer

    def finish(self) -> None:
        for writer in self.writers.values():
            writer.close()
        self.writers = {}

    def forget(self, index: int, mark: int) -> None:
        """Undo a file read in part: its rows on disk, and the accession numbers first met in it."""
        self.finish()
        for spilled in self.folder.glob(f"{index}-*.arrows"):
            spilled.unlink()
        for acc in list(self.chunk_of)[mark:]:
            del self.chunk_of[acc]

    def load(self, index: int, chunk: int) -> pa.Table | None:
        """A file's rows of a chunk, and their file on disk gone."""
        target = self._path(index, chunk)
        if not target.exists():
            return None
        with pa.ipc.open_stream(str(target)) as reader:
            table = reader.read_all()
        target.unlink()
        return table


def _split_file(zf: zipfile.ZipFile, info: zipfile.ZipInfo, table: sd.Table, path: Path, index: int,
                spill: _Spill) -> dict[str, int]:
    """Spill one file's rows, its header checked; where each of its columns is."""
    mark = len(spill.chunk_of)
    try:
        positions = _split_plain(zf, info, table, path, index, spill)
    except DatasetError:
        raise
    except _READ_ERRORS:
        positions = None  # not plain, or damaged: Python's csv module reads it, or says what is wrong
    if positions is not None:
        spill.finish()
        return positions
    spill.forget(index, mark)
    file = sd.read_lines(zf, info, table, path, lambda file, lines: _split_lines(file, lines, index, spill))
    spill.finish()
    return file.positions


class _Counted:
    """A zip member read for pyarrow.csv, its header line taken off first; the lines (CR LF, CR
    and LF each end one, as Python's reading of lines has it) and NUL characters counted."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.lines = 0
        self.nul = False
        self.last = b""  # the last byte read
        self.held = b""  # read, not yet given

    def header(self) -> list[str] | None:
        """The header's cells, when it is a plain line: else None."""
        block = self._read(_BLOCK)
        end = min((at for at in (block.find(b"\n"), block.find(b"\r")) if at >= 0), default=-1)
        if end < 0:
            return None
        line, self.held = block[:end], block[end:]
        try:
            text = line.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
        return None if '"' in text or "\0" in text else text.split("\t")

    def read(self, size: int = -1) -> bytes:
        if self.held:
            data, self.held = self.held, b""
            return data
        return self._read(size if size > 0 else _BLOCK)

    def _read(self, size: int) -> bytes:
        data: bytes = self.raw.read(size)
        if data:
            self.lines += data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")
            if self.last == b"\r" and data[:1] == b"\n":
                self.lines -= 1  # one CR LF read in two
            self.nul = self.nul or b"\0" in data
            self.last = data[-1:]
        elif self.last and self.last not in b"\r\n":
            self.lines += 1  # the last line, unended
            self.last = b"\n"
        return data

    @property
    def closed(self) -> bool:
        return False


def _split_plain(zf: zipfile.ZipFile, info: zipfile.ZipInfo, table: sd.Table, path: Path, index: int,
                 spill: _Spill) -> dict[str, int] | None:
    """Spill a plain file's rows as pyarrow.csv reads them; None when the file is not plain."""
    with zf.open(info) as raw:
        counted = _Counted(raw)
        header = counted.header()
        if header is None:
            return None
        names = [sd._canonical(name) for name in header]
        sd.check_header(table, names, f"{path}: {table.member}.tsv")
        positions = {name: i for i, name in reversed(list(enumerate(names)))}  # the first one stands
        columns = [f"c{i}" for i in range(len(names))]
        reader = pcsv.open_csv(
            counted, read_options=pcsv.ReadOptions(column_names=columns, block_size=_BLOCK),
            parse_options=pcsv.ParseOptions(delimiter="\t"),
            convert_options=pcsv.ConvertOptions(column_types=dict.fromkeys(columns, pa.string()),
                                                strings_can_be_null=False, quoted_strings_can_be_null=False))
        line = 2  # the header is line 1
        at = positions["ACCESSION_NUMBER"]
        for batch in reader:
            lines = pc.add(pc.cumulative_sum(pa.repeat(pa.scalar(1, pa.int64()), batch.num_rows)), line - 1)
            spill.write(index, _with_keys(batch.columns, at, lines, drop_blank=True))
            line += batch.num_rows
        if counted.nul or counted.lines != line - 1:
            return None  # a quoted line break, a blank line, a NUL: Python's reading differs
        return positions


def _split_lines(file: sd._File, lines: Iterator[tuple[int, list[str]]], index: int, spill: _Spill) -> sd._File:
    """Spill the lines Python's csv module read, as columns: a short row's missing cells empty."""
    width = max(file.positions.values()) + 1
    at = file.positions["ACCESSION_NUMBER"]
    held: list[tuple[int, list[str]]] = []
    for item in lines:
        held.append(item)
        if len(held) >= _PYTHON_ROWS:
            spill.write(index, _columns(held, width, at))
            held = []
    spill.write(index, _columns(held, width, at))
    return file


def _columns(held: list[tuple[int, list[str]]], width: int, at: int) -> pa.RecordBatch:
    cells = [pa.array([c[i] if i < len(c) else "" for _, c in held], pa.string()) for i in range(width)]
    return _with_keys(cells, at, pa.array([n for n, _ in held], pa.int64()), drop_blank=False)


def _with_keys(cells: list[pa.Array], at: int, lines: pa.Array, *, drop_blank: bool) -> pa.RecordBatch:
    """The cells with each row's accession number (stripped) and line; rows of empty cells left
    out, as Python's csv module gives them."""
    batch = pa.RecordBatch.from_arrays([*cells, _strip(cells[at]), lines],
                                       names=[*(f"c{i}" for i in range(len(cells))), "_acc", "_line"])
    if drop_blank and pc.any(pc.equal(batch.column("_acc"), "")).as_py():
        filled = pc.equal(pc.binary_length(pc.binary_join_element_wise(*cells, "")), 0)
        batch = batch.filter(pc.invert(filled))
    return batch


# ---- pass 2: a chunk's rows as the store's tables ------------------------------------------------


@dataclass
class _Part:
    """One file's rows of a chunk, each filing's in the order it lists them, and each row's place
    among its filing's rows of the file (``rank``)."""

    table: sd.Table
    index: int
    rows: pa.Table
    positions: dict[str, int]
    rank: pa.Array

    @classmethod
    def of(cls, table: sd.Table, index: int, rows: pa.Table | None, positions: dict[str, int]) -> _Part:
        if rows is None:
            width = max(positions.values()) + 1
            names = [*(f"c{i}" for i in range(width)), "_acc", "_line"]
            rows = pa.Table.from_arrays([pa.array([], pa.string())] * (width + 1) + [pa.array([], pa.int64())],
                                        names=names)
        keys = [("_acc", "ascending")]
        if table.lead >= 2:  # by surrogate key (sec_dataset._order), then line
            rows = rows.append_column("_key", _sort_key(rows, positions.get(sd._canonical(table.header[1]), -1)))
            keys.append(("_key", "ascending"))
        rows = rows.sort_by([*keys, ("_line", "ascending")]).combine_chunks()
        return cls(table, index, rows, positions, _ranks(rows.column("_acc")))

    def cells(self, at: int) -> pa.Array:
        return self.rows.column(f"c{at}").combine_chunks() if at >= 0 else pa.repeat(pa.scalar("", pa.string()),
                                                                                      len(self))

    def __len__(self) -> int:
        return int(self.rows.num_rows)

    def accs(self) -> pa.Array:
        return self.rows.column("_acc").combine_chunks()

    def lines(self) -> pa.Array:
        return self.rows.column("_line").combine_chunks()

    def where(self, mask: pa.Array) -> _Part:
        return _Part(self.table, self.index, self.rows.filter(mask), self.positions, self.rank.filter(mask))


def _sort_key(rows: pa.Table, at: int) -> pa.Array:
    """The first half of sec_dataset._order: the surrogate key when it is digits, else the line."""
    lines = rows.column("_line")
    if at < 0 or not rows.num_rows:
        return lines
    sk = _strip(rows.column(f"c{at}"))
    digits = pc.match_substring_regex(sk, "^[0-9]{1,18}$")
    odd = pc.invert(pc.or_(digits, pc.string_is_ascii(sk)))  # digits of other scripts: Python's own rules
    if pc.any(odd).as_py() or pc.any(pc.match_substring_regex(sk, "^[0-9]{19,}$")).as_py():
        raw, numbers = rows.column(f"c{at}").to_pylist(), lines.to_pylist()
        order = sorted(range(len(raw)), key=lambda i: sd._order(raw[i], numbers[i]))
        places = [0] * len(order)
        for place, i in enumerate(order):
            places[i] = place
        return pa.array(places, pa.int64())
    return pc.if_else(digits, pc.cast(pc.if_else(digits, sk, "0"), pa.int64()), lines)


def _ranks(accs: pa.ChunkedArray) -> pa.Array:
    """Each row's place among the rows of its accession number (rows sorted by it)."""
    n = len(accs)
    if not n:
        return pa.array([], pa.int64())
    flat = accs.combine_chunks()
    places = pc.subtract(pc.cumulative_sum(pa.repeat(pa.scalar(1, pa.int64()), n)), 1)
    starts = pa.concat_arrays([pa.array([True]), pc.not_equal(flat.slice(1), flat.slice(0, n - 1))])
    first = pc.cumulative_max(pc.if_else(starts, places, 0))
    return pc.subtract(places, first)


@dataclass
class _Warning:
    acc: str
    index: int  # the file's place in the data set: files are read in order
    rank: int  # the row's place among its filing's rows of the file
    step: int  # within a row: -1 the row's own, then each column's in order
    field: str
    message: str


class _Batch:
    """One chunk's filings as a ``Pending`` of Arrow tables."""

    def __init__(self, parts: list[_Part], path: str, forms: set[str] | None) -> None:
        self.path = path
        self.warnings: list[_Warning] = []
        blank = [p.where(pc.equal(p.accs(), "")) for p in parts]
        parts = [p.where(pc.not_equal(p.accs(), "")) for p in parts]
        self.submission, self.children = self._one_each(parts[0]), parts[1:]
        self.orphans = self._orphans()
        if forms is not None:
            self._only(forms)
        self.parts = [self.submission, *self.children]
        self.blank = self._blank_filings(blank, forms)
        self.hashes = _hashes([*self.parts, *blank])

    def _one_each(self, part: _Part) -> _Part:
        """SUBMISSION.tsv's first row of each accession number; a repeated one is a warning."""
        again = pc.greater(part.rank, 0)
        if pc.any(again).as_py():
            repeats = part.where(again)
            for acc, rank, line in zip(repeats.accs().to_pylist(), repeats.rank.to_pylist(),
                                       repeats.lines().to_pylist(), strict=True):
                self.warnings.append(_Warning(acc, 0, rank, -1, "accession_number",
                                              f"SUBMISSION.tsv line {line} repeats this accession number: "
                                              "that row is left out"))
        return part.where(pc.invert(again))

    def _orphans(self) -> pa.Array:
        """Accession numbers of rows without a SUBMISSION.tsv row, each warned of at its first row."""
        known = self.submission.accs()
        found: list[str] = []
        for part in self.children:
            stray = pc.invert(pc.is_in(part.accs(), value_set=known))
            if not pc.any(stray).as_py():
                continue
            first = part.where(pc.and_(stray, pc.equal(part.rank, 0)))
            for acc, line in zip(first.accs().to_pylist(), first.lines().to_pylist(), strict=True):
                found.append(acc)
                self.warnings.append(_Warning(acc, part.index, 0, -1, "accession_number",
                                              f"{part.table.member}.tsv line {line}: no SUBMISSION.tsv row for "
                                              "this accession number; the filing's own fields are empty"))
            known = pa.concat_arrays([known, first.accs()])
        return pa.array(found, pa.string())

    def _only(self, forms: set[str]) -> None:
        """Only filings of ``forms`` or amendments of them: a filing without SUBMISSION.tsv row has no form."""
        sub = self.submission
        form = _text(sub.cells(sub.positions.get("DOCUMENT_TYPE", -1)))
        base = pc.replace_substring_regex(pc.fill_null(form, ""), "/A$", "", max_replacements=1)
        keep = pc.is_in(base, value_set=pa.array(sorted(forms), pa.string()))
        wanted = sub.accs().filter(keep)
        self.submission = sub.where(keep)
        self.children = [p.where(pc.is_in(p.accs(), value_set=wanted)) for p in self.children]
        self.orphans = pa.array([], pa.string())
        kept = set(wanted.to_pylist())
        self.warnings = [w for w in self.warnings if w.index == 0 and w.acc in kept]

    def _blank_filings(self, blank: list[_Part], forms: set[str] | None) -> list[Filing]:
        """Rows without accession number, read as sec_dataset reads them: one filing, keyed by content."""
        if not any(len(p) for p in blank):
            return []
        filings = sd._Filings(Path(self.path))
        for part in blank:
            width = len(part.rows.column_names) - (3 if part.table.lead >= 2 else 2)
            cells = [part.rows.column(f"c{i}").to_pylist() for i in range(width)]
            lines = [(n, [column[row] for column in cells]) for row, n in enumerate(part.lines().to_pylist())]
            file = sd._File(part.table, part.positions, lines)
            for number, row in file.in_order():
                filings.add(file, number, row)
        return [f for f in filings.by_accession.values()
                if forms is None or (f.form_type or "").removesuffix("/A") in forms]

    def pending(self) -> Pending:
        converted = [_Converted(part, self.warnings) for part in self.parts]
        by_table = {part.table.member: c for part, c in zip(self.parts, converted, strict=True)}
        tables = {"filings": self._filings(by_table),
                  "reporting_owners": _owners(by_table[sd.OWNERS.member]),
                  "security_rows": pa.concat_tables([_rows(by_table[t.member]) for t in sd.ROW_TABLES]),
                  "footnotes": _footnotes(by_table[sd.FOOTNOTES.member]),
                  "footnote_refs": pa.concat_tables([_refs(by_table[t.member]) for t in sd.ROW_TABLES]),
                  "signatures": _signatures(by_table[sd.SIGNATURES.member])}
        pending = Pending(sealed={name: [table] for name, table in tables.items()})
        doubts: dict[str, int] = {}
        for w in self.warnings:
            doubts[w.acc] = doubts.get(w.acc, 0) + 1
        for acc in tables["filings"].column("accession_number").to_pylist():
            reading = Reading(acc, self.hashes[acc], self.path, SOURCE, doubts.get(acc, 0))
            pending.kept[acc] = reading
            pending.readings[acc, reading.sha256] = reading
        for filing in self.blank:
            pending.add(filing, self.path, self.hashes[""])
        return pending

    def _filings(self, by_table: dict[str, _Converted]) -> pa.Table:
        sub = by_table[sd.SUBMISSION.member]
        accs = pa.concat_arrays([sub.part.accs(), self.orphans])
        n, orphans = len(accs), len(self.orphans)
        columns = {_ISSUER.get(name, name): pa.concat_arrays([values, pa.nulls(orphans, values.type)])
                   for name, values in sub.values.items()}
        for flag in ("not_subject_to_section16", "no_securities_owned"):  # a Filing's are False unless given
            columns[flag] = pc.fill_null(columns[flag], False)
        owners = by_table[sd.OWNERS.member]
        firsts = pc.equal(owners.part.rank, 0)
        first_accs = owners.part.accs().filter(firsts)
        columns["owner_cik"] = pc.take(owners.values["cik"].filter(firsts), pc.index_in(accs, value_set=first_accs))
        notes = self._warnings_json()
        listed = accs.to_pylist()
        columns.update(accession_number=accs, source=pa.repeat(pa.scalar(SOURCE), n),
                       source_path=pa.repeat(pa.scalar(self.path), n),
                       source_sha256=pa.array([self.hashes[a] for a in listed], pa.string()),
                       warnings=pa.array([notes.get(a) for a in listed], pa.string()))
        return _table("filings", columns, n)

    def _warnings_json(self) -> dict[str, str]:
        """Each filing's warnings as the store keeps them: in the order the Filing path meets them."""
        by_acc: dict[str, list[_Warning]] = {}
        for w in sorted(self.warnings, key=lambda w: (w.acc, w.index, w.rank, w.step)):
            by_acc.setdefault(w.acc, []).append(w)
        return {acc: json.dumps([{"field": w.field, "message": w.message} for w in ws]) for acc, ws in by_acc.items()}


class _Converted:
    """A part's values as the record's fields hold them (by field name), its footnote ids per
    footnote column, and a warning for each value that cannot be read."""

    def __init__(self, part: _Part, warnings: list[_Warning]) -> None:
        self.part = part
        self.values: dict[str, pa.Array] = {}
        self.notes: list[tuple[str, pa.ListArray]] = []  # footnote key -> ids of each row
        table = part.table
        prefix = f"{table.attr}[{{}}]." if table.attr else ""
        plan = sd._File(table, part.positions, []).plan
        for step, (column, convert, at, notes_at) in enumerate(plan):
            name = column.field or ""
            raw = part.cells(at)
            values, errors = _convert(raw, convert)
            if name == "relationship":
                self.values.update(_relations(values))
            else:
                self.values[name] = values
            if errors:
                accs, ranks, lines = part.accs(), part.rank, part.lines()
                for at_row, message in errors:
                    rank = ranks[at_row].as_py()
                    warnings.append(_Warning(accs[at_row].as_py(), part.index, rank, step,
                                             prefix.format(rank) + name,
                                             f"{table.member}.tsv line {lines[at_row].as_py()}, {column.name}: "
                                             f"{message}; left empty"))
            if column.notes and notes_at >= 0:
                ids = _ids(part.cells(notes_at))
                if len(ids.values):  # most footnote columns are empty throughout: no work for them
                    self.notes.append((column.keys[0], ids))


def _convert(raw: pa.Array, convert: Callable[[str], Any]) -> tuple[pa.Array, list[tuple[int, str]]]:
    """The converter's values of the cells, and (row, message) where it raises."""
    if convert is v.text:
        return _text(raw), []
    if convert is v.number:
        return _numbers(raw)
    if convert is v.cik:
        stripped = _strip(raw)
        plain = pc.match_substring_regex(stripped, "^[0-9]{1,10}$")
        values = pc.if_else(plain, pc.utf8_lpad(stripped, 10, "0"), pa.scalar(None, pa.string()))
        return _patch(values, raw, pc.and_(pc.invert(plain), pc.not_equal(stripped, "")), convert)
    return _by_value(raw, convert)


def _strip(raw: pa.Array) -> pa.Array:
    return pc.utf8_trim(raw, characters=WHITESPACE)


def _text(raw: pa.Array) -> pa.Array:
    """v.text: stripped, None when empty."""
    stripped = _strip(raw)
    return pc.if_else(pc.equal(stripped, ""), pa.scalar(None, pa.string()), stripped)


def _numbers(raw: pa.Array) -> tuple[pa.Array, list[tuple[int, str]]]:
    """v.number: plain decimals by Arrow (both round correctly: the same float), the rest by v.number."""
    stripped = _strip(raw)
    plain = pc.match_substring_regex(stripped, _DECIMAL)
    try:
        values = pc.cast(pc.if_else(plain, stripped, "0"), pa.float64())
    except pa.ArrowInvalid:
        return _by_value(raw, v.number)
    plain = pc.and_(plain, pc.is_finite(values))
    values = pc.if_else(plain, values, pa.scalar(None, pa.float64()))
    return _patch(values, raw, pc.and_(pc.invert(plain), pc.not_equal(stripped, "")), v.number)


def _patch(values: pa.Array, raw: pa.Array, rest: pa.Array,
           convert: Callable[[str], Any]) -> tuple[pa.Array, list[tuple[int, str]]]:
    """``values`` with the cells ``rest`` marks converted by ``convert`` itself."""
    if not pc.any(rest).as_py():
        return values, []
    rows = pc.indices_nonzero(rest)
    fixed, errors = _by_value(raw.take(rows), convert)
    return pc.replace_with_mask(values, rest, fixed.cast(values.type)), [(rows[i].as_py(), m) for i, m in errors]


def _by_value(raw: pa.Array, convert: Callable[[str], Any]) -> tuple[pa.Array, list[tuple[int, str]]]:
    """The converter applied once to each distinct cell."""
    distinct = pc.unique(raw)
    out: list[Any] = []
    failed: dict[int, str] = {}
    for i, cell in enumerate(distinct.to_pylist()):
        try:
            out.append(convert(cell))
        except ValueError as exc:
            out.append(None)
            failed[i] = str(exc)
    where = pc.index_in(raw, value_set=distinct)
    values = pc.take(pa.array(out, _TYPES.get(convert, pa.string())), where)
    errors: list[tuple[int, str]] = []
    if failed:
        bad = pc.indices_nonzero(pc.is_in(where, value_set=pa.array(list(failed), pa.int32())))
        errors = [(row, failed[where[row].as_py()]) for row in bad.to_pylist()]
    return values, errors


def _relations(text: pa.Array) -> dict[str, pa.Array]:
    """The owner's four flags from RPTOWNER_RELATIONSHIP, as sec_dataset._set reads it (all False when empty)."""
    distinct = pc.unique(text)
    flags: list[list[bool]] = [[] for _ in _FLAGS]
    for value in distinct.to_pylist():
        labels = {label.strip().lower() for label in value.split(",")} if value is not None else set()
        for column, (_, label) in zip(flags, sd._RELATIONS, strict=True):
            column.append(label.lower() in labels)
    where = pc.index_in(text, value_set=distinct, skip_nulls=False)
    return {name: pc.take(pa.array(column, pa.bool_()), where) for name, column in zip(_FLAGS, flags, strict=True)}


def _ids(raw: pa.Array) -> pa.ListArray:
    """Each row's footnote ids: split at commas, stripped, empty ones left out."""
    lists = pc.split_pattern(pc.if_else(pc.equal(raw, ""), pa.scalar(None, pa.string()), raw), ",")
    flat = _strip(pc.list_flatten(lists))
    if pc.all(pc.not_equal(flat, "")).as_py() is not False:  # every piece an id: the lists as split
        return pa.ListArray.from_arrays(lists.offsets, flat)
    cells = [[i.strip() for i in cell.split(",") if i.strip()] for cell in raw.to_pylist()]
    return pa.array(cells, pa.list_(pa.string()))


def _footnotes_json(notes: list[tuple[str, pa.ListArray]], n: int) -> pa.Array:
    """Each row's footnotes as records.add writes them: json.dumps of {key: ids} in column order."""
    if not notes:
        return pa.nulls(n, pa.string())
    if not all(pc.all(pc.match_substring_regex(pc.list_flatten(ids), _SAFE_ID)).as_py() is not False
               for _, ids in notes):
        rows: list[dict[str, list[str]]] = [{} for _ in range(n)]
        for key, ids in notes:
            for row, listed in enumerate(ids.to_pylist()):
                if listed:
                    rows[row][key] = listed
        return pa.array([json.dumps(r) if r else None for r in rows], pa.string())
    pieces = []
    for key, ids in notes:
        joined = pc.binary_join(ids, '", "')
        piece = pc.binary_join_element_wise(f"{json.dumps(key)}: [\"", joined, '"], ', "")
        pieces.append(pc.if_else(pc.greater(pc.fill_null(pc.list_value_length(ids), 0), 0), piece, ""))
    whole = pc.binary_join_element_wise(*pieces, "")
    wrapped = pc.binary_join_element_wise("{", pc.utf8_rtrim(whole, ", "), "}", "")
    return pc.if_else(pc.equal(whole, ""), pa.scalar(None, pa.string()), wrapped)


def _table(name: str, columns: dict[str, pa.Array], n: int) -> pa.Table:
    """A staged table of the store's columns and types, a column not given all None."""
    schema = arrow_table(STORE[name], []).schema
    return pa.Table.from_arrays([columns[f.name].cast(f.type) if f.name in columns else pa.nulls(n, f.type)
                                 for f in schema], schema=schema)


def _owners(owners: _Converted) -> pa.Table:
    values = dict(owners.values)
    n = len(owners.part)
    for flag in _FLAGS:
        values[flag] = pc.fill_null(values[flag], False)
    return _table("reporting_owners", {**values, "accession_number": owners.part.accs(),
                                       "owner_index": owners.part.rank}, n)


def _rows(rows: _Converted) -> pa.Table:
    attr = rows.part.table.attr or ""
    table_name, kind = _SECTIONS[attr]
    n = len(rows.part)
    return _table("security_rows", {**rows.values, "accession_number": rows.part.accs(),
                                    "table_name": pa.repeat(pa.scalar(table_name), n),
                                    "kind": pa.repeat(pa.scalar(kind), n), "row_index": rows.part.rank,
                                    "footnotes": _footnotes_json(rows.notes, n)}, n)


def _refs(rows: _Converted) -> pa.Table:
    """One row per footnote reference: each footnote column's ids, in order."""
    table_name, kind = _SECTIONS[rows.part.table.attr or ""]
    pieces = []
    for key, ids in rows.notes:
        owner = pc.list_parent_indices(ids)
        count = len(owner)
        pieces.append(_table("footnote_refs", {
            "accession_number": pc.take(rows.part.accs(), owner), "table_name": pa.repeat(pa.scalar(table_name), count),
            "kind": pa.repeat(pa.scalar(kind), count), "row_index": pc.take(rows.part.rank, owner),
            "field": pa.repeat(pa.scalar(key), count), "footnote_id": pc.list_flatten(ids)}, count))
    return pa.concat_tables(pieces) if pieces else _table("footnote_refs", {}, 0)


def _footnotes(notes: _Converted) -> pa.Table:
    return _table("footnotes", {"accession_number": notes.part.accs(),
                                "footnote_id": pc.fill_null(notes.values["id"], ""),  # a Footnote's are ""
                                "text": pc.fill_null(notes.values["text"], "")}, len(notes.part))


def _signatures(signatures: _Converted) -> pa.Table:
    return _table("signatures", {**signatures.values, "accession_number": signatures.part.accs(),
                                 "signature_index": signatures.part.rank}, len(signatures.part))


def _hashes(parts: list[_Part]) -> dict[str, str]:
    """Each accession number's SHA-256 of its rows as read: each row its file's name and its cells
    joined by tabs, and a line break; the files in order, each file's rows in the filing's order."""
    hashes: dict[str, Any] = {}
    for part in parts:
        if not len(part):
            continue
        width = max(part.positions.values()) + 1
        row = pc.binary_join_element_wise(part.table.member, *(part.cells(i) for i in range(width)), "\t")
        text = pc.binary_join_element_wise(row, "\n", "")
        offsets = memoryview(text.buffers()[1]).cast("i")[text.offset:text.offset + len(text) + 1]
        data = memoryview(text.buffers()[2])
        accs = part.accs()
        starts = pc.indices_nonzero(pc.equal(part.rank, 0))
        bounds = [*starts.to_pylist(), len(part)]
        for acc, a, b in zip(accs.take(starts).to_pylist(), bounds, bounds[1:], strict=False):
            digest = hashes.get(acc)
            if digest is None:
                digest = hashes[acc] = hashlib.sha256()
            digest.update(data[offsets[a]:offsets[b]])
    return {acc: digest.hexdigest() for acc, digest in hashes.items()}
