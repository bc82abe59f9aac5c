"""What a calibration shows and writes: its two tables, its files, its section of the docs.

Tables (`target_table`, `parameter_table`): target | scenario | wanted (value ± tolerance, or a
bound) | model mean [95 % interval] at the scenarios' values and at the fit | met?; parameter |
scenarios' value | fitted | range | position in the range (%) | at a bound?.
`write_outputs` writes, into a folder greensim makes (`sim.files.output_folder`, never a folder
of the user's): targets.csv, parameters.csv, evaluations.csv, calibration.json, and an overlay
scenario per scenario file (`NAME_calibrated.yaml`, `extends:` the file, with the fitted values;
the scenario files themselves are never changed). `write_docs_section` replaces the generated
section of a Markdown file between `BEGIN` and `END` (appending it if absent), leaving the
hand-written text around it as it was.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from sim import __version__
from sim.analysis.stats import Interval
from sim.analysis.targets import TargetResult, number
from sim.errors import GreensimError
from sim.experiments.calibrate import AT_BOUND, Calibration
from sim.experiments.folders import git_revision
from sim.files import atomic_write_bytes, output_folder

BEGIN = "<!-- greensim calibrate: generated section, begin (do not edit by hand) -->"
END = "<!-- greensim calibrate: generated section, end -->"
HEADERS = {
    "en": {"target": "target", "scenario": "scenario", "wanted": "target value",
           "start": "model at current values, mean [95 % interval]",
           "fitted": "model at fit, mean [95 % interval]", "met": "met at fit?",
           "parameter": "parameter", "current": "current value", "value": "fitted value",
           "range": "range", "position": "position in range", "bound": "at a bound?",
           "yes": "yes", "no": "no", "low": "low end", "high": "high end", "shown": "shown only"},
    "zh": {"target": "校准目标", "scenario": "情景", "wanted": "目标值",
           "start": "现值下模型结果，均值 [95% 区间]", "fitted": "拟合后模型结果，均值 [95% 区间]",
           "met": "拟合后达到？", "parameter": "参数", "current": "现值", "value": "拟合值",
           "range": "取值范围", "position": "在范围中的位置", "bound": "在边界？",
           "yes": "是", "no": "否", "low": "下限", "high": "上限", "shown": "仅显示"},
}


def _interval(iv: Interval) -> str:
    if not math.isfinite(iv.low):
        return number(iv.mean)
    return f"{number(iv.mean)} [{number(iv.low)}, {number(iv.high)}]"


def target_table(cal: Calibration, lang: str = "en") -> pd.DataFrame:
    """One row per target: what it wants, the model at the start and at the fit, met?"""
    h = HEADERS[lang]
    rows = []
    for t in cal.problem.targets:
        start: TargetResult = cal.start.results[t.id]
        best: TargetResult = cal.best.results[t.id]
        met = h["yes"] if best.met else h["no"]
        rows.append({"id": t.id, h["target"]: t.text[lang],  # type: ignore[index]
                     h["scenario"]: t.scenario, h["wanted"]: t.wanted(),
                     h["start"]: _interval(start.interval), h["fitted"]: _interval(best.interval),
                     h["met"]: met if t.id in cal.problem.fitted else f"{met} ({h['shown']})"})
    return pd.DataFrame(rows)


def parameter_table(cal: Calibration, lang: str = "en") -> pd.DataFrame:
    """One row per fitted parameter: current and fitted value, range, position, at a bound?"""
    h = HEADERS[lang]
    rows = []
    for p, current in zip(cal.problem.parameters, cal.problem.start, strict=True):
        value = cal.best.values[p.path]
        pos = p.position(value)
        edge = h["low"] if pos <= AT_BOUND else h["high"] if pos >= 1 - AT_BOUND else h["no"]
        rows.append({h["parameter"]: p.path, h["current"]: number(current),
                     h["value"]: number(value), h["range"]: f"{number(p.low)}–{number(p.high)}",
                     h["position"]: f"{100 * pos:.0f} %", h["bound"]: edge})
    return pd.DataFrame(rows)


def summary_lines(cal: Calibration) -> list[str]:
    p = cal.problem
    return [f"objective (Σ weight × (distance / tolerance)² over {len(p.fitted)} fitted "
            f"targets): {cal.start.objective:.3g} at the current values, "
            f"{cal.best.objective:.3g} at the fit (evaluation {cal.best.number} of "
            f"{len(cal.evaluations)}; budget {cal.max_evaluations}, method {cal.method})",
            f"{p.replicates} replicates per scenario, seed {p.seed} (the same seeds for every "
            f"evaluation: common random numbers); runs end "
            + ", ".join(f"{n} {s.end_date}" for n, s in sorted(p.scenarios.items()))]


def markdown(table: pd.DataFrame) -> str:
    cells = [[str(c).replace("|", "/") for c in row] for row in table.itertuples(index=False)]
    lines = ["| " + " | ".join(table.columns) + " |", "|" + "---|" * len(table.columns)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in cells])


def docs_section(cal: Calibration, command: str) -> str:
    """The generated section of docs/calibration.md (English)."""
    notes = [f"- {n}" for n in cal.notes]
    return "\n".join([
        BEGIN, "", "## Calibration table (generated by `greensim calibrate`)", "",
        f"Made by `{command}` (greensim {__version__}, code {git_revision()}). "
        "Targets: `sim/analysis/targets.yaml`; the tuned parameters (tag C) are found in the "
        "scenario schema and searched only inside their plausible ranges. \"shown only\": a "
        "target no fitted parameter informs (measured, not fitted). The fitted values are "
        "reported, not written into the scenarios.", "",
        *[f"- {line}" for line in summary_lines(cal)], *notes, "",
        markdown(target_table(cal)), "", markdown(parameter_table(cal)), "", END, ""])


def write_docs_section(path: Path, section: str) -> None:
    """Put `section` between the markers of the Markdown file `path` (which must exist)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise GreensimError(f"--write-docs {path}: cannot read it ({exc.strerror or exc}); "
                            f"expected an existing Markdown file") from None
    begin, end = text.find(BEGIN), text.find(END)
    if (begin < 0) != (end < 0) or (begin >= 0 and end < begin):
        raise GreensimError(f"--write-docs {path}: expected both markers, in order "
                            f"({BEGIN!r} … {END!r}), or neither")
    if begin < 0:
        new = text.rstrip("\n") + "\n\n" + section
    else:
        new = text[:begin] + section.rstrip("\n") + text[end + len(END):]
    atomic_write_bytes(Path(path), new.encode("utf-8"))


def _nested(values: Mapping[str, float]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path, value in values.items():
        node = out
        *parents, leaf = path.split(".")
        for key in parents:
            node = node.setdefault(key, {})
        node[leaf] = value
    return out


def overlay(name: str, source: Path, values: Mapping[str, float]) -> str:
    """A scenario file that extends `source` with the fitted values."""
    head = (f"# Written by greensim calibrate: {source} with the fitted values of the tuned\n"
            f"# parameters (run it with `greensim run THIS_FILE`); the original is unchanged.\n")
    body = {"extends": str(source.resolve()), "name": f"{name}_calibrated", **_nested(values)}
    return head + yaml.safe_dump(body, sort_keys=False, allow_unicode=True)


def _jsonable(x: Any) -> Any:
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, date):
        return x.isoformat()
    return x


def write_outputs(cal: Calibration, out: Path, files: Mapping[str, Path],
                  settings: Mapping[str, Any]) -> Path:
    """Write the calibration's tables and overlays into `out` (a folder greensim makes)."""
    p = cal.problem
    with output_folder(Path(out), "calibrate") as folder:
        for lang, suffix in (("en", ""), ("zh", ".zh")):
            atomic_write_bytes(folder / f"targets{suffix}.csv",
                               target_table(cal, lang).to_csv(index=False).encode("utf-8"))
            atomic_write_bytes(folder / f"parameters{suffix}.csv",
                               parameter_table(cal, lang).to_csv(index=False).encode("utf-8"))
        history = pd.DataFrame([{"evaluation": e.number, **e.values, "objective": e.objective,
                                 **{f"{i}_mean": r.mean for i, r in e.results.items()}}
                                for e in cal.evaluations])
        atomic_write_bytes(folder / "evaluations.csv", history.to_csv(index=False).encode())
        fitted = {par.path: cal.best.values[par.path] for par in p.parameters}
        for name, source in files.items():
            if name in p.scenarios:
                mine = {k: v for k, v in fitted.items() if k in p.applicable[name]}
                atomic_write_bytes(folder / f"{name}_calibrated.yaml",
                                   overlay(name, source, mine).encode("utf-8"))
        info = {
            "kind": "calibrate", "package_version": __version__, "git_revision": git_revision(),
            **settings, "method": cal.method, "max_evaluations": cal.max_evaluations,
            "evaluations": len(cal.evaluations), "best_evaluation": cal.best.number,
            "objective": {"current": cal.start.objective, "fitted": cal.best.objective},
            "notes": cal.notes,
            "parameters": [{"path": par.path, "current": cur, "fitted": fitted[par.path],
                            "low": par.low, "high": par.high,
                            "position": par.position(fitted[par.path]), "source": par.source}
                           for par, cur in zip(p.parameters, p.start, strict=True)],
            "targets": [{**{k: _jsonable(v) for k, v in t.model_dump().items()},
                         "fitted_target": t.id in p.fitted,
                         "current": {"mean": _jsonable(cal.start.results[t.id].mean),
                                     "low": _jsonable(cal.start.results[t.id].interval.low),
                                     "high": _jsonable(cal.start.results[t.id].interval.high),
                                     "replicates": [_jsonable(v) for v in
                                                    cal.start.per_replicate[t.id]]},
                         "fit": {"mean": _jsonable(cal.best.results[t.id].mean),
                                 "low": _jsonable(cal.best.results[t.id].interval.low),
                                 "high": _jsonable(cal.best.results[t.id].interval.high),
                                 "replicates": [_jsonable(v) for v in cal.best.per_replicate[t.id]],
                                 "met": cal.best.results[t.id].met}}
                        for t in p.targets]}
        text = json.dumps(info, indent=2, ensure_ascii=False, default=str) + "\n"
        atomic_write_bytes(folder / "calibration.json", text.encode("utf-8"))
    return Path(out)


__all__ = ["BEGIN", "END", "HEADERS", "docs_section", "markdown", "overlay", "parameter_table",
           "summary_lines", "target_table", "write_docs_section", "write_outputs"]
