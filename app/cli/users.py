"""`flask users create|list|set-password`."""

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db
from app.models import Role, User
from app.services.accounts import users
from app.services.errors import ServiceError

cli = AppGroup("users", help="Manage accounts (instructors and admins are created here).")


@cli.command("create")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True, help="Display name.")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.STUDENT.value,
              show_default=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="Prompted for when omitted.")
def create(email: str, display_name: str, role: str, password: str) -> None:
    """Create an account."""
    try:
        user = users.create_user(email, display_name, password, Role(role))
    except ServiceError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.email} (id {user.id}).")


@cli.command("set-password")
@click.option("--email", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def set_password(email: str, password: str) -> None:
    """Reset an account's password."""
    user = users.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account with email {email}.")
    try:
        users.set_password(user, password)
    except ServiceError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"Password changed for {user.email}.")


@cli.command("list")
def list_users() -> None:
    """List accounts."""
    for user in db.session.scalars(select(User).order_by(User.id)):
        click.echo(f"{user.id}\t{user.role.value}\t{user.email}\t{user.display_name}")
