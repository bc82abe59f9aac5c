"""One run: build the township from a scenario, run its SimPy processes, return tidy tables.

    run(scenario, seed, replicate) -> RunResult      # pure: no I/O, picklable result
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim import __version__
from sim.model.archive import build_archive
from sim.model.record import GROUPS, rank_villages
from sim.model.streams import Streams
from sim.model.timebase import day_of, next_month
from sim.model.township import Township
from sim.scenario.schema import Scenario

TABLES = ("township", "villages", "sections", "groups", "households", "events", "archive",
          "ledger")


@dataclass
class RunResult:
    """What a run returns: its tables (one frame each) and how to recreate it."""

    scenario: str
    replicate: int
    seed: int
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)


def household_totals(town: Township, replicate: int) -> pd.DataFrame:
    """One row per household: its village, group (`sim.model.record.GROUPS`, fixed at the
    start), persons and income over the whole run; `date` is the run's last month. One seed
    draws the same households in every scenario, so a policy and its base pair them."""
    hh = town.households
    last = pd.Timestamp(town.months[-1]) if len(town.months) else pd.Timestamp(town.start)
    return pd.DataFrame({
        "scenario": pd.array([town.scenario.name] * hh.count, dtype="string"),
        "replicate": np.full(hh.count, replicate, dtype=np.int64),
        "date": np.full(hh.count, last.to_datetime64()).astype("datetime64[ns]"),
        "household": np.arange(hh.count, dtype=np.int64),
        "village": pd.array(np.asarray(town.villages.names)[hh.village], dtype="string"),
        "group": pd.array(np.asarray(GROUPS)[town.household_group], dtype="string"),
        "persons": hh.size.astype(np.int64),
        "income_yuan": town.income_total.copy(),
    })


def run(scenario: Scenario, seed: int, replicate: int = 0, *,
        per_household_processes: bool = False) -> RunResult:
    """Run one replicate of `scenario`; a pure function of (scenario, seed, replicate).

    `per_household_processes` switches to the slow reference shape (benchmark only).
    """
    streams = Streams(seed, replicate)
    town = Township(scenario, streams, per_household_processes)
    end = day_of(scenario.start_date, next_month(scenario.end_date))  # the last books close
    town.env.run(until=end + 0.5)
    rec = town.recorder
    rank_villages(rec)
    tables = {
        "township": rec.frame("township"),
        "villages": rec.frame("villages"),
        "sections": rec.frame("sections"),
        "groups": rec.frame("groups"),
        "events": town.events.frame(scenario.name, replicate),
    }
    tables["archive"] = build_archive(tables["township"], tables["sections"], tables["events"])
    tables["ledger"] = town.books.ledger.frame(scenario.name, replicate, end)
    tables["households"] = household_totals(town, replicate)
    meta = {"seed": seed, "replicate": replicate, "streams": streams.entropy(),
            "package_version": __version__}
    return RunResult(scenario=scenario.name, replicate=replicate, seed=seed, tables=tables,
                     meta=meta)


__all__ = ["RunResult", "TABLES", "run"]
