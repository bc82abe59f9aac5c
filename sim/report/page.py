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
from typing import TYPE_CHECKING, Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from sim.files import GENERATOR, write_page
from sim.report.archive import archive_html, fig_red_black
from sim.report.cards import CardSummary, card_summary, cards_html
from sim.report.checks import checks_html
from sim.report.data import ReportError, RunData, load_run
from sim.report.differences import costs_html, fig_differences
from sim.report.events import events_in_language
from sim.report.figures import (
    SCENARIO_COLOURS,
    Section,
    annual_band,
    class_grid,
    section_order,
    shared_bands,
    spending_levers,
)
from sim.report.i18n import LANGS, Tr
from sim.report.keyfigures import (
    EVENT_ROWS,
    events_table,
    format_ci,
    key_figures,
    routine_count,
    shown_events,
)
from sim.report.sections import build_figures, build_sections
from sim.report.winners import fig_winners, winners_note

if TYPE_CHECKING:  # the sensitivity module is imported only when a page shows a sweep
    from sim.analysis.sensitivity import Caveat

__all__ = ["ReportError", "RunData", "SensitivityData", "annual_band", "build_figures",
           "build_report", "class_grid", "format_ci", "key_figures", "load_run",
           "load_runs", "load_sensitivity_folder", "section_order", "spending_levers"]


def _html_table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _scenario_rows(runs: Sequence[RunData], tr: Tr) -> list[list[str]]:
    """The provenance table's rows; a description in the page's language where the scenario
    has one (`description_zh` on Chinese pages)."""
    rows = []
    for run in runs:
        m = run.meta
        first, last = (run.township["date"].agg(f).strftime("%Y-%m-%d") for f in ("min", "max"))
        period = tr("page.period", start=m.get("start", first), end=m.get("until", last))
        text = (tr.lang == "zh" and m.get("description_zh")) or m.get("description", "")
        rows.append([run.name, run.folder.name, str(text),
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
    "body{padding:0 1em;font-family:system-ui,'Noto Sans CJK SC','Noto Sans SC',"
    "'Microsoft YaHei','PingFang SC',sans-serif}"
    ".top{text-align:right}.switch{font-size:1em;padding:0.3em 1em;cursor:pointer}"
    ".base{font-weight:600}"
    ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:12px}"
    ".card{border:1px solid #ddd;border-top:6px solid #6b6b6b;padding:8px 12px;"
    "border-radius:4px}.card-head{font-weight:600}.card-diff{font-size:1.5em;margin:4px 0}"
    ".card-verdict{font-size:0.9em;color:#444}.card p{font-size:0.9em;margin:6px 0 0}"
    "table{display:block;overflow-x:auto;max-width:100%}"
    "@media print{.switch,.nav{display:none}div.lang[hidden]{display:none}"
    ".js-plotly-plot{break-inside:avoid}}"
)


def _key_table(runs: Sequence[RunData], tr: Tr) -> str:
    """Key figures with one row per figure and one column per scenario ('—' where a run lacks
    the figure's columns)."""
    keys = [key_figures(r, tr) for r in runs]
    labels = [k for k in dict.fromkeys(k for row in keys for k in row) if k != "scenario"]
    return _html_table(["", *(tr.name("scenario", r.name) for r in runs)],
                       [[label, *(row.get(label, "—") for row in keys)] for label in labels])




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


def _caveat_text(c: Caveat, tr: Tr) -> str:
    """One caveat on an index outside 0–1 (`sim.analysis.sensitivity.caveat_records`) in
    the page's language."""
    from sim.analysis.sensitivity import index_number as num

    what = tr("sens.cav.what", index=c.index, parameter=c.parameter,
              outcome=tr.name("outcome", c.outcome), value=num(c.value))
    if c.estimate_outside:
        ci = tr("sens.cav.ci", low=num(c.low), high=num(c.high)) if c.has_ci else ""
        return tr(f"sens.cav.{c.estimate_outside}", what=what, ci=ci)
    return tr("sens.cav.ends", what=what, low=num(c.low), high=num(c.high),
              sides=tr("sens.cav.and").join(tr(f"sens.cav.side.{e}") for e in c.ends_outside),
              edges=tr("sens.cav.and").join(tr(f"sens.cav.edge.{e}") for e in c.ends_outside))


def _sensitivity_html(sweeps: Sequence[SensitivityData], tr: Tr) -> list[str]:
    """The report's sensitivity section: per sweep, what was varied, a bar chart of the indices
    per outcome and the table itself."""
    from sim.analysis.sensitivity import caveat_records, index_figures

    parts = [f'<h2 id="{tr.lang}-sec-sensitivity">{html.escape(tr("page.sensitivity"))}</h2>']
    for k, sweep in enumerate(sweeps):
        design = sweep.meta["design"]
        kind = str(design.get("kind", ""))
        names = design.get("problem", {}).get("names", [])
        method = str(sweep.table["method"].iloc[0]) if len(sweep.table) else kind
        parts.append(f"<h3>{html.escape(sweep.folder.name)}: {html.escape(method)}</h3>")
        about = tr("sens.design", kind=kind, points=design.get("points", "?"),
                   replicates=sweep.meta.get("replicates", "?"),
                   base=tr.name("scenario", str(sweep.meta.get("base", "?"))),
                   names=", ".join(map(str, names)))
        how = tr(f"sens.how.{kind}") if kind in ("sobol", "morris", "lhs") else ""
        parts.append(f'<p class="note">{html.escape(about)} {html.escape(how)}</p>')
        for name, fig in index_figures(sweep.table):
            fig.update_layout(title=tr.name("outcome", name))
            parts.append(_figure_html(fig, tr, f"sens-{k}-{name}"))
        caveats = caveat_records(sweep.table)
        if caveats:
            parts.append(f'<p class="note">{html.escape(tr("sens.caveats"))}</p>')
            parts.append('<ul class="note caveats">' + "".join(
                f"<li>{html.escape(_caveat_text(c, tr))}</li>" for c in caveats) + "</ul>")
        shown = sweep.table.copy()
        for col in shown.columns:
            if pd.api.types.is_float_dtype(shown[col]):
                shown[col] = shown[col].map(lambda x: f"{x:.3g}")
        parts.append(f"<details><summary>table of indices ({len(shown)} rows)</summary>")
        parts.append(_html_table(list(shown.columns), shown.itertuples(index=False)))
        parts.append("</details>")
    return parts


def _nav(sections: Sequence[Section], sweeps: bool, tr: Tr, archive: bool = False) -> str:
    items = [("answer", tr("page.answer")), ("differences", tr("page.differences")),
             ("costs", tr("page.costs")), ("winners", tr("page.winners")),
             ("keys", tr("page.key_figures"))]
    items += [(slug, head) for slug, head, _ in sections]
    if archive:
        items.append(("archive", tr("page.archive")))
    if sweeps:
        items.append(("sensitivity", tr("page.sensitivity")))
    items += [("events", tr("page.events", n=EVENT_ROWS)), ("provenance", tr("page.provenance"))]
    return " · ".join(f'<a href="#{tr.lang}-sec-{slug}">{html.escape(head)}</a>'
                      for slug, head in items)


def _figure_html(fig: go.Figure | None, tr: Tr, slug: str) -> str:
    """A figure's div (`fig-<lang>-<slug>`) and script (plotly.js itself is in the page's head,
    once). Chinese pages write whole numbers with separators on the value axes, not plotly's
    SI suffixes ('40k' is not how a Chinese reader counts; amounts of money are in 万元)."""
    if fig is None:
        return ""
    if tr.lang == "zh":
        fig.update_yaxes(exponentformat="none", separatethousands=True)
    div_id = f"fig-{tr.lang}-{slug}"
    return pio.to_html(fig, include_plotlyjs=False, full_html=False, div_id=div_id,
                       default_height=f"{fig.layout.height}px",
                       config={"displaylogo": False, "responsive": True,
                               "showSendToCloud": False})


def _language_block(tr: Tr, title: str, runs: Sequence[RunData], sweeps: Sequence[SensitivityData],
                    colours: dict[str, str], base_note: str, shown: bool,
                    summary: CardSummary) -> str:
    """The whole page body in one language (a `<div class="lang">`)."""
    sections = build_sections(runs, colours, tr)
    lang = tr.lang
    archive = archive_html(runs, tr, _figure_html(fig_red_black(runs, tr), tr, "red-black"))
    other = next(code for code in LANGS if code != lang)
    parts = [
        f'<div class="lang" lang="{lang}" data-lang="{lang}"{"" if shown else " hidden"}>',
        f'<div class="top"><button type="button" class="switch" data-to="{other}" '
        f'onclick="greensimLang(\'{other}\')">{html.escape(tr("lang.switch"))}</button></div>',
        f"<h1>{html.escape(title)}</h1>",
        f'<p class="nav">{_nav(sections, bool(sweeps), tr, archive=bool(archive))}</p>',
        f'<p class="base">{html.escape(base_note)}</p>',
        f'<h2 id="{lang}-sec-answer">{html.escape(tr("page.answer"))}</h2>',
        cards_html(runs, tr, summary),
        f'<h2 id="{lang}-sec-differences">{html.escape(tr("page.differences"))}</h2>',
        f'<p class="note">{html.escape(tr("page.differences.note"))}</p>',
        _figure_html(fig_differences(runs, colours, tr), tr, "differences"),
        f'<h2 id="{lang}-sec-costs">{html.escape(tr("page.costs"))}</h2>',
        costs_html(runs, summary[1] if summary else None, tr),
        f'<h2 id="{lang}-sec-winners">{html.escape(tr("page.winners"))}</h2>',
        f'<p class="note">{html.escape(winners_note(runs, tr))}</p>',
        _figure_html(fig_winners(runs, tr), tr, "winners"),
        f'<h2 id="{lang}-sec-keys">{html.escape(tr("page.key_figures"))}</h2>',
        f'<p class="note">{html.escape(tr("page.key_figures.note"))}</p>',
        _key_table(runs, tr),
    ]
    for section, heading, figures in sections:
        parts.append(f'<h2 id="{lang}-sec-{section}">{html.escape(heading)}</h2>')
        for slug, head, note, fig in figures:
            parts.append(f'<h3>{html.escape(head)}</h3><p class="note">{html.escape(note)}</p>')
            parts.append(_figure_html(fig, tr, slug))
    parts += archive
    if sweeps:
        parts += _sensitivity_html(sweeps, tr)
    parts.append(f'<h2 id="{lang}-sec-events">{html.escape(tr("page.events", n=EVENT_ROWS))}'
                 "</h2>")
    header = [tr(f"col.{c}") for c in ("date", "kind", "subject", "detail")]
    for run in runs:
        table = events_in_language(events_table(run.events), tr)
        total = len(shown_events(run.events))
        routine = routine_count(run.events)
        label = tr("page.events.summary", name=tr.name("scenario", run.name), n=len(table),
                   total=total)
        if routine:
            label += tr("page.events.routine", n=routine)
        parts.append(f"<details><summary>{html.escape(label)}</summary>")
        parts.append(_html_table(header, table.itertuples(index=False)))
        parts.append("</details>")
    parts += checks_html(runs, tr)
    parts.append(f'<h2 id="{lang}-sec-provenance">{html.escape(tr("page.provenance"))}</h2>')
    parts.append(_html_table([tr(f"col.{c}") for c in ("scenario", "folder", "description",
                                                       "replicates", "seed", "period",
                                                       "version", "git")],
                             _scenario_rows(runs, tr)))
    parts.append("</div>")
    return "\n".join(parts)


SCRIPT = r"""<script>
function greensimLang(lang) {
  document.querySelectorAll('div.lang').forEach(function (block) {
    block.hidden = block.dataset.lang !== lang;
  });
  document.documentElement.lang = lang;
  var shown = document.querySelector('div.lang[data-lang="' + lang + '"]');
  document.title = shown.querySelector('h1').textContent;
  try { localStorage.setItem('greensim-lang', lang); } catch (e) {}
  if (window.Plotly) {
    shown.querySelectorAll('.js-plotly-plot').forEach(function (el) {
      if (window.innerWidth < 700) greensimStack(el);  // drawn while hidden: lay out now
      Plotly.Plots.resize(el);
    });
  }
}
// On a narrow screen (a phone), charts with panels side by side get one panel per row: each
// panel's x domain becomes the full width and the panels are stacked, their titles moved along.
function greensimStack(el) {
  var L = el.layout || {};
  var xs = Object.keys(L).filter(function (k) { return /^xaxis\d*$/.test(k); }).sort(
    function (a, b) { return (+a.slice(5) || 1) - (+b.slice(5) || 1); });
  var starts = {};
  xs.forEach(function (k) { starts[(L[k].domain || [0, 1])[0].toFixed(3)] = 1; });
  if (xs.length < 2 || Object.keys(starts).length < 2 || el.dataset.stacked) return;
  var n = xs.length, gap = 0.35 / n, h = (1 - gap * (n - 1)) / n, upd = {}, notes = [];
  var old = {};
  xs.forEach(function (k, i) {
    var yk = 'yaxis' + k.slice(5), top = 1 - i * (h + gap);
    old[k] = [L[k].domain || [0, 1], (L[yk] || {}).domain || [0, 1]];
    upd[k + '.domain'] = [0, 1];
    upd[yk + '.domain'] = [Math.max(0, top - h), top];
    if (L[yk]) upd[yk + '.showticklabels'] = true;  // a shared axis showed them on one panel
    if (L[k].dtick === 1) upd[k + '.dtick'] = 3;  // a year a tick is too tight at this width
  });
  var extra = 0;
  if (L.legend && L.legend.orientation === 'v') {  // a column beside the plot: above it instead
    upd['legend.orientation'] = 'h'; upd['legend.x'] = 0; upd['legend.xanchor'] = 'left';
    upd['legend.y'] = 1; upd['legend.yref'] = 'container'; upd['legend.yanchor'] = 'top';
    upd['margin.r'] = 20; upd['margin.t'] = 230; extra = 180;
  }
  (L.annotations || []).forEach(function (a, j) {
    xs.forEach(function (k, i) {
      var d = old[k], cx = (d[0][0] + d[0][1]) / 2;
      if (a.xref === 'paper' && Math.abs(a.x - cx) < 1e-6 && Math.abs(a.y - d[1][1]) < 1e-6) {
        upd['annotations[' + j + '].x'] = 0.5;
        upd['annotations[' + j + '].y'] = 1 - i * (h + gap);
        if (String(a.text).length > 16) {  // a long panel title: broken after its colon
          upd['annotations[' + j + '].text'] = String(a.text).replace(/ − /, '<br>− ')
            .replace(/([：:])\s*/, '$1<br>');
        }
      }
    });
  });
  // the box sets the size (a height in relayout would freeze the width at its old value)
  el.style.height = (250 * n + 140 + extra) + 'px';
  // and the wrapper plotly's HTML gives a fixed height, or the chart would cover what follows
  var wrap = el.parentElement;
  if (wrap && wrap.style.height) wrap.style.height = el.style.height;
  upd.autosize = true;
  upd.width = null;
  upd.height = null;
  el.dataset.stacked = '1';
  Plotly.relayout(el, upd).then(function () { Plotly.Plots.resize(el); });
}
window.addEventListener('load', function () {
  try {  // the reader's last choice of language, where it differs from the page's opening one
    var saved = localStorage.getItem('greensim-lang');
    if (saved && saved !== document.documentElement.lang &&
        document.querySelector('div.lang[data-lang="' + saved + '"]')) greensimLang(saved);
  } catch (e) {}
  if (window.innerWidth >= 700 || !window.Plotly) return;
  document.querySelectorAll('div.lang:not([hidden]) .js-plotly-plot').forEach(greensimStack);
});
</script>"""


def render_page(titles: dict[str, str], runs: Sequence[RunData],
                sweeps: Sequence[SensitivityData] = (), *, lang: str = "zh",
                base_notes: dict[str, str] | None = None) -> str:
    """The whole HTML page, in both languages (one shown, `lang`, the other behind the switch);
    plotly.js is embedded once, in the head."""
    colours = {r.name: SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)] for i, r in enumerate(runs)}
    order = [lang] + [code for code in LANGS if code != lang]
    bodies: dict[str, str] = {}
    with shared_bands():
        summary = card_summary(runs)
        for code in order:
            bodies[code] = _language_block(
                Tr(code), titles[code], runs, sweeps, colours, (base_notes or {}).get(code, ""),
                shown=code == lang, summary=summary)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">' + GENERATOR,
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(titles[lang])}</title><style>{CSS}</style>",
        f'<script type="text/javascript">{get_plotlyjs()}</script>',
        f"{SCRIPT}</head><body>",
        *(bodies[code] for code in LANGS),
        "</body></html>\n",
    ]
    return "\n".join(parts)


def load_runs(run_dirs: Sequence[Path], base: str | None = None) -> list[RunData]:
    """Read the run folders, the base first (`base`, a scenario name; default the first folder
    given), the others in the order given (ReportError: none given, a name twice, no such
    base)."""
    if not run_dirs:
        raise ReportError("no run folders given")
    runs = [load_run(Path(d)) for d in run_dirs]
    names = [r.name for r in runs]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ReportError(f"scenario name(s) {', '.join(dupes)} appear in more than one run folder")
    if base is not None and base not in names:
        raise ReportError(f"--base {base!r}: no such scenario among the run folders "
                          f"({', '.join(names)})")
    base = base or names[0]
    return [r for r in runs if r.name == base] + [r for r in runs if r.name != base]


def build_report(run_dirs: Sequence[Path], out: Path, *, title: str | None = None,
                 sensitivity: Sequence[Path] = (), base: str | None = None,
                 lang: str = "zh") -> Path:
    """Write one self-contained HTML report comparing the given run folders against a base
    (`base`, a scenario name; default the first folder given, as the page says), in both
    languages with `lang` shown first, with a section of sensitivity indices for each sweep
    folder in `sensitivity`; return its path."""
    if lang not in LANGS:
        raise ReportError(f"--lang {lang!r}: expected one of {', '.join(LANGS)}")
    runs = load_runs(run_dirs, base)
    sweeps = [load_sensitivity_folder(Path(d)) for d in sensitivity]
    chosen = base is not None
    base = runs[0].name
    titles, notes = {}, {}
    for code in LANGS:
        tr = Tr(code)
        shown = [tr.name("scenario", r.name) for r in runs]
        titles[code] = title or tr("page.title", names=tr("page.title.versus").join(shown))
        notes[code] = tr("page.base", base=tr.name("scenario", base),
                         why=tr("page.base.chosen" if chosen else "page.base.first"))
    page = render_page(titles, runs, sweeps, lang=lang, base_notes=notes)
    return write_page(Path(out), page)


