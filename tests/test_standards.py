"""GB 3838-2002 classifier against the standard's Table 1 (COD, NH3-N, TP for rivers)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.model.standards import GB3838_LIMITS_MG_L, parameter_class, water_class

# Table 1 of GB 3838-2002, classes I..V, transcribed independently of the module's constant.
TABLE_1 = {
    "cod": [15, 15, 20, 30, 40],
    "nh3n": [0.15, 0.5, 1.0, 1.5, 2.0],
    "tp": [0.02, 0.1, 0.2, 0.3, 0.4],
}


def test_limits_match_table_1() -> None:
    """The module's limits are the standard's class I–V limits."""
    for p, limits in TABLE_1.items():
        assert list(GB3838_LIMITS_MG_L[p]) == limits


@pytest.mark.parametrize("p", list(TABLE_1))
def test_class_at_and_just_above_each_limit(p: str) -> None:
    """A value equal to a class limit is in that class; just above it falls to the next."""
    limits = TABLE_1[p]
    for k, lim in enumerate(limits):
        expected = limits.index(lim) + 1  # COD: 15 is class I (I and II share the limit)
        assert parameter_class(p, lim) == expected
        above = parameter_class(p, lim * 1.001)
        nxt = next((j + 1 for j, v in enumerate(limits) if v > lim), 6)
        assert above == nxt, (p, k)


def test_worse_than_v_is_six() -> None:
    """Anything above the class V limit is class 6 (劣V)."""
    assert water_class(41.0, 0.1, 0.01) == 6
    assert water_class(10.0, 2.01, 0.01) == 6
    assert water_class(10.0, 0.1, 0.41) == 6


def test_worst_parameter_decides() -> None:
    """Single-factor method: the class is the worst of the three parameters."""
    assert water_class(10.0, 0.1, 0.01) == 1
    assert water_class(10.0, 1.2, 0.01) == 4
    assert water_class(25.0, 0.1, 0.25) == 4
    cls = water_class(np.array([10.0, 18.0]), np.array([0.4, 0.4]), np.array([0.15, 0.05]))
    assert cls.tolist() == [3, 3]


DO_FLOORS = [7.5, 6, 5, 3, 2]  # GB 3838-2002 Table 1, classes I..V (lower limits)


def test_do_floors_at_and_just_below() -> None:
    """DO equal to a class floor is in that class; just below it falls to the next; below 2
    mg/L is worse than class V."""
    from sim.model.standards import DO_FLOORS_MG_L, do_class
    assert list(DO_FLOORS_MG_L) == DO_FLOORS
    for k, floor in enumerate(DO_FLOORS):
        assert do_class(floor) == k + 1
        assert do_class(floor - 1e-9) == k + 2
    assert list(do_class(np.array([9.0, 0.0]))) == [1, 6]


def test_do_joins_the_single_factor_class() -> None:
    """Clean COD, NH3-N and TP with DO 2.5 mg/L are class V; without DO, class I."""
    assert water_class(10.0, 0.1, 0.01) == 1
    assert water_class(10.0, 0.1, 0.01, 2.5) == 5
    assert water_class(35.0, 0.1, 0.01, 8.0) == 5


def test_black_smelly_grades() -> None:
    """Urban guideline 2015: light if DO < 2 or NH3-N > 8, heavy if DO < 0.2 or NH3-N > 15,
    the worst indicator deciding."""
    from sim.model.standards import BLACK_SMELLY_GRADES, black_smelly
    do = np.array([5.0, 2.0, 1.99, 0.2, 0.19, 5.0, 5.0, 5.0, 5.0, 1.0])
    nh = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 8.0, 8.01, 15.0, 15.01, 20.0])
    got = BLACK_SMELLY_GRADES[black_smelly(do, nh)].tolist()
    assert got == ["none", "none", "light", "light", "heavy", "none", "light", "light",
                   "heavy", "heavy"]
