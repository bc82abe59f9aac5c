"""Figures of the HTML report (``sim.report.page``): annual aggregation across replicates and one
plotly figure per topic, grouped into the report's sections.

Every figure reads only the run folders' tables; a figure whose columns are absent (older runs)
is skipped, so the same code serves runs written before and after a column was added.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from pandas.core.groupby import SeriesGroupBy
from plotly.colors import hex_to_rgb, qualitative
from plotly.subplots import make_subplots

from sim.report.data import RunData
from sim.report.i18n import Tr

LOAD_COLUMN = re.compile(r"^(cod|nh3n|tp)_kg_(.+)$")
POLLUTANTS: tuple[str, ...] = ("cod", "nh3n", "tp")
TARGET_CLASS = 3
SCENARIO_COLOURS: tuple[str, ...] = tuple(qualitative.Plotly)
SOURCE_COLOURS: tuple[str, ...] = tuple(qualitative.Set2)
SPENDING_COLOURS: tuple[str, ...] = tuple(qualitative.Dark2) + ("#1f5fa8", "#8c564b", "#999999")
SPENDING_COLUMN = re.compile(r"^public_spending_yuan_(.+)$")
# Colours of the water classes I .. worse than V: blues/green meet class III, yellow to red fail.
CLASS_COLOURS: tuple[str, ...] = ("#1c4e9c", "#3d8fd6", "#3aa655", "#f2c318", "#f07f1f", "#c0281f")
SURVEY_MONTHS = (3, 6, 9, 12)
How = Literal["sum", "mean", "last"]
Figure = tuple[str, str, str, go.Figure]
Section = tuple[str, str, list[Figure]]  # (slug, heading, figures)


def annual_values(frame: pd.DataFrame, column: str, how: How) -> pd.DataFrame:
    """One value per (replicate, year) of a monthly column, with the number of months it covers."""
    data = frame[["replicate", "date", column]].dropna(subset=[column])
    data = data.sort_values(["replicate", "date"], kind="stable")
    groups = data.assign(year=data["date"].dt.year).groupby(["replicate", "year"], sort=True)
    out = groups[column].agg(how).rename("value").to_frame()
    out["months"] = groups["date"].nunique()
    return out.reset_index()


def _band(groups: SeriesGroupBy) -> pd.DataFrame:
    """Per group: mean, median, the 25–75 % (q25, q75) and 5–95 % (lo, hi) quantiles, count."""
    return pd.DataFrame({"mean": groups.mean(), "median": groups.median(),
                         "q25": groups.quantile(0.25), "q75": groups.quantile(0.75),
                         "lo": groups.quantile(0.05), "hi": groups.quantile(0.95),
                         "n": groups.count()})


_BANDS: dict[tuple[int, str, str], tuple[pd.DataFrame, pd.DataFrame]] = {}


@contextlib.contextmanager
def shared_bands() -> Iterator[None]:
    """Within this block, `annual_band` of the same frame, column and aggregation is worked out
    once (the page draws every figure in two languages from the same numbers)."""
    try:
        yield
    finally:
        _BANDS.clear()


def annual_band(frame: pd.DataFrame, column: str, how: How) -> pd.DataFrame:
    """Per year: mean, 5 % and 95 % quantiles (lo, hi) and count n across replicates, and the
    fewest months a replicate covers; sums keep only years with 12 months."""
    key = (id(frame), column, how)
    hit = _BANDS.get(key)
    if hit is not None and hit[0] is frame:  # the frame is kept alive with it: ids stay apart
        return hit[1].copy()
    band = _annual_band(frame, column, how)
    _BANDS[key] = (frame, band)
    return band.copy()


def _annual_band(frame: pd.DataFrame, column: str, how: How) -> pd.DataFrame:
    values = annual_values(frame, column, how)
    if how == "sum":
        values = values[values["months"] == 12]
    groups = values.groupby("year", sort=True)
    return _band(groups["value"]).assign(months=groups["months"].min()).reset_index()


def monthly_band(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Per month (column ``date``): mean, 5 % and 95 % quantiles and count across replicates."""
    data = frame[["date", column]].dropna(subset=[column])
    return _band(data.groupby("date", sort=True)[column]).reset_index()


def months_per_year(frames: Iterable[pd.DataFrame]) -> dict[int, int]:
    """Distinct simulated months in each calendar year over the given frames."""
    dates = pd.concat([f["date"] for f in frames]).drop_duplicates()
    return {int(y): int(n) for y, n in dates.groupby(dates.dt.year).nunique().items()}


def has_data(frame: pd.DataFrame, column: str) -> bool:
    """True when the table has the column with at least one value."""
    return column in frame.columns and bool(frame[column].notna().any())


def load_columns(columns: Iterable[str]) -> list[tuple[str, str, str]]:
    """(column, pollutant, source) for every load column named ``<pollutant>_kg_<source>``."""
    return [(c, m.group(1), m.group(2)) for c in columns if (m := LOAD_COLUMN.match(c))]


def pollutant_total(township: pd.DataFrame, pollutant: str) -> pd.Series:
    """Monthly load of one pollutant summed over all sources (kg); NaN if it has no columns."""
    cols = [c for c, p, _ in load_columns(township.columns) if p == pollutant]
    if not cols:
        return pd.Series(np.nan, index=township.index)
    return township[cols].sum(axis=1, min_count=1)


def section_order(sections: pd.DataFrame) -> list[str]:
    """Section names upstream → downstream (by mean ``river_km`` when present)."""
    if "river_km" in sections.columns:
        km = sections.groupby("section", sort=False)["river_km"].mean()
        return [str(s) for s in km.sort_values(kind="stable").index]
    return [str(s) for s in pd.unique(sections["section"])]


def survey_rows(township: pd.DataFrame) -> pd.DataFrame:
    """The quarterly survey months: rows with a survey score, else March/June/Sept/December."""
    if "satisfaction_survey" in township.columns:
        return township[township["satisfaction_survey"].notna()]
    return township[township["date"].dt.month.isin(SURVEY_MONTHS)]


def ranked_first_share(township: pd.DataFrame) -> pd.DataFrame:
    """Per survey month (``date``): share of replicates ranked first in the county, and n."""
    rows = survey_rows(township).dropna(subset=["satisfaction_rank"])
    first = (rows["satisfaction_rank"] == 1).groupby(rows["date"], sort=True)
    return pd.DataFrame({"share": first.mean(), "n": first.count()}).reset_index()


def _add_band(fig: go.Figure, band: pd.DataFrame, name: str, colour: str, *, x: str = "year",
              row: int | None = None, col: int | None = None, legend: bool = True,
              label: str | None = None) -> None:
    """Add a fan of one scenario: the 5–95 % and 25–75 % bands of its replicates (shaded,
    ``tonexty``) and the median line (`name` groups its traces; `label`, in the page's
    language, is shown)."""
    edge = {"x": band[x], "mode": "lines", "legendgroup": name, "hoverinfo": "skip",
            "line": {"width": 0}, "showlegend": False}
    rgb = hex_to_rgb(colour)
    for low, high, alpha in (("lo", "hi", 0.14), ("q25", "q75", 0.3)):
        fig.add_trace(go.Scatter(y=band[low], **edge), row=row, col=col)
        fig.add_trace(go.Scatter(y=band[high], fill="tonexty", **edge,
                                 fillcolor="rgba({},{},{},{})".format(*rgb, alpha)),
                      row=row, col=col)
    fig.add_trace(go.Scatter(x=band[x], y=band["median"], name=label or name, legendgroup=name,
                             mode="lines" if x == "date" else "lines+markers",
                             line={"color": colour}, showlegend=legend), row=row, col=col)


def _first(seen: set[str], key: str) -> bool:
    """True the first time ``key`` is seen (one legend entry per group across subplots)."""
    new = key not in seen
    seen.add(key)
    return new


def finish_figure(
    fig: go.Figure, height: int, *, dtick: int | None = 1, hover: str = "x unified",
) -> go.Figure | None:
    """Common layout (legend above the plot, years as integer ticks); None without traces."""
    if not fig.data:
        return None
    fig.update_layout(template="plotly_white", height=height, hovermode=hover,  # top margin: legend
                      margin={"l": 80, "r": 30, "t": 80 if fig.layout.annotations else 50, "b": 40},
                      legend={"orientation": "h", "x": 0, "y": 1, "yref": "container",
                              "yanchor": "top", "font": {"size": 13}})
    if dtick:
        fig.update_xaxes(dtick=dtick, tickformat="d")
    fig.update_yaxes(hoverformat=",.4~r")
    return fig


def class_grid(sections: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per section (rows, upstream first) and month: median class across replicates (the worse
    of the two middle values) and the share of replicates meeting the target class."""
    data = sections.assign(section=sections["section"].astype(str))
    keys = [data["section"], data["date"]]
    median = data.groupby(keys)["water_class"].quantile(0.5, interpolation="higher")
    share = (data["water_class"] <= TARGET_CLASS).groupby(keys).mean()
    order = section_order(data)
    return median.unstack("date").reindex(order), share.unstack("date").reindex(order)


def fig_water_class(runs: Sequence[RunData], tr: Tr) -> go.Figure | None:
    """One heatmap per scenario: sections (rows) × months, coloured by the median class."""
    scale = [[(i + k) / len(CLASS_COLOURS), c] for i, c in enumerate(CLASS_COLOURS) for k in (0, 1)]
    fig = make_subplots(rows=len(runs), cols=1, shared_xaxes=True, vertical_spacing=0.1,
                        subplot_titles=[tr.name("scenario", r.name) for r in runs])
    labels_all = [tr.class_label(k) for k in range(1, len(CLASS_COLOURS) + 1)]
    for i, run in enumerate(runs, start=1):
        median, share = class_grid(run.sections)
        labels = median.map(lambda v: "" if pd.isna(v) else labels_all[int(v) - 1])
        fig.add_trace(go.Heatmap(
            z=median.to_numpy(), x=median.columns,
            y=[tr.name("section", s) for s in median.index], text=labels.to_numpy(),
            customdata=share.to_numpy(), zmin=0.5, zmax=len(CLASS_COLOURS) + 0.5,
            colorscale=scale, showscale=i == 1, ygap=2, name=tr.name("scenario", run.name),
            colorbar={"title": {"text": tr("fig.water_class.bar")},
                      "tickvals": list(range(1, 7)), "ticktext": labels_all},
            hovertemplate=tr("fig.water_class.hover", target=tr.class_label(TARGET_CLASS))
            + f"<extra>{tr.name('scenario', run.name)}</extra>",
        ), row=i, col=1)
    fig.update_yaxes(autorange="reversed", title_text=tr("fig.water_class.axis"))
    fig.update_xaxes(dtick="M12", tickformat="%Y", ticklabelmode="period")
    rows = max(len(trace.y) for trace in fig.data)
    return finish_figure(fig, len(runs) * (34 * rows + 70) + 60, dtick=None, hover="closest") \
        if rows else None  # no section rows at all


def fig_annual_lines(
    runs: Sequence[RunData], colours: dict[str, str], column: str, how: How, *, y_title: str,
    tr: Tr, percent: bool = False, height: int = 420,
) -> go.Figure | None:
    """Annual mean and 5–95 % band of one township column per scenario (None if absent);
    ``percent`` shows a share from 0 %."""
    fig = go.Figure()
    for run in runs:
        if has_data(run.township, column):
            _add_band(fig, annual_band(run.township, column, how), run.name, colours[run.name],
                      label=tr.name("scenario", run.name))
    fig.update_yaxes(title_text=y_title, tickformat=".0%" if percent else None,
                     rangemode="tozero" if percent else "normal")
    fig = finish_figure(fig, height)
    return fig.update_yaxes(hoverformat=".1%") if fig and percent else fig


@dataclass(frozen=True)
class Panel:
    """One subplot of annual values of a township column: ``how`` aggregates the months of a
    year, the result is divided by ``scale`` (per person and month first if ``per_capita``);
    ``zero`` keeps 0 on the y axis (counts and totals), ``percent`` shows a share from 0 %."""

    column: str
    how: How
    title: str  # catalogue keys
    y_title: str
    scale: float = 1.0  # 0: money, in the page's unit (万元 or million yuan)
    percent: bool = False
    per_capita: bool = False
    zero: bool = True
    per_jin_zh: bool = False  # a price per kg, shown per 斤 (0.5 kg) on Chinese pages (GLOSSARY)

    def values(self, town: pd.DataFrame, tr: Tr) -> pd.DataFrame | None:
        """The scaled column as ``_v`` (None when absent), ready for ``annual_band``."""
        if not has_data(town, self.column) or (self.per_capita and "population" not in town):
            return None
        scale = self.scale or tr.money_scale
        value = town[self.column] / (town["population"] if self.per_capita else 1) / scale
        if self.per_jin_zh and tr.lang == "zh":
            value = value / 2.0
        return town[["replicate", "date"]].assign(_v=value)


def fig_panels(runs: Sequence[RunData], colours: dict[str, str], panels: Sequence[Panel],
               tr: Tr, *, cols: int | None = None, row_height: int = 330) -> go.Figure | None:
    """Side-by-side annual mean lines with 5–95 % bands per scenario, one subplot per panel
    that has data in some run (None when none has)."""
    found = [(p, [(r, v) for r in runs if (v := p.values(r.township, tr)) is not None])
             for p in panels]
    found = [(p, data) for p, data in found if data]
    if not found:
        return None
    cols = min(cols or len(found), len(found))
    rows = math.ceil(len(found) / cols)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[tr(p.title) for p, _ in found],
                        horizontal_spacing=0.22 / cols + 0.03, vertical_spacing=0.3 / rows)
    seen: set[str] = set()
    for k, (panel, data) in enumerate(found):
        row, col = k // cols + 1, k % cols + 1
        for run, values in data:
            _add_band(fig, annual_band(values, "_v", panel.how), run.name, colours[run.name],
                      legend=_first(seen, run.name), row=row, col=col,
                      label=tr.name("scenario", run.name))
        fig.update_yaxes(title_text=tr(panel.y_title), row=row, col=col, **(
            {"tickformat": ".0%", "hoverformat": ".1%"} if panel.percent else {}),
            rangemode="tozero" if panel.zero or panel.percent else "normal")
    fig = finish_figure(fig, row_height * rows + 90)
    if fig is not None and cols > 2:
        fig.update_xaxes(dtick=2)
    return fig


def fig_load_sources(runs: Sequence[RunData], tr: Tr) -> go.Figure | None:
    """Stacked annual tonnes by source (full years, mean of replicates): one row per pollutant,
    one column per scenario."""
    sources = list(dict.fromkeys(s for r in runs for _, _, s in load_columns(r.township.columns)))
    src_colour = {s: SOURCE_COLOURS[i % len(SOURCE_COLOURS)] for i, s in enumerate(sources)}
    row, seen = {code: i for i, code in enumerate(POLLUTANTS, start=1)}, set[str]()
    fig = make_subplots(rows=len(POLLUTANTS), cols=len(runs), shared_xaxes=True,
                        shared_yaxes=True,
                        subplot_titles=[tr.name("scenario", r.name) for r in runs],
                        vertical_spacing=0.06, horizontal_spacing=0.03)
    for j, run in enumerate(runs, start=1):
        for column, code, source in sorted(load_columns(run.township.columns),
                                           key=lambda c: sources.index(c[2])):
            band = annual_band(run.township, column, "sum")
            fig.add_trace(go.Bar(x=band["year"], y=band["mean"] / 1000,
                                 name=tr.name("source", source),
                                 legendgroup=source, marker_color=src_colour[source],
                                 showlegend=_first(seen, source)), row=row[code], col=j)
    for i, code in enumerate(POLLUTANTS, start=1):
        fig.update_yaxes(title_text=tr("fig.axis.unit", name=tr(f"pollutant.{code}"),
                                       unit=tr("unit.t_per_year")), row=i, col=1)
    fig.update_layout(barmode="stack")
    return finish_figure(fig, 260 * len(POLLUTANTS) + 110, dtick=1 if len(runs) < 3 else 2)


def fig_workshops(runs: Sequence[RunData], colours: dict[str, str],
                  tr: Tr) -> go.Figure | None:
    """End-of-year workshops (open / connected / discharging untreated) and jobs, per run."""
    panels = (("workshops_open", tr("fig.workshops.open"), 1, "solid"),
              ("workshops_connected", tr("fig.workshops.connected"), 1, "dash"),
              ("workshops_discharging", tr("fig.workshops.discharging"), 1, "dot"),
              ("workshop_jobs", tr("fig.workshops.jobs"), 2, "solid"))
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.1, subplot_titles=[
        tr("fig.workshops.panel"), tr("fig.workshops.jobs")])
    seen: set[str] = set()
    for run in runs:
        for column, label, col, dash in panels:
            if column in run.township.columns:
                band = annual_band(run.township, column, "last")
                fig.add_trace(go.Scatter(x=band["year"], y=band["mean"], mode="lines+markers",
                                         name=tr.name("scenario", run.name),
                                         legendgroup=run.name,
                                         showlegend=_first(seen, run.name),
                                         line={"color": colours[run.name], "dash": dash},
                                         hovertemplate=f"{label}: %{{y:,.4~r}}"), row=1, col=col)
    for col, text in ((1, tr("fig.workshops.axis")), (2, tr("fig.workshops.jobs_axis"))):
        fig.update_yaxes(title_text=text, rangemode="tozero", row=1, col=col)
    return finish_figure(fig, 430)


def spending_levers(township: pd.DataFrame) -> list[tuple[str, str]]:
    """(column, lever) of each ``public_spending_yuan_<lever>`` column, else of the total."""
    found = [(c, m.group(1)) for c in township.columns if (m := SPENDING_COLUMN.match(c))]
    total = [("public_spending_yuan", "total")] if "public_spending_yuan" in township else []
    return found or total


def fig_spending(runs: Sequence[RunData], tr: Tr) -> go.Figure | None:
    """Public spending per full year by lever, stacked, one panel per scenario (million yuan)."""
    levers = {r.name: spending_levers(r.township) for r in runs}
    shown = [r for r in runs if levers[r.name]]
    labels = list(dict.fromkeys(label for found in levers.values() for _, label in found))
    colour = {s: SPENDING_COLOURS[i % len(SPENDING_COLOURS)] for i, s in enumerate(labels)}
    seen: set[str] = set()
    fig = make_subplots(rows=1, cols=max(len(shown), 1), shared_yaxes=True,
                        horizontal_spacing=0.03,
                        subplot_titles=[tr.name("scenario", r.name) for r in shown])
    for j, run in enumerate(shown, start=1):
        total = 0.0
        for column, label in levers[run.name]:
            band = annual_band(run.township, column, "sum")
            total += float(band["mean"].abs().sum())
            fig.add_trace(go.Bar(x=band["year"], y=band["mean"] / tr.money_scale,
                                 name=tr.name("lever", label),
                                 legendgroup=label, marker_color=colour[label],
                                 showlegend=_first(seen, label)), row=1, col=j)
        if total == 0:
            axis = "" if j == 1 else j
            fig.add_annotation(text=tr("fig.spending.none"), showarrow=False, font={"size": 14},
                               x=0.5, y=0.5, xref=f"x{axis} domain", yref=f"y{axis} domain")
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title_text=tr("money.per_year"), row=1, col=1)
    fig = finish_figure(fig, 400, dtick=1 if len(shown) < 3 else 2)
    if fig is not None and len(labels) > 5:  # too many levers for one line above the plot:
        fig.update_layout(margin_r=160, legend={  # a column beside it, in stacking order
            "orientation": "v", "x": 1.01, "xanchor": "left", "y": 1, "yref": "paper",
            "traceorder": "reversed"})
    return fig


def fig_satisfaction(runs: Sequence[RunData], colours: dict[str, str],
                     tr: Tr) -> go.Figure | None:
    """Left: monthly mean satisfaction of all residents (band) and the quarterly survey
    (markers, 5–95 % bars); right: share of replicates ranked first in the county per survey."""
    score = [r for r in runs if has_data(r.township, "satisfaction_mean")
             or has_data(r.township, "satisfaction_survey")]
    rank = [r for r in runs if has_data(r.township, "satisfaction_rank")]
    if not score and not rank:
        return None
    titles = [t for t, shown in ((tr("fig.satisfaction.score"), score),
                                 (tr("fig.satisfaction.rank"), rank)) if shown]
    fig = make_subplots(rows=1, cols=len(titles), subplot_titles=titles, horizontal_spacing=0.1,
                        column_widths=[0.6, 0.4] if len(titles) == 2 else None)
    seen: set[str] = set()
    for run in score:
        colour = colours[run.name]
        if has_data(run.township, "satisfaction_mean"):
            _add_band(fig, monthly_band(run.township, "satisfaction_mean"), run.name, colour,
                      x="date", row=1, col=1, legend=_first(seen, run.name),
                      label=tr.name("scenario", run.name))
        if has_data(run.township, "satisfaction_survey"):
            band = monthly_band(run.township, "satisfaction_survey")
            fig.add_trace(go.Scatter(
                x=band["date"], y=band["mean"], mode="markers",
                name=tr("fig.satisfaction.survey", name=tr.name("scenario", run.name)),
                legendgroup=run.name, showlegend=False,
                marker={"color": colour, "symbol": "diamond", "size": 7},
                error_y={"type": "data", "symmetric": False, "array": band["hi"] - band["mean"],
                         "arrayminus": band["mean"] - band["lo"], "color": colour,
                         "thickness": 1, "width": 3}), row=1, col=1)
    for run in rank:
        share = ranked_first_share(run.township)
        fig.add_trace(go.Scatter(x=share["date"], y=share["share"], mode="lines+markers",
                                 name=tr.name("scenario", run.name), legendgroup=run.name,
                                 showlegend=_first(seen, run.name), customdata=share["n"],
                                 line={"color": colours[run.name]},
                                 hovertemplate=tr("fig.satisfaction.rank_hover")),
                      row=1, col=len(titles))
    fig.update_xaxes(dtick="M12", tickformat="%Y", ticklabelmode="period", hoverformat="%b %Y")
    if score:
        fig.update_yaxes(title_text=tr("fig.satisfaction.score_axis"), hoverformat=".1f", row=1,
                         col=1)
    if rank:
        fig.update_yaxes(title_text=tr("fig.satisfaction.rank_axis"), tickformat=".0%",
                         range=[-0.03, 1.05], row=1, col=len(titles))
    fig = finish_figure(fig, 440, dtick=None)
    return fig.update_yaxes(hoverformat=".0%", col=len(titles)) if fig and rank else fig


def fig_farm_income(runs: Sequence[RunData], colours: dict[str, str],
                    tr: Tr) -> go.Figure | None:
    """Households' net income per person and year from each farming source (full years)."""
    return fig_panels(runs, colours, [
        Panel(f"income_{key}_yuan", "sum", f"fig.farm_income.{key}", "fig.income.axis",
              per_capita=True)
        for key in ("rice", "coculture", "livestock", "forest")], tr, cols=2, row_height=300)
