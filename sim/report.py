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
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.colors import qualitative
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
EVENT_ROWS = 200
How = Literal["sum", "mean", "last"]


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


@dataclass(frozen=True)
class Figure:
    """A figure ready for the page: slug (div id), heading, note under the heading."""

    slug: str
    heading: str
    note: str
    fig: go.Figure


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


def replicate_band(frame: pd.DataFrame, by: list[str], value: str = "value") -> pd.DataFrame:
    """Mean, 5 % and 95 % quantiles and count of ``value`` across replicates per ``by`` group."""
    groups = frame.groupby(by, sort=True)[value]
    return pd.DataFrame({"mean": groups.mean(), "lo": groups.quantile(0.05),
                         "hi": groups.quantile(0.95), "n": groups.count()}).reset_index()


def annual_band(frame: pd.DataFrame, column: str, how: How) -> pd.DataFrame:
    """Annual mean and 5–95 % band across replicates; sums keep only years with 12 months."""
    values = annual_values(frame, column, how)
    if how == "sum":
        values = values[values["months"] == 12]
    band = replicate_band(values, ["year"])
    months = values.groupby("year")["months"].min()
    return band.assign(months=band["year"].map(months))


def mean_ci(values: Iterable[float]) -> tuple[float, float | None]:
    """Mean and the half-width 1.96·sd/√n of its 95 % CI (None when fewer than two values)."""
    arr = np.asarray(list(values), dtype=float)
    arr = arr[~np.isnan(arr)]
    if arr.size == 0:
        return float("nan"), None
    if arr.size == 1:
        return float(arr[0]), None
    return float(arr.mean()), float(1.96 * arr.std(ddof=1) / np.sqrt(arr.size))


def format_ci(values: Iterable[float], fmt: str = "{:,.1f}") -> str:
    """``mean [low, high]`` with the 95 % CI, just the mean for one value, '—' for none."""
    mean, half = mean_ci(values)
    if np.isnan(mean):
        return "—"
    if half is None:
        return fmt.format(mean)
    return f"{fmt.format(mean)} [{fmt.format(mean - half)}, {fmt.format(mean + half)}]"


def load_columns(columns: Iterable[str]) -> list[tuple[str, str, str]]:
    """(column, pollutant, source) for every load column named ``<pollutant>_kg_<source>``."""
    found = [(c, LOAD_COLUMN.match(c)) for c in columns]
    return [(c, m.group(1), m.group(2)) for c, m in found if m]


def pollutant_total(township: pd.DataFrame, pollutant: str) -> pd.Series:
    """Monthly load of one pollutant summed over all sources (kg); NaN if it has no columns."""
    cols = [c for c, p, _ in load_columns(township.columns) if p == pollutant]
    if not cols:
        return pd.Series(np.nan, index=township.index)
    return township[cols].sum(axis=1, min_count=1)


def annual_source_loads(township: pd.DataFrame) -> pd.DataFrame:
    """Mean across replicates of annual tonnes per (pollutant, source, year); full years only."""
    cols = load_columns(township.columns)
    if not cols:
        return pd.DataFrame(columns=["pollutant", "source", "year", "tonnes"])
    long = township.melt(
        id_vars=["replicate", "date"], value_vars=[c for c, _, _ in cols], value_name="kg"
    )
    long = long.merge(pd.DataFrame(cols, columns=["variable", "pollutant", "source"]))
    long["year"] = long["date"].dt.year
    keys = ["pollutant", "source", "replicate", "year"]
    per = long.groupby(keys).agg(kg=("kg", "sum"), months=("date", "nunique")).reset_index()
    per = per[per["months"] == 12]
    out = per.groupby(["pollutant", "source", "year"], sort=True)["kg"].mean() / 1000.0
    return out.rename("tonnes").reset_index()


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
    if events.empty:
        return pd.DataFrame(columns=["date", "kind", "subject", "detail"])
    rep = 0 if (events["replicate"] == 0).any() else events["replicate"].min()
    rows = events[events["replicate"] == rep].sort_values("date", kind="stable").head(limit)
    return rows.assign(date=rows["date"].dt.strftime("%Y-%m-%d"))[
        ["date", "kind", "subject", "detail"]
    ]


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

    row["COD load, last full year (t)"] = last_year(pollutant_total(town, "cod"), 1000, "{:,.1f}")
    income = town.get("income_per_capita_yuan", pd.Series(np.nan, index=town.index))
    row["income per capita, last full year (yuan)"] = last_year(income, 1, "{:,.0f}")
    spend = "—"
    if "public_spending_yuan" in town.columns:
        per_rep = town.groupby("replicate")["public_spending_yuan"].sum() / 1e6
        spend = format_ci(per_rep, "{:,.2f}")
    row["public spending, whole run (million yuan)"] = spend
    return row


def _rgba(colour: str, alpha: float) -> str:
    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _add_band(
    fig: go.Figure, band: pd.DataFrame, x: str, name: str, colour: str, *,
    row: int | None = None, col: int | None = None, showlegend: bool = True, scale: float = 1.0,
) -> None:
    """Add a shaded 5–95 % band (two traces, ``tonexty``) and the mean line of one scenario."""
    edge = {"x": band[x], "mode": "lines", "legendgroup": name, "hoverinfo": "skip",
            "line": {"width": 0}, "showlegend": False}
    fig.add_trace(go.Scatter(y=band["lo"] * scale, **edge), row=row, col=col)
    fig.add_trace(go.Scatter(y=band["hi"] * scale, fill="tonexty", fillcolor=_rgba(colour, 0.2),
                             name=f"{name} 5–95 %", **edge), row=row, col=col)
    mode = "lines+markers" if x == "year" else "lines"
    fig.add_trace(go.Scatter(x=band[x], y=band["mean"] * scale, mode=mode, name=name,
                             line={"color": colour}, legendgroup=name, showlegend=showlegend),
                  row=row, col=col)


def _finish(fig: go.Figure, title: str, height: int, *, years: bool = True) -> go.Figure | None:
    """Common layout; None when the figure has no traces (all its columns were absent)."""
    if not fig.data:
        return None
    fig.update_layout(title={"text": title}, template="plotly_white", height=height,
                      margin={"l": 70, "r": 30, "t": 80, "b": 50},
                      legend={"orientation": "h", "y": -0.15})
    if years:
        fig.update_xaxes(dtick=1)
    return fig


def fig_water_class(runs: Sequence[RunData], colours: dict[str, str]) -> go.Figure | None:
    """One row per section: monthly mean water class and 5–95 % band per scenario."""
    sections = section_order(pd.concat([r.sections for r in runs]))
    rows = len(sections)
    if not rows:
        return None
    fig = make_subplots(rows=rows, cols=1, shared_xaxes=True, subplot_titles=sections,
                        vertical_spacing=min(0.08, 0.5 / max(rows - 1, 1)))
    for run in runs:
        for i, section in enumerate(sections, start=1):
            band = replicate_band(run.sections[run.sections["section"] == section], ["date"],
                                  "water_class")
            _add_band(fig, band, "date", run.name, colours[run.name], row=i, col=1,
                      showlegend=i == 1)
    for i in range(1, rows + 1):
        fig.add_hline(y=TARGET_CLASS, line={"dash": "dot", "color": "grey"}, row=i, col=1)
    fig.update_yaxes(range=[6.5, 0.5], tickvals=list(range(1, 7)), ticktext=list(CLASS_LABELS),
                     title_text="class")
    title = "Water class by section (class I best, at the top; dotted line = target class III)"
    return _finish(fig, title, 260 * rows + 120, years=False)


def fig_annual_lines(
    runs: Sequence[RunData], colours: dict[str, str], column: str, how: How, *, title: str,
    y_title: str, tickformat: str | None = None,
) -> go.Figure | None:
    """Annual mean and 5–95 % band of one township column per scenario (None if absent)."""
    fig = go.Figure()
    for run in runs:
        if column in run.township.columns:
            _add_band(fig, annual_band(run.township, column, how), "year", run.name,
                      colours[run.name])
    fig.update_yaxes(title_text=y_title, tickformat=tickformat)
    return _finish(fig, title, 440)


def fig_load_sources(runs: Sequence[RunData]) -> go.Figure | None:
    """Stacked annual tonnes by source: one row per pollutant, one column per scenario."""
    loads = {r.name: annual_source_loads(r.township) for r in runs}
    sources = list(dict.fromkeys(s for f in loads.values() for s in f["source"]))
    src_colour = {s: SOURCE_COLOURS[i % len(SOURCE_COLOURS)] for i, s in enumerate(sources)}
    titles = [f"{label} — {r.name}" for _, label in POLLUTANTS for r in runs]
    fig = make_subplots(rows=len(POLLUTANTS), cols=len(runs), shared_xaxes=True,
                        subplot_titles=titles, vertical_spacing=0.08)
    for j, run in enumerate(runs, start=1):
        data = loads[run.name]
        for i, (code, label) in enumerate(POLLUTANTS, start=1):
            for source in sources:
                part = data[(data["pollutant"] == code) & (data["source"] == source)]
                if not part.empty:
                    fig.add_trace(go.Bar(x=part["year"], y=part["tonnes"], name=source,
                                         legendgroup=source, marker_color=src_colour[source],
                                         showlegend=i == j == 1), row=i, col=j)
            fig.update_yaxes(title_text=f"{label} t / year" if j == 1 else None, row=i, col=j)
    fig.update_layout(barmode="stack")
    return _finish(fig, "Loads reaching the river by source (t / year, mean of replicates)", 820)


def fig_load_totals(runs: Sequence[RunData], colours: dict[str, str]) -> go.Figure | None:
    """Total annual tonnes of each pollutant per scenario with the 5–95 % band."""
    fig = make_subplots(rows=1, cols=len(POLLUTANTS), subplot_titles=[p[1] for p in POLLUTANTS])
    for run in runs:
        for i, (code, _) in enumerate(POLLUTANTS, start=1):
            total = pollutant_total(run.township, code)
            if not total.isna().all():
                band = annual_band(run.township.assign(_t=total), "_t", "sum")
                _add_band(fig, band, "year", run.name, colours[run.name], row=1, col=i,
                          showlegend=i == 1, scale=0.001)
    fig.update_yaxes(title_text="t / year", row=1, col=1)
    return _finish(fig, "Total load reaching the river (t / year, mean and 5–95 % band)", 440)


def fig_workshops(runs: Sequence[RunData], colours: dict[str, str]) -> go.Figure | None:
    """End-of-year workshops open (solid) / connected (dashed) and workshop jobs, mean per run."""
    panels = (("workshops_open", "open", 1, "solid"), ("workshops_connected", "connected", 1,
              "dash"), ("workshop_jobs", "jobs", 2, "solid"))
    fig = make_subplots(rows=1, cols=2, subplot_titles=["workshops open / connected", "jobs"])
    for run in runs:
        for column, label, col, dash in panels:
            if column in run.township.columns:
                band = annual_band(run.township, column, "last")
                fig.add_trace(go.Scatter(x=band["year"], y=band["mean"], mode="lines+markers",
                                         name=f"{run.name}: {label}", legendgroup=run.name,
                                         line={"color": colours[run.name], "dash": dash}),
                              row=1, col=col)
    return _finish(fig, "Workshops at the end of each year (mean of replicates)", 440)


def _bar_figure(bars: Iterable[go.Bar], title: str, y_title: str, years: bool) -> go.Figure | None:
    fig = go.Figure(list(bars))
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text=y_title)
    return _finish(fig, title, 420, years=years)


def fig_spending(runs: Sequence[RunData], colours: dict[str, str]) -> go.Figure | None:
    """Public spending per full year (sum of months), mean across replicates, one bar per run."""
    bands = {r.name: annual_band(r.township, "public_spending_yuan", "sum") for r in runs
             if "public_spending_yuan" in r.township.columns}
    bars = (go.Bar(x=b["year"], y=b["mean"] / 1e6, name=n, marker_color=colours[n])
            for n, b in bands.items())
    return _bar_figure(bars, "Public spending per year (mean of replicates)", "million yuan", True)


def village_income(villages: pd.DataFrame) -> tuple[int | None, pd.Series]:
    """Last full year and its per-village income per capita (annual sum, mean of replicates)."""
    full = [y for y, n in months_per_year([villages]).items() if n == 12]
    if not full or not {"village", "income_per_capita_yuan"} <= set(villages.columns):
        return None, pd.Series(dtype=float)
    data = villages[villages["date"].dt.year == max(full)]
    per = data.groupby(["village", "replicate"])["income_per_capita_yuan"].sum()
    return max(full), per.groupby("village").mean()


def fig_village_income(runs: Sequence[RunData], colours: dict[str, str]) -> go.Figure | None:
    """Per-village income per capita in each run's last full year, mean across replicates."""
    found = {r.name: village_income(r.villages) for r in runs}
    bars = (go.Bar(x=s.index.astype(str), y=s.to_numpy(), name=f"{n} ({y})",
                   marker_color=colours[n]) for n, (y, s) in found.items() if y is not None)
    title = "Income per capita by village, last full year (mean of replicates)"
    return _bar_figure(bars, title, "yuan / person / year", False)


def _partial_notes(runs: Sequence[RunData]) -> tuple[str, str]:
    """Notes for annual sums (partial years omitted) and annual means (partial years shown)."""
    partial = {y: n for y, n in months_per_year([r.township for r in runs]).items() if n < 12}
    if not partial:
        return "All years are complete.", "All years are complete."
    text = ", ".join(f"{y} ({n} months)" for y, n in sorted(partial.items()))
    return (f"Annual sums cover full calendar years only; partial years omitted: {text}.",
            f"Partial years are shown but cover only some months: {text}.")


def build_figures(runs: Sequence[RunData], colours: dict[str, str]) -> list[Figure]:
    """All figures of the report in page order, skipping those without data."""
    sums, means = _partial_notes(runs)
    candidates: list[tuple[str, str, str, go.Figure | None]] = [
        ("water-class", "Water class by section",
         "Monthly sample class: line = mean of replicates, shading = 5–95 % of replicates.",
         fig_water_class(runs, colours)),
        ("target-share", "Samples meeting class III", means, fig_annual_lines(
            runs, colours, "sections_meeting_target_share", "mean",
            title="Share of section samples meeting class III (annual mean)", y_title="share",
            tickformat=".0%")),
        ("load-sources", "Loads by source", sums, fig_load_sources(runs)),
        ("load-totals", "Total loads", sums, fig_load_totals(runs, colours)),
        ("income", "Disposable income per capita", sums, fig_annual_lines(
            runs, colours, "income_per_capita_yuan", "sum",
            title="Disposable income per capita (yuan / year)", y_title="yuan")),
        ("workshops", "Workshops and jobs", means, fig_workshops(runs, colours)),
        ("spending", "Public spending", sums, fig_spending(runs, colours)),
        ("village-income", "Income by village", "", fig_village_income(runs, colours)),
    ]
    return [Figure(*c[:3], fig=c[3]) for c in candidates if c[3] is not None]


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
    for i, f in enumerate(figures):
        parts.append(f"<h2>{html.escape(f.heading)}</h2>")
        if f.note:
            parts.append(f'<p class="note">{html.escape(f.note)}</p>')
        height = int(f.fig.layout.height or 450)
        parts.append(pio.to_html(f.fig, include_plotlyjs=i == 0, full_html=False,
                                 div_id=f"fig-{f.slug}", default_height=f"{height}px",
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
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; a report is meant to be shared
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
