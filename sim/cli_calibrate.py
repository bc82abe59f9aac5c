"""`greensim calibrate`: fit the tuned parameters to the account's targets (added to `sim.cli`).

A thin command over `sim.experiments.calibrate` (the search) and `sim.experiments.calibrate_out`
(tables, files, the generated section of docs/calibration.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sim.cli_support import clean_errors, progress
from sim.errors import ScenarioError


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--targets", "targets_file", type=click.Path(path_type=Path), default=None,
              help="Targets file (YAML) [default: the bundled sim/analysis/targets.yaml].")
@click.option("--replicates", "-n", type=click.IntRange(2, 10_000), default=8,
              show_default=True, help="Replicates per scenario and candidate (the same seeds "
                                      "for every candidate: common random numbers).")
@click.option("--max-evaluations", type=click.IntRange(1, 100_000), default=40,
              show_default=True, help="Budget: candidate parameter sets evaluated, the "
                                      "scenarios' current values included.")
@click.option("--method", type=click.Choice(["powell", "differential-evolution"]),
              default="powell", show_default=True,
              help="scipy.optimize search: Powell from the current values, or differential "
                   "evolution over the whole ranges.")
@click.option("--params", "only", multiple=True, metavar="KEY.PATH",
              help="Fit only this tuned parameter (repeatable) [default: every tuned "
                   "parameter a target informs].")
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=20250101, show_default=True,
              help="Seed of every run (and of differential evolution).")
@click.option("--workers", "-j", type=click.IntRange(1, 512), default=None,
              help="Worker processes (default: all cores). Results do not depend on it.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("outputs/calibrate"),
              show_default=True, help="Folder for the tables, calibration.json and the "
                                      "overlay scenarios (NAME_calibrated.yaml).")
@click.option("--write-docs", type=click.Path(path_type=Path), default=None,
              metavar="FILE.md", help="Also write the tables into FILE.md (e.g. "
                                      "docs/calibration.md) between its generated-section "
                                      "markers, keeping the rest of the file.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
              help="Language of the printed tables (the CSV files come in both).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@clean_errors
def calibrate(files: tuple[Path, ...], targets_file: Path | None, replicates: int,
              max_evaluations: int, method: str, only: tuple[str, ...], seed: int,
              workers: int | None, out: Path, write_docs: Path | None, lang: str,
              quiet: bool) -> None:
    """Fit the tuned parameters (tag C) to the targets within their plausible ranges, running
    the scenario FILES the targets name; print and save the target and parameter tables. The
    scenario files are not changed: the fitted values go to overlay scenarios in --out."""
    import pandas as pd

    from sim.analysis.targets import TARGETS_FILE, load_targets
    from sim.experiments import calibrate_out as co
    from sim.experiments.calibrate import build_problem, runs_per_evaluation
    from sim.experiments.calibrate import calibrate as search
    from sim.experiments.executors import default_workers
    from sim.files import output_folder
    from sim.scenario.load import load_scenario, name_clash
    from sim.scenario.tuned import tuned_parameters

    path = targets_file or TARGETS_FILE
    targets = load_targets(path, [p.path for p in tuned_parameters()])
    scenarios = []
    named: dict[str, tuple[str, object]] = {}
    sources: dict[str, Path] = {}
    for f in files:
        s = load_scenario(f)
        clash = name_clash(s.name, f, named)
        if clash is not None:
            raise ScenarioError(clash)
        scenarios.append(s)
        sources[s.name] = Path(f)
    problem = build_problem(scenarios, targets, replicates=replicates, seed=seed, only=only)
    settings = {"targets_file": str(path), "replicates": replicates, "seed": seed,
                "scenario_files": {k: str(v) for k, v in sources.items()}}
    with output_folder(out, "calibrate"):  # claimed and locked before the runs, not after
        try:
            with progress(quiet, f"calibrate {len(problem.parameters)} parameters") as (
                    update, grow):
                grow(max_evaluations * runs_per_evaluation(problem))
                result = search(problem, max_evaluations=max_evaluations, method=method,
                                workers=workers or default_workers(), on_progress=update)
        except KeyboardInterrupt:
            click.echo(f"interrupted: nothing was written in {out} (a calibration has no "
                       f"--resume; rerun it, with a smaller --max-evaluations if need be)",
                       err=True)
            sys.exit(130)
        co.write_outputs(result, out, sources, settings)
    with pd.option_context("display.width", 250, "display.max_colwidth", 70):
        table = co.target_table(result, lang)  # the targets' text is in targets.csv
        click.echo(table.drop(columns=table.columns[[1, 2]]).to_string(index=False))
        click.echo("")
        click.echo(co.parameter_table(result, lang).to_string(index=False))
    for line in co.summary_lines(result):
        click.echo(line)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(f"wrote {out}: targets.csv, parameters.csv, evaluations.csv, calibration.json, "
               + ", ".join(f"{n}_calibrated.yaml" for n in sources if n in problem.scenarios))
    if write_docs is not None:
        command = " ".join(["greensim calibrate", *map(str, files), *(
            ["--targets", str(targets_file)] if targets_file else []), "--replicates",
            str(replicates), "--max-evaluations", str(max_evaluations), "--method", method,
            *[f"--params {o}" for o in only], "--seed", str(seed)])
        co.write_docs_section(write_docs, co.docs_section(result, command))
        click.echo(f"wrote the generated section of {write_docs}")


__all__ = ["calibrate"]
