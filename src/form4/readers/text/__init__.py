"""Reader for text taken off a printed Form 3, 4 or 5: PDF text layers, OCR output,
cell-split OCR like the seed.  Lossy by nature, so every record it makes carries warnings
and per-field confidence."""

from __future__ import annotations

from form4.errors import NoOwnershipDocumentError
from form4.model import DerivativeTransaction, Filing, NonDerivativeTransaction
from form4.readers.text import header, lost_marks, notes, orphans, stream, tables, titles
from form4.readers.text import units as U
from form4.readers.text.checks import check, earliest_trade, lost_amounts, marks, misread_period
from form4.readers.text.confidence import settle
from form4.readers.text.evidence import Evidence
from form4.readers.text.lines import Page, page_of

__all__ = ["read_text", "read_page"]


def read_text(data: bytes, source: str | None = None) -> Filing:
    text = data.decode("utf-8", errors="replace")
    page = page_of(text)
    return read_page(page, source, "text", ocr=page.ocr)


def read_page(page: Page, source: str | None, origin: str, *, ocr: bool = False) -> Filing:
    """The record of one printed form; ``ocr`` says its text came through OCR, so no field
    is trusted beyond what OCR earns unless the form confirms it."""
    labels = (U.OWNER, U.TABLE_ONE, U.TABLE_TWO)
    if U.find_line(page, U.FORM_TITLE, 0, 40) is None or all(U.find_line(page, p) is None for p in labels):
        raise NoOwnershipDocumentError("no Form 3, 4 or 5 found in the text", source=source)
    ev = Evidence()
    end = len(page.lines)
    t1, t2, explanation = U.tables_at(page)
    filing = Filing(source=origin, source_name=source)
    filing.form_type = header.form_type(page, ev)
    form = filing.form_type or "4"
    filing.period_of_report = header.date_after(page, U.EARLIEST, t1, across=True)
    if filing.period_of_report is None:
        filing.period_of_report = header.statement_month(page, t1)
        if filing.period_of_report is not None:
            ev.doubt("period_of_report", 0.9, "the form gives a month: its last day is the period")
    filing.date_of_original_submission = header.date_after(page, U.AMENDMENT, t1)
    if filing.date_of_original_submission and filing.form_type:
        filing.form_type += "/A"
    sigs, taken, column = notes.signatures(page, explanation, ev)
    if ocr:
        notes.mend_by_page(sigs, page)
    signers = [" ".join(s.name.removeprefix("/s/").split()) for s in sigs if s.name]
    filing.reporting_owners = header.owners(page, t1, end, ev, signers, taken)
    if len(sigs) > len(filing.reporting_owners):  # a joint filing signed by more persons than boxes were read
        ev.doubt("reporting_owners", 0.6, f"{len(sigs)} signatures but {len(filing.reporting_owners)} owners read")
    first_owner = filing.reporting_owners[0].name if filing.reporting_owners else None
    filing.issuer = header.issuer(page, t1, ev, first_owner)
    header.untitled_tickers(filing.reporting_owners, filing.issuer.trading_symbol, ev)
    _tables(page, filing, form, t1, t2, explanation, ev)
    if filing.period_of_report is None:
        _earliest_transaction(filing, ev)
    if ocr:
        titles.settle(filing, ev)
    filing.signatures = sigs
    filing.footnotes = notes.footnotes(page, explanation + 1, end, taken, column)
    filing.remarks = notes.remarks(page, explanation, taken, column)
    lost_marks.decide(filing, ev)
    if ocr:
        lost_amounts(filing, ev)
    check(filing, ev, ocr=ocr)
    if ocr:
        orphans.place(filing, ev)
        misread_period(filing, ev)
    marks(filing, ev)
    settle(filing, ev, ocr=ocr)
    filing.warnings, filing.confidence = ev.warnings, ev.confidence
    return filing


def _earliest_transaction(filing: Filing, ev: Evidence) -> None:
    """The period of a report whose date box could not be read: by definition the date of
    its earliest transaction, when the tables give one."""
    earliest = earliest_trade(filing)
    if earliest is None:
        ev.missing("period_of_report", "the date of the earliest transaction")
        return
    filing.period_of_report = earliest
    ev.doubt("period_of_report", 0.6, "the date box could not be read: taken as the earliest transaction's date")


def _tables(page: Page, filing: Filing, form: str, t1: int, t2: int, stop: int, ev: Evidence) -> None:
    word_order = page.ocr and not page.positioned  # OCR'd text in word order: cells out of their columns
    for start, end, derivative in ((t1, t2, False), (t2, stop, True)):
        if start >= len(page.lines):
            continue
        head, rows = tables.body(page, start, end)
        cols = tables.columns(head, derivative) if page.positioned else tables.Columns()
        pieces = (tables.positioned_pieces(rows, cols, typed=page.ruled, ocr=page.ocr,
                                            derivative=derivative) if page.positioned
                  else stream.stream_pieces(rows, page.ocr, derivative))
        for piece in pieces:
            if derivative:
                paths = (f"derivative_transactions[{len(filing.derivative_transactions)}]",
                         f"derivative_holdings[{len(filing.derivative_holdings)}]")
                row = tables.derivative(piece, paths, form, cols, ev, ocr=page.ocr, stream=word_order)
                if isinstance(row, DerivativeTransaction):
                    filing.derivative_transactions.append(row)
                else:
                    filing.derivative_holdings.append(row)
            else:
                paths = (f"non_derivative_transactions[{len(filing.non_derivative_transactions)}]",
                         f"non_derivative_holdings[{len(filing.non_derivative_holdings)}]")
                row2 = tables.non_derivative(piece, paths, form, ev, stream=word_order)
                if isinstance(row2, NonDerivativeTransaction):
                    filing.non_derivative_transactions.append(row2)
                else:
                    filing.non_derivative_holdings.append(row2)
