"""The separate worker process (`flask --app app jobs worker`): RQ's worker on the app's
Redis queue, plus a sweep thread that delivers due scores, runs jobs whose Redis message was
lost, and retires interrupted jobs. Without Redis it runs the sweep alone, polling the
database. `rq worker gradwork` with the app's environment works too (the functions below
build the app when none is running)."""

from __future__ import annotations

import logging
import threading

from flask import Flask, current_app, has_app_context
from rq import SimpleWorker

from app.jobs import runner
from app.jobs.dispatch import rq_queue
from app.services.lti import delivery
from app.services.lti.delivery import lease_for

log = logging.getLogger(__name__)

SWEEP_SECONDS = 5.0
_apps: list[Flask] = []


def _app() -> Flask:
    if has_app_context():
        return current_app._get_current_object()
    if not _apps:
        # `rq worker` runs these functions with no app: build one. Imported here because the
        # app is what this package sits under (the app imports it, not the other way round).
        from app import create_app

        _apps.append(create_app())
    return _apps[0]


def rq_run_job(job_id: int) -> bool:
    with _app().app_context():
        return runner.run_job(int(job_id))


def rq_deliver_scores() -> int:
    app = _app()
    with app.app_context():
        return delivery.deliver_due(lease=delivery.lease_for(app.config))


def _sweep_forever(app: Flask, stop: threading.Event) -> None:

    while not stop.is_set():
        try:
            with app.app_context():
                runner.sweep(lease=lease_for(app.config))
        except Exception:
            log.exception("worker sweep failed; retrying")
        stop.wait(SWEEP_SECONDS)


def run(app: Flask, *, burst: bool = False) -> None:
    """Work until stopped (or, with `burst`, until nothing is left)."""

    if burst:
        with app.app_context():
            while any(runner.sweep(lease=lease_for(app.config))):
                pass
        return
    stop = threading.Event()
    url = app.config.get("REDIS_URL")
    if not url:
        log.info("no GRADWORK_REDIS_URL: polling the database every %s s", SWEEP_SECONDS)
        try:
            _sweep_forever(app, stop)
        finally:
            stop.set()
        return

    sweeper = threading.Thread(target=_sweep_forever, args=(app, stop), daemon=True)
    sweeper.start()
    queue = rq_queue(url)
    try:
        # SimpleWorker runs jobs in this process: no fork of a process that holds database
        # connections and the checking pool's fork server.
        with app.app_context():
            SimpleWorker([queue], connection=queue.connection).work(with_scheduler=False)
    finally:
        stop.set()
