"""The derivative as a limit, in numbers: difference quotients that approach the backprop gradient.

The lecture defines f′(x) = lim_{δx→0} (f(x + δx) − f(x)) / δx. Here f is the batch cost C as a
function of one parameter with every other parameter held fixed; the quotient is computed for
δx = 10⁻¹ … 10⁻⁷ with :func:`tracer.evaluate.batch_cost`, and should settle on the value that
backpropagation gives.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import sympy as sp

from tracer.derive import symbol
from tracer.display import Call, Increment, LimitToZero, PowerOfTen
from tracer.documents.blocks import Block
from tracer.evaluate import batch_cost
from tracer.i18n import _
from tracer.ids import Ref
from tracer.printing import shown_number
from tracer.spec import NetworkSpec

if TYPE_CHECKING:
    from tracer.documents.lesson import Lesson

EXPONENTS = tuple(range(-1, -8, -1))


class Quotient(NamedTuple):
    """Return-free row of a gradient check: the step 10^exponent, C(θ + step), the quotient."""

    exponent: int
    cost: float
    quotient: float


def checked_parameters(spec: NetworkSpec) -> tuple[Ref, ...]:
    """Return the parameters a document checks: the first weight of each layer and the first bias.

    >>> from tracer import load_spec
    >>> [str(r) for r in checked_parameters(load_spec("mazur"))]
    ['W[1][1][1]', 'W[2][1][1]', 'b[1][1]']
    """
    weights = tuple(Ref("W", l, 1, 1) for l in range(1, spec.depth + 1))
    return (*weights, Ref("b", 1, 1))


def difference_quotients(spec: NetworkSpec, parameter: Ref, exponents=EXPONENTS) -> tuple[Quotient, ...]:
    """Return (C(θ + δ) − C(θ)) / δ for δ = 10^e, e in ``exponents``, moving only ``parameter``.

    For Mazur's w5 the quotients approach ∂E_total/∂w5 = 0.082167041 as δ shrinks.
    """
    weights = [np.array(w, dtype=float) for w in spec.weights]
    biases = [np.array(b, dtype=float) for b in spec.biases]
    base = batch_cost(spec, weights, biases)
    rows = []
    for exponent in exponents:
        step = 10.0**exponent
        moved_w = [w.copy() for w in weights]
        moved_b = [b.copy() for b in biases]
        if parameter.kind == "W":
            moved_w[parameter.l - 1][parameter.j - 1, parameter.k - 1] += step
        else:
            moved_b[parameter.l - 1][parameter.j - 1] += step
        cost = batch_cost(spec, moved_w, moved_b)
        rows.append(Quotient(exponent, cost, (cost - base) / step))
    return tuple(rows)


def check(lesson: Lesson) -> list[Block]:
    """Return difference quotients approaching the backprop gradient for a few parameters."""
    checks = {ref: difference_quotients(lesson.spec, ref) for ref in checked_parameters(lesson.spec)}
    blocks: list[Block] = [
        lesson.numbered(_("Gradient check: the derivative as a limit")),
        lesson.paragraph(
            _(
                "A derivative is the limit of a ratio of changes. Nudge one parameter by a small amount "
                "{h}, holding every other parameter fixed, and divide the change of the cost by the "
                "nudge; as the nudge shrinks, the ratio settles on the gradient that backpropagation "
                "gave."
            ),
            h=Increment(sp.Symbol("w")),
        ),
        lesson.paragraph(
            _(
                "The distance to the backprop value shrinks about tenfold with each row: the ratio's "
                "error is about half the second derivative times the nudge, so it is proportional to the "
                "nudge. For very small nudges it stops shrinking and grows again: the two costs agree in "
                "almost all their digits, and their difference loses what float64 rounding (about 16 "
                "significant digits) left."
            )
            if any(_grows(lesson, ref, rows) for ref, rows in checks.items() if _settles(lesson, ref, rows))
            else _(
                "The distance to the backprop value shrinks about tenfold with each row: the ratio's "
                "error is about half the second derivative times the nudge, so it is proportional to the "
                "nudge. Nudges smaller than these would at last make it grow again: the two costs would "
                "agree in almost all their digits, and their difference would lose what float64 rounding "
                "(about 16 significant digits) left."
            )
        ),
    ]
    if lesson.several:
        blocks.append(
            lesson.paragraph(
                _(
                    "The check is made for step 1, at the initial parameters: every later step computes "
                    "its gradients by the same equations, from the parameters the step before left."
                )
            )
        )
    for ref, rows in checks.items():
        blocks += checked(lesson, ref, rows)
    return blocks


def _gradient(ref: Ref) -> Ref:
    return Ref("dC/dW", ref.l, ref.j, ref.k) if ref.kind == "W" else Ref("dC/db", ref.l, ref.j)


def _grows(lesson: Lesson, ref: Ref, rows: tuple[Quotient, ...]) -> bool:
    """Return whether the distance to the backprop value grows somewhere down the table."""
    exact = float(lesson.trace.values[_gradient(ref)])
    distances = [abs(q.quotient - exact) for q in rows]
    return any(later > earlier for earlier, later in pairwise(distances))


def _settles(lesson: Lesson, ref: Ref, rows: tuple[Quotient, ...]) -> bool:
    """Return whether the quotients come close to the backprop value (not at a ReLU's corner)."""
    exact = float(lesson.trace.values[_gradient(ref)])
    scale = max(1.0, abs(exact), *(abs(q.quotient) for q in rows))
    return min(abs(q.quotient - exact) for q in rows) < 1e-3 * scale


def _at_a_corner(lesson: Lesson) -> bool:
    """Return whether a ReLU or leaky ReLU neuron's weighted input is exactly 0 in some sample."""
    return any(
        lesson.g(q.ref.l).name in ("relu", "leaky_relu") and q.value == 0
        for q in lesson.trace.quantities
        if q.ref.kind == "z" and q.ref.step in (None, 1)
    )


def checked(lesson: Lesson, ref: Ref, quotients: tuple[Quotient, ...]) -> list[Block]:
    """Return the limit of one parameter's difference quotient and its table."""
    cost = lesson.naming.symbol(Ref("C"))
    parameter = lesson.naming.symbol(ref)
    h = Increment(parameter)
    shifted = Call(cost, sp.Add(parameter, h, evaluate=False))
    numerator = sp.Add(shifted, sp.Mul(-1, Call(cost, parameter), evaluate=False), evaluate=False)
    quotient = sp.Mul(numerator, sp.Pow(h, -1, evaluate=False), evaluate=False)
    gradient = _gradient(ref)
    exact = lesson.trace.values[gradient]
    rows = [
        (
            lesson.say("{x}", x=PowerOfTen(sp.Integer(q.exponent))),
            (lesson.number(q.cost),),
            (lesson.number(q.quotient),),
            (lesson.number(abs(q.quotient - float(exact))),),
        )
        for q in quotients
    ]
    head = [
        lesson.say("{x}", x=h),
        lesson.say("{x}", x=shifted),
        lesson.say(_("difference quotient")),
        lesson.say(_("distance to backprop")),
    ]
    if _settles(lesson, ref, quotients):
        return [
            lesson.chain(symbol(gradient), LimitToZero(quotient, h), shown_number(exact)),
            lesson.table(head, rows, (True, True, True, True)),
        ]
    # The nudge is one-sided: at a corner it measures the slope from the right, not the one
    # backpropagation takes there, and the limit is not the gradient.
    note = (
        _(
            "Here the ratio does not settle on backpropagation's value {gradient}: the nudge moves a "
            "weighted input that is exactly 0, at the corner of a ReLU, so the ratio measures the slope "
            "to the right of the corner, while backpropagation takes the slope at 0 that the equations "
            "above state."
        )
        if _at_a_corner(lesson)
        else _("Here the ratio does not settle on backpropagation's value {gradient} within these nudges.")
    )
    return [
        lesson.paragraph(note, tone="note", gradient=sp.Eq(symbol(gradient), shown_number(exact))),
        lesson.table(head, rows, (True, True, True, True)),
    ]
