"""A filing as a rich renderable for a person at a terminal."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from form4.model import Filing, ReportingOwner
from form4.rows import TABLES


def _number(value: float | None, money: bool = False) -> str:
    if value is None:
        return ""
    if money:
        return f"${value:,.4f}".rstrip("0").rstrip(".")
    return f"{value:,.0f}" if value == int(value) else f"{value:,.4f}".rstrip("0")


def _owner_line(owner: ReportingOwner) -> str:
    roles = [name for flag, name in ((owner.is_director, "Director"), (owner.is_officer, "Officer"),
                                     (owner.is_ten_percent_owner, "10% owner"), (owner.is_other, "Other"))
             if flag]
    detail = ", ".join(filter(None, [*roles, owner.officer_title, owner.other_text]))
    return f"{owner.name or '?'} (CIK {owner.cik or '?'}) — {detail or 'no relationship given'}"


def _notes(footnotes: dict[str, list[str]]) -> str:
    return " ".join(sorted({note for ids in footnotes.values() for note in ids}))


def filing_table(filing: Filing) -> Panel:
    issuer = filing.issuer
    title = (f"Form {filing.form_type or '?'} · {issuer.name or '?'} [{issuer.trading_symbol or ''}]"
             f" · {filing.accession_number or filing.source_name or ''}")
    facts = Text("\n".join(_owner_line(o) for o in filing.reporting_owners))
    facts.append(f"\nPeriod {filing.period_of_report or '?'}"
                 + (f" · filed {filing.filed_at}" if filing.filed_at else "")
                 + (f" · amends {filing.date_of_original_submission}"
                    if filing.date_of_original_submission else ""))
    rows = Table(box=box.SIMPLE_HEAD, expand=False)
    for column, justify in (("Table", "left"), ("Security", "left"), ("Date", "left"), ("Code", "center"),
                            ("A/D", "center"), ("Shares", "right"), ("Price", "right"),
                            ("Owned after", "right"), ("D/I", "center"), ("Notes", "left")):
        rows.add_column(column, justify=justify)  # type: ignore[arg-type]
    for attr, table, kind in TABLES:
        for row in getattr(filing, attr):
            owned = row.shares_owned_following
            rows.add_row(
                f"{'I' if table == 'non_derivative' else 'II'} {kind}", row.security_title or "",
                str(getattr(row, "transaction_date", "") or ""), getattr(row, "transaction_code", "") or "",
                getattr(row, "acquired_disposed", "") or "", _number(getattr(row, "shares", None)),
                _number(getattr(row, "price_per_share", None), money=True),
                _number(row.value_owned_following if owned is None else owned),
                row.direct_or_indirect or "", _notes(row.footnotes))
    if not rows.row_count:
        nothing = "No securities beneficially owned" if filing.no_securities_owned else "No rows"
        parts: list[Any] = [facts, Text(nothing, style="bold")]
    else:
        parts = [facts, rows]
    if filing.footnotes:
        parts.append(Text("\n".join(f"({n.id}) {n.text}" for n in filing.footnotes), style="dim"))
    if filing.remarks:
        parts.append(Text(f"Remarks: {filing.remarks}", style="italic"))
    return Panel(Group(*parts), title=title, title_align="left")


def result_table(rows: list[dict[str, Any]], *, width: int, title: str | None = None) -> RenderableType:
    """Query results for a person: a table when it fits ``width``, otherwise one record at a
    time (column, value), so that no value is cut to "…"."""
    columns = list(rows[0]) if rows else []
    cells = [[_cell(v) for v in row.values()] for row in rows]
    if not rows or _natural_width(columns, cells) <= width:
        table = Table(title=title, title_justify="left")
        for name in columns:
            table.add_column(name, overflow="fold")
        for line in cells:
            table.add_row(*line)
        return table if rows else Group(table, Text("(no rows)", style="dim"))
    records: list[RenderableType] = [] if title is None else [Text(title)]
    for number, line in enumerate(cells, 1):
        record = Table.grid(padding=(0, 2))
        record.add_column(style="bold")
        record.add_column(overflow="fold")
        for name, value in zip(columns, line, strict=True):
            record.add_row(name, value)
        records += [Rule(f"record {number}", align="left", style="dim"), record]
    records.append(Text(f"{len(rows)} records, too wide for a table of {width} columns: -f csv gives one",
                        style="dim"))
    return Group(*records)


def _natural_width(columns: list[str], cells: list[list[str]]) -> int:
    """The width the table takes with no value folded: its widest cells, padding and borders."""
    widest = [max([len(name), *(len(line[i]) for line in cells)]) for i, name in enumerate(columns)]
    return sum(widest) + 3 * len(columns) + 1


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
