"""Every number a document shows after "=" for a quantity reads back as the Trace's value.

Each format is parsed as a reader would read it: in Markdown and LaTeX, the display-maths lines
``symbol &= … = value`` (a line without its own ``symbol &=`` continues the one above); in the
terminal text, a line starting ``symbol = `` and any ``    = value`` lines after it. The last
number is compared with the quantity's value in the one number format, and every computed
quantity must appear.
"""

import re

import pytest
from document_cases import PRESETS, rendered, traced

from tracer.derive import symbol
from tracer.printing import DEFAULT_DECIMALS, MathPrinter

NUMBER = r"-?\d+(?:\.\d+)?"


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


@pytest.mark.parametrize("kind", ["md", "tex", "term"])
@pytest.mark.parametrize("name", PRESETS)
def test_every_shown_value_is_the_trace_value(name, kind):
    result = traced(name)
    printer = MathPrinter(result.naming, DEFAULT_DECIMALS)
    show = printer.text if kind == "term" else printer.latex
    by_symbol = {}
    for q in result.quantities:
        by_symbol.setdefault(show(symbol(q.ref)), []).append(q)
    pairs = shown_values(kind, rendered(name, kind))
    seen = set()
    wrong = []
    for name_shown, number in pairs:
        quantities = by_symbol.get(name_shown, [])
        if len(quantities) != 1:
            continue
        q = quantities[0]
        seen.add(q.ref)
        if number != printer.number(q.value):
            wrong.append(f"{q.id}: shows {number}, trace has {printer.number(q.value)}")
    assert not wrong, "\n".join(wrong)
    missing = [q.id for q in result.quantities if not q.given and q.ref not in seen]
    assert not missing, f"computed quantities never shown with their value: {missing}"


def test_the_reader_finds_steps_and_continuations():
    tex = "\\begin{aligned}\nx &= a + b \\\\\n&= 1 + 2 = 3 \\\\\ny &= 4\n\\end{aligned}"
    assert shown_values("tex", tex) == [("x", "3"), ("y", "4")]
    term = "  δ = (a + b)⋅c = (1 + 2)⋅2\n      = 6\n  E = 0.5"
    assert shown_values("term", term) == [("δ", "6"), ("E", "0.5")]
