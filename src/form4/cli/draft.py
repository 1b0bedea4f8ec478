"""``form4 draft``: a Form 4 or 5 drafted from a CSV of trades and the store (thin over ``form4.drafting``)."""

from __future__ import annotations

import datetime as dt
import enum
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from form4.cli.app import command, fail, is_quiet, print_error, unwrapped_console
from form4.cli.options import DbOption, cik_value

if TYPE_CHECKING:
    from rich.console import Console

    from form4.drafting import Draft


class Form(enum.StrEnum):
    four = "4"
    five = "5"


def _month_day(value: str) -> str:
    if not re.fullmatch(r"(0?[1-9]|1[0-2])-(0?[1-9]|[12]\d|3[01])", value.strip()):
        raise typer.BadParameter(f"{value!r} is not a month and day, MM-DD (12-31)")
    return value.strip()




@command()
def draft(
    ctx: typer.Context,
    owner: Annotated[str, typer.Option(callback=cik_value, help="The reporting owner's CIK.", show_default=False)],
    issuer: Annotated[str, typer.Option(callback=cik_value, help="The issuer's CIK.", show_default=False)],
    trades: Annotated[str, typer.Option(metavar="PATH", show_default=False, help=(
        "The trades: a CSV file with a header line (- for standard input). Columns: date, code, shares, "
        "security_title (required); price, acquired_disposed (inferred where the code fixes it), direct_or_indirect "
        "(default D), nature_of_ownership, ownership_footnote, footnote, footnote_on (default code), "
        "deemed_execution_date, table (non_derivative or derivative), and for Table II exercise_price, "
        "exercise_date, expiration_date, underlying_title, underlying_shares."))],
    form: Annotated[Form, typer.Option("--form", help="4: the trades as a Form 4; 5: the year's Form 5.")] = Form.four,
    year: Annotated[int | None, typer.Option(min=1900, max=2999, help=(
        "Form 5: the fiscal year (the one that ends in this calendar year)."), show_default=False)] = None,
    fiscal_year_end: Annotated[str, typer.Option(metavar="MM-DD", callback=_month_day, help=(
        "Form 5: the issuer's fiscal year end."))] = "12-31",
    filed: Annotated[dt.datetime | None, typer.Option(formats=["%Y-%m-%d"], show_default=False, help=(
        "The day the draft would be filed, for the due dates and the signature (default: today)."))] = None,
    signature: Annotated[str | None, typer.Option(metavar="NAME", show_default=False, help=(
        "The name signed (default: the owner's, as the store has it)."))] = None,
    aff10b5_one: Annotated[bool, typer.Option("--10b5-1", help=(
        "Form 4: tick the Rule 10b5-1(c) box (the trades were made under a trading plan)."))] = False,
    db: DbOption = None,
    xml: Annotated[Path | None, typer.Option(metavar="PATH", show_default=False, help=(
        "Write the draft as EDGAR ownership XML (schema X0508)."))] = None,
    json: Annotated[Path | None, typer.Option(metavar="PATH", show_default=False, help=(
        "Write the draft's record as JSON (as form4 parse -f json prints one)."))] = None,
    html: Annotated[Path | None, typer.Option(metavar="PATH", show_default=False, help=(
        "Write the draft as the SEC renders the form, for signature (a PDF: form4 render on the XML)."))] = None,
) -> None:
    """Draft a Form 4 (or a Form 5) from a list of trades, with the owner's details and holdings from the store.

    The owner's name, address and relationship come from their latest filing at the issuer in the store; shares
    owned following each trade continue the owner's last reported balance of its holding line (security, direct or
    indirect, nature, and the ownership footnote that says which trust or fund), trade by trade in date order. A
    line the store has never seen starts from 0, with a warning.

    The draft is checked against the SEC's schema and form4's validation rules before anything is written: each
    error is one line naming the trades file's line and column, and nothing is written. Each trade's due date (the
    second business day after it; a Form 5 is due 45 days after the fiscal year end) is printed, and whether filing
    on --filed (default today) would be late.

    --form 5 --year YYYY drafts the year's Form 5 from the trades of that fiscal year that no stored Form 4 or 5
    reported: small acquisitions (L), transfers by will (W) and, before 2023-02-27, gifts (G) as Form 5 items; any
    other as a Form 4 item reported late.
    """
    from form4.drafting import draft_form4, draft_form5, fiscal_year, read_trades
    from form4.store import Store

    if form is Form.five and year is None:
        raise typer.BadParameter("a Form 5 is for one fiscal year: give --year", param_hint="'--year'")
    if form is Form.four and year is not None:
        raise typer.BadParameter("--year is for a Form 5 (--form 5)", param_hint="'--year'")
    month, day = (int(part) for part in fiscal_year_end.split("-"))
    if year is not None:
        try:
            fiscal_year(year, (month, day))
        except ValueError:
            raise typer.BadParameter(f"{fiscal_year_end} is no day of the year",
                                     param_hint="'--fiscal-year-end'") from None
    stderr = unwrapped_console(stderr=True)
    given = read_trades(_text(trades), source="<stdin>" if trades == "-" else trades)
    if given.errors:
        _refused([str(e) for e in given.errors], stderr)
    with Store(db, read_only=True) as store:
        made = (draft_form5(store, owner, issuer, given.trades, year=year, fiscal_year_end=(month, day),
                            filed=filed.date() if filed else None, signature=signature) if year is not None else
                draft_form4(store, owner, issuer, given.trades, filed=filed.date() if filed else None,
                            signature=signature, aff10b5_one=aff10b5_one))
    if not is_quiet(ctx):
        for warning in made.warnings:
            stderr.print(f"[yellow]warning[/yellow] {escape(warning)}", highlight=False, soft_wrap=True)
    if made.errors:
        _refused([str(e) for e in made.errors], stderr)
    _report(made, unwrapped_console())
    if made.document is None:  # a Form 5 with no trade left: none is due
        return
    _write(made, xml=xml, json=json, html=html, stderr=stderr, quiet=is_quiet(ctx))


def _text(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    return Path(path).read_text(encoding="utf-8-sig")


def _refused(errors: list[str], stderr: Console) -> None:
    for error in errors:
        print_error(stderr, error)
    fail(f"nothing written: {len(errors)} error{'s' if len(errors) != 1 else ''}")


def _report(made: Draft, console: Console) -> None:
    filing = made.filing
    owner = filing.reporting_owners[0]
    issuer = filing.issuer
    console.print(f"Form {filing.form_type} draft: {owner.name} (CIK {owner.cik}) at {issuer.name} "
                  f"({issuer.trading_symbol or 'no ticker'}, CIK {issuer.cik}), judged as filed on {made.filed}",
                  highlight=False, soft_wrap=True)
    for trade, accession in made.reported:
        console.print(f"  {trade.source}: already reported in {accession}: left out", highlight=False)
    if not made.trades:
        console.print("No Form 5 is due: every trade of the year was reported already.", highlight=False)
        return
    if made.due is not None:
        from form4.validation.business_days import business_days_between

        late = business_days_between(made.due, made.filed)
        console.print(f"The Form 5 is due by {made.due}" + (f": LATE by {late} business day(s)" if late else ""),
                      highlight=False)
    table = Table("line", "date", "code", "shares", "A/D", "owned following", "form", "due", "filed in time?",
                  box=None, pad_edge=False)
    rows = {f"{r}[{i}]": row for r in ("non_derivative_transactions", "derivative_transactions")
            for i, row in enumerate(getattr(filing, r))}
    for due in made.trades:
        row = rows[due.row]
        status = f"LATE by {due.business_days_late} business day(s)" if due.late else "on time"
        table.add_row(due.trade.source, str(due.trade.date), due.trade.code, f"{due.trade.shares:,f}",
                      due.trade.acquired_disposed, _shares(row.shares_owned_following), due.form_type,
                      str(due.due), status)
    if not console.is_terminal:
        console.width = 200  # a pipe or a file gets one trade a line, not a table cut to 80 columns
    console.print(table)


def _shares(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if value.is_integer() else f"{value:,}"


def _write(made: Draft, *, xml: Path | None, json: Path | None, html: Path | None, stderr: Console,
           quiet: bool) -> None:
    written = []
    if xml is not None and made.document is not None:
        xml.write_bytes(made.document)
        written.append(str(xml))
    if json is not None:
        json.write_text(made.filing.to_json(indent=2) + "\n", encoding="utf-8")
        written.append(str(json))
    if html is not None:
        from form4.writers.html import render_html

        html.write_text(render_html(made.filing), encoding="utf-8")
        written.append(str(html))
    if not quiet:
        said = f"wrote {', '.join(written)}" if written else "checked: valid (give --xml, --json or --html to write it)"
        stderr.print(said, highlight=False, soft_wrap=True)
