"""The lossy readers and validation share one table of transaction codes (form4.codes): a side
a reader infers for a row whose (A)/(D) the print lost is one validation accepts for its code."""

from __future__ import annotations

import pytest

import form4
from form4.codes import CODES, TABLE_I, TABLE_II, fixed_side, usual_side
from form4.model import Filing
from form4.validation import validate
from tests.readers.test_text_rules import RAW_HEAD, RAW_TABLE_ONE

HEAD = RAW_HEAD + RAW_TABLE_ONE + """Common Stock 5,000 D
Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned
(e.g., puts, calls, warrants, options, convertible securities)
1. Title of Derivative Security (Instr. 3) 2. Conversion or Exercise Price of Derivative Security
3. Transaction Date (Month/Day/Year) 3A. Deemed Execution Date, if any (Month/Day/Year) 4. Transaction Code (Instr. 8)
5. Number of Derivative Securities Acquired (A) or Disposed of (D) (Instr. 3, 4 and 5)
6. Date Exercisable and Expiration Date (Month/Day/Year)
7. Title and Amount of Securities Underlying Derivative Security (Instr. 3 and 4)
8. Price of Derivative Security (Instr. 5)
9. Number of derivative Securities Beneficially Owned Following Reported Transaction(s) (Instr. 4)
10. Ownership Form: Direct (D) or Indirect (I) (Instr. 4) 11. Nature of Indirect Beneficial Ownership (Instr. 4)
Code V (A) (D) Date Exercisable Expiration Date Title Amount or Number of Shares
"""
TAIL = "Explanation of Responses:\n1. Held directly.\n/s/ Jane Doe 03/04/2021\n** Signature of Reporting Person Date\n"
TABLE_II_CODES = sorted(code for code, entry in CODES.items() if TABLE_II in entry.acquired_disposed)


def option_row(code: str) -> Filing:
    """A Table II row printed without its (A)/(D) column, as raw text gives it."""
    row = (f"Stock Option (right to buy) $10.00 03/02/2021 {code} 1,000 03/02/2020 03/02/2030"
           " Common Stock 1,000 $0 0 D\n")
    return form4.read((HEAD + row + TAIL).encode())


@pytest.mark.parametrize("code", TABLE_II_CODES)
def test_a_side_inferred_for_a_table_ii_code_is_one_validation_accepts(code: str) -> None:
    filing = option_row(code)
    [row] = filing.derivative_transactions
    assert row.transaction_code == code
    assert row.acquired_disposed in ("A", "D")
    assert "derivative_transactions[0].acquired_disposed" in filing.confidence  # inferred, so not certain
    assert not [d for d in validate(filing) if d.code == "C103"]


def test_expirations_and_tenders_dispose_of_the_derivative() -> None:
    # the codes that fix a side in Table II are read as that side, not taken as acquisitions
    for code in ("H", "U", "M", "S", "F"):
        assert option_row(code).derivative_transactions[0].acquired_disposed == "D"


def test_the_usual_side_of_every_code_is_one_its_table_allows() -> None:
    for code, entry in CODES.items():
        for table in (TABLE_I, TABLE_II):
            side = usual_side(code, table)
            allowed = entry.acquired_disposed.get(table)
            if allowed is None:
                assert side is None and fixed_side(code, table) is None  # the code is not used there
            elif allowed:
                assert side in allowed and fixed_side(code, table) == (side if len(allowed) == 1 else None)
