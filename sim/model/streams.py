"""Named random streams derived from one seed.

Every source of randomness (flow, outages, sampling noise, jobs, incomes...) draws from its own
numpy `Generator`, spawned from `SeedSequence(seed, spawn_key=(replicate, hash(name)))`. The
hash is a stable digest of the name, so adding a new source never shifts the draws of the
others, and replicate k of every scenario sees the same streams (common random numbers).
"""

from __future__ import annotations

import hashlib

import numpy as np


def stable_hash(name: str) -> int:
    """A 32-bit digest of `name` that is the same on every machine and Python run."""
    return int.from_bytes(hashlib.blake2b(name.encode("utf-8"), digest_size=4).digest(), "big")


class Streams:
    """Factory of per-source generators for one (seed, replicate)."""

    def __init__(self, seed: int, replicate: int) -> None:
        if seed < 0 or replicate < 0:
            raise ValueError("seed and replicate must be non-negative")
        self.seed = int(seed)
        self.replicate = int(replicate)
        self._cache: dict[str, np.random.Generator] = {}

    def __call__(self, name: str) -> np.random.Generator:
        """The generator of source `name` (created once, then reused)."""
        gen = self._cache.get(name)
        if gen is None:
            ss = np.random.SeedSequence(self.seed, spawn_key=(self.replicate, stable_hash(name)))
            gen = np.random.Generator(np.random.PCG64(ss))
            self._cache[name] = gen
        return gen

    def entropy(self) -> dict[str, object]:
        """What run metadata records to recreate these streams."""
        return {"seed": self.seed, "replicate": self.replicate, "bit_generator": "PCG64",
                "spawn_key": "(replicate, blake2b-32(stream name))"}
