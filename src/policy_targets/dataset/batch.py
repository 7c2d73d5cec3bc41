"""Batch extraction over files and folders: ordered, parallel, atomic, and honest about
failures.

Documents are processed in path order and written in that order whatever the number of
workers, so output bytes do not depend on ``--workers``. Each failing file becomes an error
record (path, kind, message); the batch goes on. Files are written to a temporary name and
renamed, so an interrupted run never leaves a half-written file in place of a good one.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import IO, TYPE_CHECKING, Any

import orjson

from ..errors import InputError
from ..formats import SUPPORTED_SUFFIXES
from ..structure.documents import load_document
from ..text.reading import DEFAULT_MAX_BYTES
from .writing import STDOUT, NothingToWrite, atomic_writer, check_output

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

#: Inside folders, every format a reader exists for (``--glob`` narrows it).
DEFAULT_PATTERN: tuple[str, ...] = tuple(f"*{suffix}" for suffix in SUPPORTED_SUFFIXES)
Patterns = str | tuple[str, ...]
STDIN = "-"


@dataclass
class BatchResult:
    records: int = 0
    documents: int = 0
    errors: list[InputError] = field(default_factory=list)  # warnings too (InputError.warning)

    @property
    def failed(self) -> list[InputError]:
        return [e for e in self.errors if not e.warning]


@dataclass(frozen=True)
class Input:
    """A file to read and the id of its document: its path relative to the input root (the
    folder given, or the folder of a file given by name) without the extension, so that two
    ``plan.txt`` in different sub-folders are two documents, and the id does not change with
    the folder the command is run from."""

    path: Path
    doc_id: str
    label: str  # how messages name it ("<stdin>" for standard input)


def collect_inputs(paths: Iterable[str | Path], patterns: Patterns = DEFAULT_PATTERN) -> tuple[list[Input], list[InputError]]:
    """Files named directly, and files matching any of ``patterns`` below folders
    (recursively, following symlinked folders once), in path order. Loops, dangling links,
    missing paths and folders with no matching file are errors."""
    patterns = (patterns,) if isinstance(patterns, str) else tuple(patterns)
    found: list[tuple[Path, Path]] = []  # (file, root)
    errors: list[InputError] = []
    for raw in paths:
        p = Path(raw)
        if str(raw) == STDIN:
            found.append((p, p))
        elif p.is_symlink() and not _resolvable(p):
            errors.append(InputError(str(p), "io", _link_problem(p)))
        elif p.is_dir():
            files: list[Path] = []
            _walk(p, patterns, files, errors, {_key(p)})
            if not files:
                errors.append(InputError(str(p), "no_files", f"no {', '.join(patterns)} files under {p}/; use --glob"))
            found.extend((f, p) for f in files)
        elif p.exists():
            found.append((p, p.parent))
        else:
            errors.append(InputError(str(p), "not_found", "no such file or folder"))
    seen: set[Path] = set()
    inputs = []
    for f, root in sorted(found, key=lambda x: str(x[0])):
        if f not in seen:
            seen.add(f)
            inputs.append(Input(f, _doc_id(f, root), "<stdin>" if str(f) == STDIN else str(f)))
    return _unique_ids(inputs), errors


def _doc_id(path: Path, root: Path) -> str:
    if str(path) == STDIN:
        return "stdin"
    try:
        rel = path.relative_to(root)
    except ValueError:
        rel = Path(path.name)
    return rel.with_suffix("").as_posix()


def _unique_ids(inputs: list[Input]) -> list[Input]:
    """Ids that would be shared are made distinct, each only as far as needed and from the
    files alone: one plan in several formats (``plan.txt``, ``plan.pdf``) keeps its extension
    (``plan.txt``, ``plan.pdf``); the same relative path under two input folders
    (``extract a/ b/``) is named by its folders (``a/plan``, ``b/plan``)."""
    groups: dict[str, list[Input]] = {}
    for i in inputs:
        groups.setdefault(i.doc_id, []).append(i)
    renamed: dict[Path, str] = {}
    for doc_id, group in groups.items():
        if len(group) == 1:
            continue
        formats = len({i.path.suffix.lower() for i in group}) > 1
        first = {i.path: f"{doc_id}{i.path.suffix.lower()}" if formats else doc_id for i in group}
        for i in group:
            same = [j for j in group if first[j.path] == first[i.path]]
            if len(same) == 1:
                renamed[i.path] = first[i.path]
                continue
            common = os.path.commonpath([str(j.path.absolute().parent) for j in same])
            rel = Path(os.path.relpath(i.path.absolute(), common))
            renamed[i.path] = rel.as_posix() if formats else rel.with_suffix("").as_posix()
    return [Input(i.path, renamed.get(i.path, i.doc_id), i.label) for i in inputs]


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


def _matches(path: Path, patterns: tuple[str, ...]) -> bool:
    """Case-insensitive, as extensions are: sites serve ``NOTICE.PDF`` and ``附件1.DOC``."""
    lowered = PurePath(str(path).lower())
    return any(lowered.match(p.lower()) for p in patterns)


def _walk(folder: Path, patterns: tuple[str, ...], files: list[Path], errors: list[InputError], ancestors: set) -> None:
    try:
        entries = sorted(folder.iterdir(), key=lambda x: x.name)
    except OSError as exc:
        errors.append(InputError(str(folder), "io", f"cannot list folder ({exc.strerror})"))
        return
    for entry in entries:
        matches = _matches(entry, patterns)
        if entry.is_symlink() and not _resolvable(entry):
            if matches:
                errors.append(InputError(str(entry), "io", _link_problem(entry)))
            continue
        if entry.is_dir():
            key = _key(entry)
            if key in ancestors:
                errors.append(InputError(str(entry), "io", "symlink loop (folder links back to an ancestor)"))
                continue
            _walk(entry, patterns, files, errors, ancestors | {key})
        elif matches:
            files.append(entry)


def records_of(document) -> list[dict[str, Any]]:
    from ..api import extract_document

    return extract_document(document)


def record_lines(document) -> tuple[int, bytes]:
    """The number of target records of a document and their JSONL lines, written in the
    worker: bytes cross back to the parent cheaper than records, and the parent, which shares
    the cores with the workers, only writes them."""
    records = records_of(document)
    return len(records), b"".join(dumps_line(r) for r in records)


Job = tuple[str, str, str, "int | None", Callable[[Any], Any]]


def _run_job(job: Job) -> tuple[str, Any, dict[str, str] | None]:
    """Worker body: read and prepare one plan, then apply ``work`` to it. Everything the work
    needs (the spaCy pipeline, jieba) is built in the worker; only results cross back. A plan
    read with a warning (a repaired mojibake) comes back with its result and the warning."""
    path, doc_id, name, max_bytes, work = job
    try:
        document = load_document(path, max_bytes, doc_id=doc_id, source_file=name)
        return name, work(document), reading_warning(name, document.warnings)
    except InputError as exc:
        exc.path = name
        return name, None, exc.as_record()
    except Exception as exc:  # a bug must not stop the batch; report it with the file name
        return name, None, {"path": name, "kind": "internal", "message": f"internal error ({type(exc).__name__}: {exc}); please report it"}


def reading_warning(name: str, warnings: tuple[InputError, ...]) -> dict[str, str] | None:
    """The warnings of a file that was read (``incomplete_text``, ``mojibake``), as one error
    record with the level ``warning`` and the first one's kind; None when the reader had
    nothing to say."""
    if not warnings:
        return None
    return InputError(name, warnings[0].kind, "; ".join(w.message for w in warnings), warning=True).as_record()


def _worker_start() -> None:
    """Worker initializer: Ctrl-C is the parent's to handle. The terminal sends SIGINT to the
    whole process group; a worker that died of it half-way through its start-up or a job
    left the pool broken and the parent waiting (or printing the workers' tracebacks). The
    signal is blocked from before the worker was made (:func:`_sigint_blocked`), so one
    that arrived meanwhile is dropped here, then the rulebooks are read once per worker
    (the records path needs no spaCy; a forked worker has them from the parent already)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    from ..extraction.lexicon import lexicon

    lexicon()


@contextlib.contextmanager
def _sigint_blocked() -> Iterator[None]:
    """SIGINT held back in the parent while it starts workers (which inherit the blocked
    signal and then ignore it); delivered to the parent when the block ends."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


#: Seconds between two looks at whether Ctrl-C was pressed while the parent waits for a result.
_CTRL_C_POLL = 0.1


@contextlib.contextmanager
def _ctrl_c_noted() -> Iterator[list[int]]:
    """While the parent waits on its pool (a result, the pool's closing), Ctrl-C noted by a
    handler that raises nothing, for the caller to raise as ``KeyboardInterrupt`` once the
    wait is left (:func:`_result_of`). Raised by Python's own handler, it lands wherever the
    parent is: in a future's lock that the pool's manager thread is taking at that moment, it
    left the lock to be released twice ("cannot release un-acquired lock" instead of
    "interrupted", seen now and then under load). Only around the waits: the parent's own
    work between them (writing the records, perhaps to a pipe nobody reads) stays
    interruptible as before. Left as it is where Ctrl-C is not Python's default (ignored, or
    handled by the caller) and outside the main thread, where no handler can be set."""
    noted: list[int] = []
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield noted
        return
    signal.signal(signal.SIGINT, lambda signum, frame: noted.append(signum))
    try:
        yield noted
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def _result_of(future: Any) -> Any:
    """The future's result, waited for in short spells (:func:`_ctrl_c_noted`);
    ``KeyboardInterrupt`` when Ctrl-C came meanwhile, also as the result arrived."""
    result, done = None, False
    with _ctrl_c_noted() as noted:
        while not (done or noted):
            try:
                result, done = future.result(timeout=_CTRL_C_POLL), True
            except TimeoutError:
                pass
    if noted:
        raise KeyboardInterrupt
    return result


def _stop(pool: ProcessPoolExecutor) -> None:
    """Shut the pool down now: cancel what has not started and end the workers, which
    ignore SIGINT and would otherwise finish their jobs (minutes for a long PDF) first. Then
    wait for the pool's manager thread, which closes its wake-up pipe on seeing the workers
    gone: Python 3.11 wakes it at exit, and when the two happen together the wake-up writes to
    the closed pipe and prints a traceback after "interrupted".

    A worker ended while it was writing a result leaves part of a message in the result pipe,
    and the manager thread waits for the rest for ever — so did Python's exit, which joins it
    (the process hung after "interrupted", now and then, on a loaded machine). With every
    worker gone, the parent holds the pipe's last open write end: closing it lets the reading
    end see the end of the pipe, and the manager thread end."""
    workers = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    results = getattr(pool, "_result_queue", None)  # shutdown() forgets it
    pool.shutdown(wait=False, cancel_futures=True)
    for w in workers:
        w.terminate()
    for w in workers:
        w.join(5)
    writer = getattr(results, "_writer", None)
    if writer is not None and not any(w.is_alive() for w in workers):
        writer.close()
    if manager is not None:
        manager.join(5)


#: A short plan of made-up sentences that passes through every stage a plan needs: reading it
#: loads the rulebooks, the catalogue, the gazetteer and jieba's tokenizer and compiles their
#: patterns (see :func:`warm_up`).
WARM_UP_PLAN = (
    "某县节能降碳实施方案\n"
    "一、主要目标\n"
    "到2030年,单位地区生产总值能耗比2025年下降14.2%,光伏和风电装机容量分别达到27万千瓦和16万千瓦。\n"
)


def warm_up() -> None:
    """Load once, in the parent, what every plan needs, before the workers are forked: they
    inherit it (shared copy-on-write) instead of each paying the fixed cost again."""
    from ..api import extract_document
    from ..structure.documents import prepare

    extract_document(prepare(WARM_UP_PLAN, "warm-up"))


def start_method_for(requested: str | None) -> str | None:
    """The start method of the worker processes: the one asked for, else ``fork`` on Linux
    (workers inherit the warm parent), else the platform's default (``spawn`` on macOS and
    Windows, where forking a process is unsafe or impossible)."""
    import multiprocessing  # like the pool, only imported by a batch with workers

    if requested is not None:
        return requested
    return "fork" if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods() else None


def chunks(jobs: list[Job], workers: int) -> list[list[Job]]:
    """The jobs in order, cut into the pieces sent to a worker at a time: a few plans each,
    to spare the queue a round trip per plan, and the last ``4 × workers`` plans one by one,
    so that the workers end together (a worker's last piece is its last stretch alone)."""
    size = max(1, min(4, len(jobs) // (workers * 8)))
    head = max(0, len(jobs) - 4 * workers)
    return [jobs[i : min(i + size, head)] for i in range(0, head, size)] + [[job] for job in jobs[head:]]


def _run_chunk(chunk: list[Job]) -> list[tuple[str, Any, dict[str, str] | None]]:
    return [_run_job(job) for job in chunk]


def _pooled(jobs: list[Job], workers: int, start_method: str | None) -> Iterator[tuple[str, Any, dict[str, str] | None]]:
    """Results of ``jobs`` in order from a pool of worker processes; on Ctrl-C (or when the
    caller stops reading) the pool is shut down at once, not after the jobs left. Forked
    workers start from a parent that has read a plan (:func:`warm_up`).

    The pieces are submitted one by one and their futures read in order, not by ``pool.map``:
    a Ctrl-C that arrives while ``map``'s iterator waits makes it cancel every future left,
    from this thread. The pool's manager thread, if it was waiting for a result cut short
    (:func:`_stop`), then marks them all broken, fails on the cancelled ones
    (``InvalidStateError``) and prints a traceback after "interrupted". Left pending, they are
    cancelled by the manager itself (``shutdown(cancel_futures=True)``) or marked broken."""
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    method = start_method_for(start_method)
    if method == "fork":
        warm_up()
    ctx = multiprocessing.get_context(method) if method else None
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_start)
    try:
        with _sigint_blocked():  # submitting starts the workers
            pending = deque(pool.submit(_run_chunk, piece) for piece in chunks(jobs, workers))
        while pending:
            yield from _result_of(pending.popleft())  # a piece's results, then forgotten
        with _ctrl_c_noted() as noted:
            pool.shutdown(wait=True)
        if noted:
            raise KeyboardInterrupt
    except BaseException:
        _stop(pool)
        raise


def iter_results(
    inputs: list[Input],
    workers: int = 1,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    start_method: str | None = None,
    work: Callable[[Any], Any] = records_of,
    doc_ids: dict[Path, str] | None = None,
    scheduler: str | None = None,
) -> Iterator[tuple[str, Any, dict[str, str] | None]]:
    """(name, result or None, error or None) per input, in the order of ``inputs``; the
    result is ``work(document)``, by default the document's target records. A file that was
    read with a warning (a PDF page whose characters did not all reach the text, a repaired
    mojibake) has both a result and an error (its ``level`` is ``warning``). ``work`` must be
    a module-level function so that it reaches spawned workers. Standard input is read here,
    once, into a temporary file that workers can open. ``scheduler``: the address of a Dask
    scheduler to run the documents on as tasks instead (``cluster``)."""
    with contextlib.ExitStack() as stack:
        jobs = [(str(_stdin_file(stack, max_bytes)) if str(i.path) == STDIN else str(i.path), i.doc_id, i.label, max_bytes, work) for i in inputs]
        if scheduler is not None:
            from .cluster import run_on_cluster

            yield from run_on_cluster(jobs, scheduler, _run_job)
            return
        if workers <= 1 or len(jobs) <= 1:
            for job in jobs:
                yield _run_job(job)
            return
        yield from _pooled(jobs, workers, start_method)


def _stdin_file(stack: contextlib.ExitStack, max_bytes: int | None) -> Path:
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="policy-targets-stdin-")))
    data = sys.stdin.buffer.read() if max_bytes is None else sys.stdin.buffer.read(max_bytes + 1)
    (folder / "stdin.txt").write_bytes(data)
    return folder / "stdin.txt"


def progress_bar(total: int, stderr: IO[str], show: bool | None):
    """A tqdm bar on ``stderr`` when it is a terminal (or ``show`` says so), else None."""
    if not (stderr.isatty() if show is None else show) or not total:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", file=stderr, leave=False)


def dumps_line(obj: Any) -> bytes:
    return orjson.dumps(obj) + b"\n"


def write_errors(path: str | Path, errors: list[InputError]) -> None:
    with atomic_writer(path) as fh:
        for e in errors:
            fh.write(dumps_line(e.as_record()))


def run_batch(
    paths: Iterable[str | Path],
    out: str | Path | None = None,
    errors_file: str | Path | None = None,
    workers: int = 1,
    patterns: Patterns = DEFAULT_PATTERN,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    progress: bool | None = None,
    start_method: str | None = None,
    stderr: IO[str] | None = None,
    scheduler: str | None = None,
) -> BatchResult:
    """Extract every input; write JSONL records to ``out`` (stdout when None or ``-``).

    Output paths are checked before any work (:class:`UsageError`). When no document could
    be read, ``out`` is not touched: a mistyped input never empties yesterday's file."""
    stderr = stderr or sys.stderr
    out = STDOUT if out is None else out
    check_output(out, "output")
    if errors_file is not None:
        check_output(errors_file, "errors file")
    inputs, errors = collect_inputs(paths, patterns)
    result = BatchResult(errors=errors)
    for e in result.errors:
        print(str(e), file=stderr)
    bar = progress_bar(len(inputs), stderr, progress)
    try:
        batch = iter_results(inputs, workers, max_bytes, start_method, work=record_lines, scheduler=scheduler)
        with atomic_writer(out) as fh, contextlib.closing(batch) as results:
            for _name, lines, error in results:  # closing: Ctrl-C stops the workers at once
                if error is not None:
                    exc = InputError.from_record(error)
                    result.errors.append(exc)
                    print(str(exc), file=stderr)
                if lines is not None:
                    result.documents += 1
                    count, text = lines
                    fh.write(text)
                    result.records += count
                if bar is not None:
                    bar.update(1)
            if result.documents == 0:
                raise NothingToWrite
    finally:
        if bar is not None:
            bar.close()
    if errors_file is not None:
        write_errors(errors_file, result.errors)
    return result
