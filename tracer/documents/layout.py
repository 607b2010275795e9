"""Where each weight's label goes on its edge: boxes that overlap nothing, found like a sudoku.

A label is a box centred on its own edge and turned along it. Each edge has a few dozen
possible spots (fractions of the way along the line); a spot is possible when its box keeps
clear of the neurons' circles, the fixed boxes (bias labels) and the top and bottom of the
picture. Each possible spot has a cost: the other edges its box would cover (a white box hides
them there), then its distance from the edge's preferred spot. Then the edge with the fewest
possible spots left takes its cheapest one, the spots of the other edges that its box would
touch are struck out, and so on until every edge has its label or one has no spot left.

Units are the picture's (SVG pixels, y downwards); angles are degrees clockwise, as in SVG.
The spots of all edges are rows of NumPy arrays, so that each step is a few array operations.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import NamedTuple

import numpy as np

CLEARANCE = 4.0  # the least distance between two boxes, or from a box to a circle
CROSSING = 0.2  # the cost of covering another edge, in fractions of an edge's length
SPOTS = np.arange(4, 37) / 40  # where a label may sit: fractions of its edge's length


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
        return round(self.x - self.width / 2, 2)

    @property
    def top(self) -> float:
        """Return the y of the unrotated box's top side."""
        return round(self.y - self.height / 2, 2)


class Line(NamedTuple):
    """Return-free straight edge from (x1, y1) to (x2, y2)."""

    x1: float
    y1: float
    x2: float
    y2: float


class Circle(NamedTuple):
    """Return-free neuron: centre and radius."""

    x: float
    y: float
    radius: float


class _Boxes:
    """Many boxes as arrays: centres ``x``, ``y``, axes ``(ux, uy)`` along and ``(-uy, ux)``
    across, half sizes ``a`` (along) and ``b`` (across)."""

    def __init__(self, x: np.ndarray, y: np.ndarray, angle: np.ndarray, a: np.ndarray, b: np.ndarray) -> None:
        radians = np.radians(angle)
        self.x, self.y, self.ux, self.uy, self.a, self.b = x, y, np.cos(radians), np.sin(radians), a, b

    def take(self, rows: np.ndarray) -> _Boxes:
        """Return the boxes of some rows."""
        taken = _Boxes.__new__(_Boxes)
        taken.x, taken.y, taken.ux, taken.uy = self.x[rows], self.y[rows], self.ux[rows], self.uy[rows]
        taken.a, taken.b = self.a[rows], self.b[rows]
        return taken

    def relative(self, px: np.ndarray, py: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return point i (N) in box i's own coordinates: along and across, each N."""
        dx, dy = px - self.x, py - self.y
        return dx * self.ux + dy * self.uy, dy * self.ux - dx * self.uy

    def local(self, px: np.ndarray, py: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return points (K) in each box's own coordinates: along and across, each N×K."""
        dx, dy = px[None, :] - self.x[:, None], py[None, :] - self.y[:, None]
        ux, uy = self.ux[:, None], self.uy[:, None]
        return dx * ux + dy * uy, dy * ux - dx * uy

    def near(self, circles: Sequence[Circle]) -> np.ndarray:
        """Return, per box, whether it comes within the clearance of a circle."""
        along, across = self.local(np.array([c.x for c in circles]), np.array([c.y for c in circles]))
        dx = np.maximum(np.abs(along) - self.a[:, None], 0.0)
        dy = np.maximum(np.abs(across) - self.b[:, None], 0.0)
        reach = np.array([c.radius for c in circles]) + CLEARANCE
        return (dx * dx + dy * dy < reach * reach).any(axis=1)

    def crossings(self, lines: np.ndarray, own: np.ndarray) -> np.ndarray:
        """Return, per box, how many of the lines (rows x1, y1, x2, y2) pass through it, not
        counting the line ``own[i]`` that box i sits on (Liang–Barsky clipping).

        Only the pairs whose line passes within half the box's diagonal of its centre are clipped.
        """
        sx, sy, ex, ey = (lines[:, i][None, :] for i in range(4))
        length = np.hypot(ex - sx, ey - sy)
        reach = np.hypot(self.a, self.b)[:, None]
        off_line = np.abs((ex - sx) * (self.y[:, None] - sy) - (ey - sy) * (self.x[:, None] - sx))
        near = off_line < reach * length
        near[np.arange(len(own)), own] = False
        box, line = np.nonzero(near)
        pairs = self.take(box)
        x1, y1 = pairs.relative(lines[line, 0], lines[line, 1])
        x2, y2 = pairs.relative(lines[line, 2], lines[line, 3])
        a, b = pairs.a, pairs.b
        low, high = np.zeros_like(x1), np.ones_like(x1)
        missed = np.zeros(x1.shape, dtype=bool)
        dx, dy = x2 - x1, y2 - y1
        for p, q in ((-dx, x1 + a), (dx, a - x1), (-dy, y1 + b), (dy, b - y1)):
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = q / p
            missed |= (p == 0) & (q < 0)
            low = np.where(p < 0, np.maximum(low, ratio), low)
            high = np.where(p > 0, np.minimum(high, ratio), high)
        return np.bincount(box[(low < high) & ~missed], minlength=len(own))

    def touching(self, box: Box) -> np.ndarray:
        """Return, per box, whether it comes within the clearance of ``box``.

        Separating axis theorem: two boxes are apart when their shadows on one of the four
        axes (two sides of each) do not meet; each box is grown by half the clearance.
        """
        angle = np.radians(box.angle)
        ux, uy = np.cos(angle), np.sin(angle)
        a, b = box.width / 2 + CLEARANCE / 2, box.height / 2 + CLEARANCE / 2
        mine_a, mine_b = self.a + CLEARANCE / 2, self.b + CLEARANCE / 2
        dx, dy = self.x - box.x, self.y - box.y
        touching = np.ones(len(self.x), dtype=bool)
        for ax, ay in ((self.ux, self.uy), (-self.uy, self.ux), (ux, uy), (-uy, ux)):
            reach = mine_a * np.abs(self.ux * ax + self.uy * ay) + mine_b * np.abs(
                self.ux * ay - self.uy * ax
            )
            reach = reach + a * np.abs(ux * ax + uy * ay) + b * np.abs(ux * ay - uy * ax)
            touching &= np.abs(dx * ax + dy * ay) < reach
        return touching


def place(
    lines: Mapping[Hashable, Line],
    widths: Mapping[Hashable, float],
    preferred: Mapping[Hashable, float],
    circles: Sequence[Circle],
    fixed: Sequence[Box],
    height: float,
    top: float,
    bottom: float,
    crowded: bool = False,
) -> dict[Hashable, tuple[float, Box]] | None:
    """Return each edge's label spot (the fraction of the way along its line) and box, or None
    when some label has no spot left; ``crowded``, such a label takes its cheapest spot all the
    same (or the middle of its line), overlapping what it must.

    ``widths`` and ``preferred`` give each label's width and preferred fraction; every box is
    ``height`` high and lies between ``top`` and ``bottom``; ``fixed`` are boxes already there.
    """
    keys = list(lines)
    ends = np.array([lines[key] for key in keys], dtype=float)
    length = np.hypot(ends[:, 2] - ends[:, 0], ends[:, 3] - ends[:, 1])
    angle = np.round(np.degrees(np.arctan2(ends[:, 3] - ends[:, 1], ends[:, 2] - ends[:, 0])), 3)
    width = np.array([widths[key] for key in keys])
    # One row per edge and spot.
    edge = np.repeat(np.arange(len(keys)), len(SPOTS))
    at = np.tile(SPOTS, len(keys))
    x = np.round(ends[edge, 0] + at * (ends[edge, 2] - ends[edge, 0]), 2)
    y = np.round(ends[edge, 1] + at * (ends[edge, 3] - ends[edge, 1]), 2)
    boxes = _Boxes(x, y, angle[edge], width[edge] / 2, np.full(len(edge), height / 2))
    vertical = boxes.a * np.abs(boxes.uy) + boxes.b * np.abs(boxes.ux)
    margin = width[edge] / 2 + CLEARANCE
    alive = (at * length[edge] >= margin) & ((1 - at) * length[edge] >= margin)
    alive &= (y - vertical >= top) & (y + vertical <= bottom) & ~boxes.near(circles)
    for box in fixed:
        alive &= ~boxes.touching(box)
    # Only the possible spots are priced and kept, each edge's cheapest first; among equals
    # the spot nearest the start.
    rows = np.flatnonzero(alive)
    crossings = boxes.take(rows).crossings(ends, edge[rows])
    distance = np.abs(at[rows] - np.array([preferred[k] for k in keys])[edge[rows]])
    cost = np.round(CROSSING * crossings + distance, 6)
    rows = rows[np.lexsort((at[rows], cost, edge[rows]))]
    edge, at, boxes = edge[rows], at[rows], boxes.take(rows)
    alive = np.ones(len(rows), dtype=bool)
    chosen: dict[Hashable, tuple[float, Box]] = {}
    open_edges = np.ones(len(keys), dtype=bool)
    while open_edges.any():
        left = np.bincount(edge[alive], minlength=len(keys))
        e = int(np.flatnonzero(open_edges)[np.argmin(left[open_edges])])
        if left[e] == 0 and not crowded:
            return None
        spots = np.flatnonzero((alive if left[e] else np.ones_like(alive)) & (edge == e))
        if len(spots):
            row = int(spots[0])
            box = Box(float(boxes.x[row]), float(boxes.y[row]), float(width[e]), height, float(angle[e]))
            chosen[keys[e]] = (float(at[row]), box)
        else:
            x1, y1, x2, y2 = ends[e]
            middle = Box(
                round((x1 + x2) / 2, 2), round((y1 + y2) / 2, 2), float(width[e]), height, float(angle[e])
            )
            chosen[keys[e]] = (0.5, middle)
            box = middle
        open_edges[e] = False
        alive &= edge != e
        rest = np.flatnonzero(alive)
        alive[rest[boxes.take(rest).touching(box)]] = False
    return {key: chosen[key] for key in keys}
