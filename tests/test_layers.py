"""The package's shape: layers that import one way only, no import loops, modules a reader can
take in (issue 14). The contracts live in pyproject.toml ([tool.importlinter]); import-linter
checks them over every import, function-local and TYPE_CHECKING ones included."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "sim"
LAYERS = ("scenario", "model", "analysis", "experiments", "report", "classroom")
LINT = "from importlinter.cli import lint_imports; raise SystemExit(lint_imports(no_cache=True))"


def lint(root: Path) -> subprocess.CompletedProcess[str]:
    """import-linter over the `sim` package found at `root`, with root's pyproject.toml."""
    return subprocess.run([sys.executable, "-c", LINT], cwd=root, capture_output=True,
                          text=True, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
                          timeout=120)


def test_the_layer_and_loop_contracts_are_kept() -> None:
    """Each layer imports only those below it, and no module imports its way back to itself."""
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(("module", "bad_import", "contract"), [
    ("model/world.py", "from sim.report import page", "one-way flow"),
    ("analysis/stats.py", "from sim.model import river", "never the model"),
    ("report/figures.py", "from sim.model import simulation", "never the model"),
    ("scenario/load.py", "from sim.analysis import outcomes", "one-way flow"),
    ("model/record.py", "from sim.model import township", "no import loops"),
    ("classroom/figures.py", "from sim.model import simulation", "only through the experiments"),
    ("report/page.py", "from sim.classroom import cards", "one-way flow"),
])
def test_the_contracts_catch_a_planted_violation(tmp_path: Path, module: str, bad_import: str,
                                                 contract: str) -> None:
    """The check is real: a copy of the package with one wrong import breaks its contract."""
    shutil.copytree(PACKAGE, tmp_path / "sim", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "sim" / module
    target.write_text(target.read_text() + f"\n{bad_import}  # planted\n")
    result = lint(tmp_path)
    assert result.returncode != 0
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken and "planted" not in result.stderr, result.stdout


def test_no_module_is_over_500_lines() -> None:
    """A reader can take in any module: none is longer than 500 lines."""
    long = {str(p.relative_to(ROOT)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500}
    assert not long


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_says_what_lives_in_it(layer: str) -> None:
    """Each sub-package's __init__.py has a docstring naming the modules that live there."""
    init = PACKAGE / layer / "__init__.py"
    doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
    assert doc, f"{init} has no docstring"
    modules = sorted(p.stem for p in init.parent.glob("*.py") if p.stem != "__init__")
    unnamed = [m for m in modules if f"`{m}`" not in doc]
    assert not unnamed, f"{init}'s docstring does not name {unnamed}"
