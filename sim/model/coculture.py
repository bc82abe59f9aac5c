"""The rice–crayfish programme's economics: the township's crayfish price against its supply,
what a household expects co-culture to add over rice, the chance it applies for a place in
its village's class, and how the places are given out (docs/model.md §7.12).

Pure functions of numbers and arrays; `sim.model.paddy` calls them each spring and April.
"""

from __future__ import annotations

import math

import numpy as np

from sim.scenario.farms import Paddy


def town_price(p: Paddy, market: float, supply_kg: float, branded: bool) -> float:
    """What the township's crayfish sell for, yuan/kg, this season.

    Unbranded: the market's farm-gate price. Branded: the brand's price moved by the season's
    market (`market` / its mean: the same crashes), held while the township's supply is within
    local demand D and falling as (Q/D)^(−1/ε) beyond it; never below the market price."""
    if not branded:
        return market
    brand = p.brand_crayfish_price_yuan_per_kg * market / p.crayfish_price_yuan_per_kg
    demand_kg = p.brand_local_demand_t_per_year * 1000.0
    if supply_kg > demand_kg:
        brand *= (supply_kg / demand_kg) ** (-1.0 / p.crayfish_demand_elasticity)
    return max(market, brand)


def margin_over_rice(p: Paddy, price: float, branded: bool) -> float:
    """Co-culture's yearly net over rice alone per mu at crayfish price `price`, yuan/mu:
    crayfish, input savings and (branded) the rice premium, less the extra running costs."""
    rice_premium = p.brand_rice_premium_yuan_per_kg * p.rice_yield_kg_per_mu if branded else 0.0
    return (p.crayfish_yield_kg_per_mu * price + p.input_saving_yuan_per_mu + rice_premium
            - p.coculture_extra_cost_yuan_per_mu)


def pays_probability(p: Paddy, price: float, branded: bool, subsidy_yuan_per_mu: float) -> float:
    """The chance co-culture pays for a household that weighs it at expected price `price`:
    Φ(G_net / σ), G_net = margin over rice − (conversion − subsidy) / payback years, σ = the
    spread of its own yield × price (households differ in fields and skill)."""
    start_up = (p.conversion_cost_yuan_per_mu - subsidy_yuan_per_mu) / p.payback_years
    gain = margin_over_rice(p, price, branded) - start_up
    sigma = p.crayfish_yield_sd_kg_per_mu * max(price, 1e-9)
    return 0.5 * (1.0 + math.erf(gain / (sigma * math.sqrt(2.0))))


def apply_probability(pays: float, peer_effect: float, neighbours_share: np.ndarray
                      ) -> np.ndarray:
    """Each village's chance that a suitable rice household applies this spring: the chance
    it pays plus the peer effect × its neighbours' adoption share, capped at 1."""
    return np.minimum(1.0, pays + peer_effect * np.asarray(neighbours_share, dtype=float))


def allocate_places(applicants: np.ndarray, village: np.ndarray, places_v: np.ndarray,
                    priority: np.ndarray) -> np.ndarray:
    """The applicants (household indices) who get a place: in each village the `places_v[v]`
    applicants of lowest `priority` (a uniform draw per applicant: a random order)."""
    if applicants.size == 0:
        return applicants
    order = np.lexsort((priority, village[applicants]))  # by village, then priority
    ranked, v = applicants[order], village[applicants[order]]
    first = np.searchsorted(v, v, side="left")  # where each applicant's village starts
    rank = np.arange(v.size) - first
    return np.sort(ranked[rank < places_v[v]])
