"""Reality checks: the declarative file (sim/analysis/checks.yaml), its runner, and the checks
themselves on the bundled scenarios (20 replicates, the CLI's default seed)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from sim.analysis.checks import (
    Check,
    evaluate,
    evaluate_all,
    load_checks,
    needed_runs,
)
from sim.errors import ScenarioError
from sim.model.simulation import run

from .conftest import bundled

REPLICATES = 20
SEED = 20250101
CHECKS = load_checks()


@pytest.fixture(scope="module")
def tables() -> dict[str, dict[str, pd.DataFrame]]:
    out: dict[str, dict[str, pd.DataFrame]] = {}
    for name, until in needed_runs(CHECKS).items():
        runs = [run(bundled(name, until.isoformat()), SEED, r).tables
                for r in range(REPLICATES)]
        out[name] = {t: pd.concat([r[t] for r in runs], ignore_index=True)
                     for t in ("sections", "township", "villages")}
    return out


@pytest.mark.parametrize("check", CHECKS, ids=[c.id for c in CHECKS])
def test_reality_check(check: Check, tables: dict[str, dict[str, pd.DataFrame]]) -> None:
    """Each check holds; one marked known_unmet must still fail (it is reported, not hidden:
    if the model comes to meet it, remove the mark)."""
    result = evaluate(check, tables)
    assert result.passed is not None, result.reason
    assert result.replicates == REPLICATES
    if check.known_unmet:
        assert not result.passed, f"{check.id} now passes ({result.value}): remove known_unmet"
        pytest.xfail(f"known unmet: {result.value:.3f} (bounds {check.at_least}, "
                     f"{check.at_most})")
    assert result.passed, (check.id, result.value, check.at_least, check.at_most)


def synthetic() -> dict[str, dict[str, pd.DataFrame]]:
    dates = pd.to_datetime(["2023-06-01", "2023-07-01", "2023-08-01", "2023-09-01"] * 2)
    frame = pd.DataFrame({"date": dates, "replicate": [0] * 4 + [1] * 4,
                          "section": ["near_field"] * 8,
                          "black_smelly": ["light", "none", "heavy", "none"] * 2,
                          "do_mg_l": [1.0, 5.0, 0.1, 6.0] * 2})
    return {"no_transition": {"sections": frame}}


def test_the_runner_passes_and_fails_by_the_numbers() -> None:
    """Half the synthetic months are smelly: ≥ 0.5 passes, ≥ 0.6 fails; a mean is a mean."""
    base = CHECKS[0].model_copy(update={"known_unmet": None})
    half = evaluate(base.model_copy(update={"at_least": 0.5}), synthetic())
    assert (half.value, half.passed, half.rows, half.replicates) == (0.5, True, 8, 2)
    assert evaluate(base.model_copy(update={"at_least": 0.6}), synthetic()).passed is False
    mean = base.model_copy(update={"indicator": "do_mg_l", "aggregate": "mean",
                                   "at_least": 3.0, "at_most": 3.1})
    result = evaluate(mean, synthetic())
    assert result.value == pytest.approx(3.025) and result.passed


def test_not_evaluated_when_the_runs_lack_it() -> None:
    """A scenario not run, or runs too short, is 'not run', never a pass."""
    results = evaluate_all(CHECKS, synthetic())
    assert all(r.passed is None for r in results if r.check.scenario != "no_transition")
    short = CHECKS[0].model_copy(update={"end": date(2024, 9, 30)})
    assert evaluate(short, synthetic()).passed is None


def test_a_bad_checks_file_names_the_key(tmp_path: Path) -> None:
    bad = tmp_path / "checks.yaml"
    bad.write_text("checks:\n  - id: x\n    text: {en: a, zh: b}\n    source: s\n"
                   "    scenario: s\n    table: rivers\n    start: 2023-01-01\n"
                   "    end: 2023-02-01\n    indicator: x\n    at_least: 1\n")
    with pytest.raises(ScenarioError, match=r"checks\.yaml: checks\.0\.table"):
        load_checks(bad)
