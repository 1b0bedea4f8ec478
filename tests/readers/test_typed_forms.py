"""Forms 3, 4 and 5 typed before 2003, read through form4.read: tables of "|" and "_" whose
cells wrap over lines, tables of columns aligned by single spaces, boxes without the printed
form's captions."""

from __future__ import annotations

import datetime as dt

import form4
from tests.conftest import ROOT

HEAD = """                                FORM 4
               U.S. SECURITIES AND EXCHANGE COMMISSION
                        Washington, D.C. 20549
             STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP

1. Name and Address of Reporting Person*
   ROE JANE Q
{address}
5. Relationship of Reporting Person(s) to Issuer (Check all applicable)
   [X] Director           [ ] 10% Owner
   [ ] Officer (give title below)  [ ] Other (specify below)
2. Issuer Name and Ticker or Trading Symbol
{issuer}
3. Date of Earliest Transaction (Month/Day/Year)
   06/12/2001
4. If Amendment, Date of Original (Month/Day/Year)

6. Individual or Joint/Group Filing (Check Applicable Line)
   [X] Form filed by One Reporting Person
   [ ] Form filed by More than One Reporting Person

"""
ADDRESS = "   C/O ACME WIDGETS INC.\n   1 MAIN STREET, SUITE 5\n   SANTA CRUZ, CA 95060"
TAIL = """
Table II -- Derivative Securities Acquired, Disposed of, or Beneficially Owned

Explanation of Responses:
(1) Held by the Roe Family Trust.

ROE JANE Q                                                  06/14/2001
** Signature of Reporting Person                            Date
"""

# rows parted by rules; a heading's word broken at its cell's edge ("Da" / "y/Year)");
# a title and a nature wrapped over lines of their cells
PIPED = """Table I -- Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned
|_____________|______________|______|______|__________|______|________|__________|_________|______________|
|1. Title of  |2. Transaction|4.    |V     |5. Amount |(A) or|Price   |6. Amount |7.       |8. Nature of  |
|Security     |Date (Month/Da|Code  |      |          |(D)   |        |Owned     |Ownership|Indirect      |
|             |y/Year)       |      |      |          |      |        |Following |Form     |Ownership     |
|_____________|______________|______|______|__________|______|________|__________|_________|______________|
|Class A      |06/12/2001    |S     |      |1,000     |D     |$12.50  |9,000     |D        |              |
|Common Stock |              |      |      |          |      |        |          |         |              |
|_____________|______________|______|______|__________|______|________|__________|_________|______________|
|Class A      |06/13/2001    |P     |      |2,500     |A     |$11.25  |11,500    |D        |              |
|Common Stock |              |      |      |          |      |        |          |         |              |
|_____________|______________|______|______|__________|______|________|__________|_________|______________|
|Class A      |              |      |      |          |      |        |40,000    |I        |By the Roe    |
|Common Stock |              |      |      |          |      |        |          |         |Family        |
|             |              |      |      |          |      |        |          |         |Trust(1)      |
|_____________|______________|______|______|__________|______|________|__________|_________|______________|
"""


def _form(table: str, address: str = ADDRESS, issuer: str = "   ACME WIDGETS INC (ACMW)") -> form4.Filing:
    return form4.read((HEAD.format(address=address, issuer=issuer) + table + TAIL).encode())


def _rows(filing: form4.Filing) -> list[tuple[object, ...]]:
    return [(r.security_title, r.transaction_date, r.transaction_code, r.shares, r.acquired_disposed,
             r.price_per_share, r.shares_owned_following, r.direct_or_indirect)
            for r in filing.non_derivative_transactions]


TRADES = [("Class A Common Stock", dt.date(2001, 6, 12), "S", 1000.0, "D", 12.5, 9000.0, "D"),
          ("Class A Common Stock", dt.date(2001, 6, 13), "P", 2500.0, "A", 11.25, 11500.0, "D")]


def test_every_row_between_rules_is_read_with_its_cells_lines_joined() -> None:
    filing = _form(PIPED)
    assert _rows(filing) == TRADES
    [holding] = filing.non_derivative_holdings
    assert holding.security_title == "Class A Common Stock" and holding.shares_owned_following == 40000
    assert holding.nature_of_ownership == "By the Roe Family Trust"
    assert holding.footnotes == {"nature_of_ownership": ["F1"]}


def _aligned(widths: list[int], *rows: list[str]) -> list[str]:
    """Lines of a table aligned by spaces: each cell padded to its column's width, one space between."""
    return [" " + " ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]


def test_columns_aligned_by_single_spaces_are_told_apart_by_their_headings() -> None:
    widths = [12, 14, 4, 1, 9, 6, 7, 9, 9, 12]
    head = _aligned(widths, ["1. Title of", "2. Transaction", "4.", "V", "5. Amount", "(A) or", "Price", "6. Amount",
                             "7.", "8. Nature of"],
                    ["Security", "Date (Month/Da", "Code", "", "", "(D)", "", "Owned", "Ownership", "Indirect"],
                    ["", "y/Year)", "", "", "", "", "", "Following", "Form", "Ownership"])
    rows = _aligned(widths, ["Common Stock", "06/12/2001", "S", "", "1,000", "D", "$12.50", "9,000", "D", ""],
                    ["Common Stock", "06/13/2001", "P", "", "2,500", "A", "$11.25", "11,500", "D", ""],
                    ["Common Stock", "", "", "", "", "", "", "40,000", "I", "By the Roe"],
                    ["", "", "", "", "", "", "", "", "", "Family"],
                    ["", "", "", "", "", "", "", "", "", "Trust(1)"])
    title = "Table I -- Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned"
    table = "\n".join([title, "", *head, "-" * 100, *rows]) + "\n"
    assert " Common Stock 06/12/2001" in table  # title and date a single space apart
    filing = _form(table)
    assert _rows(filing) == [("Common Stock", *trade[1:]) for trade in TRADES]
    [holding] = filing.non_derivative_holdings
    assert (holding.shares_owned_following, holding.nature_of_ownership) == (40000, "By the Roe Family Trust")


def test_address_typed_without_captions() -> None:
    owner = _form(PIPED).reporting_owners[0]
    assert (owner.street1, owner.street2) == ("C/O ACME WIDGETS INC.", "1 MAIN STREET, SUITE 5")
    assert (owner.city, owner.state, owner.zip) == ("SANTA CRUZ", "CA", "95060")
    one_line = _form(PIPED, address="   9 ELM ROAD\n   AUSTIN, TX 78701").reporting_owners[0]
    assert (one_line.street1, one_line.street2, one_line.city) == ("9 ELM ROAD", None, "AUSTIN")


def test_issuer_named_in_capitals_keeps_its_first_word() -> None:
    issuer = _form(PIPED, issuer="   ISSUER DIRECT CORP (ISDR)").issuer
    assert (issuer.name, issuer.trading_symbol) == ("ISSUER DIRECT CORP", "ISDR")


def test_ticker_typed_on_its_own_line_under_the_name() -> None:
    issuer = _form(PIPED, issuer="   Acme Widgets, Inc.\n   ACMW").issuer
    assert (issuer.name, issuer.trading_symbol) == ("Acme Widgets, Inc.", "ACMW")


# the left pipe left out; a title and a date broken at their cells' edges ("Co" / "mmon", "2/7/0" / "0")
BROKEN = """Table I -- Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned
______________________________________________________________________________________
1. Title of Security |2.     |3.  |4.Amount  |A/D|Price  |5.Amount   |6.  |7.Nature   |
                     |Date   |Code|          |   |       |Owned      |D/I |           |
______________________________________________________________________________________|
Class A Preferred Co|6/12/0|S   |1,000     |D  |$12.50 |9,000      |D   |           |
nvertible Stock     |1     |    |          |   |       |           |    |           |
______________________________________________________________________________________|
"""


def test_words_broken_at_a_cells_edge_are_joined() -> None:
    filing = _form(BROKEN)
    [row] = filing.non_derivative_transactions
    assert row.security_title == "Class A Preferred Convertible Stock"
    assert row.transaction_date == dt.date(2001, 6, 12) and row.shares == 1000 and row.shares_owned_following == 9000


def test_lines_that_reach_a_cells_edge_as_whole_words_stay_apart() -> None:
    table = PIPED.replace("|Class A      |06/12/2001", "|Common Stock,|06/12/2001").replace(
        "|Common Stock |", "|par value    |", 1)  # "Common Stock," fills its cell to the pipe
    assert _form(table).non_derivative_transactions[0].security_title == "Common Stock, par value"


def test_real_submission_of_2000_gives_its_typed_boxes_and_rows() -> None:
    """A Form 4 of 2000 as EDGAR serves it: the ticker on a line under the issuer's name, the
    address without captions, Table II's row typed without its left pipe, its title and
    dates broken at their cells' edges ("Co" / "mmon Stock", "2/7/0" / "0")."""
    filing = form4.read(ROOT / "tests" / "edgar" / "real" / "filings" / "0001094891-00-000193.txt")
    assert (filing.issuer.name, filing.issuer.trading_symbol) == ("Productivity Technologies Corp.", "PRAC")
    owner = filing.reporting_owners[0]
    assert (owner.street1, owner.street2) == ("c/o Productivity Technologies Corp.", "520 Madison Avenue")
    assert (owner.city, owner.state, owner.zip) == ("New York", "NY", "10022")
    [option] = filing.derivative_transactions
    assert option.security_title == "Options to Purchase Common Stock"
    assert (option.transaction_date, option.transaction_code, option.shares) == (dt.date(2000, 2, 7), "A", 12000)
    assert (option.conversion_or_exercise_price, option.exercise_date, option.expiration_date) == (
        1.375, dt.date(2000, 2, 7), dt.date(2005, 2, 7))
    assert (option.shares_owned_following, option.direct_or_indirect) == (12000, "D")


def test_a_notes_line_beginning_with_a_number_and_comma_goes_on_the_note() -> None:
    tail = TAIL.replace("(1) Held by the Roe Family Trust.", "(1) Held by the Roe Family Trust and by Fund\n"
                        "15, Fund 16 and Fund 17.\n(2) Not used.")
    filing = form4.read((HEAD.format(address=ADDRESS, issuer="   ACME WIDGETS INC (ACMW)") + PIPED + tail).encode())
    assert [(n.id, n.text) for n in filing.footnotes] == [
        ("F1", "Held by the Roe Family Trust and by Fund 15, Fund 16 and Fund 17."), ("F2", "Not used.")]


def test_a_joint_filers_boxes_typed_after_the_tables_end_where_the_signatures_begin() -> None:
    joint = """
1. Name and Address of Reporting Person*
   ROE FAMILY TRUST
   1 MAIN STREET
   SANTA CRUZ, CA 95060
5. Relationship of Reporting Person(s) to Issuer (Check all applicable)
   [ ] Director           [X] 10% Owner
   [ ] Officer (give title below)  [ ] Other (specify below)

By: John Doe, Attorney-in-Fact for Jane Q. Roe                06/14/2001
** Signature of Reporting Person                            Date
"""
    tail = TAIL[:TAIL.index("ROE JANE Q")] + joint
    filing = form4.read((HEAD.format(address=ADDRESS, issuer="   ACME WIDGETS INC (ACMW)") + PIPED + tail).encode())
    trust = filing.reporting_owners[1]
    assert (trust.name, trust.city, trust.is_ten_percent_owner) == ("ROE FAMILY TRUST", "SANTA CRUZ", True)
    assert (trust.is_officer, trust.officer_title) == (False, None)
