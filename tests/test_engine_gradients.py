"""Every traced gradient against two independent oracles, on random networks of every kind.

(a) central finite differences of the batch cost, with the oracle's own forward pass;
(b) the plain NumPy matrix backprop of ``oracle_backprop`` (BP1–BP4 from Nielsen ch. 2), which
also gives the updated parameters W′, b′ and the cost C′ after the update.
Neither oracle imports tracer's numeric code.
"""

from __future__ import annotations

import math

import pytest
from engine_networks import ELEMENTWISE, VALID_PAIRS, networks, seeded_network, well_conditioned
from hypothesis import HealthCheck, assume, given, settings
from oracle_backprop import finite_difference, step

from tracer import trace
from tracer.ids import Ref
from tracer.spec import from_dict

PROPERTY = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def parameters(layers: list[int]):
    """Yield ("W", l, j, k) and ("b", l, j, None) for every parameter, l, j, k counted from 1."""
    for l in range(1, len(layers)):
        for j in range(1, layers[l] + 1):
            for k in range(1, layers[l - 1] + 1):
                yield "W", l, j, k
            yield "b", l, j, None


def same(traced: float, expected: float, what: str) -> None:
    """Assert two float64 computations of the same maths agree to rounding."""
    assert math.isclose(traced, expected, rel_tol=1e-9, abs_tol=1e-12), f"{what}: {traced} != {expected}"


def check_against_oracles(data: dict) -> None:
    spec = from_dict(data)
    result = trace(spec)
    oracle = step(data)
    cost = oracle.cost
    same(result["C"].value, cost, "C")

    traced_gradients = {
        q.id for q in result.quantities if q.ref.kind in ("dC/dW", "dC/db") and q.ref.sample is None
    }
    expected_gradients = set()
    for kind, l, j, k in parameters(data["layers"]):
        gradient_ref = Ref(f"dC/d{kind}", l, j, k)
        expected_gradients.add(str(gradient_ref))
        traced = result[gradient_ref].value
        if kind == "W":
            matrix_backprop = oracle.grad_w[l - 1][j - 1, k - 1]
            updated = oracle.new_w[l - 1][j - 1, k - 1]
        else:
            matrix_backprop = oracle.grad_b[l - 1][j - 1]
            updated = oracle.new_b[l - 1][j - 1]
        same(traced, matrix_backprop, str(gradient_ref))
        numeric = finite_difference(data, kind, l, j, k)
        # Central differences with h = 1e-5 are off by about h²·C‴ + ε·C/h ≈ 1e-10·(1 + C):
        # far inside this bound, which still catches a wrong factor or a missing term.
        tolerance = 1e-6 * (1 + abs(cost)) + 1e-6 * abs(numeric)
        assert abs(traced - numeric) <= tolerance, (
            f"{gradient_ref}: traced {traced}, finite difference {numeric}"
        )
        same(result[Ref(f"{kind}'", l, j, k)].value, updated, f"{kind}'[{l}][{j}]")
    assert traced_gradients == expected_gradients
    same(result["C'"].value, oracle.cost_after, "C'")

    samples = data["samples"]
    if len(samples) > 1:
        # Each per-sample gradient is the oracle's gradient of that sample alone.
        for s, sample in enumerate(samples, start=1):
            alone = step({**data, "samples": [sample]})
            same(result[Ref("C", sample=s)].value, alone.cost, f"C#{s}")
            for kind, l, j, k in parameters(data["layers"]):
                grads = alone.grad_w if kind == "W" else alone.grad_b
                index = (j - 1, k - 1) if kind == "W" else (j - 1,)
                same(result[Ref(f"dC/d{kind}", l, j, k, s)].value, grads[l - 1][index], f"dC/d{kind}#{s}")
    for s, zs in enumerate(oracle.zs, start=1):
        for l in range(1, len(zs)):
            for j, z in enumerate(zs[l], start=1):
                same(result[Ref("z", l, j, sample=s if len(samples) > 1 else None)].value, z, f"z[{l}][{j}]")


@PROPERTY
@given(networks())
def test_gradients_match_finite_differences_and_matrix_backprop(data):
    assume(well_conditioned(data))
    check_against_oracles(data)


@pytest.mark.parametrize(("output", "loss"), VALID_PAIRS)
def test_every_output_activation_with_every_loss_it_allows(output, loss):
    # A fixed 3-4-3 network per pair (2 samples), so every combination is covered every run.
    seed = VALID_PAIRS.index((output, loss))
    data = seeded_network(seed, [3, 4, 3], ["tanh", output], loss)
    assert well_conditioned(data)
    check_against_oracles(data)


@pytest.mark.parametrize("hidden", ELEMENTWISE)
@pytest.mark.parametrize("depth", [2, 3])
def test_every_hidden_activation(hidden, depth):
    seed = 100 + ELEMENTWISE.index(hidden) + 10 * depth
    layers = [2, 3, 4, 2][: depth + 1]
    data = seeded_network(seed, layers, [hidden] * (depth - 1) + ["sigmoid"], "quadratic", samples=3)
    assert well_conditioned(data)
    check_against_oracles(data)
