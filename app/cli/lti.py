"""`flask lti ...`: register platforms, print the tool's configuration, rotate its key, link
LMS courses and sync rosters."""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from app.models import Course
from app.services.errors import ServiceError
from app.services.lti import contexts, keys, nrps, platforms

cli = AppGroup("lti", help="LTI 1.3: platforms, tool configuration, keys, rosters.")


def _fail(exc: Exception) -> None:
    db.session.rollback()
    raise click.ClickException(str(exc))


@cli.command("add-platform")
@click.option("--issuer", required=True, help="The platform's issuer (iss), exactly.")
@click.option("--client-id", required=True, help="The client id the platform gave the tool.")
@click.option("--deployment-id", required=True, help="The deployment id.")
@click.option("--auth-url", required=True, help="OIDC authentication request URL.")
@click.option("--token-url", required=True, help="OAuth 2 access token URL.")
@click.option("--jwks-url", required=True, help="The platform's public keyset URL.")
def add_platform(issuer, client_id, deployment_id, auth_url, token_url, jwks_url) -> None:
    """Register a platform (or another deployment of one); prints its id on the last line."""
    try:
        platform = platforms.add_platform(platforms.PlatformInput(
            issuer, client_id, deployment_id, auth_url, token_url, jwks_url))
        keys.current_key()
        db.session.commit()
    except ServiceError as exc:
        _fail(exc)
    click.echo(f"Registered platform {platform.id}: issuer {platform.issuer}, client "
               f"{platform.client_id}, deployments "
               f"{', '.join(d.deployment_id for d in platform.deployments)}.")
    click.echo(platform.id)


@cli.command("list-platforms")
def list_platforms() -> None:
    """List registered platforms."""
    rows = platforms.all_platforms()
    if not rows:
        click.echo("No platform registered.")
    for p in rows:
        click.echo(f"{p.id}\t{p.issuer}\tclient {p.client_id}\tdeployments "
                   f"{','.join(d.deployment_id for d in p.deployments)}\tauth {p.auth_url}\t"
                   f"token {p.token_url}\tjwks {p.jwks_url}")


@cli.command("tool-config")
def tool_config() -> None:
    """Print the URLs to paste into an LMS, as JSON (from GRADWORK_BASE_URL)."""
    base = current_app.config.get("BASE_URL")
    if not base:
        raise click.ClickException("Set GRADWORK_BASE_URL to the service's public URL (for "
                                   "example https://gradwork.example.org) first.")
    click.echo(json.dumps(platforms.tool_urls(base), indent=2))


@cli.command("rotate-key")
def rotate_key() -> None:
    """Make a new signing key; the previous one stays published until the next rotation."""
    keys.current_key()
    kid, retired = keys.rotate()
    db.session.commit()
    click.echo(f"New signing key {kid}.")
    click.echo("Rotated out: " + (", ".join(retired) if retired else "none (the previous key "
                                                                      "stays published)"))


@cli.command("link-context")
@click.option("--platform", "platform_id", type=int, required=True, help="Platform id.")
@click.option("--context", "context_id", required=True, help="The LMS course's context id.")
@click.option("--course", "course_id", type=int, required=True, help="GradWork course id.")
def link_context(platform_id: int, context_id: str, course_id: int) -> None:
    """Link an LMS course to an existing course (its instructors become co-instructors)."""
    course = db.session.get(Course, course_id)
    if course is None:
        raise click.ClickException(f"There is no course with id {course_id}.")
    try:
        platform = platforms.get(platform_id)
        contexts.link(platform, context_id, course)
        db.session.commit()
    except ServiceError as exc:
        _fail(exc)
    click.echo(f"Linked context {context_id} of platform {platform_id} to course "
               f"{course_id} ({course.title}).")


@cli.command("sync-roster")
@click.option("--course", "course_id", type=int, required=True, help="GradWork course id.")
def sync_roster(course_id: int) -> None:
    """Enrol the linked LMS course's members (NRPS); report who left."""
    course = db.session.get(Course, course_id)
    if course is None:
        raise click.ClickException(f"There is no course with id {course_id}.")
    try:
        report = nrps.sync(course)
        db.session.commit()
    except ServiceError as exc:
        _fail(exc)
    for label in report.left:
        click.echo(f"  no longer in the context: {label}", err=True)
    click.echo(report.line())
