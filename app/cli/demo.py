"""`flask demo seed`: the demo data `make run` starts with."""

import click
from flask import current_app
from flask.cli import AppGroup

from app.bank import load_bank
from app.extensions import db
from app.services.demo import seed_demo, seed_demo_assignment
from app.services.errors import ServiceError

cli = AppGroup("demo", help="Demo data for trying GradWork locally.")


@cli.command("seed")
def seed() -> None:
    """Create the demo course and accounts (safe to run again)."""
    course, demo_accounts = seed_demo()
    try:
        assignment = seed_demo_assignment(course,
                                          load_bank(current_app.config["PROBLEMS_DIR"]).ids)
    except ServiceError as exc:
        raise click.ClickException(f"The sample assignment could not be built: {exc}") from None
    db.session.commit()
    click.echo(f"Demo course: {course.title} (join code {course.join_code})")
    click.echo(f"Sample assignment: {assignment.title} ({len(assignment.items)} items, "
               f"{assignment.status.value})")
    click.echo("Demo accounts (email / password):")
    for account in demo_accounts:
        click.echo(f"  {account.role.value:<10} {account.email:<26} {account.password}")
