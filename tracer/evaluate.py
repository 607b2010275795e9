"""The numeric half: every value of one training step in float64, layer by layer with NumPy.

This is the matrix form of the same equations the derivation writes neuron by neuron
(Nielsen ch. 2): z = W a + b, a = g(z), δᴸ = ∇ₐC ⊙ g′(zᴸ) (BP1), δˡ = (Wˡ⁺¹)ᵀ δˡ⁺¹ ⊙ g′(zˡ) (BP2),
∂C/∂b = δ (BP3), ∂C/∂W = δ (aˡ⁻¹)ᵀ (BP4), W′ = W − η ∂C/∂W.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from tracer.activations import Activation
from tracer.errors import SpecError
from tracer.i18n import _
from tracer.ids import Ref
from tracer.losses import Loss
from tracer.optimizers import HYPER_ID
from tracer.printing import format_number
from tracer.spec import NetworkSpec

Array = np.ndarray


@dataclass(frozen=True)
class Network:
    """Return-free numeric view of a spec: weight matrices W[l-1] (n_l × n_{l-1}) and bias vectors."""

    weights: tuple[Array, ...]
    biases: tuple[Array, ...]
    g: tuple[Activation, ...]
    cost: Loss

    @classmethod
    def of(cls, spec: NetworkSpec) -> Network:
        """Return the arrays of a spec's parameters, activations and loss."""
        return cls(
            tuple(np.array(w, dtype=float) for w in spec.weights),
            tuple(np.array(b, dtype=float) for b in spec.biases),
            spec.g,
            spec.cost,
        )

    def forward(self, x: Array) -> tuple[list[Array], list[Array]]:
        """Return the lists z (None for the input) and a, layer 0 first, for one input x.

        ``x`` may also be a batch, one sample per row; then every z and a has one row per sample.
        """
        zs: list = [None]
        activations = [x]
        for W, b, g in zip(self.weights, self.biases, self.g, strict=True):
            z = activations[-1] @ W.T + b  # z = W a + b, written for a row a (or a batch of rows)
            zs.append(z)
            activations.append(g.forward(z))
        return zs, activations

    def cost_terms(self, y: Array, a: Array, field: str) -> Array:
        """Return C_j for each output, refusing ln(0) with a message instead of inf or nan."""
        terms = self.cost.value(y, a)
        if not np.all(np.isfinite(terms)):
            j = int(np.argmin(np.isfinite(terms))) + 1
            output = f"output a[{len(self.weights)}][{j}] is {a[j - 1]:g} in float64"
            if self.cost.uses_log and np.isfinite(a[j - 1]):
                raise SpecError(
                    field,
                    f"{output}, so the {self.cost.name} loss would need ln(0); use smaller weights or inputs",
                )
            if np.isfinite(a[j - 1]) and abs(y[j - 1]) > abs(a[j - 1]):  # the target overflows the cost
                message = _("the target y[{j}] = {y} makes the cost overflow float64; use a smaller target")
                raise SpecError(field, message.format(j=j, y=format_number(float(y[j - 1]), 6)))
            raise SpecError(field, f"{output}: the numbers overflow; use smaller weights or inputs")
        return terms

    def output_delta(self, y: Array, a: Array, slope_c: Array, slope_a: Array | None) -> Array:
        """Return δᴸ (BP1); softmax multiplies ∂C/∂a by its full Jacobian."""
        if not self.g[-1].is_softmax:
            return slope_c * slope_a
        if self.cost.name == "cross_entropy":
            return a - y  # targets add up to 1, checked with the spec
        return a * (slope_c - np.sum(a * slope_c, axis=-1, keepdims=True))

    def backward(self, y: Array, zs: list[Array], acts: list[Array]) -> tuple[list, list, list]:
        """Return ∂C/∂aˡ, the slopes g′(zˡ) and the errors δˡ (lists indexed by l; index 0 is None).

        One sample (vectors) or a batch (one sample per row): BP1 and BP2 are written only here.
        """
        L = len(self.weights)
        slope_c: list = [None] * (L + 1)
        slope_c[L] = self.cost.gradient(y, acts[L])
        slopes = [None] + [g.backward(z, a) for g, z, a in zip(self.g, zs[1:], acts[1:], strict=True)]
        deltas: list = [None] * (L + 1)
        deltas[L] = self.output_delta(y, acts[L], slope_c[L], slopes[L])  # BP1: δᴸ = ∇ₐC ⊙ g′(zᴸ)
        for l in range(L - 1, 0, -1):
            # ∂C/∂aˡ = (Wˡ⁺¹)ᵀ δˡ⁺¹, the sum over paths, written for a row δ (or a batch of rows)
            slope_c[l] = deltas[l + 1] @ self.weights[l]
            deltas[l] = slope_c[l] * slopes[l]  # BP2: δˡ = ∂C/∂aˡ ⊙ g′(zˡ)
        return slope_c, slopes, deltas

    @staticmethod
    def gradient(deltas: list[Array], acts: list[Array]) -> tuple[list[Array], list[Array]]:
        """Return ∂C/∂Wˡ and ∂C/∂bˡ for l = 1..L (list index l − 1), averaged over a batch's rows.

        For one sample (vectors) nothing is averaged: BP3 and BP4 are written only here.
        """
        grad_w, grad_b = [], []
        for delta, a in zip(deltas[1:], acts[:-1], strict=True):
            rows, inputs = (delta, a) if delta.ndim == 2 else (delta[np.newaxis], a[np.newaxis])
            grad_w.append(rows.T @ inputs / len(rows))  # BP4: ∂C/∂w_jk = a_k δ_j
            grad_b.append(rows.sum(axis=0) / len(rows))  # BP3: ∂C/∂b_j = δ_j
        return grad_w, grad_b


@np.errstate(over="ignore", invalid="ignore")  # an overflow is reported as a SpecError below
def evaluate(spec: NetworkSpec, steps: int = 1) -> dict[Ref, float]:
    """Return the value of every quantity of ``steps`` training steps, keyed by its Ref.

    For Mazur's preset, ``evaluate(spec)[Ref("a", 1, 1)]`` is 0.5932699921…; with ``steps`` > 1
    step t's quantities carry ``@t`` (``Ref("a", 1, 1, step=2)``), as in :func:`tracer.derive.derive`.
    """
    values: dict[Ref, float] = {Ref("eta"): spec.learning_rate}
    optimizer = spec.optimizer.strategy()
    for key in optimizer.takes:
        if key in dict(spec.optimizer.hyper) and (key != "dampening" or spec.optimizer.key[2]):
            values[Ref(HYPER_ID.get(key, key))] = spec.optimizer[key]
    net, state = Network.of(spec), None
    for t in range(1, steps + 1):
        net, state = _step(spec, net, optimizer, state, t, None if steps == 1 else t, values)
    return values


def _step(
    spec, net, optimizer, state, t: int, stamp: int | None, values: dict
) -> tuple[Network, list | None]:
    """Put the values of step t (refs suffixed ``@stamp``) into ``values``; return the updated
    network and the optimizer state of each parameter array (weights, then biases)."""
    L = spec.depth
    batch = len(spec.samples) > 1
    n = len(spec.samples)
    grad_w = [np.zeros_like(W) for W in net.weights]
    grad_b = [np.zeros_like(b) for b in net.biases]
    costs = []
    field = "samples[1]"  # the spec entry to blame if a value overflows float64

    def put(kind: str, l: int | None, array: Array, s: int | None) -> None:
        for index, v in np.ndenumerate(array):
            indices = [i + 1 for i in index]
            if kind in ("y", "C_term"):
                ref = Ref(kind, j=indices[0], sample=s)
            else:
                ref = Ref(kind, l, *indices, sample=s)
            if kind != "y" and not (kind == "a" and l == 0):
                ref = ref.at(stamp)
            if not np.isfinite(v):
                fix = "a smaller learning rate" if field == "learning_rate" else "smaller weights or inputs"
                raise SpecError(field, f"{ref} is {v:g} in float64: the numbers overflow; use {fix}")
            values[ref] = float(v) + 0.0  # adding 0.0 turns -0.0 into 0.0

    for l in range(1, L + 1):
        put("W", l, net.weights[l - 1], None)
        put("b", l, net.biases[l - 1], None)
    for number, sample in enumerate(spec.samples, start=1):
        s = number if batch else None
        field = f"samples[{number}]"
        x, y = np.array(sample.x), np.array(sample.y)
        zs, acts = net.forward(x)
        put("a", 0, x, s)
        put("y", None, y, s)
        for l in range(1, L + 1):
            put("z", l, zs[l], s)
            put("a", l, acts[l], s)
        terms = net.cost_terms(y, acts[L], f"samples[{number}]")
        put("C_term", None, terms, s)
        costs.append(float(np.sum(terms)))
        values[Ref("C", sample=s, step=stamp)] = costs[-1]

        slope_c, slopes, deltas = net.backward(y, zs, acts)  # BP1, BP2
        sample_w, sample_b = net.gradient(deltas, acts)  # BP3, BP4
        for l in range(L, 0, -1):
            put("dC/da", l, slope_c[l], s)
            if not net.g[l - 1].is_softmax:
                put("da/dz", l, slopes[l], s)
            put("delta", l, deltas[l], s)
            put("dC/dW", l, sample_w[l - 1], s)
            put("dC/db", l, sample_b[l - 1], s)
            grad_w[l - 1] += sample_w[l - 1] / n
            grad_b[l - 1] += sample_b[l - 1] / n

    eta = spec.learning_rate
    field = "learning_rate"
    for kind, value in optimizer.shared_values(t, eta).items():
        values[Ref(kind, step=stamp)] = value
    before = state or [None] * (2 * L)
    new_w = [W.copy() for W in net.weights]  # each step below turns its copy into W′
    new_b = [b.copy() for b in net.biases]
    stepped = [optimizer.step(W, g, b, t, eta) for W, g, b in zip(new_w, grad_w, before[:L], strict=True)]
    if spec.update_biases:
        stepped += [
            optimizer.step(b, g, s, t, eta) for b, g, s in zip(new_b, grad_b, before[L:], strict=True)
        ]
    for l in range(1, L + 1):
        if batch:
            put("dC/dW", l, grad_w[l - 1], None)
            put("dC/db", l, grad_b[l - 1], None)
        for kind, array in stepped[l - 1].items():
            put(kind, l, array, None)
        put("W'", l, new_w[l - 1], None)
        if spec.update_biases:
            for kind, array in stepped[L + l - 1].items():
                put(kind, l, array, None)
        put("b'", l, new_b[l - 1], None)
    if batch:
        values[Ref("C", step=stamp)] = float(np.mean(costs))
    try:
        values[Ref("C'", step=stamp)] = batch_cost(spec, new_w, new_b)
    except SpecError:
        message = _(
            "after the update with η = {eta}, the cost cannot be computed in float64 (it overflows "
            "or needs ln(0)); use a smaller learning rate"
        )
        raise SpecError("learning_rate", message.format(eta=format_number(eta, 6))) from None
    state = stepped + ([] if spec.update_biases else [None] * L)
    return Network(tuple(new_w), tuple(new_b), net.g, net.cost), state


@np.errstate(over="ignore", invalid="ignore")
def batch_cost(spec: NetworkSpec, weights: list[Array], biases: list[Array]) -> float:
    """Return the batch cost 1/n Σ_x C_x of the spec's samples under other parameters."""
    net = Network.of(spec)
    net = Network(tuple(weights), tuple(biases), net.g, net.cost)
    total = 0.0
    for number, sample in enumerate(spec.samples, start=1):
        _, acts = net.forward(np.array(sample.x))
        total += float(np.sum(net.cost_terms(np.array(sample.y), acts[-1], f"samples[{number}]")))
    return total / len(spec.samples)


def cost_after_update(spec: NetworkSpec, values: Mapping[Ref, float], step: int | None = None) -> float:
    """Return C′, the batch cost under the updated parameters W′ and b′ found in ``values``.

    ``values`` may be the trace's own or a student's; ``C'`` has no local formula, it is a
    whole forward pass with the new parameters (those of step ``step`` in a trace of several).
    """
    weights, biases = [], []
    for l in range(1, spec.depth + 1):
        rows = range(1, spec.layers[l] + 1)
        cols = range(1, spec.layers[l - 1] + 1)
        weights.append(np.array([[values[Ref("W'", l, j, k, step=step)] for k in cols] for j in rows]))
        biases.append(np.array([values[Ref("b'", l, j, step=step)] for j in rows]))
    return batch_cost(spec, weights, biases)
