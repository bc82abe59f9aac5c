"""Shared fixtures: the bundled scenarios, loaded once."""

from __future__ import annotations

from pathlib import Path

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
