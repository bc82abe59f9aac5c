"""Riverside family workshops: what they discharge, what treatment costs them, their status.

Treatment cost scales with volume (research §4.4): the total cost of treating Q m³/day is
proportional to Q^b, so the cost per m³ is `unit_cost(Q) = u_ref * (Q / Q_ref)^(b - 1)`.
A shared plant treats the connected workshops' combined flow at that lower unit cost; the
fee each pays is the operator's unit cost plus margin. The saving against self-treatment is
an outcome of the flows and the exponent, never a constant.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.schema import Pollutants, Shares, Treatment, TreatmentCosts, Workshop
from sim.statuslog import StatusLog


def unit_cost_yuan_per_m3(flow_m3_per_day: float, costs: TreatmentCosts) -> float:
    """Cost per m³ of treating `flow_m3_per_day` in one plant (power-law scale economies)."""
    if flow_m3_per_day <= 0:
        return float("nan")
    ratio = flow_m3_per_day / costs.reference_flow_m3_per_day
    return costs.unit_cost_yuan_per_m3_at_reference * ratio ** (costs.scale_exponent - 1.0)


def shared_fee_yuan_per_m3(total_flow_m3_per_day: float, costs: TreatmentCosts,
                           margin_share: float) -> float:
    """Fee per m³ at a shared plant treating `total_flow_m3_per_day`: cost plus margin."""
    return unit_cost_yuan_per_m3(total_flow_m3_per_day, costs) * (1.0 + margin_share)


def as_array(p: Pollutants | Shares) -> np.ndarray:
    return np.array([p.cod, p.nh3n, p.tp], dtype=float)


@dataclass
class WorkshopAgent:
    """A workshop: its specification, its position, its status history and its people."""

    index: int
    spec: Workshop
    river_km: float
    owner: int                      # household index of the owner
    log: StatusLog[Treatment]
    workers: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    loss_months: int = 0

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def status(self) -> Treatment:
        return self.log.current

    @property
    def is_open(self) -> bool:
        return self.log.current != Treatment.CLOSED

    def __post_init__(self) -> None:
        self._raw = self.spec.flow_m3_per_day * as_array(self.spec.concentration_mg_l) / 1000.0

    def raw_load_kg_per_day(self) -> np.ndarray:
        """Pollutants in its untreated wastewater, kg/day (COD, NH3-N, TP)."""
        return self._raw.copy()

    def self_treatment_cost_yuan_per_m3(self, costs: TreatmentCosts) -> float:
        return unit_cost_yuan_per_m3(self.spec.flow_m3_per_day, costs)

    def monthly_profit_yuan(self, open_days: float, days: int, treatment_cost_yuan: float
                            ) -> float:
        """Profit over the month: revenue × margin for the days open, less treatment."""
        s = self.spec
        return s.revenue_yuan_per_month * s.margin_share * (open_days / days) - treatment_cost_yuan


def should_close_for_losses(loss_months: int, limit_months: int) -> bool:
    """A workshop gives up after `limit_months` consecutive loss-making months."""
    return loss_months >= limit_months


def closure_targets(agents: list[WorkshopAgent], ids: tuple[str, ...], rule: str,
                    cod_threshold_kg_per_day: float | None) -> list[WorkshopAgent]:
    """Open workshops a closure lever selects: named ids, plus those its rule selects."""
    chosen = []
    for a in agents:  # id order
        if not a.is_open:
            continue
        by_rule = (rule == "unlicensed" and not a.spec.licensed) or (
            rule == "cod_load_above" and cod_threshold_kg_per_day is not None
            and a.raw_load_kg_per_day()[0] > cod_threshold_kg_per_day)
        if a.id in ids or by_rule:
            chosen.append(a)
    return chosen
