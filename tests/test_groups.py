"""Income by household group (the `groups` table) and who wins and who loses by group in the
report: groups fixed at the run's start, disjoint, adding up to the township, and the same
households in a policy and its base."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.model.record import GROUPS
from sim.model.simulation import run
from sim.report.data import RunData
from sim.report.i18n import Tr
from sim.report.winners import GROUP_ORDER, fig_winners, group_changes
from sim.scenario.load import load_scenario

from .conftest import SCENARIOS

UNTIL = ["end_date=2025-12-31"]


@pytest.fixture(scope="module")
def pair() -> dict[str, dict[str, pd.DataFrame]]:
    """no_transition and as_reported, three replicates each (two leave a t interval of the
    households better off too wide to divide by), one seed, to the end of 2025."""
    out = {}
    for name in ("no_transition", "as_reported"):
        scenario = load_scenario(SCENARIOS / f"{name}.yaml", UNTIL)
        results = [run(scenario, 11, r) for r in range(3)]
        out[name] = {t: pd.concat([r.tables[t] for r in results], ignore_index=True)
                     for t in ("township", "villages", "sections", "events", "groups",
                                "households")}
    return out


def test_groups_are_disjoint_and_add_up_to_the_township(
        pair: dict[str, dict[str, pd.DataFrame]]) -> None:
    """Every month the groups' households, persons and incomes add up to the township's (each
    household is in exactly one group); the report's order is the model's."""
    assert GROUP_ORDER == GROUPS
    for tables in pair.values():
        groups, town = tables["groups"], tables["township"]
        assert set(groups["group"]) == set(GROUPS)
        sums = groups.groupby(["replicate", "date"])[["households", "persons",
                                                     "income_yuan"]].sum()
        town = town.set_index(["replicate", "date"])
        assert (sums["households"] == town["households"]).all()
        assert (sums["persons"] == town["population"]).all()
        income = town["income_per_capita_yuan"] * town["population"]
        assert sums["income_yuan"].to_numpy() == pytest.approx(income.to_numpy(), rel=1e-9)


def test_a_policy_and_its_base_follow_the_same_households(
        pair: dict[str, dict[str, pd.DataFrame]]) -> None:
    """Groups are fixed at the start, so their sizes are the same in both scenarios (one seed,
    the same households) every month, whatever the policy does to jobs."""
    keys = ["replicate", "date", "group"]
    base = pair["no_transition"]["groups"].set_index(keys)[["households", "persons"]]
    policy = pair["as_reported"]["groups"].set_index(keys)[["households", "persons"]]
    pd.testing.assert_frame_equal(base, policy)
    assert (base.xs("workshop_workers", level="group")["households"] > 0).all()


def _run_data(name: str, tables: dict[str, pd.DataFrame]) -> RunData:
    return RunData(folder=SCENARIOS, name=name, meta={"scenario": name},
                   township=tables["township"], villages=tables["villages"],
                   sections=tables["sections"], events=tables["events"],
                   groups=tables["groups"])


def test_the_report_shows_each_groups_change(pair: dict[str, dict[str, pd.DataFrame]]) -> None:
    """By group: the paired change of income per person in 2025, in the model's group order;
    the closures of 2024 leave the workshop workers of 2023 with less (their jobs went), a
    mechanism the panel shows. Older folders without the table still get the other panels."""
    base, policy = (_run_data(n, pair[n]) for n in ("no_transition", "as_reported"))
    changes = group_changes(base, policy, 2025)
    assert changes is not None and tuple(changes["group"]) == GROUPS
    workers = changes.set_index("group").loc["workshop_workers"]
    assert workers["mean"] < 0
    fig = fig_winners([base, policy], Tr("zh"))
    assert fig is not None
    titles = [a.text for a in fig.layout.annotations]
    assert "2025年各类农户人均收入" in titles
    group_bars = [t for t in fig.data if t.xaxis == "x2"]
    assert list(group_bars[0].x) == ["小作坊工人户", "种田户", "旅游村其他户", "其他户"]
    assert np.asarray(group_bars[0].y) == pytest.approx(changes["mean"].to_numpy())
    old = [dataclasses.replace(r, groups=None) for r in (base, policy)]
    assert group_changes(*old, 2025) is None
    older = fig_winners(old, Tr("en"))
    assert older is not None and not [t for t in older.data if t.xaxis == "x2"]


def test_the_note_counts_layoffs_and_who_still_seeks(
        pair: dict[str, dict[str, pd.DataFrame]]) -> None:
    """The note says how many workers the closures laid off (the closure events' counts, mean
    over replicates) and how many people still look for a job at the end of the year."""
    from sim.report.winners import laid_off, seeking_at_end, winners_note

    base, policy = (_run_data(n, pair[n]) for n in ("no_transition", "as_reported"))
    events = pair["as_reported"]["events"]
    details = events.loc[events["kind"] == "closure", "detail"].astype(str)
    expected = details.str.extract(r"; (\d+) workers laid off")[0].astype(int).sum() / 3
    assert laid_off(policy) == expected > 0 and laid_off(base) == 0
    seeking = seeking_at_end(policy, 2025)
    assert seeking is not None and seeking >= 0
    note = winners_note([base, policy], Tr("en"))
    assert f"closures laid off {expected:,.0f} workers" in note


def test_households_better_and_worse_off_and_the_cost_of_each(
        pair: dict[str, dict[str, pd.DataFrame]], tmp_path: Path) -> None:
    """Each household is paired with itself under the base over the whole run: the note counts
    those with ≥ 1 % more and ≥ 1 % less income (means over replicates), and divides the extra
    public spending (present value, from each folder's outcomes) by those better off, with a
    paired interval; a household table whose incomes match the base's gives none better off."""
    from sim.report.winners import household_changes

    base, policy = (_run_data(n, pair[n]) for n in ("no_transition", "as_reported"))
    for name in ("no_transition", "as_reported"):
        folder = tmp_path / name
        folder.mkdir()
        pd.DataFrame({"replicate": [0, 1, 2], "public_spending_npv_yuan": (
            [0.0, 0.0, 0.0] if name == "no_transition" else [9e6, 10e6, 11e6])}).to_parquet(
            folder / "outcomes.parquet")
    base = dataclasses.replace(base, folder=tmp_path / "no_transition",
                               households=pair["no_transition"]["households"])
    policy = dataclasses.replace(policy, folder=tmp_path / "as_reported",
                                 households=pair["as_reported"]["households"])
    found = household_changes(base, policy)
    assert found is not None and found.n == len(pair["as_reported"]["households"]) // 3
    b = pair["no_transition"]["households"].set_index(["replicate", "household"])["income_yuan"]
    p = pair["as_reported"]["households"].set_index(["replicate", "household"])["income_yuan"]
    better = ((p - b) / b >= 0.01).groupby(level="replicate").sum()
    assert found.better == pytest.approx(better.mean()) and found.better > 0
    assert found.cost is not None
    assert found.cost.value == pytest.approx(10e6 / better.mean())
    same = household_changes(base, dataclasses.replace(policy, households=base.households))
    assert same is not None and same.better == same.worse == 0
