"""Practice topics: the bank's templates grouped by topic, in teaching order, with titles."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l

from app.checker.results import CatalogueEntry

# Topics in teaching order, and how to title them; the bank names topics in lower case
# with hyphens. A topic the bank adds later comes after these, alphabetically.
TOPIC_LABELS = {
    "sigmoid": _l("Sigmoid"),
    "chain-rule": _l("Chain rule"),
    "bce": _l("Binary cross-entropy (BCE)"),
    "cross-entropy": _l("Cross-entropy"),
    "logistic-regression": _l("Logistic regression"),
    "softmax": _l("Softmax and multi-class cross-entropy"),
}
TOPIC_ORDER = tuple(TOPIC_LABELS)


def _topic_key(topic: str) -> str:
    return topic.strip().lower().replace(" ", "-")


def topic_label(topic: str) -> str:
    label = TOPIC_LABELS.get(_topic_key(topic))
    if label is not None:
        return str(label)
    words = topic.replace("-", " ")
    return words[:1].upper() + words[1:]


def by_topic(entries: Iterable[CatalogueEntry]) -> OrderedDict[str, list[CatalogueEntry]]:
    grouped: dict[str, list[CatalogueEntry]] = {}
    for entry in entries:
        grouped.setdefault(entry.topic, []).append(entry)

    def rank(topic: str) -> tuple[int, str]:
        key = _topic_key(topic)
        return (TOPIC_ORDER.index(key) if key in TOPIC_ORDER else len(TOPIC_ORDER), key)

    return OrderedDict((topic, grouped[topic]) for topic in sorted(grouped, key=rank))
