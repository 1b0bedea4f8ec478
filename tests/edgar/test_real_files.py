"""The index files EDGAR really served (``tests/edgar/real/index``) read whole through ``parse_index``:
every data line an entry, each entry what its line says, gzipped or not."""

from __future__ import annotations

import datetime as dt
import gzip
import re
from collections import Counter
from pathlib import Path

import pytest

from form4.edgar.indexes import IndexEntry, parse_index

REAL = Path(__file__).parent / "real"
INDEXES = sorted((REAL / "index").glob("*.idx"))


def data_lines(path: Path) -> list[str]:
    """The lines after the dashed rule that are not blank, counted without the parser."""
    lines = path.read_bytes().decode("latin-1").split("\n")
    rule = next(n for n, line in enumerate(lines) if line.strip() and set(line.strip()) == {"-"})
    return [line for line in lines[rule + 1:] if line.strip()]


def test_the_real_indexes_are_there() -> None:
    assert {p.name for p in INDEXES} >= {"form.20200318.idx", "company.20200102.idx", "master.20200103.idx",
                                         "master-1993-QTR4.idx", "form-empty.idx"}


@pytest.mark.parametrize("path", INDEXES, ids=lambda p: p.name)
def test_every_data_line_is_an_entry(path: Path) -> None:
    entries = parse_index(path.read_bytes())
    lines = data_lines(path)
    assert len(entries) == len(lines)
    for entry, line in zip(entries, lines, strict=True):
        # Whatever the layout, a line ends with its CIK, date and path, and names its form and company.
        words = re.split(r"[|\s]+", line.strip())
        assert entry.path == words[-1]
        assert entry.date_filed.strftime("%Y%m%d") == words[-2].replace("-", "")
        assert entry.form_type in line and entry.company in line
        assert entry.cik == int(words[0] if "|" in line else words[-3])
        assert entry.accession_number in entry.path


@pytest.mark.parametrize("path", INDEXES, ids=lambda p: p.name)
def test_a_gzipped_index_reads_the_same(path: Path) -> None:
    assert parse_index(gzip.compress(path.read_bytes())) == parse_index(path.read_bytes())


def test_a_daily_form_index_has_its_forms_4() -> None:
    entries = parse_index((REAL / "index" / "form.20200318.idx").read_bytes())
    forms = Counter(e.form_type for e in entries)
    assert (len(entries), forms["4"], forms["4/A"]) == (4084, 2040, 34)
    assert IndexEntry("1-A POS", "Belpointe REIT, Inc.", 1749817, dt.date(2020, 3, 18),
                      "edgar/data/1749817/0001010549-20-000033.txt") in entries
    # a name of 60 characters, filling its column to the last two blanks
    assert any(e.company == "J.P. Morgan Chase Commercial Mortgage Securities Trust 2014-" for e in entries)
    assert {"SC 13G/A", "NT 10-K/A", "S-8 POS", "DEF 14A"} <= set(forms)


def test_a_daily_company_index_has_its_header_over_two_lines() -> None:
    entries = parse_index((REAL / "index" / "company.20200102.idx").read_bytes())
    assert entries[0] == IndexEntry("D", "10H CAPITAL FUND I, LP", 1798581, dt.date(2020, 1, 2),
                                    "edgar/data/1798581/0001798581-20-000002.txt")
    assert IndexEntry("SC 13D/A", "360 Finance, Inc.", 1741530, dt.date(2020, 1, 2),
                      "edgar/data/1741530/0001193125-20-000165.txt") in entries
    assert entries[-1].company == "von Storch Debra" and entries[-1].form_type == "4"


def test_a_daily_master_index_says_file_name() -> None:
    entries = parse_index((REAL / "index" / "master.20200103.idx").read_bytes())
    assert entries[0] == IndexEntry("4", "CORE LABORATORIES N V", 1000229, dt.date(2020, 1, 3),
                                    "edgar/data/1000229/0001209191-20-000788.txt")
    # the day's index lists what was disseminated that day, some of it filed before
    assert Counter(e.date_filed for e in entries).most_common(1)[0][0] == dt.date(2020, 1, 3)


def test_the_oldest_quarterly_master_index() -> None:
    entries = parse_index((REAL / "index" / "master-1993-QTR4.idx").read_bytes())
    assert IndexEntry("10-K", "DISNEY WALT CO", 29082, dt.date(1993, 12, 22),
                      "edgar/data/29082/0000950131-94-000021.txt") in entries
    assert entries[0].accession_number == "9999999997-02-056978"


def test_an_index_without_entries_is_empty() -> None:
    assert parse_index((REAL / "index" / "form-empty.idx").read_bytes()) == []


def test_a_real_master_line_with_a_pipe_and_latin_1_in_its_name() -> None:
    """The real file with one name rewritten as a pipe and Latin-1 bytes: only that name changes."""
    path = REAL / "index" / "master.20200103.idx"
    body = path.read_bytes().replace(b"|CORE LABORATORIES N V|", b"|CORE LABORATORIES | SOCI\xc9T\xc9 N V|", 1)
    before, after = parse_index(path.read_bytes()), parse_index(body)
    assert after[0] == IndexEntry("4", "CORE LABORATORIES | SOCI\u00c9T\u00c9 N V", 1000229, dt.date(2020, 1, 3),
                                  "edgar/data/1000229/0001209191-20-000788.txt")
    assert after[1:] == before[1:]


def test_a_real_form_line_with_a_latin_1_name() -> None:
    path = REAL / "index" / "form.20200318.idx"
    name = b"DLP Positive Note Fund LLC"
    body = path.read_bytes().replace(name, b"D\xc9P Positive Note Fund LLC", 1)
    assert parse_index(body)[0].company == "D\u00c9P Positive Note Fund LLC"
