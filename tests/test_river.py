"""The river: routing against the closed form, mass balance, flow statistics, oxygen, sampling."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model.oxygen import (
    critical_time,
    do_saturation_mg_l,
    reach_deficit,
    reaeration_per_day,
    streeter_phelps_deficit,
)
from sim.model.river import (
    FlowModel,
    concentrations_mg_l,
    decay_rates,
    deficit_mg_l,
    hydraulics,
    mean_flow_m3_s,
    network,
    sample,
    transfer,
    travel_days,
)
from sim.scenario.schema import Pollutants, River, Section


def river(**kw: object) -> River:
    sections = (Section(name="a", river_km=0.0, flow_share=0.5),
                Section(name="b", river_km=7.0, flow_share=0.8),
                Section(name="c", river_km=20.0, flow_share=1.0))
    return River(sections=sections, **kw)  # type: ignore[arg-type]


def steady(**kw: object) -> River:
    """One flow all along (every share 1) and a fixed velocity (exponent 0): one travel speed."""
    sections = (Section(name="a", river_km=0.0, flow_share=1.0),
                Section(name="b", river_km=7.0, flow_share=1.0),
                Section(name="c", river_km=20.0, flow_share=1.0))
    fixed: dict[str, object] = {"velocity_exponent": 0.0, "depth_exponent": 0.0} | kw
    return River(sections=sections, **fixed)  # type: ignore[arg-type]


@given(x=st.floats(0.0, 20.0), k=st.floats(0.0, 2.0), u=st.floats(0.05, 2.0))
@settings(max_examples=60, deadline=None)
def test_single_source_matches_closed_form(x: float, k: float, u: float) -> None:
    """Routing reach by reach equals C − C_bg = L/Q · exp(−k (X − x)/u) for one source (20 °C,
    so the rates are the stated ones)."""
    r = river(decay_per_day=Pollutants(cod=k, nh3n=k / 2, tp=0.0),
              velocity_m_s_at_1_m3_s=u, velocity_exponent=0.0,
              water_temperature_c=(20.0,) * 12)
    # Other sources between the sections add nodes (more reaches) but no load.
    km = np.array([x, 3.0, 12.5])
    loads = np.array([[100.0, 10.0, 1.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    net = network(r, km)
    hyd = hydraulics(r, net, 2.0, 1)
    q = hyd.node_flow[net.section_node]
    c = concentrations_mg_l(r, transfer(net, hyd, decay_rates(r, 20.0)), loads, q)
    bg = np.array([r.background_mg_l.cod, r.background_mg_l.nh3n, r.background_mg_l.tp])
    np.testing.assert_allclose(q, 2.0 * np.array([0.5, 0.8, 1.0]))
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
    net = network(r, km)
    t = transfer(net, hydraulics(r, net, 1.0, 7), decay_rates(r, 29.0))
    exit_flux = np.einsum("pi,ip->p", t[:, -1, :], loads)
    np.testing.assert_allclose(exit_flux, loads.sum(axis=0))


@pytest.mark.parametrize("q_exit", [0.05, 0.4, 3.0])
def test_decay_never_raises_downstream_mass(q_exit: float) -> None:
    """Each source's surviving share is in [0, 1] and does not grow downstream, at any flow."""
    r = river()
    net = network(r, np.linspace(0, 20, 9))
    t = transfer(net, hydraulics(r, net, q_exit, 8), decay_rates(r, 29.0))
    assert np.all((t >= 0) & (t <= 1))
    for i in range(t.shape[2]):
        reached = t[:, :, i][:, t[0, :, i] > 0]
        assert np.all(np.diff(reached, axis=1) <= 1e-15)


def test_low_flow_decays_more_on_the_way() -> None:
    """Lower flow → slower water → longer travel → a smaller surviving share downstream."""
    r = river()
    net = network(r, np.array([1.0]))
    k = decay_rates(r, 20.0)
    low = transfer(net, hydraulics(r, net, 0.2, 1), k)[:, -1, 0]
    high = transfer(net, hydraulics(r, net, 3.0, 1), k)[:, -1, 0]
    assert np.all(low[:2] < high[:2])


def test_travel_time() -> None:
    """10 km at 0.5 m/s takes 20,000 s."""
    assert abs(float(travel_days(10.0, 0.5)) - 20_000 / 86_400) < 1e-12


def test_hydraulic_geometry_matches_the_sourced_values() -> None:
    """H = 0.409 Q^0.294 and U = 0.194 Q^0.285 (Raymond et al. 2012; river-facts §3.3 table)."""
    r = steady(depth_exponent=0.294, velocity_exponent=0.285)
    net = network(r, np.array([5.0]))
    for q, h, u in ((0.1, 0.21, 0.10), (0.5, 0.33, 0.16), (5.0, 0.66, 0.31)):
        hyd = hydraulics(r, net, q, 1)
        assert abs(hyd.depth_m[0] - h) < 0.006 and abs(hyd.velocity_m_s[0] - u) < 0.006


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


def test_low_flow_tail_and_persistence() -> None:
    """The dry-season statistics the flow model is built to (river-facts §4, §9 rows 18–20):
    year-to-year CV of the driest month's flow in 0.4–0.8; the 10-year design low flow (the
    lowest monthly mean of ten years, the national capacity guideline's design flow) within
    0.1–0.25 × the annual mean; and dry spells that last (successive dry-month anomalies
    correlated)."""
    r = River()
    fm = FlowModel(r, np.random.default_rng(11))
    flows = np.array([[fm.next_month(m) for m in range(1, 13)] for _ in range(4000)])
    mean = mean_flow_m3_s(r)
    december = flows[:, 11]
    cv = december.std() / december.mean()
    assert 0.4 <= cv <= 0.8
    decade_min = flows.reshape(400, 10 * 12).min(axis=1)
    assert 0.1 <= np.median(decade_min) / mean <= 0.25
    lag1 = np.corrcoef(np.log(flows[:, 11]), np.log(flows[:, 10]))[0, 1]
    assert lag1 > 0.5


def test_saturation_matches_the_table() -> None:
    """APHA formula against the EN 25814 table (river-facts §3.5)."""
    for t, os in ((5, 12.77), (10, 11.29), (15, 10.08), (20, 9.09), (25, 8.26), (30, 7.56)):
        assert abs(float(do_saturation_mg_l(t)) - os) < 0.01


def test_reaeration_formulas_and_choice() -> None:
    """The worked ka values of river-facts §3.3 (Owens–Gibbs when shallow, O'Connor–Dobbins
    when deep and slow)."""
    for u, h, ka in ((0.1, 0.3, 10.5), (0.2, 0.5, 6.5), (0.1, 0.5, 4.1), (0.3, 0.8, 3.0),
                     (0.2, 1.0, 1.8), (0.1, 1.5, 0.68)):
        assert abs(reaeration_per_day(u, h) - ka) / ka < 0.03


@pytest.mark.parametrize(("l0", "d0", "kd", "ka", "tc", "dc"), [
    (20, 1, 0.3, 1.0, 1.5427, 3.7770),
    (30, 0.5, 0.35, 0.7, 1.9324, 7.6271),
    (20, 1, 0.5, 0.5, 1.9000, 7.7348),
    (10, 2, 0.2, 2.0, 0.0, 2.0),
])
def test_streeter_phelps_test_vectors(l0: float, d0: float, kd: float, ka: float, tc: float,
                                      dc: float) -> None:
    """The closed form's critical time and deficit (river-facts §3.1's four cases)."""
    t = critical_time(l0, d0, kd, ka)
    assert abs(t - tc) < 1e-3
    assert abs(float(streeter_phelps_deficit(l0, d0, kd, ka, t)) - dc) < 1e-3
    # the reach solution is the same function (no ammonia, no bed demand)
    assert abs(reach_deficit(d0, l0, 0.0, kd, 0.0, ka, 0.0, t) - dc) < 1e-3


@given(kd=st.floats(0.05, 0.6), ka=st.floats(0.3, 20.0), l0=st.floats(0.0, 50.0),
       d0=st.floats(0.0, 5.0), t1=st.floats(0.0, 2.0), t2=st.floats(0.0, 2.0))
@settings(max_examples=80, deadline=None)
def test_reach_deficit_composes(kd: float, ka: float, l0: float, d0: float, t1: float,
                                t2: float) -> None:
    """Two reaches back to back (with BOD decayed between) equal one reach of the summed time:
    the piecewise solution the river uses is exact, not a step approximation."""
    mid = reach_deficit(d0, l0, 0.4 * l0, kd, 0.15, ka, 1.3, t1)
    two = reach_deficit(mid, l0 * math.exp(-kd * t1), 0.4 * l0 * math.exp(-0.15 * t1), kd,
                        0.15, ka, 1.3, t2)
    one = reach_deficit(d0, l0, 0.4 * l0, kd, 0.15, ka, 1.3, t1 + t2)
    assert abs(two - one) <= 1e-9 * max(1.0, one)


def test_river_sag_matches_streeter_phelps_in_a_steady_case() -> None:
    """One source at km 0 in a river of one flow and speed, no bed demand, 20 °C: each
    section's deficit is the closed form at its travel time (L0 = bod_u_per_cod × COD excess)."""
    r = steady(decay_per_day=Pollutants(cod=0.3, nh3n=0.0, tp=0.0), sod_g_m2_day=0.0,
               water_temperature_c=(20.0,) * 12, velocity_m_s_at_1_m3_s=0.05,
               depth_m_at_1_m3_s=1.2)
    net = network(r, np.array([0.0, 4.0]))
    hyd = hydraulics(r, net, 1.0, 1)
    loads = np.array([[2000.0, 0.0, 0.0], [0.0, 0.0, 0.0]])   # kg/d
    d = deficit_mg_l(r, net, hyd, decay_rates(r, 20.0), loads)
    l0 = r.bod_u_per_cod * 2000.0 * 1000 / 86400 / 1.0
    ka = float(hyd.ka_per_day[0])
    assert 0.5 < ka < 2
    for j, sec in enumerate(r.sections):
        t = float(travel_days(sec.river_km, 0.05))
        assert abs(d[j] - float(streeter_phelps_deficit(l0, 0.0, 0.3, ka, t))) < 1e-9


def test_bed_demand_reaches_its_steady_deficit() -> None:
    """With only a bed demand the deficit is SOD/(H·ka)·(1 − e^(−ka·t)), tending to SOD/(H·ka)."""
    r = steady(sod_g_m2_day=2.0, water_temperature_c=(20.0,) * 12)
    net = network(r, np.array([0.0]))
    hyd = hydraulics(r, net, 1.0, 1)
    d = deficit_mg_l(r, net, hyd, decay_rates(r, 20.0), np.zeros((1, 3)))
    ka = hyd.ka_per_day[0]
    steady_deficit = 2.0 / (hyd.depth_m[0] * ka)
    for j, sec in enumerate(r.sections):
        t = float(travel_days(sec.river_km, hyd.velocity_m_s[0]))
        assert abs(d[j] - steady_deficit * (1 - math.exp(-ka * t))) < 1e-9
    assert d[0] == 0.0 and abs(d[-1] / steady_deficit - 1) < 1e-3


def test_samples_are_unbiased_lognormal() -> None:
    """Grab-sample noise is mean one: many samples average to the true concentration."""
    rng = np.random.default_rng(3)
    c = np.full((200_000, 3), [20.0, 1.0, 0.2])
    s = sample(c, 0.15, rng)
    np.testing.assert_allclose(s.mean(axis=0), [20.0, 1.0, 0.2], rtol=0.005)
    assert np.all(s > 0)


def test_travel_time_is_exact_for_a_rising_flow() -> None:
    """Over reaches whose flow rises along them, the closed-form travel time equals a fine
    numerical integral of dx / U(Q(x)), and extra nodes without load do not change it."""
    from sim.model.river import reach_travel_days

    r = river()
    few = network(r, np.array([3.0]))
    many = network(r, np.linspace(0.5, 19.5, 40))
    x = np.linspace(0.0, 20.0, 200_001)
    q = 1.3 * np.interp(x, [0.0, 7.0, 20.0], [0.5, 0.8, 1.0])
    u = r.velocity_m_s_at_1_m3_s * q ** r.velocity_exponent
    integral = np.trapezoid(1.0 / u, x * 1000.0) / 86_400
    assert abs(reach_travel_days(r, few, 1.3).sum() - integral) < 1e-8 * integral
    assert abs(reach_travel_days(r, many, 1.3).sum() - integral) < 1e-8 * integral


def test_one_pass_for_several_load_sets() -> None:
    """deficits_mg_l over two sets of loads equals deficit_mg_l on each, and follows the reach
    solution `reach_deficit` node by node (bit for bit)."""
    from sim.model.river import deficits_mg_l

    r = river(sod_g_m2_day=0.7)
    rng = np.random.default_rng(5)
    km = rng.uniform(0, 20, 15)
    a, b = rng.uniform(0, 80, (15, 3)), rng.uniform(0, 80, (15, 3))
    net = network(r, km)
    hyd = hydraulics(r, net, 0.6, 8)
    k = decay_rates(r, hyd.temp_c)
    both = deficits_mg_l(r, net, hyd, k, a, b)
    assert np.array_equal(both[0], deficit_mg_l(r, net, hyd, k, a))
    assert np.array_equal(both[1], deficit_mg_l(r, net, hyd, k, b))
    # the same walk written with reach_deficit
    g = a * 1000 / 86400
    fc = fn = fd = 0.0
    expected = np.zeros(len(r.sections))
    for n in range(net.node_km.size):
        fc += float(g[net.source_node == n, 0].sum())
        fn += float(g[net.source_node == n, 1].sum())
        if net.is_section[n] >= 0:
            expected[net.is_section[n]] = fd / hyd.node_flow[n]
        if n == net.node_km.size - 1:
            break
        t = hyd.reach_days[n]
        fd = reach_deficit(fd, r.bod_u_per_cod * fc, r.nitrogen_oxygen_g_per_g * fn,
                           float(k[0]), float(k[1]), hyd.ka_per_day[n],
                           hyd.sod_per_day[n] / hyd.depth_m[n] * hyd.reach_flow[n], t)
        fc *= math.exp(-k[0] * t)
        fn *= math.exp(-k[1] * t)
    np.testing.assert_allclose(both[0], expected, rtol=1e-12)
