"""Figures for plots: the worker's part (slice search, sampling, caption) and the drawing.

Run: .venv/bin/python -m bench.plot_bench
Prints per-plot medians; asserts nothing. The drawing is timed with the SVG writer the web
process uses and, when matplotlib is installed (`pip install -e '.[bench]'`), with the
matplotlib drawing it replaced (under the process-wide lock matplotlib needs), in the same
process, on the same data.
"""

from __future__ import annotations

import io
import statistics
import threading
import time
from pathlib import Path

from app.checker import tasks
from app.checker.results import PlotData, PlotKind
from app.services.problems.svg import line_chart

BANK = str(Path(__file__).resolve().parents[1] / "problems")
CASES = [
    ("logistic-regression-weight", 1, "sigma(b + w*x) - t"),
    ("sigmoid-affine", 1, "sigma(5 - 5*x)*(1 - sigma(5 - 5*x))"),
    ("bce-prediction", 1, "-t/yhat - (1 - t)/(1 - yhat)"),
    ("multiclass-cross-entropy", 1, "-1/p_1"),
    ("softmax-cross-entropy-true-class", 1, "exp(z_1)/(exp(z_1) + exp(z_2) + exp(z_3))"),
    ("bce-prediction", 1, "(yhat - t)/(yhat*(1 - yhat)) + 1/1000"),
]
REPEAT = 7
_lock = threading.Lock()


def matplotlib_svg(data: PlotData) -> str:
    """The drawing this project used before its SVG writer (app/services/problems/plots.py
    up to issue 11), for comparison."""
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    with _lock, matplotlib.rc_context({"svg.hashsalt": "gradwork", "svg.fonttype": "path"}):
        figure = Figure(figsize=(6.4, 3.6), dpi=100)
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        for item in data.series:
            ys = [float("nan") if y is None else y for y in item.curve.ys]
            axes.plot(item.curve.xs, ys, item.style, linewidth=2, label=item.label)
        if data.ylim is not None:
            axes.set_ylim(*data.ylim)
        axes.axhline(0, color="#888888", linewidth=0.8)
        axes.grid(True, alpha=0.3)
        axes.set_xlabel(data.xlabel)
        axes.set_title(f"{data.title} ({data.held})" if data.held else data.title)
        axes.legend(loc="best")
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _median_ms(fn, items) -> float:
    times = []
    for _ in range(REPEAT):
        for item in items:
            start = time.perf_counter()
            fn(item)
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    start = time.perf_counter()
    datas = [tasks.plot_data(BANK, PlotKind.COMPARISON, tid, seed, answer)
             for tid, seed, answer in CASES]
    print(f"first plot data of {len(CASES)} variants (builds the variants): "
          f"{(time.perf_counter() - start) * 1000 / len(CASES):8.1f} ms each")
    worker = _median_ms(lambda case: tasks.plot_data(BANK, PlotKind.COMPARISON, *case), CASES)
    print(f"plot data in a worker (slice search, 241 points, caption):  {worker:8.2f} ms median")
    ours = _median_ms(line_chart, datas)
    size = statistics.median(len(line_chart(d)) for d in datas)
    print(f"drawing with the SVG writer:                               {ours:8.2f} ms median, "
          f"{size / 1024:.1f} KiB")
    try:
        matplotlib_svg(datas[0])
    except ImportError:
        print("matplotlib is not installed: no baseline (pip install -e '.[bench]')")
        return
    theirs = _median_ms(matplotlib_svg, datas)
    size = statistics.median(len(matplotlib_svg(d)) for d in datas)
    print(f"drawing with matplotlib (the former way):                  {theirs:8.2f} ms median, "
          f"{size / 1024:.1f} KiB")
    print(f"SVG writer / matplotlib: {ours / theirs:.3f} ({theirs / ours:.0f}x faster)")


if __name__ == "__main__":
    main()
