"""`tracer train --format tex|pdf`: a LaTeX report that compiles cleanly, whose numbers are the model's,
and a PDF that comes out the same every time."""

import math
import re
import shutil
from functools import cache

import pytest

from tracer import load_spec
from tracer.cli import main
from tracer.documents.pdf import compile_with_log
from tracer.spec import from_dict
from tracer.train.model import train
from tracer.train.render import picture_files, render_latex, render_pdf

needs_tex = pytest.mark.skipif(
    shutil.which("pdflatex") is None and shutil.which("latexmk") is None,
    reason="no TeX engine on PATH (CI installs texlive via .ci/run)",
)
TROUBLE = ("Undefined control sequence", "Overfull \\hbox", "LaTeX Warning", "Missing character", "Warning")
CASES = {
    "xor": lambda: train(load_spec("xor"), 300, [2.0, 20.0, 500.0], source="xor"),
    "basins": lambda: train(load_spec("basins"), 60, [1.0, 10.0, 30.0], source="basins"),
    # a run whose cost overflows: "not a number" and infinity in the tables
    "relu": lambda: train(load_spec("relu"), 200, [0.1, 10.0], source="relu"),
    "batches": lambda: train(load_spec("xor"), 40, [2.0], batch=2, seed=5, source="xor"),
}


@cache
def trained(name: str):
    return CASES[name]()


@cache
def report(name: str) -> tuple[str, dict[str, bytes]]:
    """Return the LaTeX of a case and its pictures, as ``--format tex -o NAME.tex`` writes them."""
    training = trained(name)
    return render_latex(training, name), picture_files(training, name, kinds=("pdf",))


@needs_tex
@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")  # matplotlib, on relu's run
@pytest.mark.parametrize("name", CASES)
def test_latex_report_compiles_without_warnings(name):
    latex, pictures = report(name)
    pdf, log = compile_with_log(latex, pictures)
    assert pdf.startswith(b"%PDF")
    found = [line for line in log.splitlines() if any(t in line for t in TROUBLE)]
    assert not found, "\n".join(found)
    assert f"\\includegraphics[width=0.9\\linewidth]{{{name}-loss.pdf}}" in latex


@needs_tex
def test_user_text_is_escaped():
    data = {
        "title": "50% of #1 & {x}_y ~ ^ \\ $ δ⁽²⁾",
        "description": "Σⱼ yⱼ ln aⱼ ≥ 0 → ∂C/∂w ≈ 0.5 × 2 … done",
        "layers": [1, 1],
        "activations": "sigmoid",
        "learning_rate": 0.5,
        "weights": [[[0.5]]],
        "biases": [[0.1]],
        "samples": [{"x": [1.0], "y": [0.0]}],
    }
    training = train(from_dict(data), 20, source="my file_1 & 50%.toml")
    pdf, log = compile_with_log(render_latex(training))
    found = [line for line in log.splitlines() if any(t in line for t in TROUBLE)]
    assert pdf.startswith(b"%PDF") and not found, "\n".join(found)


@needs_tex
def test_the_pdf_is_the_same_every_time():
    again = train(load_spec("basins"), 60, [1.0, 10.0, 30.0], source="basins")
    first = render_pdf(trained("basins"))
    assert first.startswith(b"%PDF") and first == render_pdf(again)


def _rows(section: str, begin: str) -> list[list[str]]:
    """Return the cells of the table that starts with ``begin``, from its first rule to its last."""
    table = section[section.index(begin) :]
    body = table[table.index("\\midrule") : table.index("\\bottomrule")]
    rows = []
    for line in body.splitlines()[1:]:
        if line and not line.startswith("\\"):
            cells = re.sub(r" \\\\\*?$", "", line).split(" & ")
            rows.append([cell.strip() for cell in cells])
    return rows


def _read(cell: str) -> list[float]:
    """Return the numbers a cell shows: ``$0.5$``, ``($0$, $1$)``, ``not a number``, infinity."""
    if "not a number" in cell:
        return [math.nan]
    if "infty" in cell:
        return [-math.inf if "-" in cell else math.inf]
    digits = cell.replace("\\allowbreak ", "").replace("$", "")  # a long number may break across lines
    digits = digits.replace(" \\cdot 10^{", "e").replace("}", "")  # a tiny ‖∇C‖: 4.75 \cdot 10^{-10}
    return [float(part) for part in digits.strip("()").split(", ")]


def _same(shown: list[float], values) -> bool:
    """Return True when numbers read from the document are the model's, to the 9 decimals shown
    (from 10¹⁵ on, in scientific notation: to 9 decimals of the mantissa)."""
    values = list(values)
    return len(shown) == len(values) and all(_close(s, v) for s, v in zip(shown, values, strict=True))


def _close(shown: float, value: float) -> bool:
    if (math.isnan(shown) and math.isnan(value)) or shown == value:
        return True
    return abs(shown - value) <= 5e-10 * (abs(value) if abs(value) >= 1e15 else 1.0)


@pytest.mark.parametrize("name", CASES)
def test_numbers_read_back_as_the_models(name):
    training = trained(name)
    sections = report(name)[0].split("\\section*{$\\eta = ")[1:]  # one section per rate
    assert len(sections) == len(training.runs)
    for run, section in zip(training.runs, sections, strict=True):
        assert _same(_read(section[: section.index("$}")]), [run.rate])
        for row, cells in zip(run.rows, _rows(section, "\\begin{tabular}"), strict=True):
            assert int(cells[0]) == row.step
            shown = [x for cell in cells[1:] for x in _read(cell)]
            assert _same(shown, [row.loss, row.gradient_norm, *row.watched]), cells
        for p, cells in zip(run.predictions, _rows(section, "\nPredictions after"), strict=True):
            assert _same(_read(cells[0]), p.x) and _same(_read(cells[1]), p.y) and _same(_read(cells[2]), p.a)
        for p, cells in zip(run.parameters, _rows(section, "\nParameters at the start"), strict=True):
            assert _same(_read(cells[1]), [p.start]) and _same(_read(cells[2]), [p.end]), cells
        verdict = section[section.index("\nVerdict: ") :].split("\n", 2)[1]
        v = run.verdict
        known = [v.start, v.end, v.low, v.high]
        if run.lower is not None:
            known += [run.lower.rate, run.lower.verdict.end]
        for maths in re.findall(r"\$([-\d.]+)\$", verdict):
            assert any(k is not None and _same([float(maths)], [k]) for k in known), (maths, verdict)


def test_tex_and_pdf_on_the_command_line(capsys, tmp_path):
    target = tmp_path / "rates.tex"
    status = main(
        ["train", "basins", "--steps", "30", "--learning-rates", "1,30", "--format", "tex", "-o", str(target)]
    )
    assert status == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rates-descent.pdf", "rates-loss.pdf", "rates.tex"]
    text = target.read_text(encoding="utf-8")
    assert "{rates-loss.pdf}" in text and "{rates-descent.pdf}" in text and text.startswith("\\documentclass")
    status = main(["train", "basins", "--steps", "30", "--format", "tex"])
    out = capsys.readouterr().out
    assert status == 0 and "\\includegraphics" not in out and "\\end{document}" in out


@needs_tex
def test_pdf_on_the_command_line_is_one_file(tmp_path):
    target = tmp_path / "rates.pdf"
    assert main(["train", "basins", "--steps", "30", "--format", "pdf", "-o", str(target)]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["rates.pdf"]
    assert target.read_bytes().startswith(b"%PDF")
