"""The optional visual formula editor: whether the answer box shows it, and what the page's
Content-Security-Policy then allows.

The answer box asks `formula_editor_wanted()` (a template global, so the macro needs no
argument from every page that includes it): true for a logged-in account that chose the
editor on its Account page. Such a response is marked, and `app.web.security` adds
`style-src-attr 'unsafe-inline'` to its policy — only there, and only that: MathLive lays out
every formula with inline `style="…"` attributes on the spans it builds (heights, depths,
offsets of superscripts and fractions; checked in Chromium: without them a fraction is drawn
as overlapping glyphs), and no nonce or hash can allow attributes whose values depend on the
formula. `<style>` elements and style sheets stay limited to 'self' (MathLive's own style
sheets are constructed ones, which CSP does not govern), scripts are untouched, and its fonts
and sounds are served from 'self' (app/static/vendor/mathlive/).
"""

from __future__ import annotations

from flask import Flask, g
from flask_login import current_user


def formula_editor_wanted() -> bool:
    on = bool(current_user.is_authenticated and getattr(current_user, "formula_editor", False))
    if on:
        g.allow_style_attributes = True  # read by app.web.security for this response
    return on


def register(app: Flask) -> None:
    app.jinja_env.globals["formula_editor_wanted"] = formula_editor_wanted
