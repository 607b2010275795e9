"""A handout as a Canvas QTI 1.2 package: one quiz per variant, one numeric question per asked value.

Canvas (Classic Quizzes; New Quizzes imports QTI too) reads a zip with ``imsmanifest.xml`` that
lists one ``imsqti_xmlv1p2`` resource per quiz (Settings → Import Course Content → QTI .zip file).
Canvas cannot keep several random numeric questions of one variant together in one quiz (a
question group draws each question on its own), so each variant is a quiz of its own, which the
teacher assigns to some students ("Assign to"): each student then receives one coherent variant.
A quiz starts with the exercise sheet (a ``text_only_question``: HTML, maths in ``\\( \\)``, the
diagram an image in the package under ``$IMS-CC-FILEBASE$``) and has one ``numerical_question``
per asked value: the value rounded to the asked decimals, or any answer within the margin of
``tracer check --decimals`` (:mod:`tracer.handout.blanks`). Canvas sets any number under 0.0001 in
size to 0, so such a value is asked times a power of ten (:func:`tracer.handout.blanks.canvas_scale`),
and the question and the command say so.

The XML is built with lxml (text2qti, the well-known writer of Canvas QTI, reads its own plain-text
quiz format and turns LaTeX into images from a Canvas server; tracer has the questions as data
already). Identifiers come from the handout (title, seed, variants), and the zip's entries have
a fixed date and order, so the same command gives the same bytes.
"""

from __future__ import annotations

import hashlib
import html
import zipfile
from io import BytesIO
from typing import NamedTuple

from lxml import etree

from tracer.documents.render import render_svg
from tracer.handout import LMS_FILES
from tracer.handout.blanks import Blank, canvas_scale
from tracer.handout.model import Handout
from tracer.handout.question import blanks, question_html
from tracer.handout.view import HandoutView
from tracer.i18n import _

FILE = LMS_FILES["canvas"]
QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
MANIFEST = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
CANVAS = "http://canvas.instructure.com/xsd/cccv1p0"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class Scaled(NamedTuple):
    """Return-free asked value that Canvas asks times a power of ten: the variant's code, its place."""

    code: str
    number: int
    scale: int


def identifier(shown: HandoutView) -> str:
    """Return the package's identifier: the same handout (title, seed, variants, asked) gives the same."""
    about = "\n".join([shown.title, shown.source, str(shown.seed), str(shown.count), *shown.patterns])
    return "tracer_" + hashlib.sha256(about.encode("utf-8")).hexdigest()[:12]


def scaled(handout: Handout) -> tuple[Scaled, ...]:
    """Return every asked value Canvas asks times a power of ten, variant by variant."""
    decimals = handout.request.decimals
    found = []
    for variant in handout.variants:
        for number, ref in enumerate(handout.asked, start=1):
            scale = canvas_scale(float(variant.trace.values[ref]), decimals)
            if scale:
                found.append(Scaled(variant.code, number, scale))
    return tuple(found)


def _field(parent: etree._Element, label: str, entry: str) -> None:
    """Add a ``qtimetadatafield`` (Canvas reads the question type and points from these)."""
    field = etree.SubElement(parent, f"{{{QTI}}}qtimetadatafield")
    etree.SubElement(field, f"{{{QTI}}}fieldlabel").text = label
    etree.SubElement(field, f"{{{QTI}}}fieldentry").text = entry


def _item(
    section: etree._Element, ident: str, title: str, kind: str, points: str, page: str
) -> etree._Element:
    """Add an item with its Canvas type, points and HTML text to ``section``; return the item."""
    item = etree.SubElement(section, f"{{{QTI}}}item", ident=ident, title=title)
    metadata = etree.SubElement(etree.SubElement(item, f"{{{QTI}}}itemmetadata"), f"{{{QTI}}}qtimetadata")
    _field(metadata, "question_type", kind)
    _field(metadata, "points_possible", points)
    presentation = etree.SubElement(item, f"{{{QTI}}}presentation")
    material = etree.SubElement(presentation, f"{{{QTI}}}material")
    etree.SubElement(material, f"{{{QTI}}}mattext", texttype="text/html").text = page
    return item


def _numeric(section: etree._Element, ident: str, b: Blank, decimals: int) -> None:
    """Add a numerical question: the exact answer, or any answer within the margin, gets full marks."""
    quantity = f"\\(\\displaystyle {b.symbol}\\)"
    if b.scale:
        quantity = f"\\(10^{{{b.scale}}} \\cdot \\displaystyle {b.symbol}\\)"
        words = _("{number}. Enter {quantity} ({power} times the quantity), to {decimals} decimals.")
    else:
        words = _("{number}. Enter {quantity} to {decimals} decimals.")
    page = "<p>" + html.escape(words).format(
        number=b.number, quantity=html.escape(quantity), power=f"10^{b.scale}", decimals=decimals - b.scale
    )
    item = _item(section, ident, str(b.number), "numerical_question", "1", page + "</p>")
    presentation = item.find(f"{{{QTI}}}presentation")
    response = etree.SubElement(
        presentation, f"{{{QTI}}}response_str", ident="response1", rcardinality="Single"
    )
    fib = etree.SubElement(response, f"{{{QTI}}}render_fib", fibtype="Decimal")
    etree.SubElement(fib, f"{{{QTI}}}response_label", ident="answer1")
    processing = etree.SubElement(item, f"{{{QTI}}}resprocessing")
    outcomes = etree.SubElement(processing, f"{{{QTI}}}outcomes")
    etree.SubElement(
        outcomes, f"{{{QTI}}}decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal"
    )
    condition = etree.SubElement(processing, f"{{{QTI}}}respcondition", attrib={"continue": "No"})
    either = etree.SubElement(etree.SubElement(condition, f"{{{QTI}}}conditionvar"), f"{{{QTI}}}or")
    etree.SubElement(either, f"{{{QTI}}}varequal", respident="response1").text = b.answer
    within = etree.SubElement(either, f"{{{QTI}}}and")
    etree.SubElement(within, f"{{{QTI}}}vargte", respident="response1").text = _decimal(b.low)
    etree.SubElement(within, f"{{{QTI}}}varlte", respident="response1").text = _decimal(b.high)
    etree.SubElement(condition, f"{{{QTI}}}setvar", action="Set", varname="SCORE").text = "100"


def _decimal(value: float) -> str:
    """Return a bound of a margin as a short decimal, e.g. ``0.59315`` (not 0.5931500000000001)."""
    return f"{value:.12f}".rstrip("0").rstrip(".") if value else "0"


def _assessment(handout: Handout, shown: HandoutView, k: int, ident: str) -> bytes:
    """Return variant k's quiz as QTI 1.2: the sheet, then one numerical question per asked value."""
    variant, sheet = handout.variants[k], shown.sheets[k]
    title = f"{shown.title} · {sheet.code}"
    root = etree.Element(f"{{{QTI}}}questestinterop", nsmap={None: QTI})
    assessment = etree.SubElement(root, f"{{{QTI}}}assessment", ident=ident, title=title)
    section = etree.SubElement(assessment, f"{{{QTI}}}section", ident="root_section")
    found = blanks(handout, variant, sheet, canvas_scale)
    image = f"$IMS-CC-FILEBASE$/images/variant-{variant.number:02d}.svg"
    _item(
        section,
        f"{ident}_sheet",
        sheet.code,
        "text_only_question",
        "0",
        question_html(shown, sheet, image, found, None),
    )
    for b in found:
        _numeric(section, f"{ident}_q{b.number:02d}", b, handout.request.decimals)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _meta(shown: HandoutView, k: int, ident: str, points: int) -> bytes:
    """Return Canvas's settings of variant k's quiz: its title, graded, one attempt, unpublished."""
    sheet = shown.sheets[k]
    root = etree.Element(f"{{{CANVAS}}}quiz", identifier=ident, nsmap={None: CANVAS})
    about = _("Variant {number} ({code}): assign it to the students who get this variant.").format(
        number=sheet.number, code=sheet.code
    )
    settings = {
        "title": f"{shown.title} · {sheet.code}",
        "description": f"<p>{html.escape(about)}</p>",
        "shuffle_answers": "false",
        "quiz_type": "assignment",
        "points_possible": f"{points:.1f}",
        "allowed_attempts": "1",
        "show_correct_answers": "false",
        "available": "false",
    }
    for tag, text in settings.items():
        etree.SubElement(root, f"{{{CANVAS}}}{tag}").text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _manifest(base: str, quizzes: list[str], images: list[str]) -> bytes:
    """Return ``imsmanifest.xml``: one QTI resource per quiz with its settings, and the images."""
    root = etree.Element(f"{{{MANIFEST}}}manifest", identifier=base, nsmap={None: MANIFEST})
    metadata = etree.SubElement(root, f"{{{MANIFEST}}}metadata")
    etree.SubElement(metadata, f"{{{MANIFEST}}}schema").text = "IMS Content"
    etree.SubElement(metadata, f"{{{MANIFEST}}}schemaversion").text = "1.1.3"
    etree.SubElement(root, f"{{{MANIFEST}}}organizations")
    resources = etree.SubElement(root, f"{{{MANIFEST}}}resources")
    for ident in quizzes:
        quiz = etree.SubElement(resources, f"{{{MANIFEST}}}resource", identifier=ident, type="imsqti_xmlv1p2")
        etree.SubElement(quiz, f"{{{MANIFEST}}}file", href=f"{ident}/{ident}.xml")
        etree.SubElement(quiz, f"{{{MANIFEST}}}dependency", identifierref=f"{ident}_meta")
        meta = etree.SubElement(
            resources,
            f"{{{MANIFEST}}}resource",
            identifier=f"{ident}_meta",
            type="associatedcontent/imscc_xmlv1p1/learning-application-resource",
            href=f"{ident}/assessment_meta.xml",
        )
        etree.SubElement(meta, f"{{{MANIFEST}}}file", href=f"{ident}/assessment_meta.xml")
    for path in images:
        image = etree.SubElement(
            resources,
            f"{{{MANIFEST}}}resource",
            identifier=path.replace("/", "_"),
            type="webcontent",
            href=path,
        )
        etree.SubElement(image, f"{{{MANIFEST}}}file", href=path)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def canvas_package(handout: Handout, shown: HandoutView) -> bytes:
    """Return the handout as a Canvas QTI 1.2 zip: a quiz per variant, its images, the manifest."""
    base = identifier(shown)
    entries: dict[str, bytes] = {}
    quizzes, images = [], []
    for k, variant in enumerate(handout.variants):
        ident = f"{base}_v{variant.number:02d}"
        quizzes.append(ident)
        entries[f"{ident}/{ident}.xml"] = _assessment(handout, shown, k, ident)
        entries[f"{ident}/assessment_meta.xml"] = _meta(shown, k, ident, len(handout.asked))
        image = f"images/variant-{variant.number:02d}.svg"
        images.append(image)
        entries[image] = render_svg(variant.trace, handout.request.decimals).encode("utf-8")
    package = BytesIO()
    with zipfile.ZipFile(package, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in [("imsmanifest.xml", _manifest(base, quizzes, images)), *entries.items()]:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return package.getvalue()
