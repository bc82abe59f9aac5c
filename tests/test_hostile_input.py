"""Hostile and careless input (issue 14 §2): safe scenario names, `validate` agreeing with `run`,
bounded input and error output, a JSON Schema that agrees with greensim, `--scheduler` checked.

Each bad input exits 2 with one line per problem naming the file, the key path and what was
expected, from `validate` and from `run` alike, never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner, Result

import sim.scenario.load as load_module
from sim.cli import _scheduler_address, cli
from sim.errors import ScenarioError
from sim.scenario.load import MAX_EXTENDS, MAX_FILE_BYTES, MAX_PROBLEMS, load_scenario

from .conftest import SCENARIOS

AS_R = str(SCENARIOS / "as_reported.yaml")


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def validate(*args: str) -> Result:
    return CliRunner().invoke(cli, ["validate", *args])


def run(out: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["run", *args, "-n", "1", "-j", "1", "-q", "--out", str(out)])


def errors(res: Result) -> list[str]:
    return [line for line in res.stderr.splitlines() if line.strip()]


def assert_refused(res: Result, *needles: str) -> None:
    """Exit 2, one `error:` line (then one line per further problem), no traceback."""
    text = res.stderr
    assert res.exit_code == 2, (res.exit_code, res.output)
    assert "Traceback" not in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert text.startswith("error: "), text
    for needle in needles:
        assert needle in text, (needle, text)


# ----------------------------------------------------------------------------- (1) names
@pytest.mark.parametrize("name", ["..", ".", "a.b", "../x", "a/b", "x y", "/tmp/x", "a\\b"])
def test_a_name_that_is_a_path_or_dots_is_refused(tmp_path: Path, name: str) -> None:
    """`name:` must be a safe name (letters, digits, _ and -): never `.`, `..` or a path."""
    path = write(tmp_path, "s.yaml", f"name: {json.dumps(name)}\n")
    for res in (validate(str(path)), run(tmp_path / "out", str(path))):
        assert_refused(res, f"{path}: name: expected a name of letters of any script",
                       repr(name))
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("file_name", ["..yaml", "my scenario.yaml", "v1.2.yaml"])
def test_a_file_whose_name_is_not_safe_needs_a_name_key(tmp_path: Path, file_name: str) -> None:
    """Without `name:`, the file's name is the scenario's only if it is a safe name; otherwise
    the error says to add `name:` (a file `..yaml` no longer names a scenario `.`)."""
    path = write(tmp_path, file_name, "description: no name here\n")
    for res in (validate(str(path)), run(tmp_path / "out", str(path))):
        assert_refused(res, f"{path}: name: the file's name", "add `name:`")
    assert not (tmp_path / "out").exists()


def test_names_in_any_script_work(tmp_path: Path) -> None:
    """Chinese (or any script's) names work, written in the file or taken from its name."""
    named = write(tmp_path, "a.yaml", "name: 清河方案_2024\n")
    unnamed = write(tmp_path, "方案二.yaml", "description: 以文件名为名\n")
    assert load_scenario(named).name == "清河方案_2024"
    assert load_scenario(unnamed).name == "方案二"
    res = validate(str(named), str(unnamed))
    assert res.exit_code == 0 and res.output.count("ok:") == 2
    out = tmp_path / "out"
    ran = run(out, str(named), "--until", "2023-01-31")
    assert ran.exit_code == 0, ran.output
    assert (out / "清河方案_2024" / "run.json").exists()


# ----------------------------------------------------------------------------- (4) validate = run
BAD_FILES = [
    ("name: x\nstart_date: 0001-01-01\nend_date: 0002-12-31\n", "start_date",
     "from 1900-01-01 to 2099-12-31"),
    ("name: x\nend_date: 9999-12-31\n", "end_date", "from 1900-01-01 to 2099-12-31"),
    ("name: x\nstart_date: 2099-01-01\nend_date: 2100-06-30\n", "end_date", "lunar calendar"),
    ("name: x\nriver:\n  velocity_m_per_s: .inf\n", "river.velocity_m_per_s", "finite number"),
    ("name: x\nriver:\n  velocity_m_per_s: .nan\n", "river.velocity_m_per_s", "finite number"),
    ("name: x\nsewage:\n  concentration_mg_l: {cod: .inf, nh3n: 40, tp: 3}\n",
     "sewage.concentration_mg_l.cod", "finite number"),
    ("name: x\nuncertainties:\n  - {parameter: levers.shared_facility.outages_per_year, "
     "distribution: uniform}\n", "uncertainties.0.parameter", "not set in this scenario"),
    ("name: x\nuncertainties:\n  - {parameter: sewage.discharge_share, distribution: uniform, "
     "low: 0.5, high: 3}\n", "uncertainties.0.parameter", "less than or equal to 1"),
    ("name: x\nair:\n  good_day_chance_by_month: [0.9]\n", "air.good_day_chance_by_month",
     "at least 12 items"),
    ("name: x\nair:\n  harvest_burn_months: [13]\n", "air.harvest_burn_months.0",
     "less than or equal to 12"),
    ("name: x\npaddy:\n  mu_min: 3\n", "paddy", "mu_max 2.5 must be >= mu_min 3"),
    ("", "", "empty scenario file; write at least `name:"),
    ("# only a comment\n", "", "empty scenario file"),
    ("null\n", "", "empty scenario file"),
]


@pytest.mark.parametrize(("text", "key", "expected"), BAD_FILES)
def test_validate_refuses_what_run_refuses(tmp_path: Path, text: str, key: str,
                                           expected: str) -> None:
    """Every value `run` refuses (or that failed inside a run: dates the lunar calendar does not
    cover, infinite numbers, undrawable uncertainties, fewer than 12 monthly values, mu_min above
    mu_max) `validate` refuses too, with the same message naming the file and the key path; an
    empty file is an error, not all defaults. (`harvest_burn_months: [13]` ran, burning never.)"""
    path = write(tmp_path, "bad.yaml", text)
    checked = validate(str(path))
    ran = run(tmp_path / "out", str(path), "--until", "2023-03-31")
    prefix = f"error: {path}: {key}: " if key else f"error: {path}: "
    for res in (checked, ran):
        assert_refused(res, expected)
        assert errors(res)[0].startswith(prefix), errors(res)
    assert errors(checked) == errors(ran)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("until", ["2100-01-01", "9999-12-31", "2022-12-31"])
def test_validate_checks_until_as_run_does(tmp_path: Path, until: str) -> None:
    """`validate --until` refuses what `run --until` refuses, with the same message."""
    checked = validate(AS_R, "--until", until)
    ran = run(tmp_path / "out", AS_R, "--until", until)
    for res in (checked, ran):
        assert_refused(res, f"--until {until} (scenario as_reported): ")
    assert errors(checked) == errors(ran)


def test_the_supported_dates_run_at_both_ends(tmp_path: Path) -> None:
    """The first and last months of the supported range do run (the range is not too tight)."""
    first = write(tmp_path, "first.yaml", "name: first\nstart_date: 1900-01-01\n"
                                          "end_date: 1900-02-28\n")
    last = write(tmp_path, "last.yaml", "name: last\nstart_date: 2099-11-01\n"
                                        "end_date: 2099-12-31\n")
    res = run(tmp_path / "out", str(first), str(last))
    assert res.exit_code == 0, res.output


def test_validate_refuses_two_files_of_one_name(tmp_path: Path) -> None:
    """Two files naming the same scenario cannot run together; validate says so too."""
    a = write(tmp_path, "a.yaml", "name: same\n")
    b = write(tmp_path, "b.yaml", "name: same\n")
    assert_refused(validate(str(a), str(b)), f"{b}: name: 'same' is also the name of {a}")
    assert run(tmp_path / "out", str(a), str(b)).exit_code == 2


def test_an_explicit_empty_mapping_is_all_defaults(tmp_path: Path) -> None:
    """`{}` is written on purpose (unlike an empty file): the defaults, named after the file."""
    assert load_scenario(write(tmp_path, "defaults.yaml", "{}\n")).name == "defaults"


# ----------------------------------------------------------------------------- (6) bounds
def test_a_file_over_the_size_limit_is_refused_unparsed(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A scenario file over 1 MB is refused before any YAML parsing, with a clear message."""
    path = tmp_path / "huge.yaml"
    path.write_text("name: huge\n" + "# padding\n" * (MAX_FILE_BYTES // 10), encoding="utf-8")
    assert MAX_FILE_BYTES < path.stat().st_size < MAX_FILE_BYTES + 100

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr(load_module.yaml, "load", no_parsing)
    for res in (validate(str(path)), run(tmp_path / "out", str(path))):
        assert_refused(res, f"{path}: file is over 1,000,000 bytes")


def test_many_problems_print_the_first_ones_and_a_count(tmp_path: Path) -> None:
    """100 unknown keys print the first 20 problems, then "and 80 more"."""
    keys = "".join(f"unknown_{i}: {i}\n" for i in range(100))
    path = write(tmp_path, "many.yaml", f"name: many\n{keys}")
    res = validate(str(path))
    assert_refused(res, "unknown_0: unknown key", "unknown_19: unknown key")
    lines = errors(res)
    assert len(lines) == MAX_PROBLEMS + 1 and "unknown_20" not in res.stderr
    assert lines[-1] == f"{path}: and 80 more problem(s) (fix the ones above first)"


def test_huge_values_are_cut_in_messages(tmp_path: Path) -> None:
    """A huge value or key is shown cut short: the message stays one short line."""
    path = write(tmp_path, "long.yaml", f"name: x\nriver:\n  length_km: {'9' * 20}x{'9' * 50_000}\n"
                                        f"? {'k' * 50_000}\n: 1\n")
    res = validate(str(path))
    assert_refused(res, "river.length_km: Input should be a valid number")
    assert all(len(line) < 300 for line in errors(res)), [len(x) for x in errors(res)]


def test_extends_chains_are_bounded(tmp_path: Path) -> None:
    """An `extends:` chain longer than MAX_EXTENDS files is refused, naming where it started."""
    write(tmp_path, "f0.yaml", "name: f0\n")
    for i in range(1, MAX_EXTENDS + 2):
        write(tmp_path, f"f{i}.yaml", f"extends: f{i - 1}.yaml\n")
    ok = tmp_path / f"f{MAX_EXTENDS - 1}.yaml"
    assert load_scenario(ok).name == ok.stem
    top = tmp_path / f"f{MAX_EXTENDS + 1}.yaml"
    assert_refused(validate(str(top)), "extends: chain of more than 10 files", str(top))


@pytest.mark.parametrize(("text", "expected"), [
    ("name: x\nriver: " + "[" * 5000 + "]" * 5000 + "\n", "nested more than 32 levels deep"),
    ("name: x\nriver:\n  length_km: " + "9" * 5000 + "\n", "at line 3, column 14: integer of"),
    ("name: x\na: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(  # 10**7 values
        f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n"
        for p, c in zip("abcdef", "bcdefg", strict=True)),
     "values (YAML aliases *name expanded), over the limit of 100,000"),
    ("name: x\na: &a [*a]\n", "an alias (*name) refers to a value that contains it"),
    ("name: x\nend_date: !!timestamp 2024-13-45\n", "YAML value not understood"),
])
def test_yaml_bombs_are_refused_clearly(tmp_path: Path, text: str, expected: str) -> None:
    """Deep nesting, giant integers, alias bombs and self-references: one clear line each
    (they gave a RecursionError or ValueError traceback, or walked millions of values)."""
    path = write(tmp_path, "bomb.yaml", text)
    for res in (validate(str(path)), run(tmp_path / "out", str(path))):
        assert_refused(res, f"{path}: ", expected)


# ----------------------------------------------------------------------------- (8) JSON Schema
@pytest.fixture(scope="module")
def file_schema() -> jsonschema.protocols.Validator:
    res = CliRunner().invoke(cli, ["schema"])
    assert res.exit_code == 0
    doc = json.loads(res.output)
    cls = jsonschema.validators.validator_for(doc)
    cls.check_schema(doc)
    return cls(doc)


def as_editor_sees(text: str) -> object:
    """A YAML file as an editor's YAML plugin checks it: JSON values (YAML 1.2 has no date type,
    mapping keys are strings)."""
    return json.loads(json.dumps(yaml.safe_load(text), default=str))


def schema_errors(validator: jsonschema.protocols.Validator, text: str) -> list[str]:
    return [e.message for e in validator.iter_errors(as_editor_sees(text))]


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_bundled_scenarios_pass_the_printed_schema(file_schema: jsonschema.protocols.Validator,
                                                   path: Path) -> None:
    """`greensim schema` accepts every bundled scenario (`extends` included, `name` optional),
    checked by jsonschema, a validator greensim itself does not use."""
    assert schema_errors(file_schema, path.read_text(encoding="utf-8")) == []
    load_scenario(path)


@pytest.mark.parametrize(("text", "needle"), [
    ("name: x\nrivr: {}\n", "rivr"),
    ("name: '..'\n", "does not match"),
    ("name: a/b\n", "does not match"),
    ("name: x\nstart_date: 0001-01-01\n", "does not match"),
    ("name: x\nriver: {length_km: -1}\n", "minimum"),
    ("name: x\nlevers:\n  shared_facility: {build_months: 3}\n", "'build_start' is a required"),
])
def test_bad_input_is_flagged_by_schema_and_greensim(tmp_path: Path,
                                                     file_schema: jsonschema.protocols.Validator,
                                                     text: str, needle: str) -> None:
    """The printed schema is not trivially permissive: what greensim refuses, it flags too."""
    found = schema_errors(file_schema, text)
    assert len(found) == 1 and needle in found[0], found
    with pytest.raises(ScenarioError):
        load_scenario(write(tmp_path, "bad.yaml", text))


@pytest.mark.parametrize("text", [
    "description: no name key, the file's name is used\n",
    "name: 清河方案\n",
    "{}\n",
])
def test_good_input_passes_schema_and_greensim(tmp_path: Path,
                                               file_schema: jsonschema.protocols.Validator,
                                               text: str) -> None:
    """Neither flags a file greensim accepts: `name` is optional, names in any script work."""
    assert schema_errors(file_schema, text) == []
    load_scenario(write(tmp_path, "good.yaml", text))


def test_a_file_that_extends_another_may_be_partial(tmp_path: Path,
                                                    file_schema: jsonschema.protocols.Validator
                                                    ) -> None:
    """With `extends:`, required keys may live in the parent: the schema flags none missing
    (but still flags unknown keys and bad values), as greensim merges the parent first."""
    write(tmp_path, "parent.yaml", "name: parent\nlevers:\n  shared_facility:\n"
                                   "    build_start: 2024-01-01\n")
    text = "extends: parent.yaml\nname: child\nlevers:\n  shared_facility: {build_months: 3}\n"
    assert schema_errors(file_schema, text) == []
    child = load_scenario(write(tmp_path, "child.yaml", text))
    assert child.levers.shared_facility is not None
    assert child.levers.shared_facility.build_months == 3
    assert schema_errors(file_schema, text + "rivr: 1\n") != []
    assert schema_errors(file_schema, text.replace("build_months: 3", "build_months: -3")) != []


# ----------------------------------------------------------------------------- --scheduler
@pytest.mark.parametrize("command", [
    ["run", AS_R], ["compare", AS_R, AS_R], ["sweep", AS_R, "--vary", "river.flow_log_sd"],
])
@pytest.mark.parametrize("address", ["notaurl", "tcp://host", "tcp://host:99999",
                                     "ucx://host:8786", "http://host:8786"])
def test_a_bad_scheduler_address_is_a_usage_error(tmp_path: Path, command: list[str],
                                                  address: str) -> None:
    """`--scheduler` takes `local` or a Dask address (tcp://host:port); anything else exits 2
    at option parsing, saying what is expected, before any work (it was a traceback)."""
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, [*command, "--scheduler", address, "--out", str(out)])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert f"Invalid value for '--scheduler': {address!r}: expected 'local' or a Dask " \
           f"scheduler address tcp://host:port" in res.stderr
    assert not out.exists()


@pytest.mark.parametrize("address", ["local", "tcp://10.0.0.5:8786", "tcp://head:8786",
                                     "head.example.org:8786", "tcp://[::1]:8786", "ws://h:8786"])
def test_good_scheduler_addresses_are_accepted(address: str) -> None:
    assert _scheduler_address(None, None, address) == address  # type: ignore[arg-type]
