"""Saving a lesson: one self-contained HTML page (plotly.js inside, opens offline) with the
class's choices, the same figures as the debrief and its words, built in memory from the tab's
lesson state and sent to the browser as a download. The page never names a file on the server:
nothing is read or written there."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import plotly.io as pio

from sim.classroom.engine import Engine
from sim.classroom.figures import (
    CONFIG,
    headline_figure,
    spending_figure,
    township_picture,
    year_frame,
)
from sim.classroom.i18n import Tr
from sim.classroom.screens import money_sentences, winner_lines

STYLE = """body{font-family:"Noto Sans CJK SC","Noto Sans SC","Microsoft YaHei",sans-serif;
max-width:1200px;margin:1.5rem auto;padding:0 1rem;color:#111;font-size:17px}
h1{font-size:1.7rem}h2{font-size:1.3rem;margin-top:1.6rem}li{margin:.2rem 0}
.note{color:#444;font-size:.9rem}"""


def _e(text: object) -> str:
    return html.escape(str(text))


def lesson_html(state: Mapping[str, Any], engine: Engine, tr: Tr) -> str:
    """The saved lesson in `tr`'s language."""
    config = engine.config
    refs = engine.reference_summaries
    summary, debrief = state["summary"], state["debrief"]
    schedule: list[list[str]] = state["schedule"]
    rounds = []
    for k, ids in enumerate(schedule):
        first, last = config.round_years(k)
        cards = "、".join(tr(f"card.{c}.title") for c in ids) if tr.lang == "zh" \
            else ", ".join(tr(f"card.{c}.title") for c in ids)
        rounds.append(tr("save.round", k=k + 1, first=first, last=last,
                         cards=cards or tr("round.none")))
    figures: list[Any] = [
        headline_figure(summary, refs, tr, config.last_year, height=340),
        township_picture([year_frame(summary["seasons"], config.last_year)], engine.layout, tr,
                         with_visits=False, title=tr("picture.title", year=config.last_year),
                         height=420),
        spending_figure(summary["spending"], refs["as_reported"]["spending"], tr, height=380),
    ]
    charts = [pio.to_html(f, include_plotlyjs=k == 0, full_html=False, config=CONFIG)
              for k, f in enumerate(figures)]
    total, items, cod = money_sentences(summary["spending"], refs["as_reported"]["spending"],
                                        debrief, config, tr)
    money = [total, *items, cod]
    title = tr("save.title", first=config.first_year, last=config.last_year)
    parts = [
        "<!DOCTYPE html>", f'<html lang="{"zh" if tr.lang == "zh" else "en"}"><head>',
        '<meta charset="utf-8">', f"<title>{_e(title)}</title>", f"<style>{STYLE}</style>",
        "</head><body>", f"<h1>{_e(title)}</h1>",
        f"<h2>{_e(tr('save.choices'))}</h2><ul>"
        + "".join(f"<li>{_e(r)}</li>" for r in rounds) + "</ul>",
        f"<h2>{_e(tr('debrief.paths'))}</h2>", charts[0],
        f'<p class="note">{_e(tr("results.band", n=summary["replicates"]))}</p>', charts[1],
        f"<h2>{_e(tr('debrief.winners', year=config.last_year))}</h2><ul>"
        + "".join(f"<li>{_e(line)}</li>" for line in winner_lines(debrief, tr)) + "</ul>",
        f"<h2>{_e(tr('debrief.money'))}</h2>"
        + "".join(f"<p>{_e(line)}</p>" for line in money), charts[2],
        f"<h2>{_e(tr('debrief.questions'))}</h2><ol>"
        + "".join(f"<li>{_e(tr(f'question.{k}'))}</li>" for k in (1, 2, 3)) + "</ol>",
        f'<p class="note">{_e(tr("save.note", n=config.replicates, seed=config.seed))}</p>',
        "</body></html>"]
    return "\n".join(parts)


__all__ = ["lesson_html"]
