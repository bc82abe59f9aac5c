"""Residents' satisfaction (0–100), the quarterly survey, the county rank, and income Gini.

Each household's score moves part of the way each month toward a target set by what it sees:
the river at its nearest section (class and smell), rubbish, air, its income against what it
expected (losses weigh more than gains), its voice in the council, unresolved issues and
polluters nearby (research §7: S' = S + λ(S* − S)).
"""

from __future__ import annotations

from collections import deque
from datetime import date

import numpy as np

from sim.measures import weighted_gini
from sim.model.households import HouseholdState
from sim.model.world import Villages
from sim.scenario.schema import Scenario

SURVEY_MONTHS = (3, 6, 9, 12)
CLASSES = np.arange(1, 7)                      # water classes I–VI, the x of class_score
# ring slots of the last 12 months and of the 12 before them, by the current slot (row)
LAST12_SLOTS = (np.arange(24)[:, None] - np.arange(12)) % 24
PREV12_SLOTS = (np.arange(24)[:, None] - 12 - np.arange(12)) % 24


def _mean_of_rows(rows: deque[np.ndarray]) -> np.ndarray:
    """`np.mean(rows, axis=0)` for a few equal-length rows, without stacking them first: the
    same operations (the rows added in order, then one division by their count)."""
    total = rows[0].copy()
    for row in list(rows)[1:]:
        total += row
    total /= len(rows)
    return total


def income_term(ratio_vs_expected: np.ndarray, sensitivity: float,
                loss_aversion: float) -> np.ndarray:
    """0–1 score of income against expectation: 0.5 when as expected, losses weigh more."""
    ratio = np.asarray(ratio_vs_expected, dtype=float)
    g = np.subtract(ratio, 1.0, out=np.empty_like(ratio))   # a new array (even 0-d) to work in
    # losses scaled by loss_aversion, gains by 1.0 (exact). With loss_aversion >= 1 (finite),
    # g * loss_aversion is at most g for a loss and at least g for a gain (rounding is
    # monotone), so the smaller of the two is that choice, computed without a select.
    if 1.0 <= loss_aversion < np.inf:
        np.minimum(g, g * loss_aversion, out=g)
    else:
        g *= np.where(g < 0, loss_aversion, 1.0)
    # the rest in place, the same operations as 0.5 + 0.5 * tanh(sensitivity * g)
    g *= sensitivity
    np.tanh(g, out=g)
    g *= 0.5
    g += 0.5
    return g


class Residents:
    def __init__(self, sc: Scenario, villages: Villages, hh: HouseholdState) -> None:
        self.sc, self.villages, self.hh = sc, villages, hh
        p = sc.satisfaction
        self.score = np.full(hh.count, p.start)
        km = np.array([s.river_km for s in sc.river.sections])
        self.nearest = np.abs(villages.river_km[:, None] - km[None, :]).argmin(axis=1)
        self.classes: deque[np.ndarray] = deque(maxlen=3)
        self.ring = np.zeros((24, hh.count))     # the last 24 months' incomes
        self.ring_levels = np.zeros(24)
        self.last12 = np.zeros(hh.count)         # running sums over the ring
        self.prev12 = np.zeros(hh.count)
        self.filled = 0
        self.peer_effects: np.ndarray | None = None
        self.last_gini = float("nan")
        self.last_survey = float("nan")
        self.last_rank = float("nan")

    def month(self, m0: date, section_class: np.ndarray, good_air_share: float,
              rubbish_score: float, participants: np.ndarray, resolve_share: float,
              unresolved_v: np.ndarray, polluter_v: np.ndarray, income: np.ndarray,
              level: float, rng: np.random.Generator) -> dict[str, float]:
        p, hh = self.sc.satisfaction, self.hh
        self.classes.append(np.asarray(section_class, dtype=float))
        slot = self.filled % 24
        if self.filled >= 12:
            self.prev12 += self.ring[(slot - 12) % 24]   # month leaving the last 12
        if self.filled >= 24:
            self.prev12 -= self.ring[slot]                # month leaving the previous 12
            self.last12 -= self.ring[(slot - 12) % 24]
        elif self.filled >= 12:
            self.last12 -= self.ring[(slot - 12) % 24]
        self.ring[slot] = income
        self.last12 += self.ring[slot]
        self.ring_levels[slot] = level
        self.filled += 1
        cls = _mean_of_rows(self.classes)[self.nearest]            # per village, 3-month mean
        scores = np.asarray(p.class_score)
        water_v = np.interp(cls, CLASSES, scores)
        odour_v = (cls >= p.odour_from_class).astype(float)
        if self.filled >= 24:
            recent, before = self.last12, self.prev12
            levels = self.ring_levels
            growth = levels[LAST12_SLOTS[slot]].sum() / levels[PREV12_SLOTS[slot]].sum()
            denom = before * growth
            # all(before > 0), by one reduction (a NaN makes the minimum NaN, so not > 0 either)
            if before.min() > 0:   # the usual case: a plain division, much faster than a masked one
                ratio = np.divide(recent, denom, out=denom)
            else:
                ratio = np.divide(recent, denom, out=np.ones(hh.count), where=before > 0)
            inc = income_term(ratio, p.income_sensitivity, p.loss_aversion)
        else:
            inc = np.full(hh.count, 0.5)
        w = p.weights
        # 100 * (w0 water + w1 (1 - odour) + w2 rubbish + w3 air + w4 income), summed left to
        # right as written: the first four terms are per village, so they are added on the
        # villages and spread once; the same operations per household, in the same order.
        seen_v = (w[0] * water_v + w[1] * (1 - odour_v) + w[2] * rubbish_score
                  + w[3] * good_air_share)
        inc *= w[4]
        target = hh.spread(seen_v)
        target += inc
        target *= 100
        target += p.voice_points * resolve_share * participants
        target -= hh.spread(p.unresolved_points_per_issue * unresolved_v)
        target -= hh.spread(p.investor_points * np.minimum(polluter_v, 1.0))
        np.clip(target, 0, 100, out=target)
        if self.filled == 1 and p.spin_up:
            # start each household at what it sees in the first month (no start-up transient)
            self.score = target.copy()
        step = 1 - (1 - p.adjust_per_year) ** (1 / 12)
        target -= self.score                    # score += step * (target - score), in place
        target *= step
        self.score += target
        out = {"satisfaction_mean": float(self.score.mean()),
               "satisfaction_survey": float("nan"), "satisfaction_rank": self.last_rank,
               "income_gini": self.last_gini}
        if m0.month in SURVEY_MONTHS:
            n = min(p.survey_households, hh.count)
            pick = rng.choice(hh.count, size=n, replace=False)
            answers = np.clip(self.score[pick] + p.survey_noise_sd * rng.standard_normal(n),
                              0, 100)
            survey = float(answers.mean())
            if self.peer_effects is None:
                self.peer_effects = rng.standard_normal(p.peer_townships)
            years = (m0.year - self.sc.start_date.year) + (m0.month - 1) / 12
            peers = (p.peer_mean + p.peer_trend_per_year * years + p.peer_sd * self.peer_effects
                     + p.survey_noise_sd / np.sqrt(n) * rng.standard_normal(p.peer_townships))
            self.last_rank = float(1 + np.sum(peers > survey))
            out["satisfaction_survey"] = survey
            out["satisfaction_rank"] = self.last_rank
        if m0.month == 12 and self.filled >= 12:
            year_income = self.last12
            # persons' incomes of any sign (a loss year is negative), weighted by persons
            self.last_gini = weighted_gini(year_income / np.maximum(hh.size, 1), hh.size)
            out["income_gini"] = self.last_gini
        return out
