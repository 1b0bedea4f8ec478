"""EDGAR's index files: ``form.idx``/``company.idx`` (fixed-width), ``master.idx`` (pipes), and the
``index.json`` directory listings. Bytes in, typed values out; no network.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
from dataclasses import dataclass
from typing import Any

from form4.errors import EdgarError

__all__ = ["IndexEntry", "ListingItem", "index_days", "parse_index", "parse_listing"]

_ACCESSION = re.compile(r"(\d{10}-\d{2}-\d{6})")
_MASTER_HEADER = "CIK|Company Name|Form Type|Date Filed|Filename"
_FIXED_LABELS = ("Form Type", "Company Name", "CIK", "Date Filed", "File Name")


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


def _text(data: bytes) -> str:
    if data[:2] == b"\x1f\x8b":  # a .gz body, whatever the file was called
        data = gzip.decompress(data)
    # Company names are Latin-1 in old indexes; no byte is left unreadable.
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _date(raw: str, lineno: int) -> dt.date:
    try:
        if len(raw) == 8 and raw.isdigit():  # daily files write YYYYMMDD
            return dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise EdgarError(f"index line {lineno}: {raw!r} is not a date") from None


def _cik(raw: str, lineno: int) -> int:
    if not raw.isdigit():
        raise EdgarError(f"index line {lineno}: CIK {raw!r} is not a number")
    return int(raw)


def parse_index(data: bytes) -> list[IndexEntry]:
    """The entries of a full- or daily-index ``master``, ``form`` or ``company`` file (``.gz`` too)."""
    lines = _text(data).splitlines()
    for at, line in enumerate(lines):
        if line.startswith(_MASTER_HEADER):
            return _master(lines, at + 1)
        if all(label in line for label in _FIXED_LABELS):
            return _fixed(lines, at + 1, line)
    raise EdgarError("index has no header line (CIK|Company Name|... or Form Type  Company Name ...)")


def _body(lines: list[str], start: int) -> list[tuple[int, str]]:
    """Numbered (1-based) data lines after the header: the dashed rule and blank lines skipped."""
    return [(n + 1, line) for n, line in enumerate(lines[start:], start)
            if line.strip() and not set(line.strip()) <= {"-"}]


def _master(lines: list[str], start: int) -> list[IndexEntry]:
    entries = []
    for lineno, line in _body(lines, start):
        parts = line.rstrip().split("|")
        if len(parts) != 5:
            raise EdgarError(f"index line {lineno}: expected 5 fields separated by '|', found {len(parts)}")
        cik, company, form, filed, path = (p.strip() for p in parts)
        entries.append(IndexEntry(form, company, _cik(cik, lineno), _date(filed, lineno), path))
    return entries


def _fixed(lines: list[str], start: int, header: str) -> list[IndexEntry]:
    # CIK, date and file name never hold spaces: taking them as the last three words keeps a row
    # readable when a long company name pushes past its column. Only the left-hand columns (form
    # type and company, in either order) are cut where the header puts them.
    left = sorted((header.index(label), label) for label in ("Form Type", "Company Name"))
    entries = []
    for lineno, line in _body(lines, start):
        words = line.rstrip().rsplit(None, 3)
        if len(words) != 4 or len(words[0]) < left[1][0]:
            raise EdgarError(f"index line {lineno}: expected columns {', '.join(_FIXED_LABELS)}")
        prefix, cik, filed, path = words
        cut = left[1][0]
        fields = {left[0][1]: prefix[:cut].strip(), left[1][1]: prefix[cut:].strip()}
        if not fields["Form Type"]:
            raise EdgarError(f"index line {lineno}: no form type")
        entries.append(IndexEntry(fields["Form Type"], fields["Company Name"], _cik(cik, lineno),
                                  _date(filed, lineno), path))
    return entries


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
