"""Load scenario files: YAML, `extends:` chains, `--set` overrides, one clear error per problem.

    load_scenario(path, overrides=["levers.closures.date=2024-06-01"]) -> Scenario

Errors are `ScenarioError`s whose message names the file, the key path and what was expected,
e.g. `scenarios/x.yaml: levers.closures.date: Input should be a valid date (got '2024-02-30')`.
Input is bounded before it costs anything: each file is read by `yamlfile` (size, depth, values
bounded; duplicate keys refused), `extends` chains stop at `MAX_EXTENDS` files, a symbolic link
loop is named, and at most `MAX_PROBLEMS` problems are listed.
Everything `greensim run` checks before simulating is checked here (so `validate` agrees):
the schema, and that every declared uncertainty can be drawn (`_check_draws`).
"""

from __future__ import annotations

import errno
import typing
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from sim.errors import ScenarioError
from sim.scenario.params import NAME_RULE, folder_key, is_safe_name
from sim.scenario.plan import over_budget
from sim.scenario.schema import Scenario
from sim.scenario.uncertainty import P_EPS, leaf_types, locate
from sim.scenario.yamlfile import DuplicateKeyError, parse, read_text
from sim.scenario.yamlfile import key_text as _key
from sim.scenario.yamlfile import short as _short

MAX_EXTENDS = 10
"""Most files in one `extends:` chain (the file itself included)."""
MAX_PROBLEMS = 20
"""Problems listed per file; the rest are counted."""


def _read_yaml(path: Path) -> dict[str, Any]:
    data = parse(read_text(path), str(path))
    if data is None:  # empty, only comments, or `null`: a truncated or wrong file, not a choice
        raise ScenarioError(f"{path}: empty scenario file; write at least `name: <name>` (every "
                            f"other key has a default)")
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: (top level): expected a mapping of keys, got "
                            f"{type(data).__name__}")
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


def _resolve(path: Path, where: str) -> Path:
    """`path` with its symbolic links followed; a loop of them is a ScenarioError (`where`
    names the path in it). Python 3.11 raises RuntimeError for a loop, later ones OSError."""
    loop = ScenarioError(f"{where}: a symbolic link loop")
    try:
        real = path.resolve()
    except RuntimeError:
        raise loop from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise loop from None
        raise ScenarioError(f"{where}: cannot read file ({exc.strerror or exc})") from None
    try:
        real.stat()
    except OSError as exc:  # a missing or unreadable file: reading it says so
        if exc.errno == errno.ELOOP:
            raise loop from None
    return real


def resolve_extends(path: Path, _chain: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The raw mapping of `path` with its `extends:` ancestors merged underneath."""
    path = Path(path)
    real = _resolve(path, str(path))
    if real in _chain:
        cycle = " -> ".join(str(p) for p in (*_chain, real))
        raise ScenarioError(f"{path}: extends: circular chain {cycle}")
    if len(_chain) >= MAX_EXTENDS:
        raise ScenarioError(f"{path}: extends: chain of more than {MAX_EXTENDS} files (from "
                            f"{_chain[0]}); expected a shorter chain")
    data = _read_yaml(path)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str) or not parent:
        raise ScenarioError(f"{path}: extends: expected a file name (string), got "
                            f"{_short(parent)}")
    parent_path = (path.parent / parent)
    _resolve(parent_path, f"{path}: extends: {parent_path}")
    if not parent_path.exists():
        raise ScenarioError(f"{path}: extends: file not found: {parent_path}")
    base = resolve_extends(parent_path, (*_chain, real))
    base.pop("name", None)
    base.pop("description", None)
    base.pop("description_zh", None)
    return deep_merge(base, data)


def parse_override(text: str) -> tuple[list[str], Any]:
    """`a.b.c=value` -> (["a","b","c"], value parsed as a YAML scalar or flow collection)."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key or any(not part for part in key.split(".")):
        raise ScenarioError(f"--set {_short(text)}: expected key.path=value")
    try:
        value = parse(raw, f"--set {key}") if raw.strip() else ""
    except DuplicateKeyError:
        raise
    except ScenarioError:  # not YAML: the text as written (validation says if it is wrong)
        value = raw
    return key.split("."), _as_field_type(key, raw, value)


def _as_field_type(path: str, raw: str, value: Any) -> Any:
    """A --set value read by its target field's type: a text field keeps the text as written
    (`description=off` stays 'off', not YAML 1.1's False; `1e3` stays '1e3'), whatever YAML
    would make of it; other fields take YAML's reading and are validated as usual."""
    try:
        options, _ = leaf_types(path, Scenario)
    except ValueError:
        return value  # an unknown key: validation names it

    def is_text(t: Any) -> bool:
        return t is str or (typing.get_origin(t) is Literal
                            and all(isinstance(a, str) for a in typing.get_args(t)))
    texts = [t for t in options if is_text(t)]
    others = [t for t in options if not is_text(t) and t is not type(None)]
    if texts and not others and not (value is None and type(None) in options):
        return raw.strip()
    return value


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


def _problems(source: str, exc: ValidationError) -> list[str]:
    lines = []
    for err in exc.errors():
        loc = ".".join(_key(p) for p in err["loc"]) or "(top level)"
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown key (not in the schema; see `greensim schema`)"
        elif err["type"] == "missing":
            msg = "required key is missing"
        got = err.get("input")
        if err["type"] not in ("missing",) and not isinstance(got, (dict, list)):
            msg += f" (got {_short(got)})"
        lines.append(f"{source}: {loc}: {msg}")
    return lines


def _format_validation(source: str, exc: ValidationError) -> str:
    """One line per problem, at most `MAX_PROBLEMS`, then how many more there are."""
    lines = _problems(source, exc)
    if len(lines) > MAX_PROBLEMS:
        more = len(lines) - MAX_PROBLEMS
        lines = [*lines[:MAX_PROBLEMS], f"{source}: and {more:,} more problem(s) (fix the ones "
                                        f"above first)"]
    return "\n".join(lines)


def _check_draws(scenario: Scenario, source: str) -> None:
    """Every declared uncertainty can be drawn: its parameter is set in this scenario, and its
    lowest, middle and highest draws give a valid scenario (what a run would meet later)."""
    if not scenario.uncertainties:
        return
    data = scenario.model_dump(mode="json")
    data["uncertainties"] = []
    for i, u in enumerate(scenario.uncertainties):
        where = f"{source}: uncertainties.{i}.parameter: {u.parameter}"
        node: Any = data
        for key in u.parameter.split("."):
            node = (node[int(key)] if isinstance(node, list) and key.isdigit()
                    and int(key) < len(node) else
                    node.get(key) if isinstance(node, dict) else None)
        if not isinstance(node, (int, float)) or isinstance(node, bool):
            raise ScenarioError(f"{where}: not set in this scenario (is its section, e.g. a "
                                f"lever, switched on?)")
        for q in (0.0, 0.5, 1.0 - P_EPS):
            try:
                value = u.quantile(q, float(node))
            except (ArithmeticError, ValueError) as exc:
                raise ScenarioError(f"{where}: cannot be drawn ({exc})") from None
            except ScenarioError as exc:
                raise ScenarioError(f"{source}: {exc}") from None
            v: float = int(round(value)) if locate(u.parameter, Scenario).integer else value
            try:
                Scenario.model_validate(apply_override(data, u.parameter.split("."), v, where))
            except ValidationError as exc:
                first = _problems("", exc)[0].lstrip(": ")
                raise ScenarioError(f"{where}: a draw of {v:g} (at the {q:.0%} quantile) is "
                                    f"invalid: {first}") from None


def validate_mapping(data: Mapping[str, Any], source: str) -> Scenario:
    """Validate a merged mapping (and its uncertainties' draws); errors name `source` and each
    key path."""
    try:
        scenario = Scenario.model_validate(dict(data))
    except ValidationError as exc:
        raise ScenarioError(_format_validation(source, exc)) from None
    _check_budget(scenario, source)
    _check_draws(scenario, source)
    return scenario


def _check_budget(scenario: Scenario, source: str) -> None:
    """A plan over the budget (mode `error`) is refused, naming the year and the over-spend."""
    over = over_budget(scenario)
    if over is not None:
        year, planned, limit = over
        raise ScenarioError(
            f"{source}: budget.yuan_per_year: the levers' plan spends {planned:,.0f} yuan in "
            f"{year}, {planned - limit:,.0f} over the budget of {limit:,.0f} a year; expected a "
            f"plan within the budget (or budget.mode: defer, to pay the rest in later years)")


def load_scenario(path: str | Path, overrides: Iterable[str] = ()) -> Scenario:
    """Read, merge, override and validate one scenario file (named after the file if it has no
    `name:`, provided the file's name is a safe one)."""
    path = Path(path)
    data = resolve_extends(path)
    if "name" not in data:
        if not is_safe_name(path.stem):
            raise ScenarioError(f"{path}: name: the file's name {_short(path.stem)} cannot name "
                                f"the scenario; add `name:` with {NAME_RULE}")
        data["name"] = path.stem
    overrides = list(overrides)
    for text in overrides:
        keys, value = parse_override(text)
        data = _materialise_defaults(data, keys)
        data = apply_override(data, keys, value, text)
    source = str(path) + (f" (with --set {', '.join(overrides)})" if overrides else "")
    return validate_mapping(data, source)


def name_clash(name: str, source: object, seen: dict[str, tuple[str, object]]) -> str | None:
    """The problem if scenario `name` (from `source`, e.g. its file) would share an output folder
    with one already in `seen`, which it joins otherwise: the same name, or one that differs
    only in case or Unicode normalisation (`folder_key`)."""
    key = folder_key(name)
    if key not in seen:
        seen[key] = (name, source)
        return None
    other_name, other_source = seen[key]
    if other_name == name:
        return (f"{source}: name: {name!r} is also the name of {other_source}; expected names "
                f"that differ (each names an output folder)")
    return (f"{source}: name: {name!r} and {other_name!r} (the name of {other_source}) would "
            f"share a folder on case-insensitive file systems (macOS, Windows); expected names "
            f"that differ in more than case or accents' encoding")


def with_end_date(scenario: Scenario, until: str | None) -> Scenario:
    """A copy of `scenario` ending at `until` (YYYY-MM-DD), validated like the file."""
    if until is None:
        return scenario
    data = scenario.model_dump(mode="json")
    data["end_date"] = until
    return validate_mapping(data, f"--until {until} (scenario {scenario.name})")


# ----------------------------------------------------------------------------- JSON Schema
def _drop_required(node: Any) -> Any:
    """A copy of a JSON Schema fragment with no `required` lists (every key optional)."""
    if isinstance(node, list):
        return [_drop_required(v) for v in node]
    if not isinstance(node, dict):
        return node
    return {k: _drop_required(v) for k, v in node.items()
            if not (k == "required" and isinstance(v, list))}


def _required_only(node: Any, defs: dict[str, Any], done: dict[str, Any]) -> dict[str, Any]:
    """The `required` lists of a JSON Schema fragment, where they apply, and nothing else
    (`{}` if none): types, ranges and unknown keys are checked elsewhere. `required` ignores
    non-objects, so of a union only the branches with requirements are kept."""
    if not isinstance(node, dict):
        return {}
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        name = ref.removeprefix("#/$defs/")
        if name not in done:
            done[name] = {}  # a cycle sees no requirements
            done[name] = _required_only(defs[name], defs, done)
        return {"$ref": f"{ref}__required"} if done[name] else {}
    out: dict[str, Any] = {}
    if isinstance(node.get("required"), list) and node["required"]:
        out["required"] = node["required"]
    props = {k: sk for k, v in node.get("properties", {}).items()
             if (sk := _required_only(v, defs, done))}
    if props:
        out["properties"] = props
    for key in ("items", "additionalProperties"):
        if sk := _required_only(node.get(key), defs, done):
            out[key] = sk
    branches = [sk for key in ("anyOf", "oneOf") for b in node.get(key, [])
                if (sk := _required_only(b, defs, done))]
    if len(branches) == 1:
        out = {**out, **branches[0]} if not out else {"allOf": [out, branches[0]]}
    elif branches:
        out["anyOf"] = branches
    return out


def file_json_schema() -> dict[str, Any]:
    """The JSON Schema of a scenario *file*, for editors: the `Scenario` model plus `extends`,
    with `name` optional (the file's name is the default). Types, ranges and unknown keys are
    checked in every file; required keys only in a file without `extends:` (a file that
    extends another is partial: its parent may hold them)."""
    model = Scenario.model_json_schema()
    defs = model.pop("$defs", {})
    model["required"] = [k for k in model.get("required", []) if k != "name"]
    done: dict[str, Any] = {}
    required = _required_only(model, defs, done)
    doc = _drop_required(model)
    doc["properties"] = {
        "extends": {"type": "string", "minLength": 1, "title": "Extends",
                    "description": "a scenario file (relative to this one) whose values this "
                                   "file overrides; its name and description are not inherited"},
        **doc["properties"]}
    all_defs = {**_drop_required(defs),
                **{f"{k}__required": v for k, v in done.items() if v}}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            **{k: v for k, v in doc.items() if k not in ("title", "description")},
            "title": "greensim scenario",
            "description": "A greensim scenario file; `greensim validate FILE` checks it fully.",
            "if": {"required": ["extends"]}, "else": required, "$defs": all_defs}
