"""How a document prints its maths: LaTeX for Markdown and LaTeX files, Unicode for the terminal.

The view model (:mod:`tracer.documents.blocks`) is built once per output kind with one of these styles,
so every string in it is already printed; templates only place them. Both styles print through
:class:`tracer.printing.MathPrinter`; the terminal style also fits every picture to the terminal's
width, measured in display columns (:class:`PrettyStyle`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

import sympy as sp
from sympy.printing.pretty.stringpict import prettyForm, stringPict

from tracer.display import ColumnBlock
from tracer.printing import MathPrinter, Operand, shown_number
from tracer.terminal import beside, display_width


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
        return self.printer.plain(value, latex=True) or self.math(shown_number(value))

    def equation(self, *parts: sp.Expr) -> str:
        """Return ``a = b = c`` as one line of LaTeX; templates break it where they need to.

        The same text as ``printer.latex(Equals(*parts))``, from the parts printed once each.
        """
        return " = ".join(self.math(part) for part in parts)


class PrettyStyle:
    """Return-free style of the terminal: SymPy's Unicode pictures, fitted to ``width`` columns.

    Widths are display widths (:func:`tracer.terminal.display_width`). A picture wider than the
    width is broken, never inside a number: a chain ``a = b = c`` at its ``=`` (continued on
    lines ``    = c``); a part still too wide at its top-level operators (``+``, ``−``, ``⋅``,
    ``⊙``, the juxtaposition of a matrix product), continued on the next line aligned under the
    part's first operand and starting with the operator; a fraction by fitting its numerator
    and denominator under one bar; a matrix wider than the width one block of columns at a
    time, each labelled ``columns 1–4`` (the rows of numbers stay whole, so a column still
    reads down and the decimal points stay aligned). Only a single number or symbol wider than
    the width can stay wider.
    """

    def __init__(self, printer: MathPrinter, width: int = 80) -> None:
        self.printer = printer
        self.width = max(width, 40)

    def math(self, expr: sp.Expr) -> str:
        """Return the Unicode picture of ``expr`` fitted to the width (fractions and matrices take
        several lines)."""
        return _rendered(self.fit(expr, self.width))

    def label(self, expr: sp.Expr) -> str:
        """Return ``expr`` as one line of Unicode, e.g. ``w₅`` or ``∂Eₜₒₜₐₗ/∂w₅``."""
        return self.printer.text(expr)

    def inline(self, expr: sp.Expr) -> tuple[str, int]:
        """Return the Unicode picture of ``expr`` and its baseline, to set among words (:func:`typeset`);
        a picture wider than the width is fitted to it (:meth:`fit`)."""
        form = self.fit(expr, self.width)
        return _rendered(form), form.baseline

    def number(self, value: float | sp.Rational) -> str:
        """Return ``value`` in the number format; an exact Rational as ``3/8``."""
        return self.printer.plain(value, latex=False) or self.label(shown_number(value))

    def equation(self, *parts: sp.Expr) -> str:
        """Return ``a = b = c`` as a picture no wider than the width, if the pieces allow.

        Parts are added to a line while it fits; a part that does not fit starts a new line
        ``    = part``, and a part too wide for a line of its own is broken by :meth:`fit`. The
        first line always holds the first two parts (``a = b``).
        """
        forms = [self.printer.form(part) for part in parts]
        whole = _beside(_chain(forms, " = "))
        if _width(whole) <= self.width:
            return _rendered(whole)
        lines: list[list[int]] = [[]]
        for i, form in enumerate(forms):
            trial = [forms[k] for k in lines[-1]] + [form]
            keep = not lines[-1] or (len(lines) == 1 and len(lines[-1]) < 2)
            lead = [] if len(lines) == 1 else [CONTINUED]
            if keep or _width(_beside([*lead, *_chain(trial, " = ")])) <= self.width:
                lines[-1].append(i)
            else:
                lines.append([i])
        if len(lines[0]) == 2 and self._fitted(parts, forms, lines[0], False) is None:
            # The second part does not fit beside the first even broken: it goes on a line of its own.
            lines[0:1] = [[lines[0][0]], [lines[0][1]]]
        pictures = [self._fitted(parts, forms, line, bool(number), True) for number, line in enumerate(lines)]
        return "\n".join(_rendered(picture) for picture in pictures if picture is not None)

    def _fitted(
        self, parts: tuple, forms: list, line: list[int], continued: bool, anyway: bool = False
    ) -> prettyForm | None:
        """Return one line of a chain, its last part fitted to the room left; None if it still
        does not fit (unless ``anyway``)."""
        head = [forms[k] for k in line[:-1]]
        lead = [CONTINUED] if continued else []
        prefix = [*lead, *_chain(head, " = "), " = "] if head else lead
        room = self.width - _width(_beside(prefix)) if prefix else self.width
        picture = _beside([*prefix, self.fit(parts[line[-1]], room)])
        return picture if anyway or _width(picture) <= self.width else None

    def fit(self, expr: sp.Expr, width: int) -> prettyForm:
        """Return the picture of ``expr`` broken to be at most ``width`` columns wide where it can be.

        >>> from tracer.notation import notation
        >>> x = sp.symbols("x1:9")
        >>> style = PrettyStyle(MathPrinter(notation("nielsen").bind((2, 2))))
        >>> _rendered(style.fit(sp.Add(*x, evaluate=False), 20)).splitlines()
        ['x₁ + x₂ + x₃ + x₄', '+ x₅ + x₆ + x₇ + x₈']
        """
        form = self.printer.form(expr)
        if _width(form) <= width:
            return form
        if isinstance(expr, sp.MatrixBase):
            return self._blocks(expr, width)
        fraction = self.printer.fraction(expr)
        if fraction is not None:
            numerator, denominator, negative = fraction
            top = self._product(numerator, negative, width)
            bottom = self._product(denominator, False, width)
            return top / bottom
        operands = self.printer.operands(expr)
        if not operands or (len(operands) < 2 and not operands[0].parens):
            return form
        return self._lines(operands, width)

    def _product(self, factors: list[sp.Expr], negative: bool, width: int) -> prettyForm:
        """Return a numerator or denominator fitted to ``width`` (one factor alone, or a product)."""
        if len(factors) == 1 and not negative:
            return self.fit(factors[0], width)
        operands = self.printer.product(factors, negative)
        return self._lines(operands, width)

    def _lines(self, operands: list[Operand], width: int) -> prettyForm:
        """Return operands laid out in lines of at most ``width`` columns, each later line starting
        with its operator, aligned under the first operand.

        An operand too wide for the rest of a line starts the next one; one too wide even for a
        line of its own is broken itself, where it stands if at least half the width is left.
        """
        rows: list[list] = [[]]
        used = 0
        for operand in operands:
            separator = operand.separator if rows[-1] else operand.separator.lstrip()
            size = _width(operand.form) + display_width(separator)
            alone = _width(operand.form) + display_width(operand.separator.lstrip())
            if rows[-1] and used + size > width and (alone <= width or width - used < width // 2):
                rows.append([])
                separator, used, size = operand.separator.lstrip(), 0, alone
            form = operand.form
            if used + size > width:
                room = width - used - display_width(separator) - (2 if operand.parens else 0)
                form = self.fit(operand.expr, room)
                if operand.parens:
                    form = prettyForm(*form.parens())
                size = _width(form) + display_width(separator)
            rows[-1] += [separator, form] if separator else [form]
            used += size
        return _stacked([_beside(row) for row in rows])

    def _blocks(self, matrix: sp.MatrixBase, width: int) -> prettyForm:
        """Return a matrix too wide for ``width`` as blocks of whole columns, one under another.

        As few blocks as fit, of nearly equal size (9 columns as 5 + 4, not 8 + 1).
        """
        count, first = 0, 0
        while first < matrix.cols:
            last = first + 1
            while last < matrix.cols and _width(self._block(matrix, first, last + 1)) <= width:
                last += 1
            count, first = count + 1, last
        size = -(-matrix.cols // count)
        blocks = [self._block(matrix, a, min(a + size, matrix.cols)) for a in range(0, matrix.cols, size)]
        if any(_width(block) > width for block in blocks):
            size = 1
            blocks = [self._block(matrix, a, a + 1) for a in range(matrix.cols)]
        return _stacked(blocks, gap=True)

    def _block(self, matrix: sp.MatrixBase, first: int, last: int) -> prettyForm:
        block = ColumnBlock(matrix[:, first:last], sp.Integer(first + 1), sp.Integer(last))
        return self.printer.form(block)


CONTINUED = "    = "
"""What a continuation line of a chain starts with: the ``=`` indented under the first part."""


def _width(picture: stringPict | str) -> int:
    """Return the display width of a picture (its widest row)."""
    rows = picture.picture if isinstance(picture, stringPict) else [picture]
    return max(display_width(row) for row in rows)


def _chain(forms: list, separator: str) -> list:
    """Return pictures with ``separator`` between them, for :func:`_beside`."""
    pieces: list = []
    for i, form in enumerate(forms):
        pieces += [separator, form] if i else [form]
    return pieces


def _beside(pieces: list) -> prettyForm:
    """Return pictures and strings side by side on one baseline."""
    return prettyForm(*stringPict.next(*pieces))


def _stacked(rows: list[prettyForm], gap: bool = False) -> prettyForm:
    """Return pictures one under another, left-aligned, on the first one's baseline.

    A blank row separates them when ``gap`` is set or any of them is taller than one row (so
    that the fractions of two lines do not touch).
    """
    spaced = gap or any(row.height() > 1 for row in rows)
    width = max(_width(row) for row in rows)
    lines: list[str] = []
    for i, row in enumerate(rows):
        if i and spaced:
            lines.append("")
        lines += [line + " " * (width - display_width(line)) for line in row.picture]
    return prettyForm("\n".join(lines), rows[0].baseline, prettyForm.ADD)


def _rendered(form: stringPict) -> str:
    """Return a picture's rows without the spaces SymPy pads them with on the right."""
    return _trimmed("\n".join(form.picture))


def _trimmed(picture: str) -> str:
    """Return a picture without the spaces SymPy pads its rows with on the right."""
    return "\n".join(row.rstrip() for row in picture.split("\n"))


def typeset(spans: Sequence, width: int, lead: str = "", indent: int = 2) -> str:
    """Return a sentence of words and Unicode pictures on shared baselines, wrapped to ``width``.

    ``spans`` are :class:`tracer.documents.blocks.Span`: prose, or a picture with its ``baseline`` (the
    row the words sit on, e.g. a fraction's bar). ``lead`` (``"• "``) starts the first line,
    later lines are indented by ``indent``. A line breaks only after a space, so punctuation
    stays with the maths before it. Widths are display widths: a Hangul word takes two columns
    a syllable.

    >>> from tracer.documents.blocks import Span
    >>> print(typeset([Span("so ", False), Span("1\\n─\\n2", True, 1), Span(" of it.", False)], 20, "• "))
           1
    • so ─ of it.
           2
    """
    groups: list[list[tuple[str, int]]] = []  # runs with no space to break at
    for text, math, baseline, *_marks in [(lead, False, 0), *spans]:
        pieces = [(text, baseline)] if math else [(t, 0) for t in _WORDS.findall(text)]
        for piece in pieces:
            if groups and not _ends_in_space(groups[-1][-1]):
                groups[-1].append(piece)
            else:
                groups.append([piece])
    lines: list[list[tuple[str, int]]] = [[]]
    used = 0
    for group in groups:
        room = width - (indent if len(lines) > 1 else 0)
        size = sum(display_width(text) for text, _ in group)
        if lines[-1] and used + size > room and not group[0][0].isspace():
            lines.append([])
            used = 0
        lines[-1].extend(group)
        used += size
    rows = []
    for i, line in enumerate(lines):
        if all("\n" not in text for text, _ in line):
            picture = "".join(text for text, _ in line)  # words only: one row, nothing to align
        else:
            picture = beside(line)[0]
        rows += [(" " * indent if i else "") + row for row in picture.split("\n")]
    return "\n".join(row.rstrip() for row in rows)


_WORDS = re.compile(r"\S+\s*|\s+")


def _ends_in_space(piece: tuple[str, int]) -> bool:
    text = piece[0]
    return "\n" not in text and text[-1:].isspace()
