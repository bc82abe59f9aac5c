"""What a month leaves in the tables: one township row, a row per village and per section."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.households import NO_EMPLOYER
from sim.schema import Treatment

if TYPE_CHECKING:
    from sim.model import Township

POLLUTANTS = ("cod", "nh3n", "tp")


def record_month(town: Township, m0: date, days: int, work: Any, visitors: Any, fields: Any,
                 persons_v: np.ndarray, hh_rate: np.ndarray, q_exit: float, q: np.ndarray,
                 samples: np.ndarray, mean_c: np.ndarray, cls: np.ndarray, ok: np.ndarray,
                 spending: dict[str, float], sample_day: int) -> None:
    """Append this month's rows: flows over the month, stocks at its end."""
    rec, hh, vil = town.recorder, town.households, town.villages
    nv = vil.count
    sections = town.scenario.river.sections
    rec.rows("sections", m0, len(sections),
             section=[s.name for s in sections], river_km=[s.river_km for s in sections],
             flow_m3_s=q, cod_mg_l=samples[:, 0], nh3n_mg_l=samples[:, 1],
             tp_mg_l=samples[:, 2], cod_mg_l_mean=mean_c[:, 0], nh3n_mg_l_mean=mean_c[:, 1],
             tp_mg_l_mean=mean_c[:, 2], water_class=cls.astype(np.int64), meets_target=ok,
             sample_day=sample_day)
    inc = town._income
    hh_loads = hh_rate * days
    tour_loads = visitors.tourist_kg_per_day * days
    stock_loads = fields.livestock_kg_per_day * days
    field_loads = fields.farmland_kg_per_day * days
    co_hh_v, co_mu_v = town.farming.paddy.village_counts()
    jobs_v = np.bincount(hh.village[hh.employer != NO_EMPLOYER], minlength=nv)
    tjobs_v = np.bincount(hh.village[hh.tourism_job], minlength=nv)
    seek_v = np.bincount(hh.village[hh.seeking], minlength=nv)
    income_v = np.bincount(hh.village, weights=inc, minlength=nv)
    w_village = np.zeros((nv, 3))
    for w in town.workshops:
        w_village[w.spec.village - 1] += work.loads_kg[w.index]
    rec.rows("villages", m0, nv, village=list(vil.names), zone=list(vil.zones),
             river_km=vil.river_km, population=persons_v.astype(np.int64),
             households=np.bincount(hh.village, minlength=nv),
             income_per_capita_yuan=income_v / np.maximum(persons_v, 1),
             **{f"{p}_kg_households": hh_loads[:, k] for k, p in enumerate(POLLUTANTS)},
             **{f"{p}_kg_workshops": w_village[:, k] for k, p in enumerate(POLLUTANTS)},
             **{f"{p}_kg_tourists": tour_loads[:, k] for k, p in enumerate(POLLUTANTS)},
             **{f"{p}_kg_livestock": stock_loads[:, k] for k, p in enumerate(POLLUTANTS)},
             **{f"{p}_kg_farmland": field_loads[:, k] for k, p in enumerate(POLLUTANTS)},
             coculture_households=co_hh_v, coculture_area_mu=co_mu_v,
             workshop_jobs=jobs_v, tourism_jobs=tjobs_v, job_seekers=seek_v,
             visits=visitors.visits_by_village,
             tourism_revenue_yuan=visitors.revenue_by_village)
    ws_total = work.loads_kg.sum(axis=0) + work.outfall_kg
    status = [w.status for w in town.workshops]
    population = float(persons_v.sum())
    tr = visitors.result
    rec.row(
        "township", m0,
        population=int(population), households=hh.count,
        **{f"{p}_kg_workshops": float(ws_total[k]) for k, p in enumerate(POLLUTANTS)},
        **{f"{p}_kg_households": float(hh_loads[:, k].sum()) for k, p in enumerate(POLLUTANTS)},
        **{f"{p}_kg_tourists": float(tour_loads[:, k].sum()) for k, p in enumerate(POLLUTANTS)},
        **{f"{p}_kg_livestock": float(stock_loads[:, k].sum())
           for k, p in enumerate(POLLUTANTS)},
        **{f"{p}_kg_farmland": float(field_loads[:, k].sum()) for k, p in enumerate(POLLUTANTS)},
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
        **{f"public_spending_yuan_{lever}": float(spending.get(lever, 0.0))
           for lever in ("closures", "shared_facility", "ecotourism", "manure_retrofit",
                         "coculture", "forest_economy")},
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
        connected_saving_share=float(np.mean(work.savings)) if work.savings else float("nan"),
        visits=float(tr.visits), day_visits=float(tr.day_visits),
        overnight_stays=float(tr.guest_nights), overnight_guests=float(tr.overnight_guests),
        visits_turned_away=float(tr.turned_away), beds=int(visitors.beds),
        occupancy_share=float(tr.occupancy_share), tourism_revenue_yuan=float(tr.revenue_yuan),
        tourism_jobs=int(visitors.jobs), homestays=int(visitors.homestays),
        tourist_experience=float(tr.experience), rubbish_t_tourists=float(tr.rubbish_kg) / 1000,
    )
