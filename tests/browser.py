"""Real-browser test harness: the system's Chromium driven by playwright, kept offline.

Used by the `browser` / `browser_page` fixtures in tests/conftest.py; the report's tests are the
first users, the classroom app will be the next. Rules:

- The browser is the machine's own Chromium (Debian's `chromium` package), found on PATH; a
  downloaded browser (`playwright install`) is never used: that download is not reachable here.
- No request may leave the machine. Every request (and WebSocket) whose URL is not file://,
  data:, blob:, about: or http(s)/ws(s) to 127.0.0.1 / localhost / ::1 is aborted and recorded in
  `BrowserPage.blocked`, so a test can assert that nothing tried to leave.
- Console errors and uncaught page errors are collected (`console_errors`, `page_errors`).
- `BrowserPage.screenshot(name)` writes a PNG under outputs/test-artifacts/screenshots/, which
  survives the run (outputs/ is git-ignored); the session prints the folder at its end.
- No Chromium: the browser tests are skipped with a message saying how to get one, except when the
  environment variable CI is set (CI=true): then it is a failure, so CI cannot pass by skipping.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Request, Route

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "outputs" / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"

# Debian's package installs chromium; some other distributions name it chromium-browser.
CHROMIUM_NAMES = ("chromium", "chromium-browser")

# Flags for a quiet, offline, root-safe headless Chromium that never phones home.
LAUNCH_ARGS = (
    "--disable-gpu",
    "--disable-dev-shm-usage",  # small /dev/shm in containers crashes the renderer
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--no-pings",
    "--mute-audio",
)

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# Schemes that cannot leave the machine: files, inline data and in-page objects.
LOCAL_SCHEMES = frozenset({"file", "data", "blob", "about"})

HOW_TO_GET_CHROMIUM = (
    "no Chromium found on PATH (looked for: " + ", ".join(CHROMIUM_NAMES) + "; or set $CHROMIUM "
    "to its path): the browser tests drive the system's Chromium. On Debian/Ubuntu, as root: "
    "`apt-get install chromium fonts-noto-cjk` (the font draws the Chinese pages), then rerun "
    "`make test`. (`playwright install` is neither needed nor used.)"
)


def in_ci(environ: Mapping[str, str] | None = None) -> bool:
    """True when the CI environment variable is set to anything but an explicit no."""
    env = os.environ if environ is None else environ
    return env.get("CI", "").strip().lower() not in ("", "0", "false", "no", "off")


def find_chromium() -> str | None:
    """Path of the system's Chromium, or None. $CHROMIUM, when set, names it explicitly."""
    explicit = os.environ.get("CHROMIUM", "").strip()
    if explicit:
        return shutil.which(explicit)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def missing_browser_outcome(reason: str, *, ci: bool) -> tuple[str, str]:
    """("fail" | "skip", message) for a machine that cannot run the browser tests."""
    if ci:
        return "fail", f"CI is set, so a missing browser is a failure, not a skip: {reason}"
    return "skip", reason


def require_chromium(package: str, install: str) -> str:
    """The system's Chromium, with `package` importable; otherwise skip the test with a how-to
    (`install` says how to get the package), or fail it when CI is set."""
    import importlib

    import pytest

    executable = find_chromium()
    missing = [] if executable else [HOW_TO_GET_CHROMIUM]
    try:
        importlib.import_module(package)
    except ImportError as exc:
        missing.append(f"the {package} package is missing ({exc}): {install}, then rerun "
                       f"`make test`")
    if missing or executable is None:
        outcome, message = missing_browser_outcome("; ".join(missing), ci=in_ci())
        if outcome == "fail":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return executable


def launch_args() -> list[str]:
    """Chromium's command-line flags; --no-sandbox only when running as root (as CI does)."""
    args = list(LAUNCH_ARGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")
    return args


def is_local_url(url: str) -> bool:
    """True for a URL that stays on this machine (file://, data:, loopback HTTP/WebSocket)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in LOCAL_SCHEMES:
        return True
    if scheme in ("http", "https", "ws", "wss"):
        return (parts.hostname or "").lower() in LOCAL_HOSTS
    return False


def safe_name(name: str) -> str:
    """A file name from a test id or label: letters, digits, dot, dash, underscore."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._")
    return cleaned[:150] or "screenshot"


@dataclass
class BrowserPage:
    """One page in a fresh browser context, with everything a test wants to check afterwards."""

    page: Page
    context: BrowserContext
    prefix: str = ""
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    screenshots: list[Path] = field(default_factory=list)

    def screenshot(self, name: str, *, full_page: bool = False, **kwargs: Any) -> Path:
        """Save a PNG artefact under outputs/test-artifacts/screenshots/; returns its path."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        stem = safe_name(f"{self.prefix}-{name}" if self.prefix else name)
        path = SCREENSHOTS / f"{stem}.png"
        self.page.screenshot(path=str(path), full_page=full_page, **kwargs)
        self.screenshots.append(path)
        return path

    def problems(self) -> list[str]:
        """Everything that went wrong so far, one line each (empty when all is well)."""
        return ([f"blocked request: {u}" for u in self.blocked]
                + [f"console error: {m}" for m in self.console_errors]
                + [f"page error: {m}" for m in self.page_errors])

    def assert_clean(self) -> None:
        """No request tried to leave, no console error, no uncaught page error."""
        problems = self.problems()
        assert not problems, "\n".join(problems)


def launch(playwright: Any, executable: str) -> Browser:
    """Start the system's Chromium headless (playwright gives it a fresh temporary profile)."""
    browser: Browser = playwright.chromium.launch(
        executable_path=executable, headless=True, args=launch_args(), timeout=30_000,
    )
    return browser


def open_page(browser: Browser, *, prefix: str = "", width: int = 1280, height: int = 800,
              default_timeout_ms: int = 30_000) -> BrowserPage:
    """A page in a new context whose every outside request is aborted and recorded."""
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        service_workers="block",
    )
    context.set_default_timeout(default_timeout_ms)
    page = context.new_page()
    bp = BrowserPage(page=page, context=context, prefix=prefix)

    def guard(route: Route, request: Request) -> None:
        if is_local_url(request.url):
            route.continue_()
        else:
            bp.blocked.append(request.url)
            route.abort("blockedbyclient")

    context.route("**/*", guard)
    if hasattr(context, "route_web_socket"):  # playwright >= 1.48: WebSockets bypass route()
        def ws_guard(ws: Any) -> None:
            if is_local_url(ws.url):
                ws.connect_to_server()
            else:
                bp.blocked.append(ws.url)
                ws.close(code=1008, reason="blocked by the test harness")

        context.route_web_socket(re.compile(r".*"), ws_guard)

    page.on("console", lambda msg: bp.console_errors.append(_describe(msg))
            if msg.type == "error" else None)
    page.on("pageerror", lambda exc: bp.page_errors.append(str(exc)))
    return bp


def _describe(msg: Any) -> str:
    loc = msg.location or {}
    where = f" ({loc.get('url', '')}:{loc.get('lineNumber', '')})" if loc.get("url") else ""
    return f"{msg.text}{where}"
