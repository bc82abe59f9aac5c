"""Paddy fields: rice alone or rice–crayfish co-culture, chosen by households each spring.

Co-culture is a programme: the township enrols villages by year and runs a class in each
enrolled village with a number of places a year; a household must be trained to convert. Each
spring a suitable rice household in an enrolled village applies with the chance that
co-culture pays for it (expected margin over rice at last season's market and the brand's
price at the township's supply, start-up cost net of subsidy) plus the peer effect of its
neighbours' adoption; places go to applicants in a random order (`sim.model.coculture`).
Adopters stop after a loss year with some probability. The brand's price falls once the
township's supply exceeds local demand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from sim.model.coculture import (
    allocate_places,
    apply_probability,
    margin_over_rice,
    pays_probability,
    town_price,
)
from sim.model.households import HouseholdState
from sim.model.world import Villages
from sim.scenario.farms import Coculture, Paddy

HARVEST_CRAYFISH_MONTH = 6   # crayfish sold May–June (research §3.4)
HARVEST_RICE_MONTH = 10
SPRING_MONTH = 3
DRAINAGE_PULSE_SHARE = {5: 0.5, 6: 0.5}  # crayfish fields drained late May–June (river-facts §7)


def coculture_net_per_mu(p: Paddy, crayfish_price: float, branded: bool) -> float:
    """Net income of a mu under co-culture in a year at the township's crayfish price, yuan
    (before conversion costs)."""
    return p.rice_net_yuan_per_mu + margin_over_rice(p, crayfish_price, branded)


@dataclass
class PaddyMonth:
    rice_income_yuan: float = 0.0
    coculture_income_yuan: float = 0.0
    adopted: int = 0
    dropped: int = 0
    applied: int = 0
    subsidy_yuan: float = 0.0
    training_yuan: float = 0.0
    conversion_yuan: float = 0.0
    runoff_kg_per_day: np.ndarray | None = None   # villages × (COD, NH3-N, TP)


class PaddySector:
    """Paddy held by households (arrays), their choices, harvests and runoff."""

    def __init__(self, p: Paddy, lever: Coculture | None, villages: Villages,
                 hh: HouseholdState, rng: np.random.Generator) -> None:
        self.p, self.lever, self.villages, self.hh = p, lever, villages, hh
        n = hh.count
        self.farming = rng.random(n) < p.farming_household_share
        self.mu = np.where(self.farming, rng.uniform(p.mu_min, p.mu_max, n), 0.0)
        self.coculture = np.zeros(n, dtype=bool)
        self.loss_last_year = np.zeros(n, dtype=bool)
        nv = villages.count
        # suitable paddy (water, flatness, low-lying fields): the ceiling per village
        self.suitable = self.farming & (rng.random(n) < p.suitable_share)
        self.ceiling_v = np.bincount(hh.village[self.suitable], minlength=nv)
        # the modelled rice income replaces that part of the households' base income
        hh.base_income_yuan_per_year -= p.rice_net_yuan_per_mu * self.mu
        np.maximum(hh.base_income_yuan_per_year, 0.0, out=hh.base_income_yuan_per_year)
        self.crayfish_price = p.crayfish_price_yuan_per_kg  # the township's, this season
        self.market_price = p.crayfish_price_yuan_per_kg    # the market's farm gate
        self.decision_rng: np.random.Generator | None = None  # stream `coculture` (Farming)
        self._version = 0  # bumped whenever adopters change (spring); keys the caches below
        self._counts_key = self._area_key = self._runoff_key = -1
        self._counts: tuple[np.ndarray, np.ndarray] = (np.zeros(0), np.zeros(0))
        self._totals: tuple[int, int, float] = (0, 0, 0.0)  # the sums of _counts
        self._areas: tuple[np.ndarray, np.ndarray] = (np.zeros(0), np.zeros(0))
        # runoff: each load's yearly amount (rice alone, co-culture), and each month's result
        self._runoff_parts: tuple[np.ndarray, ...] = (np.zeros(0),) * 6
        self._runoff_by_month: dict[int, np.ndarray] = {}
        shares = np.asarray(p.n_runoff_monthly_share, dtype=float)
        self._n_month = shares / shares.sum()  # the month's share of the yearly N runoff
        self.crashed = False
        self.conversion_yuan = 0.0  # paid by this spring's adopters
        self.training_yuan = 0.0    # the township's cost of this spring's places filled
        self.applied = 0            # households that applied this spring
        self.subsidy_due: tuple[np.ndarray, np.ndarray] = (np.zeros(0, dtype=np.intp),
                                                           np.zeros(0))
        self.adjacent = self._adjacency()
        self._degree = self.adjacent.sum(axis=1)  # neighbours of each village (fixed)

    def _adjacency(self) -> np.ndarray:
        """Villages next to each other along the river within a zone (by number)."""
        nv = self.villages.count
        zones = np.asarray(self.villages.zones)
        adj = np.zeros((nv, nv))
        for v in range(nv - 1):
            if zones[v] == zones[v + 1]:
                adj[v, v + 1] = adj[v + 1, v] = 1.0
        return adj

    def open_villages(self, year: int) -> np.ndarray:
        """Villages (0-based mask) where the programme supports co-culture in `year`."""
        mask = np.zeros(self.villages.count, dtype=bool)
        lv = self.lever
        if lv is None:
            return mask
        if year >= lv.pilot_year:
            mask[[v - 1 for v in lv.pilot_villages]] = True
        for y, vs in lv.target_villages_by_year.items():
            if year >= y:
                mask[[v - 1 for v in vs]] = True
        return mask

    def branded(self, day: date) -> bool:
        lv = self.lever
        return lv is not None and lv.brand_from is not None and day >= lv.brand_from

    def draw_price(self, rng: np.random.Generator, day: date) -> None:
        """This season's market price (yuan/kg): lognormal, halved or worse in a crash; then
        the township's price at its supply (`town_price`)."""
        p = self.p
        sd = p.crayfish_price_log_sd
        price = p.crayfish_price_yuan_per_kg * np.exp(sd * rng.standard_normal() - 0.5 * sd * sd)
        self.crashed = bool(rng.random() < p.crash_prob_per_year)
        self.market_price = float(price * (p.crash_price_share if self.crashed else 1.0))
        self.crayfish_price = town_price(p, self.market_price, self.supply_kg(),
                                         self.branded(day))

    def supply_kg(self) -> float:
        """The township's crayfish this season at the mean yield, kg."""
        return float(self._areas_now()[1].sum()) * self.p.crayfish_yield_kg_per_mu

    def spring(self, day: date, rng: np.random.Generator) -> tuple[int, int, float]:
        """Drop-outs after a loss year, then applications and places; returns (adopted,
        dropped, subsidy).

        Adopters pay the conversion now (`conversion_yuan`); the subsidy due to each is left in
        `subsidy_due` (households, yuan) for the township to pay, the training's cost in
        `training_yuan`, the applicants' number in `applied`."""
        p, lv, hh = self.p, self.lever, self.hh
        drop = self.coculture & self.loss_last_year & (rng.random(hh.count) < p.dropout_after_loss)
        self.coculture &= ~drop
        if drop.any():
            self._version += 1  # adopters change only in spring, and not every year
        self.applied, self.training_yuan = 0, 0.0
        if lv is None:
            return 0, int(drop.sum()), 0.0
        nv = self.villages.count
        open_v = self.open_villages(day.year)
        eligible = self.suitable & ~self.coculture & ~drop & hh.spread(open_v)
        if not eligible.any() or lv.training_places_per_village_year <= 0:
            self.subsidy_due = (np.zeros(0, dtype=np.intp), np.zeros(0))
            return 0, int(drop.sum()), 0.0
        # the neighbours' adoption share: own village and adjacent ones (weight w)
        adopters_v = hh.village_counts(self.coculture, nv)
        share_v = np.divide(adopters_v, self.ceiling_v, out=np.zeros(nv),
                            where=self.ceiling_v > 0)
        w, deg = p.neighbour_weight, self._degree
        neigh = np.divide(self.adjacent @ share_v, deg, out=np.zeros(nv), where=deg > 0)
        mixed = (share_v + w * neigh) / (1.0 + w)
        # expected price: last season's market, the brand's at today's supply
        branded = self.branded(day)
        expected = town_price(p, self.market_price, self.supply_kg(), branded)
        pays = pays_probability(p, expected, branded, lv.subsidy_yuan_per_mu)
        prob_v = np.where(open_v, apply_probability(pays, p.peer_effect, mixed), 0.0)
        draws = self.decision_rng if self.decision_rng is not None else rng
        applicants = np.flatnonzero(eligible & (draws.random(hh.count) < hh.spread(prob_v)))
        places_v = np.where(open_v, lv.training_places_per_village_year, 0)
        take = allocate_places(applicants, hh.village, places_v, draws.random(applicants.size))
        self.applied = int(applicants.size)
        self.coculture[take] = True
        if take.size:
            self._version += 1
        self.loss_last_year[take] = False
        cost = self.mu[take] * p.conversion_cost_yuan_per_mu
        subsidy = self.mu[take] * lv.subsidy_yuan_per_mu
        hh.extra_yuan[take] -= cost
        self.conversion_yuan = float(cost.sum())
        self.training_yuan = take.size * lv.training_yuan_per_place
        self.subsidy_due = (take, subsidy)
        return int(take.size), int(drop.sum()), float(subsidy.sum())

    def month(self, m0: date, level: float, rng: np.random.Generator,
              price_rng: np.random.Generator | None = None) -> PaddyMonth:
        """Prices in April, decisions in spring, crayfish in June, rice in October; runoff."""
        p, hh = self.p, self.hh
        out = PaddyMonth()
        if m0.month == SPRING_MONTH:
            self.conversion_yuan = 0.0
            out.adopted, out.dropped, out.subsidy_yuan = self.spring(m0, rng)
            out.conversion_yuan = self.conversion_yuan
            out.applied, out.training_yuan = self.applied, self.training_yuan
        if m0.month == SPRING_MONTH + 1:
            # prices have their own stream: the same seasons under every policy (CRN)
            self.draw_price(price_rng if price_rng is not None else rng, m0)
        if m0.month == HARVEST_CRAYFISH_MONTH:
            net = coculture_net_per_mu(p, self.crayfish_price, self.branded(m0)) - (
                p.rice_net_yuan_per_mu)
            crayfish = self.mu * self.coculture * net * level
            hh.extra_yuan += crayfish
            out.coculture_income_yuan += float(crayfish.sum())
            self.loss_last_year = self.coculture & (net < 0)
        if m0.month == HARVEST_RICE_MONTH:
            rice = self.mu * p.rice_net_yuan_per_mu * level
            hh.extra_yuan += rice
            out.rice_income_yuan = float(rice[~self.coculture].sum())
            out.coculture_income_yuan += float(rice[self.coculture].sum())
        out.runoff_kg_per_day = self.runoff(m0)
        return out

    def runoff(self, m0: date) -> np.ndarray:
        """Field-edge N, P and COD losses reaching the river this month, kg/day per village.

        Rice alone loses N and COD by the rice season's monthly shares and P evenly over the
        year; co-culture loses N and P in proportion to its changed yearly runoff, a share of
        it (with its COD) in the May–June drainage pulse when the crayfish fields are drained
        (`coculture_drainage_share`, split evenly over the two months), the rest as rice."""
        p = self.p
        days = 365.25
        if self._runoff_key != self._version:  # areas change only in spring
            rice_mu, co_mu = self._areas_now()
            # each load's yearly amount, rice alone and co-culture (kg per village)
            self._runoff_parts = (
                rice_mu * p.n_runoff_kg_per_mu_year * p.nh3n_share_of_n_runoff,
                co_mu * (1 + p.coculture_n_runoff_change) * p.n_runoff_kg_per_mu_year
                * p.nh3n_share_of_n_runoff,
                rice_mu * p.p_runoff_kg_per_mu_year,
                co_mu * (1 + p.coculture_p_runoff_change) * p.p_runoff_kg_per_mu_year,
                rice_mu * p.cod_runoff_kg_per_mu_year,
                co_mu * p.cod_runoff_kg_per_mu_year)
            self._runoff_by_month = {}
            self._runoff_key = self._version
        out = self._runoff_by_month.get(m0.month)
        if out is None:
            n_rice, n_co, p_rice, p_co, cod_rice, cod_co = self._runoff_parts
            d = p.coculture_drainage_share
            season = self._n_month[m0.month - 1]
            pulse = DRAINAGE_PULSE_SHARE.get(m0.month, 0.0)
            co_season = (1 - d) * season + d * pulse       # co-culture's share of a year's N
            co_even = (1 - d) / 12 + d * pulse              # … of its P
            per_day = 12 / days                              # a month's share -> per day
            nh3n = (n_rice * season + n_co * co_season) * per_day
            tp = (p_rice / 12 + p_co * co_even) * per_day
            cod = (cod_rice * season + cod_co * co_season) * per_day
            out = np.column_stack([cod, nh3n, tp]) * p.farmland_river_entry_share
            self._runoff_by_month[m0.month] = out
        return out.copy()

    def _areas_now(self) -> tuple[np.ndarray, np.ndarray]:
        """Rice-only and co-culture paddy (mu) per village, recomputed when adopters change."""
        if self._area_key != self._version:
            hh, nv = self.hh, self.villages.count
            self._areas = (np.bincount(hh.village, weights=self.mu * ~self.coculture,
                                       minlength=nv),
                           np.bincount(hh.village, weights=self.mu * self.coculture, minlength=nv))
            self._area_key = self._version
        return self._areas

    def village_counts(self) -> tuple[np.ndarray, np.ndarray]:
        """Co-culture households and area (mu) per village (cached until adoption changes)."""
        key = self._version
        if self._counts_key != key:
            nv = self.villages.count
            households = np.bincount(self.hh.village[self.coculture], minlength=nv)
            area = self._areas_now()[1]  # the co-culture area runoff uses: the same sums
            self._counts_key, self._counts = key, (households, area)
            self._totals = (int(households.sum()), int((households > 0).sum()),
                            float(area.sum()))
        return self._counts

    def coculture_totals(self) -> tuple[int, int, float]:
        """Co-culture households, villages with any, and area (mu) in the township: the sums of
        `village_counts`, cached with it (the recorder asks every month, adopters change only
        in spring)."""
        self.village_counts()
        return self._totals
