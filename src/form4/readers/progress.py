"""Progress of the slow part of a read, OCR, for whoever shows it (the CLI's progress bar):
a function given to the read (``form4.parse.read_documents(..., ocr_progress=...)``), never a
hook kept by the module, so that two reads at once each report to their own caller.

Apart from the PDF reader, so that naming the type imports no PDF or OCR package."""

from __future__ import annotations

from collections.abc import Callable

ProgressHook = Callable[[int, int], None]  # (pages done, pages in all)
