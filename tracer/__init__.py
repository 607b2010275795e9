"""tracer: step-by-step backpropagation worked examples, derived with SymPy, computed with NumPy.

Data flows one way: spec → derivation (once per shape) → evaluation → Trace → outputs.

>>> from tracer import load_spec, trace
>>> round(trace(load_spec("mazur"))["C"].value, 9)
0.298371109
"""

from tracer.spec import NetworkSpec, load_spec
from tracer.trace import Quantity, Trace, trace

__all__ = ["NetworkSpec", "Quantity", "Trace", "load_spec", "trace"]
