"""Finding text a reader sees that is not wrapped for translation.

Templates: Jinja's lexer splits a template into its literal HTML (``data``) and its tags; the
literal HTML, with every tag replaced by a mark, goes through an HTML parser, and any text
node or reader-facing attribute (placeholder, title, alt, aria-label, a button's value…) with
a Latin letter in its literal part is a miss. Strings inside ``{{ }}`` / ``{% %}`` that read
like a sentence (two words or more) and are not the argument of ``_()`` are misses too.

Python (the engine's wording): every string constant or f-string that reads like a sentence
in the modules that word steps, mistakes, requirements and answer errors must be the argument
of ``_()`` or ``N_()``; docstrings and exceptions meant for developers are not shown.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import Environment

MARK = "\x00"
LETTER = re.compile(r"[A-Za-z]")
WORDS = re.compile(r"[A-Za-z]{2,}")
# Shown as they are in every language: the product's name, symbols, units, formats.
ALLOWED = {"GradWork", "LTI", "σ", "σ'", "ŷ", "·", "—", "–", "…", "×", "%", "UTC", "CSV", "API",
           "English", "简体中文", "LMS", "ID", "SVG", "x", "s"}
# Text inside these elements is code, formulas or machine text, not prose.
VERBATIM = {"code", "kbd", "samp", "math", "script", "style", "pre"}
READ_ATTRIBUTES = {"placeholder", "title", "alt", "aria-label", "aria-description",
                   "aria-roledescription", "aria-valuetext", "summary", "label"}
WRAPPERS = {"_", "gettext", "ngettext", "lazy_gettext", "_l", "N_", "pgettext"}


@dataclass(frozen=True)
class Miss:
    where: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.where}:{self.line}: {self.text!r}"


def _needs_translation(text: str) -> bool:
    text = " ".join(text.replace(MARK, " ").split())
    if not text or not LETTER.search(text):
        return False
    pieces = [p for p in re.split(r"[\s()\[\],:;.!?/|]+", text) if p]
    return any(LETTER.search(p) and p not in ALLOWED for p in pieces)


class _Scanner(HTMLParser):
    def __init__(self, where: str, lines: list[int]) -> None:
        super().__init__(convert_charrefs=True)
        self.where = where
        self.lines = lines  # the template line of each character offset's line in the feed
        self.misses: list[Miss] = []
        self.verbatim = 0

    def _line(self) -> int:
        return self.lines[min(self.getpos()[0] - 1, len(self.lines) - 1)]

    def handle_starttag(self, tag, attrs):
        if tag in VERBATIM:
            self.verbatim += 1
        attributes = dict(attrs)
        for name, value in attrs:
            shown = name in READ_ATTRIBUTES or (
                name == "value" and tag == "input"
                and attributes.get("type") in {"submit", "button", "reset"})
            if shown and value and _needs_translation(value):
                self.misses.append(Miss(self.where, self._line(), f"{name}={value}"))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in VERBATIM:
            self.verbatim -= 1

    def handle_endtag(self, tag):
        if tag in VERBATIM and self.verbatim:
            self.verbatim -= 1

    def handle_data(self, data):
        if not self.verbatim and _needs_translation(data):
            self.misses.append(Miss(self.where, self._line(), data.strip()))


def _sentence(text: str) -> bool:
    return len(WORDS.findall(text)) >= 2 and " " in text.strip()


def _formatted_sentence(node: ast.JoinedStr, text: str) -> bool:
    """An f-string that starts a sentence with a word ("Simplify {what}.") is one, however
    short."""
    return any(isinstance(v, ast.FormattedValue) for v in node.values) \
        and re.match(r"[A-Z][a-z]{2,} ", text) is not None


# Keyword arguments whose strings are markup, not words (`class_="button secondary"`).
MACHINE_ARGUMENTS = {"class_", "class", "autocomplete", "testid", "id", "type", "method", "filename",
                     "inputmode", "layout", "input_id", "name"}


def _tag_strings(tokens: list, where: str) -> list[Miss]:
    """Sentence-like string literals in tags that are not inside a `_(...)` call."""
    misses, calls = [], []  # calls: for each open parenthesis, whether it is a wrapper's
    before = [(0, "", ""), (0, "", "")]  # the two tokens before this one
    last_data = ""
    for line, kind, value in tokens:
        if kind == "data":
            last_data = value
        if kind == "lparen":
            calls.append(before[-1][1] == "name" and before[-1][2] in WRAPPERS)
        elif kind == "rparen" and calls:
            calls.pop()
        elif kind == "string" and not any(calls) and _sentence(value):
            machine = before[-1][1] == "assign" and before[-2][2] in MACHINE_ARGUMENTS
            if not machine:
                misses.append(Miss(where, line, value))
        in_attribute = re.search(r"""[\w"'=-]$""", last_data) is not None
        if kind == "variable_end" and before[-1][2] == "value" and before[-2][1] == "dot" \
                and not in_attribute:
            # {{ x.status.value }}: a stored identifier printed as it is, not its label.
            misses.append(Miss(where, line, "{{ ….value }} (show it through a label)"))
        if kind in {"variable_end", "block_end"}:
            calls = []
        before = [before[-1], (line, kind, value)]
    return misses


def template_misses(path: Path, root: Path) -> list[Miss]:
    where = str(path.relative_to(root))
    env = Environment(extensions=["jinja2.ext.i18n"])
    tokens = [(t.lineno, t.type, t.value)
              for t in env.lexer.tokenize(path.read_text(encoding="utf-8"))]
    feed, lines = [], [1]  # lines: the template line of each line of the feed
    translated = False  # inside {% trans %} … {% endtrans %}: the block's text is the msgid
    for index, (line, kind, value) in enumerate(tokens):
        if kind == "name" and tokens[index - 1][1] == "block_begin":
            translated = {"trans": True, "endtrans": False}.get(value, translated)
        if kind == "data" and translated:
            feed.append(MARK + "\n" * value.count("\n"))
            lines.extend(line + i + 1 for i in range(value.count("\n")))
        elif kind == "data":
            feed.append(value)
            lines.extend(line + i + 1 for i in range(value.count("\n")))
        elif kind in {"variable_begin", "block_begin"}:
            feed.append(MARK)
    scanner = _Scanner(where, lines)
    scanner.feed("".join(feed))
    scanner.close()
    return scanner.misses + _tag_strings(tokens, where)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


# LaTeX (a formula's source) and regular expressions are not words.
CODE = re.compile(r"\\[A-Za-z]+|\(\?P<")


def python_misses(path: Path, root: Path, developer_errors: frozenset[str],
                  developer_calls: frozenset[str] = frozenset({"fail"})) -> list[Miss]:
    """Sentence-like strings of `path` outside `_()`/`N_()`; strings inside ``raise X(...)``
    for an X in `developer_errors`, or in a call of a method in `developer_calls` (a template
    author's error: ``self.fail(...)``), are not shown to students."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs, skip = _docstrings(tree), set()
    for node in ast.walk(tree):
        wrapped = isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
            and node.func.id in WRAPPERS
        developer = isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) \
            and getattr(node.exc.func, "id", None) in developer_errors
        logging = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and getattr(node.func.value, "id", None) == "log"
        authoring = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr in developer_calls
        if wrapped or developer or logging or authoring:
            skip.update(id(inner) for inner in ast.walk(node))
    misses = []
    for node in ast.walk(tree):
        if id(node) in skip or id(node) in docs:
            continue
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
            skip.update(id(v) for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        formatted = isinstance(node, ast.JoinedStr) and _formatted_sentence(node, text)
        if (_sentence(text) or formatted) and not text.lstrip().startswith("<") \
                and not CODE.search(text):
            misses.append(Miss(str(path.relative_to(root)), node.lineno, text))
    return misses
