"""Outputs of a Trace. One function per format; all maths text comes from :mod:`tracer.printing`.

A document is a :class:`tracer.documents.blocks.Document` (the worked example from
:mod:`tracer.documents.lesson`) printed in the right style; each format is a frame template and one
macro per block kind (``templates/<kind>/``, their context described in ``templates/README.md``).
There is one Jinja environment per kind of output, each with its filters registered by name:
``md`` and ``tex`` escape prose, ``paint`` colours terminal text, ``sentence`` sets prose and
maths pictures in the terminal's lines, ``wrap`` wraps prose, ``table`` lays out a table block,
``command`` breaks a shell command to the terminal's width.
"""

from __future__ import annotations

import json
import shlex
from functools import cache

import jinja2

from tracer.derive import symbol
from tracer.documents.blocks import Document, Table
from tracer.documents.diagram import diagram
from tracer.documents.lesson import lesson
from tracer.documents.prose import markdown_escape, tex_code, tex_escape
from tracer.documents.styles import LatexStyle, PrettyStyle, typeset
from tracer.printing import DEFAULT_DECIMALS, SIGNIFICANT, MathPrinter
from tracer.templating import LATEX_SYNTAX, new_environment
from tracer.terminal import display_width
from tracer.terminal import table as text_table
from tracer.trace import Trace, step_view

# ANSI styles of the terminal document; NO_COLOR or a pipe turns them off.
COLOURS = {
    "title": "1;4",
    "heading": "1;36",
    "subheading": "1",
    "rule": "2",
    "note": "33",
    "good": "32",
    "correct": "32",
    "wrong": "31",
    "carried_forward": "33",
}


def render_json(trace: Trace, decimals: int = DEFAULT_DECIMALS) -> str:
    """Return the whole Trace as JSON: ``{"spec": …, "quantities": [{"id", …}, …]}``.

    Values are full float64 (JSON numbers); the LaTeX lines use ``decimals``.
    """
    printer = MathPrinter(trace.naming, decimals)
    quantities = []
    for q in trace.quantities:
        substituted = q.substituted(trace.values)
        quantities.append(
            {
                "id": q.id,
                "symbol_latex": printer.latex(symbol(q.ref)),
                "symbol_text": printer.text(symbol(q.ref)),
                "rule": q.rule,
                "formula_latex": None if q.formula is None else printer.latex(q.formula),
                "substituted_latex": None if substituted is None else printer.latex(substituted),
                "value": q.value,
                "depends_on": [str(d) for d in q.depends_on],
            }
        )
    document = {"spec": trace.spec.to_dict(), "quantities": quantities}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


@cache
def environment(kind: str) -> jinja2.Environment:
    """Return the Jinja environment of one output kind: ``md``, ``tex``, ``term``, ``svg`` or ``html``.

    LaTeX templates use ``<< >>`` and ``<% %>`` so that TeX's braces need no escaping; the SVG and
    HTML environments escape (XML, HTML) automatically.
    """
    options = LATEX_SYNTAX if kind == "tex" else {}
    env = new_environment(cache_compiled=True, autoescape=kind in ("svg", "html"), **options)
    env.filters["md"] = markdown_escape
    env.filters["tex"] = tex_escape
    env.filters["code"] = tex_code
    env.filters["paint"] = _paint
    env.filters["sentence"] = _sentence
    env.filters["wrap"] = _wrap
    env.filters["table"] = _table
    env.filters["command"] = _command
    return env


@jinja2.pass_context
def _sentence(context: jinja2.runtime.Context, spans: tuple, lead: str = "") -> str:
    """Return a sentence of prose and Unicode pictures wrapped to the context's ``width``, ``lead`` first."""
    return typeset(spans, context["width"], lead, indent=2 if lead else 0)


@jinja2.pass_context
def _wrap(context: jinja2.runtime.Context, text: str) -> str:
    """Return prose wrapped to the context's ``width``."""
    return typeset(((text, False, 0),), context["width"], indent=0)


@jinja2.pass_context
def _command(context: jinja2.runtime.Context, text: str) -> str:
    """Return a shell command broken between its words to fit the context's ``width``, each line
    but the last ending in `` \\`` so that it still pastes into a shell as one command."""
    lines = [""]
    for word in (shlex.quote(w) for w in shlex.split(text)):
        if lines[-1] and display_width(lines[-1]) + 1 + display_width(word) + 2 > context["width"]:
            lines[-1] += " \\"
            lines.append("    ")
        lines[-1] += ("" if lines[-1].strip() == "" else " ") + word
    return "\n".join(lines)


@jinja2.pass_context
def _table(context: jinja2.runtime.Context, table: Table) -> str:
    """Return a table block as columns padded by display width, numbers aligned at the decimal
    point, text cells wrapped to fit the context's ``width`` (the table is indented two columns)."""
    rows = [table.head, *table.rows]
    cells = [["".join(span.text for span in cell) for cell in row] for row in rows]
    paint = [lambda text, tone=tone: _paint(context, text, tone) for tone in table.tones]
    return text_table(cells, numeric=table.numeric, width=context["width"] - 2, paint=paint)


@jinja2.pass_context
def _paint(context: jinja2.runtime.Context, text: str, style: str) -> str:
    """Return ``text`` in an ANSI style when the context's ``colour`` is on and ``style`` is one."""
    if not context.get("colour") or not text or not style:
        return text
    return f"\033[{COLOURS[style]}m{text}\033[0m"


def document(
    trace: Trace,
    decimals: int = DEFAULT_DECIMALS,
    markdown: bool = False,
    highlighted: frozenset[str] = frozenset(),
    fixed: bool = False,
    in_full: frozenset[float] = frozenset(),
) -> Document:
    """Return the worked example in the LaTeX style (for Markdown, matrix rows end their lines).

    Steps whose canonical ids are in ``highlighted`` are marked for the templates to box. With
    ``fixed`` every number is printed to ``decimals`` places, as a handout asks its answers, but
    for one that would print as 0 without being 0 (a key would read (1 − 0.8)·(−0.0002) = 0 and
    0 / 0.2 = −0.0002); else a number too small for them keeps three significant digits
    (1.92·10⁻¹⁰). A number in ``in_full`` (an exercise's givens) is printed in full either way.
    """
    significant = 1 if fixed else SIGNIFICANT
    printer = MathPrinter(
        trace.naming,
        decimals,
        row_break="\\\\\n" if markdown else "\\\\",
        significant=significant,
        in_full=in_full,
    )
    return lesson(trace, LatexStyle(printer), highlighted)


def render_markdown(trace: Trace, decimals: int = DEFAULT_DECIMALS, svg: str | None = None) -> str:
    """Return the worked example as Markdown; ``svg`` names the diagram file beside it, if any.

    Without ``svg`` the network is drawn as text in a code block.
    """
    doc = document(trace, decimals, markdown=True)
    return environment("md").get_template("md/document.md.j2").render(doc=doc, svg=svg)


def render_svg(trace: Trace, decimals: int = DEFAULT_DECIMALS) -> str:
    """Return the network diagram as an SVG image, labels in Unicode."""
    printer = MathPrinter(trace.naming, decimals, minus="\N{MINUS SIGN}", inline_fractions=True)
    picture = diagram(step_view(trace, 1), printer.text)  # the parameters the first step starts from
    return environment("svg").get_template("svg/network.svg.j2").render(diagram=picture)


def render_html(trace: Trace, decimals: int = DEFAULT_DECIMALS, fragment: bool = False) -> str:
    """Return the worked example as one self-contained HTML page to step through, or (``fragment``)
    the same page as a notebook output's HTML, without ``<html>`` and ``<head>``.

    KaTeX typesets the maths in the page; the diagram is inline SVG; no network request is made.
    """
    from tracer.documents.page import page_context  # KaTeX, the quiz: only the page needs them

    doc = document(trace, decimals)
    template = "html/fragment.html.j2" if fragment else "html/document.html.j2"
    return (
        environment("html")
        .get_template(template)
        .render(doc=doc, **page_context(trace, render_svg(trace, decimals)))
    )


def render_latex(trace: Trace, decimals: int = DEFAULT_DECIMALS) -> str:
    """Return the worked example as a standalone LaTeX document (amsmath, TikZ)."""
    doc = document(trace, decimals)
    return environment("tex").get_template("tex/document.tex.j2").render(doc=doc)


def render_terminal(
    trace: Trace, decimals: int = DEFAULT_DECIMALS, width: int = 100, colour: bool = False
) -> str:
    """Return the worked example for a terminal ``width`` columns wide, in colour if asked."""
    # Pictures are indented by up to four columns.
    doc = lesson(trace, PrettyStyle(MathPrinter(trace.naming, decimals), width - 4))
    template = environment("term").get_template("term/document.txt.j2")
    return template.render(doc=doc, width=width, colour=colour)
