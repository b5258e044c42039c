"""The worker process's side of the pool: set the memory cap, then run tasks one at a time.

It speaks to its parent over one pipe: ``ready`` once started, then for each task
``started`` (so the parent's clock counts the task, not loading its module) and ``ok``,
``error`` or ``memory``; ``ok_last`` is a result after which the worker exits (a CPU budget
stopped part of the task: `app.cas.budget`).
"""

from __future__ import annotations

import gc
import os
import pickle
import resource
import signal
import sys
import traceback
from collections.abc import Callable

from app.cas.budget import take_stopped
from app.checker import memo

MiB = 1024 * 1024
# An answer of 2,000 characters can be a chain 1,000 levels deep (x/x/x/…, ---x), and the
# engine walks such trees recursively (sympy's traversals, the printers), a few frames a
# level. The answer's length bounds the depth, and about 10,000 levels of recursion fit in a
# worker's 8 MB stack even where it goes through C (generators, hashing).
RECURSION_LIMIT = 12_000


class RemoteError(Exception):
    """Stands in for an exception raised in a worker that could not be sent back as itself."""


def _set_memory_cap(memory_mb: int) -> None:
    limit = memory_mb * MiB
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _portable_exception(exc: BaseException) -> BaseException:
    """The exception itself if it survives pickling, else a `RemoteError` describing it."""
    try:
        pickle.loads(pickle.dumps(exc))  # noqa: S301 - round-trips our own object
    except Exception:
        return RemoteError(f"{type(exc).__name__}: {exc}")
    return exc


def worker_main(conn, memory_mb: int, initializer: Callable[[], None] | None,
                niceness: int = 0) -> None:
    # The parent handles Ctrl-C and tells workers to stop; a worker dying on SIGINT mid-task
    # would only turn into a confusing crash report.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A worker is already one unit of parallelism; a BLAS thread pool (numpy, for plots) would
    # only multiply its address space, which RLIMIT_AS counts stack by stack.
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    sys.setrecursionlimit(max(sys.getrecursionlimit(), RECURSION_LIMIT))
    try:
        if niceness:
            os.nice(niceness)
        _set_memory_cap(memory_mb)
        if initializer is not None:
            initializer()
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it
        conn.send(("init_error", f"{type(exc).__name__}: {exc}"))
        return
    # Repeated answers are answered from what this worker already found (app.checker.memo).
    memo.GRADES.enable()
    # What the warm-up added to the fork server's (already frozen: app.checker.boot) lives as
    # long as the worker: a full collection would walk it in the middle of someone's check.
    gc.collect()
    gc.freeze()
    conn.send(("ready", os.getpid()))
    while True:
        try:
            message = conn.recv_bytes()
        except (EOFError, OSError):
            return
        # Unpickling imports the task's module on a worker's first task: that is loading, not
        # running, so the parent starts the task's clock only on "started".
        try:
            task = pickle.loads(message)  # noqa: S301 - written by our parent process
        except BaseException as exc:  # noqa: BLE001 - reported to the caller
            conn.send(("error", (_portable_exception(exc), traceback.format_exc())))
            continue
        if task is None:
            return
        fn, args, kwargs = task
        conn.send(("started", None))
        try:
            result = fn(*args, **kwargs)
        except MemoryError:
            # The interpreter survived, but whatever sympy cached half-way is suspect: report
            # and exit so the parent starts a clean worker.
            conn.send(("memory", None))
            return
        except BaseException as exc:  # noqa: BLE001 - the caller decides what it means
            conn.send(("error", (_portable_exception(exc), traceback.format_exc())))
            continue
        # Work stopped by a budget may have skipped a library's clean-up (a precision to
        # restore): this worker answers, then leaves, and the parent starts a fresh one.
        retiring = take_stopped()
        try:
            conn.send(("ok_last" if retiring else "ok", result))
            if retiring:
                return
        except MemoryError:
            conn.send(("memory", None))
            return
        except Exception as exc:  # an unpicklable result is a programming error
            conn.send(("error", (RemoteError(f"cannot send the result back: {exc}"), "")))
