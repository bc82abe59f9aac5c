"""Writing files safely: whole or not at all, and only where greensim may.

- Files are written to a temporary name and renamed (`atomic_write_bytes`, `..._parquet`).
- Folders greensim makes hold a marker file (`.greensim`); it replaces or deletes only inside
  such folders, and refuses (exit 2) to replace a folder it did not make (`claim_folder`,
  `replace_folder`).
- A folder being written is locked (`folder_lock`): a second greensim writing there at the same
  time stops with a message naming the holder; a killed run's temporary leftovers are removed
  by the next run (`output_folder`).

The bottom layer beside `sim.errors`: every layer that writes (experiments, analysis, report)
writes through here.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.errors import GreensimError


def error_number(exc: OSError) -> int | None:
    """The error's number; pyarrow's IO errors carry it only in their text."""
    if exc.errno is not None:
        return exc.errno
    found = re.search(r"[Ee]rrno (\d+)", str(exc))
    return int(found.group(1)) if found else None


@contextlib.contextmanager
def naming(path: Path) -> Iterator[None]:
    """An operating-system error while writing `path` (through a temporary name, or from a
    library that does not say which file) names `path` itself."""
    try:
        yield
    except OSError as exc:
        if exc.filename is not None and ".tmp-" not in Path(str(exc.filename)).name:
            raise
        raise OSError(error_number(exc), exc.strerror or str(exc), str(path)) from exc


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary name (removed if the write fails)."""
    tmp = path.parent / f".{path.name}.tmp-{os.getpid()}"
    try:
        with naming(path):
            tmp.write_bytes(data)
            os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def text_columns(schema: pa.Schema) -> list[str]:
    """Columns worth dictionary-encoding: text (a few distinct names repeated on every row).
    Numbers are stored plainly: trying a dictionary on them costs time and saves little here
    (measured on the villages table: half the write time, 8 % larger)."""
    return [f.name for f in schema
            if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]


def atomic_write_parquet(path: Path, frame: pd.DataFrame, *, dictionary: bool = True) -> None:
    """Write `frame` to `path` through a temporary name. With `dictionary=False` (the journal's
    part files, read back only by `assemble`) no column is dictionary-encoded, which halves
    the time to write a part of the villages table."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.tmp-{os.getpid()}"
    table = pa.Table.from_pandas(frame, preserve_index=False)
    try:
        with naming(path):
            pq.write_table(table, tmp,
                           use_dictionary=text_columns(table.schema) if dictionary else False)
            os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)



# ------------------------------------------------------------------------ folders greensim owns
MARKER = ".greensim"
"""The file that marks a folder as made by greensim; greensim writes only into such folders."""
LOCK = ".greensim.lock"
"""The lock file of a folder greensim is writing into: it exists while greensim writes there (a
POSIX lock on it, and who holds it), and is removed when the writer finishes."""
_LEFTOVER = re.compile(r"^\..+\.(tmp|old)-\d+$")
_HELD: dict[str, int] = {}  # folders this process holds the lock of -> nesting depth


class OutputError(GreensimError):
    """A place greensim would write to is not its own, or is in use (exit 2)."""


# the operating system's errors that the user can put right, and how to say them
_USER_ERRNOS = {
    errno.EACCES: "permission denied", errno.EPERM: "operation not permitted",
    errno.EROFS: "the file system is read-only", errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded", errno.ENOTDIR: "a file stands where a folder should be",
    errno.EISDIR: "a folder stands where a file should be",
    errno.EEXIST: "something of that name already exists", errno.ENOENT: "no such file or folder",
    errno.ENAMETOOLONG: "the name is too long", errno.ELOOP: "too many symbolic links",
    errno.EMFILE: "too many open files", errno.EFBIG: "the file is too large",
}


def os_error_message(exc: OSError) -> tuple[str, int]:
    """One line for an operating-system error, naming the path and the cause, and the exit
    code: 2 when the user can put it right (permissions, space, a file where a folder should
    be...), 1 when it is greensim's own failure."""
    code = error_number(exc)
    where = exc.filename if exc.filename is not None else None
    if where is not None and exc.filename2 is not None:
        where = f"{exc.filename} -> {exc.filename2}"
    cause = _USER_ERRNOS.get(code) if code is not None else None
    if cause is None:
        cause = exc.strerror or str(exc) or type(exc).__name__
    text = f"{where}: {cause}" if where is not None else cause
    return text, 2 if code in _USER_ERRNOS else 1


def is_greensim_folder(path: Path) -> bool:
    """True when `path` is a folder greensim made (it holds greensim's marker file)."""
    return (Path(path) / MARKER).is_file()


KINDS_SHARING = {"runs": {"runs", "compare"}, "compare": {"runs", "compare"},
                 "sweep": {"sweep"}, "scenario": set(), "figures": {"figures"},
                 "calibrate": {"calibrate"}}
"""Which kinds of folder a command of each kind may write into: `compare` writes its summary
beside the runs it made; a sweep's, a calibration's and a folder of exported figures are their
own;
a scenario folder is never an --out."""


def write_marker(folder: Path, kind: str, files: list[str] | None = None) -> None:
    """Mark `folder` as greensim's (`kind`: what it holds: 'runs', 'compare', 'sweep',
    'figures' or 'scenario'; `files`: for a scenario folder, the files greensim wrote in it)."""
    body: dict[str, object] = {
        "made_by": "greensim", "kind": kind,
        "note": "greensim replaces or deletes only what is in folders holding this file"}
    if files is not None:
        body["files"] = sorted(files)
    atomic_write_bytes(Path(folder) / MARKER, (json.dumps(body) + "\n").encode())


def read_marker(folder: Path) -> dict[str, object]:
    """The marker of a greensim folder ({} when unreadable)."""
    try:
        body = json.loads((Path(folder) / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return body if isinstance(body, dict) else {}


def claim_folder(path: Path, kind: str) -> Path:
    """Make `path` a folder greensim may write into: create it (and its marker), or accept it
    if it already is greensim's or is empty; refuse (OutputError) a file, or a folder of
    someone else's that holds anything."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise OutputError(f"{path}: is a file, not a folder; choose another output folder")
    if path.is_dir():
        if is_greensim_folder(path):
            found = str(read_marker(path).get("kind", "?"))
            if found not in KINDS_SHARING.get(kind, {kind}):
                raise OutputError(
                    f"{path}: greensim made this folder for a {found} output, not a {kind} "
                    f"one; choose another output folder so the two are not mixed")
            return path
        if any(path.iterdir()):
            raise OutputError(
                f"{path}: this folder was not made by greensim (it has no {MARKER} file) and "
                f"is not empty; greensim writes only into folders it made, so nothing of "
                f"yours is replaced: choose a new or empty folder")
    path.mkdir(parents=True, exist_ok=True)
    write_marker(path, kind)
    return path


def _holder(lock_path: Path) -> str:
    try:
        info = json.loads(lock_path.read_text(encoding="utf-8"))
        return (f"pid {info['pid']}, `{info['command']}`, since {info['since']}")
    except (OSError, ValueError, KeyError, TypeError):
        return "another process"


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold `folder`'s lock while writing into it; a second writer gets an OutputError naming
    the holder. The lock is a POSIX record lock (`fcntl.lockf`): the system releases it when
    its process ends, however it ends, and forked worker processes do not inherit it."""
    key = os.path.realpath(folder)
    if key in _HELD:  # already held by this process (a command that writes in two steps)
        _HELD[key] += 1
        try:
            yield
        finally:
            _HELD[key] -= 1
        return
    path = Path(folder) / LOCK
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EACCES, errno.EAGAIN):
                raise OutputError(f"{folder}: in use by another greensim ({_holder(path)}); "
                                  f"wait for it to finish, or choose another output "
                                  f"folder") from None
            raise
        try:  # the file may have been removed by a holder finishing meanwhile: lock anew
            if os.fstat(fd).st_ino == os.stat(path).st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(fd)
    try:
        info = {"pid": os.getpid(), "command": " ".join(["greensim", *sys.argv[1:]])[:300],
                "since": time.strftime("%Y-%m-%d %H:%M:%S")}
        os.ftruncate(fd, 0)
        os.write(fd, (json.dumps(info) + "\n").encode())
        _HELD[key] = 1
        try:
            yield
        finally:
            del _HELD[key]
            path.unlink(missing_ok=True)  # before the lock goes: no one waits on this file
    finally:
        os.close(fd)  # releases the lock


def remove_leftovers(folder: Path) -> list[Path]:
    """Remove what a killed greensim left in `folder` (call while holding its lock, so no
    living greensim is writing there): temporary files and folders named `.NAME.tmp-PID` or
    `.NAME.old-PID`; a folder only if it holds greensim's marker."""
    removed: list[Path] = []
    for entry in sorted(Path(folder).iterdir()):
        if not _LEFTOVER.match(entry.name):
            continue
        if entry.is_dir() and not entry.is_symlink():
            if is_greensim_folder(entry):
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry)
        else:
            entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed


@contextlib.contextmanager
def output_folder(path: Path, kind: str) -> Iterator[Path]:
    """Claim `path` (see `claim_folder`), hold its lock, and clear a killed run's leftovers."""
    folder = claim_folder(path, kind)
    with folder_lock(folder):
        remove_leftovers(folder)
        yield folder


def check_replaceable(folder: Path) -> None:
    """Raise OutputError unless `folder` is absent or a folder greensim made (checked before
    any work, so a clash is reported at once, not after the runs)."""
    folder = Path(folder)
    if folder.is_symlink() or (folder.exists() and not (folder.is_dir()
                                                        and is_greensim_folder(folder))):
        raise OutputError(f"{folder}: exists and was not made by greensim (no {MARKER} file "
                          f"in it); greensim will not replace it: move it away or choose "
                          f"another output folder")
    if folder.is_dir():
        marker = read_marker(folder)
        written = marker.get("files")
        if marker.get("kind") not in (None, "scenario"):
            raise OutputError(f"{folder}: greensim made this folder for a {marker.get('kind')} "
                              f"output, not a scenario's; move it away or choose another "
                              f"output folder")
        if isinstance(written, list):
            others = sorted(e.name for e in folder.iterdir()
                            if e.name not in {*map(str, written), MARKER})
            if others:
                shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more"
                                                 if len(others) > 5 else "")
                raise OutputError(f"{folder}: holds files greensim did not write ({shown}); "
                                  f"greensim replaces the folder whole, so it will not: move "
                                  f"them away first")


GENERATOR = '<meta name="generator" content="greensim">'
"""In the head of every HTML page greensim writes: how it knows a page is its own."""


def write_page(path: Path, text: str) -> Path:
    """Write an HTML page (holding `GENERATOR`) atomically; an existing file is replaced only
    if it is a page greensim wrote (OutputError otherwise: a user's file is never lost)."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give the HTML file to write")
    if path.exists():
        with open(path, "rb") as fh:
            head = fh.read(4096)
        if GENERATOR.encode() not in head:
            raise OutputError(f"{path}: exists and is not a page greensim wrote; greensim will "
                              f"not overwrite it: move it away or choose another file")
    if GENERATOR not in text[:4096]:
        raise ValueError("a page greensim writes carries its generator tag in its head")
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, text.encode("utf-8"))
    return path


def replace_folder(tmp: Path, folder: Path) -> None:
    """Rename the finished folder `tmp` to `folder`, replacing an older one only if greensim
    made it (OutputError otherwise: a folder of the user's is never replaced)."""
    check_replaceable(folder)
    old = None
    if folder.exists():
        old = folder.parent / f".{folder.name}.old-{os.getpid()}"
        os.replace(folder, old)
    os.replace(tmp, folder)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


__all__ = ["GENERATOR", "KINDS_SHARING", "LOCK", "MARKER", "OutputError", "atomic_write_bytes",
           "atomic_write_parquet", "check_replaceable", "claim_folder", "folder_lock",
           "is_greensim_folder", "os_error_message", "output_folder", "read_marker",
           "remove_leftovers", "replace_folder", "text_columns", "write_marker", "write_page"]
