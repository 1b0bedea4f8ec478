"""Documentation keeps up: every command has help and is in the README."""

from __future__ import annotations

import typer.main
from typer.testing import CliRunner

from form4.cli import app
from tests.conftest import ROOT

COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def test_every_command_is_documented() -> None:
    readme = (ROOT / "README.md").read_text()
    for name in COMMANDS:
        assert f"form4 {name}" in readme, f"README does not show `form4 {name}`"
        result = CliRunner().invoke(app, [name, "--help"])
        assert result.exit_code == 0 and len(result.stdout) > 100


def test_readme_starts_with_the_two_commands_and_ci_runs_the_test_one() -> None:
    head = (ROOT / "README.md").read_text().splitlines()[:6]
    commands = [line.split("#")[0].strip() for line in head if line.startswith("bash ")]
    assert len(commands) == 2 and "form4 ingest examples/filings" in commands[0]
    assert commands[1] in (ROOT / ".ci" / "run").read_text()
