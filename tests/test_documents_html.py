"""The HTML page without a browser: self-contained, deterministic, small, one row per step.

The browser tests (``tests/test_browser.py``) load it in Chromium; these read its text.
"""

import json
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from tracer import load_spec, trace
from tracer.documents.render import document, render_html
from tracer.spec import from_dict, preset_names


class Elements(HTMLParser):
    """Every start tag's name and attributes, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


@pytest.fixture(scope="module")
def mazur() -> str:
    return render_html(trace(load_spec("mazur")))


def test_the_page_is_deterministic_and_under_a_megabyte(mazur):
    assert render_html(trace(load_spec("mazur"))) == mazur
    assert len(mazur.encode("utf-8")) < 1_000_000


def test_the_page_names_no_file_or_address_outside_itself(mazur):
    parser = Elements()
    parser.feed(mazur)
    linked = [
        (tag, a) for tag, a in parser.tags if {"src", "href"} & set(a) or tag in ("link", "iframe", "img")
    ]
    assert linked == []
    urls = re.findall(r"url\(([^)]*)\)", mazur)
    assert urls and all(u.startswith("data:font/woff2;base64,") for u in urls)
    assert "@import" not in mazur


def test_every_step_is_one_row_with_its_id_and_what_it_depends_on(mazur):
    parser = Elements()
    parser.feed(mazur)
    rows = [a for tag, a in parser.tags if "step" in (a.get("class") or "").split()]
    steps = document(trace(load_spec("mazur"))).steps()
    assert [(r["data-id"], r["data-depends"]) for r in rows] == [
        (s.id, " ".join(s.depends_on)) for s in steps
    ]
    places = {a["data-place"] for _, a in parser.tags if a.get("data-place")}
    # 6 neurons, 8 edges, 4 biases, each drawn in the document and beside it
    assert len(places) == 6 + 8 + 4


def test_the_controls_are_buttons(mazur):
    parser = Elements()
    parser.feed(mazur)
    actions = [a["data-action"] for tag, a in parser.tags if tag == "button"]
    assert actions == ["previous", "next", "all", "quiz"]


@pytest.mark.parametrize("name", preset_names())
def test_every_preset_makes_a_page(name):
    page = render_html(trace(load_spec(name)))
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert (
        "</script"
        not in page.split('<script type="application/json" class="tracer-data">')[1].split("</script>")[0]
    )


def test_the_command_writes_the_page(tmp_path):
    out = tmp_path / "page.html"
    run = subprocess.run(
        [sys.executable, "-m", "tracer", "trace", "mazur", "--format", "html", "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert out.read_text(encoding="utf-8") == render_html(trace(load_spec("mazur")))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]


def test_every_step_of_an_optimizer_has_a_place_on_the_diagram():
    """Adam's moments m, v and their corrections m̂, v̂ are drawn on their weight or bias: a step
    that computes one lights that parameter (it lit nothing for m̂ and v̂, which read only m, v, β)."""
    spec = load_spec("mazur").to_dict()
    spec.update(learning_rate=0.01, optimizer={"name": "adam"}, update_biases=True)
    spec.pop("published")
    result = trace(from_dict(json.loads(json.dumps(spec))), 2)
    page = render_html(result)
    data = json.loads(page.split('class="tracer-data">')[1].split("</script>")[0])
    for q in result.quantities:
        if q.ref.kind in ("m", "v", "m_hat", "v_hat"):
            parameter = f"e{q.ref.l}.{q.ref.j}.{q.ref.k}" if q.ref.k else f"b{q.ref.l}.{q.ref.j}"
            assert data["places"][q.id] == parameter, q.id
            assert f'data-place="{parameter}"' in page
    assert {"m_hat[2][1][1]@2", "v_hat[1][2]@1"} <= set(data["places"])


def test_a_layer_of_ten_neurons_or_more_labels_its_weights_in_unicode():
    """With ten neurons or more a weight's indices are written with a comma, which has no Unicode
    subscript: SymPy printed every label as its raw name (w_10,1__2) in the diagram."""
    spec = {
        "layers": [2, 12, 1],
        "activations": "sigmoid",
        "learning_rate": 0.5,
        "samples": [{"x": [0.3, 0.9], "y": [1.0]}],
    }
    page = render_html(trace(from_dict(spec)))
    labels = re.findall(r"<text [^>]*>([^<]*)</text>", page)
    assert any(label.startswith("w²₁₀,₁ = ") for label in labels)
    assert [label for label in labels if "_" in label] == []
