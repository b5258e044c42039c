"""One loader, two sources: a bank file's text typed into the editor is read, validated and
built exactly as the file is; the checker sends a course template's text to its worker."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.bank import load_bank
from app.cas.plain import to_plain
from app.checker import tasks, template_tasks
from app.checker.client import Checker, CheckerSettings
from app.checker.course_templates import InlineTemplate, parse_course_ref
from app.checker.results import UnknownVariant, Verdict
from app.services.authoring.transfer import copy_id, id_in, with_id
from tests.authoring.helpers import FIXED
from tests.conftest import shared_checker_pool

PROBLEMS = Path(__file__).resolve().parents[2] / "problems"


@pytest.mark.parametrize("name", ["sigmoid-affine.yaml", "bce-prediction.yaml",
                                  "softmax-cross-entropy-true-class.yaml"])
def test_a_bank_file_as_text_is_the_same_template(name):
    text = (PROBLEMS / name).read_text()
    report = template_tasks.inspect_template(text, name, (0, 1, 2))
    assert report.ok, report.errors
    bank = load_bank(PROBLEMS)
    for preview in report.previews:
        expected = bank.variant(report.template_id, preview.view.seed).expected
        assert preview.answer_plain == to_plain(expected)
        assert preview.view.prompt_source == tasks.build_view(
            str(PROBLEMS), report.template_id, preview.view.seed).prompt_source


def test_references_name_versions_and_never_a_bank_id():
    ref = parse_course_ref("c12.scaled-sigmoid.v3")
    assert (ref.course_id, ref.slug, ref.number) == (12, "scaled-sigmoid", 3)
    assert str(ref) == "c12.scaled-sigmoid.v3"
    assert parse_course_ref("sigmoid-affine") is None
    assert parse_course_ref("c12.Bad_Id.v3") is None


def test_the_checker_grades_a_course_template_from_its_text():
    asked = []

    def source_of(ref):
        asked.append(ref)
        return FIXED if ref == "c1.scaled-sigmoid.v1" else None

    checker = Checker(CheckerSettings(problems_dir=str(PROBLEMS), timeout=15),
                      pool=shared_checker_pool())
    checker.source_of = source_of
    view = checker.view("c1.scaled-sigmoid.v1", 4)
    variant = tasks.load_variant(InlineTemplate("c1.scaled-sigmoid.v1", FIXED),
                                 "c1.scaled-sigmoid.v1", 4)
    assert view.title == "Sigmoid of a scaled input"
    right = to_plain(variant.expected)
    assert checker.grade("c1.scaled-sigmoid.v1", 4, right).verdict is Verdict.CORRECT
    assert checker.grade("c1.scaled-sigmoid.v1", 4, "x").verdict is Verdict.INCORRECT
    # A version's text never changes: it is read from the database once.
    assert asked == ["c1.scaled-sigmoid.v1"]
    with pytest.raises(UnknownVariant):
        checker.grade("c1.scaled-sigmoid.v2", 4, right)


def test_copies_get_a_free_id_and_keep_the_rest():
    text = (PROBLEMS / "sigmoid-affine.yaml").read_text()
    taken = {"sigmoid-affine", "sigmoid-affine-copy"}
    new_id = copy_id("sigmoid-affine", taken)
    assert new_id == "sigmoid-affine-copy-2"
    copied = with_id(text, new_id)
    assert id_in(copied) == new_id
    assert copied.replace(new_id, "sigmoid-affine", 1) == text
    assert id_in('id: "quoted-id"\n') == "quoted-id" and id_in("title: x\n") is None
