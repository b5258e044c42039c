"""Per-student variants: which seed of an item's template a student answers.

The seed is an HMAC-SHA256 of (student id, item id) under the assignment's secret. It is
stable across restarts and Python versions (unlike `hash()`), differs between students, and
without the secret one student's seed says nothing about another's. It is taken in the
assessment seed space (`app/bank/spaces.py`), whose variants practice never shows.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from app.bank import SEED_RANGE
from app.bank.spaces import ASSESSMENT_SEEDS


def new_secret() -> str:
    return secrets.token_hex(32)


def derive_seed(secret: str, student_id: int, item_id: int, seed_range: int = SEED_RANGE) -> int:
    message = f"gradwork-variant:v1:{int(student_id)}:{int(item_id)}".encode()
    digest = hmac.new(bytes.fromhex(secret), message, hashlib.sha256).digest()
    # 64 bits reduced modulo a 31-bit range: the bias is below 2**-32, irrelevant here.
    return int.from_bytes(digest[:8], "big") % seed_range


def seed_for(assignment, item, student_id: int) -> int:
    if assignment.legacy_seeds:
        # Made before the seed spaces: the seed it always gave, negated (app/bank/spaces.py).
        return -1 - derive_seed(assignment.secret, student_id, item.id)
    return ASSESSMENT_SEEDS.start + derive_seed(assignment.secret, student_id, item.id,
                                                len(ASSESSMENT_SEEDS))
