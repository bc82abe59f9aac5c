"""Self-contained HTML report comparing scenario run folders.

The report only reads run folders from disk (parquet tables and ``run.json``); it never imports or
runs the model. The output is one HTML file with plotly.js embedded once, so it opens offline, and
the same inputs give the same bytes (no timestamps, fixed div ids).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.io as pio

from sim.analysis.stats import UNBOUNDED, Bounds, format_interval, mean_ci
from sim.files import GENERATOR, write_page
from sim.report.data import ReportError, RunData, load_run
from sim.report.figures import (
    POLLUTANTS,
    SCENARIO_COLOURS,
    Section,
    annual_band,
    annual_values,
    build_figures,
    build_sections,
    class_grid,
    has_data,
    months_per_year,
    pollutant_total,
    section_order,
    spending_levers,
    survey_rows,
)

__all__ = ["ReportError", "RunData", "SensitivityData", "annual_band", "build_figures",
           "build_report", "class_grid", "format_ci", "key_figures", "load_run",
           "load_sensitivity_folder", "section_order", "spending_levers"]
EVENT_ROWS = 200


def format_ci(values: Iterable[float], fmt: str = "{:,.1f}", bounds: Bounds = UNBOUNDED,
              scale: float = 1.0) -> str:
    """``mean [low, high]``: the mean across replicates and its 95 % interval from
    `sim.analysis.stats.mean_ci` (the interval `compare` prints), cut at `bounds` (in the
    values' own units) and then multiplied by `scale` for display; just the mean for one
    value, '—' for none."""
    ci = mean_ci(np.asarray(list(values), dtype=float), bounds=bounds)
    return format_interval(ci.mean * scale, ci.low * scale, ci.high * scale, fmt)


def events_table(events: pd.DataFrame, limit: int = EVENT_ROWS) -> pd.DataFrame:
    """Events of replicate 0 (or the lowest replicate) by date: date, kind, subject, detail."""
    rep = 0 if (events["replicate"] == 0).any() else events["replicate"].min()
    rows = events[events["replicate"] == rep].sort_values("date", kind="stable").head(limit)
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


def _ranked_first(town: pd.DataFrame) -> str:
    """Replicates ranked first in the county in each survey of March, June and Sept 2025."""
    rows = survey_rows(town)
    rows = rows[rows["date"].isin(pd.to_datetime(["2025-03-01", "2025-06-01", "2025-09-01"]))]
    rows = rows.dropna(subset=["satisfaction_rank"])
    if rows.groupby("replicate")["date"].nunique().min() != 3 or \
            rows["replicate"].nunique() != town["replicate"].nunique():
        return "—"
    first = (rows["satisfaction_rank"] == 1).groupby(rows["replicate"]).all()
    return f"{int(first.sum())} of {len(first)} replicates ({first.mean():.0%})"


def key_figures(run: RunData) -> dict[str, str]:
    """Key figures of one scenario, each as mean [95 % CI] across replicates; the figures of
    tourism, farms and everyday life only when the run has their columns."""
    town = run.township
    full = [y for y, n in months_per_year([town]).items() if n == 12]
    last = max(full) if full else None
    row = {"scenario": run.name, "last full year": str(last) if last else "—"}
    share = "—"
    h1 = town[(town["date"] >= "2025-01-01") & (town["date"] < "2025-07-01")]
    if "sections_meeting_target_share" in town.columns and h1["date"].dt.month.nunique() == 6:
        per_rep = h1.groupby("replicate")["sections_meeting_target_share"].mean()
        share = format_ci(per_rep, "{:.1f} %", bounds=(0.0, 1.0), scale=100)
    row["samples meeting class III, 2025 H1"] = share

    def last_year(column: pd.Series, scale: float, fmt: str,
                  bounds: Bounds = (0.0, None)) -> str:
        if last is None or column.isna().all():
            return "—"
        vals = annual_values(town.assign(_v=column), "_v", "sum")
        return format_ci(vals.loc[vals["year"] == last, "value"] / scale, fmt, bounds=bounds)

    for code, label in POLLUTANTS:
        row[f"{label} load, last full year (t)"] = last_year(
            pollutant_total(town, code), 1000, "{:,.1f}" if code == "cod" else "{:,.2f}")
    income = town.get("income_per_capita_yuan", pd.Series(np.nan, index=town.index))
    row["income per capita, last full year (yuan)"] = last_year(income, 1, "{:,.0f}", UNBOUNDED)
    spend: pd.Series | list[float] = (
        town.groupby("replicate")["public_spending_yuan"].sum() / 1e6
        if "public_spending_yuan" in town.columns else [])
    row["public spending, whole run (million yuan)"] = format_ci(spend, "{:,.2f}",
                                                                 bounds=(0.0, None))
    if has_data(town, "visits"):
        row["visits, 2025 H1"] = _h1_sum(town, "visits", 1, "{:,.0f}")
    if has_data(town, "tourism_revenue_yuan"):
        row["tourism revenue, 2025 H1 (million yuan)"] = _h1_sum(
            town, "tourism_revenue_yuan", 1e6, "{:,.2f}")
    if has_data(town, "coculture_households"):
        june = _window(town, "coculture_households", "2025-06-01", 1)
        row["co-culture households, June 2025"] = "—" if june is None else format_ci(
            june.groupby("replicate")["coculture_households"].mean(), "{:,.0f}",
            bounds=(0.0, None))
    if has_data(town, "good_air_days"):
        row["good-air days, 2025 H1 (of 181)"] = _h1_sum(town, "good_air_days", 1, "{:,.1f}")
    if has_data(town, "satisfaction_rank"):
        row["ranked first in the county in each survey, 2025 Q1–Q3"] = _ranked_first(town)
    return row


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
    "th{background:#f3f3f3}.note{color:#555;font-size:0.9em}h2{margin-top:1.6em;"
    "border-bottom:2px solid #ddd}h3{margin:1.4em 0 0.2em}.nav{font-size:0.95em}"
)


def _key_table(runs: Sequence[RunData]) -> str:
    """Key figures with one row per figure and one column per scenario ('—' where a run lacks
    the figure's columns)."""
    keys = [key_figures(r) for r in runs]
    labels = [k for k in dict.fromkeys(k for row in keys for k in row) if k != "scenario"]
    return _html_table(["", *(r.name for r in runs)],
                       [[label, *(row.get(label, "—") for row in keys)] for label in labels])


INDEX_NOTES = {
    "sobol": "S1 = first-order Sobol index (share of the outcome's variance due to the parameter "
             "alone), ST = total index (with all its interactions); bars show 95 % bootstrap "
             "CIs. ST much larger than S1 means the parameter acts through interactions.",
    "morris": "μ* = mean absolute elementary effect (overall influence, in the outcome's units), "
              "σ = their standard deviation (non-linearity or interactions); μ* bars show 95 % "
              "bootstrap CIs.",
    "lhs": "δ = Borgonovo's moment-independent index, S1 = first-order index estimated from the "
           "same sample; bars show 95 % bootstrap CIs.",
}


@dataclass(frozen=True)
class SensitivityData:
    """The indices `greensim sensitivity` wrote for one sweep folder, and the sweep's design."""

    folder: Path
    meta: dict[str, Any]
    table: pd.DataFrame


def load_sensitivity_folder(folder: Path) -> SensitivityData:
    """Read a sweep folder's sensitivity.parquet and sweep.json (ReportError if absent)."""
    from sim.analysis.sensitivity import load_sensitivity
    from sim.errors import GreensimError

    try:
        meta, table = load_sensitivity(Path(folder))
    except GreensimError as exc:
        raise ReportError(str(exc)) from None
    return SensitivityData(Path(folder), meta, table)


def _sensitivity_html(sweeps: Sequence[SensitivityData], plotly_needed: bool) -> list[str]:
    """The report's sensitivity section: per sweep, what was varied, a bar chart of the indices
    per outcome and the table itself."""
    from sim.analysis.sensitivity import index_figures

    parts = ['<h2 id="sec-sensitivity">Sensitivity</h2>']
    first = plotly_needed
    for k, sweep in enumerate(sweeps):
        design = sweep.meta["design"]
        kind = str(design.get("kind", ""))
        names = design.get("problem", {}).get("names", [])
        method = str(sweep.table["method"].iloc[0]) if len(sweep.table) else kind
        parts.append(f"<h3>{html.escape(sweep.folder.name)}: {html.escape(method)}</h3>")
        parts.append(
            f'<p class="note">{html.escape(kind)} design of '
            f'{html.escape(str(design.get("points", "?")))} points '
            f"× {html.escape(str(sweep.meta.get('replicates', '?')))} replicates on "
            f"{html.escape(str(sweep.meta.get('base', 'the base scenario')))}, varying "
            f"{html.escape(', '.join(map(str, names)))}. Each point's outcome is the mean of its "
            f"replicates. {html.escape(INDEX_NOTES.get(kind, ''))}</p>")
        for name, fig in index_figures(sweep.table):
            parts.append(pio.to_html(fig, include_plotlyjs=first, full_html=False,
                                     div_id=f"fig-sens-{k}-{name}",
                                     default_height=f"{fig.layout.height}px",
                                     config={"displaylogo": False}))
            first = False
        shown = sweep.table.copy()
        for col in shown.columns:
            if pd.api.types.is_float_dtype(shown[col]):
                shown[col] = shown[col].map(lambda x: f"{x:.3g}")
        parts.append(f"<details><summary>table of indices ({len(shown)} rows)</summary>")
        parts.append(_html_table(list(shown.columns), shown.itertuples(index=False)))
        parts.append("</details>")
    return parts


def render_page(title: str, runs: Sequence[RunData], sections: Sequence[Section],
                sweeps: Sequence[SensitivityData] = ()) -> str:
    """The whole HTML page; plotly.js is embedded with the first figure only."""
    nav = " · ".join(f'<a href="#sec-{slug}">{html.escape(head)}</a>' for slug, head, _ in
                     sections)
    if sweeps:
        nav += ' · <a href="#sec-sensitivity">Sensitivity</a>'
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">' + GENERATOR,
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f'<p class="nav">{nav} · <a href="#sec-events">Events</a></p>',
        "<h2>Scenarios</h2>",
        _html_table(["scenario", "folder", "description", "replicates", "seed", "period",
                     "version", "git revision"], _scenario_rows(runs)),
        "<h2>Key figures</h2>",
        '<p class="note">Mean across replicates with its 95 % confidence interval in brackets '
        "(Student t over replicates, cut at the quantity's bounds, e.g. a share within 0–100 %; "
        "the same interval `greensim compare` prints); just the mean for a single replicate. "
        "2025 H1 figures sum January to June; "
        "the account reports 23,000 visits and 4.6 million yuan of tourism income in 2025 H1 "
        "(docs/calibration.md) and the township first in the county's satisfaction survey in "
        "2025.</p>",
        _key_table(runs),
    ]
    first = True
    for section, heading, figures in sections:
        parts.append(f'<h2 id="sec-{section}">{html.escape(heading)}</h2>')
        for slug, head, note, fig in figures:
            parts.append(f'<h3>{html.escape(head)}</h3><p class="note">{html.escape(note)}</p>')
            parts.append(pio.to_html(fig, include_plotlyjs=first, full_html=False,
                                     div_id=f"fig-{slug}",
                                     default_height=f"{fig.layout.height}px",
                                     config={"displaylogo": False}))
            first = False
    if sweeps:
        parts += _sensitivity_html(sweeps, plotly_needed=first)
    parts.append(f'<h2 id="sec-events">Events (replicate 0, first {EVENT_ROWS})</h2>')
    for run in runs:
        table = events_table(run.events)
        parts.append(f"<details><summary>{html.escape(run.name)}: {len(table)} events</summary>")
        parts.append(_html_table(list(table.columns), table.itertuples(index=False)))
        parts.append("</details>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def build_report(run_dirs: Sequence[Path], out: Path, *, title: str | None = None,
                 sensitivity: Sequence[Path] = ()) -> Path:
    """Write one self-contained HTML report comparing the given run folders, with a section of
    sensitivity indices for each sweep folder in `sensitivity`; return its path."""
    if not run_dirs:
        raise ReportError("no run folders given")
    runs = [load_run(Path(d)) for d in run_dirs]
    sweeps = [load_sensitivity_folder(Path(d)) for d in sensitivity]
    names = [r.name for r in runs]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ReportError(f"scenario name(s) {', '.join(dupes)} appear in more than one run folder")
    colours = {r.name: SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)] for i, r in enumerate(runs)}
    page = render_page(title or f"greensim: {' vs '.join(names)}", runs,
                       build_sections(runs, colours), sweeps)
    out = Path(out)
    return write_page(out, page)
