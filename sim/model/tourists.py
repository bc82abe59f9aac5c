"""Tourists: visits to the forest park and the riverside, stays, spending, jobs and loads.

Visits arrive as parties, drawn per day as counts (a month at a time, as arrays), with the
month's seasonal index, weekends and the official rest days: the State Council's holiday schedule
(package `holidays`, with its make-up workdays), projected for years it has not published.
Overnight guests need beds: a day-by-day bed ledger turns away what does not fit (some leave,
the rest come as day-trippers). Demand follows the place's appeal (investments, marketing), the
river's class as visitors perceive it, and word of mouth (reputation follows experience, which
crowding, turned-away guests and a dirty river spoil).
"""

from __future__ import annotations

import calendar
from collections import deque
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays as pyholidays
import numpy as np
from holidays.countries.china import ChinaStaticHolidays
from lunardate import LunarDate
from scipy import special

from sim.scenario.tourism import Investment, Tourism

WORKDAY, WEEKEND, HOLIDAY = 0, 1, 2
"""Day types of `day_kinds`: how many visits a day draws (weekday, Saturday/Sunday, rest day)."""


@lru_cache(maxsize=1)
def official_years() -> range:
    """Years whose official schedule (bridged days off, make-up workdays) the package carries:
    the State Council General Office's yearly notices, 2001 to the latest one published."""
    years = ChinaStaticHolidays.special_public_holidays
    return range(min(years), max(years) + 1)


def _customary_days_off(year: int) -> set[date]:
    """The golden weeks of a year without an official schedule, as recent schedules set them:
    Spring Festival eve to the 7th day (lunar calendar), 1–5 May, 1–7 October."""
    new_year = LunarDate(year, 1, 1).to_solar_date()
    days = {new_year + timedelta(days=k) for k in range(-1, 7)}
    days |= {date(year, 5, d) for d in range(1, 6)}
    days |= {date(year, 10, d) for d in range(1, 8)}
    return days


@lru_cache(maxsize=256)
def _calendar(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(rest days, make-up workdays) of `year`.

    The package's public holidays of China: statutory days, days off in lieu and, in official
    years, the days bridged by the schedule. A rest day is one of them or a Saturday or Sunday
    joined to one (与周末连休), unless that weekend day is a make-up workday (调休), which only
    official years have; the neighbouring years count, for a holiday that joins a weekend across
    New Year (30 Dec 2023 – 1 Jan 2024). A year without an official schedule adds the golden
    weeks as recent schedules set them (`_customary_days_off`, weekends inside them included,
    those around them not: schedules make those workdays); before 1950 the package has no
    Chinese holidays and the golden weeks alone remain.
    """
    cn = pyholidays.China(years=range(year - 1, year + 2))  # public holidays and days in lieu
    worked = {day for day in cn.weekend_workdays if day.year - 1 <= year <= day.year + 1}
    rest = set(cn)
    for day in cn:  # join the Saturdays and Sundays on either side
        for step in (timedelta(days=1), timedelta(days=-1)):
            nxt = day + step
            while nxt.weekday() >= 5 and nxt not in worked:
                rest.add(nxt)
                nxt += step
    if year not in official_years():
        rest |= _customary_days_off(year)
    return (frozenset(day for day in rest if day.year == year),
            frozenset(day for day in worked if day.year == year))


def holidays(year: int) -> frozenset[date]:
    """Rest days of `year`: holidays, bridged days and the weekends joined to them (official,
    or projected for a year without an official schedule: see `_calendar`)."""
    return _calendar(year)[0]


def make_up_workdays(year: int) -> frozenset[date]:
    """Saturdays and Sundays of `year` that are official workdays (empty for a projected year)."""
    return _calendar(year)[1]


@lru_cache(maxsize=1024)
def day_kinds(year: int, month: int) -> np.ndarray:
    """Each day's type in the month (read-only): HOLIDAY on a rest day, WEEKEND on another
    Saturday or Sunday unless it is a make-up workday, otherwise WORKDAY."""
    first, n = calendar.monthrange(year, month)  # weekday of the 1st (Monday 0), days
    rest, worked = _calendar(year)
    kinds = np.full(n, WORKDAY, dtype=np.int8)
    for d in range(n):
        day = date(year, month, d + 1)
        if day in rest:
            kinds[d] = HOLIDAY
        elif (first + d) % 7 >= 5 and day not in worked:
            kinds[d] = WEEKEND
    kinds.flags.writeable = False
    return kinds


def day_weights(year: int, month: int, params: Tourism) -> np.ndarray:
    """Relative visits of each day of the month (sums to 1): weekdays 1, weekends, holidays."""
    return _day_weights(year, month, params.weekend_day_factor, params.holiday_day_factor)


@lru_cache(maxsize=1024)
def _day_weights(year: int, month: int, weekend: float, holiday: float) -> np.ndarray:
    """`day_weights` by calendar and factors: the same every run, so computed once (read-only)."""
    w = np.array([1.0, weekend, holiday])[day_kinds(year, month)]
    w = w / w.sum()
    w.flags.writeable = False
    return w


@lru_cache(maxsize=64)
def _month_index(monthly_index: tuple[float, ...]) -> tuple[float, ...]:
    """The monthly index scaled to mean 1 (a parameter, so computed once per value)."""
    idx = np.asarray(monthly_index, dtype=float)
    idx = idx / idx.mean() if idx.mean() > 0 else idx
    return tuple(idx.tolist())


def host_shares(zones: tuple[str, ...], park_share: float) -> np.ndarray:
    """Share of visits each village hosts: the park's (hilly villages) and the riverside's."""
    zones_arr = np.asarray(zones)
    out = np.zeros(len(zones))
    for zone, share in (("hilly", park_share), ("riverside", 1.0 - park_share)):
        mask = zones_arr == zone
        if mask.any():
            out[mask] = share / mask.sum()
    return out / out.sum() if out.sum() > 0 else out


@dataclass
class TourismState:
    """What tourism carries from month to month."""

    beds: int
    trail_capacity: float
    appeal: float = 0.0
    marketing_yuan_per_year: float = 0.0
    homestays: int = 0
    reputation: float | None = None
    reputation0: float | None = None
    trend_log: float = 0.0
    carry_guests: float = 0.0
    classes: deque[float] = field(default_factory=deque)
    visits_12m: deque[float] = field(default_factory=lambda: deque(maxlen=12))
    wanted_nights_12m: deque[float] = field(default_factory=lambda: deque(maxlen=12))
    refused_nights_12m: deque[float] = field(default_factory=lambda: deque(maxlen=12))

    def invest(self, inv: Investment) -> None:
        self.beds += inv.beds
        self.trail_capacity += inv.trail_visitors_per_day
        self.appeal += inv.appeal_share
        self.marketing_yuan_per_year += inv.marketing_yuan_per_year


@dataclass(frozen=True)
class TourismMonth:
    visits: float
    day_visits: float
    overnight_guests: float
    guest_nights: float
    turned_away: float
    occupancy_share: float
    revenue_yuan: float
    night_revenue_yuan: float
    experience: float
    sewage_litres: float
    rubbish_kg: float


def demand_multiplier(state: TourismState, p: Tourism, perceived_class: float) -> float:
    """Appeal × river × reputation × marketing, relative to the base demand."""
    river = 1.0 + p.river_effect_per_class * max(0.0, p.river_reference_class - perceived_class)
    rep = 1.0
    if state.reputation is not None and state.reputation0:
        rep = (state.reputation / state.reputation0) ** p.reputation_elasticity
    marketing = (1.0 + state.marketing_yuan_per_year / p.marketing_reference_yuan_per_year) ** (
        p.marketing_elasticity)
    return (1.0 + state.appeal) * river * rep * marketing


def poisson_ppf(u: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """The smallest k with P(K ≤ k) ≥ u, K ~ Poisson(mean), elementwise: scipy.stats'
    `poisson.ppf` without its generic argument handling (the same special functions and
    correction step; a test checks they agree)."""
    k = np.ceil(special.pdtrik(u, mean))
    below = np.maximum(k - 1, 0)
    return np.asarray(np.where(mean > 0, np.where(special.pdtr(below, mean) >= u, below, k), 0.0))


def binomial_ppf(u: np.ndarray, n: np.ndarray, share: float) -> np.ndarray:
    """The smallest k with P(K ≤ k) ≥ u, K ~ Binomial(n, share), elementwise (as
    `binom.ppf`; `n` whole numbers)."""
    trials = n.astype(np.int64)
    k = np.ceil(special.bdtrik(u, n, share))
    below = np.maximum(k - 1, 0)
    return np.asarray(np.where(trials > 0, np.where(
        special.bdtr(below, trials, share) >= u, below, k), 0.0))


def tourism_month(state: TourismState, p: Tourism, year: int, month: int, years_elapsed: float,
                  perceived_class: float, price_level: float,
                  rng: np.random.Generator) -> TourismMonth:
    """Simulate one month of visits day by day; update the state (beds carried, reputation)."""
    idx = _month_index(tuple(p.monthly_index))
    growth = (1.0 + p.trend_per_year) ** years_elapsed * float(np.exp(state.trend_log))
    expected = p.base_visits_per_year / 12.0 * idx[month - 1] * growth * demand_multiplier(
        state, p, perceived_class)
    w = day_weights(year, month, p)
    # Paired draws (common random numbers): three uniforms per day, whatever the demand, turned
    # into counts by inverse CDFs. A policy and its base with the same seed see the same draws
    # (numpy's own poisson/binomial consume a number of draws that depends on the mean, so
    # the streams would drift apart), and more demand never gives fewer arrivals on a day.
    u = rng.random((3, w.size))
    parties = poisson_ppf(u[0], expected / p.party_size_persons * w)
    persons = parties + poisson_ppf(u[1], parties * (p.party_size_persons - 1.0))
    want_night = binomial_ppf(u[2], persons, p.overnight_share)
    beds = float(state.beds)
    carry = min(state.carry_guests, beds)
    guests = nights = refused = left = 0.0
    crowd_sum = 0.0
    # The ledger runs on Python floats (same IEEE arithmetic as numpy scalars, much faster);
    # `x if x > 0.0 else 0.0` is max(0.0, x) and `b if b < a else a` is min(a, b), inlined.
    # On most days the free beds take everyone who wants one: then nobody is refused or
    # leaves, and the terms that would be zero are skipped (the sums start at +0.0 and adding
    # ±0.0 leaves them as they are; `came - 0.0` is `came`), as is the crowding term of an
    # uncrowded day.
    leave_share = p.turned_away_leave_share
    two_night = p.two_night_share
    trail = state.trail_capacity
    threshold = p.crowding_threshold_share
    wants, comes = want_night.tolist(), persons.tolist()
    for want, came in zip(wants, comes, strict=True):
        free = beds - carry
        if free >= want:
            take = want
            on_trails = came + carry
        else:
            free = free if free > 0.0 else 0.0
            take = free if free < want else want
            no_bed = want - take
            leave = no_bed * leave_share
            refused += no_bed
            left += leave
            on_trails = came - leave + carry
        nights += take + carry
        guests += take
        excess = on_trails / trail - threshold
        if excess > 0.0:
            crowd_sum += on_trails * excess
        carry = take * two_night
    state.carry_guests = carry
    # whole numbers, so Python's sums (exact) equal numpy's, without two numpy calls
    visits = float(sum(comes)) - left
    day_visits = visits - guests
    crowding = crowd_sum / visits if visits > 0 else 0.0
    wanted = float(sum(wants))
    refused_share = refused / wanted if wanted > 0 else 0.0
    experience = max(0.0, 1.0 - p.crowding_penalty * crowding
                     - p.turned_away_experience_penalty * refused_share
                     - p.river_experience_penalty_per_class * max(0.0, perceived_class - 3.0))
    if state.reputation is None:
        state.reputation = state.reputation0 = experience
    else:
        state.reputation += p.reputation_adjust_per_month * (experience - state.reputation)
    state.visits_12m.append(visits)
    state.wanted_nights_12m.append(wanted)
    state.refused_nights_12m.append(refused)
    if month == 12:
        state.trend_log += p.trend_log_sd_per_year * float(rng.standard_normal())
    night_rev = nights * p.overnight_spend_yuan_per_night * price_level
    revenue = day_visits * p.day_trip_spend_yuan * price_level + night_rev
    return TourismMonth(
        visits=visits, day_visits=day_visits, overnight_guests=guests, guest_nights=nights,
        turned_away=left, occupancy_share=nights / (beds * w.size) if beds > 0 else 0.0,
        revenue_yuan=revenue, night_revenue_yuan=night_rev, experience=experience,
        sewage_litres=day_visits * p.sewage_l_per_day_visit + nights * p.sewage_l_per_night,
        rubbish_kg=day_visits * p.rubbish_kg_per_day_visit + nights * p.rubbish_kg_per_night)


def new_homestays(state: TourismState, p: Tourism) -> int:
    """Homestays households open this year: when the past year turned guests away."""
    wanted = sum(state.wanted_nights_12m)
    refused = sum(state.refused_nights_12m)
    if wanted <= 0 or refused / wanted <= p.homestay_open_threshold_share:
        return 0
    # enough homestays to host the refused guests at the target yearly occupancy, capped
    needed = int(np.ceil(refused / (p.homestay_beds * 365 * p.homestay_target_occupancy_share)))
    return min(needed, p.homestays_max_new_per_year)
