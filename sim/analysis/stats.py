"""Every interval greensim reports: one module, from scipy, used by `compare`, the report and
`run --precision` alike, so the same data always gets the same interval.

- **Means across replicates** (`mean_ci`): Student t, `scipy.stats.t.interval` at n − 1 degrees
  of freedom. Replicates are independent runs, so this is the textbook interval; with few
  replicates it is wide, as it should be (n = 2: t = 12.7).
- **Bounded quantities** (a share in 0–1, a score in 0–100, a count ≥ 0): the same t interval
  intersected with the quantity's bounds. The true mean lies inside the bounds, so cutting the
  interval there never excludes it: the coverage is the t interval's own, and a share's
  interval never runs past 100 %.
- **Differences under common random numbers** (`paired_ci`): replicate k of a policy and of its
  base share every random stream, so the difference is taken replicate by replicate and its t
  interval is narrower than the unpaired Welch interval (`welch_ci`, shown for contrast) when
  the runs are positively correlated.
- **Ratios of paired differences** (`paired_ratio`, e.g. cost per tonne of COD avoided):
  `scipy.stats.bootstrap` over the replicate pairs (paired, BCa), defined only when the
  denominator's own t interval lies wholly above zero; otherwise "not defined" with the reason
  (no clear reduction), never a finite figure made from the resamples that happen to be
  positive.
"""

from __future__ import annotations

import functools
import math
import warnings
from dataclasses import dataclass

import numpy as np

LEVEL = 0.95
Bounds = tuple[float | None, float | None]
UNBOUNDED: Bounds = (None, None)
NOT_DEFINED = "not defined: no clear reduction (the denominator's 95 % interval reaches zero)"


@functools.lru_cache(maxsize=4096)
def t_quantile(p: float, df: float) -> float:
    """Student t quantile (scipy imported on first use: it is slow to import)."""
    from scipy import stats

    return float(stats.t.ppf(p, df))


@dataclass(frozen=True)
class Interval:
    """A mean and its confidence interval [low, high]; `half_width` is the t interval's
    half-width before any bounds cut it (the precision of the mean)."""

    n: int
    mean: float
    half_width: float
    low: float
    high: float


def _clean(values: np.ndarray | list[float]) -> np.ndarray:
    a = np.asarray(values, dtype=float)
    return a[np.isfinite(a)]


def _bounded(n: int, mean: float, half: float, bounds: Bounds) -> Interval:
    lo, hi = mean - half, mean + half
    if bounds[0] is not None:
        lo = max(lo, bounds[0])
    if bounds[1] is not None:
        hi = min(hi, bounds[1])
    return Interval(n, mean, half, lo, hi)


def mean_ci(values: np.ndarray | list[float], level: float = LEVEL,
            bounds: Bounds = UNBOUNDED) -> Interval:
    """The mean of `values` (non-finite values dropped) and its t interval, cut at `bounds`
    (NaN interval if n < 2)."""
    a = _clean(values)
    n = int(a.size)
    if n == 0:
        return Interval(0, math.nan, math.nan, math.nan, math.nan)
    mean = float(a.mean())
    if n < 2:
        return Interval(n, mean, math.nan, math.nan, math.nan)
    sd = float(a.std(ddof=1))
    half = 0.0 if sd == 0 else t_quantile(0.5 + level / 2, n - 1) * sd / math.sqrt(n)
    return _bounded(n, mean, half, bounds)


def paired_ci(a: np.ndarray | list[float], b: np.ndarray | list[float],
              level: float = LEVEL) -> Interval:
    """Mean of a − b taken pair by pair, and its t interval."""
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return mean_ci(x - y, level)


def welch_ci(a: np.ndarray | list[float], b: np.ndarray | list[float],
             level: float = LEVEL) -> Interval:
    """Mean of a minus mean of b as independent samples (Welch–Satterthwaite t interval)."""
    x, y = _clean(a), _clean(b)
    n = min(x.size, y.size)
    if x.size < 2 or y.size < 2:
        mean = float(x.mean() - y.mean()) if x.size and y.size else math.nan
        return Interval(n, mean, math.nan, math.nan, math.nan)
    mean = float(x.mean() - y.mean())
    vx, vy = x.var(ddof=1) / x.size, y.var(ddof=1) / y.size
    se = math.sqrt(vx + vy)
    if se == 0:
        return Interval(n, mean, 0.0, mean, mean)
    df = (vx + vy) ** 2 / (vx**2 / (x.size - 1) + vy**2 / (y.size - 1))
    return _bounded(n, mean, t_quantile(0.5 + level / 2, float(df)) * se, UNBOUNDED)


@dataclass(frozen=True)
class RatioEstimate:
    """A ratio of paired mean differences with its bootstrap interval, or why it has none."""

    n: int
    value: float
    low: float
    high: float
    note: str = ""  # empty when defined; else why not (e.g. NOT_DEFINED)

    @property
    def defined(self) -> bool:
        return math.isfinite(self.value)


def _ratio_of_means(num: np.ndarray, den: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.mean(num, axis=axis) / np.mean(den, axis=axis)


def paired_ratio(num: np.ndarray | list[float], den: np.ndarray | list[float], *,
                 level: float = LEVEL, seed: int = 0, resamples: int = 4999) -> RatioEstimate:
    """mean(num) / mean(den) over replicate pairs, with a paired BCa bootstrap interval from
    `scipy.stats.bootstrap` (a fixed-seed generator, so it is reproducible). Not defined when
    the denominator's t interval reaches zero or below: a cost per tonne avoided needs tonnes
    clearly avoided."""
    from scipy import stats

    x, y = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    n = int(x.size)
    den_ci = mean_ci(y, level)
    if n < 2 or not den_ci.low > 0:
        return RatioEstimate(n, math.nan, math.nan, math.nan, NOT_DEFINED)
    value = float(x.mean() / y.mean())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # BCa's warnings on tiny or degenerate samples
        res = stats.bootstrap((x, y), _ratio_of_means, paired=True, vectorized=True,
                              confidence_level=level, n_resamples=resamples, method="BCa",
                              random_state=np.random.Generator(np.random.PCG64(seed)))
    lo, hi = float(res.confidence_interval.low), float(res.confidence_interval.high)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return RatioEstimate(n, value, math.nan, math.nan,
                             "interval not available (too few distinct replicates)")
    return RatioEstimate(n, value, lo, hi)


def format_interval(mean: float, low: float, high: float, fmt: str | None = None) -> str:
    """`mean [low, high]`, or just the mean when there is no interval or its ends show as the
    mean (a quantity that does not vary between replicates), '—' for no value.
    Without `fmt`, digits follow the magnitude (3 below 10, 1 below 1,000, else 0)."""
    if not math.isfinite(mean):
        return "—"
    if fmt is None:
        scale = max(abs(v) for v in (mean, low, high) if math.isfinite(v))
        digits = 3 if scale < 10 else (1 if scale < 1000 else 0)
        fmt = f"{{:,.{digits}f}}"
    shown = [fmt.format(v) for v in (mean, low, high)]
    if not (math.isfinite(low) and math.isfinite(high)) or len(set(shown)) == 1:
        return shown[0]
    return f"{shown[0]} [{shown[1]}, {shown[2]}]"


__all__ = ["LEVEL", "NOT_DEFINED", "UNBOUNDED", "Bounds", "Interval", "RatioEstimate",
           "format_interval", "mean_ci", "paired_ci", "paired_ratio", "welch_ci"]
