"""The under-forest economy: camellia oil and Polygonatum planted by year, bearing after some
years, their net output paid to the households of the hilly forest villages."""

from __future__ import annotations

from datetime import date

from sim.scenario.farms import ForestEconomy, ForestPlanting


def bearing_mu(plan: ForestPlanting | None, p: ForestEconomy, year: int) -> float:
    """Area planted at least `years_to_maturity` years before `year` (mu)."""
    if plan is None:
        return 0.0
    return float(sum(mu for y, mu in plan.mu_by_year.items() if y + p.years_to_maturity <= year))


def forest_month(plan: ForestPlanting | None, p: ForestEconomy, m0: date,
                 level: float, bearing: float | None = None) -> tuple[float, float]:
    """(households' net income, planting subsidy paid) for the month, yuan.

    Output accrues evenly over the year; planting subsidies are paid in January of the year
    of planting. `bearing` is `bearing_mu(plan, p, m0.year)` for callers that keep it by year
    (it changes only with the year), else it is worked out here."""
    if plan is None:
        return 0.0, 0.0
    if bearing is None:
        bearing = bearing_mu(plan, p, m0.year)
    income = bearing * p.output_yuan_per_mu_year * p.net_share / 12 * level
    subsidy = 0.0
    if m0.month == 1:
        subsidy = plan.mu_by_year.get(m0.year, 0.0) * plan.subsidy_yuan_per_mu
    return income, subsidy
