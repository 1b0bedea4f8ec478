"""A filing's record laid out as a person reads the form, for the dashboard's filing and upload pages.

The boxes and the two tables carry the printed form's labels and column titles (the columns are
those of ``form4.writers.html``, the EDGAR rendering); each value carries the footnote marks the
filing puts on it; and each value a reader flagged (a warning, or a confidence under the page's
threshold) carries why, so that the page can mark it and explain it below the tables.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from form4.model import Filing, ReportingOwner
from form4.writers.html import (
    _TABLE_TITLES,
    FORMS,
    MARKED,
    TABLE_ONE,
    TABLE_TWO,
    Column,
    base_form,
    header_leaves,
    value_text,
)

CONTENT_PREFIX = "sha256:"


class Cell(NamedTuple):
    """A value as printed, its footnote ids, and the reasons it is flagged (none: not flagged)."""

    text: str
    notes: list[str]
    flags: list[str]
    number: bool = False


class Group(NamedTuple):
    """A column title over one column, or over several sub-columns (``parts``)."""

    title: str
    parts: list[str]


class FormTable(NamedTuple):
    title: str
    groups: list[Group]
    rows: list[list[Cell]]


class Flag(NamedTuple):
    """A flagged field: where it is on the form, its record path, and why."""

    place: str
    path: str
    reasons: list[str]


class OwnerBox(NamedTuple):
    name: Cell
    cik: str
    address: list[Cell]  # street lines, then city, state and zip: each flagged by its own fields
    relationship: list[tuple[str, bool, Cell]]  # (box, checked, what is written under it)


class FormView(NamedTuple):
    form: str
    boxes: list[tuple[str, Cell]]  # the labelled boxes above the tables
    checks: list[tuple[str, bool]]  # the check boxes at the top of the form
    owners: list[OwnerBox]
    joint: bool
    tables: list[FormTable]
    footnotes: list[tuple[str, str]]
    remarks: str | None
    flags: list[Flag]


def form_view(filing: Filing, low_confidence: float) -> FormView:
    """``filing`` as the form shows it; fields read with less confidence than ``low_confidence``
    are flagged, as is every field a warning names."""
    reasons = _reasons(filing, low_confidence)
    placed: dict[str, str] = {}

    def flags(place: str, *paths: str) -> list[str]:
        """The reasons given for ``paths`` (a path ending in ``.*`` takes what lies under it too),
        each flagged field's place on the form noted for the explanations."""
        found = []
        for flagged, why in reasons.items():
            if any(flagged == p.removesuffix(".*") or (p.endswith(".*") and flagged.startswith(p[:-1]))
                   for p in paths) and flagged not in placed:
                placed[flagged] = place
                found += why
        return found

    def cell(path: str, text: str, place: str, notes: list[str] | None = None, number: bool = False) -> Cell:
        return Cell(text, notes or [], flags(place, path, f"{path}.*"), number)

    base = base_form(filing.form_type)
    numbers = _BOX_NUMBERS["3" if base == "3" else "4"]
    issuer = filing.issuer
    ticker = f" [{issuer.trading_symbol}]" if issuer.trading_symbol else ""
    issuer_place = f"{numbers['issuer']}. Issuer Name and Ticker or Trading Symbol"
    boxes = [
        (issuer_place, cell("issuer", f"{issuer.name or ''}{ticker}" + (f" · CIK {issuer.cik}" if issuer.cik else ""),
                            issuer_place)),
        (FORMS[base].period_label, cell("period_of_report", value_text(filing.period_of_report, "date"),
                                         FORMS[base].period_label)),
        (f"{numbers['amendment']}. If Amendment, Date of Original Filed (Month/Day/Year)",
         cell("date_of_original_submission", value_text(filing.date_of_original_submission, "date"),
              "If Amendment, Date of Original Filed")),
        ("Form type", cell("form_type", filing.form_type or "", "Form type")),
        ("Filed", cell("filed_at", value_text(filing.filed_at, "date"), "Filed")),
    ]
    owners = [_owner(o, i, flags) for i, o in enumerate(filing.reporting_owners)]
    tables = [_table(filing, base, "I", flags), _table(filing, base, "II", flags)]
    for flagged in reasons:  # what the form's boxes and tables do not print (a signature) is explained too
        placed.setdefault(flagged, "elsewhere in the record")
    explained = [Flag(placed[p], p, rs) for p, rs in reasons.items()]
    return FormView(form=f"Form {filing.form_type}" if filing.form_type else "Form", boxes=boxes,
                    checks=_checks(filing, base), owners=owners, joint=len(filing.reporting_owners) > 1,
                    tables=[t for t in tables if t.rows], footnotes=[(n.id, n.text) for n in filing.footnotes],
                    remarks=filing.remarks, flags=explained)


# the boxes' numbers: Form 3 puts the event date second and the relationship fourth
_BOX_NUMBERS = {"3": {"name": "1", "issuer": "3", "relationship": "4", "amendment": "5", "joint": "6"},
                "4": {"name": "1", "issuer": "2", "relationship": "5", "amendment": "4", "joint": "6"}}


def _reasons(filing: Filing, low_confidence: float) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for warning in filing.warnings:
        found.setdefault(warning.field, []).append(warning.message)
    for path, confidence in sorted(filing.confidence.items()):
        if confidence < low_confidence:
            found.setdefault(path, []).append(f"read with confidence {confidence:.2f}")
    return found


def _owner(owner: ReportingOwner, index: int, flags: Any) -> OwnerBox:
    path = f"reporting_owners[{index}]"
    place = f"Reporting person {index + 1}"
    city = " ".join(filter(None, [owner.city, owner.state, owner.zip]))
    lines = ((owner.street1, ("street1",)), (owner.street2, ("street2",)),
             (city, ("city", "state", "zip", "state_description")))
    address = [Cell(text, [], flags(f"{place}: address", *(f"{path}.{part}" for part in parts)))
               for text, parts in lines if text]
    relationship = [
        ("Director", owner.is_director, Cell("", [], flags(f"{place}: Director", f"{path}.is_director"))),
        ("10% Owner", owner.is_ten_percent_owner,
         Cell("", [], flags(f"{place}: 10% Owner", f"{path}.is_ten_percent_owner"))),
        ("Officer (give title below)", owner.is_officer,
         Cell(owner.officer_title or "", [],
              flags(f"{place}: Officer", f"{path}.is_officer", f"{path}.officer_title"))),
        ("Other (specify below)", owner.is_other,
         Cell(owner.other_text or "", [], flags(f"{place}: Other", f"{path}.is_other", f"{path}.other_text"))),
    ]
    name = Cell(owner.name or "", [], flags(f"{place}: name", f"{path}.name", f"{path}.cik"))
    return OwnerBox(name=name, cik=owner.cik or "", address=address, relationship=relationship)


def _checks(filing: Filing, base: str) -> list[tuple[str, bool]]:
    checks = [("No securities beneficially owned", filing.no_securities_owned)] if base == "3" else \
        [("No longer subject to Section 16", filing.not_subject_to_section16)]
    if base == "5":
        checks += [("Form 3 holdings reported", bool(filing.form3_holdings_reported)),
                   ("Form 4 transactions reported", bool(filing.form4_transactions_reported))]
    if filing.aff10b5_one is not None:  # forms before 2023 have no such box
        checks.append(("Made under a Rule 10b5-1(c) plan", filing.aff10b5_one))
    return checks


_ATTRS = {"I": ("non_derivative_transactions", "non_derivative_holdings"),
          "II": ("derivative_transactions", "derivative_holdings")}


def _table(filing: Filing, base: str, numeral: str, flags: Any) -> FormTable:
    headers = (TABLE_ONE if numeral == "I" else TABLE_TWO)[base]
    groups = [Group(f"{n}. {label}", [part for part, _ in spec] if isinstance(spec, list) else [])
              for n, (label, spec) in enumerate(headers, 1)]
    columns = header_leaves(headers)
    rows: list[list[Cell]] = []
    for attr in _ATTRS[numeral]:
        for index, row in enumerate(getattr(filing, attr)):
            path = f"{attr}[{index}]"
            place = f"Table {numeral}, row {len(rows) + 1}"
            rows.append([_row_cell(row, path, f"{place}, {title}", column, flags) for title, column in columns])
    return FormTable(_TABLE_TITLES[numeral, base == "3"], groups, rows)


def _row_cell(row: Any, path: str, place: str, column: Column, flags: Any) -> Cell:
    value = getattr(row, column.field, None)
    fields = list(column.marks)
    if value is None and column.dollars is not None and getattr(row, column.dollars, None) is not None:
        value = getattr(row, column.dollars)
    if column.kind in ("A", "D"):
        # Table II splits the amount into an (A) and a (D) column, as the EDGAR rendering does
        if ("D" if getattr(row, "acquired_disposed", None) == "D" else "A") != column.kind:
            return Cell("", [], [])
        fields.append("acquired_disposed")
    paths = [f"{path}.{f}" for f in fields] + [f"{path}.footnotes.{f}" for f in fields]
    if column.field == "security_title":  # marks on fields no column prints go beside the title, as does the row
        fields += sorted(set(row.footnotes) - MARKED)
        paths += [path, f"{path}.footnotes"]
    notes = [i for field in fields for i in row.footnotes.get(field, [])]
    text = value_text(value, column.kind)
    if text and column.kind == "money":
        text = f"${text}"
    return Cell(text, notes, flags(place, *paths), column.kind in ("number", "money", "A", "D"))


def short_key(key: str) -> str:
    """A filing's key as shown: an accession number whole, a content key (``sha256:`` and 64
    hex digits) cut to its first 12 digits, which tell it from any other in a store."""
    if key.startswith(CONTENT_PREFIX) and len(key) > len(CONTENT_PREFIX) + 12:
        return f"{key[:len(CONTENT_PREFIX) + 12]}…"
    return key
