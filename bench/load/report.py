"""Figures as min / median / max over the repetitions."""

from __future__ import annotations

import statistics
from collections.abc import Iterable


def spread(values: Iterable[float | None], scale: float = 1.0, digits: int = 1) -> str:
    got = [v * scale for v in values if v is not None]
    if not got:
        return "—"
    low, mid, high = min(got), statistics.median(got), max(got)
    return f"{low:.{digits}f} / {mid:.{digits}f} / {high:.{digits}f}"


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(headers)]
    lines = ["  ".join(str(h).ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    return "\n".join(lines)
