"""Residents' satisfaction (0–100), the quarterly survey, the county rank, and income Gini.

Anchored satisfaction: a household's score is the sourced start level (`satisfaction.start`, 70)
plus the change since 2023 in what it perceives: the river's class and its smell and colour at
the section nearest its village, rubbish, air, its voice in the council (issues resolved and
left unresolved), polluters nearby, and its income against the income it is used to (losses
weigh more than gains). Each perception follows its cause with its own half-life; the anchor is
each term's township mean over the start year (2023), so the township's 2023 mean is the
sourced level by construction and a term moves the score only when its cause moves. The slopes
are research §7's weights (S* = 100 Σ w·Q); the partial adjustment is per perception.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from sim.measures import weighted_gini
from sim.model.households import HouseholdState
from sim.model.world import Villages
from sim.scenario.schema import Scenario

SURVEY_MONTHS = (3, 6, 9, 12)
CLASSES = np.arange(1, 7)                      # water classes I–VI, the x of class_score
ANCHOR_MONTHS = 12                             # the start year, over which the anchor is taken
#: the perceived terms, in the order of `Residents.terms` (points, township means)
TERMS = ("water", "smell", "rubbish", "air", "voice", "unresolved", "polluters", "income")
#: the township table's columns of each term's change since the start year, points
TERM_COLUMNS = tuple(f"satisfaction_from_{name}" for name in TERMS)


def _step(half_life_months: float) -> float:
    """The share of the gap a perception closes in a month, for a half-life in months."""
    return float(1.0 - 0.5 ** (1.0 / half_life_months))


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
        # households' share by village: a per-village value's township mean is a dot product
        self.village_weight = hh.per_village(villages.count) / max(hh.count, 1)
        self.steps = {k: _step(getattr(p, f"{k}_half_life_months"))
                      for k in ("water", "smell", "rubbish", "air", "voice", "polluter",
                                "income_reference")}
        # perceptions: township, per village or per household
        self.water_v = np.zeros(villages.count)      # class score of the nearest section
        self.smell_v = np.zeros(villages.count)      # smell score of the nearest section
        self.unresolved_v = np.zeros(villages.count)  # unresolved issues outstanding
        self.polluter_v = np.zeros(villages.count)   # an admitted polluter or sand site (0–1)
        self.rubbish = 0.0
        self.air = 0.0
        self.voice = np.zeros(hh.count)              # resolve share of the councils it attends
        self.terms = np.zeros(len(TERMS))            # this month's perceived terms, points
        self.anchor = np.zeros(len(TERMS))           # the start year's mean of what is seen
        # incomes: the last 12 months' (yuan) and income levels, their running sum, and the
        # real yearly income each household is used to (NaN until 12 months exist)
        self.ring = np.zeros((12, hh.count))
        self.ring_levels = np.zeros(12)
        self.last12 = np.zeros(hh.count)
        self.used_to: np.ndarray | None = None
        self.filled = 0
        self.peer_effects: np.ndarray | None = None
        self.last_gini = float("nan")
        self.last_rank = float("nan")

    def _perceive(self, section_class: np.ndarray, smell: np.ndarray, good_air_share: float,
                  rubbish_score: float, participants: np.ndarray, resolve_share: float,
                  unresolved_v: np.ndarray, polluter_v: np.ndarray) -> None:
        """Move each perception part of the way toward what is seen this month; in the start
        year, at least to the mean of what has been seen so far (residents have no earlier
        memory to weigh it against). During the start year, add this month's township mean of
        what is seen (points) to the anchor's running mean."""
        p, n = self.sc.satisfaction, self.filled
        water = np.interp(np.asarray(section_class, dtype=float)[self.nearest], CLASSES,
                          np.asarray(p.class_score))
        smelly = np.asarray(p.smell_score)[np.asarray(smell, dtype=np.intp)[self.nearest]]
        polluted = np.minimum(polluter_v, 1.0)
        start_year = n <= ANCHOR_MONTHS
        a = ({k: max(v, 1.0 / n) for k, v in self.steps.items()} if start_year
             else self.steps)
        for now, seen, step in ((self.water_v, water, a["water"]),
                                (self.smell_v, smelly, a["smell"]),
                                (self.unresolved_v, unresolved_v, a["voice"]),
                                (self.polluter_v, polluted, a["polluter"])):
            now += step * (seen - now)
        self.rubbish += a["rubbish"] * (rubbish_score - self.rubbish)
        self.air += a["air"] * (good_air_share - self.air)
        # voice += step * (resolve_share * participants - voice), in place
        self.voice *= 1.0 - a["voice"]
        self.voice += np.multiply(participants, a["voice"] * resolve_share)
        if start_year:
            w, vw = p.weights, self.village_weight
            seen_terms = np.array([
                100 * w[0] * (water @ vw), 100 * w[1] * (smelly @ vw), 100 * w[2] * rubbish_score,
                100 * w[3] * good_air_share,
                p.voice_points * resolve_share * np.count_nonzero(participants) / self.hh.count,
                -p.unresolved_points_per_issue * (np.asarray(unresolved_v) @ vw),
                -p.investor_points * (polluted @ vw), 0.0])
            self.anchor += (seen_terms - self.anchor) / n

    def _income(self, income: np.ndarray, level: float) -> np.ndarray | None:
        """Book this month's income; from the 13th month, the income term's points per
        household (0 while a household's income is what it is used to)."""
        p = self.sc.satisfaction
        slot = (self.filled - 1) % 12
        if self.filled > 12:
            self.last12 -= self.ring[slot]               # the month leaving the last 12
        self.ring[slot] = income
        self.last12 += self.ring[slot]
        self.ring_levels[slot] = level
        if self.filled < 12:
            return None
        real = self.last12 / self.ring_levels.sum()     # the last 12 months, growth taken out
        if self.used_to is None:
            self.used_to = real
            return None
        used = self.used_to
        if used.min() > 0:   # the usual case: a plain division, much faster than a masked one
            ratio = np.divide(real, used)
        else:
            ratio = np.divide(real, used, out=np.ones_like(real), where=used > 0)
        real -= used                                    # used += step * (real - used)
        real *= self.steps["income_reference"]
        used += real
        term = income_term(ratio, p.income_sensitivity, p.loss_aversion)
        term -= 0.5
        term *= 100 * p.weights[4]
        return term

    def month(self, m0: date, section_class: np.ndarray, good_air_share: float,
              rubbish_score: float, participants: np.ndarray, resolve_share: float,
              unresolved_v: np.ndarray, polluter_v: np.ndarray, income: np.ndarray,
              level: float, rng: np.random.Generator,
              black_smelly: np.ndarray | None = None) -> dict[str, float]:
        """One month: perceptions, scores, the survey in survey months, the Gini in December.

        `black_smelly` is each section's grade this month (0 none, 1 light, 2 heavy;
        `sim.model.standards.black_smelly`); None means no section is black and smelly."""
        p, hh = self.sc.satisfaction, self.hh
        self.filled += 1
        smell = black_smelly if black_smelly is not None else np.zeros(len(section_class),
                                                                       dtype=np.intp)
        self._perceive(section_class, smell, good_air_share, rubbish_score, participants,
                       resolve_share, unresolved_v, polluter_v)
        inc = self._income(income, level)
        w = p.weights
        # each term's points: 100 × weight × perceived quality, or points per issue, polluter
        water_v = self.water_v * (100 * w[0])
        smell_v = self.smell_v * (100 * w[1])
        unresolved_pts_v = self.unresolved_v * -p.unresolved_points_per_issue
        polluter_pts_v = self.polluter_v * -p.investor_points
        terms = self.terms
        vw = self.village_weight
        terms[0] = water_v @ vw
        terms[1] = smell_v @ vw
        terms[2] = 100 * w[2] * self.rubbish
        terms[3] = 100 * w[3] * self.air
        terms[4] = p.voice_points * float(self.voice.mean())
        terms[5] = unresolved_pts_v @ vw
        terms[6] = polluter_pts_v @ vw
        terms[7] = float(inc.mean()) if inc is not None else 0.0
        # score = start + Σ terms − Σ anchors; per-village terms added on the villages first
        base = p.start + terms[2] + terms[3] - float(self.anchor.sum())
        seen_v = water_v
        seen_v += smell_v
        seen_v += unresolved_pts_v
        seen_v += polluter_pts_v
        seen_v += base
        score = hh.spread(seen_v)
        score += self.voice * p.voice_points
        if inc is not None:
            score += inc
        np.clip(score, 0, 100, out=score)
        self.score = score
        out = {"satisfaction_mean": float(score.mean()),
               "satisfaction_survey": float("nan"), "satisfaction_rank": self.last_rank,
               "income_gini": self.last_gini}
        # what moved the mean: each term's points against its anchor (they add up to
        # satisfaction_mean − start, but for the clipping of single households at 0 and 100)
        for name, change in zip(TERM_COLUMNS, (terms - self.anchor).tolist(), strict=True):
            out[name] = change
        if m0.month in SURVEY_MONTHS:
            survey, self.last_rank = self.survey(m0, rng)
            out["satisfaction_survey"] = survey
            out["satisfaction_rank"] = self.last_rank
        if m0.month == 12 and self.filled >= 12:
            year_income = self.last12
            # persons' incomes of any sign (a loss year is negative), weighted by persons
            self.last_gini = weighted_gini(year_income / np.maximum(hh.size, 1), hh.size)
            out["income_gini"] = self.last_gini
        return out

    def survey(self, m0: date, rng: np.random.Generator) -> tuple[float, float]:
        """The quarterly survey of today's scores: `survey_households` households drawn
        without replacement, each answering its score plus answer noise (clipped to 0–100);
        returns the mean answer and the county rank among the peer townships' surveys."""
        p, count = self.sc.satisfaction, self.hh.count
        n = min(p.survey_households, count)
        pick = rng.choice(count, size=n, replace=False)
        answers = np.clip(self.score[pick] + p.survey_noise_sd * rng.standard_normal(n), 0, 100)
        survey = float(answers.mean())
        if self.peer_effects is None:
            self.peer_effects = rng.standard_normal(p.peer_townships)
        years = (m0.year - self.sc.start_date.year) + (m0.month - 1) / 12
        peers = (p.peer_mean + p.peer_trend_per_year * years + p.peer_sd * self.peer_effects
                 + p.survey_noise_sd / np.sqrt(n) * rng.standard_normal(p.peer_townships))
        return survey, float(1 + np.sum(peers > survey))
