"""The `greensim` command (also `python -m sim`): thin click commands over library functions.

Bad input exits with code 2 and one message naming the file, the key path and what was
expected; nothing half-written is left in the output folder.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from sim import __version__
from sim.errors import GreensimError, ScenarioError

F = TypeVar("F", bound=Callable[..., Any])


def _clean_errors(func: F) -> F:
    """Turn expected errors into one line on stderr and exit code 2 (no traceback)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from sim.report import ReportError

        try:
            return func(*args, **kwargs)
        except (GreensimError, ReportError) as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="greensim")
def cli() -> None:
    """greensim: simulate a rural township's green transition (river, workshops, households).

    Typical use: `greensim run scenarios/no_transition.yaml scenarios/as_reported.yaml
    --out outputs/main`, then `greensim report outputs/main/*/ --out outputs/main/report.html`.
    """


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--set", "overrides", multiple=True, metavar="KEY.PATH=VALUE",
              help="Override a scenario value (repeatable), validated like the file.")
@_clean_errors
def validate(files: tuple[Path, ...], overrides: tuple[str, ...]) -> None:
    """Check scenario FILES against the schema and say what is wrong."""
    from sim.scenario import load_scenario

    problems = []
    for f in files:
        try:
            s = load_scenario(f, overrides)
            click.echo(f"ok: {f} (scenario '{s.name}', {s.start_date} to {s.end_date})")
        except ScenarioError as exc:
            problems.append(str(exc))
    if problems:
        raise ScenarioError("\n".join(problems))


@cli.command("run")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--until", metavar="YYYY-MM-DD",
              help="Last day simulated (default: the file's end_date).")
@click.option("--replicates", "-n", type=click.IntRange(1, 100_000), default=20, show_default=True,
              help="Replicates per scenario (replicate k of every scenario shares seeds).")
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=20250101, show_default=True,
              help="Experiment seed; every random stream derives from it.")
@click.option("--workers", "-j", type=click.IntRange(1, 512), default=None,
              help="Worker processes (default: all cores). Results do not depend on it.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("outputs/run"),
              show_default=True, help="Folder that receives one sub-folder per scenario.")
@click.option("--set", "overrides", multiple=True, metavar="KEY.PATH=VALUE",
              help="Override a value in every scenario (repeatable), e.g. "
                   "--set levers.closures.date=2024-06-01")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@_clean_errors
def run_cmd(files: tuple[Path, ...], until: str | None, replicates: int, seed: int,
            workers: int | None, out: Path, overrides: tuple[str, ...], quiet: bool) -> None:
    """Run scenario FILES and write their tables under --out."""
    from tqdm import tqdm

    from sim.experiment import default_workers, run_experiment
    from sim.scenario import load_scenario, with_end_date

    scenarios = [with_end_date(load_scenario(f, overrides), until) for f in files]
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise ScenarioError(f"scenario names must be unique in one run, got {names}")
    workers = workers or default_workers()
    total = len(scenarios) * replicates
    with tqdm(total=total, unit="run", disable=quiet, file=sys.stderr,
              desc=f"{len(scenarios)} scenario(s) x {replicates}") as bar:
        folders = run_experiment(scenarios, replicates=replicates, seed=seed, workers=workers,
                                 out=out, on_progress=bar.update)
    for folder in folders:
        click.echo(f"wrote {folder}")
    click.echo(f"report: greensim report {' '.join(str(f) for f in folders)} "
               f"--out {out / 'report.html'}")


@cli.command()
@click.argument("run_dirs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="HTML file to write (default: report.html beside the first run folder).")
@click.option("--title", default=None, help="Title shown at the top of the report.")
@_clean_errors
def report(run_dirs: tuple[Path, ...], out: Path | None, title: str | None) -> None:
    """Build one self-contained HTML report from RUN_DIRS (tables on disk, no rerun)."""
    from sim.report import build_report

    target = out or Path(run_dirs[0]).parent / "report.html"
    path = build_report(list(run_dirs), target, title=title)
    click.echo(f"wrote {path}")


@cli.command()
def schema() -> None:
    """Print the scenario JSON Schema (for editors' autocompletion)."""
    from sim.schema import Scenario

    doc = Scenario.model_json_schema()
    doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    doc["title"] = "greensim scenario"
    click.echo(json.dumps(doc, indent=2, ensure_ascii=False))


@cli.command()
def params() -> None:
    """Print every parameter with its default, range, tag and source (Markdown)."""
    from sim.paramdoc import parameter_table

    click.echo(parameter_table(), nl=False)


@cli.command()
@click.option("--replicates", "-n", type=click.IntRange(1, 10_000), default=100, show_default=True,
              help="Replicates in the many-runs timing.")
@click.option("--repeats", type=click.IntRange(1, 50), default=5, show_default=True,
              help="Interleaved repeats per measurement (the median is reported).")
@click.option("--json-out", type=click.Path(path_type=Path), default=None,
              help="Also write the figures as JSON.")
@_clean_errors
def bench(replicates: int, repeats: int, json_out: Path | None) -> None:
    """Time one 20-year run, many replicates, and the per-household-process reference."""
    from sim.bench import run_benchmarks

    figures = run_benchmarks(replicates=replicates, repeats=repeats, echo=click.echo)
    if json_out is not None:
        json_out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


def main() -> None:
    cli(prog_name="greensim")
