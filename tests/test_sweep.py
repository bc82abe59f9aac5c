"""Sweeps and sensitivity: designs, SALib indices against theory, exports, resume, failures."""

from __future__ import annotations

import filecmp
import io
import json
import math
import tarfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from sim.analysis.sensitivity import run_sensitivity
from sim.cli import cli
from sim.errors import GreensimError
from sim.experiments.designs import Factor, build_design, parse_vary
from sim.experiments.executors import RunOutput, RunSpec
from sim.experiments.replicates import RunsFailed
from sim.experiments.sweep import run_sweep

from .conftest import SCENARIOS
from .test_report import _write_run

# Ishigami function, a = 7, b = 0.1: analytic Sobol indices (Ishigami & Homma 1990;
# Saltelli et al. 2008, Global Sensitivity Analysis, §4.9).
ISHIGAMI_S1 = (0.3139, 0.4424, 0.0)
ISHIGAMI_ST = (0.5576, 0.4424, 0.2437)
PI_FACTORS = [Factor(f"x{i}", -math.pi, math.pi) for i in (1, 2, 3)]


@dataclass(frozen=True)
class Ishigami:
    """The Ishigami test function as an experiment evaluator (no model, one outcome)."""

    fail_point: int = -1
    interrupt_after: int = -1

    def __call__(self, spec: RunSpec, seed: int) -> RunOutput:
        if spec.group == f"p{self.fail_point:06d}":
            raise ValueError("bad point")
        if self.interrupt_after >= 0 and int(spec.group[1:]) >= self.interrupt_after:
            raise KeyboardInterrupt  # as if the experiment were killed here
        x = dict(spec.inputs)
        y = (math.sin(x["x1"]) + 7 * math.sin(x["x2"]) ** 2
             + 0.1 * x["x3"] ** 4 * math.sin(x["x1"]))
        return RunOutput(outcomes={"y": y})


def test_sobol_sweep_recovers_ishigami_indices(tmp_path: Path) -> None:
    """A Sobol sweep of the Ishigami function on 2 workers, analysed by SALib, gives its known
    first-order and total indices within 0.06."""
    design = build_design("sobol", PI_FACTORS, samples=1024, seed=11)
    run_sweep(Ishigami(), design, replicates=1, seed=11, out=tmp_path, workers=2,
              batch_size=512)
    table, notes, _ = run_sensitivity(tmp_path)
    assert notes == []
    got = table.set_index("parameter")
    assert got["S1"].to_numpy() == pytest.approx(ISHIGAMI_S1, abs=0.06)
    assert got["ST"].to_numpy() == pytest.approx(ISHIGAMI_ST, abs=0.06)
    assert (got["S1_conf"] > 0).all() and (got["ST_conf"] < 0.15).all()


def test_morris_ranks_ishigami_inputs(tmp_path: Path) -> None:
    """Morris μ* ranks x1 above x3 and gives x3 a large σ (it acts only through x1)."""
    design = build_design("morris", PI_FACTORS, samples=64, seed=2)
    run_sweep(Ishigami(), design, replicates=1, seed=2, out=tmp_path, batch_size=256)
    got = run_sensitivity(tmp_path)[0].set_index("parameter")
    assert got.loc["x1", "mu_star"] > got.loc["x3", "mu_star"] > 0
    assert got.loc["x3", "sigma"] > got.loc["x3", "mu_star"] / 2


def test_design_sizes_and_errors() -> None:
    """Designs have the documented number of points; bad requests are clear errors."""
    two = PI_FACTORS[:2]
    assert build_design("factorial", two, 1, 0, levels=3).points == 9
    assert build_design("lhs", two, 10, 0).points == 10
    assert build_design("sobol", two, 8, 0).points == 8 * (2 + 2)
    assert build_design("sobol", two, 8, 0, second_order=True).points == 8 * (2 * 2 + 2)
    assert build_design("morris", two, 5, 0).points == 5 * (2 + 1)
    with pytest.raises(GreensimError, match="power of two"):
        build_design("sobol", two, 10, 0)
    with pytest.raises(GreensimError, match="no key"):
        parse_vary("river.nope=1:2")
    assert parse_vary("river.velocity_m_s_at_1_m3_s") == Factor("river.velocity_m_s_at_1_m3_s",
                                                                0.1, 0.3)


def test_sweep_resumes_to_the_same_result(tmp_path: Path) -> None:
    """A sweep killed midway and resumed writes the same frames as an uninterrupted one."""
    design = build_design("lhs", PI_FACTORS, samples=20, seed=4)
    run_sweep(Ishigami(), design, replicates=2, seed=4, out=tmp_path / "clean")
    with pytest.raises(KeyboardInterrupt):
        run_sweep(Ishigami(interrupt_after=12), design, replicates=2, seed=4,
                  out=tmp_path / "cut")
    assert not (tmp_path / "cut" / "outcomes.parquet").exists()
    manifest = (tmp_path / "cut" / ".journal" / "manifest.jsonl").read_text().splitlines()
    assert len(manifest) == 24  # points 0-11, 2 replicates each, one batch per run
    run_sweep(Ishigami(), design, replicates=2, seed=4, out=tmp_path / "cut", resume=True)
    for name in ("experiments.parquet", "outcomes.parquet", "ema_results.tar.gz"):
        assert filecmp.cmp(tmp_path / "clean" / name, tmp_path / "cut" / name, shallow=False)


def test_failing_point_is_recorded_and_others_finish(tmp_path: Path) -> None:
    """A design point whose runs raise is recorded with its inputs; all other runs finish."""
    design = build_design("lhs", PI_FACTORS, samples=6, seed=1)
    with pytest.raises(RunsFailed, match="2 of 12"):
        run_sweep(Ishigami(fail_point=3), design, replicates=2, seed=1, out=tmp_path)
    outcomes = pd.read_parquet(tmp_path / "outcomes.parquet")
    assert outcomes["y"].isna().tolist() == [p == 3 for p in outcomes["point"]]
    failures = pd.read_parquet(tmp_path / "failures.parquet")
    assert failures["point"].tolist() == [3, 3] and failures["error"][0] == "ValueError: bad point"
    assert json.loads(failures["inputs"][0])["x1"] == pytest.approx(design.matrix[3, 0])
    with pytest.raises(GreensimError, match="design point"):
        run_sensitivity(tmp_path)


def test_ema_archive_follows_save_results(tmp_path: Path) -> None:
    """ema_results.tar.gz holds metadata.json, experiments.csv and one CSV per scalar outcome,
    the layout ema_workbench.load_results reads (checked with ema_workbench 2.5)."""
    design = build_design("lhs", PI_FACTORS, samples=5, seed=1)
    run_sweep(Ishigami(), design, replicates=2, seed=1, out=tmp_path)
    with tarfile.open(tmp_path / "ema_results.tar.gz", "r:gz") as tar:
        meta = json.loads(tar.extractfile("metadata.json").read())  # type: ignore[union-attr]
        exp = pd.read_csv(tar.extractfile("experiments.csv"))  # type: ignore[arg-type]
        ((kind, name, fname),) = meta["outcomes"]
        y = pd.read_csv(io.BytesIO(tar.extractfile(fname).read()),  # type: ignore[union-attr]
                        header=None).to_numpy().ravel()
    assert (kind, name) == ("ScalarOutcome", "y") and set(meta["experiments"]) == set(exp)
    assert {"x1", "x2", "x3", "scenario", "policy", "model"} <= set(exp.columns)
    assert len(exp) == len(y) == 10
    np.testing.assert_array_equal(y, pd.read_parquet(tmp_path / "outcomes.parquet")["y"])


def test_ema_workbench_loads_the_archive(tmp_path: Path) -> None:
    """ema_workbench's own load_results reads the sweep's archive (a test extra)."""
    import ema_workbench as ema

    design = build_design("lhs", PI_FACTORS, samples=5, seed=1)
    run_sweep(Ishigami(), design, replicates=2, seed=1, out=tmp_path)
    experiments, outcomes = ema.load_results(str(tmp_path / "ema_results.tar.gz"))
    ours = pd.read_parquet(tmp_path / "experiments.parquet")
    y = pd.read_parquet(tmp_path / "outcomes.parquet")["y"].to_numpy()
    assert len(experiments) == 10 and outcomes["y"].shape == (10,)
    for name in ("x1", "x2", "x3"):
        np.testing.assert_allclose(experiments[name].to_numpy(float), ours[name], rtol=1e-12)
    np.testing.assert_allclose(outcomes["y"], y, rtol=1e-12)


def test_model_sweep_and_sensitivity_commands(tmp_path: Path) -> None:
    """`greensim sweep` on the model writes one row per run; `sensitivity` writes the table."""
    out = tmp_path / "sw"
    res = CliRunner().invoke(cli, [
        "sweep", str(SCENARIOS / "as_reported.yaml"), "--vary",
        "levers.shared_facility.build_months=3:18", "--vary", "river.velocity_m_s_at_1_m3_s",
        "--design", "morris", "--samples", "2", "-n", "2", "--until", "2024-12-31", "-j", "1",
        "-q", "--out", str(out)])
    assert res.exit_code == 0, res.output
    exp = pd.read_parquet(out / "experiments.parquet")
    outc = pd.read_parquet(out / "outcomes.parquet")
    assert len(exp) == len(outc) == 2 * 3 * 2
    assert exp["levers.shared_facility.build_months"].between(3, 18).all()
    assert outc["cod_t_per_yr"].notna().all()
    sens = CliRunner().invoke(cli, ["sensitivity", str(out)])
    assert sens.exit_code == 0, sens.output
    table = pd.read_csv(out / "sensitivity.csv")
    cod = table[table["outcome"] == "cod_t_per_yr"].set_index("parameter")
    assert cod.loc["levers.shared_facility.build_months", "mu_star"] > 0
    assert (out / "sensitivity.html").read_text().count("<script") >= 1
    # the main report shows the same indices in its own section
    run_dir = _write_run(tmp_path / "runs" / "as_reported", "as_reported")
    page = tmp_path / "report.html"
    rep = CliRunner().invoke(cli, ["report", str(run_dir), "--sensitivity", str(out),
                                   "--out", str(page)])
    assert rep.exit_code == 0, rep.output
    text = page.read_text(encoding="utf-8")
    assert 'id="en-sec-sensitivity"' in text and 'id="fig-en-sens-0-cod_t_per_yr"' in text
    assert text.count("plotly.js v") == 1 and "Morris elementary effects" in text
    assert "levers.shared_facility.build_months" in text and "mu_star" in text


def test_report_sensitivity_needs_the_indices(tmp_path: Path) -> None:
    """A sweep folder without sensitivity.parquet is a clear error naming it (exit 2), and no
    report is written."""
    sweep = tmp_path / "sw"
    sweep.mkdir()
    (sweep / "sweep.json").write_text(json.dumps({"design": {"kind": "morris"}}))
    run_dir = _write_run(tmp_path / "runs" / "as_reported", "as_reported")
    page = tmp_path / "report.html"
    res = CliRunner().invoke(cli, ["report", str(run_dir), "--sensitivity", str(sweep),
                                   "--out", str(page)])
    assert res.exit_code == 2 and "sensitivity.parquet" in res.output and str(sweep) in res.output
    assert "Traceback" not in res.output and not page.exists()


@pytest.mark.parametrize(("args", "needle"), [
    (["--vary", "river.nope=1:2"], "river.nope"),
    (["--vary", "river.velocity_m_s_at_1_m3_s=5:1"], "LOW must be below HIGH"),
    (["--vary", "river.velocity_m_s_at_1_m3_s=-1:0.5"], "river.velocity_m_s_at_1_m3_s"),
    (["--vary", "river.velocity_m_s_at_1_m3_s", "--design", "sobol", "--samples", "6"],
     "power of two"),
])
def test_bad_sweep_input_exits_2(tmp_path: Path, args: list[str], needle: str) -> None:
    """Bad --vary or design options exit 2 with one message naming the problem."""
    res = CliRunner().invoke(cli, ["sweep", str(SCENARIOS / "as_reported.yaml"), *args,
                                   "-q", "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and needle in res.output and "Traceback" not in res.output


def test_sweep_refuses_years_outside_the_run_before_running(tmp_path: Path) -> None:
    """--years past --until is refused (exit 2, one line with the span), as `compare` does,
    before any run: no outcome is left all NaN and nothing is written."""
    out = tmp_path / "o"
    res = CliRunner().invoke(cli, [
        "sweep", str(SCENARIOS / "as_reported.yaml"), "--vary", "river.velocity_m_s_at_1_m3_s",
        "--samples", "2", "-n", "1", "--until", "2023-03-31", "--years", "2050", "-j", "1",
        "-q", "--out", str(out)])
    assert res.exit_code == 2, res.output
    assert res.output == ("error: --years 2050: the runs cover 2023-01-01 to 2023-03-31; "
                          "expected years within that span (2023) or 'all'\n")
    assert not out.exists()


def test_sweep_says_what_becomes_of_the_journal(tmp_path: Path) -> None:
    """--resume with no journal says it starts afresh; a rerun without --resume says it
    discards the journal's finished runs; a resume says neither."""
    design = build_design("lhs", PI_FACTORS, samples=4, seed=2)
    out = tmp_path / "sw"
    first = run_sweep(Ishigami(), design, replicates=2, seed=2, out=out, resume=True)
    assert first.notes == [f"--resume: no journal to resume in {out}; starting afresh"]
    again = run_sweep(Ishigami(), design, replicates=2, seed=2, out=out)
    assert again.notes == [f"discarded a journal of 8 finished run(s) in {out / '.journal'} "
                           f"(add --resume to keep them)"]
    assert run_sweep(Ishigami(), design, replicates=2, seed=2, out=out, resume=True).notes == []
