"""The archive and the villages' red/black list: the yearly ecological archive (生态环保档案,
table `archive`) as a table per scenario, and the monthly red/black list of villages
(生态环保红黑榜, the villages table's `red_list` and `black_list`) as a heatmap per scenario.

The red list is the honour list (红榜: the three best-ranked villages of the month), the black
list the shame list (黑榜: the three worst); see docs/model.md §7.17. The lists are drawn in their
own colours, red and near-black, on a white middle: the two ends differ in lightness as well as
hue, so they stay apart for colour-blind readers and in grey print.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sim.report.data import RunData
from sim.report.figures import section_order
from sim.report.i18n import CATALOGUES, Tr

KEYS = ("scenario", "replicate", "date", "year", "months")  # not shown as rows
LEVER_PREFIX = "public_spending_yuan_"
CLASS_PREFIX = "water_class_mean_"
# red = on the red list (praised) in every replicate, near-black = on the black list in every one
RED_LIST_COLOUR, BLACK_LIST_COLOUR = "#c0392b", "#262626"
RED_BLACK_SCALE = [[0.0, BLACK_LIST_COLOUR], [0.5, "#f7f7f7"], [1.0, RED_LIST_COLOUR]]


def archive_means(archive: pd.DataFrame) -> pd.DataFrame:
    """The archive's mean across replicates: one row per archive column (in the table's order),
    one column per year; `projects` (text) becomes the number of projects logged, and the row
    `months` (the months each year covers, the fewest of any replicate) is kept for labels."""
    data = archive.copy()
    if "projects" in data.columns:
        text = data["projects"].astype("string").fillna("")
        data["projects"] = text.map(lambda s: len([p for p in s.split("; ") if p])).astype(float)
    numeric = [c for c in data.columns
               if c not in KEYS and pd.api.types.is_numeric_dtype(data[c])
               and not pd.api.types.is_bool_dtype(data[c])]
    years = data.groupby("year", sort=True)
    means = years[numeric].mean().T
    if "months" in data.columns:
        means.loc["months"] = years["months"].min()
    means.columns = [int(y) for y in means.columns]
    return means


def archive_label(column: str, tr: Tr) -> str:
    """An archive column's name with its unit, in the page's language: the catalogue's
    `archive.<column>`; a lever's spending and a section's mean class by their pattern."""
    money = tr("money.unit")
    if f"archive.{column}" in CATALOGUES[tr.lang]:
        return tr(f"archive.{column}", money=money)
    if column.startswith(LEVER_PREFIX):
        return tr("archive.lever", lever=tr.name("lever", column.removeprefix(LEVER_PREFIX)),
                  money=money)
    if column.startswith(CLASS_PREFIX):
        return tr("archive.section_class",
                  section=tr.name("section", column.removeprefix(CLASS_PREFIX)))
    return column


def _row(column: str, values: pd.Series, tr: Tr) -> list[str]:
    """One row's cells: shares in %, money in the page's unit, mean classes to two decimals,
    other amounts to one (none when every year's is whole); '—' where a year has no value."""
    whole = all(float(v).is_integer() for v in values.dropna())
    if column.endswith("_share"):
        form = "{:.1%}"
    elif column.startswith("public_spending_yuan"):
        values = values / tr.money_scale
        form = "{:,.1f}" if tr.lang == "zh" else "{:,.2f}"
    elif column.startswith(CLASS_PREFIX):
        form = "{:.2f}"
    else:
        form = "{:,.0f}" if whole else "{:,.1f}"
    return ["—" if pd.isna(v) else form.format(v) for v in values]


def _shown_rows(means: pd.DataFrame, sections: pd.DataFrame) -> list[str]:
    """The archive's rows in the table's order, but the mean classes upstream → downstream and
    without `months` (in the headers) or levers that spent nothing in any year."""
    rows = [c for c in means.index if c != "months"
            and not (c.startswith(LEVER_PREFIX) and (means.loc[c].fillna(0) == 0).all())]
    classes = [c for c in rows if c.startswith(CLASS_PREFIX)]
    order = section_order(sections) if len(sections) else []
    rank = {f"{CLASS_PREFIX}{name}": k for k, name in enumerate(order)}
    ordered = iter(sorted(classes, key=lambda c: (rank.get(c, len(rank)), c)))
    return [next(ordered) if c.startswith(CLASS_PREFIX) else c for c in rows]


def archive_table(run: RunData, tr: Tr) -> str:
    """The scenario's archive as an HTML table inside `<details>` ('' without an archive)."""
    if run.archive is None or run.archive.empty or "year" not in run.archive.columns:
        return ""
    means = archive_means(run.archive)
    months = means.loc["months"] if "months" in means.index else None
    header = [tr("archive.column")]
    for year in means.columns:
        n = None if months is None else months[year]
        partial = n is not None and not pd.isna(n) and n < 12
        header.append(tr("note.partial.year", year=year, n=int(n)) if partial
                      else tr("archive.year", year=year))
    by_name = dict(means.iterrows())
    rows = [[archive_label(c, tr), *_row(c, by_name[c], tr)]
            for c in _shown_rows(means, run.sections)]
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>"
                   for row in rows)
    summary = tr("archive.summary", name=tr.name("scenario", run.name),
                 first=means.columns[0], last=means.columns[-1],
                 n=run.archive["replicate"].nunique())
    return (f'<details class="archive"><summary>{html.escape(summary)}</summary>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details>")


def red_black_shares(villages: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """Per village (rows, in name order) and month (columns): the share of replicates on the
    red list and on the black list; None without the lists."""
    if not {"village", "red_list", "black_list"} <= set(villages.columns) or villages.empty:
        return None
    data = villages.assign(village=villages["village"].astype(str))
    keys = [data["village"], data["date"]]
    red = data["red_list"].astype(float).groupby(keys).mean().unstack("date")
    black = data["black_list"].astype(float).groupby(keys).mean().unstack("date")
    return red.sort_index(), black.reindex(index=red.index, columns=red.columns).sort_index()


def fig_red_black(runs: Sequence[RunData], tr: Tr) -> go.Figure | None:
    """One heatmap per scenario: villages (rows) × months, coloured by the share of replicates
    on the red list minus the share on the black list (from −1, black list in every replicate,
    to +1, red list in every one); None when no run has the lists."""
    found = [(run, shares) for run in runs
             if (shares := red_black_shares(run.villages)) is not None]
    if not found:
        return None
    fig = make_subplots(rows=len(found), cols=1, shared_xaxes=True, vertical_spacing=0.12,
                        subplot_titles=[tr.name("scenario", r.name) for r, _ in found])
    for i, (run, (red, black)) in enumerate(found, start=1):
        net = (red - black).round(2)
        # shares as whole percents for the hover (small numbers keep the page small)
        percents = np.stack([red.to_numpy(), black.to_numpy()], axis=-1) * 100
        fig.add_trace(go.Heatmap(
            z=net.to_numpy().tolist(),
            x=pd.DatetimeIndex(red.columns).strftime("%Y-%m-%d").tolist(),
            y=list(red.index), customdata=np.rint(np.nan_to_num(percents)).astype(np.int8),
            zmin=-1, zmax=1, colorscale=RED_BLACK_SCALE, showscale=i == 1, ygap=1,
            name=tr.name("scenario", run.name),
            colorbar={"title": {"text": tr("rb.bar"), "side": "right"},
                      "tickvals": [-1, -0.5, 0, 0.5, 1],
                      "ticktext": [tr("rb.tick.black", p="100%"), tr("rb.tick.black", p="50%"),
                                   "0", tr("rb.tick.red", p="50%"), tr("rb.tick.red", p="100%")]},
            hovertemplate=tr("rb.hover") + f"<extra>{tr.name('scenario', run.name)}</extra>",
        ), row=i, col=1)
    fig.update_yaxes(autorange="reversed", title_text=tr("rb.axis"), dtick=1)
    fig.update_xaxes(dtick="M12", tickformat="%Y", ticklabelmode="period")
    rows = max(len(trace.y) for trace in fig.data)
    fig.update_layout(template="plotly_white", height=len(found) * (14 * rows + 80) + 60,
                      hovermode="closest", margin={"l": 70, "r": 30, "t": 60, "b": 40})
    return fig


def red_black_note(runs: Sequence[RunData], tr: Tr) -> str:
    """The note under the heatmap: what the colours mean, and per scenario the villages most
    often on each list over the whole run (share of months and replicates)."""
    parts = [tr("rb.note")]
    for run in runs:
        shares = red_black_shares(run.villages)
        if shares is None:
            continue
        most = []
        for share in shares:
            top = share.mean(axis=1).sort_values(ascending=False, kind="stable").head(3)
            named = [tr("rb.village", village=v, share=f"{s:.0%}")
                     for v, s in top.items() if s > 0]
            most.append(tr("rb.sep").join(named) or "—")
        parts.append(tr("rb.most", name=tr.name("scenario", run.name), red=most[0],
                        black=most[1]))
    return " ".join(parts)


def archive_html(runs: Sequence[RunData], tr: Tr, figure_html: str) -> list[str]:
    """The section's parts (heading; the archive's note and a table per scenario; the
    red/black list's note and its heatmap, `figure_html`), or [] when no run folder has an
    archive or red/black list (the section is then left out)."""
    tables = [t for t in (archive_table(run, tr) for run in runs) if t]
    if not tables and not figure_html:
        return []
    parts = [f'<h2 id="{tr.lang}-sec-archive">{html.escape(tr("page.archive"))}</h2>']
    if tables:
        parts += [f'<h3>{html.escape(tr("archive.title"))}</h3>',
                  f'<p class="note">{html.escape(tr("archive.note"))}</p>', *tables]
    if figure_html:
        parts += [f'<h3>{html.escape(tr("rb.title"))}</h3>',
                  f'<p class="note">{html.escape(red_black_note(runs, tr))}</p>', figure_html]
    return parts


__all__ = ["archive_html", "archive_label", "archive_means", "archive_table", "fig_red_black",
           "red_black_note", "red_black_shares"]
