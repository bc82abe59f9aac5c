"""Record rows of scalars (never references to live state); build DataFrames once at the end.

Also the public-spending ledger and the dated event log that levers and agents write to.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import defaultdict
from datetime import date
from typing import Any

import numpy as np
import pandas as pd


class Recorder:
    """Column-wise accumulators for the run's tidy tables.

    `row` appends one row of scalars; `rows` appends a block of rows (arrays), and `fixed`
    declares a block table's columns that are the same in every block (names, positions),
    stored once and repeated when the frame is built. A table takes one kind or the other, so
    building it is one `np.asarray` or `np.concatenate` per column. A table's columns are set
    by its first row or block; each later one is kept as a tuple of values in that order.
    """

    def __init__(self, scenario: str, replicate: int) -> None:
        self.scenario = scenario
        self.replicate = replicate
        self._keys: dict[str, tuple[str, ...]] = {}  # a table's columns, in order
        self._data: dict[str, list[tuple[Any, ...]]] = defaultdict(list)  # row or block values
        self._block: dict[str, bool] = {}
        self._dates: dict[str, list[np.datetime64]] = defaultdict(list)
        self._fixed: dict[str, dict[str, np.ndarray]] = {}
        self._size: dict[str, int] = {}  # rows per block of a table with fixed columns

    def _check(self, table: str, values: dict[str, Any], block: bool) -> tuple[Any, ...]:
        """`values` in the table's column order (its first row or block sets the columns)."""
        if self._block.setdefault(table, block) != block:
            raise ValueError(f"table {table}: mixes row() and rows()")
        keys = tuple(values)
        known = self._keys.setdefault(table, keys)
        if keys == known:
            return tuple(values.values())
        if set(keys) != set(known):
            raise ValueError(f"table {table}: columns changed: {sorted(set(keys) ^ set(known))}")
        return tuple(values[k] for k in known)

    def row(self, table: str, when: date, **values: Any) -> None:
        """One row of scalars."""
        self._data[table].append(self._check(table, values, block=False))
        self._dates[table].append(np.datetime64(when, "D"))

    def fixed(self, table: str, **columns: Any) -> None:
        """Columns of block table `table` that every block repeats (set before its rows)."""
        if self._data[table]:
            raise ValueError(f"table {table}: fixed columns must come before its rows")
        self._fixed[table] = {k: np.array(v) for k, v in columns.items()}
        sizes = {len(v) for v in self._fixed[table].values()}
        if len(sizes) > 1:
            raise ValueError(f"table {table}: fixed columns of different lengths {sorted(sizes)}")
        self._size[table] = sizes.pop() if sizes else 0

    def rows(self, table: str, when: date, n: int, **columns: Any) -> None:
        """`n` rows; each column is a length-`n` sequence or a scalar repeated."""
        values = self._check(table, columns, block=True)
        if table in self._size and self._size[table] != n:
            raise ValueError(f"table {table}: {n} rows, but its fixed columns have "
                             f"{self._size[table]}")
        shape = (n,)
        block: list[np.ndarray] = []
        for value in values:
            if type(value) is np.ndarray:
                arr = value.copy()  # a copy: never a reference to live state
            elif np.isscalar(value) or value is None:
                arr = np.full(n, value)
            else:
                arr = np.array(value)
            if arr.shape != shape:
                key = self._keys[table][len(block)]
                raise ValueError(f"table {table}, column {key}: shape {arr.shape} != ({n},)")
            block.append(arr)
        self._data[table].append(tuple(block))
        self._dates[table].append(np.datetime64(when, "D"))

    def frame(self, table: str) -> pd.DataFrame:
        data = self._data.get(table)
        if not data or not self._keys[table]:
            raise KeyError(f"table {table} has no rows")
        dates = np.array(self._dates[table], dtype="datetime64[D]")
        columns = zip(self._keys[table], zip(*data, strict=True), strict=True)
        if self._block[table]:
            sizes = [len(block[0]) for block in data]
            body: dict[str, Any] = {"date": np.repeat(dates, sizes)}
            blocks = len(sizes)
            body |= {k: np.tile(v, blocks) for k, v in self._fixed.get(table, {}).items()}
            body |= {k: np.concatenate(v) for k, v in columns}
        else:
            body = {"date": dates} | {k: np.asarray(v) for k, v in columns}
        n = len(body["date"])
        body["date"] = pd.to_datetime(body["date"]).astype("datetime64[ns]")
        text = [k for k, v in body.items() if isinstance(v, np.ndarray) and v.dtype.kind in "OU"]
        df = pd.DataFrame(body)
        for key in text:  # text that pandas left as objects becomes its string dtype
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
    """Public spending by lever, entered at the day it is paid (possibly scheduled ahead).

    Entries are kept in the order they were made (sums add them in that order) and indexed by
    day, so a month's books read only that month's entries."""

    def __init__(self) -> None:
        self._entries: list[tuple[float, float, str]] = []
        self._by_time: list[tuple[float, int]] = []  # (t, entry number), sorted

    def spend(self, t: float, yuan: float, lever: str) -> None:
        if yuan < 0:
            raise ValueError("spending must be non-negative")
        insort(self._by_time, (t, len(self._entries)))
        self._entries.append((t, yuan, lever))

    def between(self, t0: float, t1: float) -> dict[str, float]:
        """Spending with t0 <= t < t1, by lever."""
        lo = bisect_left(self._by_time, (t0, -1))
        hi = bisect_left(self._by_time, (t1, -1))
        out: dict[str, float] = defaultdict(float)
        for k in sorted(k for _, k in self._by_time[lo:hi]):
            _, yuan, lever = self._entries[k]
            out[lever] += yuan
        return dict(out)
