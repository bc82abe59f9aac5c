"""Differences over time and the costs table (issue 17, items 2 and 5): policy minus base by
year with its paired 95 % interval, the same numbers `compare` gives, in both languages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from sim.report.cards import card_summary
from sim.report.data import load_run
from sim.report.differences import YEARLY, costs_html, fig_differences, yearly_difference
from sim.report.i18n import Tr

from .test_report import _write_run


@pytest.fixture
def two(tmp_path: Path) -> list:
    return [load_run(_write_run(tmp_path / "no_transition", "no_transition", replicates=4)),
            load_run(_write_run(tmp_path / "as_reported", "as_reported", replicates=4))]


def test_a_yearly_difference_is_paired_by_replicate(two: list) -> None:
    """Each full year's difference is the mean of policy − base over replicates with the paired
    t interval of those differences."""
    base, policy = two
    income = next(s for s in YEARLY if s.key == "income_per_capita_yuan_per_yr")
    diff = yearly_difference(base, policy, income)
    assert diff is not None and len(diff) == 2  # two full years
    def yearly(run) -> pd.Series:
        t = run.township
        return t.groupby([t["replicate"], t["date"].dt.year])["income_per_capita_yuan"].sum()
    d = (yearly(policy) - yearly(base)).xs(int(diff["year"].iloc[0]), level=1).to_numpy()
    half = sps.t.ppf(0.975, d.size - 1) * d.std(ddof=1) / np.sqrt(d.size)
    assert diff["mean"].iloc[0] == pytest.approx(d.mean())
    assert (diff["low"].iloc[0], diff["high"].iloc[0]) == pytest.approx(
        (d.mean() - half, d.mean() + half))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_differences_figure_has_a_band_per_policy(two: list, lang: str) -> None:
    """One panel per quantity both runs hold, each with the mean line and its band."""
    fig = fig_differences(two, {"no_transition": "#000000", "as_reported": "#0072b2"},
                          Tr(lang))
    assert fig is not None
    lines = [t for t in fig.data if t.mode == "lines+markers"]
    assert lines and all(len(t.x) == 2 for t in lines)
    assert fig_differences(two[:1], {"no_transition": "#000000"}, Tr(lang)) is None


def test_the_costs_table_in_both_languages(two: list) -> None:
    """Present value of spending, extra over the base, COD avoided and cost per tonne (or 'not
    defined' when the reduction is not clear), labelled in each language."""
    found = card_summary(two)
    assert found is not None
    en, zh = costs_html(two, found[1], Tr("en")), costs_html(two, found[1], Tr("zh"))
    assert "cost per tonne of COD avoided" in en and "每减少一吨化学需氧量的成本" in zh
    assert en.count("<tr>") == 3 and zh.count("<tr>") == 3


def test_who_wins_and_who_loses_by_village(two: list) -> None:
    """Each village's income change against the base is paired by replicate, its verdict
    follows its interval, and the note counts the villages clearly worse and better off."""
    from sim.report.winners import fig_winners, village_changes, winners_note

    base, policy = two
    year = int(base.township["date"].dt.year.max())
    v = village_changes(base, policy, year)
    assert v is not None and len(v) == base.villages["village"].nunique()
    for _, row in v.iterrows():
        expected = ("better" if row["low"] > 0 else
                    "worse" if row["high"] < 0 else "no clear difference")
        assert row["verdict"] == expected
    worse = int((v["verdict"] == "worse").sum())
    assert f"{worse} of {len(v)} villages clearly worse off" in winners_note(two, Tr("en"))
    assert fig_winners(two, Tr("zh")) is not None and fig_winners(two[:1], Tr("zh")) is None
