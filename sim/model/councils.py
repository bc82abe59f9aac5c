"""Village councils: who takes part, the issues residents raise, the ones resolved, and what a
resolved issue changes (model.md §7.15; account §3).

Issues are of a kind (`ISSUE_KINDS`): a missing rubbish collection point, a reported dump, a
dark village road, or another matter. Residents raise a kind in proportion to how much of its
problem is left in their village (the uncollected share, the dumps still lying about, the road
still dark); each month a pending issue is taken up at a meeting with a chance that grows with
participation, and a council resolves a share of those it takes up (a village committee
without a council, a smaller share); residents stop pressing some unresolved ones. Resolving a
rubbish-point issue raises the village's collection share (applied by `sim.model.life.Life`),
a dumping report has villagers clear part of an old dump, a street-light issue lights some
road. Draws come from the `councils` stream."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from sim.model.households import HouseholdState
from sim.model.world import Villages
from sim.scenario.life import ISSUE_KINDS
from sim.scenario.schema import Scenario

RUBBISH_POINT, DUMPING, STREET_LIGHTS, OTHER = range(len(ISSUE_KINDS))


@dataclass
class CouncilMonth:
    participants: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    participation_share: float = 0.0
    resolve_share: float = 0.0
    issues_raised: int = 0
    issues_resolved: int = 0
    unresolved_v: np.ndarray = field(default_factory=lambda: np.zeros(0))
    resolved_vk: np.ndarray = field(default_factory=lambda: np.zeros((0, len(ISSUE_KINDS))))
    lit_km_v: np.ndarray = field(default_factory=lambda: np.zeros(0))
    lit_km: float = 0.0             # road lit this month


class Councils:
    """Pending issues per village and kind, and the road lit so far."""

    def __init__(self, sc: Scenario, villages: Villages, hh: HouseholdState) -> None:
        self.sc, self.villages, self.hh = sc, villages, hh
        nv = villages.count
        c = sc.councils
        self.pending = np.zeros((nv, len(ISSUE_KINDS)), dtype=np.int64)
        self.dark_km_v = np.full(nv, c.dark_road_km_per_village)
        self.lit_km_v = np.zeros(nv)
        self._draw = np.empty(hh.count)
        self._rates = np.zeros((nv, len(ISSUE_KINDS)))
        self._start_gap = c.max_collected_share - sc.rubbish.collected_share

    def month(self, council_on: bool, collected_v: np.ndarray, dumps_t: float,
              rng: np.random.Generator, log: Callable[..., None] | None = None
              ) -> CouncilMonth:
        """This month's meetings; `collected_v` is each village's collection share and `dumps_t`
        the township's legacy dumps (t), both at the month's start."""
        sc, c = self.sc, self.sc.councils
        lever = sc.levers.councils if council_on else None
        out = CouncilMonth()
        part = lever.participation_share if lever is not None else c.participation_without
        out.participants = rng.random(out=self._draw) < part
        out.participation_share = np.count_nonzero(out.participants) / self.hh.count
        # residents raise what is still wrong in their village, council or not
        rate = c.issues_per_village_month
        shares = c.issue_kind_shares
        r = self._rates
        gap_v = np.maximum(0.0, c.max_collected_share - collected_v)
        r[:, RUBBISH_POINT] = (shares[RUBBISH_POINT] * gap_v / self._start_gap
                               if self._start_gap > 0 else 0.0)
        legacy0 = sc.rubbish.legacy_t_at_start
        r[:, DUMPING] = shares[DUMPING] * (min(2.0, dumps_t / legacy0) if legacy0 > 0 else 0.0)
        dark0 = c.dark_road_km_per_village
        r[:, STREET_LIGHTS] = shares[STREET_LIGHTS] * self.dark_km_v / dark0 if dark0 > 0 else 0.0
        r[:, OTHER] = shares[OTHER]
        raised = rng.poisson(rate * r)
        # a pending issue is taken up at a meeting with a chance that grows with participation
        # (certain at the account's 85 %), and once taken up it is solved with the resolve share
        taken_up = min(1.0, out.participation_share / c.issues_at_participation)
        out.resolve_share = taken_up * (lever.resolve_share_per_month if lever is not None
                                        else c.resolve_share_without)
        pending = self.pending + raised
        resolved = rng.binomial(pending, out.resolve_share)
        # residents stop pressing some issues nobody solved (the problem stays: raised again)
        dropped = rng.binomial(pending - resolved, c.give_up_share_per_month)
        self.pending = pending - resolved - dropped
        out.issues_raised, out.issues_resolved = int(raised.sum()), int(resolved.sum())
        out.unresolved_v = self.pending.sum(axis=1).astype(float)
        out.resolved_vk = resolved
        lit = np.minimum(self.dark_km_v, resolved[:, STREET_LIGHTS] * c.lights_km_per_issue)
        self.dark_km_v -= lit
        self.lit_km_v += lit
        out.lit_km_v = self.lit_km_v.copy()
        out.lit_km = float(lit.sum())
        if log is not None and lever is not None and out.issues_resolved:   # councils' own
            names = self.villages.names
            for v, k in zip(*np.nonzero(resolved), strict=True):
                log("issue_resolved", names[v], ISSUE_KINDS[k], float(resolved[v, k]))
        return out


def raise_collection(collected_v: np.ndarray, points_v: np.ndarray, gap_closed: float,
                     ceiling: float) -> np.ndarray:
    """Each village's collection share after `points_v` new collection points, each closing
    `gap_closed` of the gap to `ceiling`."""
    gap = np.maximum(0.0, ceiling - collected_v)
    raised = np.maximum(collected_v, ceiling - gap * (1 - gap_closed) ** points_v)
    return np.where(points_v > 0, raised, collected_v)
