"""Notations as data: which symbol each canonical quantity gets in a course's notation.

The symbol names live in ``tracer/notations/*.toml`` (Nielsen, Ng, Mazur) and follow SymPy's
naming convention, so ``Symbol("w^3_12")`` prints as ``w^{3}_{12}`` in LaTeX and ``w³₁₂`` in
Unicode with no string handling here. Derivative quantities are shown as ∂-fractions of two
notation symbols (``∂C/∂w³₁₂``), with the :class:`Partial` display node.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import sympy as sp
from sympy.printing.pretty.stringpict import prettyForm

from tracer.ids import STATE_KINDS, Ref

# derivative kind -> (numerator kind, denominator kind)
PARTIALS = {
    "dC/da": ("C", "a"),
    "da/dz": ("a", "z"),
    "dC/dW": ("C", "W"),
    "dC/db": ("C", "b"),
}


class Partial(sp.Expr):
    """Display node ∂f/∂x for a derivative quantity's symbol (never evaluated).

    SymPy's printers call ``_latex``/``_pretty``/``_sympystr``, the documented way to teach them
    a new kind of expression.
    """

    def _latex(self, printer: sp.printing.latex.LatexPrinter) -> str:
        top, bottom = (printer._print(arg) for arg in self.args)
        return rf"\frac{{\partial {top}}}{{\partial {bottom}}}"

    def _pretty(self, printer: sp.printing.pretty.pretty.PrettyPrinter) -> prettyForm:
        top, bottom = (printer._print(arg) for arg in self.args)
        return prettyForm("∂" + str(top) + "/∂" + str(bottom))

    def _sympystr(self, printer: sp.printing.str.StrPrinter) -> str:
        top, bottom = (printer._print(arg) for arg in self.args)
        return f"d{top}/d{bottom}"


class Of(sp.Expr):
    """Display node of an optimizer's state for one parameter: m with w³₁₂ below (never evaluated).

    LaTeX ``m_{w^{3}_{12}}``, Unicode ``m(w³₁₂)``.
    """

    def _latex(self, printer: sp.printing.latex.LatexPrinter) -> str:
        letter, parameter = (printer._print(arg) for arg in self.args)
        return rf"{letter}_{{{parameter}}}"

    def _pretty(self, printer: sp.printing.pretty.pretty.PrettyPrinter) -> prettyForm:
        letter, parameter = (printer._print(arg) for arg in self.args)
        return prettyForm(f"{letter}({parameter})")

    def _sympystr(self, printer: sp.printing.str.StrPrinter) -> str:
        letter, parameter = (printer._print(arg) for arg in self.args)
        return f"{letter}({parameter})"


_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


class AtStep(sp.Expr):
    """Display node of a quantity in step t of a trace of several: LaTeX ``x^{(t=2)}``, Unicode ``x⁽ᵗ⁼²⁾``."""

    def _latex(self, printer: sp.printing.latex.LatexPrinter) -> str:
        return rf"{{{printer._print(self.args[0])}}}^{{(t={self.args[1]})}}"

    def _pretty(self, printer: sp.printing.pretty.pretty.PrettyPrinter) -> prettyForm:
        step = str(self.args[1]).translate(_SUPERSCRIPT)
        return prettyForm(f"{printer._print(self.args[0])}⁽ᵗ⁼{step}⁾")

    def _sympystr(self, printer: sp.printing.str.StrPrinter) -> str:
        return f"{printer._print(self.args[0])}@{self.args[1]}"


@dataclass(frozen=True)
class Notation:
    """Return-free record of one notation file: symbol templates per kind of quantity."""

    name: str
    source: str
    input_layer_number: int
    symbols: dict[str, str]
    sampled: dict[str, str]
    units: dict[str, str]
    state: dict[str, str] = field(default_factory=dict)
    vectors: dict[str, str] = field(default_factory=dict)
    sampled_vectors: dict[str, str] = field(default_factory=dict)
    layer_names: dict[str, str] = field(default_factory=dict)

    def bind(self, layers: tuple[int, ...]) -> Naming:
        """Return the naming of this notation for a network with these layer sizes."""
        return Naming(self, layers)


@cache
def notation(name: str) -> Notation:
    """Return the notation called ``name`` (nielsen, ng or mazur)."""
    text = (resources.files("tracer") / "notations" / f"{name}.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    return Notation(
        name=data["name"],
        source=data["source"],
        input_layer_number=data["input_layer_number"],
        symbols=data["symbols"],
        sampled=data["sampled"],
        units=data["units"],
        state=data.get("state", {}),
        vectors=data.get("vectors", {}),
        sampled_vectors=data.get("sampled_vectors", {}),
        layer_names=data.get("layer_names", {}),
    )


class Naming:
    """Symbols of one notation for one network: ``naming.symbol(ref)`` is a display expression.

    >>> from tracer.ids import STATE_KINDS, Ref
    >>> notation("mazur").bind((2, 2, 2)).name(Ref("W", 2, 1, 1))
    'w_5'
    """

    def __init__(self, notation: Notation, layers: tuple[int, ...]) -> None:
        self.notation = notation
        self.layers = layers
        self.sep = "," if max(layers) >= 10 else ""
        self._cache: dict[Ref, sp.Expr] = {}

    def name(self, ref: Ref) -> str:
        """Return the ASCII name of a quantity's symbol, e.g. ``a^2_1``, ``dE_total/dw_5``, ``m(w_5)``.

        In a trace of several steps the step follows an ``@``: ``w_5@2``.
        """
        if ref.step is not None:
            return f"{self.name(ref.at(None))}@{ref.step}"
        if ref.kind in STATE_KINDS:
            return f"{self.notation.state[ref.kind]}({self.name(ref.parameter)})"
        if ref.kind in PARTIALS:
            top, bottom = self._parts(ref)
            return f"d{self.name(top)}/d{self.name(bottom)}"
        kind = "x" if ref.kind == "a" and ref.l == 0 else ref.kind
        table = self.notation.sampled if ref.sample is not None else self.notation.symbols
        template = table.get(kind, self.notation.symbols[kind])
        return template.format(**self._fields(ref))

    def symbol(self, ref: Ref) -> sp.Expr:
        """Return the expression that shows ``ref``: a Symbol, or a Partial for a derivative."""
        if ref not in self._cache:
            self._cache[ref] = self._build(ref)
        return self._cache[ref]

    def _build(self, ref: Ref) -> sp.Expr:
        if ref.step is not None:
            return AtStep(self.symbol(ref.at(None)), sp.Integer(ref.step))
        if ref.kind in STATE_KINDS:
            return Of(sp.Symbol(self.notation.state[ref.kind]), self.symbol(ref.parameter))
        if ref.kind in PARTIALS:
            top, bottom = self._parts(ref)
            return Partial(self.symbol(top), self.symbol(bottom))
        return sp.Symbol(self.name(ref))

    @staticmethod
    def _parts(ref: Ref) -> tuple[Ref, Ref]:
        """Return the quantities above and below the fraction bar of a derivative's symbol."""
        top_kind, bottom_kind = PARTIALS[ref.kind]
        top = (
            Ref("a", ref.l, ref.j, sample=ref.sample) if top_kind == "a" else Ref(top_kind, sample=ref.sample)
        )
        parameter = bottom_kind in ("W", "b")
        return top, Ref(bottom_kind, ref.l, ref.j, ref.k, None if parameter else ref.sample)

    def _fields(self, ref: Ref) -> dict[str, object]:
        l = ref.l if ref.l is not None else len(self.layers) - 1
        j = ref.j
        k = ref.k if ref.k is not None else j
        number = self.notation.input_layer_number
        running = None
        if ref.k is not None:  # Mazur numbers weights layer by layer, neuron by neuron
            before = sum(self.layers[i] * self.layers[i - 1] for i in range(1, l))
            running = before + (j - 1) * self.layers[l - 1] + ref.k
        return {
            "l": number + l,
            "src": number + l - 1,
            "j": j,
            "k": k,
            "sep": self.sep,
            "s": ref.sample,
            "n": running,
            "unit": self.unit(l, j),
            "inunit": self.unit(l - 1, k) if l > 0 else "",
        }

    def vector(self, kind: str, l: int | None = None, sample: int | None = None) -> sp.Symbol:
        """Return the symbol of a whole layer's vector or matrix, for the matrix form of a step.

        ``kind`` is W, b, z, a, delta (layer ``l``, input = 0, so a of layer 0 is the input x) or
        x, y. In Nielsen's notation W of layer 2 is ``w^3``, in Ng's ``W^(2)``, in Mazur's ``W_o``.

        >>> notation("ng").bind((3, 2, 1)).vector("W", 2)
        W^(2)
        """
        L = len(self.layers) - 1
        l = L if l is None else l
        if kind == "a" and l == 0:
            kind = "x"
        table = self.notation.sampled_vectors if sample is not None else self.notation.vectors
        template = table.get(kind, self.notation.vectors[kind])
        number = self.notation.input_layer_number
        name = template.format(l=number + l, src=number + l - 1, s=sample, layer=self.layer_name(l))
        return sp.Symbol(name)

    def layer_name(self, layer: int) -> str:
        """Return a layer's short name in Mazur's style (i, h, o); its number elsewhere."""
        names = self.notation.layer_names
        if not names:
            return str(self.notation.input_layer_number + layer)
        return names[self._role(layer)].format(l=layer)

    def unit(self, layer: int, neuron: int | None) -> str:
        """Return the name of a neuron in Mazur's style (i1, h1, o1); a number elsewhere."""
        return self.notation.units[self._role(layer)].format(l=layer, j=neuron, k=neuron)

    def _role(self, layer: int) -> str:
        """Return input, output, hidden (the one hidden layer) or deep (one of several)."""
        if layer == 0:
            return "input"
        if layer == len(self.layers) - 1:
            return "output"
        return "hidden" if len(self.layers) == 3 else "deep"
