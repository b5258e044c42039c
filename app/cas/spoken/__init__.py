"""Mathematics in plain words, for screen readers: the `alttext` and `aria-label` of every
MathML formula the pages show.

`expression_words(expr)` speaks a sympy expression (answers as read, expected answers);
`mathml_words(markup)` speaks presentation MathML made from LaTeX (prompts, worked steps);
`labelled(markup, words)` puts the words on the `<math>` element. The vocabulary is
`app.cas.spoken.words`, one place, ready for translation.
"""

from __future__ import annotations

import re
from html import escape

from app.cas.spoken.expressions import expression_words, symbol_words
from app.cas.spoken.mathml import mathml_words

__all__ = ["expression_words", "labelled", "mathml_words", "symbol_words"]

_MATH_TAG = re.compile(r"(<math\b[^>]*?)(/?>)")


def labelled(markup: str, words: str) -> str:
    """`markup` (a `<math>` element) with `alttext` and `aria-label` set to `words`."""
    if not words:
        return markup
    quoted = escape(words, quote=True)
    return _MATH_TAG.sub(lambda m: f'{m.group(1)} alttext="{quoted}" aria-label="{quoted}"'
                         f"{m.group(2)}", markup, count=1)
