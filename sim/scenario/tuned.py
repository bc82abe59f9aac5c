"""The tuned parameters: every field declared with `param(..., tag="C")`, found in the schema.

    tuned_parameters()  ->  (TunedParameter('river.catchment_area_km2', 80.0, 20.0, 100.0, ...),)

A tuned (calibrated) parameter must carry a plausible range (`rng=`, the schema's `x-range`):
`greensim calibrate` searches only inside it, and tests/test_calibrate.py fails when a default or
a bundled scenario's value lies outside it. Optional sections (the levers) are walked through
their model, so `levers.coculture.subsidy_innovation_multiplier` is found although the section
is absent by default; its default is then the field's own.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from sim.scenario.schema import Scenario
from sim.scenario.uncertainty import _unwrap, locate

TUNED_TAG = "C"


@dataclass(frozen=True)
class TunedParameter:
    """A tuned parameter: key path, schema default, plausible range, source, integer or not."""

    path: str
    default: float
    low: float
    high: float
    source: str
    integer: bool = False

    def position(self, value: float) -> float:
        """Where `value` sits in the range: 0 at the low end, 1 at the high end."""
        return (value - self.low) / (self.high - self.low) if self.high > self.low else 0.0

    def inside(self, value: float) -> bool:
        return self.low <= value <= self.high


def _models(annotation: Any) -> list[type[BaseModel]]:
    return [a for a in _unwrap(annotation) if isinstance(a, type) and issubclass(a, BaseModel)]


def _walk(model: type[BaseModel], prefix: str, out: list[TunedParameter]) -> None:
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        if extra.get("x-tag") == TUNED_TAG:
            rng = extra.get("x-range")
            if not (isinstance(rng, list) and len(rng) == 2):
                raise ValueError(f"{path}: a tuned parameter (tag C) needs a plausible range "
                                 f"(rng=(low, high)) in its param() declaration")
            default = field.default
            if default is PydanticUndefined or not isinstance(default, int | float):
                raise ValueError(f"{path}: a tuned parameter (tag C) needs a numeric default")
            out.append(TunedParameter(path, float(default), float(rng[0]),  # type: ignore[arg-type]
                                      float(rng[1]), str(extra.get("x-source", "")),  # type: ignore[arg-type]
                                      locate(path, Scenario).integer))
            continue
        for sub in _models(field.annotation):
            _walk(sub, path + ".", out)


@functools.lru_cache(maxsize=1)
def tuned_parameters() -> tuple[TunedParameter, ...]:
    """Every tuned parameter of the scenario schema, in schema order."""
    out: list[TunedParameter] = []
    _walk(Scenario, "", out)
    return tuple(out)


def tuned_by_path() -> dict[str, TunedParameter]:
    return {p.path: p for p in tuned_parameters()}


__all__ = ["TUNED_TAG", "TunedParameter", "tuned_by_path", "tuned_parameters"]
