"""`flask problems list|validate|show` through the Flask CLI runner."""

from __future__ import annotations

import json

from .conftest import VALID


def test_list_shows_every_template(runner, bank):
    result = runner.invoke(args=["problems", "list"])
    assert result.exit_code == 0, result.output
    for template_id in bank.ids:
        assert template_id in result.output
    assert f"{len(bank.ids)} templates" in result.output


def test_validate_passes_on_the_repository_bank(runner):
    result = runner.invoke(args=["problems", "validate"])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output


def test_validate_fails_listing_every_problem(app, scratch):
    (scratch / "good.yaml").write_text(VALID, encoding="utf-8")
    (scratch / "bad.yaml").write_text(VALID.replace("scratch-affine", "other") + "hint: x\n")
    (scratch / "worse.yaml").write_text("id: [\n")
    app.config["PROBLEMS_DIR"] = str(scratch)
    result = app.test_cli_runner().invoke(args=["problems", "validate"])
    assert result.exit_code != 0
    assert "bad.yaml:12: hint: unknown field" in result.stderr
    assert "worse.yaml" in result.stderr
    assert "2 problem(s)" in result.stderr


def test_show_text(runner):
    result = runner.invoke(args=["problems", "show", "sigmoid-affine", "--seed", "4"])
    assert result.exit_code == 0, result.output
    assert "Answer:" in result.output and "Chain rule" in result.output
    assert "Typical mistakes:" in result.output


def test_show_text_lists_the_requirements(runner):
    result = runner.invoke(args=["problems", "show", "sigmoid-values", "--seed", "0"])
    assert result.exit_code == 0, result.output
    assert "Requires: number" in result.output and "Requires: significant: 4" in result.output
    assert "to 4 significant figures" in result.output


def test_show_json(runner, bank):
    result = runner.invoke(
        args=["problems", "show", "bce-logit", "--seed", "2", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data == json.loads(json.dumps(bank.variant("bce-logit", 2).to_dict()))
    assert data["id"] == "bce-logit" and data["seed"] == 2
    assert data["wrt"] == "a"  # bce-logit's seed 2 names its logit a
    assert data["requirements"] == [{"kind": "sigma-only", "sentence": (
        "Write it in terms of σ only, with no exp, e^…, tanh or other functions.")}]


def test_show_unknown_template(runner):
    result = runner.invoke(args=["problems", "show", "no-such-thing"])
    assert result.exit_code != 0
    assert "no problem template" in result.output
