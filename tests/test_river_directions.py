"""Direction tests: taking a load away never makes the river worse anywhere downstream.

At the river's level (any loads, any flow, any month) and through whole runs: closing a
workshop, the shared facility, and rural sewage coverage, each against the same scenario
without it, same seed and replicate (common random numbers)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model.river import (
    concentrations_mg_l,
    decay_rates,
    deficit_mg_l,
    hydraulics,
    network,
    transfer,
)
from sim.model.sewage import SewageWorks
from sim.model.simulation import run
from sim.model.world import build_villages
from sim.scenario.schema import Closures, RuralSewage, Scenario, SharedFacility

from .conftest import bundled

SEED = 20250101
CONC = ["cod_mg_l_mean", "nh3n_mg_l_mean", "tp_mg_l_mean"]


@given(seed=st.integers(0, 10_000), q=st.floats(0.02, 10.0), month=st.integers(1, 12),
       drop=st.integers(0, 11))
@settings(max_examples=60, deadline=None)
def test_removing_a_load_never_raises_a_section(seed: int, q: float, month: int,
                                                drop: int) -> None:
    """Any layout of 12 sources and any month: one source's load removed, no section's
    concentration or oxygen deficit rises."""
    river = Scenario(name="x").river
    rng = np.random.default_rng(seed)
    km = rng.uniform(0, river.length_km, 12)
    loads = rng.uniform(0, 200, (12, 3))
    less = loads.copy()
    less[drop] = 0.0
    net = network(river, km)
    hyd = hydraulics(river, net, q, month)
    k = decay_rates(river, hyd.temp_c)
    shares = transfer(net, hyd, k)
    flow = hyd.node_flow[net.section_node]
    before = concentrations_mg_l(river, shares, loads, flow)
    after = concentrations_mg_l(river, shares, less, flow)
    assert np.all(after <= before + 1e-12)
    assert np.all(deficit_mg_l(river, net, hyd, k, less)
                  <= deficit_mg_l(river, net, hyd, k, loads) + 1e-12)


def sections(scenario: Scenario, replicates: int = 3) -> pd.DataFrame:
    return pd.concat([run(scenario, SEED, r).tables["sections"] for r in range(replicates)],
                     ignore_index=True)


def with_levers(base: Scenario, **levers: object) -> Scenario:
    return base.model_copy(update={"levers": base.levers.model_copy(update=levers)})


@pytest.fixture(scope="module")
def base() -> Scenario:
    return bundled("no_transition", "2025-12-31")


@pytest.fixture(scope="module")
def base_sections(base: Scenario) -> pd.DataFrame:
    return sections(base)


@pytest.mark.parametrize("workshop", ["W03", "W01", "W10"])
def test_closing_a_workshop_never_raises_a_downstream_load(base: Scenario,
                                                           base_sections: pd.DataFrame,
                                                           workshop: str) -> None:
    """Each section at or below the workshop: month-mean COD, NH3-N and TP with the workshop
    closed are at most what they are with it open, every month of every replicate; DO is
    never lower; and the river there is cleaner once it closes. (Sections above it may see a
    few more visitors' sewage: a cleaner river draws visitors, a real feedback.)"""
    spec = next(w for w in base.workshops if w.id == workshop)
    km = float(build_villages(base).river_km[spec.village - 1])
    closed = sections(with_levers(base, closures=Closures(date=date(2023, 3, 1),
                                                          workshops=(workshop,))))
    below = (closed["river_km"] >= km).to_numpy()
    assert below.any()
    ours, theirs = closed[below], base_sections[below]
    assert np.all(ours[CONC].to_numpy() <= theirs[CONC].to_numpy() + 1e-12)
    assert np.all(ours["do_mg_l_mean"].to_numpy() >= theirs["do_mg_l_mean"].to_numpy() - 1e-12)
    after = (ours["date"] >= "2023-03-01").to_numpy()
    assert np.all(ours["cod_mg_l_mean"].to_numpy()[after]
                  < theirs["cod_mg_l_mean"].to_numpy()[after])


def test_the_facility_lowers_near_field_nh3n(base: Scenario,
                                             base_sections: pd.DataFrame) -> None:
    """Once the shared plant works, the near-field section's NH3-N is lower every month (its
    workshops' ammonia is treated; the outfall is below the section), and the same before."""
    fac = with_levers(base, shared_facility=SharedFacility(build_start=date(2024, 1, 1)))
    got = sections(fac)
    near = (got.section == "near_field").to_numpy()
    online = (got.date >= "2024-07-01").to_numpy()
    ours, theirs = got["nh3n_mg_l_mean"].to_numpy(), base_sections["nh3n_mg_l_mean"].to_numpy()
    assert np.all(ours[near & online] < theirs[near & online])
    # before: only a node without load added (the outfall), which changes nothing but rounding
    np.testing.assert_allclose(ours[~online], theirs[~online], rtol=1e-12)


def test_sewage_coverage_never_raises_loads(base: Scenario,
                                            base_sections: pd.DataFrame) -> None:
    """Stations in the riverside villages and septic retrofits elsewhere (2024): households'
    loads and every section's concentration never rise, and fall once the works run."""
    spec = RuralSewage(stations={v: date(2024, 1, 1) for v in range(1, 9)},
                       septic={v: date(2024, 6, 1) for v in range(9, 24)})
    scenario = with_levers(base, rural_sewage=spec)
    got = sections(scenario)
    assert np.all(got[CONC].to_numpy() <= base_sections[CONC].to_numpy() + 1e-12)
    after = (got.date >= "2024-01-01").to_numpy()
    assert np.all(got["cod_mg_l_mean"].to_numpy()[after & (got.section == "exit").to_numpy()]
                  < base_sections["cod_mg_l_mean"].to_numpy()[
                      after & (got.section == "exit").to_numpy()])
    tw = run(scenario, SEED, 0).tables["township"]
    tw0 = run(base, SEED, 0).tables["township"]
    for p in ("cod", "nh3n", "tp"):
        assert np.all(tw[f"{p}_kg_households"] <= tw0[f"{p}_kg_households"] + 1e-9)
        np.testing.assert_allclose(tw[f"{p}_kg_households"] + tw[f"{p}_kg_sewage_removed"],
                                   tw0[f"{p}_kg_households"], rtol=1e-12)
    assert tw.loc[tw.date >= "2024-06-01", "rural_sewage_coverage_share"].min() > 0.8
    assert tw["public_spending_yuan_rural_sewage"].sum() > 0


@given(station=st.lists(st.booleans(), min_size=23, max_size=23),
       septic=st.lists(st.booleans(), min_size=23, max_size=23), more=st.integers(0, 22),
       kind=st.sampled_from(["station", "septic"]))
@settings(max_examples=60, deadline=None)
def test_more_coverage_never_raises_a_village_load(station: list[bool], septic: list[bool],
                                                   more: int, kind: str) -> None:
    """Opening one more work (a station or septic retrofits) in any village, whatever is open
    already, never raises any village's load reaching the river."""
    scenario = Scenario(name="x")
    works = SewageWorks(RuralSewage(), 23)
    works.station[:], works.septic[:] = station, septic
    generated = np.random.default_rng(more).uniform(0, 5, (23, 3))
    persons = np.full(23, 1000.0)
    households = np.full(23, 350.0)
    before = generated - works.month(generated, persons, households, 30,
                                     scenario.sewage).removed_kg_per_day
    (works.station if kind == "station" else works.septic)[more] = True
    after = generated - works.month(generated, persons, households, 30,
                                    scenario.sewage).removed_kg_per_day
    assert np.all(after <= before + 1e-12) and np.all(after >= 0)


def test_rural_sewage_names_real_villages() -> None:
    """A village number outside 1–23 is refused with the key path and the villages' range."""
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match=r"levers\.rural_sewage names villages \[24\]"):
        Scenario.model_validate({"name": "x", "levers": {"rural_sewage": {
            "stations": {24: "2026-01-01"}}}})
