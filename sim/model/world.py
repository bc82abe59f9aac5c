"""The township's fixed layout: villages, their zones and where their drains reach the river."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.scenario.schema import Scenario


@dataclass(frozen=True)
class Villages:
    """Village attributes as arrays, index = village number - 1, ordered by zone then km."""

    names: tuple[str, ...]
    zones: tuple[str, ...]
    river_km: np.ndarray
    sewage_river_entry_share: np.ndarray
    household_share: np.ndarray

    @property
    def count(self) -> int:
        return len(self.names)


def build_villages(scenario: Scenario) -> Villages:
    """Villages numbered zone by zone (riverside, hilly, farmland), spaced along the river."""
    names: list[str] = []
    zones: list[str] = []
    km: list[float] = []
    entry: list[float] = []
    share: list[float] = []
    for zone, layout in scenario.township.zones():
        n = layout.villages
        positions = np.linspace(layout.first_river_km, layout.last_river_km, n)
        for k in range(n):
            names.append(f"V{len(names) + 1:02d}")
            zones.append(str(zone))
            km.append(float(positions[k]))
            entry.append(layout.sewage_river_entry_share)
            share.append(layout.households_share / n)
    river_len = scenario.river.length_km
    return Villages(names=tuple(names), zones=tuple(zones),
                    river_km=np.minimum(np.asarray(km), river_len),
                    sewage_river_entry_share=np.asarray(entry),
                    household_share=np.asarray(share))


def allocate(total: int, shares: np.ndarray) -> np.ndarray:
    """Integer counts summing to `total`, proportional to `shares` (largest remainder)."""
    raw = shares / shares.sum() * total
    counts = np.floor(raw).astype(np.int64)
    rest = total - int(counts.sum())
    order = np.argsort(-(raw - counts), kind="stable")
    counts[order[:rest]] += 1
    return counts
