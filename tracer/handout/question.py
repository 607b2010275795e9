"""One variant's exercise as the HTML of an LMS question, and its numeric blanks.

Moodle (:mod:`tracer.handout.moodle`) and Canvas (:mod:`tracer.handout.canvas`) show the same
sheet: ``templates/handout/question.html.j2`` in the page's HTML environment, which escapes every
string, its blocks by the page's macros (``templates/html/_macros.html.j2``) in their LMS mode:
maths in ``\\( \\)`` and ``\\[ \\]`` for the LMS's MathJax, the diagram as an image.
"""

from __future__ import annotations

from collections.abc import Callable

from tracer.documents.render import environment
from tracer.handout.blanks import Blank, blank
from tracer.handout.model import Handout, Variant
from tracer.handout.view import HandoutView, Sheet, in_kind
from tracer.handout.words import sayer


def blanks(
    handout: Handout, variant: Variant, sheet: Sheet, scale: Callable[[float, int], int]
) -> tuple[Blank, ...]:
    """Return a variant's blank per asked value, each asked times 10 ** ``scale(value, decimals)``."""
    decimals = handout.request.decimals
    found = []
    for asked, ref in zip(sheet.asked, handout.asked, strict=True):
        value = float(variant.trace.values[ref])
        found.append(blank(asked.number, asked.symbol, value, decimals, scale(value, decimals)))
    return tuple(found)


def question_html(
    shown: HandoutView, sheet: Sheet, image: str, found: tuple[Blank, ...], cells: tuple[str, ...] | None
) -> str:
    """Return a variant's exercise as HTML: the sheet, the diagram at ``image``, and the asked values
    in a table whose answer column holds ``cells`` (None: no answer column).
    """
    template = environment("html").get_template("handout/question.html.j2")
    scaled = any(b.scale for b in found)
    context = {
        "handout": shown,
        "sheet": in_kind(shown, sheet, "html"),
        "image": image,
        "blanks": found,
        "cells": cells,
        "scaled": scaled,
        "lms": True,
    }
    return template.render(context, _=sayer("html"))
