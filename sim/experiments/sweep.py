"""Sweeps: a design's points, each with replicates, run as one experiment.

    greensim sweep scenarios/as_reported.yaml --vary river.velocity_m_per_s=0.1:0.6 \
        --vary income.household_log_sd --design sobol --samples 256 -n 4 --out outputs/sw

writes, under the sweep folder:
  experiments.parquet  one row per run: run, point, replicate, the design's inputs, the drawn
                       uncertainties, and EMA Workbench's scenario/policy/model columns
  outcomes.parquet     one row per run: run, point, replicate and every outcome (NaN if failed)
  sweep.json           the design (SALib problem, kind, samples, seed), replicates, base scenario
  ema_results.tar.gz   the same frames in EMA Workbench's `save_results` format
  failures.parquet     runs that raised, with error and inputs (only if some did)
  .journal/            manifest and part files (tables too with --keep-tables): resumable

Replicate k of every design point uses the same random streams (common random numbers), so
differences between points come from the inputs, not from noise.
"""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sim import __version__
from sim.analysis.sensitivity import META_COLUMNS
from sim.errors import GreensimError
from sim.experiments.designs import Design
from sim.experiments.executors import RunOutput, RunSpec, open_executor
from sim.experiments.folders import git_revision
from sim.experiments.journal import Journal
from sim.experiments.replicates import RunsFailed, execute
from sim.files import atomic_write_bytes, atomic_write_parquet, output_folder

JOURNAL = ".journal"
OUTPUTS = ("experiments.parquet", "outcomes.parquet", "sweep.json", "ema_results.tar.gz",
           "failures.parquet")


@dataclass
class SweepSummary:
    folder: Path
    points: int
    runs: int
    failures: int
    notes: list[str]


def point_group(point: int) -> str:
    return f"p{point:06d}"


def run_sweep(evaluator: Callable[[RunSpec, int], RunOutput], design: Design, *,
              replicates: int, seed: int, out: Path, workers: int = 1,
              scheduler: str | None = None, resume: bool = False,
              max_failures: int | None = None, batch_size: int | None = None,
              describe: dict[str, Any] | None = None,
              on_progress: Callable[[int], None] | None = None,
              on_total: Callable[[int], None] | None = None) -> SweepSummary:
    """Run every design point's replicates with `evaluator`; write the sweep's frames."""
    if replicates < 1:
        raise GreensimError("--replicates must be at least 1")
    with output_folder(Path(out), "sweep") as out:
        info = {"kind": "sweep", "seed": seed, "replicates": replicates,
                "design": design.describe(), "matrix": design.matrix.tolist(),
                "package_version": __version__, **(describe or {})}
        journal = Journal(out / JOURNAL)
        journal.start({k: v for k, v in info.items() if k != "replicates"}, resume)
        if not resume:
            for name in OUTPUTS:
                (out / name).unlink(missing_ok=True)
        names = [f.name for f in design.factors]
        specs = [RunSpec(point_group(p), r, tuple(zip(names, map(float, row), strict=True)))
                 for p, row in enumerate(design.matrix) for r in range(replicates)]
        if on_total is not None:
            done = journal.finished()
            on_total(sum(s.key not in done for s in specs))
        failures = 0
        notes: list[str] = journal.start_warnings()
        if journal.damaged:
            notes.append(f"--resume: {journal.damaged} finished run(s) had a missing or damaged "
                         f"part file in {journal.root}; they run again")
        try:
            with open_executor(workers, scheduler) as handle:
                ex = execute(specs, evaluator, seed=seed, journal=journal, handle=handle,
                             batch_size=batch_size, max_failures=max_failures,
                             on_progress=on_progress)
                failures, notes = ex.failures, notes + ex.notes
        except RunsFailed:
            atomic_write_parquet(out / "failures.parquet", _failures(journal))
            raise
        experiments, outcomes = sweep_frames(journal, design, replicates,
                                             str((describe or {}).get("base", "base")))
        atomic_write_parquet(out / "experiments.parquet", experiments)
        atomic_write_parquet(out / "outcomes.parquet", outcomes)
        write_ema(out / "ema_results.tar.gz", experiments, outcomes)
        meta = {**info, "runs": len(specs), "failures": failures, "git_revision": git_revision()}
        meta.pop("matrix")
        atomic_write_bytes(out / "sweep.json",
                           (json.dumps(meta, indent=2, ensure_ascii=False) + "\n").encode())
        if failures or len(journal.failed):
            atomic_write_parquet(out / "failures.parquet", _failures(journal))
            raise RunsFailed(f"{len(journal.failed)} of {len(specs)} run(s) failed; the others "
                             f"finished. Errors and inputs are in {out / 'failures.parquet'}")
        (out / "failures.parquet").unlink(missing_ok=True)
        return SweepSummary(out, design.points, len(specs), failures, notes)


def _failures(journal: Journal) -> pd.DataFrame:
    frame = journal.failures_frame()
    point = frame["group"].str.slice(1).astype("int64") if len(frame) else frame["group"]
    return frame.assign(point=point).drop(columns="group")


def sweep_frames(journal: Journal, design: Design, replicates: int,
                 base: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The experiments and outcomes frames, one row per run in (point, replicate) order."""
    grid = design.frame().loc[design.frame().index.repeat(replicates)].reset_index(drop=True)
    grid.insert(1, "replicate", [r for _ in range(design.points) for r in range(replicates)])
    grid.insert(0, "run", range(len(grid)))
    groups = [point_group(p) for p in range(design.points)]
    keys = ["point", "replicate"]

    def by_run(what: str) -> pd.DataFrame:
        frame = journal.runs_frame(what, groups)
        frame = frame.assign(point=frame["group"].str.slice(1).astype("int64")
                             if len(frame) else pd.Series(dtype="int64"))
        frame = frame.drop(columns="group")
        return grid[["run", *keys]].merge(frame, on=keys, how="left", validate="one_to_one")

    draws = by_run("draws").drop(columns=["run", *keys])
    experiments = pd.concat([grid, draws], axis=1)
    experiments["scenario"] = experiments["point"].astype(str)
    experiments["policy"] = base
    experiments["model"] = "greensim"
    return experiments, by_run("outcomes")


def write_ema(path: Path, experiments: pd.DataFrame, outcomes: pd.DataFrame) -> None:
    """The frames in EMA Workbench's `save_results` archive (metadata.json, experiments.csv,
    one CSV per scalar outcome), readable by `ema_workbench.load_results`."""
    exp = experiments.drop(columns=["run", "point"])
    names = [c for c in outcomes.columns if c not in META_COLUMNS]
    files = {"experiments.csv": exp.to_csv(index=False).encode()}
    for name in names:
        files[f"{name}.csv"] = outcomes[[name]].to_csv(header=False, index=False).encode()
    metadata = {"version": 0.1,
                "outcomes": [["ScalarOutcome", name, f"{name}.csv"] for name in names],
                "experiments": {k: v.name for k, v in exp.dtypes.items()}}
    files["metadata.json"] = json.dumps(metadata).encode()
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as gz, \
            tarfile.open(fileobj=gz, mode="w") as tar:
        for fname, data in files.items():
            entry = tarfile.TarInfo(fname)
            entry.size = len(data)
            tar.addfile(entry, io.BytesIO(data))
    atomic_write_bytes(path, buf.getvalue())


__all__ = ["SweepSummary", "point_group", "run_sweep", "sweep_frames",
           "write_ema"]
