"""One document, many formats: every sentence is written once, and every format shows all of it.

The worked example and the check report are documents of blocks (tracer/documents/blocks.py);
md, tex and term are a frame and one macro per block kind. These tests would fail if a sentence
crept back into a template (and so into one format but not the others), or if a format dropped
a block.
"""

import re
from pathlib import Path

import pytest

from tracer import load_spec, trace
from tracer.documents.render import document, render_latex, render_markdown, render_terminal

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
RENDERERS = ("md", "tex", "term")
JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}|<#.*?#>|<%.*?%>|<<.*?>>", re.S)
WORDS = re.compile(r"[A-Za-z][a-z']+(?:[ ,;:]+[A-Za-z][a-z']+){3,}")


def sentences(path: Path) -> set[str]:
    """Return the runs of four or more English words a template writes itself."""
    text = JINJA.sub(" ", path.read_text(encoding="utf-8"))
    text = re.sub(r"\\[A-Za-z]+", " ", text)  # LaTeX commands are layout, not prose
    return {" ".join(m.group(0).split()) for m in WORDS.finditer(text)}


def test_the_renderers_templates_write_no_sentence_of_their_own():
    found = {
        str(path.relative_to(TEMPLATES)): sentences(path)
        for kind in RENDERERS
        for path in sorted((TEMPLATES / kind).glob("*.j2"))
    }
    # Comments are stripped; what remains is layout. A sentence here would exist in one format only.
    assert {name: words for name, words in found.items() if words} == {}


def test_no_sentence_appears_in_two_template_files():
    seen: dict[str, str] = {}
    repeated = []
    for path in sorted(TEMPLATES.rglob("*.j2")):
        name = str(path.relative_to(TEMPLATES))
        if name.startswith(("handout/", "train/")):
            continue  # not yet documents of blocks: their md and tex frames still say some things twice
        for sentence in sentences(path):
            if sentence in seen and seen[sentence] != name:
                repeated.append((sentence, seen[sentence], name))
            seen.setdefault(sentence, name)
    assert not repeated


def test_the_detector_finds_a_sentence(tmp_path):
    assert sentences(TEMPLATES / "md" / "_macros.md.j2") == set()
    sample = tmp_path / "sample.j2"
    sample.write_text("{% if x %}The loss went down, as it should.{% endif %}\n", encoding="utf-8")
    assert sentences(sample) == {"The loss went down, as it should"}


@pytest.mark.parametrize("name", ["mazur", "softmax", "xor"])
def test_every_format_shows_every_paragraph_and_value(name):
    result = trace(load_spec(name))
    doc = document(result)
    md, tex, term = render_markdown(result), render_latex(result), render_terminal(result, width=200)
    for section in doc.sections:
        for block in section.blocks:
            if block.kind == "paragraph":
                words = "".join(s.text for s in block.spans if not s.math).split()
                first = next((w for w in words if len(w) > 6 and w.isalpha()), None)
                if first:
                    assert first in md and first in tex and first in term, first
    for step in doc.steps():
        assert step.value in md and step.value in tex
