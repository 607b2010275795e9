"""The self-test cases shared with the browser test: tracer check marks them as the file says.

``tests/quiz_cases.json`` holds answers and the marks they get; ``tests/test_browser.py`` types the
same answers into the HTML page and reads its marks, so the page and ``tracer check`` are held to
one rule. Here the marks come from :class:`tracer.check.grading.Checker`.
"""

import json
from pathlib import Path

import pytest

from tracer import load_spec, trace
from tracer.check.answers import Answer, AnswerSheet
from tracer.check.grading import CARRIED, CORRECT, WRONG, Checker
from tracer.documents.quiz import quiz_data
from tracer.ids import parse

CASES = json.loads((Path(__file__).parent / "quiz_cases.json").read_text(encoding="utf-8"))["cases"]


def checked(case: dict) -> dict:
    result = trace(load_spec(case["spec"]))
    answers = tuple(Answer(name, parse(name), value) for name, value in case["answers"].items())
    grade = Checker(result).grade(AnswerSheet("case.toml", answers))
    return {
        m.quantity.id: {"status": m.status, "root": None if m.root is None else str(m.root)}
        for m in grade.marks
    }


@pytest.mark.parametrize("case", CASES, ids=[c["description"] for c in CASES])
def test_tracer_check_gives_the_cases_marks(case):
    assert checked(case) == case["marks"]


def test_the_cases_cover_every_mark():
    statuses = {mark["status"] for case in CASES for mark in case["marks"].values()}
    assert statuses == {CORRECT, WRONG, CARRIED}
    # a carried-forward mark through a skipped step, and one from the cost after the update
    assert any(m["root"] == "z[1][1]" and i == "z[2][1]" for c in CASES for i, m in c["marks"].items())
    assert any(i == "C'" and m["status"] == CARRIED for c in CASES for i, m in c["marks"].items())


def test_quiz_data_has_a_formula_for_every_computed_quantity():
    data = quiz_data(trace(load_spec("mazur")))
    for q in data["quantities"]:
        assert (q["js"] is None) == q["given"], q["id"]
    assert data["decimals"] == 4
