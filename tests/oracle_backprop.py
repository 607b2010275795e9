"""An independent oracle for the tests: plain NumPy matrix backprop, written from Nielsen ch. 2.

Nothing here imports tracer. The network is given as plain data (the same dict a spec file
holds), so the oracle shares no code with the engine it checks: its own activations, its own
losses, its own forward pass, BP1–BP4 in matrix form, the batch average and the update.

Conventions (as in the spec): ``layers = [2, 3, 1]`` means ``weights[0]`` is 3×2 and maps the
input to layer 1; the per-sample cost is the sum over the outputs, the batch cost the mean over
the samples, and the gradients are batch averages.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ALIASES = {"linear": "identity", "logistic": "sigmoid"}


def activate(name: str, z: np.ndarray, slope: float) -> np.ndarray:
    """Return g(z) for one layer.

    >>> activate("relu", np.array([-1.0, 2.0]), 0.01).tolist()
    [0.0, 2.0]
    """
    name = ALIASES.get(name, name)
    if name == "sigmoid":
        # Two branches so that e^x is only taken of x <= 0: finite for any z.
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.where(z > 0, z, 0.0)
    if name == "leaky_relu":
        return np.where(z > 0, z, slope * z)
    if name == "identity":
        return np.array(z, dtype=float)
    if name == "softmax":
        e = np.exp(z - z.max())
        return e / e.sum()
    raise ValueError(name)


def jacobian(name: str, z: np.ndarray, a: np.ndarray, slope: float) -> np.ndarray:
    """Return the Jacobian ∂a_i/∂z_j of one layer (diagonal except for softmax).

    >>> jacobian("identity", np.zeros(2), np.zeros(2), 0.01).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    name = ALIASES.get(name, name)
    if name == "softmax":
        return np.diag(a) - np.outer(a, a)
    if name == "sigmoid":
        d = a * (1.0 - a)
    elif name == "tanh":
        d = 1.0 - np.tanh(z) ** 2
    elif name == "relu":
        d = (z > 0).astype(float)
    elif name == "leaky_relu":
        d = np.where(z > 0, 1.0, slope)
    elif name == "identity":
        d = np.ones_like(z, dtype=float)
    else:
        raise ValueError(name)
    return np.diag(d)


def cost(loss: str, y: np.ndarray, a: np.ndarray) -> float:
    """Return the cost of one sample, summed over the outputs.

    >>> cost("quadratic", np.array([1.0, 0.0]), np.array([0.0, 0.0]))
    0.5
    """
    m = y.size
    if loss == "quadratic":
        return float(0.5 * np.sum((y - a) ** 2))
    if loss == "sse":
        return float(np.sum((y - a) ** 2))
    if loss == "mse":
        return float(np.sum((y - a) ** 2) / m)
    if loss == "cross_entropy":
        return float(-sum(t * np.log(o) for t, o in zip(y, a, strict=True) if t != 0))
    if loss == "binary_cross_entropy":
        total = 0.0
        for t, o in zip(y, a, strict=True):
            if t != 0:
                total -= t * np.log(o)
            if t != 1:
                total -= (1 - t) * np.log(1 - o)
        return float(total)
    raise ValueError(loss)


def cost_gradient(loss: str, y: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Return ∂C/∂a of one sample (the ∇ₐC of BP1).

    >>> cost_gradient("sse", np.array([1.0]), np.array([0.25])).tolist()
    [-1.5]
    """
    m = y.size
    if loss == "quadratic":
        return a - y
    if loss == "sse":
        return 2.0 * (a - y)
    if loss == "mse":
        return 2.0 * (a - y) / m
    if loss == "cross_entropy":
        return -y / a
    if loss == "binary_cross_entropy":
        return -y / a + (1.0 - y) / (1.0 - a)
    raise ValueError(loss)


@dataclass
class Net:
    """Plain arrays of a network: weights[l-1] maps layer l-1 to layer l."""

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    activations: list[str]
    loss: str
    slope: float

    @classmethod
    def of(cls, data: dict) -> Net:
        """Return the arrays of a spec dict (one with explicit weights and biases)."""
        depth = len(data["layers"]) - 1
        names = data["activations"]
        names = [names] * depth if isinstance(names, str) else list(names)
        return cls(
            [np.array(w, dtype=float) for w in data["weights"]],
            [np.array(b, dtype=float) for b in data["biases"]],
            names,
            data.get("loss", "quadratic"),
            float(data.get("leaky_relu_slope", 0.01)),
        )

    def forward(self, x: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Return z per layer (None for the input) and a per layer, input first."""
        zs: list = [None]
        acts = [np.array(x, dtype=float)]
        for W, b, name in zip(self.weights, self.biases, self.activations, strict=True):
            zs.append(W @ acts[-1] + b)
            acts.append(activate(name, zs[-1], self.slope))
        return zs, acts

    def batch_cost(self, samples: list[dict]) -> float:
        """Return the mean over the samples of each sample's cost."""
        total = 0.0
        for sample in samples:
            _, acts = self.forward(np.array(sample["x"], dtype=float))
            total += cost(self.loss, np.array(sample["y"], dtype=float), acts[-1])
        return total / len(samples)


@dataclass
class Step:
    """Everything the oracle computes for one training step."""

    cost: float
    grad_w: list[np.ndarray]
    grad_b: list[np.ndarray]
    new_w: list[np.ndarray]
    new_b: list[np.ndarray]
    cost_after: float
    zs: list[list[np.ndarray]]  # per sample, per layer


def step(data: dict) -> Step:
    """Return one step of gradient descent on the spec dict ``data``, by BP1–BP4.

    >>> data = {"layers": [1, 1], "activations": "identity", "loss": "quadratic",
    ...         "weights": [[[2.0]]], "biases": [[0.0]], "learning_rate": 0.5,
    ...         "samples": [{"x": [1.0], "y": [1.0]}]}
    >>> s = step(data)
    >>> s.cost, s.grad_w[0].tolist(), s.new_w[0].tolist()
    (0.5, [[1.0]], [[1.5]])
    """
    net = Net.of(data)
    samples = data["samples"]
    n = len(samples)
    grad_w = [np.zeros_like(W) for W in net.weights]
    grad_b = [np.zeros_like(b) for b in net.biases]
    zs_all = []
    for sample in samples:
        y = np.array(sample["y"], dtype=float)
        zs, acts = net.forward(np.array(sample["x"], dtype=float))
        zs_all.append(zs)
        L = len(net.weights)
        # BP1: δᴸ = Jᵀ ∇ₐC, with J = ∂a/∂z (diag(σ′(zᴸ)) for elementwise g).
        J = jacobian(net.activations[-1], zs[L], acts[L], net.slope)
        delta = J.T @ cost_gradient(net.loss, y, acts[L])
        for l in range(L, 0, -1):
            if l < L:
                # BP2: δˡ = ((Wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ)
                J = jacobian(net.activations[l - 1], zs[l], acts[l], net.slope)
                delta = J.T @ (net.weights[l].T @ delta)
            grad_b[l - 1] += delta / n  # BP3
            grad_w[l - 1] += np.outer(delta, acts[l - 1]) / n  # BP4
    eta = float(data["learning_rate"])
    new_w = [W - eta * g for W, g in zip(net.weights, grad_w, strict=True)]
    if data.get("update_biases", True):
        new_b = [b - eta * g for b, g in zip(net.biases, grad_b, strict=True)]
    else:
        new_b = [b.copy() for b in net.biases]
    after = Net(new_w, new_b, net.activations, net.loss, net.slope)
    return Step(net.batch_cost(samples), grad_w, grad_b, new_w, new_b, after.batch_cost(samples), zs_all)


def finite_difference(data: dict, which: str, l: int, j: int, k: int | None = None, h: float = 1e-5) -> float:
    """Return the central difference (C(p + h) − C(p − h)) / 2h of the batch cost in one parameter.

    ``which`` is "W" or "b"; l, j, k count from 1 as in the canonical ids.

    >>> data = {"layers": [1, 1], "activations": "identity", "loss": "quadratic",
    ...         "weights": [[[2.0]]], "biases": [[0.0]], "samples": [{"x": [1.0], "y": [1.0]}]}
    >>> round(finite_difference(data, "W", 1, 1, 1), 8)
    1.0
    """
    net = Net.of(data)
    target = net.weights[l - 1] if which == "W" else net.biases[l - 1]
    index = (j - 1, k - 1) if which == "W" else (j - 1,)
    original = target[index]
    target[index] = original + h
    up = net.batch_cost(data["samples"])
    target[index] = original - h
    down = net.batch_cost(data["samples"])
    target[index] = original
    return (up - down) / (2 * h)
