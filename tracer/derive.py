"""The symbolic half: every quantity's local formula, by the chain rule, once per network shape.

Each quantity is one :class:`Equation`: its formula is written with the canonical symbols of the
quantities it depends on (``Symbol("z[2][1]")``), never by differentiating the composed cost, so
the work grows linearly with the number of parameters. The equations are the textbook ones
(Nielsen ch. 2, with his labels):

* forward:  z = Σ_k w_jk a_k + b_j,  a = g(z)
* loss:     C = Σ_j C_j per sample, C = 1/n Σ_x C_x for the batch
* BP1:      δᴸ_j = ∂C/∂aᴸ_j · g′(zᴸ_j)
* paths:    ∂C/∂aˡ_j = Σ_i wˡ⁺¹_ij δˡ⁺¹_i (a hidden activation reaches the cost through every
            neuron of the next layer; the vector (wˡ⁺¹)ᵀ δˡ⁺¹)
* BP2:      δˡ_j = ∂C/∂aˡ_j · g′(zˡ_j)
* BP3:      ∂C/∂bˡ_j = δˡ_j
* BP4:      ∂C/∂wˡ_jk = aˡ⁻¹_k δˡ_j, for the output layer shown as the lecture's three factors
            ∂C/∂w = ∂z/∂w · ∂a/∂z · ∂C/∂a
* update:   w′ = w − η ∂C/∂w, or an optimizer's step (:mod:`tracer.optimizers`): its state
            (velocity, moments, squares) and then w′ from it

A trace of several steps repeats the step with every quantity suffixed ``@t``; step t starts
from the parameters and the optimizer state step t − 1 ended with.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from tracer.activations import activation
from tracer.i18n import N_
from tracer.ids import HYPER_KINDS, Ref, parse
from tracer.losses import Loss
from tracer.losses import loss as find_loss
from tracer.optimizers import HYPER_ID, NEW, STRATEGIES, Place
from tracer.spec import Shape

# Rule labels, shown beside each step of a worked example (catalogue messages: a report translates them).
GIVEN = N_("given")
FORWARD_Z = N_("weighted input")
FORWARD_A = N_("activation")
LOSS_TERM = N_("loss")
LOSS_SUM = N_("cost")
BATCH_MEAN = N_("batch average")
DC_DA = N_("loss derivative")
PATHS = N_("sum over paths")
SLOPE = N_("activation derivative")
BP1 = "BP1"
BP2 = "BP2"
BP3 = "BP3"
BP4 = "BP4"
CHAIN = N_("chain rule")
UPDATE = N_("update")
FROZEN = N_("frozen")
AFTER = N_("cost after the update")
CARRIED = N_("from the step before")
PREVIOUS = 0  # the step of a one-step template's "state after the previous step"
RUN_CONSTANTS = ("y", "eta", *HYPER_KINDS)


def symbol(ref: Ref) -> sp.Symbol:
    """Return the canonical SymPy symbol of a quantity: its name is the canonical id."""
    return sp.Symbol(str(ref))


@dataclass(frozen=True)
class Equation:
    """Return-free record of how one quantity is computed.

    ``formula`` uses canonical symbols; ``aliases`` names sub-expressions that stand for another
    quantity's value (σ(z) is the activation a), so that the substituted line shows that number.
    ``meaning`` is the same formula as plain maths over the ``depends_on`` symbols (σ spelled out,
    aliases replaced), for recomputing the quantity from other numbers.
    Given quantities (inputs, targets, parameters, learning rate) have no formula.
    """

    ref: Ref
    rule: str
    formula: sp.Expr | None = None
    aliases: tuple[tuple[sp.Expr, Ref], ...] = ()
    depends_on: tuple[Ref, ...] = ()
    meaning: sp.Expr | None = None


def _equation(
    ref: Ref, rule: str, formula: sp.Expr, aliases: dict | None = None, meaning: sp.Expr | None = None
) -> Equation:
    aliases = {alias: r for alias, r in (aliases or {}).items() if formula.has(alias)}
    # What the formula uses, in its own order; an alias (σ(z) for a) counts as the quantity it
    # stands for. Symbols are only ever made by symbol() above, so their names parse.
    refs: list[Ref] = []
    walk = sp.preorder_traversal(formula)
    for node in walk:
        if node in aliases:
            refs.append(aliases[node])
            walk.skip()
        elif node.is_Symbol:
            refs.append(parse(node.name))
    if meaning is None:
        # Unevaluated, like the formula: σ(z)(1 − σ(z)) becomes a(1 − a) as it stands, the
        # expression SymPy would build, without evaluating an Add (which imports sympy.tensor).
        with sp.evaluate(False):
            meaning = formula.xreplace({alias: symbol(r) for alias, r in aliases.items()})
    return Equation(ref, rule, formula, tuple(aliases.items()), tuple(dict.fromkeys(refs)), meaning)


@lru_cache(maxsize=4096)
def recompute(equation: Equation) -> Callable[..., float]:
    """Return a fast function of the ``depends_on`` values that gives the quantity's value.

    Built once per equation with ``lambdify``; used to check formulas against the NumPy values
    and to recompute a step from a student's own earlier numbers.
    """
    if equation.meaning is None:
        raise ValueError(f"{equation.ref} has no formula")
    arguments = [symbol(r) for r in equation.depends_on]
    function = sp.lambdify(arguments, equation.meaning, "math")

    def value(*values: float) -> float:
        try:
            return float(function(*values))
        except OverflowError:
            # σ(−1000) = 1/(1 + e^1000) and softmax of z = 1000 are finite, but e^1000 is not in
            # float64: take the rare case again with mpmath's unbounded exponent.
            return float(sp.lambdify(arguments, equation.meaning, "mpmath")(*values))

    return value


def _add(*terms: sp.Expr) -> sp.Expr:
    return terms[0] if len(terms) == 1 else sp.Add(*terms, evaluate=False)


def _mul(*factors: sp.Expr) -> sp.Expr:
    return sp.Mul(*factors, evaluate=False)


def _sym(kind: str, l: int | None = None, j: int | None = None, k: int | None = None, s=None) -> sp.Symbol:
    return symbol(Ref(kind, l, j, k, s))


@dataclass(frozen=True)
class _Network:
    """The shape seen by the derivation: layer sizes, activation and loss strategies, samples."""

    layers: tuple[int, ...]
    g: tuple  # g[l] is layer l's activation; g[0] is None (the input)
    cost: Loss
    samples: tuple[int | None, ...]  # (None,) for a single sample: no #s suffix
    shape: Shape

    @property
    def L(self) -> int:
        return len(self.layers) - 1

    def neurons(self, l: int) -> range:
        return range(1, self.layers[l] + 1)


@lru_cache(maxsize=32)
def derive(shape: Shape, steps: int = 1) -> tuple[Equation, ...]:
    """Return every equation of ``steps`` training steps for this shape, in the order of a worked example.

    For layers (2, 2, 2) and one sample: 2 inputs, 2 targets, 12 parameters and η (given), then
    the forward pass, the cost, the backward pass layer by layer, the updates and the new cost.
    With ``steps`` > 1 every quantity of step t is suffixed ``@t`` (inputs, targets and
    hyper-parameters are given once), and step t's parameters are step t − 1's updated ones.
    """
    if steps == 1:
        return _step(shape, 1)
    equations: list[Equation] = []
    for t in range(1, steps + 1):
        equations += [_at(eq, t) for eq in _step(shape, t) if t == 1 or not run_constant(eq.ref)]
    return tuple(equations)


def run_constant(ref: Ref) -> bool:
    """Return True for quantities every step shares: inputs, targets, η and the hyper-parameters.

    >>> run_constant(Ref("a", 0, 1)), run_constant(Ref("a", 1, 1))
    (True, False)
    """
    return ref.kind in RUN_CONSTANTS or (ref.kind == "a" and ref.l == 0)


def _at(equation: Equation, t: int) -> Equation:
    """Return a one-step template's equation as step t's: refs suffixed ``@t``, the state before ``@t−1``.

    A given parameter of step t > 1 becomes the updated one of step t − 1.
    """

    def moved(ref: Ref) -> Ref:
        if run_constant(ref):
            return ref
        return ref.at(t - 1 if ref.step == PREVIOUS else t)

    ref = moved(equation.ref)
    if equation.rule == GIVEN and ref.kind in ("W", "b") and t > 1:
        return _equation(ref, CARRIED, symbol(Ref(ref.kind + "'", ref.l, ref.j, ref.k, step=t - 1)))
    return renamed(equation, moved)


def renamed(equation: Equation, moved: Callable[[Ref], Ref]) -> Equation:
    """Return ``equation`` with every quantity it names (itself, what it uses) moved to ``moved(ref)``.

    The formula keeps its shape; only its symbols change, e.g. from ``z[1][1]`` to ``z[1][1]@2``.
    """
    ref = moved(equation.ref)
    if equation.formula is None:
        return Equation(ref, equation.rule, None, (), tuple(moved(r) for r in equation.depends_on))
    names = {symbol(r): symbol(moved(r)) for r in equation.depends_on}
    names.update({symbol(r): symbol(moved(r)) for _, r in equation.aliases})

    def rename(expr: sp.Expr) -> sp.Expr:
        # Not xreplace: it rebuilds every sum and product evaluated, in SymPy's order, and step 1 of
        # several then read z = b + w⋅x where the single step reads w⋅x + b.
        if expr in names:
            return names[expr]
        if not expr.args:
            return expr
        args = tuple(rename(arg) for arg in expr.args)
        if args == expr.args:
            return expr
        return (
            expr.func(*args, evaluate=False)
            if isinstance(expr, sp.Add | sp.Mul | sp.Pow)
            else expr.func(*args)
        )

    return Equation(
        ref,
        equation.rule,
        rename(equation.formula),
        tuple((rename(alias), moved(r)) for alias, r in equation.aliases),
        tuple(moved(r) for r in equation.depends_on),
        None if equation.meaning is None else rename(equation.meaning),
    )


@lru_cache(maxsize=64)
def _step(shape: Shape, t: int) -> tuple[Equation, ...]:
    """Return the equations of step t with unsuffixed refs; the state before it has step PREVIOUS."""
    net = _Network(
        layers=shape.layers,
        g=(None, *(activation(name, "", shape.leaky_relu_slope) for name in shape.activations)),
        cost=find_loss(shape.loss),
        samples=tuple(range(1, shape.samples + 1)) if shape.samples > 1 else (None,),
        shape=shape,
    )
    equations = [*_givens(net)]
    for s in net.samples:
        equations += _forward(net, s)
        equations += _cost(net, s)
    if len(net.samples) > 1:
        equations.append(_mean(Ref("C"), [Ref("C", sample=s) for s in net.samples]))
    for s in net.samples:
        equations += _backward(net, s)
    if len(net.samples) > 1:
        equations += _batch_gradients(net)
    equations += _updates(net, t)
    return tuple(equations)


def _givens(net: _Network) -> list[Equation]:
    """Return the numbers the spec gives: inputs and targets per sample, W and b, η, hyper-parameters."""
    given = []
    for s in net.samples:
        given += [Equation(Ref("a", 0, k, sample=s), GIVEN) for k in net.neurons(0)]
        given += [Equation(Ref("y", j=j, sample=s), GIVEN) for j in net.neurons(net.L)]
    for l in range(1, net.L + 1):
        given += [Equation(Ref("W", l, j, k), GIVEN) for j in net.neurons(l) for k in net.neurons(l - 1)]
        given += [Equation(Ref("b", l, j), GIVEN) for j in net.neurons(l)]
    optimizer = STRATEGIES[net.shape.optimizer[0]]
    takes = [k for k in optimizer.takes if k != "dampening" or net.shape.optimizer[2]]
    return [*given, Equation(Ref("eta"), GIVEN), *(Equation(Ref(HYPER_ID.get(k, k)), GIVEN) for k in takes)]


def _forward(net: _Network, s: int | None) -> list[Equation]:
    """Return the forward pass of one sample: z = Σ_k w_jk a_k + b_j, then a = g(z)."""
    equations = []
    for l in range(1, net.L + 1):
        for j in net.neurons(l):
            terms = [_mul(_sym("W", l, j, k), _sym("a", l - 1, k, s=s)) for k in net.neurons(l - 1)]
            equations.append(_equation(Ref("z", l, j, sample=s), FORWARD_Z, _add(*terms, _sym("b", l, j))))
        for j in net.neurons(l):
            z = _sym("z", l, j, s=s)
            if net.g[l].is_softmax:
                # a_j = e^{z_j} / Σ_i e^{z_i}
                exps = [sp.exp(_sym("z", l, i, s=s), evaluate=False) for i in net.neurons(l)]
                formula, meaning = _mul(exps[j - 1], sp.Pow(_add(*exps), -1, evaluate=False)), None
            else:
                formula, meaning = net.g[l].written(z), net.g[l].meaning(z)
            equations.append(_equation(Ref("a", l, j, sample=s), FORWARD_A, formula, meaning=meaning))
    return equations


def _cost(net: _Network, s: int | None) -> list[Equation]:
    """Return each output's cost term C_j and the sample's cost C = Σ_j C_j."""
    m = net.layers[net.L]
    equations = [
        _equation(
            Ref("C_term", j=j, sample=s),
            LOSS_TERM,
            net.cost.term(_sym("y", j=j, s=s), _sym("a", net.L, j, s=s), m),
            meaning=_loss_meaning(net.cost.term_meaning, j, net.L, m, s),
        )
        for j in net.neurons(net.L)
    ]
    total = _add(*(_sym("C_term", j=j, s=s) for j in net.neurons(net.L)))
    return [*equations, _equation(Ref("C", sample=s), LOSS_SUM, total)]


def _loss_meaning(meaning, j: int, L: int, m: int, s: int | None) -> sp.Expr | None:
    """Return a loss step's plain maths when it differs from the written formula (0·ln 0 = 0)."""
    return None if meaning is None else meaning(_sym("y", j=j, s=s), _sym("a", L, j, s=s), m)


def _mean(ref: Ref, parts: list[Ref]) -> Equation:
    """Return ref = 1/n Σ parts: the batch cost or a batch gradient."""
    return _equation(ref, BATCH_MEAN, _mul(sp.Rational(1, len(parts)), _add(*(symbol(p) for p in parts))))


def _backward(net: _Network, s: int | None) -> list[Equation]:
    """Return the backward pass of one sample: ∂C/∂a, g′(z), δ (BP1, BP2), then BP3 and BP4."""
    L = net.L
    equations = [
        _equation(
            Ref("dC/da", L, j, sample=s),
            DC_DA,
            net.cost.slope(_sym("y", j=j, s=s), _sym("a", L, j, s=s), net.layers[L]),
            meaning=_loss_meaning(net.cost.slope_meaning, j, L, net.layers[L], s),
        )
        for j in net.neurons(L)
    ]
    for l in range(L, 0, -1):
        if l < L:
            equations += [_paths(net, l, j, s) for j in net.neurons(l)]
        if not net.g[l].is_softmax:
            for j in net.neurons(l):
                z = _sym("z", l, j, s=s)
                written = net.g[l].written(z)
                # σ(z) in σ′(z) = σ(z)(1 − σ(z)) is the activation a: show a's number there.
                aliases = {} if written == z else {written: Ref("a", l, j, sample=s)}
                equations.append(_equation(Ref("da/dz", l, j, sample=s), SLOPE, net.g[l].slope(z), aliases))
        for j in net.neurons(l):
            equations.append(_output_delta(net, j, s) if l == L else _hidden_delta(net, l, j, s))
        for j in net.neurons(l):
            for k in net.neurons(l - 1):
                if l == L and not net.g[l].is_softmax:
                    # The lecture's chain rule: ∂C/∂w = ∂z/∂w · ∂a/∂z · ∂C/∂a, with ∂z/∂w = a_k.
                    rule = CHAIN
                    factors = (_sym("a", l - 1, k, s=s), _sym("da/dz", l, j, s=s), _sym("dC/da", l, j, s=s))
                else:
                    rule, factors = BP4, (_sym("a", l - 1, k, s=s), _sym("delta", l, j, s=s))
                equations.append(_equation(Ref("dC/dW", l, j, k, s), rule, _mul(*factors)))
            equations.append(_equation(Ref("dC/db", l, j, sample=s), BP3, _sym("delta", l, j, s=s)))
    return equations


def _output_delta(net: _Network, j: int, s: int | None) -> Equation:
    """Return BP1 for output neuron j; for softmax, its Jacobian folded into one line."""
    L = net.L
    ref = Ref("delta", L, j, sample=s)
    if not net.g[L].is_softmax:
        return _equation(ref, BP1, _mul(_sym("dC/da", L, j, s=s), _sym("da/dz", L, j, s=s)))
    a_j, y_j = _sym("a", L, j, s=s), _sym("y", j=j, s=s)
    if net.cost.name == "cross_entropy":
        # Softmax with cross-entropy and targets that add up to 1: δ_j = a_j − y_j.
        return _equation(ref, BP1, _add(a_j, _mul(-1, y_j)))
    # ∂a_i/∂z_j = a_i(1[i=j] − a_j), so δ_j = a_j (∂C/∂a_j − Σ_i a_i ∂C/∂a_i).
    weighted = _add(*(_mul(_sym("a", L, i, s=s), _sym("dC/da", L, i, s=s)) for i in net.neurons(L)))
    return _equation(ref, BP1, _mul(a_j, _add(_sym("dC/da", L, j, s=s), _mul(-1, weighted))))


def _paths(net: _Network, l: int, j: int, s: int | None) -> Equation:
    """Return ∂C/∂aˡ_j = Σ_i wˡ⁺¹_ij δˡ⁺¹_i: the cost feels aˡ_j through every neuron i it feeds."""
    back = _add(*(_mul(_sym("W", l + 1, i, j), _sym("delta", l + 1, i, s=s)) for i in net.neurons(l + 1)))
    return _equation(Ref("dC/da", l, j, sample=s), PATHS, back)


def _hidden_delta(net: _Network, l: int, j: int, s: int | None) -> Equation:
    """Return BP2: δˡ_j = ∂C/∂aˡ_j · g′(zˡ_j), with ∂C/∂aˡ_j from :func:`_paths`."""
    return _equation(
        Ref("delta", l, j, sample=s), BP2, _mul(_sym("dC/da", l, j, s=s), _sym("da/dz", l, j, s=s))
    )


def _batch_gradients(net: _Network) -> list[Equation]:
    """Return the batch gradients, each the average of the per-sample gradients."""
    equations = []
    for l in range(1, net.L + 1):
        for j in net.neurons(l):
            for k in net.neurons(l - 1):
                equations.append(
                    _mean(Ref("dC/dW", l, j, k), [Ref("dC/dW", l, j, k, s) for s in net.samples])
                )
            equations.append(_mean(Ref("dC/db", l, j), [Ref("dC/db", l, j, sample=s) for s in net.samples]))
    return equations


def _updates(net: _Network, t: int) -> list[Equation]:
    """Return θ′ = θ − η ∂C/∂θ (or the optimizer's step) for every weight and bias, then C′.

    Frozen biases are kept as they are. An optimizer's step of a parameter is its state
    quantities and then θ′, one equation each (:mod:`tracer.optimizers`).
    """
    name, convention, dampened = net.shape.optimizer
    optimizer = None if name == "gd" else STRATEGIES[name](convention, {"dampening": float(dampened)})
    equations = [] if optimizer is None else _shared(optimizer, t)
    for l in range(1, net.L + 1):
        for j in net.neurons(l):
            for k in net.neurons(l - 1):
                equations += _update(optimizer, Ref("W", l, j, k), Ref("dC/dW", l, j, k), t)
        for j in net.neurons(l):
            if net.shape.update_biases:
                equations += _update(optimizer, Ref("b", l, j), Ref("dC/db", l, j), t)
            else:
                equations.append(_equation(Ref("b'", l, j), FROZEN, _sym("b", l, j)))
    # C′ is a whole forward pass with the new parameters, not a local formula.
    new_parameters = tuple(e.ref for e in equations if e.ref.kind in ("W'", "b'"))
    return [*equations, Equation(Ref("C'"), AFTER, None, (), new_parameters)]


def _place(theta: Ref, gradient: Ref, t: int) -> Place:
    """Return the symbols one parameter's optimizer step is written with."""
    index = (theta.l, theta.j, theta.k)
    return Place(
        theta=symbol(theta),
        g=symbol(gradient),
        eta=_sym("eta"),
        t=t,
        hyper=lambda key: _sym(HYPER_ID.get(key, key)),
        state=lambda kind: _sym(kind, *index),
        before=lambda kind: None if t == 1 else symbol(Ref(kind, *index, step=PREVIOUS)),
        shared=lambda kind: _sym(kind),
    )


def _update(optimizer, theta: Ref, gradient: Ref, t: int) -> list[Equation]:
    """Return one parameter's step: θ′ = θ − η ∂C/∂θ, or the optimizer's state and then θ′."""
    new = Ref(theta.kind + "'", theta.l, theta.j, theta.k)
    if optimizer is None:
        step = _add(symbol(theta), _mul(-1, _sym("eta"), symbol(gradient)))
        return [_equation(new, UPDATE, step)]
    place = _place(theta, gradient, t)
    return [
        _equation(new if kind == NEW else Ref(kind, theta.l, theta.j, theta.k), rule, formula)
        for kind, rule, formula in optimizer.equations(place)
    ]


def _shared(optimizer, t: int) -> list[Equation]:
    """Return the optimizer's quantities computed once per step (the book's Adam step size η_t)."""
    place = _place(Ref("W", 1, 1, 1), Ref("dC/dW", 1, 1, 1), t)
    return [_equation(Ref(kind), rule, formula) for kind, rule, formula in optimizer.shared_equations(place)]
