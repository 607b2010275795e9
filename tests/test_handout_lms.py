"""``tracer handout --lms moodle|canvas``: the exports parse, follow the structure Moodle and Canvas
document, and grade each blank by the rule of ``tracer check --decimals``.

Every blank is compared with the variant's answers file (the one ``tracer check`` reads) and its
margin with :class:`tracer.check.grading.Tolerance`, an independent statement of the same rule.
The structure is checked against RELAX NG schemas in ``tests/schemas/`` written from Moodle's
"Moodle XML format" page, IMS QTI 1.2 as Canvas imports it, and IMS Content Packaging.
"""

import base64
import dataclasses
import re
import tomllib
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from lxml import etree, html

from tracer import load_spec
from tracer.check.grading import Tolerance
from tracer.cli import main
from tracer.handout.blanks import CANVAS_SMALLEST, blank, canvas_scale
from tracer.handout.model import Request, make_handout
from tracer.handout.render import handout_files

SCHEMAS = Path(__file__).resolve().parent / "schemas"
QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
CLOZE = re.compile(r"\{1:NUMERICAL:=(-?[0-9.]+):([0-9.]+)\}")
TITLE = "Q&A <backprop> at 100% for $5: 역전파 연습"


def schema(name: str) -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMAS / f"{name}.rng")))


def made(spec: str = "mazur", count: int = 3, seed: int = 42, title: str | None = None, **options) -> dict:
    base = load_spec(spec)
    if title is not None:
        base = dataclasses.replace(base, title=title)
    return handout_files(make_handout(base, Request(spec, count, seed, lms=("moodle", "canvas"), **options)))


@pytest.fixture(scope="module")
def files() -> dict:
    return made(title=TITLE)


def answers(files: dict, k: int) -> list[tuple[str, float]]:
    """Return variant k's answers file in order: (id, value)."""
    return list(tomllib.loads(files[f"variant-0{k}-answers.toml"]).items())


def agrees_with_check(value: float, low: float, high: float, decimals: int) -> None:
    """Assert that the LMS's accepted range is what tracer check accepts, away from the two edges."""
    tolerance = Tolerance(decimals=decimals)
    unit = 10.0**-decimals
    for step in range(-40, 41):
        given = value + step * unit / 10
        if min(abs(given - low), abs(given - high)) < unit / 1000:
            continue
        assert (low <= given <= high) == tolerance.accepts(given, value), (value, given, low, high)


def test_moodle_xml_is_valid_one_category_and_one_cloze_question_per_variant(files):
    document = etree.fromstring(files["moodle.xml"])
    assert schema("moodle").validate(document.getroottree()), schema("moodle").error_log
    questions = document.findall("question")
    assert [q.get("type") for q in questions] == ["category", "cloze", "cloze", "cloze"]
    assert questions[0].findtext("category/text") == f"$course$/top/{TITLE}"
    assert "tracer check" in questions[0].findtext("info/text")
    assert [q.findtext("idnumber") for q in questions[1:]] == ["S42-V1", "S42-V2", "S42-V3"]


def test_each_cloze_blank_is_the_answers_files_value_with_the_margin_of_tracer_check(files):
    document = etree.fromstring(files["moodle.xml"])
    for k, question in enumerate(document.findall("question[@type='cloze']"), start=1):
        blanks = CLOZE.findall(question.findtext("questiontext/text"))
        expected = answers(files, k)
        assert len(blanks) == len(expected) == 17
        for (answer, margin), (ref, value) in zip(blanks, expected, strict=True):
            assert answer == f"{value:.4f}" or float(answer) == round(value, 4), (k, ref)
            assert float(margin) == 0.00015
            agrees_with_check(value, float(answer) - float(margin), float(answer) + float(margin), 4)


def test_titles_maths_and_images_survive_the_escaping(files):
    document = etree.fromstring(files["moodle.xml"])
    question = document.find("question[@type='cloze']")
    assert question.findtext("name/text") == f"{TITLE} · S42-V1"
    page = html.fromstring(question.findtext("questiontext/text"))
    assert page.findtext(".//h3") == f"Exercise 1: {TITLE}"
    text = page.text_content()
    assert r"\(\displaystyle \frac{\partial E_{\mathrm{total}}}{\partial w_{5}}\)" in text
    assert r"\left[\begin{matrix}w_{1} & w_{2}\\" in text  # & and \\ of a matrix, unescaped
    # the page's macros in their LMS mode: every formula for MathJax, none left for KaTeX
    assert page.find_class("math") == [] and text.count(r"\(") > 20 and r"\[\begin{aligned}" in text
    assert page.findtext(".//h4") == "Conventions" and page.find(".//table").get("border") == "1"
    (image,) = page.findall(".//img")
    attached = question.find("questiontext/file")
    assert image.get("src") == f"@@PLUGINFILE@@/{attached.get('name')}"
    assert base64.b64decode(attached.text).decode() == files["variant-01.svg"]


def test_canvas_package_is_valid_one_quiz_per_variant_with_its_image(files):
    archive = zipfile.ZipFile(BytesIO(files["canvas-qti.zip"]))
    assert archive.testzip() is None
    manifest = etree.fromstring(archive.read("imsmanifest.xml"))
    assert schema("manifest").validate(manifest.getroottree()), schema("manifest").error_log
    hrefs = {f.get("href") for f in manifest.iter("{*}file")}
    assert hrefs == set(archive.namelist()) - {"imsmanifest.xml"}
    quizzes = [r for r in manifest.iter("{*}resource") if r.get("type") == "imsqti_xmlv1p2"]
    assert len(quizzes) == 3
    for k, resource in enumerate(quizzes, start=1):
        (href,) = [f.get("href") for f in resource.iter("{*}file")]
        quiz = etree.fromstring(archive.read(href))
        assert schema("qti12").validate(quiz.getroottree()), schema("qti12").error_log
        assessment = quiz.find(f"{QTI}assessment")
        assert assessment.get("title") == f"{TITLE} · S42-V{k}"
        sheet = html.fromstring(quiz.findtext(f".//{QTI}item/{QTI}presentation/{QTI}material/{QTI}mattext"))
        assert sheet.findtext(".//h3") == f"Exercise {k}: {TITLE}"
        src = sheet.find(".//img").get("src")
        assert src == f"$IMS-CC-FILEBASE$/images/variant-0{k}.svg"
        assert archive.read(src.removeprefix("$IMS-CC-FILEBASE$/")).decode() == files[f"variant-0{k}.svg"]
        (dependency,) = [d.get("identifierref") for d in resource.iter("{*}dependency")]
        meta = etree.fromstring(archive.read(f"{resource.get('identifier')}/assessment_meta.xml"))
        assert meta.get("identifier") == resource.get("identifier") and dependency.endswith("_meta")
        assert meta.findtext("{*}title") == f"{TITLE} · S42-V{k}"
        assert meta.findtext("{*}points_possible") == "17.0"


def test_each_canvas_question_is_the_answers_files_value_with_the_margin_of_tracer_check(files):
    archive = zipfile.ZipFile(BytesIO(files["canvas-qti.zip"]))
    quizzes = sorted(n for n in archive.namelist() if re.search(r"_v\d\d/tracer_\w+_v\d\d\.xml$", n))
    for k, name in enumerate(quizzes, start=1):
        items = etree.fromstring(archive.read(name)).findall(f".//{QTI}item")[1:]
        expected = answers(files, k)
        assert len(items) == len(expected)
        for item, (ref, value) in zip(items, expected, strict=True):
            exact = float(item.findtext(f".//{QTI}varequal"))
            low, high = float(item.findtext(f".//{QTI}vargte")), float(item.findtext(f".//{QTI}varlte"))
            assert exact == round(value, 4) and low < exact < high, (k, ref)
            agrees_with_check(value, low, high, 4)


def test_canvas_asks_a_value_it_would_set_to_0_times_a_power_of_ten(tmp_path, capsys):
    # Canvas sets any number under 0.0001 in size to 0 and keeps 4 decimals of what is typed.
    # At 4 decimals only a value that rounds to ±0.0002 needs it: a margin of 0.00015 around 0.0001
    # or 0 holds 0 itself (an answer Canvas sets to 0 stays right), around 0.0003 it stays clear.
    for value in (0.0002, -0.00021, 0.00012, -0.00031, 0.5933, 0.00004, 1e-9):
        scale = canvas_scale(value, 4)
        b = blank(1, "w", value, 4, scale)
        assert b.low <= 0 <= b.high or min(abs(b.low), abs(b.high)) >= CANVAS_SMALLEST, value
        assert scale == (1 if round(abs(value) * 10**4) == 2 else 0), value
        scaled = 10**scale
        agrees_with_check(value, b.low / scaled, b.high / scaled, 4)
    # at 6 decimals every answer is asked times 100, and the command says so
    assert (
        main(
            [
                "handout",
                "mazur",
                "--variants",
                "2",
                "--decimals",
                "6",
                "--lms",
                "canvas",
                "-o",
                str(tmp_path / "c"),
            ]
        )
        == 0
    )
    said = capsys.readouterr().out
    assert "canvas: 34 answers are asked times a power of ten" in said and "S1-V1 #1 ×10^2" not in said
    archive = zipfile.ZipFile(tmp_path / "c" / "canvas-qti.zip")
    name = next(n for n in archive.namelist() if n.endswith("_v01.xml"))
    item = etree.fromstring(archive.read(name)).findall(f".//{QTI}item")[1]
    value = tomllib.loads((tmp_path / "c" / "variant-01-answers.toml").read_text())["z[1][1]"]
    assert float(item.findtext(f".//{QTI}varequal")) == pytest.approx(round(value, 6) * 100)
    assert "10^{2}" in item.findtext(f".//{QTI}mattext")


def test_the_exports_are_byte_for_byte_reproducible_and_only_for_a_whole_handout(files):
    again = made(title=TITLE)
    assert again["moodle.xml"] == files["moodle.xml"] and again["canvas-qti.zip"] == files["canvas-qti.zip"]
    alone = handout_files(
        make_handout(load_spec("mazur"), Request("mazur", 3, 42, only=2, lms=("moodle", "canvas")))
    )
    assert "moodle.xml" not in alone and "canvas-qti.zip" not in alone


def test_an_exact_handout_exports_its_fractions_as_decimals():
    files = made("relu", 2, 7, exact=True)
    document = etree.fromstring(files["moodle.xml"])
    for k, question in enumerate(document.findall("question[@type='cloze']"), start=1):
        blanks = CLOZE.findall(question.findtext("questiontext/text"))
        for (answer, _), (_, value) in zip(blanks, answers(files, k), strict=True):
            assert float(answer) == round(value, 4)
