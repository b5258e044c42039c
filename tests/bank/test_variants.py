"""Variants: seeded, deterministic, clean text, and worked solutions whose steps all hold."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp

from app.bank import read_templates
from app.cas.equivalence import Tolerance, equivalent

from .conftest import REPO_PROBLEMS

TEMPLATE_IDS = [t.id for t in read_templates(REPO_PROBLEMS)[0]]
SEEDS = range(100)

# Text no teacher would write: "1x", "+ -3", "--", "0 x", "x^{1}".
DEGENERATE = [
    re.compile(r"(?<![\w.{}^,])1\s*(?:[a-zA-Z]|\\sigma|\\hat|\\log|e\^)"),
    re.compile(r"\+\s*-"),
    re.compile(r"-\s*-"),
    re.compile(r"\+\s*\+"),
    re.compile(r"(?<![\w.{}^])0\s*(?:[a-zA-Z(]|\\sigma|\\log)"),
    re.compile(r"\^\{1\}"),
    re.compile(r"\+\s*0(?![\d.])"),
]


def distinct_variants(bank, template_id):
    """The variants of seeds 0-99, one per distinct set of parameters."""
    seen = {}
    for seed in SEEDS:
        variant = bank.variant(template_id, seed)
        seen.setdefault(variant.params, variant)
    return list(seen.values())


def tolerance_of(variant):
    if variant.tolerance is None:
        return None
    return Tolerance(*variant.tolerance)


def equal(a, b, variant, approximate=False):
    tolerance = tolerance_of(variant) if approximate else None
    return equivalent(a, b, domain=variant.domain, tolerance=tolerance)


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_every_step_holds_and_the_chain_ends_at_the_answer(bank, template_id):
    for variant in distinct_variants(bank, template_id):
        for solution in variant.solutions:
            steps = solution.steps
            assert steps, (template_id, variant.seed, solution.method)
            for number, step in enumerate(steps, 1):
                left, right = step.holds_for()
                numeric = isinstance(step.expr, sp.Float)
                assert equal(right, left, variant, approximate=numeric) is True, (
                    f"{template_id} seed {variant.seed} {solution.method} step {number}: "
                    f"{step.latex}"
                )
            final_lhs = steps[-1].lhs
            chain = [step.expr.doit() for step in steps if step.lhs == final_lhs]
            for before, after in zip(chain, chain[1:], strict=False):
                assert equal(after, before, variant, approximate=True) is True
            assert equal(steps[-1].expr, variant.expected, variant, approximate=True) is True
            if variant.function is not None and not variant.tolerance:
                derivative = sp.diff(variant.function, variant.wrt)
                assert equal(variant.expected, derivative, variant) is True


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_no_variant_has_degenerate_text(bank, template_id):
    for variant in distinct_variants(bank, template_id):
        texts = [variant.prompt] + [s.latex for sol in variant.solutions for s in sol.steps]
        for text in texts:
            for pattern in DEGENERATE:
                assert not pattern.search(text), (template_id, variant.seed, pattern, text)
        assert "{{" not in variant.prompt and "}}}" not in variant.prompt.replace("}}}", "")


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_mistakes_are_wrong_and_recognised(bank, template_id):
    from app.cas.mistakes import diagnose

    for variant in distinct_variants(bank, template_id)[:6]:
        assert len(variant.mistakes) >= 2, (template_id, variant.seed)
        for mistake in variant.mistakes:
            assert equal(mistake.answer, variant.expected, variant, approximate=True) is False, (
                template_id,
                variant.seed,
                mistake.kind,
            )
            assert diagnose(mistake.answer, variant) is mistake, (template_id, mistake.kind)
        assert diagnose(variant.expected, variant) is None


def test_same_seed_same_variant_in_another_process(bank):
    pairs = [(template_id, seed) for template_id in TEMPLATE_IDS for seed in (0, 7, 93)]
    script = (
        "import json, sys\n"
        "from app.bank import load_bank\n"
        f"bank = load_bank({str(REPO_PROBLEMS)!r})\n"
        f"pairs = {pairs!r}\n"
        "print(json.dumps([bank.variant(t, s).to_dict() for t, s in pairs]))\n"
    )
    root = Path(__file__).resolve().parents[2]
    env = {"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    theirs = json.loads(result.stdout)
    ours = [bank.variant(t, s).to_dict() for t, s in pairs]
    assert theirs == ours


def test_seeds_give_different_variants(bank):
    prompts = {bank.variant("sigmoid-scaled-shifted", seed).prompt for seed in range(20)}
    assert len(prompts) > 10


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_distinct_seeds_give_distinct_variants(bank, template_id):
    from app.bank.params import sample, variant_count
    from app.bank.spaces import ASSESSMENT_START

    template = bank.get(template_id)
    count = variant_count(template.params, template.id)
    assert count is not None and count >= 3, (template_id, count)
    practice = (count + 1) // 2
    for start, size in ((0, practice), (ASSESSMENT_START, count - practice)):
        seeds = range(start, start + min(size, 12))
        variants = [bank.variant(template_id, seed) for seed in seeds]
        assert len({v.params for v in variants}) == len(variants)
        assert len({v.prompt for v in variants}) == len(variants)
        # Every combination of the space is reached, and seed n + size is seed n again.
        assert bank.variant(template_id, start + size).params == variants[0].params
    # Together the two spaces reach every combination, each once (the draw alone: building
    # all 6,480 variants of the largest template would take a minute).
    every = {tuple(sample(template.params, template.id, seed).items())
             for seed in [*range(practice), *range(ASSESSMENT_START,
                                                   ASSESSMENT_START + count - practice)]}
    assert len(every) == count


def test_json_shape(bank):
    data = bank.variant("bce-prediction", 3).to_dict()
    assert set(data) == {
        "id", "seed", "title", "topic", "prompt", "variables", "domain", "tolerance",
        "function", "wrt", "expected", "steps", "mistakes", "requirements",
    }  # fmt: skip
    prediction = data["wrt"]
    assert data["domain"] == {prediction: [0.0, 1.0]}
    assert "log" in data["function"]
    assert all(set(step) == {"rule", "text", "latex"} for step in data["steps"])
    assert all(set(m) == {"answer", "message"} for m in data["mistakes"])
    assert data["requirements"] == [
        {"kind": "single-fraction", "sentence": "Write it as a single fraction."}
    ]
    numeric = bank.variant("sigmoid-values", 0).to_dict()  # sigma(-2.5) = 0.0758582...
    assert numeric["function"] is None and numeric["wrt"] is None
    assert numeric["tolerance"] == {"relative": 0.0, "absolute": 5e-06}
    assert [r["kind"] for r in numeric["requirements"]] == ["number", "significant"]
    assert numeric["requirements"][1]["digits"] == 4


def test_sigmoid_derivative_has_both_classic_methods(bank):
    variant = bank.variant("sigmoid-quotient-rule", 0)
    assert [s.method for s in variant.solutions] == ["quotient", "chain"]
    rules = [step.rule for step in variant.solutions[0].steps]
    assert "Quotient rule" in rules and "Add and subtract 1" in rules
    chain_rules = [step.rule for step in variant.solutions[1].steps]
    assert "Chain rule" in chain_rules and "Power rule" in chain_rules


def test_prompt_html_is_escaped_with_mathml(scratch):
    from app.bank import load_bank
    from app.bank.prompt import prompt_html

    html = prompt_html("Hi <script>alert(1)</script> and $\\sigma(x)$ **bold**")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<math" in html and "<strong>bold</strong>" in html
    (scratch / "t.yaml").write_text(
        (Path(__file__).parent / "conftest.py")
        .read_text()
        .split('VALID = """\\\n')[1]
        .split('"""')[0]
    )
    variant = load_bank(scratch).variant("scratch-affine", 1)
    assert "<math" in variant.prompt_html()
