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
