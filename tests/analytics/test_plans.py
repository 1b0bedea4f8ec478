"""Rule 10b5-1 plan sales: the spellings filers use, the look-alikes that are not a plan, and
which rows a filing's checkbox and footnotes cover."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from form4.analytics.plans import plan_sales, says_plan
from form4.analytics.roles import roles, title_roles
from tests.analytics.history import form4, owner, trade

ALICE = owner(1, "Smith Alice", director=True)


@pytest.mark.parametrize("text", [
    "The sales reported were effected pursuant to a Rule 10b5-1 trading plan adopted on March 3, 2022.",
    "Sold under a 10b-5-1 plan.",
    "SALE PURSUANT TO RULE 10B5-1 PLAN",
    "Effected under a Rule 10b5\u20131 trading plan",              # en dash
    "Effected under a Rule 10b5\u20111 trading plan",              # non-breaking hyphen
    "pursuant to a trading plan intended to comply with Rule 10b5-1(c) of the Exchange Act",
    "pursuant to a 10b5 - 1 plan",
    "pursuant to a Rule 10b5(1) plan",
    "under a Rule 10b5-l trading plan",                            # a letter l for the digit 1, as OCR reads it
    "The shares were sold automatically. A 10b51 plan was adopted.",
])
def test_spellings_of_a_plan(text: str) -> None:
    assert says_plan(text)


@pytest.mark.parametrize("text", [
    "Represents shares withheld by the issuer to satisfy tax withholding obligations upon vesting of RSUs.",
    "Shares held by the Smith Family Trust, of which the reporting person is a trustee.",
    "The reporting person disclaims beneficial ownership except to the extent of his pecuniary interest.",
    "Rule 10b-5 liability is not admitted.",                       # the anti-fraud rule
    "Relationship of trust and confidence within the meaning of Rule 10b5-2.",
    "Rule 10b5-10 does not exist, and neither does this plan.",
    "This sale was not made pursuant to a Rule 10b5-1 trading plan.",
    "None of these sales were made under a Rule 10b5-1 plan.",
    "Sold in the open market, other than under a 10b5-1 plan.",
    "Shares withheld pursuant to the 2019 Equity Incentive Plan to cover taxes.",
])
def test_look_alikes_are_not_a_plan(text: str) -> None:
    assert not says_plan(text)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_text_without_the_rule_is_never_a_plan(text: str) -> None:
    assert says_plan(text) == says_plan(text + " and more")  # a match never depends on what follows it
    if "10" not in text:
        assert not says_plan(text)


PLAN = "Sold under a Rule 10b5-1 trading plan adopted on May 1, 2023."


def test_a_sale_is_under_a_plan_by_its_own_footnote() -> None:
    filing = form4([ALICE], [trade("2024-05-01", "S", 100, 10.0, notes={"transaction_code": ["F1"]}),
                             trade("2024-05-01", "S", 100, 10.0, notes={"price_per_share": ["F2"]}),
                             trade("2024-05-01", "P", 100, 10.0, notes={"transaction_code": ["F1"]})],
                   footnotes={"F1": PLAN, "F2": "Weighted average price."}, checkbox=True)
    assert plan_sales(filing) == [True, False, False]  # the checkbox speaks only where no footnote does


def test_the_checkbox_or_remarks_cover_every_sale_when_no_footnote_says_which() -> None:
    rows = [trade("2024-05-01", "S", 100, 10.0), trade("2024-05-02", "S", 50, 11.0), trade("2024-05-02", "F", 5, 11.0)]
    assert plan_sales(form4([ALICE], rows, checkbox=True)) == [True, True, False]
    assert plan_sales(form4([ALICE], rows, remarks=f"All sales: {PLAN}")) == [True, True, False]
    assert plan_sales(form4([ALICE], rows, checkbox=False)) == [False, False, False]
    assert plan_sales(form4([ALICE], rows)) == [False, False, False]


@pytest.mark.parametrize(("title", "expected"), [
    ("President & CEO", {"ceo"}), ("Chief Executive Officer", {"ceo"}), ("Co-CEO", {"ceo"}),
    ("EVP, Chief Financial Officer", {"cfo"}), ("CFO and Treasurer", {"cfo"}), ("Principal Financial Officer", {"cfo"}),
    ("Chairman, CEO and CFO", {"ceo", "cfo"}), ("General Counsel", set()), ("Chief Operating Officer", set()),
    ("Vice President, Finance", set()), (None, set()),
])
def test_executive_roles_from_officer_titles(title: str | None, expected: set[str]) -> None:
    assert title_roles(title) == expected


def test_roles_in_order() -> None:
    assert roles(director=True, officer=True, ten_percent_owner=False, other=False, title="CEO") \
        == ["director", "officer", "ceo"]
