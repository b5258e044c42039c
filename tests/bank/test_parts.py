"""Multi-part templates: the schema of `parts` (errors by field and line), their variants,
and grading with partial credit and follow-through (the worker task, run in-process)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.bank import clear_cache, load_bank, read_templates, validate_folder
from app.cas.equivalence import equivalent
from app.checker import tasks
from app.checker.results import Verdict

PROBLEMS = str(Path(__file__).resolve().parents[2] / "problems")
MULTIPART = ("sigmoid-quotient-parts", "bce-chain-parts", "logistic-regression-parts")

CHAIN = """\
id: chain
title: Chain
topic: cross-entropy
difficulty: 2
prompt: A chain.
params:
  z: {type: choice, values: [z, s, a]}
domain: {yhat: [0, 1]}
follow_through: FT
parts:
  - id: dLdyhat
    prompt: Find dL/dyhat.
    function: "-(t*log(yhat) + (1 - t)*log(1 - yhat))"
    wrt: yhat
  - id: dyhatdz
    prompt: Find dyhat/dz.
    function: "sigma({{z}})"
    wrt: "{{z}}"
  - id: dLdz
    prompt: Multiply them.
    answer: "dLdyhat*dyhatdz"
    where: {yhat: "sigma({{z}})"}
    points: 2
"""


def _folder(tmp_path, text: str, name="t.yaml") -> Path:
    folder = tmp_path / "problems"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def _errors(tmp_path, text):
    return [(e.field, e.line, e.message) for e in validate_folder(_folder(tmp_path, text))]


def test_the_shipped_multipart_templates_are_valid_with_three_parts():
    templates, errors = read_templates(Path(PROBLEMS))
    assert errors == []
    bank = load_bank(PROBLEMS)
    for template_id in MULTIPART:
        variant = bank.variant(template_id, 0)
        assert len(variant.parts) == 3
        assert variant.parts[-1].uses == tuple(p.id for p in variant.parts[:2])
        # The last part's expected answer (its `final`) equals the earlier results put in.
        last = variant.parts[-1]
        earlier = {p.id: p.variant.expected for p in variant.parts[:2]}
        assert equivalent(last.carried(earlier), last.variant.expected,
                          domain=last.variant.domain) is True


def test_every_part_has_steps_that_hold():
    bank = load_bank(PROBLEMS)
    for template_id in MULTIPART:
        for part in bank.variant(template_id, 1).parts:
            assert part.variant.steps, (template_id, part.id)
            for step in part.variant.steps:
                left, right = step.holds_for()
                assert equivalent(left, right, domain=part.variant.domain) is True


@pytest.mark.parametrize(("change", "field", "message"), [
    (("    answer: \"dLdyhat*dyhatdz\"", "    answer: \"dLdyhat*dLdz\""),
     "parts[2].answer", "uses its own id"),
    (("  - id: dyhatdz", "  - id: dLdyhat"), "parts[1].id", "earlier part"),
    (("    points: 2", "    points: -1"), "parts[2].points", "positive"),
    (("    wrt: yhat\n", "    wrt: yhat\n    colour: red\n"), "parts[0].colour", "unknown field"),
    (("  - id: dLdz", "  - id: z"), "parts[2].id", "parameter"),
    (("follow_through: true", "follow_through: true\nfunction: sigma(x)"), "function",
     "goes in each part"),
])
def test_schema_errors_name_the_part_field_and_line(tmp_path, change, field, message):
    text = CHAIN.replace("FT", "true").replace(*change)
    found = _errors(tmp_path, text)
    assert any(f == field and message in m for f, _line, m in found), found
    line = next(line for f, line, _m in found if f == field)
    lines = text.splitlines()
    assert field.split(".")[-1] in lines[line - 1] or field.split("]")[-1] == ""


def test_a_later_part_cannot_be_used(tmp_path):
    text = CHAIN.replace("FT", "true").replace(
        "    function: \"sigma({{z}})\"\n    wrt: \"{{z}}\"",
        "    answer: \"dLdz + 1\"")
    found = _errors(tmp_path, text)
    assert ("parts[1].answer", 17, "uses 'dLdz', a later part: only earlier parts can be used") \
        in found


def test_a_single_answer_template_is_unchanged():
    variant = load_bank(PROBLEMS).variant("sigmoid-quotient-rule", 0)
    assert variant.parts == () and variant.stem == ""


def _grade(problems, template_id, seed, answers):
    return tasks.evaluate_grade_parts(str(problems), template_id, seed, tuple(answers))


def test_partial_credit_weights_the_parts():
    # seed 0 of bce-chain-parts has the label y and the logit z
    outcome = _grade(PROBLEMS, "bce-chain-parts", 0,
                     ["-y/yhat + (1-y)/(1-yhat)", "sigma(z)", "sigma(z) - y"])
    verdicts = [p.outcome.verdict for p in outcome.parts]
    assert verdicts == [Verdict.CORRECT, Verdict.INCORRECT, Verdict.CORRECT]
    assert outcome.verdict is Verdict.INCORRECT
    assert outcome.credit(0.0, follow_through=True) == pytest.approx(0.75)
    right = _grade(PROBLEMS, "bce-chain-parts", 0,
                   ["-y/yhat + (1-y)/(1-yhat)", "sigma(z)(1-sigma(z))", "sigma(z) - y"])
    assert right.verdict is Verdict.CORRECT and right.credit(0.0, True) == 1.0


def test_follow_through_credits_a_wrong_earlier_answer_carried_correctly():
    wrong_a = "-y/yhat + (1-y)/yhat"   # a sign lost in dL/dyhat
    carried = "(-y/sigma(z) + (1-y)/sigma(z))*sigma(z)*(1-sigma(z))"
    outcome = _grade(PROBLEMS, "bce-chain-parts", 0,
                     [wrong_a, "sigma(z)(1-sigma(z))", carried])
    a, b, c = outcome.parts
    assert a.outcome.verdict is Verdict.INCORRECT and not a.carried
    assert c.outcome.verdict is Verdict.INCORRECT and c.carried and c.given == ("a",)
    assert outcome.credits(0.0, follow_through=True) == (0.0, 1.0, 1.0)
    assert outcome.credit(0.0, follow_through=True) == pytest.approx(0.75)
    assert outcome.credit(0.0, follow_through=False) == pytest.approx(0.25)
    # A wrong answer that is not the carried one is not credited.
    other = _grade(PROBLEMS, "bce-chain-parts", 0, [wrong_a, "sigma(z)(1-sigma(z))", "y"])
    assert not other.parts[2].carried


def test_no_follow_through_when_the_template_does_not_allow_it(tmp_path):
    for flag, expected in (("false", False), ("true", True)):
        folder = _folder(tmp_path, CHAIN.replace("FT", flag))
        clear_cache()
        outcome = _grade(folder, "chain", 0, ["-t/yhat + (1-t)/yhat", "sigma(z)(1-sigma(z))",
                                              "(-t/sigma(z) + (1-t)/sigma(z))*sigma(z)*(1-sigma(z))"])
        assert outcome.parts[2].carried is expected, flag
    clear_cache()


def test_an_unreadable_part_makes_the_answer_not_count():
    outcome = _grade(PROBLEMS, "sigmoid-quotient-parts", 0, ["0", "2*/x", "sigma(x)"])
    assert outcome.parts[1].outcome.verdict is Verdict.INVALID
    assert not outcome.counted and outcome.verdict is Verdict.INVALID


def test_form_verdict_per_part():
    outcome = _grade(PROBLEMS, "sigmoid-quotient-parts", 0,
                     ["0", "-exp(-x)", "exp(-x)/(1+exp(-x))^2"])
    assert outcome.parts[2].outcome.verdict is Verdict.FORM
    assert outcome.credit(0.5, True) == pytest.approx((1 + 1 + 2 * 0.5) / 4)
