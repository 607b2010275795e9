"""tracer: step-by-step backpropagation worked examples, derived with SymPy, computed with NumPy.

Data flows one way: spec → derivation (once per shape) → evaluation → Trace → outputs.

>>> from tracer import load_spec, trace
>>> round(trace(load_spec("mazur"))["C"].value, 9)
0.298371109
"""

import sys

from tracer.spec import NetworkSpec, from_dict, load_spec
from tracer.trace import Quantity, Trace, trace

__all__ = [
    "NetworkSpec",
    "Quantity",
    "Trace",
    "changed",
    "from_dict",
    "load_spec",
    "quantity",
    "trace",
    "worked",
]


def worked(*args, **kwargs):
    """Return the worked example of a spec for a notebook to show (:func:`tracer.notebook.worked`)."""
    from tracer.notebook import worked as make  # the renderers load only when a notebook asks

    return make(*args, **kwargs)


def quantity(result: Trace, name: str) -> Quantity:
    """Return a quantity of a Trace by canonical id or notation name (:func:`tracer.notebook.quantity`)."""
    from tracer.notebook import quantity as find

    return find(result, name)


def changed(spec: NetworkSpec, values) -> NetworkSpec:
    """Return a spec with given numbers changed by id or notation name (:func:`tracer.notebook.changed`)."""
    from tracer.notebook import changed as change

    return change(spec, values)


def _show_in_ipython() -> None:
    """Register how a notebook displays tracer's results, when running inside IPython."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None and getattr(shell, "display_formatter", None) is not None:
        from tracer.notebook import register

        register(shell)


_show_in_ipython()
