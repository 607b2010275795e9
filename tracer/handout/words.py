"""The sentences of a handout in the reader's language, each written once, set for the output they go into.

:func:`sheet_words` writes every sentence that frames a variant's worked example on its exercise
sheet and its answer key (titles, instructions, the head of the "what to compute" table, the key's
notes); the Markdown, LaTeX and HTML templates only place them. A message is translated
(:func:`tracer.i18n._`) before its ``{fields}`` are filled, so a translation may move them; its
words are escaped for Markdown, LaTeX or HTML, and each field is markup of that output
(:data:`MARKS`: a code in bold, a command in code type, a line to write on), set in as it is.
Templates that have sentences of their own (the folder's index, an LMS question's grading note)
call :func:`sentence` as ``_(message, **fields)`` (:func:`sayer`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from string import Formatter
from typing import NamedTuple

from markupsafe import Markup, escape

from tracer.documents.prose import markdown_escape, tex_code, tex_escape
from tracer.i18n import N_, _

ESCAPES: dict[str, Callable[[str], str]] = {
    "md": markdown_escape,
    "tex": tex_escape,
    "html": lambda text: str(escape(text)),
}


class Marks(NamedTuple):
    """Return-free markup of one output for what a sentence's fields hold: ``label`` a variant's
    code (set apart), ``code`` a command or a file name, ``blank`` a line to write a name on."""

    label: Callable[[str], str]
    code: Callable[[str], str]
    blank: str


MARKS: dict[str, Marks] = {
    "md": Marks(lambda text: f"**{text}**", lambda text: f"`{text}`", "\\_" * 24),
    "tex": Marks(
        lambda text: f"\\texttt{{{tex_escape(text)}}}",
        lambda text: f"\\texttt{{{tex_code(text)}}}",
        "\\rule{5cm}{0.4pt}",
    ),
    "html": Marks(
        lambda text: f"<strong>{escape(text)}</strong>",
        lambda text: f"<code>{escape(text)}</code>",
        '<span class="blank"></span>',
    ),
}


def sentence(kind: str, message: str, **fields: object) -> str:
    """Return ``message`` translated, its words escaped for ``kind`` (md, tex or html) and each
    ``{field}`` filled with the markup given; HTML as Markup, which Jinja does not escape again.

    >>> sentence("tex", "Give your answers to {decimals} decimals & no more.", decimals=4)
    'Give your answers to 4 decimals \\\\& no more.'
    >>> sentence("md", "Code {code}", code="**S42-V7**")
    'Code **S42-V7**'
    """
    words = ESCAPES[kind]
    parts = []
    for literal, name, spec, _conversion in Formatter().parse(_(message)):
        parts.append(words(literal))
        if name is not None:
            parts.append(format(fields[name], spec or ""))
    text = "".join(parts)
    return Markup(text) if kind == "html" else text


def sayer(kind: str) -> Callable[..., str]:
    """Return :func:`sentence` for one output kind, as templates call it: ``_(message, **fields)``."""
    return partial(sentence, kind)


class SheetWords(NamedTuple):
    """Return-free sentences of one variant's exercise sheet and answer key, set for one output.

    A layout takes the ones it needs: a page's header says ``exercise_title`` and
    ``code_and_name`` in two lines, a LaTeX sheet ``exercise``, ``code`` and ``name`` in one row.
    """

    exercise_title: str  # Exercise 3: Mazur's 2-2-2 example
    exercise: str  # Exercise 3
    code: str  # Code S42-V3
    name: str  # Name: ____
    code_and_name: str  # Code S42-V3 · Name: ____
    intro: str
    precision: str  # to how many decimals (or as fractions) to answer
    what_to_compute: str
    in_this_order: str
    quantity: str
    your_answer: str
    answer_name: str  # the head of the column of names in the answers file
    value: str
    handing_in: str
    on_paper: str
    copy_lines: str
    marked_by: str
    key_title: str
    key_about: str  # code, seed, variant, the command that makes it again
    key_values: str
    key_mark: str
    key_worked: str
    key_diagram: str


class SheetFacts(NamedTuple):
    """Return-free facts the sentences of one sheet name: its variant's number, code and command,
    the worked example's title, the names of its spec and answers files, and the handout's seed,
    whether its values are exact and the decimals of its answers."""

    number: int
    code: str
    command: str
    title: str
    spec_file: str
    answers_file: str
    seed: int
    exact: bool
    decimals: int


def sheet_words(kind: str, facts: SheetFacts) -> SheetWords:
    """Return every sentence of a variant's sheet and key in the reader's language, for ``kind``
    (md, tex or html)."""
    say, marks = sayer(kind), MARKS[kind]
    title = ESCAPES[kind](facts.title)
    code = marks.label(facts.code)
    if facts.exact:
        precision = say(N_("Every value is an exact fraction; give your answers as fractions."))
        key_values = say(N_("The asked values; in the worked example below they are boxed."))
    else:
        precision = say(N_("Give your answers to {decimals} decimals."), decimals=facts.decimals)
        key_values = say(
            N_(
                "The asked values, rounded to {decimals} decimals; in the worked example below they "
                "are boxed."
            ),
            decimals=facts.decimals,
        )
    return SheetWords(
        exercise_title=say(N_("Exercise {number}: {title}"), number=facts.number, title=title),
        exercise=say(N_("Exercise {number}"), number=facts.number),
        code=say(N_("Code {code}"), code=code),
        name=say(N_("Name: {blank}"), blank=marks.blank),
        code_and_name=say(N_("Code {code} · Name: {blank}"), code=code, blank=marks.blank),
        intro=say(
            N_(
                "One training step of this network, by hand: the forward pass, the loss, the backward pass "
                "by the chain rule and the update. Your numbers are your own: no one else has this variant."
            )
        ),
        precision=precision,
        what_to_compute=say(N_("What to compute")),
        in_this_order=say(N_("In this order:")),
        quantity=say(N_("Quantity")),
        your_answer=say(N_("Your answer")),
        answer_name=say(N_("Name in the answers file")),
        value=say(N_("Value")),
        handing_in=say(N_("Handing in")),
        on_paper=say(N_("Write each answer in the table above and hand in this sheet with your working.")),
        copy_lines=say(
            N_(
                "Copy these lines into a text file, write your fraction in quotes after each = "
                '(e.g. "3/2") and delete the lines you did not compute:'
            )
            if facts.exact
            else N_(
                "Copy these lines into a text file, write your number after each = and delete the lines "
                "you did not compute:"
            )
        ),
        marked_by=say(
            N_(
                "Your teacher marks the file with {command}, which also recognises an error carried forward "
                "from an earlier step."
            ),
            command=marks.code("tracer check"),
        ),
        key_title=say(N_("Answer key {number}: {title}"), number=facts.number, title=title),
        key_about=say(
            N_("Code {code} · seed {seed}, variant {number} · made again by {command}"),
            code=code,
            seed=facts.seed,
            number=facts.number,
            command=marks.code(facts.command),
        ),
        key_values=key_values,
        key_mark=say(
            N_(
                "Mark a student's answers file with {command}; {answers} holds these values in full "
                "precision."
            ),
            command=marks.code(f"tracer check {facts.spec_file} ANSWERS.toml"),
            answers=marks.code(facts.answers_file),
        ),
        key_worked=say(
            N_(
                "One training step of this variant, worked out with every number. The check of the "
                "gradients against the derivative as a limit is left out of keys; {command} shows it."
            ),
            command=marks.code(f"tracer trace {facts.spec_file}"),
        ),
        key_diagram=say(N_("The network's diagram is on exercise sheet {code}."), code=code),
    )
