"""All maths text comes from here: SymPy's LaTeX and Unicode printers, taught tracer's ways.

Two extensions, both by subclassing the printers rather than editing their output:

* a canonical symbol (``Symbol("W[2][1][1]")``) prints as its symbol in the reader's notation
  (``w^{3}_{11}``, ``W^{(2)}_{11}`` or ``w_{5}``);
* a number placed in a formula by :func:`with_numbers` prints with the one number format,
  negative numbers in parentheses where a reader would write them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import ClassVar, NamedTuple

import sympy as sp
from sympy.functions.elementary.piecewise import ExprCondPair
from sympy.printing.conventions import split_super_sub
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.pretty.pretty import PrettyPrinter
from sympy.printing.pretty.pretty_symbology import sub as subscript
from sympy.printing.pretty.pretty_symbology import sup as superscript
from sympy.printing.pretty.pretty_symbology import xsym
from sympy.printing.pretty.stringpict import prettyForm, stringPict

from tracer.i18n import _
from tracer.ids import Ref, parse
from tracer.notation import Naming

DEFAULT_DECIMALS = 9


LARGE = 1e15  # from here on numbers are written as 1.5e20
SIGNIFICANT = 3  # digits a document shows of a number at the least (1.92·10⁻¹⁰, not 0)
SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


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

    From 10¹⁵ on a number is written in scientific notation, never with 31 digits:

    >>> format_number(1e30), format_number(-1.5e200, 4)
    ('1e30', '-1.5e200')
    """
    if abs(value) >= LARGE and abs(value) != float("inf"):
        mantissa, exponent = f"{abs(value):.{decimals}e}".split("e")
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        return ("" if value > 0 else minus) + f"{mantissa}e{int(exponent)}"
    text = f"{abs(value):.{decimals}f}"
    if "." in text and not fixed:
        text = text.rstrip("0").rstrip(".")
    return text if value >= 0 or not text.strip("0.") else minus + text


def scientific(
    value: float, decimals: int = DEFAULT_DECIMALS, significant: int = SIGNIFICANT
) -> tuple[str, int] | None:
    """Return the mantissa and exponent of a number that ``decimals`` places would show with fewer
    than ``significant`` significant digits, unless those few already give it to one part in
    10⁴ (0.05, ε = 0.00000001); None for a number the places show (or zero, or not finite, or
    any number when ``significant`` is 0: numbers to exactly ``decimals`` places). With
    ``significant`` 1 only a number that would print as 0 changes, as a handout's key needs: its
    numbers keep the answers' decimals, but (1 − 0.8)·(−0.0002) is not 0. The mantissa has
    :data:`SIGNIFICANT` digits at the least.

    Adam's second moment of a small gradient, 1.92·10⁻¹⁰, would print as 0, and a formula
    would read 0 / 0.001 = 0.000000192; a gradient check's distances would read 0.000000006 and
    then 0 where they grow again. Documents print such numbers as 1.92·10⁻¹⁰
    (:func:`format_number` stays the format of answers, which are asked to a number of decimals).

    >>> scientific(1.9234e-10), scientific(6.1135e-08), scientific(0.000438568), scientific(1e-08)
    (('1.92', -10), ('6.11', -8), None, None)
    >>> scientific(-3.952e-05, 4, 1), scientific(0.0019, 4, 1)
    (('-3.95', -5), None)
    """
    if not significant or value == 0 or not math.isfinite(value) or abs(value) >= LARGE:
        return None
    fixed = format_number(value, decimals)
    digits = len(fixed.lstrip("-").replace(".", "").lstrip("0"))
    if digits >= significant or abs(float(fixed) - value) <= abs(value) * 1e-4:
        return None
    mantissa, exponent = f"{value:.{max(significant, SIGNIFICANT) - 1}e}".split("e")
    return mantissa, int(exponent)  # 6.00·10⁻⁹: its zeros are significant digits too


def digits(value: float, settings: dict) -> tuple[int, int]:
    """Return the decimals and significant digits a printer's ``settings`` print ``value`` with:
    its own ``decimals`` and ``significant``, or in full (:data:`DEFAULT_DECIMALS`, at least
    :data:`SIGNIFICANT` digits) for a number in its ``in_full`` set, the givens of an exercise, which
    a sheet asking for fewer decimals must still state as they are (ε = 0.00000001, not 0).

    >>> digits(1e-08, {"decimals": 4, "significant": 0, "in_full": frozenset({1e-08})})
    (9, 3)
    """
    if value in settings.get("in_full", ()):
        return max(settings["decimals"], DEFAULT_DECIMALS), SIGNIFICANT
    return settings["decimals"], settings["significant"]


def power_of_ten(mantissa: str, exponent: int, latex: bool, minus: str = "-") -> str:
    r"""Return ``mantissa · 10^exponent`` in LaTeX or in one line of Unicode (``minus`` the sign of
    a negative mantissa there); an empty mantissa gives the bare power.

    >>> power_of_ten("-1.92", -10, True), power_of_ten("1.92", -10, False), power_of_ten("", -8, False)
    ('-1.92 \\cdot 10^{-10}', '1.92⋅10⁻¹⁰', '10⁻⁸')
    """
    if latex:
        power = f"10^{{{exponent}}}"
        return rf"{mantissa} \cdot {power}" if mantissa else power
    power = "10" + str(exponent).translate(SUPERSCRIPTS)
    sign = minus if mantissa.startswith("-") else ""
    return f"{sign}{mantissa.lstrip('-')}⋅{power}" if mantissa else power


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
            first = args[0]
            if len(args) > 1 and first.is_Mul and first.args[0] == -1:
                # A negative number leading a product (or a fraction's numerator) lends the product
                # its sign: −0.00226/(1 − 0.9), not (−1)·0.00226/(1 − 0.9).
                args = [*first.args, *args[1:]]
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
        "significant": SIGNIFICANT,
        "in_full": frozenset(),
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
        decimals, significant = digits(float(expr), self._settings)
        small = scientific(float(expr), decimals, significant)
        if small is None:
            return format_number(float(expr), decimals)
        return power_of_ten(*small, latex=True)

    def parenthesize(self, item: sp.Basic, level: int, is_neg: bool = False, strict: bool = False) -> str:
        # A number written 1.92·10⁻¹⁰ is a product: in parentheses as a factor or a base.
        number = item.args[0] if isinstance(item, sp.UnevaluatedExpr) else item
        small = isinstance(number, sp.Float) and scientific(
            float(number), *digits(float(number), self._settings)
        )
        if small and level >= PRECEDENCE["Mul"]:
            return rf"\left({self._print(item)}\right)"
        return super().parenthesize(item, level, is_neg, strict)

    def _print_matrix_contents(self, expr: sp.MatrixBase) -> str:
        # Setting ``row_break`` to "\\\\" plus a newline suits Markdown, whose renderers protect
        # a LaTeX line break only at the end of a line.
        rows = [" & ".join(self._print(v) for v in expr.row(i)) for i in range(expr.rows)]
        kind, columns = ("matrix", "") if expr.cols <= 10 else ("array", "{" + "c" * expr.cols + "}")
        body = self._settings["row_break"].join(rows)
        return rf"\begin{{{kind}}}{columns}{body}\end{{{kind}}}"

    def _print_Piecewise(self, expr: sp.Piecewise) -> str:
        # SymPy's cases, with the row break setting and "for " instead of "\:" (Markdown reads
        # "\:" as an escaped colon); the words in the reader's language ("z > 0일 때").
        rows = []
        for value, condition in expr.args:
            if condition == sp.true:
                otherwise = _("otherwise")
                when = rf"\text{{{otherwise}}}"
            else:
                # the condition's words around it: "for {condition}", "{condition}일 때"
                before, after = _("for {condition}").split("{condition}")
                words = [rf"\text{{{before}}}" if before else "", self._print(condition)]
                when = " ".join(w for w in words if w) + (rf"\text{{{after}}}" if after else "")
            rows.append(f"{self._print(value)} & {when}")
        return r"\begin{cases} " + f" {self._settings['row_break']}".join(rows) + r" \end{cases}"

    def _print_Function(self, expr: sp.Expr, exp: str | None = None) -> str:
        if expr.func.__name__ in ("ReLU", "LeakyReLU"):
            name = rf"\operatorname{{{expr.func.__name__}}}"
            return rf"{name}{{\left({self._print(expr.args[0])} \right)}}"
        return super()._print_Function(expr, exp)


class Operand(NamedTuple):
    """Return-free operand of a sum, product or chain, as the Unicode printer sets it.

    ``separator`` is the text before it (``" + "``, ``" - "``, ``"⋅"``, ``" = "``; ``""`` or ``"-"``
    for the first operand), ``expr`` what is printed after it, ``form`` its picture (in
    parentheses when ``parens``). Joined in order, the operands give the whole picture.
    """

    separator: str
    expr: sp.Expr
    form: prettyForm
    parens: bool


def join_operands(operands: list[Operand], binding: int = prettyForm.ADD) -> prettyForm:
    """Return the operands side by side on one baseline, each after its separator.

    ``binding`` tells an enclosing product or power whether to add parentheses: a sum's
    (``prettyForm.ADD``) by default, even when it starts with a minus, as in SymPy.
    """
    pieces: list = []
    for operand in operands:
        if operand.separator:
            pieces.append(operand.separator)
        pieces.append(operand.form)
    return prettyForm(*stringPict.next(*pieces), binding=binding)


def _copied(form: prettyForm) -> prettyForm:
    """Return a picture of its own with the same rows (``copy.copy`` takes twenty times as long)."""
    copied = object.__new__(type(form))
    copied.__dict__.update(form.__dict__)
    return copied


class TracerPrettyPrinter(PrettyPrinter):
    """Unicode printer with the same two extensions, for the terminal and plain text.

    Sums and products are printed from their :meth:`operands`, the pieces a too-wide picture may
    be broken into; a matrix column of numbers is aligned at the decimal point.
    """

    _default_settings: ClassVar[dict] = {
        **PrettyPrinter._default_settings,
        "naming": None,
        "decimals": DEFAULT_DECIMALS,
        "order": "none",
        "use_unicode": True,
        "wrap_line": False,
        "minus": "-",
        "inline_fractions": False,
        "significant": SIGNIFICANT,
        "in_full": frozenset(),
    }

    def __init__(self, settings: dict | None = None) -> None:
        super().__init__(settings)
        self._printed: dict[sp.Basic, prettyForm] = {}
        self._in_power = 0

    def _print(self, expr: sp.Basic, **kwargs) -> prettyForm:
        # Each sub-expression is drawn once per printer: a document repeats its symbols, σ(z)s
        # and matrices many times. SymPy's printers build new pictures from the ones they are
        # handed, except a power (see _print_Pow), which gets pictures of its own.
        if kwargs:
            return super()._print(expr, **kwargs)
        try:
            form = self._printed[expr]
        except KeyError:
            form = self._printed[expr] = super()._print(expr)
        except TypeError:  # a mutable matrix cannot be a key
            return super()._print(expr)
        return _copied(form) if self._in_power else form

    def _print_Pow(self, power: sp.Pow) -> prettyForm:
        # prettyForm.__pow__ sets tanh(z)**2's exponent beside the function by moving the 2's
        # baseline in place, so a shared 2 would stand on that baseline everywhere after.
        self._in_power += 1
        try:
            return super()._print_Pow(power)
        finally:
            self._in_power -= 1

    def _print_log(self, expr: sp.log) -> prettyForm:
        # ln, as the LaTeX printer's ln_notation writes it and the documents say it.
        return self._print_Function(expr, func_name="ln")

    def _print_Max(self, expr: sp.Max) -> prettyForm:
        return self._print_Function(expr, func_name="max")

    def _print_Symbol(self, expr: sp.Symbol, bold_name: bool = False) -> prettyForm:
        shown = None if bold_name else _display(self._settings["naming"], expr)
        if shown is not None:
            return self._print(shown)
        name, sups, subs = split_super_sub(expr.name)
        if not bold_name and any(c in _MORE_SUBSCRIPTS for s in subs for c in s):
            # SymPy gives up on a whole subscript when one character has no subscript form. It has
            # no j (a_j; Unicode has ⱼ, U+2C7C: aⱼ, z⁽³⁾ⱼₖ), and a full stop or a comma stays as it
            # is between subscript digits: Mazur's outₕ₁.₁ past one hidden layer, and w²₁₀,₁ in a
            # layer of ten neurons or more (not out_h1.1 and w_10,1__2).
            script = {**subscript, **_MORE_SUBSCRIPTS}
            lowered = ["".join(script.get(c, "") for c in s) for s in subs]
            raised = ["".join(superscript.get(c, "") for c in s) for s in sups]
            if all(len(t) == len(s) for t, s in zip(lowered + raised, subs + sups, strict=True)):
                base = super()._print_Symbol(sp.Symbol(name), bold_name).picture[0]
                return prettyForm(base + "".join(raised) + "".join(lowered))
        return super()._print_Symbol(expr, bold_name)

    def _print_Float(self, expr: sp.Float) -> prettyForm:
        decimals, significant = digits(float(expr), self._settings)
        small = scientific(float(expr), decimals, significant)
        if small is None:
            return prettyForm(format_number(float(expr), decimals, self._settings["minus"]))
        # A product: a power or a product around it puts it in parentheses.
        return prettyForm(
            power_of_ten(*small, latex=False, minus=self._settings["minus"]), binding=prettyForm.MUL
        )

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

    def operands(self, expr: sp.Expr) -> list[Operand] | None:
        """Return the top-level operands of a sum, of a product without a fraction bar, of an
        equation or of a chain (a :mod:`tracer.display` node with ``_pretty_operands``); None for
        anything else.

        ``0.75 - 0.35⋅x`` gives the operands ``("", 0.75)`` and ``(" - ", 0.35⋅x)``; ``w₅⋅outₕ₁``
        gives ``("", w₅)`` and ``("⋅", outₕ₁)``.
        """
        if hasattr(expr, "_pretty_operands"):
            return expr._pretty_operands(self)
        if isinstance(expr, sp.Equality):
            return [
                Operand("", expr.lhs, self._print(expr.lhs), False),
                Operand(" = ", expr.rhs, self._print(expr.rhs), False),
            ]
        if isinstance(expr, sp.Add):
            return self._terms(expr)
        if isinstance(expr, sp.Mul):
            numerator, denominator, negative = self._factors(expr)
            if denominator or (len(numerator) < 2 and not negative):
                return None
            return self._product(numerator, negative)
        return None

    def fraction(self, expr: sp.Expr) -> tuple[list[sp.Expr], list[sp.Expr], bool] | None:
        """Return the numerator and denominator factors of a product drawn with a fraction bar,
        and whether a minus sign leads its numerator; None for anything else."""
        if not isinstance(expr, sp.Mul):
            return None
        numerator, denominator, negative = self._factors(expr)
        return (numerator or [sp.S.One], denominator, negative) if denominator else None

    def _terms(self, expr: sp.Add) -> list[Operand]:
        """Return the terms of a sum in SymPy's order and with its signs: ``a - b``, not ``a + (-b)``."""
        operands = []
        for i, term in enumerate(self._as_ordered_terms(expr, order=None)):
            negated = None
            if term.is_Mul and term.could_extract_minus_sign():
                coeff, other = term.as_coeff_mul(rational=False)
                negated = (
                    sp.Mul(*other, evaluate=False) if coeff == -1 else sp.Mul(-coeff, *other, evaluate=False)
                )
            elif term.is_Number and term < 0:
                negated = -term
            if negated is not None:
                form = self._print(negated)
                separator = ("- " if form.height() > 1 else "-") if i == 0 else " - "
                parens = form.binding > prettyForm.NEG or form.binding == prettyForm.ADD
                form = prettyForm(*form.parens()) if parens else form
                operands.append(Operand(separator, negated, form, parens))
                continue
            form = self._print(term)
            parens = bool(term.is_Relational)
            if parens:
                form = prettyForm(*form.parens())
            # A picture that brings its own minus sign is set without a plus, as SymPy does.
            separator = "" if i == 0 or form.binding == prettyForm.NEG else " + "
            operands.append(Operand(separator, term, form, parens))
        return operands

    def _print_Add(self, expr: sp.Add, order: str | None = None) -> prettyForm:
        return join_operands(self._terms(expr))

    def _factors(self, product: sp.Mul) -> tuple[list[sp.Expr], list[sp.Expr], bool]:
        """Return a product's numerator and denominator factors, and whether its own leading
        factor is −1 (printed as a minus sign, as in ``-x``)."""
        args = list(product.args)
        negative = args[0] is sp.S.NegativeOne and len(args) > 1
        if negative:
            args = args[1:]
        if args[0] is sp.S.One or any(isinstance(arg, sp.Number) for arg in args[1:]):
            # An unevaluated product shows every factor as written: 1⋅x, 2⋅3.
            return args, [], negative
        numerator, denominator = [], []
        for item in args:
            if item.is_commutative and item.is_Pow and item.exp.is_Rational and item.exp.is_negative:
                denominator.append(sp.Pow(item.base, -item.exp, evaluate=item.exp == -1))
            elif item.is_Rational and item is not sp.S.Infinity:
                if item.p != 1:
                    numerator.append(sp.Rational(item.p))
                if item.q != 1:
                    denominator.append(sp.Rational(item.q))
            else:
                numerator.append(item)
        return numerator, denominator, negative

    def _product(self, factors: list[sp.Expr], negative: bool) -> list[Operand]:
        """Return factors as operands joined by ``⋅``, a sum among them in parentheses."""
        operands = []
        for i, factor in enumerate(factors):
            form = self._print(factor)
            weak = form.binding > prettyForm.MUL and form.binding != prettyForm.NEG
            # A negative number after another factor is in parentheses, as in LaTeX: 0.5⋅(-1.25).
            signed = i > 0 and isinstance(factor, sp.Number) and factor.is_negative
            parens = (weak and (len(factors) > 1 or negative)) or signed
            if parens:
                form = prettyForm(*form.parens())
            separator = xsym("*") if i else ""
            if i == 0 and negative:
                separator = "- " if form.picture[form.baseline][:1] == "-" else "-"
            operands.append(Operand(separator, factor, form, parens))
        return operands

    def _print_Mul(self, product: sp.Mul) -> prettyForm:
        # SymPy's _print_Mul, less two things: it imports sympy.physics.units on every call (to
        # put units last: a quarter of a second at start-up, and tracer has no units), and it
        # turns any factor that prints "-1" into a bare minus, which hid an input x₂ = −1 in
        # x₂⋅δ = -1⋅(-0.0126). Here only the product's own coefficient −1 becomes a minus sign.
        numerator, denominator, negative = self._factors(product)
        top = self._product(numerator or [sp.S.One], negative)
        form = top[0].form
        if len(top) > 1 or negative:
            # A product that starts with a minus binds like a negation (SymPy's rule).
            starts = top[0].separator + top[0].form.picture[top[0].form.baseline]
            form = join_operands(top, prettyForm.NEG if starts[:1] == "-" else prettyForm.MUL)
        if not denominator:
            return form
        below = self._product(denominator, False)
        return form / (join_operands(below, prettyForm.MUL) if len(below) > 1 else below[0].form)

    def _print_matrix_contents(self, e: sp.MatrixBase) -> prettyForm:
        # SymPy's grid (two spaces between columns, a blank row between rows), with a column of
        # one-line numbers aligned at the decimal point instead of centred.
        columns = [[self._print(e[i, j]) for i in range(e.rows)] for j in range(e.cols)]
        for column in columns:
            points = [_point(form) for form in column]
            before = max((p[0] for p in points if p is not None), default=0)
            after = max((p[1] for p in points if p is not None), default=0)
            width = max(form.width() for form in column)
            for i, (form, point) in enumerate(zip(column, points, strict=True)):
                if all(p is not None for p in points):
                    left, right = before - point[0], after - point[1]  # type: ignore[index]
                else:
                    left = (width - form.width()) // 2
                    right = width - form.width() - left
                column[i] = prettyForm(*prettyForm(*form.left(" " * left)).right(" " * right))
        if not columns or not columns[0]:
            return prettyForm("")
        rows = []
        for i in range(e.rows):
            pieces: list = []
            for j, column in enumerate(columns):
                pieces += ["  ", column[i]] if j else [column[i]]
            rows.append(stringPict(*stringPict.next(*pieces)))
        grid = rows[0]
        for row in rows[1:]:
            grid = stringPict(*grid.below(" ", row))
        return prettyForm(*grid.left(""))


def _point(form: prettyForm) -> tuple[int, int] | None:
    """Return the columns before and after the decimal point of a one-line number, else None.

    >>> _point(prettyForm("-0.25")), _point(prettyForm("12")), _point(prettyForm("x"))
    ((2, 3), (2, 0), None)
    """
    if form.height() != 1:
        return None
    text = form.picture[0]
    whole, dot, fraction = text.removeprefix("-").partition(".")
    if not whole.isdigit() or (dot and not fraction.isdigit()):
        return None
    after = len(dot + fraction)
    return len(text) - after, after


_MORE_SUBSCRIPTS = {"j": "ⱼ", ".": ".", ",": ","}


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
    ``significant`` digits at the least are shown of a number too small for the decimals, in
    scientific notation (:func:`scientific`); 0 prints every number to ``decimals`` places.
    A number in ``in_full`` is printed in full whatever ``decimals`` (:func:`digits`).
    """

    def __init__(
        self,
        naming: Naming,
        decimals: int = DEFAULT_DECIMALS,
        row_break: str = "\\\\",
        minus: str = "-",
        inline_fractions: bool = False,
        significant: int = SIGNIFICANT,
        in_full: frozenset[float] = frozenset(),
    ) -> None:
        self.naming = naming
        self.decimals = decimals
        self.minus = minus
        self.significant = significant
        self.in_full = in_full
        self._latex = TracerLatexPrinter(
            {
                "naming": naming,
                "decimals": decimals,
                "row_break": row_break,
                "significant": significant,
                "in_full": in_full,
            }
        )
        settings = {
            "naming": naming,
            "decimals": decimals,
            "minus": minus,
            "inline_fractions": inline_fractions,
            "significant": significant,
            "in_full": in_full,
        }
        self._pretty = TracerPrettyPrinter(settings)
        self._forms: dict[sp.Expr, prettyForm] = {}

    def latex(self, expr: sp.Expr) -> str:
        """Return the LaTeX of an expression (no surrounding $)."""
        return self._latex.doprint(expr)

    def form(self, expr: sp.Expr) -> prettyForm:
        """Return the Unicode picture of an expression as SymPy's ``prettyForm`` (rows and a
        baseline), printed once per expression and document; treat it as read-only."""
        if expr not in self._forms:
            self._forms[expr] = self._pretty._print(expr)
        return self._forms[expr]

    def operands(self, expr: sp.Expr) -> list[Operand] | None:
        """Return where the Unicode picture of ``expr`` may be broken: its top-level operands
        (:meth:`TracerPrettyPrinter.operands`), or None."""
        return self._pretty.operands(expr)

    def fraction(self, expr: sp.Expr) -> tuple[list[sp.Expr], list[sp.Expr], bool] | None:
        """Return the numerator and denominator factors of a fraction, and whether a minus sign
        leads it (:meth:`TracerPrettyPrinter.fraction`), or None."""
        return self._pretty.fraction(expr)

    def product(self, factors: list[sp.Expr], negative: bool = False) -> list[Operand]:
        """Return factors as the operands of a product ``a⋅b⋅c`` (``-a⋅b⋅c`` when ``negative``)."""
        return self._pretty._product(factors, negative)

    def pretty(self, expr: sp.Expr) -> str:
        """Return the Unicode picture of an expression; fractions take several lines."""
        return "\n".join(self.form(expr).picture)

    def picture(self, expr: sp.Expr) -> tuple[str, int]:
        """Return the Unicode picture of an expression and its baseline: the row (from 0 at the
        top) that text beside it sits on, e.g. the bar of a fraction."""
        form = self.form(expr)
        return "\n".join(form.picture), form.baseline

    def text(self, expr: sp.Expr) -> str:
        """Return one-line Unicode, e.g. ``w³₁₂`` or ``∂C/∂w³₁₂`` for a symbol."""
        return self.pretty(expr)

    def plain(self, value: float | sp.Rational, latex: bool) -> str | None:
        """Return a float as the LaTeX (or Unicode) printer prints it when it needs no scientific
        notation (the common case, fifty times faster than printing a SymPy number), else None."""
        if isinstance(value, sp.Rational):
            return None
        settings = {"decimals": self.decimals, "significant": self.significant, "in_full": self.in_full}
        decimals, significant = digits(value, settings)
        if scientific(value, decimals, significant):
            return None
        return format_number(value, decimals, "-" if latex else self.minus)
