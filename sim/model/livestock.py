"""Pig farms as agents: manure loads, inspections, fines, and the decision to retrofit.

A farm found non-compliant is ordered to fix its manure handling within a deadline. It
retrofits (manure to organic fertiliser) when it can afford the cash it must put down and the
retrofit's yearly cost, after a subsidised loan, free equipment and fertiliser sales, is below
the fines it expects; otherwise it is fined at the deadline and at later failed inspections.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import simpy

from sim.model.statuslog import StatusLog
from sim.model.timebase import DAYS_PER_MONTH, day_of
from sim.model.workshops import as_array
from sim.scenario.farms import Livestock, ManureRetrofit
from sim.scenario.params import Shares


class FarmStatus(StrEnum):
    RAW = "raw"
    BASIC = "basic"
    RETROFITTED = "retrofitted"
    CLOSED = "closed"


# members looked up once: attribute access on an Enum class is slow in the monthly loops
_RAW, _BASIC, _RETROFITTED, _CLOSED = (FarmStatus.RAW, FarmStatus.BASIC, FarmStatus.RETROFITTED,
                                       FarmStatus.CLOSED)


def removal(p: Livestock, status: FarmStatus) -> np.ndarray:
    """Share of generated COD, NH3-N, TP kept out of the water, by treatment status."""
    table: dict[FarmStatus, Shares] = {FarmStatus.RAW: p.removal_raw,
                                       FarmStatus.BASIC: p.removal_basic,
                                       FarmStatus.RETROFITTED: p.removal_retrofitted}
    if status == _CLOSED:
        return np.ones(3)
    return as_array(table[status])


def annuity_factor(rate: float, years: int) -> float:
    """Yearly payment per yuan borrowed at `rate` over `years` (1/years at zero rate)."""
    if rate <= 0:
        return 1.0 / years
    return rate / (1.0 - (1.0 + rate) ** -years)


@dataclass(frozen=True)
class RetrofitCase:
    """The numbers a farmer weighs (yuan; yearly figures over the loan term)."""

    capex: float
    loan: float
    free_equipment: float
    upfront: float
    cash: float
    yearly_cost: float
    expected_fines_per_year: float

    @property
    def affordable(self) -> bool:
        return self.upfront <= self.cash

    @property
    def retrofit(self) -> bool:
        return self.affordable and self.yearly_cost < self.expected_fines_per_year


def retrofit_case(head: int, p: Livestock, lever: ManureRetrofit | None,
                  inspections_per_year: float, fine_months: float) -> RetrofitCase:
    """Pure decision rule: is a retrofit affordable and cheaper than the expected fines?"""
    profit_month = head * p.profit_yuan_per_head_year / 12.0
    capex = head * p.retrofit_capex_yuan_per_head
    free = min(lever.free_equipment_yuan, capex) if lever else 0.0
    loan = min(lever.loan_yuan, capex - free) if lever else 0.0
    upfront = capex - free - loan
    own_rate = p.loan_rate_per_year * (1.0 - (lever.interest_subsidy_share if lever else 0.0))
    yearly = (loan * annuity_factor(own_rate, p.loan_years)
              + upfront * annuity_factor(p.loan_rate_per_year, p.loan_years)
              + head * p.retrofit_opex_yuan_per_head_year
              - fertiliser_yuan_per_year(head, p, lever))
    return RetrofitCase(capex=capex, loan=loan, free_equipment=free, upfront=upfront,
                        cash=p.cash_months_of_profit * profit_month, yearly_cost=yearly,
                        expected_fines_per_year=inspections_per_year * fine_months * profit_month)


def fertiliser_yuan_per_year(head: int, p: Livestock, lever: ManureRetrofit | None) -> float:
    """Compost sold at the fertiliser price; only with the programme's buyer (the lever)."""
    if lever is None:
        return 0.0
    tonnes = head * p.solid_manure_t_per_head_year * p.compost_yield_share * p.compost_sold_share
    return tonnes * p.fertiliser_price_yuan_per_t


@dataclass
class FarmAgent:
    index: int
    id: str
    village: int
    head: int
    owner: int
    log: StatusLog[FarmStatus]
    loan_left_yuan: float = 0.0
    loan_monthly_yuan: float = 0.0
    loan_months_left: int = 0
    pending_fines_yuan: float = 0.0   # fines due this month
    pending_costs_yuan: float = 0.0   # one-off costs due this month (retrofit down payment)
    year_profit_yuan: float = 0.0
    loss_years: int = 0
    load_cache: dict[FarmStatus, np.ndarray] = field(default_factory=dict)

    @property
    def status(self) -> FarmStatus:
        return self.log.current

    @property
    def compliant(self) -> bool:
        return self.log.current == _RETROFITTED


class LivestockHooks:
    """What farms need from the township (kept narrow for testing): the clock, the event log
    and the books (`sim.model.books.Books`: post, post_signed, pay)."""

    def __init__(self, env: simpy.Environment, log_event: Callable[..., None],
                 books: Any) -> None:
        self.env = env
        self.log_event = log_event
        self.books = books


def inspection_rate(p: Livestock, lever: ManureRetrofit | None, start_day: float,
                    t: float) -> float:
    if lever is not None and t >= start_day:
        return lever.inspections_per_farm_per_year
    return p.baseline_inspections_per_year


def farm_process(farm: FarmAgent, p: Livestock, lever: ManureRetrofit | None, start: Any,
                 hooks: LivestockHooks, rng: np.random.Generator
                 ) -> Generator[simpy.events.Event, Any, None]:
    """Inspections arrive as a Poisson process (thinned to the rate in force at each time)."""
    env = hooks.env
    start_day = day_of(start, lever.start) if lever is not None else math.inf
    top = max(p.baseline_inspections_per_year,
              lever.inspections_per_farm_per_year if lever else 0.0)
    if top <= 0:
        return
    while farm.log.current != _CLOSED:
        yield env.timeout(float(rng.exponential(365.25 / top)))
        rate = inspection_rate(p, lever, start_day, env.now)
        if rng.random() >= rate / top or farm.log.current == _CLOSED:
            continue
        if farm.compliant:
            hooks.log_event(env.now, "inspection_passed", farm.id)
            continue
        hooks.log_event(env.now, "inspection_failed", farm.id, f"{farm.head} head")
        # each failed inspection brings one order and, if not fixed by the deadline, one fine
        active = lever if lever is not None and env.now >= start_day else None
        fine_months = (active.fine_months_of_profit if active and
                       active.fine_months_of_profit is not None else p.fine_months_of_profit)
        case = retrofit_case(farm.head, p, active, rate, fine_months)
        if case.retrofit:
            yield env.timeout(DAYS_PER_MONTH * min(p.retrofit_build_months,
                                                   p.fix_deadline_months))
            if farm.log.current != _CLOSED:  # a farm closed meanwhile buys nothing
                retrofit(farm, case, p, active, hooks)
        else:
            yield env.timeout(DAYS_PER_MONTH * p.fix_deadline_months)
            if not farm.compliant and farm.log.current != _CLOSED:
                fine(farm, p, fine_months, hooks)


def fine(farm: FarmAgent, p: Livestock, months: float, hooks: LivestockHooks) -> None:
    amount = months * farm.head * p.profit_yuan_per_head_year / 12.0
    farm.pending_fines_yuan += amount
    hooks.log_event(hooks.env.now, "fine", farm.id, f"{months:g} months of profit", amount)


def retrofit(farm: FarmAgent, case: RetrofitCase, p: Livestock, lever: ManureRetrofit | None,
             hooks: LivestockHooks) -> None:
    farm.log.set(hooks.env.now, FarmStatus.RETROFITTED)
    farm.pending_costs_yuan += case.upfront  # the cash it puts down comes out of this month
    books = hooks.books
    books.post(hooks.env.now, "retrofit_equipment", case.capex - case.free_equipment)
    if case.loan > 0 and lever is not None:
        books.post(hooks.env.now, "loan", case.loan)
        own_rate = p.loan_rate_per_year * (1.0 - lever.interest_subsidy_share)
        farm.loan_left_yuan = case.loan
        farm.loan_months_left = 12 * p.loan_years
        farm.loan_monthly_yuan = case.loan * annuity_factor(own_rate, p.loan_years) / 12.0
    hooks.log_event(hooks.env.now, "retrofit", farm.id,
                    f"loan {case.loan:.0f}, free equipment {case.free_equipment:.0f}", case.capex)


def farm_month(farm: FarmAgent, p: Livestock, lever_active: ManureRetrofit | None,
               month: int, flows: dict[str, float] | None = None) -> tuple[float, float]:
    """Profit of the month (yuan) and the township's interest subsidy on its loan.

    `flows`, if given, gathers the month's money by ledger item (`sim.model.books.ITEMS`):
    livestock_margin, fine, compost_sales, retrofit_running, loan_principal, loan_interest."""
    status = farm.log.current
    if status == _CLOSED:
        return 0.0, 0.0
    f: dict[str, float] = flows if flows is not None else {}
    head = farm.head
    margin = head * p.profit_yuan_per_head_year / 12.0
    f["livestock_margin"] = f.get("livestock_margin", 0.0) + margin
    f["fine"] = f.get("fine", 0.0) + farm.pending_fines_yuan
    profit = margin - farm.pending_fines_yuan - farm.pending_costs_yuan
    farm.pending_fines_yuan = farm.pending_costs_yuan = 0.0
    subsidy = 0.0
    if status == _RETROFITTED:
        compost = fertiliser_yuan_per_year(head, p, lever_active)
        running = head * p.retrofit_opex_yuan_per_head_year
        f["compost_sales"] = f.get("compost_sales", 0.0) + compost / 12.0
        f["retrofit_running"] = f.get("retrofit_running", 0.0) + running / 12.0
        profit += (compost - running) / 12.0
    if farm.loan_months_left > 0:
        profit -= farm.loan_monthly_yuan
        if lever_active is not None:
            subsidy = (farm.loan_left_yuan * p.loan_rate_per_year
                       * lever_active.interest_subsidy_share / 12.0)
        principal = farm.loan_left_yuan / farm.loan_months_left
        interest = farm.loan_monthly_yuan - principal  # 0 with the interest fully subsidised,
        interest = interest if interest > 1e-9 * principal else 0.0  # up to rounding
        f["loan_principal"] = f.get("loan_principal", 0.0) + farm.loan_monthly_yuan - interest
        f["loan_interest"] = f.get("loan_interest", 0.0) + interest
        farm.loan_left_yuan *= 1.0 - 1.0 / farm.loan_months_left
        farm.loan_months_left -= 1
    farm.year_profit_yuan += profit
    if month == 12:
        farm.loss_years = farm.loss_years + 1 if farm.year_profit_yuan < 0 else 0
        farm.year_profit_yuan = 0.0
    return profit, subsidy


def farm_load_kg_per_day(farm: FarmAgent, p: Livestock, t0: float, t1: float) -> np.ndarray:
    """COD, NH3-N, TP reaching the river, kg/day averaged over [t0, t1) (time-weighted)."""
    log = farm.log
    if log.constant_since(t0):
        status = log.current
        cached = farm.load_cache.get(status)
        if cached is None:
            gen = farm.head * as_array(p.generation_kg_per_head_day) * p.river_entry_share
            cached = farm.load_cache[status] = gen * (1.0 - removal(p, status))
        return cached
    gen = farm.head * as_array(p.generation_kg_per_head_day) * p.river_entry_share
    days = t1 - t0
    out = np.zeros(3)
    for status in (_RAW, _BASIC, _RETROFITTED):
        d = log.days_in(status, t0, t1)
        if d > 0:
            out += gen * (1.0 - removal(p, status)) * (d / days)
    return out
