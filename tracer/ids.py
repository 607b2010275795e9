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
}
_PREFIX = {kind: ("C" if kind == "C_term" else kind) for kind in ARITY}
_PATTERN = re.compile(r"^(?P<kind>[A-Za-z/']+)(?P<indices>(\[\d+\])*)(#(?P<sample>\d+))?$")


@dataclass(frozen=True, order=True)
class Ref:
    """Return a reference to one quantity; ``str(ref)`` is its canonical id.

    >>> str(Ref("W", 2, 1, 2))
    'W[2][1][2]'
    >>> str(Ref("a", 1, 1, sample=2))
    'a[1][1]#2'
    """

    kind: str
    l: int | None = None
    j: int | None = None
    k: int | None = None
    sample: int | None = None

    @property
    def indices(self) -> tuple[int, ...]:
        """Return the bracketed indices in order, e.g. (l, j, k) for a weight."""
        if self.kind in ("y", "C_term"):
            return (self.j,)  # type: ignore[return-value]
        return tuple(i for i in (self.l, self.j, self.k) if i is not None)

    def __str__(self) -> str:
        text = _PREFIX[self.kind] + "".join(f"[{i}]" for i in self.indices)
        return text if self.sample is None else f"{text}#{self.sample}"

    def of_sample(self, sample: int | None) -> Ref:
        """Return the same quantity for another sample (None: the batch / single sample)."""
        return Ref(self.kind, self.l, self.j, self.k, sample)


def parse(text: str) -> Ref | None:
    """Return the Ref a canonical id names, or None if it is not one.

    >>> parse("dC/dW[2][1][2]")
    Ref(kind='dC/dW', l=2, j=1, k=2, sample=None)
    >>> parse("C[1]#2")
    Ref(kind='C_term', l=None, j=1, k=None, sample=2)
    """
    match = _PATTERN.match(text.strip().replace(" ", ""))
    if not match:
        return None
    kind = match["kind"]
    indices = [int(i) for i in re.findall(r"\d+", match["indices"] or "")]
    if kind == "C" and len(indices) == 1:
        kind = "C_term"
    if ARITY.get(kind) != len(indices):
        return None
    sample = int(match["sample"]) if match["sample"] else None
    if kind in ("y", "C_term"):
        return Ref(kind, j=indices[0], sample=sample)
    return Ref(kind, *indices, sample=sample)  # type: ignore[arg-type]
