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
    """Column-wise accumulators for the run's tidy tables."""

    def __init__(self, scenario: str, replicate: int) -> None:
        self.scenario = scenario
        self.replicate = replicate
        self._cols: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        self._n: dict[str, int] = defaultdict(int)

    def row(self, table: str, when: date, **values: Any) -> None:
        """One row of scalars (numpy scalars are converted to Python)."""
        self.rows(table, when, 1, **{k: [v] for k, v in values.items()})

    def rows(self, table: str, when: date, n: int, **columns: Any) -> None:
        """`n` rows; each column is a length-`n` sequence or a scalar repeated."""
        cols = self._cols[table]
        expected = set(cols) - {"date"} if cols else set(columns)
        if cols and set(columns) != expected:
            raise ValueError(f"table {table}: columns changed: {sorted(set(columns) ^ expected)}")
        cols["date"].append(np.full(n, np.datetime64(when, "D")))
        for key, value in columns.items():
            if np.isscalar(value) or value is None:
                cols[key].append(np.full(n, value))
            else:
                arr = np.asarray(value)
                if arr.shape != (n,):
                    raise ValueError(f"table {table}, column {key}: shape {arr.shape} != ({n},)")
                cols[key].append(arr.copy())
        self._n[table] += n

    def frame(self, table: str, columns: list[str] | None = None) -> pd.DataFrame:
        cols = self._cols.get(table)
        n = self._n.get(table, 0)
        head = pd.DataFrame({
            "scenario": pd.Series([self.scenario] * n, dtype="string"),
            "replicate": np.full(n, self.replicate, dtype=np.int64),
        })
        if not cols:
            empty = {c: pd.Series(dtype="object") for c in (columns or [])}
            return pd.concat([head, pd.DataFrame(empty)], axis=1)
        body = {k: np.concatenate(v) for k, v in cols.items()}
        body["date"] = pd.to_datetime(body["date"]).astype("datetime64[ns]")
        df = pd.DataFrame(body)
        for key in df.columns:
            if df[key].dtype == object:
                df[key] = df[key].astype("string")
        return pd.concat([head, df], axis=1)


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
