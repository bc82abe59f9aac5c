"""Kill and resume: a `greensim run` killed with SIGKILL resumes to the uninterrupted result."""

from __future__ import annotations

import filecmp
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import sim.experiments.replicates as experiment
from sim.cli import cli
from sim.experiments.replicates import JOURNAL
from sim.files import MARKER

from .conftest import SCENARIOS

ARGS = [str(SCENARIOS / "no_transition.yaml"), str(SCENARIOS / "as_reported.yaml"),
        "--until", "2023-03-31", "-n", "8", "--seed", "8", "-q"]


def greensim(*args: str) -> list[str]:
    return [sys.executable, "-m", "sim", "run", *args]


def test_killed_run_resumes_to_the_same_files(tmp_path: Path) -> None:
    """SIGKILL midway leaves finished runs in the journal; --resume skips them and writes files
    identical to an uninterrupted run (itself on 2 workers)."""
    clean = subprocess.run(greensim(*ARGS, "-j", "2", "--out", str(tmp_path / "clean")),
                           capture_output=True, text=True, timeout=300)
    assert clean.returncode == 0, clean.stderr
    out = tmp_path / "killed"
    manifest = out / JOURNAL / "manifest.jsonl"
    proc = subprocess.Popen(greensim(*ARGS, "-j", "1", "--batch-size", "1", "--out", str(out)),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if manifest.is_file() and len(manifest.read_bytes().splitlines()) >= 4:
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    lines = manifest.read_bytes().splitlines()
    assert proc.returncode == -signal.SIGKILL and 4 <= len(lines) < 16  # killed midway
    resumed = subprocess.run(greensim(*ARGS, "-j", "1", "--resume", "--out", str(out),
                                      "--batch-size", "1"),
                             capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "as_reported", "no_transition"]
    for name in ("no_transition", "as_reported"):
        a, b = tmp_path / "clean" / name, out / name
        files = sorted(p.name for p in a.iterdir())
        assert files == sorted(p.name for p in b.iterdir())
        match, mismatch, errors = filecmp.cmpfiles(a, b, files, shallow=False)
        assert mismatch == [] and errors == [], (name, mismatch, errors)


def test_rerun_says_what_becomes_of_the_journal(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A rerun without --resume over a journal of finished runs warns that it discards them;
    --resume with no journal warns that it starts afresh; a clean run says neither."""
    real = experiment.run

    def flaky(scenario, seed, replicate, **kw):  # type: ignore[no-untyped-def]
        if replicate == 2:
            raise RuntimeError("boom")
        return real(scenario, seed, replicate, **kw)

    out = tmp_path / "out"
    args = ["run", str(SCENARIOS / "as_reported.yaml"), "--until", "2023-03-31", "-n", "3",
            "-j", "1", "-q", "--out", str(out)]
    monkeypatch.setattr(experiment, "run", flaky)
    failed = CliRunner().invoke(cli, args)
    assert failed.exit_code == 1 and (out / JOURNAL / "manifest.jsonl").is_file()
    monkeypatch.undo()
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0, again.output
    assert (f"warning: discarded a journal of 2 finished run(s) in {out / JOURNAL} (add "
            f"--resume to keep them)\n") in again.stderr
    clean = CliRunner().invoke(cli, args)
    assert clean.exit_code == 0 and clean.stderr == ""
    fresh = tmp_path / "fresh"
    resumed = CliRunner().invoke(cli, [*args[:-1], str(fresh), "--resume"])
    assert resumed.exit_code == 0, resumed.output
    assert (f"warning: --resume: no journal to resume in {fresh}; starting afresh\n"
            in resumed.stderr)
    complete = CliRunner().invoke(cli, [*args[:-1], str(fresh), "--resume"])
    assert complete.exit_code == 0 and complete.stderr == ""  # its folders are simply kept
