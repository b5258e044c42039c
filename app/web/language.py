"""Which language a page is shown in: the account's choice, else the browser's
`Accept-Language`, else English. Catalogues live in app/translations (compiled by `make`)."""

from __future__ import annotations

from flask import Flask, request
from flask_login import current_user

from app.extensions import babel

# Babel's names for the languages the catalogues cover; English is the source language.
LANGUAGES = ("en", "zh_Hans")
# What browsers send for Chinese and the catalogue that serves it (Traditional is not offered:
# a reader of zh-TW gets English rather than the wrong script).
_BROWSER_TAGS = {"en": "en", "zh": "zh_Hans", "zh_CN": "zh_Hans", "zh_Hans": "zh_Hans",
                 "zh_SG": "zh_Hans", "zh_Hans_CN": "zh_Hans"}


def select_locale() -> str:
    chosen = getattr(current_user, "language", None) if current_user else None
    if chosen in LANGUAGES:
        return chosen
    for tag, _quality in request.accept_languages:
        normalized = tag.replace("-", "_")
        if normalized in _BROWSER_TAGS:
            return _BROWSER_TAGS[normalized]
        primary = normalized.split("_", 1)[0]
        if primary == "en":
            return "en"
    return "en"


def register(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, default_translation_directories=str(
        app.root_path + "/translations"))
