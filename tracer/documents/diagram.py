"""The network as a picture: where each neuron, weight and bias label goes.

One geometry serves the SVG beside a Markdown file and the TikZ picture in LaTeX (units are SVG
pixels; TikZ divides them by ``PER_CM``). The terminal gets a compact text drawing instead, one
fan-in per neuron. Labels are printed by the caller's style, so they are LaTeX for TikZ and
Unicode for SVG and the terminal.

Edge labels sit on their edge at the fraction t = m/(m + 1) of the way from a source column with
m neurons: two labels in one column are then at least (1 − t) of a row apart, whatever the edges.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import sympy as sp

from tracer.derive import symbol
from tracer.display import Equals
from tracer.ids import Ref
from tracer.printing import shown_number
from tracer.trace import Trace

COLUMN = 300.0  # distance between layers
ROW = 90.0  # distance between neurons of a layer
RADIUS = 26.0
MARGIN = 60.0
TOP = 56.0  # room for the layer captions
PER_CM = 50.0

Label = Callable[[sp.Expr], str]


class Column(NamedTuple):
    """Return-free caption of one layer: its centre x, role and activation (None for the input)."""

    x: float
    role: str
    activation: str | None
    size: int


class Node(NamedTuple):
    """Return-free neuron: centre, label (its activation's symbol) and bias label (None for inputs)."""

    x: float
    y: float
    label: str
    bias: str | None
    bias_y: float
    place: str = ""
    bias_place: str = ""


class Edge(NamedTuple):
    """Return-free weight: the line between two circles and its label ``w = value`` on the line."""

    x1: float
    y1: float
    x2: float
    y2: float
    label_x: float
    label_y: float
    label: str
    place: str = ""


class Diagram(NamedTuple):
    """Return-free picture of a network, in SVG pixels (y grows downwards)."""

    width: float
    height: float
    radius: float
    per_cm: float
    columns: tuple[Column, ...]
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


def role(layer: int, depth: int) -> str:
    """Return "input", "hidden" or "output" for a layer (input = 0, depth = L).

    >>> [role(l, 2) for l in range(3)]
    ['input', 'hidden', 'output']
    """
    return "input" if layer == 0 else "output" if layer == depth else "hidden"


# Where a quantity is drawn: on its neuron, its weight's edge or its bias label.
NEURON_KINDS = frozenset({"a", "z", "dC/da", "da/dz", "delta"})
OUTPUT_KINDS = frozenset({"y", "C_term"})
EDGE_KINDS = frozenset({"W", "dC/dW", "W'"})
BIAS_KINDS = frozenset({"b", "dC/db", "b'"})


def place(ref: Ref, depth: int) -> str | None:
    """Return the key of the picture's element that stands for a quantity, or None (C, η, C′).

    Neurons are ``n{l}.{j}`` (targets and cost parts on their output neuron), weights
    ``e{l}.{j}.{k}`` (the edge and its label), biases ``b{l}.{j}``; every sample on the same one.

    >>> place(Ref("delta", 2, 1, sample=2), 2), place(Ref("W'", 2, 1, 2), 2), place(Ref("y", j=2), 2)
    ('n2.1', 'e2.1.2', 'n2.2')
    >>> place(Ref("eta"), 2) is None
    True
    """
    if ref.kind in NEURON_KINDS:
        return f"n{ref.l}.{ref.j}"
    if ref.kind in OUTPUT_KINDS:
        return f"n{depth}.{ref.j}"
    if ref.kind in EDGE_KINDS:
        return f"e{ref.l}.{ref.j}.{ref.k}"
    if ref.kind in BIAS_KINDS:
        return f"b{ref.l}.{ref.j}"
    return None


def _valued(trace: Trace, label: Label, ref: Ref) -> str:
    """Return the label ``w₅ = 0.4`` of a given parameter: its symbol equal to its value."""
    return label(Equals(symbol(ref), shown_number(trace.values[ref])))


def diagram(trace: Trace, label: Label) -> Diagram:
    """Return the geometry of the network of ``trace``, labels printed with ``label``.

    For Mazur's 2-2-2 network that is 6 nodes and 8 edges, 720 pixels wide.
    """
    spec = trace.spec
    layers, L = spec.layers, spec.depth
    tallest = max(layers)
    x = [MARGIN + l * COLUMN for l in range(L + 1)]

    def y(l: int, j: int) -> float:
        return TOP + RADIUS + (tallest - layers[l]) * ROW / 2 + (j - 1) * ROW

    columns = tuple(
        Column(x[l], role(l, L), None if l == 0 else spec.activations[l - 1], layers[l]) for l in range(L + 1)
    )
    nodes = []
    for l in range(L + 1):
        for j in range(1, layers[l] + 1):
            bias = None if l == 0 else _valued(trace, label, Ref("b", l, j))
            shown = label(symbol(Ref("a", l, j)))
            nodes.append(
                Node(
                    x[l],
                    y(l, j),
                    shown,
                    bias,
                    y(l, j) + RADIUS + 16,
                    place(Ref("a", l, j), L),
                    place(Ref("b", l, j), L),
                )
            )
    edges = []
    for l in range(1, L + 1):
        t = layers[l - 1] / (layers[l - 1] + 1)
        for j in range(1, layers[l] + 1):
            for k in range(1, layers[l - 1] + 1):
                x1, y1, x2, y2 = x[l - 1], y(l - 1, k), x[l], y(l, j)
                edges.append(
                    Edge(
                        x1 + RADIUS,
                        y1,
                        x2 - RADIUS,
                        y2,
                        x1 + t * (x2 - x1),
                        y1 + t * (y2 - y1),
                        _valued(trace, label, Ref("W", l, j, k)),
                        place(Ref("W", l, j, k), L),
                    )
                )
    height = TOP + 2 * RADIUS + (tallest - 1) * ROW + 36
    return Diagram(2 * MARGIN + L * COLUMN, height, RADIUS, PER_CM, columns, tuple(nodes), tuple(edges))


def text_drawing(trace: Trace, label: Label) -> tuple[str, ...]:
    """Return the network as lines of text: for each neuron, its inputs fanning in, then its bias.

    Mazur's first hidden neuron reads::

        i₁ ── w₁ = 0.15 ──┐
        i₂ ── w₂ = 0.2  ──┴──▶ outₕ₁   bₕ₁ = 0.35
    """
    spec = trace.spec
    lines: list[str] = []
    for l in range(1, spec.depth + 1):
        sources = [label(symbol(Ref("a", l - 1, k))) for k in range(1, spec.layers[l - 1] + 1)]
        weights = [
            [_valued(trace, label, Ref("W", l, j, k)) for k in range(1, len(sources) + 1)]
            for j in range(1, spec.layers[l] + 1)
        ]
        source_width = max(len(s) for s in sources)
        weight_width = max(len(w) for row in weights for w in row)
        for j, row in enumerate(weights, start=1):
            target = label(symbol(Ref("a", l, j)))
            bias = _valued(trace, label, Ref("b", l, j))
            for k, (source, weight) in enumerate(zip(sources, row, strict=True), start=1):
                start = f"{source:<{source_width}} ── {weight:<{weight_width}} ──"
                if k == len(sources):
                    joint = "───▶" if len(sources) == 1 else "┴──▶"
                    lines.append(f"{start}{joint} {target}   {bias}")
                else:
                    lines.append(start + ("┐" if k == 1 else "┤"))
        if l < spec.depth:
            lines.append("")
    return tuple(lines)
