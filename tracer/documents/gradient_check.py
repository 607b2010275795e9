"""The derivative as a limit, in numbers: difference quotients that approach the backprop gradient.

The lecture defines f′(x) = lim_{δx→0} (f(x + δx) − f(x)) / δx. Here f is the batch cost C as a
function of one parameter with every other parameter held fixed; the quotient is computed for
δx = 10⁻¹ … 10⁻⁷ with :func:`tracer.evaluate.batch_cost`, and should settle on the value that
backpropagation gives.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from tracer.evaluate import batch_cost
from tracer.ids import Ref
from tracer.spec import NetworkSpec

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
