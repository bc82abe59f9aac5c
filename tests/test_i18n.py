"""The report in two languages (issue 17): one catalogue per language with the same keys and
placeholders, the glossary's words for classes and money, and the CLI's --lang and --base."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.cli import cli
from sim.model.record import LEVERS, SOURCES
from sim.report.i18n import CATALOGUES, LANGS, Tr

from .conftest import SCENARIOS


def fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_key_is_in_every_language() -> None:
    """A message missing in either language fails here, naming it."""
    keys = {lang: set(CATALOGUES[lang]) for lang in LANGS}
    for lang in LANGS:
        for other in LANGS:
            assert not keys[lang] - keys[other], f"missing in {other}: {keys[lang] - keys[other]}"


def test_placeholders_agree_between_languages() -> None:
    """Each message takes the same values in both languages (a translation cannot drop one);
    an amount may use another scale of the same value (v, and p = 100·v, m = v/10⁶ for
    million yuan, w = v/10⁴ for 万元)."""
    zh, en = CATALOGUES["zh"], CATALOGUES["en"]
    for key in en:
        if key.startswith("unit."):
            assert fields(zh[key]) <= {"v", "p", "m", "w"} >= fields(en[key]), key
        else:
            assert fields(zh[key]) == fields(en[key]), key


def test_the_glossary_words() -> None:
    """Chinese classes are Ⅰ类 … 劣Ⅴ类 and money is in 万元; English keeps I … worse than V."""
    zh, en = Tr("zh"), Tr("en")
    assert [zh.class_label(k) for k in range(1, 7)] == ["Ⅰ类", "Ⅱ类", "Ⅲ类", "Ⅳ类", "Ⅴ类", "劣Ⅴ类"]
    assert en.class_label(6) == "worse than V"
    assert zh("money.unit") == "万元" and zh.money_scale == 1e4 and en.money_scale == 1e6
    assert zh.name("scenario", "as_reported") == "实际做法（按发言所述）"
    assert zh.name("scenario", "my_policy") == "my policy"  # a user's own name is kept


def test_every_source_and_lever_has_a_word() -> None:
    """The load sources and levers the model records are named in both languages."""
    for lang in LANGS:
        for source in (*SOURCES, "workshops"):
            assert f"source.{source}" in CATALOGUES[lang]
        for lever in LEVERS:
            assert f"lever.{lever}" in CATALOGUES[lang]


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("i18n") / "out"
    res = CliRunner().invoke(cli, ["run", str(SCENARIOS / "no_transition.yaml"),
                                   str(SCENARIOS / "as_reported.yaml"), "--until", "2024-12-31",
                                   "-n", "2", "-j", "1", "-q", "--out", str(out)])
    assert res.exit_code == 0, res.output
    return out


def test_lang_and_base_on_the_page(two_runs: Path) -> None:
    """--lang opens the page in that language (the other behind the switch); the base is the
    first folder unless --base names another, and the page says which."""
    runner = CliRunner()
    folders = [str(two_runs / "as_reported"), str(two_runs / "no_transition")]  # as a glob gives
    res = runner.invoke(cli, ["report", *folders, "--out", str(two_runs / "a.html")])
    assert res.exit_code == 0, res.output
    page = (two_runs / "a.html").read_text(encoding="utf-8")
    assert '<html lang="zh">' in page and 'data-lang="en" hidden' in page
    assert "基准：实际做法（按发言所述）（即第一个给出的运行目录；可用 --base 另选）" in page
    res = runner.invoke(cli, ["report", *folders, "--base", "no_transition", "--lang", "en",
                              "--out", str(two_runs / "b.html")])
    assert res.exit_code == 0, res.output
    page = (two_runs / "b.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page and 'data-lang="zh" hidden' in page
    assert "Base: no transition (chosen with --base)" in page
    assert re.search(r"<h3>as reported − no transition</h3>", page)


def test_an_unknown_base_is_refused(two_runs: Path) -> None:
    """--base naming no scenario of the folders: exit 2, naming the ones there are."""
    res = CliRunner().invoke(cli, ["report", str(two_runs / "as_reported"),
                                   str(two_runs / "no_transition"), "--base", "nope",
                                   "--out", str(two_runs / "c.html")])
    assert res.exit_code == 2
    assert "--base 'nope': no such scenario among the run folders" in res.output


def test_the_event_log_in_each_language(two_runs: Path) -> None:
    """Every kind of event the bundled scenarios log has a word in both languages, and the
    Chinese table keeps no English but the agents' ids (W01, F08, V19); a detail of no known
    pattern is shown as written rather than hidden."""
    import pandas as pd

    from sim.report.events import PATTERNS, events_in_language

    events = pd.concat([pd.read_parquet(two_runs / s / "events.parquet")
                        for s in ("no_transition", "as_reported")])
    table = events[["date", "kind", "subject", "detail"]].astype(str)
    for lang in LANGS:
        for kind in table["kind"].unique():
            assert f"event.{kind}" in CATALOGUES[lang], kind
    known = table[table["kind"].isin(list(PATTERNS))]
    assert all(PATTERNS[k].match(d) for k, d in zip(known["kind"], known["detail"], strict=True))
    zh = events_in_language(table, Tr("zh"))
    words = zh[["kind", "subject", "detail"]].apply(" ".join, axis=1).str.replace(
        r"\b[A-Z][0-9]+\b", "", regex=True)
    assert not words.str.contains(r"[A-Za-z]{2,}").any(), words[words.str.contains("[A-Za-z]")]
    crash = pd.DataFrame({"date": ["2024-05-01"], "kind": ["price_crash"],
                          "subject": ["crayfish"], "detail": ["30.0 yuan/kg"]})
    assert events_in_language(crash, Tr("zh"))["detail"].item() == "15.0元/斤"  # per 斤
    odd = crash.assign(kind="flood", detail="a new phrase")
    assert events_in_language(odd, Tr("zh"))["detail"].item() == "a new phrase"


def test_cards_say_direction_once_and_spending_is_neutral() -> None:
    """A card's arrow gives the direction, so its amount has no sign; a change is said against
    the base in words ('比基准低69%'); an interval whose ends show as one number is left out;
    spending more is 'more spending' in a neutral colour, not 'worse'."""
    import pandas as pd

    from sim.report.cards import NEUTRAL_COLOUR, _card, card_sentence

    base_rows = pd.DataFrame({"mean": [100.0, 1e6]},
                             index=["cod_t_per_yr", "public_spending_yuan_per_yr"])
    cod = pd.Series({"outcome": "cod_t_per_yr", "verdict": "better", "diff_mean": -69.0,
                     "diff_ci_low": -75.0, "diff_ci_high": -63.0})
    html_zh = _card(Tr("zh"), cod, base_rows, "基准", 2035)
    assert "▼ 69.0吨/年" in html_zh and "-69" not in html_zh and "比基准低69%" in html_zh
    assert "（63.0吨/年至75.0吨/年）" in html_zh
    spend = pd.Series({"outcome": "public_spending_yuan_per_yr", "verdict": "worse",
                       "diff_mean": 4.23e6, "diff_ci_low": 4.23e6, "diff_ci_high": 4.23e6})
    html_en = _card(Tr("en"), spend, base_rows, "no transition", 2035)
    assert '<div class="card-verdict">more spending' in html_en
    assert f"border-top-color:{NEUTRAL_COLOUR}" in html_en
    sentence = card_sentence(Tr("en"), spend, 1e6, "no transition", 2035)
    assert sentence == ("In 2035, public spending (undiscounted): 4.23 M yuan/yr more than "
                        "no transition.")


def test_descriptions_and_axes_in_the_page_language(two_runs: Path) -> None:
    """The provenance table gives a scenario's Chinese description on the Chinese page and its
    English one on the English page; Chinese value axes have no SI suffixes ('40k'); the
    crayfish price is per 斤 on the Chinese page, per kg on the English one."""
    from sim.report.data import load_run
    from sim.report.page import _figure_html, _scenario_rows
    from sim.report.sections import build_figures

    runs = [load_run(two_runs / s) for s in ("no_transition", "as_reported")]
    zh_rows, en_rows = _scenario_rows(runs, Tr("zh")), _scenario_rows(runs, Tr("en"))
    assert zh_rows[0][2].startswith("延续2023年的做法") and "至" in zh_rows[0][5]
    assert en_rows[0][2].startswith("2023 practice continued") and " to " in en_rows[0][5]
    colours = {"no_transition": "#000000", "as_reported": "#ff0000"}
    figs = {lang: {slug: fig for slug, _, _, fig in build_figures(runs, colours, Tr(lang))}
            for lang in LANGS}
    visits = figs["zh"]["tourism-visits"]
    _figure_html(visits, Tr("zh"), "tourism-visits")
    assert visits.layout.yaxis.exponentformat == "none" and visits.layout.yaxis.separatethousands
    price = {lang: next(t for t in figs[lang]["farms-coculture"].data if t.name and len(t.y))
             for lang in LANGS}
    assert list(price["zh"].y) == pytest.approx([v / 2 for v in price["en"].y])


def test_review_fixes_on_the_page(two_runs: Path) -> None:
    """The title joins the scenarios with 对比 on the Chinese page, the event summary says how
    many of all are shown, English retrofit amounts are in yuan (not '0.0 M yuan'), and a
    reload opens the page in the reader's last language (the switch stores it)."""
    import pandas as pd

    from sim.report.events import events_in_language

    res = CliRunner().invoke(cli, ["report", str(two_runs / "no_transition"),
                                   str(two_runs / "as_reported"), "--out",
                                   str(two_runs / "d.html")])
    assert res.exit_code == 0, res.output
    page = (two_runs / "d.html").read_text(encoding="utf-8")
    assert "greensim：维持现状（不转型） 对比 实际做法（按发言所述）" in page
    assert re.search(r"实际做法（按发言所述）：共\d+条事件，按日期显示前\d+条", page)
    assert "localStorage.getItem('greensim-lang')" in page
    row = pd.DataFrame({"date": ["2024-05-01"], "kind": ["retrofit"], "subject": ["F01"],
                        "detail": ["loan 36100, free equipment 30000"]})
    assert events_in_language(row, Tr("en"))["detail"].item() == \
        "loan 36,100 yuan, free equipment 30,000 yuan"
    assert events_in_language(row, Tr("zh"))["detail"].item() == "贷款3.6万元，免费设备3.0万元"
