"""Reader for EDGAR ownership XML (``<ownershipDocument>``), every schema version.

One pass over the tree: each element's tag picks the record field and converter from
the tables below, so the reader is both fast and tolerant of element order, missing
``<value>`` wrappers and elements added by later schema versions.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Final

from lxml import etree

from form4.errors import MalformedInputError, UnsafeInputError
from form4.model import (
    DerivativeHolding,
    DerivativeTransaction,
    Filing,
    Footnote,
    Footnotes,
    Issuer,
    NonDerivativeHolding,
    NonDerivativeTransaction,
    ReportingOwner,
    Signature,
    Warning,
)
from form4.readers import values as v

MAX_XML_BYTES = 16 * 1024 * 1024
"""Largest ownership document accepted; real ones are a few kilobytes."""

Converter = Callable[[str], Any]

# Row leaves: XML tag -> (record field, converter). Shared by all four row kinds.
_ROW_LEAVES: dict[str, tuple[str, Converter]] = {
    "securityTitle": ("security_title", v.text),
    "conversionOrExercisePrice": ("conversion_or_exercise_price", v.number),
    "transactionDate": ("transaction_date", v.date),
    "deemedExecutionDate": ("deemed_execution_date", v.date),
    "transactionFormType": ("transaction_form_type", v.text),
    "transactionCode": ("transaction_code", v.code),
    "equitySwapInvolved": ("equity_swap_involved", v.boolean),
    "transactionTimeliness": ("transaction_timeliness", v.code),
    "transactionShares": ("shares", v.number),
    "transactionTotalValue": ("total_value", v.number),
    "transactionPricePerShare": ("price_per_share", v.number),
    "transactionAcquiredDisposedCode": ("acquired_disposed", v.code),
    "exerciseDate": ("exercise_date", v.date),
    "expirationDate": ("expiration_date", v.date),
    "underlyingSecurityTitle": ("underlying_security_title", v.text),
    "underlyingSecurityShares": ("underlying_shares", v.number),
    "underlyingSecurityValue": ("underlying_value", v.number),
    "sharesOwnedFollowingTransaction": ("shares_owned_following", v.number),
    "valueOwnedFollowingTransaction": ("value_owned_following", v.number),
    "directOrIndirectOwnership": ("direct_or_indirect", v.code),
    "natureOfOwnership": ("nature_of_ownership", v.text),
}


# Row groups, and the field a footnote on the group itself annotates.
_ROW_GROUPS: dict[str, str] = {
    "transactionCoding": "transaction_code",
    "transactionAmounts": "shares",
    "postTransactionAmounts": "shares_owned_following",
    "ownershipNature": "direct_or_indirect",
    "underlyingSecurity": "underlying_security_title",
}

# Elements that open a record section: tag -> (list in the record, or None, and class).
_SECTIONS: dict[str, tuple[str | None, type[Any]]] = {
    "issuer": (None, Issuer),
    "reportingOwner": ("reporting_owners", ReportingOwner),
    "ownerSignature": ("signatures", Signature),
    "nonDerivativeTransaction": ("non_derivative_transactions", NonDerivativeTransaction),
    "nonDerivativeHolding": ("non_derivative_holdings", NonDerivativeHolding),
    "derivativeTransaction": ("derivative_transactions", DerivativeTransaction),
    "derivativeHolding": ("derivative_holdings", DerivativeHolding),
}
_LISTS = tuple(name for name, _ in _SECTIONS.values() if name)

_FILING_LEAVES: dict[str, tuple[str, Converter]] = {
    "schemaVersion": ("schema_version", v.text),
    "documentType": ("form_type", v.text),
    "periodOfReport": ("period_of_report", v.date),
    "dateOfOriginalSubmission": ("date_of_original_submission", v.date),
    "notSubjectToSection16": ("not_subject_to_section16", v.boolean),
    "aff10b5One": ("aff10b5_one", v.boolean),
    "noSecuritiesOwned": ("no_securities_owned", v.boolean),
    "form3HoldingsReported": ("form3_holdings_reported", v.boolean),
    "form4TransactionsReported": ("form4_transactions_reported", v.boolean),
    "remarks": ("remarks", v.text),
}
_FLAGS = frozenset({"not_subject_to_section16", "no_securities_owned"})  # absent means False

_ISSUER_LEAVES: dict[str, tuple[str, Converter]] = {
    "issuerCik": ("cik", v.cik),
    "issuerName": ("name", v.text),
    "issuerTradingSymbol": ("trading_symbol", v.text),
}

_OWNER_LEAVES: dict[str, tuple[str, Converter]] = {
    "rptOwnerCik": ("cik", v.cik),
    "rptOwnerName": ("name", v.text),
    "rptOwnerStreet1": ("street1", v.text),
    "rptOwnerStreet2": ("street2", v.text),
    "rptOwnerCity": ("city", v.text),
    "rptOwnerState": ("state", v.text),
    "rptOwnerZipCode": ("zip", v.text),
    "rptOwnerStateDescription": ("state_description", v.text),
    "isDirector": ("is_director", v.boolean),
    "isOfficer": ("is_officer", v.boolean),
    "isTenPercentOwner": ("is_ten_percent_owner", v.boolean),
    "isOther": ("is_other", v.boolean),
    "officerTitle": ("officer_title", v.text),
    "otherText": ("other_text", v.text),
}

_SIGNATURE_LEAVES: dict[str, tuple[str, Converter]] = {
    "signatureName": ("name", v.text),
    "signatureDate": ("date", v.date),
}

# Field names repeat across sections only with the same converter (name, cik), so one
# table serves the whole document.
_ALL_LEAVES = {**_ROW_LEAVES, **_ISSUER_LEAVES, **_OWNER_LEAVES, **_SIGNATURE_LEAVES, **_FILING_LEAVES}
_LEAF_FIELDS: dict[str, str] = {tag: key for tag, (key, _) in _ALL_LEAVES.items()}
_CONVERTERS: dict[str, Converter] = dict(_ALL_LEAVES.values())
_TEXT: Final = 0
_NUMBER: Final = 1
_DATE: Final = 2
_CODE: Final = 3
_BOOLEAN: Final = 4
_CIK: Final = 5
_CONVERTER_KINDS: dict[Converter, int] = {v.text: _TEXT, v.number: _NUMBER, v.date: _DATE, v.code: _CODE,
                                  v.boolean: _BOOLEAN, v.cik: _CIK}
_VALUE_KINDS: dict[str, int] = {key: _CONVERTER_KINDS[convert] for key, convert in _CONVERTERS.items()}
_FILING_LEAF_FIELDS = {tag: key for tag, (key, _) in _FILING_LEAVES.items()}
_SECTION_LEAF_FIELDS = {tag: key for tag, key in _LEAF_FIELDS.items() if tag not in _FILING_LEAVES}

_UTF8_BOM = b"\xef\xbb\xbf"
_local = threading.local()


def _parser() -> etree.XMLParser:
    # lxml parsers are not thread-safe: one per thread. Entities, DTDs and network off.
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False, load_dtd=False, no_network=True, dtd_validation=False,
            huge_tree=False, remove_comments=True, remove_pis=True, recover=False,
            remove_blank_text=True, collect_ids=False,
        )
        _local.parser = parser
    return parser


def check_safe(data: bytes, source: str | None, limit: int = MAX_XML_BYTES) -> None:
    """Refuse what a hardened reader never parses: oversized input, DTDs, entity declarations."""
    if len(data) > limit:
        raise UnsafeInputError(f"{len(data)} bytes is over the limit of {limit}", source=source)
    if _has_doctype(data):  # entity declarations can only live inside a DOCTYPE
        raise UnsafeInputError("DTD or entity declaration refused (entities and DTDs are off)",
                               source=source, field="DOCTYPE")


def _has_doctype(data: bytes) -> bool:
    """Whether ``<!DOCTYPE`` occurs anywhere in ``data``.

    Searched from each ``!``, which an ownership document rarely holds: a search for the whole
    mark is slowed by the ``<`` of every tag (10 µs of a 17 kB filing), one for ``!`` is not."""
    at = data.find(b"!")
    while at >= 0:
        if at and data.startswith(b"<!DOCTYPE", at - 1):
            return True
        at = data.find(b"!", at + 1)
    return False


def parse_tree(data: bytes, source: str | None = None) -> etree._Element:
    check_safe(data, source)
    if data[:1].isspace() or (data[3:4].isspace() and data.startswith(_UTF8_BOM)):
        data = data.removeprefix(_UTF8_BOM).lstrip()  # an XML declaration must come first
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise MalformedInputError(f"not well-formed XML: {exc}", source=source) from None
    except ValueError as exc:  # e.g. lxml refusing a document it cannot decode
        raise MalformedInputError(f"unreadable XML: {exc}", source=source) from None
    tag = root.tag  # read once: each read builds a new string
    if isinstance(tag, str) and tag.startswith("{"):
        _strip_namespaces(root)
        tag = root.tag
    if tag != "ownershipDocument":
        raise MalformedInputError(f"root element is <{tag}>, not <ownershipDocument>",
                                  source=source, field="ownershipDocument")
    return root


def _strip_namespaces(root: etree._Element) -> None:
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.startswith("{"):
            el.tag = el.tag.split("}", 1)[1]


def read_xml(data: bytes, source: str | None = None) -> Filing:
    """Read one ownership XML document into a Filing."""
    return _FilingReader(source).read(parse_tree(data, source))


class _FilingReader:
    """Reads one ``<ownershipDocument>``; collects warnings for values it cannot read."""

    def __init__(self, source: str | None):
        self.source = source
        self.warnings: list[Warning] = []

    def read(self, root: etree._Element) -> Filing:
        top, sections, footnotes = _collect(root)
        fields = self._typed(top, None, _FIELDS[Filing])
        for flag in _FLAGS:
            if fields.get(flag) is None:
                fields.pop(flag, None)
        if fields.get("form_type") is None:
            self._warn("form_type", "no <documentType>")
        lists: dict[str, list[Any]] = {name: [] for name in _LISTS}
        for tag, raws, notes in sections:
            name, cls = _SECTIONS[tag]
            bucket = lists[name] if name else None
            where: tuple[str, int | None] = (name, len(bucket)) if name and bucket is not None \
                else ("issuer", None)
            values = self._typed(raws, where, _FIELDS[cls], tag)
            if notes and "footnotes" in _FIELDS[cls]:
                values["footnotes"] = notes
            elif notes:  # the schema allows none here, and the record has nowhere to keep it
                ids = ", ".join(i for ids in notes.values() for i in ids)
                self._warn(f"{name}[{len(bucket)}]" if bucket is not None else "issuer",
                           f"footnote {ids} inside <{tag}> left out: the record keeps no footnotes there")
            section = cls(**values)
            if bucket is None:
                fields["issuer"] = section
            else:
                bucket.append(section)
        fields.update(lists)
        return Filing(**fields, footnotes=footnotes, source="xml",
                      source_name=self.source, warnings=self.warnings)

    def _warn(self, path: str, message: str) -> None:
        self.warnings.append(Warning(field=path, message=message))

    def _typed(self, raws: dict[str, Raw], where: tuple[str, int | None] | None, allowed: frozenset[str],
               tag: str = "ownershipDocument") -> dict[str, Any]:
        fields: dict[str, Any] = {}
        kinds = _VALUE_KINDS
        for key, raw in raws.items():
            if raw is None:
                continue
            if not isinstance(raw, str):
                raw = raw.text
                if raw is None:
                    continue
            kind = kinds[key]
            try:
                # Told by number, not by calling the converter the table names: the compiled build
                # then calls each converter directly. Most values are plain text, stripped here.
                if kind == _TEXT:
                    value: Any = raw.strip() or None
                elif kind == _NUMBER:
                    value = v.number(raw)
                elif kind == _DATE:
                    value = v.date(raw)
                elif kind == _CODE:
                    value = v.code(raw)
                elif kind == _BOOLEAN:
                    value = v.boolean(raw)
                else:
                    value = v.cik(raw)
            except ValueError as exc:
                self._warn(_path(where, key), f"{exc}; left empty")
                continue
            if value is None:
                continue
            if key in allowed:
                fields[key] = value
            else:
                self._warn(_path(where, key), f"<{tag}> has no {key}; value dropped")
        return fields


_RECORD_CLASSES: list[type[Any]] = [Filing, *(cls for _, cls in _SECTIONS.values())]


def _path(where: tuple[str, int | None] | None, key: str) -> str:
    """The record path of a field: ``issuer.cik``, ``derivative_transactions[2].shares``."""
    if where is None:
        return key
    name, index = where
    return f"{name}.{key}" if index is None else f"{name}[{index}].{key}"


_FIELDS: dict[type[Any], frozenset[str]] = {
    cls: frozenset(cls.__struct_fields__) for cls in _RECORD_CLASSES}

Raw = str | None | etree._Element  # an element stands for its own text, read when needed
Section = tuple[str, dict[str, Raw], Footnotes]


# What an element other than a value is to the walk, and the name it carries (a leaf's field, a
# section's tag): one lookup tells. Elements not listed are unknown to the reader.
_LEAF: Final = 0
_SECTION: Final = 1
_FILING_LEAF: Final = 2
_NOTE: Final = 3
_KINDS: dict[str, tuple[int, str]] = {
    **{tag: (_SECTION, tag) for tag in _SECTIONS},
    **{tag: (_FILING_LEAF, key) for tag, key in _FILING_LEAF_FIELDS.items()},
    "footnote": (_NOTE, ""),
    **{tag: (_LEAF, key) for tag, key in _SECTION_LEAF_FIELDS.items()}}


def _collect(root: etree._Element) -> tuple[dict[str, Raw], list[Section], list[Footnote]]:
    """Raw text of every leaf, by section, and the footnotes, in one flat pass over the tree.

    Sections (issuer, owners, rows, signatures) never nest, so each leaf belongs to the last
    one opened, or to the filing itself. A leaf's text is that of its ``<value>`` child,
    which follows it directly in document order, or else its own (kept as the element until
    needed: most leaves are wrapped). Any other element resets the current leaf, so a
    ``<value>`` under an element this reader does not know is ignored.

    Values and footnote references are a third of the elements: they are told by one comparison
    each, the rest by one lookup.
    """
    top: dict[str, Raw] = {}
    sections: list[Section] = []
    footnotes: list[Footnote] = []
    raws: dict[str, Raw] = top
    notes: Footnotes = {}
    key = ""
    leaf_el: etree._Element | None = None  # the last leaf met, kept so that its footnotes know it
    leaf_key = ""
    # A section's leaf is stored as its element only if no value claims it first: most are
    # wrapped, and their value follows at once, so one store instead of two. Nothing else
    # enters a section between the leaf and its value, so the fields keep the order they came in.
    unclaimed: etree._Element | None = None
    kinds = _KINDS
    for el in root.iterdescendants():
        tag = el.tag
        if not isinstance(tag, str):  # typed for the compiled build; entities cannot occur here
            continue
        if tag == "value":
            if key:  # a value no leaf claims is never read
                raws[key] = el.text
                unclaimed = None
            continue
        if tag == "footnoteId":  # the next most common: told by a comparison too, not a lookup
            # stores nothing in the fields: a leaf waiting for its value still waits
            note = el.get("id")
            if note and (note := note.strip()):
                # in the leaf the walk last met (nearly always): that leaf's field; else its group's.
                # `in` asks lxml whether the leaf is the parent without making the parent's proxy.
                target = leaf_key if leaf_el is not None and el in leaf_el else _annotated_field(el.getparent())
                if target:
                    listed = notes.get(target)
                    if listed is None:
                        notes[target] = [note]
                    else:
                        listed.append(note)
            continue
        found = kinds.get(tag)
        if found is None:
            if unclaimed is not None:
                raws[key] = unclaimed
                unclaimed = None
            key = ""
            continue
        kind, name = found
        if unclaimed is not None:
            raws[key] = unclaimed
            unclaimed = None
        if kind == _LEAF:
            key = leaf_key = name
            leaf_el = unclaimed = el
        elif kind == _SECTION:
            raws, notes, key = {}, {}, ""
            sections.append((tag, raws, notes))
        elif kind == _FILING_LEAF:
            raws, notes, key = top, {}, name
            leaf_el, leaf_key = el, key
            top[key] = _joined_text(el) if key == "remarks" else el
        else:
            footnotes.append(Footnote(id=(el.get("id") or "").strip(), text=_joined_text(el) or ""))
    if unclaimed is not None:
        raws[key] = unclaimed
    return top, sections, footnotes


def _annotated_field(parent: etree._Element | None) -> str:
    """The field a footnote reference in ``parent`` annotates: a leaf's own, a group's (transactionCoding)
    the one the group stands for, or none (empty)."""
    owner = parent.tag if parent is not None else ""
    return _LEAF_FIELDS.get(owner) or _ROW_GROUPS.get(owner) or ""


def _joined_text(el: etree._Element) -> str | None:
    if not len(el):  # no children: its text is all there is (most remarks and footnotes)
        text = el.text
        return (text.strip() or None) if text else None
    return "".join(str(part) for part in el.itertext()).strip() or None
