"""A student's practice progress: attempts, correct answers and current streak, per problem
family (template) and per topic.

Only verdicts count: unreadable answers and time-outs are stored but are not attempts. And
only the first verdict on a variant counts: answering the same variant again after seeing
its worked solution proves nothing, and must not pad a streak.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select

from app.checker.results import COUNTED
from app.extensions import db
from app.models.practice import PracticeSubmission, Verdict


@dataclass(frozen=True)
class Progress:
    attempted: int = 0
    correct: int = 0
    # Correct answers in a row, most recent first; a miss resets it to 0.
    streak: int = 0

    def after(self, verdict: Verdict) -> Progress:
        if verdict is Verdict.CORRECT:
            return Progress(self.attempted + 1, self.correct + 1, self.streak + 1)
        return Progress(self.attempted + 1, self.correct, 0)


@dataclass(frozen=True)
class Report:
    templates: dict[str, Progress] = field(default_factory=dict)
    topics: dict[str, Progress] = field(default_factory=dict)
    # Variants (template id, seed) already answered with a verdict.
    answered: frozenset[tuple[str, int]] = frozenset()


def report(user_id: int, topic_of: Mapping[str, str]) -> Report:
    """Progress per template and per topic (`topic_of` maps template ids to topics; templates
    missing from it still count per template but not in any topic)."""
    rows = db.session.execute(
        select(PracticeSubmission.template_id, PracticeSubmission.seed,
               PracticeSubmission.verdict)
        .where(PracticeSubmission.user_id == user_id, PracticeSubmission.verdict.in_(COUNTED))
        # Insertion order is submission order, even when two rows share a timestamp.
        .order_by(PracticeSubmission.id)
    ).all()
    templates: dict[str, Progress] = {}
    topics: dict[str, Progress] = {}
    answered: set[tuple[str, int]] = set()
    for template_id, seed, verdict in rows:
        if (template_id, seed) in answered:
            continue
        answered.add((template_id, seed))
        templates[template_id] = templates.get(template_id, Progress()).after(verdict)
        topic = topic_of.get(template_id)
        if topic is not None:
            topics[topic] = topics.get(topic, Progress()).after(verdict)
    return Report(templates, topics, frozenset(answered))
