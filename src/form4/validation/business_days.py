"""SEC business days: any day but Saturday, Sunday and a US federal holiday.

The federal calendar is ``holidays.US`` (its ``public`` category: the eleven statutory
holidays with their observed Fridays and Mondays, Juneteenth from 2021) plus its
``government`` category, the one-off closures of federal offices by executive order
(national days of mourning, Christmas Eve): EDGAR was closed on them and the SEC moved
filings due that day to the next business day. Half-day closings are business days.
Lookups are cached per year, so a deadline costs a few set lookups.
"""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache

import holidays

_DAY = dt.timedelta(days=1)


@cache
def closed_days(year: int) -> frozenset[dt.date]:
    """The weekday holidays and closures of ``year``."""
    calendar = holidays.country_holidays("US", years=year, categories=("public", "government"))
    return frozenset(day for day, name in calendar.items() if "half-day" not in name)


def is_business_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in closed_days(day.year)


@lru_cache(maxsize=65536)
def roll_forward(day: dt.date) -> dt.date:
    """``day`` if it is a business day, else the next one (Rule 0-3: a deadline on a weekend
    or holiday moves to the next business day; a filing made then counts as of that day)."""
    while not is_business_day(day):
        day += _DAY
    return day


@lru_cache(maxsize=65536)
def add_business_days(day: dt.date, count: int) -> dt.date:
    """The ``count``-th business day after ``day`` (``day`` itself never counts)."""
    for _ in range(count):
        day = roll_forward(day + _DAY)
    return day


def business_days_between(due: dt.date, filed: dt.date) -> int:
    """Business days from ``due`` (excluded) up to the day ``filed`` counts as (included):
    how late a filing made on ``filed`` is; 0 when on time."""
    filed = roll_forward(filed)
    count = 0
    day = due
    while day < filed:
        day = roll_forward(day + _DAY)
        count += 1
    return count
