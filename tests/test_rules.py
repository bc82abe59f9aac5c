"""Pure rules: treatment costs, closure targets, households' month, time-weighted status."""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model.households import (
    NO_EMPLOYER,
    build_households,
    hire,
    household_month,
    household_month_one,
    income_index,
    lay_off,
    pay_villages,
    sewage_load_kg_per_day,
)
from sim.model.statuslog import StatusLog
from sim.model.workshops import (
    SettlementMemo,
    WorkshopAgent,
    WorkshopMonth,
    closure_targets,
    settle_workshops,
    shared_fee_yuan_per_m3,
    should_close_for_losses,
    unit_cost_yuan_per_m3,
)
from sim.model.world import allocate, build_villages
from sim.scenario.schema import Income, Scenario, Treatment, TreatmentCosts, default_workshops


def test_unit_cost_scales_as_power_law() -> None:
    """Cost per m³ is u_ref at Q_ref and falls as Q^(b-1) with volume."""
    c = TreatmentCosts()
    u_ref = c.unit_cost_yuan_per_m3_at_reference
    assert unit_cost_yuan_per_m3(c.reference_flow_m3_per_day, c) == u_ref
    ratio = unit_cost_yuan_per_m3(120.0, c) / unit_cost_yuan_per_m3(10.0, c)
    assert abs(ratio - 12 ** (c.scale_exponent - 1)) < 1e-12  # 12^-0.2 ≈ 0.61 (research §4.4)


def test_pooling_lowers_everyones_cost_without_margin() -> None:
    """A shared plant's cost per m³ is below each member's own cost (b < 1, no margin)."""
    c = TreatmentCosts()
    flows = [3.0, 6.0, 12.0, 12.0]
    fee = shared_fee_yuan_per_m3(sum(flows), c, 0.0)
    assert all(fee < unit_cost_yuan_per_m3(q, c) for q in flows)
    # with b = 1 there are no scale economies and no saving
    flat = TreatmentCosts(scale_exponent=1.0)
    assert shared_fee_yuan_per_m3(sum(flows), flat, 0.0) == unit_cost_yuan_per_m3(3.0, flat)


def _agents() -> list[WorkshopAgent]:
    return [WorkshopAgent(index=i, spec=w, river_km=1.0, owner=0,
                          log=StatusLog(0.0, Treatment.DISCHARGING))
            for i, w in enumerate(default_workshops())]


def test_closure_rule_unlicensed_picks_the_three() -> None:
    """The 'unlicensed' rule selects exactly the account's 3 unlicensed workshops."""
    chosen = closure_targets(_agents(), (), "unlicensed", None)
    assert [a.id for a in chosen] == ["W01", "W02", "W03"]


def test_closure_by_load_and_by_id() -> None:
    """A COD-load rule picks workshops above the threshold; ids are added; closed ones skipped."""
    agents = _agents()
    big = closure_targets(agents, (), "cod_load_above", 30.0)
    assert all(a.raw_load_kg_per_day()[0] > 30.0 for a in big) and big
    agents[0].log.set(1.0, Treatment.CLOSED)
    chosen = closure_targets(agents, ("W01", "W12"), "none", None)
    assert [a.id for a in chosen] == ["W12"]


def test_loss_streak_rule() -> None:
    """A workshop closes only once the loss streak reaches the limit."""
    assert not should_close_for_losses(11, 12)
    assert should_close_for_losses(12, 12)


def test_income_index_reference_and_growth() -> None:
    """Level is 1 mid-reference-year and grows by (1+g) a year near term, long-run after."""
    inc = Income()
    assert abs(income_index(inc, 2024.5) - 1.0) < 1e-12
    assert abs(income_index(inc, 2025.5) / income_index(inc, 2024.5) - 1.06) < 1e-9
    assert abs(income_index(inc, 2031.5) / income_index(inc, 2030.5) - 1.045) < 1e-9
    assert abs(income_index(inc, 2023.5) - 1 / 1.06) < 1e-9


def _households(n: int = 500) -> tuple[Scenario, object]:
    sc = Scenario(name="t", township={"households": n})  # type: ignore[arg-type]
    v = build_villages(sc)
    return sc, build_households(sc, v, np.random.default_rng(0))


def test_array_and_one_by_one_household_month_agree() -> None:
    """The vectorised rule and the one-household reference give identical incomes and state."""
    sc, hh_a = _households()
    _, hh_b = _households()
    rng = np.random.default_rng(5)
    hire(hh_a, 0, 40, 3, 3500.0, np.random.default_rng(1))  # type: ignore[arg-type]
    hire(hh_b, 0, 40, 3, 3500.0, np.random.default_rng(1))  # type: ignore[arg-type]
    lay_off(hh_a, 0)  # type: ignore[arg-type]
    lay_off(hh_b, 0)  # type: ignore[arg-type]
    for _ in range(6):
        noise, unif = rng.standard_normal(500), rng.random(500)
        a = household_month(hh_a, slice(None), 1.1, sc.income, noise, unif)  # type: ignore[arg-type]
        b = [household_month_one(hh_b, i, 1.1, sc.income, noise[i], unif[i])  # type: ignore[arg-type]
             for i in range(500)]
        np.testing.assert_allclose(a, b, rtol=1e-12)
    np.testing.assert_array_equal(hh_a.seeking, hh_b.seeking)  # type: ignore[attr-defined]


def test_lay_off_and_reemployment() -> None:
    """Laid-off workers earn no wage until they find a job; with certainty they find one."""
    sc, hh = _households()
    workers = hire(hh, 2, 10, 0, 3500.0, np.random.default_rng(2))  # type: ignore[arg-type]
    assert (hh.employer[workers] == 2).all()  # type: ignore[attr-defined]
    assert lay_off(hh, 2) == 10  # type: ignore[arg-type]
    assert (hh.employer == NO_EMPLOYER).all() and hh.seeking.sum() == 10  # type: ignore[attr-defined]
    inc = Income(reemployment_prob_per_month=1.0)
    household_month(hh, slice(None), 1.0, inc, np.zeros(500), np.full(500, 0.5))  # type: ignore[arg-type]
    assert hh.seeking.sum() == 0  # type: ignore[attr-defined]
    assert np.allclose(hh.wage_yuan_per_month[workers], 3500.0 * inc.new_job_wage_share)  # type: ignore[attr-defined]


def test_household_sewage_by_hand() -> None:
    """1,000 persons × 80 L × 0.6 × 300 mg/L × entry 0.3 = 4.32 kg COD/day."""
    sc = Scenario(name="t")
    v = build_villages(sc)
    persons = np.zeros(v.count)
    persons[0] = 1000
    load = sewage_load_kg_per_day(sc, v, persons)
    assert abs(load[0, 0] - 1000 * 80 * 0.6 * 300 / 1e6 * 0.3) < 1e-9
    assert np.all(load[1:] == 0)


@given(total=st.integers(0, 10_000), shares=st.lists(st.floats(0.01, 1.0), min_size=1, max_size=30))
@settings(max_examples=100, deadline=None)
def test_allocate_sums_and_is_proportional(total: int, shares: list[float]) -> None:
    """Largest-remainder allocation sums to the total and is within one of proportional."""
    s = np.asarray(shares)
    counts = allocate(total, s)
    assert counts.sum() == total
    assert np.all(np.abs(counts - s / s.sum() * total) < 1.0 + 1e-9)


@given(changes=st.lists(st.tuples(st.floats(0, 100), st.sampled_from("abc")), max_size=20),
       t0=st.floats(0, 100), span=st.floats(0, 50))
@settings(max_examples=100, deadline=None)
def test_status_log_days_partition_the_interval(changes: list[tuple[float, str]], t0: float,
                                                span: float) -> None:
    """Days spent in each state over [t0, t1) add up to t1 - t0, and `at` agrees with the log."""
    log: StatusLog[str] = StatusLog(0.0, "a")
    for t, s in sorted(changes):
        log.set(t, s)
    t1 = t0 + span
    total = sum(log.days_in(s, t0, t1) for s in "abc")
    assert abs(total - span) < 1e-9
    if span > 1e-6:
        assert log.days_in(log.at(t0), t0, t0 + 1e-6) > 0


def _same_month(a: WorkshopMonth, b: WorkshopMonth) -> bool:
    """Bit for bit the same figures (NaN equal to NaN)."""
    for f in dataclasses.fields(WorkshopMonth):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray):
            if x.shape != y.shape or x.tobytes() != y.tobytes():
                return False
        elif x != y and not (x != x and y != y):
            return False
    return True


def test_memoised_settlement_is_the_settlement_worked_out_afresh() -> None:
    """Months settled with a memo equal months worked out from scratch, bit for bit, through
    status changes at month starts, mid-month and around the sampling day, plant outages and
    varying month lengths; and what it hands out shares no array or list with the memo."""
    costs = TreatmentCosts()
    agents, fresh_agents = _agents(), _agents()
    memo = SettlementMemo(agents, costs)
    removal = np.array([0.9, 0.8, 0.7])
    changes = {3: (1, Treatment.SELF_TREATING), 5: (2, Treatment.CONNECTED),
               6: (3, Treatment.CONNECTED), 8: (0, Treatment.CLOSED), 11: (4, Treatment.CONNECTED),
               13: (5, Treatment.SELF_TREATING)}
    t0, hits = 0.0, 0
    for month in range(24):
        days = (31.0, 30.0, 28.0, 31.0)[month % 4]
        t1 = t0 + days
        if month in changes:  # a change on day 10 of the month (or at its start when month % 3)
            k, status = changes[month]
            for group in (agents, fresh_agents):
                group[k].log.set(t0 if month % 3 else t0 + 10.0, status)
        sample_t = t0 + (5.0 if month % 2 else 20.0)
        if month == 13:  # sampled the day before its change (and the month's start)
            sample_t = t0 - 1.0
        down_share = (0.0, 0.25, 0.0)[month % 3]
        args = (t0, t1, sample_t, costs, removal if month >= 5 else None, 40.0, 0.1, 0.8,
                down_share, month % 5 == 0)
        hits += memo.key(t0, t1, sample_t, args[4], 40.0, 0.1, 0.8) in memo.months
        got = settle_workshops(agents, *args, memo=memo)
        assert _same_month(got, settle_workshops(fresh_agents, *args))
        got.loads_kg += 1.0
        got.outfall_kg += 1.0
        got.savings.append(0.0)
        got.profits.clear()
        assert _same_month(settle_workshops(agents, *args, memo=memo),
                           settle_workshops(fresh_agents, *args))
        t0 = t1
    assert hits > 5  # the memo did serve months


def test_status_log_days_in_a_constant_interval() -> None:
    """After the last change, days in a state are the interval's length or nothing."""
    log: StatusLog[str] = StatusLog(0.0, "a")
    log.set(3.5, "b")
    assert log.days_in("b", 3.5, 34.5) == 31.0 and log.days_in("a", 3.5, 34.5) == 0.0
    assert log.days_in("b", 40.0, 40.0) == 0.0 and log.days_in("a", 0.0, 10.0) == 3.5


def test_pay_villages_adds_each_village_its_share() -> None:
    """Every household gets its village's share divided among the village's households
    (villages with no share get nothing), whether households are stored village by village
    (spread by repeating) or not (spread by indexing)."""
    _, hh = _households()
    _, shuffled = _households()
    nv = int(hh.village.max()) + 1
    rng = np.random.default_rng(11)
    before = rng.normal(0.0, 100.0, hh.count)
    share = np.where(rng.random(nv) < 0.4, rng.random(nv), 0.0)
    share[0] = 0.7  # at least one paying village
    counts = np.bincount(hh.village, minlength=nv)
    expected = before + (12_345.0 * share / share.sum() / counts)[hh.village]
    hh.extra_yuan[:] = before
    pay_villages(hh, 12_345.0, share)  # type: ignore[arg-type]
    np.testing.assert_array_equal(hh.extra_yuan, expected)  # type: ignore[attr-defined]
    order = np.random.default_rng(3).permutation(hh.count)  # type: ignore[attr-defined]
    shuffled.village = hh.village[order]  # type: ignore[attr-defined]
    shuffled.extra_yuan = before[order]  # type: ignore[attr-defined]
    pay_villages(shuffled, 12_345.0, share)  # type: ignore[arg-type]
    np.testing.assert_array_equal(shuffled.extra_yuan, expected[order])  # type: ignore[attr-defined]
