"""Reports over the store: an issuer's insiders, an insider's issuers, Section 16(b) profit.

    from form4.analytics import reports
    report = reports.issuer_report(store, "AAPL")          # or a CIK
    report.to_dict()["activity"]                            # per owner, period and category
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import msgspec

from form4.analytics import activity, holdings, insiders, scope
from form4.analytics.scope import ROWS, Filters
from form4.analytics.short_swing import ShortSwing, Trade, short_swing_profit
from form4.store import Store

Rows = list[dict[str, Any]]


@dataclass
class Report:
    """An issuer's or an owner's activity: who (``people``: the insiders of an issuer, or the
    issuers an owner reports at), what they did per period (``activity`` per owner, ``totals``
    for all together), what they hold (``holdings``: the latest of each series) and how that
    changed (``history``: each series' balance at the end of each period)."""

    kind: str  # "issuer" or "owner"
    subject: scope.Company
    period: str
    people: Rows = field(default_factory=list)
    activity: Rows = field(default_factory=list)
    totals: Rows = field(default_factory=list)
    holdings: Rows = field(default_factory=list)
    history: Rows = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: dates as ISO strings."""
        data: dict[str, Any] = msgspec.to_builtins({self.kind: dataclasses.asdict(self.subject), "period": self.period,
                       "insiders" if self.kind == "issuer" else "issuers": self.people,
                       "activity": self.activity, "totals": self.totals, "holdings": self.holdings,
                       "history": self.history})
        return data


def issuer_report(store: Store, issuer: str, filters: Filters | None = None, *, period: str = "quarter",
                  history: bool = True) -> Report:
    """Everything about the insiders of ``issuer`` (a ticker or a CIK). ``history=False`` leaves
    out each holding line's points over time (an issuer's can be 100,000), for an answer that
    shows only what is held now."""
    company = scope.issuer(store, issuer)
    return _report(store, "issuer", company, dataclasses.replace(filters or Filters(), issuer=company.cik), period,
                   history)


def owner_report(store: Store, owner: str, filters: Filters | None = None, *, period: str = "quarter",
                 history: bool = True) -> Report:
    """The same across every issuer the person with CIK ``owner`` reports at."""
    person = scope.owner(store, owner)
    return _report(store, "owner", person, dataclasses.replace(filters or Filters(), owner=person.cik), period,
                   history)


def _report(store: Store, kind: str, subject: scope.Company, filters: Filters, period: str, history: bool) -> Report:
    scope.period_start(period)  # an unknown period fails before any query
    people = insiders.insiders(store, filters) if kind == "issuer" else insiders.issuers(store, filters)
    return Report(kind, subject, period, people, activity.activity(store, filters, period=period),
                  activity.totals(store, filters, period=period), holdings.latest(store, filters),
                  holdings.holdings_over_time(store, filters, period=period) if history else [])


@dataclass
class Summary:
    """What a person reads of a report at a terminal: its first ``rows`` people and holdings and
    its latest ``rows`` rows of activity, each as the whole report has them, and how many rows each
    of these has in the whole report (``counts``: people, activity, holdings). Only the rows shown
    are read: an issuer's report can have tens of thousands."""

    kind: str  # "issuer" or "owner"
    subject: scope.Company
    period: str
    people: Rows
    activity: Rows
    holdings: Rows
    counts: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, as ``Report.to_dict`` (without totals and history), with ``counts``."""
        data: dict[str, Any] = msgspec.to_builtins({self.kind: dataclasses.asdict(self.subject), "period": self.period,
                       "insiders" if self.kind == "issuer" else "issuers": self.people,
                       "activity": self.activity, "holdings": self.holdings, "counts": self.counts})
        return data


def issuer_summary(store: Store, issuer: str, filters: Filters | None = None, *, period: str = "quarter",
                   rows: int = 40) -> Summary:
    """``issuer_report``'s first ``rows`` insiders and holdings and latest ``rows`` of activity."""
    company = scope.issuer(store, issuer)
    return _summary(store, "issuer", company, dataclasses.replace(filters or Filters(), issuer=company.cik), period,
                    rows)


def owner_summary(store: Store, owner: str, filters: Filters | None = None, *, period: str = "quarter",
                  rows: int = 40) -> Summary:
    """``owner_report``'s first ``rows`` issuers and holdings and latest ``rows`` of activity."""
    person = scope.owner(store, owner)
    return _summary(store, "owner", person, dataclasses.replace(filters or Filters(), owner=person.cik), period, rows)


def _summary(store: Store, kind: str, subject: scope.Company, filters: Filters, period: str, rows: int) -> Summary:
    scope.period_start(period)
    people, in_people = insiders.first_people(store, filters, kind, rows)
    done, in_activity = activity.latest_activity(store, filters, period=period, count=rows)
    held, in_holdings = holdings.first_held(store, filters, rows)
    return Summary(kind, subject, period, people, done, held,
                   {"people": in_people, "activity": in_activity, "holdings": in_holdings})


def short_swing_report(store: Store, owner: str, issuer: str, filters: Filters | None = None) -> ShortSwing:
    """The Section 16(b) profit of the owner with CIK ``owner`` in the shares of ``issuer``
    (ticker or CIK): their open-market purchases and sales with a price, from current filings."""
    wanted = dataclasses.replace(filters or Filters(), owner=scope.cik(owner), issuer=scope.issuer_cik(store, issuer))
    where, params = wanted.where(codes=("P", "S"))
    # a day's trades at one price are one trade to the pairing: summed here, so that an owner of
    # thousands of rows hands the solver tens of trades
    rows = store.dicts(
        "SELECT transaction_code, transaction_date, price_per_share, sum(shares) AS shares FROM (SELECT DISTINCT "
        f"r.accession_number, r.row_index, r.transaction_code, r.transaction_date, r.shares, r.price_per_share {ROWS} "
        f"{where} AND r.transaction_date IS NOT NULL AND r.shares > 0 AND r.price_per_share IS NOT NULL) trades "
        "GROUP BY 1, 2, 3 ORDER BY 2, 3", params)
    purchases, sales = ([Trade(r["transaction_date"], r["shares"], r["price_per_share"]) for r in rows
                         if r["transaction_code"] == code] for code in ("P", "S"))
    return short_swing_profit(purchases, sales)
