"""Loss functions as strategy objects, per sample and per output: C = Σ_j C_j.

The batch cost is the mean over the n samples, C = 1/n Σ_x C_x; with ``quadratic`` that is the
lecture's C = 1/(2n) Σ_x ‖y(x) − aᴸ(x)‖². Each loss gives its term C_j and ∂C/∂a_j, written the way
the textbooks write them, and the same in NumPy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

from tracer.display import Total
from tracer.errors import SpecError, nearest
from tracer.i18n import _

Array = np.ndarray
Expr = sp.Expr
# The symbols of a loss's summary: the cost (printed in the reader's notation), output j of m.
COST, J, M = sp.Symbol("C"), sp.Symbol("j"), sp.Symbol("m")
Y_J, A_J = sp.Symbol("y_j"), sp.Symbol("a_j")


def _neg(e: Expr) -> Expr:
    return sp.Mul(-1, e, evaluate=False)


def _diff(y: Expr, a: Expr) -> Expr:
    return sp.Add(y, _neg(a), evaluate=False)


def _times(coefficient: sp.Rational, e: Expr) -> Expr:
    return e if coefficient == 1 else sp.Mul(coefficient, e, evaluate=False)


def _half(e: Expr) -> Expr:
    return _times(sp.Rational(1, 2), e)


def _times_log(c: Array, x: Array) -> Array:
    """Return c·ln x, counting 0·ln 0 as 0 (a target of 0 contributes nothing); ln 0 alone is −inf."""
    with np.errstate(divide="ignore"):
        return np.where(c == 0, 0.0, c * np.log(np.where(c == 0, 1.0, x)))


def _ratio(c: Array, x: Array) -> Array:
    """Return c/x, counting 0/0 as 0 for the same reason; c/0 alone is ±inf."""
    with np.errstate(divide="ignore"):
        return np.where(c == 0, 0.0, c / np.where(c == 0, 1.0, x))


def _recomputed(c: Expr, f: Expr) -> Expr:
    """Return c·f as plain maths with the same convention: 0 when c = 0 (f may be ln 0 or 1/0).

    Used as the ``meaning`` of a log-loss step, so that recomputing it from numbers agrees with
    the NumPy value where a target of 0 meets an output of exactly 0 (or 1).
    """
    return sp.Piecewise((0, sp.Eq(c, 0)), (c * f, True))


@dataclass(frozen=True)
class Loss:
    """Strategy object for a loss: ``term(y, a, m)`` is C_j, ``slope(y, a, m)`` is ∂C/∂a_j.

    m is the number of outputs. ``value``/``gradient`` are the NumPy versions over a whole
    output vector. ``words`` names the loss and ``aside`` (prose and SymPy maths) follows its
    formula in :meth:`summary`.
    """

    name: str
    term: Callable[[Expr, Expr, int], Expr]
    slope: Callable[[Expr, Expr, int], Expr]
    value: Callable[[Array, Array], Array]
    gradient: Callable[[Array, Array], Array]
    words: str
    aside: tuple = ()
    uses_log: bool = False
    term_meaning: Callable[[Expr, Expr, int], Expr] | None = None  # when term is not plain maths
    slope_meaning: Callable[[Expr, Expr, int], Expr] | None = None

    def summary(self) -> tuple:
        """Return the per-sample cost as prose and SymPy maths, C = Σⱼ C_j from ``term``.

        >>> loss("cross_entropy").summary()
        ('cross-entropy ', Eq(C, Total(-y_j*log(a_j), j)), ' per sample', '.')
        """
        total = sp.Eq(COST, Total(self.term(Y_J, A_J, M), J), evaluate=False)
        return (f"{self.words} ", total, " per sample", *self.aside, ".")


LOSSES: dict[str, Loss] = {
    "quadratic": Loss(
        name="quadratic",
        term=lambda y, a, m: _half(sp.Pow(_diff(y, a), 2, evaluate=False)),
        slope=lambda y, a, m: sp.Add(a, _neg(y), evaluate=False),
        value=lambda y, a: 0.5 * (y - a) ** 2,
        gradient=lambda y, a: a - y,
        words="quadratic cost",
        aside=(", averaged over the samples",),
    ),
    "sse": Loss(
        name="sse",
        term=lambda y, a, m: sp.Pow(_diff(a, y), 2, evaluate=False),
        slope=lambda y, a, m: _times(sp.Integer(2), sp.Add(a, _neg(y), evaluate=False)),
        value=lambda y, a: (a - y) ** 2,
        gradient=lambda y, a: 2.0 * (a - y),
        words="squared error",
        aside=(" (the lecture's ", sp.Symbol("C_0"), ")"),
    ),
    "mse": Loss(
        name="mse",
        term=lambda y, a, m: _times(sp.S.One / m, sp.Pow(_diff(y, a), 2, evaluate=False)),
        slope=lambda y, a, m: _times(sp.Integer(2) / m, sp.Add(a, _neg(y), evaluate=False)),
        value=lambda y, a: (y - a) ** 2 / y.shape[-1],
        gradient=lambda y, a: 2.0 * (a - y) / y.shape[-1],
        words="mean squared error",
        aside=(", the mean over the ", M, " outputs"),
    ),
    "cross_entropy": Loss(
        name="cross_entropy",
        term=lambda y, a, m: _neg(sp.Mul(y, sp.log(a, evaluate=False), evaluate=False)),
        slope=lambda y, a, m: _neg(sp.Mul(y, sp.Pow(a, -1, evaluate=False), evaluate=False)),
        value=lambda y, a: -_times_log(y, a),
        gradient=lambda y, a: -_ratio(y, a),
        words="cross-entropy",
        uses_log=True,
        term_meaning=lambda y, a, m: -_recomputed(y, sp.log(a)),
        slope_meaning=lambda y, a, m: -_recomputed(y, 1 / a),
    ),
    "binary_cross_entropy": Loss(
        name="binary_cross_entropy",
        term=lambda y, a, m: _neg(
            sp.Add(
                sp.Mul(y, sp.log(a, evaluate=False), evaluate=False),
                sp.Mul(_diff(1, y), sp.log(_diff(1, a), evaluate=False), evaluate=False),
                evaluate=False,
            )
        ),
        slope=lambda y, a, m: sp.Add(
            _neg(sp.Mul(y, sp.Pow(a, -1, evaluate=False), evaluate=False)),
            sp.Mul(_diff(1, y), sp.Pow(_diff(1, a), -1, evaluate=False), evaluate=False),
            evaluate=False,
        ),
        value=lambda y, a: -(_times_log(y, a) + _times_log(1.0 - y, 1.0 - a)),
        gradient=lambda y, a: -_ratio(y, a) + _ratio(1.0 - y, 1.0 - a),
        words="binary cross-entropy",
        uses_log=True,
        term_meaning=lambda y, a, m: -_recomputed(y, sp.log(a)) - _recomputed(1 - y, sp.log(1 - a)),
        slope_meaning=lambda y, a, m: -_recomputed(y, 1 / a) + _recomputed(1 - y, 1 / (1 - a)),
    ),
}


def loss(name: str) -> Loss:
    """Return the loss called ``name``.

    >>> loss("quadratic").gradient(np.array([1.0]), np.array([0.25]))
    array([-0.75])
    """
    if name not in LOSSES:
        raise SpecError(
            "loss", _('unknown loss "{name}"; {hint}').format(name=name, hint=nearest(name, LOSSES))
        )
    return LOSSES[name]
