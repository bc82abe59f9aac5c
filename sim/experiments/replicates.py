"""Many runs (scenarios × replicates, or design points × replicates) on an executor, written as
they finish and assembled atomically.

Replicate k of every scenario uses the same seeds for every named stream and the same uncertainty
draws (common random numbers). Runs travel in batches to an executor (this process, a process pool
or Dask, `sim.experiments.executors`); each finished batch is written to the experiment's journal
(`sim.experiments.journal`), so memory stays bounded and `resume=True` skips finished runs. Tables
are assembled in (scenario, replicate) order, never in completion order, so one seed gives the same
files bit for bit with 1 or N workers or on Dask. Each scenario's folder is written to a hidden
temporary folder and renamed into place only when complete; a killed run leaves complete folders of
the scenarios it finished, a journal to resume from, and nothing half-written.

With `precision=p`, replicates are added in rounds until the 95 % confidence half-width of
every key outcome (`sim.analysis.outcomes`, key=True) of every scenario is within p × |mean|, or
`max_replicates` is reached (then a message says which outcome fell short).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sim import __version__
from sim.analysis.outcomes import OUTCOMES, Context, evaluate
from sim.analysis.stats import mean_ci
from sim.errors import GreensimError
from sim.experiments.draws import apply_values, check_applicable, draw
from sim.experiments.executors import (
    BatchResult,
    ExecutorHandle,
    RunOutput,
    RunSpec,
    default_workers,
    open_executor,
    run_batch,
    trim_warning,
)
from sim.experiments.folders import folder_is_current, write_scenario_folder
from sim.experiments.journal import Journal
from sim.files import atomic_write_parquet, check_replaceable, output_folder
from sim.model.simulation import run
from sim.scenario.params import folder_key
from sim.scenario.schema import Scenario

JOURNAL = ".greensim-journal"
MAX_AUTO_BATCH = 8
Progress = Callable[[int], None]


class RunsFailed(RuntimeError):
    """Some runs raised; they are recorded (error, inputs) and the others finished."""


# ----------------------------------------------------------------------------- one run
@dataclass(frozen=True)
class ModelEvaluator:
    """Runs the model for a spec: the group's scenario (or `base` for every group, in sweeps),
    design inputs and uncertainty draws applied, then its outcomes for `context`."""

    scenarios: Mapping[str, Scenario]
    context: Context = field(default_factory=Context)
    keep_tables: bool = True
    base: str | None = None

    def __call__(self, spec: RunSpec, seed: int) -> RunOutput:
        scenario = self.scenarios[self.base if self.base is not None else spec.group]
        inputs = dict(spec.inputs)
        draws = draw(scenario, seed, spec.replicate, skip=inputs)
        if inputs or draws:
            scenario = apply_values(scenario, {**inputs, **draws},
                                    f"{scenario.name} {spec.group} replicate {spec.replicate}")
        result = run(scenario, seed, spec.replicate)
        outcomes = evaluate(result.tables, self.context)
        return RunOutput(result.tables if self.keep_tables else {}, outcomes, draws)


# ----------------------------------------------------------------------------- execution
def make_batches(specs: Sequence[RunSpec], size: int) -> list[list[RunSpec]]:
    """Batches of at most `size` consecutive replicates of one group, in group then
    replicate order (so a batch's parts are contiguous ranges)."""
    order: dict[str, int] = {}
    for s in specs:
        order.setdefault(s.group, len(order))
    batches: list[list[RunSpec]] = []
    for s in sorted(specs, key=lambda s: (order[s.group], s.replicate)):
        last = batches[-1] if batches else None
        if (last is not None and len(last) < size and last[-1].group == s.group
                and last[-1].replicate + 1 == s.replicate):
            last.append(s)
        else:
            batches.append([s])
    return batches


def auto_batch_size(runs: int, handle: ExecutorHandle) -> int:
    if handle.kind == "inline":
        return 1
    return max(1, min(MAX_AUTO_BATCH, math.ceil(runs / (4 * handle.slots))))


@dataclass
class Execution:
    """What happened while executing: new failures, and notes for the user."""

    failures: int = 0
    notes: list[str] = field(default_factory=list)


def execute(specs: Sequence[RunSpec], evaluator: Callable[[RunSpec, int], RunOutput], *,
            seed: int, journal: Journal, handle: ExecutorHandle, batch_size: int | None = None,
            max_failures: int | None = None, on_progress: Progress | None = None,
            on_group_done: Callable[[str], None] | None = None) -> Execution:
    """Run the specs not yet in the journal; record each batch as it finishes."""
    done = journal.finished()
    todo = [s for s in specs if s.key not in done]
    remaining = Counter(s.group for s in todo)
    failed_groups: set[str] = set()
    outcome = Execution()
    batches = iter(make_batches(todo, batch_size or auto_batch_size(len(todo), handle)))
    window = 1 if handle.kind == "inline" else 2 * handle.slots
    in_flight: dict[Future[BatchResult], list[RunSpec]] = {}
    try:
        while True:
            while len(in_flight) < window and (batch := next(batches, None)) is not None:
                in_flight[handle.executor.submit(run_batch, evaluator, batch, seed)] = batch
            if not in_flight:
                break
            finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for fut in sorted(finished, key=lambda f: in_flight[f][0]):
                batch = in_flight.pop(fut)
                result = fut.result()
                journal.record(result)
                note = trim_warning(result.worker_env)
                if note and note not in outcome.notes:
                    outcome.notes.append(note)
                outcome.failures += len(result.failures)
                failed_groups.update(f.spec.group for f in result.failures)
                group = batch[0].group
                remaining[group] -= len(batch)
                if on_progress is not None:
                    on_progress(len(batch))
                if remaining[group] == 0 and group not in failed_groups and on_group_done:
                    on_group_done(group)
                if max_failures is not None and outcome.failures > max_failures:
                    raise RunsFailed(f"{outcome.failures} runs failed (more than "
                                     f"--max-failures {max_failures}); stopped. Errors and "
                                     f"inputs are in {journal.root}")
    finally:
        # A process pool cancels its queued batches itself as it stops (`open_executor`): a
        # cancel from this thread races the pool's own thread, which (Python 3.11) then fails
        # with InvalidStateError and a traceback as it marks the batches of a broken pool.
        if handle.kind != "processes":
            for fut in in_flight:
                fut.cancel()
    return outcome


# ----------------------------------------------------------------------------- precision
@dataclass
class PrecisionCheck:
    """Half-widths of the key outcomes after n replicates, against the target."""

    target: float
    replicates: int
    rows: list[dict[str, Any]]

    @property
    def ratio(self) -> float:
        """Worst half-width / (target × |mean|): ≤ 1 means every key outcome is precise."""
        return max((r["ratio"] for r in self.rows), default=math.inf)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and self.ratio <= 1.0

    def worst(self) -> dict[str, Any]:
        return max(self.rows, key=lambda r: r["ratio"])


def check_precision(outcomes: pd.DataFrame, replicates: int, target: float) -> PrecisionCheck:
    """Half-width/mean of every key outcome of every group over replicates 0..n-1."""
    keys = [o.name for o in OUTCOMES.values() if o.key and o.name in outcomes.columns]
    rows = []
    sub = outcomes[outcomes["replicate"] < replicates]
    for group, frame in sub.groupby("group", sort=False):
        for name in keys:
            ci = mean_ci(frame[name].to_numpy(dtype=float))
            if ci.half_width == 0:
                ratio = 0.0
            elif ci.n < 2 or not math.isfinite(ci.half_width) or ci.mean == 0:
                ratio = math.inf
            else:  # relative half-width first: target × |mean| could underflow to 0
                ratio = ci.half_width / abs(ci.mean) / target
            rows.append({"scenario": group, "outcome": name, "n": ci.n, "mean": ci.mean,
                         "half_width": ci.half_width, "ratio": ratio})
    return PrecisionCheck(target, replicates, rows)


def next_replicates(check: PrecisionCheck, cap: int) -> int:
    """Replicates expected to reach the target (half-width ∝ 1/√n) with 10 % spare, at most
    four times as many as now (early estimates are rough), within the cap."""
    n = check.replicates
    # at most four times n is asked for, which any ratio above 2 reaches (2² × 1.1 > 4): cap
    # it before squaring, so a tiny --precision (a huge or infinite ratio) cannot overflow
    ratio = min(check.ratio, 2.0) if not math.isnan(check.ratio) else 2.0
    need = math.ceil(n * ratio**2 * 1.1)
    return min(cap, 4 * n, max(n + max(2, n // 5), need))


# ----------------------------------------------------------------------------- experiments
@dataclass
class RunSummary:
    """What `run_scenarios` did: folders written, replicates per scenario, what to tell."""

    folders: list[Path]
    replicates: int
    messages: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    precision: PrecisionCheck | None = None
    failures: int = 0


def _plan(scenarios: Sequence[Scenario], seed: int, context: Context, replicates: int,
          precision: float | None, max_replicates: int) -> dict[str, Any]:
    rounds = {"replicates": replicates, "precision": precision,
              "max_replicates": max_replicates if precision is not None else None}
    return {"kind": "scenarios", "seed": seed, "package_version": __version__, **rounds,
            "context": {"period": context.period.label,
                        "discount_rate_per_year": context.discount_rate_per_year},
            "scenarios": [s.model_dump(mode="json") for s in scenarios]}


def run_scenarios(scenarios: Sequence[Scenario], *, replicates: int, seed: int, out: Path,
                  workers: int = 1, scheduler: str | None = None,
                  precision: float | None = None, max_replicates: int = 1000,
                  resume: bool = False, max_failures: int | None = None,
                  batch_size: int | None = None, context: Context | None = None,
                  on_progress: Progress | None = None,
                  on_total: Progress | None = None) -> RunSummary:
    """Run every scenario's replicates (or until `precision`) and write one folder each."""
    names = [s.name for s in scenarios]
    keys = [folder_key(n) for n in names]  # equal but for case or normalisation: one folder
    dupes = sorted({n for n, k in zip(names, keys, strict=True) if keys.count(k) > 1})
    if dupes:
        raise GreensimError(f"scenarios {dupes} would share a folder (on case-insensitive file "
                            f"systems if not here); names must differ in more than case or "
                            f"accents' encoding")
    if precision is not None and not 0 < precision < 1:
        raise GreensimError(f"--precision {precision}: expected a share between 0 and 1")
    for s in scenarios:
        check_applicable(s)
    with output_folder(Path(out), "runs") as out:
        for s in scenarios:
            check_replaceable(out / s.name)
        context = context or Context()
        journal = Journal(out / JOURNAL)
        journal.start(_plan(scenarios, seed, context, replicates, precision, max_replicates),
                      resume)
        by_name = {s.name: s for s in scenarios}
        evaluator = ModelEvaluator(by_name, context)
        summary = RunSummary([], replicates)
        if journal.damaged:
            summary.warnings.append(f"--resume: {journal.damaged} finished run(s) had a missing "
                                    f"or damaged part file in {journal.root}; they run again")
        todo = list(scenarios)
        if resume and precision is None:
            current = [s for s in scenarios
                       if folder_is_current(out / s.name, s, seed, replicates)]
            summary.folders += [out / s.name for s in current]
            todo = [s for s in scenarios if s not in current]
        if journal.discarded or (journal.absent and todo):  # all complete: nothing to say
            summary.warnings += journal.start_warnings(kept=len(scenarios) - len(todo))

        def finish(group: str) -> None:
            if precision is None:
                summary.folders.append(write_scenario_folder(journal, by_name[group], out, seed,
                                                             replicates))

        try:
            n = _run_rounds(todo, names, evaluator, journal, summary, finish, seed=seed,
                            replicates=replicates, workers=workers, scheduler=scheduler,
                            precision=precision, max_replicates=max_replicates,
                            max_failures=max_failures, batch_size=batch_size,
                            on_progress=on_progress, on_total=on_total)
        except RunsFailed:
            atomic_write_parquet(out / "failures.parquet", journal.failures_frame())
            raise
        summary.replicates = n
        if summary.failures:
            failures = journal.failures_frame()
            atomic_write_parquet(out / "failures.parquet", failures)
            raise RunsFailed(f"{len(failures)} run(s) failed (first: {failures['group'][0]} "
                             f"replicate {failures['replicate'][0]}: {failures['error'][0]}); "
                             f"errors and inputs in {out / 'failures.parquet'}; the other "
                             f"scenarios' folders are written; fix and rerun with --resume")
        if precision is not None:
            extra = {"precision": {"target": precision, "max_replicates": max_replicates,
                                   "reached": bool(summary.precision and summary.precision.ok)}}
            for s in todo:
                summary.folders.append(write_scenario_folder(journal, s, out, seed, n, extra))
        summary.folders.sort(key=lambda f: names.index(f.name))
        (out / "failures.parquet").unlink(missing_ok=True)
        journal.remove()
        return summary


def _run_rounds(todo: Sequence[Scenario], names: list[str], evaluator: ModelEvaluator,
                journal: Journal, summary: RunSummary, finish: Callable[[str], None], *,
                seed: int, replicates: int, workers: int, scheduler: str | None,
                precision: float | None, max_replicates: int, max_failures: int | None,
                batch_size: int | None, on_progress: Progress | None,
                on_total: Progress | None) -> int:
    """Execute the runs, in rounds of more replicates when aiming at a precision."""
    n = replicates
    with open_executor(workers, scheduler) as handle:
        if on_total is not None:
            done = journal.finished()
            on_total(sum((s.name, r) not in done for s in todo for r in range(n)))
        for s in todo:  # scenarios finished before a kill
            if all((s.name, r) in journal.finished() for r in range(n)):
                finish(s.name)
        while True:
            specs = [RunSpec(s.name, r) for s in todo for r in range(n)]
            ex = execute(specs, evaluator, seed=seed, journal=journal, handle=handle,
                         batch_size=batch_size, max_failures=max_failures,
                         on_progress=on_progress, on_group_done=finish)
            summary.failures += ex.failures
            summary.warnings += [m for m in ex.notes if m not in summary.warnings]
            if precision is None or summary.failures:
                break
            check = check_precision(journal.runs_frame("outcomes", names), n, precision)
            summary.precision = check
            if check.ok:
                summary.messages.append(f"precision reached: every key outcome's 95 % "
                                        f"half-width is within {precision:.1%} of its mean "
                                        f"with {n} replicates")
                break
            if n >= max_replicates:
                w = check.worst()
                summary.warnings.append(
                    f"replicate cap hit: stopped at --max-replicates {max_replicates} before "
                    f"reaching --precision {precision:g}; worst: {w['scenario']} "
                    f"{w['outcome']} half-width {w['half_width']:.4g} = "
                    f"{w['half_width'] / abs(w['mean']) if w['mean'] else math.inf:.1%} "
                    f"of its mean {w['mean']:.4g}")
                break
            new = next_replicates(check, max_replicates)
            if on_total is not None:
                on_total(len(todo) * (new - n))
            n = new
    return n


def run_experiment(scenarios: Sequence[Scenario], *, replicates: int, seed: int, workers: int,
                   out: Path, on_progress: Progress | None = None,
                   **options: Any) -> list[Path]:
    """Run every scenario's replicates and write one folder per scenario under `out`."""
    return run_scenarios(scenarios, replicates=replicates, seed=seed, workers=workers, out=out,
                         on_progress=on_progress, **options).folders


__all__ = ["JOURNAL", "ModelEvaluator", "RunSummary", "RunsFailed", "check_precision",
           "default_workers", "execute", "make_batches", "next_replicates", "run_experiment",
           "run_scenarios"]
