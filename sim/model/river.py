"""The river: monthly flow, hydraulics, first-order decay reach by reach, oxygen, samples.

The river is a chain of nodes: every source's outfall (a village's drains, a workshop's pipe,
the plant's outfall) and every monitoring section, by river km. Flow at a node is the exit's flow
times a share interpolated between the sections' shares (the entry's share is the upstream
inflow, clean lateral inflow adds the rest). Each month the flow sets each reach's depth and
velocity (hydraulic geometry), hence its travel time and reaeration. A source's load mixes into
the flow at its node and decays first-order on the way down: the share of source i's mass of
pollutant p reaching section j is T[p, j, i] = exp(−k_p(T)·(τ_j − τ_i)), with τ the cumulative
travel time. A section's concentration is the background (the upstream inflow's quality) plus
the surviving flux over its flow. The oxygen deficit is carried down the same chain
(`sim.model.oxygen`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.model.oxygen import do_saturation_mg_l, reaeration_per_day
from sim.model.standards import water_class
from sim.model.workshops import as_array
from sim.scenario.schema import River

SECONDS_PER_DAY = 86_400.0
GRAMS_PER_S_PER_KG_PER_DAY = 1000.0 / SECONDS_PER_DAY


def travel_days(dx_km: float | np.ndarray, velocity_m_per_s: float | np.ndarray) -> np.ndarray:
    return np.asarray(np.asarray(dx_km) * 1000.0 / np.asarray(velocity_m_per_s)
                      / SECONDS_PER_DAY)


def mean_flow_m3_s(river: River) -> float:
    """Long-run mean flow at the exit: catchment area × runoff depth."""
    m3_per_year = river.catchment_area_km2 * 1e6 * river.runoff_depth_mm_per_year / 1000.0
    return m3_per_year / (365.25 * SECONDS_PER_DAY)


@dataclass
class FlowModel:
    """Monthly exit flow: seasonal mean × lognormal anomaly. The anomaly's log is an AR(1)
    standard normal z scaled by the month's sd (wider in months below the mean flow), minus
    half its variance, so each month's mean is the seasonal one."""

    river: River
    rng: np.random.Generator
    z: float = 0.0

    def __post_init__(self) -> None:
        idx = np.asarray(self.river.monthly_flow_index, dtype=float)
        self._index = idx / idx.mean()
        self._mean = mean_flow_m3_s(self.river)
        self._sd = np.where(self._index < 1.0, self.river.dry_flow_log_sd,
                            self.river.flow_log_sd)
        self.z = float(self.rng.standard_normal())

    def next_month(self, month: int) -> float:
        """Exit flow (m³/s) of calendar `month` (1–12); advances the anomaly."""
        sd = float(self._sd[month - 1])
        value = self._mean * self._index[month - 1] * math.exp(sd * self.z - 0.5 * sd * sd)
        r = self.river.flow_autocorrelation
        self.z = r * self.z + math.sqrt(1 - r * r) * float(self.rng.standard_normal())
        return float(value)


@dataclass(frozen=True)
class Network:
    """The river's fixed layout: nodes by km, which node each source and section is at."""

    node_km: np.ndarray
    source_node: np.ndarray
    section_node: np.ndarray
    is_section: np.ndarray      # per node: the section there, or -1
    node_share: np.ndarray      # share of the exit's flow at each node
    reach_km: np.ndarray        # node n -> n+1
    reach_share: np.ndarray     # mean share over the reach
    reaches_to: np.ndarray      # (sections × sources): section j is at or below source i


def network(river: River, source_km: np.ndarray) -> Network:
    section_km = np.array([s.river_km for s in river.sections])
    shares = np.array([s.flow_share for s in river.sections])
    nodes = np.unique(np.concatenate([section_km, np.asarray(source_km, dtype=float)]))
    node_share = np.interp(nodes, section_km, shares)
    sec_node = np.searchsorted(nodes, section_km)
    src_node = np.searchsorted(nodes, source_km)
    is_section = np.full(nodes.size, -1)
    is_section[sec_node] = np.arange(section_km.size)
    return Network(node_km=nodes, source_node=src_node, section_node=sec_node,
                   is_section=is_section, node_share=node_share, reach_km=np.diff(nodes),
                   reach_share=0.5 * (node_share[:-1] + node_share[1:]),
                   reaches_to=sec_node[:, None] >= src_node[None, :])


@dataclass(frozen=True)
class Hydraulics:
    """One month's state of the river's reaches."""

    temp_c: float
    node_flow: np.ndarray       # m³/s
    reach_flow: np.ndarray
    depth_m: np.ndarray
    velocity_m_s: np.ndarray
    reach_days: np.ndarray
    node_days: np.ndarray       # cumulative travel time from the top node
    ka_per_day: np.ndarray      # at the month's temperature
    sod_per_day: np.ndarray     # g O2/m²/d at the month's temperature (per reach)


def reach_travel_days(river: River, net: Network, q_exit: float) -> np.ndarray:
    """Travel time over each reach, exact for a flow rising linearly along it:
    ∫ dx / (c·Q(x)^f) = L·(Q1^(1−f) − Q0^(1−f)) / (c·(1−f)·(Q1 − Q0)). Splitting a reach at
    a node without load leaves the total unchanged (so does every decayed share)."""
    c, f = river.velocity_m_s_at_1_m3_s, river.velocity_exponent
    q0 = q_exit * net.node_share[:-1]
    q1 = q_exit * net.node_share[1:]
    rising = q1 > q0 * (1 + 1e-12)
    span = np.where(rising, q1 - q0, 1.0)
    mean_inverse = np.where(rising, (q1 ** (1 - f) - q0 ** (1 - f)) / ((1 - f) * span),
                            q0 ** -f)
    return np.asarray(net.reach_km * 1000.0 * mean_inverse / c / SECONDS_PER_DAY)


def hydraulics(river: River, net: Network, q_exit: float, month: int) -> Hydraulics:
    temp = float(river.water_temperature_c[month - 1])
    q_reach = q_exit * net.reach_share
    depth = river.depth_m_at_1_m3_s * q_reach ** river.depth_exponent
    vel = river.velocity_m_s_at_1_m3_s * q_reach ** river.velocity_exponent
    days = reach_travel_days(river, net, q_exit)
    ka_t = river.reaeration_theta ** (temp - 20.0)
    ka = np.array([min(river.reaeration_max_per_day, reaeration_per_day(u, h) * ka_t)
                   for u, h in zip(vel.tolist(), depth.tolist(), strict=True)])
    sod = np.full(q_reach.size, river.sod_g_m2_day * river.sod_theta ** (temp - 20.0))
    return Hydraulics(temp_c=temp, node_flow=q_exit * net.node_share, reach_flow=q_reach,
                      depth_m=depth, velocity_m_s=vel, reach_days=days,
                      node_days=np.concatenate([[0.0], np.cumsum(days)]), ka_per_day=ka,
                      sod_per_day=sod)


def decay_rates(river: River, temp_c: float) -> np.ndarray:
    """First-order rates (COD, NH3-N, TP) per day at temperature `temp_c`."""
    return np.asarray(as_array(river.decay_per_day)
                      * as_array(river.decay_theta) ** (temp_c - 20.0))


def transfer(net: Network, hyd: Hydraulics, k_per_day: np.ndarray) -> np.ndarray:
    """T[p, j, i]: share of source i's mass of pollutant p that reaches section j."""
    lag = (hyd.node_days[net.section_node][:, None]
           - hyd.node_days[net.source_node][None, :])
    lag = np.where(net.reaches_to, lag, 0.0)
    return np.where(net.reaches_to[None], np.exp(-k_per_day[:, None, None] * lag[None]), 0.0)


def concentrations_mg_l(river: River, transfer_: np.ndarray, loads_kg_per_day: np.ndarray,
                        section_flow_m3_s: np.ndarray) -> np.ndarray:
    """Concentration (sections × pollutants) from source loads (sources × pollutants) in kg/d."""
    grams_per_s = loads_kg_per_day * GRAMS_PER_S_PER_KG_PER_DAY
    excess = np.einsum("pji,ip->jp", transfer_, grams_per_s) / section_flow_m3_s[:, None]
    return np.asarray(as_array(river.background_mg_l)[None, :] + excess)


def deficit_mg_l(river: River, net: Network, hyd: Hydraulics, k_per_day: np.ndarray,
                 loads_kg_per_day: np.ndarray) -> np.ndarray:
    """Oxygen deficit (mg/L) at each section from the sources' COD and NH3-N loads.

    Carried node by node as fluxes (g/s): loads join at their node; over each reach the CBOD
    (bod_u_per_cod × COD) and the nitrogenous demand (4.57 × NH3-N) decay at the COD and NH3-N
    rates and draw the deficit up, the bed's oxygen demand adds SOD/H, reaeration pulls it back
    (the exact reach solution `sim.model.oxygen.reach_deficit`). Clean lateral inflow
    (saturated) dilutes the deficit as it dilutes the loads. The upstream inflow enters
    saturated."""
    return deficits_mg_l(river, net, hyd, k_per_day, loads_kg_per_day)[0]


def deficits_mg_l(river: River, net: Network, hyd: Hydraulics, k_per_day: np.ndarray,
                  *loads_kg_per_day: np.ndarray) -> list[np.ndarray]:
    """`deficit_mg_l` for several sets of loads (the month's mean and its sample day) in one
    pass: each reach's exponentials are worked out once for all sets, then applied to each as
    `reach_deficit` does (the same operations in the same order)."""
    nodes = net.node_km.size
    cods, nh3s = [], []
    for loads in loads_kg_per_day:
        g = loads * GRAMS_PER_S_PER_KG_PER_DAY
        cods.append(np.bincount(net.source_node, weights=g[:, 0], minlength=nodes).tolist())
        nh3s.append(np.bincount(net.source_node, weights=g[:, 1], minlength=nodes).tolist())
    kd, kn = float(k_per_day[0]), float(k_per_day[1])
    r_c, r_n = river.bod_u_per_cod, river.nitrogen_oxygen_g_per_g
    sets = range(len(loads_kg_per_day))
    out = [np.zeros(len(river.sections)) for _ in sets]
    fc, fn, fd = [0.0 for _ in sets], [0.0 for _ in sets], [0.0 for _ in sets]
    last = nodes - 1
    node_flow, is_section = hyd.node_flow.tolist(), net.is_section.tolist()
    days, kas = hyd.reach_days.tolist(), hyd.ka_per_day.tolist()
    benthic = (hyd.sod_per_day / hyd.depth_m * hyd.reach_flow).tolist()
    for n in range(nodes):
        section = is_section[n]
        for s in sets:
            fc[s] += cods[s][n]
            fn[s] += nh3s[s][n]
            if section >= 0:
                out[s][section] = fd[s] / node_flow[n]
        if n == last:
            break
        t, ka = days[n], kas[n]
        e = math.exp(-ka * t)
        e_d, e_n = math.exp(-kd * t), math.exp(-kn * t)
        phi_d = _phi(kd, ka, t, e_d, e)
        phi_n = _phi(kn, ka, t, e_n, e)
        bed = benthic[n] * (1.0 - e) / ka
        for s in sets:
            fd[s] = fd[s] * e + kd * (r_c * fc[s]) * phi_d + kn * (r_n * fn[s]) * phi_n + bed
            fc[s] *= e_d
            fn[s] *= e_n
    return out


def _phi(k: float, ka: float, t: float, e_k: float, e_a: float) -> float:
    """(e^(−k t) − e^(−ka t)) / (ka − k), and t·e^(−k t) when ka = k (as in `oxygen`)."""
    if abs(ka - k) < 1e-9 * max(ka, 1e-12):
        return t * e_k
    return (e_k - e_a) / (ka - k)


def dissolved_oxygen_mg_l(deficit: np.ndarray, temp_c: float) -> np.ndarray:
    """DO = saturation − deficit, never below zero (anoxic water)."""
    return np.asarray(np.maximum(0.0, do_saturation_mg_l(temp_c) - deficit))


def sample(conc_mg_l: np.ndarray, log_sd: float, rng: np.random.Generator) -> np.ndarray:
    """Grab samples: each value times mean-one lognormal noise."""
    z = rng.standard_normal(conc_mg_l.shape)
    return np.asarray(conc_mg_l * np.exp(log_sd * z - 0.5 * log_sd * log_sd))


def classify(samples_mg_l: np.ndarray, do_mg_l: np.ndarray, target_class: int
             ) -> tuple[np.ndarray, np.ndarray]:
    """GB 3838 class of each section's sample and whether it meets the target."""
    cls = water_class(samples_mg_l[:, 0], samples_mg_l[:, 1], samples_mg_l[:, 2], do_mg_l)
    return cls, cls <= target_class
