"""py-spy profiles of the web workers during a phase, summarised as top entries.

`py-spy record --format raw` writes one line per distinct stack ("frame;frame;... count");
the summary gives each function's share of the samples, by self time and inclusive of what
it calls. Only a thread holding the GIL is sampled (`--gil`), so threads waiting on a socket
or for a checker worker are left out and the shares are shares of the Python CPU time.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::\d+)?\)$")


def py_spy() -> str | None:
    candidate = Path(sys.executable).parent / "py-spy"
    return str(candidate) if candidate.exists() else shutil.which("py-spy")


def start(pids: list[int], seconds: float, folder: Path) -> list[tuple[subprocess.Popen, Path]]:
    tool = py_spy()
    if tool is None:
        print("(py-spy not installed: `.venv/bin/pip install py-spy` to profile)")
        return []
    folder.mkdir(parents=True, exist_ok=True)
    runs = []
    for pid in pids:
        out = folder / f"worker-{pid}.txt"
        proc = subprocess.Popen([tool, "record", "--pid", str(pid), "--duration",
                                 str(int(seconds)), "--rate", "100", "--gil", "--nonblocking",
                                 "--format", "raw", "--output", str(out)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        runs.append((proc, out))
    return runs


def _short(frame: str) -> str:
    match = _FRAME.match(frame.strip())
    if not match:
        return frame.strip()
    path = match.group("file")
    for marker in ("site-packages/", "/app/", "/lib/python3.11/"):
        if marker in path:
            path = ("app/" if marker == "/app/" else "") + path.split(marker, 1)[1]
            break
    return f"{match.group('func')} ({path})"


def summarise(files: list[Path], top: int = 15) -> str:
    own: Counter = Counter()
    inclusive: Counter = Counter()
    total = 0
    for path in files:
        if not path.exists():
            continue
        for line in path.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if not count.isdigit():
                continue
            frames = [_short(f) for f in stack.split(";")]
            if not frames:
                continue
            n = int(count)
            total += n
            own[frames[-1]] += n
            for frame in set(frames):
                inclusive[frame] += n
    if not total:
        return "(no samples)"
    lines = [f"{total} samples on the CPU", "top by self time:"]
    lines += [f"  {100 * n / total:5.1f}%  {name}" for name, n in own.most_common(top)]
    lines.append("top by inclusive time (app code and the libraries it calls):")
    interesting = [(name, n) for name, n in inclusive.most_common(400)
                   if "app/" in name or any(lib in name for lib in
                                            ("sqlalchemy", "psycopg", "jinja2", "flask",
                                             "werkzeug", "wtforms", "gunicorn", "sympy",
                                             "lark", "mpmath", "latex2mathml"))]
    lines += [f"  {100 * n / total:5.1f}%  {name}" for name, n in interesting[:top + 10]]
    return "\n".join(lines)


def finish(runs: list[tuple[subprocess.Popen, Path]]) -> str:
    for proc, _ in runs:
        try:
            proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
    return summarise([out for _, out in runs])
