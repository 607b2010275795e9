"""How a document prints its maths: LaTeX for Markdown and LaTeX files, Unicode for the terminal.

The view model (:mod:`tracer.document`) is built once per output kind with one of these styles,
so every string in it is already printed; templates only place them. Both styles print through
:class:`tracer.printing.MathPrinter`; the terminal style also fits a chain ``a = b = c`` to the
terminal's width by starting a new line at an ``=`` (``Equals`` and ``Continued`` pictures keep
fractions and matrices on one baseline).
"""

from __future__ import annotations

import textwrap
from typing import Protocol

import sympy as sp
from sympy.printing.pretty.stringpict import prettyForm, stringPict

from tracer.display import Equals
from tracer.printing import MathPrinter


class MathStyle(Protocol):
    """What the document builder needs from a style: maths, labels, numbers and chains."""

    printer: MathPrinter

    def math(self, expr: sp.Expr) -> str:
        """Return an expression printed for this kind of document."""

    def label(self, expr: sp.Expr) -> str:
        """Return a short one-line label (a symbol in a diagram or a table)."""

    def number(self, value: float) -> str:
        """Return a number in the document's one number format."""

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

    def number(self, value: float) -> str:
        """Return ``value`` in the number format."""
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

    def number(self, value: float) -> str:
        """Return ``value`` in the number format."""
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


def _trimmed(picture: str) -> str:
    """Return a picture without the spaces SymPy pads its rows with on the right."""
    return "\n".join(row.rstrip() for row in picture.split("\n"))
