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
