"""The example notebook runs in a real kernel (nbclient + ipykernel) and shows what it promises.

``examples/tracer-in-a-notebook.ipynb`` is executed from a copy in a temporary folder; its
outputs are read by MIME type: the worked example as Markdown with ``$$`` maths and as the HTML
page, a Trace as a table, a check result as feedback, a training run with its loss plot.
"""

import re
from pathlib import Path

import nbformat
import numpy
import pytest
from nbclient import NotebookClient

import tracer
from tracer.i18n import language
from tracer.notebook import trace_markdown

NOTEBOOK = Path(__file__).parent.parent / "examples" / "tracer-in-a-notebook.ipynb"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    folder = tmp_path_factory.mktemp("notebook")
    NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    ).execute()
    shown = {}
    for cell in notebook.cells:
        if cell.cell_type == "code":
            shown[cell.source.splitlines()[-1]] = cell.outputs
    return shown


def data(outputs, last_line: str) -> dict:
    (output,) = [o for o in outputs[last_line] if o.output_type in ("execute_result", "display_data")]
    return output["data"]


def test_the_worked_example_is_markdown_maths_and_the_page(outputs):
    shown = data(outputs, "example")
    assert set(shown) == {"text/markdown", "text/html", "text/plain"}
    markdown = shown["text/markdown"]
    assert markdown.startswith("# Mazur's step-by-step backpropagation example")
    assert "$$\n\\begin{aligned}\n\\mathrm{net}_{h1} &= w_{1} \\cdot i_{1}" in markdown
    assert "0.593269992" in markdown
    html = shown["text/html"]
    assert '<div class="tracer-page"' in html and "<html" not in html
    assert 'data-id="a[1][1]"' in html and "katex" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)


def test_values_by_id_and_by_notation_name(outputs):
    values = data(outputs, 'example["out_h1"], example["dE_total/dw_5"], example["W\'[2][1][1]"]')[
        "text/plain"
    ]
    assert values.startswith("(0.59326999")
    assert "0.0821670" in values and "0.3589164" in values


def test_a_trace_shows_a_table_of_every_quantity(outputs):
    markdown = data(outputs, "result")["text/markdown"]
    assert markdown.startswith("# A 2-2-1 network")
    assert "| Id | Quantity | Value | Rule |" in markdown
    # its plain text is one line, not the dataclass's repr of every number (30 kB here)
    assert data(outputs, "result")["text/plain"] == "<trace: A 2-2-1 network, 49 quantities>"
    rows = [line for line in markdown.splitlines() if line.startswith("| ") and "Id" not in line]
    # 2-2-1, one sample: 13 given, 6 forward, 2 cost, 18 backward, 9 updates and C′
    assert len(rows) == 13 + 6 + 2 + 18 + 10
    assert "$w^{3}_{11}$" in markdown


def test_changing_a_weight_changes_the_cost(outputs):
    (stream,) = outputs[next(line for line in outputs if line.startswith("print("))]
    before, after = re.findall(r"(\d\.\d{6}) with", stream["text"])
    assert before != after


def test_a_check_result_and_a_training_run_display(outputs):
    shown = data(outputs, "check(example.trace, answers)")
    assert shown["text/plain"].startswith("<check result: 1 answer file, Mazur")
    feedback = shown["text/markdown"]
    assert "carried forward" in feedback
    assert "net_o1" in feedback or "netₒ₁" in feedback or "\\mathrm{net}_{o1}" in feedback
    shown = data(outputs, 'train(tracer.load_spec("xor"), 300, (0.5, 5.0), source="xor")')
    assert shown["text/plain"] == "<training: XOR with a 2-2-1 sigmoid network, 300 steps, 2 runs>"
    report = shown["text/markdown"]
    assert report.startswith("# Training: XOR")
    assert "](data:image/png;base64,iVBORw0KGgo" in report


MAZUR = {
    "notation": "mazur",
    "layers": (2, 2, 2),
    "activations": ("sigmoid", "sigmoid"),
    "learning_rate": 0.5,
    "update_biases": False,
    "weights": (((0.15, 0.20), (0.25, 0.30)), ((0.40, 0.45), (0.50, 0.55))),
    "biases": ((0.35, 0.35), (0.60, 0.60)),
}


def test_a_spec_in_code_may_hold_tuples_and_arrays():
    """A spec built in Python: tuples and NumPy arrays are read as a file's lists are."""
    example = tracer.worked({**MAZUR, "samples": [{"x": numpy.array([0.05, 0.10]), "y": (0.01, 0.99)}]})
    assert round(example["out_h1"], 9) == 0.593269992


def test_a_spec_object_changes_notation():
    """``worked(spec, notation=…)`` on a NetworkSpec (its to_dict() holds tuples)."""
    example = tracer.worked(tracer.load_spec("mazur"), notation="ng")
    assert round(example["a^(2)_1"], 9) == 0.593269992
    assert "a^{(2)}_{1}" in example.markdown()


def test_a_korean_spec_shows_in_korean_and_leaves_the_language_as_it_was():
    """A spec's ``lang`` chooses the language as it does for ``tracer trace``."""
    example = tracer.worked({**MAZUR, "lang": "ko", "samples": [{"x": [0.05, 0.10], "y": [0.01, 0.99]}]})
    markdown, page = example.markdown(), example.html()
    assert "## 이 문서의 약속" in markdown and "## Conventions" not in markdown
    assert '<div class="tracer-page" lang="ko">' in page and ">다음 →</button>" in page
    assert "| Id | 항목 | 값 | 규칙 |" in trace_markdown(example.trace)  # one column named 값, not two
    assert language() == "en"
    assert "## Conventions" in tracer.worked("mazur").markdown()
