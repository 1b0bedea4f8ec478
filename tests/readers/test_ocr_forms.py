"""The text reader on OCR'd forms: what it flags (issue 26 §3: the fields the form's rules put
in doubt, the footnote marks OCR so often loses and the place of a row it may have lost; not
every field read, so a person checks what is flagged and not the whole form), and boxes OCR ran
together.  Each test writes a small form as OCR gives it (rule marks in the headings) and reads
it through ``form4.read``."""

from __future__ import annotations

from typing import Any

import form4
from form4.compare import flagged
from tests.readers.test_text_form import EXPLANATION, HEAD, NOTES, OCR_HEADINGS, SIGNED, TABLE_ONE, TABLE_TWO

ROW = "Common Stock 03/0{day}/2021 S {shares} D ${price}(1) {owned} {form}\n"
CELLS = ("transaction_date", "transaction_code", "security_title", "shares", "price_per_share",
         "shares_owned_following", "direct_or_indirect")


def _read(rows: str, head: str = HEAD, notes: str = NOTES) -> dict[str, Any]:
    text = head + TABLE_ONE + OCR_HEADINGS + rows + TABLE_TWO + EXPLANATION + notes + SIGNED
    return form4.read(text.encode()).to_dict()


def _rows(*rows: tuple[int, str, str, str, str]) -> str:
    return "".join(ROW.format(day=d, shares=s, price=p, owned=o, form=f) for d, s, p, o, f in rows)


def test_fields_read_cleanly_are_not_flagged_but_marks_and_a_lost_row_s_place_are() -> None:
    record = _read(_rows((2, "1,000", "10.50", "9,000", "D"), (3, "500", "10.60", "8,500", "D")))
    assert len(record["non_derivative_transactions"]) == 2
    for i in range(2):
        assert not any(flagged(record, f"non_derivative_transactions[{i}].{name}") for name in CELLS)
        assert flagged(record, f"non_derivative_transactions[{i}].footnotes.price_per_share")
    assert flagged(record, "non_derivative_transactions[2].shares")  # where a lost third row would be


def test_a_balance_that_does_not_add_up_flags_its_terms_only() -> None:
    # 9,000 - 500 is not 7,000, and no one misread digit makes it so
    record = _read(_rows((2, "1,000", "10.50", "9,000", "D"), (3, "500", "10.60", "7,000", "D")))
    for name in ("shares", "shares_owned_following", "acquired_disposed"):
        assert flagged(record, f"non_derivative_transactions[1].{name}")
    for name in ("transaction_date", "security_title", "price_per_share", "direct_or_indirect"):
        assert not flagged(record, f"non_derivative_transactions[1].{name}")


def test_a_sale_without_a_price_flags_the_price() -> None:
    record = _read("Common Stock 03/02/2021 S 1,000 D 9,000 D\n")
    row = record["non_derivative_transactions"][0]
    assert row["price_per_share"] is None and row["shares"] == 1000
    assert flagged(record, "non_derivative_transactions[0].price_per_share")
    assert not flagged(record, "non_derivative_transactions[0].shares")


def test_a_mark_citing_a_footnote_the_form_cannot_have_flags_the_mark_not_the_footnotes() -> None:
    # footnotes are numbered from 1; one lost leaves a gap or is the next after the last read
    record = _read(_rows((2, "1,000", "10.50", "9,000", "D")).replace("(1)", "(44)"))
    assert record["non_derivative_transactions"][0]["footnotes"]["price_per_share"] == ["F44"]
    assert flagged(record, "non_derivative_transactions[0].footnotes.price_per_share")
    assert not flagged(record, "footnotes[0].text") and not flagged(record, "footnotes[1].text")


def test_an_ownership_form_lost_beside_a_nature_is_indirect_and_sure() -> None:
    record = _read("Common Stock 03/02/2021 S 1,000 D $10.50 9,000 By Trust\n"
                   "Common Stock 03/02/2021 S 1,000 D $10.50 8,000\n")
    first, second = record["non_derivative_transactions"]
    assert (first["direct_or_indirect"], first["nature_of_ownership"]) == ("I", "By Trust")
    assert not flagged(record, "non_derivative_transactions[0].direct_or_indirect")
    assert second["direct_or_indirect"] == "D"  # no nature: direct, but the nature may be what was lost
    assert flagged(record, "non_derivative_transactions[1].direct_or_indirect")


def test_an_owner_s_name_in_capitals_run_into_the_issuer_s_is_parted() -> None:
    head = HEAD.replace("Doe Jane ACME WIDGETS INC [ ACME ]", "DOE JANE Acme Widgets, Inc. [ ACME ]")
    record = _read(_rows((2, "1,000", "10.50", "9,000", "D")), head=head)
    assert record["issuer"]["name"] == "Acme Widgets, Inc."
    assert record["reporting_owners"][0]["name"] == "DOE JANE"


def test_an_owner_s_name_signed_in_another_order_is_parted_from_the_issuer_s() -> None:
    # the box prints "Last First", the signature "First Last": the same words, both cases mixed
    head = HEAD.replace("Doe Jane ACME WIDGETS INC [ ACME ]", "Doe Jane Acme Widgets, Inc. [ ACME ]")
    record = _read(_rows((2, "1,000", "10.50", "9,000", "D")), head=head)
    assert record["issuer"]["name"] == "Acme Widgets, Inc."
    assert record["reporting_owners"][0]["name"] == "Doe Jane"


def test_specks_before_an_issuer_s_name_are_dropped() -> None:
    head = HEAD.replace("ACME WIDGETS INC [ ACME ]", ". - ACME WIDGETS INC [ ACME ]")
    record = _read(_rows((2, "1,000", "10.50", "9,000", "D")), head=head)
    assert record["issuer"]["name"] == "ACME WIDGETS INC"


def test_the_rule_a_name_is_signed_over_is_not_part_of_the_name() -> None:
    signed = SIGNED.replace("/s/ Jane Doe", "/s/_Jane_Doe")
    text = HEAD + TABLE_ONE + OCR_HEADINGS + _rows((2, "1,000", "10.50", "9,000", "D")) + TABLE_TWO + EXPLANATION
    record = form4.read((text + NOTES + signed).encode()).to_dict()
    assert record["signatures"][0]["name"] == "/s/ Jane Doe"


def test_a_heading_run_into_a_row_with_values_flags_that_row_s_title_only() -> None:
    # OCR ran the headings a new page prints again into the row below them: no row was added
    rows = _rows((2, "1,000", "10.50", "9,000", "D")) + "Beneficially Owned " + _rows((3, "500", "10.60", "8,500", "D"))
    record = _read(rows)
    _, second = record["non_derivative_transactions"]
    assert "Beneficially Owned" in second["security_title"] and second["shares"] == 500
    assert flagged(record, "non_derivative_transactions[1].security_title")
    assert not flagged(record, "non_derivative_transactions[1].shares")
    assert not flagged(record, "non_derivative_transactions[0].security_title")


def test_a_value_read_through_a_repair_is_flagged_unless_the_form_confirms_it() -> None:
    # "1,O00": a letter for a digit; the second row's balance (9,000 - 1,000 = 8,000) confirms it
    rows = (_rows((2, "1,O00", "10.50", "10,000", "D"), (3, "1,O00", "10.60", "9,000", "D"))
            + "Common Stock 03/04/2021 S 1,O00 D $10.70 5,000 D\n")
    record = _read(rows)
    assert [r["shares"] for r in record["non_derivative_transactions"]] == [1000, 1000, 1000]
    assert flagged(record, "non_derivative_transactions[0].shares")  # no balance before it
    assert not flagged(record, "non_derivative_transactions[1].shares")
    assert flagged(record, "non_derivative_transactions[2].shares")  # 9,000 - 1,000 is not 5,000


def test_a_code_read_through_a_repair_is_sure_when_its_side_is_the_one_printed() -> None:
    record = _read("Common Stock 03/02/2021 sM 1,000 D $10.50 9,000 D\n"
                   "Common Stock 03/03/2021 sM 1,000 A $10.50 10,000 D\n")
    first, second = record["non_derivative_transactions"]
    assert first["transaction_code"] == second["transaction_code"] == "S"
    assert not flagged(record, "non_derivative_transactions[0].transaction_code")  # a sale disposes: D
    assert flagged(record, "non_derivative_transactions[1].transaction_code")


def test_a_bar_before_the_nature_of_an_indirect_holding_is_its_i() -> None:
    # OCR reads a sans-serif "I" as the bar it reads the form's rules as; rows end at their D/I
    # (the rows' titles lost to OCR: only the I tells where the first row ends)
    rows = ("03/02/2021 | S | 1,000 | D | $10.50 | 9,000 | By Trust\n"
            "03/03/2021 | S | 500 | D | $10.60 | 8,500 | By Trust\n")
    record = _read(rows)
    assert [(r["shares"], r["direct_or_indirect"], r["nature_of_ownership"])
            for r in record["non_derivative_transactions"]] == [(1000, "I", "By Trust"), (500, "I", "By Trust")]


def test_a_bar_between_an_amount_owned_and_a_nature_of_any_words_is_its_i() -> None:
    rows = ("Common Stock 03/02/2021 S 1,000 D $10.50 9,000 D\n"
            "Common Stock 1,862 | Sequoia Capital Fund IV, L.P.\n"
            "Common Stock 77 | Growth Partners Fund\n")
    record = _read(rows)
    assert [(r["shares_owned_following"], r["direct_or_indirect"], r["nature_of_ownership"])
            for r in record["non_derivative_holdings"]] == [
        (1862, "I", "Sequoia Capital Fund IV, L.P."), (77, "I", "Growth Partners Fund")]


def test_a_nature_s_first_line_above_its_values_is_its_own_not_the_end_of_the_nature_above() -> None:
    # middle-aligned cells: each nature's first line stands above its row's values; the nature
    # above ends in its mark, so the line after it opens the next one
    rows = ("Common Stock 03/02/2021 S 1,000 D $10.50 9,000 D\n"
            "Sequoia Capital\nClass A Common 1,862 I U.S. Growth\nStock Fund IV, L.P.(1)\n"
            "Sequoia Capital\nClass A Common 77 I USGF Principals\nStock Fund IV, L.P.(2)\n")
    record = _read(rows)
    assert [(r["security_title"], r["shares_owned_following"], r["nature_of_ownership"])
            for r in record["non_derivative_holdings"]] == [
        ("Class A Common Stock", 1862, "Sequoia Capital U.S. Growth Fund IV, L.P."),
        ("Class A Common Stock", 77, "Sequoia Capital USGF Principals Fund IV, L.P.")]


def test_a_title_wrapped_below_its_values_and_the_caption_a_new_page_repeats_stay_out_of_the_next_row() -> None:
    # a top-aligned cell: "Common" on the values' line, "Stock" under it; then a page break
    # prints the table's caption and headings again before the next row
    rows = ("Common 03/02/2021 S 1,000 D $10.50 9,000 D\nStock\n" + TABLE_ONE + OCR_HEADINGS
            + "Common 03/03/2021 S 500 D $10.60 8,500 D\nStock\n")
    record = _read(rows)
    assert [r["security_title"] for r in record["non_derivative_transactions"]] == ["Common Stock"] * 2


def test_a_title_word_on_a_line_with_a_nature_opens_the_next_row_once_the_row_above_is_whole() -> None:
    # middle-aligned cells: each title's "Common" is a line above its values; the second row's
    # nature begins on that same line ("By the ... of the" / "Family Trust")
    rows = ("Common\nStock 03/02/2021 S 1,000 D $10.50 9,000 I by Trust\n"
            "Common By the spouse as trustee of the\n"
            "03/03/2021 S 500 D $10.60 8,500 I\n"
            "Stock Family Trust dated June 1, 2009\n")
    record = _read(rows)
    assert [(r["security_title"], r["shares"], r["nature_of_ownership"])
            for r in record["non_derivative_transactions"]] == [
        ("Common Stock", 1000, "by Trust"),
        ("Common Stock", 500, "By the spouse as trustee of the Family Trust dated June 1, 2009")]


def test_what_ocr_leaves_of_a_nature_s_raised_mark_is_not_part_of_the_nature() -> None:
    # a bracket alone, a bracket glued on, a garbled mark glued on, a speck for the mark
    for nature in ("by Trust )", "by Trust(?)", "by Trust)", "by Trust oc", "by Trust @"):
        record = _read(f"Common Stock 03/02/2021 S 1,000 D $10.50(1) 9,000 I {nature}\n")
        assert record["non_derivative_transactions"][0]["nature_of_ownership"] == "by Trust", nature
    # words of English, short or not, and a bracket the nature opened, stay
    for nature in ("By the Smith Trust (Family)", "By Trust of his son"):
        record = _read(f"Common Stock 03/02/2021 S 1,000 D $10.50(1) 9,000 I {nature}\n")
        assert record["non_derivative_transactions"][0]["nature_of_ownership"] == nature


def test_a_title_ocr_read_in_part_is_the_filing_s_one_title_that_holds_its_words() -> None:
    row = "{title} 03/0{day}/2021 S 500 D $10.50(1) {owned} D\n"
    rows = "".join(row.format(title=t, day=d, owned=o) for t, d, o in (
        ("Class A Common Stock", 2, "9,500"), ("Class", 3, "9,000"), ("Class A common stock", 4, "8,500"),
        ("Common", 5, "8,000")))
    titles = [r["security_title"] for r in _read(rows)["non_derivative_transactions"]]
    assert titles == ["Class A Common Stock"] * 4
    # two titles both hold "Common": it is left as read, and flagged
    two = rows.replace("Class 03/03", "Class B Common Stock 03/03")
    record = _read(two)
    assert [r["security_title"] for r in record["non_derivative_transactions"]][1:] == [
        "Class B Common Stock", "Class A Common Stock", "Common"]
    assert flagged(record, "non_derivative_transactions[3].security_title")


def test_a_top_aligned_title_s_lines_under_its_values_stay_with_its_row_and_part_from_its_nature() -> None:
    # "Class A" on the values' line, "Common" and "Stock" under it; the nature wraps beside them
    rows = ("Class A 03/02/2021 S 500 D $10.50(1) 9,500 D\nCommon\nStock\n"
            "Class A 1,862 I Sequoia Capital U.S.\nCommon Growth Fund IV, L.P.\nStock\n"
            "Class A 77 I Sequoia Capital USGF\nCommon Principals Fund IV, L.P.?\nStock\n"
            "Class A 684,741 I By the spouse as trustee\nCommon of the Family Trust dated June 1,\nStock 2009\n")
    record = _read(rows)
    assert record["non_derivative_transactions"][0]["security_title"] == "Class A Common Stock"
    assert [(r["security_title"], r["shares_owned_following"], r["nature_of_ownership"])
            for r in record["non_derivative_holdings"]] == [
        ("Class A Common Stock", 1862, "Sequoia Capital U.S. Growth Fund IV, L.P."),
        ("Class A Common Stock", 77, "Sequoia Capital USGF Principals Fund IV, L.P."),
        ("Class A Common Stock", 684741, "By the spouse as trustee of the Family Trust dated June 1, 2009")]
    # the "?" was the second nature's raised mark: the mark is in doubt, not invented
    assert flagged(record, "non_derivative_holdings[1].footnotes.nature_of_ownership")


def test_a_date_opening_a_line_after_a_whole_dated_row_begins_the_next_row_though_its_i_was_lost() -> None:
    # the I of both indirect rows lost; the second row's title wraps around its values' line
    rows = ("Common\nStock 03/02/2021 S 1,000 D $10.50(1) 9,000 by Trust\n"
            "Common\n03/03/2021 S 500 D $10.60(1) 8,500 by Trust\n\nStock\n")
    record = _read(rows)
    assert [(r["security_title"], r["shares"], r["shares_owned_following"], r["nature_of_ownership"])
            for r in record["non_derivative_transactions"]] == [
        ("Common Stock", 1000, 9000, "by Trust"), ("Common Stock", 500, 8500, "by Trust")]


def test_a_state_ocr_read_in_small_letters_between_city_and_zip_is_the_state() -> None:
    record = _read(_rows((2, "1,000", "10.50", "9,000", "D")), head=HEAD.replace("SPRINGFIELD IL 62701",
                                                                                 "DENVER co 80202"))
    owner = record["reporting_owners"][0]
    assert (owner["city"], owner["state"], owner["zip"]) == ("DENVER", "CO", "80202")
    assert flagged(record, "reporting_owners[0].state") and not flagged(record, "reporting_owners[0].zip")


def test_labels_ocr_read_into_the_issuer_s_line_are_not_its_name() -> None:
    for before in ("5. Relationship Reporting Person(s) Issuer", "(Month/Day/Year)"):
        head = HEAD.replace("ACME WIDGETS INC [ ACME ]", f"{before} ACME WIDGETS INC [ ACME ]")
        record = _read(_rows((2, "1,000", "10.50", "9,000", "D")), head=head)
        assert record["issuer"]["name"] == "ACME WIDGETS INC", before


def test_roman_numerals_ocr_read_with_small_ls_are_capitals_again() -> None:
    held = 'Held by The Fund Ill, LP ("FF-Il"), FF-l and Fund Iv; Illinois is ill.'
    notes = NOTES.replace("Held by a trust.", held)
    record = _read(_rows((2, "1,000", "10.50", "9,000", "D")), notes=notes)
    assert record["footnotes"][1]["text"] == 'Held by The Fund III, LP ("FF-II"), FF-I and Fund IV; Illinois is ill.'


def test_a_value_whose_raised_mark_ocr_garbled_is_sure_and_its_mark_is_not() -> None:
    # the value ends where the mark's bracket begins; the mark's number is what was lost
    record = _read("Common Stock 03/02/2021 S 1,000 D $10.50(?) 9,000 D\n"
                   "Common Stock 03/03/2021 S 500 D $10.60(1) 8,500 D\n")
    row = record["non_derivative_transactions"][0]
    assert row["price_per_share"] == 10.5 and not flagged(record, "non_derivative_transactions[0].price_per_share")
    assert flagged(record, "non_derivative_transactions[0].footnotes.price_per_share")


def test_text_with_a_raised_mark_ocr_garbled_is_read_as_ocr_though_it_shows_no_rule_marks() -> None:
    # no text layer prints "9,000°": read as OCR, what OCR loses without a trace is flagged
    headings = OCR_HEADINGS.replace(" | ", " ")
    text = HEAD + TABLE_ONE + headings + "{row}" + TABLE_TWO + EXPLANATION + NOTES + SIGNED
    for owned, ocr in (("9,000", False), ("9,000\u00b0", True)):
        row = f"Common Stock 03/02/2021 S 1,000 D $10.50 {owned} D\n"
        record = form4.read(text.format(row=row).encode()).to_dict()
        assert record["non_derivative_transactions"][0]["shares_owned_following"] == 9000
        assert flagged(record, "non_derivative_transactions[1].shares") is ocr
