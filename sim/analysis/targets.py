"""Calibration targets: a declarative file of the account's figures, and how a run measures them.

A target selects rows of one scenario's table exactly as a reality check does (`checks.Selection`:
`where`, `start`/`end`, `months`; the same `select_rows`), reduces them to one number per
replicate (`statistic`), and compares the mean over replicates with `value`:

- `sum` / `mean` of `indicator` over the replicate's rows;
- `share`: the share of the replicate's rows where `indicator op compare_to` holds;
- `all`: 1 if it holds on every one of the replicate's rows, else 0 (the mean over replicates is
  then the share of replicates where it always holds);
- `years_any`: the share of calendar years (among the replicate's rows) in which it holds on at
  least one row (e.g. dry-season years with a failing sample).

`bound` says what "met" means: `equal` (|mean − value| ≤ tolerance), `at_least` (mean ≥ value) or
`at_most` (mean ≤ value). The calibration's objective adds, over the targets that inform a fitted
parameter, weight × (distance outside the target / tolerance)², where the distance of an `equal`
target is mean − value. `informs` lists the tuned parameters (key paths) the target constrains.
The bundled file is `targets.yaml` beside this module (`TARGETS_FILE`). Reads tables only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from sim.analysis.checks import OPS, Selection, covers, load_file, select_rows
from sim.analysis.stats import Interval, mean_ci
from sim.errors import ScenarioError

TARGETS_FILE = Path(__file__).with_name("targets.yaml")
Statistic = Literal["sum", "mean", "share", "all", "years_any"]
COUNTING = ("share", "all", "years_any")
"""Statistics that test each row (`indicator op compare_to`): shares, in 0–1."""


class Target(Selection):
    """One calibration target (see the module docstring)."""

    statistic: Statistic
    op: Literal["==", "!=", "<", "<=", ">", ">="] | None = None
    compare_to: str | int | float | bool | None = None
    value: float
    tolerance: float = Field(gt=0)
    bound: Literal["equal", "at_least", "at_most"] = "equal"
    weight: float = Field(1.0, gt=0)
    informs: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Target:
        if self.statistic in COUNTING and (self.op is None or self.compare_to is None):
            raise ValueError(f"statistic '{self.statistic}' needs op and compare_to")
        if self.statistic in ("sum", "mean") and (self.op is not None
                                                  or self.compare_to is not None):
            raise ValueError(f"statistic '{self.statistic}' takes no op or compare_to")
        return self

    def distance(self, mean: float) -> float:
        """How far `mean` lies outside the target, in tolerances (0 when an inequality holds)."""
        if not math.isfinite(mean):
            return math.inf
        gap = mean - self.value
        if self.bound == "at_least":
            gap = min(gap, 0.0)
        elif self.bound == "at_most":
            gap = max(gap, 0.0)
        return gap / self.tolerance

    def met(self, mean: float) -> bool:
        if not math.isfinite(mean):
            return False
        if self.bound == "equal":
            return abs(mean - self.value) <= self.tolerance
        return self.distance(mean) == 0.0

    def wanted(self) -> str:
        """The target as text: '23,000 ± 2,300', '≥ 0.98'."""
        if self.bound == "equal":
            return f"{number(self.value)} ± {number(self.tolerance)}"
        return f"{'≥' if self.bound == 'at_least' else '≤'} {number(self.value)}"


class TargetsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    targets: tuple[Target, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> TargetsFile:
        ids = [t.id for t in self.targets]
        if len(set(ids)) != len(ids):
            raise ValueError("target ids must be unique")
        return self


def load_targets(path: Path = TARGETS_FILE, tuned: Sequence[str] | None = None
                 ) -> tuple[Target, ...]:
    """The targets of `path`; a ScenarioError names the file, the key path and what is wrong.
    With `tuned` (the tuned parameters' key paths), every `informs` entry must be one of them."""
    targets = load_file(Path(path), TargetsFile).targets
    if tuned is not None:
        known = set(tuned)
        for i, t in enumerate(targets):
            for j, name in enumerate(t.informs):
                if name not in known:
                    raise ScenarioError(
                        f"{path}: targets.{i}.informs.{j}: {name!r} is not a tuned parameter "
                        f"(tag C); expected one of {', '.join(sorted(known))}")
    return targets


def per_replicate(target: Target, frame: pd.DataFrame) -> pd.Series:
    """The target's statistic for each replicate of `frame` (the scenario's table), by
    replicate; ScenarioError if the table lacks a column or the period."""
    missing = [c for c in (target.indicator, *target.where) if c not in frame.columns]
    if missing:
        raise ScenarioError(f"target {target.id}: table {target.table} has no column "
                            f"{', '.join(missing)}")
    if not covers(target, frame):
        raise ScenarioError(f"target {target.id}: the runs do not cover {target.start} to "
                            f"{target.end}")
    rows = select_rows(target, frame)
    replicates = pd.Index(sorted(frame["replicate"].unique()), name="replicate")
    values = rows[target.indicator]
    if target.statistic in COUNTING:
        assert target.op is not None
        passing = pd.Series(np.asarray(OPS[target.op](values, target.compare_to), dtype=float),
                            index=rows.index)
        if target.statistic == "years_any":
            years = pd.to_datetime(rows["date"]).dt.year
            out = passing.groupby([rows["replicate"], years]).max().groupby(level=0).mean()
        else:
            grouped = passing.groupby(rows["replicate"])
            out = grouped.mean() if target.statistic == "share" else grouped.min()
    elif target.statistic == "sum":
        out = values.astype(float).groupby(rows["replicate"]).sum()
    else:
        out = values.astype(float).groupby(rows["replicate"]).mean()
    return out.reindex(replicates).astype(float)


@dataclass(frozen=True)
class TargetResult:
    """A target's mean over replicates with its 95 % interval, and whether it is met."""

    target: Target
    interval: Interval

    @property
    def mean(self) -> float:
        return self.interval.mean

    @property
    def met(self) -> bool:
        return self.target.met(self.interval.mean)

    @property
    def distance(self) -> float:
        return self.target.distance(self.interval.mean)


def summarise(target: Target, values: Sequence[float] | np.ndarray) -> TargetResult:
    """The mean of the per-replicate `values` and its t interval (shares cut at 0–1)."""
    bounds = (0.0, 1.0) if target.statistic in COUNTING else (None, None)
    return TargetResult(target, mean_ci(np.asarray(values, dtype=float), bounds=bounds))


def objective(results: Sequence[TargetResult]) -> float:
    """Σ weight × distance² over `results` (infinite if a target could not be measured)."""
    return float(sum(r.target.weight * r.distance ** 2 for r in results))


def measure(targets: Sequence[Target], tables: Mapping[str, pd.DataFrame]) -> dict[str, float]:
    """One run's value of each target (the run's tables by name; one replicate)."""
    out: dict[str, float] = {}
    for t in targets:
        series = per_replicate(t, tables[t.table])
        out[t.id] = float(series.iloc[0]) if len(series) else math.nan
    return out


def number(x: float) -> str:
    """A figure as the docs print it: thousands separated, 3 significant digits for small."""
    if not math.isfinite(x):
        return "–"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if x == round(x):
        return f"{x:.0f}"
    if abs(x) >= 100:
        return f"{x:.1f}"
    return f"{x:.3g}"


__all__ = ["TARGETS_FILE", "Target", "TargetResult", "TargetsFile", "load_targets", "measure",
           "number", "objective", "per_replicate", "summarise"]
