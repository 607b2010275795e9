"""Outputs of a Training: terminal text, Markdown, JSON, and the picture files that go beside them.

One small Jinja environment over ``templates/train/`` (the context of each template is described
in ``templates/train/README.md``), its filters registered by name; one function per output.
Numbers go through :func:`tracer.printing.format_number`, symbols through
:class:`tracer.printing.MathPrinter` in the spec's notation. The templates compute nothing.
LaTeX/PDF can be added as one more template and one more function: the model and the pictures
(matplotlib also writes PGF) are the same.
"""

from __future__ import annotations

import json
import math
import shlex
from functools import cache

import jinja2

from tracer.derive import symbol
from tracer.ids import Ref
from tracer.notation import notation
from tracer.printing import DEFAULT_DECIMALS, MathPrinter, format_number
from tracer.templating import new_environment
from tracer.textchart import text_chart
from tracer.train import Run, Training

FORMATS = ("term", "md", "json")
PICTURES = ("loss", "descent")


@cache
def environment() -> jinja2.Environment:
    """Return the Jinja environment of the training reports.

    Filters: ``num`` (a number), ``vector`` (one number or a tuple), and for the terminal the
    aligned tables ``run_table``, ``parameter_table`` and ``prediction_table`` of a Run.
    """
    env = new_environment()
    env.filters["num"] = _num
    env.filters["vector"] = _vector
    env.filters["run_table"] = _run_table
    env.filters["parameter_table"] = _parameter_table
    env.filters["prediction_table"] = _prediction_table
    return env


@jinja2.pass_context
def _num(context: jinja2.runtime.Context, value: float) -> str:
    """Return a number in the report's format (``decimals`` from the context); ``nan``/``inf`` as words."""
    if not math.isfinite(value):
        return "not a number" if math.isnan(value) else ("∞" if value > 0 else "−∞")
    return format_number(value, context["decimals"])


@jinja2.pass_context
def _vector(context: jinja2.runtime.Context, values: tuple[float, ...]) -> str:
    """Return one number as itself and several as ``(0.1, 0.2)``."""
    shown = [_num(context, v) for v in values]
    return shown[0] if len(shown) == 1 else "(" + ", ".join(shown) + ")"


def _table(rows: list[list[str]]) -> str:
    """Return rows of cells as aligned text: the first row is the header, numbers align right."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
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
    rates = ",".join(format_number(r.rate, 12) for r in training.runs)
    words = ["tracer", "train", training.source or "SPEC", "--steps", str(training.steps)]
    words += ["--learning-rates", rates]
    if training.batch is not None:
        words += ["--batch", str(training.batch)]
    if training.seed is not None:
        words += ["--seed", str(training.seed)]
    words += ["--watch", ",".join(str(r) for r in training.watch)]
    return " ".join(shlex.quote(word) for word in words)


def _context(training: Training, decimals: int, markdown: bool) -> dict:
    symbols = _Symbols(training, decimals, markdown)
    return {
        "t": training,
        "decimals": decimals,
        "C": symbols.cost,
        "eta": symbols.rate,
        "names": [symbols(ref) for ref in training.watch],
        "symbol": symbols,
        "command": command_line(training),
        "gradient": f"‖∇{symbols.printer.text(symbol(Ref('C')))}‖",
    }


@jinja2.pass_context
def _run_table(context: jinja2.runtime.Context, run: Run) -> str:
    """Return a run's table: step, cost, gradient length and the watched parameters."""
    header = ["step", context["C"], context["gradient"], *context["names"]]
    rows = [[str(r.step), _num(context, r.loss), _num(context, r.gradient_norm)] for r in run.rows]
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
    context = _context(training, decimals, markdown=False)
    context["pictures"] = pictures
    series = [
        (f"{context['eta']} = {format_number(r.rate, decimals)}", r.history.losses) for r in training.runs
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
    context = _context(training, decimals, markdown=True)
    context["images"] = None if stem is None else {name: f"{stem}-{name}.svg" for name in PICTURES}
    context["worked"] = worked
    return environment().get_template("train/report.md.j2").render(context)


def _finite(values) -> list[float | None]:
    """Return numbers for JSON, which has no inf or nan: those become null."""
    return [float(v) if math.isfinite(v) else None for v in values]


def render_json(training: Training, pictures: tuple[str, ...] = ()) -> str:
    """Return the whole training as JSON: settings, every run's losses and verdict, the descent paths.

    Values are full float64; a number float64 could not hold is ``null``.
    """
    runs = []
    for run in training.runs:
        history = run.history
        runs.append(
            {
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
                    "learning_rate": p.rate,
                    "verdict": p.verdict.kind,
                    "valley": p.valley,
                    "points": [_finite(point) for point in p.points],
                    "losses": _finite(p.losses),
                }
                for p in land.paths
            ],
        },
        "pictures": list(pictures),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def picture_files(training: Training, stem: str, decimals: int = DEFAULT_DECIMALS) -> dict[str, bytes]:
    """Return the picture files of a training by name: ``STEM-loss.png``, ``STEM-loss.svg``, …"""
    from tracer.plots import pictures  # here: importing matplotlib takes longer than tracing a network

    printer = _Symbols(training, decimals, markdown=True).printer
    return {f"{stem}-{name}": data for name, data in pictures(training, printer).items()}


def report_files(
    training: Training,
    stem: str,
    kind: str = "md",
    decimals: int = DEFAULT_DECIMALS,
    worked: str | None = None,
) -> dict[str, str | bytes]:
    """Return a report and its pictures as files by name: ``{"xor.md": …, "xor-loss.svg": …}``.

    ``worked`` (Markdown only) links the worked example of step 1.
    """
    images = picture_files(training, stem, decimals)
    if kind == "md":
        text = render_markdown(training, stem, decimals, worked)
    elif kind == "json":
        text = render_json(training, tuple(images))
    else:
        text = render_term(training, decimals, unicode=False, pictures=tuple(images))
    suffix = {"md": ".md", "json": ".json", "term": ".txt"}[kind]
    return {f"{stem}{suffix}": text, **images}
