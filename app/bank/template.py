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

    @property
    def is_numeric(self) -> bool:
        """A number is the answer: compared within a tolerance or to significant figures."""
        return self.tolerance is not None or any(
            r.kind in ("number", "significant") for r in self.requirements
        )
