"""Uncertain parameters drawn per replicate, and applied to a copy of the scenario.

Each parameter is drawn by inverting its distribution (`Uncertainty.quantile`) at one uniform
number from its own named stream, `Streams(seed, replicate)("uncertainty:" + key path)`:
replicate k of every scenario gets the same draw of a parameter (common random numbers), whatever
else the scenarios list. Drawn values are applied to a copy of the scenario, validated again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel

from sim.errors import ScenarioError
from sim.model.streams import Streams
from sim.scenario.load import apply_override, validate_mapping
from sim.scenario.schema import Scenario
from sim.scenario.uncertainty import P_EPS, locate


def current_value(scenario: Scenario | Mapping[str, Any], path: str) -> Any:
    """The value at `path` in a scenario (or its dumped mapping); KeyError if absent."""
    node: Any = scenario.model_dump(mode="json") if isinstance(scenario, BaseModel) else scenario
    for key in path.split("."):
        if isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        elif isinstance(node, dict) and key in node and node[key] is not None:
            node = node[key]
        else:
            raise KeyError(path)
    return node


def _current(data: Mapping[str, Any], name: str, path: str) -> float:
    try:
        return float(current_value(data, path))
    except (KeyError, TypeError, ValueError):
        raise ScenarioError(f"{name}: uncertainties: {path}: not set in this scenario (is its "
                            f"section, e.g. a lever, switched on?)") from None


def draw(scenario: Scenario, seed: int, replicate: int,
         skip: Iterable[str] = ()) -> dict[str, float]:
    """Replicate `replicate`'s values of the scenario's uncertain parameters (rounded if int)."""
    streams = Streams(seed, replicate)
    data = scenario.model_dump(mode="json")
    skipped = set(skip)
    values: dict[str, float] = {}
    for u in scenario.uncertainties:
        if u.parameter in skipped:
            continue
        current = _current(data, scenario.name, u.parameter)
        q = float(streams(f"uncertainty:{u.parameter}").random())
        value = u.quantile(q, current)
        integer = locate(u.parameter, Scenario).integer
        values[u.parameter] = float(round(value)) if integer else value
    return values


def apply_values(scenario: Scenario, values: Mapping[str, float], source: str) -> Scenario:
    """A copy of `scenario` with each key path set to its value, validated again."""
    if not values:
        return scenario
    data: Any = scenario.model_dump(mode="json")
    data["uncertainties"] = []
    for path, value in values.items():
        v: float | int = int(round(value)) if locate(path, Scenario).integer else float(value)
        data = apply_override(data, path.split("."), v, f"{path}={v}")
    return validate_mapping(data, source)


def check_applicable(scenario: Scenario) -> None:
    """Raise ScenarioError naming the key if an uncertainty cannot be drawn in `scenario`."""
    data = scenario.model_dump(mode="json")
    for u in scenario.uncertainties:
        current = _current(data, scenario.name, u.parameter)
        for q in (0.0, 0.5, 1.0 - P_EPS):
            value = u.quantile(q, current)
            if locate(u.parameter, Scenario).integer:
                value = float(round(value))
            apply_values(scenario, {u.parameter: value},
                         f"{scenario.name}: uncertainties: {u.parameter} = {value:g}")


__all__ = ["apply_values", "check_applicable", "current_value", "draw"]
