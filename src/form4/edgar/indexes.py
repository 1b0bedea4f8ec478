"""EDGAR's index files: ``form``/``company`` (fixed-width), ``master`` (pipes), daily and quarterly,
plain or gzipped, and the ``index.json`` directory listings. Bytes in, typed values out; no network.

An index is a free-form preamble, then its column labels (on one line, or wrapped over two)
above a dashed rule, then one filing a line. The labels are what a file is known by: their
order says which layout follows, whatever the preamble says or how the labels are spaced.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from form4.errors import EdgarError

__all__ = ["IndexEntry", "ListingItem", "index_days", "parse_index", "parse_listing"]

_ACCESSION = re.compile(r"(\d{10}-\d{2}-\d{6})")
# Only ASCII blanks part columns: a Latin-1 name may hold \xa0 or \x85, and those are its text.
_BLANK = " \t"
_RULE = re.compile(r"[ \t]*-{3,}[ \t]*")
_LABEL = re.compile(r"(cik|company[ \t]+name|form[ \t]+type|date[ \t]+filed|file[ \t]*name)[ \t]*", re.IGNORECASE)
_LABEL_NAMES = {"cik": "cik", "companyname": "company", "formtype": "form", "datefiled": "filed", "filename": "path"}
_PIPED = ("cik", "company", "form", "filed", "path")
_RIGHT = ("cik", "filed", "path")  # never hold a space: a fixed-width row's last three words
_WORD_START = re.compile(r"[ \t](?=[^ \t])")
_DATE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})|([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DIGITS = re.compile(r"[0-9]+")
_TITLES = {"cik": "CIK", "company": "Company Name", "form": "Form Type", "filed": "Date Filed", "path": "File Name"}


@dataclass(frozen=True, slots=True)
class IndexEntry:
    form_type: str
    company: str
    cik: int
    date_filed: dt.date
    path: str  # as the index gives it: edgar/data/CIK/ACCESSION.txt

    @property
    def accession_number(self) -> str:
        found = _ACCESSION.search(self.path.rsplit("/", 1)[-1])
        if found is None:
            raise EdgarError(f"index path {self.path!r} names no accession number")
        return found.group(1)


@dataclass(frozen=True, slots=True)
class ListingItem:
    name: str
    type: str
    href: str
    size: str
    last_modified: str


@dataclass(frozen=True, slots=True)
class _Layout:
    """What an index's labels say: the columns in order, pipes or fixed columns, and (fixed) the
    column where the labels put the second field."""

    columns: tuple[str, ...]
    piped: bool
    second_at: int = 0


def parse_index(data: bytes, *, source: str | None = None) -> list[IndexEntry]:
    """The entries of a full- or daily-index ``master``, ``form`` or ``company`` file (``.gz`` too).

    A line that cannot be read is an error naming its number (and ``source``, when given)."""
    where = f"{source}: index" if source else "index"
    lines = _lines(data)
    layout, start = _header(lines, where)
    body = [(n + 1, line) for n, line in enumerate(lines[start:], start) if line.strip(_BLANK)]
    return _piped(body, where) if layout.piped else _fixed(body, layout, where)


def _lines(data: bytes) -> list[str]:
    if data[:2] == b"\x1f\x8b":  # a .gz body, whatever the file was called
        data = gzip.decompress(data)
    # Newlines alone end a line: str.splitlines would also break a Latin-1 name at \x85 or \x1c.
    try:
        lines = data.decode("utf-8").split("\n")
    except UnicodeDecodeError:  # old names are Latin-1: each line is read as best it can be
        lines = [_decode(line) for line in data.split(b"\n")]
    return [line.rstrip("\r") for line in lines]


def _decode(line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode("latin-1")  # every byte is a character: nothing is left unreadable


def _header(lines: list[str], where: str) -> tuple[_Layout, int]:
    """The layout the column labels above the first labelled dashed rule give, and where rows start."""
    for at, line in enumerate(lines):
        if not _RULE.fullmatch(line):
            continue
        for count in (1, 2):  # the labels on one line, or wrapped over two
            block = lines[at - count:at] if at >= count else []
            if not block or not all(row.strip(_BLANK) for row in block):
                break
            layout = _layout(block, where)
            if layout is not None:
                return layout, at + 1
    raise EdgarError(f"{where} has no header: no column labels (CIK, Company Name, Form Type, Date Filed, "
                     "File Name) above a dashed rule")


def _label_name(text: str) -> str | None:
    return _LABEL_NAMES.get(re.sub(r"[ \t]+", "", text).lower())


def _layout(block: list[str], where: str) -> _Layout | None:
    """The layout the labels of ``block`` name, None when they are not a full set of labels."""
    text = " ".join(row.strip(_BLANK) for row in block)
    piped = "|" in text
    if piped:
        names = [_label_name(cell) for cell in text.split("|")]
    elif _LABEL.sub("", text).strip(_BLANK):
        return None  # words that are no labels: a line of the preamble
    else:
        names = [_label_name(found.group(1)) for found in _LABEL.finditer(text)]
    columns = tuple(name for name in names if name is not None)
    if len(columns) != len(names) or sorted(columns) != sorted(_PIPED):
        return None
    shown = ", ".join(_TITLES[c] for c in columns)
    if piped and columns != _PIPED:
        raise EdgarError(f"{where} header has the columns {shown}; form4 reads CIK|Company Name|Form Type|"
                         "Date Filed|File Name")
    if piped:
        return _Layout(columns, piped=True)
    if columns[2:] != _RIGHT:
        raise EdgarError(f"{where} header has the columns {shown}; form4 reads CIK, Date Filed and File Name "
                         "as the last three")
    return _Layout(columns, piped=False, second_at=_label_column(block, columns[1]))


def _label_column(block: list[str], name: str) -> int:
    for row in block:
        for found in _LABEL.finditer(row):
            if _label_name(found.group(1)) == name:
                return found.start()
    raise AssertionError(f"label {name} vanished")  # _layout found it in these rows


def _date(raw: str, lineno: int, where: str) -> dt.date:
    day = _read_date(raw)
    if day is None:
        raise EdgarError(f"{where} line {lineno}: Date Filed {raw!r} is not a date")
    return day


@functools.lru_cache(maxsize=1024)  # an index holds a few dates many times over
def _read_date(raw: str) -> dt.date | None:
    found = _DATE.fullmatch(raw)  # daily files write YYYYMMDD, quarterly ones YYYY-MM-DD
    if found is None:
        return None
    year, month, day = (int(part) for part in found.groups() if part is not None)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _cik(raw: str, lineno: int, where: str) -> int:
    if not _DIGITS.fullmatch(raw):
        raise EdgarError(f"{where} line {lineno}: CIK {raw!r} is not a number")
    return int(raw)


def _entry(form: str, company: str, cik: str, filed: str, path: str, lineno: int, where: str) -> IndexEntry:
    if not form:
        raise EdgarError(f"{where} line {lineno}: no Form Type")
    if not path:
        raise EdgarError(f"{where} line {lineno}: no File Name")
    return IndexEntry(form, company, _cik(cik, lineno, where), _date(filed, lineno, where), path)


def _piped(body: list[tuple[int, str]], where: str) -> list[IndexEntry]:
    entries = []
    for lineno, line in body:
        cells = line.split("|")
        if len(cells) < len(_PIPED):
            raise EdgarError(f"{where} line {lineno}: expected 5 fields separated by '|', found {len(cells)}")
        # A name may hold a '|': the CIK is the first field, form, date and path the last three,
        # and the name is what lies between.
        cik, form, filed, path = (cell.strip(_BLANK) for cell in (cells[0], *cells[-3:]))
        company = "|".join(cells[1:-3]).strip(_BLANK)  # as written, blanks around a '|' kept
        entries.append(_entry(form, company, cik, filed, path, lineno, where))
    return entries


@dataclass(frozen=True, slots=True)
class _Row:
    lineno: int
    left: str  # the two left-hand fields (form type and company name, in the labels' order)
    cik: str
    cik_at: int
    filed: str
    path: str


def _fixed(body: list[tuple[int, str]], layout: _Layout, where: str) -> list[IndexEntry]:
    rows = []
    for lineno, line in body:
        row = _row(lineno, line)
        if row is None:
            columns = ", ".join(_TITLES[c] for c in layout.columns)
            raise EdgarError(f"{where} line {lineno}: expected the columns {columns}")
        rows.append(row)
    if not rows:
        return []
    # Where the columns really are is read off the rows: EDGAR has widened the form type column
    # under an unchanged header, so the labels only bound the second field from the left. Rows
    # pushed right by a long field (their CIK out of line) have no vote.
    cik_at = _most_common((row.cik_at for row in rows), 0)
    second = _most_common((_word_start(row.left, layout.second_at) for row in rows if row.cik_at == cik_at),
                          layout.second_at)
    name_first = layout.columns[0] == "company"
    entries = []
    for row in rows:
        cut = _cut(row.left, second, row.cik_at - cik_at, name_first)
        first, other = row.left[:cut].strip(_BLANK), row.left[cut:].strip(_BLANK)
        form, company = (other, first) if name_first else (first, other)
        entries.append(_entry(form, company, row.cik, row.filed, row.path, row.lineno, where))
    return entries


def _row(lineno: int, line: str) -> _Row | None:
    """A fixed-width row cut into its left-hand fields and its last three words (CIK, date and
    file name never hold a blank), or None when it has fewer than four words. Words are found
    from the right with str.rfind: a regular expression backtracks over the whole line."""
    end = len(line.rstrip(_BLANK))
    words: list[tuple[int, str]] = []
    for _ in range(3):
        start = max(line.rfind(" ", 0, end), line.rfind("\t", 0, end)) + 1
        if start == 0:
            return None
        words.append((start, line[start:end]))
        end = len(line[:start].rstrip(_BLANK))
    if end == 0:
        return None
    (_, path), (_, filed), (cik_at, cik) = words
    return _Row(lineno, line[:end], cik, cik_at, filed, path)


def _word_start(text: str, at: int) -> int | None:
    """The first column from ``at`` on where a word begins after a blank."""
    found = _WORD_START.search(text, max(at - 1, 0))
    return found.end() if found else None


def _most_common(values: Iterable[int | None], default: int) -> int:
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return default
    return max(sorted(counts), key=counts.__getitem__)  # the most rows; the leftmost of equals


def _cut(left: str, second: int, shift: int, name_first: bool) -> int:
    """Where the second left-hand field of a row begins: at the file's column, or, in a row whose
    CIK is out of line by ``shift``, that much off it when the name comes first.

    The name is the field that runs past its column (or, its wide characters counted as bytes,
    falls short of it), moving what follows it by as much as the CIK shows. Each try must fall
    where a word begins after a blank; failing both, the second field is the next word after its
    column (a form type run long, the row not moved)."""
    tries = [second + shift, second] if name_first else [second, second + shift]
    later = _word_start(left, second + 1)
    for cut in [*tries, *([later] if later is not None else [])]:
        if 0 < cut < len(left) and left[cut - 1] in _BLANK and left[cut] not in _BLANK:
            return cut
    return len(left)  # one field only: the second is empty


def parse_listing(data: bytes) -> list[ListingItem]:
    """The items of an EDGAR directory ``index.json`` (``{"directory": {"item": [...]}}``)."""
    try:
        doc: Any = json.loads(data)
        items = doc["directory"]["item"]
        return [ListingItem(name=str(i["name"]), type=str(i.get("type", "")), href=str(i.get("href") or i["name"]),
                            size=str(i.get("size", "")), last_modified=str(i.get("last-modified", "")))
                for i in items]
    except (ValueError, KeyError, TypeError) as exc:
        raise EdgarError(f"not an EDGAR directory listing: {type(exc).__name__}: {exc}") from None


def index_days(listing: list[ListingItem], kind: str = "form") -> list[dt.date]:
    """The days a daily-index quarter listing has a ``KIND.YYYYMMDD.idx`` for, in order."""
    pattern = re.compile(rf"{re.escape(kind)}\.(\d{{8}})\.idx$")
    days = set()
    for item in listing:
        found = pattern.match(item.name)
        if found:
            raw = found.group(1)
            days.add(dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:])))
    return sorted(days)
