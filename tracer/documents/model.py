"""The worked example as a read-only view model: every section, every string already printed.

:func:`tracer.documents.compose.compose` fills a :class:`Document` from a Trace in one maths style (LaTeX
for Markdown and LaTeX files, Unicode pictures for the terminal); the templates only place what
is here. The sections follow the lecture: the network, the forward pass, the loss, the backward
pass (output layer through the three chain-rule factors, hidden layers through BP2, each layer
again in matrix form), the update, the cost after the update, the derivative as a limit.

The records are NamedTuples: immutable like frozen dataclasses, and much cheaper to define, which
matters for the start-up time of a document command.
"""

from __future__ import annotations

from typing import NamedTuple

from tracer.documents.diagram import Diagram


class Step(NamedTuple):
    """Return-free line of the worked example: ``symbol = formula = substituted = value``.

    ``formula`` is None for a given number; ``substituted`` is None when it would only repeat
    ``value`` (``∂C/∂b = δ = 0.138``). ``equation`` is the whole chain laid out by the style.
    ``wide`` says that the formula names quantities more than three times, so that a page layout
    should put the numbers on a line of their own. ``highlighted`` marks a value a handout asked
    for, which its answer key shows boxed.
    """

    id: str
    rule: str
    symbol: str
    formula: str | None
    substituted: str | None
    value: str
    equation: str
    wide: bool
    highlighted: bool = False


class Factor(NamedTuple):
    """Return-free chain-rule factor: its name (∂z/∂w), the quantity it is (None if the name says
    it already), its value."""

    name: str
    equals: str | None
    value: str
    equation: str


class ChainRule(NamedTuple):
    """Return-free gradient of one output-layer weight as the lecture's product of three factors.

    ``rule`` is ∂C/∂w = ∂z/∂w · ∂a/∂z · ∂C/∂a for this weight, ``numbers`` the product of the
    factors' values laid out by the style (∂C/∂w = 0.59 · 0.19 · 0.74 = 0.082).
    """

    rule: str
    factors: tuple[Factor, ...]
    product: Step
    numbers: str


class MatrixStep(NamedTuple):
    """Return-free matrix form of one rule for a whole layer: the shapes line and the numbers line.

    ``shapes`` labels each factor with its shape (None where the numbers line shows it);
    ``numbers`` is the chain ``symbol = sides[0] = sides[1] = …`` laid out by the style, and
    ``symbol`` and ``sides`` are its parts, for layouts that break it at each ``=``.
    """

    rule: str
    shapes: str | None
    symbol: str
    sides: tuple[str, ...]
    numbers: str


class Layer(NamedTuple):
    """Return-free facts of one layer: number in the notation, role, activation, shapes, parameters.

    ``weights`` and ``biases`` are printed ``W = [symbols] = [numbers]`` equations (None for the
    input layer); ``rows`` and ``columns`` give the shape of W (rows × columns).
    """

    l: int
    number: int
    role: str
    activation: str | None
    size: int
    rows: int
    columns: int
    weights_symbol: str | None
    biases_symbol: str | None
    weights: str | None
    biases: str | None


class LayerSteps(NamedTuple):
    """Return-free run of steps of one layer (forward: z and a for each neuron in turn).

    ``matrix`` is the same layer in matrix form (empty where the document does not show it).
    """

    layer: Layer
    steps: tuple[Step, ...]
    matrix: tuple[MatrixStep, ...] = ()


class SampleForward(NamedTuple):
    """Return-free forward pass and loss of one sample (``number`` None when there is one sample)."""

    number: int | None
    inputs: tuple[Step, ...]
    targets: tuple[Step, ...]
    layers: tuple[LayerSteps, ...]
    loss_terms: tuple[Step, ...]
    loss: Step


class BackwardLayer(NamedTuple):
    """Return-free backward pass through one layer, neuron by neuron and then in matrix form."""

    layer: Layer
    output: bool
    loss_slopes: tuple[Step, ...]
    slopes: tuple[Step, ...]
    deltas: tuple[Step, ...]
    chains: tuple[ChainRule, ...]
    weight_gradients: tuple[Step, ...]
    bias_gradients: tuple[Step, ...]
    matrix: tuple[MatrixStep, ...]


class SampleBackward(NamedTuple):
    """Return-free backward pass of one sample, output layer first."""

    number: int | None
    layers: tuple[BackwardLayer, ...]


class After(NamedTuple):
    """Return-free comparison of the cost before and after the update."""

    before: Step
    after: Step
    change: str
    went_down: bool


class CheckRow(NamedTuple):
    """Return-free row of a gradient check: δw, C(w + δw), the quotient and its distance to backprop."""

    step: str
    cost: str
    quotient: str
    error: str


class CheckedParameter(NamedTuple):
    """Return-free gradient check of one parameter: the limit, the backprop value and the rows."""

    parameter: str
    increment: str
    shifted: str
    quotient: str
    definition: str
    backprop: str
    rows: tuple[CheckRow, ...]


class Span(NamedTuple):
    """Return-free piece of a sentence: prose (``math`` False, for the template to escape) or maths
    printed in the document's style.

    ``baseline`` is the row of a Unicode picture that the words beside it sit on (0 for LaTeX).
    """

    text: str
    math: bool
    baseline: int = 0


class Conventions(NamedTuple):
    """Return-free list of what a reader must know to redo the numbers by hand.

    ``loss`` and each of ``activations`` is a sentence of Spans, prose and maths in turn.
    ``exact`` says that every value is an exact fraction (a hand-friendly handout); ``decimals``
    then applies only to the gradient check's difference quotients.
    """

    loss: tuple[Span, ...]
    activations: tuple[tuple[Span, ...], ...]
    biases_frozen: bool
    decimals: int
    notation: str
    notation_source: str
    samples: int
    exact: bool = False


class Document(NamedTuple):
    """Return-free worked example of one training step, in the order it is read."""

    title: str
    description: str
    conventions: Conventions
    layers: tuple[Layer, ...]
    learning_rate: Step
    diagram: Diagram
    drawing: tuple[str, ...]
    samples: tuple[SampleForward, ...]
    batch_cost: Step | None
    backward: tuple[SampleBackward, ...]
    averages: tuple[Step, ...]
    updates: tuple[LayerSteps, ...]
    after: After
    checks: tuple[CheckedParameter, ...]
