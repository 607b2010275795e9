"""Pictures of a Training, drawn with matplotlib: the loss curves and the descent on the cost surface.

matplotlib, a well-kept plotting library, writes PNG, SVG and PDF (for the LaTeX report) from one
figure, so no drawing is written by hand here. No pyplot: each figure is a plain ``Figure`` on
an Agg canvas, so nothing global changes. Files are byte-for-byte repeatable: the SVG ids come
from a fixed hash salt, and no format records a date or the software version. Symbols in labels
come from :class:`tracer.printing.MathPrinter`, in the spec's notation.
"""

from __future__ import annotations

import io
import warnings

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import BoundaryNorm
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from tracer.derive import symbol
from tracer.i18n import _, language
from tracer.ids import Ref
from tracer.printing import MathPrinter, format_number
from tracer.terminal import display_width
from tracer.train.landscape import Landscape, Path
from tracer.train.model import Training

FORMATS = ("png", "svg", "pdf")
SETTINGS = {
    "svg.hashsalt": "tracer",  # the same ids in every SVG written for the same picture
    "svg.fonttype": "path",  # glyphs as outlines: the file looks the same in every viewer
    "font.size": 10,
    "axes.titlesize": 11,
}
# Korean labels: NanumGothic (Debian's fonts-nanum) first, DejaVu Sans for the glyphs it lacks (font
# fallback). In a label with maths ("η = 1: 수렴") mathtext sets the words in the label's first font
# and the maths in DejaVu Sans as in English, anything else from STIX.
KOREAN = {
    "font.family": ["NanumGothic", "DejaVu Sans"],
    "mathtext.fontset": "custom",
    "mathtext.rm": "DejaVu Sans",
    "mathtext.it": "DejaVu Sans:italic",
    "mathtext.bf": "DejaVu Sans:bold",
    "mathtext.sf": "DejaVu Sans",
    "mathtext.cal": "DejaVu Sans",
    "mathtext.fallback": "stixsans",
}
METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "Producer": None, "Creator": None},
}
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")
LEVELS = 16  # bands of the contour map
TITLE = 70  # characters of the spec's title shown above a picture
MARKED_STEPS = 40  # a path shows a mark for each of its first steps, then a line
# Paths that run on top of each other stay apart: each its own mark and line style.
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "<")
DASHES = ("-", "--", "-.", ":")
LEGEND_INSIDE = 6  # runs whose legend fits inside the plot; more would hide curves and paths
TWO_COLUMNS = 40  # characters of the longest label that two legend columns fit into the width
LEGEND_ROW = 0.24  # inches a row of the legend below a plot takes


def _style(i: int) -> tuple[str, str, str]:
    """Return path ``i``'s colour, line style and mark in the descent picture, no two alike.

    Colours and marks go round every eight paths, line styles every four; from the ninth path on
    the line style is shifted by a round, so that path 9 is not drawn as path 1 was.
    """
    turn = i + i // len(COLOURS)
    return COLOURS[i % len(COLOURS)], DASHES[turn % len(DASHES)], MARKERS[turn % len(MARKERS)]


def _legend(figure: Figure, ax: Axes, runs: int, title: str | None = None) -> None:
    """Put the legend in the plot where it hides least, or, for many runs, below it: in two
    columns when the labels fit the figure's width side by side, else in one; the figure grows
    by the legend's rows."""
    if runs <= LEGEND_INSIDE:
        ax.legend(loc="best", frameon=True, title=title)
        return
    labels = ax.get_legend_handles_labels()[1]
    longest = max(display_width(label.replace("$\\eta$", "η")) for label in labels)  # 한 is two
    columns = 2 if longest <= TWO_COLUMNS else 1
    rows = -(-len(labels) // columns) + (1 if title else 0)
    width, height = figure.get_size_inches()
    figure.set_size_inches(width, height + LEGEND_ROW * rows)
    figure.legend(loc="outside lower center", ncols=columns, frameon=True, title=title)


def settings() -> dict:
    """Return matplotlib's settings for the pictures in the current language (a Korean font for ko)."""
    return {**SETTINGS, **(KOREAN if language() == "ko" else {})}


def _figure(width: float, height: float) -> Figure:
    """Return an empty figure drawn by the Agg renderer (inches), its layout fitted to its labels."""
    figure = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _math(printer: MathPrinter, ref: Ref) -> str:
    """Return a symbol as matplotlib mathtext, e.g. ``$w^{2}_{11}$``."""
    return f"${printer.latex(symbol(ref))}$"


def _title(training: Training) -> str:
    """Return the spec's title for a picture: one line of at most :data:`TITLE` characters."""
    title = " ".join(_(training.spec.title).split())  # a preset's title is a catalogue message
    return title if len(title) <= TITLE else title[: TITLE - 1].rstrip() + "…"


def _rate(printer: MathPrinter, rate: float, label: str = "") -> str:
    """Return a run's name in a legend: ``η = 0.5``, or ``adam, η = 0.01`` when optimizers are compared."""
    named = f"{label}, " if label else ""
    return f"{named}{_math(printer, Ref('eta'))} = {format_number(rate, printer.decimals)}"


def loss_figure(training: Training, printer: MathPrinter) -> Figure:
    """Return the loss curves of every run on one plot, log-scaled when the losses span decades."""
    figure = _figure(7.5, 4.5)
    ax = figure.add_subplot()
    cost = _math(printer, Ref("C"))
    for i, run in enumerate(training.runs):
        losses = run.history.losses
        colour = COLOURS[i % len(COLOURS)]
        label = f"{_rate(printer, run.rate, run.label)}: {_(run.verdict.kind)}"
        style = DASHES[i // len(COLOURS) % len(DASHES)]
        ax.plot(np.arange(len(losses)), losses, color=colour, linewidth=1.6, linestyle=style, label=label)
        if run.verdict.non_finite_at is not None:
            last = run.verdict.non_finite_at - 1
            ax.plot([last], [losses[last]], marker="X", markersize=9, color=colour, linestyle="none")
    if training.log_scale:
        ax.set_yscale("log")
    if training.batch is None:
        subtitle = _("cost {cost} after each step (full batch)").format(cost=cost)
    else:
        subtitle = _("cost {cost} after each step (batches of {size})").format(cost=cost, size=training.batch)
    ax.set_title(f"{_title(training)}\n{subtitle}")
    ax.set_xlabel(_("step"))
    if training.log_scale:
        ax.set_ylabel(_("cost {cost} (log scale)").format(cost=cost))
    else:
        ax.set_ylabel(_("cost {cost}").format(cost=cost))
    ax.set_xlim(0, training.steps)
    ax.grid(True, which="major", alpha=0.3)
    _legend(figure, ax, len(training.runs))
    return figure


def descent_figure(training: Training, printer: MathPrinter) -> Figure:
    """Return the cost over one or two watched parameters with each rate's path of steps on it."""
    land = training.landscape
    figure = _figure(7.5, 5.2 if len(land.refs) == 2 else 4.5)
    ax = figure.add_subplot()
    cost = _math(printer, Ref("C"))
    names = [_math(printer, ref) for ref in land.refs]
    if len(land.refs) == 1:
        ax.plot(
            land.axes[0], land.costs, color="0.25", linewidth=1.8, label=_("cost {cost}").format(cost=cost)
        )
        ax.margins(y=0.32)  # room below each valley for its label
        for rank, (w, c) in enumerate(land.valleys):
            name = _("lowest valley") if rank == 0 else _("a higher valley")
            ax.annotate(
                f"{name}\n{cost} ≈ {format_number(c, 4)}",
                (w, c),
                xytext=(0, -14),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize=9,
                color="0.3",
                arrowprops={"arrowstyle": "-", "color": "0.5", "linewidth": 0.8},
            )
        if land.log_scale:
            ax.set_yscale("log")
        ax.set_ylabel(_("cost {cost}").format(cost=cost))
    else:
        _contours(figure, ax, land.axes, land.costs, cost)
        ax.set_ylabel(names[1])
    for i, path in enumerate(land.paths):
        xs, ys = _track(land, path)
        label = f"{_rate(printer, path.rate, path.label)}: {_(path.verdict.kind)}"
        if path.leaves is not None:
            label += " " + _("(leaves the picture at step {step})").format(step=path.leaves)
        marked = list(range(min(len(xs), MARKED_STEPS)))
        colour, dashes, mark = _style(i)
        ax.plot(
            xs,
            ys,
            color=colour,
            linewidth=1.0,
            linestyle=dashes,
            marker=mark,
            markersize=4.5 - 0.5 * (i % 3),  # later paths drawn smaller: one on top of another shows both
            markevery=marked,
            label=label,
        )
    for i, path in enumerate(land.paths):
        xs, ys = _track(land, path)
        colour = COLOURS[i % len(COLOURS)]
        ax.plot(xs[-1:], ys[-1:], color=colour, marker="*", markersize=13, markeredgecolor="black", zorder=5)
    xs, ys = _track(land, land.paths[0])
    ax.plot(xs[:1], ys[:1], color="black", marker="o", markersize=8, fillstyle="none", zorder=6)
    ax.set_xlim(land.axes[0][0], land.axes[0][-1])
    if len(land.refs) == 2:
        ax.set_ylim(land.axes[1][0], land.axes[1][-1])
    ax.set_xlabel(names[0])
    over = _(" and ").join(names)
    subtitle = _("gradient descent on cost {cost} over {parameters}").format(cost=cost, parameters=over)
    held = "\n" + _("(the other parameters held at their starting values)") if land.held else ""
    ax.set_title(f"{_title(training)}\n{subtitle}{held}")
    _legend(figure, ax, len(land.paths), _("○ start   ★ end"))
    return figure


def _track(land: Landscape, path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Return where a path's points go in the picture: (w, C) for one parameter, (w, v) for two."""
    if len(land.refs) == 1:
        return path.points[:, 0], path.losses
    return path.points[:, 0], path.points[:, 1]


def _contours(figure: Figure, ax: Axes, axes: tuple, costs: np.ndarray, cost: str) -> None:
    """Draw the cost over two parameters as filled contours, one colour per sixteenth of the grid.

    The levels are quantiles of the cost on the grid, so that a flat valley floor still shows
    its shape. The colour bar is drawn to scale, its ticks evenly spaced round numbers.
    """
    finite = costs[np.isfinite(costs)]
    levels = np.unique(np.quantile(finite, np.linspace(0, 1, LEVELS + 1))) if finite.size else np.zeros(1)
    if len(levels) < 2:  # a flat surface: one band around its one value
        spread = max(abs(float(levels[0])) * 1e-6, 1e-12)
        levels = np.array([levels[0] - spread, levels[0] + spread])
    norm = BoundaryNorm(levels, ncolors=256)
    filled = ax.contourf(axes[0], axes[1], costs, levels=levels, norm=norm, cmap="viridis")
    ax.contour(axes[0], axes[1], costs, levels=levels, colors="white", linewidths=0.4, alpha=0.6)
    bar = figure.colorbar(filled, ax=ax, label=_("cost {cost}").format(cost=cost), spacing="proportional")
    bar.locator = MaxNLocator(nbins=6)
    bar.update_ticks()


def image(figure: Figure, kind: str) -> bytes:
    """Return a figure as PNG, SVG or PDF bytes, identical for identical figures."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(settings()):
        figure.savefig(buffer, format=kind, dpi=150, metadata=METADATA[kind])
    return buffer.getvalue()


def pictures(
    training: Training, printer: MathPrinter, kinds: tuple[str, ...] = ("png", "svg")
) -> dict[str, bytes]:
    """Return every picture of a training in each of ``kinds``: ``{"loss.png": …, "descent.svg": …}``."""
    result = {}
    # matplotlib's remarks (an overflow in a diverging path, a layout it could not fit) are about
    # its drawing, not the user's work: a successful run says nothing on stderr.
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        for name, draw in (("loss", loss_figure), ("descent", descent_figure)):
            # Fonts are chosen when a label is made: a Korean figure is drawn with the Korean fonts.
            with matplotlib.rc_context(KOREAN if language() == "ko" else {}):
                figure = draw(training, printer)
            if language() == "ko":
                # Tick labels are numbers, a log axis's in maths ($\\mathdefault{10^{-2}}$), which
                # mathtext would set in NanumGothic, a font without "−": keep them in DejaVu Sans.
                for ax in figure.axes:
                    ax.tick_params(labelfontfamily="DejaVu Sans")
            for kind in kinds:
                result[f"{name}.{kind}"] = image(figure, kind)
    return result
