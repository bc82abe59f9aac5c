"""Who wins and who loses: each policy's income change against the base in the last full
year, per person, village by village, household group by household group (the groups table:
workshop workers, farming households, other households of the host villages, the rest, fixed at
the run's start) and farming source by source, taken replicate by replicate (common random
numbers) with its 95 % interval.
"""

from __future__ import annotations

import math
import typing
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sim.analysis.stats import RatioEstimate, format_interval, paired_ci, paired_ratio
from sim.report.cards import VERDICT_COLOURS, VERDICT_KEYS, card_year
from sim.report.data import RunData, read_outcomes
from sim.report.i18n import Tr

SOURCES = ("rice", "coculture", "livestock", "forest")
GROUP_ORDER = ("workshop_workers", "farming", "host_villages", "other")  # the model's GROUPS


def _verdict(low: float, high: float) -> str:
    if low > 0:
        return "better"
    if high < 0:
        return "worse"
    return "no clear difference"


def village_changes(base: RunData, policy: RunData, year: int) -> pd.DataFrame | None:
    """Per village: the change of income per person in `year` (policy − base, paired by
    replicate) with its 95 % interval and verdict; None without the villages' incomes."""
    frames = []
    for run in (base, policy):
        v = run.villages
        if not {"village", "income_per_capita_yuan"} <= set(v.columns):
            return None
        rows = v[v["date"].dt.year == year]
        frames.append(rows.groupby(["village", "replicate"])["income_per_capita_yuan"].sum())
    both = pd.concat(frames, axis=1, keys=["base", "policy"], join="inner").dropna()
    out = []
    for village, group in both.groupby(level="village", sort=True):
        ci = paired_ci(group["policy"].to_numpy(), group["base"].to_numpy())
        out.append({"village": str(village), "mean": ci.mean, "low": ci.low, "high": ci.high,
                    "verdict": _verdict(ci.low, ci.high)})
    return pd.DataFrame(out) if out else None


def group_changes(base: RunData, policy: RunData, year: int) -> pd.DataFrame | None:
    """Per household group: the change of its income per person in `year` (policy − base,
    paired by replicate) with its 95 % interval and verdict; None when either run lacks the
    groups table (folders written before it)."""
    frames = []
    for run in (base, policy):
        if run.groups is None:
            return None
        rows = run.groups[run.groups["date"].dt.year == year]
        frames.append(rows.groupby(["group", "replicate"])["income_per_capita_yuan"].sum())
    both = pd.concat(frames, axis=1, keys=["base", "policy"], join="inner").dropna()
    out = []
    for group in GROUP_ORDER:
        if group not in both.index.get_level_values("group"):
            continue
        pair = both.xs(group, level="group")
        ci = paired_ci(pair["policy"].to_numpy(), pair["base"].to_numpy())
        out.append({"group": group, "mean": ci.mean, "low": ci.low, "high": ci.high,
                    "verdict": _verdict(ci.low, ci.high)})
    return pd.DataFrame(out) if out else None


def source_changes(base: RunData, policy: RunData, year: int) -> pd.DataFrame | None:
    """Per farming income source: the change of the township's income from it per person in
    `year` (policy − base, paired by replicate) with its 95 % interval."""
    out = []
    for source in SOURCES:
        column = f"income_{source}_yuan"
        sums = []
        for run in (base, policy):
            t = run.township
            if column not in t.columns or "population" not in t.columns:
                break
            rows = t[t["date"].dt.year == year]
            per = rows[column] / rows["population"].where(rows["population"] > 0)
            sums.append(per.groupby(rows["replicate"]).sum())
        if len(sums) < 2:
            continue
        both = pd.concat(sums, axis=1, keys=["base", "policy"], join="inner").dropna()
        if both.empty:
            continue
        ci = paired_ci(both["policy"].to_numpy(), both["base"].to_numpy())
        out.append({"source": source, "mean": ci.mean, "low": ci.low, "high": ci.high,
                    "verdict": _verdict(ci.low, ci.high)})
    return pd.DataFrame(out) if out else None


def fig_winners(runs: Sequence[RunData], tr: Tr) -> go.Figure | None:
    """For each policy against the base (a row of panels): income per person by village
    (sorted, bars with 95 % intervals, coloured by whether it is clearly better or worse) and by
    farming source, in the last full year."""
    year = card_year(runs)
    if len(runs) < 2 or year is None:
        return None
    base, policies = runs[0], runs[1:]
    found = [(p, village_changes(base, p, year), group_changes(base, p, year),
              source_changes(base, p, year)) for p in policies]
    found = [row for row in found if any(f is not None for f in row[1:])]
    if not found:
        return None
    titles = []
    for p, *_ in found:
        pair = {"policy": tr.name("scenario", p.name), "base": tr.name("scenario", base.name),
                "year": year}
        titles += [tr("win.villages", **pair), tr("win.groups", **pair),
                   tr("win.sources", **pair)]
    fig = make_subplots(rows=len(found), cols=3, column_widths=[0.54, 0.23, 0.23],
                        horizontal_spacing=0.07, vertical_spacing=0.25 / len(found),
                        subplot_titles=titles)
    for r, (_, villages, groups, sources) in enumerate(found, start=1):
        for col, frame, key in ((1, villages, "village"), (2, groups, "group"),
                                (3, sources, "source")):
            if frame is None:
                continue
            frame = frame.sort_values("mean") if key == "village" else frame
            labels = (frame[key] if key == "village"
                      else [tr(f"win.group.{g}") for g in frame[key]] if key == "group"
                      else [tr(f"fig.farm_income.{s}") for s in frame[key]])
            colours = [VERDICT_COLOURS[v] for v in frame["verdict"]]
            fig.add_trace(go.Bar(
                x=list(labels), y=frame["mean"], marker_color=colours, showlegend=False,
                error_y={"type": "data", "symmetric": False,
                         "array": frame["high"] - frame["mean"],
                         "arrayminus": frame["mean"] - frame["low"], "thickness": 1},
                customdata=np.stack([frame["low"], frame["high"],
                                     [tr(VERDICT_KEYS[v]) for v in frame["verdict"]]], -1),
                hovertemplate=tr("win.hover")), row=r, col=col)
            fig.update_yaxes(title_text=tr("win.axis"), row=r, col=col)
            fig.add_hline(y=0, line={"color": "#888", "width": 1}, row=r, col=col)
    for verdict, colour in VERDICT_COLOURS.items():  # a key to the colours
        fig.add_trace(go.Bar(x=[None], y=[None], marker_color=colour,
                             name=tr(VERDICT_KEYS[verdict]), showlegend=True))
    fig.update_layout(height=360 * len(found) + 120, template="plotly_white",
                      margin={"t": 90, "l": 60, "r": 20, "b": 60}, bargap=0.25,
                      legend={"orientation": "h", "y": 1 + 60 / (360 * len(found)),
                              "yanchor": "bottom", "x": 0})
    return fig


def laid_off(run: RunData) -> float:
    """Workers laid off by closures, mean over replicates (the closure events' counts)."""
    from sim.report.events import PATTERNS

    events = run.events[run.events["kind"] == "closure"]
    counts = [int(m.group(2)) for d in events["detail"].astype(str)
              if (m := PATTERNS["closure"].match(d))]
    return sum(counts) / max(run.township["replicate"].nunique(), 1)


def seeking_at_end(run: RunData, year: int) -> float | None:
    """People still looking for a job in December of `year`, mean over replicates."""
    t = run.township
    if "job_seekers" not in t.columns:
        return None
    rows = t[(t["date"].dt.year == year) & (t["date"].dt.month == 12)]
    return float(rows["job_seekers"].mean()) if len(rows) else None


MATERIAL_SHARE = 0.01
"""A household is better (worse) off when its income over the run is at least 1 % above
(below) the same household's under the base: smaller differences are noise-sized effects of
money spread thinly over many households, not a change anyone would notice."""


@dataclass(frozen=True)
class Households:
    """Households better and worse off over the run, per replicate means, and the extra public
    spending (present value) per household better off with its paired interval."""

    n: int
    better: float
    worse: float
    cost: RatioEstimate | None


def household_changes(base: RunData, policy: RunData) -> Households | None:
    """Pair each household with itself under the base (same seed, same households) over the
    whole run; None when either folder lacks the households table."""
    if base.households is None or policy.households is None:
        return None
    keys = ["replicate", "household"]
    both = base.households.set_index(keys)["income_yuan"].to_frame("base").join(
        policy.households.set_index(keys)["income_yuan"].rename("policy"), how="inner")
    if both.empty:
        return None
    change = (both["policy"] - both["base"]) / both["base"].abs().where(both["base"] != 0)
    by_rep = pd.DataFrame({"better": change >= MATERIAL_SHARE,
                           "worse": change <= -MATERIAL_SHARE}).groupby(level="replicate").sum()
    n = int(both.groupby(level="replicate").size().iloc[0])
    cost = None
    outcomes = [read_outcomes(r.folder) for r in (base, policy)]
    if all(o is not None and "public_spending_npv_yuan" in o.columns for o in outcomes):
        b, p = (typing.cast(pd.DataFrame, o).set_index("replicate")["public_spending_npv_yuan"]
                for o in outcomes)
        extra = (p - b).reindex(by_rep.index)
        cost = paired_ratio(extra.to_numpy(), by_rep["better"].to_numpy(dtype=float))
    return Households(n, float(by_rep["better"].mean()), float(by_rep["worse"].mean()), cost)


def winners_note(runs: Sequence[RunData], tr: Tr) -> str:
    """The note under the figure: what it shows, and how many villages are clearly worse or
    better off for each policy."""
    year = card_year(runs)
    if len(runs) < 2 or year is None:
        return ""
    parts = [tr("win.note", year=year)]
    for p in runs[1:]:
        v = village_changes(runs[0], p, year)
        if v is None:
            continue
        worse = int((v["verdict"] == "worse").sum())
        better = int((v["verdict"] == "better").sum())
        parts.append(tr("win.count", policy=tr.name("scenario", p.name), worse=worse,
                        better=better, n=len(v)))
    for p in runs[1:]:
        found = household_changes(runs[0], p)
        if found is None:
            continue
        cost = tr("cost.not_defined")
        if found.cost is not None and math.isfinite(found.cost.value):
            # per household: 万元 with two decimals in Chinese, whole yuan in English
            scale, fmt = (1e4, "{:,.2f}") if tr.lang == "zh" else (1.0, "{:,.0f}")
            cost = tr("win.cost", cost=format_interval(found.cost.value / scale,
                                                       found.cost.low / scale,
                                                       found.cost.high / scale, fmt))
        parts.append(tr("win.households", policy=tr.name("scenario", p.name),
                        base=tr.name("scenario", runs[0].name), n=f"{found.n:,}",
                        better=f"{found.better:,.0f}", worse=f"{found.worse:,.0f}",
                        better_share=f"{found.better / found.n:.0%}",
                        worse_share=f"{found.worse / found.n:.0%}", cost=cost))
    for p in runs[1:]:
        seeking, seeking_base = seeking_at_end(p, year), seeking_at_end(runs[0], year)
        laid = laid_off(p)
        if laid > 0 and seeking is not None and seeking_base is not None:
            parts.append(tr("win.jobs", policy=tr.name("scenario", p.name), laid=f"{laid:,.0f}",
                            year=year, seeking=f"{seeking:,.0f}",
                            base=tr.name("scenario", runs[0].name),
                            seeking_base=f"{seeking_base:,.0f}"))
    return " ".join(parts)


__all__ = ["GROUP_ORDER", "fig_winners", "group_changes", "source_changes", "village_changes",
           "winners_note"]
