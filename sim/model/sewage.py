"""Rural domestic sewage works: village treatment stations and septic-tank retrofits.

Households' sewage reaches the river through the village's drains (the river-entry share,
`sim.model.households.sewage_load_kg_per_day`). Where the `rural_sewage` lever has opened a
station, a share of the village's households is piped to it and their sewage loses the
station's removal share of each pollutant; where septic tanks were retrofitted, a share of the
households not on a station pipe loses the tank's removal share. What is left leaves through the
same drains (the same river-entry share), so more coverage never raises a load. Capital costs
are paid when a work starts, running costs each month (river-facts §6; research §2.1, §4).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.model.workshops import as_array
from sim.scenario.schema import RuralSewage, Sewage


@dataclass
class SewageMonth:
    """One month of the works: the loads kept out of the river and what they cost."""

    removed_kg_per_day: np.ndarray   # villages × (COD, NH3-N, TP)
    station_share: float             # of the township's households, on a station pipe
    septic_share: float              # … with a retrofitted septic tank (and no station)
    running_yuan: float


class SewageWorks:
    """Which villages have a station or retrofitted tanks, and their monthly effect."""

    def __init__(self, spec: RuralSewage | None, villages: int) -> None:
        self.spec = spec
        self.station = np.zeros(villages, dtype=bool)
        self.septic = np.zeros(villages, dtype=bool)

    def shares(self) -> tuple[np.ndarray, np.ndarray]:
        """Per village: share of households on a station pipe, share with a retrofitted tank."""
        spec = self.spec
        if spec is None:
            zero = np.zeros(self.station.size)
            return zero, zero
        on_station = self.station * spec.station_coverage_share
        tank = self.septic * spec.septic_coverage_share * (1.0 - on_station)
        return on_station, tank

    def capex_yuan(self, kind: str, households: int, persons: float, sewage: Sewage) -> float:
        """Capital cost of a village's station (sized for its covered households' flow) or of
        its septic retrofits."""
        spec = self.spec
        assert spec is not None
        if kind == "station":
            m3_day = (persons * spec.station_coverage_share * sewage.water_use_l_per_person_day
                      * sewage.discharge_share / 1000.0)
            return m3_day * spec.station_capex_yuan_per_m3_day
        return households * spec.septic_coverage_share * spec.septic_capex_yuan_per_household

    def month(self, generated_to_river: np.ndarray, persons_v: np.ndarray,
              households_v: np.ndarray, days: int, sewage: Sewage) -> SewageMonth:
        """`generated_to_river`: households' sewage loads reaching the river untreated (villages
        × pollutants, kg/d). Returns the part the works keep out and the month's running cost."""
        spec = self.spec
        on_station, tank = self.shares()
        total = max(float(households_v.sum()), 1.0)
        if spec is None or not (self.station.any() or self.septic.any()):
            return SewageMonth(np.zeros_like(generated_to_river), 0.0, 0.0, 0.0)
        removal = (on_station[:, None] * as_array(spec.station_removal)[None, :]
                   + tank[:, None] * as_array(spec.septic_removal)[None, :])
        m3 = float((persons_v * on_station).sum()) * sewage.water_use_l_per_person_day \
            * sewage.discharge_share / 1000.0 * days
        running = (m3 * spec.station_opex_yuan_per_m3
                   + float((households_v * tank).sum())
                   * spec.septic_opex_yuan_per_household_year * days / 365.25)
        return SewageMonth(generated_to_river * removal,
                           float((households_v * on_station).sum()) / total,
                           float((households_v * tank).sum()) / total, running)
