"""The steps after the first of a worked example of several, and the loss after the last one.

Step 1 is the lesson in full (:mod:`tracer.documents.lesson`): the equations derived, the chain
rule factor by factor, the matrix form. A later step repeats the same equations from the
parameters (and the optimizer's state) the step before left, so it shows each quantity as a step,
formula → numbers → value, with its own id (``z[1][1]@2``): the parameters carried over, the
forward pass, the loss, the backward pass and the update, each under a heading of its own. The
symbols of the step written out are bare (net_h1); what comes from the step before carries its
step (w⁺₁⁽ᵗ⁼¹⁾, m(w₅)⁽ᵗ⁼¹⁾), as in Adam's mₜ = β₁mₜ₋₁ + (1 − β₁)gₜ. The loss after the last
update closes the document, with the cost every step started from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sympy as sp

from tracer.derive import symbol
from tracer.documents.blocks import Block
from tracer.documents.diagram import ROLES, role
from tracer.documents.optimizer_step import LATER_STEP, NAMES, optimizer_layers
from tracer.i18n import _
from tracer.ids import Ref
from tracer.printing import shown_number

if TYPE_CHECKING:
    from tracer.documents.lesson import Lesson


def later_step(lesson: Lesson, first: int) -> list[Block]:
    """Return step t of a trace of several (``lesson.trace`` is its view) as one numbered section.

    ``first`` is the number of step 1's forward pass, which the section refers back to.
    """
    t = lesson.trace.step
    previous = t - 1
    optimizer = lesson.spec.optimizer
    if optimizer.name == "gd":
        text = _(
            "Step {number} repeats the equations of step 1 (sections {first} to {last}) from the "
            "parameters step {previous} left: each parameter starts from its value after the update of "
            "step {previous}."
        )
    else:
        text = _(
            "Step {number} repeats the equations of step 1 (sections {first} to {last}) from the "
            "parameters and the optimizer's state step {previous} left: each parameter starts from its "
            "value after the update of step {previous}."
        )
    blocks: list[Block] = [
        lesson.numbered(_("Step {number}").format(number=t)),
        lesson.paragraph(text.format(number=t, first=first, last=first + 3, previous=previous)),
        lesson.heading(_("The parameters step {previous} left").format(previous=previous), 2),
        lesson.steps([r for l in range(1, lesson.L + 1) for r in _parameters(lesson, l)]),
        *_forward(lesson),
        *_loss(lesson, previous),
        *_backward(lesson),
        *_update(lesson, t),
    ]
    return blocks


def _parameters(lesson: Lesson, l: int) -> list[Ref]:
    """Return layer l's weights, then its biases."""
    refs = [Ref("W", l, j, k) for j in lesson.neurons(l) for k in lesson.neurons(l - 1)]
    return refs + [Ref("b", l, j) for j in lesson.neurons(l)]


def _layer_title(lesson: Lesson, l: int) -> str:
    return _("Layer {number} ({role}, {activation})").format(
        number=lesson.naming.notation.input_layer_number + l,
        role=_(ROLES[role(l, lesson.L)]),
        activation=lesson.spec.activations[l - 1],
    )


def _forward(lesson: Lesson) -> list[Block]:
    """Return the forward pass at the new parameters: each layer's steps (per sample in a batch)."""
    blocks: list[Block] = [lesson.heading(_("Forward pass"), 2)]
    for s in lesson.samples():
        blocks += lesson.sample_heading(s, 3)
        for l in range(1, lesson.L + 1):
            if s is None:
                blocks.append(lesson.heading(_layer_title(lesson, l), 3))
            refs = []
            for j in lesson.neurons(l):
                refs += [Ref("z", l, j, sample=s), Ref("a", l, j, sample=s)]
            blocks.append(lesson.steps(refs))
    return blocks


def _loss(lesson: Lesson, previous: int) -> list[Block]:
    """Return the cost this step computes: at the parameters the step before left."""
    blocks: list[Block] = [
        lesson.heading(_("The loss"), 2),
        lesson.paragraph(
            _(
                "The cost at the parameters step {previous} left, before this step's update (so it is "
                "the cost after step {previous}):"
            ).format(previous=previous)
        ),
    ]
    for s in lesson.samples():
        blocks += lesson.sample_heading(s, 3)
        blocks.append(lesson.steps([Ref("C_term", j=j, sample=s) for j in lesson.neurons(lesson.L)]))
        blocks.append(lesson.steps([Ref("C", sample=s)]))
    if lesson.batch:
        blocks.append(lesson.heading(_("The batch"), 3))
        blocks.append(lesson.steps([Ref("C")]))
    return blocks


def _backward(lesson: Lesson) -> list[Block]:
    """Return the backward pass: per layer, output first, ∂C/∂a, g′(z), δ and the gradients."""
    blocks: list[Block] = [lesson.heading(_("Backward pass"), 2)]
    for s in lesson.samples():
        blocks += lesson.sample_heading(s, 3)
        for l in range(lesson.L, 0, -1):
            if s is None:
                blocks.append(lesson.heading(_layer_title(lesson, l), 3))
            refs = []
            for kind in ("dC/da", "da/dz", "delta"):
                refs += [Ref(kind, l, j, sample=s) for j in lesson.neurons(l)]
            for j in lesson.neurons(l):
                refs += [Ref("dC/dW", l, j, k, s) for k in lesson.neurons(l - 1)]
                refs.append(Ref("dC/db", l, j, sample=s))
            blocks.append(lesson.steps([r for r in refs if r in lesson.trace]))
    if lesson.batch:
        blocks.append(lesson.heading(_("The batch"), 3))
        refs = []
        for l in range(1, lesson.L + 1):
            for j in lesson.neurons(l):
                refs += [Ref("dC/dW", l, j, k) for k in lesson.neurons(l - 1)]
                refs.append(Ref("dC/db", l, j))
        blocks.append(lesson.steps(refs))
    return blocks


def _update(lesson: Lesson, t: int) -> list[Block]:
    """Return the update: plain descent's steps, or the optimizer's state and step per layer."""
    optimizer = lesson.spec.optimizer
    if optimizer.name == "gd":
        blocks: list[Block] = [lesson.heading(_("The update"), 2), *lesson.updated_layers(3)]
    else:
        name = _(NAMES[optimizer.name])
        blocks = [
            lesson.heading(_("The update: {name}").format(name=name), 2),
            *optimizer_layers(lesson, 3),
        ]
        if optimizer.name in LATER_STEP and t == 2:  # what the state does from step 2 on, said once
            blocks.append(
                lesson.paragraph(_(LATER_STEP[optimizer.name]).format(previous=t - 1, t=t), tone="note")
            )
    return blocks


def after_steps(lesson: Lesson) -> list[Block]:
    """Return the cost step 1 started from and the cost after the last update, and each step's costs.

    ``lesson`` writes step 1; the symbols here carry their steps (E⁽ᵗ⁼¹⁾, E⁺⁽ᵗ⁼³⁾), so the steps
    are written by a builder of the whole trace.
    """
    whole = type(lesson)(lesson.whole, lesson.style, lesson.highlighted)
    last = lesson.whole.steps
    before, after = lesson.whole[Ref("C", step=1)], lesson.whole[Ref("C'", step=last)]
    change = after.value - before.value
    difference = sp.Add(symbol(after.ref), sp.Mul(-1, symbol(before.ref), evaluate=False), evaluate=False)
    blocks: list[Block] = [
        lesson.numbered(_("The loss after {count} steps").format(count=last)),
        lesson.paragraph(
            _(
                "The cost step 1 starts from, and the cost of the same data through the network with "
                "the parameters step {last} left (the forward pass again, not shown):"
            ).format(last=last)
        ),
        whole.steps([before.ref, after.ref]),
        whole.chain(difference, shown_number(change)),
    ]
    if change < 0:
        blocks.append(
            lesson.paragraph(_("The loss went down over the {count} steps.").format(count=last), tone="good")
        )
    elif change == 0:
        blocks.append(
            lesson.paragraph(_("The loss did not change over the {count} steps.").format(count=last))
        )
    else:
        blocks.append(
            lesson.paragraph(
                _(
                    "The loss went up over the {count} steps: the steps overshot. The learning rate may "
                    "be too large for this network."
                ).format(count=last),
                tone="note",
            )
        )
    blocks.append(
        lesson.paragraph(
            _(
                "Every step's cost before and after its update; each step starts from the cost the one "
                "before left:"
            )
        )
    )
    rows = [
        (
            lesson.say(str(t)),
            (lesson.number(lesson.whole.values[Ref("C", step=t)]),),
            (lesson.number(lesson.whole.values[Ref("C'", step=t)]),),
        )
        for t in range(1, last + 1)
    ]
    head = [_("Step"), _("Cost before the update"), _("Cost after the update")]
    blocks.append(lesson.table([lesson.say(h) for h in head], rows, (True, True, True)))
    return blocks + lesson.published(step=1)
