"""What the checker answers about a multi-part answer: one `GradeOutcome` per part, with
follow-through. Frozen, picklable values, like `app.checker.results`."""

from __future__ import annotations

from dataclasses import dataclass

from app.checker.results import GradeOutcome, Verdict


def part_credit(verdict: Verdict, carried: bool, form_credit: float,
                follow_through: bool) -> float:
    """A part's share of its points: 1 for a correct part (or one carried correctly from a
    wrong earlier answer, when `follow_through`), `form_credit` for a right answer not in
    the requested form, 0 otherwise."""
    if verdict is Verdict.CORRECT or (follow_through and carried):
        return 1.0
    return form_credit if verdict is Verdict.FORM else 0.0


@dataclass(frozen=True)
class PartOutcome:
    part_id: str
    label: str
    # The part's weight in the item's score.
    points: float
    outcome: GradeOutcome
    # The part allows follow-through and its answer is right given the student's own
    # answers to the earlier parts labelled `given` (at least one of them wrong), though
    # not against the right earlier results. Whether that earns credit is the caller's rule.
    carried: bool = False
    given: tuple[str, ...] = ()


@dataclass(frozen=True)
class PartsOutcome:
    parts: tuple[PartOutcome, ...]
    elapsed_ms: float = 0.0

    @property
    def counted(self) -> bool:
        """An attempt only when every part got a verdict (as in PrairieLearn, an answer
        with an unreadable or missing part is not graded)."""
        return all(p.outcome.counted for p in self.parts)

    @property
    def valid(self) -> bool:
        return self.counted

    @property
    def verdict(self) -> Verdict:
        """The whole answer's verdict: correct when every part is, form when every part is
        right and some not in the requested form, incorrect when any part is wrong; the
        first part without a verdict otherwise."""
        verdicts = [p.outcome.verdict for p in self.parts]
        for verdict in verdicts:
            if not verdict.counts_as_attempt:
                return verdict
        if all(v is Verdict.CORRECT for v in verdicts):
            return Verdict.CORRECT
        if all(v in (Verdict.CORRECT, Verdict.FORM) for v in verdicts):
            return Verdict.FORM
        return Verdict.INCORRECT

    @property
    def correct(self) -> bool:
        return self.verdict is Verdict.CORRECT

    def credits(self, form_credit: float, follow_through: bool) -> tuple[float, ...]:
        """Each part's share of its points (`part_credit`)."""
        return tuple(part_credit(p.outcome.verdict, p.carried, form_credit, follow_through)
                     for p in self.parts)

    def credit(self, form_credit: float, follow_through: bool) -> float:
        """The item's share: the parts' credits weighted by their points."""
        total = sum(p.points for p in self.parts)
        if not total:
            return 0.0
        shares = self.credits(form_credit, follow_through)
        return sum(p.points * c for p, c in zip(self.parts, shares, strict=True)) / total
