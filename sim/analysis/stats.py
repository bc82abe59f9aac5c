"""Confidence intervals for replicate means and for paired and unpaired differences (Student t).

Replicates are independent draws of a run's outcome, so the mean of n has a t interval
mean ± t(0.975, n-1)·s/√n; its half-width shrinks as 1/√n. Under common random numbers,
replicate k of two scenarios share every random stream, so their difference is taken replicate
by replicate (paired): its variance is var(a) + var(b) − 2 cov(a, b), narrower than the
unpaired (Welch) interval when the runs are positively correlated.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

LEVEL = 0.95


@functools.lru_cache(maxsize=4096)
def t_quantile(p: float, df: float) -> float:
    """Student t quantile (scipy imported on first use: it is slow to import)."""
    from scipy import stats

    return float(stats.t.ppf(p, df))


@dataclass(frozen=True)
class Interval:
    """A mean and its confidence interval."""

    n: int
    mean: float
    half_width: float

    @property
    def low(self) -> float:
        return self.mean - self.half_width

    @property
    def high(self) -> float:
        return self.mean + self.half_width


def _clean(values: np.ndarray | list[float]) -> np.ndarray:
    a = np.asarray(values, dtype=float)
    return a[np.isfinite(a)]


def mean_ci(values: np.ndarray | list[float], level: float = LEVEL) -> Interval:
    """The mean of `values` (NaNs dropped) and its t-interval half-width (NaN if n < 2)."""
    a = _clean(values)
    n = int(a.size)
    if n == 0:
        return Interval(0, math.nan, math.nan)
    mean = float(a.mean())
    if n < 2:
        return Interval(n, mean, math.nan)
    t = t_quantile(0.5 + level / 2, n - 1)
    return Interval(n, mean, t * float(a.std(ddof=1)) / math.sqrt(n))


def paired_ci(a: np.ndarray | list[float], b: np.ndarray | list[float],
              level: float = LEVEL) -> Interval:
    """Mean of a − b taken pair by pair, and its t-interval."""
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return mean_ci(x - y, level)


def welch_ci(a: np.ndarray | list[float], b: np.ndarray | list[float],
             level: float = LEVEL) -> Interval:
    """Mean of a minus mean of b as independent samples (Welch–Satterthwaite t-interval)."""
    x, y = _clean(a), _clean(b)
    if x.size < 2 or y.size < 2:
        return Interval(min(x.size, y.size), float(x.mean() - y.mean()) if x.size and y.size
                        else math.nan, math.nan)
    vx, vy = x.var(ddof=1) / x.size, y.var(ddof=1) / y.size
    se = math.sqrt(vx + vy)
    if se == 0:
        return Interval(min(x.size, y.size), float(x.mean() - y.mean()), 0.0)
    df = (vx + vy) ** 2 / (vx**2 / (x.size - 1) + vy**2 / (y.size - 1))
    t = t_quantile(0.5 + level / 2, float(df))
    return Interval(min(x.size, y.size), float(x.mean() - y.mean()), t * se)


def bootstrap_ratio(num: np.ndarray, den: np.ndarray, seed: int = 0, resamples: int = 2000,
                    level: float = LEVEL) -> tuple[float, float, float]:
    """mean(num)/mean(den) over pairs, with a percentile bootstrap interval (resampling pairs
    with a fixed-seed generator, so the interval is reproducible)."""
    x, y = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if x.size == 0 or y.mean() <= 0:
        return math.nan, math.nan, math.nan
    ratio = float(x.mean() / y.mean())
    if x.size < 2:
        return ratio, math.nan, math.nan
    rng = np.random.Generator(np.random.PCG64(seed))
    idx = rng.integers(0, x.size, size=(resamples, x.size))
    dens = y[idx].mean(axis=1)
    nums = x[idx].mean(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = np.where(dens > 0, nums / dens, np.nan)
    ratios = ratios[np.isfinite(ratios)]
    if ratios.size == 0:
        return ratio, math.nan, math.nan
    lo, hi = np.quantile(ratios, [(1 - level) / 2, (1 + level) / 2])
    return ratio, float(lo), float(hi)


__all__ = ["Interval", "bootstrap_ratio", "mean_ci", "paired_ci", "welch_ci"]
