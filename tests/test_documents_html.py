"""The HTML page without a browser: self-contained, deterministic, small, one row per step.

The browser tests (``tests/test_browser.py``) load it in Chromium; these read its text.
"""

import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from tracer import load_spec, trace
from tracer.documents.render import document, render_html
from tracer.spec import preset_names


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
