"""The benchmark's sections: throughput, history, large course, hostile answers."""

from __future__ import annotations

import random
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from sqlalchemy import create_engine, text

from app.models import Role
from bench.load import seed
from bench.load.http import Connection, log_in
from bench.load.phases import (
    PhaseResult,
    Student,
    graded_clients,
    healthz_clients,
    run_phase,
)
from bench.load.report import spread, table
from bench.load.seed import PASSWORD, Task
from bench.load.service import Database, Service

HOSTILE_ANSWERS = (
    "x^(10^100)",
    "x^x^x^x^x^x^x^x^x",
    "e^e^e^e^e^x",
    "(x+1)^(10^6)",
    "σ(" * 50 + "x" + ")" * 50,
    "+".join(f"sin({i}x)^{i}" for i in range(1, 160))[:2000],
    "(" * 90 + "x" + ")" * 90,
    "x" + "*x" * 999,
)
HOSTILE_CLIENTS = 8


@dataclass
class Prepared:
    history_user: tuple[int, str] = (0, "")
    new_user: tuple[int, str] = (0, "")
    history_tasks: list[Task] = field(default_factory=list)
    instructor: tuple[int, str] = (0, "")
    course_id: int = 0
    assignment_id: int = 0
    course_shape: tuple[int, int, int] = (0, 0, 0)


def prepare(args, rng: random.Random) -> Prepared:
    """Seed the history student, a new student and the large course (inside an app context)."""
    prepared = Prepared()
    if "history" in args.sections:
        (prepared.history_user,) = seed.create_users("history", 1)
        (prepared.new_user,) = seed.create_users("fresh", 1)
        started = time.monotonic()
        seed.practice_history(prepared.history_user[0], args.history, rng)
        print(f"seeded {args.history} practice submissions in "
              f"{time.monotonic() - started:.1f} s", flush=True)
        prepared.history_tasks = seed.practice_tasks(rng, 12)
    if "course" in args.sections:
        students, items, tries = (int(n) for n in args.course.split("x"))
        (prepared.instructor,) = seed.create_users("teacher", 1, Role.INSTRUCTOR)
        enrolled = [uid for uid, _ in seed.create_users("class", students)]
        started = time.monotonic()
        prepared.course_id, prepared.assignment_id = seed.large_course(
            prepared.instructor[0], enrolled, items, tries, rng)
        prepared.course_shape = (students, items, tries)
        print(f"seeded a course of {students} students × {items} items × {tries} attempts in "
              f"{time.monotonic() - started:.1f} s", flush=True)
    return prepared


PRIME_PASSES = 4


def prime(students: list[Student]) -> None:
    """Every client loads its pages and posts each answer, over fresh connections in each
    pass (they land on any web worker), so views and variants are built in the web and
    checker processes before anything is measured: the figures are a warm service's."""
    def one(student: Student):
        student.conn.close()
        for method, path, form in student.posts():
            student.conn.request("GET", path)
            student.conn.request(method, path, form=form)

    with ThreadPoolExecutor(8) as pool:
        for _ in range(PRIME_PASSES):
            list(pool.map(one, students))


# --------------------------------------------------------------------------------------------
# Throughput


def throughput(service: Service, database: Database, students: list[Student], args) -> None:
    results: dict[int, list[tuple[PhaseResult, PhaseResult]]] = {n: [] for n in args.client_counts}
    for rep in range(args.reps):
        for n in args.client_counts:
            health = run_phase(service, database, healthz_clients(n), seconds=args.seconds,
                               warmup=args.warmup)
            graded = run_phase(service, database, graded_clients(students[:n]),
                               seconds=args.seconds, warmup=args.warmup)
            results[n].append((graded, health))
            print(f"  rep {rep + 1} clients {n}: {graded.rate():.0f} graded/s, "
                  f"{health.rate():.0f} healthz/s, "
                  f"{graded.cpu_ms_per_request()['all']:.2f} CPU ms/graded", flush=True)
    _print_throughput(results)


def profile(service: Service, database: Database, students: list[Student], clients: int,
            args) -> None:
    """An extra graded phase (not counted in the figures) with py-spy on every web worker and
    every checker worker."""
    from pathlib import Path

    from bench.load import procstat
    from bench.load import profile as spy

    web, checkers = procstat.workers(service.master_pid)
    folder = Path(f"/tmp/gradwork-profile-{service.port}")
    runs = {"web": spy.start(web, args.seconds + args.warmup, folder / "web"),
            "checker": spy.start(checkers, args.seconds + args.warmup, folder / "checker")}
    result = run_phase(service, database, graded_clients(students[:clients]),
                       seconds=args.seconds, warmup=args.warmup)
    print(f"\nProfiles at {clients} clients ({result.rate():.0f} graded/s while profiled; "
          f"raw stacks in {folder}):")
    for name, group in runs.items():
        print(f"-- {name} workers: {spy.finish(group)}")


def _print_throughput(results) -> None:
    print("\nGraded practice POSTs (min / median / max over repetitions)")
    rows, cpu_rows = [], []
    for n, runs in results.items():
        graded = [g for g, _ in runs]
        health = [h for _, h in runs]
        main = [g.kinds.get("main", {}) for g in graded]
        rows.append([n, spread([g.rate() for g in graded], digits=0),
                     spread((m.get("p50") for m in main), 1000),
                     spread((m.get("p99") for m in main), 1000),
                     spread([h.rate() for h in health], digits=0),
                     spread((g.rate() / h.rate() * 100 for g, h in runs if h.rate()), digits=0),
                     _statuses(main)])
        per = [g.cpu_ms_per_request() for g in graded]
        cpu_rows.append([n] + [spread((p[k] for p in per), digits=2)
                               for k in ("gunicorn", "checker", "postgres", "all", "client",
                                         "machine")]
                        + [spread((h.cpu_ms_per_request()["all"] for h in health), digits=2)])
    print(table(["clients", "graded/s", "p50 ms", "p99 ms", "healthz/s", "graded/healthz %",
                 "statuses (all runs)"], rows))
    print("\nCPU ms per graded request, by process group (whole machine: every process on "
          "the host, the load client and\nshort-lived database backends included; healthz: "
          "all groups per request)")
    print(table(["clients", "gunicorn", "checker", "postgres", "service total", "load client",
                 "whole machine", "healthz total"], cpu_rows))


def _statuses(kinds: list[dict]) -> str:
    total: dict[str, int] = {}
    for kind in kinds:
        for status, count in kind.get("statuses", {}).items():
            total[status] = total.get(status, 0) + count
    return " ".join(f"{s}×{c}" for s, c in sorted(total.items()))


# --------------------------------------------------------------------------------------------
# History: a student with a long practice history against a new one


def _timed(conn: Connection, method: str, path: str, form=None) -> float:
    started = time.perf_counter()
    reply = conn.request(method, path, form=form)
    elapsed = time.perf_counter() - started
    if reply.status not in (200, 422):
        raise RuntimeError(f"{method} {path} answered {reply.status}")
    return elapsed


def _pages(student: Student, tasks: list[Task]) -> dict[str, list[float]]:
    took: dict[str, list[float]] = {"topics page": [], "problem page": [], "verdict (POST)": []}
    for task in tasks:
        path = f"/practice/{task.template_id}/{task.seed}"
        took["topics page"].append(_timed(student.conn, "GET", "/practice/"))
        took["problem page"].append(_timed(student.conn, "GET", path))
        took["verdict (POST)"].append(_timed(student.conn, "POST", path, {
            "csrf_token": student.csrf, "answer": task.answer}))
    return took


def history(service: Service, prepared: Prepared, args) -> None:
    pair = []
    for user_id, email in (prepared.history_user, prepared.new_user):
        conn = log_in("127.0.0.1", service.port, email, PASSWORD)
        token = conn.request("GET", "/practice/").csrf_token() or ""
        pair.append(Student(user_id, email, conn, token, prepared.history_tasks))
    old, new = pair
    for student in (old, new, old, new):  # views built, variants graded once: warm
        _pages(student, prepared.history_tasks)
    medians: dict[str, list[tuple[float, float]]] = {}
    for _ in range(args.reps):
        got_old, got_new = _pages(old, old.tasks), _pages(new, new.tasks)
        for page in got_old:
            medians.setdefault(page, []).append((statistics.median(got_old[page]),
                                                 statistics.median(got_new[page])))
    print(f"\nHistory: a student with {args.history} stored practice submissions against a new "
          "one (median ms per repetition; min / median / max)")
    rows = [[page, spread((o for o, _ in pairs), 1000, 2), spread((n for _, n in pairs), 1000, 2),
             spread((o / n for o, n in pairs), digits=2)] for page, pairs in medians.items()]
    print(table(["request", "long history ms", "new student ms", "ratio"], rows))


# --------------------------------------------------------------------------------------------
# Large course


def course(service: Service, prepared: Prepared, args) -> None:
    conn = log_in("127.0.0.1", service.port, prepared.instructor[1], PASSWORD)
    base = f"/courses/{prepared.course_id}/grades"
    pages = {
        "gradebook": f"{base}/",
        "assignment grades": f"{base}/assignments/{prepared.assignment_id}",
        "item analysis": f"{base}/assignments/{prepared.assignment_id}/analysis",
        "score chart": f"{base}/chart.svg",
    }
    rows = []
    for name, path in pages.items():
        _timed(conn, "GET", path)
        took = [_timed(conn, "GET", path) for _ in range(args.reps)]
        rows.append([name, spread(took, 1000, 0)])
    students, items, tries = prepared.course_shape
    print(f"\nLarge course: {students} students × {items} items × {tries} attempts "
          f"(first request untimed; min / median / max of {args.reps})")
    print(table(["page", "ms"], rows))


# --------------------------------------------------------------------------------------------
# Hostile answers beside honest ones (issue 17)


def _timeouts(database: Database, user_ids: list[int]) -> int:
    engine = create_engine(database.sqlalchemy_url)
    with engine.connect() as conn:
        count = conn.execute(text(
            "SELECT count(*) FROM practice_submissions WHERE verdict = 'timeout' "
            "AND user_id = ANY(:ids)"), {"ids": user_ids}).scalar_one()
    engine.dispose()
    return int(count)


def _hostile_clients(students: list[Student]) -> list[dict]:
    clients = []
    for index, student in enumerate(students):
        tasks = [Task(t.template_id, t.seed, HOSTILE_ANSWERS[(index + k) % len(HOSTILE_ANSWERS)])
                 for k, t in enumerate(student.tasks)]
        clients.append({"cookies": student.conn.cookies, "requests": student.posts(tasks),
                        "kind": "hostile"})
    return clients


def hostile(service: Service, database: Database, students: list[Student], args) -> None:
    honest, bad = students[:HOSTILE_CLIENTS], students[-HOSTILE_CLIENTS:]
    honest_ids, bad_ids = [s.user_id for s in honest], [s.user_id for s in bad]
    quiet, loud = [], []
    timeouts_before = _timeouts(database, honest_ids), _timeouts(database, bad_ids)
    for _ in range(args.reps):
        quiet.append(run_phase(service, database, graded_clients(honest), seconds=args.seconds,
                               warmup=args.warmup))
        loud.append(run_phase(service, database,
                              graded_clients(honest) + _hostile_clients(bad),
                              seconds=args.seconds, warmup=args.warmup))
    honest_timeouts = _timeouts(database, honest_ids) - timeouts_before[0]
    bad_timeouts = _timeouts(database, bad_ids) - timeouts_before[1]
    q = [r.kinds.get("main", {}) for r in quiet]
    m = [r.kinds.get("main", {}) for r in loud]
    h = [r.kinds.get("hostile", {}) for r in loud]
    print(f"\nHostile answers: {HOSTILE_CLIENTS} honest clients alone, then beside "
          f"{HOSTILE_CLIENTS} hostile ones (min / median / max)")
    print(table(["phase", "honest/s", "honest p50 ms", "honest p99 ms", "honest > 5 s",
                 "hostile p50 ms", "hostile p99 ms", "hostile max ms"], [
        ["honest alone", spread(r.rate() for r in quiet), spread((k.get("p50") for k in q), 1000),
         spread((k.get("p99") for k in q), 1000), sum(k.get("over_5s", 0) for k in q),
         "", "", ""],
        ["beside hostile", spread(r.rate() for r in loud), spread((k.get("p50") for k in m), 1000),
         spread((k.get("p99") for k in m), 1000), sum(k.get("over_5s", 0) for k in m),
         spread((k.get("p50") for k in h), 1000), spread((k.get("p99") for k in h), 1000),
         spread((k.get("max") for k in h), 1000)]]))
    ratios = [b.get("p99") / a.get("p99") for a, b in zip(q, m, strict=True)
              if a.get("p99") and b.get("p99")]
    print(f"honest p99 beside hostile / alone: {spread(ratios, digits=2)}; stored 'timeout' "
          f"verdicts: honest {honest_timeouts}, hostile {bad_timeouts}; hostile statuses "
          f"{_statuses(h)}")
