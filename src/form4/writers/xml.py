"""Writer of EDGAR ownership XML (``<ownershipDocument>``, schema version X0508) from a Filing.

The document a filer submits for a Form 3, 4 or 5 (or an amendment): every element the
record holds, in the schema's order, values in the schema's lexical forms (dates
``YYYY-MM-DD``, booleans ``1``/``0``, plain decimals), footnote references
(``<footnoteId id="F1"/>``) beside the values they annotate.

A record read from a lossy source (a PDF, a scan) may lack values: what it lacks is left out,
never invented, even where the schema requires it; ``form4.validation.schema`` reports such a
document. Nothing the record holds is dropped or cut to fit either: a value outside the
schema's lists or lengths is written as held, for the schema validation to report, so that
``read_xml(to_xml(filing))`` gives the filing back.

The order follows the SEC's X0306 schema (``ownership4Document.xsd``) and the technical
specification's tables for the other forms (a Form 5 holding's ``transactionCoding``), with
``aff10b5One`` (added in X0407/X0508) after the reporting owners, where EDGAR puts it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from lxml import etree

from form4.errors import Form4Error
from form4.model import Filing, Footnote, Issuer, ReportingOwner, Row, Signature

if TYPE_CHECKING:
    from form4.validation.schema import SchemaError

SCHEMA_VERSION = "X0508"
"""The schema version every written document declares: the current one, whatever the record was read from."""


class UnwritableRecordError(Form4Error):
    """A record holding something no ownership document can carry (a character XML forbids, a
    footnote reference on a field with no element). Names the field by its record path."""

    def __init__(self, message: str, *, field: str):
        self.message = message
        self.field = field
        super().__init__(f"{field}: {message}")


class Leaf(NamedTuple):
    """An element holding one record field: ``<tag><value>…</value><footnoteId/>…</tag>`` when
    ``wrapped``, else ``<tag>…</tag>``."""

    tag: str
    field: str
    wrapped: bool = True


class Group(NamedTuple):
    """An element holding other elements; ``notes`` names the field whose footnote references it
    carries itself (the transaction code's, whose own element cannot hold them)."""

    tag: str
    parts: tuple[Leaf, ...]
    notes: str | None = None


Part = Leaf | Group

_TITLE = Leaf("securityTitle", "security_title")
_PRICE = Leaf("conversionOrExercisePrice", "conversion_or_exercise_price")
_DATES = (Leaf("transactionDate", "transaction_date"), Leaf("deemedExecutionDate", "deemed_execution_date"))
_CODING = Group("transactionCoding", (Leaf("transactionFormType", "transaction_form_type", wrapped=False),
                                      Leaf("transactionCode", "transaction_code", wrapped=False),
                                      Leaf("equitySwapInvolved", "equity_swap_involved", wrapped=False)),
                notes="transaction_code")
_TIMELINESS = Leaf("transactionTimeliness", "transaction_timeliness")
# Table I's amounts give shares; Table II's shares or a total value (the schema's choice: a
# record holding both writes both, for the validation to report).
_AMOUNTS = Group("transactionAmounts", (Leaf("transactionShares", "shares"),
                                        Leaf("transactionTotalValue", "total_value"),
                                        Leaf("transactionPricePerShare", "price_per_share"),
                                        Leaf("transactionAcquiredDisposedCode", "acquired_disposed")))
_EXERCISE = (Leaf("exerciseDate", "exercise_date"), Leaf("expirationDate", "expiration_date"))
_UNDERLYING = Group("underlyingSecurity", (Leaf("underlyingSecurityTitle", "underlying_security_title"),
                                           Leaf("underlyingSecurityShares", "underlying_shares"),
                                           Leaf("underlyingSecurityValue", "underlying_value")))
_POST = Group("postTransactionAmounts", (Leaf("sharesOwnedFollowingTransaction", "shares_owned_following"),
                                         Leaf("valueOwnedFollowingTransaction", "value_owned_following")))
_NATURE = Group("ownershipNature", (Leaf("directOrIndirectOwnership", "direct_or_indirect"),
                                    Leaf("natureOfOwnership", "nature_of_ownership")))

# Each row kind's elements in the schema's sequence. A holding has a transactionCoding only on
# a Form 5 (its transactionFormType, 3 or 4); a Form 3's Table II holding has no amount owned
# following: both are written where, and only when, the record holds them.
ROW_LAYOUTS: dict[str, tuple[str, tuple[Part, ...]]] = {
    "non_derivative_transactions": ("nonDerivativeTransaction",
                                    (_TITLE, *_DATES, _CODING, _TIMELINESS, _AMOUNTS, _POST, _NATURE)),
    "non_derivative_holdings": ("nonDerivativeHolding", (_TITLE, _CODING, _POST, _NATURE)),
    "derivative_transactions": ("derivativeTransaction",
                                (_TITLE, _PRICE, *_DATES, _CODING, _TIMELINESS, _AMOUNTS, *_EXERCISE,
                                 _UNDERLYING, _POST, _NATURE)),
    "derivative_holdings": ("derivativeHolding", (_TITLE, _PRICE, _CODING, *_EXERCISE, _UNDERLYING, _POST, _NATURE)),
}
# The two tables, each holding its transactions before its holdings (the schema allows any mix).
_TABLES = (("nonDerivativeTable", ("non_derivative_transactions", "non_derivative_holdings")),
           ("derivativeTable", ("derivative_transactions", "derivative_holdings")))

_ISSUER = (Leaf("issuerCik", "cik", False), Leaf("issuerName", "name", False),
           Leaf("issuerTradingSymbol", "trading_symbol", False))
_OWNER_ID = Group("reportingOwnerId", (Leaf("rptOwnerCik", "cik", False), Leaf("rptOwnerName", "name", False)))
_OWNER_ADDRESS = Group("reportingOwnerAddress", tuple(Leaf(tag, field, False) for tag, field in (
    ("rptOwnerStreet1", "street1"), ("rptOwnerStreet2", "street2"), ("rptOwnerCity", "city"),
    ("rptOwnerState", "state"), ("rptOwnerZipCode", "zip"), ("rptOwnerStateDescription", "state_description"))))
_RELATIONSHIP_FLAGS = (("isDirector", "is_director"), ("isOfficer", "is_officer"),
                       ("isTenPercentOwner", "is_ten_percent_owner"), ("isOther", "is_other"))
_SIGNATURE = (Leaf("signatureName", "name", False), Leaf("signatureDate", "date", False))

# The document's own fields before the issuer (amendment date, Form 3's and Forms 4/5's boxes,
# Form 5's two boxes), and after the owners the Rule 10b5-1 box. The two flags whose absence
# means "not ticked" are written only when ticked; the other boxes whenever the record knows them.
_HEAD = (Leaf("periodOfReport", "period_of_report", False),
         Leaf("dateOfOriginalSubmission", "date_of_original_submission", False),
         Leaf("noSecuritiesOwned", "no_securities_owned", False),
         Leaf("notSubjectToSection16", "not_subject_to_section16", False),
         Leaf("form3HoldingsReported", "form3_holdings_reported", False),
         Leaf("form4TransactionsReported", "form4_transactions_reported", False))
_TICKED_ONLY = frozenset({"no_securities_owned", "not_subject_to_section16"})


class InvalidDocumentError(Form4Error):
    """The document of a record breaks its form's schema (form4.validation.schema): a record read
    from a scan that lacks a required value, a code outside the form's list. ``problems`` names
    each element by its path."""

    def __init__(self, problems: Sequence[SchemaError]):
        self.problems = list(problems)
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"the document would break the schema: {problems[0].path}: {problems[0].message}{more}")


def to_xml(filing: Filing, *, check: bool = True) -> bytes:
    """The ownership document of ``filing``: UTF-8 bytes with an XML declaration.

    Raises ``UnwritableRecordError`` (naming the field) for what no document can carry, and, when
    ``check``, ``InvalidDocumentError`` for a document the SEC's schema would refuse: a filer never
    gets one from form4 unasked. ``check=False`` writes what the record holds all the same (a
    lossy reading or a draft, to complete by hand).
    """
    document = _document(filing)
    if check:
        from form4.validation.schema import schema_errors  # the schemas compile on first use

        problems = schema_errors(document, source=filing.source_name or "")
        if problems:
            raise InvalidDocumentError(problems)
    return document


def _document(filing: Filing) -> bytes:
    root = etree.Element("ownershipDocument")
    _child(root, "schemaVersion", SCHEMA_VERSION, "schema_version")
    _leaf(root, Leaf("documentType", "form_type", False), filing.form_type, [], "form_type")
    for leaf in _HEAD:
        value = getattr(filing, leaf.field)
        if leaf.field in _TICKED_ONLY and not value:
            continue
        _leaf(root, leaf, value, [], leaf.field)
    _issuer(root, filing.issuer)
    for index, owner in enumerate(filing.reporting_owners):
        _owner(root, owner, f"reporting_owners[{index}]")
    _leaf(root, Leaf("aff10b5One", "aff10b5_one", False), filing.aff10b5_one, [], "aff10b5_one")
    for table_tag, lists in _TABLES:
        _table(root, table_tag, filing, lists)
    _footnotes(root, filing.footnotes)
    _leaf(root, Leaf("remarks", "remarks", False), filing.remarks, [], "remarks")
    for index, signature in enumerate(filing.signatures):
        _signature(root, signature, f"signatures[{index}]")
    # The declaration as the specification prints it (lxml's own quotes with apostrophes).
    return _DECLARATION + etree.tostring(root, encoding="UTF-8", pretty_print=True)


_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def _issuer(root: etree._Element, issuer: Issuer) -> None:
    if any(getattr(issuer, leaf.field) is not None for leaf in _ISSUER):
        section = etree.SubElement(root, "issuer")
        for leaf in _ISSUER:
            _leaf(section, leaf, getattr(issuer, leaf.field), [], f"issuer.{leaf.field}")


def _owner(root: etree._Element, owner: ReportingOwner, path: str) -> None:
    section = etree.SubElement(root, "reportingOwner")
    for group in (_OWNER_ID, _OWNER_ADDRESS):
        _group(section, group, owner, {}, path)
    # Always there (the schema requires it; empty, it asserts nothing), with only the boxes
    # ticked: an unticked one may be a box a lossy source could not read.
    relationship = etree.SubElement(section, "reportingOwnerRelationship")
    for tag, field in _RELATIONSHIP_FLAGS:
        if getattr(owner, field):
            _child(relationship, tag, "1", f"{path}.{field}")
    for tag, field in (("officerTitle", "officer_title"), ("otherText", "other_text")):
        _leaf(relationship, Leaf(tag, field, False), getattr(owner, field), [], f"{path}.{field}")


def _signature(root: etree._Element, signature: Signature, path: str) -> None:
    section = etree.SubElement(root, "ownerSignature")  # kept when empty: the record holds a signature
    for leaf in _SIGNATURE:
        _leaf(section, leaf, getattr(signature, leaf.field), [], f"{path}.{leaf.field}")


def _footnotes(root: etree._Element, footnotes: Sequence[Footnote]) -> None:
    if not footnotes:
        return
    section = etree.SubElement(root, "footnotes")
    for index, note in enumerate(footnotes):
        element = etree.SubElement(section, "footnote")
        element.set("id", _checked(note.id, f"footnotes[{index}].id"))
        if note.text:
            element.text = _checked(note.text, f"footnotes[{index}].text")


def _table(root: etree._Element, tag: str, filing: Filing, lists: tuple[str, ...]) -> None:
    rows: list[tuple[str, int, Row]] = [(name, index, row) for name in lists
                                        for index, row in enumerate(getattr(filing, name))]
    if not rows:
        return
    table = etree.SubElement(root, tag)
    for name, index, row in rows:
        row_tag, layout = ROW_LAYOUTS[name]
        _row(etree.SubElement(table, row_tag), layout, row, f"{name}[{index}]")


def _row(element: etree._Element, layout: tuple[Part, ...], row: Row, path: str) -> None:
    placed = {leaf.field for part in layout for leaf in (part.parts if isinstance(part, Group) else (part,))}
    stray = sorted(set(row.footnotes) - placed)
    if stray:
        raise UnwritableRecordError(f"a <{element.tag}> has no element for {stray[0]!r} to carry its footnote "
                                    "references", field=f"{path}.footnotes")
    for part in layout:
        if isinstance(part, Group):
            _group(element, part, row, row.footnotes, path)
        else:
            _leaf(element, part, getattr(row, part.field, None), row.footnotes.get(part.field, []),
                  f"{path}.{part.field}")


def _group(parent: etree._Element, group: Group, record: Any, notes: dict[str, list[str]], path: str) -> None:
    """A group element, when any of its fields has a value or a footnote reference."""
    own = notes.get(group.notes, []) if group.notes else []
    wanted = [(leaf, getattr(record, leaf.field, None), [] if leaf.field == group.notes else notes.get(leaf.field, []))
              for leaf in group.parts]
    if not own and all(value is None and not refs for _, value, refs in wanted):
        return
    element = etree.SubElement(parent, group.tag)
    for leaf, value, refs in wanted:
        _leaf(element, leaf, value, refs, f"{path}.{leaf.field}")
    _references(element, own, f"{path}.footnotes")


def _leaf(parent: etree._Element, leaf: Leaf, value: Any, refs: Sequence[str], path: str) -> None:
    """One field's element: left out when the record holds neither a value nor a reference."""
    if value is None and not refs:
        return
    element = etree.SubElement(parent, leaf.tag)
    if value is not None:
        if leaf.wrapped:
            _child(element, "value", _lexical(value, path), path)
        else:
            element.text = _checked(_lexical(value, path), path)
    # An unwrapped field (transactionFormType) has no place for a reference in the schema: it is
    # kept inside the element all the same, where a reader finds it, and the validation reports it.
    _references(element, refs, path.rsplit(".", 1)[0] + ".footnotes")


def _references(element: etree._Element, refs: Sequence[str], path: str) -> None:
    for ref in refs:
        etree.SubElement(element, "footnoteId").set("id", _checked(ref, path))


def _child(parent: etree._Element, tag: str, text: str, path: str) -> None:
    etree.SubElement(parent, tag).text = _checked(text, path)


def _lexical(value: Any, path: str) -> str:
    """A value in the schema's lexical form: xs:boolean as 1/0, xs:date, a decimal without exponent."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise UnwritableRecordError(f"{value} is not a number a document can hold", field=path)
        return _decimal(value)
    return str(value)


def _decimal(number: float) -> str:
    # repr is the shortest text that reads back as the same float; Decimal spells it out
    # without an exponent (1e+16 -> 10000000000000000), as xs:decimal requires.
    text = format(Decimal(repr(number)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _checked(text: str, path: str) -> str:
    """``text``, if XML 1.0 can carry it: control characters (but tab and line ends) and lone
    surrogates cannot, and are not silently dropped from a filing."""
    bad = _NOT_XML.search(text)
    if bad is not None:
        raise UnwritableRecordError(f"U+{ord(bad.group()):04X} is a character XML cannot carry", field=path)
    return text


__all__ = ["ROW_LAYOUTS", "SCHEMA_VERSION", "UnwritableRecordError", "to_xml"]
