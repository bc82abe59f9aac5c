"""Farms and fields: the account's co-culture rollout and pig farm, Bass theory, directions."""

from __future__ import annotations

import calendar
from datetime import date

import numpy as np
import pandas as pd
import pytest
import simpy

from sim.model.books import Books
from sim.model.farming import Farming
from sim.model.households import build_households
from sim.model.livestock import (
    FarmStatus,
    LivestockHooks,
    farm_load_kg_per_day,
    removal,
    retrofit_case,
)
from sim.model.paddy import (
    PaddySector,
    adoption_probability,
    bass_closed_form,
    coculture_net_per_mu,
    subsidy_multiplier,
)
from sim.model.simulation import run
from sim.model.streams import Streams
from sim.model.timebase import day_of, next_month
from sim.model.world import build_villages
from sim.scenario.farms import Coculture, Livestock, ManureRetrofit, Paddy
from sim.scenario.load import load_scenario
from sim.scenario.schema import Scenario

from .conftest import SCENARIOS

SEED = 20250101


def township(name: str, sets: list[str], reps: int) -> pd.DataFrame:
    s = load_scenario(SCENARIOS / f"{name}.yaml", sets)
    tw = pd.concat([run(s, SEED, r).tables["township"] for r in range(reps)])
    tw["year"], tw["month"] = tw["date"].dt.year, tw["date"].dt.month
    return tw


def test_coculture_reaches_8_villages_and_320_households_by_mid_2025() -> None:
    """as_reported: pilot 2024 → 8 villages and 320 households (± 10 %) in June 2025."""
    tw = township("as_reported", ["end_date=2025-06-30"], 20)
    june = tw[(tw.year == 2025) & (tw.month == 6)]
    assert june["coculture_villages"].mean() == pytest.approx(8, abs=0.01)
    assert june["coculture_households"].mean() == pytest.approx(320, rel=0.10)


def test_coculture_pays_about_three_times_rice() -> None:
    """In a normal-price year co-culture nets 2.5–4× rice alone per mu."""
    p = Paddy()
    ratio = coculture_net_per_mu(p, p.crayfish_price_yuan_per_kg, False) / p.rice_net_yuan_per_mu
    assert 2.5 <= ratio <= 4.0


def test_account_farm_retrofits_with_the_loan_and_not_without() -> None:
    """The account's farm (≈270 head, 80,000+ yuan retrofit) retrofits under the as_reported
    terms (50,000 yuan subsidised loan, free equipment) and cannot without them."""
    p = Livestock()
    lever = load_scenario(SCENARIOS / "as_reported.yaml").levers.manure_retrofit
    assert lever is not None
    case = retrofit_case(p.account_farm_head, p, lever, lever.inspections_per_farm_per_year,
                         p.fine_months_of_profit)
    assert 80_000 <= case.capex < 90_000 and case.retrofit
    no_help = lever.model_copy(update={"loan_yuan": 0.0, "free_equipment_yuan": 0.0})
    assert not retrofit_case(p.account_farm_head, p, no_help, 1.0, 6.0).retrofit
    assert not retrofit_case(p.account_farm_head, p, None, 1.0, 6.0).retrofit


def test_account_farm_retrofits_on_time_in_the_model() -> None:
    """In as_reported, whenever F01 fails an inspection under the programme it retrofits within
    the fix deadline and is never fined after it; in no_transition it is fined and stays raw."""
    deadline = pd.Timedelta(days=31 * Livestock().fix_deadline_months)
    failures = 0
    for name in ("as_reported", "no_transition"):
        s = load_scenario(SCENARIOS / f"{name}.yaml", ["end_date=2027-12-31",
                                                       "livestock.baseline_inspections_per_year=1"])
        for r in range(8):
            ev = run(s, SEED, r).tables["events"]
            f01 = ev[ev.subject == "F01"]
            failed = f01[(f01.kind == "inspection_failed") & (f01.date >= "2025-01-01")]
            fixes = f01[f01.kind == "retrofit"]
            if name == "as_reported" and len(failed):
                failures += 1
                assert len(fixes) == 1 and fixes.date.iloc[0] - failed.date.iloc[0] <= deadline
                assert not ((f01.kind == "fine") & (f01.date > fixes.date.iloc[0])).any()
            if name == "no_transition":
                assert fixes.empty
                assert (f01.kind == "fine").sum() >= (f01.kind == "inspection_failed").sum() - 1
    assert failures >= 6


def test_no_transition_keeps_rice_and_raw_manure() -> None:
    """Without the levers nobody converts paddy and no farm retrofits."""
    tw = township("no_transition", ["end_date=2030-12-31"], 3)
    assert (tw["coculture_households"] == 0).all() and (tw["farms_compliant"] == 0).all()


def test_bass_rule_matches_closed_form() -> None:
    """Well-mixed imitation with small steps: the mean adopted share follows Bass's F(t)."""
    rng = np.random.default_rng(4)
    n, p, q, dt = 20_000, 0.03, 0.38, 0.02
    adopted = np.zeros(n, dtype=bool)
    for step in range(1, 501):
        share = adopted.mean()
        adopted |= rng.random(n) < adoption_probability(p, q, share, dt)
        if step % 100 == 0:
            t = step * dt
            assert abs(adopted.mean() - bass_closed_form(p, q, t)) < 0.02, t


def test_paddy_sector_follows_discrete_bass() -> None:
    """The spring rule in one open village, no neighbours, profit ratio 1: adopters follow the
    discrete Bass recursion N' = N + (p_eff + q N/m)(m - N) within sampling error."""
    sc = Scenario(name="t", township={"households": 60_000})  # type: ignore[arg-type]
    villages = build_villages(sc)
    hh = build_households(sc, villages, np.random.default_rng(0))
    lever = Coculture(pilot_villages=(17,), pilot_year=2024)
    paddy = Paddy(neighbour_weight=0.0, dropout_after_loss=0.0)
    sector = PaddySector(paddy, lever, villages, hh, np.random.default_rng(1))
    m = sector.ceiling_v[16]
    p_eff = paddy.innovation_per_year * subsidy_multiplier(lever) * (
        lever.training_innovation_multiplier)
    expected, rng = 0.0, np.random.default_rng(2)
    for year in range(2024, 2029):
        sector.spring(year, rng)
        expected += (p_eff + paddy.imitation_per_year * expected / m) * (m - expected)
        got = sector.coculture[hh.village == 16].sum()
        assert abs(got - expected) < 4 * np.sqrt(m * 0.25) + 1, year


def test_bigger_subsidy_never_lowers_adoption() -> None:
    """Adoption is non-decreasing in the subsidy (same seeds)."""
    counts = []
    for subsidy in (0, 100, 300, 600):
        tw = township("as_reported", ["end_date=2026-06-30",
                                      f"levers.coculture.subsidy_yuan_per_mu={subsidy}"], 3)
        counts.append(tw.loc[tw.date == "2026-06-01", "coculture_households"].sum())
    assert counts == sorted(counts) and counts[-1] > counts[0]


def test_price_crash_lowers_coculture_next_year() -> None:
    """Crayfish price crashes every year: fewer co-culture households the following spring."""
    calm = township("as_reported", ["end_date=2027-06-30", "paddy.crash_prob_per_year=0"], 5)
    crash = township("as_reported", ["end_date=2027-06-30", "paddy.crash_prob_per_year=1"], 5)
    when = "2026-06-01"
    assert (crash.loc[crash.date == when, "coculture_households"].sum()
            < calm.loc[calm.date == when, "coculture_households"].sum())


def test_retrofits_never_raise_livestock_loads() -> None:
    """Treatment only removes more: raw ≤ basic ≤ retrofitted removal; as_reported's livestock
    loads never exceed no_transition's (same farms, same seeds)."""
    p = Livestock()
    r, b, f = (removal(p, s) for s in (FarmStatus.RAW, FarmStatus.BASIC, FarmStatus.RETROFITTED))
    assert np.all(r <= b) and np.all(b <= f)
    base = township("no_transition", ["end_date=2027-12-31"], 3)
    pol = township("as_reported", ["end_date=2027-12-31"], 3)
    for c in ("cod_kg_livestock", "nh3n_kg_livestock", "tp_kg_livestock"):
        assert (pol[c].to_numpy() <= base[c].to_numpy() + 1e-9).all()
    assert pol["farms_compliant"].iloc[-1] > 0


def test_manure_lever_shape() -> None:
    """The lever's defaults are the account's terms."""
    lv = ManureRetrofit(start="2025-01-01")  # type: ignore[arg-type]
    assert lv.loan_yuan == 50_000 and lv.interest_subsidy_share == 1.0


def test_livestock_loads_are_the_farms_sums_every_month() -> None:
    """The villages' livestock loads, reused while no farm's status changes, are every month
    the farm-by-farm sums: through retrofits after inspections and a closure mid-month."""
    sc = load_scenario(SCENARIOS / "as_reported.yaml")
    villages = build_villages(sc)
    streams = Streams(SEED, 0)
    hh = build_households(sc, villages, streams("layout"))
    env = simpy.Environment()
    farming = Farming(sc, villages, hh, env,
                      LivestockHooks(env, lambda *a: None, Books(sc.start_date)),
                      streams("layout"), streams)
    p, start = sc.livestock, sc.start_date
    m0, before, changes = start, None, 0
    for k in range(96):
        m1 = next_month(m0)
        t0, t1 = day_of(start, m0), day_of(start, m1)
        env.run(until=t1)
        if k == 40:  # a farm closes halfway through the month
            farm = next(f for f in farming.farms if f.log.constant_since(t1 - 15.5))
            farm.log.set(t1 - 15.5, FarmStatus.CLOSED)
        expected = np.zeros((villages.count, 3))
        for farm in farming.farms:
            expected[farm.village] += farm_load_kg_per_day(farm, p, t0, t1)
        statuses = [f.status for f in farming.farms]
        changes += before is not None and statuses != before
        before = statuses
        got = farming.month(m0, t0, t1, 1.0, streams("farming")).livestock_kg_per_day
        assert np.array_equal(got, expected), m0
        m0 = m1
    assert changes >= 3, changes


def test_coculture_water_effect() -> None:
    """Co-culture's own runoff: over a year its N is (1 + coculture_n_runoff_change) and its
    P (1 + coculture_p_runoff_change) times rice alone's (river-facts §7, domain-facts), and
    a share `coculture_drainage_share` of it leaves in the May–June drainage pulse, so May and
    June carry more of its load than rice alone's and the other months less."""
    sc = Scenario(name="x")
    villages = build_villages(sc)
    hh = build_households(sc, villages, np.random.default_rng(0))
    fields = PaddySector(sc.paddy, None, villages, hh, np.random.default_rng(1))
    months = [date(2025, m, 1) for m in range(1, 13)]
    rice = np.array([fields.runoff(m).sum(axis=0) for m in months])
    fields.coculture[fields.suitable] = True
    fields._version += 1
    co = np.array([fields.runoff(m).sum(axis=0) for m in months])
    days = np.array([calendar.monthrange(2025, m)[1] for m in range(1, 13)])
    year_rice, year_co = (rice * days[:, None]).sum(0), (co * days[:, None]).sum(0)
    assert year_co[1] < year_rice[1] and year_co[2] < year_rice[2]   # NH3-N and TP fall
    for k in range(3):   # the drainage pulse: May–June gain, the rest lose
        assert co[4, k] > rice[4, k] and co[5, k] > rice[5, k]
        assert co[0, k] < rice[0, k]
