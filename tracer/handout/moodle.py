"""A handout as Moodle XML: one question category, one Cloze question per variant.

Moodle's "Moodle XML format" import (docs.moodle.org/en/Moodle_XML_format) reads a ``<quiz>`` of
``<question>`` elements. The first, of type ``category``, puts every variant into one category
named after the handout; a quiz then draws one random question from it, so each student gets one
variant. Each variant is a ``cloze`` question (Embedded Answers) whose text is the exercise sheet
as HTML, maths in ``\\( \\)`` for Moodle's MathJax filter, the diagram an SVG file embedded in
the question (``<file>``, addressed as ``@@PLUGINFILE@@/variant-07.svg``), and one
``{1:NUMERICAL:=value:margin}`` blank per asked value, graded by the rule of ``tracer check
--decimals`` (:mod:`tracer.handout.blanks`).

The XML is built with lxml, which escapes every title and text (``&``, ``<``, Hangul stay what
they are), rather than assembled from strings.
"""

from __future__ import annotations

import base64
import html

from lxml import etree

from tracer.documents.render import render_svg
from tracer.handout import LMS_FILES
from tracer.handout.blanks import Blank, unscaled
from tracer.handout.model import Handout
from tracer.handout.question import blanks, question_html
from tracer.handout.view import HandoutView
from tracer.i18n import _

FILE = LMS_FILES["moodle"]


def cloze(b: Blank) -> str:
    """Return a blank as Moodle's embedded answer: one numeric answer, full marks within the margin.

    >>> from tracer.handout.blanks import blank
    >>> cloze(blank(1, "w", -0.04496, 4))
    '{1:NUMERICAL:=-0.0450:0.00015}'
    """
    return f"{{1:NUMERICAL:={b.answer}:{b.margin}}}"


def category_path(title: str) -> str:
    """Return the category of a handout in the course's question bank; a ``/`` in the title is
    written ``//`` so that it does not start a subcategory.

    >>> category_path("XOR / AND")
    '$course$/top/XOR // AND'
    """
    return "$course$/top/" + title.replace("/", "//")


def _text(parent: etree._Element, tag: str, text: str, **attributes: str) -> etree._Element:
    """Add ``<tag><text>text</text></tag>`` to ``parent`` and return the new element."""
    element = etree.SubElement(parent, tag, **attributes)
    etree.SubElement(element, "text").text = text
    return element


def moodle_xml(handout: Handout, shown: HandoutView) -> bytes:
    """Return the handout as a Moodle XML file: a category, then a Cloze question per variant."""
    quiz = etree.Element("quiz")
    category = etree.SubElement(quiz, "question", type="category")
    _text(category, "category", category_path(shown.title))
    about = _(
        "{count} variants of one exercise made by {command}; a quiz that draws one random question "
        "from this category gives each student one variant. Moodle cannot give credit for an error "
        "carried forward from an earlier step: tracer check can."
    ).format(count=shown.count, command=shown.command)
    _text(category, "info", html.escape(about), format="html")
    for variant, sheet in zip(handout.variants, shown.sheets, strict=True):
        image = f"variant-{variant.number:02d}.svg"
        found = blanks(handout, variant, sheet, unscaled)
        page = question_html(shown, sheet, f"@@PLUGINFILE@@/{image}", found, tuple(cloze(b) for b in found))
        question = etree.SubElement(quiz, "question", type="cloze")
        _text(question, "name", f"{shown.title} · {sheet.code}")
        text = _text(question, "questiontext", page, format="html")
        svg = render_svg(variant.trace, handout.request.decimals).encode("utf-8")
        attached = etree.SubElement(text, "file", name=image, path="/", encoding="base64")
        attached.text = base64.b64encode(svg).decode("ascii")
        _text(question, "generalfeedback", "", format="html")
        etree.SubElement(question, "penalty").text = "0.3333333"
        etree.SubElement(question, "hidden").text = "0"
        etree.SubElement(question, "idnumber").text = sheet.code
    return etree.tostring(quiz, xml_declaration=True, encoding="UTF-8", pretty_print=True)
