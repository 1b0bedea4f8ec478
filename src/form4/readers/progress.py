"""Progress of the slow part of a read, OCR, for whoever shows it (the CLI's progress bar).

Apart from the PDF reader, so that setting the hook imports no PDF or OCR package."""

from __future__ import annotations

from collections.abc import Callable

ProgressHook = Callable[[int, int], None]
hook: ProgressHook | None = None


def on_ocr_progress(new: ProgressHook | None) -> None:
    """Call ``new(done, total)`` as scanned pages are OCR'd; None stops."""
    global hook
    hook = new


def report(done: int, total: int) -> None:
    if hook is not None:
        hook(done, total)
