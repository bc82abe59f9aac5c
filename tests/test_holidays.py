"""The visitors' calendar: official Chinese rest days and make-up workdays (调休).

The expected days are the State Council General Office's notices on the 2024 and 2025 holiday
schedules (国务院办公厅关于2024年/2025年部分节假日安排的通知). Where a notice says a holiday
"joins the weekend" (与周末连休: New Year 2024, Dragon Boat 2024) the weekend days are rest days
of that holiday too: 30–31 Dec 2023 and 8–9 Jun 2024.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import holidays
import numpy as np
import pytest
from lunardate import LunarDate

from sim.model import tourists
from sim.model.simulation import run
from sim.scenario.tourism import Tourism

from .conftest import bundled


def span(first: date, last: date) -> set[date]:
    return {first + timedelta(days=k) for k in range((last - first).days + 1)}


def d(year: int, month: int, day: int) -> date:
    return date(year, month, day)


OFFICIAL_REST = {
    2024: (span(d(2024, 1, 1), d(2024, 1, 1))  # New Year (with 30–31 Dec 2023)
           | span(d(2024, 2, 10), d(2024, 2, 17))  # Spring Festival
           | span(d(2024, 4, 4), d(2024, 4, 6))  # Qingming
           | span(d(2024, 5, 1), d(2024, 5, 5))  # Labour Day
           | span(d(2024, 6, 8), d(2024, 6, 10))  # Dragon Boat, joined to the weekend
           | span(d(2024, 9, 15), d(2024, 9, 17))  # Mid-Autumn
           | span(d(2024, 10, 1), d(2024, 10, 7))),  # National Day
    2025: (span(d(2025, 1, 1), d(2025, 1, 1))  # New Year
           | span(d(2025, 1, 28), d(2025, 2, 4))  # Spring Festival
           | span(d(2025, 4, 4), d(2025, 4, 6))  # Qingming
           | span(d(2025, 5, 1), d(2025, 5, 5))  # Labour Day
           | span(d(2025, 5, 31), d(2025, 6, 2))  # Dragon Boat
           | span(d(2025, 10, 1), d(2025, 10, 8))),  # National Day and Mid-Autumn
}
OFFICIAL_MAKE_UP = {
    2024: {d(2024, 2, 4), d(2024, 2, 18), d(2024, 4, 7), d(2024, 4, 28), d(2024, 5, 11),
           d(2024, 9, 14), d(2024, 9, 29), d(2024, 10, 12)},
    2025: {d(2025, 1, 26), d(2025, 2, 8), d(2025, 4, 27), d(2025, 9, 28), d(2025, 10, 11)},
}
YEARS = sorted(OFFICIAL_REST)


def kinds(year: int, month: int) -> list[str]:
    """Each day's type as the model weighs it: the weights are 1 on a workday,
    `weekend_day_factor` on a weekend day and `holiday_day_factor` on a holiday (every month
    has a workday, so the smallest weight is a workday's)."""
    p = Tourism()
    w = tourists.day_weights(year, month, p)
    names = {1.0: "workday", p.weekend_day_factor: "weekend", p.holiday_day_factor: "holiday"}
    return [names[round(float(x), 9)] for x in w / w.min()]


def kind(day: date) -> str:
    return kinds(day.year, day.month)[day.day - 1]


def year_days(year: int) -> list[date]:
    return [date(year, m, k) for m in range(1, 13)
            for k in range(1, calendar.monthrange(year, m)[1] + 1)]


@pytest.mark.parametrize("year", YEARS)
def test_rest_days_and_make_up_workdays_match_the_state_council(year: int) -> None:
    """The model's calendar is the official one: its rest days and its make-up workdays."""
    assert tourists.holidays(year) == OFFICIAL_REST[year]
    assert tourists.make_up_workdays(year) == OFFICIAL_MAKE_UP[year]


@pytest.mark.parametrize("year", YEARS)
def test_every_official_rest_day_weighs_as_a_holiday(year: int) -> None:
    """Bridged weekdays, statutory days and the weekend days inside a holiday all draw as
    holidays."""
    wrong = {day: kind(day) for day in sorted(OFFICIAL_REST[year]) if kind(day) != "holiday"}
    assert not wrong


@pytest.mark.parametrize("year", YEARS)
def test_every_make_up_workday_weighs_as_a_workday(year: int) -> None:
    """A Saturday or Sunday that is an official workday draws as a workday, not a weekend."""
    assert all(day.weekday() >= 5 for day in OFFICIAL_MAKE_UP[year])
    wrong = {day: kind(day) for day in sorted(OFFICIAL_MAKE_UP[year]) if kind(day) != "workday"}
    assert not wrong


@pytest.mark.parametrize("year", YEARS)
def test_the_whole_year_follows_the_official_calendar(year: int) -> None:
    """Every other day is a weekend day (Saturday, Sunday) or a workday (Monday to Friday)."""
    def official(day: date) -> str:
        if day in OFFICIAL_REST[year]:
            return "holiday"
        if day in OFFICIAL_MAKE_UP[year]:
            return "workday"
        return "weekend" if day.weekday() >= 5 else "workday"

    wrong = {day: (kind(day), official(day)) for day in year_days(year)
             if kind(day) != official(day)}
    assert not wrong


def test_new_year_2024_joins_the_weekend_before() -> None:
    """New Year 2024 (Monday 1 Jan) joined the weekend: 30–31 Dec 2023 are holidays of 2023."""
    assert kinds(2023, 12)[29:] == ["holiday", "holiday"]
    assert {d(2023, 12, 30), d(2023, 12, 31)} <= tourists.holidays(2023)


def test_the_old_hand_rules_errors_of_2024_are_gone() -> None:
    """The former rule (Spring Festival eve to the 7th day, 1–5 May, 1–7 Oct, every Saturday and
    Sunday a weekend) made 9 workdays of 2024 rest days and 6 weekday rest days workdays: the
    model now has each of them right."""
    new_year = LunarDate(2024, 1, 1).to_solar_date()
    old_holidays = ({new_year + timedelta(days=k) for k in range(-1, 7)}
                    | span(d(2024, 5, 1), d(2024, 5, 5)) | span(d(2024, 10, 1), d(2024, 10, 7)))
    old_rest = {day for day in year_days(2024) if day in old_holidays or day.weekday() >= 5}
    official_rest = {day for day in year_days(2024)
                     if day in OFFICIAL_REST[2024]
                     or (day.weekday() >= 5 and day not in OFFICIAL_MAKE_UP[2024])}
    false_rest, missed = old_rest - official_rest, official_rest - old_rest
    assert false_rest == {d(2024, 2, 9)} | OFFICIAL_MAKE_UP[2024]
    assert missed == {d(2024, 1, 1), d(2024, 4, 4), d(2024, 4, 5), d(2024, 6, 10),
                      d(2024, 9, 16), d(2024, 9, 17)}
    assert {day: kind(day) for day in false_rest} == dict.fromkeys(false_rest, "workday")
    assert {day: kind(day) for day in missed} == dict.fromkeys(missed, "holiday")


def test_official_years_reach_2026() -> None:
    """The package carries the State Council schedules up to 2026 at least."""
    years = tourists.official_years()
    assert {2001, 2024, 2025, 2026} <= set(years)


def test_a_year_past_the_official_calendar_is_projected() -> None:
    """After the last official schedule: the statutory days by rule (New Year, Qingming, Dragon
    Boat, Mid-Autumn), the usual golden weeks (Spring Festival eve to the 7th day, 1–5 May,
    1–7 Oct), the weekends they touch, and no make-up workday (none is known yet)."""
    year = max(tourists.official_years()) + 1
    rest = tourists.holidays(year)
    new_year = LunarDate(year, 1, 1).to_solar_date()
    assert span(new_year - timedelta(days=1), new_year + timedelta(days=6)) <= rest
    assert span(d(year, 5, 1), d(year, 5, 5)) | span(d(year, 10, 1), d(year, 10, 7)) <= rest
    statutory = set(holidays.China(years=year))  # by rule, with its weekend shifts
    assert {d(year, 1, 1)} | statutory <= rest
    assert {day.month for day in statutory} >= {1, 4, 5, 10}  # Qingming is always in April
    assert tourists.make_up_workdays(year) == frozenset()
    assert all(kind(day) == "holiday" for day in rest)
    assert all(kind(day) == "weekend" for day in year_days(year)
               if day.weekday() >= 5 and day not in rest)


@pytest.mark.parametrize("year", [1900, 1949, 2099])
def test_the_calendar_covers_every_year_the_schema_allows(year: int) -> None:
    """Before 1950 the package has no Chinese holidays: the lunar-calendar rule alone gives
    them; 2099 (whose next year is past the lunar tables) works too."""
    rest = tourists.holidays(year)
    assert tourists.make_up_workdays(year) == frozenset()
    assert LunarDate(year, 1, 1).to_solar_date() in rest and d(year, 10, 1) in rest
    for month in range(1, 13):
        w = tourists.day_weights(year, month, Tourism())
        assert np.isclose(w.sum(), 1.0) and (w > 0).all()


def test_a_run_goes_on_across_a_projected_year() -> None:
    """as_reported runs through the first year after the official calendar (projected
    holidays), with visits every month."""
    year = max(tourists.official_years()) + 1
    tw = run(bundled("as_reported", f"{year}-12-31"), 7, 0).tables["township"]
    last = tw[tw["date"].dt.year == year]
    assert len(last) == 12 and (last["visits"] > 0).all()
