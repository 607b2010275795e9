"""Rendered worked examples shared by the document tests, each rendered once per session."""

from __future__ import annotations

from functools import cache

from tracer import load_spec, trace
from tracer.documents.render import render_json, render_latex, render_markdown, render_svg, render_terminal
from tracer.printing import DEFAULT_DECIMALS
from tracer.spec import preset_names
from tracer.trace import Trace

PRESETS = tuple(preset_names())
GOLDEN_PRESETS = ("mazur", "relu", "xor", "softmax")
TERMINAL_WIDTH = 100
KINDS = {"md": ".md", "tex": ".tex", "term": ".txt", "json": ".json", "svg": ".svg"}


@cache
def traced(name: str) -> Trace:
    return trace(load_spec(name))


@cache
def rendered(name: str, kind: str, decimals: int = DEFAULT_DECIMALS) -> str:
    """Return one preset as one kind of output; Markdown links NAME.svg, the terminal is plain."""
    result = traced(name)
    if kind == "md":
        return render_markdown(result, decimals, f"{name}.svg")
    if kind == "tex":
        return render_latex(result, decimals)
    if kind == "term":
        return render_terminal(result, decimals, TERMINAL_WIDTH, colour=False)
    if kind == "svg":
        return render_svg(result, decimals)
    return render_json(result, decimals)
