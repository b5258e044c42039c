"""A small SVG line-chart writer: polylines, axes with ticks, a legend and a title that fits.

It draws a `PlotData` (floats sampled in a worker) as a standalone SVG document in well under
a millisecond, with no drawing library and no lock. Everything a reader needs is text in the
document: the title and caption as ``<title>``/``<desc>`` (what screen readers announce), and
tick labels, legend and headings as ``<text>``, never as paths. No scripts, no styles, no
external references: presentation attributes only, so it shows under any CSP.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from xml.sax.saxutils import escape

from app.checker.results import PlotData, Series

WIDTH, HEIGHT = 640, 360
# The layout for phones: drawn narrower, so that its text stays readable when it is scaled
# to a 390-pixel screen (the page picks it with a <picture> source).
NARROW = (400, 340)
MARGIN = 14
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
TITLE_SIZE, TEXT_SIZE, TICK_SIZE = 16, 13, 12
# Average advance of a character, in ems, for the fonts above (DejaVu Sans is the widest);
# text is laid out against this estimate, so it errs on the wide side.
CHAR_EM = 0.62
COLORS = ("#0b5cad", "#c2410c", "#15803d", "#7e22ce")
DASHES = {"-": None, "--": "9 6", ":": "2 4"}
GRID = "#e3e7eb"
_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
AXIS = "#57606a"


def text_width(text: str, size: float) -> float:
    """An upper estimate of how wide `text` is drawn at `size`: a Chinese character (East
    Asian wide) takes a whole em, about twice a Latin letter."""
    wide = sum(1 for char in text if unicodedata.east_asian_width(char) in "WF")
    return (len(text) - wide) * size * CHAR_EM + wide * size


def wrap(text: str, size: float, width: float) -> list[str]:
    """`text` broken into lines no wider than `width`: after a comma where that is enough
    (``t = 0, x = 2`` keeps each value whole), else at any space. A word longer than the
    line stands alone; the caller shrinks the size for it."""
    chunks = text.split(", ")
    if len(chunks) > 1 and all(text_width(c + ",", size) <= width for c in chunks):
        return _fill([c + "," for c in chunks[:-1]] + chunks[-1:], size, width)
    return _fill(text.split(), size, width)


def _fill(words: Sequence[str], size: float, width: float) -> list[str]:
    lines: list[str] = []
    for word in words:
        if lines and text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def fitted(text: str, size: float, width: float, max_lines: int = 2) -> tuple[list[str], float]:
    """Lines of `text` and a font size at which they fit `width` in at most `max_lines`."""
    while True:
        lines = wrap(text, size, width)
        if size <= 8 or (len(lines) <= max_lines
                         and all(text_width(line, size) <= width for line in lines)):
            return lines, size
        size -= 1


def nice_ticks(lo: float, hi: float, target: int = 6) -> list[float]:
    """Round tick values covering [lo, hi]: steps of 1, 2, 2.5 or 5 times a power of ten."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo]
    raw = (hi - lo) / max(target - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(lo / step - 1e-9)
    ticks = []
    k = first
    while k * step <= hi + step * 1e-9:
        ticks.append(round(k * step, 12))
        k += 1
    return ticks


def tick_label(value: float, ticks: Sequence[float]) -> str:
    """A tick's label, with as many decimals as the ticks need to differ (2.5, not 2)."""
    largest = max(abs(t) for t in ticks)
    if largest >= 1e5 or (largest and largest < 1e-3):
        mantissa, _, exponent = f"{value:.1e}".partition("e")
        if float(mantissa) == 0:
            return "0"
        power = str(int(exponent)).translate(_SUPERSCRIPTS)
        return f"{mantissa.rstrip('0').rstrip('.')}×10{power}".replace("-", "−")
    else:
        decimals = next((d for d in range(7) if all(abs(round(t, d) - t) < 1e-9 for t in ticks)),
                        6)
        text = f"{value:.{decimals}f}"
    if float(text) == 0:
        text = "0"  # not "-0.0"
    return text.replace("-", "−")


def _attrs(**values: object) -> str:
    return "".join(f' {name.rstrip("_").replace("_", "-")}="{escape(str(v), {chr(34): "&quot;"})}"'
                   for name, v in values.items() if v is not None)


def _text(x: float, y: float, content: str, size: float, **extra: object) -> str:
    return (f"<text{_attrs(x=f'{x:.1f}', y=f'{y:.1f}', font_size=f'{size:g}', **extra)}>"
            f"{escape(content)}</text>")


class _Frame:
    """Maps data coordinates to the drawing, and clips to the plot box."""

    def __init__(self, left: float, top: float, right: float, bottom: float,
                 xlim: tuple[float, float], ylim: tuple[float, float]) -> None:
        self.left, self.top, self.right, self.bottom = left, top, right, bottom
        self.xlim, self.ylim = xlim, ylim

    def x(self, value: float) -> float:
        lo, hi = self.xlim
        return self.left + (value - lo) / (hi - lo) * (self.right - self.left)

    def y(self, value: float) -> float:
        lo, hi = self.ylim
        return self.bottom - (value - lo) / (hi - lo) * (self.bottom - self.top)

    def runs(self, xs: Sequence[float], ys: Sequence[float | None]) -> list[list[tuple]]:
        """The visible pieces of a curve: split at gaps and clipped to the y-range (a point
        outside it is replaced by where the curve crosses the edge)."""
        lo, hi = self.ylim
        runs: list[list[tuple[float, float]]] = []
        current: list[tuple[float, float]] = []
        previous: tuple[float, float] | None = None
        for x, y in zip(xs, ys, strict=True):
            point = None if y is None else (x, y)
            if point is None:
                current = _close(runs, current)
            elif previous is None:
                if lo <= y <= hi:
                    current = [point]
            else:
                current = self._extend(runs, current, previous, point)
            previous = point
        _close(runs, current)
        return [[(self.x(px), self.y(py)) for px, py in run] for run in runs]

    def _extend(self, runs, current, previous, point):
        lo, hi = self.ylim
        y0, y1 = previous[1], point[1]
        inside0, inside1 = lo <= y0 <= hi, lo <= y1 <= hi
        if inside0 and inside1:
            current.append(point)
            return current
        if inside0:  # leaving the box
            current.append(_cross(previous, point, hi if y1 > hi else lo))
            return _close(runs, current)
        if inside1:  # entering it
            return [_cross(previous, point, hi if y0 > hi else lo), point]
        # Both outside: nothing to draw, even from far above to far below (a pole).
        return current


def _cross(p: tuple[float, float], q: tuple[float, float], level: float) -> tuple[float, float]:
    (x0, y0), (x1, y1) = p, q
    t = (level - y0) / (y1 - y0)
    return x0 + t * (x1 - x0), level


def _close(runs: list, current: list) -> list:
    if len(current) > 1:
        runs.append(current)
    return []


def _heading(data: PlotData, size: tuple[int, int]) -> tuple[list[str], float, list[str], float]:
    width = size[0] - 2 * MARGIN
    title, title_size = fitted(data.title, TITLE_SIZE, width, max_lines=2)
    subtitle, sub_size = fitted(f"held: {data.held}", TEXT_SIZE, width) if data.held else ([], 0)
    return title, title_size, subtitle, sub_size


def _legend(series: Sequence[Series], y: float, size: tuple[int, int]) -> tuple[list[str], float]:
    """One row of entries (a line sample and the label), wrapped onto a second if needed."""
    parts: list[str] = []
    x, row = MARGIN, y
    for index, item in enumerate(series):
        width = 34 + text_width(item.label, TEXT_SIZE) + 18
        if x > MARGIN and x + width > size[0] - MARGIN:
            x, row = MARGIN, row + TEXT_SIZE + 8
        color = COLORS[index % len(COLORS)]
        parts.append(f"<line{_attrs(x1=x, y1=f'{row - 4:.1f}', x2=x + 28, y2=f'{row - 4:.1f}', stroke=color, stroke_width=3, stroke_dasharray=DASHES.get(item.style))}/>")
        parts.append(_text(x + 34, row, item.label, TEXT_SIZE, fill="#1b1f24"))
        x += width
    return parts, row


def _axes(frame: _Frame, xlabel: str, size: tuple[int, int]) -> list[str]:
    parts: list[str] = []
    xticks = nice_ticks(*frame.xlim, target=6 if size[0] >= WIDTH else 5)
    yticks = nice_ticks(*frame.ylim, target=5)
    for value in yticks:
        y = frame.y(value)
        parts.append(f"<line{_attrs(x1=frame.left, y1=f'{y:.1f}', x2=frame.right, y2=f'{y:.1f}', stroke=AXIS if value == 0 else GRID)}/>")
        parts.append(_text(frame.left - 6, y + 4, tick_label(value, yticks), TICK_SIZE,
                           text_anchor="end", fill=AXIS))
    for value in xticks:
        x = frame.x(value)
        parts.append(f"<line{_attrs(x1=f'{x:.1f}', y1=frame.top, x2=f'{x:.1f}', y2=frame.bottom, stroke=GRID)}/>")
        parts.append(_text(x, frame.bottom + 17, tick_label(value, xticks), TICK_SIZE,
                           text_anchor="middle", fill=AXIS))
    parts.append(f"<rect{_attrs(x=frame.left, y=frame.top, width=f'{frame.right - frame.left:.1f}', height=f'{frame.bottom - frame.top:.1f}', fill='none', stroke=AXIS)}/>")
    parts.append(_text((frame.left + frame.right) / 2, size[1] - MARGIN + 4, xlabel, TEXT_SIZE,
                       text_anchor="middle", fill="#1b1f24", font_style="italic"))
    return parts


def _frame(data: PlotData, top: float, size: tuple[int, int]) -> _Frame:
    xs = [x for item in data.series for x in item.curve.xs]
    xlim = (min(xs), max(xs)) if xs else (0.0, 1.0)
    if xlim[1] <= xlim[0]:
        xlim = (xlim[0] - 1, xlim[0] + 1)
    ylim = data.ylim or _fallback_ylim(data.series)
    labels = [tick_label(v, nice_ticks(*ylim, target=5)) for v in nice_ticks(*ylim, target=5)]
    left = MARGIN + 8 + max(text_width(label, TICK_SIZE) for label in labels)
    return _Frame(left, top, size[0] - MARGIN - 4, size[1] - MARGIN - 32, xlim, ylim)


def _fallback_ylim(series: Sequence[Series]) -> tuple[float, float]:
    ys = [y for item in series for y in item.curve.ys if y is not None]
    if not ys:
        return -1.0, 1.0
    lo, hi = min(ys), max(ys)
    pad = 0.08 * (hi - lo) if hi > lo else 1.0
    return lo - pad, hi + pad


def line_chart(data: PlotData, size: tuple[int, int] = (WIDTH, HEIGHT)) -> str:
    """`data` as a standalone SVG document (UTF-8 text), `size` user units wide and high."""
    title, title_size, subtitle, sub_size = _heading(data, size)
    parts: list[str] = []
    y = MARGIN + title_size
    for line in title:
        parts.append(_text(size[0] / 2, y, line, title_size, text_anchor="middle",
                           font_weight="bold", fill="#1b1f24"))
        y += title_size + 4
    for line in subtitle:
        parts.append(_text(size[0] / 2, y, line, sub_size, text_anchor="middle", fill=AXIS))
        y += sub_size + 4
    legend, legend_y = _legend(data.series, y + 8, size)
    parts.extend(legend)
    frame = _frame(data, legend_y + 12, size)
    parts.extend(_axes(frame, data.xlabel, size))
    for index, item in enumerate(data.series):
        color = COLORS[index % len(COLORS)]
        for run in frame.runs(item.curve.xs, item.curve.ys):
            points = " ".join(f"{px:.1f},{py:.1f}" for px, py in run)
            parts.append(f"<polyline{_attrs(points=points, fill='none', stroke=color, stroke_width=2.5, stroke_linejoin='round', stroke_dasharray=DASHES.get(item.style), data_series=index)}/>")
    return _document(data, parts, size)


def _document(data: PlotData, parts: list[str], size: tuple[int, int]) -> str:
    description = data.caption or data.title
    width, height = size
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-labelledby="plot-title '
            f'plot-desc" font-family="{FONT}">')
    return "\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>', head,
        f'<title id="plot-title">{escape(data.title)}</title>',
        f'<desc id="plot-desc">{escape(description)}</desc>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        *parts, "</svg>", ""])
