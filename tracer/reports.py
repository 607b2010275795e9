"""Everything in the repository's ``reports/`` folder, written by one command: ``tracer reports reports``.

Each writer in :data:`WRITERS` returns its files by path under the folder:

* every preset's worked example: ``NAME.md`` with ``NAME.svg`` beside it, ``NAME.tex``, ``NAME.pdf``,
  and those of :data:`OPTIMIZER_STEPS` (``adam-mazur``: three Adam steps, ``tracer trace SPEC
  --steps 3``);
* the step-through page of :data:`PAGES` and :data:`OPTIMIZER_PAGES` (``tracer trace --format
  html``), e.g. ``mazur.html``, ``adam-mazur.html``;
* the training reports of :data:`TRAININGS` (``tracer train``): ``NAME.md`` with its pictures as
  PNG and SVG, ``NAME.tex`` with them as PDF, and ``NAME.pdf`` (those of :data:`TRAINING_PAGES`
  also as ``NAME.html``);
* an example handout in ``handout/`` (:data:`HANDOUT`), with its first variant's exercise and key
  also as pages (``tracer handout … --format html``);
* in Korean, in ``ko/``: the worked example of ``mazur`` (``mazur.md`` with ``mazur.svg``,
  ``mazur.pdf``) and the example handout (``ko/handout/``).

``tests/test_reports.py`` fails when a file is stale, missing, or in the folder without a writer.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from tracer.documents.pdf import compile_latex
from tracer.documents.render import render_html, render_latex, render_markdown, render_svg
from tracer.errors import OutputError
from tracer.handout.model import Request, make_handout
from tracer.handout.pdf import typeset
from tracer.handout.render import combined_sources, handout_files, sheet_sources, view
from tracer.i18n import _, speaking
from tracer.optimizers import parse_optimizer
from tracer.output import Outputs
from tracer.printing import DEFAULT_DECIMALS
from tracer.spec import NetworkSpec, from_dict, load_spec, preset_names, preset_text
from tracer.trace import trace
from tracer.train.model import train
from tracer.train.render import report_files as training_files

# Worked examples of an optimizer's steps: name, preset, learning rate, [optimizer] table, steps.
# Adam on Mazur's network is what PyTorch's published numbers check (lr 0.01); its moments, like
# momentum's velocity, only show their role from step 2 on, so the examples work out more than one.
OPTIMIZER_STEPS = (
    ("adam-mazur", "mazur", 0.01, {"name": "adam"}, 3),
    ("momentum-mazur", "mazur", 0.5, {"name": "momentum"}, 2),
)


def report_files(
    name: str,
    decimals: int = DEFAULT_DECIMALS,
    pdf: bool = True,
    spec: NetworkSpec | None = None,
    steps: int = 1,
) -> dict[str, str | bytes]:
    """Return the report files of one preset (or ``spec``, worked for ``steps`` steps) by file name,
    e.g. ``{"mazur.md": …}``."""
    result = trace(load_spec(name) if spec is None else spec, steps)
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
    files = {file: data for name in preset_names() for file, data in report_files(name, pdf=pdf).items()}
    for entry in OPTIMIZER_STEPS:
        spec, steps = optimizer_example(entry[0])
        files.update(report_files(entry[0], pdf=pdf, spec=spec, steps=steps))
    return files


def optimizer_example(name: str) -> tuple[NetworkSpec, int]:
    """Return the spec of one of :data:`OPTIMIZER_STEPS` by its name (``"adam-mazur"``) and its steps.

    The source's printed numbers are dropped: they are those of its own learning rate and plain
    descent, not of this optimizer's steps.
    """
    _, preset, rate, table, steps = next(entry for entry in OPTIMIZER_STEPS if entry[0] == name)
    data = tomllib.loads(preset_text(preset))
    data.pop("published", None)
    data.pop("published_by", None)
    title = f"one {table['name']} step" if steps == 1 else f"{steps} {table['name']} steps"
    data.update(title=f"{data['title']}: {title}", learning_rate=rate, optimizer=table)
    return from_dict(data), steps


# The worked examples also written as a step-through page (each is about half a megabyte): presets,
# and the optimizer steps of :data:`OPTIMIZER_STEPS`.
PAGES = ("mazur",)
OPTIMIZER_PAGES = ("adam-mazur",)


def page_report_files(pdf: bool = True) -> dict[str, str | bytes]:
    """Return the HTML page of each of :data:`PAGES` and :data:`OPTIMIZER_PAGES`, e.g.
    ``{"mazur.html": …, "adam-mazur.html": …}`` (no TeX needed)."""
    files = {f"{name}.html": render_html(trace(load_spec(name))) for name in PAGES}
    for name in OPTIMIZER_PAGES:
        files[f"{name}.html"] = render_html(trace(*optimizer_example(name)))
    return files


# Training reports: name, preset, steps, learning rates, optimizers (() for the spec's).
# ``train-xor`` compares four rates on ``xor``; ``descent-basins`` is the foggy mountain of
# ``basins``, a local minimum and the rate that jumps out of it; ``optimizers-xor`` and
# ``optimizers-basins`` compare plain descent, momentum and Adam at one rate: on ``xor`` plain
# descent crawls where both others converge, on ``basins`` plain descent and momentum stop in
# the local minimum and Adam reaches the lowest valley.
COMPARED = ("gd", "momentum", "adam")
TRAININGS = (
    ("train-xor", "xor", 5000, (0.5, 2.0, 20.0, 500.0), ()),
    ("descent-basins", "basins", 100, (1.0, 10.0, 30.0), ()),
    ("optimizers-xor", "xor", 2000, (0.5,), COMPARED),
    ("optimizers-basins", "basins", 100, (1.0,), COMPARED),
)
TRAINING_PAGES = ("optimizers-xor",)  # the training reports also written as a page, plots inside


def training_report_files(pdf: bool = True) -> dict[str, str | bytes]:
    """Return the training reports of :data:`TRAININGS` in Markdown, LaTeX and PDF, with their
    pictures, and those of :data:`TRAINING_PAGES` as an HTML page too.

    Each names the worked example of its step 1, ``PRESET.md``/``PRESET.pdf`` beside it.
    """
    kinds = ("md", "tex", "pdf") if pdf else ("md", "tex")
    files: dict[str, str | bytes] = {}
    for name, preset, steps, rates, compared in TRAININGS:
        optimizers = [parse_optimizer(o) for o in compared] or None
        training = train(load_spec(preset), steps, rates, source=preset, optimizers=optimizers)
        shown = (*kinds, "html") if name in TRAINING_PAGES else kinds
        files.update(training_files(training, name, shown, worked=preset))
    return files


# The example handout in reports/handout/: three variants of Mazur's network, seed 1, with its
# Moodle XML and Canvas QTI package.
HANDOUT = Request("mazur", count=3, seed=1, lms=("moodle", "canvas"))


def handout_report_files(pdf: bool = True) -> dict[str, str | bytes]:
    """Return the example handout's files by path under ``reports/``, e.g. ``handout/README.md``.

    Markdown sheets and keys (each with its SVG), answers and spec files, the Moodle XML and the
    Canvas package, and the combined exercises and keys again as PDF.
    """
    handout = make_handout(load_spec(HANDOUT.source), HANDOUT)
    files = handout_files(handout)
    if pdf:
        typeset_files = typeset(combined_sources(view(handout, "pdf")))
        files.update({name: pdf for name, (pdf, _) in typeset_files.items()})
    return {f"handout/{name}": content for name, content in sorted(files.items())}


# The variant of the example handout also written as pages (each is about half a megabyte).
HANDOUT_PAGES = 1


def handout_page_files(pdf: bool = True) -> dict[str, str | bytes]:
    """Return the example handout's variant :data:`HANDOUT_PAGES` as an exercise page and a key
    page, e.g. ``handout/variant-01-exercise.html`` (no TeX needed)."""
    handout = make_handout(load_spec(HANDOUT.source), HANDOUT._replace(format="html", lms=()))
    shown = view(handout)
    sheet = shown.sheets[HANDOUT_PAGES - 1]
    pages = sheet_sources(handout, shown._replace(sheets=(sheet,)))
    return {f"handout/{name}": content for name, content in sorted(pages.items())}


def korean_report_files(pdf: bool = True) -> dict[str, str | bytes]:
    """Return the Korean reports by path under ``reports/``: ``ko/mazur.md``, ``ko/mazur.svg``,
    ``ko/mazur.pdf`` and the example handout in ``ko/handout/``."""
    with speaking("ko"):
        result = trace(load_spec("mazur"))
        files: dict[str, str | bytes] = {
            "mazur.md": render_markdown(result, DEFAULT_DECIMALS, "mazur.svg"),
            "mazur.svg": render_svg(result, DEFAULT_DECIMALS),
        }
        if pdf:
            files["mazur.pdf"] = compile_latex(render_latex(result, DEFAULT_DECIMALS))
        files.update(handout_report_files(pdf))
    return {f"ko/{name}": content for name, content in sorted(files.items())}


# Every writer of reports/: each returns its files by path under the folder.
WRITERS = (
    preset_report_files,
    page_report_files,
    training_report_files,
    handout_report_files,
    handout_page_files,
    korean_report_files,
)


def report_outputs(folder: Path, outputs: Outputs) -> None:
    """Hand every file of every writer in :data:`WRITERS` to ``outputs``, under ``folder``.

    Nothing is written until ``outputs.commit()``: a writer that fails leaves the folder as it was.
    """
    if folder.exists() and not folder.is_dir():
        raise OutputError("reports", _("{path!r} is a file; give a folder").format(path=str(folder)))
    if not folder.is_dir():
        message = _("folder {path!r} does not exist; create it first").format(path=str(folder))
        raise OutputError("reports", message)
    for writer in WRITERS:
        for file, content in writer().items():
            parent = (folder / file).parent
            if not parent.is_dir():
                outputs.make_folder(str(parent), "reports")
            outputs.file(str(folder / file), content, "reports")
