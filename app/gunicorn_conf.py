"""Gunicorn settings for GradWork: `gunicorn --config python:app.gunicorn_conf --bind ...`.

docker-compose.yml's `app` command uses this file; the README's deployment section says how
the numbers were chosen (measured with `python -m bench.load_bench` on two cores). Override
any of them with gunicorn's own GUNICORN_CMD_ARGS, e.g. GUNICORN_CMD_ARGS="--workers 3".

Nothing here imports the application: this module is loaded by the master, which stays small.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import signal

# Measured on two cores (bench.load_bench; README "Deploying with docker-compose"): several web
# processes keep both cores busy while another process's threads wait on the GIL,
# PostgreSQL or a checker worker; four give that without the GIL contention of more threads
# per process. Two main-lane checker workers per process (GRADWORK_CHECK_WORKERS in
# docker-compose.yml), so that one answer using up its main-lane budget does not hold up the
# others of its process.
workers = 4
worker_class = "gthread"
threads = 4
# A process accepts a connection only when one of its threads is free. The others wait in
# the listening socket's queue, which the processes share and serve first come, first
# served, rather than in the queue of whichever process accepted them: there a process that
# had accepted more than its share (at 32 clients 8 to 12 each, unevenly) split its GIL among
# them all, and each answer took as long as its share made it. Measured at 32 clients on two
# cores, at the same CPU per answer: p99 2.8-2.9 times the p50 with 8 threads and connections
# unbounded, 1.6-2.0 times with 4 and 4. A heavy answer answered at a pace
# (GRADWORK_HEAVY_ANSWER_SECONDS) holds its thread meanwhile; with eight clients sending them
# beside eight honest ones, the honest p99 rose 1.2 times (1.4-1.8 times with 8 threads).
# (Overriding `--threads` alone leaves this at 4: give `--worker-connections` the same number.)
worker_connections = threads
# No keep-alive: a kept-alive connection stays with the process that accepted it, and
# clients connecting together land unevenly (measured at 32 clients: 24 connections on one
# process of eight threads, 8 on another, none on two, the 24 waiting ten times longer).
# A connection per request goes to whichever process accepts first, and a busy one (its
# acceptor waiting for the GIL) rarely does: at 32 clients the p99 fell by a quarter and CPU
# per answer stayed the same. The proxy opens a connection per request too (loopback or the
# compose network: a fraction of a millisecond). A side effect for clients connecting to
# gunicorn directly: a connection that sends nothing for 5 s is closed (gunicorn parks a
# silent connection for `keepalive` more seconds); nginx connects only with a request ready.
keepalive = 0
# A request stuck longer than this is killed with its worker (a check has its own limits).
timeout = 60
graceful_timeout = 10
# Heartbeat files on tmpfs: a container's overlay /tmp can stall them under disk load.
SHM = "/dev/shm"  # noqa: S108 - gunicorn's own recommendation; files are per worker
worker_tmp_dir = SHM if os.path.isdir(SHM) else None
# Several instances may run on one host (and one is restarted while the killed one's files
# linger): none of them needs gunicorn's control socket.
control_socket_disable = True
accesslog = None
errorlog = "-"

PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent dies (Linux)."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")


def post_fork(server, worker) -> None:
    """A worker dies with the master: after a `kill -9` of the master no orphan keeps the
    listening socket (gunicorn's own check only notices after finishing its requests, up to
    the graceful timeout), so the service restarts at once on the same port."""
    try:
        _die_with_parent()
    except (OSError, AttributeError) as exc:  # not Linux: gunicorn's own check remains
        server.log.warning("workers will not die with the master: %s", exc)
        return
    if os.getppid() != server.pid:
        # The master died between the fork and the prctl call.
        os._exit(1)


def post_worker_init(worker) -> None:
    """The application is loaded: its objects (the bank, templates, sympy's and Jinja's
    machinery, a couple of hundred thousand) live as long as the worker, so the collector
    stops scanning them. Otherwise every full collection walks them all, ~100 ms with the
    GIL held during which none of the worker's threads answers: the slowest responses under
    load were those pauses."""
    gc.collect()
    gc.freeze()
