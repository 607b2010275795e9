"""One layer in matrix form, shapes first, then the actual small matrices.

Shape confusion is what students ask about most, so each equation is shown twice: once with
every factor labelled by its shape (δˡ is n×1, (wˡ⁺¹)ᵀ is n×m, …), once with the numbers of this
step, every number read from the Trace (the product (wˡ⁺¹)ᵀ δˡ⁺¹ of BP2 is the traced ∂C/∂aˡ).
The equations (Nielsen ch. 2):

* forward: zˡ = wˡ aˡ⁻¹ + bˡ, aˡ = σ(zˡ)
* BP1: δᴸ = ∂C/∂aᴸ ⊙ σ′(zᴸ)   (softmax: δᴸ = Jᵀ ∂C/∂aᴸ with the Jacobian J = ∂aᴸ/∂zᴸ)
* BP2: δˡ = (wˡ⁺¹)ᵀ δˡ⁺¹ ⊙ σ′(zˡ)
* BP3: ∂C/∂bˡ = δˡ
* BP4: ∂C/∂wˡ = δˡ (aˡ⁻¹)ᵀ
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sympy as sp

from tracer.display import Hadamard, Plus, Prime, Product, Transposed, matrix, shaped
from tracer.documents.blocks import Block
from tracer.i18n import _
from tracer.ids import Ref
from tracer.notation import Partial

if TYPE_CHECKING:
    from tracer.documents.lesson import Lesson


def _column(lesson: Lesson, kind: str, l: int | None, s: int | None) -> sp.ImmutableMatrix:
    """Return the traced values of one layer's quantities of a kind as a column, neuron 1 first."""
    if kind == "y":
        return matrix([[lesson.value(Ref("y", j=j, sample=s))] for j in lesson.neurons(lesson.L)])
    sample = None if kind == "b" else s
    return matrix([[lesson.value(Ref(kind, l, j, sample=sample))] for j in lesson.neurons(l)])


def _weights(lesson: Lesson, l: int) -> sp.ImmutableMatrix:
    """Return the traced weight matrix Wˡ."""
    return matrix(
        [[lesson.value(Ref("W", l, j, k)) for k in lesson.neurons(l - 1)] for j in lesson.neurons(l)]
    )


def _slope_name(lesson: Lesson, l: int, s: int | None) -> sp.Expr:
    """Return g′(zˡ) as the notation writes it (∂a/∂z for the identity)."""
    g = lesson.g(l)
    z, a = lesson.naming.vector("z", l, s), lesson.naming.vector("a", l, s)
    return Partial(a, z) if g.name == "identity" else Prime(g.written(z))


def jacobian(lesson: Lesson, s: int | None) -> sp.ImmutableMatrix:
    """Return the softmax Jacobian ∂aᵢ/∂zⱼ = aᵢ(1[i = j] − aⱼ), from the traced outputs."""
    a = [lesson.value(Ref("a", lesson.L, i, sample=s)) for i in lesson.neurons(lesson.L)]
    n = len(a)
    return matrix([[a[i] * ((1 if i == j else 0) - a[j]) for j in range(n)] for i in range(n)])


def vector_equations(lesson: Lesson) -> list[Block]:
    """Return BP1–BP4 stated once for this network's layers, in the notation's vector symbols."""
    naming, L = lesson.naming, lesson.L
    cost = naming.symbol(Ref("C"))
    delta = naming.vector("delta", L)
    if lesson.g(L).is_softmax:
        jac = Partial(naming.vector("a", L), naming.vector("z", L))
        bp1 = sp.Eq(delta, Product(Transposed(jac), Partial(cost, naming.vector("a", L))), evaluate=False)
    else:
        bp1 = sp.Eq(
            delta,
            Hadamard(Partial(cost, naming.vector("a", L)), _slope_name(lesson, L, None)),
            evaluate=False,
        )
    blocks: list[Block] = [
        lesson.paragraph(_("BP1, the error term of the output layer: {equation}"), equation=bp1)
    ]
    for l in range(L - 1, 0, -1):
        back = Product(Transposed(naming.vector("W", l + 1)), naming.vector("delta", l + 1))
        bp2 = sp.Eq(naming.vector("delta", l), Hadamard(back, _slope_name(lesson, l, None)), evaluate=False)
        blocks.append(
            lesson.paragraph(
                _("BP2, a hidden layer's error term from the next layer's: {equation}"), equation=bp2
            )
        )
    if L == 1:
        blocks.append(
            lesson.paragraph(_("BP2 carries error terms back into hidden layers; this network has none."))
        )
    bp3 = sp.Eq(Partial(cost, naming.vector("b", L)), delta, evaluate=False)
    bp4 = sp.Eq(
        Partial(cost, naming.vector("W", L)),
        Product(delta, Transposed(naming.vector("a", L - 1))),
        evaluate=False,
    )
    blocks.append(
        lesson.paragraph(
            _("BP3, the gradient of the biases, here for the output layer: {equation}"), equation=bp3
        )
    )
    blocks.append(
        lesson.paragraph(
            _(
                "BP4, the gradient of the weights, here for the output layer: {equation}, that is "
                "{single} for each weight."
            ),
            equation=bp4,
            single=sp.Eq(
                lesson.sym("dC/dW", L, 1, 1),
                sp.Mul(lesson.sym("a", L - 1, 1), lesson.sym("delta", L, 1), evaluate=False),
                evaluate=False,
            ),
        )
    )
    return blocks


def forward_steps(lesson: Lesson, l: int, s: int | None) -> list[Block]:
    """Return zˡ = wˡ aˡ⁻¹ + bˡ and aˡ = g(zˡ) for layer ``l`` of sample ``s`` in matrix form.

    For Mazur's hidden layer the first reads net_h = W_h i + b_h, shapes 2×1 = 2×2 · 2×1 + 2×1.
    """
    naming = lesson.naming
    n, m = lesson.spec.layers[l], lesson.spec.layers[l - 1]
    z, a, W, b = (naming.vector(kind, l, s) for kind in ("z", "a", "W", "b"))
    previous = naming.vector("a", l - 1, s)
    g = lesson.g(l)
    written = sp.Function("softmax")(z) if g.is_softmax else g.written(z)
    weighted = Plus(Product(_weights(lesson, l), _column(lesson, "a", l - 1, s)), _column(lesson, "b", l, s))
    shapes = Plus(Product(shaped(W, n, m), shaped(previous, m, 1)), shaped(b, n, 1))
    return [
        lesson.chain(shaped(z, n, 1), shapes),
        lesson.chain(z, weighted, _column(lesson, "z", l, s)),
        lesson.chain(shaped(a, n, 1), written, _column(lesson, "a", l, s)),
    ]


def matrix_steps(lesson: Lesson, l: int, s: int | None) -> list[Block]:
    """Return BP1 or BP2, then BP4 and BP3, for layer ``l`` of sample ``s`` in matrix form.

    For Mazur's hidden layer BP2 reads δ_h = (W_o)ᵀ δ_o ⊙ σ′(net_h), shapes 2×1 = 2×2 · 2×1 ⊙ 2×1.
    """
    naming, L = lesson.naming, lesson.L
    n, m = lesson.spec.layers[l], lesson.spec.layers[l - 1]
    delta_name = naming.vector("delta", l, s)
    delta = _column(lesson, "delta", l, s)
    cost = naming.symbol(Ref("C", sample=s))
    a_name = naming.vector("a", l, s)
    blocks: list[Block] = []
    if l < L:
        after = lesson.spec.layers[l + 1]
        W_next, delta_next = naming.vector("W", l + 1), naming.vector("delta", l + 1, s)
        slope = _column(lesson, "da/dz", l, s)
        shapes = Hadamard(
            Product(shaped(Transposed(W_next), n, after), shaped(delta_next, after, 1)),
            shaped(_slope_name(lesson, l, s), n, 1),
        )
        product = Product(
            matrix(
                [
                    [lesson.value(Ref("W", l + 1, i, j)) for i in lesson.neurons(l + 1)]
                    for j in lesson.neurons(l)
                ]
            ),
            _column(lesson, "delta", l + 1, s),
        )
        blocks.append(lesson.chain(shaped(delta_name, n, 1), shapes))
        blocks.append(
            lesson.chain(
                delta_name, Hadamard(product, slope), Hadamard(_column(lesson, "dC/da", l, s), slope), delta
            )
        )
    elif lesson.g(l).is_softmax:
        jac_name = Partial(a_name, naming.vector("z", l, s))
        gradient = Partial(cost, a_name)
        shapes = Product(shaped(Transposed(jac_name), n, n), shaped(gradient, n, 1))
        numbers = Product(jacobian(lesson, s).T, _column(lesson, "dC/da", l, s))
        blocks.append(lesson.chain(shaped(delta_name, n, 1), shapes))
        blocks.append(lesson.chain(delta_name, numbers, delta))
    else:
        gradient = Partial(cost, a_name)
        shapes = Hadamard(shaped(gradient, n, 1), shaped(_slope_name(lesson, l, s), n, 1))
        blocks.append(lesson.chain(shaped(delta_name, n, 1), shapes))
        blocks.append(
            lesson.chain(
                delta_name, Hadamard(_column(lesson, "dC/da", l, s), _column(lesson, "da/dz", l, s)), delta
            )
        )
    previous = naming.vector("a", l - 1, s)
    gradient_w = Partial(cost, naming.vector("W", l))
    grads = matrix(
        [[lesson.value(Ref("dC/dW", l, j, k, s)) for k in lesson.neurons(l - 1)] for j in lesson.neurons(l)]
    )
    outer = Product(delta, _column(lesson, "a", l - 1, s).T)
    blocks.append(
        lesson.chain(
            shaped(gradient_w, n, m), Product(shaped(delta_name, n, 1), shaped(Transposed(previous), 1, m))
        )
    )
    blocks.append(lesson.chain(gradient_w, outer, grads))
    gradient_b = Partial(cost, naming.vector("b", l))
    blocks.append(lesson.chain(shaped(gradient_b, n, 1), shaped(delta_name, n, 1)))
    blocks.append(lesson.chain(gradient_b, delta))
    return blocks
