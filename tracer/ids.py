"""Canonical, notation-independent names of every traced quantity.

Input is layer 0, layers are numbered l = 1..L, neurons j (in layer l) and k (in layer l-1) from 1.
A per-sample quantity of a batch carries ``#s``: ``a[2][1]#2`` is a²₁ for the second sample.

======================  ==========================================================
``a[0][k]``             input k
``y[j]``                target j
``W[l][j][k]``          weight into neuron j of layer l from neuron k of layer l-1
``b[l][j]``             bias of neuron j of layer l
``z[l][j]``             weighted input z = Σ w·a + b
``a[l][j]``             activation a = g(z)
``C[j]``                the part of the cost that output j contributes
``C``                   cost (the batch average when there are several samples)
``dC/da[l][j]``         ∂C/∂a: of an output, or of a hidden neuron (the sum over paths)
``da/dz[l][j]``         g′(z), the slope of the activation
``delta[l][j]``         δ = ∂C/∂z
``dC/dW[l][j][k]``      ∂C/∂w
``dC/db[l][j]``         ∂C/∂b
``eta``                 the learning rate
``W'[l][j][k]``         the weight after the update
``b'[l][j]``            the bias after the update
``C'``                  the cost after the update
======================  ==========================================================

With an optimizer other than plain descent (:mod:`tracer.optimizers`) each weight and bias gets
its optimizer state, with the parameter's indices (three for a weight, two for a bias):

======================  ==========================================================
``velocity[l][j][k]``   momentum and Nesterov: the velocity (PyTorch's momentum buffer)
``m[l][j][k]``          Adam: the first moment, a running mean of the gradient
``v[l][j][k]``          Adam: the second moment, a running mean of its square
``m_hat[l][j][k]``      Adam: the bias-corrected first moment m̂
``v_hat[l][j][k]``      Adam: the bias-corrected second moment v̂
``h[l][j][k]``          AdaGrad: the sum of squared gradients; RMSProp: their running mean
``momentum``, …         the hyper-parameters: ``momentum``, ``dampening``, ``beta1``,
                        ``beta2``, ``eps``, and ``rho`` for RMSProp's decay (the spec's
                        ``alpha``; the id differs because Ng's α is the learning rate)
``eta_t``               Adam in the book's convention: the step size with the bias
                        correction folded in
======================  ==========================================================

A trace of several steps (``tracer trace --steps N``) suffixes each step's quantities with
``@t``: ``m[2][1][1]@2`` is the first moment after step 2, ``C@2`` the cost that step 2 computes
(at the parameters after step 1), ``C'@2`` the cost after step 2. Inputs, targets and the
hyper-parameters have no suffix: they are the same in every step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# kind -> number of bracketed indices it takes
ARITY: dict[str, int] = {
    "a": 2,
    "y": 1,
    "W": 3,
    "b": 2,
    "z": 2,
    "C_term": 1,
    "C": 0,
    "dC/da": 2,
    "da/dz": 2,
    "delta": 2,
    "dC/dW": 3,
    "dC/db": 2,
    "eta": 0,
    "W'": 3,
    "b'": 2,
    "C'": 0,
    "momentum": 0,
    "dampening": 0,
    "beta1": 0,
    "beta2": 0,
    "eps": 0,
    "rho": 0,
    "eta_t": 0,
}
# optimizer state: one per weight (three indices) or bias (two), see the table above
STATE_KINDS = ("velocity", "m", "v", "m_hat", "v_hat", "h")
HYPER_KINDS = ("momentum", "dampening", "beta1", "beta2", "eps", "rho")
_PREFIX = {kind: ("C" if kind == "C_term" else kind) for kind in (*ARITY, *STATE_KINDS)}
_PATTERN = re.compile(
    r"^(?P<kind>[A-Za-z/'_]+[12]?)(?P<indices>(\[\d+\])*)(#(?P<sample>\d+))?(@(?P<step>\d+))?$"
)


@dataclass(frozen=True, order=True)
class Ref:
    """Return a reference to one quantity; ``str(ref)`` is its canonical id.

    >>> str(Ref("W", 2, 1, 2))
    'W[2][1][2]'
    >>> str(Ref("a", 1, 1, sample=2))
    'a[1][1]#2'
    >>> str(Ref("m", 2, 1, 1, step=3))
    'm[2][1][1]@3'
    """

    kind: str
    l: int | None = None
    j: int | None = None
    k: int | None = None
    sample: int | None = None
    step: int | None = None

    @property
    def indices(self) -> tuple[int, ...]:
        """Return the bracketed indices in order, e.g. (l, j, k) for a weight."""
        if self.kind in ("y", "C_term"):
            return (self.j,)  # type: ignore[return-value]
        return tuple(i for i in (self.l, self.j, self.k) if i is not None)

    def __str__(self) -> str:
        text = _PREFIX[self.kind] + "".join(f"[{i}]" for i in self.indices)
        text = text if self.sample is None else f"{text}#{self.sample}"
        return text if self.step is None else f"{text}@{self.step}"

    def of_sample(self, sample: int | None) -> Ref:
        """Return the same quantity for another sample (None: the batch / single sample)."""
        return Ref(self.kind, self.l, self.j, self.k, sample, self.step)

    def at(self, step: int | None) -> Ref:
        """Return the same quantity in another step of a trace of several (None: a one-step trace)."""
        return Ref(self.kind, self.l, self.j, self.k, self.sample, step)

    @property
    def parameter(self) -> Ref:
        """Return the weight or bias an optimizer-state quantity belongs to: ``m[2][1]`` → ``b[2][1]``."""
        return Ref("W" if self.k is not None else "b", self.l, self.j, self.k, step=self.step)


def parse(text: str) -> Ref | None:
    """Return the Ref a canonical id names, or None if it is not one.

    >>> parse("dC/dW[2][1][2]")
    Ref(kind='dC/dW', l=2, j=1, k=2, sample=None, step=None)
    >>> parse("C[1]#2")
    Ref(kind='C_term', l=None, j=1, k=None, sample=2, step=None)
    >>> parse("m[2][1]@2")
    Ref(kind='m', l=2, j=1, k=None, sample=None, step=2)
    """
    match = _PATTERN.match(text.strip().replace(" ", ""))
    if not match:
        return None
    kind = match["kind"]
    indices = [int(i) for i in re.findall(r"\d+", match["indices"] or "")]
    if kind == "C" and len(indices) == 1:
        kind = "C_term"
    arity = (2, 3) if kind in STATE_KINDS else (ARITY.get(kind),)
    if len(indices) not in arity:
        return None
    sample = int(match["sample"]) if match["sample"] else None
    step = int(match["step"]) if match["step"] else None
    if kind in ("y", "C_term"):
        return Ref(kind, j=indices[0], sample=sample, step=step)
    return Ref(kind, *indices, sample=sample, step=step)  # type: ignore[arg-type]
