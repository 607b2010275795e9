"""Outputs of a Trace. One function per format; all maths text comes from :mod:`tracer.printing`."""

from __future__ import annotations

import json

from tracer.derive import symbol
from tracer.printing import DEFAULT_DECIMALS, MathPrinter
from tracer.trace import Trace


def render_json(trace: Trace, decimals: int = DEFAULT_DECIMALS) -> str:
    """Return the whole Trace as JSON: ``{"spec": …, "quantities": [{"id", …}, …]}``.

    Values are full float64 (JSON numbers); the LaTeX lines use ``decimals``.
    """
    printer = MathPrinter(trace.naming, decimals)
    quantities = []
    for q in trace.quantities:
        substituted = q.substituted(trace.values)
        quantities.append(
            {
                "id": q.id,
                "symbol_latex": printer.latex(symbol(q.ref)),
                "symbol_text": printer.text(symbol(q.ref)),
                "rule": q.rule,
                "formula_latex": None if q.formula is None else printer.latex(q.formula),
                "substituted_latex": None if substituted is None else printer.latex(substituted),
                "value": q.value,
                "depends_on": [str(d) for d in q.depends_on],
            }
        )
    document = {"spec": trace.spec.to_dict(), "quantities": quantities}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
