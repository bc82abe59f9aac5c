"""The one weighted Gini (sim.measures.weighted_gini) and its two users (issue 19, item 5).

A farm's loss year makes a household's income negative, so the Gini must be defined for incomes
of any sign: Raffinetti, Siletti & Vernizzi's (2015) normalisation, which is the standard
weighted Gini whenever no income is negative and stays within [0, 1] when some are.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.analysis.outcomes import Context, Period, evaluate
from sim.measures import weighted_gini
from sim.model.households import build_households
from sim.model.residents import Residents
from sim.model.world import build_villages
from sim.scenario.schema import Scenario

Population = tuple[np.ndarray, np.ndarray]   # incomes, persons
LOSS_YEAR = [-100.0, 50.0, 200.0]   # yuan per person and year: one household lost money
LOSS_YEAR_GINI = 4 / 7              # Σ|y_i − y_j| / (2 n Σ|y_i|) = 1200 / (2 · 3 · 350)

income = st.floats(-1e6, 1e6, allow_nan=False, allow_subnormal=False)
nonnegative = st.floats(0, 1e6, allow_nan=False, allow_subnormal=False)
weight = st.floats(0.01, 1000, allow_nan=False)


@st.composite
def populations(draw: st.DrawFn, values: st.SearchStrategy[float] = income,
                ) -> Population:
    """Incomes and the persons (weights) holding each, 1–40 units."""
    n = draw(st.integers(1, 40))
    y = np.array(draw(st.lists(values, min_size=n, max_size=n)))
    w = np.array(draw(st.lists(weight, min_size=n, max_size=n)))
    return y, w


def by_pairs(y: np.ndarray, w: np.ndarray) -> float:
    """The definition, O(n²): Σ_i Σ_j w_i w_j |y_i − y_j| / (2 W Σ_i w_i |y_i|), W = Σ w_i.
    With no negative income Σ w|y| = W·mean, so this is the textbook (mean absolute
    difference) / (2 · mean)."""
    a = float(np.sum(w * np.abs(y)))
    if a == 0:
        return 0.0
    return float(np.sum(np.outer(w, w) * np.abs(y[:, None] - y[None, :])) / (2 * w.sum() * a))


# ---------------------------------------------------------------- the function's properties
def test_textbook_values() -> None:
    """[1, 2, 3, 4] with equal weights: mean absolute difference 1.25, mean 2.5 → 0.25;
    weights count as persons: (1 ×3, 3 ×1) is the same as [1, 1, 1, 3]."""
    assert weighted_gini(np.array([1.0, 2.0, 3.0, 4.0])) == pytest.approx(0.25, rel=1e-15)
    assert weighted_gini(np.array([1.0, 3.0]), np.array([3.0, 1.0])) == pytest.approx(
        weighted_gini(np.array([1.0, 1.0, 1.0, 3.0])), rel=1e-15)


def test_the_loss_year_example() -> None:
    """[-100, 50, 200] gives 4/7: within [0, 1], and the loss counts as inequality."""
    assert weighted_gini(np.array(LOSS_YEAR)) == pytest.approx(LOSS_YEAR_GINI, rel=1e-15)


@given(populations(nonnegative))
@settings(max_examples=300, deadline=None)
def test_is_the_standard_weighted_gini_for_nonnegative_incomes(pop: Population) -> None:
    """No income negative: (mean absolute difference) / (2 · mean), within [0, 1]."""
    y, w = pop
    g = weighted_gini(y, w)
    assert 0.0 <= g <= 1.0
    assert g == pytest.approx(by_pairs(y, w), rel=1e-9, abs=1e-12)


@given(populations())
@settings(max_examples=300, deadline=None)
def test_any_incomes_give_the_normalised_gini_within_0_1(pop: Population) -> None:
    """Incomes of any sign: the RSV (2015) normalisation, within [0, 1]."""
    y, w = pop
    g = weighted_gini(y, w)
    assert 0.0 <= g <= 1.0
    assert g == pytest.approx(by_pairs(y, w), rel=1e-9, abs=1e-12)


@given(st.floats(-1e6, 1e6, allow_nan=False), st.lists(weight, min_size=1, max_size=40))
def test_equal_incomes_give_0(value: float, weights: list[float]) -> None:
    """Everyone with the same income, gain, nothing or loss: exactly 0."""
    w = np.array(weights)
    assert weighted_gini(np.full(w.size, value), w) == 0.0


@given(populations(), st.floats(1e-3, 1e3))
@settings(max_examples=200, deadline=None)
def test_scale_invariant(pop: Population, c: float) -> None:
    """Incomes in fen instead of yuan (× c, c > 0) give the same Gini."""
    y, w = pop
    assert weighted_gini(c * y, w) == pytest.approx(weighted_gini(y, w), rel=1e-9, abs=1e-12)


@given(populations())
@settings(max_examples=200, deadline=None)
def test_invariant_to_replicating_the_population(pop: Population) -> None:
    """Twice the persons in each unit, or every unit listed twice, give the same Gini."""
    y, w = pop
    g = weighted_gini(y, w)
    assert weighted_gini(y, 2 * w) == pytest.approx(g, rel=1e-12, abs=1e-15)
    assert weighted_gini(np.tile(y, 2), np.tile(w, 2)) == pytest.approx(g, rel=1e-9, abs=1e-12)


@given(st.integers(2, 200), st.floats(1, 1e6), st.floats(0, 1e6))
def test_most_unequal_when_one_of_many_holds_everything(n: int, gain: float,
                                                        loss: float) -> None:
    """One of n holding all income (or the rest's losses held by one other) gives the maximum,
    (n − 1)/n, which tends to 1; no population of n equal units gives more."""
    y = np.zeros(n)
    y[-1] = gain
    assert weighted_gini(y) == pytest.approx((n - 1) / n, rel=1e-12)
    y[0] -= loss
    assert weighted_gini(y) == pytest.approx((n - 1) / n, rel=1e-12)


@given(populations())
@settings(max_examples=200, deadline=None)
def test_never_above_the_polarised_maximum(pop: Population) -> None:
    """G ≤ (W − min w)/W for any incomes (|y_i − y_j| ≤ |y_i| + |y_j|)."""
    y, w = pop
    assert weighted_gini(y, w) <= (w.sum() - w.min()) / w.sum() * (1 + 1e-12)


def test_a_deeper_loss_is_more_unequal() -> None:
    """Losses are not set to 0: the same gains beside a bigger loss are more unequal."""
    assert weighted_gini(np.array([-1000.0, 50.0, 200.0])) > weighted_gini(np.array(LOSS_YEAR))


def test_units_with_no_persons_or_no_figure_are_left_out() -> None:
    """Weight 0 and NaN count for nothing; nothing left gives NaN."""
    assert weighted_gini(np.array([1.0, 2.0, 99.0, np.nan, 3.0, 4.0]),
                         np.array([1.0, 1.0, 0.0, 1.0, 1.0, 1.0])) == pytest.approx(0.25)
    assert np.isnan(weighted_gini(np.array([]), np.array([])))
    assert np.isnan(weighted_gini(np.array([5.0]), np.array([0.0])))


# ---------------------------------------------------------------- the two places that use it
def residents_gini(per_person: list[float]) -> float:
    """The model's December Gini (sim.model.residents) for 120 one-person households in equal
    groups with these yearly incomes, received in 12 equal months."""
    sc = Scenario.model_validate({"name": "t", "township": {"households": 120}})
    villages = build_villages(sc)
    hh = build_households(sc, villages, np.random.default_rng(0))
    hh.size[:] = 1
    res = Residents(sc, villages, hh)
    n, nv = hh.count, villages.count
    rng = np.random.default_rng(1)
    monthly = np.repeat(np.array(per_person) / 12, n // len(per_person))
    for month in range(1, 13):
        out = res.month(date(2024, month, 1), np.full(len(sc.river.sections), 3), 0.9, 0.5,
                        np.zeros(n, dtype=bool), 0.5, np.zeros(nv), np.zeros(nv), monthly, 1.0, rng)
    return out["income_gini"]


def villages_gini(per_person: list[float]) -> float:
    """The analysis's income_gini_villages (sim.analysis.outcomes) for villages of 100 people
    with these yearly incomes per person, over one year of monthly rows."""
    months = pd.date_range("2024-01-01", "2024-12-01", freq="MS")
    k = len(per_person)
    villages = pd.DataFrame({
        "date": np.repeat(months, k), "village": [f"V{i}" for i in range(k)] * len(months),
        "population": 100, "income_per_capita_yuan": np.tile(np.array(per_person) / 12, 12)})
    return evaluate({"villages": villages}, Context(Period(2024)),
                    ["income_gini_villages"])["income_gini_villages"]


@pytest.mark.parametrize("site", [residents_gini, villages_gini])
def test_the_loss_year_example_at_both_call_sites(site: Callable[[list[float]], float],
                                                  ) -> None:
    """The model's yearly Gini and the villages outcome both give 4/7 for [-100, 50, 200]."""
    g = site(LOSS_YEAR)
    assert 0.0 <= g <= 1.0
    assert g == pytest.approx(LOSS_YEAR_GINI, rel=1e-12)


@pytest.mark.parametrize("incomes", [LOSS_YEAR, [-5.0, -5.0, -5.0], [0.0, 0.0, 0.0],
                                     [-300.0, -20.0, 10.0, 4000.0], [1.0, 2.0, 3.0, 4.0]])
def test_both_call_sites_agree(incomes: list[float]) -> None:
    """The same incomes give the same Gini in the model and in the analysis."""
    assert residents_gini(incomes) == pytest.approx(villages_gini(incomes), rel=1e-12,
                                                    abs=1e-15)
