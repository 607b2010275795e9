"""One layer in matrix form, shapes first, then the actual small matrices.

Shape confusion is what students ask about most, so each equation is shown twice: once with
every factor labelled by its shape (δˡ is n×1, (wˡ⁺¹)ᵀ is n×m, …), once with the numbers of this
step, including the intermediate product (wˡ⁺¹)ᵀ δˡ⁺¹ of BP2. The equations (Nielsen ch. 2):

* forward: zˡ = wˡ aˡ⁻¹ + bˡ, aˡ = σ(zˡ)
* BP1: δᴸ = ∂C/∂aᴸ ⊙ σ′(zᴸ)   (softmax with cross-entropy: δᴸ = aᴸ − y)
* BP2: δˡ = (wˡ⁺¹)ᵀ δˡ⁺¹ ⊙ σ′(zˡ)
* BP3: ∂C/∂bˡ = δˡ
* BP4: ∂C/∂wˡ = δˡ (aˡ⁻¹)ᵀ
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from tracer.activations import activation
from tracer.derive import BP1, BP2, BP3, BP4, FORWARD_A, FORWARD_Z
from tracer.display import Hadamard, Minus, Plus, Prime, Product, Transposed, matrix, shaped
from tracer.documents.model import MatrixStep
from tracer.documents.styles import MathStyle
from tracer.ids import Ref
from tracer.notation import Partial
from tracer.trace import Trace


def _step(style: MathStyle, rule: str, shapes: tuple | None, lhs: sp.Expr, *sides: sp.Expr) -> MatrixStep:
    return MatrixStep(
        rule,
        None if shapes is None else style.equation(*shapes),
        style.math(lhs),
        tuple(style.math(side) for side in sides),
        style.equation(lhs, *sides),
    )


def _column(trace: Trace, kind: str, layer: int | None, size: int, s: int | None) -> list[float]:
    """Return the values of one layer's quantities of a kind as a list, neuron 1 first."""
    if kind == "y":
        return [trace.values[Ref("y", j=j, sample=s)] for j in range(1, size + 1)]
    return [trace.values[Ref(kind, layer, j, sample=s)] for j in range(1, size + 1)]


def _vector(numbers: list[float]) -> sp.ImmutableMatrix:
    return matrix([[v] for v in numbers])


def _weights(trace: Trace, l: int) -> list[list[float]]:
    """Return the traced weight matrix Wˡ as rows (exact Rationals in an exact trace)."""
    rows, cols = trace.spec.layers[l], trace.spec.layers[l - 1]
    return [[trace.values[Ref("W", l, j, k)] for k in range(1, cols + 1)] for j in range(1, rows + 1)]


def forward_steps(trace: Trace, style: MathStyle, l: int, s: int | None) -> tuple[MatrixStep, ...]:
    """Return zˡ = wˡ aˡ⁻¹ + bˡ and aˡ = g(zˡ) for layer ``l`` of sample ``s`` in matrix form.

    For Mazur's hidden layer the first reads net_h = W_h i + b_h, shapes 2×1 = 2×2 · 2×1 + 2×1.
    """
    spec, naming = trace.spec, trace.naming
    n, m = spec.layers[l], spec.layers[l - 1]
    z, a, W, b = (naming.vector(kind, l, s) for kind in ("z", "a", "W", "b"))
    previous = naming.vector("a", l - 1, s)
    g = activation(spec.activations[l - 1], "", spec.leaky_relu_slope)
    written = sp.Function("softmax")(z) if g.is_softmax else g.written(z)
    weighted = Plus(
        Product(matrix(_weights(trace, l)), _vector(_column(trace, "a", l - 1, m, s))),
        _vector(_column(trace, "b", l, n, None)),
    )
    shapes = (shaped(z, n, 1), Plus(Product(shaped(W, n, m), shaped(previous, m, 1)), shaped(b, n, 1)))
    return (
        _step(style, FORWARD_Z, shapes, z, weighted, _vector(_column(trace, "z", l, n, s))),
        _step(style, FORWARD_A, None, shaped(a, n, 1), written, _vector(_column(trace, "a", l, n, s))),
    )


def matrix_steps(trace: Trace, style: MathStyle, l: int, s: int | None) -> tuple[MatrixStep, ...]:
    """Return BP1 or BP2, then BP4 and BP3, for layer ``l`` of sample ``s`` in matrix form.

    For Mazur's hidden layer BP2 reads δ_h = (W_o)ᵀ δ_o ⊙ σ′(net_h), shapes 2×1 = 2×2 · 2×1 ⊙ 2×1.
    """
    spec, naming = trace.spec, trace.naming
    n, m = spec.layers[l], spec.layers[l - 1]

    def column(kind: str, layer: int | None, size: int) -> sp.ImmutableMatrix:
        return _vector(_column(trace, kind, layer, size, s))

    delta_name = naming.vector("delta", l, s)
    delta = column("delta", l, n)
    cost = naming.symbol(Ref("C", sample=s))
    g = activation(spec.activations[l - 1], "", spec.leaky_relu_slope)
    z_name, a_name = naming.vector("z", l, s), naming.vector("a", l, s)
    slope_name = Partial(a_name, z_name) if g.name == "identity" else Prime(g.written(z_name))
    steps = []
    if l < spec.depth:
        after = spec.layers[l + 1]
        # Object arrays keep exact Rationals exact; floats multiply in float64 as before.
        kind = object if trace.exact else float
        W = np.array(_weights(trace, l + 1), dtype=kind)
        back = W.T @ np.array(_column(trace, "delta", l + 1, after, s), dtype=kind)
        slope = column("da/dz", l, n)
        W_next, delta_next = naming.vector("W", l + 1), naming.vector("delta", l + 1, s)
        shapes = (
            shaped(delta_name, n, 1),
            Hadamard(
                Product(shaped(Transposed(W_next), n, after), shaped(delta_next, after, 1)),
                shaped(slope_name, n, 1),
            ),
        )
        product = Product(matrix(W.T.tolist()), column("delta", l + 1, after))
        steps.append(
            _step(
                style,
                BP2,
                shapes,
                delta_name,
                Hadamard(product, slope),
                Hadamard(_vector(list(back)), slope),
                delta,
            )
        )
    elif not g.is_softmax:
        gradient = Partial(cost, a_name)
        shapes = (shaped(delta_name, n, 1), Hadamard(shaped(gradient, n, 1), shaped(slope_name, n, 1)))
        numbers = Hadamard(column("dC/da", l, n), column("da/dz", l, n))
        steps.append(_step(style, BP1, shapes, delta_name, numbers, delta))
    elif spec.loss == "cross_entropy":
        target = naming.vector("y", None, s)
        shapes = (shaped(delta_name, n, 1), Minus(shaped(a_name, n, 1), shaped(target, n, 1)))
        numbers = Minus(column("a", l, n), column("y", None, n))
        steps.append(_step(style, BP1, shapes, delta_name, numbers, delta))
    previous = naming.vector("a", l - 1, s)
    gradient_w = Partial(cost, naming.vector("W", l))
    grads = [[trace.values[Ref("dC/dW", l, j, k, s)] for k in range(1, m + 1)] for j in range(1, n + 1)]
    shapes = (shaped(gradient_w, n, m), Product(shaped(delta_name, n, 1), shaped(Transposed(previous), 1, m)))
    outer = Product(delta, matrix([_column(trace, "a", l - 1, m, s)]))
    steps.append(_step(style, BP4, shapes, gradient_w, outer, matrix(grads)))
    gradient_b = Partial(cost, naming.vector("b", l))
    steps.append(_step(style, BP3, (shaped(gradient_b, n, 1), shaped(delta_name, n, 1)), gradient_b, delta))
    return tuple(steps)
