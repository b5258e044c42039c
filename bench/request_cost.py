"""CPU per request of the graded practice path, in one process: steadier than throughput on
a shared machine, since it counts CPU time, not wall time.

    .venv/bin/python -m bench.request_cost [requests]

Builds the app against a fresh PostgreSQL database ($POSTGRES_URL or $POSTGRES_TEST_URL, else
postgresql://postgres@127.0.0.1:5432/postgres), logs a student in through Flask's test client
and prints CPU ms per request for the web process (this one), the checker's workers and the
PostgreSQL backend: a graded POST (a repeat answer and a first answer), the problem page, the
topics page and /healthz. It prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import time

from app import create_app
from app.extensions import checker_of, db
from bench.load import calibration, procstat
from bench.load.http import _CSRF
from bench.load.seed import PASSWORD, create_users, practice_tasks
from bench.load.service import DEFAULT_ADMIN_URL, Database


def _csrf(html: str) -> str:
    return _CSRF.search(html).group(1)


def _groups(app, database: Database) -> dict[int, tuple[str, float]]:
    pids = procstat.service_groups(os.getpid())
    taken = {}
    for pid, _group in pids.items():
        stat = procstat._stat(pid)
        if stat is not None:
            taken[pid] = ("web" if pid == os.getpid() else "checker", stat[1] + stat[2])
    for pid in database.backend_pids():
        stat = procstat._stat(pid)
        if stat is not None:
            taken[pid] = ("postgres", stat[1] + stat[2])
    return taken


def _measure(app, database, label: str, count: int, send) -> None:
    for i in range(20):
        send(i)
    before = _groups(app, database)
    web_before = time.process_time()
    for i in range(count):
        send(i)
    web = time.process_time() - web_before
    used = procstat.difference(before, _groups(app, database))
    used["web"] = web
    total = sum(used.get(g, 0.0) for g in ("web", "checker", "postgres"))
    print(f"{label:<34} web {1000 * web / count:6.2f}  checker "
          f"{1000 * used.get('checker', 0) / count:6.2f}  postgres "
          f"{1000 * used.get('postgres', 0) / count:6.2f}  all {1000 * total / count:6.2f}")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.request_cost")
    parser.add_argument("count", nargs="?", type=int, default=300, help="requests per figure")
    parser.add_argument("--only", default="", help="one measurement by name (for a profiler "
                        "attached to this process): repeat, first, problem, topics, healthz")
    return parser.parse_args()


def _log_in(client, email: str) -> str:
    token = _csrf(client.get("/auth/login").get_data(as_text=True))
    client.post("/auth/login", data={"csrf_token": token, "email": email,
                                     "password": PASSWORD})
    return _csrf(client.get("/practice/").get_data(as_text=True))


def main() -> None:
    args = _arguments()
    database = Database(os.environ.get("POSTGRES_URL") or os.environ.get("POSTGRES_TEST_URL")
                        or DEFAULT_ADMIN_URL)
    try:
        app = create_app({"DATABASE_URL": database.sqlalchemy_url,
                          "SECRET_KEY": "request-cost-" + "x" * 16, "CHECK_WORKERS": 2})
        cold = args.only in ("", "first")
        with app.app_context():
            db.create_all()
            (_, email), = create_users("cost", 1)
            tasks = practice_tasks(random.Random(3), args.count + 60 if cold else 2)
        client = app.test_client()
        token = _log_in(client, email)
        first, fresh = tasks[0], iter(tasks[1:])
        page = f"/practice/{first.template_id}/{first.seed}"
        client.get(page)

        def first_answer(_i):
            task = next(fresh)
            client.post(f"/practice/{task.template_id}/{task.seed}",
                        data={"csrf_token": token, "answer": task.answer})

        measurements = {
            "repeat": ("graded POST, repeat answer", lambda i: client.post(
                page, data={"csrf_token": token, "answer": first.answer})),
            "first": ("graded POST, first answer (cold)", first_answer),
            "problem": ("problem page", lambda i: client.get(page)),
            "topics": ("topics page", lambda i: client.get("/practice/")),
            "healthz": ("/healthz", lambda i: client.get("/healthz")),
        }
        print(calibration.describe())
        print(f"CPU ms per request over {args.count} requests (after 20 unmeasured)")
        for name, (label, send) in measurements.items():
            if args.only in ("", name):
                _measure(app, database, label, args.count, send)
        checker_of(app).close()
        with app.app_context():
            db.engine.dispose()
    finally:
        database.close()


if __name__ == "__main__":
    main()
