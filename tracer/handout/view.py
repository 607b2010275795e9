"""What a handout's sheets, keys, index and LMS questions show: read-only view models.

:func:`view` composes each variant's worked example once (:func:`tracer.documents.render.document`,
the asked steps ``highlighted``) and gathers what frames it: code, command, asked quantities with
their names and values, file names. :mod:`tracer.handout.render` fills the templates with it;
:mod:`tracer.handout.moodle` and :mod:`tracer.handout.canvas` build LMS questions from it.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import sympy as sp

from tracer.derive import symbol
from tracer.documents.blocks import Document
from tracer.documents.render import document
from tracer.documents.styles import LatexStyle
from tracer.handout import LMS_FILES
from tracer.handout.model import Handout, Request, Variant
from tracer.handout.rules import SATURATION
from tracer.handout.words import SheetFacts, SheetWords, sheet_words
from tracer.i18n import N_, _
from tracer.printing import MathPrinter, format_number
from tracer.spec_toml import toml_string

KEY_LEAVES_OUT = ("introduction", "check")  # sections of the worked example a key does not show


class Asked(NamedTuple):
    """Return-free asked quantity on a sheet: its place, symbol (LaTeX), canonical id, name in the
    notation (``out_h1``, as an answers file takes it), that name as a TOML key (quoted when it must
    be: ``"dE_total/dw_5"``) and its value (LaTeX, to the asked decimals with trailing zeros).
    """

    number: int
    symbol: str
    id: str
    name: str
    key: str
    value: str


class VariantFiles(NamedTuple):
    """Return-free names of one variant's files; ``svg`` (the diagram) is None but in Markdown."""

    exercise: str
    key: str
    answers: str
    spec: str
    svg: str | None


class Sheet(NamedTuple):
    """Return-free variant as its sheets show it: the worked example ``doc`` and what frames it.

    ``svg`` is the diagram's file name beside a Markdown sheet (None in LaTeX and HTML);
    ``key_sections`` names the sections of ``doc`` its answer key shows; ``words`` are the sentences
    of its sheet and key, set for the output (:func:`tracer.handout.words.sheet_words`).
    """

    number: int
    code: str
    command: str
    doc: Document
    svg: str | None
    asked: tuple[Asked, ...]
    rejected: int
    files: VariantFiles
    key_sections: tuple[str, ...]
    words: SheetWords


# The markup each handout format's sentences are set in.
KINDS = {"md": "md", "tex": "tex", "pdf": "tex", "html": "html"}


class CombinedFiles(NamedTuple):
    """Return-free names of the files of all variants: every exercise, every key, the index, and
    the LMS imports (None when not asked for).
    """

    exercises: str
    keys: str
    index: str
    moodle: str | None = None
    canvas: str | None = None


class Rejections(NamedTuple):
    """Return-free count of the draws one rule rejected."""

    rule: str
    count: int


class HandoutView(NamedTuple):
    """Return-free handout as its combined files and index show it; ``sheets`` in variant order."""

    title: str
    source: str
    seed: int
    count: int
    exact: bool
    decimals: int
    patterns: tuple[str, ...]
    varied: str | None
    kept: str | None
    saturation: str
    hand_in: str  # paper, file or both
    rejected: str  # "1 draw was", "5 draws were"
    rejections: tuple[Rejections, ...]
    command: str
    format: str
    sheets: tuple[Sheet, ...]
    files: CombinedFiles


def file_names(handout: Handout, k: int, format: str) -> VariantFiles:
    """Return variant k's file names, e.g. ``variant-03-exercise.md``."""
    stem = f"variant-{k:02d}"
    return VariantFiles(
        exercise=f"{stem}-exercise.{format}",
        key=f"{stem}-key.{format}",
        answers=f"{stem}-answers.toml",
        spec=f"{stem}-spec.toml",
        svg=f"{stem}.svg" if format == "md" else None,
    )


def _phrase(words: list[str]) -> str:
    """Return words as a list in prose: ``weights, biases and inputs``."""
    if len(words) == 1:
        return words[0]
    return _("{items} and {last}").format(items=", ".join(words[:-1]), last=words[-1])


def _sheet(handout: Handout, variant: Variant, format: str, style: LatexStyle) -> Sheet:
    """Return one variant's view: its Document (asked steps highlighted) and its asked table."""
    ids = frozenset(str(ref) for ref in handout.asked)
    # The givens (inputs, targets, parameters, η, the optimizer's settings) are the exercise's data:
    # printed as they are, not to the answers' decimals (ε = 0.00000001, not 0; x = 0.05, not 0.1).
    givens = frozenset(
        float(q.value) for q in variant.trace.quantities if q.given and isinstance(q.value, float)
    )
    doc = document(
        variant.trace,
        handout.request.decimals,
        markdown=format == "md",
        highlighted=ids,
        fixed=True,
        in_full=givens,
    )
    values, naming = variant.trace.values, variant.trace.naming
    asked = tuple(
        Asked(
            i,
            style.math(symbol(ref)),
            str(ref),
            naming.name(ref),
            _toml_key(naming.name(ref)),
            _answer(style, values[ref], handout.request.decimals),
        )
        for i, ref in enumerate(handout.asked, start=1)
    )
    files = file_names(handout, variant.number, format)
    # A key is the worked example but its introduction (which promises the gradient check) and the
    # gradient check itself, whose table at the asked decimals is mostly zeros.
    key_sections = tuple(s.name for s in doc.sections if s.name not in KEY_LEAVES_OUT)
    rejected = len(variant.rejected)
    request = handout.request
    facts = SheetFacts(
        variant.number, variant.code, variant.command, doc.title, files.spec, files.answers, *_about(request)
    )
    words = sheet_words(KINDS[format], facts)
    return Sheet(
        variant.number,
        variant.code,
        variant.command,
        doc,
        files.svg,
        asked,
        rejected,
        files,
        key_sections,
        words,
    )


def in_kind(shown: HandoutView, sheet: Sheet, kind: str) -> Sheet:
    """Return ``sheet`` with its sentences set for another output ``kind`` (an LMS question's HTML)."""
    files = sheet.files
    facts = SheetFacts(
        sheet.number, sheet.code, sheet.command, sheet.doc.title, files.spec, files.answers, *_about(shown)
    )
    return sheet._replace(words=sheet_words(kind, facts))


def _about(handout: Request | HandoutView) -> tuple[int, bool, int]:
    """Return what a sheet's sentences say of the whole handout: seed, exact or not, decimals."""
    return handout.seed, handout.exact, handout.decimals


def _toml_key(name: str) -> str:
    """Return a name as a TOML key: bare when TOML allows it, else quoted.

    >>> _toml_key("out_h1"), _toml_key("dE_total/dw_5")
    ('out_h1', '"dE_total/dw_5"')
    """
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else toml_string(name)


def _answer(style: LatexStyle, value: float | sp.Rational, decimals: int) -> str:
    """Return an asked value as a key prints it: to the asked decimals with trailing zeros (0.8400),
    an exact fraction as a fraction.
    """
    if isinstance(value, sp.Rational):
        return style.number(value)
    return format_number(float(value), decimals, fixed=True)


def view(handout: Handout, format: str | None = None) -> HandoutView:
    """Return the view model of a handout's sheets, keys and index in ``format`` (md, tex, pdf or
    html; default: the request's), every Document composed once.
    """
    request = handout.request
    format = format or request.format
    first = handout.variants[0].trace
    style = LatexStyle(MathPrinter(first.naming, request.decimals))
    sheets = tuple(_sheet(handout, v, format, style) for v in handout.variants)
    kinds = {"weights": N_("weights"), "biases": N_("biases"), "x": N_("inputs"), "y": N_("targets")}
    kinds["learning_rate"] = "η"
    varied = [_(kinds[k]) for k, rule in handout.rules.items() if rule is not None]
    kept = [_(kinds[k]) for k, rule in handout.rules.items() if rule is None]
    return HandoutView(
        title=_(handout.spec.title),
        source=request.source,
        seed=request.seed,
        count=request.count,
        exact=request.exact,
        decimals=request.decimals,
        patterns=handout.patterns,
        varied=_phrase(varied) if varied else None,  # [randomize] may keep everything
        kept=_phrase(kept) if kept else None,
        saturation=format_number(SATURATION),
        hand_in=request.hand_in,
        rejected=handout.rejected,
        rejections=tuple(Rejections(_(rule), n) for rule, n in handout.rejected_by_rule().items()),
        command=request.command(),
        format=format,
        sheets=sheets,
        files=CombinedFiles(
            f"exercises.{format}",
            f"keys.{format}",
            "README.md",
            LMS_FILES["moodle"] if "moodle" in request.lms else None,
            LMS_FILES["canvas"] if "canvas" in request.lms else None,
        ),
    )
