"""Properties of the value converters and of the record's JSON form."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given
from hypothesis import strategies as st

import form4
from form4.readers import values
from tests.readers.test_xml import make

finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15)
suffixes = st.sampled_from(["", "-05:00", "+01:00", "Z", "T00:00:00"])


@given(finite)
def test_number_reads_what_python_writes(x: float) -> None:
    assert values.number(repr(x)) == x
    assert values.number(f"  {x}\n") == x


@given(st.integers(min_value=0, max_value=10**12))
def test_number_with_thousands_separators(n: int) -> None:
    assert values.number(f"{n:,}") == n


@given(st.dates(min_value=dt.date(1900, 1, 1)), suffixes)
def test_dates_with_time_zone_suffixes(d: dt.date, suffix: str) -> None:
    assert values.date(d.isoformat() + suffix) == d


@given(st.sampled_from(["1", "true", "TRUE", " True "]), st.sampled_from(["0", "false", "False"]))
def test_booleans(yes: str, no: str) -> None:
    assert values.boolean(yes) is True and values.boolean(no) is False


@given(st.integers(min_value=1, max_value=9_999_999_999))
def test_cik_is_ten_digits(n: int) -> None:
    assert values.cik(str(n)) == f"{n:010d}"


@given(st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False, allow_infinity=False),
       st.decimals(min_value=0, max_value=10**5, places=4, allow_nan=False, allow_infinity=False))
def test_amounts_survive_the_record_and_its_json(shares: object, price: object) -> None:
    filing = form4.read(make(shares=f"<value>{shares}</value>", price=f"<value>{price}</value>"))
    row = json.loads(filing.to_json())["non_derivative_transactions"][0]
    assert row["shares"] == float(str(shares)) and row["price_per_share"] == float(str(price))
    assert json.loads(filing.to_json()) == filing.to_dict()
