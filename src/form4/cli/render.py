"""``form4 render``: filings as the form EDGAR shows, in HTML and PDF (thin over ``form4.writers``).

The input is anything ``form4 parse`` reads, or records as ``form4 parse -f json`` prints them
(the inputs of ``form4 write``). One filing goes to the files ``--html`` and ``--pdf`` name;
several need folders there, which get one page per filing, named by accession number.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from form4.cli.app import command, fail, is_quiet, unwrapped_console
from form4.cli.options import PathsArgument
from form4.cli.output import FailureLog, warned
from form4.cli.records import Given, filing_stem, given_filings, output_folder, put

if TYPE_CHECKING:
    from form4.writers.pdf import Printer

_STDOUT = "-"


@command()
def render(
    ctx: typer.Context,
    paths: PathsArgument,
    html: Annotated[str | None, typer.Option(
        "--html", metavar="PATH", help="The page to write (- for standard output); a folder (one that exists, or a "
        "path ending in /) takes one page per filing, as ACCESSION.html.", show_default=False)] = None,
    pdf: Annotated[str | None, typer.Option(
        "--pdf", metavar="PATH", help="The PDF to write (- for standard output); a folder takes one per filing, as "
        "ACCESSION.pdf. Needs Playwright and a chromium.", show_default=False)] = None,
) -> None:
    """Render filings as the form EDGAR shows them (the SEC's xslF345X0N page), to HTML and PDF.

    The inputs are anything form4 parse reads (XML, EDGAR submissions, HTML, PDF, scans, text) or records as form4
    parse -f json or -f jsonl prints them. The page is self-contained (no script, no link out); the PDF is that
    page printed by chromium (through Playwright), US Letter. form4 parse reads both back. A document that cannot
    be read is reported on standard error and the others are still rendered; the exit status is then 1.
    """
    if html is None and pdf is None:
        raise typer.BadParameter("give --html PATH, --pdf PATH or both", param_hint="'--html'")
    if html == _STDOUT and pdf == _STDOUT:
        raise typer.BadParameter("one of --html and --pdf can go to standard output", param_hint="'--pdf'")
    from form4.writers.html import render_html  # the writers load with this command

    stderr = unwrapped_console(stderr=True)
    failures = FailureLog(None, stderr)
    targets = {suffix: (path, output_folder(path)) for suffix, path in ((".html", html), (".pdf", pdf)) if path}
    printer: Printer | None = None
    rendered = 0
    try:
        for given, files in _targets(given_filings(paths, failures), targets, paths):
            for filing in warned(iter([given.filing]), stderr, is_quiet(ctx)):
                page = render_html(filing)
                if ".html" in files:
                    put(page.encode(), files[".html"])
                if ".pdf" in files:
                    printer = printer or _printer()
                    put(printer.print(page), files[".pdf"])
                rendered += 1
    finally:
        failures.close()
        if printer is not None:
            printer.close()
    if not rendered and not failures.count:
        fail(f"{', '.join(paths)}: no filing found, nothing rendered")
    if rendered and not is_quiet(ctx):
        written = " and ".join(_place(path, folder) for path, folder in targets.values() if path != _STDOUT)
        if written:
            stderr.print(f"rendered {rendered} filing{'s' if rendered != 1 else ''} {written}", highlight=False)
    if failures.count:
        raise typer.Exit(1)


def _printer() -> Printer:
    from form4.writers.pdf import Printer

    return Printer()


def _place(path: str, folder: Path | None) -> str:
    return f"to {folder}" if folder else f"as {path}"


def _targets(filings: Iterator[Given], targets: dict[str, tuple[str, Path | None]],
             paths: list[str]) -> Iterator[tuple[Given, dict[str, str]]]:
    """Each filing with the file of each kind it is written to. Where a kind names one file, the
    input is checked to hold one filing before anything is written (a second one found after
    the first was written would leave a file that passes for the whole input)."""
    single = [suffix for suffix, (_, folder) in targets.items() if folder is None]
    first, second = next(filings, None), next(filings, None)
    if second is not None and single:
        option = "--" + single[0].lstrip(".")
        raise typer.BadParameter(f"{', '.join(paths)} holds several filings and {option} names one file: "
                                 f"give {option} a folder (a path ending in /) for one each", param_hint=f"'{option}'")
    taken: set[str] = set()
    for given in (g for g in (first, second) if g is not None):
        yield given, _files(given, targets, taken)
    for given in filings:
        yield given, _files(given, targets, taken)


def _files(given: Given, targets: dict[str, tuple[str, Path | None]], taken: set[str]) -> dict[str, str]:
    stem = filing_stem(given.filing)
    name, count = stem, 1
    while name in taken:  # two records of one accession (a JSON array of drafts): neither lost
        count += 1
        name = f"{stem}-{count}"
    taken.add(name)
    return {suffix: str(folder / f"{name}{suffix}") if folder else path for suffix, (path, folder) in targets.items()}
