"""`greensim calibrate`: tuned parameters stay in their ranges, targets are measured as declared,
the search recovers a known value, and the command fails cleanly on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from sim.analysis.targets import TARGETS_FILE, Target, load_targets, per_replicate
from sim.cli import cli
from sim.errors import ScenarioError
from sim.experiments.calibrate import build_problem, calibrate
from sim.experiments.calibrate_out import BEGIN, END, docs_section, write_docs_section
from sim.experiments.draws import current_value
from sim.scenario.load import load_scenario
from sim.scenario.schema import Scenario
from sim.scenario.tuned import tuned_parameters

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted((ROOT / "scenarios").glob("*.yaml"))
TRUE_BASE_VISITS = 30_000.0


def outside_range(scenario: Scenario) -> list[str]:
    """The tuned parameters whose value in `scenario` lies outside their plausible range."""
    data = scenario.model_dump(mode="json")
    bad = []
    for p in tuned_parameters():
        try:
            value = float(current_value(data, p.path))
        except KeyError:  # an optional section (a lever) the scenario does not use
            continue
        if not p.inside(value):
            bad.append(f"{scenario.name}: {p.path} = {value:g} outside {p.low:g}–{p.high:g}")
    return bad


# ----------------------------------------------------------------------------- ranges
def test_every_tuned_default_lies_inside_its_range() -> None:
    """Every tag-C parameter of every section (levers included) has a default in its range."""
    tuned = tuned_parameters()
    assert tuned, "the schema declares no tuned parameter"
    assert any(p.path.startswith("levers.") for p in tuned)  # optional sections are walked
    bad = [f"{p.path} = {p.default:g} outside {p.low:g}–{p.high:g}"
           for p in tuned if not p.inside(p.default)]
    assert not bad, bad


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_bundled_scenarios_keep_tuned_values_in_range(path: Path) -> None:
    assert not outside_range(load_scenario(path))


def test_the_range_check_catches_a_value_outside() -> None:
    """The check is real: a scenario with a tuned value past its range is caught."""
    s = load_scenario(ROOT / "scenarios/as_reported.yaml",
                      ["river.catchment_area_km2=150",
                       "levers.coculture.training_places_per_village_year=70"])
    found = outside_range(s)
    assert len(found) == 2 and "catchment_area_km2 = 150" in found[0]


# ----------------------------------------------------------------------------- targets
def test_bundled_targets_load_and_inform_only_tuned_parameters() -> None:
    targets = load_targets(TARGETS_FILE, [p.path for p in tuned_parameters()])
    assert {t.scenario for t in targets} == {"as_reported", "no_transition"}
    assert all(t.text["en"] and t.text["zh"] for t in targets)


def _target(**kw: object) -> Target:
    base = {"id": "t", "text": {"en": "e", "zh": "中"}, "source": "s", "scenario": "x",
            "table": "township", "start": "2023-01-01", "end": "2024-02-29",
            "indicator": "v", "value": 1.0, "tolerance": 1.0}
    return Target.model_validate({**base, **kw})


def test_statistics_per_replicate() -> None:
    dates = pd.to_datetime(["2023-01-01", "2023-02-01", "2024-01-01", "2024-02-01"] * 2)
    frame = pd.DataFrame({"date": dates, "replicate": [0] * 4 + [1] * 4,
                          "v": [1.0, 2.0, 3.0, 4.0, 0.0, 0.0, 0.0, 5.0]})
    assert per_replicate(_target(statistic="sum"), frame).tolist() == [10.0, 5.0]
    assert per_replicate(_target(statistic="mean", months=[2]), frame).tolist() == [3.0, 2.5]
    share = _target(statistic="share", op=">", compare_to=0)
    assert per_replicate(share, frame).tolist() == [1.0, 0.25]
    assert per_replicate(_target(statistic="all", op=">", compare_to=0), frame).tolist() == [1, 0]
    years = _target(statistic="years_any", op=">", compare_to=0)
    assert per_replicate(years, frame).tolist() == [1.0, 0.5]


def test_bounds_and_distance() -> None:
    eq = _target(statistic="sum", value=100, tolerance=10)
    assert eq.met(109) and not eq.met(111) and eq.distance(120) == 2.0
    least = _target(statistic="sum", value=0.98, tolerance=0.01, bound="at_least")
    assert least.distance(0.99) == 0.0 and least.distance(0.96) == pytest.approx(-2.0)
    assert least.met(0.98) and not least.met(0.97)


# ----------------------------------------------------------------------------- the search
def _synthetic(tmp_path: Path, value: float, tolerance: float) -> Path:
    """A targets file: visits in Q1 2023 of no_transition, informing base visits only."""
    body = {"targets": [{
        "id": "visits_q1_2023", "text": {"en": "visits Q1 2023", "zh": "2023年一季度游客"},
        "source": "a run at a known value", "scenario": "no_transition", "table": "township",
        "start": "2023-01-01", "end": "2023-03-31", "indicator": "visits", "statistic": "sum",
        "value": value, "tolerance": tolerance,
        "informs": ["tourism.base_visits_per_year"]}]}
    path = tmp_path / "targets.yaml"
    path.write_text(yaml.safe_dump(body, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def known(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    """The targets file set from runs at base visits 30,000 (3 replicates, Q1 2023)."""
    tmp = tmp_path_factory.mktemp("known")
    scenario = load_scenario(ROOT / "scenarios/no_transition.yaml",
                             [f"tourism.base_visits_per_year={TRUE_BASE_VISITS}"])
    probe = _synthetic(tmp, 1.0, 1.0)
    problem = build_problem([scenario], load_targets(probe), replicates=3, seed=7)
    observed = calibrate(problem, max_evaluations=1).start.results["visits_q1_2023"].mean
    return _synthetic(tmp, observed, 0.02 * observed), observed


def test_calibration_recovers_a_known_value(known: tuple[Path, float]) -> None:
    """Targets made at base visits 30,000; from the default 21,000 the search comes back to
    30,000 within a few %, inside the range, and meets the target."""
    path, observed = known
    scenario = load_scenario(ROOT / "scenarios/no_transition.yaml")
    assert current_value(scenario, "tourism.base_visits_per_year") == 21_000
    problem = build_problem([scenario], load_targets(path), replicates=3, seed=7,
                            only=["tourism.base_visits_per_year"])
    result = calibrate(problem, max_evaluations=14)
    fitted = result.best.values["tourism.base_visits_per_year"]
    assert result.start.objective > 4  # the default misses the target by far
    assert fitted == pytest.approx(TRUE_BASE_VISITS, rel=0.04)
    assert result.best.results["visits_q1_2023"].met
    assert len(result.evaluations) <= 14


def test_a_target_on_a_scenario_not_given_is_an_error(known: tuple[Path, float]) -> None:
    scenario = load_scenario(ROOT / "scenarios/as_reported.yaml")
    with pytest.raises(ScenarioError, match="visits_q1_2023: scenario 'no_transition' is not"):
        build_problem([scenario], load_targets(known[0]), replicates=2, seed=1)


# ----------------------------------------------------------------------------- the command
def test_cli_help_names_the_options() -> None:
    out = CliRunner().invoke(cli, ["calibrate", "--help"]).output
    for option in ("--targets", "--replicates", "--max-evaluations", "--workers", "--seed",
                   "--params", "--write-docs", "--out"):
        assert option in out
    assert "calibrate" in CliRunner().invoke(cli, ["--help"]).output


@pytest.mark.parametrize(("change", "expected"), [
    ({"tolerance": -1}, "targets.0.tolerance: Input should be greater than 0"),
    ({"informs": ["river.no_such_key"]}, "targets.0.informs.0: 'river.no_such_key' is not a "
                                         "tuned parameter"),
    ({"statistic": "median"}, "targets.0.statistic: Input should be"),
])
def test_cli_bad_targets_file_exit_2(tmp_path: Path, known: tuple[Path, float],
                                     change: dict[str, object], expected: str) -> None:
    body = yaml.safe_load(known[0].read_text(encoding="utf-8"))
    body["targets"][0].update(change)
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(body, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(cli, ["calibrate", str(ROOT / "scenarios/no_transition.yaml"),
                                      "--targets", str(bad), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2, result.output
    assert f"error: {bad}: {expected}" in result.output
    assert not (tmp_path / "o").exists()


def test_cli_writes_tables_overlay_and_docs_section(tmp_path: Path,
                                                    known: tuple[Path, float]) -> None:
    """A tiny run: tables and JSON in --out, an overlay that loads with the fitted value, the
    docs section between markers with the hand-written text kept, twice over."""
    doc = tmp_path / "calibration.md"
    doc.write_text("# Notes\n\nhand-written above\n", encoding="utf-8")
    out = tmp_path / "cal"
    args = ["calibrate", str(ROOT / "scenarios/no_transition.yaml"), "--targets", str(known[0]),
            "-n", "2", "--max-evaluations", "3", "-j", "1", "-q", "--out", str(out),
            "--write-docs", str(doc)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "visits_q1_2023" in result.output and "tourism.base_visits_per_year" in result.output
    for name in ("targets.csv", "targets.zh.csv", "parameters.csv", "evaluations.csv",
                 "calibration.json", "no_transition_calibrated.yaml"):
        assert (out / name).is_file(), name
    info = json.loads((out / "calibration.json").read_text(encoding="utf-8"))
    fitted = info["parameters"][0]["fitted"]
    overlay = load_scenario(out / "no_transition_calibrated.yaml")
    assert overlay.name == "no_transition_calibrated"
    assert current_value(overlay, "tourism.base_visits_per_year") == pytest.approx(fitted)
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Notes\n\nhand-written above\n") and BEGIN in text and END in text
    doc.write_text(text + "\nhand-written below\n", encoding="utf-8")
    assert CliRunner().invoke(cli, args).exit_code == 0
    again = doc.read_text(encoding="utf-8")
    assert again.count(BEGIN) == 1 and again.endswith("hand-written below\n")
    assert again.startswith("# Notes\n\nhand-written above\n")


def test_cli_refuses_a_folder_it_did_not_make(tmp_path: Path, known: tuple[Path, float]) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(cli, ["calibrate", str(ROOT / "scenarios/no_transition.yaml"),
                                      "--targets", str(known[0]), "-n", "2",
                                      "--max-evaluations", "1", "-q", "--out", str(mine)])
    assert result.exit_code == 2 and "not made by greensim" in result.output
    assert sorted(p.name for p in mine.iterdir()) == ["thesis.txt"]


def test_docs_markers_out_of_order_are_an_error(tmp_path: Path) -> None:
    doc = tmp_path / "c.md"
    doc.write_text(f"{END}\n{BEGIN}\n", encoding="utf-8")
    with pytest.raises(Exception, match="expected both markers, in order"):
        write_docs_section(doc, "x")
    assert callable(docs_section)


def test_same_result_on_one_worker_or_two_and_de_keeps_budget_and_ranges(
        known: tuple[Path, float]) -> None:
    """Common random numbers make the objective a function of the parameters: the same
    evaluations with 1 worker or 2; differential evolution stays in budget and in range."""
    scenario = load_scenario(ROOT / "scenarios/no_transition.yaml")
    problem = build_problem([scenario], load_targets(known[0]), replicates=2, seed=3)
    one = calibrate(problem, max_evaluations=3, workers=1)
    two = calibrate(problem, max_evaluations=3, workers=2)
    assert [(e.values, e.objective) for e in one.evaluations] == \
        [(e.values, e.objective) for e in two.evaluations]
    de = calibrate(problem, max_evaluations=5, method="differential-evolution")
    assert 1 < len(de.evaluations) <= 5
    p = problem.parameters[0]
    assert all(p.low <= e.values[p.path] <= p.high for e in de.evaluations)


def test_cli_missing_targets_file_exit_2(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    result = CliRunner().invoke(cli, ["calibrate", str(ROOT / "scenarios/no_transition.yaml"),
                                      "--targets", str(missing), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and str(missing) in result.output


def test_bundled_targets_measure_on_the_bundled_scenarios() -> None:
    """Every bundled target finds its table, columns and period in the bundled scenarios' runs
    (a renamed column or a moved date is caught here, not in a user's calibration)."""
    scenarios = [load_scenario(ROOT / f"scenarios/{n}.yaml")
                 for n in ("no_transition", "as_reported")]
    targets = load_targets(TARGETS_FILE, [p.path for p in tuned_parameters()])
    result = calibrate(build_problem(scenarios, targets, replicates=2, seed=1),
                       max_evaluations=1)
    means = {i: r.mean for i, r in result.start.results.items()}
    assert all(pd.notna(v) for v in means.values()), means
