"""Reading a template file: YAML data plus the line of every field, for error messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

Path_ = tuple[str | int, ...]


@dataclass
class Source:
    """A template file's data and where each field sits in it (1-based lines)."""

    file: str
    data: object
    lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, path: Path_) -> int | None:
        """The line of `path`, or of its closest parent that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


class YamlProblem(ValueError):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


# A template's source text, from a file or typed in the browser: the longest in problems/ is
# about 3,000 characters, so this leaves room without letting a paste of megabytes be parsed.
MAX_SOURCE_CHARS = 20_000


def read_source(path: Path, display_name: str) -> Source:
    """Parse `path` as YAML (safe loader) and record the line of every key and item."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlProblem(f"not UTF-8 text ({exc.reason})", None) from None
    return read_text(text, display_name)


def read_text(text: str, display_name: str) -> Source:
    """Parse a template's text as YAML (safe loader) with the line of every key and item;
    the same reader for a file of problems/ and a course template stored in the database."""
    if len(text) > MAX_SOURCE_CHARS:
        raise YamlProblem(f"the template has {len(text):,} characters; at most "
                          f"{MAX_SOURCE_CHARS:,} are allowed", None)
    try:
        _refuse_aliases(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.load(text, Loader=yaml.SafeLoader)  # noqa: S506 - SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise YamlProblem(f"invalid YAML: {exc.problem or exc.context}", line) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"invalid YAML: {exc}", None) from None
    source = Source(display_name, data)
    if node is not None:
        _record(node, (), source.lines)
    return source


def _refuse_aliases(text: str) -> None:
    # An alias repeats a node without copying it: nine nested ones make a billion leaves for
    # whatever walks the data. Templates never need one.
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise YamlProblem("aliases (*name) are not allowed in a template",
                              event.start_mark.line + 1)


def _record(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            lines[(*path, key)] = key_node.start_mark.line + 1
            _record(value_node, (*path, key), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record(item, (*path, index), lines)
