"""Flags from checking rows against each other and against the footnotes (issue 26 §3): a
reading's slip that no single cell shows (a row lost, merged or put in the wrong table, a mark
lost) must flag the fields it moved, and a reading without the slip must not.  Each test writes
a small form as ``pdftotext -raw`` gives it and reads it through ``form4.read``; the paths asked
are where the printed form's values would be (``form4.compare.flagged``)."""

from __future__ import annotations

from typing import Any

import form4
from form4.compare import flagged
from tests.readers.test_text_rules import (
    BOXES,
    LAYOUT_HEAD,
    NOTES,
    RAW_HEAD,
    RAW_SIGNED,
    RAW_TABLE_ONE,
    RAW_TABLE_TWO,
    ROW,
    SIGNED,
    TABLE_ONE,
    TABLE_TWO,
    at,
)

OPTION = "Stock Option (Right to Buy) $10.00 03/02/2021 M 1,000 (1) 03/01/2031 Common Stock 1,000 $0 4,000 D\n"


def _read(table_one: str = "", table_two: str = "", notes: str = NOTES, signed: str = RAW_SIGNED) -> dict[str, Any]:
    text = RAW_HEAD + RAW_TABLE_ONE + table_one + RAW_TABLE_TWO + table_two + notes + signed
    return form4.read(text.encode()).to_dict()


def test_a_holding_read_among_the_transactions_flags_the_holdings_places() -> None:
    # the form's holdings have no date and no amount: read as a transaction, the holdings below
    # lost their first row, and every holding's index is one off
    clean = _read(table_two=OPTION)
    assert not flagged(clean, "derivative_holdings[0].underlying_shares")
    holding = "Stock Option (Right to Buy) $12.00 (1) 03/01/2032 Common Stock 2,000 2,000 D\n"
    # its D after the last amount is its ownership form, not a code: a holding
    assert len(_read(table_two=OPTION + holding)["derivative_holdings"]) == 1
    # a stray letter after its one date is taken for a code: read as a transaction
    record = _read(table_two=OPTION + holding.replace("03/01/2032", "03/01/2032 J"))
    assert len(record["derivative_transactions"]) == 2 and record["derivative_holdings"] == []
    assert flagged(record, "derivative_holdings[0].underlying_shares")
    assert flagged(record, "derivative_holdings")


def test_a_title_printed_twice_flags_its_row_the_rows_after_it_and_one_past_the_end() -> None:
    first, third = ("Common Stock 03/02/2021 S 1,000 D $10.50 9,000 D\n",
                    "Common Stock 03/03/2021 S 400 D $10.70 8,100 D\n")
    clean = _read(first + "Common Stock 03/02/2021 S 500 D $10.60 8,500 D\n" + third)
    assert not any(flagged(clean, f"non_derivative_transactions[{i}].shares") for i in range(4))
    record = _read(first + "Common Stock Common Stock 03/02/2021 S 500 D $10.60 8,500 D\n" + third)
    assert not flagged(record, "non_derivative_transactions[0].shares")
    assert all(flagged(record, f"non_derivative_transactions[{i}].shares") for i in (1, 2, 3))


def test_a_nature_that_holds_a_title_is_two_rows_read_as_one() -> None:
    rows = ("Common Stock 03/02/2021 S 1,000 D $10.50 9,000 I By Trust dated June Common Stock See Footnote\n"
            "Common Stock 03/03/2021 S 400 D $10.70 8,100 I By Trust\n")
    record = _read(rows)
    assert all(flagged(record, f"non_derivative_transactions[{i}].shares_owned_following") for i in (0, 1, 2))


def test_a_footnote_no_mark_cites_flags_the_marks_of_the_rows_where_it_was_cited() -> None:
    # footnotes are numbered in the order the form first cites them: (2) was between (1) and (3)
    notes = NOTES + "3. Weighted average price.\n"
    row = "Common Stock 03/0{day}/2021 S 100 D $10.50{mark} 9,000 D\n"
    clean = _read("".join(row.format(day=d, mark=m) for d, m in ((2, "(1)"), (3, "(2)"), (4, "(3)"))), notes=notes)
    assert not any(flagged(clean, f"non_derivative_transactions[{i}].footnotes.price_per_share") for i in range(3))
    record = _read("".join(row.format(day=d, mark=m) for d, m in ((2, "(1)"), (3, ""), (4, "(3)"))), notes=notes)
    assert [n["id"] for n in record["footnotes"]] == ["F1", "F2", "F3"]
    assert flagged(record, "non_derivative_transactions[1].footnotes.price_per_share")
    assert any(w["field"].startswith("non_derivative_transactions") and "F2" in w["message"]
               for w in record["warnings"])


def test_a_row_printing_fewer_marks_on_a_column_than_another_row_of_its_security_is_flagged() -> None:
    row = "Common Stock 03/0{day}/2021 S 100 D $10.50 {owned} I By Trust{marks}\n"
    clean = _read(row.format(day=2, owned="9,900", marks="(1)(2)") + row.format(day=3, owned="9,800", marks="(1)(2)"))
    assert not flagged(clean, "non_derivative_transactions[1].footnotes.nature_of_ownership")
    record = _read(row.format(day=2, owned="9,900", marks="(1)(2)") + row.format(day=3, owned="9,800", marks="(1)"))
    assert record["non_derivative_transactions"][1]["footnotes"]["nature_of_ownership"] == ["F1"]
    assert flagged(record, "non_derivative_transactions[1].footnotes.nature_of_ownership")
    assert not flagged(record, "non_derivative_transactions[0].footnotes.nature_of_ownership")


def test_a_title_that_is_the_end_of_another_row_s_title_is_flagged() -> None:
    whole, cut = "Class A Common Stock underlying Restricted Stock Units", "Stock underlying Restricted Stock Units"
    row = "{title} 03/0{day}/2021 S 400 D $10.70 {owned} D\n"
    rows = [(whole, 2, "9,600"), (whole, 3, "9,200"), (cut, 4, "8,800")]
    record = _read("".join(row.format(title=t, day=d, owned=o) for t, d, o in rows))
    assert record["non_derivative_transactions"][2]["security_title"] == cut
    assert flagged(record, "non_derivative_transactions[2].security_title")
    assert not flagged(record, "non_derivative_transactions[0].security_title")
    # a class's own title beside a longer one ("Common Stock" and "Class A Common Stock") is whole
    classes = ("Class A Common Stock 03/02/2021 S 1,000 D $10.50 9,000 D\n"
               "Common Stock 03/03/2021 S 400 D $10.70 8,600 D\n")
    assert not flagged(_read(classes), "non_derivative_transactions[1].security_title")


def test_a_title_that_is_two_titles_or_a_name_and_a_title_is_flagged() -> None:
    for title in ("Equity Incentive Plan Common Stock", "Expansion Fund I Management, L.P. Class A Common Stock"):
        record = _read(f"{title} 5,000 D\n")
        assert record["non_derivative_holdings"][0]["security_title"] == title
        assert flagged(record, "non_derivative_holdings[0].security_title"), title
    assert not flagged(_read("Class A Common Stock 5,000 D\n"), "non_derivative_holdings[0].security_title")


def test_a_nature_cut_inside_a_date_is_flagged() -> None:
    record = _read("Common Stock 5,000 I By Trust dated June\n")
    assert record["non_derivative_holdings"][0]["nature_of_ownership"] == "By Trust dated June"
    assert flagged(record, "non_derivative_holdings[0].nature_of_ownership")
    whole = _read("Common Stock 5,000 I By June Doe Family Trust\n")  # a month's name that is a name
    assert whole["non_derivative_holdings"][0]["nature_of_ownership"] == "By June Doe Family Trust"
    assert not flagged(whole, "non_derivative_holdings[0].nature_of_ownership")


def test_a_footnote_that_ends_where_it_goes_on_flags_the_signatures() -> None:
    # the block's first lines ("Signed by ... attorney-in-fact of the") went into the last footnote
    clean = _read("Common Stock 5,000 D\n")
    assert not flagged(clean, "signatures[0].name")
    record = _read("Common Stock 5,000 D\n", notes=NOTES + "3. Signed by Jane Doe, attorney-in-fact of the\n")
    assert flagged(record, "signatures[0].name")
    assert flagged(record, "footnotes[2].text")


def test_a_table_two_transaction_without_its_amount_owned_flags_its_values() -> None:
    # column 9 is filled on every row: read empty, its amount went to another column
    record = _read(table_two=OPTION.replace(" 4,000 D", " D"))
    row = record["derivative_transactions"][0]
    assert row["shares_owned_following"] is None and row["value_owned_following"] is None
    assert flagged(record, "derivative_transactions[0].shares_owned_following")
    assert flagged(record, "derivative_transactions[0].price_per_share")
    assert not flagged(_read(table_two=OPTION), "derivative_transactions[0].shares_owned_following")


def test_a_signature_block_lost_flags_the_signatures() -> None:
    # each owner signs: one owner and no signature read means the block was lost
    record = _read("Common Stock 5,000 D\n", signed="")
    assert record["signatures"] == []
    assert flagged(record, "signatures[0].name")
    assert not flagged(_read("Common Stock 5,000 D\n"), "signatures[0].name")


# Table II's headings set in narrow columns, as a PDF of a filing with many columns prints them
NARROW_HEADINGS = (
    at((27, "Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned"))
    + at((0, "1. Title"), (11, "2."), (21, "3."), (31, "4."), (41, "5."), (52, "6. Number of"),
         (91, "7. Date Exercisable"), (111, "8. Title and"), (131, "9. Price"))
    + at((0, "of"), (11, "ConversionTransaction"))
    + at((0, "Derivativeor"), (21, "Date"), (31, "Execution Code"), (52, "Securities"), (91, "Date"),
         (111, "Securities"))
    + at((0, "Security Exercise (Month/Day/Year)"))
    + at((0, "(Instr. 3) Price of"), (31, "any"), (52, "Disposed of (D)"), (111, "Derivative Security (Instr. 5)"))
    + "\n")
UNITS = at((0, "Restricted Stock Units"), (17, "(1)"), (26, "04/28/2011"), (56, "A"), (68, "1,613"), (95, "(2)"),
           (108, "(2)"), (118, "Class A Common Stock"), (141, "1,613"), (155, "$0"), (167, "1,613"), (182, "D"))


def test_heading_text_read_into_a_table_flags_the_table() -> None:
    text = LAYOUT_HEAD.format(boxes=BOXES) + TABLE_ONE + NARROW_HEADINGS + UNITS + NOTES + SIGNED
    record = form4.read(text.encode()).to_dict()
    assert "(Instr. 3)" in record["derivative_transactions"][0]["security_title"]
    assert flagged(record, "derivative_transactions")
    assert flagged(record, "derivative_transactions[0].shares")


def test_a_table_two_row_read_as_acquired_that_leaves_none_owned_is_flagged() -> None:
    granted = "Stock Option (Right to Buy) $10.00 03/02/2021 A 1,000 (1) 03/01/2031 Common Stock 1,000 $0 {owned} D\n"
    record = _read(table_two=granted.format(owned="0"))
    assert record["derivative_transactions"][0]["acquired_disposed"] == "A"
    assert flagged(record, "derivative_transactions[0].acquired_disposed")
    assert not flagged(_read(table_two=granted.format(owned="1,000")), "derivative_transactions[0].acquired_disposed")


def test_the_nature_below_a_cut_one_is_flagged_and_the_rest_are_not() -> None:
    row = "Common Stock 03/0{day}/2021 S 400 D $10.70 {owned} I {nature}\n"
    record = _read(row.format(day=2, owned="9,600", nature="By Trust of")
                   + row.format(day=3, owned="9,200", nature="Doe Family Trust")
                   + row.format(day=4, owned="8,800", nature="Doe Family Trust"))
    assert [flagged(record, f"non_derivative_transactions[{i}].nature_of_ownership") for i in range(3)] == [
        True, True, False]


def _owner_read(city_line: str, signed: str = RAW_SIGNED) -> dict[str, Any]:
    head = RAW_HEAD.replace("SPRINGFIELD IL 62701", city_line)
    text = head + RAW_TABLE_ONE + "Common Stock 5,000 D\n" + RAW_TABLE_TWO + NOTES + signed
    return form4.read(text.encode()).to_dict()


def test_a_city_printed_with_a_comma_or_a_zip_holding_a_word_is_flagged() -> None:
    assert not flagged(_owner_read("SPRINGFIELD IL 62701"), "reporting_owners[0].city")
    comma = _owner_read("NEW YORK, NY 10001")  # a separator, or the filer's own "NEW YORK,"
    assert comma["reporting_owners"][0]["city"] == "NEW YORK"
    assert flagged(comma, "reporting_owners[0].city")
    wrapped = _owner_read("MENLO CA PARK 94025")  # the city's second word printed below its state
    assert flagged(wrapped, "reporting_owners[0].city") and flagged(wrapped, "reporting_owners[0].zip")


def test_a_signature_that_is_the_end_of_another_is_flagged() -> None:
    signed = ("/s/ Jane Doe, attorney-in-fact for Doe Holdings LLC 03/04/2021\n** Signature of Reporting Person Date\n"
              "Holdings LLC 03/04/2021\n** Signature of Reporting Person Date\n")
    record = _owner_read("SPRINGFIELD IL 62701", signed)
    assert [s["name"] for s in record["signatures"]][1] == "Holdings LLC"
    assert flagged(record, "signatures[1].name")
    assert not flagged(record, "signatures[0].name")


def test_footnotes_cited_but_not_read_flag_their_places_in_the_list() -> None:
    row = "Common Stock 03/0{day}/2021 S 100 D $10.50{mark} {owned} D\n"
    rows = "".join(row.format(day=d, mark=m, owned=o) for d, m, o in ((2, "(1)", "9,900"), (3, "(2)", "9,800"),
                                                                   (4, "(3)", "9,700")))
    notes = "Explanation of Responses:\n1. Sold under a trading plan.\n2. Weighted average.\n3. Weighted average.\n"
    clean = _read(rows, notes=notes)
    assert not any(flagged(clean, f"footnotes[{k}].text") for k in range(3))
    record = _read(rows, notes="Explanation of Responses:\n1. Sold under a trading plan.\n")
    assert [n["id"] for n in record["footnotes"]] == ["F1"]
    assert not flagged(record, "footnotes[0].text")
    assert flagged(record, "footnotes[1].text") and flagged(record, "footnotes[2].id")


def test_footnotes_cited_past_a_skipped_number_and_not_read_flag_their_places_in_the_list() -> None:
    # filers skip numbers (no row here cites a 3 or 4): off a text layer a mark is as printed,
    # so (5) and (6) cite footnotes the explanation lost, not misread marks
    row = "Common Stock 03/0{day}/2021 S 100 D $10.50{mark} {owned} D\n"
    rows = "".join(row.format(day=d, mark=m, owned=o) for d, m, o in ((2, "(1)", "9,900"), (3, "(2)", "9,800"),
                                                                   (4, "(5)", "9,700"), (5, "(6)", "9,600")))
    notes = "Explanation of Responses:\n1. Sold under a trading plan.\n2. Held by a trust.\n"
    skipped = notes + "5. Weighted average.\n6. Weighted average.\n"
    clean = _read(rows, notes=skipped)
    assert not any(flagged(clean, f"footnotes[{k}].id") for k in range(4))
    record = _read(rows, notes=notes)
    assert [n["id"] for n in record["footnotes"]] == ["F1", "F2"]
    assert not flagged(record, "footnotes[1].text")
    assert flagged(record, "footnotes[2].id") and flagged(record, "footnotes[3].text")
    assert not flagged(record, "non_derivative_transactions[2].footnotes.price_per_share")


def test_an_officer_tick_without_its_title_is_flagged() -> None:
    # box 5: "Officer (give title below)": the tick and the title printed under it go together
    def read_boxes(boxes: str) -> dict[str, Any]:
        head = RAW_HEAD.replace("X Director 10% Owner\nOfficer (give title below) Other (specify below)\n", boxes)
        return form4.read((head + RAW_TABLE_ONE + "Common Stock 5,000 D\n" + RAW_TABLE_TWO + NOTES
                           + RAW_SIGNED).encode()).to_dict()

    ticked = "X Director 10% Owner\nX Officer (give title below) Other (specify below)\n"
    titled = read_boxes(ticked + "Chief Executive Officer\n")
    assert titled["reporting_owners"][0]["officer_title"] == "Chief Executive Officer"
    assert not flagged(titled, "reporting_owners[0].officer_title")
    untitled = read_boxes(ticked)
    assert untitled["reporting_owners"][0]["is_officer"] is True
    assert flagged(untitled, "reporting_owners[0].officer_title")


def test_three_street_lines_in_a_box_of_two_flag_both_street_fields() -> None:
    # which two lines went together is a guess: the first street line and the second both hang on it
    street = at((1, "1 MAIN STREET"), (50, "03/02/2021"))
    head = LAYOUT_HEAD.format(boxes=BOXES)
    rows = TABLE_ONE + ROW + TABLE_TWO + NOTES + SIGNED
    clean = form4.read((head.replace(street, at((1, "C/O ACME CAPITAL,"), (50, "03/02/2021")) + at(
        (1, "2800 SAND HILL ROAD"))) + rows).encode()).to_dict()
    assert not flagged(clean, "reporting_owners[0].street2")
    three = at((1, "C/O ACME CAPITAL,"), (50, "03/02/2021")) + at((1, "2800 SAND HILL ROAD")) + at((1, "SUITE 101"))
    record = form4.read((head.replace(street, three) + rows).encode()).to_dict()
    assert flagged(record, "reporting_owners[0].street1") and flagged(record, "reporting_owners[0].street2")


def test_an_amount_that_reads_as_a_year_is_flagged() -> None:
    # amounts over 999 print grouped: "2019" alone among the values is a title's or nature's word
    clean = _read("Common Stock 03/02/2021 S 2,019 D $10.50 9,000 D\n")
    assert not flagged(clean, "non_derivative_transactions[0].shares")
    record = _read("Common Stock 03/02/2021 S 2019 D $10.50 9,000 D\n")
    assert record["non_derivative_transactions"][0]["shares"] == 2019
    assert flagged(record, "non_derivative_transactions[0].shares")
    assert not flagged(record, "non_derivative_transactions[0].shares_owned_following")


def test_a_table_whose_rows_name_no_security_is_flagged_as_a_whole() -> None:
    # the table may print no row at all: these are words of a cell above read as one
    clean = _read("Common Stock 5,000 I By Trust\n")
    assert not flagged(clean, "non_derivative_holdings")
    record = _read("5,000 I By Trust\n")
    assert [h["security_title"] for h in record["non_derivative_holdings"]] == [None]
    assert flagged(record, "non_derivative_holdings")
    both = _read("Common Stock 5,000 I By Trust\n6,000 I By Trust\n")
    assert not flagged(both, "non_derivative_holdings[0].shares_owned_following")


def test_a_nature_word_the_footnotes_print_only_longer_is_flagged() -> None:
    # "Technolog" where the footnotes name "Acme Technology Partners": the word's end was cut
    notes = "Explanation of Responses:\n1. Held by Acme Technology Partners, L.P.\n2. Held by a trust.\n"
    clean = _read("Common Stock 5,000 I By Acme Technology Partners(1)\n", notes=notes)
    assert not flagged(clean, "non_derivative_holdings[0].nature_of_ownership")
    record = _read("Common Stock 5,000 I By Acme Technolog Partners(1)\n", notes=notes)
    assert flagged(record, "non_derivative_holdings[0].nature_of_ownership")
    plural = _read("Common Stock 5,000 I By Acme Partner Fund(1)\n", notes=notes)  # a plural's "s" is no cut
    assert not flagged(plural, "non_derivative_holdings[0].nature_of_ownership")
