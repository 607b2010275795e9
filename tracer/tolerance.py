"""When a student's number counts as the true one: the one rule of ``tracer check`` and the page.

A number is right when it rounds to the true value's N decimals with one unit of slack in the
last place (``--decimals``), or lies within a relative tolerance with an absolute floor near 0
(``--rtol``). The self-test page (:mod:`tracer.documents.quiz`) carries the same rule as data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tracer.i18n import _

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
            return _("relative {rtol} (absolute {floor} near 0)").format(
                rtol=f"{self.rtol:g}", floor=f"{ABS_FLOOR:g}"
            )
        return _("{decimals} decimals (at most one unit apart in the last place)").format(
            decimals=self.decimals
        )

    def accepts(self, given: float, expected: float) -> bool:
        """Return True when ``given`` counts as ``expected`` (never for NaN or infinity)."""
        if not (math.isfinite(given) and math.isfinite(expected)):
            return False
        if self.rtol is not None:
            return abs(given - expected) <= max(self.rtol * abs(expected), ABS_FLOOR)
        scale = 10 ** (self.decimals or 0)
        return abs(round(given * scale) - round(expected * scale)) <= 1
