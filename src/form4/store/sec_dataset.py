"""The SEC's Insider Transactions Data Sets: the quarterly zip of tab-separated files.

``write`` lays filings out as the SEC does (file names, columns and their order,
``DD-MON-YYYY`` dates, ``_FN`` columns of comma-separated footnote ids, every row on one
line, text that holds a quote CSV-quoted); ``read`` turns such a zip, the SEC's own
included, back into Filings. The store imports a data set without Filings, straight into its
tables (form4.store.sec_batches), by the tables, columns and converters defined here.

The SEC's files hold no line break and no tab inside a value, so that a reader splitting
lines and then tabs finds every row whole; ``write`` does the same by writing each line
break (CR LF counting as one) and each tab in text as one space. Those spaces, and the
spaces at either end of a value, which reading strips, are all a round trip changes.

The layout holds every footnote reference of a row but two kinds: a row's transaction
coding (form type, code and swap flag) has one footnote column for all three, as the XML
has one ``<footnoteId>`` list for the ``<transactionCoding>`` group; and a field the table
has no column for (a Table I transaction's total value) has none.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import pickle
import re
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from itertools import pairwise
from pathlib import Path
from typing import Any, TypeVar

from form4.errors import DatasetError
from form4.model import (
    DerivativeHolding,
    DerivativeTransaction,
    Filing,
    Footnote,
    NonDerivativeHolding,
    NonDerivativeTransaction,
    ReportingOwner,
    Signature,
    Warning,
)
from form4.readers import values as v
from form4.store.schema import FILING_FIELDS, OWNER_FIELDS, ROW_FIELDS

T = TypeVar("T")
CODING = ("transaction_code", "transaction_form_type", "equity_swap_involved")
"""Footnote keys of a row's transaction coding. The data set has one column for them all;
it is read back under ``transaction_code``, where form4's XML reader files the footnotes
of ``<transactionCoding>``."""


@dataclass(frozen=True)
class Column:
    name: str  # as the data set spells it
    field: str | None  # record field ("issuer.cik": a field of a part); None: written empty, not read
    notes: str | None = None  # the column of its footnote ids, when the layout has one
    keys: tuple[str, ...] = ()  # the footnote keys that column holds; read back as the first


@dataclass(frozen=True)
class Table:
    member: str  # the file in the zip, without ".tsv"
    kind: type[Any]  # the record class of a line
    attr: str | None  # the Filing's list of them; None for SUBMISSION, one line per filing
    header: tuple[str, ...]  # the columns, in order
    lead: int  # the leading columns that are keys, not the record's: accession number, surrogate key

    @cached_property
    def columns(self) -> list[Column]:
        """The record's columns, each with the footnote column that follows it, if one does."""
        names = [*self.header[self.lead:], ""]
        return [_column(name, after if after.endswith("_FN") else None)
                for name, after in pairwise(names) if not name.endswith("_FN")]

    @cached_property
    def footnote_keys(self) -> set[str]:
        return {key for column in self.columns for key in column.keys}

    @cached_property
    def required(self) -> list[str]:
        """Columns every published quarter has: AFF10B5ONE came in 2023, and a footnote
        column left out only means no footnotes there."""
        return [n for n in self.header if not n.endswith("_FN") and n != "AFF10B5ONE"]


def _column(name: str, notes: str | None) -> Column:
    target = _FIELDS[name]
    if notes is None or target is None:
        return Column(name, target)
    return Column(name, target, notes, CODING if notes in _CODING_NOTES else (target,))


# The column that holds the transaction coding's footnotes: the swap flag's in the
# transaction tables (where TRANS_FORM_TYPE and TRANS_CODE have none), the form type's in
# the holding tables (a holding's coding is its form type).
_CODING_NOTES = frozenset({"EQUITY_SWAP_TRANS_CD_FN", "EQUITY_SWAP_INVOLVED_FN", "TRANS_FORM_TYPE_FN"})
_FIELDS: dict[str, str | None] = {
    "ACCESSION_NUMBER": "accession_number", "FILING_DATE": "filed_at", "PERIOD_OF_REPORT": "period_of_report",
    "DATE_OF_ORIG_SUB": "date_of_original_submission", "NO_SECURITIES_OWNED": "no_securities_owned",
    "NOT_SUBJECT_SEC16": "not_subject_to_section16", "FORM3_HOLDINGS_REPORTED": "form3_holdings_reported",
    "FORM4_TRANS_REPORTED": "form4_transactions_reported", "DOCUMENT_TYPE": "form_type",
    "ISSUERCIK": "issuer.cik", "ISSUERNAME": "issuer.name", "ISSUERTRADINGSYMBOL": "issuer.trading_symbol",
    "REMARKS": "remarks", "AFF10B5ONE": "aff10b5_one",
    "RPTOWNERCIK": "cik", "RPTOWNERNAME": "name", "RPTOWNER_RELATIONSHIP": "relationship",
    "RPTOWNER_TITLE": "officer_title", "RPTOWNER_TXT": "other_text", "RPTOWNER_STREET1": "street1",
    "RPTOWNER_STREET2": "street2", "RPTOWNER_CITY": "city", "RPTOWNER_STATE": "state", "RPTOWNER_ZIPCODE": "zip",
    "RPTOWNER_STATE_DESC": "state_description", "FILE_NUMBER": None,
    "SECURITY_TITLE": "security_title", "CONV_EXERCISE_PRICE": "conversion_or_exercise_price",
    "TRANS_DATE": "transaction_date", "DEEMED_EXECUTION_DATE": "deemed_execution_date",
    "TRANS_FORM_TYPE": "transaction_form_type", "TRANS_CODE": "transaction_code",
    "EQUITY_SWAP_INVOLVED": "equity_swap_involved", "TRANS_TIMELINESS": "transaction_timeliness",
    "TRANS_SHARES": "shares", "TRANS_TOTAL_VALUE": "total_value", "TRANS_PRICEPERSHARE": "price_per_share",
    "TRANS_ACQUIRED_DISP_CD": "acquired_disposed", "EXCERCISE_DATE": "exercise_date", "EXERCISE_DATE": "exercise_date",
    "EXPIRATION_DATE": "expiration_date", "UNDLYNG_SEC_TITLE": "underlying_security_title",
    "UNDLYNG_SEC_SHARES": "underlying_shares", "UNDLYNG_SEC_VALUE": "underlying_value",
    "SHRS_OWND_FOLWNG_TRANS": "shares_owned_following", "VALU_OWND_FOLWNG_TRANS": "value_owned_following",
    "DIRECT_INDIRECT_OWNERSHIP": "direct_or_indirect", "NATURE_OF_OWNERSHIP": "nature_of_ownership",
    "FOOTNOTE_ID": "id", "FOOTNOTE_TXT": "text", "OWNERSIGNATURENAME": "name", "OWNERSIGNATUREDATE": "date",
}


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_OWNED = ("SHRS_OWND_FOLWNG_TRANS SHRS_OWND_FOLWNG_TRANS_FN VALU_OWND_FOLWNG_TRANS VALU_OWND_FOLWNG_TRANS_FN "
          "DIRECT_INDIRECT_OWNERSHIP DIRECT_INDIRECT_OWNERSHIP_FN NATURE_OF_OWNERSHIP NATURE_OF_OWNERSHIP_FN")
_UNDERLYING = ("EXPIRATION_DATE EXPIRATION_DATE_FN UNDLYNG_SEC_TITLE UNDLYNG_SEC_TITLE_FN UNDLYNG_SEC_SHARES "
               "UNDLYNG_SEC_SHARES_FN UNDLYNG_SEC_VALUE UNDLYNG_SEC_VALUE_FN")
SUBMISSION = Table("SUBMISSION", Filing, None, lead=0, header=_names(
    "ACCESSION_NUMBER FILING_DATE PERIOD_OF_REPORT DATE_OF_ORIG_SUB NO_SECURITIES_OWNED NOT_SUBJECT_SEC16 "
    "FORM3_HOLDINGS_REPORTED FORM4_TRANS_REPORTED DOCUMENT_TYPE ISSUERCIK ISSUERNAME ISSUERTRADINGSYMBOL "
    "REMARKS AFF10B5ONE"))
OWNERS = Table("REPORTINGOWNER", ReportingOwner, "reporting_owners", lead=1, header=_names(
    "ACCESSION_NUMBER RPTOWNERCIK RPTOWNERNAME RPTOWNER_RELATIONSHIP RPTOWNER_TITLE RPTOWNER_TXT "
    "RPTOWNER_STREET1 RPTOWNER_STREET2 RPTOWNER_CITY RPTOWNER_STATE RPTOWNER_ZIPCODE RPTOWNER_STATE_DESC "
    "FILE_NUMBER"))
ROW_TABLES = (
    Table("NONDERIV_TRANS", NonDerivativeTransaction, "non_derivative_transactions", lead=2, header=_names(
        "ACCESSION_NUMBER NONDERIV_TRANS_SK SECURITY_TITLE SECURITY_TITLE_FN TRANS_DATE TRANS_DATE_FN "
        "DEEMED_EXECUTION_DATE DEEMED_EXECUTION_DATE_FN TRANS_FORM_TYPE TRANS_CODE EQUITY_SWAP_INVOLVED "
        "EQUITY_SWAP_TRANS_CD_FN TRANS_TIMELINESS TRANS_TIMELINESS_FN TRANS_SHARES TRANS_SHARES_FN "
        "TRANS_PRICEPERSHARE TRANS_PRICEPERSHARE_FN TRANS_ACQUIRED_DISP_CD TRANS_ACQUIRED_DISP_CD_FN " + _OWNED)),
    Table("NONDERIV_HOLDING", NonDerivativeHolding, "non_derivative_holdings", lead=2, header=_names(
        "ACCESSION_NUMBER NONDERIV_HOLDING_SK SECURITY_TITLE SECURITY_TITLE_FN TRANS_FORM_TYPE TRANS_FORM_TYPE_FN "
        + _OWNED)),
    Table("DERIV_TRANS", DerivativeTransaction, "derivative_transactions", lead=2, header=_names(
        "ACCESSION_NUMBER DERIV_TRANS_SK SECURITY_TITLE SECURITY_TITLE_FN CONV_EXERCISE_PRICE "
        "CONV_EXERCISE_PRICE_FN TRANS_DATE TRANS_DATE_FN DEEMED_EXECUTION_DATE DEEMED_EXECUTION_DATE_FN "
        "TRANS_FORM_TYPE TRANS_CODE EQUITY_SWAP_INVOLVED EQUITY_SWAP_INVOLVED_FN TRANS_TIMELINESS "
        "TRANS_TIMELINESS_FN TRANS_SHARES TRANS_SHARES_FN TRANS_TOTAL_VALUE TRANS_TOTAL_VALUE_FN "
        "TRANS_PRICEPERSHARE TRANS_PRICEPERSHARE_FN TRANS_ACQUIRED_DISP_CD TRANS_ACQUIRED_DISP_CD_FN "
        "EXCERCISE_DATE EXCERCISE_DATE_FN " + _UNDERLYING + " " + _OWNED)),  # sic: EXCERCISE
    Table("DERIV_HOLDING", DerivativeHolding, "derivative_holdings", lead=2, header=_names(
        "ACCESSION_NUMBER DERIV_HOLDING_SK SECURITY_TITLE SECURITY_TITLE_FN CONV_EXERCISE_PRICE "
        "CONV_EXERCISE_PRICE_FN TRANS_FORM_TYPE TRANS_FORM_TYPE_FN EXERCISE_DATE EXERCISE_DATE_FN "
        + _UNDERLYING + " " + _OWNED)),
)
FOOTNOTES = Table("FOOTNOTES", Footnote, "footnotes", lead=1,
                  header=("ACCESSION_NUMBER", "FOOTNOTE_ID", "FOOTNOTE_TXT"))
SIGNATURES = Table("OWNER_SIGNATURE", Signature, "signatures", lead=1,
                   header=("ACCESSION_NUMBER", "OWNERSIGNATURENAME", "OWNERSIGNATUREDATE"))
TABLES = (SUBMISSION, OWNERS, *ROW_TABLES, FOOTNOTES, SIGNATURES)

# Names published data sets use for the same column: the readme and the files disagree on
# the swap flag's footnote column, and only DERIV_TRANS misspells the exercise date.
_SAME = {"EQUITY_SWAP_INVOLVED_FN": "EQUITY_SWAP_TRANS_CD_FN", "EXCERCISE_DATE": "EXERCISE_DATE",
         "EXCERCISE_DATE_FN": "EXERCISE_DATE_FN"}


def _canonical(column: str) -> str:
    name = column.strip().upper()
    return _SAME.get(name, name)


_RELATIONS = (("is_director", "Director"), ("is_officer", "Officer"), ("is_ten_percent_owner", "TenPercentOwner"),
              ("is_other", "Other"))
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


# ---- writing ---------------------------------------------------------------------------------


@dataclass
class UnwrittenFiling:
    key: str  # its key in the store: ``sha256:…``
    source_path: str | None  # the document it was read from


@dataclass
class SecDatasetReport:
    """What an export wrote: filings without an EDGAR accession number (the data set's key)
    are left out and listed, as is the count of footnote references on fields the layout
    has no column for."""

    written: int = 0
    unwritten: list[UnwrittenFiling] = field(default_factory=list)
    footnotes_left_out: int = 0


def write(filings: Iterable[Filing], out: Path) -> SecDatasetReport:
    """Write the filings that have an accession number as an SEC data set zip."""
    report = SecDatasetReport()
    rows: dict[str, list[list[str]]] = {t.member: [] for t in TABLES}
    for filing in filings:
        acc = filing.accession_number or ""
        if not acc or acc.startswith("sha256:"):  # a content hash, never an accession number
            report.unwritten.append(UnwrittenFiling(acc, filing.source_name))
            continue
        report.written += 1
        rows[SUBMISSION.member].append(_cells(filing, SUBMISSION.columns))
        for table in TABLES[1:]:
            lines = rows[table.member]
            for item in getattr(filing, table.attr or ""):
                lead = [acc, str(len(lines) + 1)]  # the surrogate key counts rows
                lines.append([*lead[:table.lead], *_cells(item, table.columns)])
                report.footnotes_left_out += _left_out(item, table)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for table in TABLES:
            buf = io.StringIO()
            writer = csv.writer(buf, delimiter="\t", lineterminator="\n")
            writer.writerow(table.header)
            writer.writerows(rows[table.member])
            zf.writestr(f"{table.member}.tsv", buf.getvalue())
    return report


def _left_out(item: Any, table: Table) -> int:
    """The item's footnote references on fields the table has no column for."""
    notes: dict[str, list[str]] = getattr(item, "footnotes", None) or {}  # owners, footnotes: none
    return sum(len(ids) for key, ids in notes.items() if key not in table.footnote_keys)


def _cells(item: Any, columns: Iterable[Column]) -> list[str]:
    out = []
    for column in columns:
        out.append(_one_line(_text(_get(item, column.field))))
        if column.notes:
            ids = (fid for key in column.keys for fid in item.footnotes.get(key, ()))
            out.append(_one_line(",".join(dict.fromkeys(ids))))  # the coding's keys may share an id: once
    return out


# Every character ``str.splitlines`` breaks a line at, and the tab: what would split a row
# for a reader of lines or of tab-separated cells. NUL goes too: the reader drops it.
_BREAKS = re.compile(r"\r\n|[\t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def _one_line(text: str) -> str:
    """The cell as the SEC writes one: a line break or a tab becomes a space."""
    return _BREAKS.sub(" ", text.replace("\0", ""))


def _get(item: Any, path: str | None) -> Any:
    if path is None:
        return None
    if path == "relationship":
        return ",".join(label for attr, label in _RELATIONS if getattr(item, attr))
    for part in path.split("."):
        item = getattr(item, part)
    return item


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.date):
        return f"{value.day:02d}-{_MONTHS[value.month - 1]}-{value.year}"
    if isinstance(value, float):  # positional, never 1e-05: the way the SEC writes numbers
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    return str(value)  # as given: text with a quote is CSV-quoted, as the SEC quotes it


# ---- reading ---------------------------------------------------------------------------------


def _date(raw: str) -> dt.date | None:
    """``30-DEC-2014`` (any case) as the data sets write dates; ISO as well."""
    text = raw.strip().split(" ")[0]  # a time after the date, if any, says nothing more
    match = re.fullmatch(r"(\d{1,2})-([A-Za-z]{3})-(\d{4})", text)
    if match is None:
        return v.date(text)
    day, month, year = match.groups()
    try:
        return dt.date(int(year), _MONTHS.index(month.upper()) + 1, int(day))
    except ValueError:  # no such month, or no such day in it
        raise ValueError(f"not a date: {text!r}") from None


_BY_TYPE: dict[str, Callable[[str], Any]] = {"text": v.text, "float": v.number, "date": _date, "bool": v.boolean}
_CONVERTERS: dict[str, Callable[[str], Any]] = {
    **{name: _BY_TYPE[kind] for name, kind in (*FILING_FIELDS, *OWNER_FIELDS, *ROW_FIELDS)},
    "cik": v.cik, "date": _date,
}


@dataclass
class _File:
    """One file of a data set as read: where each column is, and its lines (number, cells)."""

    table: Table
    positions: dict[str, int]  # column, as _canonical spells it -> position
    lines: list[tuple[int, list[str]]]

    def at(self, column: str | None) -> int:
        return -1 if column is None else self.positions.get(_canonical(column), -1)

    @cached_property
    def plan(self) -> list[tuple[Column, Callable[[str], Any], int, int]]:
        """Each column the record reads: its converter, and where its value and footnotes are."""
        return [(c, _CONVERTERS.get(c.field.split(".")[-1], v.text), self.at(c.name), self.at(c.notes))
                for c in self.table.columns if c.field is not None]

    def in_order(self) -> list[tuple[int, list[str]]]:
        """Rows in the order of their surrogate keys, which is the order of the filing."""
        if self.table.lead < 2:
            return self.lines
        sk = self.at(self.table.header[1])
        return sorted(self.lines, key=lambda line: _order(_cell(line[1], sk), line[0]))


def _cell(cells: list[str], at: int) -> str:
    return cells[at] if 0 <= at < len(cells) else ""


def _order(sk: str, number: int) -> tuple[int, int]:
    return (int(sk), number) if sk.strip().isdigit() else (number, number)


# Accession numbers whose rows are held at once, and the batch a data set is stored in: with
# DuckDB's own memory beside them, a 40,000-filing quarter imports in under 500 MB (5,000: 630 MB).
CHUNK = 1000


def read(path: Path) -> list[Filing]:
    """The filings of an SEC data set zip, each as complete as the data set allows. A value
    that cannot be read is left empty with a warning on its filing; a file that is not a
    data set raises ``DatasetError``."""
    return list(iter_filings(path))


def iter_filings(path: Path, chunk: int = CHUNK) -> Iterator[Filing]:
    """``read``'s filings, ``chunk`` accession numbers at a time, in the order SUBMISSION.tsv
    lists them, with memory flat whatever the size of the zip: a first pass reads each file
    once and spills its rows to disk by chunk of accession numbers (the files need not be
    sorted or grouped alike); the second builds one chunk's filings at a time. Every file is
    read, and checked, before the first filing is given: a zip that is not a data set raises
    ``DatasetError`` having given none."""
    with _open(path) as zf, tempfile.TemporaryDirectory(prefix="form4-dataset-") as spill:
        members = _members(zf, path)
        chunks = _Chunks(Path(spill), chunk)
        files = [_read_file(zf, members[table.member], table, path, chunks) for table in TABLES]
        for number in range(chunks.count):
            filings = _Filings(path)
            lines = chunks.load(number)
            for index, file in enumerate(files):
                file.lines = lines.get(index, [])
                for line, cells in file.in_order():
                    filings.add(file, line, cells)
                file.lines = []
            yield from filings.by_accession.values()


class _Chunks:
    """Rows spilled to disk by chunk of accession numbers: the first ``size`` accession
    numbers met (SUBMISSION.tsv's, in its order, then any other file's that it lacks) are
    chunk 0, and so on; every row of an accession number goes to its chunk's file."""

    def __init__(self, folder: Path, size: int) -> None:
        self.folder = folder
        self.size = max(1, size)
        self.chunk_of: dict[str, int] = {}
        self.held: dict[int, list[tuple[int, list[tuple[int, list[str]]]]]] = {}  # chunk -> (file, lines)
        self.waiting = 0  # lines held before the next flush
        self.files = 0

    @property
    def count(self) -> int:
        return (len(self.chunk_of) + self.size - 1) // self.size

    def split(self, file: _File, lines: Iterable[tuple[int, list[str]]]) -> _File:
        """Spill a file's lines, read as a stream, to their chunks."""
        index, self.files = self.files, self.files + 1
        at, chunk_of, size = file.at("ACCESSION_NUMBER"), self.chunk_of, self.size
        by_chunk: dict[int, list[tuple[int, list[str]]]] = {}
        for number, cells in lines:
            acc = _cell(cells, at).strip()
            chunk = chunk_of.get(acc)
            if chunk is None:
                chunk = chunk_of[acc] = len(chunk_of) // size
            by_chunk.setdefault(chunk, []).append((number, cells))
            self.waiting += 1
            if self.waiting >= _SPILL * size:
                self._spill(index, by_chunk)
        self._spill(index, by_chunk)
        return file

    def _spill(self, index: int, by_chunk: dict[int, list[tuple[int, list[str]]]]) -> None:
        for chunk, lines in by_chunk.items():
            with (self.folder / f"{chunk}.pickle").open("ab") as out:
                pickle.dump((index, lines), out, protocol=pickle.HIGHEST_PROTOCOL)
        by_chunk.clear()
        self.waiting = 0

    def load(self, chunk: int) -> dict[int, list[tuple[int, list[str]]]]:
        """A chunk's lines by file, and its spill file gone."""
        lines: dict[int, list[tuple[int, list[str]]]] = {}
        target = self.folder / f"{chunk}.pickle"
        if not target.exists():
            return lines
        with target.open("rb") as spilled:
            while True:
                try:
                    index, part = pickle.load(spilled)
                except EOFError:
                    break
                lines.setdefault(index, []).extend(part)
        target.unlink()
        return lines


_SPILL = 4  # lines read per accession number of a chunk before they are written out: memory goes with the chunk
@dataclass
class _Filings:
    """The filings being read, by accession number; what cannot be read is a warning on its filing."""

    path: Path
    by_accession: dict[str, Filing] = field(default_factory=dict)

    def add(self, file: _File, number: int, cells: list[str]) -> None:
        table = file.table
        acc = _cell(cells, file.at("ACCESSION_NUMBER")).strip()
        filing = self.by_accession.get(acc)
        if table is SUBMISSION:
            if filing is None:
                filing = self._new(acc)
                self._fill(filing, filing, file, number, cells, "")
            else:
                self._warn(filing, "accession_number",
                           f"SUBMISSION.tsv line {number} repeats this accession number: that row is left out")
            return
        if filing is None:
            filing = self._new(acc)
            self._warn(filing, "accession_number", f"{table.member}.tsv line {number}: no SUBMISSION.tsv "
                                                   "row for this accession number; the filing's own fields are empty")
        items: list[Any] = getattr(filing, table.attr or "")
        item = table.kind(id="", text="") if table.kind is Footnote else table.kind()
        self._fill(filing, item, file, number, cells, f"{table.attr}[{len(items)}].")
        items.append(item)

    def _new(self, acc: str) -> Filing:
        filing = Filing(accession_number=acc or None, source="sec-dataset", source_name=str(self.path))
        if not acc:
            self._warn(filing, "accession_number", "a row without ACCESSION_NUMBER")
        self.by_accession[acc] = filing
        return filing

    def _fill(self, filing: Filing, item: Any, file: _File, number: int, cells: list[str], where: str) -> None:
        for column, convert, at, notes_at in file.plan:
            target = column.field or ""
            try:
                value = convert(_cell(cells, at))
            except ValueError as exc:
                self._warn(filing, where + target,
                           f"{file.table.member}.tsv line {number}, {column.name}: {exc}; left empty")
                value = None
            if value is not None:
                _set(item, target, value)
            notes = _cell(cells, notes_at)
            ids = [fid.strip() for fid in notes.split(",") if fid.strip()] if notes else None
            if ids:
                item.footnotes[column.keys[0]] = ids

    def _warn(self, filing: Filing, path: str, message: str) -> None:
        filing.warnings.append(Warning(field=path, message=message))


def _set(item: Any, path: str, value: Any) -> None:
    if path == "relationship":
        labels = {label.strip().lower() for label in value.split(",")}
        for attr, label in _RELATIONS:
            setattr(item, attr, label.lower() in labels)
        return
    *parts, name = path.split(".")
    for part in parts:
        item = getattr(item, part)
    setattr(item, name, value)


def _open(path: Path) -> zipfile.ZipFile:
    if path.is_dir():
        raise DatasetError(f"{path}: a directory, not an SEC data set zip")
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError:
        raise DatasetError(f"{path}: no such file") from None
    except zipfile.BadZipFile:
        raise DatasetError(f"{path}: not a zip file (an SEC data set is a YYYYqN_form345.zip)") from None
    except OSError as exc:
        raise DatasetError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def _members(zf: zipfile.ZipFile, path: Path) -> dict[str, zipfile.ZipInfo]:
    """The data set's files by name, found in any folder and any case (2024Q1/submission.TSV)."""
    found: dict[str, list[zipfile.ZipInfo]] = {}
    for info in zf.infolist():
        name = info.filename.replace("\\", "/").rsplit("/", 1)[-1].upper()
        if name.endswith(".TSV") and not info.is_dir():
            found.setdefault(name[:-4], []).append(info)
    if SUBMISSION.member not in found:
        raise DatasetError(f"{path}: not an SEC Insider Transactions Data Set (no SUBMISSION.tsv)")
    missing = [f"{t.member}.tsv" for t in TABLES if t.member not in found]
    if missing:
        raise DatasetError(f"{path}: an SEC data set without {', '.join(missing)}")
    for infos in found.values():
        if len(infos) > 1:
            raise DatasetError(f"{path}: {', '.join(i.filename for i in infos)}: one data set per zip")
    return {name: infos[0] for name, infos in found.items()}


def _read_file(zf: zipfile.ZipFile, info: zipfile.ZipInfo, table: Table, path: Path, chunks: _Chunks) -> _File:
    """One file of the data set, once its header has the columns the table must have, its
    lines spilled to ``chunks``."""
    return read_lines(zf, info, table, path, chunks.split)


def read_lines(zf: zipfile.ZipFile, info: zipfile.ZipInfo, table: Table, path: Path,
               take: Callable[[_File, Iterator[tuple[int, list[str]]]], T]) -> T:
    """``take`` given the file (where its columns are) and its lines (number, cells; blank ones
    left out) as Python's csv module reads them, once its header has the columns the table must
    have; whatever the file's bytes, an error is a ``DatasetError`` naming the file (and line)."""
    where = f"{path}: {table.member}.tsv"
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 24))  # remarks and footnotes run long
    try:
        with zf.open(info) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
            reader = csv.reader(_without_nul(text), delimiter="\t")  # CSV quoting, as the SEC quotes
            try:
                header = [_canonical(name) for name in next(reader, [])]
                check_header(table, header, where)
                positions = {name: i for i, name in reversed(list(enumerate(header)))}  # the first one stands
                lines = ((reader.line_num, cells) for cells in reader if any(cells))
                return take(_File(table, positions, []), lines)
            except csv.Error as exc:
                raise DatasetError(f"{where}: line {reader.line_num}: {exc}") from None
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise DatasetError(f"{where}: damaged in the zip ({exc})") from None
    except (RuntimeError, NotImplementedError) as exc:  # encrypted, or a compression zipfile lacks
        raise DatasetError(f"{where}: cannot be read ({exc})") from None


def check_header(table: Table, header: list[str], where: str) -> None:
    """Raise ``DatasetError`` unless the header (names as ``_canonical`` spells them) has the
    columns the table must have."""
    missing = [c for c in table.required if _canonical(c) not in header]
    if missing:
        raise DatasetError(f"{where}: no column {', '.join(missing)}")


def _without_nul(lines: Iterable[str]) -> Iterator[str]:
    """The lines without NUL characters, which the csv module refuses and some filers' text holds."""
    for line in lines:
        yield line.replace("\0", "")
