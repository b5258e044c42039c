"""The CPU time another process has used, read from /proc (Linux).

The checker's time limit counts a task's own computing, so that a check waiting for a CPU on
a loaded machine is never stopped for time it did not use. Where /proc is missing (a
developer's Mac), `cpu_seconds` answers None and the pool falls back to wall-clock time.
"""

from __future__ import annotations

import os

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int) -> float | None:
    """User plus system CPU seconds of process `pid`, or None when it cannot be read."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read()
    except OSError:
        return None
    # The command name (field 2) may contain spaces and parentheses: count from its end.
    fields = stat[stat.rindex(b")") + 2:].split()
    try:
        return (int(fields[11]) + int(fields[12])) / _TICKS
    except (IndexError, ValueError):
        return None
