"""Shared fixtures: the corpus beside the project (``../shared``) and a record comparer."""

from __future__ import annotations

import json
import os
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
