"""app.web.templating: macro imports that answer as Jinja's own do, worked solutions rendered
once."""

from __future__ import annotations

from flask import get_template_attribute
from jinja2 import DictLoader, Environment

from app.checker.results import MethodView, StepView
from app.web.templating import MacroImportingTemplate, SolutionFragments

SOURCES = {
    "macros.html": "{% macro hello() %}hello {{ who | default('nobody') }}{% endmacro %}",
    "page.html": '{% from "macros.html" import hello %}{{ hello() }}',
}


def _environment() -> Environment:
    environment = Environment(loader=DictLoader(SOURCES))
    environment.template_class = MacroImportingTemplate
    return environment


def test_imports_reuse_the_imported_templates_module_when_the_page_adds_no_globals():
    environment = _environment()
    page = environment.get_template("page.html")
    assert page.render() == "hello nobody"
    module = environment.get_template("macros.html")._module
    assert module is not None
    assert page.render() == "hello nobody"
    assert environment.get_template("macros.html")._module is module


def test_a_pages_own_globals_still_reach_the_macros_it_imports():
    environment = _environment()
    environment.get_template("macros.html")
    page = environment.get_template("page.html", globals={"who": "the page"})
    assert page.render() == "hello the page"


def test_the_application_loads_its_templates_with_it(app):
    with app.app_context():
        assert isinstance(app.jinja_env.get_template("base.html"), MacroImportingTemplate)


def _methods(title: str) -> tuple[MethodView, ...]:
    return (MethodView(title=title, steps=(StepView(text="a < b", mathml_source="<math/>"),)),)


def test_a_worked_solution_is_the_macros_html_rendered_once_per_steps_open_and_language(app):
    fragments = SolutionFragments()
    methods = _methods("Quotient rule")
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        macro = get_template_attribute("components/solution.html", "solution")
        shut = fragments(methods)
        assert shut == macro(methods, open=False)
        assert "a &lt; b" in shut and " open>" not in shut
        assert fragments(methods) is shut  # rendered once
        opened = fragments(methods, open=True)
        assert " open>" in opened and opened is not shut
        # Equal steps in another tuple are another variant's: rendered for them.
        assert fragments(_methods("Quotient rule")) is not shut
    with app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        chinese = fragments(methods)
        assert chinese != shut and chinese == macro(methods, open=False)


def test_imports_go_through_the_override():
    # Jinja's compiled imports call `_get_default_module`; were that to change, the override
    # would quietly stop saving anything.
    calls = []

    class Counting(MacroImportingTemplate):
        def _get_default_module(self, ctx=None):
            calls.append(self.name)
            return super()._get_default_module(ctx)

    environment = Environment(loader=DictLoader(SOURCES))
    environment.template_class = Counting
    assert environment.get_template("page.html").render() == "hello nobody"
    assert calls == ["macros.html"]
