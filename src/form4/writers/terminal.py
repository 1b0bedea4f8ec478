"""A filing as a rich renderable for a person at a terminal."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, NamedTuple

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from form4.compare import flagged
from form4.model import Filing, ReportingOwner

FLAG = "bold yellow"  # a value the reader was not sure of: a person should check it against the form


def _number(value: float | None, money: bool = False) -> str:
    """A number as the filing gave it: thousands separated, every decimal it has and no more."""
    if value is None:
        return ""
    text = f"{int(value):,}" if float(value).is_integer() else f"{Decimal(repr(float(value))):,f}"
    return f"${text}" if money else text


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _owner_line(owner: ReportingOwner) -> str:
    roles = [name for flag, name in ((owner.is_director, "Director"), (owner.is_officer, "Officer"),
                                     (owner.is_ten_percent_owner, "10% owner"), (owner.is_other, "Other"))
             if flag]
    detail = ", ".join(filter(None, [*roles, owner.officer_title, owner.other_text]))
    return f"{owner.name or '?'} (CIK {owner.cik or '?'}) — {detail or 'no relationship given'}"


def _notes(footnotes: dict[str, list[str]]) -> str:
    return " ".join(sorted({note for ids in footnotes.values() for note in ids}))


def prose(text: str) -> str:
    """Footnote or remarks text as a reader of the form sees it: the XML's line breaks and
    indentation are layout, not text, so runs of white space are one space, as in a browser;
    a blank line still parts paragraphs."""
    paragraphs = (" ".join(part.split()) for part in _PARAGRAPH.split(text))
    return "\n".join(p for p in paragraphs if p)


_PARAGRAPH = re.compile(r"\n[ \t\r\f\v]*\n")


class _Column(NamedTuple):
    """A column of a table of the form: its heading, alignment, how a row gives its cell, and
    the fields it shows (a flagged one marks the cell)."""

    heading: str
    justify: str
    cell: Callable[[Any], str]
    fields: tuple[str, ...] = ()


def _field(name: str, show: Callable[[Any], str] = lambda v: "" if v is None else str(v)) -> Callable[[Any], str]:
    return lambda row: show(getattr(row, name, None))


def _owned(row: Any) -> str:
    owned = row.shares_owned_following
    if owned is None and row.value_owned_following is not None:
        return _number(row.value_owned_following, money=True)  # a value owned, in dollars (Instr. 4)
    return _number(owned)


def _amount(row: Any) -> str:
    shares = getattr(row, "shares", None)
    value = getattr(row, "total_value", None)
    return _number(value, money=True) if shares is None and value is not None else _number(shares)


def _underlying_amount(row: Any) -> str:
    if row.underlying_shares is None and row.underlying_value is not None:
        return _number(row.underlying_value, money=True)
    return _number(row.underlying_shares)


_SECURITY = _Column("Security", "left", _field("security_title"), ("security_title",))
_TRANSACTION = [_Column("Date", "left", _field("transaction_date", _date), ("transaction_date",)),
                _Column("Code", "center", _field("transaction_code"), ("transaction_code",)),
                _Column("A/D", "center", _field("acquired_disposed"), ("acquired_disposed",)),
                _Column("Amount", "right", _amount, ("shares", "total_value")),
                _Column("Price", "right", _field("price_per_share", lambda v: _number(v, money=True)),
                        ("price_per_share",))]
_OWNERSHIP = [_Column("Owned after", "right", _owned, ("shares_owned_following", "value_owned_following")),
              _Column("D/I", "center", _field("direct_or_indirect"), ("direct_or_indirect",)),
              _Column("Nature of ownership", "left", _field("nature_of_ownership"), ("nature_of_ownership",)),
              _Column("Notes", "left", lambda row: _notes(row.footnotes), ("footnotes",))]
# Table II: the derivative's terms and the shares it is on, the numbers of a Form 3's holdings
_TERMS = [_Column("Exercise price", "right", _field("conversion_or_exercise_price", lambda v: _number(v, money=True)),
                  ("conversion_or_exercise_price",)),
          _Column("Exercisable", "left", _field("exercise_date", _date), ("exercise_date",)),
          _Column("Expires", "left", _field("expiration_date", _date), ("expiration_date",)),
          _Column("Underlying", "left", _field("underlying_security_title"), ("underlying_security_title",)),
          _Column("Underlying shares", "right", _underlying_amount, ("underlying_shares", "underlying_value"))]
_TABLES = (("Table I · non-derivative securities", ("non_derivative_transactions", "non_derivative_holdings"),
            [_SECURITY, *_TRANSACTION, *_OWNERSHIP]),
           ("Table II · derivative securities", ("derivative_transactions", "derivative_holdings"),
            [_SECURITY, _TERMS[0], *_TRANSACTION, *_TERMS[1:], *_OWNERSHIP]))


def _doubts(filing: Filing) -> Callable[[str], bool]:
    """Whether the reader flagged a record path (form4.compare.flagged: a warning on it or a
    confidence below 0.9); an XML filing flags nothing."""
    record = {"warnings": [w.to_dict() for w in filing.warnings], "confidence": filing.confidence}
    return lambda path: bool(record["warnings"] or record["confidence"]) and flagged(record, path)


def _flag(text: str, doubted: bool) -> Text | str:
    return Text(f"{text} ?" if text else "?", style=FLAG) if doubted else text


def _form_table(title: str, rows: list[tuple[str, Any]], columns: list[_Column],
                doubted: Callable[[str], bool]) -> Table:
    """One of the form's tables (rows with their record paths), without the columns no row
    fills (a Form 3 has no transactions); a value the reader doubted is marked "?"."""
    cells = [[c.cell(row) for c in columns] for _, row in rows]
    kept = [i for i, c in enumerate(columns) if c is _SECURITY or any(line[i] for line in cells)]
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, expand=False)
    for i in kept:
        table.add_column(columns[i].heading, justify=columns[i].justify, overflow="fold")  # type: ignore[arg-type]
    for (path, _), line in zip(rows, cells, strict=True):
        table.add_row(*(_flag(line[i], any(doubted(f"{path}.{f}") for f in columns[i].fields)) for i in kept))
    return table


def filing_table(filing: Filing) -> Panel:
    issuer = filing.issuer
    title = (f"Form {filing.form_type or '?'} · {issuer.name or '?'} [{issuer.trading_symbol or ''}]"
             f" · {filing.accession_number or filing.source_name or ''}")
    doubted = _doubts(filing)
    facts = Text()
    for i, owner in enumerate(filing.reporting_owners):
        facts.append(_owner_line(owner) + "\n", style=FLAG if doubted(f"reporting_owners[{i}]") else "")
    facts.append(f"Period {filing.period_of_report or '?'}", style=FLAG if doubted("period_of_report") else "")
    facts.append((f" · filed {filing.filed_at}" if filing.filed_at else "")
                 + (f" · amends {filing.date_of_original_submission}"
                    if filing.date_of_original_submission else ""))
    parts: list[Any] = [facts]
    for heading, attrs, columns in _TABLES:
        rows = [(f"{attr}[{i}]", row) for attr in attrs for i, row in enumerate(getattr(filing, attr))]
        if rows:
            parts.append(_form_table(heading, rows, columns, doubted))
    if len(parts) == 1:
        nothing = "No securities beneficially owned" if filing.no_securities_owned else "No rows"
        parts.append(Text(nothing, style="bold"))
    if filing.footnotes:
        parts.append(Text("\n".join(f"({n.id}) {prose(n.text)}" for n in filing.footnotes), style="dim"))
    if filing.remarks:
        parts.append(Text(f"Remarks: {prose(filing.remarks)}", style="italic"))
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
