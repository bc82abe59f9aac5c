"""Reading run folders for the report: tables and `run.json`, checked, never the model."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

TABLES: tuple[str, ...] = ("township", "villages", "sections", "events")
_KEYS = ("scenario", "replicate", "date")
REQUIRED_COLUMNS = MappingProxyType({
    "township": _KEYS, "villages": _KEYS, "sections": (*_KEYS, "section", "water_class"),
    "events": ("replicate", "date", "kind", "subject", "detail"),
    "archive": ("replicate", "date", "year"),
    "groups": (*_KEYS, "group", "income_per_capita_yuan"),
    "households": ("replicate", "household", "income_yuan"),
})
# read when present; None when the folder (an older one) lacks them
OPTIONAL_TABLES: tuple[str, ...] = ("archive", "groups", "households")


class ReportError(ValueError):
    """A run folder cannot be turned into a report (missing file, table or column)."""


@dataclass(frozen=True)
class RunData:
    """The tables and metadata of one run folder (one scenario, all its replicates)."""

    folder: Path
    name: str
    meta: dict[str, Any]
    township: pd.DataFrame
    villages: pd.DataFrame
    sections: pd.DataFrame
    events: pd.DataFrame
    archive: pd.DataFrame | None = None  # the yearly ecological archive (older folders lack it)
    groups: pd.DataFrame | None = None  # income by household group (older folders lack it)
    households: pd.DataFrame | None = None  # each household's income over the run (likewise)


def _read_table(folder: Path, name: str) -> pd.DataFrame:
    path = folder / f"{name}.parquet"
    if not path.is_file():
        raise ReportError(f"run folder {folder} lacks {path.name}")
    try:
        frame = pd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise ReportError(f"run folder {folder}: cannot read {path.name} ({exc})") from exc
    missing = [c for c in REQUIRED_COLUMNS[name] if c not in frame.columns]
    if missing:
        raise ReportError(f"run folder {folder}: {path.name} lacks column(s) {', '.join(missing)}")
    if "date" not in frame.columns:
        return frame
    try:
        return frame.assign(date=pd.to_datetime(frame["date"]))
    except (TypeError, ValueError) as exc:
        raise ReportError(f"run folder {folder}: {path.name} has unreadable dates") from exc


def load_run(folder: Path) -> RunData:
    """Read and check one run folder; raise ReportError naming the folder if anything is missing."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ReportError(f"run folder {folder} does not exist or is not a folder")
    meta_path = folder / "run.json"
    if not meta_path.is_file():
        raise ReportError(f"run folder {folder} lacks run.json")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReportError(f"run folder {folder}: run.json is unreadable ({exc})") from exc
    if not isinstance(meta, dict) or not isinstance(meta.get("scenario"), str):
        raise ReportError(f"run folder {folder}: run.json lacks a 'scenario' name")
    tables = {name: _read_table(folder, name) for name in TABLES}
    if tables["township"].empty:
        raise ReportError(f"run folder {folder}: township.parquet has no rows")
    optional = {name: _read_table(folder, name) for name in OPTIONAL_TABLES
                if (folder / f"{name}.parquet").is_file()}
    return RunData(folder=folder, name=meta["scenario"], meta=meta, **tables, **optional)


def read_outcomes(folder: Path) -> pd.DataFrame | None:
    """The folder's per-replicate outcomes (`outcomes.parquet`, whole run), None if absent or
    unreadable (the report then leaves out what needs them)."""
    path = Path(folder) / "outcomes.parquet"
    try:
        return pd.read_parquet(path) if path.is_file() else None
    except (OSError, ValueError):
        return None


__all__ = ["OPTIONAL_TABLES", "REQUIRED_COLUMNS", "TABLES", "ReportError", "RunData", "load_run",
           "read_outcomes"]
