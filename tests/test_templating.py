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


def _counting(app, monkeypatch) -> list:
    built = []
    real = app.url_for

    def url_for(endpoint, **values):
        built.append(endpoint)
        return real(endpoint, **values)

    monkeypatch.setattr(app, "url_for", url_for)
    return built


def test_page_urls_are_flasks_own_built_once(app, monkeypatch):
    from app.web.templating import PageUrls

    urls = PageUrls(app)
    built = _counting(app, monkeypatch)
    calls = [("practice.topics", {}), ("practice.problem", {"template_id": 1, "seed": 1}),
             ("practice.problem", {"template_id": True, "seed": 1}),
             ("static", {"filename": "answer.js"}), ("practice.start", {"template_id": "t1",
                                                                         "after": None}),
             ("practice.topics", {"_anchor": "top"})]
    with app.test_request_context("/"):
        expected = [app.url_for(endpoint, **values) for endpoint, values in calls]
        built.clear()
        assert [urls(endpoint, **values) for endpoint, values in calls] == expected
        assert [urls(endpoint, **values) for endpoint, values in calls] == expected
    assert len(built) == len(calls)  # the second round came from memory
    assert expected[1] != expected[2]  # 1 and True are equal keys but different values
    assert expected[-1] == "/practice/#top"


def test_page_urls_follow_the_blueprint_and_root_of_the_request(app):
    from app.web.templating import PageUrls

    urls = PageUrls(app)
    # One relative name, two blueprints: each request gets its own blueprint's URL.
    with app.test_request_context("/auth/login"):
        assert urls(".login") == "/auth/login"
    with app.test_request_context("/lti/login"):
        assert urls(".login") == "/lti/login"
    with app.test_request_context("/practice/", base_url="http://example.org/mounted"):
        assert urls("practice.topics") == "/mounted/practice/"
    with app.test_request_context("/practice/", base_url="http://example.org/"):
        assert urls("practice.topics") == "/practice/"


def test_external_urls_follow_the_host_and_scheme_and_are_not_kept(app, monkeypatch):
    from app.web.templating import PageUrls

    urls = PageUrls(app)
    built = _counting(app, monkeypatch)
    for base in ("http://example.org/", "https://example.org/", "http://other.example/"):
        with app.test_request_context("/", base_url=base):
            assert urls("practice.topics", _external=True) == base + "practice/"
    assert len(built) == 3


def test_page_urls_leave_long_values_and_other_types_to_flask(app, monkeypatch):
    from app.web.templating import PageUrls

    urls = PageUrls(app)
    built = _counting(app, monkeypatch)
    long_answer = "x+" * 200 + "1"
    with app.test_request_context("/"):
        for _ in range(2):
            urls("practice.topics", answer=long_answer)
            urls("practice.topics", tags=("a", "b"))
        assert urls("practice.topics", x=0.0) != urls("practice.topics", x=-0.0)
    assert len(built) == 6


def test_page_urls_keep_a_bounded_number(app):
    from app.web.templating import PageUrls

    urls = PageUrls(app, size=3)
    with app.test_request_context("/"):
        for seed in range(10):
            assert urls("practice.problem", template_id="t", seed=seed) == f"/practice/t/{seed}"
    assert len(urls._built) <= 3


def test_templates_use_them(app):
    from app.web.templating import PageUrls

    assert isinstance(app.jinja_env.globals["url_for"], PageUrls)


def test_a_pure_macros_fragment_is_its_html_made_once_per_arguments_and_language(app):
    from markupsafe import Markup

    from app.web.templating import MacroFragments

    fragments = MacroFragments()
    name = "components/verdict.html"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        macro = get_template_attribute(name, "verdict")
        said = fragments(name, "verdict", "incorrect", message="a < b",
                         answer_mathml=Markup("<math><mi>x</mi></math>"))
        assert said == macro("incorrect", message="a < b",
                             answer_mathml=Markup("<math><mi>x</mi></math>"))
        assert "a &lt; b" in said and "<mi>x</mi>" in said
        assert fragments(name, "verdict", "incorrect", message="a < b",
                         answer_mathml=Markup("<math><mi>x</mi></math>")) is said
        # The same text as a plain string is escaped: another key, another rendering.
        marked = fragments(name, "verdict", "incorrect", message=Markup("a < b"),
                           answer_mathml=Markup("<math><mi>x</mi></math>"))
        assert marked != said and "a < b" in marked
        assert marked == macro("incorrect", message=Markup("a < b"),
                               answer_mathml=Markup("<math><mi>x</mi></math>"))
        english = fragments(name, "verdict", "correct")
    with app.test_request_context("/", headers={"Accept-Language": "zh"}):
        chinese = fragments(name, "verdict", "correct")
        assert chinese != english and "正确" in chinese


def test_long_or_unhashable_arguments_are_rendered_each_time(app):
    from app.web.templating import MacroFragments

    fragments = MacroFragments()
    name = "components/verdict.html"
    with app.test_request_context("/"):
        long_message = "y" * (MacroFragments.MAX_TEXT + 1)
        first = fragments(name, "verdict", "incorrect", message=long_message)
        assert fragments(name, "verdict", "incorrect", message=long_message) is not first
        assert long_message in first
        listed = fragments(name, "verdict", "incorrect", message=["unhashable"])
        assert "unhashable" in listed
