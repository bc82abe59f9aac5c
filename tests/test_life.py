"""Everyday life and satisfaction: the account's 2025 figures, directions, and the rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.measures import weighted_gini as gini
from sim.model.households import build_households
from sim.model.residents import Residents
from sim.model.simulation import run
from sim.model.world import build_villages
from sim.scenario.load import load_scenario
from sim.scenario.schema import Scenario

from .conftest import SCENARIOS

SEED = 20250101
N_SECTIONS = len(Scenario(name="x").river.sections)


def tables(name: str, sets: list[str], reps: int) -> dict[str, pd.DataFrame]:
    s = load_scenario(SCENARIOS / f"{name}.yaml", sets)
    runs = [run(s, SEED, r).tables for r in range(reps)]
    out = {k: pd.concat([t[k] for t in runs], ignore_index=True) for k in runs[0]}
    tw = out["township"]
    tw["year"], tw["month"] = tw["date"].dt.year, tw["date"].dt.month
    return out


@pytest.fixture(scope="module")
def reported() -> dict[str, pd.DataFrame]:
    return tables("as_reported", ["end_date=2025-12-31"], 20)


def test_good_air_days_h1_2025(reported: dict[str, pd.DataFrame]) -> None:
    """as_reported: 178 good-air days of 181 in H1 2025 (± 3), mean of 20 replicates."""
    tw = reported["township"]
    h1 = tw[(tw.year == 2025) & (tw.month <= 6)].groupby("replicate")["good_air_days"].sum()
    assert h1.mean() == pytest.approx(178, abs=3)


def test_cleanup_greening_participation_issues(reported: dict[str, pd.DataFrame]) -> None:
    """2025: 320 t cleared, 1,200 mu greened, 85 % council participation, ≈67 issues resolved."""
    tw = reported["township"]
    y = tw[tw.year == 2025].groupby("replicate")
    assert y["rubbish_cleared_t"].sum().mean() == pytest.approx(320, rel=0.01)
    greened = y["green_area_mu"].last() - tw[tw.year == 2024].groupby("replicate")[
        "green_area_mu"].last()
    assert greened.mean() == pytest.approx(1200, rel=0.01)
    assert y["council_participation_share"].mean().mean() == pytest.approx(0.85, abs=0.01)
    assert y["issues_resolved"].sum().mean() == pytest.approx(67, rel=0.25)


def test_first_in_the_county_three_quarters_running(reported: dict[str, pd.DataFrame]) -> None:
    """as_reported ranks first in Q1–Q3 2025 in most replicates."""
    tw = reported["township"]
    q = tw[(tw.year == 2025) & tw.month.isin([3, 6, 9])]
    first_all_three = q.groupby("replicate")["satisfaction_rank"].max() == 1
    assert first_all_three.mean() > 0.5


def test_without_the_transition_rarely_first() -> None:
    """no_transition is first in all three 2025 surveys in few replicates (the rank contrasts)."""
    tw = tables("no_transition", ["end_date=2025-09-30"], 20)["township"]
    q = tw[(tw.year == 2025) & tw.month.isin([3, 6, 9])]
    assert (q.groupby("replicate")["satisfaction_rank"].max() == 1).mean() < 0.25


def test_no_transition_satisfaction_does_not_rise() -> None:
    """Without the transition, satisfaction in 2030 is no higher than in 2023 (the start year,
    whose mean is the sourced start level by construction of the anchor)."""
    tw = tables("no_transition", ["end_date=2030-12-31"], 5)["township"]
    by_year = tw.groupby("year")["satisfaction_mean"].mean()
    assert by_year[2030] <= by_year[2023]


def test_bigger_points_reward_never_lowers_sorting() -> None:
    """More points per sorting month: sorting share is non-decreasing (same seeds)."""
    shares = []
    for pts in (0, 5, 10, 20):
        tw = tables("as_reported", ["end_date=2026-12-31",
                                    f"levers.points_scheme.points_sorting_per_month={pts}"],
                    3)["township"]
        shares.append(tw.loc[tw.year == 2026, "sorting_share"].mean())
    assert shares == sorted(shares) and shares[-1] > shares[0]


def test_more_patrols_never_raise_burning() -> None:
    """Higher patrol intensity: straw burning events are non-increasing."""
    events = []
    for k in (0.0, 0.5, 1.0):
        tw = tables("as_reported", ["end_date=2026-12-31",
                                    f"levers.councils.patrol_intensity={k}"], 3)["township"]
        events.append(tw.loc[tw.year >= 2025, "straw_burning_events"].sum())
    assert events == sorted(events, reverse=True) and events[-1] < events[0]


def _residents(n: int = 2000) -> tuple[Residents, np.ndarray]:
    sc = Scenario(name="t", township={"households": n})  # type: ignore[arg-type]
    v = build_villages(sc)
    hh = build_households(sc, v, np.random.default_rng(0))
    return Residents(sc, v, hh), hh.size


def _step(res: Residents, section_class: int, months: int = 12) -> float:
    """A start year with a class III river, then `months` with `section_class`."""
    n = res.hh.count
    nv = res.villages.count
    rng = np.random.default_rng(1)
    for k in range(12 + months):
        cls = 3 if k < 12 else section_class
        out = res.month(date(2023 + k // 12, 1 + k % 12, 1), np.full(N_SECTIONS, cls), 0.95,
                        0.7, np.zeros(n, dtype=bool), 0.5, np.zeros(nv), np.zeros(nv),
                        np.full(n, 2000.0), 1.0, rng)
    return out["satisfaction_mean"]


def test_dirtier_river_never_raises_satisfaction() -> None:
    """All else equal, a river one class worse after the start year never gives higher
    satisfaction."""
    scores = [_step(_residents()[0], c) for c in range(1, 7)]
    assert all(a >= b for a, b in zip(scores, scores[1:], strict=False))
    assert scores[0] > scores[-1]


@given(cls=st.integers(1, 6), air=st.floats(0, 1), rub=st.floats(0, 1),
       unresolved=st.floats(0, 50), income=st.floats(0, 1e6))
@settings(max_examples=25, deadline=None)
def test_satisfaction_stays_within_0_100(cls: int, air: float, rub: float, unresolved: float,
                                         income: float) -> None:
    """Whatever residents see, every score stays within 0–100."""
    res, _ = _residents(300)
    n, nv = res.hh.count, res.villages.count
    rng = np.random.default_rng(2)
    for k in range(30):
        res.month(date(2024 + k // 12, 1 + k % 12, 1), np.full(N_SECTIONS, cls), air, rub,
                  np.ones(n, dtype=bool), 1.0, np.full(nv, unresolved), np.ones(nv),
                  np.full(n, income * (k % 2)), 1.0, rng)
    assert res.score.min() >= 0 and res.score.max() <= 100


def test_survey_is_unbiased() -> None:
    """Over many quarters, the survey's mean error against the population mean is ~0."""
    res, _ = _residents(3000)
    # scores held still so each quarter samples the same population
    res.score = np.random.default_rng(3).uniform(20, 95, res.hh.count)
    errors = []
    rng = np.random.default_rng(4)
    for _ in range(200):
        survey, _rank = res.survey(date(2024, 3, 1), rng)
        errors.append(survey - float(res.score.mean()))
    se = np.std(errors) / np.sqrt(len(errors))
    assert abs(np.mean(errors)) < 3 * se + 0.05


def test_gini_known_values() -> None:
    """Gini is 0 for equal incomes and (n-1)/n when one person has everything."""
    assert gini(np.ones(10)) == pytest.approx(0.0)
    assert gini(np.array([0, 0, 0, 1.0])) == pytest.approx(0.75)
    assert gini(np.array([1.0, 3.0]), np.array([3.0, 1.0])) == pytest.approx(
        gini(np.array([1.0, 1.0, 1.0, 3.0])))


def test_archive_and_village_lists(reported: dict[str, pd.DataFrame]) -> None:
    """The archive has one row per replicate-year with quality, projects and feedback; each
    month lists 3 red and 3 black villages."""
    arc = reported["archive"]
    assert len(arc) == 20 * 3
    need = {"good_air_days", "water_class_mean_exit", "public_spending_yuan",
            "satisfaction_survey_mean", "issues_resolved", "projects"}
    assert need <= set(arc.columns)
    assert arc.loc[arc.year == 2024, "projects"].str.contains("closure").all()
    vil = reported["villages"]
    per_month = vil.groupby(["replicate", "date"])[["red_list", "black_list"]].sum()
    assert (per_month == 3).all().all()


def test_negative_list_refuses_and_closes_sand_sites(reported: dict[str, pd.DataFrame]) -> None:
    """With the negative list, polluting investors are refused from its date, and the 2 illegal
    sand sites close, restoring 15 mu of farmland."""
    ev, tw = reported["events"], reported["township"]
    late = ev[ev.date >= "2024-06-01"]
    assert (late.kind == "investor_admitted").sum() == 0
    assert (late.kind == "investor_refused").sum() > 0
    assert tw.loc[tw.year == 2025, "farmland_restored_mu"].max() == pytest.approx(15.0)
    assert (tw.loc[tw.year == 2025, "sand_sites_open"] == 0).all()


def test_run_folder_has_readable_archive(tmp_path: Path) -> None:
    """`greensim run` writes archive.parquet and the same rows as archive.csv."""
    from sim.experiments.replicates import run_scenarios

    s = load_scenario(SCENARIOS / "as_reported.yaml", ["end_date=2024-12-31"])
    summary = run_scenarios([s], replicates=2, seed=1, out=tmp_path, workers=1)
    folder = summary.folders[0]
    arc = pd.read_parquet(folder / "archive.parquet")
    csv = pd.read_csv(folder / "archive.csv")
    assert len(arc) == len(csv) == 4 and list(csv["year"]) == list(arc["year"])
