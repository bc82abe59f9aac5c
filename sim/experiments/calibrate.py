"""Calibration: fit the tuned parameters (tag C) to the account's targets, inside their ranges.

    problem = build_problem(scenarios, load_targets(), replicates=8, seed=20250101)
    result = calibrate(problem, max_evaluations=40, workers=2, method="powell")

The tuned parameters come from the schema (`sim.scenario.tuned`), the targets from a declarative
file (`sim.analysis.targets`). A candidate parameter set is scored by running each scenario a
target needs, `replicates` times, up to the last target's month: replicate k of every candidate
uses the same seeds for every random stream (common random numbers), so the objective,
Σ weight × (distance outside the target / tolerance)², is a deterministic function of the
parameters and candidates differ by their parameters, not by noise. scipy.optimize searches the
unit cube mapped onto each parameter's plausible range (Powell from the scenarios' current
values, or differential evolution), so no value ever leaves its range. The first evaluation is
the scenarios' current values; the result is the best evaluation within the budget (the current
values if nothing beats them). Nothing is written to the scenarios: `sim.experiments.calibrate_out`
writes the tables, an overlay scenario per scenario file, and the generated docs section.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import wait
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from sim.analysis.targets import Target, TargetResult, measure, objective, summarise
from sim.errors import GreensimError, ScenarioError
from sim.experiments.draws import apply_values, current_value, draw
from sim.experiments.executors import RunOutput, RunSpec, open_executor, run_batch
from sim.experiments.replicates import RunsFailed, make_batches
from sim.model.simulation import run
from sim.scenario.load import validate_mapping
from sim.scenario.schema import Scenario
from sim.scenario.tuned import TunedParameter, tuned_parameters

METHODS = ("powell", "differential-evolution")
AT_BOUND = 0.01
"""A fitted value within this share of its range from an end is reported as at that bound."""


# ----------------------------------------------------------------------------- one run
@dataclass(frozen=True)
class CalibrationEvaluator:
    """Runs one replicate of a scenario with a candidate's values (those the scenario has) and
    measures that scenario's targets (picklable: sent to worker processes)."""

    scenarios: Mapping[str, Scenario]
    targets: tuple[Target, ...]
    applicable: Mapping[str, frozenset[str]]

    def __call__(self, spec: RunSpec, seed: int) -> RunOutput:
        scenario = self.scenarios[spec.group]
        inputs = {k: v for k, v in spec.inputs if k in self.applicable[spec.group]}
        draws = draw(scenario, seed, spec.replicate, skip=inputs)
        if inputs or draws:
            scenario = apply_values(scenario, {**inputs, **draws},
                                    f"{scenario.name} calibration replicate {spec.replicate}")
        tables = run(scenario, seed, spec.replicate).tables
        mine = [t for t in self.targets if t.scenario == spec.group]
        return RunOutput({}, measure(mine, tables), draws)


# ----------------------------------------------------------------------------- the problem
@dataclass(frozen=True)
class Problem:
    """What is fitted (parameters), to what (targets; `fitted` enter the objective), how."""

    parameters: tuple[TunedParameter, ...]
    start: tuple[float, ...]
    targets: tuple[Target, ...]
    fitted: tuple[str, ...]
    scenarios: Mapping[str, Scenario]
    applicable: Mapping[str, frozenset[str]]
    replicates: int
    seed: int
    notes: tuple[str, ...] = ()

    def values(self, unit: Sequence[float] | np.ndarray) -> dict[str, float]:
        """Parameter values for a point of the unit cube, to 6 significant digits (whole
        numbers if integer), always inside the range."""
        out: dict[str, float] = {}
        for p, u in zip(self.parameters, unit, strict=True):
            v = p.low + float(np.clip(u, 0.0, 1.0)) * (p.high - p.low)
            v = min(max(float(f"{v:.6g}"), p.low), p.high)  # 6 digits: readable, cacheable
            out[p.path] = float(round(v)) if p.integer else v
        return out

    def unit(self, values: Sequence[float]) -> np.ndarray:
        return np.array([p.position(v) for p, v in zip(self.parameters, values, strict=True)])


def _month_end(day: date) -> date:
    nxt = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


def build_problem(scenarios: Sequence[Scenario], targets: Sequence[Target], *,
                  replicates: int, seed: int, only: Sequence[str] = ()) -> Problem:
    """Check the targets against the scenarios and choose the parameters to fit: `only` (key
    paths), or every tuned parameter some target informs."""
    if replicates < 2:
        raise GreensimError("--replicates must be at least 2 (a mean needs its interval)")
    tuned = {p.path: p for p in tuned_parameters()}
    unknown = [o for o in only if o not in tuned]
    if unknown:
        raise GreensimError(f"--params {', '.join(unknown)}: not a tuned parameter (tag C); "
                            f"expected one of {', '.join(tuned)}")
    by_name = {s.name: s for s in scenarios}
    for t in targets:
        if t.scenario not in by_name:
            raise ScenarioError(f"target {t.id}: scenario {t.scenario!r} is not among the "
                                f"scenario files given ({', '.join(by_name) or 'none'})")
        if t.end > by_name[t.scenario].end_date:
            raise ScenarioError(f"target {t.id}: needs runs to {t.end}; scenario {t.scenario} "
                                f"ends on {by_name[t.scenario].end_date}")
    informed = {name for t in targets for name in t.informs}
    chosen = list(only) or [p for p in tuned if p in informed]
    notes = [f"{p}: no target informs it; not fitted" for p in tuned if p not in informed]
    if not chosen:
        raise GreensimError("no tuned parameter is informed by a target: nothing to fit")
    fitted = tuple(t.id for t in targets if set(t.informs) & set(chosen))
    if not fitted:
        raise GreensimError(f"no target informs {', '.join(chosen)}: nothing to fit them to")
    needed = {t.scenario for t in targets}
    cut: dict[str, Scenario] = {}
    applicable: dict[str, frozenset[str]] = {}
    for name in needed:
        s = by_name[name]
        last = _month_end(max(t.end for t in targets if t.scenario == name))
        data = s.model_dump(mode="json")
        data["end_date"] = min(last, s.end_date).isoformat()
        cut[name] = validate_mapping(data, f"{name} (calibration horizon)")
        applicable[name] = frozenset(p for p in chosen if _has(data, p))
    start: list[float] = []
    for path in chosen:
        p = tuned[path]
        found = [float(current_value(cut[n].model_dump(mode="json"), path))
                 for n in sorted(needed) if path in applicable[n]]
        if not found:
            raise GreensimError(f"{path}: set in none of the scenarios the targets run "
                                f"({', '.join(sorted(needed))}; is its section switched on?)")
        if len(set(found)) > 1:
            notes.append(f"{path}: the scenarios differ ({', '.join(f'{v:g}' for v in found)}); "
                         f"the calibration gives it one value in all of them")
        if not p.inside(found[0]):
            notes.append(f"{path}: the scenarios' value {found[0]:g} lies outside its range "
                         f"{p.low:g}–{p.high:g}; the search starts at the nearest end")
        start.append(min(max(found[0], p.low), p.high))
    return Problem(tuple(tuned[p] for p in chosen), tuple(start), tuple(targets), fitted, cut,
                   applicable, replicates, seed, tuple(notes))


def _has(data: Mapping[str, Any], path: str) -> bool:
    try:
        current_value(data, path)
    except KeyError:
        return False
    return True


# ----------------------------------------------------------------------------- evaluations
@dataclass
class Evaluation:
    """One candidate: its values, each target's per-replicate values and results, objective."""

    number: int
    values: dict[str, float]
    per_replicate: dict[str, list[float]]
    results: dict[str, TargetResult]
    objective: float


class _BudgetSpent(Exception):
    pass


@dataclass
class Calibration:
    """All evaluations in order; `start` is the first (the scenarios' values), `best` the
    lowest objective (the earliest of equals)."""

    problem: Problem
    method: str
    max_evaluations: int
    evaluations: list[Evaluation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def start(self) -> Evaluation:
        return self.evaluations[0]

    @property
    def best(self) -> Evaluation:
        return min(self.evaluations, key=lambda e: (e.objective, e.number))


def evaluate_point(problem: Problem, values: Mapping[str, float], handle: Any,
                   on_progress: Callable[[int], None] | None = None, number: int = 0
                   ) -> Evaluation:
    """Run every needed scenario's replicates with `values` on the executor `handle`."""
    evaluator = CalibrationEvaluator(problem.scenarios, problem.targets, problem.applicable)
    inputs = tuple(sorted(values.items()))
    specs = [RunSpec(name, r, inputs) for name in sorted(problem.scenarios)
             for r in range(problem.replicates)]
    size = 1 if handle.kind == "inline" else max(1, math.ceil(len(specs) / (2 * handle.slots)))
    futures = [handle.executor.submit(run_batch, evaluator, batch, problem.seed)
               for batch in make_batches(specs, size)]
    outputs: dict[tuple[str, int], RunOutput] = {}
    for fut in futures:
        wait([fut])
        result = fut.result()
        if result.failures:
            f = result.failures[0]
            raise RunsFailed(f"calibration run {f.spec.group} replicate {f.spec.replicate} "
                             f"with {dict(f.spec.inputs)} failed: {f.error}")
        for spec, out in result.outputs:
            outputs[spec.key] = out
        if on_progress is not None:
            on_progress(len(result.outputs))
    per: dict[str, list[float]] = {}
    results: dict[str, TargetResult] = {}
    for t in problem.targets:
        per[t.id] = [outputs[(t.scenario, r)].outcomes[t.id] for r in range(problem.replicates)]
        results[t.id] = summarise(t, per[t.id])
    score = objective([results[i] for i in problem.fitted])
    return Evaluation(number, dict(values), per, results, score)


def runs_per_evaluation(problem: Problem) -> int:
    return len(problem.scenarios) * problem.replicates


def first_directions(cal: Calibration) -> np.ndarray:
    """Powell's first search directions: the parameters' axes, those informing the targets
    missed most at the start first (so a small budget goes where it is needed)."""
    p = cal.problem
    need = [sum(cal.start.results[t.id].target.weight * cal.start.results[t.id].distance ** 2
                for t in p.targets if t.id in p.fitted and par.path in t.informs)
            for par in p.parameters]
    order = sorted(range(len(need)), key=lambda i: (-need[i], i))
    return np.eye(len(need))[order]


def calibrate(problem: Problem, *, max_evaluations: int, workers: int = 1,
              method: str = "powell", seed: int | None = None,
              on_progress: Callable[[int], None] | None = None) -> Calibration:
    """Search the parameters' ranges for the lowest objective within `max_evaluations`
    evaluations (the scenarios' current values count as the first)."""
    if method not in METHODS:
        raise GreensimError(f"--method {method!r}: expected one of {', '.join(METHODS)}")
    if max_evaluations < 1:
        raise GreensimError("--max-evaluations must be at least 1")
    from scipy import optimize

    out = Calibration(problem, method, max_evaluations, notes=list(problem.notes))
    cache: dict[tuple[float, ...], float] = {}
    k = len(problem.parameters)
    with open_executor(workers) as handle:
        def score(unit: np.ndarray) -> float:
            values = problem.values(unit)
            key = tuple(values[p.path] for p in problem.parameters)
            if key in cache:
                return cache[key]
            if len(out.evaluations) >= max_evaluations:
                raise _BudgetSpent
            ev = evaluate_point(problem, values, handle, on_progress, len(out.evaluations))
            out.evaluations.append(ev)
            cache[key] = ev.objective if math.isfinite(ev.objective) else 1e12
            return cache[key]

        u0 = problem.unit(problem.start)
        score(u0)
        bounds = [(0.0, 1.0)] * k
        try:
            if out.best.objective == 0.0:
                out.notes.append("every fitted target is met at the scenarios' values: kept")
            elif method == "powell":
                optimize.minimize(score, u0, method="Powell", bounds=bounds,
                                  options={"maxfev": 10 * max_evaluations, "xtol": 1e-2,
                                           "ftol": 1e-3, "direc": first_directions(out)})
            else:
                popsize = max(1, min(15, (max_evaluations - 1) // (2 * k)))
                generations = max(0, (max_evaluations - 1) // (popsize * k) - 1)
                optimize.differential_evolution(
                    score, bounds, maxiter=generations, popsize=popsize, x0=u0, polish=False,
                    init="latinhypercube",  # any size (Sobol' wants powers of two)
                    seed=problem.seed if seed is None else seed, tol=0.0)
        except _BudgetSpent:
            out.notes.append(f"the budget of {max_evaluations} evaluations was spent before "
                             f"the search converged")
    return out


__all__ = ["AT_BOUND", "METHODS", "Calibration", "CalibrationEvaluator", "Evaluation",
           "Problem", "build_problem", "calibrate", "evaluate_point", "runs_per_evaluation"]
