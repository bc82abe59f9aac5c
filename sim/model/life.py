"""Everyday life: rubbish and sorting, the points scheme, legacy dumps and clean-up, and polluting
investors (with or without a negative list). Each month it also runs the village councils
(`sim.model.councils`, whose resolved issues change collection and dumps here) and the air
(`sim.model.air`: straw burning and good-air days), and gathers their results in `LifeMonth`.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import simpy

from sim.model.air import AirQuality
from sim.model.councils import DUMPING, RUBBISH_POINT, Councils, raise_collection
from sim.model.households import HouseholdState, hire
from sim.model.timebase import day_of
from sim.model.workshops import as_array
from sim.model.world import Villages
from sim.scenario.schema import Scenario

INVESTOR_EMPLOYER_BASE = 1000  # employer ids of admitted investors (workshops use 0..)


@dataclass
class LifeMonth:
    """One month of everyday life. What residents can perceive (for `sim.model.residents`):
    township-wide `good_air_days` (of the month's days), `days_lost_to_burning`,
    `collected_share`, `legacy_t` and `green_area_mu` (recorded only, no effect in the model);
    per village (arrays of 23) `collected_v`, `burning_v` (households burning straw),
    `unresolved_v` (pending issues), `resolved_vk` (resolved this month, by village × kind of
    `sim.scenario.life.ISSUE_KINDS`), `lit_km_v` (road lit, cumulative), `sorting_v`,
    `polluter_v`; per household `participants` (took part this month) and the month's chance
    `resolve_share` that a pending issue is resolved."""

    rubbish_t: float = 0.0
    collected_share: float = 0.0
    sorting_share: float = 0.0
    points_awarded: float = 0.0
    legacy_t: float = 0.0
    green_area_mu: float = 0.0
    cleared_t: float = 0.0
    good_air_days: int = 0
    regional_good_days: int = 0
    days_lost_to_burning: int = 0
    burn_share: float = 0.0
    straw_burning_events: int = 0
    participation_share: float = 0.0
    issues_raised: int = 0
    issues_resolved: int = 0
    refused: int = 0
    admitted: int = 0
    sand_sites_open: int = 0
    farmland_restored_mu: float = 0.0
    rubbish_kg_per_day: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))
    industry_kg_per_day: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))
    spending: dict[str, float] = field(default_factory=dict)  # the township's, by ledger item
    sorting_v: np.ndarray = field(default_factory=lambda: np.zeros(0))
    burning_v: np.ndarray = field(default_factory=lambda: np.zeros(0))
    participants: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    resolve_share: float = 0.0
    unresolved_v: np.ndarray = field(default_factory=lambda: np.zeros(0))
    polluter_v: np.ndarray = field(default_factory=lambda: np.zeros(0))
    collected_v: np.ndarray = field(default_factory=lambda: np.zeros(0))  # by village
    collection_points_added: int = 0      # resolved rubbish-point issues, this month
    dumps_cleared_by_villagers_t: float = 0.0
    resolved_vk: np.ndarray = field(default_factory=lambda: np.zeros((0, 4)))
    lit_km_v: np.ndarray = field(default_factory=lambda: np.zeros(0))   # cumulative


def active(lever_date: date | None, day: date) -> bool:
    return lever_date is not None and day >= lever_date


class Life:
    """State of everyday life, updated once a month (households as arrays)."""

    def __init__(self, sc: Scenario, villages: Villages, hh: HouseholdState,
                 rng: np.random.Generator) -> None:
        self.sc, self.villages, self.hh = sc, villages, hh
        nv = villages.count
        self.sorting = rng.random(hh.count) < sc.sorting.start_share
        self.legacy_t = sc.rubbish.legacy_t_at_start
        self.green_mu = 0.0
        self.collected_v = np.full(nv, sc.rubbish.collected_share)
        self.councils = Councils(sc, villages, hh)
        self.air = AirQuality(sc.air)
        riverside = np.flatnonzero(np.asarray(villages.zones) == "riverside")
        self.sand_sites = [int(riverside[k % riverside.size])
                           for k in range(sc.investors.illegal_sand_sites_at_start)]
        self.polluters: list[tuple[int, str]] = []   # (village, kind) admitted
        self.refused = 0
        self.restored_mu = 0.0
        self._refused_month = 0
        self._admitted_month = 0
        self.list_active = False
        # Fixed for the run (households never move): per-village sizes, and a work array for
        # the monthly uniform draws (rng.random(out=...) draws the same numbers as random(n)).
        self._per_v = np.maximum(hh.per_village(nv), 1)
        self._draw = np.empty(hh.count)
        self._chemical_kg = as_array(sc.investors.chemical_kg_per_day)
        self._sand_kg = as_array(sc.investors.sand_kg_per_day)

    # ------------------------------------------------------------------ investors (SimPy)
    def investors(self, env: simpy.Environment, start: date, rng: np.random.Generator,
                  log: Callable[..., None], wage: float
                  ) -> Generator[simpy.events.Event, Any, None]:
        """Polluting projects arrive at random; refused under the negative list, else admitted."""
        p = self.sc.investors
        lv = self.sc.levers.negative_list
        if p.arrivals_per_year <= 0:
            return
        while True:
            yield env.timeout(float(rng.exponential(365.25 / p.arrivals_per_year)))
            kind = "chemical" if rng.random() < p.chemical_share else "sand_mining"
            village = int(rng.integers(0, self.villages.count))
            if lv is not None and env.now >= day_of(start, lv.date):
                self.refused += 1
                self._refused_month += 1
                log(env.now, "investor_refused", kind, f"village {self.villages.names[village]}")
                continue
            if rng.random() >= p.admitted_share_without_list:
                continue
            self.polluters.append((village, kind))
            self._admitted_month += 1
            hire(self.hh, INVESTOR_EMPLOYER_BASE + len(self.polluters), p.jobs, village, wage,
                 rng, self.villages.river_km)
            log(env.now, "investor_admitted", kind, f"village {self.villages.names[village]}",
                float(p.jobs))

    def negative_list(self, env: simpy.Environment, start: date, log: Callable[..., None]
                      ) -> Generator[simpy.events.Event, Any, None]:
        lv = self.sc.levers.negative_list
        assert lv is not None
        yield env.timeout(max(0.0, day_of(start, lv.date) - env.now))
        self.list_active = True
        for v in self.sand_sites:
            self.restored_mu += self.sc.investors.farmland_mu_per_sand_site
            log(env.now, "sand_site_closed", self.villages.names[v],
                f"{self.sc.investors.farmland_mu_per_sand_site:g} mu restored")
        self.sand_sites = []

    # ------------------------------------------------------------------ the month
    def month(self, m0: date, days: int, persons_v: np.ndarray, visitor_rubbish_t: float,
              farming: np.ndarray, rng: np.random.Generator, air_rng: np.random.Generator,
              council_rng: np.random.Generator,
              log: Callable[..., None] | None = None) -> LifeMonth:
        """The month; `log(kind, subject, detail, value)` records events at its start."""
        sc, hh, nv = self.sc, self.hh, self.villages.count
        lv = sc.levers
        out = LifeMonth()
        points_on = lv.points_scheme is not None and active(lv.points_scheme.start, m0)
        council_on = lv.councils is not None and active(lv.councils.start, m0)
        # --- points and sorting
        s = sc.sorting
        sorters_v = hh.village_counts(self.sorting, nv)   # exact ints: their sum is the count
        sorters = sorters_v.sum()
        reward = 0.0
        if points_on:
            ps = lv.points_scheme
            assert ps is not None
            planters = rng.binomial(hh.count, ps.planting_share_per_month)
            cleaners = rng.binomial(hh.count, ps.cleaning_share_per_month)
            points = (sorters * ps.points_sorting_per_month
                      + planters * ps.points_planting + cleaners * ps.points_cleaning)
            yuan = points * ps.yuan_per_point
            scale = min(1.0, ps.monthly_budget_yuan / yuan) if yuan > 0 else 1.0
            out.points_awarded = float(points * scale)
            out.spending["points"] = float(yuan * scale)
            reward = ps.points_sorting_per_month * ps.yuan_per_point * scale
        per_v = self._per_v
        share_v = sorters_v / per_v
        room = max(0.0, 1.0 - float(sorters / hh.count) / s.max_share)   # count / n is the mean
        pull = min(1.0, reward / s.reference_reward_yuan_per_month)
        start_v = (s.adopt_per_month_at_full_reward * pull + s.norm_weight * share_v) * room
        stop_p = s.fade_per_month * (s.fade_with_reward_share if reward > 0 else 1.0)
        u = rng.random(out=self._draw)
        starts = u < hh.spread(start_v)
        stays = u >= stop_p
        # np.where(sorting, stays, starts) by bitwise ops, much cheaper than its select:
        # starts ^ (sorting & (stays ^ starts))
        stays ^= starts
        stays &= self.sorting
        stays ^= starts
        self.sorting = stays
        sorters_v = hh.village_counts(self.sorting, nv)
        out.sorting_share = float(sorters_v.sum() / hh.count)
        out.sorting_v = sorters_v / per_v
        # --- councils: meetings at the month's start, on the state the month starts with
        cm = self.councils.month(council_on, self.collected_v, self.legacy_t, council_rng, log)
        out.participants, out.participation_share = cm.participants, cm.participation_share
        out.issues_raised, out.issues_resolved = cm.issues_raised, cm.issues_resolved
        out.resolve_share, out.unresolved_v = cm.resolve_share, cm.unresolved_v
        out.resolved_vk, out.lit_km_v = cm.resolved_vk, cm.lit_km_v
        c = sc.councils
        points_v = cm.resolved_vk[:, RUBBISH_POINT]
        out.collection_points_added = int(points_v.sum())
        self.collected_v = raise_collection(self.collected_v, points_v,
                                            c.collection_gap_closed_per_point,
                                            c.max_collected_share)
        reported = min(self.legacy_t, float(cm.resolved_vk[:, DUMPING].sum())
                       * c.dump_t_per_report)
        self.legacy_t -= reported
        out.dumps_cleared_by_villagers_t = reported
        # the works that resolve issues (collection points, street lights), paid by the township
        works = (out.collection_points_added * c.collection_point_yuan
                 + cm.lit_km * c.lights_yuan_per_km)
        if works > 0:
            out.spending["issue_works"] = works
        if council_on and lv.councils:
            out.spending["councils"] = lv.councils.yuan_per_village_month * nv
        # --- rubbish, legacy dumps, clean-up
        r = sc.rubbish
        kg = r.kg_per_person_day * days / 1000
        # persons in sorting households, per village (whole numbers: exact in any order)
        sorter_v = hh.village_counts(hh.size * self.sorting, nv).astype(float)
        other_v = persons_v - sorter_v
        sorted_v = sorter_v * kg * (1 - r.sorting_reduction_share)
        weights = persons_v / max(float(persons_v.sum()), 1.0)
        unsorted_v = other_v * kg + visitor_rubbish_t * weights
        sorted_share_v = np.maximum(self.collected_v, r.sorting_collected_share)
        collected = float(np.dot(sorted_v, sorted_share_v) + np.dot(unsorted_v, self.collected_v))
        out.rubbish_t = float(sorted_v.sum() + unsorted_v.sum())
        out.collected_share = collected / out.rubbish_t if out.rubbish_t > 0 else 1.0
        out.collected_v = self.collected_v.copy()
        # the kitchen waste in what is not collected rots; the rest stays in the dumps
        self.legacy_t += (out.rubbish_t - collected) * r.persistent_share
        if lv.cleanup is not None and active(lv.cleanup.start, m0):
            cu = lv.cleanup
            out.cleared_t = min(self.legacy_t, cu.tonnes_per_year / 12)
            self.legacy_t -= out.cleared_t
            self.green_mu += cu.greening_mu_per_year / 12
            out.spending["clearing"] = out.cleared_t * cu.yuan_per_tonne
            out.spending["greening"] = cu.greening_mu_per_year / 12 * cu.yuan_per_mu_greened
        out.legacy_t, out.green_area_mu = self.legacy_t, self.green_mu
        leach = self.legacy_t * as_array(r.leachate_kg_per_t_year) / 365.25 * r.river_entry_share
        out.rubbish_kg_per_day = weights[:, None] * leach[None, :]
        # --- straw burning and air
        patrol = lv.councils.patrol_intensity if council_on and lv.councils else 0.0
        am = self.air.month(m0.month, days, farming, patrol, points_on, air_rng)
        out.good_air_days, out.regional_good_days = am.good_air_days, am.regional_good_days
        out.days_lost_to_burning, out.burn_share = am.days_lost_to_burning, am.burn_share
        out.straw_burning_events = am.straw_burning_events
        out.burning_v = (hh.village_counts(am.burning, nv).astype(float) if am.burning.size
                         else np.zeros(nv))
        # --- investors and sand sites
        ind = np.zeros((nv, 3))
        for v, kind in self.polluters:
            ind[v] += self._chemical_kg if kind == "chemical" else self._sand_kg
        for v in self.sand_sites:
            ind[v] += self._sand_kg
        out.industry_kg_per_day = ind
        out.polluter_v = np.bincount([v for v, _ in self.polluters] + self.sand_sites,
                                     minlength=nv).astype(float)
        out.refused, out.admitted = self._refused_month, self._admitted_month
        self._refused_month = self._admitted_month = 0
        out.sand_sites_open, out.farmland_restored_mu = len(self.sand_sites), self.restored_mu
        return out


def rubbish_score(month: LifeMonth, legacy_at_start: float) -> float:
    """0–1: what residents see of rubbish: collection, and the dumps still lying about (a
    saturating term, 0.5 at the starting stock, so both clearing and growth show)."""
    dumps = month.legacy_t / (month.legacy_t + legacy_at_start) if legacy_at_start > 0 else 0.0
    return 0.5 * month.collected_share + 0.5 * (1.0 - dumps)
