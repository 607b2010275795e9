"""What makes a drawn variant a good exercise by hand: one rule per function, each saying why not.

Each rule takes a variant's spec, the values of its training step (:func:`tracer.evaluate.evaluate`)
and the decimals answers are given to, and returns None when the draw is fine or a short reason
when it is not (``"z[1][2] = 3.4: a sigmoid unit saturates"``). A rejected draw is drawn again.

* :func:`saturated_unit`: a sigmoid or tanh unit with |z| > ``SATURATION`` = 3, where the slope has
  all but vanished (σ′(3) ≈ 0.045, tanh′(3) ≈ 0.0099): the unit barely learns, and by hand the
  numbers are all 0.95s and 0.05s.
* :func:`dead_relu_layer`: a ReLU layer with no active unit (z > 0) for some sample: nothing
  flows back through it.
* :func:`relu_at_kink`: a ReLU unit whose z prints as 0, where ReLU′ jumps and the rounded z does
  not tell which side it is on.
* :func:`vanishing_gradient`: a gradient that prints as 0 at the answers' decimals although it is
  not exactly 0. Exact zeros are fine: they come from an input or inactive ReLU unit of exactly 0
  (the weight carries nothing) or an inactive ReLU unit (its slope is 0), and teach just that.
* :func:`asked_prints_as_0`: an asked value that prints as 0 at the answers' decimals although it
  is not 0 (Adam's second moment, v = 6.8·10⁻⁶, to 4 decimals): its key would be 0.0000, any
  answer near 0 would count, and the key's next step would read 0 / 0.001 = 0.0068.
* :func:`alike`: the same parameters and samples as an earlier variant.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from tracer.i18n import N_
from tracer.ids import Ref
from tracer.printing import format_number
from tracer.spec import NetworkSpec

SATURATION = 3.0
SATURATING = ("sigmoid", "tanh")

Values = Mapping[Ref, float]
Rule = Callable[[NetworkSpec, Values, int], str | None]


def _samples(spec: NetworkSpec) -> list[int | None]:
    """Return the sample suffixes of the per-sample quantities: [None] for a single sample."""
    return list(spec.sample_numbers)


def _units(spec: NetworkSpec, names: tuple[str, ...]):
    """Yield (l, j, s) for every unit of a layer whose activation is in ``names``, per sample."""
    for l, name in enumerate(spec.activations, start=1):
        if name in names:
            for s in _samples(spec):
                for j in range(1, spec.layers[l] + 1):
                    yield l, j, s


def saturated_unit(spec: NetworkSpec, values: Values, decimals: int) -> str | None:
    """Return why a draw is refused when a sigmoid or tanh unit has |z| > SATURATION, else None."""
    for l, j, s in _units(spec, SATURATING):
        z = values[Ref("z", l, j, sample=s)]
        if abs(z) > SATURATION:
            return f"{Ref('z', l, j, sample=s)} = {z:.3g}: a {spec.activations[l - 1]} unit saturates"
    return None


def dead_relu_layer(spec: NetworkSpec, values: Values, decimals: int) -> str | None:
    """Return why a draw is refused when a ReLU layer has no unit with z > 0 for a sample, else None."""
    for l, name in enumerate(spec.activations, start=1):
        if name != "relu":
            continue
        for s in _samples(spec):
            if all(values[Ref("z", l, j, sample=s)] <= 0 for j in range(1, spec.layers[l] + 1)):
                where = "" if s is None else f" for sample {s}"
                return f"ReLU layer {l} has no active unit{where}"
    return None


def relu_at_kink(spec: NetworkSpec, values: Values, decimals: int) -> str | None:
    """Return why a draw is refused when a ReLU unit's z prints as 0 (its slope is ambiguous), else None."""
    for l, j, s in _units(spec, ("relu", "leaky_relu")):
        ref = Ref("z", l, j, sample=s)
        if format_number(values[ref], decimals) == "0":
            return f"{ref} prints as 0, at the kink of ReLU"
    return None


def _exactly_zero(spec: NetworkSpec, values: Values, ref: Ref) -> bool:
    """Return True when a per-sample gradient is 0 by a reason a student sees: a factor of exactly 0.

    That is the activation the weight carries (an input of 0, an inactive ReLU unit) or the slope
    of its unit (an inactive ReLU unit).
    """
    s = ref.sample if len(spec.samples) > 1 else None
    slope = values.get(Ref("da/dz", ref.l, ref.j, sample=s))
    if slope == 0:
        return True
    return ref.kind == "dC/dW" and values[Ref("a", ref.l - 1, ref.k, sample=s)] == 0


def vanishing_gradient(spec: NetworkSpec, values: Values, decimals: int) -> str | None:
    """Return why a draw is refused when a gradient prints as 0 without being an exact 0, else None.

    For a batch, a batch gradient may be 0 only when every sample's is an exact 0.
    """
    batch = len(spec.samples) > 1
    for l in range(1, spec.depth + 1):
        for j in range(1, spec.layers[l] + 1):
            for k in (*range(1, spec.layers[l - 1] + 1), None):
                kind = "dC/db" if k is None else "dC/dW"
                ref = Ref(kind, l, j, k)
                copies = [ref.of_sample(s) for s in range(1, len(spec.samples) + 1)] if batch else [ref]
                explained = [_exactly_zero(spec, values, c) for c in copies]
                for copy, zero in zip(copies, explained, strict=True):
                    if not zero and format_number(values[copy], decimals) == "0":
                        return f"{copy} = {values[copy]:.2g} prints as 0 at {decimals} decimals"
                if batch and not all(explained) and format_number(values[ref], decimals) == "0":
                    return f"{ref} = {values[ref]:.2g} prints as 0 at {decimals} decimals"
    return None


# Rule names: keys in code, catalogue messages where a handout's index counts them.
RULES: dict[str, Rule] = {
    N_("saturated"): saturated_unit,
    N_("dead ReLU layer"): dead_relu_layer,
    N_("ReLU at its kink"): relu_at_kink,
    N_("gradient prints as 0"): vanishing_gradient,
}
ASKED_ZERO = N_("asked value prints as 0")
# The rules a draw breaks because a number prints as 0 at the answers' decimals: more decimals may mend it.
ROUNDED_AWAY = frozenset((N_("ReLU at its kink"), N_("gradient prints as 0"), ASKED_ZERO))


def asked_prints_as_0(values: Values, asked: tuple[Ref, ...], decimals: int) -> str | None:
    """Return why a draw is refused when an asked value prints as 0 without being 0, else None.

    Unlike the rules above it depends on what is asked, so :func:`rejection` does not run it.
    """
    for ref in asked:
        value = float(values[ref])
        if value != 0 and format_number(value, decimals) in ("0", "-0"):
            return f"{ref} = {value:.2g} prints as 0 at {decimals} decimals"
    return None


def numbers(spec: NetworkSpec) -> tuple:
    """Return what tells variants apart: their parameters and samples (a new η alone does not)."""
    return (spec.weights, spec.biases, spec.samples)


def alike(spec: NetworkSpec, earlier: set[tuple]) -> str | None:
    """Return why a draw is refused when an earlier variant has the same parameters and samples, else None."""
    return "the same parameters and samples as an earlier variant" if numbers(spec) in earlier else None


def rejection(spec: NetworkSpec, values: Values, decimals: int) -> tuple[str, str] | None:
    """Return the first broken rule as (name, reason), or None when the draw is a good exercise."""
    for name, rule in RULES.items():
        reason = rule(spec, values, decimals)
        if reason is not None:
            return name, reason
    return None
