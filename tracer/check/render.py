"""Outputs of ``tracer check``: a terminal report, a Markdown feedback sheet, JSON.

The grading model (:mod:`tracer.check.grading`) holds every fact; :mod:`tracer.check.feedback` says
it as a document of blocks, which the worked examples' renderers (:mod:`tracer.documents.render`)
show in the terminal or as Markdown; JSON is written here. All maths text from :mod:`tracer.printing`.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import sympy as sp

from tracer.check.feedback import feedback
from tracer.check.grading import CARRIED, CORRECT, WRONG, CheckResult, Grade, Mark
from tracer.documents.render import environment
from tracer.documents.styles import LatexStyle, PrettyStyle
from tracer.printing import DEFAULT_DECIMALS, MathPrinter


class _Maths:
    """Return-free LaTeX printing for the JSON report, cached: formulas repeat across answer files."""

    def __init__(self, printer: MathPrinter) -> None:
        self.printer = printer
        self._latex: dict[sp.Expr, str] = {}

    def latex(self, expr: sp.Expr) -> str:
        """Return LaTeX of ``expr``, printed once."""
        if expr not in self._latex:
            self._latex[expr] = self.printer.latex(expr)
        return self._latex[expr]


def _printer(result: CheckResult, markdown: bool = False) -> MathPrinter:
    return MathPrinter(result.trace.naming, DEFAULT_DECIMALS, row_break="\\\\\n" if markdown else "\\\\")


def render_term(result: CheckResult, colour: bool = False, width: int = 100) -> str:
    """Return the terminal report, fitted to ``width`` columns; ANSI colour only when ``colour``."""
    # The command says which files it could not read on stderr, next to the terminal report.
    doc = feedback(replace(result, problems=()), PrettyStyle(_printer(result), width - 4))
    return (
        environment("term").get_template("term/document.txt.j2").render(doc=doc, width=width, colour=colour)
    )


def render_markdown(result: CheckResult) -> str:
    """Return the feedback sheets as Markdown with $…$ maths, one section per answer file."""
    doc = feedback(result, LatexStyle(_printer(result, markdown=True)))
    return environment("md").get_template("md/document.md.j2").render(doc=doc, svg=None)


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


def render(result: CheckResult, format: str, colour: bool = False, width: int = 100) -> str:
    """Return the report of every answer file in one text, in ``format`` (term, md or json)."""
    if format == "json":
        return render_json(result)
    if format == "md":
        return render_markdown(result)
    return render_term(result, colour, width)


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
