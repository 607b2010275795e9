"""The worked example of several steps (``tracer trace SPEC --steps N``) in every format.

Step 1 is the lesson in full; each later step is a section of its own whose quantities carry their
own ids (``W'[1][1][1]@2``). The numbers of steps 2 and 3 are checked as the documents print
them, against a separately written optimizer (``oracle_optimizers``) and against PyTorch's
published Adam numbers on Mazur's network (issue 11); every id a step names exists; the terminal
fits 60 and 80 columns; the PDF compiles.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from functools import cache

import pytest
from engine_networks import MAZUR_DATA
from oracle_optimizers import make, run

from tracer.cli import main
from tracer.documents.pdf import compile_latex
from tracer.documents.render import document, render_latex, render_markdown, render_terminal
from tracer.ids import Ref
from tracer.printing import format_number
from tracer.spec import from_dict, load_spec
from tracer.terminal import display_width
from tracer.trace import step_view, trace

FROZEN = {**MAZUR_DATA, "learning_rate": 0.01, "update_biases": False}
# PyTorch's Adam on Mazur's network, lr 0.01, biases frozen (issue 11)
TORCH = {
    "W'[1][1][1]@1": 0.14000022800975093,
    "W'[2][1][1]@1": 0.3900000012170329,
    "W'[1][1][1]@2": 0.1300115226104571,
    "C@2": 0.2962433638903545,
    "C'@2": 0.2941200085235883,
}
LONG = 15  # decimals printed for the comparisons: every digit a float64 holds in these numbers


def spec(data: dict, **optimizer):
    data = copy.deepcopy(data)
    if optimizer:
        data["optimizer"] = optimizer
    return from_dict(data)


@cache
def adam(steps: int = 3):
    return trace(spec(FROZEN, name="adam"), steps)


@cache
def steps_of(steps: int = 3, decimals: int = LONG) -> dict:
    """Return every worked step of the Adam document by id."""
    return {s.id: s for s in document(adam(steps), decimals).steps()}


def test_step_1_in_full_then_each_later_step_then_the_loss_after_them():
    doc = document(adam(3))
    names = [s.name for s in doc.sections]
    assert names == [
        "introduction",
        "conventions",
        "network",
        "equations",
        "forward",
        "loss",
        "backward",
        "update",
        "step2",
        "step3",
        "after",
        "check",
    ]
    headings = [b for s in doc.sections for b in s.blocks if b.kind == "heading" and b.level == 1]
    titles = ["".join(span.text for span in h.spans) for h in headings]
    assert "Step 2" in titles and "Step 3" in titles and "The loss after 3 steps" in titles
    # the derivation is written once: no later step repeats the equations or the matrix form
    later = [b for name in ("step2", "step3") for b in doc.section(name).blocks]
    assert all(b.kind in ("heading", "paragraph", "steps") for b in later)
    assert "sections 3 to 6" in "".join(span.text for b in later[:2] for span in getattr(b, "spans", ()))


def test_each_step_has_its_own_ids_and_every_id_it_depends_on_exists():
    result = adam(3)
    steps = document(result).steps()
    ids = [s.id for s in steps]
    later = [
        s.id
        for name in ("step2", "step3")
        for b in document(result).section(name).blocks
        if b.kind == "steps"
        for s in b.steps
    ]
    assert len(later) == len(set(later))  # a later step shows each of its quantities once
    assert all(id.endswith(("@2", "@3")) or "@" not in id for id in later)
    for s in steps:
        assert s.id in result, s.id
        assert all(d in result for d in s.depends_on), s.id
        assert list(s.depends_on) == [str(d) for d in result[s.id].depends_on]
    for t in (1, 2, 3):
        assert f"z[1][1]@{t}" in ids and f"m_hat[2][1][1]@{t}" in ids and f"W'[1][1][1]@{t}" in ids
    # step 2's moment reads step 1's; step 2 starts from the weights step 1 left
    assert steps_of()["m[2][1][1]@2"].depends_on == ("beta1", "m[2][1][1]@1", "dC/dW[2][1][1]@2")
    assert steps_of()["W[1][1][1]@2"].depends_on == ("W'[1][1][1]@1",)
    # every quantity a step computes is shown (a frozen bias keeps its value, as in step 1)
    computed = {q.id for q in result.quantities if not q.given and q.rule != "frozen" and q.ref.kind != "C'"}
    assert computed <= set(ids)


@pytest.mark.parametrize("steps", [2, 3])
def test_adam_numbers_as_printed_match_pytorch_and_the_oracle(steps):
    shown = steps_of(steps)
    for id, value in TORCH.items():
        if id in shown:
            assert shown[id].value == format_number(value, LONG), id
    expected = run(FROZEN, make("adam", "torch", 0.01), steps)
    for t in range(1, steps + 1):
        for l, layer in enumerate(expected[t - 1]["weights"], start=1):
            for (j, k), value in ((jk, v) for jk, v in _cells(layer)):
                assert shown[f"W'[{l}][{j}][{k}]@{t}"].value == format_number(value, LONG)
    # the cost after the last step is in the closing section, with its step
    after = [
        s for b in document(adam(steps), LONG).section("after").blocks if b.kind == "steps" for s in b.steps
    ]
    assert [s.id for s in after] == ["C@1", f"C'@{steps}"]
    if steps == 2:
        assert after[1].value == format_number(TORCH["C'@2"], LONG)


def _cells(matrix: list[list[float]]):
    for j, row in enumerate(matrix, start=1):
        for k, value in enumerate(row, start=1):
            yield (j, k), value


@pytest.mark.parametrize("name", ["momentum", "nesterov", "adagrad", "rmsprop"])
def test_every_optimizer_prints_the_oracles_third_step(name):
    data = {**MAZUR_DATA, "learning_rate": 0.1}
    shown = {s.id: s for s in document(trace(spec(data, name=name), 3), LONG).steps()}
    expected = run(data, make(name, "torch", 0.1), 3)
    assert shown["W'[2][2][1]@3"].value == format_number(expected[2]["weights"][1][1][0], LONG)
    assert shown["b'[1][2]@3"].value == format_number(expected[2]["biases"][0][1], LONG)


def test_plain_descent_of_several_steps_matches_the_oracle():
    data = {**MAZUR_DATA, "notation": "mazur"}
    result = trace(spec(data), 3)
    shown = {s.id: s for s in document(result, LONG).steps()}
    expected = run(data, make("momentum", "torch", 0.5, momentum=0.0), 3)  # μ = 0: plain descent
    assert shown["W'[1][2][2]@3"].value == format_number(expected[2]["weights"][0][1][1], LONG)
    assert shown["W'[2][1][1]@2"].symbol == "w^{+}_{5}"  # bare in its own step
    assert shown["W[2][1][1]@2"].formula == "{w^{+}_{5}}^{(t=1)}"  # the step before carries its step


def test_a_batch_of_several_steps_shows_each_sample_and_the_averages():
    data = {**MAZUR_DATA, "samples": [*MAZUR_DATA["samples"], {"x": [0.3, -0.2], "y": [0.5, 0.5]}]}
    result = trace(spec(data, name="momentum"), 2)
    ids = [s.id for s in document(result).steps()]
    for id in ("z[2][1]#2@2", "dC/dW[1][1][1]#1@2", "dC/dW[1][1][1]@2", "C@2", "velocity[1][1][1]@2"):
        assert id in ids
    text = render_markdown(result)
    assert "### Sample 2" in text.split("## 7. Step 2")[1]


def test_the_markdown_latex_and_terminal_print_the_published_step_2():
    w1 = format_number(TORCH["W'[1][1][1]@2"], 9)  # 0.130011523
    cost = format_number(TORCH["C'@2"], 9)
    for text in (render_markdown(adam(2)), render_latex(adam(2)), render_terminal(adam(2), width=100)):
        later = text.split("Step 2", 1)[1]
        assert w1 in later and cost in later
    assert "t = 2" in render_terminal(adam(2), width=100).split("7. Step 2")[1]  # Adam's note on step 2
    assert render_markdown(adam(3)).count("From this step on the moments") == 1  # said once


def test_a_view_of_one_step_keeps_the_trace_ids():
    view = step_view(adam(3), 2)
    assert view.canonical(Ref("z", 1, 1)) == Ref("z", 1, 1, step=2)
    assert view.canonical(Ref("m", 2, 1, 1, step=1)) == Ref("m", 2, 1, 1, step=1)
    assert view.canonical(Ref("beta1")) == Ref("beta1")
    assert view["W'[1][1][1]"].value == adam(3)["W'[1][1][1]@2"].value
    assert view.values[Ref("m", 2, 1, 1, step=1)] == adam(3)["m[2][1][1]@1"].value


def test_the_page_s_self_test_recomputes_each_step_s_cost_after_its_update():
    from tracer.documents.quiz import function_body

    body = function_body(adam(3), Ref("C'", step=2))
    assert 'u["z[1][1]@2"]' in body and 'u["W\'[1][1][1]@2"]' in body
    assert body.endswith('return u["C@2"];') and "@1" not in body and "@3" not in body
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed; tests/test_browser.py runs the same in Chromium")
    values = {q.id: float(q.value) for q in adam(3).quantities}
    script = f"const v = {json.dumps(values)};\nconsole.log(JSON.stringify((function (v) {{ {body} }})(v)));"
    out = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True).stdout
    assert float(out) == pytest.approx(TORCH["C'@2"], rel=1e-12)


def test_every_format_from_the_command_line(tmp_path, capsys):
    for format in ("md", "tex", "html", "json", "term"):
        target = tmp_path / f"mazur.{format}"
        assert main(["trace", "mazur", "--steps", "2", "--format", format, "-o", str(target)]) == 0
        assert "@2" in target.read_text(encoding="utf-8") or format in ("term", "md", "tex")
    assert "Step 2" in (tmp_path / "mazur.md").read_text(encoding="utf-8")
    assert (tmp_path / "mazur.svg").is_file()
    assert 'data-id="z[1][1]@2"' in (tmp_path / "mazur.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("columns", [60, 80])
def test_the_terminal_fits_its_width(tmp_path, columns):
    path = tmp_path / "adam.toml"
    path.write_text(
        'notation = "mazur"\nlayers = [2, 2, 2]\nactivations = "sigmoid"\nlearning_rate = 0.01\n'
        "update_biases = false\nweights = [[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45], [0.5, 0.55]]]\n"
        'biases = [[0.35, 0.35], [0.6, 0.6]]\n[optimizer]\nname = "adam"\n'
        "[[samples]]\nx = [0.05, 0.1]\ny = [0.01, 0.99]\n",
        encoding="utf-8",
    )
    env = {**os.environ, "COLUMNS": str(columns), "NO_COLOR": "1"}
    for source in (str(path), "xor"):
        command = [sys.executable, "-m", "tracer", "trace", source, "--steps", "3"]
        out = subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout
        assert re.search(r"^\d+\. Step 3$", out, re.MULTILINE)
        wide = [line for line in out.split("\n") if display_width(line) > columns]
        assert not wide


def test_the_pdf_compiles(tmp_path):
    pdf = compile_latex(render_latex(adam(3)))
    path = tmp_path / "adam.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Step 3" in text and "The loss after 3 steps" in text


def test_the_notebook_shows_several_steps():
    from tracer.notebook import worked

    example = worked("mazur", steps=2)
    expected = trace(load_spec("mazur"), 2)["W'[2][1][1]@2"].value
    assert example["w5+@2"] == example["W'[2][1][1]@2"] == expected
    bundle = example._repr_mimebundle_()
    assert "Step 2" in bundle["text/markdown"] and 'data-id="z[1][1]@2"' in bundle["text/html"]


def test_every_step_writes_its_formulas_in_the_order_of_the_single_step():
    # Renaming step t's symbols rebuilt each sum in SymPy's order: net_h1 = b_h1 + w1⋅i1 + w2⋅i2
    # in every step of a --steps 2 document, where the single step writes w1⋅i1 + w2⋅i2 + b_h1.
    data = {**MAZUR_DATA, "notation": "mazur"}
    single = render_markdown(trace(spec(data)), svg="x.svg")
    several = render_markdown(trace(spec(data, name="momentum"), 2), svg="x.svg")
    forward = r"\mathrm{net}_{h1} &= w_{1} \cdot i_{1} + w_{2} \cdot i_{2} + b_{h1}"
    assert forward in single
    assert several.count(forward) == 2  # step 1 and step 2
    assert r"b_{h1} + w_{1}" not in several
    # the velocity as the text states it, v ← μv + g (PyTorch, no dampening)
    assert (
        r"v_{w_{5}} &= \mu \cdot {v_{w_{5}}}^{(t=1)} + \frac{\partial E_{\mathrm{total}}}{\partial w_{5}}"
        in several
    )
