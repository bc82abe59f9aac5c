"""Policy levers as SimPy processes. Each fires at the dates its scenario section gives and acts
through the township's narrow interface (close, connect, require self-treatment, pay, log).
No lever knows the scenario's name: levers are data.
"""

from __future__ import annotations

from collections.abc import Generator
from datetime import date
from typing import Any, Protocol

import simpy

from sim.model.facility import PlantState
from sim.model.timebase import add_months, day_of
from sim.model.workshops import WorkshopAgent, closure_targets
from sim.scenario.schema import (
    Closures,
    DischargeEnforcement,
    RuralSewage,
    SharedFacility,
    Treatment,
)
from sim.scenario.tourism import Ecotourism, Investment


class LeverTarget(Protocol):
    """What a lever may do to the township."""

    env: simpy.Environment
    start: date
    workshops: list[WorkshopAgent]

    def close_workshop(self, agent: WorkshopAgent, reason: str, compensation_yuan: float
                       ) -> None: ...
    def set_treatment(self, agent: WorkshopAgent, status: Treatment, reason: str) -> None: ...
    def pay(self, t: float, item: str, yuan: float) -> None: ...
    def log_event(self, t: float, kind: str, subject: str, detail: str = "",
                  value: float = float("nan")) -> None: ...
    def plant_state(self, t: float, state: PlantState) -> None: ...
    def start_outages(self) -> None: ...
    def invest(self, inv: Investment) -> None: ...
    def open_sewage_work(self, village: int, kind: str) -> None: ...


def _wait_until(env: simpy.Environment, start: date, when: date) -> simpy.events.Timeout:
    return env.timeout(max(0.0, day_of(start, when) - env.now))


def closures(town: LeverTarget, spec: Closures) -> Generator[simpy.events.Event, Any, None]:
    """Close the named workshops and those the rule selects, paying compensation."""
    yield _wait_until(town.env, town.start, spec.date)
    for agent in closure_targets(town.workshops, spec.workshops, spec.rule,
                                 spec.cod_load_threshold_kg_per_day):
        reason = "named" if agent.id in spec.workshops else f"rule:{spec.rule}"
        town.close_workshop(agent, reason, spec.compensation_yuan_per_workshop)


def discharge_enforcement(town: LeverTarget, spec: DischargeEnforcement
                          ) -> Generator[simpy.events.Event, Any, None]:
    """Workshops still discharging raw wastewater must treat it themselves from the date."""
    yield _wait_until(town.env, town.start, spec.date)
    for agent in town.workshops:
        if agent.status == Treatment.DISCHARGING:
            town.set_treatment(agent, Treatment.SELF_TREATING, "enforcement")


def shared_facility(town: LeverTarget, spec: SharedFacility
                    ) -> Generator[simpy.events.Event, Any, None]:
    """Build the plant (capex paid monthly over the build), then connect workshops and run it."""
    env = town.env
    yield _wait_until(env, town.start, spec.build_start)
    capex = spec.capex_yuan_per_m3_day * spec.capacity_m3_per_day
    months = max(spec.build_months, 1)
    if spec.capex_paid_by == "township":
        for k in range(months):
            town.pay(day_of(town.start, add_months(spec.build_start, k)), "facility_capex",
                     capex / months)
    town.log_event(env.now, "facility_build_start", "facility",
                   f"capacity {spec.capacity_m3_per_day:g} m3/d", capex)
    yield _wait_until(env, town.start, add_months(spec.build_start, spec.build_months))
    town.plant_state(env.now, PlantState.UP)
    town.log_event(env.now, "facility_online", "facility")
    for agent in town.workshops:
        wanted = spec.connect == "all_open" or agent.id in spec.connect
        if wanted and agent.is_open:
            town.set_treatment(agent, Treatment.CONNECTED, "shared_facility")
            town.pay(env.now, "sewer_pipes", spec.pipe_cost_yuan_per_workshop)
    town.start_outages()


def ecotourism(town: LeverTarget, spec: Ecotourism) -> Generator[simpy.events.Event, Any, None]:
    """Make each eco-tourism investment at its date (in date order)."""
    for inv in sorted(spec.investments, key=lambda i: i.date):
        yield _wait_until(town.env, town.start, inv.date)
        town.invest(inv)


def rural_sewage(town: LeverTarget, spec: RuralSewage) -> Generator[simpy.events.Event, Any, None]:
    """Open each village's station or septic retrofits at its date (in date order; village
    numbers are 1-based in the scenario)."""
    works = sorted([(when, "station", v) for v, when in spec.stations.items()]
                   + [(when, "septic", v) for v, when in spec.septic.items()])
    for when, kind, village in works:
        yield _wait_until(town.env, town.start, when)
        town.open_sewage_work(village - 1, kind)
