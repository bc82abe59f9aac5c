"""The command line's shared parts: errors turned into one line and an exit code, the options
of commands that run experiments, and the progress bar (used by `sim.cli`)."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import click

from sim.errors import GreensimError

F = TypeVar("F", bound=Callable[..., Any])


def clean_errors(func: F) -> F:
    """Turn expected errors into one line on stderr (no traceback): exit 2 for the user's input
    or the user's system (a read-only or full disk), 1 for failed runs or greensim's own
    error, 130 for Ctrl-C."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:  # Ctrl-C anywhere, the imports below included
            return one_line_errors(*args, **kwargs)
        except KeyboardInterrupt:
            interrupted()
        except RuntimeError as exc:  # Ctrl-C inside an import can surface wrapped in one
            if not isinstance(exc.__cause__ or exc.__context__, KeyboardInterrupt):
                raise
            interrupted()

    def interrupted() -> None:
        click.echo("interrupted: nothing is half-written; runs already finished are kept "
                   "in the output folder's journal (rerun with --resume to go on)", err=True)
        sys.exit(130)

    def one_line_errors(*args: Any, **kwargs: Any) -> Any:
        from sim.experiments.replicates import RunsFailed
        from sim.report.page import ReportError

        try:
            return func(*args, **kwargs)
        except (GreensimError, ReportError) as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        except RunsFailed as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except (UnicodeEncodeError, UnicodeDecodeError) as exc:  # the user's locale
            click.echo(f"error: text this system cannot handle in its {exc.encoding} encoding "
                       f"({exc.reason}); set a UTF-8 locale, e.g. LANG=C.UTF-8, or use ASCII "
                       f"names", err=True)
            sys.exit(2)
        except BrokenPipeError:  # `greensim compare ... | head`: the reader stopped reading
            with contextlib.suppress(OSError):
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
            sys.exit(141)
        except OSError as exc:  # permissions, a full disk, a file where a folder should be
            from sim.files import os_error_message

            text, code = os_error_message(exc)
            if code == 1:
                text += " (an error inside greensim; please report it)"
            click.echo(f"error: {text}", err=True)
            sys.exit(code)

    return wrapper  # type: ignore[return-value]


def _scheduler_address(ctx: click.Context, param: click.Parameter,
                       value: str | None) -> str | None:
    """`local`, or a Dask scheduler's address: [tcp://|ws://]host:port (TLS and UCX need
    settings greensim does not pass, so they are refused here rather than fail later)."""
    import re

    if value is None or value == "local":
        return value
    match = re.fullmatch(r"(?:(?:tcp|ws)://)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):([0-9]{1,5})",
                         value)
    if match is None or not 0 < int(match.group(2)) < 65536:
        raise click.BadParameter(f"{value!r}: expected 'local' or a Dask scheduler address "
                                 f"tcp://host:port (e.g. tcp://10.0.0.5:8786)")
    return value


def exec_options(func: F) -> F:
    """Options shared by commands that run experiments (where and how runs execute)."""
    options = [
        click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=20250101,
                     show_default=True, help="Experiment seed; every random stream derives "
                                             "from it."),
        click.option("--workers", "-j", type=click.IntRange(1, 512), default=None,
                     help="Worker processes (default: all cores). Results do not depend on it."),
        click.option("--scheduler", metavar="ADDRESS|local", default=None,
                     callback=_scheduler_address,
                     help="Run on a Dask cluster (tcp://host:8786), or 'local' to start a Dask "
                          "LocalCluster of --workers processes. Results do not depend on it."),
        click.option("--resume", is_flag=True,
                     help="Continue a killed experiment in the same --out, skipping finished "
                          "runs (the result equals an uninterrupted one)."),
        click.option("--max-failures", type=click.IntRange(0), default=None,
                     help="Stop once more runs than this have raised (default: run them all; "
                          "failures are recorded with their inputs)."),
        click.option("--batch-size", type=click.IntRange(1, 10_000), default=None,
                     help="Runs per task sent to a worker (default: automatic)."),
        click.option("--quiet", "-q", is_flag=True, help="No progress bar."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@contextlib.contextmanager
def progress(quiet: bool, desc: str) -> Iterator[tuple[Callable[[int], None],
                                                       Callable[[int], None]]]:
    """A progress bar on stderr (counts, rate, ETA) whose total can grow."""
    from tqdm import tqdm

    with tqdm(total=0, unit="run", disable=quiet, file=sys.stderr, desc=desc,
              dynamic_ncols=True) as bar:
        def grow(n: int) -> None:
            bar.total = (bar.total or 0) + n
            bar.refresh()

        def update(n: int) -> None:
            bar.update(n)

        yield update, grow


__all__ = ["clean_errors", "exec_options", "progress"]
