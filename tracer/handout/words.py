"""The sentences of a handout in the reader's language, set for the output they go into.

Templates write ``_("Give your answers to {decimals} decimals.", decimals=4)``: the message is
translated (:func:`tracer.i18n._`) before its ``{fields}`` are filled, so a translation may move
them; the words are escaped for Markdown, LaTeX or HTML, and each field is markup the template
gives (a number, ``**S42-V7**``, ``\\texttt{tracer check}``), set in as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from string import Formatter

from markupsafe import Markup, escape

from tracer.documents.prose import markdown_escape, tex_escape
from tracer.i18n import _

ESCAPES: dict[str, Callable[[str], str]] = {
    "md": markdown_escape,
    "tex": tex_escape,
    "html": lambda text: str(escape(text)),
}


def sentence(kind: str, message: str, **fields: object) -> str:
    """Return ``message`` translated, its words escaped for ``kind`` (md, tex or html) and each
    ``{field}`` filled with the markup given; HTML as Markup, which Jinja does not escape again.

    >>> sentence("tex", "Give your answers to {decimals} decimals & no more.", decimals=4)
    'Give your answers to 4 decimals \\\\& no more.'
    >>> sentence("md", "Code {code}", code="**S42-V7**")
    'Code **S42-V7**'
    """
    words = ESCAPES[kind]
    parts = []
    for literal, name, spec, _conversion in Formatter().parse(_(message)):
        parts.append(words(literal))
        if name is not None:
            parts.append(format(fields[name], spec or ""))
    text = "".join(parts)
    return Markup(text) if kind == "html" else text


def sayer(kind: str) -> Callable[..., str]:
    """Return :func:`sentence` for one output kind, as templates call it: ``_(message, **fields)``."""
    return partial(sentence, kind)
