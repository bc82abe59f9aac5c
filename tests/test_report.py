"""Tests of the HTML report built from run folders on disk (sim/report.py)."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.report.figures import monthly_band, ranked_first_share
from sim.report.i18n import Tr
from sim.report.page import (
    ReportError,
    RunData,
    annual_band,
    build_figures,
    build_report,
    class_grid,
    format_ci,
    key_figures,
    load_run,
    section_order,
    spending_levers,
)
from sim.report.sections import build_sections

SECTIONS = (("exit", 9.0), ("entry", 0.0), ("middle", 4.5))  # deliberately not in river order
VILLAGES = (("Dongcun", "east"), ("Xicun", "west"))
NEW_SECTIONS = ("sec-tourism", "sec-farms", "sec-life")
NEW_FIGURES = ("fig-tourism-visits", "fig-tourism-capacity", "fig-farms-coculture",
               "fig-farm-income", "fig-satisfaction", "fig-life-air-rubbish")


def _new_columns(rep: int, date: pd.Timestamp, k: int) -> dict[str, float]:
    """Tourism, farm and everyday-life columns of one township month (simple known values)."""
    survey = date.month in (3, 6, 9, 12)
    return {
        "visits": 1000.0 + 100 * rep, "day_visits": 900.0, "overnight_stays": 120.0,
        "visits_turned_away": float(k % 3), "beds": 60 + 10 * (k // 12), "homestays": 6,
        "tourism_revenue_yuan": 200_000.0, "coculture_households": 10.0 * k + rep,
        "farms_open": 30, "farms_compliant": k // 2, "crayfish_price_yuan_per_kg": 20.0,
        "income_rice_yuan": 3000.0, "income_coculture_yuan": -300.0 if k == 5 else 600.0,
        "good_air_days": 28.0 + rep, "sorting_share": 0.2 + 0.01 * k,
        "legacy_rubbish_t": 2000.0 - 10 * k, "satisfaction_mean": 70.0 + 0.1 * k + rep,
        "satisfaction_survey": 70.5 + 0.1 * k + rep if survey else np.nan,
        # replicate 1 drops to second place in the June 2025 survey only
        "satisfaction_rank": 2.0 if rep == 1 and date == pd.Timestamp("2025-06-01") else 1.0,
    }


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
                | _new_columns(rep, date, k)
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
    assert 'id="fig-en-water-class"' in text and 'id="fig-en-load-sources"' in text
    assert "livestock" in text  # load sources are detected generically
    assert 'id="fig-en-spending"' in text and "shared facility" in text  # levers found by name
    assert 'id="fig-en-connected-saving"' in text
    for lang in ("zh", "en"):  # every section and figure, in each language
        assert all(f'id="{lang}-{slug}"' in text for slug in NEW_SECTIONS)
        assert all(f'id="fig-{lang}-{slug[4:]}"' in text for slug in NEW_FIGURES)
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


def test_format_ci_uses_the_t_interval_cut_at_bounds() -> None:
    """The report's interval is the t interval of `sim.analysis.stats` (n = 2: t = 12.71, not
    1.96), a share's is cut at 100 %, and a single replicate shows only the mean."""
    assert format_ci([5.0]) == "5.0"
    assert format_ci([]) == "—"
    assert format_ci([1.0, 3.0], "{:.2f}") == "2.00 [-10.71, 14.71]"
    shares = [0.979, 1.0, 1.0, 0.993]
    assert format_ci(shares, "{:.1f} %", bounds=(0.0, 1.0), scale=100).endswith("100.0 %]")


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
    assert 'id="fig-en-load-sources"' in text and 'id="fig-income"' not in text
    assert 'id="fig-en-spending"' not in text and 'id="fig-en-connected-saving"' not in text
    assert not any(slug in text for slug in (*NEW_SECTIONS, *NEW_FIGURES))
    assert "River and workshops" in text  # the water section stays
    keys = key_figures(load_run(folder))
    assert keys["COD load, last full year (t)"] == "—" and keys["last full year"] == "2025"
    assert not any("2025 H1" in k and k != "samples meeting class III, 2025 H1" for k in keys)


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
    assert spending_levers(town) == [("public_spending_yuan_road_repair", "road_repair")]
    assert spending_levers(town[["public_spending_yuan"]]) == [("public_spending_yuan", "total")]
    assert spending_levers(pd.DataFrame(columns=["x"])) == []
    path = runs[0] / "township.parquet"
    pd.read_parquet(path).assign(connected_saving_share=np.nan).to_parquet(path)
    loaded = [load_run(r) for r in runs]
    figures = {slug: fig for slug, _, _, fig in build_figures(loaded, {"no_transition": "#000000",
                                                                       "as_reported": "#ff0000"})}
    assert {t.name for t in figures["connected-saving"].data if t.name} == {"as reported"}
    spending = figures["spending"]
    assert {t.name for t in spending.data} == {"closures", "shared facility"}
    assert sum(t.showlegend for t in spending.data) == 2  # one legend entry per lever


def test_new_key_figures(runs: list[Path]) -> None:
    """The account's 2025 figures: H1 sums, June co-culture households, ranked first."""
    keys = key_figures(load_run(runs[0]))
    assert keys["visits, 2025 H1"] == format_ci([6000.0, 6600.0], "{:,.0f}")
    assert keys["tourism revenue, 2025 H1 (million yuan)"] == "1.20"  # no spread: no interval
    assert keys["co-culture households, June 2025"] == format_ci([170.0, 171.0], "{:,.0f}")
    assert keys["good-air days, 2025 H1 (of 181)"] == format_ci([168.0, 174.0])
    assert keys["ranked first in the county in each survey, 2025 Q1–Q3"] == \
        "1 of 2 replicates (50%)"


def test_new_key_figures_need_the_whole_window(tmp_path: Path) -> None:
    """A run ending in March 2025 gives '—' for the H1 figures, not a sum of three months."""
    keys = key_figures(load_run(_write_run(tmp_path / "short", "short", months=15)))
    assert keys["visits, 2025 H1"] == "—" and keys["good-air days, 2025 H1 (of 181)"] == "—"
    assert keys["co-culture households, June 2025"] == "—"
    assert keys["ranked first in the county in each survey, 2025 Q1–Q3"] == "—"


def test_old_and_new_runs_together(runs: list[Path], tmp_path: Path) -> None:
    """An old run without the new columns beside a new one: new figures show only the new
    scenario and the key table shows '—' for the old one."""
    path = runs[0] / "township.parquet"
    town = pd.read_parquet(path)
    town.drop(columns=list(_new_columns(0, pd.Timestamp("2024-01-01"), 0))).to_parquet(path)
    loaded = [load_run(r) for r in runs]
    sections = build_sections(loaded, {"no_transition": "#000000", "as_reported": "#ff0000"},
                              Tr("en"))
    assert [slug for slug, _, _ in sections] == ["water", "tourism", "farms", "life"]
    figures = {slug: fig for _, _, figs in sections for slug, _, _, fig in figs}
    for slug in ("tourism-visits", "farm-income", "satisfaction"):
        assert {t.name for t in figures[slug].data if t.showlegend} == {"as reported"}
    text = build_report(runs, tmp_path / "mixed.html").read_text(encoding="utf-8")
    row = re.search(r"<tr><td>visits, 2025 H1</td><td>(.*?)</td><td>(.*?)</td></tr>", text)
    assert row is not None and row.group(1) == "—" and row.group(2) != "—"


def test_new_figure_values(runs: list[Path]) -> None:
    """Farm income is per person and year; the survey and rank use the survey months only."""
    run = load_run(runs[0])
    figures = {slug: fig for slug, _, _, fig in build_figures([run], {"no_transition": "#000"})}
    income = figures["farm-income"]
    rice = [t for t in income.data if t.showlegend is not False and t.xaxis == "x"]
    assert list(rice[0].y) == [12.0, 12.0]  # 3,000 yuan a month / 3,000 people x 12 months
    assert {a.text for a in income.layout.annotations} == {"rice", "rice–crayfish co-culture"}
    rank = ranked_first_share(run.township)
    assert len(rank) == 8 and rank["n"].eq(2).all()  # 8 survey months over 2024-25
    assert rank.loc[rank["date"] == "2025-06-01", "share"].item() == 0.5
    assert rank["share"].drop(rank.index[rank["date"] == "2025-06-01"]).eq(1.0).all()
    survey = monthly_band(run.township, "satisfaction_survey")
    assert survey["date"].dt.month.isin([3, 6, 9, 12]).all() and len(survey) == 8


def test_satisfaction_without_rank(runs: list[Path]) -> None:
    """Without satisfaction_rank the satisfaction figure keeps only its score panel."""
    path = runs[0] / "township.parquet"
    pd.read_parquet(path).drop(columns="satisfaction_rank").to_parquet(path)
    run: RunData = load_run(runs[0])
    figures = {slug: fig for slug, _, _, fig in build_figures([run], {"no_transition": "#000"})}
    fig = figures["satisfaction"]
    assert len(fig.layout.annotations) == 1 and "survey" in fig.layout.annotations[0].text
    assert "ranked first in the county in each survey, 2025 Q1–Q3" not in key_figures(run)


def test_satisfaction_drivers_show_each_term_in_the_last_full_year(runs: list[Path]) -> None:
    """The drivers figure: one horizontal bar per term and scenario, the mean over replicates
    of the last full year's change; runs without the term columns (older runs) get none."""
    from sim.report.drivers import COLUMNS, TERMS, fig_satisfaction_terms

    run = load_run(runs[0])
    assert fig_satisfaction_terms([run], {"no_transition": "#000"}, Tr("en")) is None
    town = run.township.copy()
    for k, column in enumerate(COLUMNS):   # term k moves k points in 2025, replicate 1 twice
        town[column] = np.where(town["date"].dt.year == 2025, k * (1 + town["replicate"]), 0.0)
    fig = fig_satisfaction_terms([dataclasses.replace(run, township=town)],
                                 {"no_transition": "#000"}, Tr("en"))
    assert fig is not None and len(fig.data) == 1
    bar = fig.data[0]
    assert len(bar.y) == len(TERMS) and bar.y[4] == "voice in the ecological council"
    np.testing.assert_allclose(bar.x, [1.5 * k for k in range(len(TERMS))])


def test_event_table_counts_the_councils_resolutions_but_lists_the_rarer_events() -> None:
    """issue_resolved events (dozens a year) are counted, not listed, so a closure after
    hundreds of them still shows; other replicates are not counted."""
    from sim.report.keyfigures import events_table, routine_count

    dates = pd.date_range("2024-01-01", periods=300, freq="D")
    events = pd.DataFrame({
        "replicate": [0] * 301 + [1], "date": list(dates) + [dates[-1], dates[0]],
        "kind": ["issue_resolved"] * 300 + ["closure", "issue_resolved"],
        "subject": "V01", "detail": "", "value": np.nan})
    table = events_table(events)
    assert list(table["kind"]) == ["closure"]
    assert routine_count(events) == 300
