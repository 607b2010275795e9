"""``tracer trace`` writes each format where it should, plainly when piped, and refuses bad input cleanly."""

import os
import subprocess
import sys

import pytest
from document_cases import PRESETS, TERMINAL_WIDTH, rendered

from tracer.cli import main
from tracer.documents.render import render_terminal
from tracer.output import colour_wanted
from tracer.spec import load_spec
from tracer.trace import trace


def test_markdown_file_gets_its_svg_beside_it(tmp_path, capsys):
    assert main(["trace", "mazur", "--format", "md", "-o", str(tmp_path / "worked.md")]) == 0
    text = (tmp_path / "worked.md").read_text(encoding="utf-8")
    assert "](worked.svg)" in text
    assert (tmp_path / "worked.svg").read_text(encoding="utf-8").startswith("<svg")


def test_markdown_on_stdout_draws_the_network_as_text(capsys):
    assert main(["trace", "mazur", "--format", "md"]) == 0
    out = capsys.readouterr().out
    assert ".svg" not in out and "i₂ ── w₂ = 0.2  ──┴──▶ outₕ₁" in out


def test_terminal_is_the_default_and_plain_when_piped(capsys):
    assert main(["trace", "neuron"]) == 0
    out = capsys.readouterr().out
    assert "1. The network" in out and "\033[" not in out


class _Stream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_colour_only_on_a_terminal_without_no_color():
    # https://no-color.org: NO_COLOR turns colour off when present and not an empty string.
    assert colour_wanted(_Stream(True), {}) and not colour_wanted(_Stream(False), {})
    assert not colour_wanted(_Stream(True), {"NO_COLOR": "1"})
    assert colour_wanted(_Stream(True), {"NO_COLOR": ""})
    coloured = render_terminal(trace(load_spec("neuron")), colour=True)
    assert "\033[1;36m" in coloured


@pytest.mark.parametrize("name", PRESETS)
def test_terminal_text_fits_its_width(name):
    lines = rendered(name, "term").split("\n")
    assert max(len(line) for line in lines) <= TERMINAL_WIDTH


def test_narrow_terminal_breaks_chains_at_equals_signs():
    text = render_terminal(trace(load_spec("mazur")), width=60)
    assert "      = 0.008771355" in text


def test_bad_spec_exits_2_with_one_line_and_leaves_no_file(tmp_path):
    spec = tmp_path / "bad.toml"
    spec.write_text("layers = [2\n", encoding="utf-8")
    out = tmp_path / "out.md"
    run = subprocess.run(
        [sys.executable, "-m", "tracer", "trace", str(spec), "--format", "md", "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2
    assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr
    assert run.stderr.startswith("tracer: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.toml"]


def test_pdf_without_a_tex_engine_says_how_to_install_one(tmp_path):
    environment = {**os.environ, "PATH": str(tmp_path)}
    out = tmp_path / "out.pdf"
    run = subprocess.run(
        [sys.executable, "-m", "tracer", "trace", "mazur", "--format", "pdf", "-o", str(out)],
        capture_output=True,
        text=True,
        env=environment,
    )
    assert run.returncode == 2
    assert len(run.stderr.strip().splitlines()) == 1
    assert "apt-get install texlive-latex-base" in run.stderr and "MiKTeX" in run.stderr
    assert not out.exists()


def test_latex_and_json_go_to_the_file_asked_for(tmp_path):
    assert main(["trace", "relu", "--format", "tex", "-o", str(tmp_path / "relu.tex")]) == 0
    assert (tmp_path / "relu.tex").read_text(encoding="utf-8") == rendered("relu", "tex")
    assert main(["trace", "relu", "--format", "json", "-o", str(tmp_path / "relu.json")]) == 0
    assert (tmp_path / "relu.json").read_text(encoding="utf-8") == rendered("relu", "json")


def test_decimals_reach_every_format(capsys):
    assert main(["trace", "mazur", "--format", "md", "--decimals", "3"]) == 0
    out = capsys.readouterr().out
    assert "0.593 " in out and "0.593269992" not in out


def test_templates_are_found_from_the_package(tmp_path):
    from tracer.templating import template_folder

    folder = template_folder()
    for kind, name in (("md", "document.md.j2"), ("tex", "document.tex.j2"), ("svg", "network.svg.j2")):
        assert folder.joinpath(kind).joinpath(name).is_file(), name
    assert folder.joinpath("README.md").is_file()
