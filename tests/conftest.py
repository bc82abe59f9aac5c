"""Shared fixtures: the bundled scenarios, loaded once."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sim.scenario.load import load_scenario, with_end_date
from sim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


def bundled(name: str, until: str | None = None) -> Scenario:
    return with_end_date(load_scenario(SCENARIOS / f"{name}.yaml"), until)


@pytest.fixture(scope="session")
def as_reported_short() -> Scenario:
    return bundled("as_reported", "2025-06-30")


@pytest.fixture(scope="session")
def no_transition_short() -> Scenario:
    return bundled("no_transition", "2025-06-30")


# --- real-browser tests (tests/browser.py): the system's Chromium, offline ---------------------


class _ScreenshotSummary:
    """Prints, at the end of a session that ran browser tests, where the screenshots are."""

    def __init__(self) -> None:
        self.saved: list[Path] = []

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        from .browser import SCREENSHOTS

        terminalreporter.write_sep("-", "browser test artefacts")
        terminalreporter.write_line(f"{len(self.saved)} screenshot(s) saved in {SCREENSHOTS}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """The system's Chromium, headless, via playwright; one per session.

    Without Chromium (or playwright) the test is skipped with a how-to, or fails when CI is set.
    """
    from . import browser as harness

    executable = harness.require_chromium("playwright", "`.venv/bin/pip install -e '.[test]'`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = harness.launch(pw, executable)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def browser_screenshots(browser: Any, request: pytest.FixtureRequest) -> list[Path]:
    """Every screenshot saved this session; their folder is printed at the end of the run."""
    summary = _ScreenshotSummary()
    request.config.pluginmanager.register(summary, "greensim-browser-artefacts")
    return summary.saved


@pytest.fixture()
def browser_page(browser: Any, browser_screenshots: list[Path],
                 request: pytest.FixtureRequest) -> Iterator[Any]:
    """A `tests.browser.BrowserPage` (1280×800, zh-CN) whose outside requests are all blocked.

    Check `.blocked`, `.console_errors`, `.page_errors` (or call `.assert_clean()`); save PNGs to
    outputs/test-artifacts/screenshots/ with `.screenshot(name)`.
    """
    from . import browser as harness

    bp = harness.open_page(browser, prefix=request.node.name)
    try:
        yield bp
    finally:
        browser_screenshots.extend(bp.screenshots)
        bp.context.close()


@pytest.fixture(scope="session")
def report_html(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small real report, built the way a user does: `greensim run` of both bundled scenarios
    (2025 only, 3 replicates), then `greensim report`. Depends on `browser` so that a machine
    without Chromium skips before spending the seconds it takes to build."""
    out = tmp_path_factory.mktemp("browser-report")
    greensim = [sys.executable, "-m", "sim"]  # the same entry point as the `greensim` script
    steps = [
        [*greensim, "run", str(SCENARIOS / "no_transition.yaml"),
         str(SCENARIOS / "as_reported.yaml"), "--until", "2025-12-31", "-n", "3", "-j", "1",
         "-q", "--out", str(out)],
        [*greensim, "report", str(out / "no_transition"), str(out / "as_reported"),
         "--out", str(out / "report.html")],
    ]
    for cmd in steps:
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}"
    return out / "report.html"
