"""The river: monthly flow, first-order decay along reaches, monitoring samples and classes.

Pollutant mass from each source (a village's drains, a workshop's pipe, the plant's outfall)
enters at its river km and is routed downstream reach by reach: over a reach of length dx the
excess mass flux decays by exp(-k dx / u). A section's concentration is the background plus the
excess flux divided by the flow there. Because positions are fixed, routing is done once into a
transfer matrix T (sections × sources); each month is then one small matrix product.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.model.standards import water_class
from sim.model.workshops import as_array
from sim.scenario.schema import River

SECONDS_PER_DAY = 86_400.0


def travel_days(dx_km: float, velocity_m_per_s: float) -> float:
    return dx_km * 1000.0 / velocity_m_per_s / SECONDS_PER_DAY


def transfer_matrix(river: River, source_km: np.ndarray) -> np.ndarray:
    """T[p, j, i]: share of source i's mass of pollutant p that reaches section j.

    Built by routing each source's unit flux through every reach between consecutive nodes
    (sources and sections), so it can be checked against the single-source closed form.
    """
    k = as_array(river.decay_per_day)
    section_km = np.array([s.river_km for s in river.sections])
    nodes = np.unique(np.concatenate([section_km, source_km]))
    out = np.zeros((3, section_km.size, source_km.size))
    for i, x0 in enumerate(source_km):
        flux = np.ones(3)
        pos = x0
        for node in nodes[nodes >= x0]:
            flux = flux * np.exp(-k * travel_days(node - pos, river.velocity_m_per_s))
            pos = node
            hit = np.flatnonzero(section_km == node)
            out[:, hit, i] = flux[:, None]
    return out


def mean_flow_m3_s(river: River) -> float:
    """Long-run mean flow at the exit: catchment area × runoff depth."""
    m3_per_year = river.catchment_area_km2 * 1e6 * river.runoff_depth_mm_per_year / 1000.0
    return m3_per_year / (365.25 * SECONDS_PER_DAY)


@dataclass
class FlowModel:
    """Monthly exit flow: seasonal index × lognormal AR(1) anomaly (mean-preserving)."""

    river: River
    rng: np.random.Generator
    anomaly: float = 0.0

    def __post_init__(self) -> None:
        idx = np.asarray(self.river.monthly_flow_index, dtype=float)
        self._index = idx / idx.mean()
        self._mean = mean_flow_m3_s(self.river)
        sd = self.river.flow_log_sd
        self.anomaly = sd * float(self.rng.standard_normal())

    def next_month(self, month: int) -> float:
        """Exit flow (m³/s) of calendar `month` (1–12); advances the anomaly."""
        r, sd = self.river.flow_autocorrelation, self.river.flow_log_sd
        value = self._mean * self._index[month - 1] * np.exp(self.anomaly - 0.5 * sd * sd)
        self.anomaly = r * self.anomaly + np.sqrt(1 - r * r) * sd * float(
            self.rng.standard_normal())
        return float(value)


def concentrations_mg_l(river: River, transfer: np.ndarray, loads_kg_per_day: np.ndarray,
                        section_flow_m3_s: np.ndarray) -> np.ndarray:
    """Concentration (sections × pollutants) from source loads (sources × pollutants) in kg/d."""
    grams_per_s = loads_kg_per_day * 1000.0 / SECONDS_PER_DAY
    excess = np.einsum("pji,ip->jp", transfer, grams_per_s) / section_flow_m3_s[:, None]
    return np.asarray(as_array(river.background_mg_l)[None, :] + excess)


def sample(conc_mg_l: np.ndarray, log_sd: float, rng: np.random.Generator) -> np.ndarray:
    """Grab samples: each value times mean-one lognormal noise."""
    z = rng.standard_normal(conc_mg_l.shape)
    return np.asarray(conc_mg_l * np.exp(log_sd * z - 0.5 * log_sd * log_sd))


def classify(samples_mg_l: np.ndarray, target_class: int) -> tuple[np.ndarray, np.ndarray]:
    """GB 3838 class of each section's sample and whether it meets the target."""
    cls = water_class(samples_mg_l[:, 0], samples_mg_l[:, 1], samples_mg_l[:, 2])
    return cls, cls <= target_class
