"""Village councils (sim.model.councils): issues raised by kind, resolved, and what each
resolution changes; and the dumps that the clean-up now shrinks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.model.councils import DUMPING, RUBBISH_POINT, STREET_LIGHTS, Councils, raise_collection
from sim.model.households import build_households
from sim.model.simulation import run
from sim.model.world import build_villages
from sim.scenario.life import ISSUE_KINDS
from sim.scenario.load import load_scenario
from sim.scenario.schema import Scenario

from .conftest import SCENARIOS


def _councils(**councils: object) -> tuple[Councils, Scenario]:
    sc = Scenario(name="t", township={"households": 2000},  # type: ignore[arg-type]
                  councils=councils, levers={"councils": {"start": "2023-01-01"}})
    v = build_villages(sc)
    return Councils(sc, v, build_households(sc, v, np.random.default_rng(0))), sc


def test_a_collection_point_raises_collection_up_to_the_ceiling() -> None:
    c = np.array([0.9, 0.9, 0.97, 0.99])
    got = raise_collection(c, np.array([0, 1, 3, 1]), 0.25, 0.98)
    assert got[0] == 0.9 and got[1] == pytest.approx(0.92)
    assert 0.97 < got[2] <= 0.98 and got[3] == 0.99     # above the ceiling: left as it is


def test_issues_follow_the_problems_left() -> None:
    """No dumps, full collection and lit roads: only 'other' issues are raised."""
    co, sc = _councils(dark_road_km_per_village=1.0)
    nv = co.villages.count
    rng = np.random.default_rng(5)
    raised = np.zeros(len(ISSUE_KINDS))
    co.dark_km_v[:] = 0.0
    for _ in range(24):
        out = co.month(True, np.full(nv, 0.98), 0.0, rng)
        raised += out.resolved_vk.sum(axis=0)
    assert raised[RUBBISH_POINT] == raised[DUMPING] == raised[STREET_LIGHTS] == 0
    assert raised[-1] > 0


def test_street_lights_never_exceed_the_dark_road() -> None:
    co, sc = _councils(dark_road_km_per_village=0.6, lights_km_per_issue=1.0,
                       issues_per_village_month=2.0)
    nv = co.villages.count
    rng = np.random.default_rng(1)
    for _ in range(36):
        out = co.month(True, np.full(nv, 0.9), 2000.0, rng)
    assert np.all(out.lit_km_v <= 0.6 + 1e-12) and out.lit_km_v.sum() > 0


def test_more_participation_resolves_more_issues() -> None:
    """A pending issue is taken up at a meeting with a chance that grows with participation:
    more taking part, more resolved and a smaller backlog (same draws)."""
    got = []
    for share in (0.3, 0.85):
        s = load_scenario(SCENARIOS / "as_reported.yaml",
                          ["end_date=2025-12-31", f"levers.councils.participation_share={share}"])
        runs = [run(s, 3, r).tables for r in range(3)]
        tw = pd.concat([t["township"] for t in runs])
        vil = pd.concat([t["villages"] for t in runs])
        got.append((tw.loc[tw.date >= "2024-03-01", "issues_resolved"].sum(),
                    vil.loc[vil.date == "2025-12-01", "unresolved_issues"].sum()))
    assert got[0][0] < got[1][0] and got[0][1] > got[1][1]


@pytest.fixture(scope="module")
def pair() -> dict[str, dict[str, pd.DataFrame]]:
    out = {}
    for name, sets in (("with", []), ("without", ["levers.councils.resolve_share_per_month=0"])):
        s = load_scenario(SCENARIOS / "as_reported.yaml", ["end_date=2027-12-31", *sets])
        runs = [run(s, 20250101, r).tables for r in range(3)]
        out[name] = {k: pd.concat([t[k] for t in runs]) for k in ("township", "villages",
                                                                   "events")}
    return out


def test_resolved_issues_change_collection_dumps_and_lights(
        pair: dict[str, dict[str, pd.DataFrame]]) -> None:
    """Councils that resolve issues leave more rubbish collected, fewer dumps and more road
    lit than councils that resolve none (same draws)."""
    w, wo = pair["with"]["township"], pair["without"]["township"]
    end = "2027-12-01"
    assert (w[w.date == end].rubbish_collected_share.mean()
            > wo[wo.date == end].rubbish_collected_share.mean())
    assert w[w.date == end].legacy_rubbish_t.mean() < wo[wo.date == end].legacy_rubbish_t.mean()
    assert w[w.date == end].street_lights_km.mean() > wo[wo.date == end].street_lights_km.mean()
    assert w.dumps_cleared_by_villagers_t.sum() > wo[wo.date >= "2024-03-01"
                                                     ].dumps_cleared_by_villagers_t.sum()
    v = pair["with"]["villages"]
    assert v.rubbish_collected_share.max() <= Scenario(name="x").councils.max_collected_share


def test_each_council_resolution_is_an_event(pair: dict[str, dict[str, pd.DataFrame]]) -> None:
    """Every issue the councils resolve (from their start, March 2024) is in the events table
    with its kind; the village committees' before are counted only."""
    ev, tw = pair["with"]["events"], pair["with"]["township"]
    res = ev[ev.kind == "issue_resolved"]
    assert set(res.detail) <= set(ISSUE_KINDS)
    assert res.date.min() >= pd.Timestamp("2024-03-01")
    councils = tw[tw.date >= "2024-03-01"]
    assert res.value.sum() == councils.issues_resolved.sum()
    points = res[res.detail == "rubbish_point"].value.sum()
    assert points == councils.collection_points_added.sum()


def test_the_clean_up_shrinks_the_dumps() -> None:
    """as_reported: the dumps fall once the clean-up runs; no_transition: they grow."""
    got = {}
    for name in ("as_reported", "no_transition"):
        s = load_scenario(SCENARIOS / f"{name}.yaml", ["end_date=2027-12-31"])
        tw = pd.concat([run(s, 20250101, r).tables["township"] for r in range(3)])
        got[name] = tw.groupby("date").legacy_rubbish_t.mean()
    ar, nt = got["as_reported"], got["no_transition"]
    assert ar["2027-12-01"] < ar["2024-12-01"] < nt["2024-12-01"] < nt["2027-12-01"]
