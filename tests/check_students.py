"""Students for the ``tracer check`` tests: answers worked out step by step from their own numbers.

Written independently of :mod:`tracer.check.grading`: a student walks the worked example in order, puts
their own earlier numbers into each step's formula (``Quantity.recompute``), may slip at some
steps, and may round every value they write down.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from tracer.evaluate import cost_after_update
from tracer.ids import Ref
from tracer.trace import Trace


def work(
    result: Trace,
    slips: Mapping[str, float] | None = None,
    decimals: int | None = None,
) -> dict[Ref, float]:
    """Return every value a student writes: each step from their numbers, ``slips`` added on top.

    ``slips`` maps canonical ids to what the student gets wrong at that step (added to the right
    value from their numbers); ``decimals`` rounds every computed value before it is used again.
    """
    slips = dict(slips or {})
    values: dict[Ref, float] = {}
    for q in result.quantities:
        if q.given:
            value = q.value
        elif q.ref.kind == "C'":
            value = cost_after(result, values)
        else:
            value = q.recompute(values)
        if decimals is not None and not q.given:
            value = round(value, decimals)
        value += slips.pop(q.id, 0.0)
        values[q.ref] = value
    assert not slips, f"unknown ids {list(slips)}"
    return values


def cost_after(result: Trace, values: Mapping[Ref, float]) -> float:
    """Return the cost of a forward pass with the W' and b' in ``values``."""
    return cost_after_update(result.spec, values)


def computed(result: Trace, values: Mapping[Ref, float], names: str = "id") -> dict[str, float]:
    """Return the answers to every computed quantity, keyed by canonical id or notation name."""
    return {
        (q.id if names == "id" else result.naming.name(q.ref)): values[q.ref]
        for q in result.quantities
        if not q.given
    }


def toml(answers: Mapping[str, float]) -> str:
    """Return an answer file: one ``"name" = number`` line per answer."""
    return "".join(f'"{name}" = {value!r}\n' for name, value in answers.items())


def write(folder: Path, name: str, answers: Mapping[str, float]) -> Path:
    """Return the path of a new answer file ``folder/name`` holding ``answers``."""
    path = folder / name
    path.write_text(toml(answers), encoding="utf-8")
    return path
