"""The command line's conventions, for every command, as a user types them: -q, --db and --format
before or after the command; a command line that cannot be used is one line and exit status 2;
output cut short by its reader ends quietly; summaries are not wrapped when not on a terminal;
help names types in words; an empty file says so."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import form4
from form4.cli import app
from form4.cli.app import Form4Group
from form4.validation import RULES
from tests.conftest import CORPUS, ROOT

EXAMPLES = ROOT / "examples" / "filings"
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(form4.__file__).parents[1]), str(ROOT),
                                                    os.environ.get("PYTHONPATH", "")])}
ENV.pop("COLUMNS", None)


def form4_command(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """``python -m form4 ARGS`` as typed in a shell (no terminal: output to pipes)."""
    return subprocess.run([sys.executable, "-m", "form4", *args], capture_output=True, text=True, env=ENV,
                          timeout=300, **kwargs)  # type: ignore[call-overload]


def commands() -> list[list[str]]:
    """Every command's words (``["report", "issuer"]``…), read from the application itself."""
    from typer.main import get_command

    found: list[list[str]] = []

    def walk(group: Form4Group, words: list[str]) -> None:
        for name, sub in group.commands.items():
            if isinstance(sub, Form4Group):
                walk(sub, [*words, name])
            else:
                found.append([*words, name])
    walk(get_command(app), [])  # type: ignore[arg-type]
    return found


ALL = commands()


def test_every_command_is_found() -> None:
    names = {" ".join(words) for words in ALL}
    assert {"parse", "ingest", "validate", "report issuer", "screen cluster-buys", "mirror serve"} <= names


@pytest.mark.parametrize("words", ALL, ids=[" ".join(w) for w in ALL])
def test_every_command_takes_quiet_after_its_name_and_names_types_in_words(words: list[str]) -> None:
    result = CliRunner().invoke(app, [*words, "-q", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "--quiet" in result.output
    assert not re.search(r"<[\w%|\[\].\- ]+>", result.output), result.output  # <bool>, <list[str]>, <%Y-%m-%d>
    usage = next(line for line in result.output.splitlines() if "Usage:" in line)
    assert "{" not in usage  # PATHS..., not {paths}...


def test_help_shows_types_as_a_command_line_does() -> None:
    text = CliRunner().invoke(app, ["download", "--help"], env={"COLUMNS": "200"}).output
    assert re.search(r"--forms\s+TEXT", text) and re.search(r"--since\s+YYYY-MM-DD", text)
    assert re.search(r"--out\s+PATH", text) and re.search(r"--cik\s+TEXT", text)
    usage = CliRunner().invoke(app, ["parse", "--help"], env={"COLUMNS": "200"}).output
    assert "parse [OPTIONS] PATHS..." in usage and re.search(r"--format\s+-f\s+\[json\|jsonl\|csv\|table\|html\]",
                                                             usage)


def test_quiet_before_or_after_the_command_is_the_same(tmp_path: Path) -> None:
    loud = CliRunner().invoke(app, ["ingest", str(EXAMPLES), "--db", str(tmp_path / "a.duckdb")])
    assert loud.exit_code == 0 and "documents:" in loud.stdout
    for args in (["-q", "ingest", str(EXAMPLES), "--db", str(tmp_path / "b.duckdb")],
                 ["ingest", str(EXAMPLES), "--db", str(tmp_path / "c.duckdb"), "-q"],
                 ["ingest", "-q", str(EXAMPLES), "--db", str(tmp_path / "d.duckdb")]):
        quiet = CliRunner().invoke(app, args)
        assert quiet.exit_code == 0 and quiet.stdout == "" and quiet.stderr == "", args


def test_db_and_format_before_the_command(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    assert form4_command("-q", "--db", db, "ingest", str(EXAMPLES)).returncode == 0
    before = form4_command("--db", db, "-f", "csv", "query", "SELECT count(*) AS n FROM filings")
    after = form4_command("query", "SELECT count(*) AS n FROM filings", "--db", db, "-f", "csv")
    bundled = sum(1 for _ in form4.iter_filings(EXAMPLES))
    assert before.returncode == 0 and before.stdout == after.stdout == f"n\n{bundled}\n"
    # the command's own wins over the one before it
    own = form4_command("-f", "json", "query", "SELECT 1 AS a", "--db", db, "-f", "csv")
    assert own.stdout == "a\n1\n"
    for args, says in ((["-f", "csv", "ingest", str(EXAMPLES), "--db", db], "--format given before the command"),
                       (["-f", "xml", "parse", str(EXAMPLES)], "'xml' is not one of json, jsonl, csv, table, html")):
        run = form4_command(*args)
        assert run.returncode == 2 and says in run.stderr and len(run.stderr.splitlines()) == 1, run.stderr


@pytest.mark.parametrize(("args", "says"), [
    (["screen", "purchases", "--role", "bogus"], "no role 'bogus': one of director, officer"),
    (["screen", "sales", "--role", "director,chef"], "no role 'chef'"),
    (["query", "SELECT 1", "-p", "novalue"], "'novalue': expected NAME=VALUE"),
    (["query", "SELECT 1", "-p"], "Option '-p' requires an argument"),
    (["report", "owner", "abc"], "'abc' is not a CIK"),
    (["report", "short-swing", "--owner", "12x", "--issuer", "SNOW"], "'12x' is not a CIK"),
    (["download", "--cik", "snow", "--out", "x"], "'snow' is not a CIK"),
    (["parse", "-f", "html", str(EXAMPLES)], "html renders one filing"),
    (["validate", "--select", "ZZZ", str(EXAMPLES)], "no rule 'ZZZ'"),
    (["validate", "--ignore", "C1,Q9", str(EXAMPLES)], "no rule 'Q9'"),
    (["parse", "--no-such-option", str(EXAMPLES)], "No such option: --no-such-option"),
    (["ingest"], "Missing argument 'PATHS'"),
])
def test_a_command_line_that_cannot_be_used_is_one_line_and_exit_2(args: list[str], says: str) -> None:
    run = form4_command(*args)
    assert run.returncode == 2, (run.returncode, run.stderr)
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error ") and says in lines[0], run.stderr
    assert "╭" not in run.stderr and run.stdout == ""


def test_an_unknown_validation_code_points_to_the_valid_ones() -> None:
    result = CliRunner().invoke(app, ["validate", "--select", "zzz", str(EXAMPLES)])
    assert result.exit_code == 2
    assert "'ZZZ'" in result.stderr and all(code in result.stderr for code in RULES)
    known = CliRunner().invoke(app, ["validate", "--select", "c,L5", str(EXAMPLES), "-f", "json"])
    assert known.exit_code in (0, 1) and known.stdout.startswith("[")


@pytest.mark.parametrize("args", [
    ["parse", "-f", "jsonl", str(CORPUS / "xml")],
    ["parse", "-f", "csv", str(CORPUS / "xml")],
    ["parse", "-f", "table", str(CORPUS / "xml")],
    ["--help"],
    ["validate", "--help"],
], ids=["jsonl", "csv", "table", "help", "command-help"])
def test_output_read_by_head_ends_quietly(args: list[str]) -> None:
    """``form4 ... | head -1``: a real pipe, closed by its reader after one line."""
    process = subprocess.Popen([sys.executable, "-m", "form4", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=ENV)
    assert process.stdout is not None and process.stderr is not None
    head = subprocess.run(["head", "-1"], stdin=process.stdout, capture_output=True, timeout=300)
    process.stdout.close()  # only head reads it now
    err = process.stderr.read().decode()
    assert process.wait(timeout=300) == 0, err
    assert head.stdout and "Broken pipe" not in err and "Traceback" not in err and "Exception" not in err, err


def test_summaries_are_not_wrapped_when_standard_error_is_not_a_terminal(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    assert form4_command("-q", "ingest", str(EXAMPLES), "--db", db).returncode == 0
    out = tmp_path / ("a-folder-with-a-name-long-enough-to-push-the-line-past-eighty-columns" * 2) / "t.csv"
    run = form4_command("export", "--db", db, "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert f"rows written to {out}\n" in run.stderr  # one line, however long
    assert any(len(line) > 120 for line in run.stderr.splitlines())


def test_an_empty_file_says_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "nothing.xml"
    empty.write_bytes(b"")
    for args in (["parse", str(empty)], ["validate", str(empty)], ["ingest", str(empty), "--db",
                                                                   str(tmp_path / "s.duckdb")]):
        run = CliRunner().invoke(app, args)
        assert run.exit_code == 1
        assert f"{empty}: empty file" in run.stderr, run.stderr
        assert "no Form 3, 4 or 5" not in run.stderr
