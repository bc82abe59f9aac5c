"""Golden output: a short seeded run's key aggregates must not drift unnoticed.

If a change alters the model on purpose, regenerate with
`GREENSIM_REGENERATE_GOLDEN=1 python -m pytest tests/test_golden.py` and say why in the commit.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from sim.model.simulation import run

from .conftest import bundled

GOLDEN = Path(__file__).parent / "golden" / "as_reported_2023_2024_seed7.json"


def summary() -> dict[str, float]:
    t = run(bundled("as_reported", "2024-12-31"), 7, 0).tables
    tw, sec, ev = t["township"], t["sections"], t["events"]
    out = {f"township.{c}.sum": float(tw[c].sum()) for c in (
        "cod_kg_workshops", "cod_kg_households", "nh3n_kg_workshops", "tp_kg_workshops",
        "income_per_capita_yuan", "public_spending_yuan", "workshop_jobs", "job_seekers",
        "sections_meeting_target_share", "river_flow_m3_s")}
    out |= {f"sections.{c}.sum": float(sec[c].sum()) for c in (
        "cod_mg_l", "nh3n_mg_l", "tp_mg_l", "water_class")}
    out["events.count"] = float(len(ev))
    return out


def test_golden_summary() -> None:
    """A seeded 2-year as_reported run reproduces its stored aggregates (rtol 1e-9)."""
    got = summary()
    if os.environ.get("GREENSIM_REGENERATE_GOLDEN") == "1":
        GOLDEN.write_text(json.dumps(got, indent=2, sort_keys=True) + "\n")
        pytest.skip("golden file regenerated")
    want = json.loads(GOLDEN.read_text())
    assert sorted(got) == sorted(want)
    for key, value in want.items():
        assert np.isclose(got[key], value, rtol=1e-9, atol=0), (key, got[key], value)
