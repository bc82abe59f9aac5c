"""Running a class's rounds in this process, and what the screens need from the runs.

`Engine(config)` runs the two references once ("what really happened", `as_reported`, and "doing
nothing", `no_transition`) and every card alone (its costs: the model's public spending on its
lever in the round it is played and in the next, the running cost), then `play(schedule)` runs a
schedule's scenario (`sim.classroom.cards.class_scenario`) for `config.replicates` replicates of
the same seed through the experiment layer's evaluator, in this process, and summarises its
tables into plain numbers (`summarise`): yearly headline outcomes from the outcomes registry with
their mean and the range over the replicates, the river, villages, visitors and workshops season
by season, the events of replicate 0, and spending per round. The summary is JSON (it lives in the
browser tab's store: each tab holds its own lesson).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.outcomes import Context, Period, evaluate
from sim.classroom.cards import (
    CARDS,
    LessonConfig,
    class_scenario,
    lone_card_scenario,
    reference_scenario,
)
from sim.experiments.executors import RunSpec
from sim.experiments.replicates import ModelEvaluator
from sim.report.figures import class_grid
from sim.scenario.schema import Scenario

Tables = dict[str, pd.DataFrame]
Summary = dict[str, Any]
REFERENCES = ("as_reported", "no_transition")
# headline numbers: (key, outcome in the registry, or None for the river's class)
HEADLINES: tuple[tuple[str, str | None], ...] = (
    ("river", None), ("income", "income_per_capita_yuan_per_yr"), ("jobs", "local_jobs"),
    ("satisfaction", "satisfaction_mean"), ("visits", "visits_per_yr"))
# seasons of a calendar year (winter = its January, February and December)
SEASON_MONTHS: tuple[tuple[int, ...], ...] = ((3, 4, 5), (6, 7, 8), (9, 10, 11), (12, 1, 2))
STORY_KINDS = ("closure", "connection", "facility_online", "investment", "coculture_spring",
               "price_crash", "homestays_opened", "retrofit", "fine", "investor_refused",
               "investor_admitted", "sand_site_closed", "treatment_self_treating",
               "outage_start")
# kinds told once a year as a count ("5 pig farms fined")
COUNTED = frozenset({"retrofit", "fine", "investor_refused", "outage_start", "connection"})
RUN_LOCK = threading.Lock()
"""Held while a round runs: a second tab's click is refused at once (not queued), so two
lessons never share the two cores at the same time."""


class Busy(RuntimeError):
    """Another round is running (the other tab's): try again in a moment."""


@dataclass
class Engine:
    """Runs lessons of `config`; `runs` counts model runs (a double click must not add any)."""

    config: LessonConfig
    runs: int = 0
    references: dict[str, Tables] = field(default_factory=dict)
    reference_summaries: dict[str, Summary] = field(default_factory=dict)
    costs: dict[str, tuple[float, float]] = field(default_factory=dict)
    layout: dict[str, Any] = field(default_factory=dict)
    _count: threading.Lock = field(default_factory=threading.Lock)

    def prepare(self) -> Engine:
        """Run the references and price the cards (a few seconds, once)."""
        for name in REFERENCES:
            scenario = reference_scenario(name, self.config)
            tables = self.run_tables(scenario)
            self.references[name] = tables
            self.reference_summaries[name] = summarise(tables, self.config)
        self.layout = township_layout(tables, scenario)
        for cid in CARDS:
            self.costs[cid] = card_costs(self.run_tables(lone_card_scenario(cid, self.config),
                                                         replicates=1), CARDS[cid].lever,
                                         self.config)
        return self

    def run_tables(self, scenario: Scenario, replicates: int | None = None) -> Tables:
        """All replicates' tables of `scenario` (replicate k with the lesson's seed), stacked."""
        evaluator = ModelEvaluator({scenario.name: scenario}, keep_tables=True)
        outs = []
        for r in range(replicates or self.config.replicates):
            outs.append(evaluator(RunSpec(scenario.name, r), self.config.seed).tables)
            with self._count:
                self.runs += 1
        return {name: pd.concat([o[name] for o in outs], ignore_index=True)
                for name in outs[0]}

    def play(self, schedule: Sequence[Sequence[str]]) -> tuple[Summary, Tables]:
        """Run a class's schedule (rounds played so far) and summarise it; raises Busy when
        another round holds the lock."""
        if not RUN_LOCK.acquire(blocking=False):
            raise Busy("another round is running")
        try:
            tables = self.run_tables(class_scenario(schedule, self.config))
        finally:
            RUN_LOCK.release()
        return summarise(tables, self.config), tables

    def run_locked(self, scenario: Scenario, wait_s: float = 15.0) -> Tables:
        """`run_tables` under the lock (free play: a change made while the last one runs waits
        its turn, up to `wait_s`, then raises Busy)."""
        if not RUN_LOCK.acquire(timeout=wait_s):
            raise Busy("another run is running")
        try:
            return self.run_tables(scenario)
        finally:
            RUN_LOCK.release()

    def round_cost(self, schedule: Sequence[Sequence[str]], chosen: Sequence[str]) -> float:
        """万元 the round after `schedule` needs: the running costs of cards played earlier and
        the first-round costs of `chosen`."""
        running = sum(self.costs[c][1] for ids in schedule for c in ids)
        return running + sum(self.costs[c][0] for c in chosen)

    def running_cost(self, schedule: Sequence[Sequence[str]]) -> float:
        return sum(self.costs[c][1] for ids in schedule for c in ids)


def township_layout(tables: Tables, scenario: Scenario) -> dict[str, Any]:
    """Where things are along the river (km from the upstream end): sections, villages (number,
    zone, km, from the villages table) and workshops (id, km of their village)."""
    v = tables["villages"]
    first = v[(v["replicate"] == 0) & (v["date"] == v["date"].min())]
    villages = [(int(str(n).lstrip("V")), str(z), float(k))
                for n, z, k in zip(first["village"], first["zone"], first["river_km"],
                                   strict=True)]
    km_of = {n: k for n, _, k in villages}
    return {"length_km": scenario.river.length_km,
            "sections": [(s.name, s.river_km) for s in scenario.river.sections],
            "villages": villages,
            "workshops": [(w.id, km_of.get(w.village, 0.0)) for w in scenario.workshops]}


def card_costs(tables: Tables, lever: str, config: LessonConfig) -> tuple[float, float]:
    """(first round, each later round) of a card's public spending, 万元, from its lone run."""
    tw = tables["township"]
    column = f"public_spending_yuan_{lever}"
    if column not in tw.columns:
        return 0.0, 0.0
    years = tw["date"].dt.year
    out = []
    for k in range(min(2, config.rounds)):
        first, last = config.round_years(k)
        out.append(float(tw.loc[(years >= first) & (years <= last), column].sum()) / 1e4)
    first_cost = out[0]
    running = out[1] if len(out) > 1 else 0.0
    return round(first_cost, 1), round(running, 1)


# ----------------------------------------------------------------------------- summaries
def _river_classes(sections: pd.DataFrame) -> pd.DataFrame:
    """Per replicate and year: the worst section's median monthly class."""
    data = sections.assign(year=sections["date"].dt.year, section=sections["section"].astype(str))
    med = data.groupby(["replicate", "year", "section"])["water_class"].quantile(
        0.5, interpolation="higher")
    return med.groupby(level=["replicate", "year"]).max().unstack("year")


def headline_series(tables: Tables, years: Sequence[int]) -> dict[str, dict[str, list[float]]]:
    """Each headline number per year: mean over replicates and their range (min, max)."""
    per: dict[str, list[list[float]]] = {k: [] for k, _ in HEADLINES}
    reps = sorted(tables["township"]["replicate"].unique())
    river = _river_classes(tables["sections"])
    by_rep = {r: {n: f[f["replicate"] == r] for n, f in tables.items()} for r in reps}
    for r in reps:
        rows: dict[str, list[float]] = {k: [] for k, _ in HEADLINES}
        for y in years:
            found = evaluate(by_rep[r], Context(Period(y, y)),
                             [o for _, o in HEADLINES if o is not None])
            for key, outcome in HEADLINES:
                if outcome is None:
                    rows[key].append(float(river.loc[r, y]) if y in river.columns else np.nan)
                else:
                    rows[key].append(float(found.get(outcome, np.nan)))
        for key in per:
            per[key].append(rows[key])
    out = {}
    for key, values in per.items():
        arr = np.asarray(values, dtype=float)
        out[key] = {"mean": _round(np.nanmean(arr, axis=0)), "lo": _round(np.nanmin(arr, axis=0)),
                    "hi": _round(np.nanmax(arr, axis=0))}
    return out


def _round(values: np.ndarray) -> list[float]:
    return [float(f"{v:.6g}") for v in values]


def _season_of(months: pd.Series) -> np.ndarray:
    lookup = {m: k for k, ms in enumerate(SEASON_MONTHS) for m in ms}
    return months.map(lookup).to_numpy()


def season_frames(tables: Tables, years: Sequence[int], workshops: Sequence[str]
                  ) -> list[dict[str, Any]]:
    """Season by season: each section's class (the worst month of the season's median classes
    across replicates), its black-and-smelly level when the tables have it, each village's mean
    satisfaction, visits, and each workshop's state at the season's end (most replicates)."""
    sections, villages, town = tables["sections"], tables["villages"], tables["township"]
    median, _ = class_grid(sections)
    black = _black_by_month(sections)
    sat = villages.assign(year=villages["date"].dt.year,
                          season=_season_of(villages["date"].dt.month))
    sat = sat.groupby(["year", "season", "village"])["satisfaction_mean"].mean().unstack("village")
    tw = town.assign(year=town["date"].dt.year, season=_season_of(town["date"].dt.month))
    visits = tw.groupby(["year", "season", "replicate"])["visits"].sum().groupby(
        level=["year", "season"]).mean()
    replicates = int(town["replicate"].nunique())
    history = _workshop_history(tables["events"], workshops)
    worst = _season_worst(median)
    worst_black = _season_worst(black) if black is not None else {}
    frames = []
    for y in years:
        for s, months in enumerate(SEASON_MONTHS):
            end = pd.Timestamp(year=y, month=max(months), day=1) + pd.offsets.MonthEnd(1)
            cell = (y, s)
            frames.append({
                "year": y, "season": s,
                "classes": {sec: int(v) for sec, v in worst.get(cell, {}).items()},
                "black": {sec: int(v) for sec, v in worst_black.get(cell, {}).items()},
                "villages": (_round(np.asarray(sat.loc[[cell]].to_numpy(dtype=float)[0]))
                             if cell in sat.index else []),
                "visits": float(round(visits.get(cell, 0.0))),
                "workshops": _states_at(history, workshops, replicates, end)})
    return frames


def _season_worst(grid: pd.DataFrame) -> dict[tuple[int, int], dict[str, float]]:
    """Per (year, season): each row's worst (highest) value over the season's months."""
    out: dict[tuple[int, int], dict[str, float]] = {}
    if grid.empty:
        return out
    dates = pd.DatetimeIndex(grid.columns)
    seasons = _season_of(pd.Series(dates.month))
    values = grid.to_numpy(dtype=float)
    for j, (year, season) in enumerate(zip(dates.year, seasons, strict=True)):
        cell = out.setdefault((int(year), int(season)), {})
        for i, row in enumerate(grid.index):
            v = values[i, j]
            if not np.isnan(v):
                cell[str(row)] = max(cell.get(str(row), v), v)
    return out


def _black_by_month(sections: pd.DataFrame) -> pd.DataFrame | None:
    if "black_smelly" not in sections.columns:
        return None
    level = sections["black_smelly"].astype("string").str.lower().map(
        {"none": 0, "light": 1, "heavy": 2}).astype("float")
    data = sections.assign(level=level, section=sections["section"].astype(str))
    return data.groupby(["section", "date"])["level"].quantile(
        0.5, interpolation="higher").unstack("date")


def _workshop_history(events: pd.DataFrame, ids: Sequence[str]
                      ) -> dict[tuple[str, int], list[tuple[pd.Timestamp, str]]]:
    """Per (workshop, replicate): its state changes in date order."""
    kind = events["kind"].astype(str)
    found = events[(kind.isin(["closure", "connection"]) | kind.str.startswith("treatment_"))
                   & events["subject"].astype(str).isin(list(ids))]
    found = found.sort_values("date", kind="stable")
    history: dict[tuple[str, int], list[tuple[pd.Timestamp, str]]] = {}
    names = {"closure": "closed", "connection": "connected"}
    for row in found.itertuples(index=False):
        state = names.get(str(row.kind), "treating")
        key = (str(row.subject), int(str(row.replicate)))
        history.setdefault(key, []).append((pd.Timestamp(str(row.date)), state))
    return history


def _states_at(history: Mapping[tuple[str, int], list[tuple[pd.Timestamp, str]]],
               ids: Sequence[str], replicates: int, end: pd.Timestamp) -> list[str]:
    """Each workshop's state (open, treating, connected, closed) at `end` in most replicates
    (a tie goes to the later state in that order)."""
    order = ("open", "treating", "connected", "closed")
    out = []
    for wid in ids:
        counts = dict.fromkeys(order, 0)
        for r in range(replicates):
            state = "open"
            for when, s in history.get((wid, r), []):
                if when <= end:
                    state = s
            counts[state] += 1
        out.append(max(order, key=lambda s: (counts[s], order.index(s))))
    return out


def story(events: pd.DataFrame, first: int, last: int, town: pd.DataFrame | None = None
          ) -> list[dict[str, Any]]:
    """Replicate 0's events of years first..last worth one line each; frequent kinds counted
    once a year; with the township table, the laid-off workers who found jobs each year."""
    ev = events[(events["replicate"] == 0) & events["kind"].astype(str).isin(STORY_KINDS)]
    ev = ev[(ev["date"].dt.year >= first) & (ev["date"].dt.year <= last)]
    ev = ev.sort_values("date", kind="stable")
    lines: list[dict[str, Any]] = []
    counted: dict[tuple[int, str], dict[str, Any]] = {}
    for row in ev.itertuples(index=False):
        kind, year = str(row.kind), int(row.date.year)
        if kind in COUNTED:
            key = (year, kind)
            if key not in counted:
                counted[key] = {"date": f"{year}-12-31" if kind != "connection"
                                else row.date.strftime("%Y-%m-%d"), "kind": kind,
                                "subject": "", "n": 0, "value": 0.0}
                lines.append(counted[key])
            counted[key]["n"] += 1
            continue
        detail = str(row.detail)
        laid = re.search(r"(\d+) workers laid off", detail)
        value = float(row.value) if pd.notna(row.value) else 0.0
        lines.append({"date": row.date.strftime("%Y-%m-%d"), "kind": kind,
                      "subject": str(row.subject), "n": int(laid.group(1)) if laid else 0,
                      "value": value, "losses": "losses" in detail})
    lines += reemployed(events, town, first, last) if town is not None else []
    return sorted(lines, key=lambda line: line["date"])


def reemployed(events: pd.DataFrame, town: pd.DataFrame, first: int, last: int
               ) -> list[dict[str, Any]]:
    """Replicate 0's laid-off workers who found new jobs, a line a year: those looking at the
    end of the year before, plus those laid off in the year (closures), minus those still
    looking at its end (`job_seekers` counts exactly the laid-off who are looking)."""
    tw = town[town["replicate"] == 0]
    year_end = tw.groupby(tw["date"].dt.year)["job_seekers"].last()
    closed = events[(events["replicate"] == 0) & (events["kind"].astype(str) == "closure")]
    laid = closed["detail"].astype(str).str.extract(r"(\d+) workers laid off")[0]
    laid_by_year = laid.astype(float).groupby(closed["date"].dt.year).sum()
    out = []
    for year in range(first, last + 1):
        if year not in year_end.index:
            continue
        before = float(year_end.get(year - 1, 0.0))
        found = before + float(laid_by_year.get(year, 0.0)) - float(year_end[year])
        if found >= 1:
            out.append({"date": f"{year}-12-31", "kind": "reemployed", "subject": "",
                        "n": int(round(found)), "value": 0.0})
    return out


def spending_by_round(tables: Tables, config: LessonConfig) -> dict[str, list[float]]:
    """Public spending per lever and round, 万元, mean over replicates."""
    tw = tables["township"]
    years = tw["date"].dt.year
    reps = max(int(tw["replicate"].nunique()), 1)
    out: dict[str, list[float]] = {}
    for column in (c for c in tw.columns if c.startswith("public_spending_yuan_")):
        lever = column.removeprefix("public_spending_yuan_")
        values = []
        for k in range(config.rounds):
            first, last = config.round_years(k)
            values.append(round(float(tw.loc[(years >= first) & (years <= last),
                                              column].sum()) / reps / 1e4, 1))
        out[lever] = values
    return out


def summarise(tables: Tables, config: LessonConfig) -> Summary:
    """What the screens show of one schedule's (or reference's) runs, as JSON."""
    town = tables["township"]
    years = sorted(int(y) for y in town["date"].dt.year.unique())
    workshops = sorted(str(w) for w in tables["events"]["subject"].astype(str).unique()
                       if re.fullmatch(r"W\d+", str(w)))
    ids = [f"W{k:02d}" for k in range(1, 13)]
    workshops = ids if not workshops else sorted(set(workshops) | set(ids))
    return {"years": years, "replicates": int(town["replicate"].nunique()),
            "series": headline_series(tables, years),
            "seasons": season_frames(tables, years, workshops), "workshops": workshops,
            "story": story(tables["events"], config.first_year, years[-1], town),
            "spending": spending_by_round(tables, config)}


def changes(policy: Tables, base: Tables, year: int) -> dict[str, Any]:
    """Who won and who lost in `year`: the class against doing nothing, per replicate pair
    (mean and range): workers (local jobs, job seekers), farmers (farm income), hosts (tourism
    revenue), and each village's income per person."""
    def yearly(tables: Tables, column: str, how: str = "sum") -> np.ndarray:
        tw = tables["township"]
        rows = tw[tw["date"].dt.year == year]
        if column not in rows.columns:
            return np.zeros(1)
        grouped = rows.groupby("replicate")[column]
        return (grouped.sum() if how == "sum" else grouped.mean()).to_numpy(dtype=float)

    def diff(column: str, how: str = "sum") -> dict[str, float]:
        a, b = yearly(policy, column, how), yearly(base, column, how)
        n = min(len(a), len(b))
        d = a[:n] - b[:n]
        return {"mean": float(d.mean()), "lo": float(d.min()), "hi": float(d.max())}

    farm = [c for c in ("income_rice_yuan", "income_coculture_yuan", "income_livestock_yuan",
                        "income_forest_yuan") if c in policy["township"].columns]
    out: dict[str, Any] = {
        "jobs": _sum_diffs([diff(c, "mean") for c in ("workshop_jobs", "tourism_jobs",
                                                       "industry_jobs")]),
        "seekers": diff("job_seekers", "mean"),
        "seekers_level": float(yearly(policy, "job_seekers", "mean").mean()),
        "farm_income": _sum_diffs([diff(c) for c in farm]),
        "tourism": diff("tourism_revenue_yuan"),
        "cod": _sum_diffs([diff(c) for c in policy["township"].columns
                           if c.startswith("cod_kg_")]),
    }
    villages = []
    for tables in (policy, base):
        v = tables["villages"]
        rows = v[v["date"].dt.year == year]
        villages.append(rows.groupby(["village", "replicate"])["income_per_capita_yuan"].sum())
    both = pd.concat(villages, axis=1, keys=["p", "b"], join="inner")
    per_village = (both["p"] - both["b"]).groupby(level="village").mean()
    out["villages"] = {str(k): round(float(v), 1) for k, v in per_village.items()}
    return out


def _sum_diffs(parts: Sequence[Mapping[str, float]]) -> dict[str, float]:
    return {k: float(sum(p[k] for p in parts)) for k in ("mean", "lo", "hi")} if parts \
        else {"mean": 0.0, "lo": 0.0, "hi": 0.0}


__all__ = ["Busy", "Engine", "HEADLINES", "REFERENCES", "RUN_LOCK", "SEASON_MONTHS", "card_costs",
           "changes", "season_frames", "summarise", "township_layout"]
