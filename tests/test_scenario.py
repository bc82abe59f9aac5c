"""Scenario files: loading, extends, --set, and one clear error for each kind of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.errors import ScenarioError
from sim.scenario.load import load_scenario, with_end_date
from sim.scenario.schema import Scenario, Treatment

from .conftest import SCENARIOS


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def error_of(path: Path, overrides: tuple[str, ...] = ()) -> str:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, overrides)
    return str(info.value)


def test_bundled_scenarios_load() -> None:
    """Both bundled scenarios validate; as_reported inherits from no_transition and adds levers."""
    base = load_scenario(SCENARIOS / "no_transition.yaml")
    rep = load_scenario(SCENARIOS / "as_reported.yaml")
    assert base.name == "no_transition" and rep.name == "as_reported"
    assert base.levers.closures is None and base.levers.shared_facility is None
    assert rep.levers.closures is not None and rep.levers.closures.rule == "unlicensed"
    assert rep.start_date == base.start_date and len(rep.workshops) == 12


def test_extends_merges_and_overrides(tmp_path: Path) -> None:
    """A child overrides one nested key and keeps the rest of its parent."""
    write(tmp_path, "base.yaml",
          "name: base\nriver:\n  velocity_m_s_at_1_m3_s: 0.5\n  length_km: 25\n")
    child = write(tmp_path, "child.yaml", "extends: base.yaml\nriver:\n  length_km: 30\n")
    s = load_scenario(child)
    assert s.name == "child"  # a child without a name takes its file's name, not the parent's
    assert s.river.velocity_m_s_at_1_m3_s == 0.5 and s.river.length_km == 30


def test_a_child_does_not_inherit_its_parents_descriptions(tmp_path: Path) -> None:
    """Descriptions (English and Chinese) say what one file does: a child has its own or none."""
    write(tmp_path, "base.yaml", "name: base\ndescription: the base\ndescription_zh: 基准\n")
    child = load_scenario(write(tmp_path, "child.yaml", "extends: base.yaml\n"))
    assert child.description == "" and child.description_zh == ""
    assert load_scenario(tmp_path / "base.yaml").description_zh == "基准"


def test_set_overrides_are_validated(tmp_path: Path) -> None:
    """--set changes nested values, reaches into default lists, and is validated like the file."""
    s = load_scenario(SCENARIOS / "as_reported.yaml",
                      ["levers.closures.date=2024-06-01", "workshops.2.flow_m3_per_day=5",
                       "treatment_costs.scale_exponent=0.7"])
    assert str(s.levers.closures.date) == "2024-06-01"  # type: ignore[union-attr]
    assert s.workshops[2].flow_m3_per_day == 5 and s.workshops[0].flow_m3_per_day == 30
    assert s.treatment_costs.scale_exponent == 0.7
    msg = error_of(SCENARIOS / "as_reported.yaml", ("treatment_costs.scale_exponent=1.5",))
    assert "treatment_costs.scale_exponent" in msg and "1.5" in msg
    assert "expected key.path=value" in error_of(SCENARIOS / "as_reported.yaml", ("nonsense",))


@pytest.mark.parametrize(("text", "where", "what"), [
    ("name: x\nrivr: {}\n", "rivr", "unknown key"),
    ("name: x\nriver:\n  velocity_m_s_at_1_m3_s: fast\n", "river.velocity_m_s_at_1_m3_s",
     "valid number"),
    ("name: x\nsewage:\n  discharge_share: 1.4\n", "sewage.discharge_share", "less than or equal"),
    ("name: x\nlevers:\n  closures:\n    date: 2024-02-30\n", "levers.closures.date",
     "2024-02-30"),
    ("name: x\nstart_date: 2030-01-01\nend_date: 2025-01-01\n", "(top level)", "end_date"),
    ("name: x\nlevers:\n  closures:\n    date: 2024-01-01\n    workshops: [W99]\n",
     "(top level)", "W99"),
    ("name: x\nlevers:\n  shared_facility: {}\n", "levers.shared_facility.build_start",
     "required key is missing"),
    ("- just\n- a list\n", "", "mapping"),
])
def test_bad_values_name_file_key_and_expectation(tmp_path: Path, text: str, where: str,
                                                  what: str) -> None:
    """Each bad input gives a message with the file, the key path and what was expected."""
    p = write(tmp_path, "bad.yaml", text)
    msg = error_of(p)
    assert str(p) in msg and where in msg and what in msg
    assert "Traceback" not in msg


def test_missing_file(tmp_path: Path) -> None:
    """A missing file is named as missing."""
    msg = error_of(tmp_path / "nope.yaml")
    assert "nope.yaml" in msg and "not found" in msg


def test_missing_parent(tmp_path: Path) -> None:
    """A missing `extends:` target names the child and the parent."""
    p = write(tmp_path, "c.yaml", "extends: gone.yaml\n")
    msg = error_of(p)
    assert "extends" in msg and "gone.yaml" in msg


def test_yaml_syntax_error_has_line(tmp_path: Path) -> None:
    """A YAML syntax error reports the file and the line."""
    p = write(tmp_path, "s.yaml", "name: x\nriver:\n  length_km: [1, 2\n")
    msg = error_of(p)
    assert "YAML syntax error" in msg and "line" in msg and str(p) in msg


def test_circular_extends(tmp_path: Path) -> None:
    """A circular `extends:` chain is reported with the chain, not a recursion error."""
    write(tmp_path, "a.yaml", "extends: b.yaml\n")
    write(tmp_path, "b.yaml", "extends: a.yaml\n")
    msg = error_of(tmp_path / "a.yaml")
    assert "circular" in msg and "a.yaml" in msg and "b.yaml" in msg


def test_until_is_validated() -> None:
    """--until must be a real date after the start."""
    s = load_scenario(SCENARIOS / "no_transition.yaml")
    assert str(with_end_date(s, "2030-06-30").end_date) == "2030-06-30"
    with pytest.raises(ScenarioError, match="end_date"):
        with_end_date(s, "2022-01-01")
    with pytest.raises(ScenarioError, match="2031-02-29"):
        with_end_date(s, "2031-02-29")


def test_scenario_is_frozen() -> None:
    """Validated scenarios are immutable; variants are copies."""
    s = Scenario(name="x")
    with pytest.raises(ValueError):
        s.name = "y"  # type: ignore[misc]
    assert s.model_copy(update={"name": "y"}).name == "y" and s.name == "x"


def test_every_parameter_has_a_source_and_unit_names() -> None:
    """Every tagged parameter carries a source; the JSON Schema exposes tag, source and range."""
    schema = Scenario.model_json_schema()
    text = str(schema)
    assert "x-source" in text and "x-tag" in text and "x-range" in text
    assert Treatment.CONNECTED == "connected"
