"""Write a worked example in the format asked for: the one place that knows which files go where.

``NAME.md`` gets its diagram as ``NAME.svg`` beside it; a PDF is compiled from the LaTeX; an HTML
page carries its diagram and KaTeX inside; the terminal text is coloured only on a terminal
without ``NO_COLOR`` and fitted to its width. Every output is rendered in full before anything is
written, so an error leaves no file behind.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from tracer.documents.pdf import compile_latex
from tracer.documents.render import (
    colour_wanted,
    render_html,
    render_json,
    render_latex,
    render_markdown,
    render_svg,
    render_terminal,
)
from tracer.errors import SpecError
from tracer.trace import Trace

FORMATS = ("term", "md", "tex", "pdf", "json", "html")

Writer = Callable[[str | bytes, str | None], None]


def publish(result: Trace, format: str, output: str | None, decimals: int, write: Writer) -> None:
    """Render ``result`` as ``format`` and write it with ``write(content, path)`` (None: stdout)."""
    if format == "md":
        svg = None if output is None else Path(output).with_suffix(".svg")
        text = render_markdown(result, decimals, None if svg is None else svg.name)
        if svg is not None:
            write(render_svg(result, decimals), str(svg))
        write(text, output)
    elif format == "tex":
        write(render_latex(result, decimals), output)
    elif format == "pdf":
        if output is None and sys.stdout.isatty():
            raise SpecError("--format pdf", "a PDF is binary: give -o FILE.pdf or redirect the output")
        write(compile_latex(render_latex(result, decimals)), output)
    elif format == "html":
        write(render_html(result, decimals), output)
    elif format == "json":
        write(render_json(result, decimals), output)
    else:
        colour = output is None and colour_wanted(sys.stdout.isatty())
        width = shutil.get_terminal_size().columns
        write(render_terminal(result, decimals, width, colour), output)
