"""An experiment's journal: results written as runs finish, so memory stays bounded and a killed
experiment resumes where it stopped.

    ROOT/plan.json        what the experiment is (seed, scenarios, design); a resume must match
    ROOT/manifest.jsonl   one line per finished range of runs: group, replicates, outcomes,
                          drawn uncertainties, part files; one line per failed run
    ROOT/parts/<table>/<group>/<first>-<last>.parquet   one run range's rows of one table

Every part is written to a temporary name and renamed; a manifest line is appended (and
flushed to disk) only after its parts exist, so a line names only complete files, and a line
cut short by a kill is dropped on resume. Parts hold contiguous replicates of one group, so a
group's table is the concatenation of its parts sorted by first replicate: `assemble` streams
them into one Parquet file with fixed-size row groups, never holding the table in memory, and
the file is the same whatever batches, worker count or engine produced the parts.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.errors import GreensimError
from sim.experiments.executors import BatchResult, RunOutput, RunSpec
from sim.files import atomic_write_bytes, atomic_write_parquet, naming, text_columns

MANIFEST = "manifest.jsonl"
PLAN = "plan.json"
ROW_GROUP_ROWS = 65_536


def contiguous(outputs: Sequence[tuple[RunSpec, RunOutput]]
               ) -> Iterator[list[tuple[RunSpec, RunOutput]]]:
    """Split (spec, output) pairs of one group into runs of consecutive replicates."""
    chunk: list[tuple[RunSpec, RunOutput]] = []
    for item in sorted(outputs, key=lambda so: so[0].replicate):
        if chunk and item[0].replicate != chunk[-1][0].replicate + 1:
            yield chunk
            chunk = []
        chunk.append(item)
    if chunk:
        yield chunk


def finished_runs(root: Path) -> int:
    """How many distinct runs the journal under `root` holds as finished (0 if it has no
    readable manifest; damaged lines are skipped)."""
    try:
        raw = (Path(root) / MANIFEST).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 0
    done: set[tuple[str, int]] = set()
    for line in raw.splitlines():
        try:
            entry = json.loads(line)
            if isinstance(entry, dict) and "failure" not in entry:
                done.update((str(entry["group"]), int(r)) for r in entry["replicates"])
        except (ValueError, KeyError, TypeError):
            continue
    return len(done)


class Journal:
    """The manifest and part files of one experiment under `root`."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.entries: list[dict[str, Any]] = []
        self.failed: dict[tuple[str, int], dict[str, Any]] = {}
        self._done: set[tuple[str, int]] = set()
        self.damaged = 0  # runs found on resume with a missing or unreadable part: run again
        self.discarded = 0  # finished runs of an earlier journal that `start` deleted
        self.absent = False  # `start` was asked to resume but found no journal

    # ------------------------------------------------------------------ lifecycle
    def start(self, plan: dict[str, Any], resume: bool) -> None:
        """Open the journal: continue a matching one if `resume`, else start afresh."""
        plan = json.loads(json.dumps(plan, sort_keys=True))
        old = self.root / PLAN
        if resume and old.is_file():
            previous = json.loads(old.read_text(encoding="utf-8"))
            if previous != plan:
                diff = sorted(k for k in set(plan) | set(previous)
                              if plan.get(k) != previous.get(k))
                raise GreensimError(f"--resume: {self.root} holds a different experiment "
                                    f"({', '.join(diff)} differ); run without --resume to "
                                    f"start over")
            self._load()
            return
        self.absent = resume
        if self.root.exists():
            self.discarded = finished_runs(self.root)
            shutil.rmtree(self.root)
        self.root.mkdir(parents=True)
        atomic_write_bytes(old, (json.dumps(plan, indent=1, sort_keys=True) + "\n").encode())
        (self.root / MANIFEST).touch()

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def start_warnings(self, kept: int = 0) -> list[str]:
        """What `start` threw away or did not find, to tell the user: finished runs of an
        earlier journal deleted (no --resume), or --resume with no journal (`kept`: complete
        output folders that are kept all the same)."""
        told = []
        if self.discarded:
            told.append(f"discarded a journal of {self.discarded} finished run(s) in "
                        f"{self.root} (add --resume to keep them)")
        if self.absent:
            keeping = f" (the {kept} complete folder(s) there are kept)" if kept else ""
            told.append(f"--resume: no journal to resume in {self.root.parent}; starting "
                        f"afresh{keeping}")
        return told

    def _load(self) -> None:
        path = self.root / MANIFEST
        raw = path.read_bytes() if path.is_file() else b""
        if raw and not raw.endswith(b"\n"):  # a line cut short by a kill: drop it
            raw = raw[: raw.rfind(b"\n") + 1]
            atomic_write_bytes(path, raw)
        for leftover in sorted((self.root / "parts").rglob(".*.tmp-*")):  # a killed write's
            leftover.unlink(missing_ok=True)
        kept: list[str] = []
        for n, line in enumerate(raw.decode("utf-8").splitlines(), 1):
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                raise GreensimError(f"{path}: line {n} is damaged; run without --resume to "
                                    f"start over") from None
            if "failure" not in entry and not self._parts_readable(entry):
                self.damaged += len(entry["replicates"])  # these runs are simply run again
                continue
            kept.append(line)
            self._apply(entry)
        if self.damaged:
            atomic_write_bytes(path, "".join(f"{line}\n" for line in kept).encode("utf-8"))

    def _parts_readable(self, entry: dict[str, Any]) -> bool:
        """Whether every part file of a manifest line is there and readable to its footer (a
        disk that filled up, or a hand, may have cut one short)."""
        for rel in entry["parts"].values():
            try:
                pq.read_metadata(self.root / rel)
            except (OSError, ValueError, pa.ArrowException):
                return False
        return True

    def _apply(self, entry: dict[str, Any]) -> None:
        if "failure" in entry:
            f = entry["failure"]
            self.failed[(f["group"], f["replicate"])] = f
            return
        self.entries.append(entry)
        for r in entry["replicates"]:
            self._done.add((entry["group"], r))
            self.failed.pop((entry["group"], r), None)

    def _append(self, entries: Iterable[dict[str, Any]]) -> None:
        lines = "".join(json.dumps(e) + "\n" for e in entries)
        if not lines:
            return
        with open(self.root / MANIFEST, "a", encoding="utf-8") as fh:
            fh.write(lines)
            fh.flush()
            os.fsync(fh.fileno())

    # ------------------------------------------------------------------ recording
    def finished(self) -> set[tuple[str, int]]:
        return set(self._done)

    def record(self, batch: BatchResult) -> None:
        """Write a batch's parts, then its manifest lines (successes and failures)."""
        entries: list[dict[str, Any]] = []
        for chunk in contiguous(batch.outputs):
            group, first, last = chunk[0][0].group, chunk[0][0].replicate, chunk[-1][0].replicate
            parts: dict[str, str] = {}
            for name in chunk[0][1].tables:
                rel = Path("parts") / name / group / f"{first:06d}-{last:06d}.parquet"
                frame = pd.concat([out.tables[name] for _, out in chunk], ignore_index=True)
                atomic_write_parquet(self.root / rel, frame, dictionary=False)
                parts[name] = rel.as_posix()
            entries.append({"group": group, "replicates": [s.replicate for s, _ in chunk],
                            "inputs": [dict(s.inputs) for s, _ in chunk],
                            "outcomes": [out.outcomes for _, out in chunk],
                            "draws": [out.draws for _, out in chunk], "parts": parts})
        for f in batch.failures:
            entries.append({"failure": {"group": f.spec.group, "replicate": f.spec.replicate,
                                        "inputs": dict(f.spec.inputs), "error": f.error,
                                        "traceback": f.traceback}})
        self._append(entries)
        for e in entries:
            self._apply(e)

    # ------------------------------------------------------------------ reading
    def group_entries(self, group: str) -> list[dict[str, Any]]:
        return sorted((e for e in self.entries if e["group"] == group),
                      key=lambda e: e["replicates"][0])

    def runs_frame(self, what: str, groups: Sequence[str] | None = None) -> pd.DataFrame:
        """One row per finished run: group, replicate and its `what` ('outcomes', 'draws' or
        'inputs') values, ordered by the given groups, then replicate."""
        order = {g: i for i, g in enumerate(groups)} if groups is not None else None
        rows: list[dict[str, Any]] = []
        for e in self.entries:
            if order is not None and e["group"] not in order:
                continue
            for r, values in zip(e["replicates"], e[what], strict=True):
                rows.append({"group": e["group"], "replicate": r, **values})
        frame = pd.DataFrame(rows)
        if frame.empty:
            return pd.DataFrame(columns=["group", "replicate"])
        rank = frame["group"].map(order) if order is not None else frame["group"]
        frame = frame.assign(_rank=rank).sort_values(["_rank", "replicate"], kind="stable")
        return frame.drop(columns="_rank").reset_index(drop=True)

    def failures_frame(self) -> pd.DataFrame:
        rows = [{"group": f["group"], "replicate": f["replicate"],
                 "inputs": json.dumps(f["inputs"], sort_keys=True), "error": f["error"],
                 "traceback": f["traceback"]} for _, f in sorted(self.failed.items())]
        return pd.DataFrame(rows, columns=["group", "replicate", "inputs", "error", "traceback"])

    def assemble(self, group: str, table: str, out: Path,
                 row_group_rows: int = ROW_GROUP_ROWS) -> None:
        """Stream `group`'s parts of `table`, in replicate order, into one Parquet file."""
        paths = [self.root / e["parts"][table] for e in self.group_entries(group)
                 if table in e["parts"]]
        if not paths:
            raise GreensimError(f"{self.root}: no parts of table {table} for {group}")
        schemas = [pq.read_schema(p) for p in paths]
        schema = pa.unify_schemas(schemas, promote_options="permissive")
        meta = next((s.metadata for s in schemas
                     if not any(pa.types.is_null(t) for t in s.types)), schemas[0].metadata)
        schema = schema.with_metadata(meta)
        pending: list[pa.Table] = []
        rows = 0
        with naming(out), pq.ParquetWriter(out, schema,
                                           use_dictionary=text_columns(schema)) as writer:
            for p in paths:
                part = pq.read_table(p)
                part = part.select(schema.names).cast(schema) if part.schema != schema else part
                pending.append(part)
                rows += part.num_rows
                while rows >= row_group_rows:
                    block = pa.concat_tables(pending)
                    writer.write_table(block.slice(0, row_group_rows), row_group_rows)
                    pending, rows = [block.slice(row_group_rows)], rows - row_group_rows
            if rows or not paths:
                writer.write_table(pa.concat_tables(pending), row_group_rows)


__all__ = ["Journal", "contiguous", "finished_runs"]
