"""Caveats on sensitivity indices outside 0–1 (issue 17): Sobol S1/ST and the delta method's
delta/S1 are shares of variance (or a distance) in [0, 1], but their estimates and bootstrap CIs
leave it from sampling error with few samples; Morris μ* is in the outcome's units."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from sim.analysis.sensitivity import figure_page, index_caveats
from sim.cli import cli
from sim.experiments.designs import Factor, build_design
from sim.experiments.executors import RunOutput, RunSpec
from sim.experiments.sweep import run_sweep

SOBOL = "Sobol (Saltelli/Jansen)"


def _sobol(rows: list[tuple[str, str, float, float, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["outcome", "parameter", "S1", "S1_conf", "ST",
                                       "ST_conf"]).assign(method=SOBOL)


def test_negative_index_gets_a_caveat() -> None:
    """An S1 below 0 is read as about 0, with its CI and the remedy (more samples)."""
    table = _sobol([("visits_per_yr", "levers.x", -0.12, 0.18, 0.4, 0.1)])
    assert index_caveats(table) == [
        "S1 of levers.x for visits_per_yr is −0.12 (CI −0.30 to 0.06): below 0 only from "
        "sampling error; read it as about 0, and use more samples (--samples) to narrow it"]


def test_index_above_one_and_cis_crossing_the_bounds() -> None:
    """An ST above 1, and CIs reaching past 0 or 1 around an estimate inside, each get one
    caveat; indices whose CI lies within 0–1 get none."""
    table = _sobol([("cod_t_per_yr", "a", 0.5, 0.1, 1.08, 0.13),
                    ("cod_t_per_yr", "b", 0.02, 0.05, 0.95, 0.1),
                    ("cod_t_per_yr", "c", 0.3, 0.1, 0.4, 0.1)])
    assert index_caveats(table) == [
        "ST of a for cod_t_per_yr is 1.08 (CI 0.95 to 1.21): above 1 only from sampling error "
        "(an index is at most 1); read it as about 1, and use more samples (--samples) to "
        "narrow it",
        "S1 of b for cod_t_per_yr is 0.02, but its CI (−0.03 to 0.07) reaches below 0 only "
        "from sampling error; read its lower end as 0, and use more samples (--samples) to "
        "narrow it",
        "ST of b for cod_t_per_yr is 0.95, but its CI (0.85 to 1.05) reaches above 1 only "
        "from sampling error; read its upper end as 1, and use more samples (--samples) to "
        "narrow it"]


def test_delta_method_indices_are_checked_and_morris_is_not() -> None:
    """delta and S1 of the delta method are checked; Morris μ*, σ and μ (in the outcome's
    units, unbounded) never get a caveat; a missing CI is left out of the sentence."""
    delta = pd.DataFrame({"outcome": ["y"], "parameter": ["p"], "delta": [1.01],
                          "delta_conf": [math.nan], "S1": [-0.004], "S1_conf": [0.001],
                          "method": ["delta moment-independent (Borgonovo)"]})
    assert index_caveats(delta) == [
        "delta of p for y is 1.01: above 1 only from sampling error (an index is at most 1); "
        "read it as about 1, and use more samples (--samples) to narrow it",
        "S1 of p for y is −0.004 (CI −0.005 to −0.003): below 0 only from sampling error; "
        "read it as about 0, and use more samples (--samples) to narrow it"]
    morris = pd.DataFrame({"outcome": ["y"], "parameter": ["p"], "mu_star": [250.0],
                           "mu_star_conf": [300.0], "sigma": [2.5], "mu": [-250.0],
                           "method": ["Morris elementary effects"]})
    assert index_caveats(morris) == [] and index_caveats(morris.iloc[:0]) == []


def test_the_sensitivity_page_shows_caveats_escaped() -> None:
    """sensitivity.html lists the caveats under the charts, as escaped text."""
    table = _sobol([("y", "<b>p</b>", -0.2, 0.1, 0.3, 0.1)])
    text = figure_page(table, "Sensitivity")
    assert "<b>p</b>" not in text and "S1 of &lt;b&gt;p&lt;/b&gt; for y is −0.20" in text
    assert text.index("sens-y") < text.index("below 0 only from sampling error")
    assert "sampling error" not in figure_page(_sobol([("y", "p", 0.3, 0.1, 0.4, 0.1)]), "S")


@dataclass(frozen=True)
class Ishigami:
    """The Ishigami function (a = 7, b = 0.1) as an evaluator: no model, one outcome y."""

    def __call__(self, spec: RunSpec, seed: int) -> RunOutput:
        x = dict(spec.inputs)
        return RunOutput(outcomes={"y": math.sin(x["x1"]) + 7 * math.sin(x["x2"]) ** 2
                                   + 0.1 * x["x3"] ** 4 * math.sin(x["x1"])})


def test_sensitivity_command_prints_caveats(tmp_path: Path) -> None:
    """`greensim sensitivity` on a Sobol sweep of 8 base samples (wide CIs) prints a `note:`
    line per index outside 0–1 and writes them into sensitivity.html."""
    factors = [Factor(f"x{i}", -math.pi, math.pi) for i in (1, 2, 3)]
    run_sweep(Ishigami(), build_design("sobol", factors, samples=8, seed=3), replicates=1,
              seed=3, out=tmp_path, workers=1)
    res = CliRunner().invoke(cli, ["sensitivity", str(tmp_path)])
    assert res.exit_code == 0, res.output
    table = pd.read_parquet(tmp_path / "sensitivity.parquet")
    caveats = index_caveats(table)
    assert caveats and all(f"note: {c}" in res.output for c in caveats)
    assert "use more samples (--samples)" in res.output
    page = (tmp_path / "sensitivity.html").read_text(encoding="utf-8")
    assert all(c in page for c in caveats)


def test_the_report_words_the_caveats_in_each_language() -> None:
    """The report says each caveat in its page's language, with the outcome's name in words:
    the same cases as `index_caveats` (an estimate below 0 or above 1, a CI reaching past an
    end), and no English left on the Chinese page but the index and the parameter's key."""
    from sim.analysis.sensitivity import caveat_records
    from sim.report.i18n import Tr
    from sim.report.page import _caveat_text

    table = _sobol([("cod_t_per_yr", "levers.x", -0.12, 0.18, 1.08, 0.13),
                    ("cod_t_per_yr", "levers.y", 0.02, 0.05, 0.95, 0.1)])
    records = caveat_records(table)
    assert [(c.index, c.parameter, c.estimate_outside, c.ends_outside) for c in records] == [
        ("S1", "levers.x", "below", ("low",)), ("ST", "levers.x", "above", ("high",)),
        ("S1", "levers.y", None, ("low",)), ("ST", "levers.y", None, ("high",))]
    en = [_caveat_text(c, Tr("en")) for c in records]
    assert en[0] == ("S1 of levers.x for COD reaching the river is −0.12 (CI −0.30 to 0.06): "
                     "below 0 only from sampling error; read it as about 0, and use more "
                     "samples (--samples) to narrow it")
    zh = [_caveat_text(c, Tr("zh")) for c in records]
    assert zh[0] == ("levers.x 对化学需氧量入河量的 S1 为 −0.12（区间 −0.30至0.06）：低于0只是"
                     "抽样误差所致，可读作约为0；增加样本量（--samples）可使其收窄")
    assert "上限读作1" in zh[3] and "高于1只是抽样误差所致" in zh[1]
    leftover = [re.sub(r"levers\.\w+|S1|ST|--samples", "", z) for z in zh]
    assert not any(re.search(r"[A-Za-z]{2,}", z) for z in leftover), leftover
