"""The SEC data set on both engines: the layout as the SEC publishes it, a round trip that
keeps every value and footnote reference the layout holds, filings without an accession
number reported, the SEC's own files read with their quirks, bad values left empty with a
warning, and a one-line error for a file that is not a data set."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from form4.errors import DatasetError, StoreError
from form4.model import (
    DerivativeHolding,
    DerivativeTransaction,
    Filing,
    Footnote,
    Issuer,
    NonDerivativeHolding,
    NonDerivativeTransaction,
    ReportingOwner,
    Signature,
)
from form4.pipeline import ingest
from form4.store import Store, sec_dataset
from tests.conftest import CORPUS

INPUTS = [CORPUS / "xml", CORPUS / "txt"]
CODING = {"transaction_code", "transaction_form_type", "equity_swap_involved"}


def _key(field: str) -> str:
    """A footnote's key as the data set gives it back: it has one column for a row's
    transaction coding, so footnotes on its form type, code or swap flag come back on the code."""
    return "transaction_code" if field in CODING else field


_OWNED = ("SHRS_OWND_FOLWNG_TRANS SHRS_OWND_FOLWNG_TRANS_FN VALU_OWND_FOLWNG_TRANS VALU_OWND_FOLWNG_TRANS_FN "
          "DIRECT_INDIRECT_OWNERSHIP DIRECT_INDIRECT_OWNERSHIP_FN NATURE_OF_OWNERSHIP NATURE_OF_OWNERSHIP_FN")
_UNDERLYING = ("EXPIRATION_DATE EXPIRATION_DATE_FN UNDLYNG_SEC_TITLE UNDLYNG_SEC_TITLE_FN UNDLYNG_SEC_SHARES "
               "UNDLYNG_SEC_SHARES_FN UNDLYNG_SEC_VALUE UNDLYNG_SEC_VALUE_FN")
# The columns as the SEC's files have them (2006 to now), AFF10B5ONE since 2023.
SEC = {
    "SUBMISSION": "ACCESSION_NUMBER FILING_DATE PERIOD_OF_REPORT DATE_OF_ORIG_SUB NO_SECURITIES_OWNED "
                  "NOT_SUBJECT_SEC16 FORM3_HOLDINGS_REPORTED FORM4_TRANS_REPORTED DOCUMENT_TYPE ISSUERCIK "
                  "ISSUERNAME ISSUERTRADINGSYMBOL REMARKS",
    "REPORTINGOWNER": "ACCESSION_NUMBER RPTOWNERCIK RPTOWNERNAME RPTOWNER_RELATIONSHIP RPTOWNER_TITLE RPTOWNER_TXT "
                      "RPTOWNER_STREET1 RPTOWNER_STREET2 RPTOWNER_CITY RPTOWNER_STATE RPTOWNER_ZIPCODE "
                      "RPTOWNER_STATE_DESC FILE_NUMBER",
    "NONDERIV_TRANS": "ACCESSION_NUMBER NONDERIV_TRANS_SK SECURITY_TITLE SECURITY_TITLE_FN TRANS_DATE TRANS_DATE_FN "
                      "DEEMED_EXECUTION_DATE DEEMED_EXECUTION_DATE_FN TRANS_FORM_TYPE TRANS_CODE EQUITY_SWAP_INVOLVED "
                      "EQUITY_SWAP_TRANS_CD_FN TRANS_TIMELINESS TRANS_TIMELINESS_FN TRANS_SHARES TRANS_SHARES_FN "
                      "TRANS_PRICEPERSHARE TRANS_PRICEPERSHARE_FN TRANS_ACQUIRED_DISP_CD TRANS_ACQUIRED_DISP_CD_FN "
                      + _OWNED,
    "NONDERIV_HOLDING": "ACCESSION_NUMBER NONDERIV_HOLDING_SK SECURITY_TITLE SECURITY_TITLE_FN TRANS_FORM_TYPE "
                        "TRANS_FORM_TYPE_FN " + _OWNED,
    "DERIV_TRANS": "ACCESSION_NUMBER DERIV_TRANS_SK SECURITY_TITLE SECURITY_TITLE_FN CONV_EXERCISE_PRICE "
                   "CONV_EXERCISE_PRICE_FN TRANS_DATE TRANS_DATE_FN DEEMED_EXECUTION_DATE DEEMED_EXECUTION_DATE_FN "
                   "TRANS_FORM_TYPE TRANS_CODE EQUITY_SWAP_INVOLVED EQUITY_SWAP_TRANS_CD_FN TRANS_TIMELINESS "
                   "TRANS_TIMELINESS_FN TRANS_SHARES TRANS_SHARES_FN TRANS_TOTAL_VALUE TRANS_TOTAL_VALUE_FN "
                   "TRANS_PRICEPERSHARE TRANS_PRICEPERSHARE_FN TRANS_ACQUIRED_DISP_CD TRANS_ACQUIRED_DISP_CD_FN "
                   "EXCERCISE_DATE EXCERCISE_DATE_FN " + _UNDERLYING + " " + _OWNED,
    "DERIV_HOLDING": "ACCESSION_NUMBER DERIV_HOLDING_SK SECURITY_TITLE SECURITY_TITLE_FN CONV_EXERCISE_PRICE "
                     "CONV_EXERCISE_PRICE_FN TRANS_FORM_TYPE TRANS_FORM_TYPE_FN EXERCISE_DATE EXERCISE_DATE_FN "
                     + _UNDERLYING + " " + _OWNED,
    "FOOTNOTES": "ACCESSION_NUMBER FOOTNOTE_ID FOOTNOTE_TXT",
    "OWNER_SIGNATURE": "ACCESSION_NUMBER OWNERSIGNATURENAME OWNERSIGNATUREDATE",
}
HEADERS = {member: header.split() for member, header in SEC.items()}
# What form4 writes: the same, with AFF10B5ONE, and the swap flag's footnote column of
# DERIV_TRANS named as ownership-spec.md §6 has it.
WRITTEN = {**HEADERS, "SUBMISSION": [*HEADERS["SUBMISSION"], "AFF10B5ONE"],
           "DERIV_TRANS": [n.replace("EQUITY_SWAP_TRANS_CD_FN", "EQUITY_SWAP_INVOLVED_FN")
                           for n in HEADERS["DERIV_TRANS"]]}


# ---- the round trip ---------------------------------------------------------------------------


def _round_trip(store_url: str, new_store: Callable[[], str], tmp_path: Path,
                read: Callable[[Store], Any]) -> tuple[Any, Any]:
    """``read`` of a store holding the corpus, and of a fresh one (same engine) that
    imported the store's SEC data set export."""
    dataset = tmp_path / "2024q1_form345.zip"
    with Store(store_url) as store:
        ingest(store, INPUTS)
        report = store.export_sec_dataset(dataset)
        before = read(store)
    with Store(new_store()) as fresh:
        assert fresh.import_sec_dataset(dataset) == report.written
        after = read(fresh)
    return before, after


def _views(store: Store) -> dict[str, list[dict[str, Any]]]:
    sql = ("SELECT * FROM {} WHERE accession_number NOT LIKE 'sha256:%' "
           "ORDER BY accession_number, \"table\", row_index, owner_cik")
    return {view: _comparable(store.query(sql.format(view), format="arrow").to_pylist())
            for view in ("transactions", "holdings")}


def _comparable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows as the data set can carry them: the coding's footnotes on the code (``_key``), no
    column at all for a Table I transaction's total value, and text on one line."""
    out = []
    for row in rows:
        row = {name: _spaced(value) for name, value in row.items()}
        notes: dict[str, list[str]] = {}
        for key, ids in json.loads(row["footnotes"] or "{}").items():
            merged = notes.setdefault(_key(key), [])
            merged += [i for i in ids if i not in merged]
        if row["table"] == "non_derivative":
            notes.pop("total_value", None)
            row = {**row, "total_value": None}
        out.append({**row, "footnotes": notes or None})
    return out


def _spaced(value: Any) -> Any:
    """Text with each run of whitespace (line breaks, tabs) one space: what a data set row,
    one line of tab-separated cells, can carry."""
    return (" ".join(value.split()) or None) if isinstance(value, str) else value


def test_round_trip_keeps_every_value(store_url: str, new_store: Callable[[], str], tmp_path: Path) -> None:
    before, after = _round_trip(store_url, new_store, tmp_path, _views)
    assert all(before.values()) and after == before


def _footnote_refs(store: Store) -> Counter[tuple[Any, ...]]:
    """Every footnote reference of the filings a data set can key, as it gives them back."""
    rows = store.query("SELECT accession_number, table_name, kind, row_index, field, footnote_id FROM footnote_refs "
                       "WHERE accession_number NOT LIKE 'sha256:%'", format="arrow").to_pylist()
    return Counter((r["accession_number"], r["table_name"], r["kind"], r["row_index"],
                    _key(r["field"]), r["footnote_id"]) for r in rows)


def test_round_trip_keeps_every_footnote_reference(store_url: str, new_store: Callable[[], str],
                                                   tmp_path: Path) -> None:
    before, after = _round_trip(store_url, new_store, tmp_path, _footnote_refs)
    on_coding = sum(n for ref, n in before.items() if ref[4] == "transaction_code")
    assert on_coding > 0  # the ones EQUITY_SWAP_TRANS_CD_FN and its kin lost before
    assert sum(after.values()) == sum(before.values()) > on_coding
    assert after == before


def test_filings_without_an_accession_number_are_reported_not_written(store_url: str, tmp_path: Path) -> None:
    dataset = tmp_path / "d.zip"
    with Store(store_url) as store:
        ingest(store, INPUTS)
        report = store.export_sec_dataset(dataset)
        keys = store.query("SELECT accession_number, source_path FROM filings", format="arrow").to_pylist()
        assert store.export(tmp_path / "again.zip", format="sec-dataset") == report.written  # the count, as before
    hashed = {(r["accession_number"], r["source_path"]) for r in keys if r["accession_number"].startswith("sha256:")}
    assert hashed and {(f.key, f.source_path) for f in report.unwritten} == hashed
    assert report.written == len(keys) - len(hashed) and report.footnotes_left_out == 0
    with zipfile.ZipFile(dataset) as zf:
        assert all(b"sha256:" not in zf.read(name) for name in zf.namelist())
        submissions = _records(zf.read("SUBMISSION.tsv").decode())
    assert len(submissions) == 1 + report.written


def _records(text: str) -> list[list[str]]:
    """A data set file's records: text holding a quote is CSV-quoted."""
    return list(csv.reader(io.StringIO(text), delimiter="\t"))


def test_layout(store_url: str, tmp_path: Path) -> None:
    dataset = tmp_path / "d.zip"
    with Store(store_url) as store:
        ingest(store, INPUTS)
        store.export_sec_dataset(dataset)
    with zipfile.ZipFile(dataset) as zf:
        assert sorted(zf.namelist()) == sorted(f"{member}.tsv" for member in WRITTEN)
        files = {name[:-4]: zf.read(name).decode() for name in zf.namelist()}
    for member, header in WRITTEN.items():
        assert files[member].splitlines()[0].split("\t") == header, member
    header, *records = _records(files["NONDERIV_TRANS"])
    lines = [dict(zip(header, record, strict=True)) for record in records]
    assert any(line["EQUITY_SWAP_TRANS_CD_FN"] for line in lines)  # the coding's footnotes
    dated = next(line["TRANS_DATE"] for line in lines if line["TRANS_DATE"])
    assert len(dated) == 11 and dated[2] == "-" and dated[3:6].isupper()  # 30-DEC-2014
    numbers = [line["TRANS_SHARES"] for line in lines if line["TRANS_SHARES"]]
    assert numbers and all("e" not in n.lower() and float(n) >= 0 for n in numbers)


def test_footnotes_on_a_field_without_a_column_are_counted(store_url: str, tmp_path: Path) -> None:
    # a Table I transaction's total value has no column in the data set
    trade = NonDerivativeTransaction(transaction_code="P", total_value=5000.0, footnotes={"total_value": ["F9"]})
    with Store(store_url) as store:
        store.ingest_filings([Filing(accession_number=ACC, non_derivative_transactions=[trade])])
        report = store.export_sec_dataset(tmp_path / "d.zip")
    assert (report.written, report.footnotes_left_out) == (1, 1)


# ---- one row, one line ------------------------------------------------------------------------


def _one_filing(text: Callable[[int], str]) -> Filing:
    """A filing with a value of every kind of text in each table, ``text(i)`` the i-th of them."""
    return Filing(
        accession_number=ACC, form_type="4", filed_at=dt.date(2024, 3, 1), period_of_report=dt.date(2024, 2, 28),
        issuer=Issuer(cik="0001084869", name=text(0), trading_symbol="SBC"), remarks=text(1),
        reporting_owners=[ReportingOwner(cik="0001557203", name=text(2), is_director=True, other_text=text(3),
                                         street1=text(4))],
        non_derivative_transactions=[NonDerivativeTransaction(
            security_title=text(5), transaction_date=dt.date(2024, 2, 28), transaction_code="S", shares=100.0,
            price_per_share=12.5, acquired_disposed="D", nature_of_ownership=text(6),
            footnotes={"price_per_share": ["F1", "F2"]})],
        non_derivative_holdings=[NonDerivativeHolding(security_title=text(7), direct_or_indirect="I",
                                                      nature_of_ownership=text(8))],
        derivative_transactions=[DerivativeTransaction(security_title=text(9), transaction_code="M",
                                                       underlying_security_title=text(10), underlying_shares=100.0)],
        derivative_holdings=[DerivativeHolding(security_title=text(11), exercise_date=dt.date(2025, 1, 1))],
        footnotes=[Footnote(id="F1", text=text(12)), Footnote(id="F2", text=text(13))],
        signatures=[Signature(name=text(14), date=dt.date(2024, 3, 1))],
    )


TEXTS = 15
ROWS = {"SUBMISSION": 1, "REPORTINGOWNER": 1, "NONDERIV_TRANS": 1, "NONDERIV_HOLDING": 1, "DERIV_TRANS": 1,
        "DERIV_HOLDING": 1, "FOOTNOTES": 2, "OWNER_SIGNATURE": 1}  # the rows _one_filing has in each file


def _lines(dataset: Path) -> dict[str, list[list[str]]]:
    """Each file of the data set as a reader of lines sees it: its lines split at tabs, each
    checked to have the header's number of columns."""
    with zipfile.ZipFile(dataset) as zf:
        files = {name[:-4]: zf.read(name).decode() for name in zf.namelist()}
    out = {}
    for member, text in files.items():
        lines = text.splitlines()  # every line break Python knows, not only CR and LF
        assert text.endswith("\n") and len(lines) == text.count("\n") == len(_records(text)), member
        out[member] = [line.split("\t") for line in lines]
        assert {len(cells) for cells in out[member]} == {len(WRITTEN[member])}, member
    return out


def _same_text(filing: Filing) -> dict[str, Any]:
    """The filing as the data set gives it back: each run of whitespace in its text one space,
    none at either end, and empty text as none; from the data set, not a document."""
    def flat(value: Any) -> Any:
        if isinstance(value, str):
            return _spaced(value)
        if isinstance(value, dict):
            return {key: flat(item) for key, item in value.items()}
        if isinstance(value, list):
            return [flat(item) for item in value]
        return value

    out: dict[str, Any] = flat(filing.to_dict())
    return {**out, "source": None, "source_name": None, "warnings": None}


TRICKY = ['Smith "Big" Co', 'Line one\r\nline "two"\twith a tab\nand three', "Doe\tJane", "trustee\rof a trust",
          "1 Main St\n\nSuite 2", "Common\nStock", 'By "Trust"\nfor the children', '"Quoted" title',
          "held\r\n\r\nindirectly", "Option\t(right to buy)", "Common Stock", 'Warrant "A"',
          'The "price" is a weighted average\nof trades from $12.00\tto $13.00.', "Held\u2028by\x85a\vtrust\f.",
          "/s/ Jane Doe,\nattorney-in-fact"]


def test_every_row_is_one_line(store_url: str, tmp_path: Path) -> None:
    filing = _one_filing(TRICKY.__getitem__)
    dataset = tmp_path / "d.zip"
    with Store(store_url) as store:
        store.ingest_filings([filing])
        assert store.export_sec_dataset(dataset).written == 1
    lines = _lines(dataset)
    assert {member: len(rows) - 1 for member, rows in lines.items()} == ROWS  # a header and one line a row
    submission = dict(zip(WRITTEN["SUBMISSION"], lines["SUBMISSION"][1], strict=True))
    assert submission["ISSUERNAME"] == '"Smith ""Big"" Co"'  # a quote: quoted, as the SEC quotes it
    assert submission["REMARKS"] == '"Line one line ""two"" with a tab and three"'
    assert [cells[2] for cells in lines["FOOTNOTES"][1:]] == [
        '"The ""price"" is a weighted average of trades from $12.00 to $13.00."', "Held by a trust ."]
    (back,) = sec_dataset.read(dataset)
    assert back.remarks == 'Line one line "two" with a tab and three'
    assert back.reporting_owners[0].street1 == "1 Main St  Suite 2"  # each line break a space
    assert _same_text(back) == _same_text(filing) and back.warnings == []


printable = st.characters(blacklist_categories=("Cc", "Cs"))
breaking = st.sampled_from(["\t", "\r", "\n", "\r\n", '"', '""', " ", "\v", "\f", "\x85", "\u2028", "\u2029"])
texts = st.lists(st.one_of(printable, breaking), max_size=30).map("".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(texts, min_size=TEXTS, max_size=TEXTS))
def test_any_text_keeps_every_row_on_one_line(values: list[str]) -> None:
    filing = _one_filing(values.__getitem__)
    with tempfile.TemporaryDirectory() as tmp:
        dataset = Path(tmp) / "d.zip"
        sec_dataset.write([filing], dataset)
        lines = _lines(dataset)
        (back,) = sec_dataset.read(dataset)
    assert {member: len(rows) - 1 for member, rows in lines.items()} == ROWS
    assert _same_text(back) == _same_text(filing)


# ---- the SEC's own files ---------------------------------------------------------------------


ACC = "0001127602-14-036677"


def _line(member: str, header: list[str] | None = None, **values: str) -> str:
    """One line of a data set file, its values as the SEC writes them (quoting included)."""
    return "\t".join(values.get(column, "") for column in header or HEADERS[member])


def _dataset(path: Path, *, names: Callable[[str], str] = "{}.tsv".format, extra: dict[str, str] | None = None,
             headers: dict[str, str] | None = None, **given: list[str]) -> Path:
    """A data set zip: every file with the SEC's header (or the one given) and its lines;
    SUBMISSION and REPORTINGOWNER get a line for ACC unless given theirs."""
    lines = {**{member: [] for member in HEADERS},
             "SUBMISSION": [_line("SUBMISSION", ACCESSION_NUMBER=ACC, DOCUMENT_TYPE="4")],
             "REPORTINGOWNER": [_line("REPORTINGOWNER", ACCESSION_NUMBER=ACC, RPTOWNERCIK="1557203")], **given}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, rows in lines.items():
            header = (headers or {}).get(member, "\t".join(HEADERS[member]))
            zf.writestr(names(member), "\n".join([header, *rows]) + "\n")
        for name, text in (extra or {}).items():
            zf.writestr(name, text)
    return path


def _filings(store: Store) -> dict[str, dict[str, Any]]:
    """The filings table by accession number, its warnings read."""
    rows = store.query("SELECT accession_number, filed_at, warnings FROM filings", format="arrow").to_pylist()
    return {r["accession_number"]: {**r, "warnings": json.loads(r["warnings"] or "[]")} for r in rows}


def test_reads_the_sec_files_as_published(store_url: str, tmp_path: Path) -> None:
    dataset = _dataset(
        tmp_path / "2014q4_form345.zip",
        names=lambda member: f"2014Q4_FORM345/{member.upper()}.TSV",  # a folder, upper case
        headers={"SUBMISSION": "\ufeff" + "\t".join(HEADERS["SUBMISSION"])},  # a byte-order mark; no AFF10B5ONE
        extra={"FORM_345_metadata.json": "{}", "FORM_345_readme.htm": "<html></html>"},
        SUBMISSION=[_line("SUBMISSION", ACCESSION_NUMBER=ACC, FILING_DATE="30-DEC-2014",
                          PERIOD_OF_REPORT="26-dec-2014", NO_SECURITIES_OWNED="0", NOT_SUBJECT_SEC16="false",
                          DOCUMENT_TYPE="4", ISSUERCIK="1084869", ISSUERNAME='"Smith ""Big"" Co"',
                          ISSUERTRADINGSYMBOL="SBC", REMARKS='"One\tline,\nand another"')],
        REPORTINGOWNER=[_line("REPORTINGOWNER", ACCESSION_NUMBER=ACC, RPTOWNERCIK="1557203",
                              RPTOWNERNAME="Riccio Daniel J.", RPTOWNER_RELATIONSHIP="Director, TenPercentOwner")],
        NONDERIV_TRANS=[  # out of surrogate-key order
            _line("NONDERIV_TRANS", ACCESSION_NUMBER=ACC, NONDERIV_TRANS_SK="12", SECURITY_TITLE="Common Stock",
                  TRANS_CODE="M", TRANS_SHARES="10"),
            _line("NONDERIV_TRANS", ACCESSION_NUMBER=ACC, NONDERIV_TRANS_SK="11",
                  SECURITY_TITLE='Class "A" Common Stock', TRANS_DATE="26-DEC-2014", TRANS_FORM_TYPE="4",
                  TRANS_CODE="S", EQUITY_SWAP_INVOLVED="0", EQUITY_SWAP_TRANS_CD_FN="F1", TRANS_SHARES="1000.0000",
                  TRANS_PRICEPERSHARE="12.5000", TRANS_PRICEPERSHARE_FN="F2, F3", TRANS_ACQUIRED_DISP_CD="D",
                  SHRS_OWND_FOLWNG_TRANS="5000.0", DIRECT_INDIRECT_OWNERSHIP="D")],
        DERIV_TRANS=[_line("DERIV_TRANS", ACCESSION_NUMBER=ACC, DERIV_TRANS_SK="7", SECURITY_TITLE="Option",
                           CONV_EXERCISE_PRICE="10.0000", TRANS_CODE="M", EQUITY_SWAP_INVOLVED="true",
                           EQUITY_SWAP_TRANS_CD_FN="F1", EXCERCISE_DATE="01-JAN-2015", EXCERCISE_DATE_FN="F4")],
        DERIV_HOLDING=[_line("DERIV_HOLDING", ACCESSION_NUMBER=ACC, DERIV_HOLDING_SK="3", SECURITY_TITLE="War\0rant",
                             TRANS_FORM_TYPE="4", TRANS_FORM_TYPE_FN="F5", EXERCISE_DATE="02-Jan-2015")],
        FOOTNOTES=[_line("FOOTNOTES", ACCESSION_NUMBER=ACC, FOOTNOTE_ID="F1",
                         FOOTNOTE_TXT='"The ""price"" is a weighted average."'),
                   _line("FOOTNOTES", ACCESSION_NUMBER=ACC, FOOTNOTE_ID="F2", FOOTNOTE_TXT="long " * 40_000)],
        OWNER_SIGNATURE=[_line("OWNER_SIGNATURE", ACCESSION_NUMBER=ACC, OWNERSIGNATURENAME="/s/ D. Riccio",
                               OWNERSIGNATUREDATE="31-DEC-2014")],
    )
    with Store(store_url) as store:
        assert store.import_sec_dataset(dataset) == 1
        (filing,) = store.filings()
        assert _filings(store)[ACC]["warnings"] == []  # every value read
    assert (filing.accession_number, filing.form_type) == (ACC, "4")
    assert (filing.filed_at, filing.period_of_report) == (dt.date(2014, 12, 30), dt.date(2014, 12, 26))
    assert (filing.issuer.cik, filing.issuer.name) == ("0001084869", 'Smith "Big" Co')
    assert filing.remarks == "One\tline,\nand another" and filing.aff10b5_one is None
    (owner,) = filing.reporting_owners
    assert (owner.cik, owner.is_director, owner.is_ten_percent_owner, owner.is_officer) == (
        "0001557203", True, True, False)
    sale, exercise = filing.non_derivative_transactions
    assert (sale.security_title, sale.transaction_code, exercise.transaction_code) == (
        'Class "A" Common Stock', "S", "M")
    assert (sale.transaction_date, sale.shares, sale.price_per_share, sale.equity_swap_involved) == (
        dt.date(2014, 12, 26), 1000.0, 12.5, False)
    assert sale.footnotes == {"transaction_code": ["F1"], "price_per_share": ["F2", "F3"]}
    (option,) = filing.derivative_transactions
    assert (option.exercise_date, option.conversion_or_exercise_price, option.equity_swap_involved) == (
        dt.date(2015, 1, 1), 10.0, True)
    assert option.footnotes == {"transaction_code": ["F1"], "exercise_date": ["F4"]}
    (warrant,) = filing.derivative_holdings
    assert warrant.exercise_date == dt.date(2015, 1, 2) and warrant.footnotes == {"transaction_code": ["F5"]}
    assert warrant.security_title == "Warrant"  # a NUL character dropped
    assert [f.text for f in filing.footnotes] == ['The "price" is a weighted average.', ("long " * 40_000).strip()]
    assert [(s.name, s.date) for s in filing.signatures] == [("/s/ D. Riccio", dt.date(2014, 12, 31))]


FLAGS = {"NO_SECURITIES_OWNED": "no_securities_owned", "NOT_SUBJECT_SEC16": "not_subject_to_section16",
         "FORM3_HOLDINGS_REPORTED": "form3_holdings_reported", "FORM4_TRANS_REPORTED": "form4_transactions_reported",
         "AFF10B5ONE": "aff10b5_one"}


def test_flags_and_numbers_as_the_sec_writes_them(store_url: str, tmp_path: Path) -> None:
    # one column holds 0/1 on some rows and false/true on others; numbers have a decimal part
    other = "0001127602-14-000002"
    header = [*HEADERS["SUBMISSION"], "AFF10B5ONE"]
    ones = dict(zip(FLAGS, ["1", "0", "1", "0", "1"], strict=True))
    words = dict(zip(FLAGS, ["false", "true", "false", "true", "false"], strict=True))
    swap = ["0", "1", "false", "true"]
    shares = ["250000.0", "12.5000", "0.0", "1000"]
    dataset = _dataset(
        tmp_path / "d.zip", headers={"SUBMISSION": "\t".join(header)},
        SUBMISSION=[_line("SUBMISSION", header, ACCESSION_NUMBER=acc, DOCUMENT_TYPE="4", **flags)
                    for acc, flags in ((ACC, ones), (other, words))],
        REPORTINGOWNER=[_line("REPORTINGOWNER", ACCESSION_NUMBER=acc, RPTOWNERCIK="1557203") for acc in (ACC, other)],
        NONDERIV_TRANS=[_line("NONDERIV_TRANS", ACCESSION_NUMBER=ACC, NONDERIV_TRANS_SK=str(i), TRANS_CODE="S",
                              EQUITY_SWAP_INVOLVED=flag, TRANS_SHARES=number, TRANS_PRICEPERSHARE=number,
                              SHRS_OWND_FOLWNG_TRANS=number)
                        for i, (flag, number) in enumerate(zip(swap, shares, strict=True))],
        DERIV_TRANS=[_line("DERIV_TRANS", ACCESSION_NUMBER=ACC, DERIV_TRANS_SK=str(i), TRANS_CODE="M",
                           EQUITY_SWAP_INVOLVED=flag, CONV_EXERCISE_PRICE=number, UNDLYNG_SEC_SHARES=number)
                     for i, (flag, number) in enumerate(zip(swap, shares, strict=True))])
    with Store(store_url) as store:
        assert store.import_sec_dataset(dataset) == 2
        filings = {f.accession_number: f for f in store.filings()}
        assert all(row["warnings"] == [] for row in _filings(store).values())  # every value read
    for acc, expected in ((ACC, [True, False, True, False, True]), (other, [False, True, False, True, False])):
        assert [getattr(filings[acc], name) for name in FLAGS.values()] == expected, acc
    trades, options = filings[ACC].non_derivative_transactions, filings[ACC].derivative_transactions
    assert [t.equity_swap_involved for t in trades] == [o.equity_swap_involved for o in options] == [
        False, True, False, True]
    assert [(t.shares, t.price_per_share, t.shares_owned_following) for t in trades] == [
        (250000.0, 250000.0, 250000.0), (12.5, 12.5, 12.5), (0.0, 0.0, 0.0), (1000.0, 1000.0, 1000.0)]
    assert [(o.conversion_or_exercise_price, o.underlying_shares) for o in options] == [
        (250000.0, 250000.0), (12.5, 12.5), (0.0, 0.0), (1000.0, 1000.0)]


def test_a_bad_value_is_left_empty_with_a_warning(store_url: str, tmp_path: Path) -> None:
    good = "0001127602-14-000002"
    dataset = _dataset(
        tmp_path / "d.zip",
        SUBMISSION=[_line("SUBMISSION", ACCESSION_NUMBER=ACC, FILING_DATE="31-FEB-2014", DOCUMENT_TYPE="4"),
                    _line("SUBMISSION", ACCESSION_NUMBER=good, FILING_DATE="02-JAN-2015", DOCUMENT_TYPE="4")],
        REPORTINGOWNER=[_line("REPORTINGOWNER", ACCESSION_NUMBER=acc, RPTOWNERCIK="1557203") for acc in (ACC, good)],
        NONDERIV_TRANS=[_line("NONDERIV_TRANS", ACCESSION_NUMBER=ACC, NONDERIV_TRANS_SK="1", TRANS_CODE="S",
                              TRANS_SHARES="n/a", TRANS_PRICEPERSHARE="12.50", EQUITY_SWAP_INVOLVED="maybe")])
    with Store(store_url) as store:
        assert store.import_sec_dataset(dataset) == 2  # nothing refused, nothing lost but the bad values
        rows = _filings(store)
        (trade,) = store.query("SELECT * FROM transactions", format="arrow").to_pylist()
    bad, fine = rows[ACC], rows[good]
    assert (bad["filed_at"], fine["filed_at"], fine["warnings"]) == (None, dt.date(2015, 1, 2), [])
    warnings = {w["field"]: w["message"] for w in bad["warnings"]}
    assert set(warnings) == {"filed_at", "non_derivative_transactions[0].shares",
                             "non_derivative_transactions[0].equity_swap_involved"}
    assert warnings["filed_at"].startswith("SUBMISSION.tsv line 2, FILING_DATE: not a date: '31-FEB-2014'")
    assert "NONDERIV_TRANS.tsv line 2, TRANS_SHARES" in warnings["non_derivative_transactions[0].shares"]
    assert (trade["shares"], trade["price_per_share"], trade["transaction_code"]) == (None, 12.5, "S")


def test_rows_without_their_submission_still_load_with_a_warning(store_url: str, tmp_path: Path) -> None:
    stray = "0001127602-14-000009"
    dataset = _dataset(tmp_path / "d.zip", FOOTNOTES=[_line("FOOTNOTES", ACCESSION_NUMBER=stray, FOOTNOTE_ID="F1",
                                                            FOOTNOTE_TXT="Held by a trust.")])
    with Store(store_url) as store:
        assert store.import_sec_dataset(dataset) == 2
        filing = next(f for f in store.filings() if f.accession_number == stray)
        (warning,) = _filings(store)[stray]["warnings"]
    assert [f.text for f in filing.footnotes] == ["Held by a trust."]
    assert warning["field"] == "accession_number"
    assert "FOOTNOTES.tsv line 2: no SUBMISSION.tsv row" in warning["message"]


# ---- files that are not a data set -------------------------------------------------------


def _not_a_zip(tmp_path: Path) -> Path:
    path = tmp_path / "2024q1_form345.zip"
    path.write_text("ACCESSION_NUMBER\tFILING_DATE\n")
    return path


def _no_submission(tmp_path: Path) -> Path:
    with zipfile.ZipFile(tmp_path / "photos.zip", "w") as zf:
        zf.writestr("IMG_0001.jpg", b"\xff\xd8")
    return tmp_path / "photos.zip"


def _damaged(tmp_path: Path) -> Path:
    text = " ".join(hashlib.sha256(str(i).encode()).hexdigest() for i in range(100))  # does not compress away
    path = _dataset(tmp_path / "d.zip", FOOTNOTES=[_line("FOOTNOTES", ACCESSION_NUMBER=ACC, FOOTNOTE_ID="F1",
                                                         FOOTNOTE_TXT=text)])
    data = bytearray(path.read_bytes())
    at = data.index(b"FOOTNOTES.tsv") + 200  # inside the compressed text
    data[at:at + 8] = b"\x00" * 8
    path.write_bytes(bytes(data))
    return path


BROKEN: dict[str, tuple[Callable[[Path], Path], str]] = {
    "missing": (lambda tmp: tmp / "2024q1_form345.zip", "2024q1_form345.zip: no such file"),
    "a directory": (lambda tmp: tmp, ": a directory, not an SEC data set zip"),
    "not a zip": (_not_a_zip, "2024q1_form345.zip: not a zip file"),
    "no SUBMISSION.tsv": (_no_submission, "photos.zip: not an SEC Insider Transactions Data Set (no SUBMISSION.tsv)"),
    "SUBMISSION.tsv without columns": (
        lambda tmp: _dataset(tmp / "d.zip", headers={"SUBMISSION": "ACCESSION_NUMBER\tISSUERCIK"}),
        "d.zip: SUBMISSION.tsv: no column FILING_DATE, PERIOD_OF_REPORT, DATE_OF_ORIG_SUB"),
    "a file missing": (lambda tmp: _dataset(tmp / "d.zip", names=lambda m: "x.txt" if m == "FOOTNOTES" else m + ".tsv"),
                       "d.zip: an SEC data set without FOOTNOTES.tsv"),
    "a column missing": (
        lambda tmp: _dataset(tmp / "d.zip", headers={"DERIV_HOLDING": "\t".join(HEADERS["DERIV_HOLDING"][:8])}),
        "d.zip: DERIV_HOLDING.tsv: no column EXERCISE_DATE, EXPIRATION_DATE"),
    "damaged": (_damaged, "d.zip: FOOTNOTES.tsv: damaged in the zip"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_file_that_is_not_a_data_set_is_a_one_line_error(case: str, store_url: str, tmp_path: Path) -> None:
    make, message = BROKEN[case]
    path = make(tmp_path)
    with Store(store_url) as store:
        with pytest.raises(DatasetError) as caught:
            store.import_sec_dataset(path)
        assert store.query("SELECT count(*) AS n FROM filings", format="arrow").to_pylist() == [{"n": 0}]
    text = str(caught.value)
    assert isinstance(caught.value, StoreError) and "\n" not in text
    assert text.startswith(str(path)) and message in text, text
