"""`flask demo seed`: the demo data `make run` starts with."""

import click
from flask.cli import AppGroup

from app.extensions import db
from app.services.demo import seed_demo

cli = AppGroup("demo", help="Demo data for trying GradWork locally.")


@cli.command("seed")
def seed() -> None:
    """Create the demo course and accounts (safe to run again)."""
    course, demo_accounts = seed_demo()
    db.session.commit()
    click.echo(f"Demo course: {course.title} (join code {course.join_code})")
    click.echo("Demo accounts (email / password):")
    for account in demo_accounts:
        click.echo(f"  {account.role.value:<10} {account.email:<26} {account.password}")
