"""Input hygiene at one place: no control characters in anything a client sends as text.

PostgreSQL text cannot hold NUL (psycopg raises DataError, which used to surface as a 500),
and the other C0/C1 control characters and lone surrogates have no business in a name, a
title or an answer either: they hide text, break CSV exports and terminals. Every form field,
query parameter and URL segment is checked before any view runs, and every string (keys
included) of a JSON body is checked by `app.web.api.body.read_json` through `find_in_json`.
Tab, line feed and carriage return stay allowed: text areas and pasted rosters contain them.

The reply is a 400 that names the field and the character, so the sender can fix it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from flask import Flask, request
from werkzeug.exceptions import BadRequest

ALLOWED_CONTROLS = frozenset("\t\n\r")


@dataclass(frozen=True)
class Problem:
    """Where a refused character was found: `field` as the client named it."""

    field: str
    position: int
    char: str

    @property
    def message(self) -> str:
        code = f"U+{ord(self.char):04X}"
        name = unicodedata.name(self.char, "")
        what = "an unpaired surrogate" if _is_surrogate(self.char) else "a control character"
        label = f"{code} {name}".strip() if name else code
        return (f'The field "{self.field}" contains {what} ({label}) at position '
                f"{self.position}, which is not allowed. Remove it and send it again.")


def _is_surrogate(char: str) -> bool:
    return 0xD800 <= ord(char) <= 0xDFFF


# Unicode's control characters (category Cc: U+0000-001F and U+007F-009F, a set its
# stability policy fixes) but the allowed ones, and the surrogates (Cs): one regular
# expression scans a field in C, where a category lookup per character cost a fiftieth of a
# graded answer's request.
_CONTROLS = "".join(chr(code) for code in (*range(0x20), *range(0x7F, 0xA0))
                    if chr(code) not in ALLOWED_CONTROLS)
_REFUSED = re.compile(f"[{re.escape(_CONTROLS)}\ud800-\udfff]")


def refused_char(text: str) -> tuple[int, str] | None:
    """The first refused character of `text` and its 0-based position, or None."""
    found = _REFUSED.search(text)
    return None if found is None else (found.start(), found.group())


def _check(field: str, text: str) -> Problem | None:
    found = refused_char(field)
    if found is not None:
        # The field's own name is bad: show it escaped rather than echoing the character.
        return Problem(field.encode("unicode_escape").decode("ascii"), *found)
    found = refused_char(text)
    return None if found is None else Problem(field, *found)


def find_in_pairs(pairs: Iterable[tuple[str, str]]) -> Problem | None:
    for field, value in pairs:
        problem = _check(field, value)
        if problem is not None:
            return problem
    return None


def _walk(value: object, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path or "(body)", value
    elif isinstance(value, dict):
        for key, item in value.items():
            key = str(key)
            child = f"{path}.{key}" if path else key
            yield child, key  # keys are text too
            yield from _walk(item, child)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]")


def find_in_json(value: object, skip: frozenset[str] = frozenset()) -> Problem | None:
    """The first refused character among the strings of a decoded JSON value, named by path
    (`derivative_of.function`, `variables[2]`). Top-level fields named in `skip` are left to
    the caller (their text still counts in the key)."""
    if isinstance(value, dict) and skip:
        value = {key: ("" if key in skip else item) for key, item in value.items()}
    return find_in_pairs(_walk(value, ""))


def _request_pairs() -> Iterator[tuple[str, str]]:
    yield "URL path", request.path
    yield from request.args.items(multi=True)
    # Only form bodies are parsed here; a JSON body is checked where it is decoded.
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        yield from request.form.items(multi=True)
        for field, upload in request.files.items(multi=True):
            yield field, upload.filename or ""


def register(app: Flask) -> None:
    @app.before_request
    def _refuse_control_characters() -> None:
        problem = find_in_pairs(_request_pairs())
        if problem is not None:
            raise BadRequest(problem.message)
