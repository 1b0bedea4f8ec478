"""The ``form4`` application: its options before any command, and the decorator every command is
registered with, which turns known failures into one line and an exit status.

The conventions every command follows are kept here, once: a command line that cannot be used is
one line on standard error and exit status 2 (``Form4Group.main``); ``-q``, ``--db`` and
``--format`` are taken before the command as well as after it (``command``); output cut short by
its reader (``form4 parse … | head``) ends quietly with status 0; help names each option's type in
a word (``--forms TEXT``); and text on standard error is not wrapped when it is no terminal.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import inspect
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar, get_args

import typer
from rich.console import Console
from rich.markup import escape
from typer._click import core as click_core
from typer._click import exceptions as click_exceptions
from typer._click.core import ParameterSource
from typer._click.globals import get_current_context
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from form4 import __version__
from form4.errors import Form4Error

F = TypeVar("F", bound=Callable[..., None])


# --- help: each option's type as a word ------------------------------------------------------

_WORDS: dict[type, str] = {str: "TEXT", int: "INTEGER", float: "NUMBER", Path: "PATH", bool: "BOOLEAN"}


def type_word(param: TyperOption | TyperArgument) -> str | None:
    """What an option takes, as ``--help`` shows it: TEXT, INTEGER, PATH, YYYY-MM-DD, [a|b]
    (None for a flag, which takes nothing)."""
    if isinstance(param, TyperOption) and (param.is_flag or param.count):
        return None
    desc = param.type_descriptor
    if desc.is_choice:
        return "[" + "|".join(str(c.value if isinstance(c, enum.Enum) else c) for c in desc.choices or ()) + "]"
    if desc.is_datetime:
        formats = desc.parameter_info.formats or ["%Y-%m-%d"]
        return "|".join(f.replace("%Y", "YYYY").replace("%m", "MM").replace("%d", "DD") for f in formats)
    if desc.is_path:
        return "PATH"
    base = get_args(desc.annotation)[0] if desc.is_list else desc.annotation
    return _WORDS.get(base, getattr(base, "__name__", str(base)).upper())


class _WordedOption(TyperOption):
    def display_type_rich(self, ctx: Any) -> str | None:
        return self.metavar or type_word(self)


class _WordedArgument(TyperArgument):
    @property
    def display_name_raw(self) -> str:
        return self.metavar or (self.name or "").upper()

    def display_type_rich(self, ctx: Any) -> str | None:
        return type_word(self)

    def _usage_display_name(self) -> str:
        name = self.display_name_raw + ("..." if self.nargs != 1 else "")
        return name if self.required else f"[{name}]"


def _worded(params: Sequence[Any]) -> None:
    # Typer builds its own parameter objects and names types as Python does (<list[str]>, <bool>,
    # {paths}...); the same objects, given the words of a command line instead.
    for param in params:
        if type(param) is TyperOption:
            param.__class__ = _WordedOption
        elif type(param) is TyperArgument:
            param.__class__ = _WordedArgument


class _WordedHelp(click_core.Command):
    """Help that names types in words: mixed into typer's command and group, before them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _worded(self.params)

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        _worded([option])
        return option


class Form4Command(_WordedHelp, TyperCommand):
    """A command whose help names types in words."""


class Form4Group(_WordedHelp, TyperGroup):
    """A group of commands whose help names types in words; run as the program, it prints a command line it
    cannot use as one line and exits 2 (typer's own is a panel of four or five)."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, windows_expand_args: bool = True,
             **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except click_exceptions.NoArgsIsHelpError as exc:
            sys.exit(exc.exit_code)  # the help was printed as the error was made
        except click_exceptions.ClickException as exc:
            print_error(Console(stderr=True), usage_line(exc))
            sys.exit(exc.exit_code)
        except typer.Abort:
            print_error(Console(stderr=True), "aborted")
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

    # Output read by a program that stops early (form4 … | head) is met where the help or a command writes.
    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        with _quiet_pipe_on_break():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        with _quiet_pipe_on_break():
            return super().invoke(ctx)


def usage_line(exc: click_exceptions.ClickException) -> str:
    """A usage error as one line: the command, what is wrong with its line, and where its help is."""
    ctx = getattr(exc, "ctx", None)
    message = " ".join(exc.format_message().split())
    if ctx is None:
        return message
    return f"{ctx.command_path}: {message} ({ctx.command_path} -h for help)"


app = typer.Typer(cls=Form4Group, help="SEC insider-ownership filings (Forms 3, 4, 5) as typed records: read, store, "
                  "query.", no_args_is_help=True, add_completion=False,
                  context_settings={"help_option_names": ["-h", "--help"]})


def group(help: str) -> typer.Typer:
    """A group of commands (``report``, ``screen``, ``mirror``) under ``app``, following its conventions."""
    return typer.Typer(cls=Form4Group, help=help, no_args_is_help=True)


# --- options before the command -----------------------------------------------------------------

@dataclass
class Options:
    quiet: bool = False
    db: str | None = None
    format: str | None = None


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"form4 {__version__}")
        raise typer.Exit()


QUIET_HELP = "Only results and errors: no progress bars, warnings or summaries."


@app.callback()
def main(
    ctx: typer.Context,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=QUIET_HELP)] = False,
    db: Annotated[str | None, typer.Option(
        "--db", help="The store, for the command that takes one (as its own --db).", show_default=False)] = None,
    format: Annotated[str | None, typer.Option(
        "--format", "-f", help="The output format, for the command that takes one (as its own --format).",
        show_default=False)] = None,
    version: Annotated[bool, typer.Option("--version", "-V", callback=_show_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """form4: read, store and query Forms 3, 4 and 5."""
    ctx.obj = Options(quiet=quiet, db=db, format=format)


# --- the decorator ------------------------------------------------------------------------------

_QUIET = inspect.Parameter("quiet_", inspect.Parameter.KEYWORD_ONLY, default=False,
                           annotation=Annotated[bool, typer.Option("--quiet", "-q", help=QUIET_HELP)])


def command(name: str | None = None, *, group: typer.Typer | None = None) -> Callable[[F], F]:
    """A command (of ``app``, or of a ``group`` of it such as ``report``) whose help is its
    docstring with each paragraph on one line (the terminal wraps it), whose known failures
    print as one line and exit 1, never as a traceback, and which takes -q after its name too."""
    def register(fn: F) -> F:
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> None:
            _apply_shared_options(fn, kwargs, quiet=kwargs.pop(_QUIET.name, False))
            try:
                fn(*args, **kwargs)
                sys.stdout.flush()  # a reader that went away is met here, not at exit
            except BrokenPipeError:
                raise  # not a failure: Form4Group ends quietly
            except (Form4Error, OSError) as exc:
                fail(message_of(exc))
            except KeyboardInterrupt:
                fail("interrupted", code=130)
            except Exception as exc:
                if type(exc).__module__.split(".")[0] not in _DATABASE_MODULES:
                    raise  # a bug, or a usage error the group prints: its traceback is what a report needs
                from form4.store.engines import one_line

                fail(f"the database failed: {one_line(exc)}")  # e.g. the server went away mid-ingest

        signature = inspect.signature(fn, eval_str=True)  # typer reads this one, evaluated
        run.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[*signature.parameters.values(), _QUIET])
        run.__annotations__ = {**fn.__annotations__, _QUIET.name: _QUIET.annotation}
        (group or app).command(name, cls=Form4Command, help=paragraphs(inspect.getdoc(fn) or ""))(run)
        return fn
    return register


def _apply_shared_options(fn: Callable[..., None], kwargs: dict[str, Any], *, quiet: bool) -> None:
    """-q, --db and --format given before the command: -q for every command, the others for the commands that
    take them; given after it too, the command's own win."""
    ctx = get_current_context()
    options = ctx.find_object(Options)
    if options is None:
        return
    options.quiet = options.quiet or quiet
    for option, given in (("db", options.db), ("format", options.format)):
        if given is None:
            continue
        if option not in kwargs:
            raise click_exceptions.UsageError(f"--{option} given before the command, which takes none", ctx)
        if ctx.get_parameter_source(option) is ParameterSource.COMMANDLINE:
            continue
        kwargs[option] = given if option == "db" else _choice(type(kwargs[option]), given)


def _choice(kind: type, given: str) -> Any:
    if not issubclass(kind, enum.Enum):
        return given
    try:
        return kind(given)
    except ValueError:
        names = ", ".join(str(c.value) for c in kind)
        raise typer.BadParameter(f"{given!r} is not one of {names}", param_hint="'--format'") from None


@contextlib.contextmanager
def _quiet_pipe_on_break() -> Iterator[None]:
    """The reader of standard output stopped reading (``form4 parse … | head``): stop as ``cat`` does, with
    status 0, without an error, and without one more when Python flushes standard output at exit."""
    try:
        yield
    except SystemExit as exc:
        if not isinstance(exc.__context__, BrokenPipeError):
            raise
        raise typer.Exit(0) from None  # rich met it first: it pointed standard output at /dev/null, exit 1
    except BrokenPipeError:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass  # not a real file (a test's capture): nothing is flushed to it at exit
        raise typer.Exit(0) from None


_DATABASE_MODULES = ("duckdb", "_duckdb", "psycopg")


def paragraphs(doc: str) -> str:
    return "\n\n".join(" ".join(p.split()) for p in doc.split("\n\n"))


def message_of(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror or exc}"
    return str(exc)


def unwrapped_console(*, stderr: bool = False) -> Console:
    """A console for what a command says: its lines are not wrapped at 80 columns when it is no terminal
    (a file, a pipe, a log), where nothing would unwrap them."""
    made = Console(stderr=stderr)
    if not made.is_terminal:
        made.soft_wrap = True
    return made


def print_error(console: Console, message: object) -> None:
    """One failure, one line on standard error."""
    console.print(f"[red]error[/red] {escape(str(message))}", highlight=False, soft_wrap=True)  # [x] is no markup


def fail(message: str, code: int = 1) -> None:
    print_error(Console(stderr=True), message)
    raise typer.Exit(code)


def is_quiet(ctx: click_core.Context) -> bool:
    options = ctx.find_object(Options)
    return options is not None and options.quiet


def made_folder(folder: Path) -> Path:
    """The rule of every command that writes into a folder (``--out``, ``--root``, the folder of a
    new store): a folder that does not exist is made, parents and all, and said so on standard
    error (unless -q), so that a misspelt path is seen at once, not when its files are looked for."""
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True)  # a file in its place fails here, as one line
        ctx = get_current_context(silent=True)
        if ctx is None or not is_quiet(ctx):
            unwrapped_console(stderr=True).print(f"made the folder {folder}", highlight=False)
    return folder


def store_file(db: str | None) -> Path | None:
    """The file of the DuckDB store ``--db`` names (None for PostgreSQL)."""
    from form4.store import default_url

    url = db or default_url()
    if url.startswith(("postgresql://", "postgres://")):
        return None
    return Path(url.removeprefix("duckdb://"))


__all__ = ["Form4Command", "Form4Group", "Options", "app", "command", "fail", "group",
           "is_quiet", "made_folder", "print_error", "store_file", "unwrapped_console"]
