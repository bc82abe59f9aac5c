"""Good-air days: the region's background pollution by season, the township's cleaner air, and
straw-burning plumes in the harvest months (model.md §7.15; research §10).

Each day has a regional pollution index whose log follows a stationary AR(1) series (episodes
last days, and a spell can run on into the next month). A day is good at the region's city
stations when the index is below the month's threshold, set so the month's share of good days is
`regional_good_chance_by_month`; the township's concentrations are `township_to_region_ratio`
times the region's, so it crosses the threshold less often. In a harvest month the farming
households that burn their straw do so in a window of days after the harvest; a plume makes a
window day not good with a chance that grows with the share of farming households burning.
All draws come from the `air` stream.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from statistics import NormalDist

import numpy as np

from sim.scenario.life import Air


@dataclass
class AirMonth:
    good_air_days: int = 0
    regional_good_days: int = 0      # what the region's background alone gives at a city station
    days_lost_to_burning: int = 0    # background-good days made not good by burning plumes
    burn_share: float = 0.0          # the chance a farming household burns (levers applied)
    straw_burning_events: int = 0
    burning: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # households


def burn_share(a: Air, patrol_intensity: float, points_on: bool) -> float:
    """A farming household's chance of burning its straw in a harvest month: patrols (the
    councils lever's intensity, 0 without councils) and the points scheme each cut it."""
    burn = a.burn_share_at_start * (1 - a.patrol_burn_cut * patrol_intensity)
    return burn * (1 - a.points_burn_cut) if points_on else burn


def plume_chance(a: Air, burned_share: float) -> float:
    """The chance a burning-window day is made not good: research row 85's good days lost per
    10 % of straw burned, spread over the harvest months' windows."""
    months = max(1, len(a.harvest_burn_months))
    return min(1.0, burned_share * 10 * a.good_days_lost_per_10pct_burned
               / (months * a.burn_window_days))


class AirQuality:
    """The regional index's last value and the monthly draw of good-air days."""

    def __init__(self, a: Air) -> None:
        self.a = a
        inv = NormalDist().inv_cdf
        # the standardised threshold per month: P(x > z_m) = 1 − regional good chance
        self._z = np.array([inv(min(max(c, 1e-9), 1 - 1e-9))
                            for c in a.regional_good_chance_by_month])
        self._lift = -math.log(a.township_to_region_ratio) / a.daily_log_sd
        self._x = float("nan")          # the last day's standardised log index

    def month(self, month: int, days: int, farming: np.ndarray, patrol_intensity: float,
              points_on: bool, rng: np.random.Generator) -> AirMonth:
        a = self.a
        phi = a.daily_persistence
        eps = rng.standard_normal(days)
        keep = math.sqrt(1 - phi * phi)
        x = np.empty(days)
        first_run = self._x != self._x            # no day before: a stationary draw
        prev = float(eps[0]) if first_run else phi * self._x + keep * float(eps[0])
        x[0] = prev
        for d in range(1, days):
            prev = phi * prev + keep * float(eps[d])
            x[d] = prev
        self._x = prev
        z = float(self._z[month - 1])
        good = x <= z + self._lift
        out = AirMonth(regional_good_days=int(np.count_nonzero(x <= z)))
        out.burn_share = burn_share(a, patrol_intensity, points_on)
        if month in a.harvest_burn_months:
            burning = farming & (rng.random(farming.size) < out.burn_share)
            farmers = int(np.count_nonzero(farming))
            out.straw_burning_events = int(np.count_nonzero(burning))
            out.burning = burning
            window = min(a.burn_window_days, days)
            first = int(rng.integers(0, days - window + 1))
            q = plume_chance(a, out.straw_burning_events / farmers if farmers else 0.0)
            hit = rng.random(window) < q
            lost = good[first:first + window] & hit
            out.days_lost_to_burning = int(np.count_nonzero(lost))
            good[first:first + window] &= ~hit
        out.good_air_days = int(np.count_nonzero(good))
        return out
