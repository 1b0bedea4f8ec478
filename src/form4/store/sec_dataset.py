"""The SEC's Insider Transactions Data Sets: the quarterly zip of tab-separated files.

``write`` lays filings out exactly as the SEC does (file names, columns and their order,
``DD-MON-YYYY`` dates, ``_FN`` footnote columns); ``read`` turns such a zip back into
Filings, so a data set can be loaded into the same store as filings read from EDGAR.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

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

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
# file -> (column, record field or None, footnotes column?) in the SEC's order
_COMMON = [("SECURITY_TITLE", "security_title", True)]
_TRANS = [("TRANS_DATE", "transaction_date", True), ("DEEMED_EXECUTION_DATE", "deemed_execution_date", True),
          ("TRANS_FORM_TYPE", "transaction_form_type", False), ("TRANS_CODE", "transaction_code", False)]
_SWAP_TIMELY = [("TRANS_TIMELINESS", "transaction_timeliness", True)]
_OWNED = [("SHRS_OWND_FOLWNG_TRANS", "shares_owned_following", True),
          ("VALU_OWND_FOLWNG_TRANS", "value_owned_following", True),
          ("DIRECT_INDIRECT_OWNERSHIP", "direct_or_indirect", True),
          ("NATURE_OF_OWNERSHIP", "nature_of_ownership", True)]
_DERIV = [("EXCERCISE_DATE", "exercise_date", True), ("EXPIRATION_DATE", "expiration_date", True),
          ("UNDLYNG_SEC_TITLE", "underlying_security_title", True),
          ("UNDLYNG_SEC_SHARES", "underlying_shares", True), ("UNDLYNG_SEC_VALUE", "underlying_value", True)]
TABLES: dict[str, tuple[str, str, list[tuple[str, str, bool]]]] = {
    "NONDERIV_TRANS": ("non_derivative_transactions", "NONDERIV_TRANS_SK", [
        *_COMMON, *_TRANS, ("EQUITY_SWAP_INVOLVED", "equity_swap_involved", False),
        ("EQUITY_SWAP_TRANS_CD_FN", "", False), *_SWAP_TIMELY, ("TRANS_SHARES", "shares", True),
        ("TRANS_PRICEPERSHARE", "price_per_share", True), ("TRANS_ACQUIRED_DISP_CD", "acquired_disposed", True),
        *_OWNED]),
    "NONDERIV_HOLDING": ("non_derivative_holdings", "NONDERIV_HOLDING_SK", [
        *_COMMON, ("TRANS_FORM_TYPE", "transaction_form_type", False), *_OWNED]),
    "DERIV_TRANS": ("derivative_transactions", "DERIV_TRANS_SK", [
        *_COMMON, ("CONV_EXERCISE_PRICE", "conversion_or_exercise_price", True), *_TRANS,
        ("EQUITY_SWAP_INVOLVED", "equity_swap_involved", True), *_SWAP_TIMELY, ("TRANS_SHARES", "shares", True),
        ("TRANS_TOTAL_VALUE", "total_value", True), ("TRANS_PRICEPERSHARE", "price_per_share", True),
        ("TRANS_ACQUIRED_DISP_CD", "acquired_disposed", True), *_DERIV, *_OWNED]),
    "DERIV_HOLDING": ("derivative_holdings", "DERIV_HOLDING_SK", [
        *_COMMON, ("CONV_EXERCISE_PRICE", "conversion_or_exercise_price", True),
        ("TRANS_FORM_TYPE", "transaction_form_type", False), *_DERIV, *_OWNED]),
}
SUBMISSION = ["ACCESSION_NUMBER", "FILING_DATE", "PERIOD_OF_REPORT", "DATE_OF_ORIG_SUB", "NO_SECURITIES_OWNED",
              "NOT_SUBJECT_SEC16", "FORM3_HOLDINGS_REPORTED", "FORM4_TRANS_REPORTED", "DOCUMENT_TYPE", "ISSUERCIK",
              "ISSUERNAME", "ISSUERTRADINGSYMBOL", "REMARKS", "AFF10B5ONE"]
OWNER = ["ACCESSION_NUMBER", "RPTOWNERCIK", "RPTOWNERNAME", "RPTOWNER_RELATIONSHIP", "RPTOWNER_TITLE",
         "RPTOWNER_TXT", "RPTOWNER_STREET1", "RPTOWNER_STREET2", "RPTOWNER_CITY", "RPTOWNER_STATE",
         "RPTOWNER_ZIPCODE", "RPTOWNER_STATE_DESC", "FILE_NUMBER"]
_RELATIONS = (("is_director", "Director"), ("is_officer", "Officer"), ("is_ten_percent_owner", "TenPercentOwner"),
              ("is_other", "Other"))


def _columns(spec: list[tuple[str, str, bool]]) -> list[str]:
    out = []
    for column, _, footnoted in spec:
        out += [column, f"{column}_FN"] if footnoted else [column]
    return out


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.date):
        return f"{value.day:02d}-{_MONTHS[value.month - 1]}-{value.year}"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).replace("\t", " ").replace("\r", " ").replace("\n", " ")


def _row(accession: str, sk: int, row: Any, spec: list[tuple[str, str, bool]]) -> list[str]:
    out = [accession, str(sk)]
    for _, name, footnoted in spec:
        if not name:  # EQUITY_SWAP_TRANS_CD_FN: the swap flag's footnotes
            out.append(",".join(row.footnotes.get("equity_swap_involved", [])))
            continue
        out.append(_text(getattr(row, name, None)))
        if footnoted:
            out.append(",".join(row.footnotes.get(name, [])))
    return out


def write(filings: Iterable[Filing], out: Path) -> int:
    """Write the filings as an SEC data set zip; the number of filings written."""
    files: dict[str, list[list[str]]] = defaultdict(list)
    count = 0
    for filing in filings:
        count += 1
        acc = filing.accession_number or ""
        files["SUBMISSION"].append([_text(v) for v in (
            acc, filing.filed_at, filing.period_of_report, filing.date_of_original_submission,
            filing.no_securities_owned, filing.not_subject_to_section16, filing.form3_holdings_reported,
            filing.form4_transactions_reported, filing.form_type, filing.issuer.cik, filing.issuer.name,
            filing.issuer.trading_symbol, filing.remarks, filing.aff10b5_one)])
        for o in filing.reporting_owners:
            relation = ",".join(label for attr, label in _RELATIONS if getattr(o, attr))
            files["REPORTINGOWNER"].append([_text(v) for v in (
                acc, o.cik, o.name, relation, o.officer_title, o.other_text, o.street1, o.street2, o.city,
                o.state, o.zip, o.state_description, None)])
        for name, (attr, _, spec) in TABLES.items():
            for row in getattr(filing, attr):
                files[name].append(_row(acc, len(files[name]) + 1, row, spec))
        files["FOOTNOTES"].extend([acc, f.id, _text(f.text)] for f in filing.footnotes)
        files["OWNER_SIGNATURE"].extend([acc, _text(s.name), _text(s.date)] for s in filing.signatures)
    headers = {"SUBMISSION": SUBMISSION, "REPORTINGOWNER": OWNER,
               **{name: ["ACCESSION_NUMBER", sk, *_columns(spec)] for name, (_, sk, spec) in TABLES.items()},
               "FOOTNOTES": ["ACCESSION_NUMBER", "FOOTNOTE_ID", "FOOTNOTE_TXT"],
               "OWNER_SIGNATURE": ["ACCESSION_NUMBER", "OWNERSIGNATURENAME", "OWNERSIGNATUREDATE"]}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, header in headers.items():
            buf = io.StringIO()
            writer = csv.writer(buf, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
            writer.writerow(header)
            writer.writerows(files[name])
            zf.writestr(f"{name}.tsv", buf.getvalue())
    return count


def _date(text: str) -> dt.date | None:
    if not text:
        return None
    day, month, year = text.split("-")
    return dt.date(int(year), _MONTHS.index(month.upper()[:3]) + 1, int(day))


def _value(text: str, name: str) -> Any:
    if text == "":
        return None
    if name.endswith("_date") or name in ("exercise_date", "expiration_date"):
        return _date(text)
    if name in ("shares", "price_per_share", "total_value", "conversion_or_exercise_price", "underlying_shares",
                "underlying_value", "shares_owned_following", "value_owned_following"):
        return float(text)
    if name == "equity_swap_involved":
        return text.strip().lower() in ("1", "true")
    return text


def _flag(text: str) -> bool | None:
    return None if text == "" else text.strip().lower() in ("1", "true")


def _tsv(zf: zipfile.ZipFile, name: str) -> Iterator[dict[str, str]]:
    member = next((n for n in zf.namelist() if Path(n).name.upper() == f"{name}.TSV"), None)
    if member is None:
        return
    with zf.open(member) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")
        yield from csv.DictReader(text, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\")


def read(path: Path) -> Iterator[Filing]:
    """The filings of an SEC data set zip, each as complete as the data set allows."""
    with zipfile.ZipFile(path) as zf:
        filings: dict[str, Filing] = {}
        for r in _tsv(zf, "SUBMISSION"):
            filings[r["ACCESSION_NUMBER"]] = Filing(
                accession_number=r["ACCESSION_NUMBER"], form_type=r["DOCUMENT_TYPE"] or None,
                filed_at=_date(r["FILING_DATE"]), period_of_report=_date(r["PERIOD_OF_REPORT"]),
                date_of_original_submission=_date(r["DATE_OF_ORIG_SUB"]),
                no_securities_owned=bool(_flag(r["NO_SECURITIES_OWNED"])),
                not_subject_to_section16=bool(_flag(r["NOT_SUBJECT_SEC16"])),
                form3_holdings_reported=_flag(r["FORM3_HOLDINGS_REPORTED"]),
                form4_transactions_reported=_flag(r["FORM4_TRANS_REPORTED"]),
                issuer=Issuer(cik=r["ISSUERCIK"] or None, name=r["ISSUERNAME"] or None,
                              trading_symbol=r["ISSUERTRADINGSYMBOL"] or None),
                remarks=r["REMARKS"] or None, aff10b5_one=_flag(r["AFF10B5ONE"]), source="sec-dataset",
                source_name=str(path))
        for r in _tsv(zf, "REPORTINGOWNER"):
            relation = {part.strip() for part in r["RPTOWNER_RELATIONSHIP"].split(",")}
            filing = filings.get(r["ACCESSION_NUMBER"])
            if filing is not None:
                filing.reporting_owners.append(ReportingOwner(
                    cik=r["RPTOWNERCIK"] or None, name=r["RPTOWNERNAME"] or None, street1=r["RPTOWNER_STREET1"] or None,
                    street2=r["RPTOWNER_STREET2"] or None, city=r["RPTOWNER_CITY"] or None,
                    state=r["RPTOWNER_STATE"] or None, zip=r["RPTOWNER_ZIPCODE"] or None,
                    state_description=r["RPTOWNER_STATE_DESC"] or None, officer_title=r["RPTOWNER_TITLE"] or None,
                    other_text=r["RPTOWNER_TXT"] or None,
                    **{attr: label in relation for attr, label in _RELATIONS}))
        kinds = {"NONDERIV_TRANS": NonDerivativeTransaction, "NONDERIV_HOLDING": NonDerivativeHolding,
                 "DERIV_TRANS": DerivativeTransaction, "DERIV_HOLDING": DerivativeHolding}
        for name, (attr, sk, spec) in TABLES.items():
            for r in sorted(_tsv(zf, name), key=lambda r: int(r[sk] or 0)):
                filing = filings.get(r["ACCESSION_NUMBER"])
                if filing is None:
                    continue
                values = {field: _value(r.get(column, ""), field) for column, field, _ in spec if field}
                notes = {field: r[f"{column}_FN"].split(",") for column, field, footnoted in spec
                         if field and footnoted and r.get(f"{column}_FN")}
                if r.get("EQUITY_SWAP_TRANS_CD_FN"):
                    notes["equity_swap_involved"] = r["EQUITY_SWAP_TRANS_CD_FN"].split(",")
                getattr(filing, attr).append(kinds[name](**values, footnotes=notes))
        for r in _tsv(zf, "FOOTNOTES"):
            if r["ACCESSION_NUMBER"] in filings:
                filings[r["ACCESSION_NUMBER"]].footnotes.append(Footnote(id=r["FOOTNOTE_ID"], text=r["FOOTNOTE_TXT"]))
        for r in _tsv(zf, "OWNER_SIGNATURE"):
            if r["ACCESSION_NUMBER"] in filings:
                filings[r["ACCESSION_NUMBER"]].signatures.append(
                    Signature(name=r["OWNERSIGNATURENAME"] or None, date=_date(r["OWNERSIGNATUREDATE"])))
    yield from filings.values()
