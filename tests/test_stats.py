"""Intervals a user can trust (issue 19, items 1 and 2): one statistics module, from scipy,
whose t intervals cover as they claim, respect their quantity's bounds, and whose ratio says
"not defined" rather than print a finite figure when the denominator may be zero."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from sim.analysis.compare import summarize
from sim.analysis.stats import NOT_DEFINED, format_interval, mean_ci, paired_ratio
from sim.report.page import format_ci


@pytest.mark.parametrize("n", [2, 5, 20])
def test_the_interval_is_students_t(n: int) -> None:
    """The half-width is t(0.975, n−1)·s/√n (n = 2: 12.71·s/√2, where 1.96 gave 0.505)."""
    values = np.arange(n, dtype=float) ** 1.5
    half = sps.t.ppf(0.975, n - 1) * values.std(ddof=1) / math.sqrt(n)
    ci = mean_ci(values)
    assert ci.half_width == pytest.approx(half)
    assert (ci.low, ci.high) == pytest.approx((values.mean() - half, values.mean() + half))


@pytest.mark.parametrize("n", [2, 5, 20])
def test_the_interval_covers_95_percent(n: int) -> None:
    """Over 4,000 normal samples the interval holds the true mean 95 % of the time (± 1 %),
    at 2, 5 and 20 replicates (the 1.96 interval covered 70 %, 88 % and 93.5 %)."""
    rng = np.random.Generator(np.random.PCG64(n))
    hits = [(ci := mean_ci(rng.normal(10.0, 3.0, n))).low <= 10.0 <= ci.high
            for _ in range(4000)]
    assert abs(np.mean(hits) - 0.95) < 0.01


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=40))
def test_a_shares_interval_stays_within_0_and_1(shares: list[float]) -> None:
    """Whatever the replicates' shares, the interval of their mean lies within [0, 1] and
    holds the mean."""
    ci = mean_ci(shares, bounds=(0.0, 1.0))
    if len(shares) >= 2:
        assert 0.0 <= ci.low <= ci.mean <= ci.high <= 1.0


def test_the_reported_share_no_longer_runs_past_100_percent() -> None:
    """The issue's example, 99.3 % [97.9 %, 100.7 %], now ends at 100 %."""
    shares = np.array([0.98, 1.0, 1.0, 1.0, 0.985, 1.0])
    low = shares.mean() - sps.t.ppf(0.975, 5) * shares.std(ddof=1) / math.sqrt(6)
    assert shares.mean() + (shares.mean() - low) > 1.0  # the plain t interval passes 100 %
    text = format_ci(shares, "{:.1f} %", bounds=(0.0, 1.0), scale=100)
    assert text == f"{shares.mean() * 100:.1f} % [{low * 100:.1f} %, 100.0 %]"


def test_compare_and_the_report_print_the_same_interval() -> None:
    """The same replicate values give the same interval in `compare`'s table and the report."""
    rng = np.random.Generator(np.random.PCG64(3))
    values = rng.normal(50.0, 4.0, 7)
    frame = pd.DataFrame({"period": "all", "replicate": range(7), "satisfaction_mean": values})
    row = summarize([("base", 1, frame)]).set_index("outcome").loc["satisfaction_mean"]
    from_compare = format_interval(row["mean"], row["ci_low"], row["ci_high"], "{:.2f}")
    assert from_compare == format_ci(values, "{:.2f}", bounds=(0.0, 100.0))


# ----------------------------------------------------------------------------- ratios
def test_a_ratio_over_a_reduction_indistinguishable_from_zero_is_not_defined() -> None:
    """The issue's case: the tonnes avoided straddle zero (−46 to +54 in the resamples), so
    the cost per tonne is "not defined", not a finite positive interval."""
    rng = np.random.Generator(np.random.PCG64(11))
    tonnes = rng.normal(2.0, 40.0, 20)
    cost = rng.normal(5e6, 1e5, 20)
    est = paired_ratio(cost, tonnes)
    assert not est.defined and est.note == NOT_DEFINED
    assert math.isnan(est.low) and math.isnan(est.high)


def test_a_ratio_over_a_clear_reduction_has_a_bca_interval() -> None:
    """With tonnes clearly avoided the ratio and its paired BCa interval (scipy.stats.bootstrap)
    are given, reproducibly, and hold the point estimate."""
    rng = np.random.Generator(np.random.PCG64(12))
    tonnes = rng.normal(100.0, 10.0, 20)
    cost = 2e4 * tonnes + rng.normal(0.0, 1e5, 20)
    est = paired_ratio(cost, tonnes)
    assert est.defined and est.low < est.value < est.high
    assert est.value == pytest.approx(cost.mean() / tonnes.mean())
    assert paired_ratio(cost, tonnes) == est


def test_compare_says_not_defined_for_the_ratio(tmp_path: Path) -> None:
    """`compare`'s summary row of the cost per tonne carries no figure and says why when the
    policy avoids no clear tonnage."""
    rng = np.random.Generator(np.random.PCG64(4))
    n = 10
    base = pd.DataFrame({"period": "all", "replicate": range(n),
                         "public_spending_npv_yuan": 1e6 + rng.normal(0, 1e4, n),
                         "cod_t_cumulative": 500 + rng.normal(0, 30, n)})
    policy = base.assign(public_spending_npv_yuan=base["public_spending_npv_yuan"] + 5e6,
                         cod_t_cumulative=base["cod_t_cumulative"] + rng.normal(0, 30, n))
    rows = summarize([("base", 1, base), ("policy", 1, policy)])
    ratio = rows.set_index("outcome").loc["cost_per_t_cod_avoided"]
    assert math.isnan(ratio["mean"]) and ratio["note"] == NOT_DEFINED


def test_an_interval_that_shows_as_its_mean_is_left_out() -> None:
    """A quantity that does not vary between replicates shows one number, not '423 [423, 423]';
    an interval whose ends differ only past the shown digits is left out too."""
    assert format_interval(423.0, 423.0, 423.0, "{:,.0f}") == "423"
    assert format_interval(423.0, 422.9, 423.1, "{:,.0f}") == "423"
    assert format_interval(423.0, 420.0, 426.0, "{:,.0f}") == "423 [420, 426]"
