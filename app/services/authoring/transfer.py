"""Template text in and out: a copy of a bank file or a shared template under a new id, and
export as YAML files (one, or every template of a course in a zip).

Only text is handled here: the id line of a copy is rewritten as text, never by parsing
the YAML, and the copy is validated by the checker like anything else typed in the editor.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from flask_babel import gettext as _

from app.models import Course, CourseTemplate
from app.services.authoring.store import latest, templates_of
from app.services.errors import NotFound

_ID_LINE = re.compile(r"^id:[ \t]*(?P<value>.*?)[ \t]*$", re.MULTILINE)
_ID_VALUE = re.compile(r"""^(["']?)(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)\1$""")
# A bank file is read only to copy it; none is near this size.
MAX_BANK_FILE = 100_000


def with_id(text: str, new_id: str) -> str:
    """`text` with its top-level `id:` line set to `new_id` (added first when missing)."""
    if _ID_LINE.search(text) is None:
        return f"id: {new_id}\n{text}"
    return _ID_LINE.sub(lambda _m: f"id: {new_id}", text, count=1)


def id_in(text: str) -> str | None:
    """The id the text's `id:` line gives, when it is a plain valid id."""
    match = _ID_LINE.search(text)
    if match is None:
        return None
    value = _ID_VALUE.match(match["value"])
    return value["id"] if value else None


def copy_id(original: str, taken: set[str]) -> str:
    """A new id for a copy of `original`: original-copy, original-copy-2, ..."""
    base = f"{original}-copy"[:56]
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def bank_source(problems_dir: str, template_id: str) -> str:
    """The text of the bank file whose id line is `template_id`."""
    folder = Path(problems_dir)
    for path in sorted(folder.glob("*.y*ml")):
        if not path.is_file() or path.stat().st_size > MAX_BANK_FILE:
            continue
        text = path.read_text(encoding="utf-8")
        if id_in(text) == template_id:
            return text
    raise NotFound(_("The problem bank has no template %(id)s.", id=template_id))


def file_name(template: CourseTemplate) -> str:
    return f"{template.slug}.yaml"


def export_one(template: CourseTemplate) -> tuple[str, str]:
    """The latest version as (file name, YAML text): a file the problems folder accepts."""
    return file_name(template), latest(template).source


def export_all(course: Course) -> bytes:
    """Every template of the course at its latest version, one YAML file each, in a zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for template in templates_of(course):
            name, text = export_one(template)
            archive.writestr(name, text)
    return buffer.getvalue()
