"""How a run of gradient descent went, read from its sequence of losses alone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

CONVERGED = "converged"
TOO_SLOW = "too slow"
OSCILLATING = "oscillating"
DIVERGING = "diverging"
SATURATED = "saturated"
KINDS = (CONVERGED, TOO_SLOW, OSCILLATING, DIVERGING, SATURATED)

SETTLED = 0.01  # a run has settled once 99 % of its whole decrease is done
BOUNCE = 0.01  # ups and downs within 1 % of the loss are noise, not oscillation
FLAT = 1e-9  # a loss that moves less than this, relatively, over the last tenth has stopped
VANISHED = 1e-6  # a gradient below this fraction of its largest length has vanished


@dataclass(frozen=True)
class Verdict:
    """Return-free verdict on one run: its ``kind`` (one of ``KINDS``) and the numbers behind it.

    ``start``/``end`` are the first and last loss, ``steps`` the steps taken;
    ``settled_after`` (converged) the first step by which 99 % of the decrease was done;
    ``non_finite_at`` (diverging) the step whose loss float64 could not hold;
    ``low``/``high`` (oscillating) the range the loss bounced in over the last fifth of the run;
    ``gradient_norm`` (saturated) the last length ‖∇C‖ of the gradient.
    """

    kind: str
    start: float
    end: float
    steps: int
    settled_after: int | None = None
    non_finite_at: int | None = None
    low: float | None = None
    high: float | None = None
    gradient_norm: float | None = None

    @property
    def fell(self) -> bool:
        """Return True when the last loss is below the first."""
        return self.end < self.start


def classify(
    losses: Sequence[float],
    stride: int = 1,
    gradient_norms: Sequence[float] | None = None,
    stuck: bool = False,
) -> Verdict:
    """Return the verdict on a run of gradient descent, judged from its losses C₀, C₁, …, C_N,
    the lengths ‖∇C‖ of its gradients when given, and ``stuck``: whether at the end every output
    unit is pushed into a flat end of its activation for every sample (|z| ≥ 8 for sigmoid, tanh).

    The lecture's point about the learning rate: a large step converges fast but can overshoot
    the valley and diverge; a small one is safe but slow. So, in this order:

    * **diverging**: a loss is not a finite number (it went to infinity or NaN);
    * **saturated**: the outputs are ``stuck``, the loss is not below 1 % of its start, and over
      the last tenth of the run it stopped changing (by less than 10⁻⁹ of itself) while ‖∇C‖
      fell below 10⁻⁶ of its largest length: a plateau the steps cannot leave, not a valley;
    * **diverging**: the last loss is above the first;
    * **oscillating**: over the last fifth of the run the loss goes up and down (its changes
      switch sign at least every other step) by more, in all, than three times its net change,
      across a range of at least 1 % of its size: the steps keep overshooting the valley floor;
    * **converged**: the loss fell below 1 % of its start, or it levelled off: the last tenth
      of the run lowered it by at most a tenth of what the tenth before did, or it stopped
      changing as ‖∇C‖ vanished (and the run lowered it at all);
    * **too slow**: otherwise, still going down at the end, still far from where it is heading.

    With mini-batches pass ``stride``, the steps in one epoch: the loss is then judged once per
    epoch, when every sample has had its turn, not at the ups and downs within an epoch.

    >>> classify([1.0, 0.5, 0.3, 0.21, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2]).kind
    'converged'
    >>> classify([1.0, 0.99, 0.98, 0.97, 0.96, 0.95, 0.94, 0.93, 0.92, 0.91, 0.90]).kind
    'too slow'
    >>> classify([1.0, 0.5, 0.7, 0.4, 0.7, 0.4, 0.7, 0.4, 0.7, 0.4, 0.7]).kind
    'oscillating'
    >>> classify([1.0, 2.0, float("inf")]).kind
    'diverging'
    >>> classify([1.0, 2.0, 2.0, 2.0, 2.0, 2.0], 1, [0.5, 1e-3, 1e-9, 1e-12, 1e-13, 1e-13], stuck=True).kind
    'saturated'
    """
    every = np.asarray(losses, dtype=float)
    start, end = float(every[0]), float(every[-1])
    bad = np.flatnonzero(~np.isfinite(every))
    if bad.size:
        return Verdict(DIVERGING, start, end, len(every) - 1, non_finite_at=int(bad[0]))
    vanished = gradient_norms is not None and _plateau(every, np.asarray(gradient_norms, dtype=float))
    if vanished and stuck and end > SETTLED * start:
        return Verdict(SATURATED, start, end, len(every) - 1, gradient_norm=float(gradient_norms[-1]))
    if end > start:
        return Verdict(DIVERGING, start, end, len(every) - 1)
    c = every[::-1][::stride][::-1]  # every stride-th loss, ending with the last one
    n = len(c) - 1
    tail = c[-max(5, n // 5) - 1 :]
    changes = np.diff(tail)
    changes = changes[np.abs(changes) > 1e-12 * np.max(np.abs(tail))]  # below that is rounding
    if len(changes) >= 4:
        switches = np.mean(np.sign(changes[1:]) != np.sign(changes[:-1]))
        low, high = float(tail.min()), float(tail.max())
        wide = high - low >= BOUNCE * high
        if switches >= 0.5 and wide and np.sum(np.abs(changes)) > 3 * abs(tail[-1] - tail[0]):
            return Verdict(OSCILLATING, start, end, len(every) - 1, low=low, high=high)
    window = max(1, n // 10)
    recent = c[n - window] - c[n] if n >= window else 0.0
    before = c[n - 2 * window] - c[n - window] if n >= 2 * window else np.inf
    if end <= SETTLED * start or (start > end and (recent <= 0.1 * before or vanished)):
        settled = np.flatnonzero(every - end <= SETTLED * (start - end))
        return Verdict(CONVERGED, start, end, len(every) - 1, settled_after=int(settled[0]))
    return Verdict(TOO_SLOW, start, end, len(every) - 1)


def _plateau(losses: np.ndarray, norms: np.ndarray) -> bool:
    """Return True when the last tenth of the losses is flat and the gradient has vanished."""
    tail = losses[-max(2, len(losses) // 10) :]
    flat = float(tail.max() - tail.min()) <= FLAT * max(abs(float(tail[-1])), 1e-300)
    return flat and float(norms[-1]) <= VANISHED * float(np.max(norms))
