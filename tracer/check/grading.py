"""Grading a student's answers against a Trace: correct, wrong, or an error carried forward.

The rules, as a teacher marks a worked example:

**Correct.** An answer is correct when it agrees with the true value within the tolerance:
to ``decimals`` places (both rounded to N decimals, at most one unit apart in the last place;
the default is 4) or, with ``rtol``, relatively (``|given − true| ≤ rtol·|true|``, with an
absolute floor of ``ABS_FLOOR`` for values at or near 0). With ``rounded = N`` it is also correct
when it agrees with the *rounded chain*: the whole step recomputed in order, every computed
quantity rounded to N decimals and the next one computed from those rounded numbers (the givens
of the spec as given), which is what a student working with 4-decimal intermediate values gets.
A mark says which of the two chains it matched.

**Your own numbers.** To judge a step, tracer redoes it from the student's numbers: walking the
trace in order, each quantity takes the student's value where they gave one; a given of the spec
they did not restate takes the spec's value; a computed quantity they skipped takes what its
formula gives from those numbers (rounded to N decimals with ``rounded``). A skipped step is thus
the one the student would have written down: if they wrote ``net_h1`` wrongly, left ``out_h1``
out and went on to ``net_o1``, their ``net_o1`` is judged against σ(their ``net_h1``), not
against the true ``out_h1`` they never had.

**Error carried forward.** A wrong answer is *carried forward* when it equals (within the
tolerance) what its formula gives from the student's own numbers: the step was done right, the
error came earlier. Its root, the first wrong step, is found by following ``depends_on`` back
through the student's wrong and carried-forward answers and through the steps they skipped, to
the earliest wrong answer that is not itself carried forward (a correct answer ends the search:
its number was right). If that finds none, the search goes on through the correct answers too:
a slip can shrink to within the tolerance at one step and grow beyond it later (a learning rate
of 2 doubles it). A carried-forward answer with no wrong answer behind it at all comes from
rounding alone: every earlier answer was within the tolerance, but the rounding grew beyond it
(use ``rounded``).
Carried forward still counts as not correct for the exit status; it is reported as such.

**Wrong.** Anything else is a new mistake, and its own root. The givens of the spec (inputs,
targets, weights, biases, η) have no formula: restated, they are correct or wrong.

**The cost after the update** ``C'`` has no local formula (it is a whole forward pass with the
updated weights): it is recomputed with :func:`tracer.evaluate.batch_cost` from the student's
``W'`` and ``b'`` numbers, and carried forward from them like any other step.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType

import numpy as np
import sympy as sp

from tracer.check.answers import Answer, AnswerSheet, Names, answer_files, read_answers
from tracer.derive import recompute, symbol
from tracer.errors import SpecError
from tracer.evaluate import cost_after_update
from tracer.ids import Ref
from tracer.tolerance import Tolerance
from tracer.trace import Quantity, Trace

CORRECT = "correct"
WRONG = "wrong"
CARRIED = "carried_forward"
EXACT = "exact"
ROUNDED = "rounded"


@dataclass(frozen=True)
class Mark:
    """Return-free judgement of one answer.

    ``expected`` is the true value, ``rounded_expected`` the rounded chain's (with ``rounded``),
    ``yours`` what the step gives from the student's own numbers (None for a given of the spec),
    ``yours_differ`` whether that is beyond the tolerance from the true value (their inputs matter),
    ``root`` the first wrong step: the answer itself when wrong, the earliest wrong answer it
    was carried forward from, None when correct or carried forward from rounding alone.
    """

    answer: Answer
    quantity: Quantity
    status: str
    expected: float
    rounded_expected: float | None = None
    matched: str | None = None
    yours: float | None = None
    yours_differ: bool = False
    root: Ref | None = None
    student_values: Mapping[Ref, float] = field(default_factory=dict, repr=False, compare=False)
    true_values: Mapping[Ref, float] = field(default_factory=dict, repr=False, compare=False)
    true_steps: dict[Ref, sp.Expr | None] = field(default_factory=dict, repr=False, compare=False)

    @property
    def ref(self) -> Ref:
        """Return the quantity this answer is for."""
        return self.quantity.ref

    @property
    def given(self) -> float:
        """Return the student's number."""
        return self.answer.value

    @property
    def difference(self) -> float:
        """Return given − expected."""
        return self.answer.value - self.expected

    @property
    def symbol(self) -> sp.Symbol:
        """Return the canonical symbol of the quantity (printers show it in the notation)."""
        return symbol(self.quantity.ref)

    @property
    def root_symbol(self) -> sp.Symbol | None:
        """Return the canonical symbol of the first wrong step, if there is one."""
        return None if self.root is None else symbol(self.root)

    @property
    def formula(self) -> sp.Expr | None:
        """Return the step's formula over canonical symbols (None for givens and ``C'``)."""
        return self.quantity.formula

    @property
    def substituted(self) -> sp.Expr | None:
        """Return the formula with the true numbers: the step done right (shared by all files)."""
        if self.ref not in self.true_steps:
            self.true_steps[self.ref] = self.quantity.substituted(self.true_values)
        return self.true_steps[self.ref]

    @cached_property
    def yours_substituted(self) -> sp.Expr | None:
        """Return the formula with the student's own numbers."""
        return self.quantity.substituted(self.student_values)


@dataclass(frozen=True)
class Grade:
    """Return-free result of checking one answer file; ``marks`` follow the worked example's order."""

    sheet: AnswerSheet
    marks: tuple[Mark, ...]

    def count(self, status: str) -> int:
        """Return how many answers have this status."""
        return sum(m.status == status for m in self.marks)

    @property
    def all_correct(self) -> bool:
        """Return True when every answer is correct (carried forward is not)."""
        return all(m.status == CORRECT for m in self.marks)

    @property
    def first_wrong(self) -> Mark | None:
        """Return the earliest wrong answer that is not carried forward, if any."""
        return next((m for m in self.marks if m.status == WRONG), None)

    @property
    def by_ref(self) -> dict[Ref, Mark]:
        """Return the marks by quantity, to look up a carried-forward answer's root."""
        return {m.ref: m for m in self.marks}


class Checker:
    """Return-free grader of answer files against one trace; the rounded chain is computed once.

    >>> from tracer import load_spec, trace
    >>> from tracer.check.answers import Answer, AnswerSheet
    >>> result = trace(load_spec("mazur"))
    >>> sheet = AnswerSheet("a.toml", (Answer("out_h1", Ref("a", 1, 1), 0.5933),))
    >>> Checker(result).grade(sheet).marks[0].status
    'correct'
    """

    def __init__(self, trace: Trace, tolerance: Tolerance | None = None, rounded: int | None = None) -> None:
        self.trace = trace
        self.tolerance = tolerance or Tolerance()
        self.rounded = rounded
        self.true_values = MappingProxyType(dict(trace.values))
        self.true_steps: dict[Ref, sp.Expr | None] = {}
        self._order = {q.ref: i for i, q in enumerate(trace.quantities)}
        # Quantity.recompute, looked up once per step rather than once per step and file.
        self._functions = {q.ref: recompute(q.equation) for q in trace.quantities if q.formula is not None}
        self.rounded_values = None if rounded is None else MappingProxyType(self._rounded_chain(rounded))

    def _rounded_chain(self, decimals: int) -> dict[Ref, float]:
        """Return every value recomputed in order from numbers rounded to ``decimals`` at each step."""
        values: dict[Ref, float] = {}
        for q in self.trace.quantities:
            values[q.ref] = q.value if q.given else round(self.recompute(q, values), decimals)
        return values

    def recompute(self, q: Quantity, values: Mapping[Ref, float]) -> float:
        """Return what the step gives from ``values``; NaN when those numbers leave its domain.

        ``C'`` has no local formula: it is a forward pass with the ``W'`` and ``b'`` in ``values``.
        """
        try:
            if q.ref.kind == "C'":
                with np.errstate(all="ignore"):
                    return cost_after_update(self.trace.spec, values, q.ref.step)
            return self._functions[q.ref](*(values[d] for d in q.depends_on))
        except (ArithmeticError, ValueError, TypeError, SpecError):
            return math.nan

    def grade(self, sheet: AnswerSheet) -> Grade:
        """Return the marks of one answer file (see the module docstring for the rules)."""
        given = {a.ref: a for a in sheet.answers}
        order = self._order
        tolerance, decimals = self.tolerance, self.rounded
        yours_values: dict[Ref, float] = {}
        student_values = MappingProxyType(yours_values)  # each entry is written once, in order
        roots: dict[Ref, frozenset[Ref]] = {}  # wrong answers behind a value, through wrong ones
        behind: dict[Ref, frozenset[Ref]] = {}  # the same through every step, correct ones too
        marks: list[Mark] = []
        for q in self.trace.quantities:
            ref = q.ref
            yours = None if q.given else self.recompute(q, yours_values)
            inherited = frozenset().union(*(roots[d] for d in q.depends_on))
            upstream = frozenset().union(*(behind[d] for d in q.depends_on))
            answer = given.get(ref)
            if answer is None:
                if q.given:
                    yours_values[ref] = q.value
                else:
                    yours_values[ref] = yours if decimals is None else _round(yours, decimals)
                roots[ref], behind[ref] = inherited, upstream
                continue
            yours_values[ref] = answer.value
            rounded_expected = None if self.rounded_values is None else self.rounded_values[ref]
            status, matched, root = WRONG, None, ref
            if tolerance.accepts(answer.value, q.value):
                status, matched, root = CORRECT, EXACT, None
            elif rounded_expected is not None and tolerance.accepts(answer.value, rounded_expected):
                status, matched, root = CORRECT, ROUNDED, None
            elif yours is not None and tolerance.accepts(answer.value, yours):
                status = CARRIED
                cause = inherited or upstream
                root = min(cause, key=order.__getitem__) if cause else None
            roots[ref] = {CORRECT: frozenset(), WRONG: frozenset({ref}), CARRIED: inherited}[status]
            behind[ref] = frozenset({ref}) if status == WRONG else upstream
            marks.append(
                Mark(
                    answer=answer,
                    quantity=q,
                    status=status,
                    expected=q.value,
                    rounded_expected=rounded_expected,
                    matched=matched,
                    yours=yours,
                    yours_differ=yours is not None and not tolerance.accepts(yours, q.value),
                    root=root,
                    student_values=student_values,
                    true_values=self.true_values,
                    true_steps=self.true_steps,
                )
            )
        return Grade(sheet, tuple(marks))


def _round(value: float, decimals: int) -> float:
    return round(value, decimals) if math.isfinite(value) else value


@dataclass(frozen=True)
class CheckResult:
    """Return-free result of one ``tracer check`` run: one Grade per readable answer file.

    ``problems`` are the files of a folder that could not be read (each one line); a single
    unreadable file is an error instead.
    """

    trace: Trace
    tolerance: Tolerance
    rounded: int | None
    grades: tuple[Grade, ...]
    problems: tuple[SpecError, ...] = ()

    @property
    def exit_status(self) -> int:
        """Return 0 when every answer of every file is correct, 1 if any is not, 2 for a bad file."""
        if self.problems:
            return 2
        return 0 if all(g.all_correct for g in self.grades) else 1


def check(
    trace: Trace,
    path: Path,
    tolerance: Tolerance | None = None,
    rounded: int | None = None,
    spec_label: str = "SPEC",
) -> CheckResult:
    """Return the grades of an answer file, or of every answer file in a folder, against ``trace``.

    Names are indexed and the rounded chain computed once for all files. A bad single file
    raises SpecError; a bad file in a folder becomes one of ``problems`` and the rest are graded.
    """
    files = answer_files(path)
    names = Names(trace, spec_label)
    checker = Checker(trace, tolerance, rounded)
    grades: list[Grade] = []
    problems: list[SpecError] = []
    for file in files:
        try:
            sheet = read_answers(file, names)
        except SpecError as error:
            if not path.is_dir():
                raise
            problems.append(error)
            continue
        grades.append(checker.grade(sheet))
    return CheckResult(trace, checker.tolerance, rounded, tuple(grades), tuple(problems))
