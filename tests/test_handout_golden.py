"""Golden files of handout sheets and keys: one case per way of handing in, in Markdown, LaTeX and HTML.

Each case is a request (the input), the files it renders, and ``CASE.asked.txt``, a dump of the
view model's asked table (symbol, id, name, TOML key, value), so a diff shows at once whether the
model or a template changed. An HTML page is kept without the KaTeX it inlines (the vendored
files). Regenerate with::

    python3 -m pytest tests/test_handout_golden.py --regen-golden
"""

from pathlib import Path

import pytest

from tracer import load_spec
from tracer.documents import katex
from tracer.handout.model import Request, make_handout
from tracer.handout.render import sheet_sources
from tracer.handout.view import view

GOLDEN = Path(__file__).parent / "golden" / "handout"
CASES = {
    "mazur-paper": Request("mazur", 1, 42, hand_in="paper"),
    "mazur-file": Request("mazur", 1, 42, hand_in="file", format="tex"),
    "relu-exact-both": Request("relu", 1, 7, exact=True, hand_in="both"),
    "mazur-both": Request("mazur", 1, 42, hand_in="both", format="html"),
}


def without_katex(text: str) -> str:
    """Return a page with the KaTeX it inlines replaced by the names of the vendored files."""
    return text.replace(katex.stylesheet(), "/* katex.min.css */").replace(
        katex.script(), "/* katex.min.js */"
    )


def rendered(case: str) -> dict[str, str]:
    """Return the case's sheet and key, and the dump of its asked table, by golden file name."""
    request = CASES[case]
    handout = make_handout(load_spec(request.source), request)
    shown = view(handout)
    files = {
        f"{case}.{name.split('-', 2)[2]}": without_katex(text)
        for name, text in sheet_sources(handout, shown).items()
    }
    rows = ["\t".join(map(str, asked)) for asked in shown.sheets[0].asked]
    files[f"{case}.asked.txt"] = "\n".join(rows) + "\n"
    return files


@pytest.mark.parametrize("case", CASES)
def test_handout_sheet_and_key_match_golden_files(request, case):
    for name, text in rendered(case).items():
        path = GOLDEN / name
        if request.config.getoption("--regen-golden"):
            path.write_text(text, encoding="utf-8")
            continue
        assert path.is_file(), f"no golden file {name}; run: python3 -m pytest {__file__} --regen-golden"
        assert text == path.read_text(encoding="utf-8"), f"{name} changed; if intended, --regen-golden"
