"""Whole runs: reproducibility, invariants, levers' effects and direction tests."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from sim.model.simulation import TABLES, run
from sim.scenario.load import load_scenario
from sim.scenario.schema import Scenario

from .conftest import SCENARIOS, bundled


def frames_equal(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> bool:
    try:
        for name in TABLES:
            pd.testing.assert_frame_equal(a[name], b[name], check_exact=True)
    except AssertionError:
        return False
    return True


def test_same_seed_same_tables(as_reported_short: Scenario) -> None:
    """A run is a pure function of (scenario, seed, replicate): two runs are identical."""
    a = run(as_reported_short, 11, 3).tables
    b = run(as_reported_short, 11, 3).tables
    assert frames_equal(a, b)


def test_other_seed_or_replicate_differs(as_reported_short: Scenario) -> None:
    """A different seed, or another replicate, gives different tables."""
    a = run(as_reported_short, 11, 0).tables
    assert not frames_equal(a, run(as_reported_short, 12, 0).tables)
    assert not frames_equal(a, run(as_reported_short, 11, 1).tables)


def test_tables_have_the_contract_columns(as_reported_short: Scenario) -> None:
    """Every table has scenario, replicate, date (first of month); the named columns exist."""
    t = run(as_reported_short, 1, 0).tables
    for name in TABLES:
        assert {"scenario", "replicate", "date"} <= set(t[name].columns), name
    for name in ("township", "villages", "sections"):
        assert (t[name]["date"].dt.day == 1).all()
    assert {"section", "cod_mg_l", "nh3n_mg_l", "tp_mg_l", "water_class", "meets_target"} <= set(
        t["sections"].columns)
    need = {f"{p}_kg_{s}" for p in ("cod", "nh3n", "tp") for s in ("workshops", "households")}
    need |= {"sections_meeting_target_share", "workshops_open", "workshops_connected",
             "workshop_jobs", "income_per_capita_yuan", "public_spending_yuan"}
    assert need <= set(t["township"].columns)
    assert len(t["township"]) == 30  # Jan 2023 .. Jun 2025
    assert t["sections"]["water_class"].between(1, 6).all()


def test_loads_are_non_negative_and_sum_by_village(as_reported_short: Scenario) -> None:
    """Loads are never negative; households' township load is the sum over villages."""
    t = run(as_reported_short, 2, 0).tables
    tw, vi = t["township"], t["villages"]
    load_cols = [c for c in tw.columns if "_kg_" in c]
    assert (tw[load_cols] >= 0).all().all()
    by_month = vi.groupby("date")["cod_kg_households"].sum().to_numpy()
    np.testing.assert_allclose(by_month, tw["cod_kg_households"].to_numpy())


def test_as_reported_levers_fire(as_reported_short: Scenario) -> None:
    """3 unlicensed workshops close in March 2024, 9 connect when the plant opens in July 2024."""
    t = run(as_reported_short, 3, 0).tables
    tw = t["township"].set_index("date")
    assert tw.loc["2024-02-01", "workshops_open"] == 12
    assert tw.loc["2024-03-01", "workshops_open"] == 9
    assert tw.loc["2024-06-01", "workshops_connected"] == 0
    assert tw.loc["2024-07-01", "workshops_connected"] == 9
    ev = t["events"]
    assert sorted(ev.loc[ev.kind == "closure", "subject"]) == ["W01", "W02", "W03"]
    assert (ev.kind == "facility_online").sum() == 1
    # laid-off workers look for jobs; spending covers compensation and construction
    assert tw.loc["2024-03-01", "job_seekers"] > 0
    assert tw["public_spending_yuan_closures"].sum() == 3 * 100_000
    # the operator finances the plant (recovered through the fee); the township pays the pipes
    assert tw["public_spending_yuan_shared_facility"].sum() == pytest.approx(9 * 50_000)


def test_township_financed_plant_is_not_paid_twice() -> None:
    """If the township pays the capex, it is public spending and the fee drops to the
    operating share of the unit cost (capital is not recovered twice)."""
    def month(extra: list[str]) -> tuple[pd.Series, pd.DataFrame]:
        s = load_scenario(SCENARIOS / "as_reported.yaml", ["end_date=2024-12-31", *extra])
        tw = run(s, 1, 0).tables["township"]
        return tw.set_index("date").loc["2024-12-01"], tw

    op, op_tw = month([])
    tp, tp_tw = month(["levers.shared_facility.capex_paid_by=township"])
    assert tp["facility_fee_yuan_per_m3"] == pytest.approx(0.6 * op["facility_fee_yuan_per_m3"])
    extra = (tp_tw["public_spending_yuan_shared_facility"].sum()
             - op_tw["public_spending_yuan_shared_facility"].sum())
    assert extra == pytest.approx(6000 * 100)


def test_closing_workshops_never_raises_loads(no_transition_short: Scenario) -> None:
    """Direction: closing workshops lowers workshops' load and never raises any section's mean."""
    base = run(no_transition_short, 5, 0).tables
    closed = load_scenario(SCENARIOS / "no_transition.yaml",
                           ["end_date=2025-06-30", "levers.closures.date=2023-06-01",
                            "levers.closures.workshops=[W01, W05, W09]"])
    alt = run(closed, 5, 0).tables
    assert (alt["township"]["cod_kg_workshops"] <= base["township"]["cod_kg_workshops"]).all()
    assert (alt["township"]["cod_kg_workshops"].iloc[-1]
            < base["township"]["cod_kg_workshops"].iloc[-1])
    for p in ("cod", "nh3n", "tp"):
        assert (alt["sections"][f"{p}_mg_l_mean"]
                <= base["sections"][f"{p}_mg_l_mean"] + 1e-12).all()


def test_self_treatment_lowers_loads_and_costs_money() -> None:
    """Enforcing self-treatment cuts workshops' loads by the removal share and costs them."""
    s = load_scenario(SCENARIOS / "no_transition.yaml",
                      ["end_date=2023-12-31", "levers.discharge_enforcement.date=2023-01-01"])
    t = run(s, 1, 0).tables["township"]
    b = run(bundled("no_transition", "2023-12-31"), 1, 0).tables["township"]
    np.testing.assert_allclose(t["cod_kg_workshops"], b["cod_kg_workshops"] * (1 - 0.72))
    assert (t["self_treatment_cost_yuan"] > 0).all() and (t["workshops_self_treating"] == 12).all()


def test_outages_bypass_untreated() -> None:
    """With outages all the time the plant removes nothing; with none it removes its share."""
    def loads(extra: list[str]) -> float:
        s = load_scenario(SCENARIOS / "as_reported.yaml", ["end_date=2025-12-31", *extra])
        tw = run(s, 4, 0).tables["township"]
        return float(tw.loc[tw.date >= "2025-01-01", "cod_kg_workshops"].sum())

    none = loads(["levers.shared_facility.outages_per_year=0"])
    always = loads(["levers.shared_facility.outages_per_year=365",
                    "levers.shared_facility.outage_mean_days=1000"])
    assert always > none * 5


def test_over_capacity_overflows() -> None:
    """Inflow above capacity bypasses: a plant of half the needed size treats about half."""
    s = load_scenario(SCENARIOS / "as_reported.yaml",
                      ["end_date=2024-12-31", "levers.shared_facility.capacity_m3_per_day=27",
                       "levers.shared_facility.outages_per_year=0"])
    tw = run(s, 1, 0).tables["township"]
    assert tw["facility_overflow_share"].iloc[-1] == pytest.approx(0.5)


def test_connected_workshops_save_on_treatment() -> None:
    """Connected workshops pay less per m³ than treating alone: about 40 % (30–50 %)."""
    tw = run(bundled("as_reported", "2025-06-30"), 1, 0).tables["township"]
    saving = tw["connected_saving_share"].dropna()
    assert len(saving) > 0
    assert 0.30 <= saving.mean() <= 0.50
    # ... and it is an outcome of scale economies: with b = 1 the saving turns negative (margin)
    flat = load_scenario(SCENARIOS / "as_reported.yaml",
                         ["end_date=2025-06-30", "treatment_costs.scale_exponent=1"])
    flat_saving = run(flat, 1, 0).tables["township"]["connected_saving_share"].dropna()
    assert (flat_saving < 0).all()


def test_recorder_fixed_columns_copies_and_sizes() -> None:
    """Fixed columns repeat in every block; recorded arrays are copies; a block of another size
    than the fixed columns is refused."""
    from datetime import date

    from sim.model.recorder import Recorder

    rec = Recorder("s", 3)
    rec.fixed("t", name=["a", "b"], km=[0.0, 1.5])
    live = np.array([1.0, 2.0])
    rec.rows("t", date(2024, 1, 1), 2, x=live, flag=True)
    live[:] = 9.0  # the model mutates its state afterwards; the table must not change
    rec.rows("t", date(2024, 2, 1), 2, x=live, flag=False)
    df = rec.frame("t")
    assert list(df.columns) == ["scenario", "replicate", "date", "name", "km", "x", "flag"]
    assert df["name"].tolist() == ["a", "b", "a", "b"] and df["km"].tolist() == [0, 1.5, 0, 1.5]
    assert df["x"].tolist() == [1.0, 2.0, 9.0, 9.0]
    assert df["date"].dt.month.tolist() == [1, 1, 2, 2] and df["replicate"].eq(3).all()
    with pytest.raises(ValueError, match="3 rows, but its fixed columns have 2"):
        rec.rows("t", date(2024, 3, 1), 3, x=np.zeros(3), flag=True)


def test_recorder_blocks_keep_types_grow_and_refuse_bad_blocks() -> None:
    """Blocks are kept in buffers that grow as needed; a column's type is what concatenating
    its blocks would give; scalars repeat; a block with a bad column is refused whole."""
    from datetime import date

    from sim.model.recorder import Recorder

    rec = Recorder("s", 0)
    days = [date(2000 + i // 12, i % 12 + 1, 1) for i in range(100)]
    for i, day in enumerate(days):  # past the buffers' first size
        x = np.arange(3) + 3 * i if i < 50 else np.arange(3) + 3 * i + 0.5  # ints, then floats
        rec.rows("t", day, 3, x=x, k=i, name=["a", "bb", "c"] if i else ["a", "b", "c"])
    with pytest.raises(ValueError, match="column x: shape"):
        rec.rows("t", date(2010, 1, 1), 3, x=np.zeros(2), k=0, name=["a", "b", "c"])
    with pytest.raises(ValueError, match="columns changed"):
        rec.rows("t", date(2010, 1, 1), 3, x=np.zeros(3), k=0)
    df = rec.frame("t")
    assert len(df) == 300 and df["x"].dtype == np.float64 and df["k"].dtype == np.int64
    assert df["x"].tolist() == [*range(150), *(v + 0.5 for v in range(150, 300))]
    assert df["k"].tolist() == [i for i in range(100) for _ in range(3)]
    assert df["name"].tolist()[:6] == ["a", "b", "c", "a", "bb", "c"]
    assert df["date"].iloc[-1] == pd.Timestamp(days[-1])
    # blocks of different sizes, without fixed columns
    rec.rows("u", days[0], 2, y=np.ones(2))
    rec.rows("u", days[1], 1, y=np.zeros(1))
    assert rec.frame("u")["date"].tolist() == [pd.Timestamp(days[0])] * 2 + [pd.Timestamp(days[1])]


def test_recorder_later_columns_are_filled_at_the_end() -> None:
    """A column recorded as LATER keeps its place and takes the values `fill` gives for all
    blocks, worked out from the recorded columns (`block`, read-only)."""
    from datetime import date

    from sim.model.recorder import LATER, Recorder

    rec = Recorder("s", 0)
    rec.fixed("t", name=["a", "b"])
    for m in range(1, 4):
        rec.rows("t", date(2024, m, 1), 2, x=np.array([m, 10.0 * m]), twice=LATER, flag=True)
    x = rec.block("t", "x")
    assert x.shape == (3, 2) and not x.flags.writeable
    with pytest.raises(ValueError, match="twice: recorded as LATER but not filled"):
        rec.frame("t")
    with pytest.raises(ValueError, match="twice: shape"):
        rec.fill("t", twice=np.zeros(5))
    with pytest.raises(ValueError, match="x: recorded, not LATER"):
        rec.fill("t", x=np.zeros(6))
    with pytest.raises(ValueError, match="twice: LATER in some blocks only"):
        rec.rows("t", date(2024, 4, 1), 2, x=np.zeros(2), twice=np.zeros(2), flag=True)
    rec.fill("t", twice=2 * x)
    df = rec.frame("t")
    assert list(df.columns) == ["scenario", "replicate", "date", "name", "x", "twice", "flag"]
    assert df["twice"].tolist() == [2.0, 20.0, 4.0, 40.0, 6.0, 60.0]
    assert df["flag"].all() and len(df) == 6
    rec.row("r", date(2024, 1, 1), y=1.0)
    with pytest.raises(ValueError, match="LATER is for block tables"):
        rec.row("r", date(2024, 2, 1), y=LATER)
    with pytest.raises(ValueError, match="fixed columns must come before its rows"):
        rec.fixed("r", name=["a"])


def test_ledger_reads_a_month_in_entry_order() -> None:
    """Spending scheduled ahead is counted in its own month, summed in the order entered."""
    from sim.model.books import Ledger

    ledger = Ledger(date(2024, 1, 1))
    ledger.post(40.0, "compensation", 0.1)   # paid next month, entered first
    ledger.post(5.0, "compensation", 0.2)
    ledger.post(31.0, "compensation", 0.3)
    ledger.post(5.0, "councils", 7.0)
    ledger.post(30.999, "compensation", 1e16)
    ledger.post(5.0, "fine", 9.0)  # not the township's: no spending
    assert ledger.spending_between(0.0, 31.0) == {"closures": 0.2 + 1e16, "councils": 7.0}
    # entry order, not time order
    assert ledger.spending_between(31.0, 59.0) == {"closures": 0.1 + 0.3}
    assert ledger.spending_between(59.0, 90.0) == {}
    frame = ledger.frame("s", 0)
    assert frame["date"].is_monotonic_increasing and len(frame) == 6
