"""Every page greensim writes escapes every string a user can put in it (issue 19, item 7):
a scenario description, a report title, a sweep's design description."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from sim.analysis.sensitivity import figure_page
from sim.cli import cli
from sim.report.page import build_report

from .conftest import SCENARIOS

HOSTILE = "<script>alert(1)</script>"
SAFE = "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_the_report_escapes_title_and_description(tmp_path: Path) -> None:
    """A description and a --title holding a script tag appear as text, never as a tag."""
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["run", str(SCENARIOS / "as_reported.yaml"), "--until",
                                   "2023-02-28", "-n", "1", "-j", "1", "-q", "--out", str(out),
                                   "--set", f"description={HOSTILE}"])
    assert res.exit_code == 0, res.output
    page = build_report([out / "as_reported"], tmp_path / "r.html", title=HOSTILE)
    text = page.read_text(encoding="utf-8")
    assert HOSTILE not in text and text.count(SAFE) >= 3  # title, heading, description


def test_the_sensitivity_page_escapes_its_title(tmp_path: Path) -> None:
    """The sensitivity page's <title> and <h1> (from the sweep's design) are escaped."""
    table = pd.DataFrame({"outcome": ["x"], "parameter": ["a"], "S1": [0.5], "S1_conf": [0.1],
                          "ST": [0.6], "ST_conf": [0.1], "method": ["sobol"]})
    text = figure_page(table, f"Sensitivity: {HOSTILE} design")
    assert HOSTILE not in text and text.count(SAFE) == 2
    assert json.dumps(HOSTILE) not in text
