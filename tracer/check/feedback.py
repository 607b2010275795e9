"""A check result as a document: one feedback sheet per answer file, written once for every format.

:func:`feedback` turns a :class:`tracer.check.grading.CheckResult` into a
:class:`tracer.documents.blocks.Document` (one section per answer file, then the files that could
not be read); the worked-example renderers show it in the terminal or as Markdown. Every sentence
is here, once, through gettext; the verdict of each answer decides which sentence is said, so the
templates branch on no status.
"""

from __future__ import annotations

import sympy as sp

from tracer.check.grading import CARRIED, CORRECT, ROUNDED, WRONG, CheckResult, Grade, Mark
from tracer.documents.blocks import Block, Bullets, Document, Section
from tracer.documents.styles import MathStyle
from tracer.documents.writer import Writer
from tracer.i18n import _, language
from tracer.printing import shown_number

MARKS = {CORRECT: "✓", WRONG: "✗", CARRIED: "↪"}


class Feedback(Writer):
    """Return-free builder of the feedback sheets of one check result, maths in one style."""

    def __init__(self, result: CheckResult, style: MathStyle) -> None:
        super().__init__(style)
        self.result = result
        self.spec = result.trace.spec

    def document(self) -> Document:
        """Return every sheet, then the files not checked."""
        sections = [
            Section(f"file-{n}", tuple(self.sheet(g))) for n, g in enumerate(self.result.grades, start=1)
        ]
        if self.result.problems:
            items = tuple(
                self.say(_("{file}: {problem}"), file=p.field, problem=p.message)
                for p in self.result.problems
            )
            sections.append(Section("problems", (self.heading(_("Files not checked")), Bullets(items))))
        return Document("", "", tuple(sections), language())

    def sheet(self, grade: Grade) -> list[Block]:
        """Return one answer file's sheet: the counts, the table of answers, the steps to redo."""
        blocks: list[Block] = [
            self.heading(_("Feedback on {file}"), file=grade.sheet.source),
            self.paragraph(
                _(
                    "Checked against “{title}” ({notation} notation). An answer counts as right to "
                    "{tolerance}."
                )
                if self.result.rounded is None
                else _(
                    "Checked against “{title}” ({notation} notation). An answer counts as right to "
                    "{tolerance}, or when it matches the chain rounded to {rounded} decimals at every "
                    "step."
                ),
                title=_(self.spec.title),  # a preset's title is a catalogue message
                notation=self.spec.notation,
                tolerance=self.result.tolerance.text,
                rounded=str(self.result.rounded),
            ),
            self.paragraph(
                _("{correct} of {total} correct, {wrong} wrong, {carried} carried forward."),
                correct=str(grade.count(CORRECT)),
                total=str(len(grade.marks)),
                wrong=str(grade.count(WRONG)),
                carried=str(grade.count(CARRIED)),
            ),
        ]
        if grade.first_wrong is not None:
            first = grade.first_wrong
            blocks.append(
                self.paragraph(
                    _("The first wrong step is {symbol} ({name})."),
                    symbol=first.symbol,
                    name=first.answer.name,
                )
            )
        head = [
            (),
            self.say(_("Quantity")),
            self.say(_("Yours")),
            self.say(_("Expected")),
            self.say(_("Difference")),
            self.say(_("Verdict")),
        ]
        rows = [
            (
                self.say(MARKS[m.status]),
                self.say("{x}", x=m.symbol),
                (self.number(m.given),),
                (self.number(m.expected),),
                (self.number(m.difference, signed=True),),
                self.verdict(m),
            )
            for m in grade.marks
        ]
        tones = [m.status for m in grade.marks]
        blocks.append(self.table(head, rows, (False, False, True, True, True, False), tones))
        wrong = [m for m in grade.marks if m.status != CORRECT]
        if wrong:
            blocks.append(self.heading(_("Steps to look at again"), 2))
            for mark in wrong:
                blocks += self.again(mark)
        return blocks

    def number(self, value: float, signed: bool = False):  # type: ignore[override]
        """Return a number as maths; a difference with its sign (+0.00003, −0.1, 0), to the decimals
        printed (what is below them, 5.6·10⁻¹⁷ between 0.5925 typed and 0.5925 computed, is
        float64's rounding, not the student's)."""
        span = super().number(round(value, self.style.printer.decimals) if signed else value)
        if signed and not span.text.startswith("-") and span.text != "0":
            return span._replace(text="+" + span.text)
        return span

    def verdict(self, mark: Mark):
        """Return the verdict of one answer in words."""
        if mark.status == CORRECT:
            if mark.matched == ROUNDED:
                return self.say(
                    _("correct (the chain rounded to {decimals} decimals gives {value})"),
                    decimals=str(self.result.rounded),
                    value=self.number(mark.rounded_expected),
                )
            return self.say(_("correct"))
        if mark.status == WRONG:
            return self.say(_("wrong"))
        if mark.root is None:
            return self.say(_("carried forward from rounding"))
        return self.say(_("carried forward from {root}"), root=mark.root_symbol)

    def again(self, mark: Mark) -> list[Block]:
        """Return one wrong or carried-forward answer's step: done right, or from the student's numbers."""
        heading = (
            self.heading(_("{symbol}: wrong"), 3, symbol=mark.symbol)
            if mark.status == WRONG
            else self.heading(_("{symbol}: carried forward"), 3, symbol=mark.symbol)
        )
        blocks: list[Block] = [
            heading,
            self.paragraph(
                _("You wrote {given}; the value is {expected}."),
                given=self.number(mark.given),
                expected=self.number(mark.expected),
            ),
        ]
        if mark.quantity.given:
            blocks.append(
                self.paragraph(
                    _("{symbol} is given in the network: {value}."),
                    symbol=mark.symbol,
                    value=sp.Eq(mark.symbol, shown_number(mark.expected), evaluate=False),
                )
            )
        elif mark.formula is None:
            blocks.append(
                self.paragraph(
                    _("{symbol} is the cost of a forward pass with the updated weights and biases."),
                    symbol=mark.symbol,
                )
            )
            if mark.yours_differ:
                text = (
                    _("From your updated weights and biases it is {value}, so this step is right.")
                    if mark.status == CARRIED
                    else _("From your updated weights and biases it is {value}.")
                )
                blocks.append(self.paragraph(text, value=self.number(mark.yours)))
        elif mark.status == WRONG:
            blocks.append(self.paragraph(_("The step ({rule}):"), rule=_(mark.quantity.rule)))
            blocks.append(
                self.chain(mark.symbol, mark.formula, mark.substituted, shown_number(mark.expected))
            )
            if mark.yours_differ:
                blocks.append(self.paragraph(_("From your own numbers it gives:")))
                blocks.append(self.chain(mark.symbol, mark.yours_substituted, shown_number(mark.yours)))
        else:
            blocks.append(self.paragraph(_("From your own numbers the step is right:")))
            blocks.append(
                self.chain(mark.symbol, mark.formula, mark.yours_substituted, shown_number(mark.yours))
            )
        if mark.status == CARRIED and mark.root is None:
            blocks.append(
                self.paragraph(
                    _(
                        "Each of your earlier answers was within the tolerance, but their rounding grew "
                        "beyond it here: keep more decimals in the intermediate values."
                    ),
                    tone="note",
                )
            )
        return blocks


def feedback(result: CheckResult, style: MathStyle) -> Document:
    """Return the feedback sheets of ``result`` as one document, maths printed in ``style``."""
    return Feedback(result, style).document()
