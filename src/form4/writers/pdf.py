"""HTML printed to PDF by Chromium (its print-to-PDF, driven through Playwright).

Chromium lays the page out as a browser shows it, so the PDF is the rendered form a person
prints from EDGAR. Starting a browser costs about a second, printing a page some tens of
milliseconds: a ``Printer`` keeps one browser open for many pages, and ``html_to_pdf`` uses
one shared per process (closed when the process exits). The browser is Debian's chromium
(``/usr/bin/chromium``, or ``FORM4_CHROMIUM``), else the one ``playwright install chromium``
brings. Pages are printed with the network shut: a rendered filing is self-contained, and
anything it would fetch came from a filing's text.

Chromium stamps each PDF with the time it was made; ``Printer.print`` replaces that stamp
with a fixed one of the same length (the file's offsets stay valid), so the same page gives
the same bytes.
"""

from __future__ import annotations

import atexit
import concurrent.futures
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from form4.errors import MissingExtraError

__all__ = ["CHROMIUM", "CHROMIUM_FLAGS", "PRINT_CSS", "PageSetup", "Printer", "html_to_pdf"]

CHROMIUM = os.environ.get("FORM4_CHROMIUM", "/usr/bin/chromium")
# What keeps a headless chromium quiet and off the network (it would otherwise try for ever on
# a closed machine); the same flags the dashboard's browser tests launch it with.
CHROMIUM_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync")
# How a rendered form breaks across pages. A browser repeats a table's header rows on each page,
# where a reader takes them for a row of the table: printed once, and kept with the first row;
# a row is never cut in two (its cells would be read as two rows).
PRINT_CSS = """@media print {
thead {display: table-row-group; break-inside: avoid; break-after: avoid;}
tr {break-inside: avoid;}
}"""
_STAMP = re.compile(rb"/(CreationDate|ModDate) \(D:(\d{14})([^)]*)\)")
_FIXED_TIME = b"20000101000000"


@dataclass(frozen=True)
class PageSetup:
    """How a page is printed: paper, orientation, margins (CSS lengths), a zoom (0.1-2) and a
    style sheet added to the page's own (``PRINT_CSS`` is always added first).

    The default is US Letter across, at 80%: the form's twenty-odd columns of Table II wrap
    their titles word by word on a narrower page, and a cell of many short lines is the hardest
    thing on the form to read back."""

    paper: str = "Letter"
    landscape: bool = True
    margin: str = "0.4in"
    scale: float = 0.8
    css: str = ""

    def options(self) -> dict[str, Any]:
        margins = dict.fromkeys(("top", "right", "bottom", "left"), self.margin)
        return {"format": self.paper, "landscape": self.landscape, "margin": margins,
                "scale": self.scale, "print_background": True}


def _missing() -> MissingExtraError:
    return MissingExtraError("printing to PDF needs Playwright: pip install playwright (and a chromium: "
                             "Debian's, or playwright install chromium)", extra="playwright")


class Printer:
    """One headless Chromium that prints many HTML pages to PDF. Use it as a context manager, or
    call ``close``. Playwright's API is bound to the thread that started it and refuses a thread
    running an event loop (a web server's): the browser lives on a thread of its own, every call
    goes there, so a printer can be used from any thread, one page at a time."""

    def __init__(self, setup: PageSetup | None = None, chromium: str | None = None) -> None:
        try:
            import playwright.sync_api  # noqa: F401  (checked here, used on the printer's thread)
        except ModuleNotFoundError as exc:
            if (exc.name or "").split(".")[0] != "playwright":
                raise
            raise _missing() from None
        self.setup = setup or PageSetup()
        self._thread = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="form4-printer")
        try:
            self._thread.submit(self._start, chromium or CHROMIUM).result()
        except BaseException:
            self._thread.shutdown()
            raise

    def _start(self, path: str) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        executable = path if Path(path).exists() and shutil.which(path) else None  # else Playwright's own
        try:
            self._browser = self._playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_FLAGS))
        except Exception:
            self._playwright.stop()
            raise
        self._page = self._browser.new_page()
        self._page.route("**/*", lambda route: route.abort())  # a printed filing fetches nothing

    def print(self, html: str, setup: PageSetup | None = None) -> bytes:
        """The page as PDF bytes, the same bytes for the same page and setup."""
        return self._thread.submit(self._print, html, setup or self.setup).result()

    def _print(self, html: str, setup: PageSetup) -> bytes:
        self._page.set_content(html, wait_until="load")
        self._page.add_style_tag(content=PRINT_CSS + setup.css)
        pdf: bytes = self._page.pdf(**setup.options())
        return _fixed_stamp(pdf)

    def close(self) -> None:
        try:
            self._thread.submit(self._stop).result()
        finally:
            self._thread.shutdown()

    def _stop(self) -> None:
        self._browser.close()
        self._playwright.stop()

    def __enter__(self) -> Printer:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _fixed_stamp(pdf: bytes) -> bytes:
    return _STAMP.sub(lambda m: b"/" + m.group(1) + b" (D:" + _FIXED_TIME + m.group(3) + b")", pdf)


_shared: Printer | None = None


def html_to_pdf(html: str, setup: PageSetup | None = None, printer: Printer | None = None) -> bytes:
    """``html`` printed to PDF by ``printer``, or by a browser this process keeps for every call."""
    global _shared
    if printer is None:
        if _shared is None:
            _shared = Printer()
            atexit.register(_shared.close)
        printer = _shared
    return printer.print(html, setup)
