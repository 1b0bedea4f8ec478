"""Every corpus filing (XML and submission text) reads to exactly its expected record."""

from __future__ import annotations

from pathlib import Path

import pytest

import form4
from tests.conftest import CORPUS, expected_record, mismatches

XML = sorted((CORPUS / "xml").glob("*.xml"))
SUBMISSIONS = sorted((CORPUS / "txt").iterdir()) if (CORPUS / "txt").is_dir() else []


def test_corpus_is_there() -> None:
    assert len(XML) >= 60 and len(SUBMISSIONS) >= 50


@pytest.mark.parametrize("path", XML + SUBMISSIONS, ids=lambda p: p.name)
def test_reads_to_expected_record(path: Path) -> None:
    filing = form4.read(path)
    assert mismatches(expected_record(path.name.split(".")[0]), filing.to_dict()) == []
    assert filing.warnings == []


@pytest.mark.parametrize("path", SUBMISSIONS, ids=lambda p: p.name)
def test_submission_gives_header_fields(path: Path) -> None:
    filing = form4.read(path)
    assert filing.source == "sgml"
    assert filing.accession_number == expected_record(path.name.split(".")[0])["accession_number"]
    assert filing.filed_at is not None


def test_json_matches_dict() -> None:
    import json

    for path in XML[:10]:
        filing = form4.read(path)
        assert json.loads(filing.to_json()) == filing.to_dict()
