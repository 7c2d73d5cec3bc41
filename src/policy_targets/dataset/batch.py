"""Batch extraction over files and folders: ordered, parallel, atomic, and honest about
failures.

Documents are processed in path order and written in that order whatever the number of
workers, so output bytes do not depend on ``--workers``. Each failing file becomes an error
record (path, kind, message); the batch goes on. Files are written to a temporary name and
renamed, so an interrupted run never leaves a half-written file in place of a good one.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import IO, Any

import orjson

from ..structure.documents import doc_id_for, load_document
from ..errors import InputError
from ..formats import SUPPORTED_SUFFIXES
from ..text.reading import DEFAULT_MAX_BYTES

#: Inside folders, every format a reader exists for (``--glob`` narrows it).
DEFAULT_PATTERN: tuple[str, ...] = tuple(f"*{suffix}" for suffix in SUPPORTED_SUFFIXES)
Patterns = str | tuple[str, ...]


@dataclass
class BatchResult:
    records: int = 0
    documents: int = 0
    errors: list[InputError] = field(default_factory=list)


def collect_inputs(paths: Iterable[str | Path], pattern: Patterns = DEFAULT_PATTERN) -> tuple[list[Path], list[InputError]]:
    """Files named directly, and files matching ``pattern`` below folders (recursively,
    following symlinked folders once), in path order. Loops and dangling links are errors."""
    files: list[Path] = []
    errors: list[InputError] = []
    for raw in paths:
        p = Path(raw)
        if p.is_symlink() and not _resolvable(p):
            errors.append(InputError(str(p), "io", _link_problem(p)))
        elif p.is_dir():
            _walk(p, pattern, files, errors, {_key(p)})
        elif p.exists():
            files.append(p)
        else:
            errors.append(InputError(str(p), "not_found", "no such file or folder"))
    seen: set[Path] = set()
    unique = []
    for f in sorted(files, key=lambda x: str(x)):
        if f not in seen:
            seen.add(f)
            unique.append(f)
    return unique, errors


def _key(p: Path) -> tuple[int, int]:
    st = p.stat()
    return st.st_dev, st.st_ino


def _resolvable(p: Path) -> bool:
    try:
        p.stat()
        return True
    except OSError:
        return False


def _link_problem(p: Path) -> str:
    try:
        p.stat()
    except OSError as exc:
        if exc.errno == 40:  # ELOOP
            return "symlink loop"
        return f"broken symlink ({exc.strerror})"
    return "unreadable"


def _matches(path: Path, pattern: Patterns) -> bool:
    """Case-insensitive, as extensions are: sites serve ``NOTICE.PDF`` and ``附件1.DOC``."""
    lowered = PurePath(str(path).lower())
    return any(lowered.match(p.lower()) for p in ((pattern,) if isinstance(pattern, str) else pattern))


def _walk(folder: Path, pattern: Patterns, files: list[Path], errors: list[InputError], ancestors: set) -> None:
    try:
        entries = sorted(folder.iterdir(), key=lambda x: x.name)
    except OSError as exc:
        errors.append(InputError(str(folder), "io", f"cannot list folder ({exc.strerror})"))
        return
    for entry in entries:
        if entry.is_symlink() and not _resolvable(entry):
            if _matches(entry, pattern):
                errors.append(InputError(str(entry), "io", _link_problem(entry)))
            continue
        if entry.is_dir():
            key = _key(entry)
            if key in ancestors:
                errors.append(InputError(str(entry), "io", "symlink loop (folder links back to an ancestor)"))
                continue
            _walk(entry, pattern, files, errors, ancestors | {key})
        elif _matches(entry, pattern):
            files.append(entry)


def document_ids(files: list[Path]) -> tuple[dict[Path, str], list[InputError]]:
    """The doc_id of each file: its name without extension. One plan in several formats
    (``plan.txt``, ``plan.pdf``) is several documents, each named with its extension
    (``plan.txt``, ``plan.pdf``) so that none depends on which others are present. The same
    name and extension again (another folder) is an error, never a silent overwrite."""
    by_stem: dict[str, list[Path]] = {}
    for f in files:
        by_stem.setdefault(doc_id_for(f), []).append(f)
    ids: dict[Path, str] = {}
    errors: list[InputError] = []
    for stem, group in by_stem.items():
        one_format = len({g.suffix.lower() for g in group}) == 1
        taken: dict[str, Path] = {}
        for f in group:
            d = stem if one_format else f"{stem}{f.suffix.lower()}"
            if d in taken:
                errors.append(InputError(str(f), "duplicate_doc_id", f"doc_id {d!r} already taken by {taken[d]}"))
            else:
                taken[d] = f
                ids[f] = d
    return {f: ids[f] for f in files if f in ids}, errors


def records_of(document) -> list[dict[str, Any]]:
    from ..api import extract_document

    return extract_document(document)


def _run_job(args: tuple[str, int | None, Callable[[Any], Any], str | None]) -> tuple[str, Any, dict[str, str] | None]:
    """Worker body: read and prepare one plan, then apply ``work`` to it. Everything the work
    needs (the spaCy pipeline, jieba) is built in the worker; only results cross back."""
    path, max_bytes, work, doc_id = args
    try:
        return path, work(load_document(path, max_bytes, doc_id)), None
    except InputError as exc:
        return path, None, exc.as_record()
    except Exception as exc:  # a bug must not stop the batch; report it with the file name
        return path, None, {"path": path, "kind": "internal", "message": f"{type(exc).__name__}: {exc}"}


def _warm_up() -> None:
    from ..extraction.pipeline import build_nlp

    build_nlp()


def iter_results(
    files: list[Path],
    workers: int = 1,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    start_method: str | None = None,
    work: Callable[[Any], Any] = records_of,
    doc_ids: dict[Path, str] | None = None,
) -> Iterator[tuple[str, Any, dict[str, str] | None]]:
    """(path, result or None, error or None) per file, in the order of ``files``; the result
    is ``work(document)``, by default the document's target records. ``work`` must be a
    module-level function so that it reaches spawned workers. ``doc_ids`` (from
    :func:`document_ids`) overrides the default id of the file's name."""
    jobs = [(str(f), max_bytes, work, (doc_ids or {}).get(f)) for f in files]
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield _run_job(job)
        return
    ctx = multiprocessing.get_context(start_method) if start_method else None
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_warm_up) as pool:
        yield from pool.map(_run_job, jobs, chunksize=max(1, min(16, len(jobs) // (workers * 4) or 1)))


@contextlib.contextmanager
def atomic_writer(path: str | Path) -> Iterator[IO[bytes]]:
    """Write to a temporary file beside ``path`` and rename it into place on success only."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a dataset file is for everyone
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def dumps_line(obj: Any) -> bytes:
    return orjson.dumps(obj) + b"\n"


def run_batch(
    paths: Iterable[str | Path],
    out: str | Path | None = None,
    errors_file: str | Path | None = None,
    workers: int = 1,
    pattern: Patterns = DEFAULT_PATTERN,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    progress: bool | None = None,
    start_method: str | None = None,
    stderr: IO[str] | None = None,
) -> BatchResult:
    """Extract every input; write JSONL records to ``out`` (stdout when None)."""
    stderr = stderr or sys.stderr
    files, errors = collect_inputs(paths, pattern)
    ids, dup_errors = document_ids(files)
    files = list(ids)
    result = BatchResult(errors=errors + dup_errors)
    for e in result.errors:
        print(str(e), file=stderr)
    show = stderr.isatty() if progress is None else progress
    bar = None
    if show and files:
        from tqdm import tqdm

        bar = tqdm(total=len(files), unit="doc", file=stderr, leave=False)

    def consume(fh: IO[bytes]) -> None:
        for _path, records, error in iter_results(files, workers, max_bytes, start_method, doc_ids=ids):
            if error is not None:
                exc = InputError(error["path"], error["kind"], error["message"])
                result.errors.append(exc)
                print(str(exc), file=stderr)
            else:
                result.documents += 1
                for r in records:
                    fh.write(dumps_line(r))
                result.records += len(records)
            if bar is not None:
                bar.update(1)

    try:
        if out is None:
            consume(sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            with atomic_writer(out) as fh:
                consume(fh)
    finally:
        if bar is not None:
            bar.close()
    if errors_file is not None:
        with atomic_writer(errors_file) as fh:
            for e in result.errors:
                fh.write(dumps_line(e.as_record()))
    return result
