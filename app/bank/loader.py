"""Loading the problem bank: every *.yaml file in a folder is one template."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from pathlib import Path

from app.bank.errors import BankError, TemplateError, TemplateNotFound
from app.bank.forms import prose_problems
from app.bank.schema import check_template
from app.bank.source import Source, YamlProblem, read_source, read_text
from app.bank.template import Template
from app.bank.variant import Variant, VariantError, build_variant, clear_variant_cache
from app.cas.derivation import METHODS
from app.cas.plain import to_plain
from app.cas.symbols import MAX_LENGTH

# Seeds built when a bank is validated: enough to hit most parameter combinations' failure
# modes (a parse error, an unknown placeholder) without making validation slow.
VALIDATION_SEEDS = range(5)


@dataclass(frozen=True)
class Bank:
    path: Path
    templates: tuple[Template, ...]

    def get(self, template_id: str) -> Template:
        for template in self.templates:
            if template.id == template_id:
                return template
        raise TemplateNotFound(template_id)

    def __contains__(self, template_id: str) -> bool:
        return any(t.id == template_id for t in self.templates)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.templates)

    @property
    def topics(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.topic for t in self.templates))

    def by_topic(self, topic: str) -> tuple[Template, ...]:
        return tuple(t for t in self.templates if t.topic == topic)

    def variant(self, template_id: str, seed: int) -> Variant:
        return build_variant(self.get(template_id), seed)


def _template_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())


def _checked(source: Source) -> tuple[Template | None, list[TemplateError]]:
    template, problems = check_template(source)
    if template is None:
        return None, problems
    lines = tuple((path[0], line) for path, line in source.lines.items() if len(path) == 1)
    return replace(template, field_lines=lines), problems


def read_template_text(text: str, name: str) -> tuple[Template | None, list[TemplateError]]:
    """One template from its source text (a course template written in the browser): the
    same reader and schema as a file of the bank."""
    try:
        source = read_text(text, name)
    except YamlProblem as problem:
        return None, [TemplateError(name, None, problem.line, problem.message)]
    return _checked(source)


def template_problems(template: Template, seeds=VALIDATION_SEEDS) -> list[TemplateError]:
    """What a valid schema can still get wrong: a prompt that asks in prose for a form (which
    only `requirements` may state), then the first failure building a few variants."""
    errors = []
    line = dict(template.field_lines).get("prompt")
    for problem in prose_problems(template.prompt):
        errors.append(TemplateError(template.file, "prompt", line, problem))
    for seed in seeds:
        try:
            variant = build_variant(template, seed)
        except VariantError as exc:
            errors.append(exc.error)
            break
        length = len(to_plain(variant.expected))
        if length > MAX_LENGTH:
            field = "answer" if template.answer is not None else "function"
            errors.append(TemplateError(
                template.file, field, dict(template.field_lines).get(field),
                f"the answer of seed {seed} has {length:,} characters, more than a student may "
                f"type ({MAX_LENGTH:,})"))
            break
    return errors


def read_templates(folder: Path) -> tuple[list[Template], list[TemplateError]]:
    """Every valid template in `folder` and every problem with the others (schema only)."""
    folder = Path(folder)
    if not folder.is_dir():
        return [], [TemplateError(str(folder), None, None, "the problems folder does not exist")]
    templates: list[Template] = []
    errors: list[TemplateError] = []
    seen: dict[str, str] = {}
    for path in _template_files(folder):
        name = path.name
        try:
            source = read_source(path, name)
        except YamlProblem as problem:
            errors.append(TemplateError(name, None, problem.line, problem.message))
            continue
        template, problems = _checked(source)
        errors.extend(problems)
        if template is None:
            continue
        if template.id in seen:
            errors.append(
                TemplateError(
                    name,
                    "id",
                    source.line(("id",)),
                    f"id {template.id!r} is already used by {seen[template.id]}",
                )
            )
            continue
        seen[template.id] = name
        templates.append(template)
    return templates, errors


def validate_folder(folder: Path, seeds=VALIDATION_SEEDS) -> list[TemplateError]:
    """Every problem in the folder: schema errors, a prompt that asks in prose for a form
    (which only `requirements` may state), then failures building a few variants."""
    templates, errors = read_templates(folder)
    for template in templates:
        errors.extend(template_problems(template, seeds))
    return errors


_cache: dict[Path, Bank] = {}
_lock = threading.Lock()


def load_bank(path: str | Path) -> Bank:
    """The bank in folder `path`, read once per process; raises BankError if invalid."""
    folder = Path(path).resolve()
    with _lock:
        bank = _cache.get(folder)
        if bank is None:
            templates, errors = read_templates(folder)
            if errors:
                raise BankError(errors)
            bank = Bank(folder, tuple(templates))
            _cache[folder] = bank
    return bank


def clear_cache() -> None:
    """Forget loaded banks (after template files changed)."""
    with _lock:
        _cache.clear()
    clear_variant_cache()


__all__ = ["METHODS", "Bank", "clear_cache", "load_bank", "read_template_text", "read_templates",
           "template_problems", "validate_folder"]
