"""The report's key figures: each a mean across replicates with its 95 % interval (from
`sim.analysis.stats`, the interval `compare` prints), in the page's language."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from sim.analysis.stats import UNBOUNDED, Bounds, format_interval, mean_ci
from sim.report.data import RunData
from sim.report.figures import (
    POLLUTANTS,
    annual_values,
    has_data,
    months_per_year,
    pollutant_total,
    survey_rows,
)
from sim.report.i18n import Tr

EVENT_ROWS = 200


def format_ci(values: Iterable[float], fmt: str = "{:,.1f}", bounds: Bounds = UNBOUNDED,
              scale: float = 1.0) -> str:
    """``mean [low, high]``: the mean across replicates and its 95 % interval from
    `sim.analysis.stats.mean_ci` (the interval `compare` prints), cut at `bounds` (in the
    values' own units) and then multiplied by `scale` for display; just the mean for one
    value, '—' for none."""
    ci = mean_ci(np.asarray(list(values), dtype=float), bounds=bounds)
    return format_interval(ci.mean * scale, ci.low * scale, ci.high * scale, fmt)


ROUTINE_KINDS = ("issue_resolved",)
"""Event kinds the report counts but does not list: dozens a year, one per village and kind
the councils resolve, they would push the rarer events (closures, outages, investments) out of
the first rows. They stay in events.parquet; the township table counts them."""


def shown_events(events: pd.DataFrame) -> pd.DataFrame:
    """The events of the replicate the report shows: replicate 0, or the lowest there is."""
    return events[events["replicate"] == events["replicate"].min()] if len(events) else events


def routine_count(events: pd.DataFrame) -> int:
    """How many routine events (`ROUTINE_KINDS`) the shown replicate has."""
    return int(shown_events(events)["kind"].astype(str).isin(ROUTINE_KINDS).sum())


def events_table(events: pd.DataFrame, limit: int = EVENT_ROWS) -> pd.DataFrame:
    """Events of the shown replicate (`shown_events`) by date, routine kinds left out: date,
    kind, subject, detail."""
    mine = shown_events(events)
    mine = mine[~mine["kind"].astype(str).isin(ROUTINE_KINDS)]
    rows = mine.sort_values("date", kind="stable").head(limit)
    return rows.assign(date=rows["date"].dt.strftime("%Y-%m-%d"))[["date", "kind", "subject",
                                                                   "detail"]]


def _window(town: pd.DataFrame, column: str, start: str, months: int) -> pd.DataFrame | None:
    """Rows of ``column`` in the ``months`` months from ``start`` (None unless every replicate
    has a value in each of them: no figure from part of the window)."""
    if not has_data(town, column):
        return None
    end = pd.Timestamp(start) + pd.DateOffset(months=months)
    rows = town[(town["date"] >= start) & (town["date"] < end)].dropna(subset=[column])
    covered = rows.groupby("replicate")["date"].nunique()
    complete = len(covered) == town["replicate"].nunique() and (covered == months).all()
    return rows if complete else None


def _h1_sum(town: pd.DataFrame, column: str, scale: float, fmt: str) -> str:
    rows = _window(town, column, "2025-01-01", 6)
    return "—" if rows is None else format_ci(rows.groupby("replicate")[column].sum() / scale, fmt,
                                              bounds=(0.0, None))


def _ranked_first(town: pd.DataFrame, tr: Tr) -> str:
    """Replicates ranked first in the county in each survey of March, June and Sept 2025."""
    rows = survey_rows(town)
    rows = rows[rows["date"].isin(pd.to_datetime(["2025-03-01", "2025-06-01", "2025-09-01"]))]
    rows = rows.dropna(subset=["satisfaction_rank"])
    if rows.groupby("replicate")["date"].nunique().min() != 3 or \
            rows["replicate"].nunique() != town["replicate"].nunique():
        return "—"
    first = (rows["satisfaction_rank"] == 1).groupby(rows["replicate"]).all()
    return tr("kf.ranked.value", k=int(first.sum()), n=len(first), share=f"{first.mean():.0%}")


def key_figures(run: RunData, tr: Tr | None = None) -> dict[str, str]:
    """Key figures of one scenario, each as mean [95 % CI] across replicates, labelled in the
    language of `tr` (English by default); the figures of tourism, farms and everyday life
    only when the run has their columns."""
    tr = tr or Tr("en")
    money = tr.money_scale
    town = run.township
    full = [y for y, n in months_per_year([town]).items() if n == 12]
    last = max(full) if full else None
    row = {"scenario": run.name, tr("kf.last_year"): str(last) if last else "—"}
    share = "—"
    h1 = town[(town["date"] >= "2025-01-01") & (town["date"] < "2025-07-01")]
    if "sections_meeting_target_share" in town.columns and h1["date"].dt.month.nunique() == 6:
        per_rep = h1.groupby("replicate")["sections_meeting_target_share"].mean()
        share = format_ci(per_rep, "{:.1f}%" if tr.lang == "zh" else "{:.1f} %",
                          bounds=(0.0, 1.0), scale=100)
    row[tr("kf.share")] = share

    def last_year(column: pd.Series, scale: float, fmt: str,
                  bounds: Bounds = (0.0, None)) -> str:
        if last is None or column.isna().all():
            return "—"
        vals = annual_values(town.assign(_v=column), "_v", "sum")
        return format_ci(vals.loc[vals["year"] == last, "value"] / scale, fmt, bounds=bounds)

    for code in POLLUTANTS:
        row[tr("kf.load", pollutant=tr(f"pollutant.{code}"))] = last_year(
            pollutant_total(town, code), 1000, "{:,.1f}" if code == "cod" else "{:,.2f}")
    income = town.get("income_per_capita_yuan", pd.Series(np.nan, index=town.index))
    row[tr("kf.income")] = last_year(income, 1, "{:,.0f}", UNBOUNDED)
    spend: pd.Series | list[float] = (
        town.groupby("replicate")["public_spending_yuan"].sum() / money
        if "public_spending_yuan" in town.columns else [])
    row[tr("kf.spending", money=tr("money.unit"))] = format_ci(
        spend, "{:,.2f}" if money > 1e5 else "{:,.0f}", bounds=(0.0, None))
    if has_data(town, "visits"):
        row[tr("kf.visits")] = _h1_sum(town, "visits", 1, "{:,.0f}")
    if has_data(town, "tourism_revenue_yuan"):
        row[tr("kf.revenue", money=tr("money.unit"))] = _h1_sum(
            town, "tourism_revenue_yuan", money, "{:,.2f}" if money > 1e5 else "{:,.0f}")
    if has_data(town, "coculture_households"):
        june = _window(town, "coculture_households", "2025-06-01", 1)
        row[tr("kf.coculture")] = "—" if june is None else format_ci(
            june.groupby("replicate")["coculture_households"].mean(), "{:,.0f}",
            bounds=(0.0, None))
    if has_data(town, "good_air_days"):
        row[tr("kf.air")] = _h1_sum(town, "good_air_days", 1, "{:,.1f}")
    if has_data(town, "satisfaction_rank"):
        row[tr("kf.ranked")] = _ranked_first(town, tr)
    return row


__all__ = ["EVENT_ROWS", "ROUTINE_KINDS", "events_table", "format_ci", "key_figures",
           "routine_count", "shown_events"]
