"""The numeric half: every value of one training step in float64, layer by layer with NumPy.

This is the matrix form of the same equations the derivation writes neuron by neuron
(Nielsen ch. 2): z = W a + b, a = g(z), δᴸ = ∇ₐC ⊙ g′(zᴸ) (BP1), δˡ = (Wˡ⁺¹)ᵀ δˡ⁺¹ ⊙ g′(zˡ) (BP2),
∂C/∂b = δ (BP3), ∂C/∂W = δ (aˡ⁻¹)ᵀ (BP4), W′ = W − η ∂C/∂W.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tracer.activations import Activation, activation
from tracer.errors import SpecError
from tracer.ids import Ref
from tracer.losses import Loss
from tracer.losses import loss as find_loss
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
            tuple(activation(name, "", spec.leaky_relu_slope) for name in spec.activations),
            find_loss(spec.loss),
        )

    def forward(self, x: Array) -> tuple[list[Array], list[Array]]:
        """Return the lists z (None for the input) and a, layer 0 first, for one input x."""
        zs: list = [None]
        activations = [x]
        for W, b, g in zip(self.weights, self.biases, self.g, strict=True):
            z = W @ activations[-1] + b
            zs.append(z)
            activations.append(g.forward(z))
        return zs, activations

    def cost_terms(self, y: Array, a: Array, field: str) -> Array:
        """Return C_j for each output, refusing ln(0) with a message instead of inf or nan."""
        terms = self.cost.value(y, a)
        if not np.all(np.isfinite(terms)):
            j = int(np.argmin(np.isfinite(terms))) + 1
            raise SpecError(
                field,
                f"output a[{len(self.weights)}][{j}] is {a[j - 1]:g} in float64, so the "
                f"{self.cost.name} loss would need ln(0); use smaller weights or inputs",
            )
        return terms

    def output_delta(self, y: Array, a: Array, slope_c: Array, slope_a: Array | None) -> Array:
        """Return δᴸ (BP1); softmax multiplies ∂C/∂a by its full Jacobian."""
        if not self.g[-1].is_softmax:
            return slope_c * slope_a
        if self.cost.name == "cross_entropy":
            return a - y  # targets add up to 1, checked with the spec
        return a * (slope_c - np.dot(a, slope_c))


def evaluate(spec: NetworkSpec) -> dict[Ref, float]:
    """Return the value of every quantity of one training step, keyed by its Ref.

    For Mazur's preset, ``evaluate(spec)[Ref("a", 1, 1)]`` is 0.5932699921…
    """
    net = Network.of(spec)
    L = spec.depth
    batch = len(spec.samples) > 1
    n = len(spec.samples)
    values: dict[Ref, float] = {Ref("eta"): spec.learning_rate}
    grad_w = [np.zeros_like(W) for W in net.weights]
    grad_b = [np.zeros_like(b) for b in net.biases]
    costs = []

    def put(kind: str, l: int | None, array: Array, s: int | None) -> None:
        for index, v in np.ndenumerate(array):
            indices = [i + 1 for i in index]
            if kind in ("y", "C_term"):
                ref = Ref(kind, j=indices[0], sample=s)
            else:
                ref = Ref(kind, l, *indices, sample=s)
            values[ref] = float(v) + 0.0  # adding 0.0 turns -0.0 into 0.0

    for l in range(1, L + 1):
        put("W", l, net.weights[l - 1], None)
        put("b", l, net.biases[l - 1], None)
    for number, sample in enumerate(spec.samples, start=1):
        s = number if batch else None
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
        values[Ref("C", sample=s)] = costs[-1]

        # BP1: δᴸ = ∇ₐC ⊙ g′(zᴸ)
        slope_c = net.cost.gradient(y, acts[L])
        put("dC/da", L, slope_c, s)
        slopes = [None] + [g.backward(z, a) for g, z, a in zip(net.g, zs[1:], acts[1:], strict=True)]
        delta = net.output_delta(y, acts[L], slope_c, slopes[L])
        for l in range(L, 0, -1):
            if not net.g[l - 1].is_softmax:
                put("da/dz", l, slopes[l], s)
            if l < L:
                # BP2: δˡ = ((Wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ g′(zˡ)
                delta = (net.weights[l].T @ delta) * slopes[l]
            put("delta", l, delta, s)
            gw = np.outer(delta, acts[l - 1])  # BP4: ∂C/∂w_jk = a_k δ_j
            put("dC/dW", l, gw, s)
            put("dC/db", l, delta, s)  # BP3: ∂C/∂b_j = δ_j
            grad_w[l - 1] += gw / n
            grad_b[l - 1] += delta / n

    eta = spec.learning_rate
    new_w = [W - eta * gw for W, gw in zip(net.weights, grad_w, strict=True)]
    new_b = [b - eta * gb if spec.update_biases else b for b, gb in zip(net.biases, grad_b, strict=True)]
    for l in range(1, L + 1):
        if batch:
            put("dC/dW", l, grad_w[l - 1], None)
            put("dC/db", l, grad_b[l - 1], None)
        put("W'", l, new_w[l - 1], None)
        put("b'", l, new_b[l - 1], None)
    if batch:
        values[Ref("C")] = float(np.mean(costs))
    values[Ref("C'")] = batch_cost(spec, new_w, new_b)
    return values


def batch_cost(spec: NetworkSpec, weights: list[Array], biases: list[Array]) -> float:
    """Return the batch cost 1/n Σ_x C_x of the spec's samples under other parameters."""
    net = Network.of(spec)
    net = Network(tuple(weights), tuple(biases), net.g, net.cost)
    total = 0.0
    for number, sample in enumerate(spec.samples, start=1):
        _, acts = net.forward(np.array(sample.x))
        total += float(np.sum(net.cost_terms(np.array(sample.y), acts[-1], f"samples[{number}]")))
    return total / len(spec.samples)
