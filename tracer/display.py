"""Display-only maths of the worked-example documents: chains of equalities, matrix form, limits.

Each node is a plain SymPy expression that is never evaluated; it teaches the project printers
(:mod:`tracer.printing`) one new kind of maths through SymPy's documented hooks ``_latex`` and
``_pretty``, and prints its parts with ``printer._print`` so that symbols keep the notation and
numbers the one number format. As with :class:`tracer.notation.Partial`, no node carries metadata.

>>> import sympy as sp
>>> from tracer.printing import TracerLatexPrinter
>>> TracerLatexPrinter().doprint(Hadamard(sp.Symbol("x"), Transposed(sp.Symbol("w^3"))))
'x \\\\odot \\\\left(w^{3}\\\\right)^{\\\\mathsf{T}}'
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.pretty.pretty_symbology import pretty_symbol
from sympy.printing.pretty.stringpict import prettyForm, stringPict

from tracer.i18n import _
from tracer.printing import Operand, join_operands, power_of_ten, shown_number


def _operands(printer, parts: tuple, separator: str) -> list[Operand]:
    """Return parts as the operands of one picture, ``separator`` between them."""
    return [
        Operand(separator if i else "", part, printer._print(part), False) for i, part in enumerate(parts)
    ]


def _join(printer, parts: tuple, separator: str) -> prettyForm:
    """Return pictures side by side on one baseline, ``separator`` between them."""
    return join_operands(_operands(printer, parts, separator), prettyForm.ATOM)


class _Joined(sp.Expr):
    """Parts kept in their order with an operator between them; subclasses name the operator.

    A terminal too narrow for the whole may break it before any operator
    (:meth:`tracer.printing.TracerPrettyPrinter.operands`).
    """

    latex_separator = ""
    text_separator = ""

    def _latex(self, printer) -> str:
        return self.latex_separator.join(printer._print(part) for part in self.args)

    def _pretty(self, printer) -> prettyForm:
        return _join(printer, self.args, self.text_separator)

    def _pretty_operands(self, printer) -> list[Operand]:
        return _operands(printer, self.args, self.text_separator)


class Equals(_Joined):
    """``a = b = c``: a step of the worked example, formula, numbers and value in one chain."""

    latex_separator = text_separator = " = "


class Hadamard(_Joined):
    """``u ⊙ v``: the element-wise product of two vectors of the same shape."""

    latex_separator, text_separator = r" \odot ", " ⊙ "


class Plus(_Joined):
    """``u + v`` of two vectors, kept in this order (zˡ = wˡ aˡ⁻¹ + bˡ)."""

    latex_separator = text_separator = " + "


class Minus(_Joined):
    """``u − v`` of two vectors, kept in this order (δᴸ = aᴸ − y)."""

    latex_separator = text_separator = " - "


class Times(_Joined):
    """``a · b``: a product written with its dot, factors kept apart and in order."""

    latex_separator, text_separator = r" \cdot ", "⋅"


class Approx(_Joined):
    """``a ≈ b``: a value read off a drawn curve, known only to the grid's precision."""

    latex_separator, text_separator = r" \approx ", " ≈ "


class Enumerated(_Joined):
    """``a, b``: several things named at once (the watched weights of a descent picture)."""

    latex_separator = text_separator = ", "


class Listed(Enumerated):
    """``(a, b)``: the values of one sample's inputs or outputs, in order."""

    def _latex(self, printer) -> str:
        return f"({super()._latex(printer)})"

    def _pretty(self, printer) -> prettyForm:
        return prettyForm(*super()._pretty(printer).parens())


class Product(_Joined):
    """``A B``: a matrix product written by juxtaposition, factors kept apart and in order."""

    latex_separator = text_separator = " "


class Transposed(sp.Expr):
    """``(wˡ)ᵀ``: the transpose of a named matrix or vector, in parentheses."""

    def _latex(self, printer) -> str:
        return rf"\left({printer._print(self.args[0])}\right)^{{\mathsf{{T}}}}"

    def _pretty(self, printer) -> prettyForm:
        inner = prettyForm(*printer._print(self.args[0]).parens())
        return prettyForm(*stringPict.next(inner, "ᵀ"))


class Shaped(sp.Expr):
    """An expression with its shape written under it: ``δˡ`` over ``2×1``.

    ``Shaped(x, 2, 1)`` prints ``\\underbrace{x}_{2 \\times 1}`` in LaTeX and puts ``2×1`` under
    the picture in Unicode, so a matrix equation shows at a glance that its shapes fit.
    """

    def _latex(self, printer) -> str:
        body, rows, cols = self.args
        return rf"\underbrace{{{printer._print(body)}}}_{{{rows} \times {cols}}}"

    def _pretty(self, printer) -> prettyForm:
        body, rows, cols = self.args
        form = printer._print(body)
        label = f"{rows}×{cols}"
        width = max(form.width(), len(label))
        top = stringPict(*form.left(" " * ((width - form.width()) // 2)))
        top = stringPict(*top.right(" " * (width - top.width())))
        under = stringPict(label.center(width))
        return prettyForm(*top.below(under), binding=prettyForm.ATOM)


class Prime(sp.Expr):
    """``σ′(z)``: the derivative of an activation, from its written form ``σ(z)``."""

    def _latex(self, printer) -> str:
        applied = self.args[0]
        name = applied.func.__name__
        # As tracer.printing prints ReLU(z): an operator name, not a product of letters.
        head = (
            rf"\operatorname{{{name}}}" if name in ("ReLU", "LeakyReLU") else printer._hprint_Function(name)
        )
        arguments = ", ".join(printer._print(a) for a in applied.args)
        return rf"{head}'{{\left({arguments} \right)}}"

    def _pretty(self, printer) -> prettyForm:
        applied = self.args[0]
        head = prettyForm(pretty_symbol(applied.func.__name__) + "′")
        arguments = printer._print(applied.args[0])
        return prettyForm(*stringPict.next(head, prettyForm(*arguments.parens())))


class Call(sp.Expr):
    """``C(w + δw)``: a named function at an argument, e.g. the cost as a function of one weight."""

    is_commutative = True

    def _latex(self, printer) -> str:
        head, *arguments = self.args
        inner = ", ".join(printer._print(a) for a in arguments)
        return rf"{printer._print(head)}\left({inner}\right)"

    def _pretty(self, printer) -> prettyForm:
        head, *arguments = self.args
        inner = _join(printer, tuple(arguments), ", ")
        return prettyForm(*stringPict.next(printer._print(head), prettyForm(*inner.parens())))


class Increment(sp.Expr):
    """``Δw``: a small change of one parameter, the lecture's δx in f′(x) = lim (f(x+δx) − f(x))/δx.

    Written Δ, not δ: in backpropagation δ is the error term.
    """

    is_commutative = True

    def _latex(self, printer) -> str:
        return rf"\Delta {printer._print(self.args[0])}"

    def _pretty(self, printer) -> prettyForm:
        return prettyForm(*stringPict.next("Δ", printer._print(self.args[0])))


class DerivativeOf(sp.Expr):
    """``∂/∂x (f)``: the derivative of a written expression, before it is worked out."""

    def _latex(self, printer) -> str:
        body, variable = self.args
        return (
            rf"\frac{{\partial}}{{\partial {printer._print(variable)}}} \left({printer._print(body)}\right)"
        )

    def _pretty(self, printer) -> prettyForm:
        body, variable = self.args
        head = prettyForm(*stringPict.next("∂/∂", printer._print(variable)))
        return prettyForm(*stringPict.next(head, prettyForm(*printer._print(body).parens())))

    def _pretty_operands(self, printer) -> list[Operand]:
        # One operand, the body in parentheses after its head: a terminal too narrow for the
        # whole breaks the body inside the parentheses.
        body, variable = self.args
        head = "∂/∂" + "\n".join(printer._print(variable).picture)
        return [Operand(head, body, prettyForm(*printer._print(body).parens()), True)]


class Cases(sp.Expr):
    """``x if c, y otherwise``: a definition by cases, kept as written (pairs of value, condition)."""

    def _latex(self, printer) -> str:
        # "{}" first: a Markdown line that starts with "- " would become a list item.
        rows = [
            rf"{{}}{printer._print(v)} & {printer._print(c)}"
            for v, c in zip(self.args[::2], self.args[1::2], strict=True)
        ]
        # The printer's row break ends a line in Markdown, whose renderers protect it only there.
        return r"\begin{cases}" + printer._settings.get("row_break", r"\\").join(rows) + r"\end{cases}"

    def _pretty(self, printer) -> prettyForm:
        pieces = []
        for v, c in zip(self.args[::2], self.args[1::2], strict=True):
            pieces.append(prettyForm(*stringPict.next(printer._print(v), "  for ", printer._print(c))))
        form = pieces[0]
        for piece in pieces[1:]:
            form = prettyForm(*stringPict.next(form, ";  ", piece))
        return form


class LimitToZero(sp.Expr):
    """``lim_{δw→0} f``: the limit of an expression as a small change goes to zero."""

    def _latex(self, printer) -> str:
        body, variable = self.args
        return rf"\lim_{{{printer._print(variable)} \to 0}} {printer._print(body)}"

    def _pretty(self, printer) -> prettyForm:
        body, variable = self.args
        under = prettyForm(*stringPict.next(printer._print(variable), "→0"))
        width = max(under.width(), 3)
        head = stringPict(*stringPict("lim".center(width)).below(stringPict(*under.left(""))))
        return prettyForm(*stringPict.next(head, " ", printer._print(body)))


class Total(sp.Expr):
    """``Σⱼ x``: a sum over an index whose range the reader knows (the outputs, the neurons).

    A sum or a negative term is put in parentheses, so ``Σⱼ (−yⱼ ln aⱼ)`` does not read as a
    subtraction; in Unicode the index is written under the Σ.
    """

    is_commutative = True

    def _latex(self, printer) -> str:
        body, index = self.args
        text = printer._print(body)
        if body.is_Add or body.could_extract_minus_sign():
            text = rf"\left({text}\right)"
        return rf"\sum_{{{printer._print(index)}}} {text}"

    def _pretty(self, printer) -> prettyForm:
        body, index = self.args
        form = printer._print(body)
        if body.is_Add or body.could_extract_minus_sign():
            form = prettyForm(*form.parens())
        head = stringPict(*stringPict("Σ").below(printer._print(index)))
        return prettyForm(*stringPict.next(head, " ", form))


class ColumnBlock(sp.Expr):
    """Columns ``first`` to ``last`` of a matrix too wide for the terminal, labelled under it.

    ``ColumnBlock(M[:, 0:4], 1, 4)`` draws the four columns with ``columns 1–4`` under them; a wide
    matrix is shown as its blocks one under another.
    """

    def _label(self) -> str:
        first, last = self.args[1:]
        if first == last:
            return _("column {number}").format(number=first)
        return _("columns {first}–{last}").format(first=first, last=last)

    def _latex(self, printer) -> str:
        return rf"\underset{{\text{{{self._label()}}}}}{{{printer._print(self.args[0])}}}"

    def _pretty(self, printer) -> prettyForm:
        form = printer._print(self.args[0])
        return prettyForm(*form.below(stringPict(self._label())), binding=prettyForm.ATOM)


class PowerOfTen(sp.Expr):
    """``10⁻³``: an exact power of ten, written as one (``PowerOfTen(-3)``)."""

    def _latex(self, printer) -> str:
        return f"10^{{{self.args[0]}}}"

    def _pretty(self, printer) -> prettyForm:
        return prettyForm(pretty_symbol(f"10^{self.args[0]}"))


def shaped(expr: sp.Expr, rows: int, cols: int) -> Shaped:
    """Return ``expr`` labelled with its shape ``rows×cols``."""
    return Shaped(expr, sp.Integer(rows), sp.Integer(cols))


def matrix(rows: list[list[float]]) -> sp.ImmutableMatrix:
    """Return a matrix of numbers that prints in the document's number format (Rationals as fractions).

    >>> matrix([[0.15, 0.2]]).shape
    (1, 2)
    """
    return sp.ImmutableMatrix([[shown_number(v) for v in row] for row in rows])


class Tick(sp.Expr):
    """``✓`` or ``✗``: whether a classifier's prediction is right (``Tick(true)``, ``Tick(false)``)."""

    def _latex(self, printer) -> str:
        return r"\checkmark" if self.args[0] else r"\times"

    def _pretty(self, printer) -> prettyForm:
        return prettyForm("✓" if self.args[0] else "✗")


class GradientLength(sp.Expr):
    """``‖∇C‖``: the length of the gradient of a cost, how steep the surface is where a run stands."""

    def _latex(self, printer) -> str:
        return rf"\lVert \nabla {printer._print(self.args[0])} \rVert"

    def _pretty(self, printer) -> prettyForm:
        return prettyForm(*stringPict.next("‖∇", printer._print(self.args[0]), "‖"))


class Setting(sp.Expr):
    """``0.9``, ``10⁻⁸``: a hyper-parameter with all its digits and no more, as a spec writes it
    (``1e-08`` is set as a power of ten)."""

    def _written(self, latex: bool) -> str:
        written = f"{float(self.args[0]):g}"
        if "e" not in written:
            return written
        mantissa, exponent = written.split("e")
        return power_of_ten("" if mantissa == "1" else mantissa, int(exponent), latex)

    def _latex(self, printer) -> str:
        return self._written(latex=True)

    def _pretty(self, printer) -> prettyForm:
        return prettyForm(self._written(latex=False))
