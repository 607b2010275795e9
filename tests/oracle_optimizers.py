"""An independent oracle for the optimizer tests: each optimizer written again from its source.

Nothing here imports tracer. The ``torch`` classes follow the algorithms printed in PyTorch's
documentation of ``torch.optim.SGD``, ``Adagrad``, ``RMSprop`` and ``Adam`` (in the order of
operations its code uses); the ``book`` classes follow ``common/optimizer.py`` of
『밑바닥부터 시작하는 딥러닝』 line by line (state updated in place, ε = 1e-7 unless given).
Gradients come from the independent matrix backprop in ``oracle_backprop``.
"""

from __future__ import annotations

import copy
import math

import numpy as np
from oracle_backprop import step as backprop_step


class TorchSGD:
    """torch.optim.SGD with momentum μ, dampening τ, nesterov (weight decay 0)."""

    def __init__(self, lr: float, momentum: float, dampening: float = 0.0, nesterov: bool = False) -> None:
        self.lr, self.mu, self.tau, self.nesterov = lr, momentum, dampening, nesterov
        self.buf: list | None = None

    def update(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        if self.buf is None:
            self.buf = [g.copy() for g in grads]  # "b_t ← g_t" at t = 1
        else:
            for b, g in zip(self.buf, grads, strict=True):
                b *= self.mu
                b += (1 - self.tau) * g
        for p, b, g in zip(params, self.buf, grads, strict=True):
            d = g + self.mu * b if self.nesterov else b
            p -= self.lr * d


class TorchAdagrad:
    """torch.optim.Adagrad (lr decay 0, initial accumulator 0)."""

    def __init__(self, lr: float, eps: float = 1e-10) -> None:
        self.lr, self.eps, self.sums = lr, eps, None

    def update(self, params, grads) -> None:
        if self.sums is None:
            self.sums = [np.zeros_like(p) for p in params]
        for p, s, g in zip(params, self.sums, grads, strict=True):
            s += g * g
            p -= self.lr * g / (np.sqrt(s) + self.eps)


class TorchRMSprop:
    """torch.optim.RMSprop (not centered, no momentum)."""

    def __init__(self, lr: float, alpha: float = 0.99, eps: float = 1e-8) -> None:
        self.lr, self.alpha, self.eps, self.avg = lr, alpha, eps, None

    def update(self, params, grads) -> None:
        if self.avg is None:
            self.avg = [np.zeros_like(p) for p in params]
        for p, v, g in zip(params, self.avg, grads, strict=True):
            v *= self.alpha
            v += (1 - self.alpha) * g * g
            p -= self.lr * g / (np.sqrt(v) + self.eps)


class TorchAdam:
    """torch.optim.Adam (not amsgrad): step_size = lr/bc1, denom = √v/√bc2 + ε."""

    def __init__(self, lr: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> None:
        self.lr, self.b1, self.b2, self.eps = lr, beta1, beta2, eps
        self.t, self.m, self.v = 0, None, None

    def update(self, params, grads) -> None:
        if self.m is None:
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
        self.t += 1
        bc1, bc2 = 1 - self.b1**self.t, 1 - self.b2**self.t
        for p, m, v, g in zip(params, self.m, self.v, grads, strict=True):
            m += (g - m) * (1 - self.b1)  # PyTorch's lerp
            v *= self.b2
            v += (1 - self.b2) * g * g
            denom = np.sqrt(v) / math.sqrt(bc2) + self.eps
            p -= (self.lr / bc1) * m / denom


class BookMomentum:
    """The book's Momentum."""

    def __init__(self, lr: float, momentum: float = 0.9) -> None:
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads) -> None:
        if self.v is None:
            self.v = [np.zeros_like(p) for p in params]
        for i in range(len(params)):
            self.v[i] = self.momentum * self.v[i] - self.lr * grads[i]
            params[i] += self.v[i]


class BookNesterov:
    """The book's Nesterov."""

    def __init__(self, lr: float, momentum: float = 0.9) -> None:
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads) -> None:
        if self.v is None:
            self.v = [np.zeros_like(p) for p in params]
        for i in range(len(params)):
            self.v[i] *= self.momentum
            self.v[i] -= self.lr * grads[i]
            params[i] += self.momentum * self.momentum * self.v[i]
            params[i] -= (1 + self.momentum) * self.lr * grads[i]


class BookAdaGrad:
    """The book's AdaGrad."""

    def __init__(self, lr: float, eps: float = 1e-7) -> None:
        self.lr, self.eps, self.h = lr, eps, None

    def update(self, params, grads) -> None:
        if self.h is None:
            self.h = [np.zeros_like(p) for p in params]
        for i in range(len(params)):
            self.h[i] += grads[i] * grads[i]
            params[i] -= self.lr * grads[i] / (np.sqrt(self.h[i]) + self.eps)


class BookRMSprop:
    """The book's RMSprop."""

    def __init__(self, lr: float, decay_rate: float = 0.99, eps: float = 1e-7) -> None:
        self.lr, self.decay_rate, self.eps, self.h = lr, decay_rate, eps, None

    def update(self, params, grads) -> None:
        if self.h is None:
            self.h = [np.zeros_like(p) for p in params]
        for i in range(len(params)):
            self.h[i] *= self.decay_rate
            self.h[i] += (1 - self.decay_rate) * grads[i] * grads[i]
            params[i] -= self.lr * grads[i] / (np.sqrt(self.h[i]) + self.eps)


class BookAdam:
    """The book's Adam: bias correction folded into lr_t, ε added to the uncorrected √v."""

    def __init__(self, lr: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-7) -> None:
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.iter, self.m, self.v = 0, None, None

    def update(self, params, grads) -> None:
        if self.m is None:
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)
        for i in range(len(params)):
            self.m[i] += (1 - self.beta1) * (grads[i] - self.m[i])
            self.v[i] += (1 - self.beta2) * (grads[i] ** 2 - self.v[i])
            params[i] -= lr_t * self.m[i] / (np.sqrt(self.v[i]) + self.eps)


def make(name: str, convention: str, lr: float, **h: float):
    """Return the oracle optimizer for a name, a convention and hyper-parameters (spec keys)."""
    if convention == "torch":
        if name in ("momentum", "nesterov"):
            return TorchSGD(lr, h.get("momentum", 0.9), h.get("dampening", 0.0), name == "nesterov")
        if name == "adagrad":
            return TorchAdagrad(lr, h.get("eps", 1e-10))
        if name == "rmsprop":
            return TorchRMSprop(lr, h.get("alpha", 0.99), h.get("eps", 1e-8))
        return TorchAdam(lr, h.get("beta1", 0.9), h.get("beta2", 0.999), h.get("eps", 1e-8))
    book = {"momentum": BookMomentum, "nesterov": BookNesterov, "adagrad": BookAdaGrad}
    if name in book:
        keys = {"momentum": ("momentum",), "nesterov": ("momentum",), "adagrad": ("eps",)}[name]
        return book[name](lr, **{k: h[k] for k in keys if k in h})
    if name == "rmsprop":
        return BookRMSprop(lr, h.get("alpha", 0.99), h.get("eps", 1e-7))
    return BookAdam(lr, h.get("beta1", 0.9), h.get("beta2", 0.999), h.get("eps", 1e-7))


def run(data: dict, optimizer, steps: int) -> list[dict]:
    """Return the spec dict after each of ``steps`` steps (weights and biases as nested lists).

    Frozen biases (``update_biases = false``) are not given to the optimizer.
    """
    data = copy.deepcopy(data)
    frozen = not data.get("update_biases", True)
    weights = [np.array(w, dtype=float) for w in data["weights"]]
    biases = [np.array(b, dtype=float) for b in data["biases"]]
    after = []
    for _ in range(steps):
        data["weights"] = [w.tolist() for w in weights]
        data["biases"] = [b.tolist() for b in biases]
        grads = backprop_step(data)
        params = weights if frozen else weights + biases
        optimizer.update(params, grads.grad_w if frozen else grads.grad_w + grads.grad_b)
        after.append(
            {**data, "weights": [w.tolist() for w in weights], "biases": [b.tolist() for b in biases]}
        )
    return after
