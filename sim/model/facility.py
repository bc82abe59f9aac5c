"""The shared wastewater treatment facility: construction, connections, outages, costs.

Built by a lever (`sim.model.levers.shared_facility`), then run by a third-party operator. While it
is down (random outages), connected inflow bypasses untreated; inflow above capacity does too.
"""

from __future__ import annotations

from collections.abc import Generator
from enum import StrEnum
from typing import Any

import numpy as np
import simpy

from sim.model.statuslog import StatusLog
from sim.scenario.schema import SharedFacility


class PlantState(StrEnum):
    NOT_BUILT = "not_built"
    UP = "up"
    DOWN = "down"


class Facility:
    """State of the (single) shared plant."""

    def __init__(self, t0: float, spec: SharedFacility | None) -> None:
        self.spec = spec
        self.log: StatusLog[PlantState] = StatusLog(t0, PlantState.NOT_BUILT)

    @property
    def built(self) -> bool:
        return self.log.current != PlantState.NOT_BUILT

    def down_days(self, t0: float, t1: float) -> float:
        return self.log.days_in(PlantState.DOWN, t0, t1)

    def up_days(self, t0: float, t1: float) -> float:
        return self.log.days_in(PlantState.UP, t0, t1)

    def outages(self, env: simpy.Environment, rng: np.random.Generator,
                on_change: Any) -> Generator[simpy.events.Event, Any, None]:
        """Alternate up and down periods (exponential times) for as long as the run lasts."""
        spec = self.spec
        if spec is None or spec.outages_per_year <= 0:
            return
        mean_up_days = 365.25 / spec.outages_per_year
        while True:
            yield env.timeout(float(rng.exponential(mean_up_days)))
            duration = float(rng.exponential(spec.outage_mean_days))
            self.log.set(env.now, PlantState.DOWN)
            on_change(env.now, "outage_start", duration)
            yield env.timeout(duration)
            self.log.set(env.now, PlantState.UP)
            on_change(env.now, "outage_end", duration)


def treated_share(removal: np.ndarray, down_share: float, overflow_share: float) -> np.ndarray:
    """Share of connected inflow mass leaving the plant: bypass (down or overflow) is untreated."""
    bypass = down_share + (1.0 - down_share) * overflow_share
    return np.asarray(bypass + (1.0 - bypass) * (1.0 - removal))
