"""Record rows of scalars (never references to live state); build DataFrames once at the end.

Also the public-spending ledger and the dated event log that levers and agents write to.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import numpy as np
import pandas as pd


class Recorder:
    """Column-wise accumulators for the run's tidy tables.

    `row` appends one row of scalars; `rows` appends a block of rows (arrays). A table takes
    one kind or the other, so building it is one `np.asarray` or `np.concatenate` per column.
    """

    def __init__(self, scenario: str, replicate: int) -> None:
        self.scenario = scenario
        self.replicate = replicate
        self._cols: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        self._block: dict[str, bool] = {}

    def _check(self, table: str, keys: Any, block: bool) -> dict[str, list[Any]]:
        cols = self._cols[table]
        if self._block.setdefault(table, block) != block:
            raise ValueError(f"table {table}: mixes row() and rows()")
        if cols and len(cols) != len(keys) + 1:
            raise ValueError(f"table {table}: columns changed: "
                             f"{sorted(set(keys) ^ (set(cols) - {'date'}))}")
        return cols

    def row(self, table: str, when: date, **values: Any) -> None:
        """One row of scalars."""
        cols = self._check(table, values, block=False)
        cols["date"].append(np.datetime64(when, "D"))
        for key, value in values.items():
            cols[key].append(value)

    def rows(self, table: str, when: date, n: int, **columns: Any) -> None:
        """`n` rows; each column is a length-`n` sequence or a scalar repeated."""
        cols = self._check(table, columns, block=True)
        cols["date"].append(np.full(n, np.datetime64(when, "D")))
        for key, value in columns.items():
            if np.isscalar(value) or value is None:
                cols[key].append(np.full(n, value))
            else:
                arr = np.array(value)  # a copy: never a reference to live state
                if arr.shape != (n,):
                    raise ValueError(f"table {table}, column {key}: shape {arr.shape} != ({n},)")
                cols[key].append(arr)

    def frame(self, table: str) -> pd.DataFrame:
        cols = self._cols.get(table)
        if not cols:
            raise KeyError(f"table {table} has no rows")
        join = np.concatenate if self._block[table] else np.asarray
        body = {k: join(v) for k, v in cols.items()}
        n = len(body["date"])
        body["date"] = pd.to_datetime(body["date"]).astype("datetime64[ns]")
        df = pd.DataFrame(body)
        for key in df.columns:
            if df[key].dtype == object:
                df[key] = df[key].astype("string")
        df.insert(0, "replicate", np.full(n, self.replicate, dtype=np.int64))
        df.insert(0, "scenario", pd.Series([self.scenario] * n, dtype="string"))
        return df


class EventLog:
    """Dated log of discrete events: closures, facility online, outages, connections..."""

    COLUMNS = ["date", "kind", "subject", "detail", "value"]

    def __init__(self) -> None:
        self.items: list[tuple[date, str, str, str, float]] = []

    def add(self, when: date, kind: str, subject: str, detail: str = "",
            value: float = float("nan")) -> None:
        self.items.append((when, kind, subject, detail, float(value)))

    def frame(self, scenario: str, replicate: int) -> pd.DataFrame:
        df = pd.DataFrame(self.items, columns=self.COLUMNS)
        df["date"] = pd.to_datetime(df["date"]).astype("datetime64[ns]")
        for c in ("kind", "subject", "detail"):
            df[c] = df[c].astype("string")
        df["value"] = df["value"].astype(float)
        df.insert(0, "replicate", np.int64(replicate))
        df.insert(0, "scenario", pd.Series([scenario] * len(df), dtype="string"))
        df["replicate"] = df["replicate"].astype(np.int64)
        return df


class Ledger:
    """Public spending by lever, entered at the day it is paid (possibly scheduled ahead)."""

    def __init__(self) -> None:
        self._entries: list[tuple[float, float, str]] = []

    def spend(self, t: float, yuan: float, lever: str) -> None:
        if yuan < 0:
            raise ValueError("spending must be non-negative")
        self._entries.append((t, yuan, lever))

    def between(self, t0: float, t1: float) -> dict[str, float]:
        """Spending with t0 <= t < t1, by lever."""
        out: dict[str, float] = defaultdict(float)
        for t, yuan, lever in self._entries:
            if t0 <= t < t1:
                out[lever] += yuan
        return dict(out)
