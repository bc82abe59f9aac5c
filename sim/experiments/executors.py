"""Where runs execute: in this process, on a local process pool, or on a Dask cluster.

All three are `concurrent.futures.Executor`s (Dask through `Client.get_executor()`), so the
experiment runner does not care which one it has. Work travels as batches of several runs
(`run_batch`), each run caught separately: a run that raises comes back as a `RunFailure` with
its error and inputs, and the others in its batch still finish.

Dask's worker nanny sets MALLOC_TRIM_THRESHOLD_=65536 in every worker by default, which slows
numpy-heavy code by about 30 % (docs/performance.md); `open_executor` starts its
LocalCluster with that variable removed through `distributed.nanny.pre-spawn-environ`.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sim.errors import GreensimError

TRIM_VARIABLE = "MALLOC_TRIM_THRESHOLD_"
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


@dataclass(frozen=True, order=True)
class RunSpec:
    """One run of an experiment: a group (scenario, or design point), a replicate, inputs."""

    group: str
    replicate: int
    inputs: tuple[tuple[str, float], ...] = ()

    @property
    def key(self) -> tuple[str, int]:
        return (self.group, self.replicate)


@dataclass
class RunOutput:
    """What a run gives back: its tables (may be empty), outcomes and drawn uncertainties."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    outcomes: dict[str, float] = field(default_factory=dict)
    draws: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class RunFailure:
    """A run that raised: its spec, the error in one line, and the traceback."""

    spec: RunSpec
    error: str
    traceback: str


@dataclass
class BatchResult:
    """The outputs of a batch of runs of one group, in replicate order, and its failures."""

    outputs: list[tuple[RunSpec, RunOutput]]
    failures: list[RunFailure]
    worker_env: dict[str, str | None] = field(default_factory=dict)


Evaluator = Callable[[RunSpec, int], RunOutput]
"""A picklable callable that performs one run (e.g. `sim.experiments.replicates.ModelEvaluator`)."""


def run_batch(evaluator: Evaluator, specs: list[RunSpec], seed: int) -> BatchResult:
    """Run `specs` one after the other; a run that raises is recorded and the rest go on."""
    outputs: list[tuple[RunSpec, RunOutput]] = []
    failures: list[RunFailure] = []
    for spec in specs:
        try:
            outputs.append((spec, evaluator(spec, seed)))
        except Exception as exc:  # noqa: BLE001 - every model error is recorded, none stops
            failures.append(RunFailure(spec, f"{type(exc).__name__}: {exc}".splitlines()[0],
                                       traceback.format_exc()))
    return BatchResult(outputs, failures, {TRIM_VARIABLE: os.environ.get(TRIM_VARIABLE)})


class InlineExecutor(Executor):
    """Runs each task at submission, in this process (one worker: no pickling, easy to debug)."""

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        fut: Future[Any] = Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 - handed to the caller through the future
            fut.set_exception(exc)
        return fut


@dataclass
class ExecutorHandle:
    """An open executor, how many tasks it runs at once, and what it is."""

    executor: Executor
    slots: int
    kind: str  # "inline", "processes" or "dask"
    describe: str


def die_with_parent(parent: int) -> None:
    """A pool worker's initializer: end this worker when the process that started the pool
    dies, however it dies (kill -9 included), rather than linger. When the pool forked this
    worker directly (Linux's default), the kernel sends SIGKILL as the parent goes (prctl
    PR_SET_PDEATHSIG); otherwise (a fork server, another system) a daemon thread checks the
    parent every second."""
    # Ctrl-C reaches the whole process group; the parent alone handles it (it stops the
    # pool), so a worker never dies holding the pool's queue lock (a known deadlock).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # forked while the parent held Ctrl-C
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if os.getppid() == parent and sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent:  # it died before the call: end now
                    os._exit(1)
                return

    def watch() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)
            except OSError:  # alive, but not ours to signal
                pass

    threading.Thread(target=watch, name="greensim-parent-watch", daemon=True).start()


class _CtrlCHeld:
    """Holds Ctrl-C while a pool forks its workers, and notes whether one came.

    A Ctrl-C that lands inside a fork raises in the fork's handlers (logging's
    `_releaseLock`), where Python prints and drops it ("Exception ignored in ..."): the run
    then carries on to its end as if no Ctrl-C had come. Blocking SIGINT in this thread alone
    cannot prevent that: the kernel hands a process-wide SIGINT to any thread that does not
    block it (tqdm's monitor thread, a library's worker threads), and Python then runs the
    handler in the main thread at its next check, inside the fork's handlers again. So the
    SIGINT handler is replaced, for the time of the forks, by one that only notes the Ctrl-C;
    the caller raises KeyboardInterrupt once the pool is up (`came`). SIGINT is also blocked
    in this thread so that the threads the pool starts (its manager and queue feeder) are
    born with it blocked and never take a Ctrl-C meant for the main thread."""

    def __init__(self) -> None:
        self.came = False
        self._old_handler: Any = None
        self._replaced = False
        self._old_mask: set[int | signal.Signals] | None = None

    def _note(self, signum: int, frame: object) -> None:
        self.came = True

    def __enter__(self) -> _CtrlCHeld:
        if threading.current_thread() is threading.main_thread():
            self._old_handler = signal.signal(signal.SIGINT, self._note)
            self._replaced = True
        if hasattr(signal, "pthread_sigmask"):
            self._old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        return self

    def __exit__(self, *exc: object) -> None:
        # the mask first: a Ctrl-C pending on this thread is delivered now, to `_note`
        # (signal.signal runs pending handlers before it changes one)
        if self._old_mask is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, self._old_mask)
        if self._replaced:  # None: a handler not set from Python; the default then
            signal.signal(signal.SIGINT, self._old_handler if self._old_handler is not None
                          else signal.SIG_DFL)


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """End a process pool now: cancel what is queued and end its workers (their finished runs
    are already in the journal; the rest run again on --resume).

    A worker ended while it sends a result (a batch's tables are megabytes, and a pipe takes
    64 KB at a time) leaves the pool's thread in this process reading a message that will
    never be complete. That read ends only at the end of the pipe, and this process holds a
    writing end of it too (every worker was forked with it), so it never ended, and Python's
    exit waits for that thread: greensim hung after a Ctrl-C. Once the workers are gone, this
    process's writing end is closed: the read sees the end of the pipe, the pool calls itself
    broken and its thread ends; it is waited for here, since Python's exit (3.11) would
    otherwise wake it as it closes its wake-up pipe, a race that ends in a traceback. A second
    Ctrl-C meanwhile is held (noted, then dropped: one is already being handled) so the pool
    is never left half-stopped."""
    with _CtrlCHeld():
        # the pool's own workers, result pipe and thread (shutdown lets go of them)
        processes = list((getattr(pool, "_processes", None) or {}).values())
        results = getattr(pool, "_result_queue", None)
        manager = getattr(pool, "_executor_manager_thread", None)
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            with contextlib.suppress(Exception):
                process.terminate()
        for process in processes:
            with contextlib.suppress(Exception):
                process.join(timeout=5)
                if process.is_alive():  # SIGTERM not acted on within 5 s
                    process.kill()
                    process.join(timeout=5)
        if results is not None and not any(process.is_alive() for process in processes):
            with contextlib.suppress(Exception):  # no worker can write to it now
                results._writer.close()
        if manager is not None:
            manager.join(timeout=10)


def default_workers() -> int:
    """The cores this process may use."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else (os.cpu_count() or 1))


@contextlib.contextmanager
def open_executor(workers: int, scheduler: str | None = None) -> Iterator[ExecutorHandle]:
    """An executor for `workers` processes, or on the Dask scheduler at `scheduler`
    ('local' starts a LocalCluster of `workers` single-threaded worker processes)."""
    if scheduler is None:
        if workers <= 1:
            yield ExecutorHandle(InlineExecutor(), 1, "inline", "this process")
            return
        # Ctrl-C is held (noted, not lost) while the workers are forked (see _CtrlCHeld),
        # and raised once the pool is up.
        with _CtrlCHeld() as held:
            pool = ProcessPoolExecutor(max_workers=workers, initializer=die_with_parent,
                                       initargs=(os.getpid(),))
            try:
                pool.submit(int).result()  # starts the workers now, while Ctrl-C is held
            except BaseException:
                _stop_pool(pool)
                raise
        try:
            if held.came:
                raise KeyboardInterrupt
            yield ExecutorHandle(pool, workers, "processes", f"process pool of {workers}")
        except BaseException:  # Ctrl-C, an error: stop at once, do not wait for running batches
            _stop_pool(pool)
            raise
        pool.shutdown(wait=True, cancel_futures=True)
        return
    with _dask_client(workers, scheduler) as (client, describe):
        slots = max(1, sum(client.nthreads().values()))
        yield ExecutorHandle(client.get_executor(pure=False), slots, "dask", describe)


@contextlib.contextmanager
def _dask_client(workers: int, scheduler: str) -> Iterator[tuple[Any, str]]:
    try:
        import dask
        import distributed  # noqa: F401 - imported before dask.config.set (dask issue 8143)
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise GreensimError(f"--scheduler needs dask[distributed] ({exc})") from None
    if scheduler == "local":
        with dask.config.set({f"distributed.nanny.pre-spawn-environ.{TRIM_VARIABLE}": None}):
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.ERROR)
        try:
            with Client(cluster) as client:
                yield client, f"Dask LocalCluster of {workers} worker(s)"
        finally:
            cluster.close()
        return
    try:
        client = Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise GreensimError(f"--scheduler {scheduler}: cannot connect ({exc})") from None
    try:
        client.wait_for_workers(1, timeout=60)
        n = len(client.scheduler_info().get("workers", {}))
        yield client, f"Dask scheduler {scheduler} ({n} worker(s))"
    except TimeoutError:
        raise GreensimError(f"--scheduler {scheduler}: no worker joined within 60 s") from None
    finally:
        client.close()


def trim_warning(envs: Mapping[str, str | None]) -> str | None:
    """A warning if workers run with the nanny's slow malloc trim setting."""
    value = envs.get(TRIM_VARIABLE)
    if value is None:
        return None
    return (f"workers run with {TRIM_VARIABLE}={value}, which slows the model by about 30 %; "
            f"start them with distributed.nanny.pre-spawn-environ.{TRIM_VARIABLE}: null "
            f"(see README, Experiments)")


__all__ = ["BatchResult", "Evaluator", "ExecutorHandle", "InlineExecutor", "RunFailure",
           "RunOutput", "RunSpec", "default_workers", "die_with_parent", "open_executor",
           "run_batch", "trim_warning"]
