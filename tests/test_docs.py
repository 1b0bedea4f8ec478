"""Documentation keeps up: every command has help and is in the README, and the README's
examples are true.

Every ```python block of the README runs as written, on its own, from a working directory
holding the bundled ``examples/``. An expression statement followed by a comment that is a
Python literal (``filing.source  # 'pdf'``) is a claim: its value must equal the comment.
"""

from __future__ import annotations

import ast
import io
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import tokenize
from pathlib import Path
from typing import Any

import httpx
import pytest
import typer.main
from typer.testing import CliRunner

import form4
from form4.cli import app
from tests.conftest import ROOT
from tests.store.conftest import PG_URL

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


# --- every shell example, run as typed on the bundled examples -----------------------------------
#
# Each README line that calls form4 runs through bash in one working directory holding a copy of
# ``examples/`` and the store ``form4.duckdb`` ingested from it, with ``form4`` on the PATH; a
# line's earlier lines in its block run first (``import-sec-dataset`` reads what ``export`` wrote).
# EDGAR commands go to ``form4 mirror serve`` started from the README's own line. Only what names
# a machine the test does not have is replaced, each for a stated reason (``_STAND_INS``).

PLACEHOLDER_PG = re.compile(r"postgresql://me:pw@\S+")
_STAND_INS = {  # what the README names -> what the test gives instead (and why)
    "tcp://scheduler:8786": "a LocalCluster's scheduler (the README's cluster is not here)",
    "/shared/feeds": "examples/feed (a folder of feed archives on a shared file system)",
    "postgresql://me:pw@…": "a fresh schema in the tests' PostgreSQL (FORM4_TEST_PG)",
    "--port 8000 / 127.0.0.1:8000": "a free port (8000 may be taken)",
    "watch without --polls": "--polls 1 (it watches until Ctrl-C)",
    "my-alerts": "cat (the reader's own program)",
}


def shell_lines() -> list[tuple[int, str, int]]:
    """(README line, the line, the line number of its block's first line) for each line calling form4."""
    return [(number, text, first) for first, code in blocks("bash")
            for number, text in enumerate(code.splitlines(), first) if form4_calls(text)]


class Workspace:
    """A user's working directory: the examples, their store, a local EDGAR, tools on the PATH."""

    def __init__(self, root: Path) -> None:
        self.root = root
        shutil.copytree(ROOT / "examples", root / "examples")
        tools = root / ".bin"
        tools.mkdir()
        (tools / "form4").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m form4 "$@"\n')
        (tools / "my-alerts").write_text("#!/bin/sh\nexec cat\n")
        for tool in tools.iterdir():
            tool.chmod(0o755)
        self.env = {key: value for key, value in os.environ.items() if not key.startswith("FORM4_")}
        self.env.update(PATH=f"{tools}{os.pathsep}{os.environ['PATH']}", COLUMNS="120",
                        PYTHONPATH=os.pathsep.join([str(Path(form4.__file__).parents[1]), str(ROOT)]),
                        FORM4_CONFIG=str(root / "no-config.toml"), FORM4_CACHE=str(root / ".cache"),
                        FORM4_SPOOL=str(root / ".spool"))
        if "FORM4_TEST_PG" in os.environ:
            self.env["FORM4_TEST_PG"] = os.environ["FORM4_TEST_PG"]
        self.done: set[int] = set()
        self.servers: list[subprocess.Popen[str]] = []
        self.api = ""
        self.api_server: subprocess.Popen[str] | None = None
        self.cluster: Any = None
        self.mirror = self._start_mirror()
        setup = self.bash("form4 ingest examples/filings examples/feed/20250307.tar.gz")
        assert setup.returncode == 0, setup.stderr

    def bash(self, line: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["bash", "-c", line], cwd=self.root, env=self.env, capture_output=True, text=True,
                              timeout=timeout)

    def background(self, line: str) -> subprocess.Popen[str]:
        """A server started from its README line."""
        server = subprocess.Popen(["bash", "-c", f"exec {line}"], cwd=self.root, env=self.env, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.servers.append(server)
        return server

    def stop_api(self) -> None:
        if self.api_server is not None:
            self._stop(self.api_server)
            self.api_server = None

    def _stop(self, server: subprocess.Popen[str]) -> None:
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=30)
        self.servers.remove(server)

    def _start_mirror(self) -> str:
        [line] = [text for _, text, _ in shell_lines() if "form4 mirror serve" in text]
        mirror = self.background(re.sub(r"--port \d+", "--port 0", line.split("#")[0]))
        assert mirror.stdout is not None
        printed = mirror.stdout.readline()
        found = re.search(r"export FORM4_SEC_BASE_URL=(http://127\.0\.0\.1:\d+)", printed)
        assert found, f"form4 mirror serve printed {printed!r}"
        self.env.update(FORM4_SEC_BASE_URL=found.group(1), FORM4_USER_AGENT="Jane Analyst jane@example.com")
        return found.group(1)

    def postgres(self, request: pytest.FixtureRequest) -> str:
        from tests.store.conftest import _postgres_or_reason, _schema

        reason = _postgres_or_reason()
        if reason:
            if os.environ.get("CI"):
                pytest.fail(reason)
            pytest.skip(f"the line stores into PostgreSQL: {reason}")
        return _schema(os.environ.get("FORM4_TEST_PG", PG_URL), request)

    def scheduler(self) -> str:
        if self.cluster is None:
            from distributed import LocalCluster

            self.cluster = LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None)
        return str(self.cluster.scheduler_address)

    def close(self) -> None:
        for server in list(self.servers):
            self._stop(server)
        if self.cluster is not None:
            self.cluster.close()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Any:
    space = Workspace(tmp_path_factory.mktemp("readme"))
    yield space
    space.close()


def _as_run(text: str, block_serves_api: bool, space: Workspace, request: pytest.FixtureRequest) -> str:
    """The README line as the test runs it: the comment dropped and the stand-ins put in."""
    line = text.split(" #")[0].strip().removeprefix("bash scripts/setup.sh && ").replace(".venv/bin/form4", "form4")
    if PLACEHOLDER_PG.search(line):
        line = PLACEHOLDER_PG.sub(space.postgres(request), line)
    if "tcp://scheduler:8786" in line:
        line = line.replace("tcp://scheduler:8786", space.scheduler())
    line = line.replace("/shared/feeds", "examples/feed")
    if "form4 watch" in line and "--polls" not in line:
        line = line.replace("form4 watch", "form4 watch --polls 1")
    return line.replace("http://127.0.0.1:8000", space.api if block_serves_api else space.mirror)


def _answer(line: str, done: subprocess.CompletedProcess[str], root: Path) -> str:
    """What the line gave: its output, or what it wrote (``> FILE``, ``--out PATH``)."""
    written = [root / m for m in re.findall(r"(?:>|--out|--xml|--html|--pdf)\s+(\S+)", line)]
    files = [f for w in written if w.exists() for f in ([w] if w.is_file() else w.rglob("*")) if f.is_file()]
    return done.stdout + "".join(f.read_bytes()[:100_000].decode("latin-1") for f in files)


def _run_line(space: Workspace, number: int, text: str, first: int, request: pytest.FixtureRequest) -> None:
    block = next(code for line, code in blocks("bash") if line == first)
    for earlier, earlier_text, earlier_first in shell_lines():
        if earlier_first == first and earlier < number and earlier not in space.done:
            _run_line(space, earlier, earlier_text, earlier_first, request)
    space.done.add(number)
    where = f"README line {number}: {text.strip()}"
    if "form4 mirror serve" in text:  # the workspace started it from this line
        assert space.mirror.startswith("http://127.0.0.1:"), where
        return
    for setting in re.findall(r"^export (.*)$", block, re.M):  # the block's environment, its URLs stood in for
        for name, value in (pair.split("=", 1) for pair in shlex.split(setting, comments=True)):
            space.env[name] = space.mirror if name == "FORM4_SEC_BASE_URL" else value
    serves_api = "form4 serve" in block
    if not serves_api:
        space.stop_api()  # a server holds its DuckDB store: the other blocks' lines come after it stops
    line = _as_run(text, serves_api, space, request)
    if re.search(r"\bform4 serve\b", line):
        space.stop_api()  # one server at a time: a DuckDB store one serves, another cannot write
        port = _free_port()
        space.api = f"http://127.0.0.1:{port}"
        space.api_server = space.background(re.sub(r"--port \d+", f"--port {port}", line))
        answer = _wait_for(f"{space.api}/api/filings")
        assert answer["items"], f"{where}: the server serves no filings"
        # the examples hold a cluster of purchases: the screen's API and its dashboard page show it
        assert httpx.get(f"{space.api}/api/screens/cluster-buys").json(), f"{where}: no cluster of buyers"
        page = httpx.get(f"{space.api}/screens/cluster-buys")
        assert page.status_code == 200 and "XMPL" in page.text, f"{where}: the dashboard shows no cluster"
        return
    done = space.bash(line)
    allowed = (0, 1) if "form4 validate" in line else (0,)  # validate exits 1 when it finds an error
    assert done.returncode in allowed, f"{where}\nran: {line}\nexit {done.returncode}: {done.stderr[-2000:]}"
    assert not _empty(line, _answer(line, done, space.root)), \
        f"{where}\nran: {line}\ngave no answer: {done.stdout[:500]!r}; stderr: {done.stderr[-1000:]}"


def _empty(line: str, answer: str) -> bool:
    """An answer with nothing in it: no output, no rows, a CSV header alone, a JSON list or lists empty."""
    text = answer.strip()
    if not text or "(no rows)" in text:
        return True
    if re.search(r"(-f|--format)[ =]csv\b", line):
        return len(text.splitlines()) < 2
    try:
        value = json.loads(text)
    except ValueError:
        return False
    lists = [value] if isinstance(value, list) else [v for v in value.values() if isinstance(v, list)] \
        if isinstance(value, dict) else []
    return bool(lists) and not any(lists)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(url: str) -> Any:
    deadline = time.monotonic() + 60
    while True:
        try:
            return httpx.get(url, timeout=5).json()
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


@pytest.mark.parametrize(("number", "text", "first"), [pytest.param(*s, id=f"line{s[0]}") for s in shell_lines()])
def test_shell_example_gives_an_answer_on_the_examples(number: int, text: str, first: int, workspace: Workspace,
                                                       request: pytest.FixtureRequest) -> None:
    if number in workspace.done:  # run already, as an earlier line of a later one's block
        return
    _run_line(workspace, number, text, first, request)


def test_an_empty_answer_is_told_apart() -> None:
    for line, answer in [("form4 query x", "\n(no rows)\n"), ("form4 screen sales -f csv", "a,b\n"), ("x", "[]"),
                         ("form4 report short-swing -f json", '{"profit": 0.0, "pairs": []}'), ("x", "  ")]:
        assert _empty(line, answer), (line, answer)
    for line, answer in [("form4 screen sales -f csv", "a,b\n1,2\n"), ("x", '[{"a": 1}]'), ("x", "SNOW  4")]:
        assert not _empty(line, answer), (line, answer)


def test_every_stand_in_is_for_something_the_readme_names() -> None:
    readme = README.read_text()
    assert PLACEHOLDER_PG.search(readme) and "tcp://scheduler:8786" in readme and "/shared/feeds" in readme
    assert "--port 8000" in readme and "my-alerts" in readme and len(_STAND_INS) == 6
