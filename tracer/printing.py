"""All maths text comes from here: SymPy's LaTeX and Unicode printers, taught tracer's ways.

Two extensions, both by subclassing the printers rather than editing their output:

* a canonical symbol (``Symbol("W[2][1][1]")``) prints as its symbol in the reader's notation
  (``w^{3}_{11}``, ``W^{(2)}_{11}`` or ``w_{5}``);
* a number placed in a formula by :func:`with_numbers` prints with the one number format,
  negative numbers in parentheses where a reader would write them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import sympy as sp
from sympy.functions.elementary.piecewise import ExprCondPair
from sympy.printing.latex import LatexPrinter
from sympy.printing.pretty.pretty import PrettyPrinter
from sympy.printing.pretty.stringpict import prettyForm

from tracer.ids import Ref, parse
from tracer.notation import Naming

DEFAULT_DECIMALS = 9


def format_number(
    value: float, decimals: int = DEFAULT_DECIMALS, minus: str = "-", fixed: bool = False
) -> str:
    """Return ``value`` as printed everywhere in tracer: rounded to ``decimals``, no trailing zeros.

    Mazur prints w5+ as 0.35891648 and net_h2 as 0.3925 in the same way. ``minus`` is the sign
    of a negative number: ASCII for LaTeX (which sets it as a minus) and the terminal, U+2212
    where the text is typeset as it is (an SVG picture). With ``fixed`` the trailing zeros stay,
    as an answer asked to ``decimals`` places is written (0.8400).

    >>> format_number(0.15), format_number(0.5932699921071872), format_number(0.39249999999999996)
    ('0.15', '0.593269992', '0.3925')
    >>> format_number(-2e-12), format_number(1.0), format_number(-0.25, minus="\N{MINUS SIGN}")
    ('0', '1', '−0.25')
    >>> format_number(0.84, 4, fixed=True), format_number(-2e-12, 2, fixed=True)
    ('0.8400', '0.00')
    """
    text = f"{abs(value):.{decimals}f}"
    if "." in text and not fixed:
        text = text.rstrip("0").rstrip(".")
    return text if value >= 0 or not text.strip("0.") else minus + text


class Shown(sp.UnevaluatedExpr):
    """A number placed in a formula: kept apart like ``UnevaluatedExpr``, but commutative.

    SymPy leaves ``UnevaluatedExpr.is_commutative`` undecided, and then prints ``y·a⁻¹`` instead
    of the fraction ``y/a`` that the formula line shows.
    """

    is_commutative = True


class Negated(Shown):
    """A negative number after a minus sign, in parentheses: ``0.5 − (−1.25)``, not ``0.5 − −1.25``."""

    def _latex(self, printer) -> str:
        return rf"\left({printer._print(self.args[0])}\right)"

    def _pretty(self, printer) -> prettyForm:
        return prettyForm(*printer._print(self.args[0]).parens())


def shown_number(value: float | sp.Rational) -> sp.Expr:
    """Return a value as a document shows it: a float in the number format, an exact Rational as a fraction.

    Exact values come from :mod:`tracer.exact` (a hand-friendly handout); a Rational is kept
    apart like a number in a formula, so that it prints ``3/8``, not a multiplied-out product.

    >>> shown_number(0.25), shown_number(sp.Rational(3, 8))
    (0.250000000000000, 3/8)
    """
    return Shown(value) if isinstance(value, sp.Rational) else sp.Float(value)


def with_numbers(formula: sp.Expr, values: Mapping[Ref, float], aliases: tuple = ()) -> sp.Expr:
    """Return ``formula`` with every quantity replaced by its value, keeping the formula's shape.

    Numbers are wrapped in ``UnevaluatedExpr`` so that nothing is multiplied out: the line reads
    ``0.15·0.05 + 0.2·0.1 + 0.35``, not ``0.3775``. A negative number keeps its minus sign in
    front where that reads naturally (``0.75 − 0.35``) and gets parentheses inside a product.
    ``aliases`` maps sub-expressions to the quantity they stand for (σ(z) is a). Values may be
    floats or exact SymPy Rationals, which print as fractions (``1/2·3/8``).
    """
    alias = dict(aliases)

    def number(value: float | sp.Rational, inside_product: bool, negated: bool) -> sp.Expr:
        exact = isinstance(value, sp.Rational)
        shown = value if exact else sp.Float(value)
        if value < 0 and negated:
            return Negated(shown)
        if value < 0 and not inside_product:
            return sp.Mul(-1, Shown(-shown), evaluate=False)
        return Shown(shown)

    def walk(expr: sp.Expr, inside_product: bool, negated: bool = False) -> sp.Expr:
        if expr in alias:
            return number(values[alias[expr]], inside_product, negated)
        if expr.is_Symbol:
            return number(values[parse(expr.name)], inside_product, negated)
        if not expr.args:
            return expr
        if expr.is_Mul:
            # −x alone is Mul(−1, x): a negative x then needs parentheses, −(−1.25).
            negation = len(expr.args) == 2 and expr.args[0] == -1
            args = [
                walk(arg, (i > 0 or inside_product) and arg != -1, negation and i == 1)
                for i, arg in enumerate(expr.args)
            ]
        elif expr.is_Pow:
            args = [walk(expr.base, True), expr.exp]
        elif expr.is_Add:
            # A product after a plus sign: 0.5·0.5 + (−0.1)·(−1), not 0.5·0.5 + −0.1·(−1).
            args = [walk(arg, i > 0 and arg.is_Mul) for i, arg in enumerate(expr.args)]
        else:
            args = [walk(arg, False) for arg in expr.args]
        if isinstance(expr, ExprCondPair):
            return ExprCondPair(*args)
        return expr.func(*args, evaluate=False)

    return walk(formula, False)


def _upright(piece: str) -> str:
    """Return a multi-letter name part upright (``\\mathrm{net}``) so it does not read as a product."""
    letters = sum(c.isalpha() for c in piece)
    return rf"\mathrm{{{piece}}}" if letters > 1 and not piece.startswith("\\") else piece


class TracerLatexPrinter(LatexPrinter):
    """LaTeX printer that speaks the notation and formats numbers; settings ``naming``, ``decimals``."""

    _default_settings: ClassVar[dict] = {
        **LatexPrinter._default_settings,
        "naming": None,
        "decimals": DEFAULT_DECIMALS,
        "ln_notation": True,
        "mul_symbol": "dot",
        "order": "none",
        "row_break": "\\\\",
    }

    def __init__(self, settings: dict | None = None) -> None:
        super().__init__(settings)
        self._symbols: dict[sp.Symbol, str] = {}

    def _print_Symbol(self, expr: sp.Symbol, style: str = "plain") -> str:
        if expr not in self._symbols:
            shown = _display(self._settings["naming"], expr)
            if shown is None:
                self._symbols[expr] = super()._print_Symbol(expr, style)
            else:
                self._symbols[expr] = self._print(shown)
        return self._symbols[expr]

    def _split_super_sub(self, name: str) -> tuple[str, list[str], list[str]]:
        base, supers, subs = super()._split_super_sub(name)
        return _upright(base), [_upright(s) for s in supers], [_upright(s) for s in subs]

    def _print_Float(self, expr: sp.Float) -> str:
        return format_number(float(expr), self._settings["decimals"])

    def _print_matrix_contents(self, expr: sp.MatrixBase) -> str:
        # Setting ``row_break`` to "\\\\" plus a newline suits Markdown, whose renderers protect
        # a LaTeX line break only at the end of a line.
        rows = [" & ".join(self._print(v) for v in expr.row(i)) for i in range(expr.rows)]
        kind, columns = ("matrix", "") if expr.cols <= 10 else ("array", "{" + "c" * expr.cols + "}")
        body = self._settings["row_break"].join(rows)
        return rf"\begin{{{kind}}}{columns}{body}\end{{{kind}}}"

    def _print_Piecewise(self, expr: sp.Piecewise) -> str:
        # SymPy's cases, with the row break setting and "for " instead of "\:" (Markdown reads
        # "\:" as an escaped colon).
        rows = []
        for value, condition in expr.args:
            when = r"\text{otherwise}" if condition == sp.true else rf"\text{{for }} {self._print(condition)}"
            rows.append(f"{self._print(value)} & {when}")
        return r"\begin{cases} " + f" {self._settings['row_break']}".join(rows) + r" \end{cases}"

    def _print_Function(self, expr: sp.Expr, exp: str | None = None) -> str:
        if expr.func.__name__ in ("ReLU", "LeakyReLU"):
            name = rf"\operatorname{{{expr.func.__name__}}}"
            return rf"{name}{{\left({self._print(expr.args[0])} \right)}}"
        return super()._print_Function(expr, exp)


class TracerPrettyPrinter(PrettyPrinter):
    """Unicode printer with the same two extensions, for the terminal and plain text."""

    _default_settings: ClassVar[dict] = {
        **PrettyPrinter._default_settings,
        "naming": None,
        "decimals": DEFAULT_DECIMALS,
        "order": "none",
        "use_unicode": True,
        "wrap_line": False,
        "minus": "-",
        "inline_fractions": False,
    }

    def _print_Symbol(self, expr: sp.Symbol, bold_name: bool = False) -> prettyForm:
        shown = _display(self._settings["naming"], expr)
        return super()._print_Symbol(expr, bold_name) if shown is None else self._print(shown)

    def _print_Float(self, expr: sp.Float) -> prettyForm:
        return prettyForm(format_number(float(expr), self._settings["decimals"], self._settings["minus"]))

    def _print_Rational(self, expr: sp.Rational) -> prettyForm:
        if expr.q != 1 and self._settings["inline_fractions"]:
            form = prettyForm(f"{abs(expr.p)}/{expr.q}", binding=prettyForm.DIV)
            return (
                prettyForm(*form.left(self._settings["minus"]), binding=prettyForm.NEG) if expr < 0 else form
            )
        if expr >= 0 or self._settings["minus"] == "-":
            return super()._print_Rational(expr)
        magnitude = super()._print_Rational(-expr)
        return prettyForm(*magnitude.left(self._settings["minus"]), binding=prettyForm.NEG)

    def _print_UnevaluatedExpr(self, expr: sp.UnevaluatedExpr) -> prettyForm:
        form = self._print(expr.args[0])
        return prettyForm(*form.parens()) if expr.args[0].is_negative else form


def _display(naming: Naming | None, expr: sp.Symbol) -> sp.Expr | None:
    """Return the notation's display expression for a canonical symbol, or None to print as is."""
    ref = parse(expr.name) if naming is not None else None
    if ref is None:
        return None
    shown = naming.symbol(ref)
    return None if shown == expr else shown


class MathPrinter:
    """Return-free bundle of the printers of one document: one notation, one number format.

    ``latex(expr)`` gives LaTeX, ``text(expr)`` one-line Unicode, ``pretty(expr)`` the 2-D
    Unicode picture SymPy draws for the terminal. ``minus`` is the sign of a negative number in
    the Unicode printings (see :func:`format_number`); ``inline_fractions`` prints every fraction
    on one line, ``13/18`` (for a picture's labels), where SymPy would stack a long one.
    """

    def __init__(
        self,
        naming: Naming,
        decimals: int = DEFAULT_DECIMALS,
        row_break: str = "\\\\",
        minus: str = "-",
        inline_fractions: bool = False,
    ) -> None:
        self.naming = naming
        self.decimals = decimals
        self._latex = TracerLatexPrinter({"naming": naming, "decimals": decimals, "row_break": row_break})
        settings = {
            "naming": naming,
            "decimals": decimals,
            "minus": minus,
            "inline_fractions": inline_fractions,
        }
        self._pretty = TracerPrettyPrinter(settings)
        self._cache: dict[tuple[str, sp.Expr], str] = {}

    def latex(self, expr: sp.Expr) -> str:
        """Return the LaTeX of an expression (no surrounding $)."""
        return self._latex.doprint(expr)

    def pretty(self, expr: sp.Expr) -> str:
        """Return the Unicode picture of an expression; fractions take several lines."""
        return self._pretty.doprint(expr)

    def picture(self, expr: sp.Expr) -> tuple[str, int]:
        """Return the Unicode picture of an expression and its baseline: the row (from 0 at the
        top) that text beside it sits on, e.g. the bar of a fraction."""
        form = self._pretty._print(expr)
        return form.render(wrap_line=False), form.baseline

    def text(self, expr: sp.Expr) -> str:
        """Return one-line Unicode, e.g. ``w³₁₂`` or ``∂C/∂w³₁₂`` for a symbol."""
        key = ("text", expr)
        if key not in self._cache:
            self._cache[key] = self._pretty.doprint(expr)
        return self._cache[key]

    def number(self, value: float) -> str:
        """Return a value in the document's number format."""
        return format_number(value, self.decimals)
