"""The classroom's figures, drawn from the engine's summaries (`sim.classroom.engine`): the
township picture (river sections coloured by water class, villages by how residents feel,
workshops by state, the forest park and the fields), its season-by-season animation, the
headline numbers (the class's line with the range of its runs beside what really happened and
doing nothing) and the debrief's spending bars.

Colour-blind safe: the river's classes carry their label (Ⅲ类) as well as their colour; villages
use the cividis scale; workshop states differ by shape; the three lines differ by dash as well as
by the Okabe–Ito colours.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sim.classroom.engine import HEADLINES
from sim.classroom.i18n import Tr
from sim.report.figures import CLASS_COLOURS

CONFIG: Any = {"displaylogo": False, "showSendToCloud": False, "displayModeBar": False,
          "responsive": True}
OURS, REAL, NOTHING = "#0072B2", "#E69F00", "#555555"
BAND = "rgba(0,114,178,0.22)"
RIVER_Y, RIVERSIDE_Y, HILLY_Y, FARMLAND_Y, WORKSHOP_Y, STACK = 0.0, 0.95, 2.35, -2.3, -0.8, 0.42
ZONE_Y = {"riverside": RIVERSIDE_Y, "hilly": HILLY_Y, "farmland": FARMLAND_Y}
STATE_MARK = {"open": ("square", "#8c510a"), "treating": ("triangle-up", "#bf812d"),
              "connected": ("circle", "#01665e"), "closed": ("x", "#9a9a9a")}
SAT_RANGE = (55.0, 90.0)
FAMILY = "Noto Sans CJK SC, Noto Sans, sans-serif"


def _s(size: float, scale: float) -> int:
    """A size in pixels at the page's scale (1 at 1280 px wide, larger on bigger screens)."""
    return round(size * scale)


def _reaches(layout: Mapping[str, Any]) -> list[tuple[str, float, float]]:
    """Each section's stretch of river: from the midpoint with the section above to the one
    below (the ends of the river at the ends)."""
    sections = layout["sections"]
    kms = [float(k) for _, k in sections]
    length = float(layout["length_km"])
    out = []
    for i, (name, _) in enumerate(sections):
        lo = -0.6 if i == 0 else (kms[i - 1] + kms[i]) / 2
        hi = length + 0.6 if i == len(kms) - 1 else (kms[i] + kms[i + 1]) / 2
        out.append((str(name), lo, hi))
    return out


def _scatter(**attrs: Any) -> dict[str, Any]:
    """A scatter trace as plain data (plotly's objects validate every attribute of every
    frame: a tenth of a second on a round's sixteen seasons)."""
    return {"type": "scatter", **attrs}


def picture_traces(frame: Mapping[str, Any], layout: Mapping[str, Any], tr: Tr,
                   scale: float = 1.0) -> list[dict[str, Any]]:
    """The picture's traces for one season (the same traces in the same order every season)."""
    traces: list[dict[str, Any]] = []
    classes = frame.get("classes", {})
    black = frame.get("black", {})
    for name, lo, hi in _reaches(layout):
        cls = classes.get(name)
        colour = CLASS_COLOURS[int(cls) - 1] if cls else "#cccccc"
        dash = "dot" if black.get(name, 0) > 0 else "solid"
        traces.append(_scatter(x=[lo, hi], y=[RIVER_Y, RIVER_Y], mode="lines",
                                 line={"color": colour, "width": _s(26, scale), "dash": dash},
                                 hoverinfo="skip", showlegend=False))
    secs = layout["sections"]
    labels = []
    for name, _ in secs:
        cls = classes.get(str(name))
        text = tr.class_label(cls) if cls else "—"
        if black.get(str(name), 0) > 0:
            text += f" · {tr('picture.black')}"
        labels.append(text)
    traces.append(_scatter(
        x=[k for _, k in secs], y=[RIVER_Y] * len(secs), mode="markers+text", text=labels,
        textposition="top center", textfont={"size": _s(20, scale), "color": "#111111"},
        marker={"symbol": "square", "size": _s(24, scale), "color": [
            CLASS_COLOURS[int(classes[str(n)]) - 1] if classes.get(str(n)) else "#cccccc"
            for n, _ in secs], "line": {"color": "#111111", "width": 2}},
        hovertext=[tr("picture.hover.section", cls=t) for t in labels], hoverinfo="text",
        showlegend=False))
    villages = layout["villages"]
    sat = frame.get("villages") or [None] * len(villages)
    traces.append(_scatter(
        x=[k for _, _, k in villages], y=[ZONE_Y.get(z, 1.0) for _, z, _ in villages],
        mode="markers+text", text=[str(n) for n, _, _ in villages],
        textfont={"size": _s(13, scale), "color": "#ffffff"},
        marker={"size": _s(30, scale),
                "color": [s if s is not None else SAT_RANGE[0] for s in sat],
                "colorscale": "Cividis", "cmin": SAT_RANGE[0], "cmax": SAT_RANGE[1],
                "line": {"color": "#ffffff", "width": 1.5}},
        hovertext=[tr("picture.hover.village", n=n, sat=s if s is not None else float("nan"))
                   for (n, _, _), s in zip(villages, sat, strict=True)],
        hoverinfo="text", showlegend=False))
    states = frame.get("workshops") or ["open"] * len(layout["workshops"])
    xs: list[float] = []
    ys: list[float] = []
    stack: dict[float, int] = {}
    for _, km in layout["workshops"]:
        level = stack.get(km, 0)
        stack[km] = level + 1
        xs.append(km)
        ys.append(WORKSHOP_Y - STACK * level)
    traces.append(_scatter(
        x=xs, y=ys, mode="markers",
        marker={"size": _s(19, scale), "symbol": [STATE_MARK[s][0] for s in states],
                "color": [STATE_MARK[s][1] for s in states],
                "line": {"color": "#222222", "width": 1}},
        hovertext=[tr("picture.hover.workshop", id=w, state=tr(f"workshop.{s}"))
                   for (w, _), s in zip(layout["workshops"], states, strict=True)],
        hoverinfo="text", showlegend=False))
    return traces


def _caption(frame: Mapping[str, Any], tr: Tr, with_visits: bool) -> str:
    text = tr("picture.season", year=frame["year"], season=tr(f"season.{frame['season']}"))
    if with_visits:
        text += tr.gap + tr("picture.visits", visits=f"{frame.get('visits', 0):,.0f}")
    return text


def township_picture(frames: Sequence[Mapping[str, Any]], layout: Mapping[str, Any], tr: Tr,
                     *, with_visits: bool = True, title: str | None = None,
                     height: int | None = None, scale: float = 1.0) -> dict[str, Any]:
    """The township in its first frame, with the other frames as an animation (plotly frames
    stepped through by the page), as a figure's plain data."""
    length = float(layout["length_km"])
    fig = go.Figure(data=picture_traces(frames[0], layout, tr, scale))
    fig.add_shape(type="rect", x0=-0.6, x1=15.2, y0=1.65, y1=3.05, line={"width": 0},
                  fillcolor="rgba(46,125,50,0.22)", layer="below")
    fig.add_shape(type="rect", x0=4.5, x1=length + 0.6, y0=-2.95, y1=-1.6, line={"width": 0},
                  fillcolor="rgba(191,160,60,0.22)", layer="below")
    notes = [
        {"x": 15.0, "y": HILLY_Y, "text": tr("picture.forest"), "xanchor": "right",
         "yanchor": "middle", "font": {"size": _s(18, scale), "color": "#1b5e20"}},
        {"x": 4.7, "y": FARMLAND_Y, "text": tr("picture.fields"), "xanchor": "left",
         "yanchor": "middle", "font": {"size": _s(18, scale), "color": "#6d5a12"}},
        {"x": -0.5, "y": -0.45, "text": "← " + tr("picture.upstream"), "xanchor": "left",
         "font": {"size": _s(14, scale), "color": "#333333"}},
        {"x": length + 0.5, "y": -0.45, "text": tr("picture.downstream") + " →",
         "xanchor": "right", "font": {"size": _s(14, scale), "color": "#333333"}},
    ]
    caption = {"x": 0.5, "y": 1.0, "xref": "paper", "yref": "paper", "xanchor": "center",
               "yanchor": "bottom", "font": {"size": _s(20, scale), "color": "#111111"},
               "text": title or _caption(frames[0], tr, with_visits)}
    fig.update_layout(
        annotations=[{**n, "showarrow": False} for n in notes] + [{**caption,
                                                                   "showarrow": False}],
        template="plotly_white", font={"size": _s(16, scale), "family": FAMILY},
        margin={"l": 8, "r": 8, "t": _s(34, scale), "b": 4},
        xaxis={"visible": False, "range": [-0.8, length + 0.8], "fixedrange": True},
        yaxis={"visible": False, "range": [-3.05, 3.15], "fixedrange": True},
        hovermode="closest", dragmode=False, showlegend=False,
        paper_bgcolor="#ffffff", plot_bgcolor="#ffffff", uirevision="picture",
        **({"height": height} if height else {}))
    out = fig.to_dict()
    if len(frames) > 1:
        n = len(out["data"])
        out["frames"] = [{"name": str(k), "data": picture_traces(f, layout, tr, scale),
                          "traces": list(range(n)),
                          "layout": {"annotations": [{**a, "showarrow": False} for a in notes]
                                     + [{**caption, "showarrow": False,
                                         "text": _caption(f, tr, with_visits)}]}}
                         for k, f in enumerate(frames)]
    return out


def _value_text(key: str, value: float, tr: Tr) -> str:
    if value != value:  # NaN
        return "—"
    if key == "river":
        return tr.class_label(value)
    if key == "satisfaction":
        return f"{value:.0f}"
    return f"{value:,.0f}"


def headline_figure(ours: Mapping[str, Any] | None, refs: Mapping[str, Mapping[str, Any]],
                    tr: Tr, last_year: int, *, height: int | None = None,
                    cols: int = 5, scale: float = 1.0) -> go.Figure:
    """Five small panels, one per headline number: the class's mean line and the range of its
    runs (band) beside what really happened and doing nothing, over the lesson's years."""
    keys = [k for k, _ in HEADLINES]
    titles = []
    for key in keys:
        title = tr(f"head.{key}")
        if ours is not None:
            title += "<br><b>" + _value_text(key, ours["series"][key]["mean"][-1], tr) + "</b>"
        titles.append(title)
    rows = -(-len(keys) // cols)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=titles, horizontal_spacing=0.055,
                        vertical_spacing=0.2 if rows > 1 else 0.0)
    place = {key: divmod(k, cols) for k, key in enumerate(keys)}
    lines = [("as_reported", REAL, "dash", tr("results.legend.real")),
             ("no_transition", NOTHING, "dot", tr("results.legend.nothing"))]
    for key in keys:
        row, col = place[key][0] + 1, place[key][1] + 1
        first = key == keys[0]
        for name, colour, dash, label in lines:
            ref = refs.get(name)
            if ref is None:
                continue
            years = [y for y in ref["years"] if y <= last_year]
            fig.add_trace(go.Scatter(
                x=years, y=ref["series"][key]["mean"][:len(years)], mode="lines", name=label,
                legendgroup=name, showlegend=first,
                line={"color": colour, "width": 3, "dash": dash}, hoverinfo="skip"),
                row=row, col=col)
        if ours is not None:
            s = ours["series"][key]
            years = ours["years"]
            fig.add_trace(go.Scatter(x=years + years[::-1], y=s["hi"] + s["lo"][::-1],
                                     fill="toself", fillcolor=BAND, line={"width": 0},
                                     mode="lines", hoverinfo="skip", showlegend=False),
                          row=row, col=col)
            fig.add_trace(go.Scatter(x=years, y=s["mean"], mode="lines",
                                     name=tr("results.legend.class"), legendgroup="ours",
                                     showlegend=first,
                                     line={"color": OURS, "width": _s(5, scale)},
                                     hoverinfo="skip"), row=row, col=col)
        fig.update_xaxes(range=[2022.6, last_year + 0.4], dtick=4 if last_year > 2032 else 2,
                         tickfont={"size": _s(13, scale)}, fixedrange=True, row=row, col=col)
        if key == "river":
            fig.update_yaxes(range=[6.3, 0.7], tickvals=[1, 2, 3, 4, 5, 6],
                             ticktext=[tr.class_label(k) for k in range(1, 7)],
                             tickfont={"size": _s(13, scale)}, fixedrange=True,
                             row=row, col=col)
        else:
            fig.update_yaxes(tickfont={"size": _s(13, scale)}, fixedrange=True, rangemode="tozero",
                             row=row, col=col)
    if tr.lang == "zh":   # '40k' is not how a Chinese reader counts: whole numbers, separated
        fig.update_yaxes(exponentformat="none", separatethousands=True)
    fig.update_annotations(font={"size": _s(15, scale)})
    fig.update_layout(template="plotly_white", font={"size": _s(16, scale), "family": FAMILY},
                      hovermode=False,
                      margin={"l": 10, "r": 10, "t": _s(62, scale), "b": 8},
                      legend={"orientation": "h", "x": 0.5, "xanchor": "center", "y": -0.12,
                              "yanchor": "top", "font": {"size": _s(15, scale)}},
                      **({"height": height} if height else {}))
    return fig


def spending_figure(ours: Mapping[str, list[float]], real: Mapping[str, list[float]],
                    tr: Tr, *, height: int | None = None, scale: float = 1.0) -> go.Figure:
    """Total public spending per lever over the lesson: the class's against the real one."""
    levers = sorted({k for k, v in {**ours, **real}.items()
                     if sum(ours.get(k, [])) > 0 or sum(real.get(k, [])) > 0},
                    key=lambda k: -sum(ours.get(k, [0.0])))
    names = [tr(f"lever.{k}") for k in levers]
    fig = go.Figure()
    for label, data, colour in ((tr("results.legend.class"), ours, OURS),
                                (tr("results.legend.real"), real, REAL)):
        values = [sum(data.get(k, [])) for k in levers]
        fig.add_trace(go.Bar(y=names, x=values, orientation="h", name=label,
                             marker={"color": colour}, text=[tr.money_wan(v) for v in values],
                             textposition="outside", hoverinfo="skip", cliponaxis=False))
    fig.update_layout(template="plotly_white", font={"size": _s(16, scale), "family": FAMILY},
                      barmode="group", hovermode=False,
                      margin={"l": 10, "r": 90, "t": 10, "b": 10},
                      xaxis={"visible": False, "fixedrange": True},
                      yaxis={"autorange": "reversed", "fixedrange": True,
                             "tickfont": {"size": _s(15, scale)}},
                      legend={"orientation": "h", "y": -0.05, "yanchor": "top"},
                      **({"height": height} if height else {}))
    return fig


__all__ = ["CONFIG", "headline_figure", "picture_traces", "spending_figure", "township_picture"]


def year_frame(seasons: Sequence[Mapping[str, Any]], year: int) -> dict[str, Any]:
    """One year as one picture: each section's worst season, villages' mean satisfaction,
    the year's visits and the workshops at its end."""
    got = [f for f in seasons if f["year"] == year]
    if not got:
        raise ValueError(f"no season of {year} in the summary")
    classes: dict[str, int] = {}
    black: dict[str, int] = {}
    for f in got:
        for sec, v in f["classes"].items():
            classes[sec] = max(classes.get(sec, v), v)
        for sec, v in f.get("black", {}).items():
            black[sec] = max(black.get(sec, v), v)
    rows = [f["villages"] for f in got if f["villages"]]
    villages = [sum(col) / len(col) for col in zip(*rows, strict=True)] if rows else []
    return {"year": year, "season": 3, "classes": classes, "black": black,
            "villages": villages, "visits": sum(f.get("visits", 0.0) for f in got),
            "workshops": max(got, key=lambda f: (f["season"] + 1) % 4)["workshops"]}
