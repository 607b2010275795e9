"""Handouts: one exercise per student, each with its own numbers, and the matching answer keys.

The model, read-only. From a spec (its ``[randomize]`` table and ``ask`` list,
:mod:`tracer.randomize`) and a seed, :func:`make_handout` draws variant 1, 2, … in turn.
Draw ``attempt`` of variant k uses a generator seeded from (seed, k, attempt) alone, and a draw
that makes a poor exercise by hand (:mod:`tracer.handout.rules`) or repeats an earlier variant is
drawn again; so variant k depends only on the spec, the seed and the variants before it, and
``--variant k`` gives it again.

The network's derivation is done once per shape (:func:`tracer.derive.derive` is cached): every
variant has the same shape, so only the numbers are new. Rendering is in :mod:`tracer.handout.render`.

Defaults when the spec says nothing: weights and biases vary in [−1, 1] and inputs in [0, 1], with
one decimal, weights and inputs never 0; targets and the learning rate stay. With ``exact`` (ReLU
or identity activations, the quadratic or squared-error loss) weights and biases are halves in
[−1, 1], inputs 1 or 2 and the learning rate ¼ or ½, so every value is a short exact fraction.
"""

from __future__ import annotations

import dataclasses
import difflib
import shlex
from collections.abc import Callable
from fractions import Fraction
from typing import NamedTuple

import numpy as np

from tracer.derive import GIVEN, derive
from tracer.errors import SpecError, UsageError
from tracer.evaluate import evaluate
from tracer.exact import check_exact, exact_trace
from tracer.handout import DEFAULT_DECIMALS
from tracer.handout.rules import ASKED_ZERO, ROUNDED_AWAY, alike, asked_prints_as_0, numbers, rejection
from tracer.i18n import N_, _
from tracer.ids import Ref
from tracer.randomize import KINDS, Draw, Pattern, Randomize, parse_ask, parse_pattern
from tracer.spec import NetworkSpec, Sample
from tracer.trace import Trace, trace

MAX_ATTEMPTS = 2000
HOPELESS_AFTER = 100  # draws of the first variant, none good: the ranges cannot work


def _grid(low: str, high: str, step: str, zero: bool = True) -> Draw:
    return Draw(Fraction(low), Fraction(high), Fraction(step), zero=zero)


# A weight or an input of 0 drops a term from its sum and makes its gradients trivially 0, so the
# defaults leave 0 out of them; a bias of 0 is an ordinary number.
DEFAULTS: dict[str, Draw | None] = {
    "weights": _grid("-1", "1", "0.1", zero=False),
    "biases": _grid("-1", "1", "0.1"),
    "x": _grid("0", "1", "0.1", zero=False),
    "y": None,
    "learning_rate": None,
}
EXACT_DEFAULTS: dict[str, Draw | None] = {
    "weights": _grid("-1", "1", "0.5", zero=False),
    "biases": _grid("-1", "1", "0.5"),
    "x": _grid("0", "2", "1", zero=False),
    "y": None,
    "learning_rate": Draw(choices=(Fraction(1, 4), Fraction(1, 2))),
}


# What ``true`` draws for a kind the defaults keep.
DEFAULTS_ON = {"y": _grid("0", "1", "0.1"), "learning_rate": Draw(choices=(Fraction(1, 10), Fraction(1, 2)))}


class Variant(NamedTuple):
    """Return-free variant of a handout: its number, code, spec, traced step and rejected draws.

    ``trace`` has exact Rational values in an exact handout, floats otherwise; ``rejected`` gives
    each rejected draw's rule name, in order.
    """

    number: int
    code: str
    command: str
    spec: NetworkSpec
    trace: Trace
    rejected: tuple[str, ...]


class Request(NamedTuple):
    """Return-free handout request as the command line gives it: ``source`` is SPEC_OR_PRESET as
    written, ``count`` the variants of the handout, ``only`` the one variant to make (None: all).
    """

    source: str
    count: int
    seed: int = 0
    only: int | None = None
    exact: bool = False
    decimals: int = DEFAULT_DECIMALS
    ask: str | None = None
    format: str = "md"
    notation: str | None = None
    hand_in: str = "paper"
    lms: tuple[str, ...] = ()

    def command(self, variant: int | None = None) -> str:
        """Return the command that makes this handout, or with ``variant`` that variant alone.

        >>> Request("mazur", 30, 42).command(3)
        'tracer handout mazur --seed 42 --variant 3 -o DIR'
        """
        words = ["tracer", "handout", shlex.quote(self.source)]
        if variant is None:
            words += ["--variants", str(self.count)]
        words += ["--seed", str(self.seed)]
        if variant is not None:
            words += ["--variant", str(variant)]
        if self.notation is not None:
            words += ["--notation", self.notation]
        if self.exact:
            words.append("--exact")
        if self.decimals != DEFAULT_DECIMALS:
            words += ["--decimals", str(self.decimals)]
        if self.ask is not None:
            words += ["--ask", shlex.quote(self.ask)]
        if self.format != "md":
            words += ["--format", self.format]
        if self.hand_in != "paper":
            words += ["--hand-in", self.hand_in]
        for lms in self.lms if variant is None else ():  # one variant alone writes no LMS file
            words += ["--lms", lms]
        return " ".join([*words, "-o", "DIR"])


class Handout(NamedTuple):
    """Return-free handout: the base spec, the request, the rules, the asked quantities, the variants."""

    spec: NetworkSpec
    request: Request
    rules: dict[str, Draw | None]
    patterns: tuple[str, ...]
    asked: tuple[Ref, ...]
    variants: tuple[Variant, ...]

    @property
    def rejected(self) -> int:
        """Return the number of draws rejected for all the variants made."""
        return sum(len(v.rejected) for v in self.variants)

    def rejected_by_rule(self) -> dict[str, int]:
        """Return how many draws each rule rejected, most first (ties by name)."""
        counts: dict[str, int] = {}
        for v in self.variants:
            for name in v.rejected:
                counts[name] = counts.get(name, 0) + 1
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def code(seed: int, k: int) -> str:
    """Return the short code printed on variant k's sheet, e.g. ``S42-V3``."""
    return f"S{seed}-V{k}"


def rules(spec: NetworkSpec, exact: bool) -> dict[str, Draw | None]:
    """Return, per kind of number, the rule it is drawn by, or None to keep the spec's numbers.

    The spec's ``[randomize]`` entries win over the defaults (``false`` keeps, ``true`` is the default).
    """
    defaults = EXACT_DEFAULTS if exact else DEFAULTS
    table = spec.randomize or Randomize()
    chosen: dict[str, Draw | None] = {}
    for kind in KINDS:
        entry = getattr(table, kind)
        if entry is None:
            chosen[kind] = defaults[kind]
        elif entry is True:
            chosen[kind] = defaults[kind] or DEFAULTS_ON[kind]
        else:
            chosen[kind] = None if entry is False else entry
    return chosen


def draw_spec(base: NetworkSpec, chosen: dict[str, Draw | None], rng: np.random.Generator) -> NetworkSpec:
    """Return ``base`` with new numbers from ``rng``: W, b layer by layer, then x, y per sample, then η.

    Kinds whose rule is None keep the base spec's numbers; nothing else changes.
    """

    def draw(kind: str, kept: float) -> float:
        """Return a new number of this kind, or ``kept`` when the kind is kept."""
        rule = chosen[kind]
        return kept if rule is None else float(rule.value(int(rng.integers(rule.count()))))

    weights = tuple(tuple(tuple(draw("weights", w) for w in row) for row in W) for W in base.weights)
    biases = tuple(tuple(draw("biases", b) for b in bs) for bs in base.biases)
    samples = tuple(
        Sample(tuple(draw("x", v) for v in s.x), tuple(draw("y", v) for v in s.y)) for s in base.samples
    )
    rate = draw("learning_rate", base.learning_rate)
    # the optimizer's hyper-parameters last, so that a spec without them draws as before
    table = () if base.randomize is None else base.randomize.optimizer
    hyper = dict(base.optimizer.hyper)
    for key, rule in table:
        hyper[key] = float(rule.value(int(rng.integers(rule.count()))))
    optimizer = dataclasses.replace(base.optimizer, hyper=tuple(hyper.items()))
    return dataclasses.replace(
        base,
        weights=weights,
        biases=biases,
        samples=samples,
        learning_rate=rate,
        randomize=None,
        ask=(),
        optimizer=optimizer,
        # A source's printed numbers belong to its own numbers, not to a variant's.
        published=(),
        published_by="",
    )


def _judge(spec: NetworkSpec, decimals: int, earlier: set[tuple], asked: tuple[Ref, ...]) -> str | None:
    """Return the name of the rule a draw breaks, or None for a good exercise."""
    try:
        values = evaluate(spec)
    except SpecError:
        return N_("overflow")
    broken = rejection(spec, values, decimals)
    if broken is not None:
        return broken[0]
    if asked_prints_as_0(values, asked, decimals) is not None:
        return ASKED_ZERO
    return None if alike(spec, earlier) is None else N_("alike")


def draw_variant(
    base: NetworkSpec,
    chosen: dict[str, Draw | None],
    seed: int,
    k: int,
    decimals: int,
    earlier: set[tuple],
    tell: Callable[[int], None] | None = None,
    asked: tuple[Ref, ...] = (),
) -> tuple[NetworkSpec, tuple[str, ...]]:
    """Return variant k's spec and the rule names of the draws rejected before it (``asked``: the
    quantities the sheet asks, none of which may print as 0 without being 0).

    Draw ``attempt`` uses ``np.random.default_rng([seed, k, attempt])``: the same inputs give the
    same variant on any machine. ``tell(attempt)`` hears of each draw. The first variant gives
    up after :data:`HOPELESS_AFTER` draws without a good one: then 2000 would not do either.
    """
    rejected: list[str] = []
    for attempt in range(MAX_ATTEMPTS):
        if tell is not None:
            tell(attempt)
        spec = draw_spec(base, chosen, np.random.default_rng([seed, k, attempt]))
        broken = _judge(spec, decimals, earlier, asked)
        if broken is None:
            return spec, tuple(rejected)
        rejected.append(broken)
        if attempt + 1 == HOPELESS_AFTER and k == 1:
            break  # not one good draw in a hundred: the ranges cannot give exercises
    worst = max(sorted(set(rejected)), key=rejected.count)
    if worst in ROUNDED_AWAY:  # a number that prints as 0: more decimals may be all it takes
        message = _(
            "variant {k}: no good exercise in {draws} draws, mostly rejected as {worst} at {decimals} "
            "decimals; ask for more (--decimals) or change the ranges in [randomize]"
        )
    else:
        message = _(
            "variant {k}: no good exercise in {draws} draws, mostly rejected as {worst}; "
            "change the ranges in [randomize]"
        )
    shown = message.format(k=k, draws=len(rejected), worst=_(worst), decimals=decimals)
    raise SpecError("randomize", shown)


def resolve_ask(patterns: tuple[str, ...], shape_spec: NetworkSpec, field: str = "ask") -> tuple[Ref, ...]:
    """Return the computed quantities the patterns name, in the worked example's order.

    A pattern that names nothing computed is an error naming it and the nearest id.
    """
    equations = derive(shape_spec.shape)
    computed = [eq.ref for eq in equations if eq.rule != GIVEN]
    given = {eq.ref for eq in equations if eq.rule == GIVEN}
    compiled: list[Pattern] = [parse_pattern(p, field) for p in patterns]
    for pattern in compiled:
        if not any(pattern.matches(ref) for ref in computed):
            if any(pattern.matches(ref) for ref in given):
                raise SpecError(
                    field,
                    _('"{text}" names only given numbers; ask for computed ones').format(text=pattern.text),
                )
            ids = [str(ref) for ref in computed]
            near = difflib.get_close_matches(pattern.text.replace("*", "1"), ids, n=1, cutoff=0.0)
            listed = _("{command} lists the names").format(command="`tracer ids SPEC`")
            hint = _('did you mean "{name}"?').format(name=near[0]) + f" ({listed})" if near else listed
            raise SpecError(
                field,
                _('"{text}" matches no quantity of this network; {hint}').format(
                    text=pattern.text, hint=hint
                ),
            )
    return tuple(ref for ref in computed if any(p.matches(ref) for p in compiled))


def default_ask(spec: NetworkSpec) -> tuple[str, ...]:
    """Return what an exercise asks by default: every z and a, C, the output layer's gradients and,
    with a hidden layer, the first weight's gradient and update of the first layer.

    >>> from tracer import load_spec
    >>> default_ask(load_spec("mazur"))
    ('z[*][*]', 'a[*][*]', 'C', 'dC/dW[2][*][*]', 'dC/db[2][*]', 'dC/dW[1][1][1]', "W'[1][1][1]")
    """
    L = spec.depth
    asked = ("z[*][*]", "a[*][*]", "C", f"dC/dW[{L}][*][*]", f"dC/db[{L}][*]")
    return (*asked, "dC/dW[1][1][1]", "W'[1][1][1]") if L > 1 else asked


def make_handout(
    spec: NetworkSpec, request: Request, progress: Callable[[int, int, int], None] | None = None
) -> Handout:
    """Return the handout ``request`` asks for (every variant, or only ``request.only``), traced.

    ``request.ask`` (the command line's patterns) wins over the spec's ``ask``, which wins over
    :func:`default_ask`. ``progress(variant, variants, draws)`` hears of every draw, and of
    variant ``variants + 1`` when all are drawn.
    """
    if request.exact:
        check_exact(spec)
    if request.seed < 0:
        raise UsageError("--seed", _("must be a whole number ≥ 0, got {value}").format(value=request.seed))
    last = request.only if request.only is not None else request.count
    if last < 1:
        field = "--variant" if request.only is not None else "--variants"
        raise UsageError(field, _("must be at least 1, got {value}").format(value=last))
    if request.ask is not None:
        patterns, field = parse_ask(request.ask, "--ask"), "--ask"
    else:
        patterns, field = spec.ask or default_ask(spec), "ask"
    asked = resolve_ask(patterns, spec, field)
    chosen = rules(spec, request.exact)
    if last > 1 and all(chosen[kind] is None for kind in ("weights", "biases", "x", "y")):
        message = _(
            "nothing that tells variants apart is drawn (weights, biases, x, y), so every variant "
            "would be the same exercise; let one of them vary, or make one variant (--variants 1)"
        )
        raise SpecError("randomize", message)
    earlier: set[tuple] = set()
    variants = []
    draws = 0

    def tell(attempt: int) -> None:
        if progress is not None:
            progress(k, last, draws + attempt + 1)

    for k in range(1, last + 1):
        drawn, rejected = draw_variant(spec, chosen, request.seed, k, request.decimals, earlier, tell, asked)
        draws += len(rejected) + 1
        earlier.add(numbers(drawn))
        if request.only is not None and k != request.only:
            continue
        drawn = dataclasses.replace(drawn, description=_description(spec, request, k))
        traced = exact_trace(drawn) if request.exact else trace(drawn)
        variants.append(Variant(k, code(request.seed, k), request.command(k), drawn, traced, rejected))
    if progress is not None:
        progress(last + 1, last, draws)
    return Handout(spec, request, chosen, patterns, asked, tuple(variants))


def _description(base: NetworkSpec, request: Request, k: int) -> str:
    """Return a variant spec's description: which handout and variant it is."""
    return (
        f"Variant {k} ({code(request.seed, k)}) of a handout made by `{request.command(k)}`: "
        f"the network of “{base.title}” with new numbers."
    )
