"""Errors in problem templates, each naming the file, the field and the line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TemplateError:
    """One problem with one template file."""

    file: str
    field: str | None
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.field:
            where += f": {self.field}"
        return f"{where}: {self.message}"


class BankError(Exception):
    """The bank could not be loaded; `errors` lists every problem found."""

    def __init__(self, errors: list[TemplateError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


class TemplateNotFound(KeyError):
    def __init__(self, template_id: str) -> None:
        super().__init__(template_id)
        self.template_id = template_id

    def __str__(self) -> str:
        return f"no problem template with id {self.template_id!r}"
