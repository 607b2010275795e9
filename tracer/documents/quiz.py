"""What a page needs to mark a student's numbers as ``tracer check`` does, as data.

The rule of :mod:`tracer.check.grading` (correct within the tolerance, else carried forward when
the step done right from the student's own numbers gives their number, else wrong) needs, per
quantity of the Trace: its true value, whether the spec gives it, what it depends on, and its
formula as a function of those numbers. The formula is the Trace's own (``Equation.meaning``),
printed as JavaScript by SymPy's code printer, so the page evaluates the same maths; the cost after
the update, a whole forward pass, is printed as the forward pass's equations one after another.

>>> from tracer import load_spec, trace
>>> data = quiz_data(trace(load_spec("mazur")))
>>> data["decimals"], data["quantities"][17]["id"], data["quantities"][17]["js"]
(4, 'z[1][1]', 'return v["W[1][1][1]"]*v["a[0][1]"] + v["W[1][1][2]"]*v["a[0][2]"] + v["b[1][1]"];')
"""

from __future__ import annotations

import json
from typing import Any

import sympy as sp
from sympy.printing.jscode import JavascriptCodePrinter

from tracer.derive import AFTER, BATCH_MEAN, FORWARD_A, FORWARD_Z, LOSS_SUM, LOSS_TERM, symbol
from tracer.ids import Ref
from tracer.printing import MathPrinter
from tracer.tolerance import Tolerance
from tracer.trace import Trace

# The equations a forward pass consists of: recomputed with the updated parameters for C′.
FORWARD_RULES = frozenset({FORWARD_Z, FORWARD_A, LOSS_TERM, LOSS_SUM, BATCH_MEAN})
UPDATED = {"W": "W'", "b": "b'"}


class ValuesPrinter(JavascriptCodePrinter):
    """Return-free JavaScript printer whose canonical symbols read a lookup, ``v["a[1][1]"]``."""

    def __init__(self, lookup: str = "v") -> None:
        super().__init__({"strict": False})
        self.lookup = lookup

    def _print_Symbol(self, expr: sp.Symbol) -> str:
        return f"{self.lookup}[{json.dumps(expr.name)}]"


def _javascript(expr: sp.Expr, lookup: str = "v") -> str:
    return ValuesPrinter(lookup).doprint(expr)


def function_body(trace: Trace, ref: Ref) -> str | None:
    """Return a JavaScript function body of ``v`` (numbers by canonical id) giving the quantity.

    None for a given number. ``C'`` repeats the forward pass with ``W'`` and ``b'`` in place of
    ``W`` and ``b`` on a copy ``u`` of the numbers (in a trace of several steps, ``C'@t`` the forward
    pass of step t with ``W'@t`` and ``b'@t``).
    """
    q = trace[ref]
    if q.given:
        return None
    if q.rule != AFTER:
        return f"return {_javascript(q.equation.meaning)};"
    step = ref.step  # in a trace of several steps: the forward pass of the same step
    of_step = [other for other in trace.quantities if other.ref.step == step]
    updated = {
        symbol(other.ref): symbol(
            Ref(UPDATED[other.ref.kind], other.ref.l, other.ref.j, other.ref.k, step=step)
        )
        for other in of_step
        if other.ref.kind in UPDATED
    }
    lines = ["const u = Object.assign({}, v);"]
    for other in of_step:
        if other.rule in FORWARD_RULES:
            meaning = other.equation.meaning.xreplace(updated)
            lines.append(f"u[{json.dumps(other.id)}] = {_javascript(meaning, 'u')};")
    lines.append(f"return u[{json.dumps(str(Ref('C', step=step)))}];")
    return "\n".join(lines)


def quiz_data(trace: Trace, tolerance: Tolerance | None = None) -> dict[str, Any]:
    """Return the data a self-test page marks answers with: the tolerance and every quantity.

    Each quantity has ``id``, ``value`` (float), ``given``, ``depends_on`` (ids), ``js`` (from
    :func:`function_body`) and ``symbol`` (LaTeX, to name the first wrong step), in the Trace's order.
    """
    tolerance = tolerance or Tolerance()
    printer = MathPrinter(trace.naming)
    quantities = [
        {
            "id": q.id,
            "value": float(q.value),
            "given": q.given,
            "depends_on": [str(d) for d in q.depends_on],
            "js": function_body(trace, q.ref),
            "symbol": printer.latex(symbol(q.ref)),
        }
        for q in trace.quantities
    ]
    return {"decimals": tolerance.decimals, "rtol": tolerance.rtol, "quantities": quantities}
