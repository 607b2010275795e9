"""The backward pass of the worked example, output layer first, as a student redoes it by hand.

The output layer: ∂C/∂a, the activation's slope, BP1 (for a softmax through its Jacobian with
numbers, then the shortcut), every weight's gradient factor by factor (∂z/∂w · ∂a/∂z · ∂C/∂a) and
the bridge from that product to δ and BP4. Each hidden layer: the sum over paths ∂C/∂a = Σ w·δ
with its numbers, one weight factor by factor, BP2; then BP3, BP4 and the layer in matrix form.
Every number is a Trace value; the weights are those from before the update.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sympy as sp

from tracer.derive import CHAIN, symbol
from tracer.display import Equals
from tracer.documents.blocks import Block, Paragraph, Step, Steps
from tracer.documents.matrix_form import jacobian, matrix_steps
from tracer.i18n import _
from tracer.ids import Ref
from tracer.notation import Partial
from tracer.printing import shown_number

if TYPE_CHECKING:
    from tracer.documents.lesson import Lesson


def backward(lesson: Lesson) -> list[Block]:
    """Return the backward pass of every sample, output layer first, then the batch average."""
    blocks: list[Block] = [
        lesson.numbered(_("Backward pass")),
        lesson.paragraph(
            _(
                "From the output back to the input, each layer's error term is found from the one after "
                "it, and each gradient from the error term. Every weight in this section is the weight "
                "from before the update: all the gradients are computed first, with the old weights, and "
                "only then are the parameters updated (section {number})."
            ).format(number=lesson.sections_made + 1),
            tone="note",
        ),
    ]
    for s in lesson.samples():
        blocks += lesson.sample_heading(s)
        for l in range(lesson.L, 0, -1):
            blocks += output_layer(lesson, s) if l == lesson.L else hidden_layer(lesson, l, s)
            blocks += gradients(lesson, l, s)
    if lesson.batch:
        blocks.append(lesson.heading(_("The batch"), 2))
        blocks.append(
            lesson.paragraph(_("Each gradient of the batch is the average of the samples' gradients:"))
        )
        refs = []
        for l in range(1, lesson.L + 1):
            for j in lesson.neurons(l):
                refs += [Ref("dC/dW", l, j, k) for k in lesson.neurons(l - 1)]
                refs.append(Ref("dC/db", l, j))
        blocks.append(lesson.steps(refs))
    return blocks


def layer_title(lesson: Lesson, l: int, s: int | None) -> Block:
    """Return the heading of a layer of the backward pass."""
    number = lesson.naming.notation.input_layer_number + l
    text = (
        _("Output layer {number} ({activation})")
        if l == lesson.L
        else _("Hidden layer {number} ({activation})")
    )
    return lesson.heading(
        text.format(number=number, activation=lesson.spec.activations[l - 1]), 3 if s else 2
    )


def output_layer(lesson: Lesson, s: int | None) -> list[Block]:
    """Return ∂C/∂a, the slopes, BP1 (the softmax Jacobian with numbers), and the chain rule."""
    L = lesson.L
    g = lesson.g(L)
    blocks: list[Block] = [layer_title(lesson, L, s)]
    blocks.append(lesson.paragraph(_("How the cost changes with each output:")))
    blocks.append(lesson.steps([Ref("dC/da", L, j, sample=s) for j in lesson.neurons(L)]))
    if g.is_softmax:
        blocks += softmax_deltas(lesson, s)
    else:
        blocks.append(lesson.paragraph(_("The slope of the activation at each weighted input:")))
        blocks.append(lesson.steps([Ref("da/dz", L, j, sample=s) for j in lesson.neurons(L)]))
        blocks.append(
            lesson.paragraph(_("The error term of each output neuron (BP1), the two slopes multiplied:"))
        )
        blocks.append(lesson.steps([Ref("delta", L, j, sample=s) for j in lesson.neurons(L)]))
        if g.name == "sigmoid" and lesson.spec.loss == "binary_cross_entropy":
            y, a = lesson.sym("y", j=1, s=s), lesson.sym("a", L, 1, s=s)
            blocks.append(
                lesson.paragraph(
                    _(
                        "With a sigmoid output and binary cross-entropy the product simplifies: "
                        "{product}, so {shortcut}, here {numbers}."
                    ),
                    product=sp.Eq(
                        sp.Mul(
                            lesson.loss.slope(y, a, 1),
                            sp.Mul(a, sp.Add(1, -a, evaluate=False), evaluate=False),
                            evaluate=False,
                        ),
                        sp.Add(a, -y, evaluate=False),
                        evaluate=False,
                    ),
                    shortcut=sp.Eq(
                        lesson.sym("delta", L, 1, s=s), sp.Add(a, -y, evaluate=False), evaluate=False
                    ),
                    numbers=sp.Eq(
                        sp.Add(
                            shown_number(lesson.value(Ref("a", L, 1, sample=s))),
                            sp.Mul(-1, shown_number(lesson.value(Ref("y", j=1, sample=s))), evaluate=False),
                            evaluate=False,
                        ),
                        shown_number(lesson.value(Ref("delta", L, 1, sample=s))),
                        evaluate=False,
                    ),
                )
            )
    blocks.append(
        lesson.paragraph(
            _(
                "The chain rule, weight by weight: how the weighted input moves with the weight (that is "
                "the activation the weight carries), how the activation moves with the weighted input, "
                "and how the cost moves with the activation. Their product is the gradient."
            )
            if not g.is_softmax
            else _(
                "The chain rule, weight by weight: how the weighted input moves with the weight (that is "
                "the activation the weight carries), and how the cost moves with the weighted input (the "
                "error term above). Their product is the gradient."
            )
        )
    )
    for j in lesson.neurons(L):
        for k in lesson.neurons(L - 1):
            blocks += chain_rule(lesson, L, j, k, s)
    first = Ref("dC/dW", L, 1, 1, s)
    blocks.append(bridge(lesson, first, L))
    return blocks


def softmax_deltas(lesson: Lesson, s: int | None) -> list[Block]:
    """Return δ_j = Σ_i ∂C/∂a_i · ∂a_i/∂z_j with the Jacobian's numbers, then the shortcut."""
    L = lesson.L
    n = lesson.spec.layers[L]
    slopes = jacobian(lesson, s)
    names = sp.ImmutableMatrix(
        [
            [Partial(lesson.sym("a", L, i + 1, s=s), lesson.sym("z", L, j + 1, s=s)) for j in range(n)]
            for i in range(n)
        ]
    )
    blocks: list[Block] = [
        lesson.paragraph(
            _(
                "The Jacobian of the softmax, row {i} for output {i} and column {j} for weighted input "
                "{j}, from the outputs:"
            ),
            i=sp.Symbol("i"),
            j=sp.Symbol("j"),
        ),
        lesson.equations((names, slopes)),
        lesson.paragraph(
            _("The error term of each output neuron (BP1) adds up the paths through every output: {rule}."),
            rule=sp.Eq(
                sp.Symbol("delta_j"),
                sp.Sum(
                    sp.Mul(
                        Partial(sp.Symbol("C"), sp.Symbol("a_i")),
                        Partial(sp.Symbol("a_i"), sp.Symbol("z_j")),
                        evaluate=False,
                    ),
                    (sp.Symbol("i"), 1, n),
                ),
                evaluate=False,
            ),
        ),
    ]
    rows = []
    for j in range(n):
        terms = [
            sp.Mul(shown_number(lesson.value(Ref("dC/da", L, i + 1, sample=s))), slopes[i, j], evaluate=False)
            for i in range(n)
        ]
        rows.append(
            (
                lesson.sym("delta", L, j + 1, s=s),
                sp.Add(*terms, evaluate=False),
                shown_number(lesson.value(Ref("delta", L, j + 1, sample=s))),
            )
        )
    blocks.append(lesson.equations(*rows))
    if lesson.spec.loss == "cross_entropy":
        blocks.append(
            lesson.paragraph(
                _(
                    "With cross-entropy, and targets that add up to 1, the sum simplifies to a shortcut, "
                    "the output minus the target:"
                )
            )
        )
    else:
        blocks.append(lesson.paragraph(_("The same error terms, as tracer computes them:")))
    blocks.append(lesson.steps([Ref("delta", L, j, sample=s) for j in lesson.neurons(L)]))
    return blocks


def chain_rule(lesson: Lesson, l: int, j: int, k: int, s: int | None) -> list[Block]:
    """Return ∂C/∂w = ∂z/∂w · ∂a/∂z · ∂C/∂a (or ∂z/∂w · ∂C/∂z for a softmax), factor by factor."""
    ref = Ref("dC/dW", l, j, k, s)
    z, a = lesson.sym("z", l, j, s=s), lesson.sym("a", l, j, s=s)
    cost = lesson.sym("C", s=s)
    source = Ref("a", l - 1, k, sample=s)
    weight = lesson.sym("W", l, j, k)
    if lesson.g(l).is_softmax:
        factors = [(Partial(z, weight), source), (Partial(cost, z), Ref("delta", l, j, sample=s))]
    else:
        factors = [
            (Partial(z, weight), source),
            (Partial(a, z), Ref("da/dz", l, j, sample=s)),
            (Partial(cost, a), Ref("dC/da", l, j, sample=s)),
        ]
    names = [name for name, _ in factors]
    values = [shown_number(lesson.value(q)) for _, q in factors]
    rows = [(Partial(cost, weight), sp.Mul(*names, evaluate=False))]
    for name, quantity in factors:
        # ∂z/∂w is the activation a_k: name it; the other factors are their own names.
        named = (lesson.naming.symbol(quantity),) if quantity.kind == "a" else ()
        rows.append((name, *named, shown_number(lesson.value(quantity))))
    total = lesson.trace[ref].value
    product = (Partial(cost, weight), sp.Mul(*values, evaluate=False), shown_number(total))
    return [lesson.equations(*rows), Steps((product_step(lesson, ref, product),))]


def product_step(lesson: Lesson, ref: Ref, product: tuple) -> Step:
    """Return the chain's product as a step (boxed when a handout asks for the gradient)."""
    lhs, numbers, value = product
    canonical = str(lesson.trace.canonical(ref))
    return Step(
        id=canonical,
        rule=CHAIN,
        symbol=lesson.style.math(lhs),
        formula=None,
        substituted=lesson.style.math(numbers),
        value=lesson.style.number(lesson.trace[ref].value),
        equation=lesson.style.equation(lhs, numbers, value),
        wide=False,
        highlighted=canonical in lesson.highlighted,
        depends_on=lesson.depends_on(ref),
    )


def bridge(lesson: Lesson, ref: Ref, l: int) -> Paragraph:
    """Return the bridge from the chain-rule product to BP4: the last factors are δ."""
    s, j, k = ref.sample, ref.j, ref.k
    delta = lesson.sym("delta", l, j, s=s)
    z, a = lesson.sym("z", l, j, s=s), lesson.sym("a", l, j, s=s)
    cost = lesson.sym("C", s=s)
    source = lesson.sym("a", l - 1, k, s=s)
    weight = lesson.sym("W", l, j, k)
    tail = (
        Partial(cost, z)
        if lesson.g(l).is_softmax
        else sp.Mul(Partial(a, z), Partial(cost, a), evaluate=False)
    )
    rule = "BP1" if l == lesson.L else "BP2"
    numbers = sp.Mul(
        shown_number(lesson.value(Ref("a", l - 1, k, sample=s))),
        shown_number(lesson.value(Ref("delta", l, j, sample=s))),
        evaluate=False,
    )
    return lesson.paragraph(
        _(
            "The factors after the first are the error term: {tail} ({rule}). So the gradient is the "
            "activation the weight carries times the error term it feeds, {bp4} (BP4): {numbers}."
        ),
        tail=Equals(tail, Partial(cost, z), delta) if not lesson.g(l).is_softmax else Equals(tail, delta),
        rule=rule,
        bp4=sp.Eq(Partial(cost, weight), sp.Mul(source, delta, evaluate=False), evaluate=False),
        numbers=sp.Eq(numbers, shown_number(lesson.trace[ref].value), evaluate=False),
    )


def hidden_layer(lesson: Lesson, l: int, s: int | None) -> list[Block]:
    """Return the sum over paths, one weight factor by factor, the slopes and BP2."""
    blocks: list[Block] = [layer_title(lesson, l, s)]
    later = lesson.spec.layers[l + 1]
    paths = (
        _(
            "A hidden activation reaches the cost along one path, through the one neuron of the next "
            "layer, so its effect on the cost is that path's error term times the weight of its edge "
            "(the weight from before the update)."
        )
        if later == 1
        else _(
            "A hidden activation reaches the cost along {count} paths, one through each neuron of "
            "the next layer, so its effect on the cost is the sum over those paths: each path's "
            "error term times the weight of its edge (the weight from before the update)."
        ).format(count=later)
    )
    blocks.append(lesson.paragraph(paths))
    separable = l + 1 == lesson.L and not lesson.g(lesson.L).is_softmax
    first = Ref("dC/da", l, 1, sample=s)
    if separable and later > 1:
        a = lesson.sym("a", l, 1, s=s)
        parts = sp.Add(
            *(Partial(lesson.sym("C_term", j=i, s=s), a) for i in lesson.neurons(l + 1)), evaluate=False
        )
        if lesson.spec.layers[l] == 1:
            # The layer's only neuron: its own line follows, so the sum is said, not worked twice.
            blocks.append(
                lesson.paragraph(
                    _("One path per output's part of the cost: {parts}."),
                    parts=sp.Eq(symbol(first), parts, evaluate=False),
                )
            )
        else:
            q = lesson.trace[first]
            blocks.append(lesson.paragraph(_("For {a}, one path per output's part of the cost:"), a=a))
            blocks.append(
                lesson.chain(
                    symbol(first), parts, q.formula, q.substituted(lesson.trace.values), shown_number(q.value)
                )
            )
            blocks.append(lesson.paragraph(_("and so for every neuron of the layer:")))
    blocks.append(lesson.steps([Ref("dC/da", l, j, sample=s) for j in lesson.neurons(l)]))
    blocks.append(lesson.paragraph(_("The slope of the activation at each weighted input:")))
    blocks.append(lesson.steps([Ref("da/dz", l, j, sample=s) for j in lesson.neurons(l)]))
    blocks.append(lesson.paragraph(_("One weight of this layer factor by factor, as for the output layer:")))
    blocks += chain_rule(lesson, l, 1, 1, s)
    blocks.append(bridge(lesson, Ref("dC/dW", l, 1, 1, s), l))
    blocks.append(
        lesson.paragraph(
            _("The error term of each neuron (BP2): the sum over paths times the slope of the activation:")
        )
    )
    blocks.append(lesson.steps([Ref("delta", l, j, sample=s) for j in lesson.neurons(l)]))
    return blocks


def gradients(lesson: Lesson, l: int, s: int | None) -> list[Block]:
    """Return BP4 for every weight not shown as a chain, BP3, and the layer in matrix form."""
    blocks: list[Block] = []
    refs = [Ref("dC/dW", l, j, k, s) for j in lesson.neurons(l) for k in lesson.neurons(l - 1)]
    shown = set() if l < lesson.L else set(refs)
    rest = [r for r in refs if r not in shown and lesson.trace[r].rule != CHAIN]
    if rest:
        blocks.append(
            lesson.paragraph(
                _(
                    "The gradient of each weight (BP4), the activation the weight carries times the "
                    "error term it feeds:"
                )
            )
        )
        blocks.append(lesson.steps(rest))
    blocks.append(lesson.paragraph(_("The gradient of each bias (BP3) is its neuron's error term:")))
    blocks.append(lesson.steps([Ref("dC/db", l, j, sample=s) for j in lesson.neurons(l)]))
    blocks.append(lesson.paragraph(_("The same layer in matrix form, shapes first:")))
    blocks += matrix_steps(lesson, l, s)
    return blocks
