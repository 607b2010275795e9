"""The update of a worked example when an optimizer other than plain descent takes the step.

For every parameter the optimizer's state is worked out before the new value, each as a Trace
quantity with its formula and numbers (the velocity; AdaGrad's and RMSProp's squares; Adam's
moments and their bias correction), in the order :func:`tracer.trace.optimizer_steps` gives. The
section says which convention the numbers follow (PyTorch's ``torch.optim`` or the book
『밑바닥부터 시작하는 딥러닝』, Deep Learning from Scratch) and where the two differ, and lists
every hyper-parameter used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracer.documents.blocks import Block
from tracer.i18n import N_, _
from tracer.ids import Ref
from tracer.trace import optimizer_steps

if TYPE_CHECKING:
    from tracer.documents.lesson import Lesson

NAMES = {
    "momentum": N_("momentum"),
    "nesterov": N_("Nesterov momentum"),
    "adagrad": N_("AdaGrad"),
    "rmsprop": N_("RMSProp"),
    "adam": N_("Adam"),
}
CONVENTIONS = {
    "torch": N_("The numbers follow PyTorch's torch.optim."),
    "book": N_(
        "The numbers follow the book Deep Learning from Scratch by Koki Saito (its common/optimizer.py)."
    ),
}
# Where the two conventions part, said once per optimizer; {eta} is the notation's learning rate.
DIFFERENCES = {
    "momentum": N_(
        "PyTorch starts the velocity at the first gradient and keeps the learning rate out of it "
        "(v ← μv + g, θ′ = θ − {eta}v); the book starts it at 0 and puts the learning rate inside "
        "(v ← μv − {eta}g, θ′ = θ + v). With a constant learning rate and no dampening both give the "
        "same weights at every step."
    ),
    "nesterov": N_(
        "PyTorch steps along the gradient plus the velocity once more (θ′ = θ − {eta}(g + μv)); the book "
        "writes the same look-ahead with its velocity, which holds the learning rate (θ′ = θ + μ²v − (1 "
        "+ μ){eta}g)."
    ),
    "adagrad": N_(
        "Both add ε after the square root; PyTorch's ε is 10⁻¹⁰, the book's 10⁻⁷, which shows only when "
        "a sum of squares is tiny."
    ),
    "rmsprop": N_(
        "Both keep a decaying mean of the squared gradients and add ε after the square root; PyTorch's ε "
        "is 10⁻⁸, the book's 10⁻⁷."
    ),
    "adam": N_(
        "PyTorch corrects both moments for their start at zero (m̂, v̂) and adds ε to √v̂; the book "
        "folds the correction into the step size, {eta}√(1 − β₂ᵗ)/(1 − β₁ᵗ), and adds ε (10⁻⁷) to the "
        "uncorrected √v. The two agree closely unless √v is as small as ε."
    ),
}
# PyTorch's momentum with dampening τ: the velocity takes (1 − τ) of each later gradient.
DAMPENED = N_(
    "PyTorch starts the velocity at the first gradient and keeps the learning rate out of it; from "
    "the second step on it takes only 1 − τ of each gradient (v ← μv + (1 − τ)g, θ′ = θ − {eta}v). "
    "The book has no dampening: it starts the velocity at 0 and puts the learning rate inside "
    "(v ← μv − {eta}g, θ′ = θ + v), so with dampening the two take different steps."
)
FIRST_STEP = {
    "adam": N_(
        "At the first step the corrected moments are the gradient and its square, so a weight moves by "
        "almost exactly the learning rate, against the sign of its gradient, whatever the gradient's "
        "size (only a gradient as small as ε moves it less, and a gradient of 0 not at all): the "
        "moments show their role from the second step on."
    ),
}


# What a step after the first shows that the first could not, said once per optimizer.
LATER_STEP = {
    "momentum": N_(
        "From this step on the velocity remembers the steps before: it is μ times the velocity step "
        "{previous} left, plus this step's gradient term. A weight keeps moving the way it moved "
        "before, faster while its gradient keeps its sign."
    ),
    "nesterov": N_(
        "From this step on the velocity remembers the steps before: it is μ times the velocity step "
        "{previous} left, plus this step's gradient term, and the step looks ahead along it."
    ),
    "adagrad": N_(
        "From this step on the sum of squares holds every gradient so far, so the same gradient "
        "moves a weight less than it did at the step before."
    ),
    "rmsprop": N_(
        "From this step on the mean square mixes this gradient's square with those before it, so "
        "the size of a weight's step depends on how large its gradients have been lately."
    ),
    "adam": N_(
        "From this step on the moments remember the gradients before: m mixes this gradient into "
        "the mean step {previous} left, v its square, and the correction for their start at zero "
        "(with t = {t}) is weaker than at step 1. The step is no longer the learning rate times the "
        "sign of the gradient: its size depends on how the gradient has changed."
    ),
}


def optimizer_layers(lesson: Lesson, level: int) -> list[Block]:
    """Return what the optimizer computes once for the step, then each layer's state and new
    parameters under a heading of ``level``."""
    blocks: list[Block] = []
    entries = optimizer_steps(lesson.trace)
    shared = [theta for theta, refs in entries if not refs]
    if shared:
        blocks.append(lesson.paragraph(_("Computed once for the whole step:")))
        blocks.append(lesson.steps(shared))
    for l in range(1, lesson.L + 1):
        refs: list[Ref] = []
        for theta, steps in entries:
            if steps and theta.l == l:
                refs += steps
        if refs:
            number = lesson.naming.notation.input_layer_number + l
            blocks += [lesson.heading(_("Layer {number}").format(number=number), level), lesson.steps(refs)]
    return blocks


def optimizer_settings(lesson: Lesson) -> list[Block]:
    """Return which optimizer takes the step, in which convention, with every hyper-parameter
    (shown with the network, so that an exercise sheet carries them too)."""
    optimizer = lesson.spec.optimizer
    settings = [
        q.ref
        for q in lesson.trace.quantities
        if q.given and q.ref.kind not in ("a", "y", "W", "b", "eta") and q.ref.step in (None, 1)
    ]
    return [
        lesson.paragraph(
            _("The step is taken by the optimizer {name}. {convention} Its settings:"),
            name=_(NAMES[optimizer.name]),
            convention=_(CONVENTIONS[optimizer.convention]),
        ),
        lesson.steps(settings),
    ]


def optimizer_update(lesson: Lesson) -> list[Block]:
    """Return the update section for an optimizer: how the conventions differ, each state step."""
    optimizer = lesson.spec.optimizer
    name = _(NAMES[optimizer.name])
    blocks: list[Block] = [
        lesson.numbered(_("The update: {name}").format(name=name)),
        lesson.paragraph(
            _(
                "Each parameter takes a step decided by {name}: first the optimizer's state for that "
                "parameter is brought up to date from its gradient, then the parameter moves."
            ),
            name=name,
        ),
        lesson.paragraph(
            _(DAMPENED if dict(optimizer.hyper).get("dampening", 0.0) else DIFFERENCES[optimizer.name]),
            eta=lesson.style.printer.text(lesson.naming.symbol(Ref("eta"))),
        ),
        *optimizer_layers(lesson, 2),
    ]
    if optimizer.name in FIRST_STEP:
        blocks.append(lesson.paragraph(_(FIRST_STEP[optimizer.name]), tone="note"))
    if not lesson.spec.update_biases:
        blocks.append(lesson.paragraph(_("The biases are frozen in this example: they keep their values.")))
    return blocks
