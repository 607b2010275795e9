"""KaTeX, vendored from the npm package ``katex`` (MIT licence in ``tracer/vendor/katex/LICENSE``).

A page typesets its maths with KaTeX and must work offline from ``file://``, so its script and
stylesheet are inlined, and the stylesheet's fonts become ``data:`` URLs. Only the fonts tracer's
maths uses are vendored (``tracer/vendor/katex/fonts``: upright and italic text, bold, AMS symbols,
sans serif and the four sizes of big delimiters); the stylesheet's other ``@font-face`` rules are dropped, so
the page never asks for a file it does not carry.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from pathlib import Path

FOLDER = Path(__file__).parent.parent / "vendor" / "katex"
_FONT_FACE = re.compile(r"@font-face\{[^}]*\}")
_WOFF2 = re.compile(r"url\(fonts/(KaTeX_[\w-]+)\.woff2\)")


def _inlined(rule: str) -> str:
    """Return one ``@font-face`` rule with its woff2 font as a data URL, or "" if it is not vendored."""
    font = _WOFF2.search(rule)
    path = FOLDER / "fonts" / f"{font.group(1)}.woff2" if font else None
    if path is None or not path.is_file():
        return ""
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    source = f'src:url(data:font/woff2;base64,{data}) format("woff2")'
    return re.sub(r"src:[^;}]*", source, rule)


@cache
def stylesheet() -> str:
    """Return KaTeX's stylesheet with the vendored fonts inlined and no other font files named."""
    css = (FOLDER / "katex.min.css").read_text(encoding="utf-8")
    return _FONT_FACE.sub(lambda match: _inlined(match.group(0)), css)


@cache
def script() -> str:
    """Return KaTeX's script, defining the global ``katex`` even where an AMD loader is present.

    A notebook page may have RequireJS; hiding ``define``, ``module`` and ``exports`` makes the
    UMD bundle set ``window.katex`` instead of registering a module.
    """
    source = (FOLDER / "katex.min.js").read_text(encoding="utf-8")
    return f"(function (define, module, exports) {{\n{source}\n}}).call(window);"
