"""Bank files under assignment items: which file text an item was added from, and which
items' files have changed since.

Items of bank templates name a bank id, and the bank follows the files on disk, so a deploy
that edits a file changes those items' variants and grading. The content hash recorded when
an item is added makes that visible: the assignment page lists the items whose file changed
and offers to accept the new files and regrade. Files are read as text and hashed, never
parsed here.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.models import ItemSource
from app.models.assignment import Assignment, AssignmentItem
from app.models.base import utcnow
from app.services.authoring.transfer import MAX_BANK_FILE, id_in

_lock = threading.Lock()
_cache: dict[str, tuple[tuple, dict[str, str]]] = {}


def _stamp(folder: Path) -> tuple:
    return tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size)
                        for p in folder.glob("*.y*ml") if p.is_file()))


def file_hashes(problems_dir: str) -> dict[str, str]:
    """Bank id → sha256 of its file's text, read again only when a file changed."""
    folder = Path(problems_dir)
    if not folder.is_dir():
        return {}
    stamp = _stamp(folder)
    with _lock:
        cached = _cache.get(str(folder))
        if cached is not None and cached[0] == stamp:
            return cached[1]
    hashes = {}
    for name, _mtime, size in stamp:
        if size > MAX_BANK_FILE:
            continue
        text = (folder / name).read_text(encoding="utf-8")
        template_id = id_in(text)
        if template_id is not None:
            hashes[template_id] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with _lock:
        _cache[str(folder)] = (stamp, hashes)
    return hashes


def record(item: AssignmentItem, hashes: dict[str, str]) -> None:
    """Remember the file text a bank item is built from now (nothing for course templates)."""
    current = hashes.get(item.template_id)
    if current is None:
        return
    found = db.session.get(ItemSource, item.id)
    if found is None:
        db.session.add(ItemSource(item_id=item.id, content_hash=current))
    else:
        found.content_hash, found.recorded_at = current, utcnow()
    db.session.flush()


def changed_items(assignment: Assignment, hashes: dict[str, str]) -> list[AssignmentItem]:
    """Items whose bank file is no longer the text they were added from."""
    ids = [item.id for item in assignment.items]
    if not ids:
        return []
    recorded = {row.item_id: row.content_hash for row in db.session.scalars(
        select(ItemSource).where(ItemSource.item_id.in_(ids)))}
    return [item for item in assignment.items
            if item.id in recorded and hashes.get(item.template_id) not in (None,
                                                                            recorded[item.id])]


def accept(assignment: Assignment, hashes: dict[str, str]) -> int:
    """Record the current files for every changed item; the caller starts the regrade."""
    items = changed_items(assignment, hashes)
    for item in items:
        record(item, hashes)
    return len(items)
