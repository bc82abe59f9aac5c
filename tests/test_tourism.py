"""Tourists: the account's H1 2025 visits and revenue, seasonality, capacity, the clean-river
feedback, and the rules behind them."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binom, poisson

from sim.model import tourists
from sim.model.households import assign_tourism_jobs, build_households
from sim.model.simulation import run
from sim.model.tourists import (
    TourismState,
    day_weights,
    holidays,
    host_shares,
    new_homestays,
    tourism_month,
)
from sim.model.world import build_villages
from sim.scenario.load import load_scenario
from sim.scenario.schema import Scenario
from sim.scenario.tourism import Tourism

from .conftest import SCENARIOS

SEED = 20250101
REPS = 20


def township(name: str, sets: list[str], reps: int = REPS) -> pd.DataFrame:
    s = load_scenario(SCENARIOS / f"{name}.yaml", sets)
    tw = pd.concat([run(s, SEED, r).tables["township"] for r in range(reps)])
    tw["year"], tw["month"] = tw["date"].dt.year, tw["date"].dt.month
    return tw


def test_h1_2025_visits_and_revenue() -> None:
    """as_reported: 23,000 visits and 4.6 M yuan in H1 2025 (± 10 %), mean of 20 replicates."""
    tw = township("as_reported", ["end_date=2025-06-30"])
    h1 = tw[(tw.year == 2025) & (tw.month <= 6)].groupby("replicate")[
        ["visits", "tourism_revenue_yuan"]].sum().mean()
    assert h1["visits"] == pytest.approx(23_000, rel=0.10)
    assert h1["tourism_revenue_yuan"] == pytest.approx(4.6e6, rel=0.10)


def test_dirty_river_means_fewer_visits() -> None:
    """Same scenario without the clean-river action: fewer visits from 2026 on (2026–2030 in
    total, 20 replicates with common random numbers; the effect is a few per cent, damped when
    beds run short at peaks)."""
    clean = township("as_reported", ["end_date=2030-12-31"])
    dirty = township("as_reported", ["end_date=2030-12-31", "levers.closures=null",
                                     "levers.shared_facility=null"])
    c = clean.loc[clean.year >= 2026, "visits"].sum()
    d = dirty.loc[dirty.year >= 2026, "visits"].sum()
    assert d < c, (d, c)


def test_more_marketing_without_beds_turns_more_away() -> None:
    """Doubling marketing with no beds added raises the visitors turned away."""
    def turned_away(budget: int) -> float:
        tw = township("no_transition", [
            "end_date=2027-12-31",
            f"levers.ecotourism.investments=[{{date: 2024-01-01, kind: marketing, "
            f"marketing_yuan_per_year: {budget}}}]"], reps=10)
        return float(tw["visits_turned_away"].sum())

    assert turned_away(2_000_000) > turned_away(1_000_000) > 0


def test_no_visits_no_tourist_loads() -> None:
    """With no visitors, tourists add no load, no revenue and no jobs."""
    tw = township("as_reported", ["end_date=2024-12-31", "tourism.base_visits_per_year=0"], 2)
    assert (tw["visits"] == 0).all()
    for p in ("cod", "nh3n", "tp"):
        assert (tw[f"{p}_kg_tourists"] == 0).all()
    assert (tw["tourism_revenue_yuan"] == 0).all() and (tw["tourism_jobs"] == 0).all()


def test_tourist_loads_scale_with_visits() -> None:
    """Tourists' COD per visit stays within the bounds set by day and overnight sewage."""
    tw = township("as_reported", ["end_date=2025-12-31"], 3)
    per_visit = tw["cod_kg_tourists"] / tw["visits"]
    assert (per_visit > 0).all()
    assert per_visit.max() < 100 * 2 * 300 / 1e6 * 0.3 * 1.01  # two nights of guest sewage


def test_seasonality_peaks_and_troughs() -> None:
    """Mean monthly visits peak in July–August and bottom out in December–January."""
    tw = township("no_transition", ["end_date=2030-12-31"], 5)
    by_month = tw.groupby("month")["visits"].mean()
    assert by_month.idxmax() in (7, 8)
    assert by_month.idxmin() in (12, 1)
    assert by_month[5] > by_month[6] and by_month[10] > by_month[9]  # May Day, National Day


def test_holidays_follow_the_official_calendar() -> None:
    """Spring Festival 2024 (10–17 Feb) and 2025 (28 Jan – 4 Feb), May Day and National Day are
    holidays, as the State Council set them (tests/test_holidays.py checks every day)."""
    h24, h25 = holidays(2024), holidays(2025)
    assert date(2024, 2, 10) in h24 and date(2024, 2, 9) not in h24 and date(2024, 2, 18) not in h24
    assert date(2025, 1, 28) in h25 and date(2025, 2, 4) in h25
    assert {date(2025, 5, 1), date(2025, 10, 7), date(2025, 10, 8)} <= h25


def test_day_weights() -> None:
    """Day weights sum to 1; a weekend day weighs weekend_day_factor weekdays."""
    p = Tourism()
    w = day_weights(2025, 6, p)  # June 2025: no national holiday
    assert abs(w.sum() - 1) < 1e-12
    assert w[6] / w[2] == pytest.approx(p.weekend_day_factor)  # Sat 7 June vs Tue 3 June


def test_homestays_open_only_when_guests_were_turned_away() -> None:
    """Households invest in homestays when the past year turned away more than the threshold."""
    p = Tourism()
    st = TourismState(beds=10, trail_capacity=100.0)
    st.wanted_nights_12m.extend([100.0] * 12)
    st.refused_nights_12m.extend([1.0] * 12)
    assert new_homestays(st, p) == 0
    st.refused_nights_12m.extend([60.0] * 12)
    assert 0 < new_homestays(st, p) <= p.homestays_max_new_per_year


def test_tourism_jobs_go_to_job_seekers_first() -> None:
    """Laid-off workers looking for work get tourism jobs before anyone else."""
    sc = Scenario(name="t", township={"households": 400})  # type: ignore[arg-type]
    v = build_villages(sc)
    hh = build_households(sc, v, np.random.default_rng(0))
    hh.seeking[[5, 9, 300]] = True
    host = host_shares(v.zones, 0.8) > 0
    assign_tourism_jobs(hh, 10, host, np.random.default_rng(1))
    assert hh.tourism_job[[5, 9, 300]].all() and hh.tourism_job.sum() == 10
    assert not hh.seeking.any()
    assign_tourism_jobs(hh, 4, host, np.random.default_rng(1))
    assert hh.tourism_job.sum() == 4


def _plain_ledger(want_night: np.ndarray, persons: np.ndarray, beds: float, carry: float,
                  p: Tourism, trail: float) -> tuple[float, ...]:
    """The bed ledger written plainly, every term on every day (the reference)."""
    guests = nights = refused = left = crowd_sum = 0.0
    for want, came in zip(want_night.tolist(), persons.tolist(), strict=True):
        take = min(max(0.0, beds - carry), want)
        no_bed = want - take
        leave = no_bed * p.turned_away_leave_share
        nights += take + carry
        guests += take
        refused += no_bed
        left += leave
        on_trails = came - leave + carry
        crowd_sum += on_trails * max(0.0, on_trails / trail - p.crowding_threshold_share)
        carry = take * p.two_night_share
    return guests, nights, refused, left, crowd_sum, carry


def _record(monkeypatch: pytest.MonkeyPatch) -> list[np.ndarray]:
    """Keep the counts tourism_month draws (its inverse CDFs wrapped)."""
    draws: list[np.ndarray] = []

    def keep(fn: Any) -> Any:
        def wrapped(*args: Any) -> np.ndarray:
            draws.append(fn(*args))
            return draws[-1]
        return wrapped

    monkeypatch.setattr(tourists, "poisson_ppf", keep(tourists.poisson_ppf))
    monkeypatch.setattr(tourists, "binomial_ppf", keep(tourists.binomial_ppf))
    return draws


def test_inverse_cdfs_agree_with_scipy_stats() -> None:
    """The paired draws' inverse CDFs equal scipy.stats' poisson.ppf and binom.ppf, zero means
    and zero trials included."""
    rng = np.random.default_rng(0)
    for _ in range(300):
        u = rng.random(31)
        mean = rng.choice([0.0, 0.01, 0.5, 3, 20, 200, 5000]) * rng.random(31) * (
            rng.random(31) > 0.2)
        n = np.floor(rng.random(31) * rng.choice([0, 1, 5, 50, 2000]))
        np.testing.assert_array_equal(tourists.poisson_ppf(u, mean), poisson.ppf(u, mean))
        np.testing.assert_array_equal(tourists.binomial_ppf(u, n, 0.12),
                                      binom.ppf(u, n.astype(np.int64), 0.12))


def test_bed_ledger_shortcuts_keep_the_books(monkeypatch: pytest.MonkeyPatch) -> None:
    """tourism_month skips the zero terms of days the beds suffice; its books are still the
    plain ledger's, bit for bit, with no beds, short or ample ones, crowded trails or not."""
    p = Tourism(base_visits_per_year=40_000.0, overnight_share=0.3)
    for beds, trail, carry, seed in [(0, 50.0, 0.0, 1), (15, 50.0, 4.2, 2), (60, 400.0, 70.0, 3),
                                     (10_000, 1e6, 0.0, 4), (40, 150.0, 12.5, 5),
                                     (10_000, 150.0, 0.0, 6), (70, 150.0, 0.0, 7)]:
        st = TourismState(beds=beds, trail_capacity=trail, carry_guests=carry)
        draws = _record(monkeypatch)
        res = tourism_month(st, p, 2025, 5, 1.0, 3.5, 1.0, np.random.default_rng(seed))
        parties, extra, want = draws
        persons = parties + extra
        guests, nights, refused, left, crowd_sum, carry_out = _plain_ledger(
            want.astype(float), persons, float(beds), min(carry, float(beds)), p, trail)
        visits = float(persons.sum()) - left
        assert (res.overnight_guests, res.guest_nights, res.turned_away) == (guests, nights, left)
        assert res.visits == visits and st.carry_guests == carry_out
        assert st.refused_nights_12m[-1] == refused
        wanted = float(want.sum())
        assert st.wanted_nights_12m[-1] == wanted
        crowding = crowd_sum / visits if visits > 0 else 0.0
        assert res.experience == max(0.0, 1.0 - p.crowding_penalty * crowding
                                     - p.turned_away_experience_penalty
                                     * (refused / wanted if wanted > 0 else 0.0)
                                     - p.river_experience_penalty_per_class * 0.5)


def test_paired_draws_across_scenarios(monkeypatch: pytest.MonkeyPatch) -> None:
    """Common random numbers: the same seed in a month with a cleaner and a dirtier river
    (demand differs) consumes the same draws (the generators end in the same state, so every
    later draw is paired too) and the cleaner river never has fewer arrivals on any day."""
    p = Tourism()
    arrivals = []
    states = []
    for perceived in (2.0, 5.0):
        draws = _record(monkeypatch)
        rng = np.random.default_rng(42)
        tourism_month(TourismState(beds=100, trail_capacity=500.0), p, 2025, 10, 1.0,
                      perceived, 1.0, rng)
        arrivals.append(draws[0] + draws[1])
        states.append(rng.bit_generator.state)
    assert states[0] == states[1]
    assert np.all(arrivals[0] >= arrivals[1]) and arrivals[0].sum() > arrivals[1].sum()
