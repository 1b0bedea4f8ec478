"""What the store knows of an owner at an issuer, for a draft: who they are, what each holding line
held as last reported, and which trades their filings already reported. SQL only: the store is
read through its views, never its documents parsed again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from form4.analytics import scope
from form4.analytics.holdings import holdings_over_time
from form4.errors import NotStoredError
from form4.model import Issuer, ReportingOwner
from form4.store import Store
from form4.store.schema import OWNER_FIELDS

# the owner as the latest current filing of the owner at the issuer gives them (address and all)
_OWNER = f"""
SELECT {", ".join(f"o.{name}" for name, _ in OWNER_FIELDS)}
FROM current_filings f JOIN reporting_owners o ON o.accession_number = f.accession_number
WHERE f.issuer_cik = $issuer AND o.cik = $owner
ORDER BY f.filed_at DESC NULLS LAST, f.period_of_report DESC NULLS LAST, f.accession_number DESC
LIMIT 1
"""
# the transactions the owner's current filings reported at the issuer in a span of dates
_REPORTED = """
SELECT DISTINCT accession_number, table_name, row_index, form_type, transaction_date, transaction_code, shares,
       acquired_disposed
FROM current_rows
WHERE owner_cik = $owner AND issuer_cik = $issuer AND kind = 'transaction'
  AND transaction_date BETWEEN $since AND $until
"""


@dataclass(frozen=True)
class Point:
    """A holding line's balance as a filing reported it: ``shares`` after ``date``."""

    date: dt.date
    shares: Decimal


@dataclass(frozen=True)
class Line:
    """A holding line the store knows (form4.analytics.holdings), with its balances in date order."""

    id: str
    table: str  # non_derivative_transactions or derivative_transactions, as a Trade names it
    security_title: str
    direct_or_indirect: str
    nature_of_ownership: str
    ownership_footnote: str
    terms: tuple[Any, ...]  # Table II: exercise price, date exercisable, expiration date, underlying title
    points: tuple[Point, ...]

    def as_of(self, day: dt.date) -> Point | None:
        """The last balance reported on or before ``day``."""
        found = [p for p in self.points if p.date <= day]
        return found[-1] if found else None


@dataclass(frozen=True)
class Reported:
    """A transaction a stored filing reported: what a trade of the year is matched against."""

    accession_number: str
    form_type: str
    table: str
    date: dt.date
    code: str
    shares: Decimal | None
    acquired_disposed: str | None


def owner_and_issuer(store: Store, owner: str, issuer: str) -> tuple[ReportingOwner, Issuer]:
    """The owner as their latest current filing at the issuer names them (name, address,
    relationship, officer title), and the issuer as its latest stored filing names it."""
    owner_cik, issuer_cik = scope.cik(owner), scope.cik(issuer)
    company = scope.issuer(store, issuer_cik)
    found = store.dicts(_OWNER, {"owner": owner_cik, "issuer": issuer_cik})
    if not found:
        raise NotStoredError(f"owner: the store holds no filing of owner {owner_cik} at issuer {issuer_cik} "
                             f"({company.name}): the draft takes the owner's name, address and relationship "
                             "from one")
    return ReportingOwner(**found[0]), Issuer(cik=company.cik, name=company.name, trading_symbol=company.trading_symbol)


def holding_lines(store: Store, owner: str, issuer: str) -> list[Line]:
    """Every holding line of the owner at the issuer, with every balance reported on it."""
    points = holdings_over_time(store, scope.Filters(issuer=scope.cik(issuer), owner=scope.cik(owner)))
    by_line: dict[str, list[dict[str, Any]]] = {}
    for point in points:
        by_line.setdefault(point["line"], []).append(point)
    return [_line(line, found) for line, found in by_line.items()]


def _line(line: str, points: list[dict[str, Any]]) -> Line:
    first = points[0]
    table = "derivative_transactions" if first["table"] == "derivative" else "non_derivative_transactions"
    terms = (first["conversion_or_exercise_price"], first["exercise_date"], first["expiration_date"],
             folded(first["underlying_security_title"]))
    # a line counted in dollars (or a Form 3 derivative, counted in underlying shares) has no share balance
    balances = tuple(Point(p["date"], Decimal(repr(p["shares"]))) for p in points if p["shares"] is not None)
    return Line(line, table, folded(first["security_title"]), first["direct_or_indirect"] or "",
                folded(first["nature_of_ownership"]), folded(first["ownership_footnote"]), terms, balances)


def reported_trades(store: Store, owner: str, issuer: str, since: dt.date, until: dt.date) -> list[Reported]:
    """The transactions the owner's current filings at the issuer reported, dated ``since`` to ``until``."""
    found = store.dicts(_REPORTED, {"owner": scope.cik(owner), "issuer": scope.cik(issuer), "since": since,
                                    "until": until})
    return [Reported(r["accession_number"], r["form_type"],
                     "derivative_transactions" if r["table_name"] == "derivative" else "non_derivative_transactions",
                     r["transaction_date"], r["transaction_code"] or "",
                     None if r["shares"] is None else Decimal(repr(r["shares"])), r["acquired_disposed"])
            for r in found]


def folded(text: str | None) -> str:
    """Text as holding lines compare it: runs of white space one space, case folded."""
    return " ".join((text or "").split()).casefold()
