"""Experimental designs over varied parameters: full factorial, Latin hypercube, Sobol (Saltelli)
and Morris, the last three drawn by SALib.

    factors = [parse_vary("river.velocity_m_per_s=0.1:0.6"), parse_vary("income.household_log_sd")]
    design = build_design("sobol", factors, samples=256, seed=7)
    design.frame()   # one row per design point: point, river.velocity_m_per_s, ...

`--vary key.path` without a range takes the parameter's plausible range (`x-range`). The
numbers of points: factorial levels^k; lhs N; sobol N·(k+2), or N·(2k+2) with second-order
indices (N a power of two); morris N·(k+1) (N trajectories).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from sim.errors import GreensimError

Kind = Literal["factorial", "lhs", "sobol", "morris"]
KINDS: tuple[str, ...] = ("factorial", "lhs", "sobol", "morris")
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


@dataclass(frozen=True)
class Factor:
    """A varied input: its name (a scenario key path) and its range."""

    name: str
    low: float
    high: float


def parse_vary(text: str, check_schema: bool = True) -> Factor:
    """'key.path=LOW:HIGH', or 'key.path' for the parameter's plausible range (x-range)."""
    m = re.fullmatch(rf"\s*([A-Za-z_][\w.]*)\s*(?:=\s*({_NUMBER})\s*:\s*({_NUMBER}))?\s*", text)
    if not m:
        raise GreensimError(f"--vary {text!r}: expected key.path=LOW:HIGH (or key.path alone "
                            f"for its plausible range)")
    name = m.group(1)
    if check_schema:
        from sim.scenario.schema import Scenario
        from sim.scenario.uncertainty import locate, plausible_range

        try:
            locate(name, Scenario)
        except ValueError as exc:
            raise GreensimError(f"--vary {text!r}: {exc}") from None
        if m.group(2) is None:
            rng = plausible_range(name, Scenario)
            if rng is None:
                raise GreensimError(f"--vary {text!r}: {name} has no plausible range "
                                    f"(x-range) in the schema; give LOW:HIGH")
            return Factor(name, *rng)
    elif m.group(2) is None:
        raise GreensimError(f"--vary {text!r}: expected key.path=LOW:HIGH")
    low, high = float(m.group(2)), float(m.group(3))
    if not low < high:
        raise GreensimError(f"--vary {text!r}: LOW must be below HIGH")
    return Factor(name, low, high)


@dataclass(frozen=True)
class Design:
    """Design points (rows) over factors (columns), and how they were drawn."""

    kind: str
    factors: tuple[Factor, ...]
    samples: int
    seed: int
    matrix: np.ndarray
    levels: int = 0
    second_order: bool = False

    @property
    def problem(self) -> dict[str, Any]:
        """SALib's problem description."""
        return {"num_vars": len(self.factors), "names": [f.name for f in self.factors],
                "bounds": [[f.low, f.high] for f in self.factors]}

    @property
    def points(self) -> int:
        return int(self.matrix.shape[0])

    def frame(self) -> pd.DataFrame:
        frame = pd.DataFrame(self.matrix, columns=[f.name for f in self.factors])
        frame.insert(0, "point", np.arange(self.points, dtype=np.int64))
        return frame

    def describe(self) -> dict[str, Any]:
        return {"kind": self.kind, "samples": self.samples, "seed": self.seed,
                "levels": self.levels, "second_order": self.second_order,
                "points": self.points, "problem": self.problem}


def build_design(kind: str, factors: Sequence[Factor], samples: int, seed: int,
                 levels: int | None = None, second_order: bool = False) -> Design:
    """The design's points; SALib draws lhs, sobol and morris designs with `seed`."""
    if not factors:
        raise GreensimError("a sweep needs at least one --vary")
    names = [f.name for f in factors]
    if len(set(names)) != len(names):
        raise GreensimError(f"--vary lists a parameter twice: {names}")
    if samples < 1:
        raise GreensimError("--samples must be at least 1")
    factors = tuple(factors)
    problem = Design(kind, factors, samples, seed, np.empty((0, len(factors)))).problem
    seed32 = seed % 2**32
    if kind == "factorial":
        k = levels or 3
        if k < 2:
            raise GreensimError("--levels must be at least 2 for a factorial design")
        axes = [np.linspace(f.low, f.high, k) for f in factors]
        matrix = np.array(list(itertools.product(*axes)), dtype=float)
        return Design(kind, factors, samples, seed, matrix, k)
    if kind == "lhs":
        from SALib.sample import latin

        return Design(kind, factors, samples, seed, latin.sample(problem, samples, seed=seed32))
    if kind == "sobol":
        from SALib.sample import sobol

        if samples & (samples - 1):
            raise GreensimError(f"--samples {samples}: a Sobol design needs a power of two "
                                f"(e.g. {1 << max(0, samples.bit_length() - 1)} or "
                                f"{1 << samples.bit_length()})")
        matrix = sobol.sample(problem, samples, calc_second_order=second_order, seed=seed32)
        return Design(kind, factors, samples, seed, matrix, 0, second_order)
    if kind == "morris":
        from SALib.sample import morris

        k = levels or 4
        if k < 2 or k % 2:
            raise GreensimError("--levels must be an even number >= 2 for a Morris design")
        matrix = morris.sample(problem, samples, num_levels=k, seed=seed32)
        return Design(kind, factors, samples, seed, matrix, k)
    raise GreensimError(f"--design {kind!r}: expected one of {', '.join(KINDS)}")


__all__ = ["KINDS", "Design", "Factor", "build_design", "parse_vary"]
