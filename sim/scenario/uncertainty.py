"""Uncertain parameters: drawn per replicate from distributions, on top of the model's noise.

A scenario's `uncertainties:` section lists parameters by key path with a distribution:

    uncertainties:
      - {parameter: river.velocity_m_per_s, distribution: uniform}          # bounds from x-range
      - {parameter: income.growth_long_run_per_year, distribution: triangular,
         low: 0.03, high: 0.06}                                              # mode: the scenario's
      - {parameter: sewage.discharge_share, distribution: normal, sd: 0.05}  # mean: the scenario's
      - {parameter: levers.shared_facility.outages_per_year, distribution: lognormal, sd: 1.0}

Key paths are checked against the schema when the scenario is loaded (an unknown or non-numeric
key is an error naming it); uniform and triangular bounds default to the parameter's plausible
range (`x-range`, from ../shared/design/PARAMETERS.md via the schema); normal and lognormal draws
are truncated to `low`/`high` if given, else to the parameter's hard bounds.

Each parameter is drawn by inverting its distribution at one uniform number taken from its own
named stream, `Streams(seed, replicate)("uncertainty:" + key path)`: replicate k of every
scenario gets the same draw of a parameter (common random numbers), whatever else the scenarios
list. Drawn values are applied to a copy of the scenario, which is validated again.
"""

from __future__ import annotations

import functools
import math
import types
import typing
from typing import Annotated, Any, Literal, Union

import annotated_types as at
from pydantic import BaseModel, Field, model_validator
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from sim.errors import ScenarioError
from sim.scenario.params import Frozen

Distribution = Literal["uniform", "triangular", "normal", "lognormal"]
_NEEDS: dict[str, tuple[set[str], set[str]]] = {  # distribution -> (required, allowed) fields
    "uniform": (set(), {"low", "high"}),
    "triangular": (set(), {"low", "high", "mode"}),
    "normal": ({"sd"}, {"mean", "sd", "low", "high"}),
    "lognormal": ({"sd"}, {"mean", "sd", "low", "high"}),
}
P_EPS = 1e-12
"""The smallest tail probability a draw inverts (the quantile at 0 or 1 is infinite)."""


class Uncertainty(Frozen):
    """One uncertain parameter: a key path and the distribution its value is drawn from."""

    parameter: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$",
                           description="key path of a numeric parameter, e.g. river.flow_log_sd")
    distribution: Distribution
    low: float | None = Field(None, description="lower bound (default: the x-range's)")
    high: float | None = Field(None, description="upper bound (default: the x-range's)")
    mode: float | None = Field(None, description="triangular mode (default: scenario value)")
    mean: float | None = Field(None, description="normal/lognormal mean (default: scenario value)")
    sd: float | None = Field(None, gt=0, description="normal/lognormal standard deviation")

    @model_validator(mode="after")
    def _fields_fit(self) -> Uncertainty:
        required, allowed = _NEEDS[self.distribution]
        given = {k for k in ("low", "high", "mode", "mean", "sd") if getattr(self, k) is not None}
        if required - given:
            raise ValueError(f"{self.distribution} needs {', '.join(sorted(required - given))}")
        if given - allowed:
            raise ValueError(f"{self.distribution} takes no {', '.join(sorted(given - allowed))} "
                             f"(allowed: {', '.join(sorted(allowed))})")
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError(f"low {self.low} must be below high {self.high}")
        lo = self.low if self.low is not None else -math.inf
        hi = self.high if self.high is not None else math.inf
        if self.mode is not None and not lo <= self.mode <= hi:
            raise ValueError(f"mode {self.mode} must lie within [low, high]")
        if self.distribution == "lognormal" and self.mean is not None and self.mean <= 0:
            raise ValueError("lognormal mean must be > 0")
        return self

    def quantile(self, q: float, current: float) -> float:
        """The value at cumulative probability q; `current` is the scenario's own value."""
        lo, hi = self.low, self.high
        if self.distribution in ("uniform", "triangular"):
            assert lo is not None and hi is not None  # filled in from x-range at validation
            if self.distribution == "uniform":
                return lo + q * (hi - lo)
            c = self.mode if self.mode is not None else min(max(current, lo), hi)
            cut = (c - lo) / (hi - lo)
            if q < cut:
                return lo + math.sqrt(q * (hi - lo) * (c - lo))
            return hi - math.sqrt((1 - q) * (hi - lo) * (hi - c))
        assert self.sd is not None
        mean = self.mean if self.mean is not None else current
        if self.distribution == "normal":
            return truncated_normal_quantile(q, mean, self.sd, lo, hi)
        if mean <= 0:
            raise ScenarioError(f"uncertainties: {self.parameter}: lognormal needs a positive "
                                f"mean (the scenario's value is {current})")
        sigma2 = math.log1p((self.sd / mean) ** 2)
        log_lo = math.log(lo) if lo is not None and lo > 0 else None
        log_hi = math.log(hi) if hi is not None and hi > 0 else None
        value = math.exp(truncated_normal_quantile(q, math.log(mean) - sigma2 / 2,
                                                   math.sqrt(sigma2), log_lo, log_hi))
        return _clip(value, lo, hi)


def _clip(value: float, lo: float | None, hi: float | None) -> float:
    """Keep a quantile inside its bounds against the last bit of rounding."""
    if lo is not None:
        value = max(value, lo)
    if hi is not None:
        value = min(value, hi)
    return value


def truncated_normal_quantile(q: float, mean: float, sd: float, lo: float | None,
                              hi: float | None) -> float:
    """The quantile at q of a normal(mean, sd) truncated to [lo, hi], by
    `scipy.stats.truncnorm`, which stays exact far into the tails (a truncation ten standard
    deviations from the mean still gives values spread over [lo, hi], where inverting the
    untruncated CDF by hand lost all precision and returned one value outside the bounds)."""
    from scipy import stats

    a = -math.inf if lo is None else (lo - mean) / sd
    b = math.inf if hi is None else (hi - mean) / sd
    return _clip(float(stats.truncnorm.ppf(q, a, b, loc=mean, scale=sd)), lo, hi)


# ----------------------------------------------------------------------------- key paths
class Target(typing.NamedTuple):
    """Where a key path leads in the schema: the leaf's type and its field (if a field)."""

    integer: bool
    field: FieldInfo | None


def _unwrap(annotation: Any) -> list[Any]:
    """The alternatives of a Union/Optional annotation (or the annotation itself)."""
    origin = typing.get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        return [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin is Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    return [annotation]


def leaf_types(path: str, root: type[BaseModel]) -> tuple[list[Any], FieldInfo | None]:
    """The types a key path's value may take in the schema `root` (the alternatives of its
    annotation, unwrapped) and its field, or ValueError if no such key."""
    options: list[Any] = [root]
    field: FieldInfo | None = None
    keys = path.split(".")
    for depth, key in enumerate(keys):
        where = ".".join(keys[: depth + 1])
        nxt: list[Any] = []
        found: FieldInfo | None = None
        for opt in options:
            if isinstance(opt, type) and issubclass(opt, BaseModel):
                if key in opt.model_fields:
                    found = opt.model_fields[key]
                    nxt += _unwrap(found.annotation)
            elif typing.get_origin(opt) in (tuple, list) and key.isdigit():
                nxt += [a for a in typing.get_args(opt) if a is not Ellipsis]
        if not nxt:
            raise ValueError(f"no key {where!r} in the scenario schema (see `greensim schema`)")
        options, field = [a for o in nxt for a in _unwrap(o)], found if not key.isdigit() else None
    return options, field


@functools.lru_cache(maxsize=1024)
def locate(path: str, root: type[BaseModel]) -> Target:
    """Follow `path` through the schema `root` (the `Scenario` model) to a numeric leaf, or raise
    ValueError."""
    options, field = leaf_types(path, root)
    numeric = [o for o in options if o in (int, float)]
    if not numeric:
        raise ValueError(f"{path!r} is not a numeric parameter")
    return Target(integer=numeric == [int], field=field)


def plausible_range(path: str, root: type[BaseModel]) -> tuple[float, float] | None:
    """The parameter's plausible range (`x-range` in the schema), or None if it has none."""
    field = locate(path, root).field
    extra = field.json_schema_extra if field is not None else None
    rng = extra.get("x-range") if isinstance(extra, dict) else None
    if isinstance(rng, list) and len(rng) == 2:
        return float(rng[0]), float(rng[1])  # type: ignore[arg-type]
    return None


def hard_bounds(path: str, root: type[BaseModel]) -> tuple[float | None, float | None]:
    """The parameter's hard bounds (ge/gt, le/lt in the schema), None where unbounded."""
    field = locate(path, root).field
    lo: float | None = None
    hi: float | None = None
    for m in field.metadata if field is not None else []:
        if isinstance(m, (at.Ge, at.Gt)):
            lo = float(m.ge if isinstance(m, at.Ge) else m.gt)  # type: ignore[arg-type]
        elif isinstance(m, (at.Le, at.Lt)):
            hi = float(m.le if isinstance(m, at.Le) else m.lt)  # type: ignore[arg-type]
    return lo, hi


def resolve(items: tuple[Uncertainty, ...], root: type[BaseModel]) -> tuple[Uncertainty, ...]:
    """Check every key path against the schema `root` and fill in default bounds (called by the
    `Scenario` model's validator of its `uncertainties`)."""
    out: list[Uncertainty] = []
    seen: set[str] = set()
    for i, u in enumerate(items):
        where = f"item {i} (parameter)"
        if u.parameter in seen:
            raise PydanticCustomError("uncertainty", f"{where}: {u.parameter!r} listed twice")
        seen.add(u.parameter)
        try:
            locate(u.parameter, root)
        except ValueError as exc:
            raise PydanticCustomError("uncertainty", f"{where}: {exc}") from None
        update: dict[str, float] = {}
        if u.distribution in ("uniform", "triangular") and (u.low is None or u.high is None):
            rng = plausible_range(u.parameter, root)
            if rng is None:
                raise PydanticCustomError(
                    "uncertainty", f"{where}: {u.parameter!r} has no plausible range (x-range) "
                                   f"in the schema; give low and high")
            update = {k: v for k, v in zip(("low", "high"), rng, strict=True)
                      if getattr(u, k) is None}
        elif u.distribution in ("normal", "lognormal"):
            lo, hi = hard_bounds(u.parameter, root)
            if u.low is None and lo is not None:
                update["low"] = lo
            if u.high is None and hi is not None:
                update["high"] = hi
        if update:
            u = Uncertainty.model_validate({**u.model_dump(), **update})
        out.append(u)
    return tuple(out)


Uncertainties = tuple[Uncertainty, ...]
"""A scenario's `uncertainties:` section; its key paths are checked by `resolve`."""


__all__ = ["Uncertainties", "Uncertainty", "hard_bounds", "leaf_types", "locate",
           "plausible_range", "resolve", "truncated_normal_quantile"]
