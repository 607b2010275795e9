"""What an LMS grades: each asked value as a number with a tolerance, by the rule of ``tracer check``.

``tracer check --decimals N`` counts an answer right when it rounds to N decimals at most one unit
from the true value rounded to N decimals (:class:`tracer.check.grading.Tolerance`). An LMS knows
one kind of rule, a value and a margin, so a blank asks for the true value rounded to N decimals
and accepts ±1.5 units of the last place: exactly the answers ``tracer check`` accepts, but at
the two edges, where it rounds half to even and the LMS takes both ends.

Canvas sets any number under 0.0001 in size to 0 (text2qti's documentation; gpoore/text2qti#51)
and keeps 4 decimals of what a student types. A blank whose margin reaches below that is asked
scaled, as 10ˢ times the quantity, with s the smallest power that clears it (:func:`canvas_scale`).
"""

from __future__ import annotations

from typing import NamedTuple

from tracer.printing import format_number

CANVAS_SMALLEST = 1e-4  # Canvas sets numbers smaller in size to 0
CANVAS_DECIMALS = 4  # Canvas keeps this many decimals of an answer typed


class Blank(NamedTuple):
    """Return-free numeric blank: its place, symbol (LaTeX), the answer and the margin as text, the
    power of ten it is asked times (0: as it is), and the true value, unscaled.
    """

    number: int
    symbol: str
    answer: str
    margin: str
    scale: int
    value: float

    @property
    def low(self) -> float:
        """Return the smallest answer accepted."""
        return float(self.answer) - float(self.margin)

    @property
    def high(self) -> float:
        """Return the largest answer accepted."""
        return float(self.answer) + float(self.margin)


def margin(decimals: int) -> float:
    """Return the margin of a blank asked to ``decimals`` places: 1.5 units of the last place.

    >>> margin(4)
    0.00015
    """
    return float(f"1.5e-{decimals}")


def blank(number: int, symbol: str, value: float, decimals: int, scale: int = 0) -> Blank:
    """Return the blank of ``value`` asked to ``decimals`` places, times 10**scale.

    >>> blank(1, "w", 0.593269992, 4)[2:5]
    ('0.5933', '0.00015', 0)
    >>> blank(1, "w", 0.000213, 4, scale=1)[2:5]
    ('0.002', '0.0015', 1)
    """
    shown = decimals - scale
    rounded = round(value * 10**decimals)  # the true value rounded to the asked decimals, in units
    answer = f"{rounded / 10**shown:.{max(shown, 0)}f}" if shown > 0 else str(rounded * 10**-shown)
    return Blank(
        number, symbol, answer, format_number(margin(decimals) * 10**scale, decimals + 2), scale, value
    )


def unscaled(value: float, decimals: int) -> int:
    """Return 0: the power of ten a blank is asked times where the LMS keeps every number (Moodle)."""
    return 0


def canvas_scale(value: float, decimals: int) -> int:
    """Return the power of ten a Canvas blank is asked times, so that Canvas keeps every asked digit
    and no accepted answer is one Canvas sets to 0.

    >>> canvas_scale(0.5933, 4), canvas_scale(0.0002, 4), canvas_scale(0.00005, 4), canvas_scale(0.5, 6)
    (0, 1, 0, 2)
    """
    scale = max(0, decimals - CANVAS_DECIMALS)
    while True:
        b = blank(0, "", value, decimals, scale)
        straddles = b.low <= 0 <= b.high
        if straddles or min(abs(b.low), abs(b.high)) >= CANVAS_SMALLEST:
            return scale
        scale += 1
