"""Dissolved oxygen: saturation by temperature, reaeration by depth and velocity, and the
Streeter–Phelps deficit over a reach (research/river-facts.md §3, "rf" below).

The deficit D = DOsat − DO obeys dD/dt = kd·L + kn·r_n·N − ka·D + SOD/H over a reach's travel
time, with carbonaceous BOD L and ammonia N decaying first-order (dL/dt = −kd·L,
dN/dt = −kn·N). `reach_deficit` is its exact solution for constant coefficients;
`streeter_phelps_deficit` the textbook single-source form it must reduce to.
"""

from __future__ import annotations

import math

import numpy as np


def do_saturation_mg_l(temp_c: float | np.ndarray) -> np.ndarray:
    """Fresh-water DO saturation at 1 atm (APHA / Benson–Krause; rf §3.5)."""
    t = np.asarray(temp_c, dtype=float) + 273.15
    ln_os = (-139.34411 + 1.575701e5 / t - 6.642308e7 / t**2 + 1.2438e10 / t**3
             - 8.621949e11 / t**4)
    return np.asarray(np.exp(ln_os))


def reaeration_per_day(velocity_m_s: float, depth_m: float) -> float:
    """ka at 20 °C by the QUAL2K "internal" choice (Covar 1976; rf §3.3): Owens–Gibbs below
    0.61 m, O'Connor–Dobbins where H > 3.45·U^2.5, Churchill otherwise."""
    u, h = velocity_m_s, depth_m
    if h < 0.61:
        return 5.32 * u**0.67 / h**1.85
    if h > 3.45 * u**2.5:
        return 3.93 * u**0.5 / h**1.5
    return 5.026 * u / h**1.67


def _phi(k: float, ka: float, t: float) -> float:
    """(e^(−k t) − e^(−ka t)) / (ka − k), and its limit t·e^(−k t) when ka = k."""
    if abs(ka - k) < 1e-9 * max(ka, 1e-12):
        return t * math.exp(-k * t)
    return (math.exp(-k * t) - math.exp(-ka * t)) / (ka - k)


def reach_deficit(d0: float, l0: float, n0: float, kd: float, kn: float, ka: float,
                  sod_per_depth: float, t: float) -> float:
    """Deficit after travel time t (days) from deficit d0, CBOD l0 and nitrogenous demand n0
    (mg/L, or the same times a flow), with a constant benthic demand SOD/H (mg/L/d, or times
    the flow)."""
    e = math.exp(-ka * t)
    return (d0 * e + kd * l0 * _phi(kd, ka, t) + kn * n0 * _phi(kn, ka, t)
            + sod_per_depth * (1.0 - e) / ka)


def streeter_phelps_deficit(l0: float, d0: float, kd: float, ka: float,
                            t: float | np.ndarray) -> np.ndarray:
    """The closed form D(t) = kd·L0/(ka−kd)·(e^(−kd t) − e^(−ka t)) + D0·e^(−ka t) (rf §3.1)."""
    t = np.asarray(t, dtype=float)
    if abs(ka - kd) < 1e-12:
        return np.asarray((kd * l0 * t + d0) * np.exp(-kd * t))
    return np.asarray(kd * l0 / (ka - kd) * (np.exp(-kd * t) - np.exp(-ka * t))
                      + d0 * np.exp(-ka * t))


def critical_time(l0: float, d0: float, kd: float, ka: float) -> float:
    """Time of the sag's lowest point (0 when the deficit only recovers; rf §3.1)."""
    if abs(ka - kd) < 1e-12:
        return max(0.0, (1.0 / kd) * (1.0 - d0 / l0))
    arg = (ka / kd) * (1.0 - d0 * (ka - kd) / (kd * l0))
    if arg <= 1.0:
        return 0.0
    return math.log(arg) / (ka - kd)
