"""Every preset's LaTeX compiles with a real TeX engine, cleanly, and the same input gives the same PDF."""

import shutil
from functools import cache

import pytest
from document_cases import PRESETS, rendered

from tracer import load_spec, trace
from tracer.documents.pdf import compile_with_log
from tracer.documents.render import render_latex
from tracer.spec import from_dict

needs_tex = pytest.mark.skipif(
    shutil.which("pdflatex") is None and shutil.which("latexmk") is None,
    reason="no TeX engine on PATH (CI installs texlive via .ci/run)",
)
TROUBLE = ("Undefined control sequence", "Overfull \\hbox", "LaTeX Warning", "Missing character")


@cache
def compiled(name: str) -> tuple[bytes, str]:
    return compile_with_log(rendered(name, "tex"))


@needs_tex
@pytest.mark.parametrize("name", PRESETS)
def test_latex_compiles_without_warnings_or_overfull_lines(name):
    pdf, log = compiled(name)
    assert pdf.startswith(b"%PDF")
    found = [line for line in log.splitlines() if any(t in line for t in TROUBLE)]
    assert not found, "\n".join(found)


@needs_tex
def test_the_same_latex_gives_the_same_pdf_bytes():
    assert compile_with_log(rendered("neuron", "tex"))[0] == compiled("neuron")[0]


@needs_tex
def test_user_prose_is_escaped_for_latex():
    data = {
        "title": "50% of #1 & {x}_y ~ ^ \\ $ δ⁽²⁾ = (W⁽²⁾)ᵀ δ⁽³⁾ ⊙ g′(z), C₀ = ½‖y − a‖²",
        "description": "Café, naïve — Σⱼ yⱼ ln aⱼ ≥ 0 → ∂C/∂w ≈ 0.5 × 2 … done",
        "layers": [1, 1],
        "activations": "sigmoid",
        "learning_rate": 0.1,
        "weights": [[[0.5]]],
        "biases": [[0.1]],
        "samples": [{"x": [1.0], "y": [0.0]}],
    }
    pdf, log = compile_with_log(render_latex(trace(from_dict(data))))
    found = [line for line in log.splitlines() if any(t in line for t in TROUBLE)]
    assert pdf.startswith(b"%PDF") and not found, "\n".join(found)


def test_mazur_document_states_its_conventions():
    text = rendered("mazur", "tex")
    assert "Biases are frozen" in text
    assert "rounded to 9 decimals" in text
    assert "Mazur, A Step by Step Backpropagation Example" in text
    relu = trace(load_spec("relu"))
    assert "taken as 0" in render_latex(relu)
