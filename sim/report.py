"""Self-contained HTML report comparing scenario run folders.

The report only reads run folders from disk (parquet tables and ``run.json``); it never imports or
runs the model. The output is one HTML file with plotly.js embedded once, so it opens offline, and
the same inputs give the same bytes (no timestamps, fixed div ids).
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.colors import hex_to_rgb, qualitative
from plotly.subplots import make_subplots

__all__ = ["ReportError", "RunData", "build_report", "load_run"]

TABLES: tuple[str, ...] = ("township", "villages", "sections", "events")
_KEYS = ("scenario", "replicate", "date")
REQUIRED_COLUMNS = MappingProxyType({
    "township": _KEYS, "villages": _KEYS, "sections": (*_KEYS, "section", "water_class"),
    "events": ("replicate", "date", "kind", "subject", "detail"),
})
LOAD_COLUMN = re.compile(r"^(cod|nh3n|tp)_kg_(.+)$")
POLLUTANTS: tuple[tuple[str, str], ...] = (("cod", "COD"), ("nh3n", "NH3-N"), ("tp", "TP"))
CLASS_LABELS: tuple[str, ...] = ("I", "II", "III", "IV", "V", "worse than V")
TARGET_CLASS = 3
SCENARIO_COLOURS: tuple[str, ...] = tuple(qualitative.Plotly)
SOURCE_COLOURS: tuple[str, ...] = tuple(qualitative.Set2)
SPENDING_COLOURS: tuple[str, ...] = tuple(qualitative.Dark2)
SPENDING_COLUMN = re.compile(r"^public_spending_yuan_(.+)$")
# Colours of the water classes I .. worse than V: blues/green meet class III, yellow to red fail.
CLASS_COLOURS: tuple[str, ...] = ("#1c4e9c", "#3d8fd6", "#3aa655", "#f2c318", "#f07f1f", "#c0281f")
EVENT_ROWS = 200
How = Literal["sum", "mean", "last"]
Figure = tuple[str, str, str, go.Figure]


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
    return RunData(folder=folder, name=meta["scenario"], meta=meta, **tables)


def annual_values(frame: pd.DataFrame, column: str, how: How) -> pd.DataFrame:
    """One value per (replicate, year) of a monthly column, with the number of months it covers."""
    data = frame[["replicate", "date", column]].dropna(subset=[column])
    data = data.sort_values(["replicate", "date"], kind="stable")
    groups = data.assign(year=data["date"].dt.year).groupby(["replicate", "year"], sort=True)
    out = groups[column].agg(how).rename("value").to_frame()
    out["months"] = groups["date"].nunique()
    return out.reset_index()


def annual_band(frame: pd.DataFrame, column: str, how: How) -> pd.DataFrame:
    """Per year: mean, 5 % and 95 % quantiles (lo, hi) and count n across replicates, and the
    fewest months a replicate covers; sums keep only years with 12 months."""
    values = annual_values(frame, column, how)
    if how == "sum":
        values = values[values["months"] == 12]
    groups = values.groupby("year", sort=True)
    return pd.DataFrame({"mean": groups["value"].mean(), "lo": groups["value"].quantile(0.05),
                         "hi": groups["value"].quantile(0.95), "n": groups["value"].count(),
                         "months": groups["months"].min()}).reset_index()


def mean_ci(values: Iterable[float]) -> tuple[float, float | None]:
    """Mean and the half-width 1.96·sd/√n of its 95 % CI (None when fewer than two values)."""
    arr = np.asarray(list(values), dtype=float)
    arr = arr[~np.isnan(arr)]
    if arr.size < 2:
        return (float(arr[0]) if arr.size else float("nan")), None
    return float(arr.mean()), float(1.96 * arr.std(ddof=1) / np.sqrt(arr.size))


def format_ci(values: Iterable[float], fmt: str = "{:,.1f}") -> str:
    """``mean [low, high]`` with the 95 % CI, just the mean for one value, '—' for none."""
    mean, half = mean_ci(values)
    if np.isnan(mean) or half is None:
        return "—" if np.isnan(mean) else fmt.format(mean)
    return f"{fmt.format(mean)} [{fmt.format(mean - half)}, {fmt.format(mean + half)}]"


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


def months_per_year(frames: Iterable[pd.DataFrame]) -> dict[int, int]:
    """Distinct simulated months in each calendar year over the given frames."""
    dates = pd.concat([f["date"] for f in frames]).drop_duplicates()
    return {int(y): int(n) for y, n in dates.groupby(dates.dt.year).nunique().items()}


def events_table(events: pd.DataFrame, limit: int = EVENT_ROWS) -> pd.DataFrame:
    """Events of replicate 0 (or the lowest replicate) by date: date, kind, subject, detail."""
    rep = 0 if (events["replicate"] == 0).any() else events["replicate"].min()
    rows = events[events["replicate"] == rep].sort_values("date", kind="stable").head(limit)
    return rows.assign(date=rows["date"].dt.strftime("%Y-%m-%d"))[["date", "kind", "subject",
                                                                   "detail"]]


def key_figures(run: RunData) -> dict[str, str]:
    """Key figures of one scenario, each as mean [95 % CI] across replicates."""
    town = run.township
    full = [y for y, n in months_per_year([town]).items() if n == 12]
    last = max(full) if full else None
    row = {"scenario": run.name, "last full year": str(last) if last else "—"}
    share = "—"
    h1 = town[(town["date"] >= "2025-01-01") & (town["date"] < "2025-07-01")]
    if "sections_meeting_target_share" in town.columns and h1["date"].dt.month.nunique() == 6:
        per_rep = h1.groupby("replicate")["sections_meeting_target_share"].mean() * 100
        share = format_ci(per_rep, "{:.1f} %")
    row["samples meeting class III, 2025 H1"] = share

    def last_year(column: pd.Series, scale: float, fmt: str) -> str:
        if last is None or column.isna().all():
            return "—"
        vals = annual_values(town.assign(_v=column), "_v", "sum")
        return format_ci(vals.loc[vals["year"] == last, "value"] / scale, fmt)

    for code, label in POLLUTANTS:
        row[f"{label} load, last full year (t)"] = last_year(
            pollutant_total(town, code), 1000, "{:,.1f}" if code == "cod" else "{:,.2f}")
    income = town.get("income_per_capita_yuan", pd.Series(np.nan, index=town.index))
    row["income per capita, last full year (yuan)"] = last_year(income, 1, "{:,.0f}")
    spend = town.groupby("replicate")["public_spending_yuan"].sum() / 1e6 \
        if "public_spending_yuan" in town.columns else []
    row["public spending, whole run (million yuan)"] = format_ci(spend, "{:,.2f}")
    return row


def _add_band(fig: go.Figure, band: pd.DataFrame, name: str, colour: str) -> None:
    """Add a shaded 5–95 % band (two traces, ``tonexty``) and the mean line of one scenario."""
    edge = {"x": band["year"], "mode": "lines", "legendgroup": name, "hoverinfo": "skip",
            "line": {"width": 0}, "showlegend": False}
    fig.add_trace(go.Scatter(y=band["lo"], **edge))
    fig.add_trace(go.Scatter(y=band["hi"], fill="tonexty", **edge,
                             fillcolor="rgba({},{},{},0.2)".format(*hex_to_rgb(colour))))
    fig.add_trace(go.Scatter(x=band["year"], y=band["mean"], mode="lines+markers", name=name,
                             line={"color": colour}, legendgroup=name))


def _first(seen: set[str], key: str) -> bool:
    """True the first time ``key`` is seen (one legend entry per group across subplots)."""
    new = key not in seen
    seen.add(key)
    return new


def _finish(
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
    return tuple(s.unstack("date").reindex(section_order(data)) for s in (median, share))


def fig_water_class(runs: Sequence[RunData]) -> go.Figure | None:
    """One heatmap per scenario: sections (rows) × months, coloured by the median class."""
    scale = [[(i + k) / len(CLASS_COLOURS), c] for i, c in enumerate(CLASS_COLOURS) for k in (0, 1)]
    fig = make_subplots(rows=len(runs), cols=1, shared_xaxes=True, vertical_spacing=0.1,
                        subplot_titles=[r.name for r in runs])
    for i, run in enumerate(runs, start=1):
        median, share = class_grid(run.sections)
        labels = median.map(lambda v: "" if pd.isna(v) else CLASS_LABELS[int(v) - 1])
        fig.add_trace(go.Heatmap(
            z=median.to_numpy(), x=median.columns, y=list(median.index), text=labels.to_numpy(),
            customdata=share.to_numpy(), zmin=0.5, zmax=len(CLASS_COLOURS) + 0.5,
            colorscale=scale, showscale=i == 1, ygap=2, name=run.name,
            colorbar={"title": {"text": "class"}, "tickvals": list(range(1, 7)),
                      "ticktext": list(CLASS_LABELS)},
            hovertemplate="%{y}, %{x|%b %Y}: class %{text}<br>%{customdata:.0%} of replicates "
                          f"meet class {CLASS_LABELS[TARGET_CLASS - 1]}<extra>{run.name}</extra>",
        ), row=i, col=1)
    fig.update_yaxes(autorange="reversed", title_text="section")
    fig.update_xaxes(dtick="M12", tickformat="%Y", ticklabelmode="period")
    rows = max(len(trace.y) for trace in fig.data)
    return _finish(fig, len(runs) * (34 * rows + 70) + 60, dtick=None, hover="closest") \
        if rows else None  # no section rows at all


def fig_annual_lines(
    runs: Sequence[RunData], colours: dict[str, str], column: str, how: How, *, y_title: str,
    percent: bool = False, height: int = 420,
) -> go.Figure | None:
    """Annual mean and 5–95 % band of one township column per scenario (None if absent);
    ``percent`` shows a share from 0 %."""
    fig = go.Figure()
    for run in runs:
        if column in run.township.columns and run.township[column].notna().any():
            _add_band(fig, annual_band(run.township, column, how), run.name, colours[run.name])
    fig.update_yaxes(title_text=y_title, tickformat=".0%" if percent else None,
                     rangemode="tozero" if percent else "normal")
    fig = _finish(fig, height)
    return fig.update_yaxes(hoverformat=".1%") if fig and percent else fig


def fig_load_sources(runs: Sequence[RunData]) -> go.Figure | None:
    """Stacked annual tonnes by source (full years, mean of replicates): one row per pollutant,
    one column per scenario."""
    sources = list(dict.fromkeys(s for r in runs for _, _, s in load_columns(r.township.columns)))
    src_colour = {s: SOURCE_COLOURS[i % len(SOURCE_COLOURS)] for i, s in enumerate(sources)}
    row, seen = {code: i for i, (code, _) in enumerate(POLLUTANTS, start=1)}, set[str]()
    fig = make_subplots(rows=len(POLLUTANTS), cols=len(runs), shared_xaxes=True,
                        shared_yaxes=True, subplot_titles=[r.name for r in runs],
                        vertical_spacing=0.06, horizontal_spacing=0.03)
    for j, run in enumerate(runs, start=1):
        for column, code, source in sorted(load_columns(run.township.columns),
                                           key=lambda c: sources.index(c[2])):
            band = annual_band(run.township, column, "sum")
            fig.add_trace(go.Bar(x=band["year"], y=band["mean"] / 1000, name=source,
                                 legendgroup=source, marker_color=src_colour[source],
                                 showlegend=_first(seen, source)), row=row[code], col=j)
    for i, (_, label) in enumerate(POLLUTANTS, start=1):
        fig.update_yaxes(title_text=f"{label} (t / year)", row=i, col=1)
    fig.update_layout(barmode="stack")
    return _finish(fig, 260 * len(POLLUTANTS) + 110, dtick=1 if len(runs) < 3 else 2)


def fig_workshops(runs: Sequence[RunData], colours: dict[str, str]) -> go.Figure | None:
    """End-of-year workshops (open / connected / discharging untreated) and jobs, per run."""
    panels = (("workshops_open", "open", 1, "solid"),
              ("workshops_connected", "connected", 1, "dash"),
              ("workshops_discharging", "discharging untreated", 1, "dot"),
              ("workshop_jobs", "jobs", 2, "solid"))
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.1, subplot_titles=[
        "workshops: solid open, dashed connected, dotted discharging untreated", "jobs"])
    seen: set[str] = set()
    for run in runs:
        for column, label, col, dash in panels:
            if column in run.township.columns:
                band = annual_band(run.township, column, "last")
                fig.add_trace(go.Scatter(x=band["year"], y=band["mean"], mode="lines+markers",
                                         name=run.name, legendgroup=run.name,
                                         showlegend=_first(seen, run.name),
                                         line={"color": colours[run.name], "dash": dash},
                                         hovertemplate=f"{label}: %{{y:,.4~r}}"), row=1, col=col)
    for col, text in ((1, "workshops at year end"), (2, "workshop jobs at year end")):
        fig.update_yaxes(title_text=text, rangemode="tozero", row=1, col=col)
    return _finish(fig, 430)


def spending_levers(township: pd.DataFrame) -> list[tuple[str, str]]:
    """(column, label) of each ``public_spending_yuan_<lever>`` column, else of the total."""
    found = [(c, m.group(1).replace("_", " ")) for c in township.columns
             if (m := SPENDING_COLUMN.match(c))]
    total = [("public_spending_yuan", "total")] if "public_spending_yuan" in township else []
    return found or total


def fig_spending(runs: Sequence[RunData]) -> go.Figure | None:
    """Public spending per full year by lever, stacked, one panel per scenario (million yuan)."""
    levers = {r.name: spending_levers(r.township) for r in runs}
    shown = [r for r in runs if levers[r.name]]
    labels = list(dict.fromkeys(label for found in levers.values() for _, label in found))
    colour = {s: SPENDING_COLOURS[i % len(SPENDING_COLOURS)] for i, s in enumerate(labels)}
    seen: set[str] = set()
    fig = make_subplots(rows=1, cols=max(len(shown), 1), shared_yaxes=True,
                        horizontal_spacing=0.03, subplot_titles=[r.name for r in shown])
    for j, run in enumerate(shown, start=1):
        total = 0.0
        for column, label in levers[run.name]:
            band = annual_band(run.township, column, "sum")
            total += float(band["mean"].abs().sum())
            fig.add_trace(go.Bar(x=band["year"], y=band["mean"] / 1e6, name=label,
                                 legendgroup=label, marker_color=colour[label],
                                 showlegend=_first(seen, label)), row=1, col=j)
        if total == 0:
            axis = "" if j == 1 else j
            fig.add_annotation(text="no public spending", showarrow=False, font={"size": 14},
                               x=0.5, y=0.5, xref=f"x{axis} domain", yref=f"y{axis} domain")
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title_text="million yuan / year", row=1, col=1)
    return _finish(fig, 400, dtick=1 if len(shown) < 3 else 2)


def _partial_note(runs: Sequence[RunData]) -> str:
    """Sentence naming the partial years (omitted from annual sums), or '' when none."""
    partial = {y: n for y, n in months_per_year([r.township for r in runs]).items() if n < 12}
    text = ", ".join(f"{y} ({n} months)" for y, n in sorted(partial.items()))
    return text and f" Annual sums cover full calendar years only; partial years omitted: {text}."


def build_figures(runs: Sequence[RunData], colours: dict[str, str]) -> list[Figure]:
    """All figures of the report in page order, skipping those without data, each as
    (slug for the div id, heading, note under the heading, figure)."""
    part, target = _partial_note(runs), CLASS_LABELS[TARGET_CLASS - 1]
    band = "Line = mean of replicates, shading = 5–95 % of replicates."
    candidates: list[tuple[str, str, str, go.Figure | None]] = [
        ("water-class", "Water class by section and month",
         "Colour = median class of the monthly sample across replicates (the worse class on a "
         f"tie); blue and green meet the target class {target}, yellow to red fail it. Sections "
         "run upstream (top) to downstream; hover for the share of replicates meeting the target.",
         fig_water_class(runs)),
        ("target-share", f"Samples meeting class {target}",
         f"Share of monthly section samples at class {target} or better, annual mean. {band}",
         fig_annual_lines(runs, colours, "sections_meeting_target_share", "mean",
                          y_title=f"share meeting class {target}", percent=True)),
        ("load-sources", "Loads reaching the river by source",
         "Tonnes per year, mean of replicates, stacked by source; panels of a row share the "
         f"scale.{part}", fig_load_sources(runs)),
        ("income", "Disposable income per capita",
         f"Yuan per person per year (township). {band}{part}",
         fig_annual_lines(runs, colours, "income_per_capita_yuan", "sum",
                          y_title="yuan / person / year")),
        ("workshops", "Workshops and jobs", "Counts at the end of each year, mean of replicates.",
         fig_workshops(runs, colours)),
        ("spending", "Public spending by lever",
         f"Million yuan per year, mean of replicates, stacked by lever.{part}",
         fig_spending(runs)),
        ("connected-saving", "Saving of connected workshops",
         "Share of the cost per m³ that connected workshops save against treating their "
         "wastewater alone; annual mean over months with at least one connection (no line "
         f"without connections). {band}",
         fig_annual_lines(runs, colours, "connected_saving_share", "mean", height=340,
                          y_title="share of cost per m³ saved", percent=True)),
    ]
    return [(slug, head, note, fig) for slug, head, note, fig in candidates if fig is not None]


def _html_table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _scenario_rows(runs: Sequence[RunData]) -> list[list[str]]:
    rows = []
    for run in runs:
        m = run.meta
        first, last = (run.township["date"].agg(f).strftime("%Y-%m-%d") for f in ("min", "max"))
        period = f"{m.get('start', first)} to {m.get('until', last)}"
        rows.append([run.name, run.folder.name, str(m.get("description", "")),
                     str(m.get("replicates", run.township["replicate"].nunique())),
                     str(m.get("seed", "—")), period, str(m.get("package_version", "—")),
                     str(m.get("git_revision", "—"))])
    return rows


CSS = (
    "body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1200px;color:#222}"
    "table{border-collapse:collapse;margin:1em 0;font-size:0.9em}"
    "th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}"
    "th{background:#f3f3f3}.note{color:#555;font-size:0.9em}"
)


def render_page(title: str, runs: Sequence[RunData], figures: Sequence[Figure]) -> str:
    """The whole HTML page; plotly.js is embedded with the first figure only."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        "<h2>Scenarios</h2>",
        _html_table(["scenario", "folder", "description", "replicates", "seed", "period",
                     "version", "git revision"], _scenario_rows(runs)),
        "<h2>Key figures</h2>",
        '<p class="note">Mean across replicates with the 95 % CI (mean ± 1.96·sd/√n) in '
        "brackets; just the mean for a single replicate.</p>",
    ]
    keys = [key_figures(r) for r in runs]
    parts.append(_html_table(list(keys[0]), [list(k.values()) for k in keys]))
    for i, (slug, heading, note, fig) in enumerate(figures):
        parts.append(f'<h2>{html.escape(heading)}</h2><p class="note">{html.escape(note)}</p>')
        parts.append(pio.to_html(fig, include_plotlyjs=i == 0, full_html=False,
                                 div_id=f"fig-{slug}", default_height=f"{fig.layout.height}px",
                                 config={"displaylogo": False}))
    parts.append(f"<h2>Events (replicate 0, first {EVENT_ROWS})</h2>")
    for run in runs:
        table = events_table(run.events)
        parts.append(f"<details><summary>{html.escape(run.name)}: {len(table)} events</summary>")
        parts.append(_html_table(list(table.columns), table.itertuples(index=False)))
        parts.append("</details>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _write_atomic(out: Path, text: str) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8", newline="\n")
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def build_report(run_dirs: Sequence[Path], out: Path, *, title: str | None = None) -> Path:
    """Write one self-contained HTML report comparing the given run folders; return its path."""
    if not run_dirs:
        raise ReportError("no run folders given")
    runs = [load_run(Path(d)) for d in run_dirs]
    names = [r.name for r in runs]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ReportError(f"scenario name(s) {', '.join(dupes)} appear in more than one run folder")
    colours = {r.name: SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)] for i, r in enumerate(runs)}
    page = render_page(title or f"greensim: {' vs '.join(names)}", runs,
                       build_figures(runs, colours))
    out = Path(out)
    _write_atomic(out, page)
    return out
