"""CPU time of the service's process groups, read from /proc.

Groups: ``gunicorn`` (the master and its web workers), ``checker`` (everything a web worker
started: the checker's fork server and its worker processes) and ``postgres`` (the backends
serving the benchmark's database). A process's own user+system time counts where it lives;
the time of children that already exited is in their parent's "children" times once reaped
(the fork server reaps the checker workers the pool killed), so nothing is counted twice.

A PostgreSQL backend that starts and ends between two snapshots is in no group: the
``machine`` figure (every CPU's busy time, from /proc/stat) counts it, and everything else
running on the host, the load generator included.
"""

from __future__ import annotations

import os
from collections import defaultdict

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float, float] | None:
    """(parent pid, own CPU seconds, reaped children's CPU seconds)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            raw = handle.read()
    except OSError:
        return None
    fields = raw[raw.rindex(b")") + 2:].split()
    own = (int(fields[11]) + int(fields[12])) / TICKS
    children = (int(fields[13]) + int(fields[14])) / TICKS
    return int(fields[1]), own, children


def _all_parents() -> dict[int, int]:
    parents = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            stat = _stat(int(name))
            if stat is not None:
                parents[int(name)] = stat[0]
    return parents


def service_groups(master_pid: int) -> dict[int, str]:
    """pid -> group for the gunicorn master's process tree."""
    parents = _all_parents()
    children: dict[int, list[int]] = defaultdict(list)
    for pid, parent in parents.items():
        children[parent].append(pid)
    groups = {master_pid: "gunicorn"}
    for worker in children[master_pid]:
        groups[worker] = "gunicorn"
        stack = list(children[worker])
        while stack:
            pid = stack.pop()
            groups[pid] = "checker"
            stack.extend(children[pid])
    return groups


def workers(master_pid: int) -> tuple[list[int], list[int]]:
    """(gunicorn's web workers, the checker's worker processes: the fork servers' children)."""
    parents = _all_parents()
    web = [pid for pid, parent in parents.items() if parent == master_pid]
    servers = {pid for pid, parent in parents.items() if parent in web}
    return web, [pid for pid, parent in parents.items() if parent in servers]


# The key of the machine's figure in a snapshot: no process has it.
MACHINE = -1


def machine_seconds() -> float:
    """CPU seconds every CPU of the host has been busy (not idle, not waiting for I/O)."""
    with open("/proc/stat", "rb") as handle:
        fields = handle.readline().split()[1:]
    # user nice system idle iowait irq softirq steal ...: steal is another guest's time.
    user, nice, system, _idle, _iowait, irq, softirq = (int(f) for f in fields[:7])
    return (user + nice + system + irq + softirq) / TICKS


def snapshot(master_pid: int, postgres_pids: list[int]) -> dict[int, tuple[str, float]]:
    """pid -> (group, CPU seconds including reaped children); `MACHINE` -> the host's."""
    taken = {MACHINE: ("machine", machine_seconds())}
    groups = service_groups(master_pid)
    groups.update({pid: "postgres" for pid in postgres_pids})
    for pid, group in groups.items():
        stat = _stat(pid)
        if stat is not None:
            taken[pid] = (group, stat[1] + stat[2])
    return taken


def difference(before: dict[int, tuple[str, float]],
               after: dict[int, tuple[str, float]]) -> dict[str, float]:
    """CPU seconds used per group between two snapshots (a process born in between counts
    from zero)."""
    used: dict[str, float] = defaultdict(float)
    for pid, (group, seconds) in after.items():
        start = before.get(pid, (group, 0.0))[1]
        used[group] += max(0.0, seconds - start)
    for group in ("gunicorn", "checker", "postgres"):
        used.setdefault(group, 0.0)
    return dict(used)
