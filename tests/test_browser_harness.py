"""The browser test harness (tests/browser.py): its rules, and that its guard really bites."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .browser import BrowserPage, in_ci, is_local_url, missing_browser_outcome


@pytest.mark.parametrize("url", [
    "file:///tmp/report.html", "data:image/png;base64,AAAA", "blob:file:///abc", "about:blank",
    "http://127.0.0.1:8050/_dash-layout", "https://localhost/x", "ws://127.0.0.1:9/s",
    "http://[::1]:8000/",
])
def test_local_urls_pass(url: str) -> None:
    assert is_local_url(url)


@pytest.mark.parametrize("url", [
    "https://cdn.plot.ly/plotly-latest.min.js", "http://10.0.0.1/a.png", "wss://example.com/s",
    "https://fonts.googleapis.com/css", "http://127.0.0.1.example.com/", "ftp://localhost/x",
    "chrome-extension://abc/x.js",
])
def test_outside_urls_are_blocked(url: str) -> None:
    assert not is_local_url(url)


def test_missing_browser_skips_locally_and_fails_in_ci() -> None:
    assert missing_browser_outcome("no chromium", ci=False) == ("skip", "no chromium")
    outcome, message = missing_browser_outcome("no chromium", ci=True)
    assert outcome == "fail" and "no chromium" in message and "CI" in message
    assert in_ci({"CI": "true"}) and in_ci({"CI": "1"})
    assert not in_ci({}) and not in_ci({"CI": ""}) and not in_ci({"CI": "false"})


_LEAKY_PAGE = """<!doctype html><meta charset="utf-8"><title>leaky</title>
<p>离线测试</p>
<img src="http://10.255.255.1/pixel.png">
<script>
  fetch('https://example.com/track').catch(() => {});
  try { new WebSocket('wss://example.com/live'); } catch (e) {}
  console.error('deliberate console error');
  setTimeout(() => { throw new Error('deliberate page error'); }, 0);
</script>"""


@pytest.mark.browser
def test_guard_blocks_and_records(browser: Any, browser_page: BrowserPage,
                                  tmp_path: Path) -> None:
    """A page that reaches out: every outside request is stopped and recorded, errors collected."""
    page_file = tmp_path / "leaky.html"
    page_file.write_text(_LEAKY_PAGE, encoding="utf-8")
    bp = browser_page
    bp.page.goto(page_file.as_uri(), wait_until="load")
    for _ in range(50):  # the page error is thrown from a timer: give it up to 5 s to land
        if bp.page_errors and len(bp.blocked) >= 3:
            break
        bp.page.wait_for_timeout(100)

    assert "http://10.255.255.1/pixel.png" in bp.blocked
    assert "https://example.com/track" in bp.blocked
    assert any(u.startswith("wss://example.com/live") for u in bp.blocked)
    assert not any(u.startswith("file:") for u in bp.blocked)
    assert any("deliberate console error" in m for m in bp.console_errors)
    assert any("deliberate page error" in m for m in bp.page_errors)
    with pytest.raises(AssertionError, match="blocked request"):
        bp.assert_clean()
