"""Documentation keeps up: every command has help and is in the README, and the README's
examples are true.

Every ```python block of the README runs as written, on its own, from a working directory
holding the bundled ``examples/``. An expression statement followed by a comment that is a
Python literal (``filing.source  # 'pdf'``) is a claim: its value must equal the comment.
"""

from __future__ import annotations

import ast
import io
import re
import shlex
import shutil
import tokenize
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from form4.cli import app
from tests.conftest import ROOT

README = ROOT / "README.md"
COMMANDS: dict[str, Any] = typer.main.get_command(app).commands  # type: ignore[attr-defined]
_BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.M | re.S)
_LITERAL_START = (*"{[(\"'-0123456789", "True", "False", "None")


def blocks(language: str) -> list[tuple[int, str]]:
    """The README's code blocks in ``language``: (line number of the first code line, code)."""
    text = README.read_text()
    return [(text.count("\n", 0, m.start(2)) + 1, m.group(2))
            for m in _BLOCK.finditer(text) if m.group(1) == language]


def _every_command() -> list[list[str]]:
    """Each command's words: ``["parse"]``, and for a group each of its own (``["report", "issuer"]``)."""
    return [[name, *([sub] if sub else [])] for name, command in COMMANDS.items()
            for sub in (list(command.commands) if hasattr(command, "commands") else [None])]


def test_every_command_is_documented() -> None:
    readme = README.read_text()
    for words in _every_command():
        assert f"form4 {' '.join(words)}" in readme, f"README does not show `form4 {' '.join(words)}`"
        result = CliRunner().invoke(app, [*words, "--help"])
        assert result.exit_code == 0 and len(result.stdout) > 100


def test_readme_starts_with_the_two_commands_and_ci_runs_the_test_one() -> None:
    head = README.read_text().splitlines()[:6]
    commands = [line.split("#")[0].strip() for line in head if line.startswith("bash ")]
    assert len(commands) == 2 and "form4 ingest examples/filings" in commands[0]
    assert commands[1] in (ROOT / ".ci" / "run").read_text()


# --- shell examples: real commands, real options, bundled paths ---------------------------------

def form4_calls(line: str) -> list[list[str]]:
    """Each ``form4 COMMAND ARGS...`` of a shell line, up to its pipe or redirection."""
    calls, current, previous = [], None, ""
    for token in shlex.shlex(line, posix=True, punctuation_chars=True):
        if token in ("|", "||", "&&", ";", ">", ">>", "<"):
            current = None
        elif current is not None:
            current.append(token)
        elif (token == "form4" or token.endswith("/form4")) and previous != "install":  # pip install form4
            current = []
            calls.append(current)
        previous = token
    return calls


def _options(command: Any) -> set[str]:
    return {o for p in command.params if p.param_type_name == "option" for o in (*p.opts, *p.secondary_opts)}


@pytest.mark.parametrize(("line", "code"), [pytest.param(*b, id=f"line{b[0]}") for b in blocks("bash")])
def test_shell_examples_use_real_commands_options_and_paths(line: int, code: str) -> None:
    for number, text in enumerate(code.splitlines(), line):
        for name, *args in form4_calls(text):
            assert name in COMMANDS, f"README line {number}: no command `form4 {name}`"
            command = COMMANDS[name]
            if hasattr(command, "commands") and args:  # a group: its first word names the command
                assert args[0] in command.commands, f"README line {number}: no command `form4 {name} {args[0]}`"
                name, command, args = f"{name} {args[0]}", command.commands[args[0]], args[1:]
            for arg in args:
                if arg.startswith("-") and arg != "-":
                    assert arg.split("=")[0] in _options(command) | {"--help"}, \
                        f"README line {number}: `form4 {name}` has no option {arg}"
                elif arg.startswith("examples/"):
                    assert (ROOT / arg).exists(), f"README line {number}: {arg} is not bundled"


# --- Python examples: run, with their commented values checked ----------------------------------

def _comments(code: str) -> dict[int, str]:
    tokens = tokenize.generate_tokens(io.StringIO(code).readline)
    return {t.start[0]: t.string[1:].strip() for t in tokens if t.type == tokenize.COMMENT}


def _expected(comment: str, where: str) -> ast.expr | None:
    """The value a comment claims, or None for a comment in words."""
    try:
        ast.literal_eval(comment)
    except (ValueError, SyntaxError):
        # a comment that starts like a value but is not one would silently check nothing
        assert not comment.startswith(_LITERAL_START), f"{where}: `# {comment}` is not a Python literal"
        return None
    return ast.parse(comment, mode="eval").body


class _Checks(ast.NodeTransformer):
    """Turns each ``expr  # literal`` statement into ``_check(expr, literal, where)``."""

    def __init__(self, comments: dict[ast.Expr, str], first_line: int) -> None:
        self.comments = comments
        self.first_line = first_line
        self.count = 0

    def visit_Expr(self, node: ast.Expr) -> ast.stmt:
        where = f"README.md line {self.first_line + (node.end_lineno or node.lineno) - 1}"
        expected = _expected(self.comments[node], where) if node in self.comments else None
        if expected is None:
            return node
        self.count += 1
        call = ast.Call(ast.Name("_check", ast.Load()), [node.value, expected, ast.Constant(where)], [])
        return ast.copy_location(ast.Expr(call), node)


def _check(actual: Any, expected: Any, where: str) -> None:
    assert actual == expected, f"{where}: the value is {actual!r}, the comment says {expected!r}"


def checked(code: str, first_line: int) -> tuple[Any, int]:
    """The block compiled with its claims checked (line numbers those of the README), and how
    many claims it makes."""
    tree = ast.parse(code)
    # a comment speaks of the last statement on its line: `b` after `a; b`, the body's last
    # statement rather than the `for` or `with` ending with it (ties go to the innermost)
    statements = [n for n in ast.walk(tree) if isinstance(n, ast.stmt)]
    last = {n.end_lineno: n for n in sorted(statements, key=lambda n: n.end_col_offset or 0)}
    comments = {node: text for line, text in _comments(code).items()
                if isinstance(node := last.get(line), ast.Expr)}
    checks = _Checks(comments, first_line)
    tree = ast.fix_missing_locations(checks.visit(tree))
    ast.increment_lineno(tree, first_line - 1)
    return compile(tree, str(README), "exec"), checks.count


@pytest.fixture
def examples_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory like the project's: the bundled examples under ``examples/``."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FORM4_DB", raising=False)
    return tmp_path


@pytest.mark.parametrize(("line", "code"), [pytest.param(*b, id=f"line{b[0]}") for b in blocks("python")])
def test_python_example_runs_as_written(line: int, code: str, examples_dir: Path) -> None:
    program, _ = checked(code, line)
    exec(program, {"_check": _check, "__name__": "readme"})


def test_python_examples_make_claims_and_a_wrong_claim_fails() -> None:
    assert sum(checked(code, line)[1] for line, code in blocks("python")) >= 4
    program, count = checked("x = {'a': 1}\nx['a']  # 2\nx; x['a']  # 1\n", 1)
    with pytest.raises(AssertionError, match="line 2: the value is 1, the comment says 2"):
        exec(program, {"_check": _check})
    assert count == 2
    with pytest.raises(AssertionError, match="not a Python literal"):
        checked("len([])  # 0 rows\n", 1)
