"""CLI groups, each registered as `flask <name>`."""

from flask import Flask

from app.cli import demo, grades, jobs, lti, problems, users

GROUPS = (demo.cli, grades.cli, jobs.cli, lti.cli, problems.cli, users.cli)


def register_cli(app: Flask) -> None:
    for group in GROUPS:
        app.cli.add_command(group)
