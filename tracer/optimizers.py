"""Optimizers: how a step turns the gradient into new weights, one small strategy object each.

Like a loss in :mod:`tracer.losses`, each optimizer writes its equations twice, side by side: as
SymPy formulas, one block per equation with its textbook name (what a worked example shows and
a student is graded on), and right beside them the same step on NumPy arrays (what
:mod:`tracer.evaluate` and ``tracer train`` run). The tests check that the two agree and that
both agree with separately written implementations and with PyTorch's published numbers.

Two conventions, because the sources disagree on the bookkeeping:

* ``torch`` follows ``torch.optim`` exactly: SGD's momentum buffer starts as the first gradient
  and then v ← μv + (1 − τ)g, the step is θ′ = θ − ηv (Nesterov: θ′ = θ − η(g + μv)); AdaGrad
  and RMSprop add ε after the square root; Adam corrects both moments (m̂, v̂) and adds ε to √v̂.
* ``book`` follows 『밑바닥부터 시작하는 딥러닝』 (``common/optimizer.py``): the velocity holds the
  learning rate, v ← μv − ηg from v = 0, θ′ = θ + v (Nesterov: θ′ = θ + μ²v − (1 + μ)ηg);
  ε = 10⁻⁷ everywhere; Adam folds the bias correction into the step size,
  η_t = η √(1 − β₂ᵗ)/(1 − β₁ᵗ), and adds ε to the uncorrected √v.

In a step, ``p.before(kind)`` is the state after the previous step, or None at the first step
(where the state starts at zero, so its terms drop out of the formula).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import sympy as sp

from tracer.errors import SpecError, nearest
from tracer.i18n import N_, _

Array = np.ndarray
NEW = "new"  # the kind standing for the updated parameter θ′ in a list of equations
CONVENTIONS = ("torch", "book")
BOOK_EPS = 1e-7  # the book hard-codes ε = 1e-7 in AdaGrad, RMSprop and Adam
# PyTorch's defaults, except momentum 0.9 (PyTorch's 0 would make momentum plain descent)
DEFAULTS = {"momentum": 0.9, "dampening": 0.0, "beta1": 0.9, "beta2": 0.999, "alpha": 0.99}

# spec key -> canonical id, where they differ (Ng's α is the learning rate)
HYPER_ID = {"alpha": "rho"}

# Rule labels, shown beside each step of a worked example.
VELOCITY_FIRST = N_("velocity, first step")
VELOCITY = N_("velocity")
MOMENTUM_UPDATE = N_("momentum update")
NESTEROV_UPDATE = N_("Nesterov update")
SQUARES = N_("sum of squared gradients")
ADAGRAD_UPDATE = N_("AdaGrad update")
MEAN_SQUARE = N_("mean square")
RMSPROP_UPDATE = N_("RMSProp update")
FIRST_MOMENT = N_("first moment")
SECOND_MOMENT = N_("second moment")
BIAS_CORRECTION = N_("bias correction")
STEP_SIZE = N_("step size with bias correction")
ADAM_UPDATE = N_("Adam update")


def _add(*terms: sp.Expr) -> sp.Expr:
    return terms[0] if len(terms) == 1 else sp.Add(*terms, evaluate=False)


def _mul(*factors: sp.Expr) -> sp.Expr:
    return sp.Mul(*factors, evaluate=False)


def _div(top: sp.Expr, bottom: sp.Expr) -> sp.Expr:
    return _mul(top, sp.Pow(bottom, -1, evaluate=False))


def _minus(x: sp.Expr) -> sp.Expr:
    return _mul(-1, x)


def _one_minus(x: sp.Expr) -> sp.Expr:
    return _add(1, _minus(x))


def _power(x: sp.Expr, t: int) -> sp.Expr:
    return sp.Pow(x, t, evaluate=False)


def _root(x: sp.Expr) -> sp.Expr:
    return sp.Pow(x, sp.Rational(1, 2), evaluate=False)


@dataclass(frozen=True)
class Place:
    """Return-free view of one parameter θ in one step, as symbols: what an optimizer's formulas use.

    ``state(kind)`` is this step's state, ``before(kind)`` the previous step's (None at the
    first step: zero), ``hyper(key)`` a hyper-parameter, ``t`` the step number (1 for a trace of
    one step), ``shared(kind)`` a quantity computed once per step (the book's η_t).
    """

    theta: sp.Expr
    g: sp.Expr
    eta: sp.Expr
    t: int
    hyper: Callable[[str], sp.Expr]
    state: Callable[[str], sp.Expr]
    before: Callable[[str], sp.Expr | None]
    shared: Callable[[str], sp.Expr]


Formulas = list[tuple[str, str, sp.Expr]]  # (kind, rule label, formula); kind NEW is θ′


class Optimizer:
    """Return-free strategy: one optimizer in one convention, with its hyper-parameters ``h``.

    ``equations(p)`` gives the formulas of one parameter's step (its state, then θ′ as kind
    ``NEW``); ``step(theta, g, before, t, eta)`` does the same on arrays: it turns ``theta`` into
    θ′ in place and returns the state (``before`` is None at the first step). ``per_step`` lists
    quantities computed once per step for all parameters (``shared_equations``, ``shared_values``).
    """

    name: ClassVar[str]
    takes: ClassVar[tuple[str, ...]] = ()
    state: ClassVar[tuple[str, ...]] = ()  # the state carried from one step to the next
    shown: ClassVar[tuple[str, ...]] = ()  # every state quantity a step shows, in order
    per_step: ClassVar[tuple[str, ...]] = ()

    def __init__(self, convention: str, h: Mapping[str, float]) -> None:
        self.convention = convention
        self.book = convention == "book"
        self.h = dict(h)

    def equations(self, p: Place) -> Formulas:
        """Return the formulas of one parameter's step: its state, then θ′."""
        raise NotImplementedError

    def step(self, theta: Array, g: Array, before: dict | None, t: int, eta: float) -> dict:
        """Return this step's state (every quantity in ``shown``), ``theta`` updated to θ′ in place."""
        raise NotImplementedError

    def shared_equations(self, p: Place) -> Formulas:
        """Return the formulas computed once per step (none for most optimizers)."""
        return []

    def shared_values(self, t: int, eta: float) -> dict[str, float]:
        """Return the values of ``per_step`` at step t."""
        return {}


class Descent(Optimizer):
    """Plain gradient descent, θ′ = θ − η ∂C/∂θ (its equation is written in :mod:`tracer.derive`)."""

    name = "gd"

    def step(self, theta: Array, g: Array, before: dict | None, t: int, eta: float) -> dict:
        theta -= eta * g
        return {}


class Momentum(Optimizer):
    """Momentum: a velocity that remembers past gradients (PyTorch's SGD with momentum, or the book's)."""

    name = "momentum"
    takes = ("momentum", "dampening")
    state = ("velocity",)
    shown = ("velocity",)

    def _velocity(self, p: Place) -> tuple[str, sp.Expr]:
        mu, before = p.hyper("momentum"), p.before("velocity")
        if self.book:
            # v ← μv − ηg: the velocity holds the learning rate (from v = 0)
            decay = [] if before is None else [_mul(mu, before)]
            return VELOCITY, _add(*decay, _minus(_mul(p.eta, p.g)))
        if before is None:
            return VELOCITY_FIRST, p.g  # PyTorch's buffer starts as the first gradient
        if self.h.get("dampening", 0.0) == 0:
            return VELOCITY, _add(_mul(mu, before), p.g)  # b ← μb + g
        return VELOCITY, _add(
            _mul(mu, before), _mul(_one_minus(p.hyper("dampening")), p.g)
        )  # b ← μb + (1 − τ)g

    def _velocity_values(self, g: Array, before: dict | None, eta: float) -> Array:
        mu, tau = self.h["momentum"], self.h.get("dampening", 0.0)
        if self.book:
            return -eta * g if before is None else mu * before["velocity"] - eta * g
        if before is None:
            return g  # a gradient array is never changed after it is made
        return mu * before["velocity"] + (g if tau == 0 else (1 - tau) * g)

    def equations(self, p: Place) -> Formulas:
        rule, velocity = self._velocity(p)
        v = p.state("velocity")
        update = _add(p.theta, v) if self.book else _add(p.theta, _minus(_mul(p.eta, v)))
        return [("velocity", rule, velocity), (NEW, MOMENTUM_UPDATE, update)]  # θ′ = θ + v | θ − ηb

    def step(self, theta: Array, g: Array, before: dict | None, t: int, eta: float) -> dict:
        v = self._velocity_values(g, before, eta)
        if self.book:
            theta += v
        else:
            theta -= eta * v
        return {"velocity": v}


class Nesterov(Momentum):
    """Nesterov's momentum: the step looks ahead along the velocity."""

    name = "nesterov"
    takes = ("momentum",)

    def equations(self, p: Place) -> Formulas:
        rule, velocity = self._velocity(p)
        v, mu = p.state("velocity"), p.hyper("momentum")
        if self.book:
            # θ′ = θ + μ²v − (1 + μ)ηg, the book's rewriting of the look-ahead gradient
            update = _add(p.theta, _mul(_power(mu, 2), v), _minus(_mul(_add(1, mu), p.eta, p.g)))
        else:
            update = _add(p.theta, _minus(_mul(p.eta, _add(p.g, _mul(mu, v)))))  # θ′ = θ − η(g + μb)
        return [("velocity", rule, velocity), (NEW, NESTEROV_UPDATE, update)]

    def step(self, theta: Array, g: Array, before: dict | None, t: int, eta: float) -> dict:
        mu = self.h["momentum"]
        v = self._velocity_values(g, before, eta)
        if self.book:
            theta += mu * mu * v
            theta -= (1 + mu) * eta * g
        else:
            theta -= eta * (g + mu * v)
        return {"velocity": v}


class AdaGrad(Optimizer):
    """AdaGrad: each parameter's step shrinks with the sum of its squared gradients."""

    name = "adagrad"
    takes = ("eps",)
    state = ("h",)
    shown = ("h",)

    def equations(self, p: Place) -> Formulas:
        before = p.before("h")
        square = _power(p.g, 2)
        h = square if before is None else _add(before, square)  # h ← h + g²
        scaled = _div(_mul(p.eta, p.g), _add(_root(p.state("h")), p.hyper("eps")))
        return [
            ("h", SQUARES, h),
            (NEW, ADAGRAD_UPDATE, _add(p.theta, _minus(scaled))),
        ]  # θ′ = θ − ηg/(√h + ε)

    def step(self, theta: Array, g: Array, before: dict | None, t: int, eta: float) -> dict:
        h = g * g if before is None else before["h"] + g * g
        theta -= eta * g / (np.sqrt(h) + self.h["eps"])
        return {"h": h}


class RMSProp(Optimizer):
    """RMSProp: AdaGrad with a running mean of the squares instead of their sum."""

    name = "rmsprop"
    takes = ("alpha", "eps")
    state = ("h",)
    shown = ("h",)

    def equations(self, p: Place) -> Formulas:
        alpha, before = p.hyper("alpha"), p.before("h")
        new = _mul(_one_minus(alpha), _power(p.g, 2))
        h = new if before is None else _add(_mul(alpha, before), new)  # h ← αh + (1 − α)g²
        scaled = _div(_mul(p.eta, p.g), _add(_root(p.state("h")), p.hyper("eps")))
        return [
            ("h", MEAN_SQUARE, h),
            (NEW, RMSPROP_UPDATE, _add(p.theta, _minus(scaled))),
        ]  # θ′ = θ − ηg/(√h + ε)

    def step(self, theta: Array, g: Array, before: dict | None, t: int, eta: float) -> dict:
        alpha = self.h["alpha"]
        h = (1 - alpha) * g * g if before is None else alpha * before["h"] + (1 - alpha) * g * g
        theta -= eta * g / (np.sqrt(h) + self.h["eps"])
        return {"h": h}


class Adam(Optimizer):
    """Adam: running means of the gradient (m) and of its square (v), corrected for starting at 0."""

    name = "adam"
    takes = ("beta1", "beta2", "eps")
    state = ("m", "v")

    @property
    def shown(self) -> tuple[str, ...]:  # type: ignore[override]
        """Return the state a step shows: the book folds the correction into η_t, so no m̂, v̂."""
        return ("m", "v") if self.book else ("m", "v", "m_hat", "v_hat")

    @property
    def per_step(self) -> tuple[str, ...]:  # type: ignore[override]
        """Return ``("eta_t",)`` in the book's convention (its folded step size), else nothing."""
        return ("eta_t",) if self.book else ()

    def _moment(self, p: Place, kind: str, beta: sp.Expr, g: sp.Expr) -> sp.Expr:
        before = p.before(kind)
        if before is None:
            return _mul(_one_minus(beta), g)  # from m₀ = 0
        if self.book:
            return _add(before, _mul(_one_minus(beta), _add(g, _minus(before))))  # m ← m + (1 − β)(g − m)
        return _add(_mul(beta, before), _mul(_one_minus(beta), g))  # m ← βm + (1 − β)g

    def equations(self, p: Place) -> Formulas:
        beta1, beta2, eps = p.hyper("beta1"), p.hyper("beta2"), p.hyper("eps")
        formulas = [
            ("m", FIRST_MOMENT, self._moment(p, "m", beta1, p.g)),
            ("v", SECOND_MOMENT, self._moment(p, "v", beta2, _power(p.g, 2))),
        ]
        if self.book:
            # θ′ = θ − η_t m/(√v + ε)
            step = _div(_mul(p.shared("eta_t"), p.state("m")), _add(_root(p.state("v")), eps))
            return [*formulas, (NEW, ADAM_UPDATE, _add(p.theta, _minus(step)))]
        m_hat = _div(p.state("m"), _one_minus(_power(beta1, p.t)))  # m̂ = m/(1 − β₁ᵗ)
        v_hat = _div(p.state("v"), _one_minus(_power(beta2, p.t)))  # v̂ = v/(1 − β₂ᵗ)
        step = _div(_mul(p.eta, p.state("m_hat")), _add(_root(p.state("v_hat")), eps))  # θ′ = θ − ηm̂/(√v̂ + ε)
        return [
            *formulas,
            ("m_hat", BIAS_CORRECTION, m_hat),
            ("v_hat", BIAS_CORRECTION, v_hat),
            (NEW, ADAM_UPDATE, _add(p.theta, _minus(step))),
        ]

    def shared_equations(self, p: Place) -> Formulas:
        if not self.book:
            return []
        beta1, beta2 = p.hyper("beta1"), p.hyper("beta2")
        # η_t = η √(1 − β₂ᵗ)/(1 − β₁ᵗ)
        eta_t = _div(_mul(p.eta, _root(_one_minus(_power(beta2, p.t)))), _one_minus(_power(beta1, p.t)))
        return [("eta_t", STEP_SIZE, eta_t)]

    def shared_values(self, t: int, eta: float) -> dict[str, float]:
        if not self.book:
            return {}
        return {"eta_t": eta * math.sqrt(1 - self.h["beta2"] ** t) / (1 - self.h["beta1"] ** t)}

    def step(self, theta: Array, g: Array, before: dict | None, t: int, eta: float) -> dict:
        b1, b2, eps = self.h["beta1"], self.h["beta2"], self.h["eps"]
        if before is None:
            m, v = (1 - b1) * g, (1 - b2) * g * g
        elif self.book:
            m = before["m"] + (1 - b1) * (g - before["m"])
            v = before["v"] + (1 - b2) * (g * g - before["v"])
        else:
            m = b1 * before["m"] + (1 - b1) * g
            v = b2 * before["v"] + (1 - b2) * g * g
        if self.book:
            eta_t = self.shared_values(t, eta)["eta_t"]
            theta -= eta_t * m / (np.sqrt(v) + eps)
            return {"m": m, "v": v}
        m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
        theta -= eta * m_hat / (np.sqrt(v_hat) + eps)
        return {"m": m, "v": v, "m_hat": m_hat, "v_hat": v_hat}


STRATEGIES: dict[str, type[Optimizer]] = {
    s.name: s for s in (Descent, Momentum, Nesterov, AdaGrad, RMSProp, Adam)
}
OPTIMIZERS = tuple(STRATEGIES)


def takes(name: str, convention: str) -> tuple[str, ...]:
    """Return the hyper-parameters an optimizer takes; the book's momentum has no dampening.

    >>> takes("adam", "torch")
    ('beta1', 'beta2', 'eps')
    """
    keys = STRATEGIES[name].takes
    return tuple(k for k in keys if k != "dampening") if convention == "book" else keys


def default(name: str, convention: str, key: str) -> float:
    """Return a hyper-parameter's default: PyTorch's (ε 1e-8, AdaGrad's 1e-10), the book's ε = 1e-7.

    >>> default("adagrad", "torch", "eps"), default("adagrad", "book", "eps")
    (1e-10, 1e-07)
    """
    if key == "eps":
        return BOOK_EPS if convention == "book" else (1e-10 if name == "adagrad" else 1e-8)
    return DEFAULTS[key]


@dataclass(frozen=True)
class OptimizerSpec:
    """Return-free ``[optimizer]`` table: a name, a convention and every hyper-parameter it uses.

    ``OptimizerSpec()`` is plain gradient descent, the default.
    """

    name: str = "gd"
    convention: str = "torch"
    hyper: tuple[tuple[str, float], ...] = ()

    def __getitem__(self, key: str) -> float:
        return dict(self.hyper)[key]

    @property
    def key(self) -> tuple[str, str, bool]:
        """Return what the symbolic derivation depends on: name, convention, dampening used or not."""
        return (self.name, self.convention, dict(self.hyper).get("dampening", 0.0) != 0)

    def strategy(self) -> Optimizer:
        """Return the strategy object that writes and runs this optimizer's step."""
        return STRATEGIES[self.name](self.convention, dict(self.hyper))

    def label(self) -> str:
        """Return a short label for legends and tables, e.g. ``adam`` or ``momentum (book)``."""
        return self.name if self.convention == "torch" else f"{self.name} ({self.convention})"

    def to_dict(self) -> dict[str, Any]:
        """Return the table as plain data, every hyper-parameter filled in."""
        return {"name": self.name, "convention": self.convention, **dict(self.hyper)}


def parse_optimizer(value: Any, field: str = "optimizer") -> OptimizerSpec:
    """Return the checked ``[optimizer]`` table, the defaults filled in for what it leaves out.

    >>> parse_optimizer({"name": "adam"}).to_dict()
    {'name': 'adam', 'convention': 'torch', 'beta1': 0.9, 'beta2': 0.999, 'eps': 1e-08}
    """
    if isinstance(value, str):
        value = {"name": value}
    if not isinstance(value, dict):
        raise SpecError(field, _('give a table such as {{name = "adam", beta1 = 0.9}}').format())
    name = value.get("name", "gd")
    option = field.startswith("--")  # a command-line option names no keys
    if not isinstance(name, str) or name not in STRATEGIES:
        raise SpecError(
            field if option else f"{field}.name",
            _('unknown optimizer "{name}"; {hint}').format(name=name, hint=nearest(str(name), OPTIMIZERS)),
        )
    convention = value.get("convention", "torch")
    if convention not in CONVENTIONS:
        raise SpecError(
            field if option else f"{field}.convention",
            _('unknown convention "{name}"; {hint}').format(
                name=convention, hint=nearest(str(convention), CONVENTIONS)
            ),
        )
    keys = takes(name, convention)
    for key in value:
        if key not in ("name", "convention", *keys):
            taken = ", ".join(keys) if keys else _("no hyper-parameters")
            raise SpecError(
                f"{field}.{key}",
                _("{name} ({convention}) does not take {key}; it takes {taken}").format(
                    name=name, convention=convention, key=key, taken=taken
                ),
            )
    hyper = tuple(
        (key, _hyper(value.get(key, default(name, convention, key)), f"{field}.{key}", key)) for key in keys
    )
    return OptimizerSpec(name, convention, hyper)


def checker(spec: OptimizerSpec) -> Callable[[str, Any, str], float]:
    """Return ``check(key, value, field)``: a value for one of ``spec``'s hyper-parameters, checked.

    For ``[randomize.optimizer]``: a key the optimizer does not take is a SpecError naming it.
    """
    keys = takes(spec.name, spec.convention)

    def check(key: str, value: Any, field: str) -> float:
        if key not in keys:
            taken = ", ".join(keys) if keys else _("no hyper-parameters")
            raise SpecError(
                field,
                _("{name} ({convention}) does not take {key}; it takes {taken}").format(
                    name=spec.name, convention=spec.convention, key=key, taken=taken
                ),
            )
        return _hyper(value, field, key)

    return check


def _hyper(value: Any, field: str, key: str) -> float:
    """Return a checked hyper-parameter: β, α, μ in [0, 1), τ in [0, 1], ε ≥ 0."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise SpecError(field, _("must be a finite number, got {value!r}").format(value=value))
    number = float(value)
    if key == "eps" and number < 0:
        raise SpecError(field, _("ε must be 0 or more, got {value:g}").format(value=number))
    if key == "dampening" and not 0 <= number <= 1:
        raise SpecError(field, _("must be from 0 to 1, got {value:g}").format(value=number))
    if key in ("beta1", "beta2", "alpha", "momentum") and not 0 <= number < 1:
        raise SpecError(field, _("must be at least 0 and below 1, got {value:g}").format(value=number))
    return number
