"""The symbolic half: every quantity's local formula, by the chain rule, once per network shape.

Each quantity is one :class:`Equation`: its formula is written with the canonical symbols of the
quantities it depends on (``Symbol("z[2][1]")``), never by differentiating the composed cost, so
the work grows linearly with the number of parameters. The equations are the textbook ones
(Nielsen ch. 2, with his labels):

* forward:  z = Σ_k w_jk a_k + b_j,  a = g(z)
* loss:     C = Σ_j C_j per sample, C = 1/n Σ_x C_x for the batch
* BP1:      δᴸ_j = ∂C/∂aᴸ_j · g′(zᴸ_j)
* BP2:      δˡ_j = (Σ_i wˡ⁺¹_ij δˡ⁺¹_i) · g′(zˡ_j)
* BP3:      ∂C/∂bˡ_j = δˡ_j
* BP4:      ∂C/∂wˡ_jk = aˡ⁻¹_k δˡ_j, for the output layer shown as the lecture's three factors
            ∂C/∂w = ∂z/∂w · ∂a/∂z · ∂C/∂a
* update:   w′ = w − η ∂C/∂w
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from tracer.activations import activation
from tracer.ids import Ref, parse
from tracer.losses import loss as find_loss
from tracer.spec import Shape

# Rule labels, shown beside each step of a worked example.
GIVEN = "given"
FORWARD_Z = "weighted input"
FORWARD_A = "activation"
LOSS_TERM = "loss"
LOSS_SUM = "cost"
BATCH_MEAN = "batch average"
DC_DA = "loss derivative"
SLOPE = "activation derivative"
BP1 = "BP1"
BP2 = "BP2"
BP3 = "BP3"
BP4 = "BP4"
CHAIN = "chain rule"
UPDATE = "update"
FROZEN = "frozen"
AFTER = "cost after the update"


def symbol(ref: Ref) -> sp.Symbol:
    """Return the canonical SymPy symbol of a quantity: its name is the canonical id."""
    return sp.Symbol(str(ref))


@dataclass(frozen=True)
class Equation:
    """Return-free record of how one quantity is computed.

    ``formula`` uses canonical symbols; ``aliases`` names sub-expressions that stand for another
    quantity's value (σ(z) is the activation a), so that the substituted line shows that number.
    ``meaning`` is the same formula as plain maths over the ``depends_on`` symbols (σ spelled out,
    aliases replaced), for recomputing the quantity from other numbers.
    Given quantities (inputs, targets, parameters, learning rate) have no formula.
    """

    ref: Ref
    rule: str
    formula: sp.Expr | None = None
    aliases: tuple[tuple[sp.Expr, Ref], ...] = ()
    depends_on: tuple[Ref, ...] = ()
    meaning: sp.Expr | None = None


def _equation(
    ref: Ref, rule: str, formula: sp.Expr, aliases: dict | None = None, meaning: sp.Expr | None = None
) -> Equation:
    aliases = aliases or {}
    refs: list[Ref] = list(aliases.values())
    hidden = {s for alias in aliases for s in alias.free_symbols}
    # In the formula's own order; symbols are only ever made by symbol() above, so names parse.
    refs += [parse(s.name) for s in sp.preorder_traversal(formula) if s.is_Symbol and s not in hidden]
    if meaning is None:
        meaning = formula.xreplace({alias: symbol(r) for alias, r in aliases.items()})
    return Equation(ref, rule, formula, tuple(aliases.items()), tuple(dict.fromkeys(refs)), meaning)


@lru_cache(maxsize=4096)
def recompute(equation: Equation) -> Callable[..., float]:
    """Return a fast function of the ``depends_on`` values that gives the quantity's value.

    Built once per equation with ``lambdify``; used to check formulas against the NumPy values
    and to recompute a step from a student's own earlier numbers.
    """
    if equation.meaning is None:
        raise ValueError(f"{equation.ref} has no formula")
    function = sp.lambdify([symbol(r) for r in equation.depends_on], equation.meaning, "math")
    return lambda *values: float(function(*values))


def _add(*terms: sp.Expr) -> sp.Expr:
    return terms[0] if len(terms) == 1 else sp.Add(*terms, evaluate=False)


def _mul(*factors: sp.Expr) -> sp.Expr:
    return sp.Mul(*factors, evaluate=False)


@lru_cache(maxsize=32)
def derive(shape: Shape) -> tuple[Equation, ...]:
    """Return every equation of one training step for this shape, in the order of a worked example.

    For layers (2, 2, 2) with one sample that is 4 givens of the input and target, 12 parameters,
    the forward pass, the cost, the backward pass, the gradients and the updates.
    """
    layers, L = shape.layers, len(shape.layers) - 1
    g = [None, *(activation(name, "", shape.leaky_relu_slope) for name in shape.activations)]
    cost = find_loss(shape.loss)
    batch = shape.samples > 1
    samples = list(range(1, shape.samples + 1)) if batch else [None]
    eqs: list[Equation] = []

    def S(kind: str, l: int | None = None, j: int | None = None, k: int | None = None, s=None):
        return symbol(Ref(kind, l, j, k, s))

    for s in samples:
        eqs += [Equation(Ref("a", 0, k, sample=s), GIVEN) for k in range(1, layers[0] + 1)]
        eqs += [Equation(Ref("y", j=j, sample=s), GIVEN) for j in range(1, layers[L] + 1)]
    for l in range(1, L + 1):
        eqs += [
            Equation(Ref("W", l, j, k), GIVEN)
            for j in range(1, layers[l] + 1)
            for k in range(1, layers[l - 1] + 1)
        ]
        eqs += [Equation(Ref("b", l, j), GIVEN) for j in range(1, layers[l] + 1)]
    eqs.append(Equation(Ref("eta"), GIVEN))

    for s in samples:
        for l in range(1, L + 1):
            for j in range(1, layers[l] + 1):
                terms = [_mul(S("W", l, j, k), S("a", l - 1, k, s=s)) for k in range(1, layers[l - 1] + 1)]
                eqs.append(_equation(Ref("z", l, j, sample=s), FORWARD_Z, _add(*terms, S("b", l, j))))
            for j in range(1, layers[l] + 1):
                if g[l].is_softmax:
                    exps = [sp.exp(S("z", l, i, s=s), evaluate=False) for i in range(1, layers[l] + 1)]
                    formula = _mul(exps[j - 1], sp.Pow(_add(*exps), -1, evaluate=False))
                    meaning = None
                else:
                    formula = g[l].written(S("z", l, j, s=s))
                    meaning = g[l].meaning(S("z", l, j, s=s))
                eqs.append(_equation(Ref("a", l, j, sample=s), FORWARD_A, formula, meaning=meaning))
        m = layers[L]
        for j in range(1, m + 1):
            term = cost.term(S("y", j=j, s=s), S("a", L, j, s=s), m)
            eqs.append(_equation(Ref("C_term", j=j, sample=s), LOSS_TERM, term))
        total = _add(*(S("C_term", j=j, s=s) for j in range(1, m + 1)))
        eqs.append(_equation(Ref("C", sample=s), LOSS_SUM, total))
    if batch:
        mean = _mul(sp.Rational(1, shape.samples), _add(*(S("C", s=s) for s in samples)))
        eqs.append(_equation(Ref("C"), BATCH_MEAN, mean))

    for s in samples:
        eqs += _backward(shape, g, cost, s, S)
    if batch:
        for l in range(1, L + 1):
            for j in range(1, layers[l] + 1):
                for k in range(1, layers[l - 1] + 1):
                    parts = _add(*(S("dC/dW", l, j, k, s) for s in samples))
                    eqs.append(
                        _equation(
                            Ref("dC/dW", l, j, k), BATCH_MEAN, _mul(sp.Rational(1, len(samples)), parts)
                        )
                    )
                parts = _add(*(S("dC/db", l, j, s=s) for s in samples))
                eqs.append(
                    _equation(Ref("dC/db", l, j), BATCH_MEAN, _mul(sp.Rational(1, len(samples)), parts))
                )

    eta = S("eta")
    for l in range(1, L + 1):
        for j in range(1, layers[l] + 1):
            for k in range(1, layers[l - 1] + 1):
                step = _add(S("W", l, j, k), _mul(-1, eta, S("dC/dW", l, j, k)))
                eqs.append(_equation(Ref("W'", l, j, k), UPDATE, step))
        for j in range(1, layers[l] + 1):
            if shape.update_biases:
                eqs.append(
                    _equation(Ref("b'", l, j), UPDATE, _add(S("b", l, j), _mul(-1, eta, S("dC/db", l, j))))
                )
            else:
                eqs.append(_equation(Ref("b'", l, j), FROZEN, S("b", l, j)))
    after = [
        Ref("W'", l, j, k)
        for l in range(1, L + 1)
        for j in range(1, layers[l] + 1)
        for k in range(1, layers[l - 1] + 1)
    ]
    after += [Ref("b'", l, j) for l in range(1, L + 1) for j in range(1, layers[l] + 1)]
    eqs.append(Equation(Ref("C'"), AFTER, None, (), tuple(after)))
    return tuple(eqs)


def _backward(shape: Shape, g: list, cost, s, S) -> list[Equation]:
    """Return the backward pass of one sample: ∂C/∂a, g′(z), δ (BP1, BP2) and BP3, BP4."""
    layers, L = shape.layers, len(shape.layers) - 1
    m = layers[L]
    eqs: list[Equation] = []
    for j in range(1, m + 1):
        slope = cost.slope(S("y", j=j, s=s), S("a", L, j, s=s), m)
        eqs.append(_equation(Ref("dC/da", L, j, sample=s), DC_DA, slope))
    for l in range(L, 0, -1):
        if not g[l].is_softmax:
            for j in range(1, layers[l] + 1):
                z = S("z", l, j, s=s)
                written = g[l].written(z)
                aliases = {} if written == z else {written: Ref("a", l, j, sample=s)}
                eqs.append(_equation(Ref("da/dz", l, j, sample=s), SLOPE, g[l].slope(z), aliases))
        for j in range(1, layers[l] + 1):
            if l == L:
                eqs.append(_output_delta(shape, g[l], j, s, S))
            else:
                back = _add(
                    *(
                        _mul(S("W", l + 1, i, j), S("delta", l + 1, i, s=s))
                        for i in range(1, layers[l + 1] + 1)
                    )
                )
                eqs.append(_equation(Ref("delta", l, j, sample=s), BP2, _mul(back, S("da/dz", l, j, s=s))))
        for j in range(1, layers[l] + 1):
            for k in range(1, layers[l - 1] + 1):
                if l == L and not g[l].is_softmax:
                    product = _mul(S("a", l - 1, k, s=s), S("da/dz", l, j, s=s), S("dC/da", l, j, s=s))
                    eqs.append(_equation(Ref("dC/dW", l, j, k, s), CHAIN, product))
                else:
                    product = _mul(S("a", l - 1, k, s=s), S("delta", l, j, s=s))
                    eqs.append(_equation(Ref("dC/dW", l, j, k, s), BP4, product))
            eqs.append(_equation(Ref("dC/db", l, j, sample=s), BP3, S("delta", l, j, s=s)))
    return eqs


def _output_delta(shape: Shape, g, j: int, s, S) -> Equation:
    """Return BP1 for output neuron j; for softmax, the Jacobian folded into one line."""
    L = len(shape.layers) - 1
    ref = Ref("delta", L, j, sample=s)
    if not g.is_softmax:
        return _equation(ref, BP1, _mul(S("dC/da", L, j, s=s), S("da/dz", L, j, s=s)))
    a_j, y_j = S("a", L, j, s=s), S("y", j=j, s=s)
    if shape.loss == "cross_entropy":
        # Softmax with cross-entropy and targets that add up to 1: δ_j = a_j − y_j.
        return _equation(ref, BP1, _add(a_j, _mul(-1, y_j)))
    # ∂a_i/∂z_j = a_i(1[i=j] − a_j), so δ_j = a_j (∂C/∂a_j − Σ_i a_i ∂C/∂a_i).
    m = shape.layers[L]
    weighted = _add(*(_mul(S("a", L, i, s=s), S("dC/da", L, i, s=s)) for i in range(1, m + 1)))
    return _equation(ref, BP1, _mul(a_j, _add(S("dC/da", L, j, s=s), _mul(-1, weighted))))
