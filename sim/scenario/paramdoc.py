"""The parameter table (docs/parameters.md) generated from the scenario schema itself."""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from sim.scenario.budget import Budget
from sim.scenario.params import TAGS
from sim.scenario.schema import Levers, Scenario


def _rows(model: type[BaseModel], instance: BaseModel, prefix: str) -> list[list[str]]:
    rows: list[list[str]] = []
    for name, info in model.model_fields.items():
        value = getattr(instance, name)
        path = f"{prefix}{name}"
        extra: dict[str, Any] = info.json_schema_extra if isinstance(
            info.json_schema_extra, dict) else {}
        tag = extra.get("x-tag")
        if tag is None and isinstance(value, BaseModel):
            rows += _rows(type(value), value, path + ".")
            continue
        if tag is None:
            continue
        if isinstance(value, BaseModel):
            shown = ", ".join(f"{k} {v:g}" for k, v in value.model_dump().items())
        elif isinstance(value, tuple):
            shown = ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in value)
        else:
            shown = f"{value:g}" if isinstance(value, float) else str(value)
        rng = extra.get("x-range")
        rng_text = f"{rng[0]:g}–{rng[1]:g}" if rng else "–"
        source = str(extra.get("x-source", "")).replace("|", "/")
        rows.append([f"`{path}`", shown, rng_text, f"{tag} ({TAGS[tag]})", source])
    return rows


def parameter_table() -> str:
    """Markdown table of every tagged parameter: key path, default, range, tag, source."""
    default = Scenario(name="defaults")
    rows = _rows(Scenario, default, "")
    lines = [
        "# Parameters",
        "",
        "Generated from the scenario schema (`sim/scenario/schema.py`) by `greensim params`; "
        "a test keeps this file in step with the code. Tags: S sourced, D derived, "
        "A assumption, C calibrated (see calibration.md). `account` = the township's own "
        "account, summarised in account.md. `research §` and `PARAMETERS.md` = the project's "
        "design notes (`../shared/design/research/domain-facts.md`, "
        "`../shared/design/PARAMETERS.md`), outside the repository. Workshop rosters and "
        "lever dates are scenario data, listed in model.md.",
        "",
        "| key path | default | plausible range | tag | source |",
        "|---|---|---|---|---|",
    ]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    lines += ["", "## Lever settings", "",
              "Each lever is an optional section under `levers:`; absent means not used. "
              "Settings without a default are required when the lever is given.", "",
              "| key path | default | meaning and source |", "|---|---|---|"]
    lines += ["| " + " | ".join(r) + " |" for r in lever_rows()]
    lines += ["", "## Budget", "",
              "The township's yearly budget for lever spending (model.md §7.20): no limit unless "
              "`budget.yuan_per_year` is given.", "",
              "| key path | default | meaning and source |", "|---|---|---|"]
    lines += ["| " + " | ".join(r) + " |" for r in setting_rows(Budget, "budget")]
    return "\n".join(lines) + "\n"


def _model_of(annotation: Any) -> type[BaseModel] | None:
    for arg in typing.get_args(annotation) or (annotation,):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def lever_rows() -> list[list[str]]:
    """One row per setting of every lever section."""
    rows: list[list[str]] = []
    for lever, info in Levers.model_fields.items():
        model = _model_of(info.annotation)
        if model is not None:
            rows += setting_rows(model, f"levers.{lever}")
    return rows


def setting_rows(model: type[BaseModel], prefix: str) -> list[list[str]]:
    """One row per setting of section `model` at key path `prefix`: key, default, meaning."""
    rows: list[list[str]] = []
    for name, field in model.model_fields.items():
        if field.default is PydanticUndefined and field.default_factory is None:
            shown = "required"
        elif field.default_factory is not None:
            shown = str(field.default_factory())  # type: ignore[call-arg]
        else:
            shown = str(field.default)
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        text = str(extra.get("x-source") or field.description or "").replace("|", "/")
        if extra.get("x-tag"):
            text = f"[{extra['x-tag']}] {text}"
        rows.append([f"`{prefix}.{name}`", shown.replace("|", "/"), text])
    return rows



