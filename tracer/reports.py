"""Everything in the repository's ``reports/`` folder, written by one command: ``tracer reports reports``.

Each writer in :data:`WRITERS` returns its files by path under the folder:

* every preset's worked example: ``NAME.md`` with ``NAME.svg`` beside it, ``NAME.tex``, ``NAME.pdf``;
* the step-through page of :data:`PAGES` (``tracer trace --format html``), e.g. ``mazur.html``;
* the training reports of :data:`TRAININGS` (``tracer train``): ``NAME.md`` with its pictures as
  PNG and SVG, ``NAME.tex`` with them as PDF, and ``NAME.pdf``;
* an example handout in ``handout/`` (:data:`HANDOUT`).

``tests/test_reports.py`` fails when a file is stale, missing, or in the folder without a writer.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tracer.documents.pdf import compile_latex
from tracer.documents.render import render_html, render_latex, render_markdown, render_svg
from tracer.errors import SpecError
from tracer.handout.model import Request, make_handout
from tracer.handout.render import combined_sources, compiled, handout_files, view
from tracer.printing import DEFAULT_DECIMALS
from tracer.spec import load_spec, preset_names
from tracer.trace import trace
from tracer.train.model import train
from tracer.train.render import report_files as training_files


def report_files(name: str, decimals: int = DEFAULT_DECIMALS, pdf: bool = True) -> dict[str, str | bytes]:
    """Return the report files of one preset by file name, e.g. ``{"mazur.md": …, "mazur.pdf": …}``."""
    result = trace(load_spec(name))
    latex = render_latex(result, decimals)
    files: dict[str, str | bytes] = {
        f"{name}.md": render_markdown(result, decimals, f"{name}.svg"),
        f"{name}.svg": render_svg(result, decimals),
        f"{name}.tex": latex,
    }
    if pdf:
        files[f"{name}.pdf"] = compile_latex(latex)
    return files


def preset_report_files(pdf: bool = True) -> dict[str, str | bytes]:
    """Return the worked example of every preset, e.g. ``{"mazur.md": …, "mazur.pdf": …, "xor.md": …}``.

    Without ``pdf`` the files that need a TeX engine are left out (so for every writer).
    """
    return {file: data for name in preset_names() for file, data in report_files(name, pdf=pdf).items()}


# The worked examples also written as a step-through page (each is about half a megabyte).
PAGES = ("mazur",)


def page_report_files(pdf: bool = True) -> dict[str, str | bytes]:
    """Return the HTML page of each preset in :data:`PAGES`, e.g. ``{"mazur.html": …}`` (no TeX needed)."""
    return {f"{name}.html": render_html(trace(load_spec(name))) for name in PAGES}


# Training reports: name, preset, steps, learning rates. ``train-xor`` compares four rates on
# ``xor``; ``descent-basins`` is the foggy mountain of ``basins``, a local minimum and the rate
# that jumps out of it.
TRAININGS = (
    ("train-xor", "xor", 5000, (0.5, 2.0, 20.0, 500.0)),
    ("descent-basins", "basins", 100, (1.0, 10.0, 30.0)),
)


def training_report_files(pdf: bool = True) -> dict[str, str | bytes]:
    """Return the training reports of :data:`TRAININGS` in Markdown, LaTeX and PDF, with their pictures.

    Each names the worked example of its step 1, ``PRESET.md``/``PRESET.pdf`` beside it.
    """
    kinds = ("md", "tex", "pdf") if pdf else ("md", "tex")
    files: dict[str, str | bytes] = {}
    for name, preset, steps, rates in TRAININGS:
        training = train(load_spec(preset), steps, rates, source=preset)
        files.update(training_files(training, name, kinds, worked=preset))
    return files


# The example handout in reports/handout/: three variants of Mazur's network, seed 1.
HANDOUT = Request("mazur", count=3, seed=1)


def handout_report_files(pdf: bool = True) -> dict[str, str | bytes]:
    """Return the example handout's files by path under ``reports/``, e.g. ``handout/README.md``.

    Markdown sheets and keys (each with its SVG), answers and spec files, and the combined
    exercises and keys again as PDF.
    """
    handout = make_handout(load_spec(HANDOUT.source), HANDOUT)
    files = handout_files(handout)
    if pdf:
        files.update(compiled(combined_sources(view(handout, "pdf"))))
    return {f"handout/{name}": content for name, content in sorted(files.items())}


# Every writer of reports/: each returns its files by path under the folder.
WRITERS = (preset_report_files, page_report_files, training_report_files, handout_report_files)


def write_reports(folder: Path, write) -> list[str]:
    """Write the files of every writer in :data:`WRITERS` into ``folder``; return their paths.

    ``write(content, path)`` writes one file (``tracer.cli.write_output``).
    """
    if not folder.is_dir():
        raise SpecError("reports", f"folder {str(folder)!r} does not exist; create it first")
    written = []
    for writer in WRITERS:
        for file, content in writer().items():
            (folder / file).parent.mkdir(exist_ok=True)
            write(content, str(folder / file))
            written.append(file)
    return written


if __name__ == "__main__":
    from tracer.cli import main

    sys.exit(main(["reports", *sys.argv[1:]]))
