"""Farms and fields: the account's co-culture rollout and pig farm, the programme's adoption
decision and the brand's price, directions."""

from __future__ import annotations

import calendar
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import simpy

from sim.errors import ScenarioError
from sim.model.books import Books
from sim.model.coculture import (
    allocate_places,
    apply_probability,
    pays_probability,
    town_price,
)
from sim.model.farming import Farming
from sim.model.households import build_households
from sim.model.livestock import (
    FarmStatus,
    LivestockHooks,
    farm_load_kg_per_day,
    removal,
    retrofit_case,
)
from sim.model.paddy import PaddySector, coculture_net_per_mu
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
    """as_reported: pilot 2024 → about 8 villages and 320 households in June 2025 (mean of 20
    replicates within 6–10 villages and 250–400 households), from the programme's places."""
    tw = township("as_reported", ["end_date=2025-06-30"], 20)
    june = tw[(tw.year == 2025) & (tw.month == 6)]
    assert 6 <= june["coculture_villages"].mean() <= 10
    assert 250 <= june["coculture_households"].mean() <= 400


@pytest.mark.parametrize(("section", "key"), [
    ("levers:\n  coculture: {pilot_villages: [17], subsidy_innovation_multiplier: 4}",
     "levers.coculture.subsidy_innovation_multiplier"),
    ("paddy: {innovation_per_year: 0.05}", "paddy.innovation_per_year"),
])
def test_retired_bass_keys_say_what_replaced_them(tmp_path: Path, section: str, key: str
                                                  ) -> None:
    """A scenario still setting a key of the old Bass rule is refused naming the file and the
    key, and what to use instead; `greensim validate` exits 2 without a traceback."""
    path = tmp_path / "old.yaml"
    path.write_text(f"name: old\n{section}\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert str(path) in str(err.value) and key in str(err.value)
    assert "no longer a parameter" in str(err.value)
    done = subprocess.run([sys.executable, "-m", "sim", "validate", str(path)],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "Traceback" not in done.stderr and key in done.stderr


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


def sector(lever: Coculture | None, paddy: Paddy | None = None, seed: int = 1
           ) -> tuple[PaddySector, np.ndarray]:
    """A paddy sector of the default township under `lever`; the households' villages."""
    sc = Scenario(name="t")
    villages = build_villages(sc)
    hh = build_households(sc, villages, np.random.default_rng(0))
    fields = PaddySector(paddy or Paddy(), lever, villages, hh, np.random.default_rng(seed))
    fields.decision_rng = np.random.default_rng(seed + 100)
    return fields, hh.village


ALL = tuple(range(1, 24))


def adopters_after(lever: Coculture | None, years: int = 1, market: float | None = None) -> int:
    """Co-culture households after `years` springs from 2024 (no harvest in between)."""
    fields, _ = sector(lever)
    if market is not None:
        fields.market_price = market
    rng = np.random.default_rng(7)
    for year in range(2024, 2024 + years):
        fields.spring(date(year, 3, 1), rng)
    return int(fields.coculture.sum())


def test_more_margin_or_subsidy_brings_more_adopters() -> None:
    """With places for all, adopters rise with the subsidy and with the expected price (the
    margin over rice), the same households drawing the same numbers."""
    open_all = Coculture(pilot_villages=ALL, pilot_year=2024,
                         training_places_per_village_year=1000)
    by_subsidy = [adopters_after(open_all.model_copy(update={"subsidy_yuan_per_mu": s}),
                                 market=12.0) for s in (0, 300, 800, 2000)]
    assert by_subsidy == sorted(by_subsidy) and by_subsidy[-1] > 1.3 * by_subsidy[0]
    by_price = [adopters_after(open_all, market=m) for m in (8.0, 12.0, 20.0, 30.0)]
    assert by_price == sorted(by_price) and by_price[-1] > 3 * by_price[0]
    p = Paddy()
    pays = [pays_probability(p, m, False, 300) for m in (8, 12, 20)]
    assert pays == sorted(pays) and 0 < pays[0] < pays[-1] < 1


def test_fewer_training_places_fewer_adopters() -> None:
    """Places bind: no village converts more households a year than its class has places,
    and fewer places give fewer adopters; none without places or without the programme."""
    counts = []
    for places in (0, 10, 20, 40, 80):
        fields, village = sector(Coculture(pilot_villages=ALL, pilot_year=2024,
                                           training_places_per_village_year=places))
        fields.spring(date(2024, 3, 1), np.random.default_rng(7))
        assert np.bincount(village[fields.coculture], minlength=23).max() <= places
        counts.append(int(fields.coculture.sum()))
    assert counts == sorted(counts) and counts[0] == 0 and counts[-1] > counts[1]
    assert adopters_after(None, years=5) == 0


def test_unsuitable_fields_and_closed_villages_never_convert() -> None:
    """Over ten springs with places for all, every adopter has suitable paddy and lives in a
    village the programme enrolled."""
    lever = Coculture(pilot_villages=(17,), pilot_year=2024,
                      target_villages_by_year={2026: (16, 18)},
                      training_places_per_village_year=1000)
    fields, village = sector(lever)
    rng = np.random.default_rng(3)
    for year in range(2024, 2034):
        fields.spring(date(year, 3, 1), rng)
    assert fields.coculture.sum() > 0.8 * fields.suitable[np.isin(village, (15, 16, 17))].sum()
    assert not (fields.coculture & ~fields.suitable).any()
    assert set(np.unique(village[fields.coculture])) <= {15, 16, 17}


def test_neighbours_adoption_raises_applications() -> None:
    """The peer effect: a village whose neighbours adopted sends more applicants (sourced
    +0.367 per unit of neighbours' share); without it the chance is what pays alone."""
    assert apply_probability(0.3, 0.367, np.array([0.0, 0.5, 1.0])).tolist() == pytest.approx(
        [0.3, 0.4835, 0.667])
    lever = Coculture(pilot_villages=ALL, pilot_year=2024, training_places_per_village_year=1000)
    shares = []
    for seeded in (False, True):
        fields, _ = sector(lever)
        fields.market_price = 10.0  # a poor season: what pays alone draws few
        suitable = np.flatnonzero(fields.suitable)
        if seeded:  # every other suitable household already farms crayfish
            fields.coculture[suitable[::2]] = True
            fields._version += 1
        fields.spring(date(2024, 3, 1), np.random.default_rng(7))
        shares.append(fields.applied / (suitable.size - seeded * suitable[::2].size))
    pays = pays_probability(Paddy(), 10.0, False, 300.0)
    assert shares[0] == pytest.approx(pays, abs=0.04)
    # about half of each village and its neighbours adopted: + 0.367 × 0.5
    assert shares[1] - shares[0] == pytest.approx(0.367 * 0.5, abs=0.05)


def test_places_go_to_applicants_village_by_village() -> None:
    """`allocate_places` gives each village at most its places, to its applicants only."""
    village = np.array([0, 0, 0, 1, 1, 2])
    applicants = np.array([0, 1, 2, 3, 5])
    got = allocate_places(applicants, village, np.array([2, 5, 0]),
                          np.array([0.9, 0.1, 0.5, 0.3, 0.2]))
    assert got.tolist() == [1, 2, 3]


def test_brand_price_holds_within_local_demand_and_falls_beyond() -> None:
    """The trademark crayfish sell at the brand's price while the township's supply is within
    local demand, less as (Q/D)^(−1/ε) beyond it, never below the market; unbranded at the
    market's."""
    p = Paddy()
    demand = p.brand_local_demand_t_per_year * 1000
    assert town_price(p, 20.0, 0.5 * demand, True) == pytest.approx(60.0)
    assert town_price(p, 20.0, demand, True) == pytest.approx(60.0)
    assert town_price(p, 20.0, 2 * demand, True) == pytest.approx(30.0)
    assert town_price(p, 20.0, 10 * demand, True) == 20.0
    assert town_price(p, 10.0, 0.5 * demand, True) == pytest.approx(30.0)  # a crash season
    assert town_price(p, 20.0, 0.5 * demand, False) == 20.0
    prices = [town_price(p, 20.0, q * demand, True) for q in (0.5, 1.0, 1.2, 1.5, 2.0, 3.0)]
    assert prices == sorted(prices, reverse=True)


def test_price_falls_when_supply_exceeds_local_demand_in_the_model() -> None:
    """as_reported, June 2030: with local demand below the township's supply the price is
    lower than with room for it (the same seasons: prices have their own stream)."""
    roomy = township("as_reported", ["end_date=2030-06-30",
                                     "paddy.brand_local_demand_t_per_year=200"], 3)
    short = township("as_reported", ["end_date=2030-06-30",
                                     "paddy.brand_local_demand_t_per_year=70"], 3)
    when = roomy.date == "2030-06-01"
    supply_t = roomy.loc[when, "coculture_area_mu"] * Paddy().crayfish_yield_kg_per_mu / 1000
    assert (supply_t > 70).all() and (supply_t < 200).all()
    assert (short.loc[short.date == "2030-06-01", "crayfish_price_yuan_per_kg"].to_numpy()
            < roomy.loc[when, "crayfish_price_yuan_per_kg"].to_numpy()).all()


def test_price_crash_lowers_coculture_next_year() -> None:
    """Crayfish price crashes every year, no trademark: losses, drop-outs and fewer applicants
    leave fewer co-culture households. (With the brand's price a crash halves the margin but
    leaves it positive: no losses.)"""
    sets = ["end_date=2027-06-30", "levers.coculture.brand_from=null"]
    calm = township("as_reported", [*sets, "paddy.crash_prob_per_year=0"], 5)
    crash = township("as_reported", [*sets, "paddy.crash_prob_per_year=1"], 5)
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
