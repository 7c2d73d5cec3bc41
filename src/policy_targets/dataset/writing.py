"""Writing outputs without losing what is already there.

A researcher's ``-o`` may name a good file from yesterday, a symlink into a shared folder,
``/dev/null``, a FIFO feeding another program, or a folder by mistake. The rules:

- the path is checked before any work (:func:`check_output`), so a long batch never ends in
  "cannot write" and throws its work away;
- a regular file (or a symlink to one) is replaced atomically: written beside its real path
  under a temporary name and renamed, so an interrupted run leaves the old file whole, and a
  symlink stays a symlink;
- a special file (device, FIFO, socket) is written through, never replaced by a regular file;
- ``-`` is standard output;
- a caller that finds nothing worth writing raises :class:`NothingToWrite` inside the block
  and the old file is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from ..errors import UsageError

STDOUT = "-"


class NothingToWrite(Exception):
    """Raised inside :func:`atomic_writer` to leave the target untouched."""


def check_output(path: str | Path, what: str = "output") -> None:
    """Refuse, before any work, an output path that cannot be written as a file."""
    if str(path) == STDOUT:
        return
    p = Path(path)
    if p.is_dir():
        raise UsageError(f"{p}: is a folder; give a file name for the {what}")
    if p.exists() and not _is_special(p) and not os.access(p.resolve().parent, os.W_OK | os.X_OK):
        raise UsageError(f"{p}: cannot replace it: the folder {p.resolve().parent} is not writable")
    if p.exists() and _is_special(p) and not os.access(p, os.W_OK):
        raise UsageError(f"{p}: permission denied")
    if not p.exists():
        _check_creatable(p.parent if p.parent != Path("") else Path("."), p)


def check_output_folder(path: str | Path, allowed: frozenset[str]) -> None:
    """A folder the dataset may replace as a whole: new, or holding only dataset files
    (``allowed``), so that ``--out ~`` never deletes a home directory."""
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise UsageError(f"{p}: is a file, not a folder; give a folder for the dataset")
    if p.is_dir():
        strangers = sorted(e.name for e in p.iterdir() if e.name not in allowed)
        if strangers:
            shown = ", ".join(strangers[:3]) + (" …" if len(strangers) > 3 else "")
            raise UsageError(f"{p}: holds files that are not part of a dataset ({shown}); give a new or empty folder")
    parent = p.resolve().parent
    _check_creatable(parent, p)


def _check_creatable(folder: Path, target: Path) -> None:
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise UsageError(f"{target}: {existing} is not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"{target}: cannot write into {existing}: permission denied")


def _is_special(p: Path) -> bool:
    try:
        mode = p.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


@contextlib.contextmanager
def atomic_writer(path: str | Path) -> Iterator[IO[bytes]]:
    """A binary file handle for ``path`` following the rules of this module."""
    if str(path) == STDOUT:
        try:
            yield sys.stdout.buffer
        except NothingToWrite:
            pass
        sys.stdout.buffer.flush()
        return
    target = Path(path)
    if _is_special(target):
        with _named_errors(target), contextlib.suppress(NothingToWrite), open(target, "wb") as fh:
            yield fh
        return
    real = target.resolve() if target.is_symlink() else target  # replace the file, keep the link
    real.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a dataset file is for everyone
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, real)
    except NothingToWrite:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise _naming(exc, target, tmp)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _naming(exc: OSError, target: Path, tmp: str | Path | None = None) -> OSError:
    """``exc`` as the user should read it: a failed write (a full disk, a quota, a file size
    limit) raises an OSError that names no file, or the hidden temporary one (``tmp``, a
    file or a folder); the message names the output the user gave instead."""
    name = exc.filename
    if name is not None and (tmp is None or not str(name).startswith(str(tmp))):
        return exc
    named = OSError(exc.errno, exc.strerror or str(exc), str(target))
    named.__cause__ = exc
    return named


@contextlib.contextmanager
def _named_errors(target: Path) -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        raise _naming(exc, target)


@contextlib.contextmanager
def folder_swap(path: str | Path, keep: frozenset[str] = frozenset()) -> Iterator[Path]:
    """A temporary folder beside ``path`` to build in; on success it takes the place of
    ``path`` (the old folder is removed only after the new one is in place), with the
    entries named in ``keep`` (what other commands write there) moved over from the old
    one. On failure, or :class:`NothingToWrite`, ``path`` is left exactly as it was."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    os.chmod(tmp, 0o777 & ~_umask())
    try:
        yield tmp
    except NothingToWrite:
        shutil.rmtree(tmp, ignore_errors=True)
        return
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise _naming(exc, target, tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    for name in sorted(keep):
        if (target / name).exists() and not (tmp / name).exists():
            os.replace(target / name, tmp / name)
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
        os.rmdir(old)
        os.replace(target, old)
    os.replace(tmp, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
