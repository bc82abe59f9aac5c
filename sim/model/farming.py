"""Farms and fields in the township: pig farms (agents with their own inspection processes),
paddy (household arrays) and the under-forest economy, settled month by month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import simpy

from sim.model.forest import bearing_mu, forest_month
from sim.model.households import HouseholdState, pay_villages
from sim.model.livestock import (
    FarmAgent,
    FarmStatus,
    LivestockHooks,
    farm_load_kg_per_day,
    farm_month,
    farm_process,
)
from sim.model.paddy import PaddySector
from sim.model.statuslog import StatusLog
from sim.model.timebase import day_of
from sim.model.world import Villages
from sim.scenario.schema import Scenario


@dataclass
class FarmingMonth:
    livestock_kg_per_day: np.ndarray
    farmland_kg_per_day: np.ndarray
    income_livestock_yuan: float = 0.0
    income_rice_yuan: float = 0.0
    income_coculture_yuan: float = 0.0
    income_forest_yuan: float = 0.0
    fines_yuan: float = 0.0
    adopted: int = 0
    dropped: int = 0


class Farming:
    def __init__(self, scenario: Scenario, villages: Villages, hh: HouseholdState,
                 env: simpy.Environment, hooks: LivestockHooks,
                 layout: np.random.Generator, streams: object) -> None:
        self.sc, self.villages, self.hh, self.env = scenario, villages, hh, env
        p = scenario.livestock
        zones = np.asarray(villages.zones)
        rural = np.flatnonzero((zones == "hilly") | (zones == "farmland"))
        farmland = np.flatnonzero(zones == "farmland")
        heads = np.clip(np.round(p.head_median * np.exp(
            p.head_log_sd * layout.standard_normal(p.farms))), 50, 2000).astype(int)
        start_status = np.where(layout.random(p.farms) < p.basic_share_at_start,
                                FarmStatus.BASIC, FarmStatus.RAW)
        self.farms: list[FarmAgent] = []
        for i in range(p.farms):
            if i == 0 and farmland.size:  # the account's farm
                v, head, status = int(farmland[0]), p.account_farm_head, FarmStatus.RAW
            else:
                v, head, status = int(rural[i % rural.size]), int(heads[i]), start_status[i]
            owner = int(layout.choice(np.flatnonzero(hh.village == v)))
            self.farms.append(FarmAgent(index=i, id=f"F{i + 1:02d}", village=v, head=head,
                                        owner=owner, log=StatusLog(0.0, FarmStatus(status))))
        lever = scenario.levers.manure_retrofit
        rng = streams("inspections")  # type: ignore[operator]
        for farm in self.farms:
            env.process(farm_process(farm, p, lever, scenario.start_date, hooks, rng))
        self.price_rng = streams("crayfish_price")  # type: ignore[operator]
        self.paddy = PaddySector(scenario.paddy, scenario.levers.coculture, villages, hh, layout)
        self.paddy.decision_rng = streams("coculture")  # type: ignore[operator]
        self.hooks = hooks
        self.forest_host = (zones == "hilly").astype(float)
        lv = scenario.levers.manure_retrofit
        self._lever_start = day_of(scenario.start_date, lv.start) if lv is not None else 0.0
        # the farms' loads summed by village, reused while no farm changes (`_livestock_loads`)
        self._livestock = np.zeros((villages.count, 3))
        self._logs = [farm.log for farm in self.farms]
        self._loads_t0: float | None = None  # start of the last month asked farm by farm
        # bearing forest area by year: the plan is fixed for the run (see `forest_month`)
        self._bearing_mu: dict[int, float] = {}

    def lever_active(self, day: float) -> object:
        lv = self.sc.levers.manure_retrofit
        if lv is not None and day >= self._lever_start:
            return lv
        return None

    def _livestock_loads(self, t0: float, t1: float) -> np.ndarray:
        """Farms' loads summed by village, kg/day (villages × COD, NH3-N, TP), added farm by
        farm in order.

        Most months no farm changes at all: when no farm's status changed since the start of
        the last month the farms were asked, each farm's load is what it was then (its cached
        array for that status), so the sums are too and are reused."""
        since = self._loads_t0
        if since is not None and all(log.constant_since(since) for log in self._logs):
            return self._livestock.copy()
        p = self.sc.livestock
        total = np.zeros((self.villages.count, 3))
        for farm in self.farms:
            total[farm.village] += farm_load_kg_per_day(farm, p, t0, t1)
        self._livestock, self._loads_t0 = total, t0
        return self._livestock.copy()

    def month(self, m0: date, t0: float, t1: float, level: float,
              rng: np.random.Generator) -> FarmingMonth:
        sc, hh = self.sc, self.hh
        p = sc.livestock
        nv = self.villages.count
        # loads before the loop: a closure below changes only its own farm, after its load
        out = FarmingMonth(livestock_kg_per_day=self._livestock_loads(t0, t1),
                           farmland_kg_per_day=np.zeros((nv, 3)))
        active = self.lever_active(t0)
        month, closing = m0.month, p.loss_years_before_closing
        extra = hh.extra_yuan
        fines = income = subsidy = gains = losses = 0.0
        flows: dict[str, float] = {}
        for farm in self.farms:
            fines += farm.pending_fines_yuan
            profit, sub = farm_month(farm, p, active, month, flows)  # type: ignore[arg-type]
            extra[farm.owner] += profit
            income += profit
            subsidy += sub
            if profit > 0:
                gains += profit
            else:
                losses -= profit
            if farm.loss_years >= closing and farm.log.current != FarmStatus.CLOSED:
                farm.log.set(t1 - 1e-9, FarmStatus.CLOSED)
                self.hooks.log_event(t1 - 1, "farm_closed", farm.id, "persistent losses")
        out.fines_yuan, out.income_livestock_yuan = fines, income
        books = self.hooks.books
        for item, yuan in flows.items():
            books.post(t0, item, yuan)
        books.post(t0, "farm_profit", gains)
        books.post_signed(t0, "farm_profit", -losses)
        books.pay(t0, "interest_subsidy", subsidy)
        pm = self.paddy.month(m0, level, rng, self.price_rng)
        out.farmland_kg_per_day = pm.runoff_kg_per_day if pm.runoff_kg_per_day is not None \
            else out.farmland_kg_per_day
        out.income_rice_yuan = pm.rice_income_yuan
        out.income_coculture_yuan = pm.coculture_income_yuan
        out.adopted, out.dropped = pm.adopted, pm.dropped
        books.post(t0, "coculture_conversion", pm.conversion_yuan)
        books.pay(t0, "coculture_training", pm.training_yuan)
        if pm.subsidy_yuan > 0:
            take, due = self.paddy.subsidy_due

            def subsidise(_: float, share: float) -> None:
                extra[take] += due * share

            books.pay(t0, "coculture_subsidy", pm.subsidy_yuan, subsidise)
        books.post(t0, "rice_sales", pm.rice_income_yuan)
        books.post_signed(t0, "coculture_sales", pm.coculture_income_yuan)
        if m0.month == 4 and self.paddy.crashed:
            self.hooks.log_event(t0, "price_crash", "crayfish",
                                 f"{self.paddy.crayfish_price:.1f} yuan/kg",
                                 self.paddy.crayfish_price)
        if pm.adopted or pm.dropped:
            self.hooks.log_event(t0, "coculture_spring", "paddy",
                                 f"{pm.adopted} adopted, {pm.dropped} dropped out", pm.adopted)
        plan = sc.levers.forest_economy
        bearing = self._bearing_mu.get(m0.year)
        if bearing is None:
            bearing = self._bearing_mu[m0.year] = bearing_mu(plan, sc.forest, m0.year)
        income, plant_subsidy = forest_month(plan, sc.forest, m0, level, bearing)
        pay_villages(hh, income, self.forest_host)
        books.post(t0, "forest_products", income)
        out.income_forest_yuan = income

        def to_planters(_: float, share: float) -> None:
            pay_villages(hh, plant_subsidy * share, self.forest_host)

        books.pay(t0, "planting_subsidy", plant_subsidy, to_planters)
        return out

    def counts(self) -> dict[str, float]:
        households, villages, area = self.paddy.coculture_totals()
        statuses = [log.current for log in self._logs]
        return {
            "farms_open": len(statuses) - statuses.count(FarmStatus.CLOSED),
            "farms_compliant": statuses.count(FarmStatus.RETROFITTED),
            "coculture_households": households,
            "coculture_villages": villages,
            "coculture_area_mu": area,
            "crayfish_price_yuan_per_kg": float(self.paddy.crayfish_price),
            "loans_outstanding_yuan": float(sum(f.loan_left_yuan for f in self.farms)),
        }
