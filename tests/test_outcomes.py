"""Outcomes: pure functions of the tables, with units and directions, generic about columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.analysis.outcomes import OUTCOMES, Context, Period, evaluate, weighted_gini
from sim.errors import GreensimError
from sim.model.simulation import run
from sim.scenario.schema import Scenario

MONTHS = pd.date_range("2023-01-01", "2024-12-01", freq="MS")


def synthetic() -> dict[str, pd.DataFrame]:
    n = len(MONTHS)
    township = pd.DataFrame({
        "date": MONTHS, "cod_kg_workshops": np.full(n, 1000.0),
        "cod_kg_households": np.arange(n, dtype=float), "public_spending_yuan": 100.0,
        "income_per_capita_yuan": 1500.0, "visits": 10.0})
    sections = pd.DataFrame({"date": np.repeat(MONTHS, 2), "section": ["a", "b"] * n,
                             "meets_target": [True, False] * (n - 6) + [True, True] * 6})
    villages = pd.DataFrame({"date": np.repeat(MONTHS, 2), "village": ["V1", "V2"] * n,
                             "population": [100, 300] * n,
                             "income_per_capita_yuan": [1000.0, 1000.0] * n})
    return {"township": township, "sections": sections, "villages": villages}


def test_every_outcome_has_unit_direction_and_description() -> None:
    """Each registered outcome states a unit, a direction and what it measures."""
    for o in OUTCOMES.values():
        assert o.unit and o.direction in ("minimise", "maximise") and o.description


def test_flows_are_annual_rates_for_the_period() -> None:
    """COD to the river is the sum of every cod_kg_* column, in t per year of the period."""
    t = synthetic()
    year = evaluate(t, Context(Period(2024, 2024)))
    assert year["cod_t_per_yr"] == pytest.approx((12 * 1000 + sum(range(12, 24))) / 1000)
    whole = evaluate(t)
    assert whole["cod_t_per_yr"] == pytest.approx((24 * 1000 + sum(range(24))) / 1000 / 2)
    assert whole["cod_t_cumulative"] == pytest.approx((24 * 1000 + sum(range(24))) / 1000)
    assert year["income_per_capita_yuan_per_yr"] == pytest.approx(18_000)
    assert year["target_share"] == pytest.approx(0.75)  # half the year 50 %, half 100 %


def test_npv_discounts_monthly_spending_to_the_start() -> None:
    """The spending NPV is Σ 100·(1+r)^(−m/12) from the run's first month to the period's end."""
    t = synthetic()
    r = 0.035
    got = evaluate(t, Context(Period(2023, 2023), r))["public_spending_npv_yuan"]
    assert got == pytest.approx(sum(100 * (1 + r) ** (-m / 12) for m in range(12)))
    assert evaluate(t, Context(discount_rate_per_year=0.0))["public_spending_npv_yuan"] == 2400


def test_outcomes_without_their_columns_are_left_out() -> None:
    """An outcome whose columns are absent is skipped, not an error (farms, satisfaction later)."""
    t = synthetic()
    got = evaluate(t)
    assert "visits_per_yr" in got and "satisfaction_mean" not in got
    assert "coculture_households" not in got and "tourism_revenue_yuan_per_yr" not in got
    t["township"] = t["township"].drop(columns="visits").assign(satisfaction_mean=70.0)
    got = evaluate(t)
    assert "visits_per_yr" not in got and got["satisfaction_mean"] == 70.0


def test_weighted_gini() -> None:
    """Equal incomes give 0; two equal groups, one with nothing, give 0.5; weights count."""
    assert weighted_gini(np.array([5.0, 5.0, 5.0]), np.array([1.0, 2.0, 3.0])) == 0.0
    assert weighted_gini(np.array([0.0, 1.0]), np.array([1.0, 1.0])) == pytest.approx(0.5)
    assert weighted_gini(np.array([0.0, 1.0]), np.array([3.0, 1.0])) == pytest.approx(0.75)
    assert evaluate(synthetic())["income_gini_villages"] == 0.0


@pytest.mark.parametrize("text", ["2030-2028", "last", "20301"])
def test_bad_period_is_a_clear_error(text: str) -> None:
    """A malformed --years value is one clear error."""
    with pytest.raises(GreensimError, match="--years"):
        Period.parse(text)


def test_a_real_run_yields_the_core_outcomes() -> None:
    """A short model run gives finite values of the outcomes its tables support."""
    result = run(Scenario(name="t", end_date="2023-06-30"), 1, 0)  # type: ignore[arg-type]
    got = evaluate(result.tables)
    for name in ("target_share", "cod_t_per_yr", "income_per_capita_yuan_per_yr",
                 "income_gini_villages", "public_spending_npv_yuan"):
        assert np.isfinite(got[name])
    assert 0 <= got["target_share"] <= 1 and got["cod_t_per_yr"] > 0
