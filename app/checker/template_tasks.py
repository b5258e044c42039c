"""Pool tasks about course templates: the instructor's text read by the bank's reader, in a
worker (the web process never parses it). Like `app.checker.tasks`, nothing here touches
Flask, the database or the services."""

from __future__ import annotations

from app.bank.loader import read_template_text, template_problems
from app.bank.template import Template
from app.bank.variant import VariantError, build_variant
from app.cas.i18n import speaking
from app.cas.linebreak import breakable
from app.cas.plain import to_plain
from app.cas.render import to_mathml
from app.checker.course_templates import (
    MistakePreview,
    SeedPreview,
    TemplateProblem,
    TemplateReport,
)
from app.checker.tasks import variant_view


def _problem_of(error) -> TemplateProblem:
    return TemplateProblem(error.field, error.line, error.message)


def _seed_preview(template: Template, seed: int) -> SeedPreview:
    variant = build_variant(template, seed)
    mistakes = tuple(
        MistakePreview(breakable(to_mathml(m.shown)), to_plain(m.shown), m.message)
        for m in variant.mistakes)
    return SeedPreview(view=variant_view(variant, template.id, seed),
                       answer_plain=to_plain(variant.expected),
                       requirements=tuple(r.label for r in variant.requirements),
                       mistakes=mistakes)


def inspect_template(text: str, name: str, preview_seeds: tuple[int, ...],
                     language: str = "en") -> TemplateReport:
    """Pool task: validate a template's source exactly as `flask problems validate` checks a
    file (schema, prose that asks for a form, variants that fail to build), then preview the
    given seeds (their steps and mistakes in `language`). Nothing of the text is executed: it
    is YAML, and its expressions go through the answer parser."""
    with speaking(language):
        return _inspect(text, name, preview_seeds)


def _inspect(text: str, name: str, preview_seeds: tuple[int, ...]) -> TemplateReport:
    template, errors = read_template_text(text, name)
    if template is not None and not errors:
        errors = template_problems(template)
    problems = tuple(_problem_of(error) for error in errors)
    if template is None:
        return TemplateReport(None, None, None, problems)
    previews: tuple[SeedPreview, ...] = ()
    if not problems:
        try:
            previews = tuple(_seed_preview(template, seed) for seed in preview_seeds)
        except VariantError as exc:
            problems = (_problem_of(exc.error),)
            previews = ()
    return TemplateReport(template.id, template.title, template.topic, problems, previews)
