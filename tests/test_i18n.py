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
    assert "Base: no_transition (chosen with --base)" in page
    assert re.search(r"<h3>as_reported − no_transition</h3>", page)


def test_an_unknown_base_is_refused(two_runs: Path) -> None:
    """--base naming no scenario of the folders: exit 2, naming the ones there are."""
    res = CliRunner().invoke(cli, ["report", str(two_runs / "as_reported"),
                                   str(two_runs / "no_transition"), "--base", "nope",
                                   "--out", str(two_runs / "c.html")])
    assert res.exit_code == 2
    assert "--base 'nope': no such scenario among the run folders" in res.output
