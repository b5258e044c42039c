"""The engine services as practice views call them: the app's pool, bank and time limit."""

from __future__ import annotations

import re
from collections import OrderedDict

from flask import abort, current_app

from app.cas.pool import PoolError
from app.services import checking, problem_views
from app.services.grading import UnknownVariant
from app.services.practice.attempts import SEED_LIMIT

TEMPLATE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")

# Topics in teaching order, and how to title them; the bank names topics in lower case
# with hyphens. A topic the bank adds later comes after these, alphabetically.
TOPIC_LABELS = {
    "sigmoid": "Sigmoid",
    "chain-rule": "Chain rule",
    "bce": "Binary cross-entropy (BCE)",
    "cross-entropy": "Cross-entropy",
    "logistic-regression": "Logistic regression",
    "softmax": "Softmax and multi-class cross-entropy",
}
TOPIC_ORDER = tuple(TOPIC_LABELS)


def _topic_key(topic: str) -> str:
    return topic.strip().lower().replace(" ", "-")


def topic_label(topic: str) -> str:
    label = TOPIC_LABELS.get(_topic_key(topic))
    if label is not None:
        return label
    words = topic.replace("-", " ")
    return words[:1].upper() + words[1:]


def limits() -> dict:
    config = current_app.config
    return {
        "pool": checking.pool_from_config(config),
        "problems_dir": config["PROBLEMS_DIR"],
        "timeout": config["CHECK_TIMEOUT_SECONDS"],
    }


def catalogue() -> tuple[problem_views.CatalogueEntry, ...]:
    try:
        return problem_views.catalogue(**limits())
    except PoolError:
        abort(503, "The problem bank is busy; please try again in a moment.")


def topics() -> OrderedDict[str, list[problem_views.CatalogueEntry]]:
    grouped: dict[str, list[problem_views.CatalogueEntry]] = {}
    for entry in catalogue():
        grouped.setdefault(entry.topic, []).append(entry)

    def rank(topic: str) -> tuple[int, str]:
        key = _topic_key(topic)
        return (TOPIC_ORDER.index(key) if key in TOPIC_ORDER else len(TOPIC_ORDER), key)

    return OrderedDict((topic, grouped[topic]) for topic in sorted(grouped, key=rank))


def check_variant_id(template_id: str, seed: int) -> None:
    """404 for ids that cannot name a variant, before any engine work."""
    if not TEMPLATE_ID.fullmatch(template_id) or not 0 <= seed < SEED_LIMIT:
        abort(404, "There is no such problem.")
    if template_id not in {entry.template_id for entry in catalogue()}:
        abort(404, "There is no such problem.")


def view(template_id: str, seed: int) -> problem_views.ProblemView:
    check_variant_id(template_id, seed)
    try:
        return problem_views.problem_view(template_id, seed, **limits())
    except UnknownVariant:
        abort(404, "There is no such problem.")
    except PoolError:
        abort(503, "This problem could not be prepared right now; please try again in a moment.")
