"""Differences over time and what the money bought: each policy minus the base, year by year,
taken replicate by replicate (common random numbers) with its 95 % interval; and the costs
table (public spending's present value, COD avoided, cost per tonne avoided).

Intervals come from `sim.analysis.stats` (paired t; the ratio's paired BCa bootstrap, "not
defined" when the tonnes avoided are not clearly above zero), as `compare` prints them.
"""

from __future__ import annotations

import html
import math
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import hex_to_rgb
from plotly.subplots import make_subplots

from sim.analysis.outcomes import DISCOUNT_RATE_PER_YEAR
from sim.analysis.stats import format_interval, paired_ci
from sim.report.data import RunData
from sim.report.figures import How, annual_values, has_data, pollutant_total
from sim.report.i18n import Tr


@dataclass(frozen=True)
class Yearly:
    """A yearly quantity of the township table: its values per replicate and year."""

    key: str  # catalogue key of its name (`outcome.<key>`) and unit (`diffunit.<key>`)
    column: Callable[[pd.DataFrame], pd.Series | None]
    how: How
    scale: float = 1.0  # the values are divided by it (0.01: a share in percentage points)


def _column(name: str) -> Callable[[pd.DataFrame], pd.Series | None]:
    def get(town: pd.DataFrame) -> pd.Series | None:
        return town[name] if has_data(town, name) else None
    return get


def _cod(town: pd.DataFrame) -> pd.Series | None:
    total = pollutant_total(town, "cod")
    return None if total.isna().all() else total


YEARLY = (
    Yearly("target_share", _column("sections_meeting_target_share"), "mean", scale=0.01),
    Yearly("cod_t_per_yr", _cod, "sum", scale=1000.0),
    Yearly("income_per_capita_yuan_per_yr", _column("income_per_capita_yuan"), "sum"),
    Yearly("visits_per_yr", _column("visits"), "sum"),
    Yearly("satisfaction_mean", _column("satisfaction_mean"), "mean"),
    Yearly("coculture_households", _column("coculture_households"), "last"),
)


def yearly_difference(base: RunData, policy: RunData, spec: Yearly) -> pd.DataFrame | None:
    """Per full year: the mean of policy − base over the replicates both ran, and its paired
    95 % interval (low, high); None when either run lacks the quantity."""
    frames = []
    for run in (base, policy):
        values = spec.column(run.township)
        if values is None:
            return None
        yearly = annual_values(run.township.assign(_v=values), "_v", spec.how)
        if spec.how == "sum":
            yearly = yearly[yearly["months"] == 12]
        frames.append(yearly.set_index(["replicate", "year"])["value"] / spec.scale)
    both = pd.concat(frames, axis=1, keys=["base", "policy"], join="inner").dropna()
    rows = []
    for year, group in both.groupby(level="year", sort=True):
        ci = paired_ci(group["policy"].to_numpy(), group["base"].to_numpy())
        rows.append({"year": int(typing.cast(int, year)), "mean": ci.mean, "low": ci.low,
                     "high": ci.high, "n": ci.n})
    return pd.DataFrame(rows) if rows else None


def fig_differences(runs: Sequence[RunData], colours: dict[str, str],
                    tr: Tr) -> go.Figure | None:
    """One panel per quantity: each policy minus the base by year, the line the mean difference
    and the band its 95 % interval (paired by replicate); a dotted line at zero."""
    if len(runs) < 2:
        return None
    base, policies = runs[0], runs[1:]
    panels = []
    for spec in YEARLY:
        found = [(p, d) for p in policies
                 if (d := yearly_difference(base, p, spec)) is not None and len(d)]
        if found:
            panels.append((spec, found))
    if not panels:
        return None
    cols = 2
    rows = math.ceil(len(panels) / cols)
    fig = make_subplots(rows=rows, cols=cols, vertical_spacing=0.34 / rows,
                        horizontal_spacing=0.12,
                        subplot_titles=[tr(f"outcome.{spec.key}") for spec, _ in panels])
    shown: set[str] = set()
    for k, (spec, found) in enumerate(panels):
        row, col = k // cols + 1, k % cols + 1
        for policy, diff in found:
            colour = colours[policy.name]
            rgba = "rgba({},{},{},0.2)".format(*hex_to_rgb(colour))
            edge = {"x": diff["year"], "mode": "lines", "line": {"width": 0},
                    "hoverinfo": "skip", "showlegend": False, "legendgroup": policy.name}
            fig.add_trace(go.Scatter(y=diff["low"], **edge), row=row, col=col)
            fig.add_trace(go.Scatter(y=diff["high"], fill="tonexty", fillcolor=rgba, **edge),
                          row=row, col=col)
            name = tr("diff.legend", policy=tr.name("scenario", policy.name),
                      base=tr.name("scenario", base.name))
            fig.add_trace(go.Scatter(
                x=diff["year"], y=diff["mean"], mode="lines+markers", name=name,
                legendgroup=policy.name, showlegend=policy.name not in shown,
                line={"color": colour}, customdata=np.stack([diff["low"], diff["high"]], -1),
                hovertemplate=tr("diff.hover")), row=row, col=col)
            shown.add(policy.name)
        fig.add_hline(y=0, line={"dash": "dot", "color": "#888", "width": 1}, row=row, col=col)
        fig.update_yaxes(title_text=tr(f"diffunit.{spec.key}"), row=row, col=col)
    fig.update_xaxes(dtick=2)
    fig.update_layout(height=300 * rows + 130, margin={"t": 100, "l": 60, "r": 20, "b": 40},
                      legend={"orientation": "h", "y": 1 + 50 / (300 * rows), "yanchor": "bottom",
                              "x": 0},
                      hovermode="x unified", template="plotly_white")
    return fig


def costs_html(runs: Sequence[RunData], summary: pd.DataFrame | None, tr: Tr) -> str:
    """What the money bought, over the whole run: public spending's present value (discounted
    at the stated rate), COD kept out of the river and the cost per tonne avoided, each policy
    against the base, with 95 % intervals ('not defined' when no clear reduction)."""
    if summary is None or len(runs) < 2:
        return f'<p class="note">{html.escape(tr("page.answer.none"))}</p>'
    rows_all = summary[summary["period"] == "all"].set_index(["scenario", "outcome"])
    base = runs[0].name
    money = tr.money_scale
    fmt_money = "{:,.2f}" if money > 1e5 else "{:,.0f}"
    header = [tr("col.scenario"), tr("cost.npv", money=tr("money.unit")),
              tr("cost.extra", money=tr("money.unit")), tr("cost.cod_avoided"),
              tr("cost.per_tonne")]
    body = []

    def cell(scenario: str, outcome: str, column: str = "mean", scale: float = 1.0,
             fmt: str = "{:,.1f}", sign: float = 1.0) -> str:
        key = (scenario, outcome)
        if key not in rows_all.index:
            return "—"
        r = typing.cast(pd.Series, rows_all.loc[key])
        if column == "diff":
            lo, hi = sign * r["diff_ci_low"] / scale, sign * r["diff_ci_high"] / scale
            return format_interval(sign * r["diff_mean"] / scale, min(lo, hi), max(lo, hi), fmt)
        return format_interval(r["mean"] / scale, r["ci_low"] / scale, r["ci_high"] / scale, fmt)

    for run in runs:
        name = run.name
        npv = cell(name, "public_spending_npv_yuan", scale=money, fmt=fmt_money)
        if name == base:
            body.append([tr.name("scenario", name), npv, "—", "—", "—"])
            continue
        extra = cell(name, "public_spending_npv_yuan", "diff", money, fmt_money)
        avoided = cell(name, "cod_t_cumulative", "diff", 1.0, "{:,.1f}", sign=-1.0)
        ratio_key = (name, "cost_per_t_cod_avoided")
        if ratio_key in rows_all.index:
            r = typing.cast(pd.Series, rows_all.loc[ratio_key])
            # yuan per tonne; 万元 per tonne on the Chinese page (the catalogue's unit)
            scale, fmt = (1e4, "{:,.2f}") if tr.lang == "zh" else (1.0, "{:,.0f}")
            per_t = (format_interval(r["mean"] / scale, r["ci_low"] / scale,
                                     r["ci_high"] / scale, fmt)
                     if math.isfinite(r["mean"]) else tr("cost.not_defined"))
        else:
            per_t = "—"
        body.append([tr.name("scenario", name), npv, extra, avoided, per_t])
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    rows = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
                   for row in body)
    note = tr("cost.note", rate=f"{DISCOUNT_RATE_PER_YEAR:.1%}", base=tr.name("scenario", base))
    return (f'<p class="note">{html.escape(note)}</p>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")


__all__ = ["YEARLY", "Yearly", "costs_html", "fig_differences", "yearly_difference"]
