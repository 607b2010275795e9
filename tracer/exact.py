"""One training step in exact rational arithmetic: every value a fraction, for work by hand.

With ReLU or identity activations and the quadratic or squared-error loss, a step is made of
+, −, ×, max and rational constants (½, 1/n), so rational numbers in give rational numbers out.
Each derived equation's ``meaning`` (:mod:`tracer.derive`, the same equations the float trace
uses) is evaluated with SymPy Rationals in the worked example's order; C′ is the forward pass
again, the same z, a and C equations with W′ and b′ in place of W and b.

A spec's numbers are read as the decimals they were written as (0.1 is 1/10), so an exact trace
agrees with the float trace of the same spec to float64's precision.
"""

from __future__ import annotations

import sympy as sp

from tracer.derive import (
    BATCH_MEAN,
    FORWARD_A,
    FORWARD_Z,
    GIVEN,
    LOSS_SUM,
    LOSS_TERM,
    Equation,
    derive,
    symbol,
)
from tracer.errors import SpecError
from tracer.i18n import _
from tracer.ids import Ref
from tracer.spec import NetworkSpec
from tracer.trace import Quantity, Trace

EXACT_ACTIVATIONS = ("relu", "identity")
EXACT_LOSSES = ("quadratic", "sse")


def check_exact(spec: NetworkSpec, field: str = "--exact") -> None:
    """Return when ``spec`` can be traced exactly; else raise SpecError, one line naming what is allowed."""
    others = [a for a in spec.activations if a not in EXACT_ACTIVATIONS]
    if others or spec.loss not in EXACT_LOSSES:
        has = ", ".join(dict.fromkeys(others)) if others else _("the {loss} loss").format(loss=spec.loss)
        raise SpecError(
            field,
            _(
                "exact fractions need {activations} activations and the {losses} loss; this network has {has}"
            ).format(
                activations=_(" or ").join(EXACT_ACTIVATIONS), losses=_(" or ").join(EXACT_LOSSES), has=has
            ),
        )


def rational(value: float) -> sp.Rational:
    """Return a spec number as the decimal it was written as.

    >>> rational(0.1), rational(-0.25), rational(2.0)
    (1/10, -1/4, 2)
    """
    return sp.Rational(repr(float(value)))


def _givens(spec: NetworkSpec) -> dict[Ref, sp.Rational]:
    """Return the spec's numbers (inputs, targets, W, b, η) as Rationals, keyed like the trace."""
    batch = len(spec.samples) > 1
    values: dict[Ref, sp.Rational] = {Ref("eta"): rational(spec.learning_rate)}
    for number, sample in enumerate(spec.samples, start=1):
        s = number if batch else None
        values.update({Ref("a", 0, k, sample=s): rational(v) for k, v in enumerate(sample.x, start=1)})
        values.update({Ref("y", j=j, sample=s): rational(v) for j, v in enumerate(sample.y, start=1)})
    for l, (W, b) in enumerate(zip(spec.weights, spec.biases, strict=True), start=1):
        for j, row in enumerate(W, start=1):
            values.update({Ref("W", l, j, k): rational(w) for k, w in enumerate(row, start=1)})
            values[Ref("b", l, j)] = rational(b[j - 1])
    return values


def _value(equation: Equation, values: dict[Ref, sp.Rational]) -> sp.Rational:
    """Return one equation's meaning evaluated exactly from the values it depends on."""
    result = equation.meaning.xreplace({symbol(d): values[d] for d in equation.depends_on})
    if not result.is_Rational:
        raise SpecError(
            "--exact", _("{id} is {value}, not a fraction").format(id=equation.ref, value=result)
        )  # not for allowed specs
    return result


def _is_forward(equation: Equation) -> bool:
    """Return True for the equations of the forward pass and the cost: z, a, C_j, C."""
    return equation.rule in (FORWARD_Z, FORWARD_A, LOSS_TERM, LOSS_SUM) or (
        equation.rule == BATCH_MEAN and equation.ref.kind == "C"
    )


def exact_values(spec: NetworkSpec) -> dict[Ref, sp.Rational]:
    """Return every value of one training step as an exact Rational, keyed by Ref.

    For the ``relu`` preset, ``exact_values(spec)[Ref("z", 1, 2)]`` is exactly 0.
    """
    check_exact(spec)
    equations = derive(spec.shape)  # cached per shape: no new derivation per variant
    values = _givens(spec)
    for equation in equations:
        if equation.rule == GIVEN:
            continue
        if equation.ref == Ref("C'"):
            values[equation.ref] = _cost_after(equations, values)
        else:
            values[equation.ref] = _value(equation, values)
    return values


def _cost_after(equations: tuple[Equation, ...], values: dict[Ref, sp.Rational]) -> sp.Rational:
    """Return C′: the z, a and C equations again, with W′ and b′ in place of W and b."""
    after = dict(values)
    for ref in values:
        if ref.kind in ("W'", "b'"):
            after[Ref(ref.kind[0], ref.l, ref.j, ref.k)] = values[ref]
    for equation in equations:
        if _is_forward(equation):
            after[equation.ref] = _value(equation, after)
    return after[Ref("C")]


def exact_trace(spec: NetworkSpec) -> Trace:
    """Return the Trace of one training step with exact Rational values (fractions in every document).

    ``exact_trace(load_spec("relu"))["a[2][1]"].value`` is 0.86 as the fraction 43/50.
    """
    values = exact_values(spec)
    return Trace(spec, tuple(Quantity(eq, values[eq.ref]) for eq in derive(spec.shape)))
