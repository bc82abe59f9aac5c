"""The classroom (issue 18) without a browser: its words in both languages, the cards as
scenario sections, rounds that never rewrite the years already played, costs that come from the
model's own spending, free play's levers, and `greensim classroom` as a teacher starts it."""

from __future__ import annotations

import os
import signal
import socket
import string
import subprocess
import sys
import time
import urllib.request
from typing import Any

import pandas as pd
import pytest

from sim.classroom.cards import (
    CARDS,
    FREE,
    LessonConfig,
    class_scenario,
    free_scenario,
    reference_scenario,
)
from sim.classroom.engine import Engine, summarise
from sim.classroom.i18n import CATALOGUES, LANGS, Tr
from sim.experiments.executors import RunSpec
from sim.experiments.replicates import ModelEvaluator
from sim.scenario.load import validate_mapping

from .conftest import ROOT

SHORT = LessonConfig(rounds=2, years_per_round=2, replicates=1)  # 2023-2027: quick runs


def fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_message_is_in_both_languages_with_the_same_placeholders() -> None:
    """A key missing in either catalogue, or a translation dropping a value, fails here."""
    zh, en = CATALOGUES["zh"], CATALOGUES["en"]
    assert set(zh) == set(en), f"zh only: {set(zh) - set(en)}; en only: {set(en) - set(zh)}"
    for key in en:
        assert fields(zh[key]) == fields(en[key]), key


def test_every_card_and_lever_has_its_words() -> None:
    """Each card's title and text, each lever's name (debrief) and free-play label exist."""
    for lang in LANGS:
        words = CATALOGUES[lang]
        for cid, card in CARDS.items():
            assert f"card.{cid}.title" in words and f"card.{cid}.text" in words
            assert f"lever.{card.lever}" in words
        for lever in FREE:
            assert f"free.{lever}" in words and f"lever.{lever}" in words


def test_glossary_words_and_money() -> None:
    """Classes are Ⅰ类 … 劣Ⅴ类 in Chinese; money in 万元 (亿元 above 10⁸) and million yuan."""
    zh, en = Tr("zh"), Tr("en")
    assert [zh.class_label(k) for k in range(1, 7)] == ["Ⅰ类", "Ⅱ类", "Ⅲ类", "Ⅳ类", "Ⅴ类", "劣Ⅴ类"]
    assert en.class_label(6) == "worse than V"
    assert zh.money_wan(1200) == "1,200万元" and zh.money_wan(25000) == "2.50亿元"
    assert en.money_wan(1200) == "12.0 M yuan" and en.money_wan(30) == "0.30 M yuan"
    assert zh("round.title", k=1, n=4, first=2024, last=2027).startswith("第1回合")


def test_cards_map_onto_lever_sections_from_their_round() -> None:
    """A card played in round k sets its lever section from the first year of round k (the
    two eco-tourism cards join their investments); a card cannot be played twice."""
    config = LessonConfig()
    s = class_scenario([["close", "forest_wellness"], ["plant", "riverside_walk"]], config)
    assert s.levers.closures is not None and s.levers.closures.date.year == 2024
    assert s.levers.shared_facility is not None
    assert s.levers.shared_facility.build_start.year == 2028
    kinds = [(i.kind, i.date.year) for i in s.levers.ecotourism.investments]
    assert ("trail", 2024) in kinds and ("riverside_walk", 2028) in kinds
    assert s.end_date.year == 2031 and s.start_date.year == 2023
    assert s.levers.manure_retrofit is not None and s.levers.manure_retrofit.start.year == 2099
    only = class_scenario([["close"]], config)
    assert only.levers.shared_facility is not None
    assert only.levers.shared_facility.build_start.year == 2099
    with pytest.raises(ValueError, match="twice"):
        class_scenario([["close"], ["close"]], config)
    with pytest.raises(ValueError, match="unknown card"):
        class_scenario([["teleport"]], config)


def _tables(scenario: Any, seed: int = 11) -> dict[str, pd.DataFrame]:
    return ModelEvaluator({scenario.name: scenario})(RunSpec(scenario.name, 0), seed).tables


def _before(tables: dict[str, pd.DataFrame], year: int) -> dict[str, pd.DataFrame]:
    cut = pd.Timestamp(f"{year}-01-01")
    return {k: v[v["date"] < cut].reset_index(drop=True) for k, v in tables.items()
            if k != "archive"}


def _assert_same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_exact=True, obj=name)


@pytest.mark.parametrize("cid", list(CARDS))
def test_a_later_round_never_changes_the_years_already_played(cid: str) -> None:
    """Same seed every round: adding any card in round 2 leaves round 1's years (and 2023)
    identical, bit for bit, in every table."""
    first_round = [["close"] if cid != "close" else ["plant"]]
    before = _tables(class_scenario(first_round, SHORT, until_year=SHORT.last_year))
    after = _tables(class_scenario([*first_round, [cid]], SHORT))
    _assert_same(_before(before, SHORT.round_years(1)[0]),
                 _before(after, SHORT.round_years(1)[0]))


def test_a_whole_lesson_keeps_each_rounds_years() -> None:
    """Through the engine, as the page plays it: each round's summary repeats the previous
    round's headline numbers for the years already played."""
    engine = Engine(LessonConfig(rounds=3, years_per_round=2, replicates=2))
    schedule = [["close", "manure"], ["plant", "points"], ["coculture", "negative_list"]]
    previous = None
    for k in range(1, 4):
        summary, _ = engine.play(schedule[:k])
        if previous is not None:
            n = len(previous["years"])
            for key, series in previous["series"].items():
                for part in ("mean", "lo", "hi"):
                    assert summary["series"][key][part][:n] == series[part], (k, key, part)
        previous = summary
    assert engine.runs == 3 * 2


def test_why_every_classroom_scenario_holds_the_manure_section() -> None:
    """Without the dormant section, playing the manure card later would change earlier years'
    pig-farm inspections (the model thins arrivals drawn at the highest rate the scenario can
    reach); with it, they stay (the test above). (The shared plant's dormant section is there
    for the last bits of the river's sums; the test above catches it too.)"""
    base = reference_scenario("no_transition", SHORT).model_dump(mode="json")
    base["levers"] = {}
    data_with = {**base, "levers": {"manure_retrofit": CARDS["manure"].section(2026)}}
    plain = _tables(validate_mapping(base, "plain"))
    lever = _tables(validate_mapping(data_with, "with lever"))
    events = [t["events"][t["events"]["date"] < pd.Timestamp("2026-01-01")]
              for t in (plain, lever)]
    assert not events[0].reset_index(drop=True).equals(events[1].reset_index(drop=True))


def test_card_costs_are_the_models_own_spending() -> None:
    """A card's cost is what the model spends on its lever when it is played alone: closing
    the 3 unlicensed workshops pays 3 compensations once; the points scheme keeps costing."""
    engine = Engine(LessonConfig(rounds=2, replicates=1)).prepare()
    compensation = reference_scenario("as_reported", engine.config).levers.closures
    assert compensation is not None
    assert engine.costs["close"] == (3 * compensation.compensation_yuan_per_workshop / 1e4, 0.0)
    assert engine.costs["points"][1] > 0 and engine.costs["negative_list"] == (0.0, 0.0)
    assert engine.round_cost([["points"]], ["close"]) == pytest.approx(
        engine.costs["points"][1] + engine.costs["close"][0])
    assert set(engine.reference_summaries) == {"as_reported", "no_transition"}


def test_the_budget_refuses_a_card_with_its_reason_and_running_costs_come_first() -> None:
    """Choosing a card that costs more than is left is refused (the card named, its cost and
    what is left); earlier cards' running costs are taken first; a free card always fits, and a
    round whose running costs alone exceed the budget still plays."""
    from sim.classroom.screens import choose_card, initial_state, message_text, over_budget

    engine = Engine(LessonConfig(budget_wan=1000, replicates=1))
    engine.costs = {c: (0.0, 0.0) for c in CARDS} | {
        "cleanup": (900.0, 900.0), "points": (300.0, 350.0), "close": (30.0, 0.0)}
    state = {**initial_state(), "mode": "round"}
    state = choose_card(state, "cleanup", engine)
    assert state["selected"] == ["cleanup"] and state["message"] is None
    refused = choose_card(state, "points", engine)
    assert refused["selected"] == ["cleanup"]
    assert message_text(refused["message"], Tr("en")) == (
        "Refused: “Points scheme” costs 3.00 M yuan, but only 1.00 M yuan is left in this "
        "round's budget.")
    assert choose_card(state, "cleanup", engine)["selected"] == []  # a second click unchooses
    later = {**initial_state(), "mode": "round", "schedule": [["cleanup"], ["points"]]}
    assert engine.running_cost(later["schedule"]) == 1250  # over the budget on its own
    assert choose_card(later, "close", engine)["message"]["key"] == "round.over_budget"
    free = choose_card(later, "negative_list", engine)
    assert free["selected"] == ["negative_list"] and over_budget(free, engine) is None
    assert choose_card(later, "cleanup", engine) == later  # played before: in place


def test_summaries_are_json_and_show_the_round() -> None:
    """A summary holds plain numbers (it lives in the browser tab), every season of the years
    run, the river's classes and the events of replicate 0 as one line each, with the laid-off
    workers who found new jobs."""
    import json

    engine = Engine(SHORT)
    summary, _ = engine.play([["close", "plant"]])
    json.dumps(summary)
    assert summary["years"] == [2023, 2024, 2025]
    assert len(summary["seasons"]) == 3 * 4
    assert set(summary["seasons"][-1]["classes"]) == {"entry", "middle", "near_field", "exit"}
    kinds = {e["kind"] for e in summary["story"]}
    assert {"closure", "facility_online", "connection"} <= kinds
    laid_off = sum(e["n"] for e in summary["story"] if e["kind"] == "closure")
    found = sum(e["n"] for e in summary["story"] if e["kind"] == "reemployed")
    assert 0 < found <= laid_off  # the workers the closures laid off find jobs, no more
    closure = next(e for e in summary["story"] if e["kind"] == "closure")
    assert closure["n"] > 0 and Tr("en")("event.closure", **{k: closure[k] for k in (
        "subject", "n")}).startswith(f"Workshop {closure['subject']} closed")


def test_free_play_levers_take_their_year_and_size() -> None:
    """Free play: each lever switched on from its year at its size; off levers absent."""
    config = LessonConfig()
    settings = {"closures": {"on": True, "year": 2030, "size": 5},
                "shared_facility": {"on": True, "year": 2026, "size": 200},
                "councils": {"on": False, "year": 2024, "size": 50}}
    s = free_scenario(settings, config)
    assert s.levers.closures is not None and len(s.levers.closures.workshops) == 5
    assert s.levers.closures.date.year == 2030
    assert s.levers.shared_facility is not None
    assert s.levers.shared_facility.capacity_m3_per_day == 200
    assert s.levers.councils is None
    assert s.end_date.year == config.last_year
    summary = summarise(_tables(s), config)
    assert summary["years"][-1] == config.last_year


# ----------------------------------------------------------------------------- the command
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_port_in_use_is_one_line_and_exit_2() -> None:
    """`greensim classroom --port N` with N taken: one clear line, exit 2, no traceback."""
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "sim", "classroom", "--no-browser",
                               "--port", str(port)], capture_output=True, text=True,
                              timeout=60, cwd=ROOT)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert f"port {port}" in done.stderr and "in use" in done.stderr
    bad = subprocess.run([sys.executable, "-m", "sim", "classroom", "--lang", "fr"],
                         capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_the_classroom_serves_offline_on_loopback_until_ctrl_c() -> None:
    """As a teacher starts it: it says where, serves the page on 127.0.0.1 with every script
    from itself (no outside address in the page), and Ctrl-C stops it cleanly."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "sim", "classroom", "--no-browser",
                             "--port", str(port), "-n", "1"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 90
        line = ""
        while time.monotonic() < deadline and "classroom at" not in line:
            line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line, line
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30).read().decode()
        assert "_dash-config" in page or "dash" in page
        outside = [u for u in page.split('"') if u.startswith(("http://", "https://", "//"))]
        assert not outside, outside
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, err
        assert "classroom stopped" in out and "Traceback" not in err
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()


def test_a_host_beyond_this_machine_is_warned_about() -> None:
    """--host other than loopback: the CLI warns (reachable from the network)."""
    from sim.classroom.serve import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.20")


def test_black_and_smelly_sections_show_when_the_tables_have_them() -> None:
    """The picture marks the sections the river model grades black and smelly (a dotted reach
    and the words) season by season, and no others."""
    from sim.classroom.engine import season_frames, township_layout
    from sim.classroom.figures import township_picture

    engine = Engine(SHORT)
    scenario = class_scenario([["close"]], SHORT)
    tables = engine.run_tables(scenario)
    workshops = [f"W{k:02d}" for k in range(1, 13)]
    # the river model grades every section-month; this short run has no black-and-smelly one
    assert all(not any(f["black"].values()) for f in season_frames(tables, [2024], workshops))
    sections = tables["sections"]
    level = sections["section"].astype(str).map({"exit": "heavy"}).fillna("none")
    tables = {**tables, "sections": sections.assign(black_smelly=level)}
    frames = season_frames(tables, [2024], workshops)
    assert all(f["black"] == {"entry": 0, "middle": 0, "near_field": 0, "exit": 2}
               for f in frames)
    fig = township_picture(frames, township_layout(tables, scenario), Tr("zh"))
    reaches = [t for t in fig["data"] if t.get("mode") == "lines"]
    assert [t["line"]["dash"] for t in reaches] == ["solid", "solid", "solid", "dot"]
    labels = next(t["text"] for t in fig["data"] if t.get("mode") == "markers+text"
                  and len(t["text"]) == 4)
    assert labels[3].endswith("黑臭水体") and "黑臭" not in labels[0]
