"""What a month leaves in the tables: one township row, a row per village and per section."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol

import numpy as np

from sim.model.archive import village_ranks
from sim.model.books import LEVERS
from sim.model.facility import Facility
from sim.model.farming import Farming
from sim.model.households import NO_EMPLOYER, HouseholdState
from sim.model.life import INVESTOR_EMPLOYER_BASE
from sim.model.recorder import LATER, Recorder
from sim.model.residents import Residents
from sim.model.standards import BLACK_SMELLY_GRADES
from sim.model.workshops import WorkshopAgent
from sim.model.world import Villages
from sim.scenario.schema import Scenario, Section, Treatment


class MonthState(Protocol):
    """What `record_month` reads of the township (`sim.model.township.Township` has it)."""

    recorder: Recorder
    households: HouseholdState
    villages: Villages
    scenario: Scenario
    farming: Farming
    facility: Facility
    residents: Residents
    workshops: list[WorkshopAgent]
    workshop_village: np.ndarray
    household_group: np.ndarray
    _income: np.ndarray
    _flow_income: float

POLLUTANTS = ("cod", "nh3n", "tp")
SOURCES = ("households", "tourists", "livestock", "farmland", "rubbish", "industry")
"""The villages' load sources other than workshops, in the township table's order."""


def _load_columns(source: str) -> tuple[str, ...]:
    """The columns of one source's loads, pollutant by pollutant."""
    return tuple(f"{p}_kg_{source}" for p in POLLUTANTS)


LOAD_COLUMNS = {source: _load_columns(source) for source in ("workshops", *SOURCES)}
SPENDING_COLUMNS = tuple(f"public_spending_yuan_{lever}" for lever in LEVERS)
GROUPS = ("workshop_workers", "farming", "host_villages", "other")
"""Household groups for who wins and who loses, fixed at the run's start and disjoint (each
household is in the first that fits): households with a workshop job at the start; farming
households; the other households of the villages that host visitors; the rest. Fixed at the
start so that a policy and its base follow the same households (one seed draws the same
households, jobs and farms in every scenario that shares these sections)."""
SEWAGE_REMOVED_COLUMNS = tuple(f"{p}_kg_sewage_removed" for p in POLLUTANTS)
"""Households' sewage loads the rural sewage works kept out of the river in the month."""
RANKING = "villages_ranking"
"""A block table of the villages' ranking inputs that their table does not show (not a table
of the run)."""


def declare_fixed_columns(rec: Recorder, vil: Villages, sections: Sequence[Section]) -> None:
    """The columns every month repeats: which village, which section, where, which group."""
    rec.fixed("villages", village=list(vil.names), zone=list(vil.zones), river_km=vil.river_km)
    rec.fixed("groups", group=list(GROUPS))
    rec.fixed("sections", section=[s.name for s in sections],
              river_km=[s.river_km for s in sections])


def household_groups(hh: HouseholdState, farming: np.ndarray,
                     host_households: np.ndarray) -> np.ndarray:
    """Each household's group at the run's start, an index into `GROUPS`."""
    workers = (hh.employer != NO_EMPLOYER) & (hh.employer < INVESTOR_EMPLOYER_BASE)
    group = np.full(hh.count, GROUPS.index("other"), dtype=np.intp)
    group[host_households] = GROUPS.index("host_villages")
    group[farming] = GROUPS.index("farming")
    group[workers] = GROUPS.index("workshop_workers")
    return group


def record_groups(rec: Recorder, m0: date, group: np.ndarray, size: np.ndarray,
                  income: np.ndarray) -> None:
    """This month's households, persons and income by group (the groups' incomes add up to
    the township's)."""
    n = len(GROUPS)
    persons = np.bincount(group, weights=size, minlength=n)
    earned = np.bincount(group, weights=income, minlength=n)
    rec.rows("groups", m0, n, households=np.bincount(group, minlength=n),
             persons=persons.astype(np.int64), income_yuan=earned,
             income_per_capita_yuan=earned / np.maximum(persons, 1))


def rank_villages(rec: Recorder) -> None:
    """Fill the villages table's rank, red_list and black_list for every month at once.

    A month's ranking depends only on that month's villages: their sorting share, straw burning
    per farming household, unresolved issues and COD per person from their own sources (not
    tourists' or rubbish). All months are ranked together from the recorded columns, each
    element by the same operations as month by month (`village_ranks`), so the ranks are the
    same."""
    def col(name: str) -> np.ndarray:
        return rec.block("villages", name)

    cod = (col("cod_kg_households") + col("cod_kg_workshops") + col("cod_kg_livestock")
           + col("cod_kg_farmland") + col("cod_kg_industry"))
    persons = col("population").astype(float)  # counts of persons: exact as floats
    farmers = rec.block(RANKING, "farming_households")
    rank, red, black = village_ranks(col("sorting_share"),
                                     col("straw_burning_events") / np.maximum(farmers, 1),
                                     col("unresolved_issues"), cod / np.maximum(persons, 1))
    rec.fill("villages", rank=rank, red_list=red, black_list=black)


def record_month(town: MonthState, m0: date, days: int, work: Any, visitors: Any, fields: Any,
                 life: Any, mood: dict[str, float], persons_v: np.ndarray,
                 hh_rate: np.ndarray, q_exit: float, q: np.ndarray,
                 samples: np.ndarray, mean_c: np.ndarray, cls: np.ndarray, ok: np.ndarray,
                 spending: dict[str, float], sample_day: int,
                 oxygen: tuple[np.ndarray, np.ndarray, np.ndarray], sewage: Any) -> None:
    """Append this month's rows: flows over the month, stocks at its end. `oxygen` is the
    sections' sampled DO, their month-mean DO and their black-and-smelly grades; `sewage` the
    month of the rural sewage works (`sim.model.sewage.SewageMonth`)."""
    rec, hh, vil = town.recorder, town.households, town.villages
    nv = vil.count
    sections = town.scenario.river.sections
    do, do_mean, smelly = oxygen
    rec.rows("sections", m0, len(sections), flow_m3_s=q, cod_mg_l=samples[:, 0],
             nh3n_mg_l=samples[:, 1], tp_mg_l=samples[:, 2], do_mg_l=do,
             cod_mg_l_mean=mean_c[:, 0], nh3n_mg_l_mean=mean_c[:, 1], tp_mg_l_mean=mean_c[:, 2],
             do_mg_l_mean=do_mean, water_class=cls.astype(np.int64), meets_target=ok,
             black_smelly=BLACK_SMELLY_GRADES[smelly], sample_day=sample_day)
    inc = town._income
    # the villages' loads over the month, source by source: loads[s, k] is pollutant k's
    # column (contiguous, C order), so each township total below is the same pairwise sum
    # as a sum of the (strided) column
    sources = (hh_rate, visitors.tourist_kg_per_day, fields.livestock_kg_per_day,
               fields.farmland_kg_per_day, life.rubbish_kg_per_day, life.industry_kg_per_day)
    loads = np.empty((len(sources), len(POLLUTANTS), nv))
    for s, rate in enumerate(sources):
        loads[s] = rate.T
    loads *= days
    hh_loads, tour_loads, stock_loads, field_loads, rub_loads, ind_loads = loads
    co_hh_v, co_mu_v = town.farming.paddy.village_counts()
    # added workshop by workshop, in order (as np.add.at did: bincount sums sequentially);
    # loads_kg's rows are the workshops in order (row = WorkshopAgent.index)
    w_village = [np.bincount(town.workshop_village, weights=work.loads_kg[:, k], minlength=nv)
                 for k in range(len(POLLUTANTS))]
    industry = hh.employer >= INVESTOR_EMPLOYER_BASE
    jobs_v = hh.village_counts((hh.employer != NO_EMPLOYER) & ~industry, nv)
    industry_jobs = int(np.count_nonzero(industry))
    # the one input of the villages' ranking that their table does not show (`rank_villages`)
    rec.rows(RANKING, m0, nv,
             farming_households=hh.village_counts(town.farming.paddy.farming, nv))
    households_v = hh.per_village(nv)
    mood_v = hh.village_sums(town.residents.score, nv) / np.maximum(
        households_v, 1)
    tjobs_v = hh.village_counts(hh.tourism_job, nv)
    seek_v = hh.village_counts(hh.seeking, nv)
    income_v = hh.village_sums(inc, nv)
    record_groups(rec, m0, town.household_group, hh.size, inc)
    rec.rows("villages", m0, nv, population=persons_v.astype(np.int64),
             households=households_v,
             income_per_capita_yuan=income_v / np.maximum(persons_v, 1),
             **dict(zip(LOAD_COLUMNS["households"], hh_loads, strict=True)),
             **dict(zip(LOAD_COLUMNS["workshops"], w_village, strict=True)),
             **dict(zip(LOAD_COLUMNS["tourists"], tour_loads, strict=True)),
             **dict(zip(LOAD_COLUMNS["livestock"], stock_loads, strict=True)),
             **dict(zip(LOAD_COLUMNS["farmland"], field_loads, strict=True)),
             coculture_households=co_hh_v, coculture_area_mu=co_mu_v,
             **dict(zip(LOAD_COLUMNS["rubbish"], rub_loads, strict=True)),
             **dict(zip(LOAD_COLUMNS["industry"], ind_loads, strict=True)),
             sorting_share=life.sorting_v, straw_burning_events=life.burning_v,
             unresolved_issues=life.unresolved_v, satisfaction_mean=mood_v,
             rubbish_collected_share=life.collected_v, street_lights_km=life.lit_km_v,
             rank=LATER, red_list=LATER, black_list=LATER,  # see rank_villages
             workshop_jobs=jobs_v, tourism_jobs=tjobs_v, job_seekers=seek_v,
             visits=visitors.visits_by_village,
             tourism_revenue_yuan=visitors.revenue_by_village)
    totals: dict[str, float] = {}
    for source, column_totals in zip(SOURCES, loads.sum(axis=2).tolist(), strict=True):
        totals.update(zip(LOAD_COLUMNS[source], column_totals, strict=True))
    ws_total = work.loads_kg.sum(axis=0) + work.outfall_kg
    status = [w.status for w in town.workshops]
    population = float(persons_v.sum())
    savings = work.savings  # their mean as np.mean takes it: a pairwise sum, then / count
    tr = visitors.result
    rec.row(
        "township", m0,
        population=int(population), households=hh.count,
        **dict(zip(LOAD_COLUMNS["workshops"], ws_total.tolist(), strict=True)),
        **totals,
        river_flow_m3_s=q_exit,
        rural_sewage_coverage_share=sewage.station_share + sewage.septic_share,
        rural_sewage_station_share=sewage.station_share,
        rural_sewage_septic_share=sewage.septic_share,
        **dict(zip(SEWAGE_REMOVED_COLUMNS,
                   (sewage.removed_kg_per_day.sum(axis=0) * days).tolist(), strict=True)),
        sections_meeting_target_share=np.count_nonzero(ok) / ok.size,
        worst_water_class=int(cls.max()),
        workshops_open=len(status) - status.count(Treatment.CLOSED),
        workshops_discharging=status.count(Treatment.DISCHARGING),
        workshops_self_treating=status.count(Treatment.SELF_TREATING),
        workshops_connected=status.count(Treatment.CONNECTED),
        workshop_jobs=int(jobs_v.sum()), job_seekers=int(seek_v.sum()),
        income_per_capita_yuan=float(inc.sum() / population),
        income_from_flows_yuan=town._flow_income,
        public_spending_yuan=float(sum(spending.values())),
        **{column: float(spending.get(lever, 0.0))
           for column, lever in zip(SPENDING_COLUMNS, LEVERS, strict=True)},
        rubbish_t=life.rubbish_t, rubbish_collected_share=life.collected_share,
        sorting_share=life.sorting_share, points_awarded=life.points_awarded,
        legacy_rubbish_t=life.legacy_t, rubbish_cleared_t=life.cleared_t,
        green_area_mu=life.green_area_mu, good_air_days=life.good_air_days,
        good_air_days_regional=life.regional_good_days,
        air_days_lost_to_burning=life.days_lost_to_burning,
        straw_burning_events=life.straw_burning_events, straw_burned_share=life.burn_share,
        council_participation_share=life.participation_share,
        issues_raised=life.issues_raised, issues_resolved=life.issues_resolved,
        collection_points_added=life.collection_points_added,
        dumps_cleared_by_villagers_t=life.dumps_cleared_by_villagers_t,
        street_lights_km=float(life.lit_km_v.sum()),
        investors_refused=life.refused, investors_admitted=life.admitted,
        sand_sites_open=life.sand_sites_open, farmland_restored_mu=life.farmland_restored_mu,
        industry_jobs=industry_jobs, **mood,
        fines_yuan=float(fields.fines_yuan),
        income_rice_yuan=float(fields.income_rice_yuan),
        income_coculture_yuan=float(fields.income_coculture_yuan),
        income_livestock_yuan=float(fields.income_livestock_yuan),
        income_forest_yuan=float(fields.income_forest_yuan),
        **town.farming.counts(),
        facility_online=bool(town.facility.built),
        facility_down_days=float(work.down_days),
        facility_inflow_m3=float(work.connected_m3),
        facility_overflow_share=float(work.overflow_share),
        facility_fee_yuan_per_m3=float(work.fee_yuan_per_m3),
        facility_operating_cost_yuan=float(work.plant_cost_yuan),
        treatment_fees_yuan=float(work.fees_yuan),
        self_treatment_cost_yuan=float(work.self_treatment_yuan),
        connected_saving_share=(float(np.asarray(savings).sum()) / len(savings) if savings
                                else float("nan")),
        visits=float(tr.visits), day_visits=float(tr.day_visits),
        overnight_stays=float(tr.guest_nights), overnight_guests=float(tr.overnight_guests),
        visits_turned_away=float(tr.turned_away), beds=int(visitors.beds),
        occupancy_share=float(tr.occupancy_share), tourism_revenue_yuan=float(tr.revenue_yuan),
        tourism_jobs=int(visitors.jobs), homestays=int(visitors.homestays),
        tourist_experience=float(tr.experience), rubbish_t_tourists=float(tr.rubbish_kg) / 1000,
    )
