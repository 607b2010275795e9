"""``tracer handout``: the files it writes, byte for byte reproducible, and keys that grade.

Most runs are in-process (``tracer.cli.main``); grading each answers file runs the real command
line, ``tracer check``, as a fresh process. One small combined PDF is compiled with TeX.
"""

import io
import json
import re
import shutil
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pypdf import PdfReader

from tracer import load_spec, trace
from tracer.cli import main
from tracer.documents.pdf import compile_with_log
from tracer.handout.model import Request, make_handout
from tracer.handout.render import combined_sources, handout_files, view
from tracer.ids import parse
from tracer.output import MANIFEST
from tracer.printing import format_number
from tracer.spec import preset_text

needs_tex = pytest.mark.skipif(
    shutil.which("pdflatex") is None and shutil.which("latexmk") is None, reason="no TeX engine on PATH"
)


def run(folder: Path, *options: str, spec: str = "mazur") -> dict[str, bytes]:
    """Return the files ``tracer handout SPEC OPTIONS -o FOLDER`` writes, by name."""
    assert main(["handout", spec, *options, "-o", str(folder)]) == 0
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != MANIFEST}


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    folder = tmp_path_factory.mktemp("handout") / "out"
    return folder, run(folder, "--variants", "3", "--seed", "42")


def test_the_folder_holds_every_variants_files_the_combined_files_and_an_index(made):
    _, files = made
    per_variant = ["answers.toml", "exercise.md", "key.md", "spec.toml"]
    expected = {f"variant-0{k}-{kind}" for k in (1, 2, 3) for kind in per_variant}
    expected |= {f"variant-0{k}.svg" for k in (1, 2, 3)} | {"exercises.md", "keys.md", "README.md"}
    assert set(files) == expected
    folder, _ = made  # beside them, the manifest that lets a later handout replace this one exactly
    assert json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"] == sorted(expected)


def test_the_same_seed_gives_the_same_files_and_another_seed_other_ones(made, tmp_path):
    _, files = made
    assert run(tmp_path / "again", "--variants", "3", "--seed", "42") == files
    other = run(tmp_path / "other", "--variants", "3", "--seed", "43")
    assert set(other) == set(files)
    assert all(other[name] != files[name] for name in files if name.endswith(("spec.toml", "key.md")))


def test_one_variant_is_made_again_on_its_own_byte_for_byte(made, tmp_path):
    _, files = made
    alone = run(tmp_path / "v2", "--seed", "42", "--variant", "2")
    assert set(alone) == {n for n in files if n.startswith("variant-02")}
    assert all(alone[name] == files[name] for name in alone)
    assert b"tracer handout mazur --seed 42 --variant 2 -o DIR" in files["variant-02-key.md"]
    assert b"Code **S42-V2**" in files["variant-02-exercise.md"]


def test_the_students_sheet_tells_nothing_that_makes_its_key(made):
    _, files = made
    for name in ("variant-02-exercise.md", "exercises.md"):
        sheet = files[name].decode()
        assert "tracer handout" not in sheet and "--seed" not in sheet and "seed 42" not in sheet
        assert "--variant" not in sheet and "DIR" not in sheet
    assert "seed 42, variant 2" in files["variant-02-key.md"].decode()


def test_every_key_is_a_fresh_trace_of_its_variants_spec(made):
    folder, files = made
    for k in (1, 2, 3):
        fresh = trace(load_spec(str(folder / f"variant-0{k}-spec.toml")))
        answers = tomllib.loads(files[f"variant-0{k}-answers.toml"].decode())
        assert len(answers) == 17
        key = files[f"variant-0{k}-key.md"].decode()
        for name, value in answers.items():
            assert value == fresh.values[parse(name)], (k, name)
            assert f"**${format_number(value, 4, fixed=True)}$**" in key  # 0.8400, not 0.84
            assert f"\\boxed{{{format_number(value, 4)}}}" in key


def test_each_answers_file_passes_tracer_check_against_its_own_spec(made):
    folder, _ = made
    for k in (1, 2, 3):
        command = [
            sys.executable,
            "-m",
            "tracer",
            "check",
            f"variant-0{k}-spec.toml",
            f"variant-0{k}-answers.toml",
        ]
        done = subprocess.run(command, cwd=folder, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "17 of 17 correct" in done.stdout


def test_the_sheet_has_the_numbers_the_blanks_and_no_answers(made):
    _, files = made
    sheet = files["variant-01-exercise.md"].decode()
    spec = tomllib.loads(files["variant-01-spec.toml"].decode())
    assert "![The network" in sheet and "(variant-01.svg)" in sheet
    assert f"\\eta = {format_number(spec['learning_rate'])}" in sheet
    assert sheet.count("| $\\displaystyle ") == 17 and "## 2. What to compute" in sheet
    assert "\\boxed" not in sheet and "## 3. Handing in" in sheet
    # paper (the default): blanks only, no answer ids or names, no answers file
    assert "`" not in sheet.split("## 2. What to compute")[1] and "[" not in sheet.split("## 2.")[1]


@pytest.mark.parametrize(
    ("hand_in", "blanks", "names", "toml"),
    [("paper", 17, 0, False), ("file", 0, 17, True), ("both", 17, 17, True)],
)
def test_the_sheet_asks_for_answers_the_way_the_teacher_chose(hand_in, blanks, names, toml):
    handout = make_handout(load_spec("mazur"), Request("mazur", 1, 42, hand_in=hand_in))
    sheet = handout_files(handout)["variant-01-exercise.md"]
    asked = sheet.split("## 2. What to compute")[1]
    assert asked.count(" | \\_\\_") == blanks
    assert asked.count("| `") == names and ("`out_h1`" in asked) == bool(names)
    assert ("```toml" in asked) == toml and "a[1][1]" not in asked and "W'[1]" not in asked
    if toml:
        lines = asked.split("```toml\n")[1].split("```")[0].splitlines()
        assert lines[0] == "net_h1 = " and '"dE_total/dw_5" = ' in lines and len(lines) == 17


def test_the_combined_files_hold_every_sheet_and_key_in_order(made):
    _, files = made
    exercises, keys = files["exercises.md"].decode(), files["keys.md"].decode()
    assert [m for m in re.findall(r"^# Exercise (\d)", exercises, flags=re.M)] == ["1", "2", "3"]
    assert [m for m in re.findall(r"^# Answer key (\d)", keys, flags=re.M)] == ["1", "2", "3"]
    for k in (1, 2, 3):
        assert files[f"variant-0{k}-exercise.md"].decode() in exercises


def test_the_index_states_the_seed_the_rejected_draws_and_how_to_grade(made, capsys, tmp_path):
    _, files = made
    index = files["README.md"].decode()
    assert "3 variants of `mazur`, seed 42" in index
    assert re.search(r"\d+ draws? (was|were) rejected", index)
    assert "tracer check variant-01-spec.toml STUDENT.toml" in index
    run(tmp_path / "xor", "--variants", "4", "--seed", "3", spec="xor")
    said = capsys.readouterr().out
    assert "wrote 23 files" in said and re.search(r"\d+ draws? rejected", said)


def test_bad_requests_are_one_line_errors(tmp_path, capsys):
    cases = [
        (["relu", "--variants", "2", "--ask", "a[3][*]"], '--ask: "a[3][*]" matches no quantity'),
        (["mazur", "--variants", "2", "--exact"], "--exact: exact fractions need relu or identity"),
        (["mazur", "--seed", "1"], "--variants: give the number of variants"),
        (["mazur", "--variants", "2", "--variant", "3"], "--variant: 3 is more than the 2 variants"),
        (["mazur", "--variants", "2", "--variant", "1", "--lms", "moodle"], "--lms: an LMS file holds every"),
    ]
    for options, message in cases:
        assert main(["handout", *options, "-o", str(tmp_path / "x")]) == 2
        error = capsys.readouterr().err
        assert error.startswith(f"tracer: {message}") and error.count("\n") == 1, error
    assert not (tmp_path / "x").exists()


@needs_tex
def test_pdf_typesets_once_and_splits_each_sheet_and_key_into_its_own_pdf(tmp_path):
    files = run(tmp_path / "pdf", "--variants", "3", "--seed", "5", "--format", "pdf", spec="neuron")
    pdfs = sorted(n for n in files if n.endswith(".pdf"))
    assert pdfs == ["exercises.pdf", "keys.pdf"] + [
        f"variant-0{k}-{r}.pdf" for k in (1, 2, 3) for r in ("exercise", "key")
    ]
    assert not any(n.endswith((".tex", ".svg")) for n in files)
    for combined, kind in (("exercises.pdf", "exercise"), ("keys.pdf", "key")):
        whole = PdfReader(io.BytesIO(files[combined])).pages
        parts = [PdfReader(io.BytesIO(files[f"variant-0{k}-{kind}.pdf"])).pages for k in (1, 2, 3)]
        assert sum(len(p) for p in parts) == len(whole)
        flat = [page for part in parts for page in part]
        assert [p.extract_text() for p in flat] == [p.extract_text() for p in whole]
        for k, part in enumerate(parts, start=1):
            assert f"S5-V{k}" in part[0].extract_text() and part[0].extract_text().rstrip().endswith("1")
    assert (
        run(tmp_path / "again", "--variants", "3", "--seed", "5", "--format", "pdf", spec="neuron") == files
    )


@needs_tex
def test_the_combined_exercises_compile_to_a_clean_pdf():
    handout = make_handout(load_spec("neuron"), Request("neuron", 2, 5))
    latex = combined_sources(view(handout, "tex"))["exercises.tex"]
    assert latex.count("\\tracersheet{") == 2 and "tracer handout" not in latex and "seed" not in latex
    pdf, log = compile_with_log(latex)
    assert pdf.startswith(b"%PDF")
    trouble = (
        "Undefined control sequence",
        "Overfull \\hbox",
        "Warning",
        "Missing character",
    )
    found = [line for line in log.splitlines() if any(t in line for t in trouble)]
    assert not found, "\n".join(found)


@needs_tex
def test_no_heading_stands_alone_at_the_foot_of_a_page():
    # A heading with only its first sentence under it, the rest on the next page, is alone too.
    handout = make_handout(load_spec("mazur"), Request("mazur", 8, 42, format="pdf", hand_in="both"))
    sources = combined_sources(view(handout))
    with ThreadPoolExecutor() as pool:  # the sheets and the keys typeset at once, as tracer handout does
        compiled = pool.map(lambda source: compile_with_log(source)[0], sources.values())
        pdfs = dict(zip(sources, compiled, strict=True))
    for name, source in sources.items():
        headings = re.findall(r"\\(?:sub)?section\*?\{([^{}]+)\}", source)
        for number, page in enumerate(PdfReader(io.BytesIO(pdfs[name])).pages, start=1):
            lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
            foot = lines[-5:-1]  # the last line is the page number
            alone = [line for line in foot if any(line.endswith(h) for h in headings)]
            assert not alone, f"{name}, page {number}: {alone}"


def test_the_sheet_states_its_givens_as_they_are_not_to_the_answers_decimals(tmp_path):
    # Asked to 1 decimal, the sheet said x₁ = 0.1 and η = 0.2 for a spec's 0.05 and 0.25, and an
    # Adam sheet said ε = 0 at 4 decimals: a student working from the sheet had other numbers than
    # the key. The givens are the exercise's data; only computed values follow the decimals.
    spec = tmp_path / "tiny.toml"
    spec.write_text(
        'layers = [1, 1]\nactivations = "identity"\nloss = "quadratic"\nlearning_rate = 0.25\n'
        'weights = [[[0.5]]]\nbiases = [[0.5]]\nask = ["C"]\n'
        "[[samples]]\nx = [0.05]\ny = [3.0]\n"
        "[randomize]\nx = false\nbiases = false\nweights = {low = 1.0, high = 2.0, decimals = 1}\n",
        encoding="utf-8",
    )
    files = run(tmp_path / "tiny", "--variants", "1", "--decimals", "1", spec=str(spec))
    sheet = files["variant-01-exercise.md"].decode()
    assert "$x_{1} = 0.05$" in sheet and "$\\eta = 0.25$" in sheet
    key = files["variant-01-key.md"].decode()
    assert "\\cdot 0.05 + 0.5 = 0.6" in key  # the givens in full, the computed z to 1 decimal
    adam = tmp_path / "adam.toml"
    adam.write_text(preset_text("mazur") + '\n[optimizer]\nname = "adam"\n', encoding="utf-8")
    files = run(tmp_path / "adam", "--variants", "1", "--ask", "m[2][1][1]", spec=str(adam))
    for name in ("variant-01-exercise.md", "variant-01-key.md"):
        text = files[name].decode()
        assert "\\epsilon &= 0.00000001" in text and "\\epsilon &= 0\n" not in text


MAZUR_LINES = preset_text("mazur").split("\n[published]")[0].splitlines()
MAZUR_AS_IT_IS = "\n".join(line for line in MAZUR_LINES if not line.startswith("published_by")) + (
    '\n[optimizer]\nname = "adam"\n[randomize]\nweights = false\nbiases = false\nx = false\n'
)


def test_one_variant_with_nothing_drawn_is_the_spec_itself_and_its_key_never_prints_a_small_number_as_0(
    tmp_path, capsys
):
    # [randomize] keeping every number used to end in an IndexError; and an Adam key read
    # m(w₁) = (1 − 0.9)·0.0004 = 0, then m̂(w₁) = 0 / (1 − 0.9) = 0.0004.
    spec = tmp_path / "adam.toml"
    spec.write_text(MAZUR_AS_IT_IS, encoding="utf-8")
    files = run(tmp_path / "one", "--variants", "1", "--ask", "m[2][1][1]", spec=str(spec))
    assert (
        "Nothing is drawn: the weights, biases, inputs, targets and η are the spec's."
        in files["README.md"].decode()
    )
    key = files["variant-01-key.md"].decode()
    m = re.search(r"^m_\{w_\{1\}\} &= .* = (.*) \\\\$", key, re.MULTILINE)
    assert m is not None and m[1] == "4.39 \\cdot 10^{-5}"
    assert "\\frac{4.39 \\cdot 10^{-5}}{1 - 0.9^{1}} = 0.0004" in key  # the rest keeps 4 decimals
    assert main(["handout", str(spec), "--variants", "2", "-o", str(tmp_path / "two")]) == 2
    err = capsys.readouterr().err
    assert "tracer: randomize: nothing that tells variants apart is drawn" in err and err.count("\n") == 1
    assert not (tmp_path / "two").exists()
