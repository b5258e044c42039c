"""Templates' `_()` and `gettext()` (app.web.language._page_gettext) say what Jinja's own
newstyle gettext says: the same sentences, escaped and formatted the same way."""

from __future__ import annotations

import pytest
from jinja2 import Environment

from app.web.language import _page_gettext, _translations

SOURCES = [
    '{{ _("Check my answer") }}',
    '{{ gettext("Check my answer") }}',
    '{{ _("Your progress on this family: %(correct)s of %(attempted)s correct.", '
    'correct="<b>3</b>", attempted=4) }}',
    '{{ _("100%% of %(who)s", who="<i>") }}',
    '{{ _("plain 100%% sure") }}',
    '{{ _("no variables: <em>kept</em>") }}',
    "{% trans who='<x>' %}Hello {{ who }}, 50%% done{% endtrans %}",
    "{% trans %}Hello, nobody{% endtrans %}",
    '{{ _("In %(context)s", context="<c>") }}',
    '{{ _("%(string)s said", string="s") }}',
    "{% trans context='k' %}By {{ context }}{% endtrans %}",
]


def _jinjas_own(translations, autoescape: bool) -> Environment:
    environment = Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape)
    environment.install_gettext_callables(
        gettext=translations.ugettext, ngettext=translations.ungettext, newstyle=True)
    return environment


def _ours(autoescape: bool) -> Environment:
    environment = Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape)
    environment.install_gettext_callables(gettext=str, ngettext=str, newstyle=True)
    environment.globals.update({"_": _page_gettext, "gettext": _page_gettext})
    return environment


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("autoescape", [True, False])
def test_every_sentence_reads_as_with_jinjas_own_gettext(app, language, autoescape):
    with app.test_request_context("/", headers={"Accept-Language": language}):
        reference = _jinjas_own(_translations(), autoescape)
        ours = _ours(autoescape)
        for source in SOURCES:
            assert ours.from_string(source).render() == \
                reference.from_string(source).render(), source


def test_the_application_says_a_page_in_its_language(app):
    with app.test_request_context("/", headers={"Accept-Language": "zh"}):
        page = app.jinja_env.from_string('{{ _("Check my answer") }}|{{ _("x %(n)s", n="<") }}')
        assert page.render() == "检查我的答案|x &lt;"
        assert app.jinja_env.globals["_"] is _page_gettext


def test_a_sentence_missing_its_variable_fails_as_with_jinjas_own(app):
    with app.test_request_context("/"):
        source = '{{ _("%(missing)s here") }}'
        with pytest.raises(KeyError):
            _jinjas_own(_translations(), True).from_string(source).render()
        with pytest.raises(KeyError):
            _ours(True).from_string(source).render()
