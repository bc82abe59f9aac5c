"""Outcomes: pure functions from one replicate's tables to indicators, each with unit and direction.

One registry (`OUTCOMES`) serves the CLI (`greensim outcomes`, `compare`, `sweep`), the
experiment runner (precision targets) and the tests. An outcome is computed for a `Period`
(all years of the run, one year, or a span of years) and is left out when the columns it needs
are absent, so tables may gain or lack columns (farms, satisfaction) without breaking anything:

    evaluate({"township": tw, "villages": vl, "sections": sc, "events": ev}, Context(Period(2030)))
    -> {"target_share": 0.94, "cod_t_per_yr": 61.2, ...}

Flows (loads, income, spending, visits) are annual rates: the period's total scaled to 12
months, so a partial year is comparable with a full one. Stocks (jobs, households) are means
over the period's months. Money is nominal yuan; the net present value discounts monthly flows
to the run's first month.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import numpy as np
import pandas as pd

from sim.analysis.stats import UNBOUNDED, Bounds
from sim.errors import GreensimError
from sim.measures import weighted_gini

Tables = Mapping[str, pd.DataFrame]
Direction = Literal["minimise", "maximise"]

DISCOUNT_RATE_PER_YEAR = 0.035
"""Default discount rate for public spending: the social time preference rate of HM Treasury's
Green Book (2022 edition, Annex A6: 3.5 %/yr for years 0-30). It is a real rate and the model's
money is nominal yuan, so later spending weighs a little more than in a real appraisal.
China's official project-appraisal rate (NDRC/MOHURD, Methods and Parameters of Economic
Evaluation of Construction Projects, 3rd ed., 2006) is 8 %/yr: --discount-rate 0.08."""


@dataclass(frozen=True)
class Period:
    """Calendar years an outcome covers: all of the run (None, None), one year, or a span."""

    first: int | None = None
    last: int | None = None

    @classmethod
    def parse(cls, text: str) -> Period:
        """'all', '2030' or '2028-2030'."""
        t = text.strip().lower()
        if t == "all":
            return cls()
        m = re.fullmatch(r"(\d{4})(?:\s*[-:]\s*(\d{4}))?", t)
        if not m:
            raise GreensimError(f"--years {text!r}: expected 'all', a year (2030) or a span "
                                f"(2028-2030)")
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        if last < first:
            raise GreensimError(f"--years {text!r}: the span ends before it starts")
        return cls(first, last)

    @property
    def label(self) -> str:
        if self.first is None:
            return "all"
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"

    def mask(self, dates: pd.Series) -> np.ndarray:
        return self.mask_years(_years(dates))

    def until_end(self, dates: pd.Series) -> np.ndarray:
        """Rows from the start of the run to the end of the period."""
        return self.until_end_years(_years(dates))

    def mask_years(self, years: np.ndarray) -> np.ndarray:
        """`mask` of rows whose dates fall in `years` (calendar years, one per row)."""
        ok = np.ones(len(years), dtype=bool)
        if self.first is not None:
            ok &= years >= self.first
        if self.last is not None:
            ok &= years <= self.last
        return ok

    def until_end_years(self, years: np.ndarray) -> np.ndarray:
        """`until_end` of rows whose dates fall in `years` (calendar years, one per row)."""
        return years <= self.last if self.last is not None else np.ones(len(years), dtype=bool)


def _years(dates: pd.Series) -> np.ndarray:
    """The calendar year of each date."""
    return pd.DatetimeIndex(pd.to_datetime(dates)).year.to_numpy()


@dataclass(frozen=True)
class Context:
    """What an outcome is computed for: the period and the discount rate of money."""

    period: Period = field(default_factory=Period)
    discount_rate_per_year: float = DISCOUNT_RATE_PER_YEAR


@dataclass(frozen=True)
class Outcome:
    """An indicator: name, unit, direction (which way is better) and its pure function."""

    name: str
    unit: str
    direction: Direction
    description: str
    needs: tuple[tuple[str, str], ...]  # (table, column regex) pairs that must be present
    func: Callable[[Tables, Context], float]
    key: bool = False  # a key outcome: --precision targets it
    bounds: Bounds = UNBOUNDED  # where its values must lie; intervals are cut there

    def applies(self, tables: Tables) -> bool:
        return all(t in tables and _positions(tables, t, rx) for t, rx in self.needs)


@dataclass(frozen=True)
class Ratio:
    """A comparative indicator of a policy against a base: Δ numerator / (sign × Δ denominator),
    Δ = policy − base, both outcomes from the registry (computed in `sim.analysis.compare`)."""

    name: str
    unit: str
    direction: Direction
    description: str
    numerator: str
    denominator: str
    denominator_sign: float = -1.0


# ----------------------------------------------------------------------------- helpers
class _Slices(Mapping[str, pd.DataFrame]):
    """One evaluation's tables, with what many outcomes ask of a table worked out once: its
    rows in the period (or from the run's start to the period's end), their months, and the
    positions of the columns matching a pattern. The rows are the same `frame.loc[mask]`
    every outcome took before, so the values and their sums stay the same."""

    def __init__(self, tables: Tables, ctx: Context) -> None:
        self.tables = tables
        self.ctx = ctx
        self._dates: dict[str, pd.DatetimeIndex] = {}
        self._years: dict[str, np.ndarray] = {}
        self._masks: dict[tuple[str, bool], np.ndarray] = {}
        self._rows: dict[tuple[str, bool], pd.DataFrame] = {}
        self._months: dict[str, int] = {}
        self._columns: dict[str, tuple[str, ...]] = {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.tables)

    def __len__(self) -> int:
        return len(self.tables)

    def dates(self, name: str) -> pd.DatetimeIndex:
        """The dates of table `name`'s rows."""
        if name not in self._dates:
            self._dates[name] = pd.DatetimeIndex(pd.to_datetime(self.tables[name]["date"]))
        return self._dates[name]

    def years(self, name: str) -> np.ndarray:
        """The calendar year of each row of table `name`."""
        if name not in self._years:
            self._years[name] = self.dates(name).year.to_numpy()
        return self._years[name]

    def mask(self, name: str, until_end: bool = False) -> np.ndarray:
        """Rows of table `name` in the period (or up to its end: `Period.until_end`)."""
        key = (name, until_end)
        if key not in self._masks:
            period, years = self.ctx.period, self.years(name)
            self._masks[key] = (period.until_end_years(years) if until_end
                                else period.mask_years(years))
        return self._masks[key]

    def rows(self, name: str, until_end: bool = False) -> pd.DataFrame:
        """Table `name`'s rows in the period (or up to its end)."""
        key = (name, until_end)
        if key not in self._rows:
            frame, mask = self.tables[name], self.mask(name, until_end)
            # every row: the frame itself holds what its copy `.loc[mask]` would
            self._rows[key] = frame if mask.all() else frame.loc[mask]
        return self._rows[key]

    def months(self, name: str) -> int:
        """How many months table `name` has in the period."""
        if name not in self._months:
            self._months[name] = _months(self.rows(name))
        return self._months[name]

    def positions(self, name: str, pattern: str) -> list[int]:
        """Positions of table `name`'s columns whose names match `pattern` (in order)."""
        if name not in self._columns:
            self._columns[name] = tuple(self.tables[name].columns.tolist())
        return _matching_positions(self._columns[name], pattern)


def _view(tables: Tables, ctx: Context) -> _Slices:
    """`tables` as the shared slices of an evaluation for `ctx` (new unless already one)."""
    if isinstance(tables, _Slices) and tables.ctx is ctx:
        return tables
    return _Slices(tables, ctx)


def _positions(tables: Tables, name: str, pattern: str) -> list[int]:
    """Positions of the columns of `tables[name]` whose names match `pattern`."""
    if isinstance(tables, _Slices):
        return tables.positions(name, pattern)
    return _matching_positions(tuple(tables[name].columns.tolist()), pattern)


@lru_cache(maxsize=1024)
def _matching_positions(columns: tuple[str, ...], pattern: str) -> list[int]:
    """Positions of the `columns` whose names match `pattern`, in order (remembered: the runs
    of an experiment have the same columns). The list is shared: do not change it."""
    match = re.compile(pattern).fullmatch
    return [i for i, c in enumerate(columns) if match(c)]


def _values(rows: pd.DataFrame, positions: list[int]) -> np.ndarray:
    """The columns at `positions` as floats: the take `rows[names]` does, without looking
    the names up again, so the array (and the order a sum over it adds in) is the same."""
    return rows.take(positions, axis=1).to_numpy(dtype=float)


def _months(frame: pd.DataFrame) -> int:
    return int(pd.Series(frame["date"]).nunique())


def _annual_rate(t: _Slices, name: str, positions: list[int]) -> float:
    """The period's total of the columns at `positions` of table `name`, per 12 months."""
    months = t.months(name)
    if months == 0:
        return float("nan")
    return float(_values(t.rows(name), positions).sum()) * 12.0 / months


def _mean(t: _Slices, name: str, positions: list[int]) -> float:
    """The mean over the period's rows of table `name` of their columns at `positions`
    summed."""
    rows = t.rows(name)
    if rows.empty:
        return float("nan")
    return float(_values(rows, positions).sum(axis=1).mean())


def discounted_sum(frame: pd.DataFrame, column: str, ctx: Context) -> float:
    """Present value at the run's first month of a monthly flow, up to the period's end."""
    if frame.empty:
        return float("nan")
    return _present_value(pd.DatetimeIndex(pd.to_datetime(frame["date"])),
                          frame[column].to_numpy(dtype=float), ctx)


def _present_value(dates: pd.DatetimeIndex, flow: np.ndarray, ctx: Context) -> float:
    """`discounted_sum` of the monthly `flow` at `dates`."""
    first = dates.min()
    years = dates.year
    months = (years - first.year) * 12 + (dates.month - first.month)
    keep = ctx.period.until_end_years(years.to_numpy())
    factor = (1.0 + ctx.discount_rate_per_year) ** (-months.to_numpy()[keep] / 12.0)
    return float((flow[keep] * factor).sum())


# ----------------------------------------------------------------------------- functions
def target_share(t: Tables, ctx: Context) -> float:
    rows = _view(t, ctx).rows("sections")
    return float(rows["meets_target"].astype(float).mean()) if len(rows) else float("nan")


def load_t_per_yr(pollutant: str) -> Callable[[Tables, Context], float]:
    pattern = rf"{pollutant}_kg_.+"

    def func(t: Tables, ctx: Context) -> float:
        v = _view(t, ctx)
        return _annual_rate(v, "township", v.positions("township", pattern)) / 1000.0

    func.__name__ = f"{pollutant}_t_per_yr"
    return func


def cod_t_cumulative(t: Tables, ctx: Context) -> float:
    v = _view(t, ctx)
    rows = v.rows("township", until_end=True)
    return float(_values(rows, v.positions("township", r"cod_kg_.+")).sum()) / 1000.0


def income_per_capita(t: Tables, ctx: Context) -> float:
    v = _view(t, ctx)
    return _annual_rate(v, "township", v.positions("township", "income_per_capita_yuan"))


def income_gini_villages(t: Tables, ctx: Context) -> float:
    v = _view(t, ctx)
    rows = v.rows("villages")
    if rows.empty:
        return float("nan")
    year_idx, years = pd.factorize(v.years("villages")[v.mask("villages")], sort=True)
    vil_idx, villages = pd.factorize(rows["village"].to_numpy(), sort=True)
    cell = year_idx * len(villages) + vil_idx
    size = len(years) * len(villages)
    income = np.bincount(cell, rows["income_per_capita_yuan"].to_numpy(dtype=float), size)
    people = np.bincount(cell, rows["population"].to_numpy(dtype=float), size)
    count = np.bincount(cell, minlength=size)
    ginis = []
    for y in range(len(years)):
        sl = slice(y * len(villages), (y + 1) * len(villages))
        n = np.maximum(count[sl], 1)
        # annual income per capita: months summed, scaled to 12 months; population: mean
        ginis.append(weighted_gini(income[sl] * 12.0 / n, people[sl] / n))
    return float(np.mean(ginis))


def flow_per_yr(column: str) -> Callable[[Tables, Context], float]:
    pattern = re.escape(column)

    def func(t: Tables, ctx: Context) -> float:
        v = _view(t, ctx)
        return _annual_rate(v, "township", v.positions("township", pattern))

    func.__name__ = f"{column}_per_yr"
    return func


def stock_mean(pattern: str) -> Callable[[Tables, Context], float]:
    def func(t: Tables, ctx: Context) -> float:
        v = _view(t, ctx)
        return _mean(v, "township", v.positions("township", pattern))

    func.__name__ = f"mean_{pattern}"
    return func


def spending_npv(t: Tables, ctx: Context) -> float:
    v = _view(t, ctx)
    tw = v["township"]
    if tw.empty:
        return float("nan")
    return _present_value(v.dates("township"),
                          tw["public_spending_yuan"].to_numpy(dtype=float), ctx)


_TW = "township"
NON_NEGATIVE: Bounds = (0.0, None)
OUTCOMES: dict[str, Outcome] = {o.name: o for o in (
    Outcome("target_share", "share of samples", "maximise",
            "monthly section samples meeting the river's target class (GB 3838-2002 III)",
            (("sections", "meets_target"),), target_share, key=True, bounds=(0.0, 1.0)),
    Outcome("cod_t_per_yr", "t/yr", "minimise", "COD reaching the river, all sources",
            ((_TW, r"cod_kg_.+"),), load_t_per_yr("cod"), key=True, bounds=NON_NEGATIVE),
    Outcome("nh3n_t_per_yr", "t/yr", "minimise", "NH3-N reaching the river, all sources",
            ((_TW, r"nh3n_kg_.+"),), load_t_per_yr("nh3n"),
            bounds=NON_NEGATIVE),
    Outcome("tp_t_per_yr", "t/yr", "minimise", "TP reaching the river, all sources",
            ((_TW, r"tp_kg_.+"),), load_t_per_yr("tp"),
            bounds=NON_NEGATIVE),
    Outcome("cod_t_cumulative", "t", "minimise",
            "COD reaching the river from the run's start to the period's end",
            ((_TW, r"cod_kg_.+"),), cod_t_cumulative,
            bounds=NON_NEGATIVE),
    Outcome("income_per_capita_yuan_per_yr", "yuan/person/yr", "maximise",
            "disposable income per resident", ((_TW, "income_per_capita_yuan"),),
            income_per_capita, key=True),
    Outcome("income_gini_villages", "Gini (0-1)", "minimise",
            "inequality of annual per-capita income between villages, population-weighted",
            (("villages", "income_per_capita_yuan"), ("villages", "population")),
            income_gini_villages,
            bounds=(0.0, 1.0)),
    Outcome("visits_per_yr", "visits/yr", "maximise", "tourist visits",
            ((_TW, "visits"),), flow_per_yr("visits"),
            bounds=NON_NEGATIVE),
    Outcome("tourism_revenue_yuan_per_yr", "yuan/yr", "maximise", "tourism revenue",
            ((_TW, "tourism_revenue_yuan"),), flow_per_yr("tourism_revenue_yuan"),
            bounds=NON_NEGATIVE),
    Outcome("local_jobs", "jobs", "maximise", "jobs in modelled local businesses (*_jobs)",
            ((_TW, r".+_jobs"),), stock_mean(r".+_jobs"),
            bounds=NON_NEGATIVE),
    Outcome("satisfaction_mean", "score 0-100", "maximise", "residents' mean satisfaction",
            ((_TW, "satisfaction_mean"),), stock_mean("satisfaction_mean"),
            bounds=(0.0, 100.0)),
    Outcome("coculture_households", "households", "maximise",
            "households farming rice with crayfish or fish", ((_TW, "coculture_households"),),
            stock_mean("coculture_households"),
            bounds=NON_NEGATIVE),
    Outcome("public_spending_yuan_per_yr", "yuan/yr", "minimise", "public spending, all levers",
            ((_TW, "public_spending_yuan"),), flow_per_yr("public_spending_yuan"),
            bounds=NON_NEGATIVE),
    Outcome("public_spending_npv_yuan", "yuan (present value)", "minimise",
            "public spending from the run's start to the period's end, discounted to the start",
            ((_TW, "public_spending_yuan"),), spending_npv,
            bounds=NON_NEGATIVE),
)}

RATIOS: dict[str, Ratio] = {r.name: r for r in (
    Ratio("cost_per_t_cod_avoided", "yuan/t", "minimise",
          "extra public spending (present value) per tonne of COD kept out of the river, "
          "against the base scenario, from the run's start to the period's end",
          numerator="public_spending_npv_yuan", denominator="cod_t_cumulative"),
)}


def available(tables: Tables) -> list[Outcome]:
    """The registered outcomes whose columns are present in `tables`."""
    return [o for o in OUTCOMES.values() if o.applies(tables)]


def evaluate(tables: Tables, ctx: Context | None = None,
             names: list[str] | None = None) -> dict[str, float]:
    """Every applicable outcome (or those in `names`) of one replicate's tables."""
    ctx = ctx or Context()
    chosen = [OUTCOMES[n] for n in names] if names is not None else list(OUTCOMES.values())
    shared = _Slices(tables, ctx)  # each table's rows in the period, found once for all
    return {o.name: o.func(shared, ctx) for o in chosen if o.applies(shared)}


def describe() -> pd.DataFrame:
    """The registry as a table (name, unit, direction, key, description)."""
    rows = [{"name": o.name, "unit": o.unit, "direction": o.direction, "key": o.key,
             "description": o.description} for o in OUTCOMES.values()]
    rows += [{"name": r.name, "unit": r.unit, "direction": r.direction, "key": False,
              "description": r.description + " (compare only)"} for r in RATIOS.values()]
    return pd.DataFrame(rows)


__all__ = ["DISCOUNT_RATE_PER_YEAR", "OUTCOMES", "RATIOS", "Context", "Outcome", "Period",
           "Ratio", "available", "describe", "evaluate", "weighted_gini"]
