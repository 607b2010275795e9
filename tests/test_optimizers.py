"""Optimizers against independent oracles: a separate NumPy implementation of each optimizer in
each convention (``oracle_optimizers``), PyTorch's published numbers, and the formulas' own values."""

from __future__ import annotations

import copy
import json
import math

import numpy as np
import pytest
from engine_networks import MAZUR_DATA
from oracle_optimizers import make, run

from tracer.errors import SpecError
from tracer.evaluate import cost_after_update
from tracer.ids import Ref, parse
from tracer.spec import from_dict
from tracer.trace import optimizer_steps, trace

NAMES = ("momentum", "nesterov", "adagrad", "rmsprop", "adam")
CONVENTIONS = ("torch", "book")
# f(x) = (x − 4)²: one weight w = x, input 1, target 4, identity output, the sse loss, no bias.
PARABOLA = {
    "layers": [1, 1],
    "activations": "identity",
    "loss": "sse",
    "learning_rate": 0.2,
    "update_biases": False,
    "weights": [[[10.0]]],
    "biases": [[0.0]],
    "samples": [{"x": [1.0], "y": [4.0]}],
}


def spec_with(data: dict, **optimizer):
    data = copy.deepcopy(data)
    data["optimizer"] = optimizer
    return from_dict(data)


def parameter_refs(data: dict, frozen: bool) -> list[Ref]:
    layers = data["layers"]
    refs = []
    for l in range(1, len(layers)):
        refs += [Ref("W", l, j, k) for j in range(1, layers[l] + 1) for k in range(1, layers[l - 1] + 1)]
        if not frozen:
            refs += [Ref("b", l, j) for j in range(1, layers[l] + 1)]
    return refs


def oracle_value(state: dict, ref: Ref) -> float:
    if ref.kind == "W":
        return state["weights"][ref.l - 1][ref.j - 1][ref.k - 1]
    return state["biases"][ref.l - 1][ref.j - 1]


@pytest.mark.parametrize("convention", CONVENTIONS)
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("frozen", [False, True])
def test_three_steps_match_a_separately_written_optimizer(name, convention, frozen):
    data = {**MAZUR_DATA, "learning_rate": 0.05, "update_biases": not frozen}
    hyper = {"momentum": 0.8} if name in ("momentum", "nesterov") else {}
    if name == "momentum" and convention == "torch":
        hyper["dampening"] = 0.25
    result = trace(spec_with(data, name=name, convention=convention, **hyper), 3)
    expected = run(data, make(name, convention, 0.05, **hyper), 3)
    for t in (1, 2, 3):
        for ref in parameter_refs(data, frozen):
            new = Ref(ref.kind + "'", ref.l, ref.j, ref.k, step=t)
            assert result.values[new] == pytest.approx(
                oracle_value(expected[t - 1], ref), rel=1e-12, abs=1e-15
            )


@pytest.mark.parametrize("convention", CONVENTIONS)
@pytest.mark.parametrize("name", NAMES)
def test_every_optimizer_formula_gives_its_value(name, convention):
    """Each step's SymPy formula, evaluated from the other values, is the NumPy value (3 steps)."""
    data = {**MAZUR_DATA, "learning_rate": 0.1}
    result = trace(spec_with(data, name=name, convention=convention), 3)
    checked = 0
    for q in result.quantities:
        if q.formula is not None:
            assert q.recompute(result.values) == pytest.approx(q.value, rel=1e-11, abs=1e-14), q.id
            checked += 1
        elif q.ref.kind == "C'":
            assert cost_after_update(result.spec, result.values, q.ref.step) == q.value
    assert checked > 3 * 60


def test_pytorch_adam_on_mazur_network():
    """PyTorch's Adam, lr 0.01, frozen biases, on Mazur's network (numbers from the issue)."""
    spec = spec_with({**MAZUR_DATA, "learning_rate": 0.01, "update_biases": False}, name="adam")
    result = trace(spec, 2)
    assert result["W'[1][1][1]@1"].value == pytest.approx(0.14000022800975093, abs=1e-16)
    assert result["W'[2][1][1]@1"].value == pytest.approx(0.3900000012170329, abs=1e-16)
    assert result["W'[1][1][1]@2"].value == pytest.approx(0.1300115226104571, abs=1e-16)
    # step 2's loss is computed at the weights after step 1; C' is the cost after step 2
    assert result["C@2"].value == pytest.approx(0.2962433638903545, abs=1e-16)
    assert result["C'@1"].value == result["C@2"].value
    assert result["C'@2"].value == pytest.approx(0.2941200085235883, abs=1e-16)
    assert result["C@2"].rule == "cost" and result["C'@2"].rule == "cost after the update"


def test_adam_first_step_is_about_eta_times_the_sign():
    spec = spec_with({**MAZUR_DATA, "learning_rate": 0.01}, name="adam")
    result = trace(spec)
    for q in result.quantities:
        if q.ref.kind in ("W'", "b'"):
            theta = Ref(q.ref.kind[0], q.ref.l, q.ref.j, q.ref.k)
            g = result.values[Ref("dC/d" + theta.kind, theta.l, theta.j, theta.k)]
            assert q.value - result.values[theta] == pytest.approx(-0.01 * math.copysign(1, g), rel=1e-4)


@pytest.mark.parametrize(
    ("hyper", "expected"),
    [
        ({"name": "momentum"}, [7.6, 4.0, 0.76, -0.86]),
        ({"name": "nesterov"}, [5.44, 2.4016, 1.400224, 1.899391]),
        ({"name": "momentum", "dampening": 0.5}, [7.6, 4.72, 1.984, -0.0752]),
    ],
)
def test_momentum_on_a_parabola(hyper, expected):
    """Momentum 0.9, lr 0.2 on (x − 4)² from x = 10 (PyTorch's SGD; numbers from the issue)."""
    result = trace(spec_with(PARABOLA, momentum=0.9, **hyper), 4)
    got = [result[f"W'[1][1][1]@{t}"].value for t in (1, 2, 3, 4)]
    assert got == pytest.approx(expected, abs=5e-7)


def test_book_momentum_is_the_same_path_with_eta_inside_the_velocity():
    """On the parabola the book's v = −η·(PyTorch's buffer), so both conventions take the same steps."""
    torch = trace(spec_with(PARABOLA, name="momentum"), 3)
    book = trace(spec_with(PARABOLA, name="momentum", convention="book"), 3)
    for t in (1, 2, 3):
        assert book[f"W'[1][1][1]@{t}"].value == pytest.approx(torch[f"W'[1][1][1]@{t}"].value, abs=1e-12)
        v_book, v_torch = book[f"velocity[1][1][1]@{t}"].value, torch[f"velocity[1][1][1]@{t}"].value
        assert v_book == pytest.approx(-0.2 * v_torch, abs=1e-12)


def test_book_adam_differs_from_torch_only_through_epsilon():
    torch = trace(spec_with(MAZUR_DATA, name="adam", eps=0.0), 3)
    book = trace(spec_with(MAZUR_DATA, name="adam", convention="book", eps=0.0), 3)
    assert book["W'[2][1][1]@3"].value == pytest.approx(torch["W'[2][1][1]@3"].value, rel=1e-13)
    assert book["eta_t@2"].value == pytest.approx(0.5 * math.sqrt(1 - 0.999**2) / (1 - 0.9**2))
    with_eps = trace(spec_with(MAZUR_DATA, name="adam", convention="book"), 3)
    assert with_eps["W'[1][1][1]@3"].value != torch["W'[1][1][1]@3"].value


def test_state_ids_symbols_and_order():
    spec = spec_with(MAZUR_DATA | {"notation": "mazur"}, name="adam")
    result = trace(spec)
    steps = optimizer_steps(result)
    assert steps[0] == (
        Ref("W", 1, 1, 1),
        (
            Ref("m", 1, 1, 1),
            Ref("v", 1, 1, 1),
            Ref("m_hat", 1, 1, 1),
            Ref("v_hat", 1, 1, 1),
            Ref("W'", 1, 1, 1),
        ),
    )
    assert result.naming.name(parse("m_hat[2][1][1]")) == "mhat(w_5)"
    assert result.naming.name(parse("v[2][1]")) == "v(b_o1)"
    assert result["m[2][1][1]"].depends_on == (Ref("beta1"), Ref("dC/dW", 2, 1, 1))
    assert [result[k].value for k in ("beta1", "beta2", "eps")] == [0.9, 0.999, 1e-8]
    several = trace(spec, 2)
    assert several["m[2][1][1]@2"].depends_on == (
        Ref("beta1"),
        Ref("m", 2, 1, 1, step=1),
        Ref("dC/dW", 2, 1, 1, step=2),
    )
    assert several["W[2][1][1]@2"].depends_on == (Ref("W'", 2, 1, 1, step=1),)
    book = trace(spec_with(MAZUR_DATA, name="adam", convention="book"))
    assert optimizer_steps(book)[0] == (Ref("eta_t"), ())


def test_gd_trace_is_unchanged_by_the_optimizer_table():
    plain = trace(from_dict(MAZUR_DATA))
    explicit = trace(spec_with(MAZUR_DATA, name="gd"))
    assert [(q.id, q.value, q.formula) for q in plain.quantities] == [
        (q.id, q.value, q.formula) for q in explicit.quantities
    ]
    assert "optimizer" not in plain.spec.to_dict()
    assert spec_with(MAZUR_DATA, name="rmsprop").to_dict()["optimizer"] == {
        "name": "rmsprop",
        "convention": "torch",
        "alpha": 0.99,
        "eps": 1e-8,
    }


def test_defaults():
    assert spec_with(MAZUR_DATA, name="adagrad").optimizer["eps"] == 1e-10
    assert spec_with(MAZUR_DATA, name="adagrad", convention="book").optimizer["eps"] == 1e-7
    assert spec_with(MAZUR_DATA, name="nesterov").optimizer["momentum"] == 0.9
    assert spec_with(MAZUR_DATA, name="momentum").optimizer["dampening"] == 0.0


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"name": "adma"}, 'optimizer.name: unknown optimizer "adma"; did you mean "adam"?'),
        ({"name": "adam", "beta1": 1.0}, "optimizer.beta1: must be at least 0 and below 1, got 1"),
        ({"name": "adam", "beta2": -0.1}, "optimizer.beta2: must be at least 0 and below 1, got -0.1"),
        ({"name": "rmsprop", "eps": -1e-8}, "optimizer.eps: ε must be 0 or more, got -1e-08"),
        ({"name": "adam", "momentum": 0.9}, "optimizer.momentum: adam (torch) does not take momentum"),
        ({"name": "nesterov", "dampening": 0.1}, "optimizer.dampening: nesterov (torch) does not take"),
        (
            {"name": "momentum", "convention": "book", "dampening": 0.1},
            "optimizer.dampening: momentum (book) does not",
        ),
        ({"name": "adam", "convention": "keras"}, 'optimizer.convention: unknown convention "keras"'),
        ({"name": "adam", "eps": "small"}, "optimizer.eps: must be a finite number, got 'small'"),
    ],
)
def test_bad_optimizer_tables(table, message):
    with pytest.raises(SpecError) as error:
        spec_with(MAZUR_DATA, **table)
    assert str(error.value).startswith(message)


@pytest.mark.parametrize("convention", CONVENTIONS)
@pytest.mark.parametrize("name", NAMES)
def test_training_takes_the_traced_steps(name, convention):
    """`tracer train`'s loop and the worked example of three steps give the same parameters."""
    from tracer.train.descent import descend

    spec = spec_with({**MAZUR_DATA, "learning_rate": 0.05}, name=name, convention=convention)
    history = descend(spec, 0.05, 3)
    traced = trace(spec, 3)
    for l, (W, b) in enumerate(zip(history.weights, history.biases, strict=True), start=1):
        for (j, k), value in np.ndenumerate(W):
            assert value == pytest.approx(traced[f"W'[{l}][{j + 1}][{k + 1}]@3"].value, rel=1e-13, abs=1e-16)
        for (j,), value in np.ndenumerate(b):
            assert value == pytest.approx(traced[f"b'[{l}][{j + 1}]@3"].value, rel=1e-13, abs=1e-16)
    assert history.losses[2] == pytest.approx(traced["C@3"].value, rel=1e-13)
    assert history.losses[3] == pytest.approx(traced["C'@3"].value, rel=1e-13)


def test_check_grades_optimizer_quantities_of_several_steps(tmp_path, capsys):
    from tracer.cli import main

    spec = tmp_path / "adam.toml"
    spec.write_text(
        'notation = "mazur"\nlayers = [2, 2, 2]\nactivations = "sigmoid"\nlearning_rate = 0.01\n'
        "update_biases = false\nweights = [[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45], [0.5, 0.55]]]\n"
        'biases = [[0.35, 0.35], [0.6, 0.6]]\n[optimizer]\nname = "adam"\n'
        "[[samples]]\nx = [0.05, 0.1]\ny = [0.01, 0.99]\n",
        encoding="utf-8",
    )
    answers = tmp_path / "answers.toml"
    # m(w5) wrong at step 1; m̂(w5) carried forward from it; step 2's moment and cost right
    answers.write_text(
        '"m(w5)@1" = 0.0092\n"mhat(w5)@1" = 0.092\n"m(w5)@2" = 0.0156\n"E_total^+@2" = 0.2941\n',
        encoding="utf-8",
    )
    assert main(["check", str(spec), str(answers), "--steps", "2"]) == 1  # the terminal report
    assert "E⁺ₜₒₜₐₗ⁽ᵗ⁼²⁾" in capsys.readouterr().out
    assert main(["check", str(spec), str(answers), "--steps", "2", "--format", "json"]) == 1
    marks = {m["id"]: m["status"] for m in json.loads(capsys.readouterr().out)["files"][0]["answers"]}
    assert marks == {
        "m[2][1][1]@1": "wrong",
        "m_hat[2][1][1]@1": "carried_forward",
        "m[2][1][1]@2": "correct",
        "C'@2": "correct",
    }


def test_handout_asks_optimizer_state_and_draws_hyper_parameters():
    from tracer.handout.model import Request, make_handout

    data = {
        **MAZUR_DATA,
        "learning_rate": 0.01,
        "optimizer": {"name": "adam"},
        "ask": ["m[2][*][1]", "v_hat[2][1]", "W'[2][1][1]"],
        "randomize": {"optimizer": {"beta1": {"choices": [0.8, 0.9]}, "beta2": {"choices": [0.99]}}},
    }
    handout = make_handout(from_dict(data), Request("spec", count=8, seed=3))
    for variant in handout.variants:
        assert variant.spec.optimizer["beta1"] in (0.8, 0.9) and variant.spec.optimizer["beta2"] == 0.99
    assert {v.spec.optimizer["beta1"] for v in handout.variants} == {0.8, 0.9}
    asked = [str(r) for r in handout.asked]
    assert asked == ["m[2][1][1]", "W'[2][1][1]", "m[2][2][1]", "v_hat[2][1]"]  # the worked example's order
    with pytest.raises(
        SpecError, match=r"randomize\.optimizer\.momentum: adam \(torch\) does not take momentum"
    ):
        from_dict({**data, "randomize": {"optimizer": {"momentum": {"choices": [0.5]}}}})
    with pytest.raises(
        SpecError, match=r"randomize\.optimizer\.beta1: must be at least 0 and below 1, got 1"
    ):
        from_dict({**data, "randomize": {"optimizer": {"beta1": {"low": 0.5, "high": 1.0}}}})


def test_bad_optimizer_on_the_command_line_is_one_line_and_status_2(tmp_path, capsys):
    from tracer.cli import main

    spec = tmp_path / "bad.toml"
    spec.write_text(
        'layers = [1, 1]\nactivations = "identity"\nlearning_rate = 0.1\nweights = [[[1.0]]]\n'
        'biases = [[0.0]]\n[optimizer]\nname = "adma"\n[[samples]]\nx = [1.0]\ny = [4.0]\n',
        encoding="utf-8",
    )
    assert main(["trace", str(spec)]) == 2
    err = capsys.readouterr().err
    assert err == 'tracer: optimizer.name: unknown optimizer "adma"; did you mean "adam"?\n'
    assert main(["train", "xor", "--optimizers", "gd,rmsprp"]) == 2
    assert capsys.readouterr().err.startswith('tracer: --optimizers: unknown optimizer "rmsprp"')
