"""Flat rows for CSV, pandas and Arrow: one per row and reporting owner."""

from __future__ import annotations

import form4
from form4.rows import COLUMNS
from tests.conftest import CORPUS
from tests.readers.test_xml import OWNER, make


def test_joint_filing_gives_a_row_per_owner() -> None:
    owners = "".join(OWNER.format(cik=c, name=n, director="0", officer="0", title="") for c, n in
                     (("1", "Fund LP"), ("2", "Fund GP LLC")))
    rows = list(form4.flat_rows(form4.read(make(owners=owners))))
    assert [r["owner_name"] for r in rows] == ["Fund LP", "Fund GP LLC"]
    assert all(set(r) == set(COLUMNS) for r in rows)


def test_pandas_frame_of_the_corpus() -> None:
    filings = list(form4.iter_filings(CORPUS / "txt"))
    frame = form4.to_pandas(filings)
    expected = sum(max(len(f.reporting_owners), 1) * (
        len(f.non_derivative_transactions) + len(f.non_derivative_holdings)
        + len(f.derivative_transactions) + len(f.derivative_holdings)) for f in filings)
    assert len(frame) == expected
    assert frame["shares"].dtype.kind == "f"
    assert set(frame["table"]) == {"non_derivative", "derivative"}


def test_flat_rows_takes_a_filing_or_many() -> None:
    filings = list(form4.iter_filings(CORPUS / "xml" / "form4-snow.xml"))
    one = list(form4.flat_rows(filings[0]))
    assert one and list(form4.flat_rows(filings)) == one == list(form4.flat_rows(iter(filings)))
    assert form4.iter_rows is form4.flat_rows
