"""Scenario folders: one per scenario under the output folder, written whole or not at all.

Each folder is filled under a temporary name (with greensim's marker file) and renamed into
place when complete, replacing an older folder only if greensim made it; `run.json` describes
the run (resolved scenario, seed, versions) so a report can be rebuilt without rerunning.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from sim import __version__
from sim.errors import GreensimError
from sim.experiments.journal import Journal
from sim.files import atomic_write_parquet, is_greensim_folder, replace_folder, write_marker
from sim.model.simulation import TABLES
from sim.scenario.schema import Scenario


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


def run_metadata(scenario: Scenario, seed: int, replicates: int) -> dict[str, Any]:
    return {
        "scenario": scenario.name,
        "description": scenario.description,
        "description_zh": scenario.description_zh,
        "replicates": replicates,
        "seed": seed,
        "start": scenario.start_date.isoformat(),
        "until": scenario.end_date.isoformat(),
        "streams": {"bit_generator": "PCG64",
                    "seed_sequence": "SeedSequence(seed, spawn_key=(replicate, "
                                     "blake2b-32(stream name)))",
                    "uncertainty_stream": "'uncertainty:' + key path"},
        "package_version": __version__,
        "git_revision": git_revision(),
        "python": platform.python_version(),
        "resolved_scenario": scenario.model_dump(mode="json"),
    }


def atomic_folder(folder: Path, fill: Callable[[Path], None]) -> Path:
    """Fill a temporary sibling of `folder` (marked as greensim's), then rename it into place,
    replacing an older one only if greensim made it (`sim.files.replace_folder`)."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = folder.parent / f".{folder.name}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        write_marker(tmp, "scenario")
        fill(tmp)
        write_marker(tmp, "scenario", files=[e.name for e in tmp.iterdir()])
        replace_folder(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return folder


def _table_names(journal: Journal, group: str) -> list[str]:
    names = {t for e in journal.group_entries(group) for t in e["parts"]}
    return [t for t in TABLES if t in names] + sorted(names - set(TABLES))


def write_scenario_folder(journal: Journal, scenario: Scenario, out: Path, seed: int,
                          replicates: int, extra: Mapping[str, Any] | None = None) -> Path:
    """Assemble a scenario's tables, outcomes and draws from the journal into its folder."""
    have = sorted(r for g, r in journal.finished() if g == scenario.name)
    if have != list(range(replicates)):
        raise GreensimError(f"{scenario.name}: journal holds replicates {have[:5]}..., "
                            f"expected 0..{replicates - 1}")
    meta = {**run_metadata(scenario, seed, replicates), **(extra or {})}

    def fill(tmp: Path) -> None:
        for table in _table_names(journal, scenario.name):
            journal.assemble(scenario.name, table, tmp / f"{table}.parquet")
        if (tmp / "archive.parquet").exists():  # the yearly archive, also readable as text
            pd.read_parquet(tmp / "archive.parquet").to_csv(tmp / "archive.csv", index=False)
        for what, fname in (("outcomes", "outcomes.parquet"),
                            ("draws", "uncertainty_draws.parquet")):
            frame = journal.runs_frame(what, [scenario.name])
            if len(frame.columns) > 2:
                atomic_write_parquet(tmp / fname, frame.rename(columns={"group": "scenario"}))
        (tmp / "run.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n",
                                      encoding="utf-8")

    return atomic_folder(out / scenario.name, fill)


def folder_is_current(folder: Path, scenario: Scenario, seed: int, replicates: int) -> bool:
    """True when greensim's `folder` already holds this scenario, seed and replicates."""
    if not is_greensim_folder(folder):
        return False
    try:
        meta = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (meta.get("seed") == seed and meta.get("replicates") == replicates
            and meta.get("resolved_scenario") == scenario.model_dump(mode="json"))


__all__ = ["atomic_folder", "folder_is_current", "git_revision", "run_metadata",
           "write_scenario_folder"]
