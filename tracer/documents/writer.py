"""Make blocks in one maths style: the small vocabulary every document builder writes with.

A :class:`Writer` turns translated sentences with ``{name}`` placeholders into prose and maths
Spans, and SymPy expressions into printed blocks, so that a builder (the worked example, a check
report, a training report) only says *what* to show. Every sentence passes through
:func:`tracer.i18n._` at the call site, so the catalogue sees it once.

>>> from tracer.documents.styles import LatexStyle
>>> from tracer.notation import notation
>>> from tracer.printing import MathPrinter
>>> writer = Writer(LatexStyle(MathPrinter(notation("nielsen").bind((2, 1)))))
>>> [span.text for span in writer.say("the error term {delta} of the output", delta=sp.Symbol("delta"))]
['the error term ', '\\\\delta', ' of the output']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import sympy as sp
from sympy.printing.pretty.stringpict import prettyForm

from tracer.documents.blocks import Equations, Heading, Line, Paragraph, Sentence, Span, Table
from tracer.documents.styles import MathStyle

_FIELD = re.compile(r"\{(\w+)\}")


class Blank(sp.Expr):
    """Nothing: the left-hand side of a row that continues the one above (``= b``)."""

    def _latex(self, printer) -> str:
        return ""

    def _pretty(self, printer) -> prettyForm:
        return prettyForm("")


class Writer:
    """Return-free maker of blocks whose maths is printed in ``style``."""

    def __init__(self, style: MathStyle) -> None:
        self.style = style

    def say(self, message: str, **parts: object) -> Sentence:
        """Return a translated ``message`` as Spans, each ``{name}`` replaced by ``parts[name]``.

        A part that is a string is prose; a :class:`Span` is used as it is, a tuple of them (a
        sentence said before) is set in; anything else is maths, printed inline in the style.
        """
        spans: list[Span] = []

        def prose(text: str) -> None:
            if not text:
                return
            if spans and not spans[-1].math and not spans[-1].code:
                spans[-1] = Span(spans[-1].text + text, False)
            else:
                spans.append(Span(text, False))

        position = 0
        for field in _FIELD.finditer(message):
            prose(message[position : field.start()])
            part = parts[field.group(1)]
            if isinstance(part, str):
                prose(part)
            elif isinstance(part, tuple):
                for piece in (part,) if isinstance(part, Span) else part:
                    spans.append(piece) if piece.math or piece.code else prose(piece.text)
            else:
                text, baseline = self.style.inline(sp.sympify(part))
                spans.append(Span(text, True, baseline))
            position = field.end()
        prose(message[position:])
        return tuple(spans)

    def paragraph(self, message: str, tone: str = "", **parts: object) -> Paragraph:
        """Return a paragraph of one translated sentence (or several) with its maths."""
        return Paragraph(self.say(message, **parts), tone)

    def number(self, value: float | sp.Rational) -> Span:
        """Return a number as an inline maths Span in the document's number format."""
        return Span(self.style.number(value), True)

    def equations(self, *rows: Sequence[sp.Expr | None]) -> Equations:
        """Return aligned rows ``lhs = side = side …``; a row whose lhs is None continues the one above.

        The terminal's picture lays out each row as a fitted chain.
        """
        lines = []
        pictures = []
        for lhs, *sides in rows:
            lines.append(
                Line("" if lhs is None else self.style.math(lhs), tuple(self.style.math(s) for s in sides))
            )
            pictures.append(self.style.equation(Blank() if lhs is None else lhs, *sides))
        return Equations(tuple(lines), "\n".join(pictures))

    def chain(self, lhs: sp.Expr, *sides: sp.Expr) -> Equations:
        """Return one chain ``lhs = a = b = …`` broken at every ``=`` on a page; the terminal breaks
        it only where it does not fit."""
        lines = [Line(self.style.math(lhs), (self.style.math(sides[0]),))]
        lines += [Line("", (self.style.math(side),)) for side in sides[1:]]
        return Equations(tuple(lines), self.style.equation(lhs, *sides))

    def table(
        self,
        head: Iterable[Sentence],
        rows: Iterable[Iterable[Sentence]],
        numeric: Sequence[bool],
        tones: Sequence[str] = (),
    ) -> Table:
        """Return a table whose cells are sentences (a number is one maths Span)."""
        return Table(tuple(head), tuple(tuple(row) for row in rows), tuple(numeric), tuple(tones))

    def heading(self, text: str, level: int = 1, number: int | str = "", **parts: object) -> Heading:
        """Return a heading (``{name}`` parts as in :meth:`say`); ``number`` is the section's number
        in reading order ("" for none)."""
        return Heading(self.say(text, **parts), level, str(number))
