"""How a parameter is declared: default, plausible range, source tag and source, in one place.

`param(...)` wraps `pydantic.Field`; the tag (S sourced, D derived, A assumption, C calibrated),
the source and the plausible range travel in the JSON Schema (`x-tag`, `x-source`, `x-range`),
so editors show them, `greensim params` lists them and docs/parameters.md is generated from them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

TAGS = {"S": "sourced", "D": "derived", "A": "assumption", "C": "calibrated"}


def param(default: Any, *, tag: str, source: str, rng: tuple[float, float] | None = None,
          ge: float | None = None, le: float | None = None, gt: float | None = None,
          lt: float | None = None, doc: str = "") -> Any:
    """A model parameter: `rng` is the plausible range (the uncertainty), ge/le the hard bounds."""
    if tag not in TAGS:
        raise ValueError(f"unknown tag {tag!r}")
    extra: dict[str, Any] = {"x-tag": tag, "x-source": source}
    if rng is not None:
        extra["x-range"] = list(rng)
    text = f"{doc} [{tag}] {source}".strip()
    return Field(default, description=text, ge=ge, le=le, gt=gt, lt=lt,
                 json_schema_extra=extra)


class Frozen(BaseModel):
    """Base of every scenario section: unknown keys are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Pollutants(Frozen):
    """One number per modelled pollutant (COD, NH3-N, TP)."""

    cod: float = Field(ge=0)
    nh3n: float = Field(ge=0)
    tp: float = Field(ge=0)


class Shares(Frozen):
    """One share (0–1) per modelled pollutant."""

    cod: float = Field(ge=0, le=1)
    nh3n: float = Field(ge=0, le=1)
    tp: float = Field(ge=0, le=1)
