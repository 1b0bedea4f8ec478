"""The XML reader's one pass over the tree: every corpus filing reads the same however its
values are wrapped or its elements namespaced, and a value is its leaf's by the walk's rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

import form4
from tests.conftest import CORPUS

XML = sorted((CORPUS / "xml").glob("*.xml"))
_PARSER = etree.XMLParser(remove_blank_text=True, remove_comments=True, resolve_entities=False)


def _record(data: bytes) -> dict[str, object]:
    record = form4.read_bytes(data).to_dict()
    record.pop("source_name")
    return record


def _unwrapped(data: bytes) -> bytes:
    """Each ``<value>`` replaced by its text in its leaf: what early filers sent."""
    root = etree.fromstring(data, _PARSER)
    for value in list(root.iter("value")):
        leaf = value.getparent()
        if leaf is not None and not (leaf.text or "").strip():
            leaf.text = value.text
            leaf.remove(value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _namespaced(data: bytes) -> bytes:
    root = etree.fromstring(data, _PARSER)
    for el in root.iter():
        if isinstance(el.tag, str):
            el.tag = "{http://www.sec.gov/edgar/ownership}" + el.tag
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@pytest.mark.parametrize("path", XML, ids=lambda p: p.name)
def test_corpus_reads_the_same_unwrapped_and_namespaced(path: Path) -> None:
    data = path.read_bytes()
    record = _record(data)
    assert _record(_unwrapped(data)) == record
    assert _record(_namespaced(data)) == record


_LEAF_PARTS = st.lists(st.sampled_from(["value", "note", "unknown"]), max_size=4)


def _doc(parts: list[str], shares: str) -> bytes:
    leaf = "".join({"value": f"<value>{shares}</value>", "note": '<footnoteId id="F1"/>',
                    "unknown": "<laterSchemaElement/>"}[p] for p in parts)
    return (f"<ownershipDocument><documentType>4</documentType>"
            f"<issuer><issuerCik>1</issuerCik></issuer>"
            f"<reportingOwner><reportingOwnerId><rptOwnerCik>2</rptOwnerCik></reportingOwnerId></reportingOwner>"
            f"<nonDerivativeTable><nonDerivativeTransaction><transactionAmounts>"
            f"<transactionShares>{leaf}</transactionShares>"
            f"</transactionAmounts></nonDerivativeTransaction></nonDerivativeTable>"
            f"</ownershipDocument>").encode()  # detected as XML by its root element


@settings(max_examples=60, deadline=None)
@given(_LEAF_PARTS, st.integers(min_value=0, max_value=10**9))
def test_a_value_is_its_leafs_until_an_element_unknown_comes_between(parts: list[str], shares: int) -> None:
    """Read straightforwardly: the last ``<value>`` of the leaf not preceded (within the leaf)
    by an element the reader does not know; footnote references do not count."""
    expected = None
    for part in parts:
        if part == "unknown":
            break
        if part == "value":
            expected = float(shares)
    row = form4.read_bytes(_doc(parts, str(shares))).non_derivative_transactions[0]
    assert row.shares == expected
    assert row.footnotes == ({"shares": ["F1"] * parts.count("note")} if "note" in parts else {})


_BAD_LEAVES = {"transactionDate": ("transaction_date", "not a date"), "transactionShares": ("shares", "many"),
               "transactionPricePerShare": ("price_per_share", "cheap")}


@settings(max_examples=40, deadline=None)
@given(st.permutations(list(_BAD_LEAVES)), st.lists(st.sampled_from(["wrapped", "bare", "noted"]), min_size=3,
                                                     max_size=3), st.sampled_from(list(_BAD_LEAVES)))
def test_a_rows_warnings_follow_its_leaves_first_places(order: list[str], forms: list[str], repeated: str) -> None:
    """Each unreadable value is warned of in the order its leaf first came, wrapped in ``<value>`` or
    not, a footnote reference before the value or not; a leaf given twice keeps its first place and
    is read from its last value."""
    def leaf(tag: str, text: str, form: str) -> str:
        inner = {"wrapped": f"<value>{text}</value>", "bare": text,
                 "noted": f'<footnoteId id="F1"/><value>{text}</value>'}[form]
        return f"<{tag}>{inner}</{tag}>"

    row = "".join(leaf(tag, _BAD_LEAVES[tag][1], form) for tag, form in zip(order, forms, strict=True))
    row += leaf(repeated, "again", "wrapped")
    data = (f"<ownershipDocument><documentType>4</documentType><issuer><issuerCik>1</issuerCik></issuer>"
            f"<reportingOwner><reportingOwnerId><rptOwnerCik>2</rptOwnerCik></reportingOwnerId></reportingOwner>"
            f"<nonDerivativeTable><nonDerivativeTransaction>{row}</nonDerivativeTransaction></nonDerivativeTable>"
            f"</ownershipDocument>").encode()
    warned = [(w.field, w.message) for w in form4.read_bytes(data).warnings]
    said = [(f"non_derivative_transactions[0].{_BAD_LEAVES[tag][0]}",
             "again" if tag == repeated else _BAD_LEAVES[tag][1]) for tag in order]
    assert [field for field, _ in warned] == [field for field, _ in said]
    assert all(f"'{text}'" in message for (_, message), (_, text) in zip(warned, said, strict=True))
