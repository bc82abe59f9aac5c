"""Tests of the HTML report built from run folders on disk (sim/report.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.report import (
    ReportError,
    annual_band,
    build_figures,
    build_report,
    class_grid,
    format_ci,
    key_figures,
    load_run,
    mean_ci,
    section_order,
    spending_levers,
)

SECTIONS = (("exit", 9.0), ("entry", 0.0), ("middle", 4.5))  # deliberately not in river order
VILLAGES = (("Dongcun", "east"), ("Xicun", "west"))


def _write_run(folder: Path, scenario: str, *, replicates: int = 2, months: int = 24) -> Path:
    """Write a tiny synthetic run folder (all five files) and return it."""
    folder.mkdir(parents=True)
    rng = np.random.default_rng(len(scenario))
    dates = pd.date_range("2024-01-01", periods=months, freq="MS")
    town, secs, vils, evts = [], [], [], []
    for rep in range(replicates):
        for k, date in enumerate(dates):
            base = {"scenario": scenario, "replicate": rep, "date": date}
            town.append(
                base
                | {
                    "cod_kg_workshops": 100.0 + rep + k,
                    "cod_kg_households": 50.0,
                    "cod_kg_livestock": 10.0,
                    "nh3n_kg_workshops": 5.0,
                    "nh3n_kg_households": 4.0,
                    "tp_kg_workshops": 1.0,
                    "tp_kg_households": 0.5,
                    "sections_meeting_target_share": float(rng.uniform()),
                    "workshops_open": 20 - k // 6,
                    "workshops_connected": k // 4,
                    "workshop_jobs": 200 - k,
                    "income_per_capita_yuan": 1000.0 + 10 * rep,
                    "public_spending_yuan": 5000.0,
                    "public_spending_yuan_closures": 1000.0,
                    "public_spending_yuan_shared_facility": 4000.0,
                    # NaN until the first connection, as the model writes it
                    "connected_saving_share": 0.3 + 0.01 * rep if k >= 6 else np.nan,
                    "population": 3000,
                }
            )
            for name, km in SECTIONS:
                cls = int(rng.integers(1, 7))
                secs.append(
                    base
                    | {"section": name, "river_km": km, "flow_m3_s": 2.0, "cod_mg_l": 20.0,
                       "nh3n_mg_l": 1.0, "tp_mg_l": 0.2, "water_class": cls,
                       "meets_target": cls <= 3}
                )
            for name, zone in VILLAGES:
                vils.append(
                    base
                    | {"village": name, "zone": zone, "population": 1500,
                       "income_per_capita_yuan": 900.0 + rep, "cod_kg_households": 25.0}
                )
        evts += [
            {"scenario": scenario, "replicate": rep, "date": pd.Timestamp("2024-03-15"),
             "kind": "closure", "subject": f"workshop-{rep}", "detail": "closed <by> order",
             "value": 1.0},
            {"scenario": scenario, "replicate": rep, "date": pd.Timestamp("2025-02-01"),
             "kind": "facility_online", "subject": "wwtp", "detail": "plant online",
             "value": 200.0},
        ]
    for name, rows in (("township", town), ("sections", secs), ("villages", vils),
                       ("events", evts)):
        pd.DataFrame(rows).to_parquet(folder / f"{name}.parquet", index=False)
    meta = {"scenario": scenario, "description": f"{scenario} test run", "replicates": replicates,
            "seed": 7, "until": str(dates[-1].date()), "package_version": "0.1.0",
            "git_revision": "abc1234"}
    (folder / "run.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


@pytest.fixture
def runs(tmp_path: Path) -> list[Path]:
    """Two synthetic scenarios, 2 replicates x 24 months each."""
    return [_write_run(tmp_path / "runs" / "no_transition", "no_transition"),
            _write_run(tmp_path / "runs" / "as_reported", "as_reported")]


def test_report_is_self_contained(runs: list[Path], tmp_path: Path) -> None:
    """The report is one file with plotly.js embedded exactly once, no remote scripts."""
    out = build_report(runs, tmp_path / "out" / "report.html")
    assert out == tmp_path / "out" / "report.html" and out.is_file()
    text = out.read_text(encoding="utf-8")
    assert text.count("plotly.js v") == 1  # the version banner at the top of the bundle
    assert 'src="http' not in text and "src='http" not in text
    assert "no_transition" in text and "as_reported" in text
    assert 'id="fig-water-class"' in text and 'id="fig-load-sources"' in text
    assert "livestock" in text  # load sources are detected generically
    assert 'id="fig-spending"' in text and "shared facility" in text  # levers found by name
    assert 'id="fig-connected-saving"' in text
    assert "closed &lt;by&gt; order" in text  # event text is escaped
    assert [p.name for p in out.parent.iterdir()] == ["report.html"]  # no temp file left


def test_report_is_reproducible(runs: list[Path], tmp_path: Path) -> None:
    """Building the report twice from the same folders gives identical bytes."""
    first = build_report(runs, tmp_path / "a.html", title="Same")
    second = build_report(runs, tmp_path / "b.html", title="Same")
    assert first.read_bytes() == second.read_bytes()


def test_missing_table_names_folder(runs: list[Path], tmp_path: Path) -> None:
    """A run folder without sections.parquet raises ReportError naming folder and file."""
    (runs[1] / "sections.parquet").unlink()
    with pytest.raises(ReportError, match=r"as_reported.*sections\.parquet"):
        build_report(runs, tmp_path / "report.html")
    assert not (tmp_path / "report.html").exists()


def test_missing_run_json_and_column(runs: list[Path]) -> None:
    """A missing run.json or a missing required column is reported with the folder name."""
    (runs[0] / "run.json").unlink()
    with pytest.raises(ReportError, match=r"no_transition lacks run\.json"):
        load_run(runs[0])
    path = runs[1] / "sections.parquet"
    pd.read_parquet(path).drop(columns="water_class").to_parquet(path)
    with pytest.raises(ReportError, match=r"as_reported.*sections\.parquet.*water_class"):
        load_run(runs[1])


def test_annual_band_on_hand_made_frame() -> None:
    """annual_band sums 12-month years per replicate, drops the partial year, and bands them."""
    dates = pd.date_range("2024-01-01", periods=15, freq="MS")
    frame = pd.concat(
        pd.DataFrame({"replicate": rep, "date": dates, "x": float(rep + 1)}) for rep in range(3)
    )
    band = annual_band(frame, "x", "sum")
    assert band["year"].tolist() == [2024]  # 2025 has only 3 months
    row = band.iloc[0]
    assert row["mean"] == pytest.approx(24.0)  # replicate sums 12, 24, 36
    assert row["lo"] == pytest.approx(12 + 0.1 * 12)  # linear 5 % quantile of 12, 24, 36
    assert row["hi"] == pytest.approx(36 - 0.1 * 12)
    assert row["n"] == 3 and row["months"] == 12
    means = annual_band(frame, "x", "mean")
    assert means["year"].tolist() == [2024, 2025] and means["months"].tolist() == [12, 3]
    last = annual_band(frame.assign(x=frame["date"].dt.month.astype(float)), "x", "last")
    assert last["mean"].tolist() == [12.0, 3.0]


def test_mean_ci_and_format() -> None:
    """The CI is mean ± 1.96·sd/√n, and a single replicate shows only the mean."""
    mean, half = mean_ci([1.0, 2.0, 3.0])
    assert mean == pytest.approx(2.0) and half == pytest.approx(1.96 / np.sqrt(3))
    assert mean_ci([5.0]) == (5.0, None)
    assert format_ci([5.0]) == "5.0"
    assert format_ci([]) == "—"
    assert format_ci([1.0, 3.0], "{:.2f}") == "2.00 [0.04, 3.96]"


def test_section_order_and_key_figures(runs: list[Path]) -> None:
    """Sections are ordered by river km, and key figures use the last full year."""
    run = load_run(runs[0])
    assert section_order(run.sections) == ["entry", "middle", "exit"]
    keys = key_figures(run)
    assert keys["last full year"] == "2025"
    # COD in 2025: workshops 100 + rep + k (k = 12..23), households 50, livestock 10, per month
    per_rep = [sum(100 + rep + k + 60 for k in range(12, 24)) / 1000 for rep in range(2)]
    assert keys["COD load, last full year (t)"] == format_ci(per_rep, "{:,.1f}")
    assert keys["public spending, whole run (million yuan)"] == format_ci([0.12, 0.12], "{:,.2f}")
    assert keys["samples meeting class III, 2025 H1"] != "—"


def test_optional_columns_and_partial_year(tmp_path: Path) -> None:
    """A one-replicate run with only required township columns and a partial year still builds."""
    folder = _write_run(tmp_path / "lean", "lean", replicates=1, months=30)
    path = folder / "township.parquet"
    pd.read_parquet(path)[["scenario", "replicate", "date", "tp_kg_households"]].to_parquet(path)
    text = build_report([folder], tmp_path / "lean.html").read_text(encoding="utf-8")
    assert "partial years omitted: 2026 (6 months)" in text
    assert 'id="fig-load-sources"' in text and 'id="fig-income"' not in text
    assert 'id="fig-spending"' not in text and 'id="fig-connected-saving"' not in text
    keys = key_figures(load_run(folder))
    assert keys["COD load, last full year (t)"] == "—" and keys["last full year"] == "2025"


def test_duplicate_scenario_names_rejected(tmp_path: Path) -> None:
    """Two run folders with the same scenario name are refused (colours would collide)."""
    runs = [_write_run(tmp_path / "one", "same"), _write_run(tmp_path / "two", "same")]
    with pytest.raises(ReportError, match="same"):
        build_report(runs, tmp_path / "report.html")


def test_class_grid_median_and_share() -> None:
    """The grid is ordered upstream first; a tied median takes the worse class."""
    date = pd.Timestamp("2024-01-01")
    rows = [("down", 5.0, cls) for cls in (2, 4)] + [("up", 1.0, cls) for cls in (1, 2, 4)]
    frame = pd.DataFrame(rows, columns=["section", "river_km", "water_class"]).assign(date=date)
    median, share = class_grid(frame)
    assert median.index.tolist() == ["up", "down"]
    assert median[date].tolist() == [2, 4]  # up: 1, 2, 4 -> 2; down: tie of 2 and 4 -> 4
    assert share[date].tolist() == pytest.approx([2 / 3, 0.5])


def test_spending_levers_and_empty_scenario_lines(runs: list[Path]) -> None:
    """Spending levers are detected by name (the total is the fallback), and a scenario whose
    connected_saving_share is all NaN draws no line."""
    town = pd.DataFrame(columns=["public_spending_yuan", "public_spending_yuan_road_repair"])
    assert spending_levers(town) == [("public_spending_yuan_road_repair", "road repair")]
    assert spending_levers(town[["public_spending_yuan"]]) == [("public_spending_yuan", "total")]
    assert spending_levers(pd.DataFrame(columns=["x"])) == []
    path = runs[0] / "township.parquet"
    pd.read_parquet(path).assign(connected_saving_share=np.nan).to_parquet(path)
    loaded = [load_run(r) for r in runs]
    figures = {slug: fig for slug, _, _, fig in build_figures(loaded, {"no_transition": "#000000",
                                                                       "as_reported": "#ff0000"})}
    assert {t.name for t in figures["connected-saving"].data if t.name} == {"as_reported"}
    spending = figures["spending"]
    assert {t.name for t in spending.data} == {"closures", "shared facility"}
    assert sum(t.showlegend for t in spending.data) == 2  # one legend entry per lever
