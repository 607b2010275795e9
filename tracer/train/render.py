"""Outputs of a Training: terminal text, Markdown, LaTeX, PDF, an HTML page, JSON, and its pictures.

The report is a document of blocks (:mod:`tracer.train.report`), shown by the worked examples'
renderers (:func:`tracer.documents.render.environment`); this module only chooses the maths style
and what each format shows of the pictures: the files beside Markdown and LaTeX, the SVG inside
the page, the loss curves in characters in the terminal. JSON is written here; the pictures
are drawn by matplotlib (:mod:`tracer.train.plots`).
"""

from __future__ import annotations

import json
import math
import re

import numpy as np
from markupsafe import Markup

from tracer.derive import symbol
from tracer.documents import katex
from tracer.documents.pdf import compile_latex
from tracer.documents.render import environment
from tracer.documents.styles import LatexStyle, PrettyStyle
from tracer.ids import Ref
from tracer.printing import DEFAULT_DECIMALS, MathPrinter, format_number
from tracer.train.model import Training
from tracer.train.report import PICTURES, command_line, report
from tracer.train.textchart import text_chart

# The picture files of each format: the LaTeX includes PDF pictures, the page carries SVG, the
# others show PNG/SVG beside them.
PICTURE_KINDS = {
    "term": ("png", "svg"),
    "md": ("png", "svg"),
    "json": ("png", "svg"),
    "html": ("svg",),
    "tex": ("pdf",),
    "pdf": ("pdf",),
}
_SVG_START = re.compile(r"\A.*?(?=<svg)", re.DOTALL)
_SVG_ID = re.compile(r'(id="|url\(#|href="#)')


def _printer(training: Training, decimals: int) -> MathPrinter:
    return MathPrinter(training.spec.naming, decimals)


def render_term(
    training: Training,
    decimals: int = DEFAULT_DECIMALS,
    unicode: bool = True,
    pictures: tuple[str, ...] = (),
    width: int = 100,
    colour: bool = False,
) -> str:
    """Return the report for a terminal ``width`` columns wide: the verdicts, a text chart of the
    losses, the tables; in colour if asked.

    ``unicode`` False draws the chart with plain characters, for a pipe or a file; ``pictures``
    names the picture files written alongside, if any.
    """
    printer = _printer(training, decimals)
    rate = printer.text(symbol(Ref("eta")))
    series = [
        (f"{r.label + ', ' if r.label else ''}{rate} = {format_number(r.rate, decimals)}", r.history.losses)
        for r in training.runs
    ]
    cost = printer.text(symbol(Ref("C")))
    number = lambda v: format_number(v, decimals)  # noqa: E731
    chart = text_chart(
        series, training.steps, training.log_scale, unicode, cost, number=number, columns=width
    )
    doc = report(training, PrettyStyle(printer, width - 4), chart=chart, written=pictures)
    return (
        environment("term").get_template("term/document.txt.j2").render(doc=doc, width=width, colour=colour)
    )


def render_markdown(
    training: Training, stem: str | None = None, decimals: int = DEFAULT_DECIMALS, worked: str | None = None
) -> str:
    """Return the report as Markdown.

    With ``stem`` it shows the pictures ``STEM-loss.svg`` and ``STEM-descent.svg`` beside it;
    ``worked`` is the file of the worked example of step 1 (``tracer trace``'s Markdown), if there is one.
    """
    files = None if stem is None else {name: f"{stem}-{name}.svg" for name in PICTURES}
    doc = report(training, LatexStyle(_printer(training, decimals)), files, worked=worked)
    return environment("md").get_template("md/document.md.j2").render(doc=doc, svg=None)


def render_latex(
    training: Training, stem: str | None = None, decimals: int = DEFAULT_DECIMALS, worked: str | None = None
) -> str:
    """Return the report as a standalone LaTeX document (pdflatex).

    With ``stem`` it includes the pictures ``STEM-loss.pdf`` and ``STEM-descent.pdf``, which must
    lie beside it; ``worked`` names the file of the worked example of step 1, if there is one.
    """
    files = None if stem is None else {name: f"{stem}-{name}.pdf" for name in PICTURES}
    doc = report(training, LatexStyle(_printer(training, decimals)), files, worked=worked)
    return environment("tex").get_template("tex/document.tex.j2").render(doc=doc)


def render_pdf(
    training: Training,
    stem: str = "training",
    decimals: int = DEFAULT_DECIMALS,
    worked: str | None = None,
    figures: dict[str, bytes] | None = None,
) -> bytes:
    """Return the LaTeX report compiled to one PDF with its pictures in it; SpecError without TeX.

    ``figures`` are the PDF pictures ``STEM-loss.pdf`` and ``STEM-descent.pdf`` if already drawn.
    """
    if figures is None:
        figures = picture_files(training, stem, decimals, ("pdf",))
    return compile_latex(render_latex(training, stem, decimals, worked), figures)


def render_html(
    training: Training,
    decimals: int = DEFAULT_DECIMALS,
    svgs: dict[str, bytes] | None = None,
    worked: str | None = None,
) -> str:
    """Return the report as one self-contained HTML page: KaTeX inlined, the plots as inline SVG.

    ``svgs`` are the SVG pictures by name (``loss``, ``descent``) if already drawn.
    """
    if svgs is None:
        drawn = picture_files(training, "plot", decimals, ("svg",))
        svgs = {name: drawn[f"plot-{name}.svg"] for name in PICTURES}
    inline = {name: Markup(_inline_svg(svgs[name].decode("utf-8"), name)) for name in PICTURES}
    doc = report(training, LatexStyle(_printer(training, decimals)), inline, inline=True, worked=worked)
    return (
        environment("html")
        .get_template("html/report.html.j2")
        .render(doc=doc, katex_css=Markup(katex.stylesheet()), katex_js=Markup(katex.script()))
    )


def _inline_svg(svg: str, prefix: str) -> str:
    """Return an SVG file as an element inside a page: no XML declaration, and every id (glyphs,
    clip paths) prefixed, so that two plots in one page do not share ids."""
    return _SVG_ID.sub(lambda m: f"{m.group(1)}{prefix}-", _SVG_START.sub("", svg))


def _finite(values) -> list:
    """Return numbers (or rows of numbers) for JSON, which has no inf or nan: those become null."""
    array = np.asarray(values, dtype=float)
    plain = array.tolist()
    if np.all(np.isfinite(array)):
        return plain
    if array.ndim == 2:
        return [[v if math.isfinite(v) else None for v in row] for row in plain]
    return [v if math.isfinite(v) else None for v in plain]


def render_json(training: Training, pictures: tuple[str, ...] = ()) -> str:
    """Return the whole training as JSON: settings, every run's losses and verdict, the descent paths.

    Values are full float64; a number float64 could not hold is ``null``.
    """
    runs = []
    for run in training.runs:
        history = run.history
        runs.append(
            {
                "optimizer": run.optimizer.to_dict(),
                "learning_rate": run.rate,
                "verdict": {
                    **run.verdict.__dict__,
                    "start": _finite([run.verdict.start])[0],
                    "end": _finite([run.verdict.end])[0],
                },
                "settled_above_learning_rate": None if run.lower is None else run.lower.rate,
                "losses": _finite(history.losses),
                "gradient_norms": _finite(history.gradient_norms),
                "rows": [
                    {
                        "step": r.step,
                        "loss": _finite([r.loss])[0],
                        "gradient_norm": _finite([r.gradient_norm])[0],
                        "watched": _finite(r.watched),
                    }
                    for r in run.rows
                ],
                "parameters": [
                    {"id": str(p.ref), "start": p.start, "end": _finite([p.end])[0]} for p in run.parameters
                ],
                "predictions": [
                    {
                        "x": list(p.x),
                        "y": list(p.y),
                        "a": _finite(p.a),
                        "rounded": None if p.rounded is None else list(p.rounded),
                        "correct": p.correct,
                    }
                    for p in run.predictions
                ],
            }
        )
    land = training.landscape
    document = {
        "command": command_line(training),
        "spec": training.spec.to_dict(),
        "steps": training.steps,
        "batch": training.batch,
        "seed": training.seed,
        "watch": [str(r) for r in training.watch],
        "runs": runs,
        "descent": {
            "parameters": [str(r) for r in land.refs],
            "others_held_at_start": land.held,
            "valleys": [{"at": w, "cost": c} for w, c in land.valleys],
            "paths": [
                {
                    "optimizer": p.label or None,
                    "learning_rate": p.rate,
                    "verdict": p.verdict.kind,
                    "leaves_picture_at": p.leaves,
                    "valley": p.valley,
                    "points": _finite(p.points),
                    "losses": _finite(p.losses),
                }
                for p in land.paths
            ],
        },
        "pictures": list(pictures),
    }
    # One line: a run of 10,000 steps holds some 50,000 numbers, and JSON written with indents
    # would cost a tenth of the training's time (jq or any JSON reader shows it indented).
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def picture_files(
    training: Training, stem: str, decimals: int = DEFAULT_DECIMALS, kinds: tuple[str, ...] = ("png", "svg")
) -> dict[str, bytes]:
    """Return the picture files of a training by name: ``STEM-loss.png``, ``STEM-loss.svg``, …

    ``kinds`` are file types matplotlib writes: ``png``, ``svg``, ``pdf`` (for the LaTeX report).
    """
    from tracer.train.plots import pictures  # here: importing matplotlib takes longer than tracing a network

    printer = _printer(training, decimals)
    return {f"{stem}-{name}": data for name, data in pictures(training, printer, kinds).items()}


def report_files(
    training: Training,
    stem: str,
    kinds: tuple[str, ...] = ("md",),
    decimals: int = DEFAULT_DECIMALS,
    worked: str | None = None,
) -> dict[str, str | bytes]:
    """Return the report in each of ``kinds`` with the pictures it shows, as files by name.

    ``report_files(t, "xor", ("md", "tex", "pdf"))`` gives ``xor.md`` with ``xor-loss.svg``/``.png``
    and ``xor-descent.svg``/``.png``, ``xor.tex`` with ``xor-loss.pdf`` and ``xor-descent.pdf``,
    ``xor.pdf`` (the LaTeX compiled, its pictures inside) and ``xor.html`` (a page that carries
    them). ``worked`` is the stem of the
    worked example of step 1 written beside it (``xor``: ``xor.md``, ``xor.pdf``), if any.
    """
    wanted = tuple(dict.fromkeys(k for kind in kinds for k in PICTURE_KINDS[kind]))
    drawn = picture_files(training, stem, decimals, wanted)
    images = {name: data for name, data in drawn.items() if not name.endswith(".pdf")}
    figures = {name: data for name, data in drawn.items() if name.endswith(".pdf")}
    files: dict[str, str | bytes] = {}
    for kind in kinds:
        if kind == "md":
            files[f"{stem}.md"] = render_markdown(training, stem, decimals, worked and f"{worked}.md")
        elif kind == "tex":
            files[f"{stem}.tex"] = render_latex(training, stem, decimals, worked and f"{worked}.pdf")
        elif kind == "pdf":
            files[f"{stem}.pdf"] = render_pdf(training, stem, decimals, worked and f"{worked}.pdf", figures)
        elif kind == "json":
            files[f"{stem}.json"] = render_json(training, tuple(images))
        elif kind == "html":
            svgs = {name: drawn[f"{stem}-{name}.svg"] for name in PICTURES}
            files[f"{stem}.html"] = render_html(training, decimals, svgs, worked and f"{worked}.pdf")
            continue
        else:
            files[f"{stem}.txt"] = render_term(training, decimals, unicode=False, pictures=tuple(images))
        if kind != "pdf":
            files.update(figures if kind == "tex" else images)
    return files
