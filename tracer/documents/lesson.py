"""The worked example as a lesson: a Trace becomes a :class:`tracer.documents.blocks.Document`.

Every section, its order and every sentence of the worked example are written here, once; each
output format renders the same blocks (``templates/<format>/_blocks.*``). The order follows a
lesson: the conventions, the network, the equations of backpropagation (the error term δ defined,
BP1–BP4 stated with their source, each activation's and the loss's derivative worked out), the
forward pass, the loss, the backward pass (the output layer factor by factor, the bridge to δ, the
hidden layers through the sum over paths and one weight factor by factor, then BP2 and the matrix
form), the update, the loss after it, and the derivative as a limit.
"""

from __future__ import annotations

import sympy as sp

from tracer.activations import Activation, activation
from tracer.derive import CHAIN, LOSS_TERM, symbol
from tracer.display import Call, Cases, Equals, Times, DerivativeOf, Increment, LimitToZero, PowerOfTen, Prime, matrix, shaped
from tracer.documents.blocks import Block, Bullets, Document, Figure, Paragraph, Section, Step, Steps
from tracer.documents.diagram import diagram, role, text_drawing
from tracer.documents.gradient_check import checked_parameters, difference_quotients
from tracer.documents.matrix_form import forward_steps, jacobian, matrix_steps, vector_equations
from tracer.documents.styles import MathStyle
from tracer.documents.writer import Writer
from tracer.i18n import N_, _, language
from tracer.ids import Ref
from tracer.losses import loss as find_loss
from tracer.notation import Partial
from tracer.printing import shown_number
from tracer.trace import Trace

# Where each notation's equations come from, named so a reader can find them.
SOURCES = {
    "ng": N_(
        "Andrew Ng's δ rule (Machine Learning, Stanford/Coursera, week 5), the same four equations as "
        "BP1–BP4 in Michael Nielsen, Neural Networks and Deep Learning, chapter 2"
    ),
}
DEFAULT_SOURCE = N_("Michael Nielsen, Neural Networks and Deep Learning, chapter 2, equations BP1–BP4")
ROLES = {"input": N_("input"), "hidden": N_("hidden"), "output": N_("output")}


class Lesson(Writer):
    """Return-free builder of one worked example's blocks, maths printed in one style."""

    def __init__(self, trace: Trace, style: MathStyle, highlighted: frozenset[str] = frozenset()) -> None:
        super().__init__(style)
        self.trace = trace
        self.highlighted = highlighted
        self.naming = trace.naming
        self.spec = trace.spec
        self.L = trace.spec.depth
        self.batch = len(self.spec.samples) > 1
        self.activations = [activation(n, "", self.spec.leaky_relu_slope) for n in self.spec.activations]
        self.loss = find_loss(self.spec.loss)
        self.sections_made = 0

    # Pieces ---------------------------------------------------------------------------------

    def sym(self, kind: str, l: int | None = None, j: int | None = None, k: int | None = None, s=None):
        """Return the notation's symbol of a quantity (e.g. out_h1 for ``a[1][1]`` in Mazur's)."""
        return self.naming.symbol(Ref(kind, l, j, k, s))

    def step(self, ref: Ref) -> Step:
        """Return the printed step of one quantity: symbol = formula = numbers = value."""
        q = self.trace[ref]
        name = symbol(ref)
        formula = q.formula
        # A formula that is one other quantity (∂C/∂b = δ, a frozen b′ = b) has nothing to substitute;
        # nor has a cross-entropy term whose target is 0: it is 0 (0·ln a), as the conventions say.
        zero_target = q.rule == LOSS_TERM and self.loss.uses_log and self.value(Ref("y", j=ref.j, sample=ref.sample)) == 0
        plain = formula is None or formula.is_Symbol or (zero_target and self.spec.loss == "cross_entropy")
        substituted = None if plain else q.substituted(self.trace.values)
        parts = [p for p in (name, formula, substituted, shown_number(q.value)) if p is not None]
        return Step(
            id=q.id,
            rule=q.rule,
            symbol=self.style.math(name),
            formula=None if formula is None else self.style.math(formula),
            substituted=None if substituted is None else self.style.math(substituted),
            value=self.style.number(q.value),
            equation=self.style.equation(*parts),
            wide=formula is not None and sum(1 for e in sp.preorder_traversal(formula) if e.is_Symbol) > 3,
            highlighted=q.id in self.highlighted,
            depends_on=tuple(str(d) for d in q.depends_on),
        )

    def steps(self, refs) -> Steps:
        """Return a block of the printed steps of several quantities, in order."""
        return Steps(tuple(self.step(r) for r in refs))

    def value(self, ref: Ref) -> float | sp.Rational:
        """Return a traced value."""
        return self.trace.values[ref]

    def numbered(self, text: str) -> Block:
        """Return the next numbered section heading."""
        self.sections_made += 1
        return self.heading(text, 1, self.sections_made)

    def samples(self) -> list[int | None]:
        """Return the sample numbers (None alone for a single sample)."""
        return list(range(1, len(self.spec.samples) + 1)) if self.batch else [None]

    def sample_heading(self, s: int | None, level: int = 2) -> list[Block]:
        """Return a sample's heading when there are several samples."""
        return [] if s is None else [self.heading(_("Sample {number}").format(number=s), level)]

    def neurons(self, l: int) -> range:
        """Return the neuron numbers 1..n of layer ``l``."""
        return range(1, self.spec.layers[l] + 1)

    def g(self, l: int) -> Activation:
        """Return layer ``l``'s activation (l ≥ 1)."""
        return self.activations[l - 1]

    def variable(self) -> sp.Symbol:
        """Return the notation's letter for a weighted input, without indices (z, or net for Mazur)."""
        template = self.naming.notation.symbols["z"]
        return sp.Symbol(template.split("_")[0].split("^")[0])

    # The document ---------------------------------------------------------------------------

    def document(self) -> Document:
        """Return the whole worked example."""
        sections = [
            Section("introduction", (self.paragraph(_(
                "One training step of this network, worked out with every number: the forward pass, the "
                "loss, the backward pass by the chain rule, the update, the loss after the update, and a "
                "check of the gradients against the derivative as a limit."
            )),)),
            Section("conventions", tuple(self.conventions())),
            Section("network", tuple(self.network())),
            Section("equations", tuple(self.equations_section())),
            Section("forward", tuple(self.forward())),
            Section("loss", tuple(self.cost())),
            Section("backward", tuple(self.backward())),
            Section("update", tuple(self.update())),
            Section("after", tuple(self.after())),
            Section("check", tuple(self.check())),
        ]
        return Document(self.spec.title, self.spec.description, tuple(sections), language())

    # Conventions ----------------------------------------------------------------------------

    def conventions(self) -> list[Block]:
        """Return what a reader must know to redo the numbers by hand."""
        items = [self.say(_("Notation: {source}."), source=self.naming.notation.source)]
        items.append(self.loss_sentence())
        for name in dict.fromkeys(self.spec.activations):
            sentence = self.activation_sentence(activation(name, "", self.spec.leaky_relu_slope))
            if sentence:
                items.append(sentence)
        if not self.spec.update_biases:
            items.append(self.say(_("Biases are frozen: they keep their given values and only the weights are updated.")))
        if self.batch:
            items.append(self.say(_(
                "The {count} samples form one batch: the cost and every gradient are the averages over the samples."
            ).format(count=len(self.spec.samples))))
        if self.trace.exact:
            items.append(self.say(_(
                "Every number is exact: fractions, computed in exact rational arithmetic, so a step redone by "
                "hand gives the same fraction. Only the gradient check's difference quotients are decimals, "
                "rounded to {decimals} decimals."
            ).format(decimals=self.style.printer.decimals)))
        else:
            items.append(self.say(_(
                "Numbers are shown rounded to {decimals} decimals. Every step is computed from the unrounded "
                "values, so a step redone by hand from the rounded numbers can differ in the last digit."
            ).format(decimals=self.style.printer.decimals)))
        return [self.heading(_("Conventions")), Bullets(tuple(items))]

    def output_symbols(self) -> tuple[sp.Expr, sp.Expr, sp.Expr, sp.Expr]:
        """Return the first output's target, activation, cost term and the cost, in the notation."""
        return (self.sym("y", j=1), self.sym("a", self.L, 1), self.sym("C_term", j=1), self.sym("C"))

    def loss_sentence(self):
        """Return the loss in words and maths, in the notation's own symbols."""
        y, a, part, cost = self.output_symbols()
        m = self.spec.layers[-1]
        term = self.loss.term(y, a, m)
        names = {
            "quadratic": N_("Loss: the quadratic cost, one half of the squared error of each output, added up: {term}, and {cost} is the sum of these parts over the outputs."),
            "sse": N_("Loss: the squared error of each output, added up: {term}, and {cost} is the sum of these parts over the outputs."),
            "mse": N_("Loss: the mean squared error over the {m} outputs: {term}, and {cost} is the sum of these parts over the outputs."),
            "cross_entropy": N_("Loss: cross-entropy, {term} (ln is the natural logarithm; a target of 0 contributes 0), and {cost} is the sum of these parts over the outputs."),
            "binary_cross_entropy": N_("Loss: binary cross-entropy, {term} (ln is the natural logarithm), and {cost} is the sum of these parts over the outputs."),
        }
        return self.say(_(names[self.loss.name]), term=sp.Eq(part, term, evaluate=False), cost=cost, m=str(m))

    def activation_sentence(self, g: Activation):
        """Return how an activation is computed, or () when there is nothing to say (identity)."""
        z = self.variable()
        if g.name == "sigmoid":
            return self.say(_("The sigmoid: {definition}."), definition=sp.Eq(g.written(z), g.meaning(z), evaluate=False))
        if g.name == "tanh":
            return self.say(_("The hyperbolic tangent: {definition}."), definition=sp.Eq(g.written(z), sp.Mul(sp.exp(z) - sp.exp(-z), sp.Pow(sp.exp(z) + sp.exp(-z), -1), evaluate=False), evaluate=False))
        if g.name == "relu":
            return self.say(_("ReLU: {definition}."), definition=sp.Eq(g.written(z), sp.Max(0, z), evaluate=False))
        if g.name == "leaky_relu":
            return self.say(
                _("Leaky ReLU: {definition}."),
                definition=sp.Eq(g.written(z), Cases(z, sp.StrictGreaterThan(z, 0), sp.Mul(shown_number(self.spec.leaky_relu_slope), z, evaluate=False), sp.LessThan(z, 0)), evaluate=False),
            )
        if g.name == "softmax":
            i, j = sp.Symbol("i"), sp.Symbol("j")
            aj, zi, zj = sp.Symbol(f"a_{j}"), sp.Symbol(f"{z}_{i}"), sp.Symbol(f"{z}_{j}")
            share = sp.Mul(sp.exp(zj), sp.Pow(sp.Sum(sp.exp(zi), (i, 1, sp.Symbol("n"))), -1), evaluate=False)
            return self.say(
                _("Softmax: {definition}, computed with the largest weighted input subtracted from each first, so that no exponential overflows (the result is the same)."),
                definition=sp.Eq(aj, share, evaluate=False),
            )
        return ()

    # The network ----------------------------------------------------------------------------

    def network(self) -> list[Block]:
        """Return the diagram, the layers, the parameters as matrices, the samples and η."""
        spec, naming, values = self.spec, self.naming, self.trace.values
        blocks: list[Block] = [
            self.numbered(_("The network")),
            Figure(
                diagram(self.trace, self.style.label),
                tuple(text_drawing(self.trace, self.style.printer.text)),
                _("The network: each weight on its edge, each bias under its neuron"),
            ),
        ]
        rows = []
        for l in range(self.L + 1):
            number = str(naming.notation.input_layer_number + l)
            size = str(spec.layers[l])
            if l == 0:
                rows.append((self.say(number), self.say(_(ROLES["input"])), self.say(size), (), (), ()))
                continue
            n, m = spec.layers[l], spec.layers[l - 1]
            rows.append((
                self.say(number),
                self.say(_(ROLES[role(l, spec.depth)])),
                self.say(size),
                self.say(spec.activations[l - 1]),
                self.say(_("{name} is {shape}"), name=naming.vector("W", l), shape=f"{n}×{m}"),
                self.say(_("{name} is {shape}"), name=naming.vector("b", l), shape=f"{n}×1"),
            ))
        head = [_("Layer"), _("Role"), _("Neurons"), _("Activation"), _("Weights"), _("Biases")]
        blocks.append(self.table([self.say(h) for h in head], rows, (True, False, True, False, False, False)))
        blocks.append(self.paragraph(_(
            "The initial parameters, each matrix with its shape under its name: the weight in row {j} and "
            "column {k} carries neuron {k} of the layer before into neuron {j}."
        ), j=sp.Symbol("j"), k=sp.Symbol("k")))
        for l in range(1, self.L + 1):
            n, m = spec.layers[l], spec.layers[l - 1]
            W, b = naming.vector("W", l), naming.vector("b", l)
            names_w = sp.ImmutableMatrix([[symbol(Ref("W", l, j, k)) for k in range(1, m + 1)] for j in range(1, n + 1)])
            names_b = sp.ImmutableMatrix([[symbol(Ref("b", l, j))] for j in range(1, n + 1)])
            numbers_w = [[values[Ref("W", l, j, k)] for k in range(1, m + 1)] for j in range(1, n + 1)]
            numbers_b = [[values[Ref("b", l, j)]] for j in range(1, n + 1)]
            blocks.append(self.equations(
                (shaped(W, n, m), names_w, matrix(numbers_w)),
                (shaped(b, n, 1), names_b, matrix(numbers_b)),
            ))
        rows = []
        for number, s in enumerate(self.samples(), start=1):
            inputs = [sp.Eq(self.sym("a", 0, k, s=s), shown_number(values[Ref("a", 0, k, sample=s)]), evaluate=False) for k in self.neurons(0)]
            targets = [sp.Eq(self.sym("y", j=j, s=s), shown_number(values[Ref("y", j=j, sample=s)]), evaluate=False) for j in self.neurons(self.L)]
            rows.append((self.say(str(number)), self.listed(inputs), self.listed(targets)))
        blocks.append(self.table([self.say(_("Sample")), self.say(_("Input")), self.say(_("Target"))], rows, (True, False, False)))
        blocks.append(self.paragraph(_("Learning rate: {eta}."), eta=sp.Eq(self.sym("eta"), shown_number(values[Ref("eta")]), evaluate=False)))
        return blocks

    def listed(self, exprs: list[sp.Expr]):
        """Return maths items separated by commas, as one sentence."""
        spans = []
        for i, expr in enumerate(exprs):
            spans += list(self.say("{x}" + (", " if i < len(exprs) - 1 else ""), x=expr))
        return tuple(spans)

    # The equations --------------------------------------------------------------------------

    def equations_section(self) -> list[Block]:
        """Return δ defined, BP1–BP4 stated with their source, and the derivatives they use."""
        L, naming = self.L, self.naming
        z_out, a_out = self.sym("z", L, 1), self.sym("a", L, 1)
        delta_out = self.sym("delta", L, 1)
        cost = self.sym("C")
        source = _(SOURCES.get(naming.notation.name, DEFAULT_SOURCE))
        blocks: list[Block] = [
            self.numbered(_("The equations of backpropagation")),
            self.paragraph(
                _("The error term of a neuron, {delta}, is how much the cost changes when the neuron's weighted input changes: {definition}. Backpropagation finds every error term from the output back to the input, and every gradient from the error terms."),
                delta=delta_out,
                definition=sp.Eq(delta_out, Partial(cost, z_out), evaluate=False),
            ),
            self.paragraph(_("Four equations do all the work ({source}). For this network, layer by layer, with ⊙ the element-wise product:").format(source=source)),
        ]
        blocks += vector_equations(self)
        blocks.append(self.paragraph(_(
            "BP1 and BP2 give the error terms; BP3 and BP4 turn them into gradients. Both need the slope of "
            "each activation and the slope of the loss, worked out next."
        )))
        seen = set()
        for l in range(1, L + 1):
            g = self.g(l)
            if g.name not in seen:
                seen.add(g.name)
                blocks += self.activation_derivative(g, l)
        blocks += self.loss_derivative()
        return blocks

    def activation_derivative(self, g: Activation, l: int) -> list[Block]:
        """Return the derivation of an activation's slope, its convention at a kink said."""
        z = self.variable()
        e = sp.exp(-z, evaluate=False)
        one_plus = sp.Add(1, e, evaluate=False)
        if g.name == "sigmoid":
            sigma = g.written(z)
            return [
                self.paragraph(_("The sigmoid's slope, by the chain rule on {inverse}:"), inverse=sp.Pow(one_plus, -1, evaluate=False)),
                self.equations(
                    (Prime(sigma), DerivativeOf(sp.Pow(one_plus, -1, evaluate=False), z), sp.Mul(e, sp.Pow(sp.Pow(one_plus, 2, evaluate=False), -1, evaluate=False), evaluate=False)),
                    (None, Times(sp.Pow(one_plus, -1, evaluate=False), sp.Mul(e, sp.Pow(one_plus, -1, evaluate=False), evaluate=False)), g.slope(z)),
                ),
                self.paragraph(
                    _("since {fraction}. So the slope needs no new exponential: it is the activation {a} times one minus it."),
                    fraction=sp.Eq(sp.Mul(e, sp.Pow(one_plus, -1, evaluate=False), evaluate=False), sp.Add(1, sp.Mul(-1, sigma, evaluate=False), evaluate=False), evaluate=False),
                    a=self.sym("a", l, 1),
                ),
            ]
        if g.name == "tanh":
            ez, emz = sp.exp(z, evaluate=False), sp.exp(-z, evaluate=False)
            plus, minus = sp.Add(ez, emz, evaluate=False), sp.Add(ez, sp.Mul(-1, emz, evaluate=False), evaluate=False)
            square = lambda x: sp.Pow(x, 2, evaluate=False)  # noqa: E731
            return [
                self.paragraph(_("The hyperbolic tangent's slope, by the quotient rule:")),
                self.equations(
                    (Prime(g.written(z)), sp.Mul(sp.Add(square(plus), sp.Mul(-1, square(minus), evaluate=False), evaluate=False), sp.Pow(square(plus), -1, evaluate=False), evaluate=False), g.slope(z)),
                ),
            ]
        if g.name in ("relu", "leaky_relu"):
            below = sp.Integer(0) if g.name == "relu" else shown_number(self.spec.leaky_relu_slope)
            return [
                self.paragraph(_("The slope of {g} is 1 where the weighted input is positive and {below} where it is negative. At exactly 0 the function has a corner and no derivative; tracer takes {at_zero} there, as PyTorch does."), g=g.written(z), below=below, at_zero=below),
                self.equations((Prime(g.written(z)), Cases(sp.Integer(1), sp.StrictGreaterThan(z, 0), below, sp.LessThan(z, 0)))),
            ]
        if g.name == "identity":
            return [self.paragraph(_("The identity {definition} has slope 1 everywhere."), definition=sp.Eq(sp.Function("g")(z), z, evaluate=False))]
        return self.softmax_jacobian_rule()

    def softmax_jacobian_rule(self) -> list[Block]:
        """Return the softmax Jacobian ∂a_i/∂z_j, derived by the quotient rule."""
        i, j = sp.Symbol("i"), sp.Symbol("j")
        z = self.variable()
        ai, aj = sp.Symbol("a_i"), sp.Symbol("a_j")
        zj = sp.Symbol(f"{z}_j")
        return [
            self.paragraph(_(
                "A softmax output depends on every weighted input of its layer, so its slope is a matrix, the "
                "Jacobian. By the quotient rule on {share}:"
            ), share=sp.Eq(ai, sp.Mul(sp.exp(sp.Symbol(f"{z}_i")), sp.Pow(sp.Symbol("S"), -1), evaluate=False), evaluate=False)),
            self.equations((Partial(ai, zj), Cases(sp.Mul(aj, sp.Add(1, -aj, evaluate=False), evaluate=False), sp.Eq(i, j), sp.Mul(-1, ai, aj, evaluate=False), sp.Ne(i, j)))),
            self.paragraph(_("where {S} is the sum of the exponentials of the layer."), S=sp.Symbol("S")),
        ]

    def loss_derivative(self) -> list[Block]:
        """Return ∂C/∂a for the first output, and why the other outputs' terms drop out."""
        y, a, part, cost = self.output_symbols()
        m = self.spec.layers[-1]
        term = self.loss.term(y, a, m)
        blocks: list[Block] = [
            self.paragraph(_("The loss's slope with respect to an output, here {a}:"), a=a),
            self.equations((Partial(cost, a), DerivativeOf(term, a), self.loss.slope(y, a, m))),
        ]
        if m > 1:
            blocks.append(self.paragraph(_(
                "Only {part} contains {a}: the other outputs' parts of the cost do not change with it, so their "
                "derivatives are 0 and drop out of the sum."
            ), part=part, a=a))
        return blocks

    # The forward pass -----------------------------------------------------------------------

    def forward(self) -> list[Block]:
        """Return the forward pass, neuron by neuron and then in matrix form, per sample."""
        blocks: list[Block] = [
            self.numbered(_("Forward pass")),
            self.paragraph(_(
                "Layer by layer, neuron by neuron: each neuron adds up its inputs, each times the weight of its "
                "edge, and its bias (the weighted input), then applies its activation."
            )),
        ]
        for s in self.samples():
            blocks += self.sample_heading(s)
            for l in range(1, self.L + 1):
                level = 3 if s else 2
                title = _("Layer {number} ({role}, {activation})").format(
                    number=self.naming.notation.input_layer_number + l,
                    role=_(ROLES[role(l, self.L)]),
                    activation=self.spec.activations[l - 1],
                )
                refs = []
                for j in self.neurons(l):
                    refs += [Ref("z", l, j, sample=s), Ref("a", l, j, sample=s)]
                blocks += [self.heading(title, level), self.steps(refs)]
                blocks.append(self.paragraph(_("The same layer in matrix form, shapes first:")))
                blocks += forward_steps(self, l, s)
        return blocks

    # The loss -------------------------------------------------------------------------------

    def cost(self) -> list[Block]:
        """Return each output's part of the cost, their sum, and the batch average."""
        blocks: list[Block] = [self.numbered(_("The loss"))]
        for s in self.samples():
            blocks += self.sample_heading(s)
            blocks.append(self.paragraph(_("Each output's part of the cost, then their sum:")))
            blocks.append(self.steps([Ref("C_term", j=j, sample=s) for j in self.neurons(self.L)]))
            blocks.append(self.steps([Ref("C", sample=s)]))
        if self.batch:
            blocks.append(self.heading(_("The batch"), 2))
            blocks.append(self.paragraph(_("The cost of the batch is the average over the samples:")))
            blocks.append(self.steps([Ref("C")]))
        return blocks

    # The backward pass ----------------------------------------------------------------------

    def backward(self) -> list[Block]:
        """Return the backward pass of every sample, output layer first, then the batch average."""
        blocks: list[Block] = [
            self.numbered(_("Backward pass")),
            self.paragraph(_(
                "From the output back to the input, each layer's error term is found from the one after it, and "
                "each gradient from the error term. Every weight in this section is the weight from before the "
                "update: all the gradients are computed first, with the old weights, and only then are the "
                "parameters updated (section {number})."
            ).format(number=self.sections_made + 1), tone="note"),
        ]
        for s in self.samples():
            blocks += self.sample_heading(s)
            for l in range(self.L, 0, -1):
                blocks += self.output_layer(s) if l == self.L else self.hidden_layer(l, s)
                blocks += self.gradients(l, s)
        if self.batch:
            blocks.append(self.heading(_("The batch"), 2))
            blocks.append(self.paragraph(_("Each gradient of the batch is the average of the samples' gradients:")))
            refs = []
            for l in range(1, self.L + 1):
                for j in self.neurons(l):
                    refs += [Ref("dC/dW", l, j, k) for k in self.neurons(l - 1)]
                    refs.append(Ref("dC/db", l, j))
            blocks.append(self.steps(refs))
        return blocks

    def layer_title(self, l: int, s: int | None) -> Block:
        """Return the heading of a layer of the backward pass."""
        number = self.naming.notation.input_layer_number + l
        text = _("Output layer {number} ({activation})") if l == self.L else _("Hidden layer {number} ({activation})")
        return self.heading(text.format(number=number, activation=self.spec.activations[l - 1]), 3 if s else 2)

    def output_layer(self, s: int | None) -> list[Block]:
        """Return ∂C/∂a, the slopes, BP1 (the softmax Jacobian with numbers), and the chain rule."""
        L = self.L
        g = self.g(L)
        blocks: list[Block] = [self.layer_title(L, s)]
        blocks.append(self.paragraph(_("How the cost changes with each output:")))
        blocks.append(self.steps([Ref("dC/da", L, j, sample=s) for j in self.neurons(L)]))
        if g.is_softmax:
            blocks += self.softmax_deltas(s)
        else:
            blocks.append(self.paragraph(_("The slope of the activation at each weighted input:")))
            blocks.append(self.steps([Ref("da/dz", L, j, sample=s) for j in self.neurons(L)]))
            blocks.append(self.paragraph(_("The error term of each output neuron (BP1), the two slopes multiplied:")))
            blocks.append(self.steps([Ref("delta", L, j, sample=s) for j in self.neurons(L)]))
            if g.name == "sigmoid" and self.spec.loss == "binary_cross_entropy":
                y, a = self.sym("y", j=1, s=s), self.sym("a", L, 1, s=s)
                blocks.append(self.paragraph(
                    _("With a sigmoid output and binary cross-entropy the product simplifies: {product}, so {shortcut}, here {numbers}."),
                    product=sp.Eq(sp.Mul(self.loss.slope(y, a, 1), sp.Mul(a, sp.Add(1, -a, evaluate=False), evaluate=False), evaluate=False), sp.Add(a, -y, evaluate=False), evaluate=False),
                    shortcut=sp.Eq(self.sym("delta", L, 1, s=s), sp.Add(a, -y, evaluate=False), evaluate=False),
                    numbers=sp.Eq(sp.Add(shown_number(self.value(Ref("a", L, 1, sample=s))), sp.Mul(-1, shown_number(self.value(Ref("y", j=1, sample=s))), evaluate=False), evaluate=False), shown_number(self.value(Ref("delta", L, 1, sample=s))), evaluate=False),
                ))
        blocks.append(self.paragraph(_(
            "The chain rule, weight by weight: how the weighted input moves with the weight (that is the "
            "activation the weight carries), how the activation moves with the weighted input, and how the "
            "cost moves with the activation. Their product is the gradient."
        ) if not g.is_softmax else _(
            "The chain rule, weight by weight: how the weighted input moves with the weight (that is the "
            "activation the weight carries), and how the cost moves with the weighted input (the error term "
            "above). Their product is the gradient."
        )))
        for j in self.neurons(L):
            for k in self.neurons(L - 1):
                blocks += self.chain_rule(L, j, k, s)
        first = Ref("dC/dW", L, 1, 1, s)
        blocks.append(self.bridge(first, L))
        return blocks

    def softmax_deltas(self, s: int | None) -> list[Block]:
        """Return δ_j = Σ_i ∂C/∂a_i · ∂a_i/∂z_j with the Jacobian's numbers, then the shortcut."""
        L = self.L
        n = self.spec.layers[L]
        slopes = jacobian(self, s)
        names = sp.ImmutableMatrix([[Partial(self.sym("a", L, i + 1, s=s), self.sym("z", L, j + 1, s=s)) for j in range(n)] for i in range(n)])
        blocks: list[Block] = [
            self.paragraph(_("The Jacobian of the softmax, row {i} for output {i} and column {j} for weighted input {j}, from the outputs:"), i=sp.Symbol("i"), j=sp.Symbol("j")),
            self.equations((names, slopes)),
            self.paragraph(_("The error term of each output neuron (BP1) adds up the paths through every output: {rule}."),
                           rule=sp.Eq(sp.Symbol("delta_j"), sp.Sum(sp.Mul(Partial(sp.Symbol("C"), sp.Symbol("a_i")), Partial(sp.Symbol("a_i"), sp.Symbol("z_j")), evaluate=False), (sp.Symbol("i"), 1, n)), evaluate=False)),
        ]
        rows = []
        for j in range(n):
            terms = [sp.Mul(shown_number(self.value(Ref("dC/da", L, i + 1, sample=s))), slopes[i, j], evaluate=False) for i in range(n)]
            rows.append((self.sym("delta", L, j + 1, s=s), sp.Add(*terms, evaluate=False), shown_number(self.value(Ref("delta", L, j + 1, sample=s)))))
        blocks.append(self.equations(*rows))
        if self.spec.loss == "cross_entropy":
            blocks.append(self.paragraph(_(
                "With cross-entropy, and targets that add up to 1, the sum simplifies to a shortcut, the output minus the target:"
            )))
        else:
            blocks.append(self.paragraph(_("The same error terms, as tracer computes them:")))
        blocks.append(self.steps([Ref("delta", L, j, sample=s) for j in self.neurons(L)]))
        return blocks

    def chain_rule(self, l: int, j: int, k: int, s: int | None) -> list[Block]:
        """Return ∂C/∂w = ∂z/∂w · ∂a/∂z · ∂C/∂a (or ∂z/∂w · ∂C/∂z for a softmax), factor by factor."""
        ref = Ref("dC/dW", l, j, k, s)
        z, a = self.sym("z", l, j, s=s), self.sym("a", l, j, s=s)
        cost = self.sym("C", s=s)
        source = Ref("a", l - 1, k, sample=s)
        weight = self.sym("W", l, j, k)
        if self.g(l).is_softmax:
            factors = [(Partial(z, weight), source), (Partial(cost, z), Ref("delta", l, j, sample=s))]
        else:
            factors = [
                (Partial(z, weight), source),
                (Partial(a, z), Ref("da/dz", l, j, sample=s)),
                (Partial(cost, a), Ref("dC/da", l, j, sample=s)),
            ]
        names = [name for name, _ in factors]
        values = [shown_number(self.value(q)) for _, q in factors]
        rows = [(Partial(cost, weight), sp.Mul(*names, evaluate=False))]
        for name, quantity in factors:
            # ∂z/∂w is the activation a_k: name it; the other factors are their own names.
            named = (self.naming.symbol(quantity),) if quantity.kind == "a" else ()
            rows.append((name, *named, shown_number(self.value(quantity))))
        total = self.trace[ref].value
        product = (Partial(cost, weight), sp.Mul(*values, evaluate=False), shown_number(total))
        return [self.equations(*rows), Steps((self.product_step(ref, product),))]

    def product_step(self, ref: Ref, product: tuple) -> Step:
        """Return the chain's product as a step (boxed when a handout asks for the gradient)."""
        lhs, numbers, value = product
        return Step(
            id=str(ref),
            rule=CHAIN,
            symbol=self.style.math(lhs),
            formula=None,
            substituted=self.style.math(numbers),
            value=self.style.number(self.trace[ref].value),
            equation=self.style.equation(lhs, numbers, value),
            wide=False,
            highlighted=str(ref) in self.highlighted,
            depends_on=tuple(str(d) for d in self.trace[ref].depends_on),
        )

    def bridge(self, ref: Ref, l: int) -> Paragraph:
        """Return the bridge from the chain-rule product to BP4: the last factors are δ."""
        s, j, k = ref.sample, ref.j, ref.k
        delta = self.sym("delta", l, j, s=s)
        z, a = self.sym("z", l, j, s=s), self.sym("a", l, j, s=s)
        cost = self.sym("C", s=s)
        source = self.sym("a", l - 1, k, s=s)
        weight = self.sym("W", l, j, k)
        tail = Partial(cost, z) if self.g(l).is_softmax else sp.Mul(Partial(a, z), Partial(cost, a), evaluate=False)
        rule = "BP1" if l == self.L else "BP2"
        numbers = sp.Mul(shown_number(self.value(Ref("a", l - 1, k, sample=s))), shown_number(self.value(Ref("delta", l, j, sample=s))), evaluate=False)
        return self.paragraph(
            _("The factors after the first are the error term: {tail} ({rule}). So the gradient is the activation the weight carries times the error term it feeds, {bp4} (BP4): {numbers}."),
            tail=Equals(tail, Partial(cost, z), delta) if not self.g(l).is_softmax else Equals(tail, delta),
            rule=rule,
            bp4=sp.Eq(Partial(cost, weight), sp.Mul(source, delta, evaluate=False), evaluate=False),
            numbers=sp.Eq(numbers, shown_number(self.trace[ref].value), evaluate=False),
        )

    def hidden_layer(self, l: int, s: int | None) -> list[Block]:
        """Return the sum over paths, one weight factor by factor, the slopes and BP2."""
        blocks: list[Block] = [self.layer_title(l, s)]
        later = self.spec.layers[l + 1]
        blocks.append(self.paragraph(_(
            "A hidden activation reaches the cost along {count} paths, one through each neuron of the next "
            "layer, so its effect on the cost is the sum over those paths: each path's error term times the "
            "weight of its edge (the weight from before the update)."
        ).format(count=later)))
        separable = l + 1 == self.L and not self.g(self.L).is_softmax
        first = Ref("dC/da", l, 1, sample=s)
        if separable and later > 1:
            a = self.sym("a", l, 1, s=s)
            parts = sp.Add(*(Partial(self.sym("C_term", j=i, s=s), a) for i in self.neurons(l + 1)), evaluate=False)
            q = self.trace[first]
            blocks.append(self.paragraph(
                _("For {a}, one path per output's part of the cost:"), a=a
            ))
            blocks.append(self.chain(symbol(first), parts, q.formula, q.substituted(self.trace.values), shown_number(q.value)))
            blocks.append(self.paragraph(_("and so for every neuron of the layer:")))
        blocks.append(self.steps([Ref("dC/da", l, j, sample=s) for j in self.neurons(l)]))
        blocks.append(self.paragraph(_("The slope of the activation at each weighted input:")))
        blocks.append(self.steps([Ref("da/dz", l, j, sample=s) for j in self.neurons(l)]))
        blocks.append(self.paragraph(_("One weight of this layer factor by factor, as for the output layer:")))
        blocks += self.chain_rule(l, 1, 1, s)
        blocks.append(self.bridge(Ref("dC/dW", l, 1, 1, s), l))
        blocks.append(self.paragraph(_(
            "The error term of each neuron (BP2): the sum over paths times the slope of the activation:"
        )))
        blocks.append(self.steps([Ref("delta", l, j, sample=s) for j in self.neurons(l)]))
        return blocks

    def gradients(self, l: int, s: int | None) -> list[Block]:
        """Return BP4 for every weight not shown as a chain, BP3, and the layer in matrix form."""
        blocks: list[Block] = []
        refs = [Ref("dC/dW", l, j, k, s) for j in self.neurons(l) for k in self.neurons(l - 1)]
        shown = set() if l < self.L else set(refs)
        rest = [r for r in refs if r not in shown and self.trace[r].rule != CHAIN]
        if rest:
            blocks.append(self.paragraph(_("The gradient of each weight (BP4), the activation the weight carries times the error term it feeds:")))
            blocks.append(self.steps(rest))
        blocks.append(self.paragraph(_("The gradient of each bias (BP3) is its neuron's error term:")))
        blocks.append(self.steps([Ref("dC/db", l, j, sample=s) for j in self.neurons(l)]))
        blocks.append(self.paragraph(_("The same layer in matrix form, shapes first:")))
        blocks += matrix_steps(self, l, s)
        return blocks

    # The update and after -------------------------------------------------------------------

    def update(self) -> list[Block]:
        """Return every parameter's step against its gradient."""
        blocks: list[Block] = [
            self.numbered(_("The update")),
            self.paragraph(_("Each parameter takes a step against its gradient, the learning rate times the gradient:")),
        ]
        for l in range(1, self.L + 1):
            refs = [Ref("W'", l, j, k) for j in self.neurons(l) for k in self.neurons(l - 1)]
            refs += [Ref("b'", l, j) for j in self.neurons(l)]
            number = self.naming.notation.input_layer_number + l
            blocks += [self.heading(_("Layer {number}").format(number=number), 2), self.steps(refs)]
        if not self.spec.update_biases:
            blocks.append(self.paragraph(_("The biases are frozen in this example: they keep their values.")))
        return blocks

    def after(self) -> list[Block]:
        """Return the cost before and after the update, and what the change says."""
        before, after = self.trace["C"], self.trace["C'"]
        change = after.value - before.value
        difference = sp.Add(symbol(after.ref), sp.Mul(-1, symbol(before.ref), evaluate=False), evaluate=False)
        blocks: list[Block] = [
            self.numbered(_("The loss after the update")),
            self.paragraph(_(
                "The cost before the update, and the cost of the same samples through the network with the "
                "updated parameters (the forward pass again, not shown):"
            )),
            self.steps([before.ref, after.ref]),
            self.chain(difference, shown_number(change)),
        ]
        if change < 0:
            blocks.append(self.paragraph(_("The loss went down: this step of gradient descent moved downhill."), tone="good"))
        else:
            blocks.append(self.paragraph(_("The loss went up: the step overshot. The learning rate may be too large for this network."), tone="note"))
        for ref, published, source in self.spec.published_differences(self.trace.values):
            blocks.append(self.paragraph(
                _("{source} prints {published} for {symbol}; the forward pass with the updated parameters gives {value}. Every value before it agrees with {source} to the digits printed there, so the difference lies in that last figure of the source, not in the method."),
                source=source, published=str(published), symbol=self.naming.symbol(ref), value=self.number(self.trace.values[ref]),
            ))
        return blocks

    # The gradient check ---------------------------------------------------------------------

    def check(self) -> list[Block]:
        """Return difference quotients approaching the backprop gradient for a few parameters."""
        blocks: list[Block] = [
            self.numbered(_("Gradient check: the derivative as a limit")),
            self.paragraph(_(
                "A derivative is the limit of a ratio of changes. Nudge one parameter by a small amount {h}, "
                "holding every other parameter fixed, and divide the change of the cost by the nudge; as the "
                "nudge shrinks, the ratio settles on the gradient that backpropagation gave."
            ), h=Increment(sp.Symbol("w"))),
            self.paragraph(_(
                "The distance to the backprop value shrinks about tenfold with each row: the ratio's error is "
                "about half the second derivative times the nudge, so it is proportional to the nudge. For very "
                "small nudges it stops shrinking and grows again: the two costs agree in almost all their "
                "digits, and their difference loses what float64 rounding (about 16 significant digits) left."
            )),
        ]
        for ref in checked_parameters(self.spec):
            blocks += self.checked(ref)
        return blocks

    def checked(self, ref: Ref) -> list[Block]:
        """Return the limit of one parameter's difference quotient and its table."""
        cost = self.naming.symbol(Ref("C"))
        parameter = self.naming.symbol(ref)
        h = Increment(parameter)
        shifted = Call(cost, sp.Add(parameter, h, evaluate=False))
        numerator = sp.Add(shifted, sp.Mul(-1, Call(cost, parameter), evaluate=False), evaluate=False)
        quotient = sp.Mul(numerator, sp.Pow(h, -1, evaluate=False), evaluate=False)
        gradient = Ref("dC/dW", ref.l, ref.j, ref.k) if ref.kind == "W" else Ref("dC/db", ref.l, ref.j)
        exact = self.trace.values[gradient]
        rows = [
            (
                self.say("{x}", x=PowerOfTen(sp.Integer(q.exponent))),
                (self.number(q.cost),),
                (self.number(q.quotient),),
                (self.number(abs(q.quotient - float(exact))),),
            )
            for q in difference_quotients(self.spec, ref)
        ]
        head = [self.say("{x}", x=h), self.say("{x}", x=shifted), self.say(_("difference quotient")), self.say(_("distance to backprop"))]
        return [
            self.chain(symbol(gradient), LimitToZero(quotient, h), shown_number(exact)),
            self.table(head, rows, (True, True, True, True)),
        ]


def lesson(trace: Trace, style: MathStyle, highlighted: frozenset[str] = frozenset()) -> Document:
    """Return the worked example of ``trace`` as blocks, every maths string printed in ``style``.

    ``lesson(trace(load_spec("mazur")), LatexStyle(printer))`` gives a document whose forward pass
    starts with ``\\mathrm{net}_{h1} = w_{1} \\cdot i_{1} + w_{2} \\cdot i_{2} + b_{h1} = …``.
    The steps whose canonical ids are in ``highlighted`` (a handout's asked values) are marked
    ``Step.highlighted``. A trace with exact values (:mod:`tracer.exact`) prints fractions.
    """
    return Lesson(trace, style, highlighted).document()
