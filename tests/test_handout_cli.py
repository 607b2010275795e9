"""``tracer handout``: the files it writes, byte for byte reproducible, and keys that grade.

Most runs are in-process (``tracer.cli.main``); grading each answers file runs the real command
line, ``tracer check``, as a fresh process. One small combined PDF is compiled with TeX.
"""

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tracer import load_spec, trace
from tracer.cli import main
from tracer.documents.pdf import compile_with_log
from tracer.handout.model import Request, make_handout
from tracer.handout.render import combined_sources, handout_files, view
from tracer.ids import parse
from tracer.output import MANIFEST
from tracer.printing import format_number

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
    assert b"tracer handout mazur --seed 42 --variant 2 -o DIR" in files["variant-02-exercise.md"]
    assert b"Code **S42-V2**" in files["variant-02-exercise.md"]


def test_every_key_is_a_fresh_trace_of_its_variants_spec(made):
    folder, files = made
    for k in (1, 2, 3):
        fresh = trace(load_spec(str(folder / f"variant-0{k}-spec.toml")))
        answers = tomllib.loads(files[f"variant-0{k}-answers.toml"].decode())
        assert len(answers) == 17
        key = files[f"variant-0{k}-key.md"].decode()
        for name, value in answers.items():
            assert value == fresh.values[parse(name)], (k, name)
            assert f"**${format_number(value, 4)}$**" in key
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
    assert sheet.count("| `") == 17 and "## 2. What to compute" in sheet
    assert "\\boxed" not in sheet and "## 3. Handing in" in sheet


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
    ]
    for options, message in cases:
        assert main(["handout", *options, "-o", str(tmp_path / "x")]) == 2
        error = capsys.readouterr().err
        assert error.startswith(f"tracer: {message}") and error.count("\n") == 1, error
    assert not (tmp_path / "x").exists()


def test_pdf_gives_one_pdf_per_sheet_and_one_per_combined_file(monkeypatch):
    monkeypatch.setattr("tracer.handout.render.compile_latex", lambda source: b"%PDF " + source[:20].encode())
    handout = make_handout(load_spec("neuron"), Request("neuron", 2, 5, format="pdf"))
    files = handout_files(handout)
    pdfs = sorted(n for n in files if n.endswith(".pdf"))
    assert pdfs == ["exercises.pdf", "keys.pdf"] + [
        f"variant-0{k}-{r}.pdf" for k in (1, 2) for r in ("exercise", "key")
    ]
    assert not any(n.endswith((".tex", ".svg")) for n in files)


@needs_tex
def test_the_combined_exercises_compile_to_a_clean_pdf():
    handout = make_handout(load_spec("neuron"), Request("neuron", 2, 5))
    latex = combined_sources(view(handout, "tex"))["exercises.tex"]
    assert latex.count("\\clearpage") == 1 and "\\texttt{tracer handout neuron -{}-{}seed 5" in latex
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
