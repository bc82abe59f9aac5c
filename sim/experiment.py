"""Many runs (scenarios × replicates) on an executor, written to disk atomically.

Replicate k of every scenario uses the same seeds for every named stream (common random
numbers). Results are gathered in (scenario, replicate) order whatever the number of workers,
so one seed gives the same tables bit for bit with 1 or N workers. Each scenario's folder is
written to a hidden temporary folder and renamed into place only when complete: a killed run
leaves complete folders of the scenarios it finished and nothing half-written.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd

from sim import __version__
from sim.model import TABLES, RunResult, run
from sim.schema import Scenario


def git_revision() -> str:
    """The source tree's git revision (with '-dirty' if modified), or 'unknown'."""
    here = Path(__file__).resolve().parent
    try:
        rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True,
                             text=True, timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=here, capture_output=True, text=True, timeout=5).stdout
        return rev + ("-dirty" if dirty.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _task(args: tuple[Scenario, int, int]) -> RunResult:
    scenario, seed, replicate = args
    return run(scenario, seed, replicate)


def iter_runs(scenarios: Sequence[Scenario], replicates: int, seed: int, workers: int
              ) -> Iterator[RunResult]:
    """Yield every run's result in (scenario, replicate) order, computed on `workers` processes."""
    tasks = [(s, seed, r) for s in scenarios for r in range(replicates)]
    if workers <= 1 or len(tasks) <= 1:
        for t in tasks:
            yield _task(t)
        return
    chunksize = max(1, len(tasks) // (workers * 8))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_task, tasks, chunksize=chunksize)


def combine(results: Sequence[RunResult]) -> dict[str, pd.DataFrame]:
    """Concatenate the replicates' tables of one scenario, in replicate order."""
    ordered = sorted(results, key=lambda r: r.replicate)
    return {name: pd.concat([r.tables[name] for r in ordered], ignore_index=True)
            for name in TABLES}


def run_metadata(scenario: Scenario, seed: int, replicates: int) -> dict[str, Any]:
    return {
        "scenario": scenario.name,
        "description": scenario.description,
        "replicates": replicates,
        "seed": seed,
        "start": scenario.start_date.isoformat(),
        "until": scenario.end_date.isoformat(),
        "streams": {"bit_generator": "PCG64",
                    "seed_sequence": "SeedSequence(seed, spawn_key=(replicate, "
                                     "blake2b-32(stream name)))"},
        "package_version": __version__,
        "git_revision": git_revision(),
        "python": platform.python_version(),
        "resolved_scenario": scenario.model_dump(mode="json"),
    }


def write_run_dir(folder: Path, tables: dict[str, pd.DataFrame], meta: dict[str, Any]) -> Path:
    """Write a run folder atomically: a temporary sibling, renamed into place when complete."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = folder.parent / f".{folder.name}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        for name, df in tables.items():
            df.to_parquet(tmp / f"{name}.parquet", index=False)
        (tmp / "run.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
        old = None
        if folder.exists():
            old = folder.parent / f".{folder.name}.old-{os.getpid()}"
            os.replace(folder, old)
        os.replace(tmp, folder)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return folder


def run_experiment(scenarios: Sequence[Scenario], *, replicates: int, seed: int, workers: int,
                   out: Path, on_progress: Callable[[int], None] | None = None) -> list[Path]:
    """Run every scenario's replicates and write one folder per scenario under `out`."""
    names = [s.name for s in scenarios]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"two scenarios share the name {dupes}; names must be unique")
    written: list[Path] = []
    pending: list[RunResult] = []
    index = 0
    for result in iter_runs(scenarios, replicates, seed, workers):
        pending.append(result)
        if on_progress is not None:
            on_progress(1)
        if len(pending) == replicates:
            scenario = scenarios[index]
            folder = write_run_dir(out / scenario.name, combine(pending),
                                   run_metadata(scenario, seed, replicates))
            written.append(folder)
            pending = []
            index += 1
    return written


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else (os.cpu_count() or 1))


__all__ = ["run_experiment", "write_run_dir", "iter_runs", "combine", "default_workers",
           "git_revision"]
