"""What a step-through page carries besides its document: the diagram, UI labels, data, KaTeX.

The document's blocks are the worked example's (:mod:`tracer.documents.lesson`); the page adds
only its controls' labels (translated here), the diagram as SVG with each element keyed by the
quantity it stands for (:func:`tracer.documents.diagram.place_key`), and the data its self-test marks
answers with (:mod:`tracer.documents.quiz`).
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from tracer.documents import katex
from tracer.documents.diagram import place_key
from tracer.documents.quiz import quiz_data
from tracer.i18n import _
from tracer.tolerance import ABS_FLOOR
from tracer.trace import Trace


def labels() -> dict[str, str]:
    """Return the page's UI labels in the current language; ``{name}`` is filled in by the page."""
    return {
        "controls": _("Step through the worked example"),
        "previous": _("Previous"),
        "next": _("Next"),
        "show_all": _("Show all"),
        "self_test": _("Self-test"),
        "position": _("Calculation {number} of {total}"),
        "end": _("The end of the worked example"),
        "all_shown": _("Every step is shown"),
        "answer_for": _("Your value of {id}"),
        "correct": _("right"),
        "wrong": _("wrong"),
        "carried": _("carried forward from {root}: right from your own numbers"),
        "carried_rounding": _("carried forward: right from your own numbers, off by rounding alone"),
    }


def script_json(data: Any) -> Markup:
    """Return ``data`` as JSON safe inside a ``<script>`` element (no ``</`` can close it)."""
    return Markup(json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/"))


def page_context(trace: Trace, svg: str) -> dict[str, Any]:
    """Return the page's context besides ``doc``: the diagram ``svg`` (rendered by the caller),
    ``labels``, ``data``, ``katex_css``, ``katex_js``."""
    data = quiz_data(trace)
    data["abs_floor"] = ABS_FLOOR
    data["labels"] = labels()
    depth = trace.spec.depth
    data["places"] = {q.id: place_key(q.ref, depth) for q in trace.quantities if place_key(q.ref, depth)}
    return {
        "svg": Markup(svg),
        "labels": data["labels"],
        "data": script_json(data),
        "katex_css": Markup(katex.stylesheet()),
        "katex_js": Markup(katex.script()),
    }
