"""Compare scenarios: every outcome's mean and 95 % CI per scenario, and each policy's paired
difference from the base, for chosen years.

Reads run folders only (the tables `greensim run` writes), one replicate at a time, streamed
from the Parquet files, so a thousand replicates of a long run fit in memory. Replicate k of
two runs with the same seed and start shares its random streams and uncertainty draws (common
random numbers), so a policy's difference from the base is taken replicate by replicate
(paired); the unpaired (Welch) half-width is given beside it to show what pairing gains. Runs
are compared only over days they all cover alike (`check_periods`): not `all` of runs that
end on different days, say.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from sim.analysis.outcomes import OUTCOMES, RATIOS, Context, Period, evaluate
from sim.analysis.stats import format_interval, mean_ci, paired_ci, paired_ratio, welch_ci
from sim.errors import GreensimError
from sim.files import atomic_write_bytes, atomic_write_parquet, output_folder

TABLES = ("township", "villages", "sections", "events")
READ_ROWS = 65_536


def read_meta(folder: Path) -> dict[str, Any]:
    path = Path(folder) / "run.json"
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise GreensimError(f"{folder}: not a run folder (no run.json)") from None
    except (OSError, ValueError) as exc:
        raise GreensimError(f"{path}: cannot read ({exc})") from None


@dataclass(frozen=True)
class Span:
    """The days a run covers: its first and last simulated day (`from_tables`: read from its
    tables' dates, its run.json giving none)."""

    start: date
    until: date
    from_tables: bool = False


def _meta_date(folder: Path, meta: Mapping[str, Any], key: str) -> date | None:
    value = meta.get(key)
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise GreensimError(f"{Path(folder) / 'run.json'}: {key}: {value!r} is not a date "
                            f"(expected YYYY-MM-DD)") from None


def folder_span(folder: Path, meta: Mapping[str, Any] | None = None) -> Span | None:
    """The days a run folder covers: run.json's `start` and `until`, or else the first and last
    date of its township table (None if that table has no rows)."""
    folder = Path(folder)
    meta = read_meta(folder) if meta is None else meta
    start, until = _meta_date(folder, meta, "start"), _meta_date(folder, meta, "until")
    if start is not None and until is not None:
        return Span(start, until)
    path = folder / "township.parquet"
    if not path.is_file():
        raise GreensimError(f"{folder}: not a run folder (no township.parquet)")
    dates = pd.to_datetime(pq.read_table(path, columns=["date"]).column("date").to_pandas())
    if dates.empty or dates.isna().all():
        return None
    return Span(dates.min().date(), dates.max().date(), from_tables=True)


def _aligned(spans: Mapping[str, Span]) -> dict[str, Span]:
    """Spans made comparable: to the month when any was read from the tables (whose rows are
    dated on the first of each month)."""
    if not any(s.from_tables for s in spans.values()):
        return dict(spans)
    return {name: Span(s.start.replace(day=1), s.until.replace(day=1), True)
            for name, s in spans.items()}


def _days(span: Span, period: Period) -> tuple[date, date] | None:
    """The days of `period` that `span` covers (None: none)."""
    start, until = span.start, span.until
    if period.first is not None:
        start = max(start, date(period.first, 1, 1))
    if period.last is not None:
        until = min(until, date(period.last, 12, 31))
    return (start, until) if start <= until else None


def alike(period: Period, spans: Sequence[Span]) -> bool:
    """Whether the runs cover the same days of `period` (all of a run for `all`), so that
    their outcomes over it are like for like."""
    named = {str(i): s for i, s in enumerate(spans)}
    return len({_days(s, period) for s in _aligned(named).values()}) <= 1


def check_periods(periods: Sequence[Period], spans: Mapping[str, Span | None]) -> None:
    """Refuse (GreensimError) a period with a year outside the span every run covers (its
    outcomes would be NaN, or per-year figures averaged over fewer years than asked), or one
    whose days the runs do not all cover alike: `all` over runs of different spans, or a
    year one run covers in full and another in part. Spans that are unknown (None) pass."""
    known = {name: s for name, s in spans.items() if s is not None}
    if not known:
        return
    runs = list(known.values())
    start = max(s.start for s in runs)
    until = min(s.until for s in runs)
    source = " (dates in the tables)" if any(s.from_tables for s in runs) else ""
    each = "; ".join(f"{name}: {s.start} to {s.until}" for name, s in known.items())
    if len({(s.start, s.until) for s in runs}) == 1:
        cover = f"the runs cover {start} to {until}{source}"
    elif start <= until:
        cover = f"the runs all cover {start} to {until}{source} ({each})"
    else:
        cover = f"the runs share no day{source} ({each})"
    first, last = start.year, until.year
    years = [y for y in range(first, last + 1) if alike(Period(y, y), runs)]
    if alike(Period(), runs):  # the same span: every year within it, and 'all'
        within = (f"expected years within that span ({Period(first, last).label}) or 'all'"
                  if first <= last else "expected 'all'")
    elif years:
        within = f"expected years every run covers alike ({Period(years[0], years[-1]).label})"
    else:
        within = ("no year is covered alike by every run: rerun them over the same span (the "
                  "same start and --until)")
    for p in periods:
        if p.first is None or p.last is None or (first <= p.first and p.last <= last):
            continue
        inside = max(0, min(p.last, last) - max(p.first, first) + 1)
        if inside == 0:
            raise GreensimError(f"--years {p.label}: {cover}; {within}")
        missing = [Period(a, b).label for a, b in ((p.first, first - 1), (last + 1, p.last))
                   if a <= b]
        asked = p.last - p.first + 1
        raise GreensimError(
            f"--years {p.label}: {cover}, so {' and '.join(missing)} would be missing and "
            f"outcomes per year would be averaged over {inside} of the {asked} years asked; "
            f"{within}")
    for p in periods:
        if not alike(p, runs):
            what = "different spans" if p.first is None else f"different days of {p.label}"
            raise GreensimError(f"--years {p.label}: the runs cover {what}{source} ({each}), "
                                f"so their outcomes are not like for like; {within}")


def _iter_table(path: Path) -> Iterator[tuple[int, pd.DataFrame]]:
    """(replicate, rows) of a table sorted by replicate, streamed in blocks."""
    carry: pd.DataFrame | None = None
    last_seen = -1
    for batch in pq.ParquetFile(path).iter_batches(batch_size=READ_ROWS):
        df = batch.to_pandas()
        if carry is not None:
            df = pd.concat([carry, df], ignore_index=True)
        reps = df["replicate"].to_numpy()
        if len(reps) and (np.any(np.diff(reps) < 0) or reps[0] < last_seen):
            raise GreensimError(f"{path}: rows are not in replicate order")
        if not len(reps):
            continue
        start = int(np.searchsorted(reps, reps[-1], side="left"))
        for r, rows in df.iloc[:start].groupby("replicate", sort=True):
            yield int(r), rows.reset_index(drop=True)  # type: ignore[call-overload]
        carry, last_seen = df.iloc[start:].reset_index(drop=True), int(reps[-1])
    if carry is not None and len(carry):
        yield last_seen, carry


def iter_replicates(folder: Path) -> Iterator[tuple[int, dict[str, pd.DataFrame]]]:
    """Each replicate's tables of a run folder, in replicate order, streamed from disk."""
    folder = Path(folder)
    paths = {t: folder / f"{t}.parquet" for t in TABLES if (folder / f"{t}.parquet").is_file()}
    if "township" not in paths:
        raise GreensimError(f"{folder}: not a run folder (no township.parquet)")
    empty = {t: pq.read_schema(p).empty_table().to_pandas() for t, p in paths.items()}
    others = {t: _iter_table(p) for t, p in paths.items() if t != "township"}
    peeked: dict[str, tuple[int, pd.DataFrame] | None] = {t: next(it, None)
                                                          for t, it in others.items()}
    for r, township in _iter_table(paths["township"]):
        tables = {"township": township}
        for t, it in others.items():
            head = peeked[t]
            while head is not None and head[0] < r:
                head = next(it, None)
            if head is not None and head[0] == r:
                tables[t] = head[1]
                head = next(it, None)
            else:
                tables[t] = empty[t]
            peeked[t] = head
        yield r, tables


def replicate_outcomes(folder: Path, periods: Sequence[Period],
                       discount_rate: float) -> pd.DataFrame:
    """One row per (replicate, period) with every applicable outcome of a run folder."""
    rows = []
    for r, tables in iter_replicates(folder):
        for p in periods:
            rows.append({"replicate": r, "period": p.label,
                         **evaluate(tables, Context(p, discount_rate))})
    return pd.DataFrame(rows)


def _verdict(diff_low: float, diff_high: float, direction: str) -> str:
    if not (math.isfinite(diff_low) and math.isfinite(diff_high)):
        return ""
    if diff_low > 0:
        return "better" if direction == "maximise" else "worse"
    if diff_high < 0:
        return "better" if direction == "minimise" else "worse"
    return "no clear difference"


def pairing(period: str, seeds: tuple[int, int], spans: tuple[Span | None, Span | None],
            replicates: tuple[int, int], common: int) -> str:
    """How a policy's difference from the base is taken over `period` (a label): 'paired by
    replicate' when replicate k of both runs shares its random streams up to the period's
    end (the same seed and start) and the runs cover the period's days alike, else
    'unpaired (Welch): ' and why. `spans` (policy, base) unknown: the seeds decide."""
    if seeds[0] != seeds[1]:
        return "unpaired (Welch): different seeds"
    if spans[0] is not None and spans[1] is not None:
        a, b = _aligned({"policy": spans[0], "base": spans[1]}).values()
        if a.start != b.start:
            return "unpaired (Welch): different start dates"
        if not alike(Period.parse(period), [a, b]):
            what = "spans" if period == "all" else f"days of {period}"
            return f"unpaired (Welch): the runs cover different {what}"
    if common < 2:
        return "unpaired (Welch): fewer than 2 replicates in common"
    if common < max(replicates):
        return f"paired by replicate (the {common} replicates in common)"
    return "paired by replicate"


def summarize(runs: Sequence[tuple[str, int, pd.DataFrame]],
              spans: Sequence[Span | None] | None = None) -> pd.DataFrame:
    """Summary rows from (scenario, seed, per-replicate outcomes), the first being the base;
    `spans` (one per run, from `folder_span`) lets `pairing` check that the runs' streams
    and days line up, not only their seeds. Each policy row says how it was paired."""
    if not runs:
        raise GreensimError("compare needs at least one scenario")
    if spans is not None and len(spans) != len(runs):
        raise ValueError(f"summarize: {len(spans)} spans for {len(runs)} runs")
    span_of = list(spans) if spans is not None else [None] * len(runs)
    base_name, base_seed, base = runs[0]
    rows: list[dict[str, Any]] = []
    periods = list(dict.fromkeys(base["period"])) if len(base) else []
    for period in periods:
        b = base[base["period"] == period].set_index("replicate")
        for i, (name, seed, frame) in enumerate(runs):
            f = frame[frame["period"] == period].set_index("replicate")
            common = b.index.intersection(f.index)
            how = (pairing(str(period), (seed, base_seed), (span_of[i], span_of[0]),
                           (len(f), len(b)), len(common)) if i > 0 else "")
            paired = how.startswith("paired")
            for o in OUTCOMES.values():
                if o.name not in f.columns:
                    continue
                ci = mean_ci(f[o.name].to_numpy(dtype=float), bounds=o.bounds)
                row: dict[str, Any] = {
                    "period": period, "scenario": name, "role": "base" if i == 0 else "policy",
                    "outcome": o.name, "unit": o.unit, "direction": o.direction, "n": ci.n,
                    "mean": ci.mean, "ci_low": ci.low, "ci_high": ci.high,
                    "half_width": ci.half_width}
                if i > 0 and o.name in b.columns:
                    unpaired = welch_ci(f[o.name].to_numpy(dtype=float),
                                        b[o.name].to_numpy(dtype=float))
                    diff = (paired_ci(f.loc[common, o.name].to_numpy(dtype=float),
                                      b.loc[common, o.name].to_numpy(dtype=float))
                            if paired else unpaired)
                    row.update({"diff_mean": diff.mean, "diff_ci_low": diff.low,
                                "diff_ci_high": diff.high, "diff_half_width": diff.half_width,
                                "unpaired_half_width": unpaired.half_width, "paired": paired,
                                "pairing": how,
                                "verdict": _verdict(diff.low, diff.high, o.direction)})
                rows.append(row)
            for ratio in RATIOS.values():
                if i == 0 or not {ratio.numerator, ratio.denominator} <= set(f.columns):
                    continue
                if not paired:
                    continue
                num = f.loc[common, ratio.numerator] - b.loc[common, ratio.numerator]
                den = ratio.denominator_sign * (f.loc[common, ratio.denominator]
                                                - b.loc[common, ratio.denominator])
                est = paired_ratio(num.to_numpy(dtype=float), den.to_numpy(dtype=float))
                rows.append({"period": period, "scenario": name, "role": "policy",
                             "outcome": ratio.name, "unit": ratio.unit,
                             "direction": ratio.direction, "n": est.n, "mean": est.value,
                             "ci_low": est.low, "ci_high": est.high,
                             "half_width": ((est.high - est.low) / 2
                                            if math.isfinite(est.high - est.low) else math.nan),
                             "paired": True, "pairing": how, "note": est.note})
    return pd.DataFrame(rows)


def compare_folders(folders: Sequence[Path], periods: Sequence[Period],
                    discount_rate: float) -> pd.DataFrame:
    """The summary of run folders, the first being the base. A period with years outside the
    span the runs cover is refused (`check_periods`) before any table is read."""
    entries = []  # (scenario name, folder, run.json)
    for folder in map(Path, folders):
        meta = read_meta(folder)
        entries.append((str(meta.get("scenario", folder.name)), folder, meta))
    names = [name for name, _, _ in entries]
    if len(set(names)) != len(names):
        raise GreensimError(f"compare: scenario names must be unique, got {names}")
    spans = [folder_span(folder, meta) for _, folder, meta in entries]
    check_periods(periods, dict(zip(names, spans, strict=True)))
    runs = [(name, int(meta.get("seed", -1)), replicate_outcomes(folder, periods, discount_rate))
            for name, folder, meta in entries]
    return summarize(runs, spans)


def _fmt(mean: float, low: float, high: float, note: object = "") -> str:
    if isinstance(note, str) and note and not math.isfinite(mean):
        return note.split(" (", 1)[0]
    return format_interval(mean, low, high)


def _pairing_of(frame: pd.DataFrame, scenario: str) -> str:
    """How a policy's differences were taken (`pairing`; from `paired` in older summaries)."""
    rows = frame[(frame["scenario"] == scenario) & frame["outcome"].isin(list(OUTCOMES))]
    if "pairing" in rows.columns:
        told = [h for h in rows["pairing"] if isinstance(h, str) and h]
        if told:
            return str(told[0])
    paired = rows["paired"] if "paired" in rows.columns else pd.Series(dtype=object)
    return ("paired by replicate" if len(paired.dropna()) and bool(paired.dropna().all())
            else "unpaired (Welch)")


def format_summary(summary: pd.DataFrame) -> str:
    """The summary as a plain-text table: per period, outcome rows, scenario columns."""
    blocks = []
    for period, frame in summary.groupby("period", sort=False):
        scen = list(dict.fromkeys(frame["scenario"]))
        base = scen[0]
        table: dict[str, dict[str, str]] = {}
        for _, r in frame.iterrows():
            label = f"{r['outcome']} [{r['unit']}]"
            cells = table.setdefault(label, {})
            cells[r["scenario"]] = _fmt(r["mean"], r["ci_low"], r["ci_high"], r.get("note"))
            if r["scenario"] != base and isinstance(r.get("verdict"), str) and r["verdict"]:
                cells[f"{r['scenario']} − {base}"] = (
                    f"{_fmt(r['diff_mean'], r['diff_ci_low'], r['diff_ci_high'])} "
                    f"({r['verdict']})")
        cols = [base] + [c for s in scen[1:] for c in (s, f"{s} − {base}")]
        text = pd.DataFrame.from_dict(table, orient="index").reindex(columns=cols).fillna("")
        how = [f"; {s} − {base}: {_pairing_of(frame, s)}" for s in scen[1:]]
        blocks.append(f"years: {period} (mean [95 % CI]{''.join(how)})\n{text.to_string()}")
    return "\n\n".join(blocks)


def write_summary(summary: pd.DataFrame, out: Path) -> list[Path]:
    """summary.csv and summary.parquet under `out`, each written atomically."""
    with output_folder(Path(out), "compare") as out:
        atomic_write_parquet(out / "summary.parquet", summary)
        atomic_write_bytes(out / "summary.csv", summary.to_csv(index=False).encode("utf-8"))
    return [out / "summary.csv", out / "summary.parquet"]


__all__ = ["Span", "alike", "check_periods", "compare_folders", "folder_span", "format_summary",
           "iter_replicates", "pairing", "read_meta", "replicate_outcomes", "summarize",
           "write_summary"]
