"""Each chart of the report as an image file for slides (`greensim figures`).

The figures are the page's own (`sim.report.page`, in its order: differences over time, who
wins and who loses, then every section's charts, the river schematic first), built in one
language and drawn to PNG or SVG by kaleido, which drives the machine's Chromium through
choreographer. It works offline: the browser is the system's (`find_chromium`: $CHROMIUM,
then $BROWSER_PATH, then `chromium` / `chromium-browser` on PATH), given to kaleido by path so
that it never looks for a browser of its own (none is ever downloaded: `kaleido.get_chrome` is
not called); plotly.js is the copy inside the plotly package and MathJax is off, so the
rendering page loads nothing from the network.

Each image is `<out>/<NN>-<slug>.<fmt>`, written atomically into a folder greensim made
(kind "figures", `sim.files.output_folder`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from sim.files import atomic_write_bytes, output_folder
from sim.report.data import ReportError, RunData
from sim.report.differences import fig_differences
from sim.report.figures import SCENARIO_COLOURS, shared_bands
from sim.report.i18n import LANGS, Tr
from sim.report.page import load_runs
from sim.report.river import still_at_last_year
from sim.report.sections import build_sections
from sim.report.winners import fig_winners

FORMATS = ("png", "svg")
CHROMIUM_NAMES = ("chromium", "chromium-browser")
BROWSER_VARIABLES = ("CHROMIUM", "BROWSER_PATH")
"""Environment variables naming the browser, in the order read: greensim's (the one the test
harness reads too), then choreographer's own."""
NEEDS_CHROMIUM = "greensim figures needs a Chromium: apt-get install chromium"
RENDER_TIMEOUT_S = 60.0
"""Longest wait for one image (kaleido's own timeout)."""
_IMAGE_NAME = re.compile(r"^\d{2,}-[a-z0-9-]+\.(png|svg)$")

Chart = tuple[str, str, go.Figure]  # (slug, heading, figure)


class ChromiumMissing(ReportError):
    """No Chromium to draw the images with, or the one found does not start (exit 2)."""


def find_chromium() -> str:
    """Path of the Chromium to draw with: the program $CHROMIUM or $BROWSER_PATH names (a
    variable that is set but names no program is an error, not a reason to look elsewhere),
    else `chromium` or `chromium-browser` on PATH; ChromiumMissing when there is none."""
    for variable in BROWSER_VARIABLES:
        named = os.environ.get(variable, "").strip()
        if named:
            found = shutil.which(named)
            if found is None:
                raise ChromiumMissing(f"{NEEDS_CHROMIUM} (${variable}={named} is not a "
                                      f"program)")
            return found
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise ChromiumMissing(f"{NEEDS_CHROMIUM} (none on PATH: looked for "
                          f"{', '.join(CHROMIUM_NAMES)}; or set $CHROMIUM to its path)")


def report_charts(runs: Sequence[RunData], tr: Tr) -> list[Chart]:
    """Every chart of the report in page order (the base first in `runs`), in `tr`'s
    language; charts without data are left out, as on the page."""
    colours = {r.name: SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)] for i, r in enumerate(runs)}
    charts: list[Chart] = []
    with shared_bands():
        for slug, key, fig in (("differences", "page.differences",
                                fig_differences(runs, colours, tr)),
                               ("winners", "page.winners", fig_winners(runs, tr))):
            if fig is not None:
                charts.append((slug, tr(key), fig))
        for _, _, figures in build_sections(runs, colours, tr):
            charts += [(slug, heading, still_at_last_year(fig, tr) if slug == "river-map" else fig)
                       for slug, heading, _, fig in figures]
    return charts


async def _render(charts: Sequence[Chart], chromium: str, opts: Callable[[go.Figure], Any],
                  done: Callable[[int, bytes, float], None],
                  progress: Callable[[str], None] | None) -> None:
    """Draw each chart in one Chromium (kaleido), handing each image and the seconds it took
    to `done`."""
    try:
        import kaleido
        from choreographer.errors import BrowserFailedError, ChromeNotFoundError
    except ImportError as exc:
        raise ReportError(f"greensim figures needs the kaleido package ({exc}): "
                          f"pip install 'kaleido>=1.0,<2'") from None

    for name in ("choreographer", "kaleido"):  # their warnings (a browser that died, say) are
        log = logging.getLogger(name)          # said once, by greensim, not also by Python's
        if not log.handlers:                   # last-resort handler
            log.addHandler(logging.NullHandler())
    started = time.perf_counter()
    try:
        browser = kaleido.Kaleido(n=1, path=chromium, mathjax=False, timeout=RENDER_TIMEOUT_S)
        await browser.open()
    except (BrowserFailedError, ChromeNotFoundError) as exc:
        why = str(exc.args[0] if exc.args else exc).strip().splitlines()[0]
        raise ChromiumMissing(f"{NEEDS_CHROMIUM} (the one at {chromium} did not start: "
                              f"{why})") from None
    try:
        if progress is not None:
            progress(f"started {chromium} ({time.perf_counter() - started:.1f} s)")
        for i, (_, _, fig) in enumerate(charts):
            started = time.perf_counter()
            image = await browser.calc_fig(fig, opts=opts(fig))
            done(i, image, time.perf_counter() - started)
    finally:
        await browser.close()


def export_figures(run_dirs: Sequence[Path], out_dir: Path, fmt: str = "png",
                   lang: str = "zh", base: str | None = None, width: int = 1200,
                   height: int | None = None, scale: float = 2.0, *,
                   progress: Callable[[str], None] | None = None) -> list[Path]:
    """Write every chart of the report on `run_dirs` (the base first: `base`, default the first
    folder, as `greensim report` does) as `<out_dir>/<NN>-<slug>.<fmt>`, in `lang`, `width`
    pixels wide and `height` high (default: each chart's height on the page), times `scale`
    for PNG (an SVG's size is `width` × `height`); return the paths in page order. `progress`
    gets one line per image. Images of this format left by an earlier export and not written
    now are removed, so the folder holds this export's charts only."""
    if fmt not in FORMATS:
        raise ReportError(f"--format {fmt!r}: expected one of {', '.join(FORMATS)}")
    if lang not in LANGS:
        raise ReportError(f"--lang {lang!r}: expected one of {', '.join(LANGS)}")
    chromium = find_chromium()  # before the work: no Chromium, no reading of the runs
    charts = report_charts(load_runs(run_dirs, base), Tr(lang))
    if not charts:
        raise ReportError("the run folders hold no data for any chart")
    names = [f"{i:02d}-{slug}.{fmt}" for i, (slug, _, _) in enumerate(charts, start=1)]

    def opts(fig: go.Figure) -> dict[str, Any]:
        return {"format": fmt, "width": width, "height": height or fig.layout.height or 500,
                "scale": scale if fmt == "png" else 1}  # an SVG's size is width × height

    with output_folder(Path(out_dir), "figures") as folder:
        written: list[Path] = []

        def done(i: int, image: bytes, seconds: float) -> None:
            path = folder / names[i]
            atomic_write_bytes(path, image)
            written.append(path)
            if progress is not None:
                progress(f"[{i + 1}/{len(charts)}] {path}  {charts[i][1]}  ({seconds:.1f} s)")

        asyncio.run(_render(charts, chromium, opts, done, progress))
        for stale in sorted(folder.iterdir()):
            if (stale.suffix == f".{fmt}" and _IMAGE_NAME.match(stale.name)
                    and stale.name not in names):
                stale.unlink()
    return written


__all__ = ["FORMATS", "NEEDS_CHROMIUM", "ChromiumMissing", "export_figures", "find_chromium",
           "report_charts"]
