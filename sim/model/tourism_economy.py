"""Tourism's place in the township: beds and their owners, jobs, who earns what, and visitors'
sewage reaching the river through the host villages' drains (the residents' pathway)."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from datetime import date

import numpy as np

from sim.model.households import HouseholdState, assign_tourism_jobs, pay_villages
from sim.model.timebase import days_in_month
from sim.model.tourists import TourismMonth, TourismState, host_shares, new_homestays, tourism_month
from sim.model.world import Villages
from sim.scenario.schema import Scenario
from sim.scenario.tourism import Investment


@dataclass(frozen=True)
class VisitorsMonth:
    """Tourism's month, ready for the river and the recorder."""

    result: TourismMonth
    tourist_kg_per_day: np.ndarray      # villages × (COD, NH3-N, TP), reaching the river
    visits_by_village: np.ndarray
    revenue_by_village: np.ndarray
    jobs: int
    beds: int
    homestays: int
    new_homestays: int
    marketing_yuan: float
    local_yuan: float = 0.0       # visitors' spending kept in the township
    wages_yuan: float = 0.0       # of which tourism wages
    owners_yuan: float = 0.0      # homestay owners' share of the profit (may be < 0)
    villages_yuan: float = 0.0    # the host villages' share (may be < 0)


class TourismEconomy:
    """Tourism state plus its links to households and villages."""

    def __init__(self, scenario: Scenario, villages: Villages, households: HouseholdState,
                 rng: np.random.Generator) -> None:
        p = scenario.tourism
        self.p = p
        self.start = scenario.start_date
        self.scenario = scenario
        self.villages = villages
        self.hh = households
        self.host = host_shares(villages.zones, p.park_share_of_visits)
        self.host_village = self.host > 0
        self.host_households = self.host_village[households.village]  # villages never change
        self.state = TourismState(beds=p.initial_beds,
                                  trail_capacity=p.initial_trail_visitors_per_day,
                                  classes=deque(maxlen=p.river_perception_months))
        self.owners = np.zeros(0, dtype=np.int64)
        self.owner_beds = np.zeros(0)
        self._private_beds = 0.0  # owner_beds.sum(), kept by `_add_homestays`
        self._add_homestays(math.ceil(p.initial_beds / p.homestay_beds), p.initial_beds, rng)
        conc = scenario.sewage.concentration_mg_l
        self._conc = np.array([conc.cod, conc.nh3n, conc.tp])
        self._entry = villages.sewage_river_entry_share[:, None]
        self._host_col, self._conc_row = self.host[:, None], self._conc[None, :]  # views

    def _add_homestays(self, n: int, beds: int, rng: np.random.Generator) -> None:
        if n <= 0:
            return
        pool = np.setdiff1d(np.flatnonzero(self.host_village[self.hh.village]), self.owners)
        owners = np.sort(rng.choice(pool, size=min(n, pool.size), replace=False))
        self.owners = np.concatenate([self.owners, owners])
        self.owner_beds = np.concatenate([self.owner_beds, np.full(owners.size, beds / n)])
        self._private_beds = float(self.owner_beds.sum())  # read monthly, changes only here
        self.state.homestays += int(owners.size)

    def invest(self, inv: Investment, rng: np.random.Generator) -> None:
        """Apply an eco-tourism investment; homestay beds get owners, camping stays public."""
        self.state.invest(inv)
        if inv.kind == "homestays" and inv.beds > 0:
            self._add_homestays(math.ceil(inv.beds / self.p.homestay_beds), inv.beds, rng)

    def perceive(self, mean_class: float) -> None:
        """Visitors see this month's river (mean class over the sections)."""
        self.state.classes.append(mean_class)

    def perceived_class(self) -> float:
        """Mean class of the months visitors remember (the reference class before any).

        This is np.mean's own arithmetic (numpy's sum, then one division by the count), from
        an array filled straight from the deque: np.mean would first turn the deque into an
        array item by item as a generic sequence, which costs more than the mean itself."""
        c = self.state.classes
        if not c:
            return float(self.p.river_reference_class)
        n = len(c)
        return float(np.add.reduce(np.fromiter(c, float, n))) / n

    def month(self, m0: date, level: float, rng: np.random.Generator,
              jobs_rng: np.random.Generator) -> VisitorsMonth:
        p, st, hh = self.p, self.state, self.hh
        years = (m0 - self.start).days / 365.25
        res = tourism_month(st, p, m0.year, m0.month, years, self.perceived_class(), level, rng)
        # jobs follow the past year's visits
        yearly = sum(st.visits_12m) * 12.0 / len(st.visits_12m)
        target = int(round(p.jobs_per_1000_visits * yearly / 1000.0))
        assign_tourism_jobs(hh, target, self.host_village, jobs_rng, self.host_households)
        holders = np.flatnonzero(hh.tourism_job)  # no job changes hands below
        jobs = int(holders.size)
        wage = p.tourism_wage_yuan_per_month * level
        hh.extra_yuan[holders] += wage  # by index: the same sums as by the mask, cheaper
        # what stays in the township: wages first, the rest to bed owners and host villages
        local = res.revenue_yuan * p.local_capture_share
        profit = local - wage * jobs
        night_share = res.night_revenue_yuan / res.revenue_yuan if res.revenue_yuan > 0 else 0.0
        night_profit = profit * night_share
        private = self._private_beds
        owners = 0.0
        if st.beds > 0 and self.owners.size:
            # owners are distinct households (`_add_homestays`), so plain fancy indexing adds
            # each share once, as np.add.at would, and faster
            shares = night_profit * self.owner_beds / st.beds
            hh.extra_yuan[self.owners] += shares
            owners = float(shares.sum())
        collective = profit - (night_profit * private / st.beds if st.beds > 0 else 0.0)
        pay_villages(hh, collective, self.host)
        opened = 0
        if m0.month == 12:
            opened = new_homestays(st, p)
            if opened:
                st.beds += opened * p.homestay_beds
                self._add_homestays(opened, opened * p.homestay_beds, jobs_rng)
        days = days_in_month(m0)
        litres_per_day = res.sewage_litres / days
        tourist = litres_per_day * self._host_col * self._conc_row / 1e6
        tourist = tourist * self._entry
        return VisitorsMonth(
            result=res, tourist_kg_per_day=tourist, visits_by_village=res.visits * self.host,
            revenue_by_village=res.revenue_yuan * self.host, jobs=jobs,
            beds=st.beds, homestays=st.homestays, new_homestays=opened,
            marketing_yuan=st.marketing_yuan_per_year / 12.0, local_yuan=local,
            wages_yuan=wage * jobs, owners_yuan=owners, villages_yuan=collective)
