"""A Training as a document: the training report, written once for every format.

:func:`report` turns a :class:`tracer.train.model.Training` into a
:class:`tracer.documents.blocks.Document` that the worked examples' renderers show in the terminal,
as Markdown, LaTeX, PDF or an HTML page: the command that makes it again, how the steps were
taken, one verdict per run with the loss curves, the walk down the cost's surface, and per run its
table of steps, its predictions and its parameters. Every sentence is here, once, through gettext;
a run's verdict decides which sentence is said, so the templates branch on no status.
"""

from __future__ import annotations

import math
import shlex
from collections.abc import Mapping, Sequence

import sympy as sp

from tracer.derive import symbol
from tracer.display import (
    Approx,
    Enumerated,
    Equals,
    GradientLength,
    Listed,
    Product,
    Setting,
    Tick,
    Total,
)
from tracer.documents.blocks import Block, Bullets, Code, Document, Picture, Section, Sentence, Span
from tracer.documents.styles import MathStyle
from tracer.documents.writer import Writer
from tracer.i18n import _, language, ngettext
from tracer.ids import Ref
from tracer.notation import Partial
from tracer.optimizers import HYPER_ID
from tracer.printing import format_number, shown_number
from tracer.train.landscape import Path
from tracer.train.model import Run, Training
from tracer.train.verdict import CONVERGED, OSCILLATING, SATURATED, TOO_SLOW

PICTURES = ("loss", "descent")


def command_line(training: Training) -> str:
    """Return the ``tracer train`` command that makes this training again."""
    rates = ",".join(dict.fromkeys(format_number(r.rate, 12) for r in training.runs))
    words = ["tracer", "train", training.source or "SPEC", "--steps", str(training.steps)]
    words += ["--learning-rates", rates]
    if training.optimizers != (training.spec.optimizer,):
        words += [
            "--optimizers",
            ",".join(
                o.name if o.convention == "torch" else f"{o.name}:{o.convention}" for o in training.optimizers
            ),
        ]
    if training.batch is not None:
        words += ["--batch", str(training.batch)]
    if training.seed is not None:
        words += ["--seed", str(training.seed)]
    words += ["--watch", ",".join(str(r) for r in training.watch)]
    return " ".join(shlex.quote(word) for word in words)


def averaged_cost() -> sp.Eq:
    """Return the averaged cost C = 1/n Σₓ Cₓ (C prints in the reader's notation)."""
    n, x = sp.Symbol("n"), sp.Symbol("x")
    mean = Product(sp.Pow(n, -1, evaluate=False), Total(sp.Symbol("C_x"), x))  # 1/n Σₓ Cₓ, not Σₓ Cₓ/n
    return sp.Eq(symbol(Ref("C")), mean, evaluate=False)


def update_rule() -> sp.Eq:
    """Return the step of gradient descent for any weight, w′ = w − η ∂C/∂w."""
    w, eta = sp.Symbol("w"), symbol(Ref("eta"))
    step = sp.Mul(-1, eta, Partial(symbol(Ref("C")), w), evaluate=False)
    return sp.Eq(sp.Symbol("w'"), sp.Add(w, step, evaluate=False), evaluate=False)


class Report(Writer):
    """Return-free builder of one training's report, maths in one style.

    ``pictures`` maps each picture's name (:data:`PICTURES`) to what the format shows: a file name
    beside the report (Markdown, LaTeX) or the SVG itself (an HTML page), with ``inline``;
    ``chart`` is the loss curves drawn in characters, for the terminal. ``worked`` is the file of
    the worked example of step 1 written beside the report, if any; ``written`` the picture files
    a terminal report names at its end.
    """

    def __init__(
        self,
        training: Training,
        style: MathStyle,
        pictures: Mapping[str, str] | None = None,
        inline: bool = False,
        chart: str = "",
        worked: str | None = None,
        written: Sequence[str] = (),
    ) -> None:
        super().__init__(style)
        self.training = training
        self.pictures = pictures or {}
        self.inline = inline
        self.chart = chart
        self.worked = worked
        self.written = tuple(written)
        self.cost = symbol(Ref("C"))
        self.rate = symbol(Ref("eta"))
        self.names = tuple(self.label(symbol(ref)) for ref in training.watch)

    def document(self) -> Document:
        """Return the report: settings, learning rates, the descent, one section per run."""
        t = self.training
        sections = [
            Section("settings", tuple(self.settings())),
            Section("rates", tuple(self.rates())),
            Section("descent", tuple(self.descent())),
        ]
        sections += [Section(f"run-{n}", tuple(self.run(run))) for n, run in enumerate(t.runs, start=1)]
        if self.written:
            files = ", ".join(self.written)
            sections.append(Section("pictures", (self.paragraph(_("Pictures: {files}"), files=files),)))
        title = _("Training: {title}").format(title=_(t.spec.title))
        description = _(t.spec.description) if t.spec.description else ""
        return Document(title, description, tuple(sections), language())

    # Small pieces every sentence is made of.

    def label(self, expr: sp.Expr) -> Span:
        """Return a symbol as one line of maths (a table cell, a name in a sentence)."""
        return Span(self.style.label(expr), True)

    def value(self, value: float) -> Sentence:
        """Return a number as maths; ``nan`` in words, ±∞ as maths."""
        if math.isnan(value):
            return self.say(_("not a number"))
        if math.isinf(value):
            return (self.label(sp.oo if value > 0 else -sp.oo),)
        return (self.number(value),)

    def vector(self, values: Sequence[float]) -> Sentence:
        """Return one number as itself, several as ``(0.1, 0.2)`` (a value float64 lost, in words)."""
        if len(values) == 1:
            return self.value(values[0])
        if all(math.isfinite(v) for v in values):
            return (self.label(Listed(*(shown_number(v) for v in values))),)
        spans: list[Span] = []
        for i, v in enumerate(values):
            spans += [Span(", ", False)] * bool(i) + list(self.value(v))
        return self.say("({values})", values=tuple(spans))

    def rate_of(self, rate: float, label: str) -> Sentence:
        """Return a run's name: ``η = 0.5``, or with its optimizer ``adam, η = 0.01``."""
        equation = self.label(Equals(self.rate, shown_number(rate)))
        return self.say("{optimizer}, {rate}", optimizer=label, rate=equation) if label else (equation,)

    def name(self, run: Run) -> Sentence:
        """Return the run's name (its optimizer and learning rate)."""
        return self.rate_of(run.rate, run.label)

    def equals(self, expr: sp.Expr, value: float) -> Sentence:
        """Return ``C = 0.25`` as one line of maths (a non-finite value said as :meth:`value` says it)."""
        if not math.isfinite(value):
            return self.say("{symbol} = {value}", symbol=self.label(expr), value=self.value(value))
        return (self.label(Equals(expr, shown_number(value))),)

    def gradient(self) -> Span:
        """Return ‖∇C‖, the length of the gradient."""
        return self.label(GradientLength(self.cost))

    # The sections.

    def settings(self) -> list[Block]:
        """Return the command, how each step was taken and where the worked example of step 1 is."""
        t = self.training
        blocks: list[Block] = [Code(command_line(t))]
        if t.batch is None and t.names_optimizers:
            blocks.append(
                self.paragraph(
                    ngettext(
                        "{steps} steps of gradient descent on the {samples} sample, each step "
                        "downhill on the averaged cost {cost}, each run's optimizer turning the gradient "
                        "into the step: {optimizers} (PyTorch's conventions unless marked book).",
                        "{steps} steps of gradient descent on all {samples} samples at once, each step "
                        "downhill on the averaged cost {cost}, each run's optimizer turning the gradient "
                        "into the step: {optimizers} (PyTorch's conventions unless marked book).",
                        t.samples,
                    ),
                    steps=str(t.steps),
                    samples=str(t.samples),
                    cost=averaged_cost(),
                    optimizers=self.optimizers(),
                )
            )
        elif t.batch is None:
            blocks.append(
                self.paragraph(
                    ngettext(
                        "{steps} steps of gradient descent on the {samples} sample, each step "
                        "downhill on the averaged cost {cost}, with every weight updated as {update}.",
                        "{steps} steps of gradient descent on all {samples} samples at once, each step "
                        "downhill on the averaged cost {cost}, with every weight updated as {update}.",
                        t.samples,
                    ),
                    steps=str(t.steps),
                    samples=str(t.samples),
                    cost=averaged_cost(),
                    update=update_rule(),
                )
            )
        else:
            if t.seed is not None:
                message = ngettext(
                    "{steps} steps of gradient descent with {batch} sample per step: {epoch} steps make "
                    "an epoch, the samples shuffled afresh each epoch with seed {seed}.",
                    "{steps} steps of gradient descent with {batch} samples per step: {epoch} steps make "
                    "an epoch, the samples shuffled afresh each epoch with seed {seed}.",
                    t.batch,
                )
            else:
                message = ngettext(
                    "{steps} steps of gradient descent with {batch} sample per step: {epoch} steps make "
                    "an epoch, the samples taken in their order.",
                    "{steps} steps of gradient descent with {batch} samples per step: {epoch} steps make "
                    "an epoch, the samples taken in their order.",
                    t.batch,
                )
            blocks.append(
                self.paragraph(
                    message, steps=str(t.steps), batch=str(t.batch), epoch=str(t.epoch), seed=str(t.seed)
                )
            )
            blocks.append(
                self.paragraph(
                    _("The cost shown is always the averaged cost {cost} over all {samples} samples."),
                    cost=averaged_cost(),
                    samples=str(t.samples),
                )
            )
            if t.names_optimizers:  # the hyper-parameters are stated with mini-batches too
                blocks.append(
                    self.paragraph(
                        _(
                            "Each run's optimizer turns the gradient into the step: {optimizers} "
                            "(PyTorch's conventions unless marked book)."
                        ),
                        optimizers=self.optimizers(),
                    )
                )
        if t.worked_example:
            command = Span(f"tracer trace {t.source}", False, code=True)
            rate = self.equals(self.rate, t.spec.learning_rate)
            if self.worked:
                message = _(
                    "Step 1 with {rate} is the worked example {command} ({file} beside this report): "
                    "every number of the first update, formula by formula."
                )
            else:
                message = _(
                    "Step 1 with {rate} is the worked example {command}: every number of the first "
                    "update, formula by formula."
                )
            file = Span(self.worked or "", False, code=True, link=self.worked or "")
            blocks.append(self.paragraph(message, rate=rate, command=command, file=file))
            blocks.append(
                self.paragraph(_("Each later step does the same from the weights the step before left."))
            )
        return blocks

    def optimizers(self) -> Sentence:
        """Return the optimizers of the runs, each with the hyper-parameters it used."""
        spans: list[Span] = []
        for n, o in enumerate(self.training.optimizers):
            settings = [
                self.label(Equals(symbol(Ref(HYPER_ID.get(key, key))), Setting(sp.Float(value))))
                for key, value in o.hyper
            ]
            said = self.say("{optimizer}", optimizer=o.label())
            if settings:
                listed: list[Span] = []
                for i, setting in enumerate(settings):
                    listed += [Span(", ", False)] * bool(i) + [setting]
                said = self.say("{optimizer} ({settings})", optimizer=o.label(), settings=tuple(listed))
            spans += [Span("; ", False)] * bool(n) + list(said)
        return tuple(spans)

    def rates(self) -> list[Block]:
        """Return the loss curves and one verdict per run."""
        runs = self.training.runs
        items = tuple(
            self.say(_("{run}: {verdict}"), run=self.name(r), verdict=self.verdict(r)) for r in runs
        )
        return [
            self.heading(_("The learning rate")),
            self.picture("loss", _("The cost after each step, one curve per learning rate"), self.chart),
            Bullets(items),
            self.paragraph(
                _(
                    "A large learning rate converges fast but can overshoot and diverge; a small one is "
                    "safe but slow. The verdicts above are read from the losses alone, not assumed from "
                    "the rates."
                )
            ),
        ]

    def picture(self, name: str, caption: str, chart: str = "") -> Picture:
        """Return the picture ``name`` as this format shows it (a file, inline SVG, text lines)."""
        shown = self.pictures.get(name)
        drawing = tuple(chart.split("\n")) if chart else ()
        return (
            Picture(caption, None, shown, drawing) if self.inline else Picture(caption, shown, None, drawing)
        )

    def verdict(self, run: Run) -> Sentence:
        """Return what a run's losses say, in one sentence (and which valley, if it stopped higher)."""
        v = run.verdict
        numbers = {
            "cost": self.cost,
            "steps": str(v.steps),
            "start": self.value(v.start),
            "end": self.value(v.end),
        }
        if v.kind == CONVERGED:
            said = self.say(
                _(
                    "converged: {cost} fell from {start} to {end} in {steps} steps; {share} of that fall "
                    "was done by step {settled}."
                ),
                share="99 %",
                settled=str(v.settled_after),
                **numbers,
            )
            if run.lower is None:
                return said
            lower = self.say(
                _(
                    "It settled clearly higher than {rate} did ({cost}): "
                    "it stopped in another, higher valley."
                ),
                rate=self.name(run.lower),
                cost=self.equals(self.cost, run.lower.verdict.end),
            )
            return self.say("{verdict} {lower}", verdict=said, lower=lower)
        if v.kind == TOO_SLOW and v.fell:
            return self.say(
                _(
                    "too slow: after {steps} steps {cost} is {end}, down from {start} and still falling: "
                    "small steps are safe, but slow."
                ),
                **numbers,
            )
        if v.kind == TOO_SLOW:
            return self.say(
                _(
                    "too slow: after {steps} steps {cost} is {end}, where it started: "
                    "small steps are safe, but slow."
                ),
                **numbers,
            )
        if v.kind == OSCILLATING:
            return self.say(
                _(
                    "oscillating: over the last fifth of the run {cost} went up and down between {low} and "
                    "{high}: the steps keep overshooting the floor of the valley."
                ),
                cost=self.cost,
                low=self.value(v.low),
                high=self.value(v.high),
            )
        if v.kind == SATURATED:
            return self.say(
                _(
                    "saturated: {cost} went from {start} to {end} and stopped changing, with {gradient} "
                    "down to {norm}: every output unit is pushed into a flat end of its activation, a "
                    "plateau the steps cannot leave, not a valley."
                ),
                gradient=self.gradient(),
                norm=self.value(v.gradient_norm),
                **numbers,
            )
        if v.non_finite_at is not None:
            return self.say(
                _(
                    "diverging: at step {step} {cost} was no longer a number float64 can hold: every step "
                    "overshot and the next one overshot further."
                ),
                step=str(v.non_finite_at),
                cost=self.cost,
            )
        return self.say(
            _(
                "diverging: {cost} rose from {start} to {end}: "
                "the steps overshoot the valley and land higher up."
            ),
            **numbers,
        )

    def descent(self) -> list[Block]:
        """Return the walk down the cost's surface: the picture, how to read it, where each path stopped."""
        land = self.training.landscape
        over: list[Span] = []
        for i, name in enumerate(self.names):
            over += [Span(_(" and "), False)] * bool(i) + [name]
        parameters = tuple(over)
        plain = _(" and ").join(self.style.printer.text(symbol(ref)) for ref in self.training.watch)
        caption = _("The cost over {parameters}, with the path of each learning rate").format(
            parameters=plain
        )
        if land.held:
            surface = _(
                "The cost {cost} as a function of {parameters}, every other parameter held at its starting "
                "value. The paths are the runs themselves: where {parameters} went while every parameter "
                "trained, so a path may cross contours the surface drawn does not explain (the surface is "
                "the one each run started on)."
            )
        else:
            surface = _("The cost {cost} as a function of {parameters}.")
        blocks: list[Block] = [
            self.heading(_("Walking down the mountain")),
            self.picture("descent", caption),
            self.paragraph(
                "{surface} {steps}",
                surface=self.say(surface, cost=self.cost, parameters=parameters),
                steps=_(
                    "Each dot is one step: from where it stands, descent can only feel the slope underfoot "
                    "and step downhill."
                ),
            ),
        ]
        valleys = land.valleys
        if len(valleys) > 1:
            others: list[Span] = []
            for i, (w, c) in enumerate(valleys[1:]):
                others += [Span(", ", False)] * bool(i)
                others += self.say("{at} ({cost})", at=self.near(w), cost=self.near(c, self.cost))
            found = self.say(
                ngettext(
                    "On the range drawn the curve has {count} valleys: the lowest at {lowest} ({cost}), and "
                    "a higher one at {others}.",
                    "On the range drawn the curve has {count} valleys: the lowest at {lowest} ({cost}), and "
                    "higher ones at {others}.",
                    len(valleys) - 1,
                ),
                count=str(len(valleys)),
                lowest=self.near(valleys[0][0]),
                cost=self.near(valleys[0][1], self.cost),
                others=tuple(others),
            )
            local = _(
                "A valley that is not the lowest is a local minimum: descent that walks into it stays there."
            )
            blocks.append(self.paragraph("{found} {local}", found=found, local=local))
        blocks.append(Bullets(tuple(self.stop(path, len(valleys) > 1) for path in land.paths)))
        return blocks

    def near(self, value: float, what: sp.Expr | None = None) -> Span:
        """Return ``w ≈ 0.4`` (the first watched parameter, or ``what``): a value read off the grid."""
        shown = symbol(self.training.watch[0]) if what is None else what
        return self.label(Approx(shown, shown_number(value)))

    def stop(self, path: Path, valleys: bool) -> Sentence:
        """Return where one run's path stopped, its cost there, (its valley,) and its verdict."""
        symbols = [symbol(ref) for ref in self.training.watch]
        values = [float(v) for v in path.points[-1]]
        if len(values) == 1:
            point = self.equals(symbols[0], values[0])
        elif all(math.isfinite(v) for v in values):
            point = (self.label(Equals(Enumerated(*symbols), Listed(*map(shown_number, values)))),)
        else:
            point = self.say(
                "{names} = {values}", names=self.label(Enumerated(*symbols)), values=self.vector(values)
            )
        verdict: Sentence = self.say(_(path.verdict.kind))
        if path.leaves is not None:
            leaves = self.say(_("(it leaves the picture at step {step})"), step=str(path.leaves))
            verdict = self.say("{verdict} {leaves}", verdict=verdict, leaves=leaves)
        parts = {
            "rate": self.rate_of(path.rate, path.label),
            "point": point,
            "cost": self.equals(self.cost, float(path.losses[-1])),
            "verdict": verdict,
        }
        if not valleys:
            return self.say(_("{rate} stops at {point}, where {cost}: {verdict}."), **parts)
        if path.valley is None:
            valley = _("not in a valley")
        elif path.valley == 0:
            valley = _("in the lowest valley")
        else:
            valley = _("in a higher valley")
        return self.say(
            _("{rate} stops at {point}, where {cost}, {valley}: {verdict}."), valley=valley, **parts
        )

    def run(self, run: Run) -> list[Block]:
        """Return one run: its verdict, its table of steps, its predictions, its parameters."""
        t = self.training
        head = [
            self.say(_("step")),
            (self.label(self.cost),),
            (self.gradient(),),
            *((n,) for n in self.names),
        ]
        rows = [
            (
                self.say(str(r.step)),
                self.value(r.loss),
                self.value(r.gradient_norm),
                *(self.value(w) for w in r.watched),
            )
            for r in run.rows
        ]
        blocks: list[Block] = [
            self.heading("{run}", run=self.name(run)),
            self.paragraph(_("Verdict: {verdict}"), verdict=self.verdict(run)),
            self.table(head, rows, (True,) * len(head)),
        ]
        steps = str(run.verdict.steps)
        if run.all_correct is None:
            said = _("Predictions after {steps} steps.")
        elif run.all_correct:
            said = _("Predictions after {steps} steps: every sample right.")
        else:
            said = _("Predictions after {steps} steps: not every sample right.")
        blocks.append(self.paragraph(said, steps=steps))
        head = [(self.label(sp.Symbol("x")),), (self.label(sp.Symbol("y")),), (self.label(sp.Symbol("a")),)]
        if t.classifier:
            head += [self.say(_("class")), ()]
        rows = []
        for p in run.predictions:
            row = [self.vector(p.x), self.vector(p.y), self.vector(p.a)]
            if t.classifier:
                row += [self.vector(p.rounded), (self.label(Tick(sp.true if p.correct else sp.false)),)]
            rows.append(row)
        blocks.append(self.table(head, rows, (False,) * len(head)))
        blocks.append(self.paragraph(_("Parameters at the start and after {steps} steps"), steps=steps))
        head = [(), self.say(_("start")), self.say(_("after"))]
        rows = [
            ((self.label(symbol(p.ref)),), self.value(p.start), self.value(p.end)) for p in run.parameters
        ]
        blocks.append(self.table(head, rows, (False, True, True)))
        return blocks


def report(
    training: Training,
    style: MathStyle,
    pictures: Mapping[str, str] | None = None,
    inline: bool = False,
    chart: str = "",
    worked: str | None = None,
    written: Sequence[str] = (),
) -> Document:
    """Return the report of ``training`` as one document, maths printed in ``style`` (see :class:`Report`)."""
    return Report(training, style, pictures, inline, chart, worked, written).document()
