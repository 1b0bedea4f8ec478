"""Run as the program, ``form4`` imports only the module of the command it runs: every command
is still found that way, with the options before it or without."""

from __future__ import annotations

import pytest

from tests.test_cli_conventions import ALL, form4_command

WORDS = sorted({words[0] for words in ALL})


@pytest.mark.parametrize("before", [[], ["-q", "--db", "x.duckdb", "-f", "json"]], ids=["bare", "options-before"])
def test_every_command_runs_as_the_program(before: list[str]) -> None:
    for word in WORDS:
        run = form4_command(*before, word, "--help")
        assert run.returncode == 0, (word, run.stderr)
        assert f"form4 {word} " in " ".join(run.stdout.split()), word  # its own help, not the program's
