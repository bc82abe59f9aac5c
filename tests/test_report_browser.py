"""The HTML report in a real browser (the system's Chromium), opened offline from file://.

The report is built the way a user builds it (`greensim run` then `greensim report`, fixture
`report_html` in conftest.py). Screenshots land in outputs/test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from .browser import BrowserPage

pytestmark = pytest.mark.browser

# Length of a data array as plotly.js holds it: a plain or typed array, or plotly.py's base64
# form {dtype, bdata[, shape]} (plotly.js adds the decoded `_inputArray` once it has drawn it).
_CHARTS_JS = """() => {
  const len = (v) => {
    if (v == null) return 0;
    if (Array.isArray(v) || ArrayBuffer.isView(v)) return v.length;
    if (typeof v === 'object') {
      if (v._inputArray != null) return len(v._inputArray);
      if (typeof v.bdata === 'string') return v.bdata.length;
    }
    return 0;
  };
  return [...document.querySelectorAll('.js-plotly-plot')].map((el) => {
    const traces = el.data || [];
    const box = el.getBoundingClientRect();
    return {
      id: el.id || '(no id)',
      traces: traces.length,
      withData: traces.filter((t) => len(t.x) > 0 || len(t.y) > 0 || len(t.z) > 0).length,
      drawn: el.querySelectorAll('.main-svg .trace, .main-svg .heatmaplayer image').length,
      visible: el.checkVisibility(),
      width: box.width,
      height: box.height,
      left: box.left,
      right: box.right,
    };
  });
}"""

# Every graph div of plotly.py's HTML has been turned into a drawn plotly chart.
_ALL_DRAWN_JS = """() => {
  const divs = document.querySelectorAll('.plotly-graph-div');
  return divs.length > 0 && [...divs].every((d) => d.classList.contains('js-plotly-plot')
                                                  && d._fullLayout !== undefined);
}"""


def _open_report(bp: BrowserPage, report: Path) -> list[dict[str, Any]]:
    bp.page.goto(report.as_uri(), wait_until="load")
    bp.page.wait_for_function(_ALL_DRAWN_JS, timeout=20_000)
    charts: list[dict[str, Any]] = bp.page.evaluate(_CHARTS_JS)
    return charts


def test_report_opens_offline_and_draws_every_chart(browser: Any, browser_page: BrowserPage,
                                                    report_html: Path) -> None:
    """From file:// with the network cut: no error, nothing tries to leave, every chart has data
    and is drawn."""
    bp = browser_page
    charts = _open_report(bp, report_html)

    assert charts, "no plotly chart (.js-plotly-plot) on the page"
    empty = [c["id"] for c in charts if c["traces"] == 0 or c["withData"] == 0]
    assert not empty, f"charts without any trace holding data: {empty}"
    # Charts of the language not shown sit in a hidden block: data yes, drawn size no.
    shown = [c for c in charts if c["visible"]]
    assert shown, "every chart on the page is hidden"
    undrawn = [c["id"] for c in shown if c["drawn"] == 0 or c["width"] <= 0 or c["height"] <= 0]
    assert not undrawn, f"charts with data but nothing drawn: {undrawn}"

    bp.screenshot("desktop-first-screen")
    bp.screenshot("desktop-full", full_page=True)
    bp.assert_clean()


def test_report_on_a_phone(browser: Any, browser_page: BrowserPage, report_html: Path) -> None:
    """At 360×740 the page loads without errors, every chart is drawn inside the screen's width
    and the page does not scroll sideways (wide tables may scroll inside their own box)."""
    bp = browser_page
    bp.page.set_viewport_size({"width": 360, "height": 740})
    charts = _open_report(bp, report_html)

    bp.screenshot("phone-first-screen")
    bp.screenshot("phone-full", full_page=True)
    shown = [c for c in charts if c["visible"]]
    assert shown and all(c["drawn"] > 0 and c["width"] > 0 for c in shown)
    outside = [c["id"] for c in shown if c["left"] < -1 or c["right"] > 360 + 1]
    assert not outside, f"charts wider than a 360 px phone screen: {outside}"
    page_width = bp.page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 360, f"the page scrolls sideways on a phone: {page_width} px wide"
    # charts with panels side by side are re-laid one panel per row on a phone
    stacked = bp.page.evaluate("""() => [...document.querySelectorAll(
        'div.lang:not([hidden]) .js-plotly-plot')].filter((el) => el.dataset.stacked).map(
        (el) => Object.keys(el.layout).filter((k) => /^xaxis\\d*$/.test(k)).every(
          (k) => el.layout[k].domain[0] === 0 && el.layout[k].domain[1] === 1))""")
    assert stacked and all(stacked), "side-by-side panels were not stacked on a phone"
    # every stacked panel shows its own y-axis numbers (shared axes showed them on one panel)
    bare = bp.page.evaluate("""() => [...document.querySelectorAll(
        'div.lang:not([hidden]) .js-plotly-plot')].filter((el) => el.dataset.stacked).flatMap(
        (el) => [...el.querySelectorAll('.subplot')].filter((sp) =>
          sp.querySelectorAll('.yaxislayer-above text').length === 0).map(() => el.id))""")
    assert bare == [], f"stacked panels without y-axis numbers: {bare}"
    # ... and so they are in the other language, laid out when the switch shows them: no chart
    # wider than the screen, none drawn taller than its box (it would cover the text below)
    overflow = """() => [...document.querySelectorAll('div.lang:not([hidden]) .js-plotly-plot')]
        .map((el) => [el.id, el.querySelector('.main-svg').getBoundingClientRect(),
                      el.getBoundingClientRect(), el.parentElement.getBoundingClientRect()])
        .filter(([, svg, box, wrap]) => svg.height > box.height + 2 || svg.right > 361
                || box.bottom > wrap.bottom + 2)
        .map(([id]) => id)"""
    assert bp.page.evaluate(overflow) == []
    bp.page.click("div.lang:not([hidden]) button.switch")
    bp.page.wait_for_function("document.documentElement.lang === 'en'")
    bp.page.wait_for_timeout(1000)  # the stacking relayout and resize are asynchronous
    assert bp.page.evaluate(overflow) == []
    width = bp.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the English page scrolls sideways on a phone: {width} px wide"
    bp.screenshot("phone-english-full", full_page=True)
    bp.assert_clean()


_VISIBLE_TEXT_JS = """() => {
  const block = document.querySelector('div.lang:not([hidden])');
  const titles = [...block.querySelectorAll('.gtitle, .g-xtitle, .g-ytitle, .legendtext')]
    .map((e) => e.textContent);
  return {lang: document.documentElement.lang, title: document.title,
          text: block.innerText, chartText: titles.join(' | '),
          charts: [...block.querySelectorAll('.js-plotly-plot')].map((el) => {
            const box = el.getBoundingClientRect();
            return {id: el.id, width: box.width, drawn:
                    el.querySelectorAll('.main-svg .trace, .main-svg .heatmaplayer image').length};
          })};
}"""
_CJK = re.compile(r"[\u4e00-\u9fff]")


def test_the_language_switch_changes_every_string(browser: Any, browser_page: BrowserPage,
                                                  report_html: Path) -> None:
    """The page opens in Chinese; the switch shows English everywhere (headings, cards, table,
    chart titles, axes, legends) with every chart drawn full width, and back again."""
    bp = browser_page
    _open_report(bp, report_html)
    zh = bp.page.evaluate(_VISIBLE_TEXT_JS)
    assert zh["lang"] == "zh" and "先看结论" in zh["text"] and "基准" in zh["text"]
    assert _CJK.search(zh["chartText"]), "chart titles and axes are not in Chinese"
    bp.page.click("div.lang:not([hidden]) button.switch")
    bp.page.wait_for_function("document.documentElement.lang === 'en'")
    en = bp.page.evaluate(_VISIBLE_TEXT_JS)
    bp.screenshot("english-first-screen")
    assert "The answer first" in en["text"] and "Base: no transition" in en["text"]
    # every word on the English page is English, but the switch back, named in its own
    # language (the bundled scenarios' descriptions are English too)
    leftover = [line for line in en["text"].splitlines()
                if _CJK.search(line) and line.strip() != "中文"]
    assert not leftover, leftover[:5]
    assert not _CJK.search(en["chartText"]), en["chartText"][:300]
    assert en["charts"] and all(c["drawn"] > 0 and c["width"] > 600 for c in en["charts"]), \
        [c for c in en["charts"] if c["drawn"] == 0 or c["width"] <= 600]
    bp.page.click("div.lang:not([hidden]) button.switch")
    bp.page.wait_for_function("document.documentElement.lang === 'zh'")
    assert bp.page.evaluate(_VISIBLE_TEXT_JS)["title"] == zh["title"]
    bp.assert_clean()


# The river schematic's sections (the trace drawn as markers with text) per panel: their colours,
# the slider's active step and the year it shows, and what each step sets the colours to.
_RIVER_JS = """(id) => {
  const gd = document.getElementById(id);
  const sections = gd.data.map((t, i) => [t, i]).filter(([t]) => t.mode === 'markers+text');
  const slider = gd.layout.sliders[0];
  return {
    colours: sections.map(([t]) => Array.from(t.marker.color)),
    steps: slider.steps.map((s) => sections.map(([, i]) =>
      Array.from(s.args[0]['marker.color'][s.args[1].indexOf(i)]))),
    labels: slider.steps.map((s) => s.label),
    active: gd._fullLayout.sliders[0].active,
    current: gd.querySelector('.slider-group > text.slider-label').textContent,
  };
}"""


def test_the_river_year_slider_recolours_the_sections(browser: Any, browser_page: BrowserPage,
                                                      report_html: Path) -> None:
    """The river schematic opens on the first full year; clicking the slider's last step
    recolours the sections of every panel to that year's classes (as_reported's river improves
    once the workshops close and connect), and the slider names the year."""
    bp = browser_page
    _open_report(bp, report_html)
    figure_id = "fig-zh-river-map"
    before = bp.page.evaluate(_RIVER_JS, figure_id)
    assert before["labels"] == ["2023年", "2024年", "2025年"] and before["active"] == 0
    assert len(before["colours"]) == 2  # one panel per scenario
    assert before["colours"] == before["steps"][0]
    assert before["steps"][-1] != before["steps"][0], "the sections' classes never change"

    figure = bp.page.locator(f"#{figure_id}")
    bp.page.locator(f"#{figure_id} .slider-rail-touch-rect").scroll_into_view_if_needed()
    ticks = bp.page.locator(f"#{figure_id} .slider-tick-rect")
    assert ticks.count() == 3
    tick = ticks.nth(2).bounding_box()
    rail = bp.page.locator(f"#{figure_id} .slider-rail-touch-rect").bounding_box()
    assert tick is not None and rail is not None
    bp.page.mouse.click(tick["x"] + tick["width"] / 2, rail["y"] + rail["height"] / 2)
    # plotly sets the active step at once and runs the step's restyle on the next frame
    bp.page.wait_for_function(f"""(want) => {{
      const gd = document.getElementById('{figure_id}');
      const now = gd.data.filter((t) => t.mode === 'markers+text')
        .map((t) => Array.from(t.marker.color));
      return gd._fullLayout.sliders[0].active === 2
        && JSON.stringify(now) === JSON.stringify(want);
    }}""", arg=before["steps"][-1], timeout=5_000)
    after = bp.page.evaluate(_RIVER_JS, figure_id)
    assert after["colours"] == before["steps"][-1] != before["colours"]
    assert after["current"].endswith("2025年")
    drawn = bp.page.evaluate(f"""() => [...document.querySelectorAll(
        '#{figure_id} .scatterlayer .trace .point')].map((p) => p.style.fill)""")
    assert drawn, "no marker drawn"

    box = figure.bounding_box()
    assert box is not None
    scroll = bp.page.evaluate("window.scrollY")
    bp.screenshot("river-slider", full_page=True,
                  clip={"x": box["x"], "y": box["y"] + scroll, "width": box["width"],
                        "height": box["height"]})
    bp.assert_clean()


def test_the_reality_checks_appendix(browser: Any, browser_page: BrowserPage,
                                     report_html: Path) -> None:
    """The appendix lists every check of sim/analysis/checks.yaml in both languages, each with
    pass, fail or not run; the report's runs (2023–2025, 3 replicates) evaluate the 2023–2025
    checks and leave those reaching 2035 'not run'."""
    from sim.analysis.checks import load_checks

    checks = load_checks()
    bp = browser_page
    _open_report(bp, report_html)
    words = {"zh": ("通过", "未通过", "未运行"), "en": ("pass", "fail", "not run")}
    for lang in ("zh", "en"):
        rows = bp.page.locator(f'div.lang[data-lang="{lang}"] table.checks tbody tr')
        assert rows.count() == len(checks)
        results = [rows.nth(i).locator("td").last.inner_text() for i in range(rows.count())]
        assert set(results) <= set(words[lang])
        for check, result in zip(checks, results, strict=True):
            reaches_2035 = check.end.year > 2025
            assert (result == words[lang][2]) == reaches_2035, (check.id, result)
    bp.page.locator("#zh-sec-checks").scroll_into_view_if_needed()
    bp.screenshot("checks-appendix-zh")
    bp.assert_clean()
