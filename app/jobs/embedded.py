"""The embedded worker: without Redis, a daemon thread of each app process runs jobs and
delivers scores, so `make run` alone completes every flow. Several app processes may each
run one; the row claims and leases keep them from doing anything twice.

Tests turn it off (`JOBS_EMBEDDED_THREAD=False`) and call `runner.sweep()` themselves.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask

from app.jobs import runner
from app.services.lti.delivery import lease_for

log = logging.getLogger(__name__)

POLL_SECONDS = 5.0
_EXTENSION = "gradwork_embedded_worker"
_start_lock = threading.Lock()


class EmbeddedWorker:
    def __init__(self, app: Flask):
        self.app = app
        self.wake = threading.Event()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="gradwork-jobs", daemon=True)

    def _loop(self) -> None:

        while not self.stopped.is_set():
            self.wake.wait(POLL_SECONDS)
            self.wake.clear()
            if self.stopped.is_set():
                return
            try:
                with self.app.app_context():
                    runner.sweep(lease=lease_for(self.app.config))
            except Exception:  # keep the thread alive; the rows are retried next round
                log.exception("the embedded job worker failed a round")

    def stop(self) -> None:
        self.stopped.set()
        self.wake.set()
        self.thread.join(timeout=10)


def enabled(app: Flask) -> bool:
    return not app.config.get("REDIS_URL") and app.config.get("JOBS_EMBEDDED_THREAD", True)


def worker_for(app: Flask) -> EmbeddedWorker | None:
    if not enabled(app):
        return None
    with _start_lock:
        worker = app.extensions.get(_EXTENSION)
        if worker is None:
            worker = app.extensions[_EXTENSION] = EmbeddedWorker(app)
            worker.thread.start()
    return worker


def poke(app: Flask) -> None:
    """Wake the app's worker thread now (starting it on first use)."""
    worker = worker_for(app)
    if worker is not None:
        worker.wake.set()
