"""A student's practice progress: attempts, correct answers and current streak, per problem
family (template) and per topic.

Only verdicts count: unreadable answers and time-outs are stored but are not attempts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.models.practice import PracticeSubmission, Verdict

COUNTED = (Verdict.CORRECT, Verdict.INCORRECT)


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


def _counted_history(user_id: int) -> Iterable[tuple[str, Verdict]]:
    # In insertion order (id), which is submission order even when two share a timestamp.
    return db.session.execute(
        select(PracticeSubmission.template_id, PracticeSubmission.verdict)
        .where(PracticeSubmission.user_id == user_id, PracticeSubmission.verdict.in_(COUNTED))
        .order_by(PracticeSubmission.id)
    ).tuples()


def by_template(user_id: int) -> dict[str, Progress]:
    progress: dict[str, Progress] = {}
    for template_id, verdict in _counted_history(user_id):
        progress[template_id] = progress.get(template_id, Progress()).after(verdict)
    return progress


def by_topic(user_id: int, topic_of: Mapping[str, str]) -> dict[str, Progress]:
    """Progress per topic; `topic_of` maps template ids to topics (templates no longer in
    the bank are left out)."""
    progress: dict[str, Progress] = {}
    for template_id, verdict in _counted_history(user_id):
        topic = topic_of.get(template_id)
        if topic is not None:
            progress[topic] = progress.get(topic, Progress()).after(verdict)
    return progress
