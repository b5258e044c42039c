"""Every word a reader sees is wrapped for translation: in the Jinja templates (text,
reader-facing attributes, sentences inside tags) and in the engine's wording (steps,
mistake messages, requirement sentences, answer errors, plot captions).

A miss reads `file:line: 'text'`; wrap it with `{{ _("…") }}` / `{% trans %}` in a template,
with `_()` (or `N_()` in a table, `_()` where it is used) in Python, then `make translations`
and translate it in app/translations/zh_Hans/LC_MESSAGES/messages.po (README: Translating).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cas.derivation.tree import RULE_NAMES
from tests.i18n.unwrapped import python_misses, template_misses

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "app" / "templates"
# The modules that word what a student reads from the engine.
WORDING = [
    "app/bank/evaluation.py", "app/bank/judge.py", "app/bank/variant.py",
    "app/cas/derivation/methods.py", "app/cas/derivation/notes.py",
    "app/cas/derivation/simplify.py", "app/cas/derivation/steps.py",
    "app/cas/expected.py", "app/cas/form_checks.py", "app/cas/mistakes/analysis.py",
    "app/cas/mistakes/core.py", "app/cas/mistakes/diagnosis.py", "app/cas/mistakes/generate.py",
    "app/cas/mistakes/habits.py", "app/cas/mistakes/precision.py", "app/cas/mistakes/rules.py",
    "app/cas/parse/__init__.py", "app/cas/parse/build.py", "app/cas/parse/hints.py",
    "app/cas/parse/messages.py", "app/cas/parse/tokens.py", "app/cas/plot_text.py",
    "app/cas/requirements.py", "app/checker/plotting.py", "app/checker/tasks.py",
]
# Raised for developers and template authors (the CLI's validation), never shown to students.
DEVELOPER_ERRORS = frozenset({"ValueError", "TypeError", "KeyError", "RuntimeError",
                              "NotImplementedError", "UnknownVariant", "VariantError",
                              "PromptError", "MethodError"})
# Step.rule: a step's rule label for the bank's tools (`flask problems show`), never on a page
# (a page shows the step's sentence and formula).
STEP_LABELS = set(RULE_NAMES.values()) | {
    "Constant multiple rule", "Sum and constant multiple rules", "Sum rule"}


def test_every_template_string_is_wrapped():
    misses = [m for path in sorted(TEMPLATES.rglob("*.html"))
              for m in template_misses(path, ROOT)]
    assert not misses, "unwrapped text in templates:\n" + "\n".join(map(str, misses))


def test_every_engine_sentence_is_wrapped():
    misses = [m for name in WORDING
              for m in python_misses(ROOT / name, ROOT, DEVELOPER_ERRORS)
              if m.text not in STEP_LABELS]
    assert not misses, "unwrapped sentences:\n" + "\n".join(map(str, misses))


@pytest.mark.parametrize("source, found", [
    ("<p>Save the template</p>", "Save the template"),
    ('<input placeholder="Type a name">', "placeholder=Type a name"),
    ('<button aria-label="Close the dialog">×</button>', "aria-label=Close the dialog"),
    ('<input type="submit" value="Send it">', "value=Send it"),
    ('<img alt="A plot" src="x.svg">', "alt=A plot"),
    ("{% block title %}New template{% endblock %}", "New template"),
    ('{{ macro(label="Version history") }}', "Version history"),
    ("<td>{{ row.status.value }}</td>", "{{ ….value }} (show it through a label)"),
    ("<p>{{ n }} attempts left</p>", "attempts left"),
])
def test_the_template_check_finds_a_miss(tmp_path, source, found):
    page = tmp_path / "page.html"
    page.write_text(source, encoding="utf-8")
    assert [m.text for m in template_misses(page, tmp_path)] == [found] or \
        any(found in m.text for m in template_misses(page, tmp_path))


@pytest.mark.parametrize("source", [
    '<p>{{ _("Save the template") }}</p>',
    "<p>{% trans %}Save <b>the</b> template{% endtrans %}</p>",
    '<code>sigma(x)</code><span class="status status-{{ a.status.value }}">GradWork</span>',
    '{{ field(form.name, autocomplete="off", class_="button secondary") }}',
    "<p>σ · {{ n }} %</p>",
])
def test_the_template_check_passes_wrapped_text(tmp_path, source):
    page = tmp_path / "page.html"
    page.write_text(source, encoding="utf-8")
    assert template_misses(page, tmp_path) == []


def test_the_python_check_finds_a_miss(tmp_path):
    module = tmp_path / "wording.py"
    module.write_text(
        '"""Docstrings are not shown."""\n'
        "from app.cas.i18n import _\n"
        "def step(u):\n"
        '    ok = _("Multiply by the inner derivative %(u)s.") % {"u": u}\n'
        '    raise ValueError(f"bad input {u} for the step")\n'
        '    return ok + f"Apply the chain rule to {u}."\n', encoding="utf-8")
    misses = python_misses(module, tmp_path, frozenset({"ValueError"}))
    assert [(m.line, m.text) for m in misses] == [(6, "Apply the chain rule to {}.")]
