"""Reader for EDGAR ownership XML (``<ownershipDocument>``), every schema version.

One pass over the tree: each element's tag picks the record field and converter from
the tables below, so the reader is both fast and tolerant of element order, missing
``<value>`` wrappers and elements added by later schema versions.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

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

_ROW_KINDS: dict[str, tuple[str, type[Any]]] = {
    "nonDerivativeTransaction": ("non_derivative_transactions", NonDerivativeTransaction),
    "nonDerivativeHolding": ("non_derivative_holdings", NonDerivativeHolding),
    "derivativeTransaction": ("derivative_transactions", DerivativeTransaction),
    "derivativeHolding": ("derivative_holdings", DerivativeHolding),
}

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
_OWNER_GROUPS = frozenset({"reportingOwnerId", "reportingOwnerAddress", "reportingOwnerRelationship"})

_SIGNATURE_LEAVES: dict[str, tuple[str, Converter]] = {
    "signatureName": ("name", v.text),
    "signatureDate": ("date", v.date),
}

_local = threading.local()


def _parser() -> etree.XMLParser:
    # lxml parsers are not thread-safe: one per thread. Entities, DTDs and network off.
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False, load_dtd=False, no_network=True, dtd_validation=False,
            huge_tree=False, remove_comments=True, remove_pis=True, recover=False,
        )
        _local.parser = parser
    return parser


def check_safe(data: bytes, source: str | None, limit: int = MAX_XML_BYTES) -> None:
    """Refuse what a hardened reader never parses: oversized input, DTDs, entity declarations."""
    if len(data) > limit:
        raise UnsafeInputError(f"{len(data)} bytes is over the limit of {limit}", source=source)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise UnsafeInputError("DTD or entity declaration refused (entities and DTDs are off)",
                               source=source, field="DOCTYPE")


def parse_tree(data: bytes, source: str | None = None) -> etree._Element:
    check_safe(data, source)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise MalformedInputError(f"not well-formed XML: {exc}", source=source) from None
    except ValueError as exc:  # e.g. lxml refusing a document it cannot decode
        raise MalformedInputError(f"unreadable XML: {exc}", source=source) from None
    if isinstance(root.tag, str) and root.tag.startswith("{"):
        _strip_namespaces(root)
    if root.tag != "ownershipDocument":
        raise MalformedInputError(f"root element is <{root.tag}>, not <ownershipDocument>",
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
    """Walks one ``<ownershipDocument>``; collects warnings for values it cannot read."""

    def __init__(self, source: str | None):
        self.source = source
        self.warnings: list[Warning] = []

    def read(self, root: etree._Element) -> Filing:
        fields: dict[str, Any] = {}
        owners: list[ReportingOwner] = []
        rows: dict[str, list[Any]] = {name: [] for name, _ in _ROW_KINDS.values()}
        footnotes: list[Footnote] = []
        signatures: list[Signature] = []
        for child in root:
            tag = child.tag
            leaf = _FILING_LEAVES.get(tag)
            if leaf is not None:
                key, convert = leaf
                raw = _joined_text(child) if key == "remarks" else _leaf_text(child)[0]
                fields[key] = self._convert(raw, convert, key)
            elif tag == "issuer":
                fields["issuer"] = Issuer(**self._leaves(child, _ISSUER_LEAVES, "issuer"))
            elif tag == "reportingOwner":
                owners.append(self._owner(child, len(owners)))
            elif tag == "nonDerivativeTable" or tag == "derivativeTable":
                self._table(child, rows)
            elif tag == "footnotes":
                footnotes.extend(
                    Footnote(id=(fn.get("id") or "").strip(), text=_joined_text(fn) or "")
                    for fn in child if fn.tag == "footnote")
            elif tag == "ownerSignature":
                path = f"signatures[{len(signatures)}]"
                signatures.append(Signature(**self._leaves(child, _SIGNATURE_LEAVES, path)))
        for flag in _FLAGS:
            if fields.get(flag) is None:
                fields.pop(flag, None)
        if fields.get("form_type") is None:
            self._warn("form_type", "no <documentType>")
        return Filing(**fields, reporting_owners=owners, footnotes=footnotes,
                      signatures=signatures, source="xml", source_name=self.source,
                      warnings=self.warnings, **rows)

    def _warn(self, path: str, message: str) -> None:
        self.warnings.append(Warning(field=path, message=message))

    def _convert(self, raw: str | None, convert: Converter, path: str) -> Any:
        if raw is None:
            return None
        try:
            return convert(raw)
        except ValueError as exc:
            self._warn(path, f"{exc}; left empty")
            return None

    def _leaves(self, el: etree._Element, table: dict[str, tuple[str, Converter]],
                path: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for child in el:
            leaf = table.get(child.tag)
            if leaf is not None:
                key, convert = leaf
                value = self._convert(_leaf_text(child)[0], convert, f"{path}.{key}")
                if value is not None:
                    out[key] = value
        return out

    def _owner(self, el: etree._Element, index: int) -> ReportingOwner:
        path = f"reporting_owners[{index}]"
        fields: dict[str, Any] = {}
        for group in el:
            if group.tag in _OWNER_GROUPS:
                fields.update(self._leaves(group, _OWNER_LEAVES, path))
        return ReportingOwner(**fields)

    def _table(self, table: etree._Element, rows: dict[str, list[Any]]) -> None:
        for el in table:
            kind = _ROW_KINDS.get(el.tag)
            if kind is None:
                continue
            name, cls = kind
            bucket = rows[name]
            path = f"{name}[{len(bucket)}]"
            fields: dict[str, Any] = {}
            notes: Footnotes = {}
            self._row_fields(el, fields, notes, path, None)
            unknown = fields.keys() - cls.__struct_fields__
            for key in unknown:
                self._warn(f"{path}.{key}", f"<{el.tag}> has no {key}; value dropped")
                del fields[key]
            bucket.append(cls(**fields, footnotes=notes))

    def _row_fields(self, el: etree._Element, fields: dict[str, Any], notes: Footnotes,
                    path: str, group_key: str | None) -> None:
        for child in el:
            tag = child.tag
            leaf = _ROW_LEAVES.get(tag)
            if leaf is not None:
                key, convert = leaf
                raw, ids = _leaf_text(child)
                value = self._convert(raw, convert, f"{path}.{key}")
                if value is not None:
                    fields[key] = value
                if ids:
                    notes.setdefault(key, []).extend(ids)
            elif tag in _ROW_GROUPS:
                self._row_fields(child, fields, notes, path, _ROW_GROUPS[tag])
            elif tag == "footnoteId" and group_key is not None:
                note = (child.get("id") or "").strip()
                if note:
                    notes.setdefault(group_key, []).append(note)


def _leaf_text(el: etree._Element) -> tuple[str | None, list[str]]:
    """A leaf's text, from its ``<value>`` child or itself, and its footnote ids."""
    text: str | None = None
    ids: list[str] = []
    wrapped = False
    for child in el:
        tag = child.tag
        if tag == "value":
            text, wrapped = child.text, True
        elif tag == "footnoteId":
            note = child.get("id")
            if note:
                ids.append(note.strip())
    if not wrapped:
        text = el.text
    return text, ids


def _joined_text(el: etree._Element) -> str | None:
    return "".join(el.itertext()).strip() or None
