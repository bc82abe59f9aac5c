"""The villages' ranking: all months at once gives each month's ranks as ranking it alone."""

from __future__ import annotations

import numpy as np

from sim.archive import village_ranks


def test_village_ranks_of_all_months_at_once() -> None:
    """Ranking (months × villages) at once gives each month's ranks as ranking it alone (ties,
    NaN and -0.0 included)."""
    rng = np.random.default_rng(3)
    months, n = 40, 23
    sorting = rng.integers(0, 4, (months, n)) / 4.0
    sorting[0, :5] = -0.0
    burning = rng.integers(0, 3, (months, n)) / np.maximum(rng.integers(0, 3, (months, n)), 1)
    unresolved = rng.integers(0, 3, (months, n)).astype(float)
    cod = np.where(rng.random((months, n)) < 0.1, np.nan, rng.integers(0, 5, (months, n)) * 0.5)
    together = village_ranks(sorting, burning, unresolved, cod)
    for m in range(months):
        alone = village_ranks(sorting[m], burning[m], unresolved[m], cod[m])
        for a, b in zip(alone, together, strict=True):
            assert a.dtype == b.dtype and np.array_equal(a, b[m])
