"""The Training: many steps of descent, one run per optimizer and learning rate, as a read-only model.

Every output of ``tracer train`` (terminal, Markdown, JSON, the plots) reads this model and
computes nothing itself: the table rows, the verdicts, the predictions and the picture of the
descent are all here. Step 1 of a full-batch run is the worked example :func:`tracer.trace`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from tracer.errors import UsageError
from tracer.evaluate import Network
from tracer.i18n import _
from tracer.ids import Ref
from tracer.optimizers import OptimizerSpec
from tracer.spec import NetworkSpec
from tracer.train.descent import History, Progress, batch_order, data, descend
from tracer.train.landscape import Landscape, default_watch, landscape
from tracer.train.verdict import CONVERGED, Verdict, classify

ALL_ROWS = 20  # runs of up to this many steps show every step in the table
SATURATION = 8.0  # |z| from which a sigmoid's slope is below 3.4·10⁻⁴ (tanh's below 4.5·10⁻⁷)
CLEARLY = 0.05  # a run settled clearly higher than another: by 5 % of its starting loss or more


@dataclass(frozen=True)
class Row:
    """Return-free row of a run's table: the cost, ‖∇C‖ and the watched parameters after ``step`` steps."""

    step: int
    loss: float
    gradient_norm: float
    watched: tuple[float, ...]


@dataclass(frozen=True)
class Prediction:
    """Return-free output of the trained network for one sample.

    ``rounded`` and ``correct`` are None unless the network is a classifier (0/1 targets and a
    sigmoid or softmax output): then ``rounded`` is the class it picks, as 0s and 1s.
    """

    x: tuple[float, ...]
    y: tuple[float, ...]
    a: tuple[float, ...]
    rounded: tuple[int, ...] | None
    correct: bool | None


@dataclass(frozen=True)
class Parameter:
    """Return-free weight or bias: its value at the start and after the run."""

    ref: Ref
    start: float
    end: float


@dataclass(frozen=True, eq=False)
class Run:
    """Return-free run of gradient descent with one learning rate, and what became of it.

    ``lower`` is set on a converged run that settled higher than another run with another rate:
    that other run (the lecture's local minimum, seen from the outside).
    """

    rate: float
    history: History
    verdict: Verdict
    rows: tuple[Row, ...]
    parameters: tuple[Parameter, ...]
    predictions: tuple[Prediction, ...]
    lower: Run | None = None
    label: str = ""  # the optimizer's label when a training compares optimizers, else ""

    @property
    def optimizer(self) -> OptimizerSpec:
        """Return the optimizer that took this run's steps, with every hyper-parameter."""
        return self.history.optimizer

    @property
    def all_correct(self) -> bool | None:
        """Return True when a classifier gets every sample right (None if it is not a classifier)."""
        marks = [p.correct for p in self.predictions]
        return None if None in marks else all(marks)


@dataclass(frozen=True, eq=False)
class Training:
    """Return-free result of ``tracer train``: the settings, one Run per learning rate, the picture.

    ``source`` is the preset or file the spec came from; ``batch`` the samples per step (None:
    all of them, the averaged cost); ``seed`` shuffles the samples every epoch when set.
    """

    spec: NetworkSpec
    source: str
    steps: int
    batch: int | None
    seed: int | None
    watch: tuple[Ref, ...]
    runs: tuple[Run, ...]
    landscape: Landscape

    @property
    def samples(self) -> int:
        """Return n, the number of training samples."""
        return len(self.spec.samples)

    @property
    def epoch(self) -> int:
        """Return the steps in one epoch: 1 for the full batch, ⌈n/k⌉ for batches of k."""
        return 1 if self.batch is None else math.ceil(self.samples / self.batch)

    @property
    def worked_example(self) -> bool:
        """Return True when step 1 with the spec's own rate is exactly ``tracer trace SOURCE``."""
        return self.batch is None

    @cached_property
    def log_scale(self) -> bool:
        """Return True when the losses span two decades or more: then loss plots use a log scale."""
        losses = np.concatenate([r.history.losses for r in self.runs])
        shown = losses[np.isfinite(losses) & (losses > 0)]
        return bool(shown.size) and float(shown.max()) >= 100 * float(shown.min())

    @property
    def classifier(self) -> bool:
        """Return True when the network is a classifier: its predictions are rounded to classes."""
        return is_classifier(self.spec)

    @property
    def optimizers(self) -> tuple[OptimizerSpec, ...]:
        """Return the optimizers of the runs, each once, in the order of the runs."""
        return tuple(dict.fromkeys(r.optimizer for r in self.runs))

    @property
    def names_optimizers(self) -> bool:
        """Return True when the runs are named by their optimizer: several, or one other than gd."""
        return self.optimizers != (OptimizerSpec(),)


def table_steps(steps: int) -> tuple[int, ...]:
    """Return the steps a run's table shows: every step up to 20, else 1-2-5 steps and the last.

    >>> table_steps(5000)
    (0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)
    """
    if steps <= ALL_ROWS:
        return tuple(range(steps + 1))
    shown = [0]
    scale = 1
    while scale < steps:
        shown.extend(s for s in (scale, 2 * scale, 5 * scale) if s < steps)
        scale *= 10
    return (*shown, steps)


def is_classifier(spec: NetworkSpec) -> bool:
    """Return True for 0/1 targets with a sigmoid or softmax output, like the ``xor`` preset."""
    targets = {t for s in spec.samples for t in s.y}
    return spec.activations[-1] in ("sigmoid", "softmax") and targets <= {0.0, 1.0}


def predictions(spec: NetworkSpec, history: History) -> tuple[Prediction, ...]:
    """Return the trained network's output for every sample, rounded to a class for a classifier."""
    base = Network.of(spec)
    network = Network(history.weights, history.biases, base.g, base.cost)
    x, _targets = data(spec)
    with np.errstate(over="ignore", invalid="ignore"):
        outputs = network.forward(x)[1][-1]
    classes = is_classifier(spec)
    result = []
    for sample, a in zip(spec.samples, outputs, strict=True):
        rounded = None
        if classes and spec.activations[-1] == "softmax":
            rounded = tuple(int(i == np.argmax(a)) for i in range(len(a)))
        elif classes:
            rounded = tuple(int(v >= 0.5) for v in a)
        correct = None if rounded is None else rounded == tuple(int(t) for t in sample.y)
        result.append(Prediction(sample.x, sample.y, tuple(float(v) for v in a), rounded, correct))
    return tuple(result)


def stuck(spec: NetworkSpec, history: History) -> bool:
    """Return True when every sigmoid or tanh output unit ends with |z| ≥ 8 for every sample.

    Its slope is then nearly 0 whatever the error: the gradient vanishes and descent is stuck.
    """
    if spec.activations[-1] not in ("sigmoid", "tanh"):
        return False
    base = Network.of(spec)
    network = Network(history.weights, history.biases, base.g, base.cost)
    with np.errstate(over="ignore", invalid="ignore"):
        z = network.forward(data(spec)[0])[0][-1]
    return bool(np.all(np.abs(z) >= SATURATION))


def _parameters(spec: NetworkSpec, history: History) -> tuple[Parameter, ...]:
    result = []
    for l in range(1, len(spec.layers)):
        for j in range(1, spec.layers[l] + 1):
            for k in range(1, spec.layers[l - 1] + 1):
                end = float(history.weights[l - 1][j - 1, k - 1])
                result.append(Parameter(Ref("W", l, j, k), spec.weights[l - 1][j - 1][k - 1], end))
            end = float(history.biases[l - 1][j - 1])
            result.append(Parameter(Ref("b", l, j), spec.biases[l - 1][j - 1], end))
    return tuple(result)


def _rows(history: History, steps: int) -> tuple[Row, ...]:
    shown = [s for s in table_steps(steps) if s < len(history.losses)]
    if shown[-1] != len(history.losses) - 1:
        shown.append(len(history.losses) - 1)  # the step where a run that blew up stopped
    h = history
    return tuple(
        Row(s, float(h.losses[s]), float(h.gradient_norms[s]), tuple(float(v) for v in h.watched[s]))
        for s in shown
    )


def _compare(runs: list[Run]) -> tuple[Run, ...]:
    """Return the runs, each converged one told of the lowest run it settled clearly above (if any)."""
    settled = [r for r in runs if r.verdict.kind == CONVERGED]
    lowest = min(settled, key=lambda r: r.verdict.end, default=None)
    result = []
    for run in runs:
        above = lowest is not None and run.verdict.end - lowest.verdict.end > CLEARLY * run.verdict.start
        result.append(replace(run, lower=lowest) if run.verdict.kind == CONVERGED and above else run)
    return tuple(result)


def train(
    spec: NetworkSpec,
    steps: int,
    rates: Sequence[float] | None = None,
    batch: int | None = None,
    seed: int | None = None,
    watch: Sequence[Ref] | None = None,
    source: str = "",
    progress: Callable[[int, int], None] | None = None,
    optimizers: Sequence[OptimizerSpec] | None = None,
) -> Training:
    """Return ``steps`` steps of gradient descent from the spec's parameters, one run per
    optimizer and rate (optimizer by optimizer).

    ``optimizers`` defaults to the spec's (plain descent unless it has an ``[optimizer]``
    table); ``rates`` defaults to the spec's learning rate; ``batch`` is the samples per step
    (None or n: the whole batch); ``watch`` the one or two parameters the table follows and the
    picture draws; ``progress(done, total)`` is told now and then how many steps of all runs are
    done. ``train(load_spec("xor"), 5000).runs[0].all_correct`` is True.
    """
    if steps < 1:
        raise UsageError("--steps", _("must be a whole number ≥ 1, got {value}").format(value=steps))
    rates = tuple(dict.fromkeys(rates)) if rates else (spec.learning_rate,)  # 0.1,0.1: one run, as gd,gd
    for rate in rates:
        if not (math.isfinite(rate) and rate > 0):
            message = _("each rate must be a number greater than 0, got {value}")
            raise UsageError("--learning-rates", message.format(value=f"{rate:g}"))
    n = len(spec.samples)
    if batch is not None and batch < 1:
        message = _('give "full" or a whole number of samples from 1 to {count}, got {value}')
        raise UsageError("--batch", message.format(count=n, value=batch))
    batch = None if batch is None or batch >= n else batch
    watch = tuple(watch) if watch else default_watch(spec)
    batches = None if batch is None else batch_order(n, batch, steps, seed)
    stride = 1 if batch is None else math.ceil(n / batch)
    optimizers = tuple(dict.fromkeys(optimizers)) if optimizers else (spec.optimizer,)
    total = steps * len(rates) * len(optimizers)
    histories = []
    for optimizer in optimizers:
        for rate in rates:
            report = None if progress is None else _tagged(progress, len(histories) * steps, total)
            histories.append(descend(spec, rate, steps, batches, watch, progress=report, optimizer=optimizer))
    named = optimizers != (OptimizerSpec(),)
    runs = [
        Run(
            rate=h.rate,
            history=h,
            verdict=classify(h.losses, stride, h.gradient_norms, stuck(spec, h)),
            rows=_rows(h, steps),
            parameters=_parameters(spec, h),
            predictions=predictions(spec, h),
            label=h.optimizer.label() if named else "",
        )
        for h in histories
    ]
    picture = landscape(spec, watch, histories, [r.verdict for r in runs], [r.label for r in runs])
    return Training(spec, source, steps, batch, seed, watch, _compare(runs), picture)


def _tagged(progress: Callable[[int, int], None], before: int, total: int) -> Progress:
    """Return a progress callback for one part of the work, counting the ``before`` steps done first."""
    return lambda k: progress(before + k, total)
