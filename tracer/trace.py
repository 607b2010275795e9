"""The Trace: every quantity of one training step, with its formula, its value and what it needs.

This is the model every output reads (JSON, Markdown, LaTeX, the terminal, homework checking):
read-only, ordered as a worked example, numbers from :mod:`tracer.evaluate`, formulas from
:mod:`tracer.derive`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import sympy as sp

from tracer.derive import GIVEN, Equation, derive, recompute, renamed, run_constant
from tracer.errors import SpecError
from tracer.evaluate import evaluate
from tracer.i18n import _
from tracer.ids import Ref, parse
from tracer.notation import Naming
from tracer.printing import with_numbers
from tracer.spec import NetworkSpec

# A worked example writes every sample out; beyond this many nobody reads it (and SymPy takes minutes).
WORKED_SAMPLES = 100


@dataclass(frozen=True)
class Quantity:
    """Return-free record of one traced quantity: its equation and its value.

    ``formula`` is written with canonical symbols (None for given numbers); ``rule`` names the
    textbook equation (``"BP2"``, ``"weighted input"``, …); ``depends_on`` lists, in the
    formula's order, the quantities whose values the formula uses.
    """

    equation: Equation
    value: float  # or an exact sp.Rational in a trace from tracer.exact

    @property
    def ref(self) -> Ref:
        """Return the Ref of this quantity."""
        return self.equation.ref

    @property
    def id(self) -> str:
        """Return the canonical id, e.g. ``dC/dW[2][1][1]``."""
        return str(self.equation.ref)

    @property
    def rule(self) -> str:
        """Return the name of the equation that computes it, e.g. ``"BP1"`` or ``"given"``."""
        return self.equation.rule

    @property
    def formula(self) -> sp.Expr | None:
        """Return the local formula over canonical symbols, or None for a given number."""
        return self.equation.formula

    @property
    def depends_on(self) -> tuple[Ref, ...]:
        """Return the quantities the formula uses, in the formula's order."""
        return self.equation.depends_on

    @property
    def given(self) -> bool:
        """Return True for numbers the spec gives rather than the step computes."""
        return self.equation.rule == GIVEN

    def substituted(self, values: Mapping[Ref, float]) -> sp.Expr | None:
        """Return the formula with ``values`` put in for the quantities it uses."""
        if self.formula is None:
            return None
        return with_numbers(self.formula, values, self.equation.aliases)

    def recompute(self, values: Mapping[Ref, float]) -> float:
        """Return what the formula gives from ``values`` of the quantities it uses.

        With the trace's own values this is the traced value again (up to rounding); with a
        student's numbers it is what a correct step from those numbers gives.
        """
        return recompute(self.equation)(*(values[r] for r in self.depends_on))


@dataclass(frozen=True)
class Trace:
    """Return-free worked example of one training step of ``spec``."""

    spec: NetworkSpec
    quantities: tuple[Quantity, ...]
    steps: int = 1  # with more than one, every quantity of step t carries @t
    step: int | None = None  # a view of step t of a trace of several (step_view): ids carry @t
    earlier: tuple[tuple[Ref, float], ...] = ()  # a view's values of the steps before it

    @cached_property
    def values(self) -> dict[Ref, float]:
        """Return every value by Ref (a view's also those of the steps before it)."""
        return {**dict(self.earlier), **{q.ref: q.value for q in self.quantities}}

    @cached_property
    def _by_ref(self) -> dict[Ref, Quantity]:
        return {q.ref: q for q in self.quantities}

    @cached_property
    def exact(self) -> bool:
        """Return True when the values are exact SymPy Rationals (:func:`tracer.exact.exact_trace`)."""
        return isinstance(self.quantities[0].value, sp.Rational)

    @cached_property
    def naming(self) -> Naming:
        """Return the symbols of the spec's notation for this network."""
        return self.spec.naming

    def __getitem__(self, key: str | Ref) -> Quantity:
        """Return the quantity with this canonical id or Ref; KeyError if there is none."""
        ref = parse(key) if isinstance(key, str) else key
        if ref is None or ref not in self._by_ref:
            raise KeyError(key)
        return self._by_ref[ref]

    def __contains__(self, key: str | Ref) -> bool:
        ref = parse(key) if isinstance(key, str) else key
        return ref in self._by_ref

    def canonical(self, ref: Ref) -> Ref:
        """Return the Ref a quantity of this trace has in the trace of several steps it shows one of.

        In ``step_view(trace(spec, 3), 2)`` the weighted input ``z[1][1]`` is ``z[1][1]@2``; an
        input, a target, a hyper-parameter or a quantity of the step before keeps its Ref. In a
        trace that is not a view every Ref is its own.
        """
        if self.step is None or ref.step is not None or run_constant(ref):
            return ref
        return ref.at(self.step)


def trace(spec: NetworkSpec, steps: int = 1) -> Trace:
    """Return the Trace of ``steps`` training steps: derivation (cached per shape) plus evaluation.

    ``trace(load_spec("mazur"))["a[1][1]"].value`` is 0.5932699921…; in ``trace(spec, 3)`` the
    first moment of an Adam step 2 is ``m[2][1][1]@2``.
    """
    if len(spec.samples) > WORKED_SAMPLES:
        message = _("{count} samples; a worked example shows at most {limit} (tracer train takes more)")
        raise SpecError("samples", message.format(count=len(spec.samples), limit=WORKED_SAMPLES))
    values = evaluate(spec, steps)
    if steps == 1:  # a published number must name a quantity of this network (of its one step)
        spec.published_differences(values)
    # derive(shape) as every one-step caller writes it: one cache entry per shape
    equations = derive(spec.shape) if steps == 1 else derive(spec.shape, steps)
    quantities = tuple(Quantity(eq, values[eq.ref]) for eq in equations)
    return Trace(spec, quantities, steps)


def step_view(result: Trace, t: int) -> Trace:
    """Return step t of a trace of several steps as a trace of one step, for a document to show.

    Step t's quantities lose their ``@t`` (``z[1][1]@2`` is ``z[1][1]`` here, so that a step reads
    net_h1 = w1·i1 + …, as a step of its own), what a formula uses from the step before keeps its
    ``@t−1`` (Adam's ``m[2][1][1]@1`` in ``m[2][1][1]``), and the inputs, targets and
    hyper-parameters come first as in every trace. ``view.canonical(ref)`` gives back the id a
    quantity has in ``result``. A trace of one step is its own view of step 1.
    """
    if result.steps == 1:
        return result

    def moved(ref: Ref) -> Ref:
        return ref.at(None) if ref.step == t else ref

    quantities = tuple(
        Quantity(renamed(q.equation, moved), q.value)
        for q in result.quantities
        if q.ref.step == t or (q.ref.step is None and run_constant(q.ref))
    )
    earlier = tuple((q.ref, q.value) for q in result.quantities if q.ref.step is not None and q.ref.step < t)
    return Trace(result.spec, quantities, 1, t, earlier)


def optimizer_steps(result: Trace, step: int | None = None) -> tuple[tuple[Ref, tuple[Ref, ...]], ...]:
    """Return, for every weight and bias that a step updates, the refs of its optimizer step in order.

    Each entry is (θ, (state…, θ′)): for Adam in PyTorch's convention ``(W[2][1][1],
    (m[2][1][1], v[2][1][1], m_hat[2][1][1], v_hat[2][1][1], W'[2][1][1]))``. ``step`` picks
    one step of a trace of several. Quantities computed once per step for every parameter (the
    book's Adam step size ``eta_t``) are listed first, under the parameter None… as (``eta_t``, ()).
    """
    shown = result.spec.optimizer.strategy()
    entries: list[tuple[Ref, tuple[Ref, ...]]] = [(Ref(kind, step=step), ()) for kind in shown.per_step]
    for q in result.quantities:
        if q.ref.kind in ("W'", "b'") and q.ref.step == step and q.rule != "frozen":
            theta = Ref(q.ref.kind[0], q.ref.l, q.ref.j, q.ref.k, step=step)
            state = tuple(Ref(kind, theta.l, theta.j, theta.k, step=step) for kind in shown.shown)
            entries.append((theta, (*state, q.ref)))
    return tuple(entries)
