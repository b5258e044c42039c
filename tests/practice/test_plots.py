"""Plots after a wrong answer: the SVG writer, and pages whose plots and captions show where
the answer parts from the derivative, on held values that say so."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from app.cas import slices
from app.cas.sampling import Curve
from app.checker.results import PlotData, Series
from app.services.problems import svg
from tests.conftest import _make_app

PLOT_BANK = Path(__file__).resolve().parent / "plot_problems"
REAL_BANK = Path(__file__).resolve().parents[2] / "problems"
NS = {"s": "http://www.w3.org/2000/svg"}


def _data(ys_a, ys_b, *, title="Your answer and the derivative", labels=("right", "yours"),
          ylim=None, **extra) -> PlotData:
    xs = tuple(float(k) for k in range(len(ys_a)))
    return PlotData(title=title, xlabel="x",
                    series=(Series(labels[0], Curve(xs, tuple(ys_a))),
                            Series(labels[1], Curve(xs, tuple(ys_b)), "--")),
                    ylim=ylim or slices.view_range(ys_a, [ys_b]), **extra)


def _tree(document: str) -> ET.Element:
    return ET.fromstring(document.encode())


def _polylines(root: ET.Element, series: int) -> list[list[tuple[float, float]]]:
    return [[tuple(map(float, p.split(","))) for p in line.get("points").split()]
            for line in root.iterfind("s:polyline", NS) if line.get("data-series") == str(series)]


def _plot_box(root: ET.Element) -> tuple[float, float, float, float]:
    rect = [r for r in root.iterfind("s:rect", NS) if r.get("fill") == "none"][0]
    x, y = float(rect.get("x")), float(rect.get("y"))
    return x, y, x + float(rect.get("width")), y + float(rect.get("height"))


def test_the_chart_is_a_self_contained_accessible_document():
    data = _data([0, 1, 2, 3], [0, 1, 4, 3], caption="Right (solid) and yours <dashed> & more.",
                 held_text="t = 1, x = 2")
    document = svg.line_chart(data)
    root = _tree(document)
    assert root.get("role") == "img" and root.get("viewBox") == "0 0 640 360"
    assert root.find("s:title", NS).text == "Your answer and the derivative"
    assert root.find("s:desc", NS).text == "Right (solid) and yours <dashed> & more."
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert {"Your answer and the derivative", "held: t = 1, x = 2", "right", "yours", "x"} <= set(texts)
    assert "<script" not in document and " style=" not in document and "href" not in document
    assert "<path" not in document  # text is text


def test_curves_stay_inside_the_plot_box_and_break_at_gaps():
    ys = [0.0, 1.0, None, 3.0, 4.0, 100.0, 5.0, 6.0]
    root = _tree(svg.line_chart(_data(ys, [y and y + 1 for y in ys],
                                      ylim=(-1.0, 7.0))))
    left, top, right, bottom = _plot_box(root)
    runs = _polylines(root, 0)
    assert len(runs) == 3  # split at the gap and where the curve leaves the box
    for run in runs:
        for x, y in run:
            assert left - 0.1 <= x <= right + 0.1 and top - 0.1 <= y <= bottom + 0.1


def test_a_pole_is_not_drawn_as_a_vertical_line():
    xs = slices.grid(-1, 1, 40)  # no sample at 0
    ys = [1 / x for x in xs]
    root = _tree(svg.line_chart(_data(ys, ys, ylim=(-5.0, 5.0))))
    runs = _polylines(root, 0)
    assert len(runs) == 2
    assert max(x for x, _ in runs[0]) < min(x for x, _ in runs[1])


def test_long_titles_wrap_and_shrink_to_fit():
    title = "A very long title that would never fit on one line of a plot six hundred wide " * 2
    root = _tree(svg.line_chart(_data([0, 1], [1, 0], title=title.strip())))
    lines = [t for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("font-weight")]
    assert 1 < len(lines) <= 2
    for line in lines:
        assert svg.text_width(line.text, float(line.get("font-size"))) <= svg.WIDTH - 2 * svg.MARGIN


@pytest.mark.parametrize(("lo", "hi", "labels"), [
    (-6, 6, ["−5.0", "−2.5", "0", "2.5", "5.0"]),
    (0, 1, ["0", "0.2", "0.4", "0.6", "0.8", "1.0"]),
    (-23.2, 23.2, ["−20", "−10", "0", "10", "20"]),
    (0, 1e6, ["0", "2×10⁵", "4×10⁵", "6×10⁵", "8×10⁵", "1×10⁶"]),
])
def test_ticks_are_round_and_labelled_as_they_differ(lo, hi, labels):
    ticks = svg.nice_ticks(lo, hi)
    assert [svg.tick_label(t, ticks) for t in ticks] == labels


@pytest.mark.slow
def test_every_typical_mistake_of_the_bank_shows_on_its_plot():
    """The search finds a slice where each generated mistake of every plottable variant is
    visibly apart from the derivative (with every other variable at 1, 44 of 315 were not)."""
    from app.bank import load_bank

    bank = load_bank(REAL_BANK)
    hidden, total = [], 0
    for template in bank.templates:
        for seed in (1, 2):
            variant = bank.variant(template.id, seed)
            if variant.wrt is None or variant.wrt.name not in variant.variables:
                continue
            lo, hi = variant.domain.get(variant.wrt.name, (-6.0, 6.0))
            for mistake in variant.mistakes:
                total += 1
                where = slices.separating_slice(variant.expected, mistake.answer, variant.wrt,
                                                variant.variables, variant.domain, lo, hi)
                xs = slices.grid(lo, hi, 241)
                e = slices.evaluate(variant.expected, variant.wrt, xs, where)
                a = slices.evaluate(mistake.answer, variant.wrt, xs, where)
                if slices.gap(e, a, slices.view_range(e, [a])).score < slices.VISIBLE:
                    hidden.append((template.id, seed, mistake.kind))
    assert total > 100
    assert len(hidden) <= total // 50, hidden


# --- pages ------------------------------------------------------------------------------


@pytest.fixture
def app(sqlite_url, tmp_path):
    yield from _make_app(sqlite_url, tmp_path, PROBLEMS_DIR=str(PLOT_BANK),
                         CHECK_TIMEOUT_SECONDS=10)


@pytest.fixture
def student(make_user, login):
    make_user("plots@example.org")
    login("plots@example.org")


def _submit(client, path: str, answer: str) -> str:
    response = client.post(path, data={"answer": answer})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _figure(html: str, testid: str) -> tuple[str, str]:
    figure = re.search(rf'<figure class="plot" data-testid="{testid}">(.*?)</figure>', html, re.S)
    assert figure, f"no {testid}"
    src = re.search(r'<img src="([^"]+)"', figure.group(1)).group(1).replace("&amp;", "&")
    caption = re.search(r"<figcaption>(.*?)</figcaption>", figure.group(1), re.S).group(1)
    return src, caption


def test_the_bias_gradient_answer_is_plotted_where_it_differs(client, student):
    html = _submit(client, "/practice/logistic-regression-weight/1", "σ(wx+b)-t")
    src, caption = _figure(html, "compare-plot")
    assert "with t = 1, x = 2, b = 1 held" in caption
    assert "farthest apart at w = " in caption
    root = _tree(client.get(src).get_data(as_text=True))
    assert "x = 2" in root.find("s:desc", NS).text
    _, function_caption = _figure(html, "function-plot")
    assert "sigmoid is steepest" not in function_caption
    assert "The function falls across the plot" in function_caption


def test_a_multiclass_plot_holds_one_hot_labels_and_shares_the_rest(client, student):
    html = _submit(client, "/practice/multiclass/1", "-1/p_1")
    _, caption = _figure(html, "compare-plot")
    assert "t₁ = 0, t₂ = 1, t₃ = 0 held" in caption
    assert "p₂ = p₃ = (1 − p₁)/2, so that the probabilities sum to 1" in caption
    assert 'data-testid="function-plot"' not in html  # no σ in this loss


def test_a_correct_answer_gets_no_plot(client, student):
    html = _submit(client, "/practice/multiclass/1", "-t_1/p_1")
    assert 'data-testid="compare-plot"' not in html
