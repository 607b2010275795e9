"""The worked example is a complete lesson, in every preset and notation (issue: the whole lesson).

Each test reads the rendered Markdown (the LaTeX and terminal documents render the same blocks,
see test_documents_blocks.py) and would fail if a step students get stuck on went missing:
δ defined, BP1–BP4 stated before use, each derivative derived, the chain rule factor by factor
and its bridge to δ, the sum over paths with its number, the softmax Jacobian with numbers, the
old weights in the backward pass, a source's differing figure, the gradient check explained.
"""

import re
import tomllib

import pytest

from tracer import load_spec, trace
from tracer.documents.pdf import compile_latex
from tracer.documents.render import render_latex, render_markdown
from tracer.ids import Ref
from tracer.printing import format_number
from tracer.spec import NOTATIONS, from_dict, preset_names, preset_text

CASES = [(p, n) for p in preset_names() for n in NOTATIONS]


def markdown(name: str, notation: str | None = None) -> str:
    return render_markdown(trace(load_spec(name, notation)), svg="x.svg")


def position(text: str, needle: str) -> int:
    index = text.find(needle)
    assert index >= 0, f"{needle!r} missing"
    return index


@pytest.mark.parametrize(("name", "notation"), CASES)
def test_the_equations_are_stated_before_the_backward_pass_uses_them(name, notation):
    text = markdown(name, notation)
    stated = position(text, "## 2. The equations of backpropagation")
    backward = position(text, ". Backward pass")
    for label in ("BP1, ", "BP3, ", "BP4, "):
        assert stated < position(text, label) < backward
    assert stated < position(text, "BP2") < backward
    source = (
        "Andrew Ng's δ rule" if notation == "ng" else "Nielsen, Neural Networks and Deep Learning, chapter 2"
    )
    assert stated < position(text, source) < backward
    # δ is defined as ∂C/∂z, in the notation's own symbols, before it is used.
    assert stated < position(text, "The error term of a neuron") < backward


@pytest.mark.parametrize(("name", "notation"), CASES)
def test_each_activation_and_the_loss_have_their_derivative_worked_out(name, notation):
    spec = load_spec(name, notation)
    text = markdown(name, notation)
    equations = text[position(text, "## 2. ") : position(text, "## 3. ")]
    for g in set(spec.activations):
        expected = {
            "sigmoid": r"\sigma{\left(",
            "tanh": "quotient rule",
            "relu": "tracer takes",
            "leaky_relu": "tracer takes",
            "identity": "slope 1 everywhere",
            "softmax": "Jacobian",
        }[g]
        assert expected in equations, g
    assert "The loss's slope with respect to an output" in equations
    assert r"\frac{\partial}{\partial" in equations
    if spec.layers[-1] > 1:
        assert "drop out of the sum" in equations


@pytest.mark.parametrize(("name", "notation"), CASES)
def test_every_output_weight_gets_its_chain_rule_and_the_bridge_to_delta(name, notation):
    result = trace(load_spec(name, notation))
    spec = result.spec
    text = markdown(name, notation)
    L = spec.depth
    backward = text[position(text, ". Backward pass") :]
    assert "the weight from before the update" in backward
    for j in range(1, spec.layers[L] + 1):
        for k in range(1, spec.layers[L - 1] + 1):
            value = format_number(result.values[Ref("dC/dW", L, j, k)])
            assert f"= {value}" in backward
    assert (
        backward.count("The factors after the first are the error term")
        == (1 if spec.samples[1:] == () else len(spec.samples)) * L
    )


@pytest.mark.parametrize(("name", "notation"), CASES)
def test_hidden_layers_show_the_sum_over_paths_with_its_number(name, notation):
    result = trace(load_spec(name, notation))
    spec = result.spec
    if spec.depth < 2:
        pytest.skip("no hidden layer")
    text = markdown(name, notation)
    sample = 1 if len(spec.samples) > 1 else None
    # An independent sum over the paths: Σᵢ wᵢ₁ δᵢ of the next layer.
    paths = sum(
        result.values[Ref("W", 2, i, 1)] * result.values[Ref("delta", 2, i, sample=sample)]
        for i in range(1, spec.layers[2] + 1)
    )
    assert f"= {format_number(paths)}" in text
    assert "reaches the cost along" in text
    assert "One weight of this layer factor by factor" in text


def test_mazur_shows_his_sum_over_paths_and_says_where_his_figure_differs():
    text = markdown("mazur")
    one, two = (rf"\frac{{\partial E_{{o{j}}}}}{{\partial \mathrm{{out}}_{{h1}}}}" for j in (1, 2))
    assert f"{one} + {two}" in text
    assert "= 0.036350306" in text
    assert "Mazur prints 0.291027924" in text
    assert "0.291027774" in text[text.index("Mazur prints 0.291027924") :]


def test_softmax_shows_its_jacobian_with_numbers_then_the_shortcut():
    result = trace(load_spec("softmax"))
    text = markdown("softmax")
    L, n = result.spec.depth, result.spec.layers[-1]
    a = [result.values[Ref("a", L, i)] for i in range(1, n + 1)]
    for i in range(n):
        for j in range(n):
            entry = a[i] * ((1.0 if i == j else 0.0) - a[j])
            assert format_number(entry) in text, (i, j)
    jacobian = position(text, "The Jacobian of the softmax")
    shortcut = position(text, "simplifies to a shortcut")
    assert jacobian < shortcut
    for j in range(1, n + 1):
        assert f"= {format_number(result.values[Ref('delta', L, j)])}" in text[jacobian:shortcut]


def test_binary_cross_entropy_on_a_sigmoid_shows_its_shortcut():
    text = markdown("ng")
    assert "With a sigmoid output and binary cross-entropy the product simplifies" in text


@pytest.mark.parametrize("name", preset_names())
def test_the_gradient_check_writes_its_nudge_as_delta_and_explains_the_rows(name):
    text = markdown(name)
    check = text[position(text, "Gradient check") :]
    assert r"\Delta" in check and r"\delta w" not in check
    assert "shrinks about tenfold" in check and "rounding" in check
    assert not re.search(r"\\lim_\{\\delta", text)


def test_a_zero_target_s_cross_entropy_term_is_said_to_be_zero_not_multiplied_out():
    text = markdown("softmax")
    assert r"- 0 \cdot \ln" not in text
    assert r"C_{1} &= - y_{1} \cdot \ln{\left(a^{3}_{1} \right)} = 0" in text


def test_an_adam_step_is_worked_out_state_by_state_with_pytorchs_numbers():
    data = tomllib.loads(preset_text("mazur"))
    data.update(learning_rate=0.01, optimizer={"name": "adam"})
    result = trace(from_dict(data))
    text = render_markdown(result, svg="x.svg")
    update = text[position(text, ". The update: Adam") : position(text, ". The loss after the update")]
    network = text[position(text, ". The network") : position(text, ". The equations of backpropagation")]
    assert "The step is taken by the optimizer Adam" in network and "PyTorch's torch.optim" in network
    assert "the book folds the correction" in update
    for kind in ("m", "v", "m_hat", "v_hat"):
        assert f"= {format_number(result.values[Ref(kind, 2, 1, 1)])}" in update, kind
    # PyTorch's Adam on Mazur's network, lr 0.01, frozen biases: w1 = 0.14000022800975093 after step 1.
    assert "= 0.140000228" in update and "= 0.390000001" in update
    order = [position(update, name) for name in (r"m_{w_{5}}", r"\hat{m}_{w_{5}}", r"w^{+}_{5}")]
    assert order == sorted(order)


@pytest.mark.parametrize(
    ("name", "convention"), [("adam", "book"), ("nesterov", "torch"), ("rmsprop", "book")]
)
def test_an_optimizer_step_compiles_to_pdf_in_either_convention(name, convention):
    data = tomllib.loads(preset_text("mazur"))
    data.update(optimizer={"name": name, "convention": convention})
    pdf = compile_latex(render_latex(trace(from_dict(data))))
    assert pdf.startswith(b"%PDF")


def _spec_markdown(**keys) -> str:
    base = {"learning_rate": 0.5, "samples": [{"x": [0.5, 0.25], "y": [0.0, 0.0]}]}
    return render_markdown(trace(from_dict({**base, **keys})), svg="x.svg")


def test_a_hidden_layer_before_one_neuron_reaches_the_cost_along_one_path():
    # A 1-1-1 network said "along 1 paths … the sum over those paths".
    text = _spec_markdown(
        layers=[1, 1, 1],
        activations="sigmoid",
        loss="sse",
        weights=[[[0.8]], [[-1.5]]],
        biases=[[0.0], [0.5]],
        samples=[{"x": [1.0], "y": [1.0]}],
    )
    assert "1 paths" not in text
    assert "reaches the cost along one path, through the one neuron of the next layer" in text
    assert "sum of these parts over the outputs" not in text and "then their sum" not in text
    assert "is this one part, the network having one output" in text
    assert "The output's part of the cost, which is the whole cost:" in text
    assert "the same samples" not in text  # one sample


def test_the_mean_squared_error_of_one_output_is_not_over_1_outputs():
    text = _spec_markdown(
        layers=[2, 1],
        activations="identity",
        loss="mse",
        weights=[[[1.0, -1.0]]],
        biases=[[0.0]],
        samples=[{"x": [1.0, 2.0], "y": [0.5]}],
    )
    assert "1 outputs" not in text
    assert "the mean squared error over the one output, the squared error itself" in text


def test_a_one_neuron_hidden_layer_works_out_its_sum_over_paths_once():
    # With one hidden neuron "and so for every neuron of the layer" repeated the same line.
    text = _spec_markdown(
        layers=[2, 1, 2],
        activations=["tanh", "sigmoid"],
        loss="quadratic",
        weights=[[[5.0, -7.25]], [[0.3], [-0.4]]],
        biases=[[0.1], [0.2, -0.2]],
    )
    hidden = text[position(text, "Hidden layer 2") : position(text, "One weight of this layer")]
    assert "every neuron of the layer" not in hidden
    assert hidden.count("= 0.00649131") == 1  # ∂C/∂a²₁ = 0.3⋅δ³₁ − 0.4⋅δ³₂, checked by hand
    assert r"\frac{\partial C_{1}}{\partial a^{2}_{1}} + \frac{\partial C_{2}}{\partial a^{2}_{1}}" in hidden


def test_a_step_that_leaves_the_loss_as_it_was_does_not_say_it_went_up():
    # Every ReLU's weighted input is 0 (ReLU′(0) = 0): no gradient, C' = C = 0.
    text = _spec_markdown(
        layers=[2, 2, 1],
        activations=["relu", "identity"],
        loss="quadratic",
        weights=[[[1.0, -1.0], [0.5, 0.5]], [[2.0, -3.0]]],
        biases=[[0.0, -1.0], [0.0]],
        samples=[{"x": [1.0, 1.0], "y": [0.0]}],
    )
    assert "went up" not in text and "went down" not in text
    assert "The loss did not change" in text


@pytest.mark.parametrize(("name", "grows"), [("mazur", True), ("xor", False)])
def test_the_gradient_check_says_the_distance_grows_again_only_where_its_tables_show_it(name, grows):
    # Mazur's w₁ row goes 1.34⋅10⁻¹¹ then 5.87⋅10⁻¹¹; in xor every distance still shrinks at 10⁻⁷.
    check = markdown(name)[position(markdown(name), "Gradient check") :]
    assert ("For very small nudges it stops shrinking and grows again" in check) is grows
    assert ("Nudges smaller than these would at last make it grow again" in check) is not grows


@pytest.mark.parametrize(("name", "said"), [("momentum", "θ′ = θ − αv"), ("nesterov", "θ′ = θ − α(g + μv)")])
def test_the_conventions_of_an_optimizer_are_told_with_the_notations_learning_rate(name, said):
    # In Ng's notation the formulas write the learning rate α, and the sentence beside them wrote η.
    data = tomllib.loads(preset_text("xor"))
    data.update(notation="ng", optimizer={"name": name})
    text = render_markdown(trace(from_dict(data)), svg="x.svg")
    conventions = text[position(text, "PyTorch s") :]
    conventions = conventions[: conventions.index("\n")]
    assert said in conventions and "η" not in conventions


def test_adams_first_step_does_not_say_a_weight_with_no_gradient_moves():
    # An input of 0 gives its weights a gradient of 0: Adam's first step leaves them where they are,
    # and the note said "every weight moves by almost exactly the learning rate".
    data = tomllib.loads(preset_text("xor"))
    data.update(samples=[{"x": [1, 0], "y": [1]}], learning_rate=0.05, optimizer={"name": "adam"})
    result = trace(from_dict(data))
    assert result.values[Ref("dC/dW", 1, 1, 2)] == 0
    assert result.values[Ref("W'", 1, 1, 2)] == result.values[Ref("W", 1, 1, 2)]
    text = render_markdown(result, svg="x.svg")
    assert "every weight moves" not in text
    assert "and a gradient of 0 not at all" in text
    # ε is added to √v (10⁻⁸ against √v = |g| at step 1), so the conventions part where √v is ε
    assert "unless √v is as small as ε" in text


def test_the_gradient_check_at_a_relus_corner_does_not_write_a_limit_equal_to_backprop():
    # z = 0 exactly at a ReLU: the one-sided quotient goes to −2 (the slope from the right) while
    # backpropagation gives 0, and the document wrote ∂J/∂W = lim … = 0 above a table going to −2.
    data = {
        "layers": [2, 2, 1],
        "activations": ["relu", "identity"],
        "loss": "quadratic",
        "learning_rate": 0.1,
        "weights": [[[1.0, -1.0], [0.5, 0.5]], [[2.0, -3.0]]],
        "biases": [[0.0, -1.0], [0.0]],
        "samples": [{"x": [1.0, 1.0], "y": [1.0]}],
    }
    result = trace(from_dict(data))
    assert result.values[Ref("z", 1, 1)] == 0 and result.values[Ref("dC/dW", 1, 1, 1)] == 0
    text = render_markdown(result, svg="x.svg")
    check = text[position(text, "Gradient check") :]
    assert "corner of a ReLU" in check
    after = check.split("does not settle on backpropagation's value")[1]
    first = after[: position(after, r"\lim")]  # w²₁₁'s note and table, up to the next parameter
    # C(h) = ½(1 − 2h)², so the quotient is −2 + 2h: −1.9999998 at h = 10⁻⁷ (float64: …801)
    assert "-1.999999801" in first and "-1.8" in first
    assert check.count(r"\lim") == 1  # w³₁₁ settles; b²₁ moves the same corner as w²₁₁


def test_pytorchs_dampened_momentum_is_told_with_its_dampening():
    # With dampening 0.1 the velocity's formula reads μv + (1 − τ)g, and the sentence beside it
    # said v ← μv + g and that the two conventions give the same weights.
    data = tomllib.loads(preset_text("xor"))
    data.update(optimizer={"name": "momentum", "dampening": 0.1})
    text = render_markdown(trace(from_dict(data), 2), svg="x.svg")
    assert "(v ← μv + (1 − τ)g, θ′ = θ − ηv)" in text
    assert "v ← μv + g," not in text and "both give the same weights" not in text
    plain = tomllib.loads(preset_text("xor"))
    plain.update(optimizer={"name": "momentum"})
    assert "both give the same weights" in render_markdown(trace(from_dict(plain)), svg="x.svg")
