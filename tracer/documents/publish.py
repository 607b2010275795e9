"""A worked example in the format asked for: the document and the files it links to.

``NAME.md`` gets its diagram as ``NAME.svg`` beside it; a PDF is compiled from the LaTeX; an HTML
page carries its diagram and KaTeX inside; the terminal text is coloured only on a terminal
without ``NO_COLOR`` and fitted to its width. Writing is :class:`tracer.output.Outputs`' job:
everything is rendered before anything is written.
"""

from __future__ import annotations

from pathlib import Path

from tracer.documents.pdf import compile_latex
from tracer.documents.render import (
    render_html,
    render_json,
    render_latex,
    render_markdown,
    render_svg,
    render_terminal,
)
from tracer.output import FORMATS as OUTPUT_FORMATS
from tracer.output import Content, colour_wanted, to_stdout
from tracer.terminal import terminal_columns
from tracer.trace import Trace

FORMATS = tuple(OUTPUT_FORMATS)  # a worked example is written in every format there is


def document(
    result: Trace, format: str, output: str | None, decimals: int
) -> tuple[Content, dict[str, Content]]:
    """Return ``result`` rendered as ``format`` and the files it links to by name, for ``output``.

    ``document(t, "md", "worked.md", 9)`` gives the Markdown and ``{"worked.svg": …}``; on
    standard output (``output`` None or ``-``) the Markdown draws the network as text instead.
    """
    if format == "md":
        svg = None if to_stdout(output) else Path(output).with_suffix(".svg").name
        text = render_markdown(result, decimals, svg)
        return text, ({} if svg is None else {svg: render_svg(result, decimals)})
    if format == "tex":
        return render_latex(result, decimals), {}
    if format == "pdf":
        return compile_latex(render_latex(result, decimals)), {}
    if format == "html":
        return render_html(result, decimals), {}
    if format == "json":
        return render_json(result, decimals), {}
    colour = to_stdout(output) and colour_wanted()
    return render_terminal(result, decimals, terminal_columns(), colour), {}
