"""EDGAR's answers as the SEC served them (tests/edgar/real/, see its README), read whole through the
public parsers: the submissions API and its older page, the ticker map, a filing folder's listing and
the latest-filings feed. Each figure is counted from the raw file independently of the parser."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from form4.edgar.atom import parse_atom
from form4.edgar.folders import parse_folder, submission_name
from form4.edgar.submissions import parse_submissions, parse_submissions_page, parse_tickers

REAL = Path(__file__).parent / "real"
ROLES = {"Reporting", "Issuer", "Filer", "Subject", "Filed by"}


def test_a_real_submissions_answer_reads_whole_with_its_older_page() -> None:
    raw = json.loads((REAL / "submissions" / "CIK0000320193.json").read_bytes())
    company = parse_submissions((REAL / "submissions" / "CIK0000320193.json").read_bytes())
    assert (company.cik, company.name, company.tickers) == (320193, "Apple Inc.", ("AAPL",))
    padded = parse_submissions(json.dumps({**raw, "cik": "0000320193"}).encode())  # as newer answers give it
    assert padded.cik == 320193 and padded.filings == company.filings
    recent = raw["filings"]["recent"]
    assert [f.accession_number for f in company.filings] == recent["accessionNumber"]
    assert [f.form for f in company.filings] == recent["form"]
    assert [str(f.filing_date) for f in company.filings] == recent["filingDate"]
    assert company.older_pages == [f["name"] for f in raw["filings"]["files"]]
    page_raw = json.loads((REAL / "submissions" / company.older_pages[0]).read_bytes())
    page = parse_submissions_page((REAL / "submissions" / company.older_pages[0]).read_bytes())
    assert [f.accession_number for f in page] == page_raw["accessionNumber"]
    assert len(page) == raw["filings"]["files"][0]["filingCount"]
    assert not {f.accession_number for f in page} & {f.accession_number for f in company.filings}


def test_the_real_ticker_map_reads_whole() -> None:
    raw = json.loads((REAL / "company_tickers.json").read_bytes())
    tickers = parse_tickers((REAL / "company_tickers.json").read_bytes())
    assert len(tickers) == len({row["ticker"].upper() for row in raw.values()}) > 9000
    assert tickers["AAPL"] == 320193 and all(isinstance(cik, int) for cik in tickers.values())


def test_a_real_folder_listing_reads_whole_and_names_its_submission() -> None:
    data = (REAL / "folders" / "0001213900-24-004875-index.json").read_bytes()
    items = parse_folder(data)
    assert [i.name for i in items] == [i["name"] for i in json.loads(data)["directory"]["item"]]
    assert submission_name(items, "0001213900-24-004875") == "0001213900-24-004875.txt"
    txt = next(i for i in items if i.name.endswith(".txt"))
    assert txt.size == ""  # the full submission's size is not given
    assert {i.name for i in items} >= {"0001213900-24-004875-index.html", "0001213900-24-004875-index-headers.html"}


@pytest.mark.parametrize("page", sorted(p.name for p in (REAL / "atom").glob("*.atom")))
def test_every_entry_of_a_real_feed_page_reads_with_its_role(page: str) -> None:
    data = (REAL / "atom" / page).read_bytes()
    entries = parse_atom(data)
    titles = re.findall(rb"<entry>\s*<title>(.*?)</title>", data, re.S)
    assert len(entries) == len(titles) == data.count(b"<entry>")
    assert [e.form_type for e in entries] == [t.decode("latin-1").split(" - ")[0] for t in titles]
    assert {e.role for e in entries} <= ROLES and all(e.name and e.cik for e in entries)
    assert all(e.filed is not None and e.updated.utcoffset() is not None for e in entries)
    for entry in entries:  # the accession in the entry's id is the one its link's folder names
        assert entry.accession_number.replace("-", "") in entry.link


def test_the_real_feed_s_roles_include_those_of_other_forms() -> None:
    entries = [e for p in sorted((REAL / "atom").glob("*.atom")) for e in parse_atom(p.read_bytes())]
    assert {e.role for e in entries} == ROLES
    assert {e.role for e in entries if e.form_type in ("4", "4/A")} == {"Reporting", "Issuer"}
    filed_by = next(e for e in entries if e.role == "Filed by")
    assert filed_by.form_type not in ("4", "4/A") and filed_by.name
