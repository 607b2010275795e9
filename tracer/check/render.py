"""Outputs of ``tracer check``: a terminal report, a Markdown feedback sheet, JSON.

The grading model (:mod:`tracer.check.grading`) holds every fact; this module only formats. One Jinja
environment with filters registered by name, templates under ``templates/check/`` (their context
is described in ``templates/README.md``), all maths text from :mod:`tracer.printing`.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import jinja2
import sympy as sp
from sympy.printing.pretty.stringpict import prettyForm, stringPict

from tracer.check.grading import CARRIED, CORRECT, WRONG, CheckResult, Grade, Mark
from tracer.ids import Ref
from tracer.printing import DEFAULT_DECIMALS, MathPrinter, TracerPrettyPrinter
from tracer.templating import new_environment
from tracer.terminal import display_width, pad

COLOURS = {CORRECT: "32", WRONG: "31", CARRIED: "33", "dim": "2", "bold": "1"}


class _Maths:
    """Return-free bundle of the filters that print maths and numbers for one notation."""

    def __init__(self, printer: MathPrinter) -> None:
        self.printer = printer
        self.pretty = TracerPrettyPrinter({"naming": printer.naming, "decimals": printer.decimals})
        self._latex: dict[sp.Expr, str] = {}
        self._tops: dict[Ref, str] = {}
        self._symbols: dict[Ref, prettyForm] = {}
        self._steps: dict[tuple[Ref, bool], str] = {}

    def latex(self, expr: sp.Expr) -> str:
        """Return LaTeX, cached: formulas repeat across answer files."""
        if expr not in self._latex:
            self._latex[expr] = self.printer.latex(expr)
        return self._latex[expr]

    def worked(self, mark: Mark, yours: bool = False, formula: bool = True) -> str:
        """Return the step as a Unicode picture: ``symbol = formula`` over ``= numbers = value``.

        With ``yours`` the numbers are the student's own and the value what they give; without
        ``formula`` only ``symbol = numbers = value``. The true step is printed once per quantity.
        """
        if mark.formula is None:
            return ""
        key = (mark.ref, formula)
        if not yours and key in self._steps:
            return self._steps[key]
        numbers = mark.yours_substituted if yours else mark.substituted
        value = mark.yours if yours else mark.expected
        if mark.ref not in self._symbols:
            self._symbols[mark.ref] = self.pretty._print(mark.symbol)
        symbol = self._symbols[mark.ref]
        tail = (" = ", self.pretty._print(numbers), " = ", self.printer.number(value))
        if not formula:
            text = self._render(*stringPict.next(symbol, *tail))
        else:
            if mark.ref not in self._tops:
                top = stringPict.next(symbol, " = ", self.pretty._print(mark.formula))
                self._tops[mark.ref] = self._render(*top)
            text = self._tops[mark.ref] + "\n" + self._render(*stringPict.next(" " * symbol.width(), *tail))
        if not yours:
            self._steps[key] = text
        return text

    @staticmethod
    def _render(text: str, baseline: int) -> str:
        return "\n".join(
            line.rstrip() for line in prettyForm(text, baseline).render(wrap_line=False).split("\n")
        )


def environment(printer: MathPrinter, colour: bool = False) -> jinja2.Environment:
    """Return the Jinja environment of the check outputs, its filters bound to ``printer``."""
    env = new_environment()
    maths = _Maths(printer)

    def paint(text: str, style: str) -> str:
        return f"\033[{COLOURS[style]}m{text}\033[0m" if colour and style in COLOURS else text

    env.filters.update(
        latex=maths.latex,
        text=printer.text,
        worked=maths.worked,
        pad=pad,
        number=printer.number,
        signed=lambda v: _signed(printer.number(v)),
        paint=paint,
    )
    return env


def _signed(number: str) -> str:
    """Return a formatted difference with its sign: ``+0.00003``, ``-0.1``, ``0``."""
    return number if number.startswith("-") or number == "0" else "+" + number


def _printer(result: CheckResult) -> MathPrinter:
    return MathPrinter(result.trace.naming, DEFAULT_DECIMALS)


def _context(result: CheckResult, printer: MathPrinter) -> dict[str, Any]:
    marks = [m for g in result.grades for m in g.marks]
    return {
        "result": result,
        "spec": result.trace.spec,
        "widths": {
            "symbol": max((display_width(printer.text(m.symbol)) for m in marks), default=1),
            "given": max((display_width(printer.number(m.given)) for m in marks), default=5),
            "expected": max((display_width(printer.number(m.expected)) for m in marks), default=8),
            "difference": max(
                (display_width(printer.number(abs(m.difference))) + 1 for m in marks), default=10
            ),
        },
    }


def render_term(result: CheckResult, colour: bool = False) -> str:
    """Return the terminal report; ANSI colour only when ``colour`` is True."""
    printer = _printer(result)
    template = environment(printer, colour).get_template("check/report.txt.j2")
    return template.render(_context(result, printer))


def render_markdown(result: CheckResult) -> str:
    """Return the feedback sheets as Markdown with $…$ maths, one section per answer file."""
    printer = _printer(result)
    template = environment(printer).get_template("check/report.md.j2")
    return template.render(_context(result, printer))


def render_json(result: CheckResult) -> str:
    """Return the result as JSON: ``{"spec", "tolerance", "rounded", "files": [{"file", "answers"}]}``.

    Each answer: id, name (as given), status, matched, expected, given, difference,
    rounded_expected (with ``--rounded``), yours (the step from the student's numbers), root
    (the first wrong step's id), and for a wrong or carried-forward answer the formula, the
    formula with the true numbers and with the student's numbers, in LaTeX.
    """
    maths = _Maths(_printer(result))
    files: list[dict[str, Any]] = [_grade_json(g, maths, result.rounded is not None) for g in result.grades]
    files += [{"file": p.field, "error": p.message} for p in result.problems]
    document = {
        "spec": result.trace.spec.title,
        "notation": result.trace.spec.notation,
        "tolerance": {"decimals": result.tolerance.decimals, "rtol": result.tolerance.rtol},
        "rounded": result.rounded,
        "exit_status": result.exit_status,
        "files": files,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _grade_json(grade: Grade, maths: _Maths, rounded: bool) -> dict[str, Any]:
    first = grade.first_wrong
    return {
        "file": grade.sheet.source,
        "all_correct": grade.all_correct,
        "counts": {s: grade.count(s) for s in (CORRECT, WRONG, CARRIED)},
        "first_wrong": None if first is None else str(first.ref),
        "answers": [_mark_json(m, maths, rounded) for m in grade.marks],
    }


def _mark_json(mark: Mark, maths: _Maths, rounded: bool) -> dict[str, Any]:
    shown = mark.status != CORRECT and mark.formula is not None
    data: dict[str, Any] = {
        "id": str(mark.ref),
        "name": mark.answer.name,
        "symbol_latex": maths.latex(mark.symbol),
        "status": mark.status,
        "matched": mark.matched,
        "expected": mark.expected,
        "given": mark.given,
        "difference": mark.difference,
    }
    if rounded:
        data["rounded_expected"] = mark.rounded_expected
    data |= {
        "yours": mark.yours,
        "root": None if mark.root is None else str(mark.root),
        "formula_latex": maths.latex(mark.formula) if shown else None,
        "substituted_latex": maths.latex(mark.substituted) if shown else None,
        "yours_latex": maths.latex(mark.yours_substituted) if shown else None,
    }
    return data


def render(result: CheckResult, format: str, colour: bool = False) -> str:
    """Return the report of every answer file in one text, in ``format`` (term, md or json)."""
    if format == "json":
        return render_json(result)
    if format == "md":
        return render_markdown(result)
    return render_term(result, colour)


def render_each(result: CheckResult, format: str) -> list[tuple[str, str]]:
    """Return one (name, report) pair per answer file, for a folder of feedback sheets.

    The name is the answer file's stem (``alice`` for alice.toml), or its whole name when two
    files share a stem (``alice.toml``, ``alice.json``).
    """
    paths = [Path(g.sheet.source) for g in result.grades]
    stems = [p.stem for p in paths]
    names = [p.name if stems.count(p.stem) > 1 else p.stem for p in paths]
    return [
        (name, render(replace(result, grades=(g,), problems=()), format))
        for name, g in zip(names, result.grades, strict=True)
    ]
