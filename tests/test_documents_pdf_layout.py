"""Wider networks' PDFs keep every word inside the page's margins (pdftotext -bbox), not only
without an Overfull warning: a 4-5-3 softmax network and a 3-6-6-2 one."""

import re
import shutil
import subprocess

import pytest

from tracer import trace
from tracer.documents.pdf import compile_latex
from tracer.documents.render import render_latex
from tracer.spec import from_dict

MARGIN = 2 / 2.54 * 72  # the preamble's 2 cm, in PDF points
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>')
NETWORKS = {
    "4-5-3": {
        "layers": [4, 5, 3],
        "activations": ["sigmoid", "softmax"],
        "loss": "cross_entropy",
        "learning_rate": 0.5,
        "seed": 3,
        "samples": [{"x": [0.5, -1.0, 0.25, 0.75], "y": [0.0, 1.0, 0.0]}],
    },
    "3-6-6-2": {
        "layers": [3, 6, 6, 2],
        "activations": ["tanh", "relu", "sigmoid"],
        "loss": "quadratic",
        "learning_rate": 0.1,
        "seed": 5,
        "samples": [{"x": [0.5, -1.0, 0.25], "y": [0.0, 1.0]}],
    },
}


def words_outside(pdf: bytes, tmp_path) -> list[tuple[str, float]]:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    width = float(re.search(r'<page width="([\d.]+)"', text).group(1))
    # Half a point of slack: glyph boxes round outwards.
    return [
        (word, float(right))
        for left, right, word in WORD.findall(text)
        if float(right) > width - MARGIN + 0.5 or float(left) < MARGIN - 0.5
    ]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils' pdftotext")
@pytest.mark.parametrize("name", NETWORKS)
def test_no_word_of_a_wider_network_lies_beyond_the_margins(name, tmp_path):
    pdf = compile_latex(render_latex(trace(from_dict({"title": name, **NETWORKS[name]}))))
    assert words_outside(pdf, tmp_path) == []
