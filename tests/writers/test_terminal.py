"""``form4 parse -f table``: a filing at the terminal shows every number its tables hold, Table II's
holdings with their underlying shares and terms, and footnotes as prose without the XML's layout."""

from __future__ import annotations

import glob
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import form4
from form4.cli import app
from form4.model import Filing
from form4.writers.terminal import prose
from tests.conftest import CORPUS, ROOT

FORM3_SNOW = ROOT / "examples" / "filings" / "form3-snow.xml"
# the corpus's real Form 3s that list derivative holdings (SNOW's among them)
REAL_FORM3S = sorted(p for p in map(Path, glob.glob(str(CORPUS / "xml" / "real-*.xml")))
                     if "<documentType>3</documentType>" in p.read_text(errors="replace")
                     and "<derivativeHolding>" in p.read_text(errors="replace"))


def _table(path: Path) -> list[str]:
    """The lines ``form4 parse PATH -f table`` prints, on a terminal wide enough for no line to wrap."""
    result = CliRunner().invoke(app, ["parse", str(path), "-f", "table"], env={"COLUMNS": "2000"})
    assert result.exit_code == 0, result.output
    return [line.strip("│ ").rstrip() for line in result.stdout.splitlines()]


def _shown(value: float) -> str:
    return f"{value:,.0f}" if value.is_integer() else f"{value:,}"


def test_form3_derivative_holdings_show_their_underlying_shares_and_terms() -> None:
    filing = form4.read(FORM3_SNOW)
    lines = _table(FORM3_SNOW)
    assert filing.derivative_holdings and any("Underlying shares" in line for line in lines)
    rows = [line for line in lines if line.startswith(("Series", "Stock Option"))]
    assert len(rows) == len(filing.derivative_holdings)
    for line, holding in zip(rows, filing.derivative_holdings, strict=True):
        assert holding.underlying_shares is not None
        cells = re.split(r"\s{2,}", line)
        assert _shown(holding.underlying_shares) in cells
        assert (holding.underlying_security_title or "") in cells
        if holding.conversion_or_exercise_price is not None:
            assert f"${holding.conversion_or_exercise_price:,}" in cells
        if holding.expiration_date is not None:
            assert holding.expiration_date.isoformat() in cells
        assert (holding.nature_of_ownership or holding.direct_or_indirect or "") in cells


@pytest.mark.parametrize("path", REAL_FORM3S, ids=lambda p: p.stem)
def test_every_real_form3_shows_each_derivative_holdings_number(path: Path) -> None:
    filing = form4.read(path)
    printed = "\n".join(_table(path))
    for holding in filing.derivative_holdings:
        amount = holding.underlying_shares if holding.underlying_shares is not None else holding.underlying_value
        if amount is not None:
            assert _shown(amount) in printed, (path.name, holding.security_title)


def test_no_column_is_left_empty() -> None:
    # a Form 3 has no transaction: its tables drop the date, code and price columns
    header = next(line for line in _table(FORM3_SNOW) if line.startswith("Security "))
    assert "Date" not in header and "Code" not in header and "Price " not in header


def test_form4_tables_show_transactions_holdings_and_natures() -> None:
    path = ROOT / "examples" / "filings" / "form4-snow.xml"
    filing = form4.read(path)
    lines = _table(path)
    holdings = [h for h in filing.non_derivative_holdings if h.nature_of_ownership]
    indirect = [cells for cells in (re.split(r"\s{2,}", line) for line in lines if not line.startswith("("))
                if "I" in cells]
    assert len(indirect) == len(holdings) and holdings  # each indirect holding on its own line
    for cells, holding in zip(indirect, holdings, strict=True):
        assert holding.shares_owned_following is not None
        assert _shown(holding.shares_owned_following) in cells and holding.nature_of_ownership in cells
    option = filing.derivative_transactions[0]
    assert option.conversion_or_exercise_price is not None and option.expiration_date is not None
    option_line = next(line for line in lines if line.startswith(option.security_title or "?"))
    assert f"${option.conversion_or_exercise_price:,}" in option_line
    assert option.expiration_date.isoformat() in option_line


@pytest.mark.parametrize("name", ["form3-snow.xml", "form4-snow.xml", "form5-snow.xml"])
def test_footnotes_are_printed_as_prose(name: str) -> None:
    path = ROOT / "examples" / "filings" / name
    filing: Filing = form4.read(path)
    lines = _table(path)
    for note in filing.footnotes:
        line = next(line for line in lines if line.startswith(f"({note.id}) "))
        assert line == f"({note.id}) {' '.join(note.text.split())}"  # one line, no XML indentation


def test_prose_keeps_paragraphs_and_drops_layout() -> None:
    assert prose("Includes shares to be issued upon vesting of restricted stock\n            units.") == \
        "Includes shares to be issued upon vesting of restricted stock units."
    assert prose("  First paragraph,\n  two lines.\n\n    Second.  Sentence.\n") == \
        "First paragraph, two lines.\nSecond. Sentence."
    assert prose("") == ""
