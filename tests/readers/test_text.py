"""The text reader on the seed and on every text extraction of the corpus."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import form4
from form4.compare import flagged, leaves, lookup, same
from form4.model import ReportingOwner
from form4.readers.text import header, read_text, spelling, stream, titles
from form4.readers.text.lines import Page, page_of, tidy
from form4.readers.text.tokens import classify, parse_number, tokens_of
from tests.conftest import CORPUS, SHARED

SEED = SHARED / "seeds" / "000_47b33eeacef7bd42.txt"
TEXT = CORPUS / "text"


def accuracy(cls: str) -> tuple[float, float]:
    """Share of expected fields read exactly, and share of the wrong ones the record flagged."""
    checked = exact = wrong_flagged = 0
    for path in sorted(TEXT.glob(f"*.{cls}.txt")):
        truth = json.loads((CORPUS / "expected-visible" / f"{path.name.split('.')[0]}.json").read_text())
        got = form4.read(path).to_dict()
        for field, value in leaves(truth):
            checked += 1
            found, actual = lookup(got, field)
            if found and same(value, actual):
                exact += 1
            else:
                wrong_flagged += flagged(got, field)
    wrong = checked - exact
    return exact / checked, (wrong_flagged / wrong if wrong else 1.0)


def test_seed_reads_exactly() -> None:
    filing = form4.read(SEED)
    truth = json.loads(SEED.with_name(SEED.stem + ".expected.json").read_text())
    got = filing.to_dict()
    assert [f for f, v in leaves(truth) if not same(v, lookup(got, f)[1])] == []
    assert filing.source == "text"


def test_seed_code_is_inferred_with_a_warning() -> None:
    filing = form4.read(SEED)
    row = filing.non_derivative_transactions[0]
    assert row.transaction_code == "F"
    path = "non_derivative_transactions[0].transaction_code"
    assert any(w.field == path and "inferred" in w.message for w in filing.warnings)
    assert filing.confidence[path] < 0.9
    assert row.footnotes == {"shares": ["F1"]}


# Floors a little under what the reader does today, so a regression fails the build.
@pytest.mark.parametrize(("cls", "floor"), [("layout", 0.995), ("raw", 0.995), ("ocr300", 0.975),
                                            ("ocr200", 0.965), ("cells", 0.965)])
def test_class_accuracy(cls: str, floor: float) -> None:
    exact, _ = accuracy(cls)
    assert exact >= floor


@pytest.mark.parametrize("path", sorted(TEXT.glob("*.txt")), ids=lambda p: p.name)
def test_every_extraction_reads(path: Path) -> None:
    filing = form4.read(path)
    assert filing.source == "text" and filing.form_type in {"3", "4", "5"}
    if path.name.split(".")[1] in ("layout", "raw"):  # OCR may lose whole boxes; those are warned about
        assert filing.reporting_owners and filing.signatures
    elif not filing.reporting_owners:
        assert any(w.field == "reporting_owners" for w in filing.warnings)


def test_text_without_a_form_is_refused() -> None:
    with pytest.raises(form4.ReadError, match="no Form 3, 4 or 5"):
        read_text(b"Dear shareholder,\nthe annual meeting will be held on 05/01/2024.\n", "letter.txt")


def test_unreadable_value_is_null_with_a_warning() -> None:
    text = SEED.read_text().replace("06/17/2014", "O6/l7/2O1X")
    filing = read_text(text.encode(), "damaged.txt")
    assert filing.period_of_report is None
    assert any(w.field == "period_of_report" for w in filing.warnings)


def test_torn_words_are_mended() -> None:
    page = page_of("Tabl\te I - Nor\tn-Deriva\tative Securities\n" * 12 + "CHA\tNGES 47,\t458 belov\tvP, Global")
    assert page.torn and page.ocr
    assert page.lines[0].text.startswith("Table I - Norn-Derivative")
    assert page.lines[-1].text == "CHANGES 47,458 belov vP, Global"


def test_ocr_rule_marks_are_dropped() -> None:
    assert tidy("| 374Water Inc. [ SCWO ] |") == "374Water Inc. [ SCWO ]"
    assert tidy("A | $0 757,756 | D_") == "A $0 757,756 D_"
    assert tidy("Exhibit 24 - Power of Attorney") == "Exhibit 24 - Power of Attorney"


def test_tokens_keep_marks_and_kinds() -> None:
    kinds = [(t.kind, t.value, t.marks) for t in tokens_of("757,756(1) A $0 (2)(3) 2,584 (1) 04/30/2025")]
    assert kinds == [("number", 757756.0, ["F1"]), ("letter", "A", []), ("number", 0.0, ["F2", "F3"]),
                     ("number", 2584.0, ["F1"]), ("date", kinds[4][1], [])]
    assert classify("Stock(2)(3)").marks == ["F2", "F3"]


def test_ocr_digits_are_repaired_and_doubted() -> None:
    assert parse_number("1,2O4") == (1204.0, True)
    assert parse_number("$3.52") == (3.52, False)
    assert parse_number("757,7569")[1] is True  # a footnote mark read as a digit breaks the grouping


def test_wrong_fields_are_mostly_flagged_on_clean_text() -> None:
    # the OCR classes' flags are held to the lossy test set's (tests/readers/test_lossy_set.py)
    exact, flagged_share = accuracy("raw")
    assert exact >= 0.99 and flagged_share >= 0.7


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaged_text_never_crashes(data: st.DataObject) -> None:
    """Cut, repeat or garble any part of an extraction: the reader reads or raises ReadError."""
    source = data.draw(st.sampled_from([SEED, *sorted(TEXT.glob("dev11-0000[0-4].*.txt"))]))
    text = source.read_text()
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 400)))
    junk = data.draw(st.text(max_size=40))
    mutated = text[:start] + junk + text[end:]
    with contextlib.suppress(form4.ReadError):
        read_text(mutated.encode(), "mutated.txt")


# OCR repairs that lean on what titles, names and English look like

@pytest.mark.parametrize(("read", "mended"), [
    ("Restricted C Stock Units toc", "Restricted Stock Units"),  # underlying column's letters in the title
    ("Series B porventible Preferred Stock", "Series B Convertible Preferred Stock"),
    ("Common Stock, par value $0.01 per >P share", "Common Stock, par value $0.01 per share"),
    ("Class A Common Stock", "Class A Common Stock"),  # a class letter stays
    ("common Stock, par value $0.01 per 9s", "Common Stock, par value $0.01 per"),  # a speck with a digit goes
    ("5% Convertible Notes", "5% Convertible Notes"),
    ("Series B Convertible Preferred Stock Stock", "Series B Convertible Preferred Stock"),  # a word read twice
    ("Employee A Stock Option", "Employee Stock Option"),  # a capital A names a class only after "Class"
])
def test_title_noise_is_dropped_and_slips_mended(read: str, mended: str) -> None:
    assert titles.clean(read)[0] == mended


def test_garbled_underlying_is_the_named_security_it_resembles() -> None:
    named = ["Class A Common Stock", "Common Stock"]
    assert titles.underlying("crock", named)[0] == "Common Stock"
    assert titles.underlying("Class A Common Stock", named) == ("Class A Common Stock", 1.0)
    assert titles.underlying("Stock", named)[1] < 1.0


@pytest.mark.parametrize(("left", "right", "verdict"), [
    ("Tabl", "e", "join"), ("CHA", "NGES", "join"), ("equal", "ly", "join"),
    ("Deriva", "ative", "repeat"), ("shares", "were", "apart"), ("xq", "zv", None),
])
def test_dictionary_mends_torn_words(left: str, right: str, verdict: str | None) -> None:
    assert spelling.tear(left, right) == verdict


def test_cell_borders_between_words_keep_them_apart() -> None:
    page = page_of("SEC Form 4\n" + "These\tshares\twere sold\tin Tabl\te form\n" * 30)
    assert page.torn
    assert page.lines[1].text == "These shares were sold in Table form"


@pytest.mark.parametrize(("line", "owner"), [
    ("Smith Hiroshi A. ORION SEMICONDUCTOR LTD [ ORI ]", "Smith Hiroshi A."),
    ("Granite Peak Holdings LLC ATLAS MINING CORP /NV/[ ATL ]", "Granite Peak Holdings LLC"),
    ("GARRETT MARK SNOWFLAKE INC. [ SNOW ]", None),  # one case throughout: cannot tell
])
def test_owner_parted_from_issuer_on_one_line(line: str, owner: str | None) -> None:
    assert header._owner_before_issuer(line, []) == owner


def test_signer_parts_owner_from_issuer_first() -> None:
    assert header._owner_before_issuer("Silva Hiroshi A STARLIGHT MEDIA &", ["Silva Hiroshi A."]) == "Silva Hiroshi A."


def test_mangled_date_keeps_its_column() -> None:
    tok = classify("g/9q/a995")
    assert (tok.kind, tok.value, tok.doubtful) == ("date", None, True)
    assert classify("1/2").kind == "text"  # an eighth of a dollar is not a date


def test_orphan_footnote_is_placed_by_its_wording() -> None:
    from form4.model import Filing, Footnote, NonDerivativeTransaction
    from form4.readers.text import orphans
    from form4.readers.text.evidence import Evidence

    filing = Filing(
        non_derivative_transactions=[
            NonDerivativeTransaction(transaction_code="S", price_per_share=87.35),
            NonDerivativeTransaction(transaction_code="S", price_per_share=181.93),
            NonDerivativeTransaction(transaction_code="F", shares=100),
        ],
        footnotes=[
            Footnote(id="F1", text="The price reported is a weighted average price. These shares were sold at prices "
                                   "ranging from $86.95 to $87.75, inclusive."),
            Footnote(id="F2", text="Shares withheld by the issuer to satisfy tax withholding obligations."),
        ])
    ev = Evidence()
    orphans.place(filing, ev)
    rows = filing.non_derivative_transactions
    assert rows[0].footnotes == {"price_per_share": ["F1"]}  # the price in the note's range
    assert rows[1].footnotes == {}
    assert rows[2].footnotes == {"shares": ["F2"]}
    assert any("placed" in w.message for w in ev.warnings)


def test_mangled_date_taken_from_the_forms_dates() -> None:
    text = SEED.read_text()
    assert "\t06/17/2014" in text
    filing = form4.read_bytes(text.replace("\t06/17/2014", "\to6/l7/2ol4", 1).encode())
    path = "non_derivative_transactions[0].transaction_date"
    assert str(filing.non_derivative_transactions[0].transaction_date) == "2014-06-17"
    assert filing.confidence[path] < 0.9
    assert any(w.field == path and "resembles" in w.message for w in filing.warnings)


@pytest.mark.parametrize(("torn", "mended"), [
    ("$163.4\t3", "$163.43"),  # an amount a border tore
    ("12/1\t2/2024", "12/12/2024"),  # a date
    ("$0\t373,792", "$0 373,792"),  # two amounts in two cells
    ("IL\t9\t94402", "IL 94402"),  # the digit under the border, read in both cells
    ("$13.2\t2", "$13.22"),  # unless only both digits make a price with its cents
    ("358,70\t0", "358,700"),  # or an amount grouped by threes
    ("7/21/1\t1", "7/21/11"),  # or a date
    ("ST., 3\t8TH FLOOR", "ST., 38TH FLOOR"),  # a floor's number
    ("ST.,\t38\t8TH FLOOR", "ST., 38TH FLOOR"),  # a comma after a word keeps the number apart
    ("SUITE\t400\t03/18/\t2023", "SUITE 400 03/18/2023"),  # a number, then a date
    ("$41.1\t8\t3\t29,688", "$41.18 329,688"),  # a digit or two in a cell of their own begin the next
])
def test_digits_either_side_of_a_cell_border(torn: str, mended: str) -> None:
    page = page_of("SEC Form 4\n" + f"Common Stock {torn} D\n" * 30)
    assert page.lines[1].text == f"Common Stock {mended} D"


@pytest.mark.parametrize(("torn", "mended"), [
    ("Clas\ts\tA\tCommon Stock", "Class A Common Stock"),  # a one-letter cell: the word first, then across
    ("par value $0.\t.01 per share", "par value $0.01 per share"),  # a point read in both cells
    ("par value $\t$0.01 per share", "par value $0.01 per share"),
    ("par value $0.\t01 per share", "par value $0.01 per share"),
])
def test_marks_and_fragments_either_side_of_a_cell_border(torn: str, mended: str) -> None:
    page = page_of("SEC Form 4\n" + f"{torn} 05/30/2005 A 100 D\n" * 30)
    assert page.lines[1].text == f"{mended} 05/30/2005 A 100 D"


# the owner's boxes as cell-split OCR reads them: across the form's row, the officer title
# spread over the rows of the street and the date box, the state run into the city
_ACROSS = """1. Name and Address of Reporting Person* 2. Issuer Name and Ticker or Trading Symbol 5. Relationship
ACME CORP [ ACME ] (Check all applicable)
Doe Jane Q
Director 10% Owner
Officer (give title Other (specify
xX
(Last) (First) (Middle)
below) below)
EVP,
100 MAIN STREET, SUITE 200 3. Date of Earliest Transaction (Month/Day/Year)
09/18/2008\t\tGeneral
Counsel &
(Sree)\t\tSecretary
CHICAGOIL 60606
4. If Amendment, Date of Original Filed (Month/Day/Year) 6. Individual or Joint/Group Filing (Check Applicable
(City) (State) (Zip)
"""


def first_owner(page: Page) -> ReportingOwner:
    """The first reporting owner of a page that is only the form's head."""
    from form4.readers.text.evidence import Evidence

    return header.owners(page, len(page.lines), len(page.lines), Evidence(), [])[0]


def test_owner_boxes_read_across_a_row() -> None:
    owner = first_owner(page_of("SEC Form 4\nFORM 4\n" + _ACROSS))
    assert owner.officer_title == "EVP, General Counsel & Secretary"
    assert owner.street1 == "100 MAIN STREET, SUITE 200"
    assert (owner.city, owner.state, owner.zip) == ("CHICAGO", "IL", "60606")
    assert owner.is_officer and not owner.is_director  # "xX": a tick OCR read twice


def test_empty_cell_inside_a_sentence_is_a_space() -> None:
    page = page_of("SEC Form 4\n" + "1. N\tame\t\tand Addr\tess of Repor\tting Person\t\t2. Issuer\n" * 30)
    assert page.lines[1].text.startswith("1. Name and Address of Reporting Person")
    assert len(page.lines[1].chunks) == 2  # the empty cell before "2." still parts two boxes


@pytest.mark.parametrize(("torn", "mended"), [
    ("Trust,\tof which", "Trust, of which"),  # a comma ends a word
    ("is trustee\t.", "is trustee."),  # punctuation joins the word before it
    ("the Company\t's plan", "the Company's plan"),
    ("a Rule 10b5-\t1 plan", "a Rule 10b5-1 plan"),
    ("represents\ta contingent", "represents a contingent"),  # a one-letter word
    ("Trust FBO\tBrittany", "Trust FBO Brittany"),  # capitals, then a capitalised word
    ("instal\tlments\tbeginning", "installments beginning"),  # a word torn twice, then the next
    ("Person's\timmed\tiate family", "Person's immediate family"),
    ("$379.05 300,177 I\towt", "$379.05 300,177 I owt"),  # a D/I after an amount is a value of its own
    ("Director\tx 10% Owner", "Director x 10% Owner"),  # a tick
    ("ATLAS MINING CO\tORP\t/\tNV/ [ AT ]", "ATLAS MINING CORP /NV/ [ AT ]"),  # a company's state
    ("incorporated <b\t>exhibit</b>.", "incorporated <b>exhibit</b>."),  # markup a filer left in a remark
])
def test_words_and_punctuation_either_side_of_a_cell_border(torn: str, mended: str) -> None:
    page = page_of("SEC Form 4\n" + f"{torn} 05/30/2005\n" * 30)
    assert page.lines[1].text == f"{mended} 05/30/2005"


def test_issuer_name_wrapped_above_its_bracket() -> None:
    assert header._capitals_ending("Johnson David J STARLIGHT MEDIA &") == "STARLIGHT MEDIA &"
    assert header._without_specks("RED CEDAR HOLDINGS (Cheek al appicable) oo") == "RED CEDAR HOLDINGS"
    assert header._without_specks("eBay Inc.") == "eBay Inc."  # a name in mixed case keeps its words


def test_ocr_letter_for_a_zero_price() -> None:
    tok = classify("$o")
    assert (tok.kind, tok.value, tok.dollar, tok.doubtful) == ("number", 0.0, True, True)


def test_mark_raised_above_an_indirect_row_is_its_natures() -> None:

    row = "Stock Option (Right to Buy) (5) 04/14/2028 Class B Common Stock 95,898 $3.74 I Trust"
    page = page_of(f"{row}\ni i (6)\n{row}\n")
    pieces = stream.stream_pieces(page.lines, ocr=True)
    assert [[t.marks for t in p.nature] for p in pieces] == [[], [["F6"]]]


def test_holdings_that_lost_their_ownership_mark_stay_apart() -> None:

    page = page_of("Class B Common Stock 235,371\nClass B Common Stock 232,479\n")
    pieces = stream.stream_pieces(page.lines, ocr=True)
    assert [[t.text for t in p.data] for p in pieces] == [["235,371"], ["232,479"]]


def test_nature_begun_above_its_row() -> None:

    page = page_of("(1) By\nCommon Stock 08/19/2004 A 17,188 A 2) 129,988 I Trust\nSee\n"
                   "Class B Common Stock 438,526 I\nfootnote\n")
    first, second = stream.stream_pieces(page.lines, ocr=True)
    assert [t.text for t in first.lead] == ["By"] and [t.text for t in first.title] == ["Common", "Stock"]
    assert [t.text for t in second.lead] == ["See"] and [t.text for t in second.nature] == ["footnote"]
    assert classify("2)").marks == ["F2"]  # a mark that lost its "("


def test_speck_after_a_par_value_stays_in_the_title() -> None:

    page = page_of("Common Stock, par value $0.01 P per\n06/25/2004 A 14,134 A $0 427,312 D\nshare\n")
    (piece,) = stream.stream_pieces(page.lines, ocr=True)
    assert [t.text for t in piece.title][:6] == ["Common", "Stock,", "par", "value", "$0.01", "P"]
    assert piece.data[0].kind == "date"


def test_underlying_cells_read_a_line_above_go_back_in_column_order() -> None:
    from form4.readers.text import tables

    data = tokens_of("$9.25 Common 5,362 $o 10/13/2008 M 379 03/08/2006 03/06/2015 46,194 D", ocr=True)
    assert [t.text for t in tables._lowered(data)] == [
        "$9.25", "10/13/2008", "M", "379", "03/08/2006", "03/06/2015", "Common", "5,362", "$o", "46,194", "D"]


def test_values_ocr_ran_together_are_parted() -> None:
    toks = tokens_of("$043,836 11/10/201811/08/2027", ocr=True)
    assert [(t.kind, t.value) for t in toks][:2] == [("number", 0.0), ("number", 43836.0)]
    assert [t.kind for t in toks[2:]] == ["date", "date"]


def test_exercise_date_read_a_line_above_goes_after_the_amount() -> None:
    from form4.readers.text import tables

    data = tokens_of("10/01/2021 $186.17 08/05/2023 A 13,112 09/29/2030 15,546 $0 43,836 D", ocr=True)
    assert [t.text for t in tables._lowered(data)][:6] == [
        "$186.17", "08/05/2023", "A", "13,112", "10/01/2021", "09/29/2030"]


def test_date_mangled_past_recognising_keeps_the_columns() -> None:
    from form4.readers.text import tables

    data = tables._undated(tokens_of("9. og 905 S 6,823 D $108.8157 386,548 D", ocr=True))
    assert [(t.kind, t.text) for t in data[:4]] == [("text", "9."), ("text", "og"), ("date", "905"), ("letter", "S")]
    assert data[2].doubtful and data[2].value is None


def test_mark_read_as_a_fifth_decimal() -> None:
    tok = classify("$87.35062")
    assert (tok.value, tok.marks, tok.doubtful) == (87.3506, ["F2"], True)


def test_signature_dated_above_and_wrapped_below() -> None:
    from form4.readers.text import notes
    from form4.readers.text.evidence import Evidence

    page = page_of("Remarks:\n\n03/11/2022\n\n/s/ Travis Shrout,\n\n09/15/2020\n\nAttorney-in-Fact\n\n"
                   "ec: Signature of Reporting Person Date\n")
    (sig,), _, _ = notes.signatures(page, 0, Evidence())
    assert sig.name == "/s/ Travis Shrout, Attorney-in-Fact"  # the "**" lost, the name wrapped round its date
    assert str(sig.date) == "2020-09-15"


def test_form3_owner_boxes_read_across() -> None:
    text = ("FORM 3\n1. Name and Address of Reporting Person* 2. Date of Event 3. Issuer Name and Ticker\n"
            "Requiring Statement Snowflake Inc. [ SNOW ]\nGARRETT MARK (Month/Day/Year)\n"
            "09/15/2020 4. Relationship of Reporting Person(s) to Issuer 5. If Amendment, Date of Original\n"
            "Issuer Filed (Month/Day/Year)\n(Last) (First) (Middle) (Check all applicable)\n"
            "C/O SNOWFLAKE INC. X__ Director 10% Owner\n450 CONCAR DRIVE\n(Street)\n"
            "SAN   (Check Applicable Line)\nCA 94402\nMATEO   Form filed by One Reporting Person\n"
            "(City) (State) (Zip)\n")
    page = page_of(text)
    owner = first_owner(page)
    assert (owner.name, owner.city, owner.is_director) == ("GARRETT MARK", "SAN MATEO", True)
    assert str(header.date_after(page, header.U.EARLIEST, len(page.lines), across=True)) == "2020-09-15"


def test_prices_read_a_line_above_their_row_stay_in_it() -> None:
    from form4.readers.text import tables

    page = page_of("Employee\n$241.1 C $0\nStock 12/12/2024 A 20,514 10/07/2024 10/05/2033 10,997 29,639 D\nOption\n")
    (piece,) = stream.stream_pieces(page.lines, ocr=True)
    assert [t.text for t in piece.title] == ["Employee", "Stock", "Option"]
    assert [t.text for t in tables._lowered(piece.data)][:3] == ["$241.1", "12/12/2024", "A"]
    assert [t.kind for t in tokens_of("10/05/202136,397", ocr=True)] == ["date", "number"]


def test_year_cut_in_two_and_a_lifted_superscript() -> None:
    from form4.readers.text import tables

    assert [t.text for t in tokens_of("M 21,603 09/19/20 19) 09/16/2028", ocr=True)][2] == "09/19/2019"
    row = "10/01/2021 2 $186.17 08/05/2023 A 13,112 09/29/2030 15,546 $0 43,836 D"
    data = tables._lowered(tokens_of(row, ocr=True))
    assert data[4].text == "10/01/2021" and data[4].marks == ["F2"] and "2" not in [t.text for t in data]


def test_grouped_amount_is_never_a_title_word() -> None:

    page = page_of("Series E Preferred Stock a o) 134,018 @ I .\nStock?) Partnership\n")
    (piece,) = stream.stream_pieces(page.lines, ocr=True)
    assert [t.text for t in piece.data if t.kind == "number"] == ["134,018"] and piece.nature_open


def test_address_of_a_box_read_column_by_column() -> None:
    text = ("FORM 4\nEstimated average burden\n(Last)\n(Street)\n(City)\nMORRISVILLE\n"
            "1. Name and Address of Reporting Person*\nMelkote Rajesh Ramaswamy\n(First)\nC/O 374 WATER INC.\n"
            "100 SOUTHCENTER COURT, SUITE 200\nNC\n(State)\n(Middle)\n27560\n(Zip)\n"
            "2. Issuer Name and Ticker or Trading Symbol\n374Water Inc. [ SCWO ]\n")
    owner = first_owner(page_of(text))
    assert (owner.street1, owner.street2) == ("C/O 374 WATER INC.", "100 SOUTHCENTER COURT, SUITE 200")
    assert (owner.city, owner.state, owner.zip) == ("MORRISVILLE", "NC", "27560")


def test_street_above_its_caption_and_zip_below_the_city_captions() -> None:
    text = ("FORM 4\n1. Name and Address of Reporting Person*\n500 W. MADISON ST., 38TH FLOOR\n"
            "2. Issuer Name and Ticker or Trading Symbol\nJohnson David J ACME CORP [ ACME ]\n"
            "(Last) (First) (Middle)\nSUITE 400\n(Street)\nSecretar WESTFORD MA\n(City) (State)\n(Middle)\n01886\n")
    owner = first_owner(page_of(text))
    assert (owner.street1, owner.street2) == ("500 W. MADISON ST., 38TH FLOOR", "SUITE 400")
    assert (owner.city, owner.state, owner.zip) == ("WESTFORD", "MA", "01886")


def test_titles_ended_where_ocr_lost_a_wrapped_line() -> None:
    from form4.model import DerivativeTransaction, Filing, NonDerivativeTransaction
    from form4.readers.text.evidence import Evidence

    filing = Filing(non_derivative_transactions=[NonDerivativeTransaction(
        security_title="common Stock, par value $0.01 per")],
        derivative_transactions=[DerivativeTransaction(security_title="Series B Convertible Stock")])
    ev = Evidence()
    titles.settle(filing, ev)
    assert filing.non_derivative_transactions[0].security_title == "Common Stock, par value $0.01 per share"
    assert filing.derivative_transactions[0].security_title == "Series B Convertible Preferred Stock"
    assert {w.field for w in ev.warnings} >= {"non_derivative_transactions[0].security_title",
                                               "derivative_transactions[0].security_title"}


def test_mark_worded_for_another_field_is_a_misread_number() -> None:
    from form4.model import DerivativeHolding, Filing, Footnote
    from form4.readers.text import orphans
    from form4.readers.text.evidence import Evidence

    filing = Filing(
        derivative_holdings=[DerivativeHolding(direct_or_indirect="I", footnotes={"exercise_date": ["F6"]})],
        footnotes=[Footnote(id="F5", text="The shares subject to the option are immediately exercisable."),
                   Footnote(id="F6", text="The option is held by the Mark Garrett 2011 Irrevocable Trust.")])
    orphans.place(filing, Evidence())
    assert filing.derivative_holdings[0].footnotes["exercise_date"] == ["F5"]


def test_signature_specks_mended() -> None:
    from form4.readers.text import notes
    from form4.readers.text.evidence import Evidence

    page = page_of("R Rossi Olusegun Lee\n\n08/07/2023\n\n** Signature of Reporting Person Date\n\n"
                   "(s/ Travis Shrout, Attorney-in- HE\n\nFact\n\n** Signature of Reporting Person Date\n")
    first, second = notes.signatures(page, 0, Evidence())[0]
    assert first.name == "Rossi Olusegun Lee" and second.name == "/s/ Travis Shrout, Attorney-in-Fact"


def test_side_of_a_code_that_fixes_none_is_taken_as_acquired_with_a_warning() -> None:
    filing = form4.read(TEXT / "dev11-00002.ocr300.txt")
    rows = [(i, r) for i, r in enumerate(filing.derivative_transactions) if r.transaction_code == "J"]
    assert rows and all(r.acquired_disposed == "A" for _, r in rows)
    for i, _ in rows:
        field = f"derivative_transactions[{i}].acquired_disposed"
        assert filing.confidence[field] < 0.9
        assert any(w.field == field and "does not fix it" in w.message for w in filing.warnings)


def test_nature_opener_read_among_the_heading_lines_starts_the_first_row() -> None:
    from form4.readers.text import tables

    text = ("Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned\n"
            "Code |V Amount (D) Price Transaction(s)\nBy\n(D) (Instr. 3 and 4)\n"
            "Class A Common Stock 03/18/2023 P 10,388 A $216.76 298,160 I\nTrust\n"
            "Explanation of Responses:\n| | | | |\n")
    page = page_of(text)
    stop = next(ln.number for ln in page.lines if ln.text.startswith("Explanation"))
    header_lines, rows = tables.body(page, 0, stop)
    (piece,) = stream.stream_pieces(rows, ocr=True)
    assert [t.text for t in piece.lead] == ["By"] and [t.text for t in piece.nature] == ["Trust"]
    assert all("By" not in ln.text.split() for ln in header_lines)


def test_umlaut_read_as_two_is() -> None:
    page = page_of("Miiller Hiroshi | | | | | |\nShares held by the Miiller Family Trust, skiing\n")
    assert page.lines[0].text.startswith("M\u00fcller Hiroshi")
    assert "M\u00fcller Family Trust, skiing" in page.lines[1].text


def test_mark_after_the_amount_is_the_blank_date_exercisables() -> None:
    text = (TEXT / "dev11-00015.ocr300.txt").read_text()
    filing = read_text(text.encode())
    row = filing.derivative_transactions[2]
    assert row.exercise_date is None and row.footnotes.get("exercise_date") == ["F2"]
    assert "shares" not in row.footnotes


def test_thousands_comma_read_as_a_space() -> None:
    toks = tokens_of("J 10,510 ommon } 44 559 47,458 D", ocr=True)
    assert [t.value for t in toks if t.kind == "number"] == [10510.0, 44559.0, 47458.0]
    assert toks[4].doubtful and toks[4].text == "44,559"
    assert [t.value for t in tokens_of("S 5 100 D", ocr=True) if t.kind == "number"] == [5.0, 100.0]


def test_line_opening_a_title_below_a_whole_one_is_the_next_rows() -> None:
    page = page_of("Restricted Common\nStock Units $236.01 08/05/2023 M 21,603 09/16/2028 Stock 17,914 $0 78,130 D\n"
                   "Stock\nOption Common\n(Right to $282.6 08/05/2023 M 36,046 09/17/2029 Stock 19,323 $0 87,428 D\n"
                   "Buy)\n")
    first, second = stream.stream_pieces(page.lines, ocr=True)
    assert [t.text for t in first.title] == ["Restricted", "Common", "Stock", "Units"]
    assert [t.text for t in second.title] == ["Stock", "Option", "Common", "(Right", "to", "Buy)"]


def test_street_and_its_kind_run_together_are_parted() -> None:
    from form4.readers.text.address import _unglued
    from form4.readers.text.evidence import Evidence

    ev = Evidence()
    assert _unglued("2200 PENNSYLVANIAAVE NW", "street1", ev) == "2200 PENNSYLVANIA AVE NW"
    assert ev.confidence["street1"] < 0.9
    assert _unglued("1 FIRST ST", "street1", ev) == "1 FIRST ST"


@pytest.mark.parametrize(("name", "row"), [("dev11-00014.ocr300.txt", 0), ("dev11-00017.ocr300.txt", 0)])
def test_code_ocr_garbled_on_a_free_disposal_is_a_gift(name: str, row: int) -> None:
    # "fen" and "re)" are what OCR made of "G(1)": the code and its mark
    filing = form4.read(TEXT / name)
    trade = filing.non_derivative_transactions[row]
    assert (trade.transaction_code, trade.price_per_share, trade.acquired_disposed) == ("G", 0.0, "D")
    assert filing.confidence[f"non_derivative_transactions[{row}].transaction_code"] < 0.9
    gift = next(n.id for n in filing.footnotes if "gift" in n.text)
    assert trade.footnotes.get("transaction_code") == [gift]  # the orphaned gift note is placed back


def test_transfer_for_no_consideration_is_worded_as_a_gift() -> None:
    filing = form4.read(TEXT / "form5-snow.ocr300.txt")
    assert filing.non_derivative_transactions[0].footnotes.get("transaction_code") == ["F1"]


def test_mangled_dates_fall_between_their_neighbours() -> None:
    # "9s 98/2005" between rows of 05/28 and 05/29, "4< 9/9995" between two of 05/30
    rows = form4.read(TEXT / "dev11-00000.ocr300.txt").non_derivative_transactions
    assert [str(rows[i].transaction_date) for i in (3, 4, 5, 9, 10, 11)] == [
        "2005-05-28", "2005-05-28", "2005-05-29", "2005-05-30", "2005-05-30", "2005-05-30"]


@pytest.mark.parametrize(("name", "ticker"), [
    ("dev11-00016.ocr200.txt", "HEL"),  # "[" at a line's end, "HEL ]" first on the next
    ("dev11-00000.ocr200.txt", "NO"),  # "[_" over "-a-ew No ]"
    ("dev11-00011.cells.txt", "NOR"),  # brackets round "eevee": the ticker on a line of its own below
    ("dev11-00016.cells.txt", "HEL"),
    ("form5-snow.ocr200.txt", "SNOW"),  # "sSNow"
])
def test_ticker_ocr_set_away_from_its_brackets(name: str, ticker: str) -> None:
    filing = form4.read(TEXT / name)
    assert filing.issuer.trading_symbol == ticker
    assert filing.confidence.get("issuer.trading_symbol", 1.0) < 0.9 or any(
        w.field.startswith("issuer") for w in filing.warnings)


def test_title_garbled_in_one_word_is_another_rows() -> None:
    rows = form4.read(TEXT / "dev11-00000.ocr300.txt").non_derivative_transactions
    assert rows[4].security_title == "Common Stock, par value $0.01 per share"  # OCR: "sonmen Stock, par value ..."


def test_letter_between_the_two_dates_is_a_misread_mark() -> None:
    filing = form4.read(TEXT / "dev11-00009.ocr300.txt")  # "11/11/2021 J 11/09/2030"
    row = filing.derivative_transactions[0]
    assert (str(row.exercise_date), str(row.expiration_date)) == ("2021-11-11", "2030-11-09")
    assert filing.confidence["derivative_transactions[0].footnotes"] < 0.9


def test_signature_suffix_below_its_caption_and_date_above_it() -> None:
    filing = form4.read(TEXT / "dev11-00006.cells.txt")
    assert filing.signatures[1].name == "/s/ Harbor Point Master Fund Ltd"
    assert str(filing.signatures[1].date) == "2013-01-18"


@pytest.mark.parametrize(("printed", "read"), [("Lid", "Ltd"), ("Ltd", "Ltd"), ("Lxx", "Lxx")])
def test_a_signature_word_one_letter_off_a_word_the_page_prints_takes_that_word(printed: str, read: str) -> None:
    # OCR's "Lid" in the signature of "Harbor Point Master Fund Ltd", whose box prints "Ltd": the
    # filing's own words correct it (and the owner's box is then matched to its signer); a word
    # two letters off any word of the page is left as read
    text = (TEXT / "dev11-00006.cells.txt").read_text().splitlines()
    text[text.index("Ltd")] = ""  # the suffix wrapped below the second signature's caption, set on its line
    signed = next(i for i, line in enumerate(text) if line.startswith("/s/ H") and line.endswith("Master Fund"))
    text[signed] += f" {printed}"
    filing = form4.read("\n".join(text).encode())
    assert filing.signatures[1].name == f"/s/ Harbor Point Master Fund {read}"


def test_nature_opener_above_a_direct_row_goes_to_the_next_indirect_one() -> None:
    page = page_of("By\nCommon Stock 01/16/2013 P 12,437 A $116.10 26,223 D\nCommon Stock 300,713 I 401(k)\nPlan\n")
    first, second = stream.stream_pieces(page.lines, ocr=True)
    assert [t.text for t in first.title] == ["Common", "Stock"] and not first.lead
    assert [t.text for t in second.lead] == ["By"]


@pytest.mark.parametrize(("text", "parts"), [
    ("374Water Inc. [ scwo [ ]", ("374Water Inc. ", " scwo ")),  # unclosed, a checkbox after it
    ("ATLAS MINING CORP /NV/ [ AT [aT]", ("ATLAS MINING CORP /NV/ ", " AT ")),
    ("NORTHWIND TECHNOLOGIES INC NO ]", ("NORTHWIND TECHNOLOGIES INC", "NO")),  # the opening bracket lost
    ("GREENFIELD REIT [ GRE ]", ("GREENFIELD REIT", "GRE")),
    ("374Water Inc. [ [ scwo ]", ("374Water Inc.", "scwo")),  # a bracket read twice
])
def test_issuer_name_and_ticker_as_ocr_leaves_the_brackets(text: str, parts: tuple[str, str]) -> None:
    assert header._name_and_ticker(text) == parts


def test_issuer_name_that_lost_the_letter_its_ticker_begins_with() -> None:
    filing = form4.read(TEXT / "dev11-00014.ocr200.txt")
    assert (filing.issuer.name, filing.issuer.trading_symbol) == ("QUANTUM DYNAMICS PLC", "QUAN")
    assert filing.confidence["issuer.name"] < 0.9


@pytest.mark.parametrize(("read", "title"), [
    ("Employee Stock Opti Stock Option", "Employee Stock Option"),  # a fragment, the underlying's "Stock"
    ("Option Employee Stock Option", "Employee Stock Option"),
    ("Restricted Stock Units crock", "Restricted Stock Units"),
    ("Stock Option (Right to cock Buy)", "Stock Option (Right to Buy)"),
    ("Series B Stock Convertible Preferred Stock", "Series B Convertible Preferred Stock"),
    ("Employee Stock Option (Right to Buy)", None),  # a longer title of real words stays
    ("Stock to Option (Right Buy)", "Stock Option (Right to Buy)"),  # its lines read out of order
    ("Stock Option (Right to Buy)", None),
])
def test_common_derivative_titles_shed_ocr_words(read: str, title: str | None) -> None:
    assert titles.common_title(read) == title


def test_ticker_set_under_the_officer_box_is_not_a_title() -> None:
    filing = form4.read(TEXT / "dev11-00000.cells.txt")  # "NO" alone under "Officer (give title below)"
    owner = filing.reporting_owners[0]
    assert filing.issuer.trading_symbol == "NO"
    assert (owner.is_officer, owner.officer_title, owner.is_director) == (False, None, True)


def test_amount_mended_by_the_balance_carried_from_the_row_above() -> None:
    # "89642" read for 8,964 and its mark: the row above's 298,160 + 8,964 = 307,124, though
    # the two rows are of different securities and ownership forms
    filing = form4.read(TEXT / "dev11-00011.ocr200.txt")
    assert filing.non_derivative_transactions[1].shares == 8964
    assert filing.confidence["non_derivative_transactions[1].shares"] < 0.9
    assert filing.non_derivative_transactions[2].price_per_share == 136.96  # "{$136.96": a rule mark before it


def test_tick_read_as_angle_brackets_and_a_title_wrapped_onto_the_street_line() -> None:
    # "Officer (give title below) >< Other (specify below)", then "Member of 10%" over
    # "2200 PENNSYLVANIA AVE NW group"
    owner = form4.read(TEXT / "dev11-00018.ocr200.txt").reporting_owners[1]
    assert (owner.is_other, owner.is_officer, owner.other_text) == (True, False, "Member of 10% group")
    assert owner.street1 == "2200 PENNSYLVANIA AVE NW"
    first = form4.read(TEXT / "dev11-00018.ocr200.txt").reporting_owners[0]
    assert first.is_ten_percent_owner  # "Director X= 10% Owner"


@pytest.mark.parametrize("read", ["Trust!", "Trust®)", "Trust?", 'Trust")'])
def test_mark_after_a_nature_read_as_a_symbol(read: str) -> None:
    assert classify(read).text == "Trust"


def test_date_that_lost_its_slashes() -> None:
    tok = classify("02282015")
    assert tok.kind == "date" and str(tok.value) == "2015-02-28" and tok.doubtful
    assert classify("12345678").kind == "number"  # not a date: an amount


@pytest.mark.parametrize(("read", "name"), [
    ("/s/ Travis Shrout. Attorney-in-Fact", "/s/ Travis Shrout, Attorney-in-Fact"),
    ("/s/ Travis Shrout Attorney-in-Fact", "/s/ Travis Shrout, Attorney-in-Fact"),
    ("/s/ Jane Doe, as Attorney-in-Fact", "/s/ Jane Doe, as Attorney-in-Fact"),
])
def test_comma_before_attorney_in_fact(read: str, name: str) -> None:
    from form4.readers.text.notes import _BEFORE_FACT

    assert _BEFORE_FACT.sub(r"\1, ", read) == name


def test_specks_before_the_issuer_and_another_boxs_words_before_the_city() -> None:
    filing = form4.read(TEXT / "dev11-00019.ocr200.txt")
    assert filing.issuer.name == "ATLAS MINING CORP /NV/"  # OCR: "P ATLAS MINING CORP /NV/[ AT ]"
    owner = form4.read(TEXT / "dev11-00016.ocr200.txt").reporting_owners[0]
    assert owner.city == "CHICAGO"  # OCR: "O1 Filed CHICAGO", the amendment box's label before it


def test_form3_row_whose_price_and_ownership_ocr_read_a_line_above() -> None:
    # "S tock i i to  $3.74  I Trust (6)" over "Option (Right Buy)  (5)  04/14/2028  95,898"
    holdings = form4.read(TEXT / "form3-snow.cells.txt").derivative_holdings
    row = holdings[2]
    assert (row.security_title, row.conversion_or_exercise_price, row.underlying_shares) == (
        "Stock Option (Right to Buy)", 3.74, 95898)
    assert (row.direct_or_indirect, row.nature_of_ownership, str(row.expiration_date)) == ("I", "Trust", "2028-04-14")


def test_issuer_name_wrapped_round_its_ticker() -> None:
    # "STARLIGHT MEDIA &" / "[ STA" / "ENTERTAINMENT CO ] X Director"
    issuer = form4.read(TEXT / "dev11-00002.cells.txt").issuer
    assert (issuer.name, issuer.trading_symbol) == ("STARLIGHT MEDIA & ENTERTAINMENT CO", "STA")


def test_remark_that_begins_with_the_labels_word() -> None:
    # "Remarks: see attached ..." read above the form's own "Remarks:" label
    remarks = form4.read(TEXT / "dev11-00009.cells.txt").remarks
    assert remarks == "Remarks: see attached & incorporated <b>exhibit</b>."


def test_speck_before_an_officer_or_other_title_is_dropped() -> None:
    assert header._speck_off("ule Member of 10% group") == "Member of 10% group"
    assert header._speck_off("eve General Counsel") == "eve General Counsel"  # a word: it may be the title's
    assert header._speck_off("of counsel") == "of counsel"


def test_specks_among_a_natures_words() -> None:
    assert titles._without_specks("By nid Trust") == "By Trust"
    assert titles._without_specks("By the Trust") == "By the Trust"  # words, however short
    assert classify("Trust'?").text == "Trust" and classify("Holders'").text == "Holders'"
