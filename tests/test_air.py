"""Good-air days (sim.model.air): regional background by season, the township's cleaner air,
straw-burning plumes, and the levers that cut burning."""

from __future__ import annotations

import numpy as np
import pytest

from sim.model.air import AirQuality, burn_share, plume_chance
from sim.model.simulation import run
from sim.scenario.life import Air
from sim.scenario.load import load_scenario

from .conftest import SCENARIOS

DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _year(air: Air, farming: np.ndarray, years: int = 40, patrol: float = 0.0,
          points: bool = False, seed: int = 7) -> dict[str, np.ndarray]:
    """Good, regional-good and lost days per calendar month over `years` years."""
    aq, rng = AirQuality(air), np.random.default_rng(seed)
    out = {k: np.zeros(12) for k in ("good", "regional", "lost", "events")}
    for _ in range(years):
        for m, d in enumerate(DAYS, start=1):
            am = aq.month(m, d, farming, patrol, points, rng)
            out["good"][m - 1] += am.good_air_days
            out["regional"][m - 1] += am.regional_good_days
            out["lost"][m - 1] += am.days_lost_to_burning
            out["events"][m - 1] += am.straw_burning_events
    return out


FARMING = np.arange(4000) % 2 == 0


def test_regional_background_reproduces_its_monthly_shares() -> None:
    """The region's good days per month match `regional_good_chance_by_month` (the threshold
    is set from it), and winter is worse than spring."""
    air = Air()
    got = _year(air, FARMING, years=500)["regional"] / (500 * np.array(DAYS))
    assert got == pytest.approx(np.array(air.regional_good_chance_by_month), abs=0.02)
    assert got[0] < got[3]


def test_township_cleaner_than_region_and_ratio_moves_it() -> None:
    """A township with lower concentrations than the cities has more good days; at ratio 1 it
    sees the region's days exactly (same draws)."""
    base = _year(Air(), FARMING)
    same = _year(Air(township_to_region_ratio=1.0, burn_share_at_start=0.0), FARMING)
    dirtier = _year(Air(township_to_region_ratio=0.8), FARMING)
    assert base["good"].sum() > dirtier["good"].sum() > same["good"].sum()
    assert same["good"].sum() == same["regional"].sum()


def test_more_burning_means_fewer_good_days() -> None:
    """Same draws, more straw burned: good-air days never rise and fall overall."""
    goods = [_year(Air(burn_share_at_start=b), FARMING)["good"].sum() for b in (0.0, 0.2, 0.5)]
    assert goods[0] > goods[1] > goods[2]
    lost = _year(Air(burn_share_at_start=0.3), FARMING)
    harvest = [m - 1 for m in Air().harvest_burn_months]
    assert lost["lost"].sum() == lost["lost"][harvest].sum() > 0   # only in harvest months


def test_lost_days_follow_research_row_85() -> None:
    """At b = 0.3, about b · 10 · 2 = 6 days a year are lost (fewer: some were bad anyway)."""
    lost = _year(Air(burn_share_at_start=0.3), FARMING, years=100)["lost"].sum() / 100
    assert 4.5 < lost < 6.5


def test_patrols_and_points_cut_burning() -> None:
    """Patrols (council intensity) and the points scheme each lower the burned share, and the
    burning events with it."""
    a = Air()
    assert burn_share(a, 1.0, True) < burn_share(a, 1.0, False) < burn_share(a, 0.0, False)
    assert burn_share(a, 0.0, False) == a.burn_share_at_start
    assert plume_chance(a, 0.1) < plume_chance(a, 0.3) <= 1.0
    none = _year(a, FARMING, years=5)["events"].sum()
    patrolled = _year(a, FARMING, years=5, patrol=1.0, points=True)["events"].sum()
    assert patrolled < 0.4 * none


def _januaries(air: Air, n: int) -> np.ndarray:
    """Regional bad days in `n` successive Januaries (nothing in between)."""
    aq, rng = AirQuality(air), np.random.default_rng(3)
    return np.array([31 - aq.month(1, 31, FARMING, 0.0, False, rng).regional_good_days
                     for _ in range(n)])


def test_bad_days_come_in_spells() -> None:
    """Day-to-day persistence makes bad days cluster: a month's count of bad days varies far
    more than with independent days (binomial), at the same mean."""
    spells, independent = _januaries(Air(), 400), _januaries(Air(daily_persistence=0.0), 400)
    assert spells.mean() == pytest.approx(independent.mean(), rel=0.15)
    assert spells.var() > 2 * independent.var()


def test_air_draws_do_not_shift_other_streams() -> None:
    """A different burned share changes only the air: the river's flow and the sorting draws
    are bit for bit the same; and one seed gives the same good-air days twice."""
    s = load_scenario(SCENARIOS / "as_reported.yaml", ["end_date=2024-12-31"])
    t = load_scenario(SCENARIOS / "as_reported.yaml",
                      ["end_date=2024-12-31", "air.burn_share_at_start=0.5"])
    a, b, a2 = (run(x, 11, 0).tables["township"] for x in (s, t, s))
    assert a["good_air_days"].tolist() == a2["good_air_days"].tolist()
    assert a["river_flow_m3_s"].tolist() == b["river_flow_m3_s"].tolist()
    assert a["sorting_share"].tolist() == b["sorting_share"].tolist()
    assert a["straw_burning_events"].sum() < b["straw_burning_events"].sum()
    assert a["good_air_days"].sum() >= b["good_air_days"].sum()
