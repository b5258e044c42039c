"""Figures for the checking service: cold start, per-check latency, recovery after a kill.

Run: .venv/bin/python bench/bench_checking.py [workers]
Prints figures; asserts nothing (the limits are tested in tests/cas and tests/api).
"""

from __future__ import annotations

import contextlib
import statistics
import sys
import threading
import time

from app.checker.client import Checker, CheckerSettings
from app.checker.pool import CheckTimeout
from app.web.api.replies import check_reply, preview_reply

EXAMPLES = [
    {"answer": "σ(x)(1-σ(x))", "derivative_of": {"function": "sigma(x)", "wrt": "x"}},
    {"answer": "e^-x/(1+e^-x)^2", "derivative_of": {"function": "sigma(x)", "wrt": "x"}},
    {"answer": "σ(2x-1)(1-σ(2x-1))", "derivative_of": {"function": "sigma(2x-1)", "wrt": "x"}},
    {
        "answer": "(yhat-t)/(yhat(1-yhat))",
        "derivative_of": {"function": "-(t log(yhat) + (1-t) log(1-yhat))", "wrt": "yhat"},
        "variables": ["t", "yhat"],
        "domain": {"yhat": [0, 1]},
    },
    {
        "answer": "σ(z) - t",
        "derivative_of": {"function": "-(t log(σ(z)) + (1-t) log(1-σ(z)))", "wrt": "z"},
    },
    {"answer": "(x-1)(x+1)", "expected": "x^2 - 1"},
    {"answer": "0.333", "expected": "1/3", "tolerance": {"relative": 0.01}},
    {"answer": "x", "expected": "sqrt(x^2)"},
]


def spin_forever():
    while True:
        pass


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def main() -> None:
    workers = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    checker = Checker(CheckerSettings(workers=workers, timeout=2.0, memory_mb=1024))

    start = time.perf_counter()
    preview_reply(checker, {"answer": "x"}, timeout=60)
    print(
        f"cold start (fork server, {workers} workers, first reply): {_ms(time.perf_counter() - start)}"
    )

    for label, repeat in (
        ("first check of each example", 1),
        ("repeated checks (warm caches)", 20),
    ):
        times = []
        for payload in EXAMPLES:
            for _ in range(repeat):
                t = time.perf_counter()
                status, _body, _headers = check_reply(checker, payload)
                times.append(time.perf_counter() - t)
                assert status == 200
        print(
            f"{label:32s} median {_ms(statistics.median(times))}  "
            f"max {_ms(max(times))}  (n={len(times)})"
        )

    t = time.perf_counter()
    with contextlib.suppress(CheckTimeout):
        checker.run(spin_forever, timeout=1.0)
    print(f"runaway task stopped after          {_ms(time.perf_counter() - t)}  (limit 1 s)")
    t = time.perf_counter()
    for _ in range(workers):  # reach the replacement worker whichever slot it is in
        preview_reply(checker, {"answer": "2x"})
    print(f"next {workers} previews after the kill       {_ms(time.perf_counter() - t)}")

    stuck = threading.Thread(target=lambda: _swallow(checker))
    stuck.start()
    time.sleep(0.1)
    t = time.perf_counter()
    count = 0
    while stuck.is_alive() and count < 200:
        check_reply(checker, EXAMPLES[0])
        count += 1
    elapsed = time.perf_counter() - t
    stuck.join()
    print(
        f"checks served while one worker is stuck: {count} in {elapsed:.2f} s "
        f"({count / elapsed:.0f}/s)"
    )
    print(f"workers replaced: {checker.pool.restarts}")


def _swallow(checker: Checker) -> None:
    with contextlib.suppress(CheckTimeout):
        checker.run(spin_forever, timeout=1.5)


if __name__ == "__main__":
    main()
