"""A validated problem template: what a YAML file in problems/ declares."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.bank.params import Param
from app.cas.requirements import Requirement


@dataclass(frozen=True)
class Note:
    """An equal form of an expression and the sentence that justifies it."""

    expr: str
    note: str
    note_zh: str | None = None


@dataclass(frozen=True)
class TemplateMistake:
    answer: str
    message: str
    message_zh: str | None = None


@dataclass(frozen=True)
class Part:
    """One answer box of a multi-part template (`parts`, validated by app.bank.parts).

    `answer` may name earlier parts by their `id`: the part's expected answer is that
    expression with the earlier parts' results put in (and then `where`), and with a
    student's own earlier answers put in instead when follow-through is allowed."""

    id: str
    label: str
    prompt: str
    function: str | None
    wrt: str | None
    answer: str | None
    at: tuple[tuple[str, str], ...]
    requirements: tuple[Requirement, ...]
    methods: tuple[str, ...]
    rewrite: Note | None
    final: Note | None
    mistakes: tuple[TemplateMistake, ...]
    points: float
    follow_through: bool
    where: tuple[tuple[str, str], ...]
    # LaTeX of the quantity asked for (u', \frac{dL}{dz}), for the worked steps.
    symbol: str | None = None
    # The part's line in its file, for errors found when variants are built.
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Template:
    id: str
    title: str
    topic: str
    difficulty: int
    prompt: str
    params: tuple[Param, ...]
    function: str | None
    wrt: str | None
    answer: str | None
    at: tuple[tuple[str, str], ...]
    variables: tuple[str, ...] | None
    domain: tuple[tuple[str, float, float], ...]
    tolerance: tuple[float, float] | None
    requirements: tuple[Requirement, ...]
    methods: tuple[str, ...]
    rewrite: Note | None
    final: Note | None
    display: tuple[tuple[str, str], ...]
    mistakes: tuple[TemplateMistake, ...]
    file: str
    # Chinese versions (problems/README.md); None shows the English.
    title_zh: str | None = None
    prompt_zh: str | None = None
    # Line of each top-level field, for errors found when variants are built.
    field_lines: tuple[tuple[str, int], ...] = field(default=(), compare=False)
    # A multi-part template's answer boxes (then function/answer and their companions
    # belong to the parts); `follow_through` is the default of every part.
    parts: tuple[Part, ...] = ()
    follow_through: bool = False

    @property
    def is_numeric(self) -> bool:
        """A number is the answer: compared within a tolerance or to significant figures."""
        return self.tolerance is not None or any(
            r.kind in ("number", "significant") for r in self.requirements
        )
