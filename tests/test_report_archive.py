"""The report's section on the archive and the villages' red/black list (issue 17, item 7):
the yearly ecological archive as a table of means across replicates, the monthly red/black
list as a heatmap of share red − share black, in both languages, and left out for run folders
without them."""

from __future__ import annotations

import html
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.model.archive import LASTS, MEANS, SUMS
from sim.model.record import LEVERS
from sim.report.archive import (
    archive_label,
    archive_means,
    archive_table,
    fig_red_black,
    red_black_shares,
)
from sim.report.data import RunData, load_run
from sim.report.i18n import LANGS, Tr
from sim.report.page import build_report

from .test_report import SECTIONS, VILLAGES, _write_run

YEARS = (2024, 2025)
REPLICATES = 3


def _archive(scenario: str) -> pd.DataFrame:
    """A small archive with known values: 3 replicates × 2 years, 2025 covering 6 months."""
    rows = []
    for rep in range(REPLICATES):
        for k, year in enumerate(YEARS):
            rows.append({
                "scenario": scenario, "replicate": rep, "date": pd.Timestamp(year, 1, 1),
                "year": year, "months": 12 if year == 2024 else 6,
                "good_air_days": 300 + 10 * k + rep * rep,  # 2024: 300, 301, 304
                "sections_meeting_target_share": 0.5 + 0.1 * rep,
                "public_spending_yuan": 1_000_000.0 * (rep + 1),
                "public_spending_yuan_closures": 300_000.0 if k == 0 else 0.0,
                "public_spending_yuan_cleanup": 0.0,  # spends nothing: left out
                "satisfaction_rank_best": float(rep + 1) if k else np.nan,
                "water_class_mean_exit": 3.0 + rep, "water_class_mean_entry": 1.0,
                "water_class_mean_middle": 2.0,
                "projects": "closure W01; investment trail" if rep == 0 else "",
            })
    return pd.DataFrame(rows).astype({"scenario": "string", "projects": "string"})


def _add_lists(folder: Path) -> pd.DataFrame:
    """Give the folder's villages the red and black lists (a known pattern) and return them."""
    villages = pd.read_parquet(folder / "villages.parquet")
    month = villages["date"].dt.month
    first = villages["village"] == VILLAGES[0][0]
    rep = villages["replicate"]
    villages["red_list"] = first & ((rep + month) % 3 != 0)  # 2 of 3 replicates each month
    villages["black_list"] = ~first & (rep == 0) | first & (rep == 2) & (month == 1)
    villages["rank"] = np.where(villages["red_list"], 1, 2)
    villages.to_parquet(folder / "villages.parquet", index=False)
    return villages


@pytest.fixture
def folders(tmp_path: Path) -> list[Path]:
    """Two scenarios, 3 replicates × 24 months, with an archive and red/black lists."""
    out = []
    for name in ("no_transition", "as_reported"):
        folder = _write_run(tmp_path / "runs" / name, name, replicates=REPLICATES)
        _archive(name).to_parquet(folder / "archive.parquet", index=False)
        _add_lists(folder)
        out.append(folder)
    return out


def _cells(table: str) -> list[list[str]]:
    return [re.findall(r"<t[hd]>(.*?)</t[hd]>", row) for row in re.findall(r"<tr>(.*?)</tr>",
                                                                        table)]


def test_the_archive_table_shows_the_means_across_replicates(folders: list[Path]) -> None:
    """Each cell is the year's mean over replicates, in the page's units; labels carry units;
    projects are counted; mean classes run upstream to downstream; a partial year says so."""
    run = load_run(folders[1])
    assert run.archive is not None and len(run.archive) == REPLICATES * len(YEARS)
    means = archive_means(run.archive)
    expected = run.archive.groupby("year")[["good_air_days", "public_spending_yuan"]].mean()
    assert means.loc["good_air_days"].tolist() == pytest.approx(
        expected["good_air_days"].tolist())
    assert means.loc["good_air_days", 2024] == pytest.approx((300 + 301 + 304) / 3)
    assert means.loc["projects", 2024] == pytest.approx(2 / 3)
    assert np.isnan(means.loc["satisfaction_rank_best", 2024])

    en = {row[0]: row[1:] for row in _cells(archive_table(run, Tr("en")))}
    assert en["item (unit)"] == ["2024", "2025 (6 months)"]
    assert en["good-air days (days)"] == ["301.7", "311.7"]
    assert en["public spending (million yuan)"] == ["2.00", "2.00"]
    assert en["public spending: closures (million yuan)"] == ["0.30", "0.00"]
    assert not any("clean-up" in label for label in en)  # spent nothing in any year
    assert en["samples meeting their target class (%)"] == ["60.0%", "60.0%"]
    assert en["best county rank in the year&#x27;s surveys (1 = first)"] == ["—", "2"]
    assert en["projects logged (count)"] == ["0.7", "0.7"]
    assert en["mean water class, section exit (1–6)"] == ["4.00", "4.00"]
    classes = [label for label in en if label.startswith("mean water class")]
    assert classes == [f"mean water class, section {name} (1–6)"
                       for name, _ in sorted(SECTIONS, key=lambda s: s[1])]

    zh = {row[0]: row[1:] for row in _cells(archive_table(run, Tr("zh")))}
    assert zh["项目（单位）"] == ["2024年", "2025年（6个月）"]
    assert zh["空气质量优良天数（天）"] == ["301.7", "311.7"]
    assert zh["财政支出（万元）"] == ["200.0", "200.0"]
    assert zh["财政支出：关停取缔（万元）"] == ["30.0", "0.0"]


def test_every_archive_column_has_a_label_with_its_unit() -> None:
    """The model's archive columns are named in both languages (none falls back to its raw
    name), and the same column reads differently in Chinese and English."""
    columns = [*SUMS, *LASTS, *MEANS, "satisfaction_survey_mean", "satisfaction_rank_best",
               "projects", *(f"public_spending_yuan_{lever}" for lever in LEVERS),
               *(f"water_class_mean_{name}" for name in ("entry", "middle", "exit"))]
    for column in columns:
        zh, en = (archive_label(column, Tr(lang)) for lang in ("zh", "en"))
        assert column not in (zh, en) and zh != en, column
        assert ("（" in zh or "：" in zh) and "(" in en, column


def test_the_heatmap_is_share_red_minus_share_black(folders: list[Path]) -> None:
    """One panel per scenario, villages × months; each cell is the share of replicates on the
    red list minus the share on the black list, the hover carries both shares in %."""
    runs = [load_run(f) for f in folders]
    fig = fig_red_black(runs, Tr("en"))
    assert fig is not None and len(fig.data) == len(runs)
    villages = runs[0].villages
    table = villages.pivot_table(index="village", columns="date",
                                 values=["red_list", "black_list"], aggfunc="mean")
    net = (table["red_list"] - table["black_list"]).sort_index()
    trace = fig.data[0]
    assert list(trace.y) == sorted(name for name, _ in VILLAGES)
    assert len(trace.x) == villages["date"].nunique() == 24
    assert np.asarray(trace.z, dtype=float) == pytest.approx(net.to_numpy(), abs=0.005)
    # the first village: on the red list in 2 of 3 replicates, on the black list in 1 of 3 in
    # January (replicate 2); the second: on the black list in 1 of 3 every month
    z = np.asarray(trace.z, dtype=float)
    assert z[0, 0] == pytest.approx(1 / 3, abs=0.005) and z[0, 1] == pytest.approx(2 / 3,
                                                                                    abs=0.005)
    assert z[1] == pytest.approx(np.full(24, -1 / 3), abs=0.005)
    custom = np.asarray(trace.customdata)
    assert custom.shape == (2, 24, 2)
    assert custom[0, 0].tolist() == [67, 33] and custom[1, 0].tolist() == [0, 33]
    assert trace.zmin == -1 and trace.zmax == 1
    red, black = red_black_shares(villages) or (None, None)
    assert red is not None and black is not None
    assert ((red - black).to_numpy() == pytest.approx(net.to_numpy()))
    assert fig.layout.annotations[1].text == "as reported"  # panel titles, one per scenario
    colourbar = fig.data[0].colorbar
    assert colourbar.title.text == Tr("en")("rb.bar")
    assert Tr("zh")("rb.bar") in fig_red_black(runs, Tr("zh")).data[0].colorbar.title.text


def test_both_languages_have_the_section(folders: list[Path], tmp_path: Path) -> None:
    """The section sits after the charts' sections and before the events, with its nav link,
    its tables (closed) and its heatmap, in Chinese and in English."""
    text = build_report(folders, tmp_path / "report.html").read_text(encoding="utf-8")
    for lang in LANGS:
        tr = Tr(lang)
        assert f'href="#{lang}-sec-archive"' in text
        head = text.index(f'id="{lang}-sec-archive"')
        assert text.index(f'id="{lang}-sec-life"') < head < text.index(f'id="{lang}-sec-events"')
        assert html.escape(tr("page.archive")) in text[head:head + 200]
        assert f'id="fig-{lang}-red-black"' in text
        for name in ("no_transition", "as_reported"):
            summary = tr("archive.summary", name=tr.name("scenario", name), first=2024,
                         last=2025, n=REPLICATES)
            assert f'<details class="archive"><summary>{html.escape(summary)}</summary>' in text
    assert text.count('<details class="archive">') == 2 * len(folders)
    assert "生态环保档案" in text and "红黑榜" in text


def test_a_folder_without_archive_or_lists_still_makes_a_report(tmp_path: Path) -> None:
    """Older folders (no archive.parquet, villages without the lists) load with archive None,
    and their report has no such section; RunData built without it stays valid."""
    bare = [_write_run(tmp_path / "old" / name, name) for name in ("no_transition",
                                                                    "as_reported")]
    run = load_run(bare[0])
    assert run.archive is None
    assert RunData(run.folder, run.name, run.meta, run.township, run.villages, run.sections,
                   run.events).archive is None
    text = build_report(bare, tmp_path / "old.html").read_text(encoding="utf-8")
    assert "sec-archive" not in text and "red-black" not in text

    # one folder with an archive, one without: the section shows the one table there is
    _archive("as_reported").to_parquet(bare[1] / "archive.parquet", index=False)
    text = build_report(bare, tmp_path / "mixed.html").read_text(encoding="utf-8")
    assert 'id="en-sec-archive"' in text and text.count('<details class="archive">') == 2
    assert "red-black" not in text  # no lists, no heatmap
