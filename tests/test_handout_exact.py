"""Hand-friendly handouts (``--exact``): every value an exact fraction, equal to the float trace.

The exact values come from the derived equations' ``meaning`` evaluated with SymPy Rationals
(:mod:`tracer.exact`); the float trace (NumPy) is the independent check.
"""

import pytest
import sympy as sp

from tracer import load_spec, trace
from tracer.cli import main
from tracer.errors import SpecError
from tracer.exact import exact_trace
from tracer.handout.model import Request, make_handout
from tracer.handout.render import handout_files
from tracer.ids import Ref
from tracer.printing import TracerLatexPrinter, with_numbers
from tracer.spec import from_dict

# An identity network with the squared error and two samples: the batch average brings in ½.
LINEAR = {
    "layers": [2, 2, 1],
    "activations": ["relu", "identity"],
    "loss": "sse",
    "learning_rate": 0.5,
    "weights": [[[0.5, -1.0], [1.0, 0.5]], [[1.0, -0.5]]],
    "biases": [[0.5, 0.0], [-1.0]],
    "samples": [{"x": [1, 2], "y": [1]}, {"x": [2, 1], "y": [0]}],
}


def close_to_float_trace(exact, floats) -> None:
    assert exact.exact and not floats.exact
    for q in exact.quantities:
        assert isinstance(q.value, sp.Rational), q.id
        assert abs(float(q.value) - floats.values[q.ref]) <= 1e-12 * max(1.0, abs(floats.values[q.ref])), q.id


@pytest.mark.parametrize("spec", [load_spec("relu"), from_dict(LINEAR)], ids=["relu", "linear-batch"])
def test_exact_values_are_rationals_equal_to_the_float_trace(spec):
    close_to_float_trace(exact_trace(spec), trace(spec))


@pytest.mark.parametrize("spec", [load_spec("relu"), from_dict(LINEAR)], ids=["relu", "linear-batch"])
def test_every_exact_variant_is_small_fractions_equal_to_its_float_trace(spec):
    handout = make_handout(spec, Request("spec.toml", 20, 3, exact=True))
    for variant in handout.variants:
        close_to_float_trace(variant.trace, trace(variant.spec))
        halves = [w for W in variant.spec.weights for row in W for w in row]
        assert all(2 * w == int(2 * w) and w != 0 for w in halves)
        assert all(x in (1, 2) for sample in variant.spec.samples for x in sample.x)
        assert variant.spec.learning_rate in (0.25, 0.5)


def test_the_relu_presets_zero_and_cost_after_are_exact():
    values = {q.ref: q.value for q in exact_trace(load_spec("relu")).quantities}
    assert values[Ref("z", 1, 2)] == 0 and values[Ref("a", 2, 1)] == sp.Rational(43, 50)
    assert values[Ref("C'")] == sp.Rational(9033561698, 152587890625)


def test_numbers_in_formulas_print_as_fractions_and_negatives_after_a_minus_in_parentheses():
    y, a = sp.Symbol("y[1]"), sp.Symbol("a[2][1]")
    line = with_numbers(
        sp.Add(y, sp.Mul(-1, a, evaluate=False), evaluate=False),
        {
            Ref("y", j=1): sp.Rational(3, 2),
            Ref("a", 2, 1): sp.Rational(-5, 4),
        },
    )
    assert TracerLatexPrinter().doprint(line) == r"\frac{3}{2} - \left(- \frac{5}{4}\right)"


def test_an_exact_handout_prints_fractions_and_its_answers_grade(tmp_path):
    handout = make_handout(load_spec("relu"), Request("relu", 2, 7, exact=True))
    files = handout_files(handout)
    key, sheet = files["variant-01-key.md"], files["variant-01-exercise.md"]
    assert "\\frac{" in key and "Every number is exact: fractions" in key
    assert "give your answers as fractions" in sheet and "--exact" not in sheet and "--exact" in key
    assert "  # " in files["variant-01-answers.toml"]  # each value's fraction as a comment
    for name, content in files.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    for k in (1, 2):
        spec, answers = (str(tmp_path / f"variant-0{k}-{kind}.toml") for kind in ("spec", "answers"))
        assert main(["check", spec, answers]) == 0


def test_exact_is_refused_for_other_activations_and_losses():
    with pytest.raises(SpecError) as error:
        make_handout(load_spec("mazur"), Request("mazur", 2, 1, exact=True))
    message = str(error.value)
    assert message == (
        "--exact: exact fractions need relu or identity activations and the quadratic or sse loss; "
        "this network has sigmoid"
    )
