"""CLI groups: every module here exposing `cli` (a flask AppGroup) becomes `flask <name>`."""

import importlib
import pkgutil

from flask import Flask
from flask.cli import AppGroup


def register_cli(app: Flask) -> None:
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        group = getattr(module, "cli", None)
        if isinstance(group, AppGroup):
            app.cli.add_command(group)
