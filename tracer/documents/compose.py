"""Compose the worked example: turn a Trace into a :class:`tracer.documents.model.Document`.

Every maths string is printed here, in the style given (:mod:`tracer.documents.styles`); every number a
template shows is either a Trace value or computed here or in the modules called (matrix products
of the matrix form, the change of the cost, the difference quotients of the gradient check).
"""

from __future__ import annotations

import sympy as sp

from tracer.activations import activation
from tracer.derive import CHAIN, symbol
from tracer.display import Call, Increment, LimitToZero, PowerOfTen, matrix, shaped
from tracer.documents.diagram import diagram, role, text_drawing
from tracer.documents.gradient_check import checked_parameters, difference_quotients
from tracer.documents.matrix_form import forward_steps, matrix_steps
from tracer.documents.model import (
    After,
    BackwardLayer,
    ChainRule,
    CheckedParameter,
    CheckRow,
    Conventions,
    Document,
    Factor,
    Layer,
    LayerSteps,
    SampleBackward,
    SampleForward,
    Span,
    Step,
)
from tracer.documents.styles import MathStyle
from tracer.ids import Ref
from tracer.losses import loss
from tracer.notation import Partial, notation
from tracer.printing import shown_number
from tracer.trace import Trace


class Builder:
    """Return-free helper that prints the parts of a Document in one style."""

    def __init__(self, trace: Trace, style: MathStyle, highlighted: frozenset[str] = frozenset()) -> None:
        self.trace = trace
        self.style = style
        self.highlighted = highlighted
        self.naming = trace.naming
        self.spec = trace.spec
        self.batch = len(self.spec.samples) > 1

    def step(self, ref: Ref) -> Step:
        """Return the printed step of one quantity."""
        q = self.trace[ref]
        name = symbol(ref)
        value = shown_number(q.value)
        shown = self.style.number(q.value)
        formula = q.formula
        # A formula that is one other quantity (∂C/∂b = δ, a frozen b′ = b) has nothing to substitute.
        substituted = None if formula is None or formula.is_Symbol else q.substituted(self.trace.values)
        parts = [p for p in (name, formula, substituted, value) if p is not None]
        return Step(
            id=q.id,
            rule=q.rule,
            symbol=self.style.math(name),
            formula=None if formula is None else self.style.math(formula),
            substituted=None if substituted is None else self.style.math(substituted),
            value=shown,
            equation=self.style.equation(*parts),
            wide=formula is not None and sum(1 for e in sp.preorder_traversal(formula) if e.is_Symbol) > 3,
            highlighted=q.id in self.highlighted,
        )

    def steps(self, refs) -> tuple[Step, ...]:
        """Return the printed steps of several quantities, in order."""
        return tuple(self.step(r) for r in refs)

    def layer(self, l: int) -> Layer:
        """Return the facts of layer ``l`` (input = 0)."""
        spec, naming, values = self.spec, self.naming, self.trace.values
        size = spec.layers[l]
        columns = spec.layers[l - 1] if l else 0
        number = naming.notation.input_layer_number + l
        if l == 0:
            return Layer(0, number, "input", None, size, size, 0, None, None, None, None)
        W = naming.vector("W", l)
        b = naming.vector("b", l)
        names_w = sp.ImmutableMatrix(
            [[symbol(Ref("W", l, j, k)) for k in range(1, columns + 1)] for j in range(1, size + 1)]
        )
        names_b = sp.ImmutableMatrix([[symbol(Ref("b", l, j))] for j in range(1, size + 1)])
        numbers_w = [[values[Ref("W", l, j, k)] for k in range(1, columns + 1)] for j in range(1, size + 1)]
        numbers_b = [[values[Ref("b", l, j)]] for j in range(1, size + 1)]
        weights = self.style.equation(shaped(W, size, columns), names_w, matrix(numbers_w))
        biases = self.style.equation(shaped(b, size, 1), names_b, matrix(numbers_b))
        return Layer(
            l,
            number,
            role(l, spec.depth),
            spec.activations[l - 1],
            size,
            size,
            columns,
            self.style.label(W),
            self.style.label(b),
            weights,
            biases,
        )


def compose(trace: Trace, style: MathStyle, highlighted: frozenset[str] = frozenset()) -> Document:
    """Return the worked example of ``trace`` with every maths string printed in ``style``.

    ``compose(trace(load_spec("mazur")), LatexStyle(printer))`` gives a document whose forward pass
    starts with ``\\mathrm{net}_{h1} = w_{1} \\cdot i_{1} + w_{2} \\cdot i_{2} + b_{h1} = …``.
    The steps whose canonical ids are in ``highlighted`` (a handout's asked values) are marked
    ``Step.highlighted``. A trace with exact values (:mod:`tracer.exact`) prints fractions.
    """
    b = Builder(trace, style, highlighted)
    spec = trace.spec
    layers = tuple(b.layer(l) for l in range(spec.depth + 1))
    samples = tuple(_forward(b, layers, s) for s in _samples(b))
    backward = tuple(
        SampleBackward(s, tuple(_backward(b, layers, l, s) for l in range(spec.depth, 0, -1)))
        for s in _samples(b)
    )
    return Document(
        title=spec.title,
        description=spec.description,
        conventions=_conventions(trace, style),
        layers=layers,
        learning_rate=b.step(Ref("eta")),
        diagram=diagram(trace, style.label),
        drawing=text_drawing(trace, style.printer.text),
        samples=samples,
        batch_cost=b.step(Ref("C")) if b.batch else None,
        backward=backward,
        averages=b.steps(_averaged(b)),
        updates=tuple(_updates(b, layers, l) for l in range(1, spec.depth + 1)),
        after=_after(b),
        checks=tuple(_check(b, ref) for ref in checked_parameters(spec)),
    )


def _samples(b: Builder) -> list[int | None]:
    return list(range(1, len(b.spec.samples) + 1)) if b.batch else [None]


def _forward(b: Builder, layers: tuple[Layer, ...], s: int | None) -> SampleForward:
    spec = b.spec
    runs = []
    for l in range(1, spec.depth + 1):
        refs = []
        for j in range(1, spec.layers[l] + 1):
            refs += [Ref("z", l, j, sample=s), Ref("a", l, j, sample=s)]
        runs.append(LayerSteps(layers[l], b.steps(refs), forward_steps(b.trace, b.style, l, s)))
    outputs = range(1, spec.layers[-1] + 1)
    return SampleForward(
        number=s,
        inputs=b.steps(Ref("a", 0, k, sample=s) for k in range(1, spec.layers[0] + 1)),
        targets=b.steps(Ref("y", j=j, sample=s) for j in outputs),
        layers=tuple(runs),
        loss_terms=b.steps(Ref("C_term", j=j, sample=s) for j in outputs),
        loss=b.step(Ref("C", sample=s)),
    )


def _backward(b: Builder, layers: tuple[Layer, ...], l: int, s: int | None) -> BackwardLayer:
    spec, trace = b.spec, b.trace
    output = l == spec.depth
    neurons = range(1, spec.layers[l] + 1)
    sources = range(1, spec.layers[l - 1] + 1)
    slopes = [Ref("da/dz", l, j, sample=s) for j in neurons if Ref("da/dz", l, j, sample=s) in trace]
    gradients = [Ref("dC/dW", l, j, k, s) for j in neurons for k in sources]
    chained = [r for r in gradients if trace[r].rule == CHAIN]
    return BackwardLayer(
        layer=layers[l],
        output=output,
        loss_slopes=b.steps(Ref("dC/da", l, j, sample=s) for j in neurons) if output else (),
        slopes=b.steps(slopes),
        deltas=b.steps(Ref("delta", l, j, sample=s) for j in neurons),
        chains=tuple(_chain(b, r) for r in chained),
        weight_gradients=b.steps(r for r in gradients if r not in chained),
        bias_gradients=b.steps(Ref("dC/db", l, j, sample=s) for j in neurons),
        matrix=matrix_steps(trace, b.style, l, s),
    )


def _chain(b: Builder, ref: Ref) -> ChainRule:
    """Return ∂C/∂w = ∂z/∂w · ∂a/∂z · ∂C/∂a with each factor named, equated and valued."""
    l, j, k, s = ref.l, ref.j, ref.k, ref.sample
    naming, style = b.naming, b.style
    z, a = Ref("z", l, j, sample=s), Ref("a", l, j, sample=s)
    source = Ref("a", l - 1, k, sample=s)
    factors = [
        (Partial(naming.symbol(z), naming.symbol(Ref("W", l, j, k))), source),
        (Partial(naming.symbol(a), naming.symbol(z)), Ref("da/dz", l, j, sample=s)),
        (Partial(naming.symbol(Ref("C", sample=s)), naming.symbol(a)), Ref("dC/da", l, j, sample=s)),
    ]
    printed = []
    for name, quantity in factors:
        value = b.trace.values[quantity]
        parts = [name] if quantity.kind != "a" else [name, symbol(quantity)]
        printed.append(
            Factor(
                name=style.math(name),
                equals=style.math(symbol(quantity)) if len(parts) > 1 else None,
                value=style.number(value),
                equation=style.equation(*parts, shown_number(value)),
            )
        )
    names = [name for name, _ in factors]
    rule = style.equation(symbol(ref), sp.Mul(*names, evaluate=False))
    q = b.trace[ref]
    numbers = style.equation(symbol(ref), q.substituted(b.trace.values), shown_number(q.value))
    return ChainRule(rule, tuple(printed), b.step(ref), numbers)


def _averaged(b: Builder) -> list[Ref]:
    if not b.batch:
        return []
    spec = b.spec
    refs = []
    for l in range(1, spec.depth + 1):
        for j in range(1, spec.layers[l] + 1):
            refs += [Ref("dC/dW", l, j, k) for k in range(1, spec.layers[l - 1] + 1)]
            refs.append(Ref("dC/db", l, j))
    return refs


def _updates(b: Builder, layers: tuple[Layer, ...], l: int) -> LayerSteps:
    spec = b.spec
    neurons = range(1, spec.layers[l] + 1)
    refs = [Ref("W'", l, j, k) for j in neurons for k in range(1, spec.layers[l - 1] + 1)]
    refs += [Ref("b'", l, j) for j in neurons]
    return LayerSteps(layers[l], b.steps(refs))


def _after(b: Builder) -> After:
    before, after = b.trace["C"], b.trace["C'"]
    change = after.value - before.value
    difference = sp.Add(symbol(after.ref), sp.Mul(-1, symbol(before.ref), evaluate=False), evaluate=False)
    return After(
        before=b.step(before.ref),
        after=b.step(after.ref),
        change=b.style.equation(difference, shown_number(change)),
        went_down=change < 0,
    )


def _check(b: Builder, ref: Ref) -> CheckedParameter:
    """Return the difference quotients of one parameter beside its backprop gradient."""
    style = b.style
    cost = b.naming.symbol(Ref("C"))
    parameter = b.naming.symbol(ref)
    h = Increment(parameter)
    shifted = Call(cost, sp.Add(parameter, h, evaluate=False))
    numerator = sp.Add(shifted, sp.Mul(-1, Call(cost, parameter), evaluate=False), evaluate=False)
    quotient = sp.Mul(numerator, sp.Pow(h, -1, evaluate=False), evaluate=False)
    gradient = Ref("dC/dW", ref.l, ref.j, ref.k) if ref.kind == "W" else Ref("dC/db", ref.l, ref.j)
    exact = b.trace.values[gradient]
    rows = tuple(
        CheckRow(
            step=style.math(PowerOfTen(sp.Integer(q.exponent))),
            cost=style.number(q.cost),
            quotient=style.number(q.quotient),
            error=style.number(abs(q.quotient - float(exact))),
        )
        for q in difference_quotients(b.spec, ref)
    )
    return CheckedParameter(
        parameter=style.math(parameter),
        increment=style.math(h),
        shifted=style.math(shifted),
        quotient=style.math(quotient),
        definition=style.equation(symbol(gradient), LimitToZero(quotient, h), shown_number(exact)),
        backprop=style.number(exact),
        rows=rows,
    )


def _sentence(style: MathStyle, parts: tuple) -> tuple[Span, ...]:
    """Return prose and SymPy maths as Spans, the maths printed in ``style``, adjacent prose joined."""
    spans: list[Span] = []
    for part in parts:
        if not isinstance(part, str):
            text, baseline = style.inline(sp.sympify(part))
            spans.append(Span(text, True, baseline))
        elif spans and not spans[-1].math:
            spans[-1] = Span(spans[-1].text + part, math=False)
        else:
            spans.append(Span(part, math=False))
    return tuple(spans)


def _conventions(trace: Trace, style: MathStyle) -> Conventions:
    spec = trace.spec
    kinds = {g.name: g for g in (activation(name, "", spec.leaky_relu_slope) for name in spec.activations)}
    return Conventions(
        loss=_sentence(style, loss(spec.loss).summary()),
        activations=tuple(_sentence(style, g.convention()) for g in kinds.values() if g.remark),
        biases_frozen=not spec.update_biases,
        decimals=style.printer.decimals,
        notation=spec.notation,
        notation_source=notation(spec.notation).source,
        samples=len(spec.samples),
        exact=trace.exact,
    )
