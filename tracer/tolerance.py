"""The rule for "the same number" that marks an answer: shared by ``tracer check`` and the page.

:mod:`tracer.check.grading` marks answer files with it; the HTML page's self-test carries its
numbers (decimals, relative tolerance, the absolute floor) and applies the same comparison.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

DEFAULT_DECIMALS = 4
ABS_FLOOR = 1e-9


@dataclass(frozen=True)
class Tolerance:
    """Return-free rule for "the same number": ``decimals`` places, or ``rtol`` relative.

    >>> Tolerance(decimals=4).accepts(0.5932, 0.593269992), Tolerance(decimals=4).accepts(0.5931, 0.59327)
    (True, False)
    >>> Tolerance(decimals=None, rtol=1e-3).accepts(1.1065, 1.105906)
    True
    """

    decimals: int | None = DEFAULT_DECIMALS
    rtol: float | None = None

    @property
    def text(self) -> str:
        """Return the rule in words, e.g. ``4 decimals (at most one unit apart in the last place)``."""
        if self.rtol is not None:
            return f"relative {self.rtol:g} (absolute {ABS_FLOOR:g} near 0)"
        return f"{self.decimals} decimals (at most one unit apart in the last place)"

    def accepts(self, given: float, expected: float) -> bool:
        """Return True when ``given`` counts as ``expected`` (never for NaN or infinity)."""
        if not (math.isfinite(given) and math.isfinite(expected)):
            return False
        if self.rtol is not None:
            return abs(given - expected) <= max(self.rtol * abs(expected), ABS_FLOOR)
        scale = 10 ** (self.decimals or 0)
        return abs(round(given * scale) - round(expected * scale)) <= 1
