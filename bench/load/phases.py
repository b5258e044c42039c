"""One measured phase: the load generator in its own process, the service's CPU read at the
start and the end of the measured window."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field

from bench.load import procstat
from bench.load.http import Connection
from bench.load.seed import Task
from bench.load.service import ROOT, Database, Service


@dataclass
class Student:
    user_id: int
    email: str
    conn: Connection
    csrf: str
    tasks: list[Task] = field(default_factory=list)

    def posts(self, tasks: list[Task] | None = None) -> list[list]:
        return [["POST", f"/practice/{t.template_id}/{t.seed}",
                 {"csrf_token": self.csrf, "answer": t.answer}] for t in (tasks or self.tasks)]


@dataclass
class PhaseResult:
    kinds: dict
    seconds: float
    cpu: dict[str, float]
    client_cpu: float

    def rate(self, kind: str = "main") -> float:
        return self.kinds.get(kind, {}).get("count", 0) / self.seconds

    def cpu_ms_per_request(self, kind: str = "main") -> dict[str, float]:
        count = self.kinds.get(kind, {}).get("count", 0) or 1
        per = {group: 1000 * seconds / count for group, seconds in self.cpu.items()}
        per["all"] = sum(v for group, v in per.items() if group != "machine")
        per["client"] = 1000 * self.client_cpu / count
        return per


def run_phase(service: Service, database: Database, clients: list[dict], *,
              seconds: float, warmup: float) -> PhaseResult:
    job = {"host": "127.0.0.1", "port": service.port, "duration": seconds, "warmup": warmup,
           "clients": clients}
    proc = subprocess.Popen([sys.executable, "-m", "bench.load.client"], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdin and proc.stdout
    proc.stdin.write(json.dumps(job))
    proc.stdin.close()
    before = after = None
    for line in proc.stdout:
        line = line.strip()
        if line == "MEASURE":
            before = procstat.snapshot(service.master_pid, database.backend_pids())
        elif line == "DONE":
            after = procstat.snapshot(service.master_pid, database.backend_pids())
        elif line.startswith("{"):
            result = json.loads(line)
            break
    else:
        raise RuntimeError("the load generator ended without results")
    proc.wait(timeout=60)
    assert before is not None and after is not None
    return PhaseResult(result["kinds"], result["seconds"], procstat.difference(before, after),
                       result["client_cpu_seconds"])


def graded_clients(students: list[Student], kind: str = "main") -> list[dict]:
    return [{"cookies": s.conn.cookies, "requests": s.posts(), "kind": kind} for s in students]


def healthz_clients(count: int) -> list[dict]:
    return [{"requests": [["GET", "/healthz", None]], "kind": "main"} for _ in range(count)]
