"""Reader for the SEC's HTML rendering of an ownership filing (``xslF345X0N/…html``).

The page is laid out by the SEC's stylesheet, so each box is found by its printed label
("1. Name and Address of Reporting Person", "Table I - …") and each table column by its
header text, not by position: Forms 3, 4 and 5 print different columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import lxml.html
from lxml import etree

from form4.errors import MalformedInputError
from form4.model import (
    DerivativeHolding,
    DerivativeTransaction,
    Filing,
    Footnote,
    Issuer,
    NonDerivativeHolding,
    NonDerivativeTransaction,
    ReportingOwner,
    Signature,
    Warning,
)
from form4.readers import values as v

_FORM = re.compile(r"FORM\s+([345](?:/A)?)\b", re.IGNORECASE)
_CIK = re.compile(r"CIK=(\d+)")
_MARK = re.compile(r"\((\d+)\)")
_FOOTNOTE = re.compile(r"^\s*(\d+)\.\s*(.*)$", re.DOTALL)
_SPACE = re.compile(r"\s+")

# Column header text -> record field (first match wins, most specific first).
_COLUMNS: list[tuple[str, str]] = [
    ("title of derivative security", "security_title"),
    ("title of security", "security_title"),
    ("conversion or exercise price", "conversion_or_exercise_price"),
    ("deemed execution date", "deemed_execution_date"),
    ("transaction date", "transaction_date"),
    ("beneficially owned", "shares_owned_following"),
    ("code", "transaction_code"),
    ("v", ""),
    ("amount or number of shares", "underlying_shares"),
    ("(a) or (d)", "acquired_disposed"),
    ("(a)", "shares:A"),
    ("(d)", "shares:D"),
    ("amount", "shares"),
    ("price of derivative security", "price_per_share"),
    ("price", "price_per_share"),
    ("date exercisable", "exercise_date"),
    ("expiration date", "expiration_date"),
    ("title", "underlying_security_title"),
    ("ownership form", "direct_or_indirect"),
    ("nature of indirect", "nature_of_ownership"),
]
_CONVERT: dict[str, Callable[[str], Any]] = {
    "conversion_or_exercise_price": v.number, "shares": v.number, "price_per_share": v.number,
    "underlying_shares": v.number, "shares_owned_following": v.number,
    "total_value": v.number, "value_owned_following": v.number, "underlying_value": v.number,
    "transaction_date": v.date, "deemed_execution_date": v.date, "exercise_date": v.date,
    "expiration_date": v.date, "transaction_code": v.code, "acquired_disposed": v.code,
    "direct_or_indirect": v.code,
}
# An amount column prints a share count, or (the schema's choice) a dollar value after a "$", as
# the SEC prints every dollar amount: the field a "$" in each amount column stands for.
# The field of a column whose header names none of the above (a column the V column's "" is not).
_UNKNOWN = "?"
_DOLLAR_FIELDS = {"shares": "total_value", "shares_owned_following": "value_owned_following",
                  "underlying_shares": "underlying_value"}


def _xpath(el: Any, expression: str) -> list[Any]:
    """Elements (or strings) an XPath expression selects, typed loosely: lxml's union is wide."""
    found: list[Any] = el.xpath(expression)
    return found


def _text(el: etree._Element) -> str:
    return _SPACE.sub(" ", "".join(str(t) for t in el.itertext())).strip()


def _head(el: etree._Element, size: int = 120) -> str:
    """The first ``size`` characters of an element's text (outer cells hold whole pages)."""
    parts: list[str] = []
    length = 0
    for part in el.itertext():
        parts.append(str(part))
        length += len(part)
        if length > 2 * size:
            break
    return _SPACE.sub(" ", "".join(parts)).strip()[:size]


def _us_date(raw: str) -> Any:
    """MM/DD/YYYY as printed on the form."""
    raw = raw.strip()
    if not raw:
        return None
    month, day, year = raw.split("/")
    return v.date(f"{int(year):04d}-{int(month):02d}-{int(day):02d}")


def read_html(data: bytes, source: str | None = None) -> Filing:
    """Read the SEC's rendering of a Form 3, 4 or 5 into a Filing."""
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, encoding="utf-8")
    try:
        root = lxml.html.fromstring(data, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise MalformedInputError(f"unreadable HTML: {exc}", source=source) from None
    try:
        return _PageReader(root, source).read()
    except (ValueError, IndexError, TypeError) as exc:  # a page whose layout is not the SEC's
        raise MalformedInputError(f"page layout not understood: {exc}", source=source) from None


class _PageReader:
    def __init__(self, root: etree._Element, source: str | None):
        self.root = root
        self.source = source
        self.warnings: list[Warning] = []
        # Each cell's opening text, once: boxes are found by the label they start with.
        self.heads = [(cell, _head(cell)) for cell in _xpath(root, "//td|//th")]

    def read(self) -> Filing:
        form = _FORM.search(" ".join(_text(c) for c in _xpath(self.root, "//td[@class='FormName']")))
        if form is None:
            raise MalformedInputError("no 'FORM 3/4/5' title: not an ownership filing page",
                                      source=self.source, field="form_type")
        rows: dict[str, Any] = self._tables(form.group(1))
        return Filing(
            form_type=form.group(1).upper(),
            period_of_report=self._labelled_date("Date of Earliest Transaction", "Date of Event Requiring",
                                                 "Statement for Issuer's Fiscal Year Ended"),
            date_of_original_submission=self._labelled_date("If Amendment, Date of Original Filed"),
            issuer=self._issuer(), reporting_owners=self._owners(), footnotes=self._footnotes(),
            remarks=self._remarks(), signatures=self._signatures(), source="html",
            source_name=self.source, warnings=self.warnings, **rows)

    def _warn(self, field: str, message: str) -> None:
        self.warnings.append(Warning(field=field, message=message))

    def _labelled(self, *labels: str) -> Iterator[etree._Element]:
        for cell, head in self.heads:
            if any(label in head for label in labels):
                yield cell

    def _labelled_date(self, *labels: str) -> Any:
        for cell in self._labelled(*labels):
            spans = _xpath(cell, ".//span[contains(@class,'FormData')]")
            raw = _text(spans[0]) if spans else ""
            try:
                return _us_date(raw)
            except ValueError:
                self._warn("period_of_report", f"not a date: {raw!r}")
        return None

    def _issuer(self) -> Issuer:
        for cell in self._labelled("Issuer Name"):
            link = cell.find(".//a")
            symbol = _xpath(cell, ".//span[contains(@class,'FormData')]")
            cik = _CIK.search(link.get("href", "")) if link is not None else None
            return Issuer(cik=v.cik(cik.group(1)) if cik else None,
                          name=v.text(_text(link)) if link is not None else None,
                          trading_symbol=v.text(_text(symbol[0])) if symbol else None)
        return Issuer()

    def _owners(self) -> list[ReportingOwner]:
        owners = []
        for cell in self._labelled("Name and Address of Reporting Person"):
            link = cell.find(".//a")
            cik = _CIK.search(link.get("href", "")) if link is not None else None
            name = _text(link) if link is not None else ""
            spans = [v.text(_text(s)) for s in _xpath(cell, ".//span[contains(@class,'FormData')]")]
            street1, street2, city, state, zip_code = (spans + [None] * 5)[:5]
            owner = ReportingOwner(cik=v.cik(cik.group(1)) if cik else None, name=v.text(name),
                                   street1=street1, street2=street2, city=city, state=state, zip=zip_code)
            self._relationship(cell, owner)
            owners.append(owner)
        return owners

    def _relationship(self, name_cell: etree._Element, owner: ReportingOwner) -> None:
        # The box follows the name: in the same row on Forms 4 and 5, in the next on Form 3.
        boxes = _xpath(name_cell, "following::td[contains(., 'Relationship of Reporting')][1]")
        if not boxes:
            return
        grid = [[_text(td) for td in _xpath(tr, "./td")] for tr in _xpath(boxes[0], ".//table//tr")]
        if len(grid) >= 2 and all(len(r) >= 4 for r in grid[:2]):
            owner.is_director = "X" in grid[0][0].upper()
            owner.is_ten_percent_owner = "X" in grid[0][2].upper()
            owner.is_officer = "X" in grid[1][0].upper()
            owner.is_other = "X" in grid[1][2].upper()
        if len(grid) >= 3 and len(grid[2]) >= 4:
            owner.officer_title = v.text(grid[2][1])
            owner.other_text = v.text(grid[2][3])

    def _tables(self, form: str) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {"non_derivative_transactions": [], "non_derivative_holdings": [],
                                     "derivative_transactions": [], "derivative_holdings": []}
        for table in _xpath(self.root, "//table[.//th]"):
            title = _text(_xpath(table, ".//th")[0])
            if not title.startswith("Table I"):
                continue
            derivative = title.startswith("Table II")
            columns = _header_fields(table)
            prefix = "derivative" if derivative else "non_derivative"
            for tr in _xpath(table, "./tbody/tr|./tr[td]"):
                cells = _xpath(tr, "./td")
                if len(cells) != len(columns):
                    self._misfit(prefix, cells, columns)
                    continue
                holding = form.startswith("3") or not any(
                    _cell_value(c)[0] for c, f in zip(cells, columns, strict=True)
                    if f in ("transaction_date", "transaction_code"))
                kind = "holdings" if holding else "transactions"
                name = f"{prefix}_{kind}"
                out[name].append(self._row(cells, columns, name, len(out[name]), derivative, holding))
        return out

    def _misfit(self, prefix: str, cells: list[etree._Element], columns: list[str]) -> None:
        """A row with more or fewer cells than the table has columns cannot be put under its
        headers: it is left out, and said so unless nothing is printed in it (a spacer). Which
        of the table's two lists it belonged to is not known, so both are flagged."""
        if all(_cell_value(c) == ("", []) for c in cells):
            return
        printed = " | ".join(_text(c) for c in cells)[:120]
        for kind in ("transactions", "holdings"):
            self._warn(f"{prefix}_{kind}", f"a row of {len(cells)} cells under {len(columns)} "
                       f"columns left out: {printed!r}")

    def _row(self, cells: list[etree._Element], columns: list[str], name: str, index: int,
             derivative: bool, holding: bool) -> Any:
        fields: dict[str, Any] = {}
        notes: dict[str, list[str]] = {}
        for cell, column in zip(cells, columns, strict=True):
            raw, marks = _cell_value(cell)
            if column == _UNKNOWN and (raw or marks):
                self._warn(f"{name}[{index}]", f"{raw!r} {marks} under a column not understood; left out")
            if column in ("", _UNKNOWN):  # the V column, or a header the reader does not know
                continue
            key = column.split(":")[0]
            if marks:
                notes.setdefault(key, []).extend(f"F{m}" for m in marks)
            if not raw:
                continue
            if column.startswith("shares:"):
                fields["acquired_disposed"] = column[-1]
            if raw.startswith("$") and key in _DOLLAR_FIELDS:
                key = _DOLLAR_FIELDS[key]
                if marks:  # the marks belong to the field printed
                    notes[key] = notes.pop(column.split(":")[0])
            convert = _CONVERT.get(key, v.text)
            try:
                value = _us_date(raw) if convert is v.date else convert(raw)
            except ValueError as exc:
                self._warn(f"{name}[{index}].{key}", f"{exc}; left empty")
                continue
            if value is not None:
                fields[key] = value
        cls = {(False, False): NonDerivativeTransaction, (False, True): NonDerivativeHolding,
               (True, False): DerivativeTransaction, (True, True): DerivativeHolding}[(derivative, holding)]
        allowed = set(cls.__struct_fields__)
        return cls(**{k: val for k, val in fields.items() if k in allowed}, footnotes=notes)

    def _footnotes(self) -> list[Footnote]:
        notes = []
        for cell in _xpath(self.root, "//td[@class='FootnoteData']"):
            match = _FOOTNOTE.match(_text(cell))
            if match:
                notes.append(Footnote(id=f"F{match.group(1)}", text=match.group(2).strip()))
        return notes

    def _remarks(self) -> str | None:
        for cell in self._labelled("Remarks:"):
            row = cell.getparent()
            following = row.getnext() if row is not None else None
            if following is not None and _text(cell) == "Remarks:":
                return v.text(_text(following))
        return None

    def _signatures(self) -> list[Signature]:
        signatures: list[Signature] = []
        for cell in self._labelled("** Signature of Reporting Person"):
            row = cell.getparent()
            above = row.getprevious() if row is not None else None
            if above is None:
                continue
            spans = [_text(s) for s in _xpath(above, ".//span[contains(@class,'FormData')]")]
            if len(spans) >= 2:
                try:
                    date = _us_date(spans[1])
                except ValueError:
                    date = None
                    self._warn(f"signatures[{len(signatures)}].date", f"not a date: {spans[1]!r}")
                signatures.append(Signature(name=v.text(spans[0]), date=date))
        return signatures


def _header_fields(table: etree._Element) -> list[str]:
    """The record field of each body column, from the two header rows (groups and their parts)."""
    rows = _xpath(table, ".//thead/tr|./tr[th]")
    if len(rows) < 2:
        return []
    top = _xpath(rows[1], "./th")
    parts = iter(_xpath(rows[2], "./th")) if len(rows) > 2 else iter([])
    fields: list[str] = []
    for th in top:
        colspan = th.get("colspan", "1").strip()
        span = int(colspan) if colspan.isdigit() else 1
        if span == 1:
            fields.append(_field(_text(th)))
        else:
            fields.extend(_field(_text(next(parts, th))) for _ in range(span))
    return fields


def _field(header: str) -> str:
    label = re.sub(r"^\d+[A-Z]?\.\s*", "", header).lower()
    label = re.sub(r"\s*\(instr\.[^)]*\)|\s*\(month/day/year\)", "", label).strip()
    for needle, field in _COLUMNS:
        if label == needle or (len(needle) > 3 and needle in label):
            return field
    return _UNKNOWN


def _cell_value(cell: etree._Element) -> tuple[str, list[str]]:
    """A cell's printed text and its footnote marks. The page is left as it is: a cell is read
    more than once (whether its row is a holding, then its value)."""
    marks = [m for sup in _xpath(cell, ".//sup") for m in _MARK.findall(_text(sup))]
    return _SPACE.sub(" ", "".join(_unmarked(cell))).strip(), marks


def _unmarked(el: etree._Element) -> Iterator[str]:
    """An element's text without that of its <sup> marks (a mark's tail is the cell's own text)."""
    if el.tag == "sup":
        return
    yield el.text or ""
    for child in el:
        yield from _unmarked(child)
        yield child.tail or ""
