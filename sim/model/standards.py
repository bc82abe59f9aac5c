"""GB 3838-2002 surface-water classes (Table 1, basic items), single-factor method, and the
black-and-smelly grades of a section-month.

The class of a sample is the worst class over the assessed parameters; class 6 means worse
than class V (劣V). Limits are upper bounds in mg/L for classes I..V; dissolved oxygen has lower
bounds (floors). Source: GB 3838-2002 Table 1 (research/domain-facts.md §1.1 and
river-facts.md §2, [S]).

Black and smelly (黑臭): the urban guideline's grades (城市黑臭水体整治工作指南, MOHURD and
MEP 2015; river-facts.md §1.1, [S]) by its DO and NH3-N thresholds, the worst indicator deciding:
heavy if DO < 0.2 or NH3-N > 15 mg/L, light if DO < 2 or NH3-N > 8, otherwise none.
Transparency and ORP are not modelled and so never decide a grade. The rural guideline
(农村黑臭水体治理工作指南, 2019 trial, revised 2024) has no grades; its "any one" test (DO < 2,
NH3-N > 15, transparency < 25 cm) is covered by "light or worse" for DO and NH3-N.
"""

from __future__ import annotations

import numpy as np

#: Upper limits (mg/L) for classes I, II, III, IV, V. GB 3838-2002 Table 1 [S].
GB3838_LIMITS_MG_L: dict[str, tuple[float, float, float, float, float]] = {
    "cod": (15.0, 15.0, 20.0, 30.0, 40.0),
    "nh3n": (0.15, 0.5, 1.0, 1.5, 2.0),
    "tp": (0.02, 0.1, 0.2, 0.3, 0.4),  # rivers
}

WORSE_THAN_V = 6

#: Lower limits (mg/L) of DO for classes I, II, III, IV, V. GB 3838-2002 Table 1 [S]
#: (class I: 7.5 or 90 % saturation; the saturation alternative is not used).
DO_FLOORS_MG_L = (7.5, 6.0, 5.0, 3.0, 2.0)
_DO_FLOORS_DESCENDING = np.asarray(DO_FLOORS_MG_L)

#: Black-and-smelly grades (urban guideline 2015): DO below, NH3-N above these, mg/L [S].
BLACK_SMELLY_LIGHT = {"do": 2.0, "nh3n": 8.0}
BLACK_SMELLY_HEAVY = {"do": 0.2, "nh3n": 15.0}
BLACK_SMELLY_GRADES = np.array(["none", "light", "heavy"])

# the limits as arrays, made once (read-only)
_LIMITS = {name: np.asarray(limits) for name, limits in GB3838_LIMITS_MG_L.items()}
for _limits in _LIMITS.values():
    _limits.flags.writeable = False


def parameter_class(parameter: str, conc_mg_l: np.ndarray | float) -> np.ndarray:
    """Class (1..6) of one parameter's concentrations: the best class whose limit holds."""
    c = np.asarray(conc_mg_l, dtype=float)
    # searchsorted(side='left') counts limits strictly below c: c <= limit[k] -> class k+1.
    return (_LIMITS[parameter].searchsorted(c, side="left") + 1).astype(np.int8)


def do_class(do_mg_l: np.ndarray | float) -> np.ndarray:
    """Class (1..6) by dissolved oxygen: the best class whose floor the value reaches."""
    d = np.asarray(do_mg_l, dtype=float)
    # floors descend: the number of floors above d is the class minus one
    return (np.count_nonzero(d[..., None] < _DO_FLOORS_DESCENDING, axis=-1) + 1).astype(np.int8)


def water_class(cod_mg_l: np.ndarray | float, nh3n_mg_l: np.ndarray | float,
                tp_mg_l: np.ndarray | float, do_mg_l: np.ndarray | float | None = None
                ) -> np.ndarray:
    """Class of each sample: the worst over COD, NH3-N, TP and (if given) DO (single-factor
    method)."""
    worst = np.maximum(parameter_class("cod", cod_mg_l), parameter_class("nh3n", nh3n_mg_l))
    worst = np.maximum(worst, parameter_class("tp", tp_mg_l))
    return worst if do_mg_l is None else np.maximum(worst, do_class(do_mg_l))


def black_smelly(do_mg_l: np.ndarray | float, nh3n_mg_l: np.ndarray | float) -> np.ndarray:
    """Grade 0 (none), 1 (light) or 2 (heavy) of each value pair, the worst indicator
    deciding; `BLACK_SMELLY_GRADES[grade]` names it."""
    d = np.asarray(do_mg_l, dtype=float)
    n = np.asarray(nh3n_mg_l, dtype=float)
    heavy = (d < BLACK_SMELLY_HEAVY["do"]) | (n > BLACK_SMELLY_HEAVY["nh3n"])
    light = (d < BLACK_SMELLY_LIGHT["do"]) | (n > BLACK_SMELLY_LIGHT["nh3n"])
    return np.where(heavy, 2, np.where(light, 1, 0)).astype(np.int8)
