"""Reality checks: a declarative file of what the bundled scenarios must show, and its runner.

A check names a scenario, a table, rows (`where`, a date period, calendar months), an indicator
and an expectation: the share of rows whose indicator passes `op value` (aggregate `share`), or
the indicator's mean (aggregate `mean`), must lie within `at_least`/`at_most`. The file is
validated once (pydantic, errors naming the check and key); `evaluate` reads tables only.
The bundled file is `checks.yaml` beside this module (`CHECKS_FILE`).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal, TypeVar

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sim.errors import ScenarioError
from sim.scenario.yamlfile import parse, read_text

CHECKS_FILE = Path(__file__).with_name("checks.yaml")

OPS: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
    ">": operator.gt, ">=": operator.ge}


class Selection(BaseModel):
    """Which rows of which scenario's table: `where` (column == value), `start`/`end` (dates,
    inclusive), `months` (calendar months kept). Shared by the checks and the calibration
    targets (`sim.analysis.targets`), which select rows the same way (`select_rows`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    text: dict[Literal["en", "zh"], str]
    source: str
    scenario: str
    table: Literal["sections", "township", "villages"]
    where: dict[str, str | int | float | bool] = Field(default_factory=dict)
    start: date
    end: date
    months: tuple[int, ...] | None = None
    indicator: str

    @model_validator(mode="after")
    def _selection(self) -> Selection:
        if set(self.text) != {"en", "zh"}:
            raise ValueError("text needs both en and zh")
        if self.end < self.start:
            raise ValueError("end is before start")
        if self.months is not None and not all(1 <= m <= 12 for m in self.months):
            raise ValueError("months are 1–12")
        return self


class Check(Selection):
    """One reality check (see the module docstring)."""

    aggregate: Literal["share", "mean"] = "share"
    op: Literal["==", "!=", "<", "<=", ">", ">="] | None = None
    value: str | int | float | bool | None = None
    at_least: float | None = None
    at_most: float | None = None
    known_unmet: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Check:
        if self.at_least is None and self.at_most is None:
            raise ValueError("give at_least and/or at_most")
        if self.aggregate == "share" and (self.op is None or self.value is None):
            raise ValueError("aggregate 'share' needs op and value")
        return self


class ChecksFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    checks: tuple[Check, ...]

    @model_validator(mode="after")
    def _unique(self) -> ChecksFile:
        ids = [c.id for c in self.checks]
        if len(set(ids)) != len(ids):
            raise ValueError("check ids must be unique")
        return self


M = TypeVar("M", bound=BaseModel)


def load_file(path: Path, model: type[M]) -> M:
    """A YAML file validated by `model`; a ScenarioError names the file, the key path and what
    is wrong (also used for the calibration targets)."""
    data = parse(read_text(path), str(path))
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise ScenarioError(f"{path}: {where}: {first['msg']}") from None


def load_checks(path: Path = CHECKS_FILE) -> tuple[Check, ...]:
    """The checks of `path`; a ScenarioError names the file, the key path and what is wrong."""
    return load_file(path, ChecksFile).checks


@dataclass(frozen=True)
class CheckResult:
    check: Check
    value: float | None        # the share or mean; None when not evaluated
    rows: int
    replicates: int
    passed: bool | None        # None: not evaluated (no run of the scenario, or no rows)
    reason: str = ""


def select_rows(check: Selection, frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of `frame` (all replicates) that `check` selects."""
    dates = pd.to_datetime(frame["date"])
    keep = (dates >= pd.Timestamp(check.start)) & (dates <= pd.Timestamp(check.end))
    if check.months is not None:
        keep &= dates.dt.month.isin(check.months)
    for column, wanted in check.where.items():
        keep &= frame[column] == wanted
    return frame.loc[keep.to_numpy()]


def covers(check: Selection, frame: pd.DataFrame) -> bool:
    """Whether the runs' months cover the check's whole period."""
    dates = pd.to_datetime(frame["date"])
    first = pd.Timestamp(check.start).to_period("M").to_timestamp()
    return bool(dates.min() <= first and dates.max() >= pd.Timestamp(check.end).to_period(
        "M").to_timestamp())


def evaluate(check: Check, tables: Mapping[str, Mapping[str, pd.DataFrame]]) -> CheckResult:
    """One check against `tables[scenario][table]` (all replicates of the scenario's runs)."""
    frame = tables.get(check.scenario, {}).get(check.table)
    if frame is None:
        return CheckResult(check, None, 0, 0, None, f"no run of {check.scenario}")
    if not covers(check, frame):
        return CheckResult(check, None, 0, 0, None, "the runs do not cover the period")
    missing = [c for c in (check.indicator, *check.where) if c not in frame.columns]
    if missing:
        return CheckResult(check, None, 0, 0, None, f"no column {', '.join(missing)}")
    rows = select_rows(check, frame)
    values = rows[check.indicator]
    if check.aggregate == "mean":
        values = values.dropna()
    if values.empty:
        return CheckResult(check, None, 0, 0, None, "no rows")
    if check.aggregate == "share":
        assert check.op is not None
        passing = np.asarray(OPS[check.op](values, check.value), dtype=bool)
        value = float(passing.mean())
    else:
        value = float(values.astype(float).mean())
    ok = ((check.at_least is None or value >= check.at_least)
          and (check.at_most is None or value <= check.at_most))
    return CheckResult(check, value, int(values.size), int(rows["replicate"].nunique()), ok)


def evaluate_all(checks: Sequence[Check], tables: Mapping[str, Mapping[str, pd.DataFrame]]
                 ) -> list[CheckResult]:
    return [evaluate(c, tables) for c in checks]


def needed_runs(checks: Sequence[Check]) -> dict[str, date]:
    """Each scenario the checks read and the last day they need."""
    out: dict[str, date] = {}
    for c in checks:
        out[c.scenario] = max(out.get(c.scenario, c.end), c.end)
    return out


__all__ = ["CHECKS_FILE", "OPS", "Check", "CheckResult", "Selection", "covers", "evaluate",
           "evaluate_all", "load_checks", "load_file", "needed_runs", "select_rows"]
