"""Experiments: worker count and engine never change results; folders are written atomically;
failures are recorded; precision-driven replicates."""

from __future__ import annotations

import filecmp
import json
import math
from pathlib import Path

import pandas as pd
import pytest

import sim.experiments.replicates as experiment
from sim.experiments.journal import Journal
from sim.experiments.replicates import JOURNAL, RunsFailed, run_experiment, run_scenarios
from sim.files import MARKER, write_marker
from sim.model.simulation import TABLES

from .conftest import bundled


def read(folder: Path) -> dict[str, pd.DataFrame]:
    return {t: pd.read_parquet(folder / f"{t}.parquet") for t in TABLES}


def same_files(a: Path, b: Path) -> bool:
    names = sorted(p.name for p in a.iterdir())
    return names == sorted(p.name for p in b.iterdir()) and all(
        filecmp.cmp(a / n, b / n, shallow=False) for n in names)


def test_one_and_two_workers_identical(tmp_path: Path) -> None:
    """--workers 1 and --workers 2 write identical tables (indeed identical files)."""
    scenarios = [bundled("no_transition", "2024-06-30"), bundled("as_reported", "2024-06-30")]
    one = run_experiment(scenarios, replicates=3, seed=9, workers=1, out=tmp_path / "w1")
    two = run_experiment(scenarios, replicates=3, seed=9, workers=2, out=tmp_path / "w2")
    for a, b in zip(one, two, strict=True):
        ta, tb = read(a), read(b)
        for t in TABLES:
            pd.testing.assert_frame_equal(ta[t], tb[t], check_exact=True)
        assert sorted(ta["township"]["replicate"].unique()) == [0, 1, 2]
        assert same_files(a, b)


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
    """If assembling a folder is interrupted, no scenario folder and no temporary folder remain
    (only the journal); --resume reruns nothing finished and writes the same files as an
    uninterrupted run."""
    sc = [bundled("as_reported", "2023-03-31")]
    (clean,) = run_experiment(sc, replicates=2, seed=1, workers=1, out=tmp_path / "clean")
    calls = {"n": 0}
    real = Journal.assemble

    def failing(self: Journal, *args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # as if the user pressed Ctrl-C while writing
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    out = tmp_path / "killed"
    monkeypatch.setattr(Journal, "assemble", failing)
    with pytest.raises(KeyboardInterrupt):
        run_experiment(sc, replicates=2, seed=1, workers=1, out=out)
    assert sorted(p.name for p in out.iterdir()) == [MARKER, JOURNAL]
    monkeypatch.setattr(Journal, "assemble", real)
    monkeypatch.setattr(experiment, "run", lambda *a, **k: pytest.fail("a finished run reran"))
    (resumed,) = run_experiment(sc, replicates=2, seed=1, workers=1, out=out, resume=True)
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "as_reported"]
    assert same_files(clean, resumed)


def test_rewrite_replaces_a_folder_whole(tmp_path: Path) -> None:
    """Running again into the same folder replaces it completely: a file greensim wrote there
    before and does not write now (listed in the folder's marker) does not stay behind."""
    sc = [bundled("as_reported", "2023-03-31")]
    (folder,) = run_experiment(sc, replicates=1, seed=1, workers=1, out=tmp_path)
    (folder / "stale.txt").write_text("old")
    written = [p.name for p in folder.iterdir()]
    write_marker(folder, "scenario", files=written)  # as if an earlier greensim wrote it
    run_experiment(sc, replicates=2, seed=1, workers=1, out=tmp_path)
    assert not (folder / "stale.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [MARKER, "as_reported"]
    assert read(folder)["township"]["replicate"].nunique() == 2


def test_failing_runs_are_recorded_and_the_rest_finish(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs that raise are recorded with error and inputs; the other scenario's folder is
    complete and the experiment ends with RunsFailed, not at the first error."""
    real = experiment.run

    def flaky(scenario, seed, replicate, **kw):  # type: ignore[no-untyped-def]
        if scenario.name == "as_reported" and replicate == 1:
            raise RuntimeError("boom")
        return real(scenario, seed, replicate, **kw)

    monkeypatch.setattr(experiment, "run", flaky)
    with pytest.raises(RunsFailed, match="1 run"):
        run_experiment([bundled("as_reported", "2023-03-31"),
                        bundled("no_transition", "2023-03-31")],
                       replicates=3, seed=1, workers=1, out=tmp_path)
    assert len(read(tmp_path / "no_transition")["township"]) == 9
    assert not (tmp_path / "as_reported").exists()
    failures = pd.read_parquet(tmp_path / "failures.parquet")
    assert failures[["group", "replicate"]].values.tolist() == [["as_reported", 1]]
    assert failures["error"][0] == "RuntimeError: boom" and "flaky" in failures["traceback"][0]


def test_max_failures_stops_early(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With --max-failures 1, the experiment stops at the second failure instead of running on."""
    calls = {"n": 0}

    def broken(scenario, seed, replicate, **kw):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        raise ValueError("always")

    monkeypatch.setattr(experiment, "run", broken)
    with pytest.raises(RunsFailed, match="max-failures 1"):
        run_experiment([bundled("as_reported", "2023-03-31")], replicates=10, seed=1,
                       workers=1, out=tmp_path, max_failures=1)
    assert calls["n"] == 2
    assert len(pd.read_parquet(tmp_path / "failures.parquet")) == 2


def test_precision_adds_replicates_until_reached(tmp_path: Path) -> None:
    """--precision keeps adding replicates until every key outcome's half-width is within the
    target share of its mean, and the folders hold exactly that many replicates."""
    summary = run_scenarios([bundled("as_reported", "2023-06-30")], replicates=3, seed=2,
                            workers=1, out=tmp_path, precision=0.05, max_replicates=200)
    assert summary.precision is not None and summary.precision.ok
    assert summary.replicates > 3
    for row in summary.precision.rows:
        assert row["half_width"] <= 0.05 * abs(row["mean"])
    tw = read(tmp_path / "as_reported")["township"]
    assert tw["replicate"].nunique() == summary.replicates
    meta = json.loads((tmp_path / "as_reported" / "run.json").read_text())
    assert meta["replicates"] == summary.replicates and meta["precision"]["reached"]


def test_precision_cap_gives_a_clear_message(tmp_path: Path) -> None:
    """An unreachable precision stops at the cap with a message naming the worst outcome."""
    summary = run_scenarios([bundled("as_reported", "2023-03-31")], replicates=2, seed=2,
                            workers=1, out=tmp_path, precision=0.0001, max_replicates=4)
    assert summary.replicates == 4 and summary.precision is not None
    assert not summary.precision.ok
    (message,) = summary.warnings
    assert "cap hit" in message and "--max-replicates 4" in message
    assert summary.precision.worst()["outcome"] in message


def test_dask_local_cluster_equals_process_pool(tmp_path: Path) -> None:
    """A Dask LocalCluster run writes the same files, byte for byte, as the process pool."""
    scenarios = [bundled("no_transition", "2023-06-30"), bundled("as_reported", "2023-06-30")]
    pool = run_scenarios(scenarios, replicates=3, seed=11, workers=2, out=tmp_path / "pool")
    dask = run_scenarios(scenarios, replicates=3, seed=11, workers=2, out=tmp_path / "dask",
                         scheduler="local", batch_size=2)
    assert dask.warnings == []  # workers do not run with the nanny's malloc trim setting
    for a, b in zip(pool.folders, dask.folders, strict=True):
        assert same_files(a, b)


def _small_run(spec: experiment.RunSpec, seed: int) -> experiment.RunOutput:
    """A stand-in evaluator: one small table and one outcome per run."""
    frame = pd.DataFrame({"replicate": [spec.replicate], "x": [float(spec.replicate + seed)]})
    return experiment.RunOutput({"t": frame}, {"y": float(spec.replicate)})


def test_memory_stays_bounded_while_runs_are_written(tmp_path: Path) -> None:
    """However many runs, at most 2 batches per worker slot are in flight, and each finished
    batch is on disk (part file and manifest line) before the next one is submitted beyond
    that window: no more than a window of tables is ever held."""
    from concurrent.futures import Future, ThreadPoolExecutor

    from sim.experiments.executors import ExecutorHandle

    class Counting(ThreadPoolExecutor):
        def __init__(self) -> None:
            super().__init__(2)
            self.open = self.most = 0

        def submit(self, fn, /, *args, **kwargs) -> Future:  # type: ignore[no-untyped-def]
            self.open += 1
            self.most = max(self.most, self.open)
            fut = super().submit(fn, *args, **kwargs)
            fut.add_done_callback(lambda _: setattr(self, "open", self.open - 1))
            return fut

    pool = Counting()
    journal = Journal(tmp_path / "j")
    journal.start({"test": 1}, resume=False)
    specs = [experiment.RunSpec("g", r) for r in range(200)]
    with pool:
        experiment.execute(specs, _small_run, seed=1, journal=journal,
                           handle=ExecutorHandle(pool, 2, "processes", "test"), batch_size=2)
    assert pool.most <= 4
    assert journal.finished() == {("g", r) for r in range(200)}
    parts = list((tmp_path / "j" / "parts" / "t" / "g").glob("*.parquet"))
    assert len(parts) == 100


def test_tiny_precision_cannot_overflow() -> None:
    """A --precision so small that target × mean underflows and the ratio's square overflows
    a float asks for four times the replicates (within the cap): no arithmetic error."""
    outcomes = pd.DataFrame({"group": "a", "replicate": [0, 1],
                             "cod_t_per_yr": [1e-30, 2e-30]})
    check = experiment.check_precision(outcomes, 2, 1e-300)
    assert check.ratio > 1e200 and not check.ok
    assert experiment.next_replicates(check, 1000) == 8
    assert experiment.next_replicates(check, 5) == 5
    for ratio in (1e300, math.inf, math.nan):
        rough = experiment.PrecisionCheck(1e-300, 3, [{"ratio": ratio}])
        assert experiment.next_replicates(rough, 1000) == 12
