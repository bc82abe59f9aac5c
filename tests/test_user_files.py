"""Nothing a user owns is ever lost (issue 14 §2): greensim writes only into folders it made,
one writer at a time; the operating system's errors become one line; a killed run leaves
nothing that stops or pollutes the next one, and no worker behind."""

from __future__ import annotations

import contextlib
import errno
import filecmp
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import sim.files
from sim.cli import cli
from sim.experiments.journal import Journal
from sim.experiments.replicates import JOURNAL
from sim.files import LOCK, MARKER

from .conftest import SCENARIOS

AS_R = str(SCENARIOS / "as_reported.yaml")
NO_T = str(SCENARIOS / "no_transition.yaml")
SHORT = ["--until", "2023-03-31", "-n", "2", "-j", "1", "-q", "--seed", "3"]


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def user_folder(path: Path) -> dict[str, bytes]:
    """Fill `path` with files of the user's; return their contents for later comparison."""
    path.mkdir(parents=True, exist_ok=True)
    files = {"notes.txt": b"my notes\n", "failures.parquet": b"my own table\n",
             "as_reported/field.csv": b"a,b\n1,2\n"}
    for rel, data in files.items():
        (path / rel).parent.mkdir(parents=True, exist_ok=True)
        (path / rel).write_bytes(data)
    return files


def unchanged(path: Path, files: dict[str, bytes]) -> bool:
    return all((path / rel).read_bytes() == data for rel, data in files.items())


def greensim(*args: str) -> list[str]:
    return [sys.executable, "-m", "sim", *args]


# ----------------------------------------------------------------------------- the eight cases
@pytest.mark.parametrize("name", [".", ".."])
def test_a_scenario_named_dot_cannot_replace_the_output_folder(
        runner: CliRunner, tmp_path: Path, name: str) -> None:
    """Case 1: a scenario named `.` or `..` is refused at validation (exit 2), and every file of
    the user's in --out is still there."""
    out = tmp_path / "out"
    files = user_folder(out)
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"extends: {AS_R}\nname: '{name}'\n", encoding="utf-8")
    res = runner.invoke(cli, ["run", str(bad), *SHORT, "--out", str(out)])
    assert res.exit_code == 2 and "name" in res.output and "Traceback" not in res.output
    assert unchanged(out, files)


def test_a_file_named_dotdot_yaml_without_a_name_is_refused(runner: CliRunner,
                                                           tmp_path: Path) -> None:
    """Case 1: `..yaml` with no `name:` would take `.` from its file name: refused, exit 2."""
    out = tmp_path / "out"
    files = user_folder(out)
    bad = tmp_path / "..yaml"
    bad.write_text(f"extends: {AS_R}\n", encoding="utf-8")
    res = runner.invoke(cli, ["run", str(bad), *SHORT, "--out", str(out)])
    assert res.exit_code == 2 and "name" in res.output
    assert unchanged(out, files)


def test_a_second_writer_is_refused_and_the_first_keeps_its_own_tables(tmp_path: Path) -> None:
    """Case 2: while one `greensim run` writes into --out, a second one exits 2 naming the
    holder; the first finishes with its own seed's tables, equal to a run on its own."""
    out = tmp_path / "shared"
    args = [AS_R, "--until", "2028-12-31", "-n", "24", "-j", "1", "-q", "--batch-size", "1"]
    first = subprocess.Popen(greensim("run", *args, "--seed", "1", "--out", str(out)),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (out / LOCK).exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    second = subprocess.run(greensim("run", *args, "--seed", "2", "--out", str(out)),
                            capture_output=True, text=True, timeout=120)
    assert first.poll() is None  # the two did overlap
    stdout, stderr = first.communicate(timeout=300)
    assert first.returncode == 0, stderr
    assert second.returncode == 2, second.stderr
    assert "in use by another greensim" in second.stderr and f"pid {first.pid}" in second.stderr
    assert "Traceback" not in second.stderr and len(second.stderr.strip().splitlines()) == 1
    alone = tmp_path / "alone"
    subprocess.run(greensim("run", *args, "--seed", "1", "--out", str(alone)), check=True,
                   capture_output=True, timeout=300)
    assert filecmp.cmp(out / "as_reported" / "township.parquet",
                       alone / "as_reported" / "township.parquet", shallow=False)
    assert not (out / LOCK).exists()  # the lock goes with its holder


def test_a_users_folder_named_like_a_scenario_is_never_replaced(runner: CliRunner,
                                                               tmp_path: Path) -> None:
    """Case 3: in an output folder of greensim's, a folder of the user's named like a scenario
    stops the run at once (exit 2, before any simulating), and stays as it was."""
    out = tmp_path / "out"
    assert runner.invoke(cli, ["run", NO_T, *SHORT, "--out", str(out)]).exit_code == 0
    mine = out / "as_reported"
    mine.mkdir()
    (mine / "field.csv").write_text("a,b\n", encoding="utf-8")
    res = runner.invoke(cli, ["run", AS_R, *SHORT, "--out", str(out)])
    assert res.exit_code == 2 and f"{mine}: exists and was not made by greensim" in res.output
    assert [p.name for p in mine.iterdir()] == ["field.csv"]
    assert not (out / JOURNAL).exists()


def test_a_users_own_folder_is_not_written_into(runner: CliRunner, tmp_path: Path) -> None:
    """Case 3: a --out of the user's that holds anything (here their own failures.parquet) is
    refused with exit 2; nothing in it is deleted or added."""
    out = tmp_path / "mine"
    files = user_folder(out)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    res = runner.invoke(cli, ["run", AS_R, *SHORT, "--out", str(out)])
    assert res.exit_code == 2 and "was not made by greensim" in res.output
    assert unchanged(out, files) and sorted(p.relative_to(out) for p in out.rglob("*")) == before


def test_an_empty_folder_of_the_users_is_adopted(runner: CliRunner, tmp_path: Path) -> None:
    """An empty folder is fine to write into (nothing to lose): it becomes greensim's."""
    res = runner.invoke(cli, ["run", AS_R, *SHORT, "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert (tmp_path / MARKER).is_file() and (tmp_path / "as_reported" / MARKER).is_file()


def test_report_never_overwrites_a_users_file(runner: CliRunner, tmp_path: Path) -> None:
    """`report --out` onto a file that is not a greensim page: exit 2, file unchanged; onto its
    own earlier report: replaced."""
    out = tmp_path / "out"
    assert runner.invoke(cli, ["run", AS_R, *SHORT, "--out", str(out)]).exit_code == 0
    page = tmp_path / "slides.html"
    page.write_text("<html>my slides</html>", encoding="utf-8")
    res = runner.invoke(cli, ["report", str(out / "as_reported"), "--out", str(page)])
    assert res.exit_code == 2 and "not a page greensim wrote" in res.output
    assert page.read_text(encoding="utf-8") == "<html>my slides</html>"
    report = tmp_path / "report.html"
    for _ in range(2):
        res = runner.invoke(cli, ["report", str(out / "as_reported"), "--out", str(report)])
        assert res.exit_code == 0, res.output


# ----------------------------------------------------------------------------- the system's errors
def test_a_read_only_output_folder_is_one_line(runner: CliRunner, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Case 5: a folder that cannot be made (permission denied; tests run as root, so the error
    is raised where the folder is made) gives one line naming the path, exit 2."""
    out = tmp_path / "locked" / "out"
    real = Path.mkdir

    def denied(self: Path, *args: object, **kwargs: object) -> None:
        if self == out:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "mkdir", denied)
    res = runner.invoke(cli, ["run", AS_R, *SHORT, "--out", str(out)])
    assert res.exit_code == 2
    assert res.output.strip() == f"error: {out}: permission denied"


def test_a_file_where_the_output_folder_should_be(runner: CliRunner, tmp_path: Path) -> None:
    """Case 5: --out naming a file: exit 2, one line, the file untouched."""
    out = tmp_path / "out"
    out.write_text("mine", encoding="utf-8")
    res = runner.invoke(cli, ["run", AS_R, *SHORT, "--out", str(out)])
    assert res.exit_code == 2 and f"{out}: is a file, not a folder" in res.output
    assert out.read_text(encoding="utf-8") == "mine"


def test_a_full_disk_is_one_line_and_resume_finishes(runner: CliRunner, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Case 5: a full disk (OSError ENOSPC raised where Parquet is written) ends in one line
    naming the file, exit 2, no temporary file left; once there is space, --resume finishes
    and gives the tables of an uninterrupted run."""
    clean = tmp_path / "clean"
    assert runner.invoke(cli, ["run", AS_R, *SHORT, "--out", str(clean)]).exit_code == 0
    out = tmp_path / "out"
    real = sim.files.pq.write_table
    calls = {"n": 0}

    def full(table: object, where: object, *args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] >= 4:
            raise OSError(errno.ENOSPC, "No space left on device", str(where))
        real(table, where, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sim.files.pq, "write_table", full)
    res = runner.invoke(cli, ["run", AS_R, *SHORT, "--batch-size", "1", "--out", str(out)])
    assert res.exit_code == 2, res.output
    assert res.output.startswith("error: ") and "no space left on the device" in res.output
    assert len(res.output.strip().splitlines()) == 1
    assert not [p for p in out.rglob("*") if ".tmp-" in p.name]
    monkeypatch.setattr(sim.files.pq, "write_table", real)
    res = runner.invoke(cli, ["run", AS_R, *SHORT, "--resume", "--out", str(out)])
    assert res.exit_code == 0, res.output
    for table in ("township", "villages", "sections"):
        assert filecmp.cmp(out / "as_reported" / f"{table}.parquet",
                           clean / "as_reported" / f"{table}.parquet", shallow=False)


def test_a_truncated_part_file_is_run_again_on_resume(runner: CliRunner, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Case 5: a part file cut short (a disk that filled, a hand) does not stop --resume: its
    runs are run again, with a warning, and the tables equal an uninterrupted run's."""
    clean = tmp_path / "clean"
    assert runner.invoke(cli, ["run", AS_R, *SHORT, "--out", str(clean)]).exit_code == 0
    out = tmp_path / "out"

    def interrupted(self: Journal, *args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt  # the journal is complete; the folder is never assembled

    monkeypatch.setattr(Journal, "assemble", interrupted)
    res = runner.invoke(cli, ["run", AS_R, *SHORT, "--batch-size", "1", "--out", str(out)])
    assert res.exit_code == 130 and "--resume" in res.output and "Traceback" not in res.output
    monkeypatch.undo()
    part = sorted((out / JOURNAL / "parts" / "villages").rglob("*.parquet"))[0]
    part.write_bytes(part.read_bytes()[: part.stat().st_size // 2])
    res = runner.invoke(cli, ["run", AS_R, *SHORT, "--batch-size", "1", "--resume",
                              "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "1 finished run(s) had a missing or damaged part file" in res.output
    assert filecmp.cmp(out / "as_reported" / "villages.parquet",
                       clean / "as_reported" / "villages.parquet", shallow=False)


# ----------------------------------------------------------------------------- kills
def test_a_killed_runs_leftovers_are_cleared_by_the_next_run(runner: CliRunner,
                                                             tmp_path: Path) -> None:
    """Case 7: what a run killed while writing leaves (a marked `.NAME.tmp-PID` folder, a
    `.NAME.tmp-PID` file, its lock file) is removed by the next run into the folder; a file
    of the same shape in an unmarked folder would not be touched (the folder is refused)."""
    out = tmp_path / "out"
    assert runner.invoke(cli, ["run", AS_R, *SHORT, "--out", str(out)]).exit_code == 0
    tmp_folder = out / ".as_reported.tmp-999999"
    tmp_folder.mkdir()
    (tmp_folder / MARKER).write_text("{}", encoding="utf-8")
    (tmp_folder / "township.parquet").write_bytes(b"half")
    (out / ".report.html.tmp-999999").write_bytes(b"half")
    (out / LOCK).write_text('{"pid": 999999}', encoding="utf-8")  # a dead holder's
    assert runner.invoke(cli, ["run", AS_R, *SHORT, "--out", str(out)]).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "as_reported"]


def children(pid: int) -> list[int]:
    """The pids of `pid`'s child processes (Linux /proc)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with open(task / "children", encoding="ascii") as fh:
            found += [int(c) for c in fh.read().split()]
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split(") ", 1)[1][0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_workers_end_when_their_parent_is_killed(tmp_path: Path) -> None:
    """Case 7: pool workers of a `greensim run` killed with -9 end within seconds instead of
    running on; the next run into the folder is not blocked by the dead run's lock."""
    out = tmp_path / "out"
    args = ["run", AS_R, "--until", "2030-12-31", "-n", "200", "-j", "2", "-q",
            "--out", str(out)]
    proc = subprocess.Popen(greensim(*args), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2:
        workers = children(proc.pid)
        time.sleep(0.05)
    time.sleep(0.5)  # the workers are simulating
    assert len(workers) >= 2 and all(alive(w) for w in workers)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(w) for w in workers):
        time.sleep(0.05)
    lingering = [w for w in workers if alive(w)]
    for w in lingering:
        os.kill(w, signal.SIGKILL)
    assert not lingering
    res = subprocess.run(greensim("run", AS_R, *SHORT, "--out", str(out)),
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert not [p.name for p in out.iterdir() if ".tmp-" in p.name or p.name == LOCK]
    assert len(pd.read_parquet(out / "as_reported" / "township.parquet")) == 2 * 3


# ----------------------------------------------------------------------------- the hostile sweep
def test_folders_of_one_kind_are_not_written_by_another(runner: CliRunner,
                                                        tmp_path: Path) -> None:
    """A sweep into a run's scenario folder (or a run into a sweep folder, or into a scenario
    folder) is refused: the marker says what a folder holds, so outputs never mix."""
    out = tmp_path / "o"
    assert runner.invoke(cli, ["run", NO_T, *SHORT, "--out", str(out)]).exit_code == 0
    before = (out / "no_transition" / "outcomes.parquet").read_bytes()
    res = runner.invoke(cli, ["sweep", AS_R, "--vary", "river.velocity_m_s_at_1_m3_s", "-N", "2",
                              "--until", "2023-03-31", "-n", "1", "-j", "1", "-q",
                              "--out", str(out / "no_transition")])
    assert res.exit_code == 2 and "not a sweep one" in res.output
    assert (out / "no_transition" / "outcomes.parquet").read_bytes() == before
    res = runner.invoke(cli, ["run", AS_R, *SHORT, "--out", str(out / "no_transition")])
    assert res.exit_code == 2 and "for a scenario output, not a runs one" in res.output


def test_a_users_file_inside_a_scenario_folder_stops_the_rerun(runner: CliRunner,
                                                              tmp_path: Path) -> None:
    """A file of the user's put inside a scenario folder greensim wrote is never deleted by the
    rerun that replaces the folder: the run stops at once with exit 2, naming it."""
    out = tmp_path / "o"
    assert runner.invoke(cli, ["run", NO_T, *SHORT, "--out", str(out)]).exit_code == 0
    notes = out / "no_transition" / "my_notes.md"
    notes.write_text("mine", encoding="utf-8")
    res = runner.invoke(cli, ["run", NO_T, *SHORT, "--seed", "5", "--out", str(out)])
    assert res.exit_code == 2 and "holds files greensim did not write (my_notes.md)" in res.output
    assert notes.read_text(encoding="utf-8") == "mine"
    notes.unlink()
    assert runner.invoke(cli, ["run", NO_T, *SHORT, "--seed", "5",
                               "--out", str(out)]).exit_code == 0


def test_a_full_disk_names_the_file(runner: CliRunner, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A write error that names no file (as pyarrow's do) is reported with the file it was
    writing, never a temporary name."""
    out = tmp_path / "out"

    def full(table: object, where: object, *args: object, **kwargs: object) -> None:
        raise OSError("[Errno 28] Error writing bytes to file. Detail: [errno 28] No space "
                      "left on device")

    monkeypatch.setattr(sim.files.pq, "write_table", full)
    res = runner.invoke(cli, ["run", AS_R, *SHORT, "--out", str(out)])
    assert res.exit_code == 2 and "no space left on the device" in res.output
    assert str(out) in res.output and ".tmp-" not in res.output


def test_a_closed_pipe_is_not_an_error_of_greensim(tmp_path: Path) -> None:
    """`greensim outcomes | head -1`: the reader stops early; greensim ends quietly (no
    traceback, no 'please report it')."""
    proc = subprocess.run(" ".join(greensim("outcomes")) + " | head -1", shell=True,
                          capture_output=True, text=True, timeout=60)
    assert proc.stdout.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "report it" not in proc.stderr


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_ctrl_c_with_a_process_pool_ends_promptly(tmp_path: Path) -> None:
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) during a run on two
    workers ends it within seconds with exit 130 and one line, every time (workers ignore it;
    the parent stops the pool), and --resume then finishes."""
    for k, delay in enumerate((0.0, 0.5, 1.1)):
        out = tmp_path / f"k{k}"
        # stderr to a file, and the wait on greensim itself: what a terminal's user waits for
        # (a pipe would also wait for any process that inherited it)
        with open(tmp_path / f"err{k}.txt", "w+", encoding="utf-8") as log:
            proc = subprocess.Popen(greensim("run", NO_T, AS_R, "--until", "2024-12-31", "-n",
                                             "30", "-j", "2", "-q", "--out", str(out)),
                                    stdout=subprocess.DEVNULL, stderr=log, text=True,
                                    start_new_session=True)
            # Ctrl-C as the pool starts (the journal exists: the workers are being forked about
            # now, so the first poll is fine-grained) and while it runs, at moments after
            deadline = time.monotonic() + 60
            while not (out / JOURNAL / "manifest.jsonl").exists() and time.monotonic() < deadline:
                time.sleep(0.002)
            time.sleep(delay)
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                pytest.fail(f"greensim still running 20 s after Ctrl-C (delay {delay} s)")
            finally:
                with contextlib.suppress(ProcessLookupError):  # nothing of the run lingers
                    os.killpg(proc.pid, signal.SIGKILL)
            log.seek(0)
            err = log.read()
        assert proc.returncode in (0, 130), err
        assert "Traceback" not in err
        if proc.returncode == 130:
            assert err.strip().startswith("interrupted")
    res = subprocess.run(greensim("run", NO_T, AS_R, "--until", "2024-12-31", "-n", "30", "-j",
                                  "2", "-q", "--resume", "--out", str(tmp_path / "k0")),
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr


# A Ctrl-C that lands while the pool forks its workers. The main thread holds SIGINT then, so
# the kernel hands it to another thread (tqdm's monitor, a library's thread pool); Python runs
# the handler in the main thread inside the fork's handlers, which print and drop the
# KeyboardInterrupt, and the run went on to its end. Sent here from a fork handler, with such
# a thread alive, it must come out of open_executor as KeyboardInterrupt.
CTRL_C_IN_FORK = """
import os, select, signal, sys, threading
from sim.experiments.executors import open_executor
threading.Thread(target=threading.Event().wait, daemon=True).start()
delivered, w = os.pipe()
os.set_blocking(w, False)
signal.set_wakeup_fd(w)  # written to as the signal is delivered, in whichever thread
sent = []
def ctrl_c():
    if not sent:
        sent.append(1)
        os.kill(os.getpid(), signal.SIGINT)
        assert select.select([delivered], [], [], 30)[0]
os.register_at_fork(before=ctrl_c)
try:
    with open_executor(2) as handle:
        sys.exit("the pool came up: the Ctrl-C was lost")
except KeyboardInterrupt:
    sys.exit(130)
"""


def test_ctrl_c_while_the_pool_forks_is_not_lost() -> None:
    res = subprocess.run([sys.executable, "-c", CTRL_C_IN_FORK], capture_output=True,
                         text=True, timeout=60)
    assert res.returncode == 130, res.stderr
    assert res.stderr == "", res.stderr


# A Ctrl-C while a worker sends its result (a batch's tables are megabytes; the pipe takes
# 64 KB at a time). The parent's pool thread has read the result's length and waits for the
# rest; the worker, ended, never sends it; the parent's own copy of the pipe's writing end
# kept that wait from ever seeing the end of the pipe, and Python's exit waits for that thread:
# greensim printed its line, then never ended. Here the worker sends part of a result and stops.
HALF_SENT_RESULT = """
import gc, os, struct, sys, time
from multiprocessing.queues import SimpleQueue
from sim.experiments.executors import open_executor
started = sys.argv[1]
def half_sent_result():
    results, = [o for o in gc.get_objects() if isinstance(o, SimpleQueue)]
    os.write(results._writer.fileno(), struct.pack("!i", 1 << 20) + bytes(1000))
    open(started, "w").close()
    time.sleep(600)
try:
    with open_executor(2) as handle:
        sent = handle.executor.submit(half_sent_result)
        while not os.path.exists(started):
            if sent.done():
                sent.result()  # the worker could not do it: say why
            time.sleep(0.01)
        time.sleep(0.2)  # the pool's thread is reading the result by now
        raise KeyboardInterrupt
except KeyboardInterrupt:
    sys.exit(130)
"""


def test_ctrl_c_while_a_worker_sends_its_result_ends(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", HALF_SENT_RESULT, str(tmp_path / "started")],
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("still running 60 s after Ctrl-C: the pool waits for the rest of a result "
                    "a stopped worker will never send")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, err
    assert err == "", err


def test_ctrl_c_wrapped_by_an_import_is_still_ctrl_c() -> None:
    """A Ctrl-C that lands inside an import can come out as a RuntimeError caused by the
    KeyboardInterrupt (Python 3.11, `__set_name__`): it ends like any Ctrl-C (exit 130, one
    line); any other RuntimeError is not turned into one."""
    import click

    from sim.cli_support import clean_errors

    def raise_wrapped(cause: BaseException) -> None:
        try:
            raise cause
        except BaseException as exc:
            raise RuntimeError("Error calling __set_name__") from exc

    @click.command()
    @click.option("--other", is_flag=True)
    @clean_errors
    def cmd(other: bool) -> None:
        raise_wrapped(ValueError("x") if other else KeyboardInterrupt())

    res = CliRunner().invoke(cmd, [])
    assert res.exit_code == 130 and res.output.startswith("interrupted:")
    res = CliRunner().invoke(cmd, ["--other"])
    assert isinstance(res.exception, RuntimeError)
