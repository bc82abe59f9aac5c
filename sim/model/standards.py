"""GB 3838-2002 surface-water classes (Table 1, basic items), single-factor method.

The class of a sample is the worst class over the assessed parameters; class 6 means worse
than class V (劣V). Limits are upper bounds in mg/L for classes I..V.
Source: GB 3838-2002 Table 1 (research/domain-facts.md §1.1, [S]).
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

# the limits as arrays, made once (read-only)
_LIMITS = {name: np.asarray(limits) for name, limits in GB3838_LIMITS_MG_L.items()}
for _limits in _LIMITS.values():
    _limits.flags.writeable = False


def parameter_class(parameter: str, conc_mg_l: np.ndarray | float) -> np.ndarray:
    """Class (1..6) of one parameter's concentrations: the best class whose limit holds."""
    c = np.asarray(conc_mg_l, dtype=float)
    # searchsorted(side='left') counts limits strictly below c: c <= limit[k] -> class k+1.
    return (_LIMITS[parameter].searchsorted(c, side="left") + 1).astype(np.int8)


def water_class(cod_mg_l: np.ndarray | float, nh3n_mg_l: np.ndarray | float,
                tp_mg_l: np.ndarray | float) -> np.ndarray:
    """Class of each sample: the worst over COD, NH3-N and TP (single-factor method)."""
    worst = np.maximum(parameter_class("cod", cod_mg_l), parameter_class("nh3n", nh3n_mg_l))
    return np.maximum(worst, parameter_class("tp", tp_mg_l))
