"""The Chinese catalogue is complete: every string the sources wrap (extracted now, as
`make translations` does) has a non-fuzzy, non-empty translation with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "app" / "translations" / "zh_Hans" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "N_": None,
            "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\([A-Za-z_0-9]+\)[sd]|%%|%[sd]")
# Formats in the source language only (Python dates): not words.
METHOD_MAP = [("app/**.py", "python"), ("app/templates/**.html", "jinja2")]


def _catalogue():
    with PO.open("rb") as handle:
        return read_po(handle)


def _extracted() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), METHOD_MAP, keywords=KEYWORDS,
            options_map={"app/templates/**.html": {"trimmed": "true"}}):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_wrapped_string_is_in_the_catalogue():
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalogue() if m.id}
    missing = sorted(_extracted() - known)
    assert not missing, ("not in messages.po; run `make translations` and translate:\n"
                         + "\n".join(missing))


def test_every_message_has_a_translation():
    untranslated = [m.id for m in _catalogue() if m.id and (
        "fuzzy" in m.flags or not all(s.strip() for s in (
            m.string if isinstance(m.string, tuple) else (m.string,))))]
    assert not untranslated, "empty or fuzzy in messages.po:\n" + "\n".join(map(str, untranslated))


def test_placeholders_match():
    wrong = []
    for m in _catalogue():
        if not m.id:
            continue
        source = m.id if isinstance(m.id, str) else m.id[0]
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for text in strings:
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
                wrong.append(f"{source!r} -> {text!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_translations_are_chinese():
    han = re.compile(r"[\u4e00-\u9fff]")
    # Names, symbols and formats that read the same in Chinese.
    same = {"; ", ", ", "%(first)s and %(second)s", "%(start)s.", "%(sentence)s.", "Id",
            "%(items)s or %(last)s", "state cookie", "ID"}
    latin = [m.id for m in _catalogue() if m.id and isinstance(m.id, str) and m.id not in same
             and re.search(r"[A-Za-z]{3}", re.sub(r"%\(\w+\)s|<[^>]+>", "", m.id))
             and not han.search(m.string)]
    assert not latin, "translations without Chinese:\n" + "\n".join(latin)
