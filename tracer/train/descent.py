"""Gradient descent over many steps: the update w′ = w − η ∂C/∂w (or an optimizer's), repeated, in NumPy.

Every step is the step of the worked example (:func:`tracer.trace`), done on the whole batch at
once with :class:`tracer.evaluate.Network` (its forward pass, BP1–BP4 and its loss): no equation is
written a second time here, and nothing symbolic runs per step. A batch of n samples is one
matrix with a row per sample, and its cost is the lecture's average C = 1/n Σₓ Cₓ. An optimizer
other than plain descent takes its step with the strategy object of :mod:`tracer.optimizers`,
the one the worked example's values come from.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from tracer.errors import UsageError
from tracer.evaluate import Network
from tracer.ids import Ref
from tracer.optimizers import OptimizerSpec
from tracer.spec import NetworkSpec

Array = np.ndarray
Progress = Callable[[int], None]


@dataclass(frozen=True, eq=False)
class History:
    """Return-free record of one run of gradient descent.

    ``losses[k]`` is the batch cost C after k steps (k = 0 is the start) and
    ``gradient_norms[k]`` the length ‖∇C‖ of its gradient there; ``watched[k]`` holds the watched
    parameters after k steps. A run that meets a number float64 cannot hold (inf or nan) stops
    there: its arrays are shorter and ``stopped`` is True.
    """

    rate: float
    losses: Array
    gradient_norms: Array
    watched: Array
    weights: tuple[Array, ...]
    biases: tuple[Array, ...]
    stopped: bool
    optimizer: OptimizerSpec = field(default_factory=OptimizerSpec)


def data(spec: NetworkSpec) -> tuple[Array, Array]:
    """Return the inputs and the targets as matrices with one row per sample.

    For the ``xor`` preset these are 4×2 and 4×1.
    """
    x = np.array([s.x for s in spec.samples], dtype=float)
    y = np.array([s.y for s in spec.samples], dtype=float)
    return x, y


def batch_order(n: int, size: int, steps: int, seed: int | None) -> tuple[Array, ...]:
    """Return the rows of the samples each step uses: consecutive slices of 0 … n−1, epoch after epoch.

    With a seed the samples are shuffled afresh every epoch, reproducibly.
    ``batch_order(4, 2, 3, None)`` is ``([0, 1], [2, 3], [0, 1])`` (as arrays).
    """
    rng = None if seed is None else np.random.default_rng(seed)
    order: list[Array] = []
    while len(order) < steps:
        epoch = np.arange(n) if rng is None else rng.permutation(n)
        order.extend(epoch[i : i + size] for i in range(0, n, size))
    return tuple(order[:steps])


def parameter(network: Network, ref: Ref) -> tuple[Array, tuple[int, ...]]:
    """Return the array holding a weight ``W[l][j][k]`` or bias ``b[l][j]``, and its index there."""
    if ref.kind == "W":
        return network.weights[ref.l - 1], (ref.j - 1, ref.k - 1)
    return network.biases[ref.l - 1], (ref.j - 1,)


def check_parameter(spec: NetworkSpec, ref: Ref | None, text: str, field: str) -> Ref:
    """Return ``ref`` if it names a weight or bias of the spec's network; else a UsageError."""
    example = "e.g. W[1][1][1] or b[1][1]"
    if ref is None or ref.kind not in ("W", "b") or ref.sample is not None:
        raise UsageError(field, f'"{text}" is not a weight or bias id; {example}')
    layers = spec.layers
    inside = 1 <= ref.l < len(layers) and 1 <= ref.j <= layers[ref.l]
    if ref.kind == "W":
        inside = inside and 1 <= ref.k <= layers[ref.l - 1]
    if not inside:
        raise UsageError(field, f"{text} is not in this {'-'.join(map(str, layers))} network; {example}")
    return ref


def _cost(network: Network, y: Array, a: Array) -> float:
    """Return the batch cost 1/n Σₓ Cₓ for outputs ``a`` (one row per sample); inf if it overflows."""
    return float(network.cost.value(y, a).sum()) / len(y)


def _gradient(network: Network, x: Array, y: Array, masks: tuple[list, list] | None) -> tuple:
    """Return the outputs, ∂C/∂W and ∂C/∂b of a batch (rows of x and y), masked if asked."""
    zs, acts = network.forward(x)
    grad_w, grad_b = network.gradient(network.backward(y, zs, acts)[2], acts)
    if masks is not None:
        grad_w = [g * m for g, m in zip(grad_w, masks[0], strict=True)]
        grad_b = [g * m for g, m in zip(grad_b, masks[1], strict=True)]
    return acts[-1], grad_w, grad_b


def _masks(spec: NetworkSpec, network: Network, free: Sequence[Ref] | None) -> tuple[list, list] | None:
    """Return 0/1 arrays marking the parameters a step may change, or None when all of them may."""
    if free is None and spec.update_biases:
        return None
    if free is None:
        return [np.ones_like(W) for W in network.weights], [np.zeros_like(b) for b in network.biases]
    masks = Network(
        tuple(np.zeros_like(W) for W in network.weights),
        tuple(np.zeros_like(b) for b in network.biases),
        network.g,
        network.cost,
    )
    for ref in free:
        if ref.kind == "W" or spec.update_biases:
            array, index = parameter(masks, ref)
            array[index] = 1.0
    return list(masks.weights), list(masks.biases)


@np.errstate(over="ignore", invalid="ignore", divide="ignore")  # a non-finite loss ends the run
def descend(
    spec: NetworkSpec,
    rate: float,
    steps: int,
    batches: Sequence[Array] | None = None,
    watch: Sequence[Ref] = (),
    free: Sequence[Ref] | None = None,
    progress: Progress | None = None,
    optimizer: OptimizerSpec | None = None,
) -> History:
    """Return the history of ``steps`` steps of gradient descent with learning rate ``rate``.

    ``optimizer`` (default: the spec's) turns each gradient into the step; plain descent
    updates in place, w′ = w − η ∂C/∂w.

    ``batches`` gives the rows of each step's samples (None: every step uses the whole batch, the
    averaged cost of the lecture). ``free`` restricts the steps to those parameters, holding the
    others at their starting values. ``progress(k)`` is called now and then with the steps done.
    One full-batch step of the ``xor`` preset is exactly ``tracer.trace(load_spec("xor"))``.
    """
    network = Network.of(spec)  # fresh arrays, owned by this run: the steps update them in place
    optimizer = spec.optimizer if optimizer is None else optimizer
    strategy = None if optimizer.name == "gd" else optimizer.strategy()
    trained = list(network.weights) + (list(network.biases) if spec.update_biases else [])
    state: list = [None] * len(trained)
    x, y = data(spec)
    masks = _masks(spec, network, free)
    places = [parameter(network, ref) for ref in watch]
    losses, norms = np.empty(steps + 1), np.empty(steps + 1)
    watched = np.empty((steps + 1, len(places)))
    every = max(1, steps // 100)
    done = steps
    for k in range(steps + 1):
        a, grad_w, grad_b = _gradient(network, x, y, masks)
        losses[k] = _cost(network, y, a)
        grads = grad_w + grad_b
        norms[k] = math.sqrt(sum(map(np.vdot, grads, grads)))
        watched[k] = [array[index] for array, index in places]
        if not (math.isfinite(losses[k]) and math.isfinite(norms[k])) or k == steps:
            done = k
            break
        if batches is not None:
            _, grad_w, grad_b = _gradient(network, x[batches[k]], y[batches[k]], masks)
        if strategy is not None:
            if batches is not None:
                grads = grad_w + grad_b
            for i, (theta, g) in enumerate(zip(trained, grads, strict=False)):
                state[i] = strategy.step(theta, g, state[i], k + 1, rate)  # θ′ in place
        else:
            for W, g in zip(network.weights, grad_w, strict=True):
                W -= rate * g  # update: w′ = w − η ∂C/∂w
            if spec.update_biases:
                for b, g in zip(network.biases, grad_b, strict=True):
                    b -= rate * g  # update: b′ = b − η ∂C/∂b
        if progress is not None and (k + 1) % every == 0:
            progress(k + 1)
    end = done + 1
    for array in (losses, norms, watched, *network.weights, *network.biases):
        array.flags.writeable = False
    return History(
        rate=rate,
        losses=losses[:end],
        gradient_norms=norms[:end],
        watched=watched[:end],
        weights=network.weights,
        biases=network.biases,
        stopped=done < steps,
        optimizer=optimizer,
    )


@np.errstate(over="ignore", invalid="ignore", divide="ignore")
def costs_at(spec: NetworkSpec, refs: Sequence[Ref], points: Array, chunk: int = 1024) -> Array:
    """Return the batch cost C at each row of ``points``: values for ``refs``, the rest as in the spec.

    The points are evaluated ``chunk`` at a time as one stack of networks (one forward pass).
    For the ``basins`` preset, ``costs_at(spec, [Ref("W", 1, 1, 1)], np.array([[-3.1]]))`` is
    about ``[0.0625]``.
    """
    base = Network.of(spec)
    x, y = data(spec)
    costs = np.empty(len(points))
    for start in range(0, len(points), chunk):
        part = points[start : start + chunk]
        size = len(part)
        # Network.forward takes a @ W.T: a stack of P matrices n×m goes in as one n×m×P array,
        # whose transpose is the P×m×n stack of the Wᵀ; the biases as P×1×n. Both broadcast
        # over the samples, and a becomes P×samples×n.
        weights = [np.repeat(W[..., np.newaxis], size, axis=-1) for W in base.weights]
        biases = [np.repeat(b[np.newaxis, np.newaxis], size, axis=0) for b in base.biases]
        for i, ref in enumerate(refs):
            if ref.kind == "W":
                weights[ref.l - 1][ref.j - 1, ref.k - 1, :] = part[:, i]
            else:
                biases[ref.l - 1][:, 0, ref.j - 1] = part[:, i]
        stack = Network(tuple(weights), tuple(biases), base.g, base.cost)
        a = stack.forward(x)[1][-1]  # one row of outputs per sample, for each network of the stack
        costs[start : start + size] = stack.cost.value(y, a).sum(axis=(-1, -2)) / len(y)
    return costs
