"""One time base for the whole model: 1.0 = one day, 0.0 = the scenario's start date.

SimPy's clock is a float number of days; these helpers turn it into calendar dates and
back, so processes can act on real months, seasons and quarters.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache

#: Mean length of a month in days, for durations given in months.
DAYS_PER_MONTH = 365.25 / 12


def day_of(start: date, when: date) -> float:
    """Simulation time (days since `start`) of the calendar day `when`."""
    return float((when - start).days)


def date_of(start: date, t: float) -> date:
    """Calendar day that contains simulation time `t`."""
    return start + timedelta(days=int(t))


def month_starts(start: date, until: date) -> list[date]:
    """First days of every month from `start`'s month to `until`'s month, inclusive."""
    out: list[date] = []
    y, m = start.year, start.month
    while (y, m) <= (until.year, until.month):
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


@lru_cache(maxsize=4096)
def days_in_month(d: date) -> int:
    """Number of days in the month containing `d` (cached: asked every month of every run)."""
    return calendar.monthrange(d.year, d.month)[1]


def next_month(d: date) -> date:
    """First day of the month after the one containing `d`."""
    return date(d.year + 1, 1, 1) if d.month == 12 else date(d.year, d.month + 1, 1)


def add_months(d: date, k: int) -> date:
    """The same day-of-month `k` months later (clipped to the month's last day)."""
    y, m = divmod(d.month - 1 + k, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))
