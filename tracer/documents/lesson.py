"""The worked example as a lesson: a Trace becomes a :class:`tracer.documents.blocks.Document`.

Every section and its order are here, and the sentences of the short sections; the equations
(:mod:`tracer.documents.derivations`), the backward pass (:mod:`tracer.documents.backward`) and the
gradient check (:mod:`tracer.documents.gradient_check`) each have a module. Every sentence is
written once; each output format renders the same blocks (``templates/<format>/_macros.*``).
The order follows a lesson: the conventions, the network, the equations of backpropagation (the
error term δ defined, BP1–BP4 stated with their source, each activation's and the loss's derivative
worked out), the forward pass, the loss, the backward pass (the output layer factor by factor, the
bridge to δ, the hidden layers through the sum over paths and one weight factor by factor, then BP2
and the matrix form), the update, the loss after it, and the derivative as a limit.
"""

from __future__ import annotations

import sympy as sp

from tracer.activations import Activation, activation
from tracer.derive import LOSS_TERM, symbol
from tracer.display import (
    Cases,
    matrix,
    shaped,
)
from tracer.documents.backward import backward
from tracer.documents.blocks import Block, Bullets, Document, Figure, Section, Step, Steps
from tracer.documents.derivations import equations_section, tanh_quotient
from tracer.documents.diagram import ROLES, diagram, role, text_drawing
from tracer.documents.gradient_check import check
from tracer.documents.later_steps import after_steps, later_step
from tracer.documents.matrix_form import forward_steps
from tracer.documents.optimizer_step import optimizer_settings, optimizer_update
from tracer.documents.styles import MathStyle
from tracer.documents.writer import Writer
from tracer.i18n import N_, _, language
from tracer.ids import Ref
from tracer.printing import shown_number
from tracer.trace import Trace, step_view


class Lesson(Writer):
    """Return-free builder of one worked example's blocks, maths printed in one style.

    ``trace`` is the step the builder writes out: a trace of one step, or one step's view of a
    trace of several (:func:`tracer.trace.step_view`), whose steps keep their canonical ids.
    """

    def __init__(
        self,
        trace: Trace,
        style: MathStyle,
        highlighted: frozenset[str] = frozenset(),
        whole: Trace | None = None,
    ) -> None:
        super().__init__(style)
        self.trace = trace
        self.whole = trace if whole is None else whole  # every step, when there are several
        self.several = self.whole.steps > 1
        self.highlighted = highlighted
        self.naming = trace.naming
        self.spec = trace.spec
        self.L = trace.spec.depth
        self.batch = len(self.spec.samples) > 1
        self.loss = trace.spec.cost
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
        zero_target = (
            q.rule == LOSS_TERM
            and self.loss.uses_log
            and self.value(Ref("y", j=ref.j, sample=ref.sample)) == 0
        )
        plain = formula is None or formula.is_Symbol or (zero_target and self.spec.loss == "cross_entropy")
        substituted = None if plain else q.substituted(self.trace.values)
        parts = [p for p in (name, formula, substituted, shown_number(q.value)) if p is not None]
        canonical = str(self.trace.canonical(q.ref))
        return Step(
            id=canonical,
            rule=q.rule,
            symbol=self.style.math(name),
            formula=None if formula is None else self.style.math(formula),
            substituted=None if substituted is None else self.style.math(substituted),
            value=self.style.number(q.value),
            equation=self.style.equation(*parts),
            wide=formula is not None and sum(1 for e in sp.preorder_traversal(formula) if e.is_Symbol) > 3,
            highlighted=canonical in self.highlighted,
            depends_on=self.depends_on(q.ref),
        )

    def depends_on(self, ref: Ref) -> tuple[str, ...]:
        """Return the canonical ids of what a quantity's formula uses (a step's ``depends_on``)."""
        return tuple(str(self.trace.canonical(d)) for d in self.trace[ref].depends_on)

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
        return list(self.spec.sample_numbers)

    def sample_heading(self, s: int | None, level: int = 2) -> list[Block]:
        """Return a sample's heading when there are several samples."""
        return [] if s is None else [self.heading(_("Sample {sample}"), level, sample=str(s))]

    def neurons(self, l: int) -> range:
        """Return the neuron numbers 1..n of layer ``l``."""
        return range(1, self.spec.layers[l] + 1)

    def g(self, l: int) -> Activation:
        """Return layer ``l``'s activation (l ≥ 1)."""
        return self.spec.g[l - 1]

    def variable(self) -> sp.Symbol:
        """Return the notation's letter for a weighted input, without indices (z, or net for Mazur)."""
        template = self.naming.notation.symbols["z"]
        return sp.Symbol(template.split("_")[0].split("^")[0])

    def again(self, t: int) -> Lesson:
        """Return the builder of step t of the same trace of several steps, numbering on from here."""
        later = type(self)(step_view(self.whole, t), self.style, self.highlighted, self.whole)
        later.sections_made = self.sections_made
        return later

    # The document ---------------------------------------------------------------------------

    def document(self) -> Document:
        """Return the whole worked example: step 1 in full, then each later step, if any."""
        sections = [
            Section("introduction", (self.introduction(),)),
            Section("conventions", tuple(self.conventions())),
            Section("network", tuple(self.network())),
            Section("equations", tuple(equations_section(self))),
            Section("forward", tuple(self.forward())),
            Section("loss", tuple(self.cost())),
            Section("backward", tuple(backward(self))),
            Section("update", tuple(self.update())),
        ]
        if self.several:
            first = self.sections_made - 3  # the forward pass of step 1 …
            for t in range(2, self.whole.steps + 1):
                later = self.again(t)
                sections.append(Section(f"step{t}", tuple(later_step(later, first))))
                self.sections_made = later.sections_made
            sections.append(Section("after", tuple(after_steps(self))))
        else:
            sections.append(Section("after", tuple(self.after())))
        sections.append(Section("check", tuple(check(self))))
        # A preset's title and description are catalogue messages too; a user's own come back unchanged.
        description = _(self.spec.description) if self.spec.description else ""
        return Document(_(self.spec.title), description, tuple(sections), language())

    def introduction(self) -> Block:
        """Return what the worked example shows, in reading order."""
        if not self.several:
            return self.paragraph(
                _(
                    "One training step of this network, worked out with every number: the forward "
                    "pass, the loss, the backward pass by the chain rule, the update, the loss after "
                    "the update, and a check of the gradients against the derivative as a limit."
                )
            )
        if self.spec.optimizer.name == "gd":
            text = _(
                "{count} training steps of this network, worked out with every number. Step 1 in "
                "full: the forward pass, the loss, the backward pass by the chain rule and the update. "
                "Each later step repeats the same equations from the parameters the step before left, "
                "every number again. Then the loss after the last update, and a check of step 1's "
                "gradients against the derivative as a limit."
            )
        else:
            text = _(
                "{count} training steps of this network, worked out with every number. Step 1 in "
                "full: the forward pass, the loss, the backward pass by the chain rule and the update. "
                "Each later step repeats the same equations from the parameters and the optimizer's "
                "state the step before left, every number again. Then the loss after the last update, "
                "and a check of step 1's gradients against the derivative as a limit."
            )
        return self.paragraph(text.format(count=self.whole.steps))

    # Conventions ----------------------------------------------------------------------------

    def conventions(self) -> list[Block]:
        """Return what a reader must know to redo the numbers by hand."""
        items = [self.say(_("Notation: {source}."), source=_(self.naming.notation.source))]
        items.append(self.loss_sentence())
        for name in dict.fromkeys(self.spec.activations):
            sentence = self.activation_sentence(activation(name, "", self.spec.leaky_relu_slope))
            if sentence:
                items.append(sentence)
        if not self.spec.update_biases:
            items.append(
                self.say(
                    _("Biases are frozen: they keep their given values and only the weights are updated.")
                )
            )
        if self.batch:
            items.append(
                self.say(
                    _(
                        "The {count} samples form one batch: the cost and every gradient are the "
                        "averages over the samples."
                    ).format(count=len(self.spec.samples))
                )
            )
        if self.trace.exact:
            items.append(
                self.say(
                    _(
                        "Every number is exact: fractions, computed in exact rational arithmetic, so a "
                        "step redone by hand gives the same fraction. Only the gradient check's "
                        "difference quotients are decimals, rounded to {decimals} decimals."
                    ).format(decimals=self.style.printer.decimals)
                )
            )
        else:
            items.append(
                self.say(
                    _(
                        "Numbers are shown rounded to {decimals} decimals. Every step is computed from "
                        "the unrounded values, so a step redone by hand from the rounded numbers can "
                        "differ in the last digit."
                    ).format(decimals=self.style.printer.decimals)
                )
            )
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
            "quadratic": N_(
                "Loss: the quadratic cost, one half of the squared error of each output, added up: "
                "{term}, and {cost} is the sum of these parts over the outputs."
            ),
            "sse": N_(
                "Loss: the squared error of each output, added up: {term}, and {cost} is the sum of "
                "these parts over the outputs."
            ),
            "mse": N_(
                "Loss: the mean squared error over the {m} outputs: {term}, and {cost} is the sum of "
                "these parts over the outputs."
            ),
            "cross_entropy": N_(
                "Loss: cross-entropy, {term} (ln is the natural logarithm; a target of 0 contributes 0), "
                "and {cost} is the sum of these parts over the outputs."
            ),
            "binary_cross_entropy": N_(
                "Loss: binary cross-entropy, {term} (ln is the natural logarithm), and {cost} is the sum "
                "of these parts over the outputs."
            ),
        }
        single = {  # one output: no sum over the outputs, no "1 outputs"
            "quadratic": N_(
                "Loss: the quadratic cost, one half of the squared error of the output: {term}, and "
                "{cost} is this one part, the network having one output."
            ),
            "sse": N_(
                "Loss: the squared error of the output: {term}, and {cost} is this one part, the "
                "network having one output."
            ),
            "mse": N_(
                "Loss: the mean squared error over the one output, the squared error itself: {term}, "
                "and {cost} is this one part."
            ),
            "cross_entropy": N_(
                "Loss: cross-entropy, {term} (ln is the natural logarithm; a target of 0 contributes 0), "
                "and {cost} is this one part, the network having one output."
            ),
            "binary_cross_entropy": N_(
                "Loss: binary cross-entropy, {term} (ln is the natural logarithm), and {cost} is this "
                "one part, the network having one output."
            ),
        }
        sentence = (single if m == 1 else names)[self.loss.name]
        return self.say(_(sentence), term=sp.Eq(part, term, evaluate=False), cost=cost, m=str(m))

    def activation_sentence(self, g: Activation):
        """Return how an activation is computed, or () when there is nothing to say (identity)."""
        z = self.variable()
        if g.name == "sigmoid":
            return self.say(
                _("The sigmoid: {definition}."), definition=sp.Eq(g.written(z), g.meaning(z), evaluate=False)
            )
        if g.name == "tanh":
            return self.say(
                _("The hyperbolic tangent: {definition}."),
                definition=sp.Eq(g.written(z), tanh_quotient(z), evaluate=False),
            )
        if g.name == "relu":
            return self.say(
                _("ReLU: {definition}."), definition=sp.Eq(g.written(z), sp.Max(0, z), evaluate=False)
            )
        if g.name == "leaky_relu":
            return self.say(
                _("Leaky ReLU: {definition}."),
                definition=sp.Eq(
                    g.written(z),
                    Cases(
                        z,
                        sp.StrictGreaterThan(z, 0),
                        sp.Mul(shown_number(self.spec.leaky_relu_slope), z, evaluate=False),
                        sp.LessThan(z, 0),
                    ),
                    evaluate=False,
                ),
            )
        if g.name == "softmax":
            i, j = sp.Symbol("i"), sp.Symbol("j")
            aj, zi, zj = sp.Symbol(f"a_{j}"), sp.Symbol(f"{z}_{i}"), sp.Symbol(f"{z}_{j}")
            share = sp.Mul(sp.exp(zj), sp.Pow(sp.Sum(sp.exp(zi), (i, 1, sp.Symbol("n"))), -1), evaluate=False)
            return self.say(
                _(
                    "Softmax: {definition}, computed with the largest weighted input subtracted from "
                    "each first, so that no exponential overflows (the result is the same)."
                ),
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
            rows.append(
                (
                    self.say(number),
                    self.say(_(ROLES[role(l, spec.depth)])),
                    self.say(size),
                    self.say(spec.activations[l - 1]),
                    self.say(_("{name} is {shape}"), name=naming.vector("W", l), shape=f"{n}×{m}"),
                    self.say(_("{name} is {shape}"), name=naming.vector("b", l), shape=f"{n}×1"),
                )
            )
        head = [_("Layer"), _("Role"), _("Neurons"), _("Activation"), _("Weights"), _("Biases")]
        blocks.append(self.table([self.say(h) for h in head], rows, (True, False, True, False, False, False)))
        blocks.append(
            self.paragraph(
                _(
                    "The initial parameters, each matrix with its shape under its name: the weight in "
                    "row {j} and column {k} carries neuron {k} of the layer before into neuron {j}."
                ),
                j=sp.Symbol("j"),
                k=sp.Symbol("k"),
            )
        )
        for l in range(1, self.L + 1):
            n, m = spec.layers[l], spec.layers[l - 1]
            W, b = naming.vector("W", l), naming.vector("b", l)
            names_w = sp.ImmutableMatrix(
                [[symbol(Ref("W", l, j, k)) for k in range(1, m + 1)] for j in range(1, n + 1)]
            )
            names_b = sp.ImmutableMatrix([[symbol(Ref("b", l, j))] for j in range(1, n + 1)])
            numbers_w = [[values[Ref("W", l, j, k)] for k in range(1, m + 1)] for j in range(1, n + 1)]
            numbers_b = [[values[Ref("b", l, j)]] for j in range(1, n + 1)]
            blocks.append(
                self.equations(
                    (shaped(W, n, m), names_w, matrix(numbers_w)),
                    (shaped(b, n, 1), names_b, matrix(numbers_b)),
                )
            )
        rows = []
        for number, s in enumerate(self.samples(), start=1):
            inputs = [
                sp.Eq(
                    self.sym("a", 0, k, s=s), shown_number(values[Ref("a", 0, k, sample=s)]), evaluate=False
                )
                for k in self.neurons(0)
            ]
            targets = [
                sp.Eq(self.sym("y", j=j, s=s), shown_number(values[Ref("y", j=j, sample=s)]), evaluate=False)
                for j in self.neurons(self.L)
            ]
            rows.append((self.say(str(number)), self.listed(inputs), self.listed(targets)))
        blocks.append(
            self.table(
                [self.say(_("Sample")), self.say(_("Input")), self.say(_("Target"))],
                rows,
                (True, False, False),
            )
        )
        blocks.append(
            self.paragraph(
                _("Learning rate: {eta}."),
                eta=sp.Eq(self.sym("eta"), shown_number(values[Ref("eta")]), evaluate=False),
            )
        )
        if self.spec.optimizer.name != "gd":
            blocks += optimizer_settings(self)
        return blocks

    def listed(self, exprs: list[sp.Expr]):
        """Return maths items separated by commas, as one sentence."""
        spans = []
        for i, expr in enumerate(exprs):
            spans += list(self.say("{x}" + (", " if i < len(exprs) - 1 else ""), x=expr))
        return tuple(spans)

    # The equations --------------------------------------------------------------------------

    # The forward pass -----------------------------------------------------------------------

    def forward(self) -> list[Block]:
        """Return the forward pass, neuron by neuron and then in matrix form, per sample."""
        blocks: list[Block] = [self.numbered(_("Forward pass"))]
        if self.several:
            number = self.sections_made
            blocks.append(
                self.paragraph(
                    _(
                        "Step 1 begins here: sections {first} to {last} work it out in full, and each "
                        "later step follows in a section of its own."
                    ).format(first=number, last=number + 3),
                    tone="note",
                )
            )
        blocks.append(
            self.paragraph(
                _(
                    "Layer by layer, neuron by neuron: each neuron adds up its inputs, each times the "
                    "weight of its edge, and its bias (the weighted input), then applies its activation."
                )
            )
        )
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
            parts = (
                _("The output's part of the cost, which is the whole cost:")
                if self.spec.layers[-1] == 1
                else _("Each output's part of the cost, then their sum:")
            )
            blocks.append(self.paragraph(parts))
            blocks.append(self.steps([Ref("C_term", j=j, sample=s) for j in self.neurons(self.L)]))
            blocks.append(self.steps([Ref("C", sample=s)]))
        if self.batch:
            blocks.append(self.heading(_("The batch"), 2))
            blocks.append(self.paragraph(_("The cost of the batch is the average over the samples:")))
            blocks.append(self.steps([Ref("C")]))
        return blocks

    # The backward pass ----------------------------------------------------------------------

    # The update and after -------------------------------------------------------------------

    def update(self) -> list[Block]:
        """Return every parameter's step against its gradient (through the optimizer, if any)."""
        if self.spec.optimizer.name != "gd":
            return optimizer_update(self)
        blocks: list[Block] = [
            self.numbered(_("The update")),
            self.paragraph(
                _("Each parameter takes a step against its gradient, the learning rate times the gradient:")
            ),
            *self.updated_layers(2),
        ]
        if not self.spec.update_biases:
            blocks.append(self.paragraph(_("The biases are frozen in this example: they keep their values.")))
        return blocks

    def updated_layers(self, level: int) -> list[Block]:
        """Return each layer's updated parameters under a heading of ``level`` (plain descent)."""
        blocks: list[Block] = []
        for l in range(1, self.L + 1):
            refs = [Ref("W'", l, j, k) for j in self.neurons(l) for k in self.neurons(l - 1)]
            refs += [Ref("b'", l, j) for j in self.neurons(l)]
            number = self.naming.notation.input_layer_number + l
            blocks += [self.heading(_("Layer {number}").format(number=number), level), self.steps(refs)]
        return blocks

    def after(self) -> list[Block]:
        """Return the cost before and after the update, and what the change says."""
        before, after = self.trace["C"], self.trace["C'"]
        change = after.value - before.value
        difference = sp.Add(symbol(after.ref), sp.Mul(-1, symbol(before.ref), evaluate=False), evaluate=False)
        blocks: list[Block] = [
            self.numbered(_("The loss after the update")),
            self.paragraph(
                _(
                    "The cost before the update, and the cost of the same data through the network "
                    "with the updated parameters (the forward pass again, not shown):"
                )
            ),
            self.steps([before.ref, after.ref]),
            self.chain(difference, shown_number(change)),
        ]
        if change < 0:
            blocks.append(
                self.paragraph(
                    _("The loss went down: this step of gradient descent moved downhill."), tone="good"
                )
            )
        elif change == 0:
            blocks.append(
                self.paragraph(_("The loss did not change: the update left the cost where it was."))
            )
        else:
            blocks.append(
                self.paragraph(
                    _(
                        "The loss went up: the step overshot. The learning rate may be too large for "
                        "this network."
                    ),
                    tone="note",
                )
            )
        return blocks + self.published()

    def published(self, step: int | None = None) -> list[Block]:
        """Return a note for each number the source prints that the trace does not round to.

        ``step`` 1: the note names the quantity of step 1 of a trace of several (E⁺⁽ᵗ⁼¹⁾).
        """
        blocks: list[Block] = []
        for ref, published, source in self.spec.published_differences(self.trace.values):
            blocks.append(
                self.paragraph(
                    _(
                        "{source} prints {published} for {symbol}; the forward pass with the updated "
                        "parameters gives {value}. Every value before it agrees with {source} to the "
                        "digits printed there, so the difference lies in that last figure of the source, "
                        "not in the method."
                    ),
                    source=source,
                    published=str(published),
                    symbol=self.naming.symbol(ref.at(step)),
                    value=self.number(self.trace.values[ref]),
                )
            )
        return blocks

    # The gradient check ---------------------------------------------------------------------


def lesson(trace: Trace, style: MathStyle, highlighted: frozenset[str] = frozenset()) -> Document:
    """Return the worked example of ``trace`` as blocks, every maths string printed in ``style``.

    ``lesson(trace(load_spec("mazur")), LatexStyle(printer))`` gives a document whose forward pass
    starts with ``\\mathrm{net}_{h1} = w_{1} \\cdot i_{1} + w_{2} \\cdot i_{2} + b_{h1} = …``.
    The steps whose canonical ids are in ``highlighted`` (a handout's asked values) are marked
    ``Step.highlighted``. A trace with exact values (:mod:`tracer.exact`) prints fractions. A trace
    of several steps gives step 1 in full, then each later step in a section of its own (its
    quantities with their own ids, ``z[1][1]@2``), then the loss after the last update.
    """
    return Lesson(step_view(trace, 1), style, highlighted, trace).document()
