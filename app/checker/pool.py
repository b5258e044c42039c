"""Pre-started worker processes that run engine code under a hard time and memory limit.

sympy can spend minutes (or all the machine's memory) on a short hostile expression, and
nothing inside one Python process can reliably stop it: SIGALRM only works on the main thread
and `concurrent.futures.ProcessPoolExecutor` cannot kill a running task. So each task runs in a
separate worker process that is SIGKILLed when it overruns and replaced by a fresh one.

Design choices:

* One pipe per worker and one caller per worker at a time. Killing a worker can then never
  leave a lock or a shared queue half-used, which is the classic way process pools wedge.
* The caller's own thread sends the task and waits on the pipe, so there is no manager
  thread to die. While it waits it reads the worker's CPU time: the time limit counts the
  task's own computing, never time spent waiting for a CPU on a loaded machine (or for a free
  worker), and a generous wall-clock backstop stops anything the CPU clock cannot see.
* Workers come from the ``forkserver`` start method: they are forked from a small clean server
  process that has already imported sympy and the engine, so a replacement is ready in
  milliseconds and inherits none of the web process's threads, sockets or database
  connections (plain ``fork`` from a threaded gunicorn worker can deadlock the child).
* The memory cap is ``RLIMIT_AS`` set in the worker itself before it runs anything.
* The time limit counts from the moment the worker starts the function: importing the task's
  module (on a worker's first task) is loading, with its own generous limit, so a fresh
  worker never makes a check time out.

The pool knows nothing of what its tasks do: `app.checker.client` decides what runs and
`app.checker.boot` what the fork server imports. A pool belongs to the process that made it
(a forked child gets `PoolClosed`). As with any non-fork multiprocessing start method, a
script that starts a pool must keep its top-level code under ``if __name__ == "__main__":``.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from app.checker.cputime import cpu_seconds
from app.checker.pool_errors import (
    CheckTimeout,
    PoolBusy,
    PoolClosed,
    PoolError,
    WorkerCrashed,
    WorkerMemoryError,
)
from app.checker.worker import worker_main

__all__ = ["CheckTimeout", "PoolBusy", "PoolClosed", "PoolError", "WorkerCrashed",
           "WorkerMemoryError", "WorkerPool"]

DEFAULT_TIMEOUT = 2.0
DEFAULT_WALL_TIMEOUT = 30.0
DEFAULT_MEMORY_MB = 1024
DEFAULT_QUEUE_TIMEOUT = 5.0
# How often a waiting caller looks at its worker's CPU clock.
CPU_POLL_SECONDS = 0.01
# A fresh worker needs at most this long to start and warm up; past it, something is broken
# (for instance the memory cap is lower than what the interpreter needs to import sympy).
STARTUP_TIMEOUT = 60.0


_process_start_lock = threading.Lock()


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Any
    # Which of the pool's places it holds: a replacement takes its predecessor's.
    slot: int = 0
    ready: bool = False
    dead: bool = False

    @classmethod
    def start(cls, context, memory_mb: int, initializer, niceness: int, slot: int) -> _Worker:
        parent_conn, child_conn = context.Pipe(duplex=True)
        process = context.Process(
            target=worker_main,
            args=(child_conn, memory_mb, initializer, niceness),
            name="gradwork-check-worker",
            daemon=True,
        )
        # multiprocessing's bookkeeping of children is not meant for concurrent starts.
        with _process_start_lock:
            process.start()
        child_conn.close()
        return cls(process=process, conn=parent_conn, slot=slot)

    def wait_ready(self) -> None:
        if self.ready:
            return
        if not self.conn.poll(STARTUP_TIMEOUT):
            self.kill()
            raise WorkerCrashed(None)
        try:
            kind, detail = self.conn.recv()
        except (EOFError, OSError):
            self.kill()
            raise WorkerCrashed(self.process.exitcode) from None
        if kind != "ready":
            self.kill()
            raise PoolError(f"a worker failed to start: {detail}")
        self.ready = True

    def call(self, fn, args, kwargs, cpu_limit: float, wall_limit: float, memory_mb: int):
        # Pickling happens before anything is written, so an unpicklable task leaves the worker
        # untouched and the error surfaces here in the caller.
        self.conn.send((fn, args, kwargs))
        kind, payload = self._receive(STARTUP_TIMEOUT)
        if kind == "started":
            kind, payload = self._await_result(cpu_limit, wall_limit)
        if kind == "ok":
            return payload
        if kind == "ok_last":
            self.kill()  # it is leaving: the pool replaces it on release
            return payload
        if kind == "memory":
            self.kill()
            raise WorkerMemoryError(memory_mb)
        exc, remote_tb = payload
        if remote_tb:
            exc.add_note("Traceback in the worker process:\n" + remote_tb)
        raise exc

    def _await_result(self, cpu_limit: float, wall_limit: float):
        """The task's answer, killing the worker once the task has used `cpu_limit` seconds
        of CPU (or `wall_limit` seconds have passed, whatever it used)."""
        started_cpu = cpu_seconds(self.process.pid)
        if started_cpu is None:  # no CPU clock here: the CPU limit becomes a wall-clock one
            return self._receive(min(cpu_limit, wall_limit), wall=cpu_limit >= wall_limit)
        deadline = time.monotonic() + wall_limit
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.kill()
                raise CheckTimeout(wall_limit, wall=True)
            used = (cpu_seconds(self.process.pid) or started_cpu) - started_cpu
            if used >= cpu_limit:
                self.kill()
                raise CheckTimeout(cpu_limit)
            # A task cannot use CPU faster than the clock runs, so until the budget could be
            # spent there is nothing to check; an answer ends the wait at once.
            if self.conn.poll(min(remaining, max(cpu_limit - used, CPU_POLL_SECONDS))):
                return self._receive(0)

    def _receive(self, timeout: float, *, wall: bool = True):
        if not self.conn.poll(timeout):
            self.kill()
            raise CheckTimeout(timeout, wall=wall)
        try:
            return self.conn.recv()
        except (EOFError, OSError):
            self.kill()
            raise WorkerCrashed(self.process.exitcode) from None

    def kill(self) -> None:
        self.dead = True
        with contextlib.suppress(Exception):
            self.process.kill()
        with contextlib.suppress(Exception):
            self.process.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()

    def stop(self) -> None:
        """Ask an idle worker to exit, and kill it if it does not."""
        with contextlib.suppress(Exception):
            self.conn.send(None)
        with contextlib.suppress(Exception):
            self.process.join(1)
        self.kill()


@dataclass(eq=False)
class WorkerPool:
    """A fixed number of worker processes; `run` executes one task in one of them.

    Thread-safe: any number of threads may call `run` at once; at most ``workers`` tasks run
    at a time and the others wait (up to ``queue_timeout`` seconds, and at most
    ``max_waiting`` of them) for a free worker.
    """

    workers: int = 2
    # CPU seconds a task may use, and the wall-clock backstop.
    timeout: float = DEFAULT_TIMEOUT
    wall_timeout: float = DEFAULT_WALL_TIMEOUT
    memory_mb: int = DEFAULT_MEMORY_MB
    queue_timeout: float = DEFAULT_QUEUE_TIMEOUT
    # Callers that may wait for a worker at once (None: any number); one more is busy at once.
    # A caller waits in a thread of the web server, which serves nobody while it waits.
    max_waiting: int | None = None
    # Workers of a lane for slow tasks run at a lower priority, so they yield the CPU.
    niceness: int = 0
    initializer: Callable[[], None] | None = None
    # Modules the fork server imports once, so that every worker forked from it starts warm.
    preload: Iterable[str] = ()
    restarts: int = field(default=0, init=False)

    def __post_init__(self):
        if self.workers < 1:
            raise ValueError("a pool needs at least one worker")
        if not self.timeout > 0 or not self.wall_timeout > 0:
            raise ValueError("the time limits must be positive")
        if self.memory_mb < 64:
            raise ValueError("a worker needs at least 64 MB to run Python at all")
        self.preload = tuple(self.preload)
        self._context = multiprocessing.get_context("forkserver")
        # Only takes effect if this is the first forkserver user in the process; otherwise the
        # initializer's imports do the warming instead.
        # "__main__" first, as multiprocessing does by default: the server then runs the main
        # script once instead of every worker re-running it.
        self._context.set_forkserver_preload(["__main__", *self.preload])
        self._cond = threading.Condition()
        self._idle: list[_Worker] = []
        # Slots whose worker died and could not be replaced yet; the next caller starts one.
        self._empty_slots: list[int] = []
        self._waiting = 0
        self._closed = False
        self._owner_pid = os.getpid()
        for slot in range(self.workers):
            self._idle.append(self._new_worker(slot))

    def _new_worker(self, slot: int) -> _Worker:
        return _Worker.start(self._context, self.memory_mb, self.initializer, self.niceness,
                             slot)

    def run(
        self,
        fn: Callable[..., Any],
        args: tuple = (),
        kwargs: dict | None = None,
        *,
        timeout: float | None = None,
        queue_bound: bool = True,
        affinity: Hashable | None = None,
    ) -> Any:
        """Run ``fn(*args, **kwargs)`` in a worker and return its result.

        ``fn`` must be a picklable top-level function and its arguments picklable. Raises
        `CheckTimeout` when it uses more than ``timeout`` seconds of CPU (default: the
        pool's) or runs into the wall-clock backstop, `PoolBusy` when no worker frees up in
        time (or at once, past ``max_waiting`` callers waiting, unless ``queue_bound`` is
        false), `WorkerMemoryError` when it exceeds the memory cap, `WorkerCrashed` if the
        worker dies; an exception raised by ``fn`` is re-raised here. In every case the pool
        stays usable.

        Tasks with equal ``affinity`` go to the same worker whenever it is idle (any idle one
        otherwise): what a worker keeps from one (a variant built, an answer graded) then
        serves the next.
        """
        return self.run_whole(fn, args, kwargs, timeout=timeout, queue_bound=queue_bound,
                              affinity=affinity)[0]

    def run_whole(self, fn: Callable[..., Any], args: tuple = (), kwargs: dict | None = None,
                  *, timeout: float | None = None, queue_bound: bool = True,
                  affinity: Hashable | None = None) -> tuple[Any, bool]:
        """As `run`, and whether the task's work was whole: false when a CPU budget stopped
        part of it and its worker retired after answering (app.checker.worker), so the result
        serves this call but must not be kept for later ones."""
        limit = self.timeout if timeout is None else float(timeout)
        if not limit > 0:
            raise ValueError("the time limit must be positive")
        worker = self._acquire(queue_bound, affinity)
        try:
            worker.wait_ready()
            result = worker.call(fn, args, kwargs or {}, limit, max(self.wall_timeout, limit),
                                 self.memory_mb)
            return result, not worker.dead
        finally:
            self._release(worker)

    def _acquire(self, queue_bound: bool = True, affinity: Hashable | None = None) -> _Worker:
        if os.getpid() != self._owner_pid:
            raise PoolClosed("this pool belongs to another process (it was inherited by fork)")
        deadline = time.monotonic() + self.queue_timeout
        with self._cond:
            if (queue_bound and not self._idle and not self._empty_slots
                    and self.max_waiting is not None and self._waiting >= self.max_waiting):
                raise PoolBusy(0)
            self._waiting += 1
            try:
                while not self._idle and not self._empty_slots:
                    if self._closed:
                        raise PoolClosed("the worker pool is closed")
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise PoolBusy(self.queue_timeout)
                    self._cond.wait(remaining)
            finally:
                self._waiting -= 1
            if self._closed:
                raise PoolClosed("the worker pool is closed")
            if self._idle:
                return self._take_idle(affinity)
            slot = self._empty_slots.pop()
        try:
            return self._new_worker(slot)
        except BaseException:
            with self._cond:
                self._empty_slots.append(slot)
                self._cond.notify()
            raise

    def _take_idle(self, affinity: Hashable | None) -> _Worker:
        if affinity is not None:
            wanted = hash(affinity) % self.workers
            for index, worker in enumerate(self._idle):
                if worker.slot == wanted:
                    return self._idle.pop(index)
        # The most recently used: its caches are the warmest.
        return self._idle.pop()

    def _release(self, worker: _Worker) -> None:
        replacement = None
        if worker.dead or not worker.process.is_alive():
            worker.kill()
            # Replace eagerly so the next caller does not pay for the start; if that fails the
            # slot stays empty and the next caller tries again.
            with contextlib.suppress(Exception):
                replacement = self._new_worker(worker.slot)
        with self._cond:
            if worker.dead:
                self.restarts += 1
                if replacement is None:
                    self._empty_slots.append(worker.slot)
                    self._cond.notify()
                    return
                worker = replacement
            if not self._closed:
                self._idle.append(worker)
                self._cond.notify()
                return
        worker.stop()

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def free(self) -> int:
        """Workers a task could take now (idle, or a slot waiting for a new one)."""
        with self._cond:
            return len(self._idle) + len(self._empty_slots)

    @property
    def waiting(self) -> int:
        """Callers waiting for a worker."""
        with self._cond:
            return self._waiting

    @property
    def usable_here(self) -> bool:
        """Open, and made by this process (a forked child must start its own)."""
        return not self._closed and os.getpid() == self._owner_pid

    def close(self) -> None:
        """Stop idle workers now; busy ones are stopped when their task ends."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            idle, self._idle = self._idle, []
            self._cond.notify_all()
        if os.getpid() != self._owner_pid:
            return
        for worker in idle:
            worker.stop()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
