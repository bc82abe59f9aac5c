"""Load scenario files: YAML, `extends:` chains, `--set` overrides, one clear error per problem.

    load_scenario(path, overrides=["levers.closures.date=2024-06-01"]) -> Scenario

Errors are `ScenarioError`s whose message names the file, the key path and what was expected,
e.g. `scenarios/x.yaml: levers.closures.date: Input should be a valid date (got '2024-02-30')`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from sim.errors import ScenarioError
from sim.scenario.schema import Scenario


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as strings, so pydantic validates them (and names the key)."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: cannot read file ({exc})") from None
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError(f"{path}: YAML syntax error{where}: {problem}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: expected a mapping of keys at the top level, "
                            f"got {type(data).__name__}")
    return data


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """`override` on top of `base`: mappings merge key by key, anything else replaces."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def resolve_extends(path: Path, _chain: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The raw mapping of `path` with its `extends:` ancestors merged underneath."""
    path = Path(path)
    real = path.resolve()
    if real in _chain:
        cycle = " -> ".join(str(p) for p in (*_chain, real))
        raise ScenarioError(f"{path}: extends: circular chain {cycle}")
    data = _read_yaml(path)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str) or not parent:
        raise ScenarioError(f"{path}: extends: expected a file name (string), got {parent!r}")
    parent_path = (path.parent / parent)
    if not parent_path.exists():
        raise ScenarioError(f"{path}: extends: file not found: {parent_path}")
    base = resolve_extends(parent_path, (*_chain, real))
    base.pop("name", None)
    base.pop("description", None)
    return deep_merge(base, data)


def parse_override(text: str) -> tuple[list[str], Any]:
    """`a.b.c=value` -> (["a","b","c"], value parsed as a YAML scalar or flow collection)."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key or any(not part for part in key.split(".")):
        raise ScenarioError(f"--set {text!r}: expected key.path=value")
    try:
        value = yaml.load(raw, Loader=_Loader) if raw.strip() else ""  # noqa: S506
    except yaml.YAMLError:
        value = raw
    return key.split("."), value


def apply_override(data: Any, keys: list[str], value: Any, text: str) -> Any:
    """A copy of `data` with the value at the key path replaced (lists indexed by number)."""
    if not keys:
        return value
    head, rest = keys[0], keys[1:]
    if isinstance(data, list):
        if not head.isdigit() or int(head) >= len(data):
            raise ScenarioError(f"--set {text}: {head!r} is not an index of a list of "
                                f"{len(data)} items")
        out_list = list(data)
        out_list[int(head)] = apply_override(out_list[int(head)], rest, value, text)
        return out_list
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ScenarioError(f"--set {text}: cannot set a key inside a {type(data).__name__}")
    out = dict(data)
    out[head] = apply_override(out.get(head), rest, value, text)
    return out


def _materialise_defaults(data: dict[str, Any], keys: list[str]) -> dict[str, Any]:
    """Copy a default list into `data` when --set reaches inside it (e.g. `workshops.0.x`)."""
    node_data: Any = data
    node_def: Any = Scenario(name="defaults").model_dump(mode="json")
    for depth, key in enumerate(keys[:-1]):
        if not isinstance(node_def, dict) or key not in node_def:
            return data
        node_def = node_def[key]
        current = node_data.get(key) if isinstance(node_data, dict) else None
        if isinstance(node_def, list):
            if current is None:
                return dict(apply_override(data, keys[: depth + 1], node_def, ".".join(keys)))
            return data
        node_data = current if isinstance(current, dict) else {}
    return data


def _format_validation(source: str, exc: ValidationError) -> str:
    lines = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown key (not in the schema; see `greensim schema`)"
        elif err["type"] == "missing":
            msg = "required key is missing"
        got = err.get("input")
        if err["type"] not in ("missing",) and not isinstance(got, (dict, list)):
            msg += f" (got {got!r})"
        lines.append(f"{source}: {loc}: {msg}")
    return "\n".join(lines)


def validate_mapping(data: Mapping[str, Any], source: str) -> Scenario:
    """Validate a merged mapping; errors name `source` and each key path."""
    try:
        return Scenario.model_validate(dict(data))
    except ValidationError as exc:
        raise ScenarioError(_format_validation(source, exc)) from None


def load_scenario(path: str | Path, overrides: Iterable[str] = ()) -> Scenario:
    """Read, merge, override and validate one scenario file."""
    path = Path(path)
    data = resolve_extends(path)
    if "name" not in data:
        data["name"] = path.stem
    overrides = list(overrides)
    for text in overrides:
        keys, value = parse_override(text)
        data = _materialise_defaults(data, keys)
        data = apply_override(data, keys, value, text)
    source = str(path) + (f" (with --set {', '.join(overrides)})" if overrides else "")
    return validate_mapping(data, source)


def with_end_date(scenario: Scenario, until: str | None) -> Scenario:
    """A copy of `scenario` ending at `until` (YYYY-MM-DD), validated like the file."""
    if until is None:
        return scenario
    data = scenario.model_dump(mode="json")
    data["end_date"] = until
    return validate_mapping(data, f"--until {until}")
