"""The command line, through click's CliRunner and as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from sim.cli import cli
from sim.scenario.paramdoc import parameter_table

from .conftest import ROOT, SCENARIOS

NO_T = str(SCENARIOS / "no_transition.yaml")
AS_R = str(SCENARIOS / "as_reported.yaml")


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.parametrize("cmd", ["", "validate", "run", "report", "schema", "params", "bench",
                                 "compare", "sweep", "sensitivity", "outcomes"])
def test_every_command_has_help(runner: CliRunner, cmd: str) -> None:
    """Each command answers --help with a usage line."""
    result = runner.invoke(cli, [*([cmd] if cmd else []), "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


def test_validate_ok_and_bad(runner: CliRunner, tmp_path: Path) -> None:
    """validate says ok for good files and exits 2 with the key path for a bad one."""
    ok = runner.invoke(cli, ["validate", NO_T, AS_R])
    assert ok.exit_code == 0 and ok.output.count("ok:") == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nriver:\n  length_km: -3\n")
    res = runner.invoke(cli, ["validate", str(bad)])
    assert res.exit_code == 2
    assert "river.length_km" in res.output and "greater than 0" in res.output
    assert "Traceback" not in res.output


def test_run_then_report(runner: CliRunner, tmp_path: Path) -> None:
    """run writes one folder per scenario; report builds one offline HTML from them."""
    out = tmp_path / "out"
    res = runner.invoke(cli, ["run", NO_T, AS_R, "--until", "2024-12-31", "--replicates", "2",
                              "--workers", "1", "--out", str(out), "--quiet", "--seed", "3"])
    assert res.exit_code == 0, res.output
    assert f"wrote {out / 'as_reported'}" in res.output
    tw = pd.read_parquet(out / "as_reported" / "township.parquet")
    assert len(tw) == 2 * 24 and set(tw["replicate"]) == {0, 1}
    rep = runner.invoke(cli, ["report", str(out / "no_transition"), str(out / "as_reported"),
                              "--out", str(out / "r.html")])
    assert rep.exit_code == 0, rep.output
    html = (out / "r.html").read_text()
    assert "as_reported" in html and 'src="http' not in html


def test_progress_bar_counts_runs_unless_quiet(runner: CliRunner, tmp_path: Path) -> None:
    """Long work shows a progress bar on stderr with the runs done of the total and an ETA;
    --quiet leaves stderr empty."""
    args = ["run", AS_R, "--until", "2023-06-30", "--replicates", "3", "--workers", "1"]
    res = runner.invoke(cli, [*args, "--out", str(tmp_path / "a")])
    assert res.exit_code == 0, res.output
    assert "3/3" in res.stderr and "run" in res.stderr and "<" in res.stderr  # count, ETA
    quiet = runner.invoke(cli, [*args, "--out", str(tmp_path / "b"), "--quiet"])
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stderr == ""


def test_run_with_set_override(runner: CliRunner, tmp_path: Path) -> None:
    """--set changes the scenario that runs and is recorded in run.json."""
    res = runner.invoke(cli, ["run", AS_R, "--until", "2024-06-30", "-n", "1", "-j", "1", "-q",
                              "--out", str(tmp_path), "--set", "levers.closures.date=2024-05-01"])
    assert res.exit_code == 0, res.output
    meta = json.loads((tmp_path / "as_reported" / "run.json").read_text())
    assert meta["resolved_scenario"]["levers"]["closures"]["date"] == "2024-05-01"


@pytest.mark.parametrize(("args", "needle"), [
    (["--until", "2023-02-30"], "2023-02-30"),
    (["--set", "river.velocity_m_s_at_1_m3_s=-1"], "river.velocity_m_s_at_1_m3_s"),
    (["--set", "nokey"], "key.path=value"),
])
def test_bad_run_input_writes_nothing(runner: CliRunner, tmp_path: Path, args: list[str],
                                      needle: str) -> None:
    """Bad options exit 2 with one clear message and leave the output folder untouched."""
    out = tmp_path / "out"
    res = runner.invoke(cli, ["run", AS_R, "-n", "1", "-j", "1", "-q", "--out", str(out), *args])
    assert res.exit_code == 2 and needle in res.output and "Traceback" not in res.output
    assert not out.exists()


def test_missing_scenario_file(runner: CliRunner, tmp_path: Path) -> None:
    """A missing scenario file exits 2 naming it."""
    res = runner.invoke(cli, ["run", str(tmp_path / "nope.yaml"), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and "nope.yaml" in res.output and "not found" in res.output


def test_report_of_missing_folder(runner: CliRunner, tmp_path: Path) -> None:
    """report on a folder without tables exits 2 naming the folder."""
    (tmp_path / "empty").mkdir()
    res = runner.invoke(cli, ["report", str(tmp_path / "empty"), "--out", str(tmp_path / "r.html")])
    assert res.exit_code == 2 and "empty" in res.output
    assert not (tmp_path / "r.html").exists()


def test_schema_is_json_with_sources(runner: CliRunner) -> None:
    """schema prints a JSON Schema whose parameters carry their sources."""
    res = runner.invoke(cli, ["schema"])
    doc = json.loads(res.output)
    assert doc["title"] == "greensim scenario" and "levers" in doc["properties"]
    assert "x-source" in res.output


def test_docs_parameter_table_is_current() -> None:
    """docs/parameters.md is exactly what `greensim params` prints (regenerate if this fails)."""
    assert (ROOT / "docs" / "parameters.md").read_text(encoding="utf-8") == parameter_table()


def test_real_subprocess(tmp_path: Path) -> None:
    """`python -m sim` works as a real process: a tiny run, and a bad file gives exit 2."""
    env_cmd = [sys.executable, "-m", "sim"]
    ok = subprocess.run([*env_cmd, "run", AS_R, "--until", "2023-06-30", "-n", "2", "-j", "2",
                         "--out", str(tmp_path / "o")], capture_output=True, text=True,
                        timeout=300)
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "o" / "as_reported" / "sections.parquet").exists()
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nlevers: [1, 2\n")
    res = subprocess.run([*env_cmd, "validate", str(bad)], capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 2 and "YAML syntax error" in res.stderr
    assert "Traceback" not in res.stderr


def test_outcomes_lists_the_registry(runner: CliRunner) -> None:
    """`greensim outcomes` lists every registered outcome with unit and direction."""
    from sim.analysis.outcomes import OUTCOMES, RATIOS

    res = runner.invoke(cli, ["outcomes"])
    assert res.exit_code == 0
    for name in [*OUTCOMES, *RATIOS]:
        assert name in res.output
    assert "minimise" in res.output and "maximise" in res.output


def test_run_with_precision_reports_it(runner: CliRunner, tmp_path: Path) -> None:
    """run --precision says how many replicates reached it, or warns when the cap is hit."""
    res = runner.invoke(cli, ["run", AS_R, "--until", "2023-03-31", "-n", "2", "-j", "1", "-q",
                              "--precision", "0.2", "--out", str(tmp_path / "a")])
    assert res.exit_code == 0, res.output
    assert "precision reached" in res.output
    cap = runner.invoke(cli, ["run", AS_R, "--until", "2023-03-31", "-n", "2", "-j", "1", "-q",
                              "--precision", "0.00001", "--max-replicates", "3",
                              "--out", str(tmp_path / "b")])
    assert cap.exit_code == 0 and "warning: replicate cap hit" in cap.output


def test_resume_of_a_different_experiment_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    """--resume into a journal of another experiment (other seed) exits 2 and says why."""
    from sim.experiments.journal import Journal
    from sim.experiments.replicates import JOURNAL
    from sim.files import claim_folder

    claim_folder(tmp_path, "runs")  # a folder of greensim's, with another experiment's journal
    Journal(tmp_path / JOURNAL).start({"kind": "scenarios", "seed": 1}, resume=False)
    res = runner.invoke(cli, ["run", AS_R, "--until", "2023-03-31", "-n", "1", "-j", "1", "-q",
                              "--resume", "--out", str(tmp_path)])
    assert res.exit_code == 2 and "--resume" in res.output and "differ" in res.output


def test_run_with_a_tiny_precision_stops_at_the_cap(runner: CliRunner, tmp_path: Path) -> None:
    """--precision 1e-300 cannot be reached: the run stops at --max-replicates with a warning,
    not a traceback."""
    res = runner.invoke(cli, ["run", NO_T, "--until", "2023-03-31", "-n", "2", "-j", "1", "-q",
                              "--precision", "1e-300", "--max-replicates", "3",
                              "--out", str(tmp_path / "p")])
    assert res.exit_code == 0, res.output
    assert "warning: replicate cap hit: stopped at --max-replicates 3" in res.stderr
    assert "Traceback" not in res.output


def test_report_hint_is_shell_quoted(runner: CliRunner, tmp_path: Path) -> None:
    """The `report:` line `run` prints can be pasted into a shell, spaces in paths and all."""
    import shlex

    out = tmp_path / "my runs"
    res = runner.invoke(cli, ["run", AS_R, NO_T, "--until", "2023-03-31", "-n", "1", "-j", "1",
                              "-q", "--out", str(out)])
    assert res.exit_code == 0, res.output
    hint = next(line for line in res.stdout.splitlines() if line.startswith("report: "))
    assert shlex.split(hint.removeprefix("report: ")) == [
        "greensim", "report", str(out / "as_reported"), str(out / "no_transition"), "--out",
        str(out / "report.html")]
