"""The township of one run: its world, its SimPy processes and the monthly accounting.

Processes: the monthly accounting (agents that share a monthly schedule: workshops settle their
month, tourists come, households earn, the river carries the loads, the recorder writes), the
levers (at their own dates) and the plant's outages (at random times).
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from datetime import date
from typing import Any

import numpy as np
import simpy

from sim.model import levers
from sim.model.books import Books
from sim.model.facility import Facility, PlantState
from sim.model.farming import Farming
from sim.model.households import (
    build_households,
    hire,
    household_month,
    household_month_one,
    income_index,
    lay_off,
    sewage_load_kg_per_day,
)
from sim.model.life import Life, rubbish_score
from sim.model.livestock import LivestockHooks
from sim.model.record import declare_fixed_columns, household_groups, record_month
from sim.model.recorder import EventLog, Recorder
from sim.model.residents import Residents
from sim.model.river import (
    FlowModel,
    classify,
    concentrations_mg_l,
    decay_rates,
    deficits_mg_l,
    dissolved_oxygen_mg_l,
    hydraulics,
    network,
    sample,
    transfer,
)
from sim.model.sewage import SewageWorks
from sim.model.standards import black_smelly
from sim.model.statuslog import StatusLog
from sim.model.streams import Streams
from sim.model.timebase import date_of, day_of, days_in_month, month_starts, next_month
from sim.model.tourism_economy import TourismEconomy
from sim.model.workshops import (
    SettlementMemo,
    WorkshopAgent,
    as_array,
    settle_workshops,
    should_close_for_losses,
)
from sim.model.world import build_villages
from sim.scenario.schema import Scenario, Treatment
from sim.scenario.tourism import Investment


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
        self.streams = streams
        # Benchmark reference only: one SimPy process per household instead of one for all.
        self.per_household_processes = per_household_processes
        self.start = scenario.start_date
        self.env = simpy.Environment()
        self.recorder = Recorder(scenario.name, streams.replicate)
        self.events = EventLog()
        self.books = Books(scenario.start_date, scenario.budget.yuan_per_year,
                           scenario.end_date.year, self.log_event, self._at)
        self.villages = build_villages(scenario)
        declare_fixed_columns(self.recorder, self.villages, scenario.river.sections)
        layout = streams("layout")
        self.households = build_households(scenario, self.villages, layout)
        self.workshops: list[WorkshopAgent] = []
        jobs = streams("jobs")
        for i, spec in enumerate(scenario.workshops):
            v = spec.village - 1
            owner = int(layout.choice(np.flatnonzero(self.households.village == v)))
            agent = WorkshopAgent(index=i, spec=spec, river_km=float(self.villages.river_km[v]),
                                  owner=owner, log=StatusLog(0.0, Treatment(spec.status)))
            agent.workers = hire(self.households, i, spec.workers, v,
                                 scenario.income.workshop_wage_yuan_per_month, jobs,
                                 self.villages.river_km)
            self.workshops.append(agent)
        # the workshops' fixed figures and the months already settled (see SettlementMemo)
        self._workshop_memo = SettlementMemo(self.workshops, scenario.treatment_costs)
        # each workshop's village (0-based), in workshop order: the row order of its loads
        self.workshop_village = np.array([w.spec.village - 1 for w in self.workshops],
                                         dtype=np.intp)
        self.tourism = TourismEconomy(scenario, self.villages, self.households, layout)
        self.farming = Farming(scenario, self.villages, self.households, self.env,
                               LivestockHooks(self.env, self.log_event, self.books), layout,
                               streams)
        self.life = Life(scenario, self.villages, self.households, streams("life"))
        self.residents = Residents(scenario, self.villages, self.households)
        self.household_group = household_groups(self.households, self.farming.paddy.farming,
                                                self.tourism.host_households)
        self.env.process(self.life.investors(self.env, self.start, streams("investors"),
                                             self.log_event,
                                             scenario.income.workshop_wage_yuan_per_month))
        if scenario.levers.negative_list is not None:
            self.env.process(self.life.negative_list(self.env, self.start, self.log_event))
        self.facility = Facility(0.0, scenario.levers.shared_facility)
        self.sewage = SewageWorks(scenario.levers.rural_sewage, self.villages.count)
        fac = scenario.levers.shared_facility
        outfall = [fac.outfall_river_km] if fac is not None else []
        # Sources: villages (households and visitors), then workshops, then the plant's outfall.
        self.source_km = np.concatenate([
            self.villages.river_km, [w.river_km for w in self.workshops], outfall])
        self.network = network(scenario.river, self.source_km)
        self.flow = FlowModel(scenario.river, streams("flow"))
        self._visible = np.array([s.name in scenario.tourism.visible_sections
                                  for s in scenario.river.sections])
        self.months = month_starts(self.start, scenario.end_date)
        self.env.process(self._accounting())
        self._month_event: simpy.Event | None = None
        self._sample_t = 0.0  # this month's sampling day (set when workshops settle)
        self._income = np.zeros(self.households.count)
        self.income_total = np.zeros(self.households.count)  # each household's, so far
        self._flow_income = 0.0
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
        if lv.ecotourism is not None:
            self.env.process(levers.ecotourism(self, lv.ecotourism))
        if lv.rural_sewage is not None:
            self.env.process(levers.rural_sewage(self, lv.rural_sewage))

    # -------------------------------------------------------------- interface for levers
    def close_workshop(self, agent: WorkshopAgent, reason: str, compensation_yuan: float) -> None:
        t = self.env.now
        agent.log.set(t, Treatment.CLOSED)
        laid_off = lay_off(self.households, agent.index)
        if compensation_yuan > 0:
            owner, extra = agent.owner, self.households.extra_yuan

            def credit(_: float, share: float) -> None:
                extra[owner] += compensation_yuan * share

            self.pay(t, "compensation", compensation_yuan, credit)
        self.log_event(t, "closure", agent.id, f"{reason}; {laid_off} workers laid off",
                       compensation_yuan)

    def set_treatment(self, agent: WorkshopAgent, status: Treatment, reason: str) -> None:
        agent.log.set(self.env.now, status)
        kind = "connection" if status == Treatment.CONNECTED else f"treatment_{status}"
        self.log_event(self.env.now, kind, agent.id, reason)

    def invest(self, inv: Investment) -> None:
        self.tourism.invest(inv, self.streams("tourism_jobs"))
        self.pay(self.env.now, "tourism_investment", inv.cost_yuan)
        self.log_event(self.env.now, "investment", inv.kind,
                       f"+{inv.beds} beds, +{inv.trail_visitors_per_day:g} trail/day, "
                       f"+{inv.appeal_share:g} appeal", inv.cost_yuan)

    def open_sewage_work(self, village: int, kind: str) -> None:
        """A village's treatment station starts, or its septic retrofits are done (0-based)."""
        works = self.sewage
        (works.station if kind == "station" else works.septic)[village] = True
        hh = self.households
        nv = self.villages.count
        capex = works.capex_yuan(kind, int(hh.per_village(nv)[village]),
                                 float(hh.persons_by_village(nv)[village]), self.scenario.sewage)
        if capex > 0:
            self.pay(self.env.now, "sewage_capex", capex)
        self.log_event(self.env.now, f"sewage_{kind}", self.villages.names[village], "", capex)

    def pay(self, t: float, item: str, yuan: float,
            on_paid: Callable[[float, float], None] | None = None) -> None:
        """The township pays `yuan` for lever item `item` (`sim.model.books.ITEMS`) at `t`,
        within its budget; `on_paid(t, share)` credits the payee with the share paid then."""
        self.books.pay(t, item, yuan, on_paid)

    def _at(self, t: float, act: Callable[[float], None]) -> None:
        """Call `act(t)` at time `t` (a payment deferred to a later year)."""
        def wait() -> Generator[simpy.events.Event, Any, None]:
            yield self.env.timeout(max(0.0, t - self.env.now))
            act(self.env.now)
        self.env.process(wait())

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
            work = self._settle_workshops(t0, t1)
            fields = self.farming.month(m0, t0, t1, self._level, self.streams("farming"))
            visitors = self.tourism.month(m0, self._level, self.streams("tourism"),
                                          self.streams("tourism_jobs"))
            self._book_tourism(t0, visitors)
            if visitors.new_homestays:
                invested = visitors.new_homestays * self.scenario.tourism.homestay_investment_yuan
                self.log_event(t1 - 1, "homestays_opened", "tourism",
                               f"{visitors.new_homestays} new, paid by their owners (yuan)",
                               invested)
                self.books.post(t1 - 1, "homestay_investment", invested)
            self.pay(t0, "marketing", visitors.marketing_yuan)
            # what the month's money flows brought households, about to join their income
            self._flow_income = float(self.households.extra_yuan.sum())
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
            self._river_and_record(m0, t0, t1, work, visitors, fields)

    def _book_tourism(self, t0: float, visitors: Any) -> None:
        """Visitors' spending through the local tourism trade to households and outside."""
        post, post_signed = self.books.post, self.books.post_signed
        post(t0, "visitor_spending", visitors.result.revenue_yuan)
        post(t0, "tourism_leakage", visitors.result.revenue_yuan - visitors.local_yuan)
        post(t0, "tourism_wages", visitors.wages_yuan)
        post_signed(t0, "homestay_profit", visitors.owners_yuan)
        post_signed(t0, "village_tourism_profit", visitors.villages_yuan)

    def _book_life(self, t0: float, spending: dict[str, float]) -> None:
        """Points (redeemed for goods at once), clean-up and councils, paid by the township."""
        books = self.books
        for item, yuan in spending.items():
            if item == "points":
                def redeem(t: float, share: float, yuan: float = yuan) -> None:
                    books.post(t, "points_goods", yuan * share)
                self.pay(t0, item, yuan, redeem)
            else:
                self.pay(t0, item, yuan)

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

    def _settle_workshops(self, t0: float, t1: float) -> Any:
        sc = self.scenario
        fac = self.facility
        spec = fac.spec
        up, down = fac.up_days(t0, t1), fac.down_days(t0, t1)
        self._sample_t = t0 + float(self.streams("sampling").integers(0, int(t1 - t0)))
        work = settle_workshops(
            self.workshops, t0, t1, self._sample_t, sc.treatment_costs,
            as_array(spec.removal) if spec is not None else None,
            spec.capacity_m3_per_day if spec is not None else 0.0,
            spec.operator_margin_share if spec is not None else 0.0,
            (spec.operating_share_of_unit_cost if spec is not None
             and spec.capex_paid_by == "township" else 1.0),
            down / (up + down) if up + down > 0 else 0.0,
            fac.log.at(self._sample_t) == PlantState.DOWN, self._workshop_memo)
        work.down_days = down
        post = self.books.post
        post(t0, "workshop_sales", work.sales_yuan)
        post(t0, "treatment_fee", work.fees_yuan)
        post(t0, "self_treatment", work.self_treatment_yuan)
        post(t0, "plant_costs", work.plant_cost_yuan)
        gains = sum(p for _, p in work.profits if p > 0)
        losses = sum(-p for _, p in work.profits if p < 0)
        post(t0, "workshop_profit", gains)
        self.books.post_signed(t0, "workshop_profit", -losses)
        hh = self.households
        limit = sc.workshop_rules.loss_months_before_closing
        workshops = self.workshops
        for index, profit in work.profits:
            w = workshops[index]
            hh.extra_yuan[w.owner] += profit
            if profit < 0:
                w.loss_months += 1
                if w.is_open and should_close_for_losses(w.loss_months, limit):
                    self.close_workshop(w, "losses", 0.0)
            else:
                # no loss, no closure: the limit is at least one month (WorkshopRules)
                w.loss_months = 0
        return work

    def _river_and_record(self, m0: date, t0: float, t1: float, work: Any, visitors: Any,
                          fields: Any) -> None:
        sc = self.scenario
        days = days_in_month(m0)
        hh = self.households
        persons_v = hh.persons_by_village(self.villages.count)   # fixed for the run, read-only
        untreated = sewage_load_kg_per_day(sc, self.villages, persons_v)
        works = self.sewage.month(untreated, persons_v, hh.per_village(self.villages.count),
                                  days, sc.sewage)
        hh_rate = untreated - works.removed_kg_per_day
        if works.running_yuan > 0:
            self.pay(t0, "sewage_running", works.running_yuan)
        def note(kind: str, subject: str, detail: str = "", value: float = float("nan")) -> None:
            self.log_event(t0, kind, subject, detail, value)

        life = self.life.month(m0, days, persons_v, visitors.result.rubbish_kg / 1000,
                               self.farming.paddy.farming, self.streams("life"),
                               self.streams("air"), self.streams("councils"), note)
        self._book_life(t0, life.spending)
        villages_rate = (hh_rate + visitors.tourist_kg_per_day + fields.livestock_kg_per_day
                         + fields.farmland_kg_per_day + life.rubbish_kg_per_day
                         + life.industry_kg_per_day)
        has_plant = sc.levers.shared_facility is not None
        outfall = [work.outfall_kg] if has_plant else np.zeros((0, 3))
        outfall_s = [work.outfall_sample_kg_per_day] if has_plant else np.zeros((0, 3))
        month_rate = np.vstack([villages_rate, work.loads_kg / days, np.asarray(outfall) / days])
        sample_rate = np.vstack([villages_rate, work.sample_kg_per_day, outfall_s])
        river, net = sc.river, self.network
        q_exit = self.flow.next_month(m0.month)
        hyd = hydraulics(river, net, q_exit, m0.month)
        q = hyd.node_flow[net.section_node]
        k = decay_rates(river, hyd.temp_c)
        shares = transfer(net, hyd, k)
        mean_c = concentrations_mg_l(river, shares, month_rate, q)
        day_c = concentrations_mg_l(river, shares, sample_rate, q)
        sampling = self.streams("sampling")
        samples = sample(day_c, river.sample_log_sd, sampling)
        mean_deficit, day_deficit = deficits_mg_l(river, net, hyd, k, month_rate, sample_rate)
        mean_do = dissolved_oxygen_mg_l(mean_deficit, hyd.temp_c)
        day_deficit = sample(day_deficit, river.sample_log_sd, sampling)
        do = dissolved_oxygen_mg_l(day_deficit, hyd.temp_c)
        cls, ok = classify(samples, do, river.target_class)
        smelly = black_smelly(np.maximum(0.0, do - river.dawn_do_margin_mg_l), samples[:, 1])
        self.tourism.perceive(float(cls[self._visible].mean()))
        mood = self.residents.month(
            m0, cls, life.good_air_days / days,
            rubbish_score(life, sc.rubbish.legacy_t_at_start), life.participants,
            life.resolve_share, life.unresolved_v, life.polluter_v, self._income, self._level,
            self.streams("survey"), black_smelly=smelly)
        self.income_total += self._income
        record_month(self, m0, days, work, visitors, fields, life, mood, persons_v, hh_rate,
                     q_exit, q, samples, mean_c, cls, ok,
                     self.books.ledger.spending_between(t0, t1),
                     int(self._sample_t - t0) + 1, (do, mean_do, smelly), works)


__all__ = ["Township"]
