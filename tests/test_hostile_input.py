"""Hostile and careless input (issue 14 §2): safe scenario names, `validate` agreeing with `run`,
bounded input and error output, a JSON Schema that agrees with greensim, `--scheduler` checked.

Each bad input exits 2 with one line per problem naming the file, the key path and what was
expected, from `validate` and from `run` alike, never a traceback.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner, Result

import sim.scenario.load as load_module
import sim.scenario.yamlfile as yamlfile_module
from sim.cli import cli
from sim.cli_support import _scheduler_address
from sim.errors import ScenarioError
from sim.scenario.load import MAX_EXTENDS, MAX_PROBLEMS, load_scenario
from sim.scenario.yamlfile import MAX_FILE_BYTES

from .conftest import ROOT, SCENARIOS

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
    ("name: x\nriver:\n  velocity_m_s_at_1_m3_s: .inf\n", "river.velocity_m_s_at_1_m3_s",
     "finite number"),
    ("name: x\nriver:\n  velocity_m_s_at_1_m3_s: .nan\n", "river.velocity_m_s_at_1_m3_s",
     "finite number"),
    ("name: x\nsewage:\n  concentration_mg_l: {cod: .inf, nh3n: 40, tp: 3}\n",
     "sewage.concentration_mg_l.cod", "finite number"),
    ("name: x\nuncertainties:\n  - {parameter: levers.shared_facility.outages_per_year, "
     "distribution: uniform}\n", "uncertainties.0.parameter", "not set in this scenario"),
    ("name: x\nuncertainties:\n  - {parameter: sewage.discharge_share, distribution: uniform, "
     "low: 0.5, high: 3}\n", "uncertainties.0.parameter", "less than or equal to 1"),
    ("name: x\nair:\n  regional_good_chance_by_month: [0.9]\n", "air.regional_good_chance_by_month",
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

    monkeypatch.setattr(yamlfile_module.yaml, "load", no_parsing)
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


# ----------------------------------------------------------------------------- hostile sweep 2
@pytest.mark.parametrize(("text", "line", "key", "first"), [
    ("name: x\nlevers:\n  closures: {date: 2024-03-01, rule: unlicensed}\n"
     "river: {length_km: 20}\nlevers:\n  councils: {start: 2024-03-01}\n", 5, "levers", 2),
    ("name: x\nlevers:\n  closures:\n    date: 2024-03-01\n    rule: unlicensed\n"
     "    date: 2024-06-01\n", 6, "levers.closures.date", 4),
    ("name: x\nworkshops:\n  - {id: a, id: b}\n", 3, "workshops.0.id", 3),
    ("name: x\nname: y\n", 2, "name", 1),
])
def test_duplicate_keys_are_refused(tmp_path: Path, text: str, line: int, key: str,
                                    first: int) -> None:
    """A key written twice in one mapping, at any depth, is an error naming the file, the key
    path and both lines (PyYAML kept the last silently: a second `levers:` dropped the first)."""
    path = write(tmp_path, "dup.yaml", text)
    for res in (validate(str(path)), run(tmp_path / "out", str(path))):
        assert_refused(res)
        assert errors(res) == [f"error: {path}: line {line}: key {key!r} appears twice "
                               f"(first at line {first})"], errors(res)
    assert not (tmp_path / "out").exists()


def test_a_duplicate_key_in_a_set_value_is_refused() -> None:
    """`--set` refuses a flow mapping with a key twice (not taken as text, then a type error)."""
    res = validate(AS_R, "--set", "river={length_km: 1, length_km: 2}")
    assert_refused(res)
    assert errors(res) == ["error: --set river: line 1: key 'length_km' appears twice (first at "
                           "line 1)"], errors(res)


def test_merge_keys_may_be_overridden_but_not_repeated(tmp_path: Path) -> None:
    """A YAML merge (`<<: *base`) followed by the same key overrides it, as YAML intends; only
    keys written twice in the same mapping are refused."""
    path = write(tmp_path, "merge.yaml", "name: x\nriver:\n  <<: &r {length_km: 20, "
                                         "velocity_m_s_at_1_m3_s: 0.5}\n"
                                         "  length_km: 30\n")
    assert load_scenario(path).river.length_km == 30


def test_a_symbolic_link_loop_is_one_clear_line(tmp_path: Path) -> None:
    """A scenario path that is a symbolic link loop (it was a RuntimeError traceback), or a loop
    reached through `extends:` (it was "file not found"), is said to be one."""
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.symlink_to(b.name)
    b.symlink_to(a.name)
    child = write(tmp_path, "child.yaml", "name: child\nextends: a.yaml\n")
    for res in (validate(str(a)), run(tmp_path / "out", str(a))):
        assert_refused(res)
        assert errors(res) == [f"error: {a}: a symbolic link loop"], errors(res)
    for res in (validate(str(child)), run(tmp_path / "out", str(child))):
        assert_refused(res)
        assert errors(res) == [f"error: {child}: extends: {a}: a symbolic link loop"]
    assert not (tmp_path / "out").exists()


def test_a_township_without_workshops_validates_and_runs(tmp_path: Path) -> None:
    """`workshops: []` is a township whose workshops are gone: validate accepts it and a run
    completes (it failed every run with an IndexError), with no workshop loads."""
    import pandas as pd

    for scenario in ("no_transition", "as_reported"):
        path = str(SCENARIOS / f"{scenario}.yaml")
        checked = validate(path, "--set", "workshops=[]")
        assert checked.exit_code == 0, checked.output
        out = tmp_path / scenario
        ran = run(out, path, "--set", "workshops=[]", "--until", "2024-12-31")
        assert ran.exit_code == 0, ran.output
        township = pd.read_parquet(out / scenario / "township.parquet")
        assert len(township) == 24
        columns = ["cod_kg_workshops", "tp_kg_workshops", "workshops_open", "workshop_jobs",
                   "treatment_fees_yuan"]
        assert (township[columns] == 0).all().all(), township[columns]
        assert (township["cod_kg_households"] > 0).all()  # the other sources remain


FILE_ENCODING_ASCII = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "PYTHONCOERCECLOCALE": "0",
                       "PYTHONUTF8": "0"}


def greensim_in(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "sim", *args], env=env, cwd=ROOT,
                          capture_output=True, timeout=300, check=False)


def test_a_name_the_file_system_cannot_encode_is_refused(tmp_path: Path) -> None:
    """With an ASCII file-name encoding (the C locale without UTF-8 coercion), a Chinese name
    is refused by validate and run alike, saying what to do (it passed validation, then a
    write raised UnicodeEncodeError, a traceback)."""
    probe = greensim_in(FILE_ENCODING_ASCII, "--version")
    assert probe.returncode == 0, probe.stderr
    encoding = subprocess.run([sys.executable, "-c", "import sys; "
                               "print(sys.getfilesystemencoding())"], env=FILE_ENCODING_ASCII,
                              capture_output=True, text=True, check=True).stdout.strip()
    if encoding.replace("-", "").lower() == "utf8":
        pytest.skip("this system's C locale uses UTF-8 file names")
    path = write(tmp_path, "zh.yaml", "name: 清河方案\n")
    out = tmp_path / "out"
    results = [greensim_in(FILE_ENCODING_ASCII, "validate", str(path)),
               greensim_in(FILE_ENCODING_ASCII, "run", str(path), "-n", "1", "-j", "1", "-q",
                           "--until", "2023-01-31", "--out", str(out))]
    for res in results:
        err = res.stderr.decode("ascii", "replace")
        assert res.returncode == 2, err
        assert "Traceback" not in err
        lines = [x for x in err.splitlines() if x.strip()]
        assert len(lines) == 1, lines
        assert lines[0].startswith(f"error: {path}: name: the name cannot be a folder name on "
                                   f"this system's file-name encoding ({encoding}); set a "
                                   f"UTF-8 locale, e.g. LANG=C.UTF-8, or use an ASCII name"), \
            lines
    assert results[0].stderr == results[1].stderr
    assert not out.exists()
    ascii_name = write(tmp_path, "plain.yaml", "name: plain\n")
    assert greensim_in(FILE_ENCODING_ASCII, "validate", str(ascii_name)).returncode == 0


@pytest.mark.parametrize("error", [
    UnicodeEncodeError("ascii", "清河", 0, 2, "ordinal not in range(128)"),
    UnicodeDecodeError("ascii", b"\xe6\xb8\x85", 0, 1, "ordinal not in range(128)"),
])
def test_an_encoding_error_from_the_system_is_one_line(monkeypatch: pytest.MonkeyPatch,
                                                       error: UnicodeError) -> None:
    """Any text the user's system cannot encode or decode (its locale) exits 2 with one line
    saying what to do, not a traceback."""
    def fail(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(load_module, "load_scenario", fail)
    res = validate(AS_R)
    assert_refused(res, "LANG=C.UTF-8")
    assert len(errors(res)) == 1, errors(res)


@pytest.mark.parametrize(("name", "ok"), [
    ("a" * 80, True),
    ("清" * 66, True),                 # 198 bytes
    ("清" * 67, False),                # 201 bytes
    ("\U00020000" * 50, True),         # 200 bytes
    ("\U00020000" * 51, False),        # 204 bytes
    ("\U00020000" * 80, False),        # 320 bytes: validated, then too long for a folder
])
def test_names_are_bounded_in_bytes_as_folder_names_are(tmp_path: Path, name: str,
                                                        ok: bool) -> None:
    """A name is at most 200 bytes in UTF-8 (a folder name takes 255, and greensim's temporary
    `.NAME.tmp-PID` needs room): validate refuses what run would, with the same message."""
    path = write(tmp_path, "long.yaml", f"name: {name}\n")
    checked = validate(str(path))
    if ok:
        assert checked.exit_code == 0, checked.output
        ran = run(tmp_path / "out", str(path), "--until", "2023-01-31")
        assert ran.exit_code == 0, ran.output
        assert (tmp_path / "out" / name / "run.json").exists()
        return
    ran = run(tmp_path / "out", str(path), "--until", "2023-01-31")
    n = len(name.encode("utf-8"))
    for res in (checked, ran):
        assert_refused(res, f"{path}: name: expected a name of at most 200 bytes in UTF-8 "
                            f"(this one has {n}; a Chinese character takes 3), as it names a "
                            f"folder")
    assert errors(checked) == errors(ran)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("text", "where"), [
    ("name: x\0\n", "line 1, column 8"),
    ("name: x\nriver:\n  length_km: 2\0\n", "line 3, column 15"),
])
def test_a_nul_byte_is_one_line_with_its_line_and_column(tmp_path: Path, text: str,
                                                         where: str) -> None:
    """A NUL byte (a binary or damaged file) is one line naming its line and column (it was
    two lines giving a character position)."""
    path = write(tmp_path, "nul.yaml", text)
    for res in (validate(str(path)), run(tmp_path / "out", str(path))):
        assert_refused(res)
        assert errors(res) == [f"error: {path}: contains a NUL byte at {where} (is it a "
                               f"binary or damaged file?)"], errors(res)


@pytest.mark.parametrize(("first", "second"), [
    ("Base", "base"),
    ("\u00e1rbol", "a\u0301rbol"),  # NFC and NFD spellings of árbol
    ("STRASSE", "straße"),
])
def test_names_that_differ_only_in_case_or_normalisation_are_refused(tmp_path: Path,
                                                                      first: str,
                                                                      second: str) -> None:
    """Two names that would name one folder on a case-insensitive or normalising file system
    (macOS, Windows) cannot run together; validate says so too, with the same message."""
    a = write(tmp_path, "a.yaml", f"name: {first}\n")
    b = write(tmp_path, "b.yaml", f"name: {second}\n")
    expected = (f"error: {b}: name: {second!r} and {first!r} (the name of {a}) would share a "
                f"folder on case-insensitive file systems")
    checked = validate(str(a), str(b))
    ran = run(tmp_path / "out", str(a), str(b), "--until", "2023-01-31")
    for res in (checked, ran):
        assert_refused(res)
        assert errors(res)[0].startswith(expected), errors(res)
    assert errors(ran) == errors(checked)[-len(errors(ran)):]
    assert not (tmp_path / "out").exists()


def test_run_scenarios_refuses_names_that_would_share_a_folder(tmp_path: Path) -> None:
    """The library refuses them too (not only the command)."""
    from sim.errors import GreensimError
    from sim.experiments.replicates import run_scenarios

    base = load_scenario(write(tmp_path, "a.yaml", "name: Base\nend_date: 2023-01-31\n"))
    other = base.model_copy(update={"name": "base"})
    with pytest.raises(GreensimError, match="would share a folder"):
        run_scenarios([base, other], replicates=1, seed=1, out=tmp_path / "out")
    assert not (tmp_path / "out").exists()
