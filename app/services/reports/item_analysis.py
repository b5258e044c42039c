"""Item analysis: how each item of an assignment went, and which wrong answers were common.

Wrong answers are grouped by mathematical equivalence, so `σ(x)(1+σ(x))` and
`σ(x)+σ(x)^2` count as one. Equivalence only makes sense within one variant (the same
template and seed): with per-student variants, classes from different seeds are then merged
when the engine diagnosed the same mistake, which is what makes "forgot the chain factor"
show up as one common answer across a class that each saw different numbers.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from app.checker.client import Checker, Unavailable
from app.checker.results import UnknownVariant
from app.extensions import db
from app.models.assignment import Assignment, AssignmentItem, Submission, Verdict

log = logging.getLogger(__name__)

# Distinct wrong answers compared per variant: beyond this the tail is grouped by text.
MAX_DISTINCT = 40
TOP_GROUPS = 8


@dataclass
class WrongAnswerGroup:
    examples: list[str]
    count: int
    mistake_kind: str | None
    mistake_message: str | None
    students: set[int] = field(default_factory=set)

    @property
    def example(self) -> str:
        return self.examples[0]


@dataclass
class ItemStats:
    item: AssignmentItem
    students: int
    first_try_correct: int
    eventually_correct: int
    attempts: int
    wrong_groups: list[WrongAnswerGroup]

    @property
    def first_try_percent(self) -> float:
        return round(100 * self.first_try_correct / self.students, 1) if self.students else 0.0

    @property
    def overall_percent(self) -> float:
        return round(100 * self.eventually_correct / self.students, 1) if self.students else 0.0


def _group_variant(checker: Checker | None, template_id: str, seed: int,
                   wrong: list[Submission]) -> list[WrongAnswerGroup]:
    """Equivalence classes of the wrong answers to one variant."""
    texts = Counter(sub.canonical or sub.answer_text.strip() for sub in wrong)
    distinct = [text for text, _ in texts.most_common(MAX_DISTINCT)]
    classes = list(range(len(distinct)))
    if checker is not None and len(distinct) > 1:
        try:
            classes = checker.equivalence_classes(template_id, seed, distinct)
        except (Unavailable, UnknownVariant) as exc:
            # Without the engine the answers are still grouped by how they were read.
            log.warning("grouping wrong answers for %s#%s failed: %s", template_id, seed, exc)
    class_of = {text: (cls if cls >= 0 else f"text:{text}") for text, cls in
                zip(distinct, classes, strict=True)}
    groups: dict[object, WrongAnswerGroup] = {}
    for sub in wrong:
        text = sub.canonical or sub.answer_text.strip()
        key = class_of.get(text, f"text:{text}")
        group = groups.get(key)
        if group is None:
            group = groups[key] = WrongAnswerGroup([], 0, sub.mistake_kind, sub.mistake_message)
        group.count += 1
        group.students.add(sub.student_id)
        if sub.answer_text not in group.examples and len(group.examples) < 3:
            group.examples.append(sub.answer_text)
        if group.mistake_kind is None and sub.mistake_kind:
            group.mistake_kind, group.mistake_message = sub.mistake_kind, sub.mistake_message
    return list(groups.values())


def _merge_by_mistake(groups: list[WrongAnswerGroup]) -> list[WrongAnswerGroup]:
    merged: dict[str, WrongAnswerGroup] = {}
    result = []
    for group in groups:
        if group.mistake_kind is None:
            result.append(group)
            continue
        into = merged.get(group.mistake_kind)
        if into is None:
            merged[group.mistake_kind] = group
            result.append(group)
            continue
        into.count += group.count
        into.students |= group.students
        for example in group.examples:
            if example not in into.examples and len(into.examples) < 3:
                into.examples.append(example)
    return sorted(result, key=lambda g: (-g.count, g.example))


def analyse(assignment: Assignment, checker: Checker | None) -> list[ItemStats]:
    subs = db.session.scalars(
        select(Submission).join(AssignmentItem)
        .where(AssignmentItem.assignment_id == assignment.id)
        .order_by(Submission.item_id, Submission.student_id, Submission.attempt_number))
    by_item: dict[int, list[Submission]] = defaultdict(list)
    for sub in subs:
        by_item[sub.item_id].append(sub)
    stats = []
    for item in assignment.items:
        rows = by_item.get(item.id, [])
        first = {s.student_id: s for s in rows if s.attempt_number == 1}
        solved = {s.student_id for s in rows if s.verdict == Verdict.CORRECT}
        wrong_by_variant: dict[tuple[str, int], list[Submission]] = defaultdict(list)
        for sub in rows:
            if sub.verdict == Verdict.INCORRECT:
                wrong_by_variant[(sub.template_id, sub.seed)].append(sub)
        groups = []
        for (template_id, seed), wrong in sorted(wrong_by_variant.items()):
            groups.extend(_group_variant(checker, template_id, seed, wrong))
        stats.append(ItemStats(
            item=item, students=len({s.student_id for s in rows}),
            first_try_correct=sum(1 for s in first.values() if s.verdict == Verdict.CORRECT),
            eventually_correct=len(solved), attempts=len(rows),
            wrong_groups=_merge_by_mistake(groups)[:TOP_GROUPS]))
    return stats
