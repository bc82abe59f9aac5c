"""Households: about 8,000 individuals held as columns of numpy arrays.

Each household has a village, a size, a base income (outside the modelled workshops), and
possibly a workshop job or the search for a new one after a closure. One SimPy process (the
monthly accounting in `sim.model.township`) updates them all at once with `household_month`, a pure
function that the benchmark also runs one household at a time for its reference.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from sim.model.world import Villages, allocate
from sim.scenario.schema import Income, Scenario, Sewage

NO_EMPLOYER = -1


def income_index(income: Income, year: float) -> float:
    """Nominal income level at (fractional) `year`, relative to the middle of the reference year.

    The reference figure is an annual total, so the level is 1.0 at reference_year + 0.5 and
    the twelve months of the reference year average to it (within rounding of the growth).
    """
    g_near = np.log1p(income.growth_near_per_year)
    g_long = np.log1p(income.growth_long_run_per_year)
    switch = float(income.near_term_until_year + 1)
    ref = float(income.reference_year) + 0.5

    def integral(a: float, b: float) -> float:  # ∫_a^b log-growth rate
        lo, hi = min(a, b), max(a, b)
        near = max(0.0, min(hi, switch) - lo)
        long = max(0.0, hi - max(lo, switch))
        val = near * g_near + long * g_long
        return val if b >= a else -val

    return float(np.exp(integral(ref, year)))


class VillageLayout(NamedTuple):
    """Households per village; whether they are stored village by village; and then, if no
    village is empty, where each village's slice starts (else None)."""

    counts: np.ndarray
    by_village: bool
    starts: np.ndarray | None


@dataclass
class HouseholdState:
    """Mutable per-household arrays (one row per household)."""

    village: np.ndarray          # int, 0-based village index
    size: np.ndarray             # persons
    base_income_yuan_per_year: np.ndarray  # at the reference year's level
    employer: np.ndarray         # workshop index or NO_EMPLOYER
    wage_yuan_per_month: np.ndarray  # at the reference year's level
    seeking: np.ndarray          # bool: lost a workshop job, looking for another
    extra_yuan: np.ndarray       # one-off income this month (profits, compensation)
    tourism_job: np.ndarray      # bool: works in tourism this month
    _layouts: dict[int, VillageLayout] = field(default_factory=dict, init=False, repr=False)
    _persons_v: np.ndarray | None = field(default=None, init=False, repr=False)

    @property
    def count(self) -> int:
        return int(self.village.size)

    def layout(self, villages: int) -> VillageLayout:
        """How households sit in `villages` villages (they never move, so worked out once)."""
        found = self._layouts.get(villages)
        if found is None:
            counts = np.bincount(self.village, minlength=villages)
            by_village = counts.size == villages and bool(np.all(np.diff(self.village) >= 0))
            starts = (np.concatenate(([0], np.cumsum(counts)[:-1]))
                      if by_village and bool(np.all(counts > 0)) else None)
            found = self._layouts[villages] = VillageLayout(counts, by_village, starts)
        return found

    def per_village(self, villages: int) -> np.ndarray:
        """Households per village."""
        return self.layout(villages).counts

    def village_counts(self, values: np.ndarray, villages: int) -> np.ndarray:
        """Per-village totals of boolean or integer `values` (int64, exact).

        Households are stored village by village (`build_households`), so a village's rows are
        one slice and `np.add.reduceat` sums them about four times faster than `np.bincount`
        with weights; integer sums do not depend on the order, so the result is the same.
        """
        starts = self.layout(villages).starts
        if starts is None:
            return np.bincount(self.village, weights=values, minlength=villages).astype(np.int64)
        return np.add.reduceat(values, starts, dtype=np.int64)

    def village_sums(self, values: np.ndarray, villages: int) -> np.ndarray:
        """Per-village totals of float `values` (for what is only reported, not fed back).

        Households are stored village by village, so each village's total is `np.add.reduceat`
        over its slice: about ten times faster than `np.bincount` with weights, which adds one
        by one; the two orders of adding differ only in the last bits."""
        starts = self.layout(villages).starts
        if starts is None:
            return np.bincount(self.village, weights=values, minlength=villages)
        return np.add.reduceat(values, starts)

    def spread(self, values_v: np.ndarray) -> np.ndarray:
        """`values_v[village]`: per-village values given to each household (a new array).

        Households are stored village by village (`build_households`), so np.repeat gives the
        same array about three times cheaper than indexing; otherwise it indexes.
        """
        layout = self.layout(values_v.size)
        if layout.by_village:
            return values_v.repeat(layout.counts)
        return np.asarray(values_v[self.village])

    def persons_by_village(self, villages: int) -> np.ndarray:
        """Persons per village, as floats (read-only: households never move or change size,
        so it is summed once)."""
        cached = self._persons_v
        if cached is None or cached.size != villages:
            cached = self.village_counts(self.size, villages).astype(float)
            cached.flags.writeable = False
            self._persons_v = cached
        return cached


def build_households(scenario: Scenario, villages: Villages,
                     rng: np.random.Generator) -> HouseholdState:
    """Place households in villages, draw their sizes and base incomes (layout stream)."""
    t = scenario.township
    counts = allocate(t.households, villages.household_share)
    village = np.repeat(np.arange(villages.count), counts)
    size = 1 + rng.poisson(t.household_size_persons - 1.0, size=village.size)
    sd = scenario.income.household_log_sd
    # Lognormal with mean 1: base income per person scaled by the household's size.
    shape = np.exp(sd * rng.standard_normal(village.size) - 0.5 * sd * sd)
    base = scenario.income.per_capita_yuan_per_year * size * shape
    n = village.size
    return HouseholdState(
        village=village, size=size.astype(np.int64), base_income_yuan_per_year=base,
        employer=np.full(n, NO_EMPLOYER, dtype=np.int64), wage_yuan_per_month=np.zeros(n),
        seeking=np.zeros(n, dtype=bool), extra_yuan=np.zeros(n),
        tourism_job=np.zeros(n, dtype=bool))


def household_month(hh: HouseholdState, idx: np.ndarray | slice, level: float,
                    income: Income, noise: np.ndarray, uniform: np.ndarray) -> np.ndarray:
    """One month for households `idx`: job search, then income. Returns their incomes (yuan).

    `noise` (standard normal) and `uniform` (U[0,1)) are the household's draws this month.
    """
    seeking = hh.seeking[idx]
    found = seeking & (uniform < income.reemployment_prob_per_month)
    if found.any():
        new_wage = income.workshop_wage_yuan_per_month * income.new_job_wage_share
        wage = hh.wage_yuan_per_month[idx]
        hh.wage_yuan_per_month[idx] = np.where(found, new_wage, wage)
        hh.seeking[idx] = seeking & ~found
    sd = income.monthly_log_sd
    # shock = exp(sd * noise - sd²/2); earned = base * (level / 12) * shock + wage * level
    # + extra: the same operations in the same order, worked in place in one new array
    shock = np.multiply(noise, sd)
    shock -= 0.5 * sd * sd
    np.exp(shock, out=shock)
    earned = hh.base_income_yuan_per_year[idx] * (level / 12.0)
    earned *= shock
    earned += hh.wage_yuan_per_month[idx] * level
    earned += hh.extra_yuan[idx]
    hh.extra_yuan[idx] = 0.0
    return earned


def hire(hh: HouseholdState, workshop: int, n_workers: int, village: int,
         wage: float, rng: np.random.Generator, village_km: np.ndarray | None = None,
         pool_factor: int = 4) -> np.ndarray:
    """Give `n_workers` jobs at `workshop` to households of `village`, then of the villages
    nearest along the river, drawn among the nearest `pool_factor` × n_workers candidates."""
    free = (hh.employer == NO_EMPLOYER)
    km = village_km if village_km is not None else np.arange(int(hh.village.max()) + 1.0)
    order = np.argsort(np.abs(km[hh.village] - km[village]), kind="stable")
    pool = order[free[order]]
    # Prefer the workshop's own village; draw among the nearest candidates.
    nearest = pool[: max(n_workers * pool_factor, n_workers)]
    chosen = np.sort(rng.choice(nearest, size=min(n_workers, nearest.size), replace=False))
    hh.employer[chosen] = workshop
    hh.wage_yuan_per_month[chosen] = wage
    hh.seeking[chosen] = False  # a job seeker hired here stops looking
    return chosen


def lay_off(hh: HouseholdState, workshop: int) -> int:
    """Workers of `workshop` lose their jobs and start looking. Returns how many."""
    mask = hh.employer == workshop
    hh.employer[mask] = NO_EMPLOYER
    hh.wage_yuan_per_month[mask] = 0.0
    hh.seeking[mask] = True
    return int(mask.sum())


def sewage_load_kg_per_day(scenario: Scenario, villages: Villages,
                           persons_by_village: np.ndarray) -> np.ndarray:
    """Domestic sewage reaching the river per village, kg/day, columns COD, NH3-N, TP."""
    s: Sewage = scenario.sewage
    litres = persons_by_village * s.water_use_l_per_person_day * s.discharge_share
    conc = np.array([s.concentration_mg_l.cod, s.concentration_mg_l.nh3n,
                     s.concentration_mg_l.tp])
    # mg/L × L = mg; / 1e6 -> kg
    generated = litres[:, None] * conc[None, :] / 1e6
    return np.asarray(generated * villages.sewage_river_entry_share[:, None])


def household_month_one(hh: HouseholdState, i: int, level: float, income: Income,
                        noise: float, uniform: float) -> float:
    """`household_month` for one household with plain floats (the benchmark's reference).

    Same rule, one household at a time; tests check it agrees with the array version.
    """
    if hh.seeking[i] and uniform < income.reemployment_prob_per_month:
        hh.wage_yuan_per_month[i] = income.workshop_wage_yuan_per_month * income.new_job_wage_share
        hh.seeking[i] = False
    sd = income.monthly_log_sd
    monthly = float(hh.base_income_yuan_per_year[i]) * (level / 12.0) * float(
        np.exp(sd * noise - 0.5 * sd * sd))
    earned = monthly + float(hh.wage_yuan_per_month[i]) * level + float(hh.extra_yuan[i])
    hh.extra_yuan[i] = 0.0
    return earned


def assign_tourism_jobs(hh: HouseholdState, target: int, host_village: np.ndarray,
                        rng: np.random.Generator,
                        host_households: np.ndarray | None = None) -> int:
    """Bring the number of tourism jobs to `target`: job seekers first, then households of the
    host villages without a job; when jobs are cut, those of the highest-numbered households
    go (a fixed, reproducible order). Returns the number hired (0 when cutting).

    `host_households` is `host_village[hh.village]`, for callers that keep it (it never changes).
    """
    jobs = hh.tourism_job
    held = int(np.count_nonzero(jobs))
    if target < held:
        jobs[np.flatnonzero(jobs)[target:]] = False
        return 0
    need = target - held
    if need == 0:
        return 0
    free = ~jobs & (hh.employer == NO_EMPLOYER)
    seekers = np.flatnonzero(free & hh.seeking)[:need]
    # free households not seeking, taken before the seekers hired here stop seeking
    idle = free & ~hh.seeking
    jobs[seekers] = True
    hh.seeking[seekers] = False
    need -= seekers.size
    if need > 0:
        if host_households is None:
            host_households = host_village[hh.village]
        pool = np.flatnonzero(idle & host_households)
        if pool.size:
            pick = rng.choice(pool, size=min(need, pool.size), replace=False)
            jobs[np.sort(pick)] = True
    return target - held


def pay_villages(hh: HouseholdState, yuan: float, village_share: np.ndarray) -> None:
    """Spread `yuan` over the households of villages in proportion to `village_share`."""
    total = village_share.sum()
    if yuan == 0 or total <= 0:
        return
    counts = hh.per_village(village_share.size)
    per_household = np.divide(yuan * village_share / total, counts,
                              out=np.zeros(village_share.size), where=counts > 0)
    hh.extra_yuan += hh.spread(per_household)
