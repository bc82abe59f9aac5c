"""Riverside family workshops: what they discharge, what treatment costs them, their status.

Treatment cost scales with volume (research §4.4): the total cost of treating Q m³/day is
proportional to Q^b, so the cost per m³ is `unit_cost(Q) = u_ref * (Q / Q_ref)^(b - 1)`.
A shared plant treats the connected workshops' combined flow at that lower unit cost; the
fee each pays is the operator's unit cost plus margin. The saving against self-treatment is
an outcome of the flows and the exponent, never a constant.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.model.facility import treated_share
from sim.model.statuslog import StatusLog
from sim.scenario.schema import Pollutants, Shares, Treatment, TreatmentCosts, Workshop


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
        self._unit_cost: tuple[TreatmentCosts, float] | None = None

    def raw_load_kg_per_day(self) -> np.ndarray:
        """Pollutants in its untreated wastewater, kg/day (COD, NH3-N, TP)."""
        return self._raw.copy()

    def self_treatment_cost_yuan_per_m3(self, costs: TreatmentCosts) -> float:
        if self._unit_cost is None or self._unit_cost[0] is not costs:  # once per run
            self._unit_cost = (costs, unit_cost_yuan_per_m3(self.spec.flow_m3_per_day, costs))
        return self._unit_cost[1]

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


@dataclass
class WorkshopMonth:
    """Workshops' month: loads reaching the river, costs and the plant's throughput."""

    loads_kg: np.ndarray            # per workshop (own outlet), kg over the month
    sample_kg_per_day: np.ndarray   # per workshop, on the sampling day
    outfall_kg: np.ndarray          # the plant's outfall, kg over the month
    outfall_sample_kg_per_day: np.ndarray
    connected_m3: float = 0.0
    overflow_share: float = 0.0
    fee_yuan_per_m3: float = float("nan")
    fees_yuan: float = 0.0
    self_treatment_yuan: float = 0.0
    plant_cost_yuan: float = 0.0
    sales_yuan: float = 0.0         # open workshops' revenue × margin (before treatment)
    down_days: float = 0.0
    savings: list[float] = field(default_factory=list)
    profits: list[tuple[int, float]] = field(default_factory=list)  # (agent index, yuan)

    def copy(self) -> WorkshopMonth:
        """A copy that shares no array or list with this one."""
        return WorkshopMonth(
            loads_kg=self.loads_kg.copy(), sample_kg_per_day=self.sample_kg_per_day.copy(),
            outfall_kg=self.outfall_kg.copy(),
            outfall_sample_kg_per_day=self.outfall_sample_kg_per_day.copy(),
            connected_m3=self.connected_m3, overflow_share=self.overflow_share,
            fee_yuan_per_m3=self.fee_yuan_per_m3, fees_yuan=self.fees_yuan,
            self_treatment_yuan=self.self_treatment_yuan, plant_cost_yuan=self.plant_cost_yuan,
            sales_yuan=self.sales_yuan, down_days=self.down_days, savings=self.savings.copy(),
            profits=self.profits.copy())


class SettlementMemo:
    """One run's workshops' fixed figures and the months already settled, for `settle_workshops`.

    A workshop's flow and raw load are fixed for the run (its spec is frozen), so they are
    gathered once here. And in most months no workshop changes status: the month's settlement is
    then a pure function of `key` — the month's length, every workshop's status and the plant's
    figures — and of the plant's outages (which only change its outfall), so it is worked out
    once per key (its outfall once per outage figures, see `_Settled`) and copied afterwards
    (callers may change what they are handed). A month in which some workshop's status changes
    (from the month's start, or the sampling day if that is earlier, to now) is always worked
    out afresh. One memo serves one list of workshops (which must not be changed while it is
    used) and one set of treatment costs (the self-treatment unit costs and removal).
    """

    def __init__(self, agents: list[WorkshopAgent], costs: TreatmentCosts) -> None:
        self.agents = agents
        self.costs = costs
        self.index = [a.index for a in agents]
        self.flows = [a.spec.flow_m3_per_day for a in agents]
        self.raw = np.array([a._raw for a in agents]).reshape(len(agents), 3)
        self.keep = 1.0 - as_array(costs.self_treatment_removal)
        self.months: dict[tuple[Any, ...], _Settled] = {}

    def key(self, t0: float, t1: float, sample_t: float, plant_removal: np.ndarray | None,
            plant_capacity_m3_per_day: float, margin_share: float, fee_cost_share: float
            ) -> tuple[Any, ...] | None:
        """What the month's settlement depends on, outages aside; None if a status changed."""
        since = min(t0, sample_t)
        statuses = []
        for a in self.agents:
            log = a.log
            if not log.constant_since(since):
                return None
            statuses.append(log.current)
        return (t1 - t0, tuple(statuses),
                None if plant_removal is None else tuple(plant_removal.tolist()),
                plant_capacity_m3_per_day, margin_share, fee_cost_share)


@dataclass
class _Settled:
    """A settled month but for the plant's outfall, which depends on its outages as well.

    `month` has zero outfalls. The outfalls worked out for it are kept by their outage figures
    (the share of the month the plant was down, and whether it was down on the sampling day):
    most months it was never down."""

    month: WorkshopMonth
    plant_removal: np.ndarray | None  # None: no outfall (no plant, or nothing connected)
    connected_raw: np.ndarray         # raw loads piped to the plant over the month, kg
    connected_sample: np.ndarray      # the same on the sampling day, kg/day
    outfalls: dict[tuple[float, bool], tuple[np.ndarray, np.ndarray]] = field(
        default_factory=dict)

    def with_outfall(self, plant_down_share: float, plant_down_at_sample: bool
                     ) -> WorkshopMonth:
        """The month with the outfall for these outages (sharing no array or list with `self`)."""
        out = self.month.copy()
        if self.plant_removal is not None:
            key = (plant_down_share, plant_down_at_sample)
            outfall = self.outfalls.get(key)
            if outfall is None:
                outfall = self.outfalls[key] = (
                    self.connected_raw * treated_share(self.plant_removal, plant_down_share,
                                                       out.overflow_share),
                    self.connected_sample * treated_share(
                        self.plant_removal, 1.0 if plant_down_at_sample else 0.0,
                        out.overflow_share))
            out.outfall_kg, out.outfall_sample_kg_per_day = outfall[0].copy(), outfall[1].copy()
        return out


def settle_workshops(agents: list[WorkshopAgent], t0: float, t1: float, sample_t: float,
                     costs: TreatmentCosts, plant_removal: np.ndarray | None,
                     plant_capacity_m3_per_day: float, margin_share: float,
                     fee_cost_share: float, plant_down_share: float,
                     plant_down_at_sample: bool, memo: SettlementMemo | None = None
                     ) -> WorkshopMonth:
    """Time-weighted discharges, treatment costs and profits of every workshop over [t0, t1).

    With a `memo` (one per run, see `SettlementMemo`) a month like one settled before (no
    status changed in it; same length, statuses and plant figures) is a copy of that one, its
    outfall worked out for this month's outages: the same numbers, bit for bit, as working it
    all out again, since they come from the same inputs by the same operations."""
    if memo is None:
        memo = SettlementMemo(agents, costs)
    elif memo.agents is not agents or memo.costs is not costs:
        raise ValueError("the settlement memo belongs to other workshops or treatment costs")
    key = memo.key(t0, t1, sample_t, plant_removal, plant_capacity_m3_per_day, margin_share,
                   fee_cost_share)
    settled = memo.months.get(key) if key is not None else None
    if settled is None:
        settled = _settle(memo, t0, t1, sample_t, costs, plant_removal,
                          plant_capacity_m3_per_day, margin_share, fee_cost_share)
        if key is not None:
            memo.months[key] = settled
    return settled.with_outfall(plant_down_share, plant_down_at_sample)


def _settle(memo: SettlementMemo, t0: float, t1: float, sample_t: float, costs: TreatmentCosts,
            plant_removal: np.ndarray | None, plant_capacity_m3_per_day: float,
            margin_share: float, fee_cost_share: float) -> _Settled:
    """The month worked out from the statuses' logs, all but the outfall (see `_Settled`).

    Days in each status, costs and profits are worked out workshop by workshop (scalars);
    the loads are then one array expression over all workshops (the same operations, element
    by element, as one workshop at a time)."""
    agents = memo.agents
    days = t1 - t0
    n = len(agents)
    out = WorkshopMonth(loads_kg=np.zeros((n, 3)), sample_kg_per_day=np.zeros((n, 3)),
                        outfall_kg=np.zeros(3), outfall_sample_kg_per_day=np.zeros(3))
    d_dis, d_self, d_conn = np.zeros(n), np.zeros(n), np.zeros(n)
    sample_status: list[Treatment] = []
    for k, a in enumerate(agents):
        log = a.log
        if log.constant_since(t0):
            cur = log.current
            d_dis[k] = days if cur == Treatment.DISCHARGING else 0.0
            d_self[k] = days if cur == Treatment.SELF_TREATING else 0.0
            d_conn[k] = days if cur == Treatment.CONNECTED else 0.0
            sample_status.append(cur if log.constant_since(sample_t) else log.at(sample_t))
        else:
            d_dis[k] = log.days_in(Treatment.DISCHARGING, t0, t1)
            d_self[k] = log.days_in(Treatment.SELF_TREATING, t0, t1)
            d_conn[k] = log.days_in(Treatment.CONNECTED, t0, t1)
            sample_status.append(log.at(sample_t))
    flows = memo.flows
    conn_flow_days = sum(q * d for q, d in zip(flows, d_conn.tolist(), strict=True))
    mean_conn_flow = conn_flow_days / days
    if conn_flow_days > 0:
        out.fee_yuan_per_m3 = fee_cost_share * shared_fee_yuan_per_m3(mean_conn_flow, costs,
                                                                      margin_share)
    for k, a in enumerate(agents):
        q, d_c, d_s = flows[k], float(d_conn[k]), float(d_self[k])
        out.connected_m3 += q * d_c
        self_unit = a.self_treatment_cost_yuan_per_m3(costs)
        fee = q * d_c * out.fee_yuan_per_m3 if d_c > 0 else 0.0
        own = q * d_s * self_unit
        out.fees_yuan += fee
        out.self_treatment_yuan += own
        if a.status == Treatment.CONNECTED:
            out.savings.append(1.0 - out.fee_yuan_per_m3 / self_unit)
        open_days = float(d_dis[k]) + d_s + d_c
        if open_days > 0:
            profit = a.monthly_profit_yuan(open_days, int(days), fee + own)
            s = a.spec
            out.sales_yuan += s.revenue_yuan_per_month * s.margin_share * (open_days / int(days))
            out.profits.append((a.index, profit))
    index = memo.index
    raw, keep = memo.raw, memo.keep
    out.loads_kg[index] = raw * (d_dis[:, None] + d_self[:, None] * keep[None, :])
    discharging = np.array([s == Treatment.DISCHARGING for s in sample_status], dtype=bool)
    self_treating = np.array([s == Treatment.SELF_TREATING for s in sample_status], dtype=bool)
    connected = np.array([s == Treatment.CONNECTED for s in sample_status], dtype=bool)
    out.sample_kg_per_day[index] = np.where(discharging[:, None], raw, 0.0)
    out.sample_kg_per_day[np.asarray(index, dtype=np.intp)[self_treating]] = (
        raw[self_treating] * keep)  # intp: an empty index list would be float
    # sums over workshops in their order, as the one-at-a-time accounting added them
    connected_raw = (raw * d_conn[:, None]).sum(axis=0) if n else np.zeros(3)
    connected_sample = raw[connected].sum(axis=0) if connected.any() else np.zeros(3)
    removal = None  # the plant's, if it treats anything this month
    if plant_removal is not None and conn_flow_days > 0:
        removal = plant_removal.copy()
        out.overflow_share = max(0.0, 1.0 - plant_capacity_m3_per_day / mean_conn_flow)
        # the operator's cost: its capital share is left out when the township paid the plant
        out.plant_cost_yuan = out.connected_m3 * fee_cost_share * unit_cost_yuan_per_m3(
            mean_conn_flow, costs)
    return _Settled(out, removal, connected_raw, connected_sample)
