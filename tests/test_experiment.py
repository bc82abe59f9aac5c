"""Experiments: worker count never changes results; folders are written atomically."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import sim.experiment as experiment
from sim.experiment import run_experiment
from sim.model import TABLES

from .conftest import bundled


def read(folder: Path) -> dict[str, pd.DataFrame]:
    return {t: pd.read_parquet(folder / f"{t}.parquet") for t in TABLES}


def test_one_and_two_workers_identical(tmp_path: Path) -> None:
    """--workers 1 and --workers 2 write identical tables for the same seed."""
    scenarios = [bundled("no_transition", "2024-06-30"), bundled("as_reported", "2024-06-30")]
    one = run_experiment(scenarios, replicates=3, seed=9, workers=1, out=tmp_path / "w1")
    two = run_experiment(scenarios, replicates=3, seed=9, workers=2, out=tmp_path / "w2")
    for a, b in zip(one, two, strict=True):
        ta, tb = read(a), read(b)
        for t in TABLES:
            pd.testing.assert_frame_equal(ta[t], tb[t], check_exact=True)
        assert sorted(ta["township"]["replicate"].unique()) == [0, 1, 2]


def test_common_random_numbers_across_scenarios(tmp_path: Path) -> None:
    """Replicate k of two scenarios shares its streams: identical until the first lever acts."""
    scenarios = [bundled("no_transition", "2024-06-30"), bundled("as_reported", "2024-06-30")]
    a, b = run_experiment(scenarios, replicates=2, seed=4, workers=1, out=tmp_path)
    sa, sb = read(a)["sections"], read(b)["sections"]
    before = sa["date"] < "2024-01-01"
    cols = ["cod_mg_l", "nh3n_mg_l", "tp_mg_l", "flow_m3_s"]
    pd.testing.assert_frame_equal(sa.loc[before, cols].reset_index(drop=True),
                                  sb.loc[before, cols].reset_index(drop=True))


def test_run_json_describes_the_run(tmp_path: Path) -> None:
    """run.json holds the resolved scenario, seed, replicates, version and git revision."""
    (folder,) = run_experiment([bundled("as_reported", "2023-03-31")], replicates=2, seed=5,
                               workers=1, out=tmp_path)
    meta = json.loads((folder / "run.json").read_text())
    assert meta["seed"] == 5 and meta["replicates"] == 2 and meta["scenario"] == "as_reported"
    assert meta["resolved_scenario"]["levers"]["closures"]["rule"] == "unlicensed"
    assert meta["package_version"] and meta["git_revision"]
    assert meta["until"] == "2023-03-31"


def test_killed_write_leaves_nothing_half_written(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """If writing fails midway, no scenario folder and no temporary folder remain."""
    calls = {"n": 0}
    real = pd.DataFrame.to_parquet

    def failing(self: pd.DataFrame, *args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # as if the user pressed Ctrl-C while writing
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pd.DataFrame, "to_parquet", failing)
    with pytest.raises(KeyboardInterrupt):
        run_experiment([bundled("as_reported", "2023-03-31")], replicates=1, seed=1, workers=1,
                       out=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_rewrite_replaces_a_folder_whole(tmp_path: Path) -> None:
    """Running again into the same folder replaces it completely (no stale files)."""
    sc = [bundled("as_reported", "2023-03-31")]
    (folder,) = run_experiment(sc, replicates=1, seed=1, workers=1, out=tmp_path)
    (folder / "stale.txt").write_text("old")
    run_experiment(sc, replicates=2, seed=1, workers=1, out=tmp_path)
    assert not (folder / "stale.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["as_reported"]
    assert read(folder)["township"]["replicate"].nunique() == 2


def test_finished_scenarios_survive_a_later_failure(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure in the second scenario keeps the first scenario's complete folder."""
    real = experiment.run

    def flaky(scenario, seed, replicate, **kw):  # type: ignore[no-untyped-def]
        if scenario.name == "as_reported":
            raise RuntimeError("boom")
        return real(scenario, seed, replicate, **kw)

    monkeypatch.setattr(experiment, "run", flaky)
    with pytest.raises(RuntimeError):
        run_experiment([bundled("no_transition", "2023-03-31"),
                        bundled("as_reported", "2023-03-31")],
                       replicates=2, seed=1, workers=1, out=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["no_transition"]
    assert len(read(tmp_path / "no_transition")["township"]) == 6
