"""Speed benchmark (`greensim bench`): wall times and ratios measured in one run.

Reports the median of interleaved repeats of:
  - one default 20-year run (2023-2042) of the bundled `as_reported` scenario on one core;
  - the same run with the slow reference shape: one SimPy process per household, running the
    same household rule one household at a time (`household_month_one`);
  - many replicates through the experiment runner (process pool, all cores), per run.
Timed tests are not used: this machine class is shared and noisy; ratios within one run are
what is compared against the targets (one run < 0.5 s; >= 20x faster than the reference).
"""

from __future__ import annotations

import gc
import statistics
import tempfile
import time
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

import numpy as np
import simpy

from sim.errors import GreensimError
from sim.experiment import default_workers, run_experiment
from sim.households import build_households, household_month, household_month_one
from sim.model import run
from sim.scenario import load_scenario, with_end_date
from sim.schema import Scenario
from sim.world import build_villages

SEED = 20250101


def bundled_scenario(name: str, until: str = "2042-12-31") -> Scenario:
    """A scenario from the repo's `scenarios/` folder, ending at `until`."""
    here = Path(__file__).resolve().parent.parent / "scenarios" / f"{name}.yaml"
    if not here.exists():
        raise GreensimError(f"the benchmark needs the repository's scenarios/ folder; "
                            f"{here} not found (run it from a source checkout)")
    return with_end_date(load_scenario(here), until)


def _timed(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def household_step_timings(scenario: Scenario, months: int = 240) -> tuple[float, float]:
    """The household rule alone over `months`: one SimPy process for all households (arrays)
    against one SimPy process per household (the same rule, one household at a time)."""
    villages = build_villages(scenario)
    inc = scenario.income

    def arrays() -> None:
        hh = build_households(scenario, villages, np.random.default_rng(1))
        rng = np.random.default_rng(2)
        env = simpy.Environment()

        def proc() -> Generator[simpy.events.Event, Any, None]:
            for _ in range(months):
                yield env.timeout(30)
                household_month(hh, slice(None), 1.0, inc, rng.standard_normal(hh.count),
                                rng.random(hh.count))

        env.process(proc())
        env.run()

    def per_process() -> None:
        # as in the model's reference: a clock triggers one shared event a month and every
        # household process wakes on it (cheaper than 8,000 timeouts a month)
        hh = build_households(scenario, villages, np.random.default_rng(1))
        rng = np.random.default_rng(2)
        env = simpy.Environment()
        month = [env.event()]

        def clock() -> Generator[simpy.events.Event, Any, None]:
            for _ in range(months):
                yield env.timeout(30)
                event, month[0] = month[0], env.event()
                event.succeed()

        def proc(i: int) -> Generator[simpy.events.Event, Any, None]:
            for _ in range(months):
                yield month[0]
                household_month_one(hh, i, 1.0, inc, float(rng.standard_normal()),
                                    float(rng.random()))

        env.process(clock())
        for i in range(hh.count):
            env.process(proc(i))
        env.run()

    return _timed(arrays), _timed(per_process)


def run_benchmarks(replicates: int = 100, repeats: int = 5,
                   echo: Callable[[str], None] = print) -> dict[str, Any]:
    scenario = bundled_scenario("as_reported")
    run(scenario, SEED, 0)  # warm-up (imports, caches)
    # The fast runs come first, in a block: a run right after the reference (which leaves
    # 8,000 finished generators to the allocator) is measurably slower than in steady use.
    fast = [_timed(lambda: run(scenario, SEED, 0)) for _ in range(repeats)]
    gc.collect()
    ref = [_timed(lambda: run(scenario, SEED, 0, per_household_processes=True))
           for _ in range(max(1, min(repeats, 3)))]
    gc.collect()
    t_fast, t_ref = statistics.median(fast), statistics.median(ref)
    hh_fast, hh_ref = household_step_timings(scenario)
    workers = default_workers()
    with tempfile.TemporaryDirectory() as tmp:
        t_many = _timed(lambda: run_experiment([scenario], replicates=replicates, seed=SEED,
                                               workers=workers, out=Path(tmp)))
    figures = {
        "one_run_20y_s": t_fast,
        "reference_per_household_process_20y_s": t_ref,
        "speedup_vs_reference": t_ref / t_fast,
        "household_step_arrays_240_months_s": hh_fast,
        "household_step_per_process_240_months_s": hh_ref,
        "household_step_speedup": hh_ref / hh_fast,
        f"replicates_{replicates}_s": t_many,
        "per_run_in_pool_s": t_many / replicates,
        "workers": workers,
        "repeats": repeats,
        "households": scenario.township.households,
        "months": 240,
    }
    echo(f"one 20-year run (as_reported, {scenario.township.households} households, 240 months): "
         f"{t_fast:.3f} s  (target < 0.5 s)")
    echo(f"reference, one SimPy process per household:              {t_ref:.3f} s")
    echo(f"household logic alone, 240 months: arrays {hh_fast:.3f} s, one process per "
         f"household {hh_ref:.3f} s: {hh_ref / hh_fast:.1f}x (target >= 20x)")
    echo(f"speed-up over the reference:                             {t_ref / t_fast:.1f}x "
         f"(target >= 20x)")
    echo(f"{replicates} replicates on {workers} worker(s), written to disk:        "
         f"{t_many:.2f} s ({t_many / replicates:.3f} s per run)")
    return figures


def _time_experiment(scenario: Scenario, runs: int, workers: int,
                     scheduler: str | None = None) -> float:
    """Wall time of `runs` replicates through the experiment runner, written to disk."""
    from sim.experiment import run_scenarios

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        run_scenarios([scenario], replicates=runs, seed=SEED, workers=workers, out=Path(tmp),
                      scheduler=scheduler)
        return time.perf_counter() - t0


def _steady_throughput(scenario: Scenario, runs: int, workers: int,
                       scheduler: str | None = None) -> float:
    """Runs per second once the executor is up and its workers have imported the model (a
    warm-up round of one run per task first), through the experiment runner, to a journal."""
    from sim.executors import RunSpec, open_executor
    from sim.experiment import ModelEvaluator, execute
    from sim.journal import Journal

    evaluator = ModelEvaluator({scenario.name: scenario})
    with open_executor(workers, scheduler) as handle, tempfile.TemporaryDirectory() as tmp:
        journal = Journal(Path(tmp) / "journal")
        journal.start({"benchmark": scheduler or "processes"}, resume=False)
        warm = 2 * handle.slots
        execute([RunSpec(scenario.name, r) for r in range(warm)], evaluator, seed=SEED,
                journal=journal, handle=handle, batch_size=1)
        specs = [RunSpec(scenario.name, r) for r in range(warm, warm + runs)]
        t0 = time.perf_counter()
        execute(specs, evaluator, seed=SEED, journal=journal, handle=handle)
        return runs / (time.perf_counter() - t0)


def run_experiment_benchmarks(replicates: int = 1000, scaling_runs: int = 40,
                              dask_runs: int = 80, target_run_s: float = 0.5,
                              echo: Callable[[str], None] = print) -> dict[str, Any]:
    """The experiment-scale figures (issue 6), each measured once, in this order:
      - `scaling_runs` 20-year runs on 1 worker, then on 2 (process pool): the speed-up;
      - `dask_runs` runs of about `target_run_s` seconds (a horizon chosen from the measured
        20-year run time) on the process pool and on a Dask LocalCluster of 2 workers
        (nanny's MALLOC_TRIM_THRESHOLD_ removed, several runs per task): steady throughput
        (executor started and warmed up first) and end to end (start-up included);
      - `replicates` 20-year runs on all cores (process pool), written to disk."""
    full = bundled_scenario("as_reported")
    run(full, SEED, 0)  # warm-up
    t_run = statistics.median(_timed(lambda: run(full, SEED, 0)) for _ in range(3))
    one = _time_experiment(full, scaling_runs, 1)
    two = _time_experiment(full, scaling_runs, 2)
    years = max(1, min(20, round(20 * target_run_s / t_run)))
    short = bundled_scenario("as_reported", f"{2022 + years}-12-31")
    t_short = statistics.median(_timed(lambda: run(short, SEED, 0)) for _ in range(3))
    pool_rate = _steady_throughput(short, dask_runs, 2)
    dask_rate = _steady_throughput(short, dask_runs, 2, scheduler="local")
    pool = _time_experiment(short, dask_runs, 2)
    dask = _time_experiment(short, dask_runs, 2, scheduler="local")
    workers = default_workers()
    many = _time_experiment(full, replicates, workers)
    figures = {
        "one_run_20y_s": t_run,
        "scaling_runs": scaling_runs, "one_worker_s": one, "two_workers_s": two,
        "speedup_two_workers": one / two,
        "dask_run_years": years, "dask_run_s": t_short, "dask_runs": dask_runs,
        "pool_steady_runs_per_s": pool_rate, "dask_steady_runs_per_s": dask_rate,
        "dask_share_of_pool_steady": dask_rate / pool_rate,
        "pool_end_to_end_s": pool, "dask_end_to_end_s": dask,
        "dask_share_of_pool_end_to_end": pool / dask,
        "replicates": replicates, "replicates_s": many, "workers": workers,
    }
    echo(f"one 20-year run (as_reported), one core:                  {t_run:.3f} s")
    echo(f"{scaling_runs} 20-year runs, 1 worker / 2 workers:               "
         f"{one:.1f} s / {two:.1f} s = {one / two:.2f}x  (target >= 1.8x)")
    echo(f"{dask_runs} runs of {t_short:.2f} s ({years}-year horizon) on 2 workers, steady: "
         f"process pool {pool_rate:.2f} runs/s, Dask LocalCluster {dask_rate:.2f} runs/s = "
         f"{dask_rate / pool_rate:.0%} of the pool  (target >= 85 %)")
    echo(f"  end to end with start-up: pool {pool:.1f} s, Dask {dask:.1f} s = "
         f"{pool / dask:.0%} of the pool's throughput")
    echo(f"{replicates} replicates of the 20-year model on {workers} worker(s), to disk:  "
         f"{many:.1f} s = {many / 60:.1f} min  (target < 5 min)")
    return figures
