"""The report's sections in page order, each with its figures and the notes under them, in
one language (`sim.report.i18n.Tr`)."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from sim.report.data import RunData
from sim.report.drivers import fig_satisfaction_terms, last_full_year
from sim.report.figures import (
    TARGET_CLASS,
    Figure,
    Panel,
    Section,
    fig_annual_lines,
    fig_farm_income,
    fig_load_sources,
    fig_panels,
    fig_satisfaction,
    fig_spending,
    fig_water_class,
    fig_workshops,
    months_per_year,
)
from sim.report.i18n import Tr
from sim.report.river import fig_river, river_note


def _partial_note(runs: Sequence[RunData], tr: Tr) -> str:
    """Sentence naming the partial years (omitted from annual sums), or '' when none."""
    partial = {y: n for y, n in months_per_year([r.township for r in runs]).items() if n < 12}
    text = ", ".join(tr("note.partial.year", year=y, n=n) for y, n in sorted(partial.items()))
    return text and tr("note.partial", years=text)


def build_sections(runs: Sequence[RunData], colours: dict[str, str], tr: Tr) -> list[Section]:
    """The report's sections in page order, each with its figures (skipping those without
    data) as (slug for the div id, heading, note under the heading, figure), in the language
    of `tr`."""
    part, target = _partial_note(runs, tr), tr.class_label(TARGET_CLASS)
    band, end = tr("note.band"), tr("note.end")
    water: list[tuple[str, str, str, go.Figure | None]] = [
        ("river-map", tr("fig.river"), river_note(runs, tr), fig_river(runs, tr)),
        ("water-class", tr("fig.water_class"), tr("fig.water_class.note", target=target),
         fig_water_class(runs, tr)),
        ("target-share", tr("fig.target", target=target),
         tr("fig.target.note", target=target, band=band),
         fig_annual_lines(runs, colours, "sections_meeting_target_share", "mean", tr=tr,
                          y_title=tr("fig.target.axis", target=target), percent=True)),
        ("load-sources", tr("fig.loads"), tr("fig.loads.note", partial=part),
         fig_load_sources(runs, tr)),
        ("income", tr("fig.income"), tr("fig.income.note", band=band, partial=part),
         fig_annual_lines(runs, colours, "income_per_capita_yuan", "sum", tr=tr,
                          y_title=tr("fig.income.axis"))),
        ("workshops", tr("fig.workshops"), tr("fig.workshops.note"),
         fig_workshops(runs, colours, tr)),
        ("spending", tr("fig.spending"),
         tr("fig.spending.note", money=tr("money.unit"), partial=part), fig_spending(runs, tr)),
        ("connected-saving", tr("fig.saving"), tr("fig.saving.note", band=band),
         fig_annual_lines(runs, colours, "connected_saving_share", "mean", height=340, tr=tr,
                          y_title=tr("fig.saving.axis"), percent=True)),
    ]
    tourism = [
        ("tourism-visits", tr("fig.visits"), tr("fig.visits.note", band=band, partial=part),
         fig_panels(runs, colours, [
             Panel("visits", "sum", "fig.visits.visits", "fig.visits.visits_axis"),
             Panel("tourism_revenue_yuan", "sum", "fig.visits.revenue", "money.per_year",
                   scale=0)], tr)),
        ("tourism-capacity", tr("fig.capacity"),
         tr("fig.capacity.note", end=end, band=band, partial=part),
         fig_panels(runs, colours, [
             Panel("beds", "last", "fig.capacity.beds", "fig.capacity.beds_axis"),
             Panel("homestays", "last", "fig.capacity.homestays",
                   "fig.capacity.homestays_axis"),
             Panel("visits_turned_away", "sum", "fig.capacity.away",
                   "fig.capacity.away_axis")], tr)),
    ]
    farms = [
        ("farms-coculture", tr("fig.coculture"), tr("fig.coculture.note", end=end, band=band),
         fig_panels(runs, colours, [
             Panel("coculture_households", "last", "fig.coculture.households",
                   "fig.coculture.households_axis"),
             Panel("crayfish_price_yuan_per_kg", "mean", "fig.coculture.price",
                   "fig.coculture.price_axis", zero=False, per_jin_zh=True),
             Panel("farms_compliant", "last", "fig.coculture.farms",
                   "fig.coculture.farms_axis")], tr)),
        ("farm-income", tr("fig.farm_income"),
         tr("fig.farm_income.note", band=band, partial=part),
         fig_farm_income(runs, colours, tr)),
    ]
    life = [
        ("satisfaction", tr("fig.satisfaction"), tr("fig.satisfaction.note"),
         fig_satisfaction(runs, colours, tr)),
        ("satisfaction-drivers", tr("fig.drivers"),
         tr("fig.drivers.note", year=last_full_year(runs) or ""),
         fig_satisfaction_terms(runs, colours, tr)),
        ("life-air-rubbish", tr("fig.air"), tr("fig.air.note", end=end, band=band, partial=part),
         fig_panels(runs, colours, [
             Panel("good_air_days", "sum", "fig.air.days", "fig.air.days_axis", zero=False),
             Panel("sorting_share", "mean", "fig.air.sorting", "fig.air.sorting_axis",
                   percent=True),
             Panel("legacy_rubbish_t", "last", "fig.air.legacy", "fig.air.legacy_axis")],
             tr)),
    ]
    sections = (("water", tr("sec.water"), water), ("tourism", tr("sec.tourism"), tourism),
                ("farms", tr("sec.farms"), farms), ("life", tr("sec.life"), life))
    out = [(slug, head, [(s, h, n, f) for s, h, n, f in figs if f is not None])
           for slug, head, figs in sections]
    return [(slug, head, figs) for slug, head, figs in out if figs]


def build_figures(runs: Sequence[RunData], colours: dict[str, str],
                  tr: Tr | None = None) -> list[Figure]:
    """All figures of the report in page order (see ``build_sections``)."""
    return [fig for _, _, figs in build_sections(runs, colours, tr or Tr("en")) for fig in figs]


__all__ = ["build_figures", "build_sections"]
