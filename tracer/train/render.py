"""Outputs of a Training: terminal text, Markdown, LaTeX, PDF, JSON, and the picture files beside them.

Two small Jinja environments over ``templates/train/`` (the context of each template is described
in ``templates/train/README.md``), their filters registered by name; one function per output.
The LaTeX report uses the worked examples' ``<< >>``/``<% %>`` delimiters and includes its
pictures as PDF files written by matplotlib; :mod:`tracer.documents.pdf` compiles it with them beside it.
Numbers go through :func:`tracer.printing.format_number`, symbols and formulas through
:class:`tracer.printing.MathPrinter` in the spec's notation. The templates compute nothing.
"""

from __future__ import annotations

import json
import math
import shlex
from functools import cache

import jinja2
import numpy as np
import sympy as sp

from tracer.derive import symbol
from tracer.display import Product, Total
from tracer.documents.pdf import compile_latex
from tracer.documents.prose import tex_code, tex_escape
from tracer.ids import Ref
from tracer.notation import Partial, notation
from tracer.optimizers import HYPER_ID
from tracer.printing import DEFAULT_DECIMALS, MathPrinter, format_number
from tracer.templating import LATEX_SYNTAX, new_environment
from tracer.terminal import display_width, pad
from tracer.train.model import Run, Training
from tracer.train.textchart import text_chart

PICTURES = ("loss", "descent")
LONG = 16  # a number with more characters may break across lines in the LaTeX report
# The picture files of each format: the LaTeX includes PDF pictures, the others show PNG/SVG.
PICTURE_KINDS = {
    "term": ("png", "svg"),
    "md": ("png", "svg"),
    "json": ("png", "svg"),
    "tex": ("pdf",),
    "pdf": ("pdf",),
}


@cache
def environment() -> jinja2.Environment:
    """Return the Jinja environment of the training reports.

    Filters: ``num`` (a number), ``vector`` (one number or a tuple), and for the terminal the
    aligned tables ``run_table``, ``parameter_table`` and ``prediction_table`` of a Run.
    """
    env = new_environment()
    env.filters["num"] = _num
    env.filters["num_or_small"] = _num_or_small
    env.filters["short"] = _short
    env.filters["vector"] = _vector
    env.filters["run_table"] = _run_table
    env.filters["parameter_table"] = _parameter_table
    env.filters["prediction_table"] = _prediction_table
    return env


@cache
def latex_environment() -> jinja2.Environment:
    """Return the Jinja environment of the LaTeX report: the worked examples' LaTeX delimiters,
    ``tex`` escaping prose, ``code`` a command, and ``num`` and ``vector`` numbers as LaTeX maths."""
    env = new_environment(**LATEX_SYNTAX)
    env.filters["tex"] = tex_escape
    env.filters["code"] = tex_code
    env.filters["num"] = _latex_num
    env.filters["num_or_small"] = _latex_num_or_small
    env.filters["short"] = lambda value: tex_escape(_short(value))
    env.filters["vector"] = _latex_vector
    return env


@jinja2.pass_context
def _latex_num(context: jinja2.runtime.Context, value: float) -> str:
    """Return a number as LaTeX maths, ``$-0.6$``; not a number, or infinity, as escaped text.

    A run that blows up has numbers of a hundred digits: those may break after every tenth.
    """
    text = _num(context, value)
    if not math.isfinite(value):
        return tex_escape(text)
    if len(text) > LONG:
        text = r"\allowbreak ".join(text[i : i + 10] for i in range(0, len(text), 10))
    return f"${text}$"


@jinja2.pass_context
def _latex_vector(context: jinja2.runtime.Context, values: tuple[float, ...]) -> str:
    """Return one number as :func:`_latex_num` does, several as ``($0$, $1$)``."""
    shown = [_latex_num(context, v) for v in values]
    return shown[0] if len(shown) == 1 else "(" + ", ".join(shown) + ")"


@jinja2.pass_context
def _num(context: jinja2.runtime.Context, value: float) -> str:
    """Return a number in the report's format (``decimals`` from the context); ``nan``/``inf`` as words."""
    if not math.isfinite(value):
        return "not a number" if math.isnan(value) else ("∞" if value > 0 else "−∞")
    return format_number(value, context["decimals"])


def _short(value: float) -> str:
    """Return a hyper-parameter as written in a spec: ``0.9``, ``1e-08``."""
    return f"{value:g}"


def _small(value: float, decimals: int) -> str | None:
    """Return a number too small for ``decimals`` places in scientific notation (``9.29e-11``),
    or None when the places show it: a ‖∇C‖ that prints as 0 while the weights still move."""
    if value == 0 or not math.isfinite(value) or format_number(value, decimals) not in ("0", "-0"):
        return None
    return f"{value:.2e}"


@jinja2.pass_context
def _num_or_small(context: jinja2.runtime.Context, value: float) -> str:
    """Return a number as :func:`_num` does, but one that would print as 0 in scientific notation."""
    return _small(value, context["decimals"]) or _num(context, value)


@jinja2.pass_context
def _latex_num_or_small(context: jinja2.runtime.Context, value: float) -> str:
    r"""Return :func:`_num_or_small` as LaTeX maths: ``$9.29 \cdot 10^{-11}$``."""
    small = _small(value, context["decimals"])
    if small is None:
        return _latex_num(context, value)
    mantissa, exponent = small.split("e")
    return rf"${mantissa} \cdot 10^{{{int(exponent)}}}$"


@jinja2.pass_context
def _vector(context: jinja2.runtime.Context, values: tuple[float, ...]) -> str:
    """Return one number as itself and several as ``(0.1, 0.2)``."""
    shown = [_num(context, v) for v in values]
    return shown[0] if len(shown) == 1 else "(" + ", ".join(shown) + ")"


def _table(rows: list[list[str]]) -> str:
    """Return rows of cells as aligned text: the first row is the header, numbers align right."""
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(pad(cell, w, "right") for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    lines.insert(1, "  ".join("─" * w for w in widths))
    return "\n".join("  " + line for line in lines)


class _Symbols:
    """Return-free symbols of one report, printed for its format (Unicode text or Markdown maths)."""

    def __init__(self, training: Training, decimals: int, markdown: bool) -> None:
        self.printer = MathPrinter(notation(training.spec.notation).bind(training.spec.layers), decimals)
        self.markdown = markdown

    def __call__(self, ref: Ref) -> str:
        """Return the symbol of a quantity: ``w³₁₁`` as text, ``$w^{3}_{11}$`` for Markdown."""
        if self.markdown:
            return f"${self.printer.latex(symbol(ref))}$"
        return self.printer.text(symbol(ref))

    @property
    def cost(self) -> str:
        """Return the cost's symbol: C, J or E_total, by notation."""
        return self(Ref("C"))

    @property
    def rate(self) -> str:
        """Return the learning rate's symbol: η or α, by notation."""
        return self(Ref("eta"))


def command_line(training: Training) -> str:
    """Return the ``tracer train`` command that makes this training again."""
    rates = ",".join(dict.fromkeys(format_number(r.rate, 12) for r in training.runs))
    words = ["tracer", "train", training.source or "SPEC", "--steps", str(training.steps)]
    words += ["--learning-rates", rates]
    if training.optimizers != (training.spec.optimizer,):
        words += [
            "--optimizers",
            ",".join(
                o.name if o.convention == "torch" else f"{o.name}:{o.convention}" for o in training.optimizers
            ),
        ]
    if training.batch is not None:
        words += ["--batch", str(training.batch)]
    if training.seed is not None:
        words += ["--seed", str(training.seed)]
    words += ["--watch", ",".join(str(r) for r in training.watch)]
    return " ".join(shlex.quote(word) for word in words)


def averaged_cost() -> sp.Eq:
    """Return the lecture's averaged cost C = 1/n Σₓ Cₓ (C prints in the reader's notation)."""
    n, x = sp.Symbol("n"), sp.Symbol("x")
    mean = Product(sp.Pow(n, -1, evaluate=False), Total(sp.Symbol("C_x"), x))  # 1/n Σₓ Cₓ, not Σₓ Cₓ/n
    return sp.Eq(symbol(Ref("C")), mean, evaluate=False)


def update_rule() -> sp.Eq:
    """Return the step of gradient descent for any weight, w′ = w − η ∂C/∂w."""
    w, eta = sp.Symbol("w"), symbol(Ref("eta"))
    step = sp.Mul(-1, eta, Partial(symbol(Ref("C")), w), evaluate=False)
    return sp.Eq(sp.Symbol("w'"), sp.Add(w, step, evaluate=False), evaluate=False)


def _context(training: Training, decimals: int, kind: str = "term") -> dict:
    """Return what every template of ``kind`` (term, md, tex) reads; see templates/train/README.md."""
    symbols = _Symbols(training, decimals, markdown=kind != "term")
    printer, cost = symbols.printer, symbol(Ref("C"))
    context = {
        "t": training,
        "decimals": decimals,
        "C": symbols.cost,
        "eta": symbols.rate,
        "names": [symbols(ref) for ref in training.watch],
        "symbol": symbols,
        "command": command_line(training),
        "gradient": f"‖∇{printer.text(cost)}‖",
        "hyper": lambda key: symbols(Ref(HYPER_ID.get(key, key))),
    }
    if kind != "term":
        context["averaged"] = printer.latex(averaged_cost())
        context["update"] = printer.latex(update_rule())
    if kind == "tex":
        context["gradient"] = rf"$\lVert \nabla {printer.latex(cost)} \rVert$"
    return context


@jinja2.pass_context
def _run_table(context: jinja2.runtime.Context, run: Run) -> str:
    """Return a run's table: step, cost, gradient length and the watched parameters."""
    header = ["step", context["C"], context["gradient"], *context["names"]]
    rows = [[str(r.step), _num(context, r.loss), _num_or_small(context, r.gradient_norm)] for r in run.rows]
    rows = [row + [_num(context, v) for v in r.watched] for row, r in zip(rows, run.rows, strict=True)]
    return _table([header, *rows])


@jinja2.pass_context
def _parameter_table(context: jinja2.runtime.Context, run: Run) -> str:
    """Return every parameter of a run at the start and at the end."""
    header = ["", "start", f"after {run.verdict.steps} steps"]
    symbol_of = context["symbol"]
    rows = [[symbol_of(p.ref), _num(context, p.start), _num(context, p.end)] for p in run.parameters]
    return _table([header, *rows])


@jinja2.pass_context
def _prediction_table(context: jinja2.runtime.Context, run: Run) -> str:
    """Return each sample's input, target and output (and, for a classifier, its class and a mark)."""
    classes = context["t"].classifier
    header = ["x", "y", "a", *(["class", ""] if classes else [])]
    rows = []
    for p in run.predictions:
        row = [_vector(context, p.x), _vector(context, p.y), _vector(context, p.a)]
        if classes:
            row += [_vector(context, p.rounded), "✓" if p.correct else "✗"]
        rows.append(row)
    return _table([header, *rows])


def render_term(
    training: Training, decimals: int = DEFAULT_DECIMALS, unicode: bool = True, pictures: tuple[str, ...] = ()
) -> str:
    """Return the report for the terminal: the verdicts, a text chart of the losses, the tables.

    ``unicode`` False draws the chart with plain characters, for a pipe or a file; ``pictures``
    names the picture files written alongside, if any.
    """
    context = _context(training, decimals)
    context["pictures"] = pictures
    series = [
        (
            f"{r.label + ', ' if r.label else ''}{context['eta']} = {format_number(r.rate, decimals)}",
            r.history.losses,
        )
        for r in training.runs
    ]
    number = lambda v: format_number(v, decimals)  # noqa: E731
    context["chart"] = text_chart(
        series, training.steps, training.log_scale, unicode, context["C"], number=number
    )
    return environment().get_template("train/report.txt.j2").render(context)


def render_markdown(
    training: Training, stem: str | None = None, decimals: int = DEFAULT_DECIMALS, worked: str | None = None
) -> str:
    """Return the report as Markdown.

    With ``stem`` it shows the pictures ``STEM-loss.svg`` and ``STEM-descent.svg`` beside it;
    ``worked`` is a link to the worked example of step 1 (``tracer trace``'s Markdown), if there is one.
    """
    context = _context(training, decimals, "md")
    context["images"] = None if stem is None else {name: f"{stem}-{name}.svg" for name in PICTURES}
    context["worked"] = worked
    return environment().get_template("train/report.md.j2").render(context)


def render_latex(
    training: Training, stem: str | None = None, decimals: int = DEFAULT_DECIMALS, worked: str | None = None
) -> str:
    """Return the report as a standalone LaTeX document (pdflatex: amsmath, booktabs, graphicx).

    With ``stem`` it includes the pictures ``STEM-loss.pdf`` and ``STEM-descent.pdf``, which must
    lie beside it; ``worked`` names the file of the worked example of step 1, if there is one.
    """
    context = _context(training, decimals, "tex")
    context["images"] = None if stem is None else {name: f"{stem}-{name}.pdf" for name in PICTURES}
    context["worked"] = worked
    return latex_environment().get_template("train/report.tex.j2").render(context)


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

    printer = _Symbols(training, decimals, markdown=True).printer
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
    and ``xor.pdf`` (the LaTeX compiled, its pictures inside). ``worked`` is the stem of the
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
        else:
            files[f"{stem}.txt"] = render_term(training, decimals, unicode=False, pictures=tuple(images))
        if kind != "pdf":
            files.update(figures if kind == "tex" else images)
    return files
