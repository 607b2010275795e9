"""The network diagram reads clearly: no label under another, each on its own edge, none under a line.

The checks take the geometry the templates draw (tracer.documents.diagram.Diagram) and test it
with methods written apart from the layout's own: each box becomes its four corners and two
boxes overlap when the clipped polygon of one by the other has an area (Sutherland–Hodgman,
where the layout uses separating axes); lines are tested against bias labels by walking along
them. The labels' widths are checked against the fonts themselves: DejaVu Sans's advance widths
for the SVG (fontTools reads the font matplotlib ships) and TeX's own measure for TikZ.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from functools import cache

import pytest
from document_cases import PRESETS, traced

from tracer import trace
from tracer.documents.diagram import Diagram, diagram
from tracer.documents.layout import Box, Line, place
from tracer.documents.render import environment, render_svg
from tracer.exact import exact_trace
from tracer.printing import MathPrinter
from tracer.spec import from_dict

# Wider networks than the presets: the shapes the issue names, and a tall hidden layer.
WIDE = {"4-5-3": [4, 5, 3], "3-6-6-2": [3, 6, 6, 2], "2-8-2": [2, 8, 2]}
CASES = (*PRESETS, *WIDE)
A4_TEXT_CM = (21.0 - 4.0, 29.7 - 4.0)
POINTS_PER_CM = 72.27 / 2.54
needs_tex = pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")


@cache
def traced_case(name: str):
    """Return the Trace of a preset or of one of the wide networks (weights drawn from seed 3)."""
    if name not in WIDE:
        return traced(name)
    layers = WIDE[name]
    spec = from_dict(
        {
            "title": f"A {name} network",
            "layers": layers,
            "activations": "sigmoid",
            "learning_rate": 0.5,
            "seed": 3,
            "samples": [{"x": [0.5] * layers[0], "y": [0.5] * layers[-1]}],
        }
    )
    return trace(spec)


@cache
def picture(name: str) -> Diagram:
    """Return the diagram of a case with the SVG's Unicode labels."""
    result = traced_case(name)
    return diagram(result, MathPrinter(result.naming, minus="\N{MINUS SIGN}").text)


def corners(box: Box) -> list[tuple[float, float]]:
    """Return a box's corners, counter-clockwise on the page as drawn (y downwards)."""
    c, s = math.cos(math.radians(box.angle)), math.sin(math.radians(box.angle))
    w, h = box.width / 2, box.height / 2
    return [
        (box.x + dx * c - dy * s, box.y + dx * s + dy * c) for dx, dy in ((-w, -h), (w, -h), (w, h), (-w, h))
    ]


def clip(subject: list[tuple[float, float]], window: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Return the part of a convex polygon inside another (Sutherland–Hodgman)."""

    def side(p, a, b):
        return (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])

    orientation = (
        1 if sum(side(window[(i + 2) % 4], window[i], window[(i + 1) % 4]) for i in range(4)) > 0 else -1
    )
    output = subject
    for i in range(len(window)):
        a, b = window[i], window[(i + 1) % len(window)]
        points, output = output, []
        for j, p in enumerate(points):
            q = points[(j + 1) % len(points)]
            p_in, q_in = orientation * side(p, a, b) >= 0, orientation * side(q, a, b) >= 0
            if p_in:
                output.append(p)
            if p_in != q_in:
                t = side(p, a, b) / (side(p, a, b) - side(q, a, b))
                output.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
        if not output:
            return []
    return output


def area(polygon: list[tuple[float, float]]) -> float:
    """Return a polygon's area (shoelace)."""
    n = len(polygon)
    return (
        abs(
            sum(
                polygon[i][0] * polygon[(i + 1) % n][1] - polygon[(i + 1) % n][0] * polygon[i][1]
                for i in range(n)
            )
        )
        / 2
    )


def labels(d: Diagram) -> list[tuple[str, Box]]:
    """Return every weight and bias label of a diagram with its box."""
    return [(e.label, e.box) for e in d.edges] + [(n.bias, n.bias_box) for n in d.nodes if n.bias]


@pytest.mark.parametrize("name", CASES)
def test_no_label_overlaps_another(name):
    boxes = labels(picture(name))
    assert len(boxes) == sum(1 for _ in picture(name).edges) + sum(1 for n in picture(name).nodes if n.bias)
    overlaps = []
    for i, (text, box) in enumerate(boxes):
        for other_text, other in boxes[i + 1 :]:
            if math.dist((box.x, box.y), (other.x, other.y)) > (box.width + other.width) / 2 + 20:
                continue
            shared = area(clip(corners(box), corners(other)))
            if shared > 1e-6:
                overlaps.append(f"{text} and {other_text}: {shared:.1f} px²")
    assert not overlaps, overlaps


@pytest.mark.parametrize("name", CASES)
def test_each_weight_label_sits_on_its_own_edge_and_runs_along_it(name):
    for edge in picture(name).edges:
        box = edge.box
        dx, dy = edge.x2 - edge.x1, edge.y2 - edge.y1
        length = math.hypot(dx, dy)
        # The label's centre is on the line, at the fraction `at` the TikZ picture uses.
        off_line = abs(dx * (box.y - edge.y1) - dy * (box.x - edge.x1)) / length
        along = ((box.x - edge.x1) * dx + (box.y - edge.y1) * dy) / length
        assert off_line < 0.01, (edge.label, off_line)
        assert along == pytest.approx(edge.at * length, abs=0.02), edge.label
        # The text runs in the edge's direction and the whole box lies between its ends.
        assert box.angle == pytest.approx(math.degrees(math.atan2(dy, dx)), abs=0.01), edge.label
        assert box.width / 2 < along < length - box.width / 2, edge.label


@pytest.mark.parametrize("name", CASES)
def test_no_label_covers_a_neuron(name):
    d = picture(name)
    for text, box in labels(d):
        polygon = corners(box)
        for node in d.nodes:
            assert _distance_to_polygon((node.x, node.y), polygon) >= d.radius, (text, node.label)


@pytest.mark.parametrize("name", CASES)
def test_no_line_crosses_a_bias_label(name):
    d = picture(name)
    for node in d.nodes:
        if not node.bias:
            continue
        box = node.bias_box
        for edge in d.edges:
            steps = int(math.hypot(edge.x2 - edge.x1, edge.y2 - edge.y1) * 2)
            for i in range(steps + 1):
                x = edge.x1 + (edge.x2 - edge.x1) * i / steps
                y = edge.y1 + (edge.y2 - edge.y1) * i / steps
                assert not (abs(x - box.x) < box.width / 2 and abs(y - box.y) < box.height / 2), (
                    node.bias,
                    edge.label,
                )


@pytest.mark.parametrize("name", CASES)
def test_the_tikz_picture_fits_an_a4_page_with_2_cm_margins(name):
    d = picture(name)
    assert d.width * d.scale / d.per_cm <= A4_TEXT_CM[0] + 1e-9
    assert d.height * d.scale / d.per_cm <= A4_TEXT_CM[1]
    assert d.scale == 1.0 or name in WIDE


def test_wide_networks_stay_legible():
    # Shrunk to fit the page, the labels stay at least 4.5 pt (a 3-6-6-2 network) and a
    # 4-5-3 network is not shrunk at all.
    assert picture("4-5-3").scale == 1.0
    assert min(picture(name).scale * picture(name).label_points for name in WIDE) >= 4.5


def test_svg_minus_signs_are_real_and_come_from_the_number_formatter():
    svg = render_svg(traced("softmax"))
    texts = [t.text for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
    assert "w²₂₁ = \N{MINUS SIGN}0.3" in texts
    assert "b³₃ = \N{MINUS SIGN}0.1" in texts
    assert not [t for t in texts if re.search(r"-\d", t)]


def test_exact_values_are_one_line_fractions_with_a_real_minus():
    # Weights with two-digit numerators and denominators would be stacked by SymPy's pretty
    # printer, and a negative one put in parentheses as in a formula.
    spec = from_dict(
        {
            "layers": [2, 2, 1],
            "activations": ["relu", "identity"],
            "learning_rate": 0.5,
            "weights": [[[-0.55, 0.5], [0.37, -1.0]], [[0.25, -0.75]]],
            "biases": [[0.1, -0.5], [0.0]],
            "samples": [{"x": [1.0, 2.0], "y": [1.0]}],
        }
    )
    svg = render_svg(exact_trace(spec))
    texts = [t.text for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
    for label in (
        "w²₁₁ = \N{MINUS SIGN}11/20",
        "w²₂₁ = 37/100",
        "w²₂₂ = \N{MINUS SIGN}1",
        "b²₂ = \N{MINUS SIGN}1/2",
    ):
        assert label in texts


@pytest.mark.parametrize("name", ["softmax", "mazur", "ng", "3-6-6-2"])
def test_svg_label_boxes_hold_their_text_in_dejavu_sans(name):
    font = _dejavu()
    result = traced_case(name)
    root = ET.fromstring(render_svg(result))
    svg = "{http://www.w3.org/2000/svg}"
    label_size = picture(name).label_size
    measured = 0
    for group in root.iter(f"{svg}g"):
        rect, text = group.find(f"{svg}rect"), group.find(f"{svg}text")
        if rect is None or text is None:
            continue
        width = _advance(font, text.text) * label_size
        assert width <= float(rect.get("width")), (text.text, width, rect.get("width"))
        measured += 1
    assert measured == len(picture(name).edges)


@needs_tex
@pytest.mark.parametrize("name", ["softmax", "mazur", "ng", "3-6-6-2"])
def test_tikz_labels_fit_their_boxes_and_the_page(tmp_path, name):
    result = traced_case(name)
    latex = MathPrinter(result.naming).latex
    d = diagram(result, latex)
    body = environment("tex").get_template("tex/_diagram.tex.j2").render(diagram=d)
    measures = []
    for i, (text, _box) in enumerate(labels(d)):
        size = d.label_points
        measures.append(rf"\settowidth\measured{{\fontsize{{{size}}}{{{size}}}\selectfont${text}$}}")
        measures.append(rf"\typeout{{LABEL {i} \the\measured}}")
    source = "\n".join(
        [
            r"\documentclass[10pt]{article}",
            r"\usepackage[T1]{fontenc}\usepackage{lmodern}\usepackage[a4paper, margin=2cm]{geometry}",
            r"\usepackage{amsmath}\usepackage{tikz}\newlength\measured",
            r"\begin{document}",
            *measures,
            body,
            r"\end{document}",
        ]
    )
    (tmp_path / "d.tex").write_text(source, encoding="utf-8")
    subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "d.tex"],
        cwd=tmp_path,
        capture_output=True,
        check=True,
        timeout=120,
    )
    log = (tmp_path / "d.log").read_text(encoding="latin-1")
    widths = {int(i): float(w) for i, w in re.findall(r"^LABEL (\d+) ([\d.]+)pt", log, re.M)}
    boxes = labels(d)
    assert len(widths) == len(boxes)
    px_per_pt = d.per_cm / POINTS_PER_CM
    for i, (text, box) in enumerate(boxes):
        # TikZ draws the text plus 1 pt of inner sep on either side.
        assert (widths[i] + 2) * px_per_pt <= box.width, (text, widths[i], box.width)
    assert "Overfull" not in log
    words = subprocess.run(
        ["pdftotext", "-bbox", "d.pdf", "-"], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout
    right = max(float(x) for x in re.findall(r'xMax="([\d.]+)"', words))
    assert right <= (21.0 - 2.0) / 2.54 * 72 + 0.5  # PDF points (1/72 in)


def _distance_to_polygon(p: tuple[float, float], polygon: list[tuple[float, float]]) -> float:
    """Return the distance from a point to a convex polygon (0 inside it)."""
    sides = [(b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) for a, b in _sides(polygon)]
    if all(s >= 0 for s in sides) or all(s <= 0 for s in sides):
        return 0.0
    return min(_distance_to_segment(p, a, b) for a, b in _sides(polygon))


def _sides(polygon):
    return [(polygon[i], polygon[(i + 1) % len(polygon)]) for i in range(len(polygon))]


def _distance_to_segment(p, a, b) -> float:
    ab = (b[0] - a[0], b[1] - a[1])
    t = max(0.0, min(1.0, ((p[0] - a[0]) * ab[0] + (p[1] - a[1]) * ab[1]) / (ab[0] ** 2 + ab[1] ** 2)))
    return math.dist(p, (a[0] + t * ab[0], a[1] + t * ab[1]))


@cache
def _dejavu():
    """Return DejaVu Sans as fontTools reads it (the copy matplotlib ships), or skip."""
    ttlib = pytest.importorskip("fontTools.ttLib")
    matplotlib = pytest.importorskip("matplotlib")
    return ttlib.TTFont(f"{matplotlib.get_data_path()}/fonts/ttf/DejaVuSans.ttf")


def _advance(font, text: str) -> float:
    """Return the advance width of ``text`` in DejaVu Sans, in ems."""
    cmap, metrics = font.getBestCmap(), font["hmtx"]
    units = font["head"].unitsPerEm
    return sum(metrics[cmap[ord(char)]][0] for char in text) / units


def test_labels_with_no_room_fail_or_crowd_onto_their_own_lines():
    # Two short crossing lines, each label longer than its line: no spot for either.
    lines = {"a": Line(0.0, 0.0, 60.0, 60.0), "b": Line(0.0, 60.0, 60.0, 0.0)}
    widths, preferred = {"a": 100.0, "b": 100.0}, {"a": 0.5, "b": 0.5}
    assert place(lines, widths, preferred, [], [], 15.0, -100.0, 200.0) is None
    crowded = place(lines, widths, preferred, [], [], 15.0, -100.0, 200.0, crowded=True)
    for key, (at, box) in crowded.items():
        line = lines[key]
        assert (box.x, box.y) == pytest.approx(
            (line.x1 + at * (line.x2 - line.x1), line.y1 + at * (line.y2 - line.y1))
        )
        assert box.angle == pytest.approx(math.degrees(math.atan2(line.y2 - line.y1, line.x2 - line.x1)))
