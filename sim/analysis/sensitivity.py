"""Sensitivity indices of every outcome of a sweep, computed by SALib.

  sobol design  -> Sobol first-order (S1) and total (ST) indices with 95 % bootstrap CIs
  morris design -> Morris elementary effects: mu*, its CI, sigma (and mu)
  lhs design    -> Borgonovo's delta and S1 (SALib's delta method, valid for any sample)

Each design point's outcome is the mean over its replicates (replicate k of every point shares
its random streams, so the mean mostly removes the model's own noise). Written beside the
sweep as sensitivity.csv / sensitivity.parquet, and as a page of bar charts (sensitivity.html,
self-contained, opens offline). Sobol S1/ST and the delta method's delta/S1 lie in [0, 1] in
theory, but their estimates and CIs can leave it from sampling error: `index_caveats` says so in
plain words (printed by `greensim sensitivity`, listed on the page).
"""

from __future__ import annotations

import html
import json
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from sim.analysis.outcomes import OUTCOMES
from sim.errors import GreensimError
from sim.files import (
    GENERATOR,
    atomic_write_bytes,
    atomic_write_parquet,
    output_folder,
    write_page,
)

COLUMNS = {"sobol": ("S1", "S1_conf", "ST", "ST_conf"),
           "morris": ("mu_star", "mu_star_conf", "sigma", "mu"),
           "lhs": ("delta", "delta_conf", "S1", "S1_conf")}
METHOD = {"sobol": "Sobol (Saltelli/Jansen)", "morris": "Morris elementary effects",
          "lhs": "delta moment-independent (Borgonovo)"}

META_COLUMNS = ("run", "point", "replicate")
"""The columns of a sweep's outcomes table that are not outcomes."""


def load_sweep(folder: Path) -> tuple[dict[str, Any], pd.DataFrame, pd.DataFrame]:
    """sweep.json, experiments and outcomes of a sweep folder."""
    folder = Path(folder)
    try:
        meta = json.loads((folder / "sweep.json").read_text(encoding="utf-8"))
        experiments = pd.read_parquet(folder / "experiments.parquet")
        outcomes = pd.read_parquet(folder / "outcomes.parquet")
    except FileNotFoundError as exc:
        raise GreensimError(f"{folder}: not a finished sweep folder ({Path(str(exc.filename)).name}"
                            f" missing; run `greensim sweep` first)") from None
    except (OSError, ValueError) as exc:
        raise GreensimError(f"{folder}: cannot read the sweep ({exc})") from None
    return meta, experiments, outcomes


def _point_means(experiments: pd.DataFrame, outcomes: pd.DataFrame,
                 names: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Design matrix (one row per point) and the replicate-mean outcomes per point."""
    inputs = experiments.groupby("point", sort=True)[names].first()
    values = outcomes.drop(columns=["run", "replicate"]).groupby("point", sort=True).mean()
    return inputs.to_numpy(dtype=float), values.reindex(inputs.index)


def analyze(meta: dict[str, Any], experiments: pd.DataFrame, outcomes: pd.DataFrame,
            only: list[str] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Indices of every outcome (or those in `only`); notes on outcomes left out."""
    design = meta["design"]
    kind, problem = design["kind"], design["problem"]
    if kind not in COLUMNS:
        raise GreensimError(f"a {kind} design has no SALib indices here; sweep with --design "
                            f"sobol, morris or lhs")
    names = list(problem["names"])
    x, y = _point_means(experiments, outcomes, names)
    chosen = only or [c for c in y.columns if c not in META_COLUMNS]
    unknown = sorted(set(chosen) - set(y.columns))
    if unknown:
        raise GreensimError(f"--outcome {', '.join(unknown)}: not in the sweep's outcomes "
                            f"({', '.join(c for c in y.columns if c not in META_COLUMNS)})")
    seed = int(design.get("seed", 0)) % 2**32
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    for name in chosen:
        values = y[name].to_numpy(dtype=float)
        missing = np.flatnonzero(~np.isfinite(values))
        if missing.size:
            notes.append(f"{name}: left out, no value at design point(s) "
                         f"{', '.join(map(str, missing[:10].tolist()))} (failed runs?)")
            continue
        if float(np.ptp(values)) == 0.0:
            notes.append(f"{name}: left out, the same at every design point")
            continue
        res = _salib(kind, problem, x, values, design, seed)
        for i, param in enumerate(names):
            row: dict[str, Any] = {"outcome": name, "parameter": param, "method": METHOD[kind]}
            row.update({c: float(np.asarray(res[c])[i]) for c in COLUMNS[kind]})
            rows.append(row)
    return pd.DataFrame(rows), notes


def _salib(kind: str, problem: dict[str, Any], x: np.ndarray, y: np.ndarray,
           design: dict[str, Any], seed: int) -> Any:
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        if kind == "sobol":
            from SALib.analyze import sobol

            return sobol.analyze(problem, y, calc_second_order=bool(design["second_order"]),
                                 seed=seed)
        if kind == "morris":
            from SALib.analyze import morris

            return morris.analyze(problem, x, y, num_levels=int(design["levels"]), seed=seed)
        from SALib.analyze import delta

        return delta.analyze(problem, x, y, seed=seed)


BOUNDED_INDICES = ("S1", "ST", "delta")
"""Index columns that lie in [0, 1] in theory (Sobol S1/ST, delta and the delta method's S1).
Morris mu*, sigma and mu are in the outcome's units and unbounded."""


def index_number(value: float) -> str:
    """A number for a sentence: two decimals (more for a small one), a real minus sign."""
    text = f"{value:.2f}"
    if value != 0 and abs(value) < 0.01:
        text = f"{value:.1g}"
    return text.replace("-", "\N{MINUS SIGN}")


@dataclass(frozen=True)
class Caveat:
    """An index (S1, ST, delta…) of one parameter for one outcome whose estimate, or the ends
    of its 95 % CI, lie outside 0–1: `outside` says which ("below" / "above" for the estimate;
    for the CI, the ends out of range, "low" and/or "high"); `has_ci` whether SALib gave one."""

    index: str
    parameter: str
    outcome: str
    value: float
    low: float
    high: float
    has_ci: bool
    estimate_outside: str | None  # "below" | "above" | None (then the CI's ends are)
    ends_outside: tuple[str, ...]  # ("low",), ("high",) or ("low", "high")


def caveat_records(table: pd.DataFrame) -> list[Caveat]:
    """The caveats of a sensitivity table (as `analyze` returns or `load_sensitivity` reads
    it): one per outcome, parameter and index whose estimate or 95 % CI (estimate ± its
    `_conf`) lies outside 0–1. The indices checked are `BOUNDED_INDICES`; Morris tables get
    none. An empty list when every index and CI lies within 0–1."""
    tolerance = 1e-9
    found: list[Caveat] = []
    columns = [c for c in table.columns if c in BOUNDED_INDICES]
    for _, row in table.iterrows():
        for col in columns:
            value = float(row[col])
            if not np.isfinite(value):
                continue
            conf = float(row[f"{col}_conf"]) if f"{col}_conf" in table.columns else np.nan
            low, high = (value - conf, value + conf) if np.isfinite(conf) else (value, value)
            outside = ("below" if value < -tolerance else
                       "above" if value > 1 + tolerance else None)
            ends = tuple(end for end, out in (("low", low < -tolerance),
                                              ("high", high > 1 + tolerance)) if out)
            if outside or ends:
                found.append(Caveat(col, str(row["parameter"]), str(row["outcome"]), value,
                                    low, high, bool(np.isfinite(conf)), outside, ends))
    return found


def index_caveats(table: pd.DataFrame) -> list[str]:
    """Plain-language caveats (English) on a sensitivity table, one per `caveat_records`.

    Such values come only from sampling error (Saltelli/Jansen and delta estimators, and their
    bootstrap CIs, with few samples): an index below 0 reads as about 0, one above 1 as about 1,
    and more samples (`--samples`) narrow it. Used by `greensim sensitivity` (as `note:` lines)
    and sensitivity.html; the report words the same records in its own two languages.
    """
    caveats: list[str] = []
    remedy = "use more samples (--samples) to narrow it"
    for c in caveat_records(table):
        what = f"{c.index} of {c.parameter} for {c.outcome} is {index_number(c.value)}"
        ci = f"{index_number(c.low)} to {index_number(c.high)}"
        if c.estimate_outside:
            below = c.estimate_outside == "below"
            shown = f"{what} (CI {ci})" if c.has_ci else what
            caveats.append(
                f"{shown}: {'below 0' if below else 'above 1'} only from sampling error"
                f"{'' if below else ' (an index is at most 1)'}; read it as about "
                f"{0 if below else 1}, and {remedy}")
            continue
        sides = {"low": ("below 0", "lower end as 0"), "high": ("above 1", "upper end as 1")}
        caveats.append(
            f"{what}, but its CI ({ci}) reaches {' and '.join(sides[e][0] for e in c.ends_outside)}"
            f" only from sampling error; read its "
            f"{' and '.join(sides[e][1] for e in c.ends_outside)}, and {remedy}")
    return caveats


def index_figures(table: pd.DataFrame) -> list[tuple[str, go.Figure]]:
    """One bar chart per outcome of a sensitivity table: each index per parameter, with its
    95 % confidence interval as error bars where SALib gives one."""
    figures: list[tuple[str, go.Figure]] = []
    for name, frame in table.groupby("outcome", sort=False):
        fig = go.Figure()
        pairs = [(c, f"{c}_conf" if f"{c}_conf" in frame.columns else None)
                 for c in ("S1", "ST", "mu_star", "sigma", "delta") if c in frame.columns]
        for col, conf in pairs:
            err = dict(type="data", array=frame[conf].tolist()) if conf else None
            fig.add_bar(x=frame["parameter"].tolist(), y=frame[col].tolist(), name=col,
                        error_y=err)
        unit = OUTCOMES[str(name)].unit if str(name) in OUTCOMES else ""
        fig.update_layout(title=f"{name} {f'[{unit}]' if unit else ''}", barmode="group",
                          height=360, margin=dict(l=40, r=20, t=50, b=80))
        figures.append((str(name), fig))
    return figures


def figure_page(table: pd.DataFrame, title: str) -> str:
    """One self-contained HTML page: a bar chart of the indices per outcome."""
    text = html.escape(title)  # every string a user can reach is escaped
    parts = [f"<!doctype html><html><head><meta charset='utf-8'>{GENERATOR}<title>{text}</title>"
             "</head><body style='font-family:sans-serif'>", f"<h1>{text}</h1>"]
    for k, (name, fig) in enumerate(index_figures(table)):
        parts.append(pio.to_html(fig, include_plotlyjs=k == 0, full_html=False,
                                 div_id=f"sens-{name}"))
    caveats = index_caveats(table)
    if caveats:
        parts.append("<h2>Read with care</h2><p>These indices lie in 0–1 in theory; the "
                     "estimates or CIs below leave it only from sampling error.</p><ul>")
        parts.extend(f"<li>{html.escape(c)}</li>" for c in caveats)
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


def load_sensitivity(folder: Path) -> tuple[dict[str, Any], pd.DataFrame]:
    """A sweep folder's sweep.json and the indices `greensim sensitivity` wrote beside it."""
    folder = Path(folder)
    meta_path, table_path = folder / "sweep.json", folder / "sensitivity.parquet"
    if not meta_path.is_file():
        raise GreensimError(f"{folder}: not a sweep folder (sweep.json missing; run "
                            f"`greensim sweep` first)")
    if not table_path.is_file():
        raise GreensimError(f"{folder}: no sensitivity.parquet; run `greensim sensitivity "
                            f"{folder}` first")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        table = pd.read_parquet(table_path)
    except (OSError, ValueError) as exc:
        raise GreensimError(f"{folder}: cannot read the sensitivity results ({exc})") from None
    missing = {"outcome", "parameter", "method"} - set(table.columns)
    if missing or "design" not in meta:
        what = ", ".join(sorted(missing)) or "sweep.json: design"
        raise GreensimError(f"{table_path}: not a sensitivity table (no {what})")
    return meta, table


def run_sensitivity(folder: Path, only: list[str] | None = None
                    ) -> tuple[pd.DataFrame, list[str], list[Path]]:
    """Compute the sweep's indices and write sensitivity.{csv,parquet,html} beside it."""
    folder = Path(folder)
    meta, experiments, outcomes = load_sweep(folder)
    table, notes = analyze(meta, experiments, outcomes, only)
    if table.empty:
        raise GreensimError(f"{folder}: no outcome varies across the design; nothing to "
                            f"analyse ({'; '.join(notes)})")
    title = f"Sensitivity: {meta['design']['kind']} design, {meta['design']['points']} points"
    with output_folder(folder, "sweep"):
        atomic_write_parquet(folder / "sensitivity.parquet", table)
        atomic_write_bytes(folder / "sensitivity.csv", table.to_csv(index=False).encode())
        write_page(folder / "sensitivity.html", figure_page(table, title))
    return table, notes, [folder / f"sensitivity.{e}" for e in ("csv", "parquet", "html")]


__all__ = ["BOUNDED_INDICES", "META_COLUMNS", "Caveat", "analyze", "caveat_records", "figure_page",
           "index_caveats", "index_number",
           "index_figures", "load_sensitivity", "load_sweep", "run_sensitivity"]
