"""What several commands print: progress on a terminal, failed documents, warnings."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from rich import filesize
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from form4.cli.app import print_error
from form4.errors import ReadError
from form4.inputs import Document
from form4.model import Filing
from form4.readers.progress import ProgressHook


class FailureLog:
    """Reports each failed document on stderr and, when asked, as JSON lines in a file."""

    def __init__(self, errors_path: Path | None, console: Console):
        self.count = 0
        self.console = console
        self.file: TextIO | None = errors_path.open("w", encoding="utf-8") if errors_path else None

    def __call__(self, error: ReadError) -> None:
        self.count += 1
        print_error(self.console, error)
        if self.file is not None:
            self.file.write(json.dumps(error.to_dict()) + "\n")
            self.file.flush()

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


def warned(filings: Iterator[Filing], console: Console, quiet: bool) -> Iterator[Filing]:
    for filing in filings:
        if not quiet:
            for warning in filing.warnings:
                console.print("[yellow]warning[/yellow] " + escape(f"{filing.source_name}: {warning.field}: "
                              f"{warning.message}"), highlight=False, soft_wrap=True)
        yield filing


def progress_bars(console: Console, *, quiet: bool) -> Progress:
    """Progress on a terminal: each task says what it counts in its ``detail`` (documents and
    bytes of the inputs read, or a scan's OCR'd pages); time left where the total is known."""
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                    TextColumn("{task.fields[detail]}"), TimeElapsedColumn(), TimeRemainingColumn(),
                    console=console, transient=True, disable=quiet or not console.is_terminal)


def ocr_task(progress: Progress) -> ProgressHook:
    """A task shown once a scan's pages are being OCR'd; the function it returns takes the
    pages done and in all (``form4.parse.read_documents(..., ocr_progress=...)``)."""
    pages = progress.add_task("OCR", total=None, visible=False, detail="")

    def update(done: int, total: int) -> None:
        progress.update(pages, completed=done, total=total, visible=True, detail=f"page {done} of {total}")
    return update


def input_task(progress: Progress, name: str, total: int | None) -> Callable[[int, int], None]:
    """A task over the inputs' bytes (a spinner when they cannot be counted, as from standard
    input); the function it returns takes the documents and bytes read so far."""
    task = progress.add_task(name, total=total, detail="")
    size = f" of {filesize.decimal(total)}" if total is not None else ""

    def update(documents: int, position: int) -> None:
        progress.update(task, completed=position,
                        detail=f"{documents:,} documents, {filesize.decimal(position)}{size}")
    return update


def tracked(documents: Iterator[Document], update: Callable[[int, int], None]) -> Iterator[Document]:
    for count, doc in enumerate(documents, 1):
        update(count, doc.position)
        yield doc
