"""One variant's exercise as the HTML of an LMS question, and its numeric blanks.

Moodle (:mod:`tracer.handout.moodle`) and Canvas (:mod:`tracer.handout.canvas`) show the same
sheet: ``templates/handout/question.html.j2`` in an HTML environment that escapes every string,
with maths in ``\\( \\)`` and ``\\[ \\]`` for the LMS's MathJax and the diagram as an image.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import jinja2

from tracer.handout.blanks import Blank, blank
from tracer.handout.model import Handout, Variant
from tracer.handout.view import HandoutView, Sheet, in_kind
from tracer.handout.words import sayer
from tracer.templating import new_environment


@cache
def environment() -> jinja2.Environment:
    """Return the Jinja environment of LMS questions: HTML, every string escaped."""
    return new_environment(autoescape=True)


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
    template = environment().get_template("handout/question.html.j2")
    scaled = any(b.scale for b in found)
    context = {
        "handout": shown,
        "sheet": in_kind(shown, sheet, "html"),
        "image": image,
        "blanks": found,
        "cells": cells,
        "scaled": scaled,
    }
    return template.render(context, _=sayer("html"))
