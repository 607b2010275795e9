"""The equations of backpropagation, stated and derived: the section before the numbers.

The error term δ = ∂C/∂z is defined in the notation's own symbols, BP1–BP4 are stated once with
their source (:func:`tracer.documents.matrix_form.vector_equations`), and each activation's slope
and the loss's ∂C/∂a are worked out in a few lines, so that no step of the backward pass rests
on an assertion.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sympy as sp

from tracer.activations import Activation
from tracer.display import Cases, DerivativeOf, Prime, Times
from tracer.documents.blocks import Block
from tracer.documents.matrix_form import vector_equations
from tracer.i18n import N_, _
from tracer.notation import Partial
from tracer.printing import shown_number

if TYPE_CHECKING:
    from tracer.documents.lesson import Lesson

# Where each notation's equations come from, named so a reader can find them.
SOURCES = {
    "ng": N_(
        "Andrew Ng's δ rule (Machine Learning, Stanford/Coursera, week 5), the same four equations as "
        "BP1–BP4 in Michael Nielsen, Neural Networks and Deep Learning, chapter 2"
    ),
}
DEFAULT_SOURCE = N_("Michael Nielsen, Neural Networks and Deep Learning, chapter 2, equations BP1–BP4")


def tanh_sum_and_difference(z: sp.Symbol) -> tuple[sp.Expr, sp.Expr]:
    """Return eᶻ + e⁻ᶻ and eᶻ − e⁻ᶻ, kept in that order (SymPy would write −e⁻ᶻ + eᶻ)."""
    ez, emz = sp.exp(z, evaluate=False), sp.exp(-z, evaluate=False)
    return sp.Add(ez, emz, evaluate=False), sp.Add(ez, sp.Mul(-1, emz, evaluate=False), evaluate=False)


def tanh_quotient(z: sp.Symbol) -> sp.Expr:
    """Return tanh's definition (eᶻ − e⁻ᶻ)/(eᶻ + e⁻ᶻ)."""
    plus, minus = tanh_sum_and_difference(z)
    return sp.Mul(minus, sp.Pow(plus, -1, evaluate=False), evaluate=False)


def equations_section(lesson: Lesson) -> list[Block]:
    """Return δ defined, BP1–BP4 stated with their source, and the derivatives they use."""
    L, naming = lesson.L, lesson.naming
    z_out = lesson.sym("z", L, 1)
    delta_out = lesson.sym("delta", L, 1)
    cost = lesson.sym("C")
    source = _(SOURCES.get(naming.notation.name, DEFAULT_SOURCE))
    blocks: list[Block] = [
        lesson.numbered(_("The equations of backpropagation")),
        lesson.paragraph(
            _(
                "The error term of a neuron, {delta}, is how much the cost changes when the neuron's "
                "weighted input changes: {definition}. Backpropagation finds every error term from the "
                "output back to the input, and every gradient from the error terms."
            ),
            delta=delta_out,
            definition=sp.Eq(delta_out, Partial(cost, z_out), evaluate=False),
        ),
        lesson.paragraph(
            _(
                "Four equations do all the work ({source}). For this network, layer by layer, with ⊙ the "
                "element-wise product:"
            ).format(source=source)
        ),
    ]
    blocks += vector_equations(lesson)
    blocks.append(
        lesson.paragraph(
            _(
                "BP1 and BP2 give the error terms; BP3 and BP4 turn them into gradients. Both need the "
                "slope of each activation and the slope of the loss, worked out next."
            )
        )
    )
    seen = set()
    for l in range(1, L + 1):
        g = lesson.g(l)
        if g.name not in seen:
            seen.add(g.name)
            blocks += activation_derivative(lesson, g, l)
    blocks += loss_derivative(lesson)
    return blocks


def activation_derivative(lesson: Lesson, g: Activation, l: int) -> list[Block]:
    """Return the derivation of an activation's slope, its convention at a kink said."""
    z = lesson.variable()
    e = sp.exp(-z, evaluate=False)
    one_plus = sp.Add(1, e, evaluate=False)
    if g.name == "sigmoid":
        sigma = g.written(z)
        return [
            lesson.paragraph(
                _("The sigmoid's slope, by the chain rule on {inverse}:"),
                inverse=sp.Pow(one_plus, -1, evaluate=False),
            ),
            lesson.equations(
                (
                    Prime(sigma),
                    DerivativeOf(sp.Pow(one_plus, -1, evaluate=False), z),
                    sp.Mul(
                        e, sp.Pow(sp.Pow(one_plus, 2, evaluate=False), -1, evaluate=False), evaluate=False
                    ),
                ),
                (
                    None,
                    Times(
                        sp.Pow(one_plus, -1, evaluate=False),
                        sp.Mul(e, sp.Pow(one_plus, -1, evaluate=False), evaluate=False),
                    ),
                    g.slope(z),
                ),
            ),
            lesson.paragraph(
                _(
                    "since {fraction}. So the slope needs no new exponential: it is the activation {a} "
                    "times one minus it."
                ),
                fraction=sp.Eq(
                    sp.Mul(e, sp.Pow(one_plus, -1, evaluate=False), evaluate=False),
                    sp.Add(1, sp.Mul(-1, sigma, evaluate=False), evaluate=False),
                    evaluate=False,
                ),
                a=lesson.sym("a", l, 1),
            ),
        ]
    if g.name == "tanh":
        plus, minus = tanh_sum_and_difference(z)
        square = lambda x: sp.Pow(x, 2, evaluate=False)  # noqa: E731
        return [
            lesson.paragraph(_("The hyperbolic tangent's slope, by the quotient rule:")),
            lesson.equations(
                (
                    Prime(g.written(z)),
                    sp.Mul(
                        sp.Add(square(plus), sp.Mul(-1, square(minus), evaluate=False), evaluate=False),
                        sp.Pow(square(plus), -1, evaluate=False),
                        evaluate=False,
                    ),
                    g.slope(z),
                ),
            ),
        ]
    if g.name in ("relu", "leaky_relu"):
        below = sp.Integer(0) if g.name == "relu" else shown_number(lesson.spec.leaky_relu_slope)
        return [
            lesson.paragraph(
                _(
                    "The slope of {g} is 1 where the weighted input is positive and {below} where it is "
                    "negative. At exactly 0 the function has a corner and no derivative; tracer takes "
                    "{below} there, as PyTorch does."
                ),
                g=g.written(z),
                below=below,
            ),
            lesson.equations(
                (
                    Prime(g.written(z)),
                    Cases(sp.Integer(1), sp.StrictGreaterThan(z, 0), below, sp.LessThan(z, 0)),
                )
            ),
        ]
    if g.name == "identity":
        return [
            lesson.paragraph(
                _("The identity {definition} has slope 1 everywhere."),
                definition=sp.Eq(sp.Function("g")(z), z, evaluate=False),
            )
        ]
    return softmax_jacobian_rule(lesson)


def softmax_jacobian_rule(lesson: Lesson) -> list[Block]:
    """Return the softmax Jacobian ∂a_i/∂z_j, derived by the quotient rule."""
    i, j = sp.Symbol("i"), sp.Symbol("j")
    z = lesson.variable()
    ai, aj = sp.Symbol("a_i"), sp.Symbol("a_j")
    zj = sp.Symbol(f"{z}_j")
    return [
        lesson.paragraph(
            _(
                "A softmax output depends on every weighted input of its layer, so its slope is a "
                "matrix, the Jacobian. By the quotient rule on {share}:"
            ),
            share=sp.Eq(
                ai,
                sp.Mul(sp.exp(sp.Symbol(f"{z}_i")), sp.Pow(sp.Symbol("S"), -1), evaluate=False),
                evaluate=False,
            ),
        ),
        lesson.equations(
            (
                Partial(ai, zj),
                Cases(
                    sp.Mul(aj, sp.Add(1, -aj, evaluate=False), evaluate=False),
                    sp.Eq(i, j),
                    sp.Mul(-1, ai, aj, evaluate=False),
                    sp.Ne(i, j),
                ),
            )
        ),
        lesson.paragraph(_("where {S} is the sum of the exponentials of the layer."), S=sp.Symbol("S")),
    ]


def loss_derivative(lesson: Lesson) -> list[Block]:
    """Return ∂C/∂a for the first output, and why the other outputs' terms drop out."""
    y, a, part, cost = lesson.output_symbols()
    m = lesson.spec.layers[-1]
    term = lesson.loss.term(y, a, m)
    blocks: list[Block] = [
        lesson.paragraph(_("The loss's slope with respect to an output, here {a}:"), a=a),
        lesson.equations((Partial(cost, a), DerivativeOf(term, a), lesson.loss.slope(y, a, m))),
    ]
    if m > 1:
        blocks.append(
            lesson.paragraph(
                _(
                    "Only {part} contains {a}: the other outputs' parts of the cost do not change with "
                    "it, so their derivatives are 0 and drop out of the sum."
                ),
                part=part,
                a=a,
            )
        )
    return blocks
