"""Reporting owners and signatures (O3xx)."""

from __future__ import annotations

from form4.model import Signature
from tests.validation.build import codes, filing, only, owner

SIGNED = Signature(name="Jane Doe")


def test_no_relationship_box() -> None:
    assert only(filing(reporting_owners=[owner(is_director=False)]), "O301").field == "reporting_owners[0]"


def test_officer_needs_a_title() -> None:
    found = only(filing(reporting_owners=[owner(is_officer=True, officer_title="  ")]), "O302")
    assert found.field == "reporting_owners[0].officer_title"
    assert "O302" not in codes(filing(reporting_owners=[owner(is_officer=True, officer_title="CFO")]))


def test_other_needs_saying_what() -> None:
    assert "O303" in codes(filing(reporting_owners=[owner(is_other=True)]))


def test_duplicate_owner_cik_even_without_leading_zeros() -> None:
    joint = [owner(), owner(cik="1234567", name="Doe Jane T")]
    found = only(filing(reporting_owners=joint, signatures=[SIGNED, SIGNED]), "O304")
    assert found.field == "reporting_owners[1].cik" and "reporting_owners[0]" in found.message


def test_signatures_of_a_joint_filing() -> None:
    fund, partner = owner(cik="0000000001", name="Fund LP"), owner(cik="0000000002", name="Fund GP LLC")
    assert "O305" in codes(filing(signatures=[]))
    assert "O306" in codes(filing(signatures=[SIGNED, SIGNED]))
    assert only(filing(reporting_owners=[fund, partner], signatures=[SIGNED]), "O307").severity == "info"
    assert not {"O305", "O306", "O307"} & set(codes(filing(reporting_owners=[fund, partner],
                                                           signatures=[SIGNED, SIGNED])))
    assert only(filing(signatures=[Signature(name=" ")]), "O308").field == "signatures[0].name"
