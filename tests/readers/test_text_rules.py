"""Rules of the printed form that text pulled off a PDF must be read by, whatever the filing:
each test writes a small form as ``pdftotext -layout`` (columns kept by spaces) or ``-raw``
(words in reading order) would give it, and reads it through form4.read."""

from __future__ import annotations

import form4
from form4.model import Filing


def at(*cells: tuple[int, str]) -> str:
    """One line of laid-out text: each cell's text starting at its column."""
    line = ""
    for x, text in cells:
        line = line.ljust(x) + text if len(line) < x else f"{line}  {text}"
    return line + "\n"


LAYOUT_HEAD = (
    "SEC Form 4\n"
    + at((2, "FORM 4"), (60, "UNITED STATES SECURITIES AND EXCHANGE COMMISSION"))
    + at((40, "STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP"))
    + "\n"
    + at((0, "1. Name and Address of Reporting Person*"), (50, "2. Issuer Name and Ticker or Trading Symbol"),
         (110, "5. Relationship of Reporting Person(s) to Issuer"))
    + at((1, "Doe Jane"), (50, "Acme Widgets Inc [ ACME ]"), (110, "(Check all applicable)"))
    + "{boxes}"
    + at((1, "(Last)"), (20, "(First)"), (35, "(Middle)"), (50, "3. Date of Earliest Transaction (Month/Day/Year)"))
    + at((1, "1 MAIN STREET"), (50, "03/02/2021"))
    + at((0, "(Street)"))
    + at((1, "SPRINGFIELD"), (20, "IL"), (35, "62701"))
    + at((1, "(City)"), (20, "(State)"), (35, "(Zip)"))
    + "\n"
)
BOXES = (at((118, "Director"), (140, "10% Owner"))
         + "\n"
         + at((118, "Officer (give title below)"), (150, "Other (specify below)"))
         + "\n")
TABLE_ONE = (
    at((40, "Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned"))
    + at((0, "1. Title of Security"), (22, "2. Transaction"), (38, "3. Deemed"), (54, "4. Transaction"),
         (70, "5. Securities Acquired (A) or"), (106, "6. Amount of"), (124, "7. Ownership"),
         (140, "8. Nature of Indirect"))
    + at((0, "(Instr. 3)"), (22, "Date"), (38, "Execution Date"), (54, "Code (Instr. 8)"),
         (70, "Disposed Of (D)"), (106, "Securities Owned"), (124, "Form"), (140, "Beneficial Ownership"))
    + at((54, "Code"), (62, "V"), (70, "Amount"), (82, "(A) or (D)"), (94, "Price"))
    + "\n"
)
TABLE_TWO = (
    at((40, "Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned"))
    + at((40, "(e.g., puts, calls, warrants, options, convertible securities)"))
    + at((0, "1. Title of Derivative Security"), (40, "2. Conversion or Exercise Price"),
         (80, "3. Transaction Date"))
    + "\n"
)
NOTES = "Explanation of Responses:\n1. Sold under a trading plan.\n2. Held by a trust.\n"
SIGNED = at((90, "/s/ Jane Doe"), (120, "03/04/2021")) + at((90, "** Signature of Reporting Person"), (120, "Date"))


def layout(rows: str, boxes: str = BOXES) -> Filing:
    return form4.read((LAYOUT_HEAD.format(boxes=boxes) + TABLE_ONE + rows + TABLE_TWO + NOTES + SIGNED).encode())


RAW_HEAD = """SEC Form 4
FORM 4 UNITED STATES SECURITIES AND EXCHANGE COMMISSION
STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP
1. Name and Address of Reporting Person*
Doe Jane
2. Issuer Name and Ticker or Trading Symbol
Acme Widgets Inc [ ACME ]
(Last) (First) (Middle)
1 MAIN STREET
3. Date of Earliest Transaction (Month/Day/Year)
03/02/2021
(Street)
SPRINGFIELD IL 62701
(City) (State) (Zip)
5. Relationship of Reporting Person(s) to Issuer
(Check all applicable)
X Director 10% Owner
Officer (give title below) Other (specify below)
"""
RAW_TABLE_ONE = """Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned
1. Title of Security (Instr. 3) 2. Transaction Date (Month/Day/Year) 3. Deemed Execution Date, if any
4. Transaction Code (Instr. 8) 5. Securities Acquired (A) or Disposed Of (D) (Instr. 3, 4 and 5)
6. Amount of Securities Beneficially Owned Following Reported Transaction(s) (Instr. 3 and 4)
7. Ownership Form: Direct (D) or Indirect (I) (Instr. 4) 8. Nature of Indirect Beneficial Ownership (Instr. 4)
Code V Amount (A) or (D) Price
"""
RAW_TABLE_TWO = """Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned
(e.g., puts, calls, warrants, options, convertible securities)
1. Title of Derivative Security (Instr. 3) 2. Conversion or Exercise Price of Derivative Security
"""
RAW_SIGNED = "/s/ Jane Doe 03/04/2021\n** Signature of Reporting Person Date\n"


def raw(rows: str, notes: str = NOTES, signed: str = RAW_SIGNED) -> Filing:
    return form4.read((RAW_HEAD + RAW_TABLE_ONE + rows + RAW_TABLE_TWO + notes + signed).encode())


def sales(filing: Filing) -> list[tuple[object, ...]]:
    return [(r.security_title, r.transaction_date and r.transaction_date.isoformat(), r.transaction_code, r.shares,
             r.price_per_share, r.shares_owned_following, r.direct_or_indirect)
            for r in filing.non_derivative_transactions]


# --- rows of -layout text --------------------------------------------------------------------

def test_a_row_laid_out_narrower_than_its_headings_keeps_its_values() -> None:
    # pdftotext sets some lines out on their own, three spaces between cells, whatever the headings'
    # columns: the date stands where the title's column is, yet it is the row's date
    wide = at((0, "Common Stock"), (24, "03/02/2021"), (56, "S"), (72, "1,000"), (84, "D"), (94, "$10.50"),
              (108, "9,000"), (126, "D"))
    narrow = "Common Stock   03/02/2021   S   500   D   $11.00   8,500   D\n"
    filing = layout(wide + narrow)
    assert sales(filing) == [("Common Stock", "2021-03-02", "S", 1000, 10.5, 9000, "D"),
                             ("Common Stock", "2021-03-02", "S", 500, 11.0, 8500, "D")]


def test_a_holding_laid_out_narrower_keeps_its_amount() -> None:
    rows = "Common Stock   1,814,282   D\nCommon Stock   1,776,558   I   By Trust\n"
    filing = layout(rows)
    got = [(h.security_title, h.shares_owned_following, h.direct_or_indirect, h.nature_of_ownership)
           for h in filing.non_derivative_holdings]
    assert got == [("Common Stock", 1814282, "D", None), ("Common Stock", 1776558, "I", "By Trust")]


def test_a_title_s_own_number_where_its_lines_start_stays_in_the_title() -> None:
    values = ((24, "03/02/2021"), (56, "P"), (72, "1,000"), (84, "A"), (94, "$99.00"), (108, "1,000"), (126, "D"))
    on_its_row = at((0, "6% Notes due")) + at((0, "2025"), *values)
    below_it = at((0, "6% Notes due"), *values) + at((0, "2025"))
    for rows in (on_its_row, below_it):
        assert [r.security_title for r in layout(rows).non_derivative_transactions] == ["6% Notes due 2025"]


def test_rows_part_where_each_ends_in_its_ownership_mark_though_natures_hold_numbers() -> None:
    # no blank line between rows; each nature wraps over lines, one with a year in it
    def row(amount: str, owned: str) -> str:
        return (at((0, "Class A"), (140, "By Sequoia Capital"))
                + at((0, "Common"), (24, "11/11/2019"), (56, "C"), (72, amount), (84, "A"), (94, "$0"),
                     (108, owned), (126, "I"), (140, "Venture 2010 Fund,"))
                + at((0, "Stock"), (140, "L.P.(2)")))
    filing = layout(row("4,678", "42,102") + row("117,854", "117,854"))
    got = [(r.security_title, r.shares, r.shares_owned_following, r.nature_of_ownership, r.footnotes)
           for r in filing.non_derivative_transactions]
    nature = "By Sequoia Capital Venture 2010 Fund, L.P."
    assert got == [("Class A Common Stock", 4678, 42102, nature, {"nature_of_ownership": ["F2"]}),
                   ("Class A Common Stock", 117854, 117854, nature, {"nature_of_ownership": ["F2"]})]


def test_a_mark_padded_apart_on_its_price_s_line_is_the_price_s() -> None:
    # a raised mark leaves a gap the extraction fills with spaces; the row's other cells wrap below
    rows = (at((0, "Common Stock"), (24, "03/02/2021"), (56, "S"))
            + at((72, "1,900"))
            + at((84, "D"), (94, "$888.313"), (111, "(1)"))
            + at((116, "9,000"), (126, "D")))
    (row,) = layout(rows).non_derivative_transactions
    assert (row.shares, row.price_per_share, row.shares_owned_following) == (1900, 888.313, 9000)
    assert row.footnotes == {"price_per_share": ["F1"]}


def test_an_amount_printed_straight_after_a_mark_is_the_next_cell_s() -> None:
    rows = "Common Stock   03/02/2021   S   1,000   D   $1,027.483(1)170,169,245   I   by Trust(2)\n"
    (row,) = layout(rows).non_derivative_transactions
    assert (row.price_per_share, row.shares_owned_following, row.nature_of_ownership) == (
        1027.483, 170169245, "by Trust")
    assert row.footnotes == {"price_per_share": ["F1"], "nature_of_ownership": ["F2"]}


# --- relationship boxes of -layout text ------------------------------------------------------

ROW = at((0, "Common Stock"), (24, "03/02/2021"), (56, "S"), (72, "1,000"), (84, "D"), (94, "$10.50"),
         (108, "9,000"), (126, "D"))


def roles(filing: Filing) -> tuple[object, ...]:
    owner = filing.reporting_owners[0]
    return owner.is_director, owner.is_officer, owner.is_ten_percent_owner, owner.is_other


def test_ticks_set_a_line_below_their_labels_check_those_labels() -> None:
    # each tick centred in a cell taller than its label falls a line lower: between the Director
    # row and the Officer row, yet it is the Director's (the Officer's tick is a line below its own)
    boxes = (at((118, "Director"), (148, "10% Owner"))
             + at((114, "X"), (144, "X"))
             + at((118, "Officer (give title below)"), (148, "Other (specify below)"))
             + at((114, "X"))
             + at((118, "CEO")))
    assert roles(layout(ROW, boxes)) == (True, True, True, False)


def test_a_tick_checks_the_label_just_right_of_it() -> None:
    # "Officer (give title / below)" wraps; its tick sits on the line of "Other", far to the right
    boxes = (at((114, "X"), (118, "Director"), (140, "10% Owner"))
             + "\n"
             + at((118, "Officer (give title"))
             + at((114, "X"), (150, "Other (specify below)"))
             + at((118, "below)"))
             + at((118, "CEO")))
    assert roles(layout(ROW, boxes)) == (True, True, False, False)


# --- words in reading order (-raw) -----------------------------------------------------------

def test_a_nature_s_line_with_a_year_in_it_stays_the_nature_s() -> None:
    rows = ("Class A Common\nStock\n12/20/2019 C 1,072,357 A $0 1,072,357 I\nBy Sequoia\nCapital U.S.\n"
            "Venture 2010\nFund, L.P.(2)\n"
            "Class A Common\nStock\n12/20/2019 C 117,854 A $0 117,854 I\nBy Sequoia\nCapital U.S.\n"
            "Growth Fund VII,\nL.P.(2)\n")
    got = [(r.security_title, r.shares, r.nature_of_ownership) for r in raw(rows).non_derivative_transactions]
    assert got == [("Class A Common Stock", 1072357, "By Sequoia Capital U.S. Venture 2010 Fund, L.P."),
                   ("Class A Common Stock", 117854, "By Sequoia Capital U.S. Growth Fund VII, L.P.")]


def test_a_line_broken_before_a_full_stop_gives_it_back() -> None:
    rows = "Common Stock 1,000 I Sequoia Capital Fund, L.P\n.(2)\n"
    notes = ("Explanation of Responses:\n1. Sold under a trading plan.\n"
             "2. Held by Sequoia Capital Fund, L.P\n., which is the general partner.\n")
    filing = raw(rows, notes)
    (holding,) = filing.non_derivative_holdings
    assert (holding.nature_of_ownership, holding.footnotes) == (
        "Sequoia Capital Fund, L.P.", {"nature_of_ownership": ["F2"]})
    assert filing.footnotes[1].text == "Held by Sequoia Capital Fund, L.P., which is the general partner."


def test_a_nature_broken_after_a_hyphen_goes_on_without_a_space() -> None:
    rows = "Common Stock 1,000 I By Venture 2010-\nSeed Fund, L.P.\n"
    (holding,) = raw(rows).non_derivative_holdings
    assert holding.nature_of_ownership == "By Venture 2010-Seed Fund, L.P."


def test_an_agent_s_signature_that_wraps_is_read_whole() -> None:
    signed = ("By: Aaron Beckman by\nPower of Attorney For:\nJane Doe\n03/04/2021\n"
              "** Signature of Reporting Person Date\n")
    filing = raw("Common Stock 03/02/2021 S 1,000 D $10.50 9,000 D\n", signed=signed)
    (signature,) = filing.signatures
    assert signature.name == "By: Aaron Beckman by Power of Attorney For: Jane Doe"
    assert signature.date is not None and signature.date.isoformat() == "2021-03-04"


def test_a_nature_on_its_row_s_line_with_a_year_in_it_ends_the_row() -> None:
    rows = ("Class A Common\nStock\n11/11/2019 C 1,072,357 A $0 1,072,357 I By Sequoia Venture 2010 Fund, L.P.(2)\n"
            "Class A Common\nStock\n11/11/2019 C 117,854 A $0 117,854 I By Sequoia Growth Fund VII, L.P.(2)\n")
    got = [(r.shares, r.shares_owned_following, r.nature_of_ownership) for r in raw(rows).non_derivative_transactions]
    assert got == [(1072357, 1072357, "By Sequoia Venture 2010 Fund, L.P."),
                   (117854, 117854, "By Sequoia Growth Fund VII, L.P.")]


def test_a_city_that_wraps_around_its_state_and_zip_is_read_from_its_column() -> None:
    one_line = at((1, "SPRINGFIELD"), (20, "IL"), (35, "62701"))
    wrapped = at((1, "MENLO")) + at((20, "CA"), (35, "94025")) + at((1, "PARK"))
    text = (LAYOUT_HEAD.format(boxes=BOXES).replace(one_line, wrapped) + TABLE_ONE + ROW + TABLE_TWO + NOTES
            + SIGNED)
    owner = form4.read(text.encode()).reporting_owners[0]
    assert (owner.city, owner.state, owner.zip) == ("MENLO PARK", "CA", "94025")


def test_rows_whose_cells_hang_from_the_top_keep_their_wrapped_lines() -> None:
    # every cell starts on its row's first line: "Common" / "Stock" below the values, none above
    def row(amount: str, owned: str) -> str:
        return (at((0, "Class A"), (24, "03/02/2021"), (56, "S"), (72, amount), (84, "D"), (94, "$10.50"),
                   (108, owned), (126, "I"), (140, "By Venture"))
                + at((0, "Common"), (140, "Fund XV,"))
                + at((0, "Stock"), (140, "L.P.")))
    got = [(r.security_title, r.shares, r.nature_of_ownership)
           for r in layout(row("1,000", "9,000") + row("500", "8,500")).non_derivative_transactions]
    assert got == [("Class A Common Stock", 1000, "By Venture Fund XV, L.P."),
                   ("Class A Common Stock", 500, "By Venture Fund XV, L.P.")]


def test_a_nature_whose_sentence_broke_after_a_comma_goes_on_below() -> None:
    rows = ("Common Stock 11/08/2021 S 6,400 D $1,141.05 2,144,172 I By the spouse as trustee of\n"
            "the Family Trust dated June 1,\n2009\n"
            "Common Stock 11/08/2021 S 400 D $1,142.05 2,143,772 D\n")
    got = [(r.shares, r.price_per_share, r.nature_of_ownership) for r in raw(rows).non_derivative_transactions]
    assert got == [(6400, 1141.05, "By the spouse as trustee of the Family Trust dated June 1, 2009"),
                   (400, 1142.05, None)]


def test_a_title_s_line_with_a_year_among_its_words_stays_the_title_s() -> None:
    # after an indirect row, the next row's title lines are not its nature, whatever numbers they hold
    rows = ("Common Stock 03/02/2021 S 1,000 D $10.50 9,000 I By limited partnership of\nthe fund(2)\n"
            "Class A Common Stock underlying Restricted Stock Units granted under the\n2019 Equity Incentive\n"
            "Plan\n03/02/2021 A 500 A $0 500 D\n")
    got = [(r.security_title, r.shares, r.nature_of_ownership) for r in raw(rows).non_derivative_transactions]
    assert got == [("Common Stock", 1000, "By limited partnership of the fund"),
                   ("Class A Common Stock underlying Restricted Stock Units granted under the 2019 Equity "
                    "Incentive Plan", 500, None)]


def test_marks_raised_onto_a_line_of_their_own_belong_to_the_values_below_them() -> None:
    # each mark stands where its value ends: "(1)" over "S", "(2)" over "1,000", "(3)" over "$10.50"
    def row(code: str, amount: str, price: str) -> str:
        return at((0, "Common Stock"), (24, "03/02/2021"), (56, code), (72, amount), (84, "D"), (94, price),
                  (108, "9,000"), (126, "D"))
    rows = (row("S(1)", "2,000(2)", "$10.00(3)") + at((57, "(1)"), (77, "(2)"))
            + row("S", "1,000", "$10.50(4)") + at((57, "(1)"), (77, "(2)"), (100, "(3)"))
            + row("S", "500", "$10.50"))
    got = [r.footnotes for r in layout(rows).non_derivative_transactions]
    marks = {"transaction_code": ["F1"], "shares": ["F2"]}
    assert got == [marks | {"price_per_share": ["F3"]}, marks | {"price_per_share": ["F4"]},
                   marks | {"price_per_share": ["F3"]}]


def test_a_centred_title_after_a_whole_one_opens_the_next_row() -> None:
    # one line below the first row, as many above and below the second's key line: centred cells,
    # and "Common Stock" is whole, so "Common Stock, par value $0.01 per" opens the next title
    rows = (at((0, "Common Stock"), (24, "03/02/2021"), (56, "S"), (72, "1,000"), (84, "D"), (94, "$10.50"),
               (108, "9,000"), (126, "D"))
            + at((0, "Common Stock, par value $0.01 per"), (140, "By"))
            + at((24, "03/02/2021"), (56, "M"), (72, "500"), (84, "A"), (94, "$5.00"), (108, "9,500"), (126, "I"))
            + at((0, "share"), (140, "Trust(2)")))
    got = [(r.security_title, r.nature_of_ownership) for r in layout(rows).non_derivative_transactions]
    assert got == [("Common Stock", None), ("Common Stock, par value $0.01 per share", "By Trust")]


def test_a_zip_printed_in_the_state_column_has_no_blanks() -> None:
    one_line = at((1, "SPRINGFIELD"), (20, "IL"), (35, "62701"))
    wrapped = at((1, "MENLO")) + at((20, "CA 94025")) + at((1, "PARK"))
    text = (LAYOUT_HEAD.format(boxes=BOXES).replace(one_line, wrapped) + TABLE_ONE + ROW + TABLE_TWO + NOTES
            + SIGNED)
    owner = form4.read(text.encode()).reporting_owners[0]
    assert (owner.city, owner.state, owner.zip) == ("MENLO PARK", "CA", "94025")


def test_centred_cells_interleave_by_height_and_a_nature_s_mark_ends_its_row() -> None:
    # a three-line title and a two-line nature centred on each row: the extraction sets the
    # nature's first line between the title's first two, and the nature's mark alone after the D/I
    def row(owned: str, mark: str) -> str:
        return (at((0, "Class A"))
                + at((140, "By Venture Fund IV,"))
                + at((0, "Common"), (108, owned), (126, "I"), (140, mark))
                + at((0, "Stock")))
    last = (at((0, "Class A"), (140, "By the spouse as"))
            + at((0, "Common"), (108, "29,764"), (126, "I"), (140, "trustee of the"))
            + at((0, "Stock"), (140, "Family Trust")))
    rows = row("1,862", "(2)") + row("77", "(1)") + last
    got = [(h.security_title, h.shares_owned_following, h.nature_of_ownership, h.footnotes)
           for h in layout(rows).non_derivative_holdings]
    nature = "By Venture Fund IV,"
    assert got == [("Class A Common Stock", 1862, nature, {"nature_of_ownership": ["F2"]}),
                   ("Class A Common Stock", 77, nature, {"nature_of_ownership": ["F1"]}),
                   ("Class A Common Stock", 29764, "By the spouse as trustee of the Family Trust", {})]


def test_a_nature_s_line_holding_a_date_in_words_goes_on_below() -> None:
    # "June 1, 2009(2)" on a line of its own: a month's name, its day and year are the nature's words
    rows = ("Common Stock 08/06/2017 S 1,914 D $1,090.29(1)\n167,529,606 I\n"
            "By the spouse as trustee of the Family Trust dated\nJune 1, 2009(2)\n"
            "Common Stock 08/06/2017 S 1,500 D $1,091.67\n167,528,106 I by Trust(2)\n")
    got = [(r.security_title, r.shares, r.shares_owned_following, r.nature_of_ownership, r.footnotes)
           for r in raw(rows).non_derivative_transactions]
    assert got == [("Common Stock", 1914, 167529606, "By the spouse as trustee of the Family Trust dated June 1, 2009",
                    {"price_per_share": ["F1"], "nature_of_ownership": ["F2"]}),
                   ("Common Stock", 1500, 167528106, "by Trust", {"nature_of_ownership": ["F2"]})]


def test_the_last_joint_filer_s_boxes_end_where_the_signatures_begin() -> None:
    # no box of the second filer is ticked Officer: the agent's signature below its boxes is no title
    joint = ("1. Name and Address of Reporting Person*\nDoe Holdings LLC\n(Last) (First) (Middle)\n"
             "1 MAIN STREET\n(Street)\nSPRINGFIELD IL 62701\n(City) (State) (Zip)\n"
             "5. Relationship of Reporting Person(s) to Issuer\n(Check all applicable)\nDirector\nX 10% Owner\n"
             "Officer (give title below) Other (specify below)\n")
    signed = ("By: John Roe by Power of\nAttorney For: Jane Doe\n03/04/2021\n** Signature of Reporting Person Date\n"
              "Doe Holdings LLC 03/04/2021\n** Signature of Reporting Person Date\n")
    rows = "Common Stock 03/02/2021 S 1,000 D $10.50 9,000 D\n"
    owners = raw(rows, NOTES + joint, signed).reporting_owners
    got = [(o.name, o.is_ten_percent_owner, o.is_officer, o.officer_title) for o in owners]
    assert got == [("Doe Jane", False, False, None), ("Doe Holdings LLC", True, False, None)]


def test_a_disposed_of_d_at_a_line_s_end_is_not_the_row_s_ownership_form() -> None:
    # the price cell blank but for its mark: "2,248,637 D (1)" ends a line, the amount owned and D/I below
    rows = ("Class A\nCommon Stock\n04/17/2021 J(1)\n2,248,637 D (1)\n0 I\nBy Venture\nFund, L.P.(2)\n"
            "Class A\nCommon Stock\n04/17/2021 J(1)\n514,385 A (1)\n514,385 D\n")
    got = [(r.security_title, r.shares, r.acquired_disposed, r.shares_owned_following, r.direct_or_indirect,
            r.nature_of_ownership) for r in raw(rows).non_derivative_transactions]
    assert got == [("Class A Common Stock", 2248637, "D", 0, "I", "By Venture Fund, L.P."),
                   ("Class A Common Stock", 514385, "A", 514385, "D", None)]


def joint_filer(name: str) -> str:
    return ("1. Name and Address of Reporting Person*\n" + name + "(Last) (First) (Middle)\n"
            "1 MAIN STREET\n(Street)\nSPRINGFIELD IL 62701\n(City) (State) (Zip)\n"
            "5. Relationship of Reporting Person(s) to Issuer\n(Check all applicable)\nDirector\nX 10% Owner\n"
            "Officer (give title below) Other (specify below)\n")


def test_a_joint_filer_s_name_in_capitals_after_its_first_word_is_read_whole() -> None:
    # no issuer's name is printed beside a joint filer's box: "II UGP LLC" is the name's own
    rows = "Common Stock 03/02/2021 S 1,000 D $10.50 9,000 D\n"
    filing = raw(rows, NOTES + joint_filer("Venture II UGP LLC\n"))
    assert [o.name for o in filing.reporting_owners] == ["Doe Jane", "Venture II UGP LLC"]


def test_a_name_broken_after_its_comma_goes_on_below() -> None:
    rows = "Common Stock 03/02/2021 S 1,000 D $10.50 9,000 D\n"
    filing = raw(rows, NOTES + joint_filer("Doe Holdings GP\n, LLC\n"))
    assert [o.name for o in filing.reporting_owners] == ["Doe Jane", "Doe Holdings GP, LLC"]


def test_two_security_names_read_on_together_are_the_title_and_its_underlying_s() -> None:
    # the date cells between them blank: the derivative's title and the underlying's run on in word order
    rows = ("Class B Common Stock Class A Common Stock 2,144,713 2,144,713 I By Venture Fund, L.P.\n"
            "Stock Option (Right to buy) $10.00 Common Stock 500 500 D\n")
    text = RAW_HEAD + RAW_TABLE_ONE + RAW_TABLE_TWO + rows + NOTES + RAW_SIGNED
    got = [(h.security_title, h.underlying_security_title, h.underlying_shares, h.shares_owned_following)
           for h in form4.read(text.encode()).derivative_holdings]
    assert got == [("Class B Common Stock", "Class A Common Stock", 2144713, 2144713),
                   ("Stock Option (Right to buy)", "Common Stock", 500, 500)]


def test_a_nature_on_a_narrower_line_within_the_title_s_column_is_the_nature() -> None:
    # a line laid out on its own, three spaces between cells: "By Trust" after the D/I, however far left
    rows = "Units   1,000   I   By Trust\nUnits   2,000   D\n"
    got = [(h.security_title, h.shares_owned_following, h.direct_or_indirect, h.nature_of_ownership)
           for h in layout(rows).non_derivative_holdings]
    assert got == [("Units", 1000, "I", "By Trust"), ("Units", 2000, "D", None)]


TABLE_TWO_FULL = (
    at((40, "Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned"))
    + at((40, "(e.g., puts, calls, warrants, options, convertible securities)"))
    + at((0, "1. Title of"), (14, "2. Conversion"), (30, "3. Transaction"), (46, "4. Deemed"), (60, "5. Transaction"),
         (76, "6. Number of"), (100, "7. Date Exercisable"), (124, "8. Title and Amount"), (150, "9. Price of"),
         (164, "10. Number of"), (182, "11. Ownership"), (198, "12. Nature of"))
    + at((0, "Derivative"), (14, "or Exercise"), (30, "Date"), (46, "Execution"), (60, "Code (Instr. 8)"),
         (76, "Derivative"), (100, "and Expiration"), (124, "Underlying"), (150, "Derivative"), (164, "Securities"),
         (182, "Form: Direct"), (198, "Indirect"))
    + at((100, "Date"), (112, "Expiration"), (136, "Amount or"))
    + at((60, "Code"), (68, "V"), (76, "(A)"), (86, "(D)"), (100, "Exercisable"), (112, "Date"), (124, "Title"),
         (136, "Number of Shares"))
    + "\n"
)


def test_a_table_two_row_set_narrower_than_its_headings_is_read_by_its_values_order() -> None:
    # the first row under its headings; the second laid out narrower, its nature under the underlying's heading
    wide = at((0, "Series A"), (16, "(1)"), (30, "09/22/2020"), (60, "C"), (86, "2,027,400"), (100, "(1)"),
              (112, "(1)"), (124, "Common Stock"), (136, "2,027,400"), (150, "$0"), (166, "0"), (184, "I"),
              (198, "By Fund, L.P.(2)"))
    narrow = at((0, "Series B"), (14, "(1)"), (20, "09/22/2020"), (34, "C"), (40, "58,183"), (50, "(1)"),
                (56, "(1)"), (62, "Common Stock"), (78, "58,183"), (88, "$0"), (94, "0"), (100, "I"),
                (124, "By Fund, L.P.(2)"))
    text = LAYOUT_HEAD.format(boxes=BOXES) + TABLE_ONE + ROW + TABLE_TWO_FULL + wide + "\n" + narrow + NOTES + SIGNED
    got = [(r.security_title, r.shares, r.acquired_disposed, r.underlying_security_title, r.underlying_shares,
            r.price_per_share, r.shares_owned_following, r.nature_of_ownership)
           for r in form4.read(text.encode()).derivative_transactions]
    assert got == [("Series A", 2027400, "D", "Common Stock", 2027400, 0, 0, "By Fund, L.P."),
                   ("Series B", 58183, "D", "Common Stock", 58183, 0, 0, "By Fund, L.P.")]


def test_a_box_ends_at_the_next_box_s_label_set_a_few_lines_lower() -> None:
    # the boxes' labels share one height; the extraction put blank lines between them
    labels = at((0, "1. Name and Address of Reporting Person*"), (50, "2. Issuer Name and Ticker or Trading Symbol"),
                (110, "5. Relationship of Reporting Person(s) to Issuer"))
    apart = (at((0, "1. Name and Address of Reporting Person*")) + "\n"
             + at((50, "2. Issuer Name and Ticker or Trading Symbol"),
                  (110, "5. Relationship of Reporting Person(s) to Issuer")))
    head = LAYOUT_HEAD.format(boxes=BOXES).replace(labels, apart)
    filing = form4.read((head + TABLE_ONE + ROW + TABLE_TWO + NOTES + SIGNED).encode())
    assert (filing.reporting_owners[0].name, filing.issuer.name) == ("Doe Jane", "Acme Widgets Inc")


def test_a_street_line_that_wrapped_at_its_box_s_width_goes_on_below() -> None:
    # three lines in a box of two streets: the longest is the one that was full and wrapped
    street = at((1, "1 MAIN STREET"), (50, "03/02/2021"))
    wrapped = at((1, "C/O ACME CAPITAL, 2800 SAND HILL"), (50, "03/02/2021")) + at((1, "ROAD")) + at((1, "SUITE 101"))
    head = LAYOUT_HEAD.format(boxes=BOXES).replace(street, wrapped)
    owner = form4.read((head + TABLE_ONE + ROW + TABLE_TWO + NOTES + SIGNED).encode()).reporting_owners[0]
    assert (owner.street1, owner.street2) == ("C/O ACME CAPITAL, 2800 SAND HILL ROAD", "SUITE 101")


def test_a_nature_wrapped_beside_a_narrower_row_s_title_is_the_nature() -> None:
    # a row set narrower than its headings: the nature's lines stand in the title's column, right of the D/I
    rows = (at((0, "Common"), (19, "Venture")) + at((6, "480,696"), (15, "I")) + at((0, "Stock"), (19, "Fund XII,"))
            + at((19, "L.P.(2)")))
    got = [(h.security_title, h.shares_owned_following, h.nature_of_ownership, h.footnotes)
           for h in layout(rows).non_derivative_holdings]
    assert got == [("Common Stock", 480696, "Venture Fund XII, L.P.", {"nature_of_ownership": ["F2"]})]


def test_a_bracketed_number_a_space_after_a_title_s_word_is_the_title_s_own() -> None:
    # a footnote mark is printed against its word ("Stock(1)"); "Stock (2)" is how the filer named it
    def row(title: str) -> str:
        return at((0, title), (24, "03/02/2021"), (56, "S"), (72, "1,000"), (84, "D"), (94, "$10.50"),
                  (108, "9,000"), (126, "D"))
    rows = row("Class B Stock (2)") + "\n" + row("Class B Stock(1)")
    got = [(r.security_title, r.footnotes) for r in layout(rows).non_derivative_transactions]
    assert got == [("Class B Stock (2)", {}), ("Class B Stock", {"security_title": ["F1"]})]


def test_a_title_s_class_letter_d_is_not_an_ownership_form() -> None:
    # "Series D Preferred Stock (1) (1)": the D names the series; the row runs on to its own D/I
    rows = ("Series C Preferred Stock (1) (1)\nCommon Stock 10,572,687 (1)\nI By Trust\n"
            "Series D Preferred Stock (1) (1)\nCommon Stock 4,097,877 (1)\nI By Trust\n")
    text = RAW_HEAD + RAW_TABLE_ONE + RAW_TABLE_TWO + rows + NOTES + RAW_SIGNED
    got = [(h.security_title, h.underlying_shares, h.direct_or_indirect, h.nature_of_ownership)
           for h in form4.read(text.encode()).derivative_holdings]
    assert got == [("Series C Preferred Stock", 10572687, "I", "By Trust"),
                   ("Series D Preferred Stock", 4097877, "I", "By Trust")]


def test_a_decimal_wrapped_to_a_note_s_line_start_opens_no_note() -> None:
    notes = ("Explanation of Responses:\n1. Sold under a trading plan.\n"
             "2. Each share was converted into approximately\n2.1708 shares of Class A common stock.\n"
             "3. Held by a trust.\n")
    filing = raw("Common Stock 03/02/2021 S 1,000 D $10.50 9,000 D\n", notes)
    assert [(n.id, n.text) for n in filing.footnotes] == [
        ("F1", "Sold under a trading plan."),
        ("F2", "Each share was converted into approximately 2.1708 shares of Class A common stock."),
        ("F3", "Held by a trust.")]


def test_headings_printed_again_where_a_page_breaks_a_table_are_no_row_s_words() -> None:
    def row(title: str, amount: str) -> str:
        return at((0, title), (16, "(1)"), (30, "09/22/2020"), (60, "C"), (86, amount), (100, "(1)"), (112, "(1)"),
                  (124, "Common Stock"), (138, amount), (150, "$0"), (166, "0"), (184, "I"), (198, "By Trust"))
    rows = row("Series A", "2,027,400") + TABLE_TWO_FULL + row("Series B", "58,183")
    text = LAYOUT_HEAD.format(boxes=BOXES) + TABLE_ONE + ROW + TABLE_TWO_FULL + rows + NOTES + SIGNED
    got = [(r.security_title, r.shares, r.nature_of_ownership)
           for r in form4.read(text.encode()).derivative_transactions]
    assert got == [("Series A", 2027400, "By Trust"), ("Series B", 58183, "By Trust")]


def test_a_table_two_holding_set_narrower_keeps_its_blank_cells_marks() -> None:
    # the marks of the blank price and date cells stand far left of their headings
    narrow = at((0, "Class B Stock"), (19, "(2)"), (25, "(2)"), (31, "(2)"), (37, "Common Stock"), (52, "5,000"),
                (60, "5,000"), (68, "D"))
    text = LAYOUT_HEAD.format(boxes=BOXES) + TABLE_ONE + ROW + TABLE_TWO_FULL + narrow + NOTES + SIGNED
    got = [(h.security_title, h.conversion_or_exercise_price, h.exercise_date, h.expiration_date,
            h.underlying_security_title, h.underlying_shares, h.shares_owned_following, h.direct_or_indirect,
            h.footnotes) for h in form4.read(text.encode()).derivative_holdings]
    marks = {"conversion_or_exercise_price": ["F2"], "exercise_date": ["F2"], "expiration_date": ["F2"]}
    assert got == [("Class B Stock", None, None, None, "Common Stock", 5000, 5000, "D", marks)]


def test_a_par_value_at_a_title_line_s_end_stays_in_the_title() -> None:
    rows = ("Class A Common Stock, par value $0.0001\nper share\n803,737(1) I See footnote(2)\n"
            "Class A Common Stock, par value $0.0001\nper share\n517,576 D\n")
    got = [(h.security_title, h.shares_owned_following, h.direct_or_indirect, h.nature_of_ownership)
           for h in raw(rows).non_derivative_holdings]
    title = "Class A Common Stock, par value $0.0001 per share"
    assert got == [(title, 803737, "I", "See footnote"), (title, 517576, "D", None)]


def test_the_name_box_s_label_wrapped_before_person_is_no_name() -> None:
    rows = "Common Stock 03/02/2021 S 1,000 D $10.50 9,000 D\n"
    for wrapped in ("1. Name and Address of Reporting\nPerson*\n", "1. Name and Address of\nReporting Person*\n"):
        head = RAW_HEAD.replace("1. Name and Address of Reporting Person*\n", wrapped)
        filing = form4.read((head + RAW_TABLE_ONE + rows + RAW_TABLE_TWO + NOTES + RAW_SIGNED).encode())
        owner = filing.reporting_owners[0]
        assert (owner.name, owner.street1, owner.city) == ("Doe Jane", "1 MAIN STREET", "SPRINGFIELD")


def test_a_row_s_lines_set_apart_by_blank_lines_stay_with_their_row() -> None:
    # cells hang from the key line; the extraction put blank lines between a row's lines
    def row(amount: str) -> str:
        return (at((0, "Class B"), (30, "05/27/2021"), (60, "C"), (86, amount), (100, "(1)"), (112, "(1)"),
                   (124, "Class A"), (138, amount), (150, "$0"), (166, "0"), (184, "I"), (198, "By Venture"))
                + "\n" + at((0, "Common"), (124, "Common"), (198, "Fund, L.P."))
                + at((0, "Stock"), (124, "Stock")) + "\n\n")
    text = (LAYOUT_HEAD.format(boxes=BOXES) + TABLE_ONE + ROW + TABLE_TWO_FULL + row("2,248,637") + row("258,628")
            + NOTES + SIGNED)
    got = [(r.security_title, r.shares, r.underlying_security_title, r.nature_of_ownership)
           for r in form4.read(text.encode()).derivative_transactions]
    assert got == [("Class B Common Stock", 2248637, "Class A Common Stock", "By Venture Fund, L.P."),
                   ("Class B Common Stock", 258628, "Class A Common Stock", "By Venture Fund, L.P.")]


def test_centred_cells_lines_between_two_rows_part_where_both_balance() -> None:
    # "By The" is nearer the row above, but that row's nature is balanced without it: it opens the next
    rows = (at((0, "Class A"), (140, "By FF Affirm"))
            + at((0, "Common"), (108, "75,000"), (126, "I"), (140, "Growth,"))
            + at((0, "Stock"), (140, "LLC(2)"))
            + at((140, "By The"))
            + at((0, "Class A"))
            + at((140, "Founders"))
            + at((0, "Common"), (108, "1,486,909"), (126, "I"))
            + at((140, "Fund"))
            + at((0, "Stock"))
            + at((140, "Growth, LP(2)")))
    got = [(h.security_title, h.shares_owned_following, h.nature_of_ownership)
           for h in layout(rows).non_derivative_holdings]
    assert got == [("Class A Common Stock", 75000, "By FF Affirm Growth, LLC"),
                   ("Class A Common Stock", 1486909, "By The Founders Fund Growth, LP")]


def test_a_signature_caption_wrapped_over_lines_is_no_next_signer_s_name() -> None:
    signed = ("/s/ Jane Doe 03/04/2021\n** Signature of Reporting\nPerson\nDate\n"
              "Doe Holdings LLC 03/04/2021\n** Signature of Reporting\nPerson\nDate\n")
    filing = raw("Common Stock 03/02/2021 S 1,000 D $10.50 9,000 D\n", NOTES, signed)
    assert [s.name for s in filing.signatures] == ["/s/ Jane Doe", "Doe Holdings LLC"]


def test_the_other_box_s_label_wrapped_below_the_officer_s_is_no_title() -> None:
    head = RAW_HEAD.replace("Officer (give title below) Other (specify below)\n",
                            "Officer (give\ntitle below)\nOther\n(specify\nbelow)\n")
    rows = "Common Stock 03/02/2021 S 1,000 D $10.50 9,000 D\n"
    owner = form4.read((head + RAW_TABLE_ONE + rows + RAW_TABLE_TWO + NOTES + RAW_SIGNED).encode()).reporting_owners[0]
    assert (owner.is_director, owner.is_officer, owner.officer_title, owner.is_other) == (True, False, None, False)


def test_a_title_s_bracket_closed_on_its_next_line_is_the_title_s_text() -> None:
    # "(Class" / "A)": off a text layer, "A)" is a word of the title, not a code or A/D mark OCR garbled
    rows = ("Restricted Stock\nUnits (RSU) (Class\nA)\n(2)\n05/15/2021 M 1,386 (3) (3)\nClass A\nCommon Stock\n"
            "1,386 $0 0 D\n")
    text = RAW_HEAD + RAW_TABLE_ONE + RAW_TABLE_TWO + rows + NOTES + RAW_SIGNED
    (row,) = form4.read(text.encode()).derivative_transactions
    assert (row.security_title, row.transaction_code, row.shares, row.underlying_security_title) == (
        "Restricted Stock Units (RSU) (Class A)", "M", 1386, "Class A Common Stock")


def test_a_nature_ended_by_its_mark_takes_no_words_below() -> None:
    # "See Footnote(4)" is whole: "Private Placement" opens the next row's title
    rows = ("Class B Ordinary\nShares\n(3)\n08/10/2021 M 17,130,000 (3) (3)\nCommon Stock 17,130,000 (2)(3)\n"
            "0 I See Footnote(4)\nPrivate Placement\nWarrants\n$11.5 08/10/2021 J(5)\n11,533,333(5) (5) (5)\n"
            "Common Stock 11,533,333 $1.5 11,533,333 I See Footnote(4)\n")
    text = RAW_HEAD + RAW_TABLE_ONE + RAW_TABLE_TWO + rows + NOTES + RAW_SIGNED
    got = [(r.security_title, r.nature_of_ownership) for r in form4.read(text.encode()).derivative_transactions]
    assert got == [("Class B Ordinary Shares", "See Footnote"), ("Private Placement Warrants", "See Footnote")]


def test_a_title_begun_on_its_key_line_right_below_another_row_goes_on_below() -> None:
    # no room above its key line: the row's cell hangs from it, whatever lines the next row's stand nearer
    def row(title: str, amount: str) -> str:
        return at((0, title), (24, "08/08/2022"), (56, "S"), (72, amount), (84, "D"), (94, "$10.50"),
                  (108, "9,000"), (126, "I"), (140, "by Trust"))
    rows = (row("Common Stock", "1,000") + row("Class A Common", "2,000") + at((0, "Stock underlying"))
            + at((0, "Restricted Stock")) + at((0, "Units granted under")) + at((0, "the 2019 Equity"))
            + at((0, "Incentive Plan")) + row("Common Stock", "3,000") + row("Common Stock", "4,000"))
    got = [(r.security_title, r.shares) for r in layout(rows).non_derivative_transactions]
    long = "Class A Common Stock underlying Restricted Stock Units granted under the 2019 Equity Incentive Plan"
    assert got == [("Common Stock", 1000), (long, 2000), ("Common Stock", 3000), ("Common Stock", 4000)]


def test_a_line_ending_in_a_mark_ends_its_cell_whatever_the_rows_alignment() -> None:
    # the first row's nature straddles its key line; "L.P.(2)" ends it: the next key line's nature is its own
    rows = (at((140, "Venture Fund III - Endurance Partners,"))
            + at((0, "Common Stock"), (108, "3,909,607"), (126, "I"))
            + at((140, "L.P.(2)"))
            + at((0, "Common Stock"), (108, "9,289,278"), (126, "I"), (140, "Venture Growth Fund, L.P.(2)"))
            + at((0, "Common Stock"), (108, "269,560"), (126, "I"), (140, "Venture Principals Fund, L.P.(2)")))
    got = [(h.shares_owned_following, h.nature_of_ownership) for h in layout(rows).non_derivative_holdings]
    assert got == [(3909607, "Venture Fund III - Endurance Partners, L.P."), (9289278, "Venture Growth Fund, L.P."),
                   (269560, "Venture Principals Fund, L.P.")]


def test_a_signature_caption_wrapped_before_reporting_person_still_ends_the_notes() -> None:
    signed = (at((90, "/s/ Jane Doe,")) + at((120, "03/04/2021")) + at((90, "attorney-in-fact"))
              + at((90, "** Signature of")) + at((120, "Date")) + at((90, "Reporting Person")))
    filing = form4.read((LAYOUT_HEAD.format(boxes=BOXES) + TABLE_ONE + ROW + TABLE_TWO + NOTES + signed).encode())
    assert [(s.name, s.date and s.date.isoformat()) for s in filing.signatures] == [
        ("/s/ Jane Doe, attorney-in-fact", "2021-03-04")]
    assert filing.footnotes[-1].text == "Held by a trust."


def test_a_year_alone_on_a_nature_s_line_goes_on_the_nature() -> None:
    # "2010" has no thousands' comma: no amount, but the nature's word
    rows = ("Class B Common Stock 03/15/2021 C 235,707 D $0 824,975 I\nBy Venture\n2010\nPartners\nFund (Q),\n"
            "L.P.(2)\nClass B Common Stock 03/15/2021 C 47,589 D $0 166,561 D\n")
    got = [(r.shares, r.nature_of_ownership, r.footnotes) for r in raw(rows).non_derivative_transactions]
    assert got == [(235707, "By Venture 2010 Partners Fund (Q), L.P.", {"nature_of_ownership": ["F2"]}),
                   (47589, None, {})]


def test_an_amount_one_space_after_the_underlying_s_title_is_the_next_cell_s() -> None:
    row = (at((0, "Class B"), (124, "Class A"))
           + at((0, "Ordinary"), (30, "11/13/2020"), (60, "D"), (86, "17,434,414"), (100, "(6)"), (112, "(6)"),
                (124, "Common 17,434,414"), (150, "$0"), (166, "6,883,086"), (184, "I"), (198, "By Fund"))
           + at((0, "Shares"), (124, "Stock")))
    text = LAYOUT_HEAD.format(boxes=BOXES) + TABLE_ONE + ROW + TABLE_TWO_FULL + row + NOTES + SIGNED
    (got,) = form4.read(text.encode()).derivative_transactions
    assert (got.underlying_security_title, got.underlying_shares, got.shares_owned_following) == (
        "Class A Common Stock", 17434414, 6883086)


def test_a_nature_broken_after_a_comma_keeps_its_last_line_and_year() -> None:
    # "Principals Fund," and "June 1," go on below; "2009(2)" right of the D/I mark is the nature's word
    rows = (at((140, "Venture Global"))
            + at((0, "Common Stock"), (108, "356,651"), (126, "I"))
            + at((140, "Principals Fund,"))
            + at((140, "L.P.(2)"))
            + at((0, "Common Stock"), (108, "14,526"), (126, "D"))
            + at((0, "Common"), (108, "2,000,000"), (126, "I"), (140, "By the spouse"))
            + at((0, "Stock"), (140, "as trustee dated June 1,"))
            + at((140, "2009(2)"))
            + at((0, "Common"), (108, "17,130,000"), (126, "I"), (140, "By Sponsor LLC(1)"))
            + at((0, "Stock")))
    got = [(h.shares_owned_following, h.nature_of_ownership, h.footnotes)
           for h in layout(rows).non_derivative_holdings]
    assert got == [(356651, "Venture Global Principals Fund, L.P.", {"nature_of_ownership": ["F2"]}),
                   (14526, None, {}),
                   (2000000, "By the spouse as trustee dated June 1, 2009", {"nature_of_ownership": ["F2"]}),
                   (17130000, "By Sponsor LLC", {"nature_of_ownership": ["F1"]})]


def test_a_signature_set_a_little_left_of_its_caption_is_read() -> None:
    signed = (at((102, "By: John Roe by"), (122, "03/04/2021")) + at((102, "Power of Attorney"))
              + at((102, "For: Jane Doe")) + at((115, "** Signature of Reporting Person"), (150, "Date")))
    filing = form4.read((LAYOUT_HEAD.format(boxes=BOXES) + TABLE_ONE + ROW + TABLE_TWO + NOTES + signed).encode())
    assert [(s.name, s.date and s.date.isoformat()) for s in filing.signatures] == [
        ("By: John Roe by Power of Attorney For: Jane Doe", "2021-03-04")]


def test_a_mark_alone_under_the_underlying_s_title_words_is_the_title_s() -> None:
    # the cell's second mark wrapped onto a line of its own, under the title's words
    def text(mark_at: int) -> str:
        row = (at((124, "Class B Stock(2)")) + at((0, "Series A"), (16, "(1)"), (30, "09/22/2020"), (60, "C"),
                                                 (86, "2,027,400"), (100, "(1)"), (112, "(1)"), (136, "2,027,400"),
                                                 (150, "$0"), (166, "0"), (184, "D"))
               + at((mark_at, "(3)")))
        notes = NOTES + "3. Converts at the holder's option.\n"
        return LAYOUT_HEAD.format(boxes=BOXES) + TABLE_ONE + ROW + TABLE_TWO_FULL + row + notes + SIGNED
    (row,) = form4.read(text(130).encode()).derivative_transactions
    assert (row.underlying_security_title, row.footnotes.get("underlying_security_title")) == (
        "Class B Stock", ["F2", "F3"])
    # left of the title's words it is not theirs
    (row,) = form4.read(text(112).encode()).derivative_transactions
    assert row.footnotes.get("underlying_security_title") == ["F2"]


def test_two_dates_run_together_at_a_mark_are_two_cells() -> None:
    # "03/02/2022(1)03/01/2031": the extraction kept no space after the exercisable date's mark
    row = "Stock Option $10.00 03/02/2021 A 1,000 03/02/2022(1)03/01/2031 Common Stock 1,000 $0 1,000 D\n"
    text = RAW_HEAD + RAW_TABLE_ONE + RAW_TABLE_TWO + row + NOTES + RAW_SIGNED
    (got,) = form4.read(text.encode()).derivative_transactions
    assert (str(got.exercise_date), str(got.expiration_date), got.footnotes.get("exercise_date")) == (
        "2022-03-02", "2031-03-01", ["F1"])


def test_a_year_alone_right_of_the_ownership_form_is_the_nature_s_word() -> None:
    # "By Venture" / "2010" / "Fund, L.P.": the nature's year on the row's line, after its D/I
    rows = at((140, "By Venture")) + at((0, "Common Stock"), (108, "5,000"), (126, "I"), (140, "2010")) + at(
        (140, "Fund, L.P."))
    got = [(h.shares_owned_following, h.direct_or_indirect, h.nature_of_ownership)
           for h in layout(rows).non_derivative_holdings]
    assert got == [(5000, "I", "By Venture 2010 Fund, L.P.")]


def test_a_mark_alone_right_of_the_ownership_form_is_the_nature_s_when_a_nature_is_printed() -> None:
    # rows set narrower than their headings, the nature just right of the D/I: "Fund, L.P.(2)"
    # over "(3)", the cell's second mark wrapped onto a line of its own, or set apart beside it
    wrapped = at((0, "Common Stock"), (108, "5,000"), (126, "I"), (129, "By Fund, L.P.(2)")) + at((130, "(3)"))
    beside = at((0, "Common Stock"), (108, "6,000"), (126, "I"), (129, "By Trust(1)"), (131, "(2)"))
    # on the D/I's line with no nature printed, it is the D/I's own
    direct = at((0, "Common Stock"), (108, "7,000"), (126, "D"), (129, "(2)"))
    got = [(h.shares_owned_following, h.footnotes) for h in layout(
        wrapped + "\n" + beside + "\n" + direct).non_derivative_holdings]
    assert got == [(5000, {"nature_of_ownership": ["F2", "F3"]}), (6000, {"nature_of_ownership": ["F1", "F2"]}),
                   (7000, {"direct_or_indirect": ["F2"]})]


def test_a_mark_on_a_line_of_its_own_goes_on_from_the_mark_raised_against_the_word_above() -> None:
    # -raw: "Class B Stock(2)" / "(3)", the underlying's two marks; under the row's title
    # ("Warrant(1)" / "(3)") a mark is the next cell's, the blank price's
    rows = ("Stock Option(1)\n(1) 03/02/2021 A 1,000 (4) 03/01/2031\nClass B Stock(2)\n(3)\n1,000 $0 1,000 D\n"
            "Warrant(1)\n(3)\n03/02/2021 A 500 (4) 03/01/2031\nCommon Stock 500 $0 500 D\n")
    notes = NOTES + "3. Converts at the holder's option.\n4. Vests monthly.\n"
    text = RAW_HEAD + RAW_TABLE_ONE + RAW_TABLE_TWO + rows + notes + RAW_SIGNED
    got = [(r.underlying_security_title, r.footnotes) for r in form4.read(text.encode()).derivative_transactions]
    marked = {"security_title": ["F1"], "conversion_or_exercise_price": ["F1"], "exercise_date": ["F4"]}
    assert got == [("Class B Stock", {**marked, "underlying_security_title": ["F2", "F3"]}),
                   ("Common Stock", {**marked, "conversion_or_exercise_price": ["F3"]})]


def test_a_signature_wrapped_over_spaced_lines_is_read_from_its_slash_s() -> None:
    # a text layer may set blank lines between a long signature's wrapped lines
    words = ["/s/ Jane Doe,", "Managing", "Member, Acme", "GP LLC, General", "Partner of", "Acme LP"]
    signed = ("\n".join(at((90, w)).rstrip("\n") for w in words[:3]).replace("\n", "\n\n") + "\n"
              + at((120, "03/04/2021")) + "\n" + "\n\n".join(at((90, w)).rstrip("\n") for w in words[3:]) + "\n\n"
              + at((90, "** Signature of Reporting Person"), (120, "Date")))
    text = LAYOUT_HEAD.format(boxes=BOXES) + TABLE_ONE + ROW + TABLE_TWO + NOTES + signed
    (sig,) = form4.read(text.encode()).signatures
    assert (sig.name, str(sig.date)) == (
        "/s/ Jane Doe, Managing Member, Acme GP LLC, General Partner of Acme LP", "2021-03-04")
