"""A time-stamped record of a categorical state, for time-weighted monthly accounting."""

from __future__ import annotations

from bisect import bisect_right
from typing import Generic, TypeVar

S = TypeVar("S")


class StatusLog(Generic[S]):
    """The history of one agent's state: (time, state) changes, in time order."""

    def __init__(self, t0: float, initial: S) -> None:
        self._times: list[float] = [t0]
        self._states: list[S] = [initial]

    @property
    def current(self) -> S:
        return self._states[-1]

    def set(self, t: float, state: S) -> None:
        """Record that the state becomes `state` at time `t` (not earlier than the last change)."""
        if t < self._times[-1]:
            raise ValueError(f"status change at {t} before the last one at {self._times[-1]}")
        if state == self._states[-1]:
            return
        if t == self._times[-1]:
            self._states[-1] = state
            if len(self._states) > 1 and self._states[-2] == state:
                self._times.pop()
                self._states.pop()
            return
        self._times.append(t)
        self._states.append(state)

    def constant_since(self, t: float) -> bool:
        """True if the state has not changed after time `t` (a fast path for accounting)."""
        return self._times[-1] <= t

    def at(self, t: float) -> S:
        """State in force at time `t`."""
        i = bisect_right(self._times, t) - 1
        return self._states[max(i, 0)]

    def days_in(self, state: S, t0: float, t1: float) -> float:
        """Days within [t0, t1) spent in `state`."""
        if self._times[-1] <= t0:
            # constant over the interval: what the loop below adds up for its one entry
            return t1 - t0 if self._states[-1] == state and t1 > t0 else 0.0
        total = 0.0
        i = max(bisect_right(self._times, t0) - 1, 0)
        n = len(self._times)
        while i < n and self._times[i] < t1:
            start = max(self._times[i], t0)
            end = min(self._times[i + 1], t1) if i + 1 < n else t1
            if self._states[i] == state and end > start:
                total += end - start
            i += 1
        return total
