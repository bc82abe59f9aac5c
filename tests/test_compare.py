"""Confidence intervals and paired comparisons: theory checks and the compare command."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import sim.analysis.compare as compare
from sim.analysis.compare import compare_folders, iter_replicates
from sim.analysis.outcomes import Period
from sim.analysis.stats import mean_ci, paired_ci, welch_ci
from sim.cli import cli
from sim.errors import GreensimError
from sim.experiments.replicates import run_scenarios

from .conftest import SCENARIOS, bundled


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("runs")
    scenarios = [bundled("no_transition", "2024-12-31"), bundled("as_reported", "2024-12-31")]
    return run_scenarios(scenarios, replicates=6, seed=5, workers=2, out=out).folders


def test_half_width_shrinks_as_one_over_root_n() -> None:
    """The mean CI half-width quarters from n = 25 to 400 and halves from 100 to 400 (±5 %)."""
    rng = np.random.Generator(np.random.PCG64(1))

    def mean_hw(n: int) -> float:
        return float(np.mean([mean_ci(rng.normal(10, 3, n)).half_width for _ in range(400)]))

    hw25, hw100, hw400 = mean_hw(25), mean_hw(100), mean_hw(400)
    assert hw25 / hw400 == pytest.approx(4.0 * 2.064 / 1.966, rel=0.05)  # t(24) vs t(399)
    assert hw100 / hw400 == pytest.approx(2.0 * 1.984 / 1.966, rel=0.05)
    assert hw400 == pytest.approx(1.966 * 3 / 20, rel=0.05)


def test_model_half_width_shrinks_with_replicates(two_runs: list[Path]) -> None:
    """On model outputs too, 6 replicates give a narrower interval than the first 3 (~1/√n)."""
    out = compare.replicate_outcomes(two_runs[0], [Period()], 0.035)["cod_t_per_yr"]
    ratio = mean_ci(out[:3]).half_width / mean_ci(out).half_width
    assert 1.2 < ratio < 6.0  # √2·t(2)/t(5) ≈ 2.5; sample sds vary


def test_paired_differences_are_narrower_under_crn(two_runs: list[Path]) -> None:
    """Under common random numbers the paired difference's CI is narrower than the unpaired
    (Welch) one computed on the same runs, for the key outcomes."""
    summary = compare_folders(two_runs, [Period()], 0.035)
    policy = summary[(summary["role"] == "policy") & summary["paired"].astype(bool)]
    policy = policy.set_index("outcome")
    for name in ("cod_t_per_yr", "income_per_capita_yuan_per_yr", "target_share"):
        assert policy.loc[name, "diff_half_width"] < policy.loc[name, "unpaired_half_width"]
    assert policy.loc["cod_t_per_yr", "verdict"] == "better"


def test_paired_and_welch_intervals_on_known_data() -> None:
    """Paired CI uses pair differences; Welch ignores pairing, so shared noise widens it."""
    rng = np.random.Generator(np.random.PCG64(3))
    common = rng.normal(0, 10, 50)
    a, b = common + 1.0 + rng.normal(0, 0.1, 50), common + rng.normal(0, 0.1, 50)
    p, w = paired_ci(a, b), welch_ci(a, b)
    assert p.mean == pytest.approx(w.mean) and p.mean == pytest.approx(1.0, abs=0.1)
    assert p.half_width < w.half_width / 20


def test_cost_per_tonne_is_extra_spending_over_cod_avoided(two_runs: list[Path]) -> None:
    """cost_per_t_cod_avoided = mean Δ spending NPV / mean COD avoided, over paired replicates."""
    summary = compare_folders(two_runs, [Period()], 0.035)
    per = {f.name: compare.replicate_outcomes(f, [Period()], 0.035) for f in two_runs}
    base, pol = per["no_transition"], per["as_reported"]
    expected = ((pol["public_spending_npv_yuan"] - base["public_spending_npv_yuan"]).mean()
                / (base["cod_t_cumulative"] - pol["cod_t_cumulative"]).mean())
    row = summary[summary["outcome"] == "cost_per_t_cod_avoided"].iloc[0]
    assert row["mean"] == pytest.approx(expected) and row["ci_low"] < expected < row["ci_high"]


def test_streamed_replicates_equal_whole_tables(two_runs: list[Path],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading a folder replicate by replicate in small blocks gives each replicate's rows."""
    monkeypatch.setattr(compare, "READ_ROWS", 7)
    folder = two_runs[1]
    whole = {t: pd.read_parquet(folder / f"{t}.parquet") for t in compare.TABLES}
    seen = []
    for r, tables in iter_replicates(folder):
        seen.append(r)
        for t, frame in tables.items():
            expected = whole[t][whole[t]["replicate"] == r].reset_index(drop=True)
            pd.testing.assert_frame_equal(frame, expected, check_exact=True)
    assert seen == list(range(6))


def test_compare_command_runs_files_and_writes_summary(tmp_path: Path) -> None:
    """`greensim compare BASE POLICY` runs both, prints the table, writes summary.csv/.parquet."""
    out = tmp_path / "cmp"
    res = CliRunner().invoke(cli, [
        "compare", str(SCENARIOS / "no_transition.yaml"), str(SCENARIOS / "as_reported.yaml"),
        "--until", "2024-06-30", "-n", "3", "-j", "1", "-q", "--out", str(out),
        "--years", "all", "--years", "2024"])
    assert res.exit_code == 0, res.output
    assert "as_reported − no_transition" in res.output and "years: 2024" in res.output
    csv = pd.read_csv(out / "summary.csv")
    assert set(csv["period"].astype(str)) == {"all", "2024"}
    assert set(csv["scenario"]) == {"no_transition", "as_reported"}
    pq = pd.read_parquet(out / "summary.parquet")
    assert len(pq) == len(csv) and (out / "as_reported" / "township.parquet").exists()
    again = CliRunner().invoke(cli, ["compare", str(out / "no_transition"),
                                     str(out / "as_reported"), "--out", str(tmp_path / "c2")])
    assert again.exit_code == 0, again.output
    assert "years: all" in again.output


@pytest.mark.parametrize(("years", "needle"), [
    ("2030", "--years 2030: the runs cover 2023-01-01 to 2024-12-31; expected years within "
             "that span"),
    ("2020-2021", "--years 2020-2021: the runs cover 2023-01-01 to 2024-12-31; expected years "
                  "within that span"),
    ("2024-2030", "--years 2024-2030: the runs cover 2023-01-01 to 2024-12-31, so 2025-2030 "
                  "would be missing and outcomes per year would be averaged over 1 of the 7 "
                  "years asked; expected years within that span"),
    ("2021-2023", "--years 2021-2023: the runs cover 2023-01-01 to 2024-12-31, so 2021-2022"),
], ids=["after", "before", "partly-after", "partly-before"])
def test_compare_refuses_years_outside_the_runs(two_runs: list[Path], tmp_path: Path,
                                                years: str, needle: str) -> None:
    """--years wholly or partly outside the runs' span exits 2 with one line naming the
    option, the period asked and the span; nothing is written; `all` still works."""
    out = tmp_path / "c"
    res = CliRunner().invoke(cli, ["compare", *map(str, two_runs), "--years", "all",
                                   "--years", years, "--out", str(out)])
    assert res.exit_code == 2, res.output
    assert needle in res.output and "Traceback" not in res.output
    assert len(res.output.strip().splitlines()) == 1 and not out.exists()


def test_compare_folders_refuses_years_outside_the_runs(two_runs: list[Path]) -> None:
    """The library call checks the period too (GreensimError), before reading any table."""
    with pytest.raises(GreensimError, match=r"--years 2030: the runs cover 2023-01-01 to "
                                            r"2024-12-31"):
        compare_folders(two_runs, [Period(2030, 2030)], 0.035)
    summary = compare_folders(two_runs, [Period(), Period(2023, 2024)], 0.035)
    assert set(summary["period"]) == {"all", "2023-2024"}


def test_compare_span_from_the_tables_without_run_json_dates(two_runs: list[Path],
                                                             tmp_path: Path) -> None:
    """A run folder whose run.json lacks start/until takes its span from its tables' dates."""
    import json
    import shutil

    folder = tmp_path / "old"
    shutil.copytree(two_runs[0], folder)
    meta = json.loads((folder / "run.json").read_text())
    del meta["start"], meta["until"]
    (folder / "run.json").write_text(json.dumps(meta))
    with pytest.raises(GreensimError, match=r"--years 2026: the runs cover 2023-01-.. to "
                                            r"2024-12-.. \(dates in the tables\)"):
        compare_folders([folder], [Period(2026, 2026)], 0.035)


def test_compare_refuses_years_before_running_files(tmp_path: Path) -> None:
    """With scenario files, a --years past --until is refused before anything runs."""
    out = tmp_path / "cmp"
    res = CliRunner().invoke(cli, [
        "compare", str(SCENARIOS / "no_transition.yaml"), str(SCENARIOS / "as_reported.yaml"),
        "--until", "2024-06-30", "-n", "2", "-j", "1", "-q", "--out", str(out),
        "--years", "2030"])
    assert res.exit_code == 2, res.output
    assert "--years 2030: the runs cover 2023-01-01 to 2024-06-30" in res.output
    assert not out.exists()


@pytest.fixture(scope="module")
def shorter_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """as_reported with two_runs' seed, over Q1 2023 and over 2023, with 3 replicates."""
    out = tmp_path_factory.mktemp("shorter")
    q1 = run_scenarios([bundled("as_reported", "2023-03-31")], replicates=3, seed=5,
                       workers=1, out=out / "q1").folders[0]
    year = run_scenarios([bundled("as_reported", "2023-12-31")], replicates=3, seed=5,
                         workers=1, out=out / "year").folders[0]
    return {"q1": q1, "year": year}


def test_compare_refuses_all_over_runs_of_different_spans(
        two_runs: list[Path], shorter_runs: dict[str, Path], tmp_path: Path) -> None:
    """Runs ending on different days are not compared over `all` (nor over a year one covers
    in part): exit 2, one line naming both spans; nothing is written."""
    out = tmp_path / "c"
    res = CliRunner().invoke(cli, ["compare", str(two_runs[0]), str(shorter_runs["q1"]),
                                   "--out", str(out)])
    assert res.exit_code == 2, res.output
    assert ("--years all: the runs cover different spans (no_transition: 2023-01-01 to "
            "2024-12-31; as_reported: 2023-01-01 to 2023-03-31), so their outcomes are not "
            "like for like; no year is covered alike by every run") in res.output
    assert len(res.output.strip().splitlines()) == 1 and not out.exists()
    part = CliRunner().invoke(cli, ["compare", str(two_runs[0]), str(shorter_runs["q1"]),
                                    "--years", "2023", "--out", str(out)])
    assert part.exit_code == 2 and "--years 2023: the runs cover different days of 2023" in \
        part.output and not out.exists()
    hint = CliRunner().invoke(cli, ["compare", str(two_runs[0]), str(shorter_runs["year"]),
                                    "--out", str(out)])
    assert hint.exit_code == 2 and "expected years every run covers alike (2023)" in hint.output


def test_compare_pairs_over_a_year_both_runs_cover(two_runs: list[Path],
                                                  shorter_runs: dict[str, Path]) -> None:
    """A year both runs cover in full is compared, paired by replicate: with the same seed and
    start, replicate k's draws up to that year are the same (its outcomes are equal)."""
    period = [Period(2023, 2023)]
    long = compare.replicate_outcomes(two_runs[1], period, 0.035).iloc[:3]
    short = compare.replicate_outcomes(shorter_runs["year"], period, 0.035)
    pd.testing.assert_frame_equal(long, short)
    summary = compare_folders([two_runs[0], shorter_runs["year"]], period, 0.035)
    row = summary[(summary["role"] == "policy")
                  & (summary["outcome"] == "cod_t_per_yr")].iloc[0]
    assert row["paired"] and row["pairing"] == "paired by replicate (the 3 replicates in common)"
    base = compare.replicate_outcomes(two_runs[0], period, 0.035).iloc[:3]
    diff = short["cod_t_per_yr"].to_numpy() - base["cod_t_per_yr"].to_numpy()
    assert row["diff_mean"] == pytest.approx(diff.mean())
    assert ("years: 2023 (mean [95 % CI]; as_reported − no_transition: paired by replicate "
            "(the 3 replicates in common))") in compare.format_summary(summary)


def test_summary_says_how_each_policy_was_paired() -> None:
    """The table's header says, per policy, whether its differences were paired: not with a
    different seed or start date (its streams differ), nor for days the runs cover apart."""
    rng = np.random.Generator(np.random.PCG64(2))

    def frame(shift: float) -> pd.DataFrame:
        return pd.DataFrame({"replicate": range(5), "period": "2024",
                             "cod_t_per_yr": 100 + shift + rng.normal(0, 1, 5)})

    span = compare.Span(date(2023, 1, 1), date(2024, 12, 31))
    later = compare.Span(date(2024, 1, 1), date(2024, 12, 31))
    runs = [("base", 1, frame(0)), ("same", 1, frame(-5)), ("other_seed", 2, frame(-5)),
            ("later", 1, frame(-5))]
    summary = compare.summarize(runs, [span, span, span, later])
    how = summary[summary["role"] == "policy"].groupby("scenario", sort=False)["pairing"].first()
    assert how.to_dict() == {"same": "paired by replicate",
                             "other_seed": "unpaired (Welch): different seeds",
                             "later": "unpaired (Welch): different start dates"}
    text = compare.format_summary(summary)
    assert text.splitlines()[0] == (
        "years: 2024 (mean [95 % CI]; same − base: paired by replicate; other_seed − base: "
        "unpaired (Welch): different seeds; later − base: unpaired (Welch): different start "
        "dates)")
    assert "differences paired by replicate" not in text
