"""`greensim figures`: each chart of the report as a PNG or SVG file for slides (issue 17), drawn
by kaleido in the system's Chromium, offline.

The exports run the way a user runs them (`greensim run`, then `greensim figures`, as real
subprocesses) and are marked `browser`: without Chromium they are skipped with a how-to, and fail
when CI is set (the rule of the `browser` fixture in conftest.py). A missing Chromium is also
checked on its own: one line, exit 2, nothing written.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from sim.files import write_marker
from sim.report.export import NEEDS_CHROMIUM, ChromiumMissing, find_chromium, report_charts
from sim.report.i18n import Tr
from sim.report.page import load_runs

from . import browser as harness
from .conftest import ROOT, SCENARIOS

GREENSIM = [sys.executable, "-m", "sim"]  # the same entry point as the `greensim` script
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def greensim(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*GREENSIM, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env=env)


@pytest.fixture(scope="module")
def chromium() -> str:
    """The system's Chromium and the kaleido package, or a skip with a how-to (a failure when
    CI is set), as for the `browser` fixture."""
    return harness.require_chromium("kaleido", "`.venv/bin/pip install -e .`")


@pytest.fixture(scope="module")
def run_dirs(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """A small real run of both bundled scenarios (2024 only, 2 replicates); depends on
    `chromium` so that a machine without one skips before spending the time."""
    out = tmp_path_factory.mktemp("figures-runs")
    done = greensim("run", str(SCENARIOS / "no_transition.yaml"),
                    str(SCENARIOS / "as_reported.yaml"), "--until", "2024-12-31", "-n", "2",
                    "-j", "1", "-q", "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    return [out / "no_transition", out / "as_reported"]


def expected_names(dirs: list[Path], fmt: str, lang: str = "zh") -> list[str]:
    charts = report_charts(load_runs(dirs), Tr(lang))
    return [f"{i:02d}-{slug}.{fmt}" for i, (slug, _, _) in enumerate(charts, start=1)]


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk, checking the signature first."""
    head = path.read_bytes()[:24]
    assert head[:8] == PNG_SIGNATURE, f"{path.name} is not a PNG"
    assert head[12:16] == b"IHDR"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def images(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


@pytest.mark.browser
def test_png_export_writes_every_chart_at_the_requested_size(run_dirs: list[Path],
                                                             tmp_path: Path) -> None:
    """Every chart of the page, in page order, as a PNG of width × scale by height × scale
    pixels; one progress line per image."""
    out = tmp_path / "slides"
    done = greensim("figures", *map(str, run_dirs), "--out", str(out), "--format", "png",
                    "--width", "800", "--height", "450", "--scale", "1.5")
    assert done.returncode == 0, done.stdout + done.stderr
    names = expected_names(run_dirs, "png")
    assert {"01-differences.png", "02-winners.png", "03-river-map.png"} <= set(names)
    assert images(out) == names
    for name in names:
        assert png_size(out / name) == (1200, 675), name
    lines = done.stderr.splitlines()
    assert sum(line.startswith("[") for line in lines) == len(names)
    assert f"wrote {len(names)} figure(s) in {out}" in done.stdout


@pytest.mark.browser
def test_svg_export_parses_and_keeps_each_charts_height(run_dirs: list[Path],
                                                        tmp_path: Path) -> None:
    """SVGs (English, the default size: 1200 wide, each chart as high as on the page) parse as
    XML; --base puts the chosen scenario first, as in the report."""
    out = tmp_path / "svg"
    done = greensim("figures", *map(str, run_dirs), "--out", str(out), "--format", "svg",
                    "--lang", "en", "--base", "as_reported", "-q")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr == ""
    charts = report_charts(load_runs(run_dirs, "as_reported"), Tr("en"))
    names = [f"{i:02d}-{slug}.svg" for i, (slug, _, _) in enumerate(charts, start=1)]
    assert images(out) == names
    for name, (_, _, fig) in zip(names, charts, strict=True):
        root = ET.parse(out / name).getroot()
        assert root.tag.endswith("svg"), name
        assert (float(root.get("width", 0)), float(root.get("height", 0))) == (
            1200, fig.layout.height), name
    legend = (out / "01-differences.svg").read_text(encoding="utf-8")
    assert "no transition" in legend  # the English name of no_transition


@pytest.mark.browser
def test_an_export_removes_the_images_it_did_not_write(run_dirs: list[Path],
                                                       tmp_path: Path) -> None:
    """Exporting into a figures folder of an earlier export removes that export's images of
    the same format that it did not write now (a single run has no differences or winners),
    and keeps the other format's images and files that are not charts."""
    out = tmp_path / "again"
    out.mkdir()
    write_marker(out, "figures")
    kept = ["01-differences.svg", "notes.txt"]
    for name in ["01-differences.png", "02-winners.png", "99-old-chart.png", *kept]:
        (out / name).write_bytes(b"old")
    done = greensim("figures", str(run_dirs[0]), "--out", str(out), "--scale", "1", "-q")
    assert done.returncode == 0, done.stderr
    names = expected_names(run_dirs[:1], "png")
    assert not any("differences" in n or "winners" in n for n in names)
    assert images(out) == sorted([*names, *kept])
    assert all((out / n).read_bytes().startswith(PNG_SIGNATURE) for n in names)


def _without_browser_variables() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("CHROMIUM", "BROWSER_PATH")}


@pytest.mark.parametrize("variable", ["CHROMIUM", "BROWSER_PATH"])
def test_a_missing_chromium_is_one_line_and_exit_2(tmp_path: Path, variable: str) -> None:
    """A browser variable naming no program: exit 2, one line saying how to get Chromium, no
    output folder made, and no fallback to another browser (nor a download)."""
    env = {**_without_browser_variables(), variable: str(tmp_path / "no-such-chromium")}
    out = tmp_path / "figures"
    done = greensim("figures", str(tmp_path / "runs" / "a"), "--out", str(out), env=env)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"error: {NEEDS_CHROMIUM}")
    assert variable in lines[0]
    assert not out.exists()


def test_no_chromium_on_path_is_reported(monkeypatch: pytest.MonkeyPatch,
                                         tmp_path: Path) -> None:
    """With no variable set and no chromium on PATH, `find_chromium` says what to install."""
    for variable in ("CHROMIUM", "BROWSER_PATH"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ChromiumMissing, match="apt-get install chromium"):
        find_chromium()


def test_the_browser_variable_is_used_as_given(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    """$CHROMIUM wins over $BROWSER_PATH and over PATH."""
    fake = tmp_path / "my-chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("CHROMIUM", str(fake))
    monkeypatch.setenv("BROWSER_PATH", "/usr/bin/chromium")
    assert find_chromium() == str(fake)


@pytest.fixture()
def no_browser_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for variable in ("CHROMIUM", "BROWSER_PATH"):
        monkeypatch.delenv(variable, raising=False)
    yield


def test_figures_has_help(no_browser_env: None) -> None:
    """`greensim figures --help` names the options."""
    done = greensim("figures", "--help")
    assert done.returncode == 0
    for option in ("--out", "--format", "--lang", "--base", "--width", "--height", "--scale"):
        assert option in done.stdout
