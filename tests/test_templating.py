"""Macro imports through app.web.templating.MacroImportingTemplate answer as Jinja's own do."""

from __future__ import annotations

from jinja2 import DictLoader, Environment

from app.web.templating import MacroImportingTemplate

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
