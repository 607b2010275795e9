"""How a document prints its maths: LaTeX for Markdown and LaTeX files, Unicode for the terminal.

The view model (:mod:`tracer.documents.blocks`) is built once per output kind with one of these styles,
so every string in it is already printed; templates only place them. Both styles print through
:class:`tracer.printing.MathPrinter`; the terminal style also fits a chain ``a = b = c`` to the
terminal's width by starting a new line at an ``=`` (``Equals`` and ``Continued`` pictures keep
fractions and matrices on one baseline).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from typing import Protocol

import sympy as sp
from sympy.printing.pretty.stringpict import prettyForm, stringPict
from wcwidth import wcswidth

from tracer.display import Equals
from tracer.printing import MathPrinter, shown_number


class MathStyle(Protocol):
    """What the document builder needs from a style: maths, labels, numbers and chains."""

    printer: MathPrinter

    def math(self, expr: sp.Expr) -> str:
        """Return an expression printed for this kind of document."""

    def label(self, expr: sp.Expr) -> str:
        """Return a short one-line label (a symbol in a diagram or a table)."""

    def inline(self, expr: sp.Expr) -> tuple[str, int]:
        """Return maths set in a sentence, and the row of it the words beside it sit on."""

    def number(self, value: float | sp.Rational) -> str:
        """Return a number in the document's one number format (an exact Rational as a fraction)."""

    def equation(self, *parts: sp.Expr) -> str:
        """Return the chain ``parts[0] = parts[1] = …`` laid out for this kind of document."""


class LatexStyle:
    """Return-free style of the Markdown and LaTeX documents: every string is LaTeX maths."""

    def __init__(self, printer: MathPrinter) -> None:
        self.printer = printer
        self._printed: dict[sp.Expr, str] = {}

    def math(self, expr: sp.Expr) -> str:
        """Return the LaTeX of ``expr`` (printed once per expression)."""
        if expr not in self._printed:
            self._printed[expr] = self.printer.latex(expr)
        return self._printed[expr]

    def label(self, expr: sp.Expr) -> str:
        """Return the LaTeX of ``expr`` (labels are maths too)."""
        return self.printer.latex(expr)

    def inline(self, expr: sp.Expr) -> tuple[str, int]:
        """Return the LaTeX of ``expr`` for ``$…$`` in a sentence (its baseline is TeX's business: 0)."""
        return self.math(expr), 0

    def number(self, value: float | sp.Rational) -> str:
        """Return ``value`` in the number format; an exact Rational as a LaTeX fraction."""
        if isinstance(value, sp.Rational):
            return self.math(shown_number(value))
        return self.printer.number(value)

    def equation(self, *parts: sp.Expr) -> str:
        """Return ``a = b = c`` as one line of LaTeX; templates break it where they need to.

        The same text as ``printer.latex(Equals(*parts))``, from the parts printed once each.
        """
        return " = ".join(self.math(part) for part in parts)


class Continued(sp.Expr):
    """A continuation line of a chain: ``    = b``, indented under the chain's first part."""

    def _pretty(self, printer) -> prettyForm:
        indent, part = self.args
        return prettyForm(*stringPict.next(" " * int(indent) + "= ", printer._print(part)))


class PrettyStyle:
    """Return-free style of the terminal: SymPy's Unicode pictures, chains fitted to ``width``."""

    def __init__(self, printer: MathPrinter, width: int = 80) -> None:
        self.printer = printer
        self.width = max(width, 40)

    def math(self, expr: sp.Expr) -> str:
        """Return the Unicode picture of ``expr`` (fractions and matrices take several lines)."""
        return _trimmed(self.printer.pretty(expr))

    def label(self, expr: sp.Expr) -> str:
        """Return ``expr`` as one line of Unicode, e.g. ``w₅`` or ``∂Eₜₒₜₐₗ/∂w₅``."""
        return self.printer.text(expr)

    def inline(self, expr: sp.Expr) -> tuple[str, int]:
        """Return the Unicode picture of ``expr`` and its baseline, to set among words (:func:`typeset`)."""
        picture, baseline = self.printer.picture(expr)
        return _trimmed(picture), baseline

    def number(self, value: float | sp.Rational) -> str:
        """Return ``value`` in the number format; an exact Rational as ``3/8``."""
        if isinstance(value, sp.Rational):
            return self.label(shown_number(value))
        return self.printer.number(value)

    def equation(self, *parts: sp.Expr) -> str:
        """Return ``a = b = c`` as a picture no wider than the width, if the pieces allow.

        Parts are added to a line while it fits; a part that does not fit starts a new line
        ``    = part``. A one-line part wider than the whole width is wrapped at its spaces.
        """
        whole = self._line(list(parts), True)
        if self._fits(whole):
            return _trimmed(whole)
        lines: list[list[sp.Expr]] = [[]]
        for part in parts:
            trial = [*lines[-1], part]
            keep = not lines[-1] or (len(lines) == 1 and len(lines[-1]) < 2)
            if keep or self._fits(self._line(trial, len(lines) == 1)):
                lines[-1] = trial
            else:
                lines.append([part])
        pictures = [self._line(line, i == 0) for i, line in enumerate(lines)]
        return "\n".join(_trimmed(self._wrap(picture)) for picture in pictures)

    def _line(self, parts: list[sp.Expr], first: bool) -> str:
        if first:
            return self.printer.pretty(Equals(*parts))
        indent = sp.Integer(4)
        if len(parts) == 1:
            return self.printer.pretty(Continued(indent, parts[0]))
        return self.printer.pretty(Continued(indent, Equals(*parts)))

    def _fits(self, picture: str) -> bool:
        return max(len(row) for row in picture.splitlines()) <= self.width

    def _wrap(self, picture: str) -> str:
        rows = picture.splitlines()
        if len(rows) > 1 or self._fits(picture):
            return picture
        return "\n".join(
            textwrap.wrap(picture, self.width, subsequent_indent=" " * 6, break_long_words=False)
        )


def display_width(text: str) -> int:
    """Return the columns ``text`` takes on a terminal: Hangul takes two, combining marks none.

    >>> display_width("w₅"), display_width("가중치")
    (2, 6)
    """
    width = wcswidth(text)
    return len(text) if width < 0 else width


def _trimmed(picture: str) -> str:
    """Return a picture without the spaces SymPy pads its rows with on the right."""
    return "\n".join(row.rstrip() for row in picture.split("\n"))


def typeset(spans: Sequence, width: int, lead: str = "", indent: int = 2) -> str:
    """Return a sentence of words and Unicode pictures on shared baselines, wrapped to ``width``.

    ``spans`` are :class:`tracer.documents.blocks.Span`: prose, or a picture with its ``baseline`` (the
    row the words sit on, e.g. a fraction's bar). ``lead`` (``"• "``) starts the first line,
    later lines are indented by ``indent``. A line breaks only after a space, so punctuation
    stays with the maths before it.

    >>> from tracer.documents.blocks import Span
    >>> print(typeset([Span("so ", False), Span("1\\n─\\n2", True, 1), Span(" of it.", False)], 20, "• "))
           1
    • so ─ of it.
           2
    """
    groups: list[list[stringPict]] = []  # runs with no space to break at
    for text, math, baseline in [(lead, False, 0), *spans]:
        pieces = [stringPict(text, baseline)] if math else [stringPict(t) for t in _WORDS.findall(text)]
        for piece in pieces:
            if groups and not _ends_in_space(groups[-1][-1]):
                groups[-1].append(piece)
            else:
                groups.append([piece])
    lines: list[list[stringPict]] = [[]]
    for group in groups:
        room = width - (indent if len(lines) > 1 else 0)
        used = sum(p.width() for p in lines[-1])
        if lines[-1] and used + sum(p.width() for p in group) > room and not group[0].s.isspace():
            lines.append([])
        lines[-1].extend(group)
    rows = []
    for i, line in enumerate(lines):
        picture = stringPict(*stringPict.next(*line)).render(wrap_line=False) if line else ""
        rows += [(" " * indent if i else "") + row for row in picture.split("\n")]
    return "\n".join(row.rstrip() for row in rows)


_WORDS = re.compile(r"\S+\s*|\s+")


def _ends_in_space(piece: stringPict) -> bool:
    return piece.height() == 1 and piece.s[-1:].isspace()
