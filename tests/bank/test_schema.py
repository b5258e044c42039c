"""Template files are validated on load; every error names the file, field and line."""

from __future__ import annotations

import pytest

from app.bank import BankError, load_bank, read_templates, validate_folder

from .conftest import VALID


def errors_for(folder, name: str, text: str):
    (folder / name).write_text(text, encoding="utf-8")
    return validate_folder(folder)


def test_valid_file_is_a_template_with_nothing_to_register(scratch):
    (scratch / "scratch.yaml").write_text(VALID, encoding="utf-8")
    bank = load_bank(scratch)
    assert bank.ids == ("scratch-affine",)
    assert bank.topics == ("sigmoid",)
    assert validate_folder(scratch) == []


def test_unknown_field_is_named_with_its_line(scratch):
    errors = errors_for(scratch, "bad.yaml", VALID + "hint: nope\n")
    assert len(errors) == 1
    error = errors[0]
    assert (error.file, error.field, error.line) == ("bad.yaml", "hint", 12)
    assert "unknown field" in error.message
    assert str(error).startswith("bad.yaml:12: hint: ")


def test_bad_parameter_spec_points_into_the_params(scratch):
    text = VALID.replace("{type: integer, min: 2, max: 4}", "{type: integer, min: 2, max: zz}")
    [error] = errors_for(scratch, "bad.yaml", text)
    assert error.field == "params.a.max"
    assert error.line == 8
    assert "earlier" in error.message


def test_every_problem_is_listed_not_just_the_first(scratch):
    text = VALID.replace("difficulty: 1", "difficulty: 9").replace("wrt: x\n", "")
    text = text.replace("id: scratch-affine", "id: Not An Id")
    errors = errors_for(scratch, "bad.yaml", text)
    fields = {error.field for error in errors}
    assert {"id", "difficulty", "wrt"} <= fields


def test_yaml_syntax_error_has_a_line(scratch):
    [error] = errors_for(scratch, "broken.yaml", "id: x\ntitle: [unclosed\n")
    assert error.file == "broken.yaml"
    assert error.line is not None and error.line >= 2
    assert "invalid YAML" in error.message


def test_template_expressions_go_through_the_safe_parser(scratch):
    text = VALID.replace('"sigma({{a}}*x + 1)"', '"__import__(1)*x"')
    errors = errors_for(scratch, "evil.yaml", text)
    assert [e.field for e in errors] == ["function"]
    assert errors[0].line == 9


def test_unknown_placeholder_is_reported(scratch):
    text = VALID.replace("sigma({{a}}*x + 1)", "sigma({{b}}*x + 1)")
    [error] = errors_for(scratch, "bad.yaml", text)
    assert error.field == "function"
    assert "{{b}}" in error.message


def test_duplicate_ids_are_an_error(scratch):
    (scratch / "a.yaml").write_text(VALID, encoding="utf-8")
    errors = errors_for(scratch, "b.yaml", VALID)
    assert [(e.file, e.field) for e in errors] == [("b.yaml", "id")]


def test_load_bank_refuses_an_invalid_folder(scratch):
    (scratch / "bad.yaml").write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(BankError) as info:
        load_bank(scratch)
    assert "bad.yaml" in str(info.value)


def test_empty_parameter_range_is_caught(scratch):
    text = VALID.replace(
        "{type: integer, min: 2, max: 4}", "{type: integer, min: 2, max: 2, exclude: [2]}"
    )
    [error] = errors_for(scratch, "bad.yaml", text)
    assert error.field == "params.a"


def test_the_repository_bank_is_valid(bank):
    templates, errors = read_templates(bank.path)
    assert errors == []
    assert len(templates) >= 15
    assert validate_folder(bank.path) == []


def test_requirements_are_read_and_checked(scratch):
    good = VALID + "requirements: [sigma-only, {forbid: [tanh, cosh]}]\n"
    (scratch / "good.yaml").write_text(good, encoding="utf-8")
    [template] = read_templates(scratch)[0]
    assert [r.label for r in template.requirements] == ["sigma-only", "forbid: [tanh, cosh]"]


@pytest.mark.parametrize("requirements, field, words", [
    ("[sigma-ony]", "requirements[0]", "unknown requirement"),
    ("[significant]", "requirements[0]", "needs a value"),
    ("[number, {significant: 0}]", "requirements[1].significant", "from 1 to"),
    ("[{significant: 3}]", "requirements", "go with number"),
    ("[sigma-only, exp-only]", "requirements", "cannot both hold"),
    ("[{forbid: [tanh, 'x+1']}]", "requirements[0].forbid", "not a function"),
    ("[sigma-only, sigma-only]", "requirements[1]", "given twice"),
    ("sigma-only", "requirements", "must be a list"),
])
def test_bad_requirements_are_named(scratch, requirements, field, words):
    errors = errors_for(scratch, "bad.yaml", VALID + f"requirements: {requirements}\n")
    assert any(e.field == field and words in e.message for e in errors), errors


def test_the_old_form_field_still_reads(scratch):
    (scratch / "old.yaml").write_text(VALID + "form: sigma-only\n", encoding="utf-8")
    [template] = read_templates(scratch)[0]
    assert [r.kind for r in template.requirements] == ["sigma-only"]


def test_significant_figures_replace_a_tolerance(scratch):
    text = VALID + "requirements: [number, {significant: 4}]\ntolerance: {relative: 0.001}\n"
    [error] = errors_for(scratch, "bad.yaml", text)
    assert error.field == "tolerance"


@pytest.mark.parametrize("prose, requirement", [
    ("Write it in terms of $\\sigma$.", "sigma-only"),
    ("Give the result as a single fraction.", "single-fraction"),
    ("A decimal with four significant digits is enough.", "number"),
    ("Differentiate and simplify.", "requirement"),
    ("Differentiate and write the result with $\\sigma$.", "sigma-only"),
])
def test_a_form_asked_in_prose_fails_validation(scratch, prose, requirement):
    text = VALID.replace("Differentiate ${{function}}$.", f"Differentiate ${{{{function}}}}$. {prose}")
    errors = errors_for(scratch, "prose.yaml", text)
    assert errors and all(e.field == "prompt" and e.line == 5 for e in errors)
    assert any(requirement in e.message for e in errors)
    # Declaring it is what states it: the prompt gets the sentence, the prose must go.
    assert read_templates(scratch)[1] == []


def test_declared_requirements_reach_the_prompt(scratch):
    (scratch / "t.yaml").write_text(VALID + "requirements: [sigma-only]\n", encoding="utf-8")
    variant = load_bank(scratch).variant("scratch-affine", 0)
    assert variant.prompt.rstrip().endswith("or other functions.")
    assert validate_folder(scratch) == []
