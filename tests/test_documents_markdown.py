"""The Markdown's maths renders on GitHub (and Jupyter, VS Code, Obsidian): a small checker of the rules.

* display maths is ``$$`` alone on a line, blank lines around, no blank line inside, and every
  LaTeX line break ``\\\\`` at the end of a line (GitHub protects it only there);
* inline maths ``$…$`` stays on one line, has no space just inside a ``$`` and no ``\\\\``;
* inside any maths: balanced braces, ``\\left``/``\\right`` and ``\\begin``/``\\end``, only the
  environments and commands listed below (all supported by MathJax and KaTeX), no ``](``.
"""

import re

import pytest
from document_cases import PRESETS, rendered

ENVIRONMENTS = {"aligned", "matrix", "array", "cases"}
COMMANDS = {
    "frac", "partial", "mathrm", "cdot", "left", "right", "begin", "end", "underbrace", "times",
    "odot", "mathsf", "lim", "to", "operatorname", "ln", "qquad", "sigma", "delta", "eta", "alpha",
    "tanh", "log", "exp", "text", "sum", "max", "Delta", "neq", "leq", "boxed",
}  # fmt: skip
BLOCK_START = re.compile(r"^(#|>|[-*+] |\d+[.)] |    )")


def display_blocks(text: str) -> tuple[list[str], list[str]]:
    """Return (display maths, problems) after checking where the $$ lines stand."""
    lines = text.split("\n")
    blocks, problems, i = [], [], 0
    fence = False
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            fence = not fence
        if not fence and line.strip().startswith("$$"):
            if line != "$$":
                problems.append(f"line {i + 1}: $$ must stand alone on its line: {line!r}")
            if i > 0 and lines[i - 1].strip():
                problems.append(f"line {i + 1}: no blank line before $$")
            end = i + 1
            while end < len(lines) and lines[end] != "$$":
                end += 1
            if end == len(lines):
                problems.append(f"line {i + 1}: $$ never closed")
                break
            body = lines[i + 1 : end]
            if end + 1 < len(lines) and lines[end + 1].strip():
                problems.append(f"line {end + 1}: no blank line after $$")
            for n, row in enumerate(body, start=i + 2):
                if not row.strip():
                    problems.append(f"line {n}: blank line inside display maths")
                if "\\\\" in row.rstrip()[:-2] or (row.count("\\\\") and not row.rstrip().endswith("\\\\")):
                    problems.append(f"line {n}: \\\\ not at the end of the line")
                if BLOCK_START.match(row):
                    problems.append(f"line {n}: would start a Markdown block: {row!r}")
            blocks.append("\n".join(body))
            i = end + 1
            continue
        i += 1
    return blocks, problems


def inline_maths(text: str) -> tuple[list[str], list[str]]:
    """Return (inline maths, problems) from every line outside display maths and code."""
    spans, problems = [], []
    in_display = fence = False
    for n, line in enumerate(text.split("\n"), start=1):
        if line.startswith("```"):
            fence = not fence
        if line == "$$":
            in_display = not in_display
        if in_display or fence or line == "$$":
            continue
        plain = line.replace("\\$", "")
        if plain.count("$") % 2:
            problems.append(f"line {n}: odd number of $")
            continue
        for span in re.findall(r"\$([^$]*)\$", plain):
            if not span or span != span.strip():
                problems.append(f"line {n}: space just inside $…$: {span!r}")
            if "\\\\" in span:
                problems.append(f"line {n}: \\\\ in inline maths")
            spans.append(span)
    return spans, problems


def maths_problems(maths: str) -> list[str]:
    """Return what a renderer would choke on in one piece of maths."""
    problems = []
    depth = 0
    for char in re.sub(r"\\[{}]", "", maths):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            problems.append("a } closes nothing")
            break
    if depth > 0:
        problems.append("a { is never closed")
    if len(re.findall(r"\\left\b", maths)) != len(re.findall(r"\\right\b", maths)):
        problems.append("\\left and \\right do not pair up")
    stack = []
    for kind, name in re.findall(r"\\(begin|end)\{([^}]*)\}", maths):
        if name not in ENVIRONMENTS:
            problems.append(f"environment {name} is not supported")
        if kind == "begin":
            stack.append(name)
        elif not stack or stack.pop() != name:
            problems.append(f"\\end{{{name}}} does not match")
    if stack:
        problems.append(f"\\begin{{{stack[-1]}}} never ends")
    for command in re.findall(r"\\([A-Za-z]+)", maths):
        if command not in COMMANDS:
            problems.append(f"\\{command} is not in the supported list")
    if "](" in maths:
        problems.append("]( would read as a Markdown link")
    return problems


@pytest.mark.parametrize("name", PRESETS)
def test_markdown_maths_is_well_formed(name):
    text = rendered(name, "md")
    blocks, problems = display_blocks(text)
    spans, inline = inline_maths(text)
    problems += inline
    for maths in blocks + spans:
        problems += [f"{p} in: {maths[:80]!r}" for p in maths_problems(maths)]
    assert blocks and spans
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize(
    ("maths", "problem"),
    [
        ("\\frac{a}{b", "a { is never closed"),
        ("\\left( x", "\\left and \\right do not pair up"),
        ("\\begin{aligned} x \\end{matrix}", "\\end{matrix} does not match"),
        ("\\begin{align*} x \\end{align*}", "environment align* is not supported"),
        ("\\mathbb{R}", "\\mathbb is not in the supported list"),
    ],
)
def test_the_checker_catches_bad_maths(maths, problem):
    assert problem in maths_problems(maths)


def test_the_checker_catches_bad_delimiters():
    _, problems = display_blocks("text\n$$\nx \\\\ y\n$$\n")
    assert any("no blank line before" in p for p in problems)
    assert any("not at the end" in p for p in problems)
    _, problems = inline_maths("a $ x$ and $y")
    assert problems


def test_markdown_without_a_diagram_file_is_well_formed_too():
    from document_cases import traced

    from tracer.documents.render import render_markdown

    text = render_markdown(traced("xor"))
    blocks, problems = display_blocks(text)
    spans, inline = inline_maths(text)
    problems += inline + [p for maths in blocks + spans for p in maths_problems(maths)]
    assert "```text" in text and not problems, "\n".join(problems[:20])
