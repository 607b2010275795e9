"""What a handout varies and what it asks: a spec's ``[randomize]`` table and ``ask`` list, checked.

A spec may say how ``tracer handout`` draws each student's numbers, and which quantities the
exercise asks for::

    ask = ["a[2][*]", "C", "dC/dW[1][*][*]", "W'[2][1][2]"]

    [randomize]
    weights = {low = -1.0, high = 1.0, decimals = 1, zero = false}   # ±0.1 … ±1, never 0
    biases = {low = -1.0, high = 1.0, step = 0.5}      # the multiples of 0.5: −1, −0.5, 0, 0.5, 1
    x = {low = 0.0, high = 1.0, decimals = 1}          # the inputs of every sample
    y = false                                          # the targets: keep the spec's
    learning_rate = {choices = [0.1, 0.5, 1.0]}
    optimizer = {beta1 = {choices = [0.8, 0.9]}, eps = {choices = [1e-8]}}   # hyper-parameters

Every number is drawn uniformly from its grid (or its choices), without 0 if ``zero = false``
(a weight or input of 0 drops a term from the sums); a key left out takes the
handout's default (:mod:`tracer.handout.model`), ``false`` keeps the spec's numbers, ``true`` asks for
the default range. Numbers are kept as exact fractions, so ``step = 0.25`` means exactly ¼.

An ask pattern is a canonical id (``tracer ids SPEC``) in which any index may be ``*``;
without ``#s`` it matches every sample's copy of a quantity, ``#2`` only the second sample's.
Optimizer state takes a weight's three indices or a bias's two: ``m_hat[2][*][*]``, ``v[2][1]``.
``optimizer`` draws the hyper-parameters of the spec's ``[optimizer]`` (only those it takes).
Errors name the field, e.g. ``randomize.weights.low: must be a number, got "a"``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from tracer.errors import SpecError, nearest
from tracer.i18n import _
from tracer.ids import ARITY, STATE_KINDS, Ref
from tracer.losses import loss as find_loss

KINDS = ("weights", "biases", "x", "y", "learning_rate")
MAX_DECIMALS = 6
_RULE_KEYS = ("low", "high", "decimals", "step", "choices", "zero")
_PATTERN = re.compile(r"^(?P<kind>[A-Za-z/'_]+[12]?)(?P<indices>(\[(\d+|\*)\])*)(#(?P<sample>\d+|\*))?$")


@dataclass(frozen=True)
class Draw:
    """Return-free rule for drawing one kind of number: the grid of multiples of ``step`` in
    ``[low, high]``, or one of ``choices``.

    >>> rule = Draw(Fraction(-1), Fraction(1), Fraction(1, 2))
    >>> rule.count(), rule.value(0), rule.value(4)
    (5, Fraction(-1, 1), Fraction(1, 1))
    >>> no_zero = Draw(Fraction(-1), Fraction(1), Fraction(1, 2), zero=False)
    >>> no_zero.count(), no_zero.value(1), no_zero.value(2)
    (4, Fraction(-1, 2), Fraction(1, 2))
    """

    low: Fraction = Fraction(0)
    high: Fraction = Fraction(0)
    step: Fraction = Fraction(1)
    choices: tuple[Fraction, ...] = ()
    zero: bool = True  # False: the grid without 0

    def _skips_zero(self) -> bool:
        first, last = math.ceil(self.low / self.step), math.floor(self.high / self.step)
        return not self.zero and first <= 0 <= last

    def count(self) -> int:
        """Return how many numbers this rule can draw."""
        if self.choices:
            return len(self.choices)
        grid = math.floor(self.high / self.step) - math.ceil(self.low / self.step) + 1
        return max(0, grid - self._skips_zero())

    def value(self, index: int) -> Fraction:
        """Return the number with this index, 0 ≤ index < count(): the grid from low up, or a choice."""
        if self.choices:
            return self.choices[index]
        n = math.ceil(self.low / self.step) + index
        return (n + (self._skips_zero() and n >= 0)) * self.step

    def bounds(self) -> tuple[Fraction, Fraction]:
        """Return the smallest and the largest number this rule can draw."""
        if self.choices:
            return min(self.choices), max(self.choices)
        return self.value(0), self.value(self.count() - 1)

    def to_dict(self) -> dict[str, Any]:
        """Return the rule as the TOML/JSON table it was read from (numbers as floats)."""
        if self.choices:
            return {"choices": [float(c) for c in self.choices]}
        rule = {"low": float(self.low), "high": float(self.high), "step": float(self.step)}
        return rule if self.zero else {**rule, "zero": False}


@dataclass(frozen=True)
class Randomize:
    """Return-free ``[randomize]`` table: per kind a Draw, False (keep the spec's) or None (default)."""

    weights: Draw | bool | None = None
    biases: Draw | bool | None = None
    x: Draw | bool | None = None
    y: Draw | bool | None = None
    learning_rate: Draw | bool | None = None
    optimizer: tuple[tuple[str, Draw], ...] = ()  # hyper-parameter -> its rule, in the table's order

    def to_dict(self) -> dict[str, Any]:
        """Return the table as plain data: only the kinds it names."""
        data: dict[str, Any] = {}
        for kind in KINDS:
            rule = getattr(self, kind)
            if rule is not None:
                data[kind] = rule.to_dict() if isinstance(rule, Draw) else rule
        if self.optimizer:
            data["optimizer"] = {key: rule.to_dict() for key, rule in self.optimizer}
        return data


@dataclass(frozen=True)
class Pattern:
    """Return-free ask pattern: a kind, its indices (None for ``*``), a sample (None: any sample).

    >>> p = parse_pattern("dC/dW[1][*][2]", "ask[1]")
    >>> p.matches(Ref("dC/dW", 1, 3, 2)), p.matches(Ref("dC/dW", 1, 3, 1, sample=2))
    (True, False)
    """

    text: str
    kind: str
    indices: tuple[int | None, ...]
    sample: int | None

    def matches(self, ref: Ref) -> bool:
        """Return True when ``ref`` is one of the quantities this pattern names."""
        if ref.kind != self.kind or (self.sample is not None and ref.sample != self.sample):
            return False
        if len(ref.indices) != len(self.indices):  # optimizer state of a weight or of a bias
            return False
        return all(want is None or want == have for want, have in zip(self.indices, ref.indices, strict=True))


def parse_randomize(
    value: Any, loss_name: str, output: str, hyper: Callable[[str, Any, str], float] | None = None
) -> Randomize | None:
    """Return the checked ``[randomize]`` table (None when absent); SpecError naming the field.

    ``loss_name`` and ``output`` (the last activation) decide which targets may be drawn;
    ``hyper(key, value, field)`` checks one hyper-parameter of the spec's optimizer (SpecError
    for a key it does not take or a value out of range): each rule's bounds must pass it.
    """
    if value is None:
        return None
    if not isinstance(value, dict):
        raise SpecError("randomize", f"must be a table of {', '.join(KINDS)}, e.g. [randomize]")
    rules: dict[str, Any] = {}
    for kind, rule in value.items():
        field = f"randomize.{kind}"
        if kind == "optimizer":
            rules[kind] = _hyper_rules(rule, field, hyper)
            continue
        if kind not in KINDS:
            raise SpecError(field, f"unknown key; {nearest(kind, (*KINDS, 'optimizer'))}")
        rules[kind] = rule if isinstance(rule, bool) else _draw(rule, field, positive=kind == "learning_rate")
    _check_targets(rules.get("y"), loss_name, output)
    return Randomize(**rules)


def _hyper_rules(value: Any, field: str, hyper: Callable[[str, Any, str], float] | None) -> tuple:
    """Return (key, Draw) per hyper-parameter of ``randomize.optimizer``, each bound a valid value."""
    if not isinstance(value, dict) or not value:
        example = "{beta1 = {choices = [0.8, 0.9]}}"
        raise SpecError(
            field, _("must be a table of hyper-parameters, e.g. {example}").format(example=example)
        )
    rules = []
    for key, rule in value.items():
        draw = _draw(rule, f"{field}.{key}", positive=False)
        for bound in draw.bounds():
            if hyper is not None:
                hyper(key, float(bound), f"{field}.{key}")
        rules.append((key, draw))
    return tuple(rules)


def _draw(value: Any, field: str, positive: bool) -> Draw:
    """Return one checked rule: ``{low, high, decimals}``, ``{low, high, step}`` or ``{choices}``."""
    how = "give {low = …, high = …, decimals = …} or {low, high, step} or {choices = [...]}, or false"
    if not isinstance(value, dict):
        raise SpecError(field, f"must be a table: {how}")
    for key in value:
        if key not in _RULE_KEYS:
            raise SpecError(f"{field}.{key}", f"unknown key; {nearest(key, _RULE_KEYS)}")
    if "choices" in value:
        if set(value) != {"choices"}:
            raise SpecError(field, "give choices alone, or low and high; not both")
        choices = value["choices"]
        if not isinstance(choices, list) or not choices:
            raise SpecError(f"{field}.choices", "must be a non-empty list of numbers")
        numbers = tuple(_fraction(c, f"{field}.choices[{i}]") for i, c in enumerate(choices, start=1))
        if positive and min(numbers) <= 0:
            raise SpecError(f"{field}.choices", f"must all be greater than 0, got {float(min(numbers)):g}")
        return Draw(choices=numbers)
    if "low" not in value or "high" not in value:
        raise SpecError(field, how)
    low, high = _fraction(value["low"], f"{field}.low"), _fraction(value["high"], f"{field}.high")
    if low > high:
        raise SpecError(field, f"low must not be above high, got [{float(low):g}, {float(high):g}]")
    if positive and low <= 0:
        raise SpecError(f"{field}.low", f"must be greater than 0, got {float(low):g}")
    if "step" in value and "decimals" in value:
        raise SpecError(field, "give decimals or step, not both")
    if "step" in value:
        step = _fraction(value["step"], f"{field}.step")
        if step <= 0:
            raise SpecError(f"{field}.step", f"must be greater than 0, got {float(step):g}")
    else:
        decimals = value.get("decimals", 1)
        if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= MAX_DECIMALS:
            raise SpecError(
                f"{field}.decimals", f"must be a whole number from 0 to {MAX_DECIMALS}, got {decimals!r}"
            )
        step = Fraction(1, 10**decimals)
    zero = value.get("zero", True)
    if not isinstance(zero, bool):
        raise SpecError(f"{field}.zero", f"must be true or false, got {zero!r}")
    rule = Draw(low, high, step, zero=zero)
    if not rule.count():
        what = "no multiple" if zero else "no multiple other than 0"
        raise SpecError(field, f"{what} of {float(step):g} lies in [{float(low):g}, {float(high):g}]")
    return rule


def _fraction(value: Any, field: str) -> Fraction:
    """Return a TOML number as the exact decimal it was written as (0.1 is 1/10, not the float)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SpecError(field, f"must be a number, got {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise SpecError(field, f"must be a finite number, got {value!r}")
    return Fraction(value) if isinstance(value, int) else Fraction(repr(value))


def _check_targets(rule: Draw | bool | None, loss_name: str, output: str) -> None:
    """Refuse drawn targets that the loss cannot take (log losses need [0, 1], softmax one-hot)."""
    if not isinstance(rule, Draw) or not find_loss(loss_name).uses_log:
        return
    if output == "softmax":
        raise SpecError(
            "randomize.y", "softmax with cross-entropy needs targets that add up to 1; keep them (y = false)"
        )
    low, high = rule.bounds()
    if low < 0 or high > 1:
        raise SpecError("randomize.y", f"{loss_name} needs targets in [0, 1]")


def parse_ask(value: Any, field: str = "ask") -> tuple[str, ...]:
    """Return the checked ask patterns, e.g. ``("a[2][*]", "C")``; SpecError naming the bad one.

    ``value`` is the spec's list, or the command line's comma-separated text.
    """
    if isinstance(value, str):
        value = [p.strip() for p in value.split(",") if p.strip()]
    if not isinstance(value, list) or not value:
        raise SpecError(field, 'give a list of quantity ids, * for any index, e.g. ["a[2][*]", "C"]')
    for i, text in enumerate(value, start=1):
        where = f"{field}[{i}]" if field == "ask" else field
        if not isinstance(text, str):
            raise SpecError(where, f"must be a quantity id in quotes, got {text!r}")
        parse_pattern(text, where)
    return tuple(value)


def parse_pattern(text: str, field: str) -> Pattern:
    """Return the pattern a text names; SpecError if it is not a canonical id with ``*`` allowed."""
    match = _PATTERN.match(text.replace(" ", ""))
    example = 'a canonical id as `tracer ids SPEC` lists it, * for any index, e.g. "dC/dW[2][*][*]"'
    if not match:
        raise SpecError(field, f'"{text}" is not a quantity id; write {example}')
    kind = match["kind"]
    indices = tuple(None if i == "*" else int(i) for i in re.findall(r"\d+|\*", match["indices"] or ""))
    if kind == "C" and len(indices) == 1:
        kind = "C_term"
    if kind not in ARITY and kind not in STATE_KINDS:
        known = [k for k in (*ARITY, *STATE_KINDS) if k != "C_term"]
        raise SpecError(field, f'"{text}": no quantity is called "{kind}"; {nearest(kind, known)}')
    if kind in STATE_KINDS:
        if len(indices) not in (2, 3):
            message = _("\"{text}\": {kind} takes 3 indices (a weight's) or 2 (a bias's)")
            raise SpecError(field, message.format(text=text, kind=kind))
    elif ARITY[kind] != len(indices):
        raise SpecError(field, f'"{text}": {match["kind"]} takes {ARITY[kind]} indices, got {len(indices)}')
    sample = match["sample"]
    return Pattern(text, kind, indices, None if sample in (None, "*") else int(sample))
