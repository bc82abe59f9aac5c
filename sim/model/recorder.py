"""Record rows of scalars (never references to live state); build DataFrames once at the end.

Also the dated event log that levers and agents write to (the money is in `sim.model.books`).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import numpy as np
import pandas as pd


class _Later:
    """The type of `LATER` (one instance)."""

    def __repr__(self) -> str:
        return "LATER"


LATER: Any = _Later()
"""A block column's value in `Recorder.rows` when it is worked out for all blocks at once at
the end (`Recorder.fill`); the column keeps its place among the others."""


class _Blocks:
    """A block table's columns: one flat buffer per column, written a block at a time.

    Buffers start with room for `BLOCKS` blocks and double when full (a run's months are not known
    to the recorder); a column given as `LATER` has no buffer until `Recorder.fill` sets it."""

    BLOCKS = 32

    def __init__(self, n: int) -> None:
        self.capacity = self.BLOCKS * n
        self.used = 0  # rows written
        self.sizes: list[int] = []  # rows per block
        self.buffers: list[np.ndarray | None] = []
        self.filled: dict[int, np.ndarray] = {}  # column number -> the LATER column's values

    def grow(self, rows: int) -> None:
        """Room for at least `rows` rows (the rows written so far are kept)."""
        self.capacity = max(2 * self.capacity, rows)
        for i, old in enumerate(self.buffers):
            if old is not None:
                new = np.empty(self.capacity, dtype=old.dtype)
                new[:self.used] = old[:self.used]
                self.buffers[i] = new

    def promote(self, i: int, dtype: np.dtype) -> np.ndarray:
        """Column `i`'s buffer in the type that holds its values so far and `dtype`'s (as
        `np.concatenate` of the blocks would have it)."""
        old = self.buffers[i]
        assert old is not None
        common = np.promote_types(old.dtype, dtype)
        if common != old.dtype:
            self.buffers[i] = old.astype(common)
        return self.buffers[i]  # type: ignore[return-value]


def _repeated(text: str, n: int) -> pd.api.extensions.ExtensionArray:
    """`text` n times as a string array (taken n times: cheaper than converting n copies)."""
    return pd.array([text], dtype="string").take(np.zeros(n, dtype=np.intp))


class Recorder:
    """Column-wise accumulators for the run's tidy tables.

    `row` appends one row of scalars; `rows` appends a block of rows (arrays), and `fixed`
    declares a block table's columns that are the same in every block (names, positions),
    stored once and repeated when the frame is built. A table takes one kind or the other, and
    its columns are set by its first row or block. A row is kept as a tuple of values in column
    order; a block is written into one buffer per column (a copy: never a reference to live
    state), so building the frame takes each column as it stands. A block column recorded as
    `LATER` is given for all blocks at once by `fill`, from the recorded ones (`block`).
    """

    def __init__(self, scenario: str, replicate: int) -> None:
        self.scenario = scenario
        self.replicate = replicate
        self._keys: dict[str, tuple[str, ...]] = {}  # a table's columns, in order
        self._rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)  # row tables' values
        self._blocks: dict[str, _Blocks] = {}  # block tables' columns
        self._block: dict[str, bool] = {}
        self._dates: dict[str, list[np.datetime64]] = defaultdict(list)
        self._days: dict[date, np.datetime64] = {}
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
        if any(v is LATER for v in values.values()):
            raise ValueError(f"table {table}: LATER is for block tables (rows()), not row()")
        self._rows[table].append(self._check(table, values, block=False))
        self._dates[table].append(self._day(when))

    def fixed(self, table: str, **columns: Any) -> None:
        """Columns of block table `table` that every block repeats (set before its rows)."""
        if table in self._blocks or self._rows.get(table):
            raise ValueError(f"table {table}: fixed columns must come before its rows")
        self._fixed[table] = {k: np.array(v) for k, v in columns.items()}
        sizes = {len(v) for v in self._fixed[table].values()}
        if len(sizes) > 1:
            raise ValueError(f"table {table}: fixed columns of different lengths {sorted(sizes)}")
        self._size[table] = sizes.pop() if sizes else 0

    def rows(self, table: str, when: date, n: int, **columns: Any) -> None:
        """`n` rows; each column is a length-`n` sequence, a scalar repeated, or `LATER`."""
        values = self._check(table, columns, block=True)
        if table in self._size and self._size[table] != n:
            raise ValueError(f"table {table}: {n} rows, but its fixed columns have "
                             f"{self._size[table]}")
        store = self._blocks.get(table)
        if store is None:
            store = _Blocks(n)
        lo = store.used
        hi = lo + n
        if hi > store.capacity:
            store.grow(hi)
        shape = (n,)
        if not self._write_usual(store, values, lo, hi, shape):
            self._write(table, store, values, lo, hi, shape)
        store.used = hi
        store.sizes.append(n)
        self._dates[table].append(self._day(when))

    @staticmethod
    def _write_usual(store: _Blocks, values: tuple[Any, ...], lo: int, hi: int,
                     shape: tuple[int]) -> bool:
        """Write the usual block to rows lo:hi: arrays of the right shape or scalars, each of
        its buffer's type, and `LATER` where it was before. False, leaving the block to
        `_write`, at the first value that is not like that (rows past `used` are not kept)."""
        if not store.buffers:
            return False
        for buf, value in zip(store.buffers, values, strict=True):
            if type(value) is np.ndarray:
                if value.shape != shape:
                    return False
            elif value is LATER and buf is None:
                continue
            elif np.isscalar(value):
                value = np.asarray(value)  # written to every row of the block
            else:
                return False
            if buf is None or value.dtype is not buf.dtype:
                return False
            buf[lo:hi] = value
        return True

    def _write(self, table: str, store: _Blocks, values: tuple[Any, ...], lo: int, hi: int,
               shape: tuple[int]) -> None:
        """Write a block of any values to rows lo:hi of `store` (its first block sets up the
        buffers). Every value is checked before any is kept, so a refused block leaves no
        trace."""
        first = not store.buffers
        arrays: list[np.ndarray | None] = []
        for i, value in enumerate(values):
            if value is LATER:
                arr = None
            elif type(value) is not np.ndarray and (np.isscalar(value) or value is None):
                arr = np.asarray(value)  # written to every row of the block
            else:
                arr = value if type(value) is np.ndarray else np.array(value)
                if arr.shape != shape:
                    key = self._keys[table][i]
                    raise ValueError(f"table {table}, column {key}: shape {arr.shape} != "
                                     f"({shape[0]},)")
            if not first and (arr is None) != (store.buffers[i] is None):
                key = self._keys[table][i]
                raise ValueError(f"table {table}, column {key}: LATER in some blocks only")
            arrays.append(arr)
        if first:
            store.buffers = [None if arr is None else np.empty(store.capacity, dtype=arr.dtype)
                             for arr in arrays]
            self._blocks[table] = store
        for i, arr in enumerate(arrays):
            if arr is not None:
                buf = store.buffers[i]
                assert buf is not None
                if arr.dtype != buf.dtype:
                    buf = store.promote(i, arr.dtype)
                buf[lo:hi] = arr

    def _day(self, when: date) -> np.datetime64:
        """`when` as a day (the tables of a month share their date: converted once)."""
        day = self._days.get(when)
        if day is None:
            day = self._days[when] = np.datetime64(when, "D")
        return day

    def block(self, table: str, column: str) -> np.ndarray:
        """Block table `table`'s `column` as recorded so far: a read-only (blocks × rows per
        block) view, for columns worked out from others at the end (`fill`)."""
        store, i = self._column(table, column)
        buf = store.buffers[i]
        if buf is None:
            raise ValueError(f"table {table}, column {column}: LATER, not recorded")
        sizes = store.sizes
        if sizes.count(sizes[0]) != len(sizes):
            raise ValueError(f"table {table}: blocks of different sizes")
        view = buf[:store.used].reshape(len(sizes), sizes[0])
        view.flags.writeable = False
        return view

    def fill(self, table: str, **columns: Any) -> None:
        """The values of block columns recorded as `LATER`, for all blocks so far at once:
        arrays of one value per row, flat or (blocks × rows per block)."""
        for key, value in columns.items():
            store, i = self._column(table, key)
            if store.buffers[i] is not None:
                raise ValueError(f"table {table}, column {key}: recorded, not LATER")
            arr = np.array(value)  # a copy
            sizes = store.sizes
            blocks = (len(sizes), sizes[0]) if sizes.count(sizes[0]) == len(sizes) else None
            if arr.shape != (store.used,) and arr.shape != blocks:
                raise ValueError(f"table {table}, column {key}: shape {arr.shape} != "
                                 f"({store.used},)")
            store.filled[i] = arr.reshape(store.used)

    def _column(self, table: str, column: str) -> tuple[_Blocks, int]:
        """Block table `table`'s store and `column`'s number in it."""
        store = self._blocks.get(table)
        if store is None:
            raise KeyError(f"block table {table} has no rows")
        try:
            return store, self._keys[table].index(column)
        except ValueError:
            raise KeyError(f"table {table} has no column {column}") from None

    def frame(self, table: str) -> pd.DataFrame:
        keys = self._keys.get(table)
        if not keys or not (table in self._blocks or self._rows.get(table)):
            raise KeyError(f"table {table} has no rows")
        dates = np.array(self._dates[table], dtype="datetime64[D]")
        if self._block[table]:
            store = self._blocks[table]
            sizes = store.sizes
            uniform = sizes.count(sizes[0]) == len(sizes)
            dates = np.repeat(dates, sizes[0] if uniform else sizes)
            columns = {k: np.tile(v, len(sizes)) for k, v in self._fixed.get(table, {}).items()}
            for key, buf, i in zip(keys, store.buffers, range(len(keys)), strict=True):
                if buf is not None:
                    columns[key] = buf[:store.used]  # pandas copies it into the frame
                    continue
                values = store.filled.get(i)
                if values is None or values.size != store.used:
                    raise ValueError(f"table {table}, column {key}: recorded as LATER but not "
                                     f"filled for all its rows")
                columns[key] = values
        else:
            columns = {k: np.asarray(v)
                       for k, v in zip(keys, zip(*self._rows[table], strict=True), strict=True)}
        n = len(dates)
        body: dict[str, Any] = {"scenario": _repeated(self.scenario, n),
                                "replicate": np.full(n, self.replicate, dtype=np.int64),
                                "date": dates.astype("datetime64[ns]")} | columns
        text = [k for k, v in columns.items() if isinstance(v, np.ndarray) and v.dtype.kind in "OU"]
        df = pd.DataFrame(body)
        for key in text:  # text that pandas left as objects becomes its string dtype
            if df[key].dtype == object:
                df[key] = df[key].astype("string")
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
        """The log as a table, one column at a time (cheaper than a frame of the tuples whose
        columns are then converted; the same table)."""
        when, kind, subject, detail, value = (zip(*self.items, strict=True) if self.items
                                              else ((),) * 5)
        n = len(self.items)
        text = {c: pd.array(list(v), dtype="string")
                for c, v in (("kind", kind), ("subject", subject), ("detail", detail))}
        return pd.DataFrame({
            "scenario": _repeated(scenario, n),
            "replicate": np.full(n, replicate, dtype=np.int64),
            "date": pd.to_datetime(pd.Series(when, dtype=object)).astype("datetime64[ns]"),
            **text,
            "value": np.array(value, dtype=float),
        })
