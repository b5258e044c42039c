"""The load benchmark (issue 12; its hostile phase serves issue 17).

    .venv/bin/python -m bench.load_bench            # everything, three repetitions
    .venv/bin/python -m bench.load_bench --quick    # one short repetition, to try it out

It creates a database on the PostgreSQL server of $POSTGRES_URL (default: $POSTGRES_TEST_URL,
else postgresql://postgres@127.0.0.1:5432/postgres), starts the service exactly as
docker-compose.yml's `app` command does, seeds it and prints:

* graded practice POSTs (logged-in students, CSRF token, an answer to a practice problem) at
  1, 8 and 32 concurrent clients: graded/s, p50, p99, /healthz/s in the same run and the
  ratio, CPU ms per graded request per process group (gunicorn, checker workers, PostgreSQL
  backends) and of the load generator itself;
* history: a student with 10,000 stored submissions against a new one (pages and verdicts);
* a large course (500 students × 20 items × 5 attempts): gradebook and item analysis;
* hostile answers: honest clients alone, then beside 8 clients sending hostile answers.

Each figure is min / median / max over the repetitions. It prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from concurrent.futures import ThreadPoolExecutor

from bench.load import calibration, sections
from bench.load.http import log_in
from bench.load.phases import Student
from bench.load.seed import PASSWORD, app_context, create_users, practice_tasks
from bench.load.service import DEFAULT_ADMIN_URL, Database, Service, app_command


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load_bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", default="1,8,32", help="client counts (default 1,8,32)")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds a phase")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds a phase")
    parser.add_argument("--reps", type=int, default=3, help="repetitions (default 3)")
    parser.add_argument("--history", type=int, default=10_000, help="stored submissions")
    parser.add_argument("--course", default="500x20x5", help="students x items x attempts")
    parser.add_argument("--only", default="throughput,history,course,hostile",
                        help="sections to run (comma-separated)")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="extra service environment, e.g. GUNICORN_CMD_ARGS='--workers 3'")
    parser.add_argument("--profile", type=int, default=0, metavar="CLIENTS",
                        help="also profile the web workers (py-spy) in a graded phase")
    parser.add_argument("--quick", action="store_true", help="one short repetition")
    args = parser.parse_args(argv)
    if args.quick:
        args.reps, args.seconds, args.warmup, args.history = 1, 4.0, 1.0, 2_000
        args.course = "100x20x5"
    args.client_counts = [int(n) for n in args.clients.split(",")]
    args.sections = set(args.only.split(","))
    return args


def _admin_url() -> str:
    return os.environ.get("POSTGRES_URL") or os.environ.get("POSTGRES_TEST_URL") \
        or DEFAULT_ADMIN_URL


def _log_in_all(service: Service, accounts: list[tuple[int, str]],
                tasks: dict[int, list]) -> list[Student]:
    def one(account):
        user_id, email = account
        conn = log_in("127.0.0.1", service.port, email, PASSWORD)
        own = tasks.get(user_id, [])
        page = conn.request("GET", f"/practice/{own[0].template_id}/{own[0].seed}"
                            if own else "/practice/")
        return Student(user_id, email, conn, page.csrf_token() or "", own)

    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(one, accounts))


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    database = Database(_admin_url())
    service = Service(database.url, extra_env=dict(e.split("=", 1) for e in args.env))
    rng = random.Random(12)
    try:
        service.migrate()
        with app_context(database.sqlalchemy_url):
            load = create_users("load", max(args.client_counts) + 8)
            tasks = {uid: practice_tasks(rng, 6) for uid, _ in load}
            prepared = sections.prepare(args, rng)
        service.start()
        print(f"service: {app_command(service.port)}")
        print(calibration.describe())
        print(f"environment: {service.extra_env or 'as in docker-compose.yml'}; "
              f"PostgreSQL database {database.name}; {os.cpu_count()} CPUs; "
              f"load average {os.getloadavg()[0]:.1f}", flush=True)
        students = _log_in_all(service, load, tasks)
        sections.prime(students)
        if args.profile:
            sections.profile(service, database, students, args.profile, args)
        if "throughput" in args.sections:
            sections.throughput(service, database, students, args)
        if "history" in args.sections:
            sections.history(service, prepared, args)
        if "course" in args.sections:
            sections.course(service, prepared, args)
        if "hostile" in args.sections:
            sections.hostile(service, database, students, args)
    finally:
        service.stop()
        database.close()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
