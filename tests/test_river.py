"""The river: routing against the closed form, mass balance, flow statistics, sampling."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model.river import (
    FlowModel,
    concentrations_mg_l,
    mean_flow_m3_s,
    sample,
    transfer_matrix,
    travel_days,
)
from sim.scenario.schema import Pollutants, River, Section


def river(**kw: object) -> River:
    sections = (Section(name="a", river_km=0.0, flow_share=0.5),
                Section(name="b", river_km=7.0, flow_share=0.8),
                Section(name="c", river_km=20.0, flow_share=1.0))
    return River(sections=sections, **kw)  # type: ignore[arg-type]


@given(x=st.floats(0.0, 20.0), k=st.floats(0.0, 2.0), u=st.floats(0.05, 2.0))
@settings(max_examples=60, deadline=None)
def test_single_source_matches_closed_form(x: float, k: float, u: float) -> None:
    """Routing reach by reach equals C - C_bg = L/Q · exp(-k (X - x)/u) for one source."""
    r = river(decay_per_day=Pollutants(cod=k, nh3n=k / 2, tp=0.0), velocity_m_per_s=u)
    # Other sources between the sections add nodes (more reaches) but no load.
    km = np.array([x, 3.0, 12.5])
    loads = np.array([[100.0, 10.0, 1.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    q = np.array([0.5, 0.8, 1.0])
    c = concentrations_mg_l(r, transfer_matrix(r, km), loads, q)
    bg = np.array([r.background_mg_l.cod, r.background_mg_l.nh3n, r.background_mg_l.tp])
    for j, sec in enumerate(r.sections):
        if sec.river_km < x:
            np.testing.assert_allclose(c[j], bg)
            continue
        tau = (sec.river_km - x) * 1000 / u / 86400
        decay = np.exp(-np.array([k, k / 2, 0.0]) * tau)
        expected = bg + loads[0] * 1000 / 86400 / q[j] * decay
        np.testing.assert_allclose(c[j], expected, rtol=1e-10)


def test_mass_is_conserved_without_decay() -> None:
    """With no decay, the excess flux at the exit equals the sum of all loads upstream of it."""
    r = river(decay_per_day=Pollutants(cod=0.0, nh3n=0.0, tp=0.0))
    rng = np.random.default_rng(1)
    km = rng.uniform(0, 20, 30)
    loads = rng.uniform(0, 50, (30, 3))
    t = transfer_matrix(r, km)
    exit_flux = np.einsum("pi,ip->p", t[:, -1, :], loads)
    np.testing.assert_allclose(exit_flux, loads.sum(axis=0))


def test_decay_never_raises_downstream_mass() -> None:
    """Each source's surviving share is in [0, 1] and does not grow downstream."""
    r = river()
    t = transfer_matrix(r, np.linspace(0, 20, 9))
    assert np.all((t >= 0) & (t <= 1))
    for i in range(t.shape[2]):
        reached = t[:, :, i][:, t[0, :, i] > 0]
        assert np.all(np.diff(reached, axis=1) <= 1e-15)


def test_travel_time() -> None:
    """10 km at 0.5 m/s takes 20,000 s."""
    assert abs(travel_days(10.0, 0.5) - 20_000 / 86_400) < 1e-12


def test_flow_is_seasonal_and_mean_preserving() -> None:
    """Over many years the mean monthly flow matches area × runoff, peaking in the wet season."""
    r = River()
    fm = FlowModel(r, np.random.default_rng(7))
    flows = np.array([[fm.next_month(m) for m in range(1, 13)] for _ in range(3000)])
    assert abs(flows.mean() / mean_flow_m3_s(r) - 1) < 0.03
    by_month = flows.mean(axis=0)
    assert by_month.argmax() + 1 in (5, 6, 7)
    assert by_month.argmin() + 1 in (11, 12, 1)
    assert np.all(flows > 0)


def test_mean_flow_from_catchment() -> None:
    """60 km² with 600 mm/yr of runoff gives 36 million m³/yr ≈ 1.14 m³/s."""
    assert abs(mean_flow_m3_s(River()) - 36e6 / (365.25 * 86400)) < 1e-9


def test_samples_are_unbiased_lognormal() -> None:
    """Grab-sample noise is mean one: many samples average to the true concentration."""
    rng = np.random.default_rng(3)
    c = np.full((200_000, 3), [20.0, 1.0, 0.2])
    s = sample(c, 0.15, rng)
    np.testing.assert_allclose(s.mean(axis=0), [20.0, 1.0, 0.2], rtol=0.005)
    assert np.all(s > 0)
