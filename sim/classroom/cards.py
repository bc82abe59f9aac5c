"""The lesson's lever cards and how a class's choices become a scenario.

A card is one measure the class can choose in a round; it maps onto one lever section of the
scenario schema (`sim.scenario.schema.Levers`), with the values of the account's own timeline
(`scenarios/as_reported.yaml`) and its dates moved to the round in which the class chose it. The
two eco-tourism cards share the `ecotourism` section (their investments are joined). A class's
schedule (the cards chosen in each round so far) is a scenario: `no_transition` plus those
sections, run from 2023, so the years already played do not change when later rounds add cards
(tests/test_classroom_engine.py shows it).

Two details keep that promise, because the mere presence of two lever sections changes earlier
years, though not what they mean: the pig farms' inspection process draws its random arrivals at
the highest inspection rate the scenario can reach (thinning), so a `manure_retrofit` section
changes which random numbers earlier years draw; and a `shared_facility` section adds the plant's
outfall to the river's sources, which changes the last bits of the river's concentrations (the
sums run over one more row). Every classroom scenario (and both references) therefore holds both
sections, dormant (starting after the lesson) until a class chooses the card
(`with_dormant_sections`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.scenario.load import load_scenario, validate_mapping, with_end_date
from sim.scenario.schema import Scenario

SCENARIOS = Path(__file__).resolve().parent.parent.parent / "scenarios"
DORMANT = "2099-12-01"  # a start after any lesson: the section is there but never acts
Section = dict[str, Any]


@dataclass(frozen=True)
class LessonConfig:
    """A lesson: rounds of whole years from `first_year`, a budget per round (万元), the seed
    and the replicates every round runs."""

    rounds: int = 4
    years_per_round: int = 4
    first_year: int = 2024
    budget_wan: float = 1200.0
    seed: int = 20250101
    replicates: int = 3

    def __post_init__(self) -> None:
        if not 1 <= self.rounds <= 10 or not 1 <= self.years_per_round <= 10:
            raise ValueError("rounds and years per round must be 1-10")
        if self.last_year > 2090:
            raise ValueError("the lesson must end before 2090")

    @property
    def last_year(self) -> int:
        return self.first_year + self.rounds * self.years_per_round - 1

    def round_years(self, k: int) -> tuple[int, int]:
        """First and last year of round k (0-based)."""
        first = self.first_year + k * self.years_per_round
        return first, first + self.years_per_round - 1


@dataclass(frozen=True)
class Card:
    """A lever card: its id (also its catalogue key `card.<id>.*`), the lever section it sets
    and how that section looks when the card is played from the first day of `year`."""

    id: str
    lever: str
    section: Callable[[int], Section]


def _closures(y: int) -> Section:
    return {"date": f"{y}-03-01", "rule": "unlicensed"}


def _shared_plant(y: int) -> Section:
    return {"build_start": f"{y}-01-01", "build_months": 6, "connect": "all_open"}


def _enforcement(y: int) -> Section:
    return {"date": f"{y}-01-01"}


def _forest_wellness(y: int) -> Section:
    return {"investments": [
        {"date": f"{y}-01-01", "kind": "marketing", "marketing_yuan_per_year": 300000},
        {"date": f"{y}-03-01", "kind": "trail", "cost_yuan": 3000000,
         "trail_visitors_per_day": 1200, "appeal_share": 0.15},
        {"date": f"{y}-04-01", "kind": "camping", "cost_yuan": 1000000, "beds": 80,
         "appeal_share": 0.05},
        {"date": f"{y}-05-01", "kind": "homestays", "cost_yuan": 600000, "beds": 40}]}


def _riverside_walk(y: int) -> Section:
    return {"investments": [{"date": f"{y}-09-01", "kind": "riverside_walk",
                             "cost_yuan": 2000000, "appeal_share": 0.10}]}


def _manure(y: int) -> Section:
    return {"start": f"{y}-01-01", "inspections_per_farm_per_year": 1.0, "loan_yuan": 50000,
            "interest_subsidy_share": 1.0, "free_equipment_yuan": 20000}


def _coculture(y: int) -> Section:
    return {"pilot_villages": [17], "pilot_year": y,
            "target_villages_by_year": {y + 1: [16, 18, 19, 20, 21, 22, 23]},
            "subsidy_yuan_per_mu": 300, "brand_from": f"{y + 1}-01-01"}


def _forest_economy(y: int) -> Section:
    return {"mu_by_year": {y: 4000, y + 1: 4000}}


def _points(y: int) -> Section:
    return {"start": f"{y}-01-01"}


def _cleanup(y: int) -> Section:
    return {"start": f"{y}-01-01", "tonnes_per_year": 320, "greening_mu_per_year": 1200}


def _councils(y: int) -> Section:
    return {"start": f"{y}-01-01", "participation_share": 0.85}


def _negative_list(y: int) -> Section:
    return {"date": f"{y}-01-01"}


CARDS: dict[str, Card] = {c.id: c for c in (
    Card("close", "closures", _closures),
    Card("plant", "shared_facility", _shared_plant),
    Card("enforce", "discharge_enforcement", _enforcement),
    Card("forest_wellness", "ecotourism", _forest_wellness),
    Card("riverside_walk", "ecotourism", _riverside_walk),
    Card("manure", "manure_retrofit", _manure),
    Card("coculture", "coculture", _coculture),
    Card("forest_economy", "forest_economy", _forest_economy),
    Card("points", "points_scheme", _points),
    Card("cleanup", "cleanup", _cleanup),
    Card("councils", "councils", _councils),
    Card("negative_list", "negative_list", _negative_list),
)}


def base_data(name: str = "no_transition") -> dict[str, Any]:
    """A bundled scenario's resolved mapping (`scenarios/<name>.yaml`)."""
    return load_scenario(SCENARIOS / f"{name}.yaml").model_dump(mode="json")


def with_dormant_sections(levers: Mapping[str, Any]) -> dict[str, Any]:
    """The levers with `manure_retrofit` and `shared_facility` sections: the given ones, or
    dormant ones (starting after any lesson, so they never act)."""
    out = dict(levers)
    if out.get("manure_retrofit") is None:
        out["manure_retrofit"] = {**_manure(2099), "start": DORMANT}
    if out.get("shared_facility") is None:
        out["shared_facility"] = {**_shared_plant(2099), "build_start": DORMANT}
    return out


def schedule_levers(schedule: Sequence[Sequence[str]], config: LessonConfig) -> dict[str, Any]:
    """The lever sections of a class's schedule (card ids per round, round 0 first)."""
    levers: dict[str, Any] = {}
    for k, ids in enumerate(schedule):
        year = config.round_years(k)[0]
        for cid in ids:
            card = CARDS[cid]
            section = card.section(year)
            if card.lever == "ecotourism" and card.lever in levers:
                section = {"investments": levers[card.lever]["investments"]
                           + section["investments"]}
            levers[card.lever] = section
    return with_dormant_sections(levers)


def check_schedule(schedule: Sequence[Sequence[str]]) -> None:
    """Raise ValueError unless every id is a card and no card is played twice."""
    seen: set[str] = set()
    for ids in schedule:
        for cid in ids:
            if cid not in CARDS:
                raise ValueError(f"unknown card {cid!r}")
            if cid in seen:
                raise ValueError(f"card {cid!r} played twice")
            seen.add(cid)


def class_scenario(schedule: Sequence[Sequence[str]], config: LessonConfig,
                   until_year: int | None = None, name: str = "class") -> Scenario:
    """The scenario of a class's schedule, from 2023 to the end of its last round played (or
    `until_year`)."""
    check_schedule(schedule)
    data = base_data()
    data.update(name=name, description="a class's schedule in the classroom",
                levers=schedule_levers(schedule, config))
    last = until_year if until_year is not None else config.round_years(len(schedule) - 1)[1]
    return with_end_date(validate_mapping(data, f"classroom {name}"), f"{last}-12-31")


def reference_scenario(name: str, config: LessonConfig) -> Scenario:
    """`as_reported` ("what really happened") or `no_transition` ("doing nothing") over the
    lesson's years, with the dormant sections of every class run where they lack one."""
    data = base_data(name)
    data["levers"] = with_dormant_sections(data.get("levers") or {})
    return with_end_date(validate_mapping(data, f"classroom reference {name}"),
                         f"{config.last_year}-12-31")


def lone_card_scenario(cid: str, config: LessonConfig) -> Scenario:
    """One card alone, played in the first round, to the end of the second (for its costs)."""
    years = min(2, config.rounds)
    data = base_data()
    data.update(name=f"card_{cid}", levers=schedule_levers([[cid]], config))
    last = config.round_years(years - 1)[1]
    return with_end_date(validate_mapping(data, f"classroom card {cid}"), f"{last}-12-31")



# ----------------------------------------------------------------------------- free play
@dataclass(frozen=True)
class FreeLever:
    """A lever in free play: its section, its size's range, step and default (the account's
    value), and how a year and a size make the section."""

    lever: str
    low: float
    high: float
    step: float
    default: float
    section: Callable[[int, float], Section] | None = None


def _worst_workshops(n: int) -> list[str]:
    """The ids of the n workshops with the largest raw COD loads (flow × concentration)."""
    data = base_data()
    ranked = sorted(data["workshops"], key=lambda w: -w["flow_m3_per_day"]
                    * w["concentration_mg_l"]["cod"])
    return [w["id"] for w in ranked[:max(int(n), 0)]]


def _eco(y: int, size: float) -> Section:
    items = _forest_wellness(y)["investments"] + _riverside_walk(y)["investments"]
    items[0] = {**items[0], "marketing_yuan_per_year": size * 1e4}
    return {"investments": items}


FREE: dict[str, FreeLever] = {f.lever: f for f in (
    FreeLever("closures", 1, 12, 1, 3, lambda y, n: {
        "date": f"{y}-03-01", "workshops": _worst_workshops(int(n))}),
    FreeLever("shared_facility", 60, 300, 20, 100, lambda y, c: {
        **_shared_plant(y), "capacity_m3_per_day": c}),
    FreeLever("discharge_enforcement", 0, 0, 1, 0, lambda y, _: _enforcement(y)),
    FreeLever("ecotourism", 0, 100, 10, 30, _eco),
    FreeLever("manure_retrofit", 0.2, 4, 0.2, 1.0, lambda y, r: {
        **_manure(y), "inspections_per_farm_per_year": r}),
    FreeLever("coculture", 0, 800, 50, 300, lambda y, s: {
        **_coculture(y), "subsidy_yuan_per_mu": s}),
    FreeLever("forest_economy", 0, 16000, 1000, 8000, lambda y, mu: {
        "mu_by_year": {y: mu / 2, y + 1: mu / 2}}),
    FreeLever("points_scheme", 1, 30, 1, 10, lambda y, b: {
        **_points(y), "monthly_budget_yuan": b * 1e4}),
    FreeLever("cleanup", 0, 3000, 100, 1200, lambda y, mu: {
        **_cleanup(y), "greening_mu_per_year": mu}),
    FreeLever("councils", 30, 100, 5, 85, lambda y, p: {
        **_councils(y), "participation_share": p / 100}),
    FreeLever("negative_list", 0, 0, 1, 0, lambda y, _: _negative_list(y)),
)}


def free_scenario(settings: Mapping[str, Mapping[str, Any]], config: LessonConfig) -> Scenario:
    """Free play's scenario: each lever switched on in `settings` ({lever: {on, year, size}})
    from its year at its size, 2023 to the lesson's last year."""
    levers: dict[str, Any] = {}
    for name, spec in FREE.items():
        choice = settings.get(name) or {}
        if not choice.get("on") or spec.section is None:
            continue
        year = int(choice.get("year", config.first_year))
        if not 2023 <= year <= config.last_year:
            raise ValueError(f"{name}: year {year} outside 2023-{config.last_year}")
        size = min(max(float(choice.get("size", spec.default)), spec.low), spec.high)
        levers[name] = spec.section(year, size)
    data = base_data()
    data.update(name="free_play", levers=with_dormant_sections(levers))
    return with_end_date(validate_mapping(data, "classroom free play"),
                         f"{config.last_year}-12-31")


__all__ = ["CARDS", "FREE", "Card", "FreeLever", "LessonConfig", "check_schedule",
           "class_scenario", "free_scenario", "lone_card_scenario", "reference_scenario",
           "schedule_levers"]
