"""A batch on a Dask distributed cluster (``--dask-scheduler ADDRESS``): each document is a
task, results come back in path order, so the output is the same bytes as a local run.

Dask is an optional extra (``pip install policy-targets[dask]``): without it the option is a
usage error. The workers read the files by their paths, so they must see the same file system
as the client (a shared volume on a real cluster), and run the same version of this package.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from ..errors import UsageError

#: Tasks kept in flight per worker thread: enough to keep every thread busy while results are
#: taken in order, few enough that finished results do not pile up on the workers.
IN_FLIGHT_PER_THREAD = 4


def connect(address: str) -> Any:
    """A client of the scheduler at ``address``; a usage error when Dask is not installed or
    the scheduler cannot be reached."""
    try:
        from distributed import Client
        from distributed.comm.addressing import parse_address, parse_host_port
        from distributed.comm.registry import get_backend
    except ImportError:
        raise UsageError("--dask-scheduler needs Dask: pip install 'policy-targets[dask]'") from None
    try:  # checked before a client exists: a client that failed to start hangs on closing
        scheme, location = parse_address(address)
        get_backend(scheme)
        if scheme in ("tcp", "tls"):
            parse_host_port(location)
    except ValueError as exc:
        raise UsageError(f"--dask-scheduler {address}: not a scheduler address ({exc}); give tcp://HOST:PORT") from None
    try:
        return Client(address, set_as_default=False, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"--dask-scheduler {address}: cannot reach the scheduler ({exc})") from None


def run_on_cluster(jobs: list[Any], address: str, run_job: Callable[[Any], tuple[str, Any, Any]]) -> Iterator[tuple[str, Any, Any]]:
    """``run_job(job)`` for every job, as tasks on the cluster, yielded in the order of
    ``jobs``. A task that fails on the cluster (a worker lost) becomes the error record of its
    file, as a failure inside a local worker does; the batch goes on."""
    client = connect(address)
    try:
        window = max(1, IN_FLIGHT_PER_THREAD * sum(client.nthreads().values()))
        pending: deque[tuple[Any, Any]] = deque()
        queued = iter(jobs)
        for job in queued:
            pending.append((job, client.submit(run_job, job, pure=False)))
            if len(pending) >= window:
                break
        while pending:
            job, future = pending.popleft()
            yield _result(job, future)
            future.release()
            nxt = next(queued, None)
            if nxt is not None:
                pending.append((nxt, client.submit(run_job, nxt, pure=False)))
    finally:
        client.close()


def _result(job: Any, future: Any) -> tuple[str, Any, Any]:
    name = job[2]
    try:
        return future.result()
    except Exception as exc:  # the task never returned: its file is reported, not the batch stopped
        return name, None, {"path": name, "kind": "internal", "message": f"failed on the cluster ({type(exc).__name__}: {exc})"}
