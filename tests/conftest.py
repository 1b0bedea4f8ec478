"""Shared fixtures: the corpus beside the project (``../shared``), a record comparer, and a printer
(Chromium) for the tests that print records to PDF."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from form4.compare import mismatches

__all__ = ["CORPUS", "ROOT", "SHARED", "expected_record", "mismatches"]

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FORM4_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"


def expected_record(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CORPUS / "expected" / f"{name}.json").read_text())
    return data


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing at {CORPUS} (set FORM4_SHARED)")
    return CORPUS


@pytest.fixture(scope="session")  # one browser for every test that prints; it lives on the printer's own thread
def printer() -> Iterator[Any]:
    from form4.writers.pdf import CHROMIUM, Printer

    if not Path(CHROMIUM).exists():
        pytest.skip(f"no chromium at {CHROMIUM}")
    with Printer() as made:
        yield made
