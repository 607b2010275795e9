"""User prose (titles, descriptions, conventions) made safe for LaTeX and Markdown.

Prose is not maths: it is the spec's title and description and the sentences of the activation
and loss objects, which use Unicode for their symbols (σ′, ‖y − a‖², δ⁽²⁾, Σⱼ). LaTeX needs each
special character escaped and each such symbol spelled out; pdflatex cannot typeset σ or ⁽²⁾ from
the input file. Superscript and subscript characters are found by their Unicode decomposition, so
``ᵀ``, ``ⱼ`` or ``⁽²⁾`` need no table entry; Greek letters by their Unicode name.
"""

from __future__ import annotations

import re
import unicodedata

_TEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
_TEX_SYMBOL = {
    "−": "-",
    "×": r"\times",
    "·": r"\cdot",
    "⋅": r"\cdot",
    "⊙": r"\odot",
    "′": "'",
    "∂": r"\partial",
    "∇": r"\nabla",
    "→": r"\to",
    "←": r"\leftarrow",
    "≥": r"\geq",
    "≤": r"\leq",
    "≈": r"\approx",
    "≠": r"\neq",
    "‖": r"\|",
    "½": r"\tfrac{1}{2}",
    "∑": r"\sum",
    "∞": r"\infty",
    "±": r"\pm",
    "∈": r"\in",
    "⊤": r"\top",
    "√": r"\surd",
}
_TEX_ACCENT = {"\u0302": r"\hat", "\u0303": r"\tilde", "\u0304": r"\bar", "\u20d7": r"\vec"}
_TEX_TEXT = {"…": r"\dots{}", "–": "--", "—": "---", "°": r"\textdegree{}", "\u00a0": "~"}
# Greek capitals that look like Latin ones have no LaTeX command.
_GREEK_CAPITALS = {"gamma", "delta", "theta", "lambda", "xi", "pi", "sigma", "upsilon", "phi", "psi", "omega"}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|$~])")


def _script(char: str) -> tuple[str, str] | None:
    """Return ("super" or "sub", the plain character) for a superscript or subscript character."""
    decomposition = unicodedata.decomposition(char)
    for kind in ("super", "sub"):
        if decomposition.startswith(f"<{kind}> "):
            return kind, chr(int(decomposition.split()[1], 16))
    return None


def _greek(char: str) -> str | None:
    """Return the LaTeX command of a Greek letter, e.g. ``\\sigma`` for σ, or None."""
    name = unicodedata.name(char, "")
    if not name.startswith("GREEK") or "LETTER" not in name:
        return None
    letter = name.split()[-1].lower().replace("lamda", "lambda")
    if name.startswith("GREEK CAPITAL"):
        return "\\" + letter.capitalize() if letter in _GREEK_CAPITALS else letter[0].upper()
    return "\\varsigma" if "FINAL" in name else "\\" + letter


def _tex_char(char: str) -> str:
    if char in _TEX_SPECIAL:
        return _TEX_SPECIAL[char]
    if char in _TEX_TEXT:
        return _TEX_TEXT[char]
    command = _TEX_SYMBOL.get(char) or _greek(char)
    if command is not None:
        return rf"\ensuremath{{{command}}}"
    return char


def tex_escape(text: str) -> str:
    """Return prose as LaTeX text: specials escaped, Unicode symbols spelled out.

    >>> print(tex_escape("50% of δ⁽²⁾"))
    50\\% of \\ensuremath{\\delta}\\textsuperscript{(2)}
    >>> print(tex_escape("C₀ = (aᴸ − y)²"))
    C\\textsubscript{0} = (a\\textsuperscript{L} \\ensuremath{-} y)\\textsuperscript{2}
    >>> print(tex_escape("m̂ and √v̂"))
    \\ensuremath{\\hat{m}} and \\ensuremath{\\surd}\\ensuremath{\\hat{v}}
    """
    out: list[str] = []
    run_kind, run = None, []
    for char in text + "\0":
        script = _script(char) if char != "\0" else None
        kind = script[0] if script else None
        if kind != run_kind and run:
            command = r"\textsuperscript" if run_kind == "super" else r"\textsubscript"
            out.append(command + "{" + "".join(_tex_char(c) for c in run) + "}")
            run = []
        run_kind = kind
        if script:
            run.append(script[1])
        elif char in _TEX_ACCENT and out:
            # A combining accent (m̂) sets the character before it under the accent.
            out[-1] = rf"\ensuremath{{{_TEX_ACCENT[char]}{{{out[-1]}}}}}"
        elif char != "\0":
            out.append(_tex_char(char))
    return "".join(out)


def tex_code(text: str) -> str:
    """Return a command or an id for ``\\texttt``: escaped, each hyphen kept apart (``--`` is no dash).

    >>> print(tex_code("tracer handout mazur --seed 4 #1"))
    tracer handout mazur -{}-{}seed 4 \\#1
    """
    return tex_escape(text).replace("-", "-{}")


def markdown_escape(text: str) -> str:
    """Return prose with the characters Markdown would read as markup escaped.

    >>> markdown_escape("w_1 * 2 <b>")
    'w\\\\_1 \\\\* 2 \\\\<b\\\\>'
    """
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return re.sub(r"^(\s*)([#+-]|\d+\.)(\s)", r"\1\\\2\3", escaped, flags=re.MULTILINE)
