"""The chain rule, step by step, equals ``sympy.diff`` of the whole composed cost.

tracer never differentiates the composed cost: each quantity has a local formula (BP1–BP4).
Here the test builds the cost of a small network itself, from the closed forms of the
activations and losses (σ(z) = 1/(1 + e^(−z)), C = ½‖y − a‖², …), differentiates it with
``sympy.diff`` in every weight and bias, and compares that with the traced gradient's formula
expanded down to the given numbers by substituting each equation's ``meaning``, at the spec's
numbers and at random points.
"""

from __future__ import annotations

import math
import random

import pytest
import sympy as sp
from engine_networks import VALID_PAIRS, networks, well_conditioned
from hypothesis import HealthCheck, assume, given, settings

from tracer import load_spec, trace
from tracer.activations import activation
from tracer.derive import derive, symbol
from tracer.ids import Ref
from tracer.spec import Shape, from_dict

PROPERTY = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
S = sp.Symbol


def closed_form(name: str, z: list[sp.Expr], slope: float) -> list[sp.Expr]:
    """Return a = g(z) for one layer, written from the textbook definitions."""
    name = {"linear": "identity", "logistic": "sigmoid"}.get(name, name)
    if name == "softmax":
        total = sum(sp.exp(v) for v in z)
        return [sp.exp(v) / total for v in z]
    forms = {
        "sigmoid": lambda v: 1 / (1 + sp.exp(-v)),
        "tanh": sp.tanh,
        "relu": lambda v: sp.Max(0, v),
        "leaky_relu": lambda v: sp.Max(v, sp.Float(slope) * v),  # max(z, αz) for 0 < α < 1
        "identity": lambda v: v,
    }
    return [forms[name](v) for v in z]


def composed_cost(data: dict) -> sp.Expr:
    """Return the cost of one sample as one expression in x, y, W and b (canonical symbols)."""
    layers = data["layers"]
    names = data["activations"]
    names = [names] * (len(layers) - 1) if isinstance(names, str) else names
    a = [S(f"a[0][{k}]") for k in range(1, layers[0] + 1)]
    for l in range(1, len(layers)):
        z = [
            sum(S(f"W[{l}][{j}][{k}]") * a[k - 1] for k in range(1, layers[l - 1] + 1)) + S(f"b[{l}][{j}]")
            for j in range(1, layers[l] + 1)
        ]
        a = closed_form(names[l - 1], z, data.get("leaky_relu_slope", 0.01))
    y = [S(f"y[{j}]") for j in range(1, layers[-1] + 1)]
    m = len(y)
    loss = data.get("loss", "quadratic")
    if loss == "quadratic":
        return sum((t - o) ** 2 for t, o in zip(y, a, strict=True)) / 2
    if loss == "sse":
        return sum((t - o) ** 2 for t, o in zip(y, a, strict=True))
    if loss == "mse":
        return sum((t - o) ** 2 for t, o in zip(y, a, strict=True)) / m
    if loss == "cross_entropy":
        return -sum(t * sp.log(o) for t, o in zip(y, a, strict=True))
    return -sum(t * sp.log(o) + (1 - t) * sp.log(1 - o) for t, o in zip(y, a, strict=True))


def expanded(result, ref: Ref) -> sp.Expr:
    """Return the traced formula of ``ref`` with every non-given quantity replaced by its meaning."""
    equations = {q.ref: q.equation for q in result.quantities}
    done: dict[Ref, sp.Expr] = {}

    def expand(r: Ref) -> sp.Expr:
        if r not in done:
            equation = equations[r]
            if equation.meaning is None:
                done[r] = symbol(r)
            else:
                done[r] = equation.meaning.xreplace({symbol(d): expand(d) for d in equation.depends_on})
        return done[r]

    return expand(ref)


def points(data: dict, count: int, seed: int) -> list[dict[sp.Symbol, float]]:
    """Return the spec's own numbers, then ``count`` random points of the same kind."""
    layers = data["layers"]
    sample = data["samples"][0]
    own = {S(f"a[0][{k}]"): x for k, x in enumerate(sample["x"], start=1)}
    own |= {S(f"y[{j}]"): t for j, t in enumerate(sample["y"], start=1)}
    for l in range(1, len(layers)):
        for j in range(1, layers[l] + 1):
            own[S(f"b[{l}][{j}]")] = data["biases"][l - 1][j - 1]
            for k in range(1, layers[l - 1] + 1):
                own[S(f"W[{l}][{j}][{k}]")] = data["weights"][l - 1][j - 1][k - 1]
    rng = random.Random(seed)
    result = [own]
    for _ in range(count):
        point = {s: rng.uniform(-1, 1) for s in own}
        targets = [S(f"y[{j}]") for j in range(1, layers[-1] + 1)]
        if data["loss"] in ("cross_entropy", "binary_cross_entropy"):
            raw = [rng.uniform(0.05, 1) for _ in targets]
            if data["loss"] == "cross_entropy" and data["activations"][-1] == "softmax":
                raw = [r / sum(raw) for r in raw]  # δ = a − y holds for targets adding up to 1
            point |= dict(zip(targets, raw, strict=True))
        result.append(point)
    return result


def at(expr: sp.Expr, point: dict[sp.Symbol, float]) -> float:
    return float(expr.xreplace({s: sp.Float(v, 30) for s, v in point.items()}).evalf(30))


def with_point(data: dict, point: dict[sp.Symbol, float]) -> dict:
    """Return the spec dict with the numbers of ``point`` in place of its own."""
    layers = data["layers"]
    return {
        **data,
        "weights": [
            [
                [point[S(f"W[{l}][{j}][{k}]")] for k in range(1, layers[l - 1] + 1)]
                for j in range(1, layers[l] + 1)
            ]
            for l in range(1, len(layers))
        ],
        "biases": [
            [point[S(f"b[{l}][{j}]")] for j in range(1, layers[l] + 1)] for l in range(1, len(layers))
        ],
        "samples": [
            {
                "x": [point[S(f"a[0][{k}]")] for k in range(1, layers[0] + 1)],
                "y": [point[S(f"y[{j}]")] for j in range(1, layers[-1] + 1)],
            }
        ],
    }


def check_chain_rule_equals_diff(data: dict, seed: int) -> None:
    result = trace(from_dict(data))
    cost = composed_cost(data)
    checked_points = [p for p in points(data, 3, seed) if well_conditioned(with_point(data, p), 1e-6)]
    assert checked_points
    # The traced cost, expanded, is the closed-form cost.
    traced_cost = expanded(result, Ref("C"))
    for point in checked_points:
        assert math.isclose(at(traced_cost, point), at(cost, point), rel_tol=1e-12, abs_tol=1e-12)
    layers = data["layers"]
    for l in range(1, len(layers)):
        for j in range(1, layers[l] + 1):
            wrt = [(Ref("W", l, j, k), Ref("dC/dW", l, j, k)) for k in range(1, layers[l - 1] + 1)]
            for parameter, gradient in [*wrt, (Ref("b", l, j), Ref("dC/db", l, j))]:
                by_diff = sp.diff(cost, symbol(parameter))
                by_chain_rule = expanded(result, gradient)
                for point in checked_points:
                    expected = at(by_diff, point)
                    got = at(by_chain_rule, point)
                    assert math.isclose(got, expected, rel_tol=1e-10, abs_tol=1e-12), (
                        f"{gradient}: chain rule {got}, sympy.diff {expected} at {point}"
                    )


@PROPERTY
@given(networks(max_depth=2, max_width=2, max_samples=1))
def test_chain_rule_equals_sympy_diff_on_random_small_networks(data):
    assume(well_conditioned(data))
    check_chain_rule_equals_diff(data, seed=len(data["layers"]))


@pytest.mark.parametrize(("output", "loss"), VALID_PAIRS)
def test_chain_rule_equals_sympy_diff_for_every_output_and_loss(output, loss):
    data = {
        "layers": [2, 2, 2],
        "activations": ["tanh", output],
        "loss": loss,
        "learning_rate": 0.5,
        "weights": [[[0.15, -0.2], [0.25, 0.3]], [[0.4, -0.45], [0.5, 0.55]]],
        "biases": [[0.35, -0.1], [0.6, 0.2]],
        "samples": [{"x": [0.05, 0.1], "y": [0.3, 0.7]}],
    }
    check_chain_rule_equals_diff(data, seed=VALID_PAIRS.index((output, loss)))


def test_chain_rule_is_exactly_the_derivative_for_one_sigmoid_neuron():
    # Symbolically, not just at points: for the one-neuron preset the expanded three-factor
    # chain rule ∂z/∂w · ∂a/∂z · ∂C/∂a simplifies to exactly d/dw of (σ(wx + b) − y)².
    spec = load_spec("neuron")
    data = {"layers": [1, 1], "activations": "sigmoid", "loss": "sse"}
    by_diff = sp.diff(composed_cost(data), S("W[1][1][1]"))
    by_chain_rule = expanded(trace(spec), Ref("dC/dW", 1, 1, 1))
    assert sp.simplify(by_chain_rule - by_diff) == 0


# Some expressions are built unevaluated, so that a worked example never evaluates a SymPy Add (the
# first one imports sympy.tensor, a fifth of the command's own time): they must be exactly the
# expressions SymPy builds when it evaluates, or the printed and recomputed maths would change.
HIDDEN = ("sigmoid", "tanh", "relu", "leaky_relu", "identity")


def test_unevaluated_sigmoid_is_the_evaluated_expression():
    z = S("z[1][1]")
    meaning = activation("sigmoid", "").meaning(z)
    assert meaning == 1 / (1 + sp.exp(-z))
    assert sp.srepr(meaning) == sp.srepr(1 / (1 + sp.exp(-z)))


@pytest.mark.parametrize(("output", "loss"), VALID_PAIRS)
def test_unevaluated_meanings_are_the_evaluated_expressions(output, loss):
    hidden = HIDDEN[VALID_PAIRS.index((output, loss)) % len(HIDDEN)]  # each one several times
    shape = Shape((2, 2, 2), (hidden, output), 0.01, loss, samples=1, update_biases=True)
    aliased = [eq for eq in derive(shape) if eq.aliases]
    for equation in aliased:
        evaluated = equation.formula.xreplace({alias: symbol(r) for alias, r in equation.aliases})
        assert equation.meaning == evaluated, equation.ref
        assert sp.srepr(equation.meaning) == sp.srepr(evaluated), equation.ref
    # σ and tanh stand for their activation in ∂a/∂z: the comparison above ran.
    assert bool(aliased) == bool({hidden, output} & {"sigmoid", "logistic", "tanh"})
