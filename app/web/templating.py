"""What every template may use beyond Flask's own: the answer length limit, formulas that
wrap on a phone, worked solutions, verdicts and URLs made once; and imports of macros
that cost what they should."""

from __future__ import annotations

import threading
from datetime import datetime

from cachetools import LRUCache
from flask import Flask, current_app, has_request_context, request
from jinja2 import Template
from markupsafe import Markup

from app.cas.linebreak import breakable
from app.cas.symbols import MAX_LENGTH
from app.web import markdown_text
from app.web.language import page_language


def wrap_math(mathml: str | None) -> Markup | None:
    """Engine-made MathML (an answer as read) cut where a narrow line may break it
    (`app.cas.linebreak`); it stays inline in its sentence."""
    if not mathml:
        return None
    # The engine's printer's output, re-serialised from its parsed tree: no student text.
    return Markup(breakable(str(mathml), "math-run"))  # noqa: S704


def parse_iso(text: str) -> datetime:
    """A UTC time as the audit log keeps it (``2026-03-01T12:00:00Z``)."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class MacroImportingTemplate(Template):
    """Jinja's Template, with `{% from ... import %}` made cheap.

    Each import asks whether the importing page has globals the imported template lacks
    (then Jinja builds the module afresh for it); it asks with a set difference against a
    ChainMap's keys view, one Python-level lookup per global (thirty-odd) per import, about a
    twentieth of a problem page's rendering. Building the ChainMap's keys as a set first gives
    the same answer in C. Only the question is faster: what Jinja does with the answer is its
    own (`super()`).
    """

    def _get_default_module(self, ctx=None):
        if ctx is not None and ctx.globals_keys.issubset(self.globals):
            ctx = None  # nothing new: the cached module serves, as Jinja itself would decide
        return super()._get_default_module(ctx)


class _RenderedOnce:
    """HTML kept under a key with the objects it was made from, and given back only while
    they are the very same objects (a reloaded template, a reused id: made anew)."""

    def __init__(self, size: int = 512):
        self._cache: LRUCache = LRUCache(size)
        self._lock = threading.Lock()

    def _recall(self, key, *made_from) -> Markup | None:
        with self._lock:
            found = self._cache.get(key)  # TypeError for a key that cannot be hashed
        if found is not None and all(a is b for a, b in zip(found[:-1], made_from, strict=True)):
            return found[-1]
        return None

    def _keep(self, key, html: Markup, *made_from) -> Markup:
        with self._lock:
            self._cache[key] = (*made_from, html)
        return html


class SolutionFragments(_RenderedOnce):
    """A variant's worked solution as HTML, rendered once per (steps, open, language).

    The steps come from a cached view and never change; rendering them (a list item and an
    escape per step) was a twentieth of an answered page. An entry is keyed by the steps
    tuple's identity and keeps that tuple, so an id reused by a later tuple never matches;
    it keeps the macro's template too, so a template reloaded in development renders anew.
    Assignment variants are per student: a miss costs one rendering, as before.
    """

    def __call__(self, methods, open: bool = False) -> Markup:  # noqa: A002 - the macro's name
        template = current_app.jinja_env.get_template("components/solution.html")
        key = (id(methods), bool(open), page_language())
        found = self._recall(key, methods, template)
        if found is not None:
            return found
        # The macro's own output: Markup, escaped by the template as on any page.
        return self._keep(key, template.module.solution(methods, open=bool(open)),
                          methods, template)


class MacroFragments(_RenderedOnce):
    """A pure macro's HTML, rendered once per (macro, arguments, language):
    `{{ fragment("components/verdict.html", "verdict", state, message=...) }}`.

    Only for macros whose output depends on nothing but their arguments and the page's
    language (no request, no user, no time): the verdict on an answer is one, and a class
    answering one problem sends the same few answers, each with its same sentences and
    MathML. The arguments' types are part of the key (Markup and str of the same text
    render differently); arguments that cannot be hashed, or long ones (a long answer's
    MathML), are rendered each time. An entry keeps the macro's template, so a template
    reloaded in development renders anew.
    """

    MAX_TEXT = 4000

    def __init__(self, size: int = 2048):
        super().__init__(size)

    def __call__(self, template_name: str, macro_name: str, /, *args, **kwargs) -> Markup:
        template = current_app.jinja_env.get_template(template_name)
        macro = getattr(template.module, macro_name)
        given = (*args, *kwargs.values())
        if sum(len(v) for v in given if isinstance(v, str)) > self.MAX_TEXT:
            return macro(*args, **kwargs)
        key = (template_name, macro_name, args, tuple(sorted(kwargs.items())),
               tuple(v.__class__ for v in given), page_language())
        try:
            found = self._recall(key, template)
        except TypeError:  # an argument that cannot be hashed
            return macro(*args, **kwargs)
        if found is not None:
            return found
        return self._keep(key, macro(*args, **kwargs), template)


class PageUrls:
    """`url_for` in templates, each URL built once per (endpoint, values, root).

    A page builds twenty-odd URLs (the header's links, the form's action, the static files),
    each through Werkzeug's rule matching and quoting: about a thirtieth of a graded page.
    Within a request, with no URL defaults registered, a path depends on nothing else: a
    relative endpoint (".problem") is keyed by the request's blueprint, as Flask resolves it,
    and the path by the application's root (SCRIPT_NAME). Flask builds as before what the
    key would not pin down: external URLs (their host is the client's Host header, which
    must not fill the cache), values other than text, whole numbers and booleans (0.0 and
    -0.0 are equal keys), long values (an answer in a plot's URL), and anything outside a
    request. A plain dict, emptied when full: the lookup is most of what a hit costs.
    """

    MAX_VALUE_LENGTH = 200
    _KEYABLE = (str, int, bool, type(None))

    def __init__(self, app: Flask, size: int = 4096):
        self._app = app
        self._size = size
        self._built: dict[tuple, str] = {}

    def _keyable(self, values: dict) -> bool:
        if "_external" in values or "_scheme" in values \
                or any(self._app.url_default_functions.values()):
            return False
        return all(v.__class__ in self._KEYABLE
                   and (v.__class__ is not str or len(v) <= self.MAX_VALUE_LENGTH)
                   for v in values.values())

    def __call__(self, endpoint: str, /, **values) -> str:
        if not has_request_context() or not self._keyable(values):
            return self._app.url_for(endpoint, **values)
        current = request._get_current_object()  # one proxy lookup for two attributes
        # The values' types too: 1 and True are equal keys but build different URLs.
        key = (endpoint, current.blueprint if endpoint[:1] == "." else None,
               current.script_root, tuple(values.items()),
               tuple([v.__class__ for v in values.values()]))
        try:
            return self._built[key]
        except KeyError:
            pass
        url = self._app.url_for(endpoint, **values)
        if len(self._built) >= self._size:
            self._built.clear()
        self._built[key] = url
        return url


def register(app: Flask) -> None:
    app.add_template_global(SolutionFragments(), "worked_solution")
    app.add_template_global(MacroFragments(), "fragment")
    app.add_template_global(PageUrls(app), "url_for")
    # Before any template is loaded: loaded templates keep the class they were made with.
    app.jinja_env.template_class = MacroImportingTemplate
    app.add_template_global(parse_iso, "parse_iso")
    app.add_template_filter(wrap_math, "wrap_math")
    app.add_template_filter(markdown_text.render, "markdown")
    # The longest answer the checker reads: the answer box says so rather than cutting.
    app.add_template_global(MAX_LENGTH, "answer_max_length")
