"""Section 16(b) short-swing profit: what an insider must give back to the issuer.

The recoverable profit is the largest total of ``shares * (sale price - purchase price)`` over
all ways of pairing purchases with sales less than six months apart, each share used once,
no pair at a loss (the courts' "lowest in, highest out", ``spec/ownership-spec.md`` §7).
Inside one period that is sorting; across overlapping periods a greedy match can be wrong, so
the pairing is solved exactly as a transportation problem (a linear programme; with whole
share counts its optimum pairs whole shares).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from form4.extras import require

_SHARES = 1e-6  # shares below this in a solved pair are the solver's rounding, not a pair


@dataclass(frozen=True, slots=True)
class Trade:
    """One open-market purchase or sale: its day, shares and price a share."""

    date: dt.date
    shares: float
    price: float


@dataclass(frozen=True, slots=True)
class Pair:
    purchase_date: dt.date
    purchase_price: float
    sale_date: dt.date
    sale_price: float
    shares: float
    profit: float


@dataclass(slots=True)
class ShortSwing:
    """The recoverable profit and the pairs that make it up."""

    profit: float = 0.0
    pairs: list[Pair] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """``{"profit", "pairs": [{"purchase_date", "purchase_price", "sale_date", "sale_price",
        "shares", "profit"}, …]}``, dates as ISO strings: what scripts read."""
        return {"profit": self.profit,
                "pairs": [{**asdict(p), "purchase_date": p.purchase_date.isoformat(),
                           "sale_date": p.sale_date.isoformat()} for p in self.pairs]}


def six_months_after(day: dt.date) -> dt.date:
    """The same day six calendar months on (the month's last day where it has no such day)."""
    month = day.month + 6
    year, month = day.year + (month - 1) // 12, (month - 1) % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def within_period(first: dt.date, second: dt.date) -> bool:
    """Whether two trades are less than six months apart, in either order."""
    earlier, later = sorted((first, second))
    return later < six_months_after(earlier)


def short_swing_profit(purchases: Sequence[Trade], sales: Sequence[Trade]) -> ShortSwing:
    """The largest profit any pairing of ``purchases`` with ``sales`` gives (§7), and its pairs
    in purchase then sale order. Trades of the same day and price are one trade of their shares
    together: that changes no pairing's profit, and keeps the programme small."""
    purchases, sales = _merged(purchases), _merged(sales)
    edges = [(i, j, s.price - p.price) for i, p in enumerate(purchases) for j, s in enumerate(sales)
             if s.price > p.price and p.shares > 0 and s.shares > 0 and within_period(p.date, s.date)]
    if not edges:
        return ShortSwing()
    amounts = _solve(edges, [p.shares for p in purchases], [s.shares for s in sales])
    pairs = []
    for (i, j, spread), shares in zip(edges, amounts, strict=True):
        shares = round(shares, 6)
        if shares > _SHARES:
            p, s = purchases[i], sales[j]
            pairs.append(Pair(p.date, p.price, s.date, s.price, shares, round(shares * spread, 2)))
    pairs.sort(key=lambda p: (p.purchase_date, p.purchase_price, p.sale_date, p.sale_price))
    return ShortSwing(round(sum(p.profit for p in pairs), 2), pairs)


def _merged(trades: Sequence[Trade]) -> list[Trade]:
    shares: dict[tuple[dt.date, float], float] = {}
    for trade in trades:
        shares[(trade.date, trade.price)] = shares.get((trade.date, trade.price), 0.0) + trade.shares
    return [Trade(day, amount, price) for (day, price), amount in shares.items()]


def _solve(edges: list[tuple[int, int, float]], supply: list[float], demand: list[float]) -> list[float]:
    """Shares on each edge maximising the total spread, no trade's shares used more than once.
    Among pairings of that same total, the one that gives the widest spreads their shares first
    (the most squared spread): the pairs "lowest in, highest out" names, whichever the solver
    would have met first."""
    optimize = require("scipy.optimize", "analytics", "Section 16(b) profit")
    sparse = require("scipy.sparse", "analytics", "Section 16(b) profit")
    rows = [i for i, _, _ in edges] + [len(supply) + j for _, j, _ in edges]
    columns = list(range(len(edges))) * 2
    limits = sparse.csr_array(([1.0] * len(rows), (rows, columns)), shape=(len(supply) + len(demand), len(edges)))
    spreads = [spread for _, _, spread in edges]
    best = _linprog(optimize, [-x for x in spreads], limits, [*supply, *demand])
    total = -best.fun
    floor = sparse.vstack([limits, sparse.csr_array([[-x for x in spreads]])])  # keep the best total
    # the floor gives way by a billionth only: any more lets the tie-break move a sliver of a share
    # to a worse pair (a pair of 0.000001 shares and $0.00 profit)
    tied = _linprog(optimize, [-x * x for x in spreads], floor, [*supply, *demand, -total + 1e-9 * max(1.0, total)])
    return [float(x) for x in tied.x]


def _linprog(optimize: Any, objective: list[float], limits: Any, bounds: list[float]) -> Any:
    result = optimize.linprog(objective, A_ub=limits, b_ub=bounds, bounds=(0, None), method="highs")
    if result.status != 0:  # bounded and feasible by construction: this would be a solver fault
        raise RuntimeError(f"the 16(b) pairing could not be solved: {result.message}")
    return result


__all__ = ["Pair", "ShortSwing", "Trade", "short_swing_profit", "six_months_after", "within_period"]
