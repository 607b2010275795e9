"""Random networks for the engine tests: Hypothesis strategies and seeded NumPy draws.

A network is the plain dict a spec file holds (layers, activations, loss, weights, …), so the
same data feeds ``tracer.spec.from_dict`` and the independent oracle in ``oracle_backprop``.
Only valid combinations are drawn: softmax only at the output, cross-entropy with a softmax or
sigmoid output, binary cross-entropy with a sigmoid output, log-loss targets in [0, 1] and
softmax cross-entropy targets that add up to 1.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from oracle_backprop import Net

# Mazur's 2-2-2 network as plain spec data, for tests that change one key at a time.
MAZUR_DATA = {
    "layers": [2, 2, 2],
    "activations": "sigmoid",
    "loss": "quadratic",
    "learning_rate": 0.5,
    "weights": [[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45], [0.5, 0.55]]],
    "biases": [[0.35, 0.35], [0.6, 0.6]],
    "samples": [{"x": [0.05, 0.1], "y": [0.01, 0.99]}],
}
ELEMENTWISE = ("sigmoid", "tanh", "relu", "leaky_relu", "identity", "linear", "logistic")
LOSSES = ("quadratic", "sse", "mse", "cross_entropy", "binary_cross_entropy")
LOG_LOSSES = ("cross_entropy", "binary_cross_entropy")
KINKED = ("relu", "leaky_relu")


def outputs_for(loss: str) -> tuple[str, ...]:
    """Return the output activations that go with a loss."""
    if loss == "binary_cross_entropy":
        return ("sigmoid", "logistic")
    if loss == "cross_entropy":
        return ("softmax", "sigmoid", "logistic")
    return (*ELEMENTWISE, "softmax")


VALID_PAIRS = tuple((out, loss) for loss in LOSSES for out in outputs_for(loss))


def _numbers(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(low, high, allow_nan=False, allow_infinity=False, allow_subnormal=False)


def _target_strategy(loss: str, output: str, m: int) -> st.SearchStrategy[list[float]]:
    if loss == "cross_entropy" and output == "softmax":
        raw = st.lists(_numbers(0.0, 1.0), min_size=m, max_size=m)
        return st.tuples(raw, st.integers(0, m - 1)).map(lambda p: _distribution(*p))
    if loss in LOG_LOSSES:
        return st.lists(_numbers(0.0, 1.0), min_size=m, max_size=m)
    return st.lists(_numbers(-1.5, 1.5), min_size=m, max_size=m)


def _distribution(raw: list[float], hot: int) -> list[float]:
    """Return raw scaled to add up to 1, or one-hot at ``hot`` when raw is all zeros."""
    total = sum(raw)
    if total < 1e-6:
        return [1.0 if i == hot else 0.0 for i in range(len(raw))]
    return [r / total for r in raw]


@st.composite
def networks(draw, max_depth: int = 4, max_width: int = 5, max_samples: int = 3) -> dict:
    """Return a random valid spec dict with explicit weights, biases and samples."""
    depth = draw(st.integers(1, max_depth))
    layers = draw(st.lists(st.integers(1, max_width), min_size=depth + 1, max_size=depth + 1))
    loss = draw(st.sampled_from(LOSSES))
    output = draw(st.sampled_from(outputs_for(loss)))
    hidden = draw(st.lists(st.sampled_from(ELEMENTWISE), min_size=depth - 1, max_size=depth - 1))
    weights = [
        draw(
            st.lists(
                st.lists(_numbers(-1.0, 1.0), min_size=layers[l - 1], max_size=layers[l - 1]),
                min_size=layers[l],
                max_size=layers[l],
            )
        )
        for l in range(1, depth + 1)
    ]
    biases = [
        draw(st.lists(_numbers(-0.5, 0.5), min_size=layers[l], max_size=layers[l]))
        for l in range(1, depth + 1)
    ]
    samples = [
        {
            "x": draw(st.lists(_numbers(-1.0, 1.0), min_size=layers[0], max_size=layers[0])),
            "y": draw(_target_strategy(loss, output, layers[-1])),
        }
        for _ in range(draw(st.integers(1, max_samples)))
    ]
    return {
        "layers": layers,
        "activations": [*hidden, output],
        "leaky_relu_slope": draw(_numbers(0.01, 0.3)),
        "loss": loss,
        "learning_rate": draw(_numbers(0.01, 2.0)),
        "update_biases": draw(st.booleans()),
        "weights": weights,
        "biases": biases,
        "samples": samples,
    }


def seeded_network(seed: int, layers: list[int], activations: list[str], loss: str, samples: int = 2) -> dict:
    """Return a spec dict with parameters and samples drawn from NumPy's generator ``seed``."""
    rng = np.random.default_rng(seed)
    m = layers[-1]
    data_samples = []
    for _ in range(samples):
        x = rng.uniform(-1, 1, layers[0])
        if loss == "cross_entropy" and activations[-1] == "softmax":
            y = rng.dirichlet(np.ones(m))
        elif loss in LOG_LOSSES:
            y = rng.uniform(0, 1, m)
        else:
            y = rng.uniform(-1.5, 1.5, m)
        data_samples.append({"x": x.tolist(), "y": y.tolist()})
    return {
        "layers": layers,
        "activations": activations,
        "leaky_relu_slope": float(rng.uniform(0.01, 0.3)),
        "loss": loss,
        "learning_rate": float(rng.uniform(0.05, 1.0)),
        "update_biases": bool(seed % 2),
        "weights": [
            rng.uniform(-1, 1, (n, p)).tolist() for n, p in zip(layers[1:], layers[:-1], strict=True)
        ],
        "biases": [rng.uniform(-0.5, 0.5, n).tolist() for n in layers[1:]],
        "samples": data_samples,
    }


def well_conditioned(data: dict, margin: float = 1e-3) -> bool:
    """Return False if a ReLU-like z is within ``margin`` of its kink or a log loss nearly sees ln 0.

    Finite differences across a kink, or next to ln 0, measure something else than the
    derivative, so such draws are skipped.
    """
    net = Net.of(data)
    for sample in data["samples"]:
        zs, acts = net.forward(np.array(sample["x"], dtype=float))
        for l, name in enumerate(net.activations, start=1):
            if name in KINKED and np.any(np.abs(zs[l]) < margin):
                return False
        if net.loss in LOG_LOSSES and np.any((acts[-1] < 1e-6) | (acts[-1] > 1 - 1e-6)):
            return False
    return True
