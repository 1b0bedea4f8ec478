"""A filing rendered the way EDGAR shows it: the SEC's page layout for Forms 3, 4 and 5.

The markup copies the SEC's stylesheet output (its boxes, labels, table headers and class
names), so that a person sees the familiar form and ``form4.readers.html`` reads the page
back. The document is self-contained: inline CSS, no script, no external link. Every value
from the filing is escaped: filings carry ``&``, ``<``, quotes and hostile footnotes.
"""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal
from typing import Any, NamedTuple

from form4.model import Filing, ReportingOwner

# The SEC's own style sheet, trimmed of the classes this page does not use.
_CSS = """
.FormData {color: blue; background-color: white; font-size: small; font-family: Times, serif;}
.SmallFormData {color: blue; background-color: white; font-size: x-small; font-family: Times, serif;}
.FootnoteData {color: green; background-color: white; font-size: x-small; font-family: Times, serif;}
.FormText {font-size: small; font-weight: normal; font-family: arial, helvetica, sans-serif; text-align: left;}
.FormTextC {font-size: small; font-weight: normal; font-family: arial, helvetica, sans-serif; text-align: center;}
.SmallFormText {font-size: xx-small; font-family: arial, helvetica, sans-serif; text-align: left;}
.SmallFormTextR {font-size: xx-small; font-family: arial, helvetica, sans-serif; text-align: right;}
.MedSmallFormText {font-size: x-small; font-family: arial, helvetica, sans-serif; text-align: left;}
.FormTitle {font-size: medium; font-family: arial, helvetica, sans-serif; font-weight: bold;}
.FormName {font-size: large; font-family: arial, helvetica, sans-serif; font-weight: bold;}
body {background: white;}
"""


class _Form(NamedTuple):
    """What differs between the printed Forms 3, 4 and 5 outside the tables."""

    title: str
    omb_number: str
    hours: str
    period_label: str


FORMS = {
    "3": _Form("INITIAL STATEMENT OF BENEFICIAL OWNERSHIP OF SECURITIES", "3235-0104", "0.5",
               "2. Date of Event Requiring Statement (Month/Day/Year)"),
    "4": _Form("STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP", "3235-0287", "0.5",
               "3. Date of Earliest Transaction (Month/Day/Year)"),
    "5": _Form("ANNUAL STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP", "3235-0362", "1.0",
               "3. Statement for Issuer's Fiscal Year Ended (Month/Day/Year)"),
}


def render_html(filing: Filing) -> str:
    """The filing as a complete HTML document in the layout of the SEC's rendering."""
    base = base_form(filing.form_type)
    name = f"FORM {filing.form_type}" if filing.form_type else "FORM"
    parts = [_top(filing, base, name), _header(filing, base), _table_one(filing, base),
             _table_two(filing, base), _explanation(filing), *(_other_owner(o, base) for o in
                                                               filing.reporting_owners[1:]),
             _signatures(filing)]
    return ('<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
            f"<title>SEC {_e(name.title())}</title>\n<style>{_CSS}</style>\n</head>\n"
            f"<body>SEC {_e(name.title())}\n{''.join(parts)}</body>\n</html>\n")


def base_form(form_type: str | None) -> str:
    # An unknown form type is printed as given, in the layout of the common Form 4.
    base = (form_type or "").removesuffix("/A")
    return base if base in FORMS else "4"


def _e(value: object) -> str:
    return "" if value is None else html.escape(str(value))


def _date(value: dt.date | None) -> str:
    return value.strftime("%m/%d/%Y") if value else ""


def _number(value: float | None) -> str:
    """A number as the SEC prints it: thousands separated, every given decimal and no more."""
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{Decimal(repr(float(value))):,f}"


def _mark(footnote_id: str) -> str:
    # The SEC numbers footnote F1 as (1): the id without its letter.
    return f'<span class="FootnoteData"><sup>({_e(footnote_id.removeprefix("F"))})</sup></span>'


def _marks(footnotes: dict[str, list[str]], fields: tuple[str, ...]) -> str:
    return "".join(_mark(i) for field in fields for i in footnotes.get(field, []))


def _box(checked: bool, text: str) -> str:
    """A checkbox line of the top block: the box, then its printed statement."""
    mark = '<span class="FormData">X</span>' if checked else "  "
    return ('<tr valign="middle"><td><table width="100%" border="1" cellpadding="0" cellspacing="0">'
            f'<tr><td>{mark}</td></tr></table></td>\n<td class="SmallFormText">{text}</td></tr>\n')


def _top_boxes(filing: Filing, base: str) -> list[str]:
    boxes = []
    if base == "3":
        boxes.append(_box(filing.no_securities_owned, "Check this box if no securities are beneficially owned."))
    else:
        boxes.append(_box(filing.not_subject_to_section16, "Check this box if no longer subject to Section 16. "
                          "Form 4 or Form 5 obligations may continue. <i>See</i> Instruction 1(b)."))
    if base == "5":
        boxes.append(_box(bool(filing.form3_holdings_reported), "Form 3 Holdings Reported."))
        boxes.append(_box(bool(filing.form4_transactions_reported), "Form 4 Transactions Reported."))
    if filing.aff10b5_one is not None:  # forms before 2023 have no such box
        boxes.append(_box(filing.aff10b5_one, "Check this box to indicate that a transaction was made pursuant "
                          "to a contract, instruction or written plan for the purchase or sale of equity "
                          "securities of the issuer that is intended to satisfy the affirmative defense "
                          "conditions of Rule 10b5-1(c). See Instruction 10."))
    return boxes


def _top(filing: Filing, base: str, name: str) -> str:
    form = FORMS[base]
    boxes = _top_boxes(filing, base)
    span = len(boxes) + 1
    omb = ('<table width="100%" border="1" summary="OMB Approval Status Box">'
           '<tr><td class="FormTextC">OMB APPROVAL</td></tr><tr><td><table width="100%" border="0">'
           f'<tr><td class="SmallFormText" colspan="3">OMB Number:</td>'
           f'<td class="SmallFormTextR">{form.omb_number}</td></tr>'
           '<tr><td class="SmallFormText" colspan="4">Estimated average burden</td></tr>'
           '<tr><td class="SmallFormText" colspan="3">hours per response:</td>'
           f'<td class="SmallFormTextR">{form.hours}</td></tr></table></td></tr></table>')
    title = ('<span class="FormTitle">UNITED STATES SECURITIES AND EXCHANGE COMMISSION</span><br>'
             '<span class="MedSmallFormText">Washington, D.C. 20549</span><br><br>'
             f'<span class="FormTitle">{form.title}</span><br><br>'
             '<span class="MedSmallFormText">Filed pursuant to Section 16(a) of the Securities Exchange Act '
             'of 1934</span><br><span class="MedSmallFormText">or Section 30(h) of the Investment Company '
             'Act of 1940</span>')
    return ('<table width="100%" border="0" cellspacing="0" cellpadding="4">\n'
            f'<tr><td width="20%" colspan="2" valign="top" align="center" class="FormName">{_e(name)}</td>\n'
            f'<td rowspan="{span}" width="60%" valign="middle" align="center">{title}</td>\n'
            f'<td rowspan="{span}" width="20%" valign="top" align="center">{omb}</td></tr>\n'
            f'{"".join(boxes)}</table>\n')


def _label(text: str) -> str:
    return f'<span class="MedSmallFormText">{text}</span>'


def _data(value: object) -> str:
    return f'<span class="FormData">{_e(value)}</span>'


def _company(cik: str | None, name: str | None) -> str:
    # The SEC links a name to its EDGAR company page; a page with no external link keeps the
    # CIK in a fragment, where the HTML reader still finds it.
    href = f' href="#CIK={_e(cik)}"' if cik else ""
    return f"<a{href}>{_e(name)}</a>"


def _three(cells: list[str], caption: bool = False) -> str:
    """A line of three cells: city, state and zip, or the captions under a line."""
    style = ' class="MedSmallFormText"' if caption else ""
    return ('<table border="0" width="100%"><tr>' + "".join(f'<td width="33%"{style}>{c}</td>' for c in cells)
            + "</tr></table>")


def _name_box(owner: ReportingOwner | None) -> str:
    """Box 1: the owner's name and address, one span per line so that an empty second street
    line keeps its place."""
    owner = owner or ReportingOwner()
    city = _three([_data(x) for x in (owner.city, owner.state, owner.zip)])
    name_captions = _three(["(Last)", "(First)", "(Middle)"], caption=True)
    city_captions = _three(["(City)", "(State)", "(Zip)"], caption=True)
    return (_label("1. Name and Address of Reporting Person<sup>*</sup>")
            + f'<table border="0" width="100%"><tr><td>{_company(owner.cik, owner.name)}</td></tr></table>\n'
            + f'<hr width="98%">{name_captions}<table border="0" width="100%">'
            + f"<tr><td>{_data(owner.street1)}</td></tr><tr><td>{_data(owner.street2)}</td></tr></table>\n"
            + f'<hr width="98%">{_label("(Street)")}{city}<hr width="98%">{city_captions}\n')


def _check(flag: bool) -> str:
    return _data("X") if flag else ""


def _relationship_box(owner: ReportingOwner | None, base: str) -> str:
    """The relationship box: a 3x4 grid of checkboxes and their captions, then the officer
    title and the other text under them, as the SEC lays it out."""
    owner = owner or ReportingOwner()
    number = "4" if base == "3" else "5"
    return (_label(f"{number}. Relationship of Reporting Person(s) to Issuer") + "<br>"
            + _label("(Check all applicable)") + '<table border="0" width="100%">\n'
            f'<tr><td width="15%" align="center">{_check(owner.is_director)}</td>'
            '<td width="35%" class="MedSmallFormText">Director</td>'
            f'<td width="15%" align="center">{_check(owner.is_ten_percent_owner)}</td>'
            '<td width="35%" class="MedSmallFormText">10% Owner</td></tr>\n'
            f'<tr><td align="center">{_check(owner.is_officer)}</td>'
            '<td class="MedSmallFormText">Officer (give title below)</td>'
            f'<td align="center">{_check(owner.is_other)}</td>'
            '<td class="MedSmallFormText">Other (specify below)</td></tr>\n'
            '<tr><td width="15%" align="center"></td>'
            f'<td width="35%" align="left" style="color: blue">{_e(owner.officer_title)}</td>'
            '<td width="15%" align="center"></td>'
            f'<td width="35%" align="left" style="color: blue">{_e(owner.other_text)}</td></tr>\n'
            "</table>\n")


def _header(filing: Filing, base: str) -> str:
    """The boxes above the tables. Form 3 puts the event date beside the name and the
    relationship under the issuer; Forms 4 and 5 put the relationship beside the issuer."""
    owner = filing.reporting_owners[0] if filing.reporting_owners else None
    issuer = filing.issuer
    number = "3" if base == "3" else "2"
    issuer_box = (_label(f"{number}. Issuer Name <b>and</b> Ticker or Trading Symbol")
                  + f"<br>{_company(issuer.cik, issuer.name)} [ {_data(issuer.trading_symbol)} ]")
    period = _label(FORMS[base].period_label) + f"<br>{_data(_date(filing.period_of_report))}"
    amendment = (_label(f"{'5' if base == '3' else '4'}. If Amendment, Date of Original Filed (Month/Day/Year)")
                 + f"<br>{_data(_date(filing.date_of_original_submission))}")
    joint = len(filing.reporting_owners) > 1
    filing_box = (_label("6. Individual or Joint/Group Filing (Check Applicable Line)")
                  + '<table border="0" width="100%">'
                  f'<tr><td width="15%" align="center">{_check(not joint)}</td>'
                  '<td width="85%" class="MedSmallFormText">Form filed by One Reporting Person</td></tr>'
                  f'<tr><td width="15%" align="center">{_check(joint)}</td>'
                  '<td width="85%" class="MedSmallFormText">Form filed by More than One Reporting Person</td>'
                  "</tr></table>\n")
    name_box, relationship = _name_box(owner), _relationship_box(owner, base)
    if base == "3":
        rows = (f'<tr><td rowspan="3" width="30%" valign="top">{name_box}</td>'
                f'<td rowspan="3" width="15%" valign="top">{period}</td>'
                f'<td colspan="2" valign="top">{issuer_box}</td></tr>\n'
                f'<tr><td rowspan="2" width="30%" valign="top">{relationship}</td>'
                f'<td valign="top">{amendment}</td></tr>\n<tr><td valign="top">{filing_box}</td></tr>\n')
    else:
        rows = (f'<tr><td rowspan="3" width="35%" valign="top">{name_box}</td>'
                f'<td width="35%" valign="top">{issuer_box}</td>'
                f'<td rowspan="2" valign="top">{relationship}</td></tr>\n'
                f'<tr><td valign="top">{period}</td></tr>\n'
                f'<tr><td valign="top">{amendment}</td><td valign="top">{filing_box}</td></tr>\n')
    return f'<table width="100%" border="1" cellspacing="0" cellpadding="4">\n{rows}</table>\n'


class Column(NamedTuple):
    """A body column: the field it prints, how, and the fields whose footnote marks it carries."""

    field: str
    kind: str = "text"  # text, date, code, number, money, swap, or A / D (Table II's split amount)
    marks: tuple[str, ...] = ()
    dollars: str | None = None  # a dollar-value field printed when the share field is empty


_Header = tuple[str, Column | list[tuple[str, Column]]]

_TITLE = Column("security_title", marks=("security_title",))
_DATE = Column("transaction_date", "date", ("transaction_date",))
_DEEMED = Column("deemed_execution_date", "date", ("deemed_execution_date",))
_CODE = Column("transaction_code", "code", ("transaction_code", "transaction_form_type", "transaction_timeliness"))
_SWAP = Column("equity_swap_involved", "swap", ("equity_swap_involved",))
_OWNED = Column("shares_owned_following", "number", ("shares_owned_following", "value_owned_following"),
                 "value_owned_following")
_FORM_DI = Column("direct_or_indirect", "code", ("direct_or_indirect",))
_NATURE = Column("nature_of_ownership", marks=("nature_of_ownership",))
_SHARES = Column("shares", "number", ("shares", "total_value"), "total_value")
_AD = Column("acquired_disposed", "code", ("acquired_disposed",))
_PRICE = Column("price_per_share", "money", ("price_per_share",))
_CONVERSION = Column("conversion_or_exercise_price", "money", ("conversion_or_exercise_price",))
_EXERCISE = Column("exercise_date", "date", ("exercise_date",))
_EXPIRATION = Column("expiration_date", "date", ("expiration_date",))
_UNDERLYING = Column("underlying_security_title", marks=("underlying_security_title",))
_UNDERLYING_SHARES = Column("underlying_shares", "number", ("underlying_shares", "underlying_value"),
                             "underlying_value")

_CODE_GROUP: _Header = ("Transaction Code (Instr. 8)", [("Code", _CODE), ("V", _SWAP)])
_TABLE_ONE_TAIL: list[_Header] = [
    ("Amount of Securities Beneficially Owned Following Reported Transaction(s) (Instr. 3 and 4)", _OWNED),
    ("Ownership Form: Direct (D) or Indirect (I) (Instr. 4)", _FORM_DI),
    ("Nature of Indirect Beneficial Ownership (Instr. 4)", _NATURE)]
TABLE_ONE: dict[str, list[_Header]] = {
    "3": [("Title of Security (Instr. 4)", _TITLE),
          ("Amount of Securities Beneficially Owned (Instr. 4)", _OWNED),
          ("Ownership Form: Direct (D) or Indirect (I) (Instr. 5)", _FORM_DI),
          ("Nature of Indirect Beneficial Ownership (Instr. 5)", _NATURE)],
    "4": [("Title of Security (Instr. 3)", _TITLE), ("Transaction Date (Month/Day/Year)", _DATE),
          ("Deemed Execution Date, if any (Month/Day/Year)", _DEEMED), _CODE_GROUP,
          ("Securities Acquired (A) or Disposed Of (D) (Instr. 3, 4 and 5)",
           [("Amount", _SHARES), ("(A) or (D)", _AD), ("Price", _PRICE)]), *_TABLE_ONE_TAIL],
}


def _form5(headers: list[_Header]) -> list[_Header]:
    """Form 5's columns: Form 4's without the V (a Form 5 reports nothing early, voluntarily)
    and with the amount owned at the end of the issuer's fiscal year."""
    year_end = ("Amount of Securities Beneficially Owned at end of Issuer's Fiscal Year (Instr. 3 and 4)", _OWNED)
    return [("Transaction Code (Instr. 8)", _CODE) if h is _CODE_GROUP else year_end if h is _TABLE_ONE_TAIL[0]
            else h for h in headers]


TABLE_ONE["5"] = _form5(TABLE_ONE["4"])

_EXERCISE_GROUP: _Header = ("Date Exercisable and Expiration Date (Month/Day/Year)",
                            [("Date Exercisable", _EXERCISE), ("Expiration Date", _EXPIRATION)])
_UNDERLYING_GROUP: _Header = ("Title and Amount of Securities Underlying Derivative Security (Instr. 3 and 4)",
                              [("Title", _UNDERLYING), ("Amount or Number of Shares", _UNDERLYING_SHARES)])
TABLE_TWO: dict[str, list[_Header]] = {
    "3": [("Title of Derivative Security (Instr. 4)", _TITLE), _EXERCISE_GROUP, _UNDERLYING_GROUP,
          ("Conversion or Exercise Price of Derivative Security", _CONVERSION),
          ("Ownership Form: Direct (D) or Indirect (I) (Instr. 5)", _FORM_DI),
          ("Nature of Indirect Beneficial Ownership (Instr. 5)", _NATURE)],
    "4": [("Title of Derivative Security (Instr. 3)", _TITLE),
          ("Conversion or Exercise Price of Derivative Security", _CONVERSION),
          ("Transaction Date (Month/Day/Year)", _DATE), ("Deemed Execution Date, if any (Month/Day/Year)", _DEEMED),
          _CODE_GROUP,
          ("Number of Derivative Securities Acquired (A) or Disposed of (D) (Instr. 3, 4 and 5)",
           [("(A)", _SHARES._replace(kind="A")), ("(D)", _SHARES._replace(kind="D"))]),
          _EXERCISE_GROUP, _UNDERLYING_GROUP, ("Price of Derivative Security (Instr. 5)", _PRICE),
          ("Number of derivative Securities Beneficially Owned Following Reported Transaction(s) (Instr. 4)",
           _OWNED),
          ("Ownership Form: Direct (D) or Indirect (I) (Instr. 4)", _FORM_DI),
          ("Nature of Indirect Beneficial Ownership (Instr. 4)", _NATURE)],
}
TABLE_TWO["5"] = _form5(TABLE_TWO["4"])

_TABLE_TITLES = {
    ("I", True): "Table I - Non-Derivative Securities Beneficially Owned",
    ("I", False): "Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned",
    ("II", True): "Table II - Derivative Securities Beneficially Owned",
    ("II", False): "Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned",
}


def _table_one(filing: Filing, base: str) -> str:
    rows = [*filing.non_derivative_transactions, *filing.non_derivative_holdings]
    return _table(_TABLE_TITLES["I", base == "3"], "", TABLE_ONE[base], rows, "FormData")


def _table_two(filing: Filing, base: str) -> str:
    rows = [*filing.derivative_transactions, *filing.derivative_holdings]
    subtitle = "<br><b>(e.g., puts, calls, warrants, options, convertible securities)</b>"
    return _table(_TABLE_TITLES["II", base == "3"], subtitle, TABLE_TWO[base], rows, "SmallFormData")


def _table(title: str, subtitle: str, headers: list[_Header], rows: list[Any], style: str) -> str:
    columns = [c for _, c in header_leaves(headers)]
    body = "".join("<tr>" + "".join(_cell(row, c, style) for c in columns) + "</tr>\n" for row in rows)
    return ('<table width="100%" border="1" cellspacing="0" cellpadding="4">\n<thead>\n'
            f'<tr><th valign="top" colspan="{len(columns)}" align="center" class="FormTextC">'
            f"<b>{title}</b>{subtitle}</th></tr>\n{_header_rows(headers)}</thead>\n<tbody>{body}</tbody>\n</table>\n")


def header_leaves(headers: list[_Header]) -> list[tuple[str, Column]]:
    out: list[tuple[str, Column]] = []
    for label, spec in headers:
        out.extend(spec if isinstance(spec, list) else [(label, spec)])
    return out


def _header_rows(headers: list[_Header]) -> str:
    """The numbered column headers, and a second row naming the parts of the grouped ones."""
    grouped = any(isinstance(spec, list) for _, spec in headers)
    top: list[str] = []
    parts: list[str] = []
    for number, (label, spec) in enumerate(headers, 1):
        if isinstance(spec, list):
            top.append(f'<th valign="top" colspan="{len(spec)}" align="left" class="SmallFormText">'
                       f"{number}. {label}</th>")
            parts.extend(f'<th align="center" class="SmallFormText">{part}</th>' for part, _ in spec)
        else:
            rowspan = ' rowspan="2"' if grouped else ""
            top.append(f'<th valign="top"{rowspan} align="left" class="SmallFormText">{number}. {label}</th>')
    second = f"<tr>{''.join(parts)}</tr>\n" if parts else ""
    return f"<tr>{''.join(top)}</tr>\n{second}"


def _cell(row: Any, column: Column, style: str) -> str:
    value = getattr(row, column.field, None)
    notes: dict[str, list[str]] = row.footnotes
    marks = _marks(notes, column.marks)
    dollars = False
    if value is None and column.dollars is not None:
        value = getattr(row, column.dollars, None)
        dollars = value is not None
    if column.kind in ("A", "D"):
        # Table II splits the amount into an (A) and a (D) column; an amount without a
        # direction goes under (A) with its marks, so nothing printed is lost.
        side = "D" if getattr(row, "acquired_disposed", None) == "D" else "A"
        if side != column.kind:
            return '<td align="center"></td>'
        marks += _marks(notes, ("acquired_disposed",))
    if column is _TITLE:
        marks += _marks(notes, tuple(sorted(set(notes) - MARKED)))
    text = value_text(value, column.kind)
    if not text and not marks:
        return f'<td align="{_align(column)}"></td>'
    dollar = '<span class="FormText">$</span>' if text and (dollars or column.kind == "money") else ""
    shown = f'<span class="{style}">{_e(text)}</span>' if text else ""
    return f'<td align="{_align(column)}">{dollar}{shown}{marks}</td>'


def value_text(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "swap":
        return "V" if value else ""
    if kind == "date":
        return _date(value)
    if kind in ("number", "money", "A", "D"):
        return _number(value)
    return str(value)


def _align(column: Column) -> str:
    return "left" if column.field in ("security_title", "nature_of_ownership") else "center"


# Fields some column prints marks for; marks on any other field go beside the title.
MARKED = frozenset(f for table in (*TABLE_ONE.values(), *TABLE_TWO.values())
                    for _, c in header_leaves(table) for f in c.marks)


def _explanation(filing: Filing) -> str:
    lines = ['<tr><td class="MedSmallFormText"><b>Explanation of Responses:</b></td></tr>\n']
    lines += [f'<tr><td class="FootnoteData">{_e(n.id.removeprefix("F"))}. {_e(n.text)}</td></tr>\n'
              for n in filing.footnotes]
    if filing.remarks:
        lines += ['<tr><td class="FormText"><b>Remarks:</b></td></tr>\n',
                  f'<tr><td class="FootnoteData">{_e(filing.remarks)}</td></tr>\n']
    return f'<table border="0" width="100%">\n{"".join(lines)}</table>\n'


def _other_owner(owner: ReportingOwner, base: str) -> str:
    """A joint filer after the first: its name, address and relationship below the remarks."""
    return ('<table width="100%" border="1" cellspacing="0" cellpadding="4"><tr>'
            f'<td width="50%" valign="top">{_name_box(owner)}</td>'
            f'<td valign="top">{_relationship_box(owner, base)}</td></tr></table>\n')


_SIGNATURE_CAPTION = ('<tr><td></td><td class="MedSmallFormText">** Signature of Reporting Person</td>'
                      '<td class="MedSmallFormText">Date</td></tr>\n')
_REMINDERS = (
    "Reminder: Report on a separate line for each class of securities beneficially owned directly or indirectly.",
    "* If the form is filed by more than one reporting person, <i>see</i> Instruction 4 (b)(v).",
    "** Intentional misstatements or omissions of facts constitute Federal Criminal Violations <i>See</i> "
    "18 U.S.C. 1001 and 15 U.S.C. 78ff(a).",
    "Note: File three copies of this Form, one of which must be manually signed. If space is insufficient, "
    "<i>see</i> Instruction 6 for procedure.",
    "<b>Persons who respond to the collection of information contained in this form are not required to "
    "respond unless the form displays a currently valid OMB Number.</b>",
)


def _signatures(filing: Filing) -> str:
    lines = [f'<tr><td width="60%"></td><td width="20%"><u>{_data(s.name)}</u></td>'
             f'<td width="20%"><u>{_data(_date(s.date))}</u></td></tr>\n{_SIGNATURE_CAPTION}'
             for s in filing.signatures]
    lines += [f'<tr><td colspan="3" class="MedSmallFormText">{text}</td></tr>\n' for text in _REMINDERS]
    return f'<table width="100%" border="0">\n{"".join(lines)}</table>\n'
