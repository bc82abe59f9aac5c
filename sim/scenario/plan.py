"""The lever spending a scenario fixes in advance, by year, and whether it fits the budget.

The plan (`planned_spending`): closures' compensation of the workshops named or selected by the
rule, the plant's capex (if the township pays) and the sewers of the workshops it connects,
eco-tourism investments and marketing, the forest planting subsidy, the points scheme's monthly
budget (its most), clean-up at its yearly rates, councils' running costs. Co-culture's
subsidies and classes, the interest subsidies and the councils' issue works are not in it:
their size follows adoption (places filled), retrofits and the issues resolved during the run;
nor is rural sewage, whose costs follow each village's households and persons, drawn at the
run's start. What these add over the budget is deferred in either mode.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date

from sim.scenario.schema import Scenario


def _months(first: date, start: date, end: date) -> list[date]:
    """First days of the months from `first`'s month (not before `start`'s) to `end`'s."""
    y, m = (first.year, first.month) if first > start else (start.year, start.month)
    return _from(date(y, m, 1), end)


def _from(y_m: date, end: date) -> list[date]:
    y, m = y_m.year, y_m.month
    out = []
    while (y, m) <= (end.year, end.month):
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def planned_spending(sc: Scenario) -> dict[int, float]:
    """The lever spending `sc` fixes in advance, by calendar year (see the module's note)."""
    plan: dict[int, float] = defaultdict(float)
    start, end = sc.start_date, sc.end_date
    lv = sc.levers

    def on(day: date, yuan: float) -> None:
        if start <= day <= end and yuan > 0:
            plan[day.year] += yuan

    def monthly(first: date, yuan: float, whole_months: bool = False) -> None:
        """`yuan` in every month from `first`'s; with `whole_months`, from the first month
        that starts on or after `first` (a lever active from its start date)."""
        if whole_months and first.day > 1:
            first = _add_months(first.replace(day=1), 1)
        for m0 in _months(first, start, end):
            on(m0, yuan)

    closed: set[str] = set()
    if lv.closures is not None:
        c = lv.closures
        for w in sc.workshops:
            load = w.flow_m3_per_day * w.concentration_mg_l.cod / 1000.0
            if (w.id in c.workshops or (c.rule == "unlicensed" and not w.licensed)
                    or (c.rule == "cod_load_above" and c.cod_load_threshold_kg_per_day
                        is not None and load > c.cod_load_threshold_kg_per_day)):
                closed.add(w.id)
                on(c.date, c.compensation_yuan_per_workshop)
    fac = lv.shared_facility
    if fac is not None:
        months = max(fac.build_months, 1)
        if fac.capex_paid_by == "township":
            capex = fac.capex_yuan_per_m3_day * fac.capacity_m3_per_day
            for k in range(months):
                on(_add_months(fac.build_start, k), capex / months)
        online = _add_months(fac.build_start, fac.build_months)
        connected = [w for w in sc.workshops if w.id not in closed
                     and (fac.connect == "all_open" or w.id in fac.connect)]
        on(online, len(connected) * fac.pipe_cost_yuan_per_workshop)
    if lv.ecotourism is not None:
        for inv in lv.ecotourism.investments:
            on(inv.date, inv.cost_yuan)
            monthly(inv.date, inv.marketing_yuan_per_year / 12.0)
    if lv.forest_economy is not None:
        for year, mu in lv.forest_economy.mu_by_year.items():
            on(date(year, 1, 1), mu * lv.forest_economy.subsidy_yuan_per_mu)
    if lv.points_scheme is not None:
        monthly(lv.points_scheme.start, lv.points_scheme.monthly_budget_yuan, True)
    if lv.cleanup is not None:
        cu = lv.cleanup
        monthly(cu.start, (cu.tonnes_per_year * cu.yuan_per_tonne
                           + cu.greening_mu_per_year * cu.yuan_per_mu_greened) / 12.0, True)
    if lv.councils is not None:
        monthly(lv.councils.start, lv.councils.yuan_per_village_month
                * sc.township.village_count, True)
    return dict(sorted(plan.items()))


def _add_months(d: date, k: int) -> date:
    """The same day `k` months later, clipped to the month's end (as the model's timebase)."""
    y, m = divmod(d.month - 1 + k, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def over_budget(sc: Scenario) -> tuple[int, float, float] | None:
    """(year, planned, limit) of the first year whose plan exceeds `sc.budget` in mode
    `error`; None if every year fits (or there is no limit, or the mode defers)."""
    limit = sc.budget.yuan_per_year
    if limit is None or sc.budget.mode != "error":
        return None
    for year, yuan in planned_spending(sc).items():
        if yuan > limit * (1 + 1e-12):
            return year, yuan, limit
    return None
