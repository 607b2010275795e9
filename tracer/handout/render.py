"""A handout's files: per variant an exercise sheet, an answer key, an answers file and a spec file,
then one file with every exercise, one with every key, and an index (``README.md``).

The sheets are Jinja templates (``templates/handout/``, context in ``templates/README.md``) in the
worked examples' environments (:func:`tracer.documents.render.environment`): an exercise reuses the worked
example's conventions and network sections, an answer key is the whole worked example
(:func:`tracer.documents.render.document`) with the asked steps marked ``highlighted``, which the templates
box. Each variant's Document is composed once and serves its sheet, its key and the combined files.
Every file is rendered in full before any is written (the caller writes them).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

from tracer.derive import symbol
from tracer.documents.blocks import Document
from tracer.documents.pdf import compile_latex
from tracer.documents.render import document, environment, render_svg
from tracer.documents.styles import LatexStyle
from tracer.handout.model import Handout, Variant
from tracer.handout.rules import SATURATION
from tracer.printing import MathPrinter, format_number
from tracer.spec_toml import spec_toml, toml_number, toml_string


class Asked(NamedTuple):
    """Return-free asked quantity on a sheet: its place, symbol (LaTeX), answer id and value (LaTeX)."""

    number: int
    symbol: str
    id: str
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

    ``svg`` is the diagram's file name beside a Markdown sheet (None in LaTeX).
    """

    number: int
    code: str
    command: str
    doc: Document
    svg: str | None
    asked: tuple[Asked, ...]
    rejected: int
    files: VariantFiles


class CombinedFiles(NamedTuple):
    """Return-free names of the files of all variants: every exercise, every key, the index."""

    exercises: str
    keys: str
    index: str


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
    varied: str
    kept: str | None
    saturation: str
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
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _sheet(handout: Handout, variant: Variant, format: str, style: LatexStyle) -> Sheet:
    """Return one variant's view: its Document (asked steps highlighted) and its asked table."""
    ids = frozenset(str(ref) for ref in handout.asked)
    doc = document(variant.trace, handout.request.decimals, markdown=format == "md", highlighted=ids)
    values = variant.trace.values
    asked = tuple(
        Asked(i, style.math(symbol(ref)), str(ref), style.number(values[ref]))
        for i, ref in enumerate(handout.asked, start=1)
    )
    files = file_names(handout, variant.number, format)
    return Sheet(
        variant.number, variant.code, variant.command, doc, files.svg, asked, len(variant.rejected), files
    )


def view(handout: Handout, format: str | None = None) -> HandoutView:
    """Return the view model of a handout's sheets, keys and index in ``format`` (md, tex or pdf;
    default: the request's), every Document composed once.
    """
    request = handout.request
    format = format or request.format
    first = handout.variants[0].trace
    style = LatexStyle(MathPrinter(first.naming, request.decimals))
    sheets = tuple(_sheet(handout, v, format, style) for v in handout.variants)
    kinds = {"weights": "weights", "biases": "biases", "x": "inputs", "y": "targets", "learning_rate": "η"}
    varied = [kinds[k] for k, rule in handout.rules.items() if rule is not None]
    kept = [kinds[k] for k, rule in handout.rules.items() if rule is None]
    return HandoutView(
        title=handout.spec.title,
        source=request.source,
        seed=request.seed,
        count=request.count,
        exact=request.exact,
        decimals=request.decimals,
        patterns=handout.patterns,
        varied=_phrase(varied),
        kept=_phrase(kept) if kept else None,
        saturation=format_number(SATURATION),
        rejected=f"{handout.rejected} {'draw was' if handout.rejected == 1 else 'draws were'}",
        rejections=tuple(Rejections(rule, n) for rule, n in handout.rejected_by_rule().items()),
        command=request.command(),
        format=format,
        sheets=sheets,
        files=CombinedFiles(f"exercises.{format}", f"keys.{format}", "README.md"),
    )


def answers_toml(handout: Handout, variant: Variant, spec_file: str) -> str:
    """Return the answers file of a variant: each asked id quoted, its value in full float64 precision.

    ``tracer check SPEC_FILE ANSWERS`` reads it; an exact handout adds each fraction as a comment.
    """
    lines = [
        f"# Answers of variant {variant.number} ({variant.code}) of “{handout.spec.title}”.",
        f"# Grade a student's answers with: tracer check {spec_file} STUDENT.toml",
    ]
    for ref in handout.asked:
        value = variant.trace.values[ref]
        line = f"{toml_string(str(ref))} = {toml_number(float(value))}"
        lines.append(f"{line}  # {value}" if handout.request.exact else line)
    return "\n".join(lines) + "\n"


def _spec_file(variant: Variant) -> str:
    """Return a variant's spec as TOML with a comment saying where it comes from."""
    return spec_toml(
        variant.spec, f"Variant {variant.number} ({variant.code}); made again with:\n{variant.command}"
    )


def sheet_sources(handout: Handout, shown: HandoutView) -> dict[str, str]:
    """Return each variant's exercise sheet and answer key, Markdown or LaTeX, by file name."""
    kind = "md" if shown.format == "md" else "tex"
    env = environment(kind)
    sources: dict[str, str] = {}
    for sheet in shown.sheets:
        context = {"handout": shown, "sheet": sheet}
        sources[sheet.files.exercise] = env.get_template(f"handout/exercise.{kind}.j2").render(context)
        sources[sheet.files.key] = env.get_template(f"handout/key.{kind}.j2").render(context)
    return sources


def combined_sources(shown: HandoutView) -> dict[str, str]:
    """Return every exercise in one file and every key in one file, Markdown or LaTeX, by file name."""
    kind = "md" if shown.format == "md" else "tex"
    env = environment(kind)
    return {
        shown.files.exercises: env.get_template(f"handout/exercises.{kind}.j2").render(handout=shown),
        shown.files.keys: env.get_template(f"handout/keys.{kind}.j2").render(handout=shown),
    }


def index(shown: HandoutView) -> str:
    """Return the handout folder's README.md: seed, variants, rejected draws, how to grade."""
    return environment("md").get_template("handout/index.md.j2").render(handout=shown)


def data_files(handout: Handout, shown: HandoutView) -> dict[str, str]:
    """Return each variant's answers file and spec file, and its SVG diagram beside Markdown sheets."""
    files: dict[str, str] = {}
    for variant, sheet in zip(handout.variants, shown.sheets, strict=True):
        if sheet.files.svg is not None:
            files[sheet.files.svg] = render_svg(variant.trace, handout.request.decimals)
        files[sheet.files.answers] = answers_toml(handout, variant, sheet.files.spec)
        files[sheet.files.spec] = _spec_file(variant)
    return files


def handout_files(handout: Handout) -> dict[str, str | bytes]:
    """Return every file of the handout by name, sorted, in the format its request asks for.

    A whole handout adds every exercise and every key in one file each and the index; one
    variant (``request.only``) is its own files alone. For ``pdf`` the LaTeX is compiled, one TeX
    run per file, in parallel; the same input gives the same bytes.
    """
    shown = view(handout)
    sources = sheet_sources(handout, shown)
    whole = handout.request.only is None
    if whole:
        sources.update(combined_sources(shown))
    files: dict[str, str | bytes] = {**data_files(handout, shown)}
    files.update(compiled(sources) if shown.format == "pdf" else sources)
    if whole:
        files[shown.files.index] = index(shown)
    return dict(sorted(files.items()))


def compiled(sources: dict[str, str]) -> dict[str, bytes]:
    """Return each LaTeX source compiled to PDF, under the same (``.pdf``) name; TeX runs in parallel."""
    names = list(sources)
    with ThreadPoolExecutor(max_workers=max(1, min(len(names), os.cpu_count() or 1))) as pool:
        pdfs = list(pool.map(compile_latex, (sources[n] for n in names)))
    return {name: pdf for name, pdf in zip(names, pdfs, strict=True)}
