"""One run: build the township from a scenario, run its SimPy processes, return tidy tables.

    run(scenario, seed, replicate) -> RunResult      # pure: no I/O, picklable result

Processes: the monthly accounting (households, workshops, river, recorder: agents that share a
monthly schedule), the levers (at their own dates) and the plant's outages (at random times).
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import simpy

from sim import __version__, levers
from sim.facility import Facility, PlantState, treated_share
from sim.households import (
    NO_EMPLOYER,
    build_households,
    hire,
    household_month,
    household_month_one,
    income_index,
    lay_off,
    sewage_load_kg_per_day,
)
from sim.recorder import EventLog, Ledger, Recorder
from sim.river import FlowModel, classify, concentrations_mg_l, sample, transfer_matrix
from sim.schema import Scenario, Treatment
from sim.statuslog import StatusLog
from sim.streams import Streams
from sim.timebase import date_of, day_of, days_in_month, month_starts, next_month
from sim.workshops import (
    WorkshopAgent,
    as_array,
    shared_fee_yuan_per_m3,
    should_close_for_losses,
    unit_cost_yuan_per_m3,
)
from sim.world import build_villages

POLLUTANTS = ("cod", "nh3n", "tp")
TABLES = ("township", "villages", "sections", "events")


@dataclass
class RunResult:
    """What a run returns: its tables (one frame each) and how to recreate it."""

    scenario: str
    replicate: int
    seed: int
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)


def _books_close(env: simpy.Environment, delay: float) -> simpy.Event:
    """A timeout with URGENT priority: a month's books close before anything else happens at
    the boundary, so a lever dated the 1st of a month acts in that month, not the one before.
    (Built like simpy's own Timeout: a pre-triggered event scheduled at a delay.)"""
    event = env.event()
    event._ok, event._value = True, None
    env.schedule(event, simpy.core.URGENT, delay)
    return event


class Township:
    """The world of one run and the narrow interface levers act through."""

    def __init__(self, scenario: Scenario, streams: Streams,
                 per_household_processes: bool = False) -> None:
        self.scenario = scenario
        # Benchmark reference only: one SimPy process per household instead of one for all.
        self.per_household_processes = per_household_processes
        self.streams = streams
        self.start = scenario.start_date
        self.env = simpy.Environment()
        self.recorder = Recorder(scenario.name, streams.replicate)
        self.events = EventLog()
        self.ledger = Ledger()
        self.villages = build_villages(scenario)
        layout = streams("layout")
        self.households = build_households(scenario, self.villages, layout)
        self.workshops: list[WorkshopAgent] = []
        jobs = streams("jobs")
        for i, spec in enumerate(scenario.workshops):
            v = spec.village - 1
            in_village = np.flatnonzero(self.households.village == v)
            owner = int(layout.choice(in_village))
            agent = WorkshopAgent(index=i, spec=spec, river_km=float(self.villages.river_km[v]),
                                  owner=owner, log=StatusLog(0.0, Treatment(spec.status)))
            agent.workers = hire(self.households, i, spec.workers, v,
                                 scenario.income.workshop_wage_yuan_per_month, jobs)
            self.workshops.append(agent)
        self.facility = Facility(0.0, scenario.levers.shared_facility)
        fac = scenario.levers.shared_facility
        outfall = [fac.outfall_river_km] if fac is not None else []
        # Sources: villages, then workshops, then the plant's outfall.
        self.source_km = np.concatenate([
            self.villages.river_km, [w.river_km for w in self.workshops], outfall])
        self.transfer = transfer_matrix(scenario.river, self.source_km)
        self.flow = FlowModel(scenario.river, streams("flow"))
        self.section_share = np.array([s.flow_share for s in scenario.river.sections])
        self.months = month_starts(self.start, scenario.end_date)
        self.env.process(self._accounting())
        self._month_event: simpy.Event | None = None
        self._income = np.zeros(self.households.count)
        self._level = 1.0
        if per_household_processes:
            for i in range(self.households.count):
                self.env.process(self._household_process(i))
        lv = scenario.levers
        if lv.closures is not None:
            self.env.process(levers.closures(self, lv.closures))
        if lv.discharge_enforcement is not None:
            self.env.process(levers.discharge_enforcement(self, lv.discharge_enforcement))
        if fac is not None:
            self.env.process(levers.shared_facility(self, fac))

    # -------------------------------------------------------------- interface for levers
    def close_workshop(self, agent: WorkshopAgent, reason: str, compensation_yuan: float) -> None:
        t = self.env.now
        agent.log.set(t, Treatment.CLOSED)
        laid_off = lay_off(self.households, agent.index)
        if compensation_yuan > 0:
            self.spend(t, compensation_yuan, "closures")
            self.households.extra_yuan[agent.owner] += compensation_yuan
        self.log_event(t, "closure", agent.id, f"{reason}; {laid_off} workers laid off",
                       compensation_yuan)

    def set_treatment(self, agent: WorkshopAgent, status: Treatment, reason: str) -> None:
        agent.log.set(self.env.now, status)
        kind = "connection" if status == Treatment.CONNECTED else f"treatment_{status}"
        self.log_event(self.env.now, kind, agent.id, reason)

    def spend(self, t: float, yuan: float, lever: str) -> None:
        self.ledger.spend(t, yuan, lever)

    def log_event(self, t: float, kind: str, subject: str, detail: str = "",
                  value: float = float("nan")) -> None:
        self.events.add(date_of(self.start, t), kind, subject, detail, value)

    def plant_state(self, t: float, state: PlantState) -> None:
        self.facility.log.set(t, state)

    def start_outages(self) -> None:
        def note(t: float, kind: str, days: float) -> None:
            self.log_event(t, kind, "facility", f"{days:.1f} days", days)

        self.env.process(self.facility.outages(self.env, self.streams("outages"), note))

    # -------------------------------------------------------------- monthly accounting
    def _accounting(self) -> Generator[simpy.events.Event, Any, None]:
        for m0 in self.months:
            m1 = next_month(m0)
            t0, t1 = day_of(self.start, m0), day_of(self.start, m1)
            yield _books_close(self.env, t1 - self.env.now)
            self._level = income_index(self.scenario.income, m0.year + (m0.month - 0.5) / 12.0)
            if self.per_household_processes:
                self._month_event, event = self.env.event(), self._month_event
                assert event is not None
                event.succeed()
                yield self.env.timeout(0)  # every household process runs before this resumes
            else:
                hh = self.households
                self._income = household_month(
                    hh, slice(None), self._level, self.scenario.income,
                    self.streams("income").standard_normal(hh.count),
                    self.streams("jobs").random(hh.count))
            self._close_month(m0, t0, t1)

    def _household_process(self, i: int) -> Generator[simpy.events.Event, Any, None]:
        """Reference variant: household `i` as its own process (see `sim.bench`)."""
        income_rng, jobs_rng = self.streams("income"), self.streams("jobs")
        while True:
            if self._month_event is None:
                self._month_event = self.env.event()
            yield self._month_event
            self._income[i] = household_month_one(
                self.households, i, self._level, self.scenario.income,
                float(income_rng.standard_normal()), float(jobs_rng.random()))

    def _close_month(self, m0: date, t0: float, t1: float) -> None:
        sc = self.scenario
        rec = self.recorder
        days = days_in_month(m0)
        hh = self.households
        nv = self.villages.count
        # --- plant and workshops
        fac = self.facility
        spec = fac.spec
        up = fac.up_days(t0, t1)
        down = fac.down_days(t0, t1)
        down_share = down / (up + down) if up + down > 0 else 0.0
        sample_t = t0 + float(self.streams("sampling").integers(0, days))
        w_loads = np.zeros((len(self.workshops), 3))
        w_sample = np.zeros((len(self.workshops), 3))
        connected_m3 = 0.0
        connected_raw = np.zeros(3)
        connected_rate_sample = np.zeros(3)
        self_rm = as_array(sc.treatment_costs.self_treatment_removal)
        costs = sc.treatment_costs
        conn_flow_days = sum(w.spec.flow_m3_per_day * w.log.days_in(Treatment.CONNECTED, t0, t1)
                             for w in self.workshops)
        mean_conn_flow = conn_flow_days / days
        margin = spec.operator_margin_share if spec is not None else 0.0
        fee = shared_fee_yuan_per_m3(mean_conn_flow, costs, margin) if conn_flow_days > 0 \
            else float("nan")
        fees_paid = self_cost_paid = 0.0
        savings = []
        for w in self.workshops:
            raw = w.raw_load_kg_per_day()
            d_dis = w.log.days_in(Treatment.DISCHARGING, t0, t1)
            d_self = w.log.days_in(Treatment.SELF_TREATING, t0, t1)
            d_conn = w.log.days_in(Treatment.CONNECTED, t0, t1)
            w_loads[w.index] = raw * (d_dis + d_self * (1.0 - self_rm))
            status_s = w.log.at(sample_t)
            if status_s == Treatment.DISCHARGING:
                w_sample[w.index] = raw
            elif status_s == Treatment.SELF_TREATING:
                w_sample[w.index] = raw * (1.0 - self_rm)
            elif status_s == Treatment.CONNECTED:
                connected_rate_sample += raw
            connected_raw += raw * d_conn
            connected_m3 += w.spec.flow_m3_per_day * d_conn
            self_unit = w.self_treatment_cost_yuan_per_m3(costs)
            cost = (w.spec.flow_m3_per_day * d_self * self_unit
                    + (w.spec.flow_m3_per_day * d_conn * fee if d_conn > 0 else 0.0))
            fees_paid += w.spec.flow_m3_per_day * d_conn * fee if d_conn > 0 else 0.0
            self_cost_paid += w.spec.flow_m3_per_day * d_self * self_unit
            if w.status == Treatment.CONNECTED:
                savings.append(1.0 - fee / self_unit)
            open_days = d_dis + d_self + d_conn
            if open_days > 0:
                profit = w.monthly_profit_yuan(open_days, days, cost)
                hh.extra_yuan[w.owner] += profit
                w.loss_months = w.loss_months + 1 if profit < 0 else 0
                if w.is_open and should_close_for_losses(
                        w.loss_months, sc.workshop_rules.loss_months_before_closing):
                    self.close_workshop(w, "losses", 0.0)
        overflow = 0.0
        outfall_load = np.zeros(3)
        outfall_sample = np.zeros(3)
        plant_cost = 0.0
        if spec is not None and connected_m3 > 0:
            removal = as_array(spec.removal)
            overflow = max(0.0, 1.0 - spec.capacity_m3_per_day / mean_conn_flow)
            outfall_load = connected_raw * treated_share(removal, down_share, overflow)
            down_now = fac.log.at(sample_t) == PlantState.DOWN
            outfall_sample = connected_rate_sample * treated_share(
                removal, 1.0 if down_now else 0.0, overflow)
            plant_cost = connected_m3 * unit_cost_yuan_per_m3(mean_conn_flow, costs)
        # --- households: income and sewage
        inc = self._income
        persons_v = np.bincount(hh.village, weights=hh.size, minlength=nv)
        income_v = np.bincount(hh.village, weights=inc, minlength=nv)
        hh_rate = sewage_load_kg_per_day(sc, self.villages, persons_v)
        hh_loads = hh_rate * days
        # --- river
        q_exit = self.flow.next_month(m0.month)
        q = q_exit * self.section_share
        month_rate = np.vstack([hh_loads, w_loads, [outfall_load] if spec else np.zeros((0, 3))])
        month_rate = month_rate / days
        sample_rate = np.vstack([hh_rate, w_sample, [outfall_sample] if spec else
                                 np.zeros((0, 3))])
        mean_c = concentrations_mg_l(sc.river, self.transfer, month_rate, q)
        day_c = concentrations_mg_l(sc.river, self.transfer, sample_rate, q)
        samples = sample(day_c, sc.river.sample_log_sd, self.streams("sampling"))
        cls, ok = classify(samples, sc.river.target_class)
        sections = sc.river.sections
        rec.rows("sections", m0, len(sections),
                 section=[s.name for s in sections], river_km=[s.river_km for s in sections],
                 flow_m3_s=q, cod_mg_l=samples[:, 0], nh3n_mg_l=samples[:, 1],
                 tp_mg_l=samples[:, 2], cod_mg_l_mean=mean_c[:, 0],
                 nh3n_mg_l_mean=mean_c[:, 1], tp_mg_l_mean=mean_c[:, 2],
                 water_class=cls.astype(np.int64), meets_target=ok,
                 sample_day=int(sample_t - t0) + 1)
        # --- villages
        jobs_v = np.bincount(hh.village[hh.employer != NO_EMPLOYER], minlength=nv)
        seek_v = np.bincount(hh.village[hh.seeking], minlength=nv)
        w_village = np.zeros((nv, 3))
        for w in self.workshops:
            w_village[w.spec.village - 1] += w_loads[w.index]
        rec.rows("villages", m0, nv, village=list(self.villages.names),
                 zone=list(self.villages.zones), river_km=self.villages.river_km,
                 population=persons_v.astype(np.int64),
                 households=np.bincount(hh.village, minlength=nv),
                 income_per_capita_yuan=income_v / np.maximum(persons_v, 1),
                 cod_kg_households=hh_loads[:, 0], nh3n_kg_households=hh_loads[:, 1],
                 tp_kg_households=hh_loads[:, 2], cod_kg_workshops=w_village[:, 0],
                 nh3n_kg_workshops=w_village[:, 1], tp_kg_workshops=w_village[:, 2],
                 workshop_jobs=jobs_v, job_seekers=seek_v)
        # --- township
        spending = self.ledger.between(t0, t1)
        ws_total = w_loads.sum(axis=0) + outfall_load
        status = [w.status for w in self.workshops]
        population = float(persons_v.sum())
        rec.row(
            "township", m0,
            population=int(population), households=hh.count,
            **{f"{p}_kg_workshops": float(ws_total[k]) for k, p in enumerate(POLLUTANTS)},
            **{f"{p}_kg_households": float(hh_loads[:, k].sum())
               for k, p in enumerate(POLLUTANTS)},
            river_flow_m3_s=q_exit,
            sections_meeting_target_share=float(ok.mean()),
            worst_water_class=int(cls.max()),
            workshops_open=sum(s != Treatment.CLOSED for s in status),
            workshops_discharging=sum(s == Treatment.DISCHARGING for s in status),
            workshops_self_treating=sum(s == Treatment.SELF_TREATING for s in status),
            workshops_connected=sum(s == Treatment.CONNECTED for s in status),
            workshop_jobs=int(jobs_v.sum()), job_seekers=int(seek_v.sum()),
            income_per_capita_yuan=float(inc.sum() / population),
            public_spending_yuan=float(sum(spending.values())),
            public_spending_yuan_closures=float(spending.get("closures", 0.0)),
            public_spending_yuan_shared_facility=float(spending.get("shared_facility", 0.0)),
            facility_online=bool(fac.built),
            facility_down_days=float(down),
            facility_inflow_m3=float(connected_m3),
            facility_overflow_share=float(overflow),
            facility_fee_yuan_per_m3=float(fee),
            facility_operating_cost_yuan=float(plant_cost),
            treatment_fees_yuan=float(fees_paid),
            self_treatment_cost_yuan=float(self_cost_paid),
            connected_saving_share=float(np.mean(savings)) if savings else float("nan"),
        )


def run(scenario: Scenario, seed: int, replicate: int = 0, *,
        per_household_processes: bool = False) -> RunResult:
    """Run one replicate of `scenario`; a pure function of (scenario, seed, replicate).

    `per_household_processes` switches to the slow reference shape (benchmark only).
    """
    streams = Streams(seed, replicate)
    town = Township(scenario, streams, per_household_processes)
    town.env.run(until=day_of(scenario.start_date, next_month(scenario.end_date)) + 0.5)
    rec = town.recorder
    tables = {
        "township": rec.frame("township"),
        "villages": rec.frame("villages"),
        "sections": rec.frame("sections"),
        "events": town.events.frame(scenario.name, replicate),
    }
    meta = {"seed": seed, "replicate": replicate, "streams": streams.entropy(),
            "package_version": __version__}
    return RunResult(scenario=scenario.name, replicate=replicate, seed=seed, tables=tables,
                     meta=meta)
