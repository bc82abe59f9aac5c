"""The yearly ecological archive and the monthly village red/black list (pure functions)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def _ranks(x: np.ndarray) -> np.ndarray:
    """1-based ranks within each row of a 2-D array, ascending; ties keep village order
    (stable)."""
    order = np.argsort(x, axis=1, kind="stable")
    out = np.empty(x.shape, dtype=np.int64)
    out[np.arange(x.shape[0])[:, None], order] = np.arange(1, x.shape[1] + 1)
    return out


def village_ranks(sorting_share: np.ndarray, burning_per_household: np.ndarray,
                  unresolved: np.ndarray, cod_kg_per_capita: np.ndarray,
                  listed: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rank villages on four indicators (mean of ranks, 1 = best; ties by village number);
    the top `listed` form the red list and the bottom `listed` the black list.

    Indicators are one value per village, or (months × villages) to rank every month at once
    (each month as it would be alone: the same values, sorts and sums)."""
    # the indicators are ranked together, one row each (counts become floats exactly, so
    # their order and ties stay)
    by_indicator = np.array([-np.asarray(sorting_share), burning_per_household, unresolved,
                             cod_kg_per_capita], dtype=float)
    n = by_indicator.shape[-1]
    by_indicator = _ranks(by_indicator.reshape(-1, n)).reshape(by_indicator.shape)
    ranks = by_indicator.sum(axis=0) / 4  # sums of small integers: exact in any order
    final = _ranks(ranks.reshape(-1, n)).reshape(ranks.shape)
    return final, final <= listed, final > n - listed


SUMS = ("good_air_days", "rubbish_t", "public_spending_yuan", "issues_raised",
        "issues_resolved")
LASTS = ("legacy_rubbish_t", "green_area_mu")
MEANS = ("sections_meeting_target_share", "council_participation_share")
PROJECT_KINDS = ("closure", "facility_online", "investment", "retrofit", "sand_site_closed",
                 "investor_refused")


def _years(dates: pd.Series) -> np.ndarray:
    """The calendar year of each datetime value."""
    return dates.to_numpy().astype("datetime64[Y]").astype(np.int64) + 1970


class _Years:
    """A run's monthly rows grouped by calendar year (rows in date order, as a run records
    them), with the yearly aggregates the archive takes; NaN (a month without the value, such
    as a month without a survey) is skipped, as pandas' groupby skips it."""

    def __init__(self, year: np.ndarray) -> None:
        if np.any(np.diff(year) < 0):
            raise ValueError("archive: the township table's rows are not in date order")
        self.year, self.starts, self.counts = np.unique(year, return_index=True,
                                                        return_counts=True)
        self.ends = self.starts + self.counts

    def sum(self, values: np.ndarray) -> np.ndarray:
        """Each year's total (integers exactly; floats by `np.add.reduceat` over the year's
        months, which may differ from other summation orders in the last bits)."""
        if values.dtype.kind == "f":
            values = np.where(np.isnan(values), 0.0, values)
        return np.add.reduceat(values, self.starts)

    def mean(self, values: np.ndarray) -> np.ndarray:
        """Each year's mean over the months that have a value (NaN if none has)."""
        values = values.astype(float)
        has = ~np.isnan(values)
        n = np.add.reduceat(has, self.starts, dtype=np.int64)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(n > 0, self.sum(values) / n, np.nan)

    def last(self, values: np.ndarray) -> np.ndarray:
        """Each year's last value that is not NaN (NaN if none); integers keep their type."""
        if values.dtype.kind in "iub":  # no NaN: the year's last month
            return values[self.ends - 1]
        values = values.astype(float)
        out = np.full(self.year.size, np.nan)
        for k, (lo, hi) in enumerate(zip(self.starts.tolist(), self.ends.tolist(), strict=True)):
            known = np.flatnonzero(~np.isnan(values[lo:hi]))
            if known.size:
                out[k] = values[lo + known[-1]]
        return out

    def min(self, values: np.ndarray) -> np.ndarray:
        """Each year's smallest value that is not NaN (NaN if none)."""
        values = values.astype(float)
        low = np.minimum.reduceat(np.where(np.isnan(values), np.inf, values), self.starts)
        return np.where(np.isinf(low) & (low > 0), np.nan, low)


def build_archive(township: pd.DataFrame, sections: pd.DataFrame,
                  events: pd.DataFrame) -> pd.DataFrame:
    """One row per year of a run: environmental quality, projects and their costs, feedback.

    The tables are one run's, as `sim.model.run` gives them (archives of several runs are
    the concatenation of each run's). A run's months are in date order, so each year is a
    slice of rows and its aggregates are numpy reductions over the slices (pandas' groupby
    cost several milliseconds a run for twenty rows)."""
    if township["scenario"].nunique() > 1 or township["replicate"].nunique() > 1:
        raise ValueError("build_archive takes the tables of one run")
    years = _Years(_years(township["date"]))
    n = years.year.size

    def column(name: str) -> np.ndarray:
        return township[name].to_numpy()

    out: dict[str, object] = {
        "scenario": pd.array(np.repeat(township["scenario"].to_numpy()[:1], n),
                             dtype=township["scenario"].dtype),  # type: ignore[arg-type]
        "replicate": np.repeat(township["replicate"].to_numpy(dtype=np.int64)[:1], n),
        "date": (years.year - 1970).astype("datetime64[Y]").astype("datetime64[ns]"),
        "year": years.year.astype(np.int32),  # the type of pandas' dt.year
        "months": years.counts.astype(np.int64),
    }
    have = set(township.columns)
    levers = [c for c in township.columns if c.startswith("public_spending_yuan_")]
    order = ["good_air_days", "rubbish_t", "legacy_rubbish_t", "green_area_mu",
             "sections_meeting_target_share", "public_spending_yuan",
             "satisfaction_survey_mean", "satisfaction_rank_best", "issues_raised",
             "issues_resolved", "council_participation_share", *levers]
    for name in order:
        if name in SUMS or name in levers:
            if name in have:
                out[name] = years.sum(column(name))
        elif name in LASTS:
            if name in have:
                out[name] = years.last(column(name))
        elif name in MEANS:
            if name in have:
                out[name] = years.mean(column(name))
        elif name == "satisfaction_survey_mean" and "satisfaction_survey" in have:
            out[name] = years.mean(column("satisfaction_survey"))
        elif (name == "satisfaction_rank_best" and "satisfaction_survey" in have
              and "satisfaction_rank" in have):
            # the rank is carried between surveys; only survey months count for the year
            survey = column("satisfaction_survey").astype(float)
            rank = np.where(np.isnan(survey), np.nan, column("satisfaction_rank").astype(float))
            out[name] = years.min(rank)
    out |= _water_class_means(sections, years)
    out["projects"] = pd.array(_projects(events, years.year), dtype="string")
    return pd.DataFrame(out)


def _water_class_means(sections: pd.DataFrame, years: _Years) -> dict[str, np.ndarray]:
    """Each section's mean water class in each year of the township table (NaN for a year
    without its samples), sections in order of name."""
    out: dict[str, np.ndarray] = {}
    if not len(sections):
        return out
    year = _years(sections["date"])
    name = sections["section"].to_numpy(dtype=object)
    cls = sections["water_class"].to_numpy(dtype=float)
    at = np.searchsorted(years.year, year)
    known = (at < years.year.size) & (years.year[np.minimum(at, years.year.size - 1)] == year)
    for section in sorted(set(name.tolist())):
        rows = known & (name == section) & ~np.isnan(cls)  # a missing class is skipped
        total = np.bincount(at[rows], weights=cls[rows], minlength=years.year.size)
        count = np.bincount(at[rows], minlength=years.year.size)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"water_class_mean_{section}"] = np.where(count > 0, total / count, np.nan)
    return out


def _projects(events: pd.DataFrame, year: np.ndarray) -> list[str]:
    """Each year's projects ("kind subject", "; "-separated, in the order logged)."""
    items: list[list[str]] = [[] for _ in range(year.size)]
    if len(events):
        when = _years(events["date"])
        at = np.searchsorted(year, when)
        known = (at < year.size) & (year[np.minimum(at, year.size - 1)] == when)
        for i, ok, kind, subject in zip(at.tolist(), known.tolist(), events["kind"].tolist(),
                                        events["subject"].tolist(), strict=True):
            if ok and kind in PROJECT_KINDS:  # a project, in a year of the township table
                items[i].append(f"{kind} {subject}")
    return ["; ".join(x) for x in items]
