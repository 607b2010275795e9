"""The foggy mountain: the cost as a function of one or two weights, and the path descent takes on it.

The cost of a network depends on all its parameters; to draw it, one or two are chosen and the
others are held at their starting values. Each path is the training run itself: where the chosen
parameters went, step by step (nothing is run again for the picture). When the chosen parameters
are the only ones that train, every point of a path lies on the surface drawn; when others train
too, the surface is the one the run started on, and a path's heights are the run's own costs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from tracer.evaluate import Network
from tracer.ids import Ref
from tracer.spec import NetworkSpec
from tracer.train.descent import Array, History, costs_at, parameter
from tracer.train.verdict import CONVERGED, TOO_SLOW, Verdict

GRID_1D = 401  # points along the curve of one weight
GRID_2D = 81  # points along each side of the map of two weights
REACH = 25.0  # the picture shows at most this far from the start along each axis
NEAR = 0.02  # a path ends in a valley when it stops within 2 % of the drawn range of it


@dataclass(frozen=True, eq=False)
class Path:
    """Return-free path of one run: the chosen parameters and the cost after each step.

    ``verdict`` is the run's own (the same object the loss curves show); ``leaves`` is the first
    step whose point lies outside the picture, or None when the whole path is inside it.
    """

    rate: float
    points: Array  # (steps + 1) × number of chosen parameters
    losses: Array
    verdict: Verdict
    valley: int | None = None  # one parameter: the index in Landscape.valleys of the valley it ends in
    label: str = ""  # the run's optimizer, e.g. "adam"; empty when every run uses plain descent
    leaves: int | None = None


@dataclass(frozen=True, eq=False)
class Landscape:
    """Return-free picture of the descent: the cost over a grid of the chosen parameters, and paths.

    ``axes`` holds the grid values of each parameter in ``refs``; ``costs`` is the cost on that
    grid (a vector for one parameter; for two, a matrix whose row i belongs to ``axes[1][i]``).
    ``held`` is True when other parameters train too and are held here at their start values.
    ``valleys`` (one parameter only) are the local minima of the drawn curve, lowest first, as
    (parameter, cost) pairs read off the grid.
    """

    refs: tuple[Ref, ...]
    axes: tuple[Array, ...]
    costs: Array
    paths: tuple[Path, ...]
    held: bool
    log_scale: bool
    valleys: tuple[tuple[float, float], ...] = ()


def trainable(spec: NetworkSpec) -> tuple[Ref, ...]:
    """Return every parameter a step changes: all weights, and the biases unless they are frozen."""
    refs = []
    for l in range(1, len(spec.layers)):
        for j in range(1, spec.layers[l] + 1):
            refs.extend(Ref("W", l, j, k) for k in range(1, spec.layers[l - 1] + 1))
            if spec.update_biases:
                refs.append(Ref("b", l, j))
    return tuple(refs)


def default_watch(spec: NetworkSpec) -> tuple[Ref, ...]:
    """Return the parameters watched unless told otherwise: two weights into the first output neuron.

    For the ``xor`` preset that is ``W[2][1][1]`` and ``W[2][1][2]``. If the last layer has one
    input, the first weight of the first and of the last layer; the ``basins`` preset, whose only
    trainable parameter is its weight, gets that weight alone.
    """
    if spec.layers[-2] > 1:
        return (Ref("W", spec.depth, 1, 1), Ref("W", spec.depth, 1, 2))
    if spec.depth > 1:
        return (Ref("W", 1, 1, 1), Ref("W", spec.depth, 1, 1))
    return trainable(spec)[:2]


def landscape(
    spec: NetworkSpec,
    refs: Sequence[Ref],
    runs: Sequence[History],
    verdicts: Sequence[Verdict],
    labels: Sequence[str] | None = None,
) -> Landscape:
    """Return the cost around the start over ``refs`` and the path of each run on it.

    ``runs`` must watch exactly ``refs``; ``verdicts`` are theirs; ``labels`` name their
    optimizers when they differ. The grid covers the start and the paths that converged or were
    too slow; a path that diverges or oscillates may leave the picture (its ``leaves`` says where).
    """
    refs = tuple(refs)
    held = set(trainable(spec)) != set(refs)
    labels = labels or [""] * len(runs)
    paths = [
        Path(run.rate, run.watched, run.losses, verdict, label=label)
        for run, verdict, label in zip(runs, verdicts, labels, strict=True)
    ]
    network = Network.of(spec)
    size = GRID_1D if len(refs) == 1 else GRID_2D
    calm = [p for p in paths if p.verdict.kind in (CONVERGED, TOO_SLOW)] or paths
    axes = []
    for i, ref in enumerate(refs):
        array, index = parameter(network, ref)
        axes.append(_axis(float(array[index]), [p.points[:, i] for p in calm], size))
    if len(refs) == 1:
        costs = costs_at(spec, refs, axes[0][:, None])
    else:
        grid = np.array([(u, v) for v in axes[1] for u in axes[0]])
        costs = costs_at(spec, refs, grid).reshape(len(axes[1]), len(axes[0]))
    finite = costs[np.isfinite(costs) & (costs > 0)]
    log_scale = bool(finite.size) and float(finite.max()) >= 100 * float(finite.min())
    for array in (*axes, costs):
        array.flags.writeable = False
    valleys = _valleys(axes[0], costs) if len(refs) == 1 else ()
    paths = [replace(p, leaves=_leaves(p.points, axes)) for p in paths]
    if valleys:
        near = NEAR * (axes[0][-1] - axes[0][0])
        paths = [replace(p, valley=_nearest(valleys, p.points[-1, 0], near)) for p in paths]
    return Landscape(refs, tuple(axes), costs, tuple(paths), held, log_scale, valleys)


def _leaves(points: Array, axes: list[Array]) -> int | None:
    """Return the first step whose point lies outside the grid (or is not a number), or None."""
    outside = np.zeros(len(points), dtype=bool)
    for i, axis in enumerate(axes):
        column = points[:, i]
        outside |= ~np.isfinite(column) | (column < axis[0]) | (column > axis[-1])
    hits = np.flatnonzero(outside)
    return int(hits[0]) if hits.size else None


def _nearest(valleys: tuple[tuple[float, float], ...], end: float, near: float) -> int | None:
    """Return the index of the valley within ``near`` of ``end``, or None."""
    distances = [abs(w - end) for w, _ in valleys]
    best = int(np.argmin(distances))
    return best if distances[best] <= near else None


def _valleys(axis: Array, costs: Array) -> tuple[tuple[float, float], ...]:
    """Return the grid points lower than both neighbours, lowest cost first."""
    inner = np.flatnonzero((costs[1:-1] < costs[:-2]) & (costs[1:-1] < costs[2:])) + 1
    return tuple(sorted(((float(axis[i]), float(costs[i])) for i in inner), key=lambda v: v[1]))


def _axis(start: float, tracks: list[Array], size: int) -> Array:
    """Return grid values covering the start and every finite point of the paths, with a margin."""
    values = np.concatenate([[start], *[t[np.isfinite(t)] for t in tracks]])
    values = np.clip(values, start - REACH, start + REACH)
    low, high = float(values.min()), float(values.max())
    margin = max(0.25 * (high - low), 0.5)
    return np.linspace(low - margin, high + margin, size)
