"""`flask problems list|validate|show`: the problem bank from the command line."""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import AppGroup

from app.bank import BankError, TemplateNotFound, VariantError, load_bank, validate_folder
from app.cas.plain import to_plain

cli = AppGroup("problems", help="The problem bank: templates in the problems folder.")


def _folder() -> str:
    return current_app.config["PROBLEMS_DIR"]


def _bank():
    try:
        return load_bank(_folder())
    except BankError as exc:
        for error in exc.errors:
            click.echo(str(error), err=True)
        raise click.ClickException(
            f"the problem bank has {len(exc.errors)} problem(s); see `flask problems validate`"
        ) from None


@cli.command("list")
def list_templates() -> None:
    """List the templates: id, topic, difficulty and title."""
    bank = _bank()
    for template in sorted(bank.templates, key=lambda t: (t.topic, t.difficulty, t.id)):
        click.echo(
            f"{template.id:<36} {template.topic:<20} {template.difficulty}  {template.title}"
        )
    click.echo(f"{len(bank.templates)} templates in {len(bank.topics)} topics")


@cli.command("validate")
def validate() -> None:
    """Check every template file; exit non-zero listing every problem."""
    errors = validate_folder(_folder())
    if errors:
        for error in errors:
            click.echo(str(error), err=True)
        raise click.ClickException(f"{len(errors)} problem(s) in {_folder()}")
    click.echo(f"All templates in {_folder()} are valid.")


@cli.command("show")
@click.argument("template_id")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option(
    "--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def show(template_id: str, seed: int, output: str) -> None:
    """Print variant SEED of a template: prompt, answer, steps and typical mistakes."""
    bank = _bank()
    try:
        variant = bank.variant(template_id, seed)
    except TemplateNotFound as exc:
        raise click.ClickException(str(exc)) from None
    except VariantError as exc:
        raise click.ClickException(str(exc)) from None
    if output == "json":
        click.echo(json.dumps(variant.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"{variant.title}  [{variant.template_id}, seed {variant.seed}]")
    click.echo(f"Topic: {variant.topic}, difficulty {variant.difficulty}")
    click.echo("")
    click.echo(variant.prompt.rstrip())
    click.echo("")
    if variant.function is not None:
        click.echo(f"Function: {to_plain(variant.function)}   (d/d{variant.wrt.name})")
    click.echo(f"Answer:   {to_plain(variant.expected)}")
    if variant.variables:
        click.echo(f"Variables: {', '.join(variant.variables)}")
    for name, (lo, hi) in variant.domain.items():
        click.echo(f"Domain:   {name} in ({lo:g}, {hi:g})")
    if variant.tolerance is not None:
        relative, absolute = variant.tolerance
        click.echo(f"Tolerance: relative {relative:g}, absolute {absolute:g}")
    for requirement in variant.requirements:
        click.echo(f"Requires: {requirement.label}")
    for solution in variant.solutions:
        click.echo("")
        click.echo(f"Solution ({solution.title}):")
        for number, step in enumerate(solution.steps, 1):
            click.echo(f"  {number}. {step.rule}: {step.text}")
            click.echo(f"       {step.latex}")
    if variant.mistakes:
        click.echo("")
        click.echo("Typical mistakes:")
        for mistake in variant.mistakes:
            click.echo(f"  {to_plain(mistake.shown)}")
            click.echo(f"       {mistake.message}")
