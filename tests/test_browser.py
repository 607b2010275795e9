"""The HTML page in a real browser: Debian's Chromium driven by Playwright (never ``playwright install``).

Loaded from ``file://`` with every request routed and counted: no request at all, every formula
typeset by KaTeX, no KaTeX error (so are a handout's exercise and key pages, the key's asked values
boxed). → through every step lights up on the diagram exactly the step's
quantity and what it depends on; ← goes back; "Show all" shows everything. The self-test marks
the answers of ``tests/quiz_cases.json`` as ``tracer check`` does (``tests/test_quiz_cases.py``),
and every quantity's JavaScript formula gives the Trace's value. A screenshot is kept in pytest's
temporary folder for a person to look at.
"""

import json
import math
import shutil
import tomllib
from pathlib import Path

import pytest

from tracer import load_spec, trace
from tracer.documents.render import document, render_html
from tracer.handout.model import Request, make_handout
from tracer.handout.render import handout_files
from tracer.handout.view import view
from tracer.ids import parse
from tracer.spec import from_dict, preset_names, preset_text

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
CASES = json.loads((Path(__file__).parent / "quiz_cases.json").read_text(encoding="utf-8"))["cases"]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            "Chromium is needed for the browser tests: apt-get install chromium (Debian/Ubuntu); "
            "they use the system browser, never `playwright install`"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def adam_steps(steps: int = 3):
    """Return the worked example of three Adam steps on Mazur's network (lr 0.01, as PyTorch's numbers)."""
    data = tomllib.loads(preset_text("mazur"))
    data.update(learning_rate=0.01, optimizer={"name": "adam"})
    data.pop("published", None)
    return trace(from_dict(data), steps)


# A network with a layer of twelve neurons: its diagram is taller than it is wide.
TALL = {
    "title": "Tall 2-12-1",
    "layers": [2, 12, 1],
    "activations": "sigmoid",
    "learning_rate": 0.5,
    "seed": 2,
    "samples": [{"x": [0.3, 0.9], "y": [1.0]}],
}
PHONE = (390, 844)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pages")
    written = {}
    for name in preset_names():
        path = folder / f"{name}.html"
        path.write_text(render_html(trace(load_spec(name))), encoding="utf-8")
        written[name] = path
    written["adam-steps"] = folder / "adam-steps.html"
    written["adam-steps"].write_text(render_html(adam_steps()), encoding="utf-8")
    written["tall"] = folder / "tall.html"
    written["tall"].write_text(render_html(trace(from_dict(TALL))), encoding="utf-8")
    return written


class Opened:
    """A page opened from file:// with every request but the page's own routed, counted and refused."""

    def __init__(self, browser, path: Path, query: str = "", size: tuple[int, int] = (1400, 900)) -> None:
        self.context = browser.new_context(viewport={"width": size[0], "height": size[1]})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.url = path.as_uri()

        def refuse(route):
            self.requests.append(route.request.url)
            route.abort()

        self.context.route(lambda url: not url.startswith(self.url), refuse)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on(
            "request", lambda request: request.url.startswith(self.url) or self.requests.append(request.url)
        )
        self.page.goto(self.url + query)
        self.page.wait_for_function("performance.getEntriesByName('tracer-typeset').length > 0")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def opened(browser, pages):
    made = []

    def open_page(name: str = "mazur", query: str = "", size: tuple[int, int] = (1400, 900)) -> Opened:
        made.append(Opened(browser, pages[name], query, size))
        return made[-1]

    yield open_page
    for page in made:
        page.close()


@pytest.fixture(scope="module")
def still(browser, pages):
    """Return a function that gives a preset's page opened once for the module, for tests that
    only read it (nothing is clicked, typed or scrolled)."""
    made: dict[str, Opened] = {}

    def open_page(name: str) -> Opened:
        if name not in made:
            made[name] = Opened(browser, pages[name])
        return made[name]

    yield open_page
    for page in made.values():
        page.close()


def expected_places(ids: list[str], depth: int) -> set[str]:
    """Return the diagram elements a step should light, worked out here from the ids alone."""
    places = set()
    for ref in map(parse, ids):
        if ref.kind in ("a", "z", "dC/da", "da/dz", "delta"):
            places.add(f"n{ref.l}.{ref.j}")
        elif ref.kind in ("y", "C_term"):
            places.add(f"n{depth}.{ref.j}")
        elif ref.kind in ("W", "dC/dW", "W'"):
            places.add(f"e{ref.l}.{ref.j}.{ref.k}")
        elif ref.kind in ("b", "dC/db", "b'"):
            places.add(f"b{ref.l}.{ref.j}")
        elif ref.kind in ("velocity", "m", "v", "m_hat", "v_hat", "h"):  # on its parameter
            places.add(f"e{ref.l}.{ref.j}.{ref.k}" if ref.k else f"b{ref.l}.{ref.j}")
    return places


def test_the_page_makes_no_request_and_typesets_every_formula(opened, tmp_path_factory):
    page = opened()
    assert page.requests == []
    assert page.errors == []
    assert page.page.locator(".katex-error").count() == 0
    formulas = page.page.locator(".math").count()
    assert formulas > 300
    untypeset = page.page.eval_on_selector_all(
        ".math", "els => els.filter(e => !e.querySelector('.katex')).length"
    )
    assert untypeset == 0
    shot = tmp_path_factory.getbasetemp() / "mazur-page.png"
    page.page.keyboard.press("ArrowRight")
    page.page.screenshot(path=str(shot))
    print(f"screenshot: {shot}")
    assert shot.stat().st_size > 10_000


def test_next_lights_each_step_and_what_it_depends_on(opened):
    page = opened()
    steps = page.page.eval_on_selector_all(".document .step", "els => els.map(e => e.dataset.id)")
    assert steps == [s.id for s in document(trace(load_spec("mazur"))).steps()]
    state = """() => ({
        id: document.querySelector('.step.current').dataset.id,
        depends: document.querySelector('.step.current').dataset.depends,
        lit: Array.from(document.querySelectorAll('.lit')).map(e => e.dataset.place),
        position: document.querySelector('.position').textContent,
        later: document.querySelectorAll('.document .step.later').length,
    })"""
    seen = []
    for number, id in enumerate(steps):
        if number:
            page.page.keyboard.press("ArrowRight")
        current = page.page.evaluate(state)
        assert current["id"] == id
        ids = [id, *current["depends"].split()]
        assert set(current["lit"]) == expected_places(ids, 2), id
        assert current["position"] == f"Calculation {number + 1} of {len(steps)}"
        # every step after the current one is hidden
        assert current["later"] == len(steps) - number - 1
        seen.append(id)
    # the forward pass lights the network left to right, the deltas right to left
    forward = [next(iter(expected_places([i], 2))) for i in seen if i.startswith(("z[", "a["))]
    assert [p[1] for p in forward] == sorted(p[1] for p in forward)
    deltas = [next(iter(expected_places([i], 2))) for i in seen if i.startswith("delta[")]
    assert [p[1] for p in deltas] == sorted((p[1] for p in deltas), reverse=True)


def test_the_page_of_several_steps_steps_through_every_step(opened, tmp_path_factory):
    """Three Adam steps: → reaches every step of every step in order, each lighting its own
    quantities and what they depend on (across steps: W@2 reads W'@1), and every quantity's
    JavaScript, the cost after each step's update included, gives its value."""
    page = opened("adam-steps")
    assert page.requests == [] and page.errors == []
    assert page.page.locator(".katex-error").count() == 0
    result = adam_steps()
    steps = page.page.eval_on_selector_all(".document .step", "els => els.map(e => e.dataset.id)")
    assert steps == [s.id for s in document(result).steps()]
    assert "W[1][1][1]@2" in steps and "v_hat[2][2][2]@3" in steps
    # One round trip for all of them: the keys go to the page's own keydown handler (the one-step
    # page's test presses them through the browser).
    states = page.page.evaluate(
        """(count) => {
        const states = [];
        for (let number = 0; number < count; number++) {
            if (number) document.dispatchEvent(new KeyboardEvent("keydown", {key: "ArrowRight"}));
            const current = document.querySelector('.step.current');
            states.push({
                id: current.dataset.id,
                depends: current.dataset.depends,
                lit: Array.from(document.querySelectorAll('.lit')).map(e => e.dataset.place),
            });
        }
        return states;
    }""",
        len(steps),
    )
    for id, current in zip(steps, states, strict=True):
        assert current["id"] == id
        ids = [id, *current["depends"].split()]
        assert all(i in result for i in ids), id
        assert set(current["lit"]) == expected_places(ids, 2), id
    assert page.page.locator(".position").inner_text() == f"Calculation {len(steps)} of {len(steps)}"
    shot = tmp_path_factory.getbasetemp() / "adam-steps-page.png"
    page.page.locator('.step[data-id="m[2][1][1]@2"]').scroll_into_view_if_needed()
    page.page.screenshot(path=str(shot))
    print(f"screenshot: {shot}")
    computed = page.page.evaluate(
        """() => {
        const data = JSON.parse(document.querySelector('.tracer-data').textContent);
        const values = {};
        for (const q of data.quantities) values[q.id] = q.value;
        const out = {};
        for (const q of data.quantities) if (q.js !== null) out[q.id] = new Function('v', q.js)(values);
        return out;
    }"""
    )
    assert {"C'@1", "C'@2", "C'@3"} <= set(computed)
    for id, value in computed.items():
        assert math.isclose(value, float(result[id].value), rel_tol=1e-9, abs_tol=1e-12), id


def test_previous_goes_back_and_show_all_shows_everything(opened):
    page = opened()
    previous = page.page.get_by_role("button", name="Previous")
    assert previous.is_disabled()
    for _ in range(3):
        page.page.keyboard.press("ArrowRight")
    assert page.page.locator(".position").inner_text().startswith("Calculation 4 of")
    page.page.keyboard.press("ArrowLeft")
    assert page.page.locator(".position").inner_text().startswith("Calculation 3 of")
    previous.click()
    assert page.page.locator(".position").inner_text().startswith("Calculation 2 of")
    hidden = page.page.locator(".document .later").count()
    assert hidden > 100
    page.page.get_by_role("button", name="Show all").click()
    assert page.page.locator(".document .later").count() == 0
    assert page.page.locator(".lit").count() == 0
    invisible = page.page.eval_on_selector_all(
        ".document .unit", "els => els.filter(e => !e.offsetParent).length"
    )
    assert invisible == 0
    # printing shows every step, whatever the step-through shows
    page.page.get_by_role("button", name="Show all").click()
    page.page.emulate_media(media="print")
    invisible = page.page.eval_on_selector_all(
        ".document .unit", "els => els.filter(e => !e.offsetParent).length"
    )
    assert invisible == 0


def test_the_buttons_are_buttons_with_a_visible_focus(opened):
    page = opened()
    names = page.page.eval_on_selector_all(
        ".controls button", "els => els.map(e => e.tagName + ':' + e.textContent)"
    )
    assert [n.split(":")[0] for n in names] == ["BUTTON"] * 4
    page.page.keyboard.press("Tab")
    outline = page.page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert page.page.evaluate("document.activeElement.tagName") == "BUTTON"
    assert outline == "solid"


def test_the_keyboard_keeps_its_focus_at_either_end(opened):
    """Enter on Next up to the last step disables Next: the focus moves to Previous (it was lost
    to the page's body), and Enter there goes back."""
    page = opened("neuron")
    count = page.page.locator(".document .step").count()
    page.page.get_by_role("button", name="Next").focus()
    for _ in range(count):
        page.page.keyboard.press("Enter")
    assert page.page.get_by_role("button", name="Next").is_disabled()
    assert page.page.locator(".position").inner_text() == "The end of the worked example"
    assert page.page.evaluate("document.activeElement.dataset.action") == "previous"
    page.page.keyboard.press("Enter")
    assert page.page.locator(".position").inner_text() == f"Calculation {count} of {count}"
    for _ in range(count):
        page.page.keyboard.press("Enter")
    assert page.page.evaluate("document.activeElement.dataset.action") == "next"


@pytest.mark.parametrize("case", CASES, ids=[c["description"] for c in CASES])
def test_the_self_test_marks_as_tracer_check_does(opened, case):
    page = opened(case["spec"], "?quiz")
    assert page.page.get_by_role("button", name="Self-test").get_attribute("aria-pressed") == "true"
    page.page.get_by_role("button", name="Show all").click()
    for id, value in case["answers"].items():
        box = page.page.locator(f'.answer[data-id="{id}"]').first
        box.fill(str(value))
        box.press("Enter")
    shown = page.page.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll('.mark[data-status]')).map(m => [
            m.previousElementSibling.dataset.id, [m.dataset.status, m.dataset.root || null, m.textContent]
        ]))"""
    )
    assert {id: {"status": s, "root": r} for id, (s, r, _) in shown.items()} == case["marks"]
    for status, _, text in shown.values():
        assert {"correct": "✓ right", "wrong": "✗ wrong", "carried_forward": "↪ carried forward"}[
            status
        ] in text
    # the value stays hidden while the student answers
    assert not page.page.locator(f'.step[data-id="{next(iter(case["answers"]))}"] .value').first.is_visible()
    assert page.errors == []


def test_a_quantity_shown_twice_is_one_answer(opened):
    """The cost C is shown in the loss and again before the update: typing it in one box fills
    the other, and both get the one mark tracer check gives (the last box typed in marked both)."""
    page = opened("mazur", "?quiz")
    page.page.get_by_role("button", name="Show all").click()
    boxes = page.page.locator('.answer[data-id="C"]')
    assert boxes.count() == 2
    boxes.nth(0).fill("0.2984")
    boxes.nth(0).press("Enter")
    boxes.nth(1).fill("0.5")
    boxes.nth(1).press("Enter")
    shown = page.page.eval_on_selector_all(
        '.answer[data-id="C"]', "els => els.map(e => [e.value, e.nextElementSibling.dataset.status])"
    )
    assert shown == [["0.5", "wrong"], ["0.5", "wrong"]]
    boxes.nth(1).fill("0.2984")
    boxes.nth(1).press("Enter")
    assert boxes.nth(0).input_value() == "0.2984"
    assert page.page.locator('.mark[data-status="correct"]').count() == 2


def test_a_mark_stays_beside_its_formula(opened):
    """A long mark (carried forward from …) wraps inside the step's right-hand side: the formula
    stays on the row of its symbol, not pushed below it."""
    page = opened("mazur", "?quiz")
    page.page.get_by_role("button", name="Show all").click()
    for id, value in {"z[2][1]": 0.5059, "a[2][1]": 0.6238}.items():
        box = page.page.locator(f'.answer[data-id="{id}"]').first
        box.fill(str(value))
        box.press("Enter")
    step = page.page.locator('.step[data-id="a[2][1]"]').first
    assert step.locator(".mark").get_attribute("data-status") == "carried_forward"
    lhs, rhs = step.locator(".lhs").bounding_box(), step.locator(".rhs").bounding_box()
    assert rhs["y"] < lhs["y"] + lhs["height"]
    assert rhs["x"] >= lhs["x"] + lhs["width"]


def test_a_phone_does_not_scroll_sideways(opened, browser, handout_pages, tmp_path_factory):
    """At a phone's width the page is no wider than the screen: a wide table scrolls inside
    itself (the network's table made the whole page scroll; in a handout key the values' column
    was cut off)."""
    page = opened("mazur", size=PHONE)
    page.page.get_by_role("button", name="Show all").click()
    assert page.page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    table = page.page.locator("#network table").first
    assert table.evaluate("e => e.scrollWidth > e.clientWidth && getComputedStyle(e).overflowX === 'auto'")
    key = Opened(browser, handout_pages / "variant-01-key.html", size=PHONE)
    try:
        values = key.page.locator("table.asked").first
        assert values.evaluate("e => getComputedStyle(e).overflowX") == "auto"
        values.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
        cell = key.page.locator("table.asked td.asked-value").first
        assert cell.bounding_box()["x"] + cell.bounding_box()["width"] <= PHONE[0]
        shot = tmp_path_factory.getbasetemp() / "handout-key-phone.png"
        key.page.screenshot(path=str(shot))
        print(f"screenshot: {shot}")
    finally:
        key.close()


def test_a_tall_diagram_stays_whole_beside_the_step(opened, tmp_path_factory):
    """A layer of twelve neurons: the diagram beside the steps fits the window (its buttons were
    pushed above the top), and on a phone it leaves most of the screen to the steps."""
    page = opened("tall", size=(1280, 800))
    for _ in range(30):
        page.page.keyboard.press("ArrowRight")
    stage = page.page.locator(".stage").bounding_box()
    assert stage["y"] >= 0 and stage["y"] + stage["height"] <= 800
    assert page.page.get_by_role("button", name="Next").is_visible()
    step = page.page.locator(".step.current").bounding_box()
    assert step["y"] >= 0 and step["y"] + step["height"] <= 800
    phone = opened("tall", size=PHONE)
    for _ in range(30):
        phone.page.keyboard.press("ArrowRight")
    stage = phone.page.locator(".stage").bounding_box()
    assert stage["height"] <= PHONE[1] / 2
    step = phone.page.locator(".step.current").bounding_box()
    assert step["y"] >= stage["y"] + stage["height"] and step["y"] + step["height"] <= PHONE[1]
    shot = tmp_path_factory.getbasetemp() / "tall-phone.png"
    phone.page.screenshot(path=str(shot))
    print(f"screenshot: {shot}")


def test_printing_fits_every_display_on_the_paper(opened, tmp_path_factory):
    """Softmax's Jacobian is wider than A4's text: printed, it is set smaller to fit, not cut
    off at the paper's edge (on screen it scrolls)."""
    page = opened("softmax", size=(718, 1000))  # A4's width less Chromium's margins
    page.page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.page.emulate_media(media="print")
    cut = page.page.eval_on_selector_all(
        ".math.display", "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).length"
    )
    assert cut == 0
    assert page.page.locator(".math.display").count() > 10
    shrunk = page.page.eval_on_selector_all(
        ".math.display .katex-display > .katex",
        "els => els.filter(e => parseFloat(getComputedStyle(e).fontSize) < 19).length",
    )
    assert shrunk >= 1  # the Jacobian, smaller than the others' 1.21em of 16px
    pdf = tmp_path_factory.getbasetemp() / "softmax-print.pdf"
    page.page.pdf(path=str(pdf), format="A4")
    print(f"printed: {pdf}")


def test_the_self_test_toggles_without_the_query(opened):
    page = opened()
    assert page.page.locator(".answer").count() == 0
    page.page.get_by_role("button", name="Self-test").click()
    assert page.page.locator(".answer").first.is_visible()


@pytest.mark.parametrize("name", preset_names())
def test_each_quantitys_javascript_gives_its_value(still, name):
    page = still(name)
    assert page.requests == [] and page.errors == []
    computed = page.page.evaluate(
        """() => {
        const data = JSON.parse(document.querySelector('.tracer-data').textContent);
        const values = {};
        for (const q of data.quantities) values[q.id] = q.value;
        const out = {};
        for (const q of data.quantities) if (q.js !== null) out[q.id] = new Function('v', q.js)(values);
        return out;
    }"""
    )
    result = trace(load_spec(name))
    assert len(computed) == sum(not q.given for q in result.quantities)
    for id, value in computed.items():
        assert math.isclose(value, float(result[id].value), rel_tol=1e-9, abs_tol=1e-12), id


VENDORED_FONTS = {
    ("KaTeX_Main", "400", "normal"),
    ("KaTeX_Main", "700", "normal"),
    ("KaTeX_Main", "400", "italic"),
    ("KaTeX_Math", "400", "italic"),
    ("KaTeX_AMS", "400", "normal"),
    ("KaTeX_SansSerif", "400", "normal"),
    *((f"KaTeX_Size{n}", "400", "normal") for n in range(1, 5)),
}


@pytest.mark.parametrize("name", preset_names())
def test_the_maths_uses_only_the_vendored_fonts(still, name):
    page = still(name)
    assert page.requests == [] and page.errors == []
    used = page.page.evaluate(
        """() => {
        const seen = new Set();
        for (const element of document.querySelectorAll('.katex-html, .katex-html *')) {
            const text = [...element.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
            if (!text) continue;
            const style = getComputedStyle(element);
            const family = style.fontFamily.split(',')[0].trim().replace(/"/g, '');
            if (family.startsWith('KaTeX_')) seen.add([family, style.fontWeight, style.fontStyle].join('|'));
        }
        return [...seen];
    }"""
    )
    assert used
    assert {tuple(u.split("|")) for u in used} <= VENDORED_FONTS


HANDOUT = Request("mazur", 1, 42, hand_in="both", format="html")


@pytest.fixture(scope="module")
def handout_pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("handout")
    for name, content in handout_files(make_handout(load_spec("mazur"), HANDOUT)).items():
        (folder / name).write_text(content, encoding="utf-8")
    return folder


@pytest.mark.parametrize("name", ["variant-01-exercise", "variant-01-key"])
def test_a_handout_page_makes_no_request_and_typesets_every_formula(
    browser, handout_pages, name, tmp_path_factory
):
    page = Opened(browser, handout_pages / f"{name}.html")
    try:
        assert page.requests == []
        assert page.errors == []
        assert page.page.locator(".katex-error").count() == 0
        assert page.page.locator(".math").count() > (100 if name.endswith("key") else 30)
        untypeset = page.page.eval_on_selector_all(
            ".math", "els => els.filter(e => !e.querySelector('.katex')).length"
        )
        assert untypeset == 0
        boxed = page.page.eval_on_selector_all(
            ".step.asked .value",
            "els => els.map(e => [e.closest('.step').dataset.id, getComputedStyle(e).borderTopStyle])",
        )
        if name.endswith("key"):
            asked = {a.id for a in view(make_handout(load_spec("mazur"), HANDOUT)).sheets[0].asked}
            assert {id for id, _ in boxed} == asked and {style for _, style in boxed} == {"solid"}
            assert page.page.locator("figure.diagram").count() == 0
        else:
            assert boxed == []
            assert page.page.locator("figure.diagram svg").is_visible()
        # printing shows the whole sheet: nothing is hidden
        page.page.emulate_media(media="print")
        hidden = page.page.eval_on_selector_all(
            ".sheet .unit", "els => els.filter(e => !e.offsetParent).length"
        )
        assert hidden == 0
        page.page.emulate_media(media="screen")
        shot = tmp_path_factory.getbasetemp() / f"handout-{name}.png"
        page.page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot: {shot}")
        assert shot.stat().st_size > 10_000
    finally:
        page.close()
