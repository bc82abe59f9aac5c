"""What moved residents' satisfaction: each perceived term's change since the start year
(the township table's `satisfaction_from_*` columns), by scenario, in the last full year."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from sim.report.data import RunData
from sim.report.figures import finish_figure, months_per_year
from sim.report.i18n import Tr

TERMS = ("water", "smell", "rubbish", "air", "voice", "unresolved", "polluters", "income")
"""The terms, in `sim.model.residents.TERMS` order (the report reads tables, not the model)."""
COLUMNS = tuple(f"satisfaction_from_{term}" for term in TERMS)


def last_full_year(runs: Sequence[RunData]) -> int | None:
    """The last calendar year every run simulates in full (12 months), or None."""
    full = [y for y, n in months_per_year([r.township for r in runs]).items() if n == 12]
    return max(full) if full else None


def term_changes(township: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per term: mean over replicates of the year's mean change (points), and the 5–95 %
    range over replicates (rows in `TERMS` order; columns mean, lo, hi)."""
    rows = township[township["date"].dt.year == year]
    by_rep = rows.groupby("replicate")[list(COLUMNS)].mean()
    return pd.DataFrame({"mean": by_rep.mean(), "lo": by_rep.quantile(0.05),
                         "hi": by_rep.quantile(0.95)}).set_axis(list(TERMS))


def fig_satisfaction_terms(runs: Sequence[RunData], colours: dict[str, str],
                           tr: Tr) -> go.Figure | None:
    """Horizontal bars: each term's change in satisfaction points since the start year, in the
    last full year, one bar per scenario (mean of replicates; whiskers 5–95 %)."""
    shown = [r for r in runs if all(c in r.township.columns for c in COLUMNS)]
    year = last_full_year(shown) if shown else None
    if year is None:
        return None
    labels = [tr(f"fig.drivers.term.{term}") for term in TERMS]
    fig = go.Figure()
    for run in shown:
        ch = term_changes(run.township, year)
        fig.add_trace(go.Bar(
            y=labels, x=ch["mean"], orientation="h", name=tr.name("scenario", run.name),
            marker={"color": colours[run.name]},
            error_x={"type": "data", "symmetric": False, "array": ch["hi"] - ch["mean"],
                     "arrayminus": ch["mean"] - ch["lo"], "thickness": 1, "width": 3},
            hovertemplate=tr("fig.drivers.hover", year=year)))
    fig.update_layout(barmode="group")
    fig.update_xaxes(title_text=tr("fig.drivers.axis"), zeroline=True, zerolinewidth=2,
                     zerolinecolor="#444")
    fig.update_yaxes(autorange="reversed")
    return finish_figure(fig, 460, dtick=None, hover="closest")
