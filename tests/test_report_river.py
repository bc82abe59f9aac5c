"""The report's river schematic (issue 17, item 3): positions from the run folder, sections
coloured by the year's class, workshop and outfall states from the events, black-and-smelly
sections when the table says, and a slider with one step per full year."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from sim.report.data import RunData, load_run
from sim.report.figures import CLASS_COLOURS
from sim.report.i18n import Tr
from sim.report.page import build_report
from sim.report.river import (
    BLACK_ROW,
    fig_river,
    river_layout,
    river_note,
    section_years,
    slider_years,
    still_at_last_year,
)
from sim.report.sections import build_sections

from .test_report import _write_run

SECTIONS = (("up", 0.0), ("down", 8.0))
VILLAGES = (("V01", "riverside", 1.0), ("V02", "riverside", 5.0), ("V03", "hilly", 2.0))
SPEC: dict[str, Any] = {
    "river": {"length_km": 10.0, "sections": [{"name": n, "river_km": k, "flow_share": 1.0}
                                              for n, k in SECTIONS]},
    "township": {"riverside": {"villages": 2, "first_river_km": 1.0, "last_river_km": 5.0},
                 "hilly": {"villages": 1, "first_river_km": 2.0, "last_river_km": 2.0},
                 "farmland": {"villages": 0, "first_river_km": 0.0, "last_river_km": 0.0}},
    "workshops": [{"id": "W1", "village": 1}, {"id": "W2", "village": 2},
                  {"id": "W3", "village": 1}],
    "levers": {"shared_facility": {"outfall_river_km": 7.0}},
}

Classes = Callable[[str, int, pd.Timestamp], int]


def _down_bad_in_march_2024(section: str, rep: int, date: pd.Timestamp) -> int:
    """'up' is class II throughout; 'down' is class III but class V in March 2024 in one
    replicate of two (the median of two takes the worse: the year's worst month is V)."""
    if section == "up":
        return 2
    return 5 if (rep == 1 and date == pd.Timestamp("2024-03-01")) else 3


def _river_run(tmp_path: Path, name: str = "as_reported", *, replicates: int = 2,
               months: int = 24, classes: Classes = _down_bad_in_march_2024,
               black: Callable[[str, int, pd.Timestamp], str] | None = None,
               events: tuple[tuple[int, str, str, str], ...] = (),
               spec: dict[str, Any] | None = SPEC, village_km: bool = True) -> RunData:
    """A synthetic run folder (tests/test_report.py's tables) whose sections, villages, events
    and run.json are replaced by known ones; loaded."""
    folder = _write_run(tmp_path / name, name, replicates=replicates, months=months)
    dates = pd.date_range("2024-01-01", periods=months, freq="MS")
    keys = [{"scenario": name, "replicate": r, "date": d} for r in range(replicates) for d in dates]
    secs = pd.DataFrame([k | {"section": s, "river_km": km,
                              "water_class": classes(s, k["replicate"], k["date"])}
                         for k in keys for s, km in SECTIONS])
    if black is not None:
        secs["black_smelly"] = [black(s, r, d) for s, r, d in
                                zip(secs["section"], secs["replicate"], secs["date"], strict=True)]
    secs.to_parquet(folder / "sections.parquet", index=False)
    vils = pd.DataFrame([k | {"village": v, "zone": z} | ({"river_km": km} if village_km else {})
                         for k in keys for v, z, km in VILLAGES])
    vils.to_parquet(folder / "villages.parquet", index=False)
    rows = [{"scenario": name, "replicate": r, "date": pd.Timestamp(d), "kind": kind,
             "subject": subject, "detail": "", "value": np.nan} for r, d, kind, subject in events]
    columns = ["scenario", "replicate", "date", "kind", "subject", "detail", "value"]
    pd.DataFrame(rows, columns=columns).astype({"date": "datetime64[ns]"}) \
        .to_parquet(folder / "events.parquet", index=False)
    meta = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    if spec is not None:
        meta["resolved_scenario"] = spec
    (folder / "run.json").write_text(json.dumps(meta), encoding="utf-8")
    return load_run(folder)


def _trace(fig: go.Figure, find: Callable[[Any], bool], axis: str = "x") -> tuple[int, Any]:
    """The index and trace of the one trace of a panel (its x axis) matching `find`."""
    found = [(i, t) for i, t in enumerate(fig.data) if t.xaxis == axis and find(t)]
    assert len(found) == 1, [t.hovertemplate for _, t in found]
    return found[0]


def _is_sections(trace: Any) -> bool:
    return trace.mode == "markers+text"


def _holds(text: str) -> Callable[[Any], bool]:
    return lambda t: t.hovertemplate is not None and text in str(t.hovertemplate)


def _at_step(fig: go.Figure, step: int, index: int, attr: str) -> list[Any]:
    """What the slider's step sets `attr` of trace `index` to (plotly's restyle: one value per
    listed trace)."""
    values, indices = fig.layout.sliders[0].steps[step].args
    return list(values[attr][list(indices).index(index)])


def test_slider_has_one_step_per_full_year(tmp_path: Path) -> None:
    """30 months from January 2024: 2024 and 2025 are full, 2026 is not; the labels speak the
    page's language and the slider starts at the first year."""
    run = _river_run(tmp_path, months=30)
    assert slider_years([run]) == [2024, 2025]
    for lang, labels in (("en", ["2024", "2025"]), ("zh", ["2024年", "2025年"])):
        fig = fig_river([run], Tr(lang))
        assert fig is not None
        slider = fig.layout.sliders[0]
        assert [s.label for s in slider.steps] == labels and slider.active == 0
        assert all(s.method == "restyle" for s in slider.steps)
        assert not fig.frames  # the steps restyle a few traces; no frames
    short = _river_run(tmp_path, "short", months=5)
    assert slider_years([short]) == [2024]  # no full year: every year sampled


def test_section_colours_follow_the_years_class(tmp_path: Path) -> None:
    """A section's colour is the worst month's median class: one bad sample in two replicates
    makes 'down' class V in 2024 (the worse of two); 2025 is class III. The figure opens on the
    first year and the text labels give the class in the glossary's words."""
    run = _river_run(tmp_path)
    worst, share = section_years(run.sections)
    assert worst.loc["down"].tolist() == [5, 3] and worst.loc["up"].tolist() == [2, 2]
    assert share.at["down", 2024] == pytest.approx(23 / 24)
    fig = fig_river([run], Tr("zh"))
    assert fig is not None
    index, sections = _trace(fig, _is_sections)
    assert list(sections.x) == [0.0, 8.0]
    first = [CLASS_COLOURS[1], CLASS_COLOURS[4]]
    assert list(sections.marker.color) == first == _at_step(fig, 0, index, "marker.color")
    assert _at_step(fig, 1, index, "marker.color") == [CLASS_COLOURS[1], CLASS_COLOURS[2]]
    assert list(sections.text) == ["up：Ⅱ类", "down：Ⅴ类"]
    assert _at_step(fig, 1, index, "text") == ["up：Ⅱ类", "down：Ⅲ类"]
    assert _at_step(fig, 0, index, "customdata")[1] == [2024, "Ⅴ类", "96%"]
    legend = [t.name for t in fig.data if t.showlegend is not False and t.name]
    assert legend[:6] == [Tr("zh").class_label(k) for k in range(1, 7)]


def test_positions_from_the_run_folder(tmp_path: Path) -> None:
    """Villages from the villages table's river_km (else the model's rule from the resolved
    scenario), workshops at their village's km, the outfall from the lever, the length from
    the river; without a resolved scenario only the tables' positions remain."""
    layout = river_layout(_river_run(tmp_path))
    assert layout.length_km == 10.0 and layout.sections == SECTIONS
    assert layout.villages == VILLAGES
    assert layout.workshops == (("W1", "V01", 1.0), ("W2", "V02", 5.0), ("W3", "V01", 1.0))
    assert layout.outfall_km == 7.0 and layout.resolved
    ruled = river_layout(_river_run(tmp_path, "ruled", village_km=False))
    assert ruled.villages == VILLAGES  # evenly over each zone's stretch, numbered zone by zone
    bare_run = _river_run(tmp_path, "bare", spec=None)
    bare = river_layout(bare_run)
    assert bare.villages == VILLAGES and bare.workshops == () and bare.outfall_km is None
    assert bare.length_km == 8.0 and not bare.resolved
    note = river_note([bare_run], Tr("en"))
    assert "lacks the resolved scenario" in note
    fig = fig_river([bare_run], Tr("en"))
    assert fig is not None and not any(_holds("village V01, km")(t) for t in fig.data)


def test_workshop_states_closed_hollow_and_connected(tmp_path: Path) -> None:
    """Each workshop shows its state at the end of the year in most replicates: W1 closed in
    2024 (hollow), W2 connected in 2025 (another shape), W3 closed in one replicate of three
    (still open); W1 and W3 share village V01 and are stacked. The outfall is hollow until the
    facility is in service in half the replicates."""
    events = tuple((r, "2024-06-10", "closure", "W1") for r in range(3)) + tuple(
        (r, "2025-03-01", "connection", "W2") for r in range(3)) + (
        (0, "2024-02-01", "closure", "W3"),) + tuple(
        (r, "2025-01-15", "facility_online", "facility") for r in range(2))
    run = _river_run(tmp_path, replicates=3, events=events)
    fig = fig_river([run], Tr("en"))
    assert fig is not None
    index, shops = _trace(fig, _holds("W1, village V01"))
    assert list(shops.x) == [1.0, 5.0, 1.0] and shops.y[0] != shops.y[2]
    assert list(shops.marker.symbol) == ["diamond-open", "diamond", "diamond"]
    assert _at_step(fig, 1, index, "marker.symbol") == ["diamond-open", "circle-cross",
                                                        "diamond"]
    assert _at_step(fig, 0, index, "customdata")[2] == [2024, "workshop open", "33%", "0%"]
    out_index, outfall = _trace(fig, _holds("shared facility's outfall"))
    assert list(outfall.x) == [7.0]
    assert _at_step(fig, 0, out_index, "marker.symbol") == ["star-open"]
    assert _at_step(fig, 1, out_index, "marker.symbol") == ["star"]  # 2 of 3 replicates
    names = {t.name for t in fig.data if t.name}
    assert {"workshop open", "workshop closed", "workshop connected to the shared facility",
            "shared facility's outfall (hollow: not yet in service)"} <= names


def test_black_and_smelly_sections(tmp_path: Path) -> None:
    """With a black_smelly column, a section is marked in a year when the median across
    replicates of each replicate's worst month is light or heavy: 'down' is heavily black and
    smelly in June 2024 in every replicate (filled hexagon), 'up' lightly in one replicate of
    three only (no mark); nothing in 2025. Without the column: no mark, no legend entry."""
    def black(section: str, rep: int, date: pd.Timestamp) -> str:
        if date == pd.Timestamp("2024-06-01"):
            return "heavy" if section == "down" else ("light" if rep == 0 else "none")
        return "none"

    run = _river_run(tmp_path, replicates=3, black=black)
    for lang, heavy in (("en", "heavy"), ("zh", "重度黑臭")):
        fig = fig_river([run], Tr(lang))
        assert fig is not None
        index, marks = _trace(fig, lambda t: t.hovertemplate is not None
                              and "customdata[1]" in str(t.hovertemplate)
                              and ("black" in str(t.hovertemplate)
                                   or "黑臭" in str(t.hovertemplate)))
        assert list(marks.y) == [None, BLACK_ROW] == _at_step(fig, 0, index, "y")
        assert _at_step(fig, 0, index, "marker.symbol")[1] == "hexagon"  # filled: heavy
        assert _at_step(fig, 1, index, "y") == [None, None]
        legend = [t.name for t in fig.data if t.name]
        assert heavy in legend and legend.count(heavy) == 1
    assert "black and smelly" in river_note([run], Tr("en"))
    assert "黑臭水体" in river_note([run], Tr("zh"))
    plain = _river_run(tmp_path, "plain", replicates=3)
    fig = fig_river([plain], Tr("en"))
    assert fig is not None and "heavy" not in {t.name for t in fig.data}
    assert "black and smelly" not in river_note([plain], Tr("en"))


def test_light_black_and_smelly_is_hollow(tmp_path: Path) -> None:
    """A light level in most replicates gives the hollow hexagon."""
    run = _river_run(tmp_path, black=lambda s, r, d: "light" if s == "up" else "none")
    fig = fig_river([run], Tr("en"))
    assert fig is not None
    index, _ = _trace(fig, _holds("black and smelly water"))
    assert _at_step(fig, 0, index, "y") == [BLACK_ROW, None]
    assert _at_step(fig, 0, index, "marker.symbol")[0] == "hexagon-open"


def test_one_panel_per_scenario_and_one_slider(tmp_path: Path) -> None:
    """Two scenarios: a panel each, and every step restyles the sections of both."""
    runs = [_river_run(tmp_path, "no_transition"), _river_run(tmp_path, "as_reported")]
    fig = fig_river(runs, Tr("en"))
    assert fig is not None and len(fig.layout.sliders) == 1
    assert [a.text for a in fig.layout.annotations] == ["no transition", "as reported"]
    first, _ = _trace(fig, _is_sections, "x")
    second, _ = _trace(fig, _is_sections, "x2")
    for step in fig.layout.sliders[0].steps:
        assert {first, second} <= set(step.args[1])
        assert all(len(v) == len(step.args[1]) for v in step.args[0].values())


def test_the_river_opens_the_water_section(tmp_path: Path) -> None:
    """The schematic is the water section's first figure, in both languages of the page."""
    run = _river_run(tmp_path)
    sections = build_sections([run], {"as_reported": "#000000"}, Tr("zh"))
    slug, _, figures = sections[0]
    assert slug == "water" and figures[0][0] == "river-map"
    assert figures[0][1] == Tr("zh")("fig.river") and "Ⅲ类" in figures[0][2]
    text = build_report([run.folder], tmp_path / "report.html").read_text(encoding="utf-8")
    assert text.index('id="fig-zh-river-map"') < text.index('id="fig-zh-water-class"')
    assert 'id="fig-en-river-map"' in text


def test_no_sections_no_figure(tmp_path: Path) -> None:
    """A run whose sections table is empty draws no schematic."""
    run = _river_run(tmp_path)
    empty = RunData(run.folder, run.name, run.meta, run.township, run.villages,
                    run.sections.iloc[0:0], run.events)
    assert fig_river([empty], Tr("en")) is None


def test_the_still_image_shows_the_last_year_without_a_slider(tmp_path: Path) -> None:
    """`greensim figures` cannot slide: its schematic is the last year's state (the colours
    the slider's last step sets), titled with that year, with no slider."""
    runs = [_river_run(tmp_path, "no_transition"), _river_run(tmp_path, "as_reported")]
    fig = fig_river(runs, Tr("en"))
    assert fig is not None
    still = still_at_last_year(fig, Tr("en"))
    assert not still.layout.sliders
    assert still.layout.title.text == fig.layout.sliders[0].steps[-1].label
    index, _ = _trace(fig, _is_sections, "x2")
    assert list(still.data[index].marker.color) == _at_step(fig, -1, index, "marker.color")
    assert len(fig.layout.sliders) == 1  # the page's figure is left as it was
