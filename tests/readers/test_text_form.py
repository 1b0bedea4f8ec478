"""The text reader on small printed forms written here, each stating one rule of the form
that holds at any font, page size or resolution (OCR loses captions, sets lines out of order)."""

from __future__ import annotations

import form4
from form4.model import Filing

HEAD = """SEC Form 4
FORM 4 UNITED STATES SECURITIES AND EXCHANGE COMMISSION
STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP
1. Name and Address of Reporting Person* 2. Issuer Name and Ticker or Trading Symbol 5. Relationship of Reporting
Doe Jane ACME WIDGETS INC [ ACME ] X Director 10% Owner
(Last) (First) (Middle) 3. Date of Earliest Transaction (Month/Day/Year)
1 MAIN STREET 03/02/2021
(Street)
SPRINGFIELD IL 62701
(City) (State) (Zip)
"""
TABLE_ONE = "Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned\n"
TABLE_ONE_HEADINGS = (
    "1. Title of Security (Instr. 3) 2. Transaction Date 3. Deemed Execution Date 4. Transaction Code "
    "5. Securities Acquired (A) or Disposed Of (D) 6. Amount of Securities Beneficially Owned "
    "7. Ownership Form 8. Nature of Indirect Beneficial Ownership\n")
ROW = "Common Stock 03/02/2021 S 1,000 D $10.50(1) 9,000 D\n"
TABLE_TWO = "Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned\n"
TABLE_TWO_HEADINGS = ("(e.g., puts, calls, warrants, options, convertible securities)\n"
                      "1. Title of Derivative Security 2. Conversion or Exercise Price 3. Transaction Date\n")
EXPLANATION = "Explanation of Responses:\n"
NOTES = "1. Sold under a trading plan.\n2. Held by a trust.\n"
SIGNED = "/s/ Jane Doe 03/04/2021\n** Signature of Reporting Person Date\n"
# OCR's rule marks ("|" where a column's rule falls): the reader takes the text for OCR output
OCR_HEADINGS = TABLE_ONE_HEADINGS.replace(" (Instr. 3) ", " (Instr. 3) | ").replace(" Date ", " Date | ").replace(
    " Code ", " Code | ").replace(" Owned ", " Owned | ").replace(" Form ", " Form | ")


def read(text: str) -> Filing:
    return form4.read(text.encode())


def the_row_and_notes(filing: Filing) -> None:
    (row,) = filing.non_derivative_transactions
    assert (row.security_title, row.transaction_code, row.shares, row.price_per_share) == (
        "Common Stock", "S", 1000, 10.5)
    assert (row.shares_owned_following, row.direct_or_indirect) == (9000, "D")
    assert [(n.id, n.text) for n in filing.footnotes] == [
        ("F1", "Sold under a trading plan."), ("F2", "Held by a trust.")]


def test_the_whole_form_reads() -> None:
    the_row_and_notes(read(HEAD + TABLE_ONE + TABLE_ONE_HEADINGS + ROW + TABLE_TWO + TABLE_TWO_HEADINGS
                           + EXPLANATION + NOTES + SIGNED))


def test_table_one_found_by_its_headings_when_its_caption_is_lost() -> None:
    filing = read(HEAD + TABLE_ONE_HEADINGS + ROW + TABLE_TWO + TABLE_TWO_HEADINGS + EXPLANATION + NOTES + SIGNED)
    the_row_and_notes(filing)
    assert filing.reporting_owners[0].city == "SPRINGFIELD"  # the owner's box ends where the table begins


def test_table_two_found_by_its_headings_when_its_caption_is_lost() -> None:
    the_row_and_notes(read(HEAD + TABLE_ONE + TABLE_ONE_HEADINGS + ROW + TABLE_TWO_HEADINGS
                           + EXPLANATION + NOTES + SIGNED))


def test_table_one_ends_at_the_notes_when_table_two_is_not_found() -> None:
    # neither Table II's caption nor its headings: the notes are notes, not Table I's rows
    the_row_and_notes(read(HEAD + TABLE_ONE + TABLE_ONE_HEADINGS + ROW + EXPLANATION + NOTES + SIGNED))


def test_table_two_caption_that_lost_an_i() -> None:
    caption = TABLE_TWO.replace("Table II", "Table I")
    filing = read(HEAD + TABLE_ONE + TABLE_ONE_HEADINGS + ROW + caption + EXPLANATION + NOTES + SIGNED)
    the_row_and_notes(filing)


def test_first_note_set_above_the_caption() -> None:
    # OCR reads a page's blocks in its own order: note 1 can come out above "Explanation of Responses"
    notes = NOTES.split("\n")
    text = (HEAD + TABLE_ONE + OCR_HEADINGS + ROW + TABLE_TWO + TABLE_TWO_HEADINGS
            + notes[0] + "\n" + EXPLANATION + notes[1] + "\n" + SIGNED)
    the_row_and_notes(read(text))


def test_notes_of_a_text_layer_may_begin_after_1() -> None:
    # a text layer keeps the page's order: notes that begin at "4." are all the filing has, and
    # the heading "(I) (Instr. 5)" above the caption is no note 1
    filing = read(HEAD + TABLE_ONE + TABLE_ONE_HEADINGS + ROW + TABLE_TWO + TABLE_TWO_HEADINGS
                  + "(I) (Instr. 5)\n1. Sold under a trading plan.\n" + EXPLANATION + "4. Held by a trust.\n" + SIGNED)
    assert [(n.id, n.text) for n in filing.footnotes] == [("F4", "Held by a trust.")]


def test_a_heading_numbered_1_above_the_caption_is_no_note() -> None:
    text = (HEAD + TABLE_ONE + OCR_HEADINGS + ROW + TABLE_TWO + TABLE_TWO_HEADINGS
            + EXPLANATION + "2. Held by a trust.\n" + SIGNED)
    filing = read(text)
    assert [(n.id, n.text) for n in filing.footnotes] == [("F2", "Held by a trust.")]



def test_rows_whose_titles_wrap_around_their_amounts_stay_apart() -> None:
    # a title set in the middle of its cell: "Common" above the row's values, "Stock" below, and
    # OCR lost each row's date, code and D/I mark; each row ends where the next one's amounts begin
    rows = ("Common\n1,000 $10.50 9,000 by Trust\nStock\n"
            "Common\n500 $11.00 8,500 by Trust\nStock\n")
    filing = read(HEAD + TABLE_ONE + OCR_HEADINGS + rows + TABLE_TWO + TABLE_TWO_HEADINGS + EXPLANATION + SIGNED)
    got = [(r.security_title, r.shares, r.price_per_share, r.shares_owned_following, r.nature_of_ownership)
           for r in filing.non_derivative_transactions]
    assert got == [("Common Stock", 1000, 10.5, 9000, "by Trust"), ("Common Stock", 500, 11.0, 8500, "by Trust")]
