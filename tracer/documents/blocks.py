"""A document as a tree of blocks: written once, rendered by every format.

A worked example, a check report or a training report is a :class:`Document`: a title, a
description and :class:`Section`\\ s of blocks. Every string in a block is final: prose already in
the reader's language (:mod:`tracer.i18n`), maths already printed in one style
(:mod:`tracer.documents.styles`: LaTeX for Markdown, LaTeX and HTML; Unicode pictures for the
terminal). Each output format is one frame template plus one macro per block kind
(``templates/<format>/_blocks.*.j2``), dispatched on :attr:`kind`; as Sphinx's builders visit one
doctree, the formats visit the same blocks and add no sentence of their own.

The records are NamedTuples: immutable, and cheap to define (start-up time matters to a command).
"""

from __future__ import annotations

from typing import NamedTuple

from tracer.documents.diagram import Diagram


class Span(NamedTuple):
    """Return-free piece of a sentence: prose (``math`` False, for the format to escape) or maths
    printed in the document's style.

    ``baseline`` is the row of a Unicode picture that the words beside it sit on (0 for LaTeX);
    ``code`` marks prose that is something to type (a command, a file name), set in a typewriter
    face; ``link`` is the file it names, for formats that can link to it (Markdown, HTML).
    """

    text: str
    math: bool
    baseline: int = 0
    code: bool = False
    link: str = ""


Sentence = tuple[Span, ...]


class Step(NamedTuple):
    """Return-free line of the worked example: ``symbol = formula = substituted = value``.

    ``formula`` is None for a given number; ``substituted`` is None when it would only repeat
    ``value`` (``∂C/∂b = δ = 0.138``). ``equation`` is the whole chain laid out by the style.
    ``wide`` says that the formula names quantities more than three times, so that a page layout
    should put the numbers on a line of their own. ``highlighted`` marks a value a handout asked
    for, which its answer key shows boxed. ``depends_on`` lists the ids the formula reads (the
    Trace's), for formats that light them up.
    """

    id: str
    rule: str
    symbol: str
    formula: str | None
    substituted: str | None
    value: str
    equation: str
    wide: bool
    highlighted: bool = False
    depends_on: tuple[str, ...] = ()


class Line(NamedTuple):
    """Return-free row of aligned maths: ``lhs = sides[0] = sides[1] …`` (``lhs`` "" continues the
    row above, ``= side``)."""

    lhs: str
    sides: tuple[str, ...]


class Heading(NamedTuple):
    """Return-free section heading, a sentence (it may hold maths): ``level`` 1 (section), 2 or 3;
    ``number`` "4" or "" (none)."""

    spans: Sentence
    level: int = 1
    number: str = ""
    kind: str = "heading"


class Paragraph(NamedTuple):
    """Return-free paragraph of prose and inline maths; ``tone`` "" or "good" or "note" (a remark
    the terminal colours and a page may set apart)."""

    spans: Sentence
    tone: str = ""
    kind: str = "paragraph"


class Bullets(NamedTuple):
    """Return-free bulleted list, one sentence per item."""

    items: tuple[Sentence, ...]
    kind: str = "bullets"


class Steps(NamedTuple):
    """Return-free run of worked steps, aligned at their ``=`` on a page."""

    steps: tuple[Step, ...]
    kind: str = "steps"


class Equations(NamedTuple):
    """Return-free display of aligned maths rows, kept together on a page.

    ``lines`` are the rows for page formats; ``picture`` is the same maths laid out by the style
    as a whole (the terminal's fitted Unicode picture; the LaTeX style's one line).
    """

    lines: tuple[Line, ...]
    picture: str
    kind: str = "equations"


class Table(NamedTuple):
    """Return-free table: a head row and body rows of cells, each cell a sentence.

    ``numeric`` says per column whether it holds numbers (right- or decimal-aligned); ``tones``,
    if given, one per row: "" or a style a format may colour the row's first cell with
    ("correct", "wrong", "carried_forward").
    """

    head: tuple[Sentence, ...]
    rows: tuple[tuple[Sentence, ...], ...]
    numeric: tuple[bool, ...]
    tones: tuple[str, ...] = ()
    kind: str = "table"


class Figure(NamedTuple):
    """Return-free picture of the network: the diagram's geometry (SVG, TikZ) and the terminal's
    text drawing, with a caption."""

    diagram: Diagram
    drawing: tuple[str, ...]
    caption: str
    kind: str = "figure"


class Picture(NamedTuple):
    """Return-free plot drawn beside the document (a loss curve, the descent): ``source`` is its
    file for formats that link it (Markdown, LaTeX; None: not written), ``inline`` its SVG for a
    page that carries it, ``drawing`` its lines of text for the terminal (empty: no text form)."""

    caption: str
    source: str | None
    inline: str | None
    drawing: tuple[str, ...] = ()
    kind: str = "picture"


class Code(NamedTuple):
    """Return-free command to type, shown as it is: the ``tracer`` command that makes a report again."""

    text: str
    kind: str = "code"


Block = Heading | Paragraph | Bullets | Steps | Equations | Table | Figure | Picture | Code


class Section(NamedTuple):
    """Return-free part of a document: ``name`` (a stable key such as ``"network"``, for a handout
    that shows only some sections and for anchors), and its blocks, heading first."""

    name: str
    blocks: tuple[Block, ...]


class Document(NamedTuple):
    """Return-free document in the order it is read: title, description, sections.

    ``lang`` is the language its prose is written in (``"en"``, ``"ko"``).
    """

    title: str
    description: str
    sections: tuple[Section, ...]
    lang: str = "en"

    def section(self, name: str) -> Section:
        """Return the section called ``name`` (``KeyError`` if there is none)."""
        for section in self.sections:
            if section.name == name:
                return section
        raise KeyError(name)

    def steps(self) -> tuple[Step, ...]:
        """Return every worked step of the document, in reading order."""
        return tuple(
            s for section in self.sections for b in section.blocks if b.kind == "steps" for s in b.steps
        )
