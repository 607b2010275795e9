"""Activation functions as strategy objects: a value and a derivative, symbolic and numeric.

Each activation g knows four things, side by side as in micrograd:
how it is written (``a = σ(z)``), what it means (σ(z) = 1/(1 + e^{-z})), its textbook
derivative written with g itself (σ′(z) = σ(z)(1 − σ(z))), and the same two in NumPy.
Its convention, the sentence a worked example states about it, is prose and SymPy maths built
from those same expressions, so every output prints the maths with its own printer.
Softmax is the one activation that mixes the neurons of a layer; it lives here too, but the
derivation treats it as a whole layer (its Jacobian is not diagonal).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

from tracer.display import Prime, Total
from tracer.errors import SpecError, nearest
from tracer.i18n import _

Array = np.ndarray
Prose = tuple  # prose and SymPy maths in reading order: (Eq(σ′(z), …), ", so ", …)
sigma = sp.Function("sigma")
ReLU = sp.Function("ReLU")
LeakyReLU = sp.Function("LeakyReLU")
Z = sp.Symbol("z")  # the weighted input of a convention: σ(z) = 1/(1 + e^{−z})


@dataclass(frozen=True)
class Activation:
    """Return-free strategy object for one activation g.

    ``written(z)`` is how a = g(z) is shown; ``meaning(z)`` the closed form;
    ``slope(z)`` the textbook g′(z), written with ``written(z)`` where the books do;
    ``forward``/``backward`` are the NumPy versions (backward takes z and a = g(z));
    ``remark(g, z)`` says what a reader needs to redo g by hand (None: nothing to say).
    """

    name: str
    written: Callable[[sp.Expr], sp.Expr]
    meaning: Callable[[sp.Expr], sp.Expr]
    slope: Callable[[sp.Expr], sp.Expr]
    forward: Callable[[Array], Array]
    backward: Callable[[Array, Array], Array]
    remark: Callable[[Activation, sp.Symbol], Prose] | None = None

    @property
    def is_softmax(self) -> bool:
        """Return True for softmax, whose a_j depends on every z of its layer."""
        return self.name == "softmax"

    def convention(self) -> Prose:
        """Return the convention a worked example states: prose and SymPy maths, () if none.

        >>> activation("tanh", "").convention()
        (Eq(Prime(tanh(z)), 1 - tanh(z)**2), '.')
        """
        return () if self.remark is None else self.remark(self, Z)


def _eq(left: sp.Expr, right: sp.Expr) -> sp.Eq:
    return sp.Eq(left, right, evaluate=False)


def _defined(g: Activation, z: sp.Symbol) -> Prose:
    """Return ``σ(z) = 1/(1 + e^{−z}), so σ′(z) = σ(z)(1 − σ(z)).``"""
    return (_eq(g.written(z), g.meaning(z)), ", so ", _eq(Prime(g.written(z)), g.slope(z)), ".")


def _derivative(g: Activation, z: sp.Symbol) -> Prose:
    """Return ``tanh′(z) = 1 − tanh²(z).``"""
    return (_eq(Prime(g.written(z)), g.slope(z)), ".")


def _kink(g: Activation, z: sp.Symbol) -> Prose:
    """Return the slope taken at the corner: ``its slope at exactly z = 0 is taken as 0``."""
    return ("its slope at exactly ", _eq(z, 0), " is taken as ", g.slope(z).subs(z, 0), ".")


def _corner(g: Activation, z: sp.Symbol) -> Prose:
    """Return ``ReLU(z) = max(0, z); its slope at exactly z = 0 is taken as 0.``"""
    return (_eq(g.written(z), g.meaning(z)), "; ", *_kink(g, z))


def _pieces(g: Activation, z: sp.Symbol) -> Prose:
    """Return ``LeakyReLU(z) = z for z > 0 and 0.01·z otherwise; its slope at exactly z = 0 …``."""
    (above, positive), (below, _condition) = g.meaning(z).args
    return (_eq(g.written(z), above), " for ", positive, " and ", below, " otherwise; ", *_kink(g, z))


def _softmax_remark(g: Activation, z: sp.Symbol) -> Prose:
    """Return ``softmax: a_j = e^{z_j} / Σᵢ e^{z_i}``, and how it is computed without overflow."""
    i, j = sp.Symbol("i"), sp.Symbol("j")
    z_i, z_j = sp.Symbol(f"{z}_{i}"), sp.Symbol(f"{z}_{j}")
    share = sp.Mul(sp.exp(z_j), sp.Pow(Total(sp.exp(z_i), i), -1, evaluate=False), evaluate=False)
    return (
        "softmax: ",
        _eq(sp.Symbol(f"a_{j}"), share),
        ", computed with the largest ",
        z,
        " subtracted first so that ",
        sp.exp(z),
        " cannot overflow.",
    )


def _sigmoid(z: Array) -> Array:
    # exp(-log(1 + e^{-z})) never overflows, for z of either sign.
    return np.exp(-np.logaddexp(0.0, -z))


def _softmax(z: Array) -> Array:
    # Subtracting the largest z changes nothing mathematically and keeps exp finite.
    shifted = np.exp(z - np.max(z, axis=-1, keepdims=True))  # per row for a batch of rows
    return shifted / np.sum(shifted, axis=-1, keepdims=True)


def _step(z: sp.Expr, below: sp.Expr) -> sp.Expr:
    return sp.Piecewise((sp.Integer(1), sp.StrictGreaterThan(z, 0)), (below, True))


def _leaky_relu(slope: float) -> Activation:
    s = sp.Float(slope)
    return Activation(
        name="leaky_relu",
        written=lambda z: LeakyReLU(z),
        meaning=lambda z: sp.Piecewise((z, sp.StrictGreaterThan(z, 0)), (s * z, True)),
        slope=lambda z: _step(z, s),
        forward=lambda z: np.where(z > 0, z, slope * z),
        backward=lambda z, a: np.where(z > 0, 1.0, slope),
        remark=_pieces,
    )


_FIXED: dict[str, Activation] = {
    "sigmoid": Activation(
        name="sigmoid",
        written=lambda z: sigma(z),
        # Built unevaluated: the same expression as 1 / (1 + sp.exp(-z)), without evaluating an Add
        # (SymPy's first evaluated Add imports sympy.tensor, a fifth of a worked example's own time).
        meaning=lambda z: sp.Pow(sp.Add(1, sp.exp(-z), evaluate=False), -1, evaluate=False),
        slope=lambda z: sp.Mul(sigma(z), sp.Add(1, -sigma(z), evaluate=False), evaluate=False),
        forward=_sigmoid,
        backward=lambda z, a: a * (1.0 - a),
        remark=_defined,
    ),
    "tanh": Activation(
        name="tanh",
        written=lambda z: sp.tanh(z, evaluate=False),
        meaning=lambda z: sp.tanh(z),
        slope=lambda z: sp.Add(1, -sp.Pow(sp.tanh(z, evaluate=False), 2), evaluate=False),
        forward=np.tanh,
        backward=lambda z, a: 1.0 - a * a,
        remark=_derivative,
    ),
    "relu": Activation(
        name="relu",
        written=lambda z: ReLU(z),
        meaning=lambda z: sp.Max(0, z),
        slope=lambda z: _step(z, sp.Integer(0)),
        forward=lambda z: np.maximum(z, 0.0),
        backward=lambda z, a: np.where(z > 0, 1.0, 0.0),
        remark=_corner,
    ),
    "identity": Activation(
        name="identity",
        written=lambda z: z,
        meaning=lambda z: z,
        slope=lambda z: sp.Integer(1),
        forward=lambda z: z.astype(float),
        backward=lambda z, a: np.ones_like(z, dtype=float),
    ),
    "softmax": Activation(
        name="softmax",
        written=lambda z: z,  # replaced by the whole-layer formula in the derivation
        meaning=lambda z: z,
        slope=lambda z: sp.Integer(1),
        forward=_softmax,
        backward=lambda z, a: a * (1.0 - a),  # diagonal of the Jacobian, used only in checks
        remark=_softmax_remark,
    ),
}
ALIASES = {"linear": "identity", "logistic": "sigmoid"}
NAMES = (*_FIXED, "leaky_relu", *ALIASES)


def activation(name: str, field: str, leaky_slope: float = 0.01) -> Activation:
    """Return the activation called ``name``; ``field`` names the spec entry for errors.

    >>> activation("linear", "activations[1]").name
    'identity'
    """
    key = ALIASES.get(name, name)
    if key == "leaky_relu":
        return _leaky_relu(leaky_slope)
    if key not in _FIXED:
        raise SpecError(
            field, _('unknown activation "{name}"; {hint}').format(name=name, hint=nearest(name, NAMES))
        )
    return _FIXED[key]
