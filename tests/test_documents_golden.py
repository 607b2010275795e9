"""Golden files of the worked examples: Markdown, LaTeX, terminal text (plain, 100 columns), JSON, SVG.

A diff in tests/golden/ shows what a change did to the documents; the JSON file doubles as the
dump of the model (every quantity, formula and value), so a diff there means the Trace changed,
a diff only in md/tex/txt means a template or printer did. Regenerate with::

    python3 -m pytest tests/test_documents_golden.py --regen-golden
"""

import json
from pathlib import Path

import pytest
from document_cases import GOLDEN_PRESETS, KINDS, TERMINAL_WIDTH, rendered

from tracer import load_spec, trace
from tracer.documents.render import render_latex, render_markdown, render_terminal
from tracer.i18n import speaking

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", GOLDEN_PRESETS)
def test_document_matches_golden_file(request, name, kind):
    path = GOLDEN / f"{name}{KINDS[kind]}"
    text = rendered(name, kind)
    if request.config.getoption("--regen-golden"):
        path.write_text(text, encoding="utf-8")
        return
    assert path.is_file(), f"no golden file {path.name}; run: python3 -m pytest {__file__} --regen-golden"
    expected = path.read_text(encoding="utf-8")
    if kind == "json":
        # Full float64 values: another BLAS may differ in the last bit, so compare to 12 digits.
        text, expected = (_rounded(json.loads(t)) for t in (text, expected))
    assert text == expected, f"{path.name} changed; if intended, regenerate with --regen-golden"


def _rounded(data):
    """Return JSON data with every float rounded to 12 significant digits."""
    if isinstance(data, float):
        return float(f"{data:.12g}")
    if isinstance(data, list):
        return [_rounded(item) for item in data]
    if isinstance(data, dict):
        return {key: _rounded(value) for key, value in data.items()}
    return data


KOREAN = {"md": ".md", "tex": ".tex", "term": ".txt"}


@pytest.mark.parametrize("kind", KOREAN)
@pytest.mark.parametrize("name", ["mazur", "softmax"])
def test_korean_document_matches_golden_file(request, name, kind):
    """The Korean worked example, the same blocks through the catalogue (golden/ko/)."""
    path = GOLDEN / "ko" / f"{name}{KOREAN[kind]}"
    with speaking("ko"):
        text = _render(trace(load_spec(name)), name, kind)
    if request.config.getoption("--regen-golden"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.is_file(), f"no golden file {path.name}; run: python3 -m pytest {__file__} --regen-golden"
    assert text == path.read_text(encoding="utf-8"), f"ko/{path.name} changed; regenerate if intended"


def _render(result, name: str, kind: str) -> str:
    if kind == "md":
        return render_markdown(result, svg=f"{name}.svg")
    if kind == "tex":
        return render_latex(result)
    return render_terminal(result, width=TERMINAL_WIDTH, colour=False)
