"""How Tesseract garbles the values of a printed Form 4's table rows, and the rules they are read
back by: each test writes a small form as OCR gives it (rule marks "|" among the headings tell
the reader the text came through OCR) and reads it through form4.read."""

from __future__ import annotations

import form4
from form4.model import Filing, NonDerivativeTransaction
from tests.readers.test_text_form import HEAD as BOXES
from tests.readers.test_text_form import OCR_HEADINGS, TABLE_ONE

HEAD = BOXES + TABLE_ONE + OCR_HEADINGS
TAIL = """Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned
(e.g., puts, calls, warrants, options, convertible securities)
1. Title of Derivative Security 2. Conversion or Exercise Price 3. Transaction Date
Explanation of Responses:
{notes}/s/ Jane Doe 03/04/2021
** Signature of Reporting Person Date
"""
NOTES = "1. Sold under a trading plan.\n2. Held by a trust.\n"


def rows(text: str, notes: str = NOTES) -> list[NonDerivativeTransaction]:
    filing: Filing = form4.read((HEAD + text + TAIL.format(notes=notes)).encode())
    return filing.non_derivative_transactions


def values(row: NonDerivativeTransaction) -> tuple[object, ...]:
    return (row.transaction_code, row.shares, row.acquired_disposed, row.price_per_share,
            row.shares_owned_following, row.direct_or_indirect)


def test_an_amount_ocr_spaced_after_a_thousands_comma_is_one_amount() -> None:
    # a printed number never ends in a comma: "6, 400" and "2,111, 269" are 6,400 and 2,111,269
    (row,) = rows("Common Stock 03/02/2021 S 6, 400 D $1, 161.54 2,111, 269 D\n")
    assert values(row) == ("S", 6400, "D", 1161.54, 2111269, "D")


def test_an_amount_ocr_broke_before_its_decimal_point_is_one_amount() -> None:
    # nor does a value start with a point and its decimals: "$1,146 .123" is $1,146.123
    (row,) = rows("Common Stock 03/02/2021 S 3,300 D $1,146 .123(1) 2,139,172 D\n")
    assert values(row) == ("S", 3300, "D", 1146.123, 2139172, "D")
    assert row.footnotes == {"price_per_share": ["F1"]}


def test_a_garbled_mark_after_a_value_keeps_the_value_and_invents_no_mark() -> None:
    got = rows("Common Stock 03/02/2021 S 1,300!?) D $1,143.559(°) 2,142,472 D\n"
               "Common Stock 03/02/2021 S 400(?) D $1,142.05 2,141,372 D\n"
               "Common Stock 03/02/2021 S 10, 316°?) D $1,149.327(” 2,131,056 D\n")
    assert [values(r) for r in got] == [("S", 1300, "D", 1143.559, 2142472, "D"),
                                        ("S", 400, "D", 1142.05, 2141372, "D"),
                                        ("S", 10316, "D", 1149.327, 2131056, "D")]
    assert [r.footnotes for r in got] == [{}, {}, {}]


def test_a_garbled_mark_whose_number_survived_is_read() -> None:
    # only the brackets misread: "!2)" and "°2)" are (2); "6002)" is 600 and (2), its "(" lost
    got = rows("Common Stock 03/02/2021 S 3,300!2) D $1,146.12 2,139,172 D\n"
               "Common Stock 03/02/2021 S 6002) D $1,147.05 2,138,572 D\n")
    assert [values(r) for r in got] == [("S", 3300, "D", 1146.12, 2139172, "D"),
                                        ("S", 600, "D", 1147.05, 2138572, "D")]
    assert [r.footnotes for r in got] == [{"shares": ["F2"]}, {"shares": ["F2"]}]


def test_a_code_letter_with_a_garbled_mark_is_the_code() -> None:
    # "s@)", "M(?)": the code S or M, its raised mark garbled; the row's values keep their columns
    got = rows("Common Stock 03/02/2021 M(?) 2,000 A $6.24 11,000 D\n"
               "Common Stock 03/02/2021 s@) 1,000 D $10.50 10,000 D\n"
               "Common Stock 03/02/2021 s(t) 500 D $10.75 9,500 D\n")
    assert [values(r) for r in got] == [("M", 2000, "A", 6.24, 11000, "D"),
                                        ("S", 1000, "D", 10.5, 10000, "D"),
                                        ("S", 500, "D", 10.75, 9500, "D")]
    assert [r.footnotes for r in got] == [{}, {}, {"transaction_code": ["F1"]}]


def test_a_garbled_mark_after_a_nature_is_no_word_of_it() -> None:
    (row,) = rows("Common Stock 03/02/2021 S 1,000 D $10.50 9,000 I by Trust (?)\n")
    assert values(row) == ("S", 1000, "D", 10.5, 9000, "I")
    assert row.nature_of_ownership == "by Trust"


def test_a_lost_mark_is_the_one_the_security_s_rows_around_it_print_there() -> None:
    got = rows("Common Stock 03/02/2021 S 1,000(2) D $10.50 9,000 D\n"
               "Common Stock 03/02/2021 S 500(?) D $10.60 8,500 D\n"
               "Common Stock 03/02/2021 S 700(2) D $10.70 7,800 D\n")
    assert [r.shares for r in got] == [1000, 500, 700]
    assert [r.footnotes for r in got] == [{"shares": ["F2"]}] * 3


def test_lost_marks_between_marks_that_count_up_are_the_numbers_between() -> None:
    # one weighted-average price a footnote: (3), lost, lost, (6) are (3), (4), (5), (6)
    notes = "".join(f"{n}. Weighted average of sales from ${n}.00 to ${n}.99.\n" for n in range(1, 7))
    got = rows("Common Stock 03/02/2021 S 1,000 D $10.50(3) 9,000 D\n"
               "Common Stock 03/02/2021 S 500 D $10.60(°) 8,500 D\n"
               "Common Stock 03/02/2021 S 700 D $10.70'?) 7,800 D\n"
               "Common Stock 03/02/2021 S 800 D $10.80(6) 7,000 D\n", notes)
    assert [r.price_per_share for r in got] == [10.5, 10.6, 10.7, 10.8]
    assert [r.footnotes.get("price_per_share") for r in got] == [["F3"], ["F4"], ["F5"], ["F6"]]


def test_a_lost_mark_is_the_one_footnote_that_explains_the_price_or_the_nature() -> None:
    notes = ("1. Sold under a trading plan.\n"
             "2. The price is a weighted average of prices ranging from $10.00 to $10.99, inclusive.\n"
             "3. The price is a weighted average of prices ranging from $11.00 to $11.99, inclusive.\n"
             "4. Held by the Smith Family Trust.\n5. Held by Acme Partners Fund IV, L.P.\n")
    got = rows("Common Stock 03/02/2021 S 1,000 D $10.50(?) 9,000 I by Trust(?)\n"
               "Common Stock 03/02/2021 S 500 D $11.25(?) 8,500 I Acme Partners Fund IV, L.P.(?)\n", notes=notes)
    assert [(r.footnotes.get("price_per_share"), r.footnotes.get("nature_of_ownership")) for r in got] == [
        (["F2"], ["F4"]), (["F3"], ["F5"])]
    # a price no range holds: left out
    got = rows("Common Stock 03/02/2021 S 1,000 D $12.50(?) 9,000 D\n", notes=notes)
    assert got[0].footnotes.get("price_per_share") is None


def test_a_lost_mark_the_rows_around_it_do_not_decide_is_left_out() -> None:
    # above (1), below (2): neither the same mark nor numbers counting up one a row
    got = rows("Common Stock 03/02/2021 S 1,000(1) D $10.50 9,000 D\n"
               "Common Stock 03/02/2021 S 500(?) D $10.60 8,500 D\n"
               "Common Stock 03/02/2021 S 700(2) D $10.70 7,800 D\n")
    assert [r.footnotes.get("shares") for r in got] == [["F1"], None, ["F2"]]


def test_a_code_among_the_letters_ocr_made_of_its_mark_is_the_code() -> None:
    # "gs)", "iS)", "JO": the g, i and O are the raised "(1)"; the code is the letter left
    got = rows("Common Stock 03/02/2021 gs) 1,000 D $10.50 9,000 D\n"
               "Common Stock 03/02/2021 iS) 500 D $10.60 8,500 D\n"
               "Common Stock 03/02/2021 JO 700 D $10.70 7,800 D\n")
    assert [r.transaction_code for r in got] == ["S", "S", "J"]


def test_an_amount_run_on_after_a_garbled_mark_is_the_next_cell_s() -> None:
    # "$1,116.417'*168, 336, 889": the price's mark garbled, its ")" lost, the amount owned run on
    got = rows("Common Stock 03/02/2021 S 8,212 D $1,116.417'*168, 336, 889 D\n"
               "Common Stock 03/02/2021 S 15,466 D $1,011.504'41, 298, 410 D\n")
    assert [values(r) for r in got] == [("S", 8212, "D", 1116.417, 168336889, "D"),
                                        ("S", 15466, "D", 1011.504, 1298410, "D")]


def test_a_price_broken_before_its_point_with_the_next_amount_run_on_is_both_values() -> None:
    # "$1,117 .552(°168, 334,591": the point spaced off, the mark garbled, the amount owned run on
    (row,) = rows("Common Stock 03/02/2021 S 2,298 D $1,117 .552(°168, 334,591 D\n")
    assert values(row) == ("S", 2298, "D", 1117.552, 168334591, "D")


def test_a_price_whose_mark_lost_its_opening_bracket_ends_where_the_form_s_prices_end() -> None:
    # "$1,045.3878)": the mark's "(" lost, its digits run on after the price's; the form's other
    # prices are printed to three places, and so is this one
    got = rows("Common Stock 03/02/2021 S 38,104 D $1,043.379(3) 169,850,036 D\n"
               "Common Stock 03/02/2021 S 51,495 D $1,045.3878) 169,798,541 D\n"
               "Common Stock 03/02/2021 S 24,880 D $1,046.477(5) 169,773,661 D\n")
    assert [r.price_per_share for r in got] == [1043.379, 1045.387, 1046.477]
    # printed to four places, the same digits are all the price's
    got = rows("Common Stock 03/02/2021 S 38,104 D $1,043.3791(3) 169,850,036 D\n"
               "Common Stock 03/02/2021 S 51,495 D $1,045.3878) 169,798,541 D\n"
               "Common Stock 03/02/2021 S 24,880 D $1,046.4772(5) 169,773,661 D\n")
    assert [r.price_per_share for r in got] == [1043.3791, 1045.3878, 1046.4772]


def test_a_price_read_with_a_comma_for_its_point_is_one_of_the_form_s_prices() -> None:
    # "$1,054,421"": a thousand times the prices around it; with its point, one of them
    got = rows("Common Stock 03/02/2021 S 38,104 D $1,043.379(1) 169,850,036 D\n"
               "Common Stock 03/02/2021 S 51,495 D $1,054,421\" 169,798,541 D\n"
               "Common Stock 03/02/2021 S 24,880 D $1,046.477(1) 169,773,661 D\n")
    assert [r.price_per_share for r in got] == [1043.379, 1054.421, 1046.477]


def test_a_lost_mark_on_a_security_s_first_row_is_the_one_the_next_two_print() -> None:
    got = rows("Common Stock 03/02/2021 S 500'?) D $10.60 9,500 D\n"
               "Common Stock 03/02/2021 S 1,000(2) D $10.50 8,500 D\n"
               "Common Stock 03/02/2021 S 700(2) D $10.70 7,800 D\n")
    assert [r.footnotes.get("shares") for r in got] == [["F2"]] * 3


def test_a_mark_that_lost_its_closing_bracket_is_still_read() -> None:
    # "9,657(2", "s(2": the mark's ")" lost at the cell's edge; "|$10.50": a rule read onto a value
    (row,) = rows("Common Stock 03/02/2021 s(1 9,657(2 D |$10.50 9,000 D\n")
    assert values(row) == ("S", 9657, "D", 10.5, 9000, "D")
    assert row.footnotes == {"transaction_code": ["F1"], "shares": ["F2"]}


def test_a_mark_read_through_garbled_brackets_that_breaks_the_count_is_the_count_s() -> None:
    # (3), "°9)", (5): a weighted-average price a footnote, numbered one a row; "°9)" is (4)
    notes = "".join(f"{n}. Weighted average of sales from ${n}.00 to ${n}.99.\n" for n in range(1, 10))
    got = rows("Common Stock 03/02/2021 S 1,000 D $10.50(3) 9,000 D\n"
               "Common stock 03/02/2021 S 500 D $10.60°9) 8,500 D\n"
               "Common Stock 03/02/2021 S 700 D $10.70(5) 7,800 D\n", notes)
    assert [r.footnotes.get("price_per_share") for r in got] == [["F3"], ["F4"], ["F5"]]
