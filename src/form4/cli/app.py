"""The ``form4`` application: its options before any command, and the decorator every command is
registered with, which turns known failures into one line and an exit status."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from form4 import __version__
from form4.errors import Form4Error

app = typer.Typer(help="SEC insider-ownership filings (Forms 3, 4, 5) as typed records: read, store, query.",
                  no_args_is_help=True, add_completion=False, context_settings={"help_option_names": ["-h", "--help"]})

F = TypeVar("F", bound=Callable[..., None])


@dataclass
class Options:
    quiet: bool = False


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"form4 {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only results and errors: no progress bars, "
                                        "warnings or summaries.")] = False,
    version: Annotated[bool, typer.Option("--version", "-V", callback=_show_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """form4: read, store and query Forms 3, 4 and 5."""
    ctx.obj = Options(quiet=quiet)


def command(name: str | None = None, *, group: typer.Typer | None = None) -> Callable[[F], F]:
    """A command (of ``app``, or of a ``group`` of it such as ``report``) whose help is its
    docstring with each paragraph on one line (the terminal wraps it), and whose known failures
    print as one line and exit 1, never as a traceback."""
    def register(fn: F) -> F:
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> None:
            try:
                fn(*args, **kwargs)
            except (Form4Error, OSError) as exc:
                fail(message_of(exc))
            except KeyboardInterrupt:
                fail("interrupted", code=130)
            except Exception as exc:
                if type(exc).__module__.split(".")[0] not in _DATABASE_MODULES:
                    raise  # a bug: its traceback is what a report needs
                from form4.store.engines import one_line

                fail(f"the database failed: {one_line(exc)}")  # e.g. the server went away mid-ingest

        (group or app).command(name, help=paragraphs(inspect.getdoc(fn) or ""))(run)
        return fn
    return register


_DATABASE_MODULES = ("duckdb", "_duckdb", "psycopg")


def paragraphs(doc: str) -> str:
    return "\n\n".join(" ".join(p.split()) for p in doc.split("\n\n"))


def message_of(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror or exc}"
    return str(exc)


def print_error(console: Console, message: object) -> None:
    """One failure, one line on standard error."""
    console.print(f"[red]error[/red] {escape(str(message))}", highlight=False, soft_wrap=True)  # [x] is no markup


def fail(message: str, code: int = 1) -> None:
    print_error(Console(stderr=True), message)
    raise typer.Exit(code)


def is_quiet(ctx: typer.Context) -> bool:
    return isinstance(ctx.obj, Options) and ctx.obj.quiet


