"""The same filing drawn many ways: what varies between the forms people print and type.

A ``Variant`` changes how EDGAR's page (``form4.writers.html``) is drawn and printed: fonts
and their sizes, how columns share the width, cell padding and alignment, a page break inside
a table, headers repeated on each page, paper and zoom. ``typed_form`` draws a filing as the
typed forms filed before 2003 (tables of ``|`` and ``_``, or columns aligned by spaces), and
``in_submission`` wraps such a document in an EDGAR submission. ``visible`` is what a printed
form shows of a record: the truth any of these drawings is read against.

Only presentation lives here; which records to draw and how to spoil the drawings (OCR, scans)
is the test-data generator's (``benchmarks/generate_lossy.py``).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import textwrap
from dataclasses import asdict, dataclass, replace
from typing import Any

from form4.model import ROW_TABLES, Filing, ReportingOwner
from form4.writers.html import FORMS, MARKED, TABLE_ONE, TABLE_TWO, Column, base_form, value_text
from form4.writers.pdf import PageSetup

__all__ = ["FONTS", "LEGIBLE_POINTS", "Variant", "in_submission", "styled_html", "typed_form", "visible"]

FONTS = ("Times, serif", "Arial, Helvetica, sans-serif", "'Liberation Sans Narrow', sans-serif",
         "'DejaVu Serif', serif", "'DejaVu Sans', sans-serif", "'Courier New', monospace")
# The page's text classes and their sizes in pixels at a font scale of 1 (the SEC's keywords).
_SIZES = {"FormData": 13, "SmallFormData": 10, "FootnoteData": 10, "FormText": 13, "FormTextC": 13,
          "SmallFormText": 9, "SmallFormTextR": 9, "MedSmallFormText": 10, "FormTitle": 16, "FormName": 18}
# The size a person's print keeps the smallest data text at, in points, for OCR (see
# ``Variant.legible``): the corpus' prints of EDGAR's page (Letter, Liberation fonts) set Table
# II's values and the footnotes at about 6.8 pt and Table I's at 8.8 pt, and Tesseract reads
# nearly every value there.
LEGIBLE_POINTS = 6.75
_POINTS_PER_PIXEL = 0.75  # a CSS pixel is 1/96 inch, a point 1/72
# the smallest data text's size at a font scale of 1 (Table II's values and the footnotes), in CSS pixels
_SMALLEST_DATA = min(_SIZES[name] for name in ("FormData", "SmallFormData", "FootnoteData"))
# The top-level tables of the page, in order: the title block, the boxes, Table I, Table II.
_TABLE_NUMBER = {"I": 3, "II": 4}


@dataclass(frozen=True)
class Variant:
    """How one rendering differs from EDGAR's page. ``break_table``/``break_row``: a page break
    before that row (1-based) of Table I or II; ``repeat_header``: the browser repeats the
    table's header rows on the next page (as printing EDGAR's page does)."""

    font: str = FONTS[0]
    data_font: str = FONTS[0]
    font_scale: float = 1.0
    fixed_columns: bool = False  # every column the same width: long words wrap, short columns waste
    padding: int = 4
    valign: str = "middle"
    break_table: str | None = None
    break_row: int = 0
    repeat_header: bool = False
    paper: str = "Letter"
    landscape: bool = True
    scale: float = 0.8

    @classmethod
    def random(cls, rng: random.Random, rows: dict[str, int]) -> Variant:
        """A variant drawn by ``rng``; ``rows`` is the number of rows of Table I and II, where a
        page break can fall (one table in three with two rows or more gets one)."""
        breakable = [t for t, n in rows.items() if n >= 2]
        table = rng.choice(breakable) if breakable and rng.random() < 0.35 else None
        paper, landscape = rng.choice([("Letter", True), ("Letter", True), ("Legal", True), ("Letter", False),
                                       ("A4", True)])
        return cls(font=rng.choice(FONTS[:5]), data_font=rng.choice(FONTS), font_scale=rng.choice(
            [0.85, 0.9, 1.0, 1.0, 1.1, 1.25]), fixed_columns=rng.random() < 0.25, padding=rng.choice([1, 2, 4, 6]),
            valign=rng.choice(["middle", "middle", "top"]), break_table=table,
            break_row=rng.randint(2, rows[table]) if table else 0, repeat_header=rng.random() < 0.3,
            paper=paper, landscape=landscape, scale=rng.choice([0.6, 0.7, 0.8, 0.8, 0.9, 1.0]))

    def css(self) -> str:
        """The style sheet that turns EDGAR's page into this variant (added after the page's own)."""
        rules = [f"body, .FormText, .FormTextC, .SmallFormText, .SmallFormTextR, .MedSmallFormText, .FormTitle, "
                 f".FormName {{font-family: {self.font};}}",
                 f".FormData, .SmallFormData, .FootnoteData, td[style] {{font-family: {self.data_font};}}",
                 *(f".{name} {{font-size: {round(size * self.font_scale, 1)}px;}}" for name, size in _SIZES.items()),
                 f"td, th {{padding: {self.padding}px;}}", f"tbody td {{vertical-align: {self.valign};}}"]
        if self.fixed_columns:
            rules.append(f"body > table:nth-of-type(n+{_TABLE_NUMBER['I']}) {{table-layout: fixed;}}")
        if self.repeat_header:
            rules.append("@media print { thead {display: table-header-group;} }")
        if self.break_table:
            rules.append(f"@media print {{ body > table:nth-of-type({_TABLE_NUMBER[self.break_table]}) "
                         f"tbody tr:nth-child({self.break_row}) {{break-before: page;}} }}")
        return "\n".join(rules)

    def setup(self) -> PageSetup:
        return PageSetup(paper=self.paper, landscape=self.landscape, scale=self.scale, css=self.css())

    def parameters(self) -> dict[str, Any]:
        return asdict(self)

    def smallest_data_points(self) -> float:
        """The printed size, in points, of the page's smallest data text (Table II's values and
        the footnotes): its CSS size times the font scale and the print's zoom."""
        return _SMALLEST_DATA * self.font_scale * self.scale * _POINTS_PER_PIXEL

    def legible(self, points: float = LEGIBLE_POINTS) -> Variant:
        """The print of this variant a person would OCR: the same fonts, columns, padding, page
        breaks and paper, printed so that the smallest data text is at least ``points`` tall (a
        form's values shrunk to 4 pt are not what anyone scans). The zoom grows first (up to
        100 %, as a person prints), then the font scale; a variant already legible is itself."""
        if self.smallest_data_points() >= points:
            return self
        full = _SMALLEST_DATA * _POINTS_PER_PIXEL  # in points at 100 %
        zoom = min(1.0, _round_up(points / (full * self.font_scale)))
        return replace(self, scale=zoom, font_scale=max(self.font_scale, _round_up(points / (full * zoom))))


def _round_up(value: float) -> float:
    """``value`` to two decimals, never below it (a font scale that reaches a size keeps it)."""
    return math.ceil(value * 100 - 1e-9) / 100


def styled_html(page: str, variant: Variant) -> str:
    """EDGAR's page with the variant's style sheet: the HTML a person saves of that rendering."""
    return page.replace("</style>", f"{variant.css()}\n</style>", 1)


# --- the visible truth ----------------------------------------------------------------------

_OWNER_FIELDS = ("name", "street1", "street2", "city", "state", "zip", "is_director", "is_officer",
                 "is_ten_percent_owner", "is_other", "officer_title", "other_text")
_HIDDEN_ROW_FIELDS = frozenset({"transaction_form_type", "equity_swap_involved", "transaction_timeliness"})
_TOP = ("form_type", "period_of_report", "date_of_original_submission", "footnotes", "remarks", "signatures")


def visible(filing: Filing) -> dict[str, Any]:
    """What the printed form shows of ``filing``, in the shape of the corpus' expected-visible
    files: no CIKs, schema version or flags the form does not print (the V column, the form
    type and timeliness of a transaction), and no amount owned in a Form 3's Table II."""
    record = filing.to_dict()
    out: dict[str, Any] = {k: record[k] for k in _TOP}
    out["issuer"] = {k: record["issuer"][k] for k in ("name", "trading_symbol")}
    out["reporting_owners"] = [{k: o[k] for k in _OWNER_FIELDS} for o in record["reporting_owners"]]
    form3 = str(record["form_type"]).startswith("3")
    for table in ROW_TABLES:
        unseen = _HIDDEN_ROW_FIELDS | ({"shares_owned_following", "value_owned_following"}
                                       if form3 and table.startswith("derivative") else set())
        out[table] = [{k: v for k, v in row.items() if k not in unseen} for row in record[table]]
        for row in out[table]:  # a field the form does not print prints no marks either
            row["footnotes"] = {k: v for k, v in row["footnotes"].items() if k not in unseen}
    return out


# --- the typed forms of before 2003 ---------------------------------------------------------

def _typed_cell(row: Any, column: Column) -> str:
    value = getattr(row, column.field, None)
    dollars = False
    if value is None and column.dollars is not None:
        value = getattr(row, column.dollars, None)
        dollars = value is not None
    notes: dict[str, list[str]] = row.footnotes
    fields = column.marks + (("acquired_disposed",) if column.kind in ("A", "D") else ())
    if column.field == "security_title":
        fields += tuple(sorted(set(notes) - MARKED))
    if column.kind in ("A", "D"):
        side = "D" if getattr(row, "acquired_disposed", None) == "D" else "A"
        if side != column.kind:
            return ""
    text = value_text(value, column.kind)
    if text and (dollars or column.kind == "money"):
        text = "$" + text
    marks = "".join(f"({i.removeprefix('F')})" for f in fields for i in notes.get(f, []))
    return f"{text}{marks}"


def _widths(headers: list[str], cells: list[list[str]]) -> list[int]:
    """Column widths: each column takes its longest header word (at most 14) or value (at most
    24); longer words of a header, and longer values, wrap within the column."""
    return [max(6, min(14, max(len(w) for w in h.split())), *(min(24, len(r[i])) for r in cells))
            for i, h in enumerate(headers)]


def _typed_table(title: str, columns: list[tuple[str, Column]], rows: list[Any], style: str) -> str:
    headers = [label for label, _ in columns]
    cells = [[_typed_cell(row, c) for _, c in columns] for row in rows]
    widths = _widths(headers, cells)
    bar = "|" if style == "pipes" else " "

    def block(texts: list[str]) -> list[str]:
        wrapped = [textwrap.wrap(t, w, break_long_words=True) or [""] for t, w in zip(texts, widths, strict=True)]
        height = max(len(w) for w in wrapped)
        return [bar + bar.join(f"{(w[i] if i < len(w) else ''):<{n}}" for w, n in zip(wrapped, widths, strict=True))
                + bar for i in range(height)]

    rule = ("|" + "|".join("_" * n for n in widths) + "|") if style == "pipes" else "-" * (sum(widths) + len(widths))
    lines = [title, rule if style == "pipes" else "", *block(headers), rule]
    for row in cells:
        lines += block(row)
        if style == "pipes":
            lines.append(rule)
    return "\n".join(line.rstrip() for line in lines)


def _typed_owner(owner: ReportingOwner, number: str) -> list[str]:
    def box(flag: bool) -> str:
        return "[X]" if flag else "[ ]"

    city = ", ".join(x for x in (owner.city, " ".join(y for y in (owner.state, owner.zip) if y)) if x)
    return ["1. Name and Address of Reporting Person*", f"   {owner.name or ''}",
            *(f"   {s}" for s in (owner.street1, owner.street2) if s), f"   {city}",
            f"{number}. Relationship of Reporting Person(s) to Issuer (Check all applicable)",
            f"   {box(owner.is_director)} Director           {box(owner.is_ten_percent_owner)} 10% Owner",
            f"   {box(owner.is_officer)} Officer (give title below)  {box(owner.is_other)} Other (specify below)",
            *(f"   {t}" for t in (owner.officer_title, owner.other_text) if t)]


def _us(value: dt.date | None) -> str:
    return value.strftime("%m/%d/%Y") if value else ""


def typed_form(filing: Filing, style: str = "pipes", width: int = 132) -> str:
    """The filing typed as before 2003: its boxes as numbered lines, its tables drawn with
    ``|`` and ``_`` (``style="pipes"``) or as columns aligned by spaces (``"aligned"``), and
    cell text wrapped within its column. ``width`` is that of the title lines and paragraphs;
    a table is as wide as its columns need."""
    base = base_form(filing.form_type)
    form = FORMS[base]
    owners = filing.reporting_owners or [ReportingOwner()]
    period = form.period_label.split(". ", 1)[1]
    lines = [f"FORM {filing.form_type or base}".center(width), "U.S. SECURITIES AND EXCHANGE COMMISSION".center(width),
             "Washington, D.C. 20549".center(width), form.title.center(width), "",
             *_typed_owner(owners[0], "4" if base == "3" else "5"),
             "2. Issuer Name and Ticker or Trading Symbol",
             f"   {filing.issuer.name or ''} ({filing.issuer.trading_symbol or ''})",
             f"3. {period}", f"   {_us(filing.period_of_report)}",
             "4. If Amendment, Date of Original (Month/Day/Year)", f"   {_us(filing.date_of_original_submission)}",
             "6. Individual or Joint/Group Filing (Check Applicable Line)",
             f"   [{'X' if len(owners) == 1 else ' '}] Form filed by One Reporting Person",
             f"   [{'X' if len(owners) > 1 else ' '}] Form filed by More than One Reporting Person", ""]
    one = [*filing.non_derivative_transactions, *filing.non_derivative_holdings]
    two = [*filing.derivative_transactions, *filing.derivative_holdings]
    lines.append(_typed_table("Table I -- Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned",
                              _numbered(TABLE_ONE[base]), one, style))
    lines.append("")
    lines.append(_typed_table("Table II -- Derivative Securities Acquired, Disposed of, or Beneficially Owned",
                              _numbered(TABLE_TWO[base]), two, style))
    lines += ["", "Explanation of Responses:", *(
        textwrap.fill(f"({n.id.removeprefix('F')}) {n.text}", width) for n in filing.footnotes)]
    if filing.remarks:
        lines += ["", "Remarks:", textwrap.fill(filing.remarks, width)]
    for owner in owners[1:]:
        lines += ["", *_typed_owner(owner, "4" if base == "3" else "5")]
    for signature in filing.signatures:
        lines += ["", f"{signature.name or '':<60}{_us(signature.date)}",
                  f"{'** Signature of Reporting Person':<60}Date"]
    return "\n".join(lines) + "\n"


def _numbered(headers: list[Any]) -> list[tuple[str, Column]]:
    """Each column's printed header: its number and label, and for a part of a group the part."""
    out: list[tuple[str, Column]] = []
    for number, (label, spec) in enumerate(headers, 1):
        short = label.split(" (Instr")[0]
        if isinstance(spec, list):
            out += [(f"{number}. {part}" if part in ("Code", "Amount", "Title") else part, c) for part, c in spec]
        else:
            out.append((f"{number}. {short}", spec))
    return out


def in_submission(document: str, filing: Filing, accession: str) -> str:
    """``document`` as the primary document of an EDGAR submission (``.txt`` dissemination form)."""
    owner = (filing.reporting_owners or [ReportingOwner()])[0]
    filed = (filing.signatures[0].date if filing.signatures and filing.signatures[0].date
             else filing.period_of_report or dt.date(2002, 1, 1))
    day = filed.strftime("%Y%m%d")
    period = filing.period_of_report.strftime("%Y%m%d") if filing.period_of_report else day
    return (f"<SEC-DOCUMENT>{accession}.txt : {day}\n<SEC-HEADER>{accession}.hdr.sgml : {day}\n"
            f"ACCESSION NUMBER:\t\t{accession}\nCONFORMED SUBMISSION TYPE:\t{filing.form_type or '4'}\n"
            f"PUBLIC DOCUMENT COUNT:\t\t1\nCONFORMED PERIOD OF REPORT:\t{period}\nFILED AS OF DATE:\t\t{day}\n\n"
            f"REPORTING-OWNER:\n\n\tOWNER DATA:\n\t\tCOMPANY CONFORMED NAME:\t\t\t{(owner.name or '').upper()}\n\n"
            f"ISSUER:\n\n\tCOMPANY DATA:\n\t\tCOMPANY CONFORMED NAME:\t\t\t{(filing.issuer.name or '').upper()}\n"
            f"</SEC-HEADER>\n<DOCUMENT>\n<TYPE>{filing.form_type or '4'}\n<SEQUENCE>1\n<FILENAME>form.txt\n<TEXT>\n"
            f"{document}</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n")
