"""The network as a picture: where each neuron, weight and bias label goes.

One geometry serves the SVG beside a Markdown file and the TikZ picture in LaTeX (units are SVG
pixels; TikZ divides them by ``PER_CM`` and scales the whole picture down to fit a page). The
terminal gets a compact text drawing instead, one fan-in per neuron. Labels are printed by the
caller's style, so they are LaTeX for TikZ and Unicode for SVG and the terminal.

Each weight's label is written along its own edge, on the line, on a white box that interrupts
the line: the text runs in the edge's direction, so it cannot be read as another edge's label,
and no line crosses it. Where along the edge it goes is chosen edge by edge (:func:`_place`):
the free spot nearest the edge's preferred spot, avoiding the boxes already placed, the neurons
and the bias labels, and crossing as few other edges as it can. When a gap between two layers
has no free spot left for a label, the gap is widened and the labels placed again.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import NamedTuple

import sympy as sp

from tracer.derive import symbol
from tracer.display import Equals
from tracer.i18n import N_, _
from tracer.ids import Ref
from tracer.printing import MathPrinter, shown_number
from tracer.trace import Trace

COLUMN = 300.0  # the narrowest distance between layers; widened by WIDEN until the labels fit
WIDEN = 40.0
WIDEST = 1200.0
ROW = 90.0  # distance between neurons of a layer
RADIUS = 26.0
MARGIN = 60.0
TOP = 56.0  # room for the layer captions
BOTTOM = 40.0  # room for the last bias label
PER_CM = 50.0
PAGE_CM = (17.0, 22.0)  # the most a TikZ picture may take of an A4 page with 2 cm margins
LABEL_SIZE = 11.0  # font size of the weight and bias labels, pixels
LABEL_HEIGHT = 15.0  # the white box of a label: the text's height and a little air
PAD = 3.0  # air left and right of a label's text in its box
CLEARANCE = 4.0  # the least distance from a label's box to a neuron's circle or another label
POINTS_PER_CM = 72.27 / 2.54  # TeX points

# Advance widths in DejaVu Sans (the SVG's font), in ems, rounded up and grouped: a character
# not listed counts as a full em, so a label's box is never narrower than its text.
_WIDTHS = (
    (0.34, " .·ijlIJᵢⱼₗₜ⁽⁾/"),
    (0.45, "f-()trₐₑₒₓₕₖₗₘₙₚₛ⁰¹²³⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉"),
    (0.53, "sz⁺⁻"),
    (0.66, "0123456789abcdeghknopquvxyαβγδεηθλμνπρστφχψ"),
    (0.84, "−=+×ABCDEFGHKLNOPQRSTUVXYZΘ"),
)
_EM = {char: width for width, chars in _WIDTHS for char in chars}

ROLES = {"input": N_("input"), "hidden": N_("hidden"), "output": N_("output")}

Printer = Callable[[sp.Expr], str]


class Column(NamedTuple):
    """Return-free caption of one layer: its centre x, role, caption (the role in the reader's
    language) and activation (None for the input)."""

    x: float
    role: str
    caption: str
    activation: str | None
    size: int


class Box(NamedTuple):
    """Return-free white box of a label: centre, size and rotation (degrees clockwise, as in SVG).

    ``left`` and ``top`` are the corner of the unrotated box, for an SVG ``<rect>``.
    """

    x: float
    y: float
    width: float
    height: float
    angle: float

    @property
    def left(self) -> float:
        """Return the x of the unrotated box's left side."""
        return self.x - self.width / 2

    @property
    def top(self) -> float:
        """Return the y of the unrotated box's top side."""
        return self.y - self.height / 2


class Node(NamedTuple):
    """Return-free neuron: centre, label (its activation's symbol), bias label and its box
    (both None for inputs)."""

    x: float
    y: float
    label: str
    bias: str | None
    bias_box: Box | None


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


class Diagram(NamedTuple):
    """Return-free picture of a network, in SVG pixels (y grows downwards).

    ``scale`` shrinks the TikZ picture to fit a page (1 when it fits); ``label_size`` is the
    labels' font size in pixels and ``label_points`` the same size in TeX points.
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
    57.2
    """
    return size * sum(_EM.get(char, 1.0) for char in text)


def _valued(trace: Trace, label: Printer, ref: Ref) -> str:
    """Return the label ``w₅ = 0.4`` of a given parameter: its symbol equal to its value."""
    return label(Equals(symbol(ref), shown_number(trace.values[ref])))


def diagram(trace: Trace, label: Printer) -> Diagram:
    """Return the geometry of the network of ``trace``, labels printed with ``label``.

    The geometry does not depend on ``label``: boxes are measured on the Unicode labels (in
    the default number format), which are at least as wide as the LaTeX ones. For Mazur's
    2-2-2 network that is 6 nodes and 8 edges, 720 pixels wide.
    """
    spec = trace.spec
    layers, L = spec.layers, spec.depth
    measured = MathPrinter(trace.naming, minus="\N{MINUS SIGN}").text
    tallest = max(layers)

    def y(l: int, j: int) -> float:
        return TOP + RADIUS + (tallest - layers[l]) * ROW / 2 + (j - 1) * ROW

    centres = [[y(l, j) for j in range(1, layers[l] + 1)] for l in range(L + 1)]
    biases = [
        [_bias_box(0.0, c, text_width(_valued(trace, measured, Ref("b", l, j)))) for j, c in enumerate(centres[l], 1)]
        if l
        else []
        for l in range(L + 1)
    ]
    height = TOP + 2 * RADIUS + (tallest - 1) * ROW + BOTTOM
    x = [MARGIN]
    placements = []
    for l in range(1, L + 1):
        widths = [
            [text_width(_valued(trace, measured, Ref("W", l, j, k))) + 2 * PAD for k in range(1, layers[l - 1] + 1)]
            for j in range(1, layers[l] + 1)
        ]
        gap, placed = COLUMN, None
        while placed is None:
            obstacles = [*biases[l - 1], *(box._replace(x=gap) for box in biases[l])]
            placed = _place(centres[l - 1], centres[l], gap, widths, obstacles, height)
            if placed is None and gap >= WIDEST:
                raise ValueError(f"no room for the weight labels of layer {l}")
            gap += WIDEN
        placements.append(placed)
        x.append(x[-1] + gap - WIDEN)
    columns = tuple(
        Column(x[l], role(l, L), _(ROLES[role(l, L)]), None if l == 0 else spec.activations[l - 1], layers[l])
        for l in range(L + 1)
    )
    nodes = []
    for l in range(L + 1):
        for j, centre in enumerate(centres[l], start=1):
            bias = None if l == 0 else _valued(trace, label, Ref("b", l, j))
            box = biases[l][j - 1]._replace(x=x[l]) if l else None
            nodes.append(Node(x[l], centre, label(symbol(Ref("a", l, j))), bias, box))
    edges = []
    for l, placed in enumerate(placements, start=1):
        for (j, k, (x1, y1, x2, y2), at, box) in placed:
            edges.append(
                Edge(
                    x[l - 1] + x1,
                    y1,
                    x[l - 1] + x2,
                    y2,
                    _valued(trace, label, Ref("W", l, j, k)),
                    box._replace(x=x[l - 1] + box.x),
                    at,
                )
            )
    width = x[-1] + MARGIN
    scale = min(1.0, PAGE_CM[0] * PER_CM / width, PAGE_CM[1] * PER_CM / height)
    return Diagram(
        width,
        height,
        RADIUS,
        PER_CM,
        round(scale, 3),
        LABEL_SIZE,
        round(LABEL_SIZE / PER_CM * POINTS_PER_CM, 2),
        columns,
        tuple(nodes),
        tuple(edges),
    )


def _bias_box(x: float, y: float, width: float) -> Box:
    """Return the box of a bias label under the neuron centred at (x, y)."""
    return Box(x, y + RADIUS + 4 + LABEL_HEIGHT / 2, round(width + 2 * PAD, 1), LABEL_HEIGHT, 0.0)


class _Frame(NamedTuple):
    """A rotated box as its centre, unit axes, half sizes and reach (half its diagonal: nothing
    farther from the centre can touch it), for overlap tests."""

    cx: float
    cy: float
    ux: float
    uy: float
    half_width: float
    half_height: float
    reach: float

    @classmethod
    def of(cls, box: Box) -> _Frame:
        angle = math.radians(box.angle)
        half_width, half_height = box.width / 2, box.height / 2
        reach = math.hypot(half_width, half_height)
        return cls(box.x, box.y, math.cos(angle), math.sin(angle), half_width, half_height, reach)

    def local(self, px: float, py: float) -> tuple[float, float]:
        """Return a point in the box's own coordinates (along, across)."""
        dx, dy = px - self.cx, py - self.cy
        return dx * self.ux + dy * self.uy, -dx * self.uy + dy * self.ux

    def radius_along(self, ax: float, ay: float) -> float:
        """Return half the box's extent along the unit direction (ax, ay)."""
        return self.half_width * abs(self.ux * ax + self.uy * ay) + self.half_height * abs(
            -self.uy * ax + self.ux * ay
        )

    def overlaps(self, other: _Frame) -> bool:
        """Return True when two boxes overlap (separating axis theorem)."""
        dx, dy = other.cx - self.cx, other.cy - self.cy
        if dx * dx + dy * dy >= (self.reach + other.reach) ** 2:
            return False
        for ax, ay in ((self.ux, self.uy), (-self.uy, self.ux), (other.ux, other.uy), (-other.uy, other.ux)):
            if abs(dx * ax + dy * ay) >= self.radius_along(ax, ay) + other.radius_along(ax, ay):
                return False
        return True

    def near_circle(self, px: float, py: float, radius: float) -> bool:
        """Return True when the box comes within ``radius`` of the point."""
        if (px - self.cx) ** 2 + (py - self.cy) ** 2 >= (self.reach + radius) ** 2:
            return False
        along, across = self.local(px, py)
        dx = max(abs(along) - self.half_width, 0.0)
        dy = max(abs(across) - self.half_height, 0.0)
        return dx * dx + dy * dy < radius * radius

    def crossed_by(self, segment: tuple[float, float, float, float]) -> bool:
        """Return True when a line segment passes through the box (Liang–Barsky clipping)."""
        sx, sy, ex, ey = segment
        # The distance from the centre to the segment's line, times the segment's length.
        if ((ex - sx) * (self.cy - sy) - (ey - sy) * (self.cx - sx)) ** 2 >= self.reach**2 * (
            (ex - sx) ** 2 + (ey - sy) ** 2
        ):
            return False
        x1, y1 = self.local(*segment[:2])
        x2, y2 = self.local(*segment[2:])
        low, high = 0.0, 1.0
        for start, change, half in ((x1, x2 - x1, self.half_width), (y1, y2 - y1, self.half_height)):
            for p, q in ((-change, start + half), (change, half - start)):
                if p == 0:
                    if q < 0:
                        return False
                elif p < 0:
                    low = max(low, q / p)
                else:
                    high = min(high, q / p)
        return low < high


def _grown(box: Box) -> Box:
    """Return a box grown by half the clearance on every side, so two grown boxes keep it apart."""
    return box._replace(width=box.width + CLEARANCE, height=box.height + CLEARANCE)


def _segment(x1: float, y1: float, x2: float, y2: float) -> tuple[float, float, float, float]:
    """Return the line of an edge: from the right side of one circle to the left side of the next.

    Leaving and entering at the sides, never below a circle, keeps every line off the bias
    label under each neuron.
    """
    return x1 + RADIUS, y1, x2 - RADIUS, y2


# Where a label may sit along its edge: fractions of the line outside the circles.
_SPOTS = tuple(i / 40 for i in range(4, 37))


def _place(
    sources: Sequence[float],
    targets: Sequence[float],
    gap: float,
    widths: Sequence[Sequence[float]],
    obstacles: Sequence[Box],
    height: float,
) -> list[tuple[int, int, tuple[float, float, float, float], float, Box]] | None:
    """Return each edge of one gap between layers with its label's spot and box, or None when
    some label finds no free spot. The source layer is at x = 0, the target layer at x = ``gap``.

    Edges are taken neuron by neuron of the target layer; each label goes to the free spot of
    least cost: the other edges its box would cover, then the distance from the edge's
    preferred spot, staggered by source so that the labels into one neuron spread along the
    fan instead of meeting where the lines meet.
    """
    segments = {
        (j, k): _segment(0.0, sy, gap, ty) for j, ty in enumerate(targets, 1) for k, sy in enumerate(sources, 1)
    }
    circles = [(0.0, sy) for sy in sources] + [(gap, ty) for ty in targets]
    fixed = [_Frame.of(_grown(box)) for box in obstacles]
    placed: list[_Frame] = []
    result = []
    m = len(sources)
    for (j, k), (x1, y1, x2, y2) in segments.items():
        length = math.hypot(x2 - x1, y2 - y1)
        angle = round(math.degrees(math.atan2(y2 - y1, x2 - x1)), 3)
        width = round(widths[j - 1][k - 1], 1)
        preferred = 0.5 if m == 1 else 0.3 + 0.4 * (k - 1) / (m - 1)
        others = [s for key, s in segments.items() if key != (j, k)]
        best = None
        for at in sorted(_SPOTS, key=lambda at: (abs(at - preferred), at)):
            if at * length < width / 2 + CLEARANCE or (1 - at) * length < width / 2 + CLEARANCE:
                continue
            box = Box(round(x1 + at * (x2 - x1), 2), round(y1 + at * (y2 - y1), 2), width, LABEL_HEIGHT, angle)
            frame = _Frame.of(box)
            half = frame.radius_along(0.0, 1.0)
            if box.y - half < TOP or box.y + half > height:
                continue
            if any(frame.near_circle(cx, cy, RADIUS + CLEARANCE) for cx, cy in circles):
                continue
            grown = _Frame.of(_grown(box))
            if any(grown.overlaps(other) for other in (*placed, *fixed)):
                continue
            # Spots come nearest the preferred one first: a later spot wins only by crossing fewer edges.
            limit = len(others) + 1 if best is None else best[0]
            crossings = 0
            for segment in others:
                crossings += frame.crossed_by(segment)
                if crossings >= limit:
                    break
            if crossings < limit:
                best = (crossings, at, box, grown)
                if crossings == 0:
                    break
        if best is None:
            return None
        _, at, box, grown = best
        placed.append(grown)
        result.append((j, k, (x1, y1, x2, y2), at, box))
    return result


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
