"""A handout's files: per variant an exercise sheet, an answer key, an answers file and a spec file,
then one file with every exercise, one with every key, and an index (``README.md``).

The sheets are Jinja templates (``templates/handout/``, context in ``templates/README.md``) in the
worked examples' environments (:func:`tracer.documents.render.environment`) that place the sentences of
:func:`tracer.handout.words.sheet_words`: an exercise reuses the worked example's conventions and
network sections, an answer key is the whole worked example
(:func:`tracer.documents.render.document`) with the asked steps marked ``highlighted``, which the templates
box. Each variant's Document is composed once and serves its sheet, its key and the combined files.
Every file is rendered in full before any is written (the caller writes them).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from tracer.documents import katex
from tracer.documents.render import environment, render_svg
from tracer.handout import canvas, moodle
from tracer.handout.model import Handout, Variant
from tracer.handout.pdf import typeset
from tracer.handout.view import KINDS, HandoutView, view
from tracer.handout.words import sayer
from tracer.i18n import _
from tracer.spec_toml import spec_toml, toml_number, toml_string


def answers_toml(handout: Handout, variant: Variant, spec_file: str) -> str:
    """Return the answers file of a variant: each asked id quoted, its value in full float64 precision.

    ``tracer check SPEC_FILE ANSWERS`` reads it; an exact handout adds each fraction as a comment.
    """
    lines = [
        "# "
        + _("Answers of variant {number} ({code}) of “{title}”.").format(
            number=variant.number, code=variant.code, title=_(handout.spec.title)
        ),
        "# "
        + _("Grade a student's answers with: {command}").format(
            command=f"tracer check {spec_file} STUDENT.toml"
        ),
    ]
    for ref in handout.asked:
        value = variant.trace.values[ref]
        line = f"{toml_string(str(ref))} = {toml_number(float(value))}"
        lines.append(f"{line}  # {value}" if handout.request.exact else line)
    return "\n".join(lines) + "\n"


def _spec_file(variant: Variant) -> str:
    """Return a variant's spec as TOML with a comment saying where it comes from."""
    return spec_toml(
        variant.spec,
        _("Variant {number} ({code}); made again with:").format(number=variant.number, code=variant.code)
        + "\n"
        + variant.command,
    )


def page_context(handout: Handout, shown: HandoutView) -> dict[str, Any]:
    """Return what an HTML page of sheets needs besides them: each variant's diagram as SVG markup
    (``svgs``, by number), the language of its prose, KaTeX's stylesheet and script to inline;
    nothing for Markdown or LaTeX."""
    if KINDS[shown.format] != "html":
        return {}
    return {
        "svgs": {v.number: Markup(render_svg(v.trace)) for v in handout.variants},
        "lang": shown.sheets[0].doc.lang,
        "katex_css": Markup(katex.stylesheet()),
        "katex_js": Markup(katex.script()),
    }


def sheet_sources(handout: Handout, shown: HandoutView, page: dict[str, Any] | None = None) -> dict[str, str]:
    """Return each variant's exercise sheet and answer key, Markdown, LaTeX or HTML, by file name
    (``page``: :func:`page_context`, made here when not given)."""
    kind = KINDS[shown.format]
    env = environment(kind)
    page = page_context(handout, shown) if page is None else page
    sources: dict[str, str] = {}
    for sheet in shown.sheets:
        context = {"handout": shown, "sheet": sheet, **page}
        sources[sheet.files.exercise] = env.get_template(f"handout/exercise.{kind}.j2").render(context)
        sources[sheet.files.key] = env.get_template(f"handout/key.{kind}.j2").render(context)
    return sources


def combined_sources(shown: HandoutView, page: dict[str, Any] | None = None) -> dict[str, str]:
    """Return every exercise in one file and every key in one file, Markdown, LaTeX or HTML (with
    ``page``, :func:`page_context`), by file name."""
    kind = KINDS[shown.format]
    env = environment(kind)
    context = {"handout": shown, **(page or {})}
    return {
        shown.files.exercises: env.get_template(f"handout/exercises.{kind}.j2").render(context),
        shown.files.keys: env.get_template(f"handout/keys.{kind}.j2").render(context),
    }


def index(shown: HandoutView) -> str:
    """Return the handout folder's README.md: seed, variants, rejected draws, how to grade."""
    return environment("md").get_template("handout/index.md.j2").render(handout=shown, _=sayer("md"))


def data_files(handout: Handout, shown: HandoutView) -> dict[str, str]:
    """Return each variant's answers file and spec file, and its SVG diagram beside Markdown sheets."""
    files: dict[str, str] = {}
    for variant, sheet in zip(handout.variants, shown.sheets, strict=True):
        if sheet.files.svg is not None:
            files[sheet.files.svg] = render_svg(variant.trace)  # its numbers are givens: in full
        files[sheet.files.answers] = answers_toml(handout, variant, sheet.files.spec)
        files[sheet.files.spec] = _spec_file(variant)
    return files


def pdf_files(shown: HandoutView, whole: bool) -> dict[str, bytes]:
    """Return each variant's exercise and key as PDF and, for a whole handout, the combined PDFs.

    The combined exercises and keys are typeset once each and split per variant
    (:mod:`tracer.handout.pdf`).
    """
    typeset_files = typeset(combined_sources(shown))
    exercises = typeset_files[shown.files.exercises][1]
    keys = typeset_files[shown.files.keys][1]
    files: dict[str, bytes] = {}
    for sheet in shown.sheets:
        files[sheet.files.exercise] = exercises[sheet.number]
        files[sheet.files.key] = keys[sheet.number]
    if whole:
        files.update({name: pdf for name, (pdf, _) in typeset_files.items()})
    return files


def handout_files(handout: Handout) -> dict[str, str | bytes]:
    """Return every file of the handout by name, sorted, in the format its request asks for.

    A whole handout adds every exercise and every key in one file each, the index and the LMS
    exports the request names (:func:`lms_files`); one
    variant (``request.only``) is its own files alone. For ``pdf`` the combined LaTeX is compiled
    once per file, the two in parallel, and split per variant; the same input gives the same bytes.
    """
    shown = view(handout)
    whole = handout.request.only is None
    files: dict[str, str | bytes] = {**data_files(handout, shown)}
    if shown.format == "pdf":
        files.update(pdf_files(shown, whole))
    else:
        page = page_context(handout, shown)
        files.update(sheet_sources(handout, shown, page))
        if whole:
            files.update(combined_sources(shown, page))
    if whole:
        files[shown.files.index] = index(shown)
        files.update(lms_files(handout, shown))
    return dict(sorted(files.items()))


def lms_files(handout: Handout, shown: HandoutView) -> dict[str, bytes]:
    """Return the handout for each LMS its request names: ``moodle.xml``, ``canvas-qti.zip``."""
    files: dict[str, bytes] = {}
    if "moodle" in handout.request.lms:
        files[moodle.FILE] = moodle.moodle_xml(handout, shown)
    if "canvas" in handout.request.lms:
        files[canvas.FILE] = canvas.canvas_package(handout, shown)
    return files
