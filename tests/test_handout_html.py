"""A handout as HTML pages (``tracer handout … --format html``): an exercise page and a key page per
variant, every exercise and every key in one page each, self-contained and the same bytes each time.

The key shows every asked value (in its table, and boxed on its step); the exercise shows none of
them. No page names a resource over the network. The pages' sentences are the Markdown sheets'
(one :func:`tracer.handout.words.sheet_words`), in the reader's language.
"""

import html
import re

import pytest

from tracer import load_spec
from tracer.cli import main
from tracer.documents import katex
from tracer.handout.model import Request, make_handout
from tracer.handout.render import handout_files
from tracer.handout.view import view
from tracer.i18n import speaking

REQUEST = Request("mazur", 2, 42, hand_in="both", format="html")
# A resource a page would fetch: src= or href= to a URL, a CSS url() or @import that is not data:.
FETCHED = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?(?!data:)|@import""", re.I)


@pytest.fixture(scope="module")
def handout():
    return make_handout(load_spec(REQUEST.source), REQUEST)


@pytest.fixture(scope="module")
def files(handout):
    return handout_files(handout)


def test_a_handout_in_html_has_a_page_per_sheet_and_key_and_the_combined_pages(files):
    pages = sorted(name for name in files if name.endswith(".html"))
    assert pages == [
        "exercises.html",
        "keys.html",
        "variant-01-exercise.html",
        "variant-01-key.html",
        "variant-02-exercise.html",
        "variant-02-key.html",
    ]
    assert not any(name.endswith(".svg") for name in files)  # the diagram is inline
    # the folder's index links the pages
    assert "(variant-01-exercise.html)" in files["README.md"]
    assert "(keys.html)" in files["README.md"]


def step_values(page: str) -> dict[str, str]:
    """Return the value of each asked step on a page (a boxed step: ``class="step unit asked"``)."""
    found = re.findall(
        r'<div class="step unit asked" data-id="([^"]+)".*?<span class="value math">([^<]*)</span>',
        page,
        re.S,
    )
    return {html.unescape(id): value for id, value in found}


def test_the_key_shows_every_asked_value_and_the_exercise_none(handout, files):
    shown = view(handout)
    for sheet in shown.sheets:
        key, exercise = files[sheet.files.key], files[sheet.files.exercise]
        cell = r'<td class="number asked-value"><span class="math">\\displaystyle \\mathbf\{([^}]*)\}</span>'
        table = re.findall(cell, key)
        assert table == [a.value for a in sheet.asked]
        steps = {s.id: s.value for s in sheet.doc.steps() if s.highlighted}
        assert set(steps) == {a.id for a in sheet.asked}
        assert step_values(key) == steps
        assert step_values(exercise) == {}
        assert 'class="number asked-value"' not in exercise
        for a in sheet.asked:
            assert f">{a.value}<" not in exercise and f"{{{a.value}}}" not in exercise
            assert f">{steps[a.id]}<" not in exercise
        # what the sheet asks, without its answers: the symbols and the answers file's names
        for a in sheet.asked:
            assert f"<code>{html.escape(a.name)}</code>" in exercise


def test_the_pages_make_no_request_and_carry_katex_and_the_diagram(files):
    for fetched in ('<img src="https://x.org/a.png">', "<link href=//cdn.net/k.css>", "url(fonts/a.woff2)"):
        assert FETCHED.search(fetched)
    for name, page in files.items():
        if not name.endswith(".html"):
            continue
        assert FETCHED.search(page) is None, (name, FETCHED.search(page))
        assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
        assert katex.script() in page and katex.stylesheet() in page
        if "exercise" in name:
            assert page.count('<svg xmlns="http://www.w3.org/2000/svg" width=') == (
                2 if name == "exercises.html" else 1
            )
        else:
            assert '<figure class="unit diagram"' not in page  # the key leaves the diagram to the sheet


def test_the_pages_are_the_same_bytes_each_time(handout, files):
    assert handout_files(make_handout(load_spec(REQUEST.source), REQUEST)) == files


def plain(text: str) -> str:
    """Return a sentence without its markup (HTML tags and entities, Markdown's marks and escapes)."""
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return re.sub(r"_{2,}", "", re.sub(r"[*`\\]", "", text)).strip()


def test_the_pages_say_the_markdown_sheets_sentences(handout, files):
    pages, sheets = view(handout, "html").sheets, view(handout, "md").sheets
    for page, sheet in zip(pages, sheets, strict=True):
        for field, words in page.words._asdict().items():
            assert plain(words) == plain(getattr(sheet.words, field)), field
        for field in ("exercise_title", "code_and_name", "intro", "precision", "what_to_compute", "on_paper"):
            assert str(getattr(page.words, field)) in files[page.files.exercise], field
        for field in ("key_title", "key_about", "key_values", "key_mark", "key_worked", "key_diagram"):
            assert str(getattr(page.words, field)) in files[page.files.key], field


def test_a_korean_handout_is_a_korean_page(tmp_path):
    with speaking("ko"):
        request = Request("mazur", 1, 42, format="html")
        files = handout_files(make_handout(load_spec("mazur"), request))
    exercise = files["variant-01-exercise.html"]
    assert exercise.startswith('<!DOCTYPE html>\n<html lang="ko">')
    assert "<h1>문제 1: " in exercise
    assert "<h1>답안 1: " in files["variant-01-key.html"]


def test_the_command_writes_html_pages(tmp_path, capsys):
    folder = tmp_path / "handout"
    assert (
        main(["handout", "mazur", "--variants", "1", "--seed", "3", "-o", str(folder), "--format", "html"])
        == 0
    )
    assert (folder / "variant-01-exercise.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (folder / "keys.html").is_file()
