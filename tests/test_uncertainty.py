"""Uncertainties: validated key paths, default bounds, distributions, common draws, recording."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import sim.experiments.replicates as experiment
from sim.cli import cli
from sim.errors import ScenarioError
from sim.experiments.draws import apply_values, check_applicable, draw
from sim.experiments.replicates import run_scenarios
from sim.scenario.load import load_scenario, with_end_date
from sim.scenario.schema import Scenario
from sim.scenario.uncertainty import Uncertainty, hard_bounds, plausible_range

from .conftest import SCENARIOS


def scenario_file(tmp_path: Path, body: str, name: str = "unc",
                  base: str = "as_reported") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(f"extends: {SCENARIOS / (base + '.yaml')}\nname: {name}\n"
                    f"uncertainties:\n{body}")
    return path


@pytest.mark.parametrize(("item", "needle"), [
    ("{parameter: river.velocity, distribution: uniform}", "no key 'river.velocity'"),
    ("{parameter: river.sections, distribution: uniform}", "not a numeric parameter"),
    ("{parameter: river.decay_per_day.cod, distribution: uniform}", "give low and high"),
    ("{parameter: river.flow_log_sd, distribution: uniform, sd: 1}", "uniform takes no sd"),
    ("{parameter: river.flow_log_sd, distribution: normal}", "normal needs sd"),
    ("{parameter: river.flow_log_sd, distribution: gamma}", "distribution"),
])
def test_bad_uncertainty_names_the_key(tmp_path: Path, item: str, needle: str) -> None:
    """A wrong uncertainty is a load-time error naming the file, the section and the problem."""
    path = scenario_file(tmp_path, f"  - {item}\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert str(path) in str(err.value) and "uncertainties" in str(err.value)
    assert needle in str(err.value)
    res = CliRunner().invoke(cli, ["validate", str(path)])
    assert res.exit_code == 2 and needle in res.output


def test_default_bounds_come_from_the_schema(tmp_path: Path) -> None:
    """Uniform bounds default to the parameter's x-range; normal ones to its hard bounds."""
    s = load_scenario(scenario_file(tmp_path, (
        "  - {parameter: river.velocity_m_s_at_1_m3_s, distribution: uniform}\n"
        "  - {parameter: sewage.discharge_share, distribution: normal, sd: 0.05}\n")))
    uni, norm = s.uncertainties
    assert (uni.low, uni.high) == plausible_range("river.velocity_m_s_at_1_m3_s",
                                                  Scenario) == (0.1, 0.3)
    assert (norm.low, norm.high) == hard_bounds("sewage.discharge_share", Scenario) == (0.0, 1.0)


@pytest.mark.parametrize(("spec", "mean", "sd"), [
    ({"distribution": "uniform", "low": 2.0, "high": 4.0}, 3.0, 2.0 / np.sqrt(12)),
    ({"distribution": "triangular", "low": 0.0, "high": 3.0, "mode": 0.0}, 1.0, np.sqrt(0.5)),
    ({"distribution": "normal", "mean": 5.0, "sd": 0.5}, 5.0, 0.5),
    ({"distribution": "lognormal", "mean": 2.0, "sd": 0.5}, 2.0, 0.5),
])
def test_quantiles_have_the_distributions_moments(spec: dict[str, object], mean: float,
                                                  sd: float) -> None:
    """Values at evenly spaced probabilities have the distribution's mean and sd."""
    u = Uncertainty(parameter="river.flow_log_sd", **spec)  # type: ignore[arg-type]
    q = (np.arange(20_000) + 0.5) / 20_000
    values = np.array([u.quantile(float(p), current=0.0) for p in q])
    assert values.mean() == pytest.approx(mean, rel=2e-3)
    assert values.std() == pytest.approx(sd, rel=2e-2)


def test_draws_are_common_across_scenarios(tmp_path: Path) -> None:
    """Replicate k draws the same value of a parameter in every scenario that lists it,
    whatever else each lists, and different values in different replicates."""
    a = load_scenario(scenario_file(tmp_path, (
        "  - {parameter: river.velocity_m_s_at_1_m3_s, distribution: uniform}\n"
        "  - {parameter: income.growth_long_run_per_year, distribution: triangular}\n"),
        name="a"))
    b = load_scenario(scenario_file(tmp_path, (
        "  - {parameter: income.growth_long_run_per_year, distribution: triangular}\n"
        "  - {parameter: river.velocity_m_s_at_1_m3_s, distribution: uniform}\n"
        "  - {parameter: levers.shared_facility.build_months, distribution: uniform}\n"),
        name="b", base="as_reported"))
    for r in range(3):
        da, db = draw(a, 7, r), draw(b, 7, r)
        assert da["river.velocity_m_s_at_1_m3_s"] == db["river.velocity_m_s_at_1_m3_s"]
        assert da["income.growth_long_run_per_year"] == db["income.growth_long_run_per_year"]
        assert float(db["levers.shared_facility.build_months"]).is_integer()
    assert draw(a, 7, 0) != draw(a, 7, 1) and draw(a, 7, 0) != draw(a, 8, 0)


def test_an_uncertainty_on_a_missing_lever_is_reported(tmp_path: Path) -> None:
    """An uncertain lever parameter in a scenario without that lever is an error naming it,
    met when the file is loaded (so `greensim validate` reports it too)."""
    path = scenario_file(tmp_path, (
        "  - {parameter: levers.closures.compensation_yuan_per_workshop, "
        "distribution: uniform}\n"), base="no_transition")
    with pytest.raises(ScenarioError, match="levers.closures.compensation_yuan_per_workshop"):
        load_scenario(path)
    s = load_scenario(path, ["levers.closures.date=2024-01-01"])  # the lever on: drawable
    check_applicable(s)


def test_applied_values_are_validated() -> None:
    """A drawn value outside the parameter's hard bounds fails validation, naming the key."""
    with pytest.raises(ScenarioError, match="river.velocity_m_s_at_1_m3_s"):
        apply_values(Scenario(name="x"), {"river.velocity_m_s_at_1_m3_s": -1.0}, "draw")


def test_each_replicate_runs_with_its_recorded_draws(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Every replicate runs with its own drawn values, which uncertainty_draws.parquet records."""
    s = with_end_date(load_scenario(scenario_file(tmp_path, (
        "  - {parameter: river.velocity_m_s_at_1_m3_s, distribution: uniform}\n"
        "  - {parameter: levers.shared_facility.build_months, distribution: uniform}\n"))),
        "2023-03-31")
    seen: dict[int, tuple[float, int]] = {}
    real = experiment.run

    def spy(scenario, seed, replicate, **kw):  # type: ignore[no-untyped-def]
        seen[replicate] = (scenario.river.velocity_m_s_at_1_m3_s,
                           scenario.levers.shared_facility.build_months)
        return real(scenario, seed, replicate, **kw)

    monkeypatch.setattr(experiment, "run", spy)
    (folder,) = run_scenarios([s], replicates=3, seed=3, workers=1, out=tmp_path / "o").folders
    draws = pd.read_parquet(folder / "uncertainty_draws.parquet")
    assert list(draws.columns) == ["scenario", "replicate", "river.velocity_m_s_at_1_m3_s",
                                   "levers.shared_facility.build_months"]
    for row in draws.itertuples(index=False):
        assert seen[row[1]] == (row[2], row[3])
    assert draws["river.velocity_m_s_at_1_m3_s"].nunique() == 3


# ----------------------------------------------------------------------------- issue 19, items 3, 6
def test_a_normal_truncated_far_from_its_mean_stays_within_its_bounds() -> None:
    """The issue's case: normal(0.4, 0.05) truncated to [0.85, 0.9] gave 0.7517 (outside the
    bounds) for every replicate; scipy's truncnorm gives values spread inside them."""
    u = Uncertainty(parameter="sewage.discharge_share", distribution="normal", mean=0.4,
                    sd=0.05, low=0.85, high=0.9)
    values = [u.quantile(q, 0.4) for q in np.linspace(0.0, 1.0, 9)]
    assert all(0.85 <= v <= 0.9 for v in values)
    assert len(set(values)) == 9 and values == sorted(values)


@settings(max_examples=300, deadline=None)
@given(dist=st.sampled_from(["normal", "lognormal"]),
       mean=st.floats(0.01, 100.0), sd=st.floats(0.001, 50.0),
       low=st.floats(0.0, 200.0), width=st.floats(1e-3, 100.0),
       q1=st.floats(0.0, 1.0), q2=st.floats(0.0, 1.0))
def test_every_truncated_draw_lies_within_its_bounds(dist: str, mean: float, sd: float,
                                                     low: float, width: float, q1: float,
                                                     q2: float) -> None:
    """Property: whatever the mean, spread and bounds (near or far from the mean), a drawn
    value lies in [low, high], and two different uniform numbers give different values
    (draws vary across replicates whenever high > low)."""
    high = low + width
    u = Uncertainty(parameter="river.velocity_m_s_at_1_m3_s", distribution=dist, mean=mean, sd=sd,
                    low=low, high=high)
    a, b = u.quantile(q1, mean), u.quantile(q2, mean)
    assert low <= a <= high and low <= b <= high
    if abs(q1 - q2) > 0.05 and width > 1e-2 * max(1.0, high):
        assert a != b


def test_draws_vary_across_replicates_far_in_the_tail(tmp_path: Path) -> None:
    """Eight replicates of the issue's scenario get eight different values within bounds."""
    path = scenario_file(tmp_path, "  - {parameter: sewage.discharge_share, "
                         "distribution: normal, mean: 0.4, sd: 0.05, low: 0.85, high: 0.9}\n")
    scenario = load_scenario(path)
    values = [draw(scenario, 7, r)["sewage.discharge_share"] for r in range(8)]
    assert all(0.85 <= v <= 0.9 for v in values) and len(set(values)) == 8


@pytest.mark.parametrize(("text", "expected"), [
    ("description=off", "off"), ("description=no", "no"), ("description=1e3", "1e3"),
    ("description=yes", "yes"), ("description=2024-01-01", "2024-01-01"),
])
def test_set_keeps_text_for_a_text_field(tmp_path: Path, text: str, expected: str) -> None:
    """`--set description=off` arrives as the string 'off' (YAML 1.1 would make it False and
    validation refused it); a number field still reads numbers."""
    s = load_scenario(SCENARIOS / "as_reported.yaml", [text])
    assert s.description == expected
    s = load_scenario(SCENARIOS / "as_reported.yaml", ["river.velocity_m_s_at_1_m3_s=1e-1"])
    assert s.river.velocity_m_s_at_1_m3_s == 0.1
