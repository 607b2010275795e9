"""The shape of a Trace: which ids it has, in what order, how the notations name them.

Expected ids and symbols are written out from the issue and the books (Nielsen ch. 2, Ng's
course, Mazur's post), not copied from tracer's output.
"""

from __future__ import annotations

import json
import math

import pytest
import sympy as sp
from engine_networks import MAZUR_DATA

from tracer import load_spec, trace
from tracer.derive import symbol
from tracer.documents.render import render_json
from tracer.errors import SpecError
from tracer.ids import ARITY, parse
from tracer.notation import notation
from tracer.printing import MathPrinter
from tracer.spec import from_dict

PER_SAMPLE = ("a", "y", "z", "C_term", "C", "dC/da", "da/dz", "delta", "dC/dW", "dC/db")


def ids_of(data: dict) -> list[str]:
    return [q.id for q in trace(from_dict(data)).quantities]


def test_a_two_two_two_network_has_exactly_the_ids_of_the_issue():
    expected = {"C", "eta", "C'"}
    for n in (1, 2):
        expected |= {f"a[0][{n}]", f"y[{n}]", f"C[{n}]", f"dC/da[2][{n}]", f"dC/da[1][{n}]"}
    for l in (1, 2):
        for j in (1, 2):
            expected |= {f"b[{l}][{j}]", f"z[{l}][{j}]", f"a[{l}][{j}]", f"da/dz[{l}][{j}]"}
            expected |= {f"delta[{l}][{j}]", f"dC/db[{l}][{j}]", f"b'[{l}][{j}]"}
            for k in (1, 2):
                expected |= {f"W[{l}][{j}][{k}]", f"dC/dW[{l}][{j}][{k}]", f"W'[{l}][{j}][{k}]"}
    ids = ids_of(MAZUR_DATA)
    assert len(ids) == len(set(ids))
    assert set(ids) == expected


def test_ids_parse_back_to_their_refs():
    for q in trace(load_spec("xor")).quantities:
        assert parse(q.id) == q.ref
        assert q.ref.kind in ARITY


@pytest.mark.parametrize("n", [1, 2, 3])
def test_sample_suffix_appears_exactly_when_there_are_several_samples(n):
    samples = [{"x": [0.1 * s, -0.2], "y": [0.3, 0.6]} for s in range(1, n + 1)]
    result = trace(from_dict({**MAZUR_DATA, "samples": samples}))
    if n == 1:
        assert not [q.id for q in result.quantities if "#" in q.id]
        return
    suffixed = [q.ref for q in result.quantities if q.ref.sample is not None]
    assert {r.sample for r in suffixed} == set(range(1, n + 1))
    assert {r.kind for r in suffixed} == set(PER_SAMPLE)
    # Each per-sample quantity exists for every sample; batch quantities carry no suffix.
    per_sample = {r.of_sample(None) for r in suffixed}
    assert {r for r in suffixed} == {r.of_sample(s) for r in per_sample for s in range(1, n + 1)}
    for batch_id in (
        "C",
        "eta",
        "C'",
        "W[1][1][1]",
        "dC/dW[1][1][1]",
        "dC/db[2][2]",
        "W'[2][1][2]",
        "b'[1][2]",
    ):
        assert batch_id in result
    assert "a[1][1]" not in result and "delta[2][1]" not in result


def printer(name: str, layers: tuple[int, ...]) -> MathPrinter:
    return MathPrinter(notation(name).bind(layers))


def latex(name: str, layers: tuple[int, ...], canonical: str) -> str:
    return printer(name, layers).latex(symbol(parse(canonical)))


def text(name: str, layers: tuple[int, ...], canonical: str) -> str:
    return printer(name, layers).text(symbol(parse(canonical)))


def test_mazur_numbers_weights_w1_to_w8_neuron_by_neuron():
    # w1: i1→h1, w2: i2→h1, w3: i1→h2, w4: i2→h2, w5: h1→o1, w6: h2→o1, w7: h1→o2, w8: h2→o2.
    into = {1: "W[1][1][1]", 2: "W[1][1][2]", 3: "W[1][2][1]", 4: "W[1][2][2]"}
    into |= {5: "W[2][1][1]", 6: "W[2][1][2]", 7: "W[2][2][1]", 8: "W[2][2][2]"}
    for n, canonical in into.items():
        assert latex("mazur", (2, 2, 2), canonical) == f"w_{{{n}}}"
        assert text("mazur", (2, 2, 2), canonical) == "w" + "₀₁₂₃₄₅₆₇₈₉"[n]
        assert f"{{{n}}}" in latex("mazur", (2, 2, 2), f"dC/dW{canonical[1:]}")
    # The count runs on through the layers: a 3-3-2 network has w1…w9 into the hidden layer.
    assert latex("mazur", (3, 3, 2), "W[1][2][1]") == "w_{4}"
    assert latex("mazur", (3, 3, 2), "W[2][1][1]") == "w_{10}"
    assert latex("mazur", (2, 2, 2), "z[1][1]") == r"\mathrm{net}_{h1}"
    assert latex("mazur", (2, 2, 2), "a[2][2]") == r"\mathrm{out}_{o2}"
    assert latex("mazur", (2, 2, 2), "a[0][1]") == "i_{1}"


def test_nielsen_counts_the_input_as_layer_one():
    assert latex("nielsen", (2, 2, 2), "W[1][2][1]") == "w^{2}_{21}"
    assert text("nielsen", (2, 2, 2), "W[1][2][1]") == "w²₂₁"
    assert latex("nielsen", (2, 2, 2), "W[2][1][2]") == "w^{3}_{12}"
    assert latex("nielsen", (2, 2, 2), "z[2][1]") == "z^{3}_{1}"
    assert latex("nielsen", (2, 2, 2), "delta[1][2]") == r"\delta^{2}_{2}"
    assert latex("nielsen", (2, 2, 2), "b[1][1]") == "b^{2}_{1}"
    assert latex("nielsen", (2, 2, 2), "a[0][2]") == "x_{2}"
    assert latex("nielsen", (2, 2, 2), "dC/dW[2][1][2]") == r"\frac{\partial C}{\partial w^{3}_{12}}"
    # Two-digit neuron numbers get a comma: w²₁₀,₁ not w²₁₀₁.
    assert latex("nielsen", (2, 10, 1), "W[1][10][1]") == "w^{2}_{10,1}"


def test_ng_maps_layer_l_to_l_plus_one_with_w_of_l():
    assert latex("ng", (3, 2, 1), "W[1][2][1]") == "W^{(1)}_{21}"
    assert text("ng", (3, 2, 1), "W[1][2][1]") == "W⁽¹⁾₂₁"
    assert latex("ng", (3, 2, 1), "W[2][1][2]") == "W^{(2)}_{12}"
    assert latex("ng", (3, 2, 1), "a[1][1]") == "a^{(2)}_{1}"
    assert latex("ng", (3, 2, 1), "delta[2][1]") == r"\delta^{(3)}_{1}"
    assert latex("ng", (3, 2, 1), "C") == "J"
    assert latex("ng", (3, 2, 1), "eta") == r"\alpha"


@pytest.mark.parametrize("name", ["nielsen", "ng", "mazur"])
@pytest.mark.parametrize("preset", ["mazur", "xor", "softmax", "relu"])
def test_every_printed_symbol_and_formula_is_in_the_notation(name, preset):
    # No canonical id may leak into what a reader sees: no [l][j], no #s, no "dC/dW".
    result = trace(load_spec(preset, notation=name))
    shown = MathPrinter(result.naming)
    for q in result.quantities:
        pieces = [shown.latex(symbol(q.ref)), shown.text(symbol(q.ref))]
        if q.formula is not None:
            pieces += [
                shown.latex(q.formula),
                shown.text(q.formula),
                shown.latex(q.substituted(result.values)),
            ]
        for piece in pieces:
            assert "[" not in piece.replace(r"\left[", "").replace(r"\right]", ""), (q.id, piece)
            assert "#" not in piece and "dC/d" not in piece, (q.id, piece)


def test_printed_formula_uses_the_notation_symbols():
    shown = printer("mazur", (2, 2, 2))
    result = trace(load_spec("mazur"))
    line = shown.latex(result["z[1][1]"].formula)
    assert "w_{1}" in line and "i_{1}" in line and "w_{2}" in line and "i_{2}" in line
    line = printer("ng", (2, 2, 2)).latex(result["dC/da[1][1]"].formula)
    assert "W^{(2)}_{11}" in line and r"\delta^{(3)}_{1}" in line


def extreme(activations: list[str], w: float, loss: str = "quadratic", y=(0.0, 1.0, 0.0)) -> dict:
    return {
        "layers": [1, 3],
        "activations": activations,
        "loss": loss,
        "learning_rate": 0.1,
        "weights": [[[w], [-w], [0.0]]],
        "biases": [[0.0, 0.0, 0.0]],
        "samples": [{"x": [1.0], "y": list(y)}],
    }


@pytest.mark.parametrize("w", [1000.0, -1000.0])
@pytest.mark.parametrize(
    ("activation", "loss", "y"),
    [
        ("sigmoid", "quadratic", (0.0, 1.0, 0.5)),
        ("softmax", "quadratic", (0.0, 1.0, 0.0)),
        ("softmax", "cross_entropy", (1.0, 0.0, 0.0)),
    ],
)
def test_sigmoid_and_softmax_of_large_z_stay_finite(activation, loss, y, w):
    if loss == "cross_entropy" and w < 0:
        y = (0.0, 1.0, 0.0)  # the target sits on the output that saturates to 1
    result = trace(from_dict(extreme([activation], w, loss, y)))
    assert all(math.isfinite(q.value) for q in result.quantities)
    a = [result[f"a[1][{j}]"].value for j in (1, 2, 3)]
    if activation == "sigmoid":
        big, small = (1.0, 0.0) if w > 0 else (0.0, 1.0)
        assert a == [big, small, 0.5]
    else:
        assert a == ([1.0, 0.0, 0.0] if w > 0 else [0.0, 1.0, 0.0])
    for q in result.quantities:
        if q.formula is not None:
            again = q.recompute(result.values)
            assert math.isclose(again, q.value, rel_tol=1e-9, abs_tol=1e-12), (q.id, again, q.value)
    document = json.loads(render_json(result), parse_constant=lambda c: pytest.fail(f"JSON has {c}"))
    assert len(document["quantities"]) == len(result.quantities)


def test_saturated_sigmoid_output_with_binary_cross_entropy_is_a_clear_error():
    # σ(40) is exactly 1.0 in float64, so ln(1 − a) = ln 0 for a target below 1.
    data = {
        "layers": [1, 1],
        "activations": "sigmoid",
        "loss": "binary_cross_entropy",
        "learning_rate": 0.1,
        "weights": [[[40.0]]],
        "biases": [[0.0]],
        "samples": [{"x": [1.0], "y": [0.0]}],
    }
    with pytest.raises(SpecError) as caught:
        trace(from_dict(data))
    message = str(caught.value)
    assert caught.value.field == "samples[1]"
    assert "ln" in message and "a[1][1]" in message
    assert "\n" not in message


def test_symbols_are_plain_sympy_symbols_named_by_their_id():
    for q in trace(load_spec("softmax")).quantities:
        assert symbol(q.ref) == sp.Symbol(q.id)


def test_saturated_sigmoid_output_is_fine_where_the_target_needs_no_logarithm():
    # σ(40) = 1.0 exactly and y = 1: the term (1 − y)·ln(1 − a) is 0·ln 0, which counts as 0.
    data = {
        "layers": [1, 1],
        "activations": "sigmoid",
        "loss": "binary_cross_entropy",
        "learning_rate": 0.1,
        "weights": [[[40.0]]],
        "biases": [[0.0]],
        "samples": [{"x": [1.0], "y": [1.0]}],
    }
    result = trace(from_dict(data))
    assert result["a[1][1]"].value == 1.0
    assert result["C"].value == 0.0
    for q in result.quantities:
        if q.formula is not None:
            assert math.isclose(q.recompute(result.values), q.value, rel_tol=1e-9, abs_tol=1e-12), q.id
