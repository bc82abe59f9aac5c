"""Summary measures of a population: pure numpy functions, knowing nothing of the model or tables.

It sits at the bottom of the package, with `sim.files` and `sim.errors`, so that the model
(`sim.model.residents`, the yearly income Gini) and the analysis (`sim.analysis.outcomes`,
the Gini between villages) share one definition without importing each other.
"""

from __future__ import annotations

import numpy as np


def weighted_gini(values: np.ndarray, weights: np.ndarray | None = None) -> float:
    """Gini coefficient of `values` (incomes of any sign) held by units of `weights` persons.

        G = Σ_i Σ_j w_i w_j |y_i − y_j| / (2 W Σ_i w_i |y_i|),   W = Σ_i w_i

    With no negative value, Σ w|y| = W·mean and this is the standard weighted Gini, (mean
    absolute difference) / (2 · mean) = 1 − 2 · (area under the Lorenz curve). With negative
    values (a farm's loss year) the mean is replaced by the mean of |y|: the normalisation of
    Raffinetti, Siletti & Vernizzi (2015, Statistical Methods & Applications 24:507–521), whose
    most unequal population has the losses held by one unit and the gains by another. G then
    stays within [0, 1] (at most (W − min w)/W, as |y_i − y_j| ≤ |y_i| + |y_j|), and a deeper
    loss counts as more inequality rather than being set to 0.

    Computed in O(n log n) from the sorted values: the pairs straddling the gap between the
    k-th and (k+1)-th smallest are C_k (W − C_k) persons apart, C_k = w_1 + … + w_k, so
    Σ_i Σ_j w_i w_j |y_i − y_j| = 2 Σ_k (y_(k+1) − y_(k)) C_k (W − C_k), a sum of terms ≥ 0
    (exactly 0 for equal values, and the order of tied values does not matter).

    Units with a non-finite value or weight, or a weight ≤ 0, are left out; NaN when none is
    left, 0 when every value left is 0.
    """
    y = np.asarray(values, dtype=float)
    w = np.ones_like(y) if weights is None else np.asarray(weights, dtype=float)
    ok = np.isfinite(y) & np.isfinite(w) & (w > 0)
    if not ok.all():
        y, w = y[ok], w[ok]
    if y.size == 0:
        return float("nan")
    absolute = float(np.dot(w, np.abs(y)))
    if absolute == 0.0:
        return 0.0
    order = np.argsort(y)
    y, w = y[order], w[order]
    c = np.cumsum(w)
    total = c[-1]
    c = c[:-1]
    pairs = float(np.dot(np.diff(y), c * (total - c)))
    return float(pairs / (total * absolute))
