"""Grades a checker worker has already given, by the exact variant and answer text.

A student who submits the same text again (a retry, a double click, the page reloaded with
its form) and a class typing the same answer to one assignment item ask the same question:
the answer is read, compared and diagnosed again for the same outcome. A worker keeps the
most recent outcomes and answers a repeat from them, in microseconds instead of milliseconds.

Only outcomes that the same question always gets are kept. An undecided outcome
(``timeout``) may go the other way with time to spare, so it is never kept; and a worker
whose diagnosis ran out of its CPU budget retires after that task (app.checker.worker), so a
cut-short diagnosis never outlives the task it was made for. The memo is on only in pool
workers (`enable`): in-process callers, tests among them, always compute.

The web process's `Checker` keeps grades too (`Checker._graded`, by the same rules, and
only from a worker that did not retire): a repeat then needs no worker at all, whichever
worker or lane would have taken it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")

# An outcome holds a few kilobytes (mostly the answer's MathML), a key a course template's text
# where the question is about one: some megabytes per worker.
DEFAULT_SIZE = 2048


class Memo:
    """A bounded map from question to outcome, least recently used first out."""

    def __init__(self) -> None:
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self.size = 0

    def enable(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size

    def __len__(self) -> int:
        return len(self._entries)

    def recall(self, key: Hashable, compute: Callable[[], T], keep: Callable[[T], bool]) -> T:
        """The outcome remembered for `key`, else `compute()`'s, remembered if `keep` says."""
        if not self.size:
            return compute()
        try:
            found = self._entries[key]
        except KeyError:
            pass
        else:
            self._entries.move_to_end(key)
            return found  # type: ignore[return-value]
        outcome = compute()
        if keep(outcome):
            self._entries[key] = outcome
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return outcome


GRADES = Memo()
