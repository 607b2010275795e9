"""The network as a picture: where each neuron, weight and bias label goes.

One geometry serves the SVG beside a Markdown file and the TikZ picture in LaTeX (units are SVG
pixels; TikZ divides them by ``PER_CM`` and scales the whole picture down to fit a page). The
terminal gets a compact text drawing instead, one fan-in per neuron. Labels are printed by the
caller's style, so they are LaTeX for TikZ and Unicode for SVG and the terminal.

Each weight's label is written along its own edge, on the line, on a white box that interrupts
the line: the text runs in the edge's direction, so it cannot be read as another edge's label,
and no line crosses it. :mod:`tracer.documents.layout` finds each label a spot on its edge clear
of every other label, the neurons and the bias labels; a gap between two layers with no room
for its labels is widened, and wide networks try taller rows too, keeping the layout that
needs the least shrinking to fit a page. Lines leave and enter a neuron at its sides, so the
bias label under each neuron is never crossed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from typing import NamedTuple

import sympy as sp

from tracer.derive import symbol
from tracer.display import Equals
from tracer.documents.layout import Box, Circle, Line, place
from tracer.i18n import N_, _
from tracer.ids import STATE_KINDS, Ref
from tracer.printing import MathPrinter, shown_number
from tracer.terminal import display_width, pad
from tracer.trace import Trace

COLUMN = 300.0  # the narrowest distance between layers; widened by WIDEN until the labels fit
WIDEN = 40.0
WIDEST = 2000.0
ROWS = (90.0, 110.0, 130.0)  # distances between neurons of a layer: the first, unless wide
RADIUS = 26.0
MARGIN = 60.0
TOP = 56.0  # room for the layer captions
BOTTOM = 40.0  # room for the last bias label
PER_CM = 50.0
PAGE_CM = (17.0, 22.0)  # the most a TikZ picture may take of an A4 page with 2 cm margins
LABEL_SIZE = 12.5  # font size of the weight and bias labels, pixels
LABEL_HEIGHT = 16.5  # the white box of a label: the text's height and a little air
PAD = 3.0  # air left and right of a label's text in its box
# TeX sets the labels a little smaller than the SVG's size, so that its Computer Modern text
# (as wide as DejaVu Sans give or take 3 %) stays inside the measured boxes.
TEX_POINTS = round(LABEL_SIZE / PER_CM * 72.27 / 2.54 * 0.95, 2)

# Advance widths in DejaVu Sans (the SVG's font), in ems, rounded up and grouped: a character
# not listed counts as a full em, so a label's box is never narrower than its text.
_WIDTHS = (
    (0.34, " .·ijlIJᵢⱼₗₜ⁽⁾/"),
    (0.45, "f-()trₐₑₒₓₕₖₘₙₚₛ⁰¹²³⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉"),
    (0.53, "sz⁺⁻"),
    (0.66, "0123456789abcdeghknopquvxyαβγδεηθλμνπρστφχψ"),
    (0.84, "−=+×ABCDEFGHKLNOPQRSTUVXYZΘ"),
)
_EM = {char: width for width, chars in _WIDTHS for char in chars}

ROLES = {"input": N_("input"), "hidden": N_("hidden"), "output": N_("output")}

Printer = Callable[[sp.Expr], str]


class Column(NamedTuple):
    """Return-free caption of one layer: its centre x, caption (its role, input, hidden or output,
    in the reader's language), activation (None for the input) and size."""

    x: float
    caption: str
    activation: str | None
    size: int


class Node(NamedTuple):
    """Return-free neuron: centre, label (its activation's symbol), bias label and its box
    (both None for inputs)."""

    x: float
    y: float
    label: str
    bias: str | None
    bias_box: Box | None
    key: str = ""
    bias_key: str = ""


class Edge(NamedTuple):
    """Return-free weight: the line between two circles, its label ``w = value`` and the label's
    box, centred on the line at the fraction ``at`` of the way from (x1, y1), turned along it."""

    x1: float
    y1: float
    x2: float
    y2: float
    label: str
    box: Box
    at: float
    key: str = ""


class Diagram(NamedTuple):
    """Return-free picture of a network, in SVG pixels (y grows downwards).

    ``scale`` shrinks the TikZ picture to fit a page (1 when it fits); ``label_size`` is the
    labels' font size in pixels and ``label_points`` their size in TeX points.
    """

    width: float
    height: float
    radius: float
    per_cm: float
    scale: float
    label_size: float
    label_points: float
    columns: tuple[Column, ...]
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


def role(layer: int, depth: int) -> str:
    """Return "input", "hidden" or "output" for a layer (input = 0, depth = L).

    >>> [role(l, 2) for l in range(3)]
    ['input', 'hidden', 'output']
    """
    return "input" if layer == 0 else "output" if layer == depth else "hidden"


def text_width(text: str, size: float = LABEL_SIZE) -> float:
    """Return an upper bound of the width of ``text`` set in DejaVu Sans at ``size`` pixels.

    >>> round(text_width("w₅ = 0.4"), 2)
    57.88
    """
    return size * sum(_EM.get(char, 1.0) for char in text)


# Where a quantity is drawn: on its neuron, its weight's edge or its bias label.
NEURON_KINDS = frozenset({"a", "z", "dC/da", "da/dz", "delta"})
OUTPUT_KINDS = frozenset({"y", "C_term"})
EDGE_KINDS = frozenset({"W", "dC/dW", "W'"})
BIAS_KINDS = frozenset({"b", "dC/db", "b'"})


def place_key(ref: Ref, depth: int) -> str:
    """Return the key of the picture's elements that stand for a quantity, or "" (C, η, C′).

    Neurons are ``n{l}.{j}`` (targets and cost parts on their output neuron), weights
    ``e{l}.{j}.{k}`` (the edge and its label), biases ``b{l}.{j}``; every sample on the same one.
    An optimizer's state (Adam's m, m̂, v, v̂, a velocity, h) is drawn on its parameter.
    A page lights up the elements of a step's quantities (their ``data-place``).

    >>> [place_key(ref, 2) for ref in (Ref("delta", 2, 1, sample=2), Ref("W'", 2, 1, 2), Ref("y", j=2))]
    ['n2.1', 'e2.1.2', 'n2.2']
    >>> [place_key(ref, 2) for ref in (Ref("m_hat", 2, 1, 2, step=3), Ref("velocity", 1, 2))]
    ['e2.1.2', 'b1.2']
    >>> place_key(Ref("eta"), 2)
    ''
    """
    if ref.kind in NEURON_KINDS:
        return f"n{ref.l}.{ref.j}"
    if ref.kind in OUTPUT_KINDS:
        return f"n{depth}.{ref.j}"
    if ref.kind in EDGE_KINDS:
        return f"e{ref.l}.{ref.j}.{ref.k}"
    if ref.kind in BIAS_KINDS:
        return f"b{ref.l}.{ref.j}"
    if ref.kind in STATE_KINDS:
        return f"e{ref.l}.{ref.j}.{ref.k}" if ref.k is not None else f"b{ref.l}.{ref.j}"
    return ""


def _valued(trace: Trace, label: Printer, ref: Ref) -> str:
    """Return the label ``w₅ = 0.4`` of a given parameter: its symbol equal to its value.

    An exact value is a bare Rational, not a number placed in a formula, so that a negative
    one reads ``w = −1/2``, not ``w = (−1/2)``.
    """
    value = trace.values[ref]
    return label(Equals(symbol(ref), value if isinstance(value, sp.Rational) else shown_number(value)))


class _Layout(NamedTuple):
    """Where everything goes, before the labels are printed: column x, neuron y, boxes."""

    x: tuple[float, ...]
    y: tuple[tuple[float, ...], ...]
    biases: tuple[tuple[Box, ...], ...]
    edges: dict[tuple[int, int, int], tuple[Line, float, Box]]
    width: float
    height: float
    scale: float


def diagram(trace: Trace, label: Printer) -> Diagram:
    """Return the geometry of the network of ``trace``, labels printed with ``label``.

    The geometry does not depend on ``label``: boxes are measured on the Unicode labels (in
    the default number format), which are at least as wide as the LaTeX ones. For Mazur's
    2-2-2 network that is 6 nodes and 8 edges, 720 pixels wide.
    """
    spec = trace.spec
    L = spec.depth
    measured = MathPrinter(trace.naming, minus="\N{MINUS SIGN}", inline_fractions=True).text
    widths = {
        ref: text_width(_valued(trace, measured, ref)) + 2 * PAD
        for l in range(1, L + 1)
        for j in range(1, spec.layers[l] + 1)
        for ref in (Ref("b", l, j), *(Ref("W", l, j, k) for k in range(1, spec.layers[l - 1] + 1)))
    }
    best = _layout(spec.layers, widths, ROWS[0])
    if any(b - a > COLUMN for a, b in zip(best.x, best.x[1:], strict=False)):
        # Labels did not fit at the narrowest: taller rows may need less widening.
        for row in ROWS[1:]:
            trial = _layout(spec.layers, widths, row)
            if trial.scale > best.scale:
                best = trial
    columns = tuple(
        Column(best.x[l], _(ROLES[role(l, L)]), None if l == 0 else spec.activations[l - 1], size)
        for l, size in enumerate(spec.layers)
    )
    nodes = tuple(
        Node(
            best.x[l],
            y,
            label(symbol(Ref("a", l, j))),
            None if l == 0 else _valued(trace, label, Ref("b", l, j)),
            None if l == 0 else best.biases[l][j - 1],
            place_key(Ref("a", l, j), L),
            place_key(Ref("b", l, j), L),
        )
        for l in range(L + 1)
        for j, y in enumerate(best.y[l], start=1)
    )
    edges = tuple(
        Edge(*line, _valued(trace, label, Ref("W", l, j, k)), box, at, place_key(Ref("W", l, j, k), L))
        for (l, j, k), (line, at, box) in best.edges.items()
    )
    return Diagram(
        best.width, best.height, RADIUS, PER_CM, best.scale, LABEL_SIZE, TEX_POINTS, columns, nodes, edges
    )


def _layout(layers: tuple[int, ...], widths: dict[Ref, float], row: float) -> _Layout:
    """Return the places of everything for neurons ``row`` apart, each gap as narrow as its
    labels allow (from ``COLUMN``, in steps of ``WIDEN``)."""
    tallest = max(layers)
    height = TOP + 2 * RADIUS + (tallest - 1) * row + BOTTOM
    y = tuple(
        tuple(TOP + RADIUS + (tallest - size) * row / 2 + i * row for i in range(size)) for size in layers
    )
    x = [MARGIN]
    biases: list[tuple[Box, ...]] = [()]
    edges: dict[tuple[int, int, int], tuple[Line, float, Box]] = {}
    for l in range(1, len(layers)):
        attempt = partial(_gap, layers, widths, y, height, l, x[-1], biases[-1])
        gap, (here, placed) = _narrowest(attempt)
        x.append(x[-1] + gap)
        biases.append(here)
        edges.update(placed)
    width = x[-1] + MARGIN
    scale = math.floor(1000 * min(1.0, PAGE_CM[0] * PER_CM / width, PAGE_CM[1] * PER_CM / height)) / 1000
    return _Layout(tuple(x), y, tuple(biases), edges, width, height, scale)


def _narrowest(attempt: Callable[..., tuple | None]) -> tuple[float, tuple]:
    """Return the narrowest gap (a multiple of ``WIDEN`` from ``COLUMN``) where ``attempt``
    succeeds, and what it returned: widening by doubling steps, then halving back.

    A gap too crowded even at ``WIDEST`` is drawn that wide with its labels where they
    overlap least; no network this module's tests know comes near.
    """
    found = attempt(COLUMN)
    if found is not None:
        return COLUMN, found
    failed, step = COLUMN, WIDEN
    while True:
        wider = min(COLUMN + step, WIDEST)
        found = attempt(wider)
        if found is not None:
            break
        if wider >= WIDEST:
            return WIDEST, attempt(WIDEST, crowded=True)  # type: ignore[return-value]
        failed, step = wider, 2 * step
    while wider - failed > WIDEN:
        middle = failed + (wider - failed) // (2 * WIDEN) * WIDEN
        trial = attempt(middle)
        if trial is None:
            failed = middle
        else:
            wider, found = middle, trial
    return wider, found


def _gap(
    layers: tuple[int, ...],
    widths: dict[Ref, float],
    y: tuple[tuple[float, ...], ...],
    height: float,
    l: int,
    left: float,
    before: tuple[Box, ...],
    gap: float,
    crowded: bool = False,
) -> tuple[tuple[Box, ...], dict[tuple[int, int, int], tuple[Line, float, Box]]] | None:
    """Return the bias boxes of layer ``l`` and the lines and label spots of the weights into it,
    ``gap`` to the right of the layer before (at ``left``, its bias boxes ``before``), or None
    if the labels do not fit.

    A line leaves the right side of one circle and enters the left side of the next. Labels
    prefer spots staggered by source, from 0.3 of the way (first source) to 0.7 (last), so that
    the labels into one neuron spread along its fan.
    """
    right = left + gap
    biases = tuple(
        Box(
            right, centre + RADIUS + 4 + LABEL_HEIGHT / 2, round(widths[Ref("b", l, j)], 1), LABEL_HEIGHT, 0.0
        )
        for j, centre in enumerate(y[l], start=1)
    )
    m = layers[l - 1]
    lines, preferred = {}, {}
    for j, target in enumerate(y[l], start=1):
        for k, source in enumerate(y[l - 1], start=1):
            key = (l, j, k)
            lines[key] = Line(left + RADIUS, source, right - RADIUS, target)
            preferred[key] = 0.5 if m == 1 else 0.3 + 0.4 * (k - 1) / (m - 1)
    circles = [Circle(left, c, RADIUS) for c in y[l - 1]] + [Circle(right, c, RADIUS) for c in y[l]]
    edge_widths = {key: round(widths[Ref("W", *key)], 1) for key in lines}
    fixed = (*before, *biases)
    placed = place(lines, edge_widths, preferred, circles, fixed, LABEL_HEIGHT, TOP, height, crowded)
    if placed is None:
        return None
    return biases, {key: (lines[key], at, box) for key, (at, box) in placed.items()}


def text_drawing(trace: Trace, label: Printer) -> tuple[str, ...]:
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
        source_width = max(display_width(s) for s in sources)
        weight_width = max(display_width(w) for row in weights for w in row)
        for j, row in enumerate(weights, start=1):
            target = label(symbol(Ref("a", l, j)))
            bias = _valued(trace, label, Ref("b", l, j))
            for k, (source, weight) in enumerate(zip(sources, row, strict=True), start=1):
                start = f"{pad(source, source_width)} ── {pad(weight, weight_width)} ──"
                if k == len(sources):
                    joint = "───▶" if len(sources) == 1 else "┴──▶"
                    lines.append(f"{start}{joint} {target}   {bias}")
                else:
                    lines.append(start + ("┐" if k == 1 else "┤"))
        if l < spec.depth:
            lines.append("")
    return tuple(lines)
