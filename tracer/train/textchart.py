"""A loss curve in characters, for the terminal: one marker per run, steps across, cost up."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

# Eight shapes, then letters: 8 rates × 6 optimizers is 48 runs, each with a mark of its own.
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnpqrstuvwyz"
MARKERS = {True: "●○◆◇▲△■□" + _LETTERS, False: "*o+x#@%&" + _LETTERS}
FRAME = {True: ("┤", "│", "└", "─", "┬"), False: ("+", "|", "+", "-", "+")}


def text_chart(
    series: Sequence[tuple[str, Sequence[float]]],
    steps: int,
    log: bool,
    unicode: bool,
    label: str = "C",
    width: int = 60,
    height: int = 12,
    number: Callable[[float], str] = str,
    columns: int | None = None,
) -> str:
    """Return a chart of loss curves, e.g. ``[("η = 2", losses)]``, as lines of text.

    Column c shows each curve at step ⌊c·steps/(width−1)⌋; ``log`` puts the cost on a log
    scale; ``unicode`` draws with ● ○ ◆ and box lines, otherwise with plain ``* o +`` and ``|``.
    Values that are not finite are left out. ``number`` formats the axis labels. With ``columns``
    the whole chart fits in that many columns: the plot takes what its labels leave (at most
    ``width``), the legend breaks between its entries.

    >>> print(text_chart([("a", [1.0, 0.5, 0.25])], 2, False, False, width=3, height=3), end="")
    C
     1.0 +*
         | *
    0.25 +  *
         +--+
          0 2
    a: *
    """
    markers, (tick, bar, corner, rule, foot) = MARKERS[unicode], FRAME[unicode]
    shown = np.concatenate([np.asarray(v, dtype=float) for _, v in series])
    shown = shown[np.isfinite(shown) & ((shown > 0) if log else True)]
    if shown.size == 0:
        return f"{label}: no finite values to draw\n"
    low, high = float(shown.min()), float(shown.max())
    scale = (lambda v: math.log10(v)) if log else (lambda v: v)
    bottom, top = scale(low), scale(high)
    labels = [number(high)] + [""] * (height - 2) + [number(low)] if height > 1 else [number(high)]
    margin = max(len(t) for t in labels)
    if columns is not None:
        width = max(10, min(width, columns - margin - 2))
    grid = [[" "] * width for _ in range(height)]
    for marker, (_, values) in zip(markers * len(series), series, strict=False):
        for c in range(width):
            step = c * steps // max(1, width - 1)
            if step >= len(values) or not math.isfinite(values[step]) or (log and values[step] <= 0):
                continue
            row = 0 if top == bottom else round((top - scale(values[step])) / (top - bottom) * (height - 1))
            grid[row][c] = marker
    lines = [label + (" (log scale)" if log else "")]
    for text, cells in zip(labels, grid, strict=True):
        edge = tick if text else bar
        lines.append(f"{text:>{margin}} {edge}{''.join(cells)}".rstrip())
    lines.append(" " * margin + " " + corner + (rule * (width - 1) + foot if width > 1 else foot))
    last = str(steps)
    lines.append(" " * (margin + 2) + "0" + last.rjust(width - 1))
    legend = [""]
    for m, (name, _) in zip(markers * len(series), series, strict=False):
        entry = f"{name}: {m}"
        if legend[-1] and columns is not None and len(legend[-1]) + 3 + len(entry) > columns:
            legend.append("")
        legend[-1] += ("   " if legend[-1] else "") + entry
    return "\n".join([*lines, *legend]) + "\n"
