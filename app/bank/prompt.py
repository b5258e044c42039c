"""Prompts: Markdown with LaTeX between $...$ (or $$...$$), rendered to safe HTML.

Template text never reaches the page as HTML: everything outside the math is escaped
before Markdown sees it, and each math segment becomes presentation MathML on the server,
so the page needs no script to show formulas.
"""

from __future__ import annotations

import html
import re

import markdown
from latex2mathml.converter import convert

from app.cas.spoken import labelled, mathml_words

_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.DOTALL)
_MARK = "GWMATHMARK{}END"
_MARK_RE = re.compile(r"GWMATHMARK(\d+)END")


class PromptError(ValueError):
    """LaTeX in a prompt that cannot be turned into MathML."""


def math_segments(text: str) -> list[str]:
    return [block or inline for block, inline in _MATH.findall(text)]


def latex_to_mathml(latex: str, display: bool = False) -> str:
    """MathML for `latex`, with the formula in plain words as `alttext` and `aria-label` (for
    screen readers; `app.cas.spoken`)."""
    try:
        markup = convert(latex, display="block" if display else "inline")
    except Exception as exc:  # the converter raises assorted exceptions for bad input
        raise PromptError(f"cannot read the LaTeX {latex!r}: {exc}") from None
    return labelled(markup, mathml_words(markup))


def prompt_html(text: str) -> str:
    """The prompt as HTML: escaped Markdown, with MathML for the math."""
    rendered: list[str] = []

    def stash(match: re.Match) -> str:
        block, inline = match.group(1), match.group(2)
        rendered.append(latex_to_mathml(block or inline, display=block is not None))
        return _MARK.format(len(rendered) - 1)

    body = _MATH.sub(stash, text)
    body = html.escape(body, quote=False)
    body = markdown.markdown(body, output_format="html")
    return _MARK_RE.sub(lambda m: rendered[int(m.group(1))], body)
