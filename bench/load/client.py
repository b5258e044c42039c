"""The load generator: a process of its own, one thread and one connection per simulated
client (kept alive as long as the server keeps it: gunicorn as configured closes it after
each response, and the client connects again, as a browser would), so that its CPU is
measured apart from the service's.

It reads a job (JSON) on stdin, prints ``MEASURE`` when the warm-up ends and ``DONE`` when the
measured window closes (the benchmark reads the service's CPU clocks at both lines), then one
JSON line of results. Run by `bench.load.phases`; not meant to be started by hand.
"""

from __future__ import annotations

import json
import re
import resource
import sys
import threading
import time
from collections import Counter, defaultdict

from bench.load.http import Connection

_VERDICT = re.compile(rb'data-testid="verdict"\s+data-verdict="(\w+)"')


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class _Window:
    """The measured window: requests that finish inside it count."""

    def __init__(self, warmup: float, duration: float):
        self.begin = time.monotonic() + warmup
        self.end = self.begin + duration


def _drive(spec: dict, host: str, port: int, window: _Window, out: dict, lock) -> None:
    conn = Connection(host, port, cookies=dict(spec.get("cookies") or {}))
    kind = spec.get("kind", "main")
    requests = spec["requests"]
    latencies: list[float] = []
    statuses: Counter = Counter()
    verdicts: Counter = Counter()
    index = 0
    while True:
        method, path, form = requests[index % len(requests)]
        index += 1
        started = time.monotonic()
        if started >= window.end:
            break
        try:
            reply = conn.request(method, path, form=form)
            status, body = reply.status, reply.body
        except OSError:
            status, body = 0, b""
            conn.close()
        finished = time.monotonic()
        if window.begin <= finished <= window.end:
            latencies.append(finished - started)
            statuses[status] += 1
            match = _VERDICT.search(body)
            if match:
                verdicts[match.group(1).decode()] += 1
    conn.close()
    with lock:
        out["latencies"][kind].extend(latencies)
        out["statuses"][kind].update(statuses)
        out["verdicts"][kind].update(verdicts)


def _percentile(sorted_values: list[float], share: float) -> float | None:
    if not sorted_values:
        return None
    index = min(len(sorted_values) - 1, int(round(share * (len(sorted_values) - 1))))
    return sorted_values[index]


def run(job: dict) -> dict:
    window = _Window(job["warmup"], job["duration"])
    out = {"latencies": defaultdict(list), "statuses": defaultdict(Counter),
           "verdicts": defaultdict(Counter)}
    lock = threading.Lock()
    threads = [threading.Thread(target=_drive, args=(spec, job["host"], job["port"], window,
                                                     out, lock), daemon=True)
               for spec in job["clients"]]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, window.begin - time.monotonic()))
    cpu_begin = _cpu()
    print("MEASURE", flush=True)
    time.sleep(max(0.0, window.end - time.monotonic()))
    cpu_end = _cpu()
    print("DONE", flush=True)
    for thread in threads:
        thread.join(120)
    result = {"seconds": job["duration"], "client_cpu_seconds": cpu_end - cpu_begin, "kinds": {}}
    for kind, values in out["latencies"].items():
        values.sort()
        result["kinds"][kind] = {
            "count": len(values),
            "p50": _percentile(values, 0.50),
            "p99": _percentile(values, 0.99),
            "max": values[-1] if values else None,
            "over_5s": sum(1 for v in values if v > 5.0),
            "statuses": dict(out["statuses"][kind]),
            "verdicts": dict(out["verdicts"][kind]),
        }
    return result


def main() -> None:
    job = json.loads(sys.stdin.read())
    print(json.dumps(run(job)), flush=True)


if __name__ == "__main__":
    main()
