"""Grading rules of ``tracer check``: correct, wrong, carried forward, the rounded chain, tolerances."""

from __future__ import annotations

import math

import pytest
from check_students import computed, work, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracer import load_spec, trace
from tracer.check.grading import CARRIED, CORRECT, EXACT, ROUNDED, WRONG, Checker, Tolerance, check
from tracer.ids import Ref, parse

PROPERTY = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def mazur():
    return trace(load_spec("mazur"))


def grade(result, folder, answers, **options):
    """Return the one Grade of an answer file written into ``folder``."""
    path = write(folder, "answers.toml", answers)
    outcome = check(result, path, **options)
    return outcome.grades[0]


def statuses(grade_):
    return {str(m.ref): m.status for m in grade_.marks}


@pytest.mark.parametrize("preset", ["mazur", "neuron", "ng", "relu", "softmax", "xor"])
def test_every_true_value_is_correct(preset, tmp_path):
    result = trace(load_spec(preset))
    answers = {q.id: q.value for q in result.quantities}
    outcome = check(result, write(tmp_path, "all.toml", answers))
    assert outcome.exit_status == 0
    assert {m.status for m in outcome.grades[0].marks} == {CORRECT}
    assert len(outcome.grades[0].marks) == len(result.quantities)


def test_one_early_mistake_is_carried_forward_and_named_first(mazur, tmp_path):
    # The student gets net_h1 wrong and then works every later step right from their own numbers.
    answers = computed(mazur, work(mazur, {"z[1][1]": 0.1}, decimals=4))
    result = grade(mazur, tmp_path, answers)
    marks = result.by_ref
    assert marks[Ref("z", 1, 1)].status == WRONG
    assert result.first_wrong.ref == Ref("z", 1, 1)
    assert marks[Ref("a", 1, 1)].status == CARRIED
    assert marks[Ref("a", 1, 1)].root == Ref("z", 1, 1)
    # out_h2 and net_h2 do not depend on net_h1: still right.
    assert marks[Ref("z", 1, 2)].status == CORRECT
    assert marks[Ref("a", 1, 2)].status == CORRECT
    carried = [m for m in result.marks if m.status == CARRIED]
    assert len(carried) > 20
    assert {m.root for m in carried} == {Ref("z", 1, 1)}
    assert result.count(WRONG) == 1
    assert not result.all_correct
    # A carried-forward step shows the student's own numbers: σ(0.4775), not σ(0.3775).
    assert marks[Ref("a", 1, 1)].yours == pytest.approx(1 / (1 + math.exp(-0.4775)))
    assert "0.4775" in str(marks[Ref("a", 1, 1)].yours_substituted)


def test_a_skipped_step_is_redone_from_the_students_numbers(mazur, tmp_path):
    # net_h1 wrong, out_h1 and out_h2 skipped: net_o1 from σ(their net_h1) is carried forward.
    values = work(mazur, {"z[1][1]": 0.1})
    answers = {"z[1][1]": values[Ref("z", 1, 1)], "z[2][1]": values[Ref("z", 2, 1)]}
    answers |= {"C[1]": values[Ref("C_term", j=1)], "C": values[Ref("C")]}
    marks = grade(mazur, tmp_path, answers).by_ref
    assert marks[Ref("z", 2, 1)].status == CARRIED
    assert marks[Ref("z", 2, 1)].root == Ref("z", 1, 1)
    # C = E_o1 + E_o2 with E_o2 skipped: it too comes from their numbers.
    assert marks[Ref("C")].status == CARRIED
    assert marks[Ref("C")].root == Ref("z", 1, 1)


def test_a_wrong_answer_that_is_not_consistent_is_a_new_mistake(mazur, tmp_path):
    values = work(mazur, {"z[1][1]": 0.1, "a[2][1]": 0.05})
    answers = {i: values[parse(i)] for i in ("z[1][1]", "a[1][1]", "z[2][1]", "a[2][1]", "C[1]")}
    result = grade(mazur, tmp_path, answers)
    assert statuses(result) == {
        "z[1][1]": WRONG,
        "a[1][1]": CARRIED,
        "z[2][1]": CARRIED,
        "a[2][1]": WRONG,
        "C[1]": CARRIED,
    }
    marks = result.by_ref
    assert marks[Ref("C_term", j=1)].root == Ref("a", 2, 1)
    assert marks[Ref("a", 2, 1)].root == Ref("a", 2, 1)
    assert marks[Ref("a", 2, 1)].yours_differ
    assert result.first_wrong.ref == Ref("z", 1, 1)


def test_a_restated_given_can_be_the_first_wrong_step(mazur, tmp_path):
    # The student copies w5 as 0.45 and works on with it.
    values = work(mazur, {"W[2][1][1]": 0.05})
    answers = {"w_5": values[Ref("W", 2, 1, 1)], "net_o1": values[Ref("z", 2, 1)]}
    marks = grade(mazur, tmp_path, answers).by_ref
    assert marks[Ref("W", 2, 1, 1)].status == WRONG
    assert marks[Ref("z", 2, 1)].status == CARRIED
    assert marks[Ref("z", 2, 1)].root == Ref("W", 2, 1, 1)


def test_the_cost_after_the_update_is_recomputed_from_the_students_weights(mazur, tmp_path):
    values = work(mazur, {"W'[2][1][1]": 0.01})
    answers = {q.id: values[q.ref] for q in mazur.quantities if q.ref.kind in ("W'", "b'", "C'")}
    marks = grade(mazur, tmp_path, answers).by_ref
    assert marks[Ref("W'", 2, 1, 1)].status == WRONG
    assert marks[Ref("C'")].status == CARRIED
    assert marks[Ref("C'")].root == Ref("W'", 2, 1, 1)
    alone = grade(mazur, tmp_path, {"C'": 0.2})
    assert alone.marks[0].status == WRONG
    assert alone.marks[0].formula is None


@PROPERTY
@given(
    preset=st.sampled_from(["mazur", "ng", "relu", "xor"]),
    data=st.data(),
)
def test_randomly_perturbed_answers_are_flagged_and_only_they(preset, data, tmp_path):
    result = trace(load_spec(preset))
    answers = {q.id: q.value for q in result.quantities}
    ids = list(answers)
    chosen = data.draw(st.sets(st.sampled_from(ids), min_size=1, max_size=6))
    # Sorted: a set's order follows PYTHONHASHSEED, and the draws must not.
    for i in sorted(chosen):
        size = data.draw(st.floats(0.01, 0.3))
        sign = data.draw(st.sampled_from([-1, 1]))
        answers[i] += sign * (0.001 + size * abs(answers[i]))
    result_grade = grade(result, tmp_path, answers)
    flagged = {str(m.ref) for m in result_grade.marks if m.status != CORRECT}
    assert flagged == chosen
    # Every other answer is the true value, so a perturbed answer is wrong, unless it happens to be
    # what another perturbed answer gives (w₁₂ off by 0.0393 and z₁ off by 0.0197 with x₂ = 0.5):
    # then it is carried forward from that one.
    for m in result_grade.marks:
        if str(m.ref) in chosen and m.status != WRONG:
            assert m.status == CARRIED
            assert str(m.root) in chosen - {str(m.ref)}
            assert m.yours is not None and abs(m.yours - m.answer.value) < 1e-3


@PROPERTY
@given(preset=st.sampled_from(["mazur", "ng", "relu", "xor"]), data=st.data())
def test_one_slip_with_consistent_later_steps_is_the_only_root(preset, data, tmp_path):
    result = trace(load_spec(preset))
    steps = [q for q in result.quantities if not q.given and q.ref.kind != "C'"]
    slip = data.draw(st.sampled_from(steps))
    size = data.draw(st.floats(0.05, 0.3)) * data.draw(st.sampled_from([-1, 1]))
    values = work(result, {slip.id: 0.002 + size * abs(slip.value)})
    result_grade = grade(result, tmp_path, computed(result, values))
    marks = result_grade.by_ref
    assert marks[slip.ref].status == WRONG
    assert result_grade.first_wrong.ref == slip.ref
    for m in result_grade.marks:
        assert m.status in (CORRECT, CARRIED) or m.ref == slip.ref
        if m.status == CARRIED:
            assert m.root == slip.ref


def test_rounding_at_each_step_is_accepted_with_rounded(tmp_path):
    # Ng's cross-entropy example: 4-decimal intermediate values move ∂J/∂a beyond 4 decimals.
    result = trace(load_spec("ng"))
    answers = computed(result, work(result, decimals=4), names="notation")
    plain = grade(result, tmp_path, answers)
    flagged = [m for m in plain.marks if m.status != CORRECT]
    assert [str(m.ref) for m in flagged] == ["dC/da[2][1]"]
    assert flagged[0].status == CARRIED and flagged[0].root is None  # rounding alone
    lenient = grade(result, tmp_path, answers, rounded=4)
    assert lenient.all_correct
    assert lenient.by_ref[Ref("dC/da", 2, 1)].matched == ROUNDED
    assert lenient.by_ref[Ref("z", 1, 1)].matched == EXACT


def test_rounded_chain_with_a_finer_tolerance(mazur, tmp_path):
    answers = computed(mazur, work(mazur, decimals=4))
    strict = grade(mazur, tmp_path, answers, tolerance=Tolerance(decimals=6))
    assert strict.count(CORRECT) < len(strict.marks) / 2
    lenient = grade(mazur, tmp_path, answers, tolerance=Tolerance(decimals=6), rounded=4)
    assert lenient.all_correct
    assert all(m.rounded_expected == answers[str(m.ref)] for m in lenient.marks)


def test_a_mistake_under_rounding_is_still_found(mazur, tmp_path):
    answers = computed(mazur, work(mazur, {"delta[2][1]": 0.02}, decimals=4))
    result = grade(mazur, tmp_path, answers, rounded=4)
    assert result.first_wrong.ref == Ref("delta", 2, 1)
    assert {m.root for m in result.marks if m.status == CARRIED} == {Ref("delta", 2, 1)}


def test_tolerance_by_decimals_allows_one_unit_in_the_last_place():
    four = Tolerance(decimals=4)
    assert four.accepts(0.5933, 0.593269992)
    assert four.accepts(0.5932, 0.593269992)
    assert four.accepts(0.5934, 0.593269992)
    assert not four.accepts(0.5931, 0.593269992)
    assert not four.accepts(0.59, 0.593269992)
    assert not four.accepts(math.nan, 0.5)
    assert Tolerance(decimals=2).accepts(0.59, 0.593269992)


def test_relative_tolerance_has_a_floor_near_zero():
    rel = Tolerance(decimals=None, rtol=1e-3)
    assert rel.accepts(1.1065, 1.105906)
    assert not rel.accepts(1.108, 1.105906)
    assert rel.accepts(0.0, 1e-12)
    assert not rel.accepts(1e-6, 0.0)
    assert "relative" in rel.text


def test_the_checker_survives_numbers_outside_a_steps_domain(tmp_path):
    # A cross-entropy step with a student's output below 0 has no value: wrong, not a crash.
    result = trace(load_spec("ng"))
    marks = grade(result, tmp_path, {"a^(3)_1": -0.5, "J_1": 0.8}).by_ref
    assert marks[Ref("a", 2, 1)].status == WRONG
    assert marks[Ref("C_term", j=1)].status == WRONG
    assert math.isnan(marks[Ref("C_term", j=1)].yours)


def test_the_rounded_chain_is_computed_once_per_checker(mazur):
    checker = Checker(mazur, rounded=3)
    assert checker.rounded_values[Ref("a", 1, 1)] == 0.593
    assert checker.rounded_values[Ref("W", 2, 1, 1)] == 0.4
