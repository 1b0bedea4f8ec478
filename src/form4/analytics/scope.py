"""Which stored rows a report or screen looks at, as SQL that runs on DuckDB and PostgreSQL alike.

Every answer reads the store's ``current_rows`` (amendments applied: a filing that a later
amendment replaced is left out; each row beside its filing's and owner's columns, so that no
answer joins) and its Table I transactions. Values are bound as named
parameters (``$name``), never pasted into the SQL.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from form4.analytics.roles import title_roles, unknown_roles
from form4.errors import AnalyticsError, NotStoredError
from form4.store import Store

PERIODS = ("month", "quarter", "year")

# what a transaction code means for a person reading insider activity (spec §3)
CATEGORIES = {"P": "purchase", "S": "sale", "A": "grant", "F": "tax_withholding", "M": "exercise",
              "X": "exercise", "O": "exercise", "C": "conversion", "G": "gift"}
CATEGORY = ("CASE r.transaction_code " + " ".join(f"WHEN '{code}' THEN '{name}'" for code, name in CATEGORIES.items())
            + " ELSE 'other' END")
VALUE = "coalesce(r.total_value, r.shares * r.price_per_share)"  # to compare and sort by; exact_value to show

# The store keeps numbers as doubles: 8.88 is kept as 8.8800000000000007815970093361102044582366943359375,
# and 200000 of them come to 1776000.0000000002 in double arithmetic. Sums and products shown to a
# person are taken in decimal instead, of each number as filed, to six decimals (more than filings
# give, and where a double still holds them exactly up to a billion); a double's binary error is far
# below the sixth decimal, so the cast gives back the filed decimal. A value a double cannot
# hold as a decimal of 32 digits is not a number of shares or dollars: it counts as none.
_EXACT = {"duckdb": "TRY_CAST({} AS DECIMAL(38, 6))", "postgres": "round(CAST({} AS NUMERIC), 6)"}
_LARGEST_VALUE = "1e18"  # dollars in one row; above this a product would overflow DuckDB's DECIMAL(38, 12) sums


def exact(column: str, dialect: str) -> str:
    """SQL for ``column`` (a double) as the decimal the filing gave, to add and multiply without noise."""
    return _EXACT[dialect].format(column)


def exact_value(dialect: str) -> str:
    """SQL for a row's dollar value (the value given, else shares times price) in decimal."""
    product = f"{exact('r.shares', dialect)} * {exact('r.price_per_share', dialect)}"
    return (f"coalesce({exact('r.total_value', dialect)}, CASE WHEN abs(r.shares * r.price_per_share) < "
            f"{_LARGEST_VALUE} THEN {product} END)")


def number(value: Any) -> float | None:
    """A decimal from the database as the float that prints as it (``Decimal('1776000.000')`` -> 1776000.0)."""
    return None if value is None else float(value)


def shown_number(value: float) -> str:
    """A number for a person, as the filing gave it, with thousands separated: 1,776,000 and
    11,371,931.298 (never rounded to fewer decimals, never a binary tail)."""
    return f"{value:,.0f}" if value.is_integer() else f"{Decimal(repr(value)):,f}"


def shown_dollars(value: float) -> str:
    """Dollars for a person: cents always, and every further decimal the filing gave ($150.841)."""
    exact = Decimal(repr(value))
    cents = exact.quantize(Decimal("0.01")) if exact.is_finite() else exact
    return f"${exact if exact != cents else cents:,f}" if exact >= 0 else f"-${-exact if exact != cents else -cents:,f}"


def decimal_sum(values: Iterable[float | None]) -> float:
    """The sum of numbers as decimals: 0.1 + 0.2 is 0.3 (not 0.30000000000000004)."""
    return float(sum((Decimal(repr(v)) for v in values if v is not None), Decimal(0)))


# a column every row of a cut result carries: how many rows the whole result has
TOTAL = ", count(*) OVER () AS total"


def total_taken(rows: list[dict[str, Any]]) -> int:
    """How many rows the whole result has (the ``TOTAL`` column), taken off each row."""
    total = int(rows[0]["total"]) if rows else 0
    for row in rows:
        del row["total"]
    return total

# Table I transactions of current filings, each with one of its reporting owners
ROWS = """
FROM current_rows r
WHERE r.table_name = 'non_derivative' AND r.kind = 'transaction'
"""
_ROLE_SQL = {"director": "r.is_director", "officer": "r.is_officer", "ten_percent_owner": "r.is_ten_percent_owner",
             "other": "r.is_other", "ceo": "r.officer_title IS NOT NULL", "cfo": "r.officer_title IS NOT NULL"}


@dataclass(frozen=True)
class Filters:
    """What to look at: an issuer's CIK, an owner's CIK, transaction dates (both ends included),
    a smallest dollar value and roles (any of ``form4.analytics.roles.ROLES``)."""

    issuer: str | None = None
    owner: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    min_value: float | None = None
    roles: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        unknown = unknown_roles(set(self.roles))
        if unknown:
            raise AnalyticsError(f"roles: no role {', '.join(unknown)} (one of director, officer, ten_percent_owner, "
                                 "other, ceo, cfo)")

    def where(self, *, codes: tuple[str, ...] = (), each_row_once: bool = False,
              titles: list[str] | None = None) -> tuple[str, dict[str, Any]]:
        """SQL conditions (to follow ``ROWS``) and their parameters. ``each_row_once`` keeps one
        owner per row, so that a joint filing's purchase counts once: the owner asked for, else
        the filing's first owner. ``titles``: the officer titles that name the executive roles
        asked for (form4.analytics.roles reads them; ``executive_titles`` finds them), so that the
        database picks those rows; without them any title passes, for the caller to read."""
        sql, params = self.matching({"issuer": "r.issuer_cik", "owner": "r.owner_cik", "since": "r.transaction_date",
                                     "until": "r.transaction_date", "min_value": VALUE})
        parts: list[str] = [sql] if sql else []
        if codes:
            parts.append("r.transaction_code IN (" + ", ".join(f"'{c}'" for c in codes if c.isalpha()) + ")")
        if self.roles:
            chosen = {_ROLE_SQL[r] for r in self.roles}
            if titles is not None and self.roles & EXECUTIVE_ROLES:
                chosen = {_ROLE_SQL[r] for r in self.roles - EXECUTIVE_ROLES} | {
                    "r.officer_title IN (SELECT unnest(CAST($titles AS TEXT[])))"}
                params["titles"] = titles
            parts.append("(" + " OR ".join(sorted(chosen)) + ")")
        if each_row_once and self.owner is None:
            parts.append("r.owner_index = 0")
        return "".join(f" AND {p}" for p in parts), params

    def matching(self, columns: Mapping[str, str]) -> tuple[str, dict[str, Any]]:
        """The conditions these filters set on ``columns`` (filter name -> SQL expression: issuer,
        owner, since, until, min_value), joined by AND, and their parameters; "" when none is set."""
        parts, params = [], {}
        for name, column in columns.items():
            value = getattr(self, name)
            if value is not None:
                parts.append(f"{column} {_OPERATORS.get(name, '=')} ${name}")
                params[name] = value
        return " AND ".join(parts), params


_OPERATORS = {"since": ">=", "until": "<=", "min_value": ">="}
EXECUTIVE_ROLES = frozenset({"ceo", "cfo"})


def executive_titles(store: Store, filters: Filters, codes: tuple[str, ...]) -> list[str]:
    """The officer titles among the rows of ``filters`` and ``codes`` that name an executive role
    ``filters`` asks for, each distinct title read once (by form4.analytics.roles)."""
    where, params = dataclasses.replace(filters, roles=frozenset()).where(codes=codes)
    found = store.dicts(f"SELECT DISTINCT r.officer_title {ROWS} {where} AND r.officer_title IS NOT NULL", params)
    return [row["officer_title"] for row in found if title_roles(row["officer_title"]) & filters.roles]


def is_cik(text: str) -> bool:
    """Whether ``text`` names a company by CIK (up to ten digits), not by ticker."""
    return re.fullmatch(r"\d{1,10}", text.strip()) is not None


def cik(text: str) -> str:
    """A CIK as the store keeps it: ten digits, leading zeros included."""
    digits = text.strip()
    if not digits.isdigit() or len(digits) > 10:
        raise AnalyticsError(f"cik: {text!r} is not a CIK (up to ten digits)")
    return digits.zfill(10)


@dataclass(frozen=True)
class Company:
    cik: str
    name: str | None
    trading_symbol: str | None


def issuer(store: Store, wanted: str) -> Company:
    """The issuer a ticker or CIK names, as its latest stored filing gives it (one with rows
    first; else any filing)."""
    by_cik = is_cik(wanted)
    key = cik(wanted) if by_cik else wanted.strip().upper()
    latest = "ORDER BY filed_at DESC NULLS LAST, period_of_report DESC NULLS LAST LIMIT 1"
    # by the table's order (an issuer's rows together) or a ticker's index: either way only the
    # columns of the order are read for every row, the name for the one row found
    column = "issuer_cik" if by_cik else "ticker"
    rows = store.dicts(f"SELECT issuer_cik, issuer_name, trading_symbol FROM current_rows WHERE {column} = $key "
                       f"{latest}", {"key": key})
    if not rows:
        condition = "issuer_cik = $key" if by_cik else "upper(trim(trading_symbol)) = $key"
        rows = store.dicts(f"SELECT issuer_cik, issuer_name, trading_symbol FROM current_filings WHERE {condition} "
                           f"{latest}", {"key": key})
    if not rows:
        raise NotStoredError(f"issuer: the store holds no filing of {'CIK' if by_cik else 'ticker'} {wanted}")
    return Company(rows[0]["issuer_cik"], rows[0]["issuer_name"], rows[0]["trading_symbol"])


def issuer_cik(store: Store, wanted: str) -> str:
    """The CIK of the issuer a ticker or CIK names, for a filter: a CIK is only checked to be stored,
    by one probe of an index (``issuer`` reads every row of the issuer to find its latest name)."""
    if not is_cik(wanted):
        return issuer(store, wanted).cik
    key = cik(wanted)
    probe = "SELECT 1 FROM {} WHERE issuer_cik = $key LIMIT 1"
    if not store.dicts(probe.format("current_rows"), {"key": key}) and not store.dicts(
            probe.format("current_filings"), {"key": key}):
        raise NotStoredError(f"issuer: the store holds no filing of CIK {wanted}")
    return key


def owner(store: Store, wanted: str) -> Company:
    """The reporting owner a CIK names, with the name of their latest stored filing (one with
    rows first, found by the index; else any filing)."""
    key = cik(wanted)
    rows = store.dicts("SELECT owner_name AS name FROM current_rows r WHERE owner_cik = $key "
                       "ORDER BY filed_at DESC NULLS LAST, period_of_report DESC NULLS LAST LIMIT 1",
                       {"key": key})
    if not rows:  # a filing without rows (a Form 3 of no securities)
        rows = store.dicts("SELECT o.name FROM reporting_owners o JOIN current_filings f "
                           "ON f.accession_number = o.accession_number WHERE o.cik = $key "
                           "ORDER BY f.filed_at DESC NULLS LAST, f.period_of_report DESC NULLS LAST LIMIT 1",
                           {"key": key})
    if not rows:
        raise NotStoredError(f"owner: the store holds no filing by CIK {wanted}")
    return Company(key, rows[0]["name"], None)


def period_start(period: str) -> str:
    """SQL for the first day of a row's period (month, quarter or year of its transaction date)."""
    if period not in PERIODS:
        raise AnalyticsError(f"period: {period!r} is not one of {', '.join(PERIODS)}")
    return f"CAST(date_trunc('{period}', r.transaction_date) AS DATE)"
