"""The engine's sentences in the reader's language, without Flask.

Worked steps, mistake messages, requirement sentences and answer errors are written in
English and wrapped in `_()` (or marked with `N_` where a table holds them), so
`make translations` collects them into app/translations with the pages' strings. The
checker's tasks run their work inside `speaking(language)`; `_()` then looks the sentence up
in that language's compiled catalogue (stdlib gettext, the same .mo Flask-Babel reads).
Outside `speaking` (the JSON API, the CLI, tests) everything is English, byte for byte.

Sentences with parts that vary are whole format strings with named placeholders,
``_("With u = %(u)s and v = %(v)s: ...") % {"u": ..., "v": ...}``: a translator can move the
parts, and no sentence is ever glued together from English fragments.
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

ENGLISH = "en"
LANGUAGES = (ENGLISH, "zh_Hans")
_CATALOGUES = Path(__file__).resolve().parent.parent / "translations"
_language: ContextVar[str] = ContextVar("gradwork_language", default=ENGLISH)


@cache
def _catalogue(language: str) -> _gettext.NullTranslations:
    # fallback: without a compiled .mo (a checkout before `make`) the sentence stays English.
    return _gettext.translation("messages", str(_CATALOGUES), languages=[language],
                                fallback=True)


def current_language() -> str:
    return _language.get()


@contextmanager
def speaking(language: str | None) -> Iterator[None]:
    """Within the block, `_()` answers in `language` (English for None or an unknown one)."""
    token = _language.set(language if language in LANGUAGES else ENGLISH)
    try:
        yield
    finally:
        _language.reset(token)


def _(message: str) -> str:
    """`message` in the current language (itself in English or when untranslated)."""
    language = _language.get()
    if language == ENGLISH:
        return message
    return _catalogue(language).gettext(message)


def N_(message: str) -> str:  # noqa: N802 - the name gettext's tools look for
    """Marks a sentence for the catalogue where it is defined; `_()` translates it where used."""
    return message


def localized(english: str, chinese: str | None) -> str:
    """A template's own text: its Chinese version when the reader's language is Chinese and
    the template has one, else the English."""
    if _language.get() == "zh_Hans" and chinese:
        return chinese
    return english
