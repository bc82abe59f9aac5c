"""The `greensim` command (also `python -m sim`): thin click commands over library functions.

Bad input exits with code 2 and one message naming the file, the key path and what was
expected; nothing half-written is left in the output folder.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from sim import __version__
from sim.cli_calibrate import calibrate
from sim.cli_support import clean_errors, exec_options, progress
from sim.errors import ScenarioError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="greensim")
def cli() -> None:
    """greensim: simulate a rural township's green transition (river, workshops, households).

    Typical use: `greensim run scenarios/no_transition.yaml scenarios/as_reported.yaml
    --out outputs/main`, then `greensim report outputs/main/*/ --out outputs/main/report.html`.
    """


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--until", metavar="YYYY-MM-DD",
              help="Check as `greensim run --until` would (last day simulated).")
@click.option("--set", "overrides", multiple=True, metavar="KEY.PATH=VALUE",
              help="Override a scenario value (repeatable), validated like the file.")
@clean_errors
def validate(files: tuple[Path, ...], until: str | None, overrides: tuple[str, ...]) -> None:
    """Check scenario FILES as `greensim run` does before simulating (schema, dates, that every
    uncertainty can be drawn, distinct names) and say what is wrong."""
    from sim.scenario.load import load_scenario, name_clash, with_end_date

    problems = []
    named: dict[str, tuple[str, object]] = {}
    for f in files:
        try:
            s = with_end_date(load_scenario(f, overrides), until)
        except ScenarioError as exc:
            problems.append(str(exc))
            continue
        clash = name_clash(s.name, f, named)
        if clash is not None:
            problems.append(clash)
            continue
        click.echo(f"ok: {f} (scenario '{s.name}', {s.start_date} to {s.end_date})")
    if problems:
        raise ScenarioError("\n".join(problems))


def _run_files(files: Sequence[Path], *, until: str | None, overrides: Sequence[str],
               replicates: int, precision: float | None, max_replicates: int, out: Path,
               seed: int, workers: int | None, scheduler: str | None, resume: bool,
               max_failures: int | None, batch_size: int | None, quiet: bool,
               check: Callable[[Sequence[Any]], None] | None = None) -> list[Path]:
    """Run scenario files; `check(scenarios)`, if given, may refuse them before any run."""
    from sim.experiments.executors import default_workers
    from sim.experiments.replicates import run_scenarios
    from sim.scenario.load import load_scenario, name_clash, with_end_date

    scenarios = [with_end_date(load_scenario(f, overrides), until) for f in files]
    named: dict[str, tuple[str, object]] = {}
    clashes = [c for f, s in zip(files, scenarios, strict=True)
               if (c := name_clash(s.name, f, named)) is not None]
    if clashes:
        raise ScenarioError("\n".join(clashes))
    if check is not None:
        check(scenarios)
    goal = f"precision {precision:g}" if precision else f"{replicates}"
    with progress(quiet, f"{len(scenarios)} scenario(s) x {goal}") as (update, grow):
        summary = run_scenarios(scenarios, replicates=replicates, seed=seed, out=out,
                                workers=workers or default_workers(), scheduler=scheduler,
                                precision=precision, max_replicates=max_replicates,
                                resume=resume, max_failures=max_failures,
                                batch_size=batch_size, on_progress=update, on_total=grow)
    for message in summary.messages:
        click.echo(message)
    for warning in summary.warnings:
        click.echo(f"warning: {warning}", err=True)
    return summary.folders


@cli.command("run")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--until", metavar="YYYY-MM-DD",
              help="Last day simulated (default: the file's end_date).")
@click.option("--replicates", "-n", type=click.IntRange(1, 100_000), default=20, show_default=True,
              help="Replicates per scenario (replicate k of every scenario shares seeds); "
                   "with --precision, the first round.")
@click.option("--precision", type=click.FloatRange(0, 1, min_open=True, max_open=True),
              default=None, metavar="SHARE",
              help="Add replicates until every key outcome's 95 % CI half-width is within "
                   "SHARE of its mean (e.g. 0.05), up to --max-replicates.")
@click.option("--max-replicates", type=click.IntRange(2, 100_000), default=1000,
              show_default=True, help="Cap on replicates per scenario with --precision.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("outputs/run"),
              show_default=True, help="Folder that receives one sub-folder per scenario.")
@click.option("--set", "overrides", multiple=True, metavar="KEY.PATH=VALUE",
              help="Override a value in every scenario (repeatable), e.g. "
                   "--set levers.closures.date=2024-06-01")
@exec_options
@clean_errors
def run_cmd(files: tuple[Path, ...], until: str | None, replicates: int,
            precision: float | None, max_replicates: int, out: Path,
            overrides: tuple[str, ...], **run_options: Any) -> None:
    """Run scenario FILES and write their tables under --out."""
    import shlex

    folders = _run_files(files, until=until, overrides=overrides, replicates=replicates,
                         precision=precision, max_replicates=max_replicates, out=out,
                         **run_options)
    for folder in folders:
        click.echo(f"wrote {folder}")
    click.echo(f"report: greensim report {' '.join(shlex.quote(str(f)) for f in folders)} "
               f"--out {shlex.quote(str(out / 'report.html'))}")


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--years", "years", multiple=True, default=("all",), show_default=True,
              metavar="all|YYYY|YYYY-YYYY",
              help="Period(s) the outcomes cover (repeatable): all years, one year or a span.")
@click.option("--discount-rate", type=click.FloatRange(0, 1), default=None,
              help="Discount rate of public spending, per year (default 0.035, the Green "
                   "Book's; see `greensim outcomes`).")
@click.option("--until", metavar="YYYY-MM-DD", help="Last day simulated (scenario files).")
@click.option("--replicates", "-n", type=click.IntRange(2, 100_000), default=20,
              show_default=True, help="Replicates per scenario file (first round with "
                                      "--precision).")
@click.option("--precision", type=click.FloatRange(0, 1, min_open=True, max_open=True),
              default=None, metavar="SHARE", help="As in `greensim run`.")
@click.option("--max-replicates", type=click.IntRange(2, 100_000), default=1000,
              show_default=True, help="Cap on replicates with --precision.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("outputs/compare"),
              show_default=True, help="Folder for the scenario runs and summary.csv/.parquet.")
@click.option("--set", "overrides", multiple=True, metavar="KEY.PATH=VALUE",
              help="Override a value in every scenario file (repeatable).")
@exec_options
@clean_errors
def compare(inputs: tuple[Path, ...], years: tuple[str, ...], discount_rate: float | None,
            until: str | None, replicates: int, precision: float | None, max_replicates: int,
            out: Path, overrides: tuple[str, ...], **run_options: Any) -> None:
    """Compare BASE with POLICY... (scenario files, run here, or run folders): mean and 95 % CI
    of every outcome, and each policy's paired difference from the base."""
    from sim.analysis.compare import (
        Span,
        check_periods,
        compare_folders,
        folder_span,
        format_summary,
        read_meta,
        write_summary,
    )
    from sim.analysis.outcomes import DISCOUNT_RATE_PER_YEAR, Period

    periods = [Period.parse(y) for y in years]
    files = [p for p in inputs if not p.is_dir()]

    def check(scenarios: Sequence[Any]) -> None:  # --years within the runs, before running
        spans: dict[str, Span | None] = {s.name: Span(s.start_date, s.end_date)
                                         for s in scenarios}
        for folder in (p for p in inputs if p.is_dir()):
            meta = read_meta(folder)
            spans[str(meta.get("scenario", folder.name))] = folder_span(folder, meta)
        check_periods(periods, spans)

    ran = iter(_run_files(files, until=until, overrides=overrides, replicates=replicates,
                          precision=precision, max_replicates=max_replicates, out=out,
                          check=check, **run_options) if files else [])
    folders = [p if p.is_dir() else next(ran) for p in inputs]
    rate = DISCOUNT_RATE_PER_YEAR if discount_rate is None else discount_rate
    summary = compare_folders(folders, periods, rate)
    click.echo(format_summary(summary))
    for path in write_summary(summary, out):
        click.echo(f"wrote {path}")


@cli.command()
@click.argument("scenario_file", type=click.Path(path_type=Path))
@click.option("--vary", "vary", multiple=True, required=True, metavar="KEY.PATH[=LOW:HIGH]",
              help="A varied parameter and its range (repeatable); without a range, its "
                   "plausible range from the schema.")
@click.option("--design", type=click.Choice(["factorial", "lhs", "sobol", "morris"]),
              default="lhs", show_default=True, help="How design points are drawn (SALib).")
@click.option("--samples", "-N", type=click.IntRange(1, 1_000_000), default=64,
              show_default=True, help="lhs: points; sobol: base samples N (power of two, "
                                      "N·(k+2) points); morris: trajectories (N·(k+1) points).")
@click.option("--levels", type=click.IntRange(2, 100), default=None,
              help="Levels per factor (factorial, default 3) or grid levels (morris, default 4).")
@click.option("--second-order", is_flag=True, help="Sobol: also second-order indices.")
@click.option("--replicates", "-n", type=click.IntRange(1, 10_000), default=2,
              show_default=True, help="Replicates per design point (common random numbers).")
@click.option("--until", metavar="YYYY-MM-DD", help="Last day simulated.")
@click.option("--years", default="all", show_default=True, metavar="all|YYYY|YYYY-YYYY",
              help="Period the outcomes cover.")
@click.option("--discount-rate", type=click.FloatRange(0, 1), default=None,
              help="Discount rate of public spending, per year (default 0.035).")
@click.option("--keep-tables", is_flag=True,
              help="Also keep every run's tables (partitioned Parquet under .journal/parts).")
@click.option("--out", type=click.Path(path_type=Path), default=Path("outputs/sweep"),
              show_default=True, help="The sweep folder.")
@click.option("--set", "overrides", multiple=True, metavar="KEY.PATH=VALUE",
              help="Override a value of the scenario (repeatable).")
@exec_options
@clean_errors
def sweep(scenario_file: Path, vary: tuple[str, ...], design: str, samples: int,
          levels: int | None, second_order: bool, replicates: int, until: str | None,
          years: str, discount_rate: float | None, keep_tables: bool, out: Path,
          overrides: tuple[str, ...], seed: int, workers: int | None, scheduler: str | None,
          resume: bool, max_failures: int | None, batch_size: int | None,
          quiet: bool) -> None:
    """Run a design over SCENARIO_FILE's parameters; write experiments and outcomes frames."""
    from sim.analysis.compare import Span, check_periods
    from sim.analysis.outcomes import DISCOUNT_RATE_PER_YEAR, Context, Period
    from sim.experiments.designs import build_design, parse_vary
    from sim.experiments.draws import apply_values, check_applicable
    from sim.experiments.executors import default_workers
    from sim.experiments.replicates import ModelEvaluator
    from sim.experiments.sweep import run_sweep
    from sim.scenario.load import load_scenario, with_end_date

    base = with_end_date(load_scenario(scenario_file, overrides), until)
    period = Period.parse(years)  # within the runs' span, before running (as `compare`)
    check_periods([period], {base.name: Span(base.start_date, base.end_date)})
    check_applicable(base)
    factors = [parse_vary(v) for v in vary]
    for f in factors:
        for value in (f.low, f.high):
            apply_values(base, {f.name: value}, f"--vary {f.name}={f.low}:{f.high} ({value:g})")
    plan = build_design(design, factors, samples, seed, levels, second_order)
    rate = DISCOUNT_RATE_PER_YEAR if discount_rate is None else discount_rate
    context = Context(period, rate)
    evaluator = ModelEvaluator({base.name: base}, context, keep_tables, base.name)
    describe = {"base": base.name, "scenario": base.model_dump(mode="json"),
                "context": {"period": context.period.label, "discount_rate_per_year": rate},
                "keep_tables": keep_tables}
    with progress(quiet, f"{design} {plan.points} points x {replicates}") as (update, grow):
        summary = run_sweep(evaluator, plan, replicates=replicates, seed=seed, out=out,
                            workers=workers or default_workers(), scheduler=scheduler,
                            resume=resume, max_failures=max_failures, batch_size=batch_size,
                            describe=describe, on_progress=update, on_total=grow)
    for note in summary.notes:
        click.echo(f"warning: {note}", err=True)
    click.echo(f"wrote {out} ({summary.points} points x {replicates} replicates = "
               f"{summary.runs} runs): experiments.parquet, outcomes.parquet, "
               f"ema_results.tar.gz")
    if design != "factorial":
        click.echo(f"next: greensim sensitivity {out}")


@cli.command()
@click.argument("sweep_dir", type=click.Path(path_type=Path))
@click.option("--outcome", "only", multiple=True, help="Only this outcome (repeatable).")
@clean_errors
def sensitivity(sweep_dir: Path, only: tuple[str, ...]) -> None:
    """Sobol or Morris indices (SALib) of every outcome of the sweep in SWEEP_DIR."""
    import pandas as pd

    from sim.analysis.sensitivity import index_caveats, run_sensitivity

    table, notes, paths = run_sensitivity(sweep_dir, list(only) or None)
    notes = notes + index_caveats(table)
    with pd.option_context("display.width", 160, "display.max_columns", 20,
                           "display.float_format", "{:.3f}".format):
        click.echo(table.drop(columns="method").to_string(index=False))
    click.echo(f"method: {table['method'].iloc[0]}")
    for note in notes:
        click.echo(f"note: {note}", err=True)
    for path in paths:
        click.echo(f"wrote {path}")


@cli.command()
def outcomes() -> None:
    """List the registered outcomes: name, unit, direction, key (precision target)."""
    import pandas as pd

    from sim.analysis.outcomes import describe

    with pd.option_context("display.width", 200, "display.max_colwidth", 90):
        click.echo(describe().to_string(index=False))


@cli.command()
@click.argument("run_dirs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="HTML file to write (default: report.html beside the first run folder).")
@click.option("--title", default=None, help="Title shown at the top of the report.")
@click.option("--base", default=None, metavar="NAME",
              help="The scenario every other is compared with (default: the first RUN_DIR "
                   "given; the page says which).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="The language the page opens in; a switch on the page shows the other.")
@click.option("--sensitivity", "sweep_dirs", multiple=True, type=click.Path(path_type=Path),
              help="A sweep folder analysed by `greensim sensitivity`: adds a section with its "
                   "indices (repeatable).")
@clean_errors
def report(run_dirs: tuple[Path, ...], out: Path | None, title: str | None, base: str | None,
           lang: str, sweep_dirs: tuple[Path, ...]) -> None:
    """Build one self-contained HTML report from RUN_DIRS (tables on disk, no rerun), in
    Chinese and English (--lang opens it in one; a switch on the page shows the other).

    It opens with the answer: each scenario against the base (--base, default the first
    RUN_DIR) as cards of the key outcomes' paired differences with 95 % intervals. With
    --sensitivity SWEEP_DIR, the report also shows that sweep's sensitivity indices (bar
    charts per outcome and the table)."""
    from sim.report.page import build_report

    target = out or Path(run_dirs[0]).parent / "report.html"
    path = build_report(list(run_dirs), target, title=title, sensitivity=list(sweep_dirs),
                        base=base, lang=lang)
    click.echo(f"wrote {path}")


@cli.command("figures")
@click.argument("run_dirs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), help="Folder [default: figures/ beside "
              "the first RUN_DIR].")
@click.option("--format", "fmt", type=click.Choice(["png", "svg"]), default="png",
              show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--base", metavar="NAME", help="The scenario compared with [default: the first].")
@click.option("--width", type=click.IntRange(200, 10_000), default=1200, show_default=True)
@click.option("--height", type=click.IntRange(100, 10_000), help="[default: the chart's own]")
@click.option("--scale", type=click.FloatRange(0.25, 8), default=2.0, show_default=True,
              help="PNG pixels per CSS pixel (an SVG is width by height).")
@click.option("--quiet", "-q", is_flag=True, help="No progress line per image.")
@clean_errors
def figures_cmd(run_dirs: tuple[Path, ...], out: Path | None, fmt: str, lang: str,
                base: str | None, width: int, height: int | None, scale: float,
                quiet: bool) -> None:
    """Each chart of the report on RUN_DIRS as an image for slides, <out>/<NN>-<slug>.<format>,
    drawn offline by the system's Chromium ($CHROMIUM names another)."""
    from sim.report.export import export_figures

    target = out or Path(run_dirs[0]).parent / "figures"
    paths = export_figures(list(run_dirs), target, fmt, lang, base, width, height, scale,
                           progress=None if quiet else lambda line: click.echo(line, err=True))
    click.echo(f"wrote {len(paths)} figure(s) in {target}")


@cli.command()
def schema() -> None:
    """Print the JSON Schema of scenario files (for editors' YAML plugins: completion and
    checks as you type; `greensim validate` checks more, e.g. dates in order)."""
    from sim.scenario.load import file_json_schema

    click.echo(json.dumps(file_json_schema(), indent=2, ensure_ascii=False))


@cli.command()
def params() -> None:
    """Print every parameter with its default, range, tag and source (Markdown)."""
    from sim.scenario.paramdoc import parameter_table

    click.echo(parameter_table(), nl=False)


@cli.command()
@click.option("--replicates", "-n", type=click.IntRange(1, 10_000), default=100, show_default=True,
              help="Replicates in the many-runs timing.")
@click.option("--repeats", type=click.IntRange(1, 50), default=None,
              help="Interleaved repeats per measurement (the median is reported); default 5, "
                   "or 3 with --experiments.")
@click.option("--json-out", type=click.Path(path_type=Path), default=None,
              help="Also write the figures as JSON.")
@click.option("--experiments", is_flag=True,
              help="Instead: the experiment-scale figures (1 vs 2 workers and Dask LocalCluster "
                   "vs process pool, interleaved repeats; then --replicates 20-year runs once; "
                   "use -n 1000 for the issue's target).")
@click.option("--classroom", "classroom_only", is_flag=True,
              help="Instead: a classroom round's response (the last, longest round of a "
                   "lesson: in process, and click to screen in Chromium when there; target "
                   "2 s).")
@click.option("--report", "report_only", is_flag=True,
              help="Instead: the time and size of `make run`'s report (both scenarios, "
                   "--replicates default 20, to 2035; targets 10 s and 10 MB).")
@clean_errors
def bench(replicates: int, repeats: int | None, json_out: Path | None, experiments: bool,
          classroom_only: bool, report_only: bool) -> None:
    """Time one 20-year run (beside 1 M bare SimPy events), many replicates, and the
    per-household-process reference (or, with --experiments, the experiment runner's scaling
    on workers and Dask; with --classroom, a classroom round's response; with --report, the
    report's build)."""
    from sim.bench import (
        run_benchmarks,
        run_classroom_benchmark,
        run_experiment_benchmarks,
        run_report_benchmark,
    )

    if classroom_only:
        figures = run_classroom_benchmark(repeats=repeats or 5, echo=click.echo)
    elif report_only:
        n = replicates if click.get_current_context().get_parameter_source(
            "replicates") == click.core.ParameterSource.COMMANDLINE else 20
        figures = run_report_benchmark(replicates=n, repeats=repeats or 3, echo=click.echo)
    elif experiments:
        figures = run_experiment_benchmarks(replicates=replicates, repeats=repeats or 3,
                                            echo=click.echo)
    else:
        figures = run_benchmarks(replicates=replicates, repeats=repeats or 5, echo=click.echo)
    if json_out is not None:
        json_out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


@cli.command()
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="The language the page opens in; a switch on every screen shows the other.")
@click.option("--port", type=click.IntRange(1, 65535), default=8050, show_default=True,
              help="Port to listen on (in use: exit 2).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but this machine (loopback) is warned "
                   "about: pupils' devices could then reach the page.")
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=20250101, show_default=True,
              help="The seed of every round (the same each round, so years played stay).")
@click.option("--rounds", type=click.IntRange(1, 10), default=4, show_default=True)
@click.option("--years-per-round", type=click.IntRange(1, 10), default=4, show_default=True)
@click.option("--first-year", type=click.IntRange(2024, 2060), default=2024, show_default=True,
              help="The first year the class decides (the township starts in 2023).")
@click.option("--budget", type=click.FloatRange(0, 1e6), default=1200.0, show_default=True,
              help="Budget per round in 万元 (10,000 yuan); measures' running costs come "
                   "out of it first.")
@click.option("--replicates", "-n", type=click.IntRange(1, 20), default=3, show_default=True,
              help="Runs per round (their range is the band on the page); more runs, "
                   "slower rounds.")
@click.option("--no-browser", is_flag=True, help="Do not open the browser.")
@clean_errors
def classroom(lang: str, port: int, host: str, seed: int, rounds: int, years_per_round: int,
              first_year: int, budget: float, replicates: int, no_browser: bool) -> None:
    """Start the classroom: a local web page where a class steers the township round by round
    (cards with costs, a budget per round), watches the years play out beside what really
    happened and doing nothing, and debriefs; plus free play. Offline, on 127.0.0.1 by
    default; Ctrl-C stops it."""
    from sim.classroom.cards import LessonConfig
    from sim.classroom.serve import is_loopback, run_classroom

    try:
        config = LessonConfig(rounds=rounds, years_per_round=years_per_round,
                              first_year=first_year, budget_wan=budget, seed=seed,
                              replicates=replicates)
    except ValueError as exc:
        raise ScenarioError(f"classroom: {exc}") from None
    if not is_loopback(host):
        click.echo(f"warning: --host {host}: the classroom is reachable from other machines "
                   f"on this network, without a password", err=True)
    run_classroom(config, host=host, port=port, lang=lang, open_browser=not no_browser,
                  echo=click.echo)


cli.add_command(calibrate)


def main() -> None:
    cli(prog_name="greensim")
