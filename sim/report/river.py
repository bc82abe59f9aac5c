"""The report's river schematic: the river as a line from km 0 (upstream) to its length, its
monitoring sections coloured by the year's water class, the villages, the workshops and the shared
facility's outfall at their river km, one panel per scenario and one year slider for all panels.

Positions come from the run folder only: sections' and villages' ``river_km`` columns of the
tables, else the resolved scenario in ``run.json`` (``river.sections``, and the villages spaced
evenly over each zone's ``first_river_km``–``last_river_km`` in the model's numbering, riverside,
hilly, farmland), workshops at their village's km, the outfall at
``levers.shared_facility.outfall_river_km``. The slider's steps ``restyle`` the few traces that
change from year to year (no plotly frames): the page stays small.

A section's colour for a year is the worst month of that year in the water-class heatmap: per
month the median class across replicates (the worse on a tie), then the year's worst month. A
workshop's marker is the state it is in at the end of the year in most replicates (events
``closure`` and ``connection``); the outfall is hollow until the plant is in service
(``facility_online``) in at least half of them. When sections.parquet has a ``black_smelly``
column (none / light / heavy), a section is marked black and smelly in a year at the median across
replicates of each replicate's worst month.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sim.report.data import RunData
from sim.report.figures import CLASS_COLOURS, TARGET_CLASS, class_grid, section_order
from sim.report.i18n import Tr

ZONES: tuple[str, ...] = ("riverside", "hilly", "farmland")  # the model's village numbering
ZONE_ROW = {"hilly": 2.0, "riverside": 1.0, "farmland": -2.0}  # y of each zone's villages
RIVER_ROW, BLACK_ROW, WORKSHOP_ROW, WORKSHOP_STEP = 0.0, -0.55, -1.0, 0.32
STATES: tuple[str, ...] = ("open", "connected", "closed")  # a tie goes to the later state
# Workshop states differ by shape as well as colour (colour-blind safe); closed ones are hollow.
STATE_MARK = {"open": ("diamond", "#8c510a"), "connected": ("circle-cross", "#5ab4ac"),
              "closed": ("diamond-open", "#595959")}
OUTFALL_MARK = {True: "star", False: "star-open"}  # in service / not yet
OUTFALL_COLOUR = "#6a3d9a"
BLACK_LEVELS: tuple[str, ...] = ("none", "light", "heavy")
BLACK_MARK = {1: "hexagon-open", 2: "hexagon"}
BLACK_COLOUR = "#111111"
RIVER_COLOUR, VILLAGE_COLOUR, NO_DATA_COLOUR = "#9ecae1", "#7f7f7f", "#d9d9d9"
PANEL_HEIGHT = 270
# What the slider changes in each trace that changes, in the same order for every trace.
DYNAMIC = ("y", "marker.color", "marker.symbol", "text", "customdata")


@dataclass(frozen=True)
class RiverLayout:
    """Where things are on one run's river (km from the upstream end)."""

    length_km: float
    sections: tuple[tuple[str, float], ...]  # (name, km), upstream first
    villages: tuple[tuple[str, str, float], ...]  # (name, zone, km), village 1 first
    workshops: tuple[tuple[str, str, float], ...]  # (id, village name, km)
    outfall_km: float | None
    resolved: bool  # run.json holds the resolved scenario (workshops and outfall known)


def _spec(run: RunData) -> dict[str, Any]:
    spec = run.meta.get("resolved_scenario")
    return spec if isinstance(spec, dict) else {}


def _villages(run: RunData, spec: Mapping[str, Any],
              length: float | None) -> tuple[tuple[str, str, float], ...]:
    """Villages from the villages table's ``river_km``, else by the model's rule from the
    resolved scenario's township (evenly over each zone's stretch), else none."""
    table = run.villages
    if {"village", "river_km"} <= set(table.columns):
        first = table.dropna(subset=["river_km"]).drop_duplicates("village", keep="first")
        zones = first["zone"] if "zone" in first.columns else pd.Series("", index=first.index)
        return tuple((str(v), str(z), float(k))
                     for v, z, k in zip(first["village"], zones, first["river_km"], strict=True))
    township = spec.get("township")
    if not isinstance(township, dict):
        return ()
    out: list[tuple[str, str, float]] = []
    for zone in ZONES:
        layout = township.get(zone)
        if not isinstance(layout, dict):
            continue
        kms = np.linspace(float(layout["first_river_km"]), float(layout["last_river_km"]),
                          int(layout["villages"]))
        out += [(f"V{len(out) + k + 1:02d}", zone, float(km)) for k, km in enumerate(kms)]
    return tuple((n, z, min(km, length) if length else km) for n, z, km in out)


def river_layout(run: RunData) -> RiverLayout:
    """The positions of one run folder's river, sections, villages, workshops and outfall."""
    spec = _spec(run)
    river: dict[str, Any] = spec["river"] if isinstance(spec.get("river"), dict) else {}
    spec_km = {str(s.get("name")): float(s.get("river_km", 0.0))
               for s in river.get("sections", []) if isinstance(s, dict)}
    names = section_order(run.sections)
    if "river_km" in run.sections.columns:
        table_km = run.sections.groupby("section")["river_km"].mean()
        kms = [float(table_km.get(n, spec_km.get(n, np.nan))) for n in names]
    else:
        kms = [spec_km.get(n, float(k)) for k, n in enumerate(names)]
    sections = tuple((n, k) for n, k in zip(names, kms, strict=True) if np.isfinite(k))
    length = river.get("length_km")
    villages = _villages(run, spec, float(length) if length else None)
    if not length:
        length = max([k for _, k in sections] + [k for _, _, k in villages] + [1.0])
    at = [(str(w["id"]), int(w.get("village", 0))) for w in spec.get("workshops", [])
          if isinstance(w, dict)]
    workshops = tuple((wid, villages[v - 1][0], villages[v - 1][2]) for wid, v in at
                      if 1 <= v <= len(villages))
    facility = (spec.get("levers") or {}).get("shared_facility")
    outfall = float(facility["outfall_river_km"]) if isinstance(facility, dict) \
        and facility.get("outfall_river_km") is not None else None
    return RiverLayout(float(length), sections, villages, workshops, outfall, bool(spec))


def section_years(sections: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per section (rows) and year (columns): the year's worst monthly median class across
    replicates (as in the heatmap, the worse on a tie), and the share of the year's samples of
    all replicates meeting the target class."""
    median, _ = class_grid(sections)
    years = pd.DatetimeIndex(median.columns).year
    worst = median.T.groupby(years).max().T
    data = sections.assign(section=sections["section"].astype(str),
                           year=sections["date"].dt.year,
                           ok=sections["water_class"] <= TARGET_CLASS)
    share = data.groupby(["section", "year"])["ok"].mean().unstack("year")
    return worst, share.reindex(index=worst.index, columns=worst.columns)


def black_smelly_years(sections: pd.DataFrame) -> pd.DataFrame | None:
    """Per section and year, the black-and-smelly level (0 none, 1 light, 2 heavy): each
    replicate's worst month of the year, then the median across replicates (the worse on a
    tie); None when the table has no ``black_smelly`` column."""
    if "black_smelly" not in sections.columns:
        return None
    level = sections["black_smelly"].astype("string").str.lower().map(
        {name: k for k, name in enumerate(BLACK_LEVELS)})
    data = sections.assign(section=sections["section"].astype(str),
                           year=sections["date"].dt.year, level=level.astype("float"))
    data = data.dropna(subset=["level"])
    worst = data.groupby(["section", "replicate", "year"])["level"].max()
    return worst.groupby(["section", "year"]).quantile(0.5, interpolation="higher") \
        .unstack("year")


def _after(year: int) -> pd.Timestamp:
    """The first moment after `year` (events before it happened by the year's end)."""
    return pd.Timestamp(year=year + 1, month=1, day=1)


def workshop_states(events: pd.DataFrame, ids: Sequence[str], replicates: int,
                    years: Sequence[int]) -> dict[int, dict[str, dict[str, float]]]:
    """Per year and workshop: the share of replicates in which it is open, connected to the
    shared facility or closed at the end of the year (its last closure, connection or treatment
    event by then; open without one)."""
    kind = events["kind"].astype(str)
    found = events[(kind.isin(["closure", "connection"]) | kind.str.startswith("treatment_"))
                   & events["subject"].astype(str).isin(list(ids))]
    found = found.assign(subject=found["subject"].astype(str),
                         state=found["kind"].astype(str).map(
                             {"closure": "closed", "connection": "connected"}).fillna("open"))
    found = found.sort_values("date", kind="stable")
    out: dict[int, dict[str, dict[str, float]]] = {}
    for year in years:
        last = found[found["date"] < _after(year)].groupby(["replicate", "subject"])["state"] \
            .last()
        counts = last.groupby(level="subject").value_counts()
        shares: dict[str, dict[str, float]] = {}
        for wid in ids:
            n = {s: int(counts.get((wid, s), 0)) for s in STATES}
            n["open"] = max(replicates - n["connected"] - n["closed"], 0)
            shares[wid] = {s: n[s] / max(replicates, 1) for s in STATES}
        out[year] = shares
    return out


def facility_in_service(events: pd.DataFrame, replicates: int,
                        years: Sequence[int]) -> dict[int, float]:
    """Per year: the share of replicates whose shared facility is in service by its end."""
    online = events[events["kind"].astype(str) == "facility_online"]
    first = online.groupby("replicate")["date"].min()
    return {y: float((first < _after(y)).sum()) / max(replicates, 1) for y in years}


def slider_years(runs: Sequence[RunData]) -> list[int]:
    """The full calendar years (12 monthly samples) of the runs' sections; every year sampled
    when none is full."""
    dates = pd.concat([r.sections["date"] for r in runs]).drop_duplicates()
    months = dates.groupby(dates.dt.year).nunique()
    full = [int(y) for y, n in months.items() if n == 12]
    return full or [int(y) for y in months.index]


def _mode(shares: Mapping[str, float]) -> str:
    return max(STATES, key=lambda s: (shares[s], STATES.index(s)))


def _cell(frame: pd.DataFrame | None, row: str, year: int) -> float:
    """frame.at[row, year] as a float, NaN when absent."""
    if frame is None or row not in frame.index or year not in frame.columns:
        return float("nan")
    value: Any = frame.at[row, year]
    return float(value)


Values = dict[str, list[Any]]  # one year's values of the DYNAMIC attributes of one trace
PerYear = dict[int, Values]
END = "<extra></extra>"


@dataclass
class _Dynamic:
    """One trace the slider changes: its index in the figure and its values per year."""

    index: int
    years: PerYear


def _share(value: float) -> str:
    return "—" if np.isnan(value) else f"{value:.0%}"


def _workshop_years(run: RunData, layout: RiverLayout, years: Sequence[int],
                    tr: Tr) -> tuple[list[str], PerYear]:
    """The workshops' markers (stacked under their village) by their state at each year end,
    with their hover templates (the year's numbers in ``customdata``)."""
    ids = [w for w, _, _ in layout.workshops]
    states = workshop_states(run.events, ids, int(run.township["replicate"].nunique()), years)
    stack: dict[str, int] = {}
    ys = []
    for _, village, _ in layout.workshops:
        ys.append(WORKSHOP_ROW - WORKSHOP_STEP * stack.get(village, 0))
        stack[village] = stack.get(village, 0) + 1
    out: PerYear = {}
    for year in years:
        modes = [_mode(states[year][w]) for w in ids]
        out[year] = {
            "y": ys, "marker.color": [STATE_MARK[m][1] for m in modes],
            "marker.symbol": [STATE_MARK[m][0] for m in modes], "text": [""] * len(ids),
            "customdata": [[year, tr(f"river.workshop.{m}"), _share(states[year][w]["closed"]),
                            _share(states[year][w]["connected"])]
                           for w, m in zip(ids, modes, strict=True)]}
    hover = [tr("river.hover.workshop", id=w, village=v, km=km) + END
             for w, v, km in layout.workshops]
    return hover, out


def _outfall_years(run: RunData, km: float, years: Sequence[int],
                   tr: Tr) -> tuple[list[str], PerYear]:
    """The outfall's star: hollow until the facility is in service in half the replicates."""
    service = facility_in_service(run.events, int(run.township["replicate"].nunique()), years)
    return [tr("river.hover.outfall", km=km) + END], {
        y: {"y": [RIVER_ROW], "marker.color": [OUTFALL_COLOUR],
            "marker.symbol": [OUTFALL_MARK[service[y] >= 0.5]], "text": [""],
            "customdata": [[y, _share(service[y])]]} for y in years}


def _section_values(run: RunData, layout: RiverLayout, years: Sequence[int],
                    tr: Tr) -> tuple[list[str], PerYear]:
    """The sections' squares, coloured and labelled by the year's class (grey without data)."""
    worst, share = section_years(run.sections)
    out: PerYear = {}
    for year in years:
        colours, texts, data = [], [], []
        for name, _ in layout.sections:
            cls = _cell(worst, name, year)
            cls_label = "—" if np.isnan(cls) else tr.class_label(int(cls))
            colours.append(NO_DATA_COLOUR if np.isnan(cls) else CLASS_COLOURS[int(cls) - 1])
            texts.append(tr("river.section.text", name=tr.name("section", name), cls=cls_label))
            data.append([year, cls_label, _share(_cell(share, name, year))])
        out[year] = {"y": [RIVER_ROW] * len(colours), "marker.color": colours,
                     "marker.symbol": ["square"] * len(colours), "text": texts,
                     "customdata": data}
    hover = [tr("river.hover.section", name=tr.name("section", name), km=km,
                target=tr.class_label(TARGET_CLASS)) + END for name, km in layout.sections]
    return hover, out


def _black_values(black: pd.DataFrame, layout: RiverLayout, years: Sequence[int],
                  tr: Tr) -> tuple[list[str], PerYear]:
    """Dark hexagons under the sections that are black and smelly that year (hidden: y None)."""
    names = [n for n, _ in layout.sections]
    out: PerYear = {}
    for year in years:
        levels = [0 if np.isnan(v := _cell(black, n, year)) else int(v) for n in names]
        out[year] = {
            "y": [BLACK_ROW if v > 0 else None for v in levels],
            "marker.color": [BLACK_COLOUR] * len(names),
            "marker.symbol": [BLACK_MARK.get(v, "hexagon") for v in levels],
            "text": [""] * len(names),
            "customdata": [[year, tr(f"river.black.{BLACK_LEVELS[v]}")] for v in levels]}
    return [tr("river.hover.black", name=tr.name("section", n)) + END for n in names], out


def _panel(fig: go.Figure, run: RunData, layout: RiverLayout, years: Sequence[int], row: int,
           tr: Tr) -> list[_Dynamic]:
    """Draw one scenario's river in subplot `row`; return the traces the slider changes."""
    dynamic: list[_Dynamic] = []

    def add(trace: go.Scatter, found: tuple[list[str], PerYear] | None = None) -> None:
        if found is not None:
            first = found[1][years[0]]
            trace.update(y=first["y"], text=first["text"], customdata=first["customdata"],
                         hovertemplate=found[0], marker={"color": first["marker.color"],
                                                          "symbol": first["marker.symbol"]})
        fig.add_trace(trace, row=row, col=1)
        if found is not None:
            dynamic.append(_Dynamic(len(fig.data) - 1, found[1]))

    add(go.Scatter(x=[0.0, layout.length_km], y=[RIVER_ROW, RIVER_ROW], mode="lines",
                   line={"color": RIVER_COLOUR, "width": 9}, hoverinfo="skip", showlegend=False))
    for zone in dict.fromkeys(z for _, z, _ in layout.villages):  # one row per zone
        shown = [(n, km) for n, z, km in layout.villages if z == zone]
        add(go.Scatter(
            x=[km for _, km in shown], y=[ZONE_ROW.get(zone, 1.0)] * len(shown), mode="markers",
            marker={"symbol": "circle", "size": 9, "color": VILLAGE_COLOUR,
                    "line": {"color": "#ffffff", "width": 1}},
            hovertext=[tr("river.hover.village", name=n, zone=tr.name("river.zone", zone), km=km)
                       for n, km in shown], hoverinfo="text", showlegend=False))
    if layout.workshops:
        add(go.Scatter(x=[km for _, _, km in layout.workshops], mode="markers",
                       marker={"size": 12, "line": {"width": 2, "color": "#333333"}},
                       showlegend=False), _workshop_years(run, layout, years, tr))
    if layout.outfall_km is not None:
        add(go.Scatter(x=[layout.outfall_km], mode="markers",
                       marker={"size": 17, "line": {"width": 2, "color": OUTFALL_COLOUR}},
                       showlegend=False), _outfall_years(run, layout.outfall_km, years, tr))
    add(go.Scatter(x=[km for _, km in layout.sections], mode="markers+text",
                   textposition="top center", textfont={"size": 12, "color": "#222222"},
                   marker={"size": 22, "line": {"width": 1.5, "color": "#222222"}},
                   showlegend=False), _section_values(run, layout, years, tr))
    black = black_smelly_years(run.sections)
    if black is not None:
        add(go.Scatter(x=[km for _, km in layout.sections], mode="markers",
                       marker={"size": 14, "line": {"width": 2.5, "color": BLACK_COLOUR}},
                       showlegend=False), _black_values(black, layout, years, tr))
    return dynamic


def _legend(fig: go.Figure, black: bool, workshops: bool, outfall: bool, tr: Tr) -> None:
    """Legend-only entries (no data points): the classes, villages, workshop states, outfall
    and, when the tables have them, the black-and-smelly levels."""

    def entry(name: str, symbol: str, colour: str, group: str, title: str, **line: Any) -> None:
        fig.add_trace(go.Scatter(
            x=[None], y=[None], mode="markers", name=name, legendgroup=group,
            legendgrouptitle={"text": title}, hoverinfo="skip",
            marker={"symbol": symbol, "color": colour, "size": 12,
                    "line": {"width": line.get("width", 1), "color": line.get("color", "#222")}}),
            row=1, col=1)

    for k, colour in enumerate(CLASS_COLOURS, start=1):
        entry(tr.class_label(k), "square", colour, "class", tr("river.legend.classes"))
    entry(tr("river.legend.village"), "circle", VILLAGE_COLOUR, "place", tr("river.legend.places"),
          color="#ffffff")
    if workshops:
        for state in STATES:
            symbol, colour = STATE_MARK[state]
            entry(tr(f"river.workshop.{state}"), symbol, colour, "place",
                  tr("river.legend.places"), width=2, color="#333333")
    if outfall:
        entry(tr("river.legend.outfall"), "star", OUTFALL_COLOUR, "place",
              tr("river.legend.places"), width=2, color=OUTFALL_COLOUR)
    if black:
        for level in (1, 2):
            entry(tr(f"river.black.{BLACK_LEVELS[level]}"), BLACK_MARK[level], BLACK_COLOUR,
                  "black", tr("river.legend.black"), width=2.5, color=BLACK_COLOUR)


def fig_river(runs: Sequence[RunData], tr: Tr) -> go.Figure | None:
    """The river schematic: one panel per scenario, a year slider recolouring the sections
    (and moving the workshops' and outfall's states) in every panel; None without sections."""
    runs = [r for r in runs if not r.sections.empty]
    if not runs:
        return None
    layouts = [river_layout(r) for r in runs]
    years = slider_years(runs)
    fig = make_subplots(rows=len(runs), cols=1, shared_xaxes=True, vertical_spacing=0.14,
                        subplot_titles=[tr.name("scenario", r.name) for r in runs])
    dynamic: list[_Dynamic] = []
    for row, (run, layout) in enumerate(zip(runs, layouts, strict=True), start=1):
        dynamic += _panel(fig, run, layout, years, row, tr)
    black = any(black_smelly_years(r.sections) is not None for r in runs)
    _legend(fig, black, any(lay.workshops for lay in layouts),
            any(lay.outfall_km is not None for lay in layouts), tr)
    steps = [{"method": "restyle", "label": tr("river.year", year=year),
              "args": [{attr: [d.years[year][attr] for d in dynamic] for attr in DYNAMIC},
                       [d.index for d in dynamic]]} for year in years]
    rows = sorted({ZONE_ROW.get(z, 1.0) for lay in layouts for _, z, _ in lay.villages}
                  | {RIVER_ROW} | ({WORKSHOP_ROW} if any(lay.workshops for lay in layouts)
                                   else set()))
    labels = {RIVER_ROW: tr("river.row.river"), WORKSHOP_ROW: tr("river.row.workshops")}
    for lay in layouts:
        for _, zone, _ in lay.villages:
            labels.setdefault(ZONE_ROW.get(zone, 1.0), tr(
                "river.row.zone", zone=tr.name("river.zone", zone)) if zone
                else tr("river.row.villages"))
    length = max(lay.length_km for lay in layouts)
    fig.update_yaxes(tickvals=rows, ticktext=[labels[y] for y in rows], showgrid=False,
                     zeroline=False, fixedrange=True, range=[min(rows) - 0.9, max(rows) + 0.8])
    # room for the end sections' labels ("入境断面：Ⅱ类" is wider than its English)
    fig.update_xaxes(range=[-0.08 * length, 1.08 * length], zeroline=False, fixedrange=True)
    fig.update_xaxes(title_text=tr("river.axis"), row=len(runs), col=1)
    height = PANEL_HEIGHT * len(runs) + 330
    fig.update_layout(  # the legend above the panels: plotly widens the top margin to fit it
        template="plotly_white", height=height, hovermode="closest",
        margin={"l": 130, "r": 30, "t": 40, "b": 120},
        legend={"orientation": "h", "x": 0, "y": 1.0 + 40 / (PANEL_HEIGHT * len(runs)),
                "yanchor": "bottom", "font": {"size": 12}, "itemclick": False,
                "itemdoubleclick": False},
        sliders=[{"active": 0, "steps": steps, "x": 0.0, "len": 1.0, "y": 0, "yanchor": "top",
                  "pad": {"t": 55, "b": 0},
                  "currentvalue": {"prefix": tr("river.slider"), "font": {"size": 14}}}])
    return fig


def still_at_last_year(fig: go.Figure, tr: Tr) -> go.Figure:
    """The schematic as a still image (`greensim figures`): the slider's last year applied to
    the traces, the slider removed and the year said in the title, since an image cannot be
    slid. A figure without a slider is returned as it is."""
    if not fig.layout.sliders:
        return fig
    step = fig.layout.sliders[0].steps[-1]
    still = go.Figure(fig)
    changes, indices = step.args
    still.plotly_restyle(changes, trace_indexes=list(indices))
    still.layout.sliders = ()  # (update_layout would merge into the old slider, not drop it)
    still.update_layout(title={"text": step.label, "x": 0, "xanchor": "left"}, margin={"b": 60})
    return still


def river_note(runs: Sequence[RunData], tr: Tr) -> str:
    """The note under the schematic: how colours and markers are chosen, plus the
    black-and-smelly rule when the tables have it and a word when positions are missing."""
    note = tr("fig.river.note", target=tr.class_label(TARGET_CLASS))
    if any(black_smelly_years(r.sections) is not None for r in runs):
        note += tr("fig.river.note.black")
    if any(not river_layout(r).resolved for r in runs if not r.sections.empty):
        note += tr("fig.river.note.unresolved")
    return note


__all__ = ["RiverLayout", "black_smelly_years", "facility_in_service", "fig_river",
           "river_layout", "river_note", "section_years", "slider_years", "still_at_last_year",
           "workshop_states"]
