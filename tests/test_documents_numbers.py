"""Every number a document shows after "=" for a quantity reads back as the Trace's value.

Each format is parsed as a reader would read it: in Markdown and LaTeX, the display-maths lines
``symbol &= … = value`` (a line without its own ``symbol &=`` continues the one above); in the
terminal text, a line starting ``symbol = `` and any ``    = value`` lines after it. The last
number is compared with the quantity's value in the one number format, and every computed
quantity must appear.
"""

import re
import tomllib

import pytest
import sympy as sp
from document_cases import PRESETS, rendered, traced

from tracer import trace
from tracer.derive import symbol
from tracer.documents.render import render_markdown, render_terminal
from tracer.printing import DEFAULT_DECIMALS, MathPrinter
from tracer.spec import from_dict, preset_text

# A number as printed: 0.25, -1.5, or too small for the decimals 1.92 \cdot 10^{-10} / 1.92⋅10⁻¹⁰.
NUMBER = r"-?\d+(?:\.\d+)?(?: \\cdot 10\^\{-?\d+\}|⋅10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?"


def shown_values(kind: str, text: str) -> list[tuple[str, str]]:
    """Return (symbol, last number) for each step of a Markdown, LaTeX or terminal document."""
    pairs: list[tuple[str, str]] = []
    if kind in ("md", "tex"):
        start, end = r"\begin{aligned}", r"\end{aligned}"
        for block in re.findall(re.escape(start) + r"\n(.*?)\n" + re.escape(end), text, flags=re.S):
            steps: list[str] = []
            for line in re.split(r" \\\\\*?\n", block):  # a line break, or one a page may not split
                # A new step names its quantity before "&="; anything else (a line "&= …", the
                # next row of a matrix or of cases) continues the step above.
                if steps and (line.startswith("&=") or " &= " not in line):
                    steps[-1] += " " + line
                else:
                    steps.append(line)
            for step in steps:
                if " &= " in step:
                    name = step.split(" &= ", 1)[0]
                    match = re.search(rf"= ({NUMBER})$", step.strip())
                    if match:
                        pairs.append((name, match.group(1)))
        return pairs
    current = None
    for line in text.split("\n"):
        head = re.match(r"^ {2,6}(\S+) = ", line)
        if head:
            current = head.group(1)
        elif not re.match(r"^\s+= ", line):
            current = None if line.strip() == "" else current
        match = re.search(rf" = ({NUMBER})\s*$", line)
        if current and match:
            pairs.append((current, match.group(1)))
    return pairs


def read_back(result, kind: str, text: str, unshown: tuple[str, ...] = ()) -> None:
    """Assert that every step of ``text`` shows its quantity's value as the printer prints it, and
    that every computed quantity is shown (but those whose rule is in ``unshown``)."""
    printer = MathPrinter(result.naming, DEFAULT_DECIMALS)
    show = printer.text if kind == "term" else printer.latex
    by_symbol = {}
    for q in result.quantities:
        by_symbol.setdefault(show(symbol(q.ref)), []).append(q)
    seen = set()
    wrong = []
    for name_shown, number in shown_values(kind, text):
        quantities = by_symbol.get(name_shown, [])
        if len(quantities) != 1:
            continue
        q = quantities[0]
        seen.add(q.ref)
        if number != show(sp.Float(q.value)):
            wrong.append(f"{q.id}: shows {number}, trace has {show(sp.Float(q.value))}")
    assert not wrong, "\n".join(wrong)
    missing = [q.id for q in result.quantities if not (q.given or q.ref in seen or q.rule in unshown)]
    assert not missing, f"computed quantities never shown with their value: {missing}"


@pytest.mark.parametrize("kind", ["md", "tex", "term"])
@pytest.mark.parametrize("name", PRESETS)
def test_every_shown_value_is_the_trace_value(name, kind):
    read_back(traced(name), kind, rendered(name, kind))


@pytest.mark.parametrize("kind", ["md", "term"])
def test_a_number_too_small_for_the_decimals_keeps_three_significant_digits(kind):
    # Adam's second moment after one step of Mazur's network: (1 − β₂)·g² ≈ 1.92·10⁻¹⁰, which
    # nine decimals would print as 0 (and then 0 / (1 − 0.999) = 0.000000192 would read wrong).
    data = tomllib.loads(preset_text("mazur"))
    data.update(learning_rate=0.01, optimizer={"name": "adam"})
    result = trace(from_dict(data))
    v = result["v[1][1][1]"].value
    assert 1.9e-10 < v < 1.95e-10
    text = render_markdown(result) if kind == "md" else render_terminal(result, width=100)
    assert ("1.92 \\cdot 10^{-10}" if kind == "md" else "1.92⋅10⁻¹⁰") in text
    read_back(result, kind, text, unshown=("frozen",))  # "the biases are frozen", said once


def test_the_reader_finds_steps_and_continuations():
    tex = "\\begin{aligned}\nx &= a + b \\\\\n&= 1 + 2 = 3 \\\\\ny &= 4\n\\end{aligned}"
    assert shown_values("tex", tex) == [("x", "3"), ("y", "4")]
    term = "  δ = (a + b)⋅c = (1 + 2)⋅2\n      = 6\n  E = 0.5"
    assert shown_values("term", term) == [("δ", "6"), ("E", "0.5")]


def test_the_fast_number_path_prints_as_the_printers_do():
    # styles print a plain float with format_number, not through SymPy: the bytes must not differ.
    from tracer.documents.styles import LatexStyle, PrettyStyle
    from tracer.notation import notation

    printer = MathPrinter(notation("mazur").bind((2, 2, 2)), DEFAULT_DECIMALS)
    pretty, latex = PrettyStyle(printer, 80), LatexStyle(printer)
    values = [s * m * 10.0**e for s in (1, -1) for m in (1.0, 1.5, 1.9234, 6.1135) for e in range(-14, 17)]
    for value in [*values, 0.0, 0.05, 1e-08, 2.5e-10]:
        assert pretty.number(value) == pretty.label(sp.Float(value)), value
        assert latex.number(value) == latex.math(sp.Float(value)), value
