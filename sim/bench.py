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

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sim.errors import GreensimError
from sim.experiment import default_workers, run_experiment
from sim.model import run
from sim.scenario import load_scenario, with_end_date
from sim.schema import Scenario

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


def run_benchmarks(replicates: int = 100, repeats: int = 5,
                   echo: Callable[[str], None] = print) -> dict[str, Any]:
    scenario = bundled_scenario("as_reported")
    run(scenario, SEED, 0)  # warm-up (imports, caches)
    fast: list[float] = []
    ref: list[float] = []
    ref_repeats = max(1, min(repeats, 3))
    for k in range(repeats):
        fast.append(_timed(lambda: run(scenario, SEED, 0)))
        if k < ref_repeats:
            ref.append(_timed(lambda: run(scenario, SEED, 0, per_household_processes=True)))
    t_fast, t_ref = statistics.median(fast), statistics.median(ref)
    workers = default_workers()
    with tempfile.TemporaryDirectory() as tmp:
        t_many = _timed(lambda: run_experiment([scenario], replicates=replicates, seed=SEED,
                                               workers=workers, out=Path(tmp)))
    figures = {
        "one_run_20y_s": t_fast,
        "reference_per_household_process_20y_s": t_ref,
        "speedup_vs_reference": t_ref / t_fast,
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
    echo(f"speed-up over the reference:                             {t_ref / t_fast:.1f}x "
         f"(target >= 20x)")
    echo(f"{replicates} replicates on {workers} worker(s), written to disk:        "
         f"{t_many:.2f} s ({t_many / replicates:.3f} s per run)")
    return figures
