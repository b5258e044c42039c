"""Boot module of the checker's fork server: imported there, and nowhere else.

Every pool worker is forked from the fork server, so what is imported here is imported once
for all workers, including every replacement of a killed one: a task then pays neither for
importing sympy nor for loading the engine and the bank, which would otherwise count against
its time limit. Only the math engine, the bank and the worker tasks are loaded: never Flask,
SQLAlchemy or the services, which no worker needs.

A module that fails to import is skipped: multiprocessing stops the fork server on any
preload error other than ImportError, and one broken module must not take the whole checker
down with it (the tasks that need it report the error).
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import pkgutil

# Set before numpy can be imported below: a BLAS thread pool started in the fork server would
# leave every worker with its threads' stacks and buffers in the address space that the
# memory cap counts (gigabytes on a many-core machine).
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

LIBRARIES = ("sympy", "lark")
PACKAGES = ("app.cas", "app.bank")
TASKS = ("app.checker.tasks", "app.checker.template_tasks")


def _import_quietly(name: str):
    with contextlib.suppress(Exception):
        return importlib.import_module(name)
    return None


def _skip(_package_name: str) -> None:
    """A subpackage that fails to import is left out, like a failing module."""


def preload() -> None:
    for name in LIBRARIES:
        _import_quietly(name)
    for package_name in PACKAGES:
        package = _import_quietly(package_name)
        if package is None:
            continue
        for info in pkgutil.walk_packages(package.__path__, package_name + ".", onerror=_skip):
            _import_quietly(info.name)
    for name in TASKS:
        _import_quietly(name)
    # Every worker forked from here inherits these objects: frozen, no worker's collections
    # walk them (nor write to their headers, which would copy the shared pages).
    gc.collect()
    gc.freeze()


preload()
