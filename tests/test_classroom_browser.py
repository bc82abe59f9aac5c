"""The classroom in a real browser (the system's Chromium, offline): a whole lesson by clicks in
each language, the language switch on every screen, the room's screen sizes, a double click, two
tabs, a failed run and free play. The app is served in this process (Werkzeug on a free port), so
a test can count the model runs it did. Screenshots land in outputs/test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sim.classroom.cards import LessonConfig
from sim.classroom.engine import RUN_LOCK, Engine
from sim.classroom.i18n import CATALOGUES

from . import browser as harness
from .browser import ARTIFACTS, BrowserPage

pytestmark = pytest.mark.browser

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
ALLOWED_LATIN_IN_ZH = {"COD"}  # the glossary's 化学需氧量（COD）
VISIBLE_TEXT_JS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el || el.closest('script, style, #lang-btn')) { continue; }
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) { continue; }
    out.push(text);
  }
  return out;
}"""
FITS_JS = """() => [document.documentElement.scrollWidth <= window.innerWidth,
                    document.documentElement.scrollHeight <= window.innerHeight,
                    document.documentElement.scrollWidth, document.documentElement.scrollHeight]"""
# Round by round: cards that fit the budget (1,200万元, running costs first), all different.
LESSON = (("close", "plant", "forest_wellness"), ("coculture", "manure", "points"),
          ("councils", "negative_list"), ("riverside_walk", "forest_economy"))


@pytest.fixture(scope="module")
def classroom(browser: Any) -> Iterator[tuple[str, Engine]]:
    """The classroom served on 127.0.0.1 (a free port) with the default lesson; depends on
    `browser` so that a machine without Chromium skips before preparing the engine."""
    import logging

    from werkzeug.serving import make_server

    from sim.classroom.app import create_app

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    engine = Engine(LessonConfig()).prepare()
    server = make_server("127.0.0.1", 0, create_app(engine, "zh").server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.socket.getsockname()[1]}/", engine
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


PAGES: list[BrowserPage] = []


@pytest.fixture(autouse=True)
def _count_screenshots(browser_screenshots: list[Path]) -> Iterator[None]:
    """Pages opened by a test add their screenshots to the session's count at its end."""
    yield
    for bp in PAGES:
        browser_screenshots.extend(bp.screenshots)
    PAGES.clear()


def _open(browser: Any, url: str, name: str, size: tuple[int, int] = (1280, 720)
          ) -> BrowserPage:
    bp = harness.open_page(browser, prefix=f"classroom-{name}", width=size[0], height=size[1])
    PAGES.append(bp)
    bp.page.goto(url)
    _drawn(bp, "start-picture")
    return bp


def _drawn(bp: BrowserPage, graph: str, timeout: int = 30_000) -> None:
    """Wait until the graph `graph` (an id) on the shown screen has drawn its traces."""
    bp.page.wait_for_function(
        f"document.querySelectorAll('.screen:not(.hidden) #{graph} .main-svg .trace').length > 0",
        timeout=timeout)


def _text(bp: BrowserPage) -> list[str]:
    texts: list[str] = bp.page.evaluate(VISIBLE_TEXT_JS)
    return texts


def _other_language(bp: BrowserPage, lang: str) -> list[str]:
    texts = _text(bp)
    assert texts, "no visible text"
    if lang == "en":
        return [t for t in texts if CJK.search(t)]
    return [t for t in texts if set(LATIN_WORD.findall(t)) - ALLOWED_LATIN_IN_ZH]


def _check_language(bp: BrowserPage, lang: str, where: str) -> None:
    """Every visible string is in `lang`: no Chinese on an English screen, no English word on
    a Chinese one (the switch button itself, naming the other language, aside). The screen
    is given up to 15 s to redraw after a switch."""
    bad = _other_language(bp, lang)
    for _ in range(75):
        if not bad:
            break
        bp.page.wait_for_timeout(200)
        bad = _other_language(bp, lang)
    assert not bad, f"{where} ({lang}): strings of the other language: {bad[:10]}"


def _fits(bp: BrowserPage, where: str) -> None:
    wide, tall, w, h = bp.page.evaluate(FITS_JS)
    assert wide and tall, f"{where}: the page scrolls ({w}×{h} in the window)"


def _switch_and_back(bp: BrowserPage, where: str) -> None:
    """On a Chinese screen: check it, switch to English, check, screenshot, switch back."""
    _check_language(bp, "zh", where)
    bp.page.click("#lang-btn")
    bp.page.wait_for_function("document.documentElement.lang === 'en'")
    bp.page.wait_for_timeout(400)
    _check_language(bp, "en", where)
    bp.screenshot(f"{where}-en")
    bp.page.click("#lang-btn")
    bp.page.wait_for_function("document.documentElement.lang === 'zh'")
    bp.page.wait_for_timeout(400)


def _play(bp: BrowserPage, k: int, first_year: int) -> None:
    bp.page.click("#play")
    bp.page.wait_for_selector("#screen-results:not(.hidden)", timeout=30_000)
    bp.page.wait_for_function(
        f"document.querySelector('#results-title').textContent.includes('{first_year}')")
    _drawn(bp, "results-head")


@pytest.mark.parametrize(("lang", "size"), [("zh", (1280, 720)), ("en", (1920, 1080))])
def test_a_whole_lesson_by_clicks(browser: Any, classroom: tuple[str, Engine], lang: str,
                                  size: tuple[int, int]) -> None:
    """Start, four rounds with different cards (one refused over budget), debrief, save the
    page: every screen fits the window, speaks one language, and nothing leaves 127.0.0.1."""
    url, engine = classroom
    config = engine.config
    bp = _open(browser, url, f"lesson-{lang}", size)
    page = bp.page
    try:
        if lang == "en":
            page.click("#lang-btn")
            page.wait_for_function("document.documentElement.lang === 'en'")
            page.wait_for_timeout(400)
        _fits(bp, "start")
        bp.screenshot("1-start")
        if lang == "zh":
            _switch_and_back(bp, "start")
        page.keyboard.press("Space")  # the teacher's key: the start screen's main button
        page.wait_for_selector("#screen-round:not(.hidden) [data-card=close]")
        for k, cards in enumerate(LESSON):
            first, last = config.round_years(k)
            page.wait_for_function(
                f"document.querySelector('#round-body h2').textContent.includes('{first}')")
            for cid in cards:
                page.click(f"[data-card={cid}]")
                page.wait_for_selector(f"[data-card={cid}].selected")
            if k == 0:  # the clean-up costs more than is left: refused, with the reason
                page.click("[data-card=cleanup]")
                title = CATALOGUES[lang]["card.cleanup.title"]
                page.wait_for_function(
                    f"document.querySelector('#message').textContent.includes('{title}')")
                assert "selected" not in (page.get_attribute("[data-card=cleanup]", "class")
                                          or "")
                _fits(bp, "round")
                bp.screenshot("2-round-refused")
                if lang == "zh":
                    _switch_and_back(bp, "round")
            if k > 0:  # cards played before are in place, not playable again
                assert page.is_disabled("[data-card=close]")
            _check_language(bp, lang, f"round {k + 1}")
            _play(bp, k, first)
            page.wait_for_timeout(1200)  # a few seasons of the animation
            _fits(bp, f"results {k + 1}")
            _check_language(bp, lang, f"results {k + 1}")
            bp.screenshot(f"3-results-round-{k + 1}")
            if k == 0:
                events = page.inner_text("#results-events")
                assert "W01" in events, events
                if lang == "zh":
                    _switch_and_back(bp, "results")
            page.click("#next")
        _drawn(bp, "debrief-head")
        page.wait_for_timeout(500)
        _fits(bp, "debrief")
        _check_language(bp, lang, "debrief")
        bp.screenshot("4-debrief")
        if lang == "zh":
            _switch_and_back(bp, "debrief")
        with page.expect_download() as download:
            page.click("#save")
        saved = ARTIFACTS / f"classroom-lesson-{lang}.html"
        download.value.save_as(saved)
        text = saved.read_text(encoding="utf-8")
        assert text.startswith("<!DOCTYPE html>") and "Plotly.newPlot" in text
        assert CATALOGUES[lang]["card.riverside_walk.title"] in text
        assert saved.stat().st_size < 10_000_000
        assert download.value.suggested_filename == "greensim-lesson.html"
        bp.assert_clean()
    finally:
        bp.context.close()


def test_a_saved_lesson_opens_offline(browser: Any, classroom: tuple[str, Engine]) -> None:
    """The saved page (from the Chinese lesson above, or made here) opens from file:// with the
    network cut and draws its charts without an error."""
    saved = ARTIFACTS / "classroom-lesson-zh.html"
    if not saved.exists():
        pytest.skip("the lesson test did not save a page")
    bp = harness.open_page(browser, prefix="classroom-saved")
    PAGES.append(bp)
    try:
        bp.page.goto(saved.as_uri())
        bp.page.wait_for_selector(".main-svg .trace")
        bp.screenshot("saved-lesson", full_page=True)
        bp.assert_clean()
    finally:
        bp.context.close()


def test_a_double_click_plays_a_round_once(browser: Any, classroom: tuple[str, Engine]) -> None:
    """Three clicks on "play" in a row run the round's replicates once."""
    url, engine = classroom
    bp = _open(browser, url, "double-click")
    try:
        bp.page.click("#start-play")
        bp.page.click("[data-card=close]")
        bp.page.wait_for_selector("[data-card=close].selected")
        before = engine.runs
        bp.page.evaluate("() => { const b = document.querySelector('#play');"
                         " b.click(); b.click(); b.click(); }")
        _drawn(bp, "results-head")
        bp.page.wait_for_timeout(1500)
        assert engine.runs - before == engine.config.replicates
        bp.assert_clean()
    finally:
        bp.context.close()


def test_two_tabs_keep_their_own_lessons(browser: Any, classroom: tuple[str, Engine]) -> None:
    """Two tabs play different cards; each shows its own round. While one round runs (its lock
    held), the other tab's click is refused with a message, and works once it is free."""
    url, _ = classroom
    a, b = _open(browser, url, "tab-a"), _open(browser, url, "tab-b")
    try:
        for bp, card in ((a, "close"), (b, "forest_wellness")):
            bp.page.click("#start-play")
            bp.page.click(f"[data-card={card}]")
            bp.page.wait_for_selector(f"[data-card={card}].selected")
        assert RUN_LOCK.acquire(timeout=30)
        try:
            b.page.click("#play")
            b.page.wait_for_function(
                "document.querySelector('#message').textContent.includes('另一节课')")
            b.screenshot("busy")
        finally:
            RUN_LOCK.release()
        _play(a, 0, 2024)
        _play(b, 0, 2024)
        assert "W01" in a.page.inner_text("#results-events")
        assert "W01" not in b.page.inner_text("#results-events")
        for bp, mine, other in ((a, "close", "forest_wellness"), (b, "forest_wellness", "close")):
            bp.page.click("#next")
            bp.page.wait_for_selector("#screen-round:not(.hidden)")
            assert bp.page.is_disabled(f"[data-card={mine}]")
            assert not bp.page.is_disabled(f"[data-card={other}]")
            bp.assert_clean()
    finally:
        a.context.close()
        b.context.close()


def test_a_failed_run_shows_a_message_and_the_server_keeps_serving(
        browser: Any, classroom: tuple[str, Engine], monkeypatch: pytest.MonkeyPatch) -> None:
    """A run that raises: the page says so in its language; the next click plays the round."""
    url, engine = classroom
    real_play = engine.play
    calls = {"n": 0}

    def flaky(schedule: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("a planted failure")
        return real_play(schedule)

    monkeypatch.setattr(engine, "play", flaky)
    bp = _open(browser, url, "failed-run")
    try:
        bp.page.click("#start-play")
        bp.page.click("[data-card=plant]")
        bp.page.click("#play")
        bp.page.wait_for_function(
            "document.querySelector('#message').textContent.includes('RuntimeError')")
        bp.screenshot("failed")
        _play(bp, 0, 2024)
        assert calls["n"] == 2
    finally:
        bp.context.close()


def test_free_play_reruns_on_a_change(browser: Any, classroom: tuple[str, Engine]) -> None:
    """Free play: switching a lever on reruns and draws its line against the chosen base."""
    url, engine = classroom
    bp = _open(browser, url, "free-play")
    try:
        ours = ("() => { const gd = document.querySelector('#free-head .js-plotly-plot');"
                " return gd && gd.data.some((t) => t.name === '我们班'); }")
        bp.page.click("#start-free")
        bp.page.wait_for_function(ours, timeout=30_000)  # the first run: every lever off
        before = engine.runs
        bp.page.click("#screen-free .lever:first-child input[type=checkbox]")
        for _ in range(100):
            if engine.runs >= before + engine.config.replicates:
                break
            bp.page.wait_for_timeout(200)
        assert engine.runs == before + engine.config.replicates
        bp.page.wait_for_timeout(500)
        _fits(bp, "free play")
        _check_language(bp, "zh", "free play")
        bp.screenshot("free")
        bp.assert_clean()
    finally:
        bp.context.close()
