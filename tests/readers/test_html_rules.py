"""Rules of the SEC's HTML rendering, each on a small page written here: a footnote mark belongs
to the field of the cell it is printed in, even when that cell prints no value; a row or a column
the reader cannot place is left out with a warning, and a page it reads whole warns of nothing."""

from __future__ import annotations

from typing import Any

import form4
from form4.compare import flagged

_HEAD = """<html><body>
<table><tr><td class="FormName">FORM 4</td></tr>
<tr><td><span>1. Name and Address of Reporting Person</span><br><a href="#CIK=0000000002">Doe Jane</a></td>
<td><span>2. Issuer Name and Ticker or Trading Symbol</span><br><a href="#CIK=0000000001">Acme Inc</a>
 [ <span class="FormData">ACME</span> ]</td></tr></table>
"""
_TABLE_TWO = """<table border="1"><thead>
<tr><th colspan="16">Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned</th></tr>
<tr><th rowspan="2">1. Title of Derivative Security (Instr. 3)</th>
<th rowspan="2">2. Conversion or Exercise Price of Derivative Security</th>
<th rowspan="2">3. Transaction Date (Month/Day/Year)</th>
<th rowspan="2">3A. Deemed Execution Date, if any (Month/Day/Year)</th>
<th colspan="2">4. Transaction Code (Instr. 8)</th>
<th colspan="2">5. Number of Derivative Securities Acquired (A) or Disposed of (D) (Instr. 3, 4 and 5)</th>
<th colspan="2">6. Date Exercisable and Expiration Date (Month/Day/Year)</th>
<th colspan="2">7. Title and Amount of Securities Underlying Derivative Security (Instr. 3 and 4)</th>
<th rowspan="2">8. Price of Derivative Security (Instr. 5)</th>
<th rowspan="2">9. Number of derivative Securities Beneficially Owned Following Reported Transaction(s) (Instr. 4)</th>
<th rowspan="2">10. Ownership Form: Direct (D) or Indirect (I) (Instr. 4)</th>
<th rowspan="2">{last}</th></tr>
<tr><th>Code</th><th>V</th><th>(A)</th><th>(D)</th><th>Date Exercisable</th><th>Expiration Date</th><th>Title</th>
<th>Amount or Number of Shares</th></tr>
</thead><tbody>
{rows}</tbody></table>
"""
_NATURE = "11. Nature of Indirect Beneficial Ownership (Instr. 4)"
_NOTES = """<table><tr><td class="FootnoteData">1. The price is set at vesting.</td></tr>
<tr><td class="FootnoteData">2. The option vests in three equal yearly parts.</td></tr></table>
</body></html>"""


def _row(*cells: str) -> str:
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>\n"


def _mark(number: int) -> str:
    return f'<span class="FootnoteData"><sup>({number})</sup></span>'


# A grant of options: price and exercise date given only by footnotes.
_GRANT = ("Stock Option", _mark(1), "01/02/2024", "", "A", "", "100", "", _mark(2), "01/02/2034",
          "Common Stock", "100", "$0", "100", "D", "")
# Options held (no transaction date or code): the same, with the amount owned only a mark too.
_HELD = ("Stock Option", _mark(1), "", "", "", "", "", "", _mark(2), "01/02/2034",
         "Common Stock", "50", "", _mark(1), "D", "")


def _read(*rows: tuple[str, ...], last: str = _NATURE) -> dict[str, Any]:
    page = _HEAD + _TABLE_TWO.format(rows="".join(_row(*r) for r in rows), last=last) + _NOTES
    return form4.read(page.encode()).to_dict()


def test_a_mark_in_a_blank_cell_belongs_to_that_field() -> None:
    record = _read(_GRANT, _HELD)
    grant, = record["derivative_transactions"]
    held, = record["derivative_holdings"]
    assert grant["conversion_or_exercise_price"] is None and grant["exercise_date"] is None
    assert grant["footnotes"] == {"conversion_or_exercise_price": ["F1"], "exercise_date": ["F2"]}
    assert held["shares_owned_following"] is None
    assert held["footnotes"] == {"conversion_or_exercise_price": ["F1"], "exercise_date": ["F2"],
                                 "shares_owned_following": ["F1"]}
    assert record["warnings"] == []


def test_a_mark_beside_a_value_stays_with_that_value() -> None:
    priced = list(_GRANT)
    priced[1] = f"$10.00{_mark(1)}"
    grant, = _read(tuple(priced))["derivative_transactions"]
    assert grant["conversion_or_exercise_price"] == 10.0
    assert grant["footnotes"]["conversion_or_exercise_price"] == ["F1"]


def test_a_row_that_does_not_fit_the_columns_is_left_out_and_flagged() -> None:
    short = _GRANT[:-1]  # one cell too few: which value is under which header is not known
    record = _read(short, _HELD)
    assert record["derivative_transactions"] == []
    assert flagged(record, "derivative_transactions[0].shares")
    assert flagged(record, "derivative_holdings[0].shares")  # it may have been a holding


def test_an_empty_row_that_does_not_fit_is_a_spacer() -> None:
    record = _read(_GRANT, ("",), _HELD)
    assert len(record["derivative_transactions"]) == 1 and len(record["derivative_holdings"]) == 1
    assert record["warnings"] == []


def test_a_value_under_a_header_not_understood_flags_its_row_only() -> None:
    noted = list(_GRANT)
    noted[-1] = "By trust"
    held = list(_HELD)
    held[-1] = ""
    record = _read(tuple(noted), tuple(held), last="11. Remarks on the holding")
    grant, = record["derivative_transactions"]
    assert "nature_of_ownership" not in grant or grant["nature_of_ownership"] is None
    assert flagged(record, "derivative_transactions[0].nature_of_ownership")
    assert not flagged(record, "derivative_holdings[0].exercise_date")
